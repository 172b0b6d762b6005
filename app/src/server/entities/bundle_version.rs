//! Table `bundle_version`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bundle_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub bundle_id: i32,
    pub version: i32,
    pub content_hash: String,
    /// The bundle as written in the catalog file (JSON).
    #[sea_orm(column_type = "Text")]
    pub snapshot: String,
    pub imported_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
