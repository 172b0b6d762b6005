//! A case's history: append-only rows of who, when, from which channel, what and why, with
//! a typed detail (`domain::case::EventDetail`).

use std::collections::BTreeSet;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::Actor;
use crate::domain::case::{CaseAction, CaseSnapshot, CaseStatus, EventDetail};
use crate::domain::catalog::DeliveryMethod;
use crate::server::entities::case_event;
use crate::server::notify;

/// The history of one case, oldest first.
pub async fn history_of(
    db: &impl ConnectionTrait,
    application_id: i32,
) -> anyhow::Result<Vec<case_event::Model>> {
    super::rows_of::<case_event::Entity>(db, application_id).await
}

/// A history row to append.
pub(super) struct EventRecord<'a> {
    pub application_id: i32,
    pub actor: &'a Actor,
    pub action: CaseAction,
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub reason: Option<String>,
    pub detail: Option<&'a EventDetail>,
}

/// Appends a row to a case's history and writes the applicant's messages about it, inside
/// the caller's transaction.
pub(super) async fn append(
    txn: &impl ConnectionTrait,
    record: EventRecord<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let EventRecord {
        application_id,
        actor,
        action,
        from,
        to,
        reason,
        detail,
    } = record;
    case_event::ActiveModel {
        application_id: Set(application_id),
        at: Set(now),
        actor: Set(actor.kind.as_str().into()),
        staff_id: Set(actor.staff_id),
        actor_name: Set(actor.name.clone()),
        channel: Set(actor.channel.as_str().into()),
        action: Set(action.as_str().into()),
        from_status: Set(Some(from.as_str().into())),
        to_status: Set(to.as_str().into()),
        reason: Set(reason.clone()),
        detail: Set(detail.map(EventDetail::to_json)),
        ..Default::default()
    }
    .insert(txn)
    .await
    .context("failed to record the history")?;
    let text = match (action, reason.as_deref()) {
        (CaseAction::Submit, _) => "已收到您的申请，请留意审查进度。".to_string(),
        (_, Some(r)) if !r.is_empty() => format!("{}。{r}", action.label()),
        _ => format!("{}。", action.label()),
    };
    notify::to_applicant(txn, application_id, action.label(), &text, now).await
}

/// What a fix-up changed, and the case before it.
pub struct FixUp {
    pub changed: BTreeSet<String>,
    pub before: CaseSnapshot,
}

/// The detail of a row, typed.
fn detail_of(e: &case_event::Model) -> anyhow::Result<Option<EventDetail>> {
    let action = CaseAction::parse(&e.action)
        .ok_or_else(|| anyhow!("history row {} has an unknown action {:?}", e.id, e.action))?;
    Ok(EventDetail::read(action, e.detail.as_deref())?)
}

/// The last fix-up of a case, if it has one.
pub fn last_fix_up(history: &[case_event::Model]) -> anyhow::Result<Option<FixUp>> {
    let Some(e) = history
        .iter()
        .rev()
        .find(|e| e.action == CaseAction::Resubmit.as_str())
    else {
        return Ok(None);
    };
    match detail_of(e)? {
        Some(EventDetail::FixUp { changed, before }) => Ok(Some(FixUp { changed, before })),
        _ => Ok(None),
    }
}

/// The snapshot taken when the open correction notice was issued.
pub fn snapshot_at_notice(history: &[case_event::Model]) -> anyhow::Result<CaseSnapshot> {
    let e = history
        .iter()
        .rev()
        .find(|e| e.action == CaseAction::RequestCorrection.as_str())
        .ok_or_else(|| anyhow!("a correction without its notice event"))?;
    match detail_of(e)? {
        Some(EventDetail::Correction { snapshot }) => Ok(snapshot),
        _ => Err(anyhow!("a correction notice event without its snapshot")),
    }
}

/// A 容缺 material promised at acceptance (rule 7), as the history tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deferred {
    pub code: String,
    pub name: String,
    pub commitment_date: crate::domain::date::Date,
    /// Confirmed (核验) by the window.
    pub confirmed: bool,
    /// When it was last asked for: at acceptance, or when the window returned it. An upload
    /// after this supplies it.
    pub asked_at: DateTime<Utc>,
    /// Why the window returned what was supplied, if it did and nothing came since.
    pub returned: Option<String>,
}

impl Deferred {
    /// Still to come or to confirm.
    pub fn outstanding(&self) -> bool {
        !self.confirmed
    }
}

/// The 容缺 materials of a case, from its history: promised at acceptance, returned with a
/// reason, confirmed by the window.
pub fn deferred_materials(history: &[case_event::Model]) -> anyhow::Result<Vec<Deferred>> {
    let mut out: Vec<Deferred> = Vec::new();
    for e in history {
        match detail_of(e)? {
            Some(EventDetail::Deficiency {
                pending,
                commitment_date,
            }) => out.extend(pending.into_iter().map(|line| Deferred {
                code: line.target.trim_start_matches("materials.").to_owned(),
                name: line.name,
                commitment_date,
                confirmed: false,
                asked_at: e.at,
                returned: None,
            })),
            Some(EventDetail::DeferredConfirmed { material }) => {
                for d in out.iter_mut().filter(|d| d.code == material) {
                    d.confirmed = true;
                }
            }
            Some(EventDetail::DeferredReturned { material, reason }) => {
                for d in out.iter_mut().filter(|d| d.code == material) {
                    d.asked_at = e.at;
                    d.returned = Some(reason.clone());
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The delivery steps of a case, from its history (rule 14).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliverySteps {
    /// Posted: the carrier, the waybill number, when.
    pub mailed: Option<(String, String, DateTime<Utc>)>,
    /// Delivered: how, who collected it (for 窗口领取), when.
    pub delivered: Option<(DeliveryMethod, Option<String>, DateTime<Utc>)>,
}

/// What the history says of a case's delivery.
pub fn delivery_steps(history: &[case_event::Model]) -> anyhow::Result<DeliverySteps> {
    let mut out = DeliverySteps::default();
    for e in history {
        match detail_of(e)? {
            Some(EventDetail::Mailed { carrier, waybill }) => {
                out.mailed = Some((carrier, waybill, e.at));
            }
            Some(EventDetail::Delivered { method, collector }) => {
                out.delivered = Some((method, collector, e.at));
            }
            _ => {}
        }
    }
    Ok(out)
}
