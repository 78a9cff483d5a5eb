//! Synthetic panels for the tests and the statsmodels benchmark
//! (`examples/panel_bench.rs` includes this file).
//!
//! A small generator of our own rather than `rand`: the fixtures must stay bit-for-bit the
//! same across crate versions, and this is all they need.

#![allow(dead_code)]

use fairshare_models::panel::Panel;

/// SplitMix64 (Steele, Lea & Flood 2014) with Box–Muller normals.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on the open interval (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// A generated panel in long form, rows sorted by group then year.
pub struct Synthetic {
    pub groups: Vec<String>,
    pub times: Vec<i32>,
    pub y: Vec<f64>,
    /// One column per regressor, named `x1`, `x2`, ...
    pub x: Vec<Vec<f64>>,
    pub names: Vec<String>,
}

impl Synthetic {
    pub fn panel(&self) -> Panel {
        let mut panel = Panel::new(self.groups.clone(), self.times.clone()).unwrap();
        panel.add_variable("y", self.y.clone()).unwrap();
        for (name, column) in self.names.iter().zip(&self.x) {
            panel.add_variable(name.clone(), column.clone()).unwrap();
        }
        panel
    }
}

/// `y_it = α_i + [λ·y_i,t−1] + Σ_j β_j x_jit + σ·ε_it` for `groups × years` rows from 1990.
/// Regressors have group-specific levels, trends and shocks (like log GDP); with a lag the
/// process starts at its steady state one year before the first row.
pub fn generate(
    groups: usize,
    years: usize,
    beta: &[f64],
    lambda: Option<f64>,
    noise_sd: f64,
    seed: u64,
) -> Synthetic {
    let mut rng = Rng::new(seed);
    let mut out = Synthetic {
        groups: Vec::new(),
        times: Vec::new(),
        y: Vec::new(),
        x: vec![Vec::new(); beta.len()],
        names: (1..=beta.len()).map(|j| format!("x{j}")).collect(),
    };
    for g in 0..groups {
        let alpha = 2.0 * rng.normal();
        let levels: Vec<f64> = beta.iter().map(|_| 3.0 * rng.normal()).collect();
        let trends: Vec<f64> = beta.iter().map(|_| 0.05 * rng.normal()).collect();
        let regressors = |t: usize, rng: &mut Rng| -> Vec<f64> {
            (0..beta.len())
                .map(|j| levels[j] + trends[j] * t as f64 + 0.5 * rng.normal())
                .collect()
        };
        let mut previous = lambda.map(|l| {
            let x0 = regressors(0, &mut rng);
            let xb: f64 = x0.iter().zip(beta).map(|(x, b)| x * b).sum();
            (alpha + xb) / (1.0 - l)
        });
        for t in 0..years {
            let x = regressors(t + 1, &mut rng);
            let xb: f64 = x.iter().zip(beta).map(|(x, b)| x * b).sum();
            let mut y = alpha + xb + noise_sd * rng.normal();
            if let (Some(l), Some(p)) = (lambda, previous) {
                y += l * p;
            }
            previous = Some(y);
            out.groups.push(format!("G{g:03}"));
            out.times.push(1990 + t as i32);
            out.y.push(y);
            for (column, value) in out.x.iter_mut().zip(x) {
                column.push(value);
            }
        }
    }
    out
}
