//! `/api/v1/review/tasks/…` and the back-office actions on a case: the department's 待办
//! queue, signing for a task (签收) and completing it with an opinion, each item's decision,
//! 即办件 decided at the window, 容缺 materials confirmed, and withdrawal (the applicant's at
//! `/api/v1/applications/{number}/withdrawal`).
//!
//! Authorization: no staff session → 401; an administrator → 403 `not_a_reviewer`; another
//! department's task or case → 404; a role that may not do it → 403 `not_permitted`.

use axum::Json;
use axum::extract::{Path, Query, State};

use crate::domain::decision::{OpinionRequest, WithdrawalRequest};
use crate::server::auth::{Applicant, Staff};
use crate::server::error::AppError;
use crate::server::rest::body::{Created, JsonObject};
use crate::server::services::review::{self, Withdrawer};
use crate::server::state::AppState;
use crate::views::backoffice::{
    BackOffice, ConfirmDeferredAction, DecisionAction, DecisionResult, DeliveryAction,
    DeliveryView, OnTheSpotAction, TaskFilter, TaskQueue, TaskView,
};
use crate::views::review::NoticeView;

/// The department's review tasks (待办 by default), due soonest first, with counts per status.
#[utoipa::path(get, path = "/api/v1/review/tasks", tag = "backoffice", params(TaskFilter),
    responses(
        (status = 200, body = TaskQueue),
        (status = 403, description = "not_a_reviewer"),
        (status = 422, description = "validation_failed: an unknown status"),
    ))]
pub async fn tasks(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(filter): Query<TaskFilter>,
) -> Result<Json<TaskQueue>, AppError> {
    Ok(Json(
        review::task_queue(
            &state.db,
            &state.track.reference,
            &me,
            &filter,
            chrono::Utc::now(),
        )
        .await?,
    ))
}

/// 签收: the reviewer takes the task. Of two reviewers at once, one gets 201 and the other
/// 409 `task_taken`.
#[utoipa::path(post, path = "/api/v1/review/tasks/{id}/claim", tag = "backoffice",
    params(("id" = i32, Path, description = "审查任务序号")),
    responses(
        (status = 201, body = TaskView),
        (status = 403, description = "not_permitted (window staff, supervisors) / not_a_reviewer"),
        (status = 404, description = "task_not_found (also another department's task)"),
        (status = 409, description = "task_taken, task_done, task_closed, case_not_in_review"),
    ))]
pub async fn claim(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i32>,
) -> Result<Created<TaskView>, AppError> {
    let task = review::claim_task(&state.db, &me, id, chrono::Utc::now()).await?;
    Ok(Created(task))
}

/// Completes the task with the department's opinion: 同意 (optionally with conditions), or
/// 不同意 with the reason and the legal basis.
#[utoipa::path(post, path = "/api/v1/review/tasks/{id}/complete", tag = "backoffice",
    params(("id" = i32, Path, description = "审查任务序号")), request_body = OpinionRequest,
    responses(
        (status = 200, body = TaskView),
        (status = 403, description = "not_permitted / not_a_reviewer"),
        (status = 404, description = "task_not_found"),
        (status = 409, description = "task_not_claimed, task_taken, task_done, task_closed, case_suspended, case_not_in_review"),
        (status = 422, description = "validation_failed: reason_required, legal_basis_required, conditions_need_agreement, too_long"),
    ))]
pub async fn complete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i32>,
    JsonObject(opinion): JsonObject<OpinionRequest>,
) -> Result<Json<TaskView>, AppError> {
    Ok(Json(
        review::complete_task(&state.db, &me, id, &opinion, chrono::Utc::now()).await?,
    ))
}

/// A case's back office: its items and their departments, every task, every decision, the
/// 容缺 materials. For the departments taking part.
#[utoipa::path(get, path = "/api/v1/review/cases/{number}/back-office", tag = "backoffice",
    params(("number" = String, Path, description = "办件编号")),
    responses(
        (status = 200, body = BackOffice),
        (status = 404, description = "case_not_found (also a case the department takes no part in)"),
    ))]
pub async fn back_office(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(number): Path<String>,
) -> Result<Json<BackOffice>, AppError> {
    let row = crate::server::cases::department_case(&state.db, &me, &number).await?;
    let history = crate::server::cases::history_of(&state.db, row.id).await?;
    Ok(Json(
        review::back_office_of(&state.db, &row, &history).await?,
    ))
}

/// 审查决定 on one item by the chief representative of its department; the last item decided
/// decides the case and issues its one decision notice (准予 / 不予行政许可决定书, or one
/// 决定书 listing every item of a bundle). 201 with what it did.
#[utoipa::path(post, path = "/api/v1/review/cases/{number}/decision", tag = "backoffice",
    params(("number" = String, Path, description = "办件编号")), request_body = DecisionAction,
    responses(
        (status = 201, body = DecisionResult),
        (status = 403, description = "not_permitted: not the chief representative of the item's department"),
        (status = 404, description = "case_not_found"),
        (status = 409, description = "case_changed"),
        (status = 422, description = "validation_failed: task_open, not_all_agree, deferred_material_outstanding, case_suspended, case_not_in_review, already_decided, unknown_item, reason_required, legal_basis_required"),
    ))]
pub async fn decide(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(number): Path<String>,
    JsonObject(a): JsonObject<DecisionAction>,
) -> Result<Created<DecisionResult>, AppError> {
    let result = review::decide(
        &state.db,
        &me,
        &number,
        a.version,
        &a.request(),
        chrono::Utc::now(),
    )
    .await?;
    Ok(Created(result))
}

