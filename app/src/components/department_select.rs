//! The departments as the `department` field of a GET filter form.

use leptos::prelude::*;

use crate::api::catalog::list_departments;
use crate::components::{FilterSelect, loaded_options};
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
            {loaded_options("department", departments, |d| (d.code, d.name))}
        </FilterSelect>
    }
}
