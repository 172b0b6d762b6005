//! 关联窗口办件: an applicant links a case taken for them at the window to their account by
//! presenting the 查询码 printed on its receipt, the proof that they hold the receipt. A
//! matching mobile and ID number are not proof (anyone who knows them could register first
//! and read the case, download its files and answer its correction notice). Wrong guesses
//! count against the client like tracking lookups; the right code moves the case to the
//! account that presented it, so the receipt's holder can take it back from anyone.

use super::*;
use crate::domain::account::ThrottleRule;
use crate::domain::track::normalize_factor;
use crate::server::client::ClientKey;
use crate::server::services::throttle;

/// Links the window case `number` to `account_id` if `code` is its 查询码.
pub async fn claim(
    db: &DatabaseConnection,
    account_id: i32,
    number: &str,
    code: &str,
    client: &ClientKey,
    now: DateTime<Utc>,
) -> Result<ApplicationView, ApplicationError> {
    let key = format!("claim:{}", client.0);
    // A guess at the receipt's code: parallel ones cannot all pass before their failures are
    // counted.
    let rule = ThrottleRule::LOGIN;
    let (guess, record) = throttle::guess(db, &key, rule, now)
        .await?
        .map_err(ApplicationError::TooManyAttempts)?;
    let found = match ApplicationNumber::parse(number.trim()) {
        Some(number) => application::Entity::find()
            .filter(application::Column::CaseNumber.eq(number.as_str()))
            .filter(application::Column::Channel.eq(Channel::Window.as_str()))
            .one(db)
            .await
            .context("failed to read a case")?,
        None => None,
    };
    let code = normalize_factor(code);
    let Some(row) = found.filter(|row| {
        !code.is_empty()
            && row
                .tracking_code
                .as_deref()
                .is_some_and(|known| normalize_factor(known) == code)
    }) else {
        let failure = guess
            .wrong(rule, record, now)
            .map_err(ApplicationError::TooManyAttempts)?;
        failure.count(db, now).await?;
        return Err(ApplicationError::NotClaimable);
    };
    guess
        .right(rule, record, now)
        .map_err(ApplicationError::TooManyAttempts)?;
    if row.holder_account_id != Some(account_id) {
        if let Some(previous) = row.holder_account_id {
            tracing::warn!(
                target: "security",
                case = row.case_number.as_deref().unwrap_or_default(),
                previous,
                account_id,
                "a window case moved to the account that presented its receipt code"
            );
        }
        application::Entity::update_many()
            .col_expr(
                application::Column::HolderAccountId,
                Expr::value(Some(account_id)),
            )
            .filter(application::Column::Id.eq(row.id))
            .exec(db)
            .await
            .context("failed to link a window case")?;
    }
    reread(db, row.id).await
}
