//! The back office over the JSON API, on every backend: a bundle fanned out to its
//! departments and decided once every item is (统一出件), who may do what, two reviewers
//! signing for one task, 容缺 materials holding the decision, withdrawal, and a 即办件
//! decided at the window (rules 7 and 11–13).

use app::domain::date::Date;
use app::domain::review::StaffRole;
use app::server::services::calendar;
use app::server::services::tracking::{raise_warnings, remind_deferred};
use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use crate::applications::applicant;
use app::server::entities::case_event;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{
    TestApp, assert_refused, case_row, count_of, draft_of, get_as, on_every_backend, post_as,
    submit_draft, texts,
};
use crate::review::{
    accept, act, count_through_next_year, review_case, staff_member, submitted_case,
};
use crate::server_functions::server_fn;
use crate::submission::{CREDIT_CODE, PDF, company, put_file};

/// The applicant block's contact mobile: the tracking factor.
const MOBILE: &str = "13800138000";

/// A submitted 一件事 YJS-SZJR case (排水许可 by SWJ + 占道挖掘 by CGJ with SWJ co-handling).
async fn submitted_bundle(app: &TestApp, me: &str) -> String {
    let number = draft_of(
        app,
        me,
        json!({"bundle": "YJS-SZJR", "applicant": company(CREDIT_CODE), "values": {
            "project_name": "滨江污水处理厂配套管网",
            "project_address": "示范市滨江区江南大道 1 号",
            "drainage_volume": "1200",
            "occupied_area": "300",
            "works_start_date": "2027-03-01",
            "works_days": "30",
            "contact_name": "赵六",
            "contact_mobile": "13900139000",
        }, "bring_original": []}),
    )
    .await;
    for code in [
        "drainage_application",
        "drainage_drawings",
        "water_quality_report",
        "road_works_plan",
        "location_map",
    ] {
        let (status, body) = put_file(app, me, &number, code, "材料.pdf", PDF).await;
        assert_eq!(status, 200, "{code}: {body}");
    }
    submit_draft(app, me, &number).await
}

async fn version(app: &TestApp, staff: &str, case: &str) -> Value {
    let (status, view) = review_case(app, staff, case).await;
    assert_eq!(status, 200, "{view}");
    view["version"].clone()
}

/// The department's 待办 tasks.
async fn todo(app: &TestApp, staff: &str) -> Vec<Value> {
    let (status, queue) = get_as(app, staff, "/api/v1/review/tasks").await;
    assert_eq!(status, 200, "{queue}");
    queue["entries"].as_array().unwrap().clone()
}

fn task_of(tasks: &[Value], case: &str, item: &str) -> i64 {
    tasks
        .iter()
        .find(|e| e["task"]["case_number"] == case && e["task"]["item_code"] == item)
        .unwrap_or_else(|| panic!("no task for {item} of {case} in {tasks:?}"))["task"]["id"]
        .as_i64()
        .unwrap()
}

async fn claim(app: &TestApp, staff: &str, task: i64) -> (u16, Value) {
    post_as(
        app,
        staff,
        &format!("/api/v1/review/tasks/{task}/claim"),
        json!({}),
    )
    .await
}

async fn complete(app: &TestApp, staff: &str, task: i64, opinion: Value) -> (u16, Value) {
    post_as(
        app,
        staff,
        &format!("/api/v1/review/tasks/{task}/complete"),
        opinion,
    )
    .await
}

