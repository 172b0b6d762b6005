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

/// The file chosen in the `<input type=file>` of `ev`; the input is cleared, so choosing the
/// same file again fires again.
pub fn chosen_file(ev: &web_sys::Event) -> Option<File> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|list| list.get(0))?;
    input.set_value("");
    Some(file)
}

/// The part of a refusal (problem+json) shown to the applicant. Read with `from_slice`, like
/// every other answer ([`crate::resource`]), and into a struct rather than a
/// `serde_json::Value`, so the wasm carries no second JSON reader.
#[derive(serde::Deserialize)]
struct Refusal {
    detail: String,
}

/// Uploads `file` as `material` to `url`: the server's own content and size check first,
/// then the file with its progress; answers with the recorded upload or a message in Chinese.
pub async fn upload(
    url: &str,
    file: &File,
    material: &crate::domain::catalog::Material,
    on_progress: impl Fn(f64) + 'static,
) -> Result<crate::views::applications::UploadedMaterial, String> {
    let head = read_head(file).await?;
    crate::domain::upload::check_upload(material, file.size() as u64, &head)
        .map_err(|e| e.message(&material.name))?;
    let (status, body) = put_file(url, file, on_progress).await;
    match status {
        200 => serde_json::from_slice(body.as_bytes())
            .map_err(|_| "上传结果无法识别，请刷新页面查看".into()),
        0 => Err("网络中断，文件没有上传完整，请重新上传".into()),
        _ => Err(serde_json::from_slice::<Refusal>(body.as_bytes())
            .map(|r| r.detail)
            .unwrap_or_else(|_| format!("上传失败（{status}），请重试"))),
    }
}
