//! What the workbench reads: the department's queue and a case beside its guide.

use super::*;
use crate::views::review::{CaseCount, QUEUE_PAGE};

/// The department's queue: cases oldest first, with their age in working days.
pub async fn queue(
    db: &DatabaseConnection,
    reference: &ReferenceCache,
    me: &StaffInfo,
    filter: &QueueFilter,
    now: DateTime<Utc>,
) -> Result<Queue, ReviewError> {
    let scope = cases::visible_cases(me)?;
    let status = filter.status.as_deref().unwrap_or("submitted");
    let mut query = application::Entity::find().filter(scope.clone());
    if status != "all" {
        let Some(s) = CaseStatus::parse(status).filter(|s| *s != CaseStatus::Draft) else {
            return Err(ReviewError::Invalid(vec![FieldProblem {
                field: "status".into(),
                code: "invalid_status".into(),
                message:
                    "状态应为 submitted、correction_requested、accepted、suspended、rejected 或 all"
                        .into(),
            }]));
        };
        query = query.filter(application::Column::Status.eq(s.as_str()));
    }
    if let Some(channel) = filter.channel.as_deref().filter(|c| !c.is_empty()) {
        query = query.filter(application::Column::Channel.eq(channel));
    }
    // Newest first is read newest first: of a long history, the latest cases, not the
    // reverse of the oldest.
    let newest_first = filter.sort.as_deref() == Some("-received");
    let order = if newest_first {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let rows = query
        .order_by(application::Column::ReceivedAt, order.clone())
        .order_by(application::Column::Id, order)
        .limit(QUEUE_LIMIT)
        .all(db)
        .await
        .context("failed to read the queue")?;
    let reference = reference.get(db).await?;
    let cal = &reference.calendar;
    let today = china_date(now);
    let clocks = cases::deadlines_of_rows(db, &reference, &rows, today).await?;
    let (items, bundles) = (&reference.item_names, &reference.bundle_names);
    let mut calendar_problem = None;
    let q = filter.q.as_deref().map(str::trim).unwrap_or("");
    let mut entries = Vec::new();
    for row in rows {
        let title = title_of(&row, items, bundles);
        let applicant_name = cases::applicant_name(&row);
        let number = row.case_number.clone().unwrap_or_default();
        let matches = q.is_empty()
            || number.contains(&q.to_uppercase())
            || title.contains(q)
            || applicant_name.contains(q);
        if !matches {
            continue;
        }
        let received = row
            .received_at
            .or(row.submitted_at)
            .unwrap_or(row.updated_at);
        let received_on = china_date(received);
        let age = match cal.working_days_between(received_on, today) {
            Ok(n) => Some(n),
            Err(e) => {
                calendar_problem = Some(e.to_string());
                None
            }
        };
        let status = row.case_status()?;
        entries.push(QueueEntry {
            case_number: number,
            title,
            applicant_name,
            channel: row.case_channel().unwrap_or(Channel::Online),
            status,
            status_label: status.label().into(),
            received_at: received.to_rfc3339(),
            received_on,
            age_working_days: age,
            acceptance_due: match clocks.get(&row.id) {
                Some(Ok(d)) if status == CaseStatus::Submitted => {
                    d.acceptance.as_ref().and_then(|c| c.due)
                }
                _ => None,
            },
        });
    }
    match filter.sort.as_deref().unwrap_or("received") {
        "received" | "-received" => {}
        "title" => entries.sort_by(|a, b| a.title.cmp(&b.title)),
        "applicant" => entries.sort_by(|a, b| a.applicant_name.cmp(&b.applicant_name)),
        other => {
            return Err(ReviewError::Invalid(vec![FieldProblem {
                field: "sort".into(),
                code: "invalid_sort".into(),
                message: format!("不能按“{other}”排序：可选 received、-received、title、applicant"),
            }]));
        }
    }
    let (entries, paged) = one_page(entries, filter.page, QUEUE_PAGE);
    let counts = count_statuses(db, scope.clone()).await?;
    // The hall's figures: every case waiting, whatever the filter.
    let waiting: Vec<DateTime<Utc>> = application::Entity::find()
        .filter(scope)
        .filter(application::Column::Status.eq(CaseStatus::Submitted.as_str()))
        .all(db)
        .await
        .context("failed to count the waiting cases")?
        .into_iter()
        .map(|r| r.received_at.or(r.submitted_at).unwrap_or(r.updated_at))
        .collect();
    let oldest = match waiting.iter().min() {
        Some(t) => match cal.working_days_between(china_date(*t), today) {
            Ok(n) => Some(n),
            Err(e) => {
                calendar_problem = Some(e.to_string());
                None
            }
        },
        None => None,
    };
    Ok(Queue {
        entries,
        matching: paged.matching,
        page: paged.page,
        pages: paged.pages,
        counts,
        waiting: waiting.len() as u32,
        oldest_age_working_days: oldest,
        calendar_problem,
    })
}

/// How many cases in `scope` stand at each status: the open ones exactly, in one query; each
/// ended one (不予受理, 撤回, 办结) up to [`FINISHED_COUNTED`].
async fn count_statuses(
    db: &DatabaseConnection,
    scope: sea_orm::Condition,
) -> Result<Vec<CaseCount>, ReviewError> {
    let statuses: Vec<CaseStatus> = CaseStatus::ALL
        .into_iter()
        .filter(|s| *s != CaseStatus::Draft)
        .collect();
    let names: Vec<&'static str> = statuses.iter().map(|s| s.as_str()).collect();
    let counted = count_by_status(
        db,
        application::Entity::find().filter(scope),
        application::Column::Status,
        &names,
        &CaseStatus::OPEN.map(CaseStatus::as_str),
    )
    .await?;
    Ok(statuses
        .into_iter()
        .zip(counted)
        .map(|(status, (count, more))| CaseCount {
            status,
            count,
            more,
        })
        .collect())
}

/// A case of the staff member's department, with everything the workbench shows.
pub async fn case(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    now: DateTime<Utc>,
) -> Result<StaffCase, ReviewError> {
    let row = cases::department_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let history = cases::history_of(db, row.id).await?;
    let replaced = cases::rows_of::<material_history::Entity>(db, row.id)
        .await?
        .into_iter()
        .map(|m| ReplacedMaterial {
            id: m.id,
            code: m.material_code,
            file_name: m.file_name,
            size: m.size.max(0) as u64,
            file_type: m.file_type,
            uploaded_at: m.uploaded_at.to_rfc3339(),
            replaced_at: m.replaced_at.to_rfc3339(),
        })
        .collect();
    let fix_up = cases::last_fix_up(&history)?;
    let values_before_fix_up = match &fix_up {
        Some(f) => f
            .before
            .values
            .iter()
            .filter(|(k, v)| ctx.view.values.get(*k) != Some(*v))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        None => BTreeMap::new(),
    };
    let (_, accept_on_receipt) =
        catalog::handling(db, row.item_code.as_deref(), row.bundle_code.as_deref())
            .await?
            .unwrap_or_default();
    let mut calendar_problem = None;
    // The guide and the history are already here: no second read for the clocks.
    let limits = ctx.form.limits();
    let steps = cases::history_steps(&history)?;
    let clocks = match deadlines(&ctx.cal, &steps, limits, ctx.today) {
        Ok(d) => Some(d),
        Err(e) => {
            calendar_problem = Some(e.to_string());
            None
        }
    };
    let mut note = |r: Result<Date, YearNotLoaded>| match r {
        Ok(d) => Some(d),
        Err(e) => {
            calendar_problem = Some(e.to_string());
            None
        }
    };
    let acceptance = clocks
        .as_ref()
        .and_then(|d| d.acceptance.as_ref())
        .filter(|c| c.open())
        .and_then(|c| c.due);
    let promised = note(promised_due(
        &ctx.cal,
        ctx.today,
        ctx.form.promised_limit_days,
    ));
    let back_office = back_office_of(db, &row, &history).await?;
    let may_act = me.role.acts() && row.department.as_deref() == Some(me.department.as_str());
    let delivery = super::delivery::delivery_view(&row, &history, super::Reader::Staff)?;
    Ok(StaffCase {
        delivery,
        licences: crate::server::services::licences::of_case(db, row.id).await?,
        applicant_name: cases::applicant_name(&row),
        version: row.version,
        history: history.into_iter().map(event_view).collect(),
        replaced,
        values_before_fix_up,
        changed_in_fix_up: fix_up.map(|f| f.changed),
        blacklisted: ctx.blacklisted,
        accept_on_receipt,
        today: ctx.today,
        acceptance_due: acceptance,
        promised_due_if_accepted_today: promised,
        extension_days_allowed: Some(limits.extension_days()),
        deadlines: clocks,
        calendar_problem,
        may_act,
        may_pause: may_act || (me.role.reviews() && cases::holds_task(db, me, row.id).await?),
        viewer: me.clone(),
        back_office,
        application: ctx.view,
        form: ctx.form,
    })
}
