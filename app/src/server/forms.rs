//! The public pages' forms as plain HTML posts, so the pages that do not load the
//! application (see `crate::app::lite_page`) work without JavaScript: a tracking lookup, 退出
//! and 在线申办. Each answers `303 See Other` (post, redirect, get: a reload never posts
//! again). A refusal travels to the next page in a one-time flash cookie (code and message,
//! read and cleared by `crate::api::forms::take_flash`), never in the address, so nobody can
//! make this site show a sentence of theirs through a link.
//!
//! The lookup is checked by the domain's rule first (`domain::track::lookup_problem`, the
//! same the browser runs), then as the JSON API checks it: throttled, a wrong number and a
//! wrong factor answered alike. A match sets a cookie for `/track` holding the case number and
//! its stream token (12 hours, `HttpOnly`): the tracking page then shows that case to this
//! browser, and follows it live, without the second factor ever appearing in an address.

use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Deserialize;

use crate::error::{AppError, ErrorCode};
use crate::server::auth::{MaybeApplicant, header_cookie};
use crate::server::client::ClientKey;
use crate::server::services::{accounts, applications, tracking};
use crate::server::state::AppState;

/// The cookie that shows a looked-up case on `/track`: `NUMBER:TOKEN`.
pub const TRACK_COOKIE: &str = "ow_track";
/// The one-time message for the next page: `CODE:MESSAGE` (the message percent-encoded).
pub const FLASH_COOKIE: &str = "ow_flash";

/// The forms' routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/track", post(track))
        .route("/logout", post(logout))
        .route("/apply", post(apply))
}

/// A tracking lookup as the form posts it.
#[derive(Deserialize)]
pub struct TrackForm {
    #[serde(default)]
    case: String,
    #[serde(default)]
    factor: String,
}

/// `POST /track`: checks the number and second factor; on a match, back to `/track?case=…`
/// with the case's cookie, else with the refusal.
async fn track(
    State(state): State<AppState>,
    client: ClientKey,
    form: Result<Form<TrackForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return unreadable(&state, "/track");
    };
    let number = form.case.trim().to_uppercase();
    let back = format!("/track?case={}", crate::url::encode_query(&number));
    if let Some(problem) = domain::track::lookup_problem(&form.case, &form.factor) {
        return see_other(
            &back,
            &[flash(&state, ErrorCode::ValidationFailed, problem)],
        );
    }
    let now = chrono::Utc::now();
    let opened = tracking::open(
        &state.db,
        &state.track,
        &number,
        tracking::Proof::Factor(&form.factor),
        &client,
        now,
    );
    match opened.await {
        Ok(case) => {
            let until = now.timestamp() + TRACK_COOKIE_SECONDS;
            let token = tracking::stream_token(&case.row, until);
            let secure = if state.secure_cookies { "; Secure" } else { "" };
            let cookie = format!(
                "{TRACK_COOKIE}={number}:{token}; Path=/track; HttpOnly; SameSite=Lax; \
                 Max-Age={TRACK_COOKIE_SECONDS}{secure}"
            );
            see_other(&back, &[cookie])
        }
        Err(e) => {
            let e = AppError::from(e);
            see_other(&back, &[flash(&state, e.code, &e.message)])
        }
    }
}

/// How long a lookup keeps showing its case to this browser (as long as its stream token).
const TRACK_COOKIE_SECONDS: i64 = 12 * 60 * 60;

/// `POST /logout`: ends the applicant's session; to the home page.
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = header_cookie(&headers, accounts::SESSION_COOKIE)
        && let Err(e) = accounts::logout(&state.db, token).await
    {
        return AppError::from(e).into_response();
    }
    see_other("/", &[accounts::clear_session_cookie(state.secure_cookies)])
}

/// 在线申办 as the guide's form posts it: an item or a bundle.
#[derive(Deserialize)]
pub struct ApplyForm {
    #[serde(default)]
    item: Option<String>,
    #[serde(default)]
    bundle: Option<String>,
}

/// `POST /apply`: starts a draft and opens it; not signed in, to the login page first.
async fn apply(
    State(state): State<AppState>,
    MaybeApplicant(account): MaybeApplicant,
    form: Result<Form<ApplyForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return unreadable(&state, "/items");
    };
    let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let (item, bundle) = (nonempty(form.item), nonempty(form.bundle));
    let here = match (&item, &bundle) {
        (Some(c), _) => format!("/items/{}", crate::url::encode_query(c)),
        (None, Some(c)) => format!("/bundles/{}", crate::url::encode_query(c)),
        (None, None) => "/items".to_string(),
    };
    let Some(account) = account else {
        return see_other(
            &format!("/login?next={}", crate::url::encode_query(&here)),
            &[],
        );
    };
    let draft = crate::views::applications::NewDraft {
        item,
        bundle,
        ..Default::default()
    };
    match applications::create_draft(&state.db, account.id, &draft, chrono::Utc::now()).await {
        Ok(view) => see_other(&format!("/applications/{}", view.number), &[]),
        Err(e) => {
            let e = AppError::from(e);
            see_other(&here, &[flash(&state, e.code, &e.message)])
        }
    }
}

/// Back to `to` with a one-time message, for a post that is not the page's form (another
/// content type, or fields that cannot be read): nothing is done.
fn unreadable(state: &AppState, to: &str) -> Response {
    let message = "提交的内容无法读取，请在本站页面上重新填写并提交";
    see_other(to, &[flash(state, ErrorCode::BadRequest, message)])
}

/// The `Set-Cookie` value of a one-time message.
fn flash(state: &AppState, code: ErrorCode, message: &str) -> String {
    let message = crate::url::encode_query(message);
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!(
        "{FLASH_COOKIE}={}:{message}; Path=/; HttpOnly; SameSite=Lax; Max-Age=120{secure}",
        code.as_str()
    )
}

/// The `Set-Cookie` value that removes the one-time message once shown.
pub fn clear_flash(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// The one-time message in a request's cookies: its code and message.
pub fn read_flash(headers: &HeaderMap) -> Option<(ErrorCode, String)> {
    let (code, message) = header_cookie(headers, FLASH_COOKIE)?.split_once(':')?;
    let message = percent_encoding::percent_decode_str(message)
        .decode_utf8()
        .ok()?
        .into_owned();
    Some((ErrorCode::parse(code), message))
}

/// The case a request's tracking cookie shows, if it is for `number`: its stream token.
pub fn tracked_token<'a>(headers: &'a HeaderMap, number: &str) -> Option<&'a str> {
    let (n, token) = header_cookie(headers, TRACK_COOKIE)?.split_once(':')?;
    n.eq_ignore_ascii_case(number.trim()).then_some(token)
}

/// `303 See Other` to `to`, setting `cookies`.
fn see_other(to: &str, cookies: &[String]) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(to) {
        headers.insert(header::LOCATION, location);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}
