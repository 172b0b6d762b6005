//! Table `form_field`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "form_field")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub item_version_id: i32,
    pub position: i32,
    pub key: String,
    pub label: String,
    pub field_type: String,
    pub required: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub help: Option<String>,
    pub unit: Option<String>,
    pub min_length: Option<i32>,
    pub max_length: Option<i32>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    #[sea_orm(column_type = "Text", nullable)]
    pub pattern: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub pattern_message: Option<String>,
    /// JSON array of `{value, label}`.
    #[sea_orm(column_type = "Text")]
    pub options: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
