//! SIPRI Military Expenditure Database: the annual Excel workbook SIPRI publishes
//! each April (`sipri_milex/SIPRI-Milex-data-1949-2024_2.xlsx` for the 2025 release).
//!
//! Layout (checked against the 2025 release, see `sipri_milex/SOURCE.md`): one sheet
//! per measure, each with a few lines of title, units and legend on top, then a
//! header row (`Country`, `Notes`, 1949 ... 2024; `Region` on "Regional totals")
//! that sits on row 6, 7 or 8 depending on the sheet, so it is found by content.
//! Region and subregion label rows (Africa, North Africa, ...) are interleaved with
//! the countries and carry no figures.
//!
//! | sheet                          | measure              | unit / conversion              |
//! |--------------------------------|----------------------|--------------------------------|
//! | Regional totals                | milex_usd_constant   | US$ bn x 1e9; its last column, |
//! |                                | (+ milex_usd_current)| "2024 (current prices)", is current US$ |
//! | Local currency financial years | milex_lcu            | per the "Fiscal Year" column   |
//! | Local currency calendar years  | milex_lcu            | full units, calendar           |
//! | Constant (2023) US$            | milex_usd_constant   | US$ m x 1e6                    |
//! | Current US$                    | milex_usd_current    | US$ m x 1e6                    |
//! | Share of GDP                   | milex_gdp            | fraction x 100 = percent       |
//! | Per capita                     | milex_per_capita     | current US$                    |
//! | Share of Govt. spending        | milex_gov_share      | fraction x 100 = percent       |
//! | Footnotes                      | notes                | † ‡ § ¶ ‖ and numbered notes   |
//!
//! Quirks handled:
//! - `...` (SIPRI's ". .") = no data -> value `None`, flag `no_data`; `xxx` = the
//!   state did not exist or was not independent -> `None`, flag `not_independent`.
//!   Blank cells are not observations.
//! - "Figures in blue are SIPRI estimates. Figures in red indicate highly uncertain
//!   data": the colour is only in the cell font, read by [`super::xlsx_fonts`];
//!   blue -> `estimate`, red -> `uncertain`. On "Regional totals" red means "more
//!   than 10% of the total figure consists of estimates for countries for which data
//!   is missing", so it becomes `estimate` there (not `uncertain`). A colour on a
//!   `...`/`xxx` cell qualifies no figure and is ignored.
//! - The Notes column (`‡§¶16`) becomes the observation's note keys (`‡;§;¶;16`), plus
//!   `sheet:<name>`, a note holding the sheet's own title, units and legend.
//! - The financial-year sheet states each country's fiscal year, including changes
//!   ("Till: 2001 Jul-Jun, 2002: Jul-Dec, From 2003: Jan-Dec"); see [`FiscalYears`].
//!   Where that year is a calendar year, the cell repeats the calendar sheet's key,
//!   so the calendar sheet's value is kept and the FY sheet's is dropped (and the
//!   two compared: [`ReadReport::fiscal_disagreements`]).
//! - The release is the last data year + 1 (data to 2024 -> `sipri-milex-2025`,
//!   "SIPRI 2025"); the constant-price base year comes from the sheet name.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use calamine::{Data, Range};

use super::xlsx::{self, Workbook};
use super::xlsx_fonts::{CellColours, FontColour, FontColourReader, cell_ref};
use super::{IngestError, ReaderOutput, find_file};
use crate::model::{Flag, Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{CountryRegistry, Definition, EntityKind, Note, Publisher, Source};

/// The publisher folder under the raw root.
pub const FOLDER: &str = "sipri_milex";
const FILE_PREFIX: &str = "SIPRI-Milex-data-";
const DEFINITION: &str = "sipri";
const RANK: u32 = 10;

const REGIONAL: &str = "Regional totals";
const LCU_FY: &str = "Local currency financial years";
const LCU_CALENDAR: &str = "Local currency calendar years";
const CURRENT_USD: &str = "Current US$";
const SHARE_GDP: &str = "Share of GDP";
const PER_CAPITA: &str = "Per capita";
const SHARE_GOV: &str = "Share of Govt. spending";
const FOOTNOTES: &str = "Footnotes";

/// Read the SIPRI workbook in `raw_root/sipri_milex/`.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let path = find_file(&raw_root.join(FOLDER), FILE_PREFIX, ".xlsx")?;
    read_workbook(&path, countries)
}

/// Read one SIPRI workbook.
pub fn read_workbook(
    path: &Path,
    countries: &CountryRegistry,
) -> Result<ReaderOutput, IngestError> {
    read_workbook_with_report(path, countries).map(|(out, _)| out)
}

/// What a read found, for tests and for whoever checks a new release.
#[derive(Debug, Clone, Default)]
pub struct ReadReport {
    /// Observations per sheet and measure, in reading order.
    pub sheets: Vec<SheetCounts>,
    /// FY-sheet cells on a calendar basis, which repeat the calendar sheet and were not emitted.
    pub fiscal_duplicates: usize,
    /// Of those, the ones whose value or flags differ from the calendar sheet's (which was kept).
    pub fiscal_disagreements: Vec<String>,
    /// `...`/`xxx` cells printed in blue or red, whose colour was ignored.
    pub coloured_markers: usize,
}

/// Counts for one sheet and measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetCounts {
    pub sheet: String,
    pub measure: Measure,
    pub observations: usize,
    pub values: usize,
    pub no_data: usize,
    pub not_independent: usize,
    pub estimate: usize,
    pub uncertain: usize,
}

