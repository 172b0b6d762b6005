//! What an application holds and when it may be submitted: the applicant, the item's form
//! values, the materials. [`check_submission`] is the one verdict: the review step runs it in
//! the browser (wasm) and the submit endpoint runs it on the server, so both list the same
//! problems, each with the same field path and code.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::account::FieldProblem;
use super::bundle::BundleMaterial;
use super::catalog::{DeliveryMethod, FieldType, FormField, MaterialForm};
use super::date::Date;
use super::delivery::{DeliveryForm, check_choice};
use super::form::field;
pub use super::form::problems;
use crate::labels::labelled_enum;

labelled_enum! {
    /// Who applies (申请人). The logged-in account is always the one who files (经办人).
    ApplicantKind {
        /// A legal person (企业、事业单位、社会组织) the account holder acts for.
        Company = "company", "单位申请（法人）";
        /// The account holder, for themself: name and 身份证号 are the account's.
        Myself = "self", "本人申请";
        /// Another natural person, the account holder being their agent (代理人).
        Person = "person", "代他人申请（个人）";
    }
}

/// The applicant block of a draft, as typed: anything may still be empty or wrong.
#[serde_with::skip_serializing_none]
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicantForm {
    pub kind: Option<ApplicantKind>,
    /// The values of [`applicant_fields`] for this kind, by key.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// What a draft holds besides its item: the applicant, the form values, and the materials
/// whose original the applicant will bring to the hall instead of uploading.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DraftContent {
    #[serde(default)]
    pub applicant: ApplicantForm,
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub bring_original: BTreeSet<String>,
    /// How the applicant will receive the result (送达方式).
    #[serde(default)]
    pub delivery: DeliveryForm,
}

/// A guide version an application is made under.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuideRef {
    pub code: String,
    pub name: String,
    pub version: u32,
    pub department_name: String,
}

/// Everything needed to fill in an application for an item or a bundle: one form, one set of
/// materials (shared ones once), and the guide versions in force.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationForm {
    pub title: String,
    pub guides: Vec<GuideRef>,
    pub fields: Vec<FormField>,
    pub materials: Vec<BundleMaterial>,
    /// 承诺办结时限 in working days (the longest of the items, or the bundle's own).
    pub promised_limit_days: u32,
    /// 联合办理: several departments handle it (a bundle, or an item with 共同实施部门), which
    /// allows the longer extension (《行政许可法》第四十二条).
    #[serde(default)]
    pub joint_handling: bool,
    /// The 送达方式 the applicant may choose from: those every item offers (统一出件).
    #[serde(default)]
    pub delivery_methods: Vec<DeliveryMethod>,
}

impl ApplicationForm {
    /// The limits its deadlines are counted with: the promised limit, and whether several
    /// departments handle it (the longer extension).
    pub fn limits(&self) -> super::deadline::Limits {
        super::deadline::Limits {
            decision_days: self.promised_limit_days,
            joint: self.joint_handling,
        }
    }
}

/// The fields asked about an applicant of this kind, checked by the same interpreter as an
/// item's form. The contact mobile is always asked: notices go there.
pub fn applicant_fields(kind: ApplicantKind) -> Vec<FormField> {
    let mut fields = match kind {
        ApplicantKind::Myself => vec![],
        ApplicantKind::Person => vec![
            field("name", "申请人姓名", FieldType::Text, Some(50)),
            field(
                "id_number",
                "申请人居民身份证号码",
                FieldType::IdCardNumber,
                None,
            ),
        ],
        ApplicantKind::Company => vec![
            field("company_name", "单位名称", FieldType::Text, Some(100)),
            field(
                "credit_code",
                "统一社会信用代码",
                FieldType::UnifiedCreditCode,
                None,
            ),
            field(
                "legal_representative",
                "法定代表人",
                FieldType::Text,
                Some(50),
            ),
        ],
    };
    fields.push(field(
        "contact_mobile",
        "联系电话（手机）",
        FieldType::MobileNumber,
        None,
    ));
    fields.push(FormField {
        required: false,
        help: Some("填写后，办理进度通知也会发到这个邮箱".into()),
        pattern: Some(EMAIL_PATTERN.into()),
        pattern_message: Some("电子邮箱格式不正确，例如 name@example.com".into()),
        ..field(
            "contact_email",
            "电子邮箱（选填）",
            FieldType::Text,
            Some(MAX_EMAIL_CHARS),
        )
    });
    fields
}

/// An e-mail address as the applicant block accepts it: one `@`, a dot in the domain, no
/// spaces (the mail server has the final word).
pub const EMAIL_PATTERN: &str = r"[^@\s]+@[^@\s]+\.[^@\s]+";

/// Longest e-mail address (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: u32 = 254;

/// Why a material cannot be submitted as it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaterialProblem {
    /// A required material with neither an upload nor (where allowed) the original promised.
    Missing,
    /// "Bring the original" on a material whose guide does not ask for an original.
    OriginalNotAllowed,
    /// A material code the form does not have.
    Unknown,
}

