//! A labelled input whose error, if any, is shown under it and announced to screen readers.

use leptos::prelude::*;

/// A text input bound to `value`, showing `error`.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    on_blur: Callback<()>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(optional, into)] hint: String,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=name>{label}</label>
            <input
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=move |_| on_blur.run(())
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
            />
            {(!hint.is_empty()).then(|| view! { <small class="note">{hint.clone()}</small> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}
