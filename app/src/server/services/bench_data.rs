//! Benchmark data (`onewindow seed-bench`): an empty database filled with many cases, to
//! measure how tracking, the review queue, the supervision board and 我的办件 scale.
//!
//! What a hall holds after years of work: most cases ended long ago (办结, 不予受理, 撤回), and
//! a fixed number are open (waiting for pre-review, accepted, under review, in a special
//! procedure, decided), received over the last four weeks. The open count does not grow with
//! the history: a hall's work in hand depends on how many cases arrive and how long they
//! take, not on how many years it has been open. Ten applicants' worth of cases per account.
//!
//! Every case is an online application to one of the catalog's items, with values that pass
//! that item's own form checks, a delivery choice it offers, and a company applicant with a
//! valid 统一社会信用代码. Its history rows are the ones the lifecycle core writes, each arrow
//! asked of the domain's status machine; accepted cases carry their review tasks (rule 11),
//! decided ones their item decisions. Not written: numbered notices, licences and messages
//! (read per case, they do not change how a lookup or a list scales), and bundles.
//!
//! Rows go in batches of a thousand cases, each batch in one transaction.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait, Set,
    Statement, TransactionTrait,
};

use crate::clock::china_date;
use crate::domain::application::ApplicationNumber;
use crate::domain::apply::{ApplicantForm, ApplicantKind, ApplicationForm, applicant_fields};
use crate::domain::case::{
    ActorKind, CaseAction, CaseStatus, Channel, EventDetail, ItemOutcome, Outcome, SpecialProcedure,
};
use crate::domain::catalog::{DeliveryMethod, FieldType, FormField};
use crate::domain::date::Date;
use crate::domain::decision::{Opinion, TaskSeed, TaskStatus, fan_out};
use crate::domain::delivery::{DeliveryForm, check_choice};
use crate::domain::form::check_value;
use crate::domain::ids::{IdCardNumber, UnifiedCreditCode};
use crate::domain::track::tracking_code;
use crate::server::entities::{account, application, case_event, item_decision, review_task};
use crate::server::services::{accounts, catalog, staff};
use crate::views::review::{NewStaff, StaffInfo};

/// The password of every seeded account and staff member (benchmark data only).
pub const PASSWORD: &str = "bench-2026";
/// Cases in one transaction.
const BATCH: usize = 1000;

/// How much to seed.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Cases in all.
    pub cases: u32,
    /// Of those, open (the rest have ended).
    pub open: u32,
    /// Cases per applicant account.
    pub per_applicant: u32,
}

/// What was seeded, and how to sign in and look things up in it.
#[derive(Debug, serde::Serialize)]
pub struct Seeded {
    pub cases: u32,
    pub open: u32,
    pub accounts: u32,
    /// Cases by status.
    pub statuses: BTreeMap<String, u32>,
    /// Items left out because no sample value passes one of their fields' checks.
    pub skipped_items: Vec<String>,
    /// Staff logins (window, reviewer, chief) by department; the password is [`PASSWORD`].
    pub staff: Vec<String>,
    /// Cases to track: number and factor (the contact mobile), a few of each status.
    pub track: Vec<(String, String, String)>,
    /// An applicant to sign in as (mobile); the password is [`PASSWORD`].
    pub applicant: String,
}

/// One item as the seeder uses it: its form, department, review tasks and values.
struct Item {
    code: String,
    name: String,
    department: String,
    form: ApplicationForm,
    tasks: Vec<TaskSeed>,
    values: String,
    delivery: String,
    method: DeliveryMethod,
}

/// The staff who act on a department's cases.
struct Crew {
    window: StaffInfo,
    reviewer: StaffInfo,
    chief: StaffInfo,
}

