//! The Monte Carlo engine: run a [`Model`] over N seeded paths in parallel, then reduce
//! the paths to yearly quantiles, target probabilities and cumulative costs.
//!
//! One path, one year, one country:
//!
//! ```text
//! g  = central growth    + shock      (percentage points)
//! π  = central inflation + shock
//! Y  = Y_prev × (1 + g/100) × (1 + π/100)            nominal GDP, local currency
//! X  = central exchange rate × exp(E),  E = E_prev + shock/100
//! policy spending: share s → s × Y / 100;  amount → as given
//! response to US posture (per branch): policy × (demand / policy)^elasticity
//! extra = spending − base share × Y / 100             over the cost baseline
//! ```
//!
//! Shocks: e₁ = sd·z₁, eₜ = ρ·eₜ₋₁ + sd·√(1−ρ²)·zₜ, z standard normal (ziggurat) or
//! Student-t scaled to unit variance, independent across series and countries.
//!
//! Determinism: path i draws only from its own streams ([`crate::stream`]); paths are
//! simulated in blocks written to fixed places; every floating-point sum (means) adds
//! the stored values in a fixed grouping (four lanes per block, blocks and chunks in path
//! order); quantiles are exact order statistics; counts are integers. So the same seed
//! gives the same bytes whatever the thread count.
//!
//! Memory: paths are simulated a chunk at a time (16,384 paths) into a buffer each worker
//! reuses, holding only what cannot be recomputed — GDP and the exchange rate per country
//! (shared by all branches: common random numbers), and spending only where events or a
//! held share make it path-dependent — and counted at once ([`crate::summary`]). What
//! grows with the number of paths is only the values kept near the wanted quantiles
//! (about 8% of them): about 120 MB for 1,000,000 paths × 11 years and one country.

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

use crate::ResponseInput;
use crate::error::RunError;
use crate::model::{EventEffect, Model, PolicyYear, Response, SeriesModel};
use crate::results::Results;
use crate::spec::{DEFAULT_PATHS, DEFAULT_SEED, Replacement};
use crate::stream::{PathRng, Purpose, path_rng};
use fairshare_dataset::Unit;

/// Paths simulated together and stored contiguously (year-major within a block).
pub(crate) const BLOCK: usize = 1024;
/// Refuse runs that would need more memory than this.
const MEMORY_LIMIT: u64 = 12 << 30;
/// A target counts as met within one part in a billion (a share rule that reaches 3.5%
/// exactly computes 3.4999999999999996% after dividing by GDP).
pub(crate) const TARGET_TOLERANCE: f64 = 1e-9;

/// How many paths, which seed, and whom to tell about progress.
#[derive(Clone, Copy)]
pub struct RunOptions<'a> {
    pub paths: usize,
    pub seed: u64,
    /// Called with the number of paths just simulated (from any thread, in any order;
    /// each chunk is counted right after); the calls sum to `paths`. A short pilot comes
    /// before the first call and the quantiles after the last. The engine never prints.
    pub progress: Option<&'a (dyn Fn(usize) + Sync)>,
}

impl Default for RunOptions<'_> {
    fn default() -> Self {
        RunOptions {
            paths: DEFAULT_PATHS,
            seed: DEFAULT_SEED,
            progress: None,
        }
    }
}

/// What the records report, in the order they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Nominal GDP, local currency.
    GdpLcu,
    /// Local currency per US$.
    ExchangeRate,
    /// Defence spending, local currency.
    MilexLcu,
    /// Defence spending, current US$ at the path's exchange rate.
    MilexUsdCurrent,
    /// Defence spending, percent of GDP.
    MilexGdp,
    /// Spending over the cost baseline (base-year share held), local currency.
    MilexExtraLcu,
    /// The same in current US$.
    MilexExtraUsd,
    /// Extra spending summed from the first horizon year, local currency.
    MilexExtraCumulativeLcu,
}

