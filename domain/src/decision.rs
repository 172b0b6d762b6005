//! The back office as pure rules (docs/rules.md, rules 11–13): the review tasks a case fans
//! out into, what a department's opinion must say, when an item may be decided and how, the
//! remedies a refusal prints, and withdrawal.
//!
//! The server applies these inside the transaction that records an action; the workbench
//! runs the same checks in the browser before it sends anything, so a reviewer sees the same
//! refusal, worded the same, before and after the round trip.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::account::FieldProblem;
use crate::case::CaseStatus;
use crate::case::MAX_REASON_CHARS;
use crate::date::Date;
use crate::labels::labelled_enum;

/// Longest set of conditions (附条件) an opinion or a grant takes (characters).
pub const MAX_CONDITIONS_CHARS: usize = 1000;

/// 《行政复议法》第二十条: an application for reconsideration within 60 days.
pub const RECONSIDERATION_DAYS: i64 = 60;
/// 《行政诉讼法》第四十六条: a lawsuit within 6 months.
pub const LAWSUIT_MONTHS: u32 = 6;

labelled_enum! {
    /// Where a review task stands (GB/T 39046 表 7, 环节办理状态).
    TaskStatus {
        /// 待办: nobody has signed for it yet.
        Open = "open", "待签收";
        /// 签收: one reviewer holds it.
        Claimed = "claimed", "办理中";
        /// 已办: the opinion is recorded.
        Done = "done", "已办";
        /// The application was withdrawn before the task was done.
        Closed = "closed", "已终止";
    }
}

impl TaskStatus {
    /// 待办: the statuses of a task a department still holds.
    pub const UNFINISHED: [TaskStatus; 2] = [TaskStatus::Open, TaskStatus::Claimed];
}

labelled_enum! {
    /// A department's opinion on its task (处理意见).
    Opinion {
        Agree = "agree", "同意";
        Disagree = "disagree", "不同意";
    }
}

pub use crate::case::Outcome;

/// An item of a case as the back office needs it: who handles it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandledItem {
    pub item_code: String,
    pub item_name: String,
    /// 实施主体: decides the item.
    pub department: String,
    /// 共同实施部门: each reviews it too.
    #[serde(default)]
    pub co_departments: Vec<String>,
    /// 办理结果: what a grant produces (e.g. 建筑工程施工许可证).
    #[serde(default)]
    pub result_name: String,
    /// 办件类型: 即办件 are decided on the spot, at acceptance.
    #[serde(default)]
    pub immediate: bool,
    /// 审查时限 by department, where the guide sets one (working days from acceptance).
    #[serde(default)]
    pub review_days: BTreeMap<String, u32>,
}

/// A review task to create at acceptance.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskSeed {
    pub item_code: String,
    pub item_name: String,
    pub department: String,
    /// The item's own department (实施主体) rather than a co-handling one.
    pub lead: bool,
    /// The department's 审查时限 from the guide, if it sets one; otherwise the task is due
    /// with the case.
    #[serde(default)]
    pub limit_days: Option<u32>,
}

/// Rule 11: one task for each item's department and one for each of its co-handling
/// departments; a department named twice for one item gets one task.
pub fn fan_out(items: &[HandledItem]) -> Vec<TaskSeed> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for item in items {
        let departments = std::iter::once((&item.department, true))
            .chain(item.co_departments.iter().map(|d| (d, false)));
        for (department, lead) in departments {
            if seen.insert((item.item_code.clone(), department.clone())) {
                out.push(TaskSeed {
                    item_code: item.item_code.clone(),
                    item_name: item.item_name.clone(),
                    department: department.clone(),
                    lead,
                    limit_days: item.review_days.get(department).copied(),
                });
            }
        }
    }
    out
}

/// A review task as the rules read it.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TaskState {
    pub id: i32,
    pub item_code: String,
    pub department: String,
    pub status: TaskStatus,
    /// The staff member who signed for it.
    pub claimed_by: Option<i32>,
    pub opinion: Option<Opinion>,
}

