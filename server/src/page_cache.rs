//! The catalog pages a visitor reads, kept rendered: `/items`, `/bundles`, `/items/{code}` and
//! `/bundles/{code}`, asked for without a query and without a session cookie, are the same
//! for every visitor until the catalog changes. Rendering one costs far more than serving it,
//! so the first visitor's page is kept under the reference stamp it was rendered after
//! (`services::reference`), and served again until the stamp moves (a catalog import or a
//! calendar year, on any instance): one small query per request, as the guide's data already
//! costs.
//!
//! Each answer still gets its own nonce: the kept page's nonce is replaced, in the markup and
//! in the Content-Security-Policy, by a fresh one, so no two answers share one. Only a 200
//! without a `Set-Cookie` is kept; every other request passes through untouched. An `x-cache`
//! header says `hit` or `miss`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::server::services::accounts::SESSION_COOKIE;
use app::server::services::reference::Stamp;
use app::server::state::AppState;

/// The most pages kept: the catalog's pages, with room to spare; past it nothing new is kept.
const MOST_PAGES: usize = 4096;

/// The pages kept for one application state.
#[derive(Clone)]
pub struct PageCache {
    state: AppState,
    pages: Arc<Mutex<HashMap<String, Arc<Kept>>>>,
}

/// A page as rendered, with the nonce it was rendered with.
struct Kept {
    stamp: Stamp,
    headers: HeaderMap,
    html: String,
    nonce: String,
}

impl PageCache {
    pub fn new(state: AppState) -> Self {
        PageCache {
            state,
            pages: Arc::default(),
        }
    }

    fn held(&self, path: &str, stamp: &Stamp) -> Option<Arc<Kept>> {
        let pages = self.pages.lock().ok()?;
        pages.get(path).filter(|k| &k.stamp == stamp).cloned()
    }

    fn keep(&self, path: String, kept: Kept) {
        if let Ok(mut pages) = self.pages.lock()
            && (pages.len() < MOST_PAGES || pages.contains_key(&path))
        {
            pages.insert(path, Arc::new(kept));
        }
    }
}

/// The path of a request this cache answers: a visitor's GET of a catalog page, no query.
fn cached_path(request: &Request<Body>) -> Option<String> {
    if request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let signed_in = app::server::auth::header_cookie(request.headers(), SESSION_COOKIE).is_some();
    let path = request.uri().path();
    let catalog_page = matches!(path, "/items" | "/bundles")
        || path
            .strip_prefix("/items/")
            .or_else(|| path.strip_prefix("/bundles/"))
            .is_some_and(|code| !code.is_empty() && !code.contains('/'));
    (catalog_page && !signed_in).then(|| path.to_string())
}

/// The middleware: a kept page when the stamp still holds, else the page rendered (and kept).
pub async fn serve(State(cache): State<PageCache>, request: Request<Body>, next: Next) -> Response {
    let Some(path) = cached_path(&request) else {
        return next.run(request).await;
    };
    // The stamp is read before rendering: a page kept under it is at least that new.
    let reference = match cache.state.track.reference.get(&cache.state.db).await {
        Ok(r) => r,
        Err(_) => return next.run(request).await,
    };
    if let Some(kept) = cache.held(&path, &reference.stamp) {
        return answer(&kept, "hit");
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = ?e, path, "a page failed while rendering");
            return app::error::AppError::new(
                app::error::ErrorCode::Internal,
                "页面生成失败，请刷新重试",
            )
            .into_response();
        }
    };
    let nonce = parts
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(nonce_of);
    let (Some(nonce), Ok(html)) = (nonce, String::from_utf8(bytes.to_vec())) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let kept = Kept {
        stamp: reference.stamp.clone(),
        headers,
        html,
        nonce,
    };
    let response = answer(&kept, "miss");
    cache.keep(path, kept);
    response
}

/// The nonce a policy allows (`'nonce-…'`).
fn nonce_of(policy: &str) -> Option<String> {
    let rest = policy.split("'nonce-").nth(1)?;
    let nonce = rest.split('\'').next()?;
    (!nonce.is_empty()).then(|| nonce.to_string())
}

/// The kept page with a fresh nonce in its markup and its policy.
fn answer(kept: &Kept, cache: &'static str) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    let mut headers = kept.headers.clone();
    if let Some(policy) = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .and_then(|p| HeaderValue::from_str(&p.replace(&kept.nonce, &nonce)).ok())
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert("x-cache", HeaderValue::from_static(cache));
    let mut response = Response::new(Body::from(kept.html.replace(&kept.nonce, &nonce)));
    *response.headers_mut() = headers;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let policy = app::server::csp::page_policy("abc+/=");
        assert_eq!(nonce_of(&policy).as_deref(), Some("abc+/="));
        assert_eq!(nonce_of("default-src 'self'"), None);
    }

    #[test]
    fn only_a_visitors_plain_catalog_pages_are_kept() {
        let request = |method: Method, uri: &str, cookie: Option<&str>| {
            let mut r = Request::builder().method(method).uri(uri);
            if let Some(c) = cookie {
                r = r.header(header::COOKIE, c);
            }
            r.body(Body::empty()).unwrap()
        };
        let visitor = |uri: &str| cached_path(&request(Method::GET, uri, None));
        assert_eq!(
            visitor("/items/SWJ-XK-001").as_deref(),
            Some("/items/SWJ-XK-001")
        );
        assert_eq!(visitor("/bundles").as_deref(), Some("/bundles"));
        for uri in [
            "/",
            "/items?q=水",
            "/items/",
            "/items/a/b",
            "/track",
            "/login",
        ] {
            assert_eq!(visitor(uri), None, "{uri}");
        }
        let signed_in = format!("{SESSION_COOKIE}=x");
        assert_eq!(
            cached_path(&request(Method::GET, "/items", Some(&signed_in))),
            None
        );
        assert_eq!(cached_path(&request(Method::HEAD, "/items", None)), None);
    }
}
