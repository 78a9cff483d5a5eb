//! NATO's members and spending targets, from the hand-compiled tables in `nato/`
//! (layout and sources: `nato/SOURCE.md`):
//!
//! - `nato_members_accession.csv` (`country,iso3c,accession_year,wave,source_url`): the
//!   32 parties to the North Atlantic Treaty with their accession years -> the alliance
//!   `NATO` and one membership row each (the United States included: it is a party).
//! - `nato_spending_targets.csv` (`target_id,summit,date_agreed,deadline_year,metric,
//!   value_pct_gdp,description,source_url`): the Wales 2014 and The Hague 2025 targets
//!   -> `targets.csv` under fairshare's ids (`nato-2pct`, ...), the file's ids kept as
//!   aliases. The file calls its value column `value_pct_gdp` even for the equipment
//!   guideline, which is a share of defence spending: fairshare's table of known targets
//!   fixes the unit and checks the file's number against the id.
//!
//! Quirks: accession years only (no dates); Germany joined in 1955 as West Germany and
//! is recorded under DEU; France left the integrated military command 1966-2009 but
//! remained a member (kept as a member throughout). The files carry no release date,
//! so the vintage names what the file shows (the last accession year; the last date a
//! target was agreed). Every row keeps its page in `source_url`.

use std::collections::BTreeSet;
use std::path::Path;

use super::table::{Table, hosts, source_page};
use super::{IngestError, ReaderOutput, find_file};
use crate::commitments::{Alliance, Commitments, Membership, Target};
use crate::model::{Flags, Measure, Unit, YearBasis};
use crate::registry::{CountryRegistry, Source};

pub const MEMBERS_SOURCE: &str = "nato-members";
pub const TARGETS_SOURCE: &str = "nato-targets";

/// A NATO target fairshare knows, by the raw file's id.
struct KnownTarget {
    raw: &'static str,
    id: &'static str,
    measure: Option<Measure>,
    unit: Unit,
    threshold: f64,
    name: &'static str,
    /// What fairshare adds to the file's description: how it is evaluated.
    evaluated: &'static str,
}

const KNOWN_TARGETS: &[KnownTarget] = &[
    KnownTarget {
        raw: "wales_2pct",
        id: "nato-2pct",
        measure: Some(Measure::MilexGdp),
        unit: Unit::PctGdp,
        threshold: 2.0,
        name: "Wales 2014: defence expenditure at 2% of GDP by 2024",
        evaluated: "Evaluated against military expenditure as a share of GDP (milex_gdp).",
    },
    KnownTarget {
        raw: "wales_20pct_equipment",
        id: "nato-equipment-20pct",
        measure: Some(Measure::MilexEquipmentShare),
        unit: Unit::PctMilex,
        threshold: 20.0,
        name: "Wales 2014: 20% of defence expenditure on major equipment incl. R&D",
        evaluated: "Evaluated against NATO's equipment share (milex_equipment_share); only \
                    NATO publishes it.",
    },
    KnownTarget {
        raw: "hague_core_3_5pct",
        id: "nato-core-3.5pct-2035",
        measure: Some(Measure::MilexGdp),
        unit: Unit::PctGdp,
        threshold: 3.5,
        name: "The Hague 2025: core defence expenditure at 3.5% of GDP by 2035",
        evaluated: "Evaluated against military expenditure as a share of GDP (milex_gdp).",
    },
    KnownTarget {
        raw: "hague_resilience_1_5pct",
        id: "nato-related-1.5pct-2035",
        measure: None,
        unit: Unit::PctGdp,
        threshold: 1.5,
        name: "The Hague 2025: up to 1.5% of GDP on defence- and security-related spending by 2035",
        evaluated: "Listed, not evaluated: no dataset in fairshare measures defence- and \
                    security-related spending (infrastructure, resilience, industrial base).",
    },
    KnownTarget {
        raw: "hague_total_5pct",
        id: "nato-5pct-2035",
        measure: Some(Measure::MilexGdp),
        unit: Unit::PctGdp,
        threshold: 5.0,
        name: "The Hague 2025: 5% of GDP by 2035 (3.5% core defence + 1.5% related)",
        evaluated: "Evaluated against military expenditure as a share of GDP (milex_gdp) \
                    only: the related spending that also counts toward 5% is not in any \
                    dataset here, so the gap shown is an upper bound.",
    },
];

/// Read both tables under `raw_root/nato`.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join("nato");
    let mut out = read_members(&find_file(&dir, "nato_members", ".csv")?, countries)?;
    out.extend(read_targets(&find_file(
        &dir,
        "nato_spending_targets",
        ".csv",
    )?)?);
    Ok(out)
}

