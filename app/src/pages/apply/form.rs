//! The draft in four steps, kept in this browser at once and saved to the server shortly
//! after.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::delivery::DeliveryChoiceField;
use super::material::MaterialSlot;
use super::review::Review;
use crate::api::applications::{ApplicationView, save_draft, submit_application};
use crate::clock::{china_time, today_in_china};
use crate::components::auth::Auth;
use crate::components::form_field::CatalogField;
use crate::components::status::Alert;
use crate::domain::account::FieldProblem;
use crate::domain::apply::{
    ApplicantForm, ApplicantKind, ApplicationForm, DraftContent, applicant_fields, check_submission,
};
use crate::domain::catalog::FormField;
use crate::error::ErrorCode;

const STEPS: [&str; 4] = ["申请人", "填写表单", "上传材料", "核对提交"];

/// This browser's copy of a draft: what was typed, and the server version it was typed on.
#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "read only by the browser's autosave")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
struct LocalCopy {
    content: DraftContent,
    /// The server's `updated_at` this copy started from.
    base: String,
    /// Whether the server has this content.
    saved: bool,
}

#[cfg_attr(
    not(feature = "hydrate"),
    expect(dead_code, reason = "read only by the browser's autosave")
)]
#[derive(Clone, Debug, PartialEq)]
enum SaveState {
    Saved(String),
    Saving,
    /// Kept here; the message says why the server does not have it yet.
    Unsaved(String),
}

