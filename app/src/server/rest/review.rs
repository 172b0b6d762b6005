//! `/api/v1/staff/…` and `/api/v1/review/…`: staff login, the pre-review queue, cases, the
//! four actions, notices (JSON, and printable HTML at `/cases/{number}/notices/{id}`), and
//! staff accounts for administrators.
//!
//! Authorization on every endpoint: no staff session → 401 `not_logged_in`; an administrator
//! → 403 `not_a_reviewer`; another department's case → 404 `case_not_found` (as for a number
//! that does not exist); a role that does not act → 403 `not_permitted`.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::domain::review::StaffRole;
use crate::server::auth::{Applicant, Staff};
use crate::server::error::{AppError, ErrorCode};
use crate::server::rest::body::{Created, JsonObject, from_json_value, json_object, with_cookie};
use crate::server::services::accounts::AccountError;
use crate::server::services::review::{self, Viewer};
use crate::server::services::staff::{self, NewStaff, STAFF_COOKIE, StaffInfo};
use crate::server::state::AppState;
use crate::views::applications::ApplicationView;
use crate::views::review::{
    AcceptRequest, CorrectionAction, DeficiencyAction, ExtendAction, NoticeView, Queue,
    QueueFilter, RejectAction, ResumeAction, ReviewCommand, StaffCase, SuspendAction,
};

/// A staff login as typed.
#[derive(Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct StaffLoginForm {
    pub login: String,
    pub password: String,
}

/// Staff login; sets the HttpOnly staff session cookie (`ow_staff`).
#[utoipa::path(post, path = "/api/v1/staff/login", tag = "review", request_body = StaffLoginForm,
    responses(
        (status = 200, body = StaffInfo),
        (status = 401, description = "invalid_credentials"),
        (status = 429, description = "too_many_attempts; see Retry-After"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    client: crate::server::client::ClientKey,
    JsonObject(form): JsonObject<StaffLoginForm>,
) -> Result<Response, AppError> {
    let (token, me) = staff::login(
        &state.db,
        &form.login,
        &form.password,
        &client,
        chrono::Utc::now(),
    )
    .await
    .map_err(|e| match e {
        AccountError::InvalidCredentials => {
            AppError::new(ErrorCode::InvalidCredentials, "工号或密码不正确")
        }
        other => other.into(),
    })?;
    let cookie = staff::staff_cookie(&token, state.secure_cookies);
    Ok(with_cookie(cookie, Json(me)))
}

/// Staff logout.
#[utoipa::path(post, path = "/api/v1/staff/logout", tag = "review", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = staff_token(&headers) {
        staff::logout(&state.db, token).await?;
    }
    let cookie = staff::clear_staff_cookie(state.secure_cookies);
    Ok(with_cookie(cookie, StatusCode::NO_CONTENT))
}

/// The signed-in staff member.
#[utoipa::path(get, path = "/api/v1/staff/me", tag = "review",
    responses((status = 200, body = StaffInfo)))]
pub async fn me(Staff(me): Staff) -> Json<StaffInfo> {
    Json(me)
}

/// The department's pre-review queue, oldest first, with the number waiting and the oldest
/// age in working days.
#[utoipa::path(get, path = "/api/v1/review/queue", tag = "review", params(QueueFilter),
    responses(
        (status = 200, body = Queue),
        (status = 403, description = "not_a_reviewer"),
        (status = 422, description = "validation_failed: an unknown status or channel"),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(filter): Query<QueueFilter>,
) -> Result<Json<Queue>, AppError> {
    Ok(Json(
        review::queue(
            &state.db,
            &state.track.reference,
            &me,
            &filter,
            chrono::Utc::now(),
        )
        .await?,
    ))
}

/// A case of the department: values, materials against the guide, history, notices.
#[utoipa::path(get, path = "/api/v1/review/cases/{number}", tag = "review",
    params(("number" = String, Path, description = "办件编号")),
    responses(
        (status = 200, body = StaffCase),
        (status = 404, description = "case_not_found (also for another department's case)"),
    ))]
