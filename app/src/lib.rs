//! OneWindow (一窗通办): the shared crate, compiled to wasm (feature `hydrate`) and native (`ssr`).

#![recursion_limit = "256"]

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;
