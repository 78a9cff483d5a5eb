//! The SIPRI reader on small workbooks written here in SIPRI's layout, with its
//! quirks: header rows on different rows per sheet, region label rows between the
//! countries, `...` and `xxx`, blue and red figures, the Notes column, a Footnotes
//! sheet, fiscal years (April-March and a "Till:" change), a current-price column on
//! "Regional totals"; and every kind of bad input.

use std::path::{Path, PathBuf};

use fairshare_dataset::ingest::{self, IngestError, sipri};
use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{Measure, Observation, Unit, YearBasis};
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};

/// One cell as SIPRI writes it.
#[derive(Clone, Copy)]
enum C {
    N(f64),
    /// A figure in blue (SIPRI estimate).
    Blue(f64),
    /// A figure in red (highly uncertain).
    Red(f64),
    S(&'static str),
    /// A `...` printed in blue: the colour means nothing without a figure.
    BlueS(&'static str),
    Blank,
}
use C::*;

fn write_row(ws: &mut Worksheet, row: u32, cells: &[C]) {
    let blue = Format::new().set_font_color(Color::RGB(0x0000FF));
    let red = Format::new().set_font_color(Color::RGB(0xFF0000));
    for (col, cell) in cells.iter().enumerate() {
        let col = col as u16;
        match *cell {
            N(v) => ws.write_number(row, col, v).map(|_| ()),
            Blue(v) => ws.write_number_with_format(row, col, v, &blue).map(|_| ()),
            Red(v) => ws.write_number_with_format(row, col, v, &red).map(|_| ()),
            S(s) => ws.write_string(row, col, s).map(|_| ()),
            BlueS(s) => ws.write_string_with_format(row, col, s, &blue).map(|_| ()),
            Blank => Ok(()),
        }
        .unwrap();
    }
}

/// A sheet: its name, the lines above the header, the header row index (0-based), rows.
struct SheetSpec {
    name: String,
    intro: Vec<&'static str>,
    header_row: u32,
    header: Vec<C>,
    rows: Vec<Vec<C>>,
}

const LEGEND: &str =
    "Figures in blue are SIPRI estimates. Figures in red indicate highly uncertain data.";
const MARKERS: &str = "\". .\" = data unavailable. \"xxx\" = country did not exist or was not independent during all or part of the year in question.";

fn years(first: &[C]) -> Vec<C> {
    let mut h = first.to_vec();
    h.extend([N(2021.0), N(2022.0), N(2023.0), N(2024.0)]);
    h
}

/// The fixture workbook, sheet by sheet, in SIPRI's 2025 layout.
fn sipri_sheets() -> Vec<SheetSpec> {
    vec![
        SheetSpec {
            name: "Front page".into(),
            intro: vec!["SIPRI Military Expenditure Database"],
            header_row: 3,
            header: vec![],
            rows: vec![],
        },
        SheetSpec {
            name: "Regional totals".into(),
            intro: vec![
                "Military expenditure by region in constant US dollars     © SIPRI 2024",
                "Figures are in US$ b., at constant 2023 prices and exchange rates, except for the last figure which is in US$ b. at 2024 prices and exchange rates.",
                "Figures in red indicate that more than 10% of the total figure consists of estimates for countries for which data is missing.",
            ],
            header_row: 5,
            header: {
                let mut h = years(&[S("Region")]);
                h.extend([S("2024 (current prices)"), S(""), S("Omitted countries")]);
                h
            },
            rows: vec![
                vec![
                    S("World"),
                    N(2200.5),
                    S("..."),
                    N(2400.0),
                    N(2676.5),
                    N(2718.25),
                ],
                vec![
                    S("Africa"),
                    Red(42.5),
                    N(50.25),
                    N(51.75),
                    Red(51.5),
                    Red(52.0),
                    Blank,
                    S("Djibouti, Eritrea, Somalia"),
                ],
                vec![
                    S("North Africa"),
                    N(18.25),
                    N(26.25),
                    N(28.5),
                    N(29.0),
                    N(30.25),
                ],
            ],
        },
        SheetSpec {
            name: "Local currency financial years".into(),
            intro: vec![
                "Military expenditure by country, in local currency, 1949-2024      © SIPRI 2024",
                "Figures are in local currency at current prices and are for financial years. Countries are grouped by region and subregion.",
                LEGEND,
                MARKERS,
            ],
            header_row: 7,
            header: years(&[
                S("Country"),
                S("Currency"),
                S("Fiscal Year (Jan-Dec if not stated)"),
                S("Notes"),
            ]),
            rows: vec![
                vec![S("Africa")],
                vec![S("sub-Saharan Africa")],
                vec![
                    S("Cameroon"),
                    S("CFA Francs"),
                    S("Till: 2021 Jul-Jun, 2022: Jul-Dec, From 2023: Jan-Dec"),
                    S("§"),
                    N(100.0),
                    Blue(50.0),
                    N(210.0),
                    S("..."),
                ],
                vec![S("Asia & Oceania")],
                vec![S("East Asia")],
                vec![
                    S("Japan"),
                    S("Yen       "),
                    S("Apr-Mar"),
                    S("56"),
                    N(5.3e12),
                    Blue(5.4e12),
                    N(6.8e12),
                    N(8.1e12),
                ],
                vec![
                    S("Korea, South"),
                    S("Won"),
                    S(""),
                    S("§58"),
                    N(50.0e12),
                    N(54.0e12),
                    N(57.0e12),
                    Red(59.0e12),
                ],
                vec![S("Middle East")],
                vec![
                    S("Yemen, North"),
                    S("Rials"),
                    S(""),
                    S("§100"),
                    S("xxx"),
                    S("xxx"),
                    S("xxx"),
                    S("xxx"),
                ],
            ],
        },
        SheetSpec {
            name: "Local currency calendar years".into(),
            intro: vec![
                "Military expenditure by country, in local currency, 1949-2024      © SIPRI 2024",
                "Figures are in local currency at current prices and are for calendar years, unless otherwise stated.",
                LEGEND,
                MARKERS,
            ],
            header_row: 6,
            header: years(&[S("Country"), S("Currency"), S("Notes")]),
            rows: vec![
                vec![S("Africa")],
                vec![S("sub-Saharan Africa")],
                vec![
                    S("Cameroon"),
                    S("CFA Francs"),
                    S("§"),
                    N(120.0),
                    N(140.0),
                    N(210.0),
                    S(". ."),
                ],
                vec![S("Asia & Oceania")],
                vec![S("East Asia")],
                vec![
                    S("Japan"),
                    S("Yen"),
                    S("56"),
                    N(5.2e12),
                    Blue(5.5e12),
                    N(7.0e12),
                    N(8.4e12),
                ],
                vec![
                    S("Korea, South"),
                    S("Won"),
                    S("§58"),
                    N(50.0e12),
                    N(54.0e12),
                    N(57.0e12),
                    Red(59.0e12),
                ],
                vec![S("Middle East")],
                vec![
                    S("Yemen, North"),
                    S("Rials"),
                    S("§100"),
                    S("xxx"),
                    S("xxx"),
                    S("xxx"),
                    S("xxx"),
                ],
            ],
        },
        SheetSpec {
            name: "Constant (2023) US$".into(),
            intro: vec![
                "Military expenditure by country, in constant (2023) US$ m., 1949-2024      © SIPRI 2024",
                "Figures are in US $m., at constant 2023 prices and exchange rates",
                LEGEND,
                MARKERS,
            ],
            header_row: 5,
            header: years(&[S("Country"), S(""), S("Notes")]),
            rows: vec![
                vec![S("Asia & Oceania")],
                vec![S("East Asia")],
                vec![
                    S("Japan"),
                    Blank,
                    S("56"),
                    N(50_000.5),
                    N(48_000.25),
                    N(49_500.0),
                    N(55_000.0),
                ],
            ],
        },
        SheetSpec {
            name: "Current US$".into(),
            intro: vec![
                "Military expenditure by country, in millions of US$ at current prices and exchange rates, 1949-2024      © SIPRI 2024",
                "Figures are in US $m., in current prices, converted at the exchange rate for the given year.",
                LEGEND,
                MARKERS,
            ],
            header_row: 5,
            header: years(&[S("Country"), S("Notes")]),
            rows: vec![
                vec![S("Asia & Oceania")],
                vec![S("East Asia")],
                vec![
                    S("Japan"),
                    S("56"),
                    N(54_100.0),
                    N(46_000.0),
                    N(50_200.0),
                    N(55_274.0),
                ],
            ],
        },
        SheetSpec {
            name: "Share of GDP".into(),
            intro: vec![
                "Military expenditure by country as percentage of gross domestic product, 1949-2024     © SIPRI 2024",
                "Countries are grouped by region and subregion",
                LEGEND,
                MARKERS,
            ],
            header_row: 5,
            header: years(&[S("Country"), S("Notes")]),
            rows: vec![
                vec![S("Africa")],
                vec![S("sub-Saharan Africa")],
                vec![
                    S("Cameroon"),
                    S("§"),
                    Red(0.0125),
                    BlueS("..."),
                    S("..."),
                    Blue(0.0098),
                ],
                vec![S("Asia & Oceania")],
                vec![S("East Asia")],
                vec![
                    S("Japan"),
                    S("56"),
                    N(0.0105),
                    N(0.010099439539165745),
                    N(0.0114),
                    N(0.0137),
                ],
                vec![
                    S("Korea, South"),
                    S("§58"),
                    N(0.0250),
                    N(0.0258),
                    N(0.0270),
                    N(0.0256),
                ],
                vec![S("Middle East")],
                vec![
                    S("Yemen, North"),
                    S("§100"),
                    S("xxx"),
                    S("xxx"),
                    S("xxx"),
                    S("xxx"),
                ],
            ],
        },
        SheetSpec {
            name: "Per capita".into(),
            intro: vec![
                "Military expenditure per capita  by country, 1949-2024     © SIPRI 2024",
                "Figures are in current US$",
                "Countries are grouped by region and subregion",
                LEGEND,
                MARKERS,
            ],
            header_row: 6,
            header: years(&[S("Country"), S("Notes")]),
            rows: vec![
                vec![S("Asia & Oceania")],
                vec![S("East Asia")],
                vec![
                    S("Japan"),
                    S("56"),
                    N(433.5),
                    N(368.25),
                    N(403.0),
                    N(447.75),
                ],
            ],
        },
        SheetSpec {
            name: "Share of Govt. spending".into(),
            intro: vec![
                "Military expenditure by country as percentage of government spending, 1949-2024         © SIPRI 2024",
                "Countries are grouped by region and subregion",
                "Figures are for miltary expenditure expressed as a percentage of general government expenditure, and are for calendar years except where otherwise stated.",
                LEGEND,
                MARKERS,
            ],
            header_row: 7,
            header: years(&[S("Country"), S("Notes"), S("Reporting year")]),
            rows: vec![
                vec![S("Asia & Oceania")],
                vec![S("East Asia")],
                vec![
                    S("Japan"),
                    S("56"),
                    Blank,
                    N(0.0232),
                    N(0.0230),
                    N(0.0265),
                    Blue(0.03),
                ],
            ],
        },
        SheetSpec {
            name: "Footnotes".into(),
            intro: vec!["Footnotes and special notes"],
            header_row: 2,
            header: vec![S("The following special notes are used in each worksheet")],
            rows: vec![
                vec![
                    S("†"),
                    S("Figures for these countries do not include military pensions"),
                ],
                vec![
                    S("‡"),
                    S("Figures for these countries are for current spending only"),
                ],
                vec![
                    S("§"),
                    S(
                        "Figures for these countries are for the adopted budget, rather than actual expenditure",
                    ),
                ],
                vec![
                    S("¶"),
                    S("Figures for these countries do not include spending on paramilitary forces"),
                ],
                vec![
                    S("‖"),
                    S("This country changed or redenominated its currency during the period"),
                ],
                vec![],
                vec![S(
                    "Numbered footnote references can be found in each of the data sheets",
                )],
                vec![
                    N(56.0),
                    Blank,
                    S("Japan: The figures for Japan include SACO and exclude military pensions."),
                ],
                vec![
                    N(58.0),
                    Blank,
                    S(
                        "South Korea: The figures for South Korea do not include three special funds.",
                    ),
                ],
                vec![
                    N(100.0),
                    Blank,
                    S("North Yemen: North Yemen merged with South Yemen in 1990."),
                ],
            ],
        },
    ]
}

/// Write `sheets` as an xlsx file in a fresh temporary directory.
fn write_workbook(dir: &Path, file: &str, sheets: &[SheetSpec]) -> PathBuf {
    let mut wb = Workbook::new();
    for spec in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&spec.name).unwrap();
        for (i, line) in spec.intro.iter().enumerate() {
            ws.write_string(i as u32, 0, *line).unwrap();
        }
        write_row(ws, spec.header_row, &spec.header);
        for (i, row) in spec.rows.iter().enumerate() {
            write_row(ws, spec.header_row + 1 + i as u32, row);
        }
    }
    let path = dir.join(file);
    wb.save(&path).unwrap();
    path
}

