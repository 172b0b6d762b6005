//! Table `item_version`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "item_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub item_id: i32,
    pub version: i32,
    /// SHA-256 of the item as written in the catalog file: equal hash, equal guide.
    pub content_hash: String,
    pub imported_at: DateTimeUtc,
    pub name: String,
    pub item_type: String,
    pub department: String,
    /// JSON array of department codes.
    #[sea_orm(column_type = "Text")]
    pub co_departments: String,
    /// JSON object: 审查时限 in working days by department code (`{}` when none is set).
    #[sea_orm(column_type = "Text")]
    pub review_days: String,
    #[sea_orm(column_type = "Text")]
    pub legal_basis: String,
    #[sea_orm(column_type = "Text")]
    pub conditions: String,
    pub case_kind: String,
    pub statutory_limit_days: i32,
    pub promised_limit_days: i32,
    pub accept_on_receipt: bool,
    /// JSON array of step names.
    #[sea_orm(column_type = "Text")]
    pub steps: String,
    #[sea_orm(column_type = "Text")]
    pub location: String,
    #[sea_orm(column_type = "Text")]
    pub hours: String,
    pub consult_phone: String,
    pub supervise_phone: String,
    pub fee_charged: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub fee_basis: Option<String>,
    pub result_name: String,
    pub result_electronic: bool,
    /// 证照有效期 in months; `None`: open-ended.
    pub result_validity_months: Option<i32>,
    /// JSON array of the form keys printed on the licence.
    #[sea_orm(column_type = "Text")]
    pub result_licence_fields: String,
    /// JSON array of delivery method names.
    #[sea_orm(column_type = "Text")]
    pub delivery_methods: String,
    pub online_depth: String,
    pub visits: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
