//! Loading and failure states shared by the pages.

use leptos::prelude::*;

use crate::error::AppError;

/// Shown while data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"正在加载…"</p> }
}

/// Shown when the server refused or could not answer: the message for its code (an
/// internal failure's carries an incident id, never a cause).
#[component]
pub fn LoadFailed(error: AppError) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert" data-code=error.code.as_str()>{error.message.clone()}</div>
    }
}
