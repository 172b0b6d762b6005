//! Applications as the pages see them, and their server functions. The JSON API
//! (`/api/v1/applications`) calls the same service; uploads go to the JSON API directly
//! (the browser sends the raw file there, with a progress bar).

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::apply::{ApplicantForm, ApplicationForm, DraftContent, GuideRef};
use crate::domain::catalog::FileType;
use crate::error::AppError;

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

/// Starts a draft for an item or a bundle; answers with its number.
#[server(prefix = "/sf", endpoint = "applications/start")]
pub async fn start_application(
    item: Option<String>,
    bundle: Option<String>,
) -> Result<String, AppError> {
    use crate::server::auth::{Applicant, extract};
    use crate::server::error::refused;
    let Applicant(account) = extract().await?;
    let state = crate::server::state::expect_state()?;
    let draft = NewDraft {
        item,
        bundle,
        ..Default::default()
    };
    crate::server::applications::create_draft(&state.db, account.id, &draft, chrono::Utc::now())
        .await
        .map(|view| view.number)
        .map_err(refused)
}

/// An application of the signed-in applicant (or the staff member's intake) with its form;
/// `None` if not theirs, not found, or nobody is signed in.
#[server(prefix = "/sf", endpoint = "applications/load")]
pub async fn load_application(
    number: String,
) -> Result<Option<(ApplicationView, ApplicationForm)>, AppError> {
    use crate::server::applications::Who;
    use crate::server::applications::{self, ApplicationError};
    use crate::server::auth::{MaybeApplicant, MaybeStaff, extract};
    let state = crate::server::state::expect_state()?;
    let who = match extract().await? {
        MaybeApplicant(Some(account)) => Some(Who::Applicant(account.id)),
        MaybeApplicant(None) => extract::<MaybeStaff>().await?.0.map(|me| Who::Staff(me.id)),
    };
    let found = match who {
        Some(who) => match applications::get_with_form(&state.db, who, &number).await {
            Ok(found) => found,
            Err(ApplicationError::Internal(e)) => return Err(e.into()),
            Err(_) => None,
        },
        None => None,
    };
    if found.is_none() {
        crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    }
    Ok(found)
}

/// Saves a draft; a refusal lists what cannot be saved (not what is merely incomplete).
/// Answers with the time it was saved.
#[server(prefix = "/sf", endpoint = "applications/save")]
pub async fn save_draft(number: String, content: DraftContent) -> Result<String, AppError> {
    use crate::server::auth::{Someone, extract};
    let Someone(who) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::applications::update_draft(&state.db, who, &number, &content, chrono::Utc::now())
        .await
        .map(|view| view.updated_at)
        .map_err(crate::server::error::refused)
}

/// Submits a draft; a refusal lists every problem, by field path, as the server found them
/// (the same list the browser's own check gives).
#[server(prefix = "/sf", endpoint = "applications/submit")]
pub async fn submit_application(number: String) -> Result<ApplicationView, AppError> {
    use crate::server::auth::{Someone, extract};
    let Someone(who) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::applications::submit(&state.db, who, &number, chrono::Utc::now())
        .await
        .map_err(crate::server::error::refused)
}

/// The signed-in applicant's applications; `None` when nobody is signed in.
#[server(prefix = "/sf", endpoint = "applications/mine")]
pub async fn my_applications() -> Result<Option<Vec<ApplicationView>>, AppError> {
    use crate::server::auth::{MaybeApplicant, extract};
    let MaybeApplicant(account) = extract().await?;
    let Some(account) = account else {
        return Ok(None);
    };
    let state = crate::server::state::expect_state()?;
    Ok(Some(
        crate::server::applications::list(&state.db, account.id).await?,
    ))
}

/// Deletes a draft.
#[server(prefix = "/sf", endpoint = "applications/delete")]
pub async fn delete_application(number: String) -> Result<(), AppError> {
    use crate::server::applications::Who;
    use crate::server::auth::{Applicant, extract};
    let Applicant(account) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::applications::delete_draft(
        &state.db,
        &state.materials,
        Who::Applicant(account.id),
        &number,
    )
    .await
    .map_err(crate::server::error::refused)
}

/// Removes an uploaded material from a draft.
#[server(prefix = "/sf", endpoint = "applications/delete-material")]
pub async fn delete_material(number: String, code: String) -> Result<(), AppError> {
    use crate::server::auth::{Someone, extract};
    let Someone(who) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::applications::delete_upload(&state.db, &state.materials, who, &number, &code)
        .await
        .map_err(crate::server::error::refused)
}

/// Resubmits a case after a correction notice; a refusal lists every problem (lines of the
/// notice left unchanged, and whatever submission would report).
#[server(prefix = "/sf", endpoint = "applications/resubmit")]
pub async fn resubmit_application(
    number: String,
    version: i32,
) -> Result<ApplicationView, AppError> {
    use crate::server::auth::{Someone, extract};
    let Someone(who) = extract().await.map_err(session_expired)?;
    let state = crate::server::state::expect_state()?;
    crate::server::applications::resubmit(
        &state.db,
        who,
        &number,
        Some(version),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::server::error::refused)
}

/// On the application pages a lost session means it expired while filling in: say so, and
/// that nothing typed is lost.
#[cfg(feature = "ssr")]
fn session_expired(e: AppError) -> AppError {
    match e.code {
        crate::error::ErrorCode::NotLoggedIn => AppError {
            message: "登录已过期，请重新登录（已填写的内容保存在本机）".into(),
            ..e
        },
        _ => e,
    }
}
