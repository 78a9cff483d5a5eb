//! `fairshare serve`: the JSON/CSV API and the dashboard over the same commands and
//! engines as the CLI. The dataset is loaded once and shared read-only; nothing here
//! computes a figure or touches the filesystem (static assets are compiled in).

pub mod api;
mod cache;
pub mod dashboard;
pub mod openapi;
pub mod query;
pub mod scen;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
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
/// Answers kept in the response cache, at most, and their total size.
pub const CACHE_ANSWERS: usize = 4096;
pub const CACHE_BYTES: usize = 64 * 1024 * 1024;
/// Longest request target (path and query) accepted.
pub const MAX_URI: usize = 8 * 1024;
/// Time limit of one request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// What every handler shares: the dataset and the response cache.
pub struct AppState {
    pub ds: &'static Dataset,
    cache: Cache,
    /// Scenario runs in flight; a request finding none free gets a 503.
    runs: tokio::sync::Semaphore,
}

/// Scenario runs at once (each uses the engine's threads); more wait for none: 503.
pub const MAX_CONCURRENT_RUNS: usize = 2;
/// Time limit of one scenario run.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(15);

pub type Shared = Arc<AppState>;

/// The whole application: API, dashboard and static assets, with limits,
/// compression and request logs.
pub fn router(ds: &'static Dataset) -> Router {
    let state: Shared = Arc::new(AppState {
        ds,
        cache: Cache::new(CACHE_ANSWERS, CACHE_BYTES),
        runs: tokio::sync::Semaphore::new(MAX_CONCURRENT_RUNS),
    });
    let mut app = Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/claims", get(claims))
        .route("/api/claims.csv", get(claims))
        .route("/api/scenarios", get(scenarios))
        .route("/api/scenarios.csv", get(scenarios))
        .route("/api/scenarios/{name}/run", get(scenario_run))
        .route("/api/scenarios/{name}/run.csv", get(scenario_run))
        .route("/", get(index))
        .route("/country", get(country))
        .route("/alliance", get(alliance))
        .route("/scenario", get(scenario_page))
        .route("/chart/{file}", get(chart))
        .route("/static/{file}", get(static_file));
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
        .layer(middleware::from_fn(guard))
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

/// Connection-level limits of `fairshare serve`.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A client must send a request's whole head (request line and headers) within this
    /// time of starting it, or of connecting; slow or silent clients are disconnected.
    pub header_read_timeout: Duration,
    /// Open connections at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Largest request head buffered (request line plus headers); larger ones get a 431
    /// (hyper reads in growing chunks, so a head slightly over may still be read whole).
    pub max_head: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_head: 64 * 1024,
        }
    }
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
    cap_malloc_arenas();
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
        serve_listener(listener, ds, Limits::default(), async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    })
}