/// Fills an empty database (no application yet) with `plan.cases` cases.
pub async fn seed(
    db: &DatabaseConnection,
    plan: Plan,
    now: DateTime<Utc>,
    progress: impl Fn(u32),
) -> anyhow::Result<Seeded> {
    if plan.open > plan.cases {
        bail!(
            "开放办件数（{}）不能多于办件总数（{}）",
            plan.open,
            plan.cases
        );
    }
    if plan.per_applicant == 0 {
        bail!("每个申请人的办件数至少为 1");
    }
    let existing = application::Entity::find().count(db).await?;
    if existing > 0 {
        bail!(
            "seed-bench 只填充空的基准测试数据库：此库已有 {existing} 件申请，请换一个新的数据库"
        );
    }
    let today = china_date(now);
    let (items, skipped_items) = usable_items(db, today).await?;
    if items.is_empty() {
        bail!("目录中没有可用于基准数据的事项：请先导入目录");
    }
    let departments: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i.department.as_str()).collect();
    let mut crews = BTreeMap::new();
    for department in departments {
        crews.insert(department.to_string(), crew(db, department, now).await?);
    }
    let hash = accounts::hash_password(PASSWORD.into())
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let accounts_needed = plan.cases.div_ceil(plan.per_applicant);
    let first_id = next_id(db, "application").await?;
    let first_account = next_id(db, "account").await?;
    let mut seeded = Seeded {
        cases: plan.cases,
        open: plan.open,
        accounts: accounts_needed,
        statuses: BTreeMap::new(),
        skipped_items,
        staff: crews
            .values()
            .flat_map(|c| [&c.window, &c.reviewer, &c.chief])
            .map(|s| s.login.clone())
            .collect(),
        track: Vec::new(),
        applicant: mobile_of(0),
    };
    for start in (0..accounts_needed).step_by(BATCH * 4) {
        let end = (start + (BATCH * 4) as u32).min(accounts_needed);
        account::Entity::insert_many((start..end).map(|k| account::ActiveModel {
            id: Set(first_account + k as i32),
            mobile: Set(mobile_of(k)),
            password_hash: Set(hash.clone()),
            name: Set(person_name(k)),
            id_number: Set(id_number_of(k, today)),
            created_at: Set(now - Duration::days(1200)),
        }))
        .exec_without_returning(db)
        .await
        .context("failed to write the applicants")?;
    }
    let closed = plan.cases - plan.open;
    let mut rows = Rows::default();
    for i in 0..plan.cases {
        let r = mix(u64::from(i));
        let item = &items[(r % items.len() as u64) as usize];
        let crew = &crews[&item.department];
        let open = i >= closed;
        let received = if open {
            // Over the last four weeks, the newest last.
            let back = 28 * 24 * u64::from(plan.cases - i) / u64::from(plan.open.max(1));
            now - Duration::hours(back as i64 + 2)
        } else {
            // Three years up to two months ago, oldest first.
            let span = 3 * 365 * 24 - 60 * 24;
            let back = span * u64::from(closed - i) / u64::from(closed.max(1));
            now - Duration::hours(back as i64 + 60 * 24)
        };
        let status = status_of(open, r >> 16);
        *seeded.statuses.entry(status.as_str().into()).or_default() += 1;
        let account = i / plan.per_applicant;
        let case = Case {
            id: first_id + i as i32,
            index: i,
            account_id: first_account + account as i32,
            mobile: mobile_of(account),
            company: r >> 24,
            received,
            status,
        };
        if seeded
            .track
            .iter()
            .filter(|t| t.2 == status.as_str())
            .count()
            < 3
        {
            seeded.track.push((
                number_of(&case, 1).as_str().into(),
                case.mobile.clone(),
                status.as_str().into(),
            ));
        }
        rows.add(&case, item, crew, today)?;
        if rows.cases.len() >= BATCH {
            rows.write(db).await?;
            progress(i + 1);
        }
    }
    if !rows.cases.is_empty() {
        rows.write(db).await?;
        progress(plan.cases);
    }
    if db.get_database_backend() == DatabaseBackend::Postgres {
        for table in ["application", "account"] {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT MAX(id) FROM {table}))"
            ))
            .await
            .context("failed to move the id sequence on")?;
        }
        db.execute_unprepared("ANALYZE")
            .await
            .context("failed to analyze")?;
    }
    Ok(seeded)
}

/// The next free id of a table.
async fn next_id(db: &DatabaseConnection, table: &str) -> anyhow::Result<i32> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS INTEGER) AS n FROM {table}"),
        ))
        .await?
        .ok_or_else(|| anyhow!("no answer for the next id of {table}"))?;
    Ok(row.try_get::<i32>("", "n")?)
}

