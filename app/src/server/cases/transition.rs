//! The one way a case changes status.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait, Value,
};

use super::Actor;
use super::history::{self, EventRecord};
use super::notices;
use crate::domain::case::{CaseAction, CaseStatus, EventDetail, TransitionError};
use crate::domain::decision::{TaskSeed, TaskStatus};
use crate::domain::notice::Notice;
use crate::server::entities::{application, item_decision, licence, notice, review_task};

/// How many times a transition is tried when its notice number was taken meanwhile.
const NOTICE_NUMBER_TRIES: usize = 5;

/// Why a case was not found, not shown, or not moved.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("没有这个办件，或不属于本部门")]
    NotFound,
    /// Administrators manage the system and review nothing.
    #[error("系统管理员不办理办件")]
    NotAReviewer,
    /// The role may look but not do this.
    #[error("{0}")]
    NotPermitted(&'static str),
    /// The case moved since the version the caller saw.
    #[error("办件已被他人处理或已有变化，请刷新后再操作")]
    Changed,
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// A status change to record: the action, why, the typed detail, the notices it issues, the
/// back-office rows it writes, and any columns the move sets besides the status (a
/// submission's case number, …).
pub struct Transition {
    pub action: CaseAction,
    pub reason: Option<String>,
    pub detail: Option<EventDetail>,
    pub notices: Vec<Notice>,
    pub effects: Vec<Effect>,
    pub columns: Vec<(application::Column, Value)>,
    /// Steps the system takes at once after this one, in the same transaction (a decision
    /// delivered online: 送达 with it), each a history row of its own.
    pub then: Vec<FollowUp>,
}

/// A step the system takes right after a transition, in its transaction.
pub struct FollowUp {
    pub action: CaseAction,
    pub reason: String,
    pub detail: Option<EventDetail>,
}

/// What a transition writes besides the case, its history and its notices, in the same
/// transaction: nothing of it exists unless the move commits.
pub enum Effect {
    /// Acceptance: the review tasks of every participating department (rule 11).
    OpenTasks(Vec<TaskSeed>),
    /// An item's decision (rule 12).
    RecordDecision(Box<item_decision::ActiveModel>),
    /// Withdrawal: every task not yet done ends.
    CloseTasks,
    /// The first claim of a case's task starts its review: the task is taken with the move,
    /// or the move does not happen ([`CaseError::Changed`] when another claim won).
    Claim(ClaimedBy),
    /// A granting decision: its signed electronic licences (rule 15).
    IssueLicences(Vec<licence::ActiveModel>),
}

/// A reviewer signing for a task (签收).
pub struct ClaimedBy {
    pub task_id: i32,
    pub staff_id: i32,
    /// As printed on the task: name and role.
    pub name: String,
}

/// Takes an open task for a reviewer: one conditional update, so of two claims exactly one
/// takes it. `false` when the task was no longer open.
pub async fn claim_task(
    db: &impl ConnectionTrait,
    claim: &ClaimedBy,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let taken = review_task::Entity::update_many()
        .col_expr(
            review_task::Column::Status,
            Expr::value(TaskStatus::Claimed.as_str()),
        )
        .col_expr(review_task::Column::ClaimedBy, Expr::value(claim.staff_id))
        .col_expr(
            review_task::Column::ClaimedByName,
            Expr::value(claim.name.clone()),
        )
        .col_expr(review_task::Column::ClaimedAt, Expr::value(now))
        .filter(review_task::Column::Id.eq(claim.task_id))
        .filter(review_task::Column::Status.eq(TaskStatus::Open.as_str()))
        .exec(db)
        .await
        .context("failed to claim a task")?
        .rows_affected;
    Ok(taken == 1)
}

impl Transition {
    /// A transition with nothing but its action.
    pub fn new(action: CaseAction) -> Self {
        Transition {
            action,
            reason: None,
            detail: None,
            notices: Vec::new(),
            effects: Vec::new(),
            columns: Vec::new(),
            then: Vec::new(),
        }
    }

    /// Followed at once, in the same transaction, by `step` taken by the system.
    pub fn followed_by(mut self, step: FollowUp) -> Self {
        self.then.push(step);
        self
    }

    /// With the reason written into the history.
    pub fn because(mut self, reason: String) -> Self {
        self.reason = Some(reason);
        self
    }

    /// With the typed detail of the history row.
    pub fn with_detail(mut self, detail: EventDetail) -> Self {
        self.detail = Some(detail);
        self
    }

    /// Issuing a notice (numbered in the same transaction); several are issued in order.
    pub fn issuing(mut self, notice: Notice) -> Self {
        self.notices.push(notice);
        self
    }

    /// Writing back-office rows with the move.
    pub fn with_effect(mut self, effect: Effect) -> Self {
        self.effects.push(effect);
        self
    }
}

/// Moves `case` by `t`, as `actor`, if it is still at `version`: the conditional update, the
/// history row with the applicant's messages, the effects, and the numbered notices, in one
/// transaction. Answers with the notices issued, in order.
pub async fn transition(
    db: &DatabaseConnection,
    case: &application::Model,
    version: i32,
    actor: &Actor,
    t: Transition,
    now: DateTime<Utc>,
) -> Result<Vec<notice::Model>, CaseError> {
    // A stale view first: whatever the case became, the caller has not seen it.
    if version != case.version {
        return Err(CaseError::Changed);
    }
    let from = CaseStatus::parse(&case.status)
        .ok_or_else(|| anyhow!("case {} has an unknown status {:?}", case.id, case.status))?;
    let to = from.apply(t.action)?;
    // The follow-up steps' arrows, from where the action leads.
    let mut steps = Vec::with_capacity(t.then.len());
    let mut last = to;
    for f in &t.then {
        let next = last.apply(f.action)?;
        steps.push((last, next));
        last = next;
    }
    for _ in 0..NOTICE_NUMBER_TRIES {
        let txn = db.begin().await.context("failed to begin")?;
        let mut update = application::Entity::update_many()
            .col_expr(application::Column::Status, Expr::value(last.as_str()))
            .col_expr(application::Column::Version, Expr::value(version + 1))
            .col_expr(application::Column::UpdatedAt, Expr::value(now));
        for (column, value) in &t.columns {
            update = update.col_expr(*column, Expr::value(value.clone()));
        }
        let moved = update
            .filter(application::Column::Id.eq(case.id))
            .filter(application::Column::Version.eq(version))
            .filter(application::Column::Status.eq(from.as_str()))
            .exec(&txn)
            .await
            .context("failed to move a case")?;
        if moved.rows_affected == 0 {
            return Err(CaseError::Changed);
        }
        history::append(
            &txn,
            EventRecord {
                application_id: case.id,
                actor,
                action: t.action,
                from,
                to,
                reason: t.reason.clone(),
                detail: t.detail.as_ref(),
            },
            now,
        )
        .await?;
        let system = Actor::system();
        for (f, (from, to)) in t.then.iter().zip(&steps) {
            history::append(
                &txn,
                EventRecord {
                    application_id: case.id,
                    actor: &system,
                    action: f.action,
                    from: *from,
                    to: *to,
                    reason: Some(f.reason.clone()),
                    detail: f.detail.as_ref(),
                },
                now,
            )
            .await?;
        }
        for effect in &t.effects {
            apply(&txn, case.id, effect, now).await?;
        }
        let mut issued = Vec::with_capacity(t.notices.len());
        for n in &t.notices {
            match notices::insert(&txn, case.id, n.clone(), now).await {
                Ok(model) => issued.push(model),
                Err(e) => {
                    tracing::debug!(error = ?e, "notice number taken, retrying");
                    break;
                }
            }
        }
        if issued.len() < t.notices.len() {
            continue;
        }
        txn.commit()
            .await
            .with_context(|| format!("failed to commit {}", t.action.as_str()))?;
        return Ok(issued);
    }
    Err(anyhow!("could not number a notice").into())
}

/// Writes one effect inside the transition's transaction.
async fn apply(
    txn: &impl ConnectionTrait,
    application_id: i32,
    effect: &Effect,
    now: DateTime<Utc>,
) -> Result<(), CaseError> {
    match effect {
        Effect::OpenTasks(seeds) => {
            for seed in seeds {
                review_task::ActiveModel {
                    application_id: Set(application_id),
                    item_code: Set(seed.item_code.clone()),
                    item_name: Set(seed.item_name.clone()),
                    department: Set(seed.department.clone()),
                    lead: Set(seed.lead),
                    limit_days: Set(seed.limit_days.map(|d| d.min(i32::MAX as u32) as i32)),
                    status: Set(TaskStatus::Open.as_str().into()),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await
                .context("failed to open a review task")?;
            }
        }
        Effect::RecordDecision(row) => {
            let mut row = (**row).clone();
            row.application_id = Set(application_id);
            row.decided_at = Set(now);
            row.insert(txn)
                .await
                .context("failed to record a decision")?;
        }
        Effect::CloseTasks => {
            review_task::Entity::update_many()
                .col_expr(
                    review_task::Column::Status,
                    Expr::value(TaskStatus::Closed.as_str()),
                )
                .col_expr(review_task::Column::CompletedAt, Expr::value(now))
                .filter(review_task::Column::ApplicationId.eq(application_id))
                .filter(
                    review_task::Column::Status
                        .is_in(TaskStatus::UNFINISHED.map(TaskStatus::as_str)),
                )
                .exec(txn)
                .await
                .context("failed to close review tasks")?;
        }
        Effect::IssueLicences(rows) => {
            for row in rows {
                let mut row = row.clone();
                row.application_id = Set(application_id);
                row.insert(txn).await.context("failed to issue a licence")?;
            }
        }
        Effect::Claim(claim) => {
            // Dropping the transaction on the way out rolls the move back.
            if !claim_task(txn, claim, now).await? {
                return Err(CaseError::Changed);
            }
        }
    }
    Ok(())
}
