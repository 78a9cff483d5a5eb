//! Japan's national defence budget series, from the hand-compiled table in
//! `japan_defense_budget/` (layout and sources: `japan_defense_budget/SOURCE.md`).
//!
//! `japan_defense_budget.csv` has one row per fiscal year and item:
//! `fiscal_year,item,amount_100m_yen,amount_yen,basis,source_url,note`. Japanese fiscal
//! years run April-March and are named by the year they start in (`fy_apr`). Each item
//! becomes its own definition, so no key repeats:
//!
//! | item                                              | becomes                                   |
//! |---------------------------------------------------|-------------------------------------------|
//! | MOD defense budget ...                            | `milex_lcu`, `national:jp-mod`            |
//! | Defense Buildup Program covered expenses only     | `milex_lcu`, `national:jp-dbp`            |
//! | Security-related expenditures (...)               | `milex_lcu`, `national:jp-security`       |
//! | Security-related expenditures incl. ... supplementary | `milex_lcu`, `national:jp-security-supp` |
//! | Defense Buildup Program total (FY2023-2027)       | the plan `jp-dbp-fy2023-27` (plans.csv)   |
//! | Target: security-related expenditures = 2% of GDP | the target `japan-2pct-fy2027` (targets.csv) |
//!
//! `basis` gives the flags: an initial or supplementary budget is `budget`; a cabinet
//! draft is `plan` (proposed, not adopted); "(approx)" adds `approximate` (figures the
//! source printed rounded, e.g. "5.3 trillion"). `amount_yen` is used and checked
//! against `amount_100m_yen` x 10^8. Each row's page and note become a publisher note
//! (key `fy2025:jp-security`, ...) that `explain` prints.
//!
//! The FY2027 target is 2% of **FY2022** GDP: the target row's note gives that GDP
//! ("2% of FY2022 GDP (~560 trillion yen)", citing the Defense of Japan 2024 white
//! paper); the reader takes the year and the amount from the note and checks that 2% of
//! it is within 5% of the row's amount (the MOD's "about ¥11 trillion"), so a changed
//! file cannot silently change the target.

use std::path::Path;

use super::table::{Row, Table, hosts, source_page};
use super::{IngestError, ReaderOutput, find_file};
use crate::commitments::{Commitments, Plan, Target};
use crate::model::{Flag, Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{CountryRegistry, Definition, Note, Source};

pub const SOURCE_ID: &str = "japan-defense-budget";
pub const TARGET_ID: &str = "japan-2pct-fy2027";
pub const PLAN_ID: &str = "jp-dbp-fy2023-27";

/// What one row of the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Series(&'static str),
    Plan,
    Target,
}

/// The row's item, by the start of its English label.
fn classify(item: &str) -> Option<Item> {
    let lower = item.to_ascii_lowercase();
    Some(if lower.starts_with("mod defense budget") {
        Item::Series("national:jp-mod")
    } else if lower.starts_with("defense buildup program covered expenses") {
        Item::Series("national:jp-dbp")
    } else if lower.starts_with("security-related expenditures incl.")
        && lower.contains("supplementary")
    {
        Item::Series("national:jp-security-supp")
    } else if lower.starts_with("security-related expenditures") {
        Item::Series("national:jp-security")
    } else if lower.starts_with("defense buildup program total") {
        Item::Plan
    } else if lower.starts_with("target:") {
        Item::Target
    } else {
        return None;
    })
}