pub async fn case(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(number): Path<String>,
) -> Result<Json<StaffCase>, AppError> {
    Ok(Json(
        review::case(&state.db, &me, &number, chrono::Utc::now()).await?,
    ))
}

/// A body of one of the seven actions, for the OpenAPI document: which one goes with which
/// `{action}` is said in the operation's description.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ActionBody {
    Accept(AcceptRequest),
    AcceptWithDeficiency(DeficiencyAction),
    Reject(RejectAction),
    CorrectionNotice(CorrectionAction),
    Suspend(SuspendAction),
    Resume(ResumeAction),
    Extend(ExtendAction),
}

/// An action on a case, with the version seen; 201 with the numbered notice it issues.
/// `accept` (受理; body `AcceptRequest`), `accept-with-deficiency` (容缺受理, docs/rules.md,
/// rule 7; `DeficiencyAction`), `reject` (不予受理 with reason and legal basis; `RejectAction`),
/// `correction-notice` (一次性告知, rules 1 and 2; `CorrectionAction`), `suspend` (特别程序: the
/// decision clock stops from `start`; `SuspendAction`), `resume` (the clock runs again;
/// `ResumeAction`), `extend` (the one extension, 10 or 15 working days; `ExtendAction`).
#[utoipa::path(post, path = "/api/v1/review/cases/{number}/{action}", tag = "review",
    params(("number" = String, Path, description = "办件编号"),
        ("action" = String, Path, description = "accept, accept-with-deficiency, reject, correction-notice, suspend, resume or extend")),
    request_body = ActionBody,
    responses(
        (status = 201, body = NoticeView),
        (status = 403, description = "not_permitted / not_a_reviewer"),
        (status = 404, description = "case_not_found (also another department's case), or not_found for an unknown action"),
        (status = 409, description = "case_changed (reload) or invalid_transition"),
        (status = 422, description = "validation_failed with errors[] (the rule's codes, e.g. missing_material, not_deferrable, blacklisted, not_in_guide, not_changed, reason_required, once_only), or calendar_year_missing"),
    ))]
pub async fn act(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path((number, action)): Path<(String, String)>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Created<NoticeView>, AppError> {
    type Parse = fn(serde_json::Value) -> Result<ReviewCommand, AppError>;
    let command: Parse = match action.as_str() {
        "accept" => |v| from_json_value(v).map(ReviewCommand::Accept),
        "accept-with-deficiency" => |v| from_json_value(v).map(ReviewCommand::AcceptWithDeficiency),
        "reject" => |v| from_json_value(v).map(ReviewCommand::Reject),
        "correction-notice" => |v| from_json_value(v).map(ReviewCommand::RequestCorrection),
        "suspend" => |v| from_json_value(v).map(ReviewCommand::Suspend),
        "resume" => |v| from_json_value(v).map(ReviewCommand::Resume),
        "extend" => |v| from_json_value(v).map(ReviewCommand::Extend),
        _ => {
            return Err(AppError::new(
                ErrorCode::NotFound,
                "没有这个接口，请查看 /api/openapi.json",
            ));
        }
    };
    let body: serde_json::Value = json_object(body)?;
    let command = command(body)?;
    let notice = review::act(&state.db, &me, &number, &command, chrono::Utc::now()).await?;
    Ok(Created(notice))
}

/// A notice of a department's case, as JSON (the printable page is
/// `/cases/{number}/notices/{id}`).
#[utoipa::path(get, path = "/api/v1/review/cases/{number}/notices/{id}", tag = "review",
    params(("number" = String, Path, description = "办件编号"), ("id" = i32, Path, description = "通知书序号")),
    responses((status = 200, body = NoticeView), (status = 404)))]
pub async fn staff_notice(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path((number, id)): Path<(String, i32)>,
) -> Result<Response, AppError> {
    Ok(found(
        review::notice(&state.db, &Viewer::Staff(me), &number, id).await,
    ))
}

