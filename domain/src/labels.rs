//! Named values with a wire name and a Chinese label, declared once.
//!
//! Every closed set of values the product speaks of (a case's status, what happened to it,
//! a staff role, a kind of notice, a field type, …) is a `labelled_enum!`: the wire name is
//! what files, URLs, the database and the API carry; the label is what people read. Views
//! carry the enum, never the string, so a misspelt status cannot compile.

/// Defines a string-valued enum with its wire names and its Chinese labels in one place.
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:tt, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // Read and written as its wire name through `parse`/`as_str`: one match each, instead
        // of serde's enum visitors for every deserializer (a few KB of wasm per enum).
        #[serde(into = "&'static str", try_from = "String")]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The name used in files, URLs and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// The Chinese label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The labels of `values` in their order, joined by `separator` ("邮寄、窗口领取").
            pub fn labels(values: &[$name], separator: &str) -> String {
                values.iter().map(|v| v.label()).collect::<Vec<_>>().join(separator)
            }

            /// The value with this wire name.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }

        impl From<$name> for &'static str {
            fn from(value: $name) -> Self {
                value.as_str()
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;

            fn try_from(value: String) -> Result<Self, String> {
                $name::parse(&value).ok_or_else(|| format!("unknown variant `{value}`"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

pub(crate) use labelled_enum;
