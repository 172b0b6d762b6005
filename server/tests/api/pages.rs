//! Server-rendered pages: the content is in the HTML before any wasm runs.

use crate::helpers::{backends, header_of, spawn_app};

#[tokio::test]
async fn the_guide_page_is_rendered_on_the_server_with_its_material_table() {
    let app = spawn_app(&backends()[0]).await;
    let response = app.get("/items/ZJJ-XK-001").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    for expected in [
        "建筑工程施工许可证核发",
        "材料清单",
        "质量安全监督登记资料",
        "必需 · 可容缺",
        "《中华人民共和国建筑法》",
        "12345",
    ] {
        assert!(html.contains(expected), "{expected} missing from the page");
    }
}

#[tokio::test]
async fn unknown_pages_and_items_answer_404() {
    let app = spawn_app(&backends()[0]).await;
    assert_eq!(app.get("/items/NO-SUCH-ITEM").await.status(), 404);
    assert_eq!(app.get("/bundles/NOPE").await.status(), 404);
    assert_eq!(app.get("/no/such/page").await.status(), 404);
}

#[tokio::test]
async fn the_catalog_page_filters_by_query_parameters() {
    let app = spawn_app(&backends()[0]).await;
    let html = app.get("/items?department=RFB").await.text().await.unwrap();
    assert!(html.contains("共 2 个事项"), "{html}");
    assert!(html.contains("人防工程竣工验收备案"));
    assert!(!html.contains("商品房预售许可"));
}

#[tokio::test]
async fn html_and_json_are_served_compressed() {
    let app = spawn_app(&backends()[0]).await;
    let response = app
        .client
        .get(format!("{}/api/v1/items", app.address))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("br")
    );
}

/// Pages and API answers carry the security headers; HSTS only when served over HTTPS (the
/// test server is plain HTTP).
#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app(&backends()[0]).await;
    for path in ["/", "/items", "/api/v1/items", "/healthz", "/no-such-page"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "SAMEORIGIN", "{path}");
        assert!(
            headers["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'self'"),
            "{path}"
        );
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert!(!headers.contains_key("strict-transport-security"), "{path}");
    }
    app.cleanup().await;
}

/// Routers built while another one renders pages (tests start one each, in parallel) never
/// leave a page waiting: listing the routes suppresses resource loads process-wide while it
/// runs, so it happens once per process, before any router serves.
#[tokio::test]
async fn routers_built_while_pages_render_leave_no_page_waiting() {
    let app = spawn_app(&backends()[0]).await;
    let building = std::thread::spawn({
        let state = crate::helpers::state_of(&app.db, app.dir.path());
        move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                for _ in 0..200 {
                    drop(onewindow::router::build(state.clone()));
                }
            })
        }
    });
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap();
    for round in 0..100 {
        let path = ["/items", "/bundles", "/items/SWJ-XK-001"][round % 3];
        let page = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .and_then(|r| r.error_for_status());
        let text = match page {
            Ok(response) => response.text().await,
            Err(e) => Err(e),
        };
        let text = text.unwrap_or_else(|e| panic!("{path} (round {round}) never finished: {e}"));
        assert!(text.contains("</html>"), "{path}: {text}");
        if building.is_finished() && round >= 20 {
            break;
        }
    }
    building.join().unwrap();
    app.cleanup().await;
}

/// A page runs only this site's scripts and the inline ones carrying this response's nonce:
/// the hydration script has it, a script injected into the markup would not.
#[tokio::test]
async fn a_page_allows_only_its_own_scripts_and_its_nonce() {
    let app = spawn_app(&backends()[0]).await;
    let mut nonces = Vec::new();
    for path in ["/", "/items", "/track", "/no-such-page"] {
        let response = app.get(path).await;
        let policy = header_of(&response, "content-security-policy").to_string();
        let html = response.text().await.unwrap();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {path}: {policy}"))
            .to_string();
        assert!(policy.contains("script-src 'self' 'nonce-"), "{policy}");
        assert!(policy.contains("object-src 'none'"), "{policy}");
        assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
        let scripts = policy
            .split(';')
            .find(|d| d.trim_start().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!scripts.contains("'unsafe-inline'"), "{policy}");
        // Every inline script of the page carries the nonce; a script without it is one of
        // this site's files (a visitor's catalog page, kept without inline scripts).
        let tags: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .collect();
        assert!(!tags.is_empty(), "{path}");
        for tag in tags {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")) || tag.contains(" src=\"/pkg/"),
                "{path}: <script{tag}>"
            );
        }
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a fresh nonce for every page");
    app.cleanup().await;
}

