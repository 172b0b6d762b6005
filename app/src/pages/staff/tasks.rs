//! The back office in the workbench: `/staff/tasks` (the department's 待办 review tasks, a
//! dense table on a desktop) and the back-office panel of a case (tasks, opinions, each item's
//! decision, 容缺 confirmation, withdrawal recorded at the window). The decision form runs
//! `domain::decision::check_decision` before sending, so a refusal reads as the server's.

use super::*;
use crate::api::backoffice::{
    BackOffice, ConfirmDeferredAction, DecisionAction, OnTheSpotAction, QueueClock, TaskFilter,
    TaskQueue, TaskView, claim_task, complete_task, confirm_deferred_material, decide,
    decide_on_the_spot, load_task_queue, withdraw,
};
use crate::components::status::Alert;
use crate::domain::decision::{
    DecisionRequest, Opinion, OpinionRequest, Outcome, TaskStatus, WithdrawalRequest,
    check_decision, check_deferred_action, check_on_the_spot, withdrawable,
};
use crate::error::AppError;

/// `/staff/tasks`: the department's review tasks, due soonest first.
#[component]
pub fn TasksPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        TaskFilter {
            status: q.get("status").filter(|s| !s.is_empty()),
            sort: q.get("sort").filter(|s| !s.is_empty()),
            page: q.get("page").and_then(|p| p.parse().ok()),
            decisions_page: q.get("decisions_page").and_then(|p| p.parse().ok()),
        }
    };
    let data = resource(filter, load_task_queue);
    let with = move |key: &'static str, value: String| {
        changed_query(
            "/staff/tasks",
            &query.read(),
            &["status", "sort", "page"],
            key,
            &value,
        )
    };
    let sort_link = move |key: &'static str, label: &'static str| {
        view! { <a href=move || with("sort", key.to_string())>{label}</a> }
    };
    // Both lists: the same columns and orders, and a last column of their own.
    let table = move |last: &'static str, rows: AnyView| {
        view! {
            <div class="table-scroll"><table class="dense tasks"><thead><tr>
                <th>"办件编号"</th>
                <th>{sort_link("title", "事项")}</th>
                <th>{sort_link("applicant", "申请人")}</th>
                <th>"渠道"</th>
                <th>{sort_link("accepted", "受理日期↑")} " " {sort_link("-accepted", "↓")}</th>
                <th>"已用时间"</th>
                <th>{sort_link("due", "办结期限↑")} " " {sort_link("-due", "↓")}</th>
                <th>"剩余时间"</th>
                <th>{last}</th>
            </tr></thead><tbody>{rows}</tbody></table></div>
        }
    };
    view! {
        <Title text="审查任务"/>
        <StaffBar/>
        <h1>"审查任务（待办）"</h1>
        <form class="filters" method="get" action="/staff/tasks">
            <label>"状态 "
                {query_select("status", &[("", "待办（待签收、办理中）"), ("open", "待签收"), ("claimed", "办理中"), ("done", "已办"), ("closed", "已终止"), ("all", "全部")])}
            </label>
            <button type="submit" class="button">"筛选"</button>
        </form>
        <Loaded data show=move |q: TaskQueue| {
            let counts = q.counts.iter().map(|c| view! {
                <span class="count" data-status=c.status.as_str()>{c.text()}</span>
            }).collect_view();
            let rows = q.entries.iter().map(|e| {
                let href = format!("/staff/cases/{}", e.task.case_number);
                view! {
                    <tr data-task=e.task.id class:overdue=e.clock.overdue()>
                        <td data-label="办件编号"><a class="code" href=href>{e.task.case_number.clone()}</a></td>
                        <td data-label="事项">{e.task.item_name.clone()}{(!e.task.lead).then(|| view! { <span class="muted">"（共同审查）"</span> })}</td>
                        <td data-label="申请人">{e.applicant_name.clone()}</td>
                        <td data-label="渠道">{e.channel.label()}</td>
                        <ClockCells clock=e.clock.clone()/>
                        <td data-label="状态">{e.task.status.label()}{e.task.claimed_by_name.clone().map(|n| format!("（{n}）"))}</td>
                    </tr>
                }
            }).collect_view();
            let empty = q.entries.is_empty();
            let paging = q.decisions_paging;
            let due = (!q.decisions_due.is_empty()).then(|| {
                let rows = q.decisions_due.iter().map(|d| {
                    let href = format!("/staff/cases/{}", d.case_number);
                    view! {
                        <tr data-decision-due=d.item_code.clone() class:overdue=d.clock.overdue()>
                            <td data-label="办件编号"><a class="code" href=href>{d.case_number.clone()}</a></td>
                            <td data-label="事项">{d.item_name.clone()}</td>
                            <td data-label="申请人">{d.applicant_name.clone()}</td>
                            <td data-label="渠道">{d.channel.label()}</td>
                            <ClockCells clock=d.clock.clone()/>
                            <td data-label="审查意见">{if d.all_agree { "均同意" } else { "有不同意见" }}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <section data-decisions-due="">
                        <h2>"待决定"</h2>
                        <p class="muted">"本部门事项的审查任务均已办结，等待首席代表作出审查决定。"</p>
                        {table("审查意见", rows.into_any())}
                        {pager("decisions_page", paging.page, paging.pages, paging.matching, with)}
                    </section>
                }
            });
            let pager = pager("page", q.page, q.pages, q.matching, with);
            view! {
                {due}
                <p class="queue-figures">{counts}</p>
                {q.calendar_problem.map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
                {empty.then(|| view! { <p class="empty">"没有审查任务。"</p> })}
                {table("状态", rows.into_any())}
                {pager}
            }
        }/>
    }
}

/// A queue line's clock: accepted on, working days used of the limit, due day, time left.
#[component]
fn ClockCells(clock: QueueClock) -> impl IntoView {
    let used = match (clock.used_days, clock.limit_days) {
        (Some(u), Some(l)) => format!("{u} / {l} 个工作日"),
        _ => "—".into(),
    };
    let left = match (clock.paused, clock.days_left) {
        (true, _) => "计时暂停".to_string(),
        (false, Some(d)) if d < 0 => format!("超期 {} 个工作日", -d),
        (false, Some(d)) => format!("剩余 {d} 个工作日"),
        (false, None) => "—".into(),
    };
    let day =
        |d: Option<crate::domain::date::Date>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
    view! {
        <td data-label="受理日期">{day(clock.accepted_on)}</td>
        <td data-label="已用时间" class="age">{used}</td>
        <td data-label="办结期限">{day(clock.due)}</td>
        <td data-label="剩余时间">{left}</td>
    }
}

/// What an action panel shows after sending: a refusal, or nothing.
pub(super) fn refusal(e: &AppError) -> String {
    if e.problems.is_empty() {
        e.message.clone()
    } else {
        FieldProblem::sentence(&e.problems)
    }
}

/// The back office of a case on its workbench page.
#[component]
pub(super) fn BackOfficePanel(case: StaffCase, reload: Callback<()>) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let number = case.application.case_number.clone().unwrap_or_default();
    view! {
        <section class="back-office" data-back-office="">
            <h2>"并联审查"</h2>
            <Alert message=message/>
            <OfficeView office=case.back_office me=case.viewer status=case.application.status version=case.version number message reload/>
        </section>
    }
}

#[component]
fn OfficeView(
    office: BackOffice,
    me: crate::api::review::StaffInfo,
    status: CaseStatus,
    version: i32,
    number: String,
    message: RwSignal<Option<String>>,
    reload: Callback<()>,
) -> impl IntoView {
    let number = StoredValue::new(number);
    let facts = StoredValue::new(office.facts(status));
    let run =
        move |f: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), AppError>>>>| {
            spawn_local(async move {
                match f.await {
                    Ok(()) => {
                        message.set(None);
                        reload.run(());
                    }
                    Err(e) => message.set(Some(refusal(&e))),
                }
            });
        };
    let tasks = office
        .tasks
        .iter()
        .map(|t| task_row(t, &me, run))
        .collect_view();
    let decided = office
        .decisions
        .iter()
        .map(|d| view! {
            <li data-decided=d.item_code.clone()>{format!("{}：{}（{}）", d.item_name, d.outcome.label(), d.department_name)}
                {d.reason.clone().map(|r| format!("；理由：{r}"))}{d.conditions.clone().map(|c| format!("；附条件：{c}"))}</li>
        })
        .collect_view();
    let deferred = office
        .deferred
        .iter()
        .map(|d| {
            let code = StoredValue::new(d.code.clone());
            let may = me.role.acts() && !d.confirmed;
            let state = match (d.confirmed, d.supplied, &d.returned) {
                (true, _, _) => "已核验".to_string(),
                (false, true, _) => "申请人已网上补交，待核验".to_string(),
                (false, false, Some(r)) => format!("已退回（{r}），待重新补交"),
                (false, false, None) => "未补交".to_string(),
            };
            let reason = RwSignal::new(String::new());
            let send = move |return_reason: Option<String>| {
                let action = ConfirmDeferredAction { version, material: code.get_value(), return_reason };
                if let Err(p) = check_deferred_action(Some(("", false)), action.return_reason.as_deref()) {
                    message.set(Some(FieldProblem::sentence(&p)));
                    return;
                }
                run(Box::pin(async move { confirm_deferred_material(number.get_value(), action).await.map(|_| ()) }));
            };
            view! {
                <li data-deferred=d.code.clone()>{format!("{}（承诺 {} 前补交）：{state}", d.name, d.commitment_date)}
                    {d.supplied.then(|| view! {
                        <a href=format!("/api/v1/review/cases/{}/materials/{}", number.get_value(), d.code) target="_blank">"查看补交的材料"</a>
                    })}
                    {may.then(|| view! {
                        <button type="button" class="button" on:click=move |_| send(None)>"核验通过"</button>
                        <Input name="return_reason" value=reason placeholder="退回原因"/>
                        <button type="button" class="button" on:click=move |_| send(Some(reason.get_untracked()))>"退回重新补交"</button>
                    })}
                </li>
            }
        })
        .collect_view();
    // Items this chief representative decides, not yet decided.
    let decidable: Vec<_> = office
        .items
        .iter()
        .filter(|i| me.role.decides() && i.department == me.department)
        .filter(|i| !office.decisions.iter().any(|d| d.item_code == i.item_code))
        .cloned()
        .collect();
    let forms = decidable
        .into_iter()
        .map(|item| {
            let inputs = DecisionInputs::new();
            let code = item.item_code.clone();
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let request = inputs.request(code.clone());
                if let Err(p) = facts.with_value(|f| check_decision(f, &request)) {
                    message.set(Some(FieldProblem::sentence(&p)));
                    return;
                }
                let action = DecisionAction {
                    version,
                    item: request.item,
                    outcome: request.outcome,
                    reason: request.reason,
                    legal_basis: request.legal_basis,
                    conditions: request.conditions,
                };
                run(Box::pin(async move {
                    decide(number.get_value(), action).await.map(|_| ())
                }));
            };
            view! {
                <form class="decision" data-decide=item.item_code.clone() on:submit=submit>
                    <h3>{format!("审查决定：{}", item.item_name)}</h3>
                    {inputs.fields(item.item_code.clone())}
                    <button type="submit" class="button primary">"作出决定"</button>
                </form>
            }
        })
        .collect_view();
    let withdrawal = (me.role.acts() && withdrawable(status)).then(|| {
        let reason = RwSignal::new(String::new());
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let request = match WithdrawalRequest::checked(status, version, reason.get_untracked())
            {
                Ok(request) => request,
                Err(refused) => return message.set(Some(refused)),
            };
            run(Box::pin(async move {
                withdraw(number.get_value(), request).await.map(|_| ())
            }));
        };
        view! {
            <form class="withdrawal" on:submit=submit>
                <h3>"登记窗口撤回申请"</h3>
                <label>"撤回理由"<Input name="withdraw_reason" value=reason/></label>
                <button type="submit" class="button">"登记撤回"</button>
            </form>
        }
    });
    view! {
        <div class="table-scroll">
            <table class="dense">
                <thead><tr><th>"事项"</th><th>"审查部门"</th><th>"状态"</th><th>"处理人"</th><th>"处理意见"</th><th>""</th></tr></thead>
                <tbody>{tasks}</tbody>
            </table>
        </div>
        {(!office.deferred.is_empty()).then(|| view! { <h3>"容缺材料"</h3><ul>{deferred}</ul> })}
        {(!office.decisions.is_empty()).then(|| view! { <h3>"已作出的决定"</h3><ul>{decided}</ul> })}
        {forms}
        {withdrawal}
    }
}

