//! 在线申办: starts a draft for an item or a bundle, or asks to log in first.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::applications::start_application;
use crate::components::auth::Auth;
use crate::components::status::{Alert, send};

/// The "apply online" box of a guide or a bundle.
#[component]
pub fn ApplyButton(
    #[prop(optional)] item: Option<String>,
    #[prop(optional)] bundle: Option<String>,
) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let here = match (&item, &bundle) {
        (Some(c), _) => format!("/items/{c}"),
        (None, Some(c)) => format!("/bundles/{c}"),
        (None, None) => "/".into(),
    };
    // A form posting to `/apply`, so that it works on the guide pages, which do not load the
    // application; with the application loaded, the draft is started in place.
    let (item_, bundle_) = (item.clone(), bundle.clone());
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        failure.set(None);
        let navigate = navigate.clone();
        let request = start_application(item_.clone(), bundle_.clone());
        send(busy, failure, None, request, move |number| {
            navigate(&format!("/applications/{number}"), Default::default())
        });
    };
    view! {
        <div class="apply-box">
            <Transition fallback=|| ()>
                {move || {
                    let start = start.clone();
                    let here = here.clone();
                    let (item, bundle) = (item.clone(), bundle.clone());
                    Suspend::new(async move {
                        match auth.account.await {
                            Ok(Some(_)) => view! {
                                <form method="post" action="/apply" class="apply-form" on:submit=start>
                                    {item.clone().map(|c| view! { <input type="hidden" name="item" value=c/> })}
                                    {bundle.clone().map(|c| view! { <input type="hidden" name="bundle" value=c/> })}
                                    <button type="submit" class="button button-primary apply-start"
                                        disabled=move || busy.get()>
                                        {move || if busy.get() { "正在创建申请…" } else { "在线申办" }}
                                    </button>
                                </form>
                                <span class="note">"填写内容自动保存，可随时在“我的办件”中继续。"</span>
                            }.into_any(),
                            _ => view! {
                                <a class="button button-primary apply-start" href=format!("/login?next={here}")>"登录后在线申办"</a>
                                <span class="note">"还没有账号？" <a href="/register">"注册"</a></span>
                            }.into_any(),
                        }
                    })
                }}
            </Transition>
            <Alert message=failure/>
        </div>
    }
}
