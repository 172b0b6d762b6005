//! Migrating a SQLite file that a pool of several connections has already read.

use app::server::db;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, TransactionTrait};

/// Every pooled connection has read the schema of migration 8 when migration 9 drops and
/// re-makes `notification`. Each connection keeps the schema it last read, so a statement
/// of migration 9 handed to one that was idle meanwhile would still see the old table's
/// indexes. Which connection the pool hands out depends on timing (the server's pool has
/// four, and CI once failed this way under load); with eight connections taken in turn, a
/// stale one is handed out every time.
#[tokio::test]
async fn migrations_see_their_own_changes_whichever_pooled_connection_runs_them() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("db.sqlite").display()
    );
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(8)
        .min_connections(8)
        .sqlx_logging(false);
    let conn = Database::connect(options).await.unwrap();
    Migrator::up(&conn, Some(8)).await.unwrap();

    for _round in 0..3 {
        // Eight transactions at once take the pool's eight connections; each reads the schema.
        let mut open = Vec::new();
        for _ in 0..8 {
            let txn = conn.begin().await.unwrap();
            txn.execute_unprepared("SELECT count(*) FROM notification")
                .await
                .unwrap();
            open.push(txn);
        }
        for txn in open {
            txn.commit().await.unwrap();
        }
    }

    db::migrate(&conn).await.unwrap();
    let pending = Migrator::get_pending_migrations(&conn).await.unwrap();
    assert!(pending.is_empty(), "{} migrations left", pending.len());
    conn.execute_unprepared("SELECT application_id FROM notification")
        .await
        .unwrap();
}
