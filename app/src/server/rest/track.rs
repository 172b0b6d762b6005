//! `/api/v1/track/…` (public tracking with a second factor, and its live event stream),
//! and `/api/v1/supervision/…` (the board of chief representatives and supervisors).
//!
//! Tracking answers a wrong number and a wrong second factor with the same 404
//! `track_not_found`; failures count against the client, which then gets 429
//! `too_many_attempts` with `Retry-After` (a right answer does not get through either).

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use serde::Deserialize;

use crate::server::auth::{Applicant, Staff};
use crate::server::error::{AppError, ErrorCode};
use crate::server::services::changes::Kind;
use crate::server::services::tracking::{self, ClientKey, Proof, TrackError};
use crate::server::state::AppState;
use crate::views::track::{Board, TrackView};

/// How often a live tracking stream looks for a change.
const WATCH_EVERY: Duration = Duration::from_secs(2);
/// A live stream ends after this long; the browser reconnects by itself.
const WATCH_FOR: Duration = Duration::from_secs(15 * 60);

/// The second factor, as a query parameter.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct FactorQuery {
    /// The applicant's mobile number, or the 查询码 printed on the receipt. May be sent in
    /// the `X-Track-Factor` header instead (kept out of access logs).
    #[serde(default)]
    pub factor: Option<String>,
}

/// The second factor sent in the `X-Track-Factor` header (an unreadable value counts as none).
fn factor_header(headers: &HeaderMap) -> Option<&str> {
    headers.get("x-track-factor").and_then(|v| v.to_str().ok())
}

/// 办理进度查询: a case's status, timeline, what the applicant must do, the due date and
/// working days left, pauses and extensions. Personal numbers are masked.
#[utoipa::path(get, path = "/api/v1/track/{number}", tag = "track",
    params(("number" = String, Path, description = "办件编号"), FactorQuery,
        ("X-Track-Factor" = Option<String>, Header, description = "the second factor (instead of the query parameter)")),
    responses(
        (status = 200, body = TrackView),
        (status = 404, description = "track_not_found: wrong number or wrong second factor (the same answer)"),
        (status = 429, description = "too_many_attempts; see Retry-After"),
    ))]
pub async fn track(
    State(state): State<AppState>,
    client: ClientKey,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(query): Query<FactorQuery>,
) -> Result<Response, TrackError> {
    let view = tracking::track(
        &state.db,
        &state.track,
        &number,
        Proof::Factor(
            factor_header(&headers)
                .or(query.factor.as_deref())
                .unwrap_or_default(),
        ),
        &client,
        chrono::Utc::now(),
    )
    .await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(view)).into_response())
}

/// What opens a case's live stream: the `stream` token of a lookup's answer (the second
/// factor never travels in this address; a client may send it in `X-Track-Factor`).
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StreamQuery {
    /// The `stream` value of the lookup's answer.
    #[serde(default)]
    pub stream: Option<String>,
}

/// Server-sent events while a tracking page is open: an event `changed` (data: the case's
/// new version) whenever the case moves. Opened by the lookup's `stream` token (or the
/// second factor in `X-Track-Factor`), with the lookup's throttle.
#[utoipa::path(get, path = "/api/v1/track/{number}/events", tag = "track",
    params(("number" = String, Path, description = "办件编号"), StreamQuery,
        ("X-Track-Factor" = Option<String>, Header, description = "the second factor, instead of a stream token")),
    responses(
        (status = 200, description = "text/event-stream; events `changed` with the new version", content_type = "text/event-stream"),
        (status = 404, description = "track_not_found"),
        (status = 429, description = "too_many_attempts"),
    ))]
pub async fn events(
    State(state): State<AppState>,
    client: ClientKey,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(query): Query<StreamQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let now = chrono::Utc::now();
    let proof = match (&query.stream, factor_header(&headers)) {
        (Some(token), _) => Proof::Token(token),
        (None, Some(factor)) => Proof::Factor(factor),
        (None, None) => return Err(TrackError::NotFound.into()),
    };
    let case = tracking::open(&state.db, &state.track, &number, proof, &client, now).await?;
    let (id, seen) = (case.row.id, case.stamp.progress());
    let slot = StreamSlot::take(&client)?;
    Ok(watch(state, id, seen, slot, None))
}

