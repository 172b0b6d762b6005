//! The one error type of the product: what the JSON API answers (as
//! `application/problem+json`), what a server function returns to a page, and what the page
//! shows. A refusal has a stable [`ErrorCode`], its HTTP status, a message in Chinese and,
//! for `validation_failed`, every field problem; so it reads the same in the browser, in the
//! API and at the window. An internal failure is logged with its cause and shown only as
//! "系统繁忙" with an incident id.

use serde::{Deserialize, Serialize};

use crate::domain::account::FieldProblem;

macro_rules! error_codes {
    ($($(#[$meta:meta])* $variant:ident = $wire:tt, $status:literal;)+) => {
        /// A stable, machine-readable error code; clients match on it, never on the message.
        #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        // Read and written through `parse`/`as_str` (one match each; smaller wasm than serde's
        // enum visitors). An unknown code from a newer server reads as `internal`.
        #[serde(into = "&'static str", from = "String")]
        pub enum ErrorCode {
            $($(#[$meta])* #[serde(rename = $wire)] $variant,)+
        }

        impl ErrorCode {
            /// The code as the API writes it.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $wire),+ }
            }

            /// The code with this wire name; `Internal` for one this build does not know.
            pub fn parse(s: &str) -> Self {
                match s { $($wire => ErrorCode::$variant,)+ _ => ErrorCode::Internal }
            }

            /// The HTTP status that goes with the code.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status),+ }
            }
        }
    };
}

error_codes! {
    // Requests.
    NotFound = "not_found", 404;
    InvalidJson = "invalid_json", 400;
    InvalidQuery = "invalid_query", 400;
    InvalidFilter = "invalid_filter", 400;
    /// A path segment, header or body the API could not read (e.g. a number that is not one).
    BadRequest = "bad_request", 400;
    MethodNotAllowed = "method_not_allowed", 405;
    PayloadTooLarge = "payload_too_large", 413;
    UnsupportedMediaType = "unsupported_media_type", 415;
    /// A state-changing request sent by a page of another site (cross-site request forgery).
    CrossSite = "cross_site", 403;
    /// One or more field problems, all listed in `errors`.
    ValidationFailed = "validation_failed", 422;
    // The catalog.
    ItemNotFound = "item_not_found", 404;
    BundleNotFound = "bundle_not_found", 404;
    VersionNotFound = "version_not_found", 404;
    // Accounts and sessions.
    MobileTaken = "mobile_taken", 409;
    InvalidCredentials = "invalid_credentials", 401;
    /// With `retry_after` seconds.
    TooManyAttempts = "too_many_attempts", 429;
    NotLoggedIn = "not_logged_in", 401;
    AdminOnly = "admin_only", 403;
    // Applications.
    ItemOrBundle = "item_or_bundle", 422;
    UnknownItem = "unknown_item", 422;
    WindowOnly = "window_only", 422;
    ApplicationNotFound = "application_not_found", 404;
    NotADraft = "not_a_draft", 409;
    MaterialNotFound = "material_not_found", 404;
    UploadNotFound = "upload_not_found", 404;
    EmptyFile = "empty_file", 422;
    FileTypeNotAccepted = "file_type_not_accepted", 422;
    FileTooLarge = "file_too_large", 413;
    /// The applicant's drafts and fix-ups would hold more uploaded bytes than allowed.
    StorageQuotaExceeded = "storage_quota_exceeded", 413;
    TooManyDrafts = "too_many_drafts", 409;
    UploadIncomplete = "upload_incomplete", 400;
    NotNamedInNotice = "not_named_in_notice", 409;
    FixUpReplaceOnly = "fix_up_replace_only", 409;
    NotInCorrection = "not_in_correction", 409;
    /// After acceptance only the 容缺 materials still outstanding take uploads.
    NotDeferred = "not_deferred", 409;
    // Cases at the window.
    /// Another action won, or the version sent is stale: reload.
    CaseChanged = "case_changed", 409;
    CaseNotFound = "case_not_found", 404;
    NotAReviewer = "not_a_reviewer", 403;
    NotPermitted = "not_permitted", 403;
    OtherDepartment = "other_department", 403;
    InvalidTransition = "invalid_transition", 409;
    CalendarYearMissing = "calendar_year_missing", 422;
    NoticeNotFound = "notice_not_found", 404;
    // The back office.
    TaskNotFound = "task_not_found", 404;
    /// Another reviewer signed for the task first.
    TaskTaken = "task_taken", 409;
    TaskDone = "task_done", 409;
    /// The application was withdrawn: its tasks ended.
    TaskClosed = "task_closed", 409;
    TaskNotClaimed = "task_not_claimed", 409;
    CaseSuspended = "case_suspended", 409;
    CaseNotInReview = "case_not_in_review", 409;
    YearMismatch = "year_mismatch", 422;
    // Tracking.
    TrackNotFound = "track_not_found", 404;
    // Licences.
    LicenceNotFound = "licence_not_found", 404;
    LicenceRevoked = "licence_revoked", 409;
    /// Too many password checks at once: try again in a few seconds (with `retry_after`).
    Busy = "busy", 503;
    // Everything else: the cause is in the log under the incident id in the message.
    Internal = "internal", 500;
    /// The browser could not reach the server, or could not read its answer; never sent by
    /// the server.
    Network = "network", 503;
}

impl From<ErrorCode> for &'static str {
    fn from(code: ErrorCode) -> Self {
        code.as_str()
    }
}

impl From<String> for ErrorCode {
    fn from(wire: String) -> Self {
        ErrorCode::parse(&wire)
    }
}

/// A refusal or a failure, as every client sees it. Boxed: a page's every `Result<T, AppError>`
/// stays small (it is moved and matched in much generated view code).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(transparent)]
pub struct AppError(Box<ErrorBody>);

/// What an [`AppError`] says.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// What went wrong, in Chinese, ready to show.
    pub message: String,
    /// With `validation_failed`: every field problem.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<FieldProblem>,
    /// With `too_many_attempts`: seconds to wait.
    pub retry_after: Option<u64>,
}

