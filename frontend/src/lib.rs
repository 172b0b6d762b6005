//! The wasm entry: hydrates the server-rendered page, and nothing else.

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by the generated JavaScript once the wasm is loaded.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate();
}
