//! The catalog service: import and export of catalog files, and the queries behind the
//! public pages and the JSON API. Every function takes the connection first.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, anyhow};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait, sea_query::Condition,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::apply::{ApplicationForm, GuideRef};
use crate::domain::bundle::merge_items;
use crate::domain::catalog::{
    Bundle, CATALOG_FORMAT_VERSION, CaseKind, CatalogFile, ConstructionStage, DeliveryMethod,
    Department, Fee, FieldOption, FieldType, FileType, FormField, ItemType, Material, MaterialForm,
    MaterialSource, OnlineDepth, ResultInfo, ServiceItem,
};
use crate::domain::catalog_check::{ExistingCodes, Problem, check_catalog};
use crate::server::entities::{
    bundle, bundle_item, bundle_version, catalog_import, department, form_field, item_version,
    material, service_item,
};
use crate::views::catalog::{
    BundleRef, BundleSummary, BundleView, DepartmentInfo, GuideVersion, ItemFilter, ItemGuide,
    ItemSummary,
};

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

/// Created, updated (a new version) and unchanged records.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

impl ImportSummary {
    /// Whether the import changed anything at all.
    pub fn changed_anything(&self) -> bool {
        [self.departments, self.items, self.bundles]
            .iter()
            .any(|c| c.created + c.updated > 0)
    }
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
        let found = department::Entity::find()
            .filter(department::Column::Code.eq(&d.code))
            .one(&txn)
            .await
            .context("failed to read a department")?;
        match found {
            None => {
                department::ActiveModel {
                    code: Set(d.code.clone()),
                    name: Set(d.name.clone()),
                    phone: Set(d.phone.clone()),
                    address: Set(d.address.clone()),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .context("failed to insert a department")?;
                summary.departments.created += 1;
            }
            Some(row) if row.name == d.name && row.phone == d.phone && row.address == d.address => {
                summary.departments.unchanged += 1;
            }
            Some(row) => {
                let mut row: department::ActiveModel = row.into();
                row.name = Set(d.name.clone());
                row.phone = Set(d.phone.clone());
                row.address = Set(d.address.clone());
                row.updated_at = Set(now);
                row.update(&txn)
                    .await
                    .context("failed to update a department")?;
                summary.departments.updated += 1;
            }
        }
    }

