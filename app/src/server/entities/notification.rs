//! Table `notification`: the outbox. Every status change, notice, warning and pause writes
//! its messages here in the same transaction; a sender delivers them afterwards.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The case a message is about; none for a message about an account (a recovery code).
    pub application_id: Option<i32>,
    /// `applicant` or `staff`.
    pub audience: String,
    /// `sms`, `email` or `site` (in-site message).
    pub channel: String,
    /// A mobile number, an e-mail address, `account:<id>`, `staff:<id>` or
    /// `department:<code>`.
    pub recipient: String,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// Which sender delivered it (`log`, `smtp`, `site`).
    pub sender: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    /// While `sending`: the sender holds it until then; afterwards another may take it.
    pub claimed_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
