//! In-hall intake: a draft started at the window, owned by the window until submitted.

use super::*;

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
    let (item, bundle) = item_or_bundle(item.as_deref(), bundle.as_deref())?;
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
    let owner = application::ActiveModel {
        account_id: Set(window_account.id),
        staff_id: Set(Some(me.id)),
        channel: Set(Some(Channel::Window.as_str().into())),
        ..Default::default()
    };
    // Nothing filled in yet; the applicant is a person until the window says otherwise.
    let content = DraftContent {
        applicant: ApplicantForm {
            kind: Some(ApplicantKind::Person),
            values: BTreeMap::new(),
        },
        ..DraftContent::default()
    };
    let row = insert_draft(db, owner, (item, bundle), &content, now).await?;
    view(row, title, Vec::new(), Vec::new())
}
