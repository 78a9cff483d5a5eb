//! `fairshare gap`: the spending path that reaches a target by a year, and its cost.
//!
//! ```text
//! $ fairshare gap Japan --target japan-2pct-fy2027
//! definition                 year  year_basis  share  required_lcu  extra_lcu   required_usd  required_growth_nominal  actual_lcu  flags               usd_flags
//! national:jp-security       2025  fy_apr      1.773      9.930 tn       0.000     66.916 bn                        —    9.930 tn  budget              projection
//! national:jp-security       2026  fy_apr      1.887     10.565 tn  635.000 bn     72.463 bn                    6.395           —                      projection
//! national:jp-security       2027  fy_apr      2.000     11.200 tn    1.270 tn     77.539 bn                    6.010           —                      projection
//! national:jp-security-supp  2025  fy_apr      1.964     11.000 tn       0.000     74.127 bn                        —   11.000 tn  approximate,budget  projection
//! ...
//! sipri                      2024  calendar    1.371      8.358 tn       0.000     55.215 bn                        —    8.372 tn
//! ...
//! sipri                      2027  calendar    2.000     13.109 tn    4.120 tn     90.410 bn                   14.620           —  projection          projection
//! ```

use clap::Args;
use fairshare_dataset::{Dataset, YearBasis};
use fairshare_metrics::{Denominator, GapPath, MetricsError, TargetRule, gap_path};
use serde_json::{Map, Value};

use crate::context::{Context, parse_definitions, resolve_countries};
use crate::error::CliError;
use crate::output::{Records, emit, flags_footer, flags_value, money, number, source_footer};

pub const ABOUT: &str = "The spending path to a target by a year: share of GDP, required spending, extra over today, in local currency and US$";

pub const EXAMPLES: &str = "\
Examples:
  fairshare gap Japan --target japan-2pct-fy2027
      Japan's 2% by FY2027, two ways: the national reading (security-related
      expenditures against the fixed FY2022 GDP of about ¥560 tn, April-March years,
      with and without the FY2025 supplementary budget) and SIPRI's (each calendar
      year's GDP): ¥11.2 tn in FY2027, ¥1.27 tn above the FY2025 initial budget (¥0.2 tn
      above FY2025 with the supplementary budget); by SIPRI's measure ¥13.1 tn in 2027,
      ¥4.1 tn above holding 2024's 1.37% of GDP
  fairshare gap Japan --target 2% --by 2024
      the Diet proposal of February 2024 (The Diplomat): 2% in 2024 itself, by SIPRI's
      measure: ¥12.2 tn in 2024 against the ¥8.4 tn SIPRI records, ¥3.8 tn (46%) more
  fairshare gap Japan --target 2% --by 2024 --from 2023
      the same path seen from 2023, the last year known when it was proposed
  fairshare gap Japan --target 3.5% --by 2035
      the reported US request of June 2025: ¥28.0 tn (US$198 bn) in 2035, ¥17.0 tn
      above holding 1.37%; ¥94 tn extra in all over 2025-2035
  fairshare gap Japan --target nato-5pct-2035
      NATO's Hague level (core and related spending together; only defence spending is
      in the data, so this is the whole 5% in defence spending)
  fairshare gap Germany --target nato-core-3.5pct-2035 --definition nato --format csv

