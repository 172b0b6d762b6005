//! 送达 (rule 14): the result delivered by the method the applicant chose. 网上下载 is
//! delivered with the decision, in its transaction; 邮寄 and 窗口领取 are recorded by the
//! window. Delivery stops the delivery clock and ends the case (办结).

use super::*;
use crate::domain::catalog::DeliveryMethod;
use crate::domain::delivery::{
    CheckedDelivery, DeliveryChoice, DeliveryFacts, DeliveryForm, check_delivery,
};
use crate::server::cases::FollowUp;
use crate::views::backoffice::{DeliveryAction, DeliveryView};

/// The applicant's choice as the case stored it; `None` before it was asked.
pub fn choice_of(row: &application::Model) -> anyhow::Result<Option<DeliveryChoice>> {
    let form: DeliveryForm =
        serde_json::from_str(&row.delivery).context("corrupt delivery choice")?;
    Ok(DeliveryChoice::stored(&form))
}

/// The step that follows a decision on a case delivered online: the result is published in
/// 我的办件 with the decision, so it is delivered at once.
pub fn online_delivery(row: &application::Model) -> anyhow::Result<Option<FollowUp>> {
    Ok(match choice_of(row)? {
        Some(c) if c.method == DeliveryMethod::Download => Some(FollowUp {
            action: CaseAction::Deliver,
            reason: "电子送达：办理结果已发布到“我的办件”，可随时下载".into(),
            detail: Some(EventDetail::Delivered {
                method: DeliveryMethod::Download,
                collector: None,
            }),
        }),
        _ => None,
    })
}

/// Who reads a delivery.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// Window and back-office staff: everything.
    Staff,
    /// The signed-in applicant: the whole address, not the collector's ID.
    Applicant,
    /// Anyone with the case number and its factor: the district, the carrier and waybill.
    Public,
}

/// The case's delivery for `reader`, once the case is decided (or was delivered).
pub fn delivery_view(
    row: &application::Model,
    history: &[case_event::Model],
    reader: Reader,
) -> anyhow::Result<Option<DeliveryView>> {
    let status = row.case_status()?;
    if !matches!(status, CaseStatus::Decided | CaseStatus::Completed) {
        return Ok(None);
    }
    let choice = choice_of(row)?;
    let steps = cases::delivery_steps(history)?;
    let address = choice
        .as_ref()
        .and_then(|c| c.address.as_ref())
        .map(|a| match reader {
            Reader::Public => {
                let city = if a.city == a.province {
                    ""
                } else {
                    a.city.as_str()
                };
                format!("{}{city}{}", a.province, a.district)
            }
            _ => format!("{}（收件人：{}，{}）", a.line(), a.recipient, a.mobile),
        });
    let (carrier, waybill, mailed_on) = match steps.mailed {
        Some((c, w, at)) => (Some(c), Some(w), Some(china_date(at))),
        None => (None, None, None),
    };
    let (method, collector, delivered_on) = match steps.delivered {
        Some((m, c, at)) => (Some(m), c, Some(china_date(at))),
        None => (choice.as_ref().map(|c| c.method), None, None),
    };
    Ok(Some(DeliveryView {
        method: choice.map(|c| c.method).or(method),
        address,
        carrier,
        waybill,
        mailed_on,
        delivered_on,
        collector: if reader == Reader::Staff {
            collector
        } else {
            None
        },
    }))
}

/// The window records a delivery step (寄出, 妥投, 领取) on a decided case, by the method the
/// applicant chose; the last step ends the case and stops the delivery clock.
pub async fn deliver(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    action: &DeliveryAction,
    now: DateTime<Utc>,
) -> Result<DeliveryView, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let history = cases::history_of(db, row.id).await?;
    let steps = cases::delivery_steps(&history)?;
    let facts = DeliveryFacts {
        status: row.case_status()?,
        choice: choice_of(&row)?,
        offered: ctx.form.delivery_methods.clone(),
        mailed: steps.mailed.map(|(c, w, _)| (c, w)),
    };
    let checked =
        check_delivery(&facts, &action.request(), ctx.today).map_err(ReviewError::Invalid)?;
    let t = match checked {
        CheckedDelivery::Mail { carrier, waybill } => Transition::new(CaseAction::Mail)
            .because(format!("办理结果已交{carrier}寄出，运单号 {waybill}"))
            .with_detail(EventDetail::Mailed { carrier, waybill }),
        CheckedDelivery::Delivered { method, collector } => {
            let reason = match method {
                DeliveryMethod::Post => "邮件已妥投，办理结果送达".to_string(),
                DeliveryMethod::Pickup => {
                    "申请人到窗口领取办理结果，领取人身份证件已核验".to_string()
                }
                DeliveryMethod::Download => {
                    "电子送达：办理结果已发布到“我的办件”，可随时下载".to_string()
                }
            };
            Transition::new(CaseAction::Deliver)
                .because(reason)
                .with_detail(EventDetail::Delivered { method, collector })
        }
    };
    cases::transition(db, &row, action.version, &Actor::staff(me), t, now).await?;
    let row = application::Entity::find_by_id(row.id)
        .one(db)
        .await
        .context("failed to read a case")?
        .ok_or(CaseError::NotFound)?;
    let history = cases::history_of(db, row.id).await?;
    delivery_view(&row, &history, Reader::Staff)?
        .ok_or_else(|| anyhow!("a delivered case without its delivery").into())
}
