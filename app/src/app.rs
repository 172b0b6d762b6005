//! The HTML shell and the routes.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::auth::Auth;
use crate::components::layout::FlashMessage;
use crate::components::layout::{Footer, Header};
#[cfg(not(feature = "ssr"))]
use crate::components::load_from_server::LoadFromServer;
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
/// staff pages' wasm (a [`staff_page`]), one of the application page's two (an
/// [`apply_page`]: a draft's form, or a [`SubmittedCase`]), or the applicant's.
#[derive(Clone, Copy, PartialEq)]
enum Wasm {
    Lite,
    Staff,
    Apply,
    Case,
    Applicant,
}

/// Put in a request's extensions, before its page is rendered, when the request is for the
/// [application page](apply_page) of a case its sender has submitted: the page is then sent
/// with the submitted case's wasm ([`CASE_WASM`]: its online fix-up, its receipt) instead of
/// the draft's form's ([`APPLY_WASM`]). Each wasm has one of the two, so that neither page
/// downloads the other's code; the server looks the case up (`server/src/router.rs`), since
/// which of them the page is cannot be told from its address.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy, Debug)]
pub struct SubmittedCase;

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
        if parts.extensions.get::<SubmittedCase>().is_some() {
            Wasm::Case
        } else {
            Wasm::Apply
        }
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
        } else if wasm == Wasm::Case {
            options.output_name = CASE_WASM.into();
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

/// A group of routes whose views are in the server's build and in the wasm builds `cfg` names
/// (`feature = "staff"`, …); in every other wasm each of them leads to `LoadFromServer`
/// (`components::load_from_server`).
/// One list, so that the server's routes and the browser's cannot drift apart.
macro_rules! page_routes {
    (
        $(#[doc = $doc:literal])*
        $name:ident, cfg($($on:tt)*),
        { $($path:tt => $page:path $(, $ssr:ident)?;)* }
    ) => {
        $(#[doc = $doc])*
        #[cfg(any(feature = "ssr", $($on)*))]
        #[component(transparent)]
        fn $name() -> impl leptos_router::MatchNestedRoutes + Clone {
            view! { $(<Route path=path!($path) view=$page $(ssr=SsrMode::$ssr)?/>)* }.into_inner()
        }

        $(#[doc = $doc])*
        #[cfg(not(any(feature = "ssr", $($on)*)))]
        #[component(transparent)]
        fn $name() -> impl leptos_router::MatchNestedRoutes + Clone {
            view! { $(<Route path=path!($path) view=LoadFromServer/>)* }.into_inner()
        }
    };
}

page_routes! {
    /// The routes of the pages that are always [lite](lite_page): rendered by the server, and
    /// never hydrated, so no wasm needs their views.
    PublicRoutes, cfg(),
    {
        "/" => crate::pages::home::HomePage, Async;
        "/items" => crate::pages::catalog::CatalogPage, Async;
        "/items/:code" => crate::pages::item::ItemPage, Async;
        "/bundles" => crate::pages::bundles::BundlesPage, Async;
        "/bundles/:code" => crate::pages::bundle::BundlePage, Async;
        "/verify" => crate::pages::verify::VerifyPage, Async;
        "/licences" => crate::pages::licences::LicencesPage, Async;
    }
}

/// The application page, `/applications/{number}`: a draft's form, its online fix-up, or its
/// receipt. It loads a wasm of its own with nothing but this page: the form is most of what
/// the applicant's pages are, and the others (signing in, 我的办件) need none of it. Two in
/// fact: a draft's form loads [`APPLY_WASM`], a [`SubmittedCase`]'s page [`CASE_WASM`].
pub fn apply_page(path: &str) -> bool {
    application_number(path).is_some()
}

/// The number in the address of an [application page](apply_page).
pub fn application_number(path: &str) -> Option<&str> {
    path.strip_prefix("/applications/")
        .map(without_trailing_slash)
        .filter(|number| !number.is_empty() && !number.contains('/'))
}

/// The name, in `/pkg`, of the draft's form's wasm and its script (`scripts/build-wasm`).
pub const APPLY_WASM: &str = "apply";

/// The name, in `/pkg`, of a submitted case's application page's wasm and its script.
pub const CASE_WASM: &str = "case";

page_routes! {
    /// The applicant's other pages: signing in, registering, recovering an account, 我的办件,
    /// notices, and /track for a signed-in applicant; in the applicant's wasm (`onewindow`)
    /// and the staff pages' (which has every page), not in the application page's.
    AccountRoutes, cfg(feature = "staff", not(any(feature = "apply", feature = "case"))),
    {
        "/login" => crate::pages::login::LoginPage;
        "/register" => crate::pages::register::RegisterPage;
        "/recover" => crate::pages::recover::RecoverPage;
        "/my" => crate::pages::my::MyApplicationsPage;
        "/cases/:number/notices/:id" => crate::components::notice::NoticePage, Async;
        "/track" => crate::pages::track::TrackPage, Async;
    }
}

page_routes! {
    /// The [application page](apply_page): in its own two wasm builds and the staff pages'.
    ApplyRoutes, cfg(feature = "staff", feature = "apply", feature = "case"),
    {
        "/applications/:number" => crate::pages::apply::ApplicationPage, Async;
    }
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
