//! The JSON API for integrations (`/api/v1/…`), its errors as `application/problem+json`
//! (RFC 9457) with a stable `code`, and its OpenAPI 3 document (`/api/openapi.json`).
//! Handlers only parse and call the catalog service.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::domain::catalog::ServiceItem;
use crate::server::services::catalog;
use crate::server::state::AppState;
use crate::views::catalog::{
    BundleSummary, BundleView, DepartmentInfo, ItemFilter, ItemGuide, ItemSummary,
};

pub mod accounts;
pub mod applications;
pub mod backoffice;
pub mod body;
pub mod calendar;
pub mod licences;
pub mod review;
pub mod track;

pub use crate::server::error::{AppError, ErrorCode, ProblemDetails};

/// The `/api/v1` routes and the OpenAPI document.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/items", get(list_items))
        .route("/api/v1/items/{code}", get(get_item))
        .route(
            "/api/v1/items/{code}/versions/{version}",
            get(get_item_version),
        )
        .route("/api/v1/bundles", get(list_bundles))
        .route("/api/v1/bundles/{code}", get(get_bundle))
        .route("/api/v1/departments", get(list_departments))
        .route(
            "/api/v1/auth/register",
            axum::routing::post(crate::server::rest::accounts::register),
        )
        .route(
            "/api/v1/auth/login",
            axum::routing::post(crate::server::rest::accounts::login),
        )
        .route(
            "/api/v1/auth/recovery/code",
            axum::routing::post(crate::server::rest::accounts::recovery_code),
        )
        .route(
            "/api/v1/auth/recovery",
            axum::routing::post(crate::server::rest::accounts::recover),
        )
        .route(
            "/api/v1/auth/logout",
            axum::routing::post(crate::server::rest::accounts::logout),
        )
        .route("/api/v1/auth/me", get(crate::server::rest::accounts::me))
        .route(
            "/api/v1/applications",
            get(crate::server::rest::applications::list)
                .post(crate::server::rest::applications::create),
        )
        .route(
            "/api/v1/applications/{number}",
            get(crate::server::rest::applications::get_one)
                .put(crate::server::rest::applications::update)
                .delete(crate::server::rest::applications::delete),
        )
        .route(
            "/api/v1/applications/{number}/materials/{code}",
            get(crate::server::rest::applications::download)
                .put(crate::server::rest::applications::upload)
                .delete(crate::server::rest::applications::delete_upload),
        )
        .route(
            "/api/v1/applications/claim",
            axum::routing::post(crate::server::rest::applications::claim),
        )
        .route(
            "/api/v1/applications/{number}/submit",
            axum::routing::post(crate::server::rest::applications::submit),
        )
        .route(
            "/api/v1/applications/{number}/resubmit",
            axum::routing::post(crate::server::rest::applications::resubmit),
        )
        .route(
            "/api/v1/applications/{number}/notices/{id}",
            get(crate::server::rest::review::applicant_notice),
        )
        .route(
            "/api/v1/staff/login",
            axum::routing::post(crate::server::rest::review::login),
        )
        .route(
            "/api/v1/staff/logout",
            axum::routing::post(crate::server::rest::review::logout),
        )
        .route("/api/v1/staff/me", get(crate::server::rest::review::me))
        .route(
            "/api/v1/review/queue",
            get(crate::server::rest::review::queue),
        )
        .route(
            "/api/v1/review/intake",
            axum::routing::post(crate::server::rest::review::intake),
        )
        .route(
            "/api/v1/review/cases/{number}",
            get(crate::server::rest::review::case),
        )
        .route(
            "/api/v1/review/cases/{number}/{action}",
            axum::routing::post(crate::server::rest::review::act),
        )
        .route(
            "/api/v1/review/cases/{number}/notices/{id}",
            get(crate::server::rest::review::staff_notice),
        )
        .route(
            "/api/v1/review/cases/{number}/materials/{code}",
            get(crate::server::rest::review::material),
        )
        .route(
            "/api/v1/review/tasks",
            get(crate::server::rest::backoffice::tasks),
        )
        .route(
            "/api/v1/review/tasks/{id}/claim",
            axum::routing::post(crate::server::rest::backoffice::claim),
        )
        .route(
            "/api/v1/review/tasks/{id}/complete",
            axum::routing::post(crate::server::rest::backoffice::complete),
        )
        .route(
            "/api/v1/review/cases/{number}/back-office",
            get(crate::server::rest::backoffice::back_office),
        )
        .route(
            "/api/v1/review/cases/{number}/decision",
            axum::routing::post(crate::server::rest::backoffice::decide),
        )
        .route(
            "/api/v1/review/cases/{number}/decision-on-the-spot",
            axum::routing::post(crate::server::rest::backoffice::decide_on_the_spot),
        )
        .route(
            "/api/v1/licences",
            get(crate::server::rest::licences::register),
        )
        .route(
            "/api/v1/licences/keys",
            get(crate::server::rest::licences::keys),
        )
        .route(
            "/api/v1/licences/revocations",
            get(crate::server::rest::licences::revocations),
        )
        .route(
            "/api/v1/licences/verification",
            axum::routing::post(crate::server::rest::licences::verify),
        )
        .route(
            "/api/v1/licences/{number}",
            get(crate::server::rest::licences::check),
        )
        .route(
            "/api/v1/licences/{number}/file",
            get(crate::server::rest::licences::file),
        )
        .route(
            "/api/v1/review/licences/{number}/revocation",
            axum::routing::post(crate::server::rest::licences::revoke),
        )
        .route(
            "/api/v1/review/cases/{number}/delivery",
            axum::routing::post(crate::server::rest::backoffice::deliver),
        )
        .route(
            "/api/v1/review/cases/{number}/deferred-confirmation",
            axum::routing::post(crate::server::rest::backoffice::confirm_deferred),
        )
        .route(
            "/api/v1/review/cases/{number}/withdrawal",
            axum::routing::post(crate::server::rest::backoffice::staff_withdrawal),
        )
        .route(
            "/api/v1/applications/{number}/withdrawal",
            axum::routing::post(crate::server::rest::backoffice::applicant_withdrawal),
        )
        .route(
            "/api/v1/admin/staff",
            axum::routing::post(crate::server::rest::review::create_staff),
        )
        .route(
            "/api/v1/track/{number}",
            get(crate::server::rest::track::track),
        )
        .route(
            "/api/v1/applications/{number}/events",
            get(crate::server::rest::track::own_events),
        )
        .route(
            "/api/v1/track/{number}/events",
            get(crate::server::rest::track::events),
        )
        .route(
            "/api/v1/supervision/board",
            get(crate::server::rest::track::board),
        )
        .route(
            "/api/v1/supervision/warnings/{id}/seen",
            axum::routing::post(crate::server::rest::track::seen),
        )
        .route(
            "/api/v1/calendar/years",
            get(crate::server::rest::calendar::years),
        )
        .route(
            "/api/v1/admin/calendar/{year}",
            axum::routing::put(crate::server::rest::calendar::put_year),
        )
        .route(
            "/api/v1/calendar/add",
            get(crate::server::rest::calendar::add),
        )
        .route(
            "/api/v1/calendar/count",
            get(crate::server::rest::calendar::count),
        )
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/v1", get(api_not_found))
        .route(
            "/api/v1/{*rest}",
            get(api_not_found)
                .post(api_not_found)
                .put(api_not_found)
                .delete(api_not_found),
        )
        .layer(axum::middleware::from_fn(problems_only))
}