impl Measure {
    pub const ALL: [Measure; 8] = [
        Measure::GdpLcu,
        Measure::ExchangeRate,
        Measure::MilexLcu,
        Measure::MilexUsdCurrent,
        Measure::MilexGdp,
        Measure::MilexExtraLcu,
        Measure::MilexExtraUsd,
        Measure::MilexExtraCumulativeLcu,
    ];

    /// The id in records; the dataset's measure names where one exists.
    pub fn id(self) -> &'static str {
        match self {
            Measure::GdpLcu => "gdp_lcu",
            Measure::ExchangeRate => "exchange_rate",
            Measure::MilexLcu => "milex_lcu",
            Measure::MilexUsdCurrent => "milex_usd_current",
            Measure::MilexGdp => "milex_gdp",
            Measure::MilexExtraLcu => "milex_extra_lcu",
            Measure::MilexExtraUsd => "milex_extra_usd",
            Measure::MilexExtraCumulativeLcu => "milex_extra_cumulative_lcu",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Measure::GdpLcu
            | Measure::MilexLcu
            | Measure::MilexExtraLcu
            | Measure::MilexExtraCumulativeLcu => Unit::Lcu,
            Measure::ExchangeRate => Unit::LcuPerUsd,
            Measure::MilexUsdCurrent | Measure::MilexExtraUsd => Unit::UsdCurrent,
            Measure::MilexGdp => Unit::PctGdp,
        }
    }

    /// GDP and the exchange rate do not depend on the branch.
    pub(crate) fn is_economy(self) -> bool {
        matches!(self, Measure::GdpLcu | Measure::ExchangeRate)
    }
}

/// Run a model. See the module documentation for the path equations and
/// `scenarios/README.md` for what the results mean.
pub fn run(model: &Model, options: &RunOptions<'_>) -> Result<Results, RunError> {
    let n = options.paths;
    if n == 0 {
        return Err(RunError::NoPaths(n));
    }
    let bytes = Layout::new(model, n).bytes(rayon::current_num_threads());
    if bytes > MEMORY_LIMIT {
        return Err(RunError::TooLarge {
            paths: n,
            gib: bytes as f64 / (1u64 << 30) as f64,
            limit_gib: (MEMORY_LIMIT >> 30) as f64,
        });
    }
    crate::summary::summarise(model, options, crate::summary::SORT_ALL_BELOW, true)
}

/// Where each per-path value lives: block k holds paths k·BLOCK.., and within a block
/// the value of state s in year t for lane j is at `(s·years + t)·BLOCK + j`.
///
/// States: GDP and the exchange rate per country; spending per branch and country only
/// where it cannot be recomputed from that year's GDP (events can move it, or the policy
/// holds a share reached on the path).
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub paths: usize,
    pub years: usize,
    pub countries: usize,
    pub branches: usize,
    /// Per `b·countries + c`: the state holding that spending, if stored.
    pub spending_state: Vec<Option<usize>>,
    /// Per `b·countries + c`: the events that can move that spending.
    pub effects: Vec<Vec<usize>>,
    pub states: usize,
}

impl Layout {
    pub fn new(model: &Model, paths: usize) -> Layout {
        let countries = model.countries.len();
        let branches = model.branches.len();
        let mut spending_state = Vec::new();
        let mut effects = Vec::new();
        let mut states = 2 * countries;
        for branch in &model.branches {
            for (c, country) in model.countries.iter().enumerate() {
                let active: Vec<usize> = branch
                    .events
                    .iter()
                    .copied()
                    .filter(|&e| model.events[e].country == c)
                    .collect();
                let stateless = country.policy.iter().all(|p| p.is_stateless());
                if active.is_empty() && stateless {
                    spending_state.push(None);
                } else {
                    spending_state.push(Some(states));
                    states += 1;
                }
                effects.push(active);
            }
        }
        Layout {
            paths,
            years: model.years.len(),
            countries,
            branches,
            spending_state,
            effects,
            states,
        }
    }

