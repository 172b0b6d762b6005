//! The public pages without the application: they carry the small script, not the
//! application's wasm, and their forms work as plain posts (a tracking lookup, 退出, 在线申办),
//! each answered with a redirect and, when refused, a one-time message.

use reqwest::redirect::Policy;

use crate::applications::applicant;
use crate::helpers::{TestApp, backends, get_as, header_of, on_every_backend, spawn_app};
use crate::review::submitted_case;
use crate::submission::{CREDIT_CODE, company, new_draft};

/// The contact mobile of `submission::company`.
const MOBILE: &str = "13800138000";

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// `name=value` of the cookie `name` the response sets.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_string())
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = no_redirects().get(format!("{}{path}", app.address));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

async fn post_form(
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut request = no_redirects()
        .post(format!("{}{path}", app.address))
        .form(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn public_pages_load_the_small_script_and_application_pages_their_wasm() {
    let app = spawn_app(&backends()[0]).await;
    for path in [
        "/",
        "/items",
        "/items/ZJJ-XK-001",
        "/bundles",
        "/track",
        "/verify",
        "/licences",
        // The router shows these pages at these addresses too; no wasm has their views.
        "/items/",
        "/items/ZJJ-XK-001/",
        "/bundles/",
        "/verify/",
    ] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(html.contains("/pkg/lite/lite.js"), "{path}");
        assert!(
            !html.contains("/pkg/onewindow.js"),
            "{path} loads the application"
        );
    }
    for path in ["/login", "/register", "/my"] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(html.contains("/pkg/onewindow.js"), "{path}");
        assert!(
            !html.contains("/pkg/staff.js"),
            "{path} loads the back office"
        );
        assert!(!html.contains("/pkg/apply.js"), "{path} loads the form");
        assert!(!html.contains("/pkg/lite/lite.js"), "{path}");
    }
    // The application page loads a wasm of its own, and nothing else: a draft's form the
    // form's, a submitted case's page (its fix-up, its receipt) the case's.
    let me = applicant(&app, "13700137008", "11010519491231002X").await;
    let number = new_draft(&app, &me, company(CREDIT_CODE)).await;
    let case = submitted_case(&app, &me, true).await;
    let other = applicant(&app, "13700137010", "11010519491231002X").await;
    for (path, who, wasm) in [
        (format!("/applications/{number}"), &me, "apply"),
        (format!("/applications/{number}/"), &me, "apply"),
        (format!("/applications/{case}"), &me, "case"),
        (format!("/applications/{case}/"), &me, "case"),
        ("/applications/OW1".to_string(), &me, "apply"),
        // Whose case it is not, it is not told to be submitted: the page says it is not theirs.
        (format!("/applications/{case}"), &other, "apply"),
    ] {
        let html = page(&app, &path, Some(who.as_str()))
            .await
            .text()
            .await
            .unwrap();
        for js in ["apply", "case", "onewindow", "staff"] {
            let loaded = html.contains(&format!("/pkg/{js}.js"));
            assert_eq!(loaded, js == wasm, "{path}: {js}.js");
        }
    }
    // The staff pages load their own wasm, with the back office; never the applicant's.
    for path in [
        "/staff/login",
        "/staff",
        "/staff/cases/OW1",
        "/staff/supervision",
    ] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(html.contains("/pkg/staff.js"), "{path}");
        assert!(!html.contains("/pkg/onewindow.js"), "{path}");
        assert!(!html.contains("/pkg/lite/lite.js"), "{path}");
    }
    for path in ["/staffing", "/stafff/x"] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(
            !html.contains("/pkg/staff.js"),
            "{path} is not a staff page"
        );
    }
    // A signed-in applicant's /track is their own case, with uploads: the application.
    let me = applicant(&app, "13700137009", "11010519491231002X").await;
    let html = page(&app, "/track", Some(&me)).await.text().await.unwrap();
    assert!(html.contains("/pkg/onewindow.js"));
    // The search box keeps what was searched, rendered on the server (no wasm fills it in).
    let html = app
        .get("/items?q=%E6%B6%88%E9%98%B2")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"value="消防""#), "{html}");
    assert!(html.contains("共 3 个事项"));
}

