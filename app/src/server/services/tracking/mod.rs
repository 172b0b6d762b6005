//! Deadlines read from the history, public tracking, the warning ladder and the supervision
//! board.
//!
//! Every figure comes from `domain::deadline::deadlines` over the case's history rows: the
//! clocks are never stored. Tracking answers a wrong number and a wrong second factor alike,
//! and counts both against the client in the login throttle (key `track:<address>`).
//!
//! In three parts: `public` (办理进度查询, for the applicant and anyone with the second
//! factor), `board` (the supervision board) and `ladder` (raising the warnings). Here: who is
//! asking, the refusals, and one case's deadlines.

mod board;
mod ladder;
mod public;

pub use board::*;
pub use ladder::*;
pub use public::*;

use sea_orm::DatabaseConnection;

use crate::domain::calendar::WorkingCalendar;
use crate::domain::date::Date;
use crate::domain::deadline::{Deadlines, Limits, deadlines};
use crate::server::cases;
use crate::server::entities::{application, case_event};
use crate::server::services::review::ReviewError;

pub use crate::server::client::ClientKey;

/// Why tracking answered nothing.
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    /// Wrong number or wrong second factor, never saying which.
    #[error("办件编号或验证信息不正确")]
    NotFound,
    #[error("查询失败次数过多，请 {0} 秒后再试")]
    TooMany(i64),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The clocks of one case as of `today`.
pub async fn case_deadlines(
    db: &DatabaseConnection,
    cal: &WorkingCalendar,
    row: &application::Model,
    history: &[case_event::Model],
    today: Date,
) -> Result<(Deadlines, Limits), ReviewError> {
    let limits = cases::limits_of(db, row).await?;
    let steps = cases::history_steps(history)?;
    Ok((deadlines(cal, &steps, limits, today)?, limits))
}
