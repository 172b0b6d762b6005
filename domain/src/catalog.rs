//! The service catalog (事项清单) and its guides (办事指南), as a versioned file format.
//!
//! These types are the catalog file (`docs/catalog-format.md`, `docs/catalog.schema.json`)
//! *and* the guide that the API and the pages show: one shape, so an item looks the same
//! whether it is exported, imported, served as JSON or rendered. Guide element names follow
//! GB/T 39046-2020 (事项管理).
//!
//! Field names in Rust are the field names in the file: validation problems are reported
//! with the path of the offending value in the file (`items[3].materials[1].quantity`).

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::labels::labelled_enum;

/// The catalog file format this build reads and writes. A file with another number is refused.
pub const CATALOG_FORMAT_VERSION: u32 = 1;

/// 实施编码: GB/T 39046 gives implementation codes at most 24 characters.
pub const MAX_ITEM_CODE_LEN: u64 = 24;

/// Largest accepted upload for any one material, in MiB (a scanned drawing set fits).
pub const MAX_MATERIAL_SIZE_MB: u32 = 200;

/// 《行政许可法》第四十二条: 20 working days by default; joint handling up to 45 + 15.
/// No guide may promise more than the longest statutory limit a case can reach.
pub const MAX_LIMIT_DAYS: u32 = 60;

/// A whole catalog file: departments, items and bundles. Importing it is all or nothing.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Must be 1 for this format.
    pub format_version: u32,
    #[validate(nested)]
    #[serde(default)]
    pub departments: Vec<Department>,
    #[validate(nested)]
    #[serde(default)]
    pub items: Vec<ServiceItem>,
    #[validate(nested)]
    #[serde(default)]
    pub bundles: Vec<Bundle>,
}

/// A department (实施主体 or 共同实施部门).
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Short stable code, e.g. `ZJJ`; upper-case letters, digits, `-` and `_`.
    #[validate(length(min = 1, max = 32, message = "部门编码长度须为 1–32 个字符"))]
    pub code: String,
    #[validate(length(min = 2, max = 64, message = "部门名称长度须为 2–64 个字符"))]
    pub name: String,
    /// 咨询电话 of the department.
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// A service item (事项) with every element of its guide.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceItem {
    /// 实施编码, at most 24 characters.
    #[validate(length(
        min = 1,
        max = "MAX_ITEM_CODE_LEN",
        message = "实施编码长度须为 1–24 个字符"
    ))]
    pub code: String,
    /// 事项名称.
    #[validate(length(min = 2, max = 100, message = "事项名称长度须为 2–100 个字符"))]
    pub name: String,
    /// 事项类型.
    pub item_type: ItemType,
    /// 实施主体: a department code.
    pub department: String,
    /// 共同实施部门: department codes.
    #[serde(default)]
    pub co_departments: Vec<String>,
    /// 审查时限 of a participating department (实施主体 or 共同实施部门), in working days from
    /// acceptance, counted like the decision limit (special procedures not counted); a
    /// department not listed has the whole decision limit for its review task.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub review_days: std::collections::BTreeMap<String, u32>,
    /// 设定依据.
    #[validate(length(min = 1, message = "设定依据不能为空"))]
    pub legal_basis: String,
    /// 受理条件.
    #[validate(length(min = 1, message = "受理条件不能为空"))]
    pub conditions: String,
    /// 办件类型: 即办件 or 承诺件.
    pub case_kind: CaseKind,
    /// 法定办结时限, working days.
    #[validate(range(
        min = 1,
        max = "MAX_LIMIT_DAYS",
        message = "法定办结时限须为 1–60 个工作日"
    ))]
    pub statutory_limit_days: u32,
    /// 承诺办结时限, working days (0 only for 即办件: decided on the spot).
    #[validate(range(max = "MAX_LIMIT_DAYS", message = "承诺办结时限不能超过 60 个工作日"))]
    pub promised_limit_days: u32,
    /// 收件即受理: the window accepts on receipt, without a separate pre-review.
    #[serde(default)]
    pub accept_on_receipt: bool,
    /// 办理流程, in order.
    #[validate(length(min = 1, message = "办理流程至少要有一个环节"))]
    pub steps: Vec<String>,
    /// 办理地点.
    #[validate(length(min = 1, message = "办理地点不能为空"))]
    pub location: String,
    /// 办理时间.
    #[validate(length(min = 1, message = "办理时间不能为空"))]
    pub hours: String,
    /// 咨询电话.
    #[validate(length(min = 1, message = "咨询电话不能为空"))]
    pub consult_phone: String,
    /// 监督电话.
    #[validate(length(min = 1, message = "监督电话不能为空"))]
    pub supervise_phone: String,
    /// 是否收费 and 收费依据.
    #[validate(nested)]
    pub fee: Fee,
    /// 办理结果.
    #[validate(nested)]
    pub result: ResultInfo,
    /// 送达方式.
    #[validate(length(min = 1, message = "至少要有一种送达方式"))]
    pub delivery_methods: Vec<DeliveryMethod>,
    /// 网办深度.
    pub online_depth: OnlineDepth,
    /// 到现场次数.
    #[validate(range(max = 5, message = "到现场次数不能超过 5 次"))]
    pub visits: u32,
    /// 材料清单.
    #[validate(nested)]
    pub materials: Vec<Material>,
    /// 表单: the fields of the electronic form.
    #[validate(nested)]
    pub fields: Vec<FormField>,
}

