//! Reusable views.

pub mod apply_button;
pub mod auth;
pub mod deadline;
pub mod department_select;
pub mod field;
pub mod form_field;
pub mod item_card;
pub mod layout;
#[cfg(not(feature = "ssr"))]
pub mod load_from_server;
pub mod notice;
pub mod receipt;
pub mod status;

pub use crate::url::encode_query;
