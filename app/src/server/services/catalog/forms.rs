//! What an application needs from the catalog: the form and materials of an item or a
//! bundle with the guide versions in force, who handles it, and names for lists.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::apply::{ApplicationForm, GuideRef};
use crate::domain::bundle::merge_items;
use crate::domain::catalog::{CaseKind, ServiceItem};
use crate::domain::decision::HandledItem;
use crate::server::entities::{bundle, bundle_item, form_field, item_version, service_item};

use super::read::department_names;
use super::{by_code, get_bundle, load_version, names_of, to_i32, to_u32};

/// One version of an item's guide, current or earlier; `None` if the item or version is unknown.
pub async fn get_item_version(
    db: &DatabaseConnection,
    code: &str,
    version: u32,
) -> anyhow::Result<Option<ServiceItem>> {
    let Some(row) = by_code::<service_item::Entity>(db, code).await? else {
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

/// The name and the field keys of an item's current form, or of a bundle's one form (each
/// shared key once, in the order first met); `None` if no item or bundle has this code.
/// Only what an application needs: no history, no departments.
pub async fn form_keys(
    db: &DatabaseConnection,
    item: Option<&str>,
    bundle: Option<&str>,
) -> anyhow::Result<Option<(String, Vec<String>)>> {
    let (name, codes) = match (item, bundle) {
        (Some(code), _) => match by_code::<service_item::Entity>(db, code).await? {
            Some(row) => (row.name, vec![code.to_string()]),
            None => return Ok(None),
        },
        (None, Some(code)) => {
            let Some(row) = by_code::<bundle::Entity>(db, code).await? else {
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
        let row = by_code::<service_item::Entity>(db, code)
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
    Ok((
        names_of::<service_item::Entity>(db).await?,
        names_of::<bundle::Entity>(db).await?,
    ))
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
            let Some(row) = by_code::<service_item::Entity>(db, code).await? else {
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
                delivery_methods: merged.delivery_methods,
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
                delivery_methods: view.application.delivery_methods,
            }))
        }
        (None, None) => Ok(None),
    }
}

/// The items of an application with who handles each (the item's department and its
/// co-handling departments), from the guides in force: what a case fans out into at
/// acceptance and who decides each item. Empty if the code names nothing.
pub async fn handled_items(
    db: &DatabaseConnection,
    item: Option<&str>,
    bundle: Option<&str>,
) -> anyhow::Result<Vec<HandledItem>> {
    let codes: Vec<String> = match (item, bundle) {
        (Some(code), _) => vec![code.to_owned()],
        (None, Some(code)) => match by_code::<bundle::Entity>(db, code).await? {
            Some(row) => super::read::load_bundle(db, &row).await?.items,
            None => vec![],
        },
        (None, None) => vec![],
    };
    let mut out = Vec::with_capacity(codes.len());
    for code in codes {
        let Some(row) = by_code::<service_item::Entity>(db, &code).await? else {
            return Err(anyhow!("an application names an unknown item {code}"));
        };
        let item = load_version(db, row.current_version_id).await?;
        out.push(HandledItem {
            immediate: item.case_kind == CaseKind::Immediate,
            item_code: item.code,
            item_name: item.name,
            department: item.department,
            co_departments: item.co_departments,
            result_name: item.result.name,
            review_days: item.review_days,
        });
    }
    Ok(out)
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
            let Some(row) = by_code::<service_item::Entity>(db, code).await? else {
                return Ok(None);
            };
            let version = load_version(db, row.current_version_id).await?;
            Ok(Some((row.department, version.accept_on_receipt)))
        }
        (None, Some(code)) => Ok(by_code::<bundle::Entity>(db, code)
            .await?
            .map(|b| (b.lead_department, false))),
        (None, None) => Ok(None),
    }
}