/// 是否收费 and 收费依据.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub charged: bool,
    /// 收费依据 and 标准; required when charged.
    pub basis: Option<String>,
}

/// 办理结果: what the applicant gets.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResultInfo {
    /// e.g. 建筑工程施工许可证.
    #[validate(length(min = 1, max = 100, message = "办理结果名称长度须为 1–100 个字符"))]
    pub name: String,
    /// Whether the result is an electronic licence (电子证照).
    pub electronic: bool,
    /// 有效期: months from the day of issue; absent, the licence is open-ended (长期有效).
    pub validity_months: Option<u32>,
    /// The form values printed on the licence, by field key, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licence_fields: Vec<String>,
}

/// One entry of the 材料清单.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Material {
    /// Stable code; a material with the same code in two items of a bundle is uploaded once.
    #[validate(length(min = 1, max = 64, message = "材料编码长度须为 1–64 个字符"))]
    pub code: String,
    #[validate(length(min = 2, max = 100, message = "材料名称长度须为 2–100 个字符"))]
    pub name: String,
    /// 来源渠道.
    pub source: MaterialSource,
    /// 材料形式.
    pub form: MaterialForm,
    /// 份数.
    #[validate(range(min = 1, max = 99, message = "份数须为 1–99"))]
    pub quantity: u32,
    /// 规格, e.g. "A4，加盖公章".
    #[validate(length(min = 1, max = 200, message = "材料规格不能为空，且不超过 200 个字符"))]
    pub specification: String,
    /// 是否必需.
    pub required: bool,
    /// 容缺: non-critical, may follow after acceptance.
    pub deferrable: bool,
    /// Accepted file types of an upload, checked by content.
    #[validate(length(min = 1, message = "至少要接受一种文件类型"))]
    pub file_types: Vec<FileType>,
    /// Size limit of one upload, MiB.
    #[validate(range(
        min = 1,
        max = "MAX_MATERIAL_SIZE_MB",
        message = "大小上限须为 1–200 MB"
    ))]
    pub max_size_mb: u32,
    /// Address of a blank template (空白表格) or sample, if any.
    pub template_url: Option<String>,
    /// 填报须知 and other notes.
    pub notes: Option<String>,
}

/// One field of an item's electronic form.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FormField {
    /// Key of the value, `snake_case`; a key shared by two items of a bundle is asked once.
    #[validate(length(min = 1, max = 64, message = "字段键长度须为 1–64 个字符"))]
    pub key: String,
    #[validate(length(min = 1, max = 64, message = "字段标签长度须为 1–64 个字符"))]
    pub label: String,
    pub field_type: FieldType,
    pub required: bool,
    /// Help text shown under the field.
    pub help: Option<String>,
    /// Unit shown after a number, e.g. 平方米, 万元.
    pub unit: Option<String>,
    /// Length limits for text fields, in characters.
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    /// Range for number fields.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// A regular expression a text value must match entirely (regex-lite syntax).
    pub pattern: Option<String>,
    /// The message shown when the pattern does not match.
    pub pattern_message: Option<String>,
    /// The choices of a select field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<FieldOption>,
}

/// A choice of a select field.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldOption {
    pub value: String,
    pub label: String,
}

impl FieldOption {
    /// The choices of a fixed list whose values are shown as they are.
    pub fn each(values: &[&str]) -> Vec<FieldOption> {
        values
            .iter()
            .map(|v| FieldOption {
                value: (*v).into(),
                label: (*v).into(),
            })
            .collect()
    }
}

