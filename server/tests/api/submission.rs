//! Uploads and submission over the JSON API, on every backend: a company applies, every bad
//! input gets its own 4xx, nothing is half-written and no file is left behind.

use app::server::entities::{application, application_material};
use reqwest::Method;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::applications::applicant;
use crate::helpers::{
    TestApp, backends, call, delete_as, get_as, header_of, on_every_backend, own_case, post_as,
    post_empty, problems,
};

pub const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

/// A valid 统一社会信用代码 and the same with a wrong check character.
pub const CREDIT_CODE: &str = "91350100M000100Y43";
const BAD_CREDIT_CODE: &str = "91350100M000100Y44";

pub async fn put_file(
    app: &TestApp,
    cookie: &str,
    number: &str,
    code: &str,
    name: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let response = app
        .client
        .put(format!(
            "{}/api/v1/applications/{number}/materials/{code}",
            app.address
        ))
        .header("cookie", cookie)
        .header("x-file-name", urlencode(name))
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'.' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Files in the material store of the app.
fn stored_files(app: &TestApp) -> usize {
    let root = app.dir.path().join("materials");
    let Ok(fans) = std::fs::read_dir(&root) else {
        return 0;
    };
    fans.flatten()
        .map(|d| std::fs::read_dir(d.path()).map(|f| f.count()).unwrap_or(0))
        .sum()
}

/// Files in the store's staging area, waited for (up to two seconds) to become `expected`:
/// an upload's partial file is removed just after its request ends.
async fn staging_files_soon(app: &TestApp, expected: usize) -> usize {
    let count =
        || std::fs::read_dir(app.dir.path().join("staging")).map_or(0, |d| d.flatten().count());
    for _ in 0..40 {
        if count() == expected {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    count()
}

/// Sends `bytes` for a material in chunked encoding (no length declared up front), in
/// pieces of 64 KiB: the status line of the answer.
async fn put_chunked(app: &TestApp, me: &str, number: &str, code: &str, bytes: &[u8]) -> String {
    let host = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "PUT /api/v1/applications/{number}/materials/{code} HTTP/1.1\r\nhost: {host}\r\ncookie: {me}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for piece in bytes.chunks(64 * 1024) {
        let sent = async {
            stream
                .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                .await?;
            stream.write_all(piece).await?;
            stream.write_all(b"\r\n").await
        };
        if sent.await.is_err() {
            break; // refused before the end
        }
    }
    stream.write_all(b"0\r\n\r\n").await.ok();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok();
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

pub fn company(code: &str) -> Value {
    json!({"kind": "company", "values": {
        "company_name": "某某水务建设有限公司",
        "credit_code": code,
        "legal_representative": "王五",
        "contact_mobile": "13800138000",
    }})
}

pub fn drainage_values() -> Value {
    json!({
        "project_name": "滨江污水处理厂配套管网",
        "project_address": "示范市滨江区江南大道 1 号",
        "drainage_volume": "1200",
        "contact_name": "赵六",
        "contact_mobile": "13900139000",
    })
}

/// A new SWJ-XK-001 draft of this applicant block, the form filled in: its number.
pub async fn new_draft(app: &TestApp, me: &str, applicant: Value) -> String {
    let body = json!({"item": "SWJ-XK-001", "applicant": applicant, "values": drainage_values()});
    crate::helpers::draft_of(app, me, body).await
}

#[tokio::test]
async fn a_company_uploads_its_materials_and_submits_once() {
    on_every_backend(async |app| {
        let me = applicant(app, "13822220001", "11010519491231002X").await;
        let number = new_draft(app, &me, company(BAD_CREDIT_CODE)).await;
        let submit = format!("/api/v1/applications/{number}/submit");

        // Everything wrong at once, each problem with its field path and code.
        let (status, problem) = post_empty(app, &me, &submit).await;
        assert_eq!(status, 422, "{problem} {:?}", app.backend);
        assert_eq!(problem["code"], "validation_failed");
        let errors = problems(&problem);
        assert_eq!(
            errors,
            vec![
                (
                    "applicant.credit_code".into(),
                    "credit_code_checksum".into()
                ),
                (
                    "materials.drainage_application".into(),
                    "material_missing".into()
                ),
                (
                    "materials.drainage_drawings".into(),
                    "material_missing".into()
                ),
            ]
        );

        // Fix the applicant; bring the application form's original, upload the drawings.
        let path = format!("/api/v1/applications/{number}");
        let content = json!({"applicant": company(CREDIT_CODE), "values": drainage_values(),
            "bring_original": ["drainage_application"]});
        let (status, saved) = call(app, Method::PUT, &path, Some(&me), Some(content)).await;
        assert_eq!(status, 200, "{saved}");
        let (status, up) = put_file(
            app,
            &me,
            &number,
            "drainage_drawings",
            "排水平面图 v2.pdf",
            PDF,
        )
        .await;
        assert_eq!(status, 200, "{up}");
        assert_eq!(up["file_type"], "pdf");
        assert_eq!(up["file_name"], "排水平面图 v2.pdf");
        assert_eq!(up["size"], PDF.len());

        // The owner downloads exactly what was sent.
        let response = app
            .get_with(
                &me,
                &format!("/api/v1/applications/{number}/materials/drainage_drawings"),
            )
            .await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert!(header_of(&response, "content-disposition").contains("filename*=UTF-8''"));
        assert_eq!(response.bytes().await.unwrap().as_ref(), PDF);

        let (status, case) = post_empty(app, &me, &submit).await;
        assert_eq!(status, 200, "{case} {:?}", app.backend);
        assert_eq!(case["status"], "submitted");
        assert_eq!(case["channel"], "online");
        let case_number = case["case_number"].as_str().unwrap().to_string();
        assert!(case_number.starts_with("OW") && case_number != number);
        assert!(case["submitted_at"].as_str().is_some());
        assert_eq!(case["guides"][0]["code"], "SWJ-XK-001");
        assert_eq!(case["guides"][0]["version"], 1);
        assert_eq!(case["applicant"]["values"]["credit_code"], CREDIT_CODE);
        assert_eq!(case["bring_original"], json!(["drainage_application"]));

        // A double click, a retry, or both at once: still one case.
        let (a, b) = tokio::join!(post_empty(app, &me, &submit), post_empty(app, &me, &submit));
        for (status, again) in [a, b] {
            assert_eq!(status, 200);
            assert_eq!(again["case_number"], case_number.as_str());
            assert_eq!(again["submitted_at"], case["submitted_at"]);
        }
        assert_eq!(application::Entity::find().count(&app.db).await.unwrap(), 1);

        // The case number finds it too; it is listed; it can no longer change.
        let (status, by_case) =
            get_as(app, &me, &format!("/api/v1/applications/{case_number}")).await;
        assert_eq!((status, &by_case["number"]), (200, &json!(number)));
        let (_, list) = call(app, Method::GET, "/api/v1/applications", Some(&me), None).await;
        assert_eq!(list[0]["status"], "submitted");
        assert_eq!(list[0]["materials"][0]["code"], "drainage_drawings");
        let (status, refused) = call(
            app,
            Method::PUT,
            &path,
            Some(&me),
            Some(json!({"values": {}})),
        )
        .await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (409, Some("not_a_draft"))
        );
        let (status, refused) =
            put_file(app, &me, &number, "drainage_drawings", "x.pdf", PDF).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (409, Some("not_a_draft"))
        );
        let (status, _) = delete_as(app, &me, &path).await;
        assert_eq!(status, 409);

        // Someone else learns nothing from the numbers.
        let other = applicant(app, "13822220002", "11010519491231002X").await;
        for p in [
            path.clone(),
            format!("/api/v1/applications/{case_number}"),
            format!("/api/v1/applications/{number}/materials/drainage_drawings"),
        ] {
            let (status, body) = call(app, Method::GET, &p, Some(&other), None).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (404, Some("application_not_found")),
                "{p}"
            );
        }
        let (status, _) = post_empty(app, &other, &submit).await;
        assert_eq!(status, 404);
        let (status, _) = put_file(app, &other, &number, "drainage_drawings", "x.pdf", PDF).await;
        assert_eq!(status, 404);
    })
    .await;
}