    for item in &file.items {
        let hash = content_hash(item)?;
        let found = service_item::Entity::find()
            .filter(service_item::Column::Code.eq(&item.code))
            .one(&txn)
            .await
            .context("failed to read an item")?;
        match found {
            None => {
                let row = service_item::ActiveModel {
                    code: Set(item.code.clone()),
                    current_version: Set(1),
                    current_version_id: Set(0),
                    name: Set(item.name.clone()),
                    department: Set(item.department.clone()),
                    item_type: Set(item.item_type.as_str().into()),
                    case_kind: Set(item.case_kind.as_str().into()),
                    online_depth: Set(item.online_depth.as_str().into()),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .context("failed to insert an item")?;
                let version_id = insert_version(&txn, row.id, 1, &hash, item).await?;
                let mut row: service_item::ActiveModel = row.into();
                row.current_version_id = Set(version_id);
                row.update(&txn)
                    .await
                    .context("failed to point an item at its guide")?;
                summary.items.created += 1;
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
                let version = row.current_version + 1;
                let version_id = insert_version(&txn, row.id, version, &hash, item).await?;
                let mut row: service_item::ActiveModel = row.into();
                row.current_version = Set(version);
                row.current_version_id = Set(version_id);
                row.name = Set(item.name.clone());
                row.department = Set(item.department.clone());
                row.item_type = Set(item.item_type.as_str().into());
                row.case_kind = Set(item.case_kind.as_str().into());
                row.online_depth = Set(item.online_depth.as_str().into());
                row.updated_at = Set(now);
                row.update(&txn).await.context("failed to update an item")?;
                summary.items.updated += 1;
            }
        }
    }

    for b in &file.bundles {
        let hash = content_hash(b)?;
        let found = bundle::Entity::find()
            .filter(bundle::Column::Code.eq(&b.code))
            .one(&txn)
            .await
            .context("failed to read a bundle")?;
        let (bundle_id, version) = match found {
            Some(row) if row.content_hash == hash => {
                summary.bundles.unchanged += 1;
                continue;
            }
            Some(row) => {
                let version = row.current_version + 1;
                let id = row.id;
                let mut row: bundle::ActiveModel = row.into();
                row.current_version = Set(version);
                row.content_hash = Set(hash.clone());
                row.name = Set(b.name.clone());
                row.description = Set(b.description.clone());
                row.stage = Set(b.stage.map(|s| s.as_str().to_string()));
                row.lead_department = Set(b.lead_department.clone());
                row.promised_limit_days = Set(to_i32(b.promised_limit_days));
                row.updated_at = Set(now);
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
                let row = bundle::ActiveModel {
                    code: Set(b.code.clone()),
                    current_version: Set(1),
                    content_hash: Set(hash.clone()),
                    name: Set(b.name.clone()),
                    description: Set(b.description.clone()),
                    stage: Set(b.stage.map(|s| s.as_str().to_string())),
                    lead_department: Set(b.lead_department.clone()),
                    promised_limit_days: Set(to_i32(b.promised_limit_days)),
                    updated_at: Set(now),
                    ..Default::default()
                }
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

/// Writes the whole catalog, each item in its current version, as a file that imports back
/// identically.
pub async fn export(db: &DatabaseConnection) -> anyhow::Result<CatalogFile> {
    let departments = department::Entity::find()
        .order_by_asc(department::Column::Code)
        .all(db)
        .await
        .context("failed to read departments")?
        .into_iter()
        .map(|d| Department {
            code: d.code,
            name: d.name,
            phone: d.phone,
            address: d.address,
        })
        .collect();
    let mut items = Vec::new();
    for row in service_item::Entity::find()
        .order_by_asc(service_item::Column::Code)
        .all(db)
        .await
        .context("failed to read items")?
    {
        items.push(load_version(db, row.current_version_id).await?);
    }
    let mut bundles = Vec::new();
    for row in bundle::Entity::find()
        .order_by_asc(bundle::Column::Code)
        .all(db)
        .await
        .context("failed to read bundles")?
    {
        bundles.push(load_bundle(db, &row).await?);
    }
    Ok(CatalogFile {
        format_version: CATALOG_FORMAT_VERSION,
        departments,
        items,
        bundles,
    })
}

/// Whether no item has been imported yet (a fresh database).
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(service_item::Entity::find()
        .count(db)
        .await
        .context("failed to count items")?
        == 0)
}

/// Searches the catalog: by part of name or code, department, type and online depth.
pub async fn list_items(
    db: &DatabaseConnection,
    filter: &ItemFilter,
) -> anyhow::Result<Vec<ItemSummary>> {
    let mut query = service_item::Entity::find().order_by_asc(service_item::Column::Code);
    if let Some(q) = filter.query() {
        query = query.filter(
            Condition::any()
                .add(service_item::Column::Name.contains(&q))
                .add(service_item::Column::Code.contains(q.to_uppercase())),
        );
    }
    if let Some(d) = filter.department.as_deref().filter(|d| !d.is_empty()) {
        query = query.filter(service_item::Column::Department.eq(d));
    }
    if let Some(t) = filter.item_type.as_deref().filter(|t| !t.is_empty()) {
        query = query.filter(service_item::Column::ItemType.eq(t));
    }
    if let Some(d) = filter.depth.as_deref().filter(|d| !d.is_empty()) {
        query = query.filter(service_item::Column::OnlineDepth.eq(d));
    }
    let rows = query.all(db).await.context("failed to search items")?;
    let names = department_names(db).await?;
    let versions: BTreeMap<i32, item_version::Model> = item_version::Entity::find()
        .filter(item_version::Column::Id.is_in(rows.iter().map(|r| r.current_version_id)))
        .all(db)
        .await
        .context("failed to read guide versions")?
        .into_iter()
        .map(|v| (v.id, v))
        .collect();
    rows.into_iter()
        .map(|row| {
            let v = versions
                .get(&row.current_version_id)
                .ok_or_else(|| anyhow!("item {} points at a missing guide version", row.code))?;
            summary_of(&row, v, &names)
        })
        .collect()
}

/// The departments with the number of items each carries out.
pub async fn list_departments(db: &DatabaseConnection) -> anyhow::Result<Vec<DepartmentInfo>> {
    let items = service_item::Entity::find()
        .all(db)
        .await
        .context("failed to read items")?;
    let rows = department::Entity::find()
        .order_by_asc(department::Column::Code)
        .all(db)
        .await
        .context("failed to read departments")?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let count = items.iter().filter(|i| i.department == d.code).count();
            department_info(d, count)
        })
        .collect())
}

/// The guide of one item in its current version, with its history; `None` if unknown.
pub async fn get_item(db: &DatabaseConnection, code: &str) -> anyhow::Result<Option<ItemGuide>> {
    let Some(row) = find_item_row(db, code).await? else {
        return Ok(None);
    };
    let item = load_version(db, row.current_version_id).await?;
    let departments = list_departments(db).await?;
    let find_department = |code: &str| {
        departments
            .iter()
            .find(|d| d.code == code)
            .cloned()
            .ok_or_else(|| anyhow!("unknown department {code}"))
    };
    let history = item_version::Entity::find()
        .filter(item_version::Column::ItemId.eq(row.id))
        .order_by_desc(item_version::Column::Version)
        .all(db)
        .await
        .context("failed to read the guide history")?
        .into_iter()
        .map(|v| GuideVersion {
            version: to_u32(v.version),
            imported_at: v.imported_at.to_rfc3339(),
            content_hash: v.content_hash,
        })
        .collect();
    let memberships = bundle_item::Entity::find()
        .filter(bundle_item::Column::ItemCode.eq(code))
        .all(db)
        .await
        .context("failed to read bundle memberships")?;
    let bundles = bundle::Entity::find()
        .filter(bundle::Column::Id.is_in(memberships.iter().map(|m| m.bundle_id)))
        .order_by_asc(bundle::Column::Code)
        .all(db)
        .await
        .context("failed to read bundles")?
        .into_iter()
        .map(|b| BundleRef {
            code: b.code,
            name: b.name,
            stage: b.stage.as_deref().and_then(ConstructionStage::parse),
        })
        .collect();
    Ok(Some(ItemGuide {
        department: find_department(&item.department)?,
        co_departments: item
            .co_departments
            .iter()
            .map(|c| find_department(c))
            .collect::<anyhow::Result<_>>()?,
        item,
        version: to_u32(row.current_version),
        updated_at: row.updated_at.to_rfc3339(),
        history,
        bundles,
    }))
}

/// The bundles, construction stages first in stage order.
pub async fn list_bundles(db: &DatabaseConnection) -> anyhow::Result<Vec<BundleSummary>> {
    let names = department_names(db).await?;
    let rows = bundle::Entity::find()
        .order_by_asc(bundle::Column::Code)
        .all(db)
        .await
        .context("failed to read bundles")?;
    let members = bundle_item::Entity::find()
        .all(db)
        .await
        .context("failed to read bundle items")?;
    let mut out: Vec<BundleSummary> = rows
        .into_iter()
        .map(|b| BundleSummary {
            item_count: to_u32(members.iter().filter(|m| m.bundle_id == b.id).count()),
            lead_department_name: names.get(&b.lead_department).cloned().unwrap_or_default(),
            stage: b.stage.as_deref().and_then(ConstructionStage::parse),
            code: b.code,
            name: b.name,
            description: b.description,
            promised_limit_days: to_u32(b.promised_limit_days),
            version: to_u32(b.current_version),
        })
        .collect();
    out.sort_by_key(|b| (b.stage.is_none(), b.stage, b.code.clone()));
    Ok(out)
}

/// One bundle with its items and merged form; `None` if unknown.
pub async fn get_bundle(db: &DatabaseConnection, code: &str) -> anyhow::Result<Option<BundleView>> {
    let Some(row) = bundle::Entity::find()
        .filter(bundle::Column::Code.eq(code))
        .one(db)
        .await
        .context("failed to read a bundle")?
    else {
        return Ok(None);
    };
    let b = load_bundle(db, &row).await?;
    let names = department_names(db).await?;
    let mut items = Vec::new();
    let mut summaries = Vec::new();
    for code in &b.items {
        let item_row = service_item::Entity::find()
            .filter(service_item::Column::Code.eq(code))
            .one(db)
            .await
            .context("failed to read a bundle's item")?
            .ok_or_else(|| anyhow!("bundle {} names missing item {code}", b.code))?;
        let version = item_version::Entity::find_by_id(item_row.current_version_id)
            .one(db)
            .await
            .context("failed to read a guide version")?
            .ok_or_else(|| anyhow!("item {code} points at a missing guide version"))?;
        summaries.push(summary_of(&item_row, &version, &names)?);
        items.push(load_version(db, item_row.current_version_id).await?);
    }
    let lead = department::Entity::find()
        .filter(department::Column::Code.eq(&b.lead_department))
        .one(db)
        .await
        .context("failed to read the lead department")?
        .ok_or_else(|| anyhow!("bundle {} has an unknown lead department", b.code))?;
    Ok(Some(BundleView {
        application: merge_items(items.iter()),
        version: to_u32(row.current_version),
        lead_department: department_info(lead, 0),
        items: summaries,
        bundle: b,
    }))
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

/// Rebuilds an item, exactly as it was imported, from one guide version.
pub async fn load_version(
    db: &impl ConnectionTrait,
    version_id: i32,
) -> anyhow::Result<ServiceItem> {
    let v = item_version::Entity::find_by_id(version_id)
        .one(db)
        .await
        .context("failed to read a guide version")?
        .ok_or_else(|| anyhow!("guide version {version_id} is missing"))?;
    let item_code = service_item::Entity::find_by_id(v.item_id)
        .one(db)
        .await
        .context("failed to read an item")?
        .ok_or_else(|| anyhow!("guide version {version_id} has no item"))?
        .code;
    let materials = material::Entity::find()
        .filter(material::Column::ItemVersionId.eq(version_id))
        .order_by_asc(material::Column::Position)
        .all(db)
        .await
        .context("failed to read materials")?
        .into_iter()
        .map(|m| {
            Ok(Material {
                source: parse(MaterialSource::parse, &m.source)?,
                form: parse(MaterialForm::parse, &m.form)?,
                quantity: to_u32(m.quantity),
                file_types: from_json::<Vec<FileType>>(&m.file_types)?,
                max_size_mb: to_u32(m.max_size_mb),
                code: m.code,
                name: m.name,
                specification: m.specification,
                required: m.required,
                deferrable: m.deferrable,
                template_url: m.template_url,
                notes: m.notes,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let fields = form_field::Entity::find()
        .filter(form_field::Column::ItemVersionId.eq(version_id))
        .order_by_asc(form_field::Column::Position)
        .all(db)
        .await
        .context("failed to read form fields")?
        .into_iter()
        .map(|f| {
            Ok(FormField {
                field_type: parse(FieldType::parse, &f.field_type)?,
                min_length: f.min_length.map(to_u32),
                max_length: f.max_length.map(to_u32),
                options: from_json::<Vec<FieldOption>>(&f.options)?,
                key: f.key,
                label: f.label,
                required: f.required,
                help: f.help,
                unit: f.unit,
                min: f.min_value,
                max: f.max_value,
                pattern: f.pattern,
                pattern_message: f.pattern_message,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(ServiceItem {
        code: item_code,
        item_type: parse(ItemType::parse, &v.item_type)?,
        co_departments: from_json(&v.co_departments)?,
        case_kind: parse(CaseKind::parse, &v.case_kind)?,
        statutory_limit_days: to_u32(v.statutory_limit_days),
        promised_limit_days: to_u32(v.promised_limit_days),
        steps: from_json(&v.steps)?,
        fee: Fee {
            charged: v.fee_charged,
            basis: v.fee_basis,
        },
        result: ResultInfo {
            name: v.result_name,
            electronic: v.result_electronic,
        },
        delivery_methods: from_json::<Vec<DeliveryMethod>>(&v.delivery_methods)?,
        online_depth: parse(OnlineDepth::parse, &v.online_depth)?,
        visits: to_u32(v.visits),
        name: v.name,
        department: v.department,
        legal_basis: v.legal_basis,
        conditions: v.conditions,
        accept_on_receipt: v.accept_on_receipt,
        location: v.location,
        hours: v.hours,
        consult_phone: v.consult_phone,
        supervise_phone: v.supervise_phone,
        materials,
        fields,
    })
}

async fn load_bundle(db: &impl ConnectionTrait, row: &bundle::Model) -> anyhow::Result<Bundle> {
    let items = bundle_item::Entity::find()
        .filter(bundle_item::Column::BundleId.eq(row.id))
        .order_by_asc(bundle_item::Column::Position)
        .all(db)
        .await
        .context("failed to read a bundle's items")?
        .into_iter()
        .map(|m| m.item_code)
        .collect();
    Ok(Bundle {
        code: row.code.clone(),
        name: row.name.clone(),
        description: row.description.clone(),
        stage: row
            .stage
            .as_deref()
            .map(|s| parse(ConstructionStage::parse, s))
            .transpose()?,
        lead_department: row.lead_department.clone(),
        promised_limit_days: to_u32(row.promised_limit_days),
        items,
    })
}

async fn department_names(db: &DatabaseConnection) -> anyhow::Result<BTreeMap<String, String>> {
    Ok(department::Entity::find()
        .all(db)
        .await
        .context("failed to read departments")?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect())
}

fn department_info(d: department::Model, item_count: usize) -> DepartmentInfo {
    DepartmentInfo {
        code: d.code,
        name: d.name,
        phone: d.phone,
        address: d.address,
        item_count: to_u32(item_count),
    }
}

fn summary_of(
    row: &service_item::Model,
    v: &item_version::Model,
    names: &BTreeMap<String, String>,
) -> anyhow::Result<ItemSummary> {
    Ok(ItemSummary {
        code: row.code.clone(),
        name: row.name.clone(),
        item_type: parse(ItemType::parse, &row.item_type)?,
        department_name: names
            .get(&row.department)
            .cloned()
            .unwrap_or_else(|| row.department.clone()),
        department: row.department.clone(),
        case_kind: parse(CaseKind::parse, &row.case_kind)?,
        online_depth: parse(OnlineDepth::parse, &row.online_depth)?,
        statutory_limit_days: to_u32(v.statutory_limit_days),
        promised_limit_days: to_u32(v.promised_limit_days),
        visits: to_u32(v.visits),
        version: to_u32(row.current_version),
    })
}

/// SHA-256 of a record as serialised in the file: the same record always hashes the same.
fn content_hash<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let bytes = serde_json::to_vec(value).context("failed to serialise for hashing")?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

fn json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    serde_json::to_string(value).context("failed to serialise a list")
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> anyhow::Result<T> {
    serde_json::from_str(text).with_context(|| format!("corrupt JSON column: {text}"))
}

fn parse<T>(f: fn(&str) -> Option<T>, s: &str) -> anyhow::Result<T> {
    f(s).ok_or_else(|| anyhow!("unknown value {s:?} in the database"))
}

/// Catalog numbers are small (checked on import), so these conversions never saturate.
fn to_i32(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

fn to_u32(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(0)
}

/// One version of an item's guide, current or earlier; `None` if the item or version is unknown.
pub async fn get_item_version(
    db: &DatabaseConnection,
    code: &str,
    version: u32,
) -> anyhow::Result<Option<ServiceItem>> {
    let Some(row) = find_item_row(db, code).await? else {
        return Ok(None);
    };
    let Some(v) = item_version::Entity::find()
        .filter(item_version::Column::ItemId.eq(row.id))
        .filter(item_version::Column::Version.eq(to_i32(version)))
        .one(db)
        .await
        .context("failed to read a guide version")?
    else {
        return Ok(None);
    };
    load_version(db, v.id).await.map(Some)
}

/// The item with this code, as its catalog row.
pub async fn find_item_row(
    db: &DatabaseConnection,
    code: &str,
) -> anyhow::Result<Option<service_item::Model>> {
    service_item::Entity::find()
        .filter(service_item::Column::Code.eq(code))
        .one(db)
        .await
        .context("failed to read an item")
}

/// The name and the field keys of an item's current form, or of a bundle's one form (each
/// shared key once, in the order first met); `None` if no item or bundle has this code.
/// Only what an application needs: no history, no departments.
pub async fn form_keys(
    db: &DatabaseConnection,
    item: Option<&str>,
    bundle: Option<&str>,
) -> anyhow::Result<Option<(String, Vec<String>)>> {
    let (name, codes) = match (item, bundle) {
        (Some(code), _) => match find_item_row(db, code).await? {
            Some(row) => (row.name, vec![code.to_string()]),
            None => return Ok(None),
        },
        (None, Some(code)) => {
            let Some(row) = bundle::Entity::find()
                .filter(bundle::Column::Code.eq(code))
                .one(db)
                .await
                .context("failed to read a bundle")?
            else {
                return Ok(None);
            };
            let members = bundle_item::Entity::find()
                .filter(bundle_item::Column::BundleId.eq(row.id))
                .order_by_asc(bundle_item::Column::Position)
                .all(db)
                .await
                .context("failed to read a bundle's items")?;
            (row.name, members.into_iter().map(|m| m.item_code).collect())
        }
        (None, None) => return Ok(None),
    };
    let mut keys: Vec<String> = Vec::new();
    for code in &codes {
        let row = find_item_row(db, code)
            .await?
            .ok_or_else(|| anyhow!("bundle names missing item {code}"))?;
        let fields = form_field::Entity::find()
            .filter(form_field::Column::ItemVersionId.eq(row.current_version_id))
            .order_by_asc(form_field::Column::Position)
            .all(db)
            .await
            .context("failed to read form fields")?;
        for f in fields {
            if !keys.contains(&f.key) {
                keys.push(f.key);
            }
        }
    }
    Ok(Some((name, keys)))
}

/// Names of every item and every bundle, by code (two queries, for lists).
pub async fn names(
    db: &DatabaseConnection,
) -> anyhow::Result<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let items = service_item::Entity::find()
        .all(db)
        .await
        .context("failed to read items")?
        .into_iter()
        .map(|i| (i.code, i.name))
        .collect();
    let bundles = bundle::Entity::find()
        .all(db)
        .await
        .context("failed to read bundles")?
        .into_iter()
        .map(|b| (b.code, b.name))
        .collect();
    Ok((items, bundles))
}

/// The one form and materials of an item or a bundle, with the guide versions in force;
/// `None` if the code names nothing.
pub async fn application_form(
    db: &DatabaseConnection,
    item: Option<&str>,
    bundle: Option<&str>,
) -> anyhow::Result<Option<ApplicationForm>> {
    match (item, bundle) {
        (Some(code), _) => {
            let Some(row) = find_item_row(db, code).await? else {
                return Ok(None);
            };
            let names = department_names(db).await?;
            let item = load_version(db, row.current_version_id).await?;
            let merged = merge_items([&item]);
            Ok(Some(ApplicationForm {
                title: item.name.clone(),
                guides: vec![GuideRef {
                    code: item.code.clone(),
                    name: item.name.clone(),
                    version: to_u32(row.current_version),
                    department_name: names.get(&item.department).cloned().unwrap_or_default(),
                }],
                fields: merged.fields,
                materials: merged.materials,
                promised_limit_days: item.promised_limit_days,
                joint_handling: !item.co_departments.is_empty(),
            }))
        }
        (None, Some(code)) => {
            let Some(view) = get_bundle(db, code).await? else {
                return Ok(None);
            };
            Ok(Some(ApplicationForm {
                title: view.bundle.name,
                guides: view
                    .items
                    .into_iter()
                    .map(|s| GuideRef {
                        code: s.code,
                        name: s.name,
                        version: s.version,
                        department_name: s.department_name,
                    })
                    .collect(),
                fields: view.application.fields,
                materials: view.application.materials,
                promised_limit_days: view.bundle.promised_limit_days,
                joint_handling: true,
            }))
        }
        (None, None) => Ok(None),
    }
}

/// Who handles an application for an item or a bundle, and whether it may be accepted on
/// receipt (收件即受理): the item's department, or the bundle's lead department (one window).
pub async fn handling(
    db: &DatabaseConnection,
    item: Option<&str>,
    bundle: Option<&str>,
) -> anyhow::Result<Option<(String, bool)>> {
    match (item, bundle) {
        (Some(code), _) => {
            let Some(row) = find_item_row(db, code).await? else {
                return Ok(None);
            };
            let version = load_version(db, row.current_version_id).await?;
            Ok(Some((row.department, version.accept_on_receipt)))
        }
        (None, Some(code)) => Ok(bundle::Entity::find()
            .filter(bundle::Column::Code.eq(code))
            .one(db)
            .await
            .context("failed to read a bundle")?
            .map(|b| (b.lead_department, false))),
        (None, None) => Ok(None),
    }
}