    /// Bytes a run holds at once, roughly: per worker a chunk of simulated paths and its
    /// counters, and the values kept near the wanted ranks (about 8% of the values, at
    /// 16 bytes each).
    pub fn bytes(&self, workers: usize) -> u64 {
        let cells = (2 + 6 * (self.branches + usize::from(self.branches > 1))) as u64;
        let groups = (self.years * self.countries) as u64;
        let chunk = (crate::summary::CHUNK_BLOCKS * self.block_len() * 8) as u64;
        let counters = groups * cells * crate::summary::COUNTER_BYTES as u64;
        let kept = self.paths as u64 * groups * cells * 16 * 8 / 100;
        workers as u64 * (chunk + counters) + kept
    }

    pub fn block_len(&self) -> usize {
        self.states * self.years * BLOCK
    }
    pub fn blocks(&self) -> usize {
        self.paths.div_ceil(BLOCK)
    }
    pub fn live(&self, k: usize) -> usize {
        BLOCK.min(self.paths - k * BLOCK)
    }
    pub fn gdp(&self, c: usize) -> usize {
        c
    }
    pub fn fx(&self, c: usize) -> usize {
        self.countries + c
    }
    /// Offset of lane `j` of state `s` in year `t`, within a block.
    pub fn at(&self, s: usize, t: usize, j: usize) -> usize {
        (s * self.years + t) * BLOCK + j
    }
}

/// One chunk of consecutive blocks of simulated paths: what the summaries read. Each
/// worker keeps one and refills it chunk after chunk, so a run's memory does not grow
/// with the number of paths.
pub(crate) struct Store {
    /// Global index of the chunk's first block.
    pub first_block: usize,
    pub blocks: usize,
    pub states: Vec<f64>,
    /// Branch each path falls in (for the mixture).
    pub branch_of: Vec<u8>,
    /// Bit e set when event e happened on the path.
    pub occurred: Vec<u64>,
}

impl Store {
    pub fn new() -> Store {
        Store {
            first_block: 0,
            blocks: 0,
            states: Vec::new(),
            branch_of: Vec::new(),
            occurred: Vec::new(),
        }
    }

    /// Simulate `blocks` blocks from global block `first_block` into this store.
    pub fn simulate(&mut self, simulator: &Simulator<'_>, first_block: usize, blocks: usize) {
        let layout = simulator.layout;
        let block_len = layout.block_len();
        self.first_block = first_block;
        self.blocks = blocks;
        self.states.resize(blocks * block_len, 0.0);
        self.branch_of.clear();
        self.branch_of.resize(blocks * BLOCK, 0);
        self.occurred.clear();
        self.occurred.resize(blocks * BLOCK, 0);
        for i in 0..blocks {
            simulator.block(
                first_block + i,
                &mut self.states[i * block_len..(i + 1) * block_len],
                &mut self.branch_of[i * BLOCK..(i + 1) * BLOCK],
                &mut self.occurred[i * BLOCK..(i + 1) * BLOCK],
            );
        }
    }

    /// The store's blocks, by global index.
    pub fn block_indices(&self) -> std::ops::Range<usize> {
        self.first_block..self.first_block + self.blocks
    }

    /// State `s` in year `t` for the live lanes of global block `k`.
    pub fn lanes<'s>(&'s self, layout: &Layout, k: usize, s: usize, t: usize) -> &'s [f64] {
        let start = (k - self.first_block) * layout.block_len() + layout.at(s, t, 0);
        &self.states[start..start + layout.live(k)]
    }

    /// The branch each live lane of global block `k` drew.
    pub fn branches_drawn(&self, layout: &Layout, k: usize) -> &[u8] {
        let start = (k - self.first_block) * BLOCK;
        &self.branch_of[start..start + layout.live(k)]
    }

    /// The events that happened on each live lane of global block `k`.
    pub fn events_happened(&self, layout: &Layout, k: usize) -> &[u64] {
        let start = (k - self.first_block) * BLOCK;
        &self.occurred[start..start + layout.live(k)]
    }
}

