//! The four pre-review actions (受理, 容缺受理, 一次性告知, 不予受理), each checked here by the
//! server's own rules before it is sent, and the state every action panel shares.

use super::*;
use crate::components::status::Submit;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pane {
    Accept,
    Deficiency,
    Reject,
    Correction,
}

/// The four actions. Each is checked here with the server's own rules before it is sent.
#[component]
pub(super) fn Actions(case: StaffCase, reload: Callback<()>) -> AnyView {
    let number = StoredValue::new(case.application.case_number.clone().unwrap_or_default());
    let version = case.version;
    let case = StoredValue::new(case);
    let pane = RwSignal::new(None::<Pane>);
    let act = ActionState::new();
    let problems = act.problems;
    // Correction: ticked targets with their reasons.
    let ticked = RwSignal::new(BTreeMap::<String, String>::new());
    let reason = RwSignal::new(String::new());
    let legal_basis = RwSignal::new(String::new());
    let commitment = RwSignal::new(
        case.with_value(|c| c.promised_due_if_accepted_today)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let defective = RwSignal::new(BTreeSet::<String>::new());

    let today = case.with_value(|c| c.today);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(p) = pane.get_untracked() else {
            return;
        };
        let checked = case.with_value(|c| {
            let uploaded: BTreeSet<String> = c
                .application
                .materials
                .iter()
                .map(|m| m.code.clone())
                .collect();
            let due = c.promised_due_if_accepted_today.unwrap_or(today);
            match p {
                Pane::Accept => check_accept(&c.form, &uploaded, &c.application.bring_original)
                    .map(|()| ReviewCommand::Accept(AcceptRequest { version })),
                Pane::Deficiency => {
                    let request = DeficiencyRequest {
                        defective: defective.get_untracked().into_iter().collect(),
                        commitment_date: commitment.get_untracked(),
                    };
                    check_deficiency(
                        &c.form,
                        &uploaded,
                        &c.application.bring_original,
                        &request,
                        c.blacklisted,
                        today,
                        due,
                    )
                    .map(|_| {
                        ReviewCommand::AcceptWithDeficiency(DeficiencyAction {
                            version,
                            defective: request.defective.clone(),
                            commitment_date: request.commitment_date.clone(),
                        })
                    })
                }
                Pane::Reject => {
                    let request = RejectionRequest {
                        reason: reason.get_untracked(),
                        legal_basis: legal_basis.get_untracked(),
                    };
                    check_rejection(&request).map(|_| {
                        ReviewCommand::Reject(RejectAction {
                            version,
                            reason: request.reason.clone(),
                            legal_basis: request.legal_basis.clone(),
                        })
                    })
                }
                Pane::Correction => {
                    let items: Vec<CorrectionItem> = ticked
                        .get_untracked()
                        .into_iter()
                        .map(|(target, reason)| CorrectionItem { target, reason })
                        .collect();
                    check_correction(&c.form, &items, c.changed_in_fix_up.as_ref()).map(|_| {
                        ReviewCommand::RequestCorrection(CorrectionAction { version, items })
                    })
                }
            }
        });
        act.send_checked(number.get_value(), checked);
    };
    let tab = move |p: Pane, label: &'static str| {
        view! {
            <button type="button" class="button" class:button-primary=move || pane.get() == Some(p)
                on:click=move |_| { pane.set(Some(p)); problems.set(vec![]); }>{label}</button>
        }
    };
    let targets = case.with_value(|c| {
        let changed = c.changed_in_fix_up.clone();
        c.form
            .materials
            .iter()
            .map(|m| {
                (
                    format!("materials.{}", m.material.code),
                    format!("材料：{}", m.material.name),
                )
            })
            .chain(
                c.form
                    .fields
                    .iter()
                    .map(|f| (format!("values.{}", f.key), format!("表单：{}", f.label))),
            )
            .filter(|(t, _)| changed.as_ref().is_none_or(|c| c.contains(t)))
            .collect::<Vec<_>>()
    });
    let correction_rows = targets
        .into_iter()
        .map(|(target, label)| {
            let t1 = target.clone();
            let t2 = target.clone();
            let t3 = target.clone();
            let id = format!("fix-{}", target.replace('.', "-"));
            view! {
                <li class="correction-row">
                    <label class="choice-option">
                        <input type="checkbox" name="target" value=target.clone() id=id.clone()
                            prop:checked=move || ticked.read().contains_key(&t1)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                ticked.update(|t| { if on { t.entry(t2.clone()).or_default(); } else { t.remove(&t2); } });
                            }/>
                        <span>{label}</span>
                    </label>
                    {move || ticked.read().contains_key(&t3).then(|| {
                        let t4 = t3.clone();
                        let t5 = t3.clone();
                        view! {
                            <input type="text" class="reason" placeholder="需要补正的原因（必填）" aria-label="原因"
                                prop:value=move || ticked.read().get(&t4).cloned().unwrap_or_default()
                                on:input=move |ev| { let v = event_target_value(&ev); ticked.update(|t| { t.insert(t5.clone(), v); }); }/>
                        }
                    })}
                </li>
            }
        })
        .collect_view();
    let deferrable = case.with_value(|c| {
        c.form
            .materials
            .iter()
            .filter(|m| {
                m.material.deferrable
                    && c.application
                        .materials
                        .iter()
                        .any(|u| u.code == m.material.code)
            })
            .map(|m| (m.material.code.clone(), m.material.name.clone()))
            .collect::<Vec<_>>()
    });
    let defective_rows = deferrable
        .into_iter()
        .map(|(code, name)| {
            let c1 = code.clone();
            view! {
                <label class="choice-option">
                    <input type="checkbox" name="defective" value=code.clone()
                        on:change=move |ev| { let on = event_target_checked(&ev); defective.update(|d| { if on { d.insert(c1.clone()); } else { d.remove(&c1); } }); }/>
                    <span>{format!("{name} 有欠缺，受理后补正")}</span>
                </label>
            }
        })
        .collect_view();
    let due = case.with_value(|c| c.promised_due_if_accepted_today);
    view! {
        <ActionPanel title="预审处理" done="已出具通知书。" act reload>
                <div class="tabs" role="group" aria-label="处理方式">
                    {tab(Pane::Accept, "受理")}
                    {tab(Pane::Deficiency, "容缺受理")}
                    {tab(Pane::Correction, "一次性告知补正")}
                    {tab(Pane::Reject, "不予受理")}
                </div>
                <form on:submit=submit novalidate>
                    <div hidden=move || pane.get() != Some(Pane::Accept)>
                        <p>{format!("受理后出具受理通知书，承诺办结日期为 {}。", due.map(|d| d.to_string()).unwrap_or_else(|| "（工作日历缺年份）".into()))}</p>
                    </div>
                    <div hidden=move || pane.get() != Some(Pane::Deficiency)>
                        <p>"缺少的必需材料均须为办事指南中的可容缺材料。"</p>
                        {defective_rows}
                        <div class="field">
                            <label for="commitment_date">"申请人承诺补交日期（不晚于承诺办结日期）"</label>
                            <Input name="commitment_date" value=commitment id="commitment_date" input_type="date"/>
                        </div>
                    </div>
                    <div hidden=move || pane.get() != Some(Pane::Correction)>
                        <p>"勾选办事指南中需要补齐补正的材料或表单项，并逐项写明原因。告知书一次列明全部问题。"</p>
                        <ul class="correction-list">{correction_rows}</ul>
                    </div>
                    <div hidden=move || pane.get() != Some(Pane::Reject)>
                        <div class="field">
                            <label for="reason">"不予受理的理由"</label>
                            <textarea id="reason" name="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        </div>
                        <div class="field">
                            <label for="legal_basis">"法律依据"</label>
                            <Input name="legal_basis" value=legal_basis id="legal_basis" input_type="text" placeholder="例如：《中华人民共和国行政许可法》第三十二条第一款第（二）项"/>
                        </div>
                    </div>
                    <p class="muted" hidden=move || pane.get().is_some()>"请选择处理方式。"</p>
                    {act.form_end(reload, move || pane.read().is_some(), "确认并出具通知书")}
                </form>
        </ActionPanel>
    }
    .into_any()
}

