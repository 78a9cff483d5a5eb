//! The API through the router (no socket): answers, formats, the OpenAPI document,
//! and every kind of bad input answered with a JSON 4xx that names it.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

fn app() -> Router {
    let ds = fairshare_embedded::dataset().expect("the embedded dataset loads");
    fairshare_server::router(ds)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String, Vec<u8>) {
    get_with(app, uri, None).await
}

async fn get_with(app: &Router, uri: &str, accept: Option<&str>) -> (StatusCode, String, Vec<u8>) {
    let mut req = Request::builder().uri(uri);
    if let Some(a) = accept {
        req = req.header(header::ACCEPT, a);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, ct, body)
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(body)))
}

/// Whether an answer's provenance notes name `source`.
fn cites(answer: &Value, source: &str) -> bool {
    answer["notes"].as_array().is_some_and(|notes| {
        notes
            .iter()
            .any(|n| n.as_str().is_some_and(|t| t.contains(source)))
    })
}

/// A JSON 4xx whose message contains `needle`.
async fn bad(app: &Router, uri: &str, status: StatusCode, needle: &str) {
    let (s, ct, body) = get(app, uri).await;
    assert_eq!(s, status, "{uri}: {}", String::from_utf8_lossy(&body));
    assert!(ct.starts_with("application/json"), "{uri}: {ct}");
    let msg = json(&body)["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        msg.contains(needle),
        "{uri}: error {msg:?} does not mention {needle:?}"
    );
}

#[tokio::test]
async fn series_answers_with_the_cli_record_shape() {
    let app = app();
    let (s, ct, body) = get(
        &app,
        "/api/series?country=JPN,KOR&measure=milex_gdp&definition=sipri&from=2000&to=2024",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/json");
    let v = json(&body);
    let rows = v["records"].as_array().unwrap();
    assert_eq!(rows.len(), 50, "25 years x 2 countries");
    for r in rows {
        for k in [
            "country",
            "measure",
            "year",
            "year_basis",
            "value",
            "unit",
            "definition",
            "source",
            "vintage",
            "flags",
        ] {
            assert!(r.get(k).is_some(), "record lacks {k}: {r}");
        }
        assert_eq!(r["definition"], "sipri");
        assert_eq!(r["measure"], "milex_gdp");
    }
    assert_eq!(rows[0]["country"], "JPN");
    assert_eq!(rows[0]["year"], 2000);
    assert!(cites(&v, "SIPRI"), "{v}");
}

#[tokio::test]
async fn csv_by_suffix_or_accept_header_matches_json() {
    let app = app();
    let q = "country=JPN&measure=milex_gdp&definition=sipri&from=2020&to=2022";
    let (_, _, j) = get(&app, &format!("/api/series?{q}")).await;
    let (s1, ct1, c1) = get(&app, &format!("/api/series.csv?{q}")).await;
    let (s2, ct2, c2) = get_with(&app, &format!("/api/series?{q}"), Some("text/csv")).await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert!(ct1.starts_with("text/csv") && ct2.starts_with("text/csv"));
    assert_eq!(c1, c2);
    let text = String::from_utf8(c1).unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("country,country_name,measure,year")
    );
    let rows = json(&j)["records"].as_array().unwrap().clone();
    assert_eq!(lines.count(), rows.len());
    assert!(
        text.contains(&rows[0]["value"].to_string()),
        "full precision in CSV"
    );
}

#[tokio::test]
async fn each_endpoint_answers() {
    let app = app();
    for uri in [
        "/api/explain?country=JPN&measure=milex_gdp&year=2022",
        "/api/sources",
        "/api/countries",
        "/api/targets?alliance=NATO&year=2024",
        "/api/gap?country=JPN&target=japan-2pct-fy2027",
        "/api/hns?country=JPN",
        "/api/alliances?alliance=NATO",
        "/api/claims",
        "/api/scenarios",
        "/api/models/exploitation?alliance=NATO&from=2000&to=2004",
        "/api/models/nash?alliance=NATO&year=2024",
        "/api/models/fit",
    ] {
        let (s, _, body) = get(&app, uri).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
        let v = json(&body);
        assert!(
            !v["records"].as_array().unwrap().is_empty(),
            "{uri}: no records"
        );
    }
}

