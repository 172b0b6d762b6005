//! The back office as the pages and the JSON API see it: review tasks and their queue, each
//! item's decision, the 容缺 materials still to come, and the bodies of the back-office
//! actions. Wire types only: the services are in `server`.

use serde::{Deserialize, Serialize};

use super::notice::NoticeView;
use crate::domain::case::{CaseStatus, Channel};
use crate::domain::catalog::DeliveryMethod;
use crate::domain::date::Date;
use crate::domain::decision::{
    DecisionFacts, DecisionRequest, HandledItem, Opinion, Outcome, TaskState, TaskStatus,
};
use crate::domain::delivery::{DeliveryRequest, DeliveryStep};

/// A review task (审查任务), as GB/T 39046 表 7 names its fields.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskView {
    pub id: i32,
    pub case_number: String,
    pub item_code: String,
    /// 环节名称: the item reviewed.
    pub item_name: String,
    pub department: String,
    pub department_name: String,
    /// The item's own department (实施主体).
    pub lead: bool,
    /// 环节办理状态.
    pub status: TaskStatus,
    /// 环节处理人 (staff only; the public sees departments, never names).
    pub claimed_by: Option<i32>,
    pub claimed_by_name: Option<String>,
    /// 环节开始时间 (when the task was opened: the case's acceptance, RFC 3339).
    pub started_at: String,
    /// 环节结束时间.
    pub completed_at: Option<String>,
    /// 处理意见.
    pub opinion: Option<Opinion>,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    pub conditions: Option<String>,
}

impl TaskView {
    /// The task as the rules read it.
    pub fn state(&self) -> TaskState {
        TaskState {
            id: self.id,
            item_code: self.item_code.clone(),
            department: self.department.clone(),
            status: self.status,
            claimed_by: self.claimed_by,
            opinion: self.opinion,
        }
    }
}

/// Which tasks the 待办 queue lists.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct TaskFilter {
    /// `todo` (the default: 待签收 and 办理中), `open`, `claimed`, `done`, `closed` or `all`.
    #[serde(default)]
    pub status: Option<String>,
    /// `due` (the default: soonest due first), `-due`, `accepted` (longest in review first),
    /// `-accepted`, `title` or `applicant`.
    #[serde(default)]
    pub sort: Option<String>,
    /// The page, from 1 ([`TASK_PAGE`] tasks each).
    #[serde(default)]
    pub page: Option<i32>,
    /// The page of the 待决定 list (a chief representative's), from 1, in the same order.
    #[serde(default)]
    pub decisions_page: Option<i32>,
}

/// Where a page of a list stands among the lines that match.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Paging {
    /// How many match, on every page.
    pub matching: u32,
    pub page: u32,
    pub pages: u32,
}

/// Tasks per 待办 page.
pub const TASK_PAGE: usize = 50;

/// A task's or an item's clock as a queue line shows it: the decision clock of the case, or
/// the department's own 审查时限 when the catalog sets one.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueueClock {
    /// The day of acceptance (the clock's start, not counted).
    pub accepted_on: Option<Date>,
    /// The due day; `None` while paused with days still left, or when unknown.
    pub due: Option<Date>,
    /// Working days used so far.
    pub used_days: Option<u32>,
    /// Working days allowed, extensions included.
    pub limit_days: Option<u32>,
    /// Working days left (negative: overdue).
    pub days_left: Option<i64>,
    /// Stopped for a special procedure.
    pub paused: bool,
}

impl QueueClock {
    /// The line's figures from a clock of the deadline engine (none: unknown).
    pub fn of(clock: Option<&crate::domain::deadline::Clock>) -> Self {
        clock.map_or_else(QueueClock::default, |c| QueueClock {
            accepted_on: Some(c.started_on),
            due: c.due,
            used_days: Some(c.used_days),
            limit_days: Some(c.limit_days),
            days_left: c.days_left,
            paused: c.paused,
        })
    }

    /// Whether the line is past its due day.
    pub fn overdue(&self) -> bool {
        self.days_left.is_some_and(|d| d < 0)
    }

    /// The order of "soonest due first": running clocks by due day, then paused and unknown.
    pub fn due_order(&self) -> (bool, bool, Option<Date>) {
        (self.due.is_none(), self.paused, self.due)
    }
}

/// A line of the 待办 queue.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskQueueEntry {
    pub task: TaskView,
    /// The case's item or bundle.
    pub title: String,
    pub applicant_name: String,
    pub channel: Channel,
    pub case_status: CaseStatus,
    /// The task's clock: its department's 审查时限, or the case's decision clock.
    #[serde(flatten)]
    pub clock: QueueClock,
}

/// An item of the department whose review tasks are all done and which waits for its chief
/// representative's decision.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DecisionDue {
    pub case_number: String,
    pub item_code: String,
    pub item_name: String,
    pub applicant_name: String,
    pub channel: Channel,
    pub case_status: CaseStatus,
    /// Every task of the item said 同意 (a grant is open); otherwise only a refusal is.
    pub all_agree: bool,
    /// The case's decision clock.
    #[serde(flatten)]
    pub clock: QueueClock,
}

