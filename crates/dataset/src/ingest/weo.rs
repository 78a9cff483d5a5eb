//! IMF World Economic Outlook database, "by countries" file (`imf_weo/WEO<Mon><YYYY>all.xls`
//! or `.xlsx`). Layout, provenance and spot checks: `imf_weo/SOURCE.md`.
//!
//! Two layouts of the same table are read, told apart by content, not by name:
//! - the IMF's own download `WEOApr2025all.xls`, which is not a workbook but tab-separated
//!   text, usually UTF-16LE with a byte-order mark (older releases: Windows-1252 or
//!   UTF-8), numbers written with thousands separators (`"29,184.890"`);
//! - an xlsx conversion of it (zip magic `PK`), one sheet, numbers as numbers.
//!
//! Columns (found by name): `WEO Country Code, ISO, WEO Subject Code, Country, Subject
//! Descriptor, Subject Notes, Units, Scale, Country/Series-specific Notes, 1980 ... 2030,
//! Estimates Start After`; the last row is the IMF's source line ("International Monetary
//! Fund, World Economic Outlook Database, April 2025"), checked against the file name.
//!
//! Subjects read (definition `imf_weo`): NGDP -> `gdp_lcu`, NGDPD -> `gdp_usd`, NGDP_R ->
//! `gdp_lcu_constant`, NGDP_RPCH -> `gdp_real_growth`, PCPIPCH -> `inflation`, NGDP_D ->
//! `gdp_deflator`, LP -> `population`, GGX -> `gov_expenditure_lcu`, GGX_NGDP ->
//! `gov_expenditure_gdp`. The `Units` column is checked against what each subject must be.
//!
//! Quirks handled:
//! - `Scale` (Billions x 1e9, Millions x 1e6, Units or blank x 1) is applied, so money and
//!   population are in full units; any other scale is an error rather than a guess.
//! - `n/a`, `--` (the IMF's "negligible") and empty cells give no observation.
//! - Years after a row's `Estimates Start After` year are IMF projections (flag
//!   `projection`); a row with values but no such year is an error.
//! - The IMF's ISO codes UVK (Kosovo) and WBG (West Bank and Gaza) are XKX and PSE here.
//! - The `Country/Series-specific Notes` become notes keyed `<subject>:<country>`
//!   (`NGDP:JPN`). Derived series whose note only says "See notes for: Gross domestic
//!   product, current prices (National currency)." refer to the note of the series named.
//! - Year basis from those notes: "Reporting in calendar year: Yes" (JPN, KOR, USA GDP and
//!   most others) is `calendar`. Where a note says "Reporting in calendar year: No", gives
//!   the start month ("Start/end months of reporting year: July/June") and one mapping
//!   (`FY(t-1/t) = CY(t)`), the series is `fy_<month>`, relabelled by the year the fiscal
//!   year starts in as fairshare names fiscal years: Bangladesh's FY2023/24, which the IMF
//!   shows as 2024, becomes fy_jul 2023; India's FY2024/25 (`FY(t/t+1) = CY(t)`) stays 2024.
//!   Where the note describes a changed fiscal year, partly converted history or no clear
//!   mapping, or otherwise says the data are fiscal-year data (CPI aggregated to fiscal
//!   years), the basis is `irregular` and the year is kept as the IMF shows it; the note
//!   says what the year means.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use super::wdi::LineIndex;
use super::{IngestError, ReaderOutput, find_file, read_bytes, xlsx};
use crate::model::{Flag, Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{CountryRegistry, Definition, Note, Source};

/// One WEO subject (series) and what its values become.
#[derive(Debug, Clone, Copy)]
struct Subject {
    code: &'static str,
    measure: Measure,
    unit: Unit,
    /// The `Units` column the IMF gives this subject.
    units: &'static str,
}

const SUBJECTS: &[Subject] = &[
    Subject {
        code: "NGDP",
        measure: Measure::GdpLcu,
        unit: Unit::Lcu,
        units: "National currency",
    },
    Subject {
        code: "NGDPD",
        measure: Measure::GdpUsd,
        unit: Unit::UsdCurrent,
        units: "U.S. dollars",
    },
    Subject {
        code: "NGDP_R",
        measure: Measure::GdpLcuConstant,
        unit: Unit::LcuConstant,
        units: "National currency",
    },
    Subject {
        code: "NGDP_RPCH",
        measure: Measure::GdpRealGrowth,
        unit: Unit::PctChange,
        units: "Percent change",
    },
    Subject {
        code: "PCPIPCH",
        measure: Measure::Inflation,
        unit: Unit::PctChange,
        units: "Percent change",
    },
    Subject {
        code: "NGDP_D",
        measure: Measure::GdpDeflator,
        unit: Unit::Index,
        units: "Index",
    },
    Subject {
        code: "LP",
        measure: Measure::Population,
        unit: Unit::Persons,
        units: "Persons",
    },
    Subject {
        code: "GGX",
        measure: Measure::GovExpenditureLcu,
        unit: Unit::Lcu,
        units: "National currency",
    },
    Subject {
        code: "GGX_NGDP",
        measure: Measure::GovExpenditureGdp,
        unit: Unit::PctGdp,
        units: "Percent of GDP",
    },
];

/// The IMF's ISO codes that differ from the registry's.
const IMF_CODES: &[(&str, &str)] = &[("UVK", "XKX"), ("WBG", "PSE")];

/// The `imf_weo` definition.
pub fn imf_weo_definition() -> Definition {
    Definition {
        id: "imf_weo".to_string(),
        name: "IMF World Economic Outlook".to_string(),
        description: "Macroeconomic series and projections from the IMF's World Economic \
            Outlook database, compiled by IMF country desks from national statistical offices, \
            central banks and finance ministries, completed by IMF staff estimates: GDP at \
            current and constant prices in national currency and in current US$, real GDP \
            growth, the GDP deflator, average consumer-price inflation, population and general \
            government total expenditure (in national currency and as a share of GDP). Years \
            after each series' last actual data ('Estimates Start After') are staff projections, \
            usually five years ahead. Each country-series has the IMF's note on sources, base \
            year and reporting year; a few countries report on fiscal years."
            .to_string(),
    }
}

/// Read the WEO file under `raw_root/imf_weo`: `WEO<Mon><YYYY>all.xls` (the IMF's
/// download) or `WEO<Mon><YYYY>all.xlsx` (a conversion). Both present is an error: they
/// may be different releases, and silently preferring one would hide that.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join("imf_weo");
    let workbook = find_file(&dir, "WEO", "all.xlsx");
    let text = find_file(&dir, "WEO", "all.xls");
    let missing = |r: &Result<PathBuf, IngestError>| matches!(r, Err(IngestError::Missing { .. }));
    let path = match (workbook, text) {
        (Ok(a), Ok(b)) => {
            return Err(IngestError::format(
                &dir,
                format!(
                    "both {} and {} are present; keep only the one to ingest",
                    file_name(&a),
                    file_name(&b)
                ),
            ));
        }
        (Ok(path), other) | (other, Ok(path)) if missing(&other) => path,
        (a, b) if missing(&a) && missing(&b) => {
            return Err(IngestError::Missing {
                path: dir.join("WEO<Mon><YYYY>all.xls"),
                hint: "the IMF's WEO 'by countries' download (WEOApr2025all.xls) or an xlsx \
                       conversion of it"
                    .to_string(),
            });
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let mut out = read_file(&path, countries)?;
    out.definitions.push(imf_weo_definition());
    Ok(out)
}

/// Read one WEO "by countries" file, in either layout: its source, notes and observations.
pub fn read_file(path: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let release = Release::of_file(path)?;
    let bytes = read_bytes(path)?;
    let (table, layout) = if bytes.starts_with(b"PK") {
        drop(bytes);
        load_workbook(path)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(IngestError::format(
            path,
            "an Excel 97-2003 binary workbook; use the IMF's download as published (tab-separated \
             text) or save it as .xlsx",
        ));
    } else {
        load_text(path, &bytes)?
    };
    parse(path, &table, &layout, &release, countries)
}

/// The release a file name states: `WEOApr2025all.xls` -> April 2025.
struct Release {
    year: i32,
    month: u8,
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Release {
    fn of_file(path: &Path) -> Result<Release, IngestError> {
        let name = file_name(path);
        let parsed = name.strip_prefix("WEO").and_then(|rest| {
            let month = rest.get(0..3)?;
            let year = rest.get(3..7)?;
            let month = MONTH_NAMES
                .iter()
                .position(|m| m[..3].eq_ignore_ascii_case(month))?;
            let year: i32 = year.parse().ok()?;
            Some(Release {
                year,
                month: month as u8 + 1,
            })
        });
        parsed.ok_or_else(|| {
            IngestError::format(
                path,
                "the file name does not state the WEO release (expected WEO<Mon><YYYY>all.xls or \
                 .xlsx, as the IMF names it, e.g. WEOApr2025all.xls)",
            )
        })
    }

    fn month_name(&self) -> &'static str {
        MONTH_NAMES[usize::from(self.month.clamp(1, 12)) - 1]
    }

    /// "April 2025", as the IMF's source line writes it.
    fn label(&self) -> String {
        format!("{} {}", self.month_name(), self.year)
    }
}

/// One cell of either layout.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// The rows of either layout, each with its 1-based row (xlsx) or line (text) number.
type Table = Vec<(u64, Vec<Cell>)>;

/// Which layout was read, for error messages and the source note.
enum Layout {
    Workbook { sheet: String },
    Text { encoding: &'static str },
}

impl Layout {
    fn error(&self, path: &Path, at: u64, message: impl std::fmt::Display) -> IngestError {
        match self {
            Layout::Workbook { sheet } => {
                IngestError::layout(path, sheet, format!("row {at}: {message}"))
            }
            Layout::Text { .. } => IngestError::format(path, format!("line {at}: {message}")),
        }
    }

    fn whole(&self, path: &Path, message: impl Into<String>) -> IngestError {
        match self {
            Layout::Workbook { sheet } => IngestError::layout(path, sheet, message),
            Layout::Text { .. } => IngestError::format(path, message),
        }
    }
}

fn load_workbook(path: &Path) -> Result<(Table, Layout), IngestError> {
    let mut wb = xlsx::open(path)?;
    let names = wb.sheet_names();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The conversion has one sheet named after the file; accept either clue.
    let sheet = match names.as_slice() {
        [only] => only.clone(),
        _ => names.iter().find(|n| **n == stem).cloned().ok_or_else(|| {
            IngestError::layout(
                path,
                &stem,
                format!(
                    "expected one sheet, or one named '{stem}'; the workbook has: {}",
                    names.join(", ")
                ),
            )
        })?,
    };
    let range = xlsx::sheet(&mut wb, path, &sheet)?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let table = range
        .rows()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![Cell::Empty; first_col as usize];
            cells.extend(row.iter().map(|d| match d {
                Data::Empty => Cell::Empty,
                Data::String(s) => Cell::Text(s.clone()),
                Data::Float(f) => Cell::Number(*f),
                Data::Int(i) => Cell::Number(*i as f64),
                other => Cell::Text(other.to_string()),
            }));
            (u64::from(first_row) + i as u64 + 1, cells)
        })
        .collect();
    Ok((table, Layout::Workbook { sheet }))
}

fn load_text(path: &Path, bytes: &[u8]) -> Result<(Table, Layout), IngestError> {
    let (text, encoding) = decode(bytes).map_err(|m| IngestError::format(path, m))?;
    if let Some(at) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        .map(|(i, _)| i)
    {
        return Err(IngestError::format(
            path,
            format!(
                "not a WEO table: neither an xlsx workbook nor tab-separated text (binary content \
                 in the {encoding}-decoded text at character offset {at})"
            ),
        ));
    }
    let lines = LineIndex::new(text.as_bytes());
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| IngestError::format(path, lines.csv_problem(&e)))?;
        let cells = rec
            .iter()
            .map(|f| {
                if f.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(f.to_string())
                }
            })
            .collect();
        table.push((lines.line_of(&rec), cells));
    }
    Ok((table, Layout::Text { encoding }))
}

