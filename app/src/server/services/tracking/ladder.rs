//! The warning ladder: raises each rung once per case, deadline and due day, and tells the
//! handler and the department.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::clock::china_date;
use crate::domain::date::Date;
use crate::domain::deadline::{WarningLevel, warning_level};
use crate::domain::review::{CaseAction, CaseStatus};
use crate::server::cases;
use crate::server::entities::{application, case_event, deadline_warning};
use crate::server::notify;
use crate::server::services::calendar;

/// The warning ladder (rule 6), run by a background job: for every accepted case whose
/// decision (or delivery) clock runs, raises the rung its days left stand on, once per case,
/// clock, due day and rung (the supervision rung once a day), with its messages. Safe with
/// several instances: the unique index lets one insert win. Returns how many were raised.
pub async fn raise_warnings(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<u32> {
    let rows = application::Entity::find()
        .filter(application::Column::Status.eq(CaseStatus::Accepted.as_str()))
        .all(db)
        .await
        .context("failed to read accepted cases")?;
    let cal = calendar::load(db).await?;
    let today = china_date(now);
    let clocks = cases::deadlines_of_rows(db, &cal, &rows, today).await?;
    let mut raised = 0;
    for row in &rows {
        let d = match clocks.get(&row.id) {
            Some(Ok(d)) => d,
            Some(Err(e)) => {
                tracing::warn!(case = ?row.case_number, "warning ladder not applied: {e}");
                continue;
            }
            None => continue,
        };
        for clock in [&d.decision, &d.delivery].into_iter().flatten() {
            if !clock.open() || clock.paused {
                continue;
            }
            let (Some(left), Some(due)) = (clock.days_left, clock.due) else {
                continue;
            };
            let Some(level) = warning_level(left) else {
                continue;
            };
            if raise(db, row, clock.kind.as_str(), level, left, due, today, now).await? {
                raised += 1;
            }
        }
    }
    Ok(raised)
}

/// Inserts one rung and its messages in one transaction; `false` if it was raised already.
#[expect(
    clippy::too_many_arguments,
    reason = "one rung: the case, its clock and level, who and when"
)]
async fn raise(
    db: &DatabaseConnection,
    row: &application::Model,
    kind: &str,
    level: WarningLevel,
    left: i64,
    due: Date,
    today: Date,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let number = row.case_number.clone().unwrap_or_default();
    let what = crate::domain::deadline::DeadlineKind::parse(kind).map_or("", |k| k.label());
    let message = if left < 0 {
        format!(
            "办件 {number} 已超过{what}（{due}）{} 个工作日，请立即办结并说明原因。",
            -left
        )
    } else if left == 0 {
        format!("办件 {number} 的{what}今天（{due}）到期，请今天办结。")
    } else {
        format!("办件 {number} 距{what}（{due}）还剩 {left} 个工作日，请抓紧办理。")
    };
    let department = row.department.clone().unwrap_or_default();
    let txn = db.begin().await.context("failed to begin a warning")?;
    let inserted = deadline_warning::Entity::insert(deadline_warning::ActiveModel {
        application_id: Set(row.id),
        department: Set(department.clone()),
        kind: Set(kind.into()),
        level: Set(level.as_str().into()),
        due: Set(due.to_string()),
        on_day: Set(if level.daily() {
            today.to_string()
        } else {
            String::new()
        }),
        days_left: Set(left.clamp(i32::MIN as i64, i32::MAX as i64) as i32),
        message: Set(message.clone()),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            deadline_warning::Column::ApplicationId,
            deadline_warning::Column::Kind,
            deadline_warning::Column::Due,
            deadline_warning::Column::Level,
            deadline_warning::Column::OnDay,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&txn)
    .await
    .context("failed to insert a warning")?;
    if inserted == 0 {
        return Ok(false);
    }
    let mut recipients = match level {
        WarningLevel::Handler => vec![handler_of(&txn, row.id).await?.map_or_else(
            || format!("department:{department}"),
            |id| format!("staff:{id}"),
        )],
        WarningLevel::Department => vec![format!("department:{department}")],
        WarningLevel::Supervision => vec![
            format!("department:{department}"),
            format!("supervisors:{department}"),
        ],
    };
    recipients.dedup();
    let messages = recipients
        .into_iter()
        .map(|recipient| notify::Message {
            audience: "staff",
            channel: "site",
            recipient,
            subject: level.label().into(),
            body: message.clone(),
        })
        .collect();
    notify::enqueue(&txn, row.id, messages, now).await?;
    txn.commit().await.context("failed to commit a warning")?;
    Ok(true)
}

/// The staff member who accepted the case (its handler), if one did.
async fn handler_of(
    txn: &impl ConnectionTrait,
    application_id: i32,
) -> anyhow::Result<Option<i32>> {
    Ok(case_event::Entity::find()
        .filter(case_event::Column::ApplicationId.eq(application_id))
        .filter(case_event::Column::Action.is_in([
            CaseAction::Accept.as_str(),
            CaseAction::AcceptWithDeficiency.as_str(),
        ]))
        .order_by_desc(case_event::Column::Id)
        .one(txn)
        .await
        .context("failed to read the handler")?
        .and_then(|e| e.staff_id))
}
