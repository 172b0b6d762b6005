//! Tracking from memory. A lookup asks the database one question, the *probe*: the client's
//! throttle, the stamps of the reference data (`services::reference`) and the case's stamp
//! (its id, its version, and how many of its review tasks are done and still held), all
//! read by primary or unique keys. What a case's page is made of (its row, history,
//! notices, review tasks and limits) is kept per case, with the stamps it was read under,
//! and read again only when a stamp differs.
//!
//! Every change that tracking shows moves a stamp: each case action raises the version (a
//! notice comes with its action), a department finishing or a withdrawal closing a task
//! changes a count, and a catalog import changes the reference stamp and with it the
//! limits. A change made on another instance sharing the database counts the same, since
//! the stamps are read from the database on every lookup. What is held was read after its
//! stamp, so it is never older than the stamp says; a change landing in between only makes
//! the next lookup read again.
//!
//! The throttle costs nothing extra on success: it is one more column of the probe. At
//! most [`CASES_KEPT`] cases are held, the least recently tracked let go first.
//!
//! On PostgreSQL the probe's answers are remembered too, per client and case number, while
//! the database's notices say nothing it reads has changed (`services::changes`): a
//! repeated lookup then asks the database nothing.

use std::sync::{Arc, LazyLock, Mutex};

use anyhow::Context;
use chrono::{DateTime, Utc};
use hashlink::LruCache;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use crate::domain::account::Throttle;
use crate::domain::apply::ApplicantForm;
use crate::domain::deadline::{HistoryStep, Limits};
use crate::domain::decision::TaskStatus;
use crate::domain::review::CaseStatus;
use crate::domain::track::normalize_factor;
use crate::server::cases;
use crate::server::entities::{application, case_event, review_task};
use crate::server::services::changes::{Changes, Kind};
use crate::server::services::reference::{
    self, Reference, ReferenceCache, STAMP_COLUMNS, STAMP_VALUES, Stamp,
};
use crate::views::notice::NoticeView;

/// How many cases tracking keeps in memory. A case held is a few kilobytes (its row with
/// the form, its history and notices): a few tens of megabytes at most.
pub const CASES_KEPT: usize = 4_096;

/// How many probe answers tracking remembers (one per client and case number).
pub const PROBES_KEPT: usize = 4_096;

/// What tracking keeps in memory for one application state: the reference data, the cases
/// last tracked and, while the database's notices are heard, the probe's last answers.
#[derive(Clone)]
pub struct TrackCache {
    pub reference: ReferenceCache,
    /// When what is remembered stops holding (`services::changes`).
    pub changes: Changes,
    cases: Arc<Mutex<LruCache<i32, Arc<CaseFacts>>>>,
    probes: Arc<Mutex<Probes>>,
}

/// (throttle key, case number) → the probe's answer and the epoch it was asked under.
type Probes = LruCache<(String, String), (u64, Probe)>;

impl Default for TrackCache {
    /// A cache that asks the database on every lookup (nothing tells it of changes).
    fn default() -> Self {
        Self::with(Changes::default())
    }
}

impl TrackCache {
    /// A cache for the application state of `db`: on PostgreSQL it listens for the
    /// database's change notices and answers a repeated lookup from memory.
    pub fn new(db: &DatabaseConnection) -> Self {
        let cache = Self::with(Changes::default());
        cache.changes.listen(db);
        cache
    }

    fn with(changes: Changes) -> Self {
        Self {
            reference: ReferenceCache::new(changes.clone()),
            changes,
            cases: Arc::new(Mutex::new(LruCache::new(CASES_KEPT))),
            probes: Arc::new(Mutex::new(LruCache::new(PROBES_KEPT))),
        }
    }
}

/// What moves whenever anything tracking shows of a case changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseStamp {
    pub id: i32,
    pub version: i32,
    /// Review tasks done.
    pub done: i64,
    /// Review tasks not closed.
    pub held: i64,
}

impl CaseStamp {
    /// How far the case has come, as its live stream counts: the version plus the tasks
    /// done (`version_of`).
    pub fn progress(&self) -> i32 {
        self.version + self.done as i32
    }
}

