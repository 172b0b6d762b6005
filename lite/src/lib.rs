//! The small wasm of the public pages (`/track`, `/verify`): the public pages are rendered on
//! the server and do not download the application, but what they check in the browser is
//! checked by the same Rust code as on the server, from the `domain` crate:
//!
//! - `lookup_problem`: the tracking lookup's number and second factor
//!   ([`domain::track::lookup_problem`], which the server's `POST /track` runs too);
//! - `verify_licence` (feature `verify`, a build of its own loaded only when a licence file is
//!   chosen): the licence file's SM2 signature against the published keys and the revocation
//!   list ([`domain::licence::verify_text`], the server's verification).
//!
//! `lite/js/lite.js` loads them; `scripts/build-wasm` builds both into the site's `pkg/lite/`.

use wasm_bindgen::prelude::wasm_bindgen;

/// The sentence saying what is wrong with a tracking lookup, or `undefined` when it may be
/// sent.
#[wasm_bindgen]
pub fn lookup_problem(number: &str, factor: &str) -> Option<String> {
    domain::track::lookup_problem(number, factor).map(str::to_owned)
}

/// A licence file's verdict: `[code, message]`. `keys` and `revocations` are the JSON of
/// `/api/v1/licences/keys` and `/api/v1/licences/revocations`; `now_ms` is the browser's clock
/// (the day in China decides expiry).
#[cfg(feature = "verify")]
#[wasm_bindgen]
pub fn verify_licence(text: &str, keys: &str, revocations: &str, now_ms: f64) -> Vec<String> {
    use domain::licence::{PublishedKey, Revocation, Verdict, verify_text};
    let (Ok(keys), Ok(revocations)) = (
        serde_json::from_str::<Vec<PublishedKey>>(keys),
        serde_json::from_str::<Vec<Revocation>>(revocations),
    ) else {
        return vec![
            "unreachable".to_string(),
            "未能取得发证部门公布的公钥和注销、撤销名单，请稍后重试".to_string(),
        ];
    };
    #[expect(
        clippy::cast_possible_truncation,
        reason = "milliseconds since 1970 fit an i64 for the next 292 million years"
    )]
    let today = domain::date::Date::in_china_at((now_ms / 1000.0).floor() as i64);
    let verdict: Verdict = verify_text(text, &keys, &revocations, today);
    vec![verdict.code().to_string(), verdict.message()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_lookup_check_is_the_domains() {
        assert_eq!(
            super::lookup_problem("", "1"),
            Some("请输入办件编号".to_string())
        );
        assert_eq!(
            super::lookup_problem("OW20261122K7Q2M9X4TD", "13800000000"),
            None
        );
    }
}