/// The four steps of a draft.
#[component]
pub(super) fn ApplyForm(
    app: ApplicationView,
    form: ApplicationForm,
    on_submitted: Callback<()>,
) -> impl IntoView {
    let auth = expect_context::<Auth>();
    // In-hall intake: the person at the window is not the account holder.
    let at_window = app.channel == Some(crate::domain::case::Channel::Window);
    let number = StoredValue::new(app.number.clone());
    let form = StoredValue::new(form);
    let kind = RwSignal::new(app.applicant.kind);
    let applicant_values = RwSignal::new(app.applicant.values.clone());
    let values = RwSignal::new(app.values.clone());
    let bring_original = RwSignal::new(app.bring_original.clone());
    let delivery = RwSignal::new(app.delivery.clone());
    let uploads = RwSignal::new(app.uploads());
    let step = RwSignal::new(0usize);
    let touched = RwSignal::new(BTreeSet::<String>::new());
    let server_problems = RwSignal::new(Vec::<FieldProblem>::new());
    let save_state = RwSignal::new(SaveState::Saved(app.updated_at.clone()));
    let base = RwSignal::new(app.updated_at.clone());
    let restored = RwSignal::new(false);
    let submitting = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);

    let content = Memo::new(move |_| DraftContent {
        applicant: ApplicantForm {
            kind: kind.get(),
            values: applicant_values.get(),
        },
        values: values.get(),
        bring_original: bring_original.get(),
        delivery: delivery.get(),
    });
    let uploaded = Memo::new(move |_| uploads.read().keys().cloned().collect::<BTreeSet<_>>());
    // The browser's verdict on everything, by the server's own rules.
    let problems = Memo::new(move |_| {
        form.with_value(|f| {
            check_submission(f, &content.read(), &uploaded.read(), today_in_china())
        })
    });
    let error_for = move |path: String| {
        Signal::derive(move || {
            if !touched.read().contains(&path) {
                return None;
            }
            let server = server_problems.read();
            let local = problems.read();
            server
                .iter()
                .chain(local.iter())
                .find(|p| p.field == path)
                .map(|p| p.message.clone())
        })
    };
    let touch = move |path: String| {
        Callback::new(move |()| {
            touched.update(|t| {
                t.insert(path.clone());
            });
        })
    };
    // A field of the guide's form bound to its value in `map`, its problems under
    // `{part}.{key}`.
    let bound = move |field: FormField, part: &str, map: RwSignal<BTreeMap<String, String>>| {
        let key = field.key.clone();
        let path = format!("{part}.{key}");
        let typed = key.clone();
        view! {
            <CatalogField field path=path.clone()
                value=Signal::derive(move || map.read().get(&key).cloned().unwrap_or_default())
                on_input=Callback::new(move |v: String| map.update(|m| { m.insert(typed.clone(), v); }))
                error=error_for(path.clone()) on_blur=touch(path)/>
        }
    };
    let step_paths = move |s: usize| -> Vec<String> {
        match s {
            0 => {
                let mut paths = vec!["applicant.kind".to_string()];
                if let Some(k) = kind.get_untracked() {
                    paths.extend(
                        applicant_fields(k)
                            .into_iter()
                            .map(|f| format!("applicant.{}", f.key)),
                    );
                }
                paths
            }
            1 => form.with_value(|f| {
                f.fields
                    .iter()
                    .map(|x| format!("values.{}", x.key))
                    .collect()
            }),
            2 => form.with_value(|f| {
                f.materials
                    .iter()
                    .map(|m| format!("materials.{}", m.material.code))
                    .collect()
            }),
            _ => problems
                .read_untracked()
                .iter()
                .map(|p| p.field.clone())
                .collect(),
        }
    };
    let step_of = |field: &str| -> usize {
        match field.split('.').next() {
            Some("applicant") => 0,
            Some("values") => 1,
            Some("materials") => 2,
            _ => 3,
        }
    };

    // Keep every change here at once, and on the server shortly after.
    #[cfg(feature = "hydrate")]
    {
        use gloo::storage::{LocalStorage, Storage};
        use gloo::timers::callback::Timeout;
        let key = format!("ow-draft-{}", app.number);
        let server_content = app.content();
        let timer = StoredValue::new_local(None::<Timeout>);
        let save = move |c: DraftContent| {
            let key = format!("ow-draft-{}", number.get_value());
            save_state.set(SaveState::Saving);
            spawn_local(async move {
                match save_draft(number.get_value(), c.clone()).await {
                    Ok(saved) => {
                        let updated_at = saved.updated_at;
                        // Only the newest content counts as saved.
                        if content.get_untracked() == c {
                            let _ = LocalStorage::set(
                                &key,
                                LocalCopy {
                                    content: c,
                                    base: updated_at.clone(),
                                    saved: true,
                                },
                            );
                            save_state.set(SaveState::Saved(updated_at.clone()));
                        }
                        base.set(updated_at);
                    }
                    Err(e) if e.is_failure() => save_state.set(SaveState::Unsaved(
                        "网络连接中断，内容已保存在本机，恢复后会自动保存".into(),
                    )),
                    Err(e) => save_state.set(SaveState::Unsaved(
                        e.into_problems()
                            .first()
                            .map(|p| p.message.clone())
                            .unwrap_or_default(),
                    )),
                }
            });
        };
        Effect::new(move |seen: Option<()>| {
            let c = content.get();
            if seen.is_none() {
                // First run: an unsaved copy typed on this server version wins over it.
                if let Ok(local) = LocalStorage::get::<LocalCopy>(&key)
                    && !local.saved
                    && local.base == base.get_untracked()
                    && local.content != server_content
                {
                    kind.set(local.content.applicant.kind);
                    applicant_values.set(local.content.applicant.values);
                    values.set(local.content.values);
                    bring_original.set(local.content.bring_original);
                    delivery.set(local.content.delivery);
                    restored.set(true);
                }
                return;
            }
            server_problems.set(Vec::new());
            let _ = LocalStorage::set(
                &key,
                LocalCopy {
                    content: c.clone(),
                    base: base.get_untracked(),
                    saved: false,
                },
            );
            save_state.set(SaveState::Unsaved("正在保存…".into()));
            timer.set_value(Some(Timeout::new(800, move || save(c))));
        });
        // Back online: save what is waiting.
        let _ = leptos::prelude::window_event_listener(leptos::ev::online, move |_| {
            if matches!(save_state.get_untracked(), SaveState::Unsaved(_)) {
                save(content.get_untracked());
            }
        });
    }

    #[cfg(not(feature = "hydrate"))]
    let _ = base;

    let go = move |to: usize| {
        step.set(to);
        #[cfg(feature = "hydrate")]
        window().scroll_to_with_x_and_y(0.0, 0.0);
    };
    let next = move |_: leptos::ev::MouseEvent| {
        let s = step.get_untracked();
        let paths = step_paths(s);
        touched.update(|t| t.extend(paths.iter().cloned()));
        let blocked = problems
            .read_untracked()
            .iter()
            .any(|p| paths.contains(&p.field));
        if !blocked {
            go(s + 1);
        }
    };
    let on_submit = move |_: leptos::ev::MouseEvent| {
        failure.set(None);
        touched.update(|t| t.extend(problems.read_untracked().iter().map(|p| p.field.clone())));
        if !problems.read_untracked().is_empty() || submitting.get_untracked() {
            return;
        }
        submitting.set(true);
        // What is on screen is what is submitted: the latest change may still be waiting for
        // its autosave, so save it first.
        let latest = content.get_untracked();
        spawn_local(async move {
            let outcome = match save_draft(number.get_value(), latest).await {
                Ok(_) => submit_application(number.get_value()).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(_) => {
                    #[cfg(feature = "hydrate")]
                    {
                        use gloo::storage::{LocalStorage, Storage};
                        LocalStorage::delete(format!("ow-draft-{}", number.get_value()));
                    }
                    on_submitted.run(());
                }
                Err(e) if e.code == ErrorCode::Network => {
                    failure.set(Some("网络连接异常，申请没有提交，请稍后重试".into()))
                }
                Err(e) if e.is_failure() => failure.set(Some(e.into_message())),
                Err(e) => {
                    let list = e.into_problems();
                    touched.update(|t| t.extend(list.iter().map(|p| p.field.clone())));
                    if let Some(p) = list.iter().find(|p| p.field.is_empty()) {
                        failure.set(Some(p.message.clone()));
                    }
                    server_problems.set(list);
                }
            }
            submitting.set(false);
        });
    };

    let title = form.with_value(|f| f.title.clone());
    let count_in_step = move |s: usize| {
        let server = server_problems.read();
        let local = problems.read();
        let touched = touched.read();
        let fields: BTreeSet<&String> = server
            .iter()
            .chain(local.iter())
            .filter(|p| step_of(&p.field) == s && touched.contains(&p.field))
            .map(|p| &p.field)
            .collect();
        fields.len()
    };

    view! {
        <Title text=format!("在线申请 · {title}")/>
        <nav class="breadcrumb" aria-label="位置"><a href="/my">"我的办件"</a> " / " {title.clone()}</nav>
        <section class="apply">
            <header class="apply-header">
                <h1>{title.clone()}</h1>
                <p class="apply-meta">
                    <span>"申请编号 "<span class="code">{app.number.clone()}</span></span>
                    <span class="save-state" aria-live="polite">{move || match save_state.get() {
                        SaveState::Saved(at) => format!("已保存 {}", china_time(&at)),
                        SaveState::Saving => "正在保存…".to_string(),
                        SaveState::Unsaved(why) => why,
                    }}</span>
                </p>
                {move || restored.get().then(|| view! {
                    <div class="notice notice-info" role="status">"已恢复本机上次未保存的内容。"</div>
                })}
            </header>
            <ol class="stepper">
                {STEPS.into_iter().enumerate().map(|(i, name)| view! {
                    <li class:current=move || step.get() == i class:done={move || step.get() > i}>
                        <button type="button" on:click=move |_| go(i)
                            aria-current=move || (step.get() == i).then_some("step")>
                            <span class="step-number">{i + 1}</span>
                            <span class="step-name">{name}</span>
                            {move || {
                                let n = count_in_step(i);
                                (n > 0 && i < 3).then(|| view! { <span class="step-errors" aria-label=format!("{n} 处待修改")>{n}</span> })
                            }}
                        </button>
                    </li>
                }).collect_view()}
            </ol>

            <div class="step-panel" hidden=move || step.get() != 0>
                <h2>"申请人"</h2>
                <fieldset class="choice">
                    <legend>"以谁的名义申请"</legend>
                    {ApplicantKind::ALL.into_iter().filter(move |k| !(at_window && *k == ApplicantKind::Myself)).map(|k| view! {
                        <label class="choice-option">
                            <input type="radio" name="applicant-kind" value=k.as_str()
                                prop:checked=move || kind.get() == Some(k)
                                on:change=move |_| {
                                    kind.set(Some(k));
                                    // Keep only what the new kind asks.
                                    let keys: Vec<String> = applicant_fields(k).into_iter().map(|f| f.key).collect();
                                    applicant_values.update(|v| v.retain(|key, _| keys.contains(key)));
                                }/>
                            <span>{k.label()}</span>
                        </label>
                    }).collect_view()}
                    <p class="field-error" role="alert">{error_for("applicant.kind".into())}</p>
                </fieldset>
                {move || (kind.get() == Some(ApplicantKind::Myself)).then(|| view! {
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            auth.account.await.ok().flatten().map(|a| view! {
                                <p class="applicant-self">"申请人：" <strong>{a.name}</strong> "（居民身份证 " <span class="code">{a.id_number}</span> "）"</p>
                            })
                        })}
                    </Transition>
                })}
                {move || kind.get().map(|k| applicant_fields(k).into_iter().map(|f| bound(f, "applicant", applicant_values)).collect_view())}
                {move || matches!(kind.get(), Some(ApplicantKind::Person | ApplicantKind::Company)).then(|| view! {
                    <p class="note">"代他人或单位申请时，请在“上传材料”中一并提交授权委托书（如有该项）。"</p>
                })}
            </div>

            <div class="step-panel" hidden=move || step.get() != 1>
                <h2>"填写表单"</h2>
                {form.with_value(|f| f.fields.clone()).into_iter().map(|f| bound(f, "values", values)).collect_view()}
            </div>

            <div class="step-panel" hidden=move || step.get() != 2>
                <h2>"上传材料"</h2>
                <p class="note">"文件类型按文件内容识别，改扩展名无效。标注“容缺”的材料可在受理后补交。"</p>
                <ul class="material-slots">
                    {form.with_value(|f| f.materials.clone()).into_iter().map(|m| {
                        let path = format!("materials.{}", m.material.code);
                        view! { <MaterialSlot number=number.get_value() material=m uploads bring_original error=error_for(path)/> }
                    }).collect_view()}
                </ul>
            </div>

            <div class="step-panel" hidden=move || step.get() != 3>
                <h2>"核对提交"</h2>
                <Review form content uploads/>
                <DeliveryChoiceField methods=form.with_value(|f| f.delivery_methods.clone()) delivery
                    error_for=Callback::new(move |p: String| error_for(p))
                    touch=Callback::new(move |p: String| touched.update(|t| { t.insert(p); }))/>
                {move || {
                    let list: Vec<FieldProblem> = {
                        let touched = touched.read();
                        let server = server_problems.read();
                        let local = problems.read();
                        let mut seen = BTreeSet::new();
                        server.iter().chain(local.iter())
                            .filter(|p| touched.contains(&p.field) && seen.insert((p.field.clone(), p.code.clone())))
                            .cloned().collect()
                    };
                    (!list.is_empty()).then(|| view! {
                        <div class="notice notice-error problems" role="alert">
                            <p><strong>{format!("还有 {} 处需要修改，改好后才能提交：", list.len())}</strong></p>
                            <ul>
                                {list.into_iter().map(|p| {
                                    let s = step_of(&p.field);
                                    view! {
                                        <li data-field=p.field.clone()>
                                            {p.message}
                                            {(s < 3).then(|| view! {
                                                " " <button type="button" class="text-button" on:click=move |_| go(s)>{format!("去“{}”修改", STEPS[s])}</button>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </div>
                    })
                }}
                <Alert message=failure/>
                <p class="note">"提交即表示申请人对所填内容和所交材料的真实性负责。提交后由窗口人员预审，补正材料时会一次性告知。"</p>
                <button type="button" class="button button-primary button-block submit-button"
                    disabled=move || submitting.get() on:click=on_submit>
                    {move || if submitting.get() { "正在提交…" } else { "提交申请" }}
                </button>
            </div>

            <div class="step-nav">
                <button type="button" class="button" hidden=move || step.get() == 0
                    on:click=move |_| go(step.get_untracked().saturating_sub(1))>"上一步"</button>
                <button type="button" class="button button-primary" hidden={move || step.get() >= 3}
                    on:click=next>"下一步"</button>
            </div>
        </section>
    }
}
