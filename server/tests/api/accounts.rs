//! Applicant accounts over the JSON API, on every backend.

use app::domain::account::{LOCK_AFTER_FAILURES, RegistrationForm};
use app::domain::review::StaffRole;
use app::server::client::ClientKey;
use app::server::entities::{account, login_throttle, session};
use app::server::services::{accounts, staff};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, get_as, header_of, on_every_empty_backend, spawn_empty};
use crate::review::staff_member;

/// Registers 张三 over the API.
async fn register_zhang_san(app: &TestApp) {
    let response = post(app, "/api/v1/auth/register", &zhang_san(), None).await;
    assert_eq!(response.status(), 201);
}

/// The client the test's HTTP requests come from (the loopback peer).
fn local() -> ClientKey {
    ClientKey("127.0.0.1".into())
}

/// Failures counted under a throttle key.
async fn failures(app: &TestApp, key: &str) -> i32 {
    login_throttle::Entity::find()
        .filter(login_throttle::Column::Mobile.eq(key))
        .one(&app.db)
        .await
        .unwrap()
        .map_or(0, |t| t.failures)
}

fn zhang_san() -> Value {
    json!({"mobile": "13812345678", "password": "shigong2026", "name": "张三", "id_number": "11010519491231002X"})
}

async fn post(app: &TestApp, path: &str, body: &Value, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.post(format!("{}{path}", app.address)).json(body);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    request.send().await.expect("request")
}

async fn me(app: &TestApp, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(format!("{}/api/v1/auth/me", app.address));
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    request.send().await.expect("request")
}

/// The `name=value` part of the session cookie a response sets.
fn session_cookie(response: &reqwest::Response) -> String {
    let set = header_of(response, "set-cookie").to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn an_applicant_registers_logs_in_sees_their_account_and_logs_out() {
    on_every_empty_backend(async |app| {
        let response = post(app, "/api/v1/auth/register", &zhang_san(), None).await;
        assert_eq!(response.status(), 201, "{:?}", app.backend);
        let account: Value = response.json().await.unwrap();
        assert_eq!(account["mobile"], "138****5678", "numbers are masked");
        assert_eq!(account["id_number"], "1101**********002X");

        let response = post(
            app,
            "/api/v1/auth/login",
            &json!({"mobile": "138 1234 5678", "password": "shigong2026"}),
            None,
        )
        .await;
        assert_eq!(response.status(), 200);
        let cookie = session_cookie(&response);

        let response = me(app, Some(&cookie)).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.json::<Value>().await.unwrap()["name"], "张三");

        let response = post(app, "/api/v1/auth/logout", &json!({}), Some(&cookie)).await;
        assert_eq!(response.status(), 204);
        assert!(header_of(&response, "set-cookie").contains("Max-Age=0"));
        assert_eq!(
            me(app, Some(&cookie)).await.status(),
            401,
            "the session is gone"
        );
        assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn a_bad_registration_lists_every_problem_and_writes_nothing() {
    on_every_empty_backend(async |app| {
        let bad = json!({"mobile": "12345", "password": "abc", "name": "", "id_number": "110105194912310021"});
        let response = post(app, "/api/v1/auth/register", &bad, None).await;
        assert_eq!(response.status(), 422);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "validation_failed");
        let fields: Vec<(&str, &str)> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("mobile", "mobile_format"),
                ("password", "password_length"),
                ("name", "required"),
                ("id_number", "id_card_checksum")
            ]
        );
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("手机号码")
        );
        assert_eq!(applicant_accounts(app).await, 0, "{:?}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn malformed_or_mistyped_json_is_a_400_not_a_500() {
    on_every_empty_backend(async |app| {
        for body in [
            "{\"mobile\": ",
            "[]",
            "[\"13812345678\", \"shigong2026\", \"张三\", \"11010519491231002X\"]",
            "{\"mobile\": 13812345678, \"password\": 1, \"name\": 2, \"id_number\": 3}",
            "",
        ] {
            let response = app
                .client
                .post(format!("{}/api/v1/auth/register", app.address))
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 400, "{body}");
            assert_eq!(
                response.json::<Value>().await.unwrap()["code"],
                "invalid_json"
            );
        }
        let response = app
            .client
            .post(format!("{}/api/v1/auth/login", app.address))
            .body("mobile=1")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "no JSON content type");
    })
    .await;
}

