//! Staff accounts: creation (by an administrator, or the `create-staff` command), login with
//! the same argon2id hashing and the same throttle as applicants, and their own database
//! sessions under their own cookie, so an applicant session never opens the workbench.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::domain::account::{FieldProblem, check_password};
use crate::domain::review::StaffRole;
use crate::server::client::ClientKey;
use crate::server::entities::{department, security_alert, staff, staff_session};
use crate::server::services::accounts::{AccountError, LoginGuard, hash_password};
use crate::server::services::catalog;
use crate::server::services::sessions;
pub use crate::views::review::{NewStaff, StaffInfo};

/// The name of the staff session cookie.
pub const STAFF_COOKIE: &str = "ow_staff";

/// Longest login name.
const MAX_LOGIN_CHARS: usize = 32;

/// Creates a staff account; every problem of the form is listed at once.
pub async fn create(
    db: &DatabaseConnection,
    form: &NewStaff,
    now: DateTime<Utc>,
) -> Result<StaffInfo, AccountError> {
    let mut problems = Vec::new();
    let login = form.login.trim();
    if login.is_empty()
        || login.chars().count() > MAX_LOGIN_CHARS
        || !login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        problems.push(FieldProblem::new(
            "login",
            "invalid_login",
            "工号须为 1–32 位字母、数字或 . _ -",
        ));
    }
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        problems.push(FieldProblem::new(
            "name",
            "invalid_name",
            "请填写姓名（不超过 50 个字）",
        ));
    }
    let role = StaffRole::parse(&form.role);
    if role.is_none() {
        problems.push(FieldProblem::new(
            "role",
            "invalid_role",
            "角色须为 window、reviewer、chief、supervisor 或 admin",
        ));
    }
    let dept = catalog::by_code::<department::Entity>(db, form.department.trim()).await?;
    if dept.is_none() {
        problems.push(FieldProblem::new(
            "department",
            "unknown_department",
            format!("没有编码为 {} 的部门", form.department.trim()),
        ));
    }
    if let Err(p) = check_password(&form.password) {
        problems.push(p);
    }
    let taken = staff::Entity::find()
        .filter(staff::Column::Login.eq(login))
        .one(db)
        .await
        .context("failed to look up a login")?;
    if taken.is_some() {
        problems.push(FieldProblem::new("login", "login_taken", "该工号已存在"));
    }
    let (Some(role), Some(dept), true) = (role, dept, problems.is_empty()) else {
        return Err(AccountError::Invalid(problems));
    };
    let hash = hash_password(form.password.clone()).await?;
    let row = staff::ActiveModel {
        login: Set(login.into()),
        name: Set(name.into()),
        role: Set(role.as_str().into()),
        department: Set(dept.code.clone()),
        password_hash: Set(hash),
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .context("failed to insert a staff account")?;
    info(&row, &dept.name)
}

/// Logs a staff member in; returns the session token and who they are. Throttled per
/// (工号, client) like applicants: ten wrong passwords from one place lock the 工号 there for
/// half an hour, and only there, so nobody can keep a window closed from outside; the lock is
/// logged as a security event.
pub async fn login(
    db: &DatabaseConnection,
    login: &str,
    password: &str,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<(String, StaffInfo), AccountError> {
    let login = login.trim();
    if login.is_empty() || login.chars().count() > MAX_LOGIN_CHARS {
        return Err(AccountError::InvalidCredentials);
    }
    let guard = LoginGuard::claim(db, &format!("staff:{login}"), client, now).await?;
    let found = staff::Entity::find()
        .filter(staff::Column::Login.eq(login))
        .filter(staff::Column::Active.eq(true))
        .one(db)
        .await
        .context("failed to look up a staff account")?;
    let hash = found.as_ref().map(|s| s.password_hash.clone());
    let matches = guard.verify(password, hash).await?;
    let Some(member) = found.clone().filter(|_| matches) else {
        if guard.locked_now {
            tracing::warn!(
                target: "security",
                login,
                client = %client.0,
                "staff login locked after repeated wrong passwords from one client"
            );
            // The department hears of it on its board: someone is guessing a colleague's
            // password, though the 工号 still opens everywhere else.
            if let Some(attacked) = &found {
                security_alert::ActiveModel {
                    department: Set(attacked.department.clone()),
                    kind: Set("staff_login_locked".into()),
                    login: Set(attacked.login.clone()),
                    client: Set(client.0.clone()),
                    at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await
                .context("failed to record a security alert")?;
            }
        }
        guard.failed(db, now).await?;
        return Err(AccountError::InvalidCredentials);
    };
    let token = guard
        .open::<staff_session::Entity>(db, member.id, now)
        .await?;
    let name = department_name(db, &member.department).await?;
    Ok((token, info(&member, &name)?))
}

/// Ends a staff session.
pub async fn logout(db: &DatabaseConnection, token: &str) -> anyhow::Result<()> {
    sessions::end::<staff_session::Entity>(db, token).await
}

/// The staff member of a live session; idle sessions expire as for applicants.
pub async fn authenticate(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<StaffInfo>> {
    let Some(id) = sessions::owner::<staff_session::Entity>(db, token, now).await? else {
        return Ok(None);
    };
    let Some(member) = staff::Entity::find_by_id(id)
        .filter(staff::Column::Active.eq(true))
        .one(db)
        .await
        .context("failed to read a staff account")?
    else {
        return Ok(None);
    };
    let name = department_name(db, &member.department).await?;
    Ok(Some(info(&member, &name)?))
}

/// Every staff account, by department and login (for administrators).
pub async fn list(db: &DatabaseConnection) -> anyhow::Result<Vec<StaffInfo>> {
    let departments = catalog::department_names(db).await?;
    staff::Entity::find()
        .order_by_asc(staff::Column::Department)
        .order_by_asc(staff::Column::Login)
        .all(db)
        .await
        .context("failed to list staff")?
        .iter()
        .map(|s| info(s, departments.get(&s.department).map_or("", |n| n)))
        .collect::<Result<_, _>>()
        .map_err(|e: AccountError| anyhow::anyhow!("{e}"))
}

/// The `Set-Cookie` value of a staff session.
pub fn staff_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{STAFF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

/// The `Set-Cookie` value that removes the staff session cookie.
pub fn clear_staff_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{STAFF_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

async fn department_name(db: &DatabaseConnection, code: &str) -> anyhow::Result<String> {
    Ok(catalog::by_code::<department::Entity>(db, code)
        .await?
        .map(|d| d.name)
        .unwrap_or_default())
}

fn info(s: &staff::Model, department_name: &str) -> Result<StaffInfo, AccountError> {
    let role = StaffRole::parse(&s.role)
        .ok_or_else(|| anyhow::anyhow!("unknown stored role {}", s.role))?;
    Ok(StaffInfo {
        id: s.id,
        login: s.login.clone(),
        name: s.name.clone(),
        role,
        role_label: role.label().into(),
        department: s.department.clone(),
        department_name: department_name.into(),
    })
}
