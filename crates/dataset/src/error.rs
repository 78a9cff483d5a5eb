//! Errors of the dataset layer, worded for the person at the keyboard.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum DatasetError {
    /// A country argument that matches no code or name.
    #[error("unknown country '{given}'{}", did_you_mean(suggestions))]
    UnknownCountry {
        given: String,
        suggestions: Vec<String>,
    },

    /// A country argument that names more than one country ("Korea").
    #[error(
        "ambiguous country '{given}': it could be {}; give the code or the full name",
        candidates.join(" or ")
    )]
    AmbiguousCountry {
        given: String,
        candidates: Vec<String>,
    },

    /// A definition id that no observation uses.
    #[error("unknown definition '{given}': valid ones are {valid}")]
    UnknownDefinition { given: String, valid: String },

    /// An alliance id that is not in the alliances registry.
    #[error("unknown alliance '{given}': valid ones are {valid}")]
    UnknownAlliance { given: String, valid: String },

    /// A target id or alias that is not in the targets registry.
    #[error(
        "unknown target '{given}': valid ones are {valid} (or an ad-hoc share such as 3% with --by YEAR)"
    )]
    UnknownTarget { given: String, valid: String },

    /// A year argument outside what the dataset holds, or a reversed range.
    #[error("{0}")]
    BadYears(String),

    /// A committed dataset file that is missing, corrupt or inconsistent.
    #[error("dataset file {file}: {message}")]
    Invalid { file: String, message: String },

    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DatasetError {
    pub fn invalid(file: impl Into<String>, message: impl Into<String>) -> DatasetError {
        DatasetError::Invalid {
            file: file.into(),
            message: message.into(),
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DatasetError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// True when the error is the user's input (exit code 2), not a broken dataset.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            DatasetError::UnknownCountry { .. }
                | DatasetError::AmbiguousCountry { .. }
                | DatasetError::UnknownDefinition { .. }
                | DatasetError::UnknownAlliance { .. }
                | DatasetError::UnknownTarget { .. }
                | DatasetError::BadYears(_)
        )
    }
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => ": try `fairshare countries` for the list of codes and names".to_string(),
        [one] => format!(": did you mean {one}?"),
        many => format!(": did you mean one of {}?", many.join(", ")),
    }
}