/// Signs for a task and agrees.
async fn agree(app: &TestApp, staff: &str, task: i64) {
    let (status, body) = claim(app, staff, task).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = complete(app, staff, task, json!({"opinion": "agree"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "done");
}

async fn decide(app: &TestApp, chief: &str, case: &str, body: Value) -> (u16, Value) {
    let mut body = body;
    body["version"] = version(app, chief, case).await;
    post_as(
        app,
        chief,
        &format!("/api/v1/review/cases/{case}/decision"),
        body,
    )
    .await
}

#[tokio::test]
async fn a_bundle_fans_out_to_its_departments_and_goes_out_as_one_decision() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13855550001", "11010519491231002X").await;
        let case = submitted_bundle(app, &me).await;
        let window = staff_member(app, "swj-w", StaffRole::Window, "SWJ").await;
        let swj_a = staff_member(app, "swj-r1", StaffRole::Reviewer, "SWJ").await;
        let swj_b = staff_member(app, "swj-r2", StaffRole::Reviewer, "SWJ").await;
        let swj_chief = staff_member(app, "swj-c", StaffRole::Chief, "SWJ").await;
        let swj_super = staff_member(app, "swj-s", StaffRole::Supervisor, "SWJ").await;
        let cgj = staff_member(app, "cgj-r", StaffRole::Reviewer, "CGJ").await;
        let cgj_chief = staff_member(app, "cgj-c", StaffRole::Chief, "CGJ").await;
        let cgj_window = staff_member(app, "cgj-w", StaffRole::Window, "CGJ").await;
        let zjj = staff_member(app, "zjj-r", StaffRole::Reviewer, "ZJJ").await;
        let admin = staff_member(app, "admin", StaffRole::Admin, "SWJ").await;

        // Before acceptance the co-handling department sees nothing.
        assert_eq!(review_case(app, &cgj, &case).await.0, 404);
        accept(app, &window, &case).await;

        // One task per department of each item: SWJ for 排水, CGJ and SWJ for 占道.
        let swj_tasks = todo(app, &swj_a).await;
        let cgj_tasks = todo(app, &cgj).await;
        assert_eq!(swj_tasks.len(), 2, "{swj_tasks:?}");
        assert_eq!(cgj_tasks.len(), 1, "{cgj_tasks:?}");
        assert_eq!(cgj_tasks[0]["task"]["lead"], true);
        assert!(cgj_tasks[0]["due"].is_string(), "{:?}", cgj_tasks[0]);
        assert!(cgj_tasks[0]["days_left"].is_i64());
        assert_eq!(cgj_tasks[0]["used_days"], 0, "{:?}", cgj_tasks[0]);
        assert!(cgj_tasks[0]["limit_days"].as_u64().unwrap() > 0);
        // The queue pages and sorts like the pre-review queue, and says which orders exist.
        let (status, queue) = get_as(app, &swj_a, "/api/v1/review/tasks?sort=-due&page=9").await;
        assert_eq!(status, 200, "{queue}");
        assert_eq!((queue["matching"].as_u64(), queue["page"].as_u64(), queue["pages"].as_u64()), (Some(2), Some(1), Some(1)));
        assert_refused(get_as(app, &swj_a, "/api/v1/review/tasks?sort=reviewer").await, &["invalid_sort"]);
        let drainage = task_of(&swj_tasks, &case, "SWJ-XK-001");
        let road_swj = task_of(&swj_tasks, &case, "CGJ-XK-002");
        let road_cgj = task_of(&cgj_tasks, &case, "CGJ-XK-002");

        // A department taking part sees the case; one taking no part sees nothing of it.
        assert_eq!(review_case(app, &cgj, &case).await.0, 200);
        assert_eq!(review_case(app, &zjj, &case).await.0, 404);
        assert!(todo(app, &zjj).await.is_empty());
        assert_eq!(claim(app, &zjj, road_cgj).await.0, 404);
        let (status, body) = get_as(app, &zjj, &format!("/api/v1/review/cases/{case}/back-office")).await;
        assert_eq!(status, 404, "{body}");
        let (status, office) = get_as(app, &cgj, &format!("/api/v1/review/cases/{case}/back-office")).await;
        assert_eq!(status, 200, "{office}");
        assert_eq!(office["tasks"].as_array().unwrap().len(), 3);
        // The co-handling department's window does not act on another department's intake.
        let v = version(app, &cgj_window, &case).await;
        let (status, body) = act(app, &cgj_window, &case, "extend", json!({"version": v, "approver": "局长", "reason": "复杂"})).await;
        assert_eq!(status, 403, "{body}");

        // Who may sign for a task: reviewers and the chief, not the window, the supervisor
        // or the administrator.
        assert_eq!(claim(app, &window, drainage).await.0, 403);
        assert_eq!(claim(app, &swj_super, drainage).await.0, 403);
        let (status, body) = claim(app, &admin, drainage).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("not_a_reviewer")));
        let (status, body) = get_as(app, &admin, "/api/v1/review/tasks").await;
        assert_eq!(status, 403, "{body}");

        // Accepted, the tasks wait for the departments to sign for them.
        let (_, view) = review_case(app, &window, &case).await;
        assert_eq!(view["application"]["status"], "accepted");

        // Two reviewers sign for one task at once: one wins. Meanwhile the co-handling
        // department signs for its own task: both departments' first claims race to start
        // the review, and both get their task.
        let (a, b, c) = tokio::join!(
            claim(app, &swj_a, drainage),
            claim(app, &swj_b, drainage),
            claim(app, &cgj, road_cgj)
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{a:?} {b:?}");
        assert_eq!(c.0, 201, "{c:?}");
        let (winner, loser, lost) = if a.0 == 201 { (&swj_a, &swj_b, b.1) } else { (&swj_b, &swj_a, a.1) };
        assert_eq!(lost["code"], "task_taken");
        // The first claim started the review, once, in the history everyone reads.
        let (_, view) = review_case(app, &window, &case).await;
        assert_eq!(view["application"]["status"], "in_review");
        let starts: Vec<&Value> = view["history"].as_array().unwrap().iter()
            .filter(|h| h["action"] == "start_review").collect();
        assert_eq!(starts.len(), 1, "{}", view["history"]);
        assert_eq!(starts[0]["to_status"], "in_review", "{}", starts[0]);
        // The loser cannot complete it; nor can anyone write an opinion before signing.
        let (status, body) = complete(app, loser, drainage, json!({"opinion": "agree"})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("task_taken")));
        let (status, body) = complete(app, &swj_a, road_swj, json!({"opinion": "agree"})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("task_not_claimed")));

        // No decision while a task of the item is open.
        assert_refused(decide(app, &cgj_chief, &case, json!({"item": "CGJ-XK-002", "outcome": "grant"})).await, &["task_open"]);

        // A disagreement needs its reason and basis.
        assert_refused(complete(app, winner, drainage, json!({"opinion": "disagree"})).await, &["reason_required", "legal_basis_required"]);
        let (status, done) = complete(app, winner, drainage, json!({"opinion": "disagree",
            "reason": "排水接管点与市政管网标高不符", "legal_basis": "《城镇排水与污水处理条例》第二十一条"})).await;
        assert_eq!(status, 200, "{done}");
        assert_eq!(done["opinion"], "disagree");
        agree(app, &swj_a, road_swj).await;
        agree(app, &cgj, road_cgj).await;

        // The applicant's tracking page shows which departments have finished.
        let response = app.client.get(format!("{}/api/v1/track/{case}", app.address))
            .header("x-track-factor", MOBILE).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let track: Value = response.json().await.unwrap();
        let progress = track["progress"].as_array().unwrap();
        assert_eq!(progress.len(), 3, "{track}");
        assert!(progress.iter().all(|p| p["finished"] == true), "{track}");
        assert!(!track.to_string().contains("审批人员swj"), "staff names leak: {track}");

        // Each chief representative's 待决定 list: the department's own item, every task of
        // it done; a reviewer has none.
        let due_of = |v: &Value| -> Vec<(String, bool)> {
            v["decisions_due"].as_array().unwrap().iter()
                .map(|d| (d["item_code"].as_str().unwrap().to_string(), d["all_agree"].as_bool().unwrap()))
                .collect()
        };
        let (_, q) = get_as(app, &cgj_chief, "/api/v1/review/tasks").await;
        assert_eq!(due_of(&q), [("CGJ-XK-002".to_string(), true)], "{q}");
        let (_, q) = get_as(app, &swj_chief, "/api/v1/review/tasks").await;
        assert_eq!(due_of(&q), [("SWJ-XK-001".to_string(), false)], "{q}");
        assert_eq!(q["decisions_paging"], json!({"matching": 1, "page": 1, "pages": 1}), "{q}");
        assert!(q["decisions_due"][0]["used_days"].is_u64(), "{q}");
        let (_, q) = get_as(app, &swj_chief, "/api/v1/review/tasks?sort=applicant&decisions_page=3").await;
        assert_eq!(due_of(&q), [("SWJ-XK-001".to_string(), false)], "{q}");
        let (_, q) = get_as(app, &cgj, "/api/v1/review/tasks").await;
        assert!(due_of(&q).is_empty(), "{q}");

        // Each item is decided by its own department's chief representative.
        let (status, _) = decide(app, &swj_chief, &case, json!({"item": "CGJ-XK-002", "outcome": "grant"})).await;
        assert_eq!(status, 403);
        let (status, _) = decide(app, &cgj, &case, json!({"item": "CGJ-XK-002", "outcome": "grant"})).await;
        assert_eq!(status, 403);
        let (status, first) = decide(app, &cgj_chief, &case, json!({"item": "CGJ-XK-002", "outcome": "grant",
            "conditions": "夜间施工须另行报批"})).await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(first["case_decided"], false);
        let (_, q) = get_as(app, &cgj_chief, "/api/v1/review/tasks").await;
        assert!(due_of(&q).is_empty(), "{q}");
        assert_eq!(first["undecided"], json!(["SWJ-XK-001"]));
        let (status, body) = decide(app, &cgj_chief, &case, json!({"item": "SWJ-XK-001", "outcome": "refuse",
            "reason": "x", "legal_basis": "y"})).await;
        assert_eq!(status, 403, "{body}");
        // 准予 needs every task to agree.
        assert_refused(decide(app, &swj_chief, &case, json!({"item": "SWJ-XK-001", "outcome": "grant"})).await, &["not_all_agree"]);
        let (status, last) = decide(app, &swj_chief, &case, json!({"item": "SWJ-XK-001", "outcome": "refuse",
            "reason": "排水接管点与市政管网标高不符", "legal_basis": "《城镇排水与污水处理条例》第二十一条"})).await;
        assert_eq!(status, 201, "{last}");
        assert_eq!(last["case_decided"], true);
        let notice = &last["notice"]["notice"];
        assert_eq!(notice["kind"], "bundle_decision");
        let outcomes: Vec<(&str, &str)> = notice["outcomes"].as_array().unwrap().iter()
            .map(|o| (o["item_code"].as_str().unwrap(), o["outcome"].as_str().unwrap())).collect();
        assert_eq!(outcomes, [("CGJ-XK-002", "grant"), ("SWJ-XK-001", "refuse")]);
        let issued = notice["issued_on"].as_str().unwrap();
        assert_eq!(notice["remedies"]["received_on"], issued);
        assert!(notice["remedies"]["reconsideration_by"].is_string());
        assert!(notice["remedies"]["lawsuit_by"].is_string());

        // The decision stopped the decision clock and started the delivery clock; the results
        // go out online (the one method both items offer), so they were delivered with it and
        // the case ended (办结) that day.
        let (_, view) = review_case(app, &swj_chief, &case).await;
        assert_eq!(view["application"]["status"], "completed");
        assert_eq!(view["deadlines"]["decision"]["stopped_on"], issued);
        assert!(view["deadlines"]["delivery"]["due"].is_string(), "{}", view["deadlines"]);
        assert_eq!(view["deadlines"]["delivery"]["stopped_on"], issued);
        assert_eq!(view["delivery"]["method"], "download");
        // Nothing more: no second decision, no withdrawal, no task to sign.
        let (status, body) = decide(app, &swj_chief, &case, json!({"item": "SWJ-XK-001", "outcome": "grant"})).await;
        assert_eq!(status, 422, "{body}");
        assert_refused(post_as(app, &me, &format!("/api/v1/applications/{case}/withdrawal"),
            json!({"version": view["version"], "reason": "不办了"})).await, &["not_withdrawable"]);
    })
    .await;
}

