//! 电子证照 (rule 15): licences issued with the decision that grants them, signed by the
//! issuing department; verified by number and check code or from the file (the domain's one
//! verify path); 注销 / 撤销 by the department's chief representative; the public register.

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::clock::china_date;
use crate::domain::account::{FieldProblem, ThrottleRule};
use crate::domain::apply::ApplicantForm;
use crate::domain::date::Date;
use crate::domain::form::shown;
use crate::domain::licence::{
    self as rules, Holder, HolderKind, Licence, LicenceFile, LicenceLine, Revocation,
    RevocationKind, Verdict,
};
use crate::server::client::ClientKey;
use crate::server::entities::{application, licence, service_item};
use crate::server::services::{catalog, throttle};
use crate::views::backoffice::Paging;
use crate::views::licence::{
    LicenceCheck, LicenceView, REGISTER_PAGE, Register, RegisterFilter, RevokeAction,
};
use crate::views::review::StaffInfo;

pub mod keys;

/// Why a licence operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum LicenceError {
    #[error("证照编号或校验码不正确，请核对证照上打印的编号和校验码")]
    NotFound,
    #[error("尝试过于频繁，请 {0} 秒后再试")]
    TooMany(i64),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("证照已被注销或撤销")]
    AlreadyRevoked,
    #[error("填写的内容有误")]
    Invalid(Vec<FieldProblem>),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// An item granted by the case's decision, with the decision's conditions.
pub struct Granted {
    pub item_code: String,
    pub conditions: Option<String>,
}

/// The licences a decision issues, signed and ready to insert with it (in its transaction):
/// one for each granted item whose guide names an electronic result. Numbered by the case
/// and the item's place in it, so a retried decision makes the same numbers.
pub async fn issue(
    db: &DatabaseConnection,
    row: &application::Model,
    granted: &[Granted],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<licence::ActiveModel>> {
    let case_number = row
        .case_number
        .clone()
        .ok_or_else(|| anyhow!("a decision on a case without a number"))?;
    let applicant: ApplicantForm =
        serde_json::from_str(&row.applicant).context("corrupt applicant")?;
    let values: BTreeMap<String, String> =
        serde_json::from_str(&row.form_values).context("corrupt form values")?;
    let holder = holder_of(&applicant);
    let names = catalog::department_names(db).await?;
    let items =
        catalog::handled_items(db, row.item_code.as_deref(), row.bundle_code.as_deref()).await?;
    let today = china_date(now);
    let mut out = Vec::new();
    for (place, item) in items.iter().enumerate() {
        let Some(g) = granted.iter().find(|g| g.item_code == item.item_code) else {
            continue;
        };
        let Some(item_row) = catalog::by_code::<service_item::Entity>(db, &item.item_code).await?
        else {
            continue;
        };
        let guide = catalog::load_version(db, item_row.current_version_id).await?;
        if !guide.result.electronic {
            continue;
        }
        let content = guide
            .result
            .licence_fields
            .iter()
            .filter_map(|key| {
                let field = guide.fields.iter().find(|f| &f.key == key)?;
                let value = values.get(key).map(|v| shown(field, v))?;
                Some(LicenceLine {
                    label: field.label.clone(),
                    value,
                })
            })
            .collect();
        let l = Licence {
            number: rules::licence_number(&item.department, today.year(), &case_number, place + 1),
            name: guide.result.name.clone(),
            holder: holder.clone(),
            item_code: item.item_code.clone(),
            item_name: item.item_name.clone(),
            department_code: item.department.clone(),
            department_name: names.get(&item.department).cloned().unwrap_or_default(),
            issued_on: today,
            valid_until: rules::valid_until(today, guide.result.validity_months),
            content,
            conditions: g.conditions.clone().filter(|c| !c.trim().is_empty()),
            case_number: case_number.clone(),
        };
        let key = keys::active(db, &item.department, now).await?;
        let file = rules::sign(l, &key.key_id, &key.secret).map_err(|e| anyhow!("{e}"))?;
        out.push(licence::ActiveModel {
            number: Set(file.licence.number.clone()),
            check_code: Set(rules::check_code(&file)),
            item_code: Set(file.licence.item_code.clone()),
            department: Set(file.licence.department_code.clone()),
            holder_kind: Set(file.licence.holder.kind.as_str().into()),
            holder_name: Set(file.licence.holder.name.clone()),
            holder_id_number: Set(file.licence.holder.id_number.clone()),
            name: Set(file.licence.name.clone()),
            issued_on: Set(file.licence.issued_on.to_string()),
            valid_until: Set(file.licence.valid_until.map(|d| d.to_string())),
            file: Set(file.to_json()),
            created_at: Set(now),
            ..Default::default()
        });
    }
    Ok(out)
}

/// The holder as the submitted case names the applicant.
fn holder_of(applicant: &ApplicantForm) -> Holder {
    let get = |k: &str| applicant.values.get(k).cloned().unwrap_or_default();
    match applicant.values.get("company_name") {
        Some(name) => Holder {
            kind: HolderKind::Company,
            name: name.clone(),
            id_number: get("credit_code"),
        },
        None => Holder {
            kind: HolderKind::Person,
            name: get("name"),
            id_number: get("id_number"),
        },
    }
}

/// Who reads a licence.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The holder or staff: everything, with the check code and QR code.
    Holder,
    /// Whoever has the number and check code: the content, a person holder masked.
    Verifier,
    /// The public register: no content, a person holder masked.
    Register,
}

