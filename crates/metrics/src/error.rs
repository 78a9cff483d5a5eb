//! Errors of the metrics engine, worded for the person at the keyboard. All of them
//! are about what was asked (an unknown target, a year outside the data), so the CLI
//! exits with code 2.

use fairshare_dataset::DatasetError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum MetricsError {
    /// An unknown alliance or target id, from the registries.
    #[error("{0}")]
    Dataset(#[from] DatasetError),

    /// Input that cannot be answered as asked (a target outside 0-100%, a measure that
    /// is not a share of GDP, a year after the projection horizon).
    #[error("{0}")]
    Input(String),

    /// The dataset has no figure the question needs.
    #[error("{0}")]
    NoData(String),

    /// `--by` lies before the latest data of the reading (the path would run backwards).
    #[error(
        "--by {by} is before the latest {definition} data for {country} ({base}); \
         use --from YEAR to start the path from an earlier year's share"
    )]
    ByBeforeData {
        by: i32,
        base: i32,
        definition: String,
        country: String,
    },
}

impl MetricsError {
    pub fn input(message: impl Into<String>) -> MetricsError {
        MetricsError::Input(message.into())
    }

    pub fn no_data(message: impl Into<String>) -> MetricsError {
        MetricsError::NoData(message.into())
    }
}
