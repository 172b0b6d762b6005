//! The back office's rules, case by case.

use super::*;

fn item(code: &str, department: &str, co: &[&str]) -> HandledItem {
    HandledItem {
        item_code: code.into(),
        item_name: format!("事项{code}"),
        department: department.into(),
        co_departments: co.iter().map(|d| d.to_string()).collect(),
        result_name: String::new(),
        immediate: false,
        review_days: BTreeMap::new(),
    }
}

fn task(id: i32, item: &str, department: &str, status: TaskStatus) -> TaskState {
    TaskState {
        id,
        item_code: item.into(),
        department: department.into(),
        status,
        claimed_by: None,
        opinion: None,
    }
}

fn done(id: i32, item: &str, department: &str, opinion: Opinion) -> TaskState {
    TaskState {
        claimed_by: Some(7),
        opinion: Some(opinion),
        ..task(id, item, department, TaskStatus::Done)
    }
}

fn codes(problems: &[FieldProblem]) -> Vec<&str> {
    problems.iter().map(|p| p.code.as_str()).collect()
}

#[test]
fn a_case_fans_out_into_one_task_per_department_of_each_item() {
    let seeds = fan_out(&[
        item("A", "ZJJ", &["XFJ", "RFB"]),
        item("B", "ZRZYJ", &["ZJJ", "ZRZYJ"]),
    ]);
    let got: Vec<(&str, &str, bool)> = seeds
        .iter()
        .map(|s| (s.item_code.as_str(), s.department.as_str(), s.lead))
        .collect();
    assert_eq!(
        got,
        [
            ("A", "ZJJ", true),
            ("A", "XFJ", false),
            ("A", "RFB", false),
            ("B", "ZRZYJ", true),
            ("B", "ZJJ", false),
        ]
    );
    assert_eq!(seeds[0].item_name, "事项A");
    assert!(seeds.iter().all(|s| s.limit_days.is_none()));
    // A department's 审查时限 from the guide goes with its task.
    let mut a = item("A", "ZJJ", &["XFJ"]);
    a.review_days.insert("XFJ".into(), 5);
    let seeds = fan_out(&[a]);
    assert_eq!(
        seeds.iter().map(|s| s.limit_days).collect::<Vec<_>>(),
        [None, Some(5)]
    );
}

#[test]
fn one_reviewer_signs_for_a_task_and_another_is_refused() {
    let mut t = task(1, "A", "ZJJ", TaskStatus::Open);
    assert_eq!(check_claim(&t, CaseStatus::Accepted, 7), Ok(()));
    assert_eq!(check_claim(&t, CaseStatus::Suspended, 7), Ok(()));
    t.status = TaskStatus::Claimed;
    t.claimed_by = Some(7);
    assert_eq!(check_claim(&t, CaseStatus::Accepted, 7), Ok(()));
    assert_eq!(
        check_claim(&t, CaseStatus::Accepted, 8),
        Err(TaskRefusal::TakenByAnother)
    );
    t.status = TaskStatus::Done;
    assert_eq!(
        check_claim(&t, CaseStatus::Accepted, 7),
        Err(TaskRefusal::AlreadyDone)
    );
    t.status = TaskStatus::Closed;
    assert_eq!(
        check_claim(&t, CaseStatus::Withdrawn, 7),
        Err(TaskRefusal::Closed)
    );
    let open = task(2, "A", "XFJ", TaskStatus::Open);
    assert_eq!(
        check_claim(&open, CaseStatus::Decided, 7),
        Err(TaskRefusal::NotInReview)
    );
    assert_eq!(TaskRefusal::TakenByAnother.code(), "task_taken");
    assert_eq!(
        TaskRefusal::TakenByAnother.to_string(),
        "这项审查任务已由其他审批人员签收"
    );
}

fn claimed() -> TaskState {
    TaskState {
        status: TaskStatus::Claimed,
        claimed_by: Some(7),
        ..task(1, "A", "ZJJ", TaskStatus::Open)
    }
}

fn opinion(o: Opinion, reason: &str, basis: &str, conditions: &str) -> OpinionRequest {
    OpinionRequest {
        opinion: o,
        reason: reason.into(),
        legal_basis: basis.into(),
        conditions: conditions.into(),
    }
}

