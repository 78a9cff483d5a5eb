//! xlsx: a wide workbook for spreadsheet users, laid out like SIPRI's own.
//!
//! - `README`: what the workbook is, how to read it, whom to cite, and an index of
//!   the data sheets.
//! - One data sheet per measure and definition (e.g. `milex_gdp sipri`,
//!   `milex_gdp nato`): a row per country and year basis, a column per year. A
//!   measure is never mixed across definitions (they count different things). Where
//!   several sources publish the same series, each cell holds the preferred source's
//!   value (the one `fairshare show` prints) and the row's `source` column names the
//!   source(s) used; every copy is in the long exports (CSV, Parquet, SQLite).
//! - As in SIPRI's workbook, estimates are blue and highly uncertain figures red;
//!   projections are italic. An empty cell means the publisher has no figure.
//! - The registries as plain sheets, one per [`Table`] after the observations:
//!   `sources` (licences, citations), `definitions`, `countries`, `notes`,
//!   `alliances`, `memberships`, `targets`, `plans`, `measures`, `units`, `flags`.
//!
//! Values are full precision; the number formats only change what is displayed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fairshare_dataset::{Flag, Measure, Unit};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};

use crate::about;
use crate::atomic;
use crate::error::ExportError;
use crate::selection::Selection;
use crate::table::{Cell, Table};

/// Excel's limit on sheet names, and the characters it refuses in them.
const SHEET_NAME_MAX: usize = 31;
const SHEET_NAME_FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// The columns before the years on a data sheet.
const ROW_HEADERS: [&str; 8] = [
    "country",
    "country_name",
    "measure",
    "definition",
    "year_basis",
    "unit",
    "currency",
    "source",
];

/// SIPRI's colours: blue estimates, red uncertain figures.
const ESTIMATE_BLUE: u32 = 0x0000FF;
const UNCERTAIN_RED: u32 = 0xC00000;

pub fn write(sel: &Selection, tables: &[Table], out: &Path) -> Result<(), ExportError> {
    let fail = |e: XlsxError| ExportError::encode("xlsx", e);
    let mut workbook = Workbook::new();
    // A fixed creation date: the same selection gives the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(fail)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("fairshare export")
            .set_comment(sel.description.clone())
            .set_creation_datetime(&created),
    );
    let sheets = data_sheets(sel);
    readme_sheet(workbook.add_worksheet(), sel, tables, &sheets).map_err(fail)?;
    for sheet in &sheets {
        write_data_sheet(workbook.add_worksheet(), sheet).map_err(fail)?;
    }
    for t in tables.iter().skip(1) {
        write_table_sheet(workbook.add_worksheet(), t).map_err(fail)?;
    }
    atomic::write_file(out, |tmp| {
        workbook.save(tmp).map_err(|e| match e {
            XlsxError::IoError(io) => ExportError::io(out, io),
            other => fail(other),
        })
    })
}

/// One row of a wide sheet: a country's series on one year basis, in one unit.
struct WideRow<'a> {
    country: &'a str,
    country_name: &'a str,
    year_basis: String,
    unit: Unit,
    currency: &'a str,
    sources: BTreeSet<&'a str>,
    values: BTreeMap<i32, (Option<f64>, fairshare_dataset::Flags)>,
}

struct DataSheet<'a> {
    name: String,
    measure: Measure,
    definition: &'a str,
    rows: Vec<WideRow<'a>>,
    years: (i32, i32),
}

