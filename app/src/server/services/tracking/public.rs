//! 办理进度查询: a case found by its number and a second factor (or the applicant's own
//! session), and what the applicant is shown: status, timeline, deadlines, what to do next.

use std::sync::Arc;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::clock::china_date;
use crate::domain::account::ThrottleRule;
use crate::domain::application::ApplicationNumber;
use crate::domain::deadline::{Deadlines, deadlines};
use crate::domain::review::{CaseAction, CaseStatus, NoticeKind};
use crate::domain::track::{mask_mobile, mask_name, normalize_factor};
use crate::server::cases;
use crate::server::entities::{application, case_event};
use crate::server::notify;
use crate::server::services::throttle;
use crate::views::track::{ExtensionView, PauseView, TimelineEntry, ToDo, TrackView};

use super::memory::{CaseFacts, Probe, TrackCache};
use super::{ClientKey, TrackError};

/// Whether `factor` is the case's contact mobile, the mobile of the person who applied at
/// the window, or the receipt's tracking code.
fn factor_matches(facts: &CaseFacts, factor: &str) -> bool {
    let factor = normalize_factor(factor);
    !factor.is_empty() && facts.factors.contains(&factor)
}

/// A lookup of `number` by a client, judged by `opens`: the case and the probe it was found
/// by, or `NotFound` (counted against the client) for a missing case and a wrong guess
/// alike, or `TooMany` while the client must wait. Lookups are guesses at the factor
/// ([`throttle::Guess`]): parallel ones cannot all pass before their failures are counted,
/// and a right one waits for nobody.
async fn look_up(
    db: &DatabaseConnection,
    cache: &TrackCache,
    number: &str,
    client: &ClientKey,
    now: DateTime<Utc>,
    opens: impl FnOnce(&CaseFacts) -> bool,
) -> Result<(Arc<CaseFacts>, Probe), TrackError> {
    let key = format!("track:{}", client.0);
    let guess = throttle::Guess::start(&key);
    let number = ApplicationNumber::parse(number.trim());
    let probe = cache
        .probe(db, &key, number.as_ref().map(|n| n.as_str()))
        .await?;
    let rule = ThrottleRule::LOGIN;
    guess
        .may_try(rule, probe.throttle, now)
        .map_err(TrackError::TooMany)?;
    match cache.case(db, &probe).await? {
        Some(facts) if opens(&facts) => {
            guess
                .right(rule, probe.throttle, now)
                .map_err(TrackError::TooMany)?;
            Ok((facts, probe))
        }
        _ => {
            let failure = guess
                .wrong(rule, probe.throttle, now)
                .map_err(TrackError::TooMany)?;
            let counted = failure.count(db, now).await;
            // A write by a GET, which the middleware does not see: known before the answer
            // leaves (`services::changes`), and before the failure stops deciding.
            cache.changes.wrote();
            drop(failure);
            counted?;
            Err(TrackError::NotFound)
        }
    }
}

/// How long a stream token opens a case's live stream, in seconds.
const STREAM_TOKEN_SECONDS: i64 = 12 * 60 * 60;

/// A token that opens the live stream of `row` until `until` (Unix seconds): `until.mac`,
/// the MAC keyed by the case's 查询码, which only the server and the receipt know. Stateless,
/// so any instance checks it; it says nothing about the applicant.
pub fn stream_token(row: &application::Model, until: i64) -> String {
    use sha2::{Digest, Sha256};
    let mut mac = Sha256::new();
    for part in [
        "onewindow track stream",
        row.case_number.as_deref().unwrap_or_default(),
        &until.to_string(),
        row.tracking_code.as_deref().unwrap_or_default(),
    ] {
        mac.update(part.as_bytes());
        mac.update([0]);
    }
    format!("{until}.{}", &hex::encode(mac.finalize())[..32])
}

/// Whether `token` opens the live stream of `row` (a token from a lookup, not yet expired).
fn token_opens(row: &application::Model, token: &str, now: DateTime<Utc>) -> bool {
    token
        .split_once('.')
        .and_then(|(until, _)| until.parse::<i64>().ok())
        .filter(|until| *until >= now.timestamp())
        .is_some_and(|until| row.tracking_code.is_some() && stream_token(row, until) == token)
}

/// What a client shows to open a case besides its number.
#[derive(Clone, Copy, Debug)]
pub enum Proof<'a> {
    /// The second factor: the contact's or the window applicant's mobile, or the receipt's
    /// 查询码.
    Factor(&'a str),
    /// A stream token of an earlier lookup ([`stream_token`]).
    Token(&'a str),
}

impl Proof<'_> {
    fn opens(self, facts: &CaseFacts, now: DateTime<Utc>) -> bool {
        match self {
            Proof::Factor(factor) => factor_matches(facts, factor),
            Proof::Token(token) => token_opens(&facts.row, token, now),
        }
    }
}

