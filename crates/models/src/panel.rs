//! The demand for military expenditure: a fixed-effects (within) panel regression.
//!
//! # Where it comes from
//!
//! The standard specification of defence economics (Smith (1995), "The Demand for Military
//! Expenditure", *Handbook of Defense Economics* vol. 1, ch. 4; Dunne & Perlo-Freeman (2003),
//! "The Demand for Military Spending in Developing Countries", *International Review of
//! Applied Economics* 17(1): 23–48; Nordhaus, Oneal & Russett (2012), "The Effects of the
//! International Security Environment on National Military Expenditures", *International
//! Organization* 66(3): 491–513):
//!
//! ```text
//! y_it = α_i + [τ_t] + λ·y_i,t−1 + X_it·β + ε_it        (e.g. y = ln milex, X = ln GDP, ln spill-in, ln threat)
//! ```
//!
//! estimated by the within transformation: each variable minus its group mean, then least
//! squares (solved by a Householder QR from `nalgebra` on unit-scaled columns).
//!
//! - **Lag.** With `lagged_dependent`, `L.y` is the group's `y` of the previous calendar year;
//!   a row whose previous year is absent (or missing) is dropped and counted
//!   ([`SampleInfo::dropped_no_lag`]). `NaN` marks a missing value: such rows are dropped and
//!   counted ([`SampleInfo::dropped_missing`]); ±∞ is an error (usually the log of zero).
//! - **Year effects** (off by default: spill-ins and threats are nearly common to all members
//!   in a year, and year effects would absorb them) are estimated as year dummies (the first
//!   year is the base) added to the group-demeaned regression. By Frisch–Waugh–Lovell this
//!   is exactly the two-way fixed-effects estimator on unbalanced panels too, where naive
//!   double demeaning (subtracting group and year means) is not.
//! - **Lag-only rows** ([`Panel::set_lag_only`]) supply `L.y` for the next year and are
//!   otherwise ignored: a country's spending the year before its first sample year.
//! - **Singleton groups** (one observation) are kept; they contribute nothing to the
//!   estimates but count in N and G, as in linearmodels' `PanelOLS` by default.
//!
//! # Standard errors
//!
//! With `K` the number of estimated slope coefficients (the lag, the regressors and any year
//! dummies — **not** the absorbed group effects), `G` groups, `N` observations, `T` distinct
//! years in the sample, `B = (X̃'X̃)⁻¹` on the demeaned regressors and `ẽ` the residuals:
//!
//! | kind | covariance | factor | t df |
//! |---|---|---|---|
//! | [`Covariance::Conventional`] | `s²·B`, `s² = ẽ'ẽ/(N−G−K)` | — | `N−G−K` |
//! | [`Covariance::ClusteredByGroup`] (default) | `c·B·(Σ_g s_g s_g')·B`, `s_g = X̃_g'ẽ_g` | `c = G/(G−1)·(N−1)/(N−K)` | `G−1` |
//! | [`Covariance::DriscollKraay`] | `c·B·S·B`, `S = Γ₀ + Σ_{l=1..L} (1 − l/(L+1))(Γ_l + Γ_l')`, `Γ_l = Σ_t h_t h_{t−l}'`, `h_t = Σ_i x̃_it ẽ_it` | `c = N/(N−G−K)` | `T−1` |
//!
//! - The clustered factor leaves the group effects out of `K` because they are nested in the
//!   clusters (Stata's `xtreg, fe vce(cluster id)`; Cameron & Miller (2015), "A
//!   Practitioner's Guide to Cluster-Robust Inference", *Journal of Human Resources* 50(2):
//!   317–372). It equals statsmodels' `OLS(ỹ, X̃).fit(cov_type='cluster',
//!   cov_kwds={'groups': g}, use_t=True)` on the demeaned data (which also uses `G−1` df)
//!   and linearmodels' `PanelOLS(..., entity_effects=True).fit(cov_type='clustered',
//!   cluster_entity=True, debiased=True, group_debias=True)`.
//! - The conventional and Driscoll–Kraay factors count the absorbed effects, as linearmodels'
//!   `PanelOLS` does for covariances that are not clustered (`cov_type='unadjusted'` and
//!   `cov_type='kernel'` with the Bartlett kernel, `debiased=True`).
//! - Driscoll & Kraay (1998), "Consistent Covariance Matrix Estimation with Spatially
//!   Dependent Panel Data", *Review of Economics and Statistics* 80(4): 549–560; Hoechle
//!   (2007), *Stata Journal* 7(3): 281–312. Lags `l` count observed periods (distinct years
//!   in the sample, in order), as linearmodels does. Default bandwidth
//!   `L = ⌊4·(T/100)^(2/9)⌋` (the Newey–West (1994) rule used by Stata's `xtscc` and
//!   linearmodels); it must be below `T`. The `T−1` df follow `xtscc`: the time sums `h_t`
//!   are the effective sample.
//!
//! p-values are two-sided from Student's t with the df above; 95% intervals use its 0.975
//! quantile.
//!
//! # Long run and Nickell bias
//!
//! With a lag, the long-run effect of regressor *j* is `β_j/(1−λ)`; its standard error is
//! by the delta method with the full covariance of `(β_j, λ)`:
//! `∇ = (1/(1−λ), β_j/(1−λ)²)`. It is reported only when `λ̂ < 1`. A fixed-effects
//! regression with a lagged dependent variable is biased (Nickell (1981), "Biases in Dynamic
//! Models with Fixed Effects", *Econometrica* 49(6): 1417–1426): for large N the bias of λ̂
//! is about `−(1+λ)/(T−1)`; [`NickellBias`] evaluates it at λ̂ and the mean number of periods
//! per group.
//!
//! # What it is not for
//!
//! It is not a GMM (Arellano–Bond) estimator: with short panels and a lag, the Nickell bias
//! is real. It does no weighting, instruments or two-way clustering.
//!
//! # Example
//!
//! ```
//! use fairshare_models::panel::{fit, Covariance, Panel, PanelSpec};
//!
//! let groups: Vec<String> = ["A", "A", "A", "B", "B", "B", "C", "C", "C"]
//!     .iter().map(|s| s.to_string()).collect();
//! let times = vec![1, 2, 3, 1, 2, 3, 1, 2, 3];
//! let panel = Panel::new(groups, times).unwrap()
//!     .with_variable("x", vec![1.0, 2.0, 3.0, 2.0, 4.0, 6.0, 0.0, 1.0, 5.0]).unwrap()
//!     .with_variable("y", vec![2.0, 3.0, 7.0, 1.0, 5.0, 6.0, 3.0, 2.0, 7.0]).unwrap();
//! let spec = PanelSpec::new("y", &["x"]).covariance(Covariance::ClusteredByGroup);
//! let fit = fit(&panel, &spec).unwrap();
//! assert!((fit.coefficients[0].estimate - 7.0 / 6.0).abs() < 1e-12);
//! assert!((fit.coefficients[0].std_error - 7f64.sqrt() / 12.0).abs() < 1e-12);
//! assert_eq!((fit.sample.nobs, fit.sample.groups), (9, 3));
//! ```

