//! The window workbench: staff login (`/staff/login`), the pre-review queue (`/staff`), a
//! case with its actions (`/staff/cases/:number`), and in-hall intake (`/staff/intake`).
//! Every check an action makes on the server runs here first, from the same `domain`
//! functions, so a refusal reads the same before and after the round trip.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;

use crate::resource::resource;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::catalog::{ItemFilter, list_items};
use crate::api::review::{
    AcceptRequest, CorrectionAction, DeficiencyAction, QueueFilter, RejectAction, ReviewCommand,
    StaffCase, current_staff, review_act, review_case, review_queue, staff_login, staff_logout,
    start_intake,
};
use crate::clock::china_time;
use crate::components::deadline::DeadlineFacts;
use crate::components::field::{Field, Input};
use crate::components::notice::{NoticeDocument, NoticeList};
use crate::components::query_options;
use crate::components::receipt::human_size;
use crate::components::status::{Loaded, Loading, sign_in_as_staff};
use crate::domain::account::FieldProblem;
use crate::domain::apply::{MaterialState, material_state};
use crate::domain::case::{CaseStatus, Channel};
use crate::domain::review::{
    CorrectionItem, DeficiencyRequest, RejectionRequest, check_accept, check_correction,
    check_deficiency, check_rejection,
};
use crate::error::ErrorCode;

mod actions;
mod case;
mod clocks;
mod delivery;
mod intake;
mod licences;
mod login;
mod queue;
mod tasks;

pub use case::StaffCasePage;
pub use intake::IntakePage;
pub use login::StaffLoginPage;
pub use queue::WorkbenchPage;
pub use tasks::TasksPage;

/// The address of a queue page with one parameter changed (a new order starts at page 1
/// of every list).
fn changed_query(
    path: &str,
    query: &leptos_router::params::ParamsMap,
    keys: &[&str],
    key: &str,
    value: &str,
) -> String {
    let mut parts: Vec<String> = keys
        .iter()
        .filter(|k| **k != key && (key != "sort" || !k.ends_with("page")))
        .filter_map(|k| {
            query
                .get(k)
                .filter(|v| !v.is_empty())
                .map(|v| format!("{k}={}", crate::components::encode_query(&v)))
        })
        .collect();
    parts.push(format!("{key}={}", crate::components::encode_query(value)));
    format!("{path}?{}", parts.join("&"))
}

/// A queue filter's `<select>` named `name`, its choice following the page's query
/// parameter of that name (`""` for the option shown when it is absent).
fn query_select(
    name: &'static str,
    options: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    view! { <select name=name>{query_options(name, options.iter().copied())}</select> }
}

/// A queue's pager: previous, where we are, next (nothing for a single page).
fn pager(
    key: &'static str,
    page: u32,
    pages: u32,
    matching: u32,
    with: impl Fn(&'static str, String) -> String + Copy + Send + Sync + 'static,
) -> Option<impl IntoView> {
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="分页">
                {(page > 1).then(|| view! { <a href=move || with(key, (page - 1).to_string())>"上一页"</a> })}
                <span>{format!("第 {page} / {pages} 页，共 {matching} 件")}</span>
                {(page < pages).then(|| view! { <a href=move || with(key, (page + 1).to_string())>"下一页"</a> })}
            </nav>
        }
    })
}

/// The bar above every workbench page: who is signed in, and the way out.
#[component]
fn StaffBar() -> impl IntoView {
    let me = resource(|| (), |_| current_staff());
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = staff_logout().await;
            navigate("/staff/login", Default::default());
        });
    };
    view! {
        <div class="staff-bar no-print">
            <Suspense fallback=|| ()>
                {move || {
                let logout = logout.clone();
                Suspend::new(async move {
                    match me.await {
                        Ok(Some(m)) => {
                            use crate::domain::review::StaffRole;
                            // The pages this role uses.
                            let pages: &[(&str, &str)] = match m.role {
                                StaffRole::Window => &[("/staff", "预审队列"), ("/staff/intake", "窗口收件")],
                                StaffRole::Reviewer => &[("/staff/tasks", "审查任务")],
                                StaffRole::Chief => &[("/staff", "预审队列"), ("/staff/tasks", "审查任务"), ("/staff/intake", "窗口收件"), ("/staff/supervision", "督办看板")],
                                StaffRole::Supervisor => &[("/staff", "预审队列"), ("/staff/tasks", "审查任务"), ("/staff/supervision", "督办看板")],
                                StaffRole::Admin => &[("/staff/calendar", "节假日安排")],
                            };
                            view! {
                                <span data-staff=m.login.clone()>{format!("{} · {} · {}", m.department_name, m.role_label, m.name)}</span>
                                <nav aria-label="工作台导航">
                                    {pages.iter().map(|(href, label)| view! { <a href=*href>{*label}</a> }).collect_view()}
                                    <button type="button" class="link-button" on:click=logout>"退出"</button>
                                </nav>
                            }.into_any()
                        }
                        _ => view! { <a href="/staff/login">"请先登录"</a> }.into_any(),
                    }
                })
                }}
            </Suspense>
        </div>
    }
}