/// The catalog's items whose every field takes one of the sample values; the others' codes.
async fn usable_items(
    db: &DatabaseConnection,
    today: Date,
) -> anyhow::Result<(Vec<Item>, Vec<String>)> {
    let (names, _) = catalog::names(db).await?;
    let mut usable = Vec::new();
    let mut skipped = Vec::new();
    for (code, name) in names {
        let Some(form) = catalog::application_form(db, Some(&code), None).await? else {
            continue;
        };
        let Some((department, _)) = catalog::handling(db, Some(&code), None).await? else {
            continue;
        };
        let Some(values) = sample_values(&form.fields, today) else {
            skipped.push(code);
            continue;
        };
        // Collected online or at the hall; a download needs no address.
        let Some(method) = [DeliveryMethod::Download, DeliveryMethod::Pickup]
            .into_iter()
            .find(|m| form.delivery_methods.contains(m))
        else {
            skipped.push(code);
            continue;
        };
        let choice = check_choice(
            &form.delivery_methods,
            &DeliveryForm {
                method: Some(method),
                address: BTreeMap::new(),
            },
            today,
        )
        .map_err(|p| anyhow!("delivery of {code}: {p:?}"))?;
        let tasks = fan_out(&catalog::handled_items(db, Some(&code), None).await?);
        usable.push(Item {
            code,
            name,
            department,
            tasks,
            values: serde_json::to_string(&values)?,
            delivery: serde_json::to_string(&choice.to_form())?,
            method,
            form,
        });
    }
    Ok((usable, skipped))
}

/// Values for a form that pass its checks, each the first sample its field accepts; `None`
/// when a field accepts none.
fn sample_values(fields: &[FormField], today: Date) -> Option<BTreeMap<String, String>> {
    const TEXTS: [&str; 4] = [
        "滨江区江南大道 1 号综合楼项目",
        "2026-330100-47-01-123456",
        "6222020200112233445",
        "王建国",
    ];
    let mut out = BTreeMap::new();
    for field in fields {
        let candidates: Vec<String> = match field.field_type {
            FieldType::Text | FieldType::LongText | FieldType::Address => {
                TEXTS.iter().map(|s| (*s).to_string()).collect()
            }
            FieldType::Number => {
                let lo = field.min.unwrap_or(0.0).max(1.0);
                let hi = field.max.unwrap_or(lo * 100.0);
                vec![format!("{}", (lo * 120.0).min(hi).round()), format!("{lo}")]
            }
            FieldType::Date => vec![today.to_string()],
            FieldType::Select => field.options.iter().map(|o| o.value.clone()).collect(),
            FieldType::Checkbox => vec!["true".into()],
            FieldType::UnifiedCreditCode => vec![credit_code_of(0)],
            FieldType::IdCardNumber => vec![id_number_of(0, today)],
            FieldType::MobileNumber => vec![mobile_of(0)],
        };
        let value = candidates
            .iter()
            .find_map(|c| check_value(field, c, today).ok().flatten());
        match value {
            Some(v) => {
                out.insert(field.key.clone(), v);
            }
            None if field.required => return None,
            None => {}
        }
    }
    Some(out)
}

/// A department's window clerk, reviewer and chief representative, made as an administrator
/// would.
async fn crew(
    db: &DatabaseConnection,
    department: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Crew> {
    let make = async |role: &str, name: &str| {
        staff::create(
            db,
            &NewStaff {
                login: format!("bench-{}-{role}", department.to_ascii_lowercase()),
                name: name.into(),
                role: role.into(),
                department: department.into(),
                password: PASSWORD.into(),
            },
            now,
        )
        .await
        .map_err(|e| anyhow!("failed to create the {role} of {department}: {e}"))
    };
    Ok(Crew {
        window: make("window", "李窗口").await?,
        reviewer: make("reviewer", "赵审查").await?,
        chief: make("chief", "钱首代").await?,
    })
}

/// One case to write.
struct Case {
    id: i32,
    index: u32,
    account_id: i32,
    mobile: String,
    company: u64,
    received: DateTime<Utc>,
    status: CaseStatus,
}

/// Where a case stands: an open one as a hall's work in hand is spread, an ended one as most
/// end.
fn status_of(open: bool, r: u64) -> CaseStatus {
    let p = r % 100;
    if open {
        match p {
            0..30 => CaseStatus::Submitted,
            30..50 => CaseStatus::Accepted,
            50..88 => CaseStatus::InReview,
            88..92 => CaseStatus::Suspended,
            _ => CaseStatus::Decided,
        }
    } else {
        match p {
            0..6 => CaseStatus::Rejected,
            6..11 => CaseStatus::Withdrawn,
            _ => CaseStatus::Completed,
        }
    }
}

/// The rows of a batch of cases.
#[derive(Default)]
struct Rows {
    cases: Vec<application::ActiveModel>,
    events: Vec<case_event::ActiveModel>,
    tasks: Vec<review_task::ActiveModel>,
    decisions: Vec<item_decision::ActiveModel>,
}

/// A row of a seeded case's history: the action, who, when, why and its detail.
type Step<'a> = (
    CaseAction,
    &'a By<'a>,
    DateTime<Utc>,
    Option<String>,
    Option<EventDetail>,
);

