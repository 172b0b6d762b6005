//! `/bundles`: 一件事一次办.

use leptos::prelude::*;

use crate::resource::resource;
use leptos_meta::Title;

use crate::api::catalog::list_bundles;
use crate::components::status::Loaded;

/// The list of bundles.
#[component]
pub fn BundlesPage() -> impl IntoView {
    let bundles = resource(|| (), |_| list_bundles());
    view! {
        <Title text="一件事一次办"/>
        <h1>"一件事一次办"</h1>
        <p class="lead">"多个事项合成一件事：一张表单、一套材料、一次提交、一次告知、统一出件。"</p>
        <Loaded data=bundles show=|list| view! {
            <ul class="bundle-list">
                {list.into_iter().map(|b| view! {
                    <li class="bundle-card">
                        <a href=format!("/bundles/{}", b.code)>
                            {b.stage.map(|s| view! { <span class="badge badge-red">{s.label()}</span> })}
                            <span class="item-name">{b.name.clone()}</span>
                            <span class="item-meta">{b.description.clone()}</span>
                            <span class="item-facts">{format!("{} 个事项 · 牵头部门 {} · 承诺 {} 个工作日", b.item_count, b.lead_department_name, b.promised_limit_days)}</span>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        }/>
    }
}
