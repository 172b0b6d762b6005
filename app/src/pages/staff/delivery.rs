//! 送达 on the workbench: how the applicant chose to receive the result, and the window's
//! steps (寄出 with the carrier and waybill, then 妥投; or 领取 with the collector's ID card
//! checked). Each step is checked with `domain::delivery::check_delivery` before sending, so
//! a refusal reads as the server's.

use super::tasks::refusal;
use super::*;
use crate::api::backoffice::{DeliveryAction, DeliveryView, deliver_result};
use crate::components::status::Alert;
use crate::domain::catalog::DeliveryMethod;
use crate::domain::delivery::{
    CARRIERS, DeliveryChoice, DeliveryFacts, DeliveryStep, check_delivery,
};

/// The delivery of a decided (or delivered) case.
#[component]
pub(super) fn DeliveryPanel(case: StaffCase, reload: Callback<()>) -> impl IntoView {
    let delivery: DeliveryView = case.delivery.clone().unwrap_or(DeliveryView {
        method: None,
        address: None,
        carrier: None,
        waybill: None,
        mailed_on: None,
        delivered_on: None,
        collector: None,
    });
    let status = case.application.status;
    let facts = StoredValue::new(DeliveryFacts {
        status,
        choice: DeliveryChoice::stored(&case.application.delivery),
        offered: case.form.delivery_methods.clone(),
        mailed: delivery.carrier.clone().zip(delivery.waybill.clone()),
    });
    let number = StoredValue::new(case.application.case_number.clone().unwrap_or_default());
    let version = case.version;
    let message = RwSignal::new(None::<String>);
    let send = move |step: DeliveryStep, values: BTreeMap<String, String>| {
        message.set(None);
        let action = DeliveryAction {
            version,
            step,
            values,
        };
        let checked = facts
            .with_value(|f| check_delivery(f, &action.request(), crate::clock::today_in_china()));
        if let Err(p) = checked {
            message.set(Some(FieldProblem::sentence(&p)));
            return;
        }
        spawn_local(async move {
            match deliver_result(number.get_value(), action).await {
                Ok(_) => reload.run(()),
                Err(e) => message.set(Some(refusal(&e))),
            }
        });
    };
    // A step's form sends its fields by name.
    let submit = move |step: DeliveryStep, fields: Vec<(&'static str, RwSignal<String>)>| {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let values = fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.get_untracked()));
            send(step, values.collect());
        }
    };
    // What the window may still do: by the applicant's choice, or by what the guide offers
    // on a case submitted before the choice was asked.
    let methods: Vec<DeliveryMethod> = match delivery.method {
        Some(m) => vec![m],
        None => case.form.delivery_methods.clone(),
    };
    let open = status == CaseStatus::Decided && case.may_act;
    let mailed = delivery.waybill.is_some();
    let method_label = delivery.method.map_or("（申请时未选择）", |m| m.label());
    let day = |d: Option<crate::domain::date::Date>| d.map(|d| d.to_string());
    view! {
        <section class="delivery" data-delivery=delivery.method.map(|m| m.as_str())>
            <h2>"送达"</h2>
            <dl class="facts">
                <dt>"送达方式"</dt><dd>{method_label}</dd>
                {delivery.address.clone().map(|a| view! { <dt>"邮寄地址"</dt><dd>{a}</dd> })}
                {delivery.carrier.clone().map(|c| view! { <dt>"快递公司"</dt><dd>{c}</dd> })}
                {delivery.waybill.clone().map(|w| view! { <dt>"运单号"</dt><dd class="code" data-waybill="">{w}</dd> })}
                {day(delivery.mailed_on).map(|d| view! { <dt>"寄出日期"</dt><dd>{d}</dd> })}
                {delivery.collector.clone().map(|c| view! { <dt>"领取人"</dt><dd>{c}</dd> })}
                {day(delivery.delivered_on).map(|d| view! { <dt>"送达日期"</dt><dd data-delivered="">{d}</dd> })}
            </dl>
            <Alert message=message/>
            {open.then(|| methods.into_iter().map(|m| match m {
                DeliveryMethod::Post if mailed => view! {
                    <form class="decision" on:submit=submit(DeliveryStep::Received, vec![])>
                        <p class="muted">"邮件妥投（申请人签收）后确认送达，办件即办结。"</p>
                        <button type="submit" class="button primary">"确认已妥投"</button>
                    </form>
                }.into_any(),
                DeliveryMethod::Post => {
                    let carrier = RwSignal::new(String::new());
                    let waybill = RwSignal::new(String::new());
                    view! {
                        <form class="decision" on:submit=submit(DeliveryStep::Mail, vec![("carrier", carrier), ("waybill", waybill)])>
                            <label>"快递公司"
                                <select name="carrier" on:change=move |ev| carrier.set(event_target_value(&ev))>
                                    <option value="">"请选择"</option>
                                    {CARRIERS.iter().map(|c| view! { <option value=*c>{*c}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>"运单号"<Input name="waybill" value=waybill autocomplete="off"/></label>
                            <button type="submit" class="button primary">"登记寄出"</button>
                        </form>
                    }.into_any()
                }
                DeliveryMethod::Pickup => {
                    let name = RwSignal::new(String::new());
                    let id = RwSignal::new(String::new());
                    view! {
                        <form class="decision" on:submit=submit(DeliveryStep::PickUp, vec![("collector_name", name), ("collector_id_number", id)])>
                            <p class="muted">"核验领取人居民身份证原件后登记；代领的，另收授权委托书。"</p>
                            <label>"领取人姓名"<Input name="collector_name" value=name autocomplete="off"/></label>
                            <label>"领取人居民身份证号码"<Input name="collector_id_number" value=id autocomplete="off"/></label>
                            <button type="submit" class="button primary">"确认领取"</button>
                        </form>
                    }.into_any()
                }
                // A case decided before the choice was asked, its guide offering 网上下载.
                DeliveryMethod::Download => view! {
                    <form class="decision" on:submit=submit(DeliveryStep::Online, vec![])>
                        <p class="muted">"办理结果已发布到申请人的“我的办件”，确认电子送达后办件即办结。"</p>
                        <button type="submit" class="button primary">"确认电子送达"</button>
                    </form>
                }.into_any(),
            }).collect_view())}
        </section>
    }
}
