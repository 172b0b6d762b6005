//! OneWindow's rules, pure: the catalog and its checks, identity numbers, the form
//! interpreter, dates and the working-day calendar, upload checks, the case's status machine
//! and history, pre-review, notices and the deadline engine (docs/rules.md).
//!
//! No leptos, sea-orm, axum or tokio: this crate is compiled into the server and into the
//! browser's wasm, so a rule has one implementation, and `cargo test -p domain` runs every
//! rule test in seconds. "Today" is always passed in; nothing here reads a clock.

pub mod account;
pub mod application;
pub mod apply;
pub mod bundle;
pub mod calendar;
pub mod case;
pub mod catalog;
pub mod catalog_check;
pub mod date;
pub mod deadline;
pub mod decision;
pub mod delivery;
#[cfg(test)]
mod fixtures;
pub mod form;
pub mod ids;
mod labels;
pub mod licence;
pub mod notice;
pub mod review;
pub mod staff;
pub mod track;
pub mod upload;