fn revocation_of(row: &licence::Model) -> Option<Revocation> {
    Some(Revocation {
        number: row.number.clone(),
        kind: RevocationKind::parse(row.revoked_kind.as_deref()?)?,
        on: Date::parse_iso(row.revoked_on.as_deref()?)?,
        reason: row.revoke_reason.clone().unwrap_or_default(),
    })
}

fn file_of(row: &licence::Model) -> anyhow::Result<LicenceFile> {
    rules::parse_file(&row.file).map_err(|v| anyhow!("licence {} is corrupt: {v:?}", row.number))
}

/// The verify page's address for a licence: what its QR code holds.
pub fn verify_path(number: &str, check_code: &str) -> String {
    format!("/verify?number={number}&code={check_code}")
}

/// A licence row as `reader` sees it.
pub fn view_of(row: &licence::Model, reader: Reader) -> anyhow::Result<LicenceView> {
    let file = file_of(row)?;
    view_of_file(&file, revocation_of(row), reader, Some(&row.check_code))
}

fn view_of_file(
    file: &LicenceFile,
    revocation: Option<Revocation>,
    reader: Reader,
    check_code: Option<&str>,
) -> anyhow::Result<LicenceView> {
    let l = &file.licence;
    let (holder_name, holder_id_number) = match reader {
        Reader::Holder => (l.holder.name.clone(), l.holder.id_number.clone()),
        _ => l.holder.public(),
    };
    let holder = reader == Reader::Holder;
    let path = check_code.map(|c| verify_path(&l.number, c));
    Ok(LicenceView {
        number: l.number.clone(),
        name: l.name.clone(),
        holder_kind: l.holder.kind,
        holder_name,
        holder_id_number,
        item_code: l.item_code.clone(),
        item_name: l.item_name.clone(),
        department_name: l.department_name.clone(),
        issued_on: l.issued_on,
        valid_until: l.valid_until,
        content: if reader == Reader::Register {
            vec![]
        } else {
            l.content.clone()
        },
        conditions: l.conditions.clone(),
        revocation,
        case_number: holder.then(|| l.case_number.clone()),
        check_code: holder.then(|| check_code.map(str::to_owned)).flatten(),
        verify_url: holder
            .then(|| {
                path.as_ref().map(|p| {
                    format!(
                        "{}{p}",
                        crate::server::state::public_url().trim_end_matches('/')
                    )
                })
            })
            .flatten(),
        qr_svg: holder
            .then(|| path.as_ref().map(|p| crate::server::cases::qr_svg(p)))
            .flatten(),
    })
}

/// Every revocation, for verifiers (the revocation list).
pub async fn revocations(db: &impl ConnectionTrait) -> anyhow::Result<Vec<Revocation>> {
    Ok(licence::Entity::find()
        .filter(licence::Column::RevokedKind.is_not_null())
        .order_by_asc(licence::Column::Id)
        .all(db)
        .await
        .context("failed to read revocations")?
        .iter()
        .filter_map(revocation_of)
        .collect())
}

