//! 网上补齐补正: the correction notice as issued, only what it names editable.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::material::MaterialSlot;
use crate::api::applications::{ApplicationView, save_draft};
use crate::clock::today_in_china;
use crate::components::form_field::CatalogField;
use crate::domain::account::FieldProblem;
use crate::domain::apply::{ApplicationForm, check_submission};

/// 网上补齐补正: the open notice exactly as issued, and only what it names, editable with the
/// same checks as the form; then the case goes back to the window.
#[component]
pub(super) fn FixUp(app: ApplicationView, form: ApplicationForm, on_done: Callback<()>) -> AnyView {
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
    let uploads = RwSignal::new(app.uploads());
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
                // Saving moved the version on (as every upload did): resubmit what was saved.
                Ok(saved) => resubmit_application(number.get_value(), saved.version).await,
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
