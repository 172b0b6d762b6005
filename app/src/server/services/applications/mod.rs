//! Applications of an applicant: drafts (create, save, read, list, delete), their uploaded
//! materials, and submission. Every function takes the applicant's account id, and another
//! applicant's number is simply not found.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait, TryIntoModel,
};
use serde::Serialize;

use crate::clock::china_date;
use crate::domain::account::FieldProblem;
use crate::domain::application::{ApplicationNumber, check_draft};
use crate::domain::apply::{
    ApplicantForm, ApplicantKind, ApplicationForm, DraftContent, check_applicant, check_submission,
};
use crate::domain::case::{CaseAction, CaseSnapshot, CaseStatus, Channel, EventDetail};
use crate::domain::catalog::{FileType, Material};
use crate::domain::delivery::check_choice;
use crate::domain::form::check_form;
use crate::domain::notice::NoticeKind;
use crate::domain::review::{changed_targets, check_fix_up, check_fix_up_edit, editable_in_fix_up};
use crate::domain::upload::{UploadError, check_upload};
use crate::server::cases::{self, Actor, CaseError, Transition};
use crate::server::entities::{
    account, application, application_material, material_history, staff,
};
use crate::server::services::catalog;
use crate::server::storage::{ByteStream, Incoming, MaterialStore};
pub use crate::views::applications::{ApplicationView, NewDraft, UploadedMaterial};

/// The login of the system account that owns cases taken at the window (it cannot log in).
const WINDOW_ACCOUNT: &str = "window-intake";

/// Longest file name kept (characters); longer names are cut.
const MAX_FILE_NAME_CHARS: usize = 120;

/// Who works on an application: its applicant (their account), or the staff member who
/// takes it at the window (in-hall intake).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Applicant(i32),
    Staff(i32),
}

impl From<i32> for Who {
    fn from(account_id: i32) -> Self {
        Who::Applicant(account_id)
    }
}

/// Why an application operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("请指定一个事项或一件事（二者选一）")]
    ItemOrBundle,
    #[error("没有编码为 {0} 的事项或一件事")]
    UnknownItem(String),
    #[error("表单内容有误")]
    Invalid(Vec<FieldProblem>),
    #[error("这个事项须到窗口办理，不能在网上申请")]
    WindowOnly,
    #[error("没有这个办件")]
    NotFound,
    #[error("这个事项的申请材料中没有编码为 {0} 的材料")]
    UnknownMaterial(String),
    #[error("还没有上传这份材料")]
    NoUpload,
    #[error("{message}")]
    Upload { error: UploadError, message: String },
    #[error("办件已提交，不能再修改")]
    NotADraft,
    #[error(
        "您已有 {} 份未提交的草稿，请先提交或删除不再需要的草稿",
        crate::domain::upload::MAX_OPEN_DRAFTS
    )]
    TooManyDrafts,
    #[error("补正通知没有要求补正“{0}”，不能修改")]
    NotNamedInNotice(String),
    #[error("“{0}”不是本办件容缺受理后待补交的材料，受理后只能补交容缺材料")]
    NotDeferred(String),
    #[error("补正期间只能重新上传材料，不能删除")]
    FixUpReplaceOnly,
    #[error("办件当前没有待补正的通知")]
    NotInCorrection,
    #[error("办件已有变化，请刷新后再提交")]
    Changed,
    #[error("办件编号或查询码不正确（查询码印在窗口收件凭证上）")]
    NotClaimable,
    #[error("尝试过于频繁，请 {0} 秒后再试")]
    TooManyAttempts(i64),
    #[error("只有窗口人员和首席代表可以窗口收件")]
    NotPermitted,
    #[error("这个事项不由本部门办理")]
    OtherDepartment,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

mod claim;
mod drafts;
mod intake;
mod rows;
mod submission;
mod uploads;

pub use claim::claim;
pub use drafts::{create_draft, delete_draft, get, get_with_form, list, submitted, update_draft};
pub use intake::start_intake;
use rows::*;
pub(crate) use rows::{own_row, view_of};
pub use submission::{resubmit, submit};
pub use uploads::{
    UploadSlot, delete_upload, download, store_upload, sweep_unreferenced, upload_slot,
};
