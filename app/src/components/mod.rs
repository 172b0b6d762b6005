//! Reusable views.

pub mod auth;
pub mod field;
pub mod item_card;
pub mod layout;
pub mod status;
