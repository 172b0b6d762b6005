//! `/bundles/:code`: one bundle with its items, its one form and its one set of materials.

use leptos::prelude::*;

use leptos_meta::Title;

use crate::api::catalog::{BundleView, get_bundle};
use crate::components::apply_button::ApplyButton;
use crate::components::item_card::ItemCard;
use crate::pages::item::FieldList;
use crate::pages::not_found::by_code;

/// The bundle page.
#[component]
pub fn BundlePage() -> impl IntoView {
    by_code(get_bundle, "一件事", |view| view! { <Bundle view/> })
}

#[component]
fn Bundle(view: BundleView) -> impl IntoView {
    let b = view.bundle;
    let item_count = view.items.len();
    let separate_fields: usize = view.application.fields.len();
    view! {
        <Title text=b.name.clone()/>
        <nav class="breadcrumb" aria-label="位置"><a href="/bundles">"一件事一次办"</a> " / " {b.name.clone()}</nav>
        <article class="guide">
            <header class="guide-header">
                <h1>{b.name.clone()}</h1>
                <p class="badges">{b.stage.map(|s| view! { <span class="badge badge-red">{s.label()}</span> })}</p>
                <p>{b.description.clone()}</p>
                <ul class="key-facts">
                    <li><span>"包含事项"</span><strong>{format!("{item_count} 项")}</strong></li>
                    <li><span>"承诺时限"</span><strong>{format!("{} 个工作日", b.promised_limit_days)}</strong></li>
                    <li><span>"牵头部门"</span><strong>{view.lead_department.name.clone()}</strong></li>
                    <li><span>"一张表单"</span><strong>{format!("{separate_fields} 项")}</strong></li>
                </ul>
                <ApplyButton bundle=b.code.clone()/>
            </header>
            <section aria-labelledby="items">
                <h2 id="items">"包含的事项（并联审批）"</h2>
                <ul class="item-list">
                    {view.items.into_iter().map(|item| view! { <ItemCard item/> }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="materials">
                <h2 id="materials">{format!("一套材料（{} 项，共用材料只交一次）", view.application.materials.len())}</h2>
                <ul class="merged-materials">
                    {view.application.materials.into_iter().map(|m| {
                        let shared = m.items.len() > 1;
                        view! {
                            <li>
                                <span class="field-label">{m.material.name.clone()}</span>
                                {shared.then(|| view! { <span class="badge badge-blue">{format!("{} 个事项共用", m.items.len())}</span> })}
                                {m.material.deferrable.then(|| view! { <span class="badge badge-amber">"可容缺"</span> })}
                                <small class="note">{format!("{}，{} {} 份", m.material.specification, m.material.form.label(), m.material.quantity)}</small>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="form">
                <h2 id="form">"一张表单（共用字段只填一次）"</h2>
                <FieldList fields=view.application.fields/>
            </section>
        </article>
    }
}