#[tokio::test]
async fn a_number_registers_once() {
    on_every_empty_backend(async |app| {
        register_zhang_san(app).await;
        let response = post(app, "/api/v1/auth/register", &zhang_san(), None).await;
        assert_eq!(response.status(), 409);
        assert_eq!(
            response.json::<Value>().await.unwrap()["code"],
            "mobile_taken"
        );
        assert_eq!(applicant_accounts(app).await, 1, "{:?}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn failed_logins_look_the_same_for_unknown_numbers_and_end_in_a_lock() {
    on_every_empty_backend(async |app| {
        register_zhang_san(app).await;
        let log_in = async |mobile: &str, password: &str| {
            let body = json!({"mobile": mobile, "password": password});
            post(app, "/api/v1/auth/login", &body, None).await
        };
        let mut bodies = Vec::new();
        for mobile in ["13812345678", "13900000000"] {
            // The free attempts, over HTTP.
            for _ in 0..app::domain::account::FREE_LOGIN_ATTEMPTS {
                let response = log_in(mobile, "wrong-pass1").await;
                assert_eq!(response.status(), 401, "{mobile}");
                bodies.push(response.json::<Value>().await.unwrap());
            }
            // Then patient guessing, each attempt after the required wait, up to the lock.
            // (The wait ladder itself is unit-tested in domain::account with exact times.)
            let start = chrono::Utc::now();
            for i in 1..=(app::domain::account::LOCK_AFTER_FAILURES
                - app::domain::account::FREE_LOGIN_ATTEMPTS)
            {
                let at = start + chrono::Duration::seconds(i64::from(i) * 100);
                let result = accounts::login(&app.db, mobile, "wrong-pass1", &local(), at).await;
                assert!(
                    matches!(result, Err(accounts::AccountError::InvalidCredentials)),
                    "{mobile}: {result:?}"
                );
            }
            // Locked now, even with the right password, registered number or not.
            let response = log_in(mobile, "shigong2026").await;
            assert_eq!(response.status(), 429, "{mobile} {:?}", app.backend);
            assert!(response.headers().get("retry-after").is_some());
            assert_eq!(
                response.json::<Value>().await.unwrap()["code"],
                "too_many_attempts"
            );
        }
        assert!(
            bodies.windows(2).all(|w| w[0] == w[1]),
            "the error never says whether the number exists"
        );
        assert_eq!(bodies[0]["code"], "invalid_credentials");
    })
    .await;
}

#[tokio::test]
async fn a_session_expires_after_thirty_idle_minutes() {
    on_every_empty_backend(async |app| {
        let now = chrono::Utc::now();
        let form = serde_json::from_value(zhang_san()).unwrap();
        accounts::register(&app.db, &form, &local(), now)
            .await
            .unwrap();
        let (token, _) = accounts::login(&app.db, "13812345678", "shigong2026", &local(), now)
            .await
            .unwrap();
        let signed_in = async |at| {
            accounts::authenticate(&app.db, &token, at)
                .await
                .unwrap()
                .is_some()
        };
        let later = now + chrono::Duration::minutes(29);
        assert!(signed_in(later).await, "still in use");
        // That use counts: the thirty minutes run again from it.
        let later = later + chrono::Duration::minutes(29);
        assert!(
            signed_in(later).await,
            "each use starts the thirty minutes again"
        );
        let idle = later + chrono::Duration::minutes(30);
        assert!(!signed_in(idle).await, "{:?}", app.backend);
        assert_eq!(
            session::Entity::find().count(&app.db).await.unwrap(),
            0,
            "the expired session is deleted"
        );
    })
    .await;
}

#[tokio::test]
async fn requests_without_a_valid_session_are_401() {
    let app = spawn_empty(&backends()[0]).await;
    assert_eq!(me(&app, None).await.status(), 401);
    let response = me(&app, Some("ow_session=forged; other=1")).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.json::<Value>().await.unwrap()["code"],
        "not_logged_in"
    );
}

/// Applicant accounts (not the system account that owns cases taken at the window).
async fn applicant_accounts(app: &crate::helpers::TestApp) -> u64 {
    use sea_orm::{ColumnTrait, QueryFilter};
    account::Entity::find()
        .filter(account::Column::Mobile.ne("window-intake"))
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn parallel_wrong_passwords_are_each_counted_and_none_fails() {
    on_every_empty_backend(async |app| {
        register_zhang_san(app).await;
        let attempts = (0..40).map(|_| async {
            post(
                app,
                "/api/v1/auth/login",
                &json!({"mobile": "13812345678", "password": "wrong-pass1"}),
                None,
            )
            .await
            .status()
            .as_u16()
        });
        let statuses = futures_util::future::join_all(attempts).await;
        assert!(
            statuses.iter().all(|s| [401, 429].contains(s)),
            "{statuses:?}"
        );
        // Every password that was checked was counted first: as many failures as 401s,
        // and never more checks than the lock allows.
        let checked = statuses.iter().filter(|s| **s == 401).count() as i32;
        assert!((1..=LOCK_AFTER_FAILURES).contains(&checked), "{statuses:?}");
        assert_eq!(failures(app, "login:13812345678@127.0.0.1").await, checked);
        assert_eq!(failures(app, "login-client:127.0.0.1").await, checked);
    })
    .await;
}

#[tokio::test]
async fn a_staff_login_locked_from_one_client_still_opens_from_another() {
    crate::helpers::on_every_backend(async |app| {
        staff_member(app, "w01", StaffRole::Window, "SWJ").await;
        let attacker = ClientKey("198.51.100.7".into());
        let start = chrono::Utc::now();
        for i in 1..=LOCK_AFTER_FAILURES {
            let at = start + chrono::Duration::seconds(i64::from(i) * 100);
            let result = staff::login(&app.db, "w01", "wrong-pass1", &attacker, at).await;
            assert!(
                matches!(result, Err(accounts::AccountError::InvalidCredentials)),
                "{result:?}"
            );
        }
        let login_from = async |address: &str| {
            app.client
                .post(format!("{}/api/v1/staff/login", app.address))
                .header("x-forwarded-for", address)
                .json(&json!({"login": "w01", "password": "chuangkou2026"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        };
        // The proxy appended the attacker's address: locked there, with the right password.
        assert_eq!(login_from("198.51.100.7").await, 429);
        // A forged first entry does not make another client of the attacker.
        assert_eq!(login_from("203.0.113.5, 198.51.100.7").await, 429);
        // The clerk at the window logs in.
        assert_eq!(login_from("203.0.113.5").await, 200);
        // The department's chief sees the attack on the board; another department does not.
        let chief = staff_member(app, "c01", StaffRole::Chief, "SWJ").await;
        let (status, board) = get_as(app, &chief, "/api/v1/supervision/board").await;
        assert_eq!(status, 200, "{board}");
        let alerts = board["security_alerts"].as_array().unwrap();
        assert_eq!(alerts.len(), 1, "{board}");
        assert_eq!(alerts[0]["login"], "w01");
        assert_eq!(alerts[0]["client"], "198.51.100.7");
        let other = staff_member(app, "c02", StaffRole::Chief, "ZJJ").await;
        let (_, board) = get_as(app, &other, "/api/v1/supervision/board").await;
        assert_eq!(board["security_alerts"], json!([]));
        // An unknown 工号 locked from a client has no department to tell.
        for _ in 1..=LOCK_AFTER_FAILURES {
            staff::login(&app.db, "nobody", "wrong-pass1", &attacker, start)
                .await
                .ok();
        }
        assert_eq!(
            app::server::entities::security_alert::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn one_client_registers_a_few_accounts_then_must_wait() {
    on_every_empty_backend(async |app| {
        let now = chrono::Utc::now();
        let form = |i: u32| -> RegistrationForm {
            let mut v = zhang_san();
            v["mobile"] = json!(format!("1381234{i:04}"));
            serde_json::from_value(v).unwrap()
        };
        let script = ClientKey("198.51.100.7".into());
        for i in 0..app::domain::account::ThrottleRule::REGISTRATION.free as u32 {
            accounts::register(&app.db, &form(i), &script, now)
                .await
                .unwrap();
        }
        let refused = accounts::register(&app.db, &form(100), &script, now).await;
        assert!(
            matches!(refused, Err(accounts::AccountError::TooManyAttempts { .. })),
            "{refused:?}"
        );
        // Probing whether a number is registered counts the same.
        let taken = accounts::register(&app.db, &form(0), &script, now).await;
        assert!(matches!(
            taken,
            Err(accounts::AccountError::TooManyAttempts { .. })
        ));
        // Another client is not held up.
        let other = ClientKey("2001:db8:1:2::1".into());
        accounts::register(&app.db, &form(100), &other, now)
            .await
            .unwrap();
        let mobiles: Vec<String> = account::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.mobile)
            .filter(|m| m.starts_with("138"))
            .collect();
        let free = app::domain::account::ThrottleRule::REGISTRATION.free as usize;
        assert_eq!(mobiles.len(), free + 1, "{mobiles:?}");
    })
    .await;
}

/// The code in the latest recovery SMS to `mobile`, if any.
pub async fn recovery_sms(app: &TestApp, mobile: &str) -> Option<String> {
    use app::server::entities::notification;
    use sea_orm::QueryOrder;
    let sms = notification::Entity::find()
        .filter(notification::Column::Recipient.eq(mobile))
        .filter(notification::Column::ApplicationId.is_null())
        .order_by_desc(notification::Column::Id)
        .one(&app.db)
        .await
        .unwrap()?;
    assert_eq!(
        (sms.channel.as_str(), sms.status.as_str()),
        ("sms", "pending")
    );
    let digits: String = sms.body.chars().filter(char::is_ascii_digit).collect();
    Some(digits[..6].to_string())
}

/// Asks for a recovery code for `mobile` (202) and reads it from the SMS.
async fn send_code(app: &TestApp, mobile: &str) -> String {
    let (status, _) = post_json(app, "/api/v1/auth/recovery/code", json!({"mobile": mobile})).await;
    assert_eq!(status, 202);
    recovery_sms(app, mobile).await.expect("a code by SMS")
}

async fn post_json(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    crate::helpers::call(app, reqwest::Method::POST, path, None, Some(body)).await
}

#[tokio::test]
async fn the_holder_of_a_phone_takes_back_a_number_someone_else_registered() {
    use crate::applications::applicant;
    crate::helpers::on_every_backend(async |app| {
        let mobile = "13812340001";
        // Someone who knows the number registers it first, with their own name and ID.
        let squatter = applicant(app, mobile, "11010519491231002X").await;
        // A number nobody registered: the same answer, and no SMS.
        let code_for = json!({"mobile": "13812340002"});
        assert_eq!(
            post_json(app, "/api/v1/auth/recovery/code", code_for)
                .await
                .0,
            202
        );
        assert_eq!(recovery_sms(app, "13812340002").await, None);
        let (status, problem) =
            post_json(app, "/api/v1/auth/recovery/code", json!({"mobile": "123"})).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (422, Some("mobile"))
        );

        let code = send_code(app, mobile).await;
        let owner = |code: &str| {
            json!({"mobile": mobile, "code": code, "password": "ziji2026ok",
                "name": "王芳", "id_number": "44052419850101001X"})
        };
        let wrong = if code == "000000" { "111111" } else { "000000" };
        // Five tries at most, each refused the same way; then even the right code is spent.
        for _ in 0..app::domain::account::RECOVERY_CODE_TRIES {
            let (status, problem) = post_json(app, "/api/v1/auth/recovery", owner(wrong)).await;
            assert_eq!(status, 422, "{problem}");
            assert_eq!(problem["errors"][0]["code"], "code_invalid");
        }
        let (status, problem) = post_json(app, "/api/v1/auth/recovery", owner(&code)).await;
        assert_eq!(
            (status, problem["errors"][0]["code"].as_str()),
            (422, Some("code_invalid"))
        );

        // A new code, and the number changes hands.
        let code = send_code(app, mobile).await;
        let (status, account) = post_json(app, "/api/v1/auth/recovery", owner(&code)).await;
        assert_eq!(status, 200, "{account}");
        assert_eq!(account["name"], "王芳");
        // Used once.
        let (status, _) = post_json(app, "/api/v1/auth/recovery", owner(&code)).await;
        assert_eq!(status, 422);
        // The squatter's session has ended and the number no longer opens their account.
        assert_eq!(
            crate::helpers::get_as(app, &squatter, "/api/v1/auth/me")
                .await
                .0,
            401
        );
        let login = |password: &str| json!({"mobile": mobile, "password": password});
        assert_eq!(
            post_json(app, "/api/v1/auth/login", login("shigong2026"))
                .await
                .0,
            401
        );
        let (status, me) = post_json(app, "/api/v1/auth/login", login("ziji2026ok")).await;
        assert_eq!((status, me["name"].as_str()), (200, Some("王芳")));
        let kept = account::Entity::find()
            .filter(account::Column::Name.eq("李四"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("the squatter's account is kept");
        assert_eq!(kept.mobile, format!("released:{}", kept.id));

        // The owner forgets the password later: the same name and ID reset it in place.
        let code = send_code(app, mobile).await;
        let mut again = owner(&code);
        again["password"] = json!("xinde2027mima");
        let (status, same) = post_json(app, "/api/v1/auth/recovery", again).await;
        assert_eq!((status, &same["id"]), (200, &me["id"]), "{same}");
        assert_eq!(
            post_json(app, "/api/v1/auth/login", login("xinde2027mima"))
                .await
                .0,
            200
        );
    })
    .await;
}