fn fixture(dir: &Path) -> PathBuf {
    write_workbook(dir, "SIPRI-Milex-data-1949-2024_2.xlsx", &sipri_sheets())
}

/// (country, year, basis, value, flags, notes) of one measure, in output order.
type Row = (String, i32, String, Option<f64>, String, String);

fn rows(obs: &[Observation], measure: Measure, basis: Option<YearBasis>) -> Vec<Row> {
    obs.iter()
        .filter(|o| o.measure == measure && basis.is_none_or(|b| o.year_basis == b))
        .map(|o| {
            (
                o.country.clone(),
                o.year,
                o.year_basis.to_string(),
                o.value,
                o.flags.to_string(),
                o.notes.clone(),
            )
        })
        .collect()
}

fn row(c: &str, y: i32, basis: &str, v: Option<f64>, flags: &str, notes: &str) -> Row {
    (c.into(), y, basis.into(), v, flags.into(), notes.into())
}

#[test]
fn fixture_workbook_gives_exact_observations() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture(dir.path());
    let countries = builtin_countries();
    let (out, report) = sipri::read_workbook_with_report(&path, &countries).unwrap();
    let obs = &out.observations;

    // Source and vintage come from the last year column (2024 -> 2025 release).
    assert_eq!(out.sources.len(), 1);
    assert_eq!(out.sources[0].id, "sipri-milex-2025");
    assert_eq!(out.sources[0].vintage, "SIPRI 2025");
    assert_eq!(out.sources[0].file, "SIPRI-Milex-data-1949-2024_2.xlsx");
    assert_eq!(out.sources[0].rank, 10);
    assert_eq!(out.definitions.len(), 1);
    assert_eq!(out.definitions[0].id, "sipri");
    assert!(obs.iter().all(|o| o.source == "sipri-milex-2025"
        && o.vintage == "SIPRI 2025"
        && o.definition == "sipri"));

    // Share of GDP: fractions become percent; blue/red become flags; a blue "..." is
    // just no data; region label rows are skipped.
    let gdp = "§;sheet:Share of GDP";
    assert_eq!(
        rows(obs, Measure::MilexGdp, None),
        vec![
            row(
                "CMR",
                2021,
                "calendar",
                Some(0.0125 * 100.0),
                "uncertain",
                gdp
            ),
            row("CMR", 2022, "calendar", None, "no_data", gdp),
            row("CMR", 2023, "calendar", None, "no_data", gdp),
            row(
                "CMR",
                2024,
                "calendar",
                Some(0.0098 * 100.0),
                "estimate",
                gdp
            ),
            row(
                "JPN",
                2021,
                "calendar",
                Some(0.0105 * 100.0),
                "",
                "56;sheet:Share of GDP"
            ),
            row(
                "JPN",
                2022,
                "calendar",
                Some(0.010099439539165745 * 100.0),
                "",
                "56;sheet:Share of GDP"
            ),
            row(
                "JPN",
                2023,
                "calendar",
                Some(0.0114 * 100.0),
                "",
                "56;sheet:Share of GDP"
            ),
            row(
                "JPN",
                2024,
                "calendar",
                Some(0.0137 * 100.0),
                "",
                "56;sheet:Share of GDP"
            ),
            row(
                "KOR",
                2021,
                "calendar",
                Some(0.0250 * 100.0),
                "",
                "§;58;sheet:Share of GDP"
            ),
            row(
                "KOR",
                2022,
                "calendar",
                Some(0.0258 * 100.0),
                "",
                "§;58;sheet:Share of GDP"
            ),
            row(
                "KOR",
                2023,
                "calendar",
                Some(0.0270 * 100.0),
                "",
                "§;58;sheet:Share of GDP"
            ),
            row(
                "KOR",
                2024,
                "calendar",
                Some(0.0256 * 100.0),
                "",
                "§;58;sheet:Share of GDP"
            ),
            row(
                "YAR",
                2021,
                "calendar",
                None,
                "not_independent",
                "§;100;sheet:Share of GDP"
            ),
            row(
                "YAR",
                2022,
                "calendar",
                None,
                "not_independent",
                "§;100;sheet:Share of GDP"
            ),
            row(
                "YAR",
                2023,
                "calendar",
                None,
                "not_independent",
                "§;100;sheet:Share of GDP"
            ),
            row(
                "YAR",
                2024,
                "calendar",
                None,
                "not_independent",
                "§;100;sheet:Share of GDP"
            ),
        ]
    );
    let japan_2022 = obs
        .iter()
        .find(|o| o.country == "JPN" && o.measure == Measure::MilexGdp && o.year == 2022)
        .unwrap();
    assert!((japan_2022.value.unwrap() - 1.0099439539165745).abs() < 1e-12);
    assert_eq!(japan_2022.unit, Unit::PctGdp);

    // Local currency: the calendar sheet in full, then the FY sheet's non-calendar
    // years (Japan April-March; Cameroon July-June to 2021, a transitional 2022).
    // Korea's and Yemen's FY rows and Cameroon's 2023-24 repeat the calendar sheet.
    let cal = "sheet:Local currency calendar years";
    let fy = "sheet:Local currency financial years";
    assert_eq!(
        rows(obs, Measure::MilexLcu, None),
        vec![
            row(
                "CMR",
                2021,
                "calendar",
                Some(120.0),
                "",
                &format!("§;{cal}")
            ),
            row(
                "CMR",
                2022,
                "calendar",
                Some(140.0),
                "",
                &format!("§;{cal}")
            ),
            row(
                "CMR",
                2023,
                "calendar",
                Some(210.0),
                "",
                &format!("§;{cal}")
            ),
            row(
                "CMR",
                2024,
                "calendar",
                None,
                "no_data",
                &format!("§;{cal}")
            ),
            row(
                "JPN",
                2021,
                "calendar",
                Some(5.2e12),
                "",
                &format!("56;{cal}")
            ),
            row(
                "JPN",
                2022,
                "calendar",
                Some(5.5e12),
                "estimate",
                &format!("56;{cal}")
            ),
            row(
                "JPN",
                2023,
                "calendar",
                Some(7.0e12),
                "",
                &format!("56;{cal}")
            ),
            row(
                "JPN",
                2024,
                "calendar",
                Some(8.4e12),
                "",
                &format!("56;{cal}")
            ),
            row(
                "KOR",
                2021,
                "calendar",
                Some(50.0e12),
                "",
                &format!("§;58;{cal}")
            ),
            row(
                "KOR",
                2022,
                "calendar",
                Some(54.0e12),
                "",
                &format!("§;58;{cal}")
            ),
            row(
                "KOR",
                2023,
                "calendar",
                Some(57.0e12),
                "",
                &format!("§;58;{cal}")
            ),
            row(
                "KOR",
                2024,
                "calendar",
                Some(59.0e12),
                "uncertain",
                &format!("§;58;{cal}")
            ),
            row(
                "YAR",
                2021,
                "calendar",
                None,
                "not_independent",
                &format!("§;100;{cal}")
            ),
            row(
                "YAR",
                2022,
                "calendar",
                None,
                "not_independent",
                &format!("§;100;{cal}")
            ),
            row(
                "YAR",
                2023,
                "calendar",
                None,
                "not_independent",
                &format!("§;100;{cal}")
            ),
            row(
                "YAR",
                2024,
                "calendar",
                None,
                "not_independent",
                &format!("§;100;{cal}")
            ),
            row("CMR", 2021, "fy_jul", Some(100.0), "", &format!("§;{fy}")),
            row(
                "CMR",
                2022,
                "transitional",
                Some(50.0),
                "estimate",
                &format!("§;{fy}")
            ),
            row("JPN", 2021, "fy_apr", Some(5.3e12), "", &format!("56;{fy}")),
            row(
                "JPN",
                2022,
                "fy_apr",
                Some(5.4e12),
                "estimate",
                &format!("56;{fy}")
            ),
            row("JPN", 2023, "fy_apr", Some(6.8e12), "", &format!("56;{fy}")),
            row("JPN", 2024, "fy_apr", Some(8.1e12), "", &format!("56;{fy}")),
        ]
    );
    // Korea's and Yemen's four years and Cameroon's 2023-24 repeat the calendar
    // sheet and agree with it (Cameroon 2024 is "..." on one and ". ." on the other).
    assert_eq!(report.fiscal_duplicates, 10);
    assert_eq!(report.fiscal_disagreements, Vec::<String>::new());
    assert_eq!(report.coloured_markers, 1);

    // US$ in full units.
    assert_eq!(
        rows(obs, Measure::MilexUsdConstant, Some(YearBasis::Calendar))
            .into_iter()
            .filter(|r| r.0 == "JPN")
            .map(|r| r.3)
            .collect::<Vec<_>>(),
        vec![
            Some(50_000.5e6),
            Some(48_000.25e6),
            Some(49_500.0e6),
            Some(55_000.0e6)
        ]
    );
    assert!(
        obs.iter()
            .filter(|o| o.measure == Measure::MilexUsdConstant)
            .all(|o| o.unit == Unit::UsdConstant2023)
    );
    assert_eq!(
        rows(obs, Measure::MilexUsdCurrent, None)
            .into_iter()
            .filter(|r| r.0 == "JPN")
            .map(|r| r.3)
            .collect::<Vec<_>>(),
        vec![
            Some(54_100e6),
            Some(46_000e6),
            Some(50_200e6),
            Some(55_274e6)
        ]
    );
    assert_eq!(
        rows(obs, Measure::MilexPerCapita, None),
        vec![
            row(
                "JPN",
                2021,
                "calendar",
                Some(433.5),
                "",
                "56;sheet:Per capita"
            ),
            row(
                "JPN",
                2022,
                "calendar",
                Some(368.25),
                "",
                "56;sheet:Per capita"
            ),
            row(
                "JPN",
                2023,
                "calendar",
                Some(403.0),
                "",
                "56;sheet:Per capita"
            ),
            row(
                "JPN",
                2024,
                "calendar",
                Some(447.75),
                "",
                "56;sheet:Per capita"
            ),
        ]
    );
    let gov = "56;sheet:Share of Govt. spending";
    assert_eq!(
        rows(obs, Measure::MilexGovShare, None),
        vec![
            row("JPN", 2021, "calendar", Some(0.0232 * 100.0), "", gov),
            row("JPN", 2022, "calendar", Some(0.0230 * 100.0), "", gov),
            row("JPN", 2023, "calendar", Some(0.0265 * 100.0), "", gov),
            row("JPN", 2024, "calendar", Some(0.03 * 100.0), "estimate", gov),
        ]
    );

    // Regional totals: US$ bn at constant 2023 prices, the last column at current
    // prices; red means "more than 10% estimated" -> estimate.
    let reg = "sheet:Regional totals";
    let africa = format!("omitted:Africa;{reg}");
    let regional: Vec<(String, Measure, i32, Option<f64>, String, String)> = obs
        .iter()
        .filter(|o| o.notes.ends_with(reg))
        .map(|o| {
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
    let k = Measure::MilexUsdConstant;
    let c = Measure::MilexUsdCurrent;
    let r = |code: &str, m, y, v: Option<f64>, f: &str, n: &str| {
        (code.to_string(), m, y, v, f.to_string(), n.to_string())
    };
    assert_eq!(
        regional,
        vec![
            r("WLD", k, 2021, Some(2200.5e9), "", reg),
            r("WLD", k, 2022, None, "no_data", reg),
            r("WLD", k, 2023, Some(2400.0e9), "", reg),
            r("WLD", k, 2024, Some(2676.5e9), "", reg),
            r("WLD", c, 2024, Some(2718.25e9), "", reg),
            r("SIPRI-AFRICA", k, 2021, Some(42.5e9), "estimate", &africa),
            r("SIPRI-AFRICA", k, 2022, Some(50.25e9), "", &africa),
            r("SIPRI-AFRICA", k, 2023, Some(51.75e9), "", &africa),
            r("SIPRI-AFRICA", k, 2024, Some(51.5e9), "estimate", &africa),
            r("SIPRI-AFRICA", c, 2024, Some(52.0e9), "estimate", &africa),
            r("SIPRI-NORTH-AFRICA", k, 2021, Some(18.25e9), "", reg),
            r("SIPRI-NORTH-AFRICA", k, 2022, Some(26.25e9), "", reg),
            r("SIPRI-NORTH-AFRICA", k, 2023, Some(28.5e9), "", reg),
            r("SIPRI-NORTH-AFRICA", k, 2024, Some(29.0e9), "", reg),
            r("SIPRI-NORTH-AFRICA", c, 2024, Some(30.25e9), "", reg),
        ]
    );

    // Notes: the special symbols, the numbered footnotes, each sheet's own wording,
    // and the regional omissions.
    let note = |key: &str| {
        out.notes
            .iter()
            .find(|n| n.key == key)
            .unwrap_or_else(|| panic!("no note {key}"))
            .text
            .clone()
    };
    assert_eq!(
        note("§"),
        "Figures for these countries are for the adopted budget, rather than actual expenditure"
    );
    assert_eq!(
        note("56"),
        "Japan: The figures for Japan include SACO and exclude military pensions."
    );
    assert!(note("sheet:Share of GDP").starts_with("Military expenditure by country as percentage of gross domestic product, 1949-2024 © SIPRI 2024"));
    assert!(note("sheet:Share of GDP").contains(LEGEND));
    assert_eq!(
        note("omitted:Africa"),
        "Countries left out of SIPRI's Africa total: Djibouti, Eritrea, Somalia."
    );
    assert!(out.notes.iter().all(|n| n.source == "sipri-milex-2025"));

    // Everything assembles into a valid dataset: no duplicate keys.
    ingest::assemble(countries, out).unwrap();
}

#[test]
fn same_file_gives_identical_output() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture(dir.path());
    let countries = builtin_countries();
    let a = sipri::read_workbook(&path, &countries).unwrap();
    let b = sipri::read_workbook(&path, &countries).unwrap();
    assert_eq!(a.observations, b.observations);
    assert_eq!(a.notes, b.notes);
}