/// Text by its byte-order mark, else by content: UTF-16 without a mark shows as every
/// second byte zero; then UTF-8 if valid; else Windows-1252, the IMF's older encoding.
fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes).map(|s| (s, "UTF-16LE"));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes).map(|s| (s, "UTF-16BE"));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8"))
            .map_err(|e| format!("starts with a UTF-8 byte-order mark but is not UTF-8 ({e})"));
    }
    if bytes.len() >= 2 && bytes[0] != 0 && bytes[1] == 0 {
        return utf16(bytes, u16::from_le_bytes).map(|s| (s, "UTF-16LE"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    Ok((
        bytes.iter().map(|&b| windows_1252(b)).collect(),
        "Windows-1252",
    ))
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("UTF-16 text with an odd number of bytes; is the file truncated?".to_string());
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| format!("not valid UTF-16 text ({e})"))
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The columns the reader needs, by index.
struct Columns {
    iso: usize,
    subject: usize,
    units: usize,
    scale: usize,
    notes: usize,
    estimates_after: usize,
    country: Option<usize>,
    descriptor: Option<usize>,
    years: Vec<(usize, i32)>,
}

impl Columns {
    fn find(
        header: &[Cell],
        at: u64,
        path: &Path,
        layout: &Layout,
    ) -> Result<Columns, IngestError> {
        let names: Vec<String> = header.iter().map(Cell::text).collect();
        let position = |name: &str| names.iter().position(|n| n.eq_ignore_ascii_case(name));
        let required = |name: &str| {
            position(name).ok_or_else(|| {
                let mut found = names
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                if found.chars().count() > 160 {
                    found = found.chars().take(160).collect::<String>() + "...";
                }
                layout.error(
                    path,
                    at,
                    format!(
                        "the header row has no '{name}' column (expected WEO Country Code, ISO, \
                         WEO Subject Code, Country, Subject Descriptor, Subject Notes, Units, \
                         Scale, Country/Series-specific Notes, 1980 ..., Estimates Start After); \
                         found: {found}"
                    ),
                )
            })
        };
        let subject = required("WEO Subject Code")?;
        let iso = required("ISO")?;
        let units = required("Units")?;
        let scale = required("Scale")?;
        let notes = required("Country/Series-specific Notes")?;
        let estimates_after = required("Estimates Start After")?;
        let years: Vec<(usize, i32)> = header
            .iter()
            .enumerate()
            .filter_map(|(i, c)| year_of(c).map(|y| (i, y)))
            .collect();
        if years.is_empty() {
            return Err(layout.error(
                path,
                at,
                "the header row has no year columns (1980, 1981, ...)",
            ));
        }
        Ok(Columns {
            iso,
            subject,
            units,
            scale,
            notes,
            estimates_after,
            country: position("Country"),
            descriptor: position("Subject Descriptor"),
            years,
        })
    }
}

/// A year in a header or `Estimates Start After` cell (`2024`, or 2024.0 in a workbook).
fn year_of(cell: &Cell) -> Option<i32> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && (1900.0..=2200.0).contains(n) => Some(*n as i32),
        Cell::Text(t) => super::wdi::year_label(t),
        _ => None,
    }
}

