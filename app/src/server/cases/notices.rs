//! Notices as issued: numbered per kind and year inside the transition that issues them,
//! stored as JSON exactly as printed, shown with the tracking address as a QR code.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::domain::notice::{Notice, notice_number};
use crate::server::entities::notice;
use crate::views::review::NoticeView;

/// Inserts a notice with the next number of its kind and year. Two notices issued at the same
/// moment may pick the same number; the unique index then refuses one, and the caller's
/// transition tries again.
pub(super) async fn insert(
    txn: &impl ConnectionTrait,
    application_id: i32,
    mut content: Notice,
    now: DateTime<Utc>,
) -> anyhow::Result<notice::Model> {
    let year = content.issued_on.year();
    let last: Option<i32> = notice::Entity::find()
        .select_only()
        .column_as(notice::Column::Seq.max(), "max")
        .filter(notice::Column::Kind.eq(content.kind.as_str()))
        .filter(notice::Column::Year.eq(year))
        .into_tuple()
        .one(txn)
        .await
        .context("failed to number a notice")?
        .flatten();
    let seq = last.unwrap_or(0) + 1;
    content.number = notice_number(content.kind, year, seq as u32);
    notice::ActiveModel {
        application_id: Set(application_id),
        kind: Set(content.kind.as_str().into()),
        year: Set(year),
        seq: Set(seq),
        number: Set(content.number.clone()),
        issued_at: Set(now),
        content: Set(serde_json::to_string(&content).context("notice")?),
        ..Default::default()
    }
    .insert(txn)
    .await
    .context("failed to insert a notice")
}

/// A stored notice with what printing it needs.
pub fn notice_view(n: notice::Model) -> anyhow::Result<NoticeView> {
    let notice: Notice = serde_json::from_str(&n.content).context("corrupt notice")?;
    let track_path = format!("/track?case={}", notice.case_number);
    Ok(NoticeView {
        id: n.id,
        qr_svg: qr_svg(&track_path),
        track_path,
        notice,
    })
}

/// Every notice of these applications, oldest first.
pub async fn notices_of(
    db: &impl ConnectionTrait,
    application_ids: &[i32],
) -> anyhow::Result<BTreeMap<i32, Vec<NoticeView>>> {
    let mut out: BTreeMap<i32, Vec<NoticeView>> = BTreeMap::new();
    if application_ids.is_empty() {
        return Ok(out);
    }
    for n in notice::Entity::find()
        .filter(notice::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .order_by_asc(notice::Column::Id)
        .all(db)
        .await
        .context("failed to read notices")?
    {
        out.entry(n.application_id)
            .or_default()
            .push(notice_view(n)?);
    }
    Ok(out)
}

/// The tracking address as a QR code (SVG). The address is relative to the site; the page
/// that prints it makes it absolute with the site's own origin. Here it is encoded with the
/// configured public address (`ONEWINDOW_PUBLIC_URL`), so a phone can open it.
pub fn qr_svg(track_path: &str) -> String {
    let base = crate::server::state::public_url();
    let url = format!("{}{track_path}", base.trim_end_matches('/'));
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}
