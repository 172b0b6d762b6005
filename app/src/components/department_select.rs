//! The departments as the `department` field of a GET filter form.

use leptos::prelude::*;

use crate::api::catalog::list_departments;
use crate::components::{FilterSelect, query_options};
use crate::resource::resource;

/// The `department` select of every department, the one in the address selected.
#[component]
pub fn DepartmentSelect(
    label: &'static str,
    /// The label of the empty choice.
    all: &'static str,
) -> impl IntoView {
    let departments = resource(|| (), |_| list_departments());
    view! {
        <FilterSelect name="department" label all>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let all = departments.await.unwrap_or_default();
                    query_options("department", all.into_iter().map(|d| (d.code, d.name)))
                })}
            </Suspense>
        </FilterSelect>
    }
}
