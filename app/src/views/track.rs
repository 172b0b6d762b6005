//! Tracking and the supervision board as the pages and the JSON API see them.
//! Wire types only: the server functions are in `api`, the services in `server`.

use serde::{Deserialize, Serialize};

use crate::domain::case::CaseStatus;

use crate::domain::date::Date;
use crate::domain::deadline::{Band, Clock, Deadlines};
use crate::domain::review::NoticeLine;

/// One step of a case's timeline, as the public may see it: what, when, by which department
/// (never the staff member's name), and why where the law says the applicant is told.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    /// RFC 3339.
    pub at: String,
    /// A `CaseAction`.
    pub action: String,
    pub label: String,
    pub department_name: String,
    pub detail: Option<String>,
}

/// A special procedure with its reason, as the applicant is told.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PauseView {
    pub procedure: String,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub reason: String,
}

/// The one extension, with its reason.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExtensionView {
    pub days: u32,
    pub on: Date,
    pub reason: String,
}

/// A message sent to the applicant (SMS and in-site), as listed on the case page.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MessageView {
    pub at: String,
    pub channel: String,
    pub subject: String,
    pub body: String,
    /// `pending`, `sent` or `failed`.
    pub status: String,
}

/// What the applicant must do now, if anything.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ToDo {
    pub message: String,
    /// The lines of a pending correction notice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<NoticeLine>,
    /// Where to act (the fix-up page), for the applicant signed in.
    pub href: Option<String>,
}

/// A case as tracking shows it: to anyone with its number and a second factor, or to its
/// applicant signed in. Personal numbers are masked.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrackView {
    pub case_number: String,
    pub title: String,
    pub department_name: String,
    pub status: CaseStatus,
    /// The status in plain Chinese.
    pub status_label: String,
    /// What the status means for the applicant, in a sentence.
    pub status_hint: String,
    /// 网上申请 or 窗口收件.
    pub channel_label: String,
    /// Masked (张*丰); a company's name in full.
    pub applicant_name: String,
    /// Masked (138****5678).
    pub contact_mobile: String,
    pub received_on: Option<Date>,
    pub timeline: Vec<TimelineEntry>,
    pub todo: Option<ToDo>,
    /// Every clock, from the one engine.
    pub deadlines: Deadlines,
    /// Special procedures with their reasons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<PauseView>,
    pub extension: Option<ExtensionView>,
    /// Set when the calendar lacks a year the figures need.
    pub calendar_problem: Option<String>,
    /// Changes with every step: the live page reloads when it does.
    pub version: i32,
    /// The case's own version, which an action on it (withdrawal) names.
    #[serde(default)]
    pub case_version: i32,
    /// The applicant's own 容缺 materials still to supply or confirm (signed in only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deferred: Vec<super::backoffice::DeferredSlot>,
    /// Each participating department's review: finished or not (no staff names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub progress: Vec<super::backoffice::DepartmentProgress>,
    /// Opens the live stream of this case (`/api/v1/track/{number}/events?stream=…`) for a
    /// few hours, without the second factor in the address (addresses end up in logs).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub stream: String,
    /// The applicant is signed in: notices and messages are listed too.
    pub owner: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<MessageView>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<super::review::NoticeView>,
    /// Once decided: how the result is delivered, and how far (送达).
    pub delivery: Option<super::backoffice::DeliveryView>,
    /// The electronic licences granted on it (signed in only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licences: Vec<super::licence::LicenceView>,
}

impl TrackView {
    /// The clock that matters now.
    pub fn current(&self) -> Option<&Clock> {
        self.deadlines.current()
    }
}

/// A line of the supervision board.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoardCase {
    pub case_number: String,
    pub title: String,
    pub item: String,
    pub status_label: String,
    pub clock: Clock,
    pub band: Band,
}

/// A review task of the department not yet done, with the time its case has left.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoardTask {
    pub case_number: String,
    pub item_name: String,
    /// 待签收 or 办理中 (the task's status label).
    pub status_label: String,
    /// Who signed for it (name and role), once someone has.
    pub claimed_by: Option<String>,
    /// The task's clock: its department's 审查时限 where the guide sets one, else the case's
    /// decision clock.
    pub clock: Clock,
    pub band: Band,
}

/// A warning raised on a case, with who has seen it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoardWarning {
    pub id: i32,
    pub case_number: String,
    pub level: String,
    pub level_label: String,
    pub days_left: i32,
    pub due: String,
    pub message: String,
    pub created_at: String,
    /// Names of the staff who have seen it, with when (RFC 3339).
    pub seen_by: Vec<(String, String)>,
    /// Whether the staff member looking has seen it.
    pub seen_by_me: bool,
}

/// Counts of one item (or the whole department) by band.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BandCounts {
    pub name: String,
    pub green: u32,
    pub amber: u32,
    pub red: u32,
    pub overdue: u32,
    pub paused: u32,
}

impl BandCounts {
    pub fn add(&mut self, band: Band) {
        match band {
            Band::Green => self.green += 1,
            Band::Amber => self.amber += 1,
            Band::Red => self.red += 1,
            Band::Overdue => self.overdue += 1,
            Band::Paused => self.paused += 1,
        }
    }
}

/// The supervision board of a department: open cases by time left (overdue first), counts
/// per item, and the ladder's warnings.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Board {
    pub department_name: String,
    pub today: Date,
    pub total: BandCounts,
    pub by_item: Vec<BandCounts>,
    pub cases: Vec<BoardCase>,
    pub warnings: Vec<BoardWarning>,
    /// The department's review tasks not yet done, least time left first: each due by its
    /// department's 审查时限, or with its case's decision.
    #[serde(default)]
    pub tasks: Vec<BoardTask>,
    /// 容缺 materials whose committed date has passed without the window confirming them
    /// (rule 7), oldest date first.
    #[serde(default)]
    pub late_deferred: Vec<LateDeferred>,
    /// Attacks on the department's staff accounts in the last 30 days, newest first.
    #[serde(default)]
    pub security_alerts: Vec<SecurityAlert>,
    pub calendar_problem: Option<String>,
}

/// A 容缺 material not supplied and confirmed by its committed date.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LateDeferred {
    pub case_number: String,
    pub material: String,
    pub commitment_date: Date,
    /// The applicant has uploaded it since it was asked for: the window has to check it.
    pub supplied: bool,
}

/// A department's staff account attacked: a 工号 locked from one client after repeated wrong
/// passwords (it still opens from everywhere else).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SecurityAlert {
    /// The 工号 and its holder's name.
    pub login: String,
    pub name: String,
    /// Where the attempts came from (an address; IPv6 by /64).
    pub client: String,
    /// RFC 3339.
    pub at: String,
}
