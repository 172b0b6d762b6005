//! Tracking and deadlines: the code printed on a receipt (a second factor for public
//! tracking), the warning ladder's warnings and who has seen them, and the notification
//! outbox. The deadlines themselves are not stored: they are computed from the history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Application::Table)
                .add_column(string_null(Application::TrackingCode))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DeadlineWarning::Table)
                .col(pk_auto(DeadlineWarning::Id))
                .col(integer(DeadlineWarning::ApplicationId))
                .col(string(DeadlineWarning::Department))
                .col(string(DeadlineWarning::Kind))
                .col(string(DeadlineWarning::Level))
                .col(string(DeadlineWarning::Due))
                .col(string(DeadlineWarning::OnDay))
                .col(integer(DeadlineWarning::DaysLeft))
                .col(text(DeadlineWarning::Message))
                .col(timestamp_with_time_zone(DeadlineWarning::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_deadline_warning_application")
                        .from(DeadlineWarning::Table, DeadlineWarning::ApplicationId)
                        .to(Application::Table, Application::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // A rung of the ladder is raised once per case, deadline and due day (daily rungs
        // once per day): several server instances racing insert one row, the rest conflict.
        m.create_index(
            Index::create()
                .name("idx_deadline_warning_once")
                .table(DeadlineWarning::Table)
                .col(DeadlineWarning::ApplicationId)
                .col(DeadlineWarning::Kind)
                .col(DeadlineWarning::Due)
                .col(DeadlineWarning::Level)
                .col(DeadlineWarning::OnDay)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deadline_warning_department")
                .table(DeadlineWarning::Table)
                .col(DeadlineWarning::Department)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WarningSeen::Table)
                .col(pk_auto(WarningSeen::Id))
                .col(integer(WarningSeen::WarningId))
                .col(integer(WarningSeen::StaffId))
                .col(timestamp_with_time_zone(WarningSeen::SeenAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_warning_seen_warning")
                        .from(WarningSeen::Table, WarningSeen::WarningId)
                        .to(DeadlineWarning::Table, DeadlineWarning::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_warning_seen_once")
                .table(WarningSeen::Table)
                .col(WarningSeen::WarningId)
                .col(WarningSeen::StaffId)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notification::Table)
                .col(pk_auto(Notification::Id))
                .col(integer(Notification::ApplicationId))
                .col(string(Notification::Audience))
                .col(string(Notification::Channel))
                .col(string(Notification::Recipient))
                .col(string(Notification::Subject))
                .col(text(Notification::Body))
                .col(string(Notification::Status))
                .col(integer(Notification::Attempts).default(0))
                .col(timestamp_with_time_zone(Notification::CreatedAt))
                .col(timestamp_with_time_zone_null(Notification::SentAt))
                .col(string_null(Notification::Sender))
                .col(text_null(Notification::Error))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_notification_application")
                        .from(Notification::Table, Notification::ApplicationId)
                        .to(Application::Table, Application::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notification_status")
                .table(Notification::Table)
                .col(Notification::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notification_application")
                .table(Notification::Table)
                .col(Notification::ApplicationId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notification::Table.into_iden(),
            WarningSeen::Table.into_iden(),
            DeadlineWarning::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Application::Table)
                .drop_column(Application::TrackingCode)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Application {
    Table,
    Id,
    TrackingCode,
}

#[derive(DeriveIden)]
enum DeadlineWarning {
    Table,
    Id,
    ApplicationId,
    Department,
    Kind,
    Level,
    Due,
    OnDay,
    DaysLeft,
    Message,
    CreatedAt,
}

#[derive(DeriveIden)]
enum WarningSeen {
    Table,
    Id,
    WarningId,
    StaffId,
    SeenAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    ApplicationId,
    Audience,
    Channel,
    Recipient,
    Subject,
    Body,
    Status,
    Attempts,
    CreatedAt,
    SentAt,
    Sender,
    Error,
}