/// The definitions this reader emits.
pub fn definitions() -> Vec<Definition> {
    let d = |id: &str, name: &str, description: &str| Definition {
        id: id.to_string(),
        name: name.to_string(),
        description: description.to_string(),
    };
    vec![
        d(
            "national:jp-mod",
            "Japan: Ministry of Defense budget",
            "The Ministry of Defense's budget (防衛関係費) for an April-March fiscal year, as \
             adopted in the initial budget (or, for the coming year, as drafted by the \
             Cabinet), including the costs of the SACO agreement and the realignment of US \
             forces borne by Japan unless a row says otherwise. It covers the Self-Defense \
             Forces and the ministry, and leaves out the coast guard and the defence-related \
             items of other ministries that Japan's 2% accounting adds. Budgets, not outturns.",
        ),
        d(
            "national:jp-dbp",
            "Japan: Defense Buildup Program expenses",
            "The part of the Ministry of Defense's budget counted toward the FY2023-27 Defense \
             Buildup Program (防衛力整備計画), i.e. without the SACO- and US-realignment-related \
             costs, for an April-March fiscal year; initial budget.",
        ),
        d(
            "national:jp-security",
            "Japan: security-related expenditures (initial budget)",
            "The wider accounting Japan adopted with its December 2022 security strategy for \
             its goal of 2% of GDP (安全保障関連経費): the defence budget under the Defense \
             Buildup Program, SACO and US-realignment costs, the Japan Coast Guard, \
             peacekeeping, and four complementary areas funded by other ministries \
             (defence-related research and development, public infrastructure, cybersecurity, \
             international cooperation such as Official Security Assistance). Initial budget \
             of an April-March fiscal year; compare it with 2% of FY2022 GDP.",
        ),
        d(
            "national:jp-security-supp",
            "Japan: security-related expenditures incl. supplementary budget",
            "Japan's security-related expenditures (as national:jp-security) including the \
             supplementary budget adopted during the same April-March fiscal year.",
        ),
    ]
}

/// Read the table under `raw_root/japan_defense_budget`.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join("japan_defense_budget");
    read_file(&find_file(&dir, "japan_defense_budget", ".csv")?, countries)
}

