//! Table `notice`: notices as issued (受理、容缺受理、不予受理、补正), kept as printed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notice")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    /// A `NoticeKind`.
    pub kind: String,
    pub year: i32,
    /// Sequence within kind and year.
    pub seq: i32,
    #[sea_orm(unique)]
    pub number: String,
    pub issued_at: DateTimeUtc,
    /// JSON of the `Notice`.
    #[sea_orm(column_type = "Text")]
    pub content: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
