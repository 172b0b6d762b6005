//! The window workbench: staff login (`/staff/login`), the pre-review queue (`/staff`), a
//! case with its actions (`/staff/cases/:number`), and in-hall intake (`/staff/intake`).
//! Every check an action makes on the server runs here first, from the same `domain`
//! functions, so a refusal reads the same before and after the round trip.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::api::catalog::{ItemFilter, list_items};
use crate::api::review::{
    AcceptRequest, CorrectionAction, DeficiencyAction, QueueFilter, RejectAction, ReviewCommand,
    StaffCase, current_staff, review_act, review_case, review_queue, staff_login, staff_logout,
    start_intake,
};
use crate::clock::china_time;
use crate::components::deadline::DeadlineFacts;
use crate::components::field::Field;
use crate::components::notice::{NoticeDocument, NoticeList};
use crate::components::receipt::human_size;
use crate::components::status::LoadFailed;
use crate::domain::account::FieldProblem;
use crate::domain::apply::{MaterialState, material_state};
use crate::domain::case::{CaseStatus, Channel};
use crate::domain::review::{
    CorrectionItem, DeficiencyRequest, RejectionRequest, check_accept, check_correction,
    check_deficiency, check_rejection,
};
use crate::error::ErrorCode;

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
        submitting.set(true);
        let navigate = navigate.clone();
        let (l, p) = (login.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match staff_login(l, p).await {
                Ok(_) => navigate("/staff", Default::default()),
                Err(e) => failure.set(Some(e.message)),
            }
            submitting.set(false);
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
                {move || failure.get().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
                <button type="submit" class="button button-primary button-block" disabled=move || submitting.get()>
                    {move || if submitting.get() { "正在登录…" } else { "登录" }}
                </button>
            </form>
        </section>
    }
}

/// The bar above every workbench page: who is signed in, and the way out.
#[component]
fn StaffBar() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_staff());
    let navigate = use_navigate();
    let logout = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let _ = staff_logout().await;
            navigate("/staff/login", Default::default());
        });
    };
    view! {
        <div class="staff-bar no-print">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(m)) => view! {
                            <span>{format!("{} · {} · {}", m.department_name, m.role_label, m.name)}</span>
                        }.into_any(),
                        _ => view! { <a href="/staff/login">"请先登录"</a> }.into_any(),
                    }
                })}
            </Suspense>
            <nav>
                <a href="/staff">"待办队列"</a>
                <a href="/staff/intake">"窗口收件"</a>
                <a href="/staff/supervision">"督办看板"</a>
                <a href="/staff/calendar">"节假日安排"</a>
                <button type="button" class="link-button" on:click=logout>"退出"</button>
            </nav>
        </div>
    }
}

