//! Deadlines read from the history, public tracking, the warning ladder and the supervision
//! board.
//!
//! Every figure comes from `domain::deadline::deadlines` over the case's history rows: the
//! clocks are never stored. Tracking answers a wrong number and a wrong second factor alike,
//! and counts both against the client in the login throttle (key `track:<address>`).
//!
//! In four parts: `public` (办理进度查询, for the applicant and anyone with the second
//! factor), `memory` (what a lookup keeps in memory, and its one query), `board` (the
//! supervision board) and `ladder` (raising the warnings). Here: who is asking, and the
//! refusals.

mod board;
mod ladder;
mod memory;
mod public;

pub use board::*;
pub use ladder::*;
pub use memory::{CASES_KEPT, CaseFacts, CaseStamp, TrackCache};
pub use public::*;

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
