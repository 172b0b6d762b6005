//! Application drafts of an applicant: create, update, read, list, delete. Every function
//! takes the applicant's account id, and another applicant's number is simply not found.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use super::catalog;
use super::entities::application;
use crate::domain::account::FieldProblem;
use crate::domain::application::{ApplicationNumber, MAX_DRAFT_VALUE_CHARS, check_draft_size};

/// Status of an application that has not been submitted.
pub const DRAFT: &str = "draft";

/// A new draft: exactly one of `item` and `bundle`, and any values typed so far.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDraft {
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub bundle: Option<String>,
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// A draft's values, replacing the ones saved before.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DraftValues {
    pub values: BTreeMap<String, String>,
}

/// An application as its applicant sees it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    pub number: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle: Option<String>,
    /// The item's or bundle's name.
    pub title: String,
    pub values: BTreeMap<String, String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Why a draft operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("请指定一个事项或一件事（二者选一）")]
    ItemOrBundle,
    #[error("没有编码为 {0} 的事项或一件事")]
    UnknownItem(String),
    #[error("表单内容有误")]
    Invalid(Vec<FieldProblem>),
    #[error("没有这个办件")]
    NotFound,
    #[error("办件已提交，不能再修改")]
    NotADraft,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Creates a draft for the applicant.