use std::collections::BTreeMap;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};
use thiserror::Error;

/// Smallest singular value of the unit-scaled design, relative to the largest, below which
/// the regressors count as perfectly collinear.
const COLLINEARITY_TOLERANCE: f64 = 1e-10;
/// A demeaned column whose norm is below this share of the raw column's does not vary
/// within groups.
const WITHIN_VARIATION_TOLERANCE: f64 = 1e-10;
/// A variable takes part in a collinear relation when its weight in a null vector of the
/// unit-scaled design exceeds this.
const NULL_VECTOR_WEIGHT: f64 = 1e-6;

/// Why a panel could not be built or fitted.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PanelError {
    #[error("{what} has {got} values but the panel has {expected} rows")]
    LengthMismatch {
        what: String,
        got: usize,
        expected: usize,
    },

    #[error("variable '{0}' is given twice")]
    DuplicateVariable(String),

    #[error("unknown variable '{name}': the panel has {}", list(available))]
    UnknownVariable {
        name: String,
        available: Vec<String>,
    },

    #[error("'{0}' is the dependent variable and cannot also be a regressor")]
    DependentAsRegressor(String),

    #[error("nothing to estimate: give at least one regressor or the lagged dependent variable")]
    NoRegressors,

    #[error("{group} has two rows for {time}: a panel has one row per group and year")]
    DuplicateObservation { group: String, time: i32 },

    #[error(
        "{variable} for {group} in {time} is {value}: use NaN for a missing value \
         (an infinite value usually comes from the log of zero)"
    )]
    NonFinite {
        variable: String,
        group: String,
        time: i32,
        value: f64,
    },

    #[error(
        "{variable} does not vary within any {group_label}: its effect is absorbed by the \
         {group_label} fixed effects; drop it from the regressors"
    )]
    NoWithinVariation {
        variable: String,
        group_label: String,
    },

    /// `variables` names the regressors involved; `year_effects` says whether the year
    /// dummies take part too (they are not listed one by one).
    #[error("{}", collinear_message(variables, *year_effects, group_label))]
    Collinear {
        variables: Vec<String>,
        year_effects: bool,
        group_label: String,
    },

    #[error(
        "too few observations: {nobs} rows on {groups} {} leave no residual \
         degrees of freedom for {params} coefficients and {groups} fixed effects \
         (need N − G − K ≥ 1)",
        plural(group_label)
    )]
    TooFewObservations {
        nobs: usize,
        groups: usize,
        params: usize,
        group_label: String,
    },

    #[error(
        "cluster-robust standard errors need at least 2 {}; the sample has {groups}",
        plural(group_label)
    )]
    TooFewClusters { groups: usize, group_label: String },

    #[error(
        "the Driscoll–Kraay bandwidth {bandwidth} must be below the number of years in the \
         sample ({periods})"
    )]
    BadBandwidth { bandwidth: usize, periods: usize },
}