#[test]
fn an_opinion_is_written_by_the_holder_and_a_disagreement_gives_reason_and_basis() {
    let agree = opinion(Opinion::Agree, "", "", "  开工前完成消防设计审查  ");
    let ok = check_opinion(&claimed(), CaseStatus::Accepted, 7, &agree).unwrap();
    assert_eq!(ok.conditions.as_deref(), Some("开工前完成消防设计审查"));
    assert_eq!(ok.reason, None);
    assert_eq!(
        check_opinion(&claimed(), CaseStatus::Accepted, 8, &agree),
        Err(OpinionProblem::Task(TaskRefusal::TakenByAnother))
    );
    assert_eq!(
        check_opinion(
            &task(1, "A", "ZJJ", TaskStatus::Open),
            CaseStatus::Accepted,
            7,
            &agree
        ),
        Err(OpinionProblem::Task(TaskRefusal::NotClaimed))
    );
    assert_eq!(
        check_opinion(&claimed(), CaseStatus::Suspended, 7, &agree),
        Err(OpinionProblem::Task(TaskRefusal::CaseSuspended))
    );
    let bare = opinion(Opinion::Disagree, " ", "", "附条件");
    let Err(OpinionProblem::Invalid(p)) = check_opinion(&claimed(), CaseStatus::Accepted, 7, &bare)
    else {
        panic!("a bare disagreement was accepted");
    };
    assert_eq!(
        codes(&p),
        [
            "reason_required",
            "legal_basis_required",
            "conditions_need_agreement"
        ]
    );
    let long = opinion(Opinion::Disagree, &"长".repeat(501), "第十二条", "");
    let Err(OpinionProblem::Invalid(p)) = check_opinion(&claimed(), CaseStatus::Accepted, 7, &long)
    else {
        panic!("a long reason was accepted");
    };
    assert_eq!(codes(&p), ["too_long"]);
}

fn facts(tasks: Vec<TaskState>) -> DecisionFacts {
    DecisionFacts {
        status: CaseStatus::Accepted,
        tasks,
        decided: vec![],
        outstanding: vec![],
    }
}

fn decide(item: &str, outcome: Outcome, reason: &str, basis: &str) -> DecisionRequest {
    DecisionRequest {
        item: item.into(),
        outcome,
        reason: reason.into(),
        legal_basis: basis.into(),
        conditions: String::new(),
    }
}

#[test]
fn an_item_is_granted_only_when_every_task_of_it_is_done_and_agrees() {
    let grant = decide("A", Outcome::Grant, "", "");
    let both = facts(vec![
        done(1, "A", "ZJJ", Opinion::Agree),
        done(2, "A", "XFJ", Opinion::Agree),
        task(3, "B", "ZRZYJ", TaskStatus::Open),
    ]);
    // Another item's open task does not hold this one back.
    assert_eq!(
        check_decision(&both, &grant).unwrap().outcome,
        Outcome::Grant
    );

    let open = facts(vec![
        done(1, "A", "ZJJ", Opinion::Agree),
        TaskState {
            claimed_by: Some(9),
            ..task(2, "A", "XFJ", TaskStatus::Claimed)
        },
    ]);
    let p = check_decision(&open, &grant).unwrap_err();
    assert_eq!(codes(&p), ["task_open"]);
    assert_eq!(p[0].message, "还有 1 个部门的审查任务未办结，不能作出决定");

    let disagreed = facts(vec![
        done(1, "A", "ZJJ", Opinion::Agree),
        done(2, "A", "XFJ", Opinion::Disagree),
    ]);
    assert_eq!(
        codes(&check_decision(&disagreed, &grant).unwrap_err()),
        ["not_all_agree"]
    );
    // A refusal after a disagreement is what the rule expects.
    let refuse = decide(
        "A",
        Outcome::Refuse,
        "消防设计不符合要求",
        "《建筑法》第八条",
    );
    assert!(check_decision(&disagreed, &refuse).is_ok());
}

#[test]
fn no_decision_while_paused_while_a_deferred_material_is_outstanding_or_twice() {
    let grant = decide("A", Outcome::Grant, "", "");
    let mut f = facts(vec![done(1, "A", "ZJJ", Opinion::Agree)]);
    f.status = CaseStatus::Suspended;
    assert_eq!(
        codes(&check_decision(&f, &grant).unwrap_err()),
        ["case_suspended"]
    );
    f.status = CaseStatus::Accepted;
    f.outstanding = vec!["消防设计文件".into()];
    let p = check_decision(&f, &grant).unwrap_err();
    assert_eq!(codes(&p), ["deferred_material_outstanding"]);
    assert!(p[0].message.contains("消防设计文件"), "{}", p[0].message);
    f.outstanding.clear();
    f.decided = vec!["A".into()];
    assert_eq!(
        codes(&check_decision(&f, &grant).unwrap_err()),
        ["already_decided"]
    );
    f.decided.clear();
    f.status = CaseStatus::Withdrawn;
    assert_eq!(
        codes(&check_decision(&f, &grant).unwrap_err()),
        ["case_not_in_review"]
    );
    f.status = CaseStatus::Accepted;
    assert_eq!(
        codes(&check_decision(&f, &decide("Z", Outcome::Grant, "", "")).unwrap_err()),
        ["unknown_item"]
    );
}

