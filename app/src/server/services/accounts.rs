//! Applicant accounts: registration, login with throttling, logout; their sessions are
//! `services::sessions`.

use std::sync::OnceLock;

use anyhow::{Context, anyhow};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

pub use crate::domain::account::AccountInfo;
use crate::domain::account::{FieldProblem, RegistrationForm, ThrottleRule};
use crate::domain::date::Date;
use crate::domain::ids::MobileNumber;
use crate::server::client::ClientKey;
use crate::server::entities::{account, session};
use crate::server::services::{sessions, throttle};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "ow_session";

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
    #[error("尝试过于频繁，请 {retry_after} 秒后再试")]
    TooManyAttempts { retry_after: i64 },
    /// Too many password checks at once on this server.
    #[error("系统繁忙，请稍后再试")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<throttle::ThrottleError> for AccountError {
    fn from(e: throttle::ThrottleError) -> Self {
        match e {
            throttle::ThrottleError::Wait(retry_after) => {
                AccountError::TooManyAttempts { retry_after }
            }
            throttle::ThrottleError::Busy => AccountError::Busy,
            throttle::ThrottleError::Internal(e) => AccountError::Internal(e),
        }
    }
}

/// Registers an applicant. Every well-formed registration counts against the client
/// (`register:<client>`), so a script can neither mass-register nor probe which numbers are
/// registered.
pub async fn register(
    db: &DatabaseConnection,
    form: &RegistrationForm,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<AccountInfo, AccountError> {
    let registration = form
        .parse(Date::in_china_at(now.timestamp()))
        .map_err(AccountError::Invalid)?;
    let key = format!("register:{}", client.0);
    throttle::claim(db, &key, ThrottleRule::REGISTRATION, now).await?;
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

/// Logs in; returns the new session's token (for the cookie) and the account. The attempt is
/// counted against the number from this client before the password is checked, and failures
/// count against the client over all numbers (see `throttle`).
pub async fn login(
    db: &DatabaseConnection,
    mobile: &str,
    password: &str,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<(String, AccountInfo), AccountError> {
    // An ill-formed number cannot have an account; answer as for a wrong password.
    let Ok(mobile) = MobileNumber::parse(mobile) else {
        return Err(AccountError::InvalidCredentials);
    };
    let guard = LoginGuard::claim(db, &format!("login:{}", mobile.as_str()), client, now).await?;
    let found = account::Entity::find()
        .filter(account::Column::Mobile.eq(mobile.as_str()))
        .one(db)
        .await
        .context("failed to look up an account")?;
    let hash = found.as_ref().map(|a| a.password_hash.clone());
    let matches = guard.verify(password, hash).await?;
    let Some(account) = found.filter(|_| matches) else {
        guard.failed(db, now).await?;
        return Err(AccountError::InvalidCredentials);
    };
    let token = guard.open::<session::Entity>(db, account.id, now).await?;
    Ok((token, info(&account)))
}

/// One password check as the throttles see it: claimed (counted) before it runs, forgotten
/// when it succeeds, counted against the client too when it fails. Applicants and staff
/// alike.
pub(crate) struct LoginGuard {
    account_key: String,
    client_key: String,
    /// The account from this client was locked by this very attempt.
    pub locked_now: bool,
}

impl LoginGuard {
    /// Claims an attempt at `account` (e.g. `login:<mobile>`, `staff:<login>`) from `client`.
    pub(crate) async fn claim(
        db: &DatabaseConnection,
        account: &str,
        client: &ClientKey,
        now: DateTime<Utc>,
    ) -> Result<Self, AccountError> {
        let client_key = format!("login-client:{}", client.0);
        throttle::check(db, &client_key, ThrottleRule::CLIENT, now).await?;
        let account_key = format!("{account}@{}", client.0);
        let counted = throttle::claim(db, &account_key, ThrottleRule::LOGIN, now).await?;
        Ok(LoginGuard {
            account_key,
            client_key,
            locked_now: counted.locked_until.is_some(),
        })
    }

    /// Whether `password` is the one `hash` was made from. Without an account (`None`) the
    /// check runs against a dummy hash all the same, so the time it takes does not tell.
    pub(crate) async fn verify(
        &self,
        password: &str,
        hash: Option<String>,
    ) -> Result<bool, AccountError> {
        let hash = hash.unwrap_or_else(|| dummy_hash().to_owned());
        verify_password(password.to_owned(), hash).await
    }

    /// The check succeeded: in one transaction the attempts are forgotten and a session of
    /// `T` is opened for `owner`; its token.
    pub(crate) async fn open<T: sessions::SessionTable>(
        self,
        db: &DatabaseConnection,
        owner: i32,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let txn = db.begin().await.context("failed to begin a login")?;
        throttle::forget(&txn, &self.account_key).await?;
        let token = sessions::open::<T>(&txn, owner, now).await?;
        txn.commit().await.context("failed to commit a login")?;
        Ok(token)
    }

    pub(crate) async fn failed(
        &self,
        db: &DatabaseConnection,
        now: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        throttle::count(db, &self.client_key, ThrottleRule::CLIENT, now).await?;
        Ok(())
    }
}

/// Ends the session with this token (nothing happens for an unknown token).
pub async fn logout(db: &DatabaseConnection, token: &str) -> anyhow::Result<()> {
    sessions::end::<session::Entity>(db, token).await
}

/// The account of a live session; an idle session has expired and is deleted.
pub async fn authenticate(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<AccountInfo>> {
    let Some(id) = sessions::owner::<session::Entity>(db, token, now).await? else {
        return Ok(None);
    };
    let account = account::Entity::find_by_id(id)
        .one(db)
        .await
        .context("failed to read an account")?;
    Ok(account.as_ref().map(info))
}

/// Whether the session with this token is still open (not logged out, not idle too long),
/// without counting this as use.
pub async fn session_alive(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    sessions::alive::<session::Entity>(db, token, now).await
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

pub(crate) fn info(a: &account::Model) -> AccountInfo {
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

/// argon2id with the crate's default (OWASP) parameters, off the async threads, at most a
/// few at once (`throttle::on_hashing_thread`).
pub(crate) async fn hash_password(password: String) -> Result<String, AccountError> {
    let salt = {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| anyhow!("no randomness for a salt: {e}"))?;
        SaltString::encode_b64(&bytes).map_err(|e| anyhow!("bad salt: {e}"))?
    };
    Ok(throttle::on_hashing_thread(move || {
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow!("failed to hash a password: {e}"))
    })
    .await??)
}

async fn verify_password(password: String, hash: String) -> Result<bool, AccountError> {
    Ok(throttle::on_hashing_thread(move || {
        let parsed =
            PasswordHash::new(&hash).map_err(|e| anyhow!("stored hash is unreadable: {e}"))?;
        anyhow::Ok(
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await??)
}

/// A hash no password matches, computed once, to spend the same time on unknown numbers.
fn dummy_hash() -> &'static str {
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
