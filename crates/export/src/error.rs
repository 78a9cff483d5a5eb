//! Export errors, worded for the person at the keyboard, and whether each is the
//! user's to fix (a path, an empty selection) or fairshare's own failure.

use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ExportError {
    /// The output path cannot be used as given (a folder where a file is needed,
    /// a missing parent folder, a folder that is not an earlier export).
    #[error("{0}")]
    Target(String),

    /// The filters select no observation.
    #[error("nothing to export: no observations match {0}")]
    Empty(String),

    /// Writing the output failed (unwritable location, disk full).
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    /// An encoder refused what fairshare gave it: a bug, not the user's doing.
    #[error("{format} encoding failed: {message}")]
    Encode {
        format: &'static str,
        message: String,
    },
}

impl ExportError {
    /// True when the user can fix it (exit code 2), false for an internal failure.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ExportError::Encode { .. })
    }

    pub(crate) fn io(path: &Path, source: std::io::Error) -> ExportError {
        ExportError::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn encode(format: &'static str, message: impl ToString) -> ExportError {
        ExportError::Encode {
            format,
            message: message.to_string(),
        }
    }
}
