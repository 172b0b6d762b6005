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
}

/// One row of a case's history as the clocks read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryStep {
    pub on: Date,
    pub step: Step,
}

impl HistoryStep {
    /// What a history row means to the clocks (docs/rules.md, rule 5): the row of `action`,
    /// entered on `entered_on` (its day in China), with its stored `detail`. A special
    /// procedure starts and ends on the days recorded for it, which may be earlier than the
    /// day they were entered.
    pub fn of_event(
        action: CaseAction,
        entered_on: Date,
        detail: Option<&EventDetail>,
    ) -> Result<Self, CorruptDetail> {
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
            (CaseAction::Suspend, Some(EventDetail::Suspension { procedure, start })) => {
                (*start, Step::Suspend(*procedure))
            }
            (CaseAction::Suspend, _) => return Err(missing("procedure")),
            (CaseAction::Resume, Some(EventDetail::Resumption { end })) => (*end, Step::Resume),
            (CaseAction::Resume, _) => (entered_on, Step::Resume),
            (CaseAction::Extend, Some(EventDetail::Extension { days, .. })) => {
                (entered_on, Step::Extend(*days))
            }
            (CaseAction::Extend, _) => return Err(missing("days")),
        };
        Ok(HistoryStep { on, step })
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// Stopped for a special procedure (decision) or an open correction notice (acceptance).
    pub paused: bool,
    /// The day the clock's work was done (accepted, decided, delivered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_on: Option<Date>,
    /// For a clock still running or paused: working days left after today (0 = due today),
    /// negative when overdue (−2 = two working days overdue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pause {
    pub procedure: SpecialProcedure,
    pub started_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// Every clock of a case as of `today`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deadlines {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance: Option<Clock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Clock>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Clock>,
    /// Special procedures, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pauses: Vec<Pause>,
    /// Working days added by the one extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_days: Option<u32>,
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
    for HistoryStep { on, step } in history {
        let on = *on;
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
        }
    }
    let clock = |s: Option<Stretches>| s.map(|s| s.clock(cal, today)).transpose();
    Ok(Deadlines {
        acceptance: clock(acceptance)?,
        decision: clock(decision)?,
        delivery: clock(delivery)?,
        pauses,
        extension_days,
    })
}

mod ladder;
mod procedures;

