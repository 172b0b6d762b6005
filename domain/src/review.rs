//! The window's pre-review (预审) as pure rules: the case status machine, who may do what,
//! what each notice may say (docs/rules.md, rules 1, 2 and 7), and the five-day rule (rule 3).
//!
//! The server applies these inside the transaction that records an action; the workbench
//! runs the same checks in the browser before it sends anything, so a staff member sees the
//! same refusal, worded the same, before and after the round trip.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::account::FieldProblem;
use super::apply::{ApplicationForm, MaterialState, material_state};
use super::calendar::{WorkingCalendar, YearNotLoaded};
use super::date::Date;

/// 《行政许可法》第三十二条: five working days to accept, reject or ask for corrections.
pub const ACCEPTANCE_WORKING_DAYS: u32 = 5;

/// Longest reason, legal basis or per-item remark a notice takes (characters).
pub const MAX_REASON_CHARS: usize = 500;

/// Where a case stands in pre-review.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Draft,
    Submitted,
    CorrectionRequested,
    Accepted,
    Rejected,
    /// Accepted, with the decision clock stopped for a special procedure (第四十五条).
    Suspended,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Draft,
        CaseStatus::Submitted,
        CaseStatus::CorrectionRequested,
        CaseStatus::Accepted,
        CaseStatus::Rejected,
        CaseStatus::Suspended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Submitted => "submitted",
            CaseStatus::CorrectionRequested => "correction_requested",
            CaseStatus::Accepted => "accepted",
            CaseStatus::Rejected => "rejected",
            CaseStatus::Suspended => "suspended",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The status in plain Chinese, as an applicant reads it.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Draft => "草稿",
            CaseStatus::Submitted => "已提交，待受理",
            CaseStatus::CorrectionRequested => "待补齐补正",
            CaseStatus::Accepted => "已受理，正在审查",
            CaseStatus::Rejected => "不予受理",
            CaseStatus::Suspended => "特别程序中（暂停计时）",
        }
    }
}

/// What happens to a case; every one is a row of its history.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    /// The applicant (online) or window staff (in the hall) submits the application.
    Submit,
    /// 受理.
    Accept,
    /// 容缺受理.
    AcceptWithDeficiency,
    /// 不予受理.
    Reject,
    /// 一次性告知 / 补正通知.
    RequestCorrection,
    /// The applicant resubmits after a correction notice (网上补齐补正).
    Resubmit,
    /// Five working days passed without an answer: accepted by law as of the receipt day.
    DeemAccept,
    /// A special procedure starts (听证, 检验, …): the decision clock stops.
    Suspend,
    /// The special procedure ends: the clock runs again.
    Resume,
    /// The one extension of the decision limit, with its approval.
    Extend,
}

impl CaseAction {
    pub const REVIEW: [CaseAction; 4] = [
        CaseAction::Accept,
        CaseAction::AcceptWithDeficiency,
        CaseAction::Reject,
        CaseAction::RequestCorrection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::Submit => "submit",
            CaseAction::Accept => "accept",
            CaseAction::AcceptWithDeficiency => "accept_with_deficiency",
            CaseAction::Reject => "reject",
            CaseAction::RequestCorrection => "request_correction",
            CaseAction::Resubmit => "resubmit",
            CaseAction::DeemAccept => "deem_accept",
            CaseAction::Suspend => "suspend",
            CaseAction::Resume => "resume",
            CaseAction::Extend => "extend",
        }
    }

    pub const ALL: [CaseAction; 10] = [
        CaseAction::Submit,
        CaseAction::Accept,
        CaseAction::AcceptWithDeficiency,
        CaseAction::Reject,
        CaseAction::RequestCorrection,
        CaseAction::Resubmit,
        CaseAction::DeemAccept,
        CaseAction::Suspend,
        CaseAction::Resume,
        CaseAction::Extend,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseAction::Submit => "提交申请",
            CaseAction::Accept => "受理",
            CaseAction::AcceptWithDeficiency => "容缺受理",
            CaseAction::Reject => "不予受理",
            CaseAction::RequestCorrection => "一次性告知补正",
            CaseAction::Resubmit => "补正后重新提交",
            CaseAction::DeemAccept => "逾期视为受理",
            CaseAction::Suspend => "启动特别程序（暂停计时）",
            CaseAction::Resume => "特别程序结束（恢复计时）",
            CaseAction::Extend => "延长办理期限",
        }
    }
}