/// Who took a step.
struct By<'a> {
    kind: ActorKind,
    staff: Option<&'a StaffInfo>,
    name: String,
}

impl By<'_> {
    fn channel(&self) -> Channel {
        match self.kind {
            ActorKind::Applicant => Channel::Online,
            ActorKind::Staff => Channel::Window,
            ActorKind::System => Channel::System,
        }
    }
}

fn staff_by(s: &StaffInfo) -> By<'_> {
    By {
        kind: ActorKind::Staff,
        staff: Some(s),
        name: format!("{}（{}）", s.name, s.role_label),
    }
}

impl Rows {
    /// The case's row, its history up to its status, its tasks and decisions.
    fn add(&mut self, case: &Case, item: &Item, crew: &Crew, today: Date) -> anyhow::Result<()> {
        use CaseAction as A;
        let applicant = By {
            kind: ActorKind::Applicant,
            staff: None,
            name: person_name(case.account_id as u32),
        };
        let window = staff_by(&crew.window);
        let reviewer = staff_by(&crew.reviewer);
        let chief = staff_by(&crew.chief);
        let hours = |h: i64| case.received + Duration::hours(h);
        let decided_after = 24 * (5 + (case.company % 15) as i64);
        let mut steps: Vec<Step> = vec![(A::Submit, &applicant, hours(0), None, None)];
        let accepted = !matches!(case.status, CaseStatus::Submitted | CaseStatus::Rejected);
        let reviewed = matches!(
            case.status,
            CaseStatus::InReview
                | CaseStatus::Suspended
                | CaseStatus::Decided
                | CaseStatus::Completed
        ) || (case.status == CaseStatus::Withdrawn
            && case.company.is_multiple_of(2));
        let decided = matches!(case.status, CaseStatus::Decided | CaseStatus::Completed);
        if case.status == CaseStatus::Rejected {
            steps.push((
                A::Reject,
                &window,
                hours(20),
                Some("申请事项依法不属于本部门职权范围".into()),
                None,
            ));
        }
        if accepted {
            steps.push((A::Accept, &window, hours(20), None, None));
        }
        if reviewed {
            steps.push((A::StartReview, &reviewer, hours(44), None, None));
        }
        if case.status == CaseStatus::Suspended {
            let start = china_date(hours(46));
            steps.push((
                A::Suspend,
                &reviewer,
                hours(46),
                Some("需现场勘验".into()),
                Some(EventDetail::Suspension {
                    procedure: SpecialProcedure::SiteSurvey,
                    start,
                    correction: None,
                }),
            ));
        }
        if case.status == CaseStatus::Withdrawn {
            steps.push((
                A::Withdraw,
                &applicant,
                hours(70),
                Some("项目计划调整，申请撤回".into()),
                None,
            ));
        }
        // An open decided case was decided a day after review started; an ended one later.
        let decided_at = if case.status == CaseStatus::Decided {
            hours(48)
        } else {
            hours(decided_after)
        };
        if decided {
            steps.push((
                A::Decide,
                &chief,
                decided_at,
                None,
                Some(EventDetail::Decision {
                    items: vec![ItemOutcome {
                        item_code: item.code.clone(),
                        outcome: Outcome::Grant,
                    }],
                }),
            ));
        }
        if case.status == CaseStatus::Completed {
            let (by, at, reason, collector) = match item.method {
                DeliveryMethod::Download => (
                    &chief,
                    decided_at,
                    "电子送达：办理结果已发布到“我的办件”，可随时下载",
                    None,
                ),
                _ => (
                    &window,
                    decided_at + Duration::hours(50),
                    "申请人到窗口领取",
                    Some(format!(
                        "{}（{}）",
                        person_name(case.account_id as u32),
                        "3301**********1234"
                    )),
                ),
            };
            steps.push((
                A::Deliver,
                by,
                at,
                Some(reason.into()),
                Some(EventDetail::Delivered {
                    method: item.method,
                    collector,
                }),
            ));
        }
        let mut status = CaseStatus::Draft;
        for (action, by, at, reason, detail) in &steps {
            let to = status
                .apply(*action)
                .map_err(|e| anyhow!("seeding a {} case: {e}", case.status.as_str()))?;
            self.events.push(case_event::ActiveModel {
                application_id: Set(case.id),
                at: Set(*at),
                actor: Set(by.kind.as_str().into()),
                staff_id: Set(by.staff.map(|s| s.id)),
                actor_name: Set(by.name.clone()),
                channel: Set(by.channel().as_str().into()),
                action: Set(action.as_str().into()),
                from_status: Set(Some(status.as_str().into())),
                to_status: Set(to.as_str().into()),
                reason: Set(reason.clone()),
                detail: Set(detail.as_ref().map(EventDetail::to_json)),
                ..Default::default()
            });
            status = to;
        }
        if status != case.status {
            bail!(
                "a seeded case ended at {} instead of {}",
                status.as_str(),
                case.status.as_str()
            );
        }
        let last = steps.last().map_or(case.received, |s| s.2);
        if accepted {
            for seed in &item.tasks {
                let claimed = reviewed && seed.lead;
                let state = match case.status {
                    CaseStatus::Withdrawn => TaskStatus::Closed,
                    _ if decided => TaskStatus::Done,
                    _ if claimed => TaskStatus::Claimed,
                    _ => TaskStatus::Open,
                };
                let done = state == TaskStatus::Done;
                let holder = (claimed || done).then_some(&crew.reviewer);
                self.tasks.push(review_task::ActiveModel {
                    application_id: Set(case.id),
                    item_code: Set(seed.item_code.clone()),
                    item_name: Set(seed.item_name.clone()),
                    department: Set(seed.department.clone()),
                    lead: Set(seed.lead),
                    limit_days: Set(seed.limit_days.map(|d| d.min(i32::MAX as u32) as i32)),
                    status: Set(state.as_str().into()),
                    claimed_by: Set(holder.map(|s| s.id)),
                    claimed_by_name: Set(holder.map(|_| reviewer.name.clone())),
                    claimed_at: Set(holder.map(|_| hours(44))),
                    opinion: Set(done.then(|| Opinion::Agree.as_str().into())),
                    reason: Set(done.then(|| "材料齐全，符合法定条件".into())),
                    legal_basis: Set(None),
                    conditions: Set(None),
                    completed_at: Set(done.then_some(decided_at)),
                    created_at: Set(hours(20)),
                    ..Default::default()
                });
            }
        }
        if decided {
            self.decisions.push(item_decision::ActiveModel {
                application_id: Set(case.id),
                item_code: Set(item.code.clone()),
                item_name: Set(item.name.clone()),
                department: Set(item.department.clone()),
                outcome: Set(Outcome::Grant.as_str().into()),
                reason: Set(None),
                legal_basis: Set(None),
                conditions: Set(None),
                staff_id: Set(crew.chief.id),
                decided_by: Set(chief.name.clone()),
                decided_at: Set(decided_at),
                ..Default::default()
            });
        }
        let applicant_form = ApplicantForm {
            kind: Some(ApplicantKind::Company),
            values: company(case, today)?,
        };
        self.cases.push(application::ActiveModel {
            id: Set(case.id),
            number: Set(number_of(case, 0).as_str().into()),
            account_id: Set(case.account_id),
            item_code: Set(Some(item.code.clone())),
            bundle_code: Set(None),
            form_values: Set(item.values.clone()),
            status: Set(case.status.as_str().into()),
            created_at: Set(case.received - Duration::hours(1)),
            updated_at: Set(last),
            applicant: Set(serde_json::to_string(&applicant_form)?),
            bring_original: Set("[]".into()),
            case_number: Set(Some(number_of(case, 1).as_str().into())),
            channel: Set(Some(Channel::Online.as_str().into())),
            submitted_at: Set(Some(case.received)),
            guides: Set(Some(serde_json::to_string(&item.form.guides)?)),
            department: Set(Some(item.department.clone())),
            version: Set(steps.len() as i32 + 1),
            staff_id: Set(None),
            received_at: Set(Some(case.received)),
            agent_id_number: Set(None),
            agent_mobile: Set(None),
            tracking_code: Set(Some(tracking_code(
                (mix(u64::from(case.index) ^ 0x5eed).to_le_bytes())[..5]
                    .try_into()
                    .map_err(|_| anyhow!("five bytes"))?,
            ))),
            holder_account_id: Set(None),
            delivery: Set(item.delivery.clone()),
        });
        Ok(())
    }

