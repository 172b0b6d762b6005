//! A case's notices and materials, for its department's staff or its applicant.

use super::*;

/// A notice of a case, for staff of its department or its applicant.
pub async fn notice(
    db: &DatabaseConnection,
    viewer: &Viewer,
    number: &str,
    id: i32,
) -> anyhow::Result<Option<NoticeView>> {
    let row = match viewer {
        Viewer::Staff(me) => match cases::department_case(db, me, number).await {
            Ok(row) => row,
            Err(CaseError::Internal(e)) => return Err(e),
            Err(_) => return Ok(None),
        },
        Viewer::Applicant(account) => match applications::own_row(db, *account, number).await? {
            Some(row) => row,
            None => return Ok(None),
        },
    };
    let Some(n) = notice::Entity::find_by_id(id)
        .filter(notice::Column::ApplicationId.eq(row.id))
        .one(db)
        .await
        .context("failed to read a notice")?
    else {
        return Ok(None);
    };
    cases::notice_view(n).map(Some)
}

/// The content of a material of a department's case (current, or replaced in a fix-up).
pub async fn material(
    db: &DatabaseConnection,
    store: &crate::server::storage::MaterialStore,
    me: &StaffInfo,
    number: &str,
    code: &str,
    replaced: Option<i32>,
) -> Result<(String, String, u64, crate::server::storage::ByteStream), ReviewError> {
    let row = cases::department_case(db, me, number).await?;
    let (sha256, file_name, file_type) = match replaced {
        None => {
            let m = application_material::Entity::find()
                .filter(application_material::Column::ApplicationId.eq(row.id))
                .filter(application_material::Column::MaterialCode.eq(code))
                .one(db)
                .await
                .context("failed to read an upload")?
                .ok_or(CaseError::NotFound)?;
            (m.sha256, m.file_name, m.file_type)
        }
        Some(id) => {
            let m = material_history::Entity::find_by_id(id)
                .filter(material_history::Column::ApplicationId.eq(row.id))
                .filter(material_history::Column::MaterialCode.eq(code))
                .one(db)
                .await
                .context("failed to read a replaced upload")?
                .ok_or(CaseError::NotFound)?;
            (m.sha256, m.file_name, m.file_type)
        }
    };
    let (size, bytes) = store
        .open(&sha256)
        .await?
        .ok_or_else(|| anyhow!("stored material {sha256} is missing"))?;
    Ok((file_name, file_type, size, bytes))
}
