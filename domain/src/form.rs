//! The interpreter of form-field constraints: one function decides whether a value fits a
//! field of the catalog, in the browser as the user types and on the server on submit.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::account::FieldProblem;
use super::catalog::{FieldOption, FieldType, FormField};
use super::date::Date;
use super::ids::{IdCardNumber, IdError, MobileNumber, UnifiedCreditCode};

/// Longest value of a one-line text or address field without its own `max_length`.
pub const DEFAULT_TEXT_MAX_CHARS: u32 = 200;

/// Longest value of a multi-line text field without its own `max_length`.
pub const DEFAULT_LONG_TEXT_MAX_CHARS: u32 = 5000;

/// Why a value does not fit its field. Serialised with a stable `code`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    PatternMismatch {
        message: Option<String>,
    },
    NotANumber,
    BelowMin {
        min: f64,
    },
    AboveMax {
        max: f64,
    },
    InvalidDate,
    NotAnOption,
    CreditCodeFormat,
    CreditCodeChecksum,
    IdCardFormat,
    IdCardChecksum,
    IdCardBirthDate,
    MobileFormat,
    /// A value for a key the form does not have.
    UnknownField,
}

impl From<IdError> for FieldError {
    fn from(e: IdError) -> Self {
        match e {
            IdError::CreditCodeFormat => FieldError::CreditCodeFormat,
            IdError::CreditCodeChecksum => FieldError::CreditCodeChecksum,
            IdError::IdCardFormat => FieldError::IdCardFormat,
            IdError::IdCardChecksum => FieldError::IdCardChecksum,
            IdError::IdCardBirthDate => FieldError::IdCardBirthDate,
            IdError::MobileFormat => FieldError::MobileFormat,
        }
    }
}

impl FieldError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            FieldError::Required => "required",
            FieldError::TooShort { .. } => "too_short",
            FieldError::TooLong { .. } => "too_long",
            FieldError::PatternMismatch { .. } => "pattern_mismatch",
            FieldError::NotANumber => "not_a_number",
            FieldError::BelowMin { .. } => "below_min",
            FieldError::AboveMax { .. } => "above_max",
            FieldError::InvalidDate => "invalid_date",
            FieldError::NotAnOption => "not_an_option",
            FieldError::CreditCodeFormat => IdError::CreditCodeFormat.code(),
            FieldError::CreditCodeChecksum => IdError::CreditCodeChecksum.code(),
            FieldError::IdCardFormat => IdError::IdCardFormat.code(),
            FieldError::IdCardChecksum => IdError::IdCardChecksum.code(),
            FieldError::IdCardBirthDate => IdError::IdCardBirthDate.code(),
            FieldError::MobileFormat => IdError::MobileFormat.code(),
            FieldError::UnknownField => "unknown_field",
        }
    }

    /// What to tell the person, in Chinese, for the field labelled `label`.
    pub fn message(&self, label: &str) -> String {
        match self {
            FieldError::Required => format!("请填写{label}"),
            FieldError::TooShort { min } => format!("{label}至少 {min} 个字"),
            FieldError::TooLong { max } => format!("{label}不能超过 {max} 个字"),
            FieldError::PatternMismatch { message: Some(m) } => m.clone(),
            FieldError::PatternMismatch { message: None } => format!("{label}的格式不正确"),
            FieldError::NotANumber => format!("{label}应为数字"),
            FieldError::BelowMin { min } => format!("{label}不能小于 {}", decimal_text(*min)),
            FieldError::AboveMax { max } => format!("{label}不能大于 {}", decimal_text(*max)),
            FieldError::InvalidDate => format!("{label}不是有效日期（格式：年-月-日）"),
            FieldError::NotAnOption => format!("请从列表中选择{label}"),
            FieldError::CreditCodeFormat => IdError::CreditCodeFormat.message().into(),
            FieldError::CreditCodeChecksum => IdError::CreditCodeChecksum.message().into(),
            FieldError::IdCardFormat => IdError::IdCardFormat.message().into(),
            FieldError::IdCardChecksum => IdError::IdCardChecksum.message().into(),
            FieldError::IdCardBirthDate => IdError::IdCardBirthDate.message().into(),
            FieldError::MobileFormat => IdError::MobileFormat.message().into(),
            FieldError::UnknownField => format!("表单中没有“{label}”这一项"),
        }
    }
}

