//! # fairshare-models
//!
//! The alliance-economics engines: pure functions that take numbers assembled from the
//! dataset and return results with their inference. No I/O, no printing: the CLI, the
//! report and the server format what these return.
//!
//! - [`nash`]: the public-good alliance model (Olson & Zeckhauser 1966; Bergstrom, Blume &
//!   Varian 1986): the exact Nash equilibrium with corner solutions, weights calibrated on
//!   observed spending, and what-ifs (a member leaves, shrinks or fixes its contribution).
//! - [`exploitation`]: the exploitation test, Spearman's rank correlation between members'
//!   GDP and burden, with exact or t-approximated p-values, for one year or a series.
//! - [`panel`]: the fixed-effects demand-for-military-expenditure regression with
//!   conventional, cluster-robust and Driscoll–Kraay standard errors, long-run elasticities
//!   and the Nickell-bias note.
//!
//! - [`data`]: the engines' inputs assembled from a [`fairshare_dataset::Dataset`] —
//!   alliance players by year, incomes and spending for Nash, the exploitation
//!   cross-sections, and the demand panel (spill-ins, rivals' spending, lag-only rows),
//!   every number with its source and vintage.
//! - [`spec`]: specification files of the demand regression (`models/*.toml`) with
//!   file:line errors.
//! - [`response`]: the fitted elasticities as an ally-response rule, with coefficient
//!   draws for Monte Carlo paths.
//!
//! The engines themselves ([`nash`], [`exploitation`], [`panel`]) take plain vectors;
//! only [`data`] reads the dataset, and nothing here reads files or prints. Methods and
//! results: `docs/models.md`.
//!
//! ```
//! use fairshare_models::{exploitation::exploitation_test, nash::solve};
//!
//! let eq = solve(&[100.0, 80.0, 20.0], &[0.5; 3], 1.0).unwrap();
//! assert_eq!((eq.total, eq.contributors.clone()), (60.0, vec![true, true, false]));
//!
//! let test = exploitation_test(&[3.0, 2.0, 1.0], &[2.5, 1.5, 1.0]).unwrap();
//! assert_eq!(test.rho, 1.0);
//! ```

pub mod data;
pub mod exploitation;
pub mod nash;
pub mod panel;
pub mod response;
pub mod spec;
