//! `fairshare show`: the values of one or more countries, with their provenance.
//!
//! ```text
//! $ fairshare show Japan --from 2022 --to 2024
//! country  measure            year  year_basis  value      unit         definition  source            flags
//! JPN      milex_gdp          2022  calendar    1.010      pct_gdp      sipri       sipri-milex-2025
//! ...
//! ```

use clap::Args;
use fairshare_dataset::{Country, Dataset, Filter, Measure, Obs};

use crate::context::{Context, FilterArgs, build_filter};
use crate::error::CliError;
use crate::output::{Records, emit, observation_record, provenance_footer};

pub const ABOUT: &str =
    "Print values for one or more countries, each with unit, definition, source and vintage";

pub const EXAMPLES: &str = "\
Examples:
  fairshare show Japan --from 2014
      Japan's SIPRI share of GDP, spending in current US$ and in yen, 2014-2024
  fairshare show JPN KOR --measure milex_gdp --from 2020 --format csv
  fairshare show WLD --measure milex_gdp --definition sipri
      the world's military burden (SIPRI's series as republished by the World Bank)
  fairshare show POL --measure milex_gdp --definition nato --from 2024 --to 2024
  fairshare show JPN --measure gdp_lcu --definition imf_weo
      IMF WEO GDP in yen, with projections to 2030 flagged
  fairshare show JPN KOR USA --measure milex_gdp --from 1990 --chart burden.png
      also draw the lines to burden.png (or .svg), with the registry's events marked

With no --measure (and no --definition), prints SIPRI's three headline measures:
milex_gdp (% of GDP), milex_usd_current (US$) and milex_lcu (local currency).
Where two sources publish the same cell (SIPRI's workbook and the World Bank's
republication of it), the publisher's own file is shown; `fairshare explain` shows both.";

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Countries: ISO3 codes or names ("JPN", "Japan", "South Korea"); aggregates such as WLD.
    #[arg(required = true, value_name = "COUNTRY")]
    pub countries: Vec<String>,

    /// Also draw what is printed as a line chart: PATH.svg, or PATH.png (2x, for slides).
    /// With several measures, the first is drawn.
    #[arg(long, value_name = "PATH")]
    pub chart: Option<std::path::PathBuf>,

    /// The chart's title; state the finding. Default: the values at the ends of the lines.
    #[arg(long, value_name = "TEXT", requires = "chart")]
    pub title: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
}

pub fn run(ctx: &mut Context, args: &ShowArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let (countries, filter, measures, obs) = select(ds, &args.countries, &args.filter)?;
    if obs.is_empty() && ctx.chatty() {
        eprintln!(
            "note: no observations for {} with measure {}{}",
            countries
                .iter()
                .map(|c| c.code.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            measures
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if filter.definitions.is_empty() {
                String::new()
            } else {
                format!(" and definition {}", filter.definitions.join(", "))
            }
        );
    }
    let mut records = Records::new(vec![
        "country",
        "measure",
        "year",
        "year_basis",
        "value",
        "unit",
        "definition",
        "source",
        "flags",
    ]);
    if let Some(path) = &args.chart {
        crate::chart::write_time_series(ctx, ds, &obs, &measures, path, args.title.as_deref())?;
    }
    records.rows = obs.iter().map(observation_record).collect();
    records.footer = provenance_footer(&obs);
    if !obs.is_empty() {
        records.footer.push(
            "Values are rounded for reading; --format csv or json give full precision.".into(),
        );
    }
    emit(&records, ctx.format())
}

/// What `show` prints, before formatting: the countries resolved, the filter, the
/// measures asked (or the three headline ones) and the observations in the order asked.
/// The server's dashboard draws from this too.
#[allow(clippy::type_complexity)]
pub fn select<'a>(
    ds: &'a Dataset,
    countries: &[String],
    filter_args: &FilterArgs,
) -> Result<(Vec<&'a Country>, Filter, Vec<Measure>, Vec<Obs<'a>>), CliError> {
    let (countries, mut filter) = build_filter(ds, countries, filter_args)?;
    if filter.measures.is_empty() {
        filter.measures = vec![
            Measure::MilexGdp,
            Measure::MilexUsdCurrent,
            Measure::MilexLcu,
        ];
        if filter.definitions.is_empty() {
            filter.definitions = vec!["sipri".to_string()];
        }
    }
    let measures = filter.measures.clone();
    let mut obs = ds.select_preferred(&filter);
    // Order as asked: by country as typed, then measure as typed.
    obs.sort_by_key(|o| {
        (
            countries.iter().position(|c| c.code == o.country_code()),
            measures.iter().position(|m| *m == o.measure()),
            o.definition(),
            o.year_basis(),
            o.year(),
        )
    });
    Ok((countries, filter, measures, obs))
}
