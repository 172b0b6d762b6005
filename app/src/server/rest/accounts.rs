//! `/api/v1/auth/…`: applicant registration, login and logout over JSON.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::account::{RecoveryForm, RegistrationForm};
use crate::server::auth::{Applicant, header_cookie};
use crate::server::client::ClientKey;
use crate::server::error::{AppError, ErrorCode};
use crate::server::services::accounts::{self, AccountInfo, clear_session_cookie, session_cookie};
use crate::server::state::AppState;

/// A login as typed.
#[derive(Deserialize, Serialize, ToSchema)]
pub struct LoginForm {
    pub mobile: String,
    pub password: String,
}

/// `400 invalid_json` for a body that is not the expected JSON.
pub fn bad_json(e: JsonRejection) -> AppError {
    AppError::new(
        ErrorCode::InvalidJson,
        format!("请求体不是有效的 JSON：{}", e.body_text()),
    )
}

/// Reads a JSON body that must be an object of the expected shape. (serde would otherwise
/// also read a struct from an array of its fields in order.)
pub fn json_object<T: serde::de::DeserializeOwned>(
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<T, AppError> {
    let Json(value) = body.map_err(bad_json)?;
    if !value.is_object() {
        return Err(AppError::new(
            ErrorCode::InvalidJson,
            "请求体应为 JSON 对象",
        ));
    }
    from_json_value(value)
}

/// A request body that must be a JSON object of the shape `T`, read by [`json_object`]: a
/// body that is not is refused with the API's own `400 invalid_json` (axum's `Json` would
/// answer in plain text, and also read a struct from an array). Handlers whose checks come
/// before the body's (a permission, the action named in the path) read it with
/// [`json_object`] instead.
pub struct JsonObject<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonObject<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        json_object(Json::<serde_json::Value>::from_request(request, state).await).map(JsonObject)
    }
}

/// A JSON object as `T`, or `400 invalid_json` naming the field that is wrong.
pub fn from_json_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, AppError> {
    if has_nul(&value) {
        return Err(AppError::new(
            ErrorCode::InvalidJson,
            "请求内容中含有空字符（U+0000），无法处理",
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| AppError::new(ErrorCode::InvalidJson, format!("请求体字段有误：{e}")))
}

/// Register an applicant account.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegistrationForm,
    responses(
        (status = 201, body = AccountInfo),
        (status = 400, description = "Malformed JSON", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "The number is registered", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "validation_failed, with errors[]", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    client: ClientKey,
    JsonObject(form): JsonObject<RegistrationForm>,
) -> Result<Response, AppError> {
    let account = accounts::register(&state.db, &form, &client, chrono::Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(account)).into_response())
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
        (status = 422, description = "validation_failed (the mobile number)", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "too_many_attempts; see Retry-After", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
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
        (status = 422, description = "validation_failed; a wrong, used or expired code is `code_invalid` on field `code`", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "too_many_attempts; see Retry-After", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
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
        (status = 401, description = "Wrong number or password (never says which)", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 429, description = "Slowed down or locked; see Retry-After", body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
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
    Ok((
        [(
            header::SET_COOKIE,
            session_cookie(&token, state.secure_cookies),
        )],
        Json(account),
    )
        .into_response())
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
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            clear_session_cookie(state.secure_cookies),
        )],
    )
        .into_response())
}

/// The logged-in account.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses(
        (status = 200, body = AccountInfo),
        (status = 401, body = crate::server::rest::ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn me(Applicant(account): Applicant) -> Json<AccountInfo> {
    Json(account)
}

fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    header_cookie(headers, accounts::SESSION_COOKIE)
}

/// Whether any string or key of a JSON value holds U+0000, which PostgreSQL cannot store or
/// compare in text (it would answer the query with an error, and the client with a 500).
fn has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}
