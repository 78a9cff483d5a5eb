//! Host-nation support: what Japan and South Korea pay toward the US forces they host,
//! from the three hand-compiled tables in `host_nation_support/` (layout, pages and
//! spot checks: `host_nation_support/SOURCE.md`). Every row cites its own page.
//!
//! - `japan_hns_by_fiscal_year.csv` (`fiscal_year,amount_100m_yen,amount_yen,basis,
//!   scope,source_url,note`): Japan's 在日米軍駐留経費負担 ("omoiyari yosan", since FY2022
//!   the 同盟強靱化予算 "Alliance Resilience Budget") by April-March fiscal year (`fy_apr`).
//!   The publishers give two bases, and for FY1999 both, so the basis is part of the
//!   key: an initial budget (当初予算, expenditure basis) is `hns_lcu` of definition
//!   `national:jp-hns-budget`, flagged `budget`; settled outlays (決算 支出済歳出額, Board
//!   of Audit) are `national:jp-hns-settlement`.
//! - `japan_sma_agreements.csv` (`agreement_period,total_100m_yen,
//!   annual_average_100m_yen,source_url,note`): one row per Special Measures Agreement
//!   period. An agreement is one amount for a span of fiscal years, not a yearly figure,
//!   so each becomes a plan (`plans.csv`, measure `hns_lcu`, definition
//!   `national:jp-hns-sma`, flagged `plan`), like Japan's Defense Buildup Program: the
//!   FY2022-26 agreement is ¥1,055.1 billion, ¥211.0 billion a year on average. Where
//!   the page gives only the annual level (FY2011-15: "maintains the FY2010 level of
//!   ¥188.1 bn"), the total is that level times the years, flagged `approximate`.
//! - `korea_sma_by_year.csv` (`year,amount_100m_won,amount_won,sma,status,source_url,
//!   note`): South Korea's contribution under the ROK-US Special Measures Agreements by
//!   calendar year, `hns_lcu` of definition `national:kr-sma`. An agreed amount is what
//!   Korea committed to for the year (the 2016 page notes that ₩932 bn was actually
//!   paid against ₩944.1 bn agreed), so `agreed` rows are flagged `plan`; rounded
//!   amounts from news reports (status `approximate`, or a note saying to treat the
//!   figure as approximate) are flagged `approximate`.
//!
//! Amounts are given twice (億 and full units) and checked against each other. Years
//! the pages did not cover (Japan FY2003-05, 2007, 2011-14, ...; Korea 2023-24) have no
//! observation: there is no publisher table with an empty cell to record, and nothing
//! is interpolated. `fairshare hns` prints those years as null.
//!
//! Scope (`fairshare hns` states it, from `fairshare_metrics::hns`): SMA cost-sharing
//! and, for Japan, the Facilities
//! Improvement Program and welfare costs that make up host-nation support; not the
//! costs of US-forces realignment, the SACO agreement, base land rents or base
//! neighbourhood measures, which Japan also pays.

use std::path::Path;