/// "country" -> "countries", "group" -> "groups".
fn plural(label: &str) -> String {
    match label.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ => format!("{label}s"),
    }
}

fn list(names: &[String]) -> String {
    names.join(", ")
}

fn collinear_message(variables: &[String], year_effects: bool, group_label: &str) -> String {
    if year_effects {
        let what = if variables.is_empty() {
            "the year effects".to_string()
        } else {
            format!("{} and the year effects", list(variables))
        };
        format!(
            "perfect collinearity among {what} (after removing {group_label} means): a \
             variable that is the same for every {group_label} in a year is absorbed by year \
             effects; drop it or turn year effects off"
        )
    } else {
        format!(
            "perfect collinearity among {} (after removing {group_label} means): one of them \
             is a linear combination of the others; drop one",
            list(variables)
        )
    }
}

/// A long panel: one row per group (e.g. country) and year, with named variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    groups: Vec<String>,
    times: Vec<i32>,
    variables: Vec<(String, Vec<f64>)>,
    /// Rows that only supply the previous year's dependent variable (see
    /// [`Panel::set_lag_only`]).
    lag_only: Vec<bool>,
}

impl Panel {
    /// An empty set of variables over rows identified by group and year.
    pub fn new(groups: Vec<String>, times: Vec<i32>) -> Result<Panel, PanelError> {
        if groups.len() != times.len() {
            return Err(PanelError::LengthMismatch {
                what: "times".into(),
                got: times.len(),
                expected: groups.len(),
            });
        }
        let lag_only = vec![false; groups.len()];
        Ok(Panel {
            groups,
            times,
            variables: Vec::new(),
            lag_only,
        })
    }

    /// Mark rows that are not in the estimation sample but supply `L.y` to the row of
    /// the next year (a country's spending the year before it joined the sample). They
    /// are neither estimated nor counted as dropped.
    pub fn set_lag_only(&mut self, mask: Vec<bool>) -> Result<(), PanelError> {
        if mask.len() != self.groups.len() {
            return Err(PanelError::LengthMismatch {
                what: "lag-only mask".into(),
                got: mask.len(),
                expected: self.groups.len(),
            });
        }
        self.lag_only = mask;
        Ok(())
    }

    /// Whether row `i` only supplies a lag.
    pub fn is_lag_only(&self, i: usize) -> bool {
        self.lag_only.get(i).copied().unwrap_or(false)
    }

    /// Add a variable, one value per row (`NaN` where missing).
    pub fn add_variable(
        &mut self,
        name: impl Into<String>,
        values: Vec<f64>,
    ) -> Result<(), PanelError> {
        let name = name.into();
        if values.len() != self.groups.len() {
            return Err(PanelError::LengthMismatch {
                what: format!("variable '{name}'"),
                got: values.len(),
                expected: self.groups.len(),
            });
        }
        if self.variable(&name).is_some() {
            return Err(PanelError::DuplicateVariable(name));
        }
        self.variables.push((name, values));
        Ok(())
    }

    /// [`Panel::add_variable`] in builder form.
    pub fn with_variable(
        mut self,
        name: impl Into<String>,
        values: Vec<f64>,
    ) -> Result<Panel, PanelError> {
        self.add_variable(name, values)?;
        Ok(self)
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    pub fn times(&self) -> &[i32] {
        &self.times
    }

    pub fn variable_names(&self) -> impl Iterator<Item = &str> {
        self.variables.iter().map(|(name, _)| name.as_str())
    }

    pub fn variable(&self, name: &str) -> Option<&[f64]> {
        self.variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    fn require(&self, name: &str) -> Result<&[f64], PanelError> {
        self.variable(name)
            .ok_or_else(|| PanelError::UnknownVariable {
                name: name.to_string(),
                available: self.variable_names().map(str::to_string).collect(),
            })
    }
}

/// Which standard errors to compute; see the module docs for the exact formulas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Covariance {
    /// Homoskedastic, `s² = ẽ'ẽ/(N−G−K)`.
    Conventional,
    /// Cluster-robust by group, `G/(G−1)·(N−1)/(N−K)`, t with `G−1` df.
    #[default]
    ClusteredByGroup,
    /// Driscoll–Kraay with a Bartlett kernel; `None` takes `⌊4·(T/100)^(2/9)⌋`.
    DriscollKraay { bandwidth: Option<usize> },
}

/// What to regress on what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelSpec {
    pub dependent: String,
    pub regressors: Vec<String>,
    /// Add `L.<dependent>`, the previous year's value, as the first regressor.
    pub lagged_dependent: bool,
    /// Add year fixed effects (off by default).
    pub year_effects: bool,
    pub covariance: Covariance,
    /// What a group is, for words and messages ("country").
    pub group_label: String,
}

