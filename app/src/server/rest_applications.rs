//! `/api/v1/applications`: an applicant's drafts. Someone else's number answers 404, exactly
//! as a number that does not exist.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::applications::{self, ApplicationError, ApplicationView, DraftValues, NewDraft};
use super::rest::{ApiError, problem, validation_problem};
use super::rest_accounts::{json_object, require_account};
use super::state::AppState;

impl IntoResponse for ApplicationError {
    fn into_response(self) -> Response {
        match self {
            ApplicationError::ItemOrBundle => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "item_or_bundle",
                self.to_string(),
            ),
            ApplicationError::UnknownItem(_) => problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_item",
                self.to_string(),
            ),
            ApplicationError::Invalid(errors) => validation_problem(errors),
            ApplicationError::NotFound => problem(
                StatusCode::NOT_FOUND,
                "application_not_found",
                self.to_string(),
            ),
            ApplicationError::NotADraft => {
                problem(StatusCode::CONFLICT, "not_a_draft", self.to_string())
            }
            ApplicationError::Internal(e) => ApiError::Internal(e).into_response(),
        }
    }
}

/// Start a draft for an item or a bundle.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", request_body = NewDraft,
    responses(
        (status = 201, body = ApplicationView),
        (status = 400, body = super::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 401, body = super::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "item_or_bundle, unknown_item, or validation_failed with errors[]", body = super::rest::ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Response, Response> {
    let account = require_account(&state, &headers).await?;
    let draft: NewDraft = json_object(body).map_err(IntoResponse::into_response)?;
    let view = applications::create_draft(&state.db, account.id, &draft, chrono::Utc::now())
        .await
        .map_err(IntoResponse::into_response)?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// Save a draft's values (replacing those saved before).
#[utoipa::path(put, path = "/api/v1/applications/{number}", tag = "applications", request_body = DraftValues,
    params(("number" = String, Path, description = "办件编号")),
    responses(
        (status = 200, body = ApplicationView),
        (status = 404, body = super::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted", body = super::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 422, body = super::rest::ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Json<ApplicationView>, Response> {
    let account = require_account(&state, &headers).await?;
    let values: DraftValues = json_object(body).map_err(IntoResponse::into_response)?;
    applications::update_draft(&state.db, account.id, &number, &values, chrono::Utc::now())
        .await
        .map(Json)
        .map_err(IntoResponse::into_response)
}

/// One of the applicant's applications.
#[utoipa::path(get, path = "/api/v1/applications/{number}", tag = "applications",
    params(("number" = String, Path, description = "办件编号")),
    responses(
        (status = 200, body = ApplicationView),
        (status = 404, body = super::rest::ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Json<ApplicationView>, Response> {
    let account = require_account(&state, &headers).await?;
    match applications::get(&state.db, account.id, &number).await {
        Ok(Some(view)) => Ok(Json(view)),
        Ok(None) => Err(ApplicationError::NotFound.into_response()),
        Err(e) => Err(e.into_response()),
    }
}

/// The applicant's applications, most recently changed first.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications",
    responses(
        (status = 200, body = [ApplicationView]),
        (status = 401, body = super::rest::ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<ApplicationView>>, Response> {
    let account = require_account(&state, &headers).await?;
    applications::list(&state.db, account.id)
        .await
        .map(Json)
        .map_err(IntoResponse::into_response)
}

/// Delete one of the applicant's drafts.
#[utoipa::path(delete, path = "/api/v1/applications/{number}", tag = "applications",
    params(("number" = String, Path, description = "办件编号")),
    responses(
        (status = 204),
        (status = 404, body = super::rest::ProblemDetails, content_type = "application/problem+json"),
        (status = 409, body = super::rest::ProblemDetails, content_type = "application/problem+json"),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<StatusCode, Response> {
    let account = require_account(&state, &headers).await?;
    applications::delete_draft(&state.db, account.id, &number)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(StatusCode::NO_CONTENT)
}
