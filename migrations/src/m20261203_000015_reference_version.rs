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
        for (create, _) in triggers(db.get_database_backend()) {
            db.execute_unprepared(&create).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (_, drop) in triggers(db.get_database_backend()).into_iter().rev() {
            db.execute_unprepared(&drop).await?;
        }
        db.execute_unprepared("DROP TABLE reference_version")
            .await?;
        Ok(())
    }
}

/// What `up` creates after the table and `down` drops before it, in order: each statement
/// with its undoing.
fn triggers(backend: DatabaseBackend) -> Vec<(String, String)> {
    if backend == DatabaseBackend::Sqlite {
        return TABLES
            .into_iter()
            .flat_map(|table| {
                ["INSERT", "UPDATE", "DELETE"].map(|event| {
                    let name = format!("reference_{table}_{}", event.to_lowercase());
                    (
                        format!("CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {BUMP}; END"),
                        format!("DROP TRIGGER {name}"),
                    )
                })
            })
            .collect();
    }
    let function = (
        format!(
            "CREATE FUNCTION reference_changed() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN {BUMP}; RETURN NULL; END $$"
        ),
        "DROP FUNCTION reference_changed()".to_string(),
    );
    let each = TABLES.into_iter().map(|table| {
        let name = format!("reference_{table}_change");
        (
            format!(
                "CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} \
                 FOR EACH STATEMENT EXECUTE FUNCTION reference_changed()"
            ),
            format!("DROP TRIGGER {name} ON {table}"),
        )
    });
    std::iter::once(function).chain(each).collect()
}
