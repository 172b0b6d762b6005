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

/// A catalog table whose rows are named by a unique `code` and carry a `name`.
/// `catalog::by_code` and `catalog::names_of` read it.
pub trait Coded: sea_orm::EntityTrait {
    /// The unique code (实施编码, department code…).
    const CODE: Self::Column;
    /// The name shown.
    const NAME: Self::Column;
    /// What a row is, for an error.
    const WHAT: &'static str;
}

/// Implements a trait whose constants name columns, for each table given.
macro_rules! columns {
    ($trait:ident $columns:tt for $($table:ident: $what:literal),+ $(,)?) => {
        $(columns!(@one $trait $table $what $columns);)+
    };
    (@one $trait:ident $table:ident $what:literal { $($name:ident = $column:ident),+ }) => {
        impl $trait for $table::Entity {
            $(const $name: $table::Column = $table::Column::$column;)+
            const WHAT: &'static str = $what;
        }
    };
}

columns!(OfCase { CASE = ApplicationId, ID = Id } for
    application_material: "uploaded materials",
    case_event: "the history",
    item_decision: "decisions",
    licence: "licences",
    material_history: "replaced materials",
    notice: "notices",
    notification: "messages",
    review_task: "review tasks",
);

columns!(Coded { CODE = Code, NAME = Name } for
    bundle: "a bundle",
    department: "a department",
    service_item: "an item",
);
