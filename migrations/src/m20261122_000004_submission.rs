//! Submission: the applicant block, originals to bring, the case number, channel, receipt time
//! and guide versions of a submitted application; and the uploaded materials of applications.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            text(Application::Applicant).default("{}").to_owned(),
            text(Application::BringOriginal).default("[]").to_owned(),
            string_null(Application::CaseNumber).to_owned(),
            string_null(Application::Channel).to_owned(),
            timestamp_with_time_zone_null(Application::SubmittedAt).to_owned(),
            text_null(Application::Guides).to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Application::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("idx_application_case_number")
                .table(Application::Table)
                .col(Application::CaseNumber)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ApplicationMaterial::Table)
                .col(pk_auto(ApplicationMaterial::Id))
                .col(integer(ApplicationMaterial::ApplicationId))
                .col(string(ApplicationMaterial::MaterialCode))
                .col(string(ApplicationMaterial::Sha256))
                .col(big_integer(ApplicationMaterial::Size))
                .col(string(ApplicationMaterial::FileType))
                .col(string(ApplicationMaterial::FileName))
                .col(timestamp_with_time_zone(ApplicationMaterial::UploadedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_application_material_application")
                        .from(
                            ApplicationMaterial::Table,
                            ApplicationMaterial::ApplicationId,
                        )
                        .to(Application::Table, Application::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_application_material_slot")
                .table(ApplicationMaterial::Table)
                .col(ApplicationMaterial::ApplicationId)
                .col(ApplicationMaterial::MaterialCode)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_application_material_sha256")
                .table(ApplicationMaterial::Table)
                .col(ApplicationMaterial::Sha256)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ApplicationMaterial::Table).to_owned())
            .await?;
        m.drop_index(
            Index::drop()
                .name("idx_application_case_number")
                .table(Application::Table)
                .to_owned(),
        )
        .await?;
        for column in [
            Application::Applicant,
            Application::BringOriginal,
            Application::CaseNumber,
            Application::Channel,
            Application::SubmittedAt,
            Application::Guides,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Application::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Application {
    Table,
    Id,
    Applicant,
    BringOriginal,
    CaseNumber,
    Channel,
    SubmittedAt,
    Guides,
}

#[derive(DeriveIden)]
enum ApplicationMaterial {
    Table,
    Id,
    ApplicationId,
    MaterialCode,
    Sha256,
    Size,
    FileType,
    FileName,
    UploadedAt,
}
