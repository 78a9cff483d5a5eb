//! From per-path values to records: yearly quantiles, means, target probabilities and
//! cumulative costs, per branch and for the mixture of branches.
//!
//! Simulation and counting are fused: each worker simulates a chunk of consecutive
//! paths into a buffer it reuses, then counts that chunk's values for every year and
//! country (years in order, because the cumulative extra cost runs along each path). So
//! memory does not grow with paths × years, only the values kept near the wanted ranks
//! do (about 8% of them).
//!
//! Exact quantiles without sorting a million values: a pilot (a few blocks of paths
//! spread over the run) gives each measure's range and where each wanted rank probably
//! lies. One pass counts every value into a histogram over that range — any
//! order-keeping map from values to buckets will do — and keeps the values that fall in
//! the buckets the pilot pointed at. The counts then say exactly which bucket holds each
//! wanted rank and at which place; selection among that bucket's values gives the exact
//! order statistic. If the pilot missed (rare), a second pass collects the bucket.
//! Values outside the pilot's range fall into two end buckets, which only costs time.
//! When the range is so narrow that each bucket is a single value (a constant share of
//! GDP), the counts alone give it. Small runs simply sort.
//!
//! Determinism: chunks are fixed by path index; histogram counts and target counts are
//! integers; means are summed in four lanes per block, lanes and chunks combined in a
//! fixed order; order statistics are exact. No result depends on the thread count.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::COMBINED;
use crate::engine::{
    BLOCK, Layout, Measure, RunOptions, Simulator, Store, TARGET_TOLERANCE, policy_spending,
};
use crate::error::RunError;
use crate::model::{Model, PolicyYear, Threshold};
use crate::quantile::{self, PROBABILITIES};
use crate::results::{BranchSummary, EventSummary, Record, Results, TargetSummary};
use fairshare_dataset::{Flag, Unit};

/// Runs with at most this many paths sort each measure's values.
pub(crate) const SORT_ALL_BELOW: usize = 1 << 15;
/// Blocks of paths per chunk: simulated together into one reused buffer, and a unit of
/// the floating-point sums' fixed order.
pub(crate) const CHUNK_BLOCKS: usize = 16;
/// In-range buckets of a histogram (plus one below and one above the range).
const BUCKETS: usize = 2048;
const HISTOGRAM: usize = BUCKETS + 2;
/// Pilot blocks per year and country.
const PILOT_BLOCKS: usize = 32;

/// Which paths a summary covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paths {
    /// Every path, in the given branch.
    Branch(usize),
    /// Every path, in the branch it drew.
    Mixture,
}

/// The measures of one branch (or the mixture), in cell order after GDP and the
/// exchange rate.
const BRANCH_MEASURES: [Measure; 6] = [
    Measure::MilexLcu,
    Measure::MilexUsdCurrent,
    Measure::MilexGdp,
    Measure::MilexExtraLcu,
    Measure::MilexExtraUsd,
    Measure::MilexExtraCumulativeLcu,
];

/// Key of a cell summary: (paths set, country, year, index in [`Measure::ALL`]).
type CellKey = (usize, usize, usize, usize);

struct CellSummary {
    quantiles: [f64; 5],
    mean: f64,
    /// (target index, paths meeting it), on the milex_gdp and milex_lcu cells.
    met: Vec<(usize, u64)>,
    first_non_finite: Option<usize>,
}

/// Order-preserving integer key of a finite f64.
#[inline(always)]
fn key(v: f64) -> u64 {
    let bits = v.to_bits();
    // Negative: flip every bit; positive: set the sign bit. Branch-free, so it vectorises.
    let mask = (((bits as i64) >> 63) as u64) | (1 << 63);
    bits ^ mask
}

fn from_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// `(v - lo) × scale + 1`, clamped to 0..=BUCKETS + 1 and rounded to the nearest whole
/// number by adding 2^52 (which leaves it in the low mantissa bits). Every step is
/// monotone, so the bucket is; NaN maps to 0. Branch- and conversion-free, so it vectorises.
#[inline(always)]
fn linear_bucket(v: f64, lo: f64, scale: f64) -> u16 {
    const ROUND: f64 = 4_503_599_627_370_496.0; // 2^52
    let x = ((v - lo) * scale + 1.0).max(0.0).min((BUCKETS + 1) as f64);
    ((x + ROUND).to_bits() & 0xFFFF) as u16
}

/// A monotone (order-keeping) map from values to buckets 0 (below the range) ..=
/// BUCKETS + 1 (above). Any monotone map gives exact order statistics; the choice only
/// decides how many values share a bucket.
#[derive(Debug, Clone, Copy)]
enum Buckets {
    /// A narrow range: one bucket per possible value (its bit pattern), so the counts
    /// alone give the order statistics.
    Keys { lo: u64 },
    /// A wide range: equal widths in value, `(v - lo) × scale`.
    Linear { lo: f64, scale: f64 },
}

impl Buckets {
    /// Buckets over the values whose keys run from `lo` to `hi`.
    fn spanning(lo: u64, hi: u64) -> Buckets {
        if hi.saturating_sub(lo) < BUCKETS as u64 {
            return Buckets::Keys { lo };
        }
        let (low, high) = (from_key(lo), from_key(hi));
        let scale = BUCKETS as f64 / (high - low);
        if scale.is_finite() && scale > 0.0 {
            Buckets::Linear { lo: low, scale }
        } else {
            // A range too wide for f64 arithmetic: everything in one bucket (still exact).
            Buckets::Linear {
                lo: low,
                scale: 0.0,
            }
        }
    }

