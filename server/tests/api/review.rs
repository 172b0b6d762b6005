//! The window workbench over the JSON API, on every backend: the one-time notice and the
//! online fix-up (rules 1 and 2), acceptance, 容缺受理 (rule 7), rejection, the five-day rule
//! (rule 3), who may do what, two staff at once, and in-hall intake.

use app::domain::review::StaffRole;
use app::server::entities::{
    calendar_year, case_event, credit_blacklist, material_history, notice,
};
use app::server::services::review::deem_overdue;
use app::server::services::staff::{self, NewStaff};
use chrono::{TimeZone, Utc};
use reqwest::Method;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::{Value, json};

use crate::applications::applicant;
use crate::helpers::{
    TestApp, call, case_row, draft_of, get_as, on_every_backend, own_case, post_as, post_empty,
    problems, staff_sign_in, submit_draft, texts,
};
use crate::submission::{CREDIT_CODE, PDF, company, drainage_values, put_file};
use crate::tracking::track;

/// Another PDF: a replacement file with other content.
const PDF2: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Makes a staff account and logs it in; returns the staff cookie.
pub async fn staff_member(app: &TestApp, login: &str, role: StaffRole, department: &str) -> String {
    staff::create(
        &app.db,
        &NewStaff {
            login: login.into(),
            name: format!("{}{login}", role.label()),
            role: role.as_str().into(),
            department: department.into(),
            password: "chuangkou2026".into(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    staff_sign_in(app, login, "chuangkou2026").await
}

/// The holiday arrangement of 2027 is not published yet; tests that may run late in a year
/// count through it with weekends only, so they do not depend on the day they run.
pub async fn count_through_next_year(app: &TestApp) {
    calendar_year::ActiveModel {
        year: Set(2027),
        source: Set("测试：仅周末".into()),
        updated_at: Set(Utc::now()),
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// A submitted SWJ-XK-001 case of a company; `with_report`: the 容缺 material too.
pub async fn submitted_case(app: &TestApp, me: &str, with_report: bool) -> String {
    submitted_case_of(app, me, company(CREDIT_CODE), with_report).await
}

/// A submitted SWJ-XK-001 case of this applicant block.
pub async fn submitted_case_of(
    app: &TestApp,
    me: &str,
    applicant: Value,
    with_report: bool,
) -> String {
    let number = draft_of(
        app,
        me,
        json!({"item": "SWJ-XK-001", "applicant": applicant,
            "values": drainage_values(), "bring_original": ["drainage_application"]}),
    )
    .await;
    let (status, _) = put_file(app, me, &number, "drainage_drawings", "平面图.pdf", PDF).await;
    assert_eq!(status, 200);
    if with_report {
        let (status, _) = put_file(app, me, &number, "water_quality_report", "水质.pdf", PDF).await;
        assert_eq!(status, 200);
    }
    submit_draft(app, me, &number).await
}

/// The version a case is at now (what the workbench shows and an action names).
pub async fn version_of(app: &TestApp, case: &str) -> i64 {
    i64::from(case_row(app, case).await.version)
}

pub async fn review_case(app: &TestApp, cookie: &str, case: &str) -> (u16, Value) {
    get_as(app, cookie, &format!("/api/v1/review/cases/{case}")).await
}

pub async fn act(
    app: &TestApp,
    cookie: &str,
    case: &str,
    action: &str,
    body: Value,
) -> (u16, Value) {
    post_as(
        app,
        cookie,
        &format!("/api/v1/review/cases/{case}/{action}"),
        body,
    )
    .await
}

/// The window clerk accepts the case at the version the workbench shows.
pub async fn accept(app: &TestApp, window: &str, case: &str) {
    let (status, view) = review_case(app, window, case).await;
    assert_eq!(status, 200, "{view}");
    let (status, notice) = act(
        app,
        window,
        case,
        "accept",
        json!({"version": view["version"]}),
    )
    .await;
    assert_eq!(status, 201, "{notice}");
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.into(), b.into())
}

#[tokio::test]
async fn a_notice_names_only_the_guide_the_fix_up_changes_only_that_and_the_case_is_accepted() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13833330001", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let window = staff_member(app, "swj01", StaffRole::Window, "SWJ").await;

        // The queue: the case, its age, and the hall's figures.
        let (status, queue) = get_as(app, &window, "/api/v1/review/queue").await;
        assert_eq!(status, 200, "{queue}");
        assert_eq!(queue["waiting"], 1);
        assert_eq!(queue["oldest_age_working_days"], 0);
        assert_eq!(queue["entries"][0]["case_number"], case.as_str());
        assert_eq!(
            queue["entries"][0]["applicant_name"],
            "某某水务建设有限公司"
        );
        assert_eq!(queue["entries"][0]["channel"], "online");
        let (_, case_view) = review_case(app, &window, &case).await;
        let version = case_view["version"].as_i64().unwrap();
        assert_eq!(case_view["history"][0]["action"], "submit");
        assert_eq!(case_view["may_act"], true);

        // Rule 1: nothing outside the guide; every line needs its reason.
        let (status, refused) = act(
            app,
            &window,
            &case,
            "correction-notice",
            json!({"version": version,
            "items": [
                {"target": "materials.drainage_drawings", "reason": "未加盖公章"},
                {"target": "materials.extra_certificate", "reason": "另需提供"},
                {"target": "values.project_name", "reason": ""},
            ]}),
        )
        .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(
            problems(&refused),
            [
                pair("items.1", "not_in_guide"),
                pair("items.2", "reason_required")
            ]
        );
        let (status, issued) = act(app, &window, &case, "correction-notice", json!({"version": version,
            "items": [{"target": "materials.drainage_drawings", "reason": "未加盖公章，比例尺不清"}]
        })).await;
        assert_eq!(status, 201, "{issued}");
        let n = &issued["notice"];
        assert_eq!(n["kind"], "correction");
        assert!(
            n["number"].as_str().unwrap().contains("补字第 000001 号"),
            "{n}"
        );
        assert_eq!(n["case_number"], case.as_str());
        assert_eq!(n["applicant_name"], "某某水务建设有限公司");
        assert_eq!(n["department_name"], "示范市水务局");
        assert_eq!(n["lines"][0]["name"], "排水管网平面图");
        assert!(!n["lines"][0]["specification"].as_str().unwrap().is_empty());
        assert!(n["lines"][0]["quantity"].as_u64().is_some());
        assert_eq!(n["lines"][0]["reason"], "未加盖公章，比例尺不清");
        assert!(issued["qr_svg"].as_str().unwrap().starts_with("<?xml"));

        // The applicant sees the notice exactly as issued.
        let mine = own_case(app, &me, &case).await;
        assert_eq!(mine["status"], "correction_requested");
        assert_eq!(mine["notices"][0]["notice"], *n);
        let id = issued["id"].as_i64().unwrap();
        let (status, printed) = get_as(
            app,
            &me,
            &format!("/api/v1/applications/{case}/notices/{id}"),
        )
        .await;
        assert_eq!((status, &printed["notice"]), (200, n));

        // Only what the notice names can change.
        let number = mine["number"].as_str().unwrap().to_string();
        let mut values = drainage_values();
        values["project_name"] = json!("另一个项目");
        let (status, refused) = call(
            app,
            Method::PUT,
            &format!("/api/v1/applications/{number}"),
            Some(&me),
            Some(json!({"applicant": mine["applicant"], "values": values,
                "bring_original": ["drainage_application"]})),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(
            problems(&refused),
            [pair("values.project_name", "not_named_in_notice")]
        );
        let (status, refused) =
            put_file(app, &me, &number, "water_quality_report", "x.pdf", PDF2).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (409, Some("not_named_in_notice"))
        );
        let resubmit = format!("/api/v1/applications/{number}/resubmit");
        let (status, refused) = post_empty(app, &me, &resubmit).await;
        assert_eq!(status, 422);
        assert_eq!(
            problems(&refused),
            [pair("materials.drainage_drawings", "not_corrected")]
        );
        let (status, _) = put_file(
            app,
            &me,
            &number,
            "drainage_drawings",
            "平面图（盖章）.pdf",
            PDF2,
        )
        .await;
        assert_eq!(status, 200);
        let (status, again) = post_empty(app, &me, &resubmit).await;
        assert_eq!(status, 200, "{again}");
        assert_eq!(again["status"], "submitted");

        // Staff compare old and new; rule 2: a further notice only on what changed.
        let (_, case_view) = review_case(app, &window, &case).await;
        assert_eq!(case_view["replaced"][0]["code"], "drainage_drawings");
        assert_eq!(case_view["replaced"][0]["file_name"], "平面图.pdf");
        assert_eq!(
            case_view["changed_in_fix_up"],
            json!(["materials.drainage_drawings"])
        );
        let version = case_view["version"].as_i64().unwrap();
        let (status, refused) = act(
            app,
            &window,
            &case,
            "correction-notice",
            json!({"version": version,
                "items": [{"target": "materials.water_quality_report", "reason": "新发现的问题"}]
            }),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(problems(&refused), [pair("items.0", "not_changed")]);
        let replaced_id = case_view["replaced"][0]["id"].as_i64().unwrap();
        let old = app.get_with(&window, &format!("/api/v1/review/cases/{case}/materials/drainage_drawings?replaced={replaced_id}")).await;
        assert_eq!(old.status(), 200);
        assert_eq!(old.bytes().await.unwrap().as_ref(), PDF);

        // Acceptance: numbered, with the promised completion date.
        let (status, accepted) =
            act(app, &window, &case, "accept", json!({"version": version})).await;
        assert_eq!(status, 201, "{accepted}");
        let a = &accepted["notice"];
        assert_eq!(a["kind"], "acceptance");
        assert!(a["number"].as_str().unwrap().contains("受字第 000001 号"));
        assert!(a["accepted_on"].as_str().is_some());
        assert!(a["promised_due"].as_str().unwrap() > a["accepted_on"].as_str().unwrap());
        assert_eq!(a["deemed"], false);
        let mine = own_case(app, &me, &case).await;
        assert_eq!(mine["status"], "accepted");
        assert_eq!(mine["notices"][1]["notice"], *a);

        // The history, append-only, with who and from where.
        let (_, case_view) = review_case(app, &window, &case).await;
        let actions = texts(&case_view["history"], "action");
        assert_eq!(
            actions,
            ["submit", "request_correction", "resubmit", "accept"]
        );
        assert_eq!(case_view["history"][1]["channel"], "window");
        assert_eq!(case_view["history"][2]["channel"], "online");
        assert_eq!(
            material_history::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            1
        );
        // A decided case takes no further pre-review action.
        let (status, refused) = act(
            app,
            &window,
            &case,
            "reject",
            json!({"version": case_view["version"], "reason": "x", "legal_basis": "y"}),
        )
        .await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (409, Some("invalid_transition"))
        );
    })
    .await;
}

#[tokio::test]
async fn every_role_and_every_action_including_another_departments_case() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13833330002", "11010519491231002X").await;
        let cases = [
            submitted_case(app, &me, true).await,
            submitted_case(app, &me, true).await,
            submitted_case(app, &me, true).await,
            submitted_case(app, &me, false).await,
            submitted_case(app, &me, true).await,
        ];
        let roles = [
            (StaffRole::Reviewer, "SWJ"),
            (StaffRole::Supervisor, "SWJ"),
            (StaffRole::Admin, "SWJ"),
            (StaffRole::Window, "ZJJ"),
            (StaffRole::Chief, "ZJJ"),
        ];
        let window = staff_member(app, "swj-window", StaffRole::Window, "SWJ").await;
        let (_, view) = review_case(app, &window, &cases[3]).await;
        let today = view["today"].clone();
        let bodies = |version: i64| {
            [
                ("accept", json!({"version": version})),
                (
                    "accept-with-deficiency",
                    json!({"version": version, "commitment_date": today}),
                ),
                (
                    "reject",
                    json!({"version": version, "reason": "不属于本机关职权", "legal_basis": "《行政许可法》第三十二条"}),
                ),
                (
                    "correction-notice",
                    json!({"version": version, "items": [{"target": "materials.drainage_drawings", "reason": "不清晰"}]}),
                ),
            ]
        };
        for (i, (role, department)) in roles.iter().enumerate() {
            let cookie = staff_member(app, &format!("u{i}"), *role, department).await;
            let (status, body) = review_case(app, &cookie, &cases[0]).await;
            let (q_status, _) = get_as(app, &cookie, "/api/v1/review/queue").await;
            let expected = match (role, *department) {
                (StaffRole::Admin, _) => (403, "not_a_reviewer"),
                (_, "ZJJ") => (404, "case_not_found"),
                _ => (200, ""),
            };
            assert_eq!(status, expected.0, "{role:?} {department} view {body}");
            assert_eq!(q_status, if *role == StaffRole::Admin { 403 } else { 200 });
            for (action, body) in bodies(1) {
                let (status, refused) = act(app, &cookie, &cases[0], action, body).await;
                let expected = match (role, *department) {
                    (StaffRole::Admin, _) => (403, "not_a_reviewer"),
                    (_, "ZJJ") => (404, "case_not_found"),
                    _ => (403, "not_permitted"),
                };
                assert_eq!(
                    (status, refused["code"].as_str().unwrap()),
                    expected,
                    "{role:?} {department} {action}"
                );
            }
        }
        // No staff session at all.
        let (status, _) = act(app, &me, &cases[0], "accept", json!({"version": 1})).await;
        assert_eq!(status, 401);
        // Nothing above moved the case.
        let (_, view) = review_case(
            app,
            &staff_member(app, "swjw", StaffRole::Window, "SWJ").await,
            &cases[0],
        )
        .await;
        assert_eq!(view["application"]["status"], "submitted");
        assert_eq!(view["history"].as_array().unwrap().len(), 1);

        // The window and the chief representative of the department do each action.
        let chief = staff_member(app, "swj-chief", StaffRole::Chief, "SWJ").await;
        let plan = [
            (&window, 0, "accept", "acceptance"),
            (&window, 1, "reject", "rejection"),
            (&chief, 2, "correction-notice", "correction"),
            (&chief, 3, "accept-with-deficiency", "deficiency_acceptance"),
            (&chief, 4, "accept", "acceptance"),
        ];
        for (cookie, case, action, kind) in plan {
            let version = version_of(app, &cases[case]).await;
            let body = bodies(version)
                .into_iter()
                .find(|(a, _)| *a == action)
                .unwrap()
                .1;
            let (status, issued) = act(app, cookie, &cases[case], action, body).await;
            assert_eq!(status, 201, "{action} {issued}");
            assert_eq!(issued["notice"]["kind"], kind);
        }
        assert_eq!(notice::Entity::find().count(&app.db).await.unwrap(), 5);
    })
    .await;
}