#[tokio::test]
async fn a_tracking_lookup_posted_without_javascript_redirects_to_the_case() {
    on_every_backend(async |app| {
        let me = applicant(app, "13700137001", "11010519491231002X").await;
        let case = submitted_case(app, &me, true).await;
        let back = format!("/track?case={case}");

        // No factor: the domain's sentence, once, on the page it goes back to.
        let r = post_form(app, "/track", &[("case", &case), ("factor", " ")], None).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], back.as_str());
        let flash = set_cookie(&r, "ow_flash").unwrap();
        let shown = page(app, &back, Some(&flash)).await;
        assert_eq!(set_cookie(&shown, "ow_flash").as_deref(), Some("ow_flash="));
        let html = shown.text().await.unwrap();
        assert!(html.contains("请输入申请时填写的手机号码"), "{html}");
        assert!(
            html.contains(&format!(r#"value="{case}""#)),
            "the number is kept"
        );

        // A wrong factor and a made-up number: the one answer for a wrong guess.
        for (number, factor) in [
            (case.as_str(), "13900000000"),
            ("OW20260101AAAAAAAAAA", MOBILE),
        ] {
            let r = post_form(app, "/track", &[("case", number), ("factor", factor)], None).await;
            assert_eq!(r.status(), 303);
            assert!(set_cookie(&r, "ow_track").is_none());
            let flash = set_cookie(&r, "ow_flash").unwrap();
            let html = page(app, &format!("/track?case={number}"), Some(&flash)).await;
            let html = html.text().await.unwrap();
            assert!(html.contains("办件编号或验证信息不正确"), "{number}");
            assert!(!html.contains("data-status="), "{number}");
        }

        // The right factor (the number typed in lower case): a cookie for /track that holds
        // no factor, and the page shows the case, masked, with its live stream.
        let lower = case.to_lowercase();
        let r = post_form(app, "/track", &[("case", &lower), ("factor", MOBILE)], None).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], back.as_str());
        let cookie = set_cookie(&r, "ow_track").unwrap();
        assert!(!cookie.contains(MOBILE));
        let html = page(app, &back, Some(&cookie)).await.text().await.unwrap();
        assert!(html.contains(r#"data-status="submitted""#), "{html}");
        assert!(html.contains("data-stream=\"/api/v1/track/"), "{html}");
        assert!(html.contains("138****8000"));
        assert!(!html.contains(MOBILE));
        // Without the cookie, nothing; the cookie opens no other case.
        let html = page(app, &back, None).await.text().await.unwrap();
        assert!(!html.contains("data-status="));
        let other = submitted_case(app, &me, true).await;
        let html = page(app, &format!("/track?case={other}"), Some(&cookie)).await;
        assert!(!html.text().await.unwrap().contains("data-status="));
        // A forged token opens nothing either.
        let forged = format!("ow_track={case}:9999999999.00000000000000000000000000000000");
        let html = page(app, &back, Some(&forged)).await.text().await.unwrap();
        assert!(!html.contains("data-status="));
    })
    .await;
}

#[tokio::test]
async fn logout_and_apply_work_as_plain_forms() {
    on_every_backend(async |app| {
        // 在线申办 not signed in: to the login page, back to the guide after.
        let r = post_form(app, "/apply", &[("item", "SWJ-XK-001")], None).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login?next=%2Fitems%2FSWJ-XK-001");

        // Signed in: a draft, opened.
        let me = applicant(app, "13700137002", "11010519491231002X").await;
        let r = post_form(app, "/apply", &[("item", "SWJ-XK-001")], Some(&me)).await;
        assert_eq!(r.status(), 303);
        let to = header_of(&r, "location").to_string();
        assert!(to.starts_with("/applications/"), "{to}");
        let (status, mine) = get_as(app, &me, "/api/v1/applications").await;
        assert_eq!(status, 200);
        assert!(
            mine.to_string()
                .contains(to.trim_start_matches("/applications/"))
        );

        // An item that does not exist: back to it, with the refusal.
        let r = post_form(app, "/apply", &[("item", "NO-SUCH")], Some(&me)).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/items/NO-SUCH");
        let flash = set_cookie(&r, "ow_flash").unwrap();
        assert!(flash.starts_with("ow_flash=unknown_item:"), "{flash}");

        // A post that is not the form (JSON): back, with a sentence, nothing started.
        let r = no_redirects()
            .post(format!("{}/apply", app.address))
            .header("cookie", &me)
            .json(&serde_json::json!({"item": "SWJ-XK-001"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let flash = set_cookie(&r, "ow_flash").unwrap();
        assert!(flash.starts_with("ow_flash=bad_request:"), "{flash}");

        // 退出: the session ends, the cookie goes, home.
        let r = post_form(app, "/logout", &[], Some(&me)).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/");
        assert_eq!(set_cookie(&r, "ow_session").as_deref(), Some("ow_session="));
        let (status, _) = get_as(app, &me, "/api/v1/auth/me").await;
        assert_eq!(status, 401);
    })
    .await;
}