    #[inline(always)]
    fn of(&self, v: f64) -> usize {
        match *self {
            Buckets::Keys { lo } => {
                let k = key(v);
                let inside = (k.wrapping_sub(lo).min(BUCKETS as u64) + 1) as usize;
                if k < lo { 0 } else { inside }
            }
            Buckets::Linear { lo, scale } => linear_bucket(v, lo, scale) as usize,
        }
    }

    /// Bucket numbers for a run of values: one branch per run, so each loop vectorises.
    fn fill(&self, values: &[f64], out: &mut [u16]) {
        match *self {
            Buckets::Keys { .. } => {
                for (b, &v) in out.iter_mut().zip(values) {
                    *b = self.of(v) as u16;
                }
            }
            Buckets::Linear { lo, scale } => {
                for (b, &v) in out.iter_mut().zip(values) {
                    *b = linear_bucket(v, lo, scale);
                }
            }
        }
    }

    /// The one value an in-range bucket can hold, when each bucket is a single key.
    fn single_value(&self, bucket: usize) -> Option<f64> {
        match *self {
            Buckets::Keys { lo } if (1..=BUCKETS).contains(&bucket) => {
                Some(from_key(lo + bucket as u64 - 1))
            }
            _ => None,
        }
    }
}

/// How one cell's values are counted: the bucket map from the pilot, and the buckets
/// likely to hold a wanted rank, whose values pass 1 keeps.
struct Plan {
    buckets: Buckets,
    /// Per bucket: keep its values (it may hold a wanted rank and more than one value).
    keep: Vec<bool>,
    keeps_any: bool,
    /// Share of the pilot's values in kept buckets (to size the buffers).
    kept_fraction: f64,
}

/// One worker's kept values, per cell: (bucket, value).
type Kept = Vec<Vec<(u16, f64)>>;

/// The values at the given positions of `keys` in ascending order.
fn sorted_positions(keys: &mut [u64], positions: &[usize]) -> Vec<u64> {
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by_key(|&i| positions[i]);
    let mut out = vec![0; positions.len()];
    let mut from = 0;
    for i in order {
        let at = positions[i].max(from);
        let (_, v, _) = keys[from..].select_nth_unstable(at - from);
        out[i] = *v;
        from = at;
    }
    out
}

/// Per-worker buffers for one block.
struct Scratch {
    spending: Vec<f64>,
    extra: Vec<f64>,
    cumulative: Vec<f64>,
    /// The mixture's spending, extra and cumulative, gathered from each lane's branch.
    mixed: Vec<f64>,
    cells: Vec<f64>,
    buckets: Vec<u16>,
}

/// What one worker's chunks contribute to one group's cells.
struct Partial {
    /// Four sub-histograms per cell (lane mod 4), so repeated buckets do not wait on
    /// each other's stores.
    histograms: Vec<u32>,
    /// Every value (small runs only).
    values: Vec<Vec<f64>>,
    /// Per chunk, in order: each cell's sum.
    chunk_sums: Vec<Vec<f64>>,
    met: Vec<u64>,
    first_non_finite: Vec<Option<usize>>,
}

/// A group's merged counts.
struct Tally {
    histograms: Vec<u64>,
    values: Vec<Vec<f64>>,
    sums: Vec<f64>,
    met: Vec<u64>,
    first_non_finite: Vec<Option<usize>>,
}

/// One year and country: the cells computed together from the same per-path values
/// (GDP, exchange rate, then six measures per set of paths).
struct Group<'a> {
    model: &'a Model,
    layout: &'a Layout,
    t: usize,
    c: usize,
    sets: &'a [Paths],
    /// (cell, target index, lowest value that meets it).
    targets: Vec<(usize, usize, f64)>,
}

impl<'a> Group<'a> {
    fn new(model: &'a Model, layout: &'a Layout, t: usize, c: usize, sets: &'a [Paths]) -> Self {
        let mut targets = Vec::new();
        for o in 0..sets.len() {
            for (i, target) in model.targets.iter().enumerate() {
                if !target.countries.contains(&c) {
                    continue;
                }
                let (measure, threshold) = match target.threshold {
                    Threshold::Share(s) => (Measure::MilexGdp, s),
                    Threshold::AmountLcu(a) => (Measure::MilexLcu, a),
                };
                let m = BRANCH_MEASURES
                    .iter()
                    .position(|x| *x == measure)
                    .unwrap_or(0);
                let floor = threshold - threshold.abs() * TARGET_TOLERANCE;
                targets.push((2 + o * BRANCH_MEASURES.len() + m, i, floor));
            }
        }
        Group {
            model,
            layout,
            t,
            c,
            sets,
            targets,
        }
    }

    fn cells(&self) -> usize {
        2 + BRANCH_MEASURES.len() * self.sets.len()
    }

    /// The set of paths and the measure of a cell.
    fn cell(&self, cell: usize) -> (usize, Measure) {
        match cell {
            0 => (0, Measure::GdpLcu),
            1 => (0, Measure::ExchangeRate),
            _ => (
                (cell - 2) / BRANCH_MEASURES.len(),
                BRANCH_MEASURES[(cell - 2) % BRANCH_MEASURES.len()],
            ),
        }
    }

    fn partial(&self, sort_all: bool) -> Partial {
        let cells = self.cells();
        Partial {
            histograms: vec![0; if sort_all { 0 } else { cells * 4 * HISTOGRAM }],
            values: vec![Vec::new(); if sort_all { cells } else { 0 }],
            chunk_sums: Vec::new(),
            met: vec![0; self.targets.len()],
            first_non_finite: vec![None; cells],
        }
    }

