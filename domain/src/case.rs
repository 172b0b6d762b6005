//! A case (办件) and its life: where it stands, what can happen to it, and what each history
//! row records (docs/rules.md, "The case and its life").
//!
//! The server moves a case only through [`CaseStatus::apply`], inside the one transaction
//! that also appends the history row; the pages read the same enums, never status strings.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::labels::labelled_enum;
use crate::notice::NoticeLine;

labelled_enum! {
    /// Where a case stands. The label is the status in plain Chinese, as an applicant reads it.
    CaseStatus {
        Draft = "draft", "草稿";
        Submitted = "submitted", "已提交，待受理";
        CorrectionRequested = "correction_requested", "待补齐补正";
        /// Accepted, its review tasks waiting for the departments to sign for them.
        Accepted = "accepted", "已受理，待审查";
        /// A department has signed for its review task (签收): the review is under way.
        InReview = "in_review", "审查中";
        Rejected = "rejected", "不予受理";
        /// Accepted, with the decision clock stopped for a special procedure (第四十五条).
        Suspended = "suspended", "特别程序中（暂停计时）";
        /// Every item decided (准予 or 不予行政许可): the decision clock stopped, the delivery
        /// clock running (第四十四条).
        Decided = "decided", "已作出审查决定";
        /// The applicant withdrew the application before a decision (撤回申请).
        Withdrawn = "withdrawn", "已撤回申请";
        /// The result delivered (送达): the case has ended (办结).
        Completed = "completed", "已办结";
    }
}

labelled_enum! {
    /// What happens to a case; every one is a row of its history.
    CaseAction {
        /// The applicant (online) or window staff (in the hall) submits the application.
        Submit = "submit", "提交申请";
        /// 受理.
        Accept = "accept", "受理";
        /// 容缺受理.
        AcceptWithDeficiency = "accept_with_deficiency", "容缺受理";
        /// 不予受理.
        Reject = "reject", "不予受理";
        /// 一次性告知 / 补正通知.
        RequestCorrection = "request_correction", "一次性告知补正";
        /// The applicant resubmits after a correction notice (网上补齐补正).
        Resubmit = "resubmit", "补正后重新提交";
        /// Five working days passed without an answer: accepted by law as of the receipt day.
        DeemAccept = "deem_accept", "逾期视为受理";
        /// A special procedure starts (听证, 检验, …): the decision clock stops.
        Suspend = "suspend", "启动特别程序（暂停计时）";
        /// The special procedure ends: the clock runs again.
        Resume = "resume", "特别程序结束（恢复计时）";
        /// The one extension of the decision limit, with its approval.
        Extend = "extend", "延长办理期限";
        /// The first department signs for its review task (签收): the review starts.
        StartReview = "start_review", "开始审查";
        /// One item of a bundle decided while others are still open (并联审批).
        DecideItem = "decide_item", "作出单项审查决定";
        /// The last item decided: the case is decided and its one decision notice issued
        /// (统一出件).
        Decide = "decide", "作出审查决定";
        /// 即办件: accepted and decided on the spot (当场办结).
        DecideOnTheSpot = "decide_on_the_spot", "当场办结";
        /// 撤回申请: before a decision, with a reason; open review tasks close.
        Withdraw = "withdraw", "撤回申请";
        /// The window confirms (核验) a 容缺 material supplied after acceptance.
        ConfirmDeferred = "confirm_deferred", "容缺材料核验通过";
        /// The window returns a supplied 容缺 material with a reason: supply it again.
        ReturnDeferred = "return_deferred", "容缺材料退回";
        /// The window posts the result (邮寄寄出): carrier and waybill recorded.
        Mail = "mail", "邮寄寄出";
        /// The result delivered (送达): online at the decision, by post on receipt, or
        /// collected at the hall; the case ends (办结).
        Deliver = "deliver", "送达办结";
    }
}

pub use crate::notice::Outcome;

/// Longest reason, legal basis or per-item remark a notice or a history row takes
/// (characters).
pub const MAX_REASON_CHARS: usize = 500;

