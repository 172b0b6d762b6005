//! The pages' resources, carried from the server's render to the browser in one JSON reader.
//!
//! A page's data arrives in the browser two ways: in the server-rendered page (a resource's
//! value, decoded when the page hydrates) and from a server function (when the page loads it
//! again). leptos decodes the first with `serde_json::from_str` and the second with
//! `serde_json::from_slice`, so the wasm held two JSON deserializers for every view type, one
//! per reader: about a fifth of the application's wasm. Every resource here is made with
//! [`resource`], whose codec reads the same text through `from_slice`, the reader the server
//! functions use, so each view type is deserialized by one piece of code.

use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON, written as text and read back through `serde_json::from_slice` (see the module).
pub struct Json;

impl<T: Serialize> Encoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for Json {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// A page's resource, as `Resource::new` makes one but with the [`Json`] codec.
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Json>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// A page's resource of what its address names: `fetch` of the path parameter `name` (a case
/// number, a catalog code), fetched again when the address changes.
#[track_caller]
pub fn of_param<T, Fut>(name: &'static str, fetch: fn(String) -> Fut) -> Resource<T, Json>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    let params = leptos_router::hooks::use_params_map();
    resource(move || params.read().get(name).unwrap_or_default(), fetch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct View {
        name: String,
        count: u32,
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let view = View {
            name: "建筑工程施工许可".into(),
            count: 3,
        };
        let text = <Json as Encoder<View>>::encode(&view).unwrap();
        assert_eq!(<Json as Decoder<View>>::decode(&text).unwrap(), view);
        assert!(<Json as Decoder<View>>::decode("{\"name\":1}").is_err());
    }
}
