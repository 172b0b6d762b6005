//! Notices (通知书): every one numbered per kind and year, printable, kept as issued.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::labels::labelled_enum;

labelled_enum! {
    /// The kinds of notice a case gets; the label is the document's title.
    NoticeKind {
        Acceptance = "acceptance", "受理通知书";
        DeficiencyAcceptance = "deficiency_acceptance", "容缺受理通知书";
        Rejection = "rejection", "不予受理通知书";
        Correction = "correction", "补齐补正材料一次性告知书";
        /// 特别程序告知书: a special procedure starts, its time not counted.
        Suspension = "suspension", "特别程序告知书";
        /// 恢复计时告知书: the special procedure ended.
        Resumption = "resumption", "恢复计时告知书";
        /// 延长办理期限告知书.
        Extension = "extension", "延长办理期限告知书";
        /// 准予行政许可决定书 (one item granted).
        Grant = "grant", "准予行政许可决定书";
        /// 不予行政许可决定书 (one item refused): reason, basis and remedies.
        Refusal = "refusal", "不予行政许可决定书";
        /// 一件事: one decision listing every item's result (统一出件).
        BundleDecision = "bundle_decision", "行政许可决定书（一件事一次办）";
        /// 撤回申请确认书.
        Withdrawal = "withdrawal", "撤回申请确认书";
    }
}

impl NoticeKind {
    /// The document's title.
    pub fn title(self) -> &'static str {
        self.label()
    }

    /// The word in its number, e.g. 〔2026〕受字第 000001 号.
    pub fn number_word(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "受",
            NoticeKind::DeficiencyAcceptance => "容",
            NoticeKind::Rejection => "不受",
            NoticeKind::Correction => "补",
            NoticeKind::Suspension => "特",
            NoticeKind::Resumption => "复",
            NoticeKind::Extension => "延",
            NoticeKind::Grant => "准许",
            NoticeKind::Refusal => "不许",
            NoticeKind::BundleDecision => "许决",
            NoticeKind::Withdrawal => "撤",
        }
    }
}

/// A line of a notice as printed: the guide's own name, specification and quantity.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeLine {
    /// `materials.<code>` or `values.<key>`.
    pub target: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub specification: String,
    pub quantity: Option<u32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// A notice's number: `〔2026〕受字第 000001 号`, numbered per kind and year.
pub fn notice_number(kind: NoticeKind, year: i32, seq: u32) -> String {
    format!("〔{year}〕{}字第 {seq:06} 号", kind.number_word())
}

/// A notice as issued: everything printed on it, kept as it was on the day.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub number: String,
    pub kind: NoticeKind,
    pub case_number: String,
    /// The item's or bundle's name.
    pub title: String,
    pub applicant_name: String,
    pub department_name: String,
    pub issued_on: Date,
    /// The staff member's name, or 系统 for a deemed acceptance.
    pub issued_by: String,
    pub received_on: Option<Date>,
    pub accepted_on: Option<Date>,
    pub promised_due: Option<Date>,
    /// Acceptance by operation of law (rule 3).
    #[serde(default)]
    pub deemed: bool,
    /// Correction: what to supply or fix. 容缺: what is to follow.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<NoticeLine>,
    pub commitment_date: Option<Date>,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    /// Special procedure: its name (听证, 检验, …).
    pub procedure: Option<String>,
    /// Special procedure: the day it started, and (resumption) the day it ended.
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    /// Extension: working days added, and who approved it.
    pub extension_days: Option<u32>,
    pub approver: Option<String>,
    /// A decision: each item's result, as printed (one line for a single item).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<DecisionLine>,
    /// A decision refusing any item: the remedies and their last days.
    pub remedies: Option<Remedies>,
}

/// One item's result on a decision notice.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionLine {
    pub item_code: String,
    pub item_name: String,
    pub department_name: String,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub legal_basis: Option<String>,
    pub conditions: Option<String>,
    /// The item's result document (e.g. 建筑工程施工许可证), for a grant.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub result_name: String,
}

labelled_enum! {
    /// What an item's decision is (审查决定), as the decision notice prints it.
    Outcome {
        Grant = "grant", "准予行政许可";
        Refuse = "refuse", "不予行政许可";
    }
}

/// The remedies a refusal must state (《行政许可法》第三十八条), counted in calendar days
/// from the day the applicant receives the decision (《民法典》第二百零一、二百零二条: the
/// day itself is not counted; a period of months ends on the same day of the last month, or
/// that month's last day).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Remedies {
    /// The day the periods are counted from (the notice's day, when delivered that day).
    pub received_on: Date,
    /// Last day to apply for administrative reconsideration (《行政复议法》第二十条).
    pub reconsideration_by: Date,
    /// Last day to bring an administrative lawsuit (《行政诉讼法》第四十六条).
    pub lawsuit_by: Date,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_numbers_carry_kind_year_and_sequence() {
        assert_eq!(
            notice_number(NoticeKind::Acceptance, 2026, 1),
            "〔2026〕受字第 000001 号"
        );
        assert_eq!(
            notice_number(NoticeKind::Rejection, 2026, 42),
            "〔2026〕不受字第 000042 号"
        );
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(k));
        }
    }
}
