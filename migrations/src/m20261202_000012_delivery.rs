//! Delivery (送达): the applicant's choice of how to receive the result
//! (`application.delivery`, JSON of the draft's `DeliveryForm`, `{}` until chosen), and the
//! status `completed` (办结) once it is delivered.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{add_columns, drop_columns};
use crate::tables::Application;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            Application::Table,
            [text(Application::Delivery).default("{}").to_owned()],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Before this migration a delivered case had no status of its own.
        m.get_connection()
            .execute_unprepared(
                "UPDATE application SET status = 'decided' WHERE status = 'completed'",
            )
            .await?;
        drop_columns(m, Application::Table, [Application::Delivery]).await
    }
}
