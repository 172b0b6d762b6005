//! Tracking and deadlines over the JSON API, on every backend: public tracking with a second
//! factor (the same answer for a wrong number and a wrong factor, masking, the rate limit,
//! live events), special procedures and the extension with their notices, the warning ladder
//! run by two instances at once, the supervision board, and the notification outbox.

use app::domain::date::Date;
use app::domain::review::StaffRole;
use app::server::entities::{application, case_event, notification};
use app::server::notify::{LogSender, deliver_pending};
use app::server::services::calendar;
use app::server::services::tracking::{self, ClientKey, Proof, TrackError, raise_warnings};
use chrono::{TimeZone, Utc};
use reqwest::Method;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::applications::applicant;
use crate::helpers::{
    TestApp, assert_refused, call, case_row, get_as, header_of, on_every_backend, post_empty,
};
use crate::review::{
    accept, act, count_through_next_year, review_case, staff_member, submitted_case,
};
use crate::submission::CREDIT_CODE;

/// The contact mobile of `submission::company`.
const MOBILE: &str = "13800138000";

/// A tracking lookup over the API: status, the JSON answer and its text.
pub async fn track(app: &TestApp, case: &str, factor: &str) -> (u16, Value, String) {
    let response = app
        .client
        .get(format!("{}/api/v1/track/{case}", app.address))
        .header("x-track-factor", factor)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    )
}

async fn tracking_code(app: &TestApp, case: &str) -> String {
    case_row(app, case).await.tracking_code.unwrap()
}

/// A submitted case accepted by a window clerk; returns the case and the clerk's cookie.
async fn accepted_case(app: &TestApp, mobile: &str) -> (String, String) {
    let me = applicant(app, mobile, "11010519491231002X").await;
    let case = submitted_case(app, &me, true).await;
    let window = staff_member(app, &format!("w{mobile}"), StaffRole::Window, "SWJ").await;
    accept(app, &window, &case).await;
    (case, window)
}

#[tokio::test]
async fn a_case_is_tracked_with_its_number_and_a_second_factor_and_any_wrong_guess_gets_one_answer()
{
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13844440001", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;

        let (status, view, text) = track(app, &case, MOBILE).await;
        assert_eq!(status, 200, "{view}");
        assert_eq!(view["status"], "submitted");
        assert_eq!(view["status_label"], "已提交，待受理");
        assert_eq!(view["timeline"][0]["action"], "submit");
        assert_eq!(view["timeline"][0]["detail"], "网上提交");
        assert_eq!(view["deadlines"]["acceptance"]["limit_days"], 5);
        assert!(view["deadlines"]["acceptance"]["days_left"].is_i64());
        // Masked: the mobile number; a company's name is public registration data.
        assert_eq!(view["contact_mobile"], "138****8000");
        assert_eq!(view["applicant_name"], "某某水务建设有限公司");
        assert!(!text.contains(MOBILE) && !text.contains(CREDIT_CODE));
        assert_eq!(view["owner"], false);
        assert!(view["messages"].is_null() && view["notices"].is_null());

        // The receipt's code works as well, typed loosely.
        let code = tracking_code(app, &case).await;
        assert_eq!(code.len(), 8);
        let loose = format!(" {}-{} ", &code[..4], &code[4..]).to_lowercase();
        let (status, _, _) = track(app, &case, &loose).await;
        assert_eq!(status, 200);
        // By query parameter, as the API document says.
        let (status, _) = app
            .get_json(&format!("/api/v1/track/{case}?factor={MOBILE}"))
            .await;
        assert_eq!(status, 200);

        // A wrong factor, a number that does not exist, and garbage: one answer.
        // (Another ending than the case's own: a number may end in ZZ.)
        let ending = if case.ends_with("ZZ") { "YY" } else { "ZZ" };
        let missing = format!("{}{ending}", &case[..case.len() - 2]);
        let mut bodies = Vec::new();
        for (number, factor) in [
            (case.as_str(), "13900000000"),
            (missing.as_str(), MOBILE),
            ("not-a-number", MOBILE),
        ] {
            let (status, problem, _) = track(app, number, factor).await;
            assert_eq!(status, 404, "{number} {factor}");
            assert_eq!(problem["code"], "track_not_found");
            bodies.push(problem);
        }
        assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
    })
    .await;
}

