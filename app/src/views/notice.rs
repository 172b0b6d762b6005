//! A notice as the pages print it and the JSON API answers it.

use serde::{Deserialize, Serialize};

use crate::domain::notice::Notice;

/// A notice with what printing it needs: the tracking address and its QR code.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoticeView {
    pub id: i32,
    pub notice: Notice,
    /// Address of the tracking page (path and query).
    pub track_path: String,
    /// The QR code of the tracking address, as an SVG document.
    pub qr_svg: String,
}
