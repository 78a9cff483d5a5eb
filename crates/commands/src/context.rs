//! What every command shares: the global flags, the dataset it answers from, and
//! the parsing of the arguments users type (countries, measures, definitions, years).

use std::path::PathBuf;

use clap::Args;
use fairshare_dataset::{Country, Dataset, Filter, Measure};

use crate::error::CliError;
use crate::output::Format;

#[derive(Debug, Clone, Args)]
pub struct Global {
    /// How commands print: table for a terminal, csv or json for pipes. (`export` writes
    /// files instead, in the format named by its first argument: `fairshare export parquet`.)
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// No progress bars or notes on stderr.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,

    /// Answer from a dataset directory instead of the dataset compiled into the binary.
    #[arg(long, global = true, value_name = "DIR", env = "FAIRSHARE_DATA")]
    pub data: Option<PathBuf>,
}

pub struct Context {
    pub global: Global,
    loaded: Option<&'static Dataset>,
}

impl Context {
    pub fn new(global: Global) -> Context {
        Context {
            global,
            loaded: None,
        }
    }

    /// The dataset: `--data DIR` if given, else the embedded one.
    pub fn dataset(&mut self) -> Result<&'static Dataset, CliError> {
        if let Some(ds) = self.loaded {
            return Ok(ds);
        }
        let ds: &'static Dataset = match &self.global.data {
            Some(dir) => Box::leak(Box::new(Dataset::load_dir(dir)?)),
            None => fairshare_embedded::dataset()?,
        };
        self.loaded = Some(ds);
        Ok(ds)
    }

    /// A context answering from a dataset already loaded (the server loads it once).
    pub fn with_dataset(global: Global, ds: &'static Dataset) -> Context {
        Context {
            global,
            loaded: Some(ds),
        }
    }

    pub fn format(&self) -> Format {
        self.global.format
    }

    /// True when progress and notes may go to stderr.
    pub fn chatty(&self) -> bool {
        !self.global.quiet
    }
}

/// The filters `show` and `export` share (countries are each command's own argument).
#[derive(Debug, Clone, Args)]
pub struct FilterArgs {
    /// Measures (comma-separated or repeated), e.g. milex_gdp,gdp_lcu.
    #[arg(long, short = 'm', value_name = "M")]
    pub measure: Vec<String>,

    /// First year.
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub from: Option<i32>,

    /// Last year.
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub to: Option<i32>,

    /// Definitions (what is counted): sipri, nato, wb, imf_weo, national:...
    #[arg(long, short = 'd', value_name = "D")]
    pub definition: Vec<String>,
}

impl FilterArgs {
    /// True when no filter flag was given.
    pub fn is_empty(&self) -> bool {
        self.measure.is_empty()
            && self.definition.is_empty()
            && self.from.is_none()
            && self.to.is_none()
    }
}

/// The dataset filter for countries as typed plus the filter flags, every part
/// checked (unknown countries, measures, definitions and out-of-range years are errors).
/// Also returns the countries resolved, in the order typed.
pub fn build_filter<'a>(
    ds: &'a Dataset,
    countries: &[String],
    args: &FilterArgs,
) -> Result<(Vec<&'a Country>, Filter), CliError> {
    let countries = resolve_countries(ds, countries)?;
    let measures = parse_measures(&args.measure)?;
    let definitions = parse_definitions(ds, &args.definition)?;
    check_years(ds, args.from, args.to)?;
    let filter = Filter {
        countries: countries.iter().map(|c| c.code.clone()).collect(),
        measures,
        definitions,
        from: args.from,
        to: args.to,
        ..Filter::default()
    };
    Ok((countries, filter))
}

/// Countries as typed ("JPN", "Japan", "South Korea"); each unknown one is an error
/// with suggestions.
pub fn resolve_countries<'a>(
    ds: &'a Dataset,
    inputs: &[String],
) -> Result<Vec<&'a Country>, CliError> {
    let mut out: Vec<&Country> = Vec::new();
    for input in inputs {
        // "Korea, South" is SIPRI's name for one country; "JPN,KOR" is a list.
        let found = match ds.countries().resolve(input) {
            Ok(c) => vec![c],
            Err(whole) => {
                let parts = split_list(input);
                if parts.len() < 2 {
                    return Err(whole.into());
                }
                parts
                    .iter()
                    .map(|p| ds.countries().resolve(p))
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        for c in found {
            if !out.iter().any(|x| x.code == c.code) {
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// Measures as typed, comma-separated or repeated.
pub fn parse_measures(inputs: &[String]) -> Result<Vec<Measure>, CliError> {
    let mut out = Vec::new();
    for m in inputs.iter().flat_map(|s| split_list(s)) {
        let m: Measure = m.parse().map_err(|e| CliError::usage(format!("{e}")))?;
        if !out.contains(&m) {
            out.push(m);
        }
    }
    Ok(out)
}

/// Definitions as typed, checked against the dataset's definitions registry.
pub fn parse_definitions(ds: &Dataset, inputs: &[String]) -> Result<Vec<String>, CliError> {
    let mut out: Vec<String> = Vec::new();
    for d in inputs.iter().flat_map(|s| split_list(s)) {
        let def = ds.resolve_definition(&d)?;
        if !out.contains(&def.id) {
            out.push(def.id.clone());
        }
    }
    Ok(out)
}

/// Check a year range against what the dataset holds.
pub fn check_years(ds: &Dataset, from: Option<i32>, to: Option<i32>) -> Result<(), CliError> {
    let (lo, hi) = ds.year_span().unwrap_or((1949, 2035));
    for (flag, y) in [("--from", from), ("--to", to)] {
        if let Some(y) = y
            && (y < lo || y > hi)
        {
            return Err(CliError::usage(format!(
                "{flag} {y} is outside the dataset's years ({lo}-{hi})"
            )));
        }
    }
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(CliError::usage(format!(
            "--from {f} is after --to {t}: the range is reversed"
        )));
    }
    Ok(())
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}
