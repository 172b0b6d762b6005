//! `/login`: applicant login with mobile number and password.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::accounts::login;
use crate::components::auth::Auth;
use crate::components::field::Field;
use crate::components::status::{Alert, Submit, send};
use crate::domain::ids::MobileNumber;

/// The login page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    let query = use_query_map();
    let mobile = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let mobile_touched = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let submitting = RwSignal::new(false);

    let mobile_error = Signal::derive(move || {
        if !mobile_touched.get() {
            return None;
        }
        match mobile.read().trim() {
            "" => Some("请填写手机号码".to_string()),
            m => MobileNumber::parse(m)
                .err()
                .map(|e| e.message().to_string()),
        }
    });
    let password_error = Signal::derive(|| None::<String>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        mobile_touched.set(true);
        failure.set(None);
        if mobile_error.get_untracked().is_some() || submitting.get_untracked() {
            return;
        }
        if password.read_untracked().is_empty() {
            failure.set(Some("请填写密码".into()));
            return;
        }
        let navigate = navigate.clone();
        let next = crate::components::auth::safe_next(query.read_untracked().get("next"));
        let request = login(mobile.get_untracked(), password.get_untracked());
        send(submitting, failure, None, request, move |_| {
            auth.changed();
            navigate(&next, Default::default());
        });
    };

    view! {
        <Title text="登录"/>
        <section class="auth-card">
            <h1>"登录"</h1>
            <form on:submit=on_submit novalidate>
                <Field label="手机号码" name="mobile" value=mobile error=mobile_error
                    on_blur=Callback::new(move |()| mobile_touched.set(true))
                    input_type="tel" inputmode="numeric" autocomplete="username"/>
                <Field label="密码" name="password" value=password error=password_error
                    on_blur=Callback::new(|()| ()) input_type="password" autocomplete="current-password"/>
                <Alert message=failure/>
                <Submit busy=submitting label="登录" working="正在登录…" block=true/>
            </form>
            <p>"还没有账号？" <a href="/register">"注册"</a></p>
            <p><a href="/recover">"忘记密码，或手机号码被他人注册？找回账号"</a></p>
        </section>
    }
}
