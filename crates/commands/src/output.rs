//! How records leave the program: a table for a terminal, CSV or JSON for pipes.
//!
//! Commands hand over rows as ordered JSON objects plus a few lines of provenance;
//! this module only formats them. JSON and CSV keep full precision; the table rounds
//! for reading and says so.

use std::io::{self, Write};

use clap::ValueEnum;
use fairshare_dataset::{Dataset, Flags, Obs, Unit};
use serde_json::{Map, Value};

use crate::error::CliError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for a terminal; values rounded for reading.
    #[default]
    Table,
    /// Comma-separated, header row, full precision; flags joined by ';'.
    Csv,
    /// An array of records, full precision.
    Json,
}

#[derive(Clone)]
/// Rows of one command's answer, with the columns a table shows and the lines
/// printed under it (sources, flag meanings).
pub struct Records {
    pub rows: Vec<Map<String, Value>>,
    /// Columns for the table (a subset of the record fields, in order).
    pub table_columns: Vec<&'static str>,
    /// Lines under the table: sources and what the flags mean.
    pub footer: Vec<String>,
}

impl Records {
    pub fn new(table_columns: Vec<&'static str>) -> Records {
        Records {
            rows: Vec::new(),
            table_columns,
            footer: Vec::new(),
        }
    }
}

/// The base fields of DESIGN.md for one observation, in contract order.
pub fn observation_record(o: &Obs) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("country".into(), o.country_code().into());
    m.insert("country_name".into(), o.country().name.clone().into());
    m.insert("measure".into(), o.measure().as_str().into());
    m.insert("year".into(), o.year().into());
    m.insert("year_basis".into(), o.year_basis().to_string().into());
    m.insert("value".into(), number(o.value()));
    m.insert("unit".into(), o.unit().as_str().into());
    if o.unit() == Unit::Lcu {
        m.insert("currency".into(), o.country().currency_label().into());
    }
    m.insert("definition".into(), o.definition().into());
    m.insert("source".into(), o.source_id().into());
    m.insert("vintage".into(), o.vintage().into());
    m.insert(
        "flags".into(),
        Value::Array(o.flags().names().into_iter().map(Value::from).collect()),
    );
    m
}

/// A JSON number, or null for a missing value (never NaN).
pub fn number(v: Option<f64>) -> Value {
    v.and_then(serde_json::Number::from_f64)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

/// Footer lines naming each source cited by the rows, and the flags that occur.
pub fn provenance_footer(obs: &[Obs]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for o in obs {
        if !seen.contains(&o.source_id()) {
            seen.push(o.source_id());
        }
    }
    seen.sort();
    for id in seen {
        let line = match obs
            .iter()
            .find(|o| o.source_id() == id)
            .and_then(|o| o.source())
        {
            Some(s) => format!(
                "source {id}: {}, {} ({}). {}",
                s.publisher, s.title, s.vintage, s.licence
            ),
            None => format!("source {id}"),
        };
        lines.push(line);
    }
    let mut flags: Vec<fairshare_dataset::Flag> = Vec::new();
    for o in obs {
        for f in o.flags().iter() {
            if !flags.contains(&f) {
                flags.push(f);
            }
        }
    }
    flags.sort();
    for f in flags {
        lines.push(format!("flag {}: {}", f.as_str(), f.description()));
    }
    lines
}

/// Footer lines for sources cited by id (engine results carry ids, not observations).
pub fn source_footer(ds: &Dataset, ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<&str> = ids.iter().copied().filter(|i| !i.is_empty()).collect();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .map(|id| match ds.sources().get(id) {
            Some(s) => format!(
                "source {id}: {}, {} ({}). {}",
                s.publisher, s.title, s.vintage, s.licence
            ),
            None => format!("source {id}"),
        })
        .collect()
}

/// Footer lines saying what each flag that occurs means.
pub fn flags_footer(flags: impl IntoIterator<Item = Flags>) -> Vec<String> {
    let mut all = Flags::EMPTY;
    for f in flags {
        all = all.union(f);
    }
    all.iter()
        .map(|f| format!("flag {}: {}", f.as_str(), f.description()))
        .collect()
}

/// JSON array of flag ids.
pub fn flags_value(flags: Flags) -> Value {
    Value::Array(flags.names().into_iter().map(Value::from).collect())
}

/// A money amount for a sentence: "JPY 11.200 tn".
pub fn money(amount: f64, currency: &str) -> String {
    format!("{currency} {}", scaled(amount))
}

thread_local! {
    /// When set, `emit` hands records here instead of printing (see `capture`).
    static CAPTURED: std::cell::RefCell<Option<Vec<Records>>> =
        const { std::cell::RefCell::new(None) };
}

/// Run `f` with `emit` collecting records on this thread instead of printing them.
pub fn capture(f: impl FnOnce() -> Result<(), CliError>) -> Result<Vec<Records>, CliError> {
    CAPTURED.with(|c| *c.borrow_mut() = Some(Vec::new()));
    let result = f();
    let got = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    result.map(|()| got)
}

/// Whether `emit` is collecting records (the API) rather than printing: commands whose
/// `--format json` is a document of its own give their records instead.
pub fn capturing() -> bool {
    CAPTURED.with(|c| c.borrow().is_some())
}

/// Print the records in the chosen format to stdout.
pub fn emit(records: &Records, format: Format) -> Result<(), CliError> {
    let captured = CAPTURED.with(|c| {
        c.borrow_mut()
            .as_mut()
            .map(|v| v.push(records.clone()))
            .is_some()
    });
    if captured {
        return Ok(());
    }
    let text = render(records, format);
    write_stdout(&text)
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(text: &str) -> Result<(), CliError> {
    if CAPTURED.with(|c| c.borrow().is_some()) {
        return Err(CliError::usage(
            "this answer is text, not records; ask for it from the command line",
        ));
    }
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::internal(format!("cannot write output: {e}"))),
    }
}

