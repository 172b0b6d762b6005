//! The departments as the `department` field of a GET filter form.

use leptos::prelude::*;

use crate::resource::resource;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::list_departments;

/// `<select name="department">` of every department, the one in the address selected.
#[component]
pub fn DepartmentSelect(
    /// The label of the empty choice.
    all: &'static str,
) -> impl IntoView {
    let query = use_query_map();
    let departments = resource(|| (), |_| list_departments());
    view! {
        <select id="department" name="department">
            <option value="">{all}</option>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    departments.await.unwrap_or_default().into_iter().map(|d| {
                        let code = d.code.clone();
                        let is_selected = move || query.read().get("department").as_deref() == Some(code.as_str());
                        view! { <option value=d.code.clone() selected=is_selected>{d.name.clone()}</option> }
                    }).collect_view()
                })}
            </Suspense>
        </select>
    }
}