labelled_enum! {
    /// Where an application came in, or an action was taken.
    Channel {
        Online = "online", "网上申请";
        Window = "window", "窗口收件";
        /// The server itself (the five-day rule).
        System = "system", "系统";
    }
}

labelled_enum! {
    /// Who took an action, as the history records it.
    ActorKind {
        Applicant = "applicant", "申请人";
        Staff = "staff", "工作人员";
        System = "system", "系统";
    }
}

labelled_enum! {
    /// The special procedures whose time is not counted (第四十五条).
    SpecialProcedure {
        Hearing = "hearing", "听证";
        Inspection = "inspection", "检验";
        Testing = "testing", "检测";
        Quarantine = "quarantine", "检疫";
        Appraisal = "appraisal", "鉴定";
        ExpertReview = "expert_review", "专家评审";
        SiteSurvey = "site_survey", "现场勘验";
    }
}

/// An action that the case's status does not allow.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("办件当前状态为“{}”，不能{}", .from.label(), .action.label())]
pub struct TransitionError {
    pub from: CaseStatus,
    pub action: CaseAction,
}

impl CaseStatus {
    /// The statuses whose clocks run (or are paused) and are watched by the board and the
    /// warning ladder: neither a draft nor finished.
    pub const OPEN: [CaseStatus; 6] = [
        CaseStatus::Submitted,
        CaseStatus::CorrectionRequested,
        CaseStatus::Accepted,
        CaseStatus::InReview,
        CaseStatus::Suspended,
        // Decided, the delivery clock runs until the result is delivered.
        CaseStatus::Decided,
    ];

    /// Accepted and not yet decided: the decision clock runs (or is paused), the review
    /// tasks are live, 容缺 materials may follow.
    pub const UNDER_REVIEW: [CaseStatus; 3] = [
        CaseStatus::Accepted,
        CaseStatus::InReview,
        CaseStatus::Suspended,
    ];

    /// The status machine (docs/rules.md, "The case and its life"): the status `action` leads
    /// to from this one, or why it cannot happen.
    pub fn apply(self, action: CaseAction) -> Result<CaseStatus, TransitionError> {
        use CaseAction as A;
        use CaseStatus as S;
        match (self, action) {
            (S::Draft, A::Submit) => Ok(S::Submitted),
            (S::Submitted, A::Accept | A::AcceptWithDeficiency | A::DeemAccept) => Ok(S::Accepted),
            (S::Submitted, A::Reject) => Ok(S::Rejected),
            (S::Submitted, A::RequestCorrection) => Ok(S::CorrectionRequested),
            (S::CorrectionRequested, A::Resubmit) => Ok(S::Submitted),
            (S::Accepted, A::StartReview) => Ok(S::InReview),
            (S::Accepted | S::InReview, A::Suspend) => Ok(S::Suspended),
            // A special procedure is part of the review: the case comes back under review.
            (S::Suspended, A::Resume) => Ok(S::InReview),
            (S::Accepted | S::InReview, A::Extend) => Ok(self),
            (S::InReview, A::DecideItem) => Ok(S::InReview),
            (S::Accepted | S::InReview | S::Suspended, A::ConfirmDeferred | A::ReturnDeferred) => {
                Ok(self)
            }
            (S::InReview, A::Decide) => Ok(S::Decided),
            (S::Submitted, A::DecideOnTheSpot) => Ok(S::Decided),
            (S::Decided, A::Mail) => Ok(S::Decided),
            (S::Decided, A::Deliver) => Ok(S::Completed),
            (
                S::Submitted | S::CorrectionRequested | S::Accepted | S::InReview | S::Suspended,
                A::Withdraw,
            ) => Ok(S::Withdrawn),
            _ => Err(TransitionError { from: self, action }),
        }
    }

    /// Whether the case is accepted and not yet decided (see [`CaseStatus::UNDER_REVIEW`]).
    pub fn under_review(self) -> bool {
        Self::UNDER_REVIEW.contains(&self)
    }

