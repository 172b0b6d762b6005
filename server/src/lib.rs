//! The `onewindow` server: configuration and router, as a library so integration tests can
//! start the real application on a random port.

pub mod config;
pub mod page_cache;
pub mod router;
