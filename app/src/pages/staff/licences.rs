//! The electronic licences of a case on the workbench, and 注销 / 撤销 by the chief
//! representative of the issuing department (the server refuses anyone else).

use super::tasks::refusal;
use super::*;
use crate::api::licence::{RevokeAction, revoke_licence};
use crate::components::status::Alert;
use crate::domain::licence::RevocationKind;
use crate::pages::verify::LicenceCard;

/// The case's licences.
#[component]
pub(super) fn LicencePanel(case: StaffCase, reload: Callback<()>) -> impl IntoView {
    let chief = case.viewer.role.decides();
    let department = case.viewer.department_name.clone();
    view! {
        <section class="licences" data-licences="">
            <h2>"电子证照"</h2>
            {case.licences.into_iter().map(|l| {
                let number = StoredValue::new(l.number.clone());
                let open = l.revocation.is_none() && chief && l.department_name == department;
                let kind = RwSignal::new(RevocationKind::Cancelled);
                let reason = RwSignal::new(String::new());
                let message = RwSignal::new(None::<String>);
                let submit = move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    let r = reason.get_untracked();
                    if r.trim().chars().count() < 2 {
                        message.set(Some(format!("请填写{}的理由（2–500 字）", kind.get_untracked().label())));
                        return;
                    }
                    let action = RevokeAction { kind: kind.get_untracked(), reason: r };
                    spawn_local(async move {
                        match revoke_licence(number.get_value(), action).await {
                            Ok(_) => reload.run(()),
                            Err(e) => message.set(Some(refusal(&e))),
                        }
                    });
                };
                view! {
                    <LicenceCard licence=l/>
                    {open.then(|| view! {
                        <form class="decision" data-revoke="" on:submit=submit>
                            <fieldset class="choice">
                                <legend>"注销或撤销证照"</legend>
                                {RevocationKind::ALL.into_iter().map(|k| view! {
                                    <label class="choice-option">
                                        <input type="radio" name="revoke-kind" value=k.as_str()
                                            prop:checked=move || kind.get() == k on:change=move |_| kind.set(k)/>
                                        <span>{k.label()}</span>
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <label>"理由"<Input name="reason" value=reason/></label>
                            <Alert message=message/>
                            <button type="submit" class="button">"确认"</button>
                        </form>
                    })}
                }
            }).collect_view()}
        </section>
    }
}
