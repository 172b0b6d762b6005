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
    #[cfg(feature = "hydrate")]
    keep_typed(name, value);
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

/// An input bound to `value`, keeping what was typed before the wasm took over as [`Field`]
/// does. (Its attributes are props rather than spread ones: one build of it serves every
/// page.)
#[component]
pub fn Input(
    name: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] spellcheck: Option<&'static str>,
) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    keep_typed(name, value);
    view! {
        <input name=name id=id type=input_type placeholder=placeholder autocomplete=autocomplete
            spellcheck=spellcheck prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))/>
    }
}

/// Keeps what was typed into the server-rendered input named `name` before the wasm took over
/// the page (a slow network gives a phone seconds to type): hydration sets the input to
/// `value`, so `value` takes what was typed first. Only while hydrating, only into an empty
/// value, and only when one input on the page has the name (of several, which is not known).
#[cfg(feature = "hydrate")]
fn keep_typed(name: &str, value: RwSignal<String>) {
    use wasm_bindgen::JsCast;
    let hydrating = Owner::current_shared_context().is_some_and(|sc| sc.during_hydration());
    if !hydrating || !value.with_untracked(String::is_empty) {
        return;
    }
    let named = document().get_elements_by_name(name);
    if named.length() != 1 {
        return;
    }
    let typed = named
        .get(0)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| input.value())
        .filter(|typed| !typed.is_empty());
    if let Some(typed) = typed {
        value.set(typed);
    }
}

/// The errors a checked form shows beside its fields: the browser's verdict (the same rules
/// the server runs) on the fields the person has left, or the server's refusal of a field
/// until that field changes again.
#[derive(Clone, Copy)]
pub struct FieldErrors {
    touched: RwSignal<std::collections::BTreeSet<&'static str>>,
    server: RwSignal<Vec<crate::domain::account::FieldProblem>>,
    local: Memo<Vec<crate::domain::account::FieldProblem>>,
}

impl FieldErrors {
    /// Errors for `fields` (each with its value), judged in the browser by `local`.
    pub fn new(
        fields: impl IntoIterator<Item = (&'static str, RwSignal<String>)>,
        local: Memo<Vec<crate::domain::account::FieldProblem>>,
    ) -> Self {
        let errors = FieldErrors {
            touched: RwSignal::new(Default::default()),
            server: RwSignal::new(Vec::new()),
            local,
        };
        // Once a field changes, the server's verdict on it (e.g. "already registered") is stale.
        for (field, value) in fields {
            Effect::new(move |_| {
                value.track();
                errors
                    .server
                    .update(|problems| problems.retain(|p| p.field != field));
            });
        }
        errors
    }

    /// The message to show under `field`, if any.
    pub fn error_for(self, field: &'static str) -> Signal<Option<String>> {
        Signal::derive(move || {
            if !self.touched.read().contains(field) {
                return None;
            }
            let first = |list: &[crate::domain::account::FieldProblem]| {
                list.iter()
                    .find(|p| p.field == field)
                    .map(|p| p.message.clone())
            };
            first(&self.server.read()).or_else(|| first(&self.local.read()))
        })
    }

    /// What to call when the person leaves `field`.
    pub fn touch(self, field: &'static str) -> Callback<()> {
        Callback::new(move |()| {
            self.touched.update(|t| {
                t.insert(field);
            });
        })
    }

    /// On submit: every field shows its errors, and the server's old verdicts go. Whether the
    /// browser finds the form fit to send.
    pub fn submit(self, fields: &[&'static str]) -> bool {
        self.touched.set(fields.iter().copied().collect());
        self.server.set(Vec::new());
        self.local.read_untracked().is_empty()
    }

    /// Whether the browser finds a problem with `field` (shown once the field is touched).
    pub fn check(self, field: &'static str) -> bool {
        self.touched.update(|t| {
            t.insert(field);
        });
        !self.local.read_untracked().iter().any(|p| p.field == field)
    }

    /// The server refused these fields.
    pub fn refused(self, problems: Vec<crate::domain::account::FieldProblem>) {
        self.server.set(problems);
    }
}
