//! Quantiles by linear interpolation between order statistics: Hyndman & Fan's type 7,
//! numpy's default (`method="linear"`), written as numpy writes it so the results are
//! the same to the last bit.
//!
//! For h = (n − 1)·p, the quantile lies between the order statistics x₍⌊h⌋₎ and
//! x₍⌊h⌋+1₎ at fraction g = h − ⌊h⌋. The order statistics are exact whatever the method
//! used to find them, so a quantile does not depend on thread count or chunking.
//!
//! Finding them: small inputs are sorted. Large ones (a million paths) use a sampled
//! bracket: sort a strided sample, take a window around each wanted rank wide enough to
//! hold it with overwhelming probability, count the values below each window and collect
//! those inside in one pass, then select within the (small) windows. If a window misses
//! its rank — which the wide margin makes very rare — that rank falls back to a full
//! selection, so the answer is always exact.

use std::cmp::Ordering;

/// The quantiles every record reports.
pub const PROBABILITIES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Inputs at most this long are simply sorted.
const SORT_BELOW: usize = 1 << 15;
/// Size of the sorted sample that brackets the ranks of a large input.
const SAMPLE: usize = 1 << 13;

/// Type-7 quantile of sorted, finite values (numpy's `np.quantile(x, p)`).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    assert!(n > 0, "quantile of no values");
    let (lo, g) = position(n, p);
    let a = sorted[lo];
    let b = sorted[(lo + 1).min(n - 1)];
    lerp(a, b, g)
}

/// Type-7 quantiles of finite values at each probability; reorders `values`.
pub fn quantiles(values: &mut [f64], probabilities: &[f64]) -> Vec<f64> {
    let n = values.len();
    assert!(n > 0, "quantiles of no values");
    let mut ranks: Vec<usize> = Vec::with_capacity(2 * probabilities.len());
    for &p in probabilities {
        let (lo, _) = position(n, p);
        ranks.push(lo);
        ranks.push((lo + 1).min(n - 1));
    }
    ranks.sort_unstable();
    ranks.dedup();
    let stats = order_statistics(values, &ranks);
    let at = |rank: usize| stats[ranks.binary_search(&rank).expect("rank was requested")];
    probabilities
        .iter()
        .map(|&p| {
            let (lo, g) = position(n, p);
            lerp(at(lo), at((lo + 1).min(n - 1)), g)
        })
        .collect()
}

/// numpy: `virtual_indexes = (n - 1) * quantiles`, `previous = floor(virtual)`,
/// `gamma = virtual - previous` (clipped into the array).
pub(crate) fn position(n: usize, p: f64) -> (usize, f64) {
    let h = (n as f64 - 1.0) * p;
    let lo = h.floor();
    let g = h - lo;
    let lo = (lo.max(0.0) as usize).min(n - 1);
    (lo, g)
}

/// numpy's `_lerp`: `a + (b - a) * t`, or `b - (b - a) * (1 - t)` when t ≥ 0.5, which
/// keeps the result monotone in t and exact at both ends.
pub(crate) fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let diff = b - a;
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

fn cmp(a: &f64, b: &f64) -> Ordering {
    a.total_cmp(b)
}

