//! Table `material`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "material")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub item_version_id: i32,
    pub position: i32,
    pub code: String,
    pub name: String,
    pub source: String,
    pub form: String,
    pub quantity: i32,
    #[sea_orm(column_type = "Text")]
    pub specification: String,
    pub required: bool,
    pub deferrable: bool,
    /// JSON array of file type names.
    #[sea_orm(column_type = "Text")]
    pub file_types: String,
    pub max_size_mb: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub template_url: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub notes: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