/// Read one SIPRI workbook and say what was found.
pub fn read_workbook_with_report(
    path: &Path,
    countries: &CountryRegistry,
) -> Result<(ReaderOutput, ReadReport), IngestError> {
    let mut wb = xlsx::open(path)?;
    let mut fonts = FontColourReader::open(path)?;

    let footnotes = read_footnotes(&mut wb, path)?;
    let (constant_name, base_year) = constant_sheet(&wb, path)?;
    let constant_unit = match base_year {
        2023 => Unit::UsdConstant2023,
        2015 => Unit::UsdConstant2015,
        other => {
            return Err(IngestError::layout(
                path,
                &constant_name,
                format!(
                    "constant prices of {other}: fairshare has no unit usd_constant_{other} yet; \
                     add Unit::UsdConstant{other} to the model before ingesting this release"
                ),
            ));
        }
    };

    let mut load = |name: &str, first: &str| Sheet::load(&mut wb, &mut fonts, path, name, first);
    let regional = load(REGIONAL, "Region")?;
    let lcu_calendar = load(LCU_CALENDAR, "Country")?;
    let lcu_fy = load(LCU_FY, "Country")?;
    let constant = load(&constant_name, "Country")?;
    let current = load(CURRENT_USD, "Country")?;
    let share_gdp = load(SHARE_GDP, "Country")?;
    let per_capita = load(PER_CAPITA, "Country")?;
    let share_gov = load(SHARE_GOV, "Country")?;
    let sheets = [
        &regional,
        &lcu_calendar,
        &lcu_fy,
        &constant,
        &current,
        &share_gdp,
        &per_capita,
        &share_gov,
    ];

    // The statements that make the conversions below right.
    let constant_prices = format!("constant {base_year} prices");
    regional.expect_intro(path, &["US$ b", &constant_prices, "last figure"])?;
    lcu_calendar.expect_intro(
        path,
        &["local currency at current prices", "calendar years"],
    )?;
    lcu_fy.expect_intro(
        path,
        &["local currency at current prices", "financial years"],
    )?;
    constant.expect_intro(path, &["US $m", &constant_prices])?;
    current.expect_intro(path, &["US $m", "current prices"])?;
    share_gdp.expect_intro(path, &["percentage of gross domestic product"])?;
    per_capita.expect_intro(path, &["per capita", "current US$"])?;
    share_gov.expect_intro(path, &["percentage of government spending"])?;

    let last_year = sheets
        .iter()
        .filter_map(|s| s.years.iter().map(|(_, y)| *y).max())
        .max()
        .ok_or_else(|| IngestError::format(path, "no year columns in any sheet"))?;
    let release = last_year + 1;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    let mut r = Reading {
        path,
        countries,
        source: format!("sipri-milex-{release}"),
        vintage: format!("SIPRI {release}"),
        footnote_keys: footnotes.iter().map(|(k, _)| k.clone()).collect(),
        codes: HashMap::new(),
        observations: Vec::new(),
        notes: BTreeMap::new(),
        calendar_lcu: HashMap::new(),
        report: ReadReport::default(),
    };
    for (key, text) in footnotes {
        r.add_note(key, text);
    }
    for sheet in sheets {
        r.add_note(sheet.note_key(), sheet.intro.join(" "));
    }

    let fraction_to_percent = 100.0;
    r.regional(&regional, constant_unit)?;
    r.simple(&lcu_calendar, Measure::MilexLcu, Unit::Lcu, 1.0)?;
    r.fiscal(&lcu_fy)?;
    r.simple(&constant, Measure::MilexUsdConstant, constant_unit, 1e6)?;
    r.simple(&current, Measure::MilexUsdCurrent, Unit::UsdCurrent, 1e6)?;
    share_gdp.expect_fractions(path)?;
    r.simple(
        &share_gdp,
        Measure::MilexGdp,
        Unit::PctGdp,
        fraction_to_percent,
    )?;
    r.simple(
        &per_capita,
        Measure::MilexPerCapita,
        Unit::UsdPerCapita,
        1.0,
    )?;
    share_gov.expect_fractions(path)?;
    r.simple(
        &share_gov,
        Measure::MilexGovShare,
        Unit::PctGovSpending,
        fraction_to_percent,
    )?;

    let source = Source {
        id: r.source.clone(),
        publisher: "Stockholm International Peace Research Institute (SIPRI)".to_string(),
        title: "SIPRI Military Expenditure Database".to_string(),
        file: file_name,
        vintage: r.vintage.clone(),
        // SIPRI publishes each year's update in late April.
        released: format!("April {release}"),
        url: "https://www.sipri.org/databases/milex".to_string(),
        licence: "Free to use with attribution to SIPRI (SIPRI terms of use)".to_string(),
        citation: format!(
            "SIPRI Military Expenditure Database, {release}. Stockholm International Peace \
             Research Institute, https://www.sipri.org/databases/milex"
        ),
        rank: RANK,
        note: format!(
            "Read from SIPRI's Excel workbook (data 1949-{last_year}). Shares converted from \
             fractions to percent; US$ millions (billions for regional totals) to full US$. \
             Blue figures are flagged estimate, red ones uncertain (red regional totals: \
             estimate, as more than 10% of them is estimated). Financial-year local-currency \
             figures for calendar fiscal years repeat the calendar-year sheet and are taken \
             from it."
        ),
    };
    let output = ReaderOutput {
        sources: vec![source],
        definitions: vec![definition()],
        notes: r.notes.into_values().collect(),
        observations: r.observations,
        ..ReaderOutput::default()
    };
    Ok((output, r.report))
}

/// SIPRI's definition of military expenditure, from its sources-and-methods note.
pub fn definition() -> Definition {
    Definition {
        id: DEFINITION.to_string(),
        name: "SIPRI military expenditure".to_string(),
        description: "SIPRI counts all current and capital spending on the armed forces \
            (peacekeeping forces included), on defence ministries and other government \
            agencies engaged in defence projects, on paramilitary forces when SIPRI judges \
            them trained and equipped for military operations, and on military space \
            activities. That covers military and civilian personnel (with military \
            retirement pensions and social services for personnel), operations and \
            maintenance, procurement, military research and development, and military aid \
            (counted by the donor). Civil defence and the costs of past military activity, \
            such as veterans' benefits, demobilisation, conversion and weapons destruction, \
            are left out. Where a country's figures depart from this (no pensions, budget \
            rather than spending, ...) SIPRI says so in a footnote."
            .to_string(),
    }
}

/// The sheet `Constant (YYYY) US$` and its base year.
fn constant_sheet(wb: &Workbook, path: &Path) -> Result<(String, i32), IngestError> {
    use calamine::Reader;
    let names = wb.sheet_names();
    let name = names
        .iter()
        .find(|n| n.starts_with("Constant (") && n.ends_with("US$"))
        .ok_or_else(|| {
            IngestError::layout(
                path,
                "Constant (<base year>) US$",
                format!("sheet not found; the workbook has: {}", names.join(", ")),
            )
        })?;
    let year = name
        .trim_start_matches("Constant (")
        .split(')')
        .next()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .ok_or_else(|| {
            IngestError::layout(
                path,
                name,
                "expected the base year in the sheet name, as in 'Constant (2023) US$'",
            )
        })?;
    Ok((name.clone(), year))
}

