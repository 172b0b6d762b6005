//! The version of the reference data: `reference_version`, one row whose `n` grows with every
//! change to the catalog (departments, items and their versions, materials, form fields,
//! bundles, imports) or the working-day calendar. The database moves it itself, by triggers on
//! each of those tables, so no write path can forget to, and an instance sharing the database
//! sees another's change at its next read. The servers keep the reference data in memory and
//! check this one value before each use, where they used to count the rows of nine tables.
//!
//! SQLite moves it once per row changed (it has only row triggers); PostgreSQL once per
//! statement, `TRUNCATE` included.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables the reference data is read from.
const TABLES: [&str; 11] = [
    "catalog_import",
    "department",
    "service_item",
    "item_version",
    "material",
    "form_field",
    "bundle",
    "bundle_version",
    "bundle_item",
    "calendar_year",
    "calendar_day",
];

/// What each trigger runs.
const BUMP: &str = "UPDATE reference_version SET n = n + 1 WHERE id = 1";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE TABLE reference_version (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared("INSERT INTO reference_version (id, n) VALUES (1, 1)")
            .await?;
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            for table in TABLES {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    let name = trigger_name(table, event);
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {BUMP}; END"
                    ))
                    .await?;
                }
            }
            return Ok(());
        }
        db.execute_unprepared(&format!(
            "CREATE FUNCTION reference_changed() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN {BUMP}; RETURN NULL; END $$"
        ))
        .await?;
        for table in TABLES {
            let name = trigger_name(table, "change");
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} \
                 FOR EACH STATEMENT EXECUTE FUNCTION reference_changed()"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if db.get_database_backend() == DatabaseBackend::Sqlite {
            for table in TABLES {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    let name = trigger_name(table, event);
                    db.execute_unprepared(&format!("DROP TRIGGER {name}"))
                        .await?;
                }
            }
        } else {
            for table in TABLES {
                let name = trigger_name(table, "change");
                db.execute_unprepared(&format!("DROP TRIGGER {name} ON {table}"))
                    .await?;
            }
            db.execute_unprepared("DROP FUNCTION reference_changed()")
                .await?;
        }
        db.execute_unprepared("DROP TABLE reference_version")
            .await?;
        Ok(())
    }
}

fn trigger_name(table: &str, event: &str) -> String {
    format!("reference_{table}_{}", event.to_lowercase())
}
