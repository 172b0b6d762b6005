//! Drafts: create, save (only the keys of their form, within the limits; in a fix-up only
//! what the notice names), read, list, delete.

use super::*;

/// Creates a draft for the applicant.
pub async fn create_draft(
    db: &DatabaseConnection,
    account_id: i32,
    draft: &NewDraft,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    let (item, bundle) = item_or_bundle(draft.item.as_deref(), draft.bundle.as_deref())?;
    let (title, keys) = form_of(db, item.as_deref(), bundle.as_deref()).await?;
    if let Some(code) = &item
        && let Some(row) =
            catalog::by_code::<crate::server::entities::service_item::Entity>(db, code).await?
        && row.online_depth == crate::domain::catalog::OnlineDepth::WindowOnly.as_str()
    {
        return Err(ApplicationError::WindowOnly);
    }
    let content = DraftContent {
        applicant: draft.applicant.clone(),
        values: draft.values.clone(),
        bring_original: draft.bring_original.clone(),
        delivery: draft.delivery.clone(),
    };
    invalid_unless_empty(check_draft(&keys, &content))?;
    let drafts = application::Entity::find()
        .filter(application::Column::AccountId.eq(account_id))
        .filter(application::Column::Status.eq(CaseStatus::Draft.as_str()))
        .count(db)
        .await
        .context("failed to count drafts")?;
    if drafts >= crate::domain::upload::MAX_OPEN_DRAFTS {
        return Err(ApplicationError::TooManyDrafts);
    }
    let owner = application::ActiveModel {
        account_id: Set(account_id),
        ..Default::default()
    };
    let row = insert_draft(db, owner, (item, bundle), &content, now).await?;
    view(row, title, Vec::new(), Vec::new())
}

/// Replaces what a draft holds (applicant, values, originals to bring, delivery choice).
pub async fn update_draft(
    db: &DatabaseConnection,
    who: impl Into<Who>,
    number: &str,
    content: &DraftContent,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    let row = own_draft(db, who.into(), number).await?;
    let (_, keys) = form_of(db, row.item_code.as_deref(), row.bundle_code.as_deref()).await?;
    invalid_unless_empty(check_draft(&keys, content))?;
    let mut content = content.clone();
    if let Some(editable) = editable_targets(db, &row).await? {
        let before = content_of(&row)?;
        invalid_unless_empty(check_fix_up_edit(&before, &content, &editable))?;
        // The delivery choice was checked at submission and stays as it was.
        content.delivery = before.delivery;
    }
    let content = &content;
    write_draft(
        db,
        &row,
        vec![
            (
                application::Column::FormValues,
                to_json(&content.values)?.into(),
            ),
            (
                application::Column::Applicant,
                to_json(&content.applicant)?.into(),
            ),
            (
                application::Column::BringOriginal,
                to_json(&content.bring_original)?.into(),
            ),
            (
                application::Column::Delivery,
                to_json(&content.delivery)?.into(),
            ),
        ],
        now,
    )
    .await?;
    reread(db, row.id).await
}

/// One of the applicant's applications; `None` for a number that is not theirs. Either the
/// application number or, once submitted, the case number finds it.
pub async fn get(
    db: &DatabaseConnection,
    who: impl Into<Who>,
    number: &str,
) -> Result<Option<ApplicationView>, ApplicationError> {
    let Some(row) = own(db, who.into(), number).await? else {
        return Ok(None);
    };
    view_of(db, row).await.map(Some)
}

/// Whether one of the applicant's applications has been submitted; `None` for a number that
/// is not theirs. One indexed read: the application page asks it before it is rendered, to
/// send a submitted case's page with its own wasm (`app::app::SubmittedCase`).
pub async fn submitted(
    db: &DatabaseConnection,
    who: impl Into<Who>,
    number: &str,
) -> Result<Option<bool>, ApplicationError> {
    let row = own(db, who.into(), number).await?;
    Ok(row.map(|row| row.status != CaseStatus::Draft.as_str()))
}

/// An application with the form to fill it in (the catalog's current one).
pub async fn get_with_form(
    db: &DatabaseConnection,
    who: impl Into<Who>,
    number: &str,
) -> Result<Option<(ApplicationView, ApplicationForm)>, ApplicationError> {
    let Some(view) = get(db, who, number).await? else {
        return Ok(None);
    };
    let form = catalog::application_form(db, view.item.as_deref(), view.bundle.as_deref())
        .await?
        .ok_or_else(|| ApplicationError::UnknownItem(view.title.clone()))?;
    Ok(Some((view, form)))
}

/// The applicant's applications, most recently changed first: their own, and cases taken at
/// the window for them (matched by mobile and ID number).
pub async fn list(
    db: &DatabaseConnection,
    account_id: i32,
) -> Result<Vec<ApplicationView>, ApplicationError> {
    let rows = application::Entity::find()
        .filter(whose(Who::Applicant(account_id)))
        .order_by_desc(application::Column::UpdatedAt)
        .order_by_desc(application::Column::Id)
        .all(db)
        .await
        .context("failed to list applications")?;
    let mut uploads: BTreeMap<i32, Vec<UploadedMaterial>> = BTreeMap::new();
    for m in application_material::Entity::find()
        .filter(application_material::Column::ApplicationId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(application_material::Column::Id)
        .all(db)
        .await
        .context("failed to list uploaded materials")?
    {
        uploads
            .entry(m.application_id)
            .or_default()
            .push(uploaded(m)?);
    }
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut notices = cases::notices_of(db, &ids).await?;
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
            let materials = uploads.remove(&row.id).unwrap_or_default();
            let notices = notices.remove(&row.id).unwrap_or_default();
            view(row, title, materials, notices)
        })
        .collect()
}

/// Deletes one of the applicant's drafts, with its uploads.
pub async fn delete_draft(
    db: &DatabaseConnection,
    store: &MaterialStore,
    who: impl Into<Who>,
    number: &str,
    now: DateTime<Utc>,
) -> Result<(), ApplicationError> {
    let row = own_draft(db, who.into(), number).await?;
    if row.status != CaseStatus::Draft.as_str() {
        return Err(ApplicationError::NotADraft);
    }
    let files = materials_of(db, row.id).await?;
    let txn = db.begin().await.context("failed to begin")?;
    // Still the draft that was read (not submitted meanwhile), and held until the end.
    write_draft(&txn, &row, Vec::new(), now).await?;
    application_material::Entity::delete_many()
        .filter(application_material::Column::ApplicationId.eq(row.id))
        .exec(&txn)
        .await
        .context("failed to delete a draft's materials")?;
    application::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await
        .context("failed to delete a draft")?;
    txn.commit().await.context("failed to delete a draft")?;
    for f in files {
        forget_if_unused(db, store, &f.sha256).await;
    }
    Ok(())
}