/// Checks one value against its field; returns the value in normal form (trimmed,
/// identity numbers in upper case, `true`/`false` for a checkbox), or `None` for an
/// optional field left empty. `today` bounds birth dates.
pub fn check_value(
    field: &FormField,
    raw: &str,
    today: Date,
) -> Result<Option<String>, FieldError> {
    let value = raw.trim();
    if field.field_type == FieldType::Checkbox {
        let checked = match value {
            "true" | "on" | "1" => true,
            "false" | "0" | "" => false,
            _ => return Err(FieldError::NotAnOption),
        };
        return match (checked, field.required) {
            (false, true) => Err(FieldError::Required),
            (checked, _) => Ok(Some(checked.to_string())),
        };
    }
    if value.is_empty() {
        return if field.required {
            Err(FieldError::Required)
        } else {
            Ok(None)
        };
    }
    let normal = match field.field_type {
        FieldType::Text | FieldType::LongText | FieldType::Address => {
            let chars = value.chars().count() as u64;
            let default_max = match field.field_type {
                FieldType::LongText => DEFAULT_LONG_TEXT_MAX_CHARS,
                _ => DEFAULT_TEXT_MAX_CHARS,
            };
            let max = field.max_length.unwrap_or(default_max);
            if let Some(min) = field.min_length
                && chars < u64::from(min)
            {
                return Err(FieldError::TooShort { min });
            }
            if chars > u64::from(max) {
                return Err(FieldError::TooLong { max });
            }
            if let Some(pattern) = &field.pattern
                && !matches_entirely(pattern, value)
            {
                return Err(FieldError::PatternMismatch {
                    message: field.pattern_message.clone(),
                });
            }
            value.to_string()
        }
        FieldType::Number => {
            let n = parse_number(value).ok_or(FieldError::NotANumber)?;
            if let Some(min) = field.min
                && n < min
            {
                return Err(FieldError::BelowMin { min });
            }
            if let Some(max) = field.max
                && n > max
            {
                return Err(FieldError::AboveMax { max });
            }
            value.to_string()
        }
        FieldType::Date => Date::parse_iso(value)
            .ok_or(FieldError::InvalidDate)?
            .to_string(),
        FieldType::Select => {
            if !field.options.iter().any(|o| o.value == value) {
                return Err(FieldError::NotAnOption);
            }
            value.to_string()
        }
        FieldType::UnifiedCreditCode => UnifiedCreditCode::parse(value)?.as_str().to_string(),
        FieldType::IdCardNumber => IdCardNumber::parse(value, today)?.as_str().to_string(),
        FieldType::MobileNumber => MobileNumber::parse(value)?.as_str().to_string(),
        // Returned above; kept so that a new field type is a compile error here.
        FieldType::Checkbox => value.to_string(),
    };
    Ok(Some(normal))
}

/// Checks a whole form: every field of `fields` against `values` (missing means empty), and
/// no value for a key the form does not have. All problems are returned at once, by key.
pub fn check_form(
    fields: &[FormField],
    values: &BTreeMap<String, String>,
    today: Date,
) -> Result<BTreeMap<String, String>, Vec<(String, FieldError)>> {
    let mut clean = BTreeMap::new();
    let mut errors = Vec::new();
    for field in fields {
        let raw = values.get(&field.key).map(String::as_str).unwrap_or("");
        match check_value(field, raw, today) {
            Ok(Some(v)) => {
                clean.insert(field.key.clone(), v);
            }
            Ok(None) => {}
            Err(e) => errors.push((field.key.clone(), e)),
        }
    }
    for key in values.keys() {
        if !fields.iter().any(|f| &f.key == key) {
            errors.push((key.clone(), FieldError::UnknownField));
        }
    }
    if errors.is_empty() {
        Ok(clean)
    } else {
        Err(errors)
    }
}

/// A required field of the forms the rules define themselves (the applicant block, the postal
/// address, the delivery steps), checked by the same interpreter as a catalog form.
pub(crate) fn field(
    key: &str,
    label: &str,
    field_type: FieldType,
    max_length: Option<u32>,
) -> FormField {
    FormField {
        key: key.into(),
        label: label.into(),
        field_type,
        required: true,
        help: match field_type {
            FieldType::UnifiedCreditCode => {
                Some("18 位，见营业执照或登记证书，最后一位是校验码".into())
            }
            _ => None,
        },
        unit: None,
        min_length: None,
        max_length,
        min: None,
        max: None,
        pattern: None,
        pattern_message: None,
        options: vec![],
    }
}

/// A required select of such a form, from a fixed list whose values are shown as they are.
pub(crate) fn select(key: &str, label: &str, values: &[&str]) -> FormField {
    FormField {
        options: FieldOption::each(values),
        ..field(key, label, FieldType::Select, None)
    }
}

/// Field errors as problems under `prefix`, with the field's label in the message.
pub fn problems(
    prefix: &str,
    fields: &[FormField],
    errors: Vec<(String, FieldError)>,
) -> Vec<FieldProblem> {
    errors
        .into_iter()
        .map(|(key, e)| {
            let label = fields
                .iter()
                .find(|f| f.key == key)
                .map(|f| f.label.as_str())
                .unwrap_or(key.as_str());
            FieldProblem {
                message: e.message(label),
                code: e.code().into(),
                field: format!("{prefix}.{key}"),
            }
        })
        .collect()
}