/// glibc gives each thread that allocates its own malloc arena (up to 8 per core); with
/// the runtime's workers, the blocking pool and the engine's threads, freed memory is
/// spread over many arenas and resident memory creeps up under a long mixed load. Two
/// arenas: the five-minute soak (bench/serve_soak.sh) settles at about 105 MB instead
/// of 150 MB and grows half as fast. Same as `MALLOC_ARENA_MAX=2`, which still wins if set.
fn cap_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: called before the runtime starts any thread; mallopt only sets a limit.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// Serve connections from `listener` until `shutdown` completes, then let requests in
/// flight finish (at most 5 s). HTTP/1.1 with a header-read timeout, a cap on open
/// connections and a bounded request head: what `axum::serve` does not offer.
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    ds: &'static Dataset,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let app = router(ds);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_head.max(8192));
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let (stream, _peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // Out of descriptors and the like: wait and go on, never spin.
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that disconnects or times out ends here; nothing else is affected.
            if let Err(e) = conn.await {
                tracing::debug!("connection ended: {e}");
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

/// The raw query string as decoded pairs, in order (a malformed one is a 400).
pub struct RawQuery(pub Vec<(String, String)>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RawQuery {
    type Rejection = ApiError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        query::parse(parts.uri.query().unwrap_or(""))
            .map(RawQuery)
            .map_err(ApiError::bad)
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

/// Before anything else: the method, the length of the URL and the declared body size,
/// each refused with a JSON error naming it.
async fn guard(req: Request, next: Next) -> Response {
    let method = req.method();
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        let mut r = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("method {method} is not allowed: the API is read-only (GET or HEAD)"),
        )
        .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the URL is {len} bytes long; at most {MAX_URI}"),
        )
        .into_response();
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(n) = declared.filter(|n| *n > MAX_BODY as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is {n} bytes; at most {MAX_BODY} (GETs need none)"),
        )
        .into_response();
    }
    next.run(req).await
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

// ---------------------------------------------------------------- pages and charts

fn html(body: String) -> Response {
    typed("text/html; charset=utf-8", body.into())
}

fn typed(content_type: &'static str, body: axum::body::Bytes) -> Response {
    let mut r = Response::new(Body::from(body));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// Run blocking work (engines, rendering) off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}")))?
}

/// Cached bytes for `key`, else compute them off the async threads and keep them.
async fn cached(
    st: &Shared,
    key: String,
    f: impl FnOnce() -> Result<axum::body::Bytes, ApiError> + Send + 'static,
) -> Result<axum::body::Bytes, ApiError> {
    if let Some(b) = st.cache.get(&key) {
        return Ok(b);
    }
    let b = blocking(f).await?;
    st.cache.put(key, b.clone());
    Ok(b)
}

async fn index(State(st): State<Shared>) -> Response {
    html(dashboard::index(st.ds))
}

async fn country(State(st): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let v = dashboard::CountryView::from_query(&q)?;
    let key = format!("page|country|{}", v.query());
    let ds = st.ds;
    let b = cached(&st, key, move || {
        dashboard::country_page(ds, &v).map(dashboard::bytes)
    })
    .await?;
    Ok(typed("text/html; charset=utf-8", b))
}

async fn alliance(State(st): State<Shared>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let v = dashboard::AllianceView::from_query(&q)?;
    let key = format!("page|alliance|{}", v.query());
    let ds = st.ds;
    let b = cached(&st, key, move || {
        dashboard::alliance_page(ds, &v).map(dashboard::bytes)
    })
    .await?;
    Ok(typed("text/html; charset=utf-8", b))
}

/// A bounded scenario run: a free slot or 503, on a blocking thread, within the time limit.
async fn run_bounded(
    st: &Shared,
    p: scen::Params,
) -> Result<(fairshare_scenario::Results, fairshare_scenario::Scenario), ApiError> {
    let _permit = st.runs.try_acquire().map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{MAX_CONCURRENT_RUNS} scenario runs are in progress; try again shortly"),
        )
    })?;
    let ds = st.ds;
    let job = blocking(move || {
        let s = scen::scenario(ds, &p.name)?;
        scen::run(ds, &p).map(|r| (r, s))
    });
    tokio::time::timeout(RUN_TIMEOUT, job).await.map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the run took over {} s; ask for fewer paths",
                RUN_TIMEOUT.as_secs()
            ),
        )
    })?
}

async fn scenario_page(
    State(st): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = scen::Params::from_query("", &q)?;
    let key = format!("page|scenario|{}", p.key());
    if let Some(b) = st.cache.get(&key) {
        return Ok(typed("text/html; charset=utf-8", b));
    }
    let (results, s) = run_bounded(&st, p.clone()).await?;
    let ds = st.ds;
    let b = blocking(move || {
        let svg = dashboard::fan_svg(ds, &results, &s)?;
        dashboard::scenario_page(ds, &p, &results, &svg).map(dashboard::bytes)
    })
    .await?;
    st.cache.put(key, b.clone());
    Ok(typed("text/html; charset=utf-8", b))
}

