//! The HTTP router: pages, server functions, the JSON API, static files, health.

use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use leptos::prelude::provide_context;
use leptos_axum::{
    AxumRouteListing, LeptosRoutes, generate_route_list, handle_server_fns_with_context,
};
use sea_orm::DatabaseConnection;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use app::app::{App, shell};
use app::server::services::tracking::TrackCache;
use app::server::state::{AppState, Shared};
use app::server::{db, rest};

use crate::config::Config;

/// Builds the whole application.
pub fn build(state: AppState) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let options = state.leptos_options.clone();
    let site_root = options.site_root.to_string();
    let pkg_dir = format!("{site_root}/{}", options.site_pkg_dir);

    // The wasm, JS and CSS: precompressed by `cargo leptos build --release --precompress`,
    // revalidated on every use (their names carry no hash, so they must not go stale).
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));

    let https = state.secure_cookies;
    let proxies = app::server::client::TrustedProxies(state.trusted_proxies);
    let hsts = HeaderValue::from_static("max-age=31536000");
    Router::new()
        .route("/healthz", get(healthz))
        .merge(rest::router().with_state(state.clone()))
        .merge(app::server::forms::router().with_state(state.clone()))
        .route(
            "/sf/{*fn_name}",
            get({
                let context = context.clone();
                move |req: Request<Body>| handle_server_fns_with_context(context.clone(), req)
            })
            .post({
                let context = context.clone();
                move |req: Request<Body>| handle_server_fns_with_context(context.clone(), req)
            }),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", pkg)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        // Inside the compression: the kept pages are the rendered markup.
        .layer(axum::middleware::from_fn_with_state(
            crate::page_cache::PageCache::new(state.clone()),
            crate::page_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            own_writes_seen,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            mark_submitted_cases,
        ))
        .layer(axum::middleware::from_fn(refuse_nul))
        .layer(axum::Extension(proxies))
        .layer(axum::middleware::from_fn(same_origin_writes))
        // No MIME sniffing; no framing by another site (clickjacking; the workbench frames
        // its own PDF materials, so 'self'); no <base> from elsewhere; no full address in the
        // Referer sent to other sites (tracking pages carry case numbers); and HSTS for a
        // year when served over HTTPS.
        .layer(default_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(default_header(header::X_FRAME_OPTIONS, "SAMEORIGIN"))
        .layer(default_header(
            header::CONTENT_SECURITY_POLICY,
            "frame-ancestors 'self'; base-uri 'self'",
        ))
        .layer(default_header(
            header::REFERRER_POLICY,
            "strict-origin-when-cross-origin",
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &axum::response::Response| https.then(|| hsts.clone()),
        ))
        // Pages and API answers compressed on the fly at level 4: brotli's default (11) cost
        // a guide page half its request rate for a few hundred bytes (scripts/bench); the
        // static files under /pkg are precompressed at the highest level instead.
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The pages' routes, listed once per process. Listing them renders the app with every
/// resource load suppressed through a flag leptos_server keeps for the whole process: a page
/// rendered meanwhile by another router of the process (tests start one per test, in
/// parallel) would wait forever on its first resource (leptos-rs/leptos#4773). Listed once,
/// before any router exists, nothing can be rendering then.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// A header every answer carries unless its handler set one.
fn default_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Refuses, with 400 `invalid_query`, a request whose address carries a NUL byte (`%00`), and
/// a server function call whose arguments do (form-encoded `%00`, a raw NUL, or JSON's
/// `\u0000`): PostgreSQL cannot store or compare text that holds one, so a search, a code, a
/// number or a login with it would otherwise end in a 500. (The JSON API refuses U+0000 where
/// it reads its bodies.)
async fn refuse_nul(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use app::error::{AppError, ErrorCode};
    let uri = request.uri();
    if uri.path().contains("%00") || uri.query().is_some_and(|q| q.contains("%00")) {
        return AppError::new(
            ErrorCode::InvalidQuery,
            "请求地址中含有空字符（%00），无法处理",
        )
        .into_response();
    }
    if !(uri.path().starts_with("/sf/") && request.method() == axum::http::Method::POST) {
        return next.run(request).await;
    }
    // A server function's arguments are small (files go to the JSON API).
    let (parts, body) = request.into_parts();
    let refused = |code: ErrorCode, message: &str| {
        let status = StatusCode::from_u16(code.status()).unwrap_or(StatusCode::BAD_REQUEST);
        (status, axum::Json(AppError::new(code, message))).into_response()
    };
    let Ok(bytes) = axum::body::to_bytes(body, SERVER_FN_BODY_LIMIT).await else {
        return refused(ErrorCode::PayloadTooLarge, "提交的内容过大，无法处理");
    };
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if bytes.contains(&0) || holds(b"%00") || holds(b"\\u0000") {
        return refused(
            ErrorCode::InvalidQuery,
            "提交的内容中含有空字符（U+0000），无法处理",
        );
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The largest server function call read (its arguments, not files).
const SERVER_FN_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// Refuses, with 403 `cross_site`, a state-changing request (anything but GET, HEAD and
/// OPTIONS; the API's and the server functions' alike) that a browser says comes from a page
/// of another origin: `Sec-Fetch-Site` other than `same-origin` or `none`, or else an `Origin`
/// whose host is not the one addressed. SameSite cookies alone do not stop a sibling host of
/// the same registrable domain, nor a forged login. A request with neither header is not from
/// a browser's page (curl, a client program) and carries no ambient credentials to abuse.
async fn same_origin_writes(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if !request.method().is_safe() && from_another_site(request.headers()) {
        return app::error::AppError::new(
            app::error::ErrorCode::CrossSite,
            "拒绝来自其他网站页面的请求：请在本站页面上操作",
        )
        .into_response();
    }
    next.run(request).await
}

/// After a request that may have written (any method but GET, HEAD, OPTIONS and TRACE),
/// what this instance remembers of the database stops holding before the answer leaves:
/// whoever changed something reads it back at once, without waiting for the database's
/// notice (`services::changes`).
async fn own_writes_seen(
    State(state): State<AppState>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let writes = !request.method().is_safe();
    let response = next.run(request).await;
    if writes {
        state.track.changes.wrote();
    }
    response
}

/// Marks a request for the application page of a case its sender has submitted
/// ([`app::app::SubmittedCase`]), so that the page is sent with that page's wasm rather than
/// the draft form's. Pages only (GET); when the sender is not signed in, the number is not
/// theirs or the lookup fails, nothing is marked, and the page itself says what is wrong.
async fn mark_submitted_cases(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if request.method() == axum::http::Method::GET
        && let Some(number) = app::app::application_number(request.uri().path())
        && let Ok(Some(who)) = app::server::auth::who_of(&state, request.headers()).await
        && let Ok(Some(true)) =
            app::server::services::applications::submitted(&state.db, who, number).await
    {
        request.extensions_mut().insert(app::app::SubmittedCase);
    }
    next.run(request).await
}

/// Whether a browser marked the request as sent from a page of another origin.
fn from_another_site(headers: &axum::http::HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or("?"));
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match (text("origin"), text("host")) {
        (None, _) => false,
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_none_or(|(_, authority)| !authority.eq_ignore_ascii_case(host)),
        (Some(_), None) => true,
    }
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if db::is_reachable(&state.db).await {
        (StatusCode::OK, [(header::CACHE_CONTROL, "no-store")], "ok")
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CACHE_CONTROL, "no-store")],
            "database unreachable",
        )
    }
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(config: Config, db: DatabaseConnection) -> anyhow::Result<()> {
    let addr = config.leptos.site_addr;
    let materials = app::server::storage::MaterialStore::local(&config.data_dir)?;
    let track = TrackCache::new(&db);
    let state = AppState::new(Shared {
        db,
        leptos_options: config.leptos,
        materials,
        data_dir: config.data_dir,
        secure_cookies: config.secure_cookies,
        trusted_proxies: config.trusted_proxies,
        watched: Default::default(),
        track,
    });
    tokio::spawn(five_day_rule(state.db.clone()));
    tokio::spawn(warning_ladder(state.db.clone()));
    tokio::spawn(material_sweeper(state.db.clone(), state.materials.clone()));
    let smtp = config
        .smtp_url
        .as_deref()
        .map(|url| app::server::notify::SmtpSender::new(url, &config.mail_from))
        .transpose()?;
    tokio::spawn(deliver_notifications(state.db.clone(), smtp));
    let app = build(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("无法监听 {addr}（端口被占用？可用 LEPTOS_SITE_ADDR 换一个）"))?;
    tracing::info!("serving on http://{addr}");
    // The peer's address keys the tracking throttle.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("the server stopped with an error")
}

/// Rule 3 (the five-day rule), applied at start and then every ten minutes. Several instances
/// may run it against one database: each case moves once.
async fn five_day_rule(db: DatabaseConnection) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        use app::server::services::review;
        let deemed = review::deem_overdue(&db, chrono::Utc::now()).await;
        report("five-day rule", "case(s) deemed accepted", deemed);
        let opened = review::open_missing_tasks(&db, chrono::Utc::now()).await;
        report(
            "missing review tasks",
            "case(s) accepted before them given theirs",
            opened,
        );
    }
}

