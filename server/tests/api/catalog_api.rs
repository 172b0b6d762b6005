//! The catalog JSON API, on every backend.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{
    backends, call, demo, header_of, on_every_backend, post_empty, spawn_app, texts,
};

#[tokio::test]
async fn healthz_answers_200_when_the_database_is_reachable() {
    on_every_backend(async |app| {
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 200, "{:?}", app.backend);
    })
    .await;
}

#[tokio::test]
async fn items_can_be_searched_by_name_and_code_and_filtered() {
    on_every_backend(async |app| {
        let codes = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|i| i["code"].as_str().unwrap().to_string())
                .collect()
        };

        let (status, all) = app.get_json("/api/v1/items").await;
        assert_eq!(status, 200);
        assert_eq!(
            all.as_array().unwrap().len(),
            demo().items.len(),
            "{:?}",
            app.backend
        );

        let (_, found) = app
            .get_json("/api/v1/items?q=%E6%96%BD%E5%B7%A5%E8%AE%B8%E5%8F%AF")
            .await; // 施工许可
        assert_eq!(codes(&found), vec!["ZJJ-XK-001"], "{:?}", app.backend);

        let (_, by_code) = app.get_json("/api/v1/items?q=zjj-xk-00").await;
        assert_eq!(
            codes(&by_code),
            vec!["ZJJ-XK-001", "ZJJ-XK-003", "ZJJ-XK-004", "ZJJ-XK-007"],
            "{:?}",
            app.backend
        );

        let (_, rfb) = app.get_json("/api/v1/items?department=RFB").await;
        assert_eq!(codes(&rfb), vec!["RFB-BA-002", "RFB-XK-001"]);

        let (_, confirm) = app
            .get_json("/api/v1/items?type=administrative_confirmation")
            .await;
        assert_eq!(codes(&confirm), vec!["ZJJ-QR-008", "ZRZY-QR-004"]);

        let (_, precheck) = app
            .get_json("/api/v1/items?depth=online_precheck&department=ZJJ")
            .await;
        assert_eq!(codes(&precheck), vec!["ZJJ-XK-004", "ZJJ-XK-007"]);

        let (_, none) = app
            .get_json("/api/v1/items?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84")
            .await;
        assert_eq!(none.as_array().unwrap().len(), 0);

        // A wildcard typed by a user is searched for literally enough not to fail.
        let (status, _) = app.get_json("/api/v1/items?q=%25_%27").await;
        assert_eq!(status, 200);
    })
    .await;
}

#[tokio::test]
async fn an_unknown_filter_value_is_a_400_problem_not_an_empty_list() {
    on_every_backend(async |app| {
        let response = app.get("/api/v1/items?depth=sometimes").await;
        assert_eq!(response.status(), 400);
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], "invalid_filter");
        assert_eq!(body["status"], 400);
    })
    .await;
}

#[tokio::test]
async fn a_guide_carries_every_element_exactly_as_imported() {
    on_every_backend(async |app| {
        let (status, guide) = app.get_json("/api/v1/items/ZJJ-XK-001").await;
        assert_eq!(status, 200);
        let expected = demo()
            .items
            .into_iter()
            .find(|i| i.code == "ZJJ-XK-001")
            .unwrap();
        assert_eq!(
            guide["item"],
            serde_json::to_value(&expected).unwrap(),
            "{:?}",
            app.backend
        );
        assert_eq!(guide["version"], 1);
        assert_eq!(guide["department"]["name"], "示范市住房和城乡建设局");
        assert_eq!(guide["history"].as_array().unwrap().len(), 1);
        let bundles = texts(&guide["bundles"], "code");
        assert_eq!(bundles, vec!["GCJS-3"]);
        let deferrable = guide["item"]["materials"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["deferrable"] == true)
            .count();
        assert_eq!(deferrable, 1);
    })
    .await;
}

