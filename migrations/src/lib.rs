//! Database migrations. They never import entities, so old migrations keep compiling when
//! entities change; each file is named by the date it was written.

pub use sea_orm_migration::prelude::*;

mod m20261121_000001_catalog;
mod m20261121_000002_accounts;
mod m20261121_000003_applications;
mod m20261122_000004_submission;
mod m20261122_000005_review;
mod m20261122_000006_tracking;
mod m20261201_000007_hardening;
mod m20261201_000008_security_alert;
mod m20261201_000009_account_recovery;
mod m20261201_000010_back_office;
mod m20261202_000011_review_watch;
mod m20261202_000012_delivery;
mod m20261202_000013_licences;
mod m20261202_000014_case_lists;
mod m20261203_000015_reference_version;
mod m20261204_000016_change_notices;
mod steps;
mod tables;

/// What the database's change notices are sent on, and the payload of a reference change
/// (the servers listen for them: `app::server::services::changes`).
pub use m20261204_000016_change_notices::{
    CHANNEL as CHANGES_CHANNEL, REFERENCE as REFERENCE_CHANGED,
};

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_catalog::Migration),
            Box::new(m20261121_000002_accounts::Migration),
            Box::new(m20261121_000003_applications::Migration),
            Box::new(m20261122_000004_submission::Migration),
            Box::new(m20261122_000005_review::Migration),
            Box::new(m20261122_000006_tracking::Migration),
            Box::new(m20261201_000007_hardening::Migration),
            Box::new(m20261201_000008_security_alert::Migration),
            Box::new(m20261201_000009_account_recovery::Migration),
            Box::new(m20261201_000010_back_office::Migration),
            Box::new(m20261202_000011_review_watch::Migration),
            Box::new(m20261202_000012_delivery::Migration),
            Box::new(m20261202_000013_licences::Migration),
            Box::new(m20261202_000014_case_lists::Migration),
            Box::new(m20261203_000015_reference_version::Migration),
            Box::new(m20261204_000016_change_notices::Migration),
        ]
    }
}
