//! `/licences`: the public register of granted licences (第四十条: 准予行政许可的决定应当公开).
//! Company holders by name, persons masked; searchable by holder, item and department; each
//! with its 注销 / 撤销 marked. A plain GET form, so it works without JavaScript.

use leptos::prelude::*;

use crate::resource::resource;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::catalog::{ItemFilter, list_items};
use crate::api::licence::{RegisterFilter, licence_register};
use crate::components::department_select::DepartmentSelect;
use crate::components::status::Loaded;
use crate::components::{FilterSelect, filter_from, loaded_options};

/// The register page.
#[component]
pub fn LicencesPage() -> impl IntoView {
    let query = use_query_map();
    let filter = filter_from(query, |get| RegisterFilter {
        q: get("q"),
        department: get("department"),
        item: get("item"),
        page: get("page").and_then(|p| p.parse().ok()),
    });
    let register = resource(move || filter.get(), licence_register);
    let items = resource(|| (), |_| list_items(ItemFilter::default()));
    let page_link = move |page: u32| {
        let f = filter.get_untracked();
        let mut parts = vec![format!("page={page}")];
        for (k, v) in [("q", f.q), ("department", f.department), ("item", f.item)] {
            if let Some(v) = v {
                parts.push(format!("{k}={}", crate::components::encode_query(&v)));
            }
        }
        format!("/licences?{}", parts.join("&"))
    };
    view! {
        <Title text="电子证照公示"/>
        <h1>"电子证照公示"</h1>
        <p class="muted">"依《行政许可法》第四十条公开准予行政许可的决定。个人持证者信息已作脱敏处理；核验证照真伪请到"<a href="/verify">"电子证照验真"</a>"。"</p>
        <Form method="GET" action="/licences" attr:class="filters" attr:role="search" attr:data-swap="[data-results]">
            <div class="filter-row">
                <label for="q">"搜索"</label>
                <input id="q" type="search" name="q" placeholder="单位名称或证照编号" autocomplete="off"
                    value=query.read_untracked().get("q").unwrap_or_default()
                    prop:value=move || query.read().get("q").unwrap_or_default()/>
            </div>
            <DepartmentSelect label="发证部门" all="全部部门"/>
            <FilterSelect name="item" label="事项" all="全部事项">
                {loaded_options("item", items, |i| (i.code, i.name))}
            </FilterSelect>
            <button type="submit" class="button">"查询"</button>
        </Form>
        <div data-results="">
        <Loaded data=register show=move |r| if r.entries.is_empty() {
            view! { <p class="empty">"没有符合条件的证照。"</p> }.into_any()
        } else {
            let paging = r.paging;
            view! {
                <p class="muted">{format!("共 {} 张", paging.matching)}</p>
                <ul class="register" aria-label="证照名录">
                    {r.entries.into_iter().map(|l| { let revoked = l.revocation.is_some(); view! {
                        <li data-licence=l.number.clone() class:revoked=revoked>
                            <p><strong>{l.name.clone()}</strong> " " <span class="code">{l.number.clone()}</span></p>
                            <p>{format!("{} · {}", l.holder_name, l.department_name)}</p>
                            <p class="muted">{format!("发证 {} · 有效期至 {}", l.issued_on, l.valid_until.map_or_else(|| "长期有效".to_string(), |d| d.to_string()))}</p>
                            {l.revocation.map(|r| view! { <p class="revoked-note">{format!("已{}（{}）：{}", r.kind.label(), r.on, r.reason)}</p> })}
                        </li>
                    }}).collect_view()}
                </ul>
                {(paging.pages > 1).then(|| view! {
                    <nav class="pager" aria-label="分页">
                        {(paging.page > 1).then(|| view! { <a href=page_link(paging.page - 1)>"上一页"</a> })}
                        <span>{format!("第 {} / {} 页", paging.page, paging.pages)}</span>
                        {(paging.page < paging.pages).then(|| view! { <a href=page_link(paging.page + 1)>"下一页"</a> })}
                    </nav>
                })}
            }.into_any()
        }/>
        </div>
    }
}
