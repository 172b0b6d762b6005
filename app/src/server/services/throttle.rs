//! The throttles, kept in the database (table `login_throttle`, one row per key) so that
//! several instances share them:
//!
//! | key | rule | counts |
//! |---|---|---|
//! | `login:<mobile>@<client>`, `staff:<login>@<client>` | [`ThrottleRule::LOGIN`] | every password check, before it runs |
//! | `login-client:<client>` | [`ThrottleRule::CLIENT`] | failed logins from a client, over all accounts |
//! | `register:<client>` | [`ThrottleRule::REGISTRATION`] | registrations tried from a client |
//! | `track:<client>` | [`ThrottleRule::LOGIN`] | failed tracking lookups |
//!
//! An account is throttled per client, so nobody can lock a window clerk (and with it the
//! department's five-day acceptance clock) out from elsewhere. Every count is a
//! compare-and-set on the row as read: parallel attempts are each counted, none of them fails
//! with a database conflict, and a password is only checked once its attempt is counted.
//! The argon2 checks themselves run on a few threads of their own ([`on_hashing_thread`]):
//! each takes 19 MiB.

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TryInsertResult};
use tokio::sync::Semaphore;

use crate::domain::account::{Throttle, ThrottleRule};
use crate::server::entities::login_throttle;

/// Why an attempt may not go ahead.
#[derive(Debug, thiserror::Error)]
pub enum ThrottleError {
    /// The key must wait this many seconds.
    #[error("尝试过于频繁，请 {0} 秒后再试")]
    Wait(i64),
    /// Too many password checks at once on this server.
    #[error("系统繁忙，请稍后再试")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Tries at a compare-and-set before an attempt is refused as too many at once.
const CAS_TRIES: usize = 8;

/// Refuses while `key` must wait under `rule`.
pub async fn check(
    db: &impl ConnectionTrait,
    key: &str,
    rule: ThrottleRule,
    now: DateTime<Utc>,
) -> Result<(), ThrottleError> {
    let row = read(db, key).await?;
    rule.wait(row.as_ref().map(throttle_of), now.timestamp())
        .map_err(ThrottleError::Wait)
}

/// Refuses while `key` must wait; otherwise counts this attempt as a failure before it is
/// tried (a password check that succeeds then calls [`forget`]). Of parallel attempts, those
/// that lose the race to count are refused, never checked uncounted. Returns the record
/// as counted.
pub async fn claim(
    db: &impl ConnectionTrait,
    key: &str,
    rule: ThrottleRule,
    now: DateTime<Utc>,
) -> Result<Throttle, ThrottleError> {
    for _ in 0..CAS_TRIES {
        let row = read(db, key).await?;
        let current = row.as_ref().map(throttle_of);
        rule.wait(current, now.timestamp())
            .map_err(ThrottleError::Wait)?;
        if let Some(next) = write(db, key, rule, row, now).await? {
            return Ok(next);
        }
    }
    Err(ThrottleError::Wait(1))
}

/// Counts one failure of `key` (after the fact: a failed tracking lookup, a failed login of a
/// client). Returns the record as counted, or `None` if every try lost to another writer.
pub async fn count(
    db: &impl ConnectionTrait,
    key: &str,
    rule: ThrottleRule,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Throttle>> {
    for _ in 0..CAS_TRIES {
        let row = read(db, key).await?;
        if let Some(next) = write(db, key, rule, row, now).await? {
            return Ok(Some(next));
        }
    }
    tracing::warn!(
        key,
        "a throttle failure was not counted: too many writers at once"
    );
    Ok(None)
}

/// One at a time per key on this instance: held across a check, the lookup it guards and
/// the count of its failure, so parallel guesses from one client cannot all pass the check
/// before any failure is counted (tracking keeps its successes free of writes this way).
pub struct KeyTurn {
    key: String,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

type KeyLocks =
    std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>;

fn key_locks() -> &'static KeyLocks {
    static LOCKS: OnceLock<KeyLocks> = OnceLock::new();
    LOCKS.get_or_init(Default::default)
}

/// Waits for `key`'s turn.
pub async fn turn(key: &str) -> KeyTurn {
    let lock = {
        let mut locks = key_locks().lock().unwrap_or_else(|e| e.into_inner());
        locks.entry(key.to_string()).or_default().clone()
    };
    KeyTurn {
        key: key.to_string(),
        _turn: lock.lock_owned().await,
    }
}

impl Drop for KeyTurn {
    fn drop(&mut self) {
        let mut locks = key_locks().lock().unwrap_or_else(|e| e.into_inner());
        // Only this turn's guard and the map hold the lock: nobody waits, forget the key.
        if locks
            .get(&self.key)
            .is_some_and(|l| std::sync::Arc::strong_count(l) <= 2)
        {
            locks.remove(&self.key);
        }
    }
}

/// Forgets the failures of `key` (its password was right).
pub async fn forget(db: &impl ConnectionTrait, key: &str) -> anyhow::Result<()> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Mobile.eq(key))
        .exec(db)
        .await
        .context("failed to clear a throttle")?;
    Ok(())
}

