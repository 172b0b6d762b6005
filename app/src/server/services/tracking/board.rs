//! The supervision board: open cases by time left, and the warnings of the ladder with who
//! has seen them.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::clock::china_date;
use crate::domain::deadline::WarningLevel;
use crate::domain::decision::TaskStatus;
use crate::domain::review::{CaseAction, CaseStatus};
use crate::server::cases::{self, CaseError};
use crate::server::entities::{
    application, application_material, case_event, deadline_warning, review_task, security_alert,
    staff, warning_seen,
};
use crate::server::services::reference::ReferenceCache;
use crate::server::services::review::ReviewError;
use crate::views::review::StaffInfo;
use crate::views::track::{
    BandCounts, Board, BoardCase, BoardTask, BoardWarning, LateDeferred, SecurityAlert,
};

/// The supervision board of the staff member's department (chief representatives and
/// supervisors).
pub async fn board(
    db: &DatabaseConnection,
    reference: &ReferenceCache,
    me: &StaffInfo,
    now: DateTime<Utc>,
) -> Result<Board, ReviewError> {
    if !me.role.supervises() {
        return Err(CaseError::NotPermitted("督办看板只对首席代表和分管领导（督查）开放").into());
    }
    let rows = application::Entity::find()
        .filter(cases::visible_cases(me)?)
        .filter(application::Column::Status.is_in(CaseStatus::OPEN.map(|s| s.as_str())))
        .all(db)
        .await
        .context("failed to read the department's cases")?;
    let reference = reference.get(db).await?;
    let today = china_date(now);
    let held = review_task::Entity::find()
        .filter(review_task::Column::Department.eq(me.department.as_str()))
        .filter(review_task::Column::ApplicationId.is_in(rows.iter().map(|r| r.id)))
        .filter(review_task::Column::Status.is_in(TaskStatus::UNFINISHED.map(TaskStatus::as_str)))
        .all(db)
        .await
        .context("failed to read the department's review tasks")?;
    // The cases' clocks, and each task's by its department's 审查时限 or the case's limit.
    let (clocks, own) = cases::deadlines_with_tasks(db, &reference, &rows, &held, today).await?;
    let (items, bundles) = (&reference.item_names, &reference.bundle_names);
    let mut calendar_problem = None;
    let mut cases = Vec::new();
    let mut total = BandCounts {
        name: "合计".into(),
        ..Default::default()
    };
    let mut by_item: BTreeMap<String, BandCounts> = BTreeMap::new();
    for row in &rows {
        let d = match clocks.get(&row.id) {
            Some(Ok(d)) => d,
            Some(Err(e)) => {
                calendar_problem = Some(e.to_string());
                continue;
            }
            None => continue,
        };
        let Some(clock) = d.current() else { continue };
        let title = match (&row.item_code, &row.bundle_code) {
            (Some(c), _) => items.get(c),
            (None, Some(c)) => bundles.get(c),
            _ => None,
        }
        .cloned()
        .unwrap_or_default();
        let band = clock.band();
        total.add(band);
        by_item
            .entry(title.clone())
            .or_insert_with(|| BandCounts {
                name: title.clone(),
                ..Default::default()
            })
            .add(band);
        cases.push(BoardCase {
            case_number: row.case_number.clone().unwrap_or_default(),
            item: row
                .item_code
                .clone()
                .or(row.bundle_code.clone())
                .unwrap_or_default(),
            title,
            status_label: CaseStatus::parse(&row.status)
                .map_or("", |s| s.label())
                .into(),
            clock: clock.clone(),
            band,
        });
    }
    cases.sort_by_key(|c| (c.band, c.clock.days_left.unwrap_or(i64::MAX)));
    let mut tasks = Vec::new();
    for task in held {
        let Some(clock) = own.get(&task.id).filter(|c| c.open()).cloned() else {
            continue;
        };
        let Some(row) = rows.iter().find(|r| r.id == task.application_id) else {
            continue;
        };
        tasks.push(BoardTask {
            case_number: row.case_number.clone().unwrap_or_default(),
            item_name: task.item_name,
            status_label: TaskStatus::parse(&task.status)
                .map_or("", |s| s.label())
                .into(),
            claimed_by: task.claimed_by_name,
            band: clock.band(),
            clock,
        });
    }
    tasks.sort_by_key(|t| (t.band, t.clock.days_left.unwrap_or(i64::MAX)));
    Ok(Board {
        department_name: me.department_name.clone(),
        today,
        total,
        by_item: by_item.into_values().collect(),
        cases,
        tasks,
        late_deferred: late_deferred_of(db, me, &rows, today).await?,
        warnings: warnings_of(db, me).await?,
        security_alerts: security_alerts_of(db, me, now).await?,
        calendar_problem,
    })
}

