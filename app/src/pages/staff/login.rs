//! `/staff/login`.

use super::*;
use crate::components::status::{Alert, Submit, send};

/// `/staff/login`.
#[component]
pub fn StaffLoginPage() -> impl IntoView {
    let navigate = use_navigate();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<String>);
    let submitting = RwSignal::new(false);
    let none = Signal::derive(|| None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        if login.read_untracked().trim().is_empty() || password.read_untracked().is_empty() {
            failure.set(Some("请填写工号和密码".into()));
            return;
        }
        let navigate = navigate.clone();
        let request = staff_login(login.get_untracked(), password.get_untracked());
        send(submitting, failure, None, request, move |_| {
            navigate("/staff", Default::default())
        });
    };
    view! {
        <Title text="工作人员登录"/>
        <section class="auth-card">
            <h1>"工作人员登录"</h1>
            <p class="muted">"窗口人员、审批人员、首席代表、督查和系统管理员在此登录。申请人请用" <a href="/login">"申请人登录"</a> "。"</p>
            <form on:submit=on_submit novalidate>
                <Field label="工号" name="login" value=login error=none on_blur=Callback::new(|()| ()) autocomplete="username"/>
                <Field label="密码" name="password" value=password error=none on_blur=Callback::new(|()| ()) input_type="password" autocomplete="current-password"/>
                <Alert message=failure/>
                <Submit busy=submitting label="登录" working="正在登录…" block=true/>
            </form>
        </section>
    }
}