/// A task's row, with 签收 or the opinion form for its department's reviewers.
fn task_row<R>(t: &TaskView, me: &crate::api::review::StaffInfo, run: R) -> impl IntoView + use<R>
where
    R: Fn(std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), AppError>>>>)
        + Copy
        + 'static,
{
    let mine = me.role.reviews() && t.department == me.department;
    let id = t.id;
    let action = match t.status {
        TaskStatus::Open if mine => Some(
            view! {
                <button type="button" class="button" data-claim=id on:click=move |_| {
                    run(Box::pin(async move { claim_task(id).await.map(|_| ()) }));
                }>"签收"</button>
            }
            .into_any(),
        ),
        TaskStatus::Claimed if mine && t.claimed_by == Some(me.id) => {
            let opinion = RwSignal::new(String::from("agree"));
            let reason = RwSignal::new(String::new());
            let basis = RwSignal::new(String::new());
            let conditions = RwSignal::new(String::new());
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let o = OpinionRequest {
                    opinion: if opinion.get_untracked() == "disagree" {
                        Opinion::Disagree
                    } else {
                        Opinion::Agree
                    },
                    reason: reason.get_untracked(),
                    legal_basis: basis.get_untracked(),
                    conditions: conditions.get_untracked(),
                };
                run(Box::pin(
                    async move { complete_task(id, o).await.map(|_| ()) },
                ));
            };
            Some(view! {
                <form class="opinion" data-opinion=id on:submit=submit>
                    <select name="opinion" on:change=move |ev| opinion.set(event_target_value(&ev))>
                        <option value="agree">"同意"</option>
                        <option value="disagree">"不同意"</option>
                    </select>
                    <Input name="reason" value=reason placeholder="理由"/>
                    <Input name="legal_basis" value=basis placeholder="法律依据（不同意时必填）"/>
                    <Input name="conditions" value=conditions placeholder="附条件（同意时可填）"/>
                    <button type="submit" class="button primary">"提交审查意见"</button>
                </form>
            }.into_any())
        }
        _ => None,
    };
    view! {
        <tr data-task=id data-task-status=t.status.as_str()>
            <td>{t.item_name.clone()}</td>
            <td>{t.department_name.clone()}{(!t.lead).then_some("（共同实施）")}</td>
            <td>{t.status.label()}</td>
            <td>{t.claimed_by_name.clone().unwrap_or_default()}</td>
            <td>{t.opinion.map(|o| o.label()).unwrap_or_default()}
                {t.reason.clone().map(|r| format!("：{r}"))}
                {t.legal_basis.clone().map(|r| format!("（依据：{r}）"))}
                {t.conditions.clone().map(|r| format!("；附条件：{r}"))}</td>
            <td>{action}</td>
        </tr>
    }
}