#[tokio::test]
async fn scenario_runs_are_deterministic_and_bounded() {
    let app = app();
    let uri = "/api/scenarios/japan-5pct-2035/run?paths=300&seed=7";
    let (s, _, a) = get(&app, uri).await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&a));
    let v = json(&a);
    assert_eq!(v["paths"], 300);
    assert_eq!(v["seed"], 7);
    // A fresh router (no cache) gives the same bytes.
    let (_, _, b) = get(&self::app(), uri).await;
    assert_eq!(a, b);
    // A changed target share changes the run.
    let (_, _, c) = get(&app, &format!("{uri}&share=3&by=2030")).await;
    assert_ne!(a, c);
    bad(
        &app,
        "/api/scenarios/japan-5pct-2035/run?paths=20001",
        StatusCode::BAD_REQUEST,
        "paths",
    )
    .await;
    bad(
        &app,
        "/api/scenarios/japan-5pct-2035/run?paths=0",
        StatusCode::BAD_REQUEST,
        "paths",
    )
    .await;
    bad(
        &app,
        "/api/scenarios/japan-5pct-2035/run?paths=1e9",
        StatusCode::BAD_REQUEST,
        "paths",
    )
    .await;
    bad(
        &app,
        "/api/scenarios/japan-5pct-2035/run?share=99",
        StatusCode::BAD_REQUEST,
        "share",
    )
    .await;
    bad(
        &app,
        "/api/scenarios/japan-5pct-2035/run?by=2200",
        StatusCode::BAD_REQUEST,
        "by",
    )
    .await;
    bad(
        &app,
        "/api/scenarios/japan-5pct-2035/run?vol=-1",
        StatusCode::BAD_REQUEST,
        "vol",
    )
    .await;
    bad(
        &app,
        "/api/scenarios/election-2024/run?prob=1.5",
        StatusCode::BAD_REQUEST,
        "prob",
    )
    .await;
    bad(
        &app,
        "/api/scenarios/no-such/run",
        StatusCode::BAD_REQUEST,
        "no-such",
    )
    .await;
    bad(
        &app,
        "/api/scenarios/japan-5pct-2035/run?colour=red",
        StatusCode::BAD_REQUEST,
        "colour",
    )
    .await;
}

#[tokio::test]
async fn path_traversal_never_reaches_a_file() {
    let app = app();
    for uri in [
        "/static/../Cargo.toml",
        "/static/..%2fCargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/static/%252e%252e%252fetc%252fpasswd",
        "/../../etc/passwd",
        "/static/..%5cCargo.toml",
        "/chart/..%2f..%2fCargo.toml",
    ] {
        let (s, ct, body) = get(&app, uri).await;
        assert!(s.is_client_error(), "{uri}: {s}");
        assert!(ct.starts_with("application/json"), "{uri}: {ct}");
        assert!(json(&body)["error"].is_string());
    }
    let (s, _, _) = get(&app, "/static/Cargo.toml").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, ct, _) = get(&app, "/static/app.js").await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/javascript"));
}