/// The members table: the alliance `NATO`, one membership per member, the source.
pub fn read_members(path: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let [name_col, iso_col, year_col, wave_col, url_col] =
        table.columns(&["country", "iso3c", "accession_year", "wave", "source_url"])?[..]
    else {
        unreachable!("columns returns one position per name")
    };
    let mut memberships = Vec::new();
    let mut seen = BTreeSet::new();
    for row in table.rows() {
        let name = row.text(name_col, "country")?;
        let code = row.text(iso_col, "iso3c")?;
        let country = countries.get(code).ok_or_else(|| {
            row.error(format!(
                "country code '{code}' ({name}) is not in the country registry; add it to \
                 registry/countries.csv"
            ))
        })?;
        // A name that resolves to another code means the row is misaligned.
        if let Ok(named) = countries.resolve(name)
            && named.code != country.code
        {
            return Err(row.error(format!(
                "country '{name}' is {} in the country registry, but the row says {code}",
                named.code
            )));
        }
        if !seen.insert(country.code.clone()) {
            return Err(row.error(format!("{code} appears twice")));
        }
        let year = row.year(year_col, "accession_year")?;
        let wave = row.text(wave_col, "wave")?;
        let basis = if wave.eq_ignore_ascii_case("founding") {
            format!("founding member: North Atlantic Treaty signed in Washington, {year}")
        } else {
            format!("accession {wave}")
        };
        memberships.push(Membership {
            alliance: "NATO".to_string(),
            country: country.code.clone(),
            from_year: year,
            to_year: None,
            suspended_from: None,
            basis,
            note: String::new(),
            source: MEMBERS_SOURCE.to_string(),
            source_url: row.text(url_col, "source_url")?.to_string(),
        });
    }
    let last = memberships.iter().map(|m| m.from_year).max().unwrap_or(0);
    let urls: Vec<&str> = memberships.iter().map(|m| m.source_url.as_str()).collect();
    let url = source_page(urls.iter().copied());
    let pages = hosts(urls.iter().copied()).join(", ");
    let vintage = format!("compiled list, accessions to {last}");
    let source = Source {
        id: MEMBERS_SOURCE.to_string(),
        publisher: format!("fairshare, compiled by hand from {pages}"),
        title: "NATO member states and their accession years".to_string(),
        file: table.file_name(),
        vintage: vintage.clone(),
        released: "not stated in the file".to_string(),
        url: url.clone(),
        licence: "Facts (accession years) compiled from the cited public pages; cite those pages"
            .to_string(),
        citation: format!(
            "NATO member states and accession years, compiled for fairshare from {pages} \
             ({vintage}); the page behind each row is in memberships.csv (source_url)."
        ),
        rank: 1,
        note: "Accession years only. Germany joined in 1955 as West Germany (unified Germany \
               from 1990), recorded as DEU; France left NATO's integrated military command \
               1966-2009 but remained a member throughout."
            .to_string(),
    };
    let alliance = Alliance {
        id: "NATO".to_string(),
        name: "North Atlantic Treaty Organization".to_string(),
        partner: String::new(),
        description: "The parties to the North Atlantic Treaty (Washington, 1949), each from \
                      its accession year. The United States is a member like every other \
                      party."
            .to_string(),
        source: MEMBERS_SOURCE.to_string(),
        source_url: url,
    };
    Ok(ReaderOutput {
        sources: vec![source],
        commitments: Commitments {
            alliances: vec![alliance],
            memberships,
            ..Commitments::default()
        },
        ..ReaderOutput::default()
    })
}