/// What a decision form holds: the outcome and its words.
#[derive(Clone, Copy)]
struct DecisionInputs {
    refuse: RwSignal<bool>,
    reason: RwSignal<String>,
    basis: RwSignal<String>,
    conditions: RwSignal<String>,
}

impl DecisionInputs {
    fn new() -> Self {
        DecisionInputs {
            refuse: RwSignal::new(false),
            reason: RwSignal::new(String::new()),
            basis: RwSignal::new(String::new()),
            conditions: RwSignal::new(String::new()),
        }
    }

    fn request(self, item: String) -> DecisionRequest {
        DecisionRequest {
            item,
            outcome: if self.refuse.get_untracked() {
                Outcome::Refuse
            } else {
                Outcome::Grant
            },
            reason: self.reason.get_untracked(),
            legal_basis: self.basis.get_untracked(),
            conditions: self.conditions.get_untracked(),
        }
    }

    /// The outcome's radio buttons (named per form) and the three texts.
    fn fields(self, name: String) -> impl IntoView {
        let DecisionInputs {
            refuse,
            reason,
            basis,
            conditions,
        } = self;
        let name = format!("outcome-{name}");
        view! {
            <label><input type="radio" name=name.clone() value="grant" checked on:change=move |_| refuse.set(false)/>"准予行政许可"</label>
            <label><input type="radio" name=name value="refuse" on:change=move |_| refuse.set(true)/>"不予行政许可"</label>
            <label>"理由（不予许可时必填）"<textarea name="reason" prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea></label>
            <label>"法律依据（不予许可时必填）"<Input name="legal_basis" value=basis/></label>
            <label>"附条件（准予时可填）"<Input name="conditions" value=conditions/></label>
        }
    }
}

