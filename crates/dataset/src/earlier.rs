//! Figures as publishers printed them in earlier releases: `data/earlier_figures.csv`.
//!
//! Publishers revise. SIPRI's April 2023 release put Japan's 2022 military burden at
//! 1.08% of GDP; its 2025 release says 1.01%, after Japan's GDP was revised up. The
//! dataset holds one release per publisher as data; this registry keeps what earlier
//! releases said, one figure per row, each with the page that records it, so that a
//! claim citing an earlier release can be told apart from a wrong one (`fairshare
//! claims check`, verdict `revised`).
//!
//! These rows are never data: no engine reads them as observations, so an old release
//! cannot stand in for the current one. fairshare does not hold the earlier workbooks;
//! a row is only as good as the page it cites (`source_url`, and `recorded_by` when the
//! page is a report of the publisher's figures rather than the publisher's own).

use serde::{Deserialize, Serialize};

use crate::model::{Flags, Measure, Unit, YearBasis};
use crate::targets::as_text;

/// One figure as an earlier release of its publisher printed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlierFigure {
    /// ISO3 code or an aggregate code (`WLD`).
    pub country: String,
    #[serde(with = "as_text")]
    pub measure: Measure,
    pub year: i32,
    #[serde(with = "as_text")]
    pub year_basis: YearBasis,
    /// What was counted (`sipri`): the publisher's definition.
    pub definition: String,
    /// As printed, in full units and percent (1.08 for 1.08% of GDP; 46.0e9 for $46.0 bn).
    pub value: f64,
    #[serde(with = "as_text")]
    pub unit: Unit,
    /// The step it was printed to, in the same units (0.01 for 1.08%, 1e8 for $46.0 bn).
    pub precision: f64,
    /// When the release came out: `YYYY-MM` or `YYYY-MM-DD`.
    pub release: String,
    /// The release as fairshare names vintages (`SIPRI 2023`).
    pub vintage: String,
    /// The publication that printed it (a fact sheet, a database release).
    pub publication: String,
    /// Who recorded the figure on the cited page, when that is not the publisher itself.
    pub recorded_by: String,
    /// The publisher's markers (`estimate`).
    #[serde(with = "as_text")]
    pub flags: Flags,
    pub note: String,
    /// The fairshare source id of the registry (`earlier-figures`).
    pub source: String,
    /// The page the figure is taken from.
    pub source_url: String,
}

impl EarlierFigure {
    /// True if this figure describes the cell (country, measure, definition, basis, year).
    pub fn is_for(
        &self,
        country: &str,
        measure: Measure,
        definition: &str,
        basis: YearBasis,
        year: i32,
    ) -> bool {
        self.country == country
            && self.measure == measure
            && self.definition.eq_ignore_ascii_case(definition)
            && self.year_basis == basis
            && self.year == year
    }
}

/// Registry order: by cell, then release.
pub(crate) fn sort(figures: &mut [EarlierFigure]) {
    figures.sort_by(|a, b| {
        (
            &a.country,
            a.measure,
            &a.definition,
            a.year_basis,
            a.year,
            &a.release,
        )
            .cmp(&(
                &b.country,
                b.measure,
                &b.definition,
                b.year_basis,
                b.year,
                &b.release,
            ))
    });
}
