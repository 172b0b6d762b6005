//! Applicant accounts over the JSON API, on every backend.

use app::server::entities::{account, session};
use app::server::services::accounts;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, backends, on_every_empty_backend, spawn_empty};

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
    let set = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
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
        assert!(
            response.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
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
        assert_eq!(
            post(app, "/api/v1/auth/register", &zhang_san(), None)
                .await
                .status(),
            201
        );
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
        assert_eq!(
            post(app, "/api/v1/auth/register", &zhang_san(), None)
                .await
                .status(),
            201
        );
        let mut bodies = Vec::new();
        for mobile in ["13812345678", "13900000000"] {
            // The free attempts, over HTTP.
            for _ in 0..app::domain::account::FREE_LOGIN_ATTEMPTS {
                let response = post(
                    app,
                    "/api/v1/auth/login",
                    &json!({"mobile": mobile, "password": "wrong-pass1"}),
                    None,
                )
                .await;
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
                let result = accounts::login(&app.db, mobile, "wrong-pass1", at).await;
                assert!(
                    matches!(result, Err(accounts::AccountError::InvalidCredentials)),
                    "{mobile}: {result:?}"
                );
            }
            // Locked now, even with the right password, registered number or not.
            let response = post(
                app,
                "/api/v1/auth/login",
                &json!({"mobile": mobile, "password": "shigong2026"}),
                None,
            )
            .await;
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
        accounts::register(&app.db, &form, now).await.unwrap();
        let (token, _) = accounts::login(&app.db, "13812345678", "shigong2026", now)
            .await
            .unwrap();
        let later = now + chrono::Duration::minutes(29);
        assert!(
            accounts::authenticate(&app.db, &token, later)
                .await
                .unwrap()
                .is_some(),
            "still in use"
        );
        let idle = later + chrono::Duration::minutes(30);
        assert!(
            accounts::authenticate(&app.db, &token, idle)
                .await
                .unwrap()
                .is_none(),
            "{:?}",
            app.backend
        );
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
