//! Applications as the pages see them, and their server functions. The JSON API
//! (`/api/v1/applications`) calls the same service; uploads go to the JSON API directly
//! (the browser sends the raw file there, with a progress bar).

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::account::FieldProblem;
use crate::domain::apply::{ApplicantForm, ApplicationForm, DraftContent, GuideRef};
use crate::domain::catalog::FileType;

/// A new draft: exactly one of `item` and `bundle`, and whatever was filled in so far.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDraft {
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub bundle: Option<String>,
    #[serde(default)]
    pub applicant: ApplicantForm,
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub bring_original: BTreeSet<String>,
}

/// An uploaded material.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UploadedMaterial {
    pub code: String,
    pub file_name: String,
    pub size: u64,
    pub file_type: FileType,
    pub sha256: String,
    pub uploaded_at: String,
}

/// An application as its applicant sees it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    /// 申请编号: the draft's number, used in addresses.
    pub number: String,
    /// `draft` or `submitted`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle: Option<String>,
    /// The item's or bundle's name.
    pub title: String,
    pub applicant: ApplicantForm,
    pub values: BTreeMap<String, String>,
    pub bring_original: BTreeSet<String>,
    pub materials: Vec<UploadedMaterial>,
    /// 办件编号, once submitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    /// 查询码 printed on the receipt: with the case number, it opens public tracking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_code: Option<String>,
    /// `online` once submitted here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Receipt time (RFC 3339), once submitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    /// The guide versions the case was submitted under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guides: Vec<GuideRef>,
    pub created_at: String,
    pub updated_at: String,
    /// The status in plain Chinese.
    #[serde(default)]
    pub status_label: String,
    /// Raised by every status change; a resubmission may name it.
    #[serde(default)]
    pub version: i32,
    /// Notices issued on the case, oldest first, exactly as printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<super::review::NoticeView>,
}

impl ApplicationView {
    /// The lines of the correction notice the applicant is to answer (empty unless the case
    /// waits for a fix-up).
    pub fn open_correction(&self) -> Vec<crate::domain::review::NoticeLine> {
        if self.status != "correction_requested" {
            return Vec::new();
        }
        self.notices
            .iter()
            .rev()
            .find(|n| n.notice.kind == crate::domain::review::NoticeKind::Correction)
            .map(|n| n.notice.lines.clone())
            .unwrap_or_default()
    }

    /// Whether the applicant may change `target` (`values.<key>`, `materials.<code>`,
    /// `applicant`): anything in a draft, only what the notice names in a fix-up.
    pub fn may_edit(&self, target: &str) -> bool {
        self.is_draft() || self.open_correction().iter().any(|l| l.target == target)
    }

    pub fn is_draft(&self) -> bool {
        self.status == "draft"
    }

    /// What is in the draft, as the form edits it.
    pub fn content(&self) -> DraftContent {
        DraftContent {
            applicant: self.applicant.clone(),
            values: self.values.clone(),
            bring_original: self.bring_original.clone(),
        }
    }
}

/// The Chinese name of a status.
pub fn status_label(status: &str) -> &'static str {
    crate::domain::review::CaseStatus::parse(status).map_or("办理中", |s| s.label())
}

/// Starts a draft for an item or a bundle; the inner `Err` is the message to show.
#[server(prefix = "/sf", endpoint = "applications/start")]
pub async fn start_application(
    item: Option<String>,
    bundle: Option<String>,
) -> Result<Result<String, String>, ServerFnError> {
    use crate::server::applications::{self, ApplicationError};
    let state = crate::server::state::expect_state()?;
    let Some(account) = signed_in().await? else {
        return Ok(Err("请先登录".into()));
    };
    let draft = NewDraft {
        item,
        bundle,
        ..Default::default()
    };
    match applications::create_draft(&state.db, account.id, &draft, chrono::Utc::now()).await {
        Ok(view) => Ok(Ok(view.number)),
        Err(ApplicationError::Internal(e)) => Err(internal(e)),
        Err(other) => Ok(Err(other.to_string())),
    }
}

/// An application of the signed-in applicant with its form; `None` if not theirs, not found,
/// or nobody is signed in.
#[server(prefix = "/sf", endpoint = "applications/load")]
pub async fn load_application(
    number: String,
) -> Result<Option<(ApplicationView, ApplicationForm)>, ServerFnError> {
    use crate::server::applications::{self, ApplicationError};
    let state = crate::server::state::expect_state()?;
    let found = match signed_in_who().await? {
        Some(who) => match applications::get_with_form(&state.db, who, &number).await {
            Ok(found) => found,
            Err(ApplicationError::Internal(e)) => return Err(internal(e)),
            Err(_) => None,
        },
        None => None,
    };
    if found.is_none() {
        crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    }
    Ok(found)
}

/// Saves a draft; the inner `Err` lists what cannot be saved (not what is merely incomplete).
#[server(prefix = "/sf", endpoint = "applications/save")]
pub async fn save_draft(
    number: String,
    content: DraftContent,
) -> Result<Result<String, Vec<FieldProblem>>, ServerFnError> {
    use crate::server::applications::{self, ApplicationError};
    let state = crate::server::state::expect_state()?;
    let Some(who) = signed_in_who().await? else {
        return Ok(Err(vec![session_problem()]));
    };
    match applications::update_draft(&state.db, who, &number, &content, chrono::Utc::now()).await {
        Ok(view) => Ok(Ok(view.updated_at)),
        Err(ApplicationError::Invalid(problems)) => Ok(Err(problems)),
        Err(ApplicationError::Internal(e)) => Err(internal(e)),
        Err(other) => Ok(Err(vec![FieldProblem {
            field: String::new(),
            code: "not_saved".into(),
            message: other.to_string(),
        }])),
    }
}

