//! Table `service_item`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "service_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    /// The version number of the guide in force.
    pub current_version: i32,
    /// The `item_version` row of the guide in force.
    pub current_version_id: i32,
    pub name: String,
    pub department: String,
    pub item_type: String,
    pub case_kind: String,
    pub online_depth: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
