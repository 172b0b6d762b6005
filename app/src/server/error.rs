//! The server side of [`AppError`]: which code each service refusal gets (one table, here),
//! the `application/problem+json` answer of the JSON API, and the HTTP status of a server
//! function's refusal.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::cases::CaseError;
use super::services::accounts::AccountError;
use super::services::applications::ApplicationError;
use super::services::calendar::CalendarError;
use super::services::licences::LicenceError;
use super::services::review::ReviewError;
use super::services::tracking::TrackError;
use super::state::incident_id;
use crate::domain::account::FieldProblem;
use crate::domain::upload::UploadError;
pub use crate::error::{AppError, ErrorCode};

/// An error as `application/problem+json` (RFC 9457), as the JSON API writes it.
#[derive(Serialize, ToSchema, Debug)]
pub struct ProblemDetails {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// A stable machine-readable code, e.g. `item_not_found`.
    pub code: ErrorCode,
    /// What went wrong, in Chinese.
    pub detail: String,
    /// With `validation_failed`: every field problem, each with field, code and message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let e = self.into_body();
        let body = ProblemDetails {
            kind: format!("https://onewindow.example/problems/{}", e.code.as_str()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            code: e.code,
            detail: e.message,
            errors: e.problems,
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            Json(body),
        )
            .into_response();
        if let Some(seconds) = e.retry_after
            && let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

/// An internal failure: logged with its cause under an incident id; the client sees only
/// the id.
impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        let id = incident_id();
        tracing::error!(incident = %id, error = ?err, "request failed");
        AppError::new(
            ErrorCode::Internal,
            format!("系统繁忙，请稍后再试（事件编号 {id}）"),
        )
    }
}

/// The refusal a server function returns, with the HTTP status of its code set on the
/// response (a server function otherwise answers every error with 500).
pub fn refused(err: impl Into<AppError>) -> AppError {
    let err = err.into();
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            StatusCode::from_u16(err.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    err
}

fn with_message(code: ErrorCode, err: &impl std::fmt::Display) -> AppError {
    AppError::new(code, err.to_string())
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::NotFound => with_message(ErrorCode::CaseNotFound, &e),
            CaseError::NotAReviewer => with_message(ErrorCode::NotAReviewer, &e),
            CaseError::NotPermitted(_) => with_message(ErrorCode::NotPermitted, &e),
            CaseError::Changed => with_message(ErrorCode::CaseChanged, &e),
            CaseError::Transition(_) => with_message(ErrorCode::InvalidTransition, &e),
            CaseError::Internal(e) => e.into(),
        }
    }
}

impl From<ReviewError> for AppError {
    fn from(e: ReviewError) -> Self {
        match e {
            ReviewError::Case(e) => e.into(),
            ReviewError::Invalid(problems) => AppError::invalid(problems),
            ReviewError::Calendar(_) => with_message(ErrorCode::CalendarYearMissing, &e),
            ReviewError::TaskNotFound => with_message(ErrorCode::TaskNotFound, &e),
            ReviewError::Task(t) => {
                use crate::domain::decision::TaskRefusal as T;
                let code = match t {
                    T::TakenByAnother => ErrorCode::TaskTaken,
                    T::AlreadyDone => ErrorCode::TaskDone,
                    T::Closed => ErrorCode::TaskClosed,
                    T::NotClaimed => ErrorCode::TaskNotClaimed,
                    T::CaseSuspended => ErrorCode::CaseSuspended,
                    T::NotInReview => ErrorCode::CaseNotInReview,
                };
                with_message(code, &t)
            }
        }
    }
}