/// Verifies a licence by its number and check code (what is printed on it, or its QR code).
/// A wrong pair counts against the client like a wrong tracking factor, so the register
/// cannot be walked for holders' details.
pub async fn check(
    db: &DatabaseConnection,
    number: &str,
    code: &str,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<LicenceCheck, LicenceError> {
    let key = format!("verify:{}", client.0);
    // A guess at the check code: parallel ones cannot all pass before their failures are
    // counted.
    let rule = ThrottleRule::LOGIN;
    let (guess, record) = throttle::guess(db, &key, rule, now)
        .await?
        .map_err(LicenceError::TooMany)?;
    let row = match find(db, number.trim()).await? {
        Some(r) if r.check_code == rules::normalize_check_code(code) => {
            guess
                .right(rule, record, now)
                .map_err(LicenceError::TooMany)?;
            r
        }
        _ => {
            let failure = guess
                .wrong(rule, record, now)
                .map_err(LicenceError::TooMany)?;
            failure.count(db, now).await?;
            return Err(LicenceError::NotFound);
        }
    };
    let file = file_of(&row)?;
    let verdict = judge(db, &file, now).await?;
    let view = view_of_file(&file, revocation_of(&row), Reader::Verifier, None)?;
    Ok(LicenceCheck::of(verdict, Some(view)))
}

/// The domain's verdict on a file, with the published keys and the revocation list.
async fn judge(
    db: &impl ConnectionTrait,
    file: &LicenceFile,
    now: DateTime<Utc>,
) -> anyhow::Result<Verdict> {
    let keys = keys::published(db).await?;
    let revoked = revocations(db).await?;
    Ok(rules::verify(file, &keys, &revoked, china_date(now)))
}

/// Verifies an uploaded licence file (the same verdicts as the browser's own check).
pub async fn verify_file(
    db: &DatabaseConnection,
    file: &LicenceFile,
    now: DateTime<Utc>,
) -> anyhow::Result<LicenceCheck> {
    if let Err(v) = rules::check_format(file) {
        return Ok(LicenceCheck::of(v, None));
    }
    let file = file.clone();
    let verdict = judge(db, &file, now).await?;
    let view = match &verdict {
        // A forged file's content is not shown as if it were a licence.
        Verdict::Valid | Verdict::Revoked(_) | Verdict::Expired { .. } => Some(view_of_file(
            &file,
            match &verdict {
                Verdict::Revoked(r) => Some(r.clone()),
                _ => None,
            },
            Reader::Verifier,
            None,
        )?),
        _ => None,
    };
    Ok(LicenceCheck::of(verdict, view))
}

/// The licences of a case, as its holder (or staff) sees them.
pub async fn of_case(
    db: &impl ConnectionTrait,
    application_id: i32,
) -> anyhow::Result<Vec<LicenceView>> {
    crate::server::cases::rows_of::<licence::Entity>(db, application_id)
        .await?
        .iter()
        .map(|r| view_of(r, Reader::Holder))
        .collect()
}

/// A licence row by number.
pub async fn find(
    db: &impl ConnectionTrait,
    number: &str,
) -> anyhow::Result<Option<licence::Model>> {
    licence::Entity::find()
        .filter(licence::Column::Number.eq(number))
        .one(db)
        .await
        .context("failed to read a licence")
}

/// 注销 / 撤销 (rule 15): by the chief representative of the issuing department, with a
/// reason; from today the verify page and the API say so, with the reason.
pub async fn revoke(
    db: &DatabaseConnection,
    me: &StaffInfo,
    number: &str,
    action: &RevokeAction,
    now: DateTime<Utc>,
) -> Result<LicenceView, LicenceError> {
    let row = find(db, number).await?.ok_or(LicenceError::NotFound)?;
    if row.department != me.department {
        return Err(LicenceError::NotFound);
    }
    if !me.role.decides() {
        return Err(LicenceError::Forbidden(
            "只有发证部门的首席代表可以注销或撤销证照",
        ));
    }
    let reason = action.reason.trim();
    if reason.chars().count() < 2 || reason.chars().count() > 500 {
        return Err(LicenceError::Invalid(vec![FieldProblem::new(
            "reason",
            if reason.is_empty() {
                "required"
            } else {
                "length"
            },
            format!("请填写{}的理由（2–500 字）", action.kind.label()),
        )]));
    }
    let updated = licence::Entity::update_many()
        .col_expr(
            licence::Column::RevokedKind,
            Expr::value(action.kind.as_str()),
        )
        .col_expr(
            licence::Column::RevokedOn,
            Expr::value(china_date(now).to_string()),
        )
        .col_expr(licence::Column::RevokeReason, Expr::value(reason))
        .col_expr(
            licence::Column::RevokedBy,
            Expr::value(format!("{}（{}）", me.name, me.role_label)),
        )
        .filter(licence::Column::Id.eq(row.id))
        .filter(licence::Column::RevokedKind.is_null())
        .exec(db)
        .await
        .context("failed to revoke a licence")?;
    if updated.rows_affected == 0 {
        return Err(LicenceError::AlreadyRevoked);
    }
    let row = find(db, number).await?.ok_or(LicenceError::NotFound)?;
    Ok(view_of(&row, Reader::Holder)?)
}

/// The public register (第四十条), newest first, 20 a page.
pub async fn register(
    db: &DatabaseConnection,
    filter: &RegisterFilter,
) -> anyhow::Result<Register> {
    let mut q = licence::Entity::find();
    if let Some(item) = filter.item.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(licence::Column::ItemCode.eq(item));
    }
    if let Some(d) = filter.department.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(licence::Column::Department.eq(d));
    }
    if let Some(words) = filter.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Persons are listed masked: only a company's name or a number can be searched.
        q = q.filter(
            sea_orm::Condition::any()
                .add(
                    sea_orm::Condition::all()
                        .add(licence::Column::HolderKind.eq(HolderKind::Company.as_str()))
                        .add(licence::Column::HolderName.contains(words)),
                )
                .add(licence::Column::Number.contains(words)),
        );
    }
    let matching = q
        .clone()
        .count(db)
        .await
        .context("failed to count licences")?;
    let pages = matching.div_ceil(REGISTER_PAGE).max(1);
    let page = u64::try_from(filter.page.unwrap_or(1).max(1))
        .unwrap_or(1)
        .min(pages);
    let rows = q
        .order_by_desc(licence::Column::Id)
        .offset((page - 1) * REGISTER_PAGE)
        .limit(REGISTER_PAGE)
        .all(db)
        .await
        .context("failed to read the register")?;
    Ok(Register {
        entries: rows
            .iter()
            .map(|r| view_of(r, Reader::Register))
            .collect::<anyhow::Result<_>>()?,
        paging: Paging {
            matching: matching as u32,
            page: page as u32,
            pages: pages as u32,
        },
    })
}

/// The signed file of a licence, for its holder (the applicant whose case it is) or the staff
/// of the issuing or receiving department; anyone else is told it does not exist.
pub async fn file_for(
    db: &DatabaseConnection,
    who: crate::server::services::applications::Who,
    number: &str,
) -> Result<licence::Model, LicenceError> {
    use crate::server::services::applications::{Who, own_row};
    let row = find(db, number).await?.ok_or(LicenceError::NotFound)?;
    let case = application::Entity::find_by_id(row.application_id)
        .one(db)
        .await
        .context("failed to read a licence's case")?
        .ok_or(LicenceError::NotFound)?;
    let allowed = match who {
        Who::Applicant(account) => match &case.case_number {
            Some(n) => own_row(db, account, n).await?.is_some(),
            None => false,
        },
        Who::Staff(id) => {
            let department = crate::server::entities::staff::Entity::find_by_id(id)
                .one(db)
                .await
                .context("failed to read a staff member")?
                .map(|s| s.department);
            department.is_some_and(|d| d == row.department || Some(d) == case.department)
        }
    };
    if allowed {
        Ok(row)
    } else {
        Err(LicenceError::NotFound)
    }
}
