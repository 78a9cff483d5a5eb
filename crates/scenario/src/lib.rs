//! # fairshare-scenario
//!
//! "What if" projections of allies' defence spending with Monte Carlo uncertainty: the
//! scenario language (TOML, documented in `scenarios/README.md`), the seeded parallel
//! engine, and exact type-7 quantiles.
//!
//! Three steps, each pure (no files, no printing):
//!
//! 1. [`parse`] a scenario file's text (the file name is only for messages) into a
//!    [`Scenario`], checking every field; errors name file, line, column and field.
//! 2. [`resolve`] it with the caller's [`Inputs`] — each country's [`Baseline`] from the
//!    dataset, branch probabilities derived from polls, targets from the registry — into
//!    a runnable [`Model`].
//! 3. [`run`] the model over N paths with a seed; the [`Results`] serialise to the JSON of
//!    `fairshare scenario run`. The same seed gives the same bytes on 1 or many threads.
//!
//! Not for: reading the dataset, estimating volatilities or poll probabilities (the
//! caller does that and passes numbers in), drawing charts.
//!
//! ```
//! use fairshare_dataset::{Flag, Flags, YearBasis, registry::builtin_countries};
//! use fairshare_scenario::{Baseline, BaselineYear, Inputs, RunOptions, parse, resolve, run};
//!
//! let text = r#"
//! name = "japan-3.5pct-2035"
//! horizon = [2025, 2035]
//! definition = "sipri"
//! countries = ["JPN"]
//! [policy.JPN]
//! rule = "share_by_year"
//! share = 3.5
//! by = 2035
//! [[targets]]
//! id = "3.5pct"
//! share = 3.5
//! "#;
//! let scenario = parse(text, "japan.toml", &builtin_countries()).unwrap();
//!
//! let years = (2025..=2035)
//!     .map(|year| BaselineYear {
//!         year,
//!         gdp_real_growth: 0.6,
//!         inflation: 2.0,
//!         exchange_rate: 151.5,
//!         flags: Flags::EMPTY.with(Flag::Projection),
//!     })
//!     .collect();
//! let japan = Baseline {
//!     year_basis: YearBasis::Calendar,
//!     base_year: 2024,
//!     gdp_lcu: 609.4e12,
//!     milex_lcu: 609.4e12 * 0.014,
//!     milex_gdp: 1.4,
//!     exchange_rate: 151.5,
//!     hns_lcu: None,
//!     years,
//!     volatility: Some(fairshare_scenario::Volatility {
//!         gdp_real_growth: 1.5,
//!         inflation: 1.0,
//!         exchange_rate: 8.0,
//!         method: "illustrative".into(),
//!     }),
//!     macro_definition: "imf_weo".into(),
//!     source: "example".into(),
//!     vintage: "example".into(),
//!     notes: vec![],
//! };
//! let mut inputs = Inputs::default();
//! inputs.baselines.insert("JPN".into(), japan);
//! let model = resolve(&scenario, &inputs).unwrap();
//! let results = run(&model, &RunOptions { paths: 1000, ..RunOptions::default() }).unwrap();
//! let last = results
//!     .records
//!     .iter()
//!     .find(|r| r.measure == "milex_gdp" && r.year == 2035)
//!     .unwrap();
//! assert_eq!(last.p_target_met["3.5pct"], 1.0);
//! ```

mod baseline;
pub mod builtin;
mod engine;
mod error;
mod model;
mod parse;
pub mod polls;
mod prepare;
pub mod quantile;
mod results;
mod spec;
pub mod stream;
mod summary;

pub use baseline::{
    AllyResponse, Baseline, BaselineYear, Inputs, ResolvedProbability, ResolvedTarget,
    ResponseInput, Volatility,
};
pub use engine::{Measure, RunOptions, run};
pub use error::{RunError, ScenarioError};
pub use model::{Model, resolve};
pub use parse::{COMBINED, MAX_EVENTS, parse};
pub use prepare::{VOLATILITY_WINDOW, prepare, sample_sd};
pub use results::{BranchSummary, EventSummary, Record, Results, TargetSummary};
pub use spec::*;
