//! Loading and failure states shared by the pages.

use leptos::prelude::*;

use crate::error::AppError;
use crate::resource::Json;

/// Shown while data loads.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"正在加载…"</p> }
}

/// Shown when the server refused or could not answer: the message for its code (an
/// internal failure's carries an incident id, never a cause).
#[component]
pub fn LoadFailed(error: AppError) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert" data-code=error.code.as_str()>{error.message.clone()}</div>
    }
}

/// A page's data: [`Loading`] while it loads, then `show` of it, or [`LoadFailed`] when the
/// server refused or could not answer.
#[component]
pub fn Loaded<T, F, V>(data: Resource<Result<T, AppError>, Json>, show: F) -> impl IntoView
where
    T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=Loading>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => show(value).into_any(),
                        Err(error) => view! { <LoadFailed error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A failure's message while there is one (a refusal, a lost connection), read out by
/// screen readers (`role="alert"`).
#[component]
pub fn Alert(message: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })
    }
}

/// A form's primary submit button: `label`, or `working` (and disabled) while `busy`; `block`
/// spans the form's width.
#[component]
pub fn Submit(
    busy: RwSignal<bool>,
    label: &'static str,
    working: &'static str,
    #[prop(optional)] block: bool,
) -> impl IntoView {
    let class = if block {
        "button button-primary button-block"
    } else {
        "button button-primary"
    };
    view! {
        <button type="submit" class=class disabled=move || busy.get()>
            {move || if busy.get() { working } else { label }}
        </button>
    }
}
