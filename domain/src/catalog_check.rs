//! Validation of a whole catalog file before anything of it is imported.
//!
//! Every problem is reported at once, each with the path of the offending value in the file
//! (`items[3].materials[1].quantity: 份数须为 1–99`), so that a department fixes its file in
//! one pass. Field-level limits are declared on the types with `validator`; the rules that
//! look across fields, items and the existing catalog live here.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use super::catalog::{
    Bundle, CATALOG_FORMAT_VERSION, CaseKind, CatalogFile, FieldType, FormField, OnlineDepth,
    ServiceItem,
};

/// One problem found in a catalog file.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Where in the file, e.g. `items[3].materials[1].quantity`.
    pub path: String,
    /// A stable code, e.g. `range`, `duplicate`, `unknown_department`.
    pub code: String,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl CatalogFile {
    /// Reads a catalog file. Syntax and type errors come back as one problem with its line.
    pub fn from_json(text: &str) -> Result<Self, Vec<Problem>> {
        serde_json::from_str(text).map_err(|e| {
            vec![Problem {
                path: format!("第 {} 行第 {} 列", e.line(), e.column()),
                code: "syntax".into(),
                message: format!("文件无法解析：{e}"),
            }]
        })
    }
}

/// Codes already in the catalog, so that a file may refer to departments and items it does
/// not itself carry (a department maintains only its own items).
#[derive(Default, Clone, Debug)]
pub struct ExistingCodes {
    pub departments: BTreeSet<String>,
    pub items: BTreeSet<String>,
}

/// Checks a parsed catalog file; an empty list means it may be imported.
pub fn check_catalog(file: &CatalogFile, existing: &ExistingCodes) -> Vec<Problem> {
    let mut out = Problems::default();

    if file.format_version != CATALOG_FORMAT_VERSION {
        out.push(
            "format_version",
            "unsupported_version",
            format!(
                "不支持的格式版本 {}，本系统读取版本 {CATALOG_FORMAT_VERSION}",
                file.format_version
            ),
        );
    }
    if let Err(errors) = file.validate() {
        flatten(&errors, "", &mut out);
    }

    let mut departments: BTreeSet<String> = existing.departments.clone();
    let mut seen = HashSet::new();
    for (i, d) in file.departments.iter().enumerate() {
        let at = format!("departments[{i}]");
        check_code(&d.code, "部门编码", &at, &mut seen, &mut out);
        departments.insert(d.code.clone());
    }

    let mut items: BTreeSet<String> = existing.items.clone();
    let mut seen = HashSet::new();
    for (i, item) in file.items.iter().enumerate() {
        let at = format!("items[{i}]");
        check_code(&item.code, "实施编码", &at, &mut seen, &mut out);
        items.insert(item.code.clone());
        check_item(item, &at, &departments, &mut out);
    }

    let mut seen = HashSet::new();
    for (i, bundle) in file.bundles.iter().enumerate() {
        let at = format!("bundles[{i}]");
        check_code(&bundle.code, "主题编码", &at, &mut seen, &mut out);
        check_bundle(bundle, &at, &departments, &items, &mut out);
    }

    out.0
        .sort_by(|a, b| natural_path_cmp(&a.path, &b.path).then(a.code.cmp(&b.code)));
    out.0.dedup();
    out.0
}

/// A record's code: upper-case letters, digits, `-` and `_`, and not used twice in the file.
fn check_code<'a>(
    code: &'a str,
    what: &str,
    at: &str,
    seen: &mut HashSet<&'a str>,
    out: &mut Problems,
) {
    if !is_code(code) {
        out.push(
            format!("{at}.code"),
            "format",
            format!("{what}只能使用大写字母、数字、- 和 _"),
        );
    }
    if !seen.insert(code) {
        out.push(
            format!("{at}.code"),
            "duplicate",
            format!("{what} {code} 重复"),
        );
    }
}

