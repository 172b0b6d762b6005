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

use domain::catalog::FieldType;
use domain::form::run_corpus;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const CORPUS: &str = include_str!("../corpus/field_cases.json");

#[wasm_bindgen_test]
fn the_browser_gives_every_corpus_case_its_expected_verdict() {
    let run = run_corpus(CORPUS).expect("corpus parses");
    assert!(
        run.wrong.is_empty(),
        "{} of {} cases judged differently in the browser:\n{}",
        run.wrong.len(),
        run.checked,
        run.wrong.join("\n")
    );
    assert!(run.checked >= 80, "{} cases", run.checked);
    assert_eq!(run.field_types.len(), FieldType::ALL.len());
    // Really in a browser, not in Node: there is a window.
    assert!(web_sys::window().is_some());
}
