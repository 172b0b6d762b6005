//! `/staff`: the department's pre-review queue.

use super::*;

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
                            <p>{e.message.clone()}</p>
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