/// Read one file in the table's layout.
pub fn read_file(path: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let [
        fy_col,
        item_col,
        oku_col,
        yen_col,
        basis_col,
        url_col,
        note_col,
    ] = table.columns(&[
        "fiscal_year",
        "item",
        "amount_100m_yen",
        "amount_yen",
        "basis",
        "source_url",
        "note",
    ])?[..]
    else {
        unreachable!("columns returns one position per name")
    };
    let japan = countries
        .get("JPN")
        .ok_or_else(|| IngestError::format(path, "JPN is not in the country registry"))?;

    let mut observations: Vec<Observation> = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    let mut plans: Vec<Plan> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    for row in table.rows() {
        let item_text = row.text(item_col, "item")?;
        let item = classify(item_text).ok_or_else(|| {
            row.error(format!(
                "item '{item_text}' is not one fairshare knows (expected MOD defense budget..., \
                 Defense Buildup Program covered expenses only, Security-related expenditures..., \
                 Security-related expenditures incl. ... supplementary budget, Defense Buildup \
                 Program total..., or Target: ...)"
            ))
        })?;
        let amount = amount(&row, oku_col, yen_col)?;
        let basis = row.text(basis_col, "basis")?;
        let url = row.text(url_col, "source_url")?;
        let note = row.get(note_col);
        urls.push(url.to_string());
        let fy = row.text(fy_col, "fiscal_year")?;
        match item {
            Item::Series(definition) => {
                let year = row.year(fy_col, "fiscal_year")?;
                let flags = basis_flags(&row, basis)?;
                let key = format!("fy{year}:{}", definition.trim_start_matches("national:"));
                if notes.iter().any(|n| n.key == key) {
                    return Err(row.error(format!(
                        "a second {definition} figure for FY{year} (each fiscal year and item once)"
                    )));
                }
                notes.push(Note {
                    source: SOURCE_ID.to_string(),
                    key: key.clone(),
                    text: describe_row(item_text, basis, note, Some(url)),
                });
                observations.push(Observation {
                    country: japan.code.clone(),
                    year,
                    year_basis: YearBasis::FY_APR,
                    measure: Measure::MilexLcu,
                    definition: definition.to_string(),
                    value: Some(amount),
                    unit: Unit::Lcu,
                    source: SOURCE_ID.to_string(),
                    vintage: String::new(),
                    flags,
                    notes: key,
                });
            }
            Item::Plan => {
                let (from, to) = year_span(&row, fy)?;
                let mut flags = basis_flags(&row, basis)?;
                flags.insert(Flag::Plan);
                plans.push(Plan {
                    id: PLAN_ID.to_string(),
                    country: japan.code.clone(),
                    name: format!("Defense Buildup Program FY{from}-{to} (防衛力整備計画)"),
                    from_year: from,
                    to_year: to,
                    year_basis: YearBasis::FY_APR,
                    measure: Measure::MilexLcu,
                    definition: "national:jp-dbp".to_string(),
                    amount,
                    unit: Unit::Lcu,
                    flags,
                    note: describe_row(item_text, basis, note, None),
                    source: SOURCE_ID.to_string(),
                    source_url: url.to_string(),
                });
            }
            Item::Target => targets.push(target(&row, fy_col, item_text, amount, note, url)?),
        }
    }
    if observations.is_empty() {
        return Err(IngestError::format(
            path,
            "no budget rows (MOD defense budget, ...) found",
        ));
    }
    let first = observations.iter().map(|o| o.year).min().unwrap_or(0);
    let last = observations.iter().map(|o| o.year).max().unwrap_or(0);
    let vintage = format!("compiled list, FY{first}-FY{last}");
    for o in &mut observations {
        o.vintage.clone_from(&vintage);
    }
    let pages = hosts(urls.iter().map(String::as_str)).join(", ");
    let source = Source {
        id: SOURCE_ID.to_string(),
        publisher: format!("fairshare, compiled by hand from {pages}"),
        title: "Japan defence budgets by fiscal year: MOD budget, security-related expenditures, \
                Defense Buildup Program, FY2027 2% target"
            .to_string(),
        file: table.file_name(),
        vintage: vintage.clone(),
        released: "not stated in the file".to_string(),
        url: source_page(urls.iter().map(String::as_str)),
        licence: "Facts (budget amounts) compiled from the cited news reports and the Ministry \
                  of Defense white paper; cite those pages"
            .to_string(),
        citation: format!(
            "Japan defence budget figures, compiled for fairshare from {pages} ({vintage}); \
             the page behind each figure is in its note (notes.csv) or source_url."
        ),
        rank: 1,
        note: "Budgets (initial, supplementary, cabinet draft), not outturns; April-March fiscal \
               years named by the year they start in. Figures the sources printed rounded are \
               flagged approximate. No full MOD series before FY2021 in this file."
            .to_string(),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        definitions: definitions(),
        notes,
        observations,
        commitments: Commitments {
            plans,
            targets,
            ..Commitments::default()
        },
    })
}

/// A row in words for a note: "item; basis. note Page: url".
fn describe_row(item: &str, basis: &str, note: &str, url: Option<&str>) -> String {
    let mut text = format!("{item}; {basis}.");
    if !note.is_empty() {
        text.push(' ');
        text.push_str(note);
    }
    if let Some(url) = url {
        text.push_str(" Page: ");
        text.push_str(url);
    }
    text
}

/// `amount_yen`, checked against `amount_100m_yen` (億円).
fn amount(row: &Row, oku_col: usize, yen_col: usize) -> Result<f64, IngestError> {
    let yen = row.number(yen_col, "amount_yen")?;
    let oku = row.number(oku_col, "amount_100m_yen")?;
    if (oku * 1e8 - yen).abs() > 0.5 {
        return Err(row.error(format!(
            "amount_yen {yen} is not amount_100m_yen {oku} x 100 million"
        )));
    }
    if yen <= 0.0 {
        return Err(row.error(format!("amount_yen {yen} is not a positive amount")));
    }
    Ok(yen)
}

