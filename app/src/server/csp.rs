//! The Content-Security-Policy of a page. Scripts run only from this site's files or inline
//! with this response's nonce (the hydration script leptos writes carries it), so markup an
//! attacker slipped into a page cannot run; the wasm may be compiled (`'wasm-unsafe-eval'`);
//! nothing is loaded from, sent to or framed by another site; forms post only here.

use axum::http::{HeaderValue, header};
use leptos::prelude::use_context;

/// The policy for a page rendered with `nonce`.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'self'"
    )
}

/// Sets the page's policy on the response being rendered (leptos makes a nonce for every
/// page it renders). Called from the shell.
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce.to_string())) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}
