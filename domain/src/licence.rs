//! 电子证照 (docs/rules.md, rule 15): a granted licence, signed by its issuing department
//! with SM2 over SM3 (GM/T 0003, GM/T 0004), and its verification.
//!
//! One code path verifies a licence everywhere: the server's `/api/v1/licences/…`, the
//! `/verify` page in the browser (this module compiled to wasm) and `onewindow verify-licence`
//! offline. A licence file is JSON ([`LicenceFile`]): the licence, and the signature over its
//! canonical form ([`Licence::canonical`]: the licence as compact UTF-8 JSON, its fields in
//! the order this file declares them, every field present). The signature is SM2DSA with the
//! default distinguishing identifier of GM/T 0009 (`1234567812345678`), stored as the 64 bytes
//! `r ‖ s` in hex; public keys are SEC1 uncompressed points in hex.

use serde::{Deserialize, Serialize};
use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm3::{Digest, Sm3};

use crate::date::Date;
use crate::labels::labelled_enum;

/// The format a licence file declares.
pub const FORMAT: &str = "onewindow-licence/1";

/// The signature algorithm a licence file declares.
pub const ALGORITHM: &str = "SM2-SM3";

/// GM/T 0009's default user identity, hashed into every SM2 signature (`Z_A`).
pub const DISTINGUISHING_ID: &str = "1234567812345678";

labelled_enum! {
    /// Whom a licence is issued to.
    HolderKind {
        Company = "company", "单位";
        Person = "person", "个人";
    }
}

/// The holder: a company by name and 统一社会信用代码, or a person by name and ID number.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Holder {
    pub kind: HolderKind,
    pub name: String,
    /// 统一社会信用代码, or 居民身份证号码.
    pub id_number: String,
}

impl Holder {
    /// The holder as the public register shows it: a company in full, a person masked.
    pub fn public(&self) -> (String, String) {
        match self.kind {
            HolderKind::Company => (self.name.clone(), self.id_number.clone()),
            HolderKind::Person => (
                crate::track::mask_name(&self.name),
                mask_id(&self.id_number),
            ),
        }
    }
}

fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

/// A line of a licence's content: a form value the catalog puts on it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LicenceLine {
    pub label: String,
    pub value: String,
}

/// A licence as signed. Field order is part of the canonical form: do not reorder.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// 证照编号 (see [`licence_number`]).
    pub number: String,
    /// 证照名称: the guide's result name.
    pub name: String,
    pub holder: Holder,
    pub item_code: String,
    pub item_name: String,
    pub department_code: String,
    pub department_name: String,
    pub issued_on: Date,
    /// The last day it is valid; `None`: open-ended (长期有效).
    pub valid_until: Option<Date>,
    pub content: Vec<LicenceLine>,
    /// 附条件, from the decision.
    pub conditions: Option<String>,
    /// The case it was granted on.
    pub case_number: String,
}

impl Licence {
    /// The bytes that are signed: compact JSON, fields in declaration order, all present.
    pub fn canonical(&self) -> Vec<u8> {
        // A derived Serialize of strings and dates cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The signature of a licence file.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LicenceSignature {
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// The issuing department's key that signed it ([`PublishedKey::key_id`]).
    pub key_id: String,
    /// `r ‖ s`, 64 bytes in lower-case hex.
    pub value: String,
}

/// A signed licence: what the holder downloads and anyone may verify.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LicenceFile {
    /// Always [`FORMAT`].
    pub format: String,
    pub licence: Licence,
    pub signature: LicenceSignature,
}

impl LicenceFile {
    /// The file as downloaded: pretty JSON (whitespace is not signed).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// A department's public key, as published at `/api/v1/licences/keys`. A rotated key stays
/// published (retired), so the licences it signed stay verifiable.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedKey {
    pub key_id: String,
    pub department_code: String,
    /// SEC1 uncompressed point, hex.
    pub public_key: String,
    pub created_on: Date,
    /// From this day the key signs nothing new; what it signed before stays valid.
    pub retired_on: Option<Date>,
}

