//! Table `deferred_reminder`: the applicant reminded that a 容缺 material's committed date
//! has passed (once per case, material and committed date).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deferred_reminder")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    pub material_code: String,
    /// The committed date passed (YYYY-MM-DD).
    pub commitment_date: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
