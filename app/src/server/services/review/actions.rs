//! The staff actions on a case and their dispatcher: each checks its rule, composes its
//! notice, and moves the case through the lifecycle core.

use super::*;

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
    let t = Transition::new(CaseAction::Accept)
        .issuing(notice)
        .with_effect(backoffice::tasks_to_open(db, &row).await?);
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
    let t = Transition::new(CaseAction::AcceptWithDeficiency)
        .because(format!(
            "容缺受理，申请人承诺于 {commitment} 前补交：{}",
            names(&pending)
        ))
        .with_detail(EventDetail::Deficiency {
            pending: pending.clone(),
            commitment_date: commitment,
        })
        .issuing(notice)
        .with_effect(backoffice::tasks_to_open(db, &row).await?);
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
    let t = Transition::new(CaseAction::Reject)
        .because(format!("{reason}（依据：{legal_basis}）"))
        .issuing(notice);
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
    let t = Transition::new(CaseAction::RequestCorrection)
        .because(format!("一次性告知补齐补正：{}", names(&lines)))
        .with_detail(EventDetail::Correction { snapshot })
        .issuing(notice);
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
pub(super) async fn issue(
    db: &DatabaseConnection,
    row: &application::Model,
    version: i32,
    actor: &Actor,
    t: Transition,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let issued = cases::transition(db, row, version, actor, t, now)
        .await?
        .pop()
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
    let row = cases::procedure_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let (d, _, _) = clocks(db, &ctx, &row).await?;
    let CheckedSuspension {
        procedure,
        reason,
        start,
        correction,
    } = check_suspend(&d, request, ctx.today).map_err(ReviewError::Invalid)?;
    let notice = Notice {
        procedure: Some(procedure.label().into()),
        period_start: Some(start),
        reason: Some(reason.clone()),
        ..ctx.notice(NoticeKind::Suspension, me)
    };
    let because = match &correction {
        None => format!("{}：{reason}（自 {start} 起暂停计时）", procedure.label()),
        Some(c) => format!(
            "{}：{reason}（自 {start} 起暂停计时；{} 更正补录：{c}）",
            procedure.label(),
            ctx.today
        ),
    };
    let t = Transition::new(CaseAction::Suspend)
        .because(because)
        .with_detail(EventDetail::Suspension {
            procedure,
            start,
            correction,
        })
        .issuing(notice);
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
    let row = cases::procedure_case(db, me, number).await?;
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
    let t = Transition::new(CaseAction::Resume)
        .because(reason)
        .with_detail(EventDetail::Resumption { end })
        .issuing(notice);
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
    let t = Transition::new(CaseAction::Extend)
        .because(format!(
            "延长 {days} 个工作日（批准人：{approver}）：{reason}"
        ))
        .with_detail(EventDetail::Extension {
            days,
            approver: approver.clone(),
        })
        .issuing(notice);
    issue(db, &row, version, &Actor::staff(me), t, now).await
}
