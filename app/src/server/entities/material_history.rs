//! Table `material_history`: uploads replaced in a fix-up, kept so staff can compare old and new.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "material_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    pub material_code: String,
    pub sha256: String,
    pub size: i64,
    pub file_type: String,
    pub file_name: String,
    pub uploaded_at: DateTimeUtc,
    pub replaced_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
