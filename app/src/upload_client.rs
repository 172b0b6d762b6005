//! The browser side of an upload: read a file's first bytes (for the same content check the
//! server runs), and send the file with progress events. `fetch` reports no upload progress,
//! so this uses `XMLHttpRequest`.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, ProgressEvent, XmlHttpRequest};

use crate::domain::upload::SNIFF_BYTES;

/// The first bytes of `file`, enough to recognise its type.
pub async fn read_head(file: &File) -> Result<Vec<u8>, String> {
    let head = file
        .slice_with_f64_and_f64(0.0, SNIFF_BYTES as f64)
        .map_err(|_| "无法读取所选文件".to_string())?;
    let buffer = JsFuture::from(head.array_buffer())
        .await
        .map_err(|_| "无法读取所选文件".to_string())?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// PUTs `file` to `url`, calling `on_progress` with the fraction sent; returns the HTTP
/// status (0 when the connection failed) and the response body.
pub async fn put_file(
    url: &str,
    file: &File,
    on_progress: impl Fn(f64) + 'static,
) -> (u16, String) {
    let Ok(xhr) = XmlHttpRequest::new() else {
        return (0, String::new());
    };
    if xhr.open("PUT", url).is_err() {
        return (0, String::new());
    }
    let name = js_sys::encode_uri_component(&file.name());
    let _ = xhr.set_request_header("X-File-Name", &String::from(name));
    let _ = xhr.set_request_header("Content-Type", "application/octet-stream");
    let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            on_progress(e.loaded() / e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(progress.as_ref().unchecked_ref()));
    }
    let done = Promise::new(&mut |resolve, _reject| xhr.set_onloadend(Some(&resolve)));
    if xhr.send_with_opt_blob(Some(file)).is_err() {
        return (0, String::new());
    }
    let _ = JsFuture::from(done).await;
    drop(progress);
    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    (status, body)
}
