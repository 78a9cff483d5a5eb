//! NATO's "Defence Expenditure of NATO Countries" tables (the Excel file that comes with
//! NATO's yearly press release, e.g. `240617-def-exp-2024-TABLES-en.xlsx`, June 2024).
//!
//! Reads, from `nato_defexp/` under the raw folder (the one file ending `-en.xlsx` whose
//! name holds `def-exp`; layout and spot checks in that folder's SOURCE.md):
//!
//! | sheet   | block                                   | measure                   | unit              |
//! |---------|-----------------------------------------|---------------------------|-------------------|
//! | TABLE1  | Current prices (million national cur.)  | `milex_lcu`               | `lcu`             |
//! | TABLE2  | Current prices and exchange rates       | `milex_usd_current`       | `usd_current`     |
//! | TABLE2  | Constant 2015 prices and exchange rates | `milex_usd_constant`      | `usd_constant_2015` |
//! | TABLE3  | Share of real GDP (%)                   | `milex_gdp`               | `pct_gdp`         |
//! | TABLE3  | Annual real change (%)                  | `milex_real_change`       | `pct_change`      |
//! | TABLE5  | Current prices and exchange rates (GDP) | `gdp_usd`                 | `usd_current`     |
//! | TABLE7  | Military personnel (thousands)          | `mil_personnel`           | `persons`         |
//! | TABLE8a | Equipment (a)                           | `milex_equipment_share`   | `pct_milex`       |
//!
//! Not read, because no fairshare measure holds them or they repeat other tables: Table 1's
//! constant-price block, Table 4 (a 2014/2024 summary of Tables 2 and 3), Table 5's
//! constant-price GDP, Table 6 (per-capita figures at 2015 prices), Table 8a's personnel
//! block and Table 8b (infrastructure, other).
//!
//! Quirks handled:
//! - The year header mixes numbers and text (`2014`, `'2019'`, `'2023e'`): the header row
//!   is found by content and each cell parsed; an `e` year flags every value `estimate`.
//! - Blocks within a sheet are found by their label rows, never by row number; a label
//!   fairshare does not know is an error rather than a silent misattribution.
//! - Money is in millions (thousands of persons in Table 7), checked against the sheet's
//!   units line and converted to full units; shares stay in percent.
//! - Table 1's names carry the currency (`Czechia*   (Koruny)`); `*` marks a footnote.
//!   The footnotes below each table (`Notes: ...`, `* ...`, `(a) ...`) become [`Note`]s that
//!   observations refer to; so do the title/units lines and Table 1's currency names.
//! - Hidden rows without a name (broken `#REF!` formulas) are skipped; an empty cell is no
//!   observation; an explicit no-data marker (`..`, `n.a.`, `-`) is `None` flagged `no_data`.
//! - NATO reports each Ally's fiscal year and names it by the calendar year that holds most
//!   of its months, so the years are recorded as calendar years (see the `nato` definition).

use std::collections::BTreeSet;
use std::path::Path;

use calamine::{Data, Range};

use super::{IngestError, ReaderOutput, find_file, xlsx};
use crate::model::{Flag, Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{CountryRegistry, Definition, Note, Publisher, Source};

/// The reader's folder under the raw root.
pub const FOLDER: &str = "nato_defexp";
/// NATO's English tables end `-en.xlsx` (`240617-def-exp-2024-TABLES-en.xlsx`,
/// `230707-def-exp-2023-en.xlsx`); the French ones `-fr.xlsx`.
const FILE_SUFFIX: &str = "-en.xlsx";
const FILE_MARK: &str = "def-exp";
pub const DEFINITION: &str = "nato";
const PUBLISHER: &str = "NATO Public Diplomacy Division";
const URL: &str = "https://www.nato.int/cps/en/natohq/topics_49198.htm";
const LICENCE: &str = "Public (marked UNCLASSIFIED); reuse with attribution to NATO";
const RANK: u32 = 10;

/// Cells NATO could use for "no figure"; anything else textual in a value cell is an error.
const NO_DATA_MARKS: &[&str] = &["..", "...", "-", "–", "n.a.", "n/a", "na"];

/// Read NATO's tables file from `raw_root/nato_defexp/`.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let path = find_file(&raw_root.join(FOLDER), "", FILE_SUFFIX)?;
    read_file(&path, countries)
}

/// Read one NATO tables workbook. The release date comes from the file name's `YYMMDD`
/// prefix, as NATO names its files (`240617-...` = 17 June 2024).
pub fn read_file(path: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let release = Release::from_path(path)?;
    let mut wb = xlsx::open(path)?;
    let mut out = ReaderOutput::default();
    let mut years_of_table3 = Vec::new();
    for spec in TABLES {
        let range = xlsx::sheet(&mut wb, path, spec.sheet)?;
        let table = read_table(path, &range, spec, countries, &release)?;
        if spec.sheet == "TABLE3" {
            years_of_table3 = table.years;
        }
        out.notes.extend(table.notes);
        out.observations.extend(table.observations);
    }
    out.sources.push(release.source(path, &years_of_table3));
    out.definitions.push(definition());
    Ok(out)
}

