//! `fairshare export`: write the dataset, or a selection of it, as files analysts
//! load in one line: CSV + Frictionless Data Package, Parquet, SQLite, wide xlsx.
//!
//! The file format is the first argument (`fairshare export parquet ...`), because
//! `--format` is the global flag for how commands print (table|csv|json). The filters
//! are `show`'s; `--all` exports everything. The work is `fairshare-export`'s.
//!
//! ```text
//! $ fairshare export parquet JPN KOR --from 2014 --out allies.parquet
//! wrote 582 observations from 9 sources (countries JPN, KOR; years from 2014) to allies.parquet
//! ```

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use fairshare_dataset::Filter;
use fairshare_export::Format;

use crate::context::{Context, FilterArgs, build_filter};
use crate::error::CliError;
use crate::output::with_commas;

pub const ABOUT: &str =
    "Write the dataset (or a selection) as CSV + Data Package, Parquet, SQLite or xlsx";

pub const EXAMPLES: &str = "\
The format is the first argument; --out is a folder for csv, a file for the others.
Filters are those of `show` (countries, --measure, --definition, --from, --to); a
filter left out means all. Every source of a series is exported (SIPRI's workbook
and the World Bank's copy of it); the column `preferred` marks what `show` prints.
Outputs are written atomically: an error leaves no partial file and an existing
output untouched.

Examples:
  fairshare export parquet --all --out fairshare.parquet
      the whole dataset (about 228,000 observations) in one typed file;
      pandas: pd.read_parquet(\"fairshare.parquet\")
  fairshare export csv --all --out fairshare-csv
      observations.csv, sources.csv, countries.csv, ... and datapackage.json
      (Frictionless: types, keys, licences, citations)
  fairshare export sqlite JPN KOR USA --measure milex_gdp,milex_usd_current --out allies.sqlite
      sqlite3 allies.sqlite 'SELECT * FROM README'
  fairshare export xlsx --measure milex_gdp --from 2000 --out burden.xlsx
      one sheet per definition (milex_gdp sipri, milex_gdp nato), countries x years;
      blue = estimate, red = uncertain, as in SIPRI's workbook
  fairshare export csv NATO-EUROPE-CANADA POL DEU --definition nato --out nato-csv

Recipes for pandas, polars, R, DuckDB and Excel: docs/recipes.md.";

/// The file formats, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    /// A folder: one CSV per table plus datapackage.json (Frictionless Data Package).
    Csv,
    /// One Parquet file of observations; sources, vintages and licences in its metadata.
    Parquet,
    /// One SQLite database: normalized tables, indexes, a README table.
    Sqlite,
    /// One xlsx workbook: a sheet per measure and definition, countries x years.
    Xlsx,
}

impl From<FileFormat> for Format {
    fn from(f: FileFormat) -> Format {
        match f {
            FileFormat::Csv => Format::Csv,
            FileFormat::Parquet => Format::Parquet,
            FileFormat::Sqlite => Format::Sqlite,
            FileFormat::Xlsx => Format::Xlsx,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// File format to write.
    #[arg(value_enum, value_name = "FORMAT")]
    pub file_format: FileFormat,

    /// Countries: ISO3 codes or names; aggregates such as WLD. None: every country.
    #[arg(value_name = "COUNTRY")]
    pub countries: Vec<String>,

    /// Where to write: a folder for csv, a file for parquet, sqlite and xlsx.
    #[arg(long, short = 'o', value_name = "PATH", required = true)]
    pub out: PathBuf,

    /// The whole dataset: every country, measure, definition, source and year.
    #[arg(long, conflicts_with_all = ["countries", "measure", "definition", "from", "to"])]
    pub all: bool,

    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(ctx: &mut Context, args: &ExportArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let filter = if args.all {
        Filter::default()
    } else if args.countries.is_empty() && args.filter.is_empty() {
        return Err(CliError::usage(
            "say what to export: countries, --measure, --definition, --from/--to, or --all for the whole dataset",
        ));
    } else {
        build_filter(ds, &args.countries, &args.filter)?.1
    };
    let summary = fairshare_export::export(ds, &filter, args.file_format.into(), &args.out)
        .map_err(|e| {
            if e.is_user_error() {
                CliError::usage(e.to_string())
            } else {
                CliError::internal(e.to_string())
            }
        })?;
    if ctx.chatty() {
        eprintln!(
            "wrote {} observations from {} sources ({}) to {}",
            with_commas(summary.observations as i64),
            summary.sources.len(),
            summary.selection,
            summary.path.display()
        );
    }
    Ok(())
}
