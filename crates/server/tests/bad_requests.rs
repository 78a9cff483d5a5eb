//! The HTTP half of the bad-input catalogue: requests a client can get wrong, each sent
//! through the whole application (router, limits, middleware) without a socket. Every
//! row must answer with its 4xx status, `{"error": "..."}` as JSON, a one-line message
//! that names the offending input, and no panic. `docs/errors.md` lists every class by
//! id with the message; a second test keeps the two in step. Faults that need a real
//! connection (slow headers, disconnects, a head over 64 KiB) are in `faults.rs`.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Class {
    /// Stable id, listed in docs/errors.md.
    id: &'static str,
    method: &'static str,
    uri: String,
    /// Declared body length, if any (the body itself is not sent).
    content_length: Option<u64>,
    status: StatusCode,
    /// Every one of these must appear in the message (the offending input).
    names: &'static [&'static str],
}

fn get(id: &'static str, uri: &str, status: StatusCode, names: &'static [&'static str]) -> Class {
    Class {
        id,
        method: "GET",
        uri: uri.to_string(),
        content_length: None,
        status,
        names,
    }
}

const BAD: StatusCode = StatusCode::BAD_REQUEST;
const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;

fn catalogue() -> Vec<Class> {
    vec![
        // Countries, measures, definitions.
        get(
            "http-unknown-country",
            "/api/series?country=XYZ",
            BAD,
            &["XYZ"],
        ),
        get(
            "http-unknown-country-in-list",
            "/api/series?country=JPN,ZZZ",
            BAD,
            &["ZZZ"],
        ),
        get(
            "http-ambiguous-country",
            "/api/series?country=Korea",
            BAD,
            &["Korea", "KOR", "PRK"],
        ),
        get("http-missing-parameter", "/api/series", BAD, &["country"]),
        get(
            "http-unknown-measure",
            "/api/series?country=JPN&measure=bogus",
            BAD,
            &["bogus"],
        ),
        get(
            "http-unknown-definition",
            "/api/series?country=JPN&definition=bogus",
            BAD,
            &["bogus"],
        ),
        // Years.
        get(
            "http-year-not-a-number",
            "/api/series?country=JPN&from=abc",
            BAD,
            &["from", "abc"],
        ),
        get(
            "http-year-fraction",
            "/api/series?country=JPN&from=2.5",
            BAD,
            &["from", "2.5"],
        ),
        get(
            "http-year-exponent",
            "/api/series?country=JPN&to=1e3",
            BAD,
            &["to", "1e3"],
        ),
        get(
            "http-reversed-years",
            "/api/series?country=JPN&from=2020&to=2000",
            BAD,
            &["2020", "2000", "reversed"],
        ),
        get(
            "http-year-out-of-range",
            "/api/series?country=JPN&from=-99999",
            BAD,
            &["-99999"],
        ),
        get(
            "http-year-overflow",
            "/api/series?country=JPN&to=99999999999999999999",
            BAD,
            &["to", "99999999999999999999"],
        ),
        get(
            "http-explain-missing-year",
            "/api/explain?country=JPN&measure=milex_gdp",
            BAD,
            &["year"],
        ),
        // Parameters themselves.
        get(
            "http-unknown-parameter",
            "/api/series?country=JPN&colour=red",
            BAD,
            &["colour"],
        ),
        get(
            "http-repeated-parameter",
            "/api/series?country=JPN&from=2000&from=2001",
            BAD,
            &["from", "2 times"],
        ),
        get(
            "http-empty-parameter",
            "/api/series?country=",
            BAD,
            &["country", "empty"],
        ),
        get(
            "http-overlong-value",
            &format!("/api/series?country={}", "J".repeat(500)),
            BAD,
            &["country", "500 characters"],
        ),
        get(
            "http-flag-injection",
            "/api/series?country=--help",
            BAD,
            &["country", "--help"],
        ),
        get(
            "http-flag-injection-in-value",
            "/api/series?country=JPN&measure=--out%3D%2Ftmp%2Fx",
            BAD,
            &["--out=/tmp/x"],
        ),
        get(
            "http-nul-byte",
            "/api/series?country=JP%00N",
            BAD,
            &["country", "U+0000"],
        ),
        get(
            "http-line-break-injection",
            "/api/series?country=JPN%0d%0aSet-Cookie:%20x",
            BAD,
            &["country", "U+000D"],
        ),
        get(
            "http-invalid-utf8",
            "/api/series?country=%FF%FE",
            BAD,
            &["country", "UTF-8"],
        ),
        get(
            "http-malformed-percent",
            "/api/series?country=%G1",
            BAD,
            &["country", "%G1"],
        ),
        get(
            "http-too-many-parameters",
            &format!("/api/series?{}", vec!["a=1"; 40].join("&")),
            BAD,
            &["more than 32"],
        ),
        // Targets, alliances, files named in a query.
        get(
            "http-unknown-target",
            "/api/gap?country=JPN&target=nope-target",
            BAD,
            &["nope-target"],
        ),
        get(
            "http-unknown-alliance",
            "/api/targets?alliance=NOPE",
            BAD,
            &["NOPE"],
        ),
        get(
            "http-claims-file-path",
            "/api/claims?file=../../etc/passwd",
            BAD,
            &["../../etc/passwd"],
        ),
        get(
            "http-model-spec-path",
            "/api/models/fit?spec=/etc/passwd",
            BAD,
            &["spec"],
        ),
        get(
            "http-nash-unknown-member",
            "/api/models/nash?alliance=NATO&year=2024&remove=Atlantis",
            BAD,
            &["Atlantis"],
        ),
        get(
            "http-nash-bad-factor",
            "/api/models/nash?alliance=NATO&scale=USA%3Dhalf",
            BAD,
            &["scale", "half"],
        ),
        get(
            "http-demand-negative",
            "/api/hns?country=JPN&demand=-8e9USD",
            BAD,
            &["-8e9USD"],
        ),
        // Scenario runs.
        get(
            "http-scenario-unknown",
            "/api/scenarios/nope/run",
            BAD,
            &["nope"],
        ),
        get(
            "http-scenario-paths-10-billion",
            "/api/scenarios/korea-withdrawal/run?paths=10000000000",
            BAD,
            &["paths", "10000000000"],
        ),
        get(
            "http-scenario-paths-zero",
            "/api/scenarios/korea-withdrawal/run?paths=0",
            BAD,
            &["paths", "0"],
        ),
        get(
            "http-scenario-probability-1.5",
            "/api/scenarios/korea-withdrawal/run?prob=1.5",
            BAD,
            &["prob", "1.5"],
        ),
        get(
            "http-scenario-share-nan",
            "/api/scenarios/japan-5pct-2035/run?share=NaN",
            BAD,
            &["share", "NaN"],
        ),
        get(
            "http-scenario-share-infinite",
            "/api/scenarios/japan-5pct-2035/run?share=inf",
            BAD,
            &["share", "inf"],
        ),
        get(
            "http-scenario-seed-negative",
            "/api/scenarios/korea-withdrawal/run?seed=-1",
            BAD,
            &["seed", "-1"],
        ),
        get(
            "http-scenario-year-beyond-horizon",
            "/api/scenarios/japan-5pct-2035/run?by=2999",
            BAD,
            &["2999"],
        ),
        // Pages and charts.
        get(
            "http-page-unknown-country",
            "/country?country=XYZ",
            BAD,
            &["XYZ"],
        ),
        get(
            "http-page-year-not-a-number",
            "/alliance?year=abc",
            BAD,
            &["year", "abc"],
        ),
        get(
            "http-chart-unknown-format",
            "/chart/series.gif?country=JPN",
            NOT_FOUND,
            &["gif"],
        ),
        get(
            "http-chart-unknown",
            "/chart/nothing.svg",
            NOT_FOUND,
            &["nothing"],
        ),
        get(
            "http-unknown-endpoint",
            "/api/nothing",
            NOT_FOUND,
            &["/api/nothing"],
        ),
        // Paths that try to leave the compiled-in assets.
        get(
            "http-traversal-raw",
            "/static/../Cargo.toml",
            BAD,
            &["/static/../Cargo.toml"],
        ),
        get(
            "http-traversal-encoded",
            "/static/%2e%2e/Cargo.toml",
            BAD,
            &["%2e%2e"],
        ),
        get(
            "http-traversal-encoded-slash",
            "/static/..%2fCargo.toml",
            BAD,
            &["..%2fCargo.toml"],
        ),
        get(
            "http-traversal-double-encoded",
            "/static/%252e%252e%252fetc%252fpasswd",
            BAD,
            &["%252e%252e"],
        ),
        get(
            "http-traversal-backslash",
            "/static/..%5cCargo.toml",
            BAD,
            &["..%5cCargo.toml"],
        ),
        // The request itself.
        get(
            "http-overlong-url",
            &format!("/api/series?country=JPN&x={}", "a".repeat(10_000)),
            StatusCode::URI_TOO_LONG,
            &["URL", "10026 bytes", "8192"],
        ),
        Class {
            id: "http-wrong-method",
            method: "POST",
            uri: "/api/series?country=JPN".into(),
            content_length: None,
            status: StatusCode::METHOD_NOT_ALLOWED,
            names: &["POST"],
        },
        Class {
            id: "http-wrong-method-delete",
            method: "DELETE",
            uri: "/static/app.js".into(),
            content_length: None,
            status: StatusCode::METHOD_NOT_ALLOWED,
            names: &["DELETE"],
        },
        Class {
            id: "http-oversized-body",
            method: "GET",
            uri: "/api/series?country=JPN".into(),
            content_length: Some(10 * 1024 * 1024 * 1024),
            status: StatusCode::PAYLOAD_TOO_LARGE,
            names: &["10737418240 bytes"],
        },
    ]
}

fn app() -> Router {
    let ds = fairshare_embedded::dataset().expect("the embedded dataset loads");
    fairshare_server::router(ds)
}

/// Send one row; Err names what did not hold.
async fn run_class(app: &Router, c: &Class) -> Result<(), String> {
    let mut req = Request::builder().method(c.method).uri(c.uri.as_str());
    if let Some(n) = c.content_length {
        req = req.header(header::CONTENT_LENGTH, n);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .map_err(|e| format!("{}: the service failed: {e}", c.id))?;
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&body);
    let message = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_string));
    // `cargo test -- --nocapture` prints the table docs/errors.md quotes.
    let mut request = format!("{} {}", c.method, c.uri);
    if request.len() > 70 {
        request = format!("{}… ({} bytes)", &request[..60], c.uri.len());
    }
    if let Some(n) = c.content_length {
        request.push_str(&format!(", Content-Length: {n}"));
    }
    println!(
        "| `{}` | `{}` | {} | {} |",
        c.id,
        request,
        status.as_u16(),
        message.as_deref().unwrap_or("").replace('|', "\\|")
    );
    let mut wrong = Vec::new();
    if status != c.status {
        wrong.push(format!("status {status}, not {}", c.status));
    }
    if !ct.starts_with("application/json") {
        wrong.push(format!("content type {ct:?}, not JSON"));
    }
    match &message {
        None => wrong.push("no {\"error\": ...} string".into()),
        Some(m) => {
            if m.contains('\n') {
                wrong.push("the message has more than one line".into());
            }
            if m.contains("panicked") {
                wrong.push("panicked".into());
            }
            for name in c.names {
                if !m.contains(name) {
                    wrong.push(format!("does not name {name:?}"));
                }
            }
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        let shown: String = text.chars().take(300).collect();
        Err(format!("{}: {} -- body: {shown}", c.id, wrong.join("; ")))
    }
}

#[tokio::test]
async fn every_bad_request_is_a_json_4xx_naming_it() {
    let app = app();
    let classes = catalogue();
    let mut failures = Vec::new();
    for c in &classes {
        if let Err(e) = run_class(&app, c).await {
            failures.push(e);
        }
    }
    assert!(classes.len() >= 25, "only {} classes", classes.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Nothing above broke the server for the next client.
    let res = app
        .clone()
        .oneshot(
            Request::builder()
                .uri("/api/series?country=JPN&from=2024&to=2024")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[test]
fn docs_errors_md_lists_every_http_class() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(root.join("docs/errors.md")).unwrap();
    let http = doc
        .split("\n## HTTP")
        .nth(1)
        .expect("docs/errors.md has an HTTP section");
    let ids: Vec<&str> = catalogue().iter().map(|c| c.id).collect();
    let missing: Vec<&&str> = ids
        .iter()
        .filter(|id| !http.contains(&format!("`{id}`")))
        .collect();
    assert!(missing.is_empty(), "docs/errors.md lacks {missing:?}");
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate class ids");
}
