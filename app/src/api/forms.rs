//! What the public pages' plain forms (`crate::server::forms`) leave for the page they
//! redirect to: a one-time message, and the case a tracking lookup opened.

use leptos::prelude::*;

use crate::error::AppError;
use crate::views::track::TrackView;

/// The one-time message the last form left (a refusal), cleared once read: `Err` with it,
/// `Ok` when there is none.
#[server(prefix = "/sf", endpoint = "forms/flash")]
pub async fn take_flash() -> Result<(), AppError> {
    let headers: http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let Some((code, message)) = crate::server::forms::read_flash(&headers) else {
        return Ok(());
    };
    let state = crate::server::state::expect_state()?;
    crate::api::accounts::set_cookie(&crate::server::forms::clear_flash(state.secure_cookies));
    Err(AppError::new(code, message))
}

/// The case `number` as this browser's last tracking lookup opened it (`None`: no lookup of
/// it, or it has expired).
#[server(prefix = "/sf", endpoint = "forms/tracked")]
pub async fn tracked_case(number: String) -> Result<Option<TrackView>, AppError> {
    use crate::server::services::tracking::{self, ClientKey, TrackError};
    let headers: http::HeaderMap = leptos_axum::extract().await.unwrap_or_default();
    let Some(token) = crate::server::forms::tracked_token(&headers, &number) else {
        return Ok(None);
    };
    let state = crate::server::state::expect_state()?;
    let client = ClientKey::of_request().await;
    match tracking::track(
        &state.db,
        &state.track,
        &number,
        tracking::Proof::Token(token),
        &client,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(view) => Ok(Some(view)),
        Err(TrackError::NotFound) => Ok(None),
        Err(e) => Err(crate::server::error::refused(e)),
    }
}