impl PanelSpec {
    /// `dependent` on `regressors`, group effects only, clustered standard errors.
    pub fn new(dependent: &str, regressors: &[&str]) -> PanelSpec {
        PanelSpec {
            dependent: dependent.to_string(),
            regressors: regressors.iter().map(|r| r.to_string()).collect(),
            lagged_dependent: false,
            year_effects: false,
            covariance: Covariance::default(),
            group_label: "group".to_string(),
        }
    }

    pub fn lagged_dependent(mut self, on: bool) -> PanelSpec {
        self.lagged_dependent = on;
        self
    }

    pub fn year_effects(mut self, on: bool) -> PanelSpec {
        self.year_effects = on;
        self
    }

    pub fn covariance(mut self, covariance: Covariance) -> PanelSpec {
        self.covariance = covariance;
        self
    }

    pub fn group_label(mut self, label: &str) -> PanelSpec {
        self.group_label = label.to_string();
        self
    }
}

/// The name of the lagged dependent variable in results: `L.<dependent>`.
pub fn lag_name(dependent: &str) -> String {
    format!("L.{dependent}")
}

/// One estimated coefficient (or long-run effect) with its inference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    pub name: String,
    pub estimate: f64,
    pub std_error: f64,
    pub t: f64,
    pub p_value: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// The standard errors used, in numbers and words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CovarianceInfo {
    pub kind: Covariance,
    /// E.g. "cluster-robust by country (G = 60); factor G/(G−1)·(N−1)/(N−K), K = 4 slope
    /// coefficients, the 60 absorbed country effects not counted".
    pub description: String,
    /// The small-sample factor applied to the covariance.
    pub small_sample_factor: f64,
    /// Degrees of freedom of the t distribution for p-values and intervals.
    pub df: usize,
    /// Driscoll–Kraay bandwidth actually used.
    pub bandwidth: Option<usize>,
}

/// The estimation sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleInfo {
    pub nobs: usize,
    pub groups: usize,
    /// Distinct years in the sample.
    pub periods: usize,
    pub first_year: i32,
    pub last_year: i32,
    pub obs_per_group_min: usize,
    pub obs_per_group_mean: f64,
    pub obs_per_group_max: usize,
    /// Groups with one observation (kept; they count in N and G).
    pub singleton_groups: usize,
    /// Rows dropped because a variable used is missing (NaN).
    pub dropped_missing: usize,
    /// Rows dropped because the previous year's dependent variable is absent or missing.
    pub dropped_no_lag: usize,
}

/// The approximate Nickell bias of λ̂, `−(1+λ̂)/(T̄−1)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NickellBias {
    pub lambda: f64,
    /// Mean observations per group, `N/G`.
    pub periods: f64,
    pub approx_bias: f64,
}

/// A fitted within regression: everything a statsmodels-like summary prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelFit {
    /// The specification in words.
    pub specification: String,
    pub dependent: String,
    pub group_label: String,
    pub year_effects_included: bool,
    pub covariance: CovarianceInfo,
    /// The lag (if any) first, then the regressors in spec order.
    pub coefficients: Vec<Coefficient>,
    /// Covariance of `coefficients`, same order (row-major).
    pub covariance_matrix: Vec<Vec<f64>>,
    /// Year dummies against the first year (empty without year effects).
    pub year_effects: Vec<Coefficient>,
    /// `β_j/(1−λ)` for each regressor (empty without a lag or when λ̂ ≥ 1).
    pub long_run: Vec<Coefficient>,
    pub nickell: Option<NickellBias>,
    pub sample: SampleInfo,
    /// `1 − ẽ'ẽ / ỹ'ỹ`, ỹ the group-demeaned dependent variable.
    pub r2_within: f64,
    pub ssr: f64,
    /// `√(ẽ'ẽ/(N−G−K))`.
    pub sigma: f64,
    /// `N − G − K`.
    pub df_resid: usize,
    /// Caveats in words: Nickell bias, dropped rows, λ̂ ≥ 1.
    pub notes: Vec<String>,
}

