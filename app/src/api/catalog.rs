//! The public catalog as the pages and the JSON API see it, and its server functions.

use leptos::prelude::*;

use crate::error::AppError;

pub use crate::views::catalog::*;

/// Searches the catalog.
#[server(prefix = "/sf", endpoint = "catalog/items")]
pub async fn list_items(filter: ItemFilter) -> Result<Vec<ItemSummary>, AppError> {
    let state = crate::server::state::expect_state()?;
    crate::server::services::catalog::list_items(&state.db, &filter)
        .await
        .map_err(AppError::from)
}

/// The departments, for the filter.
#[server(prefix = "/sf", endpoint = "catalog/departments")]
pub async fn list_departments() -> Result<Vec<DepartmentInfo>, AppError> {
    let state = crate::server::state::expect_state()?;
    crate::server::services::catalog::list_departments(&state.db)
        .await
        .map_err(AppError::from)
}

/// One guide; `None` when no item has this code.
#[server(prefix = "/sf", endpoint = "catalog/item")]
pub async fn get_item(code: String) -> Result<Option<ItemGuide>, AppError> {
    let state = crate::server::state::expect_state()?;
    let guide = crate::server::services::catalog::get_item(&state.db, &code)
        .await
        .map_err(AppError::from)?;
    if guide.is_none() {
        crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    }
    Ok(guide)
}

/// The bundles (一件事).
#[server(prefix = "/sf", endpoint = "catalog/bundles")]
pub async fn list_bundles() -> Result<Vec<BundleSummary>, AppError> {
    let state = crate::server::state::expect_state()?;
    crate::server::services::catalog::list_bundles(&state.db)
        .await
        .map_err(AppError::from)
}

/// One bundle; `None` when no bundle has this code.
#[server(prefix = "/sf", endpoint = "catalog/bundle")]
pub async fn get_bundle(code: String) -> Result<Option<BundleView>, AppError> {
    let state = crate::server::state::expect_state()?;
    let view = crate::server::services::catalog::get_bundle(&state.db, &code)
        .await
        .map_err(AppError::from)?;
    if view.is_none() {
        crate::server::state::set_status(http::StatusCode::NOT_FOUND);
    }
    Ok(view)
}
