//! Table `application`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "application")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// 办件编号, e.g. `OW20261121K7Q2M9X4TD`.
    #[sea_orm(unique)]
    pub number: String,
    pub account_id: i32,
    /// Exactly one of item and bundle is set.
    pub item_code: Option<String>,
    pub bundle_code: Option<String>,
    /// JSON object of form values by field key.
    #[sea_orm(column_type = "Text")]
    pub form_values: String,
    /// `draft` until submitted.
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// JSON of the applicant block (`ApplicantForm`).
    #[sea_orm(column_type = "Text")]
    pub applicant: String,
    /// JSON array of material codes whose original the applicant will bring to the hall.
    #[sea_orm(column_type = "Text")]
    pub bring_original: String,
    /// 办件编号, assigned on submission.
    #[sea_orm(unique)]
    pub case_number: Option<String>,
    /// `online` or `window`, set on submission.
    pub channel: Option<String>,
    /// Receipt time.
    pub submitted_at: Option<DateTimeUtc>,
    /// JSON of the guide versions the case was submitted under.
    #[sea_orm(column_type = "Text", nullable)]
    pub guides: Option<String>,
    /// The handling department's code, set on submission (item's, or bundle's lead).
    pub department: Option<String>,
    /// Raised by every status change: an action names the version it was decided on.
    pub version: i32,
    /// The staff member who took the application at the window.
    pub staff_id: Option<i32>,
    /// The latest receipt: submission, or resubmission after a correction notice.
    pub received_at: Option<DateTimeUtc>,
    /// At the window: the 身份证号 of the person who applied (经办人), to show the case to
    /// their account.
    pub agent_id_number: Option<String>,
    /// At the window: that person's mobile.
    pub agent_mobile: Option<String>,
    /// 查询码 printed on the receipt: with the case number, it opens public tracking.
    pub tracking_code: Option<String>,
    /// A window case: the account that presented its 查询码 and follows it online.
    pub holder_account_id: Option<i32>,
    /// JSON of the delivery choice (`DeliveryForm`): as typed in a draft, as checked once
    /// submitted.
    #[sea_orm(column_type = "Text")]
    pub delivery: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The status, typed; a status the domain does not know is a corrupt row.
    pub fn case_status(&self) -> anyhow::Result<crate::domain::case::CaseStatus> {
        crate::domain::case::CaseStatus::parse(&self.status).ok_or_else(|| {
            anyhow::anyhow!("case {} has an unknown status {:?}", self.id, self.status)
        })
    }

    /// Where it came in, once submitted.
    pub fn case_channel(&self) -> Option<crate::domain::case::Channel> {
        self.channel
            .as_deref()
            .and_then(crate::domain::case::Channel::parse)
    }
}