/// 一件事一次办: several items applied for with one form, one set of materials, one result.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    #[validate(length(
        min = 1,
        max = "MAX_ITEM_CODE_LEN",
        message = "主题编码长度须为 1–24 个字符"
    ))]
    pub code: String,
    #[validate(length(min = 2, max = 100, message = "主题名称长度须为 2–100 个字符"))]
    pub name: String,
    #[validate(length(min = 1, message = "主题说明不能为空"))]
    pub description: String,
    /// The construction-project stage this bundle is, if it is one.
    pub stage: Option<ConstructionStage>,
    /// 牵头部门: the department whose window receives and delivers (统一收件、统一出件).
    pub lead_department: String,
    /// Promised limit of the whole bundle, working days.
    #[validate(range(
        min = 1,
        max = "MAX_LIMIT_DAYS",
        message = "承诺办结时限须为 1–60 个工作日"
    ))]
    pub promised_limit_days: u32,
    /// The items combined, by code; at least two.
    #[validate(length(min = 2, message = "一件事至少包含两个事项"))]
    pub items: Vec<String>,
}

labelled_enum! {
    /// 事项类型.
    ItemType {
        AdministrativeLicense = "administrative_license", "行政许可";
        AdministrativeConfirmation = "administrative_confirmation", "行政确认";
        PublicService = "public_service", "公共服务";
        Other = "other", "其他行政权力";
    }
}

labelled_enum! {
    /// 办件类型.
    CaseKind {
        /// 即办件: decided on the spot.
        Immediate = "immediate", "即办件";
        /// 承诺件: decided within the promised limit.
        Promised = "promised", "承诺件";
    }
}

labelled_enum! {
    /// 网办深度.
    OnlineDepth {
        FullyOnline = "fully_online", "全程网办";
        OnlinePrecheck = "online_precheck", "网上预审+窗口";
        WindowOnly = "window_only", "窗口办理";
    }
}

labelled_enum! {
    /// 送达方式.
    DeliveryMethod {
        Download = "download", "网上下载";
        Post = "post", "邮寄送达";
        Pickup = "pickup", "窗口领取";
    }
}

labelled_enum! {
    /// 材料来源渠道.
    MaterialSource {
        Applicant = "applicant", "申请人自备";
        Government = "government", "政府部门核发";
        Intermediary = "intermediary", "中介机构出具";
    }
}

labelled_enum! {
    /// 材料形式.
    MaterialForm {
        Original = "original", "原件";
        Copy = "copy", "复印件";
        Electronic = "electronic", "电子材料";
    }
}

labelled_enum! {
    /// File types an upload may have, recognised by content (magic bytes), not by name.
    FileType {
        Pdf = "pdf", "PDF";
        Jpeg = "jpeg", "JPG";
        Png = "png", "PNG";
        Ofd = "ofd", "OFD";
    }
}

impl FileType {
    /// The usual file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Ofd => "ofd",
        }
    }

    /// The media type a download is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Ofd => "application/ofd",
        }
    }

    /// What a file picker offered `types` should take (its `accept` attribute).
    pub fn accept_all(types: &[FileType]) -> String {
        types
            .iter()
            .map(|t| t.accept())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// What a file picker should offer (`accept` attribute): media types and extensions.
    pub fn accept(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf,.pdf",
            FileType::Jpeg => "image/jpeg,.jpg,.jpeg",
            FileType::Png => "image/png,.png",
            FileType::Ofd => ".ofd",
        }
    }
}

labelled_enum! {
    /// The type of a form field; the identity types carry their national-standard checks.
    FieldType {
        Text = "text", "文本";
        LongText = "long_text", "多行文本";
        Number = "number", "数字";
        Date = "date", "日期";
        Select = "select", "单选";
        Checkbox = "checkbox", "勾选";
        UnifiedCreditCode = "unified_credit_code", "统一社会信用代码";
        IdCardNumber = "id_card_number", "居民身份证号码";
        MobileNumber = "mobile_number", "手机号码";
        Address = "address", "地址";
    }
}

labelled_enum! {
    /// The four stages of a construction project (工程建设项目审批制度改革).
    ConstructionStage {
        ProjectApproval = "project_approval", "立项用地规划许可";
        EngineeringPermit = "engineering_permit", "工程建设许可";
        ConstructionPermit = "construction_permit", "施工许可";
        CompletionAcceptance = "completion_acceptance", "竣工验收";
    }
}

impl FieldType {
    /// Types whose value is free text, to which length limits and patterns apply.
    pub fn is_textual(self) -> bool {
        matches!(
            self,
            FieldType::Text | FieldType::LongText | FieldType::Address
        )
    }
}

impl CatalogFile {
    /// Writes the file as people review it: pretty JSON, fields in a fixed order, a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}
