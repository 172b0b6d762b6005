//! The warning ladder: raises each rung once per case, department, deadline and due day, and
//! tells the handler and the department (the receiving one, and each holding a late review
//! task).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::clock::china_date;
use crate::domain::date::Date;
use crate::domain::deadline::{Clock, DeadlineKind, WarningLevel, warning_level};
use crate::domain::decision::TaskStatus;
use crate::domain::review::{CaseAction, CaseStatus};
use crate::server::cases;
use crate::server::entities::{
    application, case_event, deadline_warning, deferred_reminder, review_task,
};
use crate::server::notify;
use crate::server::services::reference::ReferenceCache;

/// The warning ladder (rule 6), run by a background job: for every case under review whose
/// decision clock runs, and every decided case whose delivery clock runs (rule 14), raises the rung its days left stand on, once per case, department,
/// clock, due day and rung (the supervision rung once a day), with its messages: to the
/// receiving department, and to each department still holding a review task of the case
/// (by the task's own 审查时限 where the guide sets one, else the case's). Safe with several instances: the unique index lets one
/// insert win. Returns how many were raised.
pub async fn raise_warnings(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<u32> {
    let rows = application::Entity::find()
        .filter(application::Column::Status.is_in([
            CaseStatus::Accepted.as_str(),
            CaseStatus::InReview.as_str(),
            CaseStatus::Decided.as_str(),
        ]))
        .all(db)
        .await
        .context("failed to read cases under review")?;
    // The job's own reading of the reference data: each guide read once per run.
    let reference = ReferenceCache::default().get(db).await?;
    let today = china_date(now);
    let open_tasks = review_task::Entity::find()
        .filter(review_task::Column::ApplicationId.is_in(rows.iter().map(|r| r.id)))
        .filter(review_task::Column::Status.is_in(TaskStatus::UNFINISHED.map(TaskStatus::as_str)))
        .order_by_asc(review_task::Column::Id)
        .all(db)
        .await
        .context("failed to read open review tasks")?;
    let (clocks, task_clocks) =
        cases::deadlines_with_tasks(db, &reference, &rows, &open_tasks, today).await?;
    let mut holding: BTreeMap<i32, Vec<&review_task::Model>> = BTreeMap::new();
    for task in &open_tasks {
        holding.entry(task.application_id).or_default().push(task);
    }
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
        // Decided, the result is still to be delivered: its clock is the one to watch.
        let case_rung = if row.status == CaseStatus::Decided.as_str() {
            d.delivery
                .as_ref()
                .and_then(|c| Rung::of(c, DeadlineKind::Delivery.as_str(), today))
        } else {
            d.decision
                .as_ref()
                .and_then(|c| Rung::of(c, DeadlineKind::Decision.as_str(), today))
        };
        if let Some(rung) = &case_rung
            && raise(db, row, None, rung, now).await?
        {
            raised += 1;
        }
        // The departments holding a task: by the task's own 审查时限 where the guide set one,
        // else by the case's clock, once per department (the receiving one has its rung).
        let receiving = row.department.as_deref().unwrap_or_default();
        let mut warned = BTreeSet::from([receiving]);
        for task in holding.get(&row.id).into_iter().flatten() {
            let rung = if task.limit_days.is_some() {
                task_clocks
                    .get(&task.id)
                    .and_then(|c| Rung::of(c, REVIEW_LIMIT_KIND, today))
            } else if warned.insert(task.department.as_str()) {
                case_rung.clone()
            } else {
                None
            };
            if let Some(rung) = rung
                && raise(db, row, Some(task), &rung, now).await?
            {
                raised += 1;
            }
        }
    }
    Ok(raised)
}

/// The kind of a rung raised on a task's own 审查时限 (the others are a `DeadlineKind`).
const REVIEW_LIMIT_KIND: &str = "review_limit";

/// A rung to raise: the clock, the level, and where it stands.
#[derive(Clone)]
struct Rung {
    kind: &'static str,
    what: &'static str,
    level: WarningLevel,
    left: i64,
    due: Date,
    today: Date,
}

