//! The one way a case changes status.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait, Value};

use super::Actor;
use super::history::{self, EventRecord};
use super::notices;
use crate::domain::case::{CaseAction, CaseStatus, EventDetail, TransitionError};
use crate::domain::notice::Notice;
use crate::server::entities::{application, notice};

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

/// A status change to record: the action, why, the typed detail, the notice it issues, and
/// any columns the move sets besides the status (a submission's case number, …).
pub struct Transition {
    pub action: CaseAction,
    pub reason: Option<String>,
    pub detail: Option<EventDetail>,
    pub notice: Option<Notice>,
    pub columns: Vec<(application::Column, Value)>,
}

impl Transition {
    /// A transition with nothing but its action.
    pub fn new(action: CaseAction) -> Self {
        Transition {
            action,
            reason: None,
            detail: None,
            notice: None,
            columns: Vec::new(),
        }
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

    /// Issuing a notice (numbered in the same transaction).
    pub fn issuing(mut self, notice: Notice) -> Self {
        self.notice = Some(notice);
        self
    }
}

/// Moves `case` by `t`, as `actor`, if it is still at `version`: the conditional update, the
/// history row with the applicant's messages, and the numbered notice, in one transaction.
/// Answers with the notice issued, if any.
pub async fn transition(
    db: &DatabaseConnection,
    case: &application::Model,
    version: i32,
    actor: &Actor,
    t: Transition,
    now: DateTime<Utc>,
) -> Result<Option<notice::Model>, CaseError> {
    // A stale view first: whatever the case became, the caller has not seen it.
    if version != case.version {
        return Err(CaseError::Changed);
    }
    let from = CaseStatus::parse(&case.status)
        .ok_or_else(|| anyhow!("case {} has an unknown status {:?}", case.id, case.status))?;
    let to = from.apply(t.action)?;
    for _ in 0..NOTICE_NUMBER_TRIES {
        let txn = db.begin().await.context("failed to begin")?;
        let mut update = application::Entity::update_many()
            .col_expr(application::Column::Status, Expr::value(to.as_str()))
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
        let issued = match &t.notice {
            None => None,
            Some(n) => match notices::insert(&txn, case.id, n.clone(), now).await {
                Ok(model) => Some(model),
                Err(e) => {
                    tracing::debug!(error = ?e, "notice number taken, retrying");
                    continue;
                }
            },
        };
        txn.commit()
            .await
            .with_context(|| format!("failed to commit {}", t.action.as_str()))?;
        return Ok(issued);
    }
    Err(anyhow!("could not number a notice").into())
}