/// The Footnotes sheet: special symbols (column A) and numbered notes, text beside them.
fn read_footnotes(wb: &mut Workbook, path: &Path) -> Result<Vec<(String, String)>, IngestError> {
    let range = xlsx::sheet(wb, path, FOOTNOTES)?;
    let mut out: Vec<(String, String)> = Vec::new();
    let (Some((r0, _)), Some((r1, c1))) = (range.start(), range.end()) else {
        return Err(IngestError::layout(path, FOOTNOTES, "the sheet is empty"));
    };
    for row in r0..=r1 {
        let key = match range.get_value((row, 0)) {
            Some(Data::Float(f)) if f.fract() == 0.0 && *f >= 0.0 => format!("{f}"),
            Some(Data::Int(i)) => i.to_string(),
            Some(Data::String(s)) => {
                let s = s.trim();
                if s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() {
                    s.to_string()
                } else {
                    let mut chars = s.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) if !c.is_alphanumeric() => normalize_symbol(c).to_string(),
                        _ => continue,
                    }
                }
            }
            _ => continue,
        };
        let text = (1..=c1)
            .map(|c| xlsx::text(range.get_value((row, c))))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if text.is_empty() {
            continue;
        }
        if out.iter().any(|(k, _)| *k == key) {
            return Err(IngestError::layout(
                path,
                FOOTNOTES,
                format!("row {}: footnote '{key}' is defined twice", row + 1),
            ));
        }
        out.push((key, text));
    }
    if out.is_empty() {
        return Err(IngestError::layout(
            path,
            FOOTNOTES,
            "no footnotes found: expected rows with a symbol (†, ‡, §, ¶, ‖) or a number in \
             column A and the note's text beside it",
        ));
    }
    Ok(out)
}

/// SIPRI writes the currency-change mark as U+2016; older files used U+01C1 or `||`.
fn normalize_symbol(c: char) -> char {
    match c {
        'ǁ' | '|' => '‖',
        other => other,
    }
}

/// The note keys of a Notes cell: `‡§¶16` -> `‡`, `§`, `¶`, `16`.
fn note_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut digits = String::new();
    let mut last_bar = false;
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            last_bar = false;
            continue;
        }
        if !digits.is_empty() {
            keys.push(std::mem::take(&mut digits));
        }
        if ch.is_whitespace() || ch == ',' || ch == ';' {
            last_bar = false;
            continue;
        }
        // `||` is one mark, not two.
        if ch == '|' && last_bar {
            last_bar = false;
            continue;
        }
        last_bar = ch == '|';
        let key = normalize_symbol(ch).to_string();
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    if !digits.is_empty() {
        keys.push(digits);
    }
    keys
}

/// What a SIPRI text cell in a year column means, if it is a missing-data marker.
fn missing_marker(text: &str) -> Option<Flag> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact == "…" || (compact.len() >= 2 && compact.chars().all(|c| c == '.' || c == '…')) {
        Some(Flag::NoData)
    } else if compact.eq_ignore_ascii_case("xxx") {
        Some(Flag::NotIndependent)
    } else {
        None
    }
}

/// Which fiscal year SIPRI's "Fiscal Year" cell gives each year.
///
/// `""` is January-December; `Apr-Mar`, `Jul-Jun`, `Oct-Sep` a fixed fiscal year;
/// `See footnote` (or any text naming a footnote) irregular years; and changes as
/// `Till: 2001 Jul-Jun, 2002: Jul-Dec, From 2003: Jan-Dec` (2002 is a transitional
/// six-month period) or `Till: 1973 Jul-Jun, From 1974 Till: 1990 Jan-Dec, From
/// 1991: Oct-Sep`. A period of other than twelve months is transitional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiscalYears {
    spans: Vec<FiscalSpan>,
}

/// The years `from..=till` (open where `None`) and their basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiscalSpan {
    pub from: Option<i32>,
    pub till: Option<i32>,
    pub basis: YearBasis,
}

impl FiscalYears {
    pub fn parse(text: &str) -> Result<FiscalYears, String> {
        let text = text.trim();
        let whole = |basis| FiscalYears {
            spans: vec![FiscalSpan {
                from: None,
                till: None,
                basis,
            }],
        };
        if text.is_empty() {
            return Ok(whole(YearBasis::Calendar));
        }
        if text.to_lowercase().contains("footnote") {
            return Ok(whole(YearBasis::Irregular));
        }
        let mut spans = text
            .split(',')
            .map(|s| parse_fiscal_segment(s.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        // Each span must start the year after the previous one ends, and together
        // they must cover every year.
        let mut previous_till: Option<Option<i32>> = None;
        for span in spans.iter_mut() {
            match previous_till {
                None if span.from.is_some() => {
                    return Err(format!(
                        "years before {} are not covered",
                        span.from.unwrap_or_default()
                    ));
                }
                None => {}
                Some(None) => return Err("a span follows an open-ended one".to_string()),
                Some(Some(till)) => match span.from {
                    None => span.from = Some(till + 1),
                    Some(from) if from == till + 1 => {}
                    Some(from) => {
                        return Err(format!("{from} does not follow on from {till}"));
                    }
                },
            }
            if let (Some(from), Some(till)) = (span.from, span.till)
                && till < from
            {
                return Err(format!("{till} comes before {from}"));
            }
            previous_till = Some(span.till);
        }
        if let Some(Some(till)) = previous_till {
            return Err(format!("years after {till} are not covered"));
        }
        Ok(FiscalYears { spans })
    }

    /// The basis of `year` (every year is covered; see [`FiscalYears::parse`]).
    pub fn basis(&self, year: i32) -> YearBasis {
        self.spans
            .iter()
            .find(|s| s.from.is_none_or(|f| year >= f) && s.till.is_none_or(|t| year <= t))
            .map(|s| s.basis)
            .unwrap_or(YearBasis::Irregular)
    }

    pub fn spans(&self) -> &[FiscalSpan] {
        &self.spans
    }
}

/// `Till: 2001 Jul-Jun`, `2002: Jul-Dec`, `From 2003: Jan-Dec`, `From 1974 Till: 1990 Jan-Dec`, `Apr-Mar`.
fn parse_fiscal_segment(segment: &str) -> Result<FiscalSpan, String> {
    let mut rest = segment;
    let mut from = None;
    let mut till = None;
    if let Some(after) = strip_word(rest, "from") {
        let (year, after) = take_year(after, segment)?;
        from = Some(year);
        rest = after;
    }
    if let Some(after) = strip_word(rest, "till") {
        let (year, after) = take_year(after, segment)?;
        till = Some(year);
        rest = after;
    }
    if from.is_none()
        && till.is_none()
        && let Ok((year, after)) = take_year(rest, segment)
    {
        from = Some(year);
        till = Some(year);
        rest = after;
    }
    Ok(FiscalSpan {
        from,
        till,
        basis: parse_period(rest)
            .ok_or_else(|| format!("cannot read '{segment}': expected a period like Apr-Mar"))?,
    })
}

/// `rest` after a leading word (case-insensitive), spaces and an optional colon.
fn strip_word<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let head = text.get(..word.len())?;
    if head.eq_ignore_ascii_case(word) {
        Some(
            text[word.len()..]
                .trim_start()
                .trim_start_matches(':')
                .trim_start(),
        )
    } else {
        None
    }
}

/// A leading four-digit year, then the rest after spaces and an optional colon.
fn take_year<'a>(text: &'a str, segment: &str) -> Result<(i32, &'a str), String> {
    let digits = text
        .get(..4)
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
    match digits.and_then(|d| d.parse::<i32>().ok()) {
        Some(year) => Ok((
            year,
            text[4..].trim_start().trim_start_matches(':').trim_start(),
        )),
        None => Err(format!("cannot read '{segment}': expected a year")),
    }
}