/// One series row of a subject the reader ingests, before notes are resolved.
struct Series<'t> {
    country: String,
    imf_iso: String,
    subject: &'static Subject,
    factor: f64,
    estimates_after: Option<i32>,
    /// (year as the IMF labels it, value in the file's scale)
    values: Vec<(i32, f64)>,
    notes: &'t str,
}

/// A row's note, findable by the "Subject Descriptor (Units)" that "See notes for:" quotes.
struct NoteRow<'t> {
    reference: String,
    subject: String,
    text: &'t str,
}

fn parse(
    path: &Path,
    table: &Table,
    layout: &Layout,
    release: &Release,
    countries: &CountryRegistry,
) -> Result<ReaderOutput, IngestError> {
    let header_index = table
        .iter()
        .position(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .ok_or_else(|| layout.whole(path, "no header row: the table is empty"))?;
    let (header_at, header) = &table[header_index];
    let cols = Columns::find(header, *header_at, path, layout)?;
    let get = |cells: &'_ [Cell], i: usize| -> String {
        cells.get(i).map(Cell::text).unwrap_or_default()
    };

    let mut series: Vec<Series> = Vec::new();
    let mut note_rows: HashMap<String, Vec<NoteRow>> = HashMap::new();
    let mut seen = BTreeSet::new();
    for (at, cells) in &table[header_index + 1..] {
        let at = *at;
        let imf_iso = get(cells, cols.iso);
        let code = get(cells, cols.subject);
        if imf_iso.is_empty() && code.is_empty() {
            check_source_line(cells, at, path, layout, release)?;
            continue;
        }
        let notes: &str = match cells.get(cols.notes) {
            Some(Cell::Text(t)) => t.trim(),
            _ => "",
        };
        if let Some(d) = cols.descriptor {
            note_rows.entry(imf_iso.clone()).or_default().push(NoteRow {
                reference: format!("{} ({})", get(cells, d), get(cells, cols.units)),
                subject: code.clone(),
                text: notes,
            });
        }
        let Some(subject) = SUBJECTS.iter().find(|s| s.code == code) else {
            continue;
        };
        let name = cols.country.map(|c| get(cells, c)).unwrap_or_default();
        let what = format!("{code} for {imf_iso} ({name})");
        if imf_iso.is_empty() {
            return Err(layout.error(path, at, format!("{what}: no ISO code")));
        }
        let registry_code = IMF_CODES
            .iter()
            .find(|(imf, _)| *imf == imf_iso)
            .map_or(imf_iso.as_str(), |(_, ours)| ours);
        let country = countries.get(registry_code).ok_or_else(|| {
            layout.error(
                path,
                at,
                format!(
                    "{what}: ISO code '{imf_iso}' is not in the country registry; add it to \
                     registry/countries.csv (or map the IMF's code to the registry's)"
                ),
            )
        })?;
        if !seen.insert((country.code.clone(), code.clone())) {
            return Err(layout.error(path, at, format!("{what}: a second row for this series")));
        }
        let units = get(cells, cols.units);
        if units != subject.units {
            return Err(layout.error(
                path,
                at,
                format!("{what}: Units is '{units}', expected '{}'", subject.units),
            ));
        }
        let scale = get(cells, cols.scale);
        let factor = match scale.as_str() {
            "Billions" => 1e9,
            "Millions" => 1e6,
            "Units" | "" => 1.0,
            other => {
                return Err(layout.error(
                    path,
                    at,
                    format!(
                        "{what}: unknown Scale '{other}' (expected Billions, Millions, Units or \
                         blank)"
                    ),
                ));
            }
        };
        let mut values = Vec::new();
        for &(col, year) in &cols.years {
            let value = match cells.get(col) {
                None | Some(Cell::Empty) => None,
                Some(Cell::Number(n)) => Some(*n),
                Some(Cell::Text(t)) => parse_number(t).map_err(|bad| {
                    layout.error(path, at, format!("{what}, {year}: '{bad}' is not a number"))
                })?,
            };
            if let Some(v) = value {
                values.push((year, v));
            }
        }
        let esa_cell = cells.get(cols.estimates_after).unwrap_or(&Cell::Empty);
        let estimates_after = year_of(esa_cell);
        if estimates_after.is_none() {
            let t = esa_cell.text();
            if !(t.is_empty() || t.eq_ignore_ascii_case("n/a")) {
                return Err(layout.error(
                    path,
                    at,
                    format!("{what}: Estimates Start After is '{t}', expected a year"),
                ));
            }
            if !values.is_empty() {
                return Err(layout.error(
                    path,
                    at,
                    format!(
                        "{what}: values but no Estimates Start After year, so projections \
                         cannot be told from outturns"
                    ),
                ));
            }
        }
        series.push(Series {
            country: country.code.clone(),
            imf_iso,
            subject,
            factor,
            estimates_after,
            values,
            notes,
        });
    }
    for subject in SUBJECTS {
        if !series.iter().any(|s| s.subject.code == subject.code) {
            return Err(layout.whole(
                path,
                format!(
                    "no rows for WEO subject {} ({}); has the IMF renamed it?",
                    subject.code,
                    subject.measure.description()
                ),
            ));
        }
    }

    let vintage = format!("IMF WEO {}", release.label());
    let source_id = format!("imf-weo-{}-{:02}", release.year, release.month);
    let mut notes: BTreeMap<String, String> = BTreeMap::new();
    let mut observations = Vec::new();
    for s in &series {
        let governing = governing_notes(s, note_rows.get(&s.imf_iso).map(Vec::as_slice));
        let (year_basis, shift) = combined_basis(&governing);
        let keys: Vec<&str> = governing.iter().map(|(k, _)| k.as_str()).collect();
        for (key, text) in &governing {
            notes
                .entry(key.clone())
                .or_insert_with(|| (*text).to_string());
        }
        let note_keys = keys.join(";");
        for &(label, value) in &s.values {
            let projection = s.estimates_after.is_some_and(|after| label > after);
            observations.push(Observation {
                country: s.country.clone(),
                year: label + shift,
                year_basis,
                measure: s.subject.measure,
                definition: "imf_weo".to_string(),
                value: Some(value * s.factor),
                unit: s.subject.unit,
                source: source_id.clone(),
                vintage: vintage.clone(),
                flags: if projection {
                    Flags::EMPTY.with(Flag::Projection)
                } else {
                    Flags::EMPTY
                },
                notes: note_keys.clone(),
            });
        }
    }

    let file = file_name(path);
    let layout_note = match layout {
        Layout::Workbook { .. } => format!(
            "Read from {file}, an xlsx conversion of the IMF's tab-separated download (not a \
             workbook the IMF produced); values as in the IMF's table."
        ),
        Layout::Text { encoding } => format!(
            "Read from {file}, the IMF's download as published ({encoding} tab-separated text \
             despite its name)."
        ),
    };
    let source = Source {
        id: source_id.clone(),
        publisher: "International Monetary Fund".to_string(),
        title: format!(
            "World Economic Outlook Database, {} (by countries)",
            release.label()
        ),
        file,
        vintage,
        released: release.label(),
        url: format!(
            "https://www.imf.org/en/Publications/WEO/weo-database/{}/{}",
            release.year,
            release.month_name().to_lowercase()
        ),
        licence: "IMF copyright; data may be used and redistributed with attribution (IMF terms \
                  of use)"
            .to_string(),
        citation: format!(
            "International Monetary Fund, World Economic Outlook Database, {}.",
            release.label()
        ),
        rank: 10,
        note: format!(
            "{layout_note} Scale applied (Billions x 1e9, Millions x 1e6). Years after each \
             series' 'Estimates Start After' year are flagged projection. Series whose IMF note \
             puts them on a fiscal year are fy_<month>, named by the year the fiscal year \
             starts in (relabelled where the IMF shows FY(t-1/t) as t); irregular where the \
             note describes a changed or partly converted basis. 'n/a' and '--' (negligible) \
             cells give no observation."
        ),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        definitions: Vec::new(),
        notes: notes
            .into_iter()
            .map(|(key, text)| Note {
                source: source_id.clone(),
                key,
                text,
            })
            .collect(),
        observations,
        ..ReaderOutput::default()
    })
}