/// Today in China, as a committed date the rule accepts.
fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string()
}

/// A submitted SWJ-XK-001 case, accepted; returns the case, the window clerk and a reviewer.
async fn accepted(app: &TestApp, mobile: &str, deficiency: bool) -> (String, String, String) {
    let me = applicant(app, mobile, "11010519491231002X").await;
    let case = submitted_case(app, &me, !deficiency).await;
    let window = staff_member(app, &format!("w{mobile}"), StaffRole::Window, "SWJ").await;
    let reviewer = staff_member(app, &format!("r{mobile}"), StaffRole::Reviewer, "SWJ").await;
    let v = version(app, &window, &case).await;
    let (status, body) = if deficiency {
        act(
            app,
            &window,
            &case,
            "accept-with-deficiency",
            json!({"version": v, "commitment_date": today()}),
        )
        .await
    } else {
        act(app, &window, &case, "accept", json!({"version": v})).await
    };
    assert_eq!(status, 201, "{body}");
    (case, window, reviewer)
}

#[tokio::test]
async fn a_deferred_material_holds_the_decision_until_the_window_confirms_it() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let (case, window, reviewer) = accepted(app, "13855550002", true).await;
        let chief = staff_member(app, "c2", StaffRole::Chief, "SWJ").await;
        let task = task_of(&todo(app, &reviewer).await, &case, "SWJ-XK-001");
        agree(app, &reviewer, task).await;
        assert_refused(
            decide(
                app,
                &chief,
                &case,
                json!({"item": "SWJ-XK-001", "outcome": "grant"}),
            )
            .await,
            &["deferred_material_outstanding"],
        );

        // Only the 容缺 material can be confirmed, and only by the window of the case.
        let v = version(app, &window, &case).await;
        let (status, body) = post_as(
            app,
            &reviewer,
            &format!("/api/v1/review/cases/{case}/deferred-confirmation"),
            json!({"version": v, "material": "water_quality_report"}),
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert_refused(
            post_as(
                app,
                &window,
                &format!("/api/v1/review/cases/{case}/deferred-confirmation"),
                json!({"version": v, "material": "drainage_drawings"}),
            )
            .await,
            &["not_deferred"],
        );
        let (status, office) = post_as(
            app,
            &window,
            &format!("/api/v1/review/cases/{case}/deferred-confirmation"),
            json!({"version": v, "material": "water_quality_report"}),
        )
        .await;
        assert_eq!(status, 200, "{office}");
        assert_eq!(office["deferred"][0]["confirmed"], true);

        let (status, result) = decide(
            app,
            &chief,
            &case,
            json!({"item": "SWJ-XK-001", "outcome": "grant"}),
        )
        .await;
        assert_eq!(status, 201, "{result}");
        assert_eq!(result["notice"]["notice"]["kind"], "grant");
        assert!(result["notice"]["notice"]["remedies"].is_null());
    })
    .await;
}

