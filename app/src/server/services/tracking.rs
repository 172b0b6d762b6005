//! Deadlines read from the history, public tracking, the warning ladder and the supervision
//! board.
//!
//! Every figure comes from `domain::deadline::deadlines` over the case's history rows: the
//! clocks are never stored. Tracking answers a wrong number and a wrong second factor alike,
//! and counts both against the client in the login throttle (key `track:<address>`).

use std::collections::BTreeMap;
use std::net::SocketAddr;

use anyhow::{Context, anyhow};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use crate::clock::china_date;
use crate::domain::application::ApplicationNumber;
use crate::domain::apply::ApplicantForm;
use crate::domain::calendar::WorkingCalendar;
use crate::domain::date::Date;
use crate::domain::deadline::{Deadlines, Limits, WarningLevel, deadlines, warning_level};
use crate::domain::review::{CaseAction, CaseStatus, NoticeKind};
use crate::domain::track::{mask_mobile, mask_name, normalize_factor};
use crate::server::cases;
use crate::server::entities::{
    application, case_event, deadline_warning, department, staff, warning_seen,
};
use crate::server::notify;
use crate::server::services::accounts::{self, AccountError};
use crate::server::services::calendar;
use crate::server::services::catalog;
use crate::server::services::review::ReviewError;
use crate::views::review::StaffInfo;
use crate::views::track::{
    BandCounts, Board, BoardCase, BoardWarning, ExtensionView, PauseView, TimelineEntry, ToDo,
    TrackView,
};

/// Who is asking, for the tracking throttle: the peer's address (or, behind a trusted
/// reverse proxy, the first address of `X-Forwarded-For`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientKey(pub String);

impl Default for ClientKey {
    fn default() -> Self {
        ClientKey("unknown".into())
    }
}

/// `ONEWINDOW_TRUST_FORWARDED=1`: the server sits behind a proxy that sets
/// `X-Forwarded-For`; otherwise that header is ignored (a client could forge it).
fn trust_forwarded() -> bool {
    static TRUST: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRUST.get_or_init(|| std::env::var("ONEWINDOW_TRUST_FORWARDED").is_ok_and(|v| v == "1"))
}

impl<S: Send + Sync> FromRequestParts<S> for ClientKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if trust_forwarded()
            && let Some(first) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        {
            return Ok(ClientKey(first.to_string()));
        }
        Ok(parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| ClientKey(c.0.ip().to_string()))
            .unwrap_or_default())
    }
}

/// Why tracking answered nothing.
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    /// Wrong number or wrong second factor, never saying which.
    #[error("办件编号或验证信息不正确")]
    NotFound,
    #[error("查询失败次数过多，请 {0} 秒后再试")]
    TooMany(i64),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The clocks of one case as of `today`.
pub async fn case_deadlines(
    db: &DatabaseConnection,
    cal: &WorkingCalendar,
    row: &application::Model,
    history: &[case_event::Model],
    today: Date,
) -> Result<(Deadlines, Limits), ReviewError> {
    let limits = cases::limits_of(db, row).await?;
    let steps = cases::history_steps(history)?;
    Ok((deadlines(cal, &steps, limits, today)?, limits))
}

/// A case by its 办件编号 (not a draft).
async fn find_case(
    db: &DatabaseConnection,
    number: &str,
) -> anyhow::Result<Option<application::Model>> {
    let Some(number) = ApplicationNumber::parse(number.trim()) else {
        return Ok(None);
    };
    application::Entity::find()
        .filter(application::Column::CaseNumber.eq(number.as_str()))
        .filter(application::Column::Status.ne(CaseStatus::Draft.as_str()))
        .one(db)
        .await
        .context("failed to read a case")
}

/// Whether `factor` is the case's contact mobile, the mobile of the person who applied at
/// the window, or the receipt's tracking code.
fn factor_matches(row: &application::Model, factor: &str) -> bool {
    let factor = normalize_factor(factor);
    if factor.is_empty() {
        return false;
    }
    let applicant: ApplicantForm = serde_json::from_str(&row.applicant).unwrap_or_default();
    [
        applicant.values.get("contact_mobile").cloned(),
        row.agent_mobile.clone(),
        row.tracking_code.clone(),
    ]
    .into_iter()
    .flatten()
    .any(|known| !known.is_empty() && normalize_factor(&known) == factor)
}

