//! 电子证照 (rule 15): a grant issues a licence signed by the department (SM2/SM3); anyone
//! verifies it by number and check code or from the file; 注销 / 撤销 by the department's
//! chief; the revocation list and the register; key rotation keeps old licences valid; the
//! offline command gives the same verdicts.

use app::domain::review::StaffRole;
use serde_json::{Value, json};

use crate::applications::applicant;
use crate::delivery::{Swj, every_method, granted_to, swj};
use crate::helpers::{TestApp, assert_refused, get_as, on_every_backend, post_as, texts};
use crate::review::{count_through_next_year, review_case, staff_member};

async fn post_file(app: &TestApp, text: &str) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/v1/licences/verification", app.address))
        .header("content-type", "application/json")
        .body(text.to_string())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn verify_file(app: &TestApp, text: &str) -> Value {
    let (status, body) = post_file(app, text).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// A granted SWJ-XK-001 case and its one licence (as staff see it), with the holder's cookie.
async fn licensed(app: &TestApp, staff: &Swj, mobile: &str) -> (String, Value, String) {
    let (case, me) = granted_to(app, staff, mobile, json!({"method": "download"})).await;
    let (_, view) = review_case(app, &staff.window, &case).await;
    let licences = view["licences"].as_array().unwrap().clone();
    assert_eq!(licences.len(), 1, "{}", view["licences"]);
    (case, licences[0].clone(), me)
}

async fn download(app: &TestApp, cookie: Option<&str>, number: &str) -> (u16, String) {
    let mut request = app
        .client
        .get(format!("{}/api/v1/licences/{number}/file", app.address));
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_grant_issues_a_signed_licence_that_anyone_can_verify_and_a_change_breaks() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        every_method(app).await;
        let staff = swj(app).await;
        let (case, licence, me) = licensed(app, &staff, "13855552001").await;
        let number = licence["number"].as_str().unwrap().to_string();
        let code = licence["check_code"].as_str().unwrap().to_string();
        assert!(number.starts_with("SWJ-"), "{number}");
        assert!(
            number.ends_with(&format!("{}-1", &case[case.len() - 10..])),
            "{number} of {case}"
        );
        assert_eq!(licence["name"], "城镇污水排入排水管网许可证");
        assert_eq!(licence["holder_name"], "某某水务建设有限公司");
        assert!(
            licence["valid_until"].is_string(),
            "validity from the guide: {licence}"
        );
        let labels = texts(&licence["content"], "label");
        assert_eq!(labels.len(), 3, "{labels:?}");
        assert!(
            licence["qr_svg"].as_str().unwrap().starts_with("<?xml"),
            "a QR code"
        );
        assert!(
            licence["verify_url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/verify?number={number}&code={code}"))
        );

        // By number and check code: valid. A wrong code says nothing about the licence.
        let (status, body) = app
            .get_json(&format!("/api/v1/licences/{number}?code=WRONG123"))
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("licence_not_found")),
            "{body}"
        );
        let (status, checked) = app
            .get_json(&format!(
                "/api/v1/licences/{number}?code={}",
                code.to_lowercase()
            ))
            .await;
        assert_eq!(status, 200, "{checked}");
        assert_eq!(checked["code"], "valid");
        assert_eq!(checked["licence"]["item_code"], "SWJ-XK-001");
        assert!(checked["licence"].get("check_code").is_none(), "{checked}");
        assert!(checked["licence"].get("case_number").is_none(), "{checked}");

        // The file: the holder downloads it, nobody else does.
        let (status, text) = download(app, Some(&me), &number).await;
        assert_eq!(status, 200, "{text}");
        let other = applicant(app, "13855552002", "44052419850101001X").await;
        assert_eq!(download(app, Some(&other), &number).await.0, 404);
        assert_eq!(download(app, None, &number).await.0, 401);
        assert_eq!(download(app, Some(&staff.window), &number).await.0, 200);

        // Verified from the file; one changed character, or a changed signature, is refused.
        assert_eq!(verify_file(app, &text).await["code"], "valid");
        let changed = text.replace("某某水务", "某某污水");
        assert_ne!(changed, text);
        let v = verify_file(app, &changed).await;
        assert_eq!(v["code"], "tampered", "{v}");
        assert!(
            v.get("licence").is_none(),
            "a forged content is not shown: {v}"
        );
        let file: Value = serde_json::from_str(&text).unwrap();
        let sig = file["signature"]["value"].as_str().unwrap();
        let flipped = format!(
            "{}{}",
            if sig.starts_with('0') { "1" } else { "0" },
            &sig[1..]
        );
        assert_eq!(
            verify_file(app, &text.replace(sig, &flipped)).await["code"],
            "tampered"
        );
        // Not a licence file at all: refused; another format: the verdict says so.
        for bad in ["not a licence", "{}", "[1]"] {
            let (status, body) = post_file(app, bad).await;
            assert_eq!(
                (status, body["code"].as_str()),
                (400, Some("invalid_json")),
                "{bad}: {body}"
            );
        }
        assert_eq!(
            verify_file(app, &text.replace("onewindow-licence/1", "pdf")).await["code"],
            "malformed"
        );
        let (_, keys) = app.get_json("/api/v1/licences/keys").await;
        let key_id = file["signature"]["key_id"].as_str().unwrap();
        let key = keys
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key_id"] == key_id)
            .unwrap();
        assert_eq!(key["department_code"], "SWJ");
        let no_key = text.replace(key_id, "SWJ-19700101-0000");
        assert_eq!(verify_file(app, &no_key).await["code"], "unknown_key");
    })
    .await;
}

