//! `fairshare report NAME`: an alliance brief as Markdown and self-contained HTML, with its
//! charts as SVG files. The report crate assembles the document from engine results;
//! this command only writes the files, each atomically.
//!
//! ```text
//! $ fairshare report japan-us --out out/
//! wrote out/japan-us.html, out/japan-us.md and 7 charts in out/charts/
//! ```

use std::path::{Path, PathBuf};

use clap::Args;
use fairshare_report::{NAMES, Options, ReportError, build};

use crate::chart::write_atomically;
use crate::context::Context;
use crate::error::CliError;

pub const ABOUT: &str =
    "Write an alliance brief (japan-us, nato, korea-us) as HTML and Markdown with SVG charts";

pub const EXAMPLES: &str = "\
Examples:
  fairshare report japan-us --out out/
      out/japan-us.html (self-contained: charts inline, prints well), out/japan-us.md and
      out/charts/japan-us-*.svg: where Japan, Korea and NATO stand, The Diplomat's 2024
      claims checked, host-nation support demands, allies' responses, events since, and
      Japan's cost paths with Monte Carlo bands
  fairshare report nato
      NATO compliance year by year and burden shares, in out/
  fairshare report korea-us --seed 7 --paths 5000
      Korea's brief with scenario bands from 5,000 paths, seed 7

The same dataset, seed and paths give the same bytes: no timestamps.";

/// Most paths a brief's scenario runs may draw each.
const MAX_PATHS: u64 = 200_000;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The brief: japan-us, nato, korea-us.
    pub name: String,

    /// Folder to write NAME.html, NAME.md and charts/ into (created if missing).
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,

    /// Seed of the scenario runs [default: the scenario engine's, 20240222].
    #[arg(long, value_name = "S")]
    pub seed: Option<String>,

    /// Monte Carlo paths per scenario [default: 2000].
    #[arg(long, value_name = "N")]
    pub paths: Option<String>,
}

pub fn run(ctx: &mut Context, args: &ReportArgs) -> Result<(), CliError> {
    if !NAMES.contains(&args.name.as_str()) {
        return Err(CliError::usage(format!(
            "unknown report `{}`: valid names are {}",
            args.name,
            NAMES.join(", ")
        )));
    }
    let mut opts = Options::default();
    if let Some(s) = &args.seed {
        opts.seed = s.trim().parse().map_err(|_| {
            CliError::usage(format!(
                "--seed {s}: expected a whole number from 0 to {}",
                u64::MAX
            ))
        })?;
    }
    if let Some(p) = &args.paths {
        let cleaned: String = p.chars().filter(|c| *c != '_' && *c != ',').collect();
        match cleaned.trim().parse::<u64>() {
            Ok(n) if (1..=MAX_PATHS).contains(&n) => opts.paths = n as usize,
            _ => {
                return Err(CliError::usage(format!(
                    "--paths {p}: expected a whole number from 1 to {MAX_PATHS}"
                )));
            }
        }
    }
    if args.out.exists() && !args.out.is_dir() {
        return Err(CliError::usage(format!(
            "--out {}: exists and is not a folder",
            args.out.display()
        )));
    }
    let ds = ctx.dataset()?;
    let doc = build(ds, &args.name, &opts).map_err(|e| match e {
        ReportError::UnknownName(_) => CliError::usage(e.to_string()),
        ReportError::Engine(_) => CliError::internal(e.to_string()),
    })?;
    let charts = doc.charts();
    let chart_dir = args.out.join("charts");
    std::fs::create_dir_all(&chart_dir).map_err(|e| {
        CliError::usage(format!("--out {}: cannot create: {e}", chart_dir.display()))
    })?;
    for (rel, svg) in &charts {
        write_atomically(&args.out.join(rel), svg.as_bytes())?;
    }
    let md = args.out.join(format!("{}.md", args.name));
    let html = args.out.join(format!("{}.html", args.name));
    write_atomically(&md, doc.to_markdown().as_bytes())?;
    write_atomically(&html, doc.to_html().as_bytes())?;
    if ctx.chatty() {
        eprintln!(
            "wrote {}, {} and {} charts in {}",
            html.display(),
            md.display(),
            charts.len(),
            show(&chart_dir)
        );
    }
    Ok(())
}

fn show(p: &Path) -> String {
    p.display().to_string()
}
