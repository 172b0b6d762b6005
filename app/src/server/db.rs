//! Connecting to the database (SQLite embedded by default, PostgreSQL in production) and
//! applying the migrations.

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    TransactionTrait,
};

/// Connects to `url` (`sqlite://…?mode=rwc` or `postgres://…`) with the default pool.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_with(url, None).await
}

/// Connects to `url` with a pool of at most `connections` (default: 4 on SQLite, sqlx's 10
/// on PostgreSQL). An in-memory SQLite database is always one connection.
pub async fn connect_with(
    url: &str,
    connections: Option<u32>,
) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    // sqlx pings every connection it hands out, a second round trip for each query. Only a
    // connection idle for a while may have been dropped by the server or a firewall: ping
    // those, and let busy ones through.
    options.test_before_acquire_if_idle_for(std::time::Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        // One writer at a time is SQLite's rule anyway; an in-memory database must be one
        // connection, or each pooled connection would get its own empty database.
        options.max_connections(if url.contains(":memory:") {
            1
        } else {
            connections.unwrap_or(4)
        });
    } else if let Some(connections) = connections {
        options.max_connections(connections);
    }
    Database::connect(options)
        .await
        .with_context(|| format!("failed to connect to {}", redact(url)))
}

/// Applies every pending migration.
///
/// On SQLite they run on one connection, in one transaction. Each pooled connection keeps
/// the schema it last read and does not look again before parsing a `CREATE`. A statement
/// handed to a connection that was idle while an earlier step dropped and re-made a table
/// would therefore still see the old table's indexes, and fail with "index … already exists".
/// The transaction also means that a failed migration leaves nothing half-applied.
/// PostgreSQL already runs each migration in its own transaction.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    let applied = if db.get_database_backend() == DatabaseBackend::Sqlite {
        let txn = db.begin().await.context("failed to begin the migrations")?;
        match Migrator::up(&txn, None).await {
            Ok(()) => txn.commit().await,
            Err(e) => Err(e),
        }
    } else {
        Migrator::up(db, None).await
    };
    applied.context("failed to apply migrations")
}

/// Whether the database answers a trivial query (for `/healthz`).
pub async fn is_reachable(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// The URL without its password, for logs and messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].split_once(':') {
            Some((user, _password)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}
