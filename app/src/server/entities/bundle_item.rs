//! Table `bundle_item`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bundle_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub bundle_id: i32,
    pub position: i32,
    pub item_code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