#[tokio::test]
async fn a_withdrawal_closes_the_open_tasks_and_ends_the_clocks() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13855550003", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let window = staff_member(app, "w3", StaffRole::Window, "SWJ").await;
        let reviewer = staff_member(app, "r3", StaffRole::Reviewer, "SWJ").await;
        accept(app, &window, &case).await;
        let task = task_of(&todo(app, &reviewer).await, &case, "SWJ-XK-001");
        assert_eq!(claim(app, &reviewer, task).await.0, 201);

        let v = version(app, &window, &case).await;
        let path = format!("/api/v1/applications/{case}/withdrawal");
        assert_refused(
            post_as(app, &me, &path, json!({"version": v, "reason": " "})).await,
            &["reason_required"],
        );
        // Another applicant's case is not found.
        let other = applicant(app, "13855550004", "44052419850101001X").await;
        let (status, _) = post_as(
            app,
            &other,
            &path,
            json!({"version": v, "reason": "项目取消"}),
        )
        .await;
        assert_eq!(status, 404);
        let (status, notice) =
            post_as(app, &me, &path, json!({"version": v, "reason": "项目取消"})).await;
        assert_eq!(status, 201, "{notice}");
        assert_eq!(notice["notice"]["kind"], "withdrawal");
        assert!(
            notice["notice"]["number"]
                .as_str()
                .unwrap()
                .contains("撤字")
        );

        let (_, view) = review_case(app, &window, &case).await;
        assert_eq!(view["application"]["status"], "withdrawn");
        assert!(
            view["deadlines"]["decision"]["stopped_on"].is_string(),
            "{}",
            view["deadlines"]
        );
        assert!(view["deadlines"]["decision"]["days_left"].is_null());
        let (status, body) = complete(app, &reviewer, task, json!({"opinion": "agree"})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("task_closed")));
        assert!(todo(app, &reviewer).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_window_records_a_withdrawal_made_in_the_hall() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let (case, window, reviewer) = accepted(app, "13855550005", false).await;
        let v = version(app, &window, &case).await;
        let path = format!("/api/v1/review/cases/{case}/withdrawal");
        let (status, _) = post_as(
            app,
            &reviewer,
            &path,
            json!({"version": v, "reason": "到窗口撤回"}),
        )
        .await;
        assert_eq!(status, 403);
        let (status, body) = post_as(
            app,
            &window,
            &path,
            json!({"version": v.as_i64().unwrap() - 1, "reason": "到窗口撤回"}),
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (409, Some("case_changed")));
        let (status, notice) = post_as(
            app,
            &window,
            &path,
            json!({"version": v, "reason": "到窗口撤回"}),
        )
        .await;
        assert_eq!(status, 201, "{notice}");
        assert_eq!(notice["notice"]["reason"], "到窗口撤回");
    })
    .await;
}