/// The preferred observations, one sheet per (measure, definition), rows in
/// country order.
fn data_sheets<'a>(sel: &Selection<'a>) -> Vec<DataSheet<'a>> {
    type RowKey<'a> = (&'a str, String, Unit);
    let mut groups: BTreeMap<(Measure, &'a str), BTreeMap<RowKey<'a>, WideRow<'a>>> =
        BTreeMap::new();
    for (o, _) in sel
        .observations
        .iter()
        .zip(&sel.preferred)
        .filter(|(_, p)| **p)
    {
        let basis = o.year_basis().to_string();
        let row = groups
            .entry((o.measure(), o.definition()))
            .or_default()
            .entry((o.country_code(), basis.clone(), o.unit()))
            .or_insert_with(|| WideRow {
                country: o.country_code(),
                country_name: o.country().name.as_str(),
                year_basis: basis,
                unit: o.unit(),
                currency: if crate::tables::CURRENCY_UNITS.contains(&o.unit()) {
                    o.country().currency.as_str()
                } else {
                    ""
                },
                sources: BTreeSet::new(),
                values: BTreeMap::new(),
            });
        row.sources.insert(o.source_id());
        row.values.insert(o.year(), (o.value(), o.flags()));
    }
    let mut used: Vec<String> = Vec::new();
    groups
        .into_iter()
        .map(|((measure, definition), rows)| {
            let rows: Vec<WideRow> = rows.into_values().collect();
            let first = rows.iter().filter_map(|r| r.values.keys().next()).min();
            let last = rows
                .iter()
                .filter_map(|r| r.values.keys().next_back())
                .max();
            let name = sheet_name(&format!("{measure} {definition}"), &mut used);
            DataSheet {
                name,
                measure,
                definition,
                years: (first.copied().unwrap_or(0), last.copied().unwrap_or(0)),
                rows,
            }
        })
        .collect()
}

/// A valid, unique sheet name: forbidden characters replaced, at most 31 characters.
fn sheet_name(wanted: &str, used: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| {
            if SHEET_NAME_FORBIDDEN.contains(&c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let room = SHEET_NAME_MAX - suffix.chars().count();
        let name: String = clean.chars().take(room).collect::<String>() + &suffix;
        if !used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
            used.push(name.clone());
            return name;
        }
        n += 1;
    }
}

/// How a unit's numbers are displayed (the stored value keeps full precision).
fn number_format(unit: Unit) -> &'static str {
    match unit {
        Unit::PctGdp | Unit::PctGovSpending | Unit::PctMilex | Unit::PctChange => "0.00",
        Unit::LcuPerUsd | Unit::Index => "0.000",
        _ => "#,##0",
    }
}

fn cell_format(unit: Unit, flags: fairshare_dataset::Flags) -> Format {
    let mut f = Format::new().set_num_format(number_format(unit));
    if flags.contains(Flag::Uncertain) {
        f = f.set_font_color(Color::RGB(UNCERTAIN_RED));
    } else if flags.contains(Flag::Estimate) {
        f = f.set_font_color(Color::RGB(ESTIMATE_BLUE));
    }
    if flags.contains(Flag::Projection) {
        f = f.set_italic();
    }
    f
}

fn write_data_sheet(ws: &mut Worksheet, sheet: &DataSheet) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let bold = Format::new().set_bold();
    for (c, h) in ROW_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let first_year_col = ROW_HEADERS.len() as u16;
    let (y0, y1) = sheet.years;
    for y in y0..=y1 {
        ws.write_number_with_format(0, first_year_col + (y - y0) as u16, y, &bold)?;
    }
    // Formats are few (unit x colour); build each once.
    let mut formats: BTreeMap<(Unit, u16), Format> = BTreeMap::new();
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = i as u32 + 1;
        // Each row names its measure and definition, so it still says what it is
        // when copied out of this sheet.
        ws.write_string(r, 0, row.country)?;
        ws.write_string(r, 1, row.country_name)?;
        ws.write_string(r, 2, sheet.measure.as_str())?;
        ws.write_string(r, 3, sheet.definition)?;
        ws.write_string(r, 4, &row.year_basis)?;
        ws.write_string(r, 5, row.unit.as_str())?;
        if !row.currency.is_empty() {
            ws.write_string(r, 6, row.currency)?;
        }
        ws.write_string(
            r,
            7,
            row.sources.iter().copied().collect::<Vec<_>>().join("; "),
        )?;
        for (&year, &(value, flags)) in &row.values {
            let Some(v) = value else { continue };
            let style = flags.contains(Flag::Uncertain) as u16
                | (flags.contains(Flag::Estimate) as u16) << 1
                | (flags.contains(Flag::Projection) as u16) << 2;
            let format = formats
                .entry((row.unit, style))
                .or_insert_with(|| cell_format(row.unit, flags));
            ws.write_number_with_format(r, first_year_col + (year - y0) as u16, v, format)?;
        }
    }
    ws.set_freeze_panes(1, 2)?;
    for (col, width) in [
        (0, 8),
        (1, 28),
        (2, 18),
        (3, 10),
        (4, 11),
        (5, 18),
        (6, 8),
        (7, 24),
    ] {
        ws.set_column_width(col, width)?;
    }
    Ok(())
}

