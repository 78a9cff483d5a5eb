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
//! simulated in blocks written to fixed places; every floating-point reduction (means)
//! runs over the stored values in path order on one thread; quantiles are exact order
//! statistics; counts are integers. So the same seed gives the same bytes whatever the
//! thread count.
//!
//! Memory: per path and year only what the measures derive from is kept, as f64 — GDP
//! and the exchange rate per country (shared by all branches: common random numbers),
//! spending and cumulative extra cost per branch and country. The measures (US$, share,
//! extra cost) are derived from them cell by cell into one scratch buffer per thread.
//! 1,000,000 paths × 11 years × one country and branch is 352 MB.

use std::collections::BTreeMap;

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use crate::error::RunError;
use crate::model::{EventEffect, Model, PolicyYear, Response, SeriesModel, Threshold};
use crate::quantile::{self, PROBABILITIES};
use crate::results::{BranchSummary, EventSummary, Record, Results, TargetSummary};
use crate::spec::{DEFAULT_PATHS, DEFAULT_SEED, Replacement};
use crate::stream::{PathRng, Purpose, path_rng};
use crate::{COMBINED, ResponseInput};
use fairshare_dataset::{Flag, Unit};

/// Paths simulated together and stored contiguously (year-major within a block).
const BLOCK: usize = 1024;
/// Refuse runs whose per-path values would need more memory than this.
const MEMORY_LIMIT: u64 = 12 << 30;
/// A target counts as met within one part in a billion (a share rule that reaches 3.5%
/// exactly computes 3.4999999999999996% after dividing by GDP).
const TARGET_TOLERANCE: f64 = 1e-9;

/// How many paths, which seed, and whom to tell about progress.
#[derive(Clone, Copy)]
pub struct RunOptions<'a> {
    pub paths: usize,
    pub seed: u64,
    /// Called with the number of paths just finished (from any thread, in any order);
    /// the calls sum to `paths`. The engine itself never prints.
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
    fn is_economy(self) -> bool {
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
    let bytes = model.memory_bytes(n);
    if bytes > MEMORY_LIMIT {
        return Err(RunError::TooLarge {
            paths: n,
            gib: bytes as f64 / (1u64 << 30) as f64,
            limit_gib: (MEMORY_LIMIT >> 30) as f64,
        });
    }
    let store = simulate(model, options);
    summarise(model, options, &store)
}

/// Where each per-path value lives: block k holds paths k·BLOCK.., and within a block
/// the value of state s in year t for lane j is at `(s·years + t)·BLOCK + j`.
#[derive(Debug, Clone, Copy)]
struct Layout {
    paths: usize,
    years: usize,
    countries: usize,
    branches: usize,
}

impl Layout {
    fn block_len(&self) -> usize {
        (2 * self.countries + 2 * self.branches * self.countries) * self.years * BLOCK
    }
    fn blocks(&self) -> usize {
        self.paths.div_ceil(BLOCK)
    }
    fn live(&self, k: usize) -> usize {
        BLOCK.min(self.paths - k * BLOCK)
    }
    fn gdp(&self, c: usize) -> usize {
        c
    }
    fn fx(&self, c: usize) -> usize {
        self.countries + c
    }
    fn spending(&self, b: usize, c: usize) -> usize {
        2 * self.countries + b * self.countries + c
    }
    fn cumulative(&self, b: usize, c: usize) -> usize {
        2 * self.countries + self.branches * self.countries + b * self.countries + c
    }
    /// Offset of lane `j` of state `s` in year `t`, within a block.
    fn at(&self, s: usize, t: usize, j: usize) -> usize {
        (s * self.years + t) * BLOCK + j
    }
}

/// The per-path values a run keeps.
struct Store {
    layout: Layout,
    states: Vec<f64>,
    /// Branch each path falls in (for the mixture).
    branch_of: Vec<u8>,
    /// Bit e set when event e happened on the path.
    occurred: Vec<u64>,
}