/// An action that the case's status does not allow.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("办件当前状态为“{}”，不能{}", .from.label(), .action.label())]
pub struct TransitionError {
    pub from: CaseStatus,
    pub action: CaseAction,
}

/// The status machine of pre-review (docs/rules.md, "The case and its life").
pub fn next_status(from: CaseStatus, action: CaseAction) -> Result<CaseStatus, TransitionError> {
    use CaseAction as A;
    use CaseStatus as S;
    match (from, action) {
        (S::Draft, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::Accept | A::AcceptWithDeficiency | A::DeemAccept) => Ok(S::Accepted),
        (S::Submitted, A::Reject) => Ok(S::Rejected),
        (S::Submitted, A::RequestCorrection) => Ok(S::CorrectionRequested),
        (S::CorrectionRequested, A::Resubmit) => Ok(S::Submitted),
        (S::Accepted, A::Suspend) => Ok(S::Suspended),
        (S::Suspended, A::Resume) => Ok(S::Accepted),
        (S::Accepted, A::Extend) => Ok(S::Accepted),
        _ => Err(TransitionError { from, action }),
    }
}

/// What a staff member is (docs/rules.md).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// 窗口人员: pre-review and in-hall intake.
    Window,
    /// 审批人员: the back office; sees the department's cases.
    Reviewer,
    /// 首席代表: may do everything the window does, for the whole department.
    Chief,
    /// 分管领导 / 督查: sees the department's cases, acts on none.
    Supervisor,
    /// 系统管理员: catalog, staff and calendar; reviews nothing.
    Admin,
}

impl StaffRole {
    pub const ALL: [StaffRole; 5] = [
        StaffRole::Window,
        StaffRole::Reviewer,
        StaffRole::Chief,
        StaffRole::Supervisor,
        StaffRole::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Window => "window",
            StaffRole::Reviewer => "reviewer",
            StaffRole::Chief => "chief",
            StaffRole::Supervisor => "supervisor",
            StaffRole::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            StaffRole::Window => "窗口人员",
            StaffRole::Reviewer => "审批人员",
            StaffRole::Chief => "首席代表",
            StaffRole::Supervisor => "分管领导（督查）",
            StaffRole::Admin => "系统管理员",
        }
    }

    /// Whether this role sees its department's cases at all.
    pub fn sees_cases(self) -> bool {
        !matches!(self, StaffRole::Admin)
    }

    /// Whether this role may take a pre-review action or an application at the window.
    pub fn acts(self) -> bool {
        matches!(self, StaffRole::Window | StaffRole::Chief)
    }
}

/// One line a correction notice is asked to carry: a material (`materials.<code>`) or a form
/// field (`values.<key>`) of the guide, and what is wrong with it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CorrectionItem {
    pub target: String,
    pub reason: String,
}

/// A line of a notice as printed: the guide's own name, specification and quantity.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeLine {
    /// `materials.<code>` or `values.<key>`.
    pub target: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub specification: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// The guide's line for a target, or `None` if the guide has no such material or field.
pub fn guide_line(form: &ApplicationForm, target: &str, reason: &str) -> Option<NoticeLine> {
    if let Some(code) = target.strip_prefix("materials.") {
        let m = form.materials.iter().find(|m| m.material.code == code)?;
        Some(NoticeLine {
            target: target.into(),
            name: m.material.name.clone(),
            specification: m.material.specification.clone(),
            quantity: Some(m.material.quantity),
            reason: reason.trim().into(),
        })
    } else if let Some(key) = target.strip_prefix("values.") {
        let f = form.fields.iter().find(|f| f.key == key)?;
        Some(NoticeLine {
            target: target.into(),
            name: f.label.clone(),
            specification: String::new(),
            quantity: None,
            reason: reason.trim().into(),
        })
    } else {
        None
    }
}