/// How many of the department's tasks stand at a status.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: TaskStatus,
    pub count: u32,
    /// There are more than `count` (a finished status is counted up to a bound).
    #[serde(default)]
    pub more: bool,
}

impl StatusCount {
    /// As the task list prints it: "已办 1000 件以上".
    pub fn text(&self) -> String {
        super::count::count_text(self.status.label(), self.count, self.more)
    }
}

/// The department's 待办 queue: soonest due first unless another order is asked for.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TaskQueue {
    /// This page of the tasks that match, in the order asked for.
    pub entries: Vec<TaskQueueEntry>,
    /// How many match, on every page.
    pub matching: u32,
    pub page: u32,
    pub pages: u32,
    pub counts: Vec<StatusCount>,
    /// For a chief representative: this page of the department's items waiting for a
    /// decision (every task done, not yet decided), in the order asked for.
    #[serde(default)]
    pub decisions_due: Vec<DecisionDue>,
    #[serde(default)]
    pub decisions_paging: Paging,
    pub calendar_problem: Option<String>,
}

/// An item's decision.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemDecisionView {
    pub item_code: String,
    pub item_name: String,
    pub department_name: String,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    pub conditions: Option<String>,
    pub decided_by: String,
    pub decided_at: String,
}

/// A 容缺 material promised at acceptance.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeferredMaterial {
    pub code: String,
    pub name: String,
    pub commitment_date: Date,
    /// Confirmed (核验) by the window.
    pub confirmed: bool,
    /// Uploaded by the applicant since it was last asked for.
    pub supplied: bool,
    /// Why the window returned what was supplied, when it did.
    pub returned: Option<String>,
}

/// The back office of a case: its items and who handles them, the tasks, the decisions, and
/// what the decision rules read.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BackOffice {
    pub items: Vec<HandledItem>,
    pub tasks: Vec<TaskView>,
    pub decisions: Vec<ItemDecisionView>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deferred: Vec<DeferredMaterial>,
}

impl BackOffice {
    /// What `domain::decision::check_decision` reads, for a case at `status`.
    pub fn facts(&self, status: CaseStatus) -> DecisionFacts {
        DecisionFacts {
            status,
            tasks: self.tasks.iter().map(TaskView::state).collect(),
            decided: self.decisions.iter().map(|d| d.item_code.clone()).collect(),
            outstanding: self
                .deferred
                .iter()
                .filter(|d| !d.confirmed)
                .map(|d| d.name.clone())
                .collect(),
        }
    }
}

/// A decision on one item, with the case version seen.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionAction {
    pub version: i32,
    /// The item decided (实施编码).
    pub item: String,
    pub outcome: Outcome,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub conditions: String,
}

impl DecisionAction {
    pub fn request(&self) -> DecisionRequest {
        DecisionRequest {
            item: self.item.clone(),
            outcome: self.outcome,
            reason: self.reason.clone(),
            legal_basis: self.legal_basis.clone(),
            conditions: self.conditions.clone(),
        }
    }
}

/// 即办件: accepted and decided at the window in one step.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OnTheSpotAction {
    pub version: i32,
    pub outcome: Outcome,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub conditions: String,
}

/// The window confirms (核验) a 容缺 material the applicant supplied, or returns it with a
/// reason for the applicant to supply again.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmDeferredAction {
    pub version: i32,
    /// The material's code.
    pub material: String,
    /// Set to return the material instead of confirming it: why.
    pub return_reason: Option<String>,
}

/// What a decision did: an item decided, and when it was the last, the case with its one
/// notice (统一出件).
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DecisionResult {
    pub case_decided: bool,
    pub notice: Option<NoticeView>,
    /// The items still to decide.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub undecided: Vec<String>,
}

/// A 容缺 material the applicant is to supply online, with the guide's requirement.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeferredSlot {
    pub material: crate::domain::catalog::Material,
    pub state: DeferredMaterial,
}

/// A department's progress as the applicant sees it: no staff names.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentProgress {
    pub item_name: String,
    pub department_name: String,
    pub finished: bool,
}

/// A delivery action (送达) with the case version seen.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliveryAction {
    pub version: i32,
    pub step: DeliveryStep,
    /// 寄出: `carrier`, `waybill`; 领取: `collector_name`, `collector_id_number`.
    #[serde(default)]
    pub values: std::collections::BTreeMap<String, String>,
}

impl DeliveryAction {
    pub fn request(&self) -> DeliveryRequest {
        DeliveryRequest {
            step: self.step,
            values: self.values.clone(),
        }
    }
}

/// How a case's result is delivered (送达), and how far it has got.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    /// The applicant's choice; `None` on a case submitted before the choice was asked.
    pub method: Option<DeliveryMethod>,
    /// For 邮寄: where it goes. The applicant and staff see the whole address and the
    /// recipient; public tracking shows the province, city and district only.
    pub address: Option<String>,
    pub carrier: Option<String>,
    pub waybill: Option<String>,
    pub mailed_on: Option<Date>,
    pub delivered_on: Option<Date>,
    /// Who collected it at the hall (name and masked ID number); staff only.
    pub collector: Option<String>,
}