/// An action panel: its title, then the notice its action issued (`done` says so, with a
/// way to see the case as it is now), or until then `children`: the choice of action and
/// its form.
#[component]
pub(super) fn ActionPanel(
    title: &'static str,
    done: &'static str,
    act: ActionState,
    reload: Callback<()>,
    children: Children,
) -> impl IntoView {
    let issued = act.issued;
    view! {
        <section class="actions-panel no-print">
            <h2>{title}</h2>
            {move || issued.get().map(|n| view! {
                <div class="notice notice-success" role="status">{done}<button type="button" class="link-button" on:click=move |_| reload.run(())>"刷新办件"</button></div>
                <NoticeDocument view=n/>
            })}
            <div hidden=move || issued.read().is_some()>{children()}</div>
        </section>
    }
}

/// What an action panel shows while and after it sends: the problems found (here or by the
/// server), a message (with a reload offer when the case changed), the notice issued.
#[derive(Clone, Copy)]
pub(super) struct ActionState {
    pub(super) problems: RwSignal<Vec<FieldProblem>>,
    pub(super) message: RwSignal<Option<(String, bool)>>,
    pub(super) issued: RwSignal<Option<crate::api::review::NoticeView>>,
    pub(super) busy: RwSignal<bool>,
}

impl ActionState {
    pub(super) fn new() -> Self {
        ActionState {
            problems: RwSignal::new(vec![]),
            message: RwSignal::new(None),
            issued: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// Shows what the browser's check found, or sends the action (the server checks again).
    pub(super) fn send_checked(
        self,
        number: String,
        checked: Result<ReviewCommand, Vec<FieldProblem>>,
    ) {
        match checked {
            Ok(command) => {
                self.problems.set(vec![]);
                self.send(number, command);
            }
            Err(p) => self.problems.set(p),
        }
    }

    pub(super) fn send(self, number: String, command: ReviewCommand) {
        self.busy.set(true);
        self.message.set(None);
        spawn_local(async move {
            match review_act(number, command).await {
                Ok(n) => {
                    self.problems.set(vec![]);
                    self.issued.set(Some(n));
                }
                Err(e) if !e.problems.is_empty() => self.problems.set(e.into_problems()),
                Err(e) => {
                    let changed = e.code == ErrorCode::CaseChanged;
                    self.message.set(Some((e.into_message(), changed)))
                }
            }
            self.busy.set(false);
        });
    }

    /// The end of the form: the problems and the message, then the submit button once an
    /// action is `chosen`.
    pub(super) fn form_end(
        self,
        reload: Callback<()>,
        chosen: impl Fn() -> bool + Send + Sync + 'static,
        label: &'static str,
    ) -> impl IntoView {
        let (problems, message, busy) = (self.problems, self.message, self.busy);
        view! {
            {move || (!problems.read().is_empty()).then(|| view! {
                <ul class="notice notice-error problems" role="alert">
                    {problems.get().into_iter().map(|p| view! { <li data-code=p.code.clone()>{p.message}</li> }).collect_view()}
                </ul>
            })}
            {move || message.get().map(|(m, changed)| view! {
                <div class="notice notice-error" role="alert">{m}
                    {changed.then(|| view! { " " <button type="button" class="link-button" on:click=move |_| reload.run(())>"刷新"</button> })}
                </div>
            })}
            <Show when=chosen>
                <Submit busy label working="正在提交…"/>
            </Show>
        }
    }
}