impl Store {
    /// State `s` in year `t` for the live lanes of block `k`.
    fn lanes(&self, k: usize, s: usize, t: usize) -> &[f64] {
        let start = k * self.layout.block_len() + self.layout.at(s, t, 0);
        &self.states[start..start + self.layout.live(k)]
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
    /// The policy's share and amount last year (for the rules that hold them).
    last_share: f64,
    last_amount: f64,
    policy: f64,
}

fn simulate(model: &Model, options: &RunOptions<'_>) -> Store {
    let n = options.paths;
    let years = model.years.len();
    let countries = model.countries.len();
    let branches = model.branches.len();
    let layout = Layout {
        paths: n,
        years,
        countries,
        branches,
    };
    let mut store = Store {
        layout,
        states: vec![0.0; layout.blocks() * layout.block_len()],
        branch_of: vec![0; layout.blocks() * BLOCK],
        occurred: vec![0; layout.blocks() * BLOCK],
    };
    let block_len = layout.block_len();

    // Per branch and country, the events that can move that country's spending.
    let effects: Vec<Vec<usize>> = (0..branches)
        .flat_map(|b| {
            (0..countries).map(move |c| {
                model.branches[b]
                    .events
                    .iter()
                    .copied()
                    .filter(|&e| model.events[e].country == c)
                    .collect()
            })
        })
        .collect();
    let cumulative_probability: Vec<f64> = model
        .branches
        .iter()
        .scan(0.0, |acc, b| {
            *acc += b.probability;
            Some(*acc)
        })
        .collect();
    let draws_events = branches > 1 || !model.events.is_empty();

    let seed = options.seed;
    store
        .states
        .par_chunks_mut(block_len)
        .zip(store.branch_of.par_chunks_mut(BLOCK))
        .zip(store.occurred.par_chunks_mut(BLOCK))
        .enumerate()
        .for_each(|(k, ((states, branch_of), occurred))| {
            let live = layout.live(k);
            let mut economy = vec![EconomyState::default(); countries];
            let mut cumulative = vec![0.0; branches * countries];
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
                for (c, state) in economy.iter_mut().enumerate() {
                    *state = EconomyState {
                        gdp: model.countries[c].base_gdp,
                        ..EconomyState::default()
                    };
                }
                cumulative.iter_mut().for_each(|v| *v = 0.0);

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
                        e.policy = match cm.policy[t] {
                            PolicyYear::Share(s) => {
                                e.last_share = s;
                                s * e.gdp / 100.0
                            }
                            PolicyYear::Amount(a) => {
                                e.last_share = a / e.gdp * 100.0;
                                a
                            }
                            PolicyYear::HoldLastShare => e.last_share * e.gdp / 100.0,
                            PolicyYear::HoldLastAmount => {
                                e.last_share = e.last_amount / e.gdp * 100.0;
                                e.last_amount
                            }
                        };
                        e.last_amount = e.policy;
                        states[layout.at(layout.gdp(c), t, j)] = e.gdp;
                        states[layout.at(layout.fx(c), t, j)] = e.fx;
                    }
                    for b in 0..branches {
                        for (c, (cm, e)) in model.countries.iter().zip(economy.iter()).enumerate() {
                            let active = &effects[b * countries + c];
                            let spending = if active.is_empty() {
                                e.policy
                            } else {
                                respond(model, active, bits, t, c, e)
                            };
                            let total = &mut cumulative[b * countries + c];
                            *total += spending - cm.base_share * e.gdp / 100.0;
                            states[layout.at(layout.spending(b, c), t, j)] = spending;
                            states[layout.at(layout.cumulative(b, c), t, j)] = *total;
                        }
                    }
                }
            }
            if let Some(progress) = options.progress {
                progress(live);
            }
        });
    store
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

/// Which paths a summary covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paths {
    /// Every path, in the given branch.
    Branch(usize),
    /// Every path, in the branch it drew.
    Mixture,
}

/// One quantile cell: a measure for some paths, one country and year.
#[derive(Debug, Clone, Copy)]
struct Cell {
    paths: Paths,
    country: usize,
    year: usize,
    measure: Measure,
}

struct CellSummary {
    quantiles: Vec<f64>,
    mean: f64,
    /// Per target index: paths meeting it (only on milex_gdp / milex_lcu cells).
    met: Vec<(usize, usize)>,
    non_finite: Option<usize>,
}