impl PanelFit {
    /// A coefficient by name (`L.<dependent>` for the lag).
    pub fn coefficient(&self, name: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.name == name)
    }

    /// A long-run effect by regressor name.
    pub fn long_run_effect(&self, name: &str) -> Option<&Coefficient> {
        self.long_run.iter().find(|c| c.name == name)
    }
}

/// A row of the estimation sample.
struct SampleRow {
    source: usize,
    group: usize,
    lag: f64,
}

/// Fit `spec` on `panel` by the within estimator.
pub fn fit(panel: &Panel, spec: &PanelSpec) -> Result<PanelFit, PanelError> {
    let group_label = spec.group_label.clone();
    let y = panel.require(&spec.dependent)?;
    let mut regressors: Vec<&[f64]> = Vec::with_capacity(spec.regressors.len());
    for (k, name) in spec.regressors.iter().enumerate() {
        if *name == spec.dependent {
            return Err(PanelError::DependentAsRegressor(name.clone()));
        }
        if spec.regressors[..k].contains(name) {
            return Err(PanelError::DuplicateVariable(name.clone()));
        }
        regressors.push(panel.require(name)?);
    }
    if regressors.is_empty() && !spec.lagged_dependent {
        return Err(PanelError::NoRegressors);
    }

    let (rows, dropped_missing, dropped_no_lag) = sample_rows(panel, spec, y, &regressors)?;

    // Column names of the design: lag, regressors, year dummies.
    let mut names: Vec<String> = Vec::new();
    if spec.lagged_dependent {
        names.push(lag_name(&spec.dependent));
    }
    names.extend(spec.regressors.iter().cloned());
    let main_params = names.len();
    let mut years: Vec<i32> = rows.iter().map(|r| panel.times[r.source]).collect();
    years.sort_unstable();
    years.dedup();
    let year_position: BTreeMap<i32, usize> =
        years.iter().enumerate().map(|(p, &t)| (t, p)).collect();
    if spec.year_effects {
        names.extend(years.iter().skip(1).map(|t| format!("year={t}")));
    }

    let nobs = rows.len();
    let k = names.len();
    // Group blocks: rows are sorted by group, so each group is a contiguous run.
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=nobs {
        if i == nobs || rows[i].group != rows[start].group {
            blocks.push((start, i));
            start = i;
        }
    }
    let groups = blocks.len();
    if nobs == 0 || nobs <= groups + k {
        return Err(PanelError::TooFewObservations {
            nobs,
            groups,
            params: k,
            group_label,
        });
    }

    // Raw design, then group-demeaned in place.
    let mut x = DMatrix::<f64>::zeros(nobs, k);
    for (i, row) in rows.iter().enumerate() {
        let mut j = 0;
        if spec.lagged_dependent {
            x[(i, 0)] = row.lag;
            j = 1;
        }
        for values in &regressors {
            x[(i, j)] = values[row.source];
            j += 1;
        }
        if spec.year_effects {
            let p = year_position[&panel.times[row.source]];
            if p > 0 {
                x[(i, main_params + p - 1)] = 1.0;
            }
        }
    }
    let raw_norms: Vec<f64> = (0..k).map(|j| x.column(j).norm()).collect();
    let mut y_within = DVector::from_iterator(nobs, rows.iter().map(|r| y[r.source]));
    demean_by_group(y_within.as_mut_slice(), &blocks);
    if y_within.norm_squared() == 0.0 {
        return Err(PanelError::NoWithinVariation {
            variable: spec.dependent.clone(),
            group_label,
        });
    }
    for j in 0..k {
        demean_by_group(x.column_mut(j).as_mut_slice(), &blocks);
    }

    // Unit-norm columns: scale-free rank test and a better-conditioned QR.
    let mut norms = Vec::with_capacity(k);
    for (j, &raw_norm) in raw_norms.iter().enumerate() {
        let norm = x.column(j).norm();
        if norm == 0.0 || norm <= WITHIN_VARIATION_TOLERANCE * raw_norm {
            return Err(PanelError::NoWithinVariation {
                variable: names[j].clone(),
                group_label,
            });
        }
        x.column_mut(j).scale_mut(1.0 / norm);
        norms.push(norm);
    }

    let qr = x.clone().qr();
    let r = qr.r();
    check_rank(&r, &names, main_params, &group_label)?;
    let mut qty = y_within.clone();
    qr.q_tr_mul(&mut qty);
    let qty = qty.rows(0, k).into_owned();
    let r_inv = r
        .solve_upper_triangular(&DMatrix::identity(k, k))
        .ok_or_else(|| PanelError::Collinear {
            variables: names[..main_params].to_vec(),
            year_effects: spec.year_effects,
            group_label: group_label.clone(),
        })?;
    let beta_scaled = &r_inv * &qty;
    let residuals = &y_within - &x * &beta_scaled;
    let ssr = residuals.norm_squared();
    let tss = y_within.norm_squared();
    let df_resid = nobs - groups - k;
    // (X̃'X̃)⁻¹ of the scaled design.
    let bread = &r_inv * r_inv.transpose();

    let (cov_scaled, info) = covariance(
        spec,
        &x,
        &residuals,
        &bread,
        &blocks,
        &rows,
        panel,
        &year_position,
        (nobs, groups, k, df_resid, ssr),
    )?;

    // Back to the original units: β_j = β̃_j/d_j, V_jl = Ṽ_jl/(d_j d_l).
    let beta: Vec<f64> = (0..k).map(|j| beta_scaled[j] / norms[j]).collect();
    let cov = DMatrix::from_fn(k, k, |a, b| cov_scaled[(a, b)] / (norms[a] * norms[b]));

    let t_dist =
        StudentsT::new(0.0, 1.0, info.df as f64).map_err(|_| PanelError::TooFewObservations {
            nobs,
            groups,
            params: k,
            group_label: group_label.clone(),
        })?;
    let critical = t_dist.inverse_cdf(0.975);
    let inference = |name: &str, estimate: f64, variance: f64| {
        let std_error = variance.max(0.0).sqrt();
        let t = estimate / std_error;
        Coefficient {
            name: name.to_string(),
            estimate,
            std_error,
            t,
            p_value: (2.0 * t_dist.sf(t.abs())).min(1.0),
            ci_low: estimate - critical * std_error,
            ci_high: estimate + critical * std_error,
        }
    };
    let coefficients: Vec<Coefficient> = (0..main_params)
        .map(|j| inference(&names[j], beta[j], cov[(j, j)]))
        .collect();
    let year_effects: Vec<Coefficient> = (main_params..k)
        .map(|j| inference(&names[j], beta[j], cov[(j, j)]))
        .collect();
    let covariance_matrix: Vec<Vec<f64>> = (0..main_params)
        .map(|a| (0..main_params).map(|b| cov[(a, b)]).collect())
        .collect();

    let obs_per_group: Vec<usize> = blocks.iter().map(|(s, e)| e - s).collect();
    let sample = SampleInfo {
        nobs,
        groups,
        periods: years.len(),
        first_year: years[0],
        last_year: years[years.len() - 1],
        obs_per_group_min: obs_per_group.iter().copied().min().unwrap_or(0),
        obs_per_group_mean: nobs as f64 / groups as f64,
        obs_per_group_max: obs_per_group.iter().copied().max().unwrap_or(0),
        singleton_groups: obs_per_group.iter().filter(|&&n| n == 1).count(),
        dropped_missing,
        dropped_no_lag,
    };

    let mut notes = Vec::new();
    let mut long_run = Vec::new();
    let mut nickell = None;
    if spec.lagged_dependent {
        let lambda = beta[0];
        if lambda < 1.0 {
            for j in 1..main_params {
                let gap = 1.0 - lambda;
                let estimate = beta[j] / gap;
                // ∇ = (∂/∂λ, ∂/∂β_j) = (β_j/(1−λ)², 1/(1−λ)).
                let (g_lambda, g_beta) = (beta[j] / (gap * gap), 1.0 / gap);
                let variance = g_lambda * g_lambda * cov[(0, 0)]
                    + 2.0 * g_lambda * g_beta * cov[(0, j)]
                    + g_beta * g_beta * cov[(j, j)];
                long_run.push(inference(&names[j], estimate, variance));
            }
        } else {
            notes.push(format!(
                "The coefficient on {} is {lambda:.4} ≥ 1: the model has no long-run \
                 equilibrium, so no long-run effects are reported.",
                names[0]
            ));
        }
        let periods = sample.obs_per_group_mean;
        if periods > 1.0 {
            let approx_bias = -(1.0 + lambda) / (periods - 1.0);
            notes.push(format!(
                "Nickell bias: with {group_label} fixed effects and a lagged dependent \
                 variable, the estimate of λ is biased by about −(1+λ)/(T−1) = \
                 {approx_bias:.4} (λ̂ = {lambda:.4}, T = {periods:.1} years per \
                 {group_label} on average; Nickell 1981)."
            ));
            nickell = Some(NickellBias {
                lambda,
                periods,
                approx_bias,
            });
        }
    }
    if dropped_missing > 0 {
        notes.push(format!(
            "{dropped_missing} rows dropped for a missing value."
        ));
    }
    if dropped_no_lag > 0 {
        notes.push(format!(
            "{dropped_no_lag} rows dropped for want of the previous year's {}.",
            spec.dependent
        ));
    }

    Ok(PanelFit {
        specification: specification_words(spec, &names[..main_params], &info),
        dependent: spec.dependent.clone(),
        group_label,
        year_effects_included: spec.year_effects,
        covariance: info,
        coefficients,
        covariance_matrix,
        year_effects,
        long_run,
        nickell,
        sample,
        r2_within: 1.0 - ssr / tss,
        ssr,
        sigma: (ssr / df_resid as f64).sqrt(),
        df_resid,
        notes,
    })
}

