//! `/api/v1/applications`: an applicant's drafts, their materials, and submission. Someone
//! else's number answers 404, exactly as a number that does not exist.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use futures_util::StreamExt;

use crate::domain::apply::DraftContent;
use crate::server::auth::{Applicant, Someone};
use crate::server::error::{AppError, ErrorCode};
use crate::server::rest::body::{Created, JsonObject};
use crate::server::services::applications::{
    self, ApplicationError, ApplicationView, NewDraft, UploadedMaterial,
};
use crate::server::state::AppState;

/// Start a draft for an item or a bundle.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", request_body = NewDraft,
    responses(
        (status = 201, body = ApplicationView),
        (status = 422, description = "item_or_bundle, unknown_item, or validation_failed with errors[]"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Applicant(account): Applicant,
    JsonObject(draft): JsonObject<NewDraft>,
) -> Result<Created<ApplicationView>, AppError> {
    let view =
        applications::create_draft(&state.db, account.id, &draft, chrono::Utc::now()).await?;
    Ok(Created(view))
}

/// Save a draft: applicant, values and originals to bring (replacing what was saved before).
#[utoipa::path(put, path = "/api/v1/applications/{number}", tag = "applications", request_body = DraftContent,
    params(("number" = String, Path, description = "办件编号")),
    responses(
        (status = 200, body = ApplicationView),
        (status = 404),
        (status = 409, description = "Already submitted"),
        (status = 422),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Someone(who): Someone,
    Path(number): Path<String>,
    JsonObject(content): JsonObject<DraftContent>,
) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(
        applications::update_draft(&state.db, who, &number, &content, chrono::Utc::now()).await?,
    ))
}

/// One of the applicant's applications.
#[utoipa::path(get, path = "/api/v1/applications/{number}", tag = "applications",
    params(("number" = String, Path, description = "办件编号")),
    responses(
        (status = 200, body = ApplicationView),
        (status = 404),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    Someone(who): Someone,
    Path(number): Path<String>,
) -> Result<Json<ApplicationView>, AppError> {
    match applications::get(&state.db, who, &number).await {
        Ok(Some(view)) => Ok(Json(view)),
        Ok(None) => Err(ApplicationError::NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

/// The applicant's applications, most recently changed first.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications",
    responses(
        (status = 200, body = [ApplicationView]),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Applicant(account): Applicant,
) -> Result<Json<Vec<ApplicationView>>, AppError> {
    Ok(Json(applications::list(&state.db, account.id).await?))
}

/// Delete one of the applicant's drafts.
#[utoipa::path(delete, path = "/api/v1/applications/{number}", tag = "applications",
    params(("number" = String, Path, description = "办件编号")),
    responses(
        (status = 204),
        (status = 404),
        (status = 409),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    Someone(who): Someone,
    Path(number): Path<String>,
) -> Result<StatusCode, AppError> {
    applications::delete_draft(
        &state.db,
        &state.materials,
        who,
        &number,
        chrono::Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Upload a material of a draft (the raw file as the body; its name, percent-encoded, in
/// `X-File-Name`). The type is recognised from the content; an earlier upload is replaced.
#[utoipa::path(put, path = "/api/v1/applications/{number}/materials/{code}", tag = "applications",
    params(("number" = String, Path, description = "申请编号"), ("code" = String, Path, description = "材料编码"),
        ("X-File-Name" = Option<String>, Header, description = "The file's name, percent-encoded UTF-8")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, body = UploadedMaterial),
        (status = 400, description = "upload_incomplete: the body ended before its Content-Length"),
        (status = 404, description = "application_not_found or material_not_found"),
        (status = 409, description = "not_a_draft"),
        (status = 413, description = "file_too_large"),
        (status = 422, description = "empty_file or file_type_not_accepted"),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((number, code)): Path<(String, String)>,
    body: Body,
) -> Result<Json<UploadedMaterial>, AppError> {
    let Someone(who) = Someone::from_headers(&state, &headers).await?;
    let slot = applications::upload_slot(&state.db, who, &number, &code).await?;
    let (limit, over) = slot.allowance();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(slot.refusal(over).into());
    }
    // Written to the store's staging area as it arrives: no upload is held in memory.
    let mut incoming = state.materials.receive().await?;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| incomplete())?;
        if incoming.size() + chunk.len() as u64 > limit {
            return Err(slot.refusal(over).into());
        }
        incoming.write(chunk).await?;
    }
    if declared.is_some_and(|n| n != incoming.size()) {
        return Err(incomplete());
    }
    let file_name = headers
        .get("x-file-name")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    applications::store_upload(
        &state.db,
        &state.materials,
        &slot,
        &file_name,
        incoming,
        chrono::Utc::now(),
    )
    .await
    .map(Json)
    .map_err(AppError::from)
}

fn incomplete() -> AppError {
    AppError::new(
        ErrorCode::UploadIncomplete,
        "文件没有完整上传（连接中断），请重新上传",
    )
}

/// Download an uploaded material (its owner only).
#[utoipa::path(get, path = "/api/v1/applications/{number}/materials/{code}", tag = "applications",
    params(("number" = String, Path, description = "申请编号或办件编号"), ("code" = String, Path, description = "材料编码")),
    responses(
        (status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 404, description = "application_not_found or upload_not_found"),
    ))]
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((number, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let Someone(who) = Someone::from_headers(&state, &headers).await?;
    let (file, size, bytes) =
        applications::download(&state.db, &state.materials, who, &number, &code).await?;
    let encoded =
        percent_encoding::utf8_percent_encode(&file.file_name, percent_encoding::NON_ALPHANUMERIC);
    let disposition = format!(
        "attachment; filename=\"{}.{}\"; filename*=UTF-8''{encoded}",
        file.code,
        file.file_type.extension()
    );
    Ok(crate::server::rest::file_response(
        file.file_type.media_type(),
        &disposition,
        size,
        bytes,
    ))
}

/// Remove an uploaded material from a draft.
#[utoipa::path(delete, path = "/api/v1/applications/{number}/materials/{code}", tag = "applications",
    params(("number" = String, Path, description = "申请编号"), ("code" = String, Path, description = "材料编码")),
    responses(
        (status = 204),
        (status = 404),
        (status = 409),
    ))]