/// Why a task cannot be claimed or completed.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TaskRefusal {
    #[error("这项审查任务已由其他审批人员签收")]
    TakenByAnother,
    #[error("这项审查任务已办结")]
    AlreadyDone,
    #[error("申请已撤回，审查任务已终止")]
    Closed,
    #[error("请先签收这项审查任务")]
    NotClaimed,
    #[error("办件处于特别程序中，特别程序结束后再提出审查意见")]
    CaseSuspended,
    #[error("办件当前不在审查阶段")]
    NotInReview,
}

impl TaskRefusal {
    /// The stable code the API answers with.
    pub fn code(self) -> &'static str {
        match self {
            TaskRefusal::TakenByAnother => "task_taken",
            TaskRefusal::AlreadyDone => "task_done",
            TaskRefusal::Closed => "task_closed",
            TaskRefusal::NotClaimed => "task_not_claimed",
            TaskRefusal::CaseSuspended => "case_suspended",
            TaskRefusal::NotInReview => "case_not_in_review",
        }
    }
}

/// Whether `me` may sign for the task (签收). Claiming one's own task again is allowed (a
/// second click changes nothing); the case must be under review (accepted, in review or
/// paused). The first claim of a case starts its review (`CaseAction::StartReview`).
pub fn check_claim(task: &TaskState, case: CaseStatus, me: i32) -> Result<(), TaskRefusal> {
    if !case.under_review() {
        return Err(match task.status {
            TaskStatus::Closed => TaskRefusal::Closed,
            _ => TaskRefusal::NotInReview,
        });
    }
    match task.status {
        TaskStatus::Open => Ok(()),
        TaskStatus::Claimed if task.claimed_by == Some(me) => Ok(()),
        TaskStatus::Claimed => Err(TaskRefusal::TakenByAnother),
        TaskStatus::Done => Err(TaskRefusal::AlreadyDone),
        TaskStatus::Closed => Err(TaskRefusal::Closed),
    }
}

/// An opinion as the reviewer writes it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpinionRequest {
    pub opinion: Opinion,
    /// 不同意: why (required); 同意: an optional remark.
    #[serde(default)]
    pub reason: String,
    /// 不同意: the provision relied on (required).
    #[serde(default)]
    pub legal_basis: String,
    /// 附条件: conditions the grant should carry (optional).
    #[serde(default)]
    pub conditions: String,
}

/// An opinion ready to record: trimmed, empty parts left out.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CheckedOpinion {
    pub opinion: Opinion,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    pub conditions: Option<String>,
}

/// Rule 11: the task is held by `me` and the case is under review (not paused); 不同意 needs
/// its reason and legal basis; nothing longer than the limits.
pub fn check_opinion(
    task: &TaskState,
    case: CaseStatus,
    me: i32,
    request: &OpinionRequest,
) -> Result<CheckedOpinion, OpinionProblem> {
    match (case, task.status) {
        (_, TaskStatus::Done) => return Err(TaskRefusal::AlreadyDone.into()),
        (_, TaskStatus::Closed) => return Err(TaskRefusal::Closed.into()),
        (CaseStatus::Suspended, _) => return Err(TaskRefusal::CaseSuspended.into()),
        (CaseStatus::Accepted | CaseStatus::InReview, _) => {}
        _ => return Err(TaskRefusal::NotInReview.into()),
    }
    match task.claimed_by {
        Some(holder) if holder == me && task.status == TaskStatus::Claimed => {}
        Some(_) => return Err(TaskRefusal::TakenByAnother.into()),
        None => return Err(TaskRefusal::NotClaimed.into()),
    }
    let Statement {
        reason,
        legal_basis,
        conditions,
    } = check_statement(
        &request.reason,
        &request.legal_basis,
        &request.conditions,
        (request.opinion == Opinion::Disagree).then_some(&AGAINST_OPINION),
    )
    .map_err(OpinionProblem::Invalid)?;
    Ok(CheckedOpinion {
        opinion: request.opinion,
        reason,
        legal_basis,
        conditions,
    })
}