#[tokio::test]
async fn an_immediate_item_is_accepted_and_decided_at_the_window_in_one_step() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13855550006", "11010519491231002X").await;
        let (status, draft) = post_as(app, &me, "/api/v1/applications", json!({"item": "FGW-BA-001",
            "applicant": company(CREDIT_CODE), "values": {
                "project_name": "滨江污水处理厂", "project_address": "示范市滨江区江南大道 1 号",
                "total_investment": "5000", "land_area": "20000", "building_area": "8000",
                "construction_content": "新建日处理 5 万吨污水处理厂一座", "industry": "infrastructure",
                "contact_name": "赵六", "contact_mobile": "13900139000"},
            "bring_original": []})).await;
        assert_eq!(status, 201, "{draft}");
        let number = draft["number"].as_str().unwrap().to_string();
        for code in ["project_info_form", "credit_commitment"] {
            assert_eq!(put_file(app, &me, &number, code, "表.pdf", PDF).await.0, 200);
        }
        let case = submit_draft(app, &me, &number).await;
        let window = staff_member(app, "fgw-w", StaffRole::Window, "FGW").await;
        let path = format!("/api/v1/review/cases/{case}/decision-on-the-spot");
        let v = version(app, &window, &case).await;
        assert_refused(post_as(app, &window, &path, json!({"version": v, "outcome": "refuse"})).await, &["reason_required", "legal_basis_required"]);
        let (status, result) = post_as(app, &window, &path, json!({"version": v, "outcome": "grant"})).await;
        assert_eq!(status, 201, "{result}");
        assert_eq!(result["notice"]["notice"]["kind"], "grant");
        let (_, view) = review_case(app, &window, &case).await;
        // Delivered online with the decision (the guide's one method): 办结 at once.
        assert_eq!(view["application"]["status"], "completed");
        let kinds: Vec<&str> = view["application"]["notices"].as_array().unwrap().iter()
            .map(|n| n["notice"]["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["acceptance", "grant"]);
        assert!(view["deadlines"]["delivery"]["due"].is_string(), "{}", view["deadlines"]);
        assert!(view["deadlines"]["delivery"]["stopped_on"].is_string(), "{}", view["deadlines"]);

        // A 承诺件 is not decided on the spot.
        let (other, window2, _) = accepted(app, "13855550007", false).await;
        let _ = other;
        let me2 = applicant(app, "13855550008", "44052419850101001X").await;
        let promised = submitted_case(app, &me2, true).await;
        let v = version(app, &window2, &promised).await;
        assert_refused(post_as(app, &window2, &format!("/api/v1/review/cases/{promised}/decision-on-the-spot"),
            json!({"version": v, "outcome": "grant"})).await, &["not_immediate"]);
    })
    .await;
}

#[tokio::test]
async fn the_applicant_supplies_a_deferred_material_online_and_the_window_returns_or_confirms_it() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13855550009", "11010519491231002X").await;
        let case = submitted_case(app, &me, false).await;
        let window = staff_member(app, "w9", StaffRole::Window, "SWJ").await;
        let v = version(app, &window, &case).await;
        let (status, body) = act(app, &window, &case, "accept-with-deficiency",
            json!({"version": v, "commitment_date": today()})).await;
        assert_eq!(status, 201, "{body}");
        let office = async |who: &str| {
            let (status, office) = get_as(app, who, &format!("/api/v1/review/cases/{case}/back-office")).await;
            assert_eq!(status, 200, "{office}");
            office["deferred"][0].clone()
        };
        assert_eq!(office(&window).await["supplied"], false);

        // After acceptance only the outstanding 容缺 material takes an upload.
        let (status, body) = put_file(app, &me, &case, "drainage_drawings", "图.pdf", PDF).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("not_deferred")), "{body}");
        let (status, body) = put_file(app, &me, &case, "water_quality_report", "水质.pdf", PDF).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(office(&window).await["supplied"], true);
        // The applicant's own page offers it until it is confirmed.
        let (status, track) = server_fn(app, "track/own", Some(&me), &[("number", &case)]).await;
        assert_eq!(status, 200, "{track}");
        assert_eq!(track["deferred"][0]["material"]["code"], "water_quality_report", "{track}");
        assert_eq!(track["deferred"][0]["state"]["supplied"], true, "{track}");

        // Returned with a reason: the applicant must supply it again.
        let path = format!("/api/v1/review/cases/{case}/deferred-confirmation");
        let v = version(app, &window, &case).await;
        assert_refused(post_as(app, &window, &path,
            json!({"version": v, "material": "water_quality_report", "return_reason": " "})).await, &["reason_required"]);
        let (status, _) = post_as(app, &window, &path,
            json!({"version": v, "material": "water_quality_report", "return_reason": "报告未加盖检测机构公章"})).await;
        assert_eq!(status, 200);
        let d = office(&window).await;
        assert_eq!((d["supplied"].as_bool(), d["returned"].as_str()), (Some(false), Some("报告未加盖检测机构公章")));
        let (status, body) = put_file(app, &me, &case, "water_quality_report", "水质（盖章）.pdf", PDF).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(office(&window).await["supplied"], true);

        // A committed date that passed unconfirmed is flagged on the department's board.
        let chief = staff_member(app, "c9", StaffRole::Chief, "SWJ").await;
        let board = async || {
            let (status, board) = get_as(app, &chief, "/api/v1/supervision/board").await;
            assert_eq!(status, 200, "{board}");
            board["late_deferred"].as_array().unwrap().clone()
        };
        assert!(board().await.is_empty(), "not late yet");
        let row = case_row(app, &case).await;
        let accepted = case_event::Entity::find()
            .filter(case_event::Column::ApplicationId.eq(row.id))
            .filter(case_event::Column::Action.eq("accept_with_deficiency"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let detail = accepted.detail.clone().unwrap().replace(&today(), "2026-01-05");
        case_event::Entity::update_many()
            .col_expr(case_event::Column::Detail, Expr::value(detail))
            .filter(case_event::Column::Id.eq(accepted.id))
            .exec(&app.db)
            .await
            .unwrap();
        let late = board().await;
        assert_eq!(late.len(), 1, "{late:?}");
        assert_eq!(late[0]["case_number"], case.as_str());
        assert_eq!(late[0]["commitment_date"], "2026-01-05");
        assert_eq!(late[0]["supplied"], true);

        // Confirmed: nothing more to upload, nothing late.
        let v = version(app, &window, &case).await;
        let (status, _) = post_as(app, &window, &path, json!({"version": v, "material": "water_quality_report"})).await;
        assert_eq!(status, 200);
        assert_eq!(office(&window).await["confirmed"], true);
        let (status, body) = put_file(app, &me, &case, "water_quality_report", "水质.pdf", PDF).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("not_deferred")), "{body}");
        let (_, track) = server_fn(app, "track/own", Some(&me), &[("number", &case)]).await;
        assert!(track["deferred"].is_null(), "{track}");
        assert!(board().await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn the_queue_counts_every_status_pages_and_sorts_and_refuses_an_unknown_order() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13855550010", "11010519491231002X").await;
        let first = submitted_case(app, &me, true).await;
        let second = submitted_case(app, &me, true).await;
        let window = staff_member(app, "w10", StaffRole::Window, "SWJ").await;
        accept(app, &window, &first).await;

        let (status, q) = get_as(
            app,
            &window,
            "/api/v1/review/queue?status=all&sort=-received",
        )
        .await;
        assert_eq!(status, 200, "{q}");
        let count = |s: &str| count_of(&q, s)["count"].clone();
        assert_eq!(
            (count("submitted"), count("accepted")),
            (json!(1), json!(1))
        );
        let order = texts(&q["entries"], "case_number");
        assert_eq!(order, [second.as_str(), first.as_str()], "newest first");
        assert_eq!(
            (
                q["matching"].as_u64(),
                q["page"].as_u64(),
                q["pages"].as_u64()
            ),
            (Some(2), Some(1), Some(1))
        );
        let (_, q) = get_as(app, &window, "/api/v1/review/queue?status=all").await;
        let order = texts(&q["entries"], "case_number");
        assert_eq!(
            order,
            [first.as_str(), second.as_str()],
            "oldest first by default"
        );

        assert_refused(
            get_as(app, &window, "/api/v1/review/queue?sort=fastest").await,
            &["invalid_sort"],
        );
    })
    .await;
}

