//! Applications of an applicant: drafts (create, save, read, list, delete), their uploaded
//! materials, and submission. Every function takes the applicant's account id, and another
//! applicant's number is simply not found.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, anyhow};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait, TryIntoModel,
};
use serde::Serialize;

use crate::clock::china_date;
use crate::domain::account::FieldProblem;
use crate::domain::application::{ApplicationNumber, check_draft};
use crate::domain::apply::{
    ApplicantForm, ApplicantKind, ApplicationForm, DraftContent, check_applicant, check_submission,
};
use crate::domain::case::{CaseAction, CaseSnapshot, CaseStatus, Channel, EventDetail};
use crate::domain::catalog::{FileType, Material};
use crate::domain::form::check_form;
use crate::domain::notice::NoticeKind;
use crate::domain::review::{changed_targets, check_fix_up, check_fix_up_edit, editable_in_fix_up};
use crate::domain::upload::{SNIFF_BYTES, UploadError, check_upload};
use crate::server::cases::{self, Actor, CaseError, Transition};
use crate::server::entities::{
    account, application, application_material, material_history, staff,
};
use crate::server::services::catalog;
use crate::server::storage::MaterialStore;
pub use crate::views::applications::{ApplicationView, NewDraft, UploadedMaterial};

/// The login of the system account that owns cases taken at the window (it cannot log in).
const WINDOW_ACCOUNT: &str = "window-intake";

/// Longest file name kept (characters); longer names are cut.
const MAX_FILE_NAME_CHARS: usize = 120;

/// Who works on an application: its applicant (their account), or the staff member who
/// takes it at the window (in-hall intake).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Applicant(i32),
    Staff(i32),
}

impl From<i32> for Who {
    fn from(account_id: i32) -> Self {
        Who::Applicant(account_id)
    }
}

