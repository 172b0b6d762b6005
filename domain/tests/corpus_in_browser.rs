//! The shared field corpus, judged by the wasm build of the domain code in headless Chromium:
//! the same cases and the same expected verdicts as the native unit test
//! (`domain::form::tests`), so browser and server agree on every case.
//!
//! Run by `scripts/test` with wasm-bindgen-test-runner and Debian's chromedriver:
//! `cargo test -p domain --target wasm32-unknown-unknown --test corpus_in_browser`.

#![cfg(target_arch = "wasm32")]
#![expect(
    clippy::expect_used,
    reason = "a test: a corpus that does not parse fails it"
)]

use domain::form::run_corpus;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CORPUS: &str = include_str!("../corpus/field_cases.json");

#[wasm_bindgen_test]
fn the_browser_gives_every_corpus_case_its_expected_verdict() {
    // Judged in the browser as natively: every case its expected verdict.
    assert_eq!(run_corpus(CORPUS).and_then(|run| run.verdict()), Ok(()));
    // Really in a browser, not in Node: there is a window.
    assert!(web_sys::window().is_some());
}

/// The licence test vectors, verified by the wasm build: a genuine licence is valid, a changed
/// character, another department's key and a file that is not a licence each get their own
/// verdict, exactly as natively (`domain::licence::tests`).
#[wasm_bindgen_test]
fn the_browser_verifies_the_licence_vectors_as_the_server_does() {
    use domain::licence::{PublishedKey, verify_text};
    let v: serde_json::Value = serde_json::from_str(include_str!("../corpus/licence_vectors.json"))
        .expect("vectors parse");
    let keys: Vec<PublishedKey> = serde_json::from_value(v["keys"].clone()).expect("keys parse");
    let today = domain::date::Date::new(2026, 12, 2).expect("a date");
    let cases = v["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 4);
    for case in cases {
        let verdict = verify_text(case["file"].as_str().expect("a file"), &keys, &[], today);
        assert_eq!(
            Some(verdict.code()),
            case["verdict"].as_str(),
            "{}",
            case["name"]
        );
    }
}