use super::table::{Row, Table, hosts, source_page};
use super::{IngestError, ReaderOutput, find_file};
use crate::commitments::{Commitments, Plan};
use crate::model::{Flag, Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{CountryRegistry, Definition, Note, Source};

pub const DIR: &str = "host_nation_support";
pub const JAPAN_FY_SOURCE: &str = "hns-japan-fy";
pub const JAPAN_SMA_SOURCE: &str = "hns-japan-sma";
pub const KOREA_SOURCE: &str = "hns-korea-sma";

pub const JP_BUDGET: &str = "national:jp-hns-budget";
pub const JP_SETTLEMENT: &str = "national:jp-hns-settlement";
pub const JP_SMA: &str = "national:jp-hns-sma";
pub const KR_SMA: &str = "national:kr-sma";

/// The definitions this reader emits.
pub fn definitions() -> Vec<Definition> {
    let d = |id: &str, name: &str, description: &str| Definition {
        id: id.to_string(),
        name: name.to_string(),
        description: description.to_string(),
    };
    vec![
        d(
            JP_BUDGET,
            "Japan: host-nation support, initial budget",
            "Japan's budget for the costs of stationing US forces in Japan (在日米軍駐留経費負担, \
             'omoiyari yosan'; renamed the Alliance Resilience Budget, 同盟強靱化予算, from \
             FY2022) in the initial budget of an April-March fiscal year, on an expenditure \
             (歳出) basis: the items of the Special Measures Agreement (labour costs of Japanese \
             base workers, utilities, relocation of training, training equipment) plus the \
             Facilities Improvement Program and welfare costs. It leaves out the costs of the \
             SACO agreement and of the realignment of US forces, base land rents and measures \
             for base neighbourhoods, which Japan also pays. A budget, not outlays.",
        ),
        d(
            JP_SETTLEMENT,
            "Japan: host-nation support, settled outlays",
            "The same host-nation support as national:jp-hns-budget, as spent: settled \
             outlays (決算, 支出済歳出額) of an April-March fiscal year, as the Board of Audit \
             of Japan reported them (report of April 2018).",
        ),
        d(
            JP_SMA,
            "Japan: host-nation support under a Special Measures Agreement period",
            "Japan's host-nation support as agreed for the fiscal years of one Special \
             Measures Agreement (and the FY2021 one-year extension): the total over the \
             period, as the government and press reported it. Its annual average is the \
             agreement's level, not a yearly budget or outlay.",
        ),
        d(
            KR_SMA,
            "South Korea: contribution under the Special Measures Agreements",
            "South Korea's contribution to the costs of stationing US forces in Korea \
             under the ROK-US Special Measures Agreements (cost-sharing for Korean base \
             workers' labour, military construction and logistics support), the amount \
             agreed for a calendar year, in won. Costs Korea bears outside the SMA are not \
             included.",
        ),
    ]
}

/// Read the three tables from `raw_root/host_nation_support/`.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join(DIR);
    let mut out = read_japan_fiscal_years(
        &find_file(&dir, "japan_hns_by_fiscal_year", ".csv")?,
        countries,
    )?;
    out.extend(read_japan_agreements(
        &find_file(&dir, "japan_sma_agreements", ".csv")?,
        countries,
    )?);
    out.extend(read_korea(
        &find_file(&dir, "korea_sma_by_year", ".csv")?,
        countries,
    )?);
    out.definitions = definitions();
    Ok(out)
}

/// `japan_hns_by_fiscal_year.csv` -> `hns_lcu` by fiscal year, one definition per basis.
pub fn read_japan_fiscal_years(
    path: &Path,
    countries: &CountryRegistry,
) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let [
        fy_col,
        oku_col,
        yen_col,
        basis_col,
        scope_col,
        url_col,
        note_col,
    ] = table.columns(&[
        "fiscal_year",
        "amount_100m_yen",
        "amount_yen",
        "basis",
        "scope",
        "source_url",
        "note",
    ])?[..]
    else {
        unreachable!("columns returns one position per name")
    };
    let japan = country(countries, path, "JPN")?;
    let mut observations: Vec<Observation> = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    for row in table.rows() {
        let year = row.year(fy_col, "fiscal_year")?;
        let amount = row.checked_amount(oku_col, yen_col, "amount_100m_yen", "amount_yen")?;
        let basis = row.text(basis_col, "basis")?;
        let lower = basis.to_ascii_lowercase();
        let (definition, flags) = if lower.starts_with("initial budget") {
            (JP_BUDGET, Flags::EMPTY.with(Flag::Budget))
        } else if lower.starts_with("settlement") {
            (JP_SETTLEMENT, Flags::EMPTY)
        } else {
            return Err(row.error(format!(
                "basis '{basis}' is not one fairshare knows (expected 'initial budget ...' or \
                 'settlement ...')"
            )));
        };
        let url = row.text(url_col, "source_url")?;
        urls.push(url.to_string());
        let key = format!("fy{year}:{}", definition.trim_start_matches("national:"));
        if notes.iter().any(|n| n.key == key) {
            return Err(row.error(format!(
                "a second {definition} figure for FY{year} (each fiscal year and basis once)"
            )));
        }
        notes.push(Note {
            source: JAPAN_FY_SOURCE.to_string(),
            key: key.clone(),
            text: describe(&[row.get(scope_col), basis, row.get(note_col)], Some(url)),
        });
        observations.push(Observation {
            country: japan.clone(),
            year,
            year_basis: YearBasis::FY_APR,
            measure: Measure::HnsLcu,
            definition: definition.to_string(),
            value: Some(amount),
            unit: Unit::Lcu,
            source: JAPAN_FY_SOURCE.to_string(),
            vintage: String::new(),
            flags,
            notes: key,
        });
    }
    let (first, last) = span(&observations);
    let vintage = format!("compiled list, FY{first}-FY{last}");
    for o in &mut observations {
        o.vintage.clone_from(&vintage);
    }
    let source = compiled_source(
        JAPAN_FY_SOURCE,
        "Japan host-nation support (在日米軍駐留経費負担) by fiscal year: initial budgets and \
         settled outlays",
        &table,
        &vintage,
        &urls,
        "April-March fiscal years named by the year they start in. Initial budgets \
         (national:jp-hns-budget, flagged budget) and settled outlays from the Board of Audit \
         (national:jp-hns-settlement) are separate series; FY1999 has both. Years the pages \
         did not cover have no figure (FY2003-05, 2007, 2011-14, 2017-18, 2020 and from FY2022: \
         see the Special Measures Agreements in plans.csv). Scope: host-nation support total; \
         excludes SACO and realignment costs, base rents and neighbourhood measures.",
    );
    Ok(ReaderOutput {
        sources: vec![source],
        definitions: Vec::new(),
        notes,
        observations,
        commitments: Commitments::default(),
    })
}

