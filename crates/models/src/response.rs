//! The fitted demand model as an ally-response rule for scenarios: how an ally's
//! spending moves when its income, its allies' spending (the spill-in) or its rivals'
//! spending (the threat) move away from a baseline, with the coefficient uncertainty of
//! the fit carried into Monte Carlo paths.
//!
//! # The rule
//!
//! The demand regression ([`crate::panel`]) is
//!
//! ```text
//! ln M_it = α_i + λ·ln M_i,t−1 + β·ln Y_it + γ·ln SPILL_it + δ·ln THREAT_it + ε_it
//! ```
//!
//! Against a baseline path the fixed effect cancels, so the deviation of ln M from the
//! baseline, `d_t`, follows
//!
//! ```text
//! d_t = λ·d_{t−1} + β·Δln Y_t + γ·Δln SPILL_t + δ·Δln THREAT_t,     d_{−1} = 0
//! ```
//!
//! and spending is the baseline times `exp(d_t)` ([`Elasticities::respond`]). In the long
//! run a permanent shock gives `d = (β·Δln Y + γ·Δln SPILL + δ·Δln THREAT)/(1−λ)`
//! ([`Elasticities::long_run`]). A US withdrawal that removes `W` of the spill-in `S` is
//! `Δln SPILL = ln((S−W)/S)` ([`spill_in_shock`]); with γ < 0 (allies' spending substitutes
//! for one's own) the ally spends more, with γ > 0 (complements) less.
//!
//! # Uncertainty
//!
//! [`ResponseRule::draw`] draws the coefficients `(λ, β, γ, δ)` from the multivariate
//! normal `N(θ̂, V̂)` of the fit (its cluster-robust or other covariance), one draw per
//! Monte Carlo path, from the caller's seeded generator: `θ = θ̂ + F·z` with `z` standard
//! normal and `F = Q·Λ^½` from the eigen-decomposition `V̂ = Q·Λ·Q'` (which, unlike a
//! Cholesky factor, exists for a covariance that is only semi-definite). The same seed
//! gives the same draws. A draw may put λ at or above 1; `respond` still works year by
//! year, `long_run` then returns `None`.
//!
//! # Example
//!
//! ```
//! use fairshare_models::response::{Elasticities, Shock, spill_in_shock};
//!
//! let e = Elasticities { lambda: 0.5, income: 0.4, spill_in: -0.2, threat: 0.1 };
//! // The US withdraws half of a spill-in: ln(0.5) ≈ −0.693.
//! let shock = Shock { ln_spill: spill_in_shock(100.0, 50.0).unwrap(), ..Shock::default() };
//! let path = e.respond(&[shock; 3]);
//! assert!((path[0] - (0.2 * 2f64.ln()).exp()).abs() < 1e-12);
//! assert!(path[2] > path[1] && path[1] > path[0]);
//! assert!((e.long_run(&shock).unwrap() - (0.4 * 2f64.ln()).exp()).abs() < 1e-12);
//! ```

use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;
use thiserror::Error;

use crate::panel::{PanelFit, lag_name};

/// Why a rule could not be built or applied.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ResponseError {
    #[error("the fit has none of ln_gdp, ln_spill, ln_threat: a response rule needs at least one")]
    NoTerms,

    #[error("{what} has {got} entries; expected {expected}")]
    Shape {
        what: &'static str,
        got: usize,
        expected: usize,
    },

    #[error("the covariance is not symmetric or not finite")]
    BadCovariance,

    #[error("spill-in {spill} and withdrawn amount {withdrawn}: need 0 ≤ withdrawn < spill")]
    BadSpill { spill: f64, withdrawn: f64 },
}

/// One set of coefficients: short-run elasticities and the lag. Terms the fit did not
/// estimate are 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Elasticities {
    /// λ, the coefficient on last year's ln M.
    pub lambda: f64,
    /// β, income.
    pub income: f64,
    /// γ, spill-in.
    pub spill_in: f64,
    /// δ, threat.
    pub threat: f64,
}

/// One year's deviations from the baseline, in logs.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Shock {
    pub ln_gdp: f64,
    pub ln_spill: f64,
    pub ln_threat: f64,
}

impl Elasticities {
    /// This year's direct effect on ln M.
    pub fn impact(&self, shock: &Shock) -> f64 {
        self.income * shock.ln_gdp + self.spill_in * shock.ln_spill + self.threat * shock.ln_threat
    }

    /// Spending relative to the baseline (`exp(d_t)`), year by year, for the shocks given.
    pub fn respond(&self, shocks: &[Shock]) -> Vec<f64> {
        let mut d = 0.0;
        shocks
            .iter()
            .map(|s| {
                d = self.lambda * d + self.impact(s);
                d.exp()
            })
            .collect()
    }

