//! The public-good alliance model: allies' defence spending as a Nash equilibrium.
//!
//! # Where it comes from
//!
//! Olson & Zeckhauser (1966), "An Economic Theory of Alliances", *Review of Economics and
//! Statistics* 48(3): 266–279, model an alliance's defence as a pure public good: each ally
//! chooses its own contribution taking the others' as given. Bergstrom, Blume & Varian
//! (1986), "On the Private Provision of Public Goods", *Journal of Public Economics* 29(1):
//! 25–49, prove that this game has exactly one Nash equilibrium, corner solutions
//! included, and characterise it. This module solves that equilibrium in closed form for
//! Cobb–Douglas preferences.
//!
//! Ally *i* has income `I_i`, buys private consumption `x_i` and defence `q_i` at price
//! `p`, and values the alliance total `Q = Σ_j q_j`:
//!
//! ```text
//! max  U_i = x_i^(1−a_i) · Q^(a_i)    s.t.  x_i + p·q_i = I_i,  q_i ≥ 0
//! ```
//!
//! Taking the others' total `Q_−i` as given, ally *i* in effect chooses `Q ≥ Q_−i` with
//! "full income" `I_i + p·Q_−i`; Cobb–Douglas spends the share `a_i` of it on `Q`:
//!
//! ```text
//! p·Q = a_i·(I_i + p·Q_−i)          (interior best response)
//! ⇔  p·q_i = I_i − k_i·p·Q,   k_i = (1 − a_i)/a_i       (using Q_−i = Q − q_i)
//! ```
//!
//! so ally *i* contributes if and only if its **threshold** `r_i = I_i / (k_i·p)` exceeds the
//! equilibrium total `Q` (at `r_i ≤ Q` its best response is the corner `q_i = 0`). Summing
//! the interior condition over the set `C` of contributors gives
//!
//! ```text
//! Q* = (Σ_{i∈C} I_i + p·Q₀) / (p·(1 + Σ_{i∈C} k_i))
//! ```
//!
//! where `Q₀` is provision taken as given (zero in the plain game; a member held fixed in a
//! what-if). Contributors are therefore the allies with the largest thresholds. Sorting by
//! `r_i` and adding allies one at a time, the total after adding ally *m* is a weighted
//! average of the previous total and `r_m`, so it rises while the next threshold is above it;
//! the first ally whose threshold is not above the running total, and everyone after it,
//! contributes nothing. That scan is exact (no iteration to convergence) and gives the
//! unique equilibrium of BBV's theorem. An ally whose threshold equals the total to within
//! rounding (relative 1e-12) is counted as a non-contributor: its contribution would be zero
//! either way.
//!
//! Calibration inverts the interior condition: with observed spending `m_i = p·q_i` and
//! `M = Σ m_j`, `a_i = M / (I_i + M − m_i)` makes the observed allocation the equilibrium for
//! every ally that spends something. For an ally that spends nothing the same formula gives
//! the *largest* weight at which zero is still its best response (it is then exactly
//! indifferent); any smaller weight would do as well. [`Calibration::zero_spenders`] marks
//! these allies so a caller can say so.
//!
//! # What it is not for
//!
//! It is a stylised benchmark, not a forecast: one pure public good, no private benefits
//! (joint-product model), no threat, identical prices. Calibrated weights reproduce one
//! year by construction and say nothing about fit. For estimated responses use
//! [`crate::panel`].
//!
//! # Example
//!
//! ```
//! use fairshare_models::nash::{solve, what_if, Change};
//!
//! let incomes = [100.0, 80.0, 20.0];
//! let weights = [0.5, 0.5, 0.5];
//! let eq = solve(&incomes, &weights, 1.0).unwrap();
//! assert_eq!(eq.total, 60.0);
//! assert_eq!(eq.contributions, vec![40.0, 20.0, 0.0]);
//! assert_eq!(eq.contributors, vec![true, true, false]);
//!
//! // Without the largest ally, the others pay more but the alliance has less defence.
//! let w = what_if(&incomes, &weights, 1.0, Change::Remove { member: 0 }).unwrap();
//! assert!(w.scenario.total < eq.total);
//! assert!(w.scenario.contributions[1] > eq.contributions[1]);
//! ```

