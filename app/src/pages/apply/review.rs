//! The last step: what will be submitted, as the server will record it.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;

use crate::api::applications::UploadedMaterial;
use crate::clock::today_in_china;
use crate::components::auth::Auth;
use crate::domain::apply::{
    ApplicantKind, ApplicationForm, DraftContent, MaterialState, applicant_fields, material_state,
};

/// What the applicant is about to submit, to check before submitting.
#[component]
pub(super) fn Review(
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
                        let v = crate::domain::form::shown(&field, &as_received(&field, content.read().values.get(&key)));
                        if v.is_empty() { "（未填写）".to_string() } else { v }
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

/// A value as the server will record it (trimmed, identity numbers in upper case, …): the
/// normal form from the same check, or the raw text while it is still wrong.
pub(super) fn as_received(
    field: &crate::domain::catalog::FormField,
    raw: Option<&String>,
) -> String {
    let raw = raw.map(String::as_str).unwrap_or_default();
    match crate::domain::form::check_value(field, raw, today_in_china()) {
        Ok(Some(normal)) => normal,
        _ => raw.to_string(),
    }
}
