//! The deadline engine, tested day by day against the 2026 calendar.

use super::*;
use crate::fixtures::codes;

#[test]
fn history_rows_become_clock_steps_dated_as_recorded() {
    let entered = Date::new(2026, 3, 9).unwrap();
    let started = Date::new(2026, 3, 2).unwrap();
    let suspension = EventDetail::Suspension {
        procedure: SpecialProcedure::SiteSurvey,
        start: started,
        correction: None,
    };
    assert_eq!(
        HistoryStep::of_event(CaseAction::Suspend, entered, Some(&suspension)),
        Ok(Some(HistoryStep {
            on: started,
            step: Step::Suspend(SpecialProcedure::SiteSurvey)
        }))
    );
    assert!(HistoryStep::of_event(CaseAction::Suspend, entered, None).is_err());
    assert!(HistoryStep::of_event(CaseAction::Extend, entered, None).is_err());
    assert_eq!(
        HistoryStep::of_event(CaseAction::Resume, entered, None).map(|s| s.map(|s| s.on)),
        Ok(Some(entered))
    );
    let extension = EventDetail::Extension {
        days: 15,
        approver: "局长".into(),
    };
    assert_eq!(
        HistoryStep::of_event(CaseAction::Extend, entered, Some(&extension))
            .map(|s| s.map(|s| s.step)),
        Ok(Some(Step::Extend(15)))
    );
    assert_eq!(
        HistoryStep::of_event(CaseAction::AcceptWithDeficiency, entered, None)
            .map(|s| s.map(|s| s.step)),
        Ok(Some(Step::Accept))
    );
    assert_eq!(
        HistoryStep::of_event(CaseAction::DecideItem, entered, None),
        Ok(None)
    );
    assert_eq!(
        HistoryStep::of_event(CaseAction::DecideOnTheSpot, entered, None)
            .map(|s| s.map(|s| s.step)),
        Ok(Some(Step::Decide))
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
fn a_review_task_counts_its_own_limit_from_acceptance_with_the_case_pauses() {
    // Accepted Wed 9/23 (limit 20 → 10/28). A department with 5 working days has used four
    // by 9/30 (9/24, 9/28, 9/29, 9/30): one left.
    let history = [at(9, 21, Step::Submit), at(9, 23, Step::Accept)];
    let task = PLAIN.for_task(Some(5));
    let c = deadlines(&cal(), &history, task, date(9, 30))
        .unwrap()
        .decision
        .unwrap();
    assert_eq!(c.limit_days, 5);
    assert_eq!(c.days_left, Some(1));
    let case_due = run(&history, date(9, 30)).decision.unwrap().due;
    assert!(c.due < case_due, "{c:?}");
    // Never longer than the case's; none set: the case's own.
    assert_eq!(PLAIN.for_task(Some(30)), PLAIN);
    assert_eq!(PLAIN.for_task(None), PLAIN);
    // A special procedure stops the task's clock as it stops the case's.
    let paused = [
        at(9, 21, Step::Submit),
        at(9, 23, Step::Accept),
        at(9, 28, Step::Suspend(SpecialProcedure::SiteSurvey)),
    ];
    let c = deadlines(&cal(), &paused, task, date(10, 20))
        .unwrap()
        .decision
        .unwrap();
    // Two used before it (9/24, 9/28), three left however long the survey takes.
    assert!(c.paused);
    assert_eq!(c.days_left, Some(3));
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
fn a_decision_on_the_spot_closes_the_acceptance_clock_and_starts_delivery() {
    // 即办件: received and decided on the same day, with no decision clock at all.
    let history = [at(9, 14, Step::Submit), at(9, 14, Step::Decide)];
    let d = run(&history, date(9, 15));
    let acceptance = d.acceptance.as_ref().unwrap();
    assert_eq!(acceptance.stopped_on, Some(date(9, 14)));
    assert_eq!(acceptance.met(), Some(true));
    assert!(d.decision.is_none());
    assert_eq!(d.current().unwrap().kind, DeadlineKind::Delivery);
}

#[test]
fn a_withdrawal_ends_every_clock_even_a_paused_one() {
    let history = [
        at(3, 2, Step::Submit),
        at(3, 2, Step::Accept),
        at(3, 9, Step::Suspend(SpecialProcedure::Hearing)),
        at(3, 16, Step::Withdraw),
    ];
    let d = run(&history, date(5, 20));
    assert!(d.current().is_none());
    let decision = d.decision.unwrap();
    assert_eq!(decision.stopped_on, Some(date(3, 16)));
    assert_eq!(decision.days_left, None);
    // Stopped while submitted: the acceptance clock ends too.
    let early = [at(3, 2, Step::Submit), at(3, 3, Step::Withdraw)];
    let d = run(&early, date(5, 20));
    assert_eq!(d.acceptance.unwrap().stopped_on, Some(date(3, 3)));
    assert!(d.decision.is_none());
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
            correction: String::new(),
        },
        date(3, 10),
    )
    .unwrap();
    assert_eq!(
        ok,
        CheckedSuspension {
            procedure: SpecialProcedure::SiteSurvey,
            reason: "需现场核实".into(),
            start: date(3, 9),
            correction: None,
        }
    );
    let err = check_suspend(
        &accepted,
        &SuspendRequest {
            procedure: "lunch".into(),
            reason: "".into(),
            start: "2026-03-11".into(),
            correction: String::new(),
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
            correction: String::new(),
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
            correction: String::new(),
        },
        date(3, 3),
    )
    .unwrap_err();
    assert_eq!(codes(&err), [("status", "not_running")]);
}

#[test]
fn a_start_before_today_on_an_overdue_case_stands_only_as_a_correction() {
    // Accepted 3/2 with 20 working days: due 3/30; on 4/10 the case is overdue.
    let overdue = run(
        &[at(3, 2, Step::Submit), at(3, 2, Step::Accept)],
        date(4, 10),
    );
    assert!(overdue.decision.as_ref().unwrap().overdue_days().is_some());
    let request = |start: &str, correction: &str| SuspendRequest {
        procedure: "hearing".into(),
        reason: "申请人要求听证".into(),
        start: start.into(),
        correction: correction.into(),
    };
    let err = check_suspend(&overdue, &request("2026-03-20", ""), date(4, 10)).unwrap_err();
    assert_eq!(codes(&err), [("correction", "overdue_needs_correction")]);
    assert!(err[0].message.contains("2026-03-30"), "{}", err[0].message);
    let ok = check_suspend(
        &overdue,
        &request(
            "2026-03-20",
            " 听证通知 3 月 20 日已送达，漏登；王科长批准更正 ",
        ),
        date(4, 10),
    )
    .unwrap();
    assert_eq!(ok.start, date(3, 20));
    assert_eq!(
        ok.correction.as_deref(),
        Some("听证通知 3 月 20 日已送达，漏登；王科长批准更正")
    );
    // Starting today changes nothing already counted: no correction, and none accepted.
    assert!(check_suspend(&overdue, &request("2026-04-10", ""), date(4, 10)).is_ok());
    let err = check_suspend(&overdue, &request("2026-04-10", "补录"), date(4, 10)).unwrap_err();
    assert_eq!(codes(&err), [("correction", "not_a_correction")]);
    // Within the limit, a start a few days back is an ordinary late entry.
    let running = run(
        &[at(3, 2, Step::Submit), at(3, 2, Step::Accept)],
        date(3, 20),
    );
    assert!(check_suspend(&running, &request("2026-03-16", ""), date(3, 20)).is_ok());
    let long = "更".repeat(MAX_NOTE_CHARS + 1);
    let err = check_suspend(&overdue, &request("2026-03-20", &long), date(4, 10)).unwrap_err();
    assert_eq!(codes(&err), [("correction", "too_long")]);
}

#[test]
fn a_procedure_cannot_start_before_a_step_already_recorded() {
    // A first procedure 3/9–3/16, then an extension on 3/18: a second one may not start on
    // 3/12 (inside the first) or 3/17 (before the extension the notice was computed on).
    let history = [
        at(3, 2, Step::Submit),
        at(3, 2, Step::Accept),
        at(3, 9, Step::Suspend(SpecialProcedure::Testing)),
        at(3, 16, Step::Resume),
        at(3, 18, Step::Extend(10)),
    ];
    let d = run(&history, date(3, 20));
    assert_eq!(d.last_step_on, Some(date(3, 18)));
    let request = |start: &str| SuspendRequest {
        procedure: "appraisal".into(),
        reason: "需鉴定".into(),
        start: start.into(),
        correction: String::new(),
    };
    for start in ["2026-03-12", "2026-03-17"] {
        let err = check_suspend(&d, &request(start), date(3, 20)).unwrap_err();
        assert_eq!(codes(&err), [("start", "before_last_step")], "{start}");
        assert!(err[0].message.contains("2026-03-18"));
    }
    assert!(check_suspend(&d, &request("2026-03-18"), date(3, 20)).is_ok());
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
            correction: String::new(),
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
