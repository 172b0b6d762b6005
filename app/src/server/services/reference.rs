//! Reference data a tracking lookup needs besides the case itself: the working-day calendar,
//! the names of items, bundles and departments. Kept in memory (one copy per application
//! state, `AppState::reference`, never a static: tests run several databases in one
//! process), and checked against the database on every use by one primary-key read, the
//! *stamp*: the version the database's triggers raise with every change to a table the data
//! comes from (migration `m20261203_000015_reference_version`). An administrator's change (a
//! catalog import, a calendar year, a department renamed in place), made on this instance or
//! on another one sharing the database, moves the stamp, and the next request reloads;
//! nothing is ever served older than the stamp it was checked against. On PostgreSQL the
//! stamp itself is remembered while the database's notices say it has not moved
//! (`services::changes`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context;
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement};

use crate::domain::apply::ApplicationForm;
use crate::domain::calendar::WorkingCalendar;
use crate::server::services::changes::{Changes, Kind};
use crate::server::services::{calendar, catalog};
use crate::views::catalog::{BundleView, ItemGuide};

/// The data, as of one stamp.
pub struct Reference {
    pub stamp: Stamp,
    pub calendar: WorkingCalendar,
    pub item_names: BTreeMap<String, String>,
    pub bundle_names: BTreeMap<String, String>,
    pub department_names: BTreeMap<String, String>,
    /// The guides and bundles asked for since this stamp, each read once (`item`, `bundle`).
    guides: ByCode<ItemGuide>,
    bundles: ByCode<BundleView>,
    /// The application forms asked for since this stamp (`form`): an item's, or a bundle's
    /// merged one, keyed `item:CODE` / `bundle:CODE`.
    forms: ByCode<ApplicationForm>,
}

/// The cache of one application state.
#[derive(Clone, Default)]
pub struct ReferenceCache {
    held: Arc<RwLock<Option<Arc<Reference>>>>,
    /// The stamp last read, with the epoch it was read under: while the database's
    /// notifications are heard, it holds until they say otherwise (`services::changes`).
    known: Arc<Mutex<Option<(u64, Stamp)>>>,
    changes: Changes,
}

/// The version of the reference data: `reference_version.n`, which the database's own
/// triggers raise with every change to a table the data is read from. (Also read by
/// tracking's one query per lookup.)
pub(crate) const STAMP_COLUMNS: &str = "(SELECT n FROM reference_version WHERE id = 1)";

/// How many values the stamp has.
pub(crate) const STAMP_VALUES: usize = 1;

/// A stamp: the reference data's version.
pub type Stamp = i64;

/// The stamp read from column `first` of `row`.
pub(crate) fn stamp_of(row: &QueryResult, first: usize) -> anyhow::Result<Stamp> {
    row.try_get_by_index::<Option<i64>>(first)
        .context("failed to read the reference data's version")?
        .context("the reference data has no version row")
}

async fn stamp(db: &DatabaseConnection) -> anyhow::Result<Stamp> {
    let sql = format!("SELECT {STAMP_COLUMNS}");
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .context("failed to read the reference data's stamp")?
        .context("the stamp query returned no row")?;
    stamp_of(&row, 0)
}

impl ReferenceCache {
    /// A cache whose stamp holds while `changes` says nothing changed.
    pub fn new(changes: Changes) -> Self {
        Self {
            changes,
            ..Self::default()
        }
    }

    /// The reference data as the database holds it now.
    pub async fn get(&self, db: &DatabaseConnection) -> anyhow::Result<Arc<Reference>> {
        self.as_of(db, self.stamp(db).await?).await
    }

