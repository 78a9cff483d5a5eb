//! The harmonized dataset: observations plus registries, in two forms.
//!
//! - On disk (`data/`): reviewable CSV, one observation file per source plus the
//!   registries. [`RawDataset`] is exactly what those files say.
//! - In memory: [`Dataset`], observations interned and sorted by country so a fact
//!   query touches only its own rows. [`Dataset::encode`] gives the compact bytes the
//!   `fairshare` binary embeds at compile time; [`Dataset::decode`] reads them back in
//!   a few milliseconds.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::commitments::Commitments;
use crate::error::DatasetError;
use crate::events::{self, Event};
use crate::model::{Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{
    Country, CountryRegistry, Definition, Note, Source, SourceRegistry, read_rows, write_rows,
};

/// File names inside a dataset directory.
pub mod files {
    pub const COUNTRIES: &str = "countries.csv";
    pub const SOURCES: &str = "sources.csv";
    pub const DEFINITIONS: &str = "definitions.csv";
    pub const NOTES: &str = "notes.csv";
    pub const EVENTS: &str = crate::events::FILE;
    pub const OBSERVATIONS_DIR: &str = "observations";
    pub const README: &str = "README.md";
    /// SHA-256 of every other file, as `sha256sum` prints it: a truncated or
    /// hand-edited file is refused instead of read.
    pub const MANIFEST: &str = "MANIFEST.sha256";
}

/// The manifest text for a set of files (relative path, contents), sorted by path.
pub fn manifest_for(files: &[(String, String)]) -> String {
    use sha2::{Digest, Sha256};
    let mut lines: Vec<String> = files
        .iter()
        .filter(|(p, _)| p != files::MANIFEST)
        .map(|(p, text)| {
            let hash = Sha256::digest(text.as_bytes());
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            format!("{hex}  {p}")
        })
        .collect();
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// Compare a dataset directory with its manifest; each problem is one line.
pub fn verify_manifest(dir: &Path) -> Result<Vec<String>, DatasetError> {
    let path = dir.join(files::MANIFEST);
    let text = fs::read_to_string(&path).map_err(|e| DatasetError::io("read", &path, e))?;
    let mut problems = Vec::new();
    let mut listed = std::collections::HashSet::new();
    for (n, line) in text.lines().enumerate() {
        let Some((want, rel)) = line.split_once("  ") else {
            problems.push(format!(
                "{} line {}: not '<sha256>  <file>'",
                files::MANIFEST,
                n + 1
            ));
            continue;
        };
        listed.insert(rel.to_string());
        let file = dir.join(rel);
        match fs::read(&file) {
            Err(_) => problems.push(format!("{rel}: listed in {} but missing", files::MANIFEST)),
            Ok(bytes) => {
                use sha2::{Digest, Sha256};
                let hex: String = Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                if hex != want {
                    problems.push(format!(
                        "{rel}: checksum does not match {} (truncated, corrupted or edited by hand; rebuild with `fairshare data build`)",
                        files::MANIFEST
                    ));
                }
            }
        }
    }
    let obs_dir = dir.join(files::OBSERVATIONS_DIR);
    if let Ok(entries) = fs::read_dir(&obs_dir) {
        let mut extra: Vec<String> = entries
            .flatten()
            .map(|e| {
                format!(
                    "{}/{}",
                    files::OBSERVATIONS_DIR,
                    e.file_name().to_string_lossy()
                )
            })
            .filter(|rel| rel.ends_with(".csv") && !listed.contains(rel))
            .collect();
        extra.sort();
        for rel in extra {
            problems.push(format!("{rel}: not listed in {}", files::MANIFEST));
        }
    }
    Ok(problems)
}

/// The dataset exactly as its files hold it, before any validation beyond parsing.
/// `data check` inspects this form, so that a fault is reported rather than refused.
#[derive(Debug, Clone, Default)]
pub struct RawDataset {
    pub countries: CountryRegistry,
    pub sources: SourceRegistry,
    pub definitions: Vec<Definition>,
    pub notes: Vec<Note>,
    /// Alliances, memberships, targets and plans.
    pub commitments: Commitments,
    /// Dated events (summits, elections, budgets) that charts mark and reports score.
    pub events: Vec<Event>,
    /// Observations in file order; `origin` says which file and row each came from.
    pub observations: Vec<Observation>,
    pub origin: Vec<(String, usize)>,
}

/// One observation row as written in `data/observations/*.csv`.
#[derive(Debug, Serialize, Deserialize)]
struct ObservationRow {
    country: String,
    year: i32,
    year_basis: String,
    measure: String,
    definition: String,
    value: Option<f64>,
    unit: String,
    flags: String,
    source: String,
    vintage: String,
    notes: String,
}

impl RawDataset {
    /// Read a dataset directory (`data/`), refusing it if any file does not match
    /// the manifest.
    pub fn read_dir(dir: &Path) -> Result<RawDataset, DatasetError> {
        if let Some(problem) = verify_manifest(dir)?.into_iter().next() {
            return Err(DatasetError::invalid(dir.display().to_string(), problem));
        }
        RawDataset::read_dir_unverified(dir)
    }

    /// Read a dataset directory without checking the manifest (for `data check`,
    /// which reports manifest problems beside everything else it finds).
    pub fn read_dir_unverified(dir: &Path) -> Result<RawDataset, DatasetError> {
        let read = |name: &str| -> Result<String, DatasetError> {
            let path = dir.join(name);
            fs::read_to_string(&path).map_err(|e| DatasetError::io("read", path, e))
        };
        let countries = CountryRegistry::from_csv(&read(files::COUNTRIES)?)?;
        let sources = SourceRegistry::from_csv(&read(files::SOURCES)?)?;
        let definitions = read_rows(&read(files::DEFINITIONS)?, files::DEFINITIONS)?;
        let notes = read_rows(&read(files::NOTES)?, files::NOTES)?;
        let commitments = Commitments::read_with(read)?;
        let events = events::from_csv(&read(files::EVENTS)?)?;

        let obs_dir = dir.join(files::OBSERVATIONS_DIR);
        let mut names: Vec<PathBuf> = fs::read_dir(&obs_dir)
            .map_err(|e| DatasetError::io("list", &obs_dir, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .collect();
        names.sort();
        if names.is_empty() {
            return Err(DatasetError::invalid(
                files::OBSERVATIONS_DIR,
                "no observation files (*.csv) found",
            ));
        }
        let mut observations = Vec::new();
        let mut origin = Vec::new();
        for path in names {
            let file = format!(
                "{}/{}",
                files::OBSERVATIONS_DIR,
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            let text = fs::read_to_string(&path).map_err(|e| DatasetError::io("read", &path, e))?;
            for (i, row) in read_rows::<ObservationRow>(&text, &file)?
                .into_iter()
                .enumerate()
            {
                let line = i + 2;
                let bad =
                    |what: String| DatasetError::invalid(&file, format!("row {line}: {what}"));
                let obs = Observation {
                    country: row.country,
                    year: row.year,
                    year_basis: row.year_basis.parse().map_err(|e| bad(format!("{e}")))?,
                    measure: row.measure.parse().map_err(|e| bad(format!("{e}")))?,
                    definition: row.definition,
                    value: row.value,
                    unit: row.unit.parse().map_err(|e| bad(format!("{e}")))?,
                    flags: row.flags.parse().map_err(|e| bad(format!("{e}")))?,
                    source: row.source,
                    vintage: row.vintage,
                    notes: row.notes,
                };
                if let Some(v) = obs.value
                    && !v.is_finite()
                {
                    return Err(bad(format!("value {v} is not a finite number")));
                }
                observations.push(obs);
                origin.push((file.clone(), line));
            }
        }
        Ok(RawDataset {
            countries,
            sources,
            definitions,
            notes,
            commitments,
            events,
            observations,
            origin,
        })
    }

    /// Write the dataset directory atomically: everything goes to a sibling temporary
    /// directory which then replaces `dir` by rename, so a failed or interrupted write
    /// leaves the previous dataset untouched.
    pub fn write_dir(&self, dir: &Path) -> Result<(), DatasetError> {
        let files = self.render()?;
        write_tree_atomically(dir, &files)
    }

    /// Every file of the dataset directory, path relative to it, with its bytes.
    /// Deterministic: the same observations give the same bytes.
    pub fn render(&self) -> Result<Vec<(String, String)>, DatasetError> {
        let mut out = vec![
            (files::COUNTRIES.to_string(), self.countries.to_csv()?),
            (files::SOURCES.to_string(), self.sources.to_csv()?),
        ];
        let mut defs = self.definitions.clone();
        defs.sort_by(|a, b| a.id.cmp(&b.id));
        out.push((
            files::DEFINITIONS.to_string(),
            write_rows(&defs, files::DEFINITIONS)?,
        ));
        let mut notes = self.notes.clone();
        notes.sort_by(|a, b| (&a.source, &a.key).cmp(&(&b.source, &b.key)));
        out.push((files::NOTES.to_string(), write_rows(&notes, files::NOTES)?));
        out.extend(self.commitments.render()?);
        out.push((files::EVENTS.to_string(), events::to_csv(&self.events)?));
        out.push((files::README.to_string(), self.readme()));

        let mut by_source: std::collections::BTreeMap<&str, Vec<&Observation>> = Default::default();
        for o in &self.observations {
            by_source.entry(o.source.as_str()).or_default().push(o);
        }
        for (source, mut obs) in by_source {
            obs.sort_by_key(|o| o.key());
            let rows: Vec<ObservationRow> = obs
                .iter()
                .map(|o| ObservationRow {
                    country: o.country.clone(),
                    year: o.year,
                    year_basis: o.year_basis.to_string(),
                    measure: o.measure.to_string(),
                    definition: o.definition.clone(),
                    value: o.value,
                    unit: o.unit.to_string(),
                    flags: o.flags.to_string(),
                    source: o.source.clone(),
                    vintage: o.vintage.clone(),
                    notes: o.notes.clone(),
                })
                .collect();
            let name = format!("{}/{}.csv", files::OBSERVATIONS_DIR, source);
            let text = write_rows(&rows, &name)?;
            out.push((name, text));
        }
        let manifest = manifest_for(&out);
        out.push((files::MANIFEST.to_string(), manifest));
        Ok(out)
    }

    /// `data/README.md`: what the files are, and the attribution each publisher asks for.
    fn readme(&self) -> String {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for o in &self.observations {
            *counts.entry(o.source.as_str()).or_default() += 1;
        }
        let mut s = String::from(
            "# fairshare dataset\n\n\
             Generated by `fairshare data build` from the publishers' files; do not edit by hand\n\
             (edit the readers in `crates/dataset/src/ingest/` and rebuild). The same publisher files\n\
             always give the same bytes.\n\n\
             - `observations/<source>.csv` — one row per country, measure, definition, source, year\n\
             \x20 basis and year: `country,year,year_basis,measure,definition,value,unit,flags,source,vintage,notes`.\n\
             \x20 Money in full units; shares in percent; an empty value means the publisher has no\n\
             \x20 figure (the reason is a flag); `notes` are keys into `notes.csv`.\n\
             - `countries.csv` — codes, names and each publisher's spelling.\n\
             - `sources.csv` — publisher, release, file, licence and citation per source.\n\
             - `definitions.csv` — what each definition counts.\n\
             - `notes.csv` — the publishers' footnotes.\n\
             - `alliances.csv`, `memberships.csv` — alliances and who belonged when (accession or\n\
             \x20 treaty years; `suspended_from` where the partner's obligations are suspended).\n\
             - `targets.csv` — spending targets (NATO's Wales and Hague targets, Japan's 2% of FY2022\n\
             \x20 GDP by FY2027); `aliases` are the raw files' names.\n\
             - `plans.csv` — budgeted multi-year programmes (Japan's FY2023-27 Defense Buildup Program)\n\
             \x20 and agreements (Japan's host-nation-support Special Measures Agreements).\n\
             - `earlier_figures.csv` — what earlier releases printed (SIPRI's April 2023 figures), each\n\
             \x20 with the page recording it; not data, kept for `fairshare claims check`.\n\
             - `polls.csv` — FiveThirtyEight's national two-way polls of the 2024 US election, one row\n\
             \x20 per question; scenario branches take their probability from them (`from_polls`).\n\
             \x20 Every registry row cites a source id and the page it was compiled from (`source_url`).\n\
             - `events.csv` — dated events charts mark (summits, elections, budgets), each with\n\
             \x20 its date precision (day, month, year), the countries concerned and the page cited.\n\
             - `MANIFEST.sha256` — checksums of the files above; a file that does not match is refused.\n\n\
             ## Sources and attribution\n\n",
        );
        for src in self.sources.all() {
            s.push_str(&format!(
                "### {} ({})\n\n- Publisher: {}\n- Title: {}\n- File: {}\n- Released: {}\n- URL: {}\n- Licence: {}\n- Cite as: {}\n- Observations: {}\n",
                src.id,
                src.vintage,
                src.publisher,
                src.title,
                src.file,
                src.released,
                src.url,
                src.licence,
                src.citation,
                counts.get(src.id.as_str()).copied().unwrap_or(0)
            ));
            if !src.note.is_empty() {
                s.push_str(&format!("- Note: {}\n", src.note));
            }
            s.push('\n');
        }
        s
    }

    /// Where observation `i` came from, for messages: "observations/x.csv row 12".
    pub fn origin_of(&self, i: usize) -> String {
        match self.origin.get(i) {
            Some((file, line)) => format!("{file} row {line}"),
            None => format!("observation #{i}"),
        }
    }
}

/// Write `files` (relative path, contents) as the complete contents of `dir`,
/// replacing it in one rename. Files in `dir` that are not in `files` are kept.
pub fn write_tree_atomically(dir: &Path, files: &[(String, String)]) -> Result<(), DatasetError> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| DatasetError::io("create", parent, e))?;
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".to_string());
    let tmp = parent.join(format!(".{base}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{base}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    remove_stale_trees(parent, &base);
    let result = (|| {
        fs::create_dir_all(&tmp).map_err(|e| DatasetError::io("create", &tmp, e))?;
        // Keep hand-written files that the build does not produce (none today, but
        // a user's notes in data/ must not vanish).
        if dir.is_dir() {
            copy_untracked(dir, &tmp, files)?;
        }
        for (rel, text) in files {
            let path = tmp.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(|e| DatasetError::io("create", p, e))?;
            }
            fs::write(&path, text).map_err(|e| DatasetError::io("write", &path, e))?;
        }
        // One atomic step where the system has it: the new tree and the old swap places,
        // so a kill at any instant leaves either the old dataset or the new one at `dir`.
        if dir.exists() && exchange(&tmp, dir) {
            let _ = fs::remove_dir_all(&tmp);
            return Ok(());
        }
        if dir.exists() {
            fs::rename(dir, &old).map_err(|e| DatasetError::io("move aside", dir, e))?;
        }
        if let Err(e) = fs::rename(&tmp, dir) {
            let _ = fs::rename(&old, dir);
            return Err(DatasetError::io("replace", dir, e));
        }
        let _ = fs::remove_dir_all(&old);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// Remove the temporary trees (`.data.tmp-PID`, `.data.old-PID`) that builds killed
/// mid-write left beside `dir`: those whose process is gone. A live build's are kept.
fn remove_stale_trees(parent: &Path, base: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = [".tmp-", ".old-"].iter().find_map(|kind| {
            name.strip_prefix(&format!(".{base}{kind}"))
                .and_then(|p| p.parse::<u32>().ok())
        });
        if let Some(pid) = pid
            && pid != own
            && !process_alive(pid)
            && e.file_type().is_ok_and(|t| t.is_dir())
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// Whether process `pid` exists (Linux: `/proc/PID`); elsewhere assume it does, so
/// nothing is removed that might be in use.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Swap two directories atomically (Linux `renameat2(RENAME_EXCHANGE)`); false where the
/// system or file system cannot, and the caller falls back to two renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) = (
        CString::new(a.as_os_str().as_bytes()),
        CString::new(b.as_os_str().as_bytes()),
    ) else {
        return false;
    };
    // SAFETY: both are valid NUL-terminated paths that outlive the call; renameat2 only
    // reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    rc == 0
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

fn copy_untracked(
    from: &Path,
    to: &Path,
    produced: &[(String, String)],
) -> Result<(), DatasetError> {
    let produced: std::collections::HashSet<&str> =
        produced.iter().map(|(p, _)| p.as_str()).collect();
    let entries = fs::read_dir(from).map_err(|e| DatasetError::io("list", from, e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_file() && !produced.contains(name.as_str()) {
            fs::copy(&path, to.join(&name)).map_err(|e| DatasetError::io("copy", &path, e))?;
        }
    }
    Ok(())
}

/// One observation in compact form: 32 bytes, strings interned.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Row {
    country: u16,
    measure: Measure,
    basis: YearBasis,
    unit: Unit,
    flags: Flags,
    year: i16,
    definition: u16,
    source: u16,
    vintage: u16,
    notes: u32,
    value: Option<f64>,
}

const ROW_BYTES: usize = 32;

impl Row {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.country.to_le_bytes());
        out.push(self.measure as u8);
        out.push(self.basis.code());
        out.push(self.unit as u8);
        out.push(self.value.is_some() as u8);
        out.extend_from_slice(&self.flags.bits().to_le_bytes());
        out.extend_from_slice(&self.year.to_le_bytes());
        out.extend_from_slice(&self.definition.to_le_bytes());
        out.extend_from_slice(&self.source.to_le_bytes());
        out.extend_from_slice(&self.vintage.to_le_bytes());
        out.extend_from_slice(&self.notes.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&self.value.unwrap_or(0.0).to_le_bytes());
    }

    fn decode(b: &[u8]) -> Option<Row> {
        let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        let value = f64::from_le_bytes(b[24..32].try_into().ok()?);
        Some(Row {
            country: u16_at(0),
            measure: Measure::from_code(b[2])?,
            basis: YearBasis::from_code(b[3])?,
            unit: Unit::from_code(b[4])?,
            value: match b[5] {
                0 => None,
                1 => Some(value),
                _ => return None,
            },
            flags: Flags::from_bits(u16_at(6)),
            year: u16_at(8) as i16,
            definition: u16_at(10),
            source: u16_at(12),
            vintage: u16_at(14),
            notes: u32::from_le_bytes(b[16..20].try_into().ok()?),
        })
    }
}

/// The registries and string table, serialized with postcard beside the row block.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    countries: CountryRegistry,
    sources: SourceRegistry,
    definitions: Vec<Definition>,
    notes: Vec<Note>,
    commitments: Commitments,
    events: Vec<Event>,
    strings: Vec<String>,
    rows: u32,
}

const FORMAT: u32 = 2;
const MAGIC: &[u8; 8] = b"FAIRSHR1";

/// The validated, indexed dataset every engine reads.
#[derive(Debug, Clone)]
pub struct Dataset {
    countries: CountryRegistry,
    sources: SourceRegistry,
    definitions: Vec<Definition>,
    notes: Vec<Note>,
    commitments: Commitments,
    events: Vec<Event>,
    strings: Vec<String>,
    rows: Vec<Row>,
    /// Per country index: the half-open range of its rows.
    ranges: Vec<(u32, u32)>,
    /// Source id -> rank, by interned string index.
    source_rank: HashMap<u16, u32>,
}

/// A read-only view of one observation.
#[derive(Debug, Clone, Copy)]
pub struct Obs<'a> {
    ds: &'a Dataset,
    row: &'a Row,
}

impl<'a> Obs<'a> {
    pub fn country(&self) -> &'a Country {
        self.ds.countries.at(self.row.country as usize)
    }
    pub fn country_code(&self) -> &'a str {
        &self.country().code
    }
    pub fn measure(&self) -> Measure {
        self.row.measure
    }
    pub fn year(&self) -> i32 {
        self.row.year as i32
    }
    pub fn year_basis(&self) -> YearBasis {
        self.row.basis
    }
    pub fn value(&self) -> Option<f64> {
        self.row.value
    }
    pub fn unit(&self) -> Unit {
        self.row.unit
    }
    pub fn definition(&self) -> &'a str {
        &self.ds.strings[self.row.definition as usize]
    }
    pub fn source_id(&self) -> &'a str {
        &self.ds.strings[self.row.source as usize]
    }
    pub fn source(&self) -> Option<&'a Source> {
        self.ds.sources.get(self.source_id())
    }
    pub fn vintage(&self) -> &'a str {
        &self.ds.strings[self.row.vintage as usize]
    }
    pub fn flags(&self) -> Flags {
        self.row.flags
    }
    /// The note keys, as stored (`§;4`).
    pub fn note_keys(&self) -> impl Iterator<Item = &'a str> {
        self.ds.strings[self.row.notes as usize]
            .split(';')
            .filter(|k| !k.is_empty())
    }
    /// The publisher's notes for this observation, resolved to their text.
    pub fn notes(&self) -> Vec<&'a Note> {
        let source = self.source_id();
        self.note_keys()
            .filter_map(|k| {
                self.ds
                    .notes
                    .iter()
                    .find(|n| n.source == source && n.key == k)
            })
            .collect()
    }
    /// Owned copy, for engines that build new observations from old ones.
    pub fn to_observation(&self) -> Observation {
        Observation {
            country: self.country_code().to_string(),
            year: self.year(),
            year_basis: self.year_basis(),
            measure: self.measure(),
            definition: self.definition().to_string(),
            value: self.value(),
            unit: self.unit(),
            source: self.source_id().to_string(),
            vintage: self.vintage().to_string(),
            flags: self.flags(),
            notes: self.note_keys().collect::<Vec<_>>().join(";"),
        }
    }
    fn rank(&self) -> u32 {
        self.ds
            .source_rank
            .get(&self.row.source)
            .copied()
            .unwrap_or(u32::MAX)
    }
}

