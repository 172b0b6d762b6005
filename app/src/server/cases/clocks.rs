//! The clocks of cases, read from their history: the one engine (`domain::deadline`) over
//! the history rows, with the limits of each case's guide. Nothing here is stored.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::clock::china_date;
use crate::domain::calendar::YearNotLoaded;
use crate::domain::case::{CaseAction, EventDetail};
use crate::domain::date::Date;
use crate::domain::deadline::{Clock, Deadlines, HistoryStep, Limits, deadlines};
use crate::server::entities::{application, case_event, review_task};
use crate::server::services::reference::Reference;

/// Most history rows read per query when many cases are computed at once.
const CHUNK: usize = 500;

/// The history rows of a case as its clocks read them (`HistoryStep::of_event`).
pub fn history_steps(history: &[case_event::Model]) -> anyhow::Result<Vec<HistoryStep>> {
    let mut steps = Vec::with_capacity(history.len());
    for e in history {
        let Some(action) = CaseAction::parse(&e.action) else {
            continue;
        };
        let detail = EventDetail::read(action, e.detail.as_deref())?;
        steps.extend(HistoryStep::of_event(
            action,
            china_date(e.at),
            detail.as_ref(),
        )?);
    }
    Ok(steps)
}

/// The limits of a case, from its guide as the catalog holds it now (as of `reference`,
/// whose forms are read once per catalog change).
pub async fn limits_of(
    db: &DatabaseConnection,
    reference: &Reference,
    row: &application::Model,
) -> anyhow::Result<Limits> {
    let form = reference
        .form(db, row.item_code.as_deref(), row.bundle_code.as_deref())
        .await?
        .ok_or_else(|| anyhow!("case {:?} names an item no longer listed", row.case_number))?;
    Ok(form.limits())
}

/// The clocks of many cases at once, counted on `reference`'s calendar with each guide's
/// limits as of it, the history in a few queries. A case whose year the calendar lacks gets
/// that error.
pub async fn deadlines_of_rows(
    db: &DatabaseConnection,
    reference: &Reference,
    rows: &[application::Model],
    today: Date,
) -> anyhow::Result<BTreeMap<i32, Result<Deadlines, YearNotLoaded>>> {
    let cal = &reference.calendar;
    Ok(inputs_of_rows(db, reference, rows)
        .await?
        .into_iter()
        .map(|(id, (steps, limits))| (id, deadlines(cal, &steps, limits, today)))
        .collect())
}

/// The clocks of many cases and of their review tasks, from one read of the history: the
/// cases' as [`deadlines_of_rows`], and each task's by task id, its case's decision clock
/// counted with the department's 审查时限 where the guide set one (`Limits::for_task`).
/// Tasks whose case is not in `rows`, or whose year the calendar lacks, are left out.
pub async fn deadlines_with_tasks(
    db: &DatabaseConnection,
    reference: &Reference,
    rows: &[application::Model],
    tasks: &[review_task::Model],
    today: Date,
) -> anyhow::Result<(
    BTreeMap<i32, Result<Deadlines, YearNotLoaded>>,
    BTreeMap<i32, Clock>,
)> {
    let cal = &reference.calendar;
    let inputs = inputs_of_rows(db, reference, rows).await?;
    let mut own = BTreeMap::new();
    for task in tasks {
        let Some((steps, limits)) = inputs.get(&task.application_id) else {
            continue;
        };
        let limits = limits.for_task(task.limit_days.and_then(|d| u32::try_from(d).ok()));
        if let Ok(Deadlines {
            decision: Some(clock),
            ..
        }) = deadlines(cal, steps, limits, today)
        {
            own.insert(task.id, clock);
        }
    }
    let cases = inputs
        .into_iter()
        .map(|(id, (steps, limits))| (id, deadlines(cal, &steps, limits, today)))
        .collect();
    Ok((cases, own))
}

/// What the engine needs for each case: its history as clock steps, and its limits.
async fn inputs_of_rows(
    db: &DatabaseConnection,
    reference: &Reference,
    rows: &[application::Model],
) -> anyhow::Result<BTreeMap<i32, (Vec<HistoryStep>, Limits)>> {
    let mut history: BTreeMap<i32, Vec<case_event::Model>> = BTreeMap::new();
    for chunk in rows.chunks(CHUNK) {
        for e in case_event::Entity::find()
            .filter(case_event::Column::ApplicationId.is_in(chunk.iter().map(|r| r.id)))
            .order_by_asc(case_event::Column::Id)
            .all(db)
            .await
            .context("failed to read the history")?
        {
            history.entry(e.application_id).or_default().push(e);
        }
    }
    let mut limits: BTreeMap<(Option<String>, Option<String>), Limits> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for row in rows {
        let key = (row.item_code.clone(), row.bundle_code.clone());
        let l = match limits.get(&key) {
            Some(l) => *l,
            None => match limits_of(db, reference, row).await {
                Ok(l) => *limits.entry(key).or_insert(l),
                Err(e) => {
                    tracing::warn!(case = ?row.case_number, error = ?e, "no limits for a case");
                    continue;
                }
            },
        };
        // One corrupt history must not stop the jobs for every other case.
        let steps = match history_steps(history.get(&row.id).map_or(&[][..], Vec::as_slice)) {
            Ok(steps) => steps,
            Err(e) => {
                tracing::warn!(case = ?row.case_number, error = ?e, "unreadable history");
                continue;
            }
        };
        out.insert(row.id, (steps, l));
    }
    Ok(out)
}
