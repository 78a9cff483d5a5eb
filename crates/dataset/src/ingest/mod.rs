//! Ingest: one reader per publisher format, turning the files in the raw folder
//! (`$FAIRSHARE_RAW`, else `../shared/data/raw`) into harmonized observations.
//!
//! Readers know their publisher's quirks (SIPRI's `...` and `xxx`, fractions on the
//! share sheet, US$ millions; the IMF's `n/a`; NATO's `2024e` headers) and nothing
//! else: they map names to ISO3 codes through the country registry, convert to full
//! units and percent, attach provenance, and never compute a metric.
//!
//! [`build`] runs every reader and returns the whole dataset; the CLI writes it to
//! `data/` atomically. The same raw files always give the same bytes.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::commitments::Commitments;
use crate::dataset::RawDataset;
use crate::error::DatasetError;
use crate::model::Observation;
use crate::registry::{
    CountryRegistry, Definition, Note, Source, SourceRegistry, builtin_countries,
};

pub mod atop;
pub mod datahub;
pub mod earlier_figures;
pub mod host_nation_support;
pub mod japan_budget;
pub mod nato_defexp;
pub mod nato_registry;
pub mod polls_538;
pub mod sipri;
pub mod table;
pub mod troopdata;
pub mod us_treaties;
pub mod wdi;
pub mod weo;
pub mod xlsx;
pub mod xlsx_fonts;

/// What one reader produces from its publisher's files.
#[derive(Debug, Clone, Default)]
pub struct ReaderOutput {
    pub sources: Vec<Source>,
    pub definitions: Vec<Definition>,
    pub notes: Vec<Note>,
    pub observations: Vec<Observation>,
    /// Alliances, memberships, targets and plans (the hand-compiled registries).
    pub commitments: Commitments,
}

impl ReaderOutput {
    pub fn extend(&mut self, other: ReaderOutput) {
        self.sources.extend(other.sources);
        self.definitions.extend(other.definitions);
        self.notes.extend(other.notes);
        self.observations.extend(other.observations);
        self.commitments.extend(other.commitments);
    }
}

/// A publisher file that cannot be read as expected. Always the input's fault
/// (exit code 2): the message names the file, the sheet or line, and what was expected.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("{}: file not found{}", path.display(), hint_suffix(hint))]
    Missing { path: PathBuf, hint: String },

    #[error("{}: not a readable xlsx workbook ({})", one_line(path.display()), one_line(message))]
    NotWorkbook { path: PathBuf, message: String },

    #[error("{} sheet '{}': {}", one_line(path.display()), one_line(sheet), one_line(message))]
    Layout {
        path: PathBuf,
        sheet: String,
        message: String,
    },

    #[error("{}: {}", one_line(path.display()), one_line(message))]
    Format { path: PathBuf, message: String },

    #[error("{0}")]
    Dataset(#[from] DatasetError),
}

