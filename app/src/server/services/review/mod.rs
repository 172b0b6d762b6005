//! Pre-review at the window: the queue, a case as staff see it, the four actions, notices,
//! and the five-day rule's job.
//!
//! Every action runs in one transaction: a conditional `UPDATE … WHERE version = ? AND
//! status = ?` (so of two staff acting at once exactly one wins, and the other is told the
//! case changed), the history row, and the numbered notice. The rules themselves are the pure
//! functions of `domain::review`.
//!
//! Who may do what: administrators see no cases; other staff see their own department's
//! (another department's case is "not found", so its existence is not disclosed); only window
//! staff and the chief representative act.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::clock::china_date;
use crate::domain::account::FieldProblem;
use crate::domain::apply::{ApplicantForm, ApplicationForm};
use crate::domain::calendar::{WorkingCalendar, YearNotLoaded};
use crate::domain::case::{
    CaseAction, CaseSnapshot, CaseStatus, Channel, EventDetail, TransitionError,
};
use crate::domain::date::Date;
use crate::domain::deadline::{
    CheckedSuspension, Deadlines, ExtensionRequest, HistoryStep, Limits, ResumeRequest,
    Step as DeadlineStep, SuspendRequest, check_extension, check_resume, check_suspend, deadlines,
};
use crate::domain::notice::{Notice, NoticeKind, NoticeLine};
use crate::domain::review::{
    CorrectionItem, DeficiencyRequest, RejectionRequest, check_accept, check_correction,
    check_deficiency, check_rejection, promised_due,
};
use crate::server::cases::{self, Actor, CaseError, Transition};
use crate::server::entities::{
    application, application_material, case_event, credit_blacklist, department, material_history,
    notice,
};
use crate::server::services::applications;
use crate::server::services::calendar;
use crate::server::services::catalog;
use crate::server::services::reference::ReferenceCache;
use crate::views::backoffice::Paging;
pub use crate::views::review::{
    CaseEventView, NoticeView, Queue, QueueEntry, QueueFilter, ReplacedMaterial, ReviewCommand,
    StaffCase, StaffInfo,
};

/// Most cases a queue page lists.
const QUEUE_LIMIT: u64 = 500;

/// Most rows of a finished status (an ended case, a task done) a list counts: that history
/// grows for ever, and a count past this reads "more than", so that counting costs the same
/// after ten years as after one.
const FINISHED_COUNTED: u64 = 1000;

/// How many rows of `query` stand at each of `statuses` (in `column`): the `open` ones
/// exactly, in one query; the others up to [`FINISHED_COUNTED`], with whether there are more.
async fn count_by_status<E: sea_orm::EntityTrait>(
    db: &DatabaseConnection,
    query: sea_orm::Select<E>,
    column: E::Column,
    statuses: &[&'static str],
    open: &[&'static str],
) -> anyhow::Result<Vec<(u32, bool)>>
where
    E::Model: Sync,
{
    let exact: BTreeMap<String, i64> = query
        .clone()
        .select_only()
        .column(column)
        .column_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "n")
        .filter(column.is_in(open.iter().copied()))
        .group_by(column)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await
        .context("failed to count by status")?
        .into_iter()
        .collect();
    let mut counts = Vec::with_capacity(statuses.len());
    for status in statuses {
        counts.push(if open.contains(status) {
            (exact.get(*status).copied().unwrap_or(0) as u32, false)
        } else {
            count_finished(db, query.clone().filter(column.eq(*status))).await?
        });
    }
    Ok(counts)
}

/// How many rows `query` finds, up to [`FINISHED_COUNTED`]; and whether there are more.
async fn count_finished<E: sea_orm::EntityTrait>(
    db: &DatabaseConnection,
    query: sea_orm::Select<E>,
) -> anyhow::Result<(u32, bool)>
where
    E::Model: Sync,
{
    use sea_orm::PaginatorTrait;
    // `SELECT 1`, so that an index holding the conditions' columns answers alone.
    let n = query
        .select_only()
        .expr(sea_orm::sea_query::Expr::val(1))
        .limit(FINISHED_COUNTED + 1)
        .count(db)
        .await
        .context("failed to count finished rows")?;
    Ok((n.min(FINISHED_COUNTED) as u32, n > FINISHED_COUNTED))
}

/// Why a review operation did not happen: a refusal of the lifecycle core (no such case, not
/// a reviewer, not permitted, changed, not a valid transition, internal), or one of the
/// review's own.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error("填写的内容有误")]
    Invalid(Vec<FieldProblem>),
    #[error(transparent)]
    Calendar(#[from] YearNotLoaded),
    #[error("没有这项审查任务，或不属于本部门")]
    TaskNotFound,
    #[error(transparent)]
    Task(crate::domain::decision::TaskRefusal),
}

impl From<TransitionError> for ReviewError {
    fn from(e: TransitionError) -> Self {
        ReviewError::Case(e.into())
    }
}

impl From<anyhow::Error> for ReviewError {
    fn from(e: anyhow::Error) -> Self {
        ReviewError::Case(e.into())
    }
}

/// The lines of page `page` (from 1, clamped to the pages there are), `per` a page.
fn one_page<T>(lines: Vec<T>, page: Option<i32>, per: usize) -> (Vec<T>, Paging) {
    let matching = lines.len();
    let pages = matching.div_ceil(per).max(1);
    let page = page.unwrap_or(1).clamp(1, pages as i32) as usize;
    let lines = lines.into_iter().skip((page - 1) * per).take(per).collect();
    let paged = Paging {
        matching: matching as u32,
        page: page as u32,
        pages: pages as u32,
    };
    (lines, paged)
}

/// Who looks at a notice.
pub enum Viewer {
    Staff(StaffInfo),
    Applicant(i32),
}

mod actions;
mod backoffice;
mod context;
mod delivery;
mod documents;
mod five_day;
mod workbench;

pub use actions::act;
use actions::issue;
pub use backoffice::{
    Withdrawer, back_office_of, claim_task, complete_task, confirm_deferred, decide,
    decide_on_the_spot, deferred_slots, done_tasks, open_missing_tasks, progress_of, task_queue,
    withdraw,
};
use context::*;
pub use delivery::{Reader, deliver, delivery_view};
pub use documents::{material, notice};
pub use five_day::deem_overdue;
pub use workbench::{case, queue};
