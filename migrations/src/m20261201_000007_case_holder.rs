//! The account that follows a window case online (`application.holder_account_id`): set only
//! when that account presented the case's 查询码 from the receipt. A matching mobile and ID
//! number are no longer enough: anyone who knows them could register first.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{add_columns, drop_columns, drop_index, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            Application::Table,
            [integer_null(Application::HolderAccountId)],
        )
        .await?;
        index(
            m,
            "idx_application_holder",
            Application::Table,
            [Application::HolderAccountId],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_index(m, "idx_application_holder", Application::Table).await?;
        drop_columns(m, Application::Table, [Application::HolderAccountId]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Application {
    Table,
    HolderAccountId,
}
