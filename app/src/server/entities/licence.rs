//! Table `licence`: an electronic licence issued on a case (电子证照), its signed file, and
//! its 注销 / 撤销 by the issuing department.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "licence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub number: String,
    /// Printed on the licence: with the number it opens the licence on /verify.
    pub check_code: String,
    pub application_id: i32,
    pub item_code: String,
    pub department: String,
    /// `company` or `person`.
    pub holder_kind: String,
    pub holder_name: String,
    pub holder_id_number: String,
    /// 证照名称.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    pub valid_until: Option<String>,
    /// The signed licence file (JSON), exactly as downloaded.
    #[sea_orm(column_type = "Text")]
    pub file: String,
    /// `cancelled` (注销) or `withdrawn` (撤销).
    pub revoked_kind: Option<String>,
    pub revoked_on: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub revoke_reason: Option<String>,
    pub revoked_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
