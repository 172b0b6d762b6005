//! `404`: no such page.

use leptos::prelude::*;
use leptos_meta::Title;

/// The page for an unknown address (HTTP 404).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <Title text="页面不存在"/>
        <section class="empty">
            <h1>"页面不存在"</h1>
            <p>"您访问的页面不存在或已下线。"</p>
            <p><a class="button" href="/items">"查看事项清单"</a></p>
        </section>
    }
}

/// The body of a page whose record was not found; the caller sets the 404 status.
#[component]
pub fn Missing(what: &'static str, code: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <Title text=format!("未找到{what}")/>
        <section class="empty">
            <h1>{format!("未找到{what}")}</h1>
            <p>{format!("没有编码为 {code} 的{what}，可能已调整或下线。")}</p>
            <p><a class="button" href="/items">"查看事项清单"</a></p>
        </section>
    }
}