    /// Every cell's value for the live lanes of global block `k`, into `scratch.cells`
    /// (`cell · BLOCK + lane`). `cumulative` holds the block's running totals (`lane ·
    /// branches + b`) up to last year; this year's extra cost is added to them. The same
    /// function serves the pilot and both passes, so they see identical values.
    fn block_values(
        &self,
        store: &Store,
        k: usize,
        cumulative: &mut [f64],
        scratch: &mut Scratch,
    ) -> usize {
        let layout = self.layout;
        let (t, c) = (self.t, self.c);
        let live = layout.live(k);
        let branches = layout.branches;
        let gdp = store.lanes(layout, k, layout.gdp(c), t);
        let fx = store.lanes(layout, k, layout.fx(c), t);
        let country = &self.model.countries[c];
        let base_share = country.base_share;
        let policy = country.policy[t];
        for b in 0..branches {
            let spending = &mut scratch.spending[b * BLOCK..b * BLOCK + live];
            match layout.spending_state[b * layout.countries + c] {
                Some(s) => spending.copy_from_slice(store.lanes(layout, k, s, t)),
                None => {
                    debug_assert!(!matches!(policy, PolicyYear::HoldLastShare));
                    for (s, &g) in spending.iter_mut().zip(gdp) {
                        *s = policy_spending(policy, g, f64::NAN);
                    }
                }
            }
            let extra = &mut scratch.extra[b * BLOCK..b * BLOCK + live];
            for ((x, &s), &g) in extra.iter_mut().zip(&*spending).zip(gdp) {
                *x = s - base_share * g / 100.0;
            }
            let total = &mut scratch.cumulative[b * BLOCK..b * BLOCK + live];
            for (j, v) in total.iter_mut().enumerate() {
                let running = &mut cumulative[j * branches + b];
                *running += extra[j];
                *v = *running;
            }
        }
        let (cells, mixed) = (&mut scratch.cells, &mut scratch.mixed);
        cells[..live].copy_from_slice(gdp);
        cells[BLOCK..BLOCK + live].copy_from_slice(fx);
        for (o, set) in self.sets.iter().enumerate() {
            let (spending, extra, total) = match *set {
                Paths::Branch(b) => (
                    &scratch.spending[b * BLOCK..b * BLOCK + live],
                    &scratch.extra[b * BLOCK..b * BLOCK + live],
                    &scratch.cumulative[b * BLOCK..b * BLOCK + live],
                ),
                Paths::Mixture => {
                    for (j, &b) in store.branches_drawn(layout, k).iter().enumerate() {
                        let at = b as usize * BLOCK + j;
                        mixed[j] = scratch.spending[at];
                        mixed[BLOCK + j] = scratch.extra[at];
                        mixed[2 * BLOCK + j] = scratch.cumulative[at];
                    }
                    (
                        &mixed[..live],
                        &mixed[BLOCK..BLOCK + live],
                        &mixed[2 * BLOCK..2 * BLOCK + live],
                    )
                }
            };
            let base = (2 + o * BRANCH_MEASURES.len()) * BLOCK;
            let [lcu, usd, share, extra_lcu, extra_usd, cumulative_lcu] = cells
                [base..base + 6 * BLOCK]
                .get_disjoint_mut([
                    0..live,
                    BLOCK..BLOCK + live,
                    2 * BLOCK..2 * BLOCK + live,
                    3 * BLOCK..3 * BLOCK + live,
                    4 * BLOCK..4 * BLOCK + live,
                    5 * BLOCK..5 * BLOCK + live,
                ])
                .expect("disjoint cell rows");
            // `+ 0.0` turns -0.0 into +0.0, so equal values have one key and print alike.
            for j in 0..live {
                let (s, x, g, f) = (spending[j], extra[j], gdp[j], fx[j]);
                lcu[j] = s + 0.0;
                usd[j] = s / f + 0.0;
                share[j] = s / g * 100.0 + 0.0;
                extra_lcu[j] = x + 0.0;
                extra_usd[j] = x / f + 0.0;
                cumulative_lcu[j] = total[j] + 0.0;
            }
        }
        live
    }

    /// Pass 1 for one block: sums, target counts, and histograms (or all values).
    #[allow(clippy::needless_range_loop)] // one index into several per-cell arrays
    fn tally_block(
        &self,
        k: usize,
        live: usize,
        plans: &[Plan],
        scratch: &mut Scratch,
        p: &mut Partial,
        kept: &mut Kept,
    ) {
        let cells = self.cells();
        let sort_all = plans.is_empty();
        let sums = p.chunk_sums.last_mut().expect("a chunk was opened");
        for cell in 0..cells {
            let values = &scratch.cells[cell * BLOCK..cell * BLOCK + live];
            // Four lanes (path index mod 4): the sum vectorises and its order is fixed.
            let mut lanes = [0.0f64; 4];
            let mut quads = values.chunks_exact(4);
            for q in &mut quads {
                lanes[0] += q[0];
                lanes[1] += q[1];
                lanes[2] += q[2];
                lanes[3] += q[3];
            }
            for (i, v) in quads.remainder().iter().enumerate() {
                lanes[i] += v;
            }
            let block_sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            sums[cell] += block_sum;
            // A non-finite value makes the sum non-finite; only then look.
            if !block_sum.is_finite()
                && p.first_non_finite[cell].is_none()
                && let Some(j) = values.iter().position(|v| !v.is_finite())
            {
                p.first_non_finite[cell] = Some(k * BLOCK + j);
            }
            if sort_all {
                p.values[cell].extend_from_slice(values);
                continue;
            }
            let plan = &plans[cell];
            let indices = &mut scratch.buckets[..live];
            plan.buckets.fill(values, indices);
            let histogram = &mut p.histograms[cell * 4 * HISTOGRAM..(cell + 1) * 4 * HISTOGRAM];
            for (j, &b) in indices.iter().enumerate() {
                histogram[(j & 3) * HISTOGRAM + b as usize] += 1;
            }
            if plan.keeps_any {
                let kept = &mut kept[cell];
                for (&b, &v) in indices.iter().zip(values) {
                    if plan.keep[b as usize] {
                        kept.push((b, v));
                    }
                }
            }
        }
        for (i, &(cell, _, floor)) in self.targets.iter().enumerate() {
            let values = &scratch.cells[cell * BLOCK..cell * BLOCK + live];
            p.met[i] += values.iter().filter(|&&v| v >= floor).count() as u64;
        }
    }

