//! Server functions of applicant accounts, for the pages. The JSON API (`/api/v1/auth`)
//! calls the same service.

use leptos::prelude::*;

use crate::domain::account::{AccountInfo, RecoveryForm, RegistrationForm};
use crate::error::AppError;

/// Registers and logs in at once; a refusal lists every field problem, as the browser shows
/// them next to their fields.
#[server(prefix = "/sf", endpoint = "auth/register")]
pub async fn register(form: RegistrationForm) -> Result<AccountInfo, AppError> {
    use crate::server::error::refused;
    use crate::server::services::accounts::{self, AccountError};
    let state = crate::server::state::expect_state()?;
    let client = crate::server::client::ClientKey::of_request().await;
    let now = chrono::Utc::now();
    match accounts::register(&state.db, &form, &client, now).await {
        Ok(_) => {}
        // Shown beside the mobile field, like any other problem of the form.
        Err(AccountError::MobileTaken) => {
            return Err(refused(AppError::invalid(vec![
                crate::domain::account::FieldProblem {
                    field: "mobile".into(),
                    code: "mobile_taken".into(),
                    message: "该手机号码已注册，请直接登录".into(),
                },
            ])));
        }
        Err(other) => return Err(refused(other)),
    }
    sign_in(&form.mobile, &form.password, &client, now).await
}

/// Sends a recovery code to the number by SMS (the same answer when no account has it).
#[server(prefix = "/sf", endpoint = "auth/recovery-code")]
pub async fn send_recovery_code(mobile: String) -> Result<(), AppError> {
    let state = crate::server::state::expect_state()?;
    let client = crate::server::client::ClientKey::of_request().await;
    crate::server::services::recovery::send_code(&state.db, &mobile, &client, chrono::Utc::now())
        .await
        .map_err(crate::server::error::refused)
}

/// Takes back a number with its code, then logs in under it.
#[server(prefix = "/sf", endpoint = "auth/recover")]
pub async fn recover(form: RecoveryForm) -> Result<AccountInfo, AppError> {
    use crate::server::error::refused;
    use crate::server::services::recovery;
    let state = crate::server::state::expect_state()?;
    let client = crate::server::client::ClientKey::of_request().await;
    let now = chrono::Utc::now();
    recovery::recover(&state.db, &form, &client, now)
        .await
        .map_err(refused)?;
    sign_in(&form.mobile, &form.password, &client, now).await
}

/// Logs in (a refusal never says whether the number exists).
#[server(prefix = "/sf", endpoint = "auth/login")]
pub async fn login(mobile: String, password: String) -> Result<AccountInfo, AppError> {
    let client = crate::server::client::ClientKey::of_request().await;
    sign_in(&mobile, &password, &client, chrono::Utc::now()).await
}

/// Logs out: ends the session and clears the cookie.
#[server(prefix = "/sf", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = crate::server::state::expect_state()?;
    if let Some(token) = request_cookie(crate::server::services::accounts::SESSION_COOKIE).await {
        crate::server::services::accounts::logout(&state.db, &token).await?;
    }
    set_cookie(&crate::server::services::accounts::clear_session_cookie(
        state.secure_cookies,
    ));
    Ok(())
}

/// The logged-in account, if any.
#[server(prefix = "/sf", endpoint = "auth/me")]
pub async fn current_account() -> Result<Option<AccountInfo>, AppError> {
    use crate::server::auth::{MaybeApplicant, extract};
    let MaybeApplicant(account) = extract().await?;
    Ok(account)
}

/// Logs in and sets the session cookie: the account, or the refusal as the page shows it.
#[cfg(feature = "ssr")]
async fn sign_in(
    mobile: &str,
    password: &str,
    client: &crate::server::client::ClientKey,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<AccountInfo, AppError> {
    use crate::server::services::accounts;
    let state = crate::server::state::expect_state()?;
    let (token, account) = accounts::login(&state.db, mobile, password, client, now)
        .await
        .map_err(crate::server::error::refused)?;
    set_cookie(&accounts::session_cookie(&token, state.secure_cookies));
    Ok(account)
}

/// The value of cookie `name` in the request a server function answers.
#[cfg(feature = "ssr")]
pub(crate) async fn request_cookie(name: &str) -> Option<String> {
    let headers: http::HeaderMap = leptos_axum::extract().await.ok()?;
    crate::server::auth::header_cookie(&headers, name).map(str::to_owned)
}

#[cfg(feature = "ssr")]
pub(crate) fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
