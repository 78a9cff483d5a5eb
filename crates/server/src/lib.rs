//! `fairshare serve`: the JSON/CSV API and the dashboard over the same commands and
//! engines as the CLI. The dataset is loaded once and shared read-only; nothing here
//! computes a figure or touches the filesystem (static assets are compiled in).

pub mod api;
mod cache;
pub mod openapi;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fairshare_dataset::Dataset;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

use crate::api::{Answer, ApiError, ENDPOINTS, Endpoint, Wire};
use crate::cache::Cache;

/// Largest request body accepted (the API is read-only: GETs carry none).
pub const MAX_BODY: usize = 16 * 1024;
/// Time limit of one request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// What every handler shares: the dataset and the response cache.
pub struct AppState {
    pub ds: &'static Dataset,
    cache: Cache,
}

pub type Shared = Arc<AppState>;

/// The whole application: API, dashboard and static assets, with limits,
/// compression and request logs.
pub fn router(ds: &'static Dataset) -> Router {
    let state: Shared = Arc::new(AppState {
        ds,
        cache: Cache::new(4096),
    });
    let mut app = Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/claims", get(claims))
        .route("/api/claims.csv", get(claims));
    for (i, ep) in ENDPOINTS.iter().enumerate() {
        let h = move |st: State<Shared>, uri: Uri, headers: HeaderMap, q: RawQuery| {
            command(st, uri, headers, q, &ENDPOINTS[i])
        };
        app = app
            .route(ep.path, get(h))
            .route(&format!("{}.csv", ep.path), get(h));
    }
    app.fallback(not_found)
        .layer(middleware::from_fn(reject_traversal))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}

/// Serve on `addr` until Ctrl-C.
pub fn serve(ds: &'static Dataset, addr: &str) -> Result<(), String> {
    let addr: std::net::SocketAddr = addr
        .parse()
        .map_err(|_| format!("--addr {addr:?} is not HOST:PORT, e.g. 127.0.0.1:8080"))?;
    // FAIRSHARE_LOG=warn silences the per-request lines (the load check uses it).
    let level = match std::env::var("FAIRSHARE_LOG").as_deref() {
        Ok("off") | Ok("error") => tracing::Level::ERROR,
        Ok("warn") => tracing::Level::WARN,
        Ok("debug") => tracing::Level::DEBUG,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        eprintln!(
            "fairshare: serving http://{addr}/ (dashboard) and http://{addr}/api/openapi.json"
        );
        axum::serve(listener, router(ds))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("server failed: {e}"))
    })
}

/// The raw query string as decoded pairs, in order (a malformed one is a 400).
pub struct RawQuery(pub Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RawQuery {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let Query(v) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad(format!("malformed query string: {e}")))?;
        Ok(RawQuery(v))
    }
}

async fn command(
    State(st): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    ep: &'static Endpoint,
) -> Result<Response, ApiError> {
    let wire = Wire::negotiate(uri.path(), &headers);
    let key = cache::key(ep.path, &query, wire);
    if let Some(body) = st.cache.get(&key) {
        return Ok(body_response(wire, body));
    }
    let args = api::arguments(ep, &query)?;
    let ds = st.ds;
    let answer = tokio::task::spawn_blocking(move || {
        fairshare_commands::run_records(ds, &args).map(Answer::from_records)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}")))??;
    let body = bytes(wire, &answer);
    st.cache.put(key, body.clone());
    Ok(body_response(wire, body))
}

fn bytes(wire: Wire, answer: &Answer) -> axum::body::Bytes {
    match wire {
        Wire::Json => answer.json().into(),
        Wire::Csv => answer.csv().into(),
    }
}

fn body_response(wire: Wire, body: axum::body::Bytes) -> Response {
    let mut r = Response::new(Body::from(body));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(wire.content_type()),
    );
    r
}

/// The claims files shipped with fairshare, compiled in.
pub const CLAIMS_FILES: &[(&str, &str)] = &[(
    "diplomat-2024",
    include_str!("../../../claims/diplomat-2024.toml"),
)];

async fn claims(
    State(st): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let wire = Wire::negotiate(uri.path(), &headers);
    let mut file = None;
    for (k, v) in &query {
        match k.as_str() {
            "file" => file = Some(v.as_str()),
            other => {
                return Err(ApiError::bad(format!(
                    "unknown parameter {other:?} for /api/claims; known: file"
                )));
            }
        }
    }
    let names: Vec<&str> = CLAIMS_FILES.iter().map(|(n, _)| *n).collect();
    let file = file.unwrap_or(CLAIMS_FILES[0].0);
    let Some((name, text)) = CLAIMS_FILES.iter().find(|(n, _)| *n == file) else {
        return Err(ApiError::bad(format!(
            "unknown claims file {file:?}; known: {}",
            names.join(", ")
        )));
    };
    let key = cache::key("/api/claims", &query, wire);
    if let Some(body) = st.cache.get(&key) {
        return Ok(body_response(wire, body));
    }
    let ds = st.ds;
    let records = tokio::task::spawn_blocking(move || {
        fairshare_commands::cmd::claims::check_records(ds, name, text)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}")))??;
    let body = bytes(wire, &Answer::from_records(vec![records]));
    st.cache.put(key, body.clone());
    Ok(body_response(wire, body))
}

async fn openapi_json() -> Response {
    let mut r = Response::new(Body::from(openapi::document().to_string()));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("no such page or endpoint: {}", uri.path()),
    )
}

/// `..` in a path, raw or percent-encoded, is refused before any routing.
async fn reject_traversal(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let decoded = percent_decode(path);
    let twice = percent_decode(&decoded);
    let bad = [path, decoded.as_str(), twice.as_str()]
        .iter()
        .any(|p| p.split(['/', '\\']).any(|seg| seg == ".." || seg == ".") || p.contains('\0'));
    if bad {
        return ApiError::bad(format!(
            "path {path:?} contains '..' or '.' segments; paths are names, not files"
        ))
        .into_response();
    }
    next.run(req).await
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}
