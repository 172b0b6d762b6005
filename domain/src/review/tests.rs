//! The pre-review rules (1, 2, 3, 7) and fix-up editing, tested against the 2026 calendar.

use super::*;
use crate::apply::GuideRef;
use crate::calendar::arrangement_2026;
use crate::catalog::{FieldType, MaterialForm};
use crate::fixtures::{codes, field, material};

fn date(m: u8, d: u8) -> Date {
    Date::new(2026, m, d).unwrap()
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
        fields: vec![field("project_name", "项目名称", FieldType::Text, true)],
        materials: vec![
            material("a", MaterialForm::Electronic, true, false),
            material("b", MaterialForm::Electronic, true, true),
            material("c", MaterialForm::Electronic, false, false),
        ],
        promised_limit_days: 10,
        joint_handling: false,
        delivery_methods: vec![crate::catalog::DeliveryMethod::Download],
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
    assert!(check_correction(&form(), &[item("materials.a", "仍不清晰")], Some(&changed)).is_ok());
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
fn a_fix_up_may_change_only_the_values_its_notice_names() {
    let mut before = DraftContent::default();
    before.values.insert("project_name".into(), "厂房".into());
    before.values.insert("area".into(), "120".into());
    let editable = editable_in_fix_up(&[NoticeLine {
        target: "values.area".into(),
        name: "面积".into(),
        specification: String::new(),
        quantity: None,
        reason: "与图纸不符".into(),
    }]);
    let mut after = before.clone();
    after.values.insert("area".into(), "150".into());
    assert!(check_fix_up_edit(&before, &after, &editable).is_empty());
    after.values.insert("project_name".into(), "仓库".into());
    after.bring_original.insert("M1".into());
    after.applicant.values.insert("name".into(), "李四".into());
    assert_eq!(
        codes(&check_fix_up_edit(&before, &after, &editable)),
        [
            ("applicant", "not_named_in_notice"),
            ("bring_original", "not_named_in_notice"),
            ("values.project_name", "not_named_in_notice"),
        ]
    );
    // The delivery choice stays as submitted; a fix-up that leaves it out keeps it.
    let mut after = before.clone();
    after.delivery.method = Some(crate::catalog::DeliveryMethod::Pickup);
    let mut chosen = before.clone();
    chosen.delivery.method = Some(crate::catalog::DeliveryMethod::Post);
    assert_eq!(
        codes(&check_fix_up_edit(&chosen, &after, &editable)),
        [("delivery", "not_named_in_notice")]
    );
    assert!(check_fix_up_edit(&chosen, &before, &editable).is_empty());
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
    // (uploaded, marked defective, blacklisted) on 3/2, promised by 3/16, committed for 3/10.
    let run = |uploaded: &[&str], defective: &[&str], blacklisted: bool| {
        let request = deficiency(defective, "2026-03-10");
        check_deficiency(
            &f,
            &set(uploaded),
            &set(&[]),
            &request,
            blacklisted,
            date(3, 2),
            date(3, 16),
        )
    };
    let refused = |uploaded, defective, blacklisted| {
        let problems = run(uploaded, defective, blacklisted).unwrap_err();
        codes(&problems)
            .into_iter()
            .map(|(field, code)| format!("{field}: {code}"))
            .collect::<Vec<_>>()
    };
    // b (deferrable) missing: fine.
    let (pending, on) = run(&["a"], &[], false).unwrap();
    assert_eq!(on, date(3, 10));
    assert_eq!(
        pending
            .iter()
            .map(|l| l.target.as_str())
            .collect::<Vec<_>>(),
        ["materials.b"]
    );
    // a (critical) missing, or marked defective: refused.
    assert_eq!(refused(&["b"], &[], false), ["materials.a: not_deferrable"]);
    assert_eq!(
        refused(&["a", "b"], &["a"], false),
        ["materials.a: not_deferrable"]
    );
    // An uploaded deferrable material marked defective is to follow.
    let (pending, _) = run(&["a", "b"], &["b"], false).unwrap();
    assert_eq!(pending.len(), 1);
    // Blacklisted applicants cannot use it at all.
    assert_eq!(refused(&["a"], &[], true), ["applicant: blacklisted"]);
    // Nothing missing: use plain acceptance.
    assert_eq!(
        refused(&["a", "b"], &[], false),
        ["defective: nothing_pending"]
    );
    // Unknown codes are not in the guide.
    assert_eq!(
        refused(&["a"], &["zz"], false),
        ["materials.zz: not_in_guide"]
    );
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
