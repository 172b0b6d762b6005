//! Importing a catalog file: checked whole, then written in one transaction. A changed item
//! gets a new guide version; a changed bundle a new version row.

use std::collections::BTreeSet;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::catalog::{Bundle, CatalogFile, Department, ServiceItem};
use crate::domain::catalog_check::{ExistingCodes, Problem, check_catalog};
use crate::server::entities::{
    bundle, bundle_item, bundle_version, catalog_import, department, form_field, item_version,
    material, service_item,
};

use super::{by_code, content_hash, json, to_i32};

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has problems; nothing was imported.
    #[error("目录文件有 {} 处问题，未导入任何内容", .0.len())]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// What an import changed, counted per kind.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub departments: Counts,
    pub items: Counts,
    pub bundles: Counts,
}

impl ImportSummary {
    /// Whether the import changed anything at all.
    pub fn changed_anything(&self) -> bool {
        [self.departments, self.items, self.bundles]
            .iter()
            .any(|c| c.created + c.updated > 0)
    }
}

/// Created, updated (a new version) and unchanged records.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (name, c) in [
            ("部门", self.departments),
            ("事项", self.items),
            ("一件事", self.bundles),
        ] {
            writeln!(
                f,
                "{name}：新增 {}，更新 {}，未变 {}",
                c.created, c.updated, c.unchanged
            )?;
        }
        Ok(())
    }
}

/// Parses, checks and imports a catalog file: either everything or nothing.
///
/// Re-importing an identical file changes nothing. A changed item gets a new guide version;
/// earlier versions, with their materials and fields, stay for the cases filed under them.
pub async fn import_text(
    db: &DatabaseConnection,
    text: &str,
    source: &str,
) -> Result<ImportSummary, ImportError> {
    let file = CatalogFile::from_json(text).map_err(ImportError::Invalid)?;
    let file_hash = hex::encode(Sha256::digest(text.as_bytes()));
    import(db, &file, source, &file_hash).await
}

