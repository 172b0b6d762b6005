//! The deadlines of a case, computed from its history every time they are needed, never
//! stored as a number that could drift. Every figure shown to anyone (days left, due date,
//! days overdue) comes from [`deadlines`].
//!
//! The clocks (docs/rules.md, rules 3–6):
//! - **Acceptance** (《行政许可法》第三十二条): 5 working days from receipt; the clock does not
//!   run while a correction notice is open (from the notice to the resubmission).
//! - **Decision** (第四十二条): the item's limit from acceptance (20 by default, 45 for joint
//!   handling), extended once by 10 (15 for joint handling) with a recorded approval; time in
//!   special procedures (第四十五条: 听证, 检验, 检测, 检疫, 鉴定, 专家评审, 现场勘验) is not counted.
//! - **Delivery** (第四十四条): 10 working days after the decision.
//!
//! Counting follows 《民法典》第二百零一条: the day of the triggering event is not counted. A
//! clock that stops (a notice, a special procedure) counts the day it stops; the day it starts
//! again is the new triggering day and is not counted.

use serde::{Deserialize, Serialize};

use super::calendar::{WorkingCalendar, YearNotLoaded};
use super::date::Date;
// Special procedures are events of a case; the clocks read them.
pub use crate::case::SpecialProcedure;
use crate::case::{CaseAction, CorruptDetail, EventDetail};

/// 《行政许可法》第三十二条: five working days to accept, reject or ask for corrections.
pub const ACCEPTANCE_LIMIT_DAYS: u32 = 5;
/// 第四十二条: a decision within 20 working days of acceptance, unless the item says otherwise.
pub const DEFAULT_DECISION_LIMIT_DAYS: u32 = 20;
/// 第四十二条: joint handling by several departments, 45 working days.
pub const JOINT_DECISION_LIMIT_DAYS: u32 = 45;
/// 第四十二条: one extension of 10 working days, approved by the head of the department.
pub const EXTENSION_DAYS: u32 = 10;
/// 第四十二条: for joint handling, one extension of 15 working days.
pub const JOINT_EXTENSION_DAYS: u32 = 15;
/// 第四十四条: the result is delivered within 10 working days of the decision.
pub const DELIVERY_LIMIT_DAYS: u32 = 10;

/// 大连市工作方案 (docs/rules.md, rule 6): with 7 working days left the handler is warned.
pub const HANDLER_WARNING_DAYS: i64 = 7;
/// With 5 left, the department is reminded.
pub const DEPARTMENT_WARNING_DAYS: i64 = 5;
/// With 3 left, a supervision notice goes to the department and its supervisor, then daily.
pub const SUPERVISION_WARNING_DAYS: i64 = 3;

/// What happened to a case, on which day, as far as its clocks care.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Received (submitted online, or taken at a window).
    Submit,
    RequestCorrection,
    Resubmit,
    Accept,
    /// Accepted by operation of law, as of the (last) receipt day.
    DeemAccept,
    Reject,
    /// A special procedure starts on this day.
    Suspend(SpecialProcedure),
    /// The special procedure ends on this day.
    Resume,
    /// The one extension: this many working days added to the decision limit.
    Extend(u32),
    Decide,
    Deliver,
    /// The application is withdrawn: every clock ends.
    Withdraw,
}

/// One row of a case's history as the clocks read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryStep {
    pub on: Date,
    pub step: Step,
}

impl HistoryStep {
    /// What a history row means to the clocks (docs/rules.md, rule 5), if anything: the row of `action`,
    /// entered on `entered_on` (its day in China), with its stored `detail`. A special
    /// procedure starts and ends on the days recorded for it, which may be earlier than the
    /// day they were entered.
    pub fn of_event(
        action: CaseAction,
        entered_on: Date,
        detail: Option<&EventDetail>,
    ) -> Result<Option<Self>, CorruptDetail> {
        let missing = |what: &str| CorruptDetail {
            action: action.as_str(),
            cause: format!("no {what}"),
        };
        let (on, step) = match (action, detail) {
            (CaseAction::Submit, _) => (entered_on, Step::Submit),
            (CaseAction::Accept | CaseAction::AcceptWithDeficiency, _) => {
                (entered_on, Step::Accept)
            }
            (CaseAction::DeemAccept, _) => (entered_on, Step::DeemAccept),
            (CaseAction::Reject, _) => (entered_on, Step::Reject),
            (CaseAction::RequestCorrection, _) => (entered_on, Step::RequestCorrection),
            (CaseAction::Resubmit, _) => (entered_on, Step::Resubmit),
            (
                CaseAction::Suspend,
                Some(EventDetail::Suspension {
                    procedure, start, ..
                }),
            ) => (*start, Step::Suspend(*procedure)),
            (CaseAction::Suspend, _) => return Err(missing("procedure")),
            (CaseAction::Resume, Some(EventDetail::Resumption { end })) => (*end, Step::Resume),
            (CaseAction::Resume, _) => (entered_on, Step::Resume),
            (CaseAction::Extend, Some(EventDetail::Extension { days, .. })) => {
                (entered_on, Step::Extend(*days))
            }
            (CaseAction::Extend, _) => return Err(missing("days")),
            // The review starting, a bundle's item decided while others are open, and a 容缺
            // material checked move no clock.
            (
                CaseAction::StartReview
                | CaseAction::DecideItem
                | CaseAction::ConfirmDeferred
                | CaseAction::ReturnDeferred
                | CaseAction::Mail,
                _,
            ) => return Ok(None),
            (CaseAction::Decide | CaseAction::DecideOnTheSpot, _) => (entered_on, Step::Decide),
            (CaseAction::Withdraw, _) => (entered_on, Step::Withdraw),
            (CaseAction::Deliver, _) => (entered_on, Step::Deliver),
        };
        Ok(Some(HistoryStep { on, step }))
    }
}

