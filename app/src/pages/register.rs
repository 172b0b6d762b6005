//! `/register`: an applicant account. Each field is checked as the person leaves it, by the
//! same Rust code the server runs on submit (wasm here, native there).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::accounts::register;
use crate::clock::today_in_china;
use crate::components::auth::Auth;
use crate::components::field::{Field, FieldErrors};
use crate::components::status::{Alert, Submit, send};
use crate::domain::account::{MIN_PASSWORD_CHARS, RegistrationForm};

const FIELDS: [&str; 4] = ["mobile", "password", "name", "id_number"];

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    let query = use_query_map();
    let values: [RwSignal<String>; 4] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [mobile, password, name, id_number] = values;
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
    let errors = FieldErrors::new(FIELDS.into_iter().zip(values), problems);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        if !errors.submit(&FIELDS) || submitting.get_untracked() {
            return;
        }
        let navigate = navigate.clone();
        let next = crate::components::auth::safe_next(query.read_untracked().get("next"));
        send(
            submitting,
            failure,
            Some(errors),
            register(form()),
            move |_| {
                auth.changed();
                navigate(&next, Default::default());
            },
        );
    };

    view! {
        <Title text="注册"/>
        <section class="auth-card">
            <h1>"注册申请人账号"</h1>
            <p class="lead">"用手机号码和本人居民身份证号码注册，登录后即可在网上办事。"</p>
            <form on:submit=on_submit novalidate>
                <Field label="手机号码" name="mobile" value=mobile error=errors.error_for("mobile") on_blur=errors.touch("mobile")
                    input_type="tel" inputmode="numeric" autocomplete="tel"/>
                <Field label="密码" name="password" value=password error=errors.error_for("password") on_blur=errors.touch("password")
                    input_type="password" autocomplete="new-password"
                    hint=format!("至少 {MIN_PASSWORD_CHARS} 位，同时包含字母和数字")/>
                <Field label="姓名" name="name" value=name error=errors.error_for("name") on_blur=errors.touch("name") autocomplete="name"/>
                <Field label="居民身份证号码" name="id_number" value=id_number error=errors.error_for("id_number") on_blur=errors.touch("id_number")/>
                <Alert message=failure/>
                <Submit busy=submitting label="注册并登录" working="正在注册…" block=true/>
            </form>
            <p>"已有账号？" <a href="/login">"登录"</a></p>
        </section>
    }
}