/// `japan_sma_agreements.csv` -> one plan per agreement period.
pub fn read_japan_agreements(
    path: &Path,
    countries: &CountryRegistry,
) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let [period_col, total_col, avg_col, url_col, note_col] = table.columns(&[
        "agreement_period",
        "total_100m_yen",
        "annual_average_100m_yen",
        "source_url",
        "note",
    ])?[..] else {
        unreachable!("columns returns one position per name")
    };
    let japan = country(countries, path, "JPN")?;
    let mut plans: Vec<Plan> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    for row in table.rows() {
        let period = row.text(period_col, "agreement_period")?;
        let (from, to) = fiscal_span(&row, period)?;
        let years = f64::from(to - from + 1);
        let average = row.number(avg_col, "annual_average_100m_yen")? * 1e8;
        if average <= 0.0 {
            return Err(row.error("annual_average_100m_yen is not a positive amount"));
        }
        let mut flags = Flags::EMPTY.with(Flag::Plan);
        let note = row.get(note_col);
        let (amount, how) = if row.get(total_col).is_empty() {
            if years > 1.0 {
                // The page gives only the annual level: the total is that level times the
                // years, which the agreement did not state as such.
                flags.insert(Flag::Approximate);
            }
            (
                average * years,
                format!(
                    "total not stated: {} x the stated annual level",
                    years as i32
                ),
            )
        } else {
            let total = row.number(total_col, "total_100m_yen")? * 1e8;
            // The stated average is the total over the years, rounded to ¥100 million.
            if (total / years - average).abs() > 0.5e8 {
                return Err(row.error(format!(
                    "total_100m_yen {} over {} years is not the stated annual average {} \
                     (within ¥100 million)",
                    total / 1e8,
                    years,
                    average / 1e8
                )));
            }
            (total, "total as stated".to_string())
        };
        let url = row.text(url_col, "source_url")?;
        urls.push(url.to_string());
        let id = if from == to {
            format!("jp-sma-fy{from}")
        } else {
            format!("jp-sma-fy{from}-{:02}", to % 100)
        };
        if plans.iter().any(|p| p.id == id) {
            return Err(row.error(format!("agreement period {period} appears twice")));
        }
        plans.push(Plan {
            id,
            country: japan.clone(),
            name: if from == to {
                format!("Host-nation support, FY{from} (one-year extension of the Special Measures Agreement)")
            } else {
                format!("Host-nation support, Special Measures Agreement FY{from}-{to}")
            },
            from_year: from,
            to_year: to,
            year_basis: YearBasis::FY_APR,
            measure: Measure::HnsLcu,
            definition: JP_SMA.to_string(),
            amount,
            unit: Unit::Lcu,
            flags,
            note: describe(
                &[
                    &format!(
                        "Stated annual average ¥{:.1} bn; {how}",
                        average / 1e9
                    ),
                    note,
                ],
                None,
            ),
            source: JAPAN_SMA_SOURCE.to_string(),
            source_url: url.to_string(),
        });
    }
    let last = plans.iter().map(|p| p.to_year).max().unwrap_or(0);
    let first = plans.iter().map(|p| p.from_year).min().unwrap_or(0);
    let vintage = format!("compiled list, agreements FY{first}-FY{last}");
    let source = compiled_source(
        JAPAN_SMA_SOURCE,
        "Japan-US Special Measures Agreements on host-nation support: totals and annual \
         averages per agreement period",
        &table,
        &vintage,
        &urls,
        "One row per agreement period (plans.csv, definition national:jp-hns-sma): an \
         agreement's total over its fiscal years, not a yearly figure. Where only the annual \
         level was reported the total is that level times the years, flagged approximate.",
    );
    Ok(ReaderOutput {
        sources: vec![source],
        commitments: Commitments {
            plans,
            ..Commitments::default()
        },
        ..ReaderOutput::default()
    })
}