use serde::Serialize;
use thiserror::Error;

/// Thresholds within this relative distance of the running total count as "not above it".
const THRESHOLD_TOLERANCE: f64 = 1e-12;

/// Why an equilibrium, a calibration or a what-if could not be computed.
/// Positions in messages count from 1, in input order.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NashError {
    #[error("no allies given: the equilibrium needs at least one income")]
    Empty,

    #[error("{what} has {got} values but there are {expected} incomes: give one per ally")]
    LengthMismatch {
        what: &'static str,
        got: usize,
        expected: usize,
    },

    #[error("income of ally {} is {value}: incomes must be finite and not negative", index + 1)]
    BadIncome { index: usize, value: f64 },

    #[error(
        "income of ally {} is {value}: calibration needs a positive income for every ally",
        index + 1
    )]
    IncomeNotPositive { index: usize, value: f64 },

    #[error(
        "weight of ally {} is {value}: it must lie strictly between 0 and 1 (the share of \
         full income the ally would spend on alliance defence)",
        index + 1
    )]
    BadWeight { index: usize, value: f64 },

    #[error("price of defence is {0}: it must be finite and positive")]
    BadPrice(f64),

    #[error("spending of ally {} is {value}: spending must be finite and not negative", index + 1)]
    BadSpending { index: usize, value: f64 },

    #[error(
        "ally {} spends {spending} out of an income of {income}: spending must be below \
         income to calibrate a weight below 1",
        index + 1
    )]
    SpendingNotBelowIncome {
        index: usize,
        spending: f64,
        income: f64,
    },

    #[error("no ally spends anything on defence: there is no equilibrium to calibrate weights on")]
    NoSpending,

    #[error("there is no ally {}: the alliance has {count}", member + 1)]
    NoSuchMember { member: usize, count: usize },

    #[error("scale factor {0} must be finite and not negative")]
    BadFactor(f64),

    #[error("fixed contribution {0} must be finite and not negative")]
    BadFixedContribution(f64),
}

/// The Nash equilibrium of the contribution game. Vectors are in input order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Equilibrium {
    /// Alliance defence `Q` (quantity; spending is `price × total`), including `exogenous`.
    pub total: f64,
    /// Each ally's contribution `q_i` (quantity; spending is `price × q_i`).
    pub contributions: Vec<f64>,
    /// Whether the ally contributes a positive amount (false: corner solution, or a member
    /// removed or held fixed at zero in a what-if).
    pub contributors: Vec<bool>,
    /// Price of a unit of defence in units of income.
    pub price: f64,
    /// Provision taken as given by the strategic allies (0 in the plain game).
    pub exogenous: f64,
}

/// Weights calibrated so that observed spending is the equilibrium.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// `a_i = M / (I_i + M − m_i)`, in input order.
    pub weights: Vec<f64>,
    /// `M`: the alliance's observed total spending.
    pub total_spending: f64,
    /// Allies that spend nothing: their weight is the upper bound of those consistent with
    /// spending nothing (they are exactly indifferent); any smaller weight fits as well.
    pub zero_spenders: Vec<bool>,
}

/// A change to one member for [`what_if`]. `member` is a 0-based position in input order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The member leaves: the others play the game without it.
    Remove { member: usize },
    /// The member's income is multiplied by `factor`; it still plays.
    ScaleIncome { member: usize, factor: f64 },
    /// The member stops optimising and provides `amount` (a quantity); the others take it
    /// as given.
    FixContribution { member: usize, amount: f64 },
    /// The member provides `factor` times its baseline equilibrium contribution, as given.
    ScaleContribution { member: usize, factor: f64 },
}

/// How a member takes part in a what-if scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Chooses its contribution as a best response.
    Strategic,
    /// Left the alliance (its contribution is reported as 0).
    Removed,
    /// Provides a fixed amount the others take as given.
    Fixed,
}

