//! The catalog pages a visitor reads, kept rendered: `/items`, `/bundles`, `/items/{code}` and
//! `/bundles/{code}`, asked for without a query and without a session cookie, are the same
//! for every visitor until the catalog changes. Rendering one costs far more than serving it,
//! so the first visitor's page is kept under the reference stamp it was rendered after
//! (`services::reference`), and served again until the stamp moves (a catalog import or a
//! calendar year, on any instance): one small query per request, as the guide's data already
//! costs.
//!
//! These pages are never hydrated, so the inline scripts leptos writes for hydration (the
//! resources' data) are dropped from the kept page, and with them every use of the nonce: the
//! one script left, `/pkg/lite/lite.js`, is this site's file, which the policy allows without
//! one. The page is then the same bytes for every visitor and is compressed once (brotli and
//! gzip), not on every request; each answer's policy still names a fresh nonce, which nothing
//! in the page carries, so no inline script can run at all. Only a 200 without a
//! `Set-Cookie` is kept; every other request passes through untouched. An `x-cache` header
//! says `hit` or `miss`. Visitors who ask for a page while it is being rendered wait for that
//! render and get what it kept, so a burst of first visits renders the page once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
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
    /// One turn per path being rendered: visitors who ask for a page while it renders wait
    /// for that render and are served what it kept, so a burst of first visits renders it
    /// once. A path's entry lives only while it renders.
    rendering: Arc<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>>,
}

/// A page as kept: its markup without inline scripts, and that compressed.
struct Kept {
    stamp: Stamp,
    headers: HeaderMap,
    html: Bytes,
    br: Bytes,
    gzip: Bytes,
}

impl Kept {
    fn new(stamp: Stamp, mut headers: HeaderMap, html: String) -> std::io::Result<Self> {
        use std::io::Write;
        headers.remove(header::CONTENT_LENGTH);
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 4096, BROTLI_QUALITY, 22);
            w.write_all(html.as_bytes())?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(html.as_bytes())?;
        Ok(Kept {
            stamp,
            headers,
            html: Bytes::from(html),
            br: Bytes::from(br),
            gzip: Bytes::from(gz.finish()?),
        })
    }
}

/// Brotli's highest quality: a page is compressed once per catalog change.
const BROTLI_QUALITY: u32 = 11;

impl PageCache {
    pub fn new(state: AppState) -> Self {
        PageCache {
            state,
            pages: Arc::default(),
            rendering: Arc::default(),
        }
    }

    /// The turn to render `path` (the same for everyone asking while it renders).
    fn turn(&self, path: &str) -> Option<Arc<tokio::sync::Mutex<()>>> {
        let mut rendering = self.rendering.lock().ok()?;
        Some(rendering.entry(path.to_string()).or_default().clone())
    }

    /// Ends the render of `path` that had `turn`: those waiting find the page kept, or
    /// render in turn.
    fn rendered(&self, path: &str, turn: &Arc<tokio::sync::Mutex<()>>) {
        if let Ok(mut rendering) = self.rendering.lock()
            && rendering.get(path).is_some_and(|t| Arc::ptr_eq(t, turn))
        {
            rendering.remove(path);
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
    (app::app::catalog_page(path) && !signed_in).then(|| path.to_string())
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
    let encoding = Encoding::accepted(request.headers());
    if let Some(kept) = cache.held(&path, &reference.stamp) {
        return answer(&kept, encoding, "hit");
    }
    // Wait for a render of this page already under way, then take what it kept. (A page
    // that is not kept, a missing item's, is rendered by each in turn.)
    let turn = cache.turn(&path);
    let _turn = match &turn {
        Some(turn) => Some(turn.lock().await),
        None => None,
    };
    let _rendering = turn.as_ref().map(|turn| Rendering {
        cache: &cache,
        path: &path,
        turn,
    });
    if let Some(kept) = cache.held(&path, &reference.stamp) {
        return answer(&kept, encoding, "hit");
    }
    let response = next.run(request).await;
    render(&cache, &path, &reference.stamp, encoding, response).await
}

/// Holds a path's turn to render; when dropped (rendered, or the visitor gone), the turn
/// ends (`PageCache::rendered`).
struct Rendering<'a> {
    cache: &'a PageCache,
    path: &'a str,
    turn: &'a Arc<tokio::sync::Mutex<()>>,
}

impl Drop for Rendering<'_> {
    fn drop(&mut self) {
        self.cache.rendered(self.path, self.turn);
    }
}