/// `korea_sma_by_year.csv` -> `hns_lcu` by calendar year.
pub fn read_korea(path: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let [
        year_col,
        oku_col,
        won_col,
        sma_col,
        status_col,
        url_col,
        note_col,
    ] = table.columns(&[
        "year",
        "amount_100m_won",
        "amount_won",
        "sma",
        "status",
        "source_url",
        "note",
    ])?[..]
    else {
        unreachable!("columns returns one position per name")
    };
    let korea = country(countries, path, "KOR")?;
    let mut observations: Vec<Observation> = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    for row in table.rows() {
        let year = row.year(year_col, "year")?;
        let amount = row.checked_amount(oku_col, won_col, "amount_100m_won", "amount_won")?;
        let status = row.text(status_col, "status")?;
        let note = row.get(note_col);
        let lower = status.to_ascii_lowercase();
        let mut flags = if lower.starts_with("agreed") || lower == "approximate" {
            Flags::EMPTY.with(Flag::Plan)
        } else if lower == "paid" {
            Flags::EMPTY
        } else {
            return Err(row.error(format!(
                "status '{status}' is not one fairshare knows (expected paid, agreed ... or \
                 approximate)"
            )));
        };
        // The compiler marks rounded press figures in the status or, for 1991, in the note.
        if lower == "approximate" || note.to_ascii_lowercase().contains("treat as approximate") {
            flags.insert(Flag::Approximate);
        }
        let url = row.text(url_col, "source_url")?;
        urls.push(url.to_string());
        let key = format!("{year}:kr-sma");
        if notes.iter().any(|n| n.key == key) {
            return Err(row.error(format!("a second figure for {year} (each year once)")));
        }
        notes.push(Note {
            source: KOREA_SOURCE.to_string(),
            key: key.clone(),
            text: describe(&[row.get(sma_col), status, note], Some(url)),
        });
        observations.push(Observation {
            country: korea.clone(),
            year,
            year_basis: YearBasis::Calendar,
            measure: Measure::HnsLcu,
            definition: KR_SMA.to_string(),
            value: Some(amount),
            unit: Unit::Lcu,
            source: KOREA_SOURCE.to_string(),
            vintage: String::new(),
            flags,
            notes: key,
        });
    }
    let (first, last) = span(&observations);
    let vintage = format!("compiled list, {first}-{last}");
    for o in &mut observations {
        o.vintage.clone_from(&vintage);
    }
    let source = compiled_source(
        KOREA_SOURCE,
        "South Korea's contributions under the ROK-US Special Measures Agreements, by year",
        &table,
        &vintage,
        &urls,
        "Calendar years, won. Agreed amounts (flagged plan: what Korea committed to, not \
         necessarily paid); rounded press figures flagged approximate. No figure for years the \
         pages did not give (2023-2024 among recent years). 2027-30 rise with CPI, capped at \
         5% a year (12th SMA); not projected here.",
    );
    Ok(ReaderOutput {
        sources: vec![source],
        definitions: Vec::new(),
        notes,
        observations,
        commitments: Commitments::default(),
    })
}