#[tokio::test]
async fn bad_uploads_are_refused_with_their_own_codes_and_leave_nothing() {
    on_every_backend(async |app| {
        let me = applicant(app, "13822220003", "11010519491231002X").await;
        let number = new_draft(app, &me, company(CREDIT_CODE)).await;
        let cases: [(&str, &str, Vec<u8>, u16, &str); 5] = [
            (
                "drainage_drawings",
                "图.pdf",
                PNG.to_vec(),
                422,
                "file_type_not_accepted",
            ),
            (
                "drainage_drawings",
                "renamed.pdf",
                b"PK\x03\x04 not a pdf".to_vec(),
                422,
                "file_type_not_accepted",
            ),
            (
                "drainage_drawings",
                "empty.pdf",
                Vec::new(),
                422,
                "empty_file",
            ),
            (
                "no_such_material",
                "a.pdf",
                PDF.to_vec(),
                404,
                "material_not_found",
            ),
            // 20 MB is the limit of the 申请表.
            (
                "drainage_application",
                "big.pdf",
                big_pdf(20 * 1024 * 1024 + 1),
                413,
                "file_too_large",
            ),
        ];
        for (code, name, bytes, status, problem) in cases {
            let (got, body) = put_file(app, &me, &number, code, name, &bytes).await;
            assert_eq!(
                (got, body["code"].as_str()),
                (status, Some(problem)),
                "{code} {name} {:?}", app.backend
            );
            assert!(
                body["detail"]
                    .as_str()
                    .unwrap()
                    .chars()
                    .any(|c| c > '\u{2e80}'),
                "in Chinese: {body}"
            );
        }
        let (status, body) = call(
            app,
            Method::PUT,
            &format!("/api/v1/applications/{number}/materials/drainage_drawings"),
            None,
            None,
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("not_logged_in"))
        );

        // A connection that drops mid-file.
        let host = app.address.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
        let head = format!(
            "PUT /api/v1/applications/{number}/materials/drainage_drawings HTTP/1.1\r\nhost: {host}\r\ncookie: {me}\r\ncontent-length: 100000\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(PDF).await.unwrap();
        stream.shutdown().await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.ok();
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 400"),
            "a truncated upload is not stored: {answer}"
        );

        assert_eq!(
            application_material::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
        assert_eq!(stored_files(app), 0, "no orphan files");
        assert_eq!(staging_files_soon(app, 0).await, 0, "nor partial ones");
        let (status, body) = get_as(app, &me, &format!("/api/v1/applications/{number}/materials/drainage_drawings")).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("upload_not_found"))
        );
    })
    .await;
}