/// Which limit a clock measures.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    Acceptance,
    Decision,
    Delivery,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::Acceptance => "acceptance",
            DeadlineKind::Decision => "decision",
            DeadlineKind::Delivery => "delivery",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            DeadlineKind::Acceptance,
            DeadlineKind::Decision,
            DeadlineKind::Delivery,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::Acceptance => "受理期限",
            DeadlineKind::Decision => "办结期限",
            DeadlineKind::Delivery => "送达期限",
        }
    }
}

/// One clock of a case as of a day.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Clock {
    pub kind: DeadlineKind,
    /// The triggering day (not counted).
    pub started_on: Date,
    /// Working days allowed, the extension included.
    pub limit_days: u32,
    /// Working days counted so far (up to today, or to the day the clock stopped).
    pub used_days: u32,
    /// The last day; `None` while the clock is paused and the limit not yet used up.
    pub due: Option<Date>,
    /// Stopped for a special procedure (decision) or an open correction notice (acceptance).
    pub paused: bool,
    /// The day the clock's work was done (accepted, decided, delivered).
    pub stopped_on: Option<Date>,
    /// For a clock still running or paused: working days left after today (0 = due today),
    /// negative when overdue (−2 = two working days overdue).
    pub days_left: Option<i64>,
}

impl Clock {
    /// Whether the clock is still running or paused (its work not done).
    pub fn open(&self) -> bool {
        self.stopped_on.is_none()
    }

    /// Working days overdue, if any.
    pub fn overdue_days(&self) -> Option<u32> {
        match self.days_left {
            Some(d) if d < 0 => Some((-d) as u32),
            _ => None,
        }
    }

    /// Whether the work was done by the due day (for a stopped clock).
    pub fn met(&self) -> Option<bool> {
        match (self.stopped_on, self.due) {
            (Some(stop), Some(due)) => Some(stop <= due),
            (Some(_), None) => Some(true),
            _ => None,
        }
    }

    /// The band a supervision board sorts it into.
    pub fn band(&self) -> Band {
        band(self.days_left.unwrap_or(i64::MAX), self.paused)
    }

    /// In plain Chinese: "剩余 3 个工作日（2026-03-16 到期）", "已超期 2 个工作日", …
    pub fn summary(&self) -> String {
        if let Some(stop) = self.stopped_on {
            return match self.met() {
                Some(false) => format!(
                    "{}已于 {stop} 完成（期限 {}，超期）",
                    self.kind.label(),
                    self.due.map(|d| d.to_string()).unwrap_or_default()
                ),
                _ => format!("{}内已完成（{stop}）", self.kind.label()),
            };
        }
        let left = self.days_left.unwrap_or_default();
        if self.paused {
            return format!("计时暂停，剩余 {} 个工作日", left.max(0));
        }
        let due = self.due.map(|d| d.to_string()).unwrap_or_default();
        match left {
            l if l < 0 => format!("已超期 {} 个工作日（{due} 到期）", -l),
            0 => format!("今天到期（{due}）"),
            l => format!("剩余 {l} 个工作日（{due} 到期）"),
        }
    }
}

/// Time left, as the supervision board colours it.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Overdue,
    Red,
    Amber,
    Green,
    Paused,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Overdue => "overdue",
            Band::Red => "red",
            Band::Amber => "amber",
            Band::Green => "green",
            Band::Paused => "paused",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Band::Overdue => "已超期",
            Band::Red => "红色（≤3 个工作日）",
            Band::Amber => "黄色（4–7 个工作日）",
            Band::Green => "绿色（7 个工作日以上）",
            Band::Paused => "计时暂停",
        }
    }
}

