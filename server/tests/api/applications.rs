//! Application drafts over the JSON API, on every backend.

use app::server::entities::application;
use reqwest::Method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::helpers::{TestApp, call, delete_as, get_as, on_every_backend, post_as, sign_in};

/// Registers and logs in an applicant; returns the cookie to send.
pub async fn applicant(app: &TestApp, mobile: &str, id_number: &str) -> String {
    let account = json!({"mobile": mobile, "password": "shigong2026", "name": "李四", "id_number": id_number});
    let response = app
        .client
        .post(format!("{}/api/v1/auth/register", app.address))
        .json(&account)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    sign_in(
        app,
        "/api/v1/auth/login",
        json!({"mobile": mobile, "password": "shigong2026"}),
    )
    .await
}

#[tokio::test]
async fn a_draft_is_created_saved_listed_and_deleted_by_its_applicant() {
    on_every_backend(async |app| {
        let me = applicant(app, "13811110001", "11010519491231002X").await;
        let (status, draft) = post_as(
            app,
            &me,
            "/api/v1/applications",
            json!({"item": "ZJJ-XK-001", "values": {"project_name": "示范小学新建工程"}}),
        )
        .await;
        assert_eq!(status, 201, "{draft} {:?}", app.backend);
        let number = draft["number"].as_str().unwrap().to_string();
        assert!(number.starts_with("OW") && number.len() == 20, "{number}");
        assert_eq!(draft["status"], "draft");
        assert_eq!(draft["title"], "建筑工程施工许可证核发");

        let path = format!("/api/v1/applications/{number}");
        let values =
            json!({"values": {"project_name": "示范小学新建工程", "contact_mobile": "138"}});
        let (status, saved) = call(app, Method::PUT, &path, Some(&me), Some(values)).await;
        assert_eq!(status, 200, "a draft may be incomplete or wrong: {saved}");
        assert_eq!(saved["values"]["contact_mobile"], "138");

        let (status, list) = call(app, Method::GET, "/api/v1/applications", Some(&me), None).await;
        assert_eq!(status, 200);
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["title"], "建筑工程施工许可证核发");
        let lower = format!("/api/v1/applications/{}", number.to_lowercase());
        let (status, one) = call(app, Method::GET, &lower, Some(&me), None).await;
        assert_eq!(status, 200, "numbers are read case-insensitively");
        assert_eq!(one["number"], number.as_str());

        let (status, _) = delete_as(app, &me, &path).await;
        assert_eq!(status, 204);
        let (status, gone) = call(app, Method::GET, &path, Some(&me), None).await;
        assert_eq!(status, 404);
        assert_eq!(gone["code"], "application_not_found");
    })
    .await;
}

#[tokio::test]
async fn another_applicants_number_is_not_found_for_any_method() {
    on_every_backend(async |app| {
        let owner = applicant(app, "13811110002", "11010519491231002X").await;
        let other = applicant(app, "13811110003", "11010519491231002X").await;
        let (_, draft) = post_as(app, &owner, "/api/v1/applications", json!({"bundle": "GCJS-3"}))
        .await;
        let path = format!("/api/v1/applications/{}", draft["number"].as_str().unwrap());
        for (method, body) in [
            (Method::GET, None),
            (Method::PUT, Some(json!({"values": {}}))),
            (Method::DELETE, None),
        ] {
            let (status, body) = call(app, method.clone(), &path, Some(&other), body).await;
            assert_eq!(
                (status, body["code"].as_str()),
            (404, Some("application_not_found")),
                "{method} {:?}", app.backend
            );
        }
        let (_, list) = get_as(app, &other, "/api/v1/applications").await;
        assert_eq!(list.as_array().unwrap().len(), 0);
        let (status, _) = call(app, Method::GET, &path, Some(&owner), None).await;
        assert_eq!(status, 200, "still there for its owner");
        // A bundle's one form holds the keys of all its items (civil_defense_area is RFB-XK-001's).
        let values = json!({"values": {"project_code": "2026-330100-47-01-123456", "civil_defense_area": "800"}});
        let (status, saved) = call(app, Method::PUT, &path, Some(&owner), Some(values)).await;
        assert_eq!(status, 200, "{saved}");
        let (_, list) = get_as(app, &owner, "/api/v1/applications").await;
        assert_eq!(list[0]["title"], "工程建设项目施工许可阶段");
    })
    .await;
}

#[tokio::test]
async fn bad_draft_requests_get_stable_4xx_codes_and_write_nothing() {
    on_every_backend(async |app| {
        let me = applicant(app, "13811110004", "11010519491231002X").await;
        let cases = [
            (None, json!({"item": "ZJJ-XK-001"}), 401, "not_logged_in"),
            (
                Some(&me),
                json!({"item": "ZJJ-XK-001", "bundle": "GCJS-3"}),
                422,
                "item_or_bundle",
            ),
            (Some(&me), json!({}), 422, "item_or_bundle"),
            (
                Some(&me),
                json!({"item": "NO-SUCH-ITEM"}),
                422,
                "unknown_item",
            ),
            (
                Some(&me),
                json!({"item": "ZJJ-XK-001", "values": {"favourite_colour": "red"}}),
                422,
                "validation_failed",
            ),
            (
                Some(&me),
                json!({"item": "ZJJ-XK-001", "values": {"project_name": "x".repeat(5001)}}),
                422,
                "validation_failed",
            ),
            (
                Some(&me),
                json!({"item": "ZJJ-XK-001", "values": {"project_name": 5}}),
                400,
                "invalid_json",
            ),
            (Some(&me), json!(["ZJJ-XK-001"]), 400, "invalid_json"),
            (
                Some(&me),
                json!({"item": "ZJJ-XK-001", "applicant": {"kind": "robot"}}),
                400,
                "invalid_json",
            ),
            (
                Some(&me),
                json!({"item": "ZJJ-XK-001", "applicant": {"kind": "company", "credit": "x"}}),
                400,
                "invalid_json",
            ),
            (
                Some(&me),
                json!({"item": "ZJJ-XK-001", "bring_original": "fund_commitment"}),
                400,
                "invalid_json",
            ),
        ];
        for (cookie, body, status, code) in cases {
            let (got, answer) = call(
                app,
                Method::POST,
                "/api/v1/applications",
                cookie.map(String::as_str),
                Some(body.clone()),
            )
            .await;
            assert_eq!(
                (got, answer["code"].as_str()),
                (status, Some(code)),
                "{body} {:?}",
                app.backend
            );
        }
        let (_, answer) = post_as(
            app,
            &me,
            "/api/v1/applications",
            json!({"item": "ZJJ-XK-001", "values": {"favourite_colour": "red"}}),
        )
        .await;
        assert_eq!(answer["errors"][0]["field"], "values.favourite_colour");
        assert_eq!(
            application::Entity::find().count(&app.db).await.unwrap(),
            0,
            "nothing half-written"
        );

        for number in ["nonsense", "OW20261121AAAAAAAAAA", "../../etc"] {
            let (status, _) = get_as(app, &me, &format!("/api/v1/applications/{number}")).await;
            assert_eq!(status, 404, "{number}");
        }
    })
    .await;
}
