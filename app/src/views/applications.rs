//! Applications as the pages and the JSON API see them.
//! Wire types only: the server functions are in `api`, the services in `server`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::domain::case::{CaseStatus, Channel};

use crate::domain::apply::{ApplicantForm, DraftContent, GuideRef};
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
    #[serde(default)]
    pub delivery: crate::domain::delivery::DeliveryForm,
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

/// A draft as just saved: when, and the version a resubmission names.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SavedDraft {
    pub updated_at: String,
    pub version: i32,
}

/// An application as its applicant sees it.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApplicationView {
    /// 申请编号: the draft's number, used in addresses.
    pub number: String,
    pub status: CaseStatus,
    pub item: Option<String>,
    pub bundle: Option<String>,
    /// The item's or bundle's name.
    pub title: String,
    pub applicant: ApplicantForm,
    pub values: BTreeMap<String, String>,
    pub bring_original: BTreeSet<String>,
    /// How the applicant will receive the result (送达方式).
    #[serde(default)]
    pub delivery: crate::domain::delivery::DeliveryForm,
    pub materials: Vec<UploadedMaterial>,
    /// 办件编号, once submitted.
    pub case_number: Option<String>,
    /// 查询码 printed on the receipt: with the case number, it opens public tracking.
    pub tracking_code: Option<String>,
    /// `online` or `window` once submitted.
    pub channel: Option<Channel>,
    /// Receipt time (RFC 3339), once submitted.
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
    /// Notices issued on the case, oldest first, exactly as printed. A draft has none, and
    /// the draft's form's wasm (feature `apply`) does not read them: reading a notice is some
    /// 6 KB of the page it downloads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        all(feature = "apply", not(feature = "ssr")),
        serde(skip_deserializing)
    )]
    pub notices: Vec<super::notice::NoticeView>,
}

impl ApplicationView {
    /// The uploaded materials by their codes.
    pub fn uploads(&self) -> BTreeMap<String, UploadedMaterial> {
        let by_code = self.materials.iter().map(|m| (m.code.clone(), m.clone()));
        by_code.collect()
    }

    /// The lines of the correction notice the applicant is to answer (empty unless the case
    /// waits for a fix-up).
    pub fn open_correction(&self) -> Vec<crate::domain::review::NoticeLine> {
        if self.status != CaseStatus::CorrectionRequested {
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
        self.status == CaseStatus::Draft
    }

    /// What is in the draft, as the form edits it.
    pub fn content(&self) -> DraftContent {
        DraftContent {
            applicant: self.applicant.clone(),
            values: self.values.clone(),
            bring_original: self.bring_original.clone(),
            delivery: self.delivery.clone(),
        }
    }
}
