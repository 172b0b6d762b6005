//! The back office (docs/rules.md, rules 11–13): the review tasks a case fans out into at
//! acceptance, the department's 待办 queue, signing for a task and completing it with an
//! opinion, each item's decision and the case's one decision notice (统一出件), 即办件 decided
//! at the window, 容缺 materials confirmed, and withdrawal.
//!
//! Tasks change without moving the case (two departments finish at once without either
//! being told the case changed): signing for a task is one conditional update on the task
//! (`… WHERE status = 'open'`), so of two reviewers exactly one wins. Only the first claim
//! of a case moves it (accepted → in review), in the transaction that takes the task. Decisions, withdrawal
//! and confirmations move the case through the lifecycle core like every other action.

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::*;
use crate::domain::case::ItemOutcome;
use crate::domain::decision::{
    self as rules, CheckedDecision, DecisionRequest, HandledItem, OpinionProblem, OpinionRequest,
    Outcome, TaskRefusal, TaskStatus, WithdrawalRequest,
};
use crate::domain::notice::DecisionLine;
use crate::server::cases::{ClaimedBy, Effect};
use crate::server::entities::{item_decision, review_task};
use crate::server::services::licences;
use crate::views::backoffice::{
    BackOffice, ConfirmDeferredAction, DecisionDue, DecisionResult, DeferredMaterial, DeferredSlot,
    DepartmentProgress, ItemDecisionView, OnTheSpotAction, QueueClock, StatusCount, TASK_PAGE,
    TaskFilter, TaskQueue, TaskQueueEntry, TaskView,
};

/// Most tasks a queue reads before sorting and paging: the oldest of the unfinished ones
/// (the most urgent), the newest of the finished ones.
const TASK_QUEUE_LIMIT: u64 = 2000;
/// Most case ids one `IN (…)` list names (SQLite allows 32,766 parameters).
const IDS_PER_QUERY: usize = 5000;

/// How many times a claim is tried when the case moved meanwhile.
const CLAIM_TRIES: usize = 3;

/// The review tasks of a case, for the effect that opens them at acceptance.
pub(super) async fn tasks_to_open(
    db: &DatabaseConnection,
    row: &application::Model,
) -> Result<Effect, ReviewError> {
    let items =
        catalog::handled_items(db, row.item_code.as_deref(), row.bundle_code.as_deref()).await?;
    Ok(Effect::OpenTasks(rules::fan_out(&items)))
}