/// How many argon2 hashes or checks run at once: one per core, at least two.
fn hashing_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2)
}

type HashJob = Box<dyn FnOnce() + Send>;

/// The threads that run argon2, and nothing else. A fixed few: each keeps the 19 MiB it
/// last used with the allocator, so memory stays at a few times 19 MiB however many checks
/// are asked for (on tokio's blocking pool every one of up to 512 threads would keep its own).
fn hashing_queue() -> &'static std::sync::mpsc::SyncSender<HashJob> {
    static QUEUE: OnceLock<std::sync::mpsc::SyncSender<HashJob>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let threads = hashing_threads();
        let (tx, rx) = std::sync::mpsc::sync_channel::<HashJob>(threads);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    loop {
                        let job = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = ?e, "could not start a password hashing thread");
            }
        }
        tx
    })
}

/// Runs `job` (an argon2 hash or check) on a hashing thread. At most one per thread runs at
/// once; a caller waits up to ten seconds for its turn, then is told the system is busy.
pub async fn on_hashing_thread<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ThrottleError> {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    let turns = TURNS.get_or_init(|| Semaphore::new(hashing_threads()));
    let _turn = match tokio::time::timeout(Duration::from_secs(10), turns.acquire()).await {
        Ok(Ok(turn)) => turn,
        _ => return Err(ThrottleError::Busy),
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    hashing_queue()
        .send(Box::new(move || {
            let _ = tx.send(job());
        }))
        .map_err(|_| anyhow::anyhow!("the password hashing threads are gone"))?;
    Ok(rx
        .await
        .map_err(|_| anyhow::anyhow!("a password hashing job was dropped"))?)
}

async fn read(
    db: &impl ConnectionTrait,
    key: &str,
) -> anyhow::Result<Option<login_throttle::Model>> {
    login_throttle::Entity::find()
        .filter(login_throttle::Column::Mobile.eq(key))
        .one(db)
        .await
        .context("failed to read a throttle")
}

/// Writes one more failure over `row` as read, if nobody wrote it since; `None` if somebody
/// did.
async fn write(
    db: &impl ConnectionTrait,
    key: &str,
    rule: ThrottleRule,
    row: Option<login_throttle::Model>,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<Throttle>> {
    let next = rule.after_failure(row.as_ref().map(throttle_of), now.timestamp());
    let at = |t: i64| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or(now);
    let written = match row {
        Some(row) => {
            login_throttle::Entity::update_many()
                .col_expr(login_throttle::Column::Failures, Expr::value(next.failures))
                .col_expr(
                    login_throttle::Column::LastFailureAt,
                    Expr::value(at(next.last_failure_at)),
                )
                .col_expr(
                    login_throttle::Column::LockedUntil,
                    Expr::value(next.locked_until.map(at)),
                )
                .filter(login_throttle::Column::Id.eq(row.id))
                .filter(login_throttle::Column::Failures.eq(row.failures))
                .filter(login_throttle::Column::LastFailureAt.eq(row.last_failure_at))
                .exec(db)
                .await
                .context("failed to count a throttle failure")?
                .rows_affected
                == 1
        }
        None => matches!(
            login_throttle::Entity::insert(login_throttle::ActiveModel {
                mobile: Set(key.into()),
                failures: Set(next.failures),
                last_failure_at: Set(at(next.last_failure_at)),
                locked_until: Set(next.locked_until.map(at)),
                ..Default::default()
            })
            .on_conflict_do_nothing_on([login_throttle::Column::Mobile])
            .exec_without_returning(db)
            .await
            .context("failed to start a throttle")?,
            TryInsertResult::Inserted(1)
        ),
    };
    Ok(written.then_some(next))
}

fn throttle_of(t: &login_throttle::Model) -> Throttle {
    Throttle {
        failures: t.failures,
        last_failure_at: t.last_failure_at.timestamp(),
        locked_until: t.locked_until.map(|l| l.timestamp()),
    }
}