    /// Whether the case is still being handled (see [`CaseStatus::OPEN`]).
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// What the status means for the applicant, in one sentence (the tracking page).
    pub fn hint(self) -> &'static str {
        match self {
            CaseStatus::Draft => "申请尚未提交。",
            CaseStatus::Submitted => {
                "窗口正在审查申请材料，将在 5 个工作日内作出受理、不予受理或补正告知。"
            }
            CaseStatus::CorrectionRequested => {
                "申请材料需要补齐补正：请按一次性告知书的要求补正后重新提交，补正期间不计入受理期限。"
            }
            CaseStatus::Accepted => "申请已受理，已推送各审批部门，将在办结期限内作出决定。",
            CaseStatus::InReview => "审批部门正在审查，将在办结期限内作出决定。",
            CaseStatus::Rejected => "申请不予受理，理由和依据见不予受理通知书。",
            CaseStatus::Suspended => {
                "办件正在进行特别程序（如检测、专家评审），所需时间不计入办理期限。"
            }
            CaseStatus::Decided => "已作出审查决定，决定书见下方；办理结果将在 10 个工作日内送达。",
            CaseStatus::Withdrawn => "申请已撤回，办理终止；如需办理可重新申请。",
            CaseStatus::Completed => "办理结果已送达，办件已办结。",
        }
    }
}

/// The parts of a case a fix-up can change: form values, and the file of each material.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSnapshot {
    pub values: BTreeMap<String, String>,
    /// SHA-256 of the uploaded file, by material code.
    pub materials: BTreeMap<String, String>,
}

/// What a history row records beyond who, when, the action and the reason: the facts later
/// rules read back (the clocks, the next correction notice, the workbench). Stored as JSON
/// tagged with `kind`; rows written before the tag existed are read by their action
/// ([`EventDetail::read`]).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventDetail {
    /// 容缺受理: the materials to follow, by the committed date.
    Deficiency {
        pending: Vec<NoticeLine>,
        commitment_date: Date,
    },
    /// 一次性告知: the case as it stood when the notice was issued.
    Correction { snapshot: CaseSnapshot },
    /// A resubmission: what the fix-up changed, and the case before it.
    FixUp {
        changed: BTreeSet<String>,
        before: CaseSnapshot,
    },
    /// A special procedure and the day it started (may be before the day it was entered).
    Suspension {
        procedure: SpecialProcedure,
        start: Date,
        /// 更正说明, when the start was entered late on a case already overdue.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        correction: Option<String>,
    },
    /// The day the special procedure ended.
    Resumption { end: Date },
    /// The one extension: working days added, and who approved it.
    Extension { days: u32, approver: String },
    /// A decision: each item decided by this row, with its outcome.
    Decision { items: Vec<ItemOutcome> },
    /// A 容缺 material confirmed by the window (its code).
    DeferredConfirmed { material: String },
    /// A supplied 容缺 material returned by the window, and why.
    DeferredReturned { material: String, reason: String },
    /// The result posted: the carrier and the waybill number.
    Mailed { carrier: String, waybill: String },
    /// The result delivered, by which method; for 窗口领取, who collected it (name and masked
    /// ID number).
    Delivered {
        method: crate::catalog::DeliveryMethod,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        collector: Option<String>,
    },
}

/// One item's decision as the history keeps it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemOutcome {
    pub item_code: String,
    pub outcome: Outcome,
}

/// A history row's detail that does not read as its action's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the detail of a {action} history row is corrupt: {cause}")]
pub struct CorruptDetail {
    pub action: &'static str,
    pub cause: String,
}

