//! The public catalog as the pages and the JSON API see it.
//! Wire types only: the server functions are in `api`, the services in `server`.

use serde::{Deserialize, Serialize};

use crate::domain::bundle::MergedApplication;
use crate::domain::catalog::{
    Bundle, CaseKind, ConstructionStage, ItemType, OnlineDepth, ServiceItem,
};

/// Longest search text accepted; longer input is cut, not refused.
pub const MAX_QUERY_CHARS: usize = 50;

/// Filters of the catalog list. Every filter is optional.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct ItemFilter {
    /// Part of an item's name or implementation code.
    pub q: Option<String>,
    /// A department code.
    pub department: Option<String>,
    /// An item type (`administrative_license`, …).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub item_type: Option<String>,
    /// An online depth (`fully_online`, `online_precheck`, `window_only`).
    pub depth: Option<String>,
}

impl ItemFilter {
    /// The search text, trimmed and cut to [`MAX_QUERY_CHARS`]; `None` when blank.
    pub fn query(&self) -> Option<String> {
        let q = self.q.as_deref()?.trim();
        (!q.is_empty()).then(|| q.chars().take(MAX_QUERY_CHARS).collect())
    }

    /// The first filter value that names nothing known, as (parameter, value).
    pub fn unknown_value(&self) -> Option<(&'static str, String)> {
        match (&self.item_type, &self.depth) {
            (Some(t), _) if !t.is_empty() && ItemType::parse(t).is_none() => {
                Some(("type", t.clone()))
            }
            (_, Some(d)) if !d.is_empty() && OnlineDepth::parse(d).is_none() => {
                Some(("depth", d.clone()))
            }
            _ => None,
        }
    }
}

/// One line of the catalog list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemSummary {
    pub code: String,
    pub name: String,
    pub item_type: ItemType,
    pub department: String,
    pub department_name: String,
    pub case_kind: CaseKind,
    pub online_depth: OnlineDepth,
    pub statutory_limit_days: u32,
    pub promised_limit_days: u32,
    pub visits: u32,
    /// The guide version in force.
    pub version: u32,
}

/// A department, as listed in filters and guides.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepartmentInfo {
    pub code: String,
    pub name: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// Items this department carries out.
    pub item_count: u32,
}

/// A version of a guide in the history of an item.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GuideVersion {
    pub version: u32,
    /// RFC 3339 time of the import that made this version.
    pub imported_at: String,
    pub content_hash: String,
}

/// A bundle an item belongs to, as linked from its guide.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BundleRef {
    pub code: String,
    pub name: String,
    pub stage: Option<ConstructionStage>,
}

/// The full guide (办事指南) of an item, in the version in force.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemGuide {
    /// The item exactly as in the catalog file.
    pub item: ServiceItem,
    pub version: u32,
    pub updated_at: String,
    pub department: DepartmentInfo,
    pub co_departments: Vec<DepartmentInfo>,
    /// Every version of this guide, newest first.
    pub history: Vec<GuideVersion>,
    pub bundles: Vec<BundleRef>,
}

/// A bundle with its items and its one form and one set of materials.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BundleView {
    /// The bundle exactly as in the catalog file.
    pub bundle: Bundle,
    pub version: u32,
    pub lead_department: DepartmentInfo,
    pub items: Vec<ItemSummary>,
    pub application: MergedApplication,
}

/// A line of the bundle list.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BundleSummary {
    pub code: String,
    pub name: String,
    pub description: String,
    pub stage: Option<ConstructionStage>,
    pub lead_department_name: String,
    pub promised_limit_days: u32,
    pub item_count: u32,
    pub version: u32,
}