/// Checks a number and its second factor, counting failures against the client; the case.
pub async fn open_case(
    db: &DatabaseConnection,
    number: &str,
    factor: &str,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<application::Model, TrackError> {
    let key = format!("track:{}", client.0);
    let throttle = accounts::throttle_check(db, &key, now)
        .await
        .map_err(|e| match e {
            AccountError::TooManyAttempts { retry_after } => TrackError::TooMany(retry_after),
            AccountError::Internal(e) => TrackError::Internal(e),
            other => TrackError::Internal(anyhow!("{other}")),
        })?;
    match find_case(db, number).await? {
        Some(row) if factor_matches(&row, factor) => Ok(row),
        _ => {
            // Two failures at once may both try to create the client's row; one wins, and
            // the other is not worth an error page.
            if let Err(e) = accounts::throttle_failure(db, &key, throttle, now).await {
                tracing::debug!(error = ?e, "tracking throttle not updated");
            }
            Err(TrackError::NotFound)
        }
    }
}

/// Tracks a case for anyone with its number and second factor.
pub async fn track(
    db: &DatabaseConnection,
    number: &str,
    factor: &str,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<TrackView, TrackError> {
    let row = open_case(db, number, factor, client, now).await?;
    Ok(view(db, row, false, now).await?)
}

/// The signed-in applicant's own case (by 申请编号 or 办件编号), without a second factor.
pub async fn track_own(
    db: &DatabaseConnection,
    account_id: i32,
    number: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<TrackView>> {
    match crate::server::services::applications::own_row(db, account_id, number).await? {
        Some(row) if row.case_number.is_some() => Ok(Some(view(db, row, true, now).await?)),
        _ => Ok(None),
    }
}

/// The version of a case, which every step raises (for live pages).
pub async fn version_of(db: &DatabaseConnection, id: i32) -> anyhow::Result<Option<i32>> {
    application::Entity::find_by_id(id)
        .select_only()
        .column(application::Column::Version)
        .into_tuple::<i32>()
        .one(db)
        .await
        .context("failed to read a case's version")
}

/// What a step says to the public, beyond its name.
fn public_detail(action: CaseAction, e: &case_event::Model) -> Option<String> {
    match action {
        CaseAction::Submit => Some(match e.channel.as_str() {
            "window" => "窗口收件".to_string(),
            _ => "网上提交".to_string(),
        }),
        CaseAction::Reject
        | CaseAction::RequestCorrection
        | CaseAction::DeemAccept
        | CaseAction::Suspend
        | CaseAction::Resume
        | CaseAction::Extend
        | CaseAction::AcceptWithDeficiency => e.reason.clone(),
        CaseAction::Accept | CaseAction::Resubmit => None,
    }
}

async fn department_name(db: &DatabaseConnection, code: Option<&str>) -> anyhow::Result<String> {
    Ok(department::Entity::find()
        .filter(department::Column::Code.eq(code.unwrap_or_default()))
        .one(db)
        .await
        .context("failed to read a department")?
        .map(|d| d.name)
        .unwrap_or_default())
}

async fn view(
    db: &DatabaseConnection,
    row: application::Model,
    owner: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<TrackView> {
    let history = cases::history_of(db, row.id).await?;
    let cal = calendar::load(db).await?;
    let today = china_date(now);
    let mut calendar_problem = None;
    let deadlines = match case_deadlines(db, &cal, &row, &history, today).await {
        Ok((d, _)) => d,
        Err(ReviewError::Calendar(e)) => {
            calendar_problem = Some(e.to_string());
            Deadlines::default()
        }
        Err(ReviewError::Internal(e)) => return Err(e),
        Err(other) => return Err(anyhow!("{other}")),
    };
    let department_name = department_name(db, row.department.as_deref()).await?;
    let status = CaseStatus::parse(&row.status).ok_or_else(|| anyhow!("bad status"))?;
    let timeline = history
        .iter()
        .filter_map(|e| {
            let action = CaseAction::parse(&e.action)?;
            Some(TimelineEntry {
                at: e.at.to_rfc3339(),
                action: e.action.clone(),
                label: action.label().into(),
                department_name: department_name.clone(),
                detail: public_detail(action, e),
            })
        })
        .collect();
    let suspensions: Vec<&case_event::Model> = history
        .iter()
        .filter(|e| e.action == CaseAction::Suspend.as_str())
        .collect();
    let pauses = deadlines
        .pauses
        .iter()
        .zip(suspensions)
        .map(|(p, e)| PauseView {
            procedure: p.procedure.label().into(),
            started_on: p.started_on,
            ended_on: p.ended_on,
            reason: e.reason.clone().unwrap_or_default(),
        })
        .collect();
    let extension = match (
        deadlines.extension_days,
        history
            .iter()
            .find(|e| e.action == CaseAction::Extend.as_str()),
    ) {
        (Some(days), Some(e)) => Some(ExtensionView {
            days,
            on: china_date(e.at),
            reason: e.reason.clone().unwrap_or_default(),
        }),
        _ => None,
    };
    let notices = cases::notices_of(db, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let todo = (status == CaseStatus::CorrectionRequested).then(|| ToDo {
        message: "请按一次性告知书补齐补正以下材料或内容，然后重新提交。".into(),
        lines: notices
            .iter()
            .rev()
            .find(|n| n.notice.kind == NoticeKind::Correction)
            .map(|n| n.notice.lines.clone())
            .unwrap_or_default(),
        href: owner.then(|| format!("/applications/{}", row.number)),
    });
    let applicant: ApplicantForm = serde_json::from_str(&row.applicant).unwrap_or_default();
    let title = match (&row.item_code, &row.bundle_code) {
        (Some(code), _) => catalog::names(db).await?.0.remove(code),
        (None, Some(code)) => catalog::names(db).await?.1.remove(code),
        _ => None,
    }
    .unwrap_or_default();
    Ok(TrackView {
        case_number: row.case_number.clone().unwrap_or_default(),
        title,
        department_name,
        status,
        status_label: status.label().into(),
        status_hint: CaseStatus::hint(status).into(),
        channel_label: match row.channel.as_deref() {
            Some("window") => "窗口收件",
            _ => "网上申请",
        }
        .into(),
        applicant_name: mask_name(&cases::applicant_name(&row)),
        contact_mobile: mask_mobile(
            applicant
                .values
                .get("contact_mobile")
                .map(String::as_str)
                .unwrap_or_default(),
        ),
        received_on: row.submitted_at.map(china_date),
        timeline,
        todo,
        deadlines,
        pauses,
        extension,
        calendar_problem,
        version: row.version,
        owner,
        messages: if owner {
            notify::applicant_messages(db, row.id).await?
        } else {
            vec![]
        },
        notices: if owner { notices } else { vec![] },
    })
}

/// The supervision board of the staff member's department (chief representatives and
/// supervisors).
pub async fn board(
    db: &DatabaseConnection,
    me: &StaffInfo,
    now: DateTime<Utc>,
) -> Result<Board, ReviewError> {
    if !me.role.supervises() {
        return Err(ReviewError::Forbidden(
            "督办看板只对首席代表和分管领导（督查）开放",
        ));
    }
    let rows = application::Entity::find()
        .filter(cases::visible_cases(me)?)
        .filter(application::Column::Status.is_in(CaseStatus::OPEN.map(|s| s.as_str())))
        .all(db)
        .await
        .context("failed to read the department's cases")?;
    let cal = calendar::load(db).await?;
    let today = china_date(now);
    let clocks = cases::deadlines_of_rows(db, &cal, &rows, today).await?;
    let (items, bundles) = catalog::names(db).await?;
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
    Ok(Board {
        department_name: me.department_name.clone(),
        today,
        total,
        by_item: by_item.into_values().collect(),
        cases,
        warnings: warnings_of(db, me).await?,
        calendar_problem,
    })
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
    let names: BTreeMap<i32, String> = staff::Entity::find()
        .filter(staff::Column::Department.eq(me.department.as_str()))
        .all(db)
        .await
        .context("failed to read staff")?
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
    if !me.role.sees_cases() {
        return Err(ReviewError::NotAReviewer);
    }
    deadline_warning::Entity::find_by_id(warning_id)
        .filter(deadline_warning::Column::Department.eq(me.department.as_str()))
        .one(db)
        .await
        .context("failed to read a warning")?
        .ok_or(ReviewError::NotFound)?;
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
