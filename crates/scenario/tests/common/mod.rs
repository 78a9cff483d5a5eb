//! Helpers shared by the scenario engine's tests: a synthetic baseline and a one-call run.
#![allow(dead_code)]

use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{Flag, Flags, YearBasis};
use fairshare_scenario::{
    Baseline, BaselineYear, Inputs, Results, RunOptions, Volatility, parse, resolve, run,
};

/// A baseline with constant central rates over `first..=last`.
pub fn baseline(
    base_year: i32,
    last: i32,
    gdp: f64,
    share: f64,
    fx: f64,
    growth: f64,
    inflation: f64,
) -> Baseline {
    Baseline {
        year_basis: YearBasis::Calendar,
        base_year,
        gdp_lcu: gdp,
        milex_lcu: share * gdp / 100.0,
        milex_gdp: share,
        exchange_rate: fx,
        hns_lcu: None,
        years: (base_year + 1..=last)
            .map(|year| BaselineYear {
                year,
                gdp_real_growth: growth,
                inflation,
                exchange_rate: fx,
                flags: Flags::EMPTY.with(if year > 2030 {
                    Flag::Extrapolated
                } else {
                    Flag::Projection
                }),
            })
            .collect(),
        volatility: Some(Volatility {
            gdp_real_growth: 1.5,
            inflation: 1.0,
            exchange_rate: 8.0,
            method: "test volatility".to_string(),
        }),
        macro_definition: "imf_weo".to_string(),
        source: "test-source".to_string(),
        vintage: "test vintage".to_string(),
        notes: vec![],
    }
}

/// Japan-like numbers used across tests (the bench's synthetic baseline).
pub fn japan(last: i32) -> Baseline {
    baseline(2024, last, 609.4e12, 1.4, 151.5, 0.6, 2.0)
}

pub fn inputs_with(code: &str, b: Baseline) -> Inputs {
    let mut inputs = Inputs::default();
    inputs.baselines.insert(code.to_string(), b);
    inputs
}

/// Parse, resolve and run.
pub fn run_text(text: &str, inputs: &Inputs, paths: usize, seed: u64) -> Results {
    let scenario = parse(text, "test.toml", &builtin_countries()).expect("scenario parses");
    let model = resolve(&scenario, inputs).expect("scenario resolves");
    run(
        &model,
        &RunOptions {
            paths,
            seed,
            progress: None,
        },
    )
    .expect("scenario runs")
}

/// The record of one branch, country, measure and year.
pub fn record<'a>(
    results: &'a Results,
    branch: &str,
    country: &str,
    measure: &str,
    year: i32,
) -> &'a fairshare_scenario::Record {
    results
        .records
        .iter()
        .find(|r| {
            r.branch == branch && r.country == country && r.measure == measure && r.year == year
        })
        .unwrap_or_else(|| panic!("no record {branch} {country} {measure} {year}"))
}
