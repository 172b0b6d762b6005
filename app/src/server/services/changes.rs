//! What this instance may take as current without asking the database: PostgreSQL tells it
//! when something changed (`LISTEN onewindow_changes`), so a value read under an *epoch*
//! holds until the epoch moves.
//!
//! Two epochs, each a counter that only grows:
//! - **reference**: moved when the reference data changes (the `reference_version` row, which
//!   the database raises with every change to the catalog or the calendar);
//! - **cases**: moved when the reference data changes too, and when a case beyond a draft, a
//!   review task or a throttle record changes: what tracking's probe reads
//!   (`tracking::memory`).
//!
//! The database's triggers send the notifications (migration
//! `m20261204_000016_change_notices`), so every writer is heard, this instance or another
//! one. Besides, this instance moves both epochs itself after each request that may have
//! written (any method but GET and HEAD) and after a failed tracking lookup, before its
//! answer leaves: whoever made a change reads it back at once, without waiting for the
//! notification.
//!
//! A value is remembered with the epoch read *before* the database was asked, so a change
//! landing during the read only makes it stale at once. Nothing is remembered while the
//! listening connection is down (SQLite has no notifications: always), and both epochs move
//! when it comes back, since notifications sent meanwhile are lost. Another instance's change
//! is seen as soon as its notification arrives, a few milliseconds after its commit.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::{DatabaseBackend, DatabaseConnection};

// The channel the triggers notify, and the payload of a reference data change (anything
// else is a change of the cases): the migration's own names.
use migrations::{CHANGES_CHANNEL as CHANNEL, REFERENCE_CHANGED as REFERENCE};

/// The epochs of one application state (a clone shares them).
#[derive(Clone, Default)]
pub struct Changes(Arc<Epochs>);

#[derive(Default)]
struct Epochs {
    live: AtomicBool,
    reference: AtomicU64,
    cases: AtomicU64,
}

/// Which epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Reference,
    Cases,
}

impl Changes {
    /// The epoch of `kind` while notifications are heard, `None` otherwise (then nothing may
    /// be remembered).
    pub fn epoch(&self, kind: Kind) -> Option<u64> {
        let epochs = &self.0;
        if !epochs.live.load(Ordering::SeqCst) {
            return None;
        }
        Some(match kind {
            Kind::Reference => epochs.reference.load(Ordering::SeqCst),
            Kind::Cases => epochs.cases.load(Ordering::SeqCst),
        })
    }

    /// Whether a value remembered under `epoch` still holds.
    pub fn holds(&self, kind: Kind, epoch: u64) -> bool {
        self.epoch(kind) == Some(epoch)
    }

    /// Something of `kind` changed (a reference change moves the cases' epoch too: the
    /// probe reads the reference stamp).
    pub fn changed(&self, kind: Kind) {
        if kind == Kind::Reference {
            self.0.reference.fetch_add(1, Ordering::SeqCst);
        }
        self.0.cases.fetch_add(1, Ordering::SeqCst);
    }

    /// This instance may have written anything: both epochs move.
    pub fn wrote(&self) {
        self.changed(Kind::Reference);
    }

    fn set_live(&self, live: bool) {
        if live {
            self.wrote();
            self.0.live.store(true, Ordering::SeqCst);
        } else {
            self.0.live.store(false, Ordering::SeqCst);
            self.wrote();
        }
    }

    /// Starts listening on PostgreSQL (nothing on SQLite), on a connection of its own, for as
    /// long as this state is used. A lost connection is opened again after a pause; until
    /// then everything is read from the database.
    pub fn listen(&self, db: &DatabaseConnection) {
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return;
        }
        let options = db.get_postgres_connection_pool().connect_options();
        let weak = Arc::downgrade(&self.0);
        tokio::spawn(async move {
            use sea_orm::sqlx::postgres::{PgListener, PgPoolOptions};
            let mut pause = Duration::from_millis(100);
            loop {
                // A pool of one, never closed by idleness: only the listener uses it.
                let pool = PgPoolOptions::new()
                    .max_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_lazy_with((*options).clone());
                // The task holds the epochs only while it moves them: it ends at the first
                // notice or loss after the application state is gone.
                let state = || weak.upgrade().map(Changes);
                let heard = async {
                    let mut listener = PgListener::connect_with(&pool).await?;
                    listener.eager_reconnect(false);
                    listener.listen(CHANNEL).await?;
                    let Some(changes) = state() else {
                        return Ok(());
                    };
                    changes.set_live(true);
                    drop(changes);
                    tracing::debug!("listening for changes");
                    loop {
                        let notice = listener.try_recv().await;
                        let Some(changes) = state() else {
                            return Ok(());
                        };
                        match notice {
                            Ok(Some(notice)) => changes.changed(match notice.payload() {
                                REFERENCE => Kind::Reference,
                                _ => Kind::Cases,
                            }),
                            // The connection is lost (`None`) or failed: not live until
                            // it is open again.
                            end => {
                                changes.set_live(false);
                                return end.map(drop);
                            }
                        }
                    }
                };
                let result: Result<(), sea_orm::sqlx::Error> = heard.await;
                pool.close().await;
                if weak.strong_count() == 0 {
                    return;
                }
                match result {
                    Ok(()) => pause = Duration::from_millis(100),
                    Err(e) => {
                        tracing::warn!("not listening for changes: {e}; reading them instead");
                        pause = (pause * 2).min(Duration::from_secs(10));
                    }
                }
                tokio::time::sleep(pause).await;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_holds_unless_live_and_every_change_or_write_moves_the_epochs() {
        let changes = Changes::default();
        assert_eq!(changes.epoch(Kind::Cases), None);
        changes.set_live(true);
        let (reference, cases) = (
            changes.epoch(Kind::Reference).unwrap(),
            changes.epoch(Kind::Cases).unwrap(),
        );
        assert!(changes.holds(Kind::Reference, reference));
        changes.changed(Kind::Cases);
        assert!(changes.holds(Kind::Reference, reference));
        assert!(!changes.holds(Kind::Cases, cases));
        let cases = changes.epoch(Kind::Cases).unwrap();
        changes.changed(Kind::Reference);
        assert!(!changes.holds(Kind::Reference, reference));
        assert!(!changes.holds(Kind::Cases, cases));
        let (reference, cases) = (
            changes.epoch(Kind::Reference).unwrap(),
            changes.epoch(Kind::Cases).unwrap(),
        );
        changes.wrote();
        assert!(!changes.holds(Kind::Reference, reference));
        assert!(!changes.holds(Kind::Cases, cases));
        // Down and up again: what was read before holds no more.
        let cases = changes.epoch(Kind::Cases).unwrap();
        changes.set_live(false);
        assert_eq!(changes.epoch(Kind::Cases), None);
        changes.set_live(true);
        assert!(!changes.holds(Kind::Cases, cases));
    }
}