fn country(countries: &CountryRegistry, path: &Path, code: &str) -> Result<String, IngestError> {
    countries
        .get(code)
        .map(|c| c.code.clone())
        .ok_or_else(|| IngestError::format(path, format!("{code} is not in the country registry")))
}

/// First and last year of the observations.
fn span(observations: &[Observation]) -> (i32, i32) {
    let first = observations.iter().map(|o| o.year).min().unwrap_or(0);
    let last = observations.iter().map(|o| o.year).max().unwrap_or(0);
    (first, last)
}

/// `FY2011-FY2015` -> (2011, 2015); `FY2021` -> (2021, 2021).
fn fiscal_span(row: &Row, text: &str) -> Result<(i32, i32), IngestError> {
    let bad = || {
        row.error(format!(
            "agreement_period '{text}' is not a fiscal-year span like FY2022-FY2026 or FY2021"
        ))
    };
    let year = |s: &str| -> Result<i32, IngestError> {
        s.trim()
            .strip_prefix("FY")
            .and_then(|y| y.parse::<i32>().ok())
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(bad)
    };
    let (from, to) = match text.split_once('-') {
        Some((a, b)) => (year(a)?, year(b)?),
        None => {
            let y = year(text)?;
            (y, y)
        }
    };
    if to < from {
        return Err(bad());
    }
    Ok((from, to))
}

/// A row in words for a note or plan: its non-empty parts joined, then the page.
fn describe(parts: &[&str], url: Option<&str>) -> String {
    let mut text = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    if !text.is_empty() && !text.ends_with('.') {
        text.push('.');
    }
    if let Some(url) = url {
        text.push_str(" Page: ");
        text.push_str(url);
    }
    text
}

