//! Applications: their numbers, and what a draft may hold.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::account::FieldProblem;
use super::apply::DraftContent;
use super::date::Date;

/// Crockford's base32: no I, L, O or U, so a number read aloud at a window is not misheard.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random characters in a number: 10 × 5 = 50 bits, so knowing one number tells nothing
/// about any other, and guessing one is hopeless.
pub const RANDOM_CHARS: usize = 10;

/// Most form values a draft may hold, and longest value, so a draft cannot grow without bound.
pub const MAX_DRAFT_VALUES: usize = 300;
pub const MAX_DRAFT_VALUE_CHARS: usize = 5000;
/// Most materials a draft may promise to bring as originals, and longest material code.
pub const MAX_BRING_ORIGINAL: usize = 100;
const MAX_MATERIAL_CODE_CHARS: usize = 64;

/// 办件编号: `OW`, the date of creation (`YYYYMMDD`), then 10 random base32 characters,
/// e.g. `OW20261121K7Q2M9X4TD`. The number a draft gets is kept when it is submitted.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(try_from = "String", into = "String")]
pub struct ApplicationNumber(String);

impl ApplicationNumber {
    /// A new number for `date` from 7 random bytes (50 of their bits are used).
    pub fn new(date: Date, random: [u8; 7]) -> Self {
        let mut bits = random
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut tail = [0u8; RANDOM_CHARS];
        for c in tail.iter_mut().rev() {
            *c = CROCKFORD[(bits & 31) as usize];
            bits >>= 5;
        }
        let tail = String::from_utf8_lossy(&tail).into_owned();
        ApplicationNumber(format!(
            "OW{:04}{:02}{:02}{tail}",
            date.year(),
            date.month(),
            date.day()
        ))
    }

    /// Reads a number as printed; lower case is accepted. `None` if it cannot be one.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        // Bytes, not characters: a full-width digit typed by an input method is three bytes
        // and would otherwise split a character (and panic) when the date is cut out.
        let ok = b.len() == 2 + 8 + RANDOM_CHARS
            && s.is_ascii()
            && s.starts_with("OW")
            && s.get(2..10).and_then(Date::parse_compact).is_some()
            && b[10..].iter().all(|c| CROCKFORD.contains(c));
        ok.then_some(ApplicationNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ApplicationNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        ApplicationNumber::parse(&s).ok_or_else(|| format!("not an application number: {s}"))
    }
}

impl From<ApplicationNumber> for String {
    fn from(n: ApplicationNumber) -> String {
        n.0
    }
}

/// Whether draft values are within the size limits (a draft is otherwise free to be
/// incomplete or wrong: the full check runs on submission). Returns the offending key.
pub fn check_draft_size(values: &BTreeMap<String, String>) -> Result<(), Option<String>> {
    if values.len() > MAX_DRAFT_VALUES {
        return Err(None);
    }
    match values
        .iter()
        .find(|(k, v)| k.chars().count() > 64 || v.chars().count() > MAX_DRAFT_VALUE_CHARS)
    {
        Some((k, _)) => Err(Some(k.clone())),
        None => Ok(()),
    }
}

/// A draft may be incomplete or wrong (the full check runs on submission), but it only holds
/// keys of its form (`keys`), within the size limits. Every problem at once.
pub fn check_draft(keys: &[String], content: &DraftContent) -> Vec<FieldProblem> {
    let mut problems: Vec<FieldProblem> = content
        .values
        .keys()
        .filter(|k| !keys.contains(k))
        .map(|k| FieldProblem {
            field: format!("values.{k}"),
            code: "unknown_field".into(),
            message: format!("表单中没有“{k}”这一项"),
        })
        .collect();
    for (prefix, values) in [
        ("values", &content.values),
        ("applicant", &content.applicant.values),
        ("delivery", &content.delivery.address),
    ] {
        match check_draft_size(values) {
            Ok(()) => {}
            Err(Some(key)) => problems.push(FieldProblem {
                field: format!("{prefix}.{key}"),
                code: "too_long".into(),
                message: format!("内容不能超过 {MAX_DRAFT_VALUE_CHARS} 个字"),
            }),
            Err(None) => problems.push(FieldProblem {
                field: prefix.into(),
                code: "too_many_values".into(),
                message: "表单项过多".into(),
            }),
        }
    }
    if content.bring_original.len() > MAX_BRING_ORIGINAL
        || content
            .bring_original
            .iter()
            .any(|c| c.chars().count() > MAX_MATERIAL_CODE_CHARS)
    {
        problems.push(FieldProblem {
            field: "bring_original".into(),
            code: "too_many_values".into(),
            message: "材料编码过多或过长".into(),
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_holds_only_its_forms_keys_within_the_limits() {
        let keys = vec!["project_name".to_string()];
        let mut content = DraftContent::default();
        content.values.insert("project_name".into(), "厂房".into());
        assert!(check_draft(&keys, &content).is_empty());
        content.values.insert("invented".into(), "x".into());
        content
            .applicant
            .values
            .insert("name".into(), "x".repeat(MAX_DRAFT_VALUE_CHARS + 1));
        content.bring_original = (0..=MAX_BRING_ORIGINAL).map(|i| format!("M{i}")).collect();
        assert_eq!(
            crate::fixtures::codes(&check_draft(&keys, &content)),
            [
                ("values.invented", "unknown_field"),
                ("applicant.name", "too_long"),
                ("bring_original", "too_many_values"),
            ]
        );
    }

    #[test]
    fn a_number_carries_its_date_and_fifty_random_bits() {
        let date = Date::new(2026, 11, 21).unwrap();
        let n = ApplicationNumber::new(date, [0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(n.as_str(), "OW202611210000000000");
        let m = ApplicationNumber::new(date, [255; 7]);
        assert_eq!(m.as_str(), "OW20261121ZZZZZZZZZZ");
        assert_ne!(ApplicationNumber::new(date, [0, 0, 0, 0, 0, 0, 1]), n);
    }

    #[test]
    fn numbers_are_read_back_case_insensitively_and_nonsense_is_refused() {
        let n = ApplicationNumber::new(Date::new(2026, 2, 13).unwrap(), [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(
            ApplicationNumber::parse(&n.as_str().to_lowercase()),
            Some(n)
        );
        for bad in [
            "",
            "OW2026111",
            "XX20261121ABCDEFGHJK",
            "OW20261321ABCDEFGHJK",
            "OW20261121ABCDEFGHIL",
            "OW20261121ABCDEFGHJ",
        ] {
            assert_eq!(ApplicationNumber::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn drafts_have_size_limits() {
        let mut values = BTreeMap::new();
        values.insert(
            "project_name".to_string(),
            "x".repeat(MAX_DRAFT_VALUE_CHARS),
        );
        assert_eq!(check_draft_size(&values), Ok(()));
        values.insert("note".to_string(), "x".repeat(MAX_DRAFT_VALUE_CHARS + 1));
        assert_eq!(check_draft_size(&values), Err(Some("note".into())));
    }
}
