//! Change notices for the servers' memory (PostgreSQL only): the database notifies the
//! channel `onewindow_changes` whenever something a server keeps in memory may have changed,
//! whoever wrote it. Payload `reference` when the reference data's version moves
//! (`reference_version`, raised by the catalog's and the calendar's own triggers); `cases`
//! when a case beyond a draft, a review task or a throttle record changes: what a tracking
//! lookup reads. PostgreSQL sends a transaction's notices when it commits, each payload once.
//!
//! A draft's own saves notify nobody: no lookup can find a draft.
//!
//! SQLite has no notifications: there each server asks the database every time.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for (create, _) in statements() {
            db.execute_unprepared(&create).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for (_, drop) in statements().into_iter().rev() {
            db.execute_unprepared(&drop).await?;
        }
        Ok(())
    }
}

/// The channel the servers listen on (`LISTEN onewindow_changes`).
pub const CHANNEL: &str = "onewindow_changes";
/// The payload of a change to the reference data; any other is a change of the cases.
pub const REFERENCE: &str = "reference";

/// Each statement of `up` with its undoing, in order.
fn statements() -> Vec<(String, String)> {
    vec![
        (
            format!(
                "CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN PERFORM pg_notify('{CHANNEL}', TG_ARGV[0]); RETURN NULL; END $$"
            ),
            "DROP FUNCTION notify_change()".to_string(),
        ),
        (
            format!(
                "CREATE TRIGGER reference_version_notice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
         ON reference_version FOR EACH STATEMENT EXECUTE FUNCTION notify_change('{REFERENCE}')"
            ),
            "DROP TRIGGER reference_version_notice ON reference_version".to_string(),
        ),
        (
            "CREATE TRIGGER application_notice AFTER INSERT OR UPDATE ON application \
         FOR EACH ROW WHEN (NEW.status <> 'draft' OR NEW.case_number IS NOT NULL) \
         EXECUTE FUNCTION notify_change('cases')"
                .to_string(),
            "DROP TRIGGER application_notice ON application".to_string(),
        ),
        (
            "CREATE TRIGGER application_gone_notice AFTER DELETE ON application \
         FOR EACH ROW WHEN (OLD.status <> 'draft' OR OLD.case_number IS NOT NULL) \
         EXECUTE FUNCTION notify_change('cases')"
                .to_string(),
            "DROP TRIGGER application_gone_notice ON application".to_string(),
        ),
        (
            "CREATE TRIGGER application_truncate_notice AFTER TRUNCATE ON application \
         FOR EACH STATEMENT EXECUTE FUNCTION notify_change('cases')"
                .to_string(),
            "DROP TRIGGER application_truncate_notice ON application".to_string(),
        ),
        (
            "CREATE TRIGGER review_task_notice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
         ON review_task FOR EACH STATEMENT EXECUTE FUNCTION notify_change('cases')"
                .to_string(),
            "DROP TRIGGER review_task_notice ON review_task".to_string(),
        ),
        (
            "CREATE TRIGGER login_throttle_notice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
         ON login_throttle FOR EACH STATEMENT EXECUTE FUNCTION notify_change('cases')"
                .to_string(),
            "DROP TRIGGER login_throttle_notice ON login_throttle".to_string(),
        ),
    ]
}
