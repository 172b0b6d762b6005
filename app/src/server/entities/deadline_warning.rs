//! Table `deadline_warning`: a rung of the warning ladder raised on a case (once per case,
//! deadline, due day and rung; daily rungs once per day).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_warning")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    /// The handling department's code.
    pub department: String,
    /// A `DeadlineKind`.
    pub kind: String,
    /// A `WarningLevel`.
    pub level: String,
    /// The due day warned about (YYYY-MM-DD).
    pub due: String,
    /// The day of a daily rung; empty for rungs raised once.
    pub on_day: String,
    /// Working days left when raised (negative: overdue).
    pub days_left: i32,
    #[sea_orm(column_type = "Text")]
    pub message: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
