//! `/recover`: take back a mobile number with a code sent to it by SMS: the password is reset
//! when the name and ID number are the account's; otherwise the number leaves the account
//! someone else registered with it and a new account is made. The fields are checked as the
//! person leaves them, by the same Rust code the server runs.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

use crate::api::accounts::{recover, send_recovery_code};
use crate::clock::today_in_china;
use crate::components::auth::Auth;
use crate::components::field::{Field, FieldErrors};
use crate::components::status::{Alert, Submit, send};
use crate::domain::account::{MIN_PASSWORD_CHARS, RECOVERY_CODE_DIGITS, RecoveryForm};

const FIELDS: [&str; 5] = ["mobile", "code", "name", "id_number", "password"];

/// The recovery page.
#[component]
pub fn RecoverPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let navigate = use_navigate();
    let values: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let [mobile, code, name, id_number, password] = values;
    let failure = RwSignal::new(None::<String>);
    let sent = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let form = move || RecoveryForm {
        mobile: mobile.get(),
        code: code.get(),
        password: password.get(),
        name: name.get(),
        id_number: id_number.get(),
    };
    let problems = Memo::new(move |_| form().parse(today_in_china()).err().unwrap_or_default());
    let errors = FieldErrors::new(FIELDS.into_iter().zip(values), problems);

    let send_code = move |_| {
        failure.set(None);
        if !errors.check("mobile") || busy.get_untracked() {
            return;
        }
        let number = mobile.get_untracked();
        let request = send_recovery_code(number.clone());
        send(busy, failure, Some(errors), request, move |()| {
            sent.set(Some(format!(
                "如 {number} 已注册，验证码已通过短信发送，10 分钟内有效。"
            )))
        });
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        if !errors.submit(&FIELDS) || busy.get_untracked() {
            return;
        }
        let navigate = navigate.clone();
        send(busy, failure, Some(errors), recover(form()), move |_| {
            auth.changed();
            navigate("/my", Default::default());
        });
    };

    view! {
        <Title text="找回账号"/>
        <section class="auth-card">
            <h1>"找回账号"</h1>
            <p class="lead">"忘记密码，或手机号码已被他人注册？用发到这个号码的短信验证码证明号码是您的。"
                "姓名和身份证号码与原账号一致时重设密码；不一致时，号码从原账号解除，为您建立新账号。"</p>
            <form on:submit=on_submit novalidate>
                <Field label="手机号码" name="mobile" value=mobile error=errors.error_for("mobile") on_blur=errors.touch("mobile")
                    input_type="tel" inputmode="numeric" autocomplete="tel"/>
                <button type="button" class="button" on:click=send_code disabled=move || busy.get()>"获取短信验证码"</button>
                {move || sent.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
                <Field label="短信验证码" name="code" value=code error=errors.error_for("code") on_blur=errors.touch("code")
                    inputmode="numeric" autocomplete="one-time-code" hint=format!("{RECOVERY_CODE_DIGITS} 位数字")/>
                <Field label="姓名" name="name" value=name error=errors.error_for("name") on_blur=errors.touch("name") autocomplete="name"/>
                <Field label="居民身份证号码" name="id_number" value=id_number error=errors.error_for("id_number") on_blur=errors.touch("id_number")/>
                <Field label="新密码" name="password" value=password error=errors.error_for("password") on_blur=errors.touch("password")
                    input_type="password" autocomplete="new-password"
                    hint=format!("至少 {MIN_PASSWORD_CHARS} 位，同时包含字母和数字")/>
                <Alert message=failure/>
                <Submit busy=busy label="找回并登录" working="正在提交…" block=true/>
            </form>
            <p><a href="/login">"返回登录"</a></p>
        </section>
    }
}