/// Live streams one client may hold open at once (a few tabs; a household behind one address).
const STREAMS_PER_CLIENT: usize = 8;
/// Live streams this instance holds open at once: each polls the database every two seconds.
const STREAMS_PER_INSTANCE: usize = 2_000;

/// A live stream's place: counted against its client and the instance while it is open, and
/// given back when it ends (the page closed, the time ran out, the session ended).
pub struct StreamSlot {
    client: String,
    _instance: tokio::sync::OwnedSemaphorePermit,
}

type ClientStreams = std::sync::Mutex<std::collections::HashMap<String, usize>>;

fn client_streams() -> &'static ClientStreams {
    static OPEN: std::sync::OnceLock<ClientStreams> = std::sync::OnceLock::new();
    OPEN.get_or_init(Default::default)
}

impl StreamSlot {
    /// A place for one more stream of `client`, or 429 `too_many_attempts` when it holds its
    /// share already, or 503 `busy` when the instance is full.
    pub fn take(client: &ClientKey) -> Result<Self, AppError> {
        static INSTANCE: std::sync::OnceLock<std::sync::Arc<tokio::sync::Semaphore>> =
            std::sync::OnceLock::new();
        let instance = INSTANCE
            .get_or_init(|| std::sync::Arc::new(tokio::sync::Semaphore::new(STREAMS_PER_INSTANCE)))
            .clone()
            .try_acquire_owned()
            .map_err(|_| {
                AppError::new(ErrorCode::Busy, "实时更新的连接已满，请稍后刷新页面")
                    .with_retry_after(30)
            })?;
        let mut open = client_streams().lock().unwrap_or_else(|e| e.into_inner());
        let mine = open.entry(client.0.clone()).or_default();
        if *mine >= STREAMS_PER_CLIENT {
            return Err(AppError::new(
                ErrorCode::TooManyAttempts,
                "打开的实时更新页面过多，请关闭一些页面后再试",
            )
            .with_retry_after(30));
        }
        *mine += 1;
        Ok(StreamSlot {
            client: client.0.clone(),
            _instance: instance,
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = client_streams().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.client);
            }
        }
    }
}

/// The version of case `id`, as one shared poll of the database sees it (so a change made by
/// any instance is seen). The poll runs while some stream follows the case, then stops. On
/// PostgreSQL a poll asks the database only after a change was heard.
fn follow_case(state: &AppState, id: i32, version: i32) -> tokio::sync::watch::Receiver<i32> {
    let watched = state.watched.clone();
    let mut cases = watched.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(rx) = cases.get(&id)
        && rx.has_changed().is_ok()
    {
        return rx.clone();
    }
    let (tx, rx) = tokio::sync::watch::channel(version);
    cases.insert(id, rx.clone());
    drop(cases);
    let (db, changes) = (state.db.clone(), state.track.changes.clone());
    tokio::spawn(async move {
        // The epoch of the last read: while it holds, no case has changed since
        // (`services::changes`; never on SQLite), and the database is not asked.
        let mut read_under = None;
        loop {
            tokio::time::sleep(WATCH_EVERY).await;
            {
                // The map's own receiver does not count as a follower.
                let mut cases = watched.lock().unwrap_or_else(|e| e.into_inner());
                if tx.receiver_count() <= 1 {
                    if cases
                        .get(&id)
                        .is_some_and(|rx| rx.same_channel(&tx.subscribe()))
                    {
                        cases.remove(&id);
                    }
                    return;
                }
            }
            let epoch = changes.epoch(Kind::Cases);
            if epoch.is_some() && epoch == read_under {
                continue;
            }
            match tracking::version_of(&db, id).await {
                Ok(Some(v)) => {
                    read_under = epoch;
                    tx.send_if_modified(|seen| std::mem::replace(seen, v) != v);
                }
                // The case is gone; its entry is replaced when it is followed again.
                Ok(None) => return,
                Err(e) => tracing::warn!(error = ?e, "tracking stream could not read"),
            }
        }
    });
    rx
}

