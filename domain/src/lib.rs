//! Pure rules: the catalog and its checks, identity numbers, form fields, dates and the
//! working-day calendar, upload checks. No leptos, no sea-orm, no axum; unit-tested here.
//! Compiled into both the server and the wasm, so a rule has one implementation.

pub mod account;
pub mod application;
pub mod apply;
pub mod bundle;
pub mod calendar;
pub mod catalog;
pub mod catalog_check;
pub mod date;
pub mod deadline;
pub mod form;
pub mod ids;
pub mod review;
pub mod track;
pub mod upload;
