//! One file per route.

pub mod bundle;
pub mod bundles;
pub mod catalog;
pub mod home;
pub mod item;
pub mod login;
pub mod not_found;
pub mod register;
