//! Submission: the applicant block, originals to bring, the case number, channel, receipt time
//! and guide versions of a submitted application; and the uploaded materials of applications.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{
    add_columns, drop_columns, drop_index, drop_tables, index, owned_by, table, unique_index,
};
use crate::tables::{Application, ApplicationMaterial};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        use ApplicationMaterial as AM;
        add_columns(
            m,
            Application::Table,
            [
                text(Application::Applicant).default("{}").to_owned(),
                text(Application::BringOriginal).default("[]").to_owned(),
                string_null(Application::CaseNumber),
                string_null(Application::Channel),
                timestamp_with_time_zone_null(Application::SubmittedAt),
                text_null(Application::Guides),
            ],
        )
        .await?;
        let case_number = [Application::CaseNumber];
        unique_index(m, CASE_NUMBER_INDEX, Application::Table, case_number).await?;
        m.create_table(
            table(
                AM::Table,
                [
                    pk_auto(AM::Id),
                    integer(AM::ApplicationId),
                    string(AM::MaterialCode),
                    string(AM::Sha256),
                    big_integer(AM::Size),
                    string(AM::FileType),
                    string(AM::FileName),
                    timestamp_with_time_zone(AM::UploadedAt),
                ],
            )
            .foreign_key(&mut owned_by(
                "fk_application_material_application",
                (AM::Table, AM::ApplicationId),
                (Application::Table, Application::Id),
            ))
            .to_owned(),
        )
        .await?;
        let slot = [AM::ApplicationId, AM::MaterialCode];
        unique_index(m, "idx_application_material_slot", AM::Table, slot).await?;
        index(
            m,
            "idx_application_material_sha256",
            AM::Table,
            [AM::Sha256],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, [ApplicationMaterial::Table.into_iden()]).await?;
        drop_index(m, CASE_NUMBER_INDEX, Application::Table).await?;
        drop_columns(
            m,
            Application::Table,
            [
                Application::Applicant,
                Application::BringOriginal,
                Application::CaseNumber,
                Application::Channel,
                Application::SubmittedAt,
                Application::Guides,
            ],
        )
        .await
    }
}

const CASE_NUMBER_INDEX: &str = "idx_application_case_number";
