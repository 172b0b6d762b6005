//! What the public pages and the JSON API read: the item list and search, departments, a
//! guide, bundles, and the export of the whole catalog.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, sea_query::Condition,
};

use crate::domain::bundle::merge_items;
use crate::domain::catalog::{
    Bundle, CATALOG_FORMAT_VERSION, CaseKind, CatalogFile, ConstructionStage, DeliveryMethod,
    Department, Fee, FieldOption, FieldType, FileType, FormField, ItemType, Material, MaterialForm,
    MaterialSource, OnlineDepth, ResultInfo, ServiceItem,
};
use crate::server::entities::{
    bundle, bundle_item, department, form_field, item_version, material, service_item,
};
use crate::views::catalog::{
    BundleRef, BundleSummary, BundleView, DepartmentInfo, GuideVersion, ItemFilter, ItemGuide,
    ItemSummary,
};

use super::{by_code, from_json, names_of, parse, to_u32};

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
    let Some(row) = by_code::<service_item::Entity>(db, code).await? else {
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
    let Some(row) = by_code::<bundle::Entity>(db, code).await? else {
        return Ok(None);
    };
    let b = load_bundle(db, &row).await?;
    let names = department_names(db).await?;
    let mut items = Vec::new();
    let mut summaries = Vec::new();
    for code in &b.items {
        let item_row = by_code::<service_item::Entity>(db, code)
            .await?
            .ok_or_else(|| anyhow!("bundle {} names missing item {code}", b.code))?;
        let version = item_version::Entity::find_by_id(item_row.current_version_id)
            .one(db)
            .await
            .context("failed to read a guide version")?
            .ok_or_else(|| anyhow!("item {code} points at a missing guide version"))?;
        summaries.push(summary_of(&item_row, &version, &names)?);
        items.push(load_version(db, item_row.current_version_id).await?);
    }
    let lead = by_code::<department::Entity>(db, &b.lead_department)
        .await?
        .ok_or_else(|| anyhow!("bundle {} has an unknown lead department", b.code))?;
    Ok(Some(BundleView {
        application: merge_items(items.iter()),
        version: to_u32(row.current_version),
        lead_department: department_info(lead, 0),
        items: summaries,
        bundle: b,
    }))
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
        review_days: from_json(&v.review_days)?,
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
            validity_months: v.result_validity_months.map(to_u32),
            licence_fields: from_json(&v.result_licence_fields)?,
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

pub(super) async fn load_bundle(
    db: &impl ConnectionTrait,
    row: &bundle::Model,
) -> anyhow::Result<Bundle> {
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

pub async fn department_names(db: &DatabaseConnection) -> anyhow::Result<BTreeMap<String, String>> {
    names_of::<department::Entity>(db).await
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
