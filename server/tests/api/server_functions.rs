//! The server functions the pages call answer refusals exactly as the JSON API does: the same
//! stable code and message, with the code's HTTP status (not a blanket 500).

use app::domain::review::StaffRole;
use serde_json::Value;

use crate::applications::applicant;
use crate::helpers::{TestApp, on_every_backend};
use crate::review::{review_case, staff_member, submitted_case};

/// Calls a server function with form-encoded arguments, as the browser does.
pub async fn server_fn(
    app: &TestApp,
    endpoint: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let request = app
        .client
        .post(format!("{}/sf/{endpoint}", app.address))
        .form(form);
    app.send(request, cookie).await
}

#[tokio::test]
async fn a_refused_server_function_answers_with_the_apis_code_and_status() {
    on_every_backend(async |app| {
        let (status, e) = server_fn(
            app,
            "staff/login",
            None,
            &[("login", "nobody"), ("password", "wrong-2026")],
        )
        .await;
        assert_eq!(
            (status, e["code"].as_str()),
            (401, Some("invalid_credentials"))
        );
        assert_eq!(e["message"], "工号或密码不正确");

        let (status, e) = server_fn(app, "review/queue", None, &[]).await;
        assert_eq!((status, e["code"].as_str()), (401, Some("not_logged_in")));

        let me = applicant(app, "13800138000", "11010519491231002X").await;
        let case = submitted_case(app, &me, false).await;
        let admin = staff_member(app, "admin1", StaffRole::Admin, "ZJJ").await;
        let (status, e) = server_fn(app, "review/case", Some(&admin), &[("number", &case)]).await;
        assert_eq!((status, e["code"].as_str()), (403, Some("not_a_reviewer")));
        // The same refusal, the same words, from the JSON API.
        let (api_status, problem) = review_case(app, &admin, &case).await;
        assert_eq!(api_status, 403);
        assert_eq!(problem["code"], "not_a_reviewer");
        assert_eq!(problem["detail"], e["message"]);

        let other = staff_member(app, "zjj01", StaffRole::Window, "ZJJ").await;
        let (status, e) = server_fn(app, "review/case", Some(&other), &[("number", &case)]).await;
        assert_eq!((status, e["code"].as_str()), (404, Some("case_not_found")));

        let (status, e) = server_fn(
            app,
            "track/case",
            None,
            &[("number", &case), ("factor", "13900000000")],
        )
        .await;
        assert_eq!((status, e["code"].as_str()), (404, Some("track_not_found")));
    })
    .await;
}

#[tokio::test]
async fn a_staff_action_through_the_server_function_is_refused_with_its_code() {
    on_every_backend(async |app| {
        let me = applicant(app, "13800138000", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let window = staff_member(app, "swj01", StaffRole::Window, "SWJ").await;
        let (_, seen) = review_case(app, &window, &case).await;
        let stale = (seen["version"].as_i64().unwrap() - 1).to_string();
        // A stale version: another action won.
        let (status, e) = server_fn(
            app,
            "review/act",
            Some(&window),
            &[("number", &case), ("command[Accept][version]", &stale)],
        )
        .await;
        assert_eq!(
            (status, e["code"].as_str()),
            (409, Some("case_changed")),
            "{e}"
        );
        // A rejection without its legal basis: the field problems, as the API lists them.
        let version = seen["version"].as_i64().unwrap().to_string();
        let (status, e) = server_fn(
            app,
            "review/act",
            Some(&window),
            &[
                ("number", &case),
                ("command[Reject][version]", &version),
                ("command[Reject][reason]", "材料不全"),
                ("command[Reject][legal_basis]", ""),
            ],
        )
        .await;
        assert_eq!(
            (status, e["code"].as_str()),
            (422, Some("validation_failed")),
            "{e}"
        );
        assert_eq!(e["problems"][0]["field"], "legal_basis");
        // And a good one goes through, with its notice.
        let (status, notice) = server_fn(
            app,
            "review/act",
            Some(&window),
            &[("number", &case), ("command[Accept][version]", &version)],
        )
        .await;
        assert_eq!(status, 200, "{notice}");
        assert_eq!(notice["notice"]["kind"], "acceptance");
    })
    .await;
}

#[tokio::test]
async fn a_write_sent_from_another_sites_page_is_refused_on_the_api_and_server_functions_alike() {
    on_every_backend(async |app| {
        let host = app.address.trim_start_matches("http://").to_string();
        let own = format!("http://{host}");
        // (header, value, refused?): what a browser says about the page that sent it.
        let cases = [
            ("origin", "https://evil.example", true),
            ("origin", "null", true),
            ("origin", "http://127.0.0.1.evil.example", true),
            ("sec-fetch-site", "cross-site", true),
            // A sibling host of the same registrable domain is same-site, not same-origin.
            ("sec-fetch-site", "same-site", true),
            ("sec-fetch-site", "same-origin", false),
            ("sec-fetch-site", "none", false),
            ("origin", own.as_str(), false),
        ];
        for (header, value, refused) in cases {
            // A forged login (login CSRF) through the API …
            let response = app
                .client
                .post(format!("{}/api/v1/auth/login", app.address))
                .header(header, value)
                .json(&serde_json::json!({"mobile": "13800000000", "password": "wrong-2026"}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            let expected = if refused {
                (403, "cross_site")
            } else {
                (401, "invalid_credentials")
            };
            assert_eq!(
                (status, body["code"].as_str().unwrap()),
                expected,
                "{header}: {value}"
            );
            // … and through the page's server function, form-encoded.
            let response = app
                .client
                .post(format!("{}/sf/staff/login", app.address))
                .header(header, value)
                .form(&[("login", "nobody"), ("password", "wrong-2026")])
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap();
            assert_eq!(
                (status, body["code"].as_str().unwrap()),
                expected,
                "sf {header}: {value}"
            );
        }
        // Reading is not a write: a cross-site GET still answers.
        let response = app
            .client
            .get(format!("{}/api/v1/items", app.address))
            .header("sec-fetch-site", "cross-site")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    })
    .await;
}

#[tokio::test]
async fn the_recovery_page_takes_back_a_number_through_its_server_functions() {
    on_every_backend(async |app| {
        let mobile = "13812340009";
        applicant(app, mobile, "11010519491231002X").await;
        let (status, _) = server_fn(app, "auth/recovery-code", None, &[("mobile", mobile)]).await;
        assert_eq!(status, 200);
        let code = crate::accounts::recovery_sms(app, mobile).await.unwrap();
        let recover = async |code: &str| {
            let form = [
                ("form[mobile]", mobile),
                ("form[code]", code),
                ("form[password]", "ziji2026ok"),
                ("form[name]", "王芳"),
                ("form[id_number]", "44052419850101001X"),
            ];
            server_fn(app, "auth/recover", None, &form).await
        };
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let (status, e) = recover(wrong).await;
        assert_eq!(
            (status, e["code"].as_str()),
            (422, Some("validation_failed")),
            "{e}"
        );
        assert_eq!(e["problems"][0]["code"], "code_invalid", "{e}");
        let (status, account) = recover(&code).await;
        assert_eq!(
            (status, account["name"].as_str()),
            (200, Some("王芳")),
            "{account}"
        );
    })
    .await;
}
