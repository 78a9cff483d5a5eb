//! What a run returns: serde types whose JSON is the `scenario run --format json` contract.
//!
//! ```json
//! {"scenario": "...", "seed": 20240222, "paths": 10000, ..., "records": [
//!   {"branch": "combined", "country": "JPN", "measure": "milex_lcu", "year": 2030,
//!    "year_basis": "calendar", "unit": "lcu", "value": 1.2e13, "mean": 1.2e13,
//!    "q05": ..., "q25": ..., "q50": ..., "q75": ..., "q95": ...,
//!    "p_target_met": {"3.5pct": 0.0, "nato-2pct": 1.0},
//!    "cumulative_extra_lcu": 2.1e13,
//!    "definition": "sipri", "source": "...", "vintage": "...", "flags": ["projection"]}
//! ]}
//! ```
//!
//! No timestamps or run times: the same seed gives the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One run's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub scenario: String,
    pub seed: u64,
    pub paths: usize,
    /// The definition the shares are read in.
    pub definition: String,
    pub base_year: i32,
    /// First and last projected year.
    pub horizon: [i32; 2],
    /// The branches with their probabilities (one, `combined`, without declared branches).
    pub branches: Vec<BranchSummary>,
    pub targets: Vec<TargetSummary>,
    /// How often each event happened, per branch and in the mixture.
    pub events: Vec<EventSummary>,
    /// Method notes the output must carry (cost baseline, shock sizes, fixed-amount targets).
    pub notes: Vec<String>,
    /// One record per branch (then `combined`), country, measure and year, in that order.
    pub records: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BranchSummary {
    pub name: String,
    pub probability: f64,
    /// Where the probability comes from (given, remainder, polls with method).
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetSummary {
    pub id: String,
    /// `share_of_gdp` or `amount_lcu`.
    pub kind: String,
    pub value: f64,
    /// `pct_gdp` or `lcu`.
    pub unit: String,
    pub countries: Vec<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSummary {
    /// The branch these counts are for, or `combined`.
    pub branch: String,
    pub id: String,
    /// `demand_share`, `demand_hns` or `withdrawal`.
    pub kind: String,
    pub country: String,
    pub year: i32,
    /// The probability the file gives (conditional on its branch).
    pub probability: f64,
    /// Share of this branch's paths on which it happened.
    pub occurred: f64,
    pub note: Option<String>,
}

/// Quantiles of one measure for one branch, country and year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub branch: String,
    pub country: String,
    /// See [`crate::Measure`].
    pub measure: String,
    pub year: i32,
    pub year_basis: String,
    pub unit: String,
    /// The median (= `q50`), so a record reads like a data record.
    pub value: f64,
    /// Mean over the branch's paths.
    pub mean: f64,
    pub q05: f64,
    pub q25: f64,
    pub q50: f64,
    pub q75: f64,
    pub q95: f64,
    /// Probability that the country meets each target in this year, keyed by target id
    /// (the same object on every measure's record of the branch, country and year).
    pub p_target_met: BTreeMap<String, f64>,
    /// Mean over paths of the extra spending over the cost baseline, summed from the
    /// first horizon year to this one, local currency.
    pub cumulative_extra_lcu: f64,
    pub definition: String,
    pub source: String,
    pub vintage: String,
    pub flags: Vec<String>,
}
