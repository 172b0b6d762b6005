//! `/applications/:number`: the application form of a draft, in four steps (applicant → the
//! item's form → materials → review and submit), or the receipt once it is submitted.
//!
//! The form is generated from the catalog, and every verdict in it comes from
//! `domain::apply::check_submission`, the function the server runs on submit (wasm here,
//! native there). Every change is kept in this browser at once and saved to the server shortly
//! after, so a lost connection loses nothing and a draft can be resumed on another device.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::api::applications::{
    ApplicationView, UploadedMaterial, delete_material, load_application, save_draft,
    submit_application,
};
use crate::clock::{china_time, today_in_china};
use crate::components::auth::Auth;
use crate::components::form_field::CatalogField;
use crate::components::receipt::{Receipt, human_size};
use crate::components::status::{LoadFailed, Loading};
use crate::domain::account::FieldProblem;
use crate::domain::apply::{
    ApplicantForm, ApplicantKind, ApplicationForm, DraftContent, MaterialState, applicant_fields,
    check_submission, material_state, original_allowed,
};
use crate::domain::bundle::BundleMaterial;
use crate::error::ErrorCode;

const STEPS: [&str; 4] = ["申请人", "填写表单", "上传材料", "核对提交"];

/// The page: the form of a draft, or the receipt of a submitted case.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let data = Resource::new(number, load_application);
    let reload = Callback::new(move |()| data.refetch());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some((app, form))) if app.is_draft() => view! { <ApplyForm app form on_submitted=reload/> }.into_any(),
                    Ok(Some((app, form))) if !app.open_correction().is_empty() => view! { <FixUp app form on_done=reload/> }.into_any(),
                    Ok(Some((app, form))) => view! { <Receipt app form/> }.into_any(),
                    Ok(None) => view! { <NotYours/> }.into_any(),
                    Err(e) => view! { <LoadFailed error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NotYours() -> impl IntoView {
    view! {
        <Title text="没有这个办件"/>
        <section class="empty">
            <h1>"没有找到这个办件"</h1>
            <p>"办件只对申请人本人可见。请确认已用申请时的账号登录，或到“我的办件”中查找。"</p>
            <p><a class="button" href="/login">"登录"</a> " " <a class="button" href="/my">"我的办件"</a></p>
        </section>
    }
}

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
fn ApplyForm(
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
    let uploads = RwSignal::new(
        app.materials
            .iter()
            .map(|m| (m.code.clone(), m.clone()))
            .collect::<BTreeMap<_, _>>(),
    );
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
                    Ok(updated_at) => {
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
                Err(e) if e.is_failure() => failure.set(Some(e.message)),
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
                {move || kind.get().map(|k| applicant_fields(k).into_iter().map(|field| {
                    let key = field.key.clone();
                    let path = format!("applicant.{key}");
                    let k2 = key.clone();
                    view! {
                        <CatalogField field path=path.clone()
                            value=Signal::derive(move || applicant_values.read().get(&key).cloned().unwrap_or_default())
                            on_input=Callback::new(move |v: String| applicant_values.update(|m| { m.insert(k2.clone(), v); }))
                            error=error_for(path.clone()) on_blur=touch(path)/>
                    }
                }).collect_view())}
                {move || matches!(kind.get(), Some(ApplicantKind::Person | ApplicantKind::Company)).then(|| view! {
                    <p class="note">"代他人或单位申请时，请在“上传材料”中一并提交授权委托书（如有该项）。"</p>
                })}
            </div>

            <div class="step-panel" hidden=move || step.get() != 1>
                <h2>"填写表单"</h2>
                {form.with_value(|f| f.fields.clone()).into_iter().map(|field| {
                    let key = field.key.clone();
                    let path = format!("values.{key}");
                    let k2 = key.clone();
                    view! {
                        <CatalogField field path=path.clone()
                            value=Signal::derive(move || values.read().get(&key).cloned().unwrap_or_default())
                            on_input=Callback::new(move |v: String| values.update(|m| { m.insert(k2.clone(), v); }))
                            error=error_for(path.clone()) on_blur=touch(path)/>
                    }
                }).collect_view()}
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
                {move || failure.get().map(|m| view! { <div class="notice notice-error" role="alert">{m}</div> })}
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

/// What the applicant is about to submit, to check before submitting.
#[component]
fn Review(
    form: StoredValue<ApplicationForm>,
    content: Memo<DraftContent>,
    uploads: RwSignal<BTreeMap<String, UploadedMaterial>>,
) -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <dl class="facts review">
            <dt>"办理事项"</dt>
            <dd>{form.with_value(|f| f.guides.iter().map(|g| format!("{}（{}）", g.name, g.department_name)).collect::<Vec<_>>().join("；"))}</dd>
            <dt>"申请人"</dt>
            <dd>{move || {
                let c = content.read();
                match c.applicant.kind {
                    None => "（未选择）".to_string(),
                    Some(ApplicantKind::Myself) => format!("本人申请 · 联系电话 {}", c.applicant.values.get("contact_mobile").cloned().unwrap_or_default()),
                    Some(k) => {
                        let fields = applicant_fields(k);
                        let parts: Vec<String> = fields.iter().map(|f| format!("{}：{}", f.label, as_received(f, c.applicant.values.get(&f.key)))).collect();
                        format!("{} · {}", k.label(), parts.join("，"))
                    }
                }
            }}
            {move || (content.read().applicant.kind == Some(ApplicantKind::Myself)).then(|| view! {
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        auth.account.await.ok().flatten().map(|a| format!("（{}）", a.name))
                    })}
                </Transition>
            })}
            </dd>
            {form.with_value(|f| f.fields.clone()).into_iter().map(|field| {
                let key = field.key.clone();
                view! {
                    <dt>{field.label.clone()}</dt>
                    <dd>{move || {
                        let v = as_received(&field, content.read().values.get(&key));
                        if v.trim().is_empty() { "（未填写）".to_string() } else { format!("{v}{}", field.unit.clone().unwrap_or_default()) }
                    }}</dd>
                }
            }).collect_view()}
            <dt>"申请材料"</dt>
            <dd>
                <ul class="plain-list">
                    {form.with_value(|f| f.materials.clone()).into_iter().map(|m| {
                        let code = m.material.code.clone();
                        view! {
                            <li>{m.material.name.clone()} " · " {move || {
                                let uploaded: BTreeSet<String> = uploads.read().keys().cloned().collect();
                                let state = material_state(&m, &uploaded, &content.read().bring_original);
                                match state {
                                    MaterialState::Uploaded => uploads.read().get(&code).map(|u| format!("已上传 {}", u.file_name)).unwrap_or_default(),
                                    MaterialState::BringOriginal => "原件带到窗口提交".to_string(),
                                    MaterialState::Deferred => "容缺，受理后补交".to_string(),
                                    MaterialState::NotNeeded => "未提交（非必需）".to_string(),
                                    MaterialState::Missing => "未上传".to_string(),
                                }
                            }}</li>
                        }
                    }).collect_view()}
                </ul>
            </dd>
        </dl>
    }
}

