//! The public catalog as the pages and the JSON API see it, and its server functions.

use leptos::prelude::*;

use crate::error::AppError;

pub use crate::views::catalog::*;

/// Searches the catalog.
#[server(prefix = "/sf", endpoint = "catalog/items")]
pub async fn list_items(filter: ItemFilter) -> Result<Vec<ItemSummary>, AppError> {
    let state = crate::server::state::expect_state()?;
    Ok(crate::server::services::catalog::list_items(&state.db, &filter).await?)
}

/// The departments, for the filter.
#[server(prefix = "/sf", endpoint = "catalog/departments")]
pub async fn list_departments() -> Result<Vec<DepartmentInfo>, AppError> {
    let state = crate::server::state::expect_state()?;
    Ok(crate::server::services::catalog::list_departments(&state.db).await?)
}

/// One guide; `None` when no item has this code.
#[server(prefix = "/sf", endpoint = "catalog/item")]
pub async fn get_item(code: String) -> Result<Option<ItemGuide>, AppError> {
    let state = crate::server::state::expect_state()?;
    let guide = state.track.reference.item(&state.db, &code).await?;
    Ok(found(guide.as_deref().cloned()))
}

/// The bundles (一件事).
#[server(prefix = "/sf", endpoint = "catalog/bundles")]
pub async fn list_bundles() -> Result<Vec<BundleSummary>, AppError> {
    let state = crate::server::state::expect_state()?;
    Ok(crate::server::services::catalog::list_bundles(&state.db).await?)
}

/// One bundle; `None` when no bundle has this code.
#[server(prefix = "/sf", endpoint = "catalog/bundle")]
pub async fn get_bundle(code: String) -> Result<Option<BundleView>, AppError> {
    let state = crate::server::state::expect_state()?;
    let bundle = state.track.reference.bundle(&state.db, &code).await?;
    Ok(found(bundle.as_deref().cloned()))
}

/// `value`, with the HTTP status 404 when there is none (the page says "not found" itself).
#[cfg(feature = "ssr")]
fn found<T>(value: Option<T>) -> Option<T> {
    if value.is_none() {
        crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    }
    value
}