/// `Jul-Jun` -> fiscal year from July; `Jul-Dec` -> transitional; `Jan-Dec` -> calendar.
fn parse_period(text: &str) -> Option<YearBasis> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = |s: &str| -> Option<u8> {
        let s = s.trim().to_ascii_lowercase();
        let head = s.get(..3)?;
        MONTHS.iter().position(|m| *m == head).map(|i| i as u8 + 1)
    };
    let (start, end) = text.split_once(['-', '–'])?;
    let (start, end) = (month(start)?, month(end)?);
    if end == (start + 10) % 12 + 1 {
        YearBasis::starting_in(start)
    } else {
        Some(YearBasis::Transitional)
    }
}

/// A cell's reading: value (already in fairshare's units) and flags.
#[derive(Debug, Clone, Copy, PartialEq)]
struct CellValue {
    value: Option<f64>,
    flags: Flags,
}

/// What blue and red mean on a sheet.
#[derive(Debug, Clone, Copy)]
struct ColourMeaning {
    blue: Flag,
    red: Flag,
}

const COUNTRY_COLOURS: ColourMeaning = ColourMeaning {
    blue: Flag::Estimate,
    red: Flag::Uncertain,
};

/// On "Regional totals" red marks totals that are more than 10% estimates.
const REGIONAL_COLOURS: ColourMeaning = ColourMeaning {
    blue: Flag::Estimate,
    red: Flag::Estimate,
};

/// One data sheet: its cells and colours, and where the header put things.
struct Sheet {
    name: String,
    range: Range<Data>,
    colours: CellColours,
    /// 0-based index of the header row.
    header_row: u32,
    last_row: u32,
    /// The lines above the header (title, units, legend), whitespace collapsed.
    intro: Vec<String>,
    /// Non-year header labels and their columns.
    labels: Vec<(String, u32)>,
    /// Year columns, left to right.
    years: Vec<(u32, i32)>,
    /// A `2024 (current prices)` column (Regional totals).
    current_prices: Option<(u32, i32)>,
}

impl Sheet {
    fn load(
        wb: &mut Workbook,
        fonts: &mut FontColourReader,
        path: &Path,
        name: &str,
        first_label: &str,
    ) -> Result<Sheet, IngestError> {
        let range = xlsx::sheet(wb, path, name)?;
        let colours = fonts.sheet(name)?;
        let (Some((r0, _)), Some((r1, c1))) = (range.start(), range.end()) else {
            return Err(IngestError::layout(path, name, "the sheet is empty"));
        };
        let text = |row: u32, col: u32| xlsx::text(range.get_value((row, col)));
        let mut intro = Vec::new();
        let mut header_row = None;
        for row in r0..=r1 {
            let first = text(row, 0);
            let has_years = (1..=c1).any(|c| year_of(&text(row, c)).is_some());
            if first.eq_ignore_ascii_case(first_label) && has_years {
                header_row = Some(row);
                break;
            }
            let line = (0..=c1)
                .map(|c| text(row, c))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if !line.is_empty() {
                intro.push(line);
            }
        }
        let Some(header_row) = header_row else {
            return Err(IngestError::layout(
                path,
                name,
                format!(
                    "no header row: expected a row whose first cell is '{first_label}' followed \
                     by year columns (1949, 1950, ...) in rows {}-{}",
                    r0 + 1,
                    r1 + 1
                ),
            ));
        };
        let mut labels = Vec::new();
        let mut years: Vec<(u32, i32)> = Vec::new();
        let mut current_prices = None;
        for col in 1..=c1 {
            let label = text(header_row, col);
            if let Some(year) = year_of(&label) {
                if let Some((other, _)) = years.iter().find(|(_, y)| *y == year) {
                    return Err(IngestError::layout(
                        path,
                        name,
                        format!(
                            "header row {}: year {year} appears twice ({} and {})",
                            header_row + 1,
                            cell_ref(header_row, *other),
                            cell_ref(header_row, col)
                        ),
                    ));
                }
                years.push((col, year));
            } else if let Some(year) = current_price_year(&label) {
                current_prices = Some((col, year));
            } else if !label.is_empty() {
                labels.push((label, col));
            }
        }
        Ok(Sheet {
            name: name.to_string(),
            range,
            colours,
            header_row,
            last_row: r1,
            intro,
            labels,
            years,
            current_prices,
        })
    }