/// Cases accepted before review tasks existed get theirs (run with the five-day job; safe in
/// several instances: the unique index refuses a second set).
pub async fn open_missing_tasks(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> anyhow::Result<u32> {
    // NOT EXISTS, correlated on the case, asked only of the cases under review. `NOT IN`
    // (every task ever opened) took 8.7 s on PostgreSQL with a million cases, at every start
    // and every ten minutes.
    let rows = application::Entity::find()
        .filter(application::Column::Status.is_in(CaseStatus::UNDER_REVIEW.map(|s| s.as_str())))
        .filter(sea_orm::ExprTrait::not(Expr::exists(
            cases::tasks_of_the_case(),
        )))
        .all(db)
        .await
        .context("failed to read cases without tasks")?;
    let mut opened = 0;
    for row in rows {
        let items =
            catalog::handled_items(db, row.item_code.as_deref(), row.bundle_code.as_deref())
                .await?;
        for seed in rules::fan_out(&items) {
            let inserted = review_task::ActiveModel {
                application_id: Set(row.id),
                item_code: Set(seed.item_code),
                item_name: Set(seed.item_name),
                department: Set(seed.department),
                lead: Set(seed.lead),
                limit_days: Set(seed.limit_days.map(|d| d.min(i32::MAX as u32) as i32)),
                status: Set(TaskStatus::Open.as_str().into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await;
            if let Err(e) = inserted {
                tracing::debug!(case = ?row.case_number, error = ?e, "task already opened");
            }
        }
        opened += 1;
    }
    Ok(opened)
}

/// A task as the pages show it; it started when the case was accepted, in the transaction
/// that created it.
fn task_view(
    t: review_task::Model,
    case_number: &str,
    names: &BTreeMap<String, String>,
) -> TaskView {
    TaskView {
        id: t.id,
        case_number: case_number.into(),
        department_name: names.get(&t.department).cloned().unwrap_or_default(),
        item_code: t.item_code,
        item_name: t.item_name,
        department: t.department,
        lead: t.lead,
        status: TaskStatus::parse(&t.status).unwrap_or(TaskStatus::Open),
        claimed_by: t.claimed_by,
        claimed_by_name: t.claimed_by_name,
        started_at: t.created_at.to_rfc3339(),
        completed_at: t.completed_at.map(|c| c.to_rfc3339()),
        opinion: t.opinion.as_deref().and_then(rules::Opinion::parse),
        reason: t.reason,
        legal_basis: t.legal_basis,
        conditions: t.conditions,
    }
}

/// The 容缺 materials of a case, with whether the applicant has supplied each since it was
/// last asked for.
async fn deferred_of(
    db: &DatabaseConnection,
    row: &application::Model,
    history: &[case_event::Model],
) -> anyhow::Result<Vec<DeferredMaterial>> {
    let deferred = cases::deferred_materials(history)?;
    if deferred.is_empty() {
        return Ok(vec![]);
    }
    let uploads: BTreeMap<String, DateTime<Utc>> =
        cases::rows_of::<application_material::Entity>(db, row.id)
            .await?
            .into_iter()
            .map(|m| (m.material_code, m.uploaded_at))
            .collect();
    Ok(deferred
        .into_iter()
        .map(|d| DeferredMaterial {
            supplied: uploads.get(&d.code).is_some_and(|at| *at > d.asked_at),
            code: d.code,
            name: d.name,
            commitment_date: d.commitment_date,
            confirmed: d.confirmed,
            returned: d.returned,
        })
        .collect())
}

/// The 容缺 materials of a case not yet confirmed, with the guide's requirement of each: what
/// the applicant's page offers to upload.
pub async fn deferred_slots(
    db: &DatabaseConnection,
    row: &application::Model,
) -> anyhow::Result<Vec<DeferredSlot>> {
    let history = cases::history_of(db, row.id).await?;
    let open: Vec<DeferredMaterial> = deferred_of(db, row, &history)
        .await?
        .into_iter()
        .filter(|d| !d.confirmed)
        .collect();
    if open.is_empty() {
        return Ok(vec![]);
    }
    let form = catalog::application_form(db, row.item_code.as_deref(), row.bundle_code.as_deref())
        .await?
        .ok_or_else(|| anyhow!("case {:?} names an item no longer listed", row.case_number))?;
    Ok(open
        .into_iter()
        .filter_map(|state| {
            let material = form
                .materials
                .iter()
                .find(|m| m.material.code == state.code)?
                .material
                .clone();
            Some(DeferredSlot { material, state })
        })
        .collect())
}

/// The back office of a case: items, tasks, decisions and 容缺 materials.
pub async fn back_office_of(
    db: &DatabaseConnection,
    row: &application::Model,
    history: &[case_event::Model],
) -> Result<BackOffice, ReviewError> {
    let names = catalog::department_names(db).await?;
    let number = row.case_number.clone().unwrap_or_default();
    let tasks = cases::rows_of::<review_task::Entity>(db, row.id)
        .await?
        .into_iter()
        .map(|t| task_view(t, &number, &names))
        .collect();
    let decisions = cases::rows_of::<item_decision::Entity>(db, row.id)
        .await?
        .into_iter()
        .map(|d| ItemDecisionView {
            department_name: names.get(&d.department).cloned().unwrap_or_default(),
            outcome: Outcome::parse(&d.outcome).unwrap_or(Outcome::Refuse),
            item_code: d.item_code,
            item_name: d.item_name,
            reason: d.reason,
            legal_basis: d.legal_basis,
            conditions: d.conditions,
            decided_by: d.decided_by,
            decided_at: d.decided_at.to_rfc3339(),
        })
        .collect();
    let items =
        catalog::handled_items(db, row.item_code.as_deref(), row.bundle_code.as_deref()).await?;
    Ok(BackOffice {
        items,
        tasks,
        decisions,
        deferred: deferred_of(db, row, history).await?,
    })
}

/// What the applicant sees of the back office: each department's progress, no names.
pub fn progress_of(
    tasks: &[review_task::Model],
    department_names: &BTreeMap<String, String>,
) -> Vec<DepartmentProgress> {
    tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Closed.as_str())
        .map(|t| DepartmentProgress {
            department_name: department_names
                .get(&t.department)
                .cloned()
                .unwrap_or_default(),
            finished: t.status == TaskStatus::Done.as_str(),
            item_name: t.item_name.clone(),
        })
        .collect()
}

/// How many tasks of a case are done: with the case's version, what the live tracking page
/// follows (a department finishing does not move the case itself).
pub async fn done_tasks(db: &impl ConnectionTrait, application_id: i32) -> anyhow::Result<u64> {
    use sea_orm::PaginatorTrait;
    review_task::Entity::find()
        .filter(review_task::Column::ApplicationId.eq(application_id))
        .filter(review_task::Column::Status.eq(TaskStatus::Done.as_str()))
        .count(db)
        .await
        .context("failed to count done tasks")
}

/// The department's tasks, due soonest first, with the counts per status.
pub async fn task_queue(
    db: &DatabaseConnection,
    reference: &ReferenceCache,
    me: &StaffInfo,
    filter: &TaskFilter,
    now: DateTime<Utc>,
) -> Result<TaskQueue, ReviewError> {
    if !me.role.sees_cases() {
        return Err(CaseError::NotAReviewer.into());
    }
    let statuses: Vec<&str> = match filter.status.as_deref().unwrap_or("todo") {
        "todo" => TaskStatus::UNFINISHED.map(TaskStatus::as_str).to_vec(),
        "all" => TaskStatus::ALL.iter().map(|s| s.as_str()).collect(),
        other => match TaskStatus::parse(other) {
            Some(s) => vec![s.as_str()],
            None => {
                return Err(ReviewError::Invalid(vec![FieldProblem {
                    field: "status".into(),
                    code: "unknown_status".into(),
                    message: format!("没有“{other}”这种任务状态"),
                }]));
            }
        },
    };
    let mine = review_task::Column::Department.eq(me.department.as_str());
    // The unfinished counted exactly in one query; done and closed up to a bound.
    let counted = count_by_status(
        db,
        review_task::Entity::find().filter(mine.clone()),
        review_task::Column::Status,
        &TaskStatus::ALL.map(TaskStatus::as_str),
        &TaskStatus::UNFINISHED.map(TaskStatus::as_str),
    )
    .await?;
    let counts = TaskStatus::ALL
        .into_iter()
        .zip(counted)
        .map(|(status, (count, more))| StatusCount {
            status,
            count,
            more,
        })
        .collect();
    let unfinished = statuses
        .iter()
        .all(|s| TaskStatus::UNFINISHED.iter().any(|u| u.as_str() == *s));
    let tasks = review_task::Entity::find()
        .filter(mine)
        .filter(review_task::Column::Status.is_in(statuses))
        .order_by(
            review_task::Column::Id,
            if unfinished {
                sea_orm::Order::Asc
            } else {
                sea_orm::Order::Desc
            },
        )
        .limit(TASK_QUEUE_LIMIT)
        .all(db)
        .await
        .context("failed to read tasks")?;
    let ids: BTreeSet<i32> = tasks.iter().map(|t| t.application_id).collect();
    let rows = application::Entity::find()
        .filter(application::Column::Id.is_in(ids))
        .all(db)
        .await
        .context("failed to read cases")?;
    let reference = reference.get(db).await?;
    let today = china_date(now);
    // The cases' clocks, and each task's by its department's 审查时限 or the case's limit.
    let (clocks, own) = cases::deadlines_with_tasks(db, &reference, &rows, &tasks, today).await?;
    let (items, bundles) = (&reference.item_names, &reference.bundle_names);
    let names = &reference.department_names;
    let rows: BTreeMap<i32, application::Model> = rows.into_iter().map(|r| (r.id, r)).collect();
    let mut calendar_problem = None;
    let mut entries = Vec::with_capacity(tasks.len());
    for t in tasks {
        let Some(row) = rows.get(&t.application_id) else {
            continue;
        };
        let case_decision = match clocks.get(&row.id) {
            Some(Ok(d)) => d.decision.as_ref(),
            Some(Err(e)) => {
                calendar_problem = Some(e.to_string());
                None
            }
            None => None,
        };
        let clock = QueueClock::of(own.get(&t.id).or(case_decision));
        let number = row.case_number.clone().unwrap_or_default();
        entries.push(TaskQueueEntry {
            title: title_of(row, items, bundles),
            applicant_name: cases::applicant_name(row),
            channel: row.case_channel().unwrap_or(Channel::Online),
            case_status: row.case_status()?,
            clock,
            task: task_view(t, &number, names),
        });
    }
    sort_lines(&mut entries, filter.sort.as_deref())?;
    let (entries, paged) = one_page(entries, filter.page, TASK_PAGE);
    let mut decisions_due = if me.role.decides() {
        decisions_due(db, me, &reference, today).await?
    } else {
        Vec::new()
    };
    sort_lines(&mut decisions_due, filter.sort.as_deref())?;
    let (decisions_due, decisions_paging) =
        one_page(decisions_due, filter.decisions_page, TASK_PAGE);
    Ok(TaskQueue {
        entries,
        matching: paged.matching,
        page: paged.page,
        pages: paged.pages,
        counts,
        decisions_due,
        decisions_paging,
        calendar_problem,
    })
}

/// The department's items waiting for its chief representative (rule 12): the item's own
/// department's task done, every other task of the item done too, no decision yet, the case
/// under review. Soonest due first.
async fn decisions_due(
    db: &DatabaseConnection,
    me: &StaffInfo,
    reference: &crate::server::services::reference::Reference,
    today: crate::domain::date::Date,
) -> Result<Vec<DecisionDue>, ReviewError> {
    // The cases under review first (the work in hand), then all their tasks by case id,
    // filtered here. Asked in SQL for the department's done lead tasks, PostgreSQL (with
    // `IN (subquery)`) and SQLite (with the id list) both took the department's index and
    // read every task it ever finished: 7 s at p99, and 2 s, with a million cases.
    let under_review: Vec<i32> = application::Entity::find()
        .select_only()
        .column(application::Column::Id)
        .filter(application::Column::Status.is_in(CaseStatus::UNDER_REVIEW.map(|s| s.as_str())))
        .into_tuple()
        .all(db)
        .await
        .context("failed to read the cases under review")?;
    let mut of_item: BTreeMap<(i32, String), Vec<review_task::Model>> = BTreeMap::new();
    for chunk in under_review.chunks(IDS_PER_QUERY) {
        for t in review_task::Entity::find()
            .filter(review_task::Column::ApplicationId.is_in(chunk.iter().copied()))
            .order_by_asc(review_task::Column::Id)
            .all(db)
            .await
            .context("failed to read the tasks under review")?
        {
            of_item
                .entry((t.application_id, t.item_code.clone()))
                .or_default()
                .push(t);
        }
    }
    let mut leads: Vec<review_task::Model> = of_item
        .values()
        .flatten()
        .filter(|t| {
            t.department == me.department && t.lead && t.status == TaskStatus::Done.as_str()
        })
        .cloned()
        .collect();
    leads.sort_by_key(|t| t.id);
    leads.truncate(TASK_QUEUE_LIMIT as usize);
    let ids: BTreeSet<i32> = leads.iter().map(|t| t.application_id).collect();
    let decided: BTreeSet<(i32, String)> = item_decision::Entity::find()
        .filter(item_decision::Column::ApplicationId.is_in(ids.iter().copied()))
        .all(db)
        .await
        .context("failed to read decisions")?
        .into_iter()
        .map(|d| (d.application_id, d.item_code))
        .collect();
    let rows = application::Entity::find()
        .filter(application::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .context("failed to read cases")?;
    let clocks = cases::deadlines_of_rows(db, reference, &rows, today).await?;
    let rows: BTreeMap<i32, application::Model> = rows.into_iter().map(|r| (r.id, r)).collect();
    let mut out = Vec::new();
    for lead in leads {
        let key = (lead.application_id, lead.item_code.clone());
        let Some(row) = rows.get(&lead.application_id) else {
            continue;
        };
        let tasks = of_item.get(&key).map_or(&[][..], Vec::as_slice);
        let all_done = tasks.iter().all(|t| t.status == TaskStatus::Done.as_str());
        if !all_done || decided.contains(&key) {
            continue;
        }
        let clock = QueueClock::of(match clocks.get(&row.id) {
            Some(Ok(d)) => d.decision.as_ref(),
            _ => None,
        });
        out.push(DecisionDue {
            case_number: row.case_number.clone().unwrap_or_default(),
            item_code: lead.item_code,
            item_name: lead.item_name,
            applicant_name: cases::applicant_name(row),
            channel: row.case_channel().unwrap_or(Channel::Online),
            case_status: row.case_status()?,
            all_agree: tasks
                .iter()
                .all(|t| t.opinion.as_deref() == Some(rules::Opinion::Agree.as_str())),
            clock,
        });
    }
    Ok(out)
}

/// A line of the 待办 or the 待决定 list, as the lists sort it.
trait QueueLine {
    fn clock(&self) -> &QueueClock;
    fn item(&self) -> &str;
    fn applicant(&self) -> &str;
}

impl QueueLine for TaskQueueEntry {
    fn clock(&self) -> &QueueClock {
        &self.clock
    }
    fn item(&self) -> &str {
        &self.task.item_name
    }
    fn applicant(&self) -> &str {
        &self.applicant_name
    }
}

impl QueueLine for DecisionDue {
    fn clock(&self) -> &QueueClock {
        &self.clock
    }
    fn item(&self) -> &str {
        &self.item_name
    }
    fn applicant(&self) -> &str {
        &self.applicant_name
    }
}

/// Sorts a list as asked: soonest due first (paused and unknown clocks after those that
/// run), then by the key asked for; the sorts are stable, so lines that tie stay soonest due
/// first.
fn sort_lines<T: QueueLine>(lines: &mut [T], sort: Option<&str>) -> Result<(), ReviewError> {
    lines.sort_by_key(|l| l.clock().due_order());
    match sort.unwrap_or("due") {
        "due" => {}
        "-due" => lines.reverse(),
        "accepted" => {
            lines.sort_by_key(|l| (l.clock().accepted_on.is_none(), l.clock().accepted_on))
        }
        "-accepted" => lines.sort_by_key(|l| std::cmp::Reverse(l.clock().accepted_on)),
        "title" => lines.sort_by(|a, b| a.item().cmp(b.item())),
        "applicant" => lines.sort_by(|a, b| a.applicant().cmp(b.applicant())),
        other => {
            return Err(ReviewError::Invalid(vec![FieldProblem {
                field: "sort".into(),
                code: "invalid_sort".into(),
                message: format!(
                    "不能按“{other}”排序：可选 due、-due、accepted、-accepted、title、applicant"
                ),
            }]));
        }
    }
    Ok(())
}

/// A task of `me`'s department, with its case.
async fn department_task(
    db: &DatabaseConnection,
    me: &StaffInfo,
    task_id: i32,
) -> Result<(review_task::Model, application::Model), ReviewError> {
    if !me.role.sees_cases() {
        return Err(CaseError::NotAReviewer.into());
    }
    let task = review_task::Entity::find_by_id(task_id)
        .filter(review_task::Column::Department.eq(me.department.as_str()))
        .one(db)
        .await
        .context("failed to read a task")?
        .ok_or(ReviewError::TaskNotFound)?;
    if !me.role.reviews() {
        return Err(CaseError::NotPermitted("只有审批人员和首席代表可以签收、办理审查任务").into());
    }
    let row = application::Entity::find_by_id(task.application_id)
        .one(db)
        .await
        .context("failed to read a case")?
        .ok_or(ReviewError::TaskNotFound)?;
    Ok((task, row))
}

fn state_of(t: &review_task::Model) -> rules::TaskState {
    rules::TaskState {
        id: t.id,
        item_code: t.item_code.clone(),
        department: t.department.clone(),
        status: TaskStatus::parse(&t.status).unwrap_or(TaskStatus::Open),
        claimed_by: t.claimed_by,
        opinion: t.opinion.as_deref().and_then(rules::Opinion::parse),
    }
}

async fn view_of_task(
    db: &DatabaseConnection,
    task_id: i32,
    row: &application::Model,
) -> Result<TaskView, ReviewError> {
    let t = review_task::Entity::find_by_id(task_id)
        .one(db)
        .await
        .context("failed to read a task")?
        .ok_or(ReviewError::TaskNotFound)?;
    let names = catalog::department_names(db).await?;
    Ok(task_view(
        t,
        row.case_number.as_deref().unwrap_or_default(),
        &names,
    ))
}

/// 签收: `me` takes the task; of two reviewers at once, one wins and the other is told who
/// has it.
pub async fn claim_task(
    db: &DatabaseConnection,
    me: &StaffInfo,
    task_id: i32,
    now: DateTime<Utc>,
) -> Result<TaskView, ReviewError> {
    // A claim races other claims of the task (one wins) and, on a case not yet in review,
    // the first claim of another department (whose move of the case wins): the loser of the
    // second race reads the case again and claims the task as a plain claim.
    for _ in 0..CLAIM_TRIES {
        let (task, row) = department_task(db, me, task_id).await?;
        let status = row.case_status()?;
        rules::check_claim(&state_of(&task), status, me.id)?;
        if task.status != TaskStatus::Open.as_str() {
            // Claimed by `me` already: a second click changes nothing.
            return view_of_task(db, task.id, &row).await;
        }
        let claim = ClaimedBy {
            task_id: task.id,
            staff_id: me.id,
            name: format!("{}（{}）", me.name, me.role_label),
        };
        let taken = if status == CaseStatus::Accepted {
            // The first claim starts the review: the case moves, with its history row, in
            // the transaction that takes the task.
            let department = catalog::department_names(db)
                .await?
                .get(&me.department)
                .cloned()
                .unwrap_or_else(|| me.department.clone());
            let t = Transition::new(CaseAction::StartReview)
                .because(format!("{department}签收审查任务（{}）", task.item_name))
                .with_effect(Effect::Claim(claim));
            match cases::transition(db, &row, row.version, &Actor::staff(me), t, now).await {
                Ok(_) => true,
                Err(CaseError::Changed) => false,
                Err(e) => return Err(e.into()),
            }
        } else {
            cases::claim_task(db, &claim, now).await?
        };
        if taken {
            return view_of_task(db, task.id, &row).await;
        }
    }
    // Still losing after every try: the case keeps changing under us.
    Err(CaseError::Changed.into())
}

/// Completes `me`'s task with an opinion (同意, or 不同意 with reason and basis).
pub async fn complete_task(
    db: &DatabaseConnection,
    me: &StaffInfo,
    task_id: i32,
    request: &OpinionRequest,
    now: DateTime<Utc>,
) -> Result<TaskView, ReviewError> {
    let (task, row) = department_task(db, me, task_id).await?;
    let checked = rules::check_opinion(&state_of(&task), row.case_status()?, me.id, request)?;
    let done = review_task::Entity::update_many()
        .col_expr(
            review_task::Column::Status,
            Expr::value(TaskStatus::Done.as_str()),
        )
        .col_expr(
            review_task::Column::Opinion,
            Expr::value(checked.opinion.as_str()),
        )
        .col_expr(review_task::Column::Reason, Expr::value(checked.reason))
        .col_expr(
            review_task::Column::LegalBasis,
            Expr::value(checked.legal_basis),
        )
        .col_expr(
            review_task::Column::Conditions,
            Expr::value(checked.conditions),
        )
        .col_expr(review_task::Column::CompletedAt, Expr::value(now))
        .filter(review_task::Column::Id.eq(task.id))
        .filter(review_task::Column::Status.eq(TaskStatus::Claimed.as_str()))
        .filter(review_task::Column::ClaimedBy.eq(me.id))
        .exec(db)
        .await
        .context("failed to complete a task")?
        .rows_affected;
    if done == 0 {
        // Withdrawn (closed) or completed meanwhile.
        let (now_task, now_row) = department_task(db, me, task_id).await?;
        rules::check_opinion(&state_of(&now_task), now_row.case_status()?, me.id, request)?;
        return Err(CaseError::Changed.into());
    }
    view_of_task(db, task.id, &row).await
}

/// 审查决定 on one item, by the chief representative of the item's department. The last item
/// decided decides the case and issues its one notice.
pub async fn decide(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    version: i32,
    request: &DecisionRequest,
    now: DateTime<Utc>,
) -> Result<DecisionResult, ReviewError> {
    let row = cases::department_case(db, me, number).await?;
    if !me.role.decides() {
        return Err(CaseError::NotPermitted("只有首席代表可以作出审查决定").into());
    }
    let history = cases::history_of(db, row.id).await?;
    let office = back_office_of(db, &row, &history).await?;
    let item = office
        .items
        .iter()
        .find(|i| i.item_code == request.item)
        .cloned();
    if let Some(item) = &item
        && item.department != me.department
    {
        return Err(CaseError::NotPermitted("只有该事项实施部门的首席代表可以作出审查决定").into());
    }
    let checked = rules::check_decision(&office.facts(row.case_status()?), request)
        .map_err(ReviewError::Invalid)?;
    let item = item.ok_or_else(|| anyhow!("a checked decision names an unknown item"))?;
    let ctx = context(db, &row, now).await?;
    let undecided = rules::undecided_after(
        office.items.iter().map(|i| i.item_code.as_str()),
        &office
            .decisions
            .iter()
            .map(|d| d.item_code.clone())
            .collect::<Vec<_>>(),
        &item.item_code,
    );
    let decided_row = decision_row(&item, &checked, me);
    let reason = format!(
        "{}：{}{}",
        item.item_name,
        checked.outcome.label(),
        checked
            .reason
            .as_deref()
            .map(|r| format!("（{r}）"))
            .unwrap_or_default()
    );
    let actor = Actor::staff(me);
    if !undecided.is_empty() {
        let t = Transition::new(CaseAction::DecideItem)
            .because(reason)
            .with_detail(EventDetail::Decision {
                items: vec![ItemOutcome {
                    item_code: item.item_code.clone(),
                    outcome: checked.outcome,
                }],
            })
            .with_effect(Effect::RecordDecision(Box::new(decided_row.clone())));
        cases::transition(db, &row, version, &actor, t, now).await?;
        return Ok(DecisionResult {
            case_decided: false,
            notice: None,
            undecided,
        });
    }
    // The last item: one notice listing every item's result.
    let names = catalog::department_names(db).await?;
    let mut lines: Vec<DecisionLine> = office
        .decisions
        .iter()
        .map(|d| {
            let result_name = office
                .items
                .iter()
                .find(|i| i.item_code == d.item_code)
                .map(|i| i.result_name.clone())
                .unwrap_or_default();
            DecisionLine {
                item_code: d.item_code.clone(),
                item_name: d.item_name.clone(),
                department_name: d.department_name.clone(),
                outcome: d.outcome,
                reason: d.reason.clone(),
                legal_basis: d.legal_basis.clone(),
                conditions: d.conditions.clone(),
                result_name,
            }
        })
        .collect();
    lines.push(decision_line(&item, &checked, &names));
    let notice = decision_notice(&ctx, me, row.bundle_code.is_some(), lines);
    let outcomes = office
        .decisions
        .iter()
        .map(|d| ItemOutcome {
            item_code: d.item_code.clone(),
            outcome: d.outcome,
        })
        .chain([ItemOutcome {
            item_code: item.item_code.clone(),
            outcome: checked.outcome,
        }])
        .collect();
    let t = Transition::new(CaseAction::Decide)
        .because(reason)
        .with_detail(EventDetail::Decision { items: outcomes })
        .with_effect(Effect::RecordDecision(Box::new(decided_row.clone())))
        .issuing(notice);
    let granted: Vec<licences::Granted> = office
        .decisions
        .iter()
        .map(|d| (d.item_code.clone(), d.outcome, d.conditions.clone()))
        .chain([(
            item.item_code.clone(),
            checked.outcome,
            checked.conditions.clone(),
        )])
        .filter(|(_, outcome, _)| *outcome == Outcome::Grant)
        .map(|(item_code, _, conditions)| licences::Granted {
            item_code,
            conditions,
        })
        .collect();
    decide_case(db, &row, version, &actor, t, &granted, now).await
}

/// Decides the case by `t` (which issues the decision notice), with what a decision brings
/// in its transaction: the licences of the granted items (rule 15) and, for a result chosen
/// for 网上下载, its delivery (rule 14).
async fn decide_case(
    db: &DatabaseConnection,
    row: &application::Model,
    version: i32,
    actor: &Actor,
    mut t: Transition,
    granted: &[licences::Granted],
    now: DateTime<Utc>,
) -> Result<DecisionResult, ReviewError> {
    let issued = licences::issue(db, row, granted, now).await?;
    if !issued.is_empty() {
        t = t.with_effect(Effect::IssueLicences(issued));
    }
    if let Some(online) = super::delivery::online_delivery(row)? {
        t = t.followed_by(online);
    }
    let issued = cases::transition(db, row, version, actor, t, now)
        .await?
        .pop()
        .ok_or_else(|| anyhow!("a decision without its notice"))?;
    Ok(DecisionResult {
        case_decided: true,
        notice: Some(cases::notice_view(issued)?),
        undecided: vec![],
    })
}

/// An item's decision as recorded, by `me`.
fn decision_row(
    item: &HandledItem,
    checked: &CheckedDecision,
    me: &StaffInfo,
) -> item_decision::ActiveModel {
    item_decision::ActiveModel {
        item_code: Set(item.item_code.clone()),
        item_name: Set(item.item_name.clone()),
        department: Set(item.department.clone()),
        outcome: Set(checked.outcome.as_str().into()),
        reason: Set(checked.reason.clone()),
        legal_basis: Set(checked.legal_basis.clone()),
        conditions: Set(checked.conditions.clone()),
        staff_id: Set(me.id),
        decided_by: Set(format!("{}（{}）", me.name, me.role_label)),
        ..Default::default()
    }
}

fn decision_line(
    item: &HandledItem,
    checked: &CheckedDecision,
    names: &BTreeMap<String, String>,
) -> DecisionLine {
    DecisionLine {
        item_code: item.item_code.clone(),
        item_name: item.item_name.clone(),
        department_name: names.get(&item.department).cloned().unwrap_or_default(),
        outcome: checked.outcome,
        reason: checked.reason.clone(),
        legal_basis: checked.legal_basis.clone(),
        conditions: checked.conditions.clone(),
        result_name: item.result_name.clone(),
    }
}

/// The decision notice: 准予 / 不予行政许可决定书 for one item, one 决定书 listing every item
/// for a bundle; a refusal anywhere prints the remedies and their last days.
fn decision_notice(
    ctx: &CaseContext,
    me: &StaffInfo,
    bundle: bool,
    lines: Vec<DecisionLine>,
) -> Notice {
    let refused = lines.iter().any(|l| l.outcome == Outcome::Refuse);
    let kind = match (bundle, refused) {
        (true, _) => NoticeKind::BundleDecision,
        (false, true) => NoticeKind::Refusal,
        (false, false) => NoticeKind::Grant,
    };
    let (reason, legal_basis) = match (bundle, lines.first()) {
        (false, Some(l)) => (l.reason.clone(), l.legal_basis.clone()),
        _ => (None, None),
    };
    Notice {
        remedies: refused.then(|| rules::remedies(ctx.today)),
        reason,
        legal_basis,
        outcomes: lines,
        ..ctx.notice(kind, me)
    }
}

/// 即办件 (rule 12): the window accepts and decides in one step; the acceptance notice and the
/// decision notice are both issued. Every item must be a 即办件 and every required material
/// there.
pub async fn decide_on_the_spot(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    action: &OnTheSpotAction,
    now: DateTime<Utc>,
) -> Result<DecisionResult, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let ctx = context(db, &row, now).await?;
    let items =
        catalog::handled_items(db, row.item_code.as_deref(), row.bundle_code.as_deref()).await?;
    // The guide's 即办件 and the decision's words first, then the materials, all listed at once.
    let mut problems = Vec::new();
    let checked = match rules::check_on_the_spot(
        &items,
        action.outcome,
        &action.reason,
        &action.legal_basis,
        &action.conditions,
    ) {
        Ok(c) => Some(c),
        Err(p) => {
            problems.extend(p);
            None
        }
    };
    if let Err(p) = check_accept(&ctx.form, &ctx.uploaded, &ctx.view.bring_original) {
        problems.extend(p);
    }
    let checked = match checked {
        Some(c) if problems.is_empty() => c,
        _ => return Err(ReviewError::Invalid(problems)),
    };
    let names = catalog::department_names(db).await?;
    let acceptance = Notice {
        accepted_on: Some(ctx.today),
        promised_due: Some(ctx.today),
        ..ctx.notice(NoticeKind::Acceptance, me)
    };
    let lines: Vec<DecisionLine> = items
        .iter()
        .map(|i| decision_line(i, &checked, &names))
        .collect();
    let decision = decision_notice(&ctx, me, row.bundle_code.is_some(), lines);
    let mut t = Transition::new(CaseAction::DecideOnTheSpot)
        .because(format!("即办件当场办结：{}", checked.outcome.label()))
        .with_detail(EventDetail::Decision {
            items: items
                .iter()
                .map(|i| ItemOutcome {
                    item_code: i.item_code.clone(),
                    outcome: checked.outcome,
                })
                .collect(),
        })
        .issuing(acceptance)
        .issuing(decision);
    let granted: Vec<licences::Granted> = items
        .iter()
        .filter(|_| checked.outcome == Outcome::Grant)
        .map(|i| licences::Granted {
            item_code: i.item_code.clone(),
            conditions: checked.conditions.clone(),
        })
        .collect();
    for i in &items {
        t = t.with_effect(Effect::RecordDecision(Box::new(decision_row(
            i, &checked, me,
        ))));
    }
    let actor = Actor::staff(me);
    decide_case(db, &row, action.version, &actor, t, &granted, now).await
}

/// The window confirms (核验) a 容缺 material; once every one is confirmed the case may be
/// decided (rule 7).
pub async fn confirm_deferred(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    action: &ConfirmDeferredAction,
    now: DateTime<Utc>,
) -> Result<BackOffice, ReviewError> {
    let row = cases::acting_case(db, me, number).await?;
    let history = cases::history_of(db, row.id).await?;
    let deferred = cases::deferred_materials(&history)?;
    let found = deferred.iter().find(|d| d.code == action.material);
    let returning = action.return_reason.as_deref();
    let reason =
        rules::check_deferred_action(found.map(|d| (d.name.as_str(), d.confirmed)), returning)
            .map_err(ReviewError::Invalid)?;
    let material = found.ok_or_else(|| anyhow!("a checked 容缺 action without its material"))?;
    let t = match reason {
        None => Transition::new(CaseAction::ConfirmDeferred)
            .because(format!("容缺材料“{}”已补交，经窗口核验通过", material.name))
            .with_detail(EventDetail::DeferredConfirmed {
                material: material.code.clone(),
            }),
        Some(reason) => Transition::new(CaseAction::ReturnDeferred)
            .because(format!(
                "容缺材料“{}”退回，请重新补交：{reason}",
                material.name
            ))
            .with_detail(EventDetail::DeferredReturned {
                material: material.code.clone(),
                reason,
            }),
    };
    cases::transition(db, &row, action.version, &Actor::staff(me), t, now).await?;
    let history = cases::history_of(db, row.id).await?;
    back_office_of(db, &row, &history).await
}

/// 撤回申请 (rule 13): before a decision, with a reason; open tasks close, every clock ends, and
/// a numbered confirmation is issued. By the applicant online, or recorded by the window for
/// one made in the hall.
pub async fn withdraw(
    db: &DatabaseConnection,
    by: Withdrawer<'_>,
    number: &str,
    request: &WithdrawalRequest,
    now: DateTime<Utc>,
) -> Result<NoticeView, ReviewError> {
    let (row, actor) = match by {
        Withdrawer::Applicant(account_id) => {
            let row = applications::own_row(db, account_id, number)
                .await?
                .filter(|r| r.case_number.is_some())
                .ok_or(CaseError::NotFound)?;
            let actor = Actor::applicant(cases::applicant_name(&row));
            (row, actor)
        }
        Withdrawer::Staff(me) => (cases::acting_case(db, me, number).await?, Actor::staff(me)),
    };
    let reason = rules::check_withdrawal(row.case_status()?, &request.reason)
        .map_err(ReviewError::Invalid)?;
    let ctx = context(db, &row, now).await?;
    let notice = Notice {
        reason: Some(reason.clone()),
        ..ctx.notice_by(NoticeKind::Withdrawal, &actor.name)
    };
    let t = Transition::new(CaseAction::Withdraw)
        .because(format!(
            "{}：{reason}",
            match by {
                Withdrawer::Applicant(_) => "申请人网上撤回",
                Withdrawer::Staff(_) => "申请人到窗口撤回",
            }
        ))
        .with_effect(Effect::CloseTasks)
        .issuing(notice);
    issue(db, &row, request.version, &actor, t, now).await
}

/// Who withdraws an application.
#[derive(Clone, Copy)]
pub enum Withdrawer<'a> {
    /// The applicant online (their account).
    Applicant(i32),
    /// Window staff, recording a withdrawal made in the hall.
    Staff(&'a StaffInfo),
}

impl From<TaskRefusal> for ReviewError {
    fn from(t: TaskRefusal) -> Self {
        ReviewError::Task(t)
    }
}

impl From<OpinionProblem> for ReviewError {
    fn from(e: OpinionProblem) -> Self {
        match e {
            OpinionProblem::Task(t) => ReviewError::Task(t),
            OpinionProblem::Invalid(p) => ReviewError::Invalid(p),
        }
    }
}
