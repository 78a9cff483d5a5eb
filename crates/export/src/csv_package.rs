//! CSV: a folder with one CSV file per table and a Frictionless Data Package
//! descriptor, `datapackage.json` (Data Package v1, profile `tabular-data-package`,
//! <https://specs.frictionlessdata.io/data-package/>): field types and descriptions,
//! primary and foreign keys, the sources with licences and citations. `frictionless
//! validate datapackage.json` checks data against it; R's `frictionless::read_package`
//! and Python's `frictionless` load it.

use std::path::Path;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::about;
use crate::atomic::{self, PACKAGE_NAME};
use crate::error::ExportError;
use crate::selection::Selection;
use crate::table::Table;

pub const DESCRIPTOR: &str = "datapackage.json";

pub fn write(sel: &Selection, tables: &[Table], out: &Path) -> Result<(), ExportError> {
    let mut files = Vec::new();
    for t in tables {
        files.push((format!("{}.csv", t.name), render(t)?));
    }
    let descriptor = descriptor(sel, tables, &files);
    let mut text = serde_json::to_string_pretty(&descriptor)
        .map_err(|e| ExportError::encode("datapackage.json", e))?;
    text.push('\n');
    files.push((DESCRIPTOR.to_string(), text));
    atomic::write_folder(out, &files)
}

/// One table as CSV: header row, `\n` line ends, empty cells for missing values.
pub fn render(t: &Table) -> Result<String, ExportError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let fail = |e: csv::Error| ExportError::encode("csv", e);
    w.write_record(t.columns.iter().map(|c| c.field.name))
        .map_err(fail)?;
    let mut record: Vec<std::borrow::Cow<str>> = Vec::with_capacity(t.columns.len());
    for row in 0..t.len() {
        record.clear();
        record.extend(t.columns.iter().map(|c| c.cell(row).to_csv()));
        w.write_record(record.iter().map(|c| c.as_bytes()))
            .map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::encode("csv", e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::encode("csv", e))
}

fn descriptor(sel: &Selection, tables: &[Table], files: &[(String, String)]) -> Value {
    let sources = sel.cited_sources();
    let mut licences: Vec<Value> = Vec::new();
    for s in &sources {
        let licence = if s.licence.starts_with("CC BY 4.0") {
            json!({
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": format!("{}: {}", s.id, s.licence),
            })
        } else {
            json!({ "path": s.url, "title": format!("{}: {}", s.id, s.licence) })
        };
        licences.push(licence);
    }
    let package_sources: Vec<Value> = sources
        .iter()
        .map(|s| {
            json!({
                "title": format!("{}, {} ({})", s.publisher, s.title, s.vintage),
                "path": s.url,
                "id": s.id,
                "publisher": s.publisher,
                "vintage": s.vintage,
                "released": s.released,
                "file": s.file,
                "licence": s.licence,
                "citation": s.citation,
            })
        })
        .collect();
    let resources: Vec<Value> = tables
        .iter()
        .map(|t| {
            let file = format!("{}.csv", t.name);
            let text = files
                .iter()
                .find(|(p, _)| *p == file)
                .map_or("", |(_, text)| text.as_str());
            resource(t, &file, text)
        })
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "fairshare: military expenditure and macroeconomic series for alliance burden-sharing",
        "description": about::readme_text(sel, tables),
        "version": env!("CARGO_PKG_VERSION"),
        "homepage": env!("CARGO_PKG_REPOSITORY"),
        "keywords": ["military expenditure", "defence spending", "burden-sharing", "NATO", "SIPRI", "GDP"],
        "licenses": licences,
        "sources": package_sources,
        "resources": resources,
    })
}

fn resource(t: &Table, path: &str, text: &str) -> Value {
    let fields: Vec<Value> = t
        .columns
        .iter()
        .map(|c| {
            let f = &c.field;
            let mut field = Map::new();
            field.insert("name".into(), f.name.into());
            field.insert("type".into(), c.field_type().frictionless().into());
            field.insert("description".into(), f.description.clone().into());
            let mut constraints = Map::new();
            if f.required {
                constraints.insert("required".into(), true.into());
            }
            if !f.allowed.is_empty() {
                constraints.insert("enum".into(), f.allowed.clone().into());
            }
            if !constraints.is_empty() {
                field.insert("constraints".into(), constraints.into());
            }
            Value::Object(field)
        })
        .collect();
    let foreign_keys: Vec<Value> = t
        .foreign_keys
        .iter()
        .map(|fk| {
            json!({
                "fields": fk.fields,
                "reference": { "resource": fk.table, "fields": fk.reference },
            })
        })
        .collect();
    let mut schema = Map::new();
    schema.insert("fields".into(), fields.into());
    schema.insert("primaryKey".into(), t.primary_key.clone().into());
    if !foreign_keys.is_empty() {
        schema.insert("foreignKeys".into(), foreign_keys.into());
    }
    schema.insert("missingValues".into(), json!([""]));
    let hash: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    json!({
        "name": t.name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": t.title,
        "description": t.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": text.len(),
        "hash": format!("sha256:{hash}"),
        "dialect": { "delimiter": ",", "lineTerminator": "\n", "quoteChar": "\"", "doubleQuote": true, "header": true },
        "schema": schema,
    })
}