#[tokio::test]
async fn repeated_failures_from_one_client_are_rate_limited_even_for_a_right_guess() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13844440002", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        for i in 0..3 {
            let (status, _, _) = track(app, &case, &format!("1390000000{i}")).await;
            assert_eq!(status, 404);
        }
        let response = app
            .client
            .get(format!("{}/api/v1/track/{case}", app.address))
            .header("x-track-factor", MOBILE)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 429);
        assert!(response.headers().contains_key("retry-after"));
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "too_many_attempts");

        // Counted per client: another address is not affected; and after the lock, ten
        // failures lock the client for half an hour.
        let now = Utc::now();
        let other = ClientKey("192.0.2.7".into());
        assert!(
            tracking::track(
                &app.db,
                &Default::default(),
                &case,
                Proof::Factor(MOBILE),
                &other,
                now
            )
            .await
            .is_ok()
        );
        let mut at = now;
        for _ in 0..10 {
            at += chrono::Duration::seconds(600);
            let _ = tracking::track(
                &app.db,
                &Default::default(),
                &case,
                Proof::Factor("wrong"),
                &other,
                at,
            )
            .await;
        }
        match tracking::track(
            &app.db,
            &Default::default(),
            &case,
            Proof::Factor(MOBILE),
            &other,
            at + chrono::Duration::seconds(60),
        )
        .await
        {
            Err(TrackError::TooMany(after)) => assert!(after > 1000, "{after}"),
            other => panic!("expected a lock, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn parallel_guesses_from_one_client_cannot_all_pass_and_right_ones_all_do() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13844440009", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let (cache, now) = (tracking::TrackCache::default(), Utc::now());
        let client = ClientKey("192.0.2.9".into());
        let right =
            futures_util::future::join_all((0..16).map(|_| {
                tracking::track(&app.db, &cache, &case, Proof::Factor(MOBILE), &client, now)
            }))
            .await;
        assert!(right.iter().all(Result::is_ok), "{right:?}");

        let guesses: Vec<String> = (0..12).map(|i| format!("139000001{i:02}")).collect();
        let wrong = futures_util::future::join_all(
            guesses
                .iter()
                .map(|g| tracking::track(&app.db, &cache, &case, Proof::Factor(g), &client, now)),
        )
        .await;
        let counted = wrong
            .iter()
            .filter(|r| matches!(r, Err(TrackError::NotFound)))
            .count();
        let refused = wrong
            .iter()
            .filter(|r| matches!(r, Err(TrackError::TooMany(_))))
            .count();
        // However they interleave, at most the three free failures are tried and every other
        // guess is refused. (A failure written while another guess reads the record may count
        // twice for it: the throttle errs on the side of waiting.)
        assert!(
            (1..=3).contains(&counted) && counted + refused == 12,
            "{wrong:?}"
        );
        // One at a time, what is left of the three is tried; then the free failures are used
        // up, and a right guess in the same second waits too.
        for g in 0..3 - counted {
            let guess = format!("139000002{g:02}");
            assert!(matches!(
                tracking::track(&app.db, &cache, &case, Proof::Factor(&guess), &client, now).await,
                Err(TrackError::NotFound)
            ));
        }
        assert!(matches!(
            tracking::track(&app.db, &cache, &case, Proof::Factor(MOBILE), &client, now).await,
            Err(TrackError::TooMany(1))
        ));
    })
    .await;
}

#[tokio::test]
async fn the_tracking_stream_tells_an_open_page_when_the_case_changes() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13844440003", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let window = staff_member(app, "sse", StaffRole::Window, "SWJ").await;
        // The factor never goes in the stream's address; a made-up or stale token is refused.
        let now = chrono::Utc::now().timestamp();
        for query in [
            "factor=13900000000".to_string(),
            format!("stream={}.0123456789abcdef0123456789abcdef", now + 3600),
            String::new(),
        ] {
            let wrong = app
                .get(&format!("/api/v1/track/{case}/events?{query}"))
                .await;
            assert!([400, 404].contains(&wrong.status().as_u16()), "{query}");
        }
        let (_, tracked, _) = track(app, &case, MOBILE).await;
        let token = tracked["stream"].as_str().unwrap().to_string();
        // A token the server itself made, for an hour ago: its MAC is right, its time is up.
        let expired = tracking::stream_token(
            &case_row(app, &case).await,
            chrono::Utc::now().timestamp() - 3600,
        );
        let stale = app
            .get(&format!("/api/v1/track/{case}/events?stream={expired}"))
            .await;
        assert_eq!(stale.status(), 404);
        // The applicant's own stream follows the session; another applicant's is not found.
        let stranger = applicant(app, "13844440013", "11010519491231002X").await;
        for (cookie, expected) in [(&me, 200), (&stranger, 404)] {
            let own = app
                .get_with(
                    cookie.as_str(),
                    &format!("/api/v1/applications/{case}/events"),
                )
                .await;
            assert_eq!(own.status(), expected);
        }
        let mut stream = app
            .client
            .get(format!(
                "{}/api/v1/track/{case}/events?stream={token}",
                app.address
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(stream.status(), 200);
        assert!(header_of(&stream, "content-type").starts_with("text/event-stream"));
        accept(app, &window, &case).await;
        let mut seen = String::new();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        while !seen.contains("event: changed") {
            let chunk = tokio::time::timeout_at(deadline, stream.chunk())
                .await
                .expect("no change event within 20 s")
                .unwrap()
                .expect("stream ended");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        let (_, now, _) = track(app, &case, MOBILE).await;
        assert!(
            seen.contains(&format!("data: {}", now["version"])),
            "{seen}"
        );
        assert_eq!(now["status"], "accepted");
    })
    .await;
}

