//! Reading application rows: whose they are, their content, materials and view.

use super::*;

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

pub(super) async fn reread(
    db: &DatabaseConnection,
    id: i32,
) -> Result<ApplicationView, ApplicationError> {
    let row = application::Entity::find_by_id(id)
        .one(db)
        .await
        .context("failed to read an application")?
        .ok_or(ApplicationError::NotFound)?;
    view_of(db, row).await
}

pub(super) async fn case_number_taken(
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
pub(super) async fn forget_if_unused(db: &DatabaseConnection, store: &MaterialStore, sha256: &str) {
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

pub(super) async fn own(
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
        .filter(whose(who))
        .one(db)
        .await
        .context("failed to read an application")
}

/// As [`own`], with no such application (or not theirs) refused as `NotFound`.
pub(super) async fn own_or_refuse(
    db: &DatabaseConnection,
    who: Who,
    number: &str,
) -> Result<application::Model, ApplicationError> {
    own(db, who, number)
        .await?
        .ok_or(ApplicationError::NotFound)
}

/// Which applications are someone's: an applicant's own, and the window cases they linked
/// to their account with the receipt's 查询码 (`claim`); a staff member's own intakes.
pub(super) fn whose(who: Who) -> Condition {
    match who {
        Who::Applicant(account_id) => Condition::any()
            .add(application::Column::AccountId.eq(account_id))
            .add(application::Column::HolderAccountId.eq(account_id)),
        Who::Staff(staff_id) => Condition::all()
            .add(application::Column::StaffId.eq(staff_id))
            .add(application::Column::Channel.eq(Channel::Window.as_str())),
    }
}

/// Writes `columns` to a draft (or a case in fix-up) only if it is still as `row` was read:
/// same status, same version; and moves its version on, so that a submission that read it
/// before this write fails its own conditional update instead of numbering content it never
/// checked. `NotADraft` when it was submitted meanwhile, `Changed` when another edit won.
pub(super) async fn write_draft(
    db: &impl ConnectionTrait,
    row: &application::Model,
    columns: Vec<(application::Column, sea_orm::Value)>,
    now: DateTime<Utc>,
) -> Result<(), ApplicationError> {
    let mut update = application::Entity::update_many()
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .col_expr(application::Column::Version, Expr::value(row.version + 1));
    for (column, value) in columns {
        update = update.col_expr(column, Expr::value(value));
    }
    let written = update
        .filter(application::Column::Id.eq(row.id))
        .filter(application::Column::Status.eq(row.status.as_str()))
        .filter(application::Column::Version.eq(row.version))
        .exec(db)
        .await
        .context("failed to write a draft")?
        .rows_affected;
    if written == 1 {
        return Ok(());
    }
    let now_status = application::Entity::find_by_id(row.id)
        .one(db)
        .await
        .context("failed to re-read a draft")?
        .map(|r| r.status);
    match now_status {
        Some(s) if s == row.status => Err(ApplicationError::Changed),
        _ => Err(ApplicationError::NotADraft),
    }
}

/// An application its owner may still change: a draft, or a case waiting for a fix-up (then
/// only what the notice names; see [`editable_targets`]).
pub(super) async fn own_draft(
    db: &DatabaseConnection,
    who: Who,
    number: &str,
) -> Result<application::Model, ApplicationError> {
    let row = own_or_refuse(db, who, number).await?;
    if row.status != CaseStatus::Draft.as_str()
        && row.status != CaseStatus::CorrectionRequested.as_str()
    {
        return Err(ApplicationError::NotADraft);
    }
    Ok(row)
}

/// In a fix-up, the targets the open correction notice names; `None` for a draft (anything).
pub(super) async fn editable_targets(
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

pub(super) async fn upload_of(
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

pub(super) async fn materials_of(
    db: &DatabaseConnection,
    application_id: i32,
) -> anyhow::Result<Vec<UploadedMaterial>> {
    crate::server::cases::rows_of::<application_material::Entity>(db, application_id)
        .await?
        .into_iter()
        .map(uploaded)
        .collect()
}

pub(super) fn uploaded(m: application_material::Model) -> anyhow::Result<UploadedMaterial> {
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
pub(super) async fn form_of(
    db: &DatabaseConnection,
    item: Option<&str>,
    bundle: Option<&str>,
) -> Result<(String, Vec<String>), ApplicationError> {
    catalog::form_keys(db, item, bundle)
        .await?
        .ok_or_else(|| ApplicationError::UnknownItem(item.or(bundle).unwrap_or_default().into()))
}

/// `Invalid` with these problems, unless there are none.
pub(super) fn invalid_unless_empty(problems: Vec<FieldProblem>) -> Result<(), ApplicationError> {
    match problems.is_empty() {
        true => Ok(()),
        false => Err(ApplicationError::Invalid(problems)),
    }
}

/// A file name fit to show and to offer on download: no path, no control characters, not
/// too long; the material's name when nothing is left.
pub(super) fn clean_file_name(raw: &str, material_name: &str, file_type: FileType) -> String {
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

pub(super) fn content_of(row: &application::Model) -> anyhow::Result<DraftContent> {
    Ok(DraftContent {
        applicant: serde_json::from_str(&row.applicant).context("corrupt applicant")?,
        values: serde_json::from_str(&row.form_values).context("corrupt draft values")?,
        bring_original: serde_json::from_str(&row.bring_original)
            .context("corrupt originals list")?,
        delivery: serde_json::from_str(&row.delivery).context("corrupt delivery choice")?,
    })
}

pub(super) fn to_json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    serde_json::to_string(value).context("failed to serialise an application")
}

/// A receipt's 查询码 (40 random bits).
pub(super) fn new_tracking_code() -> anyhow::Result<String> {
    let mut random = [0u8; 5];
    getrandom::fill(&mut random).map_err(|e| anyhow!("no randomness for a code: {e}"))?;
    Ok(crate::domain::track::tracking_code(random))
}

pub(super) fn new_number(now: DateTime<Utc>) -> anyhow::Result<ApplicationNumber> {
    let mut random = [0u8; 7];
    getrandom::fill(&mut random).map_err(|e| anyhow!("no randomness for a number: {e}"))?;
    Ok(ApplicationNumber::new(china_date(now), random))
}

pub(super) fn view(
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
        delivery: content.delivery,
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

/// Exactly one of an item and a bundle, by code.
pub(super) fn item_or_bundle(
    item: Option<&str>,
    bundle: Option<&str>,
) -> Result<(Option<String>, Option<String>), ApplicationError> {
    match (item, bundle) {
        (Some(i), None) if !i.is_empty() => Ok((Some(i.to_string()), None)),
        (None, Some(b)) if !b.is_empty() => Ok((None, Some(b.to_string()))),
        _ => Err(ApplicationError::ItemOrBundle),
    }
}

/// Inserts a new draft under a fresh application number. 50 random bits make a clash
/// practically impossible, but the unique index has the last word: a clash is retried.
/// Makes a draft of `content` for the item or the bundle under a new number; `owner` gives
/// whose it is (the account, and for in-hall intake the window's staff member and channel).
pub(super) async fn insert_draft(
    db: &DatabaseConnection,
    owner: application::ActiveModel,
    (item, bundle): (Option<String>, Option<String>),
    content: &DraftContent,
    now: DateTime<Utc>,
) -> Result<application::Model, ApplicationError> {
    let draft = application::ActiveModel {
        item_code: Set(item),
        bundle_code: Set(bundle),
        form_values: Set(to_json(&content.values)?),
        applicant: Set(to_json(&content.applicant)?),
        bring_original: Set(to_json(&content.bring_original)?),
        delivery: Set(to_json(&content.delivery)?),
        status: Set(CaseStatus::Draft.as_str().into()),
        version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..owner
    };
    for _ in 0..3 {
        let mut row = draft.clone();
        row.number = Set(new_number(now)?.as_str().into());
        if let Ok(row) = row.insert(db).await {
            return Ok(row);
        }
    }
    Err(anyhow!("could not allocate an application number").into())
}
