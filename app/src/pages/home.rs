//! `/`: search, the four construction stages, and the departments.

use leptos::prelude::*;

use crate::resource::resource;
use leptos_meta::Title;

use crate::api::catalog::{list_bundles, list_departments};
use crate::components::status::Loaded;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let bundles = resource(|| (), |_| list_bundles());
    let departments = resource(|| (), |_| list_departments());
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"一窗通办，最多跑一次"</h1>
            <p>"一张表单、一次告知、一套材料，网上申请、网上补正、网上查进度。"</p>
            <form method="get" action="/items" class="search-form" role="search">
                <label for="home-q" class="visually-hidden">"搜索事项"</label>
                <input id="home-q" type="search" name="q" placeholder="事项名称或编码，如：施工许可"/>
                <button type="submit" class="button button-primary">"搜索"</button>
            </form>
        </section>

        <section>
            <h2>"工程建设项目 · 四个阶段"</h2>
            <Loaded data=bundles show=|list| view! {
                <ol class="stage-list">
                    {list.into_iter().filter(|b| b.stage.is_some()).map(|b| view! {
                        <li>
                            <a href=format!("/bundles/{}", b.code) class="stage-card">
                                <span class="stage-name">{b.stage.map(|s| s.label()).unwrap_or_default()}</span>
                                <span>{b.name.clone()}</span>
                                <small>{format!("{} 个事项并联审批 · 承诺 {} 个工作日", b.item_count, b.promised_limit_days)}</small>
                            </a>
                        </li>
                    }).collect_view()}
                </ol>
            }/>
        </section>

        <section>
            <h2>"按部门查找"</h2>
            <Loaded data=departments show=|mut list| {
                // The departments with the most items first: that is where people go.
                list.sort_by(|a, b| b.item_count.cmp(&a.item_count).then_with(|| a.code.cmp(&b.code)));
                view! {
                    <ul class="department-list">
                        {list.into_iter().filter(|d| d.item_count > 0).map(|d| view! {
                            <li>
                                <a href=format!("/items?department={}", d.code)>
                                    {d.name.clone()}
                                    <span class="count">{format!("{} 项", d.item_count)}</span>
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                }
            }/>
        </section>
    }
}
