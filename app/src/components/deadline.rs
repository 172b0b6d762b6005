//! Deadlines as everyone sees them: the same clock, from the same engine, on the tracking
//! page, the workbench and the supervision board.

use leptos::prelude::*;

use crate::domain::deadline::{Clock, Deadlines};

/// One clock: its name, what it says in plain Chinese, coloured by time left.
#[component]
pub fn ClockLine(clock: Clock) -> impl IntoView {
    let band = clock.band();
    view! {
        <p class=format!("clock clock-{}", if clock.open() { band.as_str() } else { "done" })
            data-deadline=clock.kind.as_str()
            data-days-left=clock.days_left.map(|d| d.to_string()).unwrap_or_default()
            data-due=clock.due.map(|d| d.to_string()).unwrap_or_default()>
            <strong>{clock.kind.label()}</strong>" "{clock.summary()}
        </p>
    }
}

/// Every clock of a case, the current one first.
#[component]
pub fn DeadlineFacts(deadlines: Deadlines) -> impl IntoView {
    let current = deadlines.current().cloned();
    let others: Vec<Clock> = [
        deadlines.acceptance.clone(),
        deadlines.decision.clone(),
        deadlines.delivery.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|c| Some(c.kind) != current.as_ref().map(|c| c.kind))
    .collect();
    view! {
        <div class="deadlines">
            {current.map(|clock| view! { <ClockLine clock/> })}
            {others.into_iter().map(|clock| view! { <ClockLine clock/> }).collect_view()}
            {deadlines.extension_days.map(|d| view! { <p class="muted">{format!("已延长办理期限 {d} 个工作日")}</p> })}
        </div>
    }
}
