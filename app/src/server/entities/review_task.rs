//! Table `review_task`: one department's review of one item of an accepted case (并联审批).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "review_task")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    /// The item reviewed (实施编码) and its name (环节名称).
    pub item_code: String,
    pub item_name: String,
    /// The reviewing department's code.
    pub department: String,
    /// The item's own department (实施主体), rather than a co-handling one.
    pub lead: bool,
    /// The department's 审查时限 from the guide at acceptance (working days); none: the task
    /// is due with the case.
    pub limit_days: Option<i32>,
    /// `domain::decision::TaskStatus`.
    pub status: String,
    /// 环节处理人: the reviewer who signed for it.
    pub claimed_by: Option<i32>,
    pub claimed_by_name: Option<String>,
    pub claimed_at: Option<DateTimeUtc>,
    /// `domain::decision::Opinion`, once done.
    pub opinion: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub legal_basis: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub conditions: Option<String>,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