async fn scenarios(
    State(st): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    if let Some((k, _)) = q.first() {
        return Err(ApiError::bad(format!(
            "unknown parameter {k:?}: /api/scenarios takes none"
        )));
    }
    let wire = Wire::negotiate(uri.path(), &headers);
    let rows = scen::list(st.ds)
        .into_iter()
        .map(|m| m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        .collect();
    let answer = Answer {
        rows,
        notes: vec!["Run one: /api/scenarios/{name}/run?paths=&seed=&share=&by=&vol=&prob=".into()],
    };
    Ok(body_response(wire, bytes(wire, &answer)))
}

async fn scenario_run(
    State(st): State<Shared>,
    axum::extract::Path(name): axum::extract::Path<String>,
    uri: Uri,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let wire = Wire::negotiate(uri.path(), &headers);
    let p = scen::Params::from_query(&name, &q)?;
    if q.iter().any(|(k, _)| k == "name") {
        return Err(ApiError::bad(
            "the scenario is named in the path, not by ?name=",
        ));
    }
    let key = format!("run|{wire:?}|{}", p.key());
    if let Some(b) = st.cache.get(&key) {
        return Ok(body_response(wire, b));
    }
    let (results, _) = run_bounded(&st, p).await?;
    let body: axum::body::Bytes = match wire {
        Wire::Json => fairshare_commands::cmd::scenario::results_json(&results).into(),
        Wire::Csv => fairshare_commands::cmd::scenario::results_csv(&results).into(),
    };
    st.cache.put(key, body.clone());
    Ok(body_response(wire, body))
}

/// `/chart/{series,compliance,fan}.{svg,png,csv}` and `/chart/counts.csv`.
async fn chart(
    State(st): State<Shared>,
    axum::extract::Path(file): axum::extract::Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let Some((stem, ext)) = file.rsplit_once('.') else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no such chart: {file} (name.svg, name.png or name.csv)"),
        ));
    };
    let content_type = match ext {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "csv" => "text/csv; charset=utf-8",
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no such chart format: .{ext} (svg, png or csv)"),
            ));
        }
    };
    let ds = st.ds;
    let ext_s = ext.to_string();
    let (key, svg_job): (String, Box<dyn FnOnce() -> Result<String, ApiError> + Send>) =
        match (stem, ext) {
            ("series", "svg" | "png") => {
                let v = dashboard::CountryView::from_query(&q)?;
                (
                    format!("chart|series|{}", v.query()),
                    Box::new(move || {
                        dashboard::series_svg(
                            ds,
                            &v.country,
                            &v.measure,
                            &v.definition,
                            v.from,
                            v.to,
                        )?
                        .ok_or_else(|| {
                            ApiError::new(
                                StatusCode::NOT_FOUND,
                                "no observations to draw for this selection",
                            )
                        })
                    }),
                )
            }
            ("compliance", "svg" | "png") => {
                let v = dashboard::AllianceView::from_query(&q)?;
                (
                    format!("chart|compliance|{}", v.query()),
                    Box::new(move || dashboard::compliance_svg(ds, &v)),
                )
            }
            ("compliance", "csv") => {
                let v = dashboard::AllianceView::from_query(&q)?;
                let key = format!("chart|compliance.csv|{}", v.query());
                let b = cached(&st, key, move || {
                    dashboard::compliance_csv(ds, &v).map(dashboard::bytes)
                })
                .await?;
                return Ok(typed(content_type, b));
            }
            ("counts", "csv") => {
                let v = dashboard::AllianceView::from_query(&q)?;
                let key = format!("chart|counts.csv|{}", v.query());
                let b = cached(&st, key, move || {
                    dashboard::counts(ds, &v).map(|rows| dashboard::counts_csv(&rows, &v).into())
                })
                .await?;
                return Ok(typed(content_type, b));
            }
            ("fan", _) => {
                let p = scen::Params::from_query("", &q)?;
                let key = format!("chart|fan.{ext}|{}", p.key());
                if let Some(b) = st.cache.get(&key) {
                    return Ok(typed(content_type, b));
                }
                let (results, s) = run_bounded(&st, p).await?;
                let b: axum::body::Bytes = blocking(move || match ext_s.as_str() {
                    "csv" => Ok(fairshare_commands::cmd::scenario::results_csv(&results).into()),
                    "svg" => dashboard::fan_svg(ds, &results, &s).map(Into::into),
                    _ => png(&dashboard::fan_svg(ds, &results, &s)?).map(Into::into),
                })
                .await?;
                st.cache.put(key, b.clone());
                return Ok(typed(content_type, b));
            }
            _ => {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("no such chart: {file}"),
                ));
            }
        };
    let key = format!("{key}|{ext}");
    let b = cached(&st, key, move || {
        let svg = svg_job()?;
        if ext_s == "png" {
            png(&svg).map(Into::into)
        } else {
            Ok(svg.into())
        }
    })
    .await?;
    Ok(typed(content_type, b))
}

fn png(svg: &str) -> Result<Vec<u8>, ApiError> {
    fairshare_report::charts::to_png(svg, 2.0).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot draw PNG: {e}"),
        )
    })
}

/// Static assets, compiled in: a name is looked up, never opened.
const STATIC: &[(&str, &str, &str)] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/app.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_str!("../static/style.css"),
    ),
];

async fn static_file(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Result<Response, ApiError> {
    STATIC
        .iter()
        .find(|(n, _, _)| *n == file)
        .map(|(_, ct, body)| {
            let mut r = typed(ct, axum::body::Bytes::from_static(body.as_bytes()));
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            r
        })
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no such asset: {file}")))
}