/// The `nato` definition, in fairshare's words after NATO's method notes.
pub fn definition() -> Definition {
    Definition {
        id: DEFINITION.to_string(),
        name: "NATO defence expenditure".to_string(),
        description: "Payments a national government makes, or plans to make, in its fiscal year \
            to meet the needs of its own armed forces, those of Allies or of the Alliance, as each \
            Ally's defence ministry reports them to NATO under an agreed definition. It counts the \
            armed forces whether funded by the defence ministry or other ministries; other forces \
            (gendarmerie, border or coast guards, interior-ministry troops) only in proportion to \
            the part trained in military tactics, equipped as a military force and deployable \
            under military command; military and civilian pensions paid by government; \
            peacekeeping and humanitarian operations; research and development, even for projects \
            that never reach production; equipment; the destruction of weapons and ammunition; \
            and the military part of mixed civil-military activities. Military aid counts for \
            the donor, not the recipient. War damage payments and civil defence are excluded. \
            Equipment expenditure means major equipment and the R&D devoted to it; personnel \
            expenditure includes pensions. GDP comes from the European Commission (DG ECFIN) and \
            the OECD, so figures can differ from national budgets and from SIPRI. NATO names an \
            Ally's fiscal year by the calendar year holding most of its months (Canada and the \
            United Kingdom April-March, the United States October-September), so fairshare \
            records NATO years as calendar years. The shares of GDP in NATO's Table 3 are of \
            real GDP: defence expenditure and GDP both at constant (2015) prices."
            .to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// What each sheet holds

/// One sheet fairshare reads.
struct TableSpec {
    sheet: &'static str,
    /// A word the title/units lines above the year header must contain; it guards the scale.
    units_word: Option<&'static str>,
    /// Table 1 prints the currency after the name: `Albania   (Leks)`.
    names_carry_currency: bool,
    /// The blocks the sheet may hold, found by their label rows.
    blocks: &'static [BlockSpec],
    /// For a sheet without block labels (Table 7): what its rows are.
    whole_sheet: Option<Target>,
}

/// A block: its label (lowercase prefix) and what to make of it (`None`: recognised, not read).
struct BlockSpec {
    label: &'static str,
    target: Option<Target>,
}

#[derive(Clone, Copy)]
struct Target {
    measure: Measure,
    unit: UnitRule,
    /// Multiplier to full units (1e6 for "million").
    scale: f64,
}

#[derive(Clone, Copy)]
enum UnitRule {
    Fixed(Unit),
    /// Constant US$ whose base year is read from the block label ("Constant 2015 prices").
    ConstantUsd,
}

const fn target(measure: Measure, unit: Unit, scale: f64) -> Option<Target> {
    Some(Target {
        measure,
        unit: UnitRule::Fixed(unit),
        scale,
    })
}

const MILLION: f64 = 1e6;

const TABLES: &[TableSpec] = &[
    TableSpec {
        sheet: "TABLE1",
        units_word: Some("million"),
        names_carry_currency: true,
        blocks: &[
            BlockSpec {
                label: "current prices",
                target: target(Measure::MilexLcu, Unit::Lcu, MILLION),
            },
            // Constant national currency: no fairshare measure holds it.
            BlockSpec {
                label: "constant",
                target: None,
            },
        ],
        whole_sheet: None,
    },
    TableSpec {
        sheet: "TABLE2",
        units_word: Some("million"),
        names_carry_currency: false,
        blocks: &[
            BlockSpec {
                label: "current prices",
                target: target(Measure::MilexUsdCurrent, Unit::UsdCurrent, MILLION),
            },
            BlockSpec {
                label: "constant",
                target: Some(Target {
                    measure: Measure::MilexUsdConstant,
                    unit: UnitRule::ConstantUsd,
                    scale: MILLION,
                }),
            },
        ],
        whole_sheet: None,
    },
    TableSpec {
        sheet: "TABLE3",
        units_word: None,
        names_carry_currency: false,
        blocks: &[
            BlockSpec {
                label: "share of real gdp",
                target: target(Measure::MilexGdp, Unit::PctGdp, 1.0),
            },
            BlockSpec {
                label: "annual real change",
                target: target(Measure::MilexRealChange, Unit::PctChange, 1.0),
            },
        ],
        whole_sheet: None,
    },
    TableSpec {
        sheet: "TABLE5",
        units_word: Some("million"),
        names_carry_currency: false,
        blocks: &[
            BlockSpec {
                label: "current prices",
                target: target(Measure::GdpUsd, Unit::UsdCurrent, MILLION),
            },
            // Constant-price GDP in US$: no fairshare measure holds it.
            BlockSpec {
                label: "constant",
                target: None,
            },
        ],
        whole_sheet: None,
    },
    TableSpec {
        sheet: "TABLE7",
        units_word: Some("thousand"),
        names_carry_currency: false,
        blocks: &[],
        whole_sheet: target(Measure::MilPersonnel, Unit::Persons, 1e3),
    },
    TableSpec {
        sheet: "TABLE8a",
        units_word: Some("percentage"),
        names_carry_currency: false,
        blocks: &[
            BlockSpec {
                label: "equipment",
                target: target(Measure::MilexEquipmentShare, Unit::PctMilex, 1.0),
            },
            BlockSpec {
                label: "personnel",
                target: None,
            },
        ],
        whole_sheet: None,
    },
];

// ---------------------------------------------------------------------------------------
// The release, from the file name

/// The release a file belongs to, from NATO's `YYMMDD-` file-name prefix.
struct Release {
    year: i32,
    month: u32,
    day: u32,
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
    fn from_path(path: &Path) -> Result<Release, IngestError> {
        let name = file_name(path);
        let expected = "expected NATO's tables file named like \
            240617-def-exp-2024-TABLES-en.xlsx (YYMMDD release date first)";
        if !name.to_ascii_lowercase().contains(FILE_MARK) {
            return Err(IngestError::format(
                path,
                format!("not a NATO defence-expenditure file: {expected}"),
            ));
        }
        let digits = name
            .get(..6)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()));
        let parsed = digits.and_then(|d| {
            let yy: i32 = d[0..2].parse().ok()?;
            let month: u32 = d[2..4].parse().ok()?;
            let day: u32 = d[4..6].parse().ok()?;
            ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Release {
                year: 2000 + yy,
                month,
                day,
            })
        });
        parsed.ok_or_else(|| {
            IngestError::format(
                path,
                format!("cannot tell the release date from the file name: {expected}; rename the file with its publication date"),
            )
        })
    }

    /// "June"; the month was checked to be 1-12 when the file name was read.
    fn month_name(&self) -> &'static str {
        MONTH_NAMES[(self.month as usize).clamp(1, 12) - 1]
    }

    fn source_id(&self) -> String {
        format!("nato-defexp-{}-{:02}", self.year, self.month)
    }

    fn vintage(&self) -> String {
        format!("NATO {} {}", self.month_name(), self.year)
    }

    fn source(&self, path: &Path, years: &[YearColumn]) -> Source {
        let span = match (years.first(), years.last()) {
            (Some(a), Some(b)) => format!(" ({}-{})", a.year, b.year),
            _ => String::new(),
        };
        let title = format!("Defence Expenditure of NATO Countries{span}");
        let estimates: Vec<String> = years
            .iter()
            .filter(|y| y.estimate)
            .map(|y| y.year.to_string())
            .collect();
        let date = format!("{}-{:02}-{:02}", self.year, self.month, self.day);
        let long_date = format!("{} {} {}", self.day, self.month_name(), self.year);
        Source {
            id: self.source_id(),
            publisher: PUBLISHER.to_string(),
            title: title.clone(),
            file: file_name(path),
            vintage: self.vintage(),
            released: date,
            url: URL.to_string(),
            licence: LICENCE.to_string(),
            citation: format!(
                "NATO Public Diplomacy Division, \"{title}\", press release and tables, {long_date}, file {}.",
                file_name(path)
            ),
            rank: RANK,
            note: format!(
                "Years headed 'e' ({}) are NATO estimates and carry the estimate flag. NATO reports \
                 fiscal years, named by the calendar year holding most of their months; fairshare \
                 records them as calendar years. Not read: Table 1 constant prices, Table 4, \
                 Table 5 constant prices, Table 6, Table 8a personnel, Table 8b.",
                if estimates.is_empty() {
                    "none".to_string()
                } else {
                    estimates.join(", ")
                }
            ),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Reading one sheet

/// A year column of the header: `2014`, `'2019'`, `'2023e'` (estimate).
#[derive(Debug, Clone, Copy)]
struct YearColumn {
    col: u32,
    year: i32,
    estimate: bool,
}

struct TableOutput {
    years: Vec<YearColumn>,
    notes: Vec<Note>,
    observations: Vec<Observation>,
}

/// An observation whose notes are resolved once the footnotes below the table are read.
struct Pending {
    obs: Observation,
    row_mark: Option<String>,
    block_mark: Option<String>,
    cell: String,
}

/// A footnote below the table: its marker (`notes`, `*`, `(a)`) and text.
struct Footnote {
    mark: String,
    text: String,
}

fn read_table(
    path: &Path,
    range: &Range<Data>,
    spec: &TableSpec,
    countries: &CountryRegistry,
    release: &Release,
) -> Result<TableOutput, IngestError> {
    let sheet = spec.sheet;
    let layout = |message: String| IngestError::layout(path, sheet, message);
    let (Some((top, left)), Some((bottom, right))) = (range.start(), range.end()) else {
        return Err(layout(
            "the sheet is empty; expected NATO's table".to_string(),
        ));
    };
    let cell = |r: u32, c: u32| range.get_value((r, c)).unwrap_or(&Data::Empty);

    // The header row: the first row with at least three year cells.
    let (header_row, years) = (top..=bottom)
        .find_map(|r| {
            let years: Vec<YearColumn> = (left..=right)
                .filter_map(|c| {
                    parse_year(cell(r, c)).map(|(year, estimate)| YearColumn { col: c, year, estimate })
                })
                .collect();
            (years.len() >= 3).then_some((r, years))
        })
        .ok_or_else(|| {
            layout(
                "no year header row: expected a row of years like 2014 ... '2023e', '2024e' above the data"
                    .to_string(),
            )
        })?;
    if let Some(pair) = years.windows(2).find(|p| p[1].year <= p[0].year) {
        return Err(layout(format!(
            "year header in row {} is not in increasing order ({} then {})",
            header_row + 1,
            pair[0].year,
            pair[1].year
        )));
    }
    let first_year_col = years[0].col;

    // The title and units lines above the header.
    let heading = (top..header_row)
        .flat_map(|r| (left..=right).map(move |c| (r, c)))
        .filter_map(|(r, c)| match cell(r, c) {
            Data::String(s) => Some(clean(s)),
            _ => None,
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if let Some(word) = spec.units_word
        && !heading.to_lowercase().contains(word)
    {
        return Err(layout(format!(
            "the units line above the year header should mention '{word}' (found: '{heading}')"
        )));
    }

    let key = |mark: &str| format!("{}:{}", sheet.to_lowercase(), mark);
    let source = release.source_id();
    let vintage = release.vintage();
    let mut pending: Vec<Pending> = Vec::new();
    let mut footnotes: Vec<Footnote> = Vec::new();
    let mut found_blocks = vec![false; spec.blocks.len()];
    // The block the rows below belong to; a sheet without blocks is one block.
    let mut current: Option<Block> = match spec.whole_sheet {
        Some(t) => Some(Block {
            read: Some((t, resolve_unit(t, &heading).map_err(&layout)?)),
            mark: None,
        }),
        None => None,
    };
    let mut seen: BTreeSet<(Measure, String)> = BTreeSet::new();
    let mut currencies: Vec<(String, String)> = Vec::new();

    for r in header_row + 1..=bottom {
        let row_no = r + 1;
        let label = (left..first_year_col)
            .find_map(|c| match cell(r, c) {
                Data::String(s) if !clean(s).is_empty() => Some(clean(s)),
                _ => None,
            })
            .unwrap_or_default();
        let has_values = years.iter().any(|y| !matches!(cell(r, y.col), Data::Empty));

        // Below the first footnote, text rows are footnotes (or their continuation lines).
        if !footnotes.is_empty() {
            if label.is_empty() || is_page_number(&label) {
                continue;
            }
            if has_values {
                return Err(layout(format!(
                    "row {row_no} ('{label}') holds figures below the table's notes; expected only notes there"
                )));
            }
            match footnote_start(&label) {
                Some(note) => footnotes.push(note),
                None => {
                    if let Some(last) = footnotes.last_mut() {
                        last.text.push(' ');
                        last.text.push_str(&label);
                    }
                }
            }
            continue;
        }
        // Rows without a name: empty, or hidden rows of broken formulas (#REF!).
        if label.is_empty() {
            continue;
        }
        if !has_values {
            if let Some(note) = footnote_start(&label) {
                footnotes.push(note);
                continue;
            }
            if is_page_number(&label) {
                continue;
            }
            if let Some(i) = spec
                .blocks
                .iter()
                .position(|b| normalize(&label).starts_with(b.label))
            {
                found_blocks[i] = true;
                let read = match spec.blocks[i].target {
                    None => None,
                    Some(t) => Some((
                        t,
                        resolve_unit(t, &label)
                            .map_err(|m| layout(format!("row {row_no}: {m}")))?,
                    )),
                };
                current = Some(Block {
                    read,
                    mark: trailing_letter_mark(&label),
                });
                continue;
            }
            let listed = name_of(&label, spec.names_carry_currency)
                .and_then(|(name, _, _)| countries.by_publisher_name(Publisher::Nato, &name));
            if listed.is_some() {
                // A country listed without any figures: nothing to record.
                continue;
            }
            let expected = if spec.blocks.is_empty() {
                "a country name or a note".to_string()
            } else {
                let labels: Vec<String> = spec
                    .blocks
                    .iter()
                    .map(|b| format!("'{}...'", b.label))
                    .collect();
                format!(
                    "a block label ({}), a country name or a note",
                    labels.join(", ")
                )
            };
            return Err(layout(format!(
                "row {row_no}: unexpected row '{label}'; expected {expected}"
            )));
        }

        // A data row of the current block (skipped in blocks fairshare does not read).
        let Some(block) = &current else {
            return Err(layout(format!(
                "row {row_no} ('{label}') comes before any block label; expected a label row \
                 such as '{}...' first",
                spec.blocks.first().map_or("", |b| b.label)
            )));
        };
        let Some((target, unit)) = block.read else {
            continue;
        };
        let block_mark = block.mark.clone();
        let (name, currency, row_mark) =
            name_of(&label, spec.names_carry_currency).ok_or_else(|| {
                layout(format!(
                    "row {row_no}: cannot read a country name from '{label}'"
                ))
            })?;
        let country = countries
            .by_publisher_name(Publisher::Nato, &name)
            .ok_or_else(|| {
                layout(format!(
                    "row {row_no}: '{name}' is not a NATO country name fairshare knows; add it to the \
                     nato column of registry/countries.csv"
                ))
            })?
            .code
            .clone();
        if !seen.insert((target.measure, country.clone())) {
            return Err(layout(format!(
                "row {row_no}: '{name}' appears twice in the {} block",
                target.measure
            )));
        }
        if let Some(currency) = currency
            && !currencies.iter().any(|(c, _)| *c == name)
        {
            currencies.push((name.clone(), currency));
        }
        for y in &years {
            let at = format!("{}{}", column_letters(y.col), row_no);
            let (value, mut flags) = match cell(r, y.col) {
                Data::Empty => continue,
                Data::Float(v) => (Some(v * target.scale), Flags::EMPTY),
                Data::Int(v) => (Some(*v as f64 * target.scale), Flags::EMPTY),
                Data::String(s) if NO_DATA_MARKS.contains(&s.trim().to_lowercase().as_str()) => {
                    (None, Flags::EMPTY.with(Flag::NoData))
                }
                other => {
                    return Err(layout(format!(
                        "cell {at} ('{name}', {}): expected a number, found '{other}'",
                        y.year
                    )));
                }
            };
            if y.estimate {
                flags.insert(Flag::Estimate);
            }
            pending.push(Pending {
                obs: Observation {
                    country: country.clone(),
                    year: y.year,
                    year_basis: YearBasis::Calendar,
                    measure: target.measure,
                    definition: DEFINITION.to_string(),
                    value,
                    unit,
                    source: source.clone(),
                    vintage: vintage.clone(),
                    flags,
                    notes: String::new(),
                },
                row_mark: row_mark.clone(),
                block_mark: block_mark.clone(),
                cell: at,
            });
        }
    }

    for (block, found) in spec.blocks.iter().zip(&found_blocks) {
        if block.target.is_some() && !found {
            return Err(layout(format!(
                "no block labelled '{}...' below the year header; expected NATO's block label row",
                block.label
            )));
        }
    }
    if pending.is_empty() {
        return Err(layout("no figures found below the year header".to_string()));
    }

    // Notes: the heading, the general notes, Table 1's currencies, and the marked footnotes
    // the observations refer to.
    let mut notes: Vec<Note> = Vec::new();
    let mut common: Vec<String> = Vec::new();
    let add_note = |notes: &mut Vec<Note>, mark: &str, text: String| {
        notes.push(Note {
            source: source.clone(),
            key: key(mark),
            text,
        });
    };
    if !heading.is_empty() {
        add_note(&mut notes, "units", heading.clone());
        common.push(key("units"));
    }
    let general: Vec<&str> = footnotes
        .iter()
        .filter(|f| f.mark == "notes")
        .map(|f| f.text.as_str())
        .collect();
    if !general.is_empty() {
        add_note(&mut notes, "notes", general.join(" "));
        common.push(key("notes"));
    }
    if !currencies.is_empty() {
        let list: Vec<String> = currencies
            .iter()
            .map(|(n, c)| format!("{n}: {c}"))
            .collect();
        add_note(
            &mut notes,
            "currency",
            format!(
                "Currency of each Ally's figures as NATO names it: {}.",
                list.join("; ")
            ),
        );
        common.push(key("currency"));
    }
    let mut used_marks: Vec<String> = Vec::new();
    for p in &pending {
        for mark in [&p.row_mark, &p.block_mark].into_iter().flatten() {
            if !footnotes.iter().any(|f| &f.mark == mark) {
                return Err(layout(format!(
                    "cell {} refers to footnote '{mark}' but no note starting '{mark}' was found below the table",
                    p.cell
                )));
            }
            if !used_marks.contains(mark) {
                used_marks.push(mark.clone());
            }
        }
    }
    for f in &footnotes {
        if used_marks.contains(&f.mark) && !notes.iter().any(|n| n.key == key(&f.mark)) {
            add_note(&mut notes, &f.mark, f.text.clone());
        }
    }
    let observations = pending
        .into_iter()
        .map(|p| {
            let mut keys = common.clone();
            keys.extend(
                [p.block_mark, p.row_mark]
                    .into_iter()
                    .flatten()
                    .map(|m| key(&m)),
            );
            Observation {
                notes: keys.join(";"),
                ..p.obs
            }
        })
        .collect();
    Ok(TableOutput {
        years,
        notes,
        observations,
    })
}

/// The block being read: what its rows are (`None`: not read) and its footnote mark.
struct Block {
    read: Option<(Target, Unit)>,
    mark: Option<String>,
}

/// The unit of a block, reading a constant-price base year from its label
/// ("Constant 2015 prices and exchange rates").
fn resolve_unit(t: Target, label: &str) -> Result<Unit, String> {
    match t.unit {
        UnitRule::Fixed(u) => Ok(u),
        UnitRule::ConstantUsd => constant_usd_unit(label).ok_or_else(|| {
            format!(
                "block '{label}' has no base year fairshare knows (expected 'Constant 2015 prices' \
                 or 'Constant 2023 prices'; a new base year needs a new unit in model.rs)"
            )
        }),
    }
}

/// A header cell as a year: `2014`, `2014.0`, `'2019'`, `'2023e'` (estimate).
fn parse_year(cell: &Data) -> Option<(i32, bool)> {
    let in_range = |y: i64| (1900..=2100).contains(&y).then_some(y as i32);
    match cell {
        Data::Int(i) => in_range(*i).map(|y| (y, false)),
        Data::Float(f) if f.fract() == 0.0 => in_range(*f as i64).map(|y| (y, false)),
        Data::String(s) => {
            let t = s.trim();
            let (digits, estimate) = match t.strip_suffix(['e', 'E']) {
                Some(d) => (d.trim_end(), true),
                None => (t, false),
            };
            if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            in_range(digits.parse().ok()?).map(|y| (y, estimate))
        }
        _ => None,
    }
}

/// The name in a row label, the currency Table 1 prints after it, and its footnote mark:
/// `Czechia*   (Koruny)` -> (`Czechia`, `Koruny`, `*`).
fn name_of(
    label: &str,
    carries_currency: bool,
) -> Option<(String, Option<String>, Option<String>)> {
    let (name, currency) = match (carries_currency, label.find('(')) {
        (true, Some(open)) => {
            let inner = label[open + 1..].trim_end().trim_end_matches(')').trim();
            (label[..open].trim(), Some(inner.to_string()))
        }
        _ => (label.trim(), None),
    };
    let bare = name.trim_end_matches('*').trim_end();
    let mark = &name[bare.len()..].trim();
    if bare.is_empty() {
        return None;
    }
    let mark = (!mark.is_empty()).then(|| mark.to_string());
    Some((bare.to_string(), currency, mark))
}

/// The start of a footnote: `Notes: ...`, `* ...`, `(a) ...`.
fn footnote_start(text: &str) -> Option<Footnote> {
    let lower = text.to_lowercase();
    for prefix in ["notes:", "note:"] {
        if lower.starts_with(prefix) {
            return Some(Footnote {
                mark: "notes".to_string(),
                text: text[prefix.len()..].trim().to_string(),
            });
        }
    }
    let stars = text.len() - text.trim_start_matches('*').len();
    if stars > 0 {
        return Some(Footnote {
            mark: text[..stars].to_string(),
            text: text[stars..].trim().to_string(),
        });
    }
    let mark = leading_letter_mark(text)?;
    Some(Footnote {
        text: text[mark.len()..].trim().to_string(),
        mark,
    })
}

/// `(a)` at the start of a text.
fn leading_letter_mark(text: &str) -> Option<String> {
    let close = text.find(')')?;
    let mark = &text[..=close];
    is_letter_mark(mark).then(|| mark.to_string())
}

/// `(a)` at the end of a block label: `Equipment (a)`.
fn trailing_letter_mark(label: &str) -> Option<String> {
    let open = label.rfind('(')?;
    let mark = label[open..].trim_end();
    is_letter_mark(mark).then(|| mark.to_string())
}

fn is_letter_mark(mark: &str) -> bool {
    let inner = mark.strip_prefix('(').and_then(|m| m.strip_suffix(')'));
    inner.is_some_and(|i| (1..=2).contains(&i.len()) && i.bytes().all(|b| b.is_ascii_lowercase()))
}

/// NATO's page numbers below each table: `-9-`.
fn is_page_number(text: &str) -> bool {
    let inner = text.trim().trim_matches('-').trim();
    text.trim().starts_with('-') && !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit())
}

/// The unit of a "Constant 2015 prices and exchange rates" block.
fn constant_usd_unit(label: &str) -> Option<Unit> {
    let year = label
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 4)?;
    match year {
        "2015" => Some(Unit::UsdConstant2015),
        "2023" => Some(Unit::UsdConstant2023),
        _ => None,
    }
}

/// Trimmed, with non-breaking spaces as spaces (NATO's notes contain them).
fn clean(s: &str) -> String {
    s.replace('\u{a0}', " ").trim().to_string()
}

/// Lowercase with single spaces, for matching block labels.
fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `0` -> `A`, `27` -> `AB`.
fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use rust_xlsxwriter::{Workbook, Worksheet};

    use super::*;
    use crate::registry::builtin_countries;

    const FILE: &str = "240617-def-exp-2024-TABLES-en.xlsx";
    const STAR: &str = "*  These Allies have national laws or political agreements which call for 2% of \
        GDP or more to be spent on defence annually.\u{a0}";
    const AGGREGATES_NOTE: &str = "Notes: Figures for 2023 and 2024 are estimates. The NATO Europe \
        and Canada and NATO Total aggregates from 2024 onwards include Sweden.";

    /// A cell of the fixture: a number, a text, or nothing.
    #[derive(Clone, Copy)]
    enum V {
        N(f64),
        S(&'static str),
        E,
    }
    use V::{E, N, S};

    /// One row: its label, whether it sits in the outer (aggregate) column, its four years.
    type Row = (&'static str, bool, [V; 4]);

    /// One sheet in NATO's layout: title and units lines, the year header, labelled
    /// blocks (country rows one column right of the block labels and aggregates), notes.
    struct Sheet {
        name: &'static str,
        title: &'static str,
        units: &'static str,
        /// Row of the title line; the header sits 4 rows below (NATO: title B4, header row 8).
        top: u32,
        /// Column of block labels and aggregates (NATO: B; C in Table 7).
        left: u16,
        header: [V; 4],
        blocks: Vec<(Option<&'static str>, Vec<Row>)>,
        notes: Vec<&'static str>,
    }

    const YEARS: [V; 4] = [N(2021.0), S("2022"), S("2023e"), S("2024e")];

    impl Sheet {
        fn write(&self, ws: &mut Worksheet) {
            ws.set_name(self.name).unwrap();
            let (top, left) = (self.top, self.left);
            ws.write_string(top, left, self.title).unwrap();
            ws.write_string(top + 2, left, self.units).unwrap();
            write_cells(ws, top + 4, left + 2, &self.header);
            let mut row = top + 6;
            for (label, rows) in &self.blocks {
                if let Some(label) = label {
                    ws.write_string(row, left, *label).unwrap();
                    row += 1;
                }
                for (name, aggregate, values) in rows {
                    let col = if *aggregate { left } else { left + 1 };
                    ws.write_string(row, col, *name).unwrap();
                    write_cells(ws, row, left + 2, values);
                    row += 1;
                }
                // NATO's hidden rows of broken formulas: no name, #REF! values.
                write_cells(ws, row, left + 2, &[S("#REF!"), S("#REF!"), E, E]);
                row += 1;
            }
            row += 2;
            for note in &self.notes {
                ws.write_string(row, left + 1, *note).unwrap();
                row += 1;
            }
            ws.write_string(row + 1, left, "-9-").unwrap();
        }
    }

    fn write_cells(ws: &mut Worksheet, row: u32, first_col: u16, values: &[V]) {
        for (i, v) in values.iter().enumerate() {
            let col = first_col + i as u16;
            match v {
                N(x) => {
                    ws.write_number(row, col, *x).unwrap();
                }
                S(s) => {
                    ws.write_string(row, col, *s).unwrap();
                }
                E => {}
            }
        }
    }

    /// The fixture's sheets, in NATO's layout with its quirks.
    fn sheets() -> Vec<Sheet> {
        let table = |name, title, units, blocks, notes| Sheet {
            name,
            title,
            units,
            top: 3,
            left: 1,
            header: YEARS,
            blocks,
            notes,
        };
        vec![
            table(
                "TABLE1",
                "Table 1 : Defence expenditure",
                "Million national currency units",
                vec![
                    (
                        Some("Current prices"),
                        vec![
                            (
                                "Poland*   (Zlotys)",
                                false,
                                [N(58304.326), N(68360.661), N(111226.101), N(151240.714)],
                            ),
                            (
                                "United States   (US dollars)",
                                false,
                                [N(824094.0), N(834977.0), N(875603.0), N(967707.0)],
                            ),
                        ],
                    ),
                    (
                        Some("Constant 2015 prices "),
                        vec![(
                            "Poland*   (Zlotys)",
                            false,
                            [N(49925.15), N(53087.24), N(77831.83), N(101236.31)],
                        )],
                    ),
                ],
                vec!["Notes: Figures for 2023 and 2024 are estimates. ", STAR],
            ),
            table(
                "TABLE2",
                "Table 2 : Defence expenditure",
                "Million US dollars",
                vec![
                    (
                        Some("Current prices and exchange rates"),
                        vec![
                            (
                                "Poland*",
                                false,
                                [N(13000.5), N(15000.25), N(26000.0), N(34974.5)],
                            ),
                            (
                                "United States",
                                false,
                                [N(824094.0), N(834977.0), N(875603.0), N(967707.0)],
                            ),
                            (
                                "NATO Total",
                                true,
                                [N(1182929.9), N(1190359.4), N(1294807.6), N(1474399.5)],
                            ),
                        ],
                    ),
                    (
                        Some("Constant 2015 prices and exchange rates"),
                        vec![
                            (
                                "Poland*",
                                false,
                                [N(13235.5), N(14073.8), N(20633.8), N(26838.5)],
                            ),
                            (
                                "NATO Total",
                                true,
                                [N(1056492.0), N(1037111.4), N(1068568.3), N(1184796.4)],
                            ),
                        ],
                    ),
                ],
                vec![AGGREGATES_NOTE, STAR],
            ),
            table3(),
            table(
                "TABLE5",
                "Table 5 : GDP",
                "Million US dollars",
                vec![
                    (
                        Some("Current prices and exchange rates"),
                        vec![
                            (
                                "Iceland",
                                false,
                                [N(25797.99), N(28701.99), N(31019.99), N(32894.49)],
                            ),
                            (
                                "NATO Total",
                                true,
                                [N(45461044.6), N(47415619.6), N(51139520.5), N(53976437.0)],
                            ),
                        ],
                    ),
                    (
                        Some("Constant 2015 prices and exchange rates"),
                        vec![("Iceland", false, [N(1.0), N(2.0), N(3.0), N(4.0)])],
                    ),
                ],
                vec![AGGREGATES_NOTE],
            ),
            Sheet {
                name: "TABLE7",
                title: "Table 7 : Military personnel",
                units: "Thousands",
                top: 15,
                left: 2,
                header: YEARS,
                blocks: vec![(
                    None,
                    vec![
                        (
                            "Poland",
                            false,
                            [N(166.793), N(176.048), N(206.504), N(216.081)],
                        ),
                        (
                            "NATO Total",
                            true,
                            [N(3317.306), N(3285.165), N(3319.939), N(3418.609)],
                        ),
                    ],
                )],
                notes: vec![AGGREGATES_NOTE],
            },
            table(
                "TABLE8a",
                "Table 8a : Distribution of defence expenditure by main category",
                "Percentage of total defence expenditure",
                vec![
                    (
                        Some("Equipment (a)"),
                        vec![("Poland", false, [N(33.89), N(32.42), N(44.73), N(51.13)])],
                    ),
                    (
                        Some("Personnel (b)"),
                        vec![("Poland", false, [N(43.55), N(42.72), N(31.92), N(29.52)])],
                    ),
                ],
                vec![
                    "Notes: Figures for 2023 and 2024 are estimates.",
                    "(a) Equipment expenditure includes major equipment expenditure and R&D devoted to major equipment.",
                    "(b) Personnel expenditure includes military and civilian expenditure and pensions.",
                ],
            ),
        ]
    }

    fn table3() -> Sheet {
        Sheet {
            name: "TABLE3",
            title: "Table 3 : Defence expenditure as a share of GDP and annual real change",
            units: "Based on 2015 prices",
            top: 3,
            left: 1,
            header: YEARS,
            blocks: vec![
                (
                    Some("Share of real GDP (%)"),
                    vec![
                        (
                            "Poland*",
                            false,
                            [
                                N(2.2158163573412506),
                                N(2.225308373618372),
                                N(3.260153162516579),
                                N(4.120190989357147),
                            ],
                        ),
                        ("Slovak Republic", false, [E, S(".."), N(1.84), N(2.0)]),
                        ("NATO Total", true, [N(2.63), N(2.51), N(2.53), N(2.71)]),
                    ],
                ),
                (
                    Some("Annual real change (%)"),
                    vec![("Poland*", false, [N(6.13), N(6.33), N(46.61), N(30.07)])],
                ),
            ],
            notes: vec![AGGREGATES_NOTE, STAR],
        }
    }

    fn write_fixture(dir: &Path, name: &str, sheets: &[Sheet]) -> PathBuf {
        let path = dir.join(name);
        let mut wb = Workbook::new();
        for sheet in sheets {
            sheet.write(wb.add_worksheet());
        }
        wb.save(&path).unwrap();
        path
    }

    /// The fixture with one change to TABLE3.
    fn with_table3(dir: &Path, change: impl FnOnce(&mut Sheet)) -> PathBuf {
        let mut all = sheets();
        let t3 = all.iter_mut().find(|s| s.name == "TABLE3").unwrap();
        change(t3);
        write_fixture(dir, FILE, &all)
    }

    fn read_fixture(path: &Path) -> Result<ReaderOutput, IngestError> {
        read_file(path, &builtin_countries())
    }

    fn of(out: &ReaderOutput, measure: Measure) -> Vec<&Observation> {
        out.observations
            .iter()
            .filter(|o| o.measure == measure)
            .collect()
    }

    fn value(out: &ReaderOutput, country: &str, measure: Measure, year: i32) -> Option<f64> {
        out.observations
            .iter()
            .find(|o| o.country == country && o.measure == measure && o.year == year)
            .and_then(|o| o.value)
    }

    #[test]
    fn fixture_table3_gives_exact_observations() {
        let dir = tempfile::tempdir().unwrap();
        let out = read_fixture(&write_fixture(dir.path(), FILE, &sheets())).unwrap();
        let got: Vec<(String, Measure, i32, Option<f64>, String, String)> = out
            .observations
            .iter()
            .filter(|o| matches!(o.measure, Measure::MilexGdp | Measure::MilexRealChange))
            .map(|o| {
                assert_eq!(o.source, "nato-defexp-2024-06");
                assert_eq!(o.vintage, "NATO June 2024");
                assert_eq!(o.definition, "nato");
                assert_eq!(o.year_basis, YearBasis::Calendar);
                let unit = if o.measure == Measure::MilexGdp {
                    Unit::PctGdp
                } else {
                    Unit::PctChange
                };
                assert_eq!(o.unit, unit);
                (
                    o.country.clone(),
                    o.measure,
                    o.year,
                    o.value,
                    o.flags.to_string(),
                    o.notes.clone(),
                )
            })
            .collect();
        let star = "table3:units;table3:notes;table3:*".to_string();
        let plain = "table3:units;table3:notes".to_string();
        let row = |c: &str, m, y, v: Option<f64>, f: &str, n: &String| {
            (c.to_string(), m, y, v, f.to_string(), n.clone())
        };
        use Measure::{MilexGdp as Gdp, MilexRealChange as Chg};
        let expected = vec![
            row("POL", Gdp, 2021, Some(2.2158163573412506), "", &star),
            row("POL", Gdp, 2022, Some(2.225308373618372), "", &star),
            row("POL", Gdp, 2023, Some(3.260153162516579), "estimate", &star),
            row("POL", Gdp, 2024, Some(4.120190989357147), "estimate", &star),
            // Empty 2021: no observation; '..': no figure, flagged.
            row("SVK", Gdp, 2022, None, "no_data", &plain),
            row("SVK", Gdp, 2023, Some(1.84), "estimate", &plain),
            row("SVK", Gdp, 2024, Some(2.0), "estimate", &plain),
            row("NATO", Gdp, 2021, Some(2.63), "", &plain),
            row("NATO", Gdp, 2022, Some(2.51), "", &plain),
            row("NATO", Gdp, 2023, Some(2.53), "estimate", &plain),
            row("NATO", Gdp, 2024, Some(2.71), "estimate", &plain),
            row("POL", Chg, 2021, Some(6.13), "", &star),
            row("POL", Chg, 2022, Some(6.33), "", &star),
            row("POL", Chg, 2023, Some(46.61), "estimate", &star),
            row("POL", Chg, 2024, Some(30.07), "estimate", &star),
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn fixture_money_personnel_and_equipment_in_full_units() {
        let dir = tempfile::tempdir().unwrap();
        let out = read_fixture(&write_fixture(dir.path(), FILE, &sheets())).unwrap();

        // Table 1: current prices only (the constant block has no measure), million -> units.
        let lcu = of(&out, Measure::MilexLcu);
        assert_eq!(lcu.len(), 8);
        assert!(lcu.iter().all(|o| o.unit == Unit::Lcu));
        assert_eq!(
            value(&out, "POL", Measure::MilexLcu, 2024),
            Some(151240.714 * 1e6)
        );
        assert_eq!(
            value(&out, "USA", Measure::MilexLcu, 2021),
            Some(824094.0 * 1e6)
        );
        assert_eq!(
            lcu[0].notes,
            "table1:units;table1:notes;table1:currency;table1:*"
        );
        assert_eq!(lcu[4].notes, "table1:units;table1:notes;table1:currency");

        // Table 2: both blocks, the constant one in 2015 dollars.
        assert_eq!(of(&out, Measure::MilexUsdCurrent).len(), 12);
        let constant = of(&out, Measure::MilexUsdConstant);
        assert_eq!(constant.len(), 8);
        assert!(constant.iter().all(|o| o.unit == Unit::UsdConstant2015));
        assert_eq!(
            value(&out, "NATO", Measure::MilexUsdCurrent, 2024),
            Some(1474399.5 * 1e6)
        );
        assert_eq!(
            value(&out, "POL", Measure::MilexUsdConstant, 2022),
            Some(14073.8 * 1e6)
        );

        // Table 5: current-price GDP, Iceland included; the constant block is not read.
        let gdp = of(&out, Measure::GdpUsd);
        assert_eq!(gdp.len(), 8);
        assert_eq!(
            value(&out, "ISL", Measure::GdpUsd, 2021),
            Some(25797.99 * 1e6)
        );

        // Table 7 (shifted one column and further down): thousands -> persons.
        assert_eq!(of(&out, Measure::MilPersonnel).len(), 8);
        assert_eq!(
            value(&out, "POL", Measure::MilPersonnel, 2024),
            Some(216.081 * 1e3)
        );
        assert_eq!(
            value(&out, "NATO", Measure::MilPersonnel, 2021),
            Some(3317.306 * 1e3)
        );

        // Table 8a: the equipment block only, with its (a) footnote.
        let eq = of(&out, Measure::MilexEquipmentShare);
        assert_eq!(eq.len(), 4);
        assert_eq!(eq[3].value, Some(51.13));
        assert_eq!(eq[3].unit, Unit::PctMilex);
        assert_eq!(eq[3].flags, Flags::EMPTY.with(Flag::Estimate));
        assert_eq!(eq[3].notes, "table8a:units;table8a:notes;table8a:(a)");

        assert_eq!(out.observations.len(), 8 + 12 + 8 + 15 + 8 + 8 + 4);
    }

    #[test]
    fn fixture_notes_source_and_definition() {
        let dir = tempfile::tempdir().unwrap();
        let out = read_fixture(&write_fixture(dir.path(), FILE, &sheets())).unwrap();
        let note = |key: &str| {
            out.notes
                .iter()
                .find(|n| n.key == key)
                .map(|n| n.text.as_str())
                .unwrap_or_else(|| panic!("no note {key}"))
        };
        assert_eq!(
            note("table3:*"),
            "These Allies have national laws or political agreements which call for 2% of GDP or \
             more to be spent on defence annually."
        );
        assert!(note("table3:notes").starts_with("Figures for 2023 and 2024 are estimates."));
        assert_eq!(
            note("table3:units"),
            "Table 3 : Defence expenditure as a share of GDP and annual real change; Based on 2015 prices"
        );
        assert_eq!(
            note("table1:currency"),
            "Currency of each Ally's figures as NATO names it: Poland: Zlotys; United States: US dollars."
        );
        assert!(note("table8a:(a)").starts_with("Equipment expenditure includes major equipment"));
        // The personnel footnote belongs to a block that is not read.
        assert!(out.notes.iter().all(|n| n.key != "table8a:(b)"));
        assert!(out.notes.iter().all(|n| n.source == "nato-defexp-2024-06"));
        // Every key an observation refers to is a note.
        for o in &out.observations {
            for key in o.notes.split(';') {
                assert!(out.notes.iter().any(|n| n.key == key), "{key}");
            }
        }

        let [source] = out.sources.as_slice() else {
            panic!("one source")
        };
        assert_eq!(source.id, "nato-defexp-2024-06");
        assert_eq!(
            source.title,
            "Defence Expenditure of NATO Countries (2021-2024)"
        );
        assert_eq!(source.file, FILE);
        assert_eq!(source.vintage, "NATO June 2024");
        assert_eq!(source.released, "2024-06-17");
        assert_eq!(source.publisher, "NATO Public Diplomacy Division");
        assert_eq!(source.rank, 10);
        assert!(source.note.contains("(2023, 2024)"), "{}", source.note);
        let [def] = out.definitions.as_slice() else {
            panic!("one definition")
        };
        assert_eq!(def.id, "nato");
        assert!(def.description.contains("real GDP"));
    }

    #[test]
    fn fixture_is_read_the_same_by_folder_and_assembles() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(FOLDER);
        std::fs::create_dir(&folder).unwrap();
        let path = write_fixture(&folder, FILE, &sheets());
        std::fs::write(folder.join("SOURCE.md"), "notes").unwrap();
        let by_folder = read(dir.path(), &builtin_countries()).unwrap();
        let by_file = read_fixture(&path).unwrap();
        assert_eq!(by_folder.observations, by_file.observations);
        assert_eq!(by_folder.notes, by_file.notes);
        // The dataset accepts it: known codes, units that fit their measures, no duplicates.
        crate::ingest::assemble(builtin_countries(), by_folder).unwrap();
    }

    #[test]
    fn header_and_blocks_are_found_wherever_they_sit() {
        let dir = tempfile::tempdir().unwrap();
        let base = read_fixture(&write_fixture(dir.path(), FILE, &sheets())).unwrap();
        let moved = tempfile::tempdir().unwrap();
        let path = with_table3(moved.path(), |t| t.top = 11);
        assert_eq!(read_fixture(&path).unwrap().observations, base.observations);
    }

    fn layout_error(path: &Path) -> String {
        match read_fixture(path) {
            Err(e @ IngestError::Layout { .. }) => e.to_string(),
            other => panic!("expected a layout error, got {other:?}"),
        }
    }

    #[test]
    fn missing_and_unreadable_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let err = read(dir.path(), &builtin_countries()).unwrap_err();
        assert!(matches!(err, IngestError::Missing { .. }), "{err}");
        assert!(err.to_string().contains("nato_defexp"), "{err}");

        std::fs::create_dir(dir.path().join(FOLDER)).unwrap();
        let err = read(dir.path(), &builtin_countries()).unwrap_err();
        assert!(err.to_string().contains("-en.xlsx"), "{err}");

        let err = read_fixture(&dir.path().join(FILE)).unwrap_err();
        assert!(matches!(err, IngestError::Missing { .. }), "{err}");

        let fake = dir.path().join(FOLDER).join(FILE);
        std::fs::write(&fake, "Country,2024\nPoland,4.12\n").unwrap();
        let err = read_fixture(&fake).unwrap_err();
        assert!(matches!(err, IngestError::NotWorkbook { .. }), "{err}");
        assert!(err.to_string().contains(FILE), "{err}");
    }

    #[test]
    fn a_file_name_without_release_date_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_fixture(dir.path(), "def-exp-2025-en.xlsx", &sheets());
        let err = read_fixture(&path).unwrap_err().to_string();
        assert!(
            err.contains("def-exp-2025-en.xlsx") && err.contains("release date"),
            "{err}"
        );
    }

    #[test]
    fn a_renamed_sheet_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = layout_error(&with_table3(dir.path(), |t| t.name = "Table 3"));
        assert!(
            err.contains(FILE) && err.contains("'TABLE3'") && err.contains("sheet not found"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_year_header_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = layout_error(&with_table3(dir.path(), |t| {
            t.header = [S("Year 1"), S("Year 2"), S("Year 3"), S("Year 4")]
        }));
        assert!(
            err.contains(FILE) && err.contains("'TABLE3'") && err.contains("no year header row"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_block_label_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = layout_error(&with_table3(dir.path(), |t| {
            t.blocks[1].0 = Some("Real change (%)")
        }));
        assert!(
            err.contains("'TABLE3'") && err.contains("unexpected row 'Real change (%)'"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_block_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = layout_error(&with_table3(dir.path(), |t| {
            t.blocks.truncate(1);
        }));
        assert!(
            err.contains("no block labelled 'annual real change"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_country_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = layout_error(&with_table3(dir.path(), |t| {
            t.blocks[0]
                .1
                .push(("Narnia", false, [N(1.0), N(1.0), N(1.0), N(1.0)]))
        }));
        assert!(
            err.contains("'Narnia'") && err.contains("registry/countries.csv"),
            "{err}"
        );
    }

    #[test]
    fn text_in_a_value_cell_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = layout_error(&with_table3(dir.path(), |t| {
            t.blocks[0].1[0].2[1] = S("see note")
        }));
        assert!(
            err.contains("cell E11") && err.contains("see note"),
            "{err}"
        );
    }

    #[test]
    fn a_footnote_mark_without_its_note_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = layout_error(&with_table3(dir.path(), |t| {
            t.notes.pop();
        }));
        assert!(err.contains("footnote '*'"), "{err}");
    }

    #[test]
    fn an_unknown_constant_price_base_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut all = sheets();
        all[1].blocks[1].0 = Some("Constant 2021 prices and exchange rates");
        let err = layout_error(&write_fixture(dir.path(), FILE, &all));
        assert!(
            err.contains("'TABLE2'") && err.contains("base year"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_units_line_is_a_layout_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut all = sheets();
        all[1].units = "Billion US dollars";
        let err = layout_error(&write_fixture(dir.path(), FILE, &all));
        assert!(
            err.contains("'TABLE2'") && err.contains("'million'"),
            "{err}"
        );
    }

    #[test]
    fn header_cells_parse_as_years() {
        assert_eq!(parse_year(&Data::Float(2014.0)), Some((2014, false)));
        assert_eq!(parse_year(&Data::Int(2020)), Some((2020, false)));
        assert_eq!(
            parse_year(&Data::String("2019".into())),
            Some((2019, false))
        );
        assert_eq!(
            parse_year(&Data::String(" 2024e ".into())),
            Some((2024, true))
        );
        assert_eq!(
            parse_year(&Data::String("Real change 2014-2024e (%)".into())),
            None
        );
        assert_eq!(parse_year(&Data::Float(3.71)), None);
        assert_eq!(
            name_of("Czechia*   (Koruny)", true),
            Some(("Czechia".into(), Some("Koruny".into()), Some("*".into())))
        );
        assert_eq!(
            name_of("NATO Total", false),
            Some(("NATO Total".into(), None, None))
        );
        assert!(is_page_number("-15-"));
        assert!(!is_page_number("-"));
        assert_eq!(column_letters(27), "AB");
    }

    /// The raw folder: `$FAIRSHARE_RAW`, else `shared/data/raw` beside the checkout.
    fn raw_dir() -> PathBuf {
        match std::env::var_os("FAIRSHARE_RAW") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/data/raw"
            )),
        }
    }

    /// Spot checks from `nato_defexp/SOURCE.md`, plus values read off the workbook by hand.
    #[test]
    fn real_file_matches_published_figures() {
        let raw = raw_dir();
        if !raw.join(FOLDER).is_dir() {
            println!("raw files absent: skipped real_file_matches_published_figures");
            return;
        }
        let out = read(&raw, &builtin_countries()).unwrap();
        let get = |country: &str, measure: Measure, year: i32| {
            out.observations
                .iter()
                .find(|o| o.country == country && o.measure == measure && o.year == year)
                .unwrap_or_else(|| panic!("no {country} {measure} {year}"))
        };
        let pct = |country, year| {
            let v = get(country, Measure::MilexGdp, year).value.unwrap();
            (v * 100.0).round() / 100.0
        };
        assert_eq!(pct("USA", 2014), 3.71);
        assert_eq!(pct("USA", 2022), 3.31);
        assert_eq!(pct("USA", 2024), 3.38);
        assert!(
            get("USA", Measure::MilexGdp, 2024)
                .flags
                .contains(Flag::Estimate)
        );
        assert!(
            !get("USA", Measure::MilexGdp, 2022)
                .flags
                .contains(Flag::Estimate)
        );
        assert_eq!(pct("DEU", 2024), 2.12);
        assert_eq!(pct("NATO", 2024), 2.71);
        assert_eq!(pct("POL", 2024), 4.12);
        assert_eq!(pct("ALB", 2014), 1.35);
        assert!(
            get("POL", Measure::MilexGdp, 2024)
                .notes
                .contains("table3:*")
        );

        let close = |a: f64, b: f64| (a - b).abs() <= b.abs() * 1e-12;
        // Checked by hand in the workbook (TABLE1 N32, TABLE2 D41 and N77, TABLE8a N32, N21).
        assert!(close(
            get("POL", Measure::MilexLcu, 2024).value.unwrap(),
            151_240.714e6
        ));
        assert!(close(
            get("USA", Measure::MilexUsdCurrent, 2014).value.unwrap(),
            653_942e6
        ));
        let nato_const = get("NATO", Measure::MilexUsdConstant, 2024);
        assert!(close(nato_const.value.unwrap(), 1_184_796.447_157_483_5e6));
        assert_eq!(nato_const.unit, Unit::UsdConstant2015);
        let eq =
            |c, y| (get(c, Measure::MilexEquipmentShare, y).value.unwrap() * 100.0).round() / 100.0;
        assert_eq!(eq("POL", 2024), 51.13);
        assert_eq!(eq("DEU", 2024), 28.75);
        assert!(close(
            get("USA", Measure::MilPersonnel, 2024).value.unwrap(),
            1_300_210.0
        ));
        assert!(close(
            get("USA", Measure::GdpUsd, 2024).value.unwrap(),
            28_719_941.556_979_1e6
        ));

        let count = |m| out.observations.iter().filter(|o| o.measure == m).count();
        // 31 Allies and 2 aggregates x 11 years; Table 1 and 8 have no aggregates; Table 5 adds Iceland.
        assert_eq!(count(Measure::MilexGdp), 363);
        assert_eq!(count(Measure::MilexRealChange), 363);
        assert_eq!(count(Measure::MilexUsdCurrent), 363);
        assert_eq!(count(Measure::MilexUsdConstant), 363);
        assert_eq!(count(Measure::MilexLcu), 341);
        assert_eq!(count(Measure::MilexEquipmentShare), 341);
        assert_eq!(count(Measure::MilPersonnel), 363);
        assert_eq!(count(Measure::GdpUsd), 374);
        assert_eq!(out.sources[0].id, "nato-defexp-2024-06");
        assert_eq!(
            out.sources[0].title,
            "Defence Expenditure of NATO Countries (2014-2024)"
        );
        crate::ingest::assemble(builtin_countries(), out).unwrap();
    }
}
