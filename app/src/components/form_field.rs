//! One field of a catalog form, drawn from its definition: the right input for its type, its
//! label, help and unit, and its error under it. No per-item code: every form is made of these.

use leptos::prelude::*;

use crate::domain::catalog::{FieldType, FormField};

/// The input for `field`, bound to `value`; `path` (`values.project_name`) names it in the
/// form and in error lists.
#[component]
pub fn CatalogField(
    field: FormField,
    path: String,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    #[prop(into)] error: Signal<Option<String>>,
    on_blur: Callback<()>,
) -> impl IntoView {
    let id = path.replace('.', "-");
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let described = format!("{help_id} {error_id}");
    let invalid = move || {
        if error.get().is_some() {
            "true"
        } else {
            "false"
        }
    };
    let input = move |ev: leptos::ev::Event| on_input.run(event_target_value(&ev));
    let control = match field.field_type {
        FieldType::LongText => view! {
            <textarea id=id.clone() name=path.clone() rows="4" prop:value=move || value.get()
                on:input=input on:blur=move |_| on_blur.run(())
                aria-invalid=invalid aria-describedby=described.clone()></textarea>
        }
        .into_any(),
        FieldType::Select => {
            let options = field.options.clone();
            view! {
                <select id=id.clone() name=path.clone() prop:value=move || value.get()
                    on:change=input on:blur=move |_| on_blur.run(())
                    aria-invalid=invalid aria-describedby=described.clone()>
                    <option value="">"请选择"</option>
                    {options.into_iter().map(|o| {
                        let v = o.value.clone();
                        view! { <option value=o.value selected=move || value.get() == v>{o.label}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        FieldType::Checkbox => view! {
            <input id=id.clone() name=path.clone() type="checkbox" class="checkbox"
                prop:checked=move || value.get() == "true"
                on:change=move |ev| on_input.run(event_target_checked(&ev).to_string())
                on:blur=move |_| on_blur.run(())
                aria-invalid=invalid aria-describedby=described.clone()/>
        }
        .into_any(),
        other => {
            let (kind, mode, autocap) = match other {
                FieldType::Number => ("text", "decimal", "off"),
                FieldType::Date => ("date", "text", "off"),
                FieldType::MobileNumber => ("tel", "numeric", "off"),
                FieldType::UnifiedCreditCode | FieldType::IdCardNumber => {
                    ("text", "text", "characters")
                }
                _ => ("text", "text", "sentences"),
            };
            view! {
                <input id=id.clone() name=path.clone() type=kind inputmode=mode autocapitalize=autocap
                    autocomplete="off" spellcheck="false"
                    prop:value=move || value.get() on:input=input on:blur=move |_| on_blur.run(())
                    aria-invalid=invalid aria-describedby=described.clone()/>
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()
            class:field-check=field.field_type == FieldType::Checkbox>
            <label for=id.clone()>
                {field.label.clone()}
                {field.required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
                {field.unit.clone().map(|u| view! { <span class="unit">{format!("（{u}）")}</span> })}
            </label>
            {control}
            <small class="note" id=help_id>{field.help.clone()}</small>
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}
