//! The departments' SM2 signing keys: made by the server, the secret sealed at rest with
//! SM4-GCM under a master key, the public key published; rotation retires a key without
//! unpublishing it.
//!
//! The master key (16 bytes, hex) comes from `ONEWINDOW_LICENCE_KEY`. Without it the server
//! makes one at `<data dir>/licence-master.key` (readable by its owner only) the first time
//! it needs one, and logs that production should set the variable instead: the master key
//! must be backed up apart from the database, since a sealed secret cannot be opened without
//! it. Losing it loses no licence (the public keys stay published); the departments then
//! rotate to new keys.

use std::sync::OnceLock;

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{Aead, KeyInit};
use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::clock::china_date;
use crate::domain::licence::{PublishedKey, public_key_of, valid_secret};
use crate::server::entities::licence_key;

type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

/// The master key, once read.
fn master_key() -> anyhow::Result<&'static [u8; 16]> {
    static KEY: OnceLock<[u8; 16]> = OnceLock::new();
    if let Some(k) = KEY.get() {
        return Ok(k);
    }
    let key = read_master_key()?;
    Ok(KEY.get_or_init(|| key))
}

fn parse_master(text: &str) -> anyhow::Result<[u8; 16]> {
    let bytes = hex::decode(text.trim()).context("the licence master key is not hex")?;
    bytes
        .try_into()
        .map_err(|_| anyhow!("the licence master key must be 16 bytes (32 hex digits)"))
}

fn read_master_key() -> anyhow::Result<[u8; 16]> {
    if let Ok(text) = std::env::var("ONEWINDOW_LICENCE_KEY")
        && !text.trim().is_empty()
    {
        return parse_master(&text).context("ONEWINDOW_LICENCE_KEY");
    }
    let dir = std::env::var("ONEWINDOW_DATA_DIR").unwrap_or_else(|_| "data".into());
    let path = std::path::Path::new(&dir).join("licence-master.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return parse_master(&text).with_context(|| format!("{}", path.display()));
    }
    let mut key = [0u8; 16];
    getrandom::fill(&mut key).map_err(|e| anyhow!("no randomness for a master key: {e}"))?;
    std::fs::create_dir_all(&dir).with_context(|| format!("failed to create {dir}"))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            use std::io::Write;
            file.write_all(hex::encode(key).as_bytes())
                .with_context(|| format!("failed to write {}", path.display()))?;
            tracing::warn!(
                path = %path.display(),
                "made a licence master key; in production set ONEWINDOW_LICENCE_KEY and back it up apart from the database"
            );
            Ok(key)
        }
        // Another instance made it first.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("failed to read {}", path.display()))?;
            parse_master(&text)
        }
        Err(e) => Err(e).with_context(|| format!("failed to create {}", path.display())),
    }
}

fn seal(master: &[u8; 16], secret: &[u8]) -> anyhow::Result<String> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|e| anyhow!("no randomness for a nonce: {e}"))?;
    let cipher = Sm4Gcm::new(GenericArray::from_slice(master));
    let sealed = cipher
        .encrypt(GenericArray::from_slice(&nonce), secret)
        .map_err(|_| anyhow!("failed to seal a signing key"))?;
    Ok(format!("{}{}", hex::encode(nonce), hex::encode(sealed)))
}

fn open(master: &[u8; 16], sealed: &str) -> anyhow::Result<Vec<u8>> {
    let bytes = hex::decode(sealed).context("a sealed signing key is not hex")?;
    if bytes.len() < 12 {
        return Err(anyhow!("a sealed signing key is too short"));
    }
    let (nonce, body) = bytes.split_at(12);
    Sm4Gcm::new(GenericArray::from_slice(master))
        .decrypt(GenericArray::from_slice(nonce), body)
        .map_err(|_| anyhow!("a signing key does not open with this master key"))
}

/// A department's key to sign with: its id and the secret.
pub struct SigningSecret {
    pub key_id: String,
    pub secret: Vec<u8>,
}

/// The department's key in use, made if it has none.
pub async fn active(
    db: &impl ConnectionTrait,
    department: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<SigningSecret> {
    let master = master_key()?;
    let current = licence_key::Entity::find()
        .filter(licence_key::Column::Department.eq(department))
        .filter(licence_key::Column::RetiredAt.is_null())
        .order_by_desc(licence_key::Column::Id)
        .one(db)
        .await
        .context("failed to read a signing key")?;
    match current {
        Some(k) => Ok(SigningSecret {
            secret: open(master, &k.sealed_secret)?,
            key_id: k.key_id,
        }),
        None => make(db, department, now).await,
    }
}

/// Makes a new key for the department and retires the one in use (rotation). Licences the
/// old key signed stay valid: its public key stays published.
pub async fn rotate(
    db: &impl ConnectionTrait,
    department: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    licence_key::Entity::update_many()
        .col_expr(licence_key::Column::RetiredAt, Expr::value(Some(now)))
        .filter(licence_key::Column::Department.eq(department))
        .filter(licence_key::Column::RetiredAt.is_null())
        .exec(db)
        .await
        .context("failed to retire a signing key")?;
    Ok(make(db, department, now).await?.key_id)
}

async fn make(
    db: &impl ConnectionTrait,
    department: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<SigningSecret> {
    let master = master_key()?;
    let secret = loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| anyhow!("no randomness for a key: {e}"))?;
        if valid_secret(&bytes) {
            break bytes;
        }
    };
    let mut tag = [0u8; 2];
    getrandom::fill(&mut tag).map_err(|e| anyhow!("no randomness for a key id: {e}"))?;
    let key_id = format!(
        "{department}-{}-{}",
        china_date(now).to_string().replace('-', ""),
        hex::encode_upper(tag)
    );
    licence_key::ActiveModel {
        key_id: Set(key_id.clone()),
        department: Set(department.into()),
        public_key: Set(public_key_of(&secret).map_err(|e| anyhow!("{e}"))?),
        sealed_secret: Set(seal(master, &secret)?),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .context("failed to store a signing key")?;
    Ok(SigningSecret {
        key_id,
        secret: secret.to_vec(),
    })
}

/// Every key ever used, for verifiers: retired ones too.
pub async fn published(db: &impl ConnectionTrait) -> anyhow::Result<Vec<PublishedKey>> {
    Ok(licence_key::Entity::find()
        .order_by_asc(licence_key::Column::Id)
        .all(db)
        .await
        .context("failed to read the signing keys")?
        .into_iter()
        .map(|k| PublishedKey {
            key_id: k.key_id,
            department_code: k.department,
            public_key: k.public_key,
            created_on: china_date(k.created_at),
            retired_on: k.retired_at.map(china_date),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_master_key() {
        let sealed = seal(&[1; 16], &[7; 32]).unwrap();
        assert_eq!(open(&[1; 16], &sealed).unwrap(), vec![7; 32]);
        assert!(open(&[2; 16], &sealed).is_err());
        let mut bad = sealed.clone();
        bad.replace_range(40..42, if &sealed[40..42] == "00" { "11" } else { "00" });
        assert!(open(&[1; 16], &bad).is_err());
        assert_ne!(
            seal(&[1; 16], &[7; 32]).unwrap(),
            sealed,
            "a fresh nonce each time"
        );
    }
}