/// Submits a draft; the inner `Err` lists every problem, by field path, as the server found
/// them (the same list the browser's own check gives).
#[server(prefix = "/sf", endpoint = "applications/submit")]
pub async fn submit_application(
    number: String,
) -> Result<Result<ApplicationView, Vec<FieldProblem>>, ServerFnError> {
    use crate::server::applications::{self, ApplicationError};
    let state = crate::server::state::expect_state()?;
    let Some(who) = signed_in_who().await? else {
        return Ok(Err(vec![session_problem()]));
    };
    match applications::submit(&state.db, who, &number, chrono::Utc::now()).await {
        Ok(view) => Ok(Ok(view)),
        Err(ApplicationError::Invalid(problems)) => Ok(Err(problems)),
        Err(ApplicationError::Internal(e)) => Err(internal(e)),
        Err(other) => Ok(Err(vec![FieldProblem {
            field: String::new(),
            code: "not_submitted".into(),
            message: other.to_string(),
        }])),
    }
}

/// The signed-in applicant's applications; `None` when nobody is signed in.
#[server(prefix = "/sf", endpoint = "applications/mine")]
pub async fn my_applications() -> Result<Option<Vec<ApplicationView>>, ServerFnError> {
    let state = crate::server::state::expect_state()?;
    let Some(account) = signed_in().await? else {
        return Ok(None);
    };
    crate::server::applications::list(&state.db, account.id)
        .await
        .map(Some)
        .map_err(|e| internal(anyhow::anyhow!(e)))
}

/// Deletes a draft; the inner `Err` is the message to show.
#[server(prefix = "/sf", endpoint = "applications/delete")]
pub async fn delete_application(number: String) -> Result<Result<(), String>, ServerFnError> {
    use crate::server::applications::{self, ApplicationError};
    let state = crate::server::state::expect_state()?;
    let Some(account) = signed_in().await? else {
        return Ok(Err(session_problem().message));
    };
    match applications::delete_draft(&state.db, &state.materials, account.id, &number).await {
        Ok(()) => Ok(Ok(())),
        Err(ApplicationError::Internal(e)) => Err(internal(e)),
        Err(other) => Ok(Err(other.to_string())),
    }
}

/// Removes an uploaded material from a draft; the inner `Err` is the message to show.
#[server(prefix = "/sf", endpoint = "applications/delete-material")]
pub async fn delete_material(
    number: String,
    code: String,
) -> Result<Result<(), String>, ServerFnError> {
    use crate::server::applications::{self, ApplicationError};
    let state = crate::server::state::expect_state()?;
    let Some(who) = signed_in_who().await? else {
        return Ok(Err(session_problem().message));
    };
    match applications::delete_upload(&state.db, &state.materials, who, &number, &code).await {
        Ok(()) => Ok(Ok(())),
        Err(ApplicationError::Internal(e)) => Err(internal(e)),
        Err(other) => Ok(Err(other.to_string())),
    }
}

/// Resubmits a case after a correction notice; the inner `Err` lists every problem (lines of
/// the notice left unchanged, and whatever submission would report).
#[server(prefix = "/sf", endpoint = "applications/resubmit")]
pub async fn resubmit_application(
    number: String,
    version: i32,
) -> Result<Result<ApplicationView, Vec<FieldProblem>>, ServerFnError> {
    use crate::server::applications::{self, ApplicationError};
    let state = crate::server::state::expect_state()?;
    let Some(who) = signed_in_who().await? else {
        return Ok(Err(vec![session_problem()]));
    };
    match applications::resubmit(&state.db, who, &number, Some(version), chrono::Utc::now()).await {
        Ok(view) => Ok(Ok(view)),
        Err(ApplicationError::Invalid(problems)) => Ok(Err(problems)),
        Err(ApplicationError::Internal(e)) => Err(internal(e)),
        Err(other) => Ok(Err(vec![FieldProblem {
            field: String::new(),
            code: "not_submitted".into(),
            message: other.to_string(),
        }])),
    }
}

/// The applicant of the request, or else the staff member (working on their own in-hall
/// intake with the same pages).
#[cfg(feature = "ssr")]
pub(crate) async fn signed_in_who()
-> Result<Option<crate::server::applications::Who>, ServerFnError> {
    use crate::server::applications::Who;
    if let Some(account) = signed_in().await? {
        return Ok(Some(Who::Applicant(account.id)));
    }
    Ok(super::review::signed_in_staff()
        .await?
        .map(|me| Who::Staff(me.id)))
}

#[cfg(feature = "ssr")]
fn session_problem() -> FieldProblem {
    FieldProblem {
        field: String::new(),
        code: "not_logged_in".into(),
        message: "登录已过期，请重新登录（已填写的内容保存在本机）".into(),
    }
}

#[cfg(feature = "ssr")]
pub(crate) async fn signed_in() -> Result<Option<crate::domain::account::AccountInfo>, ServerFnError>
{
    let state = crate::server::state::expect_state()?;
    let Some(token) = super::accounts::session_token().await else {
        return Ok(None);
    };
    crate::server::accounts::authenticate(&state.db, &token, chrono::Utc::now())
        .await
        .map_err(internal)
}

#[cfg(feature = "ssr")]
fn internal(err: anyhow::Error) -> ServerFnError {
    let id = crate::server::state::incident_id();
    tracing::error!(incident = %id, error = ?err, "application request failed");
    ServerFnError::ServerError(format!("系统繁忙，请稍后再试（事件编号 {id}）"))
}
