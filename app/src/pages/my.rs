//! `/my`: 我的办件, the applicant's drafts and cases with their status.

use leptos::prelude::*;

use crate::resource::resource;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::api::applications::{ApplicationView, delete_application, my_applications};
use crate::clock::china_time;
use crate::components::field::Input;
use crate::components::status::Loaded;

/// The page.
#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let list = resource(|| (), |_| my_applications());
    let reload = Callback::new(move |()| list.refetch());
    view! {
        <Title text="我的办件"/>
        <h1>"我的办件"</h1>
        <Loaded data=list show=move |apps| match apps {
            Some(apps) if apps.is_empty() => view! {
                <section class="empty">
                    <p>"还没有办件。"</p>
                    <p><a class="button button-primary" href="/items">"去事项清单找要办的事"</a></p>
                </section>
                <ClaimCase reload/>
            }.into_any(),
            Some(apps) => view! {
                <ul class="case-list">
                    {apps.into_iter().map(|app| view! { <CaseCard app reload/> }).collect_view()}
                </ul>
                <ClaimCase reload/>
            }.into_any(),
            None => view! {
                <section class="empty">
                    <p>"登录后查看您的草稿和办件。"</p>
                    <p><a class="button button-primary" href="/login?next=/my">"登录"</a></p>
                </section>
            }.into_any(),
        }/>
    }
}

#[component]
fn CaseCard(app: ApplicationView, reload: Callback<()>) -> impl IntoView {
    let href = format!("/applications/{}", app.number);
    let draft = app.is_draft();
    let fix_up = !app.open_correction().is_empty();
    let failure = RwSignal::new(None::<String>);
    let number = app.number.clone();
    let on_delete = move |_| {
        #[cfg(feature = "hydrate")]
        if !window()
            .confirm_with_message("删除这份草稿？已上传的材料一并删除，不能恢复。")
            .unwrap_or(false)
        {
            return;
        }
        let number = number.clone();
        spawn_local(async move {
            match delete_application(number).await {
                Ok(()) => reload.run(()),
                Err(e) => failure.set(Some(e.into_message())),
            }
        });
    };
    let when = if draft {
        format!("最后修改 {}", china_time(&app.updated_at))
    } else {
        format!(
            "收件时间 {}",
            china_time(app.submitted_at.as_deref().unwrap_or_default())
        )
    };
    view! {
        <li class="case-card" data-number=app.number.clone()>
            <div class="case-head">
                <a class="case-title" href=href.clone()>{app.title.clone()}</a>
                <span class="badge" class:badge-amber={draft || fix_up} class:badge-blue={!draft && !fix_up}>{app.status.label()}</span>
            </div>
            <p class="case-meta">
                {match &app.case_number {
                    Some(n) => format!("办件编号 {n}"),
                    None => format!("申请编号 {}", app.number),
                }}
                " · " {when}
            </p>
            <p class="case-actions">
                {if draft {
                    view! {
                        <a class="button button-primary" href=href.clone()>"继续填写"</a>
                        " "
                        <button type="button" class="button" on:click=on_delete>"删除草稿"</button>
                    }.into_any()
                } else if fix_up {
                    view! { <a class="button button-primary" href=href.clone()>"查看补正通知并补正"</a> }.into_any()
                } else {
                    view! { <a class="button" href=href.clone()>"查看收件凭证和通知书"</a> }.into_any()
                }}
                {app.case_number.clone().map(|n| view! {
                    " " <a class="button" href=format!("/track?case={n}")>"办理进度"</a>
                })}
            </p>
            {move || failure.get().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
        </li>
    }
}

/// 关联窗口办件: a case taken for the applicant at the hall's window joins this list once they
/// enter its number and the 查询码 printed on the receipt.
#[component]
fn ClaimCase(reload: Callback<()>) -> impl IntoView {
    use crate::api::applications::claim_window_case;
    let number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        spawn_local(async move {
            match claim_window_case(number.get_untracked(), code.get_untracked()).await {
                Ok(app) => {
                    message.set(Some((true, format!("已关联：{}", app.title))));
                    number.set(String::new());
                    code.set(String::new());
                    reload.run(());
                }
                Err(e) => message.set(Some((false, e.into_message()))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="claim-case">
            <h2>"关联在窗口办理的办件"</h2>
            <p class="hint">"在办事大厅窗口提交的申请，凭收件凭证上的办件编号和查询码关联到本账号后，可在网上查看进度、下载通知书和补正。"</p>
            <form on:submit=submit>
                <div class="field">
                    <label for="claim-number">"办件编号"</label>
                    <Input name="case_number" value=number id="claim-number" autocomplete="off"/>
                </div>
                <div class="field">
                    <label for="claim-code">"查询码"</label>
                    <Input name="tracking_code" value=code id="claim-code" autocomplete="off"/>
                </div>
                {move || message.get().map(|(ok, m)| view! {
                    <div class="notice" class:notice-success=ok class:notice-error=!ok role="status">{m}</div>
                })}
                <button type="submit" class="button" disabled=move || busy.get()>"关联"</button>
            </form>
        </section>
    }
}
