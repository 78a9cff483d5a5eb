//! `fairshare scenario`: "what if" US policies, projected over thousands of seeded paths.
//!
//! ```text
//! $ fairshare scenario run japan-bring-forward-2024
//! branch    country  year  milex_lcu (5-95%)           milex_usd_current (5-95%)     milex_gdp (5-95%)  extra_lcu (5-95%)        extra_usd (5-95%)           p(2pct)  cumulative_extra_lcu  flags
//! combined  JPN      2025  JPY 12.49 tn (11.97-13.01)  US$ 83.60 bn (71.88-97.39)    2.000 (2.00-2.00)  JPY 3.92 tn (3.76-4.09)  US$ 26.28 bn (22.59-30.61)  1.00              JPY 3.92 tn  projection
//! ...
//! ```
//!
//! The scenario engine (`fairshare-scenario`) does the work; this module finds the file
//! (a built-in name or a path), fills its inputs from the dataset, shows progress on a
//! terminal, prints the summary and writes `--out` files atomically.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use fairshare_dataset::Dataset;
use fairshare_report::charts::Chart;
use fairshare_report::charts::scenario::{FAN_MEASURES, fan_chart};
use fairshare_scenario::{COMBINED, Record, Results, RunOptions, Scenario, builtin};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Map, Value};

use crate::context::Context;
use crate::error::CliError;
use crate::output::{Format, Records, emit, write_stdout};

pub const ABOUT: &str = "What-if scenarios: an ally's spending under US demands, withdrawals and election branches, with Monte Carlo bands";

pub const EXAMPLES: &str = "\
Examples:
  fairshare scenario list
  fairshare scenario show japan-bring-forward-2024
  fairshare scenario run japan-bring-forward-2024
      what reaching 2% of GDP in 2024 (the Diet proposal of 22 Feb 2024) costs Japan each
      year in yen and US$ over holding its 2023 share, with 90% bands
  fairshare scenario run japan-us-demand-3.5pct-2035 --paths 50000 --seed 7
  fairshare scenario run election-2024 --format json > election.json
      branch probabilities from the national polls of Jan-Feb 2024 (method in `branches`)
  fairshare scenario run my-scenario.toml --out runs/mine
      a file of your own (the language: scenarios/README.md); --out writes
      quantiles.csv, quantiles.json and fan charts (SVG) into the folder

Defaults: 10,000 paths and seed 20240222 (the date of the Diet session), unless the file
or --paths/--seed say otherwise. The same seed gives the same bytes on any number of
threads (RAYON_NUM_THREADS). Economy: IMF WEO April 2025 to 2030, held at the 2030 rates
to 2035 (flag extrapolated); shocks sized by each country's own volatility 2000-2024.";

/// Most paths one run may draw (memory grows with paths: about 120 MB per million).
pub const MAX_PATHS: usize = 5_000_000;

/// Largest scenario file read (a scenario is a few kB of TOML).
const MAX_FILE_BYTES: u64 = 1 << 20;

#[derive(Debug, Args)]
pub struct ScenarioArgs {
    #[command(subcommand)]
    pub action: ScenarioAction,
}

#[derive(Debug, Subcommand)]
pub enum ScenarioAction {
    /// The built-in scenarios, with their titles.
    #[command(
        after_help = "Examples:\n  fairshare scenario list\n  fairshare scenario list --format json"
    )]
    List,
    /// Print a scenario's file (a built-in name or a path).
    #[command(
        after_help = "Examples:\n  fairshare scenario show korea-withdrawal\n  fairshare scenario show korea-withdrawal > mine.toml"
    )]
    Show {
        /// Built-in name (see `scenario list`) or a path to a .toml file.
        scenario: String,
    },
    /// Run a scenario and print quantiles per year; --out writes the full tables and fan charts.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Built-in name (see `scenario list`) or a path to a .toml file.
    pub scenario: String,

    /// Number of Monte Carlo paths [default: the file's, else 10,000].
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub paths: Option<String>,

    /// Seed of the random streams [default: the file's, else 20240222].
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub seed: Option<String>,

    /// Folder to write quantiles.csv, quantiles.json and fan-*.svg into (created if missing;
    /// each file replaced atomically).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(ctx: &mut Context, args: &ScenarioArgs) -> Result<(), CliError> {
    match &args.action {
        ScenarioAction::List => list(ctx),
        ScenarioAction::Show { scenario } => {
            let (_, text) = find(scenario)?;
            write_stdout(&text)
        }
        ScenarioAction::Run(a) => run_scenario(ctx, a),
    }
}

