//! `/api/v1/calendar/…`: working-day arithmetic on the administrators' calendar (docs/rules.md
//! rule 4), for countdowns and for anyone checking a due date. Public: the calendar is.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::domain::calendar::MAX_WORKING_DAYS;
use crate::domain::date::Date;
use crate::server::auth::Staff;
use crate::server::error::{AppError, ErrorCode};
use crate::server::rest::body::JsonObject;
use crate::server::services::calendar;
use crate::server::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AddQuery {
    /// The triggering day (not counted), `YYYY-MM-DD`.
    pub from: String,
    /// Working days to add (0–400).
    pub days: u32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AddAnswer {
    pub from: Date,
    pub days: u32,
    /// The N-th working day after `from`.
    pub due: Date,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountQuery {
    /// `YYYY-MM-DD`, not counted.
    pub from: String,
    /// `YYYY-MM-DD`, counted.
    pub to: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CountAnswer {
    pub from: Date,
    pub to: Date,
    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    pub working_days: u32,
}

/// The due date of a limit of `days` working days triggered on `from` (the day itself is not
/// counted: 《民法典》第二百零一条).
#[utoipa::path(get, path = "/api/v1/calendar/add", tag = "calendar", params(AddQuery),
    responses(
        (status = 200, body = AddAnswer),
        (status = 400, description = "invalid_query"),
        (status = 422, description = "calendar_year_missing: a year the calendar has no holidays for"),
    ))]
pub async fn add(
    State(state): State<AppState>,
    query: Result<Query<AddQuery>, QueryRejection>,
) -> Result<Json<AddAnswer>, AppError> {
    let Query(q) = query.map_err(bad_query)?;
    let from = date(&q.from, "from")?;
    if q.days > MAX_WORKING_DAYS {
        return Err(invalid(format!("days 不能超过 {MAX_WORKING_DAYS}")));
    }
    let cal = calendar::load(&state.db).await?;
    let due = cal.add_working_days(from, q.days).map_err(year_missing)?;
    Ok(Json(AddAnswer {
        from,
        days: q.days,
        due,
    }))
}

/// Working days after `from` up to and including `to`.
#[utoipa::path(get, path = "/api/v1/calendar/count", tag = "calendar", params(CountQuery),
    responses(
        (status = 200, body = CountAnswer),
        (status = 400, description = "invalid_query"),
        (status = 422, description = "calendar_year_missing"),
    ))]
pub async fn count(
    State(state): State<AppState>,
    query: Result<Query<CountQuery>, QueryRejection>,
) -> Result<Json<CountAnswer>, AppError> {
    let Query(q) = query.map_err(bad_query)?;
    let from = date(&q.from, "from")?;
    let to = date(&q.to, "to")?;
    if to.days_since_epoch() - from.days_since_epoch() > 800 {
        return Err(invalid("from 与 to 相隔不能超过 800 天".into()));
    }
    let cal = calendar::load(&state.db).await?;
    let working_days = cal.working_days_between(from, to).map_err(year_missing)?;
    Ok(Json(CountAnswer {
        from,
        to,
        working_days,
    }))
}

fn date(s: &str, name: &str) -> Result<Date, AppError> {
    Date::parse_iso(s.trim()).ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidQuery,
            format!("{name} 应为 YYYY-MM-DD 格式的日期"),
        )
    })
}

fn invalid(detail: String) -> AppError {
    AppError::new(ErrorCode::InvalidQuery, detail)
}

fn bad_query(e: QueryRejection) -> AppError {
    invalid(format!("查询参数有误：{}", e.body_text()))
}

fn year_missing(e: crate::domain::calendar::YearNotLoaded) -> AppError {
    AppError::new(ErrorCode::CalendarYearMissing, e.to_string())
}

/// Every year whose holiday arrangement is loaded, with its days off and swapped working
/// days (public: the calendar is).
#[utoipa::path(get, path = "/api/v1/calendar/years", tag = "calendar",
    responses((status = 200, body = [crate::views::calendar::CalendarYearView])))]
pub async fn years(
    State(state): State<AppState>,
) -> Result<Json<Vec<crate::views::calendar::CalendarYearView>>, AppError> {
    Ok(Json(
        crate::server::services::calendar::years(&state.db).await?,
    ))
}

/// Enters or replaces a year's arrangement (administrators only): the source, and the days
/// off and swapped working days as dates or ranges (`2027-02-15~2027-02-21`).
#[utoipa::path(put, path = "/api/v1/admin/calendar/{year}", tag = "calendar",
    params(("year" = i32, Path, description = "年份")),
    request_body = crate::domain::calendar::ArrangementForm,
    responses(
        (status = 200, body = crate::views::calendar::CalendarYearView),
        (status = 403, description = "admin_only"),
        (status = 422, description = "validation_failed: bad_year, required, invalid_date, bad_range, other_year, not_a_weekend, both; year_mismatch"),
    ))]
pub async fn put_year(
    State(state): State<AppState>,
    Staff(me): Staff,
    axum::extract::Path(year): axum::extract::Path<i32>,
    JsonObject(form): JsonObject<crate::domain::calendar::ArrangementForm>,
) -> Result<Response, AppError> {
    if form.year != year {
        return Err(AppError::invalid(vec![
            crate::domain::account::FieldProblem {
                field: "year".into(),
                code: "year_mismatch".into(),
                message: format!("请求地址中的年份 {year} 与内容中的 {} 不一致", form.year),
            },
        ]));
    }
    crate::server::services::calendar::save(&state.db, &me, &form, chrono::Utc::now())
        .await
        .map(|v| Json(v).into_response())
        .map_err(AppError::from)
}
