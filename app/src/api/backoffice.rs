//! The back office as the pages call it: the 待办 queue, signing for and completing a task,
//! a case's back office, decisions, 即办件, 容缺 confirmation and withdrawal. The JSON API
//! (`/api/v1/review/tasks`, `/api/v1/review/cases/{number}/…`) calls the same services.

use leptos::prelude::*;

use crate::domain::decision::{OpinionRequest, WithdrawalRequest};
use crate::error::AppError;
pub use crate::views::backoffice::*;
use crate::views::review::NoticeView;

/// The department's review tasks.
#[server(prefix = "/sf", endpoint = "backoffice/tasks")]
pub async fn load_task_queue(filter: TaskFilter) -> Result<TaskQueue, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        review::task_queue(&state.db, &state.track.reference, me, &filter, now).await
    })
    .await
}

/// 签收 a task.
#[server(prefix = "/sf", endpoint = "backoffice/claim")]
pub async fn claim_task(task: i32) -> Result<TaskView, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        review::claim_task(&state.db, me, task, now).await
    })
    .await
}

/// Completes a task with the department's opinion.
#[server(prefix = "/sf", endpoint = "backoffice/complete")]
pub async fn complete_task(task: i32, opinion: OpinionRequest) -> Result<TaskView, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        review::complete_task(&state.db, me, task, &opinion, now).await
    })
    .await
}

/// Decides one item (the chief representative of its department).
#[server(prefix = "/sf", endpoint = "backoffice/decide")]
pub async fn decide(number: String, action: DecisionAction) -> Result<DecisionResult, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        let request = action.request();
        review::decide(&state.db, me, &number, action.version, &request, now).await
    })
    .await
}

/// 即办件: accepted and decided at the window.
#[server(prefix = "/sf", endpoint = "backoffice/on-the-spot")]
pub async fn decide_on_the_spot(
    number: String,
    action: OnTheSpotAction,
) -> Result<DecisionResult, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        review::decide_on_the_spot(&state.db, me, &number, &action, now).await
    })
    .await
}

/// The window records a delivery step (寄出, 妥投, 领取).
#[server(prefix = "/sf", endpoint = "backoffice/deliver")]
pub async fn deliver_result(
    number: String,
    action: DeliveryAction,
) -> Result<DeliveryView, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        review::deliver(&state.db, me, &number, &action, now).await
    })
    .await
}

/// The window confirms a 容缺 material.
#[server(prefix = "/sf", endpoint = "backoffice/confirm-deferred")]
pub async fn confirm_deferred_material(
    number: String,
    action: ConfirmDeferredAction,
) -> Result<BackOffice, AppError> {
    use crate::server::services::review;
    crate::server::auth::as_staff(async |state, me, now| {
        review::confirm_deferred(&state.db, me, &number, &action, now).await
    })
    .await
}

/// Withdraws an application: the applicant online, or the window for one made in the hall
/// (whoever is signed in; staff first).
#[server(prefix = "/sf", endpoint = "backoffice/withdraw")]
pub async fn withdraw(number: String, request: WithdrawalRequest) -> Result<NoticeView, AppError> {
    use crate::server::auth::{Applicant, MaybeStaff, extract};
    use crate::server::services::review::{self, Withdrawer};
    let state = crate::server::state::expect_state()?;
    let now = chrono::Utc::now();
    let result = if let MaybeStaff(Some(me)) = extract().await? {
        review::withdraw(&state.db, Withdrawer::Staff(&me), &number, &request, now).await
    } else {
        let Applicant(account) = extract().await?;
        review::withdraw(
            &state.db,
            Withdrawer::Applicant(account.id),
            &number,
            &request,
            now,
        )
        .await
    };
    result.map_err(crate::server::error::refused)
}
