//! Database sessions, applicants' and staff's alike. A session is a row found by the SHA-256
//! of its token (the cookie carries only the random token); logout deletes it, and so does
//! its first use after `SESSION_IDLE_SECONDS` without one. Its last-seen time is written at
//! most every `TOUCH_EVERY_SECONDS`, so a page's many requests write once.
//!
//! The two tables differ only in whose id a row holds (`session.account_id`,
//! `staff_session.staff_id`) and in the cookie that carries the token, so an applicant's
//! session never opens the workbench.
//!
//! Why not tower-sessions: its stores are per database driver, and this binary picks SQLite
//! or PostgreSQL at run time through sea-orm; a session here is one row in the same database,
//! created and deleted through the same entities.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::domain::account::SESSION_IDLE_SECONDS;
use crate::server::entities::{session, staff_session};

/// A session's last-seen time is written at most this often, in seconds.
pub(crate) const TOUCH_EVERY_SECONDS: i64 = 60;

/// A table of sessions.
pub(crate) trait SessionTable: EntityTrait {
    /// The table in an error's context: "a session", "a staff session".
    const WHAT: &'static str;
    fn id() -> Self::Column;
    fn token_hash() -> Self::Column;
    fn last_seen_at() -> Self::Column;
    fn owner() -> Self::Column;
    /// A new session of `owner`.
    fn new_row(token_hash: String, owner: i32, now: DateTime<Utc>) -> Self::ActiveModel;
    /// A row's id, its owner and when it was last used.
    fn read(row: &Self::Model) -> (i32, i32, DateTime<Utc>);
}

/// The two tables' `SessionTable`: `table` whose rows hold their owner in `owner` (the
/// column `Owner`).
macro_rules! session_table {
    ($table:ident, $owner:ident, $Owner:ident, $what:literal) => {
        impl SessionTable for $table::Entity {
            const WHAT: &'static str = $what;
            fn id() -> $table::Column {
                $table::Column::Id
            }
            fn token_hash() -> $table::Column {
                $table::Column::TokenHash
            }
            fn last_seen_at() -> $table::Column {
                $table::Column::LastSeenAt
            }
            fn owner() -> $table::Column {
                $table::Column::$Owner
            }
            fn new_row(token_hash: String, owner: i32, now: DateTime<Utc>) -> $table::ActiveModel {
                $table::ActiveModel {
                    token_hash: Set(token_hash),
                    $owner: Set(owner),
                    created_at: Set(now),
                    last_seen_at: Set(now),
                    ..Default::default()
                }
            }
            fn read(row: &$table::Model) -> (i32, i32, DateTime<Utc>) {
                (row.id, row.$owner, row.last_seen_at)
            }
        }
    };
}

session_table!(session, account_id, AccountId, "a session");
session_table!(staff_session, staff_id, StaffId, "a staff session");

/// Opens a session of `owner` (in the login's transaction); returns its token.
pub(crate) async fn open<T: SessionTable>(
    db: &impl ConnectionTrait,
    owner: i32,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let token = new_token()?;
    T::insert(T::new_row(token_hash(&token), owner, now))
        .exec_without_returning(db)
        .await
        .with_context(|| format!("failed to insert {}", T::WHAT))?;
    Ok(token)
}

/// Ends the session with this token (nothing happens for an unknown token).
pub(crate) async fn end<T: SessionTable>(
    db: &impl ConnectionTrait,
    token: &str,
) -> anyhow::Result<()> {
    delete_where::<T>(db, T::token_hash().eq(token_hash(token))).await
}

/// Ends every session of `owner` (their number has gone to someone else, or a new password
/// was set).
pub(crate) async fn end_all<T: SessionTable>(
    db: &impl ConnectionTrait,
    owner: i32,
) -> anyhow::Result<()> {
    delete_where::<T>(db, T::owner().eq(owner)).await
}

async fn delete_where<T: SessionTable>(
    db: &impl ConnectionTrait,
    which: sea_orm::sea_query::SimpleExpr,
) -> anyhow::Result<()> {
    T::delete_many()
        .filter(which)
        .exec(db)
        .await
        .with_context(|| format!("failed to delete {}", T::WHAT))?;
    Ok(())
}

/// The owner of the live session with this token, counting this as its use; an idle
/// session has expired and is deleted.
pub(crate) async fn owner<T: SessionTable>(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<i32>> {
    let Some(row) = find::<T>(db, token).await? else {
        return Ok(None);
    };
    let (id, owner, last_seen) = T::read(&row);
    let idle = (now - last_seen).num_seconds();
    if idle >= SESSION_IDLE_SECONDS {
        T::delete_many()
            .filter(T::id().eq(id))
            .exec(db)
            .await
            .with_context(|| format!("failed to expire {}", T::WHAT))?;
        return Ok(None);
    }
    if idle >= TOUCH_EVERY_SECONDS {
        T::update_many()
            .col_expr(T::last_seen_at(), Expr::value(now))
            .filter(T::id().eq(id))
            .exec(db)
            .await
            .with_context(|| format!("failed to touch {}", T::WHAT))?;
    }
    Ok(Some(owner))
}

/// Whether the session with this token is still open (not logged out, not idle too long),
/// without counting this as use.
pub(crate) async fn alive<T: SessionTable>(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let row = find::<T>(db, token).await?;
    Ok(row.is_some_and(|r| (now - T::read(&r).2).num_seconds() < SESSION_IDLE_SECONDS))
}

async fn find<T: SessionTable>(
    db: &impl ConnectionTrait,
    token: &str,
) -> anyhow::Result<Option<T::Model>> {
    T::find()
        .filter(T::token_hash().eq(token_hash(token)))
        .one(db)
        .await
        .with_context(|| format!("failed to read {}", T::WHAT))
}

/// 32 random bytes, hex: the cookie value.
fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("no randomness for a session token: {e}"))?;
    Ok(hex::encode(bytes))
}

/// What the table stores of a token (or of a recovery code): its SHA-256, hex.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
