//! The staff actions on a case and their dispatcher: each checks its rule, composes its
//! notice, and moves the case through the lifecycle core.

use super::*;

/// 受理: every required material is there; issues the acceptance notice.
async fn accept(on: &Acting<'_>) -> Result<Transition, ReviewError> {
    let &Acting { db, me, row, ctx } = on;
    check_accept(&ctx.form, &ctx.uploaded, &ctx.view.bring_original)
        .map_err(ReviewError::Invalid)?;
    let due = promised_due(&ctx.cal, ctx.today, ctx.form.promised_limit_days)?;
    let notice = Notice {
        accepted_on: Some(ctx.today),
        promised_due: Some(due),
        ..ctx.notice(NoticeKind::Acceptance, me)
    };
    Ok(Transition::new(CaseAction::Accept)
        .issuing(notice)
        .with_effect(backoffice::tasks_to_open(db, row).await?))
}

/// 容缺受理 (rule 7): accepted with the listed materials to follow by the committed date.
async fn accept_with_deficiency(
    on: &Acting<'_>,
    request: &DeficiencyRequest,
) -> Result<Transition, ReviewError> {
    let &Acting { db, me, row, ctx } = on;
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
    Ok(Transition::new(CaseAction::AcceptWithDeficiency)
        .because(format!(
            "容缺受理，申请人承诺于 {commitment} 前补交：{}",
            names(&pending)
        ))
        .with_detail(EventDetail::Deficiency {
            pending: pending.clone(),
            commitment_date: commitment,
        })
        .issuing(notice)
        .with_effect(backoffice::tasks_to_open(db, row).await?))
}

/// 不予受理: with its reason and legal basis.
fn reject(on: &Acting<'_>, request: &RejectionRequest) -> Result<Transition, ReviewError> {
    let &Acting { me, ctx, .. } = on;
    let (reason, legal_basis) = check_rejection(request).map_err(ReviewError::Invalid)?;
    let notice = Notice {
        reason: Some(reason.clone()),
        legal_basis: Some(legal_basis.clone()),
        ..ctx.notice(NoticeKind::Rejection, me)
    };
    Ok(Transition::new(CaseAction::Reject)
        .because(format!("{reason}（依据：{legal_basis}）"))
        .issuing(notice))
}

/// 一次性告知 (rules 1 and 2): the materials and fields of the guide to supply or correct.
async fn request_correction(
    on: &Acting<'_>,
    items: &[CorrectionItem],
) -> Result<Transition, ReviewError> {
    let &Acting { db, me, row, ctx } = on;
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
    Ok(Transition::new(CaseAction::RequestCorrection)
        .because(format!("一次性告知补齐补正：{}", names(&lines)))
        .with_detail(EventDetail::Correction { snapshot })
        .issuing(notice))
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
    use ReviewCommand as C;
    // A reviewer holding a task may start and end a special procedure; the rest is for the
    // receiving department's window and chief.
    let row = match command {
        C::Suspend(_) | C::Resume(_) => cases::procedure_case(db, me, number).await?,
        _ => cases::acting_case(db, me, number).await?,
    };
    let ctx = context(db, &row, now).await?;
    let on = Acting {
        db,
        me,
        row: &row,
        ctx: &ctx,
    };
    let (version, t) = match command {
        C::Accept(r) => (r.version, accept(&on).await?),
        C::AcceptWithDeficiency(r) => (r.version, accept_with_deficiency(&on, &r.request()).await?),
        C::Reject(r) => (r.version, reject(&on, &r.request())?),
        C::RequestCorrection(r) => (r.version, request_correction(&on, &r.items).await?),
        C::Suspend(r) => (r.version, suspend(&on, &r.request()).await?),
        C::Resume(r) => (r.version, resume(&on, &r.request()).await?),
        C::Extend(r) => (r.version, extend(&on, &r.request()).await?),
    };
    issue(db, &row, version, &Actor::staff(me), t, now).await
}

/// The case an action is taken on, as the dispatcher loaded it: who acts, the case's row and
/// what every action needs to know of it.
struct Acting<'a> {
    db: &'a DatabaseConnection,
    me: &'a StaffInfo,
    row: &'a application::Model,
    ctx: &'a CaseContext,
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
async fn clocks(on: &Acting<'_>) -> Result<(Deadlines, Limits, Vec<HistoryStep>), ReviewError> {
    let &Acting { db, row, ctx, .. } = on;
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
async fn suspend(on: &Acting<'_>, request: &SuspendRequest) -> Result<Transition, ReviewError> {
    let &Acting { me, ctx, .. } = on;
    let (d, _, _) = clocks(on).await?;
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
    Ok(Transition::new(CaseAction::Suspend)
        .because(because)
        .with_detail(EventDetail::Suspension {
            procedure,
            start,
            correction,
        })
        .issuing(notice))
}

/// The special procedure ends: the clock runs again from the day after; the notice gives
/// the new due day.
async fn resume(on: &Acting<'_>, request: &ResumeRequest) -> Result<Transition, ReviewError> {
    let &Acting { me, ctx, .. } = on;
    let (d, limits, steps) = clocks(on).await?;
    let (end, note) = check_resume(&d, request, ctx.today).map_err(ReviewError::Invalid)?;
    let pause = d
        .pauses
        .last()
        .cloned()
        .ok_or_else(|| anyhow!("a resumption without its pause"))?;
    let due = due_after(
        ctx,
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
    Ok(Transition::new(CaseAction::Resume)
        .because(reason)
        .with_detail(EventDetail::Resumption { end })
        .issuing(notice))
}

/// The one extension (第四十二条): 10 working days (15 for joint handling), with who
/// approved it and why; the notice gives the new due day.
async fn extend(on: &Acting<'_>, request: &ExtensionRequest) -> Result<Transition, ReviewError> {
    let &Acting { me, ctx, .. } = on;
    let (d, limits, steps) = clocks(on).await?;
    let (approver, reason) = check_extension(&d, request).map_err(ReviewError::Invalid)?;
    let days = limits.extension_days();
    let due = due_after(
        ctx,
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
    Ok(Transition::new(CaseAction::Extend)
        .because(format!(
            "延长 {days} 个工作日（批准人：{approver}）：{reason}"
        ))
        .with_detail(EventDetail::Extension {
            days,
            approver: approver.clone(),
        })
        .issuing(notice))
}
