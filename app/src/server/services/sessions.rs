//! Database sessions, applicants' and staff's alike. A session is a row found by the SHA-256
//! of its token (the cookie carries only the random token); logout deletes it, and so does
//! its first use after `SESSION_IDLE_SECONDS` without one. Its last-seen time is written at
//! most every `TOUCH_EVERY_SECONDS`, so a page's many requests write once.
//!
//! The two tables differ only in whose id a row holds (`session.account_id`,
//! `staff_session.staff_id`) and in the cookie that carries the token, so an applicant's
//! session never opens the workbench.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::domain::account::SESSION_IDLE_SECONDS;
use crate::server::entities::{session, staff_session};
use crate::server::services::accounts::{new_token, token_hash};

/// A session's last-seen time is written at most this often, in seconds.
pub(crate) const TOUCH_EVERY_SECONDS: i64 = 60;

/// A table of sessions.
pub(crate) trait SessionTable: EntityTrait {
    /// The table in an error's context: "a session", "a staff session".
    const WHAT: &'static str;
    fn id() -> Self::Column;
    fn token_hash() -> Self::Column;
    fn last_seen_at() -> Self::Column;
    /// A new session of `owner`.
    fn new_row(token_hash: String, owner: i32, now: DateTime<Utc>) -> Self::ActiveModel;
    /// A row's id, its owner and when it was last used.
    fn read(row: &Self::Model) -> (i32, i32, DateTime<Utc>);
}

impl SessionTable for session::Entity {
    const WHAT: &'static str = "a session";
    fn id() -> session::Column {
        session::Column::Id
    }
    fn token_hash() -> session::Column {
        session::Column::TokenHash
    }
    fn last_seen_at() -> session::Column {
        session::Column::LastSeenAt
    }
    fn new_row(token_hash: String, owner: i32, now: DateTime<Utc>) -> session::ActiveModel {
        session::ActiveModel {
            token_hash: Set(token_hash),
            account_id: Set(owner),
            created_at: Set(now),
            last_seen_at: Set(now),
            ..Default::default()
        }
    }
    fn read(row: &session::Model) -> (i32, i32, DateTime<Utc>) {
        (row.id, row.account_id, row.last_seen_at)
    }
}

impl SessionTable for staff_session::Entity {
    const WHAT: &'static str = "a staff session";
    fn id() -> staff_session::Column {
        staff_session::Column::Id
    }
    fn token_hash() -> staff_session::Column {
        staff_session::Column::TokenHash
    }
    fn last_seen_at() -> staff_session::Column {
        staff_session::Column::LastSeenAt
    }
    fn new_row(token_hash: String, owner: i32, now: DateTime<Utc>) -> staff_session::ActiveModel {
        staff_session::ActiveModel {
            token_hash: Set(token_hash),
            staff_id: Set(owner),
            created_at: Set(now),
            last_seen_at: Set(now),
            ..Default::default()
        }
    }
    fn read(row: &staff_session::Model) -> (i32, i32, DateTime<Utc>) {
        (row.id, row.staff_id, row.last_seen_at)
    }
}

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
    T::delete_many()
        .filter(T::token_hash().eq(token_hash(token)))
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