fn big_pdf(len: usize) -> Vec<u8> {
    let mut v = PDF.to_vec();
    v.resize(len, b' ');
    v
}

#[tokio::test]
async fn replaced_and_deleted_uploads_leave_no_files_behind() {
    on_every_backend(async |app| {
        let me = applicant(app, "13822220004", "11010519491231002X").await;
        let number = new_draft(app, &me, company(CREDIT_CODE)).await;
        let (status, _) = put_file(app, &me, &number, "drainage_drawings", "a.pdf", PDF).await;
        assert_eq!(status, 200);
        // The same content for a second material is stored once.
        let (status, _) = put_file(app, &me, &number, "drainage_application", "b.pdf", PDF).await;
        assert_eq!(status, 200);
        assert_eq!(stored_files(app), 1);
        let mut other = PDF.to_vec();
        other.extend_from_slice(b"% revised\n");
        let (status, _) = put_file(app, &me, &number, "drainage_drawings", "a2.pdf", &other).await;
        assert_eq!(status, 200);
        assert_eq!(stored_files(app), 2);
        let (status, _) =
            put_file(app, &me, &number, "drainage_application", "b2.pdf", &other).await;
        assert_eq!(status, 200);
        assert_eq!(
            stored_files(app),
            1,
            "the replaced content is gone once unused"
        );

        let one = format!("/api/v1/applications/{number}/materials/drainage_application");
        let (status, _) = delete_as(app, &me, &one).await;
        assert_eq!(status, 204);
        let (status, body) = delete_as(app, &me, &one).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("upload_not_found"))
        );
        assert_eq!(stored_files(app), 1, "still used by the drawings");

        let (status, _) = delete_as(app, &me, &format!("/api/v1/applications/{number}")).await;
        assert_eq!(status, 204);
        assert_eq!(
            application_material::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
        assert_eq!(stored_files(app), 0);
    })
    .await;
}