/// One material of the guide: what is asked, the current upload, a file picker with a
/// progress bar, and "bring the original" where the guide asks for an original.
#[component]
pub(crate) fn MaterialSlot(
    number: String,
    material: BundleMaterial,
    uploads: RwSignal<BTreeMap<String, UploadedMaterial>>,
    bring_original: RwSignal<BTreeSet<String>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let m = material.material.clone();
    let code = m.code.clone();
    let input_id = format!("file-{code}");
    let progress = RwSignal::new(None::<f64>);
    let slot_error = RwSignal::new(None::<String>);
    let accept = m
        .file_types
        .iter()
        .map(|t| t.accept())
        .collect::<Vec<_>>()
        .join(",");
    let types = m
        .file_types
        .iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join("、");
    let url = format!("/api/v1/applications/{number}/materials/{code}");
    let current = {
        let code = code.clone();
        Signal::derive(move || uploads.read().get(&code).cloned())
    };
    let on_file = {
        let material = m.clone();
        let url = url.clone();
        move |ev: leptos::ev::Event| {
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                let Some(input) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                else {
                    return;
                };
                let Some(file) = input.files().and_then(|list| list.get(0)) else {
                    return;
                };
                input.set_value("");
                let material = material.clone();
                let url = url.clone();
                slot_error.set(None);
                spawn_local(async move {
                    let head = match crate::upload_client::read_head(&file).await {
                        Ok(head) => head,
                        Err(message) => {
                            slot_error.set(Some(message));
                            return;
                        }
                    };
                    // The server's own check, before a byte is sent.
                    if let Err(e) =
                        crate::domain::upload::check_upload(&material, file.size() as u64, &head)
                    {
                        slot_error.set(Some(e.message(&material.name)));
                        return;
                    }
                    progress.set(Some(0.0));
                    let (status, body) =
                        crate::upload_client::put_file(&url, &file, move |p| progress.set(Some(p)))
                            .await;
                    progress.set(None);
                    match status {
                        200 => match serde_json::from_str::<UploadedMaterial>(&body) {
                            Ok(done) => uploads.update(|u| {
                                u.insert(done.code.clone(), done);
                            }),
                            Err(_) => {
                                slot_error.set(Some("上传结果无法识别，请刷新页面查看".into()))
                            }
                        },
                        0 => slot_error.set(Some("网络中断，文件没有上传完整，请重新上传".into())),
                        _ => {
                            let detail = serde_json::from_str::<serde_json::Value>(&body)
                                .ok()
                                .and_then(|v| v["detail"].as_str().map(str::to_owned))
                                .unwrap_or_else(|| format!("上传失败（{status}），请重试"));
                            slot_error.set(Some(detail));
                        }
                    }
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (ev, &material, &url);
        }
    };
    let on_delete = {
        let code = code.clone();
        let number = number.clone();
        move |_| {
            let code = code.clone();
            let number = number.clone();
            spawn_local(async move {
                match delete_material(number, code.clone()).await {
                    Ok(()) => uploads.update(|u| {
                        u.remove(&code);
                    }),
                    Err(e) => slot_error.set(Some(e.message)),
                }
            });
        }
    };
    let badge = match (m.required, m.deferrable) {
        (true, false) => view! { <span class="badge badge-red">"必需"</span> }.into_any(),
        (true, true) => view! { <span class="badge badge-amber">"必需 · 可容缺"</span> }.into_any(),
        (false, _) => view! { <span class="badge">"非必需"</span> }.into_any(),
    };
    let original = original_allowed(&material).then(|| {
        let code = code.clone();
        let code2 = code.clone();
        view! {
            <label class="choice-option original">
                <input type="checkbox" name=format!("original-{code}")
                    prop:checked=move || bring_original.read().contains(&code)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        bring_original.update(|b| { if on { b.insert(code2.clone()); } else { b.remove(&code2); } });
                    }/>
                <span>"不在网上上传，原件带到窗口提交"</span>
            </label>
        }
    });
    view! {
        <li class="material-slot" class:has-error=move || error.get().is_some() || slot_error.get().is_some()
            data-material=code.clone()>
            <div class="material-head">
                <strong class="material-name">{m.name.clone()}</strong>
                {badge}
            </div>
            <p class="material-spec">
                {format!("{} · {} 份 · {} · {} 格式，不超过 {} MB", m.form.label(), m.quantity, m.specification, types, m.max_size_mb)}
            </p>
            {m.notes.clone().map(|n| view! { <p class="note">{n}</p> })}
            {m.template_url.clone().map(|u| view! { <p><a href=u>"下载空白表格或样表"</a></p> })}
            {move || current.get().map(|u| view! {
                <p class="uploaded">
                    <span class="badge badge-green">"已上传"</span> " "
                    <a href=format!("{url}") download>{u.file_name.clone()}</a>
                    <span class="note">{format!("{} · {}", human_size(u.size), u.file_type.label())}</span>
                </p>
            })}
            {move || progress.get().map(|p| {
                let percent = (p * 100.0).round() as u32;
                view! {
                    <div class="upload-progress">
                        <progress max="100" value=percent aria-label=format!("{} 上传进度", m.name)></progress>
                        <span>{format!("正在上传 {percent}%")}</span>
                    </div>
                }
            })}
            <div class="material-actions">
                <label class="button file-button" for=input_id.clone()>
                    {move || if current.read().is_some() { "重新上传" } else { "选择文件" }}
                </label>
                <input id=input_id class="visually-hidden file-input" type="file" accept=accept
                    aria-label=format!("选择“{}”的文件", material.material.name) on:change=on_file/>
                {move || current.read().is_some().then(|| view! {
                    <button type="button" class="button" on:click=on_delete.clone()>"删除"</button>
                })}
            </div>
            {original}
            <p class="field-error" role="alert">{move || slot_error.get().or_else(|| error.get())}</p>
        </li>
    }
}

/// A value as the server will record it (trimmed, identity numbers in upper case, …): the
/// normal form from the same check, or the raw text while it is still wrong.
fn as_received(field: &crate::domain::catalog::FormField, raw: Option<&String>) -> String {
    let raw = raw.map(String::as_str).unwrap_or_default();
    match crate::domain::form::check_value(field, raw, today_in_china()) {
        Ok(Some(normal)) => normal,
        _ => raw.to_string(),
    }
}

/// 网上补齐补正: the open notice exactly as issued, and only what it names, editable with the
/// same checks as the form; then the case goes back to the window.
#[component]
fn FixUp(app: ApplicationView, form: ApplicationForm, on_done: Callback<()>) -> AnyView {
    use crate::api::applications::resubmit_application;
    use crate::components::notice::NoticeDocument;
    use crate::domain::review::{CaseSnapshot, changed_targets, check_fix_up};

    let lines = app.open_correction();
    let notice = app
        .notices
        .iter()
        .rev()
        .find(|n| n.notice.kind == crate::domain::review::NoticeKind::Correction)
        .cloned();
    let number = StoredValue::new(app.number.clone());
    let version = app.version;
    let form = StoredValue::new(form);
    let before = StoredValue::new(CaseSnapshot {
        values: app.values.clone(),
        materials: app
            .materials
            .iter()
            .map(|m| (m.code.clone(), m.sha256.clone()))
            .collect(),
    });
    let content = StoredValue::new(app.content());
    let values = RwSignal::new(app.values.clone());
    let uploads = RwSignal::new(
        app.materials
            .iter()
            .map(|m| (m.code.clone(), m.clone()))
            .collect::<BTreeMap<_, _>>(),
    );
    let bring_original = RwSignal::new(app.bring_original.clone());
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let busy = RwSignal::new(false);
    let lines_sv = StoredValue::new(lines.clone());
    let after = move || CaseSnapshot {
        values: values.get_untracked(),
        materials: uploads
            .read_untracked()
            .iter()
            .map(|(c, m)| (c.clone(), m.sha256.clone()))
            .collect(),
    };
    let error_for = move |target: String| {
        Signal::derive(move || {
            problems
                .read()
                .iter()
                .find(|p| p.field == target)
                .map(|p| p.message.clone())
        })
    };
    let save = move || {
        let mut c = content.get_value();
        c.values = values.get_untracked();
        async move { save_draft(number.get_value(), c).await }
    };
    let resubmit = move |_| {
        // The same verdict as the server's: every line answered, nothing else wrong.
        let changed = before.with_value(|b| changed_targets(b, &after()));
        let mut found = lines_sv.with_value(|l| check_fix_up(l, &changed));
        let mut c = content.get_value();
        c.values = values.get_untracked();
        let uploaded: BTreeSet<String> = uploads.read_untracked().keys().cloned().collect();
        found.extend(form.with_value(|f| check_submission(f, &c, &uploaded, today_in_china())));
        problems.set(found.clone());
        if !found.is_empty() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let outcome = match save().await {
                Ok(_) => resubmit_application(number.get_value(), version).await,
                Err(e) => Err(e),
            };
            match outcome {
                Ok(_) => on_done.run(()),
                Err(e) => problems.set(e.into_problems()),
            }
            busy.set(false);
        });
    };
    let rows = lines
        .into_iter()
        .map(|line| {
            if let Some(code) = line.target.strip_prefix("materials.") {
                let material = form.with_value(|f| {
                    f.materials.iter().find(|m| m.material.code == code).cloned()
                });
                material
                    .map(|material| {
                        view! {
                            <MaterialSlot number=number.get_value() material uploads bring_original
                                error=error_for(line.target.clone())/>
                        }
                        .into_any()
                    })
                    .unwrap_or_else(|| ().into_any())
            } else if let Some(key) = line.target.strip_prefix("values.") {
                let field = form.with_value(|f| f.fields.iter().find(|x| x.key == key).cloned());
                let key = key.to_string();
                let k2 = key.clone();
                field
                    .map(|field| {
                        view! {
                            <li class="fix-up-field">
                                <CatalogField field path=line.target.clone()
                                    value=Signal::derive(move || values.read().get(&key).cloned().unwrap_or_default())
                                    on_input=Callback::new(move |v: String| values.update(|m| { m.insert(k2.clone(), v); }))
                                    error=error_for(line.target.clone()) on_blur=Callback::new(|()| ())/>
                            </li>
                        }
                        .into_any()
                    })
                    .unwrap_or_else(|| ().into_any())
            } else {
                ().into_any()
            }
        })
        .collect_view();
    view! {
        <Title text=format!("补齐补正 {}", app.case_number.clone().unwrap_or_default())/>
        <nav class="breadcrumb no-print" aria-label="位置"><a href="/my">"我的办件"</a> " / 补齐补正"</nav>
        <h1>"补齐补正"</h1>
        <p class="notice">"窗口已一次性告知需要补齐补正的内容。只需修改下列各项，其余内容保持不变；修改后重新提交，窗口将重新预审。"</p>
        {notice.map(|n| view! { <details class="fix-up-notice" open><summary>"查看告知书"</summary><NoticeDocument view=n/></details> })}
        <ul class="material-slots fix-up">{rows}</ul>
        {move || (!problems.read().is_empty()).then(|| view! {
            <ul class="notice notice-error problems" role="alert">
                {problems.get().into_iter().map(|p| view! { <li data-field=p.field.clone()>{p.message}</li> }).collect_view()}
            </ul>
        })}
        <p><button type="button" class="button button-primary" on:click=resubmit disabled=move || busy.get()>
            {move || if busy.get() { "正在提交…" } else { "重新提交" }}
        </button></p>
    }
    .into_any()
}
