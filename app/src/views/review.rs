//! The window workbench as the pages and the JSON API see it: staff, the queue, a case
//! under review, the actions and their bodies, notices.
//! Wire types only: the server functions are in `api`, the services in `server`.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::applications::ApplicationView;
pub use super::notice::NoticeView;
use crate::domain::apply::ApplicationForm;
use crate::domain::case::{CaseStatus, Channel};
use crate::domain::date::Date;
use crate::domain::deadline::{ExtensionRequest, ResumeRequest, SuspendRequest};
use crate::domain::review::{CorrectionItem, DeficiencyRequest, RejectionRequest, StaffRole};

/// A staff member, as the workbench shows them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffInfo {
    pub id: i32,
    pub login: String,
    pub name: String,
    pub role: StaffRole,
    pub role_label: String,
    /// Department code.
    pub department: String,
    pub department_name: String,
}

/// A staff account to create.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    pub login: String,
    pub name: String,
    /// `window`, `reviewer`, `chief`, `supervisor` or `admin`.
    pub role: String,
    /// Department code.
    pub department: String,
    pub password: String,
}

/// Which cases the queue lists.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct QueueFilter {
    /// `submitted` (the default: waiting for pre-review), `correction_requested`,
    /// `accepted`, `suspended`, `rejected` or `all`.
    #[serde(default)]
    pub status: Option<String>,
    /// `online` or `window`.
    #[serde(default)]
    pub channel: Option<String>,
    /// Part of the case number, the item's name or the applicant's name.
    #[serde(default)]
    pub q: Option<String>,
    /// `received` (the default: oldest first), `-received` (newest first), `title` or
    /// `applicant`.
    #[serde(default)]
    pub sort: Option<String>,
    /// The page, from 1 ([`QUEUE_PAGE`] cases each).
    #[serde(default)]
    pub page: Option<i32>,
}

/// Cases per queue page.
pub const QUEUE_PAGE: usize = 50;

/// How many of the department's cases stand at a status.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseCount {
    pub status: CaseStatus,
    pub count: u32,
    /// There are more than `count` (an ended status is counted up to a bound).
    #[serde(default)]
    pub more: bool,
}

impl CaseCount {
    /// As the queue prints it: "已办结 1000 件以上".
    pub fn text(&self) -> String {
        super::count::count_text(self.status.label(), self.count, self.more)
    }
}

/// A line of the queue.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueEntry {
    pub case_number: String,
    pub title: String,
    pub applicant_name: String,
    pub channel: Channel,
    pub status: CaseStatus,
    pub status_label: String,
    /// Latest receipt (RFC 3339).
    pub received_at: String,
    pub received_on: Date,
    /// Working days since receipt; `None` when the calendar lacks the year.
    pub age_working_days: Option<u32>,
    /// The last day to accept, reject or send a notice (rule 3).
    pub acceptance_due: Option<Date>,
}

/// The queue, and the figures the hall is judged on.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Queue {
    /// This page of the cases that match, in the order asked for.
    pub entries: Vec<QueueEntry>,
    /// How many match, on every page.
    pub matching: u32,
    pub page: u32,
    pub pages: u32,
    /// The department's cases by status, whatever the filter.
    pub counts: Vec<CaseCount>,
    /// Cases waiting for pre-review in the department, whatever the filter.
    pub waiting: u32,
    /// Age of the oldest of them, in working days.
    #[serialize_always]
    pub oldest_age_working_days: Option<u32>,
    /// Set when the calendar lacks a year the figures need.
    pub calendar_problem: Option<String>,
}

/// A row of a case's history.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CaseEventView {
    pub at: String,
    pub actor_name: String,
    pub channel: String,
    pub action: String,
    pub action_label: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
}

/// A file replaced in a fix-up, kept for comparison.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReplacedMaterial {
    pub id: i32,
    pub code: String,
    pub file_name: String,
    pub size: u64,
    pub file_type: String,
    pub uploaded_at: String,
    pub replaced_at: String,
}

