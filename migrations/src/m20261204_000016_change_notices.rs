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
        for (create, _) in STATEMENTS {
            db.execute_unprepared(create).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        for (_, drop) in STATEMENTS.iter().rev() {
            db.execute_unprepared(drop).await?;
        }
        Ok(())
    }
}

/// Each statement of `up` with its undoing, in order.
const STATEMENTS: [(&str, &str); 7] = [
    (
        "CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN PERFORM pg_notify('onewindow_changes', TG_ARGV[0]); RETURN NULL; END $$",
        "DROP FUNCTION notify_change()",
    ),
    (
        "CREATE TRIGGER reference_version_notice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
         ON reference_version FOR EACH STATEMENT EXECUTE FUNCTION notify_change('reference')",
        "DROP TRIGGER reference_version_notice ON reference_version",
    ),
    (
        "CREATE TRIGGER application_notice AFTER INSERT OR UPDATE ON application \
         FOR EACH ROW WHEN (NEW.status <> 'draft' OR NEW.case_number IS NOT NULL) \
         EXECUTE FUNCTION notify_change('cases')",
        "DROP TRIGGER application_notice ON application",
    ),
    (
        "CREATE TRIGGER application_gone_notice AFTER DELETE ON application \
         FOR EACH ROW WHEN (OLD.status <> 'draft' OR OLD.case_number IS NOT NULL) \
         EXECUTE FUNCTION notify_change('cases')",
        "DROP TRIGGER application_gone_notice ON application",
    ),
    (
        "CREATE TRIGGER application_truncate_notice AFTER TRUNCATE ON application \
         FOR EACH STATEMENT EXECUTE FUNCTION notify_change('cases')",
        "DROP TRIGGER application_truncate_notice ON application",
    ),
    (
        "CREATE TRIGGER review_task_notice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
         ON review_task FOR EACH STATEMENT EXECUTE FUNCTION notify_change('cases')",
        "DROP TRIGGER review_task_notice ON review_task",
    ),
    (
        "CREATE TRIGGER login_throttle_notice AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
         ON login_throttle FOR EACH STATEMENT EXECUTE FUNCTION notify_change('cases')",
        "DROP TRIGGER login_throttle_notice ON login_throttle",
    ),
];
