//! 送达 (rule 14): the applicant's choice at submission, each method's steps with their
//! refusals, the delivery clock closed at delivery, and who may record a delivery.

use app::domain::catalog::DeliveryMethod;
use app::domain::review::StaffRole;
use reqwest::Method;
use serde_json::{Value, json};

use crate::applications::applicant;
use crate::helpers::{
    TestApp, assert_refused, call, demo, draft_of, get_as, on_every_backend, post_as, post_empty,
    problem_codes, problems, submit_draft, texts,
};
use crate::review::{accept, count_through_next_year, review_case, staff_member};
use crate::submission::{CREDIT_CODE, PDF, company, drainage_values, put_file};

/// The applicant block's contact mobile: the tracking factor.
const MOBILE: &str = "13800138000";

/// The demo catalog, with 排水许可 (SWJ-XK-001) offering every delivery method.
pub async fn every_method(app: &TestApp) {
    let mut file = demo();
    for item in file.items.iter_mut().filter(|i| i.code == "SWJ-XK-001") {
        item.delivery_methods = vec![
            DeliveryMethod::Download,
            DeliveryMethod::Post,
            DeliveryMethod::Pickup,
        ];
    }
    app::server::services::catalog::import(&app.db, &file, "test", "every-method")
        .await
        .unwrap();
}

fn address() -> Value {
    json!({"province": "浙江省", "city": "杭州市", "district": "西湖区",
        "detail": "文三路 100 号 3 幢", "recipient": "王五", "mobile": "139 0013 9000"})
}

/// A SWJ-XK-001 draft with every material, and its number.
async fn draft(app: &TestApp, me: &str, delivery: Value) -> String {
    let number = draft_of(
        app,
        me,
        json!({"item": "SWJ-XK-001",
        "applicant": company(CREDIT_CODE), "values": drainage_values(),
        "bring_original": ["drainage_application"], "delivery": delivery}),
    )
    .await;
    for code in ["drainage_drawings", "water_quality_report"] {
        assert_eq!(
            put_file(app, me, &number, code, "材料.pdf", PDF).await.0,
            200
        );
    }
    number
}

async fn submit(app: &TestApp, me: &str, number: &str) -> (u16, Value) {
    post_empty(app, me, &format!("/api/v1/applications/{number}/submit")).await
}

async fn version(app: &TestApp, staff: &str, case: &str) -> Value {
    let (status, view) = review_case(app, staff, case).await;
    assert_eq!(status, 200, "{view}");
    view["version"].clone()
}

/// The department's staff the tests need.
pub struct Swj {
    pub window: String,
    pub reviewer: String,
    pub chief: String,
}

pub async fn swj(app: &TestApp) -> Swj {
    Swj {
        window: staff_member(app, "swj-w", StaffRole::Window, "SWJ").await,
        reviewer: staff_member(app, "swj-r", StaffRole::Reviewer, "SWJ").await,
        chief: staff_member(app, "swj-c", StaffRole::Chief, "SWJ").await,
    }
}

/// A SWJ-XK-001 case with this delivery choice, accepted, reviewed and granted.
async fn granted(app: &TestApp, staff: &Swj, mobile: &str, delivery: Value) -> String {
    granted_to(app, staff, mobile, delivery).await.0
}