The path rises linearly in share of GDP from the latest actual share (or --from YEAR)
to the target in the --by year [default: the target's own year]. GDP is the IMF WEO
(April 2025), projected to 2030 (flag projection) and extended to 2035 by holding 2030
real growth and GDP-deflator inflation (flag extrapolated). US$ use IMF-implied rates
(GDP in local currency / GDP in US$). extra_lcu is the spending over holding the latest
share on the same GDP; required_growth_nominal the year-on-year growth of the required
spending (percent). Japan's national reading divides by the fixed FY2022 GDP, so its
target is a fixed yen amount and its path is linear in yen.";

#[derive(Debug, Args)]
pub struct GapArgs {
    /// Country: ISO3 code or name ("JPN", "Japan", "South Korea").
    pub country: String,

    /// Target id or alias (japan-2pct-fy2027, nato-2pct, nato-core-3.5pct-2035,
    /// nato-5pct-2035) or a share of GDP such as 3.5%.
    #[arg(long, short = 't', value_name = "T", allow_hyphen_values = true)]
    pub target: String,

    /// Year to reach the target [default: the target's own year; required for a share such as 3%].
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub by: Option<i32>,

    /// Start from this year's actual share instead of the latest [default: latest data].
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub from: Option<i32>,

    /// Reading: sipri (default), nato, or a national series (Japan's target: both national
    /// series and sipri by default).
    #[arg(long, short = 'd', value_name = "D")]
    pub definition: Option<String>,
}

pub fn run(ctx: &mut Context, args: &GapArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let country = resolve_countries(ds, std::slice::from_ref(&args.country))?[0];
    let rule = TargetRule::parse(ds.commitments(), &args.target)?;
    if let Some(f) = &rule.fixed_gdp
        && f.country != country.code
    {
        return Err(CliError::usage(format!(
            "{} is {}'s national target; for {} use a share of GDP such as --target 2% --by {}",
            rule.id,
            f.country,
            country.code,
            rule.by_year.unwrap_or(2030)
        )));
    }
    let definitions: Vec<String> = match &args.definition {
        Some(d) => parse_definitions(ds, std::slice::from_ref(d))?,
        None if rule.fixed_gdp.is_some() => {
            let mut d = rule.national_definitions(ds);
            d.push("sipri".to_string());
            d
        }
        None => vec!["sipri".to_string()],
    };

    // Each reading; with several, one that cannot answer (a national series whose data
    // start after --by) is skipped with a note; with one, its error is the answer.
    let mut paths: Vec<GapPath> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut first_error: Option<MetricsError> = None;
    for d in &definitions {
        match gap_path(ds, &country.code, &rule, d, args.by, args.from) {
            Ok(p) => paths.push(p),
            Err(e @ (MetricsError::ByBeforeData { .. } | MetricsError::NoData(_)))
                if definitions.len() > 1 =>
            {
                skipped.push(format!("{d}: not shown — {e}"));
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    if paths.is_empty() {
        return Err(first_error
            .map(CliError::from)
            .unwrap_or_else(|| CliError::usage("no reading can answer this")));
    }

    let mut records = Records::new(vec![
        "definition",
        "year",
        "year_basis",
        "share",
        "required_lcu",
        "extra_lcu",
        "required_usd",
        "required_growth_nominal",
        "actual_lcu",
        "flags",
    ]);
    for p in &paths {
        for y in &p.years {
            records.rows.push(record(ds, &rule, p, y));
        }
    }
    // The rate's flags get their own column where they differ from the share's
    // (national readings: yen budgets, projected exchange rates).
    if records
        .rows
        .iter()
        .any(|r| r.get("usd_flags") != r.get("flags"))
    {
        records.table_columns.push("usd_flags");
    }
    records.footer = footer(ds, &rule, &paths, &skipped);
    emit(&records, ctx.format())
}

fn reading(p: &GapPath) -> String {
    match p.denominator {
        Denominator::FixedGdp => format!(
            "national: share of the fixed FY2022 GDP, April-March fiscal years ({})",
            p.definition
        ),
        Denominator::GdpOfYear => format!("{}: share of each calendar year's GDP", p.definition),
    }
}

fn record(
    ds: &Dataset,
    rule: &TargetRule,
    p: &GapPath,
    y: &fairshare_metrics::GapYear,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("country".into(), p.country.clone().into());
    m.insert(
        "country_name".into(),
        ds.countries()
            .get(&p.country)
            .map(|c| c.name.clone())
            .unwrap_or_default()
            .into(),
    );
    m.insert("measure".into(), "milex_gdp".into());
    m.insert("year".into(), y.year.into());
    m.insert("year_basis".into(), p.year_basis.to_string().into());
    m.insert("value".into(), number(Some(y.share)));
    m.insert("unit".into(), "pct_gdp".into());
    m.insert("definition".into(), p.definition.clone().into());
    m.insert("source".into(), p.base_source.clone().into());
    m.insert("vintage".into(), p.base_vintage.clone().into());
    // The share's flags: the GDP's (projection, extrapolated) on the path; the base
    // figure's own (budget, approximate, estimate) in the base year.
    let flags = if y.year == p.base_year {
        y.flags.union(p.base_flags)
    } else {
        y.flags
    };
    m.insert("flags".into(), flags_value(flags));
    m.insert("reading".into(), reading(p).into());
    m.insert("target_id".into(), rule.id.clone().into());
    m.insert("target".into(), number(Some(p.target)));
    m.insert("by".into(), p.by.into());
    m.insert("base_year".into(), p.base_year.into());
    m.insert("base_share".into(), number(Some(p.base_share)));
    m.insert("share".into(), number(Some(y.share)));
    m.insert("required_lcu".into(), number(Some(y.required_lcu)));
    m.insert("required_usd".into(), number(y.required_usd));
    m.insert("extra_lcu".into(), number(Some(y.extra_lcu)));
    m.insert(
        "required_growth_nominal".into(),
        number(y.required_growth_nominal),
    );
    m.insert("actual_lcu".into(), number(y.actual_lcu));
    m.insert("currency".into(), p.currency.clone().into());
    m.insert("gdp_lcu".into(), number(Some(y.gdp_lcu)));
    m.insert("lcu_per_usd".into(), number(y.lcu_per_usd));
    m.insert("usd_flags".into(), flags_value(y.usd_flags));
    m.insert(
        "gdp_source".into(),
        match p.denominator {
            Denominator::FixedGdp => rule
                .registered
                .as_ref()
                .map(|t| Value::from(t.source.clone()))
                .unwrap_or(Value::Null),
            Denominator::GdpOfYear => p.gdp_source.clone().map(Value::from).unwrap_or(Value::Null),
        },
    );
    m.insert(
        "usd_source".into(),
        p.gdp_source.clone().map(Value::from).unwrap_or(Value::Null),
    );
    m
}

fn fy(p: &GapPath, year: i32) -> String {
    if p.year_basis == YearBasis::Calendar {
        year.to_string()
    } else {
        format!("FY{year}")
    }
}

fn footer(ds: &Dataset, rule: &TargetRule, paths: &[GapPath], skipped: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    match &rule.registered {
        Some(t) => lines.push(format!(
            "target {}: {} (agreed {}; source {}: {})",
            t.id, t.name, t.agreed, t.source, t.source_url
        )),
        None => lines.push(format!("target {}: an ad-hoc share of GDP", rule.id)),
    }
    for p in paths {
        let last = p.years.last().expect("a path has at least its base year");
        let cur = &p.currency;
        let base = &p.years[0];
        let mut s = format!(
            "{}: {} {:.3}% ({}); ",
            reading(p),
            fy(p, p.base_year),
            p.base_share,
            match base.actual_lcu {
                Some(a) => money(a, cur),
                None => "no spending figure".to_string(),
            }
        );
        if p.already_meets {
            s.push_str(&format!(
                "already at or above {}%: the path holds it",
                p.target
            ));
        } else {
            s.push_str(&format!(
                "{}% in {} = {} ({}), {} more than holding {:.3}%; {} extra in all over the path",
                p.target,
                fy(p, p.by),
                money(last.required_lcu, cur),
                last.required_usd
                    .map(|u| money(u, "US$"))
                    .unwrap_or_else(|| "no US$ rate".into()),
                money(last.extra_lcu, cur),
                p.base_share,
                money(p.cumulative_extra_lcu, cur)
            ));
        }
        lines.push(s);
        if p.denominator == Denominator::FixedGdp
            && let Some(g) = p.fixed_gdp_lcu
        {
            lines.push(format!(
                "  denominator: FY2022 GDP {} (Ministry of Defense, fixed), so {}% = {}",
                money(g, cur),
                p.target,
                money(p.target / 100.0 * g, cur)
            ));
        }
    }
    if let Some(x) = paths.iter().find_map(|p| p.extrapolation.clone()) {
        lines.push(format!(
            "GDP after {}: nominal growth held at {:.3}% a year ({}{}), flagged extrapolated; the exchange rate of {} held",
            x.from_year,
            x.nominal_growth,
            x.method,
            match (x.real_growth, x.deflator_growth) {
                (Some(r), Some(d)) => format!(": {r:.3}% real x {d:.3}% deflator"),
                _ => String::new(),
            },
            x.from_year
        ));
    }
    if let Some(p) = paths.iter().find(|p| p.gdp_source.is_some()) {
        lines.push(format!(
            "GDP and US$ rates: {} ({}); rate = GDP in local currency / GDP in US${}",
            p.gdp_source.as_deref().unwrap_or(""),
            p.gdp_vintage.as_deref().unwrap_or(""),
            if paths.iter().any(|p| p.denominator == Denominator::FixedGdp) {
                "; fiscal years use 3/4 of the calendar year's rate and 1/4 of the next"
            } else {
                ""
            }
        ));
    }
    lines.extend(skipped.iter().cloned());
    let country = paths.first().map(|p| p.country.as_str()).unwrap_or("");
    // Spending programmes only (host-nation-support agreements are in `fairshare hns`).
    for plan in ds
        .commitments()
        .plans_of(country)
        .filter(|p| p.measure == fairshare_dataset::Measure::MilexLcu)
    {
        let currency = paths.first().map(|p| p.currency.as_str()).unwrap_or("");
        lines.push(format!(
            "plan {}: {} {} over FY{}-FY{} ({} a year on average; {}), source {}",
            plan.id,
            plan.name,
            money(plan.amount, currency),
            plan.from_year,
            plan.to_year,
            money(plan.amount / f64::from(plan.years()), currency),
            plan.definition,
            plan.source
        ));
    }
    let mut ids: Vec<&str> = paths.iter().map(|p| p.base_source.as_str()).collect();
    ids.extend(paths.iter().filter_map(|p| p.gdp_source.as_deref()));
    if let Some(t) = &rule.registered {
        ids.push(&t.source);
    }
    lines.extend(source_footer(ds, &ids));
    lines.extend(flags_footer(paths.iter().flat_map(|p| {
        p.years
            .iter()
            .map(|y| y.flags.union(y.usd_flags).union(p.base_flags))
    })));
    lines.push("Values are rounded for reading; --format csv or json give full precision.".into());
    lines
}
