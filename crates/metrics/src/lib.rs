//! # fairshare-metrics
//!
//! The targets engine: who meets a spending target in a year (exactly, and as SIPRI's
//! fact sheets round), by how much money they fall short, and the path that reaches a
//! target by a year with what it costs in local currency and US$. Pure functions over a
//! [`fairshare_dataset::Dataset`]: no files, no printing, no clock.
//!
//! It also keeps the burden-sharing ledger: host-nation support against US troops and
//! defence budgets, and what a US demand would mean ([`hns`]); each ally's share of
//! alliance spending against its share of GDP ([`share`], Olson-Zeckhauser); the change
//! in US$ spending split into real growth, inflation and the exchange rate
//! ([`decompose`]); and published claims checked against current and earlier releases
//! ([`claims`]). Exchange rates are named wherever money changes currency ([`fx`]).
//!
//! It is not for formatting (the CLI decides how results look) nor for uncertainty
//! (the scenario engine draws paths around these deterministic ones).
//!
//! Where the numbers come from:
//! - burdens: the definition asked for (SIPRI's or NATO's share of GDP, NATO's
//!   equipment share, Japan's national budgets against its fixed FY2022 GDP);
//! - money: the same definition's spending ([`compliance`]);
//! - GDP ahead: the IMF WEO, extended past 2030 at 2030 real growth and GDP-deflator
//!   inflation ([`projection`]); US$ at IMF-implied rates (NGDP ÷ NGDPD);
//! - fiscal years: SIPRI's ¼ / ¾ weighting for April-March years ([`fiscal`]).
//!
//! ```
//! use fairshare_dataset::Dataset;
//! use fairshare_metrics::{TargetRule, assess_alliance, gap_path};
//!
//! fn summary(ds: &Dataset) -> Result<(), Box<dyn std::error::Error>> {
//!     let two = TargetRule::parse(ds.commitments(), "nato-2pct")?;
//!     let nato = assess_alliance(ds, "NATO", &two, "sipri", 2024)?;
//!     println!("{} meet 2% ({} when rounded)", nato.count.text(), nato.count.text_rounded());
//!
//!     let japan = TargetRule::parse(ds.commitments(), "japan-2pct-fy2027")?;
//!     let path = gap_path(ds, "JPN", &japan, "national:jp-security", None, None)?;
//!     if let Some(last) = path.years.last() {
//!         println!("FY{}: ¥{:.2} tn, ¥{:.2} tn more than today", last.year, last.required_lcu / 1e12, last.extra_lcu / 1e12);
//!     }
//!     Ok(())
//! }
//! ```

pub mod claims;
pub mod compliance;
pub mod decompose;
pub mod error;
pub mod fiscal;
pub mod fx;
pub mod gap;
pub mod hns;
pub mod projection;
pub mod rounding;
pub mod rule;
pub mod share;

#[cfg(test)]
mod fixture;

pub use compliance::{
    Assessment, Compliance, Count, assess_alliance, assess_countries, assess_one, check_definition,
    definitions_with, latest_year,
};
pub use error::MetricsError;
pub use gap::{Denominator, GapPath, GapYear, gap_path};
pub use projection::{Extrapolation, GdpPath, GdpYear, HORIZON, imf_gdp_path};
pub use rule::{FixedGdp, TargetRule};