/// The band of a clock with `days_left`: overdue below 0, red up to the supervision level,
/// amber up to the handler's warning, green above.
pub fn band(days_left: i64, paused: bool) -> Band {
    if paused {
        return Band::Paused;
    }
    match days_left {
        d if d < 0 => Band::Overdue,
        d if d <= SUPERVISION_WARNING_DAYS => Band::Red,
        d if d <= HANDLER_WARNING_DAYS => Band::Amber,
        _ => Band::Green,
    }
}

/// A special procedure, as recorded and as the applicant is told.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pause {
    pub procedure: SpecialProcedure,
    pub started_on: Date,
    pub ended_on: Option<Date>,
}

/// The limits of a case, from its guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The decision limit in working days from acceptance.
    pub decision_days: u32,
    /// Handled jointly by several departments (a longer extension).
    pub joint: bool,
}

impl Limits {
    /// The extension this case may have, once.
    pub fn extension_days(self) -> u32 {
        if self.joint {
            JOINT_EXTENSION_DAYS
        } else {
            EXTENSION_DAYS
        }
    }
}

impl Limits {
    /// The limits a review task counts with: its department's 审查时限 where the guide sets
    /// one (never longer than the case's), else the case's own. The task's clock is then the
    /// decision clock of [`deadlines`] with these limits: it starts at acceptance, stops for
    /// special procedures and gains the extension like the case's.
    pub fn for_task(self, review_days: Option<u32>) -> Limits {
        Limits {
            decision_days: review_days.map_or(self.decision_days, |d| d.min(self.decision_days)),
            ..self
        }
    }
}

/// Every clock of a case as of `today`.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadlines {
    pub acceptance: Option<Clock>,
    pub decision: Option<Clock>,
    pub delivery: Option<Clock>,
    /// Special procedures, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<Pause>,
    /// Working days added by the one extension.
    pub extension_days: Option<u32>,
    /// The latest day any recorded step counts from: nothing recorded later may start
    /// before it (a notice already told the applicant what followed from it).
    pub last_step_on: Option<Date>,
}

impl Deadlines {
    /// The clock that matters now: the first one still open.
    pub fn current(&self) -> Option<&Clock> {
        [&self.acceptance, &self.decision, &self.delivery]
            .into_iter()
            .flatten()
            .find(|c| c.open())
    }
}

/// A clock being built: its running stretches `(from, until)`, `until` `None` while it runs.
struct Stretches {
    kind: DeadlineKind,
    started_on: Date,
    runs: Vec<(Date, Option<Date>)>,
    limit: u32,
    stopped_on: Option<Date>,
}

impl Stretches {
    fn new(kind: DeadlineKind, on: Date, limit: u32) -> Self {
        Stretches {
            kind,
            started_on: on,
            runs: vec![(on, None)],
            limit,
            stopped_on: None,
        }
    }

    fn running(&self) -> bool {
        self.stopped_on.is_none() && matches!(self.runs.last(), Some((_, None)))
    }

    fn pause(&mut self, on: Date) {
        if let Some(last) = self.runs.last_mut()
            && last.1.is_none()
        {
            last.1 = Some(on.max(last.0));
        }
    }

    fn resume(&mut self, on: Date) {
        if !self.running() && self.stopped_on.is_none() {
            self.runs.push((on, None));
        }
    }

    fn stop(&mut self, on: Date) {
        if self.stopped_on.is_none() {
            self.stopped_on = Some(on);
        }
    }

    /// The clock as of `today`.
    fn clock(&self, cal: &WorkingCalendar, today: Date) -> Result<Clock, YearNotLoaded> {
        let end_of_count = self.stopped_on.unwrap_or(today);
        let mut used = 0u32;
        let mut before_last = 0u32;
        let mut due = None;
        for (i, (from, until)) in self.runs.iter().enumerate() {
            let to = until.unwrap_or(end_of_count).min(end_of_count);
            let days = cal.working_days_between(*from, to)?;
            if due.is_none() && used + days >= self.limit {
                due = Some(cal.add_working_days(*from, self.limit - used)?);
            }
            if i + 1 < self.runs.len() {
                before_last += days;
            }
            used += days;
        }
        let paused = self.stopped_on.is_none() && !self.running();
        if due.is_none() && !paused {
            // Still within the limit and running (or stopped while running): the due day is
            // where the rest of the limit ends, counted from the last restart.
            if let Some((from, _)) = self.runs.last() {
                due = Some(cal.add_working_days(*from, self.limit.saturating_sub(before_last))?);
            }
        }
        let days_left = if self.stopped_on.is_some() {
            None
        } else if paused {
            Some(i64::from(self.limit) - i64::from(used))
        } else {
            match due {
                Some(d) if d >= today => Some(i64::from(cal.working_days_between(today, d)?)),
                Some(d) => Some(-i64::from(cal.working_days_between(d, today)?)),
                None => None,
            }
        };
        Ok(Clock {
            kind: self.kind,
            started_on: self.started_on,
            limit_days: self.limit,
            used_days: used,
            due,
            paused,
            stopped_on: self.stopped_on,
            days_left,
        })
    }
}

