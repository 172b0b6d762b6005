//! What staff ask of a running clock, checked in the browser and on the server alike: a
//! special procedure starts (第四十五条) or ends, or the one extension (第四十二条).

use serde::{Deserialize, Serialize};

use super::{Clock, Deadlines};
use crate::account::FieldProblem;
use crate::case::SpecialProcedure;
use crate::date::Date;

/// Longest reason or approver's name a pause or an extension takes (characters).
pub const MAX_NOTE_CHARS: usize = 500;

/// A special procedure as the staff member records its start.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SuspendRequest {
    /// `hearing`, `inspection`, `testing`, `quarantine`, `appraisal`, `expert_review`,
    /// `site_survey`.
    pub procedure: String,
    pub reason: String,
    /// The day it starts (YYYY-MM-DD), today or earlier.
    pub start: String,
    /// 更正说明: why a start before today is entered only now although the decision limit
    /// has already run out, and who approved the correction. Needed only then.
    #[serde(default)]
    pub correction: String,
}

/// A special procedure's start as checked: what the history row records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedSuspension {
    pub procedure: SpecialProcedure,
    pub reason: String,
    pub start: Date,
    /// The correction that lets a start before today stand on an overdue case.
    pub correction: Option<String>,
}

/// The end of the open special procedure.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResumeRequest {
    /// The day it ended (YYYY-MM-DD), today or earlier.
    pub end: String,
    #[serde(default)]
    pub note: String,
}

/// The one extension of the decision limit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    /// Who approved it (本行政机关负责人).
    pub approver: String,
    pub reason: String,
}

fn text(problems: &mut Vec<FieldProblem>, field: &str, value: &str, what: &str) -> String {
    FieldProblem::text(problems, field, value, what, MAX_NOTE_CHARS, true)
}

fn day(problems: &mut Vec<FieldProblem>, field: &str, value: &str, today: Date) -> Option<Date> {
    match Date::parse_iso(value.trim()) {
        None => {
            problems.push(FieldProblem::new(
                field,
                "invalid_date",
                "请填写日期（年-月-日）",
            ));
            None
        }
        Some(d) if d > today => {
            problems.push(FieldProblem::new(
                field,
                "in_the_future",
                "日期不能晚于今天",
            ));
            None
        }
        Some(d) => Some(d),
    }
}

/// Checks the start of a special procedure on a case with these clocks: a known procedure,
/// its reason, and a start no later than today, not before acceptance or any later recorded
/// step, with no other procedure open. A start before today on a case already overdue would
/// erase the overdue days the applicant and the supervisors have seen: it stands only as a
/// correction, with its note recorded in the history row.
pub fn check_suspend(
    d: &Deadlines,
    r: &SuspendRequest,
    today: Date,
) -> Result<CheckedSuspension, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let procedure = SpecialProcedure::parse(r.procedure.trim());
    if procedure.is_none() {
        problems.push(FieldProblem::new(
            "procedure",
            "unknown_procedure",
            "请选择特别程序：听证、检验、检测、检疫、鉴定、专家评审或现场勘验",
        ));
    }
    let reason = text(&mut problems, "reason", &r.reason, "特别程序的原因");
    let start = day(&mut problems, "start", &r.start, today);
    let correction = FieldProblem::text(
        &mut problems,
        "correction",
        &r.correction,
        "更正说明",
        MAX_NOTE_CHARS,
        false,
    );
    match d.decision.as_ref().filter(|c| c.open()) {
        None => problems.push(FieldProblem::new(
            "status",
            "not_running",
            "办件尚未受理或已办结，不能启动特别程序",
        )),
        Some(c) if c.paused => problems.push(FieldProblem::new(
            "status",
            "already_paused",
            "已有特别程序在进行中，请先登记其结束",
        )),
        Some(c) => problems
            .extend(start.and_then(|s| late_start(c, d.last_step_on, s, today, &correction))),
    }
    match (problems.is_empty(), procedure, start) {
        (true, Some(procedure), Some(start)) => Ok(CheckedSuspension {
            procedure,
            reason,
            start,
            correction: (!correction.is_empty()).then(|| correction.to_string()),
        }),
        _ => Err(problems),
    }
}

/// What is wrong with starting a procedure on `start` on a running decision clock `c`.
fn late_start(
    c: &Clock,
    last_step_on: Option<Date>,
    start: Date,
    today: Date,
    correction: &str,
) -> Option<FieldProblem> {
    if start < c.started_on {
        return Some(FieldProblem::new(
            "start",
            "before_acceptance",
            format!("开始日期不能早于受理日期 {}", c.started_on),
        ));
    }
    if let Some(last) = last_step_on.filter(|l| start < *l) {
        return Some(FieldProblem::new(
            "start",
            "before_last_step",
            format!("开始日期不能早于办件最近一次登记的日期 {last}"),
        ));
    }
    if start < today && c.overdue_days().is_some() && correction.is_empty() {
        let due = c.due.map(|d| d.to_string()).unwrap_or_default();
        return Some(FieldProblem::new(
            "correction",
            "overdue_needs_correction",
            format!(
                "办结期限已于 {due} 届满：补录今天以前开始的特别程序，须填写更正说明（原因及批准人）"
            ),
        ));
    }
    if start == today && !correction.is_empty() {
        return Some(FieldProblem::new(
            "correction",
            "not_a_correction",
            "开始日期为今天，不是补录，无需更正说明",
        ));
    }
    None
}

/// Checks the end of the open special procedure: one is open, and it ends between its start
/// and today.
pub fn check_resume(
    d: &Deadlines,
    r: &ResumeRequest,
    today: Date,
) -> Result<(Date, String), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let end = day(&mut problems, "end", &r.end, today);
    let note = FieldProblem::text(
        &mut problems,
        "note",
        &r.note,
        "说明",
        MAX_NOTE_CHARS,
        false,
    );
    match d.pauses.last().filter(|p| p.ended_on.is_none()) {
        None => problems.push(FieldProblem::new(
            "status",
            "not_paused",
            "没有进行中的特别程序",
        )),
        Some(p) => {
            if let Some(e) = end
                && e < p.started_on
            {
                problems.push(FieldProblem::new(
                    "end",
                    "before_start",
                    format!("结束日期不能早于开始日期 {}", p.started_on),
                ));
            }
        }
    }
    match (problems.is_empty(), end) {
        (true, Some(e)) => Ok((e, note)),
        _ => Err(problems),
    }
}

/// Checks the one extension: the decision clock runs, has not been extended, and its limit
/// has not yet run out (an extension is approved within the limit, not after it).
pub fn check_extension(
    d: &Deadlines,
    r: &ExtensionRequest,
) -> Result<(String, String), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let approver = text(&mut problems, "approver", &r.approver, "批准人");
    let reason = text(&mut problems, "reason", &r.reason, "延期的理由");
    match d.decision.as_ref().filter(|c| c.open()) {
        None => problems.push(FieldProblem::new(
            "status",
            "not_running",
            "办件尚未受理或已办结，不能延期",
        )),
        Some(c) => {
            if d.extension_days.is_some() {
                problems.push(FieldProblem::new(
                    "status",
                    "already_extended",
                    "本办件已延期一次，依法不能再次延期",
                ));
            } else if c.days_left.is_some_and(|l| l < 0) {
                problems.push(FieldProblem::new(
                    "status",
                    "too_late",
                    "办结期限已过，不能再办理延期",
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok((approver, reason))
    } else {
        Err(problems)
    }
}
