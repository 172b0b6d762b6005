//! `/staff`: the department's pre-review queue.

use super::*;
use crate::api::review::Queue;

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
            sort: q.get("sort").filter(|s| !s.is_empty()),
            page: q.get("page").and_then(|p| p.parse().ok()),
        }
    };
    let data = resource(filter, |f: QueueFilter| {
        review_queue(f.status, f.channel, f.q, f.sort, f.page)
    });
    let with = move |key: &'static str, value: String| {
        changed_query(
            "/staff",
            &query.read(),
            &["status", "channel", "q", "sort", "page"],
            key,
            &value,
        )
    };
    view! {
        <Title text="预审工作台"/>
        <StaffBar/>
        <h1>"预审工作台"</h1>
        <form class="filters" method="get" action="/staff">
            <label>"状态 "
                {query_select("status", &[("", "待受理"), ("correction_requested", "待补正"), ("accepted", "待审查"), ("in_review", "审查中"), ("suspended", "特别程序中"), ("rejected", "不予受理"), ("all", "全部")])}
            </label>
            <label>"渠道 "
                {query_select("channel", &[("", "全部"), ("online", "网上申报"), ("window", "窗口收件")])}
            </label>
            <label>"查找 " <input type="search" name="q" placeholder="办件编号、事项或申请人"
                prop:value=move || query.read().get("q").unwrap_or_default()/></label>
            <button type="submit" class="button">"筛选"</button>
        </form>
        <Loaded data refused=sign_in_as_staff show=move |q: Queue| {
            let counts = q.counts.iter().map(|c| view! {
                <span class="count" data-status=c.status.as_str()>{c.text()}</span>
            }).collect_view();
            let rows = q.entries.iter().map(|e| {
                let href = format!("/staff/cases/{}", e.case_number);
                let overdue = e.acceptance_due.is_some() && e.age_working_days.unwrap_or(0) >= 5;
                view! {
                    <tr class="queue-entry" class:overdue=overdue data-case=e.case_number.clone()>
                        <td data-label="办件编号"><a class="code" href=href>{e.case_number.clone()}</a></td>
                        <td data-label="事项"><strong>{e.title.clone()}</strong></td>
                        <td data-label="申请人">{e.applicant_name.clone()}</td>
                        <td data-label="渠道">{e.channel.label()}</td>
                        <td data-label="收件时间">{china_time(&e.received_at)}</td>
                        <td data-label="已用时间" class="age">{match e.age_working_days {
                            Some(n) => format!("{n} 个工作日"),
                            None => "工作日历缺年份".into(),
                        }}</td>
                        <td data-label="受理期限">{e.acceptance_due.map(|d| format!("{d} 前")).unwrap_or_else(|| "—".into())}</td>
                        <td data-label="状态">{e.status_label.clone()}</td>
                    </tr>
                }
            }).collect_view();
            let empty = q.entries.is_empty();
            let sort_link = move |key: &'static str, label: &'static str| {
                view! { <a href=move || with("sort", key.to_string())>{label}</a> }
            };
            let pager = pager("page", q.page, q.pages, q.matching, with);
            view! {
                <p class="queue-figures" data-waiting=q.waiting>
                    <strong>{format!("待预审 {} 件", q.waiting)}</strong>
                    {q.oldest_age_working_days.map(|n| format!("，最久已 {n} 个工作日"))}
                </p>
                <p class="queue-counts">{counts}</p>
                {q.calendar_problem.map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
                {empty.then(|| view! { <p class="empty">"没有符合条件的办件。"</p> })}
                <div class="table-scroll">
                    <table class="dense queue">
                        <thead><tr>
                            <th>"办件编号"</th>
                            <th>{sort_link("title", "事项")}</th>
                            <th>{sort_link("applicant", "申请人")}</th>
                            <th>"渠道"</th>
                            <th>{sort_link("received", "收件时间↑")} " " {sort_link("-received", "↓")}</th>
                            <th>"已用时间"</th>
                            <th>"受理期限"</th>
                            <th>"状态"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {pager}
            }
        }/>
    }
}
