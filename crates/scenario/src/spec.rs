//! A scenario as the file states it, validated: what to assume, what the ally does,
//! what the US might do and with what probability, and which targets to check.
//!
//! These types come out of [`crate::parse`]. They still say "take this from the IMF WEO
//! baseline" or "derive this probability from the polls": the caller answers those
//! questions with [`crate::Inputs`] and [`crate::resolve`] turns the pair into a runnable
//! [`crate::Model`]. The file format is documented in `scenarios/README.md`.

use std::ops::Range;

use crate::error::{ScenarioError, SourceText};

/// Paths a run draws when neither the file nor the caller says otherwise.
pub const DEFAULT_PATHS: usize = 10_000;

/// The seed a run uses when neither the file nor the caller says otherwise: 22 February
/// 2024, the day of the Diet Budget Committee session where bringing Japan's 2% forward
/// was proposed (The Diplomat, 2024).
pub const DEFAULT_SEED: u64 = 20_240_222;

/// A validated scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short id (`japan-us-demand-3.5pct-2035`).
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// First projected year (inclusive).
    pub first_year: i32,
    /// Last projected year (inclusive).
    pub last_year: i32,
    /// The year the projection starts from: the year before `first_year`.
    pub base_year: i32,
    /// The definition the shares of GDP are read in (`sipri`, `nato`, `national:jp-security`).
    pub definition: String,
    /// One entry per country, in the file's order.
    pub countries: Vec<CountrySpec>,
    /// Path count and seed the file asks for (the caller may override both).
    pub paths: Option<usize>,
    pub seed: Option<u64>,
    /// US posture events that may happen whatever the branch.
    pub events: Vec<Event>,
    /// Election (or other) branches; empty means one world.
    pub branches: Vec<Branch>,
    /// Targets whose attainment is reported per year.
    pub targets: Vec<TargetSpec>,
    pub(crate) source: SourceText,
}

impl Scenario {
    /// The horizon's years, in order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.first_year..=self.last_year
    }

    /// The country codes, in the file's order.
    pub fn country_codes(&self) -> Vec<&str> {
        self.countries.iter().map(|c| c.code.as_str()).collect()
    }

    /// The file name the scenario was parsed from.
    pub fn file(&self) -> &str {
        &self.source.file
    }

    /// The file's text, as parsed (for `scenario show`).
    pub fn text(&self) -> &str {
        &self.source.text
    }

    /// Branches whose probability the caller must derive from polls.
    pub fn poll_branches(&self) -> impl Iterator<Item = (&str, &PollSpec)> {
        self.branches.iter().filter_map(|b| match &b.probability {
            BranchProbability::FromPolls(p) => Some((b.name.as_str(), p)),
            _ => None,
        })
    }

    /// Targets the caller must look up in its targets registry (given by id only).
    pub fn registry_targets(&self) -> impl Iterator<Item = &TargetSpec> {
        self.targets
            .iter()
            .filter(|t| matches!(t.kind, TargetKind::Registry))
    }

    /// Whether any series of any country is taken from the caller's baseline (as
    /// opposed to given in the file).
    pub fn uses_baseline_paths(&self) -> bool {
        self.countries.iter().any(|c| {
            [
                &c.economy.growth,
                &c.economy.inflation,
                &c.economy.exchange_rate,
            ]
            .iter()
            .any(|s| s.path == PathSpec::Baseline)
        })
    }

    pub(crate) fn error_at(
        &self,
        span: &Range<usize>,
        message: impl Into<String>,
    ) -> ScenarioError {
        self.source.error(Some(span.clone()), None, message)
    }

    pub(crate) fn error_unplaced(&self, field: &str, message: impl Into<String>) -> ScenarioError {
        self.source.unplaced(field, message)
    }
}

/// What the file says about one country.
#[derive(Debug, Clone, PartialEq)]
pub struct CountrySpec {
    /// ISO3 code, checked against the caller's country registry.
    pub code: String,
    pub economy: Economy,
    pub policy: Policy,
    pub response: ResponseSpec,
    pub(crate) span: Range<usize>,
}

/// Economic assumptions for one country. Rates are in percent; see [`SeriesSpec`].
#[derive(Debug, Clone, PartialEq)]
pub struct Economy {
    /// Real GDP growth, percent a year.
    pub growth: SeriesSpec,
    /// Inflation (the GDP deflator's, which turns real growth into nominal), percent a year.
    pub inflation: SeriesSpec,
    /// Local currency units per US$, annual average.
    pub exchange_rate: SeriesSpec,
}

/// One assumed series: its central path and its shock.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesSpec {
    pub path: PathSpec,
    pub shock: ShockSpec,
    pub(crate) span: Range<usize>,
}

/// Where a series' central path comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSpec {
    /// From the caller's baseline (`"imf_weo"` in the file: IMF WEO projections to 2030,
    /// held at the 2030 rate afterwards and flagged `extrapolated`).
    Baseline,
    /// Hold the base-year value (exchange rate only).
    Hold,
    /// Given in the file: one value per horizon year (steps held until the next given year).
    Given(Vec<f64>),
}

/// The stochastic shock added to a series each year.
///
/// For growth and inflation the shock is in percentage points of the annual rate; for
/// the exchange rate it is in percent (log points × 100) of the annual change, so the
/// exchange rate follows a random walk around its central path.
#[derive(Debug, Clone, PartialEq)]
pub struct ShockSpec {
    /// Standard deviation of one year's shock; `None` = the country's historical
    /// volatility as the caller's baseline states it.
    pub sd: Option<f64>,
    pub distribution: Distribution,
    /// AR(1) persistence ρ of the shock, in (-1, 1). The innovation is scaled by
    /// √(1-ρ²) so each year's shock keeps standard deviation `sd`.
    pub ar1: f64,
}