impl std::ops::Deref for AppError {
    type Target = ErrorBody;

    fn deref(&self) -> &ErrorBody {
        &self.0
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// An error with its code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError(Box::new(ErrorBody {
            code,
            message: message.into(),
            problems: Vec::new(),
            retry_after: None,
        }))
    }

    /// `validation_failed`, listing every field problem at once.
    pub fn invalid(problems: Vec<FieldProblem>) -> Self {
        let mut e = Self::new(ErrorCode::ValidationFailed, "请按提示修改后重新提交");
        e.0.problems = problems;
        e
    }

    /// The same error, saying this instead.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.0.message = message.into();
        self
    }

    /// The same error, with the seconds to wait before trying again.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.0.retry_after = Some(seconds);
        self
    }

    /// Whether the failure is the system's or the network's, not a refusal of the request.
    pub fn is_failure(&self) -> bool {
        matches!(self.code, ErrorCode::Internal | ErrorCode::Network)
    }

    /// The message, to show.
    pub fn into_message(self) -> String {
        self.0.message
    }

    /// Everything the error says.
    pub fn into_body(self) -> ErrorBody {
        *self.0
    }

    /// The field problems to show beside the fields, or the message as one problem without
    /// a field (shown at the top), so a form has one list to render.
    pub fn into_problems(self) -> Vec<FieldProblem> {
        let body = *self.0;
        if body.problems.is_empty() {
            vec![FieldProblem {
                field: String::new(),
                code: body.code.as_str().into(),
                message: body.message,
            }]
        } else {
            body.problems
        }
    }
}

/// Failures of the transport itself (the network, an unreadable answer), which the server
/// never sends: shown as they are, with the `internal` code.
impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        // The cause is not shown (nor formatted: that would ship every variant's wording to
        // the browser); the server logs its own failures with an incident id.
        match value {
            E::Request(_) | E::Response(_) => {
                AppError::new(ErrorCode::Network, "网络连接中断，请检查网络后重试")
            }
            _ => AppError::new(ErrorCode::Internal, "系统繁忙，请稍后再试"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_wire_names_and_statuses() {
        assert_eq!(ErrorCode::CaseChanged.as_str(), "case_changed");
        assert_eq!(ErrorCode::CaseChanged.status(), 409);
        assert_eq!(ErrorCode::FileTooLarge.status(), 413);
        let json = serde_json::to_string(&AppError::new(ErrorCode::NotAReviewer, "x")).unwrap();
        assert_eq!(json, r#"{"code":"not_a_reviewer","message":"x"}"#);
    }

    #[test]
    fn a_refusal_without_fields_is_one_problem_to_show() {
        let p = AppError::new(ErrorCode::CaseChanged, "请刷新").into_problems();
        assert_eq!(p.len(), 1);
        assert_eq!(
            (p[0].field.as_str(), p[0].code.as_str()),
            ("", "case_changed")
        );
    }
}
