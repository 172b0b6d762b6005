//! `/verify`: anyone checks an electronic licence (电子证照 验真), on a phone first. By the
//! number and the check code printed on it (or its QR code, which opens this page with both
//! filled in): a plain GET form, answered by the server, so it works without JavaScript. Or
//! from the licence file itself: the browser checks the SM2 signature with the wasm build of
//! the server's own code (`domain::licence::verify_text`), against the published keys and the
//! revocation list.

use leptos::prelude::*;

use crate::resource::resource;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::licence::{LicenceCheck, LicenceView, check_licence};
use crate::components::status::Loading;

/// The verify page.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let q = query.read();
        let number = q.get("number").unwrap_or_default().trim().to_string();
        let code = q.get("code").unwrap_or_default().trim().to_string();
        (!number.is_empty()).then_some((number, code))
    });
    let checked = resource(
        move || asked.get(),
        |asked| async move {
            match asked {
                Some((number, code)) => Some(check_licence(number, code).await),
                None => None,
            }
        },
    );
    view! {
        <Title text="电子证照验真"/>
        <h1>"电子证照验真"</h1>
        <p class="muted">"输入证照上的证照编号和校验码，或扫描证照上的二维码；也可以上传证照文件，在本机验证签名。"</p>
        <Form method="GET" action="/verify" attr:class="verify-form" attr:role="search">
            <div class="filter-row">
                <label for="number">"证照编号"</label>
                <input id="number" name="number" autocomplete="off" required
                    prop:value=move || query.read().get("number").unwrap_or_default()/>
            </div>
            <div class="filter-row">
                <label for="code">"校验码"</label>
                <input id="code" name="code" autocomplete="off" required maxlength="12"
                    prop:value=move || query.read().get("code").unwrap_or_default()/>
            </div>
            <button type="submit" class="button button-primary">"验证"</button>
        </Form>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match checked.await {
                    None => ().into_any(),
                    Some(Ok(c)) => view! { <Verdict check=c/> }.into_any(),
                    Some(Err(e)) => {
                        let code = e.code.as_str();
                        let message = e.message.clone();
                        view! {
                            <div class="notice notice-error verdict" role="alert" data-verdict=code>{message}</div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
        <FileCheck/>
    }
}

/// A verdict, and the licence when there is one.
#[component]
pub fn Verdict(check: LicenceCheck) -> impl IntoView {
    let ok = check.code == "valid";
    view! {
        <section class="verdict" data-verdict=check.code.clone()>
            <div class=if ok { "notice notice-success" } else { "notice notice-error" } role="status">
                <strong>{if ok { "✓ 验证通过" } else { "✗ 验证未通过" }}</strong> " " {check.message.clone()}
            </div>
            {check.licence.map(|l| view! { <LicenceCard licence=l/> })}
        </section>
    }
}

/// A licence as printed: its fields, and for its holder the check code and QR code.
#[component]
pub fn LicenceCard(licence: LicenceView) -> impl IntoView {
    let l = licence;
    view! {
        <article class="licence" data-licence=l.number.clone()>
            <header>
                <p class="muted">{l.department_name.clone()}</p>
                <h2>{l.name.clone()}</h2>
            </header>
            <dl class="facts">
                <dt>"证照编号"</dt><dd class="code">{l.number.clone()}</dd>
                {l.check_code.clone().map(|c| view! { <dt>"校验码"</dt><dd class="code" data-check-code="">{c}</dd> })}
                <dt>"持证者"</dt><dd>{l.holder_name.clone()}</dd>
                <dt>{match l.holder_kind { crate::domain::licence::HolderKind::Company => "统一社会信用代码", crate::domain::licence::HolderKind::Person => "身份证号码" }}</dt>
                <dd class="code">{l.holder_id_number.clone()}</dd>
                <dt>"事项"</dt><dd>{l.item_name.clone()}</dd>
                {l.content.iter().map(|line| view! { <dt>{line.label.clone()}</dt><dd>{line.value.clone()}</dd> }).collect_view()}
                {l.conditions.clone().map(|c| view! { <dt>"附条件"</dt><dd>{c}</dd> })}
                <dt>"发证日期"</dt><dd>{l.issued_on.to_string()}</dd>
                <dt>"有效期至"</dt><dd>{l.valid_until.map_or_else(|| "长期有效".to_string(), |d| d.to_string())}</dd>
                {l.revocation.clone().map(|r| view! {
                    <dt>"状态"</dt><dd class="revoked">{format!("已于 {} {}：{}", r.on, r.kind.label(), r.reason)}</dd>
                })}
            </dl>
            {l.qr_svg.clone().map(|svg| view! {
                <figure class="licence-qr">
                    <div inner_html=svg></div>
                    <figcaption>"扫码验真"</figcaption>
                </figure>
            })}
        </article>
    }
}

/// Verifying a licence file in this browser. The page is a public one, never hydrated: the
/// public pages' script shows the section and checks the file with the `lite` crate's
/// `verify` wasm (`verify_licence`: the same `domain::licence::verify_text`). Without
/// JavaScript there is nothing to check a file with, so the section stays hidden.
#[component]
fn FileCheck() -> impl IntoView {
    view! {
        <section class="file-check" data-file-check="" hidden>
            <FileCheckIntro/>
            <label class="button">"选择证照文件"
                <input type="file" accept=".json,application/json" class="visually-hidden" id="licence-file"/>
            </label>
            <p class="muted" data-busy="" hidden>"正在验证…"</p>
            <div role="status" data-file-result="" hidden></div>
        </section>
    }
}

/// What the file check is.
#[component]
fn FileCheckIntro() -> impl IntoView {
    view! {
        <h2>"用证照文件验证"</h2>
        <p class="muted">"选择下载的电子证照文件（.json）。签名在您的浏览器中用发证部门公布的公钥验证，文件不会上传。"</p>
    }
}