/// The stream of a case's changes: an event `changed` with its new version, from the case's
/// shared poll. It holds `slot` while open, and ends after [`WATCH_FOR`], or as soon as the
/// applicant session `session` (a cookie token) has ended (checked every few seconds).
pub fn watch(
    state: AppState,
    id: i32,
    version: i32,
    slot: StreamSlot,
    session: Option<String>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let until = tokio::time::Instant::now() + WATCH_FOR;
    let mut rx = follow_case(&state, id, version);
    if *rx.borrow() != version {
        // The shared poll has already seen a newer version than this page: say so at once.
        rx.mark_changed();
    }
    let s = stream::unfold((version, rx, slot), move |(seen, mut rx, slot)| {
        let db = state.db.clone();
        let session = session.clone();
        async move {
            loop {
                let left = until.saturating_duration_since(tokio::time::Instant::now());
                if left.is_zero() {
                    return None;
                }
                tokio::select! {
                    changed = rx.changed() => {
                        if changed.is_err() {
                            return None;
                        }
                        let v = *rx.borrow_and_update();
                        if v != seen {
                            let event = Event::default().event("changed").data(v.to_string());
                            return Some((Ok(event), (v, rx, slot)));
                        }
                    }
                    _ = tokio::time::sleep(WATCH_EVERY.min(left)) => {
                        if let Some(token) = &session
                            && !crate::server::services::accounts::session_alive(
                                &db,
                                token,
                                chrono::Utc::now(),
                            )
                            .await
                            .unwrap_or(true)
                        {
                            return None;
                        }
                    }
                }
            }
        }
    });
    Sse::new(s).keep_alive(KeepAlive::default())
}

/// The supervision board: the department's open cases by time left (green / amber / red /
/// overdue / paused), counts per item, the ladder's warnings and who has seen them.
#[utoipa::path(get, path = "/api/v1/supervision/board", tag = "supervision",
    responses(
        (status = 200, body = Board),
        (status = 403, description = "not_permitted: only chief representatives and supervisors"),
    ))]
pub async fn board(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> Result<Json<Board>, AppError> {
    Ok(Json(
        tracking::board(&state.db, &state.track.reference, &me, chrono::Utc::now()).await?,
    ))
}

/// Marks a warning of the department as seen by the signed-in staff member.
#[utoipa::path(post, path = "/api/v1/supervision/warnings/{id}/seen", tag = "supervision",
    params(("id" = i32, Path, description = "warning id")),
    responses(
        (status = 204),
        (status = 403, description = "not_permitted: only chief representatives and supervisors, as for the board"),
        (status = 404, description = "case_not_found: no such warning in the department"),
    ))]
pub async fn seen(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i32>,
) -> Result<StatusCode, AppError> {
    tracking::mark_seen(&state.db, &me, id, chrono::Utc::now())
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(AppError::from)
}

/// Server-sent events for the signed-in applicant's own case (by 申请编号 or 办件编号):
/// `changed` with the new version whenever it moves; another applicant's number is 404.
#[utoipa::path(get, path = "/api/v1/applications/{number}/events", tag = "applications",
    params(("number" = String, Path, description = "申请编号或办件编号")),
    responses(
        (status = 200, description = "text/event-stream; events `changed` with the new version", content_type = "text/event-stream"),
        (status = 404, description = "application_not_found"),
    ))]
pub async fn own_events(
    State(state): State<AppState>,
    Applicant(account): Applicant,
    client: ClientKey,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    use crate::server::services::accounts::{SESSION_COOKIE, cookie_value};
    let row = crate::server::services::applications::own_row(&state.db, account.id, &number)
        .await?
        .ok_or_else(|| AppError::new(ErrorCode::ApplicationNotFound, "没有这个申请"))?;
    // The stream ends with the session it was opened in (logout, or idle expiry).
    let session = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| cookie_value(c, SESSION_COOKIE))
        .map(str::to_owned);
    let seen = tracking::version_of(&state.db, row.id)
        .await?
        .unwrap_or(row.version);
    let slot = StreamSlot::take(&client)?;
    Ok(watch(state, row.id, seen, slot, session))
}