#[tokio::test]
async fn unknown_codes_give_404_problems_never_500() {
    on_every_backend(async |app| {
        for (path, code) in [
            ("/api/v1/items/NO-SUCH-ITEM", "item_not_found"),
            ("/api/v1/items/%E6%96%BD%E5%B7%A5", "item_not_found"),
            ("/api/v1/items/ZJJ-XK-001/versions/9", "version_not_found"),
            ("/api/v1/items/ZJJ-XK-001/versions/abc", "version_not_found"),
            (
                "/api/v1/items/ZJJ-XK-001/versions/99999999999",
                "version_not_found",
            ),
            ("/api/v1/bundles/NOPE", "bundle_not_found"),
            ("/api/v1/nothing/here", "not_found"),
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 404, "{path}");
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json",
                "{path}"
            );
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], code, "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_bundle_asks_shared_fields_once_and_shared_materials_once() {
    on_every_backend(async |app| {
        let (status, list) = app.get_json("/api/v1/bundles").await;
        assert_eq!(status, 200);
        let stages: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|b| b["stage"].as_str())
            .collect();
        assert_eq!(
            stages,
            vec![
                "project_approval",
                "engineering_permit",
                "construction_permit",
                "completion_acceptance"
            ]
        );

        let (status, bundle) = app.get_json("/api/v1/bundles/GCJS-3").await;
        assert_eq!(status, 200);
        assert_eq!(bundle["items"].as_array().unwrap().len(), 5);
        let fields = bundle["application"]["fields"].as_array().unwrap();
        let project_code_count = fields.iter().filter(|f| f["key"] == "project_code").count();
        assert_eq!(project_code_count, 1, "project_code is asked once");
        let drawings = bundle["application"]["materials"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["material"]["code"] == "construction_drawings")
            .expect("shared drawings");
        assert_eq!(
            drawings["items"].as_array().unwrap().len(),
            3,
            "uploaded once for three items"
        );
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_endpoint() {
    let backend = &backends()[0];
    let app = spawn_app(backend).await;
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/items",
        "/api/v1/items/{code}",
        "/api/v1/items/{code}/versions/{version}",
        "/api/v1/bundles",
        "/api/v1/bundles/{code}",
        "/api/v1/departments",
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/me",
        "/api/v1/applications",
        "/api/v1/applications/{number}",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"].get("ServiceItem").is_some());
    assert!(doc["components"]["schemas"].get("ProblemDetails").is_some());
    // Enumerations are documented by the names the API sends (`administrative_license`),
    // never by the Rust variant (`AdministrativeLicense`): a generated client must read them.
    let schemas = &doc["components"]["schemas"];
    assert!(
        schemas["ItemType"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("administrative_license")),
        "{}",
        schemas["ItemType"]
    );
    assert!(
        schemas["ErrorCode"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("not_found"))
    );
    fn enums<'a>(value: &'a Value, found: &mut Vec<&'a Value>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Array(values)) = map.get("enum") {
                    found.extend(values);
                }
                map.values().for_each(|v| enums(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| enums(v, found)),
            _ => {}
        }
    }
    // A path parameter is one the path template names; the rest are in the query.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                if parameter["in"] == "path" {
                    let name = parameter["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "{method} {path}: {name} is not in the path"
                    );
                }
            }
            // Every error an operation lists is a problem (the handlers name only the status
            // and its codes; the document gives each the body).
            let answers = operation["responses"].as_object().unwrap();
            for (status, answer) in answers.iter().filter(|(s, _)| s.as_str() >= "400") {
                assert_eq!(
                    answer["content"]["application/problem+json"]["schema"]["$ref"],
                    "#/components/schemas/ProblemDetails",
                    "{method} {path} {status}"
                );
            }
            assert!(answers.contains_key("400"), "{method} {path}");
        }
    }
    let mut values = Vec::new();
    enums(&doc, &mut values);
    assert!(values.len() > 50);
    for v in values {
        let wire = v.as_str().unwrap_or_default();
        assert!(
            !wire.is_empty()
                && wire
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "{v} is not a wire name"
        );
    }
}

