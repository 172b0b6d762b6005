//! The HTML shell and the routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::auth::Auth;
use crate::components::layout::FlashMessage;
use crate::components::layout::{Footer, Header};
use crate::components::notice::NoticePage;
use crate::pages::{
    apply::ApplicationPage,
    bundle::BundlePage,
    bundles::BundlesPage,
    calendar::CalendarPage,
    catalog::CatalogPage,
    home::HomePage,
    item::ItemPage,
    licences::LicencesPage,
    login::LoginPage,
    my::MyApplicationsPage,
    not_found::NotFound,
    recover::RecoverPage,
    register::RegisterPage,
    staff::{IntakePage, StaffCasePage, StaffLoginPage, TasksPage, WorkbenchPage},
    supervision::SupervisionPage,
    track::TrackPage,
    verify::VerifyPage,
};

/// The pages the public reads most, on phones: the catalog, guides, bundles, tracking and
/// licence checks. They are rendered on the server in full and do not download the
/// application's wasm; a small script (`lite/js/lite.js`, with the `lite` crate's wasm for the
/// domain checks it runs) makes their forms nicer, and they work without it. Tracking is one
/// of them for visitors; a signed-in applicant's /track shows their own case with its
/// uploads and 撤回申请, and loads the application.
pub fn lite_page(path: &str, signed_in: bool) -> bool {
    match path {
        "/" | "/verify" | "/licences" => true,
        "/track" => !signed_in,
        _ => catalog_page(path),
    }
}

/// The catalog's pages: `/items`, `/bundles`, `/items/{code}` and `/bundles/{code}` (lite
/// pages; for a visitor the same until the catalog changes, so the server keeps them).
pub fn catalog_page(path: &str) -> bool {
    matches!(path, "/items" | "/bundles")
        || path
            .strip_prefix("/items/")
            .or_else(|| path.strip_prefix("/bundles/"))
            .is_some_and(|code| !code.is_empty() && !code.contains('/'))
}

/// Whether the page being rendered is a [`lite_page`].
#[cfg(feature = "ssr")]
fn rendering_lite_page() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        let signed_in = crate::server::auth::header_cookie(
            &parts.headers,
            crate::server::services::accounts::SESSION_COOKIE,
        )
        .is_some();
        lite_page(parts.uri.path(), signed_in)
    })
}

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::csp::set_page_policy();
    #[cfg(feature = "ssr")]
    let lite = rendering_lite_page();
    #[cfg(not(feature = "ssr"))]
    let lite = false;
    let scripts = if lite {
        let nonce = leptos::nonce::use_nonce();
        view! { <script type="module" src="/pkg/lite/lite.js" nonce=nonce></script> }.into_any()
    } else {
        view! {
            <AutoReload options=options.clone()/>
            <HydrationScripts options/>
        }
        .into_any()
    };
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#b3261e"/>
                <link rel="icon" href="data:,"/>
                {scripts}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: header, routes, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    Auth::provide();
    // Marks the page once the wasm has taken it over: browser tests wait for this, so a
    // build whose hydration silently fails (see docs/toolchain.md) fails the tests.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/onewindow.css"/>
        <Title formatter=|title: String| if title.is_empty() { "一窗通办 · 政务服务网上办事大厅".to_string() } else { format!("{title} · 一窗通办") }/>
        <Router>
            <a class="skip-link" href="#main">"跳到主要内容"</a>
            <Header/>
            <main id="main" class="container">
                <FlashMessage/>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/items") view=CatalogPage ssr=SsrMode::Async/>
                    <Route path=path!("/items/:code") view=ItemPage ssr=SsrMode::Async/>
                    <Route path=path!("/bundles") view=BundlesPage ssr=SsrMode::Async/>
                    <Route path=path!("/bundles/:code") view=BundlePage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/recover") view=RecoverPage/>
                    <Route path=path!("/my") view=MyApplicationsPage/>
                    <Route path=path!("/applications/:number") view=ApplicationPage ssr=SsrMode::Async/>
                    <Route path=path!("/cases/:number/notices/:id") view=NoticePage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/login") view=StaffLoginPage/>
                    <Route path=path!("/staff") view=WorkbenchPage/>
                    <Route path=path!("/staff/intake") view=IntakePage/>
                    <Route path=path!("/staff/tasks") view=TasksPage/>
                    <Route path=path!("/staff/supervision") view=SupervisionPage/>
                    <Route path=path!("/staff/calendar") view=CalendarPage/>
                    <Route path=path!("/track") view=TrackPage ssr=SsrMode::Async/>
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async/>
                    <Route path=path!("/licences") view=LicencesPage ssr=SsrMode::Async/>
                    <Route path=path!("/staff/cases/:number") view=StaffCasePage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::lite_page;

    #[test]
    fn the_public_pages_are_lite_and_the_application_is_not() {
        for path in [
            "/",
            "/items",
            "/items/ZJJ-XK-001",
            "/bundles",
            "/bundles/SGXK",
            "/verify",
            "/licences",
        ] {
            assert!(lite_page(path, false), "{path}");
            assert!(lite_page(path, true), "{path} signed in");
        }
        assert!(lite_page("/track", false));
        assert!(
            !lite_page("/track", true),
            "the owner's case has uploads and withdrawal"
        );
        for path in [
            "/my",
            "/login",
            "/applications/OW1",
            "/staff",
            "/staff/cases/OW1",
            "/items/",
            "/items/A/B",
            "/cases/OW1/notices/1",
        ] {
            assert!(!lite_page(path, false), "{path}");
        }
    }
}
