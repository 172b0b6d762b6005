//! `/staff/cases/:number`: a case beside its guide, its history and notices, and the panels
//! of what may be done with it.

use super::actions::Actions;
use super::clocks::ClockActions;
use super::delivery::DeliveryPanel;
use super::licences::LicencePanel;
use super::tasks::{BackOfficePanel, OnTheSpotPanel};
use super::*;
use crate::domain::apply::{ApplicantKind, applicant_fields};
use crate::domain::form::shown;
use crate::error::AppError;

/// `/staff/cases/:number`: the case beside the guide, and the actions.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let data = crate::resource::of_param("number", review_case);
    let reload = Callback::new(move |()| data.refetch());
    view! {
        <StaffBar/>
        <Loaded data refused=no_such_case show=move |c| view! { <CaseView case=c reload/> }/>
    }
}

/// A case this staff member may not see reads as one that does not exist.
fn no_such_case(e: AppError) -> AnyView {
    view! {
        <Title text="没有这个办件"/>
        <section class="empty" data-code=e.code.as_str()><h1>{e.message.clone()}</h1><p><a class="button" href="/staff">"返回待办队列"</a></p></section>
    }
    .into_any()
}

#[component]
fn CaseView(case: StaffCase, reload: Callback<()>) -> AnyView {
    let app = case.application.clone();
    let case_number = app.case_number.clone().unwrap_or_default();
    let uploaded: BTreeSet<String> = app.materials.iter().map(|m| m.code.clone()).collect();
    let values = app
        .values
        .iter()
        .map(|(k, v)| {
            let field = case.form.fields.iter().find(|f| &f.key == k);
            let label = field.map_or(k.clone(), |f| f.label.clone());
            let show = |v: &str| field.map_or(v.to_owned(), |f| shown(f, v));
            let before = case.values_before_fix_up.get(k).map(|b| show(b));
            view! {
                <dt>{label}</dt>
                <dd>{show(v)}{before.map(|b| view! { <del class="before" title="补正前">{b}</del> })}</dd>
            }
        })
        .collect_view();
    let applicant = app
        .applicant
        .values
        .iter()
        .map(|(k, v)| view! { <dt>{applicant_label(k)}</dt><dd>{v.clone()}</dd> })
        .collect_view();
    let materials = case
        .form
        .materials
        .iter()
        .map(|m| {
            let code = m.material.code.clone();
            let state = material_state(m, &uploaded, &app.bring_original);
            let upload = app.materials.iter().find(|u| u.code == code).cloned();
            let url = format!("/api/v1/review/cases/{case_number}/materials/{code}");
            let preview = upload.as_ref().map(|u| {
                let url = url.clone();
                match u.file_type.as_str() {
                    "jpeg" | "png" => view! { <img class="preview" src=url.clone() alt=u.file_name.clone() loading="lazy"/> }.into_any(),
                    "pdf" => view! { <PdfPreview url title=u.file_name.clone()/> }.into_any(),
                    _ => ().into_any(),
                }
            });
            let replaced = case
                .replaced
                .iter()
                .filter(|r| r.code == code)
                .map(|r| {
                    let href = format!("{url}?replaced={}", r.id);
                    view! { <li><a href=href target="_blank" rel="noopener">{format!("补正前：{}（{}）", r.file_name, human_size(r.size))}</a></li> }
                })
                .collect_view();
            let how = match state {
                MaterialState::Uploaded => upload
                    .as_ref()
                    .map(|u| format!("已上传 {}（{}）", u.file_name, human_size(u.size)))
                    .unwrap_or_default(),
                MaterialState::BringOriginal => "原件带到窗口".into(),
                MaterialState::Deferred => "未提交（可容缺）".into(),
                MaterialState::NotNeeded => "未提交（非必需）".into(),
                MaterialState::Missing => "未提交".into(),
            };
            view! {
                <li class="review-material" data-material=code.clone()>
                    <div class="requirement">
                        <strong>{m.material.name.clone()}</strong>
                        <span>{format!("{} · {} 份 · {}", m.material.form.label(), m.material.quantity, m.material.specification)}</span>
                        <span class="muted">{match (m.material.required, m.material.deferrable) {
                            (true, false) => "必需",
                            (true, true) => "必需 · 可容缺",
                            (false, _) => "非必需",
                        }}</span>
                    </div>
                    <div class="submitted">
                        <span>{how}</span>
                        {upload.map(|_| view! { <a href=url.clone() target="_blank" rel="noopener">"在新窗口打开"</a> })}
                        {preview}
                        <ul class="replaced">{replaced}</ul>
                    </div>
                </li>
            }
        })
        .collect_view();
    let history = case
        .history
        .iter()
        .map(|e| {
            view! {
                <li>
                    <time>{china_time(&e.at)}</time>
                    " " <strong>{e.action_label.clone()}</strong>
                    " · " {e.actor_name.clone()}
                    " · " {match e.channel.as_str() { "window" => "窗口", "online" => "网上", _ => "系统" }}
                    {e.reason.clone().map(|r| view! { <p class="muted">{r}</p> })}
                </li>
            }
        })
        .collect_view();
    let status = app.status;
    view! {
        <Title text=format!("预审 {case_number}")/>
        <nav class="breadcrumb" aria-label="位置"><a href="/staff">"预审工作台"</a> " / " {case_number.clone()}</nav>
        <h1>{app.title.clone()}</h1>
        <p class="case-status" data-status=status.as_str()>
            <span class="badge">{app.status_label.clone()}</span>
            " " <span class="code">{case_number.clone()}</span>
            " · " {if app.channel == Some(Channel::Window) { "窗口收件" } else { "网上申报" }}
            {case.acceptance_due.filter(|_| status == CaseStatus::Submitted).map(|d| format!(" · 须于 {d} 前受理、不予受理或一次性告知"))}
        </p>
        {case.deadlines.clone().map(|d| view! { <DeadlineFacts deadlines=d/> })}
        {case.calendar_problem.clone().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
        {case.blacklisted.then(|| view! { <div class="notice notice-error">"申请人在信用黑名单中：不适用容缺受理。"</div> })}
        {case.changed_in_fix_up.clone().map(|c| view! {
            <div class="notice">{format!("申请人已按补正通知修改：{}。再次告知只能针对这些内容。", c.into_iter().collect::<Vec<_>>().join("、"))}</div>
        })}
        <div class="case-columns">
            <section>
                <h2>"申请人"</h2>
                <dl class="facts">{applicant}</dl>
                <h2>"表单"</h2>
                <dl class="facts">{values}</dl>
            </section>
            <section>
                <h2>"材料（左为办事指南要求，右为申请人提交）"</h2>
                <ul class="review-materials">{materials}</ul>
            </section>
        </div>
        {(status == CaseStatus::Submitted && case.may_act).then(|| view! { <Actions case=case.clone() reload/> })}
        {(status == CaseStatus::Submitted && case.may_act).then(|| view! { <OnTheSpotPanel case=case.clone() reload/> })}
        {(status.under_review() && case.may_pause).then(|| view! { <ClockActions case=case.clone() reload/> })}
        {(!matches!(status, CaseStatus::Draft | CaseStatus::Submitted | CaseStatus::CorrectionRequested | CaseStatus::Rejected)).then(|| view! { <BackOfficePanel case=case.clone() reload/> })}
        {(!case.licences.is_empty()).then(|| view! { <LicencePanel case=case.clone() reload/> })}
        {matches!(status, CaseStatus::Decided | CaseStatus::Completed).then(|| view! { <DeliveryPanel case=case.clone() reload/> })}
        <NoticeList case_number=case_number.clone() notices=app.notices.clone()/>
        <section>
            <h2>"办理记录"</h2>
            <ol class="history">{history}</ol>
        </section>
    }
    .into_any()
}

/// A PDF shown in the page only when asked for. Each embedded PDF starts a viewer of its own
/// that loads after the page and may take the focus and scroll the page under the pointer;
/// a case with five of them would load five viewers on every refresh of the case.
#[component]
fn PdfPreview(url: String, title: String) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <button type="button" class="link-button" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>
            {move || if open.get() { "收起预览" } else { "在此预览" }}
        </button>
        {move || open.get().then(|| view! { <iframe class="preview" src=url.clone() title=title.clone()></iframe> })}
    }
}

fn applicant_label(key: &str) -> String {
    // The labels the applicant filled the block in with, whatever its kind.
    ApplicantKind::ALL
        .into_iter()
        .flat_map(applicant_fields)
        .find(|f| f.key == key)
        .map_or_else(|| key.to_owned(), |f| f.label)
}