/// A notice of one of the applicant's cases, as JSON.
#[utoipa::path(get, path = "/api/v1/applications/{number}/notices/{id}", tag = "applications",
    params(("number" = String, Path, description = "办件编号"), ("id" = i32, Path, description = "通知书序号")),
    responses((status = 200, body = NoticeView), (status = 404)))]
pub async fn applicant_notice(
    State(state): State<AppState>,
    Applicant(account): Applicant,
    Path((number, id)): Path<(String, i32)>,
) -> Result<Response, AppError> {
    Ok(found(
        review::notice(&state.db, &Viewer::Applicant(account.id), &number, id).await,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MaterialQuery {
    /// A file replaced in a fix-up (its id in the case's `replaced` list).
    pub replaced: Option<i32>,
}

/// A material of a department's case (the current file, or one replaced in a fix-up), for
/// the preview beside the guide's requirement.
#[utoipa::path(get, path = "/api/v1/review/cases/{number}/materials/{code}", tag = "review",
    params(("number" = String, Path, description = "办件编号"), ("code" = String, Path, description = "材料编码"), MaterialQuery),
    responses((status = 200, description = "The file, inline", content_type = "application/octet-stream"), (status = 404)))]
pub async fn material(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path((number, code)): Path<(String, String)>,
    Query(q): Query<MaterialQuery>,
) -> Result<Response, AppError> {
    let (file_name, file_type, size, bytes) =
        review::material(&state.db, &state.materials, &me, &number, &code, q.replaced).await?;
    let media = crate::domain::catalog::FileType::parse(&file_type)
        .map_or("application/octet-stream", |t| t.media_type());
    let encoded =
        percent_encoding::utf8_percent_encode(&file_name, percent_encoding::NON_ALPHANUMERIC);
    let disposition = format!("inline; filename*=UTF-8''{encoded}");
    Ok(crate::server::rest::file_response(
        media,
        &disposition,
        size,
        bytes,
    ))
}

/// Start an application at the window (in-hall intake); then fill it in with the same
/// `/api/v1/applications/{number}` endpoints as an applicant, under the staff session.
#[utoipa::path(post, path = "/api/v1/review/intake", tag = "review", request_body = IntakeRequest,
    responses(
        (status = 201, body = ApplicationView),
        (status = 403, description = "not_permitted or other_department"),
        (status = 422, description = "item_or_bundle, unknown_item"),
    ))]
pub async fn intake(
    State(state): State<AppState>,
    Staff(me): Staff,
    JsonObject(r): JsonObject<IntakeRequest>,
) -> Result<Created<ApplicationView>, AppError> {
    let view = crate::server::services::applications::start_intake(
        &state.db,
        &me,
        r.item,
        r.bundle,
        chrono::Utc::now(),
    )
    .await?;
    Ok(Created(view))
}

/// What an in-hall intake is for: exactly one of `item` and `bundle`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeRequest {
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub bundle: Option<String>,
}

/// Create a staff account (administrators only).
#[utoipa::path(post, path = "/api/v1/admin/staff", tag = "review", request_body = NewStaff,
    responses(
        (status = 201, body = StaffInfo),
        (status = 403, description = "admin_only"),
        (status = 422, description = "validation_failed"),
    ))]
pub async fn create_staff(
    State(state): State<AppState>,
    Staff(me): Staff,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Created<StaffInfo>, AppError> {
    if me.role != StaffRole::Admin {
        return Err(AppError::new(
            ErrorCode::AdminOnly,
            "只有系统管理员可以管理工作人员账号",
        ));
    }
    let form: NewStaff = json_object(body)?;
    let created = staff::create(&state.db, &form, chrono::Utc::now()).await?;
    Ok(Created(created))
}

fn staff_token(headers: &HeaderMap) -> Option<&str> {
    crate::server::auth::header_cookie(headers, STAFF_COOKIE)
}

fn found(result: anyhow::Result<Option<NoticeView>>) -> Response {
    match result {
        Ok(Some(n)) => Json(n).into_response(),
        Ok(None) => AppError::new(ErrorCode::NoticeNotFound, "没有这份通知书").into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}
