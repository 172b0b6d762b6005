//! The types the pages, the server functions and the JSON API share: what a page shows and
//! what the API answers are the same values. Typed enums, never status strings.

pub mod applications;
pub mod backoffice;
pub mod calendar;
pub mod catalog;
pub mod count;
pub mod licence;
pub mod notice;
pub mod review;
pub mod track;