#[test]
fn read_finds_the_file_in_the_publisher_folder() {
    let raw = tempfile::tempdir().unwrap();
    let folder = raw.path().join(sipri::FOLDER);
    std::fs::create_dir(&folder).unwrap();
    fixture(&folder);
    let out = sipri::read(raw.path(), &builtin_countries()).unwrap();
    assert!(!out.observations.is_empty());
}

#[test]
fn a_newer_release_gets_a_new_source_and_vintage() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    // Add a 2025 column to the Share of GDP sheet only: the last data year is 2025.
    let gdp = sheets
        .iter_mut()
        .find(|s| s.name == "Share of GDP")
        .unwrap();
    gdp.header.push(N(2025.0));
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2025.xlsx", &sheets);
    let out = sipri::read_workbook(&path, &builtin_countries()).unwrap();
    assert_eq!(out.sources[0].id, "sipri-milex-2026");
    assert!(out.observations.iter().all(|o| o.vintage == "SIPRI 2026"));
}

#[test]
fn a_stated_reporting_year_is_kept_as_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let gov = sheets
        .iter_mut()
        .find(|s| s.name == "Share of Govt. spending")
        .unwrap();
    gov.rows[2][2] = S("Apr-Mar");
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let out = sipri::read_workbook(&path, &builtin_countries()).unwrap();
    let japan = out
        .observations
        .iter()
        .find(|o| o.measure == Measure::MilexGovShare && o.year == 2024)
        .unwrap();
    assert_eq!(
        japan.notes,
        "56;reporting-year:Apr-Mar;sheet:Share of Govt. spending"
    );
    assert!(out.notes.iter().any(|n| n.key == "reporting-year:Apr-Mar"));
}