/// 02:00 in China on `d`.
fn at(d: Date) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(d.year(), d.month().into(), d.day().into(), 2, 0, 0)
        .unwrap()
}

#[tokio::test]
async fn the_ladder_warns_each_department_holding_a_late_task_by_its_review_limit_and_the_board_lists_its_tasks()
 {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13855550011", "11010519491231002X").await;
        let case = submitted_bundle(app, &me).await;
        let window = staff_member(app, "swj-w", StaffRole::Window, "SWJ").await;
        let cgj = staff_member(app, "cgj-r", StaffRole::Reviewer, "CGJ").await;
        let cgj_chief = staff_member(app, "cgj-c", StaffRole::Chief, "CGJ").await;
        accept(app, &window, &case).await;
        let (_, view) = review_case(app, &window, &case).await;
        let due = Date::parse_iso(view["deadlines"]["decision"]["due"].as_str().unwrap()).unwrap();
        let cal = calendar::load(&app.db).await.unwrap();
        let mut after = due.add_days(1);
        while !cal.is_working_day(after).unwrap() {
            after = after.add_days(1);
        }

        // On the due day, from two instances: the receiving department's rung; one for
        // 城管局, which holds a task of the case due with it; and one for 水务局's opinion on
        // 占道, which the guide gives 3 working days (审查时限), overdue by now.
        let (a, b) = tokio::join!(
            raise_warnings(&app.db, at(due)),
            raise_warnings(&app.db, at(due))
        );
        assert_eq!(a.unwrap() + b.unwrap(), 3);
        let (status, board) = get_as(app, &cgj_chief, "/api/v1/supervision/board").await;
        assert_eq!(status, 200, "{board}");
        let warnings = board["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), 1, "{board}");
        assert_eq!(warnings[0]["level"], "supervision");
        let message = warnings[0]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("办件 {case} 的审查任务（")),
            "{message}"
        );
        assert!(message.contains("今天"), "{message}");
        let tasks = board["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 1, "{board}");
        assert_eq!(tasks[0]["case_number"], case.as_str());
        assert_eq!(tasks[0]["status_label"], "待签收");
        // Due with the case.
        assert_eq!(
            tasks[0]["clock"]["due"],
            view["deadlines"]["decision"]["due"]
        );
        let staff_messages = app::server::entities::notification::Entity::find()
            .filter(app::server::entities::notification::Column::Recipient.eq("department:CGJ"))
            .all(&app.db)
            .await
            .unwrap();
        // To 城管局 and its supervisors.
        assert_eq!(staff_messages.len(), 1);

        // The guide publishes the 审查时限 the tasks count with.
        let (status, guide) = app.get_json("/api/v1/items/CGJ-XK-002").await;
        assert_eq!(status, 200);
        assert_eq!(guide["item"]["review_days"], json!({"SWJ": 3}));
        // 水务局's board: its two tasks, the 占道 opinion due three working days after
        // acceptance, before the case; its warnings name the 审查时限.
        let swj_chief = staff_member(app, "swj-c", StaffRole::Chief, "SWJ").await;
        let (_, board) = get_as(app, &swj_chief, "/api/v1/supervision/board").await;
        let tasks = board["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), 2, "{board}");
        let road_task = tasks
            .iter()
            .find(|t| t["item_name"] == "占用、挖掘城市道路审批")
            .unwrap();
        assert_eq!(road_task["clock"]["limit_days"], 3, "{road_task}");
        assert!(road_task["clock"]["due"].as_str() < view["deadlines"]["decision"]["due"].as_str());
        let warnings = board["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), 2, "{board}");
        assert!(
            warnings
                .iter()
                .any(|w| w["message"].as_str().unwrap().contains("已超过审查时限")),
            "{board}"
        );
        // The reviewers' queue shows the task's own due day.
        let swj_r = staff_member(app, "swj-r", StaffRole::Reviewer, "SWJ").await;
        let entries = todo(app, &swj_r).await;
        let road_entry = entries
            .iter()
            .find(|e| e["task"]["item_code"] == "CGJ-XK-002")
            .unwrap();
        assert_eq!(road_entry["due"], road_task["clock"]["due"], "{road_entry}");

        // Once 城管局 has finished, it is not warned again; 水务局 is, the next day, on the
        // case and on its late opinion.
        let road = task_of(&todo(app, &cgj).await, &case, "CGJ-XK-002");
        agree(app, &cgj, road).await;
        assert_eq!(raise_warnings(&app.db, at(after)).await.unwrap(), 2);
        let (_, board) = get_as(app, &cgj_chief, "/api/v1/supervision/board").await;
        assert_eq!(board["warnings"].as_array().unwrap().len(), 1, "{board}");
        assert!(board["tasks"].as_array().unwrap().is_empty(), "{board}");
    })
    .await;
}