fn check_item(item: &ServiceItem, at: &str, departments: &BTreeSet<String>, out: &mut Problems) {
    if !departments.contains(&item.department) {
        out.push(
            format!("{at}.department"),
            "unknown_department",
            format!("实施主体 {} 不是已登记的部门", item.department),
        );
    }
    let mut co = HashSet::new();
    for (j, code) in item.co_departments.iter().enumerate() {
        let path = format!("{at}.co_departments[{j}]");
        if !departments.contains(code) {
            out.push(
                path,
                "unknown_department",
                format!("共同实施部门 {code} 不是已登记的部门"),
            );
        } else if *code == item.department {
            out.push(path, "duplicate", "共同实施部门不能与实施主体相同");
        } else if !co.insert(code) {
            out.push(path, "duplicate", format!("共同实施部门 {code} 重复"));
        }
    }

    for (code, days) in &item.review_days {
        let path = format!("{at}.review_days.{code}");
        if *code != item.department && !item.co_departments.contains(code) {
            out.push(
                path,
                "not_participating",
                format!("部门 {code} 不是本事项的实施主体或共同实施部门，不能设审查时限"),
            );
        } else if *days == 0 || *days > item.promised_limit_days {
            out.push(
                path,
                "out_of_range",
                format!(
                    "审查时限须为 1 至承诺办结时限（{} 个工作日）之间的工作日数",
                    item.promised_limit_days
                ),
            );
        }
    }

    if item.promised_limit_days > item.statutory_limit_days {
        out.push(
            format!("{at}.promised_limit_days"),
            "exceeds_statutory",
            format!(
                "承诺办结时限（{} 个工作日）不能超过法定办结时限（{} 个工作日）",
                item.promised_limit_days, item.statutory_limit_days
            ),
        );
    }
    match item.case_kind {
        CaseKind::Immediate if item.promised_limit_days != 0 => out.push(
            format!("{at}.promised_limit_days"),
            "immediate_has_limit",
            "即办件当场办结，承诺办结时限应为 0",
        ),
        CaseKind::Promised if item.promised_limit_days == 0 => out.push(
            format!("{at}.promised_limit_days"),
            "range",
            "承诺件的承诺办结时限至少为 1 个工作日",
        ),
        _ => {}
    }
    if item.fee.charged
        && item
            .fee
            .basis
            .as_deref()
            .is_none_or(|b| b.trim().is_empty())
    {
        out.push(
            format!("{at}.fee.basis"),
            "required",
            "收费事项必须写明收费依据和标准",
        );
    }
    match item.online_depth {
        OnlineDepth::FullyOnline if item.visits != 0 => out.push(
            format!("{at}.visits"),
            "depth_mismatch",
            "全程网办事项的到现场次数应为 0",
        ),
        OnlineDepth::WindowOnly if item.visits == 0 => out.push(
            format!("{at}.visits"),
            "depth_mismatch",
            "窗口办理事项的到现场次数至少为 1",
        ),
        _ => {}
    }
    for (j, step) in item.steps.iter().enumerate() {
        if step.trim().is_empty() {
            out.push(format!("{at}.steps[{j}]"), "required", "办理环节不能为空");
        }
    }
    if let Some(months) = item.result.validity_months
        && !(1..=600).contains(&months)
    {
        out.push(
            format!("{at}.result.validity_months"),
            "range",
            "证照有效期须为 1–600 个月（长期有效的不填）",
        );
    }
    for (j, key) in item.result.licence_fields.iter().enumerate() {
        if !item.fields.iter().any(|f| &f.key == key) {
            out.push(
                format!("{at}.result.licence_fields[{j}]"),
                "unknown_field",
                format!("证照内容引用的表单字段“{key}”不存在"),
            );
        }
    }
    let mut methods = HashSet::new();
    for (j, m) in item.delivery_methods.iter().enumerate() {
        if !methods.insert(m) {
            out.push(
                format!("{at}.delivery_methods[{j}]"),
                "duplicate",
                format!("送达方式“{m}”重复"),
            );
        }
    }

    let mut codes = HashSet::new();
    for (j, m) in item.materials.iter().enumerate() {
        let path = format!("{at}.materials[{j}]");
        if !is_key(&m.code) {
            out.push(
                format!("{path}.code"),
                "format",
                "材料编码只能使用小写字母、数字和 _，并以字母开头",
            );
        }
        if !codes.insert(m.code.as_str()) {
            out.push(
                format!("{path}.code"),
                "duplicate",
                format!("材料编码 {} 在本事项中重复", m.code),
            );
        }
        if m.deferrable && !m.required {
            out.push(
                format!("{path}.deferrable"),
                "deferrable_not_required",
                "只有必需材料才能标记为容缺（非必需材料本来就可以不交）",
            );
        }
        let mut types = HashSet::new();
        for (k, t) in m.file_types.iter().enumerate() {
            if !types.insert(t) {
                out.push(
                    format!("{path}.file_types[{k}]"),
                    "duplicate",
                    format!("文件类型 {t} 重复"),
                );
            }
        }
    }

    let mut keys = HashSet::new();
    for (j, f) in item.fields.iter().enumerate() {
        let path = format!("{at}.fields[{j}]");
        if !keys.insert(f.key.as_str()) {
            out.push(
                format!("{path}.key"),
                "duplicate",
                format!("字段键 {} 在本事项中重复", f.key),
            );
        }
        check_field(f, &path, out);
    }
}

