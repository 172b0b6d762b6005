//! `/track`: 办理进度查询, for phones first. Anyone with the case number and a second factor
//! (the applicant's mobile number, or the 查询码 printed on the receipt) sees the status in
//! plain Chinese, what to do now, the due date and working days left, pauses and
//! extensions with their reasons, and every step; personal numbers masked. The applicant
//! signed in sees their own case without the second factor, with their messages and notices.
//! While open, the page follows the case live (server-sent events) and reloads what changed.

use leptos::prelude::*;

use crate::resource::{Json, resource};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::forms::tracked_case;
use crate::api::track::{TrackView, track_case, track_own};
use crate::clock::china_time;
use crate::components::deadline::DeadlineFacts;
use crate::components::field::Input;
use crate::components::notice::NoticeList;

/// The page.
#[component]
pub fn TrackPage() -> impl IntoView {
    let query = use_query_map();
    let number = RwSignal::new(query.read_untracked().get("case").unwrap_or_default());
    let factor = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // The case being followed live: number and factor of the last successful lookup.
    let watched = RwSignal::new(None::<(String, String)>);
    let lookup = Action::new(|(n, f): &(String, String)| {
        let (n, f) = (n.clone(), f.clone());
        async move { track_case(n, f).await }
    });
    let own = case_in_address(query, track_own);
    // What the last lookup asked, followed once it succeeds (by the stream token it
    // answered with: the second factor stays out of the stream's address).
    let asked = StoredValue::new(None::<(String, String)>);
    Effect::new(move |_| {
        if let Some(Ok(view)) = lookup.value().get() {
            let next = asked
                .get_value()
                .map(|(number, _)| (number, view.stream.clone()));
            if watched.get_untracked() != next {
                watched.set(next);
            }
        }
    });
    let encode = crate::components::encode_query;
    follow(
        Memo::new(move |_| {
            watched
                .get()
                .map(|(n, t)| format!("/api/v1/track/{}/events?stream={}", encode(&n), encode(&t)))
        })
        .into(),
        Callback::new(move |()| {
            if let Some(asked) = asked.get_value() {
                lookup.dispatch(asked);
            }
        }),
    );
    // The applicant's own case follows their session instead.
    follow(
        Memo::new(move |_| match own.get() {
            Some(Ok(Some(v))) => Some(format!("/api/v1/applications/{}/events", v.case_number)),
            _ => None,
        })
        .into(),
        Callback::new(move |()| own.refetch()),
    );

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = number.get_untracked().trim().to_uppercase();
        let f = factor.get_untracked().trim().to_string();
        let message = crate::domain::track::lookup_problem(&n, &f);
        problem.set(message.map(str::to_string));
        if message.is_none() {
            asked.set_value(Some((n.clone(), f.clone())));
            lookup.dispatch((n, f));
        }
    };

    // What a lookup posted without the application (`POST /track`, the public page's way)
    // opened for this browser.
    let tracked = case_in_address(query, tracked_case);

    // A plain form: posted to `POST /track` where the application is not loaded (the public
    // page), looked up in place where it is.
    let form = view! {
        <form class="track-form" method="post" action="/track" data-track="" on:submit=submit novalidate>
            <div class="field">
                <label for="case">"办件编号"</label>
                <input id="case" name="case" type="text" autocomplete="off" inputmode="latin" spellcheck="false"
                    placeholder="如 OW20261122…" value=number.get_untracked() prop:value=move || number.get()
                    on:input=move |ev| number.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="factor">"手机号码或查询码"</label>
                <Input name="factor" value=factor id="factor" input_type="text" autocomplete="off" spellcheck="false" placeholder="申请时填写的手机号码，或凭证上的 8 位查询码"/>
                <p class="help">"为保护隐私，查询进度需要办件编号和第二项验证信息。"</p>
            </div>
            <div class="notice notice-error" role="alert" data-problem="" hidden=move || problem.get().is_none()>{move || problem.get()}</div>
            <button type="submit" class="button button-primary" disabled=move || lookup.pending().get()>
                {move || if lookup.pending().get() { "正在查询…" } else { "查询" }}
            </button>
        </form>
    };

    view! {
        <Title text="办理进度查询"/>
        <h1>"办理进度查询"</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match own.await {
                    Ok(Some(v)) => view! {
                        <p class="muted">"您已登录，这是您本人的办件。"</p>
                        <TrackResult view=v/>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Transition>
        <section class="track-lookup" hidden=move || matches!(own.get(), Some(Ok(Some(_))))>
            {form}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match tracked.await {
                        Ok(Some(v)) if lookup.value().read().is_none() => looked_up(Ok(v)),
                        Err(e) => looked_up(Err(e)),
                        _ => ().into_any(),
                    }
                })}
            </Transition>
            {move || lookup.value().get().map(looked_up)}
        </section>
    }
}

