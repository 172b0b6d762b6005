//! The window workbench as the pages see it: staff, the queue, a case under review, notices;
//! and the server functions behind them. The JSON API (`/api/v1/review`) calls the same
//! service.

use leptos::prelude::*;

use crate::error::AppError;

pub use crate::views::review::*;

/// The signed-in staff member, if any.
#[server(prefix = "/sf", endpoint = "staff/me")]
pub async fn current_staff() -> Result<Option<StaffInfo>, AppError> {
    use crate::server::auth::{MaybeStaff, extract};
    let MaybeStaff(me) = extract().await?;
    Ok(me)
}

/// Logs a staff member in.
#[server(prefix = "/sf", endpoint = "staff/login")]
pub async fn staff_login(login: String, password: String) -> Result<StaffInfo, AppError> {
    use crate::server::error::{ErrorCode, refused};
    use crate::server::services::accounts::AccountError;
    use crate::server::services::staff;
    let state = crate::server::state::expect_state()?;
    let client = crate::server::client::ClientKey::of_request().await;
    match staff::login(&state.db, &login, &password, &client, chrono::Utc::now()).await {
        Ok((token, info)) => {
            super::accounts::set_cookie(&staff::staff_cookie(&token, state.secure_cookies));
            Ok(info)
        }
        Err(AccountError::InvalidCredentials) => Err(refused(AppError::new(
            ErrorCode::InvalidCredentials,
            "工号或密码不正确",
        ))),
        Err(other) => Err(refused(other)),
    }
}

/// Logs the staff member out.
#[server(prefix = "/sf", endpoint = "staff/logout")]
pub async fn staff_logout() -> Result<(), AppError> {
    use crate::server::services::staff::{self, STAFF_COOKIE};
    let state = crate::server::state::expect_state()?;
    if let Some(token) = super::accounts::request_cookie(STAFF_COOKIE).await {
        staff::logout(&state.db, &token).await?;
    }
    super::accounts::set_cookie(&staff::clear_staff_cookie(state.secure_cookies));
    Ok(())
}

/// The department's queue.
#[server(prefix = "/sf", endpoint = "review/queue")]
pub async fn review_queue(
    status: Option<String>,
    channel: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<i32>,
) -> Result<Queue, AppError> {
    use crate::server::services::review;
    let filter = QueueFilter {
        status,
        channel,
        q,
        sort,
        page,
    };
    crate::server::auth::as_staff(async |state, me, now| {
        review::queue(&state.db, &state.track.reference, me, &filter, now).await
    })
    .await
}

/// A case of the department.
#[server(prefix = "/sf", endpoint = "review/case")]
pub async fn review_case(number: String) -> Result<StaffCase, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        review::case(&state.db, me, &number, now).await
    })
    .await
}

/// Takes an action on a case; answers with the notice issued. A refusal is the API's: its
/// field problems (shown beside the fields), or `case_changed` (reload), or another code.
#[server(prefix = "/sf", endpoint = "review/act")]
pub async fn review_act(number: String, command: ReviewCommand) -> Result<NoticeView, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        review::act(&state.db, me, &number, &command, now).await
    })
    .await
}

/// A notice of a case, for the staff of its department or its applicant.
#[server(prefix = "/sf", endpoint = "notices/get")]
pub async fn load_notice(number: String, id: i32) -> Result<Option<NoticeView>, AppError> {
    use crate::server::auth::{MaybeApplicant, MaybeStaff, extract};
    use crate::server::services::review::{self, Viewer};
    let state = crate::server::state::expect_state()?;
    let viewer = if let MaybeStaff(Some(me)) = extract().await? {
        Viewer::Staff(me)
    } else if let MaybeApplicant(Some(account)) = extract().await? {
        Viewer::Applicant(account.id)
    } else {
        return Ok(None);
    };
    Ok(review::notice(&state.db, &viewer, &number, id).await?)
}

/// Starts an application at the window (in-hall intake) for an item or a bundle; answers
/// with its number.
#[server(prefix = "/sf", endpoint = "review/intake")]
pub async fn start_intake(
    item: Option<String>,
    bundle: Option<String>,
) -> Result<String, AppError> {
    use crate::server::services::applications;
    crate::server::auth::as_staff(async |state, me, now| {
        let view = applications::start_intake(&state.db, me, item, bundle, now).await?;
        Ok::<_, AppError>(view.number)
    })
    .await
}