/// Rows of the estimation sample sorted by group then year, and the counts dropped for a
/// missing value and for a missing lag.
fn sample_rows(
    panel: &Panel,
    spec: &PanelSpec,
    y: &[f64],
    regressors: &[&[f64]],
) -> Result<(Vec<SampleRow>, usize, usize), PanelError> {
    let mut order: Vec<usize> = (0..panel.len()).collect();
    order.sort_by(|&a, &b| {
        panel.groups[a]
            .cmp(&panel.groups[b])
            .then(panel.times[a].cmp(&panel.times[b]))
    });
    let non_finite = |variable: &str, i: usize, value: f64| PanelError::NonFinite {
        variable: variable.to_string(),
        group: panel.groups[i].clone(),
        time: panel.times[i],
        value,
    };

    let mut rows = Vec::with_capacity(order.len());
    // Index of the current group among those with rows in the sample.
    let mut group: Option<(usize, &str)> = None;
    let (mut dropped_missing, mut dropped_no_lag) = (0, 0);
    let mut previous: Option<usize> = None;
    for &i in &order {
        let same_group = previous.is_some_and(|p| panel.groups[p] == panel.groups[i]);
        if let Some(p) = previous.filter(|_| same_group)
            && panel.times[p] == panel.times[i]
        {
            return Err(PanelError::DuplicateObservation {
                group: panel.groups[i].clone(),
                time: panel.times[i],
            });
        }
        let lag = match previous {
            Some(p) if same_group && panel.times[p] == panel.times[i] - 1 => y[p],
            _ => f64::NAN,
        };
        previous = Some(i);
        if panel.lag_only[i] {
            if y[i].is_infinite() {
                return Err(non_finite(&spec.dependent, i, y[i]));
            }
            continue;
        }

        let mut missing = false;
        for (name, value) in std::iter::once((&spec.dependent, y[i]))
            .chain(spec.regressors.iter().zip(regressors.iter().map(|v| v[i])))
        {
            if value.is_nan() {
                missing = true;
            } else if value.is_infinite() {
                return Err(non_finite(name, i, value));
            }
        }
        if missing {
            dropped_missing += 1;
            continue;
        }
        if spec.lagged_dependent && lag.is_nan() {
            dropped_no_lag += 1;
            continue;
        }
        let index = match group {
            Some((index, name)) if name == panel.groups[i] => index,
            Some((index, _)) => index + 1,
            None => 0,
        };
        group = Some((index, &panel.groups[i]));
        rows.push(SampleRow {
            source: i,
            group: index,
            lag,
        });
    }
    Ok((rows, dropped_missing, dropped_no_lag))
}

