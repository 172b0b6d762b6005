//! Loading and failure states shared by the pages.

use leptos::prelude::*;

/// Shown while data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"正在加载…"</p> }
}

/// Shown when the server could not answer; the message carries an incident id, never a cause.
#[component]
pub fn LoadFailed(error: ServerFnError) -> impl IntoView {
    let message = match error {
        ServerFnError::ServerError(m) => m,
        _ => "网络连接异常，请检查网络后刷新页面".to_string(),
    };
    view! { <div class="notice notice-error" role="alert">{message}</div> }
}
