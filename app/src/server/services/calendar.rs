//! The working-day calendar's maintenance: a year's arrangement replaced in one transaction
//! (the year row and all its days), by administrators, from the admin page, the API or the
//! `import-calendar` command. Cases already counted keep counting: their clocks are computed
//! afresh from the calendar each time. [`load`] reads it for every rule that counts working
//! days.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use crate::domain::account::FieldProblem;
use crate::domain::calendar::{
    ArrangementForm, WorkingCalendar, YearArrangement, check_arrangement,
};
use crate::domain::date::Date;
use crate::domain::review::StaffRole;
use crate::server::entities::{calendar_day, calendar_year};
use crate::views::calendar::CalendarYearView;
use crate::views::review::StaffInfo;

/// The working-day calendar as administrators keep it.
pub async fn load(db: &impl ConnectionTrait) -> anyhow::Result<WorkingCalendar> {
    Ok(WorkingCalendar::new(years(db).await?.into_iter().map(
        |y| YearArrangement {
            year: y.year,
            days_off: y.days_off,
            extra_working_days: y.extra_working_days,
        },
    )))
}

/// Why a calendar change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("节假日安排有误")]
    Invalid(Vec<FieldProblem>),
    #[error("只有系统管理员可以维护节假日安排")]
    AdminOnly,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Every loaded year, oldest first.
pub async fn years(db: &impl ConnectionTrait) -> anyhow::Result<Vec<CalendarYearView>> {
    let years = calendar_year::Entity::find()
        .order_by_asc(calendar_year::Column::Year)
        .all(db)
        .await
        .context("failed to read the calendar years")?;
    let mut views: BTreeMap<i32, CalendarYearView> = years
        .into_iter()
        .map(|y| {
            (
                y.year,
                CalendarYearView {
                    year: y.year,
                    source: y.source,
                    updated_at: y.updated_at.to_rfc3339(),
                    days_off: vec![],
                    extra_working_days: vec![],
                },
            )
        })
        .collect();
    for d in calendar_day::Entity::find()
        .order_by_asc(calendar_day::Column::Day)
        .all(db)
        .await
        .context("failed to read the calendar days")?
    {
        let day = Date::parse_iso(&d.day).ok_or_else(|| anyhow!("bad calendar day {}", d.day))?;
        let Some(v) = views.get_mut(&d.year) else {
            continue;
        };
        if d.working {
            v.extra_working_days.push(day);
        } else {
            v.days_off.push(day);
        }
    }
    Ok(views.into_values().collect())
}

/// Enters or replaces a year, checked first; administrators only.
pub async fn save(
    db: &DatabaseConnection,
    me: &StaffInfo,
    form: &ArrangementForm,
    now: DateTime<Utc>,
) -> Result<CalendarYearView, CalendarError> {
    if me.role != StaffRole::Admin {
        return Err(CalendarError::AdminOnly);
    }
    import(db, form, now).await
}

/// Enters or replaces a year, checked first (the `import-calendar` command, and `save`).
pub async fn import(
    db: &DatabaseConnection,
    form: &ArrangementForm,
    now: DateTime<Utc>,
) -> Result<CalendarYearView, CalendarError> {
    let (arrangement, source) = check_arrangement(form).map_err(CalendarError::Invalid)?;
    let txn = db.begin().await.context("failed to begin")?;
    calendar_day::Entity::delete_many()
        .filter(calendar_day::Column::Year.eq(arrangement.year))
        .exec(&txn)
        .await
        .context("failed to clear a year")?;
    calendar_year::Entity::delete_by_id(arrangement.year)
        .exec(&txn)
        .await
        .context("failed to clear a year")?;
    calendar_year::ActiveModel {
        year: Set(arrangement.year),
        source: Set(source.clone()),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .context("failed to write a year")?;
    let days = arrangement
        .days_off
        .iter()
        .map(|d| (d, false))
        .chain(arrangement.extra_working_days.iter().map(|d| (d, true)));
    for (day, working) in days {
        calendar_day::ActiveModel {
            year: Set(arrangement.year),
            day: Set(day.to_string()),
            working: Set(working),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .context("failed to write a day")?;
    }
    txn.commit().await.context("failed to commit a year")?;
    Ok(CalendarYearView {
        year: arrangement.year,
        source,
        updated_at: now.to_rfc3339(),
        days_off: arrangement.days_off,
        extra_working_days: arrangement.extra_working_days,
    })
}