/// The targets table: one [`Target`] per row under fairshare's id, and the source.
pub fn read_targets(path: &Path) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let [
        id_col,
        summit_col,
        date_col,
        year_col,
        metric_col,
        value_col,
        desc_col,
        url_col,
    ] = table.columns(&[
        "target_id",
        "summit",
        "date_agreed",
        "deadline_year",
        "metric",
        "value_pct_gdp",
        "description",
        "source_url",
    ])?[..]
    else {
        unreachable!("columns returns one position per name")
    };
    let mut targets: Vec<Target> = Vec::new();
    for row in table.rows() {
        let raw = row.text(id_col, "target_id")?;
        let known = KNOWN_TARGETS.iter().find(|k| k.raw == raw).ok_or_else(|| {
            row.error(format!(
                "target '{raw}' is not one fairshare knows (expected one of {}); add it to \
                 KNOWN_TARGETS in nato_registry.rs with its fairshare id and measure",
                KNOWN_TARGETS
                    .iter()
                    .map(|k| k.raw)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        if targets.iter().any(|t| t.id == known.id) {
            return Err(row.error(format!("target '{raw}' appears twice")));
        }
        let value = row.number(value_col, "value_pct_gdp")?;
        if value != known.threshold {
            return Err(row.error(format!(
                "target '{raw}' has value {value}, but fairshare's id {} says {}; update \
                 KNOWN_TARGETS if the target changed",
                known.id, known.threshold
            )));
        }
        let agreed = row.text(date_col, "date_agreed")?;
        if !is_iso_date(agreed) {
            return Err(row.error(format!("date_agreed '{agreed}' is not a YYYY-MM-DD date")));
        }
        let metric = row.text(metric_col, "metric")?;
        targets.push(Target {
            id: known.id.to_string(),
            aliases: raw.to_string(),
            name: known.name.to_string(),
            alliance: "NATO".to_string(),
            country: String::new(),
            measure: known.measure,
            threshold: value,
            unit: known.unit,
            by_year: row.year(year_col, "deadline_year")?,
            year_basis: YearBasis::Calendar,
            definition: "nato".to_string(),
            fixed_gdp_lcu: None,
            fixed_gdp_year: None,
            stated_amount_lcu: None,
            agreed: agreed.to_string(),
            agreed_at: row.text(summit_col, "summit")?.to_string(),
            description: format!(
                "{} (metric: {metric}). {}",
                row.text(desc_col, "description")?,
                known.evaluated
            ),
            flags: Flags::EMPTY,
            source: TARGETS_SOURCE.to_string(),
            source_url: row.text(url_col, "source_url")?.to_string(),
        });
    }
    let last = targets
        .iter()
        .map(|t| t.agreed.as_str())
        .max()
        .unwrap_or_default()
        .to_string();
    let urls: Vec<&str> = targets.iter().map(|t| t.source_url.as_str()).collect();
    let pages = hosts(urls.iter().copied()).join(", ");
    let vintage = format!("compiled list, targets agreed to {last}");
    let source = Source {
        id: TARGETS_SOURCE.to_string(),
        publisher: format!("fairshare, compiled by hand from {pages}"),
        title: "NATO defence spending targets (Wales 2014, The Hague 2025)".to_string(),
        file: table.file_name(),
        vintage: vintage.clone(),
        released: "not stated in the file".to_string(),
        url: source_page(urls.iter().copied()),
        licence: "Facts (targets as agreed at summits) compiled from the cited public pages; \
                  cite those pages"
            .to_string(),
        citation: format!(
            "NATO spending targets, compiled for fairshare from {pages} ({vintage}); the page \
             behind each target is in targets.csv (source_url)."
        ),
        rank: 1,
        note: "The Hague 2025: 5% of GDP by 2035 = at least 3.5% core defence + up to 1.5% \
               defence- and security-related; review in 2029; Spain opted for about 2.1% core."
            .to_string(),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        commitments: Commitments {
            targets,
            ..Commitments::default()
        },
        ..ReaderOutput::default()
    })
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

    const MEMBERS: &str = "\
country,iso3c,accession_year,wave,source_url
United States,USA,1949,founding,https://www.thenationalnews.com/a
Germany,DEU,1955,1955 (West Germany; unified Germany from 1990),https://www.eata.ee/b
Sweden,SWE,2024,2024,https://askvity.info/c
";

    const TARGETS: &str = "\
target_id,summit,date_agreed,deadline_year,metric,value_pct_gdp,description,source_url
wales_2pct,Wales (Newport) Summit,2014-09-05,2024,defence expenditure / GDP,2.0,\"Pledge, within a decade\",https://www.nato.int/cps/en/natohq/news_112461.htm
wales_20pct_equipment,Wales (Newport) Summit,2014-09-05,2024,major equipment (incl. R&D) / defence expenditure,20.0,Equipment share,https://news.postimees.ee/x
hague_resilience_1_5pct,The Hague Summit,2025-06-25,2035,defence- and security-related spending / GDP,1.5,Resilience,https://qazinform.com/y
";

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn members_become_nato_memberships_with_their_pages() {
        let dir = tempfile::tempdir().unwrap();
        let out = read_members(
            &write(dir.path(), "nato_members_accession.csv", MEMBERS),
            &builtin_countries(),
        )
        .unwrap();
        let c = &out.commitments;
        assert_eq!(c.alliances.len(), 1);
        assert_eq!(c.alliances[0].id, "NATO");
        assert_eq!(c.alliances[0].partner, "");
        let m: Vec<_> = c
            .memberships
            .iter()
            .map(|m| (m.country.as_str(), m.from_year, m.to_year, m.suspended_from))
            .collect();
        assert_eq!(
            m,
            vec![
                ("USA", 1949, None, None),
                ("DEU", 1955, None, None),
                ("SWE", 2024, None, None)
            ]
        );
        assert_eq!(
            c.memberships[0].basis,
            "founding member: North Atlantic Treaty signed in Washington, 1949"
        );
        assert_eq!(
            c.memberships[1].basis,
            "accession 1955 (West Germany; unified Germany from 1990)"
        );
        assert_eq!(c.memberships[2].source_url, "https://askvity.info/c");
        let s = &out.sources[0];
        assert_eq!(s.id, "nato-members");
        assert_eq!(s.vintage, "compiled list, accessions to 2024");
        assert_eq!(
            s.publisher,
            "fairshare, compiled by hand from thenationalnews.com, eata.ee, askvity.info"
        );
        assert_eq!(s.file, "nato_members_accession.csv");
    }

    #[test]
    fn targets_get_fairshare_ids_and_keep_the_file_ids_as_aliases() {
        let dir = tempfile::tempdir().unwrap();
        let out = read_targets(&write(dir.path(), "nato_spending_targets.csv", TARGETS)).unwrap();
        let t = &out.commitments.targets;
        assert_eq!(t.len(), 3);
        assert_eq!(t[0].id, "nato-2pct");
        assert_eq!(t[0].aliases, "wales_2pct");
        assert_eq!(t[0].measure, Some(Measure::MilexGdp));
        assert_eq!(
            (t[0].threshold, t[0].unit, t[0].by_year),
            (2.0, Unit::PctGdp, 2024)
        );
        assert_eq!(t[0].agreed, "2014-09-05");
        assert_eq!(t[0].agreed_at, "Wales (Newport) Summit");
        assert!(
            t[0].description
                .starts_with("Pledge, within a decade (metric: defence")
        );
        assert_eq!(t[1].id, "nato-equipment-20pct");
        assert_eq!(
            (t[1].measure, t[1].unit, t[1].threshold),
            (Some(Measure::MilexEquipmentShare), Unit::PctMilex, 20.0)
        );
        assert_eq!(t[2].id, "nato-related-1.5pct-2035");
        assert_eq!(t[2].measure, None);
        assert_eq!(
            out.sources[0].vintage,
            "compiled list, targets agreed to 2025-06-25"
        );
    }

    #[test]
    fn bad_tables_are_errors_naming_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let countries = builtin_countries();
        let cases: Vec<(&str, String, &str)> = vec![
            (
                "members",
                MEMBERS.replace("accession_year", "joined"),
                "line 1: the header has no 'accession_year' column",
            ),
            (
                "members",
                MEMBERS.replace("SWE,2024", "SWE,twenty"),
                "line 4: accession_year 'twenty' is not a year",
            ),
            (
                "members",
                MEMBERS.replace("Sweden,SWE", "Sweden,XSW"),
                "line 4: country code 'XSW' (Sweden) is not in the country registry",
            ),
            (
                "members",
                MEMBERS.replace("Sweden,SWE", "Sweden,FIN"),
                "line 4: country 'Sweden' is SWE in the country registry, but the row says FIN",
            ),
            (
                "members",
                format!("{MEMBERS}Sweden,SWE,2024,2024,https://x\n"),
                "line 5: SWE appears twice",
            ),
            (
                "targets",
                TARGETS.replace("wales_2pct", "vilnius_2pct"),
                "line 2: target 'vilnius_2pct' is not one fairshare knows",
            ),
            (
                "targets",
                TARGETS.replace(
                    "2024,defence expenditure / GDP,2.0",
                    "2024,defence expenditure / GDP,2.5",
                ),
                "line 2: target 'wales_2pct' has value 2.5, but fairshare's id nato-2pct says 2",
            ),
            (
                "targets",
                TARGETS.replace("2014-09-05,2024,defence", "5 Sept 2014,2024,defence"),
                "line 2: date_agreed '5 Sept 2014' is not a YYYY-MM-DD date",
            ),
            ("targets", "target_id,summit\n".to_string(), "no data rows"),
        ];
        for (which, text, expected) in cases {
            let path = write(dir.path(), "t.csv", &text);
            let err = match which {
                "members" => read_members(&path, &countries).unwrap_err(),
                _ => read_targets(&path).unwrap_err(),
            }
            .to_string();
            assert!(err.contains("t.csv"), "{err}");
            assert!(err.contains(expected), "expected '{expected}' in: {err}");
        }
        let err = read(dir.path(), &countries).unwrap_err().to_string();
        assert!(err.contains("file not found"), "{err}");
    }
}