/// What the framework answers by itself, in plain text (a path segment that is not a number,
/// a method the address does not take, a body too large or of the wrong type), becomes a
/// problem like every other answer of the API, with the framework's reason in its detail.
async fn problems_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::header::{ALLOW, CONTENT_TYPE};
    let method = request.method().clone();
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    let (code, what) = match response.status().as_u16() {
        _ if is_problem => return response,
        400 => (ErrorCode::BadRequest, "请求有误".to_string()),
        405 => (
            ErrorCode::MethodNotAllowed,
            format!("该地址不接受 {method} 请求"),
        ),
        413 => (ErrorCode::PayloadTooLarge, "请求体过大".to_string()),
        415 => (
            ErrorCode::UnsupportedMediaType,
            "请求体格式不受支持（应为 JSON）".to_string(),
        ),
        _ => return response,
    };
    let allow = response.headers().get(ALLOW).cloned();
    let reason = axum::body::to_bytes(response.into_body(), 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = match reason.is_empty() {
        true => what,
        false => format!("{what}：{reason}"),
    };
    let mut problem = AppError::new(code, message).into_response();
    if let Some(allow) = allow {
        problem.headers_mut().insert(ALLOW, allow);
    }
    problem
}

/// Search the catalog.
#[utoipa::path(get, path = "/api/v1/items", tag = "catalog", params(ItemFilter),
    responses(
        (status = 200, description = "Matching items, by code", body = [ItemSummary]),
        (status = 400, description = "An unknown filter value"),
    ))]
