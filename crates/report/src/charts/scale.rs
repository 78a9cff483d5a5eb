//! Linear scales and "nice" ticks (steps of 1, 2, 2.5 or 5 times a power of ten).

/// Maps a value domain onto a pixel range (either direction).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Linear {
        Linear {
            d0: domain.0,
            d1: domain.1,
            r0: range.0,
            r1: range.1,
        }
    }

    pub fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 {
            return (self.r0 + self.r1) / 2.0;
        }
        self.r0 + (v - self.d0) / span * (self.r1 - self.r0)
    }
}

/// A step of 1, 2, 2.5 or 5 times a power of ten near `span / target` ticks.
pub fn nice_step(span: f64, target: f64) -> f64 {
    if span.is_nan() || span <= 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / target.max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let step = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    step * mag
}

/// Decimals a tick label needs at this step (0.5 -> 1, 2.5 -> 1, 0.25 -> 2, 5 -> 0).
pub fn step_decimals(step: f64) -> u8 {
    let mut d = 0u8;
    while d < 6 {
        let scaled = step * 10f64.powi(d as i32);
        if (scaled - scaled.round()).abs() < 1e-6 {
            return d;
        }
        d += 1;
    }
    d
}

/// A domain widened to whole steps, and the ticks in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub values: Vec<f64>,
}

/// Nice ticks covering `[lo, hi]` with about `target` intervals.
pub fn nice_ticks(lo: f64, hi: f64, target: f64) -> Ticks {
    let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if !lo.is_finite() || !hi.is_finite() {
        lo = 0.0;
        hi = 1.0;
    }
    if hi - lo < 1e-12 {
        // One value: give it room.
        let pad = if hi.abs() > 0.0 { hi.abs() * 0.5 } else { 1.0 };
        hi += pad;
        if lo != 0.0 {
            lo -= pad;
        }
    }
    let step = nice_step(hi - lo, target);
    // Tolerances lean inward, so a value on a tick does not add a tick beyond it.
    let min = (lo / step + 1e-9).floor() * step;
    let max = (hi / step - 1e-9).ceil() * step;
    let n = ((max - min) / step).round() as i64;
    let values = (0..=n)
        .map(|i| {
            let v = min + i as f64 * step;
            // Snap float noise (0.30000000000000004) to the step's decimals.
            let p = 10f64.powi(step_decimals(step) as i32 + 2);
            (v * p).round() / p
        })
        .collect();
    Ticks {
        min,
        max,
        step,
        values,
    }
}

/// Year ticks on a time axis from `t0` to `t1` (decimal years) with at most
/// `max_ticks` labels: a year step of 1, 2, 5, 10, 20, 25 or 50.
pub fn year_ticks(t0: f64, t1: f64, max_ticks: usize) -> Vec<i32> {
    let first = t0.floor() as i32;
    let last = (t1 - 1e-9).floor() as i32;
    if last < first {
        return vec![first];
    }
    let span = (last - first).max(1) as usize;
    let step = [1usize, 2, 5, 10, 20, 25, 50, 100]
        .into_iter()
        .find(|s| span / s < max_ticks.max(2))
        .unwrap_or(100) as i32;
    let start = first.div_euclid(step) * step;
    let mut ticks: Vec<i32> = (0..)
        .map(|i| start + i * step)
        .take_while(|y| *y <= last)
        .filter(|y| *y >= first)
        .collect();
    // Label the last year too (where the data end), when it is clear of the last tick.
    if let Some(&prev) = ticks.last()
        && last - prev >= (step / 2).max(2)
    {
        ticks.push(last);
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_nice() {
        let t = nice_ticks(0.0, 3.31, 5.0);
        assert_eq!(t.values, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let t = nice_ticks(0.0, 4.4, 5.0);
        assert_eq!(t.values, vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(step_decimals(0.5), 1);
        assert_eq!(step_decimals(2.5), 1);
        assert_eq!(step_decimals(0.25), 2);
        assert_eq!(step_decimals(50.0), 0);
        let t = nice_ticks(0.0, 5.6, 5.0);
        assert_eq!(t.values, vec![0.0, 2.0, 4.0, 6.0]);
        let t = nice_ticks(0.0, 4.0, 4.0);
        assert_eq!(t.values, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let t = nice_ticks(0.0, 0.0, 5.0);
        assert!(t.max > 0.0);
    }

    #[test]
    fn year_ticks_fit() {
        assert_eq!(
            year_ticks(1990.0, 2025.0, 8),
            vec![1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024]
        );
        assert_eq!(
            year_ticks(2020.0, 2025.0, 8),
            vec![2020, 2021, 2022, 2023, 2024]
        );
        let s = Linear::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!(s.map(2.5), 75.0);
    }
}
