//! The working-day calendar as administrators keep it (docs/rules.md, rule 4), and its server
//! functions. The JSON API (`/api/v1/calendar/years`, `/api/v1/admin/calendar/{year}`)
//! calls the same service.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::account::FieldProblem;
use crate::domain::calendar::ArrangementForm;
use crate::domain::date::Date;

/// A loaded year.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CalendarYearView {
    pub year: i32,
    pub source: String,
    /// RFC 3339.
    pub updated_at: String,
    pub days_off: Vec<Date>,
    pub extra_working_days: Vec<Date>,
}

/// Every loaded year, oldest first (public: the calendar is).
#[server(prefix = "/sf", endpoint = "calendar/years")]
pub async fn calendar_years() -> Result<Vec<CalendarYearView>, ServerFnError> {
    let state = crate::server::state::expect_state()?;
    crate::server::calendar::years(&state.db)
        .await
        .map_err(internal)
}

/// Enters or replaces a year's arrangement (administrators only); `Err` lists the problems.
#[server(prefix = "/sf", endpoint = "calendar/save")]
pub async fn save_calendar_year(
    form: ArrangementForm,
) -> Result<Result<CalendarYearView, Vec<FieldProblem>>, ServerFnError> {
    use crate::server::calendar::CalendarError;
    let state = crate::server::state::expect_state()?;
    let Some(me) = super::review::signed_in_staff().await? else {
        return Ok(Err(vec![not_admin()]));
    };
    match crate::server::calendar::save(&state.db, &me, &form, chrono::Utc::now()).await {
        Ok(v) => Ok(Ok(v)),
        Err(CalendarError::Invalid(p)) => Ok(Err(p)),
        Err(CalendarError::AdminOnly) => Ok(Err(vec![not_admin()])),
        Err(CalendarError::Internal(e)) => Err(internal(e)),
    }
}

#[cfg(feature = "ssr")]
fn not_admin() -> FieldProblem {
    FieldProblem {
        field: "staff".into(),
        code: "admin_only".into(),
        message: "只有系统管理员可以维护节假日安排，请以管理员身份登录".into(),
    }
}

#[cfg(feature = "ssr")]
fn internal(err: anyhow::Error) -> ServerFnError {
    let id = crate::server::state::incident_id();
    tracing::error!(incident = %id, error = ?err, "calendar request failed");
    ServerFnError::ServerError(format!("系统繁忙，请稍后再试（事件编号 {id}）"))
}
