//! The one application state, handed to routes and server functions (no global statics).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

/// Everything a request may need, shared: every extractor, middleware and server function
/// takes its own handle, so a clone is one reference count, not a copy of each part (the
/// site options' strings, the data directory's path, the pool's handles). Profiled on the
/// release build under load (healthz, tracking and a guide page on PostgreSQL), copying and
/// dropping the parts was about a quarter of the samples in the server's own code.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What leptos_axum's routes read of the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The parts of [`AppState`].
pub struct Shared {
    pub db: DatabaseConnection,
    pub leptos_options: LeptosOptions,
    /// Where the embedded database lives.
    pub data_dir: PathBuf,
    /// Uploaded materials (by default `<data_dir>/materials`).
    pub materials: super::storage::MaterialStore,
    /// Whether cookies carry `Secure` (the site is served over HTTPS).
    pub secure_cookies: bool,
    /// Reverse proxies of our own in front of the server: how far to trust
    /// `X-Forwarded-For` for the throttles (`server::client`).
    pub trusted_proxies: usize,
    /// The cases this instance polls for open live streams, one poll each
    /// (`rest::track::watch`).
    pub watched: Watched,
    /// The calendar, the names and the cases tracking shows, in memory, checked against the
    /// database on each lookup (`services::tracking::memory`).
    pub track: super::services::tracking::TrackCache,
}

/// Case id → the version its shared poll last saw.
pub type Watched = std::sync::Arc<
    std::sync::Mutex<std::collections::HashMap<i32, tokio::sync::watch::Receiver<i32>>>,
>;

/// The state inside a server function or a rendered page.
pub fn expect_state() -> Result<AppState, crate::error::AppError> {
    use_context::<AppState>()
        .ok_or_else(|| anyhow::anyhow!("no application state in this context").into())
}

/// Sets the HTTP status of the page being rendered (e.g. 404 for an unknown item code).
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// A short id that ties a "系统繁忙" message to the log line with the real cause.
pub fn incident_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    format!(
        "{:012x}",
        (nanos ^ COUNTER.fetch_add(1, Ordering::Relaxed).rotate_left(40)) & 0xffff_ffff_ffff
    )
}

/// The address the public reaches this site at (`ONEWINDOW_PUBLIC_URL`, e.g.
/// `https://zwfw.example.gov.cn`), for QR codes printed on paper; by default the address the
/// server listens on (`LEPTOS_SITE_ADDR`). Read once: it is configuration, not state.
pub fn public_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| match std::env::var("ONEWINDOW_PUBLIC_URL") {
        Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_string(),
        _ => format!(
            "http://{}",
            std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into())
        ),
    })
}