#[tokio::test]
async fn two_staff_acting_at_once_one_wins_the_other_is_told_to_reload() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13833330003", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let v = version_of(app, &case).await;
        let a = staff_member(app, "a", StaffRole::Window, "SWJ").await;
        let b = staff_member(app, "b", StaffRole::Chief, "SWJ").await;
        let (one, two) = tokio::join!(
            act(app, &a, &case, "accept", json!({"version": v})),
            act(
                app,
                &b,
                &case,
                "reject",
                json!({"version": v, "reason": "材料虚假", "legal_basis": "《行政许可法》第三十一条"})
            ),
        );
        let mut statuses = [one.0, two.0];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{one:?} {two:?}");
        let loser = if one.0 == 409 { one.1 } else { two.1 };
        assert_eq!(loser["code"], "case_changed");
        assert!(loser["detail"].as_str().unwrap().contains("刷新"));
        assert_eq!(notice::Entity::find().count(&app.db).await.unwrap(), 1);
        assert_eq!(case_event::Entity::find().count(&app.db).await.unwrap(), 2);
        // A stale version is refused the same way.
        let (status, refused) = act(app, &a, &case, "accept", json!({"version": v})).await;
        assert_eq!(status, 409, "{refused}");
    })
    .await;
}

#[tokio::test]
async fn rule_7_deficiency_acceptance_only_for_deferrable_materials_and_not_for_the_blacklisted() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13833330004", "11010519491231002X").await;
        let case = submitted_case(app, &me, false).await;
        let v = version_of(app, &case).await;
        let window = staff_member(app, "w", StaffRole::Window, "SWJ").await;
        let (_, view) = review_case(app, &window, &case).await;
        let due = view["promised_due_if_accepted_today"]
            .as_str()
            .unwrap()
            .to_string();
        let today = view["today"].as_str().unwrap().to_string();

        let with_deficiency = async |body| {
            act(app, &window, &case, "accept-with-deficiency", body).await
        };
        // The 容缺 material is missing: plain acceptance is refused.
        let (status, refused) = act(app, &window, &case, "accept", json!({"version": v})).await;
        assert_eq!(status, 422);
        assert_eq!(
            problems(&refused),
            [pair("materials.water_quality_report", "material_missing")]
        );
        // A critical material cannot be deferred, and the date is bounded.
        let (status, refused) = with_deficiency(json!({"version": v, "defective": ["drainage_drawings"], "commitment_date": "2099-01-01"})).await;
        assert_eq!(status, 422);
        assert_eq!(
            problems(&refused),
            [
                pair("materials.drainage_drawings", "not_deferrable"),
                pair("commitment_date", "after_promised_due")
            ]
        );
        // Blacklisted applicants cannot use it.
        let listed = credit_blacklist::ActiveModel {
            number: Set(CREDIT_CODE.into()),
            name: Set("某某水务建设有限公司".into()),
            reason: Set("严重失信".into()),
            listed_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        let (status, refused) = with_deficiency(json!({"version": v, "commitment_date": due})).await;
        assert_eq!(status, 422);
        assert_eq!(problems(&refused), [pair("applicant", "blacklisted")]);
        credit_blacklist::Entity::delete_by_id(listed.id)
            .exec(&app.db)
            .await
            .unwrap();

        let (status, issued) = with_deficiency(json!({"version": v, "commitment_date": due})).await;
        assert_eq!(status, 201, "{issued}");
        let n = &issued["notice"];
        assert_eq!(n["kind"], "deficiency_acceptance");
        assert!(n["number"].as_str().unwrap().contains("容字第 000001 号"));
        assert_eq!(n["commitment_date"], due.as_str());
        assert_eq!(n["promised_due"], due.as_str());
        assert_eq!(n["accepted_on"], today.as_str());
        assert_eq!(n["lines"][0]["target"], "materials.water_quality_report");
        assert_eq!(n["lines"].as_array().unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_rejection_carries_its_reason_and_legal_basis() {
    on_every_backend(async |app| {
        let me = applicant(app, "13833330005", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let v = version_of(app, &case).await;
        let window = staff_member(app, "w", StaffRole::Window, "SWJ").await;
        let reject = async |body| act(app, &window, &case, "reject", body).await;
        let (status, refused) =
            reject(json!({"version": v, "reason": " ", "legal_basis": ""})).await;
        assert_eq!(status, 422);
        assert_eq!(
            problems(&refused),
            [pair("reason", "required"), pair("legal_basis", "required")]
        );
        let (status, issued) = reject(
            json!({"version": v, "reason": "申请事项不属于本机关职权范围",
            "legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第（二）项"}),
        )
        .await;
        assert_eq!(status, 201, "{issued}");
        let n = &issued["notice"];
        assert_eq!(n["kind"], "rejection");
        assert!(n["number"].as_str().unwrap().contains("不受字第 000001 号"));
        assert_eq!(n["reason"], "申请事项不属于本机关职权范围");
        assert!(n["legal_basis"].as_str().unwrap().contains("第三十二条"));
        let mine = own_case(app, &me, &case).await;
        assert_eq!(mine["status"], "rejected");
        assert_eq!(mine["status_label"], "不予受理");
    })
    .await;
}

#[tokio::test]
async fn rule_3_unanswered_for_five_working_days_the_case_is_deemed_accepted_once() {
    on_every_backend(async |app| {
        let me = applicant(app, "13833330006", "11010519491231002X").await;
        let old = submitted_case(app, &me, true).await;
        let recent = submitted_case(app, &me, true).await;
        // Received Tuesday 2026-11-10 (due 11/17) and Monday 2026-11-16 (due 11/23), 10:00
        // in China.
        for (case, day) in [(&old, 10), (&recent, 16)] {
            crate::tracking::backdate_receipt(
                app,
                case,
                Utc.with_ymd_and_hms(2026, 11, day, 2, 0, 0).unwrap(),
            )
            .await;
        }
        let friday = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
        // Two instances run the job at the same moment: the case moves once.
        let (a, b) = tokio::join!(deem_overdue(&app.db, friday), deem_overdue(&app.db, friday));
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        let window = staff_member(app, "w", StaffRole::Window, "SWJ").await;
        let (_, view) = review_case(app, &window, &old).await;
        assert_eq!(view["application"]["status"], "accepted");
        let last = view["history"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["action"], "deem_accept");
        assert_eq!(last["channel"], "system");
        assert!(last["reason"].as_str().unwrap().contains("第三十二条"));
        let n = &view["application"]["notices"][0]["notice"];
        assert_eq!(n["deemed"], true);
        assert_eq!(n["accepted_on"], "2026-11-10");
        assert_eq!(n["issued_by"], "系统");
        let (_, view) = review_case(app, &window, &recent).await;
        assert_eq!(view["application"]["status"], "submitted");
        assert_eq!(view["acceptance_due"], "2026-11-23");
        // Running again changes nothing.
        assert_eq!(deem_overdue(&app.db, friday).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn in_hall_intake_uses_the_same_form_and_the_receipt_holder_follows_it_online() {
    on_every_backend(async |app| {
        let window = staff_member(app, "w", StaffRole::Window, "SWJ").await;
        let reviewer = staff_member(app, "r", StaffRole::Reviewer, "SWJ").await;
        let other = staff_member(app, "z", StaffRole::Window, "ZJJ").await;
        let intake = |cookie: String| async move {
            post_as(
                app,
                &cookie,
                "/api/v1/review/intake",
                json!({"item": "SWJ-XK-001"}),
            )
            .await
        };
        let (status, refused) = intake(reviewer.clone()).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (403, Some("not_permitted"))
        );
        let (status, refused) = intake(other.clone()).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (403, Some("other_department"))
        );
        let (status, draft) = intake(window.clone()).await;
        assert_eq!(status, 201, "{draft}");
        let number = draft["number"].as_str().unwrap().to_string();

        // The same validation: a wrong ID number is refused at submission.
        let person = |id: &str| {
            json!({"kind": "person", "values": {"name": "张三", "id_number": id,
                "contact_mobile": "13833330007"}})
        };
        let path = format!("/api/v1/applications/{number}");
        let content = json!({"applicant": person("110105194912310021"), "values": drainage_values(),
            "bring_original": ["drainage_application"]});
        let (status, saved) = call(app, Method::PUT, &path, Some(&window), Some(content)).await;
        assert_eq!(status, 200, "{saved}");
        let (status, _) = put_file(
            app,
            &window,
            &number,
            "drainage_drawings",
            "扫描件.pdf",
            PDF,
        )
        .await;
        assert_eq!(status, 200);
        let submit = format!("{path}/submit");
        let (status, refused) = post_empty(app, &window, &submit).await;
        assert_eq!(status, 422);
        assert_eq!(
            problems(&refused),
            [pair("applicant.id_number", "id_card_checksum")]
        );
        let content = json!({"applicant": person("11010519491231002X"), "values": drainage_values(),
            "bring_original": ["drainage_application"]});
        let (status, _) = call(app, Method::PUT, &path, Some(&window), Some(content)).await;
        assert_eq!(status, 200);
        let (status, case) = post_empty(app, &window, &submit).await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["channel"], "window");
        let case_number = case["case_number"].as_str().unwrap().to_string();
        let (_, view) = review_case(app, &window, &case_number).await;
        assert_eq!(view["history"][0]["channel"], "window");
        assert!(
            view["history"][0]["actor_name"]
                .as_str()
                .unwrap()
                .contains("w")
        );

        // The person who applied at the window follows it publicly with the mobile they
        // gave, or with the receipt's 查询码; another mobile gets the one answer for a
        // wrong guess.
        let code = case["tracking_code"].as_str().unwrap().to_string();
        for factor in ["13833330007", "138 3333 0007", code.as_str()] {
            let (status, tracked, _) = track(app, &case_number, factor).await;
            assert_eq!(status, 200, "{factor}: {tracked}");
            assert_eq!(tracked["status"], "submitted");
            assert_eq!(tracked["contact_mobile"], "138****0007");
        }
        let (status, refused, _) = track(app, &case_number, "13833330008").await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (404, Some("track_not_found"))
        );

        // Another department's staff do not see the intake draft or the case.
        let (status, _) = call(app, Method::GET, &path, Some(&other), None).await;
        assert_eq!(status, 404);

        // An account registered with the person's mobile and ID number sees nothing: anyone
        // who knows both could have registered them first.
        let mine = applicant(app, "13833330007", "11010519491231002X").await;
        let (_, list) = call(app, Method::GET, "/api/v1/applications", Some(&mine), None).await;
        assert_eq!(list, json!([]));
        let (status, _) = get_as(app, &mine, &format!("/api/v1/applications/{case_number}")).await;
        assert_eq!(status, 404);
        // The receipt's 查询码 links it (关联窗口办件); a wrong code gets one answer.
        let claim = async |cookie: &str, code: &str| {
            post_as(
                app,
                cookie,
                "/api/v1/applications/claim",
                json!({"case_number": case_number, "tracking_code": code}),
            )
            .await
        };
        let (status, problem) = claim(&mine, "WRONG123").await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (404, Some("track_not_found"))
        );
        let (status, linked) = claim(&mine, &code.to_lowercase()).await;
        assert_eq!(status, 200, "{linked}");
        assert_eq!(linked["case_number"], case_number.as_str());
        let (_, list) = get_as(app, &mine, "/api/v1/applications").await;
        assert_eq!(list[0]["case_number"], case_number.as_str());
        // Whoever holds the receipt takes it over; the previous account loses it.
        let holder = applicant(app, "13833330009", "11010519491231002X").await;
        assert_eq!(claim(&holder, &code).await.0, 200);
        let (_, list) = get_as(app, &mine, "/api/v1/applications").await;
        assert_eq!(list, json!([]));
        let stranger = applicant(app, "13833330008", "11010519491231002X").await;
        let (_, list) = get_as(app, &stranger, "/api/v1/applications").await;
        assert_eq!(list, json!([]));
        // A case applied for online is not claimed by its code.
        let online = submitted_case(app, &stranger, true).await;
        let online_code = case_row(app, &online).await.tracking_code.unwrap();
        let (status, _) = post_as(
            app,
            &holder,
            "/api/v1/applications/claim",
            json!({"case_number": online, "tracking_code": online_code}),
        )
        .await;
        assert_eq!(status, 404);
    })
    .await;
}

#[tokio::test]
async fn working_day_arithmetic_is_a_public_endpoint() {
    on_every_backend(async |app| {
        // docs/rules.md, rule 4: accepted Friday 2026-02-13, 5 working days → 2026-02-27.
        let (status, body) = app
            .get_json("/api/v1/calendar/add?from=2026-02-13&days=5")
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["due"], "2026-02-27");
        let (status, body) = app
            .get_json("/api/v1/calendar/count?from=2026-09-23&to=2026-10-28")
            .await;
        assert_eq!((status, &body["working_days"]), (200, &json!(20)));
        // A year without published holidays is refused, not guessed; nonsense is a 400.
        let (status, body) = app
            .get_json("/api/v1/calendar/add?from=2026-12-20&days=20")
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("calendar_year_missing"))
        );
        assert!(body["detail"].as_str().unwrap().contains("2027"));
        for bad in [
            "/api/v1/calendar/add?from=2026-02-30&days=5",
            "/api/v1/calendar/add?from=2026-02-13&days=-1",
            "/api/v1/calendar/add?from=2026-02-13&days=401",
            "/api/v1/calendar/add?from=2026-02-13",
            "/api/v1/calendar/count?from=2026-01-01",
        ] {
            let (status, body) = app.get_json(bad).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (400, Some("invalid_query")),
                "{bad}"
            );
        }
    })
    .await;
}
