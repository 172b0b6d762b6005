//! What a staff member may see and act on. One place decides it, so that a case handled by
//! several departments (parallel review) needs one change here, not one per query.
//!
//! Administrators see no cases; everyone else sees the submitted cases of their own
//! department, and another department's case is "not found" (its existence is not
//! disclosed); of those, only window staff and the chief representative act.

use anyhow::Context;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::CaseError;
use crate::domain::application::ApplicationNumber;
use crate::domain::case::CaseStatus;
use crate::server::entities::application;
use crate::views::review::StaffInfo;

/// The cases `me` may see, as a query condition; administrators see none.
pub fn visible_cases(me: &StaffInfo) -> Result<Condition, CaseError> {
    if !me.role.sees_cases() {
        return Err(CaseError::NotAReviewer);
    }
    Ok(Condition::all()
        .add(application::Column::Department.eq(me.department.as_str()))
        .add(application::Column::Status.ne(CaseStatus::Draft.as_str())))
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

/// A case `me` may see and act on.
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
    Ok(row)
}