fn check_field(f: &FormField, at: &str, out: &mut Problems) {
    if !is_key(&f.key) {
        out.push(
            format!("{at}.key"),
            "format",
            "字段键只能使用小写字母、数字和 _，并以字母开头",
        );
    }
    let textual = f.field_type.is_textual();
    if !textual && (f.min_length.is_some() || f.max_length.is_some()) {
        out.push(
            format!("{at}.max_length"),
            "not_applicable",
            format!("“{}”类型的字段不能设长度限制", f.field_type),
        );
    }
    if let (Some(min), Some(max)) = (f.min_length, f.max_length)
        && min > max
    {
        out.push(
            format!("{at}.min_length"),
            "range",
            "最小长度不能大于最大长度",
        );
    }
    if f.max_length == Some(0) {
        out.push(format!("{at}.max_length"), "range", "最大长度至少为 1");
    }
    if f.field_type != FieldType::Number && (f.min.is_some() || f.max.is_some()) {
        out.push(
            format!("{at}.min"),
            "not_applicable",
            "只有数字字段可以设取值范围",
        );
    }
    for (name, v) in [("min", f.min), ("max", f.max)] {
        if v.is_some_and(|v| !v.is_finite()) {
            out.push(format!("{at}.{name}"), "range", "取值范围必须是有限的数");
        }
    }
    if let (Some(min), Some(max)) = (f.min, f.max)
        && min > max
    {
        out.push(format!("{at}.min"), "range", "最小值不能大于最大值");
    }
    match &f.pattern {
        Some(_) if !textual => out.push(
            format!("{at}.pattern"),
            "not_applicable",
            format!(
                "“{}”类型的字段有固定的校验规则，不能再设正则表达式",
                f.field_type
            ),
        ),
        Some(p) => {
            if let Err(e) = regex_lite::Regex::new(p) {
                out.push(
                    format!("{at}.pattern"),
                    "invalid_pattern",
                    format!("正则表达式无效：{e}"),
                );
            }
        }
        None if f.pattern_message.is_some() => out.push(
            format!("{at}.pattern_message"),
            "not_applicable",
            "没有正则表达式时不能设不匹配提示",
        ),
        None => {}
    }
    if f.field_type == FieldType::Select {
        if f.options.is_empty() {
            out.push(
                format!("{at}.options"),
                "required",
                "单选字段至少要有一个选项",
            );
        }
        let mut values = HashSet::new();
        for (k, o) in f.options.iter().enumerate() {
            if o.value.trim().is_empty() || o.label.trim().is_empty() {
                out.push(
                    format!("{at}.options[{k}]"),
                    "required",
                    "选项的值和名称都不能为空",
                );
            }
            if !values.insert(o.value.as_str()) {
                out.push(
                    format!("{at}.options[{k}].value"),
                    "duplicate",
                    format!("选项值 {} 重复", o.value),
                );
            }
        }
    } else if !f.options.is_empty() {
        out.push(
            format!("{at}.options"),
            "not_applicable",
            "只有单选字段可以设选项",
        );
    }
}

fn check_bundle(
    bundle: &Bundle,
    at: &str,
    departments: &BTreeSet<String>,
    items: &BTreeSet<String>,
    out: &mut Problems,
) {
    if !departments.contains(&bundle.lead_department) {
        out.push(
            format!("{at}.lead_department"),
            "unknown_department",
            format!("牵头部门 {} 不是已登记的部门", bundle.lead_department),
        );
    }
    let mut seen = HashSet::new();
    for (j, code) in bundle.items.iter().enumerate() {
        let path = format!("{at}.items[{j}]");
        if !items.contains(code) {
            out.push(path, "unknown_item", format!("事项 {code} 不在事项清单中"));
        } else if !seen.insert(code) {
            out.push(path, "duplicate", format!("事项 {code} 重复"));
        }
    }
}