/// 即办件 at the window: accepted and decided in one step, when the guide of every item says
/// so; checked by the server's own rule before sending.
#[component]
pub(super) fn OnTheSpotPanel(case: StaffCase, reload: Callback<()>) -> impl IntoView {
    let number = StoredValue::new(case.application.case_number.clone().unwrap_or_default());
    let version = case.version;
    let items = case.back_office.items;
    let immediate = !items.is_empty() && items.iter().all(|i| i.immediate);
    immediate.then(|| {
                    let inputs = DecisionInputs::new();
                    let message = RwSignal::new(None::<String>);
                    let items = StoredValue::new(items);
                    let submit = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let r = inputs.request(String::new());
                        let checked = items.with_value(|i| {
                            check_on_the_spot(i, r.outcome, &r.reason, &r.legal_basis, &r.conditions)
                        });
                        if let Err(p) = checked {
                            message.set(Some(FieldProblem::sentence(&p)));
                            return;
                        }
                        let action = OnTheSpotAction {
                            version,
                            outcome: r.outcome,
                            reason: r.reason,
                            legal_basis: r.legal_basis,
                            conditions: r.conditions,
                        };
                        spawn_local(async move {
                            match decide_on_the_spot(number.get_value(), action).await {
                                Ok(_) => reload.run(()),
                                Err(e) => message.set(Some(refusal(&e))),
                            }
                        });
                    };
                    view! {
                        <section class="on-the-spot" data-on-the-spot="">
                            <h2>"即办件：当场办结"</h2>
                            <p class="muted">"办事指南列为即办件：材料齐全的，受理并当场作出决定，同时出具受理通知书和决定书。"</p>
                            <Alert message=message/>
                            <form class="decision" on:submit=submit>
                                {inputs.fields("on-the-spot".into())}
                                <button type="submit" class="button primary">"受理并当场办结"</button>
                            </form>
                        </section>
                    }
    })
}
