//! Table `credit_blacklist`: applicants on a credit blacklist (by 统一社会信用代码 or 身份证号), who cannot use 容缺受理.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "credit_blacklist")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub number: String,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub listed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