pub use ladder::{WarningLevel, warning_level};
pub use procedures::{
    ExtensionRequest, MAX_NOTE_CHARS, ResumeRequest, SuspendRequest, check_extension, check_resume,
    check_suspend,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::FieldProblem;

    #[test]
    fn history_rows_become_clock_steps_dated_as_recorded() {
        let entered = Date::new(2026, 3, 9).unwrap();
        let started = Date::new(2026, 3, 2).unwrap();
        let suspension = EventDetail::Suspension {
            procedure: SpecialProcedure::SiteSurvey,
            start: started,
        };
        assert_eq!(
            HistoryStep::of_event(CaseAction::Suspend, entered, Some(&suspension)),
            Ok(HistoryStep {
                on: started,
                step: Step::Suspend(SpecialProcedure::SiteSurvey)
            })
        );
        assert!(HistoryStep::of_event(CaseAction::Suspend, entered, None).is_err());
        assert!(HistoryStep::of_event(CaseAction::Extend, entered, None).is_err());
        assert_eq!(
            HistoryStep::of_event(CaseAction::Resume, entered, None).map(|s| s.on),
            Ok(entered)
        );
        let extension = EventDetail::Extension {
            days: 15,
            approver: "局长".into(),
        };
        assert_eq!(
            HistoryStep::of_event(CaseAction::Extend, entered, Some(&extension)).map(|s| s.step),
            Ok(Step::Extend(15))
        );
        assert_eq!(
            HistoryStep::of_event(CaseAction::AcceptWithDeficiency, entered, None).map(|s| s.step),
            Ok(Step::Accept)
        );
    }
    use crate::calendar::arrangement_2026;

    fn date(m: u8, d: u8) -> Date {
        Date::new(2026, m, d).unwrap()
    }

    fn cal() -> WorkingCalendar {
        WorkingCalendar::new([arrangement_2026()])
    }

    fn at(m: u8, d: u8, step: Step) -> HistoryStep {
        HistoryStep {
            on: date(m, d),
            step,
        }
    }

    const PLAIN: Limits = Limits {
        decision_days: 20,
        joint: false,
    };

    fn run(history: &[HistoryStep], today: Date) -> Deadlines {
        deadlines(&cal(), history, PLAIN, today).unwrap()
    }

    #[test]
    fn acceptance_is_due_five_working_days_after_receipt_across_the_spring_festival() {
        // docs/rules.md, rule 4: received Friday 2/13 → 2/14 (调休), 2/24, 2/25, 2/26, 2/27.
        let d = run(&[at(2, 13, Step::Submit)], date(2, 13));
        let a = d.acceptance.unwrap();
        assert_eq!(a.due, Some(date(2, 27)));
        assert_eq!(a.days_left, Some(5));
        // On the swapped Saturday one day is used; during the holiday nothing more.
        let a = run(&[at(2, 13, Step::Submit)], date(2, 20))
            .acceptance
            .unwrap();
        assert_eq!((a.used_days, a.days_left), (1, Some(4)));
        let a = run(&[at(2, 13, Step::Submit)], date(2, 27))
            .acceptance
            .unwrap();
        assert_eq!(a.days_left, Some(0));
        assert_eq!(a.summary(), "今天到期（2026-02-27）");
        let a = run(&[at(2, 13, Step::Submit)], date(3, 3))
            .acceptance
            .unwrap();
        // 2/28 is a swapped Saturday: 3/2, 3/3 and 2/28 → 3 working days overdue.
        assert_eq!(a.days_left, Some(-3));
        assert_eq!(a.overdue_days(), Some(3));
        assert_eq!(a.band(), Band::Overdue);
    }

    #[test]
    fn the_acceptance_clock_stops_while_a_correction_notice_is_open() {
        // Received Mon 3/2; notice Wed 3/4 (3/3, 3/4 used); resubmitted Mon 3/16; 3 left →
        // 3/17, 3/18, 3/19.
        let history = [
            at(3, 2, Step::Submit),
            at(3, 4, Step::RequestCorrection),
            at(3, 16, Step::Resubmit),
        ];
        let open = run(&history[..2], date(3, 13)).acceptance.unwrap();
        assert!(open.paused);
        assert_eq!(open.due, None);
        assert_eq!((open.used_days, open.days_left), (2, Some(3)));
        assert_eq!(open.summary(), "计时暂停，剩余 3 个工作日");
        let back = run(&history, date(3, 16)).acceptance.unwrap();
        assert!(!back.paused);
        assert_eq!(back.due, Some(date(3, 19)));
        assert_eq!(back.days_left, Some(3));
        // Accepted on 3/18: the clock stops, in time.
        let mut done = history.to_vec();
        done.push(at(3, 18, Step::Accept));
        let a = run(&done, date(4, 1)).acceptance.unwrap();
        assert_eq!(a.stopped_on, Some(date(3, 18)));
        assert_eq!(a.met(), Some(true));
        assert_eq!(a.days_left, None);
    }

    #[test]
    fn the_decision_limit_runs_from_acceptance_across_national_day() {
        // Accepted Wed 9/23, 20 working days → 10/28 (the calendar's own test).
        let history = [at(9, 21, Step::Submit), at(9, 23, Step::Accept)];
        let d = run(&history, date(9, 30));
        let c = d.decision.as_ref().unwrap();
        assert_eq!(c.due, Some(date(10, 28)));
        // 9/24, 9/28, 9/29, 9/30 used.
        assert_eq!(c.used_days, 4);
        assert_eq!(c.days_left, Some(16));
        assert_eq!(d.current().unwrap().kind, DeadlineKind::Decision);
        assert!(!d.acceptance.as_ref().unwrap().open());
    }

    #[test]
    fn joint_handling_has_45_days_and_a_15_day_extension() {
        let joint = Limits {
            decision_days: JOINT_DECISION_LIMIT_DAYS,
            joint: true,
        };
        assert_eq!(joint.extension_days(), 15);
        assert_eq!(PLAIN.extension_days(), 10);
        let history = [
            at(3, 2, Step::Submit),
            at(3, 2, Step::Accept),
            at(3, 20, Step::Extend(15)),
        ];
        let d = deadlines(&cal(), &history, joint, date(3, 20)).unwrap();
        let c = d.decision.unwrap();
        assert_eq!(c.limit_days, 60);
        assert_eq!(d.extension_days, Some(15));
        assert_eq!(c.due, Some(cal().add_working_days(date(3, 2), 60).unwrap()));
    }

    #[test]
    fn a_case_accepted_on_a_holiday_counts_from_the_next_working_day() {
        // Taken at a weekend service desk on National Day, 10/3, and accepted at once: 10/8,
        // 10/9, 10/10 (调休 Saturday), 10/12 … the 20th working day is 11/3.
        let history = [at(10, 3, Step::Submit), at(10, 3, Step::Accept)];
        let c = run(&history, date(10, 3)).decision.unwrap();
        assert_eq!(c.due, Some(date(11, 3)));
        assert_eq!(c.days_left, Some(20));
        assert_eq!(cal().working_days_between(date(10, 3), date(11, 3)), Ok(20));
    }

    #[test]
    fn a_deemed_acceptance_starts_the_decision_clock_on_the_receipt_day() {
        let history = [at(3, 2, Step::Submit), at(3, 10, Step::DeemAccept)];
        let d = run(&history, date(3, 10));
        assert_eq!(d.decision.as_ref().unwrap().started_on, date(3, 2));
        assert_eq!(d.acceptance.as_ref().unwrap().stopped_on, Some(date(3, 2)));
    }

    #[test]
    fn a_special_procedure_spanning_a_holiday_is_not_counted() {
        // Accepted Mon 9/14 (limit 20). 检测 from Tue 9/22 to Thu 10/15: used before it 9/15–
        // 9/18, 9/20 (调休 Sunday), 9/21, 9/22 = 7; from 10/15, 13 more: 10/16, 10/19 … 11/3.
        let history = [
            at(9, 14, Step::Submit),
            at(9, 14, Step::Accept),
            at(9, 22, Step::Suspend(SpecialProcedure::Testing)),
            at(10, 15, Step::Resume),
        ];
        let during = run(&history[..3], date(10, 9));
        let c = during.decision.as_ref().unwrap();
        assert!(c.paused);
        assert_eq!((c.used_days, c.days_left, c.due), (7, Some(13), None));
        assert_eq!(c.band(), Band::Paused);
        assert_eq!(
            during.pauses,
            [Pause {
                procedure: SpecialProcedure::Testing,
                started_on: date(9, 22),
                ended_on: None
            }]
        );
        let after = run(&history, date(10, 15));
        let c = after.decision.as_ref().unwrap();
        assert!(!c.paused);
        assert_eq!(
            c.due,
            Some(cal().add_working_days(date(10, 15), 13).unwrap())
        );
        assert_eq!(c.due, Some(date(11, 3)));
        assert_eq!(c.days_left, Some(13));
        assert_eq!(after.pauses[0].ended_on, Some(date(10, 15)));
    }

    #[test]
    fn an_extension_after_a_pause_adds_ten_working_days_to_the_rest() {
        let history = [
            at(9, 14, Step::Submit),
            at(9, 14, Step::Accept),
            at(9, 22, Step::Suspend(SpecialProcedure::ExpertReview)),
            at(10, 15, Step::Resume),
            at(10, 20, Step::Extend(10)),
        ];
        let d = run(&history, date(10, 20));
        let c = d.decision.unwrap();
        assert_eq!(c.limit_days, 30);
        assert_eq!(
            c.due,
            Some(cal().add_working_days(date(10, 15), 23).unwrap())
        );
        // A second extension is ignored by the clock (and refused before it is recorded).
        let mut twice = history.to_vec();
        twice.push(at(10, 21, Step::Extend(10)));
        assert_eq!(run(&twice, date(10, 21)).decision.unwrap().limit_days, 30);
    }

    #[test]
    fn the_delivery_deadline_is_ten_working_days_after_the_decision() {
        let history = [
            at(9, 14, Step::Submit),
            at(9, 14, Step::Accept),
            at(9, 29, Step::Decide),
        ];
        let d = run(&history, date(9, 30));
        let decision = d.decision.as_ref().unwrap();
        assert_eq!(decision.stopped_on, Some(date(9, 29)));
        assert_eq!(decision.met(), Some(true));
        let delivery = d.delivery.as_ref().unwrap();
        // 9/30, (10/1–7 off), 10/8, 10/9, 10/10 (调休), 10/12 … 10/16, 10/19.
        assert_eq!(delivery.due, Some(date(10, 19)));
        assert_eq!(d.current().unwrap().kind, DeadlineKind::Delivery);
        let mut delivered = history.to_vec();
        delivered.push(at(10, 9, Step::Deliver));
        assert!(run(&delivered, date(10, 20)).current().is_none());
    }

    #[test]
    fn overdue_cases_keep_counting_and_a_late_decision_is_marked() {
        let history = [at(3, 2, Step::Submit), at(3, 2, Step::Accept)];
        // 3/30 is the 20th working day after 3/2.
        let c = run(&history, date(4, 2)).decision.unwrap();
        assert_eq!(c.due, Some(date(3, 30)));
        assert_eq!(c.days_left, Some(-3));
        assert_eq!(c.summary(), "已超期 3 个工作日（2026-03-30 到期）");
        let mut late = history.to_vec();
        late.push(at(4, 2, Step::Decide));
        assert_eq!(run(&late, date(4, 9)).decision.unwrap().met(), Some(false));
    }

    #[test]
    fn a_pause_while_overdue_keeps_the_due_day_it_passed() {
        let history = [
            at(3, 2, Step::Submit),
            at(3, 2, Step::Accept),
            at(4, 2, Step::Suspend(SpecialProcedure::Hearing)),
        ];
        let c = run(&history, date(4, 10)).decision.unwrap();
        assert!(c.paused);
        assert_eq!(c.due, Some(date(3, 30)));
        assert_eq!(c.days_left, Some(-3));
    }

    #[test]
    fn a_year_without_holidays_is_an_error_not_a_guess() {
        let history = [at(12, 21, Step::Submit), at(12, 21, Step::Accept)];
        assert!(deadlines(&cal(), &history, PLAIN, date(12, 22)).is_err());
    }

    #[test]
    fn the_ladder_warns_at_7_5_and_3_then_daily_and_bands_follow_it() {
        assert_eq!(warning_level(8), None);
        assert_eq!(warning_level(7), Some(WarningLevel::Handler));
        assert_eq!(warning_level(6), Some(WarningLevel::Handler));
        assert_eq!(warning_level(5), Some(WarningLevel::Department));
        assert_eq!(warning_level(4), Some(WarningLevel::Department));
        for d in [3, 0, -4] {
            assert_eq!(warning_level(d), Some(WarningLevel::Supervision));
        }
        assert!(WarningLevel::Supervision.daily() && !WarningLevel::Handler.daily());
        assert_eq!(band(8, false), Band::Green);
        assert_eq!(band(7, false), Band::Amber);
        assert_eq!(band(3, false), Band::Red);
        assert_eq!(band(0, false), Band::Red);
        assert_eq!(band(-1, false), Band::Overdue);
        assert_eq!(band(-1, true), Band::Paused);
    }

    fn codes(problems: &[FieldProblem]) -> Vec<(&str, &str)> {
        problems
            .iter()
            .map(|p| (p.field.as_str(), p.code.as_str()))
            .collect()
    }

    #[test]
    fn a_special_procedure_needs_a_known_kind_a_reason_and_a_start_after_acceptance() {
        let accepted = run(
            &[at(3, 2, Step::Submit), at(3, 4, Step::Accept)],
            date(3, 10),
        );
        let ok = check_suspend(
            &accepted,
            &SuspendRequest {
                procedure: "site_survey".into(),
                reason: " 需现场核实 ".into(),
                start: "2026-03-09".into(),
            },
            date(3, 10),
        )
        .unwrap();
        assert_eq!(
            ok,
            (
                SpecialProcedure::SiteSurvey,
                "需现场核实".into(),
                date(3, 9)
            )
        );
        let err = check_suspend(
            &accepted,
            &SuspendRequest {
                procedure: "lunch".into(),
                reason: "".into(),
                start: "2026-03-11".into(),
            },
            date(3, 10),
        )
        .unwrap_err();
        assert_eq!(
            codes(&err),
            [
                ("procedure", "unknown_procedure"),
                ("reason", "required"),
                ("start", "in_the_future")
            ]
        );
        let err = check_suspend(
            &accepted,
            &SuspendRequest {
                procedure: "hearing".into(),
                reason: "x".into(),
                start: "2026-03-03".into(),
            },
            date(3, 10),
        )
        .unwrap_err();
        assert_eq!(codes(&err), [("start", "before_acceptance")]);
        let waiting = run(&[at(3, 2, Step::Submit)], date(3, 3));
        let err = check_suspend(
            &waiting,
            &SuspendRequest {
                procedure: "hearing".into(),
                reason: "x".into(),
                start: "2026-03-03".into(),
            },
            date(3, 3),
        )
        .unwrap_err();
        assert_eq!(codes(&err), [("status", "not_running")]);
    }

    #[test]
    fn a_procedure_ends_after_it_starts_and_only_when_one_is_open() {
        let paused = run(
            &[
                at(3, 2, Step::Submit),
                at(3, 2, Step::Accept),
                at(3, 9, Step::Suspend(SpecialProcedure::Appraisal)),
            ],
            date(3, 20),
        );
        let r = |end: &str| ResumeRequest {
            end: end.into(),
            note: String::new(),
        };
        assert_eq!(
            check_resume(&paused, &r("2026-03-19"), date(3, 20))
                .unwrap()
                .0,
            date(3, 19)
        );
        let err = check_resume(&paused, &r("2026-03-06"), date(3, 20)).unwrap_err();
        assert_eq!(codes(&err), [("end", "before_start")]);
        let err = check_resume(&paused, &r("3/19"), date(3, 20)).unwrap_err();
        assert_eq!(codes(&err), [("end", "invalid_date")]);
        let running = run(
            &[at(3, 2, Step::Submit), at(3, 2, Step::Accept)],
            date(3, 20),
        );
        let err = check_resume(&running, &r("2026-03-19"), date(3, 20)).unwrap_err();
        assert_eq!(codes(&err), [("status", "not_paused")]);
        let err = check_suspend(
            &paused,
            &SuspendRequest {
                procedure: "hearing".into(),
                reason: "x".into(),
                start: "2026-03-19".into(),
            },
            date(3, 20),
        )
        .unwrap_err();
        assert_eq!(codes(&err), [("status", "already_paused")]);
    }

    #[test]
    fn an_extension_is_recorded_once_with_its_approver_and_within_the_limit() {
        let r = ExtensionRequest {
            approver: "王局长".into(),
            reason: "需征求相关部门意见".into(),
        };
        let base = [at(3, 2, Step::Submit), at(3, 2, Step::Accept)];
        let d = run(&base, date(3, 20));
        assert!(check_extension(&d, &r).is_ok());
        let empty = ExtensionRequest {
            approver: " ".into(),
            reason: "".into(),
        };
        assert_eq!(
            codes(&check_extension(&d, &empty).unwrap_err()),
            [("approver", "required"), ("reason", "required")]
        );
        let mut once = base.to_vec();
        once.push(at(3, 20, Step::Extend(10)));
        let d = run(&once, date(3, 23));
        assert_eq!(
            codes(&check_extension(&d, &r).unwrap_err()),
            [("status", "already_extended")]
        );
        let late = run(&base, date(4, 2));
        assert_eq!(
            codes(&check_extension(&late, &r).unwrap_err()),
            [("status", "too_late")]
        );
    }
}