impl MaterialProblem {
    pub fn code(self) -> &'static str {
        match self {
            MaterialProblem::Missing => "material_missing",
            MaterialProblem::OriginalNotAllowed => "original_not_allowed",
            MaterialProblem::Unknown => "unknown_material",
        }
    }

    pub fn message(self, name: &str) -> String {
        match self {
            MaterialProblem::Missing => format!("请上传“{name}”"),
            MaterialProblem::OriginalNotAllowed => {
                format!("“{name}”须在网上提交，不能改为到窗口交原件")
            }
            MaterialProblem::Unknown => format!("申请材料中没有“{name}”"),
        }
    }
}

/// Whether the applicant may bring this material's original to the hall instead of uploading.
pub fn original_allowed(material: &BundleMaterial) -> bool {
    material.material.form == MaterialForm::Original
}

/// How a material of a draft stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaterialState {
    Uploaded,
    BringOriginal,
    /// 容缺: required but non-critical; may follow after acceptance.
    Deferred,
    NotNeeded,
    Missing,
}

/// Where a material stands, given the uploads and the originals promised.
pub fn material_state(
    material: &BundleMaterial,
    uploaded: &BTreeSet<String>,
    bring_original: &BTreeSet<String>,
) -> MaterialState {
    let code = &material.material.code;
    if uploaded.contains(code) {
        MaterialState::Uploaded
    } else if bring_original.contains(code) && original_allowed(material) {
        MaterialState::BringOriginal
    } else if !material.material.required {
        MaterialState::NotNeeded
    } else if material.material.deferrable {
        MaterialState::Deferred
    } else {
        MaterialState::Missing
    }
}

/// A valid applicant: the kind and the normalised values of its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applicant {
    pub kind: ApplicantKind,
    pub values: BTreeMap<String, String>,
}

/// Checks the applicant block; problems carry paths `applicant.kind`, `applicant.<key>`.
pub fn check_applicant(form: &ApplicantForm, today: Date) -> Result<Applicant, Vec<FieldProblem>> {
    let Some(kind) = form.kind else {
        return Err(vec![FieldProblem {
            field: "applicant.kind".into(),
            code: "required".into(),
            message: "请选择申请人类型".into(),
        }]);
    };
    let fields = applicant_fields(kind);
    super::form::check_form(&fields, &form.values, today)
        .map(|values| Applicant { kind, values })
        .map_err(|errors| problems("applicant", &fields, errors))
}

/// Everything that stands between a draft and its submission, in the order of the form's
/// steps: applicant, form values, materials, then the delivery choice. Empty means it may be
/// submitted.
pub fn check_submission(
    form: &ApplicationForm,
    content: &DraftContent,
    uploaded: &BTreeSet<String>,
    today: Date,
) -> Vec<FieldProblem> {
    let mut out = check_applicant(&content.applicant, today)
        .err()
        .unwrap_or_default();
    if let Err(errors) = super::form::check_form(&form.fields, &content.values, today) {
        out.extend(problems("values", &form.fields, errors));
    }
    for m in &form.materials {
        if material_state(m, uploaded, &content.bring_original) == MaterialState::Missing {
            out.push(material_problem(m, MaterialProblem::Missing));
        }
        if content.bring_original.contains(&m.material.code) && !original_allowed(m) {
            out.push(material_problem(m, MaterialProblem::OriginalNotAllowed));
        }
    }
    for code in content.bring_original.iter().chain(uploaded) {
        if !form.materials.iter().any(|m| &m.material.code == code) {
            out.push(FieldProblem {
                field: format!("materials.{code}"),
                code: MaterialProblem::Unknown.code().into(),
                message: MaterialProblem::Unknown.message(code),
            });
        }
    }
    if let Err(p) = check_choice(&form.delivery_methods, &content.delivery, today) {
        out.extend(p);
    }
    out
}

