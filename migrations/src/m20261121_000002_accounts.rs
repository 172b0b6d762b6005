//! Applicant accounts, their sessions, and the login throttle.
//!
//! Sessions are stored by the SHA-256 of their token, so a copy of the database does not
//! hand out sessions. The throttle is kept per mobile number whether or not an account has
//! it, so its behaviour never tells whether a number is registered.

use sea_orm_migration::{prelude::*, schema::*};

use crate::steps::{drop_tables, owned_by, table};
use crate::tables::{Account, LoginThrottle, Session};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table(
            Account::Table,
            [
                pk_auto(Account::Id),
                string_uniq(Account::Mobile),
                string(Account::PasswordHash),
                string(Account::Name),
                string(Account::IdNumber),
                timestamp_with_time_zone(Account::CreatedAt),
            ],
        ))
        .await?;
        m.create_table(
            table(
                Session::Table,
                [
                    pk_auto(Session::Id),
                    string_uniq(Session::TokenHash),
                    integer(Session::AccountId),
                    timestamp_with_time_zone(Session::CreatedAt),
                    timestamp_with_time_zone(Session::LastSeenAt),
                ],
            )
            .foreign_key(&mut owned_by(
                "fk_session_account",
                (Session::Table, Session::AccountId),
                (Account::Table, Account::Id),
            ))
            .to_owned(),
        )
        .await?;
        m.create_table(table(
            LoginThrottle::Table,
            [
                pk_auto(LoginThrottle::Id),
                string_uniq(LoginThrottle::Mobile),
                integer(LoginThrottle::Failures),
                timestamp_with_time_zone(LoginThrottle::LastFailureAt),
                timestamp_with_time_zone_null(LoginThrottle::LockedUntil),
            ],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                LoginThrottle::Table.into_iden(),
                Session::Table.into_iden(),
                Account::Table.into_iden(),
            ],
        )
        .await
    }
}
