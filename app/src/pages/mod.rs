//! One file per route.

pub mod apply;
pub mod bundle;
pub mod bundles;
pub mod calendar;
pub mod catalog;
pub mod home;
pub mod item;
pub mod licences;
pub mod login;
pub mod my;
pub mod not_found;
pub mod recover;
pub mod register;
pub mod staff;
pub mod supervision;
pub mod track;
pub mod verify;