/// A visitor's catalog page is rendered once per catalog change and then served as kept,
/// each answer with a nonce of its own in its markup and its policy; a signed-in applicant's
/// page, a search and a missing item are rendered every time; an import is seen at once.
#[tokio::test]
async fn a_visitors_guide_page_is_kept_until_the_catalog_changes_with_a_fresh_nonce_each_time() {
    crate::helpers::on_every_backend(async |app| {
        let page = async |path: &str, cookie: Option<&str>| {
            let mut request = app.client.get(format!("{}{path}", app.address));
            if let Some(c) = cookie {
                request = request.header("cookie", c);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let cache = response
                .headers()
                .get("x-cache")
                .map(|v| v.to_str().unwrap().to_string());
            let policy = header_of(&response, "content-security-policy").to_string();
            let nonce = policy
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .unwrap()
                .to_string();
            let html = response.text().await.unwrap();
            // Inline scripts carry the nonce; a kept page has none, and no nonce at all.
            if cache.is_some() {
                assert!(
                    !html.contains(&nonce) && !html.contains(" nonce="),
                    "{path}"
                );
                assert!(html.contains("src=\"/pkg/lite/lite.js\""), "{path}");
            } else {
                assert!(
                    html.contains(&format!("nonce=\"{nonce}\"")),
                    "{path}: {html}"
                );
            }
            (status, cache, nonce, html)
        };
        let guide = "/items/SWJ-XK-001";
        let (status, first, n1, h1) = page(guide, None).await;
        assert_eq!((status, first.as_deref()), (200, Some("miss")));
        assert!(h1.contains("城镇污水排入排水管网许可"), "{h1}");
        let (_, second, n2, h2) = page(guide, None).await;
        assert_eq!(second.as_deref(), Some("hit"));
        assert_ne!(n1, n2, "a fresh nonce in every answer's policy");
        assert_eq!(h1, h2, "the same page");

        // Compressed once, sent as the client asks.
        let brotli = |b: &[u8]| {
            let mut out = Vec::new();
            brotli::BrotliDecompress(&mut std::io::Cursor::new(b), &mut out).unwrap();
            out
        };
        let gzip = |b: &[u8]| {
            use std::io::Read;
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(b)
                .read_to_end(&mut out)
                .unwrap();
            out
        };
        for (encoding, decoded) in [("br", true), ("gzip", false)] {
            let response = app
                .client
                .get(format!("{}{guide}", app.address))
                .header("accept-encoding", format!("{encoding}, deflate"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.headers()["content-encoding"], encoding);
            assert_eq!(response.headers()["x-cache"], "hit");
            let body = response.bytes().await.unwrap();
            assert!(
                body.len() < h1.len() / 2,
                "{encoding}: {} bytes",
                body.len()
            );
            let plain = if decoded { brotli(&body) } else { gzip(&body) };
            assert_eq!(String::from_utf8(plain).unwrap(), h1, "{encoding}");
        }

        let me = crate::applications::applicant(app, "13800138095", "11010519491231002X").await;
        for (path, cookie) in [
            (guide, Some(me.as_str())),
            ("/items?q=水", None),
            ("/items/NO-SUCH-ITEM", None),
        ] {
            let (_, cache, _, _) = page(path, cookie).await;
            assert_eq!(cache, None, "{path}");
        }

        // Seen at once on SQLite; on PostgreSQL once the database's change notice arrives.
        let renamed = crate::helpers::rename_item(app, "SWJ-XK-001").await;
        let (_, after, _, html) = crate::helpers::seen_soon(
            app,
            async || page(guide, None).await,
            |(_, cache, _, _)| cache.as_deref() == Some("miss"),
        )
        .await;
        assert_eq!(after.as_deref(), Some("miss"));
        assert!(html.contains(&renamed));
        assert_eq!(page("/items", None).await.1.as_deref(), Some("miss"));
        assert_eq!(page("/items", None).await.1.as_deref(), Some("hit"));
    })
    .await;
}

#[tokio::test]
async fn a_burst_of_first_visits_renders_a_guide_page_once() {
    crate::helpers::on_every_backend(async |app| {
        let guide = "/items/SWJ-XK-001";
        let visits = (0..24).map(|_| {
            let request = app.client.get(format!("{}{guide}", app.address)).send();
            async move {
                let response = request.await.unwrap();
                let status = response.status().as_u16();
                let cache = header_of(&response, "x-cache").to_string();
                (status, cache, response.text().await.unwrap())
            }
        });
        let answers = futures_util::future::join_all(visits).await;
        let misses = answers.iter().filter(|(_, c, _)| c == "miss").count();
        assert_eq!(misses, 1, "one render for all of them");
        for (status, _, html) in &answers {
            assert_eq!(*status, 200);
            assert_eq!(html, &answers[0].2, "the same page for all");
        }
        assert!(answers[0].2.contains("城镇污水排入排水管网许可"));
    })
    .await;
}