/// A lookup's answer: the case, followed live, or the refusal.
fn looked_up(answer: Result<TrackView, crate::error::AppError>) -> AnyView {
    match answer {
        Ok(v) => view! {
            <p class="live-note muted" role="status">"页面会随办理进度自动更新。"</p>
            <TrackResult view=v/>
        }
        .into_any(),
        Err(e) => view! {
            <div class="notice notice-error" role="alert" data-code=e.code.as_str()>{e.message.clone()}</div>
        }
        .into_any(),
    }
}

/// The case `?case=` names, as `fetch` finds it (nothing while the parameter is empty).
fn case_in_address<F, Fut>(
    query: Memo<leptos_router::params::ParamsMap>,
    fetch: F,
) -> Resource<Result<Option<TrackView>, crate::error::AppError>, Json>
where
    F: Fn(String) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Option<TrackView>, crate::error::AppError>>
        + Send
        + 'static,
{
    resource(
        move || query.read().get("case").unwrap_or_default(),
        move |n| async move {
            if n.trim().is_empty() {
                Ok(None)
            } else {
                fetch(n).await
            }
        },
    )
}

/// Listens to a case's server-sent events at the address `url` gives (none: nothing to
/// follow), and calls `changed` whenever the case moves. The stream is closed when the page
/// goes or the address changes.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(
        unused_variables,
        reason = "the server renders the page; only the browser listens"
    )
)]
fn follow(url: Signal<Option<String>>, changed: Callback<()>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let source = StoredValue::new_local(None::<web_sys::EventSource>);
        let close = move || {
            if let Some(s) = source.get_value() {
                s.close();
            }
            source.set_value(None);
        };
        Effect::new(move |_| {
            close();
            let Some(url) = url.get() else { return };
            let Ok(es) = web_sys::EventSource::new(&url) else {
                return;
            };
            let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| changed.run(()));
            let _ =
                es.add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref());
            // Lives as long as the event source, which is closed when the page goes.
            on_change.forget();
            source.set_value(Some(es));
        });
        on_cleanup(close);
    }
}

