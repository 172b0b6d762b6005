//! Integration tests: one binary, each test against a fresh database on a random port, run on
//! SQLite always and on PostgreSQL too when `ONEWINDOW_TEST_PG_URL` is set (CI sets it).
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "helpers of the tests: a failing one panics with its cause"
)]

mod accounts;
mod applications;
mod backoffice;
mod bench_data;
mod catalog_api;
mod catalog_import;
mod cli;
mod delivery;
mod helpers;
mod licences;
mod migrate;
mod pages;
mod public_pages;
mod review;
mod server_functions;
mod submission;
mod tracking;
