//! Pre-review at the window: staff and their sessions, the case history, notices, materials
//! replaced in a fix-up, the working-day calendar (2026 pre-loaded), the credit blacklist, and
//! on `application` its handling department, a version for optimistic locking, the staff
//! member of an in-hall intake, the last receipt time and the ID number and mobile of the person
//! who applied at the window.
//!
//! Cases taken at the window belong to one system account (`window-intake`, which cannot log
//! in); an applicant sees them when their account's mobile and ID number match the case's.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{
    add_columns, drop_columns, drop_index, drop_tables, index, owned_by, table, unique_index,
};
use crate::tables::{
    Account, Application, CalendarDay, CalendarYear, CaseEvent, CreditBlacklist, MaterialHistory,
    Notice, Staff, StaffSession,
};

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
        use CaseEvent as E;
        use MaterialHistory as H;
        use StaffSession as SS;
        m.create_table(table(
            Staff::Table,
            [
                pk_auto(Staff::Id),
                string_uniq(Staff::Login),
                string(Staff::Name),
                string(Staff::Role),
                string(Staff::Department),
                string(Staff::PasswordHash),
                boolean(Staff::Active).default(true).to_owned(),
                timestamp_with_time_zone(Staff::CreatedAt),
            ],
        ))
        .await?;
        m.create_table(
            table(
                SS::Table,
                [
                    pk_auto(SS::Id),
                    string_uniq(SS::TokenHash),
                    integer(SS::StaffId),
                    timestamp_with_time_zone(SS::CreatedAt),
                    timestamp_with_time_zone(SS::LastSeenAt),
                ],
            )
            .foreign_key(&mut owned_by(
                "fk_staff_session_staff",
                (SS::Table, SS::StaffId),
                (Staff::Table, Staff::Id),
            ))
            .to_owned(),
        )
        .await?;

        add_columns(
            m,
            Application::Table,
            [
                string_null(Application::Department),
                integer(Application::Version).default(0).to_owned(),
                integer_null(Application::StaffId),
                timestamp_with_time_zone_null(Application::ReceivedAt),
                string_null(Application::AgentIdNumber),
                string_null(Application::AgentMobile),
            ],
        )
        .await?;
        let department_status = [Application::Department, Application::Status];
        index(
            m,
            DEPARTMENT_STATUS_INDEX,
            Application::Table,
            department_status,
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
            table(
                E::Table,
                [
                    pk_auto(E::Id),
                    integer(E::ApplicationId),
                    timestamp_with_time_zone(E::At),
                    string(E::Actor),
                    integer_null(E::StaffId),
                    string(E::ActorName),
                    string(E::Channel),
                    string(E::Action),
                    string_null(E::FromStatus),
                    string(E::ToStatus),
                    text_null(E::Reason),
                    text_null(E::Detail),
                ],
            )
            .foreign_key(&mut owned_by(
                "fk_case_event_application",
                (E::Table, E::ApplicationId),
                (Application::Table, Application::Id),
            ))
            .to_owned(),
        )
        .await?;
        index(
            m,
            "idx_case_event_application",
            E::Table,
            [E::ApplicationId],
        )
        .await?;

        m.create_table(
            table(
                Notice::Table,
                [
                    pk_auto(Notice::Id),
                    integer(Notice::ApplicationId),
                    string(Notice::Kind),
                    integer(Notice::Year),
                    integer(Notice::Seq),
                    string_uniq(Notice::Number),
                    timestamp_with_time_zone(Notice::IssuedAt),
                    text(Notice::Content),
                ],
            )
            .foreign_key(&mut owned_by(
                "fk_notice_application",
                (Notice::Table, Notice::ApplicationId),
                (Application::Table, Application::Id),
            ))
            .to_owned(),
        )
        .await?;
        let kind_year_seq = [Notice::Kind, Notice::Year, Notice::Seq];
        unique_index(m, "idx_notice_kind_year_seq", Notice::Table, kind_year_seq).await?;
        let application = [Notice::ApplicationId];
        index(m, "idx_notice_application", Notice::Table, application).await?;

        m.create_table(
            table(
                H::Table,
                [
                    pk_auto(H::Id),
                    integer(H::ApplicationId),
                    string(H::MaterialCode),
                    string(H::Sha256),
                    big_integer(H::Size),
                    string(H::FileType),
                    string(H::FileName),
                    timestamp_with_time_zone(H::UploadedAt),
                    timestamp_with_time_zone(H::ReplacedAt),
                ],
            )
            .foreign_key(&mut owned_by(
                "fk_material_history_application",
                (H::Table, H::ApplicationId),
                (Application::Table, Application::Id),
            ))
            .to_owned(),
        )
        .await?;
        index(m, "idx_material_history_sha256", H::Table, [H::Sha256]).await?;

        m.create_table(table(
            CalendarYear::Table,
            [
                integer(CalendarYear::Year).primary_key().to_owned(),
                string(CalendarYear::Source),
                timestamp_with_time_zone(CalendarYear::UpdatedAt),
            ],
        ))
        .await?;
        m.create_table(table(
            CalendarDay::Table,
            [
                pk_auto(CalendarDay::Id),
                integer(CalendarDay::Year),
                string_uniq(CalendarDay::Day),
                boolean(CalendarDay::Working),
            ],
        ))
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

        m.create_table(table(
            CreditBlacklist::Table,
            [
                pk_auto(CreditBlacklist::Id),
                string_uniq(CreditBlacklist::Number),
                string(CreditBlacklist::Name),
                text(CreditBlacklist::Reason),
                timestamp_with_time_zone(CreditBlacklist::ListedAt),
            ],
        ))
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
        drop_tables(
            m,
            [
                CreditBlacklist::Table.into_iden(),
                CalendarDay::Table.into_iden(),
                CalendarYear::Table.into_iden(),
                MaterialHistory::Table.into_iden(),
                Notice::Table.into_iden(),
                CaseEvent::Table.into_iden(),
                StaffSession::Table.into_iden(),
                Staff::Table.into_iden(),
            ],
        )
        .await?;
        drop_index(m, DEPARTMENT_STATUS_INDEX, Application::Table).await?;
        drop_columns(
            m,
            Application::Table,
            [
                Application::Department,
                Application::Version,
                Application::StaffId,
                Application::ReceivedAt,
                Application::AgentIdNumber,
                Application::AgentMobile,
            ],
        )
        .await
    }
}

const DEPARTMENT_STATUS_INDEX: &str = "idx_application_department_status";