/// The 容缺 materials of the department's own accepted cases whose committed date has passed
/// unconfirmed.
async fn late_deferred_of(
    db: &DatabaseConnection,
    me: &StaffInfo,
    rows: &[application::Model],
    today: crate::domain::date::Date,
) -> anyhow::Result<Vec<LateDeferred>> {
    let mine: BTreeMap<i32, &application::Model> = rows
        .iter()
        .filter(|r| r.department.as_deref() == Some(me.department.as_str()))
        .map(|r| (r.id, r))
        .collect();
    let mut out: Vec<LateDeferred> = overdue_deferred(db, mine.keys().copied(), today)
        .await?
        .into_iter()
        .map(|o| LateDeferred {
            case_number: mine
                .get(&o.application_id)
                .and_then(|r| r.case_number.clone())
                .unwrap_or_default(),
            material: o.name,
            commitment_date: o.commitment_date,
            supplied: o.supplied,
        })
        .collect();
    out.sort_by_key(|l| l.commitment_date);
    Ok(out)
}

/// A 容缺 material whose committed date has passed without the window confirming it.
pub(super) struct Overdue {
    pub application_id: i32,
    pub code: String,
    pub name: String,
    pub commitment_date: crate::domain::date::Date,
    /// The applicant has uploaded it since it was asked for: the window has to check it.
    pub supplied: bool,
}

/// The overdue 容缺 materials of these cases (rule 7), from the rows that say so, read in
/// one query for all of them.
pub(super) async fn overdue_deferred(
    db: &DatabaseConnection,
    cases: impl IntoIterator<Item = i32>,
    today: crate::domain::date::Date,
) -> anyhow::Result<Vec<Overdue>> {
    let kinds = [
        CaseAction::AcceptWithDeficiency,
        CaseAction::ConfirmDeferred,
        CaseAction::ReturnDeferred,
    ]
    .map(CaseAction::as_str);
    let mut history: BTreeMap<i32, Vec<case_event::Model>> = BTreeMap::new();
    for e in case_event::Entity::find()
        .filter(case_event::Column::ApplicationId.is_in(cases))
        .filter(case_event::Column::Action.is_in(kinds))
        .order_by_asc(case_event::Column::Id)
        .all(db)
        .await
        .context("failed to read 容缺 history")?
    {
        history.entry(e.application_id).or_default().push(e);
    }
    let uploads: BTreeMap<(i32, String), DateTime<Utc>> = application_material::Entity::find()
        .filter(application_material::Column::ApplicationId.is_in(history.keys().copied()))
        .all(db)
        .await
        .context("failed to read materials")?
        .into_iter()
        .map(|m| ((m.application_id, m.material_code), m.uploaded_at))
        .collect();
    let mut out = Vec::new();
    for (id, events) in &history {
        for d in cases::deferred_materials(events)? {
            if !d.outstanding() || d.commitment_date >= today {
                continue;
            }
            out.push(Overdue {
                application_id: *id,
                supplied: uploads
                    .get(&(*id, d.code.clone()))
                    .is_some_and(|at| *at > d.asked_at),
                code: d.code,
                name: d.name,
                commitment_date: d.commitment_date,
            });
        }
    }
    Ok(out)
}

/// Most security alerts a board lists, and how far back (newest first).
const BOARD_ALERTS: u64 = 50;
const ALERT_DAYS: i64 = 30;

