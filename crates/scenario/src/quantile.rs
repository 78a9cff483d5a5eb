//! Quantiles by linear interpolation between order statistics: Hyndman & Fan's type 7,
//! numpy's default (`method="linear"`), written as numpy writes it so the results are
//! the same to the last bit.
//!
//! For h = (n − 1)·p, the quantile lies between the order statistics x₍⌊h⌋₎ and
//! x₍⌊h⌋+1₎ at fraction g = h − ⌊h⌋. The engine finds the order statistics of a million
//! paths by counting (`summary`); this module holds the interpolation and a plain
//! sort-based version for small inputs.

/// The quantiles every record reports.
pub const PROBABILITIES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Type-7 quantile of sorted, finite values (numpy's `np.quantile(x, p)`).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    assert!(n > 0, "quantile of no values");
    let (lo, g) = position(n, p);
    let a = sorted[lo];
    let b = sorted[(lo + 1).min(n - 1)];
    lerp(a, b, g)
}

/// Type-7 quantiles of finite values at each probability; sorts `values`.
pub fn quantiles(values: &mut [f64], probabilities: &[f64]) -> Vec<f64> {
    assert!(!values.is_empty(), "quantiles of no values");
    values.sort_unstable_by(f64::total_cmp);
    probabilities
        .iter()
        .map(|&p| quantile_sorted(values, p))
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
}
