//! Account recovery by a code sent to the mobile number:
//! - `recovery_code`: a one-time code (stored hashed) for a mobile number, with its expiry
//!   and the wrong tries made against it;
//! - `notification.application_id` becomes optional: the code is an SMS about an account,
//!   not about a case. PostgreSQL drops the constraint in place; SQLite, which cannot alter a
//!   column, copies the table into a new one with the same columns and indexes.

use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{drop_tables, index, owned_by, table};
use crate::tables::{Application, Notification, RecoveryCode};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use RecoveryCode as R;
        let columns = [
            pk_auto(R::Id),
            string(R::Mobile),
            string(R::CodeHash),
            integer(R::Attempts).default(0).to_owned(),
            timestamp_with_time_zone(R::CreatedAt),
            timestamp_with_time_zone(R::ExpiresAt),
        ];
        m.create_table(table(R::Table, columns)).await?;
        index(m, "idx_recovery_code_mobile", R::Table, [R::Mobile]).await?;
        application_optional(m, true).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared("DELETE FROM notification WHERE application_id IS NULL")
            .await?;
        application_optional(m, false).await?;
        drop_tables(m, [RecoveryCode::Table.into_iden()]).await
    }
}

/// Makes `notification.application_id` optional (or required again).
async fn application_optional(m: &SchemaManager<'_>, optional: bool) -> Result<(), DbErr> {
    use Notification as N;
    let db = m.get_connection();
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        let change = if optional { "DROP" } else { "SET" };
        let sql = format!("ALTER TABLE notification ALTER COLUMN application_id {change} NOT NULL");
        db.execute_unprepared(&sql).await?;
        return Ok(());
    }
    let application = if optional {
        integer_null(N::ApplicationId)
    } else {
        integer(N::ApplicationId)
    };
    // Kept aside while the table is made again (SQLite cannot change a column in place).
    db.execute_unprepared("CREATE TABLE notification_copy AS SELECT * FROM notification")
        .await?;
    db.execute_unprepared("DROP TABLE notification").await?;
    m.create_table(
        table(
            N::Table,
            [
                pk_auto(N::Id),
                application,
                string(N::Audience),
                string(N::Channel),
                string(N::Recipient),
                string(N::Subject),
                text(N::Body),
                string(N::Status),
                integer(N::Attempts).default(0).to_owned(),
                timestamp_with_time_zone(N::CreatedAt),
                timestamp_with_time_zone_null(N::SentAt),
                string_null(N::Sender),
                text_null(N::Error),
                timestamp_with_time_zone_null(N::ClaimedUntil),
            ],
        )
        .foreign_key(&mut owned_by(
            "fk_notification_application",
            (N::Table, N::ApplicationId),
            (Application::Table, Application::Id),
        ))
        .to_owned(),
    )
    .await?;
    let columns = "id, application_id, audience, channel, recipient, subject, body, status, \
                   attempts, created_at, sent_at, sender, error, claimed_until";
    db.execute_unprepared(&format!(
        "INSERT INTO notification ({columns}) SELECT {columns} FROM notification_copy"
    ))
    .await?;
    db.execute_unprepared("DROP TABLE notification_copy")
        .await?;
    index(m, "idx_notification_status", N::Table, [N::Status]).await?;
    index(
        m,
        "idx_notification_application",
        N::Table,
        [N::ApplicationId],
    )
    .await
}
