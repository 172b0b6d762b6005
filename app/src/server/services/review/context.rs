//! What every action and the workbench need to know about a case.

use super::*;

/// What every action needs to know about a case.
pub(super) struct CaseContext {
    pub(super) view: applications::ApplicationView,
    pub(super) form: ApplicationForm,
    pub(super) uploaded: BTreeSet<String>,
    pub(super) cal: WorkingCalendar,
    pub(super) today: Date,
    pub(super) blacklisted: bool,
    pub(super) department_name: String,
    pub(super) applicant_name: String,
    pub(super) received_on: Date,
}

impl CaseContext {
    pub(super) fn notice(&self, kind: NoticeKind, me: &StaffInfo) -> Notice {
        self.notice_by(kind, &me.name)
    }

    pub(super) fn notice_by(&self, kind: NoticeKind, by: &str) -> Notice {
        Notice {
            number: String::new(),
            kind,
            case_number: self.view.case_number.clone().unwrap_or_default(),
            title: self.view.title.clone(),
            applicant_name: self.applicant_name.clone(),
            department_name: self.department_name.clone(),
            issued_on: self.today,
            issued_by: by.into(),
            received_on: Some(self.received_on),
            accepted_on: None,
            promised_due: None,
            deemed: false,
            lines: vec![],
            commitment_date: None,
            reason: None,
            legal_basis: None,
            procedure: None,
            period_start: None,
            period_end: None,
            extension_days: None,
            approver: None,
            outcomes: vec![],
            remedies: None,
        }
    }
}

pub(super) async fn context(
    db: &DatabaseConnection,
    row: &application::Model,
    now: DateTime<Utc>,
) -> Result<CaseContext, ReviewError> {
    let form = catalog::application_form(db, row.item_code.as_deref(), row.bundle_code.as_deref())
        .await?
        .ok_or_else(|| {
            anyhow!(
                "case {:?} names an item no longer in the catalog",
                row.case_number
            )
        })?;
    let view = applications::view_of(db, row.clone())
        .await
        .map_err(|e| anyhow!("failed to read a case: {e:?}"))?;
    let uploaded = view.materials.iter().map(|m| m.code.clone()).collect();
    let applicant: ApplicantForm =
        serde_json::from_str(&row.applicant).context("corrupt applicant")?;
    let numbers: Vec<String> = ["credit_code", "id_number"]
        .iter()
        .filter_map(|k| applicant.values.get(*k).cloned())
        .collect();
    let blacklisted = !numbers.is_empty()
        && credit_blacklist::Entity::find()
            .filter(credit_blacklist::Column::Number.is_in(numbers))
            .one(db)
            .await
            .context("failed to read the blacklist")?
            .is_some();
    let department_name =
        catalog::by_code::<department::Entity>(db, row.department.as_deref().unwrap_or_default())
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
    Ok(CaseContext {
        uploaded,
        form,
        cal: calendar::load(db).await?,
        today: china_date(now),
        blacklisted,
        department_name,
        applicant_name: cases::applicant_name(row),
        received_on: china_date(row.received_at.or(row.submitted_at).unwrap_or(now)),
        view,
    })
}

pub(super) fn title_of(
    row: &application::Model,
    items: &BTreeMap<String, String>,
    bundles: &BTreeMap<String, String>,
) -> String {
    match (&row.item_code, &row.bundle_code) {
        (Some(code), _) => items.get(code),
        (None, Some(code)) => bundles.get(code),
        _ => None,
    }
    .cloned()
    .unwrap_or_default()
}

pub(super) fn event_view(e: case_event::Model) -> CaseEventView {
    let action = CaseAction::parse(&e.action);
    CaseEventView {
        at: e.at.to_rfc3339(),
        actor_name: e.actor_name,
        channel: e.channel,
        action_label: action.map_or("", |a| a.label()).into(),
        action: e.action,
        from_status: e.from_status,
        to_status: e.to_status,
        reason: e.reason,
    }
}

pub(super) fn names(lines: &[NoticeLine]) -> String {
    lines
        .iter()
        .map(|l| l.name.as_str())
        .collect::<Vec<_>>()
        .join("、")
}
