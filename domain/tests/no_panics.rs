//! No parser of outside input panics, whatever it is given: case numbers, dates, identity
//! numbers, mobile numbers, tracking factors, status and kind names, form values and catalog
//! files are fed arbitrary strings, strings of the characters they are made of with
//! full-width look-alikes (what a Chinese input method types), and valid inputs with one
//! character or a few replaced by any character.
#![cfg(not(target_arch = "wasm32"))]

use domain::application::ApplicationNumber;
use domain::case::{CaseAction, CaseStatus};
use domain::catalog::{CatalogFile, FieldType, FormField};
use domain::date::Date;
use domain::deadline::DeadlineKind;
use domain::form::check_value;
use domain::ids::{IdCardNumber, MobileNumber, UnifiedCreditCode};
use domain::track::{mask_id_number, mask_mobile, mask_name, normalize_factor};
use proptest::prelude::*;

const VALID: &[&str] = &[
    "OW202611290123456789",
    "OW20261129ABCDEFGHJK",
    "11010519491231002X",
    "91350100M000100Y43",
    "13800138000",
    "2026-11-29",
    "20261129",
    "ABCD-EFGH",
];

fn inputs() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[OWow0-9A-Za-z０-９ＯＷｘＸ\\- 　]{0,24}",
        // One to four characters replaced by one: with a multi-byte character the length in
        // bytes can stay what a valid input has, which is how byte-slicing code gets caught.
        (0..VALID.len(), any::<usize>(), 1..=4usize, any::<char>()).prop_map(
            |(which, at, len, c)| {
                let mut chars: Vec<char> = VALID[which].chars().collect();
                let at = at % chars.len();
                let end = (at + len).min(chars.len());
                chars.splice(at..end, [c]);
                chars.into_iter().collect()
            }
        ),
    ]
}

fn field(field_type: FieldType) -> FormField {
    FormField {
        key: "k".into(),
        label: "项".into(),
        field_type,
        required: true,
        help: None,
        unit: None,
        min_length: Some(2),
        max_length: Some(10),
        min: Some(0.0),
        max: Some(100.0),
        pattern: None,
        pattern_message: None,
        options: vec![],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn numbers_and_dates_parse_or_refuse(s in inputs()) {
        let today = Date::new(2026, 11, 29).unwrap();
        if let Some(n) = ApplicationNumber::parse(&s) {
            prop_assert!(n.as_str().is_ascii());
        }
        let _ = Date::parse_iso(&s);
        let _ = Date::parse_compact(&s);
        if let Ok(id) = IdCardNumber::parse(&s, today) {
            let _ = id.masked();
        }
        let _ = UnifiedCreditCode::parse(&s);
        if let Ok(m) = MobileNumber::parse(&s) {
            let _ = m.masked();
        }
        let _ = normalize_factor(&s);
        let _ = (mask_mobile(&s), mask_id_number(&s), mask_name(&s));
        let _ = (CaseStatus::parse(&s), CaseAction::parse(&s), DeadlineKind::parse(&s));
    }

    #[test]
    fn form_values_are_checked_or_refused(s in inputs()) {
        let today = Date::new(2026, 11, 29).unwrap();
        for field_type in FieldType::ALL {
            let _ = check_value(&field(field_type), &s, today);
        }
    }

    #[test]
    fn a_catalog_file_is_read_or_refused(s in inputs()) {
        let _ = CatalogFile::from_json(&s);
    }
}

/// The input that used to panic: a case number with a full-width digit.
#[test]
fn a_full_width_digit_in_a_case_number_is_refused() {
    assert_eq!(ApplicationNumber::parse("OW2026112９12345678"), None);
    assert_eq!(ApplicationNumber::parse("OW2026112９123456789"), None);
}