/// A bound as people write it: `5`, `0.5`, `-12.25`, rounded to six decimals. Worked out in
/// whole numbers, because formatting a float would put the float printer (some 8 KB) into
/// every wasm that checks a form. The catalog's bounds are finite (`catalog_check`); from
/// 2⁵³ on a double is a whole number, and is printed as one.
fn decimal_text(x: f64) -> String {
    const WHOLE_FROM: f64 = 9_007_199_254_740_992.0; // 2^53
    let sign = if x < 0.0 { "-" } else { "" };
    let x = x.abs();
    if !x.is_finite() {
        return format!("{sign}∞");
    }
    if x >= WHOLE_FROM {
        // `as` saturates: no catalog bound goes beyond u128 (3.4 × 10³⁸).
        return format!("{sign}{}", x as u128);
    }
    let millionths = (x * 1e6).round() as u128;
    let (whole, fraction) = (millionths / 1_000_000, millionths % 1_000_000);
    if millionths == 0 {
        "0".into()
    } else if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        let digits = format!("{fraction:06}");
        format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// A decimal number as people type it: optional minus, digits, optional fraction.
fn parse_number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty());
    if ok { s.parse().ok() } else { None }
}

/// Whether `pattern` matches all of `value`. A pattern that does not compile matches nothing
/// (the catalog import refuses such patterns, so this only guards old data).
fn matches_entirely(pattern: &str, value: &str) -> bool {
    regex_lite::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(value))
}

/// The shared corpus of field cases (`domain/corpus/field_cases.json`): a field and the inputs
/// to try on it, each with its expected verdict (`"ok"` or an error code) and normal form.
#[derive(Deserialize)]
struct CorpusGroup {
    field: FormField,
    cases: Vec<CorpusCase>,
}

#[derive(Deserialize)]
struct CorpusCase {
    input: String,
    expect: String,
    #[serde(default)]
    normal: Option<String>,
}

/// The day the corpus is judged as of, whatever day the tests run.
pub const CORPUS_TODAY: (i32, u8, u8) = (2026, 11, 21);

/// What running a corpus found: how many cases, which field types they cover, and every case
/// whose verdict or normal form differs from the expected one.
#[derive(Debug, Default)]
pub struct CorpusRun {
    pub checked: usize,
    pub field_types: std::collections::BTreeSet<FieldType>,
    pub wrong: Vec<String>,
}

impl CorpusRun {
    /// `Ok` when every case got its expected verdict and the corpus covers every field type
    /// in at least 80 cases; otherwise what is wrong, case by case.
    pub fn verdict(&self) -> Result<(), String> {
        if !self.wrong.is_empty() {
            return Err(format!(
                "{} of {} cases wrong:\n{}",
                self.wrong.len(),
                self.checked,
                self.wrong.join("\n")
            ));
        }
        if self.checked < 80 || self.field_types.len() != FieldType::ALL.len() {
            return Err(format!(
                "the corpus should cover every field type in at least 80 cases: {} cases, {} of {} types",
                self.checked,
                self.field_types.len(),
                FieldType::ALL.len()
            ));
        }
        Ok(())
    }
}

/// Runs every case of a corpus through [`check_value`]. The native unit tests and the browser
/// test (wasm, headless Chromium) both call this on the same file, so they judge alike.
pub fn run_corpus(corpus_json: &str) -> Result<CorpusRun, String> {
    let today = Date::new(CORPUS_TODAY.0, CORPUS_TODAY.1, CORPUS_TODAY.2)
        .ok_or("the corpus day is not a date")?;
    let groups: Vec<CorpusGroup> =
        serde_json::from_str(corpus_json).map_err(|e| format!("corpus does not parse: {e}"))?;
    let mut run = CorpusRun::default();
    for group in &groups {
        run.field_types.insert(group.field.field_type);
        for case in &group.cases {
            let verdict = check_value(&group.field, &case.input, today);
            let got = match &verdict {
                Ok(_) => "ok",
                Err(e) => e.code(),
            };
            if got != case.expect {
                run.wrong.push(format!(
                    "{} {:?}: expected {}, got {got}",
                    group.field.key, case.input, case.expect
                ));
            }
            if let (Ok(Some(v)), Some(normal)) = (&verdict, &case.normal)
                && v != normal
            {
                run.wrong.push(format!(
                    "{} {:?}: normal form {v:?}, expected {normal:?}",
                    group.field.key, case.input
                ));
            }
            run.checked += 1;
        }
    }
    Ok(run)
}

