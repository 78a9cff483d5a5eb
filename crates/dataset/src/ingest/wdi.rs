//! World Bank World Development Indicators: the single-indicator "Download CSV" files
//! `API_<indicator>_DS2_en_csv_v2_<n>.csv` in `worldbank_wdi/` (data.worldbank.org,
//! CC BY 4.0). Layout and spot checks: `worldbank_wdi/SOURCE.md`.
//!
//! Four indicators are read, one file each (found by the `API_<indicator>_` prefix; the
//! trailing number changes with every download):
//!
//! | indicator | measure | definition | source id |
//! |---|---|---|---|
//! | MS.MIL.XPND.GD.ZS | `milex_gdp` (percent) | `sipri` | `wb-wdi-milex-gdp` (rank 20) |
//! | NY.GDP.MKTP.CN | `gdp_lcu` | `wb` | `wb-wdi-gdp-lcu` |
//! | NY.GDP.MKTP.KN | `gdp_lcu_constant` | `wb` | `wb-wdi-gdp-lcu-constant` |
//! | PA.NUS.FCRF | `exchange_rate` (LCU per US$) | `wb` | `wb-wdi-exchange-rate` |
//!
//! MS.MIL.XPND.GD.ZS is SIPRI's series republished by the World Bank, so it keeps the
//! `sipri` definition (emitted by the SIPRI reader) and ranks after SIPRI's own workbook;
//! it is read because it adds the World and regional aggregates.
//!
//! Quirks handled: a UTF-8 byte-order mark; a preamble before the header
//! (`"Data Source","World Development Indicators"`, blank, `"Last Updated Date","<date>"`,
//! blank) whose date becomes the vintage (`WDI 2026-02-24`), so each file and each new
//! download carries its own; a trailing empty column; CRLF or LF line ends; empty cells
//! for missing years, which produce no observation. Rows are ISO3 codes plus the World
//! Bank's aggregate codes (WLD, EUU, HIC, ...), all in the country registry; a code that
//! is not is an error naming the line, so a new aggregate is added deliberately. Years are
//! labelled as the World Bank labels them (calendar basis); the World Bank's country
//! metadata says a few countries' national accounts are fiscal-year based.

use std::collections::BTreeSet;
use std::path::Path;

use csv::StringRecord;

use super::{IngestError, ReaderOutput, find_file, read_bytes};
use crate::model::{Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{CountryRegistry, Definition, Source};

/// One WDI indicator file and what its values become.
#[derive(Debug, Clone, Copy)]
pub struct Indicator {
    /// The World Bank's indicator code, as in the file name and `Indicator Code` column.
    pub code: &'static str,
    pub measure: Measure,
    pub unit: Unit,
    pub definition: &'static str,
    pub source_id: &'static str,
    /// The World Bank's indicator name.
    pub name: &'static str,
    pub rank: u32,
    /// What a user should know about this copy.
    pub note: &'static str,
}

/// The indicators `data build` reads, in output order.
pub const INDICATORS: &[Indicator] = &[
    Indicator {
        code: "MS.MIL.XPND.GD.ZS",
        measure: Measure::MilexGdp,
        unit: Unit::PctGdp,
        definition: "sipri",
        source_id: "wb-wdi-milex-gdp",
        name: "Military expenditure (% of GDP)",
        rank: 20,
        note: "SIPRI's military expenditure share of GDP as republished by the World Bank \
               (definition sipri); it adds the World and World Bank regional and income-group \
               aggregates. Already in percent. Where SIPRI's own workbook holds the same cell \
               it is preferred (rank 10 before 20).",
    },
    Indicator {
        code: "NY.GDP.MKTP.CN",
        measure: Measure::GdpLcu,
        unit: Unit::Lcu,
        definition: "wb",
        source_id: "wb-wdi-gdp-lcu",
        name: "GDP (current LCU)",
        rank: 10,
        note: "GDP at purchaser's prices in current local currency units, full units.",
    },
    Indicator {
        code: "NY.GDP.MKTP.KN",
        measure: Measure::GdpLcuConstant,
        unit: Unit::LcuConstant,
        definition: "wb",
        source_id: "wb-wdi-gdp-lcu-constant",
        name: "GDP (constant LCU)",
        rank: 10,
        note: "GDP in constant local currency units at each country's own base-year prices \
               (base years differ by country); current / constant gives the implicit deflator.",
    },
    Indicator {
        code: "PA.NUS.FCRF",
        measure: Measure::ExchangeRate,
        unit: Unit::LcuPerUsd,
        definition: "wb",
        source_id: "wb-wdi-exchange-rate",
        name: "Official exchange rate (LCU per US$, period average)",
        rank: 10,
        note: "Official exchange rate, local currency units per US$, annual average of \
               monthly averages (IMF International Financial Statistics).",
    },
];

/// The spec of one indicator by its World Bank code (`NY.GDP.MKTP.CN`).
pub fn indicator(code: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.code == code)
}

