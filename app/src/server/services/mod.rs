//! The services: each feature's rules applied to the database. They take the connection
//! (or a transaction) and the acting user, and return typed results or their own refusal;
//! a status change goes through `server::cases`, never an update of its own.

pub mod accounts;
pub mod applications;
pub mod bench_data;
pub mod calendar;
pub mod catalog;
pub mod changes;
pub mod licences;
pub mod recovery;
pub mod reference;
pub mod review;
pub(crate) mod sessions;
pub mod staff;
pub mod throttle;
pub mod tracking;