    /// Each cell's range and likely buckets, from the pilot's values (keys) of this group.
    fn plans(&self, mut sample: Vec<Vec<u64>>, ranks: &[usize]) -> Vec<Plan> {
        let n = self.layout.paths;
        sample
            .iter_mut()
            .map(|keys| {
                let mut keep = vec![false; HISTOGRAM];
                if keys.is_empty() {
                    return Plan {
                        buckets: Buckets::spanning(0, u64::MAX),
                        keep,
                        keeps_any: false,
                        kept_fraction: 0.0,
                    };
                }
                let ns = keys.len();
                let last = ns - 1;
                // The range: the sample's 0.2% and 99.8% points. Around each wanted rank,
                // a window of ±4 standard errors of its place in the sample (a miss costs
                // a second pass, not accuracy).
                let mut positions = vec![last / 500, last - last / 500];
                let mut windows = Vec::new();
                for &r in ranks {
                    let p = (r as f64 + 0.5) / n as f64;
                    let centre = p * ns as f64;
                    let margin = 4.0 * (ns as f64 * p * (1.0 - p)).sqrt() + 2.0;
                    let below = centre - margin;
                    let above = centre + margin;
                    windows.push((below < 0.0, above > last as f64));
                    positions.push(below.clamp(0.0, last as f64) as usize);
                    positions.push((above.ceil()).clamp(0.0, last as f64) as usize);
                }
                let at = sorted_positions(keys, &positions);
                let buckets = Buckets::spanning(at[0], at[1].max(at[0]));
                for (w, &(open_below, open_above)) in windows.iter().enumerate() {
                    let first = if open_below {
                        0
                    } else {
                        buckets.of(from_key(at[2 + 2 * w]))
                    };
                    let last = if open_above {
                        BUCKETS + 1
                    } else {
                        buckets.of(from_key(at[3 + 2 * w]))
                    };
                    for (bucket, k) in keep.iter_mut().enumerate().take(last + 1).skip(first) {
                        *k = buckets.single_value(bucket).is_none();
                    }
                }
                let keeps_any = keep.iter().any(|k| *k);
                let kept = keys
                    .iter()
                    .filter(|&&k| keep[buckets.of(from_key(k))])
                    .count();
                Plan {
                    buckets,
                    keep,
                    keeps_any,
                    kept_fraction: kept as f64 / ns as f64,
                }
            })
            .collect()
    }
}

/// Bytes of one worker's counters per cell (four sub-histograms).
pub(crate) const COUNTER_BYTES: usize = 4 * HISTOGRAM * 4;

/// Everything a sweep over the paths shares.
struct Run<'a> {
    model: &'a Model,
    layout: &'a Layout,
    simulator: Simulator<'a>,
    groups: Vec<Group<'a>>,
    sets: &'a [Paths],
    chunks: usize,
    progress: Option<&'a (dyn Fn(usize) + Sync)>,
}

/// What one worker gathers in pass 1.
struct WorkerTally {
    partials: Vec<Partial>,
    kept: Vec<Kept>,
    /// Per set of paths and event: paths on which it happened (and applies).
    events: Vec<u64>,
}