/// Flags from the `basis` text.
fn basis_flags(row: &Row, basis: &str) -> Result<Flags, IngestError> {
    let lower = basis.to_ascii_lowercase();
    let mut flags = if lower.starts_with("initial") {
        Flags::EMPTY.with(Flag::Budget)
    } else if lower.starts_with("cabinet draft") || lower.contains("plan total") {
        Flags::EMPTY.with(Flag::Plan)
    } else {
        return Err(row.error(format!(
            "basis '{basis}' is not one fairshare knows (expected initial budget, initial + \
             supplementary, cabinet draft, 5-year plan total or target, with '(approx)' for \
             rounded figures)"
        )));
    };
    if lower.contains("approx") {
        flags.insert(Flag::Approximate);
    }
    Ok(flags)
}

/// `2023-2027` -> (2023, 2027).
fn year_span(row: &Row, text: &str) -> Result<(i32, i32), IngestError> {
    let bad = || row.error(format!("fiscal_year '{text}' is not a span like 2023-2027"));
    let (a, b) = text.split_once('-').ok_or_else(bad)?;
    let from: i32 = a.trim().parse().map_err(|_| bad())?;
    let to: i32 = b.trim().parse().map_err(|_| bad())?;
    if to < from {
        Err(bad())
    } else {
        Ok((from, to))
    }
}

/// The FY2027 target row -> `japan-2pct-fy2027`.
fn target(
    row: &Row,
    fy_col: usize,
    item: &str,
    stated: f64,
    note: &str,
    url: &str,
) -> Result<Target, IngestError> {
    let by = row.year(fy_col, "fiscal_year")?;
    // "Target: security-related expenditures = 2% of GDP"
    let threshold = item
        .split_once('=')
        .and_then(|(_, rest)| rest.trim().split_once('%'))
        .and_then(|(n, _)| n.trim().parse::<f64>().ok())
        .ok_or_else(|| {
            row.error(format!(
                "target item '{item}' does not state a share like '= 2% of GDP'"
            ))
        })?;
    let (gdp_year, gdp) = fixed_gdp(note).ok_or_else(|| {
        row.error(format!(
            "the target's note does not state its fixed GDP like '2% of FY2022 GDP (~560 \
             trillion yen)': '{note}'"
        ))
    })?;
    let implied = threshold / 100.0 * gdp;
    if ((implied - stated) / stated).abs() > 0.05 {
        return Err(row.error(format!(
            "{threshold}% of FY{gdp_year} GDP ({gdp}) is {implied}, more than 5% away from the \
             row's amount {stated}"
        )));
    }
    Ok(Target {
        id: TARGET_ID.to_string(),
        aliases: String::new(),
        name: format!(
            "Japan: security-related expenditures at {threshold}% of FY{gdp_year} GDP in FY{by}"
        ),
        alliance: String::new(),
        country: "JPN".to_string(),
        measure: Some(Measure::MilexGdp),
        threshold,
        unit: Unit::PctGdp,
        by_year: by,
        year_basis: YearBasis::FY_APR,
        definition: "national:jp-security".to_string(),
        fixed_gdp_lcu: Some(gdp),
        fixed_gdp_year: Some(gdp_year),
        stated_amount_lcu: Some(stated),
        agreed: "2022-12-16".to_string(),
        agreed_at: "Cabinet decision on the National Security Strategy and Defense Buildup \
                    Program"
            .to_string(),
        description: format!(
            "{threshold}% of FY{gdp_year} GDP (about ¥{:.0} trillion, the Ministry of Defense's \
             figure): a fixed amount of about ¥{:.1} trillion, which the MOD states as about \
             ¥{:.0} trillion ({note}). In national terms the target does not move with later \
             GDP; SIPRI's reading divides by each calendar year's GDP instead.",
            gdp / 1e12,
            implied / 1e12,
            stated / 1e12
        ),
        flags: Flags::EMPTY.with(Flag::Approximate),
        source: SOURCE_ID.to_string(),
        source_url: url.to_string(),
    })
}

