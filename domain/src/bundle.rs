//! 一件事一次办: a bundle asks every shared form field once and every shared material once.

use serde::{Deserialize, Serialize};

use super::catalog::{FormField, Material, ServiceItem};

/// A material of a bundle, with the items that need it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleMaterial {
    pub material: Material,
    /// Codes of the items that list this material.
    pub items: Vec<String>,
}

/// The one form and one set of materials of a bundle.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergedApplication {
    /// Every field once, in the order first met; a field shared by items is asked once.
    pub fields: Vec<FormField>,
    /// Every material once; a material shared by items (same code) is uploaded once.
    pub materials: Vec<BundleMaterial>,
    /// The 送达方式 every item offers: the results go out together (统一出件).
    #[serde(default)]
    pub delivery_methods: Vec<crate::catalog::DeliveryMethod>,
}

/// Merges the forms and material lists of a bundle's items.
///
/// Where two items name the same material or field, the stricter wins: a material required
/// by any item is required, and it may be deferred (容缺) only if every item allows it; the
/// largest quantity is asked for; a field required by any item is required. The results are
/// delivered by a method every item offers.
pub fn merge_items<'a>(items: impl IntoIterator<Item = &'a ServiceItem>) -> MergedApplication {
    let mut out = MergedApplication::default();
    let mut methods = Vec::new();
    for item in items {
        methods.push(item.delivery_methods.as_slice());
        for field in &item.fields {
            match out.fields.iter_mut().find(|f| f.key == field.key) {
                Some(existing) => existing.required |= field.required,
                None => out.fields.push(field.clone()),
            }
        }
        for material in &item.materials {
            match out
                .materials
                .iter_mut()
                .find(|m| m.material.code == material.code)
            {
                Some(existing) => {
                    let m = &mut existing.material;
                    m.required |= material.required;
                    m.deferrable &= material.deferrable;
                    m.quantity = m.quantity.max(material.quantity);
                    if !existing.items.contains(&item.code) {
                        existing.items.push(item.code.clone());
                    }
                }
                None => out.materials.push(BundleMaterial {
                    material: material.clone(),
                    items: vec![item.code.clone()],
                }),
            }
        }
    }
    out.delivery_methods = crate::delivery::offered_by_all(methods);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::CatalogFile;

    fn demo() -> CatalogFile {
        CatalogFile::from_json(include_str!("../../catalog/demo.json")).expect("demo parses")
    }

    #[test]
    fn a_shared_material_is_uploaded_once_and_the_stricter_rule_wins() {
        let mut file = demo();
        let mut a = file.items.remove(0);
        let mut b = a.clone();
        b.code = "OTHER".into();
        a.materials[0].deferrable = true;
        a.materials[0].quantity = 1;
        b.materials[0].deferrable = false;
        b.materials[0].quantity = 3;
        let merged = merge_items([&a, &b]);
        assert_eq!(merged.materials.len(), a.materials.len());
        assert_eq!(merged.fields.len(), a.fields.len());
        let first = &merged.materials[0];
        assert_eq!(first.items, vec![a.code.clone(), "OTHER".to_string()]);
        assert!(!first.material.deferrable);
        assert_eq!(first.material.quantity, 3);
    }

    #[test]
    fn every_demo_bundle_shares_something_between_its_items() {
        let file = demo();
        for bundle in &file.bundles {
            let items: Vec<_> = bundle
                .items
                .iter()
                .filter_map(|c| file.items.iter().find(|i| &i.code == c))
                .collect();
            let merged = merge_items(items.iter().copied());
            let total_fields: usize = items.iter().map(|i| i.fields.len()).sum();
            assert!(
                merged.fields.len() < total_fields,
                "bundle {} shares no field",
                bundle.code
            );
        }
    }
}