async fn security_alerts_of(
    db: &DatabaseConnection,
    me: &StaffInfo,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<SecurityAlert>> {
    let rows = security_alert::Entity::find()
        .filter(security_alert::Column::Department.eq(me.department.as_str()))
        .filter(security_alert::Column::At.gte(now - chrono::Duration::days(ALERT_DAYS)))
        .order_by_desc(security_alert::Column::At)
        .limit(BOARD_ALERTS)
        .all(db)
        .await
        .context("failed to read security alerts")?;
    let names: BTreeMap<String, String> = staff_of(db, me)
        .await?
        .into_iter()
        .map(|s| (s.login, s.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|a| SecurityAlert {
            name: names.get(&a.login).cloned().unwrap_or_default(),
            login: a.login,
            client: a.client,
            at: a.at.to_rfc3339(),
        })
        .collect())
}

/// Every staff member of the board's department.
async fn staff_of(db: &DatabaseConnection, me: &StaffInfo) -> anyhow::Result<Vec<staff::Model>> {
    staff::Entity::find()
        .filter(staff::Column::Department.eq(me.department.as_str()))
        .all(db)
        .await
        .context("failed to read staff")
}

/// Most warnings a board lists (newest first).
const BOARD_WARNINGS: u64 = 200;

async fn warnings_of(db: &DatabaseConnection, me: &StaffInfo) -> anyhow::Result<Vec<BoardWarning>> {
    let rows = deadline_warning::Entity::find()
        .filter(deadline_warning::Column::Department.eq(me.department.as_str()))
        .order_by_desc(deadline_warning::Column::Id)
        .limit(BOARD_WARNINGS)
        .all(db)
        .await
        .context("failed to read warnings")?;
    let ids: Vec<i32> = rows.iter().map(|w| w.id).collect();
    let seen = warning_seen::Entity::find()
        .filter(warning_seen::Column::WarningId.is_in(ids))
        .order_by_asc(warning_seen::Column::Id)
        .all(db)
        .await
        .context("failed to read who saw warnings")?;
    let names: BTreeMap<i32, String> = staff_of(db, me)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let numbers: BTreeMap<i32, String> = application::Entity::find()
        .filter(application::Column::Id.is_in(rows.iter().map(|w| w.application_id)))
        .all(db)
        .await
        .context("failed to read warned cases")?
        .into_iter()
        .map(|a| (a.id, a.case_number.unwrap_or_default()))
        .collect();
    Ok(rows
        .into_iter()
        .map(|w| {
            let by: Vec<&warning_seen::Model> =
                seen.iter().filter(|s| s.warning_id == w.id).collect();
            BoardWarning {
                id: w.id,
                case_number: numbers.get(&w.application_id).cloned().unwrap_or_default(),
                level_label: WarningLevel::parse(&w.level)
                    .map_or("", |l| l.label())
                    .into(),
                level: w.level,
                days_left: w.days_left,
                due: w.due,
                message: w.message,
                created_at: w.created_at.to_rfc3339(),
                seen_by_me: by.iter().any(|s| s.staff_id == me.id),
                seen_by: by
                    .iter()
                    .map(|s| {
                        (
                            names.get(&s.staff_id).cloned().unwrap_or_default(),
                            s.seen_at.to_rfc3339(),
                        )
                    })
                    .collect(),
            }
        })
        .collect())
}

/// Records that the staff member has seen a warning of their department (once).
pub async fn mark_seen(
    db: &DatabaseConnection,
    me: &StaffInfo,
    warning_id: i32,
    now: DateTime<Utc>,
) -> Result<(), ReviewError> {
    // The same people as the board, where warnings are shown and marked.
    if !me.role.supervises() {
        return Err(CaseError::NotPermitted("督办看板只对首席代表和分管领导（督查）开放").into());
    }
    deadline_warning::Entity::find_by_id(warning_id)
        .filter(deadline_warning::Column::Department.eq(me.department.as_str()))
        .one(db)
        .await
        .context("failed to read a warning")?
        .ok_or(CaseError::NotFound)?;
    warning_seen::Entity::insert(warning_seen::ActiveModel {
        warning_id: Set(warning_id),
        staff_id: Set(me.id),
        seen_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            warning_seen::Column::WarningId,
            warning_seen::Column::StaffId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .context("failed to record a warning as seen")?;
    Ok(())
}