/// Everything published for one cell: see [`Dataset::explain`].
#[derive(Debug, Clone)]
pub struct Explanation<'a> {
    /// Grouped by definition and year basis; the source `show` prefers comes first.
    pub observations: Vec<Obs<'a>>,
    /// Groups where several sources publish one definition's value for the cell.
    pub same_series: Vec<SameSeries>,
}

/// Several sources publishing the same definition's value for one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct SameSeries {
    pub definition: String,
    pub year_basis: YearBasis,
    /// Source ids, preferred first.
    pub sources: Vec<String>,
    /// Largest difference between their values (None if one of them has no value).
    pub max_abs_difference: Option<f64>,
}

/// Which observations a query wants. Empty lists mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub countries: Vec<String>,
    pub measures: Vec<Measure>,
    pub definitions: Vec<String>,
    pub sources: Vec<String>,
    pub year_bases: Vec<YearBasis>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl Dataset {
    /// Validate and index a raw dataset. Refuses what would make answers wrong:
    /// unknown country codes, sources missing from the registry, duplicate keys,
    /// a unit that does not belong to its measure.
    pub fn from_raw(raw: RawDataset) -> Result<Dataset, DatasetError> {
        let mut strings: Vec<String> = vec![String::new()];
        let mut interned: HashMap<String, u32> = HashMap::from([(String::new(), 0)]);
        let mut intern = |s: &str| -> u32 {
            if let Some(&i) = interned.get(s) {
                return i;
            }
            let i = strings.len() as u32;
            strings.push(s.to_string());
            interned.insert(s.to_string(), i);
            i
        };
        let mut rows = Vec::with_capacity(raw.observations.len());
        for (i, o) in raw.observations.iter().enumerate() {
            let at = || raw.origin_of(i);
            let country = raw.countries.index_of(&o.country).ok_or_else(|| {
                DatasetError::invalid(at(), format!("unknown country code '{}'", o.country))
            })?;
            if raw.sources.get(&o.source).is_none() {
                return Err(DatasetError::invalid(
                    at(),
                    format!("source '{}' is not in sources.csv", o.source),
                ));
            }
            if !o.measure.allowed_units().contains(&o.unit) {
                return Err(DatasetError::invalid(
                    at(),
                    format!("unit {} does not belong to measure {}", o.unit, o.measure),
                ));
            }
            let year = i16::try_from(o.year).map_err(|_| {
                DatasetError::invalid(at(), format!("year {} out of range", o.year))
            })?;
            let small = |s: &str, what: &str, intern: &mut dyn FnMut(&str) -> u32| {
                u16::try_from(intern(s)).map_err(|_| {
                    DatasetError::invalid(at(), format!("too many distinct {what} values"))
                })
            };
            rows.push(Row {
                country: country as u16,
                measure: o.measure,
                basis: o.year_basis,
                unit: o.unit,
                flags: o.flags,
                year,
                definition: small(&o.definition, "definition", &mut intern)?,
                source: small(&o.source, "source", &mut intern)?,
                vintage: small(&o.vintage, "vintage", &mut intern)?,
                notes: intern(&o.notes),
                value: o.value,
            });
        }
        raw.commitments
            .validate(&raw.countries, &raw.sources, &raw.definitions)?;
        let mut commitments = raw.commitments;
        commitments.sort();
        events::validate(&raw.events, &raw.countries)?;
        let mut events = raw.events;
        events::sort(&mut events);
        let mut ds = Dataset {
            countries: raw.countries,
            sources: raw.sources,
            definitions: raw.definitions,
            notes: raw.notes,
            commitments,
            events,
            strings,
            rows,
            ranges: Vec::new(),
            source_rank: HashMap::new(),
        };
        ds.sort_and_index()?;
        Ok(ds)
    }

    /// Read and validate a dataset directory.
    pub fn load_dir(dir: &Path) -> Result<Dataset, DatasetError> {
        Dataset::from_raw(RawDataset::read_dir(dir)?)
    }

    fn sort_and_index(&mut self) -> Result<(), DatasetError> {
        let strings = &self.strings;
        let key = |r: &Row| {
            (
                r.country,
                r.measure,
                strings[r.definition as usize].as_str(),
                strings[r.source as usize].as_str(),
                r.basis,
                r.year,
            )
        };
        self.rows.sort_by(|a, b| key(a).cmp(&key(b)));
        for pair in self.rows.windows(2) {
            if key(&pair[0]) == key(&pair[1]) {
                let o = Obs {
                    ds: self,
                    row: &pair[0],
                };
                return Err(DatasetError::invalid(
                    files::OBSERVATIONS_DIR,
                    format!("duplicate observation {}", o.to_observation().key()),
                ));
            }
        }
        let mut ranges = vec![(0u32, 0u32); self.countries.len()];
        let mut start = 0usize;
        while start < self.rows.len() {
            let c = self.rows[start].country;
            let mut end = start;
            while end < self.rows.len() && self.rows[end].country == c {
                end += 1;
            }
            ranges[c as usize] = (start as u32, end as u32);
            start = end;
        }
        self.ranges = ranges;
        self.source_rank = self
            .sources
            .all()
            .iter()
            .filter_map(|s| {
                let i = self.strings.iter().position(|x| x == &s.id)?;
                Some((i as u16, s.rank))
            })
            .collect();
        Ok(())
    }

    /// The compact binary form (registries + 32-byte rows), for embedding.
    pub fn encode(&self) -> Vec<u8> {
        let header = Header {
            format: FORMAT,
            countries: self.countries.clone(),
            sources: self.sources.clone(),
            definitions: self.definitions.clone(),
            notes: self.notes.clone(),
            commitments: self.commitments.clone(),
            events: self.events.clone(),
            strings: self.strings.clone(),
            rows: self.rows.len() as u32,
        };
        let head = postcard::to_allocvec(&header).expect("in-memory serialization cannot fail");
        let mut out = Vec::with_capacity(16 + head.len() + self.rows.len() * ROW_BYTES);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(head.len() as u64).to_le_bytes());
        out.extend_from_slice(&head);
        for r in &self.rows {
            r.encode(&mut out);
        }
        out
    }

    /// Read the compact form back. Any corruption is an error, never a wrong answer.
    pub fn decode(bytes: &[u8]) -> Result<Dataset, DatasetError> {
        let bad = |m: &str| DatasetError::invalid("embedded dataset", m.to_string());
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return Err(bad("not a fairshare dataset (bad magic)"));
        }
        let head_len = u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes")) as usize;
        let head_end = 16usize
            .checked_add(head_len)
            .filter(|&e| e <= bytes.len())
            .ok_or_else(|| bad("truncated header"))?;
        let header: Header =
            postcard::from_bytes(&bytes[16..head_end]).map_err(|e| bad(&format!("header: {e}")))?;
        if header.format != FORMAT {
            return Err(bad("unsupported format version"));
        }
        let body = &bytes[head_end..];
        if body.len() != header.rows as usize * ROW_BYTES {
            return Err(bad("row block has the wrong length (truncated?)"));
        }
        let mut rows = Vec::with_capacity(header.rows as usize);
        for chunk in body.chunks_exact(ROW_BYTES) {
            let row = Row::decode(chunk).ok_or_else(|| bad("corrupt row"))?;
            let in_range = (row.country as usize) < header.countries.len()
                && (row.definition as usize) < header.strings.len()
                && (row.source as usize) < header.strings.len()
                && (row.vintage as usize) < header.strings.len()
                && (row.notes as usize) < header.strings.len();
            if !in_range {
                return Err(bad("row refers past the string table"));
            }
            rows.push(row);
        }
        let mut countries = header.countries;
        countries.reindex();
        let mut ds = Dataset {
            countries,
            sources: header.sources,
            definitions: header.definitions,
            notes: header.notes,
            commitments: header.commitments,
            events: header.events,
            strings: header.strings,
            rows,
            ranges: Vec::new(),
            source_rank: HashMap::new(),
        };
        ds.sort_and_index()?;
        Ok(ds)
    }

    pub fn countries(&self) -> &CountryRegistry {
        &self.countries
    }

    pub fn sources(&self) -> &SourceRegistry {
        &self.sources
    }

    pub fn definitions(&self) -> &[Definition] {
        &self.definitions
    }

    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Alliances, memberships, targets and plans.
    pub fn commitments(&self) -> &Commitments {
        &self.commitments
    }

    /// Dated events, by date (see [`crate::events`]).
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// National head-to-head polls of the 2024 US election, by end date (see
    /// [`crate::polls`]).
    pub fn polls(&self) -> &[crate::polls::Poll] {
        &self.commitments.polls
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every observation, sorted by country, measure, definition, source, basis, year.
    pub fn iter(&self) -> impl Iterator<Item = Obs<'_>> {
        self.rows.iter().map(move |row| Obs { ds: self, row })
    }

    /// All observations of one country (by code).
    pub fn of_country(&self, code: &str) -> impl Iterator<Item = Obs<'_>> {
        let (start, end) = self
            .countries
            .index_of(code)
            .and_then(|i| self.ranges.get(i).copied())
            .unwrap_or((0, 0));
        self.rows[start as usize..end as usize]
            .iter()
            .map(move |row| Obs { ds: self, row })
    }

    /// Check a definition id a user typed; unknown ones list the valid ids.
    pub fn resolve_definition(&self, input: &str) -> Result<&Definition, DatasetError> {
        let wanted = input.trim().to_ascii_lowercase();
        self.definitions
            .iter()
            .find(|d| d.id.eq_ignore_ascii_case(&wanted))
            .ok_or_else(|| DatasetError::UnknownDefinition {
                given: input.to_string(),
                valid: self
                    .definitions
                    .iter()
                    .map(|d| d.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Every observation matching the filter (all sources), in index order.
    pub fn select(&self, f: &Filter) -> Vec<Obs<'_>> {
        let keep = |o: &Obs| {
            (f.measures.is_empty() || f.measures.contains(&o.measure()))
                && (f.definitions.is_empty()
                    || f.definitions
                        .iter()
                        .any(|d| d.eq_ignore_ascii_case(o.definition())))
                && (f.sources.is_empty() || f.sources.iter().any(|s| s == o.source_id()))
                && (f.year_bases.is_empty() || f.year_bases.contains(&o.year_basis()))
                && f.from.is_none_or(|y| o.year() >= y)
                && f.to.is_none_or(|y| o.year() <= y)
        };
        if f.countries.is_empty() {
            self.iter().filter(keep).collect()
        } else {
            f.countries
                .iter()
                .flat_map(|c| self.of_country(c))
                .filter(keep)
                .collect()
        }
    }

    /// Like [`Dataset::select`], but where several sources publish the same cell
    /// (country, measure, definition, basis, year), keep only the best-ranked one:
    /// SIPRI's own workbook before the World Bank's republication of SIPRI's series.
    pub fn select_preferred(&self, f: &Filter) -> Vec<Obs<'_>> {
        let all = self.select(f);
        fn cell<'a>(o: &Obs<'a>) -> (&'a str, Measure, &'a str, YearBasis, i32) {
            (
                o.country_code(),
                o.measure(),
                o.definition(),
                o.year_basis(),
                o.year(),
            )
        }
        let mut best: HashMap<_, Obs> = HashMap::new();
        for o in &all {
            best.entry(cell(o))
                .and_modify(|b| {
                    if (o.rank(), o.source_id()) < (b.rank(), b.source_id()) {
                        *b = *o;
                    }
                })
                .or_insert(*o);
        }
        let mut out: Vec<Obs> = all
            .into_iter()
            .filter(|o| std::ptr::eq(best[&cell(o)].row, o.row))
            .collect();
        out.sort_by(|a, b| {
            (
                a.country_code(),
                a.measure(),
                a.definition(),
                a.year_basis(),
                a.year(),
            )
                .cmp(&(
                    b.country_code(),
                    b.measure(),
                    b.definition(),
                    b.year_basis(),
                    b.year(),
                ))
        });
        out
    }

    /// The preferred value of one cell, if any source has it.
    pub fn get(
        &self,
        country: &str,
        measure: Measure,
        definition: &str,
        basis: YearBasis,
        year: i32,
    ) -> Option<Obs<'_>> {
        self.of_country(country)
            .filter(|o| {
                o.measure() == measure
                    && o.definition() == definition
                    && o.year_basis() == basis
                    && o.year() == year
            })
            .min_by(|a, b| (a.rank(), a.source_id()).cmp(&(b.rank(), b.source_id())))
    }

    /// Every observation of one cell across definitions and sources, the preferred
    /// source first within each definition, plus which of them are one series
    /// published twice (same definition and year basis, different sources).
    pub fn explain(&self, country: &str, measure: Measure, year: i32) -> Explanation<'_> {
        let mut observations: Vec<Obs> = self
            .of_country(country)
            .filter(|o| o.measure() == measure && o.year() == year)
            .collect();
        observations.sort_by(|a, b| {
            (a.definition(), a.year_basis(), a.rank(), a.source_id()).cmp(&(
                b.definition(),
                b.year_basis(),
                b.rank(),
                b.source_id(),
            ))
        });
        let mut same_series = Vec::new();
        let mut i = 0;
        while i < observations.len() {
            let mut j = i + 1;
            while j < observations.len()
                && observations[j].definition() == observations[i].definition()
                && observations[j].year_basis() == observations[i].year_basis()
            {
                j += 1;
            }
            if j - i > 1 {
                let group = &observations[i..j];
                let values: Vec<f64> = group.iter().filter_map(|o| o.value()).collect();
                let max_abs_difference = if values.len() == group.len() {
                    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    Some(hi - lo)
                } else {
                    None
                };
                same_series.push(SameSeries {
                    definition: group[0].definition().to_string(),
                    year_basis: group[0].year_basis(),
                    sources: group.iter().map(|o| o.source_id().to_string()).collect(),
                    max_abs_difference,
                });
            }
            i = j;
        }
        Explanation {
            observations,
            same_series,
        }
    }

    /// The first and last year any observation covers.
    pub fn year_span(&self) -> Option<(i32, i32)> {
        let min = self.rows.iter().map(|r| r.year as i32).min()?;
        let max = self.rows.iter().map(|r| r.year as i32).max()?;
        Some((min, max))
    }

    /// Back to the owned, file-shaped form (for export and rewriting).
    pub fn to_raw(&self) -> RawDataset {
        let observations: Vec<Observation> = self.iter().map(|o| o.to_observation()).collect();
        RawDataset {
            countries: self.countries.clone(),
            sources: self.sources.clone(),
            definitions: self.definitions.clone(),
            notes: self.notes.clone(),
            commitments: self.commitments.clone(),
            events: self.events.clone(),
            origin: Vec::new(),
            observations,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Flag;
    use crate::registry::builtin_countries;

    pub(crate) fn source(id: &str, rank: u32) -> Source {
        Source {
            id: id.to_string(),
            publisher: "Test publisher".into(),
            title: "Test title".into(),
            file: "test.xlsx".into(),
            vintage: "Test 2025".into(),
            released: "2025-04-28".into(),
            url: "https://example.org".into(),
            licence: "CC BY 4.0".into(),
            citation: "Test citation".into(),
            rank,
            note: String::new(),
        }
    }

    pub(crate) fn obs(
        country: &str,
        measure: Measure,
        year: i32,
        value: Option<f64>,
        src: &str,
    ) -> Observation {
        Observation {
            country: country.into(),
            year,
            year_basis: YearBasis::Calendar,
            measure,
            definition: "sipri".into(),
            value,
            unit: measure.allowed_units()[0],
            source: src.into(),
            vintage: "Test 2025".into(),
            flags: Flags::EMPTY,
            notes: String::new(),
        }
    }

    pub(crate) fn small() -> RawDataset {
        let mut o1 = obs("JPN", Measure::MilexGdp, 2022, Some(1.01), "a");
        o1.flags = Flags::EMPTY.with(Flag::Estimate);
        o1.notes = "§;56".into();
        RawDataset {
            countries: builtin_countries(),
            sources: SourceRegistry::new(vec![source("a", 1), source("b", 2)]).unwrap(),
            definitions: vec![
                Definition {
                    id: "sipri".into(),
                    name: "SIPRI".into(),
                    description: "SIPRI's definition".into(),
                },
                Definition {
                    id: "nato".into(),
                    name: "NATO".into(),
                    description: "NATO's definition".into(),
                },
                Definition {
                    id: "national:jp-security".into(),
                    name: "Japan security-related".into(),
                    description: "Japan's security-related expenditures".into(),
                },
            ],
            notes: vec![
                Note {
                    source: "a".into(),
                    key: "56".into(),
                    text: "Japan: a note".into(),
                },
                Note {
                    source: "a".into(),
                    key: "§".into(),
                    text: "adopted budget".into(),
                },
            ],
            commitments: small_commitments(),
            events: crate::events::builtin_events(),
            observations: vec![
                o1,
                obs("JPN", Measure::MilexGdp, 2022, Some(1.0100001), "b"),
                obs("JPN", Measure::MilexGdp, 2023, Some(1.14), "b"),
                obs("USA", Measure::MilexGdp, 2022, Some(3.31), "a"),
                {
                    let mut o = obs("SUN", Measure::MilexGdp, 2022, None, "a");
                    o.flags = Flags::EMPTY.with(Flag::NotIndependent);
                    o
                },
            ],
            origin: Vec::new(),
        }
    }

    pub(crate) fn small_commitments() -> Commitments {
        use crate::alliances::{Alliance, Membership};
        let member = |country: &str, from: i32, suspended: Option<i32>| Membership {
            alliance: "NATO".into(),
            country: country.into(),
            from_year: from,
            to_year: None,
            suspended_from: suspended,
            basis: "accession".into(),
            note: String::new(),
            source: "a".into(),
            source_url: "https://example.org/members".into(),
        };
        Commitments {
            alliances: vec![Alliance {
                id: "NATO".into(),
                name: "North Atlantic Treaty Organization".into(),
                partner: String::new(),
                description: "The North Atlantic alliance".into(),
                source: "a".into(),
                source_url: "https://example.org/members".into(),
            }],
            memberships: vec![member("USA", 1949, None), member("SWE", 2024, None)],
            targets: vec![
                crate::targets::tests::nato_2pct(),
                crate::targets::tests::japan_2pct(),
            ],
            plans: vec![crate::targets::Plan {
                id: "jp-dbp-fy2023-27".into(),
                country: "JPN".into(),
                name: "Defense Buildup Program FY2023-27".into(),
                from_year: 2023,
                to_year: 2027,
                year_basis: YearBasis::FY_APR,
                measure: Measure::MilexLcu,
                definition: "national:jp-security".into(),
                amount: 43e12,
                unit: Unit::Lcu,
                flags: Flags::EMPTY.with(Flag::Plan),
                note: String::new(),
                source: "a".into(),
                source_url: "https://example.org/plan".into(),
            }],
            earlier_figures: Vec::new(),
            polls: Vec::new(),
        }
    }

    #[test]
    fn encode_decode_round_trips() {
        let ds = Dataset::from_raw(small()).unwrap();
        let back = Dataset::decode(&ds.encode()).unwrap();
        let a: Vec<Observation> = ds.iter().map(|o| o.to_observation()).collect();
        let b: Vec<Observation> = back.iter().map(|o| o.to_observation()).collect();
        assert_eq!(a, b);
        assert_eq!(back.of_country("JPN").count(), 3);
        assert_eq!(back.commitments(), ds.commitments());
        assert_eq!(back.commitments().targets.len(), 2);
        assert_eq!(
            back.commitments().target("WALES_2PCT").unwrap().id,
            "nato-2pct"
        );
        assert_eq!(back.events(), ds.events());
        assert!(!back.events().is_empty());
    }

    #[test]
    fn invalid_events_are_refused() {
        let mut raw = small();
        raw.events[0].countries = vec!["XYZ".into()];
        let err = Dataset::from_raw(raw).unwrap_err().to_string();
        assert!(err.contains("country code 'XYZ'"), "{err}");
    }

    #[test]
    fn decode_refuses_truncated_or_corrupt_bytes() {
        let bytes = Dataset::from_raw(small()).unwrap().encode();
        assert!(Dataset::decode(&bytes[..bytes.len() - 3]).is_err());
        assert!(Dataset::decode(&bytes[..10]).is_err());
        let mut bad = bytes.clone();
        bad[0] = b'X';
        assert!(Dataset::decode(&bad).is_err());
        let mut bad = bytes.clone();
        let n = bad.len();
        bad[n - 32 + 2] = 250; // measure code out of range
        assert!(Dataset::decode(&bad).is_err());
    }

    #[test]
    fn preferred_source_wins_and_notes_resolve() {
        let ds = Dataset::from_raw(small()).unwrap();
        let f = Filter {
            countries: vec!["JPN".into()],
            ..Filter::default()
        };
        let all = ds.select(&f);
        assert_eq!(all.len(), 3);
        let pref = ds.select_preferred(&f);
        assert_eq!(pref.len(), 2);
        assert_eq!(pref[0].source_id(), "a");
        assert_eq!(pref[0].value(), Some(1.01));
        assert!(pref[0].flags().contains(Flag::Estimate));
        assert_eq!(pref[0].notes().len(), 2);
        assert_eq!(pref[0].notes()[1].text, "Japan: a note");
        let got = ds
            .get("JPN", Measure::MilexGdp, "sipri", YearBasis::Calendar, 2022)
            .unwrap();
        assert_eq!(got.source_id(), "a");
    }

    #[test]
    fn refuses_duplicates_unknown_codes_and_wrong_units() {
        let mut raw = small();
        raw.observations.push(raw.observations[0].clone());
        let err = Dataset::from_raw(raw).unwrap_err().to_string();
        assert!(
            err.contains("duplicate observation JPN milex_gdp 2022"),
            "{err}"
        );

        let mut raw = small();
        raw.observations[0].country = "XXX".into();
        let err = Dataset::from_raw(raw).unwrap_err().to_string();
        assert!(err.contains("unknown country code 'XXX'"), "{err}");

        let mut raw = small();
        raw.observations[0].unit = Unit::UsdCurrent;
        let err = Dataset::from_raw(raw).unwrap_err().to_string();
        assert!(
            err.contains("does not belong to measure milex_gdp"),
            "{err}"
        );

        let mut raw = small();
        raw.observations[0].source = "nowhere".into();
        assert!(Dataset::from_raw(raw).is_err());
    }

    #[test]
    fn directory_round_trip_is_byte_identical_and_atomic() {
        let tmp = std::env::temp_dir().join(format!("fairshare-ds-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let dir = tmp.join("data");
        let raw = small();
        raw.write_dir(&dir).unwrap();
        let back = RawDataset::read_dir(&dir).unwrap();
        assert_eq!(back.render().unwrap(), raw.render().unwrap());
        assert_eq!(back.observations.len(), 5);
        assert_eq!(back.events, raw.events);
        assert!(
            fs::read_to_string(dir.join(files::EVENTS))
                .unwrap()
                .contains("nato-hague-5pct-2025,2025-06-25,day,")
        );
        // A second write replaces the directory; no temporary folders remain beside it.
        raw.write_dir(&dir).unwrap();
        let leftovers: Vec<_> = fs::read_dir(&tmp)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name() != "data")
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        fs::remove_dir_all(&tmp).unwrap();
    }
}
