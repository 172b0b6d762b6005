//! Reusable views.

pub mod apply_button;
pub mod auth;
pub mod deadline;
pub mod department_select;
pub mod field;
pub mod form_field;
pub mod item_card;
pub mod layout;
#[cfg(not(feature = "ssr"))]
pub mod load_from_server;
pub mod notice;
pub mod receipt;
pub mod status;

pub use crate::url::encode_query;

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// The `<option>`s of a GET filter form's select named `name`: each `(value, label)`, the
/// one the address names selected (the empty value when it names none).
pub fn query_options<V: Into<String>, L: IntoView + 'static>(
    name: &'static str,
    options: impl IntoIterator<Item = (V, L)>,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    options
        .into_iter()
        .map(|(value, label)| {
            let value: String = value.into();
            let this = value.clone();
            let selected = move || query.read().get(name).unwrap_or_default() == this;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view()
}

/// [`query_options`] of a list that loads: none until it arrives (nor when it cannot); each
/// element gives its `(value, label)`.
pub fn loaded_options<T>(
    name: &'static str,
    list: Resource<Result<Vec<T>, crate::error::AppError>, crate::resource::Json>,
    option: fn(T) -> (String, String),
) -> impl IntoView
where
    T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let all = list.await.unwrap_or_default();
                query_options(name, all.into_iter().map(option))
            })}
        </Suspense>
    }
}

/// A GET filter form's select named `name`, with its `label`: the empty choice `all`, then
/// `children`, its options (see [`query_options`]).
#[component]
pub fn FilterSelect(
    name: &'static str,
    label: &'static str,
    all: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="filter-row">
            <label for=name>{label}</label>
            <select id=name name=name>
                <option value="">{all}</option>
                {children()}
            </select>
        </div>
    }
}

/// A list page's filter, read from its address: `make` is given each parameter (`None` when
/// it is absent or empty); the filter changes when the address does.
pub fn filter_from<F>(
    query: Memo<ParamsMap>,
    make: impl Fn(&dyn Fn(&str) -> Option<String>) -> F + Send + Sync + 'static,
) -> Memo<F>
where
    F: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        let q = query.read();
        make(&|k| q.get(k).filter(|v| !v.is_empty()))
    })
}