#[tokio::test]
async fn an_applicant_is_reminded_once_when_a_deferred_material_is_late() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        // Committed for today: nothing is late yet.
        let (case, _, _) = accepted(app, "13855550012", true).await;
        let id = case_row(app, &case).await.id;
        let now = chrono::Utc::now();
        assert_eq!(remind_deferred(&app.db, now).await.unwrap(), 0);
        // Two days on, from two instances at once: one reminder.
        let later = now + chrono::Duration::days(2);
        let (a, b) = tokio::join!(
            remind_deferred(&app.db, later),
            remind_deferred(&app.db, later)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(
            remind_deferred(&app.db, later + chrono::Duration::days(1))
                .await
                .unwrap(),
            0
        );
        let reminders = app::server::entities::notification::Entity::find()
            .filter(app::server::entities::notification::Column::ApplicationId.eq(id))
            .filter(app::server::entities::notification::Column::Subject.eq("容缺材料逾期提醒"))
            .all(&app.db)
            .await
            .unwrap();
        // In the applicant's messages and by SMS to the contact mobile.
        assert!(
            reminders
                .iter()
                .any(|m| m.channel == "sms" && m.recipient == MOBILE),
            "{reminders:?}"
        );
        assert!(
            reminders.iter().any(|m| m.channel == "site"),
            "{reminders:?}"
        );
        assert!(
            reminders.iter().all(|m| m.body.contains("尚未补交")),
            "{reminders:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_reviewer_holding_a_task_starts_and_ends_a_special_procedure_from_it() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13855550013", "11010519491231002X").await;
        let case = submitted_bundle(app, &me).await;
        let window = staff_member(app, "swj-w", StaffRole::Window, "SWJ").await;
        let cgj = staff_member(app, "cgj-r", StaffRole::Reviewer, "CGJ").await;
        let cgj_other = staff_member(app, "cgj-r2", StaffRole::Reviewer, "CGJ").await;
        accept(app, &window, &case).await;
        let survey = |v: &Value| {
            json!({"version": v, "procedure": "site_survey",
            "reason": "占道位置需现场勘验", "start": today()})
        };

        // Not before signing for the task.
        let v = version(app, &cgj, &case).await;
        let (status, body) = act(app, &cgj, &case, "suspend", survey(&v)).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("not_permitted")),
            "{body}"
        );
        let (_, view) = review_case(app, &cgj, &case).await;
        assert_eq!(
            (view["may_act"].as_bool(), view["may_pause"].as_bool()),
            (Some(false), Some(false))
        );

        let road = task_of(&todo(app, &cgj).await, &case, "CGJ-XK-002");
        let (status, body) = claim(app, &cgj, road).await;
        assert_eq!(status, 201, "{body}");
        let (_, view) = review_case(app, &cgj, &case).await;
        assert_eq!(view["may_pause"], true);
        // Another reviewer of the department, holding nothing, still may not.
        let v = version(app, &cgj_other, &case).await;
        let (status, _) = act(app, &cgj_other, &case, "suspend", survey(&v)).await;
        assert_eq!(status, 403);
        let (status, notice) = act(app, &cgj, &case, "suspend", survey(&v)).await;
        assert_eq!(status, 201, "{notice}");
        assert_eq!(notice["notice"]["kind"], "suspension");
        let (_, view) = review_case(app, &window, &case).await;
        assert_eq!(view["application"]["status"], "suspended");
        assert_eq!(view["deadlines"]["decision"]["paused"], true);
        // No opinion while the clock is stopped; the extension stays the window's.
        let (status, body) = complete(app, &cgj, road, json!({"opinion": "agree"})).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("case_suspended"))
        );
        let v = version(app, &cgj, &case).await;
        let (status, notice) = act(
            app,
            &cgj,
            &case,
            "resume",
            json!({"version": v, "end": today()}),
        )
        .await;
        assert_eq!(status, 201, "{notice}");
        let (_, view) = review_case(app, &window, &case).await;
        assert_eq!(view["application"]["status"], "in_review");
        let v = version(app, &cgj, &case).await;
        let (status, _) = act(
            app,
            &cgj,
            &case,
            "extend",
            json!({"version": v, "approver": "局长", "reason": "复杂"}),
        )
        .await;
        assert_eq!(status, 403);
        agree(app, &cgj, road).await;
    })
    .await;
}

/// The tracking view, without its stream token (which runs from the second of the lookup).
async fn tracked(app: &TestApp, case: &str) -> Value {
    let (status, mut view, text) = crate::tracking::track(app, case, MOBILE).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        view["stream"].as_str().is_some_and(|s| !s.is_empty()),
        "{text}"
    );
    view["stream"] = Value::Null;
    view
}

