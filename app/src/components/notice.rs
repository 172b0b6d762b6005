//! Notices (受理通知书, 容缺受理通知书, 不予受理通知书, 一次性告知书) exactly as issued: the
//! same document for the applicant and for staff, on screen and on paper.

use std::borrow::Cow;

use leptos::prelude::*;

use crate::resource::resource;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::review::{NoticeView, load_notice};
use crate::components::status::Loaded;
use crate::domain::review::{Notice, NoticeKind};

/// The printable notice page, `/cases/:number/notices/:id`.
#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("number").unwrap_or_default(),
            p.get("id").and_then(|i| i.parse::<i32>().ok()).unwrap_or(0),
        )
    };
    let data = resource(key, |(number, id)| load_notice(number, id));
    view! {
        <Loaded data show=|found| match found {
            Some(n) => view! { <NoticeDocument view=n/> }.into_any(),
            None => view! {
                <Title text="没有这份通知书"/>
                <section class="empty">
                    <h1>"没有找到这份通知书"</h1>
                    <p>"通知书只对申请人本人和办理部门的工作人员可见，请先登录。"</p>
                    <p><a class="button" href="/login">"申请人登录"</a> " " <a class="button" href="/staff/login">"工作人员登录"</a></p>
                </section>
            }.into_any(),
        }/>
    }
}

