//! Importing and exporting catalog files: all or nothing, idempotent, versioned.

use app::domain::catalog::CatalogFile;
use app::server::entities::{catalog_import, item_version, material};
use app::server::services::catalog::{self, ImportError};
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::{DEMO, demo, on_every_backend, on_every_empty_backend};

async fn row_counts(db: &sea_orm::DatabaseConnection) -> (u64, u64, u64) {
    (
        item_version::Entity::find().count(db).await.unwrap(),
        material::Entity::find().count(db).await.unwrap(),
        catalog_import::Entity::find().count(db).await.unwrap(),
    )
}

#[tokio::test]
async fn a_bad_file_reports_every_problem_with_its_path_and_imports_nothing() {
    on_every_empty_backend(async |app| {
        let mut file = demo();
        file.items[3].materials[1].quantity = 0;
        file.items[5].department = "NOBODY".into();
        file.bundles[0].items.push("NO-SUCH-ITEM".into());
        let err = catalog::import(&app.db, &file, "bad.json", "x")
            .await
            .unwrap_err();
        let ImportError::Invalid(problems) = err else {
            panic!("expected problems, got {err:?}")
        };
        let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            lines,
            vec![
                "items[3].materials[1].quantity: 份数须为 1–99",
                "items[5].department: 实施主体 NOBODY 不是已登记的部门",
                "bundles[0].items[3]: 事项 NO-SUCH-ITEM 不在事项清单中",
            ],
            "{:?}",
            app.backend
        );
        assert_eq!(row_counts(&app.db).await, (0, 0, 0), "nothing was imported");
        assert!(catalog::is_empty(&app.db).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_bad_file_leaves_an_existing_catalog_untouched() {
    on_every_backend(async |app| {
        let before = catalog::export(&app.db).await.unwrap();
        let counts = row_counts(&app.db).await;
        let mut file = demo();
        file.items[0].name = "改过的名称".into(); // a valid change…
        file.items[1].steps.clear(); // …next to an invalid one
        assert!(
            catalog::import(&app.db, &file, "bad.json", "x")
                .await
                .is_err()
        );
        assert_eq!(
            catalog::export(&app.db).await.unwrap(),
            before,
            "{:?}",
            app.backend
        );
        assert_eq!(row_counts(&app.db).await, counts);
    })
    .await;
}

#[tokio::test]
async fn import_then_export_then_import_changes_nothing() {
    on_every_backend(async |app| {
        let exported = catalog::export(&app.db).await.unwrap();
        // The export is the demo file, item for item (the export orders by code).
        let mut original = demo();
        original.departments.sort_by(|a, b| a.code.cmp(&b.code));
        original.items.sort_by(|a, b| a.code.cmp(&b.code));
        original.bundles.sort_by(|a, b| a.code.cmp(&b.code));
        assert_eq!(exported, original, "{:?}", app.backend);

        let counts = row_counts(&app.db).await;
        let summary = catalog::import_text(&app.db, &exported.to_json(), "export.json")
            .await
            .unwrap();
        assert!(!summary.changed_anything(), "{summary:?}");
        assert_eq!(summary.items.unchanged, original.items.len() as u32);
        assert_eq!(
            row_counts(&app.db).await,
            counts,
            "no new versions and no import log row"
        );

        let again = catalog::export(&app.db).await.unwrap();
        assert_eq!(
            again.to_json(),
            exported.to_json(),
            "export is byte-for-byte stable"
        );
    })
    .await;
}

#[tokio::test]
async fn reimporting_the_same_file_changes_nothing() {
    on_every_backend(async |app| {
        let counts = row_counts(&app.db).await;
        let summary = catalog::import_text(&app.db, DEMO, "demo").await.unwrap();
        assert!(!summary.changed_anything());
        assert_eq!(row_counts(&app.db).await, counts);
    })
    .await;
}

#[tokio::test]
async fn a_changed_item_gets_a_new_version_and_the_old_one_is_kept() {
    on_every_backend(async |app| {
        let mut file = demo();
        let item = file
            .items
            .iter_mut()
            .find(|i| i.code == "ZJJ-XK-001")
            .unwrap();
        let old = item.clone();
        item.promised_limit_days = 2;
        item.materials.pop();
        let summary = catalog::import(&app.db, &file, "changed.json", "y")
            .await
            .unwrap();
        assert_eq!(
            (summary.items.updated, summary.items.unchanged),
            (1, file.items.len() as u32 - 1)
        );

        let guide = crate::helpers::seen_soon(
            app,
            async || app.get_json("/api/v1/items/ZJJ-XK-001").await.1,
            |g| g["version"] == 2,
        )
        .await;
        assert_eq!(guide["version"], 2, "{:?}", app.backend);
        assert_eq!(guide["item"]["promised_limit_days"], 2);
        assert_eq!(guide["history"].as_array().unwrap().len(), 2);
        assert_eq!(guide["history"][0]["version"], 2, "newest first");

        let (status, v1) = app.get_json("/api/v1/items/ZJJ-XK-001/versions/1").await;
        assert_eq!(status, 200);
        assert_eq!(
            v1,
            serde_json::to_value(&old).unwrap(),
            "version 1 is kept exactly, materials and all"
        );

        let (_, list) = app.get_json("/api/v1/items?q=ZJJ-XK-001").await;
        assert_eq!(list[0]["version"], 2);
    })
    .await;
}

#[tokio::test]
async fn a_partial_file_may_refer_to_departments_already_imported() {
    on_every_backend(async |app| {
        let mut item = demo()
            .items
            .into_iter()
            .find(|i| i.code == "SWJ-XK-001")
            .unwrap();
        item.code = "SWJ-XK-002".into();
        item.name = "城镇排水与污水处理设施竣工验收备案".into();
        let file = CatalogFile {
            format_version: 1,
            departments: vec![],
            items: vec![item],
            bundles: vec![],
        };
        let summary = catalog::import(&app.db, &file, "swj.json", "z")
            .await
            .unwrap();
        assert_eq!(summary.items.created, 1);
        let status = crate::helpers::seen_soon(
            app,
            async || app.get_json("/api/v1/items/SWJ-XK-002").await.0,
            |s| *s == 200,
        )
        .await;
        assert_eq!(status, 200, "{:?}", app.backend);
    })
    .await;
}