/// Checks and imports a parsed catalog file in one transaction.
pub async fn import(
    db: &DatabaseConnection,
    file: &CatalogFile,
    source: &str,
    file_hash: &str,
) -> Result<ImportSummary, ImportError> {
    let txn = db
        .begin()
        .await
        .context("failed to begin the import transaction")?;
    let existing = existing_codes(&txn).await?;
    let problems = check_catalog(file, &existing);
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    let now = Utc::now();
    let mut summary = ImportSummary::default();

    for d in &file.departments {
        let found = by_code::<department::Entity>(&txn, &d.code).await?;
        match found {
            Some(row) if row.name == d.name && row.phone == d.phone && row.address == d.address => {
                summary.departments.unchanged += 1;
            }
            Some(row) => {
                let mut row: department::ActiveModel = row.into();
                set_department(&mut row, d, now);
                row.update(&txn)
                    .await
                    .context("failed to update a department")?;
                summary.departments.updated += 1;
            }
            None => {
                let mut row = department::ActiveModel {
                    code: Set(d.code.clone()),
                    ..Default::default()
                };
                set_department(&mut row, d, now);
                row.insert(&txn)
                    .await
                    .context("failed to insert a department")?;
                summary.departments.created += 1;
            }
        }
    }

    for item in &file.items {
        let hash = content_hash(item)?;
        let found = by_code::<service_item::Entity>(&txn, &item.code).await?;
        let (row, version) = match found {
            None => {
                let mut row = service_item::ActiveModel {
                    code: Set(item.code.clone()),
                    current_version_id: Set(0),
                    ..Default::default()
                };
                set_item(&mut row, item, 1, now);
                let row = row.insert(&txn).await.context("failed to insert an item")?;
                summary.items.created += 1;
                (row, 1)
            }
            Some(row) => {
                let current = item_version::Entity::find_by_id(row.current_version_id)
                    .one(&txn)
                    .await
                    .context("failed to read a guide version")?
                    .ok_or_else(|| {
                        anyhow!("item {} points at a missing guide version", row.code)
                    })?;
                if current.content_hash == hash {
                    summary.items.unchanged += 1;
                    continue;
                }
                summary.items.updated += 1;
                let version = row.current_version + 1;
                (row, version)
            }
        };
        let version_id = insert_version(&txn, row.id, version, &hash, item).await?;
        let mut row: service_item::ActiveModel = row.into();
        set_item(&mut row, item, version, now);
        row.current_version_id = Set(version_id);
        row.update(&txn)
            .await
            .context("failed to point an item at its guide")?;
    }

    for b in &file.bundles {
        let hash = content_hash(b)?;
        let found = by_code::<bundle::Entity>(&txn, &b.code).await?;
        let (bundle_id, version) = match found {
            Some(row) if row.content_hash == hash => {
                summary.bundles.unchanged += 1;
                continue;
            }
            Some(row) => {
                let (id, version) = (row.id, row.current_version + 1);
                let mut row: bundle::ActiveModel = row.into();
                set_bundle(&mut row, b, version, &hash, now);
                row.update(&txn)
                    .await
                    .context("failed to update a bundle")?;
                bundle_item::Entity::delete_many()
                    .filter(bundle_item::Column::BundleId.eq(id))
                    .exec(&txn)
                    .await
                    .context("failed to clear a bundle's items")?;
                summary.bundles.updated += 1;
                (id, version)
            }
            None => {
                let mut row = bundle::ActiveModel {
                    code: Set(b.code.clone()),
                    ..Default::default()
                };
                set_bundle(&mut row, b, 1, &hash, now);
                let row = row
                    .insert(&txn)
                    .await
                    .context("failed to insert a bundle")?;
                summary.bundles.created += 1;
                (row.id, 1)
            }
        };
        for (position, code) in b.items.iter().enumerate() {
            bundle_item::ActiveModel {
                bundle_id: Set(bundle_id),
                position: Set(to_i32(position)),
                item_code: Set(code.clone()),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .context("failed to insert a bundle item")?;
        }
        bundle_version::ActiveModel {
            bundle_id: Set(bundle_id),
            version: Set(version),
            content_hash: Set(hash),
            snapshot: Set(serde_json::to_string(b).context("failed to serialise a bundle")?),
            imported_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .context("failed to insert a bundle version")?;
    }

    if summary.changed_anything() {
        catalog_import::ActiveModel {
            imported_at: Set(now),
            source: Set(source.chars().take(200).collect()),
            file_sha256: Set(file_hash.into()),
            summary: Set(serde_json::to_string(&summary).context("failed to serialise a summary")?),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .context("failed to log the import")?;
    }
    txn.commit().await.context("failed to commit the import")?;
    Ok(summary)
}

/// A department's row as the file has it.
fn set_department(row: &mut department::ActiveModel, d: &Department, now: DateTime<Utc>) {
    row.name = Set(d.name.clone());
    row.phone = Set(d.phone.clone());
    row.address = Set(d.address.clone());
    row.updated_at = Set(now);
}

/// An item's row pointing at guide `version` (the id of that version is set after it is
/// written).
fn set_item(
    row: &mut service_item::ActiveModel,
    item: &ServiceItem,
    version: i32,
    now: DateTime<Utc>,
) {
    row.current_version = Set(version);
    row.name = Set(item.name.clone());
    row.department = Set(item.department.clone());
    row.item_type = Set(item.item_type.as_str().into());
    row.case_kind = Set(item.case_kind.as_str().into());
    row.online_depth = Set(item.online_depth.as_str().into());
    row.updated_at = Set(now);
}

/// A bundle's row at `version`, with the hash of its content.
fn set_bundle(
    row: &mut bundle::ActiveModel,
    b: &Bundle,
    version: i32,
    hash: &str,
    now: DateTime<Utc>,
) {
    row.current_version = Set(version);
    row.content_hash = Set(hash.to_owned());
    row.name = Set(b.name.clone());
    row.description = Set(b.description.clone());
    row.stage = Set(b.stage.map(|s| s.as_str().to_string()));
    row.lead_department = Set(b.lead_department.clone());
    row.promised_limit_days = Set(to_i32(b.promised_limit_days));
    row.updated_at = Set(now);
}

async fn existing_codes(db: &impl ConnectionTrait) -> anyhow::Result<ExistingCodes> {
    let departments: BTreeSet<String> = department::Entity::find()
        .all(db)
        .await
        .context("failed to read departments")?
        .into_iter()
        .map(|d| d.code)
        .collect();
    let items: BTreeSet<String> = service_item::Entity::find()
        .all(db)
        .await
        .context("failed to read items")?
        .into_iter()
        .map(|i| i.code)
        .collect();
    Ok(ExistingCodes { departments, items })
}

async fn insert_version(
    db: &impl ConnectionTrait,
    item_id: i32,
    version: i32,
    hash: &str,
    item: &ServiceItem,
) -> anyhow::Result<i32> {
    let row = item_version::ActiveModel {
        item_id: Set(item_id),
        version: Set(version),
        content_hash: Set(hash.into()),
        imported_at: Set(Utc::now()),
        name: Set(item.name.clone()),
        item_type: Set(item.item_type.as_str().into()),
        department: Set(item.department.clone()),
        co_departments: Set(json(&item.co_departments)?),
        review_days: Set(json(&item.review_days)?),
        legal_basis: Set(item.legal_basis.clone()),
        conditions: Set(item.conditions.clone()),
        case_kind: Set(item.case_kind.as_str().into()),
        statutory_limit_days: Set(to_i32(item.statutory_limit_days)),
        promised_limit_days: Set(to_i32(item.promised_limit_days)),
        accept_on_receipt: Set(item.accept_on_receipt),
        steps: Set(json(&item.steps)?),
        location: Set(item.location.clone()),
        hours: Set(item.hours.clone()),
        consult_phone: Set(item.consult_phone.clone()),
        supervise_phone: Set(item.supervise_phone.clone()),
        fee_charged: Set(item.fee.charged),
        fee_basis: Set(item.fee.basis.clone()),
        result_name: Set(item.result.name.clone()),
        result_electronic: Set(item.result.electronic),
        result_validity_months: Set(item.result.validity_months.map(to_i32)),
        result_licence_fields: Set(json(&item.result.licence_fields)?),
        delivery_methods: Set(json(&item.delivery_methods)?),
        online_depth: Set(item.online_depth.as_str().into()),
        visits: Set(to_i32(item.visits)),
        ..Default::default()
    }
    .insert(db)
    .await
    .context("failed to insert a guide version")?;
    for (position, m) in item.materials.iter().enumerate() {
        material::ActiveModel {
            item_version_id: Set(row.id),
            position: Set(to_i32(position)),
            code: Set(m.code.clone()),
            name: Set(m.name.clone()),
            source: Set(m.source.as_str().into()),
            form: Set(m.form.as_str().into()),
            quantity: Set(to_i32(m.quantity)),
            specification: Set(m.specification.clone()),
            required: Set(m.required),
            deferrable: Set(m.deferrable),
            file_types: Set(json(&m.file_types)?),
            max_size_mb: Set(to_i32(m.max_size_mb)),
            template_url: Set(m.template_url.clone()),
            notes: Set(m.notes.clone()),
            ..Default::default()
        }
        .insert(db)
        .await
        .context("failed to insert a material")?;
    }
    for (position, f) in item.fields.iter().enumerate() {
        form_field::ActiveModel {
            item_version_id: Set(row.id),
            position: Set(to_i32(position)),
            key: Set(f.key.clone()),
            label: Set(f.label.clone()),
            field_type: Set(f.field_type.as_str().into()),
            required: Set(f.required),
            help: Set(f.help.clone()),
            unit: Set(f.unit.clone()),
            min_length: Set(f.min_length.map(to_i32)),
            max_length: Set(f.max_length.map(to_i32)),
            min_value: Set(f.min),
            max_value: Set(f.max),
            pattern: Set(f.pattern.clone()),
            pattern_message: Set(f.pattern_message.clone()),
            options: Set(json(&f.options)?),
            ..Default::default()
        }
        .insert(db)
        .await
        .context("failed to insert a form field")?;
    }
    Ok(row.id)
}
