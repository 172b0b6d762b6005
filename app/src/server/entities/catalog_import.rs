//! Table `catalog_import`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "catalog_import")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub imported_at: DateTimeUtc,
    /// The file name given to import-catalog, or "demo" for the shipped catalog.
    pub source: String,
    pub file_sha256: String,
    /// JSON summary of what changed.
    #[sea_orm(column_type = "Text")]
    pub summary: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
