//! Table `security_alert`: a department's staff account attacked (a 工号 locked after
//! repeated wrong passwords from one client), for the department's supervision board.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "security_alert")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub department: String,
    /// `staff_login_locked`.
    pub kind: String,
    /// The 工号 attacked.
    pub login: String,
    /// The client the attempts came from (an address, IPv6 by /64).
    pub client: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
