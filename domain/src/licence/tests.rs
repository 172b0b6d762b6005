use super::*;

/// The test vectors: a department's secret key, its licence, and the file it signs (also
/// checked by the wasm build in Chromium, `tests/corpus_in_browser.rs`).
pub const VECTORS: &str = include_str!("../../corpus/licence_vectors.json");

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap()
}

fn secret(n: u8) -> Vec<u8> {
    vec![n; 32]
}

fn licence() -> Licence {
    Licence {
        number: licence_number("ZJJ", 2026, "OW20261202K7Q2M9X4TD", 1),
        name: "建筑工程施工许可证".into(),
        holder: Holder {
            kind: HolderKind::Company,
            name: "示范市滨江建设有限公司".into(),
            id_number: "91350100M000100Y43".into(),
        },
        item_code: "ZJJ-XK-001".into(),
        item_name: "建筑工程施工许可证核发".into(),
        department_code: "ZJJ".into(),
        department_name: "示范市住房和城乡建设局".into(),
        issued_on: day(2026, 12, 2),
        valid_until: Some(day(2027, 12, 1)),
        content: vec![LicenceLine {
            label: "工程名称".into(),
            value: "示范小学新建工程".into(),
        }],
        conditions: Some("夜间施工须另行报批".into()),
        case_number: "OW20261202K7Q2M9X4TD".into(),
    }
}

fn key(id: &str, department: &str, n: u8) -> PublishedKey {
    PublishedKey {
        key_id: id.into(),
        department_code: department.into(),
        public_key: public_key_of(&secret(n)).unwrap(),
        created_on: day(2026, 1, 1),
        retired_on: None,
    }
}

#[test]
fn a_signed_licence_verifies_and_its_file_reads_back() {
    let file = sign(licence(), "ZJJ-1", &secret(7)).unwrap();
    let keys = [key("ZJJ-1", "ZJJ", 7)];
    assert_eq!(verify(&file, &keys, &[], day(2026, 12, 2)), Verdict::Valid);
    let text = file.to_json();
    assert_eq!(parse_file(&text).unwrap(), file);
    assert_eq!(
        verify_text(&text, &keys, &[], day(2026, 12, 2)),
        Verdict::Valid
    );
    // Deterministic: the same licence and key sign the same bytes.
    assert_eq!(sign(licence(), "ZJJ-1", &secret(7)).unwrap(), file);
    assert_eq!(check_code(&file).len(), 8);
    assert_eq!(normalize_check_code(" ab-cd oil "), "ABCD011");
    assert_eq!(file.licence.number, "ZJJ-2026-K7Q2M9X4TD-1");
}

#[test]
fn a_changed_byte_a_wrong_key_and_an_unknown_key_each_have_their_verdict() {
    let file = sign(licence(), "ZJJ-1", &secret(7)).unwrap();
    let keys = [key("ZJJ-1", "ZJJ", 7), key("SWJ-1", "SWJ", 9)];
    let today = day(2026, 12, 2);
    // One character of the content changed.
    let text = file.to_json().replace("示范小学", "示范中学");
    assert_eq!(verify_text(&text, &keys, &[], today), Verdict::Tampered);
    // The signature changed.
    let mut forged = file.clone();
    forged.signature.value.replace_range(0..2, "00");
    assert_eq!(verify(&forged, &keys, &[], today), Verdict::Tampered);
    // Signed by another department's key but naming this department.
    let other = sign(licence(), "SWJ-1", &secret(9)).unwrap();
    assert_eq!(verify(&other, &keys, &[], today), Verdict::WrongKey);
    // Signed by this department's id with a key that is not the published one.
    let stolen = sign(licence(), "ZJJ-1", &secret(8)).unwrap();
    assert_eq!(verify(&stolen, &keys, &[], today), Verdict::Tampered);
    let unknown = sign(licence(), "ZJJ-9", &secret(7)).unwrap();
    assert_eq!(verify(&unknown, &keys, &[], today), Verdict::UnknownKey);
    for bad in ["", "{}", "not json", &text.replace(FORMAT, "pdf")] {
        let v = verify_text(bad, &keys, &[], today);
        assert_eq!(v.code(), "malformed", "{bad}: {v:?}");
    }
    let codes: std::collections::BTreeSet<&str> = [
        Verdict::Valid,
        Verdict::Tampered,
        Verdict::WrongKey,
        Verdict::UnknownKey,
        Verdict::Expired { valid_until: today },
    ]
    .iter()
    .map(Verdict::code)
    .collect();
    assert_eq!(codes.len(), 5);
}

#[test]
fn a_rotated_key_keeps_old_licences_verifiable() {
    let old = sign(licence(), "ZJJ-1", &secret(7)).unwrap();
    let mut retired = key("ZJJ-1", "ZJJ", 7);
    retired.retired_on = Some(day(2026, 12, 10));
    let keys = [retired, key("ZJJ-2", "ZJJ", 11)];
    let new = sign(licence(), "ZJJ-2", &secret(11)).unwrap();
    assert_eq!(verify(&old, &keys, &[], day(2027, 1, 5)), Verdict::Valid);
    assert_eq!(verify(&new, &keys, &[], day(2027, 1, 5)), Verdict::Valid);
    assert_ne!(old.signature.value, new.signature.value);
}

