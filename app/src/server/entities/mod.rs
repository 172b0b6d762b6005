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
pub mod deferred_reminder;
pub mod department;
pub mod form_field;
pub mod item_decision;
pub mod item_version;
pub mod licence;
pub mod licence_key;
pub mod login_throttle;
pub mod material;
pub mod material_history;
pub mod notice;
pub mod notification;
pub mod recovery_code;
pub mod review_task;
pub mod security_alert;
pub mod service_item;
pub mod session;
pub mod staff;
pub mod staff_session;
pub mod warning_seen;

/// A table whose rows belong to one case: its `application_id`, and an `id` that numbers the
/// rows in the order they were written. `cases::rows_of` reads a case's rows of it.
pub trait OfCase: sea_orm::EntityTrait {
    /// The case a row belongs to.
    const CASE: Self::Column;
    /// The row's number, in the order rows were written.
    const ID: Self::Column;
    /// What its rows are, for an error.
    const WHAT: &'static str;
}

macro_rules! of_case {
    ($($table:ident: $what:literal),* $(,)?) => {$(
        impl OfCase for $table::Entity {
            const CASE: $table::Column = $table::Column::ApplicationId;
            const ID: $table::Column = $table::Column::Id;
            const WHAT: &'static str = $what;
        }
    )*};
}

of_case!(
    application_material: "uploaded materials",
    case_event: "the history",
    item_decision: "decisions",
    licence: "licences",
    material_history: "replaced materials",
    notice: "notices",
    notification: "messages",
    review_task: "review tasks",
);
