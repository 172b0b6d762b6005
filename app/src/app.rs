//! The HTML shell and the routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::auth::Auth;
use crate::components::layout::FlashMessage;
use crate::components::layout::{Footer, Header};
use crate::pages::not_found::NotFound;

/// The pages the public reads most, on phones: the catalog, guides, bundles, tracking and
/// licence checks. They are rendered on the server in full and do not download the
/// application's wasm; a small script (`lite/js/lite.js`, with the `lite` crate's wasm for the
/// domain checks it runs) makes their forms nicer, and they work without it. Tracking is one
/// of them for visitors; a signed-in applicant's /track shows their own case with its
/// uploads and 撤回申请, and loads the application.
pub fn lite_page(path: &str, signed_in: bool) -> bool {
    match without_trailing_slash(path) {
        "/" | "/verify" | "/licences" => true,
        "/track" => !signed_in,
        _ => catalog_page(path),
    }
}

/// The catalog's pages: `/items`, `/bundles`, `/items/{code}` and `/bundles/{code}` (lite
/// pages; for a visitor the same until the catalog changes, so the server keeps them).
pub fn catalog_page(path: &str) -> bool {
    let path = without_trailing_slash(path);
    matches!(path, "/items" | "/bundles")
        || path
            .strip_prefix("/items/")
            .or_else(|| path.strip_prefix("/bundles/"))
            .is_some_and(|code| !code.is_empty() && !code.contains('/'))
}

/// `path` without one trailing slash, as the router matches it (`/items/` is `/items`).
fn without_trailing_slash(path: &str) -> &str {
    match path.strip_suffix('/') {
        Some(p) if !p.is_empty() => p,
        _ => path,
    }
}

/// What the page being rendered loads: nothing of the application's (a [`lite_page`]), the
/// staff pages' wasm (a [`staff_page`]), the application page's (an [`apply_page`]), or the
/// applicant's.
#[derive(Clone, Copy, PartialEq)]
enum Wasm {
    Lite,
    Staff,
    Apply,
    Applicant,
}

/// Which [`Wasm`] the page being rendered loads.
#[cfg(feature = "ssr")]
fn rendering() -> Wasm {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Wasm::Applicant;
    };
    let path = parts.uri.path();
    let signed_in = crate::server::auth::header_cookie(
        &parts.headers,
        crate::server::services::accounts::SESSION_COOKIE,
    )
    .is_some();
    if lite_page(path, signed_in) {
        Wasm::Lite
    } else if staff_page(path) {
        Wasm::Staff
    } else if apply_page(path) {
        Wasm::Apply
    } else {
        Wasm::Applicant
    }
}

/// The document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::csp::set_page_policy();
    #[cfg(feature = "ssr")]
    let wasm = rendering();
    #[cfg(not(feature = "ssr"))]
    let wasm = Wasm::Applicant;
    let scripts = if wasm == Wasm::Lite {
        let nonce = leptos::nonce::use_nonce();
        view! { <script type="module" src="/pkg/lite/lite.js" nonce=nonce></script> }.into_any()
    } else {
        let mut options = options;
        if wasm == Wasm::Staff {
            options.output_name = STAFF_WASM.into();
        } else if wasm == Wasm::Apply {
            options.output_name = APPLY_WASM.into();
        }
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
                    <PublicRoutes/>
                    <AccountRoutes/>
                    <ApplyRoutes/>
                    <StaffRoutes/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// The routes of the pages that are always [lite](lite_page): rendered by the server, and
/// never hydrated, so no wasm needs their views. In the browser a link to one of them loads
/// it from the server.
#[cfg(feature = "ssr")]
#[component(transparent)]
fn PublicRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::pages::{
        bundle::BundlePage, bundles::BundlesPage, catalog::CatalogPage, home::HomePage,
        item::ItemPage, licences::LicencesPage, verify::VerifyPage,
    };
    view! {
        <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
        <Route path=path!("/items") view=CatalogPage ssr=SsrMode::Async/>
        <Route path=path!("/items/:code") view=ItemPage ssr=SsrMode::Async/>
        <Route path=path!("/bundles") view=BundlesPage ssr=SsrMode::Async/>
        <Route path=path!("/bundles/:code") view=BundlePage ssr=SsrMode::Async/>
        <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async/>
        <Route path=path!("/licences") view=LicencesPage ssr=SsrMode::Async/>
    }
    .into_inner()
}