// ---- bad input: each is a clear error naming the file, the sheet or row, and what was expected.

fn error_of(path: &Path) -> String {
    match sipri::read_workbook(path, &builtin_countries()) {
        Ok(_) => panic!("{} was read without error", path.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn missing_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("SIPRI-Milex-data-1949-2024.xlsx");
    let err = sipri::read_workbook(&path, &builtin_countries()).unwrap_err();
    assert!(matches!(err, IngestError::Missing { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("SIPRI-Milex-data-1949-2024.xlsx: file not found"),
        "{err}"
    );

    // And a raw folder without the SIPRI folder or file.
    let err = sipri::read(dir.path(), &builtin_countries()).unwrap_err();
    assert!(matches!(err, IngestError::Missing { .. }), "{err}");
    std::fs::create_dir(dir.path().join(sipri::FOLDER)).unwrap();
    let err = sipri::read(dir.path(), &builtin_countries())
        .unwrap_err()
        .to_string();
    assert!(err.contains("SIPRI-Milex-data-*.xlsx"), "{err}");
}

#[test]
fn a_text_file_is_not_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("SIPRI-Milex-data-1949-2024.xlsx");
    std::fs::write(&path, "Country,Notes,2024\nJapan,,0.0137\n").unwrap();
    let err = sipri::read_workbook(&path, &builtin_countries()).unwrap_err();
    assert!(matches!(err, IngestError::NotWorkbook { .. }), "{err}");
    assert!(
        err.to_string().contains("not a readable xlsx workbook"),
        "{err}"
    );
}

#[test]
fn a_truncated_workbook_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture(dir.path());
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = sipri::read_workbook(&path, &builtin_countries()).unwrap_err();
    assert!(matches!(err, IngestError::NotWorkbook { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("SIPRI-Milex-data-1949-2024_2.xlsx"),
        "{err}"
    );
}

#[test]
fn a_renamed_sheet_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    sheets
        .iter_mut()
        .find(|s| s.name == "Share of GDP")
        .unwrap()
        .name = "Share of gross domestic product".into();
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains("sheet 'Share of GDP': sheet not found"),
        "{err}"
    );
    assert!(err.contains("Share of gross domestic product"), "{err}");
}

#[test]
fn a_missing_sheet_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    sheets.retain(|s| s.name != "Footnotes");
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    assert!(error_of(&path).contains("sheet 'Footnotes': sheet not found"));

    let mut sheets = sipri_sheets();
    sheets.retain(|s| !s.name.starts_with("Constant"));
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains("sheet 'Constant (<base year>) US$': sheet not found"),
        "{err}"
    );
}