fn demean_by_group(values: &mut [f64], blocks: &[(usize, usize)]) {
    for &(start, end) in blocks {
        let block = &mut values[start..end];
        let mean = block.iter().sum::<f64>() / block.len() as f64;
        for v in block {
            *v -= mean;
        }
    }
}

/// Perfect collinearity test on R of the unit-scaled design (same singular values); names
/// the variables that carry weight in the near-null right singular vectors. Columns from
/// `first_dummy` on are year dummies, reported together as "the year effects".
fn check_rank(
    r: &DMatrix<f64>,
    names: &[String],
    first_dummy: usize,
    group_label: &str,
) -> Result<(), PanelError> {
    let svd = nalgebra::SVD::new(r.clone(), false, true);
    let largest = svd.singular_values.max();
    let Some(v_t) = svd.v_t.as_ref() else {
        return Ok(());
    };
    let mut involved = vec![false; names.len()];
    let mut deficient = false;
    for (s, &sigma) in svd.singular_values.iter().enumerate() {
        if sigma <= COLLINEARITY_TOLERANCE * largest {
            deficient = true;
            for (j, flag) in involved.iter_mut().enumerate() {
                if v_t[(s, j)].abs() > NULL_VECTOR_WEIGHT {
                    *flag = true;
                }
            }
        }
    }
    if deficient {
        return Err(PanelError::Collinear {
            variables: names[..first_dummy]
                .iter()
                .zip(&involved)
                .filter(|(_, on)| **on)
                .map(|(n, _)| n.clone())
                .collect(),
            year_effects: involved[first_dummy..].iter().any(|&on| on),
            group_label: group_label.to_string(),
        });
    }
    Ok(())
}

