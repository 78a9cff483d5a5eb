//! `fairshare claims check FILE`: numeric claims (a TOML list) checked against the
//! dataset, the figures earlier releases printed, and the targets registry.
//!
//! ```text
//! $ fairshare claims check claims/diplomat-2024.toml
//! id                  country  measure    year     claimed  current  earlier  verdict
//! world-burden-2022   WLD      milex_gdp     2022  2.2      2.215    2.200    matches
//! japan-burden-2022   JPN      milex_gdp     2022  1.1      1.010    1.080    revised
//! nato-2pct-standard  NATO     target              2        2.000             matches
//! japan-2pct-fy2027   JPN      target        2027  2        2.000             matches
//! abe-assassinated             date       2022-07  2022-07                    not checkable
//! ...
//! japan-burden-2022 (line 22): revised — SIPRI 2023 (2023-04-24) printed 1.080, which rounds to
//! the claimed 1.1; the current SIPRI 2025 (sipri-milex-2025) gives 1.010: revised
//! ```

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fairshare_dataset::Dataset;
use fairshare_metrics::claims::{Check, ClaimKind, Verdict, check_claims, parse_claims};
use serde_json::{Map, Value};

use crate::context::Context;
use crate::error::CliError;
use crate::output::{Records, emit, flags_value, number, source_footer};

pub const ABOUT: &str = "Check published numeric claims (TOML) against current data, earlier releases and the targets registry";

pub const EXAMPLES: &str = "\
Examples:
  fairshare claims check claims/diplomat-2024.toml
      The Diplomat (2024): world 2.2% and Japan 1.1% of GDP in 2022 (SIPRI fact sheet,
      April 2023), NATO's 2% standard, Japan's 2% plan for FY2027
  fairshare claims check my-claims.toml --format json

Verdicts: matches (the current value rounds to the claim at its stated decimals),
revised (an earlier release of the cited publisher printed it, the current one differs
beyond rounding; both shown), contradicted (no release or definition supports it), not
checkable (no data). Earlier releases are data/earlier_figures.csv, each row with the
page that records it. The file format is in the claims module's documentation and in
claims/diplomat-2024.toml.";

#[derive(Debug, Args)]
pub struct ClaimsArgs {
    #[command(subcommand)]
    pub command: ClaimsCommand,
}

#[derive(Debug, Subcommand)]
pub enum ClaimsCommand {
    /// Check every claim in a TOML file.
    #[command(after_help = EXAMPLES)]
    Check {
        /// The claims file.
        file: PathBuf,
    },
}

pub fn run(ctx: &mut Context, args: &ClaimsArgs) -> Result<(), CliError> {
    let ClaimsCommand::Check { file } = &args.command;
    let ds = ctx.dataset()?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::usage(format!("{}: cannot read: {e}", file.display())))?;
    let records = check_records(ds, &file.display().to_string(), &text)?;
    emit(&records, ctx.format())
}

/// The checked claims of one claims file's text; `label` names it in error messages.
/// (The server checks the claims files compiled into it through this.)
pub fn check_records(
    ds: &fairshare_dataset::Dataset,
    label: &str,
    text: &str,
) -> Result<Records, CliError> {
    let claims = parse_claims(text, ds).map_err(|e| CliError::usage(format!("{label}: {e}")))?;
    let checks = check_claims(ds, &claims);
    let mut records = Records::new(vec![
        "id", "country", "measure", "year", "claimed", "current", "earlier", "verdict",
    ]);
    for c in &checks {
        records.rows.push(record(c));
    }
    records.footer = footer(ds, &checks);
    Ok(records)
}

