//! What the caller supplies to make a scenario runnable: each country's baseline (the
//! dataset's numbers), branch probabilities it derived from polls, targets it looked up
//! in its registry, and optionally a fitted ally-response model.
//!
//! The engine never reads files or the dataset itself. Phase 2 (the CLI) fills these from
//! the committed dataset:
//!
//! - base-year GDP, defence spending (LCU and % of GDP, in the scenario's definition) and
//!   exchange rate;
//! - per horizon year, real GDP growth, inflation and the exchange rate from the IMF WEO
//!   (flag `projection`), with the years after the WEO's last (2030) held at its last
//!   rates and flagged `extrapolated`. The inflation that turns real into nominal growth
//!   is the GDP deflator's: derive it as (NGDP_t / NGDP_t−1) / (1 + g_t) − 1 from the
//!   WEO's nominal GDP and real growth, so the central path reproduces the WEO's nominal
//!   GDP; the WEO's CPI inflation is only a proxy for it;
//! - the historical volatility that sizes the default shocks: the sample standard
//!   deviation (n − 1) of the country's annual real GDP growth, of its annual inflation, and
//!   of 100 × the annual change in the log exchange rate, over outturn years (no
//!   projections) in a stated window such as 2000–2024, from the IMF WEO (growth,
//!   inflation) and the World Bank (exchange rate). The window and method travel in
//!   [`Volatility::method`] into the results' notes.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use fairshare_dataset::{Flags, YearBasis};

use crate::spec::TargetKind;

/// Everything the caller resolves for one run.
#[derive(Clone, Default)]
pub struct Inputs {
    /// One baseline per scenario country, keyed by ISO3 code.
    pub baselines: BTreeMap<String, Baseline>,
    /// Probabilities of the branches that say `from_polls`, keyed by branch name.
    pub branch_probabilities: BTreeMap<String, ResolvedProbability>,
    /// Targets the scenario names by id only, keyed by id in lower case.
    pub targets: BTreeMap<String, ResolvedTarget>,
    /// Fitted ally-response models, keyed by country; one replaces the file's rule.
    pub responses: BTreeMap<String, Arc<dyn AllyResponse>>,
}

impl fmt::Debug for Inputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inputs")
            .field("baselines", &self.baselines)
            .field("branch_probabilities", &self.branch_probabilities)
            .field("targets", &self.targets)
            .field("responses", &self.responses.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// One country's starting point and central paths.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// The kind of year the figures are for (`calendar` for SIPRI; `fy_apr` for Japan's
    /// national accounting).
    pub year_basis: YearBasis,
    /// Must equal the scenario's base year.
    pub base_year: i32,
    /// Nominal GDP in the base year, local currency.
    pub gdp_lcu: f64,
    /// Defence spending in the base year, local currency, in the scenario's definition.
    pub milex_lcu: f64,
    /// Defence spending in the base year, percent of GDP, in the scenario's definition.
    /// Share rules start from it and the cost baseline holds it.
    pub milex_gdp: f64,
    /// Local currency per US$ in the base year.
    pub exchange_rate: f64,
    /// Host-nation support paid now, local currency a year (for `demand_hns` events
    /// that do not state it).
    pub hns_lcu: Option<f64>,
    /// One entry per horizon year, in order (needed when a series says `"imf_weo"`).
    pub years: Vec<BaselineYear>,
    /// Historical volatility (needed when a shock gives no `sd`).
    pub volatility: Option<Volatility>,
    /// Definition of the macro series (`imf_weo`), carried into GDP and exchange-rate records.
    pub macro_definition: String,
    /// Source ids and vintages of the baseline's numbers, carried into every record
    /// (e.g. `sipri-milex-2025; imf-weo-2025-04`, `SIPRI 2025; IMF WEO April 2025`).
    pub source: String,
    pub vintage: String,
    /// Anything the results should say about this baseline.
    pub notes: Vec<String>,
}

/// The central path for one horizon year.
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineYear {
    pub year: i32,
    /// Real GDP growth, percent.
    pub gdp_real_growth: f64,
    /// Inflation that turns real into nominal growth, percent.
    pub inflation: f64,
    /// Local currency per US$.
    pub exchange_rate: f64,
    /// `projection`, `extrapolated`: carried into the records of that year.
    pub flags: Flags,
}

/// Standard deviations of one year's shock, used when the file gives no `sd`.
#[derive(Debug, Clone, PartialEq)]
pub struct Volatility {
    /// Percentage points of real growth.
    pub gdp_real_growth: f64,
    /// Percentage points of inflation.
    pub inflation: f64,
    /// Percent (log points × 100) of the annual exchange-rate change.
    pub exchange_rate: f64,
    /// How they were estimated, in words (window, series, estimator).
    pub method: String,
}

/// A branch probability the caller derived, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedProbability {
    pub probability: f64,
    /// For the results' notes: polls used, mean margin, σ and its citation.
    pub method: String,
}

/// A target the caller looked up by id.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedTarget {
    /// [`TargetKind::Share`] or [`TargetKind::AmountLcu`].
    pub kind: TargetKind,
    /// The country an amount is in (required for amounts).
    pub country: Option<String>,
    /// Where it comes from, for the results.
    pub note: String,
}

/// What an ally-response model sees each year on each path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResponseInput {
    pub year: i32,
    /// What the ally's own policy would spend, local currency.
    pub policy_lcu: f64,
    /// What US posture asks for this year (policy plus the gaps events open), local currency.
    pub demand_lcu: f64,
    pub gdp_lcu: f64,
    pub exchange_rate: f64,
}

/// An ally's spending response to US posture: the slot where the fitted demand model of
/// the models work plugs in (phase 2 passes it through [`Inputs::responses`]).
pub trait AllyResponse: Send + Sync {
    /// Spending in local currency this year.
    fn respond(&self, input: &ResponseInput) -> f64;
    /// One line for the results' notes.
    fn describe(&self) -> String;
}