#[test]
fn a_new_constant_price_base_year_needs_a_unit() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    sheets
        .iter_mut()
        .find(|s| s.name.starts_with("Constant"))
        .unwrap()
        .name = "Constant (2024) US$".into();
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains("sheet 'Constant (2024) US$': constant prices of 2024"),
        "{err}"
    );
    assert!(err.contains("UsdConstant2024"), "{err}");
}

#[test]
fn a_sheet_without_its_header_row_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let gdp = sheets
        .iter_mut()
        .find(|s| s.name == "Share of GDP")
        .unwrap();
    gdp.header[0] = S("Nation");
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains(
            "sheet 'Share of GDP': no header row: expected a row whose first cell is 'Country'"
        ),
        "{err}"
    );
}

#[test]
fn a_missing_column_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let fy = sheets
        .iter_mut()
        .find(|s| s.name == "Local currency financial years")
        .unwrap();
    fy.header[2] = S("Year type");
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains(
            "sheet 'Local currency financial years': header row 8 has no 'Fiscal Year' column"
        ),
        "{err}"
    );
}

#[test]
fn an_unknown_country_is_an_error_naming_sheet_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let gdp = sheets
        .iter_mut()
        .find(|s| s.name == "Share of GDP")
        .unwrap();
    gdp.rows[5][0] = S("Japn");
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains("sheet 'Share of GDP': row 12: unknown country name 'Japn'"),
        "{err}"
    );
}