/// What the ally's own policy spends this year on a path.
#[inline(always)]
pub(crate) fn policy_spending(policy: PolicyYear, gdp: f64, last_share: f64) -> f64 {
    match policy {
        PolicyYear::Share(s) => s * gdp / 100.0,
        PolicyYear::Amount(a) => a,
        PolicyYear::HoldLastShare => last_share * gdp / 100.0,
    }
}

/// The per-path state of one country's economy.
#[derive(Clone, Copy, Default)]
struct EconomyState {
    growth_shock: f64,
    inflation_shock: f64,
    fx_shock: f64,
    /// Cumulative log deviation of the exchange rate from its central path.
    fx_log: f64,
    gdp: f64,
    fx: f64,
    /// The share of GDP the policy reached last year (for the rule that holds it).
    last_share: f64,
    policy: f64,
}

/// What every block of paths shares.
pub(crate) struct Simulator<'a> {
    model: &'a Model,
    pub layout: &'a Layout,
    seed: u64,
    /// Running sums of the branch probabilities, for drawing a path's branch.
    cumulative_probability: Vec<f64>,
    draws_events: bool,
    /// (branch, country, state) of each stored spending.
    stored: Vec<(usize, usize, usize)>,
}

impl<'a> Simulator<'a> {
    pub fn new(model: &'a Model, layout: &'a Layout, seed: u64) -> Self {
        let (branches, countries) = (layout.branches, layout.countries);
        Simulator {
            model,
            layout,
            seed,
            cumulative_probability: model
                .branches
                .iter()
                .scan(0.0, |acc, b| {
                    *acc += b.probability;
                    Some(*acc)
                })
                .collect(),
            draws_events: branches > 1 || !model.events.is_empty(),
            stored: (0..branches)
                .flat_map(|b| (0..countries).map(move |c| (b, c)))
                .filter_map(|(b, c)| layout.spending_state[b * countries + c].map(|s| (b, c, s)))
                .collect(),
        }
    }

