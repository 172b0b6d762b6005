//! Server-only code: state, database, services, REST API. Compiled only with feature `ssr`.

pub mod auth;
pub mod cases;
pub mod catalog_schema;
pub mod client;
pub mod csp;
pub mod db;
pub mod entities;
pub mod error;
pub mod forms;
pub mod notify;
pub mod rest;
pub mod services;
pub mod state;
pub mod storage;