/// A NUL byte, which PostgreSQL refuses in text, in a query, a path or a JSON string: a 400
/// problem, not a 500, on both backends.
#[tokio::test]
async fn a_nul_byte_anywhere_in_a_request_is_a_400_problem() {
    on_every_backend(async |app| {
        for path in [
            "/api/v1/items?q=%00",
            "/api/v1/items/%00",
            "/api/v1/track/OW%0020261129?factor=13800138000",
            "/items/ZJJ%00",
        ] {
            let response = app.get(path).await;
            assert_eq!(response.status(), 400, "{path}");
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json",
                "{path}"
            );
            let problem: serde_json::Value = response.json().await.unwrap();
            assert_eq!(problem["code"], "invalid_query", "{path}");
        }
        let (status, problem) = call(
            app,
            Method::POST,
            "/api/v1/staff/login",
            None,
            Some(serde_json::json!({"login": "a\u{0}b", "password": "x"})),
        )
        .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (400, Some("invalid_json"))
        );
        // The pages' server functions, form-encoded (%00 or a raw NUL) or JSON (\u0000).
        for (endpoint, content_type, body) in [
            (
                "staff/login",
                "application/x-www-form-urlencoded",
                &b"login=a%00b&password=x"[..],
            ),
            (
                "auth/login",
                "application/x-www-form-urlencoded",
                &b"mobile=1380013%008000&password=x"[..],
            ),
            (
                "catalog/items",
                "application/x-www-form-urlencoded",
                &b"filter[q]=a\0b"[..],
            ),
            (
                "auth/login",
                "application/json",
                &br#"{"mobile":"13800138000","password":"x\u0000"}"#[..],
            ),
        ] {
            let response = app
                .client
                .post(format!("{}/sf/{endpoint}", app.address))
                .header("content-type", content_type)
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 400, "{endpoint} {body:?}");
            let answer: serde_json::Value = response.json().await.unwrap();
            assert_eq!(answer["code"], "invalid_query", "{endpoint}");
        }
    })
    .await;
}

/// What the framework refuses by itself is a problem too: a wrong method (with `Allow`), and
/// a path segment that should be a number.
#[tokio::test]
async fn a_wrong_method_or_a_path_that_is_not_a_number_is_a_problem() {
    on_every_backend(async |app| {
        let response = app
            .client
            .delete(format!("{}/api/v1/items", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405);
        assert!(header_of(&response, "allow").contains("GET"));
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "method_not_allowed");
        assert!(problem["detail"].as_str().unwrap().contains("DELETE"));

        let chief =
            crate::review::staff_member(app, "chief", app::domain::review::StaffRole::Chief, "SWJ")
                .await;
        let (status, problem) =
            post_empty(app, &chief, "/api/v1/supervision/warnings/abc/seen").await;
        assert_eq!(status, 400, "{problem}");
        assert_eq!(problem["code"], "bad_request");
    })
    .await;
}

