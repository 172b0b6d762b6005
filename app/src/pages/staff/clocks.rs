//! The clock of an accepted case: special procedures and the one extension.

use super::actions::{ActionPanel, ActionState};
use super::*;

/// Which clock action is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ClockPane {
    Suspend,
    Resume,
    Extend,
}

/// The clock of an accepted case: start or end a special procedure, record the one
/// extension. Checked here by the server's own rules before anything is sent.
#[component]
pub(super) fn ClockActions(case: StaffCase, reload: Callback<()>) -> AnyView {
    use crate::api::review::{ExtendAction, ResumeAction, SuspendAction};
    use crate::domain::date::Date;
    use crate::domain::deadline::{
        ExtensionRequest, ResumeRequest, SpecialProcedure, SuspendRequest, check_extension,
        check_resume, check_suspend,
    };
    let number = StoredValue::new(case.application.case_number.clone().unwrap_or_default());
    let version = case.version;
    let today = case.today;
    let deadlines = StoredValue::new(case.deadlines.clone().unwrap_or_default());
    let paused = case.application.status == CaseStatus::Suspended;
    let extended = deadlines.with_value(|d| d.extension_days.is_some());
    // The extension is the receiving department's; a reviewer holding a task only pauses.
    let may_extend = case.may_act;
    let pane = RwSignal::new(None::<ClockPane>);
    let act = ActionState::new();
    let problems = act.problems;
    let procedure = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let day = RwSignal::new(today.to_string());
    let approver = RwSignal::new(String::new());
    let correction = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = pane.get_untracked() else {
            return;
        };
        let checked = deadlines.with_value(|d| match p {
            ClockPane::Suspend => {
                let r = SuspendRequest {
                    procedure: procedure.get_untracked(),
                    reason: reason.get_untracked(),
                    start: day.get_untracked(),
                    correction: correction.get_untracked(),
                };
                check_suspend(d, &r, today).map(|_| {
                    ReviewCommand::Suspend(SuspendAction {
                        version,
                        procedure: r.procedure.clone(),
                        reason: r.reason.clone(),
                        start: r.start.clone(),
                        correction: r.correction.clone(),
                    })
                })
            }
            ClockPane::Resume => {
                let r = ResumeRequest {
                    end: day.get_untracked(),
                    note: reason.get_untracked(),
                };
                check_resume(d, &r, today).map(|_| {
                    ReviewCommand::Resume(ResumeAction {
                        version,
                        end: r.end.clone(),
                        note: r.note.clone(),
                    })
                })
            }
            ClockPane::Extend => {
                let r = ExtensionRequest {
                    approver: approver.get_untracked(),
                    reason: reason.get_untracked(),
                };
                check_extension(d, &r).map(|_| {
                    ReviewCommand::Extend(ExtendAction {
                        version,
                        approver: r.approver.clone(),
                        reason: r.reason.clone(),
                    })
                })
            }
        });
        act.send_checked(number.get_value(), checked);
    };
    let tab = move |p: ClockPane, label: &'static str| {
        view! {
            <button type="button" class="button" class:button-primary=move || pane.get() == Some(p)
                on:click=move |_| { pane.set(Some(p)); problems.set(vec![]); }>{label}</button>
        }
    };
    let extension_days = case.extension_days_allowed.unwrap_or_default();
    view! {
        <ActionPanel title="办理期限" done="已出具告知书，申请人将收到通知。" act reload>
                <div class="tabs" role="group" aria-label="期限处理">
                    {(!paused).then(|| tab(ClockPane::Suspend, "启动特别程序"))}
                    {paused.then(|| tab(ClockPane::Resume, "特别程序结束"))}
                    {(!paused && !extended && may_extend).then(|| tab(ClockPane::Extend, "延长办理期限"))}
                </div>
                <form on:submit=submit novalidate>
                    <div hidden=move || pane.get() != Some(ClockPane::Suspend)>
                        <div class="field">
                            <label for="procedure">"特别程序"</label>
                            <select id="procedure" name="procedure" on:change=move |ev| procedure.set(event_target_value(&ev))>
                                <option value="">"请选择"</option>
                                {SpecialProcedure::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{p.label()}</option> }).collect_view()}
                            </select>
                        </div>
                    </div>
                    <div hidden=move || pane.get().is_none() || pane.get() == Some(ClockPane::Extend)>
                        <div class="field">
                            <label for="clock_day">{move || if pane.get() == Some(ClockPane::Resume) { "结束日期" } else { "开始日期" }}</label>
                            <Input name="clock_day" value=day id="clock_day" input_type="date"/>
                        </div>
                    </div>
                    <div hidden=move || pane.get() != Some(ClockPane::Extend)>
                        <p>{format!("依《行政许可法》第四十二条，经本机关负责人批准，可延长一次，{extension_days} 个工作日。")}</p>
                        <div class="field">
                            <label for="approver">"批准人"</label>
                            <Input name="approver" value=approver id="approver" input_type="text"/>
                        </div>
                    </div>
                    <div hidden=move || pane.get().is_none()>
                        <div class="field">
                            <label for="clock_reason">{move || match pane.get() { Some(ClockPane::Resume) => "说明（可不填）", Some(ClockPane::Extend) => "延期理由", _ => "原因" }}</label>
                            <textarea id="clock_reason" name="clock_reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        </div>
                    </div>
                    <div hidden=move || pane.get() != Some(ClockPane::Suspend) || Date::parse_iso(&day.read()).is_none_or(|d| d >= today)>
                        <div class="field">
                            <label for="clock_correction">"更正说明（办结期限已过时补录须填写：为何补录、批准人）"</label>
                            <textarea id="clock_correction" name="clock_correction" prop:value=move || correction.get() on:input=move |ev| correction.set(event_target_value(&ev))></textarea>
                        </div>
                    </div>
                    {act.form_end(reload, move || pane.read().is_some(), "确认并书面告知申请人")}
                </form>
        </ActionPanel>
    }
    .into_any()
}
