//! `/applications/:number`: the application form of a draft, in four steps (applicant → the
//! item's form → materials → review, delivery choice and submit), or the receipt once it is submitted.
//!
//! The form is generated from the catalog, and every verdict in it comes from
//! `domain::apply::check_submission`, the function the server runs on submit (wasm here,
//! native there). Every change is kept in this browser at once and saved to the server shortly
//! after, so a lost connection loses nothing and a draft can be resumed on another device.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;

use crate::resource::resource;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::applications::{
    ApplicationView, UploadedMaterial, delete_material, load_application, save_draft,
};
use crate::clock::today_in_china;
use crate::components::form_field::CatalogField;
use crate::components::receipt::human_size;
use crate::components::status::{LoadFailed, Loading};
use crate::domain::account::FieldProblem;
use crate::domain::apply::{ApplicationForm, check_submission, original_allowed};
use crate::domain::bundle::BundleMaterial;
// What only the draft's form uses.
#[cfg(any(feature = "ssr", feature = "staff", feature = "apply"))]
use {
    crate::api::applications::submit_application,
    crate::clock::china_time,
    crate::components::auth::Auth,
    crate::domain::apply::{
        ApplicantForm, ApplicantKind, DraftContent, MaterialState, applicant_fields, material_state,
    },
    crate::error::ErrorCode,
    serde::{Deserialize, Serialize},
};

/// The page: the form of a draft, or the receipt of a submitted case.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let data = resource(number, load_application);
    let reload = Callback::new(move |()| data.refetch());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some((app, form))) if app.is_draft() => draft_form(app, form, reload),
                    Ok(Some((app, form))) => submitted_case(app, form, reload),
                    Ok(None) => view! { <NotYours/> }.into_any(),
                    Err(e) => view! { <LoadFailed error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A draft's form: in the server's build, the draft form's wasm and the staff pages'.
#[cfg(any(feature = "ssr", feature = "staff", feature = "apply"))]
fn draft_form(app: ApplicationView, form: ApplicationForm, reload: Callback<()>) -> AnyView {
    view! { <ApplyForm app form on_submitted=reload/> }.into_any()
}

/// The applicant's wasm has no form: the server sends a draft's page with the form's wasm.
#[cfg(not(any(feature = "ssr", feature = "staff", feature = "apply")))]
fn draft_form(_: ApplicationView, _: ApplicationForm, _: Callback<()>) -> AnyView {
    view! { <crate::app::LoadFromServer/> }.into_any()
}

/// A submitted case: its online fix-up while a correction is open, or its receipt. Not in
/// the draft form's wasm: once the draft is submitted, its page is loaded again from the
/// server, with the applicant's wasm.
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "apply")))]
fn submitted_case(app: ApplicationView, form: ApplicationForm, reload: Callback<()>) -> AnyView {
    if app.open_correction().is_empty() {
        view! { <Receipt app form/> }.into_any()
    } else {
        view! { <FixUp app form on_done=reload/> }.into_any()
    }
}

#[cfg(not(any(feature = "ssr", feature = "staff", not(feature = "apply"))))]
fn submitted_case(_: ApplicationView, _: ApplicationForm, _: Callback<()>) -> AnyView {
    view! { <crate::app::LoadFromServer/> }.into_any()
}

#[component]
fn NotYours() -> impl IntoView {
    view! {
        <Title text="没有这个办件"/>
        <section class="empty">
            <h1>"没有找到这个办件"</h1>
            <p>"办件只对申请人本人可见。请确认已用申请时的账号登录，或到“我的办件”中查找。"</p>
            <p><a class="button" href="/login">"登录"</a> " " <a class="button" href="/my">"我的办件"</a></p>
        </section>
    }
}

// The draft's form: its steps, the delivery choice and the review before submitting.
#[cfg(any(feature = "ssr", feature = "staff", feature = "apply"))]
mod delivery;
#[cfg(any(feature = "ssr", feature = "staff", feature = "apply"))]
mod form;
#[cfg(any(feature = "ssr", feature = "staff", feature = "apply"))]
mod review;
// A submitted case's online fix-up.
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "apply")))]
mod fix_up;
mod material;

pub(crate) use material::MaterialSlot;
#[cfg(any(feature = "ssr", feature = "staff", not(feature = "apply")))]
use {crate::components::receipt::Receipt, fix_up::FixUp};
#[cfg(any(feature = "ssr", feature = "staff", feature = "apply"))]
use {delivery::DeliveryChoiceField, form::ApplyForm, review::Review};