pub fn render(records: &Records, format: Format) -> String {
    match format {
        Format::Json => {
            let arr = Value::Array(records.rows.iter().cloned().map(Value::Object).collect());
            let mut s = serde_json::to_string_pretty(&arr).expect("JSON values always serialize");
            s.push('\n');
            s
        }
        Format::Csv => render_csv(&records.rows),
        Format::Table => render_table(records),
    }
}

fn csv_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(csv_cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

pub fn render_csv(rows: &[Map<String, Value>]) -> String {
    // Columns: the union of the record fields, in first-seen order.
    let mut columns: Vec<String> = Vec::new();
    for r in rows {
        for k in r.keys() {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let mut w = String::new();
    w.push_str(&csv_line(columns.iter().map(String::as_str)));
    for r in rows {
        let cells: Vec<String> = columns
            .iter()
            .map(|c| r.get(c).map(csv_cell).unwrap_or_default())
            .collect();
        w.push_str(&csv_line(cells.iter().map(String::as_str)));
    }
    w
}

fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut line = cells
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// A value rounded for a person: shares to three decimals, money and people in
/// millions/billions/trillions.
pub fn human(v: &Value, unit: Option<&str>) -> String {
    match v {
        Value::Null => "—".to_string(),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(0.0);
            match unit {
                Some(u) if u.starts_with("pct") => format!("{x:.3}"),
                Some("index") | Some("lcu_per_usd") => format!("{x:.3}"),
                Some(_) | None if n.is_i64() || n.is_u64() => n.to_string(),
                _ => scaled(x),
            }
        }
        Value::Array(a) => a
            .iter()
            .map(|x| human(x, None))
            .collect::<Vec<_>>()
            .join(","),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Object(_) => v.to_string(),
    }
}

fn scaled(x: f64) -> String {
    let a = x.abs();
    if a >= 1e12 {
        format!("{:.3} tn", x / 1e12)
    } else if a >= 1e9 {
        format!("{:.3} bn", x / 1e9)
    } else if a >= 1e6 {
        format!("{:.3} m", x / 1e6)
    } else if a >= 1000.0 {
        let whole = x.round() as i64;
        with_commas(whole)
    } else {
        format!("{x:.3}")
    }
}

/// An integer with thousands separators: 228,123.
pub fn with_commas(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn render_table(records: &Records) -> String {
    let cols = &records.table_columns;
    let mut grid: Vec<Vec<String>> = vec![cols.iter().map(|c| c.to_string()).collect()];
    for r in &records.rows {
        let unit = r.get("unit").and_then(Value::as_str);
        grid.push(
            cols.iter()
                .map(|c| {
                    let v = r.get(*c).unwrap_or(&Value::Null);
                    match *c {
                        "value" => human(v, unit),
                        _ if is_share_column(c) => human(v, Some("pct")),
                        "lcu_per_usd" => human(v, Some("lcu_per_usd")),
                        _ if c.ends_with("_lcu") || c.ends_with("_usd") => human(v, Some("money")),
                        _ => match v {
                            Value::Null => String::new(),
                            other => human(other, None),
                        },
                    }
                })
                .collect(),
        );
    }
    let widths: Vec<usize> = (0..cols.len())
        .map(|i| {
            grid.iter()
                .map(|row| row[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (n, row) in grid.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let pad = widths[i] - cell.chars().count();
                let numeric = n > 0 && is_numeric_column(cols[i]);
                if numeric {
                    format!("{}{}", " ".repeat(pad), cell)
                } else {
                    format!("{}{}", cell, " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    if records.rows.is_empty() {
        out.push_str("(no rows)\n");
    }
    if !records.footer.is_empty() {
        out.push('\n');
        for l in &records.footer {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

fn is_numeric_column(c: &str) -> bool {
    matches!(c, "value" | "year" | "lcu_per_usd")
        || is_share_column(c)
        || c.ends_with("_lcu")
        || c.ends_with("_usd")
}

/// Columns holding percentages (shares, points, growth rates).
fn is_share_column(c: &str) -> bool {
    c.ends_with("_pp")
        || c.starts_with("share")
        || matches!(c, "target" | "required_growth_nominal")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humans_get_rounded_money_and_shares() {
        assert_eq!(
            human(&Value::from(1.0099439539165745), Some("pct_gdp")),
            "1.010"
        );
        assert_eq!(human(&Value::from(1.998), Some("pct_gdp")), "1.998");
        assert_eq!(
            human(&Value::from(55_274e6), Some("usd_current")),
            "55.274 bn"
        );
        assert_eq!(
            human(&Value::from(997_309e6), Some("usd_current")),
            "997.309 bn"
        );
        assert_eq!(human(&Value::from(6.8219e12), Some("lcu")), "6.822 tn");
        assert_eq!(human(&Value::from(52_754.0), Some("persons")), "52,754");
        assert_eq!(human(&Value::Null, Some("pct_gdp")), "—");
    }

    #[test]
    fn csv_quotes_and_joins() {
        let mut m = Map::new();
        m.insert("a".into(), "x,y".into());
        m.insert(
            "flags".into(),
            Value::Array(vec!["estimate".into(), "uncertain".into()]),
        );
        m.insert("v".into(), Value::Null);
        let s = render_csv(&[m]);
        assert_eq!(s, "a,flags,v\n\"x,y\",estimate;uncertain,\n");
    }
}
