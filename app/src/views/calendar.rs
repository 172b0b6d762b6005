//! The working-day calendar as the pages and the JSON API see it.
//! Wire types only: the server functions are in `api`, the services in `server`.

use serde::{Deserialize, Serialize};

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