/// A case as tracking shows it, read under the stamps it is kept with.
pub struct CaseFacts {
    pub stamp: CaseStamp,
    reference_stamp: Stamp,
    pub row: application::Model,
    /// The applicant's part of the form, read from the row once.
    pub applicant: ApplicantForm,
    /// What opens the case besides its number, normalized (`normalize_factor`): the
    /// contact's mobile, the mobile of whoever applied at the window, the 查询码.
    pub factors: Vec<String>,
    pub history: Vec<case_event::Model>,
    /// The history as the clocks read it.
    pub steps: Vec<HistoryStep>,
    /// The limits of the case's guide as the catalog holds them.
    pub limits: Limits,
    pub notices: Vec<NoticeView>,
    /// Its review tasks, oldest first.
    pub tasks: Vec<review_task::Model>,
}

/// The answer to the probe.
#[derive(Clone)]
pub struct Probe {
    /// The client's throttle record, if it has one.
    pub throttle: Option<Throttle>,
    /// The case, unless no case (beyond a draft) has that number.
    pub case: Option<CaseStamp>,
    reference: Stamp,
}

/// The probe: `$1` the throttle key, `$2` the case number. One row always (a missing case
/// or throttle record gives nulls). SQLite takes the placeholders as `?1` and `?2`.
fn probe_sql(backend: DatabaseBackend) -> &'static str {
    static POSTGRES: LazyLock<String> = LazyLock::new(|| {
        let done = TaskStatus::Done.as_str();
        let closed = TaskStatus::Closed.as_str();
        let draft = CaseStatus::Draft.as_str();
        format!(
            "SELECT {STAMP_COLUMNS}, \
             l.failures, l.last_failure_at, l.locked_until, c.id, c.version, \
             (SELECT COUNT(*) FROM review_task t WHERE t.application_id = c.id \
               AND t.status = '{done}'), \
             (SELECT COUNT(*) FROM review_task t WHERE t.application_id = c.id \
               AND t.status <> '{closed}') \
             FROM (SELECT 1 AS one) AS probe \
             LEFT JOIN login_throttle l ON l.mobile = $1 \
             LEFT JOIN application c ON c.case_number = $2 AND c.status <> '{draft}'"
        )
    });
    static SQLITE: LazyLock<String> = LazyLock::new(|| POSTGRES.replace('$', "?"));
    match backend {
        DatabaseBackend::Sqlite => &SQLITE,
        _ => &POSTGRES,
    }
}

impl TrackCache {
    /// The probe for `number` on behalf of the client throttled as `key`: remembered while
    /// no change was heard since it was asked, else asked now.
    pub async fn probe(
        &self,
        db: &DatabaseConnection,
        key: &str,
        number: Option<&str>,
    ) -> anyhow::Result<Probe> {
        // Read before the database is asked: a change landing meanwhile moves it.
        let Some(epoch) = self.changes.epoch(Kind::Cases) else {
            return ask(db, key, number).await;
        };
        let at = (key.to_owned(), number.unwrap_or_default().to_owned());
        if let Ok(mut probes) = self.probes.lock()
            && let Some((asked, answer)) = probes.get(&at)
            && self.changes.holds(Kind::Cases, *asked)
        {
            return Ok(answer.clone());
        }
        let answer = ask(db, key, number).await?;
        if let Ok(mut probes) = self.probes.lock() {
            probes.insert(at, (epoch, answer.clone()));
        }
        Ok(answer)
    }
}

