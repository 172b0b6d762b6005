//! One material slot: the guide's requirement, the upload with its progress, the original
//! to bring.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::applications::{UploadedMaterial, delete_material};
use crate::components::receipt::human_size;
use crate::domain::apply::original_allowed;
use crate::domain::bundle::BundleMaterial;
use crate::domain::catalog::FileType;

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
    let accept = FileType::accept_all(&m.file_types);
    let types = FileType::labels(&m.file_types, "、");
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
                let Some(file) = crate::upload_client::chosen_file(&ev) else {
                    return;
                };
                let material = material.clone();
                let url = url.clone();
                slot_error.set(None);
                spawn_local(async move {
                    progress.set(Some(0.0));
                    let result = crate::upload_client::upload(&url, &file, &material, move |p| {
                        progress.set(Some(p))
                    })
                    .await;
                    progress.set(None);
                    match result {
                        Ok(done) => uploads.update(|u| {
                            u.insert(done.code.clone(), done);
                        }),
                        Err(message) => slot_error.set(Some(message)),
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
                    Err(e) => slot_error.set(Some(e.into_message())),
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
