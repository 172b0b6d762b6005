//! Server functions of applicant accounts, for the pages. The JSON API (`/api/v1/auth`)
//! calls the same service.

use leptos::prelude::*;

use crate::domain::account::{AccountInfo, FieldProblem, RegistrationForm};

/// Registers and logs in at once. The inner `Err` lists every field problem, as the browser
/// shows them next to their fields.
#[server(prefix = "/sf", endpoint = "auth/register")]
pub async fn register(
    form: RegistrationForm,
) -> Result<Result<AccountInfo, Vec<FieldProblem>>, ServerFnError> {
    use crate::server::accounts::{self, AccountError};
    let state = crate::server::state::expect_state()?;
    let now = chrono::Utc::now();
    match accounts::register(&state.db, &form, now).await {
        Ok(_) => {}
        Err(AccountError::Invalid(problems)) => return Ok(Err(problems)),
        Err(AccountError::MobileTaken) => {
            return Ok(Err(vec![FieldProblem {
                field: "mobile".into(),
                code: "mobile_taken".into(),
                message: "该手机号码已注册，请直接登录".into(),
            }]));
        }
        Err(other) => return Err(internal(other)),
    }
    match accounts::login(&state.db, &form.mobile, &form.password, now).await {
        Ok((token, account)) => {
            set_cookie(&accounts::session_cookie(&token, state.secure_cookies));
            Ok(Ok(account))
        }
        Err(other) => Err(internal(other)),
    }
}

/// Logs in. The inner `Err` is the message to show (never says whether the number exists).
#[server(prefix = "/sf", endpoint = "auth/login")]
pub async fn login(
    mobile: String,
    password: String,
) -> Result<Result<AccountInfo, String>, ServerFnError> {
    use crate::server::accounts::{self, AccountError};
    let state = crate::server::state::expect_state()?;
    match accounts::login(&state.db, &mobile, &password, chrono::Utc::now()).await {
        Ok((token, account)) => {
            set_cookie(&accounts::session_cookie(&token, state.secure_cookies));
            Ok(Ok(account))
        }
        Err(e @ (AccountError::InvalidCredentials | AccountError::TooManyAttempts { .. })) => {
            Ok(Err(e.to_string()))
        }
        Err(other) => Err(internal(other)),
    }
}

/// Logs out: ends the session and clears the cookie.
#[server(prefix = "/sf", endpoint = "auth/logout")]
pub async fn logout() -> Result<(), ServerFnError> {
    let state = crate::server::state::expect_state()?;
    if let Some(token) = session_token().await {
        crate::server::accounts::logout(&state.db, &token)
            .await
            .map_err(|e| internal(e.into()))?;
    }
    set_cookie(&crate::server::accounts::clear_session_cookie(
        state.secure_cookies,
    ));
    Ok(())
}

/// The logged-in account, if any.
#[server(prefix = "/sf", endpoint = "auth/me")]
pub async fn current_account() -> Result<Option<AccountInfo>, ServerFnError> {
    let state = crate::server::state::expect_state()?;
    let Some(token) = session_token().await else {
        return Ok(None);
    };
    crate::server::accounts::authenticate(&state.db, &token, chrono::Utc::now())
        .await
        .map_err(|e| internal(e.into()))
}

#[cfg(feature = "ssr")]
pub(crate) async fn session_token() -> Option<String> {
    request_cookie(crate::server::accounts::SESSION_COOKIE).await
}

/// The value of cookie `name` in the request a server function answers.
#[cfg(feature = "ssr")]
pub(crate) async fn request_cookie(name: &str) -> Option<String> {
    let headers: http::HeaderMap = leptos_axum::extract().await.ok()?;
    crate::server::rest_accounts::header_cookie(&headers, name).map(str::to_owned)
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

#[cfg(feature = "ssr")]
fn internal(err: crate::server::accounts::AccountError) -> ServerFnError {
    let id = crate::server::state::incident_id();
    tracing::error!(incident = %id, error = ?err, "account request failed");
    ServerFnError::ServerError(format!("系统繁忙，请稍后再试（事件编号 {id}）"))
}