fn summarise(model: &Model, options: &RunOptions<'_>, store: &Store) -> Result<Results, RunError> {
    let n = store.layout.paths;
    let branches = model.branches.len();
    // Summaries are computed for each branch, and for the mixture when there are several.
    let mut computed: Vec<Paths> = (0..branches).map(Paths::Branch).collect();
    if branches > 1 {
        computed.push(Paths::Mixture);
    }
    let mut cells = Vec::new();
    for c in 0..model.countries.len() {
        for t in 0..model.years.len() {
            for m in [Measure::GdpLcu, Measure::ExchangeRate] {
                cells.push(Cell {
                    paths: Paths::Branch(0),
                    country: c,
                    year: t,
                    measure: m,
                });
            }
            for &p in &computed {
                for m in Measure::ALL.into_iter().filter(|m| !m.is_economy()) {
                    cells.push(Cell {
                        paths: p,
                        country: c,
                        year: t,
                        measure: m,
                    });
                }
            }
        }
    }
    let summaries: Vec<CellSummary> = cells
        .par_iter()
        .map_init(
            || Vec::with_capacity(n),
            |scratch, cell| summarise_cell(model, store, *cell, scratch),
        )
        .collect();
    let mut by_cell: BTreeMap<(usize, usize, usize, usize), &CellSummary> = BTreeMap::new();
    let key = |p: Paths, c: usize, t: usize, m: Measure| {
        let p = match p {
            Paths::Branch(b) => b,
            Paths::Mixture => branches,
        };
        let m = Measure::ALL.iter().position(|x| *x == m).unwrap_or(0);
        (p, c, t, m)
    };
    for (cell, summary) in cells.iter().zip(&summaries) {
        by_cell.insert(
            key(cell.paths, cell.country, cell.year, cell.measure),
            summary,
        );
    }

    // Output sets: each declared branch and the mixture; or the one implicit branch.
    let mut outputs: Vec<(String, Paths)> = Vec::new();
    if model.declared_branches {
        for (b, branch) in model.branches.iter().enumerate() {
            outputs.push((branch.name.clone(), Paths::Branch(b)));
        }
        outputs.push((
            COMBINED.to_string(),
            if branches > 1 {
                Paths::Mixture
            } else {
                Paths::Branch(0)
            },
        ));
    } else {
        outputs.push((COMBINED.to_string(), Paths::Branch(0)));
    }

    let mut records = Vec::new();
    let mut first_non_finite: Option<(usize, usize, usize, Measure)> = None;
    for (name, paths) in &outputs {
        for (c, cm) in model.countries.iter().enumerate() {
            for m in Measure::ALL {
                for (t, &year) in model.years.iter().enumerate() {
                    let source_paths = if m.is_economy() {
                        Paths::Branch(0)
                    } else {
                        *paths
                    };
                    let s = by_cell[&key(source_paths, c, t, m)];
                    if let Some(path) = s.non_finite
                        && first_non_finite.is_none()
                    {
                        first_non_finite = Some((path, c, t, m));
                    }
                    let mut p_target_met = BTreeMap::new();
                    for m_target in [Measure::MilexGdp, Measure::MilexLcu] {
                        for &(target, count) in &by_cell[&key(*paths, c, t, m_target)].met {
                            p_target_met
                                .insert(model.targets[target].id.clone(), count as f64 / n as f64);
                        }
                    }
                    let cumulative =
                        by_cell[&key(*paths, c, t, Measure::MilexExtraCumulativeLcu)].mean;
                    let mut flags = cm.flags[t];
                    if cm.plan_year[t] && !m.is_economy() {
                        flags.insert(Flag::Plan);
                    }
                    let q = &s.quantiles;
                    records.push(Record {
                        branch: name.clone(),
                        country: cm.code.clone(),
                        measure: m.id().to_string(),
                        year,
                        year_basis: cm.year_basis.as_string(),
                        unit: m.unit().as_str().to_string(),
                        value: q[2],
                        mean: s.mean,
                        q05: q[0],
                        q25: q[1],
                        q50: q[2],
                        q75: q[3],
                        q95: q[4],
                        p_target_met,
                        cumulative_extra_lcu: cumulative,
                        definition: if m.is_economy() {
                            cm.macro_definition.clone()
                        } else {
                            model.definition.clone()
                        },
                        source: cm.source.clone(),
                        vintage: cm.vintage.clone(),
                        flags: flags.names().into_iter().map(str::to_string).collect(),
                    });
                }
            }
        }
    }
    if let Some((path, c, t, m)) = first_non_finite {
        return Err(RunError::NonFinite {
            path,
            country: model.countries[c].code.clone(),
            measure: m.id(),
            year: model.years[t],
        });
    }

    let events = event_summaries(model, store, &outputs);
    Ok(Results {
        scenario: model.name.clone(),
        seed: options.seed,
        paths: n,
        definition: model.definition.clone(),
        base_year: model.base_year,
        horizon: [
            model.years[0],
            *model.years.last().unwrap_or(&model.years[0]),
        ],
        branches: model
            .branches
            .iter()
            .map(|b| BranchSummary {
                name: b.name.clone(),
                probability: b.probability,
                method: b.method.clone(),
            })
            .collect(),
        targets: model
            .targets
            .iter()
            .map(|t| {
                let (kind, value, unit) = match t.threshold {
                    Threshold::Share(v) => ("share_of_gdp", v, Unit::PctGdp),
                    Threshold::AmountLcu(v) => ("amount_lcu", v, Unit::Lcu),
                };
                TargetSummary {
                    id: t.id.clone(),
                    kind: kind.to_string(),
                    value,
                    unit: unit.as_str().to_string(),
                    countries: t
                        .countries
                        .iter()
                        .map(|&c| model.countries[c].code.clone())
                        .collect(),
                    note: t.note.clone(),
                }
            })
            .collect(),
        events,
        notes: model.notes.clone(),
        records,
    })
}

