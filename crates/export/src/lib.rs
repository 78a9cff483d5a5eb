//! # fairshare-export
//!
//! Writes the dataset, or a selection of it, as files analysts load in one line in
//! their own tools, with the metadata (sources, vintages, licences, citations,
//! definitions, units) travelling inside:
//!
//! - [`Format::Csv`]: a folder of tidy CSV files plus a Frictionless Data Package
//!   descriptor (`datapackage.json`) with field types, descriptions, keys and sources;
//! - [`Format::Parquet`]: one file of observations, typed columns, the registries as
//!   JSON in the file's key-value metadata;
//! - [`Format::Sqlite`]: a normalized database with keys, indexes and a `README` table;
//! - [`Format::Xlsx`]: a wide workbook for spreadsheet users, one sheet per measure and
//!   definition (countries as rows, years as columns), with README and sources sheets.
//!
//! Every output is written atomically: to a temporary file or folder beside the
//! target, renamed into place only when complete.
//!
//! It is not for printing or for choosing what to export: the caller (the CLI's
//! `export` command) parses the user's filters into a [`Filter`] and reports the
//! [`Summary`]. The export never computes new numbers; it lays out the dataset's.
//!
//! ```no_run
//! use fairshare_dataset::Filter;
//! use fairshare_export::{Format, export};
//!
//! let ds = fairshare_dataset::Dataset::load_dir("data".as_ref()).unwrap();
//! let japan = Filter { countries: vec!["JPN".into()], ..Filter::default() };
//! let summary = export(&ds, &japan, Format::Parquet, "japan.parquet".as_ref()).unwrap();
//! assert!(summary.observations > 0);
//! ```
//!
//! Adding a registry (alliances, targets, events) to every format is one function in
//! [`tables`] that returns a [`Table`], listed in [`tables::all`].

mod about;
mod atomic;
mod csv_package;
mod error;
mod parquet_file;
pub mod selection;
mod sqlite;
pub mod table;
pub mod tables;
mod xlsx;

use std::path::{Path, PathBuf};

pub use error::ExportError;
use fairshare_dataset::{Dataset, Filter};
pub use selection::Selection;
pub use table::{Column, Field, FieldType, ForeignKey, Table};

/// The file formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A folder: one CSV per table and `datapackage.json` (Frictionless Data Package).
    Csv,
    /// One Parquet file of observations; metadata in the key-value metadata.
    Parquet,
    /// One SQLite database, normalized, with a `README` table.
    Sqlite,
    /// One xlsx workbook, wide: a sheet per measure and definition.
    Xlsx,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Csv, Format::Parquet, Format::Sqlite, Format::Xlsx];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Sqlite => "sqlite",
            Format::Xlsx => "xlsx",
        }
    }

    /// True when the output is a folder rather than one file.
    pub fn writes_folder(self) -> bool {
        self == Format::Csv
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub format: Format,
    /// The file or folder written.
    pub path: PathBuf,
    pub observations: usize,
    /// Source ids of the observations written.
    pub sources: Vec<String>,
    /// The selection in words ("the whole dataset", "countries JPN, KOR; years 2014-2024").
    pub selection: String,
}

/// Write the observations `filter` selects from `ds` to `out` in `format`.
///
/// `Filter::default()` selects the whole dataset. For [`Format::Csv`], `out` is a
/// folder (created, or replaced if it holds an earlier fairshare export); for the
/// others a file (replaced if it exists). Nothing is left behind on error.
pub fn export(
    ds: &Dataset,
    filter: &Filter,
    format: Format,
    out: &Path,
) -> Result<Summary, ExportError> {
    // Check the target before the work, so a bad path fails fast.
    if format.writes_folder() {
        atomic::check_folder_target(out)?;
    } else {
        atomic::check_file_target(out)?;
    }
    let selection = Selection::new(ds, filter);
    if selection.is_empty() {
        return Err(ExportError::Empty(selection.description.clone()));
    }
    let tables = tables::all(&selection);
    match format {
        Format::Csv => csv_package::write(&selection, &tables, out)?,
        Format::Parquet => parquet_file::write(&selection, &tables, out)?,
        Format::Sqlite => sqlite::write(&selection, &tables, out)?,
        Format::Xlsx => xlsx::write(&selection, &tables, out)?,
    }
    Ok(Summary {
        format,
        path: out.to_path_buf(),
        observations: selection.observations.len(),
        sources: selection.sources().iter().map(|s| s.id.clone()).collect(),
        selection: selection.description.clone(),
    })
}
