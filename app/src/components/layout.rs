//! The header and footer of every page.

use leptos::prelude::*;

use crate::resource::resource;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api::accounts::logout;
use crate::api::forms::take_flash;
use crate::components::auth::Auth;

/// The site header with the main navigation.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="container header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"政"</span>
                    <span class="brand-text">
                        <strong>"一窗通办"</strong>
                        <small>"政务服务网上办事大厅"</small>
                    </span>
                </a>
                <nav aria-label="主导航" class="main-nav">
                    <A href="/items">"事项清单"</A>
                    <A href="/bundles">"一件事一次办"</A>
                    <AccountLinks my_cases=true/>
                </nav>
                <div class="account-nav">
                    <AccountLinks my_cases=false/>
                </div>
            </div>
        </header>
    }
}

/// The site footer.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container">
                <p>"线上线下无差别受理、同标准办理 · 一次告知 · 限时办结"</p>
                <p><a href="/track">"办件查询"</a> " · " <a href="/verify">"电子证照验真"</a> " · " <a href="/licences">"证照公示"</a></p>
                <p>"政务服务便民热线 12345" " · " <a href="/staff/login">"工作人员入口"</a></p>
            </div>
        </footer>
    }
}

/// The header's account part: with `my_cases`, the signed-in applicant's 我的办件 link (in
/// the navigation); without, 登录 / 注册, or the applicant's name and 退出 (at the side, so
/// that on a phone the navigation keeps a line of its own).
#[component]
fn AccountLinks(my_cases: bool) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    // Staff pages carry the staff header (name, department, role, their pages, 退出): an
    // applicant's 登录 / 注册 has no place there.
    let location = leptos_router::hooks::use_location();
    let staff_page = move || location.pathname.read().starts_with("/staff");
    // A form, so that 退出 works on the public pages, which do not load the application
    // (`POST /logout`); here, with the application loaded, it is done in place.
    let on_logout = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let navigate = navigate.clone();
        spawn_local(async move {
            // Whatever the answer, the cookie is cleared or already gone: show the public view.
            let _ = logout().await;
            auth.changed();
            navigate("/", Default::default());
        });
    };
    view! {
        <Transition fallback=|| ()>
            {move || {
                let on_logout = on_logout.clone();
                let staff_page = staff_page();
                Suspend::new(async move {
                    match auth.account.await {
                        _ if staff_page => ().into_any(),
                        Ok(Some(_)) if my_cases => view! { <A href="/my">"我的办件"</A> }.into_any(),
                        _ if my_cases => ().into_any(),
                        Ok(Some(account)) => view! {
                            <span class="account-name" aria-label="当前登录" title=account.name.clone()>{account.name.clone()}</span>
                            <form method="post" action="/logout" class="logout-form" on:submit=on_logout>
                                <button type="submit" class="link-button">"退出"</button>
                            </form>
                        }.into_any(),
                        _ => view! {
                            <A href="/login">"登录"</A>
                            <A href="/register">"注册"</A>
                        }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

/// The one-time message a plain form left for this page (a refusal it redirected with).
#[component]
pub fn FlashMessage() -> impl IntoView {
    let flash = resource(|| (), |_| take_flash());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                flash.await.err().map(|e| view! {
                    <div class="notice notice-error" role="alert" data-code=e.code.as_str()>{e.message.clone()}</div>
                })
            })}
        </Transition>
    }
}
