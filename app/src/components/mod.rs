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
