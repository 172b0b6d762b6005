//! Table `case_event`: the append-only history of a case: who, when, from which channel, what, why.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    pub at: DateTimeUtc,
    /// `applicant`, `staff` or `system`.
    pub actor: String,
    pub staff_id: Option<i32>,
    pub actor_name: String,
    /// `online`, `window` or `system`.
    pub channel: String,
    /// A `CaseAction`.
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    /// JSON: what the action carried (a snapshot before a fix-up, the targets changed, …).
    #[sea_orm(column_type = "Text", nullable)]
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