/// The source record of one hand-compiled table.
fn compiled_source(
    id: &str,
    title: &str,
    table: &Table,
    vintage: &str,
    urls: &[String],
    note: &str,
) -> Source {
    let pages = hosts(urls.iter().map(String::as_str)).join(", ");
    Source {
        id: id.to_string(),
        publisher: format!("fairshare, compiled by hand from {pages}"),
        title: title.to_string(),
        file: table.file_name(),
        vintage: vintage.to_string(),
        released: "not stated in the file".to_string(),
        url: source_page(urls.iter().map(String::as_str)),
        licence: "Facts (amounts) compiled from the cited pages of ministries, the Board of \
                  Audit and news reports; cite those pages"
            .to_string(),
        citation: format!(
            "{title}, compiled for fairshare from {pages} ({vintage}); the page behind each \
             figure is in its note (notes.csv) or source_url."
        ),
        rank: 1,
        note: note.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    /// The Japanese table's layout and quirks: two bases for FY1999, Japanese text in
    /// the basis, a quoted note with a comma.
    const JAPAN_FY: &str = "\
fiscal_year,amount_100m_yen,amount_yen,basis,scope,source_url,note
1978,62,6200000000,initial budget,HNS start: labor cost (welfare) share only,https://jisin.jp/?p=1,\"Also dot.asahi.com (62億円, 78年度)\"
1999,2717.75,271775000000,settlement (支出済歳出額),在日米軍駐留経費負担 (HNS total),https://report.jbaudit.go.jp/a.htm,百万円 271775
1999,2756,275600000000,initial budget (歳出ベース),在日米軍駐留経費負担 (HNS total),https://www.nikkei.com/b,Peak year per Nikkei
2021,2017,201700000000,initial budget (歳出ベース),HNS total,https://www.nikkei.com/b,+9% vs FY2014
";

    const JAPAN_SMA: &str = "\
agreement_period,total_100m_yen,annual_average_100m_yen,source_url,note
FY2011-FY2015,,1881,https://japantimes.co.jp/a,\"Five-year SMA keeping annual outlay ~¥188.1bn\"
FY2021,,2017,https://johosokuhou.com/b,1-year provisional extension
FY2022-FY2026,10551,2110,https://japannews.yomiuri.co.jp/c,Renamed 同盟強靱化予算
";

    const KOREA: &str = "\
year,amount_100m_won,amount_won,sma,status,source_url,note
1991,1073,107300000000,1st SMA,paid,http://www.koreaherald.com/a,\"Korea Herald: 107 billion won; treat as approximate\"
2019,10389,1038900000000,10th SMA (1 year),agreed,https://www.mofa.go.kr/b,+8.2%
2025,14000,1400000000000,11th SMA,approximate,https://menafn.com/c,KRW 1.40 trillion this year
2026,15192,1519200000000,12th SMA (2026-2030),agreed,https://world.kbs.co.kr/d,+8.3%
";

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    fn japan_fy(text: &str) -> Result<ReaderOutput, IngestError> {
        let (_dir, path) = write("japan_hns_by_fiscal_year.csv", text);
        read_japan_fiscal_years(&path, &builtin_countries())
    }

    fn japan_sma(text: &str) -> Result<ReaderOutput, IngestError> {
        let (_dir, path) = write("japan_sma_agreements.csv", text);
        read_japan_agreements(&path, &builtin_countries())
    }

    fn korea(text: &str) -> Result<ReaderOutput, IngestError> {
        let (_dir, path) = write("korea_sma_by_year.csv", text);
        read_korea(&path, &builtin_countries())
    }

    #[test]
    fn japan_budget_and_settlement_are_separate_series() {
        let out = japan_fy(JAPAN_FY).unwrap();
        let got: Vec<_> = out
            .observations
            .iter()
            .map(|o| {
                (
                    o.year,
                    o.definition.as_str(),
                    o.value,
                    o.flags.to_string(),
                    o.notes.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    1978,
                    JP_BUDGET,
                    Some(6.2e9),
                    "budget".into(),
                    "fy1978:jp-hns-budget"
                ),
                (
                    1999,
                    JP_SETTLEMENT,
                    Some(271.775e9),
                    "".into(),
                    "fy1999:jp-hns-settlement"
                ),
                (
                    1999,
                    JP_BUDGET,
                    Some(275.6e9),
                    "budget".into(),
                    "fy1999:jp-hns-budget"
                ),
                (
                    2021,
                    JP_BUDGET,
                    Some(201.7e9),
                    "budget".into(),
                    "fy2021:jp-hns-budget"
                ),
            ]
        );
        assert!(out.observations.iter().all(|o| o.country == "JPN"
            && o.measure == Measure::HnsLcu
            && o.unit == Unit::Lcu
            && o.year_basis == YearBasis::FY_APR
            && o.vintage == "compiled list, FY1978-FY2021"));
        assert_eq!(
            out.notes[0].text,
            "HNS start: labor cost (welfare) share only; initial budget; Also dot.asahi.com \
             (62億円, 78年度). Page: https://jisin.jp/?p=1"
        );
        let src = &out.sources[0];
        assert_eq!(src.id, JAPAN_FY_SOURCE);
        assert_eq!(src.vintage, "compiled list, FY1978-FY2021");
        // The Board of Audit page is the official one.
        assert_eq!(src.url, "https://report.jbaudit.go.jp/a.htm");
    }

    #[test]
    fn agreements_are_plans_with_their_averages() {
        let out = japan_sma(JAPAN_SMA).unwrap();
        assert!(out.observations.is_empty());
        let plans = &out.commitments.plans;
        let got: Vec<_> = plans
            .iter()
            .map(|p| {
                (
                    p.id.as_str(),
                    p.from_year,
                    p.to_year,
                    p.amount,
                    p.flags.to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "jp-sma-fy2011-15",
                    2011,
                    2015,
                    5.0 * 188.1e9,
                    "approximate;plan".into()
                ),
                ("jp-sma-fy2021", 2021, 2021, 201.7e9, "plan".into()),
                ("jp-sma-fy2022-26", 2022, 2026, 1.0551e12, "plan".into()),
            ]
        );
        let fy22 = &plans[2];
        assert_eq!(fy22.amount / f64::from(fy22.years()), 211.02e9);
        assert_eq!(
            (fy22.measure, fy22.definition.as_str(), fy22.year_basis),
            (Measure::HnsLcu, JP_SMA, YearBasis::FY_APR)
        );
        assert_eq!(
            plans[0].note,
            "Stated annual average ¥188.1 bn; total not stated: 5 x the stated annual level; \
             Five-year SMA keeping annual outlay ~¥188.1bn."
        );
        assert_eq!(
            out.sources[0].vintage,
            "compiled list, agreements FY2011-FY2026"
        );
    }

    #[test]
    fn korea_agreed_amounts_are_plans_and_press_figures_approximate() {
        let out = korea(KOREA).unwrap();
        let got: Vec<_> = out
            .observations
            .iter()
            .map(|o| (o.year, o.value, o.flags.to_string()))
            .collect();
        assert_eq!(
            got,
            vec![
                (1991, Some(107.3e9), "approximate".into()),
                (2019, Some(1.0389e12), "plan".into()),
                (2025, Some(1.4e12), "approximate;plan".into()),
                (2026, Some(1.5192e12), "plan".into()),
            ]
        );
        assert!(out.observations.iter().all(|o| o.country == "KOR"
            && o.definition == KR_SMA
            && o.year_basis == YearBasis::Calendar
            && o.vintage == "compiled list, 1991-2026"));
        assert_eq!(
            out.notes[3].text,
            "12th SMA (2026-2030); agreed; +8.3%. Page: https://world.kbs.co.kr/d"
        );
    }

    #[test]
    fn bad_rows_are_errors_naming_file_and_line() {
        let cases: Vec<(Result<ReaderOutput, IngestError>, &str, &str)> = vec![
            (
                japan_fy(&JAPAN_FY.replace(",2756,", ",2757,")),
                "japan_hns_by_fiscal_year.csv: ",
                "line 4: amount_yen 275600000000 is not amount_100m_yen 2757 x 100 million",
            ),
            (
                japan_fy(&JAPAN_FY.replace("settlement (支出", "outturn (支出")),
                "japan_hns_by_fiscal_year.csv: ",
                "line 3: basis 'outturn (支出済歳出額)' is not one fairshare knows",
            ),
            (
                japan_fy(&format!(
                    "{JAPAN_FY}2021,2000,200000000000,initial budget,x,https://x,\n"
                )),
                "japan_hns_by_fiscal_year.csv: ",
                "line 6: a second national:jp-hns-budget figure for FY2021",
            ),
            (
                japan_fy(&JAPAN_FY.replace("amount_yen,basis", "yen,basis")),
                "japan_hns_by_fiscal_year.csv: ",
                "line 1: the header has no 'amount_yen' column",
            ),
            (
                japan_sma(&JAPAN_SMA.replace("10551,2110", "10551,2200")),
                "japan_sma_agreements.csv: ",
                "line 4: total_100m_yen 10551 over 5 years is not the stated annual average 2200",
            ),
            (
                japan_sma(&JAPAN_SMA.replace("FY2021,", "2021/22,")),
                "japan_sma_agreements.csv: ",
                "line 3: agreement_period '2021/22' is not a fiscal-year span",
            ),
            (
                korea(&KOREA.replace(",agreed,https://world", ",promised,https://world")),
                "korea_sma_by_year.csv: ",
                "line 5: status 'promised' is not one fairshare knows",
            ),
            (
                korea(&KOREA.replace("2026,15192,", "2026,15193,")),
                "korea_sma_by_year.csv: ",
                "line 5: amount_won 1519200000000 is not amount_100m_won 15193",
            ),
        ];
        for (result, file, expected) in cases {
            let err = result.unwrap_err().to_string();
            assert!(err.contains(file), "{err}");
            assert!(err.contains(expected), "expected '{expected}' in: {err}");
        }
        let missing = read(Path::new("/nonexistent-raw"), &builtin_countries())
            .unwrap_err()
            .to_string();
        assert!(missing.contains("host_nation_support"), "{missing}");
    }
}
