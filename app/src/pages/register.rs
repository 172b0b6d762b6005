//! `/register`: an applicant account. Each field is checked as the person leaves it, by the
//! same Rust code the server runs on submit (wasm here, native there).

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::accounts::register;
use crate::clock::today_in_china;
use crate::components::auth::Auth;
use crate::components::field::Field;
use crate::domain::account::{FieldProblem, MIN_PASSWORD_CHARS, RegistrationForm};

const FIELDS: [&str; 4] = ["mobile", "password", "name", "id_number"];

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    let query = use_query_map();
    let mobile = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let touched = RwSignal::new(BTreeSet::<&'static str>::new());
    let server_problems = RwSignal::new(Vec::<FieldProblem>::new());
    let failure = RwSignal::new(None::<String>);
    let submitting = RwSignal::new(false);

    let form = move || RegistrationForm {
        mobile: mobile.get(),
        password: password.get(),
        name: name.get(),
        id_number: id_number.get(),
    };
    // The browser's verdict: exactly the server's rules.
    let problems = Memo::new(move |_| form().parse(today_in_china()).err().unwrap_or_default());
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            if !touched.read().contains(field) {
                return None;
            }
            let from_server = server_problems
                .read()
                .iter()
                .find(|p| p.field == field)
                .map(|p| p.message.clone());
            from_server.or_else(|| {
                problems
                    .read()
                    .iter()
                    .find(|p| p.field == field)
                    .map(|p| p.message.clone())
            })
        })
    };
    let touch = move |field: &'static str| {
        Callback::new(move |()| {
            touched.update(|t| {
                t.insert(field);
            });
        })
    };
    // Once a field changes, the server's verdict on it (e.g. "already registered") is stale.
    for (field, value) in [
        ("mobile", mobile),
        ("password", password),
        ("name", name),
        ("id_number", id_number),
    ] {
        Effect::new(move |_| {
            value.track();
            server_problems.update(|problems| problems.retain(|p| p.field != field));
        });
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(FIELDS.into_iter().collect());
        server_problems.set(Vec::new());
        failure.set(None);
        if !problems.read_untracked().is_empty() || submitting.get_untracked() {
            return;
        }
        submitting.set(true);
        let navigate = navigate.clone();
        let next = crate::components::auth::safe_next(query.read_untracked().get("next"));
        let form = form();
        spawn_local(async move {
            match register(form).await {
                Ok(_) => {
                    auth.changed();
                    navigate(&next, Default::default());
                }
                Err(e) if !e.problems.is_empty() => server_problems.set(e.into_problems()),
                Err(e) => failure.set(Some(e.into_message())),
            }
            submitting.set(false);
        });
    };

    view! {
        <Title text="注册"/>
        <section class="auth-card">
            <h1>"注册申请人账号"</h1>
            <p class="lead">"用手机号码和本人居民身份证号码注册，登录后即可在网上办事。"</p>
            <form on:submit=on_submit novalidate>
                <Field label="手机号码" name="mobile" value=mobile error=error_for("mobile") on_blur=touch("mobile")
                    input_type="tel" inputmode="numeric" autocomplete="tel"/>
                <Field label="密码" name="password" value=password error=error_for("password") on_blur=touch("password")
                    input_type="password" autocomplete="new-password"
                    hint=format!("至少 {MIN_PASSWORD_CHARS} 位，同时包含字母和数字")/>
                <Field label="姓名" name="name" value=name error=error_for("name") on_blur=touch("name") autocomplete="name"/>
                <Field label="居民身份证号码" name="id_number" value=id_number error=error_for("id_number") on_blur=touch("id_number")/>
                {move || failure.get().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
                <button type="submit" class="button button-primary button-block" disabled=move || submitting.get()>
                    {move || if submitting.get() { "正在注册…" } else { "注册并登录" }}
                </button>
            </form>
            <p>"已有账号？" <a href="/login">"登录"</a></p>
        </section>
    }
}