async fn list_items(
    State(state): State<AppState>,
    filter: Result<Query<ItemFilter>, QueryRejection>,
) -> Result<Json<Vec<ItemSummary>>, AppError> {
    let Query(filter) = filter.map_err(|e| {
        AppError::new(
            ErrorCode::InvalidQuery,
            format!("查询参数无法解析：{}", e.body_text()),
        )
    })?;
    if let Some((name, value)) = filter.unknown_value() {
        return Err(AppError::new(
            ErrorCode::InvalidFilter,
            format!("筛选参数 {name} 的取值 {value:?} 无效"),
        ));
    }
    Ok(Json(catalog::list_items(&state.db, &filter).await?))
}

/// The full guide of an item: every guide element, its materials and form fields, and its
/// version history.
#[utoipa::path(get, path = "/api/v1/items/{code}", tag = "catalog",
    params(("code" = String, Path, description = "实施编码")),
    responses(
        (status = 200, body = ItemGuide),
        (status = 404),
    ))]
async fn get_item(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<ItemGuide>, AppError> {
    let guide = state.track.reference.item(&state.db, &code).await?;
    guide
        .map(|g| Json(ItemGuide::clone(&g)))
        .ok_or_else(|| item_not_found(&code))
}

/// One earlier (or the current) version of an item's guide, as it was imported.
#[utoipa::path(get, path = "/api/v1/items/{code}/versions/{version}", tag = "catalog",
    params(("code" = String, Path, description = "实施编码"), ("version" = u32, Path, description = "版本号")),
    responses(
        (status = 200, body = ServiceItem),
        (status = 404),
    ))]
async fn get_item_version(
    State(state): State<AppState>,
    Path((code, version)): Path<(String, String)>,
) -> Result<Json<ServiceItem>, AppError> {
    let not_found = || {
        AppError::new(
            ErrorCode::VersionNotFound,
            format!("事项 {code} 没有版本 {version}"),
        )
    };
    let number: u32 = version.parse().map_err(|_| not_found())?;
    catalog::get_item_version(&state.db, &code, number)
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

/// The bundles (一件事), construction stages first.
#[utoipa::path(get, path = "/api/v1/bundles", tag = "catalog",
    responses((status = 200, body = [BundleSummary])))]
async fn list_bundles(State(state): State<AppState>) -> Result<Json<Vec<BundleSummary>>, AppError> {
    Ok(Json(catalog::list_bundles(&state.db).await?))
}

/// A bundle with its items, its one form (shared fields once) and its one set of materials.
#[utoipa::path(get, path = "/api/v1/bundles/{code}", tag = "catalog",
    params(("code" = String, Path, description = "一件事编码")),
    responses(
        (status = 200, body = BundleView),
        (status = 404),
    ))]
