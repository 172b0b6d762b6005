//! Applications (办件) from their draft on: who, for which item or bundle, the form values.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Application::Table)
                .col(pk_auto(Application::Id))
                .col(string_uniq(Application::Number))
                .col(integer(Application::AccountId))
                .col(string_null(Application::ItemCode))
                .col(string_null(Application::BundleCode))
                .col(text(Application::FormValues))
                .col(string(Application::Status))
                .col(timestamp_with_time_zone(Application::CreatedAt))
                .col(timestamp_with_time_zone(Application::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_application_account")
                        .from(Application::Table, Application::AccountId)
                        .to(Account::Table, Account::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_application_account")
                .table(Application::Table)
                .col(Application::AccountId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Application::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Application {
    Table,
    Id,
    Number,
    AccountId,
    ItemCode,
    BundleCode,
    FormValues,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}
