//! The rows a case owns in the tables beside it (its history, uploads, tasks, decisions,
//! licences…), read one way.

use anyhow::Context;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};

use crate::server::entities::OfCase;

/// The case's rows of `E`, in the order they were written.
pub async fn rows_of<E: OfCase>(
    db: &impl ConnectionTrait,
    application_id: i32,
) -> anyhow::Result<Vec<E::Model>> {
    E::find()
        .filter(E::CASE.eq(application_id))
        .order_by_asc(E::ID)
        .all(db)
        .await
        .with_context(|| format!("failed to read {}", E::WHAT))
}