/// Collected problems.
#[derive(Default)]
struct Problems(Vec<Problem>);

impl Problems {
    fn push(&mut self, path: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.into(),
            code: code.into(),
            message: message.into(),
        });
    }
}

/// Turns validator's nested errors into problems with file paths.
fn flatten(errors: &ValidationErrors, prefix: &str, out: &mut Problems) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("取值不符合要求（{}）", e.code));
                    out.push(path.clone(), &e.code, message);
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(inner, &path, out),
            ValidationErrorsKind::List(map) => {
                for (i, inner) in map {
                    flatten(inner, &format!("{path}[{i}]"), out);
                }
            }
        }
    }
}

/// Department, item and bundle codes: upper-case ASCII letters, digits, `-` and `_`.
fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Material codes and field keys: `snake_case` starting with a letter.
fn is_key(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Orders problems as the file reads: sections in file order, `items[10]` after `items[9]`.
fn natural_path_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn section(s: &str) -> u8 {
        match s.split(['[', '.']).next() {
            Some("format_version") => 0,
            Some("departments") => 1,
            Some("items") => 2,
            Some("bundles") => 3,
            _ => 4,
        }
    }
    fn parts(s: &str) -> Vec<Result<u64, &str>> {
        s.split(['[', ']', '.'])
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<u64>().map_err(|_| p))
            .collect()
    }
    (section(a), parts(a)).cmp(&(section(b), parts(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::*;

    /// A small catalog that passes every check; tests break one thing at a time.
    pub(crate) fn valid_catalog() -> CatalogFile {
        let item = |code: &str| ServiceItem {
            code: code.into(),
            name: "建筑工程施工许可证核发".into(),
            item_type: ItemType::AdministrativeLicense,
            department: "ZJJ".into(),
            co_departments: vec![],
            review_days: Default::default(),
            legal_basis: "《中华人民共和国建筑法》第七条".into(),
            conditions: "已经办理该建筑工程用地批准手续".into(),
            case_kind: CaseKind::Promised,
            statutory_limit_days: 7,
            promised_limit_days: 3,
            accept_on_receipt: false,
            steps: vec!["申请".into(), "受理".into(), "审查".into(), "决定".into()],
            location: "市民中心二楼住建窗口".into(),
            hours: "工作日 9:00–17:00".into(),
            consult_phone: "0571-12345678".into(),
            supervise_phone: "12345".into(),
            fee: Fee {
                charged: false,
                basis: None,
            },
            result: ResultInfo {
                name: "建筑工程施工许可证".into(),
                electronic: true,
                validity_months: None,
                licence_fields: vec![],
            },
            delivery_methods: vec![DeliveryMethod::Download, DeliveryMethod::Pickup],
            online_depth: OnlineDepth::FullyOnline,
            visits: 0,
            materials: vec![Material {
                code: "construction_contract".into(),
                name: "施工合同".into(),
                source: MaterialSource::Applicant,
                form: MaterialForm::Electronic,
                quantity: 1,
                specification: "扫描件，加盖公章".into(),
                required: true,
                deferrable: false,
                file_types: vec![FileType::Pdf],
                max_size_mb: 20,
                template_url: None,
                notes: None,
            }],
            fields: vec![FormField {
                key: "project_name".into(),
                label: "项目名称".into(),
                field_type: FieldType::Text,
                required: true,
                help: None,
                unit: None,
                min_length: Some(2),
                max_length: Some(100),
                min: None,
                max: None,
                pattern: None,
                pattern_message: None,
                options: vec![],
            }],
        };
        CatalogFile {
            format_version: CATALOG_FORMAT_VERSION,
            departments: vec![Department {
                code: "ZJJ".into(),
                name: "市住房和城乡建设局".into(),
                phone: None,
                address: None,
            }],
            items: vec![item("A1"), item("A2")],
            bundles: vec![Bundle {
                code: "B1".into(),
                name: "施工许可阶段".into(),
                description: "并联审批".into(),
                stage: Some(ConstructionStage::ConstructionPermit),
                lead_department: "ZJJ".into(),
                promised_limit_days: 10,
                items: vec!["A1".into(), "A2".into()],
            }],
        }
    }

    fn problems(file: &CatalogFile) -> Vec<(String, String)> {
        check_catalog(file, &ExistingCodes::default())
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect()
    }

    fn has(file: &CatalogFile, path: &str, code: &str) -> bool {
        let found = problems(file);
        found.iter().any(|(p, c)| p == path && c == code) || {
            eprintln!("expected {path} {code}, got {found:?}");
            false
        }
    }

    #[test]
    fn a_valid_catalog_has_no_problems() {
        assert_eq!(problems(&valid_catalog()), vec![]);
    }

    #[test]
    fn the_shipped_demo_catalog_is_valid() {
        let file = CatalogFile::from_json(include_str!("../../catalog/demo.json")).expect("parses");
        let found = check_catalog(&file, &ExistingCodes::default());
        assert!(found.is_empty(), "{found:#?}");
        assert!(file.items.len() >= 16);
        assert!(file.bundles.len() >= 2);
    }

    #[test]
    fn a_zero_quantity_is_reported_with_its_path() {
        let mut f = valid_catalog();
        f.items[1].materials[0].quantity = 0;
        let found = check_catalog(&f, &ExistingCodes::default());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].to_string(),
            "items[1].materials[0].quantity: 份数须为 1–99"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once_in_file_order() {
        let mut f = valid_catalog();
        f.items[1].code = "A1".into();
        f.items[0].department = "NOPE".into();
        f.items[1].materials[0].max_size_mb = 0;
        f.bundles[0].items = vec!["A1".into()];
        let paths: Vec<String> = problems(&f).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            vec![
                "items[0].department",
                "items[1].code",
                "items[1].materials[0].max_size_mb",
                "bundles[0].items",
            ]
        );
    }

    #[test]
    fn an_unsupported_format_version_is_refused() {
        let mut f = valid_catalog();
        f.format_version = 2;
        assert!(has(&f, "format_version", "unsupported_version"));
    }

    #[test]
    fn item_codes_are_at_most_24_characters() {
        let mut f = valid_catalog();
        f.items[0].code = "1".repeat(25);
        f.bundles.clear();
        assert!(has(&f, "items[0].code", "length"));
    }

    #[test]
    fn the_promised_limit_cannot_exceed_the_statutory_limit() {
        let mut f = valid_catalog();
        f.items[0].promised_limit_days = 8;
        assert!(has(&f, "items[0].promised_limit_days", "exceeds_statutory"));
    }

    #[test]
    fn a_review_limit_is_for_a_participating_department_within_the_promised_limit() {
        let mut f = valid_catalog();
        f.items[0].review_days.insert("ZJJ".into(), 2);
        assert_eq!(problems(&f), vec![]);
        f.items[0].review_days.insert("ZJJ".into(), 4);
        assert!(has(&f, "items[0].review_days.ZJJ", "out_of_range"));
        f.items[0].review_days.insert("ZJJ".into(), 0);
        assert!(has(&f, "items[0].review_days.ZJJ", "out_of_range"));
        f.items[0].review_days.clear();
        f.items[0].review_days.insert("FGW".into(), 1);
        assert!(has(&f, "items[0].review_days.FGW", "not_participating"));
    }

    #[test]
    fn an_immediate_item_has_no_promised_limit() {
        let mut f = valid_catalog();
        f.items[0].case_kind = CaseKind::Immediate;
        assert!(has(
            &f,
            "items[0].promised_limit_days",
            "immediate_has_limit"
        ));
        f.items[0].promised_limit_days = 0;
        assert_eq!(problems(&f), vec![]);
    }

    #[test]
    fn a_charged_item_names_its_fee_basis() {
        let mut f = valid_catalog();
        f.items[0].fee.charged = true;
        assert!(has(&f, "items[0].fee.basis", "required"));
    }

    #[test]
    fn a_licence_names_its_form_fields_and_a_sane_validity() {
        let mut f = valid_catalog();
        let key = f.items[0].fields[0].key.clone();
        f.items[0].result.licence_fields = vec![key, "colour".into()];
        f.items[0].result.validity_months = Some(0);
        assert!(has(
            &f,
            "items[0].result.licence_fields[1]",
            "unknown_field"
        ));
        assert!(has(&f, "items[0].result.validity_months", "range"));
        assert!(!has(
            &f,
            "items[0].result.licence_fields[0]",
            "unknown_field"
        ));
        f.items[0].result.validity_months = Some(60);
        f.items[0].result.licence_fields.pop();
        assert_eq!(problems(&f), vec![]);
    }

    #[test]
    fn online_depth_and_visits_agree() {
        let mut f = valid_catalog();
        f.items[0].visits = 1;
        assert!(has(&f, "items[0].visits", "depth_mismatch"));
        f.items[0].online_depth = OnlineDepth::WindowOnly;
        f.items[0].visits = 0;
        assert!(has(&f, "items[0].visits", "depth_mismatch"));
    }

    #[test]
    fn only_required_materials_may_be_deferred() {
        let mut f = valid_catalog();
        f.items[0].materials[0].required = false;
        f.items[0].materials[0].deferrable = true;
        assert!(has(
            &f,
            "items[0].materials[0].deferrable",
            "deferrable_not_required"
        ));
    }

    #[test]
    fn material_codes_and_field_keys_are_unique_within_an_item() {
        let mut f = valid_catalog();
        let m = f.items[0].materials[0].clone();
        f.items[0].materials.push(m);
        let k = f.items[0].fields[0].clone();
        f.items[0].fields.push(k);
        assert!(has(&f, "items[0].materials[1].code", "duplicate"));
        assert!(has(&f, "items[0].fields[1].key", "duplicate"));
    }

    #[test]
    fn a_select_field_needs_distinct_options() {
        let mut f = valid_catalog();
        let field = &mut f.items[0].fields[0];
        field.field_type = FieldType::Select;
        field.min_length = None;
        field.max_length = None;
        assert!(has(&f, "items[0].fields[0].options", "required"));
        let o = FieldOption {
            value: "a".into(),
            label: "甲".into(),
        };
        f.items[0].fields[0].options = vec![o.clone(), o];
        assert!(has(&f, "items[0].fields[0].options[1].value", "duplicate"));
    }

    #[test]
    fn constraints_must_fit_the_field_type() {
        let mut f = valid_catalog();
        f.items[0].fields[0].min = Some(1.0);
        f.items[0].fields[0].pattern = Some("([a-z".into());
        assert!(has(&f, "items[0].fields[0].min", "not_applicable"));
        assert!(has(&f, "items[0].fields[0].pattern", "invalid_pattern"));
        f.items[0].fields[0].pattern = None;
        f.items[0].fields[0].min = None;
        f.items[0].fields[0].field_type = FieldType::UnifiedCreditCode;
        assert!(has(&f, "items[0].fields[0].max_length", "not_applicable"));
        f.items[0].fields[0].min_length = Some(150);
        f.items[0].fields[0].field_type = FieldType::Text;
        assert!(has(&f, "items[0].fields[0].min_length", "range"));
    }

    #[test]
    fn references_may_point_at_the_existing_catalog() {
        let mut f = valid_catalog();
        f.departments.clear();
        f.items.remove(1);
        assert!(has(&f, "items[0].department", "unknown_department"));
        assert!(has(&f, "bundles[0].items[1]", "unknown_item"));
        let existing = ExistingCodes {
            departments: ["ZJJ".to_string()].into(),
            items: ["A2".to_string()].into(),
        };
        assert_eq!(check_catalog(&f, &existing), vec![]);
    }

    #[test]
    fn a_syntax_error_is_reported_with_its_line() {
        let err = CatalogFile::from_json("{\n  \"format_version\": 1,\n  oops\n}").unwrap_err();
        assert_eq!(err[0].code, "syntax");
        assert!(err[0].path.starts_with("第 3 行"), "{}", err[0].path);
    }

    #[test]
    fn unknown_keys_are_refused_so_typos_do_not_vanish() {
        let err = CatalogFile::from_json(r#"{"format_version":1,"itmes":[]}"#).unwrap_err();
        assert!(err[0].message.contains("itmes"), "{}", err[0].message);
    }

    #[test]
    fn a_catalog_survives_a_write_and_read() {
        let f = valid_catalog();
        assert_eq!(CatalogFile::from_json(&f.to_json()).unwrap(), f);
    }
}