fn list(ctx: &mut Context) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let mut records = Records::new(vec!["name", "countries", "horizon", "definition", "title"]);
    for b in builtin::all() {
        let s = parse(ds, b.text, b.file)?;
        let mut m = Map::new();
        m.insert("name".into(), b.name.into());
        m.insert("countries".into(), s.country_codes().join(",").into());
        m.insert(
            "horizon".into(),
            format!("{}-{}", s.first_year, s.last_year).into(),
        );
        m.insert("definition".into(), s.definition.clone().into());
        m.insert("title".into(), s.title.clone().unwrap_or_default().into());
        m.insert(
            "description".into(),
            s.description.clone().unwrap_or_default().into(),
        );
        m.insert("file".into(), b.file.into());
        records.rows.push(m);
    }
    records.footer.push(
        "Run one: fairshare scenario run NAME; read one: fairshare scenario show NAME; the \
         language: scenarios/README.md"
            .into(),
    );
    emit(&records, ctx.format())
}

/// The scenario's file name and text: a built-in by name, else a file.
fn find(input: &str) -> Result<(String, String), CliError> {
    if let Some(b) = builtin::get(input) {
        return Ok((b.file.to_string(), b.text.to_string()));
    }
    let path = Path::new(input);
    let meta = std::fs::metadata(path).map_err(|_| {
        CliError::usage(format!(
            "unknown scenario `{input}`: not a built-in ({}) and no such file",
            builtin::names()
        ))
    })?;
    if !meta.is_file() {
        return Err(CliError::usage(format!("scenario `{input}` is not a file")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(CliError::usage(format!(
            "{input}: {} bytes is too large for a scenario file (at most {MAX_FILE_BYTES})",
            meta.len()
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| CliError::usage(format!("{input}: cannot read: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::usage(format!("{input}: not UTF-8 text (expected a TOML file)")))?;
    Ok((input.to_string(), text))
}

fn parse(ds: &Dataset, text: &str, file: &str) -> Result<Scenario, CliError> {
    fairshare_scenario::parse(text, file, ds.countries())
        .map_err(|e| CliError::usage(e.to_string()))
}

fn count(flag: &str, text: &str, max: u64) -> Result<u64, CliError> {
    let cleaned: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    let v: u64 = cleaned.trim().parse().map_err(|_| {
        CliError::usage(format!(
            "{flag} {text}: expected a whole number from 1 to {max}"
        ))
    })?;
    if v == 0 || v > max {
        return Err(CliError::usage(format!(
            "{flag} {text}: expected a whole number from 1 to {max}"
        )));
    }
    Ok(v)
}

fn run_scenario(ctx: &mut Context, args: &RunArgs) -> Result<(), CliError> {
    let paths = args
        .paths
        .as_deref()
        .map(|p| count("--paths", p, MAX_PATHS as u64))
        .transpose()?;
    let seed = args
        .seed
        .as_deref()
        .map(|s| {
            s.trim().parse::<u64>().map_err(|_| {
                CliError::usage(format!(
                    "--seed {s}: expected a whole number from 0 to {}",
                    u64::MAX
                ))
            })
        })
        .transpose()?;
    if let Some(out) = &args.out
        && out.exists()
        && !out.is_dir()
    {
        return Err(CliError::usage(format!(
            "--out {}: exists and is not a folder",
            out.display()
        )));
    }
    let ds = ctx.dataset()?;
    let (file, text) = find(&args.scenario)?;
    let scenario = parse(ds, &text, &file)?;
    let inputs =
        fairshare_scenario::prepare(ds, &scenario).map_err(|e| CliError::usage(e.to_string()))?;
    let model = fairshare_scenario::resolve(&scenario, &inputs)
        .map_err(|e| CliError::usage(e.to_string()))?;
    let paths = paths
        .map(|p| p as usize)
        .or(scenario.paths)
        .unwrap_or(fairshare_scenario::DEFAULT_PATHS);
    if paths > MAX_PATHS {
        return Err(CliError::usage(format!(
            "{file}: paths = {paths} is more than {MAX_PATHS}; use --paths"
        )));
    }
    let seed = seed
        .or(scenario.seed)
        .unwrap_or(fairshare_scenario::DEFAULT_SEED);

    let bar = if ctx.chatty() && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(paths as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} paths ({eta})")
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        bar.set_message(scenario.name.clone());
        bar
    } else {
        ProgressBar::hidden()
    };
    let tick = |n: usize| bar.inc(n as u64);
    let options = RunOptions {
        paths,
        seed,
        progress: Some(&tick),
    };
    let results = fairshare_scenario::run(&model, &options)
        .map_err(|e| CliError::usage(format!("{file}: {e}")))?;
    bar.finish_and_clear();

    if let Some(out) = &args.out {
        write_out(ds, &results, out)?;
        if ctx.chatty() {
            eprintln!(
                "wrote {}: quantiles.csv, quantiles.json and fan charts",
                out.display()
            );
        }
    }
    match ctx.format() {
        Format::Json => write_stdout(&results_json(&results)),
        Format::Csv => write_stdout(&results_csv(&results)),
        Format::Table => emit(&summary(ds, &results), Format::Table),
    }
}

/// The run as JSON: the engine's results, pretty-printed, newline-terminated.
pub fn results_json(results: &Results) -> String {
    let mut s = serde_json::to_string_pretty(results).expect("results always serialize");
    s.push('\n');
    s
}

/// Every record as one CSV row; `p_target_met` as `id=p` pairs joined by `;`.
pub fn results_csv(results: &Results) -> String {
    let mut records = Records::new(vec![]);
    for r in &results.records {
        records.rows.push(record_row(r));
    }
    crate::output::render(&records, Format::Csv)
}

fn record_row(r: &Record) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("branch".into(), r.branch.clone().into());
    m.insert("country".into(), r.country.clone().into());
    m.insert("measure".into(), r.measure.clone().into());
    m.insert("year".into(), r.year.into());
    m.insert("year_basis".into(), r.year_basis.clone().into());
    m.insert("unit".into(), r.unit.clone().into());
    for (k, v) in [
        ("value", r.value),
        ("mean", r.mean),
        ("q05", r.q05),
        ("q25", r.q25),
        ("q50", r.q50),
        ("q75", r.q75),
        ("q95", r.q95),
    ] {
        m.insert(k.into(), crate::output::number(Some(v)));
    }
    m.insert(
        "p_target_met".into(),
        r.p_target_met
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";")
            .into(),
    );
    m.insert(
        "cumulative_extra_lcu".into(),
        crate::output::number(Some(r.cumulative_extra_lcu)),
    );
    m.insert("definition".into(), r.definition.clone().into());
    m.insert("source".into(), r.source.clone().into());
    m.insert("vintage".into(), r.vintage.clone().into());
    m.insert("flags".into(), r.flags.join(";").into());
    m
}

/// Money for the table: "JPY 12.49 tn".
pub fn short_money(v: f64, currency: &str) -> String {
    let a = v.abs();
    let (scale, word) = if a >= 1e12 {
        (1e12, "tn")
    } else if a >= 1e9 {
        (1e9, "bn")
    } else if a >= 1e6 {
        (1e6, "m")
    } else {
        (1.0, "")
    };
    format!("{currency} {:.2} {word}", v / scale)
        .trim_end()
        .to_string()
}

/// "JPY 12.49 tn (11.99-12.98)": the median and the 90% band in the median's unit (or
/// the band's largest end's, when the median is zero).
fn band(r: &Record, currency: &str) -> String {
    let scale = scale_of(r.q05.abs().max(r.q50.abs()).max(r.q95.abs()));
    let word = match scale {
        s if s >= 1e12 => " tn",
        s if s >= 1e9 => " bn",
        s if s >= 1e6 => " m",
        _ => "",
    };
    format!(
        "{currency} {}{word} ({}-{})",
        short_number(r.q50 / scale),
        short_number(r.q05 / scale),
        short_number(r.q95 / scale)
    )
}

fn scale_of(v: f64) -> f64 {
    let a = v.abs();
    if a >= 1e12 {
        1e12
    } else if a >= 1e9 {
        1e9
    } else if a >= 1e6 {
        1e6
    } else {
        1.0
    }
}

fn short_number(v: f64) -> String {
    format!("{v:.2}")
}

/// The table: per branch, country and year, spending with its 90% band, the share of
/// GDP, the extra over the cost baseline, the probability of each target, and the
/// expected cumulative extra.
fn summary(ds: &Dataset, results: &Results) -> Records {
    let target_ids: Vec<String> = results.targets.iter().map(|t| t.id.clone()).collect();
    let mut columns: Vec<&'static str> = vec![
        "branch",
        "country",
        "year",
        "milex_lcu (5-95%)",
        "milex_usd_current (5-95%)",
        "milex_gdp (5-95%)",
        "extra_lcu (5-95%)",
        "extra_usd (5-95%)",
    ];
    let p_columns: Vec<&'static str> = target_ids
        .iter()
        .map(|id| &*Box::leak(format!("p({id})").into_boxed_str()))
        .collect();
    columns.extend(p_columns.iter().copied());
    columns.push("cumulative_extra_lcu");
    columns.push("flags");
    let mut records = Records::new(columns);

    let find = |branch: &str, country: &str, measure: &str, year: i32| {
        results.records.iter().find(|r| {
            r.branch == branch && r.country == country && r.measure == measure && r.year == year
        })
    };
    let mut keys: Vec<(&str, &str, i32)> = Vec::new();
    for r in &results.records {
        if r.measure == "milex_lcu" {
            keys.push((&r.branch, &r.country, r.year));
        }
    }
    for (branch, country, year) in keys {
        let currency = ds
            .countries()
            .get(country)
            .map(|c| c.currency_label().to_string())
            .unwrap_or_else(|| "LCU".into());
        let Some(lcu) = find(branch, country, "milex_lcu", year) else {
            continue;
        };
        let mut m = Map::new();
        m.insert("branch".into(), branch.into());
        m.insert("country".into(), country.into());
        m.insert("year".into(), year.into());
        m.insert("milex_lcu (5-95%)".into(), band(lcu, &currency).into());
        let cell = |measure: &str, cur: &str| -> Value {
            find(branch, country, measure, year)
                .map(|r| Value::from(band(r, cur)))
                .unwrap_or(Value::Null)
        };
        m.insert(
            "milex_usd_current (5-95%)".into(),
            cell("milex_usd_current", "US$"),
        );
        m.insert(
            "milex_gdp (5-95%)".into(),
            find(branch, country, "milex_gdp", year)
                .map(|r| Value::from(format!("{:.3} ({:.2}-{:.2})", r.q50, r.q05, r.q95)))
                .unwrap_or(Value::Null),
        );
        m.insert(
            "extra_lcu (5-95%)".into(),
            cell("milex_extra_lcu", &currency),
        );
        m.insert("extra_usd (5-95%)".into(), cell("milex_extra_usd", "US$"));
        for (id, col) in target_ids.iter().zip(&p_columns) {
            m.insert(
                (*col).into(),
                lcu.p_target_met
                    .get(id)
                    .map(|p| Value::from(format!("{p:.2}")))
                    .unwrap_or(Value::Null),
            );
        }
        m.insert(
            "cumulative_extra_lcu".into(),
            short_money(lcu.cumulative_extra_lcu, &currency).into(),
        );
        m.insert("flags".into(), lcu.flags.join(",").into());
        records.rows.push(m);
    }

    let f = &mut records.footer;
    f.push(format!(
        "scenario {}: {} paths, seed {}, base year {}, shares in the {} definition; bands are \
         the 5th-95th percentiles of the paths (type 7), the first figure the median",
        results.scenario, results.paths, results.seed, results.base_year, results.definition
    ));
    if results.branches.len() > 1 || results.branches.iter().any(|b| b.name != COMBINED) {
        for b in &results.branches {
            f.push(format!(
                "branch {}: probability {:.3} ({})",
                b.name, b.probability, b.method
            ));
        }
    }
    for t in &results.targets {
        f.push(format!(
            "target {}: {} {} {}{}",
            t.id,
            t.kind,
            t.value,
            t.unit,
            t.note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default()
        ));
    }
    for e in &results.events {
        if e.branch == COMBINED {
            f.push(format!(
                "event {} ({}, {} from {}): probability {}, happened on {:.1}% of paths",
                e.id,
                e.kind,
                e.country,
                e.year,
                e.probability,
                e.occurred * 100.0
            ));
        }
    }
    for n in &results.notes {
        f.push(format!("note: {n}"));
    }
    if let Some(r) = results.records.first() {
        f.push(format!("sources: {} ({})", r.source, r.vintage));
    }
    f.push(
        "extra = spending over holding the base-year share of GDP on the same path; \
         cumulative_extra_lcu = expected sum of extra from the first horizon year; full \
         tables: --format csv|json or --out DIR"
            .into(),
    );
    records
}

/// `--out DIR`: quantiles.csv, quantiles.json and one fan chart per country and measure
/// (combined branch), each file written to a temporary name and renamed into place.
fn write_out(ds: &Dataset, results: &Results, dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| CliError::usage(format!("--out {}: cannot create: {e}", dir.display())))?;
    let mut files: Vec<(String, String)> = vec![
        ("quantiles.csv".into(), results_csv(results)),
        ("quantiles.json".into(), results_json(results)),
    ];
    let mut countries: Vec<&str> = results.records.iter().map(|r| r.country.as_str()).collect();
    countries.sort();
    countries.dedup();
    for country in countries {
        for (measure, _, _) in FAN_MEASURES {
            if let Some(chart) = fan_chart(ds, results, COMBINED, country, measure) {
                files.push((
                    format!("fan-{country}-{measure}.svg"),
                    Chart::Fan(chart).to_svg(),
                ));
            }
        }
    }
    for (name, text) in files {
        crate::chart::write_atomically(&dir.join(&name), text.as_bytes())?;
    }
    Ok(())
}