/// A what-if: the baseline equilibrium and the equilibrium after the change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    pub change: Change,
    pub baseline: Equilibrium,
    /// Same length and order as the baseline; see `roles` for the changed member.
    pub scenario: Equilibrium,
    pub roles: Vec<Role>,
    /// Incomes used in the scenario (differs from the input for `ScaleIncome`).
    pub scenario_incomes: Vec<f64>,
}

/// The Nash equilibrium for incomes `I_i`, Cobb–Douglas weights `a_i ∈ (0, 1)` and price `p`.
pub fn solve(incomes: &[f64], weights: &[f64], price: f64) -> Result<Equilibrium, NashError> {
    solve_with_exogenous(incomes, weights, price, 0.0)
}

/// As [`solve`], with `exogenous` units of defence provided from outside the game (for
/// example a member whose contribution is fixed); it crowds out the allies' own.
pub fn solve_with_exogenous(
    incomes: &[f64],
    weights: &[f64],
    price: f64,
    exogenous: f64,
) -> Result<Equilibrium, NashError> {
    if incomes.is_empty() {
        return Err(NashError::Empty);
    }
    validate_game(incomes, weights, price)?;
    if !(exogenous.is_finite() && exogenous >= 0.0) {
        return Err(NashError::BadFixedContribution(exogenous));
    }
    Ok(equilibrium(incomes, weights, price, exogenous))
}

/// Weights `a_i` under which the observed spending `m_i` (money, same units as incomes) is
/// the Nash equilibrium for every ally that spends something; see the module docs for allies
/// that spend nothing. Independent of the price.
pub fn calibrate(incomes: &[f64], spending: &[f64]) -> Result<Calibration, NashError> {
    if incomes.is_empty() {
        return Err(NashError::Empty);
    }
    check_len("spending", spending.len(), incomes.len())?;
    for (index, &value) in incomes.iter().enumerate() {
        if !value.is_finite() || value < 0.0 {
            return Err(NashError::BadIncome { index, value });
        }
        if value == 0.0 {
            return Err(NashError::IncomeNotPositive { index, value });
        }
    }
    for (index, (&value, &income)) in spending.iter().zip(incomes).enumerate() {
        if !value.is_finite() || value < 0.0 {
            return Err(NashError::BadSpending { index, value });
        }
        if value >= income {
            return Err(NashError::SpendingNotBelowIncome {
                index,
                spending: value,
                income,
            });
        }
    }
    let total_spending: f64 = spending.iter().sum();
    if total_spending <= 0.0 {
        return Err(NashError::NoSpending);
    }
    let weights = incomes
        .iter()
        .zip(spending)
        .map(|(&income, &own)| total_spending / (income + total_spending - own))
        .collect();
    Ok(Calibration {
        weights,
        total_spending,
        zero_spenders: spending.iter().map(|&m| m == 0.0).collect(),
    })
}

