//! `security_alert`: what a department is told about attacks on its staff accounts (a 工号
//! locked after repeated wrong passwords from one client), shown on its supervision board.
//! The lock itself stays per (工号, client), so an attacker cannot close a window; the
//! department learns someone tried.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{drop_tables, index, table};
use crate::tables::SecurityAlert;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use SecurityAlert as A;
        let columns = [
            pk_auto(A::Id),
            string(A::Department),
            string(A::Kind),
            string(A::Login),
            string(A::Client),
            timestamp_with_time_zone(A::At),
        ];
        m.create_table(table(A::Table, columns)).await?;
        index(
            m,
            "idx_security_alert_department",
            A::Table,
            [A::Department, A::At],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, [SecurityAlert::Table.into_iden()]).await
    }
}
