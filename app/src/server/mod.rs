//! Server-only code: state, database, services, REST API. Compiled only with feature `ssr`.

pub mod accounts;
pub mod applications;
pub mod auth;
pub mod calendar;
pub mod cases;
pub mod catalog;
pub mod catalog_schema;
pub mod db;
pub mod entities;
pub mod error;
pub mod notify;
pub mod rest;
pub mod rest_accounts;
pub mod rest_applications;
pub mod rest_calendar;
pub mod rest_review;
pub mod rest_track;
pub mod review;
pub mod staff;
pub mod state;
pub mod storage;
pub mod tracking;