/// Apply `change` to one member and solve again for everyone else.
pub fn what_if(
    incomes: &[f64],
    weights: &[f64],
    price: f64,
    change: Change,
) -> Result<WhatIf, NashError> {
    let baseline = solve(incomes, weights, price)?;
    let n = incomes.len();
    let member = match change {
        Change::Remove { member }
        | Change::ScaleIncome { member, .. }
        | Change::FixContribution { member, .. }
        | Change::ScaleContribution { member, .. } => member,
    };
    if member >= n {
        return Err(NashError::NoSuchMember { member, count: n });
    }

    let mut scenario_incomes = incomes.to_vec();
    let mut roles = vec![Role::Strategic; n];
    // The fixed amount a member provides outside the game, if any.
    let fixed = match change {
        Change::Remove { .. } => {
            roles[member] = Role::Removed;
            None
        }
        Change::ScaleIncome { factor, .. } => {
            check_factor(factor)?;
            scenario_incomes[member] *= factor;
            None
        }
        Change::FixContribution { amount, .. } => {
            if !(amount.is_finite() && amount >= 0.0) {
                return Err(NashError::BadFixedContribution(amount));
            }
            roles[member] = Role::Fixed;
            Some(amount)
        }
        Change::ScaleContribution { factor, .. } => {
            check_factor(factor)?;
            roles[member] = Role::Fixed;
            Some(factor * baseline.contributions[member])
        }
    };

    let scenario = if roles[member] == Role::Strategic {
        equilibrium(&scenario_incomes, weights, price, 0.0)
    } else {
        let others: Vec<usize> = (0..n).filter(|&i| i != member).collect();
        let other_incomes: Vec<f64> = others.iter().map(|&i| incomes[i]).collect();
        let other_weights: Vec<f64> = others.iter().map(|&i| weights[i]).collect();
        let exogenous = fixed.unwrap_or(0.0);
        let rest = equilibrium(&other_incomes, &other_weights, price, exogenous);
        // Put the changed member back in its place so vectors stay in input order.
        let mut contributions = vec![0.0; n];
        let mut contributors = vec![false; n];
        for (k, &i) in others.iter().enumerate() {
            contributions[i] = rest.contributions[k];
            contributors[i] = rest.contributors[k];
        }
        contributions[member] = exogenous;
        contributors[member] = exogenous > 0.0;
        Equilibrium {
            total: rest.total,
            contributions,
            contributors,
            price,
            exogenous,
        }
    };
    Ok(WhatIf {
        change,
        baseline,
        scenario,
        roles,
        scenario_incomes,
    })
}

/// The BBV scan; inputs already validated. Empty `incomes` gives `Q = exogenous`.
fn equilibrium(incomes: &[f64], weights: &[f64], price: f64, exogenous: f64) -> Equilibrium {
    let n = incomes.len();
    let k: Vec<f64> = weights.iter().map(|&a| (1.0 - a) / a).collect();
    let threshold: Vec<f64> = (0..n).map(|i| incomes[i] / (k[i] * price)).collect();
    let mut order: Vec<usize> = (0..n).collect();
    // Largest threshold first; ties keep input order so the scan is deterministic.
    order.sort_by(|&i, &j| threshold[j].total_cmp(&threshold[i]).then(i.cmp(&j)));

    let mut total = exogenous;
    let mut sum_income = 0.0;
    let mut sum_k = 0.0;
    let mut in_scan = vec![false; n];
    for &i in &order {
        if threshold[i] <= total * (1.0 + THRESHOLD_TOLERANCE) {
            break;
        }
        sum_income += incomes[i];
        sum_k += k[i];
        total = (sum_income + price * exogenous) / (price * (1.0 + sum_k));
        in_scan[i] = true;
    }
    let contributions: Vec<f64> = (0..n)
        .map(|i| {
            if in_scan[i] {
                ((incomes[i] - k[i] * price * total) / price).max(0.0)
            } else {
                0.0
            }
        })
        .collect();
    Equilibrium {
        total,
        contributors: contributions.iter().map(|&q| q > 0.0).collect(),
        contributions,
        price,
        exogenous,
    }
}

fn validate_game(incomes: &[f64], weights: &[f64], price: f64) -> Result<(), NashError> {
    check_len("weights", weights.len(), incomes.len())?;
    for (index, &value) in incomes.iter().enumerate() {
        if !value.is_finite() || value < 0.0 {
            return Err(NashError::BadIncome { index, value });
        }
    }
    for (index, &value) in weights.iter().enumerate() {
        if !(value > 0.0 && value < 1.0) {
            return Err(NashError::BadWeight { index, value });
        }
    }
    if !(price.is_finite() && price > 0.0) {
        return Err(NashError::BadPrice(price));
    }
    Ok(())
}

fn check_len(what: &'static str, got: usize, expected: usize) -> Result<(), NashError> {
    if got == expected {
        Ok(())
    } else {
        Err(NashError::LengthMismatch {
            what,
            got,
            expected,
        })
    }
}

fn check_factor(factor: f64) -> Result<(), NashError> {
    if factor.is_finite() && factor >= 0.0 {
        Ok(())
    } else {
        Err(NashError::BadFactor(factor))
    }
}