#[tokio::test]
async fn the_issuing_chief_revokes_a_licence_and_every_check_then_says_so() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        every_method(app).await;
        let staff = swj(app).await;
        let (_, licence, me) = licensed(app, &staff, "13855552003").await;
        let number = licence["number"].as_str().unwrap().to_string();
        let code = licence["check_code"].as_str().unwrap().to_string();
        let path = format!("/api/v1/review/licences/{number}/revocation");
        let body = json!({"kind": "withdrawn", "reason": "申请人以欺骗手段取得许可"});
        let cgj_chief = staff_member(app, "cgj-c", StaffRole::Chief, "CGJ").await;
        for (who, status, code) in [
            (&staff.reviewer, 403, "not_permitted"),
            (&staff.window, 403, "not_permitted"),
            (&cgj_chief, 404, "licence_not_found"),
            (&me, 401, "not_logged_in"),
        ] {
            let (got, b) = post_as(app, who, &path, body.clone()).await;
            assert_eq!((got, b["code"].as_str()), (status, Some(code)), "{b}");
        }
        assert_refused(
            post_as(
                app,
                &staff.chief,
                &path,
                json!({"kind": "cancelled", "reason": " "}),
            )
            .await,
            &["required"],
        );
        let (status, b) = post_as(app, &staff.chief, &path, body.clone()).await;
        assert_eq!(status, 201, "{b}");
        assert_eq!(b["revocation"]["kind"], "withdrawn");
        let (status, b) = post_as(app, &staff.chief, &path, body).await;
        assert_eq!(
            (status, b["code"].as_str()),
            (409, Some("licence_revoked")),
            "{b}"
        );

        let (_, checked) = app
            .get_json(&format!("/api/v1/licences/{number}?code={code}"))
            .await;
        assert_eq!(checked["code"], "revoked", "{checked}");
        assert!(
            checked["message"]
                .as_str()
                .unwrap()
                .contains("申请人以欺骗手段取得许可")
        );
        let (_, list) = app.get_json("/api/v1/licences/revocations").await;
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .any(|r| r["number"] == number.as_str()),
            "{list}"
        );
        let (_, text) = download(app, Some(&me), &number).await;
        assert_eq!(verify_file(app, &text).await["code"], "revoked");

        // The register lists it, marked, without its content; persons would be masked.
        let (status, register) = get_as(app, &me, "/api/v1/licences?department=SWJ").await;
        assert_eq!(status, 200, "{register}");
        let entry = register["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["number"] == number.as_str())
            .unwrap()
            .clone();
        assert_eq!(entry["revocation"]["kind"], "withdrawn");
        assert!(entry.get("content").is_none(), "{entry}");
        let (_, none) = app.get_json("/api/v1/licences?department=ZJJ").await;
        assert_eq!(none["paging"]["matching"], 0, "{none}");
        let (_, found) = app
            .get_json("/api/v1/licences?q=%E6%9F%90%E6%9F%90%E6%B0%B4%E5%8A%A1")
            .await;
        assert!(
            found["paging"]["matching"].as_u64().unwrap() >= 1,
            "{found}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_rotated_key_signs_new_licences_and_the_old_ones_stay_valid() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        every_method(app).await;
        let staff = swj(app).await;
        let (_, old, _) = licensed(app, &staff, "13855552004").await;
        let new_key =
            app::server::services::licences::keys::rotate(&app.db, "SWJ", chrono::Utc::now())
                .await
                .unwrap();
        let (_, new, me) = licensed(app, &staff, "13855552005").await;
        let (_, text) = download(app, Some(&me), new["number"].as_str().unwrap()).await;
        let file: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(file["signature"]["key_id"], new_key.as_str());
        for l in [&old, &new] {
            let (_, checked) = app
                .get_json(&format!(
                    "/api/v1/licences/{}?code={}",
                    l["number"].as_str().unwrap(),
                    l["check_code"].as_str().unwrap()
                ))
                .await;
            assert_eq!(checked["code"], "valid", "{checked}");
        }
        let (_, keys) = app.get_json("/api/v1/licences/keys").await;
        let swj: Vec<&Value> = keys
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["department_code"] == "SWJ")
            .collect();
        assert_eq!(swj.len(), 2, "{keys}");
        assert!(
            swj[0]["retired_on"].is_string() && swj[1].get("retired_on").is_none(),
            "{keys}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_refusal_issues_no_licence() {
    on_every_backend(async |app| {
        count_through_next_year(app).await;
        every_method(app).await;
        let staff = swj(app).await;
        let me = applicant(app, "13855552006", "11010519491231002X").await;
        let (status, draft) = post_as(app, &me, "/api/v1/applications", json!({
            "item": "SWJ-XK-001", "applicant": crate::submission::company(crate::submission::CREDIT_CODE),
            "values": crate::submission::drainage_values(), "bring_original": ["drainage_application"],
            "delivery": {"method": "download"}})).await;
        assert_eq!(status, 201, "{draft}");
        let number = draft["number"].as_str().unwrap();
        for code in ["drainage_drawings", "water_quality_report"] {
            crate::submission::put_file(app, &me, number, code, "a.pdf", crate::submission::PDF).await;
        }
        let case = crate::helpers::submit_draft(app, &me, number).await;
        crate::review::accept(app, &staff.window, &case).await;
        let (_, queue) = get_as(app, &staff.reviewer, "/api/v1/review/tasks").await;
        let task = queue["entries"][0]["task"]["id"].as_i64().unwrap();
        post_as(app, &staff.reviewer, &format!("/api/v1/review/tasks/{task}/claim"), json!({})).await;
        post_as(app, &staff.reviewer, &format!("/api/v1/review/tasks/{task}/complete"), json!({"opinion": "disagree", "reason": "标高不符", "legal_basis": "条例第二十一条"})).await;
        let v = crate::review::version_of(app, &case).await;
        let (status, body) = post_as(app, &staff.chief, &format!("/api/v1/review/cases/{case}/decision"), json!({"version": v, "item": "SWJ-XK-001", "outcome": "refuse", "reason": "标高不符", "legal_basis": "条例第二十一条"})).await;
        assert_eq!(status, 201, "{body}");
        let (_, view) = review_case(app, &staff.window, &case).await;
        assert!(view.get("licences").is_none(), "{}", view["licences"]);
        let (_, register) = app.get_json("/api/v1/licences").await;
        assert_eq!(register["paging"]["matching"], 0);
    })
    .await;
}

#[test]
fn the_offline_command_gives_the_same_verdicts() {
    let vectors: Value =
        serde_json::from_str(include_str!("../../../domain/corpus/licence_vectors.json")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys.json");
    std::fs::write(&keys, vectors["keys"].to_string()).unwrap();
    for case in vectors["cases"].as_array().unwrap() {
        let file = dir.path().join("licence.json");
        std::fs::write(&file, case["file"].as_str().unwrap()).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_onewindow"))
            .args([
                "verify-licence",
                file.to_str().unwrap(),
                "--keys",
                keys.to_str().unwrap(),
                "--on",
                "2026-12-02",
            ])
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let verdict = case["verdict"].as_str().unwrap();
        assert!(
            stdout.contains(&format!("（{verdict}）")),
            "{}: {stdout}",
            case["name"]
        );
        assert_eq!(
            out.status.success(),
            verdict == "valid",
            "{}: {stdout}",
            case["name"]
        );
    }
}