impl Run<'_> {
    fn scratch(&self) -> Scratch {
        let branches = self.layout.branches;
        let cells = self.groups.first().map_or(2, Group::cells);
        Scratch {
            spending: vec![0.0; branches * BLOCK],
            extra: vec![0.0; branches * BLOCK],
            cumulative: vec![0.0; branches * BLOCK],
            mixed: vec![0.0; 3 * BLOCK],
            cells: vec![0.0; cells * BLOCK],
            buckets: vec![0; BLOCK],
        }
    }

    /// Consecutive runs of chunks, one per worker.
    fn pieces(&self) -> Vec<std::ops::Range<usize>> {
        let workers = rayon::current_num_threads().clamp(1, self.chunks);
        (0..workers)
            .map(|w| w * self.chunks / workers..(w + 1) * self.chunks / workers)
            .collect()
    }

    fn chunk_blocks(&self, chunk: usize) -> (usize, usize) {
        let first = chunk * CHUNK_BLOCKS;
        (first, CHUNK_BLOCKS.min(self.layout.blocks() - first))
    }

    /// Visit every block of `store` in every group, years in order (the running totals
    /// need it), calling `visit(group index, block, live lanes, scratch)` with the
    /// block's values computed.
    fn walk(
        &self,
        store: &Store,
        running: &mut [Vec<f64>],
        scratch: &mut Scratch,
        mut visit: impl FnMut(usize, usize, usize, &mut Scratch),
    ) {
        let per_block = BLOCK * self.layout.branches;
        for r in running.iter_mut() {
            r.clear();
            r.resize(store.blocks * per_block, 0.0);
        }
        for (g, group) in self.groups.iter().enumerate() {
            for (i, k) in store.block_indices().enumerate() {
                let cumulative = &mut running[group.c][i * per_block..(i + 1) * per_block];
                let live = group.block_values(store, k, cumulative, scratch);
                visit(g, k, live, scratch);
            }
        }
    }

    /// The pilot: a few blocks spread over the run, simulated and walked on their own;
    /// their values give each group's plans.
    fn pilot(&self, ranks: &[usize]) -> Vec<Vec<Plan>> {
        let blocks = self.layout.blocks();
        let step = (blocks / PILOT_BLOCKS).max(1);
        let starts: Vec<usize> = (0..blocks).step_by(step).collect();
        // Per pilot block: [group][cell] keys of its finite values.
        let per_block: Vec<Vec<Vec<Vec<u64>>>> = starts
            .par_iter()
            .map(|&k| {
                let mut store = Store::new();
                store.simulate(&self.simulator, k, 1);
                let mut running = vec![Vec::new(); self.layout.countries];
                let mut scratch = self.scratch();
                let mut sample: Vec<Vec<Vec<u64>>> = self
                    .groups
                    .iter()
                    .map(|g| vec![Vec::new(); g.cells()])
                    .collect();
                self.walk(&store, &mut running, &mut scratch, |g, _, live, scratch| {
                    for (cell, keys) in sample[g].iter_mut().enumerate() {
                        keys.extend(
                            scratch.cells[cell * BLOCK..cell * BLOCK + live]
                                .iter()
                                .filter(|v| v.is_finite())
                                .map(|&v| key(v)),
                        );
                    }
                });
                sample
            })
            .collect();
        let mut samples: Vec<Vec<Vec<u64>>> = self
            .groups
            .iter()
            .map(|g| vec![Vec::new(); g.cells()])
            .collect();
        for block in per_block {
            for (all, part) in samples.iter_mut().zip(block) {
                for (a, p) in all.iter_mut().zip(part) {
                    a.extend(p);
                }
            }
        }
        samples
            .into_par_iter()
            .zip(self.groups.par_iter())
            .map(|(sample, group)| group.plans(sample, ranks))
            .collect()
    }

    /// Pass 1: simulate every chunk (each worker its consecutive run) and count.
    fn tally(
        &self,
        plans: &[Vec<Plan>],
        sort_all: bool,
        kept_fractions: &[f64],
    ) -> Vec<WorkerTally> {
        self.pieces()
            .into_par_iter()
            .map(|piece| {
                let mut store = Store::new();
                let mut running = vec![Vec::new(); self.layout.countries];
                let mut scratch = self.scratch();
                let mut tally = WorkerTally {
                    partials: self.groups.iter().map(|g| g.partial(sort_all)).collect(),
                    kept: self
                        .groups
                        .iter()
                        .map(|g| vec![Vec::new(); g.cells()])
                        .collect(),
                    events: vec![0; self.sets.len() * self.model.events.len()],
                };
                // Size the kept buffers from the pilot, once.
                let paths = (piece.len() * CHUNK_BLOCKS * BLOCK).min(self.layout.paths) as f64;
                for (kept, fraction) in tally.kept.iter_mut().flatten().zip(kept_fractions) {
                    kept.reserve((fraction * paths * 1.25) as usize);
                }
                for chunk in piece {
                    let (first, blocks) = self.chunk_blocks(chunk);
                    store.simulate(&self.simulator, first, blocks);
                    if let Some(progress) = self.progress {
                        let done: usize = store.block_indices().map(|k| self.layout.live(k)).sum();
                        progress(done);
                    }
                    self.count_events(&store, &mut tally.events);
                    for p in &mut tally.partials {
                        p.chunk_sums.push(vec![0.0; p.first_non_finite.len()]);
                    }
                    let WorkerTally { partials, kept, .. } = &mut tally;
                    self.walk(&store, &mut running, &mut scratch, |g, k, live, scratch| {
                        let no_plans: &[Plan] = &[];
                        let group_plans = if sort_all { no_plans } else { &plans[g] };
                        self.groups[g].tally_block(
                            k,
                            live,
                            group_plans,
                            scratch,
                            &mut partials[g],
                            &mut kept[g],
                        );
                    });
                }
                tally
            })
            .collect()
    }

    /// Paths on which each event happened, per set of paths (integers: any grouping).
    fn count_events(&self, store: &Store, counts: &mut [u64]) {
        let events = &self.model.events;
        if events.is_empty() {
            return;
        }
        for k in store.block_indices() {
            let happened = store.events_happened(self.layout, k);
            let drawn = store.branches_drawn(self.layout, k);
            for (o, set) in self.sets.iter().enumerate() {
                for (e, event) in events.iter().enumerate() {
                    let bit = 1u64 << e;
                    let count = match *set {
                        Paths::Branch(b) => {
                            if event.branch.is_some_and(|own| own != b) {
                                continue;
                            }
                            happened.iter().filter(|&&h| h & bit != 0).count()
                        }
                        Paths::Mixture => happened
                            .iter()
                            .zip(drawn)
                            .filter(|&(&h, &b)| {
                                h & bit != 0 && event.branch.is_none_or(|own| own == b as usize)
                            })
                            .count(),
                    };
                    counts[o * events.len() + e] += count as u64;
                }
            }
        }
    }

    /// Pass 2, only when the pilot missed a wanted bucket: simulate again and collect
    /// the values of the missed buckets, per group.
    fn collect(
        &self,
        plans: &[Vec<Plan>],
        missing: &[Wanted],
    ) -> Vec<BTreeMap<(usize, usize), Vec<f64>>> {
        let tables: Vec<Vec<bool>> = self
            .groups
            .iter()
            .zip(missing)
            .map(|(group, wanted)| {
                let mut table = vec![false; group.cells() * HISTOGRAM];
                for &(cell, bucket) in wanted.keys() {
                    table[cell * HISTOGRAM + bucket] = true;
                }
                table
            })
            .collect();
        let found: Vec<Vec<Vec<(u32, u32, f64)>>> = self
            .pieces()
            .into_par_iter()
            .map(|piece| {
                let mut store = Store::new();
                let mut running = vec![Vec::new(); self.layout.countries];
                let mut scratch = self.scratch();
                let mut found: Vec<Vec<(u32, u32, f64)>> = vec![Vec::new(); self.groups.len()];
                for chunk in piece {
                    let (first, blocks) = self.chunk_blocks(chunk);
                    store.simulate(&self.simulator, first, blocks);
                    self.walk(&store, &mut running, &mut scratch, |g, _, live, scratch| {
                        if missing[g].is_empty() {
                            return;
                        }
                        for cell in 0..self.groups[g].cells() {
                            let table = &tables[g][cell * HISTOGRAM..(cell + 1) * HISTOGRAM];
                            for &v in &scratch.cells[cell * BLOCK..cell * BLOCK + live] {
                                let bucket = plans[g][cell].buckets.of(v);
                                if table[bucket] {
                                    found[g].push((cell as u32, bucket as u32, v));
                                }
                            }
                        }
                    });
                }
                found
            })
            .collect();
        let mut out: Vec<BTreeMap<(usize, usize), Vec<f64>>> =
            vec![BTreeMap::new(); self.groups.len()];
        for worker in found {
            for (g, values) in worker.into_iter().enumerate() {
                for (cell, bucket, v) in values {
                    out[g]
                        .entry((cell as usize, bucket as usize))
                        .or_default()
                        .push(v);
                }
            }
        }
        out
    }
}