    /// Simulate the live paths of block `k`; returns how many there were.
    #[inline(never)] // one call per block; keeps the hot loop visible in profiles
    pub fn block(
        &self,
        k: usize,
        states: &mut [f64],
        branch_of: &mut [u8],
        occurred: &mut [u64],
    ) -> usize {
        let (model, layout, seed) = (self.model, self.layout, self.seed);
        let (years, countries, branches) = (layout.years, layout.countries, layout.branches);
        let (cumulative_probability, draws_events, stored) = (
            &self.cumulative_probability,
            self.draws_events,
            &self.stored,
        );
        let live = layout.live(k);
        let mut economy = vec![EconomyState::default(); countries];
        for j in 0..live {
            let path = (k * BLOCK + j) as u64;
            if draws_events {
                let mut rng = path_rng(seed, path, Purpose::Events);
                if branches > 1 {
                    let u: f64 = rng.random();
                    branch_of[j] = cumulative_probability
                        .iter()
                        .position(|&c| u < c)
                        .unwrap_or(branches - 1) as u8;
                }
                let mut bits = 0u64;
                for (e, event) in model.events.iter().enumerate() {
                    let u: f64 = rng.random();
                    if u < event.probability {
                        bits |= 1 << e;
                    }
                }
                occurred[j] = bits;
            }
            let bits = occurred[j];
            let mut rng = path_rng(seed, path, Purpose::Economy);
            for (state, cm) in economy.iter_mut().zip(&model.countries) {
                *state = EconomyState {
                    gdp: cm.base_gdp,
                    last_share: cm.base_share,
                    ..EconomyState::default()
                };
            }
            for t in 0..years {
                let first = t == 0;
                for (c, (cm, e)) in model.countries.iter().zip(economy.iter_mut()).enumerate() {
                    let g = cm.growth.central[t]
                        + shock(&cm.growth, &mut e.growth_shock, first, &mut rng);
                    let pi = cm.inflation.central[t]
                        + shock(&cm.inflation, &mut e.inflation_shock, first, &mut rng);
                    e.gdp = e.gdp * (1.0 + g / 100.0) * (1.0 + pi / 100.0);
                    let fx_central = cm.exchange_rate.central[t];
                    e.fx = if cm.exchange_rate.sd == 0.0 {
                        fx_central
                    } else {
                        e.fx_log +=
                            shock(&cm.exchange_rate, &mut e.fx_shock, first, &mut rng) / 100.0;
                        fx_central * e.fx_log.exp()
                    };
                    let policy = cm.policy[t];
                    e.policy = policy_spending(policy, e.gdp, e.last_share);
                    match policy {
                        PolicyYear::Share(s) => e.last_share = s,
                        PolicyYear::Amount(a) => e.last_share = a / e.gdp * 100.0,
                        PolicyYear::HoldLastShare => {}
                    }
                    states[layout.at(layout.gdp(c), t, j)] = e.gdp;
                    states[layout.at(layout.fx(c), t, j)] = e.fx;
                }
                for &(b, c, s) in stored {
                    let active = &layout.effects[b * countries + c];
                    let e = &economy[c];
                    let spending = if active.is_empty() {
                        e.policy
                    } else {
                        respond(model, active, bits, t, c, e)
                    };
                    states[layout.at(s, t, j)] = spending;
                }
            }
        }
        live
    }
}

/// One year's shock to a series, updating its AR(1) state.
#[inline(always)]
fn shock(series: &SeriesModel, state: &mut f64, first: bool, rng: &mut PathRng) -> f64 {
    if series.sd == 0.0 {
        return 0.0;
    }
    let z: f64 = match &series.student_t {
        None => StandardNormal.sample(rng),
        Some((t, scale)) => t.sample(rng) * scale,
    };
    *state = if first {
        series.sd * z
    } else {
        series.rho * *state + series.innovation_sd * z
    };
    *state
}

/// Spending after the ally responds to the US posture events that happened on this path.
fn respond(
    model: &Model,
    active: &[usize],
    bits: u64,
    t: usize,
    c: usize,
    e: &EconomyState,
) -> f64 {
    let mut demanded_share: f64 = 0.0;
    let mut extra = 0.0;
    for &i in active {
        let event = &model.events[i];
        if bits & (1 << i) == 0 || t < event.start {
            continue;
        }
        match &event.effect {
            EventEffect::DemandShare(path) => demanded_share = demanded_share.max(path[t]),
            EventEffect::Hns {
                amount_usd,
                current_lcu,
            } => extra += (amount_usd * e.fx - current_lcu).max(0.0),
            EventEffect::Withdrawal {
                fraction,
                replacement,
            } => {
                extra += fraction
                    * match replacement {
                        Replacement::Usd(usd) => usd * e.fx,
                        Replacement::PctGdp(pct) => pct * e.gdp / 100.0,
                    }
            }
        }
    }
    let policy = e.policy;
    let demand = policy.max(demanded_share * e.gdp / 100.0) + extra;
    match &model.countries[c].response {
        Response::None => policy,
        _ if demand == policy => policy,
        Response::Elasticity(x) if *x == 0.0 => policy,
        Response::Elasticity(x) if *x == 1.0 => demand,
        Response::Elasticity(x) => policy * (demand / policy).powf(*x),
        Response::Model(m) => m.respond(&ResponseInput {
            year: model.years[t],
            policy_lcu: policy,
            demand_lcu: demand,
            gdp_lcu: e.gdp,
            exchange_rate: e.fx,
        }),
    }
}
