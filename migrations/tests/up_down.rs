//! Every migration runs up, down and up again on SQLite, and the schema after the second
//! `up` is the schema after the first: `down` undoes exactly what `up` did.

use migrations::{Migrator, MigratorTrait};
use sea_orm_migration::sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbErr, Statement};

async fn schema(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS line FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY type, name",
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get::<String>("", "line"))
        .collect()
}

#[tokio::test]
async fn down_undoes_up() -> Result<(), DbErr> {
    let db = Database::connect("sqlite::memory:").await?;
    Migrator::up(&db, None).await?;
    let first = schema(&db).await?;
    if let Ok(path) = std::env::var("ONEWINDOW_SCHEMA_DUMP") {
        std::fs::write(path, first.join("\n")).map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    assert!(
        first
            .iter()
            .any(|line| line.starts_with("table case_event:"))
    );
    assert!(
        first
            .iter()
            .any(|line| line.contains("idx_deadline_warning_once"))
    );

    Migrator::down(&db, None).await?;
    assert_eq!(
        schema(&db).await?,
        Vec::<String>::new(),
        "down left tables behind"
    );

    Migrator::up(&db, None).await?;
    assert_eq!(schema(&db).await?, first);
    Ok(())
}