labelled_enum! {
    /// How a licence was ended by its department.
    RevocationKind {
        /// 注销: ended (the holder gave it up, the activity ended, …).
        Cancelled = "cancelled", "注销";
        /// 撤销: withdrawn as granted wrongly.
        Withdrawn = "withdrawn", "撤销";
    }
}

/// A licence ended by its department, as the revocation list publishes it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revocation {
    pub number: String,
    pub kind: RevocationKind,
    pub on: Date,
    pub reason: String,
}

/// Why a key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("签名密钥无效")]
    BadSecret,
    #[error("公钥无效")]
    BadPublicKey,
}

fn signing_key(secret: &[u8]) -> Result<SigningKey, KeyError> {
    let secret = sm2::SecretKey::from_slice(secret).map_err(|_| KeyError::BadSecret)?;
    SigningKey::new(DISTINGUISHING_ID, &secret).map_err(|_| KeyError::BadSecret)
}

/// Whether 32 bytes make an SM2 secret key (a scalar in `[1, n-1]`).
pub fn valid_secret(secret: &[u8]) -> bool {
    signing_key(secret).is_ok()
}

/// The public key (SEC1 uncompressed, hex) of a secret key.
pub fn public_key_of(secret: &[u8]) -> Result<String, KeyError> {
    Ok(hex(&signing_key(secret)?.verifying_key().to_sec1_bytes()))
}

/// Signs a licence with a department's secret key (deterministic: RFC 6979 nonces).
pub fn sign(licence: Licence, key_id: &str, secret: &[u8]) -> Result<LicenceFile, KeyError> {
    let signature: Signature = signing_key(secret)?.sign(&licence.canonical());
    Ok(LicenceFile {
        format: FORMAT.into(),
        signature: LicenceSignature {
            algorithm: ALGORITHM.into(),
            key_id: key_id.into(),
            value: hex(&signature.to_bytes()),
        },
        licence,
    })
}

/// The short check code printed on a licence: with its number it opens the licence on the
/// verify page, so the register cannot be walked for holders' details. Eight characters
/// of SM3 over the signature (which only the licence itself carries), in Crockford base 32.
pub fn check_code(file: &LicenceFile) -> String {
    let digest = Sm3::digest(file.signature.value.as_bytes());
    let mut first = [0u8; 5];
    first.copy_from_slice(&digest[..5]);
    crate::track::tracking_code(first)
}

/// Normalises a typed check code as a tracking code is: upper case, no spaces or dashes,
/// O→0, I/L→1 (Crockford).
pub fn normalize_check_code(typed: &str) -> String {
    crate::track::normalize_factor(typed)
}

/// A licence number: `{department}-{year}-{the case number's random part}-{the item's place
/// in the case}`, e.g. `ZJJ-2026-K7Q2M9X4TD-1`: unique without a counter (the case number
/// is), and it says who issued it and when. (GB/T 36904 电子证照标识规范 defines a national
/// identifier; its structure was not available to us, so this scheme is our own and
/// documented in docs/rules.md.)
pub fn licence_number(department: &str, year: i32, case_number: &str, place: usize) -> String {
    let tail: String = case_number
        .chars()
        .rev()
        .take(10)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{department}-{year}-{tail}-{place}")
}

/// The last valid day of a licence issued on `issued_on` for `months` (`None`: open-ended):
/// the day before the same day `months` later (the month's last day where it is shorter).
pub fn valid_until(issued_on: Date, months: Option<u32>) -> Option<Date> {
    let months = i64::from(months?);
    let index = i64::from(issued_on.year()) * 12 + i64::from(issued_on.month()) - 1 + months;
    let (year, month) = ((index / 12) as i32, (index % 12 + 1) as u8);
    let same_day = (1..=issued_on.day())
        .rev()
        .find_map(|d| Date::new(year, month, d))?;
    // The same day exists: the day before it; a shorter month: its last day.
    Some(if same_day.day() == issued_on.day() {
        same_day.add_days(-1)
    } else {
        same_day
    })
}

