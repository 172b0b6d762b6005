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

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};
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

/// One guess at a secret (a tracking factor, a receipt's code, a licence's check code) by
/// the client throttled as a key. Guesses from one client are judged without waiting for
/// each other: a guess may be tried if the key's record, as read after the guess started,
/// allows it *with every wrong guess decided on this instance and not yet in that record
/// counted as failed now*. Deciding is atomic per key, so of parallel guesses each is judged
/// as if it came after those decided before it: they cannot all pass before their failures
/// are counted, and a right guess never waits for another (tracking's successes cost no
/// write and no wait).
///
/// A right guess and a wrong one are refused alike when they must wait, so a refusal tells
/// nothing of the guess.
pub struct Guess {
    key: String,
    /// How many wrong guesses of the key had been written when this one started.
    seen: u64,
}

/// A key's guesses on this instance.
#[derive(Default)]
struct Tally {
    /// Guesses started and not finished.
    guesses: u32,
    /// Wrong guesses decided and not yet written.
    deciding: u32,
    /// Wrong guesses written since the key's tally was made.
    written: u64,
}

type Tallies = Mutex<HashMap<String, Tally>>;

fn tallies() -> MutexGuard<'static, HashMap<String, Tally>> {
    static TALLIES: OnceLock<Tallies> = OnceLock::new();
    TALLIES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

impl Guess {
    /// Starts a guess for `key`. Read the key's record after this.
    pub fn start(key: &str) -> Guess {
        let mut tallies = tallies();
        let tally = tallies.entry(key.to_string()).or_default();
        tally.guesses += 1;
        Guess {
            key: key.to_string(),
            seen: tally.written,
        }
    }

    /// Whether the guess may be tried under `rule`, with `record` the key's record as read
    /// after [`Guess::start`]; otherwise how many seconds the client must wait.
    pub fn may_try(
        &self,
        rule: ThrottleRule,
        record: Option<Throttle>,
        now: DateTime<Utc>,
    ) -> Result<(), i64> {
        let tallies = tallies();
        self.judge(&tallies, rule, record, now)
    }

    fn judge(
        &self,
        tallies: &HashMap<String, Tally>,
        rule: ThrottleRule,
        record: Option<Throttle>,
        now: DateTime<Utc>,
    ) -> Result<(), i64> {
        // A failure written since the guess started may not be in the record it read: count
        // it as deciding (one written before the read then counts twice, which only errs on
        // the side of waiting).
        let undecided = tallies.get(&self.key).map_or(0, |t| {
            u64::from(t.deciding) + t.written.saturating_sub(self.seen)
        });
        rule.wait_counting(
            record,
            u32::try_from(undecided).unwrap_or(u32::MAX),
            now.timestamp(),
        )
    }

    /// The guess was right: whether it may be told so (`Err`: seconds to wait, as for a
    /// wrong guess judged at the same moment).
    pub fn right(
        self,
        rule: ThrottleRule,
        record: Option<Throttle>,
        now: DateTime<Utc>,
    ) -> Result<(), i64> {
        self.may_try(rule, record, now)
    }

    /// The guess was wrong: refused with the seconds to wait if guesses decided since it
    /// was tried leave it no turn (then it is not counted, as it would not have been tried);
    /// otherwise its failure, which counts against every guess judged from now on and must
    /// be written with [`Failure::count`].
    pub fn wrong(
        self,
        rule: ThrottleRule,
        record: Option<Throttle>,
        now: DateTime<Utc>,
    ) -> Result<Failure, i64> {
        let mut tallies = tallies();
        self.judge(&tallies, rule, record, now)?;
        tallies.entry(self.key.clone()).or_default().deciding += 1;
        drop(tallies);
        Ok(Failure { guess: self, rule })
    }
}

impl Drop for Guess {
    fn drop(&mut self) {
        let mut tallies = tallies();
        if let Some(tally) = tallies.get_mut(&self.key) {
            tally.guesses = tally.guesses.saturating_sub(1);
            if tally.guesses == 0 {
                tallies.remove(&self.key);
            }
        }
    }
}

/// A wrong guess decided and not yet written.
pub struct Failure {
    guess: Guess,
    rule: ThrottleRule,
}

impl Failure {
    /// Writes the failure to the key's record. It stays *deciding* until dropped: whoever
    /// remembers the record (tracking's probe) must stop holding it before then, or a guess
    /// started in between would count this failure neither in the record nor as deciding.
    pub async fn count(&self, db: &impl ConnectionTrait, now: DateTime<Utc>) -> anyhow::Result<()> {
        count(db, &self.guess.key, self.rule, now).await.map(drop)
    }
}

impl Drop for Failure {
    fn drop(&mut self) {
        let mut tallies = tallies();
        if let Some(tally) = tallies.get_mut(&self.guess.key) {
            tally.deciding = tally.deciding.saturating_sub(1);
            tally.written += 1;
        }
    }
}

/// Starts a guess for `key` and reads the key's record: the guess with the record it is to
/// be decided by, or (inside) the seconds to wait under `rule`.
pub async fn guess(
    db: &impl ConnectionTrait,
    key: &str,
    rule: ThrottleRule,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<(Guess, Option<Throttle>), i64>> {
    let guess = Guess::start(key);
    let record = read(db, key).await?.as_ref().map(throttle_of);
    Ok(guess.may_try(rule, record, now).map(|()| (guess, record)))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap_or_default()
    }

    #[test]
    fn wrong_guesses_count_from_the_moment_they_are_decided() {
        let (rule, now) = (ThrottleRule::LOGIN, at(1_000_000));
        let key = "test:decided";
        // Guesses started and not decided hold nobody up.
        let undecided = Guess::start(key);
        let failures: Vec<Failure> = (0..3)
            .map(|_| Guess::start(key).wrong(rule, None, now).ok().unwrap())
            .collect();
        // Three wrong guesses decided and not written: the next waits, right or wrong.
        assert_eq!(Guess::start(key).right(rule, None, now), Err(1));
        assert!(Guess::start(key).wrong(rule, None, now).is_err());
        assert_eq!(undecided.may_try(rule, None, now), Err(1));
        // Written after a guess read its record, they still count for that guess.
        drop(failures);
        assert_eq!(undecided.right(rule, None, now), Err(1));
        // A guess that reads the record after they were written counts them from it.
        let written = Some(ThrottleRule::LOGIN.after_failure(None, now.timestamp()));
        assert_eq!(Guess::start(key).may_try(rule, written, now), Ok(()));
    }

    #[test]
    fn right_guesses_pass_together() {
        let (rule, now) = (ThrottleRule::LOGIN, at(1_000_000));
        let key = "test:together";
        let guesses: Vec<Guess> = (0..64).map(|_| Guess::start(key)).collect();
        for guess in guesses {
            assert_eq!(guess.right(rule, None, now), Ok(()));
        }
        assert!(!tallies().contains_key(key), "a finished key is forgotten");
    }
}