fn summarise_cell(model: &Model, store: &Store, cell: Cell, scratch: &mut Vec<f64>) -> CellSummary {
    scratch.clear();
    let c = cell.country;
    let t = cell.year;
    let base_share = model.countries[c].base_share;
    let layout = store.layout;
    let gdp_s = layout.gdp(c);
    let fx_s = layout.fx(c);
    let m = cell.measure;
    let derive = move |gdp: f64, fx: f64, spending: f64, cumulative: f64| -> f64 {
        match m {
            Measure::GdpLcu => gdp,
            Measure::ExchangeRate => fx,
            Measure::MilexLcu => spending,
            Measure::MilexUsdCurrent => spending / fx,
            Measure::MilexGdp => spending / gdp * 100.0,
            Measure::MilexExtraLcu => spending - base_share * gdp / 100.0,
            Measure::MilexExtraUsd => (spending - base_share * gdp / 100.0) / fx,
            Measure::MilexExtraCumulativeLcu => cumulative,
        }
    };
    for k in 0..layout.blocks() {
        let gdp = store.lanes(k, gdp_s, t);
        let fx = store.lanes(k, fx_s, t);
        match cell.paths {
            Paths::Branch(b) => {
                let spending = store.lanes(k, layout.spending(b, c), t);
                let cumulative = store.lanes(k, layout.cumulative(b, c), t);
                scratch.extend(
                    gdp.iter()
                        .zip(fx)
                        .zip(spending.iter().zip(cumulative))
                        .map(|((&g, &x), (&s, &cu))| derive(g, x, s, cu)),
                );
            }
            Paths::Mixture => {
                let chosen = &store.branch_of[k * BLOCK..k * BLOCK + gdp.len()];
                for (j, &b) in chosen.iter().enumerate() {
                    let b = b as usize;
                    let s = store.lanes(k, layout.spending(b, c), t)[j];
                    let cu = store.lanes(k, layout.cumulative(b, c), t)[j];
                    scratch.push(derive(gdp[j], fx[j], s, cu));
                }
            }
        }
    }

    // One pass in path order: mean, range, finiteness, targets met.
    let mut sum = 0.0;
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut non_finite = None;
    for (i, v) in scratch.iter_mut().enumerate() {
        *v += 0.0; // -0.0 → +0.0, so equal values print alike
        if !v.is_finite() && non_finite.is_none() {
            non_finite = Some(i);
        }
        sum += *v;
        lo = lo.min(*v);
        hi = hi.max(*v);
    }
    let mut met = Vec::new();
    for (i, target) in model.targets.iter().enumerate() {
        if !target.countries.contains(&c) {
            continue;
        }
        let threshold = match (target.threshold, m) {
            (Threshold::Share(s), Measure::MilexGdp) => s,
            (Threshold::AmountLcu(a), Measure::MilexLcu) => a,
            _ => continue,
        };
        let floor = threshold - threshold.abs() * TARGET_TOLERANCE;
        met.push((i, scratch.iter().filter(|&&v| v >= floor).count()));
    }
    let quantiles = if non_finite.is_some() {
        vec![f64::NAN; PROBABILITIES.len()]
    } else if lo == hi {
        vec![lo; PROBABILITIES.len()]
    } else {
        quantile::quantiles(scratch, &PROBABILITIES)
    };
    CellSummary {
        quantiles,
        // A constant cell's mean is its value (a float sum would drift in the last bits).
        mean: if lo == hi {
            lo
        } else {
            sum / scratch.len() as f64
        },
        met,
        non_finite,
    }
}

fn event_summaries(model: &Model, store: &Store, outputs: &[(String, Paths)]) -> Vec<EventSummary> {
    let n = store.layout.paths;
    let mut out = Vec::new();
    for (name, paths) in outputs {
        for (e, event) in model.events.iter().enumerate() {
            let applies = |b: usize| event.branch.is_none_or(|own| own == b);
            let count = match paths {
                Paths::Branch(b) if !applies(*b) => continue,
                Paths::Branch(_) => (0..n)
                    .filter(|&i| store.occurred[i] & (1 << e) != 0)
                    .count(),
                Paths::Mixture => (0..n)
                    .filter(|&i| {
                        applies(store.branch_of[i] as usize) && store.occurred[i] & (1 << e) != 0
                    })
                    .count(),
            };
            out.push(EventSummary {
                branch: name.clone(),
                id: event.id.clone(),
                kind: event.kind.to_string(),
                country: model.countries[event.country].code.clone(),
                year: event.year,
                probability: event.probability,
                occurred: count as f64 / n as f64,
                note: event.note.clone(),
            });
        }
    }
    out
}