async fn get_bundle(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<BundleView>, AppError> {
    let bundle = state.track.reference.bundle(&state.db, &code).await?;
    bundle.map(|b| Json(BundleView::clone(&b))).ok_or_else(|| {
        AppError::new(
            ErrorCode::BundleNotFound,
            format!("没有编码为 {code} 的一件事"),
        )
    })
}

/// The departments with their item counts.
#[utoipa::path(get, path = "/api/v1/departments", tag = "catalog",
    responses((status = 200, body = [DepartmentInfo])))]
async fn list_departments(
    State(state): State<AppState>,
) -> Result<Json<Vec<DepartmentInfo>>, AppError> {
    Ok(Json(catalog::list_departments(&state.db).await?))
}

async fn api_not_found() -> AppError {
    AppError::new(
        ErrorCode::NotFound,
        "没有这个接口，请查看 /api/openapi.json",
    )
}

/// A stored material as a response, streamed from the store: `disposition` says whether the
/// browser saves it (`attachment`) or shows it (`inline`); never cached, never sniffed, and
/// a document shown alone may load nothing else and be framed only by this site. (No
/// `sandbox`: Chromium refuses to show a PDF in a sandboxed document.)
pub(crate) fn file_response(
    media: &'static str,
    disposition: &str,
    size: u64,
    bytes: crate::server::storage::ByteStream,
) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let mut response = axum::body::Body::from_stream(bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(v) = HeaderValue::from_str(disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    for (name, value) in [
        (header::CACHE_CONTROL, "private, no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
        ),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn item_not_found(code: &str) -> AppError {
    AppError::new(
        ErrorCode::ItemNotFound,
        format!("没有实施编码为 {code} 的事项"),
    )
}

async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

/// The OpenAPI 3 document of the JSON API.
#[derive(OpenApi)]
#[openapi(
    info(title = "OneWindow 一窗通办 API", description = "政务服务网上办事大厅的对外接口。错误以 application/problem+json 返回，`code` 字段稳定。"),
    paths(
        list_items, get_item, get_item_version, list_bundles, get_bundle, list_departments,
        crate::server::rest::accounts::register, crate::server::rest::accounts::login, crate::server::rest::accounts::logout,
        crate::server::rest::accounts::recovery_code, crate::server::rest::accounts::recover,
        crate::server::rest::accounts::me, crate::server::rest::applications::create, crate::server::rest::applications::update,
        crate::server::rest::applications::get_one, crate::server::rest::applications::list, crate::server::rest::applications::delete,
        crate::server::rest::applications::upload, crate::server::rest::applications::download, crate::server::rest::applications::delete_upload,
        crate::server::rest::applications::submit, crate::server::rest::applications::resubmit, crate::server::rest::applications::claim,
        crate::server::rest::review::applicant_notice, crate::server::rest::review::login, crate::server::rest::review::logout,
        crate::server::rest::review::me, crate::server::rest::review::queue, crate::server::rest::review::case,
        crate::server::rest::review::act,
        crate::server::rest::review::staff_notice, crate::server::rest::review::material, crate::server::rest::review::intake,
        crate::server::rest::review::create_staff,
        crate::server::rest::backoffice::tasks, crate::server::rest::backoffice::claim, crate::server::rest::backoffice::complete,
        crate::server::rest::backoffice::back_office, crate::server::rest::backoffice::decide,
        crate::server::rest::backoffice::decide_on_the_spot, crate::server::rest::backoffice::confirm_deferred,
        crate::server::rest::backoffice::deliver,
        crate::server::rest::licences::keys, crate::server::rest::licences::revocations,
        crate::server::rest::licences::register, crate::server::rest::licences::check,
        crate::server::rest::licences::verify, crate::server::rest::licences::file,
        crate::server::rest::licences::revoke,
        crate::server::rest::backoffice::staff_withdrawal, crate::server::rest::backoffice::applicant_withdrawal,
        crate::server::rest::calendar::add, crate::server::rest::calendar::count,
        crate::server::rest::track::track, crate::server::rest::track::events, crate::server::rest::track::board,
        crate::server::rest::track::seen, crate::server::rest::track::own_events, crate::server::rest::calendar::years, crate::server::rest::calendar::put_year,
    ),
    components(schemas(ProblemDetails)),
    modifiers(&CommonAnswers),
    tags((name = "catalog", description = "事项清单与办事指南"), (name = "auth", description = "申请人账号"), (name = "applications", description = "申请人的办件：草稿、材料上传、提交、补正后重新提交"), (name = "calendar", description = "工作日计算（节假日与调休按管理员维护的日历）"), (name = "review", description = "窗口预审：工作人员登录、待受理队列、受理、容缺受理、不予受理、一次性告知、窗口收件；特别程序与延期"), (name = "backoffice", description = "并联审批：部门审查任务（签收、审查意见）、审查决定（准予 / 不予行政许可，统一出件）、即办件当场办结、容缺材料核验、撤回申请、送达（邮寄、窗口领取；电子送达随决定完成）"), (name = "track", description = "办理进度查询：办件编号加第二验证因素（手机号码或查询码）"), (name = "supervision", description = "电子监察：督办看板与预警"), (name = "licences", description = "电子证照：按编号和校验码或证照文件验真（SM2/SM3 签名）、发证部门公钥、注销撤销清单、公示名录"))
)]
pub struct ApiDoc;

/// The answers any operation may give besides its own, added to every operation the document
/// lists (a client generated from it must expect them): 400 when the request cannot be read
/// (a path segment, query or body that is not what the operation takes, a NUL byte); 401
/// without a session, except on the public operations; 403 `cross_site` on every write; 413
/// and 415 where a body is taken. Each as problem+json.
///
/// It also gives every error an operation declares (`(status = 404, description = "…")`)
/// its problem+json body, so the handlers name only the status and the codes it carries.
struct CommonAnswers;

/// Paths answered without a session.
const PUBLIC_PATHS: &[&str] = &[
    "/api/v1/items",
    "/api/v1/bundles",
    "/api/v1/departments",
    "/api/v1/auth/register",
    "/api/v1/auth/login",
    "/api/v1/auth/recovery",
    "/api/v1/staff/login",
    "/api/v1/track/",
    "/api/v1/licences",
    "/api/v1/calendar/",
];

impl utoipa::Modify for CommonAnswers {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        const PROBLEM: &str = "application/problem+json";
        let content = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ProblemDetails")))
                .build()
        };
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(PROBLEM, content())
                .build()
        };
        for (path, item) in doc.paths.paths.iter_mut() {
            let public = PUBLIC_PATHS.iter().any(|p| path.starts_with(p));
            let operations = [
                (false, item.get.as_mut()),
                (true, item.put.as_mut()),
                (true, item.post.as_mut()),
                (true, item.delete.as_mut()),
                (true, item.patch.as_mut()),
            ];
            for (writes, operation) in operations {
                let Some(operation) = operation else { continue };
                let has_body = operation.request_body.is_some();
                let answers = &mut operation.responses.responses;
                for (status, answer) in answers.iter_mut() {
                    if let utoipa::openapi::RefOr::T(answer) = answer
                        && answer.content.is_empty()
                        && (status.starts_with('4') || status.starts_with('5'))
                    {
                        answer.content.insert(PROBLEM.into(), content());
                    }
                }
                let mut add = |status: &str, description: &str| {
                    answers
                        .entry(status.into())
                        .or_insert_with(|| problem(description).into());
                };
                add(
                    "400",
                    "bad_request, invalid_query or invalid_json: the request could not be read",
                );
                if !public {
                    add("401", "not_logged_in: no valid session");
                }
                if writes {
                    add("403", "cross_site: sent by a page of another site");
                }
                if has_body {
                    add("413", "payload_too_large");
                    add("415", "unsupported_media_type");
                }
            }
        }
    }
}
