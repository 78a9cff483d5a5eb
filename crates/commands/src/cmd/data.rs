//! `fairshare data build | check`: regenerate the committed dataset from the
//! publisher files, and validate a dataset directory.
//!
//! ```text
//! $ fairshare data build
//! read 5 publishers from ../shared/data/raw
//! wrote data/ (… observations in … files)
//! ```

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, Subcommand};
use fairshare_dataset::check::Severity;
use fairshare_dataset::ingest::{self, default_raw_dir};
use indicatif::{ProgressBar, ProgressStyle};

use crate::context::Context;
use crate::error::CliError;
use crate::output::{Records, emit};

pub const ABOUT: &str = "Build the dataset from publisher files, or check a dataset directory";

pub const EXAMPLES: &str = "\
Examples:
  fairshare data build
      read ../shared/data/raw (or $FAIRSHARE_RAW) and rewrite data/ atomically;
      the same files always give the same bytes
  fairshare data build --raw ~/Downloads/milex --out /tmp/data
  fairshare data check
      validate the dataset compiled into the binary
  fairshare data check --data data
      validate a dataset directory (e.g. after editing it by hand)";

#[derive(Debug, Args)]
pub struct DataArgs {
    #[command(subcommand)]
    pub command: DataCommand,
}

pub const BUILD_EXAMPLES: &str = "\
A progress bar shows on a terminal only (not when stderr is piped, nor with --quiet).

Examples:
  fairshare data build
      read ../shared/data/raw (or $FAIRSHARE_RAW): SIPRI's workbook, NATO's tables, the
      World Bank's WDI files and the IMF's WEO; rewrite data/ atomically, about 228,000
      observations, the same bytes every time; then `cargo build` to embed them
  fairshare data build --raw ~/Downloads/milex --out /tmp/data
      try a newer publisher release without touching data/
  fairshare data build --quiet --out /tmp/data && fairshare data check --data /tmp/data";

pub const CHECK_EXAMPLES: &str = "\
Examples:
  fairshare data check
      the dataset compiled into the binary: 0 errors; known, explained warnings
      (Kuwait's 1991 share of GDP above 100%) with --warnings
  fairshare data check --data data --format json
      a directory after a hand edit: each finding with file and row";

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Read the publisher files and write the harmonized dataset (deterministic, atomic).
    #[command(after_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Validate a dataset: keys, ranges, units, registries, SIPRI share vs spending / GDP.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Show warnings too (faults with a known explanation).
    #[arg(long)]
    pub warnings: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder of publisher files, one sub-folder per publisher [default: $FAIRSHARE_RAW, else ../shared/data/raw]
    #[arg(long, value_name = "DIR")]
    pub raw: Option<PathBuf>,

    /// Where to write the dataset.
    #[arg(long, value_name = "DIR", default_value = "data")]
    pub out: PathBuf,
}

pub fn run(ctx: &mut Context, args: &DataArgs) -> Result<(), CliError> {
    match &args.command {
        DataCommand::Build(b) => build(ctx, b),
        DataCommand::Check(c) => check(ctx, c),
    }
}

fn build(ctx: &mut Context, args: &BuildArgs) -> Result<(), CliError> {
    let raw = args.raw.clone().unwrap_or_else(default_raw_dir);
    let started = Instant::now();
    let readers = ingest::readers().len() as u64;
    // A bar only where a person watches: never in a pipe, a log or CI.
    let bar = if ctx.chatty() && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(readers);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                .expect("static template")
                .progress_chars("=> "),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut first = true;
    let result = ingest::build(&raw, &mut |label| {
        if !first {
            bar.inc(1);
        }
        first = false;
        bar.set_message(format!("reading {label}"));
    });
    bar.finish_and_clear();
    let dataset = result?;
    dataset.write_dir(&args.out)?;
    if ctx.chatty() {
        let mut per_source: std::collections::BTreeMap<&str, usize> = Default::default();
        for o in &dataset.observations {
            *per_source.entry(o.source.as_str()).or_default() += 1;
        }
        eprintln!(
            "read {} from {} in {:.1} s",
            if readers == 1 {
                "1 publisher".to_string()
            } else {
                format!("{readers} publishers")
            },
            raw.display(),
            started.elapsed().as_secs_f64()
        );
        for (source, n) in per_source {
            eprintln!("  {source:<28} {n:>8} observations");
        }
        eprintln!(
            "wrote {} ({} observations); rebuild the binary (cargo build) to embed it",
            args.out.display(),
            dataset.observations.len()
        );
    }
    Ok(())
}

fn check(ctx: &mut Context, args: &CheckArgs) -> Result<(), CliError> {
    // A directory is checked as its files say (every fault reported with file and
    // row); the embedded dataset was validated when it was compiled in.
    let (report, what) = match &ctx.global.data {
        Some(dir) => (
            fairshare_dataset::check::check_dir(dir)?,
            dir.display().to_string(),
        ),
        None => (
            fairshare_dataset::check::check(&ctx.dataset()?.to_raw()),
            "the embedded dataset".to_string(),
        ),
    };
    let mut records = Records::new(vec!["severity", "check", "location", "message"]);
    for f in &report.findings {
        if f.severity == Severity::Warning && !args.warnings {
            continue;
        }
        let mut m = serde_json::Map::new();
        m.insert("severity".into(), f.severity.as_str().into());
        m.insert("check".into(), f.check.into());
        m.insert("location".into(), f.location.clone().into());
        m.insert("message".into(), f.message.clone().into());
        records.rows.push(m);
    }
    let summary = format!(
        "checked {what}: {} observations, {} SIPRI shares compared with spending / GDP; {} errors, {} warnings{}",
        report.observations,
        report.consistency_compared,
        report.errors(),
        report.warnings(),
        if report.warnings() > 0 && !args.warnings {
            " (--warnings to list them)"
        } else {
            ""
        }
    );
    records.footer.push(summary.clone());
    emit(&records, ctx.format())?;
    if ctx.chatty() && ctx.format() != crate::output::Format::Table {
        eprintln!("{summary}");
    }
    if report.errors() > 0 {
        return Err(CliError::usage(format!(
            "data check failed: {} errors in {what}",
            report.errors()
        )));
    }
    Ok(())
}
