//! The CLI's error: one line for the person at the keyboard, and the exit code
//! (2 for bad input, 1 for an internal failure).

use std::fmt;

use fairshare_dataset::DatasetError;
use fairshare_dataset::ingest::IngestError;

#[derive(Debug)]
pub struct CliError {
    pub code: i32,
    pub message: String,
}

impl CliError {
    /// The user's input is wrong (exit 2).
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            code: 2,
            message: message.into(),
        }
    }

    /// Something fairshare itself failed at (exit 1).
    pub fn internal(message: impl Into<String>) -> CliError {
        CliError {
            code: 1,
            message: message.into(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<DatasetError> for CliError {
    fn from(e: DatasetError) -> Self {
        // Unknown names, bad years, and a dataset directory that is missing or
        // corrupt are all problems with what the user pointed us at.
        CliError::usage(e.to_string())
    }
}

impl From<fairshare_metrics::MetricsError> for CliError {
    fn from(e: fairshare_metrics::MetricsError) -> Self {
        // Every engine error is about what was asked: an unknown target, a year
        // outside the data, a definition that does not publish the measure.
        CliError::usage(e.to_string())
    }
}

impl From<IngestError> for CliError {
    fn from(e: IngestError) -> Self {
        CliError::usage(e.to_string())
    }
}
