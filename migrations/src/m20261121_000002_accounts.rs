//! Applicant accounts, their sessions, and the login throttle.
//!
//! Sessions are stored by the SHA-256 of their token, so a copy of the database does not
//! hand out sessions. The throttle is kept per mobile number whether or not an account has
//! it, so its behaviour never tells whether a number is registered.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Account::Table)
                .col(pk_auto(Account::Id))
                .col(string_uniq(Account::Mobile))
                .col(string(Account::PasswordHash))
                .col(string(Account::Name))
                .col(string(Account::IdNumber))
                .col(timestamp_with_time_zone(Account::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Session::Table)
                .col(pk_auto(Session::Id))
                .col(string_uniq(Session::TokenHash))
                .col(integer(Session::AccountId))
                .col(timestamp_with_time_zone(Session::CreatedAt))
                .col(timestamp_with_time_zone(Session::LastSeenAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_session_account")
                        .from(Session::Table, Session::AccountId)
                        .to(Account::Table, Account::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(pk_auto(LoginThrottle::Id))
                .col(string_uniq(LoginThrottle::Mobile))
                .col(integer(LoginThrottle::Failures))
                .col(timestamp_with_time_zone(LoginThrottle::LastFailureAt))
                .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LoginThrottle::Table.into_iden(),
            Session::Table.into_iden(),
            Account::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Mobile,
    PasswordHash,
    Name,
    IdNumber,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    TokenHash,
    AccountId,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Id,
    Mobile,
    Failures,
    LastFailureAt,
    LockedUntil,
}