    /// The stamp: known while no change was heard, else read (and known).
    async fn stamp(&self, db: &DatabaseConnection) -> anyhow::Result<Stamp> {
        // Read before the database is asked: a change landing meanwhile moves it.
        let epoch = self.changes.epoch(Kind::Reference);
        let known = *self.known.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, stamp)) = known
            && self.changes.holds(Kind::Reference, at)
        {
            return Ok(stamp);
        }
        let stamp = stamp(db).await?;
        if let Some(epoch) = epoch {
            *self.known.lock().unwrap_or_else(|e| e.into_inner()) = Some((epoch, stamp));
        }
        Ok(stamp)
    }

    /// The reference data as of `stamp`, just read from the database.
    pub async fn as_of(
        &self,
        db: &DatabaseConnection,
        stamp: Stamp,
    ) -> anyhow::Result<Arc<Reference>> {
        let cached = self.held.read().ok().and_then(|held| held.clone());
        if let Some(held) = cached
            && held.stamp == stamp
        {
            return Ok(held);
        }
        // Read after the stamp: what is loaded is at least as new as the stamp says.
        let (item_names, bundle_names) = catalog::names(db).await?;
        let fresh = Arc::new(Reference {
            stamp,
            calendar: calendar::load(db).await?,
            item_names,
            bundle_names,
            department_names: catalog::department_names(db).await?,
            guides: ByCode::default(),
            bundles: ByCode::default(),
            forms: ByCode::default(),
        });
        if let Ok(mut held) = self.held.write() {
            *held = Some(fresh.clone());
        }
        Ok(fresh)
    }

    /// An item's guide (`catalog::get_item`), read once per stamp: a guide, its departments
    /// and its bundles are read from the tables whose every change moves the stamp. A code
    /// that names no item is not remembered.
    pub async fn item(
        &self,
        db: &DatabaseConnection,
        code: &str,
    ) -> anyhow::Result<Option<Arc<ItemGuide>>> {
        let held = self.get(db).await?;
        held.guides
            .get_or_read(code, catalog::get_item(db, code))
            .await
    }

    /// A bundle (`catalog::get_bundle`), read once per stamp like [`Self::item`].
    pub async fn bundle(
        &self,
        db: &DatabaseConnection,
        code: &str,
    ) -> anyhow::Result<Option<Arc<BundleView>>> {
        let held = self.get(db).await?;
        held.bundles
            .get_or_read(code, catalog::get_bundle(db, code))
            .await
    }
}

impl Reference {
    /// The application form of an item or, without one, of a bundle
    /// (`catalog::application_form`), read once per stamp like [`ReferenceCache::item`]:
    /// what the case lists and the jobs need of each case's guide (its limits), without
    /// reading the guide again for every case.
    pub async fn form(
        &self,
        db: &DatabaseConnection,
        item: Option<&str>,
        bundle: Option<&str>,
    ) -> anyhow::Result<Option<Arc<ApplicationForm>>> {
        let key = match (item, bundle) {
            (Some(code), _) => format!("item:{code}"),
            (None, Some(code)) => format!("bundle:{code}"),
            (None, None) => return Ok(None),
        };
        self.forms
            .get_or_read(&key, catalog::application_form(db, item, bundle))
            .await
    }
}

/// Values read by code, each kept once read; an unknown code is not kept.
struct ByCode<T>(Mutex<BTreeMap<String, Arc<T>>>);

impl<T> Default for ByCode<T> {
    fn default() -> Self {
        ByCode(Mutex::default())
    }
}

impl<T> ByCode<T> {
    /// The value of `code`: kept, or read by `read` and kept.
    async fn get_or_read(
        &self,
        code: &str,
        read: impl Future<Output = anyhow::Result<Option<T>>>,
    ) -> anyhow::Result<Option<Arc<T>>> {
        if let Some(value) = self.0.lock().ok().and_then(|m| m.get(code).cloned()) {
            return Ok(Some(value));
        }
        let Some(value) = read.await? else {
            return Ok(None);
        };
        let value = Arc::new(value);
        if let Ok(mut held) = self.0.lock() {
            held.insert(code.to_string(), value.clone());
        }
        Ok(Some(value))
    }
}
