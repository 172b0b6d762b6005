//! sea-orm entities: the same for SQLite and PostgreSQL.

pub mod account;
pub mod application;
pub mod application_material;
pub mod bundle;
pub mod bundle_item;
pub mod bundle_version;
pub mod calendar_day;
pub mod calendar_year;
pub mod case_event;
pub mod catalog_import;
pub mod credit_blacklist;
pub mod deadline_warning;
pub mod department;
pub mod form_field;
pub mod item_version;
pub mod login_throttle;
pub mod material;
pub mod material_history;
pub mod notice;
pub mod notification;
pub mod security_alert;
pub mod service_item;
pub mod session;
pub mod staff;
pub mod staff_session;
pub mod warning_seen;