#[tokio::test]
async fn submission_checks_the_form_values_and_originals_like_the_browser() {
    on_every_backend(async |app| {
        let me = applicant(app, "13822220005", "11010519491231002X").await;
        let (status, draft) = post_as(app, &me, "/api/v1/applications", json!({"item": "SWJ-XK-001",
                "applicant": {"kind": "self", "values": {"contact_mobile": "13800138000"}},
                "values": {"project_name": "", "drainage_volume": "很多", "contact_mobile": "12345"},
                "bring_original": ["drainage_drawings", "nothing_like_it"]}))
        .await;
        assert_eq!(status, 201, "{draft}");
        let number = draft["number"].as_str().unwrap();
        let (status, problem) = post_empty(app, &me, &format!("/api/v1/applications/{number}/submit"))
        .await;
        assert_eq!(status, 422);
        let got: Vec<String> = problems(&problem)
            .iter()
            .map(|(field, code)| format!("{field} {code}"))
            .collect();
        assert_eq!(
            got,
            [
                "values.project_name required",
                "values.project_address required",
                "values.drainage_volume not_a_number",
                "values.contact_name required",
                "values.contact_mobile mobile_format",
                "materials.drainage_application material_missing",
                "materials.drainage_drawings material_missing",
                "materials.drainage_drawings original_not_allowed",
                "materials.nothing_like_it unknown_material",
            ]
        );
        assert_eq!(problem["errors"][0]["message"], "请填写项目名称");
        let still = own_case(app, &me, number).await;
        assert_eq!(
            still["status"], "draft",
            "a refused submission changes nothing"
        );
        assert!(still.get("case_number").is_none());
    })
    .await;
}

#[tokio::test]
async fn an_item_handled_only_at_the_window_cannot_be_applied_for_online() {
    for backend in backends() {
        let app = crate::helpers::spawn_empty(&backend).await;
        let mut catalog = crate::helpers::demo();
        let item = catalog
            .items
            .iter_mut()
            .find(|i| i.code == "SWJ-XK-001")
            .unwrap();
        item.online_depth = app::domain::catalog::OnlineDepth::WindowOnly;
        item.visits = 1;
        app::server::services::catalog::import(&app.db, &catalog, "test", "window-only")
            .await
            .unwrap();
        let me = applicant(&app, "13822220006", "11010519491231002X").await;
        let (status, body) = post_as(
            &app,
            &me,
            "/api/v1/applications",
            json!({"item": "SWJ-XK-001"}),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (422, Some("window_only")),
            "{:?}",
            app.backend
        );
        assert_eq!(application::Entity::find().count(&app.db).await.unwrap(), 0);
        app.cleanup().await;
    }
}