/// The `wb` definition: World Bank macro series (also emitted, identically, by the
/// DataHub reader; `assemble` keeps one).
pub fn wb_definition() -> Definition {
    Definition {
        id: "wb".to_string(),
        name: "World Bank (World Development Indicators)".to_string(),
        description: "Macroeconomic series as compiled and published by the World Bank in the \
            World Development Indicators: GDP at purchaser's prices from national accounts \
            (current and constant local currency, and current US$ converted at single-year \
            official exchange rates, or an alternative conversion factor where the official \
            rate does not reflect actual transactions), the official exchange rate (local \
            currency per US$, annual average of monthly rates as reported to the IMF), and \
            total midyear population counting all residents regardless of legal status or \
            citizenship. Years are labelled as the World Bank labels them; for a few countries \
            the national accounts follow a fiscal year (see the World Bank's country notes)."
            .to_string(),
    }
}

/// Read every WDI indicator file under `raw_root/worldbank_wdi`.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join("worldbank_wdi");
    let mut out = ReaderOutput {
        definitions: vec![wb_definition()],
        ..ReaderOutput::default()
    };
    for indicator in INDICATORS {
        let path = find_file(&dir, &format!("API_{}_", indicator.code), ".csv")?;
        out.extend(read_file(&path, indicator, countries)?);
    }
    Ok(out)
}