/// Checks a correction notice before it is issued. Rule 1: every line names a material or a
/// field of this case's guide. Rule 2: after a fix-up (`changed` = what the applicant changed
/// in it), a further notice may only name those. Every line needs its reason, and a target is
/// named once. Returns the lines as they will be printed.
pub fn check_correction(
    form: &ApplicationForm,
    items: &[CorrectionItem],
    changed: Option<&BTreeSet<String>>,
) -> Result<Vec<NoticeLine>, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let mut seen = BTreeSet::new();
    if items.is_empty() {
        problems.push(problem(
            "items",
            "nothing_named",
            "请勾选需要补齐补正的材料或表单项",
        ));
    }
    for (i, item) in items.iter().enumerate() {
        let at = format!("items.{i}");
        let reason = item.reason.trim();
        let Some(line) = guide_line(form, &item.target, reason) else {
            problems.push(problem(
                &at,
                "not_in_guide",
                format!(
                    "“{}”不在本事项办事指南的材料清单或表单中，不能要求申请人提交",
                    item.target
                ),
            ));
            continue;
        };
        if !seen.insert(item.target.clone()) {
            problems.push(problem(
                &at,
                "duplicate",
                format!("“{}”已列出一次", line.name),
            ));
            continue;
        }
        if let Some(changed) = changed
            && !changed.contains(&item.target)
        {
            problems.push(problem(
                &at,
                "not_changed",
                format!(
                    "“{}”在上次补正中没有改动，按一次性告知的规定不能再提出要求",
                    line.name
                ),
            ));
            continue;
        }
        if reason.is_empty() {
            problems.push(problem(
                &at,
                "reason_required",
                format!("请写明“{}”需要补正的原因", line.name),
            ));
        } else if reason.chars().count() > MAX_REASON_CHARS {
            problems.push(problem(
                &at,
                "too_long",
                format!("原因不能超过 {MAX_REASON_CHARS} 个字"),
            ));
        }
        lines.push(line);
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
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

/// What differs between two snapshots, as notice targets (`values.<key>`,
/// `materials.<code>`).
pub fn changed_targets(before: &CaseSnapshot, after: &CaseSnapshot) -> BTreeSet<String> {
    let mut changed = BTreeSet::new();
    let keys: BTreeSet<&String> = before.values.keys().chain(after.values.keys()).collect();
    for k in keys {
        let a = before.values.get(k).map(String::as_str).unwrap_or("");
        let b = after.values.get(k).map(String::as_str).unwrap_or("");
        if a != b {
            changed.insert(format!("values.{k}"));
        }
    }
    let codes: BTreeSet<&String> = before
        .materials
        .keys()
        .chain(after.materials.keys())
        .collect();
    for c in codes {
        if before.materials.get(c) != after.materials.get(c) {
            changed.insert(format!("materials.{c}"));
        }
    }
    changed
}

/// A resubmission answers its notice: every line of it was changed. Returns a problem per line
/// left as it was.
pub fn check_fix_up(notice: &[NoticeLine], changed: &BTreeSet<String>) -> Vec<FieldProblem> {
    notice
        .iter()
        .filter(|l| !changed.contains(&l.target))
        .map(|l| {
            problem(
                &l.target,
                "not_corrected",
                format!("补正通知要求补正“{}”，尚未修改", l.name),
            )
        })
        .collect()
}

/// What a fix-up may touch: exactly the targets of the open notice.
pub fn editable_in_fix_up(notice: &[NoticeLine]) -> BTreeSet<String> {
    notice.iter().map(|l| l.target.clone()).collect()
}

/// Plain acceptance needs every required material: uploaded, or its original promised.
pub fn check_accept(
    form: &ApplicationForm,
    uploaded: &BTreeSet<String>,
    bring_original: &BTreeSet<String>,
) -> Result<(), Vec<FieldProblem>> {
    let problems: Vec<FieldProblem> = form
        .materials
        .iter()
        .filter(|m| {
            matches!(
                material_state(m, uploaded, bring_original),
                MaterialState::Missing | MaterialState::Deferred
            )
        })
        .map(|m| {
            problem(
                &format!("materials.{}", m.material.code),
                "material_missing",
                format!(
                    "缺少“{}”，不能直接受理：可容缺的请用容缺受理，否则请发补正通知",
                    m.material.name
                ),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A 容缺受理 as the staff member asks for it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeficiencyRequest {
    /// Uploaded materials the staff member found defective (codes); missing required
    /// materials are added by the rule itself.
    #[serde(default)]
    pub defective: Vec<String>,
    /// The applicant's committed date for the rest (YYYY-MM-DD).
    pub commitment_date: String,
}

/// Rule 7. Every missing or defective material must be marked 容缺 in the guide, the applicant
/// must not be on a credit blacklist, and the committed date must be from today up to the
/// promised completion date. Returns the materials that are to follow, as printed.
pub fn check_deficiency(
    form: &ApplicationForm,
    uploaded: &BTreeSet<String>,
    bring_original: &BTreeSet<String>,
    request: &DeficiencyRequest,
    blacklisted: bool,
    today: Date,
    promised_due: Date,
) -> Result<(Vec<NoticeLine>, Date), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if blacklisted {
        problems.push(problem(
            "applicant",
            "blacklisted",
            "申请人在信用黑名单中，不适用容缺受理",
        ));
    }
    let mut pending = Vec::new();
    let defective: BTreeSet<&String> = request.defective.iter().collect();
    for code in &defective {
        if !form.materials.iter().any(|m| &m.material.code == *code) {
            problems.push(problem(
                &format!("materials.{code}"),
                "not_in_guide",
                format!("“{code}”不在本事项办事指南的材料清单中"),
            ));
        }
    }
    for m in &form.materials {
        let code = &m.material.code;
        let missing = matches!(
            material_state(m, uploaded, bring_original),
            MaterialState::Missing | MaterialState::Deferred
        );
        if !missing && !defective.contains(code) {
            continue;
        }
        if !m.material.deferrable {
            problems.push(problem(
                &format!("materials.{code}"),
                "not_deferrable",
                format!(
                    "“{}”是关键材料，办事指南未列为可容缺，不能容缺受理",
                    m.material.name
                ),
            ));
            continue;
        }
        if let Some(line) = guide_line(form, &format!("materials.{code}"), "") {
            pending.push(line);
        }
    }
    if pending.is_empty() && problems.is_empty() {
        problems.push(problem(
            "defective",
            "nothing_pending",
            "没有缺少或需补正的材料，请直接受理",
        ));
    }
    let date = Date::parse_iso(request.commitment_date.trim());
    match date {
        None => problems.push(problem(
            "commitment_date",
            "invalid_date",
            "请填写申请人承诺补交材料的日期",
        )),
        Some(d) if d < today => problems.push(problem(
            "commitment_date",
            "in_the_past",
            "承诺日期不能早于今天",
        )),
        Some(d) if d > promised_due => problems.push(problem(
            "commitment_date",
            "after_promised_due",
            format!("承诺日期不能晚于承诺办结日期 {promised_due}"),
        )),
        Some(_) => {}
    }
    match (problems.is_empty(), date) {
        (true, Some(d)) => Ok((pending, d)),
        _ => Err(problems),
    }
}

/// A 不予受理 as the staff member asks for it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectionRequest {
    pub reason: String,
    pub legal_basis: String,
}

/// A rejection must give both its reason and its legal basis.
pub fn check_rejection(r: &RejectionRequest) -> Result<(String, String), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    for (field, value, what) in [
        ("reason", &r.reason, "不予受理的理由"),
        ("legal_basis", &r.legal_basis, "法律依据"),
    ] {
        let v = value.trim();
        if v.is_empty() {
            problems.push(problem(field, "required", format!("请填写{what}")));
        } else if v.chars().count() > MAX_REASON_CHARS {
            problems.push(problem(
                field,
                "too_long",
                format!("{what}不能超过 {MAX_REASON_CHARS} 个字"),
            ));
        }
    }
    if problems.is_empty() {
        Ok((r.reason.trim().into(), r.legal_basis.trim().into()))
    } else {
        Err(problems)
    }
}

/// The last day to accept, reject or send a correction notice for a case received on
/// `received` (the day of receipt is not counted).
pub fn acceptance_due(cal: &WorkingCalendar, received: Date) -> Result<Date, YearNotLoaded> {
    cal.add_working_days(received, ACCEPTANCE_WORKING_DAYS)
}

/// Rule 3: whether a case received on `received` and still unanswered on `today` is deemed
/// accepted (the five working days ended before today).
pub fn deemed_accepted(
    cal: &WorkingCalendar,
    received: Date,
    today: Date,
) -> Result<bool, YearNotLoaded> {
    Ok(today > acceptance_due(cal, received)?)
}

/// The promised completion date of a case accepted on `accepted`.
pub fn promised_due(
    cal: &WorkingCalendar,
    accepted: Date,
    promised_limit_days: u32,
) -> Result<Date, YearNotLoaded> {
    cal.add_working_days(accepted, promised_limit_days)
}

/// The kinds of notice pre-review issues.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    Acceptance,
    DeficiencyAcceptance,
    Rejection,
    Correction,
    /// 特别程序告知书: a special procedure starts, its time not counted.
    Suspension,
    /// 恢复计时告知书: the special procedure ended.
    Resumption,
    /// 延长办理期限告知书.
    Extension,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 7] = [
        NoticeKind::Acceptance,
        NoticeKind::DeficiencyAcceptance,
        NoticeKind::Rejection,
        NoticeKind::Correction,
        NoticeKind::Suspension,
        NoticeKind::Resumption,
        NoticeKind::Extension,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "acceptance",
            NoticeKind::DeficiencyAcceptance => "deficiency_acceptance",
            NoticeKind::Rejection => "rejection",
            NoticeKind::Correction => "correction",
            NoticeKind::Suspension => "suspension",
            NoticeKind::Resumption => "resumption",
            NoticeKind::Extension => "extension",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The document's title.
    pub fn title(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "受理通知书",
            NoticeKind::DeficiencyAcceptance => "容缺受理通知书",
            NoticeKind::Rejection => "不予受理通知书",
            NoticeKind::Correction => "补齐补正材料一次性告知书",
            NoticeKind::Suspension => "特别程序告知书",
            NoticeKind::Resumption => "恢复计时告知书",
            NoticeKind::Extension => "延长办理期限告知书",
        }
    }

    /// The word in its number, e.g. 〔2026〕受字第 000001 号.
    pub fn number_word(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "受",
            NoticeKind::DeficiencyAcceptance => "容",
            NoticeKind::Rejection => "不受",
            NoticeKind::Correction => "补",
            NoticeKind::Suspension => "特",
            NoticeKind::Resumption => "复",
            NoticeKind::Extension => "延",
        }
    }
}