#[tokio::test]
async fn edits_racing_a_submission_never_change_or_delete_the_submitted_case() {
    on_every_backend(async |app| {
        let me = applicant(app, "13800138021", "11010519491231002X").await;
        for round in 0..12 {
            let (status, draft) = post_as(
                app,
                &me,
                "/api/v1/applications",
                json!({"item": "SWJ-XK-001", "applicant": company(CREDIT_CODE),
                    "values": drainage_values(), "bring_original": ["drainage_application"]}),
            )
            .await;
            assert_eq!(status, 201, "{draft}");
            let number = draft["number"].as_str().unwrap().to_string();
            let path = format!("/api/v1/applications/{number}");
            for (code, name) in [
                ("drainage_drawings", "平面图.pdf"),
                ("water_quality_report", "水质.pdf"),
            ] {
                assert_eq!(put_file(app, &me, &number, code, name, PDF).await.0, 200);
            }
            // The submission, and at the same time an edit that empties the form, the removal
            // of a required file, or the deletion of the whole draft.
            let submit_path = format!("{path}/submit");
            let submit = post_empty(app, &me, &submit_path);
            let (method, target, body) = match round % 3 {
                0 => (Method::PUT, path.clone(), Some(json!({"values": {}}))),
                1 => (
                    Method::DELETE,
                    format!("{path}/materials/drainage_drawings"),
                    None,
                ),
                _ => (Method::DELETE, path.clone(), None),
            };
            let other = call(app, method, &target, Some(&me), body);
            let ((submitted, case), (edited, answer)) = tokio::join!(submit, other);
            assert!(
                [200, 404, 409, 422].contains(&submitted),
                "{submitted}: {case}"
            );
            assert!([200, 204, 404, 409].contains(&edited), "{edited}: {answer}");
            let (status, now) = get_as(app, &me, &path).await;
            if submitted == 200 {
                // What was numbered is exactly what was checked: complete, with its files.
                assert_eq!(status, 200, "round {round}: a submitted case was deleted");
                assert_eq!(now["status"], "submitted", "round {round}");
                assert_eq!(
                    now["values"]["project_name"],
                    drainage_values()["project_name"],
                    "round {round}: {now}"
                );
                assert!(
                    now["materials"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|m| m["code"] == "drainage_drawings"),
                    "round {round}: {now}"
                );
            } else if status == 200 {
                assert_eq!(now["status"], "draft", "round {round}");
            }
        }
    })
    .await;
}

#[tokio::test]
async fn the_sweeper_deletes_only_old_files_nothing_refers_to() {
    on_every_backend(async |app| {
        use app::server::services::applications::sweep_unreferenced;
        use app::server::storage::MaterialStore;
        let me = applicant(app, "13800138022", "11010519491231002X").await;
        let number = new_draft(app, &me, company(CREDIT_CODE)).await;
        assert_eq!(
            put_file(app, &me, &number, "drainage_drawings", "图.pdf", PDF)
                .await
                .0,
            200
        );
        // What a crash leaves: a file stored, its row never written.
        let store = MaterialStore::local(app.dir.path()).unwrap();
        let orphan = store
            .put(bytes::Bytes::from_static(
                b"%PDF-1.7 crashed before its row\n%%EOF",
            ))
            .await
            .unwrap();
        assert_eq!(stored_files(app), 2);
        // And an upload a crash cut short: its partial file in the staging area.
        std::mem::forget(store.receive().await.unwrap());
        assert_eq!(staging_files_soon(app, 1).await, 1);
        // Young files are left alone: their upload may still be recording them.
        let an_hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
        assert_eq!(
            sweep_unreferenced(&app.db, &store, an_hour_ago)
                .await
                .unwrap(),
            0
        );
        let later = chrono::Utc::now() + chrono::Duration::seconds(5);
        assert_eq!(sweep_unreferenced(&app.db, &store, later).await.unwrap(), 2);
        assert_eq!(stored_files(app), 1);
        assert_eq!(staging_files_soon(app, 0).await, 0);
        assert!(store.get(&orphan.sha256).await.unwrap().is_none());
        // The recorded upload is still there.
        let (status, view) = get_as(app, &me, &format!("/api/v1/applications/{number}")).await;
        assert_eq!(status, 200);
        let sha = view["materials"][0]["sha256"].as_str().unwrap();
        assert!(store.get(sha).await.unwrap().is_some());
    })
    .await;
}

async fn draft_id(app: &TestApp, number: &str) -> i32 {
    use sea_orm::{ColumnTrait, QueryFilter};
    application::Entity::find()
        .filter(application::Column::Number.eq(number))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a draft")
        .id
}

