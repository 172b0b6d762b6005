//! Rule 3, the five-day rule, as the background job runs it.

use super::*;

/// Rule 3: every submitted case whose five working days ended before today is accepted as
/// of its receipt day, by the system, flagged in its history. Safe to run in several server
/// instances at once: each case moves once (the conditional update). Returns how many moved;
/// a case whose year is not in the calendar is left, and logged.
pub async fn deem_overdue(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<u32> {
    // The job's own reading of the reference data: each guide read once per run.
    let reference = ReferenceCache::default().get(db).await?;
    let cal = &reference.calendar;
    let today = china_date(now);
    let rows = application::Entity::find()
        .filter(application::Column::Status.eq(CaseStatus::Submitted.as_str()))
        .all(db)
        .await
        .context("failed to read submitted cases")?;
    let clocks = cases::deadlines_of_rows(db, &reference, &rows, today).await?;
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
        let due = promised_due(cal, received, ctx.form.promised_limit_days)?;
        let system = Actor::system();
        let notice = Notice {
            accepted_on: Some(received),
            promised_due: Some(due),
            deemed: true,
            issued_by: system.name.clone(),
            ..ctx.notice_by(NoticeKind::Acceptance, &system.name)
        };
        let t = Transition::new(CaseAction::DeemAccept).because(format!(
                "收到申请之日起 5 个工作日内（至 {}）未作出受理、不予受理或补正告知，依《行政许可法》第三十二条自收到申请之日（{received}）起即为受理",
                acceptance_due.map(|d| d.to_string()).unwrap_or_default()
            )).issuing(notice);
        let t = match backoffice::tasks_to_open(db, &row).await {
            Ok(effect) => t.with_effect(effect),
            Err(e) => {
                tracing::warn!(case = ?row.case_number, error = ?e, "five-day rule not applied");
                continue;
            }
        };
        match issue(db, &row, row.version, &system, t, now).await {
            Ok(_) => moved += 1,
            // Another instance, or a staff member, got there first.
            Err(ReviewError::Case(CaseError::Changed)) => {}
            Err(e) => {
                tracing::warn!(case = ?row.case_number, error = ?e, "deemed acceptance failed")
            }
        }
    }
    Ok(moved)
}