/// In the browser: the [`PublicRoutes`] load their page from the server.
#[cfg(not(feature = "ssr"))]
#[component(transparent)]
fn PublicRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/") view=LoadFromServer/>
        <Route path=path!("/items") view=LoadFromServer/>
        <Route path=path!("/items/:code") view=LoadFromServer/>
        <Route path=path!("/bundles") view=LoadFromServer/>
        <Route path=path!("/bundles/:code") view=LoadFromServer/>
        <Route path=path!("/verify") view=LoadFromServer/>
        <Route path=path!("/licences") view=LoadFromServer/>
    }
    .into_inner()
}

/// The application page, `/applications/{number}`: a draft's form, its online fix-up, or its
/// receipt. It loads a wasm of its own ([`APPLY_WASM`]) with nothing but this page: the form
/// is most of what the applicant's pages are, and the others (signing in, 我的办件) need
/// none of it.
pub fn apply_page(path: &str) -> bool {
    path.strip_prefix("/applications/")
        .map(without_trailing_slash)
        .is_some_and(|number| !number.is_empty() && !number.contains('/'))
}

/// The name, in `/pkg`, of the application page's wasm and its script (`scripts/build-wasm`).
pub const APPLY_WASM: &str = "apply";

/// The applicant's other pages: signing in, registering, recovering an account, 我的办件,
/// notices, and /track for a signed-in applicant. In the server's build, the applicant's
/// wasm (`onewindow`) and the staff pages' (which has every page).
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "apply")))]
#[component(transparent)]
fn AccountRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::components::notice::NoticePage;
    use crate::pages::{
        login::LoginPage, my::MyApplicationsPage, recover::RecoverPage, register::RegisterPage,
        track::TrackPage,
    };
    view! {
        <Route path=path!("/login") view=LoginPage/>
        <Route path=path!("/register") view=RegisterPage/>
        <Route path=path!("/recover") view=RecoverPage/>
        <Route path=path!("/my") view=MyApplicationsPage/>
        <Route path=path!("/cases/:number/notices/:id") view=NoticePage ssr=SsrMode::Async/>
        <Route path=path!("/track") view=TrackPage ssr=SsrMode::Async/>
    }
    .into_inner()
}

/// In the application page's wasm, a link to another applicant's page loads it from the
/// server.
#[cfg(not(any(feature = "ssr", feature = "staff", not(feature = "apply"))))]
#[component(transparent)]
fn AccountRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/login") view=LoadFromServer/>
        <Route path=path!("/register") view=LoadFromServer/>
        <Route path=path!("/recover") view=LoadFromServer/>
        <Route path=path!("/my") view=LoadFromServer/>
        <Route path=path!("/cases/:number/notices/:id") view=LoadFromServer/>
        <Route path=path!("/track") view=LoadFromServer/>
    }
    .into_inner()
}

/// The [application page](apply_page), in the server's build, its own wasm and the staff
/// pages' wasm.
#[cfg(any(feature = "ssr", feature = "staff", feature = "apply"))]
#[component(transparent)]
fn ApplyRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::pages::apply::ApplicationPage;
    view! { <Route path=path!("/applications/:number") view=ApplicationPage ssr=SsrMode::Async/> }
        .into_inner()
}

/// In the applicant's wasm, a link to an application page loads it from the server, which
/// sends it with its own wasm.
#[cfg(not(any(feature = "ssr", feature = "staff", feature = "apply")))]
#[component(transparent)]
fn ApplyRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! { <Route path=path!("/applications/:number") view=LoadFromServer/> }.into_inner()
}

/// The staff's pages: `/staff` and below. The server renders them with every other page, but
/// they load a wasm of their own ([`STAFF_WASM`], every page), so that the applicant's wasm
/// (`onewindow`, every page but these) does not carry the back office to every phone.
pub fn staff_page(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/")
}

/// The name, in `/pkg`, of the staff pages' wasm and its script (`scripts/build-wasm`).
pub const STAFF_WASM: &str = "staff";

