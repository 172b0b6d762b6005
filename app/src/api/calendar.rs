//! The working-day calendar as administrators keep it (docs/rules.md, rule 4), and its server
//! functions. The JSON API (`/api/v1/calendar/years`, `/api/v1/admin/calendar/{year}`)
//! calls the same service.

use leptos::prelude::*;

use crate::domain::calendar::ArrangementForm;
use crate::error::AppError;

pub use crate::views::calendar::*;

/// Every loaded year, oldest first (public: the calendar is).
#[server(prefix = "/sf", endpoint = "calendar/years")]
pub async fn calendar_years() -> Result<Vec<CalendarYearView>, AppError> {
    let state = crate::server::state::expect_state()?;
    Ok(crate::server::services::calendar::years(&state.db).await?)
}

/// Enters or replaces a year's arrangement (administrators only); a refusal lists the
/// problems.
#[server(prefix = "/sf", endpoint = "calendar/save")]
pub async fn save_calendar_year(form: ArrangementForm) -> Result<CalendarYearView, AppError> {
    use crate::server::services::calendar;
    crate::server::auth::as_staff(async |state, me, now| {
        calendar::save(&state.db, me, &form, now).await
    })
    .await
}
