//! `/applications/:number`: the application form of a draft, in four steps (applicant → the
//! item's form → materials → review, delivery choice and submit), or the receipt once it is submitted.
//!
//! The form is generated from the catalog, and every verdict in it comes from
//! `domain::apply::check_submission`, the function the server runs on submit (wasm here,
//! native there). Every change is kept in this browser at once and saved to the server shortly
//! after, so a lost connection loses nothing and a draft can be resumed on another device.

use leptos::prelude::*;

use crate::api::applications::{ApplicationView, load_application};
use crate::components::status::Loaded;
use crate::domain::apply::ApplicationForm;
use crate::resource::of_param;

/// The page: the form of a draft, or the receipt of a submitted case.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let data = of_param("number", load_application);
    let reload = Callback::new(move |()| data.refetch());
    view! {
        <Loaded data show=move |found| match found {
            Some((app, form)) if app.is_draft() => draft(app, form, reload),
            Some((app, form)) => submitted(app, form, reload),
            None => view! { <NotYours/> }.into_any(),
        }/>
    }
}

/// A draft's form. In the server, the staff pages' wasm and the draft's wasm (`apply`); the
/// submitted case's wasm (`case`) has no form, so it loads the page from the server, which
/// sends it with the draft's wasm (see `app::app::ApplicationWasm`).
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "case")))]
fn draft(app: ApplicationView, form: ApplicationForm, on_submitted: Callback<()>) -> AnyView {
    view! { <ApplyForm app form on_submitted/> }.into_any()
}

#[cfg(not(any(feature = "ssr", feature = "staff", not(feature = "case"))))]
fn draft(_: ApplicationView, _: ApplicationForm, _: Callback<()>) -> AnyView {
    view! { <crate::components::load_from_server::LoadFromServer/> }.into_any()
}

/// A submitted case: its online fix-up while a correction notice is open, else its receipt.
/// In the server, the staff pages' wasm and the submitted case's wasm (`case`); in the
/// draft's wasm, which has neither, a draft just submitted is loaded again from the server,
/// which sends it with the case's wasm.
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "apply")))]
fn submitted(app: ApplicationView, form: ApplicationForm, on_done: Callback<()>) -> AnyView {
    if app.open_correction().is_empty() {
        view! { <Receipt app form/> }.into_any()
    } else {
        view! { <FixUp app form on_done/> }.into_any()
    }
}

#[cfg(not(any(feature = "ssr", feature = "staff", not(feature = "apply"))))]
fn submitted(_: ApplicationView, _: ApplicationForm, _: Callback<()>) -> AnyView {
    view! { <crate::components::load_from_server::LoadFromServer/> }.into_any()
}

#[component]
fn NotYours() -> impl IntoView {
    view! {
        <leptos_meta::Title text="没有这个办件"/>
        <section class="empty">
            <h1>"没有找到这个办件"</h1>
            <p>"办件只对申请人本人可见。请确认已用申请时的账号登录，或到“我的办件”中查找。"</p>
            <p><a class="button" href="/login">"登录"</a> " " <a class="button" href="/my">"我的办件"</a></p>
        </section>
    }
}

// The draft's form and the submitted case's page are in different wasm builds (`draft`,
// `submitted`); the server and the staff pages' wasm have both.
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "case")))]
mod delivery;
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "apply")))]
mod fix_up;
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "case")))]
mod form;
mod material;
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "case")))]
mod review;

#[cfg(any(feature = "ssr", feature = "staff", not(feature = "apply")))]
use crate::components::receipt::Receipt;
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "apply")))]
use fix_up::FixUp;
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "case")))]
use form::ApplyForm;