/// Read one `API_<indicator>_DS2_en_csv_v2_<n>.csv` file: its source and observations.
pub fn read_file(
    path: &Path,
    indicator: &Indicator,
    countries: &CountryRegistry,
) -> Result<ReaderOutput, IngestError> {
    let bytes = read_bytes(path)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let lines = LineIndex::new(body);
    let mut records = rdr.records();
    let mut next = |expected: &str| -> Result<(u64, StringRecord), IngestError> {
        match records.next() {
            Some(Ok(rec)) => Ok((lines.line_of(&rec), rec)),
            Some(Err(e)) => Err(IngestError::format(path, lines.csv_problem(&e))),
            None => Err(IngestError::format(
                path,
                format!("the file ends before {expected}"),
            )),
        }
    };

    let (line, rec) = next("the preamble line \"Data Source\",\"World Development Indicators\"")?;
    if field(&rec, 0) != "Data Source" || field(&rec, 1) != "World Development Indicators" {
        return Err(IngestError::format(
            path,
            format!(
                "line {line}: expected the WDI preamble line \"Data Source\",\"World Development \
                 Indicators\"; found {}",
                preview(&rec)
            ),
        ));
    }
    let (line, rec) = next("the preamble line \"Last Updated Date\",\"<date>\"")?;
    let updated = field(&rec, 1);
    if field(&rec, 0) != "Last Updated Date" || !is_iso_date(updated) {
        return Err(IngestError::format(
            path,
            format!(
                "line {line}: expected the WDI preamble line \"Last Updated Date\",\"YYYY-MM-DD\"; \
                 found {}",
                preview(&rec)
            ),
        ));
    }
    let updated = updated.to_string();
    let vintage = format!("WDI {updated}");

    let (header_line, header) = next("the header row (Country Name, Country Code, ...)")?;
    let column = |name: &str| -> Result<usize, IngestError> {
        header.iter().position(|h| h.trim() == name).ok_or_else(|| {
            IngestError::format(
                path,
                format!(
                    "line {header_line}: the header row has no '{name}' column (expected Country \
                     Name, Country Code, Indicator Name, Indicator Code, 1960, 1961, ...); found {}",
                    preview(&header)
                ),
            )
        })
    };
    let name_col = column("Country Name")?;
    let code_col = column("Country Code")?;
    let indicator_col = column("Indicator Code")?;
    let years: Vec<(usize, i32)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| year_label(h).map(|y| (i, y)))
        .collect();
    if years.is_empty() {
        return Err(IngestError::format(
            path,
            format!("line {header_line}: the header row has no year columns (1960, 1961, ...)"),
        ));
    }
    let needed = years
        .iter()
        .map(|(i, _)| *i)
        .chain([name_col, code_col, indicator_col])
        .max()
        .unwrap_or(0)
        + 1;

    let mut observations = Vec::new();
    let mut seen = BTreeSet::new();
    let mut rows = 0usize;
    for rec in records {
        let rec = rec.map_err(|e| IngestError::format(path, lines.csv_problem(&e)))?;
        let line = lines.line_of(&rec);
        if rec.len() < needed {
            return Err(IngestError::format(
                path,
                format!(
                    "line {line}: {} fields where the header has {}; is the file truncated?",
                    rec.len(),
                    header.len()
                ),
            ));
        }
        rows += 1;
        let code = field(&rec, code_col);
        let found_indicator = field(&rec, indicator_col);
        if found_indicator != indicator.code {
            return Err(IngestError::format(
                path,
                format!(
                    "line {line}: Indicator Code is '{found_indicator}', expected '{}' (the file \
                     name says which indicator it holds)",
                    indicator.code
                ),
            ));
        }
        let country = countries.get(code).ok_or_else(|| {
            IngestError::format(
                path,
                format!(
                    "line {line}: country code '{code}' ({}) is not in the country registry; \
                     add it to registry/countries.csv",
                    field(&rec, name_col)
                ),
            )
        })?;
        if !seen.insert(code.to_string()) {
            return Err(IngestError::format(
                path,
                format!("line {line}: a second row for country code '{code}'"),
            ));
        }
        for &(col, year) in &years {
            let cell = field(&rec, col);
            if cell.is_empty() {
                continue;
            }
            let value: f64 = cell.parse().map_err(|_| {
                IngestError::format(
                    path,
                    format!("line {line}, year {year} ({code}): '{cell}' is not a number"),
                )
            })?;
            observations.push(Observation {
                country: country.code.clone(),
                year,
                year_basis: YearBasis::Calendar,
                measure: indicator.measure,
                definition: indicator.definition.to_string(),
                value: Some(value),
                unit: indicator.unit,
                source: indicator.source_id.to_string(),
                vintage: vintage.clone(),
                flags: Flags::EMPTY,
                notes: String::new(),
            });
        }
    }
    if rows == 0 {
        return Err(IngestError::format(
            path,
            format!("no data rows after the header (line {header_line})"),
        ));
    }

    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let source = Source {
        id: indicator.source_id.to_string(),
        publisher: "The World Bank".to_string(),
        title: format!(
            "World Development Indicators: {} ({})",
            indicator.name, indicator.code
        ),
        file,
        vintage,
        released: updated.clone(),
        url: format!("https://data.worldbank.org/indicator/{}", indicator.code),
        licence: "CC BY 4.0".to_string(),
        citation: format!(
            "The World Bank, World Development Indicators, {} ({}), last updated {updated}. \
             Licence: CC BY 4.0.",
            indicator.name, indicator.code
        ),
        rank: indicator.rank,
        note: indicator.note.to_string(),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        definitions: Vec::new(),
        notes: Vec::new(),
        observations,
        ..ReaderOutput::default()
    })
}

fn field(rec: &StringRecord, i: usize) -> &str {
    rec.get(i).map(str::trim).unwrap_or("")
}

/// Line numbers for error messages. A record's csv position is where the reader stood
/// before it, ahead of any blank lines it skipped (the WDI preamble has two), so the
/// record's first line is found from the bytes.
pub(super) struct LineIndex<'a> {
    text: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(text: &'a [u8]) -> LineIndex<'a> {
        LineIndex {
            text,
            newlines: text
                .iter()
                .enumerate()
                .filter_map(|(i, b)| (*b == b'\n').then_some(i))
                .collect(),
        }
    }

    /// The 1-based line of the first non-blank byte at or after `byte`.
    pub(super) fn line_at(&self, byte: u64) -> u64 {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while at < self.text.len() && matches!(self.text[at], b'\r' | b'\n') {
            at += 1;
        }
        self.newlines.partition_point(|&nl| nl < at) as u64 + 1
    }

    /// The line a record starts on.
    pub(super) fn line_of(&self, rec: &StringRecord) -> u64 {
        rec.position().map(|p| self.line_at(p.byte())).unwrap_or(0)
    }

    pub(super) fn csv_problem(&self, e: &csv::Error) -> String {
        match e.position() {
            Some(p) => format!(
                "line {}: cannot parse the line ({e})",
                self.line_at(p.byte())
            ),
            None => format!("cannot parse the line ({e})"),
        }
    }
}

