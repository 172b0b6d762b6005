//! The JSON Schema of the catalog file, generated from the very types that read it, so the
//! committed `docs/catalog.schema.json` cannot drift from the code (a test compares them).

use serde_json::{Value, json};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::catalog::{CATALOG_FORMAT_VERSION, CatalogFile};

/// The schema document (JSON Schema 2020-12, as OpenAPI 3.1 uses).
pub fn catalog_json_schema() -> Value {
    let mut defs = Vec::new();
    <CatalogFile as ToSchema>::schemas(&mut defs);
    let mut doc = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://onewindow.example/schemas/catalog.schema.json",
        "title": format!("OneWindow 事项目录文件（格式版本 {CATALOG_FORMAT_VERSION}）"),
        "description": "部门、事项（办事指南、材料清单、表单字段）与一件事。字段含义与校验规则见 docs/catalog-format.md。",
    });
    let root = serde_json::to_value(<CatalogFile as PartialSchema>::schema()).unwrap_or_default();
    if let (Value::Object(doc), Value::Object(root)) = (&mut doc, root) {
        doc.extend(root);
        let defs: serde_json::Map<String, Value> = defs
            .into_iter()
            .map(|(name, schema)| (name, serde_json::to_value(schema).unwrap_or_default()))
            .collect();
        doc.insert("$defs".into(), Value::Object(defs));
    }
    // OpenAPI keeps shared schemas under components; a standalone schema keeps them in $defs.
    let text = serde_json::to_string(&doc)
        .unwrap_or_default()
        .replace("#/components/schemas/", "#/$defs/");
    serde_json::from_str(&text).unwrap_or(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMITTED: &str = include_str!("../../../docs/catalog.schema.json");

    #[test]
    fn the_committed_schema_is_the_generated_one() {
        let generated = serde_json::to_string_pretty(&catalog_json_schema()).unwrap() + "\n";
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/catalog.schema.json"),
                &generated,
            )
            .unwrap();
            return;
        }
        assert!(
            COMMITTED == generated,
            "docs/catalog.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test -p app --features ssr catalog_schema`"
        );
    }

    #[test]
    fn every_reference_in_the_schema_resolves() {
        let schema = catalog_json_schema();
        let text = schema.to_string();
        for reference in text.split("\"$ref\":\"#/$defs/").skip(1) {
            let name = &reference[..reference.find('"').unwrap()];
            assert!(
                schema["$defs"].get(name).is_some(),
                "{name} is referenced but not defined"
            );
        }
        assert_eq!(
            schema["additionalProperties"], false,
            "unknown keys are refused"
        );
    }
}