fn record(c: &Check) -> Map<String, Value> {
    let claim = &c.claim;
    let mut m = Map::new();
    m.insert("id".into(), claim.id.clone().into());
    m.insert("line".into(), claim.line.into());
    let (kind, country, measure, year, basis, definition) = match &claim.kind {
        ClaimKind::Value {
            country,
            measure,
            year,
            year_basis,
            definition,
        } => (
            "value",
            Value::from(country.clone()),
            Value::from(measure.as_str()),
            Value::from(*year),
            Value::from(year_basis.to_string()),
            Value::from(definition.clone()),
        ),
        ClaimKind::Target {
            alliance,
            country,
            by_year,
            year_basis,
            ..
        } => (
            "target",
            country
                .clone()
                .or_else(|| alliance.clone())
                .map(Value::from)
                .unwrap_or(Value::Null),
            Value::from("target"),
            by_year.map(Value::from).unwrap_or(Value::Null),
            year_basis
                .map(|b| Value::from(b.to_string()))
                .unwrap_or(Value::Null),
            c.target
                .as_ref()
                .map(|t| Value::from(t.definition.clone()))
                .unwrap_or(Value::Null),
        ),
        ClaimKind::Date { date, .. } => (
            "date",
            Value::Null,
            Value::from("date"),
            Value::from(date.clone()),
            Value::Null,
            Value::Null,
        ),
    };
    m.insert("kind".into(), kind.into());
    m.insert("country".into(), country);
    m.insert("measure".into(), measure);
    m.insert("year".into(), year);
    m.insert("year_basis".into(), basis);
    m.insert("definition".into(), definition);
    m.insert(
        "claimed".into(),
        match (&claim.kind, claim.value) {
            (ClaimKind::Date { date, .. }, _) => Value::from(date.clone()),
            (_, Some(v)) => Value::from(format!("{v:.*}", claim.decimals.max(0) as usize)),
            _ => Value::Null,
        },
    );
    m.insert("claimed_value".into(), number(claim.full_value()));
    m.insert("decimals".into(), claim.decimals.into());
    m.insert("cited_source".into(), claim.source.clone().into());
    m.insert("cited_vintage".into(), claim.vintage.clone().into());
    m.insert("verdict".into(), c.verdict.as_str().into());
    let scaled = |v: f64| v / claim.scale;
    m.insert(
        "current".into(),
        number(
            c.current
                .as_ref()
                .map(|f| scaled(f.value))
                .or_else(|| c.target.as_ref().map(|t| t.threshold)),
        ),
    );
    m.insert(
        "current_value".into(),
        number(c.current.as_ref().map(|f| f.value)),
    );
    m.insert(
        "current_definition".into(),
        c.current
            .as_ref()
            .map(|f| Value::from(f.definition.clone()))
            .unwrap_or(Value::Null),
    );
    m.insert(
        "source".into(),
        c.current
            .as_ref()
            .map(|f| Value::from(f.source.clone()))
            .or_else(|| c.target.as_ref().map(|t| Value::from(t.source.clone())))
            .unwrap_or(Value::Null),
    );
    m.insert(
        "vintage".into(),
        c.current
            .as_ref()
            .map(|f| Value::from(f.vintage.clone()))
            .unwrap_or(Value::Null),
    );
    m.insert(
        "flags".into(),
        flags_value(c.current.as_ref().map(|f| f.flags).unwrap_or_default()),
    );
    m.insert(
        "target_id".into(),
        c.target
            .as_ref()
            .map(|t| Value::from(t.id.clone()))
            .unwrap_or(Value::Null),
    );
    m.insert(
        "earlier".into(),
        number(c.earlier.as_ref().map(|f| scaled(f.value))),
    );
    m.insert(
        "earlier_vintage".into(),
        c.earlier
            .as_ref()
            .map(|f| Value::from(format!("{} ({})", f.vintage, f.release)))
            .unwrap_or(Value::Null),
    );
    m.insert(
        "earlier_url".into(),
        c.earlier
            .as_ref()
            .map(|f| Value::from(f.source_url.clone()))
            .unwrap_or(Value::Null),
    );
    m.insert("explanation".into(), c.explanation.clone().into());
    m.insert("quote".into(), claim.quote.clone().into());
    m
}

fn footer(ds: &Dataset, checks: &[Check]) -> Vec<String> {
    let mut lines = Vec::new();
    for c in checks {
        lines.push(format!(
            "{} (line {}): {} — {}",
            c.claim.id,
            c.claim.line,
            c.verdict.as_str(),
            c.explanation
        ));
        if let Some(f) = &c.earlier {
            lines.push(format!(
                "  earlier: {} {}{}: {}",
                f.vintage,
                f.publication,
                if f.recorded_by.is_empty() {
                    String::new()
                } else {
                    format!(", recorded by {}", f.recorded_by)
                },
                f.source_url
            ));
        }
    }
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    lines.push(format!(
        "{} claims: {} matches, {} revised, {} contradicted, {} not checkable",
        checks.len(),
        count(Verdict::Matches),
        count(Verdict::Revised),
        count(Verdict::Contradicted),
        count(Verdict::NotCheckable)
    ));
    let mut ids: Vec<&str> = checks
        .iter()
        .filter_map(|c| c.current.as_ref().map(|f| f.source.as_str()))
        .collect();
    ids.extend(
        checks
            .iter()
            .filter_map(|c| c.target.as_ref().map(|t| t.source.as_str())),
    );
    if checks.iter().any(|c| c.earlier.is_some()) {
        ids.push("earlier-figures");
    }
    lines.extend(source_footer(ds, &ids));
    lines
}
