//! 送达方式: how the applicant will receive the result, chosen from the guide's methods, with
//! the postal address for 邮寄, checked by the same rules as on the server
//! (`domain::delivery::check_choice`, run with the rest of `check_submission`).

use leptos::prelude::*;

use crate::components::form_field::CatalogField;
use crate::domain::catalog::DeliveryMethod;
use crate::domain::delivery::{DeliveryForm, address_fields};

/// The choice, on the last step of the form.
#[component]
pub(super) fn DeliveryChoiceField(
    methods: Vec<DeliveryMethod>,
    delivery: RwSignal<DeliveryForm>,
    /// The message for a path, once touched.
    error_for: Callback<String, Signal<Option<String>>>,
    /// Marks a path touched.
    touch: Callback<String>,
) -> impl IntoView {
    let single = (methods.len() == 1).then(|| methods[0]);
    let method = move || delivery.read().method.or(single);
    view! {
        <fieldset class="choice delivery-choice">
            <legend>"办理结果送达方式"</legend>
            {match single {
                Some(m) => view! {
                    <p class="note">{format!("本事项的办理结果以“{}”方式送达。", m.label())}</p>
                }.into_any(),
                None => methods.iter().map(|&m| view! {
                    <label class="choice-option">
                        <input type="radio" name="delivery-method" value=m.as_str()
                            prop:checked=move || delivery.read().method == Some(m)
                            on:change=move |_| {
                                delivery.update(|d| d.method = Some(m));
                                touch.run("delivery.method".into());
                            }/>
                        <span>{m.label()}</span>
                        <span class="choice-hint">{hint(m)}</span>
                    </label>
                }).collect_view().into_any(),
            }}
            <p class="field-error" role="alert">{error_for.run("delivery.method".into())}</p>
        </fieldset>
        {move || (method() == Some(DeliveryMethod::Post)).then(|| view! {
            <fieldset class="postal-address">
                <legend>"邮寄地址"</legend>
                {address_fields().into_iter().map(|field| {
                    let key = field.key.clone();
                    let k2 = key.clone();
                    let path = format!("delivery.{key}");
                    let p2 = path.clone();
                    view! {
                        <CatalogField field path=path.clone()
                            value=Signal::derive(move || delivery.read().address.get(&key).cloned().unwrap_or_default())
                            on_input=Callback::new(move |v: String| delivery.update(|d| { d.address.insert(k2.clone(), v); }))
                            error=error_for.run(path) on_blur=Callback::new(move |()| touch.run(p2.clone()))/>
                    }
                }).collect_view()}
            </fieldset>
        })}
    }
}

fn hint(m: DeliveryMethod) -> &'static str {
    match m {
        DeliveryMethod::Download => "作出决定后即可在“我的办件”下载，当日送达",
        DeliveryMethod::Post => "免费邮寄到指定地址，寄出后可查运单",
        DeliveryMethod::Pickup => "凭身份证件到政务服务大厅窗口领取",
    }
}