/// "2% of FY2022 GDP (~560 trillion yen)" -> (2022, 560e12).
fn fixed_gdp(note: &str) -> Option<(i32, f64)> {
    let at = note.find("FY")?;
    let rest = &note[at + 2..];
    let year: i32 = rest.get(..4)?.parse().ok()?;
    let rest = rest.get(4..)?.trim_start();
    if !rest.starts_with("GDP") {
        return None;
    }
    let tn = rest.find("trillion")?;
    let number: String = rest[..tn]
        .chars()
        .rev()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .filter(|c| *c != ',')
        .collect();
    let value: f64 = number.parse().ok()?;
    Some((year, value * 1e12))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    /// Rows in the file's layout and with its quirks: Japanese labels, rounded figures
    /// marked "(approx)", a cabinet draft, a span of years, the target row.
    const FIXTURE: &str = "\
fiscal_year,item,amount_100m_yen,amount_yen,basis,source_url,note
2022,MOD defense budget incl. US-base related (SACO/realignment),54000,5400000000000,initial budget (approx),https://www.nippon.com/a,\"5.40 trillion yen, +1.1%\"
2025,MOD defense budget incl. SACO/realignment,87005,8700500000000,initial budget,https://dailydefense.jp/b,+9.4% (令和7年度 8兆7005億円)
2025,Defense Buildup Program covered expenses only,84748,8474800000000,initial budget,https://news.yahoo.co.jp/c,+9.7%
2025,Security-related expenditures (安全保障関連経費; NATO-style 2% accounting),99300,9930000000000,initial budget,https://eforum2025.blogspot.com/d,≈1.8% of GDP
2025,Security-related expenditures incl. FY2025 supplementary budget,110000,11000000000000,initial + supplementary (approx),https://japannews.yomiuri.co.jp/e,Supplementary adds ~1.1 trillion
2026,MOD defense budget incl. US-base related,90400,9040000000000,cabinet draft (2025-12-26),https://www.trtworld.com:443/f,9.04 trillion yen record draft
2023-2027,Defense Buildup Program total (防衛力整備計画),430000,43000000000000,5-year plan total,https://www.japantimes.co.jp/g,¥43 trillion FY2023-27
2027,Target: security-related expenditures = 2% of GDP,110000,11000000000000,target,http://www.clearing.mod.go.jp/h,\"2% of FY2022 GDP (~560 trillion yen); DBP 8.9 trillion + other 2.1\"
";

    fn read_text(text: &str) -> Result<ReaderOutput, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("japan_defense_budget.csv");
        std::fs::write(&path, text).unwrap();
        read_file(&path, &builtin_countries())
    }

    #[test]
    fn each_item_is_its_own_definition_with_budget_flags() {
        let out = read_text(FIXTURE).unwrap();
        let got: Vec<_> = out
            .observations
            .iter()
            .map(|o| {
                (
                    o.year,
                    o.definition.as_str(),
                    o.value,
                    o.flags.to_string(),
                    o.year_basis,
                    o.notes.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    2022,
                    "national:jp-mod",
                    Some(5.4e12),
                    "approximate;budget".into(),
                    YearBasis::FY_APR,
                    "fy2022:jp-mod"
                ),
                (
                    2025,
                    "national:jp-mod",
                    Some(8.7005e12),
                    "budget".into(),
                    YearBasis::FY_APR,
                    "fy2025:jp-mod"
                ),
                (
                    2025,
                    "national:jp-dbp",
                    Some(8.4748e12),
                    "budget".into(),
                    YearBasis::FY_APR,
                    "fy2025:jp-dbp"
                ),
                (
                    2025,
                    "national:jp-security",
                    Some(9.93e12),
                    "budget".into(),
                    YearBasis::FY_APR,
                    "fy2025:jp-security"
                ),
                (
                    2025,
                    "national:jp-security-supp",
                    Some(11e12),
                    "approximate;budget".into(),
                    YearBasis::FY_APR,
                    "fy2025:jp-security-supp"
                ),
                (
                    2026,
                    "national:jp-mod",
                    Some(9.04e12),
                    "plan".into(),
                    YearBasis::FY_APR,
                    "fy2026:jp-mod"
                ),
            ]
        );
        assert!(
            out.observations
                .iter()
                .all(|o| o.vintage == "compiled list, FY2022-FY2026"
                    && o.measure == Measure::MilexLcu
                    && o.unit == Unit::Lcu
                    && o.country == "JPN")
        );
        assert_eq!(
            out.notes[3].text,
            "Security-related expenditures (安全保障関連経費; NATO-style 2% accounting); initial \
             budget. ≈1.8% of GDP Page: https://eforum2025.blogspot.com/d"
        );
        assert_eq!(out.definitions.len(), 4);
        assert_eq!(out.sources[0].id, "japan-defense-budget");
        assert_eq!(out.sources[0].vintage, "compiled list, FY2022-FY2026");
    }

    #[test]
    fn the_programme_is_a_plan_and_the_target_is_2pct_of_fy2022_gdp() {
        let out = read_text(FIXTURE).unwrap();
        let plan = &out.commitments.plans[0];
        assert_eq!(plan.id, "jp-dbp-fy2023-27");
        assert_eq!(
            (plan.from_year, plan.to_year, plan.amount),
            (2023, 2027, 43e12)
        );
        assert_eq!(plan.flags.to_string(), "plan");
        assert_eq!(plan.definition, "national:jp-dbp");
        let t = &out.commitments.targets[0];
        assert_eq!(t.id, "japan-2pct-fy2027");
        assert_eq!(
            (t.threshold, t.by_year, t.year_basis),
            (2.0, 2027, YearBasis::FY_APR)
        );
        assert_eq!(
            (t.fixed_gdp_lcu, t.fixed_gdp_year),
            (Some(560e12), Some(2022))
        );
        assert_eq!(t.stated_amount_lcu, Some(11e12));
        assert_eq!(t.fixed_amount_lcu(), Some(11.2e12));
        assert_eq!(t.definition, "national:jp-security");
        assert_eq!(t.source_url, "http://www.clearing.mod.go.jp/h");
    }

    #[test]
    fn bad_rows_are_errors_naming_file_and_line() {
        let cases = [
            (
                FIXTURE.replace(",54000,", ",54001,"),
                "line 2: amount_yen 5400000000000 is not amount_100m_yen 54001",
            ),
            (
                FIXTURE.replace("MOD defense budget incl. SACO", "Defence ministry"),
                "line 3: item 'Defence ministry/realignment' is not one fairshare knows",
            ),
            (
                FIXTURE.replace(
                    "initial budget,https://dailydefense",
                    "settlement,https://dailydefense",
                ),
                "line 3: basis 'settlement' is not one fairshare knows",
            ),
            (
                FIXTURE.replace("2023-2027,", "2023/27,"),
                "line 8: fiscal_year '2023/27' is not a span",
            ),
            (
                FIXTURE.replace("(~560 trillion yen)", "(about 600 trillion yen)"),
                "line 9: 2% of FY2022 GDP (600000000000000) is 12000000000000",
            ),
            (
                FIXTURE.replace("2% of FY2022 GDP", "2% of GDP"),
                "line 9: the target's note does not state its fixed GDP",
            ),
            (
                FIXTURE.replace("amount_yen,basis", "yen,basis"),
                "line 1: the header has no 'amount_yen' column",
            ),
            (
                format!(
                    "{FIXTURE}2025,Security-related expenditures (x),1,100000000,initial budget,https://x,\n"
                ),
                "line 10: a second national:jp-security figure for FY2025",
            ),
        ];
        for (text, expected) in cases {
            let err = read_text(&text).unwrap_err().to_string();
            assert!(err.contains("japan_defense_budget.csv: "), "{err}");
            assert!(err.contains(expected), "expected '{expected}' in: {err}");
        }
    }

    #[test]
    fn fixed_gdp_is_read_from_the_note() {
        assert_eq!(
            fixed_gdp("2% of FY2022 GDP (~560 trillion yen); DBP"),
            Some((2022, 560e12))
        );
        assert_eq!(
            fixed_gdp("FY2022 GDP ≈ 1,000.5 trillion"),
            Some((2022, 1000.5e12))
        );
        assert_eq!(fixed_gdp("2% of GDP"), None);
    }
}
