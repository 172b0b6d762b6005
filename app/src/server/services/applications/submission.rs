//! Submission and resubmission after a fix-up: everything checked again with the same code
//! as the browser's, then the case moves through the lifecycle core.

use super::*;

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
    let row = own_or_refuse(db, who, number).await?;
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
    let delivery = check_choice(&form.delivery_methods, &content.delivery, today)
        .map_err(ApplicationError::Invalid)?;
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
                (
                    application::Column::Delivery,
                    to_json(&delivery.to_form())?.into(),
                ),
            ],
            ..Transition::new(CaseAction::Submit)
        };
        match cases::transition(db, &row, row.version, &actor, t, now).await {
            Ok(_) => return reread(db, row.id).await,
            // A concurrent submit won: its case is the one. Or the draft was edited after it
            // was checked here: nothing is numbered, and the applicant submits what they see.
            Err(CaseError::Changed) => {
                let now = reread(db, row.id).await?;
                return match now.status {
                    CaseStatus::Draft => Err(ApplicationError::Changed),
                    _ => Ok(now),
                };
            }
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
    let row = own_or_refuse(db, who, number).await?;
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
