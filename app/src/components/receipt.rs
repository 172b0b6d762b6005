//! 收件凭证: what the applicant gets on submission: the case number, when and how it was
//! received, under which guide versions, and every material with how it was handed in.
//! Printable (the site's header and footer are left off on paper).

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::resource::resource;
use leptos_meta::Title;

use crate::api::applications::ApplicationView;
use crate::clock::china_time;
use crate::components::notice::NoticeList;
use crate::domain::apply::{ApplicantKind, ApplicationForm, MaterialState, material_state};
use crate::domain::case::Channel;

/// The receipt of a submitted application.
#[component]
pub fn Receipt(app: ApplicationView, form: ApplicationForm) -> impl IntoView {
    let case_number = app.case_number.clone().unwrap_or_default();
    let received = app
        .submitted_at
        .as_deref()
        .map(china_time)
        .unwrap_or_default();
    let at_window = app.channel == Some(Channel::Window);
    let channel = if at_window {
        "窗口收件"
    } else {
        "网上申报"
    };
    let v = |k: &str| app.applicant.values.get(k).cloned().unwrap_or_default();
    let applicant = match app.applicant.kind {
        Some(ApplicantKind::Company) => format!(
            "{}（统一社会信用代码 {}，法定代表人 {}）",
            v("company_name"),
            v("credit_code"),
            v("legal_representative")
        ),
        Some(_) => format!("{}（居民身份证 {}）", v("name"), mask(&v("id_number"))),
        None => String::new(),
    };
    let contact = v("contact_mobile");
    let guides = if app.guides.is_empty() {
        form.guides.clone()
    } else {
        app.guides.clone()
    };
    let uploaded: BTreeSet<String> = app.materials.iter().map(|m| m.code.clone()).collect();
    let rows = form
        .materials
        .iter()
        .map(|m| {
            let state = material_state(m, &uploaded, &app.bring_original);
            let how = match state {
                MaterialState::Uploaded => app
                    .materials
                    .iter()
                    .find(|u| u.code == m.material.code)
                    .map(|u| format!("电子件 {}（{}）", u.file_name, human_size(u.size)))
                    .unwrap_or_default(),
                MaterialState::BringOriginal => "原件待交窗口核验".to_string(),
                MaterialState::Deferred => "容缺，受理后补交".to_string(),
                MaterialState::NotNeeded | MaterialState::Missing => "未提交".to_string(),
            };
            (m.material.name.clone(), m.material.quantity, how)
        })
        .collect::<Vec<_>>();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        let _ = window().print();
    };
    view! {
        <Title text=format!("收件凭证 {case_number}")/>
        <nav class="breadcrumb no-print" aria-label="位置"><a href="/my">"我的办件"</a> " / 收件凭证"</nav>
        <article class="receipt">
            <header>
                <p class="receipt-issuer">"一窗通办 · 政务服务网上办事大厅"</p>
                <h1>"收件凭证"</h1>
                <p class="receipt-number">"办件编号 " <strong class="code" data-case-number=case_number.clone()>{case_number.clone()}</strong></p>
            </header>
            <dl class="facts">
                <dt>"办理事项"</dt>
                <dd>
                    <ul class="plain-list">
                        {guides.into_iter().map(|g| view! {
                            <li>{format!("{}（{}，办事指南第 {} 版）", g.name, g.department_name, g.version)}</li>
                        }).collect_view()}
                    </ul>
                </dd>
                <dt>"申请人"</dt><dd>{applicant}</dd>
                <dt>"联系电话"</dt><dd>{contact}</dd>
                <dt>"收件时间"</dt><dd>{received}</dd>
                <dt>"收件渠道"</dt><dd>{channel}</dd>
                <dt>"当前状态"</dt><dd data-status=app.status.as_str()>{app.status.label()}</dd>
                <dt>"承诺时限"</dt><dd>{format!("{} 个工作日（自受理之日起计算）", form.promised_limit_days)}</dd>
                {crate::domain::delivery::DeliveryChoice::stored(&app.delivery).map(|c| view! {
                    <dt>"送达方式"</dt>
                    <dd data-delivery=c.method.as_str()>{match &c.address {
                        Some(a) => format!("{}：{}（{}）", c.method.label(), a.line(), a.recipient),
                        None => c.method.label().to_string(),
                    }}</dd>
                })}
                {app.tracking_code.clone().map(|code| view! {
                    <dt>"查询码"</dt>
                    <dd><strong class="code" data-tracking-code=code.clone()>{code.clone()}</strong>
                        <span class="muted">" （凭办件编号和查询码或手机号码，可在 /track 查询办理进度）"</span></dd>
                })}
            </dl>
            <h2>"收到的材料"</h2>
            <table class="materials receipt-materials">
                <thead><tr><th scope="col">"材料名称"</th><th scope="col">"份数"</th><th scope="col">"提交方式"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|(name, quantity, how)| view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td data-label="份数">{quantity}</td>
                            <td data-label="提交方式">{how}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="note">
                "本凭证证明已收到上述申请材料，不代表已受理。窗口将在 5 个工作日内完成预审：材料齐全、符合法定形式的予以受理；需要补正的，一次性告知全部内容；逾期不告知的，自收到材料之日起即为受理。"
            </p>
        </article>
        <p class="no-print receipt-actions">
            <button type="button" class="button button-primary" on:click=print>"打印凭证"</button>
            " " <a class="button" href=format!("/track?case={case_number}")>"查看办理进度"</a>
            " " <a class="button" href="/my">"返回我的办件"</a>
            {at_window.then(|| {
                // Only for the staff member at the window, not the applicant reading it later.
                let staff = resource(|| (), |_| crate::api::review::current_staff());
                let href = format!("/staff/cases/{case_number}");
                view! {
                    <Transition fallback=|| ()>
                        {move || {
                            let href = href.clone();
                            Suspend::new(async move {
                                staff.await.ok().flatten().map(|_| view! {
                                    " " <a class="button" href=href>"到预审工作台受理"</a>
                                })
                            })
                        }}
                    </Transition>
                }
            })}
        </p>
        <NoticeList case_number=case_number.clone() notices=app.notices.clone()/>
    }
}

/// An identity number with all but the first and last four characters hidden.
fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        return id.to_string();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// A size as people read it: `512 KB`, `3.4 MB` (rounded to the nearest tenth). In whole
/// numbers: formatting a float would bring the float printer into the wasm.
pub fn human_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes < MB {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes.saturating_mul(10) + MB / 2) / MB;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_read_as_people_round_them() {
        const MB: u64 = 1024 * 1024;
        assert_eq!(human_size(1), "1 KB");
        assert_eq!(human_size(512 * 1024), "512 KB");
        assert_eq!(human_size(MB - 1), "1024 KB");
        assert_eq!(human_size(MB), "1.0 MB");
        assert_eq!(human_size(3 * MB + 400 * 1024), "3.4 MB");
        // An exact half rounds up, as people round (the float printer rounds it to even).
        assert_eq!(human_size(MB + MB / 4), "1.3 MB");
        assert_eq!(human_size(20 * MB - 1), "20.0 MB");
        // Elsewhere it agrees with the float printer it replaced.
        for bytes in (MB..50 * MB).step_by(7_919) {
            if (bytes * 10) % MB != MB / 2 {
                assert_eq!(
                    human_size(bytes),
                    format!("{:.1} MB", bytes as f64 / MB as f64),
                    "{bytes}"
                );
            }
        }
    }
}