#[tokio::test]
async fn an_applicant_keeps_a_bounded_number_of_drafts_and_bytes() {
    use app::domain::upload::{DRAFT_STORAGE_MB, MAX_OPEN_DRAFTS};
    use sea_orm::{ActiveModelTrait, Set};
    on_every_backend(async |app| {
        let me = applicant(app, "13800138033", "11010519491231002X").await;
        let mut drafts = Vec::new();
        for _ in 0..MAX_OPEN_DRAFTS {
            drafts.push(new_draft(app, &me, company(CREDIT_CODE)).await);
        }
        let new = json!({"item": "SWJ-XK-001", "applicant": company(CREDIT_CODE)});
        let (status, refused) = post_as(app, &me, "/api/v1/applications", new.clone()).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (409, Some("too_many_drafts")),
            "{refused}"
        );
        // Deleting one makes room for another.
        let last = drafts.pop().unwrap();
        let path = format!("/api/v1/applications/{last}");
        assert_eq!(delete_as(app, &me, &path).await.0, 204);
        drafts.push(new_draft(app, &me, company(CREDIT_CODE)).await);

        // One draft holds all but 64 KiB of the applicant's storage.
        let full = i64::from(DRAFT_STORAGE_MB) * 1024 * 1024;
        application_material::ActiveModel {
            application_id: Set(draft_id(app, &drafts[0]).await),
            material_code: Set("drainage_application".into()),
            sha256: Set("0".repeat(64)),
            size: Set(full - 64 * 1024),
            file_type: Set("pdf".into()),
            file_name: Set("大文件.pdf".into()),
            uploaded_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        // A small file still fits; a larger one is refused, whether its length is declared
        // or only found out as it arrives.
        let (status, _) = put_file(app, &me, &drafts[1], "drainage_drawings", "图.pdf", PDF).await;
        assert_eq!(status, 200);
        let larger = big_pdf(100 * 1024);
        let (status, refused) = put_file(
            app,
            &me,
            &drafts[1],
            "drainage_application",
            "表.pdf",
            &larger,
        )
        .await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (413, Some("storage_quota_exceeded")),
            "{refused}"
        );
        assert!(
            refused["detail"].as_str().unwrap().contains("草稿"),
            "{refused}"
        );
        let answer = put_chunked(app, &me, &drafts[1], "drainage_application", &larger).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        // The file the big row stands for is replaced, so it does not count against itself.
        let (status, _) = put_file(
            app,
            &me,
            &drafts[0],
            "drainage_application",
            "表.pdf",
            &larger,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            staging_files_soon(app, 0).await,
            0,
            "refused uploads leave nothing"
        );
    })
    .await;
}

#[tokio::test]
async fn an_upload_arriving_in_pieces_is_stored_whole_and_downloads_the_same() {
    on_every_backend(async |app| {
        let me = applicant(app, "13800138034", "11010519491231002X").await;
        let number = new_draft(app, &me, company(CREDIT_CODE)).await;
        // Three and a half MiB: several of the store's 1 MiB pieces, and a partial one.
        let file = big_pdf(3 * 1024 * 1024 + 512 * 1024);
        let answer = put_chunked(app, &me, &number, "drainage_application", &file).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let path = format!("/api/v1/applications/{number}/materials/drainage_application");
        let response = app.get_with(&me, &path).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.content_length(), Some(file.len() as u64));
        assert_eq!(response.bytes().await.unwrap().as_ref(), file.as_slice());
        assert_eq!(stored_files(app), 1);
        assert_eq!(staging_files_soon(app, 0).await, 0);
        // Over the 申请表's 20 MB limit in pieces: refused part-way, the earlier file kept.
        let answer = put_chunked(
            app,
            &me,
            &number,
            "drainage_application",
            &big_pdf(21 * 1024 * 1024),
        )
        .await;
        assert!(
            answer.starts_with("HTTP/1.1 413") || answer.is_empty(),
            "{answer}"
        );
        assert_eq!(stored_files(app), 1);
        assert_eq!(staging_files_soon(app, 0).await, 0);
    })
    .await;
}
