//! Reusable views.

pub mod item_card;
pub mod layout;
pub mod status;
