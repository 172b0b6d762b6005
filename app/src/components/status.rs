//! Loading and failure states shared by the pages.

use leptos::prelude::*;

use crate::components::field::FieldErrors;
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
/// server refused or could not answer. A page that has more to say of a refusal (sign in,
/// back to the list) gives `refused`; a failure of the system or the network is always
/// [`LoadFailed`].
#[component]
pub fn Loaded<T, F, V>(
    data: Resource<Result<T, AppError>, Json>,
    show: F,
    #[prop(optional)] refused: Option<fn(AppError) -> AnyView>,
) -> impl IntoView
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
                        Err(error) => match refused {
                            Some(refused) if !error.is_failure() => refused(error),
                            _ => view! { <LoadFailed error/> }.into_any(),
                        },
                    }
                })
            }}
        </Suspense>
    }
}

/// A page with nothing to show (an address or a code not found): `title` is its title and
/// heading, `text` says why, and `children` are the ways on (links).
#[component]
pub fn EmptyPage(
    #[prop(into)] title: String,
    #[prop(into)] text: String,
    children: Children,
) -> impl IntoView {
    view! {
        <leptos_meta::Title text=title.clone()/>
        <section class="empty">
            <h1>{title}</h1>
            <p>{text}</p>
            <p>{children()}</p>
        </section>
    }
}

/// A refusal of a staff page to someone not signed in as staff who may see it: the
/// refusal's message and the way to the staff login.
pub fn sign_in_as_staff(error: AppError) -> AnyView {
    view! {
        <section class="empty" data-code=error.code.as_str()>
            <p>{error.message.clone()}</p>
            <p>"请以有权查看本页的工作人员身份登录。"</p>
            <p><a class="button" href="/staff/login">"工作人员登录"</a></p>
        </section>
    }
    .into_any()
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

/// Sends a form's request: `busy` until the answer, then `done` with what the server gave.
/// A refusal that names fields shows beside them when the form has `errors`; any other
/// refusal or failure shows as the form's `failure`.
pub fn send<T: 'static>(
    busy: RwSignal<bool>,
    failure: RwSignal<Option<String>>,
    errors: Option<FieldErrors>,
    request: impl Future<Output = Result<T, AppError>> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    busy.set(true);
    leptos::task::spawn_local(async move {
        match request.await {
            Ok(value) => done(value),
            Err(e) => match errors {
                Some(errors) if !e.problems.is_empty() => errors.refused(e.into_problems()),
                _ => failure.set(Some(e.into_message())),
            },
        }
        busy.set(false);
    });
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