/// A page just rendered: kept and answered from what is kept, or passed on as it is.
async fn render(
    cache: &PageCache,
    path: &str,
    stamp: &Stamp,
    encoding: Encoding,
    response: Response,
) -> Response {
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
    let kept = match (nonce, std::str::from_utf8(&bytes)) {
        (Some(nonce), Ok(html)) => without_inline_scripts(html, &nonce)
            .and_then(|html| Kept::new(*stamp, parts.headers.clone(), html).ok()),
        _ => None,
    };
    let Some(kept) = kept else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let response = answer(&kept, encoding, "miss");
    cache.keep(path.to_string(), kept);
    response
}

/// The markup without the inline scripts that carry `nonce` (hydration data, which a page
/// that is never hydrated does not use) and without the nonce on the scripts it loads;
/// `None` if a script is left unclosed.
fn without_inline_scripts(html: &str, nonce: &str) -> Option<String> {
    let open = format!("<script nonce=\"{nonce}\">");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        out.push_str(&rest[..at]);
        let inside = &rest[at + open.len()..];
        let end = inside.find("</script>")?;
        rest = &inside[end + "</script>".len()..];
    }
    out.push_str(rest);
    let out = out.replace(&format!(" nonce=\"{nonce}\""), "");
    (!out.contains(nonce)).then_some(out)
}

/// How an answer is sent: the client's choice among what is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    /// Brotli if `Accept-Encoding` allows it, else gzip if it allows that, else none.
    fn accepted(headers: &HeaderMap) -> Self {
        let allows = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|part| {
                    let mut pieces = part.split(';').map(str::trim);
                    pieces.next().is_some_and(|n| n.eq_ignore_ascii_case(name))
                        && pieces.all(|p| {
                            p.strip_prefix("q=")
                                .is_none_or(|q| q.parse::<f32>().is_ok_and(|q| q > 0.0))
                        })
                })
        };
        if allows("br") {
            Encoding::Brotli
        } else if allows("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

/// The nonce a policy allows (`'nonce-…'`).
fn nonce_of(policy: &str) -> Option<String> {
    let rest = policy.split("'nonce-").nth(1)?;
    let nonce = rest.split('\'').next()?;
    (!nonce.is_empty()).then(|| nonce.to_string())
}

/// The kept page, in `encoding`, under a policy with a fresh nonce.
fn answer(kept: &Kept, encoding: Encoding, cache: &'static str) -> Response {
    let nonce = leptos::nonce::Nonce::new().to_string();
    let mut headers = kept.headers.clone();
    if let Ok(policy) = HeaderValue::from_str(&app::server::csp::page_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert("x-cache", HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    let body = match encoding {
        Encoding::Brotli => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            kept.br.clone()
        }
        Encoding::Gzip => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            kept.gzip.clone()
        }
        Encoding::Identity => kept.html.clone(),
    };
    let mut response = Response::new(Body::from(body));
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
    fn the_inline_scripts_and_every_use_of_the_nonce_are_dropped() {
        let html = "<head><script type=\"module\" src=\"/pkg/lite/lite.js\" nonce=\"N1\">\
                    </script></head><body><p>水</p><script nonce=\"N1\">__X=[];</script>\
                    <script nonce=\"N1\">__Y=1;</script></body>";
        assert_eq!(
            without_inline_scripts(html, "N1").as_deref(),
            Some(
                "<head><script type=\"module\" src=\"/pkg/lite/lite.js\"></script></head>\
                 <body><p>水</p></body>"
            )
        );
        assert_eq!(without_inline_scripts("<script nonce=\"N1\">x", "N1"), None);
        assert_eq!(without_inline_scripts("<p>N1</p>", "N1"), None);
    }

    #[test]
    fn the_encoding_is_the_clients_choice() {
        let of = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).unwrap(),
            );
            Encoding::accepted(&headers)
        };
        assert_eq!(of("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(of("gzip, br;q=0"), Encoding::Gzip);
        assert_eq!(of("GZIP;q=0.5"), Encoding::Gzip);
        assert_eq!(of("identity"), Encoding::Identity);
        assert_eq!(Encoding::accepted(&HeaderMap::new()), Encoding::Identity);
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
            "/items//",
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
