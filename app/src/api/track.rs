//! Tracking (办理进度查询) and supervision (电子监察) as the pages see them, and their server
//! functions. The JSON API (`/api/v1/track`, `/api/v1/supervision`) calls the same service.

use leptos::prelude::*;

use crate::error::AppError;

pub use crate::views::track::*;

/// Tracks a case by its number and a second factor (the applicant's mobile number or the
/// receipt's 查询码). A wrong number and a wrong factor get the same `track_not_found`.
#[server(prefix = "/sf", endpoint = "track/case")]
pub async fn track_case(number: String, factor: String) -> Result<TrackView, AppError> {
    use crate::server::services::tracking::{self, ClientKey};
    let state = crate::server::state::expect_state()?;
    let client = ClientKey::of_request().await;
    tracking::track(
        &state.db,
        &state.track,
        &number,
        tracking::Proof::Factor(&factor),
        &client,
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::server::error::refused)
}

/// The signed-in applicant's own case, without a second factor; `None` if it is not theirs
/// (or nobody is signed in).
#[server(prefix = "/sf", endpoint = "track/own")]
pub async fn track_own(number: String) -> Result<Option<TrackView>, AppError> {
    use crate::server::auth::{MaybeApplicant, extract};
    let MaybeApplicant(account) = extract().await?;
    let Some(account) = account else {
        return Ok(None);
    };
    let state = crate::server::state::expect_state()?;
    Ok(crate::server::services::tracking::track_own(
        &state.db,
        &state.track,
        account.id,
        &number,
        chrono::Utc::now(),
    )
    .await?)
}

/// The supervision board of the signed-in chief representative or supervisor.
#[server(prefix = "/sf", endpoint = "supervision/board")]
pub async fn supervision_board() -> Result<Board, AppError> {
    use crate::server::services::tracking;
    crate::server::auth::as_staff(async |state, me, now| {
        tracking::board(&state.db, &state.track.reference, me, now).await
    })
    .await
}

/// Marks a warning as seen by the signed-in staff member.
#[server(prefix = "/sf", endpoint = "supervision/seen")]
pub async fn mark_warning_seen(id: i32) -> Result<(), AppError> {
    use crate::server::services::tracking;
    crate::server::auth::as_staff(async |state, me, now| {
        tracking::mark_seen(&state.db, me, id, now).await
    })
    .await
}
