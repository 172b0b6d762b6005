//! The catalog service, in three parts: `import` (a catalog file into the database, all or
//! nothing), `read` (the public pages, the JSON API and the export) and `forms` (what an
//! application needs: the form, the guide versions in force, who handles it). Every
//! function takes the connection first.

mod forms;
mod import;
mod read;

pub use forms::*;
pub use import::*;
pub use read::*;

use std::collections::BTreeMap;

use anyhow::{Context, anyhow};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QuerySelect};

use crate::server::entities::Coded;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The row of `E` with this code.
pub async fn by_code<E: Coded>(
    db: &impl ConnectionTrait,
    code: &str,
) -> anyhow::Result<Option<E::Model>> {
    E::find()
        .filter(E::CODE.eq(code))
        .one(db)
        .await
        .with_context(|| format!("failed to read {}", E::WHAT))
}

/// The name of every row of `E`, by code.
pub async fn names_of<E: Coded>(
    db: &impl ConnectionTrait,
) -> anyhow::Result<BTreeMap<String, String>> {
    Ok(E::find()
        .select_only()
        .column(E::CODE)
        .column(E::NAME)
        .into_tuple::<(String, String)>()
        .all(db)
        .await
        .with_context(|| format!("failed to read the names of {}", E::WHAT))?
        .into_iter()
        .collect())
}

/// SHA-256 of a record as serialised in the file: the same record always hashes the same.
fn content_hash<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let bytes = serde_json::to_vec(value).context("failed to serialise for hashing")?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

fn json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    serde_json::to_string(value).context("failed to serialise a list")
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> anyhow::Result<T> {
    serde_json::from_str(text).with_context(|| format!("corrupt JSON column: {text}"))
}

fn parse<T>(f: fn(&str) -> Option<T>, s: &str) -> anyhow::Result<T> {
    f(s).ok_or_else(|| anyhow!("unknown value {s:?} in the database"))
}

/// Catalog numbers are small (checked on import), so these conversions never saturate.
fn to_i32(n: impl TryInto<i32>) -> i32 {
    n.try_into().unwrap_or(i32::MAX)
}

fn to_u32(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(0)
}
