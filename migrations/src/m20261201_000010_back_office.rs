//! The back office (并联审批): `review_task`, one per participating department of each item
//! of an accepted case (GB/T 39046 表 7: 环节名称, 环节处理人, 处理意见, 环节开始/结束时间,
//! 环节办理状态), and `item_decision`, each item's decision (准予 / 不予行政许可).

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{drop_tables, index, owned_by, table, unique_index};
use crate::tables::{Application, ItemDecision, ReviewTask};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ReviewTask as T;
        let columns = [
            pk_auto(T::Id),
            integer(T::ApplicationId),
            string(T::ItemCode),
            string(T::ItemName),
            string(T::Department),
            boolean(T::Lead),
            string(T::Status),
            integer_null(T::ClaimedBy),
            string_null(T::ClaimedByName),
            timestamp_with_time_zone_null(T::ClaimedAt),
            string_null(T::Opinion),
            text_null(T::Reason),
            text_null(T::LegalBasis),
            text_null(T::Conditions),
            timestamp_with_time_zone_null(T::CompletedAt),
            timestamp_with_time_zone(T::CreatedAt),
        ];
        m.create_table(
            table(T::Table, columns)
                .foreign_key(&mut owned_by(
                    "fk_review_task_application",
                    (T::Table, T::ApplicationId),
                    (Application::Table, Application::Id),
                ))
                .to_owned(),
        )
        .await?;
        let one_per_department = [T::ApplicationId, T::ItemCode, T::Department];
        unique_index(
            m,
            "idx_review_task_case_item_department",
            T::Table,
            one_per_department,
        )
        .await?;
        index(
            m,
            "idx_review_task_queue",
            T::Table,
            [T::Department, T::Status],
        )
        .await?;

        use ItemDecision as D;
        let columns = [
            pk_auto(D::Id),
            integer(D::ApplicationId),
            string(D::ItemCode),
            string(D::ItemName),
            string(D::Department),
            string(D::Outcome),
            text_null(D::Reason),
            text_null(D::LegalBasis),
            text_null(D::Conditions),
            integer(D::StaffId),
            string(D::DecidedBy),
            timestamp_with_time_zone(D::DecidedAt),
        ];
        m.create_table(
            table(D::Table, columns)
                .foreign_key(&mut owned_by(
                    "fk_item_decision_application",
                    (D::Table, D::ApplicationId),
                    (Application::Table, Application::Id),
                ))
                .to_owned(),
        )
        .await?;
        unique_index(
            m,
            "idx_item_decision_case_item",
            D::Table,
            [D::ApplicationId, D::ItemCode],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                ItemDecision::Table.into_iden(),
                ReviewTask::Table.into_iden(),
            ],
        )
        .await
    }
}