/// Why an application operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("请指定一个事项或一件事（二者选一）")]
    ItemOrBundle,
    #[error("没有编码为 {0} 的事项或一件事")]
    UnknownItem(String),
    #[error("表单内容有误")]
    Invalid(Vec<FieldProblem>),
    #[error("这个事项须到窗口办理，不能在网上申请")]
    WindowOnly,
    #[error("没有这个办件")]
    NotFound,
    #[error("这个事项的申请材料中没有编码为 {0} 的材料")]
    UnknownMaterial(String),
    #[error("还没有上传这份材料")]
    NoUpload,
    #[error("{message}")]
    Upload { error: UploadError, message: String },
    #[error("办件已提交，不能再修改")]
    NotADraft,
    #[error("补正通知没有要求补正“{0}”，不能修改")]
    NotNamedInNotice(String),
    #[error("补正期间只能重新上传材料，不能删除")]
    FixUpReplaceOnly,
    #[error("办件当前没有待补正的通知")]
    NotInCorrection,
    #[error("办件已有变化，请刷新后再提交")]
    Changed,
    #[error("只有窗口人员和首席代表可以窗口收件")]
    NotPermitted,
    #[error("这个事项不由本部门办理")]
    OtherDepartment,
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
    if let Some(code) = &item
        && let Some(row) = catalog::find_item_row(db, code).await?
        && row.online_depth == crate::domain::catalog::OnlineDepth::WindowOnly.as_str()
    {
        return Err(ApplicationError::WindowOnly);
    }
    let content = DraftContent {
        applicant: draft.applicant.clone(),
        values: draft.values.clone(),
        bring_original: draft.bring_original.clone(),
    };
    invalid_unless_empty(check_draft(&keys, &content))?;
    // 50 random bits: a clash is practically impossible, but the unique index has the last word.
    for _ in 0..3 {
        let number = new_number(now)?;
        let row = application::ActiveModel {
            number: Set(number.as_str().into()),
            account_id: Set(account_id),
            item_code: Set(item.clone()),
            bundle_code: Set(bundle.clone()),
            form_values: Set(to_json(&content.values)?),
            applicant: Set(to_json(&content.applicant)?),
            bring_original: Set(to_json(&content.bring_original)?),
            status: Set(CaseStatus::Draft.as_str().into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await;
        if let Ok(row) = row {
            return view(row, title, Vec::new(), Vec::new());
        }
    }
    Err(anyhow!("could not allocate an application number").into())
}

/// Replaces what a draft holds (applicant, values, originals to bring).
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
    if let Some(editable) = editable_targets(db, &row).await? {
        invalid_unless_empty(check_fix_up_edit(&content_of(&row)?, content, &editable))?;
    }
    let mut row: application::ActiveModel = row.into();
    row.form_values = Set(to_json(&content.values)?);
    row.applicant = Set(to_json(&content.applicant)?);
    row.bring_original = Set(to_json(&content.bring_original)?);
    row.updated_at = Set(now);
    let row = row.update(db).await.context("failed to update a draft")?;
    view_of(db, row).await
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
        .filter(whose(db, Who::Applicant(account_id)).await?)
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
) -> Result<(), ApplicationError> {
    let row = own_draft(db, who.into(), number).await?;
    if row.status != CaseStatus::Draft.as_str() {
        return Err(ApplicationError::NotADraft);
    }
    let files = materials_of(db, row.id).await?;
    let txn = db.begin().await.context("failed to begin")?;
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

/// Where an upload goes: the draft and the guide's material. Looked up before the body is
/// read, so that an oversized file is refused without reading it.
#[derive(Clone, Debug)]
pub struct UploadSlot {
    application_id: i32,
    pub material: Material,
    /// A fix-up: the file replaced is kept in the material history.
    fix_up: bool,
}

/// The slot of material `code` of one of the applicant's drafts.
pub async fn upload_slot(
    db: &DatabaseConnection,
    who: impl Into<Who>,
    number: &str,
    code: &str,
) -> Result<UploadSlot, ApplicationError> {
    let row = own_draft(db, who.into(), number).await?;
    let editable = editable_targets(db, &row).await?;
    if let Some(editable) = &editable
        && !editable.contains(&format!("materials.{code}"))
    {
        return Err(ApplicationError::NotNamedInNotice(code.into()));
    }
    let form = catalog::application_form(db, row.item_code.as_deref(), row.bundle_code.as_deref())
        .await?
        .ok_or_else(|| ApplicationError::UnknownItem(row.number.clone()))?;
    let material = form
        .materials
        .into_iter()
        .find(|m| m.material.code == code)
        .ok_or_else(|| ApplicationError::UnknownMaterial(code.into()))?
        .material;
    Ok(UploadSlot {
        application_id: row.id,
        material,
        fix_up: editable.is_some(),
    })
}

/// Stores an upload for its slot, replacing an earlier one. The file is checked by content,
/// written to the store, and only then recorded; if recording fails, the file is removed
/// again (unless another upload has the same content), so no request leaves an orphan.
pub async fn store_upload(
    db: &DatabaseConnection,
    store: &MaterialStore,
    slot: &UploadSlot,
    file_name: &str,
    bytes: Bytes,
    now: DateTime<Utc>,
) -> Result<UploadedMaterial, ApplicationError> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let file_type = check_upload(&slot.material, bytes.len() as u64, head).map_err(|error| {
        ApplicationError::Upload {
            message: error.message(&slot.material.name),
            error,
        }
    })?;
    let file_name = clean_file_name(file_name, &slot.material.name, file_type);
    let stored = store.put(bytes).await?;
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

async fn record_upload(
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
    let status = if slot.fix_up {
        CaseStatus::CorrectionRequested.as_str()
    } else {
        CaseStatus::Draft.as_str()
    };
    let touched = application::Entity::update_many()
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(slot.application_id))
        .filter(application::Column::Status.eq(status))
        .exec(&txn)
        .await
        .context("failed to touch a draft")?;
    if touched.rows_affected == 0 {
        return Err(ApplicationError::NotADraft);
    }
    let existing = upload_of(&txn, slot.application_id, &slot.material.code).await?;
    let replaced = existing.as_ref().map(|m| m.sha256.clone());
    // In a fix-up, the file the notice objected to is kept, so staff can compare.
    if slot.fix_up
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
) -> Result<(), ApplicationError> {
    let row = own_draft(db, who.into(), number).await?;
    if row.status != CaseStatus::Draft.as_str() {
        return Err(ApplicationError::FixUpReplaceOnly);
    }
    let upload = upload_of(db, row.id, code)
        .await?
        .ok_or(ApplicationError::NoUpload)?;
    application_material::Entity::delete_by_id(upload.id)
        .exec(db)
        .await
        .context("failed to delete an upload")?;
    forget_if_unused(db, store, &upload.sha256).await;
    Ok(())
}