#[test]
fn a_refusal_states_its_reason_and_basis_and_carries_no_conditions() {
    let f = facts(vec![done(1, "A", "ZJJ", Opinion::Disagree)]);
    let mut bare = decide("A", Outcome::Refuse, "", " ");
    bare.conditions = "限期整改".into();
    assert_eq!(
        codes(&check_decision(&f, &bare).unwrap_err()),
        [
            "reason_required",
            "legal_basis_required",
            "conditions_need_grant"
        ]
    );
    // The same words when no task precedes the decision (即办件 at the window).
    assert_eq!(
        codes(&check_decision_statement(Outcome::Refuse, "", " ", "限期整改").unwrap_err()),
        [
            "reason_required",
            "legal_basis_required",
            "conditions_need_grant"
        ]
    );
    let mut immediate = item("FGW-BA-001", "FGW", &[]);
    assert_eq!(
        codes(&check_on_the_spot(&[immediate.clone()], Outcome::Grant, "", "", "").unwrap_err()),
        ["not_immediate"]
    );
    immediate.immediate = true;
    assert!(check_on_the_spot(&[immediate.clone()], Outcome::Grant, "", "", "").is_ok());
    assert_eq!(
        codes(&check_on_the_spot(&[immediate], Outcome::Refuse, "", "", "").unwrap_err()),
        ["reason_required", "legal_basis_required"]
    );
    assert_eq!(
        codes(&check_on_the_spot(&[], Outcome::Grant, "", "", "").unwrap_err()),
        ["not_immediate"]
    );
    let grant = check_decision_statement(Outcome::Grant, "", "", " 限期整改 ").unwrap();
    assert_eq!(grant.conditions.as_deref(), Some("限期整改"));
}

#[test]
fn a_deferred_material_is_confirmed_once_or_returned_with_a_reason() {
    assert_eq!(
        check_deferred_action(Some(("水质检测报告", false)), None),
        Ok(None)
    );
    assert_eq!(
        check_deferred_action(Some(("水质检测报告", false)), Some(" 未盖章 ")),
        Ok(Some("未盖章".into()))
    );
    assert_eq!(
        codes(&check_deferred_action(Some(("水质检测报告", false)), Some(" ")).unwrap_err()),
        ["reason_required"]
    );
    let p = check_deferred_action(Some(("水质检测报告", true)), None).unwrap_err();
    assert_eq!(codes(&p), ["already_confirmed"]);
    assert_eq!(p[0].message, "“水质检测报告”已核验");
    assert_eq!(
        codes(&check_deferred_action(None, Some("x")).unwrap_err()),
        ["not_deferred"]
    );
}

#[test]
fn the_last_item_decided_decides_the_case() {
    let items = ["A", "B", "C"];
    assert_eq!(
        undecided_after(items, &["A".into()], "B"),
        vec!["C".to_string()]
    );
    assert!(undecided_after(items, &["A".into(), "C".into()], "B").is_empty());
    assert!(undecided_after(["A"], &[], "A").is_empty());
}

#[test]
fn remedies_count_calendar_days_and_months_from_receipt() {
    let d = |y, m, d| Date::new(y, m, d).unwrap();
    let r = remedies(d(2026, 3, 2));
    // 3/2 + 60 days: 29 left in March, 30 in April, 1 in May.
    assert_eq!(r.reconsideration_by, d(2026, 5, 1));
    assert_eq!(r.lawsuit_by, d(2026, 9, 2));
    let s = r.sentence();
    assert!(s.contains("60 日内") && s.contains("6 个月内"), "{s}");
    assert!(s.contains("2026-05-01") && s.contains("2026-09-02"), "{s}");
    // A month without the day ends on its last day; a year is crossed.
    assert_eq!(add_months(d(2026, 8, 31), 6), d(2027, 2, 28));
    assert_eq!(add_months(d(2027, 8, 31), 6), d(2028, 2, 29));
    assert_eq!(add_months(d(2026, 12, 15), 6), d(2027, 6, 15));
}

#[test]
fn a_case_is_withdrawn_before_its_decision_and_with_a_reason() {
    assert_eq!(
        check_withdrawal(CaseStatus::Accepted, "  项目暂缓建设 "),
        Ok("项目暂缓建设".into())
    );
    for s in [
        CaseStatus::Submitted,
        CaseStatus::CorrectionRequested,
        CaseStatus::Suspended,
    ] {
        assert!(check_withdrawal(s, "不再需要").is_ok(), "{s:?}");
    }
    for s in [
        CaseStatus::Draft,
        CaseStatus::Decided,
        CaseStatus::Rejected,
        CaseStatus::Withdrawn,
    ] {
        assert_eq!(
            codes(&check_withdrawal(s, "不再需要").unwrap_err()),
            ["not_withdrawable"],
            "{s:?}"
        );
    }
    assert_eq!(
        codes(&check_withdrawal(CaseStatus::Accepted, "").unwrap_err()),
        ["reason_required"]
    );
}

#[test]
fn a_withdrawal_form_sends_what_was_typed_or_shows_every_problem_at_once() {
    assert_eq!(
        WithdrawalRequest::checked(CaseStatus::InReview, 3, "项目暂缓建设".into()),
        Ok(WithdrawalRequest {
            version: 3,
            reason: "项目暂缓建设".into()
        })
    );
    assert_eq!(
        WithdrawalRequest::checked(CaseStatus::Decided, 3, " ".into()),
        Err("办件当前状态为“已作出审查决定”，不能撤回；请写明撤回申请的理由".into())
    );
}