/// Asks the database the probe for `number` on behalf of the client throttled as `key`.
async fn ask(db: &DatabaseConnection, key: &str, number: Option<&str>) -> anyhow::Result<Probe> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            probe_sql(backend),
            [key.into(), number.unwrap_or_default().into()],
        ))
        .await
        .context("failed to look a case up")?
        .context("the lookup query returned no row")?;
    let reference = reference::stamp_of(&row, 0)?;
    let at = STAMP_VALUES;
    let get = |what: &str, e| anyhow::Error::new(e).context(format!("failed to read {what}"));
    let failures: Option<i32> = row.try_get_by_index(at).map_err(|e| get("a throttle", e))?;
    let last_failure_at: Option<DateTime<Utc>> = row
        .try_get_by_index(at + 1)
        .map_err(|e| get("a throttle", e))?;
    let locked_until: Option<DateTime<Utc>> = row
        .try_get_by_index(at + 2)
        .map_err(|e| get("a throttle", e))?;
    let id: Option<i32> = row.try_get_by_index(at + 3).map_err(|e| get("a case", e))?;
    let version: Option<i32> = row.try_get_by_index(at + 4).map_err(|e| get("a case", e))?;
    let done: Option<i64> = row.try_get_by_index(at + 5).map_err(|e| get("a case", e))?;
    let held: Option<i64> = row.try_get_by_index(at + 6).map_err(|e| get("a case", e))?;
    Ok(Probe {
        throttle: match (failures, last_failure_at) {
            (Some(failures), Some(last)) => Some(Throttle {
                failures,
                last_failure_at: last.timestamp(),
                locked_until: locked_until.map(|l| l.timestamp()),
            }),
            _ => None,
        },
        case: match (id, version) {
            (Some(id), Some(version)) => Some(CaseStamp {
                id,
                version,
                done: done.unwrap_or_default(),
                held: held.unwrap_or_default(),
            }),
            _ => None,
        },
        reference,
    })
}

impl TrackCache {
    /// The reference data as of the probe.
    pub async fn reference(
        &self,
        db: &DatabaseConnection,
        probe: &Probe,
    ) -> anyhow::Result<Arc<Reference>> {
        self.reference.as_of(db, probe.reference).await
    }

    /// The case the probe found, from memory if it is held under the probe's stamps, or
    /// else read now (and held).
    pub async fn case(
        &self,
        db: &DatabaseConnection,
        probe: &Probe,
    ) -> anyhow::Result<Option<Arc<CaseFacts>>> {
        let Some(stamp) = probe.case else {
            return Ok(None);
        };
        if let Some(held) = self.held(stamp.id)
            && held.stamp == stamp
            && held.reference_stamp == probe.reference
        {
            return Ok(Some(held));
        }
        let reference = self.reference(db, probe).await?;
        let Some(facts) = read(db, stamp, &reference).await? else {
            return Ok(None);
        };
        let facts = Arc::new(facts);
        if let Ok(mut cases) = self.cases.lock() {
            cases.insert(stamp.id, facts.clone());
        }
        Ok(Some(facts))
    }

    fn held(&self, id: i32) -> Option<Arc<CaseFacts>> {
        self.cases.lock().ok()?.get(&id).cloned()
    }
}

/// Reads a case's facts (after its stamp was read). `None` if it is gone.
async fn read(
    db: &DatabaseConnection,
    stamp: CaseStamp,
    reference: &Reference,
) -> anyhow::Result<Option<CaseFacts>> {
    use sea_orm::EntityTrait;
    let Some(row) = application::Entity::find_by_id(stamp.id)
        .one(db)
        .await
        .context("failed to read a case")?
    else {
        return Ok(None);
    };
    let applicant: ApplicantForm = serde_json::from_str(&row.applicant).unwrap_or_default();
    let factors = [
        applicant.values.get("contact_mobile"),
        row.agent_mobile.as_ref(),
        row.tracking_code.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|known| normalize_factor(known))
    .filter(|known| !known.is_empty())
    .collect();
    let history = cases::history_of(db, row.id).await?;
    let steps = cases::history_steps(&history)?;
    let limits = cases::limits_of(db, reference, &row).await?;
    let notices = cases::notices_of(db, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let tasks =
        crate::server::cases::rows_of::<crate::server::entities::review_task::Entity>(db, row.id)
            .await?;
    Ok(Some(CaseFacts {
        stamp,
        reference_stamp: reference.stamp,
        row,
        applicant,
        factors,
        history,
        steps,
        limits,
        notices,
        tasks,
    }))
}
