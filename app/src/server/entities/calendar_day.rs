//! Table `calendar_day`: statutory days off and swapped working days of the loaded years.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_day")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub year: i32,
    /// `YYYY-MM-DD`.
    #[sea_orm(unique)]
    pub day: String,
    /// true: a weekend day that is a working day (调休上班); false: a day off.
    pub working: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
