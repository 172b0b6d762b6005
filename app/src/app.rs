//! The HTML shell and the routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::auth::Auth;
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

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::csp::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#b3261e"/>
                <link rel="icon" href="data:,"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
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
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage/>
                    <Route path=path!("/items") view=CatalogPage/>
                    <Route path=path!("/items/:code") view=ItemPage ssr=SsrMode::Async/>
                    <Route path=path!("/bundles") view=BundlesPage/>
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
                    <Route path=path!("/track") view=TrackPage/>
                    <Route path=path!("/verify") view=VerifyPage/>
                    <Route path=path!("/licences") view=LicencesPage/>
                    <Route path=path!("/staff/cases/:number") view=StaffCasePage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