/// The content of an uploaded material, for its owner.
pub async fn download(
    db: &DatabaseConnection,
    store: &MaterialStore,
    who: impl Into<Who>,
    number: &str,
    code: &str,
) -> Result<(UploadedMaterial, Bytes), ApplicationError> {
    let row = own(db, who.into(), number)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    let upload = upload_of(db, row.id, code)
        .await?
        .ok_or(ApplicationError::NoUpload)?;
    let bytes = store
        .get(&upload.sha256)
        .await?
        .ok_or_else(|| anyhow!("stored material {} is missing", upload.sha256))?;
    Ok((uploaded(upload)?, bytes))
}

/// Submits a draft: everything is checked again with the catalog's current guide; on success
/// the application gets its case number, its channel (`online`, or `window` for an in-hall
/// intake), its receipt time, its handling department and the guide versions, and its history
/// starts. Submitting an application that is already submitted answers with it unchanged, so
/// a double click or a retry makes one case.
pub async fn submit(
    db: &DatabaseConnection,
    who: impl Into<Who>,
    number: &str,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    let who = who.into();
    let row = own(db, who, number)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    if row.status != CaseStatus::Draft.as_str() {
        return view_of(db, row).await;
    }
    let form = catalog::application_form(db, row.item_code.as_deref(), row.bundle_code.as_deref())
        .await?
        .ok_or_else(|| ApplicationError::UnknownItem(row.number.clone()))?;
    let (department, _) =
        catalog::handling(db, row.item_code.as_deref(), row.bundle_code.as_deref())
            .await?
            .ok_or_else(|| ApplicationError::UnknownItem(row.number.clone()))?;
    let content = content_of(&row)?;
    let materials = materials_of(db, row.id).await?;
    let uploaded_codes: BTreeSet<String> = materials.iter().map(|m| m.code.clone()).collect();
    let today = china_date(now);
    let mut problems = check_submission(&form, &content, &uploaded_codes, today);
    let at_window = matches!(who, Who::Staff(_));
    if at_window && content.applicant.kind == Some(ApplicantKind::Myself) {
        problems.insert(
            0,
            FieldProblem {
                field: "applicant.kind".into(),
                code: "window_kind".into(),
                message: "窗口收件请选择“代他人申请（个人）”或“单位申请（法人）”".into(),
            },
        );
    }
    if !problems.is_empty() {
        return Err(ApplicationError::Invalid(problems));
    }
    // The values as received: normalised by the same checks (trimmed, upper case, …).
    let applicant =
        check_applicant(&content.applicant, today).map_err(ApplicationError::Invalid)?;
    let mut applicant_values = applicant.values;
    let (actor, channel) = match who {
        Who::Applicant(account_id) => {
            let me = account::Entity::find_by_id(account_id)
                .one(db)
                .await
                .context("failed to read the account")?
                .ok_or(ApplicationError::NotFound)?;
            if applicant.kind == ApplicantKind::Myself {
                applicant_values.insert("name".into(), me.name.clone());
                applicant_values.insert("id_number".into(), me.id_number.clone());
            }
            (Actor::applicant(me.name), Channel::Online)
        }
        Who::Staff(staff_id) => {
            let member = staff::Entity::find_by_id(staff_id)
                .one(db)
                .await
                .context("failed to read the staff member")?
                .ok_or(ApplicationError::NotFound)?;
            (Actor::staff_named(staff_id, member.name), Channel::Window)
        }
    };
    // At the window, the person applying shows their ID card: a personal applicant's case is
    // then visible to the account with the same mobile and ID number.
    let (agent_id, agent_mobile) = match (at_window, applicant.kind) {
        (true, ApplicantKind::Person) => (
            applicant_values.get("id_number").cloned(),
            applicant_values.get("contact_mobile").cloned(),
        ),
        _ => (None, None),
    };
    let stored_applicant = ApplicantForm {
        kind: Some(applicant.kind),
        values: applicant_values,
    };
    let values = check_form(&form.fields, &content.values, today).map_err(|errors| {
        ApplicationError::Invalid(crate::domain::apply::problems(
            "values",
            &form.fields,
            errors,
        ))
    })?;
    let bring_original: BTreeSet<String> = content
        .bring_original
        .into_iter()
        .filter(|c| !uploaded_codes.contains(c))
        .collect();
    let tracking_code = new_tracking_code()?;
    for _ in 0..3 {
        let case_number = new_number(now)?;
        let t = Transition {
            columns: vec![
                (
                    application::Column::CaseNumber,
                    Some(case_number.as_str().to_string()).into(),
                ),
                (
                    application::Column::Channel,
                    Some(channel.as_str().to_string()).into(),
                ),
                (application::Column::SubmittedAt, Some(now).into()),
                (application::Column::ReceivedAt, Some(now).into()),
                (
                    application::Column::Department,
                    Some(department.clone()).into(),
                ),
                (
                    application::Column::Guides,
                    Some(to_json(&form.guides)?).into(),
                ),
                (
                    application::Column::Applicant,
                    to_json(&stored_applicant)?.into(),
                ),
                (application::Column::FormValues, to_json(&values)?.into()),
                (
                    application::Column::BringOriginal,
                    to_json(&bring_original)?.into(),
                ),
                (application::Column::AgentIdNumber, agent_id.clone().into()),
                (
                    application::Column::AgentMobile,
                    agent_mobile.clone().into(),
                ),
                (
                    application::Column::TrackingCode,
                    Some(tracking_code.clone()).into(),
                ),
            ],
            ..Transition::new(CaseAction::Submit)
        };
        match cases::transition(db, &row, row.version, &actor, t, now).await {
            Ok(_) => return reread(db, row.id).await,
            // A concurrent submit won; its case is the one.
            Err(CaseError::Changed) => return reread(db, row.id).await,
            Err(CaseError::Internal(e)) => {
                if !case_number_taken(db, &case_number).await? {
                    return Err(e.context("failed to submit").into());
                }
                tracing::debug!(error = ?e, "case number taken, retrying");
            }
            Err(other) => return Err(anyhow!("{other}").into()),
        }
    }
    Err(anyhow!("could not allocate a case number").into())
}

