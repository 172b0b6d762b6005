//! `/items/:code`: the guide (办事指南) of one item, with every guide element.

use leptos::prelude::*;

use leptos_meta::{Meta, Title};

use crate::api::catalog::{ItemGuide, get_item};
use crate::components::apply_button::ApplyButton;
use crate::domain::catalog::{
    CaseKind, DeliveryMethod, FieldType, FileType, FormField, Material, OnlineDepth,
};
use crate::pages::not_found::by_code;

/// The guide page.
#[component]
pub fn ItemPage() -> impl IntoView {
    by_code(get_item, "事项", |guide| view! { <Guide guide/> })
}

#[component]
fn Guide(guide: ItemGuide) -> impl IntoView {
    let item = guide.item;
    let limit = match item.case_kind {
        CaseKind::Immediate => "即办件，当场办结".to_string(),
        CaseKind::Promised => format!("{} 个工作日", item.promised_limit_days),
    };
    let co = if guide.co_departments.is_empty() {
        "无".to_string()
    } else {
        guide
            .co_departments
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    // 审查时限 of the departments the guide gives one (并联审批), by name.
    let review_days = (!item.review_days.is_empty()).then(|| {
        item.review_days
            .iter()
            .map(|(code, days)| {
                let name = std::iter::once(&guide.department)
                    .chain(&guide.co_departments)
                    .find(|d| &d.code == code)
                    .map_or(code.as_str(), |d| d.name.as_str());
                format!("{name} {days} 个工作日")
            })
            .collect::<Vec<_>>()
            .join("；")
    });
    let fee = if item.fee.charged {
        format!("收费。{}", item.fee.basis.clone().unwrap_or_default())
    } else {
        "不收费".to_string()
    };
    let delivery = DeliveryMethod::labels(&item.delivery_methods, "、");
    let deferrable = item.materials.iter().filter(|m| m.deferrable).count();
    let description = format!(
        "{}：{}，{}，材料 {} 项",
        item.name,
        guide.department.name,
        limit,
        item.materials.len()
    );
    view! {
        <Title text=item.name.clone()/>
        <Meta name="description" content=description/>
        <nav class="breadcrumb" aria-label="位置"><a href="/items">"事项清单"</a> " / " {item.name.clone()}</nav>
        <article class="guide">
            <header class="guide-header">
                <h1>{item.name.clone()}</h1>
                <p class="badges">
                    <span class="badge badge-red">{item.item_type.label()}</span>
                    <span class="badge">{item.case_kind.label()}</span>
                    <span class="badge badge-green">{item.online_depth.label()}</span>
                    {item.accept_on_receipt.then(|| view! { <span class="badge badge-blue">"收件即受理"</span> })}
                    {(deferrable > 0).then(|| view! { <span class="badge badge-amber">{format!("{deferrable} 项材料可容缺")}</span> })}
                </p>
                <ul class="key-facts">
                    <li><span>"承诺时限"</span><strong>{limit.clone()}</strong></li>
                    <li><span>"法定时限"</span><strong>{format!("{} 个工作日", item.statutory_limit_days)}</strong></li>
                    <li><span>"到现场次数"</span><strong>{format!("{} 次", item.visits)}</strong></li>
                    <li><span>"是否收费"</span><strong>{if item.fee.charged { "收费" } else { "不收费" }}</strong></li>
                </ul>
                {if item.online_depth == OnlineDepth::WindowOnly {
                    view! { <p class="notice notice-info">"本事项须到窗口办理，不能在网上申请。"</p> }.into_any()
                } else {
                    view! { <ApplyButton item=item.code.clone()/> }.into_any()
                }}
            </header>

            <section aria-labelledby="basic">
                <h2 id="basic">"基本信息"</h2>
                <dl class="facts">
                    <dt>"实施编码"</dt><dd class="code">{item.code.clone()}</dd>
                    <dt>"事项类型"</dt><dd>{item.item_type.label()}</dd>
                    <dt>"实施主体"</dt><dd>{guide.department.name.clone()}</dd>
                    <dt>"共同实施部门"</dt><dd>{co}</dd>
                    <dt>"设定依据"</dt><dd>{item.legal_basis.clone()}</dd>
                    <dt>"受理条件"</dt><dd>{item.conditions.clone()}</dd>
                    <dt>"办件类型"</dt><dd>{item.case_kind.label()}</dd>
                    <dt>"法定办结时限"</dt><dd>{format!("{} 个工作日", item.statutory_limit_days)}</dd>
                    <dt>"承诺办结时限"</dt><dd>{limit}</dd>
                    {review_days.map(|r| view! { <dt>"部门审查时限"</dt><dd data-review-days="">{r}</dd> })}
                    <dt>"网办深度"</dt><dd>{item.online_depth.label()}</dd>
                    <dt>"到现场次数"</dt><dd>{format!("{} 次", item.visits)}</dd>
                </dl>
            </section>

            <section aria-labelledby="materials">
                <h2 id="materials">{format!("材料清单（{} 项）", item.materials.len())}</h2>
                <MaterialTable materials=item.materials.clone()/>
            </section>

            <section aria-labelledby="steps">
                <h2 id="steps">"办理流程"</h2>
                <ol class="steps">
                    {item.steps.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}
                </ol>
            </section>

            <section aria-labelledby="form">
                <h2 id="form">{format!("申请表单（{} 项）", item.fields.len())}</h2>
                <FieldList fields=item.fields.clone()/>
            </section>

            <section aria-labelledby="where">
                <h2 id="where">"办理方式"</h2>
                <dl class="facts">
                    <dt>"办理地点"</dt><dd>{item.location.clone()}</dd>
                    <dt>"办理时间"</dt><dd>{item.hours.clone()}</dd>
                    <dt>"咨询电话"</dt><dd><a href=format!("tel:{}", item.consult_phone)>{item.consult_phone.clone()}</a></dd>
                    <dt>"监督电话"</dt><dd><a href=format!("tel:{}", item.supervise_phone)>{item.supervise_phone.clone()}</a></dd>
                    <dt>"收费"</dt><dd>{fee}</dd>
                    <dt>"办理结果"</dt><dd>{item.result.name.clone()}{item.result.electronic.then_some("（电子证照）")}</dd>
                    <dt>"送达方式"</dt><dd>{delivery}</dd>
                </dl>
            </section>

            {(!guide.bundles.is_empty()).then(|| view! {
                <section aria-labelledby="bundles">
                    <h2 id="bundles">"可一件事联办"</h2>
                    <ul class="link-list">
                        {guide.bundles.iter().map(|b| view! {
                            <li><a href=format!("/bundles/{}", b.code)>{b.name.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}

            <section aria-labelledby="history">
                <h2 id="history">"指南版本"</h2>
                <ul class="history">
                    {guide.history.iter().map(|v| view! {
                        <li>{format!("第 {} 版 · {}", v.version, v.imported_at.get(..10).unwrap_or_default())}
                            {(v.version == guide.version).then_some("（现行）")}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        </article>
    }
}

/// The material table; on a phone each row becomes a card (see `style/main.scss`).
#[component]
pub fn MaterialTable(materials: Vec<Material>) -> impl IntoView {
    view! {
        <table class="materials">
            <thead>
                <tr>
                    <th scope="col">"材料名称"</th>
                    <th scope="col">"来源"</th>
                    <th scope="col">"形式 / 份数"</th>
                    <th scope="col">"规格"</th>
                    <th scope="col">"要求"</th>
                    <th scope="col">"上传格式"</th>
                </tr>
            </thead>
            <tbody>
                {materials.into_iter().map(|m| {
                    let requirement = match (m.required, m.deferrable) {
                        (true, true) => view! { <span class="badge badge-amber">"必需 · 可容缺"</span> }.into_any(),
                        (true, false) => view! { <span class="badge badge-red">"必需"</span> }.into_any(),
                        (false, _) => view! { <span class="badge">"非必需"</span> }.into_any(),
                    };
                    let types = FileType::labels(&m.file_types, "/");
                    view! {
                        <tr>
                            <th scope="row" data-label="材料名称">
                                {m.name.clone()}
                                {m.notes.clone().map(|n| view! { <small class="note">{n}</small> })}
                                {m.template_url.clone().map(|u| view! { <a class="note" href=u>"空白表格"</a> })}
                            </th>
                            <td data-label="来源">{m.source.label()}</td>
                            <td data-label="形式 / 份数">{format!("{} {} 份", m.form.label(), m.quantity)}</td>
                            <td data-label="规格">{m.specification.clone()}</td>
                            <td data-label="要求">{requirement}</td>
                            <td data-label="上传格式">{format!("{types}，≤ {} MB", m.max_size_mb)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The fields of an electronic form, with their type and constraints in words.
#[component]
pub fn FieldList(fields: Vec<FormField>) -> impl IntoView {
    view! {
        <ul class="field-list">
            {fields.into_iter().map(|f| {
                let rule = describe_constraints(&f);
                view! {
                    <li>
                        <span class="field-label">{f.label.clone()}{f.required.then(|| view! { <span class="required" title="必填">" *"</span> })}</span>
                        <span class="field-type">{f.field_type.label()}</span>
                        {(!rule.is_empty()).then(|| view! { <small class="note">{rule}</small> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Constraints of a field in words, e.g. "2–100 个字符", "0–100000 万元".
fn describe_constraints(f: &FormField) -> String {
    let mut parts = Vec::new();
    match (f.min_length, f.max_length) {
        (Some(a), Some(b)) => parts.push(format!("{a}–{b} 个字符")),
        (None, Some(b)) => parts.push(format!("不超过 {b} 个字符")),
        (Some(a), None) => parts.push(format!("至少 {a} 个字符")),
        (None, None) => {}
    }
    let unit = f.unit.clone().unwrap_or_default();
    match (f.min, f.max) {
        (Some(a), Some(b)) => parts.push(format!("{a}–{b} {unit}")),
        (None, Some(b)) => parts.push(format!("不超过 {b} {unit}")),
        (Some(a), None) => parts.push(format!("不小于 {a} {unit}")),
        (None, None) if !unit.is_empty() => parts.push(format!("单位：{unit}")),
        (None, None) => {}
    }
    if f.field_type == FieldType::Select {
        parts.push(
            f.options
                .iter()
                .map(|o| o.label.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
        );
    }
    if let Some(help) = &f.help {
        parts.push(help.clone());
    }
    parts.join("；")
}
