//! One item in a list.

use leptos::prelude::*;

use crate::api::catalog::ItemSummary;
use crate::domain::catalog::{CaseKind, OnlineDepth};

/// A card linking to an item's guide.
#[component]
pub fn ItemCard(item: ItemSummary) -> impl IntoView {
    let href = format!("/items/{}", item.code);
    let limit = match item.case_kind {
        CaseKind::Immediate => "当场办结".to_string(),
        CaseKind::Promised => format!("承诺 {} 个工作日", item.promised_limit_days),
    };
    let depth_class = match item.online_depth {
        OnlineDepth::FullyOnline => "badge badge-green",
        OnlineDepth::OnlinePrecheck => "badge badge-blue",
        OnlineDepth::WindowOnly => "badge",
    };
    view! {
        <li class="item-card">
            <a href=href class="item-card-link">
                <span class="item-name">{item.name.clone()}</span>
                <span class="item-meta">{item.department_name.clone()} " · " <span class="code">{item.code.clone()}</span></span>
                <span class="badges">
                    <span class="badge badge-red">{item.item_type.label()}</span>
                    <span class="badge">{item.case_kind.label()}</span>
                    <span class=depth_class>{item.online_depth.label()}</span>
                </span>
                <span class="item-facts">{limit} " · 到现场 " {item.visits} " 次"</span>
            </a>
        </li>
    }
}
