//! Table `staff`: staff accounts, each of one department, with one role.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "staff")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// 工号 / login name.
    #[sea_orm(unique)]
    pub login: String,
    pub name: String,
    /// `window`, `reviewer`, `chief`, `supervisor` or `admin`.
    pub role: String,
    /// The department code.
    pub department: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