/// Why an opinion or a decision was not accepted: the task's or case's state, or what was
/// written.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpinionProblem {
    #[error(transparent)]
    Task(#[from] TaskRefusal),
    #[error("填写的内容有误")]
    Invalid(Vec<FieldProblem>),
}

/// A decision as the chief representative writes it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// The item decided (its 实施编码).
    pub item: String,
    pub outcome: Outcome,
    /// 不予: why (required).
    #[serde(default)]
    pub reason: String,
    /// 不予: the provision relied on (required).
    #[serde(default)]
    pub legal_basis: String,
    /// 准予: the conditions the licence carries, if any.
    #[serde(default)]
    pub conditions: String,
}

/// What the decision rules read about a case.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionFacts {
    pub status: CaseStatus,
    /// Every review task of the case.
    pub tasks: Vec<TaskState>,
    /// Items already decided.
    pub decided: Vec<String>,
    /// 容缺 materials promised at acceptance and not yet confirmed by the window.
    pub outstanding: Vec<String>,
}

/// A decision ready to record.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CheckedDecision {
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    pub conditions: Option<String>,
}

/// Rule 12: no decision while the case is not under review or is paused, while a task of
/// the item is open, or while a 容缺 material is outstanding; an item is decided once;
/// 准予 needs every task of the item to say 同意; 不予 needs its reason and legal basis.
pub fn check_decision(
    facts: &DecisionFacts,
    request: &DecisionRequest,
) -> Result<CheckedDecision, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    match facts.status {
        // Accepted with every task done cannot happen (a task is done only after a claim,
        // which starts the review); the task checks below answer it if it does.
        CaseStatus::Accepted | CaseStatus::InReview => {}
        CaseStatus::Suspended => problems.push(FieldProblem::new(
            "status",
            "case_suspended",
            "办件处于特别程序中，不能作出决定",
        )),
        other => problems.push(FieldProblem::new(
            "status",
            "case_not_in_review",
            format!("办件当前状态为“{}”，不能作出决定", other.label()),
        )),
    }
    let tasks: Vec<&TaskState> = facts
        .tasks
        .iter()
        .filter(|t| t.item_code == request.item)
        .collect();
    if tasks.is_empty() {
        problems.push(FieldProblem::new(
            "item",
            "unknown_item",
            format!("本办件没有事项“{}”", request.item),
        ));
    }
    if facts.decided.contains(&request.item) {
        problems.push(FieldProblem::new(
            "item",
            "already_decided",
            "这个事项已经作出决定",
        ));
    }
    let open = tasks
        .iter()
        .filter(|t| matches!(t.status, TaskStatus::Open | TaskStatus::Claimed))
        .count();
    if open > 0 {
        problems.push(FieldProblem::new(
            "tasks",
            "task_open",
            format!("还有 {open} 个部门的审查任务未办结，不能作出决定"),
        ));
    }
    if !facts.outstanding.is_empty() {
        problems.push(FieldProblem::new(
            "materials",
            "deferred_material_outstanding",
            format!(
                "容缺材料“{}”尚未补齐并经窗口核验，不能作出决定",
                facts.outstanding.join("、")
            ),
        ));
    }
    if request.outcome == Outcome::Grant
        && open == 0
        && tasks.iter().any(|t| t.opinion != Some(Opinion::Agree))
    {
        problems.push(FieldProblem::new(
            "outcome",
            "not_all_agree",
            "有部门审查意见为“不同意”，不能准予行政许可",
        ));
    }
    let statement = check_decision_statement(
        request.outcome,
        &request.reason,
        &request.legal_basis,
        &request.conditions,
    );
    match statement {
        Ok(checked) if problems.is_empty() => Ok(checked),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// What a decision must say, whatever the state of the case: 不予 needs its reason and legal
/// basis and carries no conditions. Also the rule for a 即办件 decided at the window, where no
/// review task precedes the decision.
pub fn check_decision_statement(
    outcome: Outcome,
    reason: &str,
    legal_basis: &str,
    conditions: &str,
) -> Result<CheckedDecision, Vec<FieldProblem>> {
    let Statement {
        reason,
        legal_basis,
        conditions,
    } = check_statement(
        reason,
        legal_basis,
        conditions,
        (outcome == Outcome::Refuse).then_some(&AGAINST_DECISION),
    )?;
    Ok(CheckedDecision {
        outcome,
        reason,
        legal_basis,
        conditions,
    })
}

/// 即办件 (rule 12): decided at the window only when the guide of every item says 即办件; the
/// decision says what any decision must. (The materials are checked as for acceptance.)
pub fn check_on_the_spot(
    items: &[HandledItem],
    outcome: Outcome,
    reason: &str,
    legal_basis: &str,
    conditions: &str,
) -> Result<CheckedDecision, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if items.is_empty() || items.iter().any(|i| !i.immediate) {
        problems.push(FieldProblem::new(
            "item",
            "not_immediate",
            "办事指南未将本事项列为即办件，不能当场办结，请受理后交审批部门审查",
        ));
    }
    match check_decision_statement(outcome, reason, legal_basis, conditions) {
        Ok(checked) if problems.is_empty() => Ok(checked),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// A reason, a legal basis and conditions as written: trimmed, empty ones left out.
struct Statement {
    reason: Option<String>,
    legal_basis: Option<String>,
    conditions: Option<String>,
}

/// How a statement against the application (不同意, 不予) is worded when incomplete.
struct Against {
    reason: &'static str,
    legal_basis: &'static str,
    conditions_code: &'static str,
    conditions: &'static str,
}

const AGAINST_OPINION: Against = Against {
    reason: "不同意时请写明理由",
    legal_basis: "不同意时请写明法律依据",
    conditions_code: "conditions_need_agreement",
    conditions: "附条件只能随“同意”提出",
};

const AGAINST_DECISION: Against = Against {
    reason: "不予行政许可须说明理由",
    legal_basis: "不予行政许可须写明法律依据",
    conditions_code: "conditions_need_grant",
    conditions: "附条件只能随“准予”作出",
};

/// Nothing longer than the limits; a statement `against` the application gives its reason
/// and legal basis and attaches no conditions.
fn check_statement(
    reason: &str,
    legal_basis: &str,
    conditions: &str,
    against: Option<&Against>,
) -> Result<Statement, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let reason = text(reason, "reason", MAX_REASON_CHARS, &mut problems);
    let legal_basis = text(legal_basis, "legal_basis", MAX_REASON_CHARS, &mut problems);
    let conditions = text(
        conditions,
        "conditions",
        MAX_CONDITIONS_CHARS,
        &mut problems,
    );
    if let Some(words) = against {
        if reason.is_none() {
            problems.push(FieldProblem::new("reason", "reason_required", words.reason));
        }
        if legal_basis.is_none() {
            problems.push(FieldProblem::new(
                "legal_basis",
                "legal_basis_required",
                words.legal_basis,
            ));
        }
        if conditions.is_some() {
            problems.push(FieldProblem::new(
                "conditions",
                words.conditions_code,
                words.conditions,
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Statement {
        reason,
        legal_basis,
        conditions,
    })
}

/// The items still to decide once `deciding` is decided (empty: this decision decides the
/// case, and its one notice goes out).
pub fn undecided_after<'a>(
    items: impl IntoIterator<Item = &'a str>,
    decided: &[String],
    deciding: &str,
) -> Vec<String> {
    items
        .into_iter()
        .filter(|i| *i != deciding && !decided.iter().any(|d| d == i))
        .map(str::to_owned)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

pub use crate::notice::Remedies;

/// The remedy dates for a decision received on `received_on`.
pub fn remedies(received_on: Date) -> Remedies {
    Remedies {
        received_on,
        reconsideration_by: received_on.add_days(RECONSIDERATION_DAYS),
        lawsuit_by: add_months(received_on, LAWSUIT_MONTHS),
    }
}

impl Remedies {
    /// The sentence a refusal prints.
    pub fn sentence(&self) -> String {
        format!(
            "如不服本决定，可自收到本决定书之日起 60 日内依法申请行政复议（《中华人民共和国行政复议法》第二十条），\
             或者自收到本决定书之日起 6 个月内依法提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。\
             于 {} 收到本决定书的，申请行政复议至 {} 止，提起行政诉讼至 {} 止；期间最后一日为法定节假日的，顺延至节假日后的第一日。",
            self.received_on, self.reconsideration_by, self.lawsuit_by
        )
    }
}

/// The same day `months` later, or that month's last day (《民法典》第二百零二条).
pub fn add_months(day: Date, months: u32) -> Date {
    let index = i64::from(day.month()) - 1 + i64::from(months);
    let year = day.year() + (index / 12) as i32;
    let month = (index % 12) as u8 + 1;
    (1..=day.day())
        .rev()
        .find_map(|d| Date::new(year, month, d))
        .unwrap_or(day)
}

/// A withdrawal as the applicant (or the window, for one made in the hall) writes it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WithdrawalRequest {
    /// The version of the case the applicant saw.
    pub version: i32,
    pub reason: String,
}

impl WithdrawalRequest {
    /// The request a withdrawal form sends, once [`check_withdrawal`] finds nothing wrong;
    /// otherwise every problem, in one sentence to show.
    pub fn checked(status: CaseStatus, version: i32, reason: String) -> Result<Self, String> {
        check_withdrawal(status, &reason).map_err(|p| FieldProblem::sentence(&p))?;
        Ok(WithdrawalRequest { version, reason })
    }
}

/// Rule 13: an application may be withdrawn while it is open and not yet decided.
pub fn withdrawable(status: CaseStatus) -> bool {
    status.apply(crate::case::CaseAction::Withdraw).is_ok()
}

/// Rule 13: before a decision, with a reason.
pub fn check_withdrawal(status: CaseStatus, reason: &str) -> Result<String, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if !withdrawable(status) {
        problems.push(FieldProblem::new(
            "status",
            "not_withdrawable",
            format!("办件当前状态为“{}”，不能撤回", status.label()),
        ));
    }
    let reason = text(reason, "reason", MAX_REASON_CHARS, &mut problems);
    if reason.is_none() {
        problems.push(FieldProblem::new(
            "reason",
            "reason_required",
            "请写明撤回申请的理由",
        ));
    }
    match reason {
        Some(r) if problems.is_empty() => Ok(r),
        _ => Err(problems),
    }
}

/// The window confirms (核验) a 容缺 material, or returns it with a reason (`Some`) for the
/// applicant to supply again (rules 7 and 13). `material` is the deferred material named, as
/// (name, confirmed already), `None` when the case promised no such material. Returns the
/// reason of a return, trimmed.
pub fn check_deferred_action(
    material: Option<(&str, bool)>,
    returning: Option<&str>,
) -> Result<Option<String>, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    match material {
        None => problems.push(FieldProblem::new(
            "material",
            "not_deferred",
            "这份材料不是本办件容缺受理时待补交的材料",
        )),
        Some((name, true)) => problems.push(FieldProblem::new(
            "material",
            "already_confirmed",
            format!("“{name}”已核验"),
        )),
        Some(_) => {}
    }
    let reason = returning.and_then(|r| text(r, "reason", MAX_REASON_CHARS, &mut problems));
    if returning.is_some() && reason.is_none() && problems.iter().all(|p| p.field != "reason") {
        problems.push(FieldProblem::new(
            "reason",
            "reason_required",
            "请写明退回的原因",
        ));
    }
    if problems.is_empty() {
        Ok(reason)
    } else {
        Err(problems)
    }
}

/// A trimmed text, `None` when empty; a problem when longer than `max` characters.
fn text(raw: &str, field: &str, max: usize, problems: &mut Vec<FieldProblem>) -> Option<String> {
    let t = FieldProblem::text(problems, field, raw, "", max, false);
    (!t.is_empty()).then_some(t)
}

#[cfg(test)]
mod tests;
