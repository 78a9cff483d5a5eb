//! `/api/openapi.json`, written from the same table of endpoints the router serves.

use serde_json::{Map, Value, json};

use crate::api::{Arg, ENDPOINTS};

/// Every documented path (tests check each responds, and that nothing else under
/// /api/ does).
pub fn paths() -> Vec<String> {
    let mut v: Vec<String> = ENDPOINTS.iter().map(|e| e.path.to_string()).collect();
    v.push("/api/claims".into());
    v.push("/api/scenarios".into());
    v.push("/api/scenarios/{name}/run".into());
    v.push("/api/openapi.json".into());
    v
}

fn error_response() -> Value {
    json!({"description": "Bad input, named in the message",
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok_response() -> Value {
    json!({"description": "Records (JSON) or the same records as CSV (Accept: text/csv, or the .csv suffix)",
           "content": {
               "application/json": {"schema": {"$ref": "#/components/schemas/Answer"}},
               "text/csv": {"schema": {"type": "string"}}}})
}

pub fn document() -> Value {
    let mut paths = Map::new();
    for ep in ENDPOINTS {
        let params: Vec<Value> = ep
            .params
            .iter()
            .map(|p| {
                json!({"name": p.name, "in": "query",
                       "required": matches!(p.arg, Arg::Positional | Arg::RequiredFlag(_)),
                       "description": p.description,
                       "schema": {"type": p.kind}})
            })
            .collect();
        let op = json!({"get": {"summary": ep.summary, "parameters": params,
            "responses": {"200": ok_response(), "400": error_response()}}});
        paths.insert(ep.path.to_string(), op.clone());
        paths.insert(format!("{}.csv", ep.path), op);
    }
    let claims = json!({"get": {"summary": "Check a claims file compiled into fairshare against the dataset",
        "parameters": [{"name": "file", "in": "query", "required": false,
            "description": "Claims file name (default diplomat-2024)", "schema": {"type": "string"}}],
        "responses": {"200": ok_response(), "400": error_response()}}});
    paths.insert("/api/claims".into(), claims.clone());
    paths.insert("/api/claims.csv".into(), claims);
    let list = json!({"get": {"summary": "The built-in scenarios and their main parameters",
        "responses": {"200": ok_response(), "400": error_response()}}});
    paths.insert("/api/scenarios".into(), list.clone());
    paths.insert("/api/scenarios.csv".into(), list);
    let q = |name: &str, kind: &str, d: &str| json!({"name": name, "in": "query", "required": false, "description": d, "schema": {"type": kind}});
    let run = json!({"get": {"summary": "Run a built-in scenario (bounded: at most 20000 paths, 2 runs at once, 15 s)",
        "parameters": [
            {"name": "name", "in": "path", "required": true, "description": "Built-in scenario name", "schema": {"type": "string"}},
            q("paths", "integer", "Monte Carlo paths, 1 to 20000 (default 2000)"),
            q("seed", "integer", "Random seed"),
            q("share", "number", "Target share of GDP (percent) for the first country"),
            q("by", "integer", "Year that share is reached"),
            q("vol", "number", "Volatility scale, 0 to 5"),
            q("prob", "number", "Probability of the first branch, 0 to 1")],
        "responses": {"200": {"description": "The engine's results (JSON) or its records (CSV)"},
                      "400": error_response(),
                      "503": {"description": "Too many runs in progress, or the run timed out"}}}});
    paths.insert("/api/scenarios/{name}/run".into(), run.clone());
    paths.insert("/api/scenarios/{name}/run.csv".into(), run);
    paths.insert(
        "/api/openapi.json".into(),
        json!({"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {"title": "fairshare API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Read-only: the fairshare commands over HTTP. Every value carries unit, definition, source and vintage. Any path may also answer 405 (a method other than GET or HEAD), 413 (a declared body over 16 KiB), 414 (a URL over 8 KiB) or 400 (a malformed query string: bad percent escape, invalid UTF-8, control characters, over 32 parameters), each with the Error schema."},
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Answer": {"type": "object", "properties": {
                "records": {"type": "array", "items": {"type": "object"}},
                "notes": {"type": "array", "items": {"type": "string"}}}}
        }}
    })
}