impl Default for ShockSpec {
    fn default() -> Self {
        ShockSpec {
            sd: None,
            distribution: Distribution::Normal,
            ar1: 0.0,
        }
    }
}

/// The distribution of a shock's innovations, scaled to unit variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Distribution {
    Normal,
    /// Student's t with `df` > 2 degrees of freedom, scaled by √((df-2)/df).
    StudentT {
        df: f64,
    },
}

/// The ally's own spending policy (before any response to the US).
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    /// Keep the base-year share of GDP (the default, and the cost baseline).
    HoldShare,
    /// Move from the base-year share to `share` percent of GDP by `by`, then hold it.
    ShareByYear {
        share: f64,
        by: i32,
        shape: RampShape,
    },
    /// Grow spending in local currency by a fixed nominal rate, percent a year.
    NominalGrowth { rate: f64 },
    /// Explicit budget figures in local currency, one per year from the first horizon
    /// year; after the last one, `after` applies.
    Budget {
        amounts: Vec<(i32, f64)>,
        after: AfterBudget,
    },
}

/// How a share-of-GDP path moves from the base share to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RampShape {
    /// Equal steps in percentage points.
    Linear,
    /// The same proportional increase every year.
    ConstantGrowth,
}

/// What spending does after the last explicit budget year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterBudget {
    /// Keep the share of GDP the last budget year reached on each path.
    HoldShare,
    /// Keep the last budget's amount in local currency.
    HoldAmount,
}

/// How the ally's spending responds to US posture events.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResponseSpec {
    /// Policy only: events are recorded but do not move spending.
    None,
    /// Spending = policy × (demand / policy)^elasticity, where demand is what US posture
    /// asks for that year. 0 = ignore the US; 1 = do exactly what is asked. A placeholder
    /// the user sets until the fitted demand model plugs in.
    Elasticity(f64),
}

/// A US posture event that happens on a path with a probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub kind: EventKind,
    /// The ally the event concerns (the host, for a withdrawal).
    pub country: String,
    /// The year it is made or takes effect; it applies from this year on.
    pub year: i32,
    /// Probability it happens on a path, drawn once per path.
    pub probability: f64,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The US asks for `share` percent of GDP by `by` (a linear path from the base share).
    DemandShare { share: f64, by: i32 },
    /// The US asks for `amount_usd` a year of host-nation support; `current_lcu` is what
    /// the ally pays now (or the caller's baseline figure when absent).
    DemandHns {
        amount_usd: f64,
        current_lcu: Option<f64>,
    },
    /// The US withdraws `fraction` of its forces; replacing what they provided costs
    /// `replacement` a year in full.
    Withdrawal {
        fraction: f64,
        replacement: Replacement,
    },
}

impl EventKind {
    pub fn id(&self) -> &'static str {
        match self {
            EventKind::DemandShare { .. } => "demand_share",
            EventKind::DemandHns { .. } => "demand_hns",
            EventKind::Withdrawal { .. } => "withdrawal",
        }
    }
}

/// The yearly cost of replacing what withdrawn US forces provided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Replacement {
    /// US$ a year (converted at each path's exchange rate).
    Usd(f64),
    /// Percent of the ally's GDP.
    PctGdp(f64),
}

/// A named branch (an election outcome), with its probability and its own events.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub name: String,
    pub description: Option<String>,
    pub probability: BranchProbability,
    pub events: Vec<Event>,
    pub(crate) span: Range<usize>,
}

/// Where a branch's probability comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum BranchProbability {
    Given(f64),
    /// One minus the others (at most one branch).
    Remainder,
    /// Derived by the caller from polls; see [`PollSpec`].
    FromPolls(PollSpec),
}

/// How to derive a branch's probability from national head-to-head polls.
///
/// The caller (phase 2: `../shared/data/raw/polls_538/`) takes polls whose end date falls
/// in `window`, one question per poll, averages the margin `candidate - opponent` (simply
/// or weighted by sample size), and sets P = Φ(margin / σ) with σ a cited historical
/// national polling error. It is a national margin, not the electoral college.
#[derive(Debug, Clone, PartialEq)]
pub struct PollSpec {
    /// First and last poll end date, `YYYY-MM-DD`, inclusive.
    pub window: (String, String),
    pub weighting: PollWeighting,
    /// The candidate whose win this branch is.
    pub candidate: String,
    pub opponent: String,
    /// Override of the polling-error σ in percentage points (default: the caller's cited constant).
    pub polling_error_pp: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollWeighting {
    Simple,
    /// Weighted by sample size.
    Sample,
}

/// A target whose attainment is reported as `p_target_met` per year.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSpec {
    pub id: String,
    pub kind: TargetKind,
    /// The country it applies to; `None` = every country (share targets only).
    pub country: Option<String>,
    pub note: Option<String>,
    pub(crate) span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetKind {
    /// At least this share of GDP, percent.
    Share(f64),
    /// At least this amount in local currency (a national target fixed in money, such as
    /// Japan's 2% of FY2022 GDP).
    AmountLcu(f64),
    /// Given by id only: the caller looks it up in its targets registry.
    Registry,
}
