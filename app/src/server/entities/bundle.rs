//! Table `bundle`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bundle")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub current_version: i32,
    pub content_hash: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub stage: Option<String>,
    pub lead_department: String,
    pub promised_limit_days: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
