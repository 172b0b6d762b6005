//! 在线申办: starts a draft for an item or a bundle, or asks to log in first.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::applications::start_application;
use crate::components::auth::Auth;

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
    let start = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        failure.set(None);
        let (item, bundle, navigate) = (item.clone(), bundle.clone(), navigate.clone());
        spawn_local(async move {
            match start_application(item, bundle).await {
                Ok(number) => navigate(&format!("/applications/{number}"), Default::default()),
                Err(e) => failure.set(Some(e.into_message())),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="apply-box">
            <Transition fallback=|| ()>
                {move || {
                    let start = start.clone();
                    let here = here.clone();
                    Suspend::new(async move {
                        match auth.account.await {
                            Ok(Some(_)) => view! {
                                <button type="button" class="button button-primary apply-start" on:click=start
                                    disabled=move || busy.get()>
                                    {move || if busy.get() { "正在创建申请…" } else { "在线申办" }}
                                </button>
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
            {move || failure.get().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
        </div>
    }
}