/// A notice's number: `〔2026〕受字第 000001 号`, numbered per kind and year.
pub fn notice_number(kind: NoticeKind, year: i32, seq: u32) -> String {
    format!("〔{year}〕{}字第 {seq:06} 号", kind.number_word())
}

/// A notice as issued: everything printed on it, kept as it was on the day.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub number: String,
    pub kind: NoticeKind,
    pub case_number: String,
    /// The item's or bundle's name.
    pub title: String,
    pub applicant_name: String,
    pub department_name: String,
    pub issued_on: Date,
    /// The staff member's name, or 系统 for a deemed acceptance.
    pub issued_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_due: Option<Date>,
    /// Acceptance by operation of law (rule 3).
    #[serde(default)]
    pub deemed: bool,
    /// Correction: what to supply or fix. 容缺: what is to follow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<NoticeLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// Special procedure: its name (听证, 检验, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procedure: Option<String>,
    /// Special procedure: the day it started, and (resumption) the day it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<Date>,
    /// Extension: working days added, and who approved it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
}

fn problem(field: &str, code: &str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field: field.into(),
        code: code.into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::GuideRef;
    use crate::bundle::BundleMaterial;
    use crate::calendar::arrangement_2026;
    use crate::catalog::{
        FieldType, FileType, FormField, Material, MaterialForm, MaterialSource,
    };

    fn date(m: u8, d: u8) -> Date {
        Date::new(2026, m, d).unwrap()
    }

    fn material(code: &str, required: bool, deferrable: bool) -> BundleMaterial {
        BundleMaterial {
            material: Material {
                code: code.into(),
                name: format!("材料{code}"),
                source: MaterialSource::Applicant,
                form: MaterialForm::Electronic,
                quantity: 2,
                specification: "A4，加盖公章".into(),
                required,
                deferrable,
                file_types: vec![FileType::Pdf],
                max_size_mb: 10,
                template_url: None,
                notes: None,
            },
            items: vec!["X".into()],
        }
    }

    fn form() -> ApplicationForm {
        ApplicationForm {
            title: "排水许可".into(),
            guides: vec![GuideRef {
                code: "X".into(),
                name: "排水许可".into(),
                version: 1,
                department_name: "水务局".into(),
            }],
            fields: vec![FormField {
                key: "project_name".into(),
                label: "项目名称".into(),
                field_type: FieldType::Text,
                required: true,
                help: None,
                unit: None,
                min_length: None,
                max_length: None,
                min: None,
                max: None,
                pattern: None,
                pattern_message: None,
                options: vec![],
            }],
            materials: vec![
                material("a", true, false),
                material("b", true, true),
                material("c", false, false),
            ],
            promised_limit_days: 10,
            joint_handling: false,
        }
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn item(target: &str, reason: &str) -> CorrectionItem {
        CorrectionItem {
            target: target.into(),
            reason: reason.into(),
        }
    }

    fn codes(problems: &[FieldProblem]) -> Vec<(&str, &str)> {
        problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect()
    }

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
            (S::Accepted, A::Suspend, S::Suspended),
            (S::Suspended, A::Resume, S::Accepted),
            (S::Accepted, A::Extend, S::Accepted),
        ];
        for from in S::ALL {
            for action in A::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                assert_eq!(
                    next_status(from, action).ok(),
                    expected,
                    "{from:?} {action:?}"
                );
            }
        }
        let err = next_status(S::Accepted, A::Reject).unwrap_err();
        assert_eq!(
            err.to_string(),
            "办件当前状态为“已受理，正在审查”，不能不予受理"
        );
        for a in A::ALL {
            assert_eq!(A::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn only_the_window_and_the_chief_representative_act_and_the_admin_sees_no_cases() {
        let acting: Vec<_> = StaffRole::ALL.into_iter().filter(|r| r.acts()).collect();
        assert_eq!(acting, [StaffRole::Window, StaffRole::Chief]);
        assert!(!StaffRole::Admin.sees_cases());
        assert!(StaffRole::Supervisor.sees_cases());
        for r in StaffRole::ALL {
            assert_eq!(StaffRole::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn rule_1_a_notice_names_only_what_the_guide_lists() {
        let lines = check_correction(
            &form(),
            &[
                item("materials.a", "缺少公章"),
                item("values.project_name", "与立项批复不一致"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(lines[0].name, "材料a");
        assert_eq!(lines[0].specification, "A4，加盖公章");
        assert_eq!(lines[0].quantity, Some(2));
        assert_eq!(lines[0].reason, "缺少公章");
        assert_eq!(lines[1].name, "项目名称");
        let err = check_correction(
            &form(),
            &[
                item("materials.zz", "另需提供"),
                item("values.nope", "x"),
                item("anything", "x"),
            ],
            None,
        )
        .unwrap_err();
        assert_eq!(
            codes(&err),
            [
                ("items.0", "not_in_guide"),
                ("items.1", "not_in_guide"),
                ("items.2", "not_in_guide")
            ]
        );
    }

    #[test]
    fn a_notice_lists_something_each_with_a_reason_and_once() {
        let err = check_correction(&form(), &[], None).unwrap_err();
        assert_eq!(codes(&err), [("items", "nothing_named")]);
        let err = check_correction(
            &form(),
            &[
                item("materials.a", "  "),
                item("materials.b", "x"),
                item("materials.b", "y"),
                item("materials.c", &"长".repeat(MAX_REASON_CHARS + 1)),
            ],
            None,
        )
        .unwrap_err();
        assert_eq!(
            codes(&err),
            [
                ("items.0", "reason_required"),
                ("items.2", "duplicate"),
                ("items.3", "too_long")
            ]
        );
    }

    #[test]
    fn rule_2_after_a_fix_up_only_what_changed_may_be_named_again() {
        let before = CaseSnapshot {
            values: [("project_name".to_string(), "甲".to_string())].into(),
            materials: [
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "2".to_string()),
            ]
            .into(),
        };
        let mut after = before.clone();
        after.materials.insert("a".into(), "9".into());
        let changed = changed_targets(&before, &after);
        assert_eq!(changed, set(&["materials.a"]));
        assert!(
            check_correction(&form(), &[item("materials.a", "仍不清晰")], Some(&changed)).is_ok()
        );
        let err = check_correction(
            &form(),
            &[
                item("materials.b", "新问题"),
                item("values.project_name", "新问题"),
            ],
            Some(&changed),
        )
        .unwrap_err();
        assert_eq!(
            codes(&err),
            [("items.0", "not_changed"), ("items.1", "not_changed")]
        );
        // Values count as changed whether added, removed or edited; an upload added counts.
        let mut after = before.clone();
        after.values.insert("project_name".into(), "乙".into());
        after.materials.insert("c".into(), "3".into());
        after.materials.remove("b");
        assert_eq!(
            changed_targets(&before, &after),
            set(&["materials.b", "materials.c", "values.project_name"])
        );
    }

    #[test]
    fn a_fix_up_must_answer_every_line_of_its_notice() {
        let notice = check_correction(
            &form(),
            &[item("materials.a", "x"), item("values.project_name", "y")],
            None,
        )
        .unwrap();
        assert_eq!(
            editable_in_fix_up(&notice),
            set(&["materials.a", "values.project_name"])
        );
        let problems = check_fix_up(&notice, &set(&["materials.a"]));
        assert_eq!(codes(&problems), [("values.project_name", "not_corrected")]);
        assert!(check_fix_up(&notice, &set(&["materials.a", "values.project_name"])).is_empty());
    }

    #[test]
    fn plain_acceptance_needs_every_required_material() {
        assert!(check_accept(&form(), &set(&["a", "b"]), &set(&[])).is_ok());
        let err = check_accept(&form(), &set(&["a"]), &set(&[])).unwrap_err();
        assert_eq!(codes(&err), [("materials.b", "material_missing")]);
    }

    fn deficiency(defective: &[&str], commitment: &str) -> DeficiencyRequest {
        DeficiencyRequest {
            defective: defective.iter().map(|s| s.to_string()).collect(),
            commitment_date: commitment.into(),
        }
    }

    #[test]
    fn rule_7_only_deferrable_materials_may_follow_and_not_for_the_blacklisted() {
        let f = form();
        let today = date(3, 2);
        let due = date(3, 16);
        // b (deferrable) missing: fine.
        let (pending, on) = check_deficiency(
            &f,
            &set(&["a"]),
            &set(&[]),
            &deficiency(&[], "2026-03-10"),
            false,
            today,
            due,
        )
        .unwrap();
        assert_eq!(on, date(3, 10));
        assert_eq!(
            pending
                .iter()
                .map(|l| l.target.as_str())
                .collect::<Vec<_>>(),
            ["materials.b"]
        );
        // a (critical) missing, or marked defective: refused.
        let err = check_deficiency(
            &f,
            &set(&["b"]),
            &set(&[]),
            &deficiency(&[], "2026-03-10"),
            false,
            today,
            due,
        )
        .unwrap_err();
        assert_eq!(codes(&err), [("materials.a", "not_deferrable")]);
        let err = check_deficiency(
            &f,
            &set(&["a", "b"]),
            &set(&[]),
            &deficiency(&["a"], "2026-03-10"),
            false,
            today,
            due,
        )
        .unwrap_err();
        assert_eq!(codes(&err), [("materials.a", "not_deferrable")]);
        // An uploaded deferrable material marked defective is to follow.
        let (pending, _) = check_deficiency(
            &f,
            &set(&["a", "b"]),
            &set(&[]),
            &deficiency(&["b"], "2026-03-16"),
            false,
            today,
            due,
        )
        .unwrap();
        assert_eq!(pending.len(), 1);
        // Blacklisted applicants cannot use it at all.
        let err = check_deficiency(
            &f,
            &set(&["a"]),
            &set(&[]),
            &deficiency(&[], "2026-03-10"),
            true,
            today,
            due,
        )
        .unwrap_err();
        assert_eq!(codes(&err), [("applicant", "blacklisted")]);
        // Nothing missing: use plain acceptance.
        let err = check_deficiency(
            &f,
            &set(&["a", "b"]),
            &set(&[]),
            &deficiency(&[], "2026-03-10"),
            false,
            today,
            due,
        )
        .unwrap_err();
        assert_eq!(codes(&err), [("defective", "nothing_pending")]);
        // Unknown codes are not in the guide.
        let err = check_deficiency(
            &f,
            &set(&["a"]),
            &set(&[]),
            &deficiency(&["zz"], "2026-03-10"),
            false,
            today,
            due,
        )
        .unwrap_err();
        assert_eq!(codes(&err), [("materials.zz", "not_in_guide")]);
    }

    #[test]
    fn rule_7_the_commitment_is_from_today_to_the_promised_completion_date() {
        let f = form();
        let run = |c: &str| {
            check_deficiency(
                &f,
                &set(&["a"]),
                &set(&[]),
                &deficiency(&[], c),
                false,
                date(3, 2),
                date(3, 16),
            )
            .map(|(_, d)| d)
            .map_err(|e| e[0].code.clone())
        };
        assert_eq!(run("2026-03-02"), Ok(date(3, 2)));
        assert_eq!(run("2026-03-16"), Ok(date(3, 16)));
        assert_eq!(run("2026-03-17"), Err("after_promised_due".into()));
        assert_eq!(run("2026-03-01"), Err("in_the_past".into()));
        assert_eq!(run(""), Err("invalid_date".into()));
        assert_eq!(run("2026-02-30"), Err("invalid_date".into()));
    }

    #[test]
    fn a_rejection_needs_a_reason_and_a_legal_basis() {
        let err = check_rejection(&RejectionRequest {
            reason: " ".into(),
            legal_basis: "".into(),
        })
        .unwrap_err();
        assert_eq!(
            codes(&err),
            [("reason", "required"), ("legal_basis", "required")]
        );
        assert_eq!(
            check_rejection(&RejectionRequest {
                reason: " 不属于本机关职权范围 ".into(),
                legal_basis: "《行政许可法》第三十二条第一款第（二）项".into(),
            })
            .unwrap()
            .0,
            "不属于本机关职权范围"
        );
    }

    #[test]
    fn rule_3_five_working_days_then_deemed_accepted() {
        let cal = WorkingCalendar::new([arrangement_2026()]);
        // Received Friday 2026-02-13: 2/14 (调休), 2/24, 2/25, 2/26, 2/27.
        assert_eq!(acceptance_due(&cal, date(2, 13)), Ok(date(2, 27)));
        assert_eq!(deemed_accepted(&cal, date(2, 13), date(2, 27)), Ok(false));
        assert_eq!(deemed_accepted(&cal, date(2, 13), date(2, 28)), Ok(true));
        // Received on National Day (a weekend service desk): 10/8, 10/9, 10/10 (调休 Saturday),
        // 10/12, 10/13.
        assert_eq!(acceptance_due(&cal, date(10, 3)), Ok(date(10, 13)));
        // Received in late December: 2027 is not loaded, so nothing is deemed by guess.
        assert!(deemed_accepted(&cal, date(12, 28), date(12, 31)).is_err());
    }

    #[test]
    fn promised_completion_counts_working_days_from_acceptance() {
        let cal = WorkingCalendar::new([arrangement_2026()]);
        assert_eq!(promised_due(&cal, date(9, 23), 20), Ok(date(10, 28)));
    }

    #[test]
    fn notice_numbers_carry_kind_year_and_sequence() {
        assert_eq!(
            notice_number(NoticeKind::Acceptance, 2026, 1),
            "〔2026〕受字第 000001 号"
        );
        assert_eq!(
            notice_number(NoticeKind::Rejection, 2026, 42),
            "〔2026〕不受字第 000042 号"
        );
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(k));
        }
    }
}
