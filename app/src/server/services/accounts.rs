//! Applicant accounts: registration, login with throttling, database sessions, logout.
//!
//! Why not tower-sessions: its stores are per database driver, and this binary picks SQLite
//! or PostgreSQL at run time through sea-orm; a session here is one row in the same database,
//! created and deleted through the same entities, and the cookie carries only a random token
//! whose SHA-256 is what the table stores.

use std::sync::OnceLock;

use anyhow::{Context, anyhow};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

pub use crate::domain::account::AccountInfo;
use crate::domain::account::{
    FieldProblem, RegistrationForm, SESSION_IDLE_SECONDS, Throttle, after_failure, login_wait,
};
use crate::domain::date::Date;
use crate::domain::ids::MobileNumber;
use crate::server::entities::{account, login_throttle, session};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "ow_session";

/// A session's last-seen time is written at most this often, in seconds.
pub(crate) const TOUCH_EVERY_SECONDS: i64 = 60;

/// Why an account operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("注册信息有误")]
    Invalid(Vec<FieldProblem>),
    #[error("该手机号码已注册")]
    MobileTaken,
    /// Wrong number or password; never says which.
    #[error("手机号码或密码不正确")]
    InvalidCredentials,
    #[error("登录尝试过于频繁，请 {retry_after} 秒后再试")]
    TooManyAttempts { retry_after: i64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Registers an applicant.
pub async fn register(
    db: &DatabaseConnection,
    form: &RegistrationForm,
    now: DateTime<Utc>,
) -> Result<AccountInfo, AccountError> {
    let registration = form
        .parse(Date::in_china_at(now.timestamp()))
        .map_err(AccountError::Invalid)?;
    let taken = account::Entity::find()
        .filter(account::Column::Mobile.eq(registration.mobile.as_str()))
        .one(db)
        .await
        .context("failed to look up a mobile number")?;
    if taken.is_some() {
        return Err(AccountError::MobileTaken);
    }
    let hash = hash_password(registration.password.clone()).await?;
    let row = account::ActiveModel {
        mobile: Set(registration.mobile.as_str().into()),
        password_hash: Set(hash),
        name: Set(registration.name.clone()),
        id_number: Set(registration.id_number.as_str().into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match row {
        Ok(row) => Ok(info(&row)),
        // Two registrations of one number at the same moment: the unique index decides.
        Err(_) if account_exists(db, registration.mobile.as_str()).await? => {
            Err(AccountError::MobileTaken)
        }
        Err(e) => Err(anyhow::Error::new(e)
            .context("failed to insert an account")
            .into()),
    }
}

/// Logs in; returns the new session's token (for the cookie) and the account.
pub async fn login(
    db: &DatabaseConnection,
    mobile: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(String, AccountInfo), AccountError> {
    // An ill-formed number cannot have an account; answer as for a wrong password.
    let Ok(mobile) = MobileNumber::parse(mobile) else {
        return Err(AccountError::InvalidCredentials);
    };
    let throttle_row = throttle_check(db, mobile.as_str(), now).await?;
    let found = account::Entity::find()
        .filter(account::Column::Mobile.eq(mobile.as_str()))
        .one(db)
        .await
        .context("failed to look up an account")?;
    // Without an account, verify against a dummy hash anyway, so timing does not tell.
    let hash = found
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| dummy_hash().to_owned());
    let matches = verify_password(password.to_owned(), hash).await?;

    let txn = db.begin().await.context("failed to begin a login")?;
    let outcome = match (found, matches) {
        (Some(account), true) => {
            throttle_clear(&txn, throttle_row).await?;
            let token = new_token()?;
            session::ActiveModel {
                token_hash: Set(token_hash(&token)),
                account_id: Set(account.id),
                created_at: Set(now),
                last_seen_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .context("failed to insert a session")?;
            Ok((token, info(&account)))
        }
        _ => {
            throttle_failure(&txn, mobile.as_str(), throttle_row, now).await?;
            Err(AccountError::InvalidCredentials)
        }
    };
    txn.commit().await.context("failed to commit a login")?;
    outcome
}

/// The throttle row of a login key (a mobile number, or `staff:<login>` for staff), or
/// `TooManyAttempts` while it is locked.
pub(crate) async fn throttle_check(
    db: &DatabaseConnection,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<login_throttle::Model>, AccountError> {
    let row = login_throttle::Entity::find()
        .filter(login_throttle::Column::Mobile.eq(key))
        .one(db)
        .await
        .context("failed to read the login throttle")?;
    if let Err(retry_after) = login_wait(row.as_ref().map(throttle_of), now.timestamp()) {
        return Err(AccountError::TooManyAttempts { retry_after });
    }
    Ok(row)
}

/// Forgets the failures of a key after a successful login.
pub(crate) async fn throttle_clear(
    txn: &impl ConnectionTrait,
    row: Option<login_throttle::Model>,
) -> anyhow::Result<()> {
    if let Some(row) = row {
        login_throttle::Entity::delete_by_id(row.id)
            .exec(txn)
            .await
            .context("failed to clear the throttle")?;
    }
    Ok(())
}

/// Counts a failed login of a key.
pub(crate) async fn throttle_failure(
    txn: &impl ConnectionTrait,
    key: &str,
    row: Option<login_throttle::Model>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let next = after_failure(row.as_ref().map(throttle_of), now.timestamp());
    let to_time = |t: i64| DateTime::<Utc>::from_timestamp(t, 0).unwrap_or(now);
    match row {
        Some(row) => {
            let mut row: login_throttle::ActiveModel = row.into();
            row.failures = Set(next.failures);
            row.last_failure_at = Set(to_time(next.last_failure_at));
            row.locked_until = Set(next.locked_until.map(to_time));
            row.update(txn)
                .await
                .context("failed to update the throttle")?;
        }
        None => {
            login_throttle::ActiveModel {
                mobile: Set(key.into()),
                failures: Set(next.failures),
                last_failure_at: Set(to_time(next.last_failure_at)),
                locked_until: Set(next.locked_until.map(to_time)),
                ..Default::default()
            }
            .insert(txn)
            .await
            .context("failed to insert the throttle")?;
        }
    }
    Ok(())
}

fn throttle_of(t: &login_throttle::Model) -> Throttle {
    Throttle {
        failures: t.failures,
        last_failure_at: t.last_failure_at.timestamp(),
        locked_until: t.locked_until.map(|l| l.timestamp()),
    }
}

/// Ends the session with this token (nothing happens for an unknown token).
pub async fn logout(db: &DatabaseConnection, token: &str) -> anyhow::Result<()> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .exec(db)
        .await
        .context("failed to delete a session")?;
    Ok(())
}

/// The account of a live session; an idle session has expired and is deleted.
pub async fn authenticate(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<AccountInfo>> {
    let Some(row) = session::Entity::find()
        .filter(session::Column::TokenHash.eq(token_hash(token)))
        .one(db)
        .await
        .context("failed to read a session")?
    else {
        return Ok(None);
    };
    let idle = (now - row.last_seen_at).num_seconds();
    if idle >= SESSION_IDLE_SECONDS {
        session::Entity::delete_by_id(row.id)
            .exec(db)
            .await
            .context("failed to expire a session")?;
        return Ok(None);
    }
    let Some(account) = account::Entity::find_by_id(row.account_id)
        .one(db)
        .await
        .context("failed to read an account")?
    else {
        return Ok(None);
    };
    if idle >= TOUCH_EVERY_SECONDS {
        let mut row: session::ActiveModel = row.into();
        row.last_seen_at = Set(now);
        row.update(db).await.context("failed to touch a session")?;
    }
    Ok(Some(info(&account)))
}

/// The value of cookie `name` in a `Cookie` header, if set and not empty.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value that stores a session (`secure` on HTTPS deployments).
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

fn info(a: &account::Model) -> AccountInfo {
    let mobile = MobileNumber::parse(&a.mobile)
        .map(|m| m.masked())
        .unwrap_or_else(|_| "***".into());
    let id_number = if a.id_number.len() == 18 {
        format!("{}**********{}", &a.id_number[..4], &a.id_number[14..])
    } else {
        "***".into()
    };
    AccountInfo {
        id: a.id,
        mobile,
        name: a.name.clone(),
        id_number,
    }
}

async fn account_exists(db: &DatabaseConnection, mobile: &str) -> anyhow::Result<bool> {
    Ok(account::Entity::find()
        .filter(account::Column::Mobile.eq(mobile))
        .one(db)
        .await
        .context("failed to look up a mobile number")?
        .is_some())
}

/// argon2id with the crate's default (OWASP) parameters, off the async threads.
pub(crate) async fn hash_password(password: String) -> anyhow::Result<String> {
    let salt = {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| anyhow!("no randomness for a salt: {e}"))?;
        SaltString::encode_b64(&bytes).map_err(|e| anyhow!("bad salt: {e}"))?
    };
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow!("failed to hash a password: {e}"))
    })
    .await
    .context("the hashing task failed")?
}

pub(crate) async fn verify_password(password: String, hash: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed =
            PasswordHash::new(&hash).map_err(|e| anyhow!("stored hash is unreadable: {e}"))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .context("the verifying task failed")?
}

/// A hash no password matches, computed once, to spend the same time on unknown numbers.
pub(crate) fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        SaltString::encode_b64(b"onewindow-dummy!")
            .ok()
            .and_then(|salt| {
                Argon2::default()
                    .hash_password(b"\0no password is this\0", &salt)
                    .ok()
                    .map(|h| h.to_string())
            })
            .unwrap_or_default()
    })
}

/// 32 random bytes, hex: the cookie value.
pub(crate) fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("no randomness for a session token: {e}"))?;
    Ok(hex::encode(bytes))
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
