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
    Deadlines, ExtensionRequest, HistoryStep, Limits, ResumeRequest, Step as DeadlineStep,
    SuspendRequest, check_extension, check_resume, check_suspend, deadlines,
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
pub use crate::views::review::{
    CaseEventView, NoticeView, Queue, QueueEntry, QueueFilter, ReplacedMaterial, ReviewCommand,
    StaffCase, StaffInfo,
};

/// Most cases a queue page lists.
const QUEUE_LIMIT: u64 = 500;

/// Why a review operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("没有这个办件，或不属于本部门")]
    NotFound,
    #[error("系统管理员不办理办件")]
    NotAReviewer,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("办件已被他人处理或已有变化，请刷新后再操作")]
    Changed,
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("填写的内容有误")]
    Invalid(Vec<FieldProblem>),
    #[error(transparent)]
    Calendar(#[from] YearNotLoaded),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<CaseError> for ReviewError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::NotFound => ReviewError::NotFound,
            CaseError::NotAReviewer => ReviewError::NotAReviewer,
            CaseError::NotPermitted(m) => ReviewError::Forbidden(m),
            CaseError::Changed => ReviewError::Changed,
            CaseError::Transition(t) => ReviewError::Transition(t),
            CaseError::Internal(e) => ReviewError::Internal(e),
        }
    }
}

/// Who looks at a notice.
pub enum Viewer {
    Staff(StaffInfo),
    Applicant(i32),
}

/// The department's queue: cases oldest first, with their age in working days.
pub async fn queue(
    db: &DatabaseConnection,
    me: &StaffInfo,
    filter: &QueueFilter,
    now: DateTime<Utc>,
) -> Result<Queue, ReviewError> {
    let scope = cases::visible_cases(me)?;
    let status = filter.status.as_deref().unwrap_or("submitted");
    let mut query = application::Entity::find().filter(scope.clone());
    if status != "all" {
        let Some(s) = CaseStatus::parse(status).filter(|s| *s != CaseStatus::Draft) else {
            return Err(ReviewError::Invalid(vec![FieldProblem {
                field: "status".into(),
                code: "invalid_status".into(),
                message:
                    "状态应为 submitted、correction_requested、accepted、suspended、rejected 或 all"
                        .into(),
            }]));
        };
        query = query.filter(application::Column::Status.eq(s.as_str()));
    }
    if let Some(channel) = filter.channel.as_deref().filter(|c| !c.is_empty()) {
        query = query.filter(application::Column::Channel.eq(channel));
    }
    let rows = query
        .order_by_asc(application::Column::ReceivedAt)
        .order_by_asc(application::Column::Id)
        .limit(QUEUE_LIMIT)
        .all(db)
        .await
        .context("failed to read the queue")?;
    let cal = calendar::load(db).await?;
    let today = china_date(now);
    let clocks = cases::deadlines_of_rows(db, &cal, &rows, today).await?;
    let (items, bundles) = catalog::names(db).await?;
    let mut calendar_problem = None;
    let q = filter.q.as_deref().map(str::trim).unwrap_or("");
    let mut entries = Vec::new();
    for row in rows {
        let title = title_of(&row, &items, &bundles);
        let applicant_name = cases::applicant_name(&row);
        let number = row.case_number.clone().unwrap_or_default();
        let matches = q.is_empty()
            || number.contains(&q.to_uppercase())
            || title.contains(q)
            || applicant_name.contains(q);
        if !matches {
            continue;
        }
        let received = row
            .received_at
            .or(row.submitted_at)
            .unwrap_or(row.updated_at);
        let received_on = china_date(received);
        let age = match cal.working_days_between(received_on, today) {
            Ok(n) => Some(n),
            Err(e) => {
                calendar_problem = Some(e.to_string());
                None
            }
        };
        let status = row.case_status()?;
        entries.push(QueueEntry {
            case_number: number,
            title,
            applicant_name,
            channel: row.case_channel().unwrap_or(Channel::Online),
            status,
            status_label: status.label().into(),
            received_at: received.to_rfc3339(),
            received_on,
            age_working_days: age,
            acceptance_due: match clocks.get(&row.id) {
                Some(Ok(d)) if status == CaseStatus::Submitted => {
                    d.acceptance.as_ref().and_then(|c| c.due)
                }
                _ => None,
            },
        });
    }
    // The hall's figures: every case waiting, whatever the filter.
    let waiting: Vec<DateTime<Utc>> = application::Entity::find()
        .filter(scope)
        .filter(application::Column::Status.eq(CaseStatus::Submitted.as_str()))
        .all(db)
        .await
        .context("failed to count the waiting cases")?
        .into_iter()
        .map(|r| r.received_at.or(r.submitted_at).unwrap_or(r.updated_at))
        .collect();
    let oldest = match waiting.iter().min() {
        Some(t) => match cal.working_days_between(china_date(*t), today) {
            Ok(n) => Some(n),
            Err(e) => {
                calendar_problem = Some(e.to_string());
                None
            }
        },
        None => None,
    };
    Ok(Queue {
        entries,
        waiting: waiting.len() as u32,
        oldest_age_working_days: oldest,
        calendar_problem,
    })
}

