//! The header and footer of every page.

use leptos::prelude::*;
use leptos_router::components::A;

/// The site header with the main navigation.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"政"</span>
                    <span class="brand-text">
                        <strong>"一窗通办"</strong>
                        <small>"政务服务网上办事大厅"</small>
                    </span>
                </a>
                <nav aria-label="主导航" class="main-nav">
                    <A href="/items">"事项清单"</A>
                    <A href="/bundles">"一件事一次办"</A>
                </nav>
            </div>
        </header>
    }
}

/// The site footer.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>"线上线下无差别受理、同标准办理 · 一次告知 · 限时办结"</p>
                <p>"政务服务便民热线 12345"</p>
            </div>
        </footer>
    }
}