/// A stored value as people read it: a choice by its label, a number with the field's unit
/// (the workbench and the applicant's review show the same).
pub fn shown(field: &FormField, value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        return String::new();
    }
    if let Some(o) = field.options.iter().find(|o| o.value == value) {
        return o.label.clone();
    }
    match &field.unit {
        Some(unit) => format!("{value} {unit}"),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::FieldOption;
    use crate::fixtures;

    /// The shared corpus: the same file is run in the browser (app/tests/corpus_in_browser.rs).
    const CORPUS: &str = include_str!("../corpus/field_cases.json");

    #[test]
    fn every_case_of_the_shared_corpus_gets_its_expected_verdict() {
        assert_eq!(run_corpus(CORPUS).and_then(|run| run.verdict()), Ok(()));
    }

    #[test]
    fn a_corpus_run_fails_on_a_wrong_case_and_on_a_thin_corpus() {
        let mut run = run_corpus(CORPUS).unwrap();
        run.wrong.push("mobile \"1380013800\": got ok".into());
        assert!(run.verdict().unwrap_err().contains("1380013800"));
        let thin = CorpusRun {
            checked: 79,
            ..run_corpus(CORPUS).unwrap()
        };
        assert!(thin.verdict().is_err());
    }

    #[test]
    fn a_value_is_shown_with_its_choice_label_or_its_unit() {
        let select = FormField {
            options: vec![FieldOption {
                value: "infrastructure".into(),
                label: "城市基础设施".into(),
            }],
            ..fixtures::field("industry", "行业", FieldType::Select, true)
        };
        assert_eq!(shown(&select, "infrastructure"), "城市基础设施");
        let volume = FormField {
            unit: Some("立方米/日".into()),
            ..fixtures::field("volume", "排水量", FieldType::Number, true)
        };
        assert_eq!(shown(&volume, " 1200 "), "1200 立方米/日");
        assert_eq!(shown(&volume, ""), "");
        let plain = fixtures::field("name", "名称", FieldType::Text, true);
        assert_eq!(shown(&plain, "滨江"), "滨江");
    }

    #[test]
    fn a_form_reports_every_problem_and_refuses_unknown_keys() {
        let field = |key: &str, field_type, required| FormField {
            options: if field_type == FieldType::Select {
                vec![FieldOption {
                    value: "a".into(),
                    label: "甲".into(),
                }]
            } else {
                vec![]
            },
            ..fixtures::field(key, key, field_type, required)
        };
        let fields = vec![
            field("name", FieldType::Text, true),
            field("mobile", FieldType::MobileNumber, true),
            field("kind", FieldType::Select, false),
        ];
        let today = Date::new(2026, 11, 21).unwrap();
        let values: BTreeMap<String, String> = [("mobile", "123"), ("extra", "x")]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let errors = check_form(&fields, &values, today).unwrap_err();
        let codes: Vec<(&str, &str)> = errors.iter().map(|(k, e)| (k.as_str(), e.code())).collect();
        assert_eq!(
            codes,
            vec![
                ("name", "required"),
                ("mobile", "mobile_format"),
                ("extra", "unknown_field")
            ]
        );

        let values: BTreeMap<String, String> = [("name", " 张三 "), ("mobile", "138-1234-5678")]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let clean = check_form(&fields, &values, today).unwrap();
        assert_eq!(clean.get("name").map(String::as_str), Some("张三"));
        assert_eq!(clean.get("mobile").map(String::as_str), Some("13812345678"));
        assert_eq!(clean.get("kind"), None);
    }

    #[test]
    fn every_error_has_a_chinese_message() {
        let e = FieldError::TooLong { max: 100 };
        assert_eq!(e.message("项目名称"), "项目名称不能超过 100 个字");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "too_long", "max": 100})
        );
    }

    #[test]
    fn a_bound_reads_as_the_float_printer_would_write_it() {
        // Every value with up to six decimals, as a catalog gives them.
        for n in (-2_000_000i64..2_000_000).step_by(997) {
            for scale in [1.0, 10.0, 100.0, 1000.0, 1e6] {
                let x = n as f64 / scale;
                assert_eq!(super::decimal_text(x), format!("{x}"), "{n}/{scale}");
            }
        }
        for x in [
            0.0,
            0.5,
            0.1,
            0.2,
            0.3,
            99.99,
            1e12,
            123_456.789,
            9e15,
            1e20,
            -1e20,
        ] {
            assert_eq!(super::decimal_text(x), format!("{x}"), "{x}");
        }
        // Where it differs: no minus zero, and nothing past the sixth decimal.
        assert_eq!(super::decimal_text(-0.0), "0");
        assert_eq!(super::decimal_text(-1e-7), "0");
        assert_eq!(super::decimal_text(1e-7), "0");
        assert_eq!(super::decimal_text(2.000_000_4), "2");
        assert_eq!(super::decimal_text(0.123_456_789), "0.123457");
    }
}
