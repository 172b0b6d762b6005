//! 电子证照 as the pages call them: checking a licence by number and check code, the keys and
//! revocation list the browser verifies a file with, the public register, and 注销 / 撤销. The
//! JSON API (`/api/v1/licences/…`) calls the same service.

use leptos::prelude::*;

use crate::error::AppError;
pub use crate::views::licence::*;

/// A licence by number and check code, with the verdict.
#[server(prefix = "/sf", endpoint = "licences/check")]
pub async fn check_licence(number: String, code: String) -> Result<LicenceCheck, AppError> {
    use crate::server::client::ClientKey;
    let state = crate::server::state::expect_state()?;
    let client = ClientKey::of_request().await;
    crate::server::services::licences::check(&state.db, &number, &code, &client, chrono::Utc::now())
        .await
        .map_err(crate::server::error::refused)
}

/// A page of the public register.
#[server(prefix = "/sf", endpoint = "licences/register")]
pub async fn licence_register(filter: RegisterFilter) -> Result<Register, AppError> {
    let state = crate::server::state::expect_state()?;
    Ok(crate::server::services::licences::register(&state.db, &filter).await?)
}

/// 注销 / 撤销 by the issuing department's chief representative.
#[server(prefix = "/sf", endpoint = "licences/revoke")]
pub async fn revoke_licence(number: String, action: RevokeAction) -> Result<LicenceView, AppError> {
    use crate::server::services::licences;
    crate::server::auth::as_staff(async |state, me, now| {
        licences::revoke(&state.db, me, &number, &action, now).await
    })
    .await
}
