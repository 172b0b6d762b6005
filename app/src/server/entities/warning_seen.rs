//! Table `warning_seen`: which staff member has seen which warning, and when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "warning_seen")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub warning_id: i32,
    pub staff_id: i32,
    pub seen_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