/// The staff pages' routes, in the server's build and the staff pages' wasm.
#[cfg(any(feature = "ssr", feature = "staff"))]
#[component(transparent)]
fn StaffRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    use crate::pages::{
        calendar::CalendarPage,
        staff::{IntakePage, StaffCasePage, StaffLoginPage, TasksPage, WorkbenchPage},
        supervision::SupervisionPage,
    };
    view! {
        <Route path=path!("/staff/login") view=StaffLoginPage/>
        <Route path=path!("/staff") view=WorkbenchPage/>
        <Route path=path!("/staff/intake") view=IntakePage/>
        <Route path=path!("/staff/tasks") view=TasksPage/>
        <Route path=path!("/staff/supervision") view=SupervisionPage/>
        <Route path=path!("/staff/calendar") view=CalendarPage/>
        <Route path=path!("/staff/cases/:number") view=StaffCasePage ssr=SsrMode::Async/>
    }
    .into_inner()
}

/// In the applicant's wasm, a link to a staff page loads it from the server, which sends it
/// with the staff pages' wasm.
#[cfg(not(any(feature = "ssr", feature = "staff")))]
#[component(transparent)]
fn StaffRoutes() -> impl leptos_router::MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/staff") view=LoadFromServer/>
        <Route path=path!("/staff/*rest") view=LoadFromServer/>
    }
    .into_inner()
}

/// Loads the address the router is moving to as a new page, from the server: a page this
/// wasm has no view for ([`PublicRoutes`], [`StaffRoutes`] and [`ApplyRoutes`] in the
/// applicant's, [`AccountRoutes`] in the application page's). The
/// router shows a route before it puts its address in the history, so the page is loaded
/// by address, once the router is done. Never while the page the server sent is being
/// hydrated: the server gave that page this wasm, and loading it again would only load it
/// again (the shell's choice and these routes disagreeing is a bug, reported in the
/// console, not a loop).
#[cfg(not(feature = "ssr"))]
#[component]
fn LoadFromServer() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let hydrating = Owner::current_shared_context().is_some_and(|sc| sc.during_hydration());
        let location = leptos_router::hooks::use_location();
        let search = location.search.get_untracked();
        let hash = location.hash.get_untracked();
        let address = format!(
            "{}{}{search}{}{hash}",
            location.pathname.get_untracked(),
            if search.is_empty() { "" } else { "?" },
            if hash.is_empty() || hash.starts_with('#') {
                ""
            } else {
                "#"
            },
        );
        if hydrating {
            leptos::logging::error!("{address} was sent with a wasm that has no view for it");
        } else {
            set_timeout(
                move || {
                    if let Err(e) = window().location().set_href(&address) {
                        leptos::logging::error!("could not load {address}: {e:?}");
                    }
                },
                std::time::Duration::ZERO,
            );
        }
    }
    view! { <p class="loading">"正在打开…"</p> }
}

#[cfg(test)]
mod tests {
    use super::{apply_page, lite_page, staff_page};

    #[test]
    fn the_application_pages_are_slash_applications_and_a_number() {
        for path in [
            "/applications/OW1",
            "/applications/OW1/",
            "/applications/OW20261203ABCDEFGHJK",
        ] {
            assert!(apply_page(path), "{path}");
        }
        for path in [
            "/applications",
            "/applications/",
            "/applications/OW1/x",
            "/applicationsOW1",
            "/my",
            "/cases/OW1/notices/1",
        ] {
            assert!(!apply_page(path), "{path}");
        }
    }

    #[test]
    fn the_staff_pages_are_slash_staff_and_below() {
        for path in ["/staff", "/staff/", "/staff/login", "/staff/cases/OW1"] {
            assert!(staff_page(path), "{path}");
        }
        for path in [
            "/",
            "/staffing",
            "/stafff/x",
            "/my",
            "/items/staff",
            "/applications/OW1",
        ] {
            assert!(!staff_page(path), "{path}");
        }
    }

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
        // As the router matches them: with a trailing slash, the same page.
        for path in [
            "/items/",
            "/items/ZJJ-XK-001/",
            "/bundles/",
            "/verify/",
            "/licences/",
        ] {
            assert!(lite_page(path, false), "{path}");
        }
        assert!(lite_page("/track/", false));
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
            "/items//",
            "/items/A/B",
            "/cases/OW1/notices/1",
        ] {
            assert!(!lite_page(path, false), "{path}");
        }
    }
}