fn material_problem(m: &BundleMaterial, problem: MaterialProblem) -> FieldProblem {
    FieldProblem {
        field: format!("materials.{}", m.material.code),
        code: problem.code().into(),
        message: problem.message(&m.material.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{codes, material};

    #[test]
    fn an_applicant_may_add_an_email_address_for_notices_and_it_must_look_like_one() {
        let today = Date::new(2026, 11, 22).unwrap();
        let form = |email: &str| ApplicantForm {
            kind: Some(ApplicantKind::Person),
            values: [
                ("name", "张三"),
                ("id_number", "11010519491231002X"),
                ("contact_mobile", "13812345678"),
                ("contact_email", email),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        };
        assert!(check_applicant(&form(""), today).is_ok());
        let ok = check_applicant(&form(" li@example.com "), today).unwrap();
        assert_eq!(ok.values["contact_email"], "li@example.com");
        for bad in ["li@example", "li example@x.cn", "@x.cn", "a@b@c.cn"] {
            let err = check_applicant(&form(bad), today).unwrap_err();
            assert_eq!(err[0].field, "applicant.contact_email", "{bad}");
            assert_eq!(err[0].code, "pattern_mismatch", "{bad}");
        }
    }

    fn today() -> Date {
        Date::new(2026, 11, 21).unwrap()
    }

    fn form() -> ApplicationForm {
        ApplicationForm {
            title: "测试".into(),
            guides: vec![],
            fields: vec![field("project_name", "项目名称", FieldType::Text, Some(10))],
            materials: vec![
                material("a", MaterialForm::Electronic, true, false),
                material("b", MaterialForm::Original, true, false),
                material("c", MaterialForm::Copy, true, true),
                material("d", MaterialForm::Copy, false, false),
            ],
            promised_limit_days: 5,
            joint_handling: false,
            delivery_methods: vec![DeliveryMethod::Download],
        }
    }

    /// A company's draft of `project_name`, bringing the originals of `bring`.
    fn drafted(project_name: &str, bring: &[&str]) -> DraftContent {
        DraftContent {
            applicant: company("91350100M000100Y43"),
            values: [("project_name".to_string(), project_name.to_string())].into(),
            bring_original: bring.iter().map(|b| b.to_string()).collect(),
            delivery: DeliveryForm::default(),
        }
    }

    fn company(code: &str) -> ApplicantForm {
        ApplicantForm {
            kind: Some(ApplicantKind::Company),
            values: [
                ("company_name", "某某建设有限公司"),
                ("credit_code", code),
                ("legal_representative", "张三"),
                ("contact_mobile", "13800138000"),
            ]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect(),
        }
    }

    #[test]
    fn a_company_needs_a_valid_credit_code() {
        let ok = check_applicant(&company("91350100M000100Y43"), today()).unwrap();
        assert_eq!(ok.kind, ApplicantKind::Company);
        let err = check_applicant(&company("91350100M000100Y44"), today()).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].field, "applicant.credit_code");
        assert_eq!(err[0].code, "credit_code_checksum");
        let none = check_applicant(&ApplicantForm::default(), today()).unwrap_err();
        assert_eq!(none[0].field, "applicant.kind");
    }

    #[test]
    fn acting_for_oneself_needs_only_a_contact_number() {
        let form = ApplicantForm {
            kind: Some(ApplicantKind::Myself),
            values: [("contact_mobile".to_string(), "13800138000".to_string())].into(),
        };
        assert!(check_applicant(&form, today()).is_ok());
        let stray = ApplicantForm {
            kind: Some(ApplicantKind::Myself),
            values: [
                ("contact_mobile".to_string(), "13800138000".to_string()),
                ("credit_code".to_string(), "x".to_string()),
            ]
            .into(),
        };
        let err = check_applicant(&stray, today()).unwrap_err();
        assert_eq!(err[0].code, "unknown_field");
    }

    #[test]
    fn materials_may_be_uploaded_brought_or_deferred_where_the_guide_allows() {
        let mut content = drafted("新建厂房", &[]);
        let uploaded: BTreeSet<String> = BTreeSet::new();
        assert_eq!(
            codes(&check_submission(&form(), &content, &uploaded, today())),
            [
                ("materials.a", "material_missing"),
                ("materials.b", "material_missing"),
            ]
        );
        content.bring_original = ["a".to_string(), "b".to_string()].into();
        let uploaded: BTreeSet<String> = ["a".to_string()].into();
        assert_eq!(
            codes(&check_submission(&form(), &content, &uploaded, today())),
            [("materials.a", "original_not_allowed")]
        );
        content.bring_original = ["b".to_string(), "zz".to_string()].into();
        assert_eq!(
            codes(&check_submission(&form(), &content, &uploaded, today())),
            [("materials.zz", "unknown_material")]
        );
        content.bring_original = ["b".to_string()].into();
        assert!(check_submission(&form(), &content, &uploaded, today()).is_empty());
        let f = form();
        assert_eq!(
            material_state(&f.materials[2], &uploaded, &content.bring_original),
            MaterialState::Deferred
        );
    }

    #[test]
    fn form_values_are_checked_with_their_labels() {
        let content = drafted("一二三四五六七八九十十一", &["b"]);
        let uploaded: BTreeSet<String> = ["a".to_string()].into();
        let p = check_submission(&form(), &content, &uploaded, today());
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field, "values.project_name");
        assert_eq!(p[0].message, "项目名称不能超过 10 个字");
    }

    #[test]
    fn the_delivery_choice_is_checked_last_when_the_guide_offers_several() {
        let mut content = drafted("新建厂房", &["b"]);
        let uploaded: BTreeSet<String> = ["a".to_string()].into();
        let mut f = form();
        f.delivery_methods = vec![DeliveryMethod::Download, DeliveryMethod::Post];
        assert_eq!(
            codes(&check_submission(&f, &content, &uploaded, today())),
            [("delivery.method", "required")]
        );
        content.delivery.method = Some(DeliveryMethod::Post);
        let p = check_submission(&f, &content, &uploaded, today());
        assert_eq!(p.len(), 6, "{p:?}");
        assert!(p.iter().all(|p| p.field.starts_with("delivery.")), "{p:?}");
        content.delivery.method = Some(DeliveryMethod::Download);
        assert!(check_submission(&f, &content, &uploaded, today()).is_empty());
    }
}