#[cfg(test)]
mod fuzz_regressions {
    use super::*;

    /// The error `read_file` gives for a file holding `bytes` (military burden series).
    fn error_for(tag: &str, bytes: &[u8]) -> String {
        let dir = std::env::temp_dir().join(format!("fairshare-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("input.csv");
        std::fs::write(&path, bytes).unwrap();
        let countries = crate::registry::builtin_countries();
        let err = read_file(&path, indicator("MS.MIL.XPND.GD.ZS").unwrap(), &countries)
            .unwrap_err()
            .to_string();
        let _ = std::fs::remove_dir_all(&dir);
        err
    }

    #[test]
    fn a_quoted_newline_in_the_preamble_keeps_the_error_on_one_line() {
        // fuzz/ingest_csv: the file `"\n` (a quoted field holding a newline).
        let err = error_for("wdi-preamble", b"\"\n");
        assert!(!err.contains('\n'), "{err}");
        assert!(err.contains("WDI preamble"), "{err}");
    }

    #[test]
    fn a_value_cell_spanning_lines_keeps_the_error_on_one_line() {
        // fuzz/ingest_csv (November 2026): an unterminated quote in a year cell swallowed
        // the lines after it, and the message echoed them all.
        let file = "\"Data Source\",\"World Development Indicators\",\r\n\r\n\
            \"Last Updated Date\",\"2026-02-24\",\r\n\r\n\
            \"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",\"2002\",\r\n\
            \"Angola\",\"AGO\",\"Military expenditure (% of GDP)\",\"MS.MIL.XPND.GD.ZS\",\"2.8o\n\
            Lithuania,LTU,2004\nRomania,ROU,2004\",\r\n";
        let err = error_for("wdi-cell", file.as_bytes());
        assert!(!err.contains('\n'), "{err}");
        assert!(err.contains("AGO") && err.contains("2.8o\\n"), "{err}");
    }
}

/// The first few fields of a record, for "found ..." in error messages.
fn preview(rec: &StringRecord) -> String {
    let shown: Vec<String> = rec
        .iter()
        .take(4)
        // Escaped, so that a newline inside a quoted field keeps the error on one line.
        .map(|f| format!("\"{}\"", f.escape_debug()))
        .collect();
    let mut text = shown.join(",");
    if text.chars().count() > 100 {
        text = text.chars().take(100).collect::<String>() + "...";
    }
    if text.is_empty() {
        "an empty line".to_string()
    } else {
        text
    }
}

/// A header cell that is a year (`1960`).
pub(super) fn year_label(cell: &str) -> Option<i32> {
    let t = cell.trim();
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    const BOM: &str = "\u{feff}";

    fn header(years: &[i32]) -> String {
        let mut h =
            "\"Country Name\",\"Country Code\",\"Indicator Name\",\"Indicator Code\",".to_string();
        for y in years {
            h.push_str(&format!("\"{y}\","));
        }
        h
    }

    /// A file in the World Bank's exact layout: BOM, preamble with blank lines, trailing
    /// empty column, CRLF line ends, empty strings for missing years.
    fn wdi_file(date: &str, code: &str, name: &str, rows: &[&str]) -> String {
        let mut s = format!(
            "{BOM}\"Data Source\",\"World Development Indicators\",\r\n\r\n\"Last Updated Date\",\"{date}\",\r\n\r\n{}\r\n",
            header(&[2022, 2023, 2024, 2025])
        );
        for r in rows {
            s.push_str(&r.replace("{IND}", &format!("\"{name}\",\"{code}\"")));
            s.push_str("\r\n");
        }
        s
    }

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn reads_the_wdi_layout_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let text = wdi_file(
            "2026-02-24",
            "MS.MIL.XPND.GD.ZS",
            "Military expenditure (% of GDP)",
            &[
                "\"Aruba\",\"ABW\",{IND},\"\",\"\",\"\",\"\",",
                "\"Japan\",\"JPN\",{IND},\"1.01\",\"1.14\",\"1.37\",\"\",",
                "\"World\",\"WLD\",{IND},\"2.22\",\"\",\"2.47\",\"\",",
            ],
        );
        let path = write(
            dir.path(),
            "API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_211.csv",
            &text,
        );
        let out = read_file(
            &path,
            indicator("MS.MIL.XPND.GD.ZS").unwrap(),
            &builtin_countries(),
        )
        .unwrap();
        let got: Vec<(String, i32, Option<f64>)> = out
            .observations
            .iter()
            .map(|o| (o.country.clone(), o.year, o.value))
            .collect();
        assert_eq!(
            got,
            vec![
                ("JPN".to_string(), 2022, Some(1.01)),
                ("JPN".to_string(), 2023, Some(1.14)),
                ("JPN".to_string(), 2024, Some(1.37)),
                ("WLD".to_string(), 2022, Some(2.22)),
                ("WLD".to_string(), 2024, Some(2.47)),
            ]
        );
        let o = &out.observations[0];
        assert_eq!(o.measure, Measure::MilexGdp);
        assert_eq!(o.unit, Unit::PctGdp);
        assert_eq!(o.definition, "sipri");
        assert_eq!(o.source, "wb-wdi-milex-gdp");
        assert_eq!(o.vintage, "WDI 2026-02-24");
        assert_eq!(o.year_basis, YearBasis::Calendar);
        assert!(o.flags.is_empty());
        let s = &out.sources[0];
        assert_eq!(s.id, "wb-wdi-milex-gdp");
        assert_eq!(s.vintage, "WDI 2026-02-24");
        assert_eq!(s.released, "2026-02-24");
        assert_eq!(s.rank, 20);
        assert_eq!(s.file, "API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_211.csv");
        assert!(
            out.definitions.is_empty(),
            "sipri is the SIPRI reader's to emit"
        );
    }

    #[test]
    fn lf_line_ends_and_full_unit_lcu() {
        let dir = tempfile::tempdir().unwrap();
        let text = wdi_file(
            "2025-03-24",
            "NY.GDP.MKTP.CN",
            "GDP (current LCU)",
            &["\"Japan\",\"JPN\",{IND},\"5.6e+14\",\"590690000000000\",\"\",\"\","],
        )
        .replace("\r\n", "\n");
        let path = write(dir.path(), "API_NY.GDP.MKTP.CN_DS2_en_csv_v2_1.csv", &text);
        let out = read_file(
            &path,
            indicator("NY.GDP.MKTP.CN").unwrap(),
            &builtin_countries(),
        )
        .unwrap();
        assert_eq!(out.observations.len(), 2);
        assert_eq!(out.observations[0].value, Some(5.6e14));
        assert_eq!(out.observations[1].value, Some(5.9069e14));
        assert_eq!(out.observations[1].measure, Measure::GdpLcu);
        assert_eq!(out.observations[1].definition, "wb");
        assert_eq!(out.observations[1].vintage, "WDI 2025-03-24");
    }

    fn error_of(text: &str, code: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "API_X.csv", text);
        read_file(&path, indicator(code).unwrap(), &builtin_countries())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_file_without_its_preamble_is_refused() {
        let text = format!(
            "{BOM}{}\r\n\"Japan\",\"JPN\",\"GDP (current LCU)\",\"NY.GDP.MKTP.CN\",\"1\",\"2\",\"3\",\"4\",\r\n",
            header(&[2022, 2023, 2024, 2025])
        );
        let msg = error_of(&text, "NY.GDP.MKTP.CN");
        assert!(msg.contains("API_X.csv"), "{msg}");
        assert!(msg.contains("line 1"), "{msg}");
        assert!(msg.contains("expected the WDI preamble"), "{msg}");
    }

    #[test]
    fn a_missing_country_code_column_is_named() {
        let text = wdi_file("2025-03-24", "NY.GDP.MKTP.CN", "GDP (current LCU)", &[])
            .replace("\"Country Code\",", "");
        let msg = error_of(&text, "NY.GDP.MKTP.CN");
        assert!(msg.contains("line 5"), "{msg}");
        assert!(msg.contains("no 'Country Code' column"), "{msg}");
    }

    #[test]
    fn a_file_of_another_indicator_is_refused() {
        let text = wdi_file(
            "2025-03-24",
            "NY.GDP.MKTP.KN",
            "GDP (constant LCU)",
            &["\"Japan\",\"JPN\",{IND},\"1\",\"2\",\"3\",\"\","],
        );
        let msg = error_of(&text, "NY.GDP.MKTP.CN");
        assert!(msg.contains("line 6"), "{msg}");
        assert!(msg.contains("expected 'NY.GDP.MKTP.CN'"), "{msg}");
    }

    #[test]
    fn an_unknown_country_code_names_the_line() {
        let text = wdi_file(
            "2025-03-24",
            "PA.NUS.FCRF",
            "Official exchange rate (LCU per US$, period average)",
            &[
                "\"Japan\",\"JPN\",{IND},\"131.5\",\"140.49\",\"\",\"\",",
                "\"Atlantis\",\"ATL\",{IND},\"1\",\"\",\"\",\"\",",
            ],
        );
        let msg = error_of(&text, "PA.NUS.FCRF");
        assert!(msg.contains("line 7"), "{msg}");
        assert!(
            msg.contains("'ATL' (Atlantis) is not in the country registry"),
            "{msg}"
        );
    }

    #[test]
    fn a_truncated_row_and_a_bad_number_are_errors() {
        let text = wdi_file(
            "2025-03-24",
            "PA.NUS.FCRF",
            "Official exchange rate",
            &["\"Japan\",\"JPN\",{IND},\"131.5\""],
        );
        assert!(error_of(&text, "PA.NUS.FCRF").contains("truncated"));
        let text = wdi_file(
            "2025-03-24",
            "PA.NUS.FCRF",
            "Official exchange rate",
            &["\"Japan\",\"JPN\",{IND},\"131.5\",\"n.a.\",\"\",\"\","],
        );
        let msg = error_of(&text, "PA.NUS.FCRF");
        assert!(
            msg.contains("line 6, year 2023 (JPN): 'n.a.' is not a number"),
            "{msg}"
        );
    }

    #[test]
    fn a_missing_file_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(dir.path(), &builtin_countries()).unwrap_err();
        assert!(matches!(err, IngestError::Missing { .. }), "{err}");
    }