/// One notice as a document.
#[component]
pub fn NoticeDocument(view: NoticeView) -> AnyView {
    let n = view.notice.clone();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        let _ = window().print();
    };
    let body = notice_body(&n);
    let lines = (!n.lines.is_empty()).then(|| {
        let heading = match n.kind {
            NoticeKind::Correction => "请补齐补正以下材料或内容",
            _ => "受理后须补交的材料",
        };
        let rows = n
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                view! {
                    <tr data-target=l.target.clone()>
                        <td>{i + 1}</td>
                        <td>{l.name.clone()}</td>
                        <td>{l.specification.clone()}</td>
                        <td>{l.quantity.map(|q| format!("{q} 份")).unwrap_or_default()}</td>
                        <td>{l.reason.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h2>{heading}</h2>
            <div class="table-scroll">
                <table class="notice-lines">
                    <thead><tr><th>"序号"</th><th>"名称"</th><th>"规格"</th><th>"份数"</th><th>"原因"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let title = n.kind.title();
    view! {
        <Title text=format!("{title} {}", n.number)/>
        <article class="notice-document" data-notice-kind=n.kind.as_str()>
            <header>
                <p class="receipt-issuer">{n.department_name.clone()}</p>
                <h1>{title}</h1>
                <p class="receipt-number" data-notice-number=n.number.clone()>{n.number.clone()}</p>
            </header>
            <p class="notice-to"><strong>{n.applicant_name.clone()}</strong> "："</p>
            <p class="notice-body">{body}</p>
            {lines}
            {decision_lines(&n)}
            <dl class="facts">
                <dt>"办件编号"</dt><dd class="code">{n.case_number.clone()}</dd>
                <dt>"办理事项"</dt><dd>{n.title.clone()}</dd>
                {n.received_on.map(|d| view! { <dt>"收件日期"</dt><dd>{d.to_string()}</dd> })}
                {n.accepted_on.map(|d| view! { <dt>"受理日期"</dt><dd data-accepted-on=d.to_string()>{d.to_string()}</dd> })}
                {n.promised_due.map(|d| view! { <dt>{if n.kind == NoticeKind::Acceptance || n.kind == NoticeKind::DeficiencyAcceptance { "承诺办结日期" } else { "办结期限" }}</dt><dd data-promised-due=d.to_string()>{d.to_string()}</dd> })}
                {n.commitment_date.map(|d| view! { <dt>"承诺补交日期"</dt><dd>{d.to_string()}</dd> })}
                {n.reason.clone().filter(|_| n.kind == NoticeKind::Rejection).map(|r| view! { <dt>"不予受理理由"</dt><dd>{r}</dd> })}
                {n.reason.clone().filter(|_| n.kind == NoticeKind::Refusal).map(|r| view! { <dt>"不予许可理由"</dt><dd data-refusal-reason="">{r}</dd> })}
                {n.outcomes.first().filter(|_| n.kind == NoticeKind::Grant && !n.outcomes[0].result_name.is_empty()).map(|l| view! { <dt>"许可结果"</dt><dd>{format!("核发{}", l.result_name)}</dd> })}
                {n.legal_basis.clone().map(|r| view! { <dt>"法律依据"</dt><dd>{r}</dd> })}
                {n.procedure.clone().map(|r| view! { <dt>"特别程序"</dt><dd>{r}</dd> })}
                {n.period_start.map(|d| view! { <dt>"开始日期"</dt><dd>{d.to_string()}</dd> })}
                {n.period_end.map(|d| view! { <dt>"结束日期"</dt><dd>{d.to_string()}</dd> })}
                {n.extension_days.map(|d| view! { <dt>"延长期限"</dt><dd>{format!("{d} 个工作日")}</dd> })}
                {n.approver.clone().map(|r| view! { <dt>"批准人"</dt><dd>{r}</dd> })}
            </dl>
            {(!view.qr_svg.is_empty()).then(|| view! {
                <figure class="notice-qr">
                    <div class="qr" inner_html=view.qr_svg.clone()></div>
                    <figcaption>"扫码查询办理进度（需输入申请时的手机号码）"</figcaption>
                </figure>
            })}
            <footer class="notice-footer">
                <p>{format!("{}（经办：{}）", n.department_name, n.issued_by)}</p>
                <p>{n.issued_on.to_string()}</p>
            </footer>
        </article>
        <p class="no-print actions"><button type="button" class="button" on:click=print>"打印通知书"</button></p>
    }
    .into_any()
}

/// What the notice says, in the words of the trade: every notice opens by naming the
/// application it answers.
fn notice_body(n: &Notice) -> String {
    let rest: Cow<'static, str> = match n.kind {
        NoticeKind::Acceptance if n.deemed => "本机关自收到申请之日起五个工作日内未作出受理、不予受理或补正告知。依据《中华人民共和国行政许可法》第三十二条，自收到申请之日起即为受理。".into(),
        NoticeKind::Acceptance => "申请材料齐全、符合法定形式，本机关决定予以受理。".into(),
        NoticeKind::DeficiencyAcceptance => "主要申请材料齐全、符合法定形式，次要材料有欠缺。经你（单位）书面承诺，本机关决定予以容缺受理。请在承诺日期前补交下列材料；材料补齐前不作出审批决定。".into(),
        NoticeKind::Rejection => "经审查，本机关决定不予受理。理由和依据如下。如不服本决定，可依法申请行政复议或者提起行政诉讼。".into(),
        NoticeKind::Correction => "申请材料不齐全或者不符合法定形式。现一次性告知需要补齐补正的全部内容如下，请补正后重新提交。补正的材料和内容以本告知书所列为限。".into(),
        NoticeKind::Suspension => format!(
            "依法需要{}，自 {} 起暂停计算办理期限。依据《中华人民共和国行政许可法》第四十五条，所需时间不计算在办理期限内。理由：{}",
            n.procedure.clone().unwrap_or_default(),
            n.period_start.map(|d| d.to_string()).unwrap_or_default(),
            n.reason.clone().unwrap_or_default(),
        )
        .into(),
        NoticeKind::Resumption => format!(
            "{}已于 {} 结束，自次日起恢复计算办理期限。",
            n.procedure.clone().unwrap_or_default(),
            n.period_end.map(|d| d.to_string()).unwrap_or_default(),
        )
        .into(),
        NoticeKind::Grant => format!(
            "经审查，符合法定条件、标准。依据《中华人民共和国行政许可法》第三十八条第一款，本机关决定准予行政许可。{}",
            conditions_sentence(n),
        )
        .into(),
        NoticeKind::Refusal => "经审查，不符合法定条件、标准。依据《中华人民共和国行政许可法》第三十八条第二款，本机关决定不予行政许可。理由和依据如下。".into(),
        NoticeKind::BundleDecision => "经各相关部门并联审查，现将各事项的审查决定一并告知如下（统一出件）。".into(),
        NoticeKind::Withdrawal => format!(
            "已于 {} 撤回，本机关终止办理。撤回理由：{}。如需办理，可重新提出申请。",
            n.issued_on,
            n.reason.clone().unwrap_or_default(),
        )
        .into(),
        NoticeKind::Extension => format!(
            "因{}，不能在规定期限内作出决定。经本机关负责人批准，依据《中华人民共和国行政许可法》第四十二条，办理期限延长 {} 个工作日。",
            n.reason.clone().unwrap_or_default(),
            n.extension_days.unwrap_or_default(),
        )
        .into(),
    };
    format!("你（单位）提出的“{}”申请，{rest}", n.title)
}

/// A grant's conditions (附条件), as one sentence.
fn conditions_sentence(n: &Notice) -> String {
    n.outcomes
        .iter()
        .filter_map(|l| l.conditions.as_deref())
        .map(|c| format!("本许可附下列条件：{c}。"))
        .collect()
}

/// Each item's result on a decision notice, and a refusal's remedies.
fn decision_lines(n: &Notice) -> impl IntoView + use<> {
    let bundle = n.kind == NoticeKind::BundleDecision;
    let rows = (bundle && !n.outcomes.is_empty()).then(|| {
        let rows = n
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let detail = match l.outcome {
                    crate::domain::decision::Outcome::Grant => [
                        (!l.result_name.is_empty()).then(|| format!("核发{}", l.result_name)),
                        l.conditions.clone().map(|c| format!("附条件：{c}")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("；"),
                    crate::domain::decision::Outcome::Refuse => format!(
                        "理由：{}；依据：{}",
                        l.reason.clone().unwrap_or_default(),
                        l.legal_basis.clone().unwrap_or_default()
                    ),
                };
                view! {
                    <tr data-item=l.item_code.clone() data-outcome=l.outcome.as_str()>
                        <td>{i + 1}</td>
                        <td>{l.item_name.clone()}</td>
                        <td>{l.department_name.clone()}</td>
                        <td>{l.outcome.label()}</td>
                        <td>{detail}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-scroll">
                <table class="notice-lines">
                    <thead><tr><th>"序号"</th><th>"事项"</th><th>"审批部门"</th><th>"决定"</th><th>"说明"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let remedies = n.remedies.clone().map(|r| {
        view! {
            <section class="remedies" data-reconsideration-by=r.reconsideration_by.to_string() data-lawsuit-by=r.lawsuit_by.to_string()>
                <h2>"救济途径"</h2>
                <p>{r.sentence()}</p>
            </section>
        }
    });
    (rows, remedies)
}

/// The notices of a case, newest first, as links to their printable pages.
#[component]
pub fn NoticeList(case_number: String, notices: Vec<NoticeView>) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        let items = notices
            .into_iter()
            .rev()
            .map(|n| {
                let href = format!("/cases/{case_number}/notices/{}", n.id);
                view! {
                    <li>
                        <a href=href>{n.notice.kind.title()}</a>
                        " " <span class="muted">{n.notice.number.clone()} " · " {n.notice.issued_on.to_string()}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="notice-list no-print">
                <h2>"通知书"</h2>
                <ul>{items}</ul>
            </section>
        }
    })
}