/// Resubmits a case after a correction notice (网上补齐补正): everything is checked again as on
/// submission, and every line of the notice must have been changed. What the fix-up changed
/// (and the case before it) is kept in the history, and the case waits for pre-review again,
/// received anew today.
pub async fn resubmit(
    db: &DatabaseConnection,
    who: impl Into<Who>,
    number: &str,
    version: Option<i32>,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    let who = who.into();
    let row = own(db, who, number)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    if row.status != CaseStatus::CorrectionRequested.as_str() {
        return Err(ApplicationError::NotInCorrection);
    }
    let version = version.unwrap_or(row.version);
    let form = catalog::application_form(db, row.item_code.as_deref(), row.bundle_code.as_deref())
        .await?
        .ok_or_else(|| ApplicationError::UnknownItem(row.number.clone()))?;
    let view = view_of(db, row.clone()).await?;
    let uploaded_codes: BTreeSet<String> = view.materials.iter().map(|m| m.code.clone()).collect();
    let today = china_date(now);
    let history = cases::history_of(db, row.id).await?;
    let before = cases::snapshot_at_notice(&history)?;
    let after = CaseSnapshot {
        values: view.values.clone(),
        materials: view
            .materials
            .iter()
            .map(|m| (m.code.clone(), m.sha256.clone()))
            .collect(),
    };
    let changed = changed_targets(&before, &after);
    let mut problems = check_fix_up(&view.open_correction(), &changed);
    problems.extend(check_submission(
        &form,
        &view.content(),
        &uploaded_codes,
        today,
    ));
    if !problems.is_empty() {
        return Err(ApplicationError::Invalid(problems));
    }
    let actor = match who {
        Who::Applicant(_) => Actor::applicant(cases::applicant_name(&row)),
        Who::Staff(id) => Actor::staff_named(id, "窗口人员".into()),
    };
    let names: Vec<String> = changed.iter().cloned().collect();
    let t = Transition {
        reason: Some(format!("补正了 {} 项：{}", names.len(), names.join("、"))),
        detail: Some(EventDetail::FixUp { changed, before }),
        columns: vec![(application::Column::ReceivedAt, Some(now).into())],
        ..Transition::new(CaseAction::Resubmit)
    };
    match cases::transition(db, &row, version, &actor, t, now).await {
        Ok(_) => reread(db, row.id).await,
        Err(CaseError::Changed) => Err(ApplicationError::Changed),
        Err(CaseError::Internal(e)) => Err(e.into()),
        Err(other) => Err(anyhow!("{other}").into()),
    }
}