/// The case `number` that `proof` opens, counting failures against the client: anything
/// else is `NotFound`, a wrong number and a wrong proof alike.
pub async fn open(
    db: &DatabaseConnection,
    cache: &TrackCache,
    number: &str,
    proof: Proof<'_>,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<Arc<CaseFacts>, TrackError> {
    let opens = |facts: &CaseFacts| proof.opens(facts, now);
    Ok(look_up(db, cache, number, client, now, opens).await?.0)
}

/// Tracks a case for anyone with its number and a proof (its second factor, or the stream
/// token a lookup posted without JavaScript leaves in a cookie).
pub async fn track(
    db: &DatabaseConnection,
    cache: &TrackCache,
    number: &str,
    proof: Proof<'_>,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<TrackView, TrackError> {
    let opens = |facts: &CaseFacts| proof.opens(facts, now);
    let (facts, probe) = look_up(db, cache, number, client, now, opens).await?;
    Ok(view(db, cache, &facts, &probe, false, now).await?)
}

/// The signed-in applicant's own case (by 申请编号 or 办件编号), without a second factor.
pub async fn track_own(
    db: &DatabaseConnection,
    cache: &TrackCache,
    account_id: i32,
    number: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<TrackView>> {
    let Some(row) = crate::server::services::applications::own_row(db, account_id, number).await?
    else {
        return Ok(None);
    };
    let Some(case_number) = row.case_number.as_deref() else {
        return Ok(None);
    };
    // No client to throttle: the key of nobody.
    let probe = cache.probe(db, "", Some(case_number)).await?;
    match cache.case(db, &probe).await? {
        Some(facts) if facts.row.id == row.id => {
            Ok(Some(view(db, cache, &facts, &probe, true, now).await?))
        }
        _ => Ok(None),
    }
}

/// How far a case has come, for live pages: its version, which every step raises, plus the
/// review tasks done (a department finishing does not move the case itself). Only grows.
pub async fn version_of(db: &DatabaseConnection, id: i32) -> anyhow::Result<Option<i32>> {
    let Some(version) = application::Entity::find_by_id(id)
        .select_only()
        .column(application::Column::Version)
        .into_tuple::<i32>()
        .one(db)
        .await
        .context("failed to read a case's version")?
    else {
        return Ok(None);
    };
    let done = crate::server::services::review::done_tasks(db, id).await?;
    Ok(Some(version + done as i32))
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
        | CaseAction::AcceptWithDeficiency
        | CaseAction::DecideItem
        | CaseAction::Decide
        | CaseAction::DecideOnTheSpot
        | CaseAction::Withdraw
        | CaseAction::ConfirmDeferred
        | CaseAction::ReturnDeferred
        | CaseAction::Mail
        | CaseAction::Deliver
        | CaseAction::StartReview => e.reason.clone(),
        CaseAction::Accept | CaseAction::Resubmit => None,
    }
}

/// The page of a case: from memory, but for what only its owner is shown.
async fn view(
    db: &DatabaseConnection,
    cache: &TrackCache,
    facts: &CaseFacts,
    probe: &Probe,
    owner: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<TrackView> {
    let row = &facts.row;
    let history = &facts.history;
    let reference = cache.reference(db, probe).await?;
    let today = china_date(now);
    let mut calendar_problem = None;
    let deadlines = match deadlines(&reference.calendar, &facts.steps, facts.limits, today) {
        Ok(d) => d,
        Err(e) => {
            calendar_problem = Some(e.to_string());
            Deadlines::default()
        }
    };
    let department_name = row
        .department
        .as_deref()
        .and_then(|code| reference.department_names.get(code))
        .cloned()
        .unwrap_or_default();
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
    let notices = &facts.notices;
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
    let applicant = &facts.applicant;
    let title = match (&row.item_code, &row.bundle_code) {
        (Some(code), _) => reference.item_names.get(code),
        (None, Some(code)) => reference.bundle_names.get(code),
        _ => None,
    }
    .cloned()
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
        applicant_name: mask_name(&cases::name_in(applicant)),
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
        version: facts.stamp.progress(),
        progress: crate::server::services::review::progress_of(
            &facts.tasks,
            &reference.department_names,
        ),
        case_version: row.version,
        stream: if owner {
            String::new()
        } else {
            stream_token(row, now.timestamp() + STREAM_TOKEN_SECONDS)
        },
        owner,
        messages: if owner {
            notify::applicant_messages(db, row.id).await?
        } else {
            vec![]
        },
        notices: if owner { notices.clone() } else { vec![] },
        licences: if owner {
            crate::server::services::licences::of_case(db, row.id).await?
        } else {
            vec![]
        },
        delivery: crate::server::services::review::delivery_view(
            row,
            history,
            if owner {
                crate::server::services::review::Reader::Applicant
            } else {
                crate::server::services::review::Reader::Public
            },
        )?,
        deferred: if owner {
            crate::server::services::review::deferred_slots(db, row).await?
        } else {
            vec![]
        },
    })
}