/// 送达 (rule 14): the window records a step of the result's delivery by the method the
/// applicant chose: `mail` (carrier and waybill), then `received`; or `pick_up` (the
/// collector's name and ID card, checked). The last step ends the case (办结). A result
/// chosen for 网上下载 needs nothing: it is delivered with the decision (`online` records it
/// for a case decided before the choice was asked). 201 with the delivery.
#[utoipa::path(post, path = "/api/v1/review/cases/{number}/delivery", tag = "backoffice",
    params(("number" = String, Path, description = "办件编号")), request_body = DeliveryAction,
    responses(
        (status = 201, body = DeliveryView),
        (status = 403, description = "not_permitted: only the receiving department's window staff and chief"),
        (status = 404, description = "case_not_found"),
        (status = 409, description = "case_changed, invalid_transition"),
        (status = 422, description = "validation_failed: not_decided, already_delivered, delivered_online, wrong_method, delivery_not_offered, already_mailed, not_mailed, and field problems (carrier, waybill, collector_name, collector_id_number)"),
    ))]
pub async fn deliver(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(number): Path<String>,
    JsonObject(a): JsonObject<DeliveryAction>,
) -> Result<Created<DeliveryView>, AppError> {
    let view = review::deliver(&state.db, &me, &number, &a, chrono::Utc::now()).await?;
    Ok(Created(view))
}

/// 即办件: the window accepts and decides in one step (当场办结); the acceptance notice and the
/// decision notice are issued. 201 with the decision.
#[utoipa::path(post, path = "/api/v1/review/cases/{number}/decision-on-the-spot", tag = "backoffice",
    params(("number" = String, Path, description = "办件编号")), request_body = OnTheSpotAction,
    responses(
        (status = 201, body = DecisionResult),
        (status = 403, description = "not_permitted"),
        (status = 404, description = "case_not_found"),
        (status = 409, description = "case_changed, invalid_transition"),
        (status = 422, description = "validation_failed: not_immediate, material_missing, reason_required, legal_basis_required"),
    ))]
pub async fn decide_on_the_spot(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(number): Path<String>,
    JsonObject(a): JsonObject<OnTheSpotAction>,
) -> Result<Created<DecisionResult>, AppError> {
    let result =
        review::decide_on_the_spot(&state.db, &me, &number, &a, chrono::Utc::now()).await?;
    Ok(Created(result))
}

/// The window confirms (核验) a 容缺 material the applicant supplied; answers with the case's
/// back office.
#[utoipa::path(post, path = "/api/v1/review/cases/{number}/deferred-confirmation", tag = "backoffice",
    params(("number" = String, Path, description = "办件编号")), request_body = ConfirmDeferredAction,
    responses(
        (status = 200, body = BackOffice),
        (status = 403, description = "not_permitted"),
        (status = 404, description = "case_not_found"),
        (status = 409, description = "case_changed, invalid_transition"),
        (status = 422, description = "validation_failed: not_deferred, already_confirmed"),
    ))]
pub async fn confirm_deferred(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(number): Path<String>,
    JsonObject(a): JsonObject<ConfirmDeferredAction>,
) -> Result<Json<BackOffice>, AppError> {
    Ok(Json(
        review::confirm_deferred(&state.db, &me, &number, &a, chrono::Utc::now()).await?,
    ))
}

/// The window records a withdrawal made in the hall; 201 with the 撤回申请确认书.
#[utoipa::path(post, path = "/api/v1/review/cases/{number}/withdrawal", tag = "backoffice",
    params(("number" = String, Path, description = "办件编号")), request_body = WithdrawalRequest,
    responses(
        (status = 201, body = NoticeView),
        (status = 403, description = "not_permitted"),
        (status = 404, description = "case_not_found"),
        (status = 409, description = "case_changed, invalid_transition"),
        (status = 422, description = "validation_failed: not_withdrawable, reason_required"),
    ))]
pub async fn staff_withdrawal(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(number): Path<String>,
    JsonObject(r): JsonObject<WithdrawalRequest>,
) -> Result<Created<NoticeView>, AppError> {
    let notice = review::withdraw(
        &state.db,
        Withdrawer::Staff(&me),
        &number,
        &r,
        chrono::Utc::now(),
    )
    .await?;
    Ok(Created(notice))
}

/// The applicant withdraws the application before a decision (撤回申请); 201 with the
/// numbered confirmation.
#[utoipa::path(post, path = "/api/v1/applications/{number}/withdrawal", tag = "applications",
    params(("number" = String, Path, description = "办件编号")), request_body = WithdrawalRequest,
    responses(
        (status = 201, body = NoticeView),
        (status = 404, description = "case_not_found (not the applicant's)"),
        (status = 409, description = "case_changed, invalid_transition"),
        (status = 422, description = "validation_failed: not_withdrawable, reason_required"),
    ))]
pub async fn applicant_withdrawal(
    State(state): State<AppState>,
    Applicant(account): Applicant,
    Path(number): Path<String>,
    JsonObject(r): JsonObject<WithdrawalRequest>,
) -> Result<Created<NoticeView>, AppError> {
    let notice = review::withdraw(
        &state.db,
        Withdrawer::Applicant(account.id),
        &number,
        &r,
        chrono::Utc::now(),
    )
    .await?;
    Ok(Created(notice))
}
