//! `spawn_app()`: the real router on a random port over a fresh database.

use std::sync::atomic::{AtomicU32, Ordering};

use app::domain::catalog::CatalogFile;
use app::server::db;
use app::server::services::catalog;
use app::server::state::{AppState, Shared};
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// The demo catalog as shipped.
pub const DEMO: &str = onewindow::config::DEMO_CATALOG;

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    Postgres(String),
}

/// SQLite always; PostgreSQL as well when `ONEWINDOW_TEST_PG_URL` names a server.
pub fn backends() -> Vec<Backend> {
    let mut out = vec![Backend::Sqlite];
    if let Ok(url) = std::env::var("ONEWINDOW_TEST_PG_URL")
        && !url.trim().is_empty()
    {
        out.push(Backend::Postgres(url));
    }
    out
}

/// A running application.
pub struct TestApp {
    pub backend: Backend,
    pub address: String,
    pub db: DatabaseConnection,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
    /// The cases the server polls for open live streams (its AppState's map).
    pub watched: app::server::state::Watched,
    /// What the server's tracking keeps in memory (its AppState's).
    pub track: app::server::services::tracking::TrackCache,
    pg_database: Option<(String, String)>,
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request failed")
    }

    /// `GET path` with a session cookie: the response as it comes (a file, a stream).
    pub async fn get_with(&self, cookie: &str, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .header("cookie", cookie)
            .send()
            .await
            .expect("request failed")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// Sends a request with the session cookie, if any: the status, and the JSON body (`Null`
    /// when there is none).
    pub async fn send(
        &self,
        mut request: reqwest::RequestBuilder,
        cookie: Option<&str>,
    ) -> (u16, serde_json::Value) {
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        let response = request.send().await.expect("request failed");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// Drops the PostgreSQL database made for this test.
    pub async fn cleanup(self) {
        if let Some((admin_url, name)) = &self.pg_database {
            self.db.clone().close().await.ok();
            if let Ok(admin) = db::connect(admin_url).await {
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await
                    .ok();
            }
        }
    }
}

/// A fresh application state over `conn`, its files under `dir`.
pub fn state_of(conn: &DatabaseConnection, dir: &std::path::Path) -> AppState {
    let options = LeptosOptions::builder()
        .output_name("onewindow")
        .site_root("target/site")
        .build();
    AppState::new(Shared {
        db: conn.clone(),
        leptos_options: options,
        materials: app::server::storage::MaterialStore::local(dir).unwrap(),
        data_dir: dir.to_path_buf(),
        secure_cookies: false,
        // As behind one proxy: a test stands for another client with `X-Forwarded-For`.
        trusted_proxies: 1,
        watched: Default::default(),
        track: app::server::services::tracking::TrackCache::new(conn),
    })
}

/// Starts the app on `backend` with an empty (migrated) catalog.
pub async fn spawn_empty(backend: &Backend) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, pg_database) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
            None,
        ),
        Backend::Postgres(admin_url) => {
            static COUNTER: AtomicU32 = AtomicU32::new(0);
            let name = format!(
                "ow_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            );
            let admin = db::connect(admin_url)
                .await
                .expect("connect to the PostgreSQL test server");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create database");
            admin.close().await.ok();
            (
                replace_database(admin_url, &name),
                Some((admin_url.clone(), name)),
            )
        }
    };
    let conn = db::connect(&url).await.expect("connect");
    db::migrate(&conn).await.expect("migrate");
    let state = state_of(&conn, dir.path());
    let (watched, track) = (state.watched.clone(), state.track.clone());
    let router = onewindow::router::build(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .ok()
    });
    TestApp {
        backend: backend.clone(),
        address,
        db: conn,
        client: reqwest::Client::new(),
        dir,
        watched,
        track,
        pg_database,
    }
}

/// Starts the app with the demo catalog imported.
pub async fn spawn_app(backend: &Backend) -> TestApp {
    let app = spawn_empty(backend).await;
    catalog::import_text(&app.db, DEMO, "demo")
        .await
        .expect("demo imports");
    app
}

/// Runs `test` on every backend, each time against a fresh app with the demo catalog, and
/// drops the app's database afterwards.
pub async fn on_every_backend(test: impl AsyncFn(&TestApp)) {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        test(&app).await;
        app.cleanup().await;
    }
}

/// `on_every_backend` with an empty catalog.
pub async fn on_every_empty_backend(test: impl AsyncFn(&TestApp)) {
    for backend in backends() {
        let app = spawn_empty(&backend).await;
        test(&app).await;
        app.cleanup().await;
    }
}

/// Sends a JSON request (body optional) with the session cookie, if any.
pub async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    cookie: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = app.client.request(method, format!("{}{path}", app.address));
    if let Some(b) = body {
        request = request.json(&b);
    }
    app.send(request, cookie).await
}

