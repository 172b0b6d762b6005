//! `/api/v1/auth/…`: applicant registration, login and logout over JSON.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::account::{RecoveryForm, RegistrationForm};
use crate::server::auth::{Applicant, header_cookie};
use crate::server::client::ClientKey;
use crate::server::error::AppError;
use crate::server::rest::body::{Created, JsonObject, with_cookie};
use crate::server::services::accounts::{self, AccountInfo, clear_session_cookie, session_cookie};
use crate::server::state::AppState;

/// A login as typed.
#[derive(Deserialize, Serialize, ToSchema)]
pub struct LoginForm {
    pub mobile: String,
    pub password: String,
}

/// Register an applicant account.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegistrationForm,
    responses(
        (status = 201, body = AccountInfo),
        (status = 400, description = "Malformed JSON"),
        (status = 409, description = "The number is registered"),
        (status = 422, description = "validation_failed, with errors[]"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    client: ClientKey,
    JsonObject(form): JsonObject<RegistrationForm>,
) -> Result<Created<AccountInfo>, AppError> {
    let account = accounts::register(&state.db, &form, &client, chrono::Utc::now()).await?;
    Ok(Created(account))
}

/// Where a recovery code is sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecoveryCodeRequest {
    pub mobile: String,
}

/// Send a recovery code by SMS to a registered number (the answer is the same for a number
/// without an account).
#[utoipa::path(post, path = "/api/v1/auth/recovery/code", tag = "auth", request_body = RecoveryCodeRequest,
    responses(
        (status = 202, description = "If the number is registered, a code is on its way"),
        (status = 422, description = "validation_failed (the mobile number)"),
        (status = 429, description = "too_many_attempts; see Retry-After"),
    ))]
pub async fn recovery_code(
    State(state): State<AppState>,
    client: ClientKey,
    JsonObject(request): JsonObject<RecoveryCodeRequest>,
) -> Result<StatusCode, AppError> {
    crate::server::services::recovery::send_code(
        &state.db,
        &request.mobile,
        &client,
        chrono::Utc::now(),
    )
    .await?;
    Ok(StatusCode::ACCEPTED)
}

/// Take back a number with the code sent to it: the password is reset if the name and ID
/// number are the account's; otherwise the number leaves the account that registered it and
/// a new account is made for the person holding the phone.
#[utoipa::path(post, path = "/api/v1/auth/recovery", tag = "auth", request_body = RecoveryForm,
    responses(
        (status = 200, body = AccountInfo),
        (status = 422, description = "validation_failed; a wrong, used or expired code is `code_invalid` on field `code`"),
        (status = 429, description = "too_many_attempts; see Retry-After"),
    ))]
pub async fn recover(
    State(state): State<AppState>,
    client: ClientKey,
    JsonObject(form): JsonObject<RecoveryForm>,
) -> Result<Json<AccountInfo>, AppError> {
    let account =
        crate::server::services::recovery::recover(&state.db, &form, &client, chrono::Utc::now())
            .await?;
    Ok(Json(account))
}

/// Log in; sets the HttpOnly session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginForm,
    responses(
        (status = 200, body = AccountInfo, headers(("set-cookie" = String, description = "ow_session, HttpOnly, SameSite=Lax"))),
        (status = 401, description = "Wrong number or password (never says which)"),
        (status = 429, description = "Slowed down or locked; see Retry-After"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientKey,
    JsonObject(form): JsonObject<LoginForm>,
) -> Result<Response, AppError> {
    let (token, account) = accounts::login(
        &state.db,
        &form.mobile,
        &form.password,
        &client,
        chrono::Utc::now(),
    )
    .await?;
    let cookie = session_cookie(&token, state.secure_cookies);
    Ok(with_cookie(cookie, Json(account)))
}

/// Log out: ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = cookie_token(&headers) {
        accounts::logout(&state.db, token).await?;
    }
    let cookie = clear_session_cookie(state.secure_cookies);
    Ok(with_cookie(cookie, StatusCode::NO_CONTENT))
}

/// The logged-in account.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses(
        (status = 200, body = AccountInfo),
    ))]
pub async fn me(Applicant(account): Applicant) -> Json<AccountInfo> {
    Json(account)
}

fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    header_cookie(headers, accounts::SESSION_COOKIE)
}
