//! Requests with arbitrary query strings through the whole application (middleware,
//! strict query decoding, parameter checks, the commands behind each endpoint), without
//! a socket. The first byte picks the route; the rest is the query, percent-encoded only
//! where a URI cannot carry the byte, so malformed escapes and odd bytes reach the
//! decoder. Every answer must be a 2xx, or a 4xx/503 with a one-line JSON error.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

/// Routes whose answers are cheap enough to fuzz (scenario runs are bounded by
/// `scen::Params::from_query`, fuzzed directly below, not run).
const ROUTES: &[&str] = &[
    "/api/series",
    "/api/series.csv",
    "/api/explain",
    "/api/sources",
    "/api/countries",
    "/api/targets",
    "/api/gap",
    "/api/hns",
    "/api/alliances",
    "/api/claims",
    "/api/scenarios",
    "/country",
    "/alliance",
    "/chart/series.svg",
    "/chart/compliance.csv",
    "/chart/counts.csv",
    "/api/models/nash",
];

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    })
}

fn app() -> &'static axum::Router {
    static APP: OnceLock<axum::Router> = OnceLock::new();
    APP.get_or_init(|| {
        fairshare_server::router(fairshare_embedded::dataset().expect("embedded dataset"))
    })
}

/// Bytes a URI query can carry as they are; everything else is percent-encoded.
fn uri_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b)
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut query = String::with_capacity(rest.len());
    for &b in rest {
        if uri_safe(b) {
            query.push(b as char);
        } else {
            query.push_str(&format!("%{b:02X}"));
        }
    }
    // The pairs as the server decodes them also go through the scenario parameters.
    if let Ok(pairs) = fairshare_server::query::parse(&query)
        && let Err(e) = fairshare_server::scen::Params::from_query("korea-withdrawal", &pairs)
    {
        assert!(!e.message.contains('\n'), "multi-line error: {}", e.message);
        assert!(e.status.is_client_error(), "{}: {}", e.status, e.message);
    }
    let route = ROUTES[pick as usize % ROUTES.len()];
    let Ok(req) = Request::builder()
        .uri(format!("{route}?{query}"))
        .body(Body::empty())
    else {
        return; // not a URI at all (the server would never see it)
    };
    runtime().block_on(async {
        let res = app()
            .clone()
            .oneshot(req)
            .await
            .expect("infallible service");
        let status = res.status();
        let json = res
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        let body = res.into_body().collect().await.expect("body").to_bytes();
        if status.is_success() {
            return;
        }
        assert!(
            status.is_client_error() || status.as_u16() == 503,
            "{status} for {route}?{query}: {}",
            String::from_utf8_lossy(&body)
        );
        assert!(json, "{status} without JSON for {route}?{query}");
        let v: serde_json::Value = serde_json::from_slice(&body).expect("a JSON error");
        let msg = v["error"].as_str().expect("an error string");
        assert!(!msg.contains('\n'), "multi-line error: {msg}");
        assert!(!msg.is_empty());
    });
});
