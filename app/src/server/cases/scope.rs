//! What a staff member may see and act on. One place decides it, so that a case handled by
//! several departments (parallel review) needs one change here, not one per query.
//!
//! Administrators see no cases; everyone else sees the submitted cases of their own
//! department, and another department's case is "not found" (its existence is not
//! disclosed); of those, only window staff and the chief representative act.

use anyhow::Context;
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter};

use super::CaseError;
use crate::domain::application::ApplicationNumber;
use crate::domain::case::CaseStatus;
use crate::domain::decision::TaskStatus;
use crate::server::entities::{application, review_task};
use crate::views::review::StaffInfo;

/// The cases `me` may see, as a query condition; administrators see none. A department sees
/// the cases it receives and those it reviews (a task of it, rule 11); nothing else.
pub fn visible_cases(me: &StaffInfo) -> Result<Condition, CaseError> {
    if !me.role.sees_cases() {
        return Err(CaseError::NotAReviewer);
    }
    // EXISTS, correlated on the case: asked only of the rows the other conditions leave
    // (the open ones, one status…), through the task index that starts with the case id.
    // An `IN (the department's tasks)` list would grow with every case it ever reviewed.
    let reviewing = tasks_of_the_case()
        .and_where(review_task::Column::Department.eq(me.department.as_str()))
        .to_owned();
    Ok(Condition::all()
        .add(
            Condition::any()
                .add(application::Column::Department.eq(me.department.as_str()))
                .add(Expr::exists(reviewing)),
        )
        .add(application::Column::Status.ne(CaseStatus::Draft.as_str())))
}

/// The review tasks of the application row being filtered, for `EXISTS`: correlated on the
/// case id, which the task index starts with, so it costs one index probe per case asked.
pub fn tasks_of_the_case() -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(review_task::Entity)
        .and_where(
            Expr::col((review_task::Entity, review_task::Column::ApplicationId))
                .equals((application::Entity, application::Column::Id)),
        )
        .to_owned()
}

/// A case `me` may see, by its number.
pub async fn department_case(
    db: &impl ConnectionTrait,
    me: &StaffInfo,
    number: &str,
) -> Result<application::Model, CaseError> {
    let scope = visible_cases(me)?;
    let Some(number) = ApplicationNumber::parse(number) else {
        return Err(CaseError::NotFound);
    };
    application::Entity::find()
        .filter(application::Column::CaseNumber.eq(number.as_str()))
        .filter(scope)
        .one(db)
        .await
        .context("failed to read a case")?
        .ok_or(CaseError::NotFound)
}

/// A case `me` may see and act on at the window: one their department received.
pub async fn acting_case(
    db: &impl ConnectionTrait,
    me: &StaffInfo,
    number: &str,
) -> Result<application::Model, CaseError> {
    let row = department_case(db, me, number).await?;
    if !me.role.acts() {
        return Err(CaseError::NotPermitted(
            "只有窗口人员和首席代表可以受理、不予受理或发出补正通知",
        ));
    }
    if row.department.as_deref() != Some(me.department.as_str()) {
        return Err(CaseError::NotPermitted(
            "本部门只参与审查这个办件，受理、补正、特别程序等窗口事务由受理部门办理",
        ));
    }
    Ok(row)
}

/// A case whose clock `me` may stop and restart for a special procedure (听证, 检验, 现场勘验 …):
/// the receiving department's window and chief, or a reviewer who holds a review task of it
/// (a procedure started from the task).
pub async fn procedure_case(
    db: &impl ConnectionTrait,
    me: &StaffInfo,
    number: &str,
) -> Result<application::Model, CaseError> {
    let row = department_case(db, me, number).await?;
    if me.role.acts() && row.department.as_deref() == Some(me.department.as_str()) {
        return Ok(row);
    }
    if me.role.reviews() && holds_task(db, me, row.id).await? {
        return Ok(row);
    }
    Err(CaseError::NotPermitted(
        "特别程序由受理部门的窗口人员、首席代表，或已签收本办件审查任务的审批人员启动",
    ))
}

/// Whether `me` has signed for a review task of the case that is not yet done.
pub async fn holds_task(
    db: &impl ConnectionTrait,
    me: &StaffInfo,
    application_id: i32,
) -> Result<bool, CaseError> {
    Ok(review_task::Entity::find()
        .filter(review_task::Column::ApplicationId.eq(application_id))
        .filter(review_task::Column::Department.eq(me.department.as_str()))
        .filter(review_task::Column::Status.eq(TaskStatus::Claimed.as_str()))
        .filter(review_task::Column::ClaimedBy.eq(me.id))
        .one(db)
        .await
        .context("failed to read a review task")?
        .is_some())
}
