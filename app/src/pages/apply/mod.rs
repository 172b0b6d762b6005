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
use serde::{Deserialize, Serialize};

use crate::api::applications::{
    ApplicationView, UploadedMaterial, delete_material, load_application, save_draft,
    submit_application,
};
use crate::clock::{china_time, today_in_china};
use crate::components::auth::Auth;
use crate::components::form_field::CatalogField;
use crate::components::receipt::{Receipt, human_size};
use crate::components::status::{LoadFailed, Loading};
use crate::domain::account::FieldProblem;
use crate::domain::apply::{
    ApplicantForm, ApplicantKind, ApplicationForm, DraftContent, MaterialState, applicant_fields,
    check_submission, material_state, original_allowed,
};
use crate::domain::bundle::BundleMaterial;
use crate::error::ErrorCode;

const STEPS: [&str; 4] = ["申请人", "填写表单", "上传材料", "核对提交"];

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
                    Ok(Some((app, form))) if app.is_draft() => view! { <ApplyForm app form on_submitted=reload/> }.into_any(),
                    Ok(Some((app, form))) if !app.open_correction().is_empty() => view! { <FixUp app form on_done=reload/> }.into_any(),
                    Ok(Some((app, form))) => view! { <Receipt app form/> }.into_any(),
                    Ok(None) => view! { <NotYours/> }.into_any(),
                    Err(e) => view! { <LoadFailed error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
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

mod delivery;
mod fix_up;
mod form;
mod material;
mod review;

use delivery::DeliveryChoiceField;
use fix_up::FixUp;
use form::ApplyForm;
pub(crate) use material::MaterialSlot;
use review::Review;
