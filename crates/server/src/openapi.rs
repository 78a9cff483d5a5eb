//! `/api/openapi.json`, written from the same table of endpoints the router serves.

use serde_json::{Map, Value, json};

use crate::api::{Arg, ENDPOINTS};

/// Every documented path (tests check each responds, and that nothing else under
/// /api/ does).
pub fn paths() -> Vec<String> {
    let mut v: Vec<String> = ENDPOINTS.iter().map(|e| e.path.to_string()).collect();
    v.push("/api/claims".into());
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
                       "required": matches!(p.arg, Arg::Positional),
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
    paths.insert(
        "/api/openapi.json".into(),
        json!({"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {"title": "fairshare API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Read-only: the fairshare commands over HTTP. Every value carries unit, definition, source and vintage."},
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Answer": {"type": "object", "properties": {
                "records": {"type": "array", "items": {"type": "object"}},
                "notes": {"type": "array", "items": {"type": "string"}}}}
        }}
    })
}