#[test]
fn validity_and_revocation_are_judged_as_of_today() {
    let file = sign(licence(), "ZJJ-1", &secret(7)).unwrap();
    let keys = [key("ZJJ-1", "ZJJ", 7)];
    assert_eq!(verify(&file, &keys, &[], day(2027, 12, 1)), Verdict::Valid);
    assert_eq!(
        verify(&file, &keys, &[], day(2027, 12, 2)),
        Verdict::Expired {
            valid_until: day(2027, 12, 1)
        }
    );
    let mut open = licence();
    open.valid_until = None;
    let open = sign(open, "ZJJ-1", &secret(7)).unwrap();
    assert_eq!(verify(&open, &keys, &[], day(2099, 1, 1)), Verdict::Valid);
    let revoked = Revocation {
        number: file.licence.number.clone(),
        kind: RevocationKind::Withdrawn,
        on: day(2026, 12, 20),
        reason: "申请人以欺骗手段取得".into(),
    };
    let list = [revoked.clone()];
    assert_eq!(
        verify(&file, &keys, &list, day(2026, 12, 19)),
        Verdict::Valid
    );
    let v = verify(&file, &keys, &list, day(2026, 12, 20));
    assert_eq!(v, Verdict::Revoked(revoked));
    assert_eq!(
        v.message(),
        "证照已于 2026-12-20 被撤销：申请人以欺骗手段取得"
    );
    // A revoked licence that is also expired says it was revoked.
    assert_eq!(
        verify(&file, &keys, &list, day(2028, 1, 1)).code(),
        "revoked"
    );
}

#[test]
fn validity_runs_to_the_day_before_the_same_day_months_later() {
    assert_eq!(
        valid_until(day(2026, 12, 2), Some(12)),
        Some(day(2027, 12, 1))
    );
    assert_eq!(
        valid_until(day(2026, 12, 2), Some(60)),
        Some(day(2031, 12, 1))
    );
    assert_eq!(
        valid_until(day(2026, 11, 30), Some(3)),
        Some(day(2027, 2, 28))
    );
    assert_eq!(
        valid_until(day(2027, 3, 1), Some(1)),
        Some(day(2027, 3, 31))
    );
    assert_eq!(valid_until(day(2026, 12, 2), None), None);
}

#[test]
fn a_person_holder_is_masked_in_public() {
    let h = Holder {
        kind: HolderKind::Person,
        name: "张三丰".into(),
        id_number: "11010519491231002X".into(),
    };
    assert_eq!(
        h.public(),
        ("张*丰".to_string(), "1101**********002X".to_string())
    );
    let c = licence().holder;
    assert_eq!(c.public().1, "91350100M000100Y43");
}

#[test]
fn the_published_test_vectors_verify() {
    let v: serde_json::Value = serde_json::from_str(VECTORS).unwrap();
    let keys: Vec<PublishedKey> = serde_json::from_value(v["keys"].clone()).unwrap();
    let today = day(2026, 12, 2);
    for case in v["cases"].as_array().unwrap() {
        let text = case["file"].as_str().unwrap();
        let verdict = verify_text(text, &keys, &[], today);
        assert_eq!(
            verdict.code(),
            case["verdict"].as_str().unwrap(),
            "{}",
            case["name"]
        );
    }
    // The vectors are what this code signs: regenerate them if the format changes.
    let file = sign(licence(), "ZJJ-1", &secret(7)).unwrap();
    assert_eq!(v["cases"][0]["file"].as_str().unwrap(), file.to_json());
    assert_eq!(keys[0].public_key, public_key_of(&secret(7)).unwrap());
}

#[test]
#[ignore = "regenerates corpus/licence_vectors.json: cargo test -p domain -- --ignored regenerate"]
fn regenerate_the_vectors() {
    let file = sign(licence(), "ZJJ-1", &secret(7)).unwrap();
    let text = file.to_json();
    let tampered = text.replace("示范小学", "示范中学");
    let other = sign(licence(), "SWJ-1", &secret(9)).unwrap().to_json();
    let out = serde_json::json!({
        "about": "电子证照 test vectors: secret keys are 32 bytes of 0x07 (ZJJ-1) and 0x09 (SWJ-1); judged as of 2026-12-02",
        "keys": [key("ZJJ-1", "ZJJ", 7), key("SWJ-1", "SWJ", 9)],
        "cases": [
            {"name": "genuine", "file": text, "verdict": "valid"},
            {"name": "one character of the content changed", "file": tampered, "verdict": "tampered"},
            {"name": "signed with another department's key", "file": other, "verdict": "wrong_key"},
            {"name": "not a licence", "file": "{\"format\": \"pdf\"}", "verdict": "malformed"},
        ]
    });
    std::fs::write(
        concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/licence_vectors.json"),
        serde_json::to_string_pretty(&out).unwrap() + "\n",
    )
    .unwrap();
}
