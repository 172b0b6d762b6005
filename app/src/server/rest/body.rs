//! Reading a request's JSON body: it must be an object of the expected shape, and a body
//! that is not gets the API's own `400 invalid_json` (a problem, with the reason in Chinese).
//! And the answer of a write that made something: `201` with it.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::server::error::{AppError, ErrorCode};

/// `400 invalid_json` for a body that is not the expected JSON.
pub fn bad_json(e: JsonRejection) -> AppError {
    AppError::new(
        ErrorCode::InvalidJson,
        format!("请求体不是有效的 JSON：{}", e.body_text()),
    )
}

/// Reads a JSON body that must be an object of the expected shape. (serde would otherwise
/// also read a struct from an array of its fields in order.)
pub fn json_object<T: serde::de::DeserializeOwned>(
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<T, AppError> {
    let Json(value) = body.map_err(bad_json)?;
    if !value.is_object() {
        return Err(AppError::new(
            ErrorCode::InvalidJson,
            "请求体应为 JSON 对象",
        ));
    }
    from_json_value(value)
}

/// A request body that must be a JSON object of the shape `T`, read by [`json_object`]: a
/// body that is not is refused with the API's own `400 invalid_json` (axum's `Json` would
/// answer in plain text, and also read a struct from an array). Handlers whose checks come
/// before the body's (a permission, the action named in the path) read it with
/// [`json_object`] instead.
pub struct JsonObject<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonObject<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        json_object(Json::<serde_json::Value>::from_request(request, state).await).map(JsonObject)
    }
}

/// A JSON object as `T`, or `400 invalid_json` naming the field that is wrong.
pub fn from_json_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, AppError> {
    if has_nul(&value) {
        return Err(AppError::new(
            ErrorCode::InvalidJson,
            "请求内容中含有空字符（U+0000），无法处理",
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| AppError::new(ErrorCode::InvalidJson, format!("请求体字段有误：{e}")))
}

/// Whether any string or key of a JSON value holds U+0000, which PostgreSQL cannot store or
/// compare in text (it would answer the query with an error, and the client with a 500).
fn has_nul(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// An answer that sets a cookie (a session begun or ended) before its `body`.
pub fn with_cookie(cookie: String, body: impl IntoResponse) -> Response {
    ([(axum::http::header::SET_COOKIE, cookie)], body).into_response()
}

/// `201 Created` with the JSON of what the request made (a case, a notice, a decision…).
pub struct Created<T>(pub T);

impl<T: serde::Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(self.0)).into_response()
    }
}