pub async fn create_draft(
    db: &DatabaseConnection,
    account_id: i32,
    draft: &NewDraft,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    let (item, bundle) = match (draft.item.as_deref(), draft.bundle.as_deref()) {
        (Some(i), None) if !i.is_empty() => (Some(i.to_string()), None),
        (None, Some(b)) if !b.is_empty() => (None, Some(b.to_string())),
        _ => return Err(ApplicationError::ItemOrBundle),
    };
    let (title, keys) = form_of(db, item.as_deref(), bundle.as_deref()).await?;
    check_values(&keys, &draft.values)?;
    let values =
        serde_json::to_string(&draft.values).context("failed to serialise draft values")?;
    // 50 random bits: a clash is practically impossible, but the unique index has the last word.
    for _ in 0..3 {
        let number = new_number(now)?;
        let row = application::ActiveModel {
            number: Set(number.as_str().into()),
            account_id: Set(account_id),
            item_code: Set(item.clone()),
            bundle_code: Set(bundle.clone()),
            form_values: Set(values.clone()),
            status: Set(DRAFT.into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await;
        if let Ok(row) = row {
            return view(row, title);
        }
    }
    Err(anyhow!("could not allocate an application number").into())
}

/// Replaces a draft's values.
pub async fn update_draft(
    db: &DatabaseConnection,
    account_id: i32,
    number: &str,
    update: &DraftValues,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    let row = own(db, account_id, number)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    if row.status != DRAFT {
        return Err(ApplicationError::NotADraft);
    }
    let (title, keys) = form_of(db, row.item_code.as_deref(), row.bundle_code.as_deref()).await?;
    check_values(&keys, &update.values)?;
    let mut row: application::ActiveModel = row.into();
    row.form_values =
        Set(serde_json::to_string(&update.values).context("failed to serialise draft values")?);
    row.updated_at = Set(now);
    let row = row.update(db).await.context("failed to update a draft")?;
    view(row, title)
}

/// One of the applicant's applications; `None` for a number that is not theirs.
pub async fn get(
    db: &DatabaseConnection,
    account_id: i32,
    number: &str,
) -> Result<Option<ApplicationView>, ApplicationError> {
    let Some(row) = own(db, account_id, number).await? else {
        return Ok(None);
    };
    let (title, _) = form_of(db, row.item_code.as_deref(), row.bundle_code.as_deref()).await?;
    view(row, title).map(Some)
}

/// The applicant's applications, most recently changed first.
pub async fn list(
    db: &DatabaseConnection,
    account_id: i32,
) -> Result<Vec<ApplicationView>, ApplicationError> {
    let rows = application::Entity::find()
        .filter(application::Column::AccountId.eq(account_id))
        .order_by_desc(application::Column::UpdatedAt)
        .order_by_desc(application::Column::Id)
        .all(db)
        .await
        .context("failed to list applications")?;
    let (items, bundles) = catalog::names(db).await?;
    rows.into_iter()
        .map(|row| {
            let title = match (&row.item_code, &row.bundle_code) {
                (Some(code), _) => items.get(code),
                (None, Some(code)) => bundles.get(code),
                (None, None) => None,
            }
            .cloned()
            .unwrap_or_default();
            view(row, title)
        })
        .collect()
}

/// Deletes one of the applicant's drafts.
pub async fn delete_draft(
    db: &DatabaseConnection,
    account_id: i32,
    number: &str,
) -> Result<(), ApplicationError> {
    let row = own(db, account_id, number)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    if row.status != DRAFT {
        return Err(ApplicationError::NotADraft);
    }
    application::Entity::delete_by_id(row.id)
        .exec(db)
        .await
        .context("failed to delete a draft")?;
    Ok(())
}

async fn own(
    db: &DatabaseConnection,
    account_id: i32,
    number: &str,
) -> anyhow::Result<Option<application::Model>> {
    let Some(number) = ApplicationNumber::parse(number) else {
        return Ok(None);
    };
    application::Entity::find()
        .filter(application::Column::Number.eq(number.as_str()))
        .filter(application::Column::AccountId.eq(account_id))
        .one(db)
        .await
        .context("failed to read an application")
}

/// The title and the field keys of the item's or bundle's one form.
async fn form_of(
    db: &DatabaseConnection,
    item: Option<&str>,
    bundle: Option<&str>,
) -> Result<(String, Vec<String>), ApplicationError> {
    catalog::form_keys(db, item, bundle)
        .await?
        .ok_or_else(|| ApplicationError::UnknownItem(item.or(bundle).unwrap_or_default().into()))
}

/// A draft may be incomplete, but only holds keys of its form, within the size limits.
fn check_values(
    keys: &[String],
    values: &BTreeMap<String, String>,
) -> Result<(), ApplicationError> {
    let mut problems: Vec<FieldProblem> = values
        .keys()
        .filter(|k| !keys.contains(k))
        .map(|k| FieldProblem {
            field: format!("values.{k}"),
            code: "unknown_field".into(),
            message: format!("表单中没有“{k}”这一项"),
        })
        .collect();
    match check_draft_size(values) {
        Ok(()) => {}
        Err(Some(key)) => problems.push(FieldProblem {
            field: format!("values.{key}"),
            code: "too_long".into(),
            message: format!("内容不能超过 {MAX_DRAFT_VALUE_CHARS} 个字"),
        }),
        Err(None) => problems.push(FieldProblem {
            field: "values".into(),
            code: "too_many_values".into(),
            message: "表单项过多".into(),
        }),
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApplicationError::Invalid(problems))
    }
}

fn new_number(now: DateTime<Utc>) -> anyhow::Result<ApplicationNumber> {
    let mut random = [0u8; 7];
    getrandom::fill(&mut random).map_err(|e| anyhow!("no randomness for a number: {e}"))?;
    use chrono::Datelike;
    let local = (now + chrono::Duration::hours(8)).date_naive();
    let date = crate::domain::date::Date::new(local.year(), local.month() as u8, local.day() as u8)
        .ok_or_else(|| anyhow!("today is not a date"))?;
    Ok(ApplicationNumber::new(date, random))
}

fn view(row: application::Model, title: String) -> Result<ApplicationView, ApplicationError> {
    Ok(ApplicationView {
        values: serde_json::from_str(&row.form_values).context("corrupt draft values")?,
        number: row.number,
        status: row.status,
        item: row.item_code,
        bundle: row.bundle_code,
        title,
        created_at: row.created_at.to_rfc3339(),
        updated_at: row.updated_at.to_rfc3339(),
    })
}