pub async fn delete_upload(
    State(state): State<AppState>,
    Someone(who): Someone,
    Path((number, code)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    applications::delete_upload(
        &state.db,
        &state.materials,
        who,
        &number,
        &code,
        chrono::Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Submit a draft. Everything is checked again; on success the application has its case
/// number (办件编号), channel and receipt time. Submitting again answers with the same case.
#[utoipa::path(post, path = "/api/v1/applications/{number}/submit", tag = "applications",
    params(("number" = String, Path, description = "申请编号")),
    responses(
        (status = 200, description = "status `submitted`", body = ApplicationView),
        (status = 404),
        (status = 422, description = "validation_failed with errors[] (field, code, message)"),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    Someone(who): Someone,
    Path(number): Path<String>,
) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(
        applications::submit(&state.db, who, &number, chrono::Utc::now()).await?,
    ))
}

/// Resubmit after a correction notice (网上补齐补正): everything is checked again, and every
/// line of the notice must have been changed. The body may name the `version` the applicant
/// saw; a case that changed since answers 409 `case_changed`.
#[utoipa::path(post, path = "/api/v1/applications/{number}/resubmit", tag = "applications",
    params(("number" = String, Path, description = "申请编号或办件编号")),
    request_body(content = Option<ResubmitRequest>, content_type = "application/json"),
    responses(
        (status = 200, description = "status `submitted` again", body = ApplicationView),
        (status = 404),
        (status = 409, description = "not_in_correction or case_changed"),
        (status = 422, description = "validation_failed with errors[]: not_corrected for each line of the notice left unchanged, and every problem submission would report"),
    ))]
pub async fn resubmit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<ApplicationView>, AppError> {
    let Someone(who) = Someone::from_headers(&state, &headers).await?;
    let request: ResubmitRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ResubmitRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| AppError::new(ErrorCode::InvalidJson, format!("请求体字段有误：{e}")))?
    };
    Ok(Json(
        applications::resubmit(&state.db, who, &number, request.version, chrono::Utc::now())
            .await?,
    ))
}

/// The body of a resubmission (optional).
#[derive(serde::Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResubmitRequest {
    #[serde(default)]
    pub version: Option<i32>,
}

/// What links a window case to an account: its 办件编号 and the 查询码 on its receipt.
#[derive(serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    pub case_number: String,
    pub tracking_code: String,
}

/// Link a case taken at the window to this account (关联窗口办件), by the 查询码 printed on its
/// receipt. Then it is listed, followed and answered online like one's own. Wrong numbers
/// and codes get one answer and count against the client.
#[utoipa::path(post, path = "/api/v1/applications/claim", tag = "applications", request_body = ClaimRequest,
    responses(
        (status = 200, body = ApplicationView),
        (status = 404, description = "track_not_found: no window case with this number and code"),
        (status = 429, description = "too_many_attempts; see Retry-After"),
    ))]
pub async fn claim(
    State(state): State<AppState>,
    Applicant(account): Applicant,
    client: crate::server::client::ClientKey,
    JsonObject(form): JsonObject<ClaimRequest>,
) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(
        applications::claim(
            &state.db,
            account.id,
            &form.case_number,
            &form.tracking_code,
            &client,
            chrono::Utc::now(),
        )
        .await?,
    ))
}