fn write_table_sheet(ws: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    ws.set_name(t.name)?;
    let bold = Format::new().set_bold();
    for (c, col) in t.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, col.field.name, &bold)?;
    }
    for row in 0..t.len() {
        let r = row as u32 + 1;
        for (c, col) in t.columns.iter().enumerate() {
            let c = c as u16;
            match col.cell(row) {
                Cell::Null => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Integer(i) => {
                    ws.write_number(r, c, i as f64)?;
                }
                Cell::Number(x) => {
                    ws.write_number(r, c, x)?;
                }
                Cell::Boolean(b) => {
                    ws.write_boolean(r, c, b)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn readme_sheet(
    ws: &mut Worksheet,
    sel: &Selection,
    tables: &[Table],
    sheets: &[DataSheet],
) -> Result<(), XlsxError> {
    ws.set_name("README")?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let mut rows: Vec<(String, String)> = about::readme(sel, tables);
    rows.insert(
        2,
        (
            "layout".to_string(),
            format!("One sheet per measure and definition (e.g. 'milex_gdp sipri'): a row per country \
             and year basis, a column per year; each row names its measure, definition, unit \
             and (for local-currency amounts) currency. Where several sources publish the same series, \
             each cell is the preferred source's value (the one `fairshare show` prints) and the \
             row's source column names the source(s) used; every copy is in the CSV, Parquet and \
             SQLite exports. An empty cell means the publisher has no figure. The sheets after \
             the data sheets are the registries: {}.",
                tables
                    .iter()
                    .skip(1)
                    .map(|t| t.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    );
    rows.insert(
        3,
        (
            "colours".to_string(),
            "As in SIPRI's workbook: blue figures are estimates, red figures are highly \
             uncertain; italic figures are projections (IMF WEO). Other flags (approximate, \
             plan, budget, ...) are in the long exports' flags column."
                .to_string(),
        ),
    );
    for s in sheets {
        let units: BTreeSet<&str> = s.rows.iter().map(|r| r.unit.as_str()).collect();
        let sources: BTreeSet<&str> = s
            .rows
            .iter()
            .flat_map(|r| r.sources.iter().copied())
            .collect();
        rows.push((
            format!("sheet {}", s.name),
            format!(
                "{} ({}), definition {}; unit {}; {} rows, years {}-{}; sources {}",
                s.measure,
                s.measure.description(),
                s.definition,
                units.into_iter().collect::<Vec<_>>().join(", "),
                s.rows.len(),
                s.years.0,
                s.years.1,
                sources.into_iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    ws.write_string_with_format(0, 0, "topic", &bold)?;
    ws.write_string_with_format(0, 1, "text", &bold)?;
    for (i, (topic, text)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, topic, &bold)?;
        ws.write_string_with_format(r, 1, text, &wrap)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 120)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut used = Vec::new();
        assert_eq!(sheet_name("milex_gdp sipri", &mut used), "milex_gdp sipri");
        assert_eq!(
            sheet_name("milex_usd_current national:jp-security-supp", &mut used),
            "milex_usd_current national-jp-s"
        );
        assert_eq!(
            sheet_name("milex_usd_current national:jp-security", &mut used),
            "milex_usd_current national- (2)"
        );
        assert!(used.iter().all(|n| n.chars().count() <= SHEET_NAME_MAX));
    }
}
