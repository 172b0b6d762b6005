//! Who is asking: the applicant's and the staff member's sessions, read from the request's
//! cookies. One reading for the JSON API's handlers (as axum extractors) and for the server
//! functions (through [`extract`]), so both refuse alike.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

use super::error::{AppError, ErrorCode};
use super::services::accounts;
use super::services::applications::Who;
use super::services::staff::{self, STAFF_COOKIE};
use super::state::AppState;
use crate::domain::account::AccountInfo;
use crate::views::review::StaffInfo;

/// The value of cookie `name` in a request's `Cookie` headers.
pub fn header_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| accounts::cookie_value(h, name))
}

/// The signed-in applicant of a request, if any.
pub async fn applicant_of(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<AccountInfo>, AppError> {
    let Some(token) = header_cookie(headers, accounts::SESSION_COOKIE) else {
        return Ok(None);
    };
    Ok(accounts::authenticate(&state.db, token, chrono::Utc::now()).await?)
}

/// The signed-in staff member of a request, if any.
pub async fn staff_of(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<StaffInfo>, AppError> {
    let Some(token) = header_cookie(headers, STAFF_COOKIE) else {
        return Ok(None);
    };
    Ok(staff::authenticate(&state.db, token, chrono::Utc::now()).await?)
}

/// The applicant of the request, or else the staff member (working on an in-hall intake
/// with the applicant's pages and endpoints).
pub async fn who_of(state: &AppState, headers: &HeaderMap) -> Result<Option<Who>, AppError> {
    if let Some(account) = applicant_of(state, headers).await? {
        return Ok(Some(Who::Applicant(account.id)));
    }
    Ok(staff_of(state, headers).await?.map(|me| Who::Staff(me.id)))
}

/// An applicant must be signed in: `401 not_logged_in` otherwise.
pub struct Applicant(pub AccountInfo);

/// A staff member must be signed in: `401 not_logged_in` otherwise.
pub struct Staff(pub StaffInfo);

/// The applicant, or else a staff member, must be signed in.
pub struct Someone(pub Who);

impl Someone {
    /// For a handler that reads other headers too (uploads).
    pub async fn from_headers(state: &AppState, headers: &HeaderMap) -> Result<Self, AppError> {
        who_of(state, headers)
            .await?
            .map(Someone)
            .ok_or_else(not_logged_in)
    }
}

/// The applicant, or else a staff member, if either is signed in.
pub struct MaybeSomeone(pub Option<Who>);

/// The signed-in applicant, if any.
pub struct MaybeApplicant(pub Option<AccountInfo>);

/// The signed-in staff member, if any.
pub struct MaybeStaff(pub Option<StaffInfo>);

/// The refusal when nobody (of the kind needed) is signed in.
pub fn not_logged_in() -> AppError {
    AppError::new(ErrorCode::NotLoggedIn, "请先登录")
}

/// The refusal when no staff member is signed in.
pub fn staff_not_logged_in() -> AppError {
    AppError::new(ErrorCode::NotLoggedIn, "请先以工作人员身份登录")
}

/// Each extractor is one reading of the request's headers.
macro_rules! extractor {
    ($($name:ident: |$state:ident, $headers:ident| $read:expr;)+) => {
        $(impl FromRequestParts<AppState> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                $state: &AppState,
            ) -> Result<Self, AppError> {
                let $headers = &parts.headers;
                $read
            }
        })+
    };
}

extractor! {
    MaybeApplicant: |state, headers| applicant_of(state, headers).await.map(MaybeApplicant);
    MaybeStaff: |state, headers| staff_of(state, headers).await.map(MaybeStaff);
    MaybeSomeone: |state, headers| who_of(state, headers).await.map(MaybeSomeone);
    Applicant: |state, headers| applicant_of(state, headers).await?.map(Applicant).ok_or_else(not_logged_in);
    Staff: |state, headers| staff_of(state, headers).await?.map(Staff).ok_or_else(staff_not_logged_in);
    Someone: |state, headers| Someone::from_headers(state, headers).await;
}

/// One of the extractors above, inside a server function; a refusal carries its HTTP status.
pub async fn extract<T>() -> Result<T, AppError>
where
    T: FromRequestParts<AppState, Rejection = AppError>,
{
    let state = super::state::expect_state()?;
    let mut parts = leptos::prelude::use_context::<Parts>()
        .ok_or_else(|| anyhow::anyhow!("a server function without its request"))?;
    T::from_request_parts(&mut parts, &state)
        .await
        .map_err(super::error::refused)
}

/// A server function's call of a service for the signed-in staff member: `act` with the
/// application state, the staff member and the time now. Nobody signed in is `401`, and a
/// refusal keeps its code and HTTP status, as in the JSON API.
pub async fn as_staff<T, E: Into<AppError>>(
    act: impl AsyncFnOnce(&AppState, &StaffInfo, chrono::DateTime<chrono::Utc>) -> Result<T, E>,
) -> Result<T, AppError> {
    let Staff(me) = extract().await?;
    let state = super::state::expect_state()?;
    act(&state, &me, chrono::Utc::now())
        .await
        .map_err(super::error::refused)
}
