//! The window's pre-review (预审) as pure rules: what each notice may say (docs/rules.md,
//! rules 1, 2 and 7), what a fix-up may touch, and the five-day rule (rule 3).
//!
//! The server applies these inside the transaction that records an action; the workbench
//! runs the same checks in the browser before it sends anything, so a staff member sees the
//! same refusal, worded the same, before and after the round trip.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::account::FieldProblem;
use super::apply::{ApplicationForm, DraftContent, MaterialState, material_state};
use super::calendar::{WorkingCalendar, YearNotLoaded};
use super::date::Date;
// The case's status machine, the staff roles and the notices have their own modules; these
// names stay reachable here for the code that grew up with them.
pub use super::case::{CaseAction, CaseSnapshot, CaseStatus, TransitionError};
pub use super::notice::{Notice, NoticeKind, NoticeLine, notice_number};
pub use super::staff::StaffRole;

/// 《行政许可法》第三十二条: five working days to accept, reject or ask for corrections.
pub const ACCEPTANCE_WORKING_DAYS: u32 = 5;

pub use crate::case::MAX_REASON_CHARS;

/// One line a correction notice is asked to carry: a material (`materials.<code>`) or a form
/// field (`values.<key>`) of the guide, and what is wrong with it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CorrectionItem {
    pub target: String,
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
        problems.push(FieldProblem::new(
            "items",
            "nothing_named",
            "请勾选需要补齐补正的材料或表单项",
        ));
    }
    for (i, item) in items.iter().enumerate() {
        let at = format!("items.{i}");
        let reason = item.reason.trim();
        let Some(line) = guide_line(form, &item.target, reason) else {
            problems.push(FieldProblem::new(
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
            problems.push(FieldProblem::new(
                &at,
                "duplicate",
                format!("“{}”已列出一次", line.name),
            ));
            continue;
        }
        if let Some(changed) = changed
            && !changed.contains(&item.target)
        {
            problems.push(FieldProblem::new(
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
            problems.push(FieldProblem::new(
                &at,
                "reason_required",
                format!("请写明“{}”需要补正的原因", line.name),
            ));
        } else if reason.chars().count() > MAX_REASON_CHARS {
            problems.push(FieldProblem::new(
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
            FieldProblem::new(
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

/// In a fix-up only what the notice names may change (rule 2, online): form values it names
/// (`editable`, from [`editable_in_fix_up`]); the applicant and the originals to bring stay
/// as submitted. The browser runs this before saving, the server before storing.
pub fn check_fix_up_edit(
    before: &DraftContent,
    after: &DraftContent,
    editable: &BTreeSet<String>,
) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if before.applicant != after.applicant {
        problems.push(FieldProblem::new(
            "applicant",
            "not_named_in_notice",
            "补正通知没有要求修改申请人信息",
        ));
    }
    // A fix-up that leaves the choice out keeps it.
    if after.delivery != Default::default() && before.delivery != after.delivery {
        problems.push(FieldProblem::new(
            "delivery",
            "not_named_in_notice",
            "补正期间不能更改送达方式",
        ));
    }
    if before.bring_original != after.bring_original {
        problems.push(FieldProblem::new(
            "bring_original",
            "not_named_in_notice",
            "补正期间不能更改原件带到窗口的材料",
        ));
    }
    let keys: BTreeSet<&String> = before.values.keys().chain(after.values.keys()).collect();
    for k in keys {
        if before.values.get(k) != after.values.get(k) && !editable.contains(&format!("values.{k}"))
        {
            problems.push(FieldProblem::new(
                &format!("values.{k}"),
                "not_named_in_notice",
                "补正通知没有要求修改这一项",
            ));
        }
    }
    problems
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
            FieldProblem::new(
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
        problems.push(FieldProblem::new(
            "applicant",
            "blacklisted",
            "申请人在信用黑名单中，不适用容缺受理",
        ));
    }
    let mut pending = Vec::new();
    let defective: BTreeSet<&String> = request.defective.iter().collect();
    for code in &defective {
        if !form.materials.iter().any(|m| &m.material.code == *code) {
            problems.push(FieldProblem::new(
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
            problems.push(FieldProblem::new(
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
        problems.push(FieldProblem::new(
            "defective",
            "nothing_pending",
            "没有缺少或需补正的材料，请直接受理",
        ));
    }
    let date = Date::parse_iso(request.commitment_date.trim());
    match date {
        None => problems.push(FieldProblem::new(
            "commitment_date",
            "invalid_date",
            "请填写申请人承诺补交材料的日期",
        )),
        Some(d) if d < today => problems.push(FieldProblem::new(
            "commitment_date",
            "in_the_past",
            "承诺日期不能早于今天",
        )),
        Some(d) if d > promised_due => problems.push(FieldProblem::new(
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
        FieldProblem::text(&mut problems, field, value, what, MAX_REASON_CHARS, true);
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

#[cfg(test)]
mod tests;
