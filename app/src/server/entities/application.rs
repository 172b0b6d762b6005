//! Table `application`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// 办件编号, e.g. `OW20261121K7Q2M9X4TD`.
    #[sea_orm(unique)]
    pub number: String,
    pub account_id: i32,
    /// Exactly one of item and bundle is set.
    pub item_code: Option<String>,
    pub bundle_code: Option<String>,
    /// JSON object of form values by field key.
    #[sea_orm(column_type = "Text")]
    pub form_values: String,
    /// `draft` until submitted.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