/// The covariance of the scaled coefficients and its description.
#[allow(clippy::too_many_arguments)]
fn covariance(
    spec: &PanelSpec,
    x: &DMatrix<f64>,
    residuals: &DVector<f64>,
    bread: &DMatrix<f64>,
    blocks: &[(usize, usize)],
    rows: &[SampleRow],
    panel: &Panel,
    year_position: &BTreeMap<i32, usize>,
    (nobs, groups, k, df_resid, ssr): (usize, usize, usize, usize, f64),
) -> Result<(DMatrix<f64>, CovarianceInfo), PanelError> {
    let label = &spec.group_label;
    let (n, g, kf) = (nobs as f64, groups as f64, k as f64);
    match spec.covariance {
        Covariance::Conventional => {
            let s2 = ssr / df_resid as f64;
            Ok((
                bread * s2,
                CovarianceInfo {
                    kind: spec.covariance,
                    description: format!(
                        "conventional (homoskedastic), s² = SSR/(N−G−K) with N = {nobs}, \
                         G = {groups} absorbed {label} effects, K = {k} slope coefficients"
                    ),
                    small_sample_factor: 1.0,
                    df: df_resid,
                    bandwidth: None,
                },
            ))
        }
        Covariance::ClusteredByGroup => {
            if groups < 2 {
                return Err(PanelError::TooFewClusters {
                    groups,
                    group_label: label.clone(),
                });
            }
            let mut meat = DMatrix::<f64>::zeros(k, k);
            for &(start, end) in blocks {
                let score =
                    x.rows(start, end - start).transpose() * residuals.rows(start, end - start);
                meat.ger(1.0, &score, &score, 1.0);
            }
            let factor = g / (g - 1.0) * (n - 1.0) / (n - kf);
            Ok((
                bread * meat * bread * factor,
                CovarianceInfo {
                    kind: spec.covariance,
                    description: format!(
                        "cluster-robust by {label} (G = {groups}); small-sample factor \
                         G/(G−1)·(N−1)/(N−K) with N = {nobs}, K = {k} slope coefficients \
                         (the {groups} absorbed {label} effects, nested in the clusters, \
                         not counted); t with G−1 = {} df",
                        groups - 1
                    ),
                    small_sample_factor: factor,
                    df: groups - 1,
                    bandwidth: None,
                },
            ))
        }
        Covariance::DriscollKraay { bandwidth } => {
            let periods = year_position.len();
            let bandwidth = bandwidth.unwrap_or_else(|| default_bandwidth(periods));
            if bandwidth >= periods {
                return Err(PanelError::BadBandwidth { bandwidth, periods });
            }
            // h_t: the cross-sectional sum of scores in each period, one column per period.
            let mut h = DMatrix::<f64>::zeros(k, periods);
            for (i, row) in rows.iter().enumerate() {
                let p = year_position[&panel.times[row.source]];
                let e = residuals[i];
                for j in 0..k {
                    h[(j, p)] += x[(i, j)] * e;
                }
            }
            let mut meat = &h * h.transpose();
            for lag in 1..=bandwidth {
                let weight = 1.0 - lag as f64 / (bandwidth as f64 + 1.0);
                let gamma = h.columns(lag, periods - lag) * h.columns(0, periods - lag).transpose();
                meat += (&gamma + gamma.transpose()) * weight;
            }
            let factor = n / df_resid as f64;
            Ok((
                bread * meat * bread * factor,
                CovarianceInfo {
                    kind: spec.covariance,
                    description: format!(
                        "Driscoll–Kraay (Bartlett kernel, bandwidth {bandwidth} years, T = \
                         {periods}); small-sample factor N/(N−G−K) with N = {nobs}, G = \
                         {groups} absorbed {label} effects, K = {k}; t with T−1 = {} df",
                        periods - 1
                    ),
                    small_sample_factor: factor,
                    df: periods - 1,
                    bandwidth: Some(bandwidth),
                },
            ))
        }
    }
}

/// `⌊4·(T/100)^(2/9)⌋`, the Newey–West (1994) rule of thumb used by `xtscc` and linearmodels.
pub fn default_bandwidth(periods: usize) -> usize {
    (4.0 * (periods as f64 / 100.0).powf(2.0 / 9.0)).floor() as usize
}

fn specification_words(spec: &PanelSpec, main: &[String], info: &CovarianceInfo) -> String {
    format!(
        "{} on {}, with {} fixed effects{} (within estimator); standard errors {}",
        spec.dependent,
        main.join(", "),
        spec.group_label,
        if spec.year_effects {
            " and year fixed effects"
        } else {
            ", no year effects"
        },
        info.description
    )
}