/// The clocks of a case with this history (oldest first) and these limits, as of `today`.
pub fn deadlines(
    cal: &WorkingCalendar,
    history: &[HistoryStep],
    limits: Limits,
    today: Date,
) -> Result<Deadlines, YearNotLoaded> {
    let mut acceptance: Option<Stretches> = None;
    let mut decision: Option<Stretches> = None;
    let mut delivery: Option<Stretches> = None;
    let mut pauses: Vec<Pause> = Vec::new();
    let mut extension_days = None;
    let mut last_receipt = None;
    let mut last_step_on: Option<Date> = None;
    for HistoryStep { on, step } in history {
        let on = *on;
        last_step_on = last_step_on.max(Some(on));
        match step {
            Step::Submit => {
                last_receipt = Some(on);
                acceptance = Some(Stretches::new(
                    DeadlineKind::Acceptance,
                    on,
                    ACCEPTANCE_LIMIT_DAYS,
                ));
            }
            Step::RequestCorrection => {
                if let Some(a) = acceptance.as_mut() {
                    a.pause(on);
                }
            }
            Step::Resubmit => {
                last_receipt = Some(on);
                if let Some(a) = acceptance.as_mut() {
                    a.resume(on);
                }
            }
            Step::Accept | Step::DeemAccept => {
                let accepted_on = match step {
                    Step::DeemAccept => last_receipt.unwrap_or(on),
                    _ => on,
                };
                if let Some(a) = acceptance.as_mut() {
                    a.stop(accepted_on);
                }
                decision = Some(Stretches::new(
                    DeadlineKind::Decision,
                    accepted_on,
                    limits.decision_days,
                ));
            }
            Step::Reject => {
                if let Some(a) = acceptance.as_mut() {
                    a.stop(on);
                }
            }
            Step::Suspend(procedure) => {
                if let Some(d) = decision.as_mut() {
                    d.pause(on);
                }
                pauses.push(Pause {
                    procedure: *procedure,
                    started_on: on,
                    ended_on: None,
                });
            }
            Step::Resume => {
                if let Some(d) = decision.as_mut() {
                    d.resume(on);
                }
                if let Some(p) = pauses.last_mut().filter(|p| p.ended_on.is_none()) {
                    p.ended_on = Some(on.max(p.started_on));
                }
            }
            Step::Extend(days) => {
                if let (Some(d), None) = (decision.as_mut(), extension_days) {
                    d.limit += days;
                    extension_days = Some(*days);
                }
            }
            Step::Decide => {
                // 即办件 are decided at acceptance: the acceptance clock stops with it.
                if let Some(a) = acceptance.as_mut() {
                    a.stop(on);
                }
                if let Some(d) = decision.as_mut() {
                    d.pause(on);
                    d.stop(on);
                }
                delivery = Some(Stretches::new(
                    DeadlineKind::Delivery,
                    on,
                    DELIVERY_LIMIT_DAYS,
                ));
            }
            Step::Deliver => {
                if let Some(d) = delivery.as_mut() {
                    d.stop(on);
                }
            }
            Step::Withdraw => {
                for s in [&mut acceptance, &mut decision, &mut delivery]
                    .into_iter()
                    .flatten()
                {
                    s.stop(on);
                }
            }
        }
    }
    let clock = |s: Option<Stretches>| s.map(|s| s.clock(cal, today)).transpose();
    Ok(Deadlines {
        acceptance: clock(acceptance)?,
        decision: clock(decision)?,
        delivery: clock(delivery)?,
        pauses,
        extension_days,
        last_step_on,
    })
}

mod ladder;
mod procedures;

pub use ladder::{WarningLevel, warning_level};
pub use procedures::{
    CheckedSuspension, ExtensionRequest, MAX_NOTE_CHARS, ResumeRequest, SuspendRequest,
    check_extension, check_resume, check_suspend,
};

#[cfg(test)]
mod tests;
