//! Table `item_decision`: the decision on one item of a case (准予 / 不予行政许可).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "item_decision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    pub item_code: String,
    pub item_name: String,
    /// The deciding department (the item's 实施主体).
    pub department: String,
    /// `domain::decision::Outcome`.
    pub outcome: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub legal_basis: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub conditions: Option<String>,
    pub staff_id: i32,
    pub decided_by: String,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
