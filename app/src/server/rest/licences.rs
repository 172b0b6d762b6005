//! `/api/v1/licences/…`: 电子证照 for anyone to check (by number and check code, or from the
//! file), the departments' public keys and the revocation list for offline verifiers, the
//! public register, the holder's download, and 注销 / 撤销 by the issuing department.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::licence::{LicenceFile, PublishedKey, Revocation};
use crate::server::auth::{Someone, Staff};
use crate::server::client::ClientKey;
use crate::server::error::AppError;
use crate::server::rest::body::{Created, JsonObject};
use crate::server::services::licences;
use crate::server::state::AppState;
use crate::views::licence::{LicenceCheck, LicenceView, Register, RegisterFilter, RevokeAction};

/// The check code printed on a licence.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodeQuery {
    /// 校验码. May be sent in the `X-Check-Code` header instead.
    #[serde(default)]
    pub code: Option<String>,
}

/// Every department's public key, retired ones too (a rotated key keeps what it signed
/// verifiable): what an offline verifier needs.
#[utoipa::path(get, path = "/api/v1/licences/keys", tag = "licences",
    responses((status = 200, body = Vec<PublishedKey>)))]
pub async fn keys(State(state): State<AppState>) -> Result<Json<Vec<PublishedKey>>, AppError> {
    Ok(Json(licences::keys::published(&state.db).await?))
}

/// The revocation list: every licence ended by 注销 or 撤销, with the day and the reason.
#[utoipa::path(get, path = "/api/v1/licences/revocations", tag = "licences",
    responses((status = 200, body = Vec<Revocation>)))]
pub async fn revocations(State(state): State<AppState>) -> Result<Json<Vec<Revocation>>, AppError> {
    Ok(Json(licences::revocations(&state.db).await?))
}

/// The public register of granted licences (第四十条), newest first; persons masked.
#[utoipa::path(get, path = "/api/v1/licences", tag = "licences", params(RegisterFilter),
    responses((status = 200, body = Register)))]
pub async fn register(
    State(state): State<AppState>,
    Query(filter): Query<RegisterFilter>,
) -> Result<Json<Register>, AppError> {
    Ok(Json(licences::register(&state.db, &filter).await?))
}

/// A licence by its number and check code: the verdict (valid, revoked with the reason,
/// expired, or a signature that does not verify) and the licence. A wrong pair is
/// `licence_not_found` and counts against the client.
#[utoipa::path(get, path = "/api/v1/licences/{number}", tag = "licences",
    params(("number" = String, Path, description = "证照编号"), CodeQuery),
    responses(
        (status = 200, body = LicenceCheck),
        (status = 404, description = "licence_not_found: wrong number or check code (the same answer)"),
        (status = 429, description = "too_many_attempts"),
    ))]
pub async fn check(
    State(state): State<AppState>,
    client: ClientKey,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(query): Query<CodeQuery>,
) -> Result<Response, AppError> {
    let code = headers
        .get("x-check-code")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or(query.code)
        .unwrap_or_default();
    let checked = licences::check(&state.db, &number, &code, &client, chrono::Utc::now()).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(checked)).into_response())
}

/// Verifies a licence file (the JSON as downloaded, as the body): the same verdicts as the
/// verify page computes in the browser. A body that is not a licence file at all is 400
/// `invalid_json`; one that declares another format or algorithm is the verdict `malformed`.
#[utoipa::path(post, path = "/api/v1/licences/verification", tag = "licences",
    request_body(content = LicenceFile, description = "the licence file", content_type = "application/json"),
    responses(
        (status = 200, body = LicenceCheck),
        (status = 400, description = "invalid_json: not a licence file"),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    JsonObject(file): JsonObject<LicenceFile>,
) -> Result<Json<LicenceCheck>, AppError> {
    Ok(Json(
        licences::verify_file(&state.db, &file, chrono::Utc::now()).await?,
    ))
}

/// The signed licence file, for its holder or the departments' staff.
#[utoipa::path(get, path = "/api/v1/licences/{number}/file", tag = "licences",
    params(("number" = String, Path, description = "证照编号")),
    responses(
        (status = 200, description = "the licence file (JSON)", content_type = "application/json"),
        (status = 401, description = "not_logged_in"),
        (status = 404, description = "licence_not_found (also someone else's)"),
    ))]
pub async fn file(
    State(state): State<AppState>,
    Someone(who): Someone,
    Path(number): Path<String>,
) -> Result<Response, AppError> {
    let row = licences::file_for(&state.db, who, &number).await?;
    let disposition = format!("attachment; filename=\"licence-{}.json\"", row.number);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        row.file,
    )
        .into_response())
}

/// 注销 / 撤销 by the chief representative of the issuing department, with the reason; the
/// verify page and the API then say so. 201 with the licence.
#[utoipa::path(post, path = "/api/v1/review/licences/{number}/revocation", tag = "licences",
    params(("number" = String, Path, description = "证照编号")), request_body = RevokeAction,
    responses(
        (status = 201, body = LicenceView),
        (status = 403, description = "not_permitted: not the issuing department's chief"),
        (status = 404, description = "licence_not_found (also another department's)"),
        (status = 409, description = "licence_revoked"),
        (status = 422, description = "validation_failed: the reason"),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(number): Path<String>,
    JsonObject(action): JsonObject<RevokeAction>,
) -> Result<Created<LicenceView>, AppError> {
    let view = licences::revoke(&state.db, &me, &number, &action, chrono::Utc::now()).await?;
    Ok(Created(view))
}