#[test]
fn an_unreadable_cell_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let gdp = sheets
        .iter_mut()
        .find(|s| s.name == "Share of GDP")
        .unwrap();
    gdp.rows[5][3] = S("n/a");
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains("sheet 'Share of GDP': cell D12 holds the text 'n/a'"),
        "{err}"
    );
}

#[test]
fn an_unparseable_fiscal_year_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let fy = sheets
        .iter_mut()
        .find(|s| s.name == "Local currency financial years")
        .unwrap();
    fy.rows[5][2] = S("April to March");
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains("cell C14 fiscal year 'April to March'"),
        "{err}"
    );
}

#[test]
fn a_note_without_a_footnote_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let gdp = sheets
        .iter_mut()
        .find(|s| s.name == "Share of GDP")
        .unwrap();
    gdp.rows[5][1] = S("57");
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains("refers to note '57', which the Footnotes sheet does not define"),
        "{err}"
    );
}

#[test]
fn percentages_where_fractions_are_expected_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let gdp = sheets
        .iter_mut()
        .find(|s| s.name == "Share of GDP")
        .unwrap();
    for row in gdp.rows.iter_mut() {
        for cell in row.iter_mut() {
            if let N(v) = cell {
                *v *= 100.0;
            }
        }
    }
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(err.contains("the figures look like percentages"), "{err}");
}

#[test]
fn changed_units_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut sheets = sipri_sheets();
    let current = sheets.iter_mut().find(|s| s.name == "Current US$").unwrap();
    current.intro[1] = "Figures are in US $bn., in current prices.";
    let path = write_workbook(dir.path(), "SIPRI-Milex-data-1949-2024.xlsx", &sheets);
    let err = error_of(&path);
    assert!(
        err.contains("sheet 'Current US$': the lines above the header row no longer say 'US $m'"),
        "{err}"
    );
}
