//! Table `application_material`: one uploaded file per material of an application. The file
//! itself is in the material store, under its SHA-256.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "application_material")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    pub material_code: String,
    pub sha256: String,
    pub size: i64,
    /// `pdf`, `jpeg`, `png` or `ofd`, as recognised from the content.
    pub file_type: String,
    /// The name the file had on the applicant's device (shown, never used as a path).
    pub file_name: String,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