/// The values at the given sorted, distinct ranks (0-based) of the ascending order.
fn order_statistics(values: &mut [f64], ranks: &[usize]) -> Vec<f64> {
    let n = values.len();
    if n <= SORT_BELOW {
        values.sort_unstable_by(cmp);
        return ranks.iter().map(|&r| values[r]).collect();
    }

    // A strided sample: paths are independent, so every k-th is a random sample.
    let step = n / SAMPLE;
    let mut sample: Vec<f64> = (0..SAMPLE).map(|i| values[i * step]).collect();
    sample.sort_unstable_by(cmp);
    let ns = SAMPLE as f64;

    // A window [lo, hi] of values around each rank: ±5 standard deviations of the
    // sample rank, plus a few places for rounding.
    let mut windows: Vec<(f64, f64)> = Vec::new();
    let mut window_of_rank = Vec::with_capacity(ranks.len());
    for &r in ranks {
        let p = (r as f64 + 0.5) / n as f64;
        let centre = p * ns;
        let margin = 5.0 * (ns * p * (1.0 - p)).sqrt() + 8.0;
        let lo_i = centre - margin;
        let hi_i = centre + margin;
        let lo = if lo_i < 0.0 {
            f64::NEG_INFINITY
        } else {
            sample[lo_i as usize]
        };
        let hi = if hi_i >= ns - 1.0 {
            f64::INFINITY
        } else {
            sample[hi_i.ceil() as usize]
        };
        match windows.last_mut() {
            // Windows come in rank order; merge one that overlaps the previous.
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => windows.push((lo, hi)),
        }
        window_of_rank.push(windows.len() - 1);
    }

    let m = windows.len();
    let mut below = vec![0usize; m];
    let mut inside: Vec<Vec<f64>> = vec![Vec::new(); m];
    for &x in values.iter() {
        for (w, &(lo, hi)) in windows.iter().enumerate() {
            below[w] += (x < lo) as usize;
            if x >= lo && x <= hi {
                inside[w].push(x);
            }
        }
    }

    let mut out = Vec::with_capacity(ranks.len());
    let mut selected_upto = vec![0usize; m]; // ranks already placed within each window
    for (i, &r) in ranks.iter().enumerate() {
        let w = window_of_rank[i];
        let bucket = &mut inside[w];
        match r.checked_sub(below[w]) {
            Some(local) if local < bucket.len() => {
                // Ranks ascend, so select within the part not yet placed.
                let from = selected_upto[w].min(local);
                let (_, v, _) = bucket[from..].select_nth_unstable_by(local - from, cmp);
                out.push(*v);
                selected_upto[w] = local + 1;
            }
            _ => {
                let (_, v, _) = values.select_nth_unstable_by(r, cmp);
                out.push(*v);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from numpy 2.4.6 (numpy's default method="linear", type 7):
    //   import numpy as np
    //   x = np.array([3.5, -1.25, 7.0, 0.1, 2.2, 9.75, 4.4])
    //   np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95]).tolist()
    //   x2 = np.arange(1, 11) * 0.1
    //   np.quantile(x2, [0.05, 0.25, 0.5, 0.75, 0.95]).tolist()
    //   np.quantile(np.array([42.0]), [0.05, 0.5, 0.95]).tolist()
    //   np.quantile(np.array([1.0, 2.0]), [0.05, 0.25, 0.5, 0.75, 0.95]).tolist()
    #[test]
    fn matches_numpy_type_7() {
        let mut x = vec![3.5, -1.25, 7.0, 0.1, 2.2, 9.75, 4.4];
        let q = quantiles(&mut x, &PROBABILITIES);
        assert_eq!(q, NUMPY_X);

        let mut x2: Vec<f64> = (1..=10).map(|i| i as f64 * 0.1).collect();
        let q2 = quantiles(&mut x2, &PROBABILITIES);
        assert_eq!(q2, NUMPY_X2);

        assert_eq!(quantiles(&mut [42.0], &[0.05, 0.5, 0.95]), vec![42.0; 3]);
        assert_eq!(quantiles(&mut [1.0, 2.0], &PROBABILITIES), NUMPY_PAIR);
    }

    const NUMPY_X: [f64; 5] = [-0.845, 1.1500000000000001, 3.5, 5.7, 8.924999999999997];
    const NUMPY_X2: [f64; 5] = [
        0.14500000000000002,
        0.32500000000000007,
        0.55,
        0.775,
        0.9549999999999998,
    ];
    const NUMPY_PAIR: [f64; 5] = [1.05, 1.25, 1.5, 1.75, 1.95];

    #[test]
    fn sorted_and_unsorted_agree() {
        let mut x = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        let q = quantiles(&mut x.clone(), &PROBABILITIES);
        x.sort_by(f64::total_cmp);
        for (p, v) in PROBABILITIES.iter().zip(q) {
            assert_eq!(quantile_sorted(&x, *p), v);
        }
    }

    /// The bracketed selection (large inputs) gives exactly what sorting gives.
    #[test]
    fn bracket_equals_sort_on_large_inputs() {
        let mut state = 0x1234_5678_9abc_def0u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for (n, ties) in [(SORT_BELOW + 1, false), (200_003, false), (100_000, true)] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    let u = next();
                    if ties {
                        (u * 10.0).floor()
                    } else {
                        (u - 0.5).powi(3) * 1e6
                    }
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let expected: Vec<f64> = PROBABILITIES
                .iter()
                .map(|&p| quantile_sorted(&sorted, p))
                .collect();
            assert_eq!(
                quantiles(&mut values.clone(), &PROBABILITIES),
                expected,
                "n = {n}"
            );
        }
    }
}
