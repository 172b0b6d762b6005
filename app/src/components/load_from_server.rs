//! Leaving this wasm for the server: a page this wasm has no view for.

use leptos::prelude::*;

/// Loads the address the router is moving to as a new page, from the server: a page this
/// wasm has no view for (a `page_routes` group of `crate::app`: the public pages in every
/// wasm, the application page in the applicant's, the other applicant pages in the
/// application page's; `StaffRoutes` in all but the staff pages'; and in each of the application
/// page's two, the page the other has, as when a draft has just been submitted). The
/// router shows a route before it puts its address in the history, so the page is loaded
/// by address, once the router is done. Never while the page the server sent is being
/// hydrated: the server gave that page this wasm, and loading it again would only load it
/// again (the shell's choice and these routes disagreeing is a bug, reported in the
/// console, not a loop).
#[component]
pub fn LoadFromServer() -> impl IntoView {
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
