//! Pre-review at the window: staff and their sessions, the case history, notices, materials
//! replaced in a fix-up, the working-day calendar (2026 pre-loaded), the credit blacklist, and
//! on `application` its handling department, a version for optimistic locking, the staff
//! member of an in-hall intake, the last receipt time and the ID number and mobile of the person
//! who applied at the window.
//!
//! Cases taken at the window belong to one system account (`window-intake`, which cannot log
//! in); an applicant sees them when their account's mobile and ID number match the case's.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// 国务院办公厅关于 2026 年部分节假日安排的通知 (2025-11-04).
const OFF_2026: &[(u32, u32, u32)] = &[
    (1, 1, 3),
    (2, 15, 23),
    (4, 4, 6),
    (5, 1, 5),
    (6, 19, 21),
    (9, 25, 27),
    (10, 1, 7),
];
const WORK_2026: &[(u32, u32)] = &[(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)];

/// The login of the account that owns cases taken at the window.
pub const WINDOW_ACCOUNT_MOBILE: &str = "window-intake";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Staff::Table)
                .col(pk_auto(Staff::Id))
                .col(string_uniq(Staff::Login))
                .col(string(Staff::Name))
                .col(string(Staff::Role))
                .col(string(Staff::Department))
                .col(string(Staff::PasswordHash))
                .col(boolean(Staff::Active).default(true))
                .col(timestamp_with_time_zone(Staff::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StaffSession::Table)
                .col(pk_auto(StaffSession::Id))
                .col(string_uniq(StaffSession::TokenHash))
                .col(integer(StaffSession::StaffId))
                .col(timestamp_with_time_zone(StaffSession::CreatedAt))
                .col(timestamp_with_time_zone(StaffSession::LastSeenAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_staff_session_staff")
                        .from(StaffSession::Table, StaffSession::StaffId)
                        .to(Staff::Table, Staff::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        for column in [
            string_null(Application::Department).to_owned(),
            integer(Application::Version).default(0).to_owned(),
            integer_null(Application::StaffId).to_owned(),
            timestamp_with_time_zone_null(Application::ReceivedAt).to_owned(),
            string_null(Application::AgentIdNumber).to_owned(),
            string_null(Application::AgentMobile).to_owned(),
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
                .name("idx_application_department_status")
                .table(Application::Table)
                .col(Application::Department)
                .col(Application::Status)
                .to_owned(),
        )
        .await?;
        let db = m.get_connection();
        // Cases submitted before this migration: their department is their item's, or their
        // bundle's lead department; received when submitted.
        db.execute_unprepared(
            "UPDATE application SET department = (SELECT department FROM service_item \
             WHERE service_item.code = application.item_code) WHERE item_code IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE application SET department = (SELECT lead_department FROM bundle \
             WHERE bundle.code = application.bundle_code) WHERE bundle_code IS NOT NULL",
        )
        .await?;
        db.execute_unprepared(
            "UPDATE application SET received_at = submitted_at WHERE submitted_at IS NOT NULL",
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CaseEvent::Table)
                .col(pk_auto(CaseEvent::Id))
                .col(integer(CaseEvent::ApplicationId))
                .col(timestamp_with_time_zone(CaseEvent::At))
                .col(string(CaseEvent::Actor))
                .col(integer_null(CaseEvent::StaffId))
                .col(string(CaseEvent::ActorName))
                .col(string(CaseEvent::Channel))
                .col(string(CaseEvent::Action))
                .col(string_null(CaseEvent::FromStatus))
                .col(string(CaseEvent::ToStatus))
                .col(text_null(CaseEvent::Reason))
                .col(text_null(CaseEvent::Detail))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_case_event_application")
                        .from(CaseEvent::Table, CaseEvent::ApplicationId)
                        .to(Application::Table, Application::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_case_event_application")
                .table(CaseEvent::Table)
                .col(CaseEvent::ApplicationId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notice::Table)
                .col(pk_auto(Notice::Id))
                .col(integer(Notice::ApplicationId))
                .col(string(Notice::Kind))
                .col(integer(Notice::Year))
                .col(integer(Notice::Seq))
                .col(string_uniq(Notice::Number))
                .col(timestamp_with_time_zone(Notice::IssuedAt))
                .col(text(Notice::Content))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_notice_application")
                        .from(Notice::Table, Notice::ApplicationId)
                        .to(Application::Table, Application::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notice_kind_year_seq")
                .table(Notice::Table)
                .col(Notice::Kind)
                .col(Notice::Year)
                .col(Notice::Seq)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_notice_application")
                .table(Notice::Table)
                .col(Notice::ApplicationId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MaterialHistory::Table)
                .col(pk_auto(MaterialHistory::Id))
                .col(integer(MaterialHistory::ApplicationId))
                .col(string(MaterialHistory::MaterialCode))
                .col(string(MaterialHistory::Sha256))
                .col(big_integer(MaterialHistory::Size))
                .col(string(MaterialHistory::FileType))
                .col(string(MaterialHistory::FileName))
                .col(timestamp_with_time_zone(MaterialHistory::UploadedAt))
                .col(timestamp_with_time_zone(MaterialHistory::ReplacedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_material_history_application")
                        .from(MaterialHistory::Table, MaterialHistory::ApplicationId)
                        .to(Application::Table, Application::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_material_history_sha256")
                .table(MaterialHistory::Table)
                .col(MaterialHistory::Sha256)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CalendarYear::Table)
                .col(integer(CalendarYear::Year).primary_key())
                .col(string(CalendarYear::Source))
                .col(timestamp_with_time_zone(CalendarYear::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CalendarDay::Table)
                .col(pk_auto(CalendarDay::Id))
                .col(integer(CalendarDay::Year))
                .col(string_uniq(CalendarDay::Day))
                .col(boolean(CalendarDay::Working))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(CalendarYear::Table)
                .columns([
                    CalendarYear::Year,
                    CalendarYear::Source,
                    CalendarYear::UpdatedAt,
                ])
                .values_panic([
                    2026.into(),
                    "国务院办公厅关于2026年部分节假日安排的通知（2025-11-04）".into(),
                    Expr::current_timestamp(),
                ])
                .to_owned(),
        )
        .await?;
        let mut days = Query::insert()
            .into_table(CalendarDay::Table)
            .columns([CalendarDay::Year, CalendarDay::Day, CalendarDay::Working])
            .to_owned();
        for (month, from, to) in OFF_2026 {
            for day in *from..=*to {
                days.values_panic([
                    2026.into(),
                    format!("2026-{month:02}-{day:02}").into(),
                    false.into(),
                ]);
            }
        }
        for (month, day) in WORK_2026 {
            days.values_panic([
                2026.into(),
                format!("2026-{month:02}-{day:02}").into(),
                true.into(),
            ]);
        }
        m.exec_stmt(days).await?;

        m.create_table(
            Table::create()
                .table(CreditBlacklist::Table)
                .col(pk_auto(CreditBlacklist::Id))
                .col(string_uniq(CreditBlacklist::Number))
                .col(string(CreditBlacklist::Name))
                .col(text(CreditBlacklist::Reason))
                .col(timestamp_with_time_zone(CreditBlacklist::ListedAt))
                .to_owned(),
        )
        .await?;

        m.exec_stmt(
            Query::insert()
                .into_table(Account::Table)
                .columns([
                    Account::Mobile,
                    Account::PasswordHash,
                    Account::Name,
                    Account::IdNumber,
                    Account::CreatedAt,
                ])
                .values_panic([
                    WINDOW_ACCOUNT_MOBILE.into(),
                    "!cannot-log-in".into(),
                    "窗口收件".into(),
                    "".into(),
                    Expr::current_timestamp(),
                ])
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.exec_stmt(
            Query::delete()
                .from_table(Account::Table)
                .and_where(Expr::col(Account::Mobile).eq(WINDOW_ACCOUNT_MOBILE))
                .to_owned(),
        )
        .await?;
        for table in [
            CreditBlacklist::Table.into_iden(),
            CalendarDay::Table.into_iden(),
            CalendarYear::Table.into_iden(),
            MaterialHistory::Table.into_iden(),
            Notice::Table.into_iden(),
            CaseEvent::Table.into_iden(),
            StaffSession::Table.into_iden(),
            Staff::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.drop_index(
            Index::drop()
                .name("idx_application_department_status")
                .table(Application::Table)
                .to_owned(),
        )
        .await?;
        for column in [
            Application::Department,
            Application::Version,
            Application::StaffId,
            Application::ReceivedAt,
            Application::AgentIdNumber,
            Application::AgentMobile,
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

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    Login,
    Name,
    Role,
    Department,
    PasswordHash,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum StaffSession {
    Table,
    Id,
    TokenHash,
    StaffId,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Application {
    Table,
    Id,
    Status,
    Department,
    Version,
    StaffId,
    ReceivedAt,
    AgentIdNumber,
    AgentMobile,
}

#[derive(DeriveIden)]
enum CaseEvent {
    Table,
    Id,
    ApplicationId,
    At,
    Actor,
    StaffId,
    ActorName,
    Channel,
    Action,
    FromStatus,
    ToStatus,
    Reason,
    Detail,
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    ApplicationId,
    Kind,
    Year,
    Seq,
    Number,
    IssuedAt,
    Content,
}

#[derive(DeriveIden)]
enum MaterialHistory {
    Table,
    Id,
    ApplicationId,
    MaterialCode,
    Sha256,
    Size,
    FileType,
    FileName,
    UploadedAt,
    ReplacedAt,
}

#[derive(DeriveIden)]
enum CalendarYear {
    Table,
    Year,
    Source,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CalendarDay {
    Table,
    Id,
    Year,
    Day,
    Working,
}

#[derive(DeriveIden)]
enum CreditBlacklist {
    Table,
    Id,
    Number,
    Name,
    Reason,
    ListedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Mobile,
    PasswordHash,
    Name,
    IdNumber,
    CreatedAt,
}