    fn raw_dir() -> Option<std::path::PathBuf> {
        let dir = std::env::var_os("FAIRSHARE_RAW")
            .filter(|d| !d.is_empty())
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../../shared/data/raw"
                ))
                .to_path_buf()
            });
        dir.join("worldbank_wdi").is_dir().then_some(dir)
    }

    fn value(out: &ReaderOutput, source: &str, country: &str, year: i32) -> f64 {
        out.observations
            .iter()
            .find(|o| o.source == source && o.country == country && o.year == year)
            .and_then(|o| o.value)
            .unwrap_or_else(|| panic!("no {source} value for {country} {year}"))
    }

    #[test]
    fn real_files_match_the_published_spot_checks() {
        let Some(raw) = raw_dir() else {
            println!("raw files absent: skipped wdi real_files_match_the_published_spot_checks");
            return;
        };
        let out = read(&raw, &builtin_countries()).unwrap();
        let milex = "wb-wdi-milex-gdp";
        let round2 = |v: f64| (v * 100.0).round() / 100.0;
        assert_eq!(round2(value(&out, milex, "WLD", 2022)), 2.22);
        assert_eq!(round2(value(&out, milex, "WLD", 2024)), 2.47);
        assert_eq!(round2(value(&out, milex, "JPN", 2022)), 1.01);
        assert_eq!(round2(value(&out, milex, "USA", 2024)), 3.42);
        let gdp = value(&out, "wb-wdi-gdp-lcu", "JPN", 2023);
        assert!((gdp / 1e12 - 590.69).abs() < 0.01, "{gdp}");
        let fx = value(&out, "wb-wdi-exchange-rate", "JPN", 2023);
        assert!((fx - 140.49).abs() < 0.01, "{fx}");
        assert_eq!(value(&out, "wb-wdi-exchange-rate", "USA", 2023), 1.0);
        assert!(value(&out, "wb-wdi-gdp-lcu-constant", "JPN", 2023) > 5e14);
        let vintages: BTreeSet<&str> = out.sources.iter().map(|s| s.vintage.as_str()).collect();
        assert_eq!(
            vintages.into_iter().collect::<Vec<_>>(),
            ["WDI 2025-03-24", "WDI 2026-02-24"]
        );
        // Missing cells produce nothing: 2025 is empty in the milex file.
        assert!(
            !out.observations
                .iter()
                .any(|o| o.source == milex && o.year == 2025)
        );
    }
}
