//! Applications as the pages see them, and their server functions. The JSON API
//! (`/api/v1/applications`) calls the same service; uploads go to the JSON API directly
//! (the browser sends the raw file there, with a progress bar).

use leptos::prelude::*;

use crate::domain::apply::{ApplicationForm, DraftContent};
use crate::error::AppError;

pub use crate::views::applications::*;

/// Starts a draft for an item or a bundle; answers with its number.
#[server(prefix = "/sf", endpoint = "applications/start")]
pub async fn start_application(
    item: Option<String>,
    bundle: Option<String>,
) -> Result<String, AppError> {
    use crate::server::auth::{Applicant, extract};
    use crate::server::error::refused;
    let Applicant(account) = extract().await?;
    let state = crate::server::state::expect_state()?;
    let draft = NewDraft {
        item,
        bundle,
        ..Default::default()
    };
    crate::server::services::applications::create_draft(
        &state.db,
        account.id,
        &draft,
        chrono::Utc::now(),
    )
    .await
    .map(|view| view.number)
    .map_err(refused)
}

/// An application of the signed-in applicant (or the staff member's intake) with its form;
/// `None` if not theirs, not found, or nobody is signed in.
#[server(prefix = "/sf", endpoint = "applications/load")]
pub async fn load_application(
    number: String,
) -> Result<Option<(ApplicationView, ApplicationForm)>, AppError> {
    use crate::server::auth::{MaybeSomeone, extract};
    use crate::server::services::applications::{self, ApplicationError};
    let state = crate::server::state::expect_state()?;
    let MaybeSomeone(who) = extract().await?;
    let found = match who {
        Some(who) => match applications::get_with_form(&state.db, who, &number).await {
            Ok(found) => found,
            Err(ApplicationError::Internal(e)) => return Err(e.into()),
            Err(_) => None,
        },
        None => None,
    };
    if found.is_none() {
        crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    }
    Ok(found)
}

/// Saves a draft; a refusal lists what cannot be saved (not what is merely incomplete).
/// Answers with the time it was saved and its new version.
#[server(prefix = "/sf", endpoint = "applications/save")]
pub async fn save_draft(number: String, content: DraftContent) -> Result<SavedDraft, AppError> {
    use crate::server::auth::{Someone, extract};
    let Someone(who) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::services::applications::update_draft(
        &state.db,
        who,
        &number,
        &content,
        chrono::Utc::now(),
    )
    .await
    .map(|view| SavedDraft {
        updated_at: view.updated_at,
        version: view.version,
    })
    .map_err(crate::server::error::refused)
}

/// Submits a draft; a refusal lists every problem, by field path, as the server found them
/// (the same list the browser's own check gives).
#[server(prefix = "/sf", endpoint = "applications/submit")]
pub async fn submit_application(number: String) -> Result<ApplicationView, AppError> {
    use crate::server::auth::{Someone, extract};
    let Someone(who) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::services::applications::submit(&state.db, who, &number, chrono::Utc::now())
        .await
        .map_err(crate::server::error::refused)
}

/// The signed-in applicant's applications; `None` when nobody is signed in.
#[server(prefix = "/sf", endpoint = "applications/mine")]
pub async fn my_applications() -> Result<Option<Vec<ApplicationView>>, AppError> {
    use crate::server::auth::{MaybeApplicant, extract};
    let MaybeApplicant(account) = extract().await?;
    let Some(account) = account else {
        return Ok(None);
    };
    let state = crate::server::state::expect_state()?;
    Ok(Some(
        crate::server::services::applications::list(&state.db, account.id).await?,
    ))
}

/// Deletes a draft.
#[server(prefix = "/sf", endpoint = "applications/delete")]
pub async fn delete_application(number: String) -> Result<(), AppError> {
    use crate::server::auth::{Applicant, extract};
    use crate::server::services::applications::Who;
    let Applicant(account) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::services::applications::delete_draft(
        &state.db,
        &state.materials,
        Who::Applicant(account.id),
        &number,
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::server::error::refused)
}

/// Removes an uploaded material from a draft.
#[server(prefix = "/sf", endpoint = "applications/delete-material")]
pub async fn delete_material(number: String, code: String) -> Result<(), AppError> {
    use crate::server::auth::{Someone, extract};
    let Someone(who) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::services::applications::delete_upload(
        &state.db,
        &state.materials,
        who,
        &number,
        &code,
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::server::error::refused)
}

/// Resubmits a case after a correction notice; a refusal lists every problem (lines of the
/// notice left unchanged, and whatever submission would report).
#[server(prefix = "/sf", endpoint = "applications/resubmit")]
pub async fn resubmit_application(
    number: String,
    version: i32,
) -> Result<ApplicationView, AppError> {
    use crate::server::auth::{Someone, extract};
    let Someone(who) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::services::applications::resubmit(
        &state.db,
        who,
        &number,
        Some(version),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::server::error::refused)
}

/// On the application pages a lost session means it expired while filling in: say so, and
/// that nothing typed is lost.
#[cfg(feature = "ssr")]
fn session_expired(e: AppError) -> AppError {
    match e.code {
        crate::error::ErrorCode::NotLoggedIn => {
            e.with_message("登录已过期，请重新登录（已填写的内容保存在本机）")
        }
        _ => e,
    }
}

/// Links a case taken at the window to the applicant's account by the 查询码 on its receipt.
#[server(prefix = "/sf", endpoint = "applications/claim")]
pub async fn claim_window_case(
    case_number: String,
    tracking_code: String,
) -> Result<ApplicationView, AppError> {
    use crate::server::auth::{Applicant, extract};
    let Applicant(account) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    let client = crate::server::client::ClientKey::of_request().await;
    crate::server::services::applications::claim(
        &state.db,
        account.id,
        &case_number,
        &tracking_code,
        &client,
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::server::error::refused)
}