/// A text cell's number: `1,234.5` -> 1234.5; `n/a`, `--` and empty -> None.
/// Err carries the text that is not a number.
fn parse_number(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() || t == "--" || t.eq_ignore_ascii_case("n/a") {
        return Ok(None);
    }
    t.replace(',', "")
        .parse::<f64>()
        .map(Some)
        .map_err(|_| t.to_string())
}

/// The IMF's source line under the table must name the release the file name states.
fn check_source_line(
    cells: &[Cell],
    at: u64,
    path: &Path,
    layout: &Layout,
    release: &Release,
) -> Result<(), IngestError> {
    const MARK: &str = "World Economic Outlook Database, ";
    for cell in cells {
        let text = cell.text();
        if let Some(i) = text.find(MARK) {
            let stated = text[i + MARK.len()..].trim().trim_end_matches('.');
            if !stated.eq_ignore_ascii_case(&release.label()) {
                return Err(layout.error(
                    path,
                    at,
                    format!(
                        "the IMF's source line says '{stated}' but the file name says {}; \
                         rename the file to the release it holds",
                        release.label()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// The notes that govern a series, as (key, text): its own, or, for a derived series
/// whose note is only "See notes for: <descriptor> (<units>) ...", the notes it names.
fn governing_notes<'t>(s: &Series<'t>, rows: Option<&[NoteRow<'t>]>) -> Vec<(String, &'t str)> {
    let own = s.notes;
    if own.is_empty() {
        return Vec::new();
    }
    if let (Some(pointer), Some(rows)) = (own.strip_prefix("See notes for:"), rows) {
        let mut named: Vec<(usize, String, &'t str)> = rows
            .iter()
            .filter(|r| r.subject != s.subject.code && !r.text.is_empty())
            .filter_map(|r| {
                pointer
                    .find(&r.reference)
                    .map(|at| (at, format!("{}:{}", r.subject, s.country), r.text))
            })
            .collect();
        named.sort();
        if !named.is_empty() {
            return named
                .into_iter()
                .map(|(_, key, text)| (key, text))
                .collect();
        }
    }
    vec![(format!("{}:{}", s.subject.code, s.country), own)]
}

/// The basis all governing notes agree on; irregular where they disagree.
fn combined_basis(notes: &[(String, &str)]) -> (YearBasis, i32) {
    let bases: BTreeSet<(YearBasis, i32)> = notes.iter().map(|(_, t)| basis_from_note(t)).collect();
    match bases.len() {
        0 => (YearBasis::Calendar, 0),
        1 => bases.into_iter().next().unwrap_or((YearBasis::Calendar, 0)),
        _ => (YearBasis::Irregular, 0),
    }
}

/// A note's year basis and the shift from the IMF's year label to fairshare's (named by
/// the year a fiscal year starts in). See the module doc for the rules.
fn basis_from_note(text: &str) -> (YearBasis, i32) {
    // Words saying the basis changed over time or history was converted.
    const MIXED: &[&str] = &[
        "calendar year basis",
        "converted to calendar year",
        "converted from CY",
        "averaging",
        "changed the fiscal year",
        "changed to",
        "CY(t) =",
    ];
    // Free-text signs of fiscal-year data where the structured statement is absent.
    const FISCAL: &[&str] = &[
        "Latest actual data: FY",
        "refer to fiscal year",
        "fiscal year periods",
        "FY(t",
    ];
    if text.contains("Reporting in calendar year: Yes") {
        return (YearBasis::Calendar, 0);
    }
    if text.contains("Reporting in calendar year: No") {
        let shifts = fiscal_year_shifts(text);
        let mixed = MIXED.iter().any(|w| text.contains(w));
        return match (start_month(text), shifts.len(), mixed) {
            (Some(month), 1, false) if month > 1 => {
                match (YearBasis::starting_in(month), shifts.first()) {
                    (Some(basis), Some(&shift)) => (basis, shift),
                    _ => (YearBasis::Irregular, 0),
                }
            }
            _ => (YearBasis::Irregular, 0),
        };
    }
    if FISCAL.iter().any(|w| text.contains(w)) {
        return (YearBasis::Irregular, 0);
    }
    (YearBasis::Calendar, 0)
}

/// "Start/end months of reporting year: July/June" -> 7.
fn start_month(text: &str) -> Option<u8> {
    const MARK: &str = "Start/end months of reporting year:";
    let rest = text[text.find(MARK)? + MARK.len()..].trim_start();
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    MONTH_NAMES
        .iter()
        .position(|m| m.eq_ignore_ascii_case(&word))
        .map(|i| i as u8 + 1)
}

/// Every "FY(a/b) = CY(c)" mapping in a note, as the shift from the IMF's label c to
/// the year the fiscal year starts in (a): FY(t/t+1) = CY(t) -> 0, FY(t-1/t) = CY(t)
/// and FY(t/t+1) = CY(t+1) -> -1.
fn fiscal_year_shifts(text: &str) -> BTreeSet<i32> {
    let offset = |term: &str| -> Option<i32> {
        match term.trim() {
            "t" => Some(0),
            "t-1" => Some(-1),
            "t+1" => Some(1),
            _ => None,
        }
    };
    let mut shifts = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find("FY(") {
        rest = &rest[i + 3..];
        let Some(close) = rest.find(')') else { break };
        let fiscal = &rest[..close];
        let after = rest[close + 1..].trim_start();
        let Some(after) = after.strip_prefix('=') else {
            continue;
        };
        let Some(after) = after.trim_start().strip_prefix("CY(") else {
            continue;
        };
        let Some(end) = after.find(')') else { continue };
        let start = fiscal.split('/').next().and_then(offset);
        if let (Some(start), Some(label)) = (start, offset(&after[..end])) {
            shifts.insert(start - label);
        }
    }
    shifts
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    /// A fixture cell: text, or a number the IMF writes with thousands separators in
    /// its text download and the xlsx conversion stores as a number.
    #[derive(Clone)]
    enum F {
        T(&'static str),
        N(f64),
    }
    use F::{N, T};

    const JPN_NOTE: &str = "Source: Cabinet Office of Japan via Haver Analytics Latest actual \
        data: 2024 National accounts manual used: System of National Accounts (SNA) 2008 \
        Reporting in calendar year: Yes Start/end months of reporting year: January/December \
        Base year: 2015 Chain-weighted: Yes, from 1980 Primary domestic currency: Japanese yen";
    const JPN_R_NOTE: &str = "Source: Cabinet Office of Japan. Reporting in calendar year: Yes \
        Base year: 2015";
    const JPN_PCPI_NOTE: &str = "Source: National Statistics Office Harmonized prices: No Base \
        year: 2020";
    const JPN_LP_NOTE: &str = "Source: Cabinet Office of Japan via Haver Analytics Latest actual \
        data: 2024";
    const JPN_GGX_NOTE: &str = "Source: Cabinet Office of Japan Reporting in calendar year: Yes \
        GFS Manual used: Government Finance Statistics Manual (GFSM) 2014";
    const BGD_NOTE: &str = "Source: National Statistics Office Latest actual data: FY2023/24 \
        Reporting in calendar year: No. Fiscal year data are mapped to calendar year as follows: \
        FY(t-1/t) = CY(t) Start/end months of reporting year: July/June Base year: FY2015/16";
    const IND_NOTE: &str = "Source: National Statistics Office. Reporting in calendar year: No. \
        Fiscal data are mapped to calendar year as follows: FY(t/t+1) = CY(t). Start/end months \
        of reporting year: April/March.";

    const GDP_CUR: &str = "Gross domestic product, current prices";
    const GDP_CON: &str = "Gross domestic product, constant prices";

    /// (WEO code, ISO, subject, country, descriptor, units, scale, notes, 2023, 2024, 2025, ESA)
    fn rows() -> Vec<Vec<F>> {
        let row = |weo: &'static str,
                   iso: &'static str,
                   subject: &'static str,
                   country: &'static str,
                   descriptor: &'static str,
                   units: &'static str,
                   scale: &'static str,
                   notes: &'static str,
                   values: [F; 3],
                   esa: F| {
            let mut r = vec![
                T(weo),
                T(iso),
                T(subject),
                T(country),
                T(descriptor),
                T("Subject notes, as the IMF writes them."),
                T(units),
                T(scale),
                T(notes),
            ];
            r.extend(values);
            r.push(esa);
            r
        };
        let see_cur = "See notes for:  Gross domestic product, current prices (National currency).";
        let see_con =
            "See notes for:  Gross domestic product, constant prices (National currency).";
        vec![
            row(
                "158",
                "JPN",
                "NGDP_R",
                "Japan",
                GDP_CON,
                "National currency",
                "Billions",
                JPN_R_NOTE,
                [N(557_000.125), N(558_000.25), T("--")],
                N(2024.0),
            ),
            row(
                "158",
                "JPN",
                "NGDP_RPCH",
                "Japan",
                "Gross domestic product, constant prices",
                "Percent change",
                "Units",
                see_con,
                [N(1.5), N(0.1), N(0.55)],
                N(2024.0),
            ),
            row(
                "158",
                "JPN",
                "NGDP",
                "Japan",
                GDP_CUR,
                "National currency",
                "Billions",
                JPN_NOTE,
                [N(591_912.5), N(609_432.6), N(624_492.375)],
                N(2024.0),
            ),
            row(
                "158",
                "JPN",
                "NGDPD",
                "Japan",
                GDP_CUR,
                "U.S. dollars",
                "Billions",
                see_cur,
                [N(4_212.9), N(4_026.2), T("n/a")],
                N(2024.0),
            ),
            row(
                "158",
                "JPN",
                "NGDP_D",
                "Japan",
                "Gross domestic product, deflator",
                "Index",
                "Units",
                "See notes for:  Gross domestic product, constant prices (National currency) Gross domestic product, current prices (National currency).",
                [N(106.25), N(109.3), N(110.0)],
                N(2024.0),
            ),
            row(
                "158",
                "JPN",
                "PCPI",
                "Japan",
                "Inflation, average consumer prices",
                "Index",
                "Units",
                JPN_PCPI_NOTE,
                [N(105.0), N(108.0), N(110.0)],
                N(2024.0),
            ),
            row(
                "158",
                "JPN",
                "PCPIPCH",
                "Japan",
                "Inflation, average consumer prices",
                "Percent change",
                "Units",
                "See notes for:  Inflation, average consumer prices (Index).",
                [N(3.25), N(2.75), T("")],
                N(2024.0),
            ),
            row(
                "158",
                "JPN",
                "LP",
                "Japan",
                "Population",
                "Persons",
                "Millions",
                JPN_LP_NOTE,
                [N(124.5), N(123.89), N(123.375)],
                N(2024.0),
            ),
            row(
                "158",
                "JPN",
                "GGX",
                "Japan",
                "General government total expenditure",
                "National currency",
                "Billions",
                JPN_GGX_NOTE,
                [N(220_000.5), T("n/a"), T("n/a")],
                N(2023.0),
            ),
            row(
                "158",
                "JPN",
                "GGX_NGDP",
                "Japan",
                "General government total expenditure",
                "Percent of GDP",
                "Units",
                "See notes for:  General government total expenditure (National currency).",
                [N(37.25), T("n/a"), T("n/a")],
                N(2023.0),
            ),
            row(
                "967",
                "UVK",
                "NGDP",
                "Kosovo",
                GDP_CUR,
                "National currency",
                "Billions",
                "",
                [N(10.5), N(11.25), N(12.0)],
                N(2023.0),
            ),
            row(
                "513",
                "BGD",
                "NGDP",
                "Bangladesh",
                GDP_CUR,
                "National currency",
                "Billions",
                BGD_NOTE,
                [N(50_000.0), N(55_000.0), N(60_000.0)],
                N(2024.0),
            ),
            row(
                "513",
                "BGD",
                "NGDPD",
                "Bangladesh",
                GDP_CUR,
                "U.S. dollars",
                "Billions",
                see_cur,
                [N(450.125), T("n/a"), T("n/a")],
                N(2024.0),
            ),
            row(
                "534",
                "IND",
                "NGDP",
                "India",
                GDP_CUR,
                "National currency",
                "Billions",
                IND_NOTE,
                [N(301_000.0), T(""), T("")],
                N(2023.0),
            ),
        ]
    }

    fn header() -> Vec<F> {
        [
            "WEO Country Code",
            "ISO",
            "WEO Subject Code",
            "Country",
            "Subject Descriptor",
            "Subject Notes",
            "Units",
            "Scale",
            "Country/Series-specific Notes",
        ]
        .into_iter()
        .map(T)
        .chain([N(2023.0), N(2024.0), N(2025.0), T("Estimates Start After")])
        .collect()
    }

    const SOURCE_LINE: &str =
        "International Monetary Fund, World Economic Outlook Database, April 2025";

    /// The xlsx conversion: one sheet named after the file, numbers as numbers, the
    /// IMF's source line as the last row.
    fn write_xlsx(path: &Path, header: &[F], rows: &[Vec<F>], source_line: &str) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("WEOApr2025all").unwrap();
        let all = std::iter::once(header.to_vec()).chain(rows.iter().cloned());
        let mut r = 0u32;
        for row in all {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    T("") => {}
                    T(s) => {
                        ws.write_string(r, c as u16, *s).unwrap();
                    }
                    N(n) => {
                        ws.write_number(r, c as u16, *n).unwrap();
                    }
                }
            }
            r += 1;
        }
        ws.write_string(r, 0, source_line).unwrap();
        wb.save(path).unwrap();
    }

    /// "1,234.500", as the IMF writes numbers in its text download.
    fn thousands(n: f64) -> String {
        let s = format!("{:.3}", n.abs());
        let (int, frac) = s.split_once('.').unwrap();
        let mut grouped = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{}{grouped}.{frac}", if n < 0.0 { "-" } else { "" })
    }

    /// The IMF's download: UTF-16LE with BOM, tab-separated, CRLF, years as text, numbers
    /// with thousands separators (quoted where they contain a comma, as Excel's text
    /// export does), a blank line and the source line at the end.
    fn imf_text(header: &[F], rows: &[Vec<F>], source_line: &str) -> String {
        // Years (the header's and Estimates Start After) are plain integers.
        let field = |cell: &F, plain: bool| match cell {
            T(s) if s.contains(',') => format!("\"{s}\""),
            T(s) => s.to_string(),
            N(n) if plain => format!("{n}"),
            N(n) => {
                let t = thousands(*n);
                if t.contains(',') {
                    format!("\"{t}\"")
                } else {
                    t
                }
            }
        };
        let mut out = String::new();
        for (i, row) in std::iter::once(header)
            .chain(rows.iter().map(Vec::as_slice))
            .enumerate()
        {
            let line: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(j, c)| field(c, i == 0 || j + 1 == row.len()))
                .collect();
            out.push_str(&line.join("\t"));
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        out.push_str(source_line);
        out.push_str("\r\n");
        out
    }

    fn utf16le(text: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        bytes
    }

    type Row = (
        &'static str,
        Measure,
        i32,
        String,
        f64,
        String,
        &'static str,
    );

    fn summary(out: &ReaderOutput) -> Vec<Row> {
        let code = |m: Measure| {
            SUBJECTS
                .iter()
                .find(|s| s.measure == m)
                .map(|s| s.code)
                .unwrap_or("?")
        };
        out.observations
            .iter()
            .map(|o| {
                (
                    code(o.measure),
                    o.measure,
                    o.year,
                    format!("{}:{}", o.country, o.year_basis),
                    o.value.unwrap(),
                    o.flags.to_string(),
                    Box::leak(o.notes.clone().into_boxed_str()) as &'static str,
                )
            })
            .collect()
    }

    fn expected() -> Vec<Row> {
        let bn = 1e9;
        let m = 1e6;
        let r = |subject: &'static str,
                 measure: Measure,
                 year: i32,
                 at: &str,
                 value: f64,
                 flags: &str,
                 notes: &'static str| {
            (
                subject,
                measure,
                year,
                at.to_string(),
                value,
                flags.to_string(),
                notes,
            )
        };
        use Measure::*;
        vec![
            r(
                "NGDP_R",
                GdpLcuConstant,
                2023,
                "JPN:calendar",
                557_000.125 * bn,
                "",
                "NGDP_R:JPN",
            ),
            r(
                "NGDP_R",
                GdpLcuConstant,
                2024,
                "JPN:calendar",
                558_000.25 * bn,
                "",
                "NGDP_R:JPN",
            ),
            r(
                "NGDP_RPCH",
                GdpRealGrowth,
                2023,
                "JPN:calendar",
                1.5,
                "",
                "NGDP_R:JPN",
            ),
            r(
                "NGDP_RPCH",
                GdpRealGrowth,
                2024,
                "JPN:calendar",
                0.1,
                "",
                "NGDP_R:JPN",
            ),
            r(
                "NGDP_RPCH",
                GdpRealGrowth,
                2025,
                "JPN:calendar",
                0.55,
                "projection",
                "NGDP_R:JPN",
            ),
            r(
                "NGDP",
                GdpLcu,
                2023,
                "JPN:calendar",
                591_912.5 * bn,
                "",
                "NGDP:JPN",
            ),
            r(
                "NGDP",
                GdpLcu,
                2024,
                "JPN:calendar",
                609_432.6 * bn,
                "",
                "NGDP:JPN",
            ),
            r(
                "NGDP",
                GdpLcu,
                2025,
                "JPN:calendar",
                624_492.375 * bn,
                "projection",
                "NGDP:JPN",
            ),
            r(
                "NGDPD",
                GdpUsd,
                2023,
                "JPN:calendar",
                4_212.9 * bn,
                "",
                "NGDP:JPN",
            ),
            r(
                "NGDPD",
                GdpUsd,
                2024,
                "JPN:calendar",
                4_026.2 * bn,
                "",
                "NGDP:JPN",
            ),
            r(
                "NGDP_D",
                GdpDeflator,
                2023,
                "JPN:calendar",
                106.25,
                "",
                "NGDP_R:JPN;NGDP:JPN",
            ),
            r(
                "NGDP_D",
                GdpDeflator,
                2024,
                "JPN:calendar",
                109.3,
                "",
                "NGDP_R:JPN;NGDP:JPN",
            ),
            r(
                "NGDP_D",
                GdpDeflator,
                2025,
                "JPN:calendar",
                110.0,
                "projection",
                "NGDP_R:JPN;NGDP:JPN",
            ),
            r(
                "PCPIPCH",
                Inflation,
                2023,
                "JPN:calendar",
                3.25,
                "",
                "PCPI:JPN",
            ),
            r(
                "PCPIPCH",
                Inflation,
                2024,
                "JPN:calendar",
                2.75,
                "",
                "PCPI:JPN",
            ),
            r(
                "LP",
                Population,
                2023,
                "JPN:calendar",
                124.5 * m,
                "",
                "LP:JPN",
            ),
            r(
                "LP",
                Population,
                2024,
                "JPN:calendar",
                123.89 * m,
                "",
                "LP:JPN",
            ),
            r(
                "LP",
                Population,
                2025,
                "JPN:calendar",
                123.375 * m,
                "projection",
                "LP:JPN",
            ),
            r(
                "GGX",
                GovExpenditureLcu,
                2023,
                "JPN:calendar",
                220_000.5 * bn,
                "",
                "GGX:JPN",
            ),
            r(
                "GGX_NGDP",
                GovExpenditureGdp,
                2023,
                "JPN:calendar",
                37.25,
                "",
                "GGX:JPN",
            ),
            r("NGDP", GdpLcu, 2023, "XKX:calendar", 10.5 * bn, "", ""),
            r(
                "NGDP",
                GdpLcu,
                2024,
                "XKX:calendar",
                11.25 * bn,
                "projection",
                "",
            ),
            r(
                "NGDP",
                GdpLcu,
                2025,
                "XKX:calendar",
                12.0 * bn,
                "projection",
                "",
            ),
            // Bangladesh: the IMF's 2023 is FY2022/23 (July-June), named here by its start.
            r(
                "NGDP",
                GdpLcu,
                2022,
                "BGD:fy_jul",
                50_000.0 * bn,
                "",
                "NGDP:BGD",
            ),
            r(
                "NGDP",
                GdpLcu,
                2023,
                "BGD:fy_jul",
                55_000.0 * bn,
                "",
                "NGDP:BGD",
            ),
            r(
                "NGDP",
                GdpLcu,
                2024,
                "BGD:fy_jul",
                60_000.0 * bn,
                "projection",
                "NGDP:BGD",
            ),
            r(
                "NGDPD",
                GdpUsd,
                2022,
                "BGD:fy_jul",
                450.125 * bn,
                "",
                "NGDP:BGD",
            ),
            // India: the IMF's 2023 is FY2023/24 (April-March), already named by its start.
            r(
                "NGDP",
                GdpLcu,
                2023,
                "IND:fy_apr",
                301_000.0 * bn,
                "",
                "NGDP:IND",
            ),
        ]
    }

    fn check_common(out: &ReaderOutput, file: &str) {
        assert_eq!(summary(out), expected());
        for o in &out.observations {
            assert_eq!(o.definition, "imf_weo");
            assert_eq!(o.source, "imf-weo-2025-04");
            assert_eq!(o.vintage, "IMF WEO April 2025");
            assert!(o.measure.allowed_units().contains(&o.unit), "{o:?}");
        }
        let s = &out.sources[0];
        assert_eq!(s.id, "imf-weo-2025-04");
        assert_eq!(s.vintage, "IMF WEO April 2025");
        assert_eq!(s.file, file);
        assert_eq!(s.rank, 10);
        let keys: Vec<&str> = out.notes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "GGX:JPN",
                "LP:JPN",
                "NGDP:BGD",
                "NGDP:IND",
                "NGDP:JPN",
                "NGDP_R:JPN",
                "PCPI:JPN"
            ]
        );
        let jpn = out.notes.iter().find(|n| n.key == "NGDP:JPN").unwrap();
        assert_eq!(jpn.text, JPN_NOTE);
        assert_eq!(jpn.source, "imf-weo-2025-04");
    }

    #[test]
    fn reads_the_xlsx_conversion_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("WEOApr2025all.xlsx");
        write_xlsx(&path, &header(), &rows(), SOURCE_LINE);
        let out = read_file(&path, &builtin_countries()).unwrap();
        check_common(&out, "WEOApr2025all.xlsx");
        assert!(
            out.sources[0].note.contains("xlsx conversion"),
            "{}",
            out.sources[0].note
        );
    }

    #[test]
    fn reads_the_imf_utf16_text_download_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("WEOApr2025all.xls");
        let text = imf_text(&header(), &rows(), SOURCE_LINE);
        assert!(
            text.contains("\"591,912.500\""),
            "the fixture has thousands separators"
        );
        std::fs::write(&path, utf16le(&text)).unwrap();
        let out = read_file(&path, &builtin_countries()).unwrap();
        check_common(&out, "WEOApr2025all.xls");
        assert!(
            out.sources[0].note.contains("UTF-16LE"),
            "{}",
            out.sources[0].note
        );
    }

    #[test]
    fn reads_older_single_byte_text_downloads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("WEOApr2025all.xls");
        let text = imf_text(&header(), &rows(), SOURCE_LINE).replace("Haver", "Haver\u{2019}s");
        // Windows-1252: the IMF's older downloads; 0x92 is a right single quote.
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| if c == '\u{2019}' { 0x92 } else { c as u8 })
            .collect();
        std::fs::write(&path, bytes).unwrap();
        let out = read_file(&path, &builtin_countries()).unwrap();
        assert_eq!(summary(&out), expected());
        let jpn = out.notes.iter().find(|n| n.key == "NGDP:JPN").unwrap();
        assert!(jpn.text.contains("Haver\u{2019}s"), "{}", jpn.text);
        assert!(out.sources[0].note.contains("Windows-1252"));
    }

    #[test]
    fn read_finds_either_layout_but_not_both() {
        let dir = tempfile::tempdir().unwrap();
        let weo = dir.path().join("imf_weo");
        std::fs::create_dir(&weo).unwrap();
        let reg = builtin_countries();
        assert!(matches!(
            read(dir.path(), &reg),
            Err(IngestError::Missing { .. })
        ));
        write_xlsx(
            &weo.join("WEOApr2025all.xlsx"),
            &header(),
            &rows(),
            SOURCE_LINE,
        );
        // The IMF's code-list workbook sits beside it and is not the data.
        write_xlsx(
            &weo.join("weopub-dsd-apr2025.xlsx"),
            &header(),
            &[],
            SOURCE_LINE,
        );
        let out = read(dir.path(), &reg).unwrap();
        assert_eq!(out.observations.len(), expected().len());
        assert_eq!(out.definitions[0].id, "imf_weo");
        std::fs::write(
            weo.join("WEOApr2025all.xls"),
            utf16le(&imf_text(&header(), &rows(), SOURCE_LINE)),
        )
        .unwrap();
        let msg = read(dir.path(), &reg).unwrap_err().to_string();
        assert!(
            msg.contains("both WEOApr2025all.xlsx and WEOApr2025all.xls"),
            "{msg}"
        );
    }

    fn text_error(header: &[F], rows: &[Vec<F>], source_line: &str, name: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, utf16le(&imf_text(header, rows, source_line))).unwrap();
        read_file(&path, &builtin_countries())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_missing_subject_code_or_iso_column_is_named() {
        let mut h = header();
        h[2] = T("Subject Code");
        let msg = text_error(&h, &rows(), SOURCE_LINE, "WEOApr2025all.xls");
        assert!(msg.contains("WEOApr2025all.xls: line 1:"), "{msg}");
        assert!(msg.contains("no 'WEO Subject Code' column"), "{msg}");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("WEOApr2025all.xlsx");
        let mut h = header();
        h[1] = T("Country ISO");
        write_xlsx(&path, &h, &rows(), SOURCE_LINE);
        let err = read_file(&path, &builtin_countries()).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, IngestError::Layout { .. }), "{msg}");
        assert!(msg.contains("sheet 'WEOApr2025all': row 1:"), "{msg}");
        assert!(msg.contains("no 'ISO' column"), "{msg}");
    }

    #[test]
    fn an_unknown_scale_is_refused_not_guessed() {
        let mut rows = rows();
        rows[2][7] = T("Thousands");
        let msg = text_error(&header(), &rows, SOURCE_LINE, "WEOApr2025all.xls");
        assert!(
            msg.contains("line 4: NGDP for JPN (Japan): unknown Scale 'Thousands'"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_units_bad_numbers_and_missing_years_are_errors() {
        let mut r = rows();
        r[3][6] = T("National currency");
        let msg = text_error(&header(), &r, SOURCE_LINE, "WEOApr2025all.xls");
        assert!(
            msg.contains(
                "NGDPD for JPN (Japan): Units is 'National currency', expected 'U.S. dollars'"
            ),
            "{msg}"
        );

        let mut r = rows();
        r[2][10] = T("six hundred");
        let msg = text_error(&header(), &r, SOURCE_LINE, "WEOApr2025all.xls");
        assert!(
            msg.contains("line 4: NGDP for JPN (Japan), 2024: 'six hundred' is not a number"),
            "{msg}"
        );

        let mut r = rows();
        r[2][12] = T("n/a");
        let msg = text_error(&header(), &r, SOURCE_LINE, "WEOApr2025all.xls");
        assert!(msg.contains("no Estimates Start After year"), "{msg}");

        let r: Vec<Vec<F>> = rows()
            .into_iter()
            .filter(|r| !matches!(r[2], T("LP")))
            .collect();
        let msg = text_error(&header(), &r, SOURCE_LINE, "WEOApr2025all.xls");
        assert!(msg.contains("no rows for WEO subject LP"), "{msg}");

        let mut r = rows();
        r[10][1] = T("ATL");
        let msg = text_error(&header(), &r, SOURCE_LINE, "WEOApr2025all.xls");
        assert!(
            msg.contains(
                "line 12: NGDP for ATL (Kosovo): ISO code 'ATL' is not in the country registry"
            ),
            "{msg}"
        );
    }

    #[test]
    fn the_release_comes_from_the_file_name_and_must_match_the_source_line() {
        let msg = text_error(&header(), &rows(), SOURCE_LINE, "WEO_latest.xls");
        assert!(msg.contains("does not state the WEO release"), "{msg}");
        let msg = text_error(
            &header(),
            &rows(),
            "International Monetary Fund, World Economic Outlook Database, October 2024",
            "WEOApr2025all.xls",
        );
        assert!(
            msg.contains("says 'October 2024' but the file name says April 2025"),
            "{msg}"
        );

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("WEOOct2025all.xls");
        let text = imf_text(
            &header(),
            &rows(),
            "International Monetary Fund, World Economic Outlook Database, October 2025",
        );
        std::fs::write(&path, utf16le(&text)).unwrap();
        let out = read_file(&path, &builtin_countries()).unwrap();
        assert_eq!(out.sources[0].id, "imf-weo-2025-10");
        assert_eq!(out.observations[0].vintage, "IMF WEO October 2025");
    }

    #[test]
    fn garbage_and_truncated_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let reg = builtin_countries();
        // Deterministic pseudo-random bytes.
        let mut x: u32 = 12345;
        let garbage: Vec<u8> = (0..4096)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        let path = dir.path().join("WEOApr2025all.xls");
        std::fs::write(&path, &garbage).unwrap();
        let err = read_file(&path, &reg).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, IngestError::Format { .. }), "{msg}");
        assert!(msg.contains("WEOApr2025all.xls"), "{msg}");

        let path = dir.path().join("WEOApr2025all.xlsx");
        write_xlsx(&path, &header(), &rows(), SOURCE_LINE);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let err = read_file(&path, &reg).unwrap_err();
        assert!(matches!(err, IngestError::NotWorkbook { .. }), "{err}");

        let path = dir.path().join("WEOApr2025all.xls");
        let mut odd = utf16le(&imf_text(&header(), &rows(), SOURCE_LINE));
        odd.pop();
        let msg = read_file(&path_with(&path, &odd), &reg)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("odd number of bytes"), "{msg}");
    }

    fn path_with(path: &Path, bytes: &[u8]) -> PathBuf {
        std::fs::write(path, bytes).unwrap();
        path.to_path_buf()
    }

    #[test]
    fn fiscal_year_notes_give_the_basis_and_the_relabelling() {
        assert_eq!(basis_from_note(JPN_NOTE), (YearBasis::Calendar, 0));
        assert_eq!(basis_from_note(BGD_NOTE), (YearBasis::Fiscal(7), -1));
        assert_eq!(basis_from_note(IND_NOTE), (YearBasis::FY_APR, 0));
        // Pakistan states the same mapping twice, in both spellings.
        let pak = "FY(t/t+1) = CY(t+1) ... Reporting in calendar year: No. Fiscal year data are \
                   mapped to calendar year as follows: FY(t-1/t) = CY(t) Start/end months of \
                   reporting year: July/June";
        assert_eq!(basis_from_note(pak), (YearBasis::Fiscal(7), -1));
        // A converted history or a weighted mapping is not one fiscal year.
        let sgp = "Reporting in calendar year: No. Fiscal year data are mapped to calendar year \
                   as follows: CY(t) = 0.25*FY(t-1/t) + 0.75*FY(t/t+1) Start/end months of \
                   reporting year: April/March";
        assert_eq!(basis_from_note(sgp), (YearBasis::Irregular, 0));
        let hkg = "Reporting in calendar year: No Start/end months of reporting year: April/March";
        assert_eq!(basis_from_note(hkg), (YearBasis::Irregular, 0));
        // CPI aggregated to fiscal years, said only in words.
        let ind_cpi = "IMF staff aggregated the monthly data to correspond with fiscal year \
                       periods. Latest actual data: FY2023/24.";
        assert_eq!(basis_from_note(ind_cpi), (YearBasis::Irregular, 0));
        assert_eq!(basis_from_note(""), (YearBasis::Calendar, 0));
    }

    fn raw_dir() -> Option<PathBuf> {
        let dir = std::env::var_os("FAIRSHARE_RAW")
            .filter(|d| !d.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../../shared/data/raw"
                ))
                .to_path_buf()
            });
        dir.join("imf_weo").is_dir().then_some(dir)
    }

    #[test]
    fn real_file_matches_the_published_spot_checks() {
        let Some(raw) = raw_dir() else {
            println!("raw files absent: skipped weo real_file_matches_the_published_spot_checks");
            return;
        };
        let started = std::time::Instant::now();
        let out = read(&raw, &builtin_countries()).unwrap();
        println!("WEO read in {:.2?}", started.elapsed());
        let find = |country: &str, measure: Measure, year: i32| {
            out.observations
                .iter()
                .find(|o| o.country == country && o.measure == measure && o.year == year)
                .unwrap_or_else(|| panic!("no WEO {measure} for {country} {year}"))
        };
        let ngdp = find("JPN", Measure::GdpLcu, 2022);
        assert!(
            (ngdp.value.unwrap() / 5.60464e14 - 1.0).abs() < 1e-5,
            "{ngdp:?}"
        );
        assert_eq!(ngdp.year_basis, YearBasis::Calendar);
        assert_eq!(ngdp.notes, "NGDP:JPN");
        let y2030 = find("JPN", Measure::GdpLcu, 2030);
        assert!(
            (y2030.value.unwrap() / 7.06485e14 - 1.0).abs() < 1e-5,
            "{y2030:?}"
        );
        assert!(y2030.flags.contains(Flag::Projection));
        assert!(
            !find("JPN", Measure::GdpLcu, 2024)
                .flags
                .contains(Flag::Projection)
        );
        assert!(
            find("JPN", Measure::GdpLcu, 2025)
                .flags
                .contains(Flag::Projection)
        );
        let usa = find("USA", Measure::GdpLcu, 2024).value.unwrap();
        assert!((usa / 29_184.9e9 - 1.0).abs() < 1e-5, "{usa}");
        let growth = find("JPN", Measure::GdpRealGrowth, 2025).value.unwrap();
        assert!((growth - 0.55).abs() < 0.01, "{growth}");
        let lp = find("JPN", Measure::Population, 2024).value.unwrap();
        assert!((lp / 123.89e6 - 1.0).abs() < 1e-3, "{lp}");
        let cpi = find("USA", Measure::Inflation, 2022).value.unwrap();
        assert!((cpi - 7.99).abs() < 0.01, "{cpi}");
        for (country, measure) in [("KOR", Measure::GdpLcu), ("USA", Measure::GdpLcu)] {
            assert_eq!(find(country, measure, 2024).year_basis, YearBasis::Calendar);
        }
        assert_eq!(
            find("IND", Measure::GdpLcu, 2024).year_basis,
            YearBasis::FY_APR
        );
        assert_eq!(
            find("BGD", Measure::GdpLcu, 2023).year_basis,
            YearBasis::Fiscal(7)
        );
        assert!(out.observations.iter().any(|o| o.country == "XKX"));
        assert!(
            out.notes
                .iter()
                .any(|n| n.key == "NGDP:JPN" && n.text.contains("Base year: 2015"))
        );

        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for o in &out.observations {
            *counts
                .entry((o.measure.to_string(), o.year_basis.to_string()))
                .or_default() += 1;
        }
        println!("WEO rows {}: {counts:?}", out.observations.len());
    }

    #[test]
    fn real_macro_readers_assemble_into_a_valid_dataset() {
        let Some(raw) = raw_dir() else {
            println!("raw files absent: skipped real_macro_readers_assemble_into_a_valid_dataset");
            return;
        };
        let reg = builtin_countries();
        let mut all = ReaderOutput::default();
        for reader in [super::super::wdi::read, super::super::datahub::read, read] {
            all.extend(reader(&raw, &reg).unwrap());
        }
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for o in &all.observations {
            *counts
                .entry((o.source.clone(), o.measure.to_string()))
                .or_default() += 1;
        }
        println!("rows by source and measure: {counts:?}");
        let dataset = super::super::assemble(reg, all).unwrap();
        let ids: Vec<&str> = dataset.definitions.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["imf_weo", "wb"]);
    }
}
