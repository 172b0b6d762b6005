//! The one lifecycle core: every status change of a case goes through [`transition`].
//!
//! A transition loads nothing it was not given, asks the domain's status machine
//! (`CaseStatus::apply`) for the arrow, and in one transaction moves the case with an update
//! that is conditional on the version and status the caller saw, appends the typed history
//! row, writes the applicant's messages to the outbox, and issues the numbered notice. Of two
//! concurrent transitions of a case exactly one commits; the other gets
//! [`CaseError::Changed`].
//!
//! To check that nothing else changes a status:
//! `grep -rn "application::Column::Status, Expr" app/src` finds the one update, in
//! `transition.rs`.

mod actor;
mod clocks;
mod history;
mod notices;
mod rows;
mod scope;
mod transition;

pub use actor::Actor;
pub use clocks::{deadlines_of_rows, deadlines_with_tasks, history_steps, limits_of};
pub use history::{
    Deferred, DeliverySteps, FixUp, deferred_materials, delivery_steps, history_of, last_fix_up,
    snapshot_at_notice,
};
pub use notices::{notice_view, notices_of, qr_svg};
pub use rows::rows_of;
pub use scope::{
    acting_case, department_case, holds_task, procedure_case, tasks_of_the_case, visible_cases,
};
pub use transition::{CaseError, ClaimedBy, Effect, FollowUp, Transition, claim_task, transition};

use crate::domain::apply::ApplicantForm;
use crate::server::entities::application;

/// The applicant's name as printed: the company's, or the person's.
pub fn applicant_name(row: &application::Model) -> String {
    name_in(&serde_json::from_str(&row.applicant).unwrap_or_default())
}

/// The applicant's name in the applicant's part of a form: the company's, or the person's.
pub fn name_in(applicant: &ApplicantForm) -> String {
    ["company_name", "name"]
        .iter()
        .find_map(|k| applicant.values.get(*k).cloned())
        .unwrap_or_default()
}
