//! What the rule tests build again and again: a material slot of a form, a text field, and
//! the `(field, code)` pairs of a list of problems.

use crate::account::FieldProblem;
use crate::bundle::BundleMaterial;
use crate::catalog::{FieldType, FileType, FormField, Material, MaterialForm, MaterialSource};

/// Material `code` (named 材料code) of item X: two A4 copies with the seal, PDF, 10 MB.
pub fn material(
    code: &str,
    form: MaterialForm,
    required: bool,
    deferrable: bool,
) -> BundleMaterial {
    BundleMaterial {
        material: Material {
            code: code.into(),
            name: format!("材料{code}"),
            source: MaterialSource::Applicant,
            form,
            quantity: 2,
            specification: "A4，加盖公章".into(),
            required,
            deferrable,
            file_types: vec![FileType::Pdf],
            max_size_mb: 10,
            template_url: None,
            notes: None,
        },
        items: vec!["X".into()],
    }
}

/// A form field with only a key, a label and a type.
pub fn field(key: &str, label: &str, field_type: FieldType, required: bool) -> FormField {
    FormField {
        key: key.into(),
        label: label.into(),
        field_type,
        required,
        help: None,
        unit: None,
        min_length: None,
        max_length: None,
        min: None,
        max: None,
        pattern: None,
        pattern_message: None,
        options: vec![],
    }
}

/// Each problem as `(field, code)`.
pub fn codes(problems: &[FieldProblem]) -> Vec<(&str, &str)> {
    problems
        .iter()
        .map(|p| (p.field.as_str(), p.code.as_str()))
        .collect()
}
