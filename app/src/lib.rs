//! OneWindow (一窗通办): the shared crate, compiled to wasm (feature `hydrate`) and native (`ssr`).

#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod clock;
pub mod components;
pub mod error;
pub mod pages;
pub mod resource;
/// The rules, from their own crate; re-exported so `crate::domain::…` reads as before.
pub use ::domain;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "hydrate")]
pub mod upload_client;
pub mod url;
pub mod views;

/// The wasm entry calls this to take over the server-rendered page.
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    leptos::mount::hydrate_body(app::App);
}