    /// Writes the batch in one transaction and empties it.
    async fn write(&mut self, db: &DatabaseConnection) -> anyhow::Result<()> {
        if self.cases.is_empty() {
            return Ok(());
        }
        let txn = db.begin().await?;
        application::Entity::insert_many(std::mem::take(&mut self.cases))
            .exec_without_returning(&txn)
            .await
            .context("failed to write seeded cases")?;
        for chunk in std::mem::take(&mut self.events).chunks(BATCH * 2) {
            case_event::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await
                .context("failed to write seeded history")?;
        }
        let tasks = std::mem::take(&mut self.tasks);
        for chunk in tasks.chunks(BATCH * 2) {
            review_task::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await
                .context("failed to write seeded review tasks")?;
        }
        let decisions = std::mem::take(&mut self.decisions);
        for chunk in decisions.chunks(BATCH * 2) {
            item_decision::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await
                .context("failed to write seeded decisions")?;
        }
        txn.commit().await?;
        Ok(())
    }
}

/// The company that applies for a case: its name, a valid 统一社会信用代码, its legal
/// representative and the account's mobile, checked as a submission checks them.
fn company(case: &Case, today: Date) -> anyhow::Result<BTreeMap<String, String>> {
    let n = case.company % 100_000;
    let raw: BTreeMap<String, String> = [
        ("company_name", format!("示范建设工程有限公司第{n}分公司")),
        ("credit_code", credit_code_of(n)),
        ("legal_representative", "王建国".into()),
        ("contact_mobile", case.mobile.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    crate::domain::form::check_form(&applicant_fields(ApplicantKind::Company), &raw, today)
        .map_err(|e| anyhow!("a seeded applicant fails its checks: {e:?}"))
}

/// A case's application number (`which` 0) or case number (`which` 1): unique per case, and
/// not one a real submission draws in practice.
fn number_of(case: &Case, which: u64) -> ApplicationNumber {
    let bits = (1u64 << 49) | (which << 40) | u64::from(case.index);
    let b = bits.to_be_bytes();
    ApplicationNumber::new(
        china_date(case.received),
        [b[1], b[2], b[3], b[4], b[5], b[6], b[7]],
    )
}

/// The `k`th applicant's mobile: 170 and eight digits.
fn mobile_of(k: u32) -> String {
    format!("170{:08}", k % 100_000_000)
}

fn person_name(k: u32) -> String {
    const FAMILY: [&str; 8] = ["张", "王", "李", "赵", "刘", "陈", "杨", "周"];
    const GIVEN: [&str; 8] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋"];
    format!(
        "{}{}",
        FAMILY[(k % 8) as usize],
        GIVEN[((k / 8) % 8) as usize]
    )
}

/// A valid ID card number for the `k`th applicant (its check digit found by the domain's own
/// check).
fn id_number_of(k: u32, today: Date) -> String {
    let born = 1960 + (k % 40);
    let body = format!("330106{born}0101{:03}", k % 1000);
    "0123456789X"
        .chars()
        .map(|c| format!("{body}{c}"))
        .find(|s| IdCardNumber::parse(s, today).is_ok())
        .unwrap_or(body)
}

/// A valid 统一社会信用代码 for company `n` (its check character found by the domain's own
/// check).
fn credit_code_of(n: u64) -> String {
    let body = format!("913301067{:08}", n % 100_000_000);
    "0123456789ABCDEFGHJKLMNPQRTUWXY"
        .chars()
        .map(|c| format!("{body}{c}"))
        .find(|s| UnifiedCreditCode::parse(s).is_ok())
        .unwrap_or(body)
}

/// splitmix64: a well-mixed number from a counter, so a seed is the same every time.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_numbers_pass_the_domain_checks() {
        let today = Date::new(2026, 12, 2).unwrap();
        for k in [0, 1, 999, 123_456] {
            assert!(IdCardNumber::parse(&id_number_of(k, today), today).is_ok());
            assert!(UnifiedCreditCode::parse(&credit_code_of(u64::from(k))).is_ok());
        }
    }

    #[test]
    fn statuses_spread_as_planned() {
        let open: Vec<CaseStatus> = (0..1000).map(|i| status_of(true, mix(i))).collect();
        assert!(open.iter().all(|s| s.is_open()));
        let ended: Vec<CaseStatus> = (0..1000).map(|i| status_of(false, mix(i))).collect();
        assert!(ended.iter().all(|s| !s.is_open()));
        let completed = ended
            .iter()
            .filter(|s| **s == CaseStatus::Completed)
            .count();
        assert!((800..980).contains(&completed), "{completed}");
    }
}