/// The reference version's migration and the change notices' roll back and apply again,
/// their triggers included: after the round trip an edit to the catalog still moves the
/// stamp and, on PostgreSQL, the server still hears of it.
#[tokio::test]
async fn the_reference_version_migration_rolls_back_and_applies_again() {
    use app::server::entities::department;
    use app::server::services::changes::Kind;
    use app::server::services::reference::ReferenceCache;
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::EntityTrait;
    use sea_orm::TransactionTrait;
    use sea_orm::sea_query::Expr;
    on_every_backend(async |app| {
        crate::helpers::listening(app).await;
        // In one transaction, as `db::migrate` runs them (SQLite's pooled connections).
        let txn = app.db.begin().await.unwrap();
        Migrator::down(&txn, Some(2)).await.unwrap();
        Migrator::up(&txn, None).await.unwrap();
        txn.commit().await.unwrap();
        let cache = ReferenceCache::default();
        let before = cache.get(&app.db).await.unwrap().stamp;
        let heard = app.track.changes.epoch(Kind::Reference);
        department::Entity::update_many()
            .col_expr(department::Column::Phone, Expr::value("12345"))
            .exec(&app.db)
            .await
            .unwrap();
        assert!(cache.get(&app.db).await.unwrap().stamp > before);
        let now_heard = crate::helpers::seen_soon(
            app,
            async || app.track.changes.epoch(Kind::Reference),
            |epoch| *epoch != heard,
        )
        .await;
        match app.backend {
            crate::helpers::Backend::Sqlite => assert_eq!(now_heard, None),
            crate::helpers::Backend::Postgres(_) => {
                assert!(
                    heard.is_some() && now_heard > heard,
                    "{heard:?} {now_heard:?}"
                )
            }
        }
    })
    .await;
}

/// A guide and a bundle are read from the database once per change to the catalog: asked
/// again, the same copy comes from memory. Any change to the tables they are read from, a row
/// edited behind the application's back as well as an import, is seen by the very next
/// request (the database's triggers move the reference stamp), the guide page's included; on
/// PostgreSQL, by the first request after the database's notice of it.
#[tokio::test]
async fn guides_are_kept_in_memory_until_the_catalog_changes() {
    use crate::helpers::seen_soon;
    use app::server::entities::bundle;
    use app::server::services::reference::ReferenceCache;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use std::sync::Arc;
    on_every_backend(async |app| {
        let cache = ReferenceCache::default();
        let guide = async || cache.item(&app.db, "SWJ-XK-001").await.unwrap().unwrap();
        let first = guide().await;
        assert!(
            Arc::ptr_eq(&first, &guide().await),
            "nothing changed: the same copy"
        );
        let of_bundle = async || cache.bundle(&app.db, "YJS-SZJR").await.unwrap().unwrap();
        let first_bundle = of_bundle().await;
        assert!(Arc::ptr_eq(&first_bundle, &of_bundle().await));
        let (status, served) = app.get_json("/api/v1/items/SWJ-XK-001").await;
        assert_eq!(status, 200, "{served}");
        assert_eq!(
            served["bundles"][0]["name"], "市政设施接入一件事",
            "{served}"
        );

        // A bundle renamed in the database directly, with no import.
        bundle::Entity::update_many()
            .col_expr(bundle::Column::Name, Expr::value("未经本系统改名"))
            .filter(bundle::Column::Code.eq("YJS-SZJR"))
            .exec(&app.db)
            .await
            .unwrap();
        let again = guide().await;
        assert!(!Arc::ptr_eq(&first, &again), "read again after the change");
        assert_eq!(again.bundles[0].name, "未经本系统改名");
        assert!(!Arc::ptr_eq(&first_bundle, &of_bundle().await));
        let served = seen_soon(
            app,
            async || app.get_json("/api/v1/items/SWJ-XK-001").await.1,
            |s| s["bundles"][0]["name"] == "未经本系统改名",
        )
        .await;
        assert_eq!(served["bundles"][0]["name"], "未经本系统改名", "{served}");

        let renamed = crate::helpers::rename_item(app, "SWJ-XK-001").await;
        let guide = seen_soon(
            app,
            async || app.get_json("/api/v1/items/SWJ-XK-001").await.1,
            |g| g["item"]["name"] == renamed.as_str(),
        )
        .await;
        assert_eq!(guide["item"]["name"], renamed.as_str(), "{guide}");
        assert_eq!(guide["version"], 2, "{guide}");
        let page = app.get("/items/SWJ-XK-001").await.text().await.unwrap();
        assert!(page.contains(&renamed), "the page shows the new name");
        let (_, bundle) = app.get_json("/api/v1/bundles/YJS-SZJR").await;
        assert!(bundle.to_string().contains(&renamed), "{bundle}");
    })
    .await;
}