impl EventDetail {
    /// The `kind` tag each action's detail carries, if the action records one.
    fn kind_of(action: CaseAction) -> Option<&'static str> {
        match action {
            CaseAction::AcceptWithDeficiency => Some("deficiency"),
            CaseAction::RequestCorrection => Some("correction"),
            CaseAction::Resubmit => Some("fix_up"),
            CaseAction::Suspend => Some("suspension"),
            CaseAction::Resume => Some("resumption"),
            CaseAction::Extend => Some("extension"),
            CaseAction::DecideItem | CaseAction::Decide | CaseAction::DecideOnTheSpot => {
                Some("decision")
            }
            CaseAction::ConfirmDeferred => Some("deferred_confirmed"),
            CaseAction::ReturnDeferred => Some("deferred_returned"),
            CaseAction::Mail => Some("mailed"),
            CaseAction::Deliver => Some("delivered"),
            CaseAction::Withdraw
            | CaseAction::StartReview
            | CaseAction::Submit
            | CaseAction::Accept
            | CaseAction::Reject
            | CaseAction::DeemAccept => None,
        }
    }

    /// Reads the stored detail of a row of `action`. Rows stored before details were tagged
    /// carry no `kind`: their action says which they are. `None` when there is no detail.
    pub fn read(action: CaseAction, stored: Option<&str>) -> Result<Option<Self>, CorruptDetail> {
        let corrupt = |cause: String| CorruptDetail {
            action: action.as_str(),
            cause,
        };
        let Some(text) = stored.filter(|t| !t.trim().is_empty()) else {
            return Ok(None);
        };
        let mut value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))?;
        if let (Some(object), Some(kind)) = (value.as_object_mut(), Self::kind_of(action)) {
            object
                .entry("kind")
                .or_insert_with(|| serde_json::Value::String(kind.into()));
        }
        let detail: EventDetail =
            serde_json::from_value(value).map_err(|e| corrupt(e.to_string()))?;
        match Self::kind_of(action) {
            Some(kind) if detail.kind() == kind => Ok(Some(detail)),
            _ => Err(corrupt(format!("a {} detail", detail.kind()))),
        }
    }

    /// The tag this detail is stored with.
    pub fn kind(&self) -> &'static str {
        match self {
            EventDetail::Deficiency { .. } => "deficiency",
            EventDetail::Correction { .. } => "correction",
            EventDetail::FixUp { .. } => "fix_up",
            EventDetail::Suspension { .. } => "suspension",
            EventDetail::Resumption { .. } => "resumption",
            EventDetail::Extension { .. } => "extension",
            EventDetail::Decision { .. } => "decision",
            EventDetail::DeferredConfirmed { .. } => "deferred_confirmed",
            EventDetail::DeferredReturned { .. } => "deferred_returned",
            EventDetail::Mailed { .. } => "mailed",
            EventDetail::Delivered { .. } => "delivered",
        }
    }

    /// The detail as stored.
    pub fn to_json(&self) -> String {
        // A derived Serialize of strings, dates and sets cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_machine_allows_exactly_the_drawn_arrows() {
        use CaseAction as A;
        use CaseStatus as S;
        let allowed = [
            (S::Draft, A::Submit, S::Submitted),
            (S::Submitted, A::Accept, S::Accepted),
            (S::Submitted, A::AcceptWithDeficiency, S::Accepted),
            (S::Submitted, A::DeemAccept, S::Accepted),
            (S::Submitted, A::Reject, S::Rejected),
            (S::Submitted, A::RequestCorrection, S::CorrectionRequested),
            (S::CorrectionRequested, A::Resubmit, S::Submitted),
            (S::Accepted, A::StartReview, S::InReview),
            (S::Accepted, A::Suspend, S::Suspended),
            (S::InReview, A::Suspend, S::Suspended),
            (S::Suspended, A::Resume, S::InReview),
            (S::Accepted, A::Extend, S::Accepted),
            (S::InReview, A::Extend, S::InReview),
            (S::InReview, A::DecideItem, S::InReview),
            (S::Accepted, A::ConfirmDeferred, S::Accepted),
            (S::InReview, A::ConfirmDeferred, S::InReview),
            (S::Suspended, A::ConfirmDeferred, S::Suspended),
            (S::Accepted, A::ReturnDeferred, S::Accepted),
            (S::InReview, A::ReturnDeferred, S::InReview),
            (S::Suspended, A::ReturnDeferred, S::Suspended),
            (S::InReview, A::Decide, S::Decided),
            (S::Submitted, A::DecideOnTheSpot, S::Decided),
            (S::Submitted, A::Withdraw, S::Withdrawn),
            (S::CorrectionRequested, A::Withdraw, S::Withdrawn),
            (S::Accepted, A::Withdraw, S::Withdrawn),
            (S::InReview, A::Withdraw, S::Withdrawn),
            (S::Suspended, A::Withdraw, S::Withdrawn),
            (S::Decided, A::Mail, S::Decided),
            (S::Decided, A::Deliver, S::Completed),
        ];
        for from in S::ALL {
            for action in A::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(from.apply(action).ok(), expected, "{from:?} {action:?}");
            }
        }
        let err = S::Accepted.apply(A::Reject).unwrap_err();
        assert_eq!(
            err.to_string(),
            "办件当前状态为“已受理，待审查”，不能不予受理"
        );
        for a in A::ALL {
            assert_eq!(A::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn open_cases_are_those_between_submission_and_an_end() {
        let open: Vec<_> = CaseStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open, CaseStatus::OPEN);
        assert!(!CaseStatus::Draft.is_open());
        assert!(!CaseStatus::Rejected.is_open());
        for s in CaseStatus::ALL {
            assert!(!s.hint().is_empty());
            assert_eq!(CaseStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn statuses_travel_as_their_wire_names_and_unknown_ones_are_refused() {
        assert_eq!(
            serde_json::to_string(&CaseStatus::CorrectionRequested).unwrap(),
            r#""correction_requested""#
        );
        assert_eq!(
            serde_json::from_str::<CaseStatus>(r#""suspended""#).unwrap(),
            CaseStatus::Suspended
        );
        let err = serde_json::from_str::<CaseStatus>(r#""closed""#).unwrap_err();
        assert!(
            err.to_string().contains("unknown variant `closed`"),
            "{err}"
        );
    }

    #[test]
    fn a_detail_round_trips_with_its_tag() {
        let d = EventDetail::Suspension {
            procedure: SpecialProcedure::Testing,
            start: Date::new(2026, 3, 2).unwrap(),
            correction: Some("补录：听证通知书已于当日送达".into()),
        };
        let text = d.to_json();
        assert!(text.contains(r#""kind":"suspension""#), "{text}");
        assert_eq!(
            EventDetail::read(CaseAction::Suspend, Some(&text)),
            Ok(Some(d))
        );
    }

    #[test]
    fn details_stored_before_the_tag_are_read_by_their_action() {
        let old = r#"{"procedure":"expert_review","start":"2026-03-02"}"#;
        assert_eq!(
            EventDetail::read(CaseAction::Suspend, Some(old)),
            Ok(Some(EventDetail::Suspension {
                procedure: SpecialProcedure::ExpertReview,
                start: Date::new(2026, 3, 2).unwrap(),
                correction: None,
            }))
        );
        let old = r#"{"days":10,"approver":"王局长"}"#;
        assert_eq!(
            EventDetail::read(CaseAction::Extend, Some(old)),
            Ok(Some(EventDetail::Extension {
                days: 10,
                approver: "王局长".into()
            }))
        );
        assert_eq!(EventDetail::read(CaseAction::Accept, None), Ok(None));
    }

    #[test]
    fn a_detail_of_another_action_or_shape_is_corrupt() {
        let resumption = EventDetail::Resumption {
            end: Date::new(2026, 3, 9).unwrap(),
        }
        .to_json();
        assert!(EventDetail::read(CaseAction::Suspend, Some(&resumption)).is_err());
        assert!(EventDetail::read(CaseAction::Extend, Some(r#"{"days":"ten"}"#)).is_err());
        assert!(EventDetail::read(CaseAction::Accept, Some(&resumption)).is_err());
        assert!(EventDetail::read(CaseAction::Resume, Some("not json")).is_err());
    }
}
