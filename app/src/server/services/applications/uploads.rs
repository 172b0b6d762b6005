//! Uploaded materials: checked by content and size, stored content-addressed before their
//! row, never left orphaned; downloaded by their owner.

use sea_orm::QuerySelect;

use super::*;

/// Where an upload goes: the draft and the guide's material. Looked up before the body is
/// read, so that an oversized file is refused without reading it.
#[derive(Clone, Debug)]
pub struct UploadSlot {
    application_id: i32,
    pub material: Material,
    /// What the upload is for: a draft, a fix-up (the file replaced is kept in the material
    /// history), or a 容缺 material supplied after acceptance (likewise).
    purpose: Purpose,
    /// Bytes the applicant's open applications hold besides this slot's file (`None` for
    /// staff taking in a case at the window).
    pub used: Option<u64>,
}

/// What an upload is for, and so which statuses of its case take it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Draft,
    FixUp,
    /// 容缺 (rule 7): a material promised at acceptance, supplied online.
    Deferred,
}

impl Purpose {
    /// The statuses the case must still have when the file is recorded.
    fn statuses(self) -> &'static [CaseStatus] {
        match self {
            Purpose::Draft => &[CaseStatus::Draft],
            Purpose::FixUp => &[CaseStatus::CorrectionRequested],
            Purpose::Deferred => &CaseStatus::UNDER_REVIEW,
        }
    }
}

impl UploadSlot {
    /// The most the file may be, in bytes, and the refusal past it (the material's limit, or
    /// the applicant's storage left).
    pub fn allowance(&self) -> (u64, UploadError) {
        crate::domain::upload::upload_allowance(&self.material, self.used)
    }

    /// A refusal of a file for this slot, with the material's name in the message.
    pub fn refusal(&self, error: UploadError) -> ApplicationError {
        ApplicationError::Upload {
            message: error.message(&self.material.name),
            error,
        }
    }
}

/// The slot of material `code` of one of the applicant's drafts.
pub async fn upload_slot(
    db: &DatabaseConnection,
    who: impl Into<Who>,
    number: &str,
    code: &str,
) -> Result<UploadSlot, ApplicationError> {
    let who = who.into();
    let row = own_or_refuse(db, who, number).await?;
    let purpose = match row.case_status()? {
        CaseStatus::Draft => Purpose::Draft,
        CaseStatus::CorrectionRequested => {
            let editable = editable_targets(db, &row).await?.unwrap_or_default();
            if !editable.contains(&format!("materials.{code}")) {
                return Err(ApplicationError::NotNamedInNotice(code.into()));
            }
            Purpose::FixUp
        }
        // After acceptance the applicant supplies only the 容缺 materials still outstanding.
        status if status.under_review() && matches!(who, Who::Applicant(_)) => {
            let history = cases::history_of(db, row.id).await?;
            let outstanding = cases::deferred_materials(&history)?
                .iter()
                .any(|d| d.code == code && d.outstanding());
            if !outstanding {
                return Err(ApplicationError::NotDeferred(code.into()));
            }
            Purpose::Deferred
        }
        _ => return Err(ApplicationError::NotADraft),
    };
    let form = catalog::application_form(db, row.item_code.as_deref(), row.bundle_code.as_deref())
        .await?
        .ok_or_else(|| ApplicationError::UnknownItem(row.number.clone()))?;
    let material = form
        .materials
        .into_iter()
        .find(|m| m.material.code == code)
        .ok_or_else(|| ApplicationError::UnknownMaterial(code.into()))?
        .material;
    let used = match who {
        Who::Applicant(account_id) => Some(stored_bytes(db, account_id, (row.id, code)).await?),
        Who::Staff(_) => None,
    };
    Ok(UploadSlot {
        application_id: row.id,
        material,
        purpose,
        used,
    })
}

/// Bytes of the uploads in an applicant's drafts and fix-ups, except the one in `slot`
/// (application id, material code), which an upload to it replaces.
async fn stored_bytes(
    db: &DatabaseConnection,
    account_id: i32,
    slot: (i32, &str),
) -> anyhow::Result<u64> {
    let open = [CaseStatus::Draft, CaseStatus::CorrectionRequested].map(CaseStatus::as_str);
    let ids: Vec<i32> = application::Entity::find()
        .select_only()
        .column(application::Column::Id)
        .filter(application::Column::AccountId.eq(account_id))
        .filter(application::Column::Status.is_in(open))
        .into_tuple()
        .all(db)
        .await
        .context("failed to list open applications")?;
    let files: Vec<(i32, String, i64)> = application_material::Entity::find()
        .select_only()
        .columns([
            application_material::Column::ApplicationId,
            application_material::Column::MaterialCode,
            application_material::Column::Size,
        ])
        .filter(application_material::Column::ApplicationId.is_in(ids))
        .into_tuple()
        .all(db)
        .await
        .context("failed to add up stored uploads")?;
    Ok(files
        .into_iter()
        .filter(|(id, code, _)| (*id, code.as_str()) != slot)
        .map(|(_, _, size)| u64::try_from(size).unwrap_or(0))
        .sum())
}

/// Stores a received upload for its slot, replacing an earlier one. The file is checked by
/// content, moved under its hash in the store, and only then recorded; if recording fails,
/// the file is removed again (unless another upload has the same content), so no request
/// leaves an orphan. A refused file's staging copy goes with the dropped [`Incoming`].
pub async fn store_upload(
    db: &DatabaseConnection,
    store: &MaterialStore,
    slot: &UploadSlot,
    file_name: &str,
    incoming: Incoming,
    now: DateTime<Utc>,
) -> Result<UploadedMaterial, ApplicationError> {
    let file_type = check_upload(&slot.material, incoming.size(), incoming.head())
        .map_err(|error| slot.refusal(error))?;
    let file_name = clean_file_name(file_name, &slot.material.name, file_type);
    let stored = store.keep(incoming).await?;
    let recorded = record_upload(db, slot, &file_name, file_type, &stored, now).await;
    match recorded {
        Ok((model, replaced)) => {
            if let Some(old) = replaced
                && old != stored.sha256
            {
                forget_if_unused(db, store, &old).await;
            }
            Ok(uploaded(model)?)
        }
        Err(e) => {
            forget_if_unused(db, store, &stored.sha256).await;
            Err(e)
        }
    }
}