/// What verifying a licence found. Each has its own message and code.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Genuine, in force.
    Valid,
    /// Not a licence file this system reads.
    Malformed { problem: String },
    /// Signed by a key no department published.
    UnknownKey,
    /// Signed by another department's key than the issuing department named on it.
    WrongKey,
    /// The content does not match the signature: changed after signing, or forged.
    Tampered,
    /// Genuine, but ended by its department.
    Revoked(Revocation),
    /// Genuine, but past its last valid day.
    Expired { valid_until: Date },
}

impl Verdict {
    /// The verdict's stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Malformed { .. } => "malformed",
            Verdict::UnknownKey => "unknown_key",
            Verdict::WrongKey => "wrong_key",
            Verdict::Tampered => "tampered",
            Verdict::Revoked(_) => "revoked",
            Verdict::Expired { .. } => "expired",
        }
    }

    /// The verdict in one sentence.
    pub fn message(&self) -> String {
        match self {
            Verdict::Valid => "证照真实有效：签名验证通过，未注销、未撤销，在有效期内。".into(),
            Verdict::Malformed { problem } => format!("不是有效的电子证照文件：{problem}"),
            Verdict::UnknownKey => "签名所用的密钥不是任何发证部门公布的密钥，证照不可信。".into(),
            Verdict::WrongKey => "签名所用的密钥不属于证照上的发证部门，证照不可信。".into(),
            Verdict::Tampered => "签名验证失败：证照内容与签名不符，可能已被篡改。".into(),
            Verdict::Revoked(r) => format!("证照已于 {} 被{}：{}", r.on, r.kind.label(), r.reason),
            Verdict::Expired { valid_until } => {
                format!("证照真实，但有效期已于 {valid_until} 届满。")
            }
        }
    }
}

/// Reads a licence file as uploaded or downloaded.
pub fn parse_file(text: &str) -> Result<LicenceFile, Verdict> {
    let file: LicenceFile = serde_json::from_str(text).map_err(|e| Verdict::Malformed {
        problem: format!("JSON 格式不正确（{e}）"),
    })?;
    check_format(&file)?;
    Ok(file)
}

/// Whether a file read as JSON declares the format and algorithm this code verifies.
pub fn check_format(file: &LicenceFile) -> Result<(), Verdict> {
    if file.format != FORMAT || file.signature.algorithm != ALGORITHM {
        return Err(Verdict::Malformed {
            problem: format!(
                "格式“{}”、算法“{}”不受支持",
                file.format, file.signature.algorithm
            ),
        });
    }
    Ok(())
}

/// Verifies a licence against the published keys and the revocation list, as of `today`:
/// the signature first (with the issuing department's key named in the file), then whether
/// it was ended, then its validity.
pub fn verify(
    file: &LicenceFile,
    keys: &[PublishedKey],
    revocations: &[Revocation],
    today: Date,
) -> Verdict {
    let Some(key) = keys.iter().find(|k| k.key_id == file.signature.key_id) else {
        return Verdict::UnknownKey;
    };
    if key.department_code != file.licence.department_code {
        return Verdict::WrongKey;
    }
    let genuine = unhex(&key.public_key)
        .and_then(|bytes| VerifyingKey::from_sec1_bytes(DISTINGUISHING_ID, &bytes).ok())
        .zip(
            unhex(&file.signature.value)
                .and_then(|bytes| Signature::try_from(bytes.as_slice()).ok()),
        )
        .is_some_and(|(vk, sig)| vk.verify(&file.licence.canonical(), &sig).is_ok());
    if !genuine {
        return Verdict::Tampered;
    }
    if let Some(r) = revocations
        .iter()
        .find(|r| r.number == file.licence.number && r.on <= today)
    {
        return Verdict::Revoked(r.clone());
    }
    match file.licence.valid_until {
        Some(until) if until < today => Verdict::Expired { valid_until: until },
        _ => Verdict::Valid,
    }
}

/// Verifies a licence file's text (see [`verify`]).
pub fn verify_text(
    text: &str,
    keys: &[PublishedKey],
    revocations: &[Revocation],
    today: Date,
) -> Verdict {
    match parse_file(text) {
        Ok(file) => verify(&file, keys, revocations, today),
        Err(v) => v,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests;
