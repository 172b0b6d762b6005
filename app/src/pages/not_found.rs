//! `404`: no such page.

use leptos::prelude::*;

use crate::components::status::EmptyPage;

/// The page for an unknown address (HTTP 404).
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <EmptyPage title="页面不存在" text="您访问的页面不存在或已下线。">
            <a class="button" href="/items">"查看事项清单"</a>
        </EmptyPage>
    }
}

/// A catalog page addressed by its code (`/items/{code}`, `/bundles/{code}`): `show` of what
/// `fetch` finds under the address's code, or [`Missing`] when nothing has it.
pub fn by_code<T, Fut, V>(
    fetch: fn(String) -> Fut,
    what: &'static str,
    show: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<T>, crate::error::AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let params = leptos_router::hooks::use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = crate::resource::resource(code, fetch);
    view! {
        <crate::components::status::Loaded data show=move |found| match found {
            Some(value) => show(value).into_any(),
            None => view! { <Missing what code=code()/> }.into_any(),
        }/>
    }
}

/// The body of a page whose record was not found; the caller sets the 404 status.
#[component]
pub fn Missing(what: &'static str, code: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <EmptyPage title=format!("未找到{what}") text=format!("没有编码为 {code} 的{what}，可能已调整或下线。")>
            <a class="button" href="/items">"查看事项清单"</a>
        </EmptyPage>
    }
}