/// A case as the workbench shows it.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffCase {
    pub application: ApplicationView,
    pub form: ApplicationForm,
    /// The version to name in an action (optimistic locking).
    pub version: i32,
    pub applicant_name: String,
    pub history: Vec<CaseEventView>,
    /// Files replaced in fix-ups, oldest first.
    pub replaced: Vec<ReplacedMaterial>,
    /// Form values before the last fix-up, where it changed them.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub values_before_fix_up: std::collections::BTreeMap<String, String>,
    /// After a fix-up: what it changed, the only targets a further notice may name (rule 2).
    pub changed_in_fix_up: Option<BTreeSet<String>>,
    pub blacklisted: bool,
    /// 收件即受理.
    pub accept_on_receipt: bool,
    pub today: Date,
    pub acceptance_due: Option<Date>,
    /// The promised completion date if accepted today.
    pub promised_due_if_accepted_today: Option<Date>,
    pub calendar_problem: Option<String>,
    /// Whether this staff member may act on it at the window (the receiving department's
    /// window staff and chief).
    pub may_act: bool,
    /// Whether this staff member may start or end a special procedure: those who may act,
    /// and a reviewer holding a review task of the case.
    #[serde(default)]
    pub may_pause: bool,
    /// Every clock of the case, from the one engine.
    pub deadlines: Option<crate::domain::deadline::Deadlines>,
    /// Who is looking (what the back-office panel offers depends on it).
    pub viewer: StaffInfo,
    /// The back office once accepted (tasks, decisions, 容缺), and the items with who handles
    /// them (a 即办件 before acceptance).
    pub back_office: super::backoffice::BackOffice,
    /// Working days the one extension would add (10, or 15 for joint handling).
    pub extension_days_allowed: Option<u32>,
    /// Once decided: how the result is delivered, and how far (送达).
    pub delivery: Option<super::backoffice::DeliveryView>,
    /// The electronic licences granted on it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licences: Vec<super::licence::LicenceView>,
}

/// An action's body: the version it was decided on, and what it says.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    pub version: i32,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeficiencyAction {
    pub version: i32,
    /// Uploaded materials found defective (codes); missing ones are added by the rule.
    #[serde(default)]
    pub defective: Vec<String>,
    /// YYYY-MM-DD.
    pub commitment_date: String,
}

impl DeficiencyAction {
    pub fn request(&self) -> DeficiencyRequest {
        DeficiencyRequest {
            defective: self.defective.clone(),
            commitment_date: self.commitment_date.clone(),
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectAction {
    pub version: i32,
    pub reason: String,
    pub legal_basis: String,
}

impl RejectAction {
    pub fn request(&self) -> RejectionRequest {
        RejectionRequest {
            reason: self.reason.clone(),
            legal_basis: self.legal_basis.clone(),
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CorrectionAction {
    pub version: i32,
    pub items: Vec<CorrectionItem>,
}

/// The start of a special procedure (特别程序), with the version seen.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SuspendAction {
    pub version: i32,
    /// `hearing`, `inspection`, `testing`, `quarantine`, `appraisal`, `expert_review`,
    /// `site_survey`.
    pub procedure: String,
    pub reason: String,
    /// YYYY-MM-DD, today or earlier.
    pub start: String,
    /// 更正说明: needed for a start before today once the decision limit has run out (the
    /// reason it is entered only now, and who approved the correction).
    #[serde(default)]
    pub correction: String,
}

impl SuspendAction {
    pub fn request(&self) -> SuspendRequest {
        SuspendRequest {
            procedure: self.procedure.clone(),
            reason: self.reason.clone(),
            start: self.start.clone(),
            correction: self.correction.clone(),
        }
    }
}

/// The end of the open special procedure.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResumeAction {
    pub version: i32,
    /// YYYY-MM-DD, today or earlier.
    pub end: String,
    #[serde(default)]
    pub note: String,
}

impl ResumeAction {
    pub fn request(&self) -> ResumeRequest {
        ResumeRequest {
            end: self.end.clone(),
            note: self.note.clone(),
        }
    }
}

/// The one extension of the decision limit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtendAction {
    pub version: i32,
    pub approver: String,
    pub reason: String,
}

impl ExtendAction {
    pub fn request(&self) -> ExtensionRequest {
        ExtensionRequest {
            approver: self.approver.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// The workbench's actions, one server function for the four of them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum ReviewCommand {
    Accept(AcceptRequest),
    AcceptWithDeficiency(DeficiencyAction),
    Reject(RejectAction),
    RequestCorrection(CorrectionAction),
    Suspend(SuspendAction),
    Resume(ResumeAction),
    Extend(ExtendAction),
}