impl From<ApplicationError> for AppError {
    fn from(e: ApplicationError) -> Self {
        use ApplicationError as A;
        let code = match &e {
            A::ItemOrBundle => ErrorCode::ItemOrBundle,
            A::UnknownItem(_) => ErrorCode::UnknownItem,
            A::Invalid(_) => ErrorCode::ValidationFailed,
            A::WindowOnly => ErrorCode::WindowOnly,
            A::NotFound => ErrorCode::ApplicationNotFound,
            A::UnknownMaterial(_) => ErrorCode::MaterialNotFound,
            A::NoUpload => ErrorCode::UploadNotFound,
            A::Upload { error, .. } => match error {
                UploadError::EmptyFile => ErrorCode::EmptyFile,
                UploadError::FileTooLarge { .. } => ErrorCode::FileTooLarge,
                UploadError::StorageQuotaExceeded { .. } => ErrorCode::StorageQuotaExceeded,
                UploadError::FileTypeNotAccepted { .. } => ErrorCode::FileTypeNotAccepted,
            },
            A::NotADraft => ErrorCode::NotADraft,
            A::TooManyDrafts => ErrorCode::TooManyDrafts,
            A::NotNamedInNotice(_) => ErrorCode::NotNamedInNotice,
            A::NotDeferred(_) => ErrorCode::NotDeferred,
            A::FixUpReplaceOnly => ErrorCode::FixUpReplaceOnly,
            A::NotInCorrection => ErrorCode::NotInCorrection,
            A::Changed => ErrorCode::CaseChanged,
            A::NotPermitted => ErrorCode::NotPermitted,
            A::OtherDepartment => ErrorCode::OtherDepartment,
            A::NotClaimable => ErrorCode::TrackNotFound,
            A::TooManyAttempts(_) => ErrorCode::TooManyAttempts,
            A::Internal(_) => ErrorCode::Internal,
        };
        match e {
            A::Invalid(problems) => AppError::invalid(problems),
            A::Internal(e) => e.into(),
            A::TooManyAttempts(after) => {
                with_message(code, &e).with_retry_after(after.max(1) as u64)
            }
            other => with_message(code, &other),
        }
    }
}

impl From<AccountError> for AppError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Invalid(problems) => AppError::invalid(problems),
            AccountError::MobileTaken => {
                AppError::new(ErrorCode::MobileTaken, "该手机号码已注册，请直接登录")
            }
            AccountError::InvalidCredentials => with_message(ErrorCode::InvalidCredentials, &e),
            AccountError::TooManyAttempts { retry_after } => {
                with_message(ErrorCode::TooManyAttempts, &e)
                    .with_retry_after(retry_after.max(1) as u64)
            }
            AccountError::Busy => with_message(ErrorCode::Busy, &e).with_retry_after(5),
            AccountError::Internal(e) => e.into(),
        }
    }
}

impl From<TrackError> for AppError {
    fn from(e: TrackError) -> Self {
        match e {
            TrackError::NotFound => AppError::new(
                ErrorCode::TrackNotFound,
                "办件编号或验证信息不正确。请核对收件凭证上的办件编号，并输入申请时填写的手机号码或凭证上的查询码。",
            ),
            TrackError::TooMany(after) => {
                with_message(ErrorCode::TooManyAttempts, &e).with_retry_after(after.max(1) as u64)
            }
            TrackError::Internal(e) => e.into(),
        }
    }
}

impl From<LicenceError> for AppError {
    fn from(e: LicenceError) -> Self {
        match e {
            LicenceError::NotFound => with_message(ErrorCode::LicenceNotFound, &e),
            LicenceError::TooMany(after) => {
                with_message(ErrorCode::TooManyAttempts, &e).with_retry_after(after.max(1) as u64)
            }
            LicenceError::Forbidden(_) => with_message(ErrorCode::NotPermitted, &e),
            LicenceError::AlreadyRevoked => with_message(ErrorCode::LicenceRevoked, &e),
            LicenceError::Invalid(problems) => AppError::invalid(problems),
            LicenceError::Internal(e) => e.into(),
        }
    }
}

impl From<CalendarError> for AppError {
    fn from(e: CalendarError) -> Self {
        match e {
            CalendarError::Invalid(problems) => AppError::invalid(problems),
            CalendarError::AdminOnly => with_message(ErrorCode::AdminOnly, &e),
            CalendarError::Internal(e) => e.into(),
        }
    }
}

/// Each service refusal answers the API through the one table above.
macro_rules! respond_through_app_error {
    ($($error:ty),+) => {
        $(impl IntoResponse for $error {
            fn into_response(self) -> Response {
                AppError::from(self).into_response()
            }
        })+
    };
}

respond_through_app_error!(
    CaseError,
    ReviewError,
    ApplicationError,
    AccountError,
    TrackError,
    CalendarError
);
