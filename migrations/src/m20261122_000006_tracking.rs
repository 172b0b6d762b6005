//! Tracking and deadlines: the code printed on a receipt (a second factor for public
//! tracking), the warning ladder's warnings and who has seen them, and the notification
//! outbox. The deadlines themselves are not stored: they are computed from the history.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{add_columns, drop_columns, drop_tables, index, owned_by, table, unique_index};
use crate::tables::{Application, DeadlineWarning, Notification, WarningSeen};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use DeadlineWarning as W;
        use Notification as N;
        let tracking_code = [string_null(Application::TrackingCode)];
        add_columns(m, Application::Table, tracking_code).await?;

        m.create_table(
            table(
                W::Table,
                [
                    pk_auto(W::Id),
                    integer(W::ApplicationId),
                    string(W::Department),
                    string(W::Kind),
                    string(W::Level),
                    string(W::Due),
                    string(W::OnDay),
                    integer(W::DaysLeft),
                    text(W::Message),
                    timestamp_with_time_zone(W::CreatedAt),
                ],
            )
            .foreign_key(&mut owned_by(
                "fk_deadline_warning_application",
                (W::Table, W::ApplicationId),
                (Application::Table, Application::Id),
            ))
            .to_owned(),
        )
        .await?;
        // A rung of the ladder is raised once per case, deadline and due day (daily rungs
        // once per day): several server instances racing insert one row, the rest conflict.
        let once = [W::ApplicationId, W::Kind, W::Due, W::Level, W::OnDay];
        unique_index(m, "idx_deadline_warning_once", W::Table, once).await?;
        index(
            m,
            "idx_deadline_warning_department",
            W::Table,
            [W::Department],
        )
        .await?;

        m.create_table(
            table(
                WarningSeen::Table,
                [
                    pk_auto(WarningSeen::Id),
                    integer(WarningSeen::WarningId),
                    integer(WarningSeen::StaffId),
                    timestamp_with_time_zone(WarningSeen::SeenAt),
                ],
            )
            .foreign_key(&mut owned_by(
                "fk_warning_seen_warning",
                (WarningSeen::Table, WarningSeen::WarningId),
                (W::Table, W::Id),
            ))
            .to_owned(),
        )
        .await?;
        let once = [WarningSeen::WarningId, WarningSeen::StaffId];
        unique_index(m, "idx_warning_seen_once", WarningSeen::Table, once).await?;

        m.create_table(
            table(
                N::Table,
                [
                    pk_auto(N::Id),
                    integer(N::ApplicationId),
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
        index(m, "idx_notification_status", N::Table, [N::Status]).await?;
        index(
            m,
            "idx_notification_application",
            N::Table,
            [N::ApplicationId],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                Notification::Table.into_iden(),
                WarningSeen::Table.into_iden(),
                DeadlineWarning::Table.into_iden(),
            ],
        )
        .await?;
        drop_columns(m, Application::Table, [Application::TrackingCode]).await
    }
}