/// A case of the staff member's department, with everything the workbench shows.
pub async fn case(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    now: DateTime<Utc>,
) -> Result<StaffCase, ReviewError> {
    let row = cases::department_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let history = cases::history_of(db, row.id).await?;
    let replaced = material_history::Entity::find()
        .filter(material_history::Column::ApplicationId.eq(row.id))
        .order_by_asc(material_history::Column::Id)
        .all(db)
        .await
        .context("failed to read replaced materials")?
        .into_iter()
        .map(|m| ReplacedMaterial {
            id: m.id,
            code: m.material_code,
            file_name: m.file_name,
            size: m.size.max(0) as u64,
            file_type: m.file_type,
            uploaded_at: m.uploaded_at.to_rfc3339(),
            replaced_at: m.replaced_at.to_rfc3339(),
        })
        .collect();
    let fix_up = cases::last_fix_up(&history)?;
    let values_before_fix_up = match &fix_up {
        Some(f) => f
            .before
            .values
            .iter()
            .filter(|(k, v)| ctx.view.values.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        None => BTreeMap::new(),
    };
    let (_, accept_on_receipt) =
        catalog::handling(db, row.item_code.as_deref(), row.bundle_code.as_deref())
            .await?
            .unwrap_or_default();
    let mut calendar_problem = None;
    // The guide and the history are already here: no second read for the clocks.
    let limits = ctx.form.limits();
    let steps = cases::history_steps(&history)?;
    let clocks = match deadlines(&ctx.cal, &steps, limits, ctx.today) {
        Ok(d) => Some(d),
        Err(e) => {
            calendar_problem = Some(e.to_string());
            None
        }
    };
    let mut note = |r: Result<Date, YearNotLoaded>| match r {
        Ok(d) => Some(d),
        Err(e) => {
            calendar_problem = Some(e.to_string());
            None
        }
    };
    let acceptance = clocks
        .as_ref()
        .and_then(|d| d.acceptance.as_ref())
        .filter(|c| c.open())
        .and_then(|c| c.due);
    let promised = note(promised_due(
        &ctx.cal,
        ctx.today,
        ctx.form.promised_limit_days,
    ));
    Ok(StaffCase {
        applicant_name: cases::applicant_name(&row),
        version: row.version,
        history: history.into_iter().map(event_view).collect(),
        replaced,
        values_before_fix_up,
        changed_in_fix_up: fix_up.map(|f| f.changed),
        blacklisted: ctx.blacklisted,
        accept_on_receipt,
        today: ctx.today,
        acceptance_due: acceptance,
        promised_due_if_accepted_today: promised,
        extension_days_allowed: Some(limits.extension_days()),
        deadlines: clocks,
        calendar_problem,
        may_act: me.role.acts(),
        application: ctx.view,
        form: ctx.form,
    })
}

/// 受理: every required material is there; issues the acceptance notice.
pub async fn accept(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    version: i32,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    check_accept(&ctx.form, &ctx.uploaded, &ctx.view.bring_original)
        .map_err(ReviewError::Invalid)?;
    let due = promised_due(&ctx.cal, ctx.today, ctx.form.promised_limit_days)?;
    let notice = Notice {
        accepted_on: Some(ctx.today),
        promised_due: Some(due),
        ..ctx.notice(NoticeKind::Acceptance, me)
    };
    let t = Transition {
        action: CaseAction::Accept,
        reason: None,
        detail: None,
        notice: Some(notice),
        columns: Vec::new(),
    };
    issue(db, &row, version, &Actor::staff(me), t, now).await
}

/// 容缺受理 (rule 7): accepted with the listed materials to follow by the committed date.
pub async fn accept_with_deficiency(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    version: i32,
    request: &DeficiencyRequest,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let due = promised_due(&ctx.cal, ctx.today, ctx.form.promised_limit_days)?;
    let (pending, commitment) = check_deficiency(
        &ctx.form,
        &ctx.uploaded,
        &ctx.view.bring_original,
        request,
        ctx.blacklisted,
        ctx.today,
        due,
    )
    .map_err(ReviewError::Invalid)?;
    let notice = Notice {
        accepted_on: Some(ctx.today),
        promised_due: Some(due),
        commitment_date: Some(commitment),
        lines: pending.clone(),
        ..ctx.notice(NoticeKind::DeficiencyAcceptance, me)
    };
    let t = Transition {
        action: CaseAction::AcceptWithDeficiency,
        reason: Some(format!(
            "容缺受理，申请人承诺于 {commitment} 前补交：{}",
            names(&pending)
        )),
        detail: Some(EventDetail::Deficiency {
            pending: pending.clone(),
            commitment_date: commitment,
        }),
        notice: Some(notice),
        columns: Vec::new(),
    };
    issue(db, &row, version, &Actor::staff(me), t, now).await
}

/// 不予受理: with its reason and legal basis.
pub async fn reject(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    version: i32,
    request: &RejectionRequest,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let (reason, legal_basis) = check_rejection(request).map_err(ReviewError::Invalid)?;
    let notice = Notice {
        reason: Some(reason.clone()),
        legal_basis: Some(legal_basis.clone()),
        ..ctx.notice(NoticeKind::Rejection, me)
    };
    let t = Transition {
        action: CaseAction::Reject,
        reason: Some(format!("{reason}（依据：{legal_basis}）")),
        detail: None,
        notice: Some(notice),
        columns: Vec::new(),
    };
    issue(db, &row, version, &Actor::staff(me), t, now).await
}

/// 一次性告知 (rules 1 and 2): the materials and fields of the guide to supply or correct.
pub async fn request_correction(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    version: i32,
    items: &[CorrectionItem],
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let history = cases::history_of(db, row.id).await?;
    let changed = cases::last_fix_up(&history)?.map(|f| f.changed);
    let lines =
        check_correction(&ctx.form, items, changed.as_ref()).map_err(ReviewError::Invalid)?;
    let snapshot = CaseSnapshot {
        values: ctx.view.values.clone(),
        materials: ctx
            .view
            .materials
            .iter()
            .map(|m| (m.code.clone(), m.sha256.clone()))
            .collect(),
    };
    let notice = Notice {
        lines: lines.clone(),
        ..ctx.notice(NoticeKind::Correction, me)
    };
    let t = Transition {
        action: CaseAction::RequestCorrection,
        reason: Some(format!("一次性告知补齐补正：{}", names(&lines))),
        detail: Some(EventDetail::Correction { snapshot }),
        notice: Some(notice),
        columns: Vec::new(),
    };
    issue(db, &row, version, &Actor::staff(me), t, now).await
}

/// Takes a staff action on a case: the one dispatcher behind the workbench's server function
/// and the REST API's action endpoint.
pub async fn act(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    command: &ReviewCommand,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    match command {
        ReviewCommand::Accept(r) => accept(db, me, number, r.version, now).await,
        ReviewCommand::AcceptWithDeficiency(r) => {
            accept_with_deficiency(db, me, number, r.version, &r.request(), now).await
        }
        ReviewCommand::Reject(r) => reject(db, me, number, r.version, &r.request(), now).await,
        ReviewCommand::RequestCorrection(r) => {
            request_correction(db, me, number, r.version, &r.items, now).await
        }
        ReviewCommand::Suspend(r) => suspend(db, me, number, r.version, &r.request(), now).await,
        ReviewCommand::Resume(r) => resume(db, me, number, r.version, &r.request(), now).await,
        ReviewCommand::Extend(r) => extend(db, me, number, r.version, &r.request(), now).await,
    }
}

/// Runs a transition that issues a notice, and answers with the notice.
async fn issue(
    db: &DatabaseConnection,
    row: &application::Model,
    version: i32,
    actor: &Actor,
    t: Transition,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let issued = cases::transition(db, row, version, actor, t, now)
        .await?
        .ok_or_else(|| anyhow!("an action without a notice"))?;
    Ok(cases::notice_view(issued)?)
}

/// The clocks of a case for an action on it, and the history they were read from.
async fn clocks(
    db: &DatabaseConnection,
    ctx: &CaseContext,
    row: &application::Model,
) -> Result<(Deadlines, Limits, Vec<HistoryStep>), ReviewError> {
    let history = cases::history_of(db, row.id).await?;
    let steps = cases::history_steps(&history)?;
    let limits = ctx.form.limits();
    Ok((
        deadlines(&ctx.cal, &steps, limits, ctx.today)?,
        limits,
        steps,
    ))
}

/// The decision due day once `step` is recorded too.
fn due_after(
    ctx: &CaseContext,
    limits: Limits,
    mut steps: Vec<HistoryStep>,
    step: HistoryStep,
) -> Result<Option<Date>, ReviewError> {
    steps.push(step);
    Ok(deadlines(&ctx.cal, &steps, limits, ctx.today)?
        .decision
        .and_then(|c| c.due))
}

/// 特别程序 (第四十五条): the decision clock stops from the day the procedure starts; the
/// applicant is told in writing (a numbered notice).
pub async fn suspend(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    version: i32,
    request: &SuspendRequest,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let (d, _, _) = clocks(db, &ctx, &row).await?;
    let (procedure, reason, start) =
        check_suspend(&d, request, ctx.today).map_err(ReviewError::Invalid)?;
    let notice = Notice {
        procedure: Some(procedure.label().into()),
        period_start: Some(start),
        reason: Some(reason.clone()),
        ..ctx.notice(NoticeKind::Suspension, me)
    };
    let t = Transition {
        action: CaseAction::Suspend,
        reason: Some(format!(
            "{}：{reason}（自 {start} 起暂停计时）",
            procedure.label()
        )),
        detail: Some(EventDetail::Suspension { procedure, start }),
        notice: Some(notice),
        columns: Vec::new(),
    };
    issue(db, &row, version, &Actor::staff(me), t, now).await
}

/// The special procedure ends: the clock runs again from the day after; the notice gives
/// the new due day.
pub async fn resume(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    version: i32,
    request: &ResumeRequest,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let (d, limits, steps) = clocks(db, &ctx, &row).await?;
    let (end, note) = check_resume(&d, request, ctx.today).map_err(ReviewError::Invalid)?;
    let pause = d
        .pauses
        .last()
        .cloned()
        .ok_or_else(|| anyhow!("a resumption without its pause"))?;
    let due = due_after(
        &ctx,
        limits,
        steps,
        HistoryStep {
            on: end,
            step: DeadlineStep::Resume,
        },
    )?;
    let notice = Notice {
        procedure: Some(pause.procedure.label().into()),
        period_start: Some(pause.started_on),
        period_end: Some(end),
        promised_due: due,
        ..ctx.notice(NoticeKind::Resumption, me)
    };
    let reason = match note.is_empty() {
        true => format!("{}于 {end} 结束，恢复计时", pause.procedure.label()),
        false => format!(
            "{}于 {end} 结束，恢复计时（{note}）",
            pause.procedure.label()
        ),
    };
    let t = Transition {
        action: CaseAction::Resume,
        reason: Some(reason),
        detail: Some(EventDetail::Resumption { end }),
        notice: Some(notice),
        columns: Vec::new(),
    };
    issue(db, &row, version, &Actor::staff(me), t, now).await
}

/// The one extension (第四十二条): 10 working days (15 for joint handling), with who
/// approved it and why; the notice gives the new due day.
pub async fn extend(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    version: i32,
    request: &ExtensionRequest,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let (d, limits, steps) = clocks(db, &ctx, &row).await?;
    let (approver, reason) = check_extension(&d, request).map_err(ReviewError::Invalid)?;
    let days = limits.extension_days();
    let due = due_after(
        &ctx,
        limits,
        steps,
        HistoryStep {
            on: ctx.today,
            step: DeadlineStep::Extend(days),
        },
    )?;
    let notice = Notice {
        extension_days: Some(days),
        approver: Some(approver.clone()),
        reason: Some(reason.clone()),
        promised_due: due,
        ..ctx.notice(NoticeKind::Extension, me)
    };
    let t = Transition {
        action: CaseAction::Extend,
        reason: Some(format!(
            "延长 {days} 个工作日（批准人：{approver}）：{reason}"
        )),
        detail: Some(EventDetail::Extension {
            days,
            approver: approver.clone(),
        }),
        notice: Some(notice),
        columns: Vec::new(),
    };
    issue(db, &row, version, &Actor::staff(me), t, now).await
}

/// Rule 3: every submitted case whose five working days ended before today is accepted as
/// of its receipt day, by the system, flagged in its history. Safe to run in several server
/// instances at once: each case moves once (the conditional update). Returns how many moved;
/// a case whose year is not in the calendar is left, and logged.
pub async fn deem_overdue(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<u32> {
    let cal = calendar::load(db).await?;
    let today = china_date(now);
    let rows = application::Entity::find()
        .filter(application::Column::Status.eq(CaseStatus::Submitted.as_str()))
        .all(db)
        .await
        .context("failed to read submitted cases")?;
    let clocks = cases::deadlines_of_rows(db, &cal, &rows, today).await?;
    let mut moved = 0;
    for row in rows {
        let received = china_date(row.received_at.or(row.submitted_at).unwrap_or(now));
        let acceptance_due = match clocks.get(&row.id) {
            Some(Ok(d)) => match d.acceptance.as_ref() {
                Some(c) if c.days_left.is_some_and(|l| l < 0) => c.due,
                _ => continue,
            },
            Some(Err(e)) => {
                tracing::warn!(case = ?row.case_number, "five-day rule not applied: {e}");
                continue;
            }
            None => continue,
        };
        let ctx = match context(db, &row, now).await {
            Ok(ctx) => ctx,
            Err(e) => {
                tracing::warn!(case = ?row.case_number, error = ?e, "five-day rule not applied");
                continue;
            }
        };
        let due = promised_due(&cal, received, ctx.form.promised_limit_days)?;
        let system = Actor::system();
        let notice = Notice {
            accepted_on: Some(received),
            promised_due: Some(due),
            deemed: true,
            issued_by: system.name.clone(),
            ..ctx.notice_by(NoticeKind::Acceptance, &system.name)
        };
        let t = Transition {
            action: CaseAction::DeemAccept,
            reason: Some(format!(
                "收到申请之日起 5 个工作日内（至 {}）未作出受理、不予受理或补正告知，依《行政许可法》第三十二条自收到申请之日（{received}）起即为受理",
                acceptance_due.map(|d| d.to_string()).unwrap_or_default()
            )),
            detail: None,
            notice: Some(notice),
            columns: Vec::new(),
        };
        match issue(db, &row, row.version, &system, t, now).await {
            Ok(_) => moved += 1,
            // Another instance, or a staff member, got there first.
            Err(ReviewError::Changed) => {}
            Err(e) => {
                tracing::warn!(case = ?row.case_number, error = ?e, "deemed acceptance failed")
            }
        }
    }
    Ok(moved)
}

/// A notice of a case, for staff of its department or its applicant.
pub async fn notice(
    db: &DatabaseConnection,
    viewer: &Viewer,
    number: &str,
    id: i32,
) -> anyhow::Result<Option<NoticeView>> {
    let row = match viewer {
        Viewer::Staff(me) => match cases::department_case(db, me, number).await {
            Ok(row) => row,
            Err(CaseError::Internal(e)) => return Err(e),
            Err(_) => return Ok(None),
        },
        Viewer::Applicant(account) => match applications::own_row(db, *account, number).await? {
            Some(row) => row,
            None => return Ok(None),
        },
    };
    let Some(n) = notice::Entity::find_by_id(id)
        .filter(notice::Column::ApplicationId.eq(row.id))
        .one(db)
        .await
        .context("failed to read a notice")?
    else {
        return Ok(None);
    };
    cases::notice_view(n).map(Some)
}

/// The content of a material of a department's case (current, or replaced in a fix-up).
pub async fn material(
    db: &DatabaseConnection,
    store: &crate::server::storage::MaterialStore,
    me: &StaffInfo,
    number: &str,
    code: &str,
    replaced: Option<i32>,
) -> Result<(String, String, bytes::Bytes), ReviewError> {
    let row = cases::department_case(db, me, number).await?;
    let (sha256, file_name, file_type) = match replaced {
        None => {
            let m = application_material::Entity::find()
                .filter(application_material::Column::ApplicationId.eq(row.id))
                .filter(application_material::Column::MaterialCode.eq(code))
                .one(db)
                .await
                .context("failed to read an upload")?
                .ok_or(ReviewError::NotFound)?;
            (m.sha256, m.file_name, m.file_type)
        }
        Some(id) => {
            let m = material_history::Entity::find_by_id(id)
                .filter(material_history::Column::ApplicationId.eq(row.id))
                .filter(material_history::Column::MaterialCode.eq(code))
                .one(db)
                .await
                .context("failed to read a replaced upload")?
                .ok_or(ReviewError::NotFound)?;
            (m.sha256, m.file_name, m.file_type)
        }
    };
    let bytes = store
        .get(&sha256)
        .await?
        .ok_or_else(|| anyhow!("stored material {sha256} is missing"))?;
    Ok((file_name, file_type, bytes))
}

/// What every action needs to know about a case.
struct CaseContext {
    view: applications::ApplicationView,
    form: ApplicationForm,
    uploaded: BTreeSet<String>,
    cal: WorkingCalendar,
    today: Date,
    blacklisted: bool,
    department_name: String,
    applicant_name: String,
    received_on: Date,
}

impl CaseContext {
    fn notice(&self, kind: NoticeKind, me: &StaffInfo) -> Notice {
        self.notice_by(kind, &me.name)
    }

    fn notice_by(&self, kind: NoticeKind, by: &str) -> Notice {
        Notice {
            number: String::new(),
            kind,
            case_number: self.view.case_number.clone().unwrap_or_default(),
            title: self.view.title.clone(),
            applicant_name: self.applicant_name.clone(),
            department_name: self.department_name.clone(),
            issued_on: self.today,
            issued_by: by.into(),
            received_on: Some(self.received_on),
            accepted_on: None,
            promised_due: None,
            deemed: false,
            lines: vec![],
            commitment_date: None,
            reason: None,
            legal_basis: None,
            procedure: None,
            period_start: None,
            period_end: None,
            extension_days: None,
            approver: None,
        }
    }
}

async fn context(
    db: &DatabaseConnection,
    row: &application::Model,
    now: DateTime<Utc>,
) -> Result<CaseContext, ReviewError> {
    let form = catalog::application_form(db, row.item_code.as_deref(), row.bundle_code.as_deref())
        .await?
        .ok_or_else(|| {
            anyhow!(
                "case {:?} names an item no longer in the catalog",
                row.case_number
            )
        })?;
    let view = applications::view_of(db, row.clone())
        .await
        .map_err(|e| anyhow!("failed to read a case: {e:?}"))?;
    let uploaded = view.materials.iter().map(|m| m.code.clone()).collect();
    let applicant: ApplicantForm =
        serde_json::from_str(&row.applicant).context("corrupt applicant")?;
    let numbers: Vec<String> = ["credit_code", "id_number"]
        .iter()
        .filter_map(|k| applicant.values.get(*k).cloned())
        .collect();
    let blacklisted = !numbers.is_empty()
        && credit_blacklist::Entity::find()
            .filter(credit_blacklist::Column::Number.is_in(numbers))
            .one(db)
            .await
            .context("failed to read the blacklist")?
            .is_some();
    let department_name = department::Entity::find()
        .filter(department::Column::Code.eq(row.department.clone().unwrap_or_default()))
        .one(db)
        .await
        .context("failed to read a department")?
        .map(|d| d.name)
        .unwrap_or_default();
    Ok(CaseContext {
        uploaded,
        form,
        cal: calendar::load(db).await?,
        today: china_date(now),
        blacklisted,
        department_name,
        applicant_name: cases::applicant_name(row),
        received_on: china_date(row.received_at.or(row.submitted_at).unwrap_or(now)),
        view,
    })
}

fn title_of(
    row: &application::Model,
    items: &BTreeMap<String, String>,
    bundles: &BTreeMap<String, String>,
) -> String {
    match (&row.item_code, &row.bundle_code) {
        (Some(code), _) => items.get(code),
        (None, Some(code)) => bundles.get(code),
        _ => None,
    }
    .cloned()
    .unwrap_or_default()
}

fn event_view(e: case_event::Model) -> CaseEventView {
    let action = CaseAction::parse(&e.action);
    CaseEventView {
        at: e.at.to_rfc3339(),
        actor_name: e.actor_name,
        channel: e.channel,
        action_label: action.map_or("", |a| a.label()).into(),
        action: e.action,
        from_status: e.from_status,
        to_status: e.to_status,
        reason: e.reason,
    }
}

fn names(lines: &[NoticeLine]) -> String {
    lines
        .iter()
        .map(|l| l.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}
