//! Taking back a mobile number by a code sent to it by SMS. Whoever holds the phone proves
//! it with the code; if their name and ID number are the account's, the password is reset;
//! if not, the number had been registered by someone else, who loses it (their account and
//! its data stay, under a released number, for the record) and the holder of the phone gets
//! a new account under it. Every session of the account whose number changes ends.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use crate::domain::account::{
    AccountInfo, FieldProblem, RECOVERY_CODE_DIGITS, RECOVERY_CODE_SECONDS, RECOVERY_CODE_TRIES,
    RecoveryForm, ThrottleRule, recovery_code_refused,
};
use crate::domain::date::Date;
use crate::domain::ids::MobileNumber;
use crate::server::client::ClientKey;
use crate::server::entities::{account, login_throttle, recovery_code, session};
use crate::server::notify::{self, Message};
use crate::server::services::accounts::{AccountError, hash_password, info};
use crate::server::services::sessions::{self, token_hash};
use crate::server::services::throttle;

/// Sends a recovery code to `mobile` by SMS if an account has that number. The answer is the
/// same either way (it must not tell whether a number is registered); sends are limited per
/// number ([`ThrottleRule::RECOVERY`]) and per client (as registrations are). A new code
/// replaces an older one.
pub async fn send_code(
    db: &DatabaseConnection,
    mobile: &str,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    let mobile = MobileNumber::parse(mobile.trim()).map_err(|e| {
        AccountError::Invalid(vec![FieldProblem {
            field: "mobile".into(),
            code: e.code().into(),
            message: e.message().into(),
        }])
    })?;
    let client_key = format!("recovery-send:{}", client.0);
    throttle::claim(db, &client_key, ThrottleRule::REGISTRATION, now).await?;
    let number_key = format!("recovery-sms:{}", mobile.as_str());
    throttle::claim(db, &number_key, ThrottleRule::RECOVERY, now).await?;
    let registered = account::Entity::find()
        .filter(account::Column::Mobile.eq(mobile.as_str()))
        .one(db)
        .await
        .context("failed to look up a mobile number")?
        .is_some();
    if !registered {
        return Ok(());
    }
    let code = new_code()?;
    let txn = db.begin().await.context("failed to begin")?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::Mobile.eq(mobile.as_str()))
        .exec(&txn)
        .await
        .context("failed to clear old recovery codes")?;
    recovery_code::ActiveModel {
        mobile: Set(mobile.as_str().into()),
        code_hash: Set(token_hash(&code)),
        attempts: Set(0),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::seconds(RECOVERY_CODE_SECONDS)),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("failed to store a recovery code")?;
    let minutes = RECOVERY_CODE_SECONDS / 60;
    let sms = Message {
        audience: "applicant",
        channel: "sms",
        recipient: mobile.as_str().into(),
        subject: "找回账号验证码".into(),
        body: format!(
            "您正在一窗通办找回账号，验证码 {code}，{minutes} 分钟内有效。如非本人操作，请忽略；工作人员不会向您索要验证码。"
        ),
    };
    notify::enqueue_for_account(&txn, vec![sms], now).await?;
    txn.commit()
        .await
        .context("failed to commit a recovery code")?;
    Ok(())
}

/// Takes back a number with the code sent to it (see the module's description). A wrong,
/// used-up or expired code is refused on the `code` field, never saying which; each try is
/// counted before it is judged, so parallel guesses share the code's five tries, and wrong
/// tries count against the client as failed logins do.
pub async fn recover(
    db: &DatabaseConnection,
    form: &RecoveryForm,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<AccountInfo, AccountError> {
    let (registration, code) = form
        .parse(Date::in_china_at(now.timestamp()))
        .map_err(AccountError::Invalid)?;
    let client_key = format!("recovery-client:{}", client.0);
    throttle::check(db, &client_key, ThrottleRule::CLIENT, now).await?;
    let refused = || AccountError::Invalid(vec![recovery_code_refused()]);
    let mobile = registration.mobile.as_str();
    let row = recovery_code::Entity::find()
        .filter(recovery_code::Column::Mobile.eq(mobile))
        .order_by_desc(recovery_code::Column::Id)
        .one(db)
        .await
        .context("failed to read a recovery code")?
        .filter(|r| r.expires_at > now);
    let counted = match &row {
        Some(r) => {
            recovery_code::Entity::update_many()
                .col_expr(
                    recovery_code::Column::Attempts,
                    Expr::col(recovery_code::Column::Attempts).add(1),
                )
                .filter(recovery_code::Column::Id.eq(r.id))
                .filter(recovery_code::Column::Attempts.lt(RECOVERY_CODE_TRIES))
                .exec(db)
                .await
                .context("failed to count a recovery try")?
                .rows_affected
                == 1
        }
        None => false,
    };
    let Some(row) = row.filter(|r| counted && r.code_hash == token_hash(&code)) else {
        throttle::count(db, &client_key, ThrottleRule::CLIENT, now).await?;
        return Err(refused());
    };
    let password_hash = hash_password(registration.password.clone()).await?;
    let txn = db.begin().await.context("failed to begin a recovery")?;
    // The code is used once: of two recoveries with it at once, one goes on.
    let used = recovery_code::Entity::delete_by_id(row.id)
        .exec(&txn)
        .await
        .context("failed to use a recovery code")?;
    if used.rows_affected == 0 {
        return Err(refused());
    }
    let holder = account::Entity::find()
        .filter(account::Column::Mobile.eq(mobile))
        .one(&txn)
        .await
        .context("failed to read an account")?;
    let account = match holder {
        Some(a)
            if a.name == registration.name && a.id_number == registration.id_number.as_str() =>
        {
            sessions::end_all::<session::Entity>(&txn, a.id).await?;
            let mut a: account::ActiveModel = a.into();
            a.password_hash = Set(password_hash);
            a.update(&txn).await.context("failed to reset a password")?
        }
        other => {
            if let Some(squatter) = other {
                tracing::warn!(
                    target: "security",
                    account = squatter.id,
                    "a mobile number was taken back, by its code, from the account that registered it"
                );
                sessions::end_all::<session::Entity>(&txn, squatter.id).await?;
                let released = format!("released:{}", squatter.id);
                let mut squatter: account::ActiveModel = squatter.into();
                squatter.mobile = Set(released);
                squatter
                    .update(&txn)
                    .await
                    .context("failed to release a number")?;
            }
            account::ActiveModel {
                mobile: Set(mobile.into()),
                password_hash: Set(password_hash),
                name: Set(registration.name.clone()),
                id_number: Set(registration.id_number.as_str().into()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .context("failed to insert an account")?
        }
    };
    // Proof of the phone lifts the locks that wrong passwords put on the number.
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Mobile.starts_with(format!("login:{mobile}@")))
        .exec(&txn)
        .await
        .context("failed to lift login locks")?;
    txn.commit().await.context("failed to commit a recovery")?;
    throttle::forget(db, &format!("recovery-sms:{mobile}")).await?;
    Ok(info(&account))
}

/// A random code of [`RECOVERY_CODE_DIGITS`] digits.
fn new_code() -> anyhow::Result<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for a code: {e}"))?;
    let modulus = 10u64.pow(RECOVERY_CODE_DIGITS as u32);
    Ok(format!(
        "{:0width$}",
        u64::from_le_bytes(bytes) % modulus,
        width = RECOVERY_CODE_DIGITS
    ))
}