#[tokio::test]
async fn openapi_documents_exactly_what_responds() {
    let app = app();
    let (s, _, body) = get(&app, "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let doc = json(&body);
    let paths = doc["paths"].as_object().unwrap();
    // Every documented path answers (not 404) with example parameters.
    for (path, op) in paths {
        let mut q: Vec<String> = Vec::new();
        let mut uri = path.replace("{name}", "japan-5pct-2035");
        for p in op["get"]["parameters"].as_array().into_iter().flatten() {
            if p["required"] == true && p["in"] == "query" {
                let v = match p["name"].as_str().unwrap() {
                    "country" => "JPN",
                    "measure" => "milex_gdp",
                    "year" => "2022",
                    "target" => "japan-2pct-fy2027",
                    other => panic!("no example for required {other}"),
                };
                q.push(format!("{}={v}", p["name"].as_str().unwrap()));
            }
        }
        if uri.contains("/run") {
            q.push("paths=100".into());
        }
        if !q.is_empty() {
            uri = format!("{uri}?{}", q.join("&"));
        }
        let (s, _, body) = get(&app, &uri).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    // And nothing under /api/ answers that is not documented.
    let documented: Vec<String> = fairshare_server::openapi::paths();
    for p in &documented {
        assert!(paths.contains_key(p), "{p} not in the document");
    }
    for undocumented in [
        "/api/show",
        "/api/export",
        "/api/data",
        "/api/scenario",
        "/api/model",
    ] {
        let (s, _, _) = get(&app, undocumented).await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "{undocumented} answers but is not documented"
        );
    }
}

#[tokio::test]
async fn pages_and_downloads_have_the_right_types() {
    let app = app();
    for (uri, ct) in [
        ("/", "text/html"),
        ("/country?country=JPN&measure=milex_gdp", "text/html"),
        ("/alliance?alliance=NATO&year=2024", "text/html"),
        ("/scenario?name=japan-5pct-2035&paths=200", "text/html"),
        (
            "/chart/series.svg?country=JPN&measure=milex_gdp",
            "image/svg+xml",
        ),
        (
            "/chart/series.png?country=JPN&measure=milex_gdp&from=2010",
            "image/png",
        ),
        (
            "/chart/compliance.svg?alliance=NATO&year=2024",
            "image/svg+xml",
        ),
        ("/chart/compliance.csv?alliance=NATO&year=2024", "text/csv"),
        ("/chart/counts.csv?alliance=NATO&year=2024", "text/csv"),
        (
            "/chart/fan.svg?name=japan-5pct-2035&paths=200",
            "image/svg+xml",
        ),
        ("/chart/fan.csv?name=japan-5pct-2035&paths=200", "text/csv"),
        ("/static/style.css", "text/css"),
    ] {
        let (s, got, body) = get(&app, uri).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
        assert!(got.starts_with(ct), "{uri}: {got}");
        assert!(!body.is_empty());
        if ct == "image/png" {
            assert_eq!(&body[..8], b"\x89PNG\r\n\x1a\n");
        }
        if ct == "image/svg+xml" {
            assert!(String::from_utf8_lossy(&body).contains("<title>"));
        }
    }
    let (_, _, page) = get(&app, "/country?country=JPN&measure=milex_gdp").await;
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("<svg"), "the chart is inline");
    assert!(page.contains("/chart/series.png?country=JPN&amp;measure=milex_gdp"));
    assert!(
        page.contains("<form"),
        "controls work without JavaScript (GET form)"
    );
}

#[tokio::test]
async fn nash_answers_records_with_the_what_if() {
    let app = app();
    let (s, _, body) = get(&app, "/api/models/nash?alliance=NATO&year=2024&remove=USA").await;
    assert_eq!(s, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let v = json(&body);
    let rows = v["records"].as_array().unwrap();
    let usa = rows
        .iter()
        .find(|r| r["country"] == "USA")
        .expect("the US is a row");
    assert!(usa.get("scenario_usd").is_some(), "{usa}");
    // Without the US every other contributor spends at least as much.
    for r in rows.iter().filter(|r| r["country"] != "USA") {
        if let (Some(base), Some(what_if)) = (r["milex_usd"].as_f64(), r["scenario_usd"].as_f64()) {
            assert!(what_if >= base * 0.999_999, "{r}");
        }
    }
    assert!(cites(&v, "SIPRI"), "{v}");
    // The same records as CSV.
    let (s, ct, csv) = get(
        &app,
        "/api/models/nash.csv?alliance=NATO&year=2024&remove=USA",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ct.starts_with("text/csv"));
    assert!(
        String::from_utf8(csv)
            .unwrap()
            .starts_with("alliance,year,country,")
    );
}
