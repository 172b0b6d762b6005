//! Watching the review: the case status `in_review` (a department has signed for its task),
//! 审查时限 by department (`item_version.review_days`, `review_task.limit_days`),
//! the warning ladder's rungs raised per department (each department holding a late task is
//! warned, not only the receiving one), and `deferred_reminder`, the applicant reminded once
//! when a 容缺 material's committed date has passed.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{add_columns, drop_columns, drop_tables, owned_by, table, unique_index};
use crate::tables::{Application, DeadlineWarning, DeferredReminder, ItemVersion, ReviewTask};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Cases whose review had started before the status existed: a task signed for.
        m.get_connection()
            .execute_unprepared(
                "UPDATE application SET status = 'in_review' WHERE status = 'accepted' \
                 AND id IN (SELECT application_id FROM review_task \
                 WHERE status IN ('claimed', 'done'))",
            )
            .await?;

        use DeadlineWarning as W;
        // Plain SQL: the same statement on SQLite and PostgreSQL.
        m.get_connection()
            .execute_unprepared("DROP INDEX idx_deadline_warning_once")
            .await?;
        let once = [
            W::ApplicationId,
            W::Department,
            W::Kind,
            W::Due,
            W::Level,
            W::OnDay,
        ];
        unique_index(
            m,
            "idx_deadline_warning_once_per_department",
            W::Table,
            once,
        )
        .await?;

        // 审查时限 by department in the guide, and on each task as it was at acceptance.
        add_columns(
            m,
            ItemVersion::Table,
            [text(ItemVersion::ReviewDays).default("{}").to_owned()],
        )
        .await?;
        add_columns(
            m,
            ReviewTask::Table,
            [integer_null(ReviewTask::LimitDays).to_owned()],
        )
        .await?;

        use DeferredReminder as R;
        let columns = [
            pk_auto(R::Id),
            integer(R::ApplicationId),
            string(R::MaterialCode),
            string(R::CommitmentDate),
            timestamp_with_time_zone(R::CreatedAt),
        ];
        m.create_table(
            table(R::Table, columns)
                .foreign_key(&mut owned_by(
                    "fk_deferred_reminder_application",
                    (R::Table, R::ApplicationId),
                    (Application::Table, Application::Id),
                ))
                .to_owned(),
        )
        .await?;
        let once = [R::ApplicationId, R::MaterialCode, R::CommitmentDate];
        unique_index(m, "idx_deferred_reminder_once", R::Table, once).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, [DeferredReminder::Table.into_iden()]).await?;
        drop_columns(m, ReviewTask::Table, [ReviewTask::LimitDays]).await?;
        drop_columns(m, ItemVersion::Table, [ItemVersion::ReviewDays]).await?;
        use DeadlineWarning as W;
        m.get_connection()
            .execute_unprepared("DROP INDEX idx_deadline_warning_once_per_department")
            .await?;
        // Rungs raised for a second department of one case do not fit the old index.
        m.get_connection()
            .execute_unprepared(
                "DELETE FROM deadline_warning WHERE id NOT IN (SELECT MIN(id) FROM \
                 deadline_warning GROUP BY application_id, kind, due, level, on_day)",
            )
            .await?;
        let once = [W::ApplicationId, W::Kind, W::Due, W::Level, W::OnDay];
        unique_index(m, "idx_deadline_warning_once", W::Table, once).await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE application SET status = 'accepted' WHERE status = 'in_review'",
            )
            .await?;
        Ok(())
    }
}