/// Merge the workers' counts for group `g` (workers hold consecutive chunks, in order).
fn merge(workers: &mut [WorkerTally], g: usize, cells: usize, sort_all: bool) -> Tally {
    let mut tally = Tally {
        histograms: vec![0; if sort_all { 0 } else { cells * HISTOGRAM }],
        values: vec![Vec::new(); if sort_all { cells } else { 0 }],
        sums: vec![0.0; cells],
        met: Vec::new(),
        first_non_finite: vec![None; cells],
    };
    for w in workers.iter_mut() {
        let p = &mut w.partials[g];
        for sums in &p.chunk_sums {
            for (total, sum) in tally.sums.iter_mut().zip(sums) {
                *total += sum;
            }
        }
        for (first, part) in tally.first_non_finite.iter_mut().zip(&p.first_non_finite) {
            *first = first.or(*part);
        }
        if tally.met.is_empty() {
            tally.met = vec![0; p.met.len()];
        }
        for (m, x) in tally.met.iter_mut().zip(&p.met) {
            *m += x;
        }
        for (cell, merged) in tally.histograms.chunks_exact_mut(HISTOGRAM).enumerate() {
            for part in p.histograms[cell * 4 * HISTOGRAM..(cell + 1) * 4 * HISTOGRAM]
                .chunks_exact(HISTOGRAM)
            {
                for (x, y) in merged.iter_mut().zip(part) {
                    *x += u64::from(*y);
                }
            }
        }
        for (all, part) in tally.values.iter_mut().zip(p.values.iter_mut()) {
            all.append(part);
        }
    }
    tally
}

/// (cell, bucket) → the ranks it holds, as (rank index, place within the bucket).
type Wanted = BTreeMap<(usize, usize), Vec<(usize, usize)>>;

/// From a group's counts: the order statistics the counts alone give (single-value
/// buckets, sorted values in small runs), whether each cell is constant, and the buckets
/// still to read.
fn locate(
    tally: &mut Tally,
    plans: &[Plan],
    ranks: &[usize],
    n: usize,
) -> (Vec<Vec<f64>>, Vec<Option<f64>>, Wanted) {
    let cells = tally.sums.len();
    let mut stats = vec![vec![f64::NAN; ranks.len()]; cells];
    let mut constant = vec![None; cells];
    let mut wanted = Wanted::new();
    if !tally.values.is_empty() {
        let bad = &tally.first_non_finite;
        tally
            .values
            .par_iter_mut()
            .zip(stats.par_iter_mut().zip(constant.par_iter_mut()))
            .enumerate()
            .filter(|(cell, _)| bad[*cell].is_none())
            .for_each(|(_, (values, (stats, constant)))| {
                values.sort_unstable_by(f64::total_cmp);
                if values.first() == values.last() {
                    *constant = values.first().copied();
                }
                for (slot, &r) in stats.iter_mut().zip(ranks) {
                    *slot = values[r];
                }
            });
        return (stats, constant, wanted);
    }
    for cell in 0..cells {
        if tally.first_non_finite[cell].is_some() {
            continue;
        }
        let histogram = &tally.histograms[cell * HISTOGRAM..(cell + 1) * HISTOGRAM];
        let mut below = 0u64;
        let mut r = 0;
        for (bucket, &count) in histogram.iter().enumerate() {
            while r < ranks.len() && (ranks[r] as u64) < below + count {
                let place = (ranks[r] as u64 - below) as usize;
                match plans[cell].buckets.single_value(bucket) {
                    Some(v) => stats[cell][r] = v,
                    None => wanted.entry((cell, bucket)).or_default().push((r, place)),
                }
                r += 1;
            }
            if count == n as u64 {
                constant[cell] = plans[cell].buckets.single_value(bucket);
            }
            below += count;
        }
    }
    (stats, constant, wanted)
}

