//! `/items`: the catalog, with search and filters kept in the address (shareable, works
//! without JavaScript as a plain GET form).

use leptos::prelude::*;

use crate::resource::resource;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::catalog::{ItemFilter, list_items};
use crate::components::department_select::DepartmentSelect;
use crate::components::item_card::ItemCard;
use crate::components::status::Loaded;
use crate::components::{FilterSelect, filter_from, query_options};
use crate::domain::catalog::{ItemType, OnlineDepth};

/// The catalog page.
#[component]
pub fn CatalogPage() -> impl IntoView {
    let query = use_query_map();
    let filter = filter_from(query, |get| ItemFilter {
        q: get("q"),
        department: get("department"),
        item_type: get("type"),
        depth: get("depth"),
    });
    let items = resource(move || filter.get(), list_items);

    let on_search_input = live_search(query);

    view! {
        <Title text="事项清单"/>
        <h1>"事项清单"</h1>
        <Form method="GET" action="/items" attr:class="filters" attr:role="search" attr:data-swap="[data-results]">
            <div class="filter-row">
                <label for="q">"搜索"</label>
                <input id="q" type="search" name="q" placeholder="事项名称或实施编码" autocomplete="off" data-live=""
                    value=query.read_untracked().get("q").unwrap_or_default()
                    prop:value=move || query.read().get("q").unwrap_or_default()
                    on:input=on_search_input/>
            </div>
            <div class="filter-grid">
                <DepartmentSelect label="实施部门" all="全部部门"/>
                <FilterSelect name="type" label="事项类型" all="全部类型">
                    {query_options("type", ItemType::ALL.map(|t| (t.as_str(), t.label())))}
                </FilterSelect>
                <FilterSelect name="depth" label="网办深度" all="全部">
                    {query_options("depth", OnlineDepth::ALL.map(|d| (d.as_str(), d.label())))}
                </FilterSelect>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button button-primary">"搜索"</button>
                <a href="/items" class="button">"清除条件"</a>
            </div>
        </Form>

        <div data-results="">
        <Loaded data=items show=|list| if list.is_empty() {
            view! {
                <p class="result-count" role="status">"没有找到符合条件的事项，请换个关键词试试。"</p>
            }.into_any()
        } else {
            view! {
                <p class="result-count" role="status">{format!("共 {} 个事项", list.len())}</p>
                <ul class="item-list" aria-label="搜索结果">
                    {list.into_iter().map(|item| view! { <ItemCard item/> }).collect_view()}
                </ul>
            }.into_any()
        }/>
        </div>
    }
}

/// How long typing must pause before the results follow it.
#[cfg(feature = "hydrate")]
const LIVE_SEARCH_DELAY_MS: u32 = 300;

/// Searches as the user types, once typing pauses: the address follows the search box (so the
/// result stays shareable and the back button works), replacing rather than stacking history.
fn live_search(
    query: Memo<leptos_router::params::ParamsMap>,
) -> impl Fn(leptos::ev::Event) + Clone {
    let navigate = use_navigate();
    #[cfg(feature = "hydrate")]
    let pending = StoredValue::new_local(None::<gloo::timers::callback::Timeout>);
    move |event| {
        #[cfg(feature = "hydrate")]
        {
            let text = event_target_value(&event);
            let mut params = query.get_untracked();
            if text.trim().is_empty() {
                params.remove("q");
            } else {
                params.replace("q", text);
            }
            let url = format!("/items{}", params.to_query_string());
            let navigate = navigate.clone();
            let timer = gloo::timers::callback::Timeout::new(LIVE_SEARCH_DELAY_MS, move || {
                navigate(
                    &url,
                    leptos_router::NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            });
            // Dropping the previous timer cancels it.
            pending.set_value(Some(timer));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&event, &navigate, &query);
    }
}