/// Makes a draft of `body` (`201`): its number.
pub async fn draft_of(app: &TestApp, me: &str, body: serde_json::Value) -> String {
    let (status, draft) = call(
        app,
        reqwest::Method::POST,
        "/api/v1/applications",
        Some(me),
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{draft}");
    draft["number"].as_str().unwrap().to_string()
}

/// Submits the draft `number` (`200`): the case number.
pub async fn submit_draft(app: &TestApp, me: &str, number: &str) -> String {
    let path = format!("/api/v1/applications/{number}/submit");
    let (status, case) = call(app, reqwest::Method::POST, &path, Some(me), None).await;
    assert_eq!(status, 200, "{case}");
    case["case_number"].as_str().unwrap().to_string()
}

/// Signs in by posting `body` to `path` (a login); the session cookie to send, as
/// `name=value`.
pub async fn sign_in(app: &TestApp, path: &str, body: serde_json::Value) -> String {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    header_of(&response, "set-cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// Signs a staff member in with their 工号 and password; the session cookie to send.
pub async fn staff_sign_in(app: &TestApp, login: &str, password: &str) -> String {
    let body = serde_json::json!({"login": login, "password": password});
    sign_in(app, "/api/v1/staff/login", body).await
}

/// The entry for `status` in a list's `counts` (the queue's or the task list's).
pub fn count_of(list: &serde_json::Value, status: &str) -> serde_json::Value {
    list["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == status)
        .cloned()
        .unwrap()
}

/// The value of the header `name` of a response, as text.
pub fn header_of(response: &reqwest::Response, name: impl reqwest::header::AsHeaderName) -> &str {
    response.headers()[name].to_str().unwrap()
}

/// The text under `key` of every entry of the JSON array `list`, in order.
pub fn texts<'a>(list: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e[key].as_str().unwrap())
        .collect()
}

/// `GET path` with a session cookie: the status and the JSON body.
pub async fn get_as(app: &TestApp, cookie: &str, path: &str) -> (u16, serde_json::Value) {
    call(app, reqwest::Method::GET, path, Some(cookie), None).await
}

/// `POST path` of a JSON body with a session cookie: the status and the JSON answer.
pub async fn post_as(
    app: &TestApp,
    cookie: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    call(app, reqwest::Method::POST, path, Some(cookie), Some(body)).await
}

/// `POST path` with a session cookie and no body: the status and the JSON answer.
pub async fn post_empty(app: &TestApp, cookie: &str, path: &str) -> (u16, serde_json::Value) {
    call(app, reqwest::Method::POST, path, Some(cookie), None).await
}

/// `DELETE path` with a session cookie: the status and the JSON answer.
pub async fn delete_as(app: &TestApp, cookie: &str, path: &str) -> (u16, serde_json::Value) {
    call(app, reqwest::Method::DELETE, path, Some(cookie), None).await
}

/// An application as its applicant sees it (`GET /api/v1/applications/{number}`).
pub async fn own_case(app: &TestApp, cookie: &str, number: &str) -> serde_json::Value {
    let (status, view) = get_as(app, cookie, &format!("/api/v1/applications/{number}")).await;
    assert_eq!(status, 200, "{view}");
    view
}

/// The `(field, code)` of each problem in a problem+json body, each of which must come with
/// a message.
pub fn problems(body: &serde_json::Value) -> Vec<(String, String)> {
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned).unwrap_or_default();
    body["errors"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            assert!(
                !text(&e["message"]).is_empty(),
                "a problem without a message: {e}"
            );
            (text(&e["field"]), text(&e["code"]))
        })
        .collect()
}

/// The code of each problem in a problem+json body, in order.
pub fn problem_codes(body: &serde_json::Value) -> Vec<String> {
    problems(body).into_iter().map(|(_, code)| code).collect()
}

/// Asserts that a request was refused as unprocessable (422) with exactly these problem
/// codes, in order.
#[track_caller]
pub fn assert_refused(answer: (u16, serde_json::Value), codes: &[&str]) {
    let (status, body) = answer;
    assert_eq!(status, 422, "{body}");
    assert_eq!(problem_codes(&body), codes, "{body}");
}

/// The demo catalog, parsed, for tests that change it.
pub fn demo() -> CatalogFile {
    CatalogFile::from_json(DEMO).expect("demo parses")
}

/// `postgres://user@host:port/db?x` with another database name.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The stored row of a case, by its 办件编号.
pub async fn case_row(app: &TestApp, case: &str) -> app::server::entities::application::Model {
    use app::server::entities::application;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    application::Entity::find()
        .filter(application::Column::CaseNumber.eq(case))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no case {case}"))
}

/// Imports the demo catalog again with item `code` renamed (a new guide version); the new
/// name.
pub async fn rename_item(app: &TestApp, code: &str) -> String {
    let mut file = demo();
    let item = file.items.iter_mut().find(|i| i.code == code).unwrap();
    item.name = format!("{}（新）", item.name);
    let renamed = item.name.clone();
    catalog::import(&app.db, &file, "renamed.json", "r")
        .await
        .unwrap();
    renamed
}

/// What `read` answers once `done` holds, after a change made behind the server's back (as
/// another instance would make it). SQLite: the very next read must see it. PostgreSQL: the
/// server remembers what it read until the database's notice of the change arrives, a few
/// milliseconds later (`services::changes`); given up to five seconds.
pub async fn seen_soon<T>(
    app: &TestApp,
    mut read: impl AsyncFnMut() -> T,
    done: impl Fn(&T) -> bool,
) -> T {
    let tries = match app.backend {
        Backend::Sqlite => 0,
        Backend::Postgres(_) => 100,
    };
    let mut last = read().await;
    for _ in 0..tries {
        if done(&last) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        last = read().await;
    }
    last
}

/// Waits (up to five seconds) until the server hears the database's change notices: on
/// PostgreSQL once its listening connection is up; never on SQLite, which has none.
pub async fn listening(app: &TestApp) -> bool {
    use app::server::services::changes::Kind;
    let heard = async || app.track.changes.epoch(Kind::Cases).is_some();
    seen_soon(app, heard, |h| *h).await
}
