//! 电子证照 as the pages and the JSON API see them: a licence, what verifying one found, the
//! public register, and the revocation body.

use serde::{Deserialize, Serialize};

use crate::domain::date::Date;
use crate::domain::licence::{HolderKind, LicenceLine, Revocation, RevocationKind, Verdict};

/// A licence as shown. On the public register and to anyone verifying it, a person holder's
/// name and ID number are masked; the holder and staff see them whole.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LicenceView {
    pub number: String,
    /// 证照名称.
    pub name: String,
    pub holder_kind: HolderKind,
    pub holder_name: String,
    pub holder_id_number: String,
    pub item_code: String,
    pub item_name: String,
    pub department_name: String,
    pub issued_on: Date,
    /// `None`: 长期有效.
    pub valid_until: Option<Date>,
    /// The form values printed on it (not on the register).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<LicenceLine>,
    pub conditions: Option<String>,
    /// 注销 / 撤销, once ended.
    pub revocation: Option<Revocation>,
    /// The case it was granted on (holder and staff only).
    pub case_number: Option<String>,
    /// The check code printed on it (holder and staff only).
    pub check_code: Option<String>,
    /// Where its QR code leads: the verify page with number and check code (holder and staff
    /// only).
    pub verify_url: Option<String>,
    /// The QR code as SVG (holder and staff only).
    pub qr_svg: Option<String>,
}

/// What verifying a licence found: the verdict, in words, and the licence when it could be
/// read.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LicenceCheck {
    pub verdict: Verdict,
    /// The verdict's stable code (`valid`, `tampered`, `revoked`, …).
    pub code: String,
    pub message: String,
    pub licence: Option<LicenceView>,
}

impl LicenceCheck {
    pub fn of(verdict: Verdict, licence: Option<LicenceView>) -> Self {
        LicenceCheck {
            code: verdict.code().into(),
            message: verdict.message(),
            verdict,
            licence,
        }
    }
}

/// The public register's filter (第四十条: granted licences are public).
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct RegisterFilter {
    /// 实施编码 of the item.
    pub item: Option<String>,
    /// The issuing department's code.
    pub department: Option<String>,
    /// Words in the holder's name or the licence number.
    pub q: Option<String>,
    pub page: Option<i32>,
}

/// A page of the public register, newest first.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Register {
    pub entries: Vec<LicenceView>,
    pub paging: super::backoffice::Paging,
}

/// Licences on a register page.
pub const REGISTER_PAGE: u64 = 20;

/// 注销 / 撤销 of a licence by its department's chief representative.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeAction {
    pub kind: RevocationKind,
    #[serde(default)]
    pub reason: String,
}