pub(super) async fn record_upload(
    db: &DatabaseConnection,
    slot: &UploadSlot,
    file_name: &str,
    file_type: FileType,
    stored: &crate::server::storage::StoredFile,
    now: DateTime<Utc>,
) -> Result<(application_material::Model, Option<String>), ApplicationError> {
    let txn = db.begin().await.context("failed to begin")?;
    // Only a draft takes uploads; the check is repeated inside the transaction, as the
    // draft may have been submitted while the file was arriving.
    let statuses = slot.purpose.statuses().iter().map(|s| s.as_str());
    // The version moves on, so a submission that read the draft before this file arrived
    // fails its conditional update rather than number a case without it.
    let touched = application::Entity::update_many()
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            application::Column::Version,
            sea_orm::sea_query::ExprTrait::add(Expr::col(application::Column::Version), 1),
        )
        .filter(application::Column::Id.eq(slot.application_id))
        .filter(application::Column::Status.is_in(statuses))
        .exec(&txn)
        .await
        .context("failed to touch a draft")?;
    if touched.rows_affected == 0 {
        return Err(ApplicationError::NotADraft);
    }
    let existing = upload_of(&txn, slot.application_id, &slot.material.code).await?;
    let replaced = existing.as_ref().map(|m| m.sha256.clone());
    // In a fix-up (or a 容缺 material supplied again), the file objected to is kept, so staff
    // can compare.
    if slot.purpose != Purpose::Draft
        && let Some(old) = &existing
    {
        material_history::ActiveModel {
            application_id: Set(old.application_id),
            material_code: Set(old.material_code.clone()),
            sha256: Set(old.sha256.clone()),
            size: Set(old.size),
            file_type: Set(old.file_type.clone()),
            file_name: Set(old.file_name.clone()),
            uploaded_at: Set(old.uploaded_at),
            replaced_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .context("failed to keep a replaced upload")?;
    }
    let mut row = match existing {
        Some(m) => m.into(),
        None => application_material::ActiveModel {
            application_id: Set(slot.application_id),
            material_code: Set(slot.material.code.clone()),
            ..Default::default()
        },
    };
    row.sha256 = Set(stored.sha256.clone());
    row.size = Set(i64::try_from(stored.size).context("file size")?);
    row.file_type = Set(file_type.as_str().into());
    row.file_name = Set(file_name.into());
    row.uploaded_at = Set(now);
    let model = row.save(&txn).await.context("failed to record an upload")?;
    let model = model
        .try_into_model()
        .context("failed to record an upload")?;
    txn.commit().await.context("failed to record an upload")?;
    Ok((model, replaced))
}

/// Removes an upload from a draft.
pub async fn delete_upload(
    db: &DatabaseConnection,
    store: &MaterialStore,
    who: impl Into<Who>,
    number: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(), ApplicationError> {
    let row = own_draft(db, who.into(), number).await?;
    if row.status != CaseStatus::Draft.as_str() {
        return Err(ApplicationError::FixUpReplaceOnly);
    }
    let upload = upload_of(db, row.id, code)
        .await?
        .ok_or(ApplicationError::NoUpload)?;
    let txn = db.begin().await.context("failed to begin")?;
    write_draft(&txn, &row, Vec::new(), now).await?;
    application_material::Entity::delete_by_id(upload.id)
        .exec(&txn)
        .await
        .context("failed to delete an upload")?;
    txn.commit().await.context("failed to delete an upload")?;
    forget_if_unused(db, store, &upload.sha256).await;
    Ok(())
}

/// The content of an uploaded material, for its owner: its size and a stream of it.
pub async fn download(
    db: &DatabaseConnection,
    store: &MaterialStore,
    who: impl Into<Who>,
    number: &str,
    code: &str,
) -> Result<(UploadedMaterial, u64, ByteStream), ApplicationError> {
    let row = own_or_refuse(db, who.into(), number).await?;
    let upload = upload_of(db, row.id, code)
        .await?
        .ok_or(ApplicationError::NoUpload)?;
    let (size, bytes) = store
        .open(&upload.sha256)
        .await?
        .ok_or_else(|| anyhow!("stored material {} is missing", upload.sha256))?;
    Ok((uploaded(upload)?, size, bytes))
}

/// Deletes the stored files no application or replaced-material row refers to and that were
/// last written before `written_before` (a file younger than that may belong to an upload
/// whose row is not committed yet). What a crash between storing a file and recording it
/// leaves behind goes this way, and so do staging files of uploads a crash cut short.
/// Returns how many files were deleted.
pub async fn sweep_unreferenced(
    db: &DatabaseConnection,
    store: &MaterialStore,
    written_before: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let mut deleted = store.sweep_staging(written_before).await?;
    for (sha256, written) in store.list().await? {
        if written >= written_before {
            continue;
        }
        let rows = application_material::Entity::find()
            .filter(application_material::Column::Sha256.eq(sha256.as_str()))
            .count(db)
            .await
            .context("failed to count a material's users")?
            + material_history::Entity::find()
                .filter(material_history::Column::Sha256.eq(sha256.as_str()))
                .count(db)
                .await
                .context("failed to count a material's users")?;
        if rows == 0 {
            store.delete(&sha256).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}