/// Run the model and summarise it into [`Results`]. Runs of at most `sort_all_below`
/// paths sort every value; `predict` lets pass 1 keep the pilot's predicted buckets
/// (the engine always does; tests turn it off to exercise the second pass).
pub(crate) fn summarise(
    model: &Model,
    options: &RunOptions<'_>,
    sort_all_below: usize,
    predict: bool,
) -> Result<Results, RunError> {
    let n = options.paths;
    let layout = Layout::new(model, n);
    let mut sets: Vec<Paths> = (0..layout.branches).map(Paths::Branch).collect();
    if layout.branches > 1 {
        sets.push(Paths::Mixture);
    }
    let sort_all = n <= sort_all_below;
    // The order statistics the quantiles interpolate between.
    let mut ranks: Vec<usize> = PROBABILITIES
        .iter()
        .flat_map(|&p| {
            let (lo, _) = quantile::position(n, p);
            [lo, (lo + 1).min(n - 1)]
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let groups: Vec<Group> = (0..layout.years)
        .flat_map(|t| (0..layout.countries).map(move |c| (t, c)))
        .map(|(t, c)| Group::new(model, &layout, t, c, &sets))
        .collect();
    let run = Run {
        model,
        layout: &layout,
        simulator: Simulator::new(model, &layout, options.seed),
        groups,
        sets: &sets,
        chunks: layout.blocks().div_ceil(CHUNK_BLOCKS),
        progress: options.progress,
    };

    let mut plans: Vec<Vec<Plan>> = if sort_all {
        Vec::new()
    } else {
        run.pilot(&ranks)
    };
    if !predict {
        for plan in plans.iter_mut().flatten() {
            plan.keep.iter_mut().for_each(|k| *k = false);
            plan.keeps_any = false;
        }
    }
    let kept_fractions: Vec<f64> = plans.iter().flatten().map(|p| p.kept_fraction).collect();
    let mut workers = run.tally(&plans, sort_all, &kept_fractions);

    // Per group: locate the ranks; read kept buckets; note the ones the pilot missed.
    let mut located = Vec::with_capacity(run.groups.len());
    let mut missing: Vec<Wanted> = Vec::with_capacity(run.groups.len());
    let mut any_missing = false;
    for (g, group) in run.groups.iter().enumerate() {
        let mut tally = merge(&mut workers, g, group.cells(), sort_all);
        let no_plans: &[Plan] = &[];
        let group_plans = if sort_all { no_plans } else { &plans[g] };
        let (stats, constant, wanted) = locate(&mut tally, group_plans, &ranks, n);
        let mut in_bucket: BTreeMap<(usize, usize), Vec<f64>> = BTreeMap::new();
        let mut miss = Wanted::new();
        for (&(cell, bucket), places) in &wanted {
            if group_plans[cell].keep[bucket] {
                in_bucket.insert(
                    (cell, bucket),
                    workers
                        .iter()
                        .flat_map(|w| &w.kept[g][cell])
                        .filter(|(b, _)| *b as usize == bucket)
                        .map(|(_, v)| *v)
                        .collect(),
                );
            } else {
                miss.insert((cell, bucket), places.clone());
            }
        }
        any_missing |= !miss.is_empty();
        missing.push(miss);
        located.push((tally, stats, constant, wanted, in_bucket));
    }
    if any_missing {
        for (g, found) in run.collect(&plans, &missing).into_iter().enumerate() {
            located[g].4.extend(found);
        }
    }

    let mut events = vec![0u64; sets.len() * model.events.len()];
    for w in &workers {
        for (total, x) in events.iter_mut().zip(&w.events) {
            *total += x;
        }
    }

    let mut summaries: BTreeMap<CellKey, CellSummary> = BTreeMap::new();
    for (group, (tally, mut stats, constant, wanted, mut in_bucket)) in
        run.groups.iter().zip(located)
    {
        for ((cell, bucket), places) in wanted {
            let values = in_bucket.entry((cell, bucket)).or_default();
            for (r, place) in places {
                stats[cell][r] = *values.select_nth_unstable_by(place, f64::total_cmp).1;
            }
        }
        for (cell, stats) in stats.iter().enumerate() {
            let at = |rank: usize| stats[ranks.binary_search(&rank).unwrap_or(0)];
            let mut quantiles = [f64::NAN; 5];
            for (q, &p) in quantiles.iter_mut().zip(&PROBABILITIES) {
                let (lo, g) = quantile::position(n, p);
                *q = quantile::lerp(at(lo), at((lo + 1).min(n - 1)), g);
            }
            let (set, measure) = group.cell(cell);
            let met = group
                .targets
                .iter()
                .zip(&tally.met)
                .filter(|((target_cell, _, _), _)| *target_cell == cell)
                .map(|((_, target, _), count)| (*target, *count))
                .collect();
            let measure_index = Measure::ALL.iter().position(|m| *m == measure).unwrap_or(0);
            summaries.insert(
                (set, group.c, group.t, measure_index),
                CellSummary {
                    quantiles,
                    // A constant cell's mean is its value (a sum would drift in the last bits).
                    mean: constant[cell].unwrap_or(tally.sums[cell] / n as f64),
                    met,
                    first_non_finite: tally.first_non_finite[cell],
                },
            );
        }
    }
    records(model, options.seed, n, &sets, &summaries, &events)
}

fn records(
    model: &Model,
    seed: u64,
    n: usize,
    sets: &[Paths],
    summaries: &BTreeMap<CellKey, CellSummary>,
    event_counts: &[u64],
) -> Result<Results, RunError> {
    let set_index = |p: Paths| sets.iter().position(|s| *s == p).unwrap_or(0);
    // Output sets: each declared branch and the mixture; or the one implicit branch.
    let branches = model.branches.len();
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
    let measure_index = |m: Measure| Measure::ALL.iter().position(|x| *x == m).unwrap_or(0);

    let mut records = Vec::new();
    for (name, paths) in &outputs {
        let set = set_index(*paths);
        for (c, cm) in model.countries.iter().enumerate() {
            for m in Measure::ALL {
                for (t, &year) in model.years.iter().enumerate() {
                    let s =
                        &summaries[&(if m.is_economy() { 0 } else { set }, c, t, measure_index(m))];
                    if let Some(path) = s.first_non_finite {
                        return Err(RunError::NonFinite {
                            path,
                            country: cm.code.clone(),
                            measure: m.id(),
                            year,
                        });
                    }
                    let mut p_target_met = BTreeMap::new();
                    for target_measure in [Measure::MilexGdp, Measure::MilexLcu] {
                        for &(target, count) in
                            &summaries[&(set, c, t, measure_index(target_measure))].met
                        {
                            p_target_met
                                .insert(model.targets[target].id.clone(), count as f64 / n as f64);
                        }
                    }
                    let cumulative = summaries
                        [&(set, c, t, measure_index(Measure::MilexExtraCumulativeLcu))]
                        .mean;
                    let mut flags = cm.flags[t];
                    if cm.plan_year[t] && !m.is_economy() {
                        flags.insert(Flag::Plan);
                    }
                    let q = s.quantiles;
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

    Ok(Results {
        scenario: model.name.clone(),
        seed,
        paths: n,
        definition: model.definition.clone(),
        base_year: model.base_year,
        horizon: [model.years[0], model.years[model.years.len() - 1]],
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
        events: event_summaries(model, n, sets, &outputs, event_counts),
        notes: model.notes.clone(),
        records,
    })
}

fn event_summaries(
    model: &Model,
    n: usize,
    sets: &[Paths],
    outputs: &[(String, Paths)],
    counts: &[u64],
) -> Vec<EventSummary> {
    let mut out = Vec::new();
    for (name, paths) in outputs {
        let set = sets.iter().position(|s| s == paths).unwrap_or(0);
        for (e, event) in model.events.iter().enumerate() {
            if let Paths::Branch(b) = paths
                && event.branch.is_some_and(|own| own != *b)
            {
                continue;
            }
            out.push(EventSummary {
                branch: name.clone(),
                id: event.id.clone(),
                kind: event.kind.to_string(),
                country: model.countries[event.country].code.clone(),
                year: event.year,
                probability: event.probability,
                occurred: counts[set * model.events.len() + e] as f64 / n as f64,
                note: event.note.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::RunOptions;
    use crate::{Baseline, BaselineYear, Inputs, Volatility, parse, resolve};
    use fairshare_dataset::{Flags, YearBasis, registry::builtin_countries};

    /// The histogram paths (values kept in pass 1, or collected in pass 2) give exactly
    /// what sorting every value gives.
    #[test]
    fn histogram_and_sort_agree() {
        let text = r#"
name = "modes"
horizon = [2025, 2030]
definition = "sipri"
countries = ["JPN"]
[economy.JPN.growth.shock]
distribution = "student_t"
df = 4
ar1 = 0.5
[policy.JPN]
rule = "budget"
amounts = { 2025 = 9e12, 2026 = 9.5e12 }
[response.JPN]
rule = "elasticity"
elasticity = 0.7
[[branches]]
name = "a"
probability = 0.4
[[branches.events]]
kind = "withdrawal"
country = "JPN"
year = 2027
probability = 0.5
replacement_usd = 20e9
[[branches]]
name = "b"
probability = 0.6
[[targets]]
id = "2pct"
share = 2.0
"#;
        let scenario = parse(text, "modes.toml", &builtin_countries()).unwrap();
        let mut inputs = Inputs::default();
        inputs.baselines.insert(
            "JPN".into(),
            Baseline {
                year_basis: YearBasis::Calendar,
                base_year: 2024,
                gdp_lcu: 600e12,
                milex_lcu: 8.4e12,
                milex_gdp: 1.4,
                exchange_rate: 150.0,
                hns_lcu: None,
                years: (2025..=2030)
                    .map(|year| BaselineYear {
                        year,
                        gdp_real_growth: 0.6,
                        inflation: 2.0,
                        exchange_rate: 150.0,
                        flags: Flags::EMPTY,
                    })
                    .collect(),
                volatility: Some(Volatility {
                    gdp_real_growth: 1.5,
                    inflation: 1.0,
                    exchange_rate: 8.0,
                    method: String::new(),
                }),
                macro_definition: "imf_weo".into(),
                source: String::new(),
                vintage: String::new(),
                notes: vec![],
            },
        );
        let model = resolve(&scenario, &inputs).unwrap();
        for paths in [3_000, 40_000] {
            let options = RunOptions {
                paths,
                seed: 3,
                progress: None,
            };
            let sorted = summarise(&model, &options, usize::MAX, true).unwrap();
            let predicted = summarise(&model, &options, 0, true).unwrap();
            assert_eq!(sorted, predicted, "{paths} paths, predicted buckets");
            // Without predictions every wanted bucket comes from the second pass.
            let collected = summarise(&model, &options, 0, false).unwrap();
            assert_eq!(sorted, collected, "{paths} paths, second pass");
        }
    }

    #[test]
    fn keys_keep_order() {
        let values = [-1e300, -2.5, -0.0, 0.0, 1e-300, 3.0, 7.5e12, f64::MAX];
        for w in values.windows(2) {
            assert!(key(w[0]) <= key(w[1]), "{w:?}");
        }
        for v in values {
            assert_eq!(from_key(key(v)).to_bits(), v.to_bits());
        }
        let map = Buckets::spanning(key(1.0), key(2.0));
        assert!(matches!(map, Buckets::Linear { .. }));
        assert_eq!(map.of(0.5), 0);
        assert_eq!(map.of(1.0), 1);
        assert_eq!(map.of(2.0), BUCKETS + 1);
        assert_eq!(map.of(1e9), BUCKETS + 1);
        assert_eq!(map.of(f64::NAN), 0);
        let mut last = 0;
        for i in 0..10_000 {
            let b = map.of(0.9 + i as f64 * 1.3e-4);
            assert!(b >= last);
            last = b;
        }
        let exact = Buckets::spanning(key(2.5), key(2.5) + 3);
        assert_eq!(exact.single_value(exact.of(2.5)), Some(2.5));
    }
}