/// Starts an application at the window for an item or a bundle (in-hall intake): the same
/// form, the same checks, the same material slots; it belongs to the window until submitted.
pub async fn start_intake(
    db: &DatabaseConnection,
    me: &crate::views::review::StaffInfo,
    item: Option<String>,
    bundle: Option<String>,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    if !me.role.acts() {
        return Err(ApplicationError::NotPermitted);
    }
    let (item, bundle) = match (item.as_deref(), bundle.as_deref()) {
        (Some(i), None) if !i.is_empty() => (Some(i.to_string()), None),
        (None, Some(b)) if !b.is_empty() => (None, Some(b.to_string())),
        _ => return Err(ApplicationError::ItemOrBundle),
    };
    let (department, _) = catalog::handling(db, item.as_deref(), bundle.as_deref())
        .await?
        .ok_or_else(|| {
            ApplicationError::UnknownItem(item.clone().or(bundle.clone()).unwrap_or_default())
        })?;
    if department != me.department {
        return Err(ApplicationError::OtherDepartment);
    }
    let (title, _) = form_of(db, item.as_deref(), bundle.as_deref()).await?;
    let window_account = account::Entity::find()
        .filter(account::Column::Mobile.eq(WINDOW_ACCOUNT))
        .one(db)
        .await
        .context("failed to read the window account")?
        .ok_or_else(|| anyhow!("the window account is missing (migration 5)"))?;
    for _ in 0..3 {
        let number = new_number(now)?;
        let row = application::ActiveModel {
            number: Set(number.as_str().into()),
            account_id: Set(window_account.id),
            staff_id: Set(Some(me.id)),
            channel: Set(Some(Channel::Window.as_str().into())),
            item_code: Set(item.clone()),
            bundle_code: Set(bundle.clone()),
            form_values: Set("{}".into()),
            applicant: Set(to_json(&ApplicantForm {
                kind: Some(ApplicantKind::Person),
                values: BTreeMap::new(),
            })?),
            bring_original: Set("[]".into()),
            status: Set(CaseStatus::Draft.as_str().into()),
            version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await;
        if let Ok(row) = row {
            return view(row, title, Vec::new(), Vec::new());
        }
    }
    Err(anyhow!("could not allocate an application number").into())
}

/// The application row of a number, for its applicant (or the window staff member of an
/// intake); `None` if not theirs.
pub(crate) async fn own_row(
    db: &DatabaseConnection,
    account_id: i32,
    number: &str,
) -> anyhow::Result<Option<application::Model>> {
    own(db, Who::Applicant(account_id), number).await
}

/// An application as its applicant sees it, with title, materials and notices.
pub(crate) async fn view_of(
    db: &DatabaseConnection,
    row: application::Model,
) -> Result<ApplicationView, ApplicationError> {
    let (title, _) = form_of(db, row.item_code.as_deref(), row.bundle_code.as_deref()).await?;
    let materials = materials_of(db, row.id).await?;
    let notices = cases::notices_of(db, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    view(row, title, materials, notices)
}

async fn reread(db: &DatabaseConnection, id: i32) -> Result<ApplicationView, ApplicationError> {
    let row = application::Entity::find_by_id(id)
        .one(db)
        .await
        .context("failed to read an application")?
        .ok_or(ApplicationError::NotFound)?;
    view_of(db, row).await
}

async fn case_number_taken(
    db: &DatabaseConnection,
    number: &ApplicationNumber,
) -> anyhow::Result<bool> {
    Ok(application::Entity::find()
        .filter(application::Column::CaseNumber.eq(number.as_str()))
        .count(db)
        .await
        .context("failed to check a case number")?
        > 0)
}

/// Deletes a stored file unless some upload still points at it. Failing to delete leaves a
/// file nobody can reach, which is logged, not shown to the applicant.
async fn forget_if_unused(db: &DatabaseConnection, store: &MaterialStore, sha256: &str) {
    let users = match application_material::Entity::find()
        .filter(application_material::Column::Sha256.eq(sha256))
        .count(db)
        .await
    {
        Ok(n) => material_history::Entity::find()
            .filter(material_history::Column::Sha256.eq(sha256))
            .count(db)
            .await
            .map(|m| n + m),
        Err(e) => Err(e),
    };
    match users {
        Ok(0) => {
            if let Err(e) = store.delete(sha256).await {
                tracing::warn!(sha256, error = ?e, "failed to delete an unused material");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(sha256, error = ?e, "failed to count a material's users"),
    }
}

async fn own(
    db: &DatabaseConnection,
    who: Who,
    number: &str,
) -> anyhow::Result<Option<application::Model>> {
    let Some(number) = ApplicationNumber::parse(number) else {
        return Ok(None);
    };
    application::Entity::find()
        .filter(
            Condition::any()
                .add(application::Column::Number.eq(number.as_str()))
                .add(application::Column::CaseNumber.eq(number.as_str())),
        )
        .filter(whose(db, who).await?)
        .one(db)
        .await
        .context("failed to read an application")
}

/// Which applications are someone's: an applicant's own, and cases taken at the window for
/// them (same mobile and ID number); a staff member's own intakes.
async fn whose(db: &DatabaseConnection, who: Who) -> anyhow::Result<Condition> {
    Ok(match who {
        Who::Applicant(account_id) => {
            let me = account::Entity::find_by_id(account_id)
                .one(db)
                .await
                .context("failed to read the account")?;
            let mut any = Condition::any().add(application::Column::AccountId.eq(account_id));
            if let Some(me) = me
                && !me.id_number.is_empty()
            {
                any = any.add(
                    Condition::all()
                        .add(application::Column::Channel.eq(Channel::Window.as_str()))
                        .add(application::Column::Status.ne(CaseStatus::Draft.as_str()))
                        .add(application::Column::AgentIdNumber.eq(me.id_number))
                        .add(application::Column::AgentMobile.eq(me.mobile)),
                );
            }
            any
        }
        Who::Staff(staff_id) => Condition::all()
            .add(application::Column::StaffId.eq(staff_id))
            .add(application::Column::Channel.eq(Channel::Window.as_str())),
    })
}

/// An application its owner may still change: a draft, or a case waiting for a fix-up (then
/// only what the notice names; see [`editable_targets`]).
async fn own_draft(
    db: &DatabaseConnection,
    who: Who,
    number: &str,
) -> Result<application::Model, ApplicationError> {
    let row = own(db, who, number)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    if row.status != CaseStatus::Draft.as_str()
        && row.status != CaseStatus::CorrectionRequested.as_str()
    {
        return Err(ApplicationError::NotADraft);
    }
    Ok(row)
}

/// In a fix-up, the targets the open correction notice names; `None` for a draft (anything).
async fn editable_targets(
    db: &DatabaseConnection,
    row: &application::Model,
) -> anyhow::Result<Option<BTreeSet<String>>> {
    if row.status == CaseStatus::Draft.as_str() {
        return Ok(None);
    }
    let notices = cases::notices_of(db, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let open = notices
        .iter()
        .rev()
        .find(|n| n.notice.kind == NoticeKind::Correction)
        .map(|n| editable_in_fix_up(&n.notice.lines))
        .unwrap_or_default();
    Ok(Some(open))
}

async fn upload_of(
    db: &impl ConnectionTrait,
    application_id: i32,
    code: &str,
) -> anyhow::Result<Option<application_material::Model>> {
    application_material::Entity::find()
        .filter(application_material::Column::ApplicationId.eq(application_id))
        .filter(application_material::Column::MaterialCode.eq(code))
        .one(db)
        .await
        .context("failed to read an upload")
}

async fn materials_of(
    db: &DatabaseConnection,
    application_id: i32,
) -> anyhow::Result<Vec<UploadedMaterial>> {
    application_material::Entity::find()
        .filter(application_material::Column::ApplicationId.eq(application_id))
        .order_by_asc(application_material::Column::Id)
        .all(db)
        .await
        .context("failed to read uploaded materials")?
        .into_iter()
        .map(uploaded)
        .collect()
}

fn uploaded(m: application_material::Model) -> anyhow::Result<UploadedMaterial> {
    Ok(UploadedMaterial {
        file_type: FileType::parse(&m.file_type)
            .ok_or_else(|| anyhow!("unknown stored file type {}", m.file_type))?,
        code: m.material_code,
        file_name: m.file_name,
        size: u64::try_from(m.size).context("negative file size")?,
        sha256: m.sha256,
        uploaded_at: m.uploaded_at.to_rfc3339(),
    })
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

/// `Invalid` with these problems, unless there are none.
fn invalid_unless_empty(problems: Vec<FieldProblem>) -> Result<(), ApplicationError> {
    match problems.is_empty() {
        true => Ok(()),
        false => Err(ApplicationError::Invalid(problems)),
    }
}

/// A file name fit to show and to offer on download: no path, no control characters, not
/// too long; the material's name when nothing is left.
fn clean_file_name(raw: &str, material_name: &str, file_type: FileType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | ':' | '*' | '?'))
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() {
        format!("{material_name}.{}", file_type.extension())
    } else {
        clean
    }
}

fn content_of(row: &application::Model) -> anyhow::Result<DraftContent> {
    Ok(DraftContent {
        applicant: serde_json::from_str(&row.applicant).context("corrupt applicant")?,
        values: serde_json::from_str(&row.form_values).context("corrupt draft values")?,
        bring_original: serde_json::from_str(&row.bring_original)
            .context("corrupt originals list")?,
    })
}

fn to_json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    serde_json::to_string(value).context("failed to serialise an application")
}

/// A receipt's 查询码 (40 random bits).
fn new_tracking_code() -> anyhow::Result<String> {
    let mut random = [0u8; 5];
    getrandom::fill(&mut random).map_err(|e| anyhow!("no randomness for a code: {e}"))?;
    Ok(crate::domain::track::tracking_code(random))
}

fn new_number(now: DateTime<Utc>) -> anyhow::Result<ApplicationNumber> {
    let mut random = [0u8; 7];
    getrandom::fill(&mut random).map_err(|e| anyhow!("no randomness for a number: {e}"))?;
    Ok(ApplicationNumber::new(china_date(now), random))
}

fn view(
    row: application::Model,
    title: String,
    materials: Vec<UploadedMaterial>,
    notices: Vec<crate::views::review::NoticeView>,
) -> Result<ApplicationView, ApplicationError> {
    let content = content_of(&row)?;
    let status = row.case_status()?;
    let channel = row.case_channel();
    Ok(ApplicationView {
        notices,
        version: row.version,
        applicant: content.applicant,
        values: content.values,
        bring_original: content.bring_original,
        materials,
        guides: match &row.guides {
            Some(g) => serde_json::from_str(g).context("corrupt guide versions")?,
            None => Vec::new(),
        },
        number: row.number,
        status,
        status_label: status.label().into(),
        item: row.item_code,
        bundle: row.bundle_code,
        title,
        case_number: row.case_number,
        tracking_code: row.tracking_code,
        channel,
        submitted_at: row.submitted_at.map(|t| t.to_rfc3339()),
        created_at: row.created_at.to_rfc3339(),
        updated_at: row.updated_at.to_rfc3339(),
    })
}