/// The same, with the applicant's session: (case number, cookie).
pub async fn granted_to(
    app: &TestApp,
    staff: &Swj,
    mobile: &str,
    delivery: Value,
) -> (String, String) {
    let me = applicant(app, mobile, "11010519491231002X").await;
    let number = draft(app, &me, delivery).await;
    let case = submit_draft(app, &me, &number).await;
    accept(app, &staff.window, &case).await;
    let (_, queue) = get_as(app, &staff.reviewer, "/api/v1/review/tasks").await;
    let task = queue["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["task"]["case_number"] == case.as_str())
        .unwrap_or_else(|| panic!("no task of {case}: {queue}"))["task"]["id"]
        .as_i64()
        .unwrap();
    let (status, body) = post_as(
        app,
        &staff.reviewer,
        &format!("/api/v1/review/tasks/{task}/claim"),
        json!({}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = post_as(
        app,
        &staff.reviewer,
        &format!("/api/v1/review/tasks/{task}/complete"),
        json!({"opinion": "agree"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let v = version(app, &staff.chief, &case).await;
    let (status, body) = post_as(
        app,
        &staff.chief,
        &format!("/api/v1/review/cases/{case}/decision"),
        json!({"version": v, "item": "SWJ-XK-001", "outcome": "grant"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["case_decided"], true, "{body}");
    (case, me)
}

/// Records a delivery step with the case's current version.
async fn deliver(
    app: &TestApp,
    staff: &str,
    case: &str,
    step: &str,
    values: Value,
) -> (u16, Value) {
    let v = crate::review::version_of(app, case).await;
    post_as(
        app,
        staff,
        &format!("/api/v1/review/cases/{case}/delivery"),
        json!({"version": v, "step": step, "values": values}),
    )
    .await
}

#[tokio::test]
async fn the_applicant_chooses_how_to_receive_the_result_and_a_bad_address_is_refused() {
    on_every_backend(async |app| {
        every_method(app).await;
        let me = applicant(app, "13855551001", "11010519491231002X").await;
        let number = draft(app, &me, json!({})).await;
        let (_, form) = get_as(app, &me, &format!("/api/v1/applications/{number}")).await;
        let (status, body) = submit(app, &me, &number).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            problems(&body),
            [("delivery.method".to_string(), "required".to_string())],
            "{form}"
        );

        // 邮寄 needs a whole, real address; every problem is listed at once.
        let put = |delivery: Value| {
            let me = me.clone();
            let number = number.clone();
            async move {
                let body = json!({"applicant": company(CREDIT_CODE), "values": drainage_values(),
                    "bring_original": ["drainage_application"], "delivery": delivery});
                call(
                    app,
                    Method::PUT,
                    &format!("/api/v1/applications/{number}"),
                    Some(&me),
                    Some(body),
                )
                .await
            }
        };
        let mut bad = address();
        bad["province"] = json!("示范省");
        bad["mobile"] = json!("12345");
        bad["detail"] = json!("");
        let (status, body) = put(json!({"method": "post", "address": bad})).await;
        assert_eq!(status, 200, "a draft may hold a wrong address: {body}");
        assert_refused(
            submit(app, &me, &number).await,
            &["not_an_option", "required", "mobile_format"],
        );
        let (status, body) = put(json!({"method": "courier"})).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_json")),
            "an unknown method is not stored: {body}"
        );

        let (status, _) = put(json!({"method": "post", "address": address()})).await;
        assert_eq!(status, 200);
        let (status, case) = submit(app, &me, &number).await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["delivery"]["method"], "post");
        assert_eq!(
            case["delivery"]["address"]["mobile"], "13900139000",
            "kept as checked"
        );

        // A method the guide does not offer is refused by name.
        let (status, draft) = post_as(
            app,
            &me,
            "/api/v1/applications",
            json!({"item": "FGW-BA-001",
            "delivery": {"method": "pickup"}}),
        )
        .await;
        assert_eq!(status, 201, "{draft}");
        let other = draft["number"].as_str().unwrap();
        let (status, body) = submit(app, &me, other).await;
        assert_eq!(status, 422, "{body}");
        assert!(
            problem_codes(&body).contains(&"delivery_not_offered".to_string()),
            "{body}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_mailed_result_is_posted_then_received_and_the_case_ends() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        every_method(app).await;
        let staff = swj(app).await;
        let case = granted(app, &staff, "13855551002", json!({"method": "post", "address": address()})).await;
        let (_, view) = review_case(app, &staff.window, &case).await;
        assert_eq!(view["application"]["status"], "decided");
        assert!(view["deadlines"]["delivery"]["due"].is_string(), "{}", view["deadlines"]);
        assert!(view["deadlines"]["delivery"]["stopped_on"].is_null());
        assert_eq!(view["delivery"]["method"], "post");
        assert!(view["delivery"]["address"].as_str().unwrap().contains("王五"), "{}", view["delivery"]);

        // Only by post, posting first, with a known carrier and a waybill.
        let collector = json!({"collector_name": "王五", "collector_id_number": "11010519491231002X"});
        assert_refused(deliver(app, &staff.window, &case, "pick_up", collector).await, &["wrong_method"]);
        assert_refused(deliver(app, &staff.window, &case, "received", json!({})).await, &["not_mailed"]);
        assert_refused(deliver(app, &staff.window, &case, "mail",
            json!({"carrier": "信鸽", "waybill": "12-34"})).await, &["not_an_option", "pattern_mismatch"]);
        // A stale version is refused.
        let (status, body) = post_as(app, &staff.window, &format!("/api/v1/review/cases/{case}/delivery"),
            json!({"version": 1, "step": "mail", "values": {"carrier": "顺丰速运", "waybill": "SF1234567890"}})).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("case_changed")), "{body}");
        let (status, mailed) = deliver(app, &staff.window, &case, "mail",
            json!({"carrier": "顺丰速运", "waybill": "sf1234567890"})).await;
        assert_eq!(status, 201, "{mailed}");
        assert_eq!(mailed["waybill"], "SF1234567890");
        assert!(mailed["delivered_on"].is_null());
        assert_refused(deliver(app, &staff.window, &case, "mail",
            json!({"carrier": "顺丰速运", "waybill": "SF0000000000"})).await, &["already_mailed"]);

        // Public tracking shows the waybill and only the district of the address.
        let (status, track) = app.get_json(&format!("/api/v1/track/{case}?factor={MOBILE}")).await;
        assert_eq!(status, 200, "{track}");
        assert_eq!(track["status"], "decided");
        assert_eq!(track["delivery"]["waybill"], "SF1234567890");
        assert_eq!(track["delivery"]["address"], "浙江省杭州市西湖区");
        assert!(track["timeline"].as_array().unwrap().iter().any(|e| e["action"] == "mail"));

        let (status, done) = deliver(app, &staff.window, &case, "received", json!({})).await;
        assert_eq!(status, 201, "{done}");
        assert!(done["delivered_on"].is_string());
        let (_, view) = review_case(app, &staff.window, &case).await;
        assert_eq!(view["application"]["status"], "completed");
        assert_eq!(view["deadlines"]["delivery"]["stopped_on"], done["delivered_on"]);
        assert_refused(deliver(app, &staff.window, &case, "received", json!({})).await, &["already_delivered"]);
        let (_, track) = app.get_json(&format!("/api/v1/track/{case}?factor={MOBILE}")).await;
        assert_eq!(track["status"], "completed");
        assert_eq!(track["status_label"], "已办结");
    })
    .await;
}

#[tokio::test]
async fn a_pickup_needs_the_collectors_checked_id_and_an_online_result_needs_nothing() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        every_method(app).await;
        let staff = swj(app).await;
        let case = granted(app, &staff, "13855551003", json!({"method": "pickup"})).await;
        let step = async |step, body| deliver(app, &staff.window, &case, step, body).await;
        let refused = [
            ("pick_up", json!({"collector_name": "王五"}), "required"),
            (
                "pick_up",
                json!({"collector_name": "王五", "collector_id_number": "110105194912310021"}),
                "id_card_checksum",
            ),
            (
                "mail",
                json!({"carrier": "顺丰速运", "waybill": "SF1234567890"}),
                "wrong_method",
            ),
        ];
        for (name, body, code) in refused {
            assert_refused(step(name, body).await, &[code]);
        }
        let (status, done) = step(
            "pick_up",
            json!({"collector_name": "王五", "collector_id_number": "11010519491231002x"}),
        )
        .await;
        assert_eq!(status, 201, "{done}");
        assert_eq!(done["collector"], "王五（居民身份证 1101**********002X）");
        let (_, view) = review_case(app, &staff.chief, &case).await;
        assert_eq!(view["application"]["status"], "completed");
        // The public sees that it was collected, not who collected it.
        let (_, track) = app
            .get_json(&format!("/api/v1/track/{case}?factor={MOBILE}"))
            .await;
        assert!(track["delivery"]["delivered_on"].is_string(), "{track}");
        assert!(track["delivery"].get("collector").is_none(), "{track}");
        assert!(!track.to_string().contains("002X"), "{track}");

        // 网上下载: delivered with the decision, in its transaction; nothing for the window.
        let online = granted(app, &staff, "13855551004", json!({"method": "download"})).await;
        let (_, view) = review_case(app, &staff.window, &online).await;
        assert_eq!(view["application"]["status"], "completed");
        let actions = texts(&view["history"], "action");
        assert_eq!(actions[actions.len() - 2..], ["decide", "deliver"]);
        let decided_on = view["deadlines"]["decision"]["stopped_on"].clone();
        assert_eq!(view["deadlines"]["delivery"]["stopped_on"], decided_on);
        assert_refused(
            deliver(
                app,
                &staff.window,
                &online,
                "pick_up",
                json!({"collector_name": "王五", "collector_id_number": "11010519491231002X"}),
            )
            .await,
            &["already_delivered"],
        );
    })
    .await;
}

#[tokio::test]
async fn only_the_receiving_departments_window_and_chief_record_a_delivery() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        every_method(app).await;
        let staff = swj(app).await;
        let case = granted(app, &staff, "13855551005", json!({"method": "pickup"})).await;
        let collector =
            json!({"collector_name": "王五", "collector_id_number": "11010519491231002X"});
        let supervisor = staff_member(app, "swj-s", StaffRole::Supervisor, "SWJ").await;
        let other = staff_member(app, "zjj-w", StaffRole::Window, "ZJJ").await;
        let admin = staff_member(app, "admin", StaffRole::Admin, "SWJ").await;
        let me = applicant(app, "13855551006", "44052419850101001X").await;
        for (who, status, code) in [
            (&staff.reviewer, 403, "not_permitted"),
            (&supervisor, 403, "not_permitted"),
            (&other, 404, "case_not_found"),
            (&admin, 403, "not_a_reviewer"),
            (&me, 401, "not_logged_in"),
        ] {
            let (got, body) = deliver(app, who, &case, "pick_up", collector.clone()).await;
            assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{body}");
        }
        let (status, body) = deliver(app, &staff.chief, &case, "pick_up", collector).await;
        assert_eq!(status, 201, "{body}");
    })
    .await;
}

