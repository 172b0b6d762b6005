//! Applications (办件) from their draft on: who, for which item or bundle, the form values.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{drop_tables, index, refers_to, table};
use crate::tables::{Account, Application};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table(
                Application::Table,
                [
                    pk_auto(Application::Id),
                    string_uniq(Application::Number),
                    integer(Application::AccountId),
                    string_null(Application::ItemCode),
                    string_null(Application::BundleCode),
                    text(Application::FormValues),
                    string(Application::Status),
                    timestamp_with_time_zone(Application::CreatedAt),
                    timestamp_with_time_zone(Application::UpdatedAt),
                ],
            )
            .foreign_key(&mut refers_to(
                "fk_application_account",
                (Application::Table, Application::AccountId),
                (Account::Table, Account::Id),
            ))
            .to_owned(),
        )
        .await?;
        let account = [Application::AccountId];
        index(m, "idx_application_account", Application::Table, account).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, [Application::Table.into_iden()]).await
    }
}