/// Errors are one line, whatever a publisher file puts in a cell: line breaks and other
/// control characters in echoed input are shown escaped (`\n`).
fn one_line(text: impl std::fmt::Display) -> String {
    let text = text.to_string();
    if !text.chars().any(char::is_control) {
        return text;
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn hint_suffix(hint: &str) -> String {
    if hint.is_empty() {
        String::new()
    } else {
        format!(" ({hint})")
    }
}

impl IngestError {
    pub fn layout(path: &Path, sheet: &str, message: impl Into<String>) -> IngestError {
        IngestError::Layout {
            path: path.to_path_buf(),
            sheet: sheet.to_string(),
            message: message.into(),
        }
    }

    pub fn format(path: &Path, message: impl Into<String>) -> IngestError {
        IngestError::Format {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }
}

/// The raw folder: `$FAIRSHARE_RAW` if set, else `../shared/data/raw`.
pub fn default_raw_dir() -> PathBuf {
    match std::env::var_os("FAIRSHARE_RAW") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("../shared/data/raw"),
    }
}

/// The one file in `dir` whose name starts with `prefix` and ends with `suffix`
/// (publishers rename files each release: `SIPRI-Milex-data-1949-2024_2.xlsx`).
pub fn find_file(dir: &Path, prefix: &str, suffix: &str) -> Result<PathBuf, IngestError> {
    let entries = std::fs::read_dir(dir).map_err(|_| IngestError::Missing {
        path: dir.to_path_buf(),
        hint: "the raw folder is $FAIRSHARE_RAW, else ../shared/data/raw; or pass --raw DIR"
            .to_string(),
    })?;
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(suffix))
        })
        .collect();
    found.sort();
    match found.len() {
        0 => Err(IngestError::Missing {
            path: dir.join(format!("{prefix}*{suffix}")),
            hint: "no file with that name pattern".to_string(),
        }),
        1 => Ok(found.remove(0)),
        _ => Err(IngestError::format(
            dir,
            format!(
                "several files match {prefix}*{suffix}: {}; keep only the release to ingest",
                found
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The bytes of a publisher file (text readers sniff and decode them themselves);
/// a missing file is [`IngestError::Missing`], any other failure names the file.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, IngestError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(IngestError::Missing {
            path: path.to_path_buf(),
            hint: String::new(),
        }),
        Err(e) => Err(IngestError::format(path, format!("cannot read: {e}"))),
    }
}

/// A reader: reads its publisher's folder under the raw root.
pub type Reader = fn(&Path, &CountryRegistry) -> Result<ReaderOutput, IngestError>;

/// Every reader `data build` runs, with the folder it reads and a label for progress.
pub fn readers() -> Vec<(&'static str, Reader)> {
    vec![
        ("SIPRI Military Expenditure Database", sipri::read),
        ("World Bank WDI", wdi::read),
        ("World Bank via DataHub", datahub::read),
        ("IMF World Economic Outlook", weo::read),
        ("NATO defence expenditure tables", nato_defexp::read),
        ("NATO members and targets", nato_registry::read),
        ("Japan defence budgets", japan_budget::read),
        ("US treaty allies (built-in)", us_treaties::read),
        (
            "Host-nation support (Japan, Korea)",
            host_nation_support::read,
        ),
        ("US troops abroad (troopdata, DMDC)", troopdata::read),
        (
            "Earlier published figures (built-in)",
            earlier_figures::read,
        ),
        ("ATOP alliance memberships", atop::read),
        ("FiveThirtyEight 2024 national polls", polls_538::read),
    ]
}

/// Run every reader over `raw` and assemble the dataset. `progress` hears the label
/// of each reader as it starts (the CLI draws a bar; tests pass a no-op).
pub fn build(raw: &Path, progress: &mut dyn FnMut(&str)) -> Result<RawDataset, IngestError> {
    if !raw.is_dir() {
        return Err(IngestError::Missing {
            path: raw.to_path_buf(),
            hint: "the raw folder is $FAIRSHARE_RAW, else ../shared/data/raw; or pass --raw DIR"
                .to_string(),
        });
    }
    let countries = builtin_countries();
    let mut all = ReaderOutput::default();
    for (label, reader) in readers() {
        progress(label);
        all.extend(reader(raw, &countries)?);
    }
    assemble(countries, all)
}

/// Merge reader outputs into one raw dataset, deduplicating shared definitions and
/// refusing what would make the dataset inconsistent.
pub fn assemble(
    countries: CountryRegistry,
    mut all: ReaderOutput,
) -> Result<RawDataset, IngestError> {
    all.definitions.sort_by(|a, b| a.id.cmp(&b.id));
    all.definitions.dedup_by(|a, b| a.id == b.id);
    let raw = RawDataset {
        countries,
        sources: SourceRegistry::new(all.sources)?,
        definitions: all.definitions,
        notes: all.notes,
        commitments: {
            let mut c = all.commitments;
            c.sort();
            c
        },
        events: crate::events::builtin_events(),
        observations: all.observations,
        origin: Vec::new(),
    };
    // Validate exactly as the binary will when it loads the result.
    crate::dataset::Dataset::from_raw(raw.clone())?;
    Ok(raw)
}