/// Tracking holds a case in memory between lookups and reads it again only when one of its
/// stamps moves. A row edited behind the application's back moves none, so the page stays
/// as it was. A department finishing its task leaves the case's version alone, yet it is
/// seen by the very next lookup (with the edit, read again along with it).
#[tokio::test]
async fn tracking_holds_a_case_in_memory_and_sees_a_finished_task_at_once() {
    on_every_backend(async |app| {
        let me = applicant(app, "13800138074", "11010519491231002X").await;
        let case = submitted_bundle(app, &me).await;
        let window = staff_member(app, "swj-w", StaffRole::Window, "SWJ").await;
        let swj = staff_member(app, "swj-r", StaffRole::Reviewer, "SWJ").await;
        accept(app, &window, &case).await;
        let drainage = task_of(&todo(app, &swj).await, &case, "SWJ-XK-001");
        let (status, body) = claim(app, &swj, drainage).await;
        assert_eq!(status, 201, "{body}");

        let before = tracked(app, &case).await;
        assert_eq!(tracked(app, &case).await, before);
        let finished = |view: &Value| {
            view["progress"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["finished"] == true)
                .count()
        };
        assert_eq!(finished(&before), 0, "{before}");

        let id = case_row(app, &case).await.id;
        case_event::Entity::update_many()
            .col_expr(case_event::Column::Reason, Expr::value("未经本系统改写"))
            .filter(case_event::Column::ApplicationId.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
        assert_eq!(tracked(app, &case).await, before, "held in memory");

        let (status, body) = complete(app, &swj, drainage, json!({"opinion": "agree"})).await;
        assert_eq!(status, 200, "{body}");
        let after = tracked(app, &case).await;
        assert_eq!(after["version"], before["version"].as_i64().unwrap() + 1);
        assert_eq!(finished(&after), 1, "{after}");
        assert!(after.to_string().contains("未经本系统改写"), "{after}");
    })
    .await;
}

#[tokio::test]
async fn a_case_under_review_without_tasks_gets_them_and_no_other_case_does() {
    use app::server::entities::{application, review_task};
    use app::server::services::bench_data::{self, Plan};
    use app::server::services::review::open_missing_tasks;
    use sea_orm::PaginatorTrait;
    on_every_backend(async |app| {
        let plan = Plan {
            cases: 60,
            open: 60,
            per_applicant: 10,
        };
        bench_data::seed(&app.db, plan, Utc::now(), |_| {})
            .await
            .unwrap();
        let case = application::Entity::find()
            .filter(application::Column::Status.eq("accepted"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let of_case =
            || review_task::Entity::find().filter(review_task::Column::ApplicationId.eq(case.id));
        let had = of_case().count(&app.db).await.unwrap();
        assert!(had > 0);
        let all = review_task::Entity::find().count(&app.db).await.unwrap();
        review_task::Entity::delete_many()
            .filter(review_task::Column::ApplicationId.eq(case.id))
            .exec(&app.db)
            .await
            .unwrap();
        assert_eq!(
            open_missing_tasks(&app.db, Utc::now()).await.unwrap() as u64,
            had
        );
        assert_eq!(of_case().count(&app.db).await.unwrap(), had);
        assert_eq!(
            review_task::Entity::find().count(&app.db).await.unwrap(),
            all
        );
        // Nothing is missing any more.
        assert_eq!(open_missing_tasks(&app.db, Utc::now()).await.unwrap(), 0);
    })
    .await;
}

/// The clocks of the task list and the board count with each guide's limits read once per
/// catalog change (one copy of the form per reference stamp), and any change is seen by the
/// very next list (on PostgreSQL, the first after the database's notice): a version row
/// edited behind the application's back (the database's triggers move the stamp) as well as
/// an import that changes the promised limit.
#[tokio::test]
async fn the_lists_count_with_guides_read_once_per_catalog_change() {
    use crate::helpers::seen_soon;
    use app::server::entities::item_version;
    use app::server::services::reference::ReferenceCache;
    use std::sync::Arc;
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let (case, _, reviewer) = accepted(app, "13800138091", false).await;
        let chief = staff_member(app, "c13800138091", StaffRole::Chief, "SWJ").await;
        let limit = async || {
            let tasks = todo(app, &reviewer).await;
            let line = tasks
                .iter()
                .find(|e| e["task"]["case_number"] == case.as_str())
                .unwrap_or_else(|| panic!("{case} not in {tasks:?}"));
            let (status, board) = get_as(app, &chief, "/api/v1/supervision/board").await;
            assert_eq!(status, 200, "{board}");
            let held = board["cases"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["case_number"] == case.as_str())
                .unwrap_or_else(|| panic!("{case} not on {board}"))
                .clone();
            (
                line["limit_days"].clone(),
                held["clock"]["limit_days"].clone(),
            )
        };
        assert_eq!(limit().await, (json!(7), json!(7)));
        let cache = ReferenceCache::default();
        let reference = cache.get(&app.db).await.unwrap();
        let form = async || {
            let form = reference.form(&app.db, Some("SWJ-XK-001"), None);
            form.await.unwrap().unwrap()
        };
        assert!(Arc::ptr_eq(&form().await, &form().await), "read once, kept");
        assert!(Arc::ptr_eq(&reference, &cache.get(&app.db).await.unwrap()));

        item_version::Entity::update_many()
            .col_expr(item_version::Column::PromisedLimitDays, Expr::value(30))
            .exec(&app.db)
            .await
            .unwrap();
        let seen = seen_soon(app, limit, |l| *l == (json!(30), json!(30))).await;
        assert_eq!(seen, (json!(30), json!(30)), "an edit is seen at once");
        assert!(!Arc::ptr_eq(&reference, &cache.get(&app.db).await.unwrap()));

        let mut file = crate::helpers::demo();
        let item = file
            .items
            .iter_mut()
            .find(|i| i.code == "SWJ-XK-001")
            .unwrap();
        item.promised_limit_days = 9;
        app::server::services::catalog::import(&app.db, &file, "limits.json", "r")
            .await
            .unwrap();
        let seen = seen_soon(app, limit, |l| *l == (json!(9), json!(9))).await;
        assert_eq!(seen, (json!(9), json!(9)), "the import is seen at once");
    })
    .await;
}
