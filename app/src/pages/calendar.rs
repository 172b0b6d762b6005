//! `/staff/calendar`: the holiday arrangement per year (节假日安排), kept by administrators.
//! Every deadline counts working days from it; a year missing here is an error shown to
//! staff, never a guess. Checked in the browser by the server's own rule before saving.

use leptos::prelude::*;

use crate::resource::resource;
use leptos::task::spawn_local;
use leptos_meta::Title;

use crate::api::calendar::{CalendarYearView, calendar_years, save_calendar_year};
use crate::components::status::Loaded;
use crate::domain::account::FieldProblem;
use crate::domain::calendar::{ArrangementForm, check_arrangement};

fn dates(days: &[crate::domain::date::Date]) -> String {
    days.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The page.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let years = resource(|| (), |_| calendar_years());
    let form = RwSignal::new(ArrangementForm {
        year: crate::clock::today_in_china().year() + 1,
        ..Default::default()
    });
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let edit = move |y: CalendarYearView| {
        form.set(ArrangementForm {
            year: y.year,
            source: y.source,
            days_off: dates(&y.days_off),
            extra_working_days: dates(&y.extra_working_days),
        });
        problems.set(vec![]);
        saved.set(None);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = form.get_untracked();
        saved.set(None);
        if let Err(p) = check_arrangement(&f) {
            problems.set(p);
            return;
        }
        problems.set(vec![]);
        busy.set(true);
        spawn_local(async move {
            match save_calendar_year(f).await {
                Ok(y) => {
                    saved.set(Some(format!(
                        "已保存 {} 年：放假 {} 天，调休上班 {} 天",
                        y.year,
                        y.days_off.len(),
                        y.extra_working_days.len()
                    )));
                    years.refetch();
                }
                Err(e) => problems.set(e.into_problems()),
            }
            busy.set(false);
        });
    };
    let field = move |name: &'static str| {
        move || {
            problems
                .read()
                .iter()
                .filter(|p| p.field == name)
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join("；")
        }
    };
    view! {
        <Title text="节假日安排"/>
        <nav class="breadcrumb" aria-label="位置"><a href="/staff">"预审工作台"</a> " / 节假日安排"</nav>
        <h1>"节假日安排"</h1>
        <p class="muted">"办理期限按工作日计算：周末和法定节假日不计，调休上班日计入。每年国务院办公厅发布安排后，由系统管理员在此录入；未录入的年份不能计算期限。"</p>
        <Loaded data=years show=move |list| view! {
            <ul class="calendar-years">
                {list.into_iter().map(|y| {
                    let label = format!("{} 年：放假 {} 天，调休上班 {} 天", y.year, y.days_off.len(), y.extra_working_days.len());
                    let source = y.source.clone();
                    let year = y.year;
                    view! {
                        <li data-year=year>
                            <strong>{label}</strong>
                            <br/><span class="muted">{source}</span>
                            " " <button type="button" class="link-button" on:click=move |_| edit(y.clone())>"修改"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }/>
        <form class="calendar-form" on:submit=submit novalidate>
            <h2>"录入或修改一年的安排"</h2>
            <div class="field">
                <label for="cal-year">"年份"</label>
                <input id="cal-year" type="number" min="2000" max="2100" prop:value=move || form.read().year.to_string()
                    on:input=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0); form.update(|f| f.year = v); }/>
                <p class="field-error" role="alert">{field("year")}</p>
            </div>
            <div class="field">
                <label for="cal-source">"依据"</label>
                <input id="cal-source" type="text" placeholder="国务院办公厅关于 2027 年部分节假日安排的通知" prop:value=move || form.read().source.clone()
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.source = v); }/>
                <p class="field-error" role="alert">{field("source")}</p>
            </div>
            <div class="field">
                <label for="cal-off">"放假日期（含因调休放假的工作日）"</label>
                <textarea id="cal-off" rows="6" placeholder="每行一个日期或区间，如 2027-02-06~2027-02-12" prop:value=move || form.read().days_off.clone()
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.days_off = v); }></textarea>
                <p class="field-error" role="alert">{field("days_off")}</p>
            </div>
            <div class="field">
                <label for="cal-work">"调休上班日（周六或周日）"</label>
                <textarea id="cal-work" rows="3" placeholder="如 2027-02-14" prop:value=move || form.read().extra_working_days.clone()
                    on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.extra_working_days = v); }></textarea>
                <p class="field-error" role="alert">{field("extra_working_days")}</p>
            </div>
            {move || problems.read().iter().any(|p| p.field == "staff" || p.field.is_empty()).then(|| view! {
                <div class="notice notice-error" role="alert">
                    {problems.get().into_iter().filter(|p| p.field == "staff" || p.field.is_empty()).map(|p| p.message).collect::<Vec<_>>().join("；")}
                </div>
            })}
            {move || saved.get().map(|m| view! { <div class="notice notice-success" role="status">{m}</div> })}
            <button type="submit" class="button button-primary" disabled=move || busy.get()>"保存"</button>
        </form>
    }
}