    /// Spending relative to the baseline once a permanent shock has worked through;
    /// `None` when λ ≥ 1 (no long-run equilibrium).
    pub fn long_run(&self, shock: &Shock) -> Option<f64> {
        (self.lambda < 1.0).then(|| (self.impact(shock) / (1.0 - self.lambda)).exp())
    }
}

/// `Δln SPILL` when `withdrawn` of a spill-in `spill` disappears: `ln((S−W)/S)`.
pub fn spill_in_shock(spill: f64, withdrawn: f64) -> Result<f64, ResponseError> {
    if !(spill.is_finite()
        && withdrawn.is_finite()
        && spill > 0.0
        && (0.0..spill).contains(&withdrawn))
    {
        return Err(ResponseError::BadSpill { spill, withdrawn });
    }
    Ok(((spill - withdrawn) / spill).ln())
}

/// The fitted coefficients and their covariance, ready to draw from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseRule {
    /// `["lambda", "income", "spill_in", "threat"]`.
    pub names: [&'static str; 4],
    /// θ̂ in that order (0 for a term not estimated).
    pub estimate: [f64; 4],
    /// V̂ in that order (zero rows and columns for terms not estimated).
    pub covariance: [[f64; 4]; 4],
    /// Which terms the fit estimated.
    pub estimated: [bool; 4],
    /// The fit's specification in words, for notes.
    pub specification: String,
    #[serde(skip)]
    factor: DMatrix<f64>,
}

/// The fit's names for the four terms, given its dependent variable.
fn term_names(dependent: &str) -> [String; 4] {
    [
        lag_name(dependent),
        "ln_gdp".to_string(),
        "ln_spill".to_string(),
        "ln_threat".to_string(),
    ]
}

impl ResponseRule {
    /// The rule of a fitted demand regression (regressors named `ln_gdp`, `ln_spill`,
    /// `ln_threat`; the lag if it has one).
    pub fn from_fit(fit: &PanelFit) -> Result<ResponseRule, ResponseError> {
        let names = term_names(&fit.dependent);
        let position: Vec<Option<usize>> = names
            .iter()
            .map(|n| fit.coefficients.iter().position(|c| &c.name == n))
            .collect();
        if position[1..].iter().all(Option::is_none) {
            return Err(ResponseError::NoTerms);
        }
        let mut estimate = [0.0; 4];
        let mut covariance = [[0.0; 4]; 4];
        for (a, pa) in position.iter().enumerate() {
            let Some(pa) = *pa else { continue };
            estimate[a] = fit.coefficients[pa].estimate;
            for (b, pb) in position.iter().enumerate() {
                if let Some(pb) = *pb {
                    covariance[a][b] = fit.covariance_matrix[pa][pb];
                }
            }
        }
        let estimated = [0, 1, 2, 3].map(|k| position[k].is_some());
        ResponseRule::new(estimate, covariance, estimated, fit.specification.clone())
    }

    /// A rule from coefficients and their covariance directly.
    pub fn new(
        estimate: [f64; 4],
        covariance: [[f64; 4]; 4],
        estimated: [bool; 4],
        specification: String,
    ) -> Result<ResponseRule, ResponseError> {
        let v = DMatrix::from_fn(4, 4, |a, b| covariance[a][b]);
        let symmetric = (0..4).all(|a| {
            (0..4).all(|b| {
                let (x, y) = (v[(a, b)], v[(b, a)]);
                x.is_finite()
                    && (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(f64::MIN_POSITIVE)
            })
        });
        if !symmetric || estimate.iter().any(|x| !x.is_finite()) {
            return Err(ResponseError::BadCovariance);
        }
        let eigen = v.symmetric_eigen();
        let roots = eigen.eigenvalues.map(|l| l.max(0.0).sqrt());
        let factor = &eigen.eigenvectors * DMatrix::from_diagonal(&roots);
        Ok(ResponseRule {
            names: ["lambda", "income", "spill_in", "threat"],
            estimate,
            covariance,
            estimated,
            specification,
            factor,
        })
    }

    /// The point estimates.
    pub fn central(&self) -> Elasticities {
        elasticities(&self.estimate)
    }

    /// One draw from `N(θ̂, V̂)`: four standard normals from `rng`, in order.
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Elasticities {
        let z = DVector::from_iterator(4, (0..4).map(|_| StandardNormal.sample(rng)));
        let deviation = &self.factor * z;
        let mut theta = self.estimate;
        for (k, t) in theta.iter_mut().enumerate() {
            *t += deviation[k];
        }
        elasticities(&theta)
    }
}

fn elasticities(theta: &[f64; 4]) -> Elasticities {
    Elasticities {
        lambda: theta[0],
        income: theta[1],
        spill_in: theta[2],
        threat: theta[3],
    }
}
