//! What the security review asked of the schema:
//! - `application.holder_account_id`: the account that follows a window case online, set only
//!   when that account presented the case's 查询码 from the receipt (a matching mobile and ID
//!   number are no proof: anyone who knows them could register first);
//! - `notification.claimed_until`: the outbox's lease; a message a crashed sender left
//!   `sending` is taken again afterwards instead of being stuck for ever.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{add_columns, drop_columns, drop_index, index};
use crate::tables::{Application, Notification};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let holder = [integer_null(Application::HolderAccountId)];
        add_columns(m, Application::Table, holder).await?;
        let holder = [Application::HolderAccountId];
        index(m, "idx_application_holder", Application::Table, holder).await?;
        let lease = [timestamp_with_time_zone_null(Notification::ClaimedUntil)];
        add_columns(m, Notification::Table, lease).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, Notification::Table, [Notification::ClaimedUntil]).await?;
        drop_index(m, "idx_application_holder", Application::Table).await?;
        drop_columns(m, Application::Table, [Application::HolderAccountId]).await
    }
}