impl Rung {
    /// The rung a running clock stands on today, if any.
    fn of(clock: &Clock, kind: &'static str, today: Date) -> Option<Rung> {
        if !clock.open() || clock.paused {
            return None;
        }
        let (left, due) = (clock.days_left?, clock.due?);
        Some(Rung {
            kind,
            what: if kind == REVIEW_LIMIT_KIND {
                "审查时限"
            } else {
                clock.kind.label()
            },
            level: warning_level(left)?,
            left,
            due,
            today,
        })
    }
}

/// Inserts one rung and its messages in one transaction, for the receiving department or
/// for the department holding `task`; `false` if it was raised already.
async fn raise(
    db: &DatabaseConnection,
    row: &application::Model,
    task: Option<&review_task::Model>,
    rung: &Rung,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let Rung {
        kind,
        what,
        level,
        left,
        due,
        today,
    } = rung.clone();
    let number = row.case_number.clone().unwrap_or_default();
    let subject = match task {
        Some(t) => format!("办件 {number} 的审查任务（{}）", t.item_name),
        None => format!("办件 {number} "),
    };
    let message = if left < 0 {
        format!(
            "{subject}已超过{what}（{due}）{} 个工作日，请立即办结并说明原因。",
            -left
        )
    } else if left == 0 {
        format!("{subject}的{what}今天（{due}）到期，请今天办结。")
    } else {
        format!("{subject}距{what}（{due}）还剩 {left} 个工作日，请抓紧办理。")
    };
    let department = task
        .map(|t| t.department.clone())
        .or(row.department.clone())
        .unwrap_or_default();
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
            deadline_warning::Column::Department,
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
        WarningLevel::Handler => {
            let handler = match task {
                // The reviewer who signed for the task, if one has.
                Some(t) => t.claimed_by,
                None => handler_of(&txn, row.id).await?,
            };
            vec![handler.map_or_else(
                || format!("department:{department}"),
                |id| format!("staff:{id}"),
            )]
        }
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

/// Reminds each applicant, once per material and committed date, of a 容缺 material whose
/// committed date has passed and that has not been uploaded since it was asked for (rule 7;
/// the board lists it for the window too). Run with the warning ladder; safe with several
/// instances: the unique index lets one insert win. Returns how many reminders were sent.
pub async fn remind_deferred(db: &DatabaseConnection, now: DateTime<Utc>) -> anyhow::Result<u32> {
    let under_review: Vec<i32> = application::Entity::find()
        .filter(application::Column::Status.is_in(CaseStatus::UNDER_REVIEW.map(|s| s.as_str())))
        .all(db)
        .await
        .context("failed to read cases under review")?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut sent = 0;
    for late in super::board::overdue_deferred(db, under_review, china_date(now)).await? {
        if late.supplied {
            // Uploaded and waiting for the window: nothing for the applicant to do.
            continue;
        }
        let txn = db.begin().await.context("failed to begin a reminder")?;
        let inserted = deferred_reminder::Entity::insert(deferred_reminder::ActiveModel {
            application_id: Set(late.application_id),
            material_code: Set(late.code.clone()),
            commitment_date: Set(late.commitment_date.to_string()),
            created_at: Set(now),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::columns([
                deferred_reminder::Column::ApplicationId,
                deferred_reminder::Column::MaterialCode,
                deferred_reminder::Column::CommitmentDate,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .context("failed to record a reminder")?;
        if inserted == 0 {
            continue;
        }
        let text = format!(
            "您承诺于 {} 前补交的容缺材料“{}”尚未补交，请尽快在办件进度页上传；补齐并经窗口核验前，不能作出审查决定。",
            late.commitment_date, late.name
        );
        notify::to_applicant(&txn, late.application_id, "容缺材料逾期提醒", &text, now).await?;
        txn.commit().await.context("failed to commit a reminder")?;
        sent += 1;
    }
    Ok(sent)
}