#[tokio::test]
async fn a_special_procedure_and_the_one_extension_are_recorded_and_the_applicant_is_told() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let (case, window) = accepted_case(app, "13844440004").await;
        let (_, view) = review_case(app, &window, &case).await;
        let today = view["today"].as_str().unwrap().to_string();
        let decision = &view["deadlines"]["decision"];
        assert_eq!(decision["limit_days"], 7);
        assert_eq!(decision["days_left"], 7);
        assert_eq!(view["extension_days_allowed"], 10);

        // Checked by the same rules as the page.
        let version = view["version"].clone();
        assert_refused(act(
            app,
            &window,
            &case,
            "suspend",
            json!({"version": version, "procedure": "lunch", "reason": "", "start": "2099-01-01"}),
        )
        .await, &["unknown_procedure", "required", "in_the_future"]);
        let (status, notice) = act(
            app,
            &window,
            &case,
            "suspend",
            json!({"version": version, "procedure": "testing", "reason": "需对管材进行抽样检测", "start": today}),
        )
        .await;
        assert_eq!(status, 201, "{notice}");
        assert_eq!(notice["notice"]["kind"], "suspension");
        assert_eq!(notice["notice"]["procedure"], "检测");
        assert!(
            notice["notice"]["number"]
                .as_str()
                .unwrap()
                .contains("特字")
        );

        // The public sees the pause and its reason; the clock is paused.
        let (_, tracked, _) = track(app, &case, MOBILE).await;
        assert_eq!(tracked["status"], "suspended");
        assert_eq!(tracked["pauses"][0]["procedure"], "检测");
        assert_eq!(
            tracked["pauses"][0]["reason"],
            "检测：需对管材进行抽样检测（自 ".to_string() + &today + " 起暂停计时）"
        );
        assert_eq!(tracked["deadlines"]["decision"]["paused"], true);

        // A second one cannot start; the extension waits until the clock runs.
        let (_, view) = review_case(app, &window, &case).await;
        let (status, _) = act(
            app,
            &window,
            &case,
            "extend",
            json!({"version": view["version"], "approver": "王局长", "reason": "需征求意见"}),
        )
        .await;
        assert_eq!(status, 409, "suspended cases are not extended");
        let (status, problem) = act(
            app,
            &window,
            &case,
            "resume",
            json!({"version": view["version"], "end": "2020-01-01"}),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(problem["errors"][0]["code"], "before_start");
        let (status, notice) = act(
            app,
            &window,
            &case,
            "resume",
            json!({"version": view["version"], "end": today}),
        )
        .await;
        assert_eq!(status, 201, "{notice}");
        assert_eq!(notice["notice"]["kind"], "resumption");

        // A special procedure is part of the review: the case comes back in review.
        let (_, view) = review_case(app, &window, &case).await;
        assert_eq!(view["application"]["status"], "in_review");
        let (status, notice) = act(
            app,
            &window,
            &case,
            "extend",
            json!({"version": view["version"], "approver": "王局长", "reason": "需征求相关部门意见"}),
        )
        .await;
        assert_eq!(status, 201, "{notice}");
        assert_eq!(notice["notice"]["extension_days"], 10);
        assert_eq!(notice["notice"]["approver"], "王局长");
        let (_, view) = review_case(app, &window, &case).await;
        assert_eq!(view["deadlines"]["decision"]["limit_days"], 17);
        assert_eq!(view["deadlines"]["extension_days"], 10);
        let (status, problem) = act(
            app,
            &window,
            &case,
            "extend",
            json!({"version": view["version"], "approver": "王局长", "reason": "再延"}),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(problem["errors"][0]["code"], "already_extended");
        let (_, tracked, _) = track(app, &case, MOBILE).await;
        assert_eq!(tracked["extension"]["days"], 10);

        // Only acting roles record them.
        let reviewer = staff_member(app, "rev", StaffRole::Reviewer, "SWJ").await;
        let (status, _) = act(
            app,
            &reviewer,
            &case,
            "suspend",
            json!({"version": view["version"], "procedure": "testing", "reason": "x", "start": today}),
        )
        .await;
        assert_eq!(status, 403);

        // Every step wrote the applicant's messages: in-site (delivered by being stored) and
        // SMS (delivered by the sender, once).
        let id = case_row(app, &case).await.id;
        let site = notification::Entity::find()
            .filter(notification::Column::ApplicationId.eq(id))
            .filter(notification::Column::Channel.eq("site"))
            .filter(notification::Column::Audience.eq("applicant"))
            .count(&app.db)
            .await
            .unwrap();
        // submit, accept, suspend, resume, extend.
        assert_eq!(site, 5);
        let pending = notification::Entity::find()
            .filter(notification::Column::ApplicationId.eq(id))
            .filter(notification::Column::Channel.eq("sms"))
            .filter(notification::Column::Status.eq("pending"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(pending, 5);
        let (a, b) = tokio::join!(
            deliver_pending(&app.db, &[&LogSender], Utc::now()),
            deliver_pending(&app.db, &[&LogSender], Utc::now())
        );
        assert_eq!(a.unwrap() + b.unwrap(), 5);
        let sent = notification::Entity::find()
            .filter(notification::Column::ApplicationId.eq(id))
            .filter(notification::Column::Channel.eq("sms"))
            .all(&app.db)
            .await
            .unwrap();
        assert!(sent.iter().all(|n| n.status == "sent"
            && n.sender.as_deref() == Some("log")
            && n.recipient == MOBILE
            && n.attempts == 1));
    })
    .await;
}

#[tokio::test]
async fn the_warning_ladder_warns_once_per_rung_even_from_two_instances_and_the_board_shows_it() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let (case, window) = accepted_case(app, "13844440005").await;
        let (_, view) = review_case(app, &window, &case).await;
        let due = Date::parse_iso(view["deadlines"]["decision"]["due"].as_str().unwrap()).unwrap();
        let cal = calendar::load(&app.db).await.unwrap();
        // The day with five working days left, the due day, and the next working day.
        let mut five_left = due;
        while cal.working_days_between(five_left, due).unwrap() < 5 {
            five_left = five_left.add_days(-1);
        }
        let mut after = due.add_days(1);
        while !cal.is_working_day(after).unwrap() {
            after = after.add_days(1);
        }
        let at = |d: Date| {
            Utc.with_ymd_and_hms(d.year(), d.month().into(), d.day().into(), 2, 0, 0)
                .unwrap()
        };
        let mut raised = Vec::new();
        for day in [five_left, five_left, due, due, after] {
            let (a, b) = tokio::join!(
                raise_warnings(&app.db, at(day)),
                raise_warnings(&app.db, at(day))
            );
            raised.push(a.unwrap() + b.unwrap());
        }
        // Once per rung; the supervision rung again the next day (overdue is never hidden).
        assert_eq!(raised, [1, 0, 1, 0, 1]);

        let chief = staff_member(app, "chief", StaffRole::Chief, "SWJ").await;
        let (status, board) = get_as(app, &chief, "/api/v1/supervision/board").await;
        assert_eq!(status, 200, "{board}");
        let warnings = board["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), 3);
        assert_eq!(warnings[0]["level"], "supervision");
        assert_eq!(warnings[0]["days_left"], -1);
        assert!(warnings[0]["message"].as_str().unwrap().contains("已超过"));
        assert_eq!(warnings[2]["level"], "department");
        assert_eq!(board["cases"][0]["case_number"], case.as_str());
        assert_eq!(
            board["total"]["amber"].as_u64().unwrap()
                + board["total"]["green"].as_u64().unwrap()
                + board["total"]["red"].as_u64().unwrap()
                + board["total"]["overdue"].as_u64().unwrap(),
            1
        );
        let id = warnings[0]["id"].as_i64().unwrap();
        for _ in 0..2 {
            let (status, _) = post_empty(
                app,
                &chief,
                &format!("/api/v1/supervision/warnings/{id}/seen"),
            )
            .await;
            assert_eq!(status, 204);
        }
        let (_, board) = get_as(app, &chief, "/api/v1/supervision/board").await;
        assert_eq!(board["warnings"][0]["seen_by"].as_array().unwrap().len(), 1);
        assert_eq!(board["warnings"][0]["seen_by_me"], true);
        assert_eq!(board["warnings"][1]["seen_by_me"], false);

        // Window staff do not get the board; another department's staff cannot mark it.
        let (status, problem) = get_as(app, &window, "/api/v1/supervision/board").await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("not_permitted"))
        );
        // Nor may they mark its warnings seen.
        let (status, problem) = post_empty(
            app,
            &window,
            &format!("/api/v1/supervision/warnings/{id}/seen"),
        )
        .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("not_permitted"))
        );
        let other = staff_member(app, "zjj", StaffRole::Chief, "ZJJ").await;
        let (status, _) = post_empty(
            app,
            &other,
            &format!("/api/v1/supervision/warnings/{id}/seen"),
        )
        .await;
        assert_eq!(status, 404);

        // The warnings went to the department and its supervisors, in-site.
        let staff_messages = notification::Entity::find()
            .filter(notification::Column::Audience.eq("staff"))
            .all(&app.db)
            .await
            .unwrap();
        assert!(
            staff_messages
                .iter()
                .any(|m| m.recipient == "supervisors:SWJ")
        );
    })
    .await;
}

