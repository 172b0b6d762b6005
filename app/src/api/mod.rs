//! Server functions: thin. They find the state, call a service and map errors.

pub mod accounts;
pub mod applications;
pub mod backoffice;
pub mod calendar;
pub mod catalog;
pub mod forms;
pub mod licence;
pub mod review;
pub mod track;