/// `/staff`: the department's queue, oldest first.
#[component]
pub fn WorkbenchPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        QueueFilter {
            status: q.get("status").filter(|s| !s.is_empty()),
            channel: q.get("channel").filter(|s| !s.is_empty()),
            q: q.get("q").filter(|s| !s.is_empty()),
        }
    };
    let data = Resource::new(filter, |f: QueueFilter| {
        review_queue(f.status, f.channel, f.q)
    });
    view! {
        <Title text="预审工作台"/>
        <StaffBar/>
        <h1>"预审工作台"</h1>
        <form class="filters" method="get" action="/staff">
            <label>"状态 "
                <select name="status">
                    {[("", "待受理"), ("correction_requested", "待补正"), ("accepted", "已受理"), ("suspended", "特别程序中"), ("rejected", "不予受理"), ("all", "全部")]
                        .into_iter()
                        .map(|(v, l)| view! { <option value=v selected=move || query.read().get("status").unwrap_or_default() == v>{l}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>"渠道 "
                <select name="channel">
                    {[("", "全部"), ("online", "网上申报"), ("window", "窗口收件")]
                        .into_iter()
                        .map(|(v, l)| view! { <option value=v selected=move || query.read().get("channel").unwrap_or_default() == v>{l}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>"查找 " <input type="search" name="q" placeholder="办件编号、事项或申请人"
                prop:value=move || query.read().get("q").unwrap_or_default()/></label>
            <button type="submit" class="button">"筛选"</button>
        </form>
        <Suspense fallback=|| view! { <p class="loading">"正在载入…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(q) => {
                        let rows = q.entries.iter().map(|e| {
                            let href = format!("/staff/cases/{}", e.case_number);
                            let overdue = e.acceptance_due.is_some() && e.age_working_days.unwrap_or(0) >= 5;
                            view! {
                                <li class="queue-entry" class:overdue=overdue data-case=e.case_number.clone()>
                                    <a href=href>
                                        <strong>{e.title.clone()}</strong>
                                        <span>{e.applicant_name.clone()}</span>
                                        <span class="code">{e.case_number.clone()}</span>
                                        <span class="muted">{format!("{} · {} · 收件 {}",
                                            if e.channel == Channel::Window { "窗口收件" } else { "网上申报" },
                                            e.status_label, china_time(&e.received_at))}</span>
                                        <span class="age">{match e.age_working_days {
                                            Some(n) => format!("已 {n} 个工作日"),
                                            None => "工作日历缺年份".into(),
                                        }}
                                        {e.acceptance_due.map(|d| format!("，须于 {d} 前受理或告知"))}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view();
                        let empty = q.entries.is_empty();
                        view! {
                            <p class="queue-figures" data-waiting=q.waiting>
                                <strong>{format!("待预审 {} 件", q.waiting)}</strong>
                                {q.oldest_age_working_days.map(|n| format!("，最久已 {n} 个工作日"))}
                            </p>
                            {q.calendar_problem.map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
                            {empty.then(|| view! { <p class="empty">"没有符合条件的办件。"</p> })}
                            <ul class="queue">{rows}</ul>
                        }.into_any()
                    }
                    Err(e) if !e.is_failure() => view! {
                        <section class="empty" data-code=e.code.as_str()>
                            <p>{e.message}</p>
                            <p>"请以能办理办件的工作人员身份登录。"</p>
                            <p><a class="button" href="/staff/login">"工作人员登录"</a></p>
                        </section>
                    }.into_any(),
                    Err(e) => view! { <LoadFailed error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/staff/cases/:number`: the case beside the guide, and the actions.
#[component]
pub fn StaffCasePage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let data = Resource::new(number, review_case);
    let reload = Callback::new(move |()| data.refetch());
    view! {
        <StaffBar/>
        <Suspense fallback=|| view! { <p class="loading">"正在载入…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(c) => view! { <CaseView case=c reload/> }.into_any(),
                    Err(e) if !e.is_failure() => view! {
                        <Title text="没有这个办件"/>
                        <section class="empty" data-code=e.code.as_str()><h1>{e.message}</h1><p><a class="button" href="/staff">"返回待办队列"</a></p></section>
                    }.into_any(),
                    Err(e) => view! { <LoadFailed error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
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
            let label = case
                .form
                .fields
                .iter()
                .find(|f| &f.key == k)
                .map_or(k.clone(), |f| f.label.clone());
            let before = case.values_before_fix_up.get(k).cloned();
            view! {
                <dt>{label}</dt>
                <dd>{v.clone()}{before.map(|b| view! { <del class="before" title="补正前">{b}</del> })}</dd>
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
                    "pdf" => view! { <iframe class="preview" src=url.clone() title=u.file_name.clone()></iframe> }.into_any(),
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
        {(matches!(status, CaseStatus::Accepted | CaseStatus::Suspended) && case.may_act).then(|| view! { <ClockActions case=case.clone() reload/> })}
        <NoticeList case_number=case_number.clone() notices=app.notices.clone()/>
        <section>
            <h2>"办理记录"</h2>
            <ol class="history">{history}</ol>
        </section>
    }
    .into_any()
}

fn applicant_label(key: &str) -> String {
    match key {
        "kind" => "类型",
        "name" => "姓名",
        "id_number" => "居民身份证号码",
        "company_name" => "单位名称",
        "credit_code" => "统一社会信用代码",
        "legal_representative" => "法定代表人",
        "contact_mobile" => "联系电话",
        other => other,
    }
    .to_string()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pane {
    Accept,
    Deficiency,
    Reject,
    Correction,
}

/// The four actions. Each is checked here with the server's own rules before it is sent.
#[component]
fn Actions(case: StaffCase, reload: Callback<()>) -> AnyView {
    let number = StoredValue::new(case.application.case_number.clone().unwrap_or_default());
    let version = case.version;
    let case = StoredValue::new(case);
    let pane = RwSignal::new(None::<Pane>);
    let act = ActionState::new();
    let ActionState {
        problems,
        issued,
        busy,
        ..
    } = act;
    // Correction: ticked targets with their reasons.
    let ticked = RwSignal::new(BTreeMap::<String, String>::new());
    let reason = RwSignal::new(String::new());
    let legal_basis = RwSignal::new(String::new());
    let commitment = RwSignal::new(
        case.with_value(|c| c.promised_due_if_accepted_today)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let defective = RwSignal::new(BTreeSet::<String>::new());

    let today = case.with_value(|c| c.today);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = pane.get_untracked() else {
            return;
        };
        let checked = case.with_value(|c| {
            let uploaded: BTreeSet<String> = c
                .application
                .materials
                .iter()
                .map(|m| m.code.clone())
                .collect();
            let due = c.promised_due_if_accepted_today.unwrap_or(today);
            match p {
                Pane::Accept => check_accept(&c.form, &uploaded, &c.application.bring_original)
                    .map(|()| ReviewCommand::Accept(AcceptRequest { version })),
                Pane::Deficiency => {
                    let request = DeficiencyRequest {
                        defective: defective.get_untracked().into_iter().collect(),
                        commitment_date: commitment.get_untracked(),
                    };
                    check_deficiency(
                        &c.form,
                        &uploaded,
                        &c.application.bring_original,
                        &request,
                        c.blacklisted,
                        today,
                        due,
                    )
                    .map(|_| {
                        ReviewCommand::AcceptWithDeficiency(DeficiencyAction {
                            version,
                            defective: request.defective.clone(),
                            commitment_date: request.commitment_date.clone(),
                        })
                    })
                }
                Pane::Reject => {
                    let request = RejectionRequest {
                        reason: reason.get_untracked(),
                        legal_basis: legal_basis.get_untracked(),
                    };
                    check_rejection(&request).map(|_| {
                        ReviewCommand::Reject(RejectAction {
                            version,
                            reason: request.reason.clone(),
                            legal_basis: request.legal_basis.clone(),
                        })
                    })
                }
                Pane::Correction => {
                    let items: Vec<CorrectionItem> = ticked
                        .get_untracked()
                        .into_iter()
                        .map(|(target, reason)| CorrectionItem { target, reason })
                        .collect();
                    check_correction(&c.form, &items, c.changed_in_fix_up.as_ref()).map(|_| {
                        ReviewCommand::RequestCorrection(CorrectionAction { version, items })
                    })
                }
            }
        });
        act.send_checked(number.get_value(), checked);
    };
    let tab = move |p: Pane, label: &'static str| {
        view! {
            <button type="button" class="button" class:button-primary=move || pane.get() == Some(p)
                on:click=move |_| { pane.set(Some(p)); problems.set(vec![]); }>{label}</button>
        }
    };
    let targets = case.with_value(|c| {
        let changed = c.changed_in_fix_up.clone();
        c.form
            .materials
            .iter()
            .map(|m| {
                (
                    format!("materials.{}", m.material.code),
                    format!("材料：{}", m.material.name),
                )
            })
            .chain(
                c.form
                    .fields
                    .iter()
                    .map(|f| (format!("values.{}", f.key), format!("表单：{}", f.label))),
            )
            .filter(|(t, _)| changed.as_ref().is_none_or(|c| c.contains(t)))
            .collect::<Vec<_>>()
    });
    let correction_rows = targets
        .into_iter()
        .map(|(target, label)| {
            let t1 = target.clone();
            let t2 = target.clone();
            let t3 = target.clone();
            let id = format!("fix-{}", target.replace('.', "-"));
            view! {
                <li class="correction-row">
                    <label class="choice-option">
                        <input type="checkbox" name="target" value=target.clone() id=id.clone()
                            prop:checked=move || ticked.read().contains_key(&t1)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                ticked.update(|t| { if on { t.entry(t2.clone()).or_default(); } else { t.remove(&t2); } });
                            }/>
                        <span>{label}</span>
                    </label>
                    {move || ticked.read().contains_key(&t3).then(|| {
                        let t4 = t3.clone();
                        let t5 = t3.clone();
                        view! {
                            <input type="text" class="reason" placeholder="需要补正的原因（必填）" aria-label="原因"
                                prop:value=move || ticked.read().get(&t4).cloned().unwrap_or_default()
                                on:input=move |ev| { let v = event_target_value(&ev); ticked.update(|t| { t.insert(t5.clone(), v); }); }/>
                        }
                    })}
                </li>
            }
        })
        .collect_view();
    let deferrable = case.with_value(|c| {
        c.form
            .materials
            .iter()
            .filter(|m| {
                m.material.deferrable
                    && c.application
                        .materials
                        .iter()
                        .any(|u| u.code == m.material.code)
            })
            .map(|m| (m.material.code.clone(), m.material.name.clone()))
            .collect::<Vec<_>>()
    });
    let defective_rows = deferrable
        .into_iter()
        .map(|(code, name)| {
            let c1 = code.clone();
            view! {
                <label class="choice-option">
                    <input type="checkbox" name="defective" value=code.clone()
                        on:change=move |ev| { let on = event_target_checked(&ev); defective.update(|d| { if on { d.insert(c1.clone()); } else { d.remove(&c1); } }); }/>
                    <span>{format!("{name} 有欠缺，受理后补正")}</span>
                </label>
            }
        })
        .collect_view();
    let due = case.with_value(|c| c.promised_due_if_accepted_today);
    view! {
        <section class="actions-panel no-print">
            <h2>"预审处理"</h2>
            {move || issued.get().map(|n| view! {
                <div class="notice notice-success" role="status">"已出具通知书。" <button type="button" class="link-button" on:click=move |_| reload.run(())>"刷新办件"</button></div>
                <NoticeDocument view=n/>
            })}
            <div hidden=move || issued.read().is_some()>
                <div class="tabs" role="group" aria-label="处理方式">
                    {tab(Pane::Accept, "受理")}
                    {tab(Pane::Deficiency, "容缺受理")}
                    {tab(Pane::Correction, "一次性告知补正")}
                    {tab(Pane::Reject, "不予受理")}
                </div>
                <form on:submit=submit novalidate>
                    <div hidden=move || pane.get() != Some(Pane::Accept)>
                        <p>{format!("受理后出具受理通知书，承诺办结日期为 {}。", due.map(|d| d.to_string()).unwrap_or_else(|| "（工作日历缺年份）".into()))}</p>
                    </div>
                    <div hidden=move || pane.get() != Some(Pane::Deficiency)>
                        <p>"缺少的必需材料均须为办事指南中的可容缺材料。"</p>
                        {defective_rows}
                        <div class="field">
                            <label for="commitment_date">"申请人承诺补交日期（不晚于承诺办结日期）"</label>
                            <input id="commitment_date" name="commitment_date" type="date" prop:value=move || commitment.get()
                                on:input=move |ev| commitment.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    <div hidden=move || pane.get() != Some(Pane::Correction)>
                        <p>"勾选办事指南中需要补齐补正的材料或表单项，并逐项写明原因。告知书一次列明全部问题。"</p>
                        <ul class="correction-list">{correction_rows}</ul>
                    </div>
                    <div hidden=move || pane.get() != Some(Pane::Reject)>
                        <div class="field">
                            <label for="reason">"不予受理的理由"</label>
                            <textarea id="reason" name="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        </div>
                        <div class="field">
                            <label for="legal_basis">"法律依据"</label>
                            <input id="legal_basis" name="legal_basis" type="text" placeholder="例如：《中华人民共和国行政许可法》第三十二条第一款第（二）项"
                                prop:value=move || legal_basis.get() on:input=move |ev| legal_basis.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    <p class="muted" hidden=move || pane.get().is_some()>"请选择处理方式。"</p>
                    {act.feedback(reload)}
                    <Show when=move || pane.read().is_some()>
                        <button type="submit" class="button button-primary" disabled=move || busy.get()>
                            {move || if busy.get() { "正在提交…" } else { "确认并出具通知书" }}
                        </button>
                    </Show>
                </form>
            </div>
        </section>
    }
    .into_any()
}

/// What an action panel shows while and after it sends: the problems found (here or by the
/// server), a message (with a reload offer when the case changed), the notice issued.
#[derive(Clone, Copy)]
struct ActionState {
    problems: RwSignal<Vec<FieldProblem>>,
    message: RwSignal<Option<(String, bool)>>,
    issued: RwSignal<Option<crate::api::review::NoticeView>>,
    busy: RwSignal<bool>,
}

impl ActionState {
    fn new() -> Self {
        ActionState {
            problems: RwSignal::new(vec![]),
            message: RwSignal::new(None),
            issued: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// Shows what the browser's check found, or sends the action (the server checks again).
    fn send_checked(self, number: String, checked: Result<ReviewCommand, Vec<FieldProblem>>) {
        match checked {
            Ok(command) => {
                self.problems.set(vec![]);
                self.send(number, command);
            }
            Err(p) => self.problems.set(p),
        }
    }

    fn send(self, number: String, command: ReviewCommand) {
        self.busy.set(true);
        self.message.set(None);
        spawn_local(async move {
            match review_act(number, command).await {
                Ok(n) => {
                    self.problems.set(vec![]);
                    self.issued.set(Some(n));
                }
                Err(e) if !e.problems.is_empty() => self.problems.set(e.problems),
                Err(e) => {
                    let changed = e.code == ErrorCode::CaseChanged;
                    self.message.set(Some((e.message, changed)))
                }
            }
            self.busy.set(false);
        });
    }

    /// The problems and the message, under the form.
    fn feedback(self, reload: Callback<()>) -> impl IntoView {
        let (problems, message) = (self.problems, self.message);
        view! {
            {move || (!problems.read().is_empty()).then(|| view! {
                <ul class="notice notice-error problems" role="alert">
                    {problems.get().into_iter().map(|p| view! { <li data-code=p.code.clone()>{p.message}</li> }).collect_view()}
                </ul>
            })}
            {move || message.get().map(|(m, changed)| view! {
                <div class="notice notice-error" role="alert">{m}
                    {changed.then(|| view! { " " <button type="button" class="link-button" on:click=move |_| reload.run(())>"刷新"</button> })}
                </div>
            })}
        }
    }
}

/// Which clock action is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ClockPane {
    Suspend,
    Resume,
    Extend,
}

/// The clock of an accepted case: start or end a special procedure, record the one
/// extension. Checked here by the server's own rules before anything is sent.
#[component]
fn ClockActions(case: StaffCase, reload: Callback<()>) -> AnyView {
    use crate::api::review::{ExtendAction, ResumeAction, SuspendAction};
    use crate::domain::deadline::{
        ExtensionRequest, ResumeRequest, SpecialProcedure, SuspendRequest, check_extension,
        check_resume, check_suspend,
    };
    let number = StoredValue::new(case.application.case_number.clone().unwrap_or_default());
    let version = case.version;
    let today = case.today;
    let deadlines = StoredValue::new(case.deadlines.clone().unwrap_or_default());
    let paused = case.application.status == CaseStatus::Suspended;
    let extended = deadlines.with_value(|d| d.extension_days.is_some());
    let pane = RwSignal::new(None::<ClockPane>);
    let act = ActionState::new();
    let ActionState {
        problems,
        issued,
        busy,
        ..
    } = act;
    let procedure = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let day = RwSignal::new(today.to_string());
    let approver = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = pane.get_untracked() else {
            return;
        };
        let checked = deadlines.with_value(|d| match p {
            ClockPane::Suspend => {
                let r = SuspendRequest {
                    procedure: procedure.get_untracked(),
                    reason: reason.get_untracked(),
                    start: day.get_untracked(),
                };
                check_suspend(d, &r, today).map(|_| {
                    ReviewCommand::Suspend(SuspendAction {
                        version,
                        procedure: r.procedure.clone(),
                        reason: r.reason.clone(),
                        start: r.start.clone(),
                    })
                })
            }
            ClockPane::Resume => {
                let r = ResumeRequest {
                    end: day.get_untracked(),
                    note: reason.get_untracked(),
                };
                check_resume(d, &r, today).map(|_| {
                    ReviewCommand::Resume(ResumeAction {
                        version,
                        end: r.end.clone(),
                        note: r.note.clone(),
                    })
                })
            }
            ClockPane::Extend => {
                let r = ExtensionRequest {
                    approver: approver.get_untracked(),
                    reason: reason.get_untracked(),
                };
                check_extension(d, &r).map(|_| {
                    ReviewCommand::Extend(ExtendAction {
                        version,
                        approver: r.approver.clone(),
                        reason: r.reason.clone(),
                    })
                })
            }
        });
        act.send_checked(number.get_value(), checked);
    };
    let tab = move |p: ClockPane, label: &'static str| {
        view! {
            <button type="button" class="button" class:button-primary=move || pane.get() == Some(p)
                on:click=move |_| { pane.set(Some(p)); problems.set(vec![]); }>{label}</button>
        }
    };
    let extension_days = case.extension_days_allowed.unwrap_or_default();
    view! {
        <section class="actions-panel no-print">
            <h2>"办理期限"</h2>
            {move || issued.get().map(|n| view! {
                <div class="notice notice-success" role="status">"已出具告知书，申请人将收到通知。" <button type="button" class="link-button" on:click=move |_| reload.run(())>"刷新办件"</button></div>
                <NoticeDocument view=n/>
            })}
            <div hidden=move || issued.read().is_some()>
                <div class="tabs" role="group" aria-label="期限处理">
                    {(!paused).then(|| tab(ClockPane::Suspend, "启动特别程序"))}
                    {paused.then(|| tab(ClockPane::Resume, "特别程序结束"))}
                    {(!paused && !extended).then(|| tab(ClockPane::Extend, "延长办理期限"))}
                </div>
                <form on:submit=submit novalidate>
                    <div hidden=move || pane.get() != Some(ClockPane::Suspend)>
                        <div class="field">
                            <label for="procedure">"特别程序"</label>
                            <select id="procedure" name="procedure" on:change=move |ev| procedure.set(event_target_value(&ev))>
                                <option value="">"请选择"</option>
                                {SpecialProcedure::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{p.label()}</option> }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div hidden=move || pane.get().is_none() || pane.get() == Some(ClockPane::Extend)>
                        <div class="field">
                            <label for="clock_day">{move || if pane.get() == Some(ClockPane::Resume) { "结束日期" } else { "开始日期" }}</label>
                            <input id="clock_day" name="clock_day" type="date" prop:value=move || day.get()
                                on:input=move |ev| day.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    <div hidden=move || pane.get() != Some(ClockPane::Extend)>
                        <p>{format!("依《行政许可法》第四十二条，经本机关负责人批准，可延长一次，{extension_days} 个工作日。")}</p>
                        <div class="field">
                            <label for="approver">"批准人"</label>
                            <input id="approver" name="approver" type="text" prop:value=move || approver.get()
                                on:input=move |ev| approver.set(event_target_value(&ev))/>
                        </div>
                    </div>
                    <div hidden=move || pane.get().is_none()>
                        <div class="field">
                            <label for="clock_reason">{move || match pane.get() { Some(ClockPane::Resume) => "说明（可不填）", Some(ClockPane::Extend) => "延期理由", _ => "原因" }}</label>
                            <textarea id="clock_reason" name="clock_reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        </div>
                    </div>
                    {act.feedback(reload)}
                    <Show when=move || pane.read().is_some()>
                        <button type="submit" class="button button-primary" disabled=move || busy.get()>
                            {move || if busy.get() { "正在提交…" } else { "确认并书面告知申请人" }}
                        </button>
                    </Show>
                </form>
            </div>
        </section>
    }
    .into_any()
}

/// `/staff/intake`: choose an item of the department, then fill in the same form as online.
#[component]
pub fn IntakePage() -> impl IntoView {
    // The department's items, loaded on the server and handed to the browser with the page.
    let items = Resource::new(
        || (),
        |_| async {
            let Some(me) = current_staff().await? else {
                return Ok(None);
            };
            list_items(ItemFilter {
                department: Some(me.department),
                ..Default::default()
            })
            .await
            .map(Some)
        },
    );
    let navigate = use_navigate();
    let failure = RwSignal::new(None::<String>);
    view! {
        <Title text="窗口收件"/>
        <StaffBar/>
        <h1>"窗口收件"</h1>
        <p class="muted">"为到窗口办事的申请人填写同一张表单、上传扫描件；与网上申报同一标准校验。"</p>
        {move || failure.get().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
        <Suspense fallback=|| view! { <p class="loading">"正在载入…"</p> }>
            {move || {
                let navigate = navigate.clone();
                Suspend::new(async move {
                let Ok(Some(items)) = items.await else {
                    return view! { <p><a class="button" href="/staff/login">"工作人员登录"</a></p> }.into_any();
                };
                let rows = items.into_iter().map(|i| {
                    let code = i.code.clone();
                    let navigate = navigate.clone();
                    let start = move |_| {
                        let code = code.clone();
                        let navigate = navigate.clone();
                        spawn_local(async move {
                            match start_intake(Some(code), None).await {
                                Ok(n) => navigate(&format!("/applications/{n}"), Default::default()),
                                Err(e) => failure.set(Some(e.message)),
                            }
                        });
                    };
                    view! {
                        <li class="intake-item" data-item=i.code.clone()>
                            <span><strong>{i.name.clone()}</strong> " " <span class="muted code">{i.code.clone()}</span></span>
                            <button type="button" class="button" on:click=start>"开始收件"</button>
                        </li>
                    }
                }).collect_view();
                view! { <ul class="intake-items">{rows}</ul> }.into_any()
            })}}
        </Suspense>
    }
}