#[tokio::test]
async fn a_late_delivery_is_warned_once_and_shown_on_the_board() {
    use app::domain::date::Date;
    use chrono::TimeZone;
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        every_method(app).await;
        let staff = swj(app).await;
        let case = granted(app, &staff, "13855551007", json!({"method": "pickup"})).await;
        let (_, view) = review_case(app, &staff.chief, &case).await;
        let due = Date::parse_iso(view["deadlines"]["delivery"]["due"].as_str().unwrap()).unwrap();
        // The day after the delivery due day, at 10:00 in China.
        let late = due.add_days(1);
        let at = chrono::Utc
            .with_ymd_and_hms(late.year(), late.month().into(), late.day().into(), 2, 0, 0)
            .unwrap();
        let (a, b) = tokio::join!(
            app::server::services::tracking::raise_warnings(&app.db, at),
            app::server::services::tracking::raise_warnings(&app.db, at)
        );
        assert_eq!(
            a.unwrap() + b.unwrap(),
            1,
            "one rung, however many instances run the ladder"
        );
        let (status, board) = get_as(app, &staff.chief, "/api/v1/supervision/board").await;
        assert_eq!(status, 200, "{board}");
        let warning = &board["warnings"][0];
        assert!(
            warning["message"].as_str().unwrap().contains("送达期限"),
            "{board}"
        );
        let line = board["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["case_number"] == case.as_str())
            .unwrap_or_else(|| panic!("the decided case is on the board: {board}"));
        assert_eq!(line["status_label"], "已作出审查决定", "{line}");
        assert_eq!(line["clock"]["kind"], "delivery", "{line}");
        // Delivered, it leaves the board and the ladder.
        let (status, _) = deliver(
            app,
            &staff.window,
            &case,
            "pick_up",
            json!({"collector_name": "王五", "collector_id_number": "11010519491231002X"}),
        )
        .await;
        assert_eq!(status, 201);
        let (_, board) = get_as(app, &staff.chief, "/api/v1/supervision/board").await;
        assert!(
            !board["cases"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["case_number"] == case.as_str()),
            "{board}"
        );
    })
    .await;
}