    fn note_key(&self) -> String {
        format!("sheet:{}", self.name)
    }

    fn text(&self, row: u32, col: u32) -> String {
        xlsx::text(self.range.get_value((row, col)))
    }

    /// The column whose header starts with `label` (case-insensitive).
    fn find_column(&self, label: &str) -> Option<u32> {
        let wanted = label.to_lowercase();
        self.labels
            .iter()
            .find(|(l, _)| l.to_lowercase().starts_with(&wanted))
            .map(|(_, c)| *c)
    }

    fn column(&self, path: &Path, label: &str) -> Result<u32, IngestError> {
        self.find_column(label).ok_or_else(|| {
            IngestError::layout(
                path,
                &self.name,
                format!(
                    "header row {} has no '{label}' column (it has: {})",
                    self.header_row + 1,
                    self.labels
                        .iter()
                        .map(|(l, _)| format!("'{l}'"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
    }

    /// The lines above the header must say what the conversion assumes (units, prices).
    fn expect_intro(&self, path: &Path, phrases: &[&str]) -> Result<(), IngestError> {
        let compact = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let intro = compact(&self.intro.join(" "));
        for phrase in phrases {
            if !intro.contains(&compact(phrase)) {
                return Err(IngestError::layout(
                    path,
                    &self.name,
                    format!(
                        "the lines above the header row no longer say '{phrase}'; the units may \
                         have changed (they read: {})",
                        self.intro.join(" | ")
                    ),
                ));
            }
        }
        Ok(())
    }

    /// SIPRI's share sheets hold fractions (0.0101 shown as 1.01%); refuse percentages.
    fn expect_fractions(&self, path: &Path) -> Result<(), IngestError> {
        let mut values: Vec<f64> = Vec::new();
        for row in self.header_row + 1..=self.last_row {
            for (col, _) in &self.years {
                if let Some(v) = xlsx::number(self.range.get_value((row, *col))) {
                    values.push(v.abs());
                }
            }
        }
        values.sort_by(f64::total_cmp);
        let median = values.get(values.len() / 2).copied().unwrap_or(0.0);
        if median > 0.5 {
            return Err(IngestError::layout(
                path,
                &self.name,
                format!(
                    "the figures look like percentages (median {median}), not the fractions \
                     SIPRI has published (0.0101 for 1.01%)"
                ),
            ));
        }
        Ok(())
    }

    fn has_figures(&self, row: u32) -> bool {
        self.years
            .iter()
            .map(|(c, _)| *c)
            .chain(self.current_prices.map(|(c, _)| c))
            .any(|c| !matches!(self.range.get_value((row, c)), None | Some(Data::Empty)))
    }

    /// One cell of a year column; `None` for a blank cell.
    fn cell(
        &self,
        path: &Path,
        row: u32,
        col: u32,
        scale: f64,
        meaning: ColourMeaning,
        coloured_markers: &mut usize,
    ) -> Result<Option<CellValue>, IngestError> {
        let colour_flags = || match self.colours.get(row, col) {
            Some(FontColour::Blue) => Flags::EMPTY.with(meaning.blue),
            Some(FontColour::Red) => Flags::EMPTY.with(meaning.red),
            None => Flags::EMPTY,
        };
        let bad = |what: String| {
            IngestError::layout(
                path,
                &self.name,
                format!(
                    "cell {} holds {what}; expected a number, '...' (no data) or 'xxx' (not independent)",
                    cell_ref(row, col)
                ),
            )
        };
        let number = match self.range.get_value((row, col)) {
            None | Some(Data::Empty) => return Ok(None),
            Some(Data::Float(f)) => *f,
            Some(Data::Int(i)) => *i as f64,
            Some(Data::String(s)) => {
                if let Some(flag) = missing_marker(s) {
                    if self.colours.get(row, col).is_some() {
                        *coloured_markers += 1;
                    }
                    return Ok(Some(CellValue {
                        value: None,
                        flags: Flags::EMPTY.with(flag),
                    }));
                }
                let trimmed = s.trim();
                if trimmed.is_empty() {
                    return Ok(None);
                }
                // A number stored as text is still the publisher's number.
                trimmed
                    .parse::<f64>()
                    .map_err(|_| bad(format!("the text '{trimmed}'")))?
            }
            Some(other) => return Err(bad(format!("'{other}'"))),
        };
        if !number.is_finite() {
            return Err(bad(format!("the non-finite number {number}")));
        }
        Ok(Some(CellValue {
            value: Some(number * scale),
            flags: colour_flags(),
        }))
    }
}

fn year_of(label: &str) -> Option<i32> {
    let year = label.trim().parse::<i32>().ok()?;
    (1900..=2100).contains(&year).then_some(year)
}

/// `2024 (current prices)` -> 2024.
fn current_price_year(label: &str) -> Option<i32> {
    let label = label.trim();
    if !label.to_lowercase().contains("current") {
        return None;
    }
    year_of(label.get(..4)?)
}

/// A country (or region) row with figures.
struct DataRow {
    row: u32,
    code: String,
    /// Note keys for its observations, `;`-separated.
    notes: String,
}

/// The state of one read: registries to check against, and what has been emitted.
struct Reading<'a> {
    path: &'a Path,
    countries: &'a CountryRegistry,
    source: String,
    vintage: String,
    footnote_keys: BTreeSet<String>,
    /// SIPRI name -> code, so each name is looked up once.
    codes: HashMap<String, String>,
    observations: Vec<Observation>,
    notes: BTreeMap<String, Note>,
    /// The calendar sheet's cells, to resolve the FY sheet's calendar-year repeats.
    calendar_lcu: HashMap<(String, i32), CellValue>,
    report: ReadReport,
}

impl Reading<'_> {
    fn add_note(&mut self, key: String, text: String) {
        self.notes.entry(key.clone()).or_insert(Note {
            source: self.source.clone(),
            key,
            text,
        });
    }

    fn code_of(&mut self, sheet: &Sheet, row: u32, name: &str) -> Result<String, IngestError> {
        if let Some(code) = self.codes.get(name) {
            return Ok(code.clone());
        }
        let code = self
            .countries
            .by_publisher_name(Publisher::Sipri, name)
            .map(|c| c.code.clone())
            .ok_or_else(|| {
                IngestError::layout(
                    self.path,
                    &sheet.name,
                    format!(
                        "row {}: unknown country name '{name}'; add SIPRI's spelling to the sipri \
                         column of registry/countries.csv",
                        row + 1
                    ),
                )
            })?;
        self.codes.insert(name.to_string(), code.clone());
        Ok(code)
    }

    fn is_region_label(&self, name: &str) -> bool {
        self.countries
            .by_publisher_name(Publisher::Sipri, name)
            .is_some_and(|c| c.kind == EntityKind::Aggregate && c.code.starts_with("SIPRI-"))
    }

    /// The rows with figures, mapped to codes; region label rows are skipped.
    fn data_rows(
        &mut self,
        sheet: &Sheet,
        notes_col: Option<u32>,
        extra_notes: &mut dyn FnMut(&mut Self, u32, &str) -> Vec<String>,
    ) -> Result<Vec<DataRow>, IngestError> {
        let layout = |msg: String| IngestError::layout(self.path, &sheet.name, msg);
        let mut rows = Vec::new();
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        for row in sheet.header_row + 1..=sheet.last_row {
            let name = sheet.text(row, 0);
            let has_figures = sheet.has_figures(row);
            if name.is_empty() {
                if has_figures {
                    return Err(layout(format!(
                        "row {} has figures but no country name in column A",
                        row + 1
                    )));
                }
                continue;
            }
            if !has_figures {
                if self.is_region_label(&name) {
                    continue;
                }
                return Err(layout(format!(
                    "row {} ('{name}') has no figures and is not a SIPRI region label",
                    row + 1
                )));
            }
            let code = self.code_of(sheet, row, &name)?;
            if let Some(first) = seen.insert(code.clone(), row) {
                return Err(IngestError::layout(
                    self.path,
                    &sheet.name,
                    format!(
                        "rows {} and {} are both {code} ('{name}')",
                        first + 1,
                        row + 1
                    ),
                ));
            }
            let mut keys = match notes_col {
                Some(col) => note_keys(&sheet.text(row, col)),
                None => Vec::new(),
            };
            for key in &keys {
                if !self.footnote_keys.contains(key) {
                    return Err(IngestError::layout(
                        self.path,
                        &sheet.name,
                        format!(
                            "row {} ('{name}'): the Notes cell refers to note '{key}', which the \
                             {FOOTNOTES} sheet does not define",
                            row + 1
                        ),
                    ));
                }
            }
            keys.extend(extra_notes(self, row, &name));
            keys.push(sheet.note_key());
            rows.push(DataRow {
                row,
                code,
                notes: keys.join(";"),
            });
        }
        Ok(rows)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        code: &str,
        year: i32,
        year_basis: YearBasis,
        measure: Measure,
        unit: Unit,
        cell: CellValue,
        notes: &str,
    ) {
        self.observations.push(Observation {
            country: code.to_string(),
            year,
            year_basis,
            measure,
            definition: DEFINITION.to_string(),
            value: cell.value,
            unit,
            source: self.source.clone(),
            vintage: self.vintage.clone(),
            flags: cell.flags,
            notes: notes.to_string(),
        });
    }

    /// Count what the sheet added, per measure, into the report.
    fn count_since(&mut self, sheet: &Sheet, start: usize) {
        let mut by_measure: BTreeMap<Measure, SheetCounts> = BTreeMap::new();
        for o in &self.observations[start..] {
            let c = by_measure.entry(o.measure).or_insert_with(|| SheetCounts {
                sheet: sheet.name.clone(),
                measure: o.measure,
                observations: 0,
                values: 0,
                no_data: 0,
                not_independent: 0,
                estimate: 0,
                uncertain: 0,
            });
            c.observations += 1;
            c.values += usize::from(o.value.is_some());
            c.no_data += usize::from(o.flags.contains(Flag::NoData));
            c.not_independent += usize::from(o.flags.contains(Flag::NotIndependent));
            c.estimate += usize::from(o.flags.contains(Flag::Estimate));
            c.uncertain += usize::from(o.flags.contains(Flag::Uncertain));
        }
        self.report.sheets.extend(by_measure.into_values());
    }

    /// A country sheet with one measure, calendar years.
    fn simple(
        &mut self,
        sheet: &Sheet,
        measure: Measure,
        unit: Unit,
        scale: f64,
    ) -> Result<(), IngestError> {
        let start = self.observations.len();
        let notes_col = Some(sheet.column(self.path, "Notes")?);
        let reporting_col = sheet.find_column("Reporting year");
        let mut reporting_notes = |r: &mut Self, row: u32, _name: &str| -> Vec<String> {
            // "Reporting year" (Share of Govt. spending) is blank for every country in the
            // 2025 release and undocumented; whatever it holds is kept as a note.
            let Some(col) = reporting_col else {
                return Vec::new();
            };
            let text = sheet.text(row, col);
            if text.is_empty() {
                return Vec::new();
            }
            let key = format!("reporting-year:{text}");
            r.add_note(
                key.clone(),
                format!(
                    "SIPRI's 'Reporting year' column on the {} sheet reads '{text}'.",
                    sheet.name
                ),
            );
            vec![key]
        };
        let rows = self.data_rows(sheet, notes_col, &mut reporting_notes)?;
        let keep_calendar = measure == Measure::MilexLcu;
        for dr in rows {
            for &(col, year) in &sheet.years {
                let Some(cell) = sheet.cell(
                    self.path,
                    dr.row,
                    col,
                    scale,
                    COUNTRY_COLOURS,
                    &mut self.report.coloured_markers,
                )?
                else {
                    continue;
                };
                if keep_calendar {
                    self.calendar_lcu.insert((dr.code.clone(), year), cell);
                }
                self.push(
                    &dr.code,
                    year,
                    YearBasis::Calendar,
                    measure,
                    unit,
                    cell,
                    &dr.notes,
                );
            }
        }
        self.count_since(sheet, start);
        Ok(())
    }

    /// "Local currency financial years": each year on its country's fiscal basis.
    fn fiscal(&mut self, sheet: &Sheet) -> Result<(), IngestError> {
        let start = self.observations.len();
        let notes_col = Some(sheet.column(self.path, "Notes")?);
        let fy_col = sheet.column(self.path, "Fiscal Year")?;
        let rows = self.data_rows(sheet, notes_col, &mut |_, _, _| Vec::new())?;
        for dr in rows {
            let stated = sheet.text(dr.row, fy_col);
            let fiscal = FiscalYears::parse(&stated).map_err(|e| {
                IngestError::layout(
                    self.path,
                    &sheet.name,
                    format!(
                        "cell {} fiscal year '{stated}': {e}",
                        cell_ref(dr.row, fy_col)
                    ),
                )
            })?;
            for &(col, year) in &sheet.years {
                let Some(cell) = sheet.cell(
                    self.path,
                    dr.row,
                    col,
                    1.0,
                    COUNTRY_COLOURS,
                    &mut self.report.coloured_markers,
                )?
                else {
                    continue;
                };
                let basis = fiscal.basis(year);
                if basis == YearBasis::Calendar
                    && let Some(calendar) = self.calendar_lcu.get(&(dr.code.clone(), year))
                {
                    self.report.fiscal_duplicates += 1;
                    if !same_cell(calendar, &cell) {
                        self.report.fiscal_disagreements.push(format!(
                            "{} {year} ({}): financial-year sheet {} vs calendar sheet {} (kept)",
                            dr.code,
                            cell_ref(dr.row, col),
                            describe(&cell),
                            describe(calendar)
                        ));
                    }
                    continue;
                }
                self.push(
                    &dr.code,
                    year,
                    basis,
                    Measure::MilexLcu,
                    Unit::Lcu,
                    cell,
                    &dr.notes,
                );
            }
        }
        self.count_since(sheet, start);
        Ok(())
    }

    /// "Regional totals": world and SIPRI regions in constant US$ bn, the last column
    /// in current US$ bn.
    fn regional(&mut self, sheet: &Sheet, constant_unit: Unit) -> Result<(), IngestError> {
        let start = self.observations.len();
        let Some((current_col, current_year)) = sheet.current_prices else {
            return Err(IngestError::layout(
                self.path,
                &sheet.name,
                format!(
                    "header row {} has no 'YYYY (current prices)' column after the years",
                    sheet.header_row + 1
                ),
            ));
        };
        let omitted_col = sheet.find_column("Omitted");
        let mut omitted_notes = |r: &mut Self, row: u32, name: &str| -> Vec<String> {
            let Some(col) = omitted_col else {
                return Vec::new();
            };
            let omitted = sheet.text(row, col);
            if omitted.is_empty() {
                return Vec::new();
            }
            let key = format!("omitted:{name}");
            r.add_note(
                key.clone(),
                format!("Countries left out of SIPRI's {name} total: {omitted}."),
            );
            vec![key]
        };
        let rows = self.data_rows(sheet, None, &mut omitted_notes)?;
        for dr in rows {
            let is_total = self
                .countries
                .get(&dr.code)
                .is_some_and(|c| c.kind == EntityKind::Aggregate);
            if !is_total {
                return Err(IngestError::layout(
                    self.path,
                    &sheet.name,
                    format!(
                        "row {}: {} is not the world or a SIPRI region",
                        dr.row + 1,
                        dr.code
                    ),
                ));
            }
            let columns = sheet
                .years
                .iter()
                .map(|&(col, year)| (col, year, Measure::MilexUsdConstant))
                .chain(std::iter::once((
                    current_col,
                    current_year,
                    Measure::MilexUsdCurrent,
                )));
            for (col, year, measure) in columns {
                let Some(cell) = sheet.cell(
                    self.path,
                    dr.row,
                    col,
                    1e9,
                    REGIONAL_COLOURS,
                    &mut self.report.coloured_markers,
                )?
                else {
                    continue;
                };
                let unit = match measure {
                    Measure::MilexUsdCurrent => Unit::UsdCurrent,
                    _ => constant_unit,
                };
                self.push(
                    &dr.code,
                    year,
                    YearBasis::Calendar,
                    measure,
                    unit,
                    cell,
                    &dr.notes,
                );
            }
        }
        self.count_since(sheet, start);
        Ok(())
    }
}

fn same_cell(a: &CellValue, b: &CellValue) -> bool {
    let values = match (a.value, b.value) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * x.abs().max(y.abs()),
        _ => false,
    };
    values && a.flags == b.flags
}

fn describe(cell: &CellValue) -> String {
    let value = cell.value.map_or("none".to_string(), |v| v.to_string());
    if cell.flags.is_empty() {
        value
    } else {
        format!("{value} [{}]", cell.flags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use YearBasis::*;

    fn spans(text: &str) -> Vec<(Option<i32>, Option<i32>, YearBasis)> {
        FiscalYears::parse(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .spans()
            .iter()
            .map(|s| (s.from, s.till, s.basis))
            .collect()
    }

    #[test]
    fn fixed_fiscal_years() {
        assert_eq!(spans(""), vec![(None, None, Calendar)]);
        assert_eq!(spans("Apr-Mar"), vec![(None, None, Fiscal(4))]);
        assert_eq!(spans("Jul-Jun"), vec![(None, None, Fiscal(7))]);
        assert_eq!(spans("Oct-Sep"), vec![(None, None, Fiscal(10))]);
        assert_eq!(spans("Jan-Dec"), vec![(None, None, Calendar)]);
        assert_eq!(spans("See footnote"), vec![(None, None, Irregular)]);
        assert_eq!(
            spans("It's complicated (see footnote)"),
            vec![(None, None, Irregular)]
        );
    }

    #[test]
    fn changes_of_fiscal_year_with_a_transitional_period() {
        let fy =
            FiscalYears::parse("Till: 2001 Jul-Jun, 2002: Jul-Dec, From 2003: Jan-Dec").unwrap();
        assert_eq!(fy.basis(1990), Fiscal(7));
        assert_eq!(fy.basis(2001), Fiscal(7));
        assert_eq!(fy.basis(2002), Transitional);
        assert_eq!(fy.basis(2003), Calendar);
        assert_eq!(fy.basis(2024), Calendar);
        assert_eq!(
            spans("Till: 2008 Jan-Dec, 2009: Jan-Jun, From 2010: Jul-Jun"),
            vec![
                (None, Some(2008), Calendar),
                (Some(2009), Some(2009), Transitional),
                (Some(2010), None, Fiscal(7))
            ]
        );
        assert_eq!(
            spans("Till: 2014 Jan-Dec, 2015: Jan-Jul, From 2016: Aug-Jul"),
            vec![
                (None, Some(2014), Calendar),
                (Some(2015), Some(2015), Transitional),
                (Some(2016), None, Fiscal(8))
            ]
        );
        assert_eq!(
            spans("Till: 1970 Oct-Sep, 1971: Oct-Dec, From 1972: Jan-Dec"),
            vec![
                (None, Some(1970), Fiscal(10)),
                (Some(1971), Some(1971), Transitional),
                (Some(1972), None, Calendar)
            ]
        );
    }

    #[test]
    fn changes_without_a_transitional_period() {
        assert_eq!(
            spans("Till: 2000 Apr-Mar, From 2001: Mar-Feb"),
            vec![(None, Some(2000), Fiscal(4)), (Some(2001), None, Fiscal(3))]
        );
        let laos = FiscalYears::parse(
            "Till: 1973 Jul-Jun, From 1974 Till: 1990 Jan-Dec, From 1991: Oct-Sep",
        )
        .unwrap();
        assert_eq!(laos.basis(1973), Fiscal(7));
        assert_eq!(laos.basis(1974), Calendar);
        assert_eq!(laos.basis(1990), Calendar);
        assert_eq!(laos.basis(1991), Fiscal(10));
    }

    /// Every pattern in the 2025 release's "Fiscal Year" column parses.
    #[test]
    fn every_pattern_of_the_2025_release_parses() {
        for text in [
            "Apr-Mar",
            "Jul-Jun",
            "See footnote",
            "Oct-Sep",
            "Till: 2001 Jul-Jun, 2002: Jul-Dec, From 2003: Jan-Dec",
            "Till: 1995 Jul-Jun, 1996: Jul-Dec, From 1997: Jan-Dec",
            "Till: 2020 Jul-Jun, 2021: Jul-Dec, From 2022: Jan-Dec",
            "Till: 2008 Jul-Jun, 2009: Jul-Dec, From 2010: Jan-Dec",
            "Till: 2008 Jan-Dec, 2009: Jan-Jun, From 2010: Jul-Jun",
            "Till: 2010 Jan-Dec, 2011: Jan-Jun, From 2012: Jul-Jun",
            "Till: 1996 Jul-Jun, 1997: Jul-Dec, From 1998: Jan-Dec",
            "Till: 1956 Apr-Mar, 1957: Apr-Dec, From 1958: Jan-Dec",
            "Till: 2014 Jan-Dec, 2015: Jan-Jul, From 2016: Aug-Jul",
            "Till: 1987 Apr-Mar, 1988: Apr-Jun, From 1989: Jul-Jun",
            "Till: 2000 Apr-Mar, From 2001: Mar-Feb",
            "Till: 1957 Apr-Mar, 1958: Apr-Jun, From 1959: Jul-Jun",
            "Till: 1970 Oct-Sep, 1971: Oct-Dec, From 1972: Jan-Dec",
            "Till: 1998 Jul-Jun, 1999: Jul-Dec, From 2000: Jan-Dec",
            "Till: 2002 Jan-Dec, 2003: Jan-Mar, From 2004: Apr-Mar",
            "Till: 1999 Apr-Mar, 2000: Apr-Dec, From 2001: Jan-Dec",
            "Till: 1973 Jul-Jun, From 1974 Till: 1990 Jan-Dec, From 1991: Oct-Sep",
            "Till: 1974 Jul-Jun, 1975: Jul-Dec, From 1976: Jan-Dec",
            "Till: 2006 Jul-Jun, 2007: Jul-Dec, From 2008: Jan-Dec",
            "Till: 1973 Apr-Mar, 1974: Apr-Dec, From 1975: Jan-Dec",
            "Till: 1994 Jul-Jun, 1995: Jul-Dec, From 1996: Jan-Dec",
            "Till: 1974 Apr-Mar, 1975: Apr-Dec, From 1976: Jan-Dec",
            "Till: 1990 Apr-Mar, 1991: Apr-Dec, From 1992: Jan-Dec",
            "Till: 1968 Apr-Mar, 1969: Apr-Dec, From 1970: Jan-Dec",
        ] {
            let fy = FiscalYears::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            // Every year has a basis, and the last span is open-ended.
            assert!(fy.spans().last().unwrap().till.is_none(), "{text}");
        }
    }

    #[test]
    fn malformed_patterns_are_refused() {
        for text in [
            "Apr",
            "Till: 2001 Jul-Jun",
            "Till: 2001 Jul-Jun, From 2003: Jan-Dec",
            "From 2003: Jan-Dec",
            "Till: 20x1 Jul-Jun, From 2002: Jan-Dec",
            "Till: 2001 Jul-Jun, 2002: Jul-Dec, From 2003: Jann-Dex",
        ] {
            assert!(FiscalYears::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn notes_cells_split_into_keys() {
        assert_eq!(note_keys("§4"), vec!["§", "4"]);
        assert_eq!(note_keys("‡§¶16"), vec!["‡", "§", "¶", "16"]);
        assert_eq!(note_keys("†¶104"), vec!["†", "¶", "104"]);
        assert_eq!(note_keys("§‖1"), vec!["§", "‖", "1"]);
        assert_eq!(note_keys("37"), vec!["37"]);
        assert_eq!(note_keys(""), Vec::<String>::new());
        assert_eq!(note_keys("ǁ 3, 4"), vec!["‖", "3", "4"]);
        assert_eq!(note_keys("||5"), vec!["‖", "5"]);
    }

    #[test]
    fn missing_markers() {
        assert_eq!(missing_marker("..."), Some(Flag::NoData));
        assert_eq!(missing_marker(". ."), Some(Flag::NoData));
        assert_eq!(missing_marker(" .. "), Some(Flag::NoData));
        assert_eq!(missing_marker("…"), Some(Flag::NoData));
        assert_eq!(missing_marker("xxx"), Some(Flag::NotIndependent));
        assert_eq!(missing_marker("XXX"), Some(Flag::NotIndependent));
        assert_eq!(missing_marker("."), None);
        assert_eq!(missing_marker("n/a"), None);
    }
}