/// A case's progress.
#[component]
pub fn TrackResult(view: TrackView) -> impl IntoView {
    let v = view;
    let todo = v.todo.clone().map(|t| {
        let lines = (!t.lines.is_empty()).then(|| {
            view! {
                <ul class="plain-list">
                    {t.lines.iter().map(|l| view! {
                        <li><strong>{l.name.clone()}</strong>
                            {(!l.specification.is_empty()).then(|| format!("（{}）", l.specification))}
                            {(!l.reason.is_empty()).then(|| format!("：{}", l.reason))}</li>
                    }).collect_view()}
                </ul>
            }
        });
        view! {
            <section class="notice todo" role="status">
                <h2>"您现在需要做的"</h2>
                <p>{t.message.clone()}</p>
                {lines}
                {t.href.clone().map(|h| view! { <p><a class="button button-primary" href=h>"去补正"</a></p> })}
            </section>
        }
    });
    let pauses = (!v.pauses.is_empty()).then(|| {
        view! {
            <section>
                <h2>"特别程序（不计入办理期限）"</h2>
                <ul class="plain-list">
                    {v.pauses.iter().map(|p| view! {
                        <li>{format!("{}：{} 至 {}", p.procedure, p.started_on, p.ended_on.map(|d| d.to_string()).unwrap_or_else(|| "进行中".into()))}
                            <br/><span class="muted">{p.reason.clone()}</span></li>
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let extension = v.extension.clone().map(|e| {
        view! {
            <section>
                <h2>"延长办理期限"</h2>
                <p>{format!("{} 经批准延长 {} 个工作日。", e.on, e.days)}<br/><span class="muted">{e.reason}</span></p>
            </section>
        }
    });
    let timeline = v
        .timeline
        .iter()
        .rev()
        .map(|t| {
            view! {
                <li data-action=t.action.clone()>
                    <time>{china_time(&t.at)}</time>
                    <strong>{t.label.clone()}</strong>
                    <span class="muted">{t.department_name.clone()}</span>
                    {t.detail.clone().map(|d| view! { <p>{d}</p> })}
                </li>
            }
        })
        .collect_view();
    let progress = (!v.progress.is_empty()).then(|| {
        view! {
            <section data-progress="">
                <h2>"部门审查进度"</h2>
                <ul class="plain-list">
                    {v.progress.iter().map(|p| view! {
                        <li data-finished=p.finished.to_string()>{format!("{}（{}）：{}", p.department_name, p.item_name, if p.finished { "已审查完毕" } else { "审查中" })}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    let delivery = v.delivery.clone().map(|d| {
        let day = |d: Option<crate::domain::date::Date>| d.map(|d| d.to_string());
        let state = match (d.delivered_on, d.mailed_on) {
            (Some(_), _) => "已送达",
            (None, Some(_)) => "已寄出，待妥投",
            (None, None) => "待送达",
        };
        view! {
            <section data-delivery="">
                <h2>"办理结果送达"</h2>
                <dl class="facts">
                    <dt>"送达方式"</dt><dd>{d.method.map_or("窗口通知", |m| m.label())}</dd>
                    <dt>"送达情况"</dt><dd>{state}</dd>
                    {d.address.clone().map(|a| view! { <dt>"邮寄地址"</dt><dd>{a}</dd> })}
                    {d.carrier.clone().map(|c| view! { <dt>"快递公司"</dt><dd>{c}</dd> })}
                    {d.waybill.clone().map(|w| view! { <dt>"运单号"</dt><dd class="code" data-waybill="">{w}</dd> })}
                    {day(d.mailed_on).map(|x| view! { <dt>"寄出日期"</dt><dd>{x}</dd> })}
                    {day(d.delivered_on).map(|x| view! { <dt>"送达日期"</dt><dd>{x}</dd> })}
                </dl>
            </section>
        }
    });
    let licences = (!v.licences.is_empty()).then(|| {
        view! {
            <section data-licences="">
                <h2>"电子证照"</h2>
                {v.licences.iter().map(|l| {
                    let verify = format!("/verify?number={}&code={}", l.number, l.check_code.clone().unwrap_or_default());
                    view! {
                        <crate::pages::verify::LicenceCard licence=l.clone()/>
                        <p class="actions">
                            <a class="button" href=format!("/api/v1/licences/{}/file", l.number) download="">"下载证照文件"</a>
                            " "
                            <a class="button" href=verify>"验真"</a>
                        </p>
                    }
                }).collect_view()}
            </section>
        }
    });
    let withdrawal = (v.owner && crate::domain::decision::withdrawable(v.status)).then(
        || view! { <WithdrawForm number=v.case_number.clone() version=v.case_version status=v.status/> },
    );
    let messages = (!v.messages.is_empty()).then(|| {
        view! {
            <section>
                <h2>"消息"</h2>
                <ul class="messages">
                    {v.messages.iter().rev().map(|m| view! {
                        <li><time class="muted">{china_time(&m.at)}</time> " " {m.body.clone()}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
    });
    // Where the public pages' script follows the case live (the application follows it
    // through `follow`).
    let encode = crate::components::encode_query;
    let stream = if v.owner {
        Some(format!(
            "/api/v1/applications/{}/events",
            encode(&v.case_number)
        ))
    } else {
        (!v.stream.is_empty()).then(|| {
            format!(
                "/api/v1/track/{}/events?stream={}",
                encode(&v.case_number),
                encode(&v.stream)
            )
        })
    };
    view! {
        <article class="track" data-status=v.status.as_str() data-version=v.version.to_string() data-stream=stream>
            <header class="track-head">
                <p class="muted">{v.title.clone()}</p>
                <h2 class="track-status">{v.status_label.clone()}</h2>
                <p>{v.status_hint.clone()}</p>
            </header>
            {v.calendar_problem.clone().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
            {todo}
            <DeadlineFacts deadlines=v.deadlines.clone()/>
            {progress}
            {licences}
            {delivery}
            {pauses}
            {extension}
            <dl class="facts">
                <dt>"办件编号"</dt><dd class="code">{v.case_number.clone()}</dd>
                <dt>"申请人"</dt><dd data-masked="name">{v.applicant_name.clone()}</dd>
                <dt>"联系电话"</dt><dd data-masked="mobile">{v.contact_mobile.clone()}</dd>
                <dt>"办理部门"</dt><dd>{v.department_name.clone()}</dd>
                <dt>"收件渠道"</dt><dd>{v.channel_label.clone()}</dd>
                {v.received_on.map(|d| view! { <dt>"收件日期"</dt><dd>{d.to_string()}</dd> })}
            </dl>
            <section>
                <h2>"办理过程"</h2>
                <ol class="timeline" aria-label="办理过程">{timeline}</ol>
            </section>
            {(!v.deferred.is_empty()).then(|| view! { <DeferredUploads number=v.case_number.clone() slots=v.deferred.clone()/> })}
            {messages}
            {withdrawal}
            {v.owner.then(|| view! { <NoticeList case_number=v.case_number.clone() notices=v.notices.clone()/> })}
        </article>
    }
}

/// The applicant withdraws the application before a decision (撤回申请), with a reason; the
/// same rule as the server's runs before sending.
#[component]
fn WithdrawForm(
    number: String,
    version: i32,
    status: crate::domain::case::CaseStatus,
) -> impl IntoView {
    use crate::domain::decision::WithdrawalRequest;
    let reason = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let number = StoredValue::new(number);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = match WithdrawalRequest::checked(status, version, reason.get_untracked()) {
            Ok(request) => request,
            Err(refused) => return message.set(Some(refused)),
        };
        leptos::task::spawn_local(async move {
            match crate::api::backoffice::withdraw(number.get_value(), request).await {
                Ok(n) => {
                    message.set(None);
                    done.set(Some(format!("已撤回，确认书编号 {}", n.notice.number)));
                }
                Err(e) => message.set(Some(e.message.clone())),
            }
        });
    };
    view! {
        <details class="withdraw no-print">
            <summary>"撤回申请"</summary>
            <form on:submit=submit>
                <p class="muted">"作出审查决定前可以撤回申请；撤回后办理终止，如需办理须重新申请。"</p>
                <label for="withdraw-reason">"撤回理由"</label>
                <Input name="reason" value=reason id="withdraw-reason"/>
                {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                {move || done.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
                <button type="submit" class="button">"确认撤回"</button>
            </form>
        </details>
    }
}

/// 容缺 materials promised at acceptance (rule 7): the applicant uploads each here, checked
/// as any upload, before the committed date; the window confirms it or returns it with a
/// reason.
#[component]
fn DeferredUploads(
    number: String,
    slots: Vec<crate::views::backoffice::DeferredSlot>,
) -> impl IntoView {
    let rows = slots
        .into_iter()
        .map(|slot| {
            let d = slot.state.clone();
            let progress = RwSignal::new(None::<f64>);
            let error = RwSignal::new(None::<String>);
            let uploaded = RwSignal::new(d.supplied);
            let url = format!("/api/v1/applications/{number}/materials/{}", d.code);
            let material = slot.material.clone();
            let accept = crate::domain::catalog::FileType::accept_all(&material.file_types);
            let on_file = move |ev: leptos::ev::Event| {
                #[cfg(feature = "hydrate")]
                {
                    let Some(file) = crate::upload_client::chosen_file(&ev) else {
                        return;
                    };
                    let (url, material) = (url.clone(), material.clone());
                    error.set(None);
                    leptos::task::spawn_local(async move {
                        let result = crate::upload_client::upload(&url, &file, &material, move |p| {
                            progress.set(Some(p))
                        })
                        .await;
                        progress.set(None);
                        match result {
                            Ok(_) => uploaded.set(true),
                            Err(message) => error.set(Some(message)),
                        }
                    });
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (ev, &url, &material);
            };
            let input_id = format!("deferred-{}", d.code);
            view! {
                <li data-deferred=d.code.clone()>
                    <label for=input_id.clone()>{format!("{}（请于 {} 前补交）", d.name, d.commitment_date)}</label>
                    {d.returned.clone().map(|r| view! { <p class="field-error">{format!("窗口退回：{r}")}</p> })}
                    <p class="muted">{move || if uploaded.get() { "已补交，等待窗口核验；如需更换可重新上传。" } else { "尚未补交。" }}</p>
                    <input id=input_id type="file" accept=accept on:change=on_file/>
                    {move || progress.get().map(|p| view! { <progress max="1" value=p></progress> })}
                    {move || error.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section data-deferred-uploads="">
            <h2>"补交容缺材料"</h2>
            <p class="muted">"容缺受理时承诺补交的材料，补齐并经窗口核验后才能作出审查决定。"</p>
            <ul class="plain-list">{rows}</ul>
        </section>
    }
}
