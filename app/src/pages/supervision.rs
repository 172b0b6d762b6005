//! `/staff/supervision`: the supervision board (电子监察) of a department, for chief
//! representatives and supervisors: open cases by time left (overdue first, never hidden),
//! counts per item, and the warning ladder's notices with who has seen them.

use leptos::prelude::*;

use crate::resource::resource;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::api::track::{BandCounts, Board, mark_warning_seen, supervision_board};
use crate::clock::china_time;
use crate::components::deadline::ClockLine;
use crate::components::status::{Alert, Loaded, sign_in_as_staff};

/// The page.
#[component]
pub fn SupervisionPage() -> impl IntoView {
    let board = resource(|| (), |_| supervision_board());
    let reload = Callback::new(move |()| board.refetch());
    view! {
        <Title text="督办看板"/>
        <nav class="breadcrumb no-print" aria-label="位置"><a href="/staff">"预审工作台"</a> " / 督办看板"</nav>
        <h1>"督办看板"</h1>
        <Loaded data=board refused=sign_in_as_staff show=move |b| view! { <BoardView board=b reload/> }/>
    }
}

fn counts_row(c: &BandCounts) -> impl IntoView + use<> {
    view! {
        <tr>
            <th scope="row">{c.name.clone()}</th>
            <td data-label="超期" class="band-overdue">{c.overdue}</td>
            <td data-label="红色" class="band-red">{c.red}</td>
            <td data-label="黄色" class="band-amber">{c.amber}</td>
            <td data-label="绿色" class="band-green">{c.green}</td>
            <td data-label="暂停">{c.paused}</td>
        </tr>
    }
}

#[component]
fn BoardView(board: Board, reload: Callback<()>) -> impl IntoView {
    let failure = RwSignal::new(None::<String>);
    let cases = board
        .cases
        .iter()
        .map(|c| {
            view! {
                <li class=format!("board-case band-{}", c.band.as_str()) data-band=c.band.as_str()>
                    <a href=format!("/staff/cases/{}", c.case_number) class="code">{c.case_number.clone()}</a>
                    " " <span>{c.title.clone()}</span> " " <span class="badge">{c.status_label.clone()}</span>
                    <ClockLine clock=c.clock.clone()/>
                </li>
            }
        })
        .collect_view();
    let warnings = board
        .warnings
        .iter()
        .map(|w| {
            let id = w.id;
            let seen = if w.seen_by.is_empty() {
                "尚无人查看".to_string()
            } else {
                w.seen_by
                    .iter()
                    .map(|(name, at)| format!("{name}（{}）", china_time(at)))
                    .collect::<Vec<_>>()
                    .join("、")
            };
            let mark = move |_| {
                spawn_local(async move {
                    match mark_warning_seen(id).await {
                        Ok(()) => reload.run(()),
                        Err(e) => failure.set(Some(e.into_message())),
                    }
                });
            };
            view! {
                <li class="warning" data-level=w.level.clone()>
                    <p><strong>{w.level_label.clone()}</strong> " " <time class="muted">{china_time(&w.created_at)}</time></p>
                    <p>{w.message.clone()}</p>
                    <p class="muted">"已阅：" {seen}</p>
                    {(!w.seen_by_me).then(|| view! { <button type="button" class="button" on:click=mark>"标记已阅"</button> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="muted">{format!("{} · 截至 {}", board.department_name, board.today)}</p>
        {board.calendar_problem.clone().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
        <Alert message=failure/>
        <section>
            <h2>"按剩余时间"</h2>
            <div class="table-scroll">
                <table class="board-counts">
                    <thead><tr><th scope="col">"事项"</th><th scope="col">"超期"</th><th scope="col">"红色 ≤3"</th><th scope="col">"黄色 4–7"</th><th scope="col">"绿色 >7"</th><th scope="col">"暂停"</th></tr></thead>
                    <tbody>
                        {counts_row(&board.total)}
                        {board.by_item.iter().map(counts_row).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section>
            <h2>"在办件"</h2>
            {board.cases.is_empty().then(|| view! { <p class="muted">"没有在办件。"</p> })}
            <ul class="board-cases">{cases}</ul>
        </section>
        {(!board.tasks.is_empty()).then(|| view! {
            <section data-board-tasks="">
                <h2>"本部门审查任务"</h2>
                <p class="muted">"并联审批中本部门尚未办结的审查任务，与办件的办结期限同时到期。"</p>
                <ul class="board-cases">
                    {board.tasks.iter().map(|t| view! {
                        <li class=format!("board-case band-{}", t.band.as_str()) data-band=t.band.as_str()>
                            <a class="code" href=format!("/staff/cases/{}", t.case_number)>{t.case_number.clone()}</a>
                            " " <span>{t.item_name.clone()}</span> " " <span class="badge">{t.status_label.clone()}</span>
                            {t.claimed_by.clone().map(|n| view! { " " <span class="muted">{n}</span> })}
                            <ClockLine clock=t.clock.clone()/>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!board.late_deferred.is_empty()).then(|| view! {
            <section data-late-deferred="">
                <h2>"容缺材料逾期未补齐"</h2>
                <p class="muted">"容缺受理时申请人承诺补交的材料，承诺日期已过仍未经窗口核验；补齐前不能作出审查决定。"</p>
                <ul class="warnings">
                    {board.late_deferred.iter().map(|l| view! {
                        <li class="warning" data-level="deferred">
                            <a class="code" href=format!("/staff/cases/{}", l.case_number)>{l.case_number.clone()}</a>
                            {format!(" {}：承诺 {} 前补交，{}", l.material, l.commitment_date, if l.supplied { "申请人已补交，待窗口核验" } else { "申请人尚未补交" })}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!board.security_alerts.is_empty()).then(|| view! {
            <section>
                <h2>"账号安全提醒"</h2>
                <p class="muted">"以下工号在某一地址连续输错密码被锁定（仅锁定该地址，本人在其他地址仍可登录）。如非本人所为，请提醒其修改密码并报告信息安全负责人。"</p>
                <ul class="warnings security-alerts">
                    {board.security_alerts.iter().map(|a| view! {
                        <li class="warning" data-level="security">
                            <p><strong>{format!("{}（{}）", a.name, a.login)}</strong> " " <time class="muted">{china_time(&a.at)}</time></p>
                            <p>{format!("来自 {} 的多次错误密码，已在该地址锁定 30 分钟", a.client)}</p>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section>
            <h2>"预警与督办通知"</h2>
            {board.warnings.is_empty().then(|| view! { <p class="muted">"暂无预警。"</p> })}
            <ul class="warnings">{warnings}</ul>
        </section>
    }
}