/// The warning ladder (rule 6) and the applicants' 容缺 reminders (rule 7), at start and then
/// every ten minutes; several instances may run it: each rung and reminder goes out once.
async fn warning_ladder(db: DatabaseConnection) {
    let mut every = tokio::time::interval(Duration::from_secs(600));
    loop {
        every.tick().await;
        use app::server::services::tracking;
        let raised = tracking::raise_warnings(&db, chrono::Utc::now()).await;
        report("warning ladder", "warning(s) raised", raised);
        let reminded = tracking::remind_deferred(&db, chrono::Utc::now()).await;
        report("容缺 reminders", "applicant(s) reminded", reminded);
    }
}

/// Every hour, the stored files nothing refers to and nothing wrote in the last hour go (a
/// crash between storing a file and recording it leaves one behind).
async fn material_sweeper(db: DatabaseConnection, store: app::server::storage::MaterialStore) {
    let mut every = tokio::time::interval(Duration::from_secs(3600));
    loop {
        every.tick().await;
        let before = chrono::Utc::now() - chrono::Duration::hours(1);
        let swept = app::server::services::applications::sweep_unreferenced(&db, &store, before);
        report(
            "material sweeper",
            "unreferenced file(s) deleted",
            swept.await,
        );
    }
}

/// Delivers the notification outbox every five seconds: e-mail through SMTP when
/// `ONEWINDOW_SMTP_URL` is set, everything else (and e-mail without it) recorded in the
/// database and the log.
async fn deliver_notifications(
    db: DatabaseConnection,
    smtp: Option<app::server::notify::SmtpSender>,
) {
    use app::server::notify::{LogSender, Sender};
    let mut senders: Vec<&dyn Sender> = Vec::new();
    if let Some(s) = &smtp {
        senders.push(s);
    }
    senders.push(&LogSender);
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        every.tick().await;
        if let Err(e) =
            app::server::notify::deliver_pending(&db, &senders, chrono::Utc::now()).await
        {
            tracing::warn!(error = ?e, "notification delivery failed");
        }
    }
}

/// Logs a run of a periodic job: how many things it did (`done` says what) when it did
/// something, or why it failed.
fn report<N: TryInto<u64>>(job: &str, done: &str, result: anyhow::Result<N>) {
    match result.map(|n| n.try_into().unwrap_or(u64::MAX)) {
        Ok(0) => {}
        Ok(n) => tracing::info!("{job}: {n} {done}"),
        Err(e) => tracing::warn!(error = ?e, "{job} failed"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    // Give in-flight requests a moment; then the process exits.
    tokio::time::sleep(Duration::from_millis(100)).await;
}
