//! The outbox's lease (`notification.claimed_until`): a message being sent is held by one
//! sender until then; if that sender crashed, the message is pending again afterwards instead
//! of being stuck in `sending` for ever.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{add_columns, drop_columns};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            Notification::Table,
            [timestamp_with_time_zone_null(Notification::ClaimedUntil)],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, Notification::Table, [Notification::ClaimedUntil]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Notification {
    Table,
    ClaimedUntil,
}