#[tokio::test]
async fn a_special_procedure_back_dated_on_an_overdue_case_needs_a_recorded_correction() {
    on_every_backend(async |app| {
        let (case, window) = accepted_case(app, "13844440006").await;
        // Received and accepted 40 days ago: the 7-working-day decision limit has run out.
        let id = case_row(app, &case).await.id;
        for event in case_event::Entity::find()
            .filter(case_event::Column::ApplicationId.eq(id))
            .all(&app.db)
            .await
            .unwrap()
        {
            case_event::Entity::update_many()
                .col_expr(
                    case_event::Column::At,
                    Expr::value(event.at - chrono::Duration::days(40)),
                )
                .filter(case_event::Column::Id.eq(event.id))
                .exec(&app.db)
                .await
                .unwrap();
        }
        let (_, view) = review_case(app, &window, &case).await;
        let decision = &view["deadlines"]["decision"];
        assert!(decision["days_left"].as_i64().unwrap() < 0, "{decision}");
        let accepted = Date::parse_iso(decision["started_on"].as_str().unwrap()).unwrap();
        let start = accepted.add_days(1).to_string();

        // Back-dating the start into the limit would erase the overdue days: refused.
        let body = |correction: &str| {
            json!({"version": view["version"], "procedure": "hearing", "reason": "申请人要求听证",
                "start": start, "correction": correction})
        };
        assert_refused(
            act(app, &window, &case, "suspend", body("")).await,
            &["overdue_needs_correction"],
        );
        let (_, tracked, _) = track(app, &case, MOBILE).await;
        assert_eq!(tracked["status"], "accepted");

        // As a correction it stands, and the history says so for everyone to see.
        let (status, notice) = act(
            app,
            &window,
            &case,
            "suspend",
            body("听证申请当日已受理，漏登；经王科长批准更正"),
        )
        .await;
        assert_eq!(status, 201, "{notice}");
        let row = case_event::Entity::find()
            .filter(case_event::Column::ApplicationId.eq(id))
            .filter(case_event::Column::Action.eq("suspend"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(row.detail.as_deref().unwrap().contains("经王科长批准更正"));
        let (_, tracked, _) = track(app, &case, MOBILE).await;
        let reason = tracked["pauses"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("更正补录：听证申请当日已受理"), "{reason}");
    })
    .await;
}

#[tokio::test]
async fn a_message_left_sending_by_a_crashed_sender_is_sent_once_its_lease_runs_out() {
    on_every_backend(async |app| {
        let (case, _) = accepted_case(app, "13844440007").await;
        let id = case_row(app, &case).await.id;
        let sms = notification::Entity::find()
            .filter(notification::Column::ApplicationId.eq(id))
            .filter(notification::Column::Channel.eq("sms"))
            .all(&app.db)
            .await
            .unwrap();
        assert!(sms.len() >= 2, "{sms:?}");
        let now = Utc::now();
        // One sender took both and died: one lease ran out a minute ago, one still runs.
        for (message, until) in [
            (&sms[0], now - chrono::Duration::minutes(1)),
            (&sms[1], now + chrono::Duration::minutes(1)),
        ] {
            notification::Entity::update_many()
                .col_expr(notification::Column::Status, Expr::value("sending"))
                .col_expr(notification::Column::Attempts, Expr::value(1))
                .col_expr(notification::Column::ClaimedUntil, Expr::value(Some(until)))
                .filter(notification::Column::Id.eq(message.id))
                .exec(&app.db)
                .await
                .unwrap();
        }
        deliver_pending(&app.db, &[&LogSender], now).await.unwrap();
        let read = async |message: &notification::Model| {
            notification::Entity::find_by_id(message.id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
        };
        let expired = read(&sms[0]).await;
        assert_eq!((expired.status.as_str(), expired.attempts), ("sent", 2));
        assert_eq!(expired.claimed_until, None);
        assert_eq!(read(&sms[1]).await.status, "sending");
        // Its lease runs out too, and then it goes.
        deliver_pending(&app.db, &[&LogSender], now + chrono::Duration::minutes(2))
            .await
            .unwrap();
        assert_eq!(read(&sms[1]).await.status, "sent");
    })
    .await;
}

#[tokio::test]
async fn live_streams_are_capped_per_client_and_end_with_the_session() {
    on_every_backend(async |app| {
        let me = applicant(app, "13844440008", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let (_, tracked, _) = track(app, &case, MOBILE).await;
        let token = tracked["stream"].as_str().unwrap().to_string();
        // Each backend's run stands for its own clients (the cap is per instance).
        let offset = if matches!(app.backend, crate::helpers::Backend::Sqlite) {
            0
        } else {
            100
        };
        let client = |n: u8| format!("198.51.100.{}", n + offset);
        let open = async |from: &str| {
            app.client
                .get(format!(
                    "{}/api/v1/track/{case}/events?stream={token}",
                    app.address
                ))
                .header("x-forwarded-for", from)
                .send()
                .await
                .unwrap()
        };
        let mut held = Vec::new();
        for _ in 0..8 {
            let stream = open(&client(30)).await;
            assert_eq!(stream.status(), 200);
            held.push(stream);
        }
        let refused = open(&client(30)).await;
        assert_eq!(refused.status(), 429);
        // The streams of one case share one poll, and a step reaches every one of them.
        let id = case_row(app, &case).await.id;
        {
            let watched = app.watched.lock().unwrap();
            assert_eq!(watched.len(), 1);
            assert!(watched.get(&id).is_some_and(|rx| rx.has_changed().is_ok()));
        }
        let window = staff_member(app, "w08", StaffRole::Window, "SWJ").await;
        accept(app, &window, &case).await;
        for stream in held.iter_mut().take(3) {
            let told = tokio::time::timeout(std::time::Duration::from_secs(10), async {
                let mut seen = String::new();
                while let Some(chunk) = stream.chunk().await.unwrap() {
                    seen.push_str(&String::from_utf8_lossy(&chunk));
                    if seen.contains("event: changed") {
                        return true;
                    }
                }
                false
            })
            .await;
            assert_eq!(told, Ok(true));
        }
        assert_eq!(
            open(&client(31)).await.status(),
            200,
            "another client is not held up"
        );
        // A closed page gives its place back.
        drop(held.pop());
        let mut freed = false;
        for _ in 0..50 {
            let again = open(&client(30)).await;
            if again.status() == 200 {
                freed = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(freed, "a closed stream's place is given back");
        drop(held);
        // With the last stream of the case closed, its poll stops.
        let mut stopped = false;
        for _ in 0..50 {
            if app.watched.lock().unwrap().is_empty() {
                stopped = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(stopped, "the poll outlived the streams");

        // The applicant's own stream ends when they log out.
        let mut own = app
            .get_with(me.as_str(), &format!("/api/v1/applications/{case}/events"))
            .await;
        assert_eq!(own.status(), 200);
        let (status, _) = post_empty(app, &me, "/api/v1/auth/logout").await;
        assert!([200, 204].contains(&status), "{status}");
        let ended = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while own.chunk().await.unwrap().is_some() {}
        })
        .await;
        assert!(ended.is_ok(), "the stream outlived the logout");
    })
    .await;
}

#[tokio::test]
async fn an_unverified_contact_number_gets_at_most_its_daily_share_of_messages() {
    on_every_backend(async |app| {
        use app::server::notify::MAX_PER_RECIPIENT_PER_DAY;
        use sea_orm::{ActiveModelTrait, Set};
        let me = applicant(app, "13844440009", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let id = case_row(app, &case).await.id;
        let sms_to = async || {
            notification::Entity::find()
                .filter(notification::Column::Recipient.eq(MOBILE))
                .filter(notification::Column::Channel.eq("sms"))
                .count(&app.db)
                .await
                .unwrap()
        };
        let site = async || {
            notification::Entity::find()
                .filter(notification::Column::ApplicationId.eq(id))
                .filter(notification::Column::Channel.eq("site"))
                .count(&app.db)
                .await
                .unwrap()
        };
        // Someone has typed this number into many applications today.
        let already = sms_to().await;
        for _ in already..MAX_PER_RECIPIENT_PER_DAY {
            notification::ActiveModel {
                application_id: Set(Some(id)),
                audience: Set("applicant".into()),
                channel: Set("sms".into()),
                recipient: Set(MOBILE.into()),
                subject: Set("x".into()),
                body: Set("x".into()),
                status: Set("sent".into()),
                attempts: Set(1),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
        let site_before = site().await;
        let window = staff_member(app, "w09", StaffRole::Window, "SWJ").await;
        accept(app, &window, &case).await;
        // The acceptance is told in-site; no further SMS to that number today.
        assert_eq!(sms_to().await, MAX_PER_RECIPIENT_PER_DAY);
        assert_eq!(site().await, site_before + 1);
    })
    .await;
}

/// Moves a case's receipt (the row and its history) to another moment, for rules that count
/// from it.
pub async fn backdate_receipt(app: &TestApp, case: &str, at: chrono::DateTime<Utc>) {
    let row = case_row(app, case).await;
    application::Entity::update_many()
        .col_expr(application::Column::ReceivedAt, Expr::value(at))
        .col_expr(application::Column::SubmittedAt, Expr::value(at))
        .filter(application::Column::Id.eq(row.id))
        .exec(&app.db)
        .await
        .unwrap();
    case_event::Entity::update_many()
        .col_expr(case_event::Column::At, Expr::value(at))
        .filter(case_event::Column::ApplicationId.eq(row.id))
        .filter(case_event::Column::Action.eq("submit"))
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn administrators_enter_a_years_holidays_and_the_calendar_counts_with_them() {
    on_every_backend(async |app| {
        let admin = staff_member(app, "admin", StaffRole::Admin, "ZJJ").await;
        let window = staff_member(app, "w2027", StaffRole::Window, "SWJ").await;
        let body = json!({"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
            "days_off": "2027-01-01\n2027-02-06~2027-02-12", "extra_working_days": "2027-02-14"});
        let enter = async |who: &str, year: u16, body: Value| {
            let path = format!("/api/v1/admin/calendar/{year}");
            call(app, Method::PUT, &path, Some(who), Some(body)).await
        };
        let day_after = async || {
            let path = "/api/v1/calendar/add?from=2027-02-05&days=1";
            call(app, Method::GET, path, None, None).await
        };
        let (status, problem) = day_after().await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (422, Some("calendar_year_missing"))
        );
        let (status, problem) = enter(&window, 2027, body.clone()).await;
        assert_eq!((status, problem["code"].as_str()), (403, Some("admin_only")));
        let wrong = json!({"year": 2027, "source": "", "days_off": "2027-02-30", "extra_working_days": "2027-02-15"});
        assert_refused(enter(&admin, 2027, wrong).await, &["required", "invalid_date", "not_a_weekend"]);
        let (status, problem) = enter(&admin, 2028, body.clone()).await;
        assert_eq!(
            (status, problem["errors"][0]["code"].as_str()),
            (422, Some("year_mismatch"))
        );
        let (status, year) = enter(&admin, 2027, body).await;
        assert_eq!(status, 200, "{year}");
        assert_eq!(year["days_off"].as_array().unwrap().len(), 8);
        // Friday 2027-02-05 + 1 working day: the swapped Sunday 2/14 (2/6–2/12 off, 2/13 a
        // Saturday).
        assert_eq!(day_after().await.1["due"], "2027-02-14");
        // Replaced as a whole, never merged.
        let correction = json!({"year": 2027, "source": "更正", "days_off": "2027-01-01", "extra_working_days": ""});
        assert_eq!(enter(&admin, 2027, correction).await.0, 200);
        let (_, years) = call(app, Method::GET, "/api/v1/calendar/years", None, None).await;
        let years = years.as_array().unwrap();
        assert_eq!(years.len(), 2);
        assert_eq!(years[1]["source"], "更正");
        assert_eq!(years[1]["days_off"], json!(["2027-01-01"]));
        assert_eq!(years[1]["extra_working_days"], json!([]));
    })
    .await;
}

/// A one-connection SMTP server that accepts whatever it is sent and hands back the
/// transcript.
async fn smtp_sink() -> (String, tokio::task::JoinHandle<String>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let handle = tokio::spawn(async move {
        let (socket, _) = listener.accept().await.unwrap();
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
        let mut transcript = String::new();
        let mut in_data = false;
        while let Ok(Some(line)) = lines.next_line().await {
            transcript.push_str(&line);
            transcript.push('\n');
            let reply: &[u8] = if in_data {
                if line != "." {
                    continue;
                }
                in_data = false;
                b"250 queued\r\n"
            } else {
                match line.to_uppercase().get(..4) {
                    Some("EHLO") | Some("HELO") => b"250 sink\r\n",
                    Some("DATA") => {
                        in_data = true;
                        b"354 go on\r\n"
                    }
                    Some("QUIT") => {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    }
                    _ => b"250 ok\r\n",
                }
            };
            write.write_all(reply).await.unwrap();
        }
        transcript
    });
    (url, handle)
}

#[tokio::test]
async fn an_applicant_who_gave_an_email_address_gets_the_notices_by_smtp_too() {
    use crate::review::submitted_case_of;
    use crate::submission::company;
    use app::server::notify::SmtpSender;
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        let me = applicant(app, "13844440006", "11010519491231002X").await;
        let mut who = company(CREDIT_CODE);
        who["values"]["contact_email"] = json!("li@example.com");
        submitted_case_of(app, &me, who, true).await;

        // No server listening: the e-mail stays pending with the error, to be retried.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("smtp://{}", l.local_addr().unwrap())
        };
        let down = SmtpSender::new(&closed, "一窗通办 <noreply@example.gov.cn>").unwrap();
        assert_eq!(
            deliver_pending(&app.db, &[&down], Utc::now())
                .await
                .unwrap(),
            0
        );
        let email = notification::Entity::find()
            .filter(notification::Column::Channel.eq("email"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((email.status.as_str(), email.attempts), ("pending", 1));
        assert!(email.error.is_some());

        // With the server up: the e-mail by SMTP, the SMS by the log sender.
        let (url, transcript) = smtp_sink().await;
        let smtp = SmtpSender::new(&url, "一窗通办 <noreply@example.gov.cn>").unwrap();
        assert_eq!(
            deliver_pending(&app.db, &[&smtp, &LogSender], Utc::now())
                .await
                .unwrap(),
            2
        );
        let transcript = transcript.await.unwrap();
        assert!(
            transcript.contains("RCPT TO:<li@example.com>"),
            "{transcript}"
        );
        assert!(
            transcript.contains("MAIL FROM:<noreply@example.gov.cn>"),
            "{transcript}"
        );
        let sent = notification::Entity::find()
            .filter(notification::Column::Channel.is_in(["email", "sms"]))
            .all(&app.db)
            .await
            .unwrap();
        let by = |channel: &str| {
            sent.iter()
                .find(|n| n.channel == channel)
                .map(|n| (n.status.clone(), n.sender.clone()))
                .unwrap()
        };
        assert_eq!(by("email"), ("sent".into(), Some("smtp".into())));
        assert_eq!(by("sms"), ("sent".into(), Some("log".into())));
    })
    .await;
}

/// A full-width digit (as a Chinese input method types it) in a case number used to panic the
/// handler and close the connection; now it is an unknown number like any other.
#[tokio::test]
async fn a_case_number_with_a_full_width_digit_is_not_found() {
    on_every_backend(async |app| {
        let (status, problem) = app
            .get_json(&format!(
                "/api/v1/track/OW2026112%EF%BC%9912345678?factor={MOBILE}"
            ))
            .await;
        assert_eq!(status, 404, "{problem}");
        assert_eq!(problem["code"], "track_not_found");
    })
    .await;
}

/// The calendar and the names a lookup shows come from memory, and an administrator's change
/// (a catalog import, a department renamed in place, a calendar year) is seen by the very
/// next lookup: the cache is checked
/// against the database each time, so another instance's change counts as well. Without the
/// stamp check the renamed item would still show its old name.
#[tokio::test]
async fn tracking_keeps_reference_data_in_memory_and_sees_a_change_at_once() {
    use std::sync::Arc;
    on_every_backend(async |app| {
        let me = applicant(app, "13800138071", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let cache = tracking::TrackCache::default();
        let reference = &cache.reference;
        let client = ClientKey("192.0.2.31".into());
        let now = Utc::now();
        let seen = tracking::track(&app.db, &cache, &case, Proof::Factor(MOBILE), &client, now)
            .await
            .unwrap();
        let first = reference.get(&app.db).await.unwrap();
        assert!(
            Arc::ptr_eq(&first, &reference.get(&app.db).await.unwrap()),
            "nothing changed: the same copy"
        );
        assert_eq!(first.item_names.get("SWJ-XK-001"), Some(&seen.title));
        assert!(!seen.department_name.is_empty());

        // The item renamed by a catalog import: the next lookup shows the new name.
        crate::helpers::rename_item(app, "SWJ-XK-001").await;
        let renamed = tracking::track(&app.db, &cache, &case, Proof::Factor(MOBILE), &client, now)
            .await
            .unwrap();
        assert_eq!(renamed.title, format!("{}（新）", seen.title));

        // Departments renamed in place, with no import and no row added or removed: seen at
        // once as well, since the database moves the stamp on any change to those tables.
        use app::server::entities::department;
        department::Entity::update_many()
            .col_expr(
                department::Column::Name,
                Expr::value("市行政审批服务局（更名）"),
            )
            .exec(&app.db)
            .await
            .unwrap();
        let moved = tracking::track(&app.db, &cache, &case, Proof::Factor(MOBILE), &client, now)
            .await
            .unwrap();
        assert_eq!(moved.department_name, "市行政审批服务局（更名）");

        // A calendar year entered: the next read has it.
        let year = Date::in_china_at(now.timestamp()).year() + 3;
        let day = Date::parse_iso(&format!("{year}-03-02")).unwrap();
        let loaded = async || {
            let held = reference.get(&app.db).await.unwrap();
            held.calendar.is_working_day(day).is_ok()
        };
        assert!(!loaded().await);
        calendar::import(
            &app.db,
            &app::domain::calendar::ArrangementForm {
                year,
                source: "国务院办公厅通知".into(),
                days_off: format!("{year}-01-01"),
                extra_working_days: String::new(),
            },
            now,
        )
        .await
        .unwrap();
        assert!(loaded().await);
    })
    .await;
}

/// Another writer moves the case to status `to` (as another instance would: not through
/// this server).
async fn moved_elsewhere(app: &TestApp, case: &str, to: &str) {
    use sea_orm::ExprTrait;
    application::Entity::update_many()
        .col_expr(application::Column::Status, Expr::value(to))
        .col_expr(
            application::Column::Version,
            Expr::col(application::Column::Version).add(1),
        )
        .filter(application::Column::CaseNumber.eq(case))
        .exec(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_repeated_lookup_is_answered_from_memory_until_the_database_tells_of_a_change() {
    use sea_orm::ConnectionTrait;
    on_every_backend(async |app| {
        let me = applicant(app, "13800138072", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let postgres = matches!(app.backend, crate::helpers::Backend::Postgres(_));
        assert_eq!(crate::helpers::listening(app).await, postgres);
        let status = async || {
            let (code, view, text) = track(app, &case, MOBILE).await;
            assert_eq!(code, 200, "{text}");
            view["status"].as_str().unwrap().to_string()
        };
        let moved = async |to: &str| moved_elsewhere(app, &case, to).await;
        assert_eq!(status().await, "submitted");
        if postgres {
            // With the database's notice switched off, the change goes unheard: the answer
            // is the one remembered, so it came from memory.
            let notice =
                |on: &str| format!("ALTER TABLE application {on} TRIGGER application_notice");
            app.db.execute_unprepared(&notice("DISABLE")).await.unwrap();
            moved("accepted").await;
            assert_eq!(status().await, "submitted");
            app.db.execute_unprepared(&notice("ENABLE")).await.unwrap();
            // Any request that may write, here one refused, ends what this instance
            // remembers before its answer leaves.
            let (code, _) = call(
                app,
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({})),
            )
            .await;
            assert!(code >= 400);
            assert_eq!(status().await, "accepted");
        }
        // Heard: another writer's change is seen as soon as the database's notice arrives.
        moved("in_review").await;
        let seen = crate::helpers::seen_soon(app, status, |s| s == "in_review").await;
        assert_eq!(seen, "in_review");
    })
    .await;
}

/// The listening connection lost (PostgreSQL restarted, a proxy cut it): nothing is
/// remembered while it is down, it is opened again by itself, and a change made before,
/// whose notice it never heard, is not served from what it remembered.
#[tokio::test]
async fn a_lost_listening_connection_comes_back_and_nothing_missed_meanwhile_is_served() {
    use app::server::services::changes::Kind;
    use sea_orm::{ConnectionTrait, Statement};
    on_every_backend(async |app| {
        if !matches!(app.backend, crate::helpers::Backend::Postgres(_)) {
            return; // SQLite: nothing is heard, nothing remembered
        }
        let me = applicant(app, "13800138073", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        assert!(crate::helpers::listening(app).await);
        let status = async || track(app, &case, MOBILE).await.1["status"].clone();
        assert_eq!(status().await, "submitted");
        // A change whose notice nobody hears (the trigger off), as if sent while the
        // connection was down.
        let run = async |sql: &str| {
            app.db
                .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
                .await
                .unwrap()
        };
        run("ALTER TABLE application DISABLE TRIGGER application_notice").await;
        moved_elsewhere(app, &case, "accepted").await;
        run("ALTER TABLE application ENABLE TRIGGER application_notice").await;
        assert_eq!(status().await, "submitted", "unheard: from memory");
        // The server's listening connection is the one whose last statement was LISTEN.
        let before = app.track.changes.epoch(Kind::Cases);
        let cut = run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%'")
        .await;
        assert_eq!(cut.len(), 1, "one listening connection");
        // Down, then up again: a new epoch (nothing else moves it here).
        let again = crate::helpers::seen_soon(
            app,
            async || app.track.changes.epoch(Kind::Cases),
            |epoch| epoch.is_some() && *epoch != before,
        )
        .await;
        assert!(again.is_some() && again != before, "listening again");
        // Once back, what was remembered before the loss holds no more: read, not recalled.
        assert_eq!(status().await, "accepted");
    })
    .await;
}
