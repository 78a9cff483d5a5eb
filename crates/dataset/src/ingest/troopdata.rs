//! US troops stationed abroad, by host and year, from the troopdata project's rebuild
//! of the Pentagon's Defense Manpower Data Center (DMDC) reports
//! (`troopdata/troopdata-rebuild-reports.csv`; layout and caveats:
//! `troopdata/SOURCE.md`).
//!
//! The file has one row per host and DMDC report (quarterly since 2008, mostly one a
//! year before), with `countryname`, `iso3c`, `year`, `source` (the report, e.g.
//! "September 2024") and `troops_ad`, the active-duty personnel assigned to the host.
//! fairshare's figure for a host and year is the **mean of that year's reports**
//! (measure `us_troops`, definition `dmdc`, calendar years, full precision): Japan 2024
//! is (54,774 + 52,852 + 50,786 + 52,603) / 4 = 52,753.75. The means reproduce the
//! derived file `key_allies_troops_annual_derived.csv` for Japan, Korea, Germany, Italy
//! and the UK (a test checks all 360 rows).
//!
//! Quirks handled:
//! - The host is the row's `countryname` as the country registry knows it, else its
//!   `iso3c`. Names come first because a few sub-national rows carry no code
//!   (`Ryukyu Islands` under Japan, `Canal Zone` under Panama, `England (& Wales)` under
//!   the UK) and two 1954-55 rows for Indo-China carry China's code under `Vietnam`.
//!   Rows with neither (Wake Island, Diego Garcia, Johnston Atoll, the Azores, ...:
//!   territories, not host states) are left out; the source note counts them.
//! - A report listing one host twice with the same count (Russia 1992-93 as "Russia"
//!   and "Total - Former Soviet Union", Zimbabwe 2013) counts once; two different
//!   counts for one host in one report are refused, not added up.
//! - Known artefacts are kept as published and flagged `glitch`, with a note
//!   (SOURCE.md and fairshare's own comparison with the rebuild's country-year file):
//!   Japan's December 2015 report (71,567) and the 2016 reports (38,834-47,422), DMDC
//!   re-coding of afloat and rotational forces; and Japan 1950-1973, where each report
//!   keeps either mainland Japan or the Ryukyu Islands (Okinawa, US-administered until
//!   May 1972) but not both, so the figure understates US forces in Japan as a whole.
//! - DMDC counts assigned forces only: every Korean figure carries a note that units on
//!   rotation are not in it (the often quoted 28,500 for US Forces Korea includes them).
//!
//! The legacy series (`troopdata-legacy-v0.csv`, Tim Kane's Heritage data to 2005 plus
//! DMDC updates) is not read: the rebuild covers 1950-2025 from the reports themselves,
//! and the legacy's values for the DMDC years come from the same reports. The glitch
//! notes quote it where it differs.

use std::collections::BTreeMap;
use std::path::Path;

use super::table::Table;
use super::{IngestError, ReaderOutput, find_file};
use crate::model::{Flag, Flags, Measure, Observation, Unit, YearBasis};
use crate::registry::{CountryRegistry, Definition, EntityKind, Note, Source};

pub const DIR: &str = "troopdata";
pub const SOURCE_ID: &str = "troopdata-reports";
pub const DEFINITION: &str = "dmdc";

/// Note on every Korean figure.
const KOREA_NOTE: &str = "kor-assigned";

/// Artefacts in the reports, kept and flagged: (host, first year, last year, note key, text).
const GLITCHES: &[(&str, i32, i32, &str, &str)] = &[
    (
        "JPN",
        1950,
        1973,
        "glitch-jpn-okinawa",
        "Before 1974 DMDC reported the Ryukyu Islands (Okinawa, under US administration until \
         May 1972) apart from mainland Japan; each of the rebuild's reports for 1950-1973 keeps \
         only one of the two rows (the Ryukyu Islands in 1964 and 1966-72, mainland Japan in the \
         other years), so the figure understates US forces in Japan as a whole. The rebuild's \
         own country-year file gives 56,240-185,829 for these years (e.g. 82,264 for 1970 \
         against 44,752 here).",
    ),
    (
        "JPN",
        2015,
        2015,
        "glitch-jpn-2015",
        "DMDC's December 2015 report gives 71,567 for Japan against 52,223-55,744 in the other \
         2015 reports (re-coding of afloat and rotational forces); the mean includes it as \
         published. The legacy troopdata series gives 55,727 for 2015.",
    ),
    (
        "JPN",
        2016,
        2016,
        "glitch-jpn-2016",
        "DMDC's 2016 reports give 38,834-47,422 for Japan against about 52,000-56,000 before \
         and after (re-coding of afloat and rotational forces); kept as published, not \
         smoothed.",
    ),
];

/// The definition this reader emits.
pub fn definition() -> Definition {
    Definition {
        id: DEFINITION.to_string(),
        name: "DMDC: US active-duty personnel assigned to a host".to_string(),
        description: "US active-duty military personnel assigned to a host country, as the \
            Defense Manpower Data Center reports them ('Military and Civilian Personnel by \
            Service/Agency by State/Country', quarterly since 2008; 'Worldwide Manpower \
            Distribution by Geographical Area' before), compiled one row per host and report \
            by the troopdata project (Allen, Flynn and Machain). The yearly figure is the mean \
            of the year's reports. Assigned forces only: units on rotation and forces afloat \
            are not counted, so Korea's figure is below the 28,500 usually quoted for US \
            Forces Korea."
            .to_string(),
    }
}

/// Read `raw_root/troopdata/troopdata-rebuild-reports*.csv`.
pub fn read(raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let dir = raw_root.join(DIR);
    read_file(
        &find_file(&dir, "troopdata-rebuild-reports", ".csv")?,
        countries,
    )
}

/// Month names as the reports' `source` column spells them.
const MONTHS: [&str; 12] = [
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

/// Parse one reports file.
pub fn read_file(path: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    let table = Table::read(path)?;
    let [name_col, iso_col, year_col, report_col, troops_col] =
        table.columns(&["countryname", "iso3c", "year", "source", "troops_ad"])?[..]
    else {
        unreachable!("columns returns one position per name")
    };
    // (host, year) -> report -> (count, line)
    let mut reports: BTreeMap<(String, i32), BTreeMap<String, (f64, u64)>> = BTreeMap::new();
    let mut left_out: BTreeMap<String, usize> = BTreeMap::new();
    let mut latest: Option<(i32, usize)> = None;
    for row in table.rows() {
        let name = row.get(name_col);
        let iso = row.get(iso_col);
        let host = countries
            .resolve(name)
            .ok()
            .filter(|c| matches!(c.kind, EntityKind::Country | EntityKind::Historical))
            .or_else(|| {
                (!iso.is_empty() && iso != "NA")
                    .then(|| countries.get(iso))
                    .flatten()
            });
        let Some(host) = host else {
            if !iso.is_empty() && iso != "NA" {
                return Err(row.error(format!(
                    "iso3c '{iso}' ({name}) is not in the country registry"
                )));
            }
            *left_out.entry(name.to_string()).or_default() += 1;
            continue;
        };
        let year = row.year(year_col, "year")?;
        let report = row.text(report_col, "source")?;
        let month = MONTHS
            .iter()
            .position(|m| report.starts_with(m))
            .filter(|_| report.ends_with(&year.to_string()))
            .ok_or_else(|| {
                row.error(format!(
                    "source '{report}' is not a DMDC report of {year} like 'September {year}'"
                ))
            })?;
        let troops_text = row.get(troops_col);
        if troops_text.is_empty() || troops_text == "NA" {
            // No count for this host in this report: the report does not enter the mean.
            continue;
        }
        let troops = row.number(troops_col, "troops_ad")?;
        if troops < 0.0 {
            return Err(row.error(format!("troops_ad {troops} is negative")));
        }
        if latest.is_none_or(|l| (year, month) > l) {
            latest = Some((year, month));
        }
        let cell = reports.entry((host.code.clone(), year)).or_default();
        match cell.get(report) {
            Some((seen, line)) if *seen != troops => {
                return Err(row.error(format!(
                    "{} has two different counts in the {report} report ({seen} on line {line}, \
                     {troops} here); fairshare will not guess which one or add them",
                    host.code
                )));
            }
            Some(_) => {}
            None => {
                cell.insert(report.to_string(), (troops, row.line));
            }
        }
    }
    let Some((last_year, last_month)) = latest else {
        return Err(IngestError::format(
            path,
            "no report rows with troops_ad found",
        ));
    };
    let vintage = format!(
        "troopdata rebuild, DMDC reports to {} {last_year}",
        MONTHS[last_month]
    );

    let mut observations = Vec::new();
    for ((host, year), by_report) in &reports {
        let n = by_report.len() as f64;
        let mean = by_report.values().map(|(v, _)| v).sum::<f64>() / n;
        let mut flags = Flags::EMPTY;
        let mut keys: Vec<&str> = Vec::new();
        for (code, from, to, key, _) in GLITCHES {
            if code == host && (*from..=*to).contains(year) {
                flags.insert(Flag::Glitch);
                keys.push(key);
            }
        }
        if host == "KOR" {
            keys.push(KOREA_NOTE);
        }
        observations.push(Observation {
            country: host.clone(),
            year: *year,
            year_basis: YearBasis::Calendar,
            measure: Measure::UsTroops,
            definition: DEFINITION.to_string(),
            value: Some(mean),
            unit: Unit::Persons,
            source: SOURCE_ID.to_string(),
            vintage: vintage.clone(),
            flags,
            notes: keys.join(";"),
        });
    }
    let mut notes: Vec<Note> = GLITCHES
        .iter()
        .map(|(_, _, _, key, text)| Note {
            source: SOURCE_ID.to_string(),
            key: key.to_string(),
            text: text.to_string(),
        })
        .collect();
    notes.push(Note {
        source: SOURCE_ID.to_string(),
        key: KOREA_NOTE.to_string(),
        text: "DMDC counts forces assigned to Korea; units on rotation (brigades, aviation \
               and other rotational deployments) are not included, so the figure is below \
               the 28,500 usually quoted for US Forces Korea."
            .to_string(),
    });
    let left: Vec<String> = left_out
        .iter()
        .map(|(name, n)| format!("{name} ({n})"))
        .collect();
    let source = Source {
        id: SOURCE_ID.to_string(),
        publisher: "Michael A. Allen, Michael E. Flynn and Carla Martinez Machain (troopdata), \
                    from US Department of Defense, Defense Manpower Data Center reports"
            .to_string(),
        title: "troopdata rebuild: US military personnel by host country and DMDC report"
            .to_string(),
        file: table.file_name(),
        vintage: vintage.clone(),
        released: format!(
            "not stated in the file; latest report {} {last_year}",
            MONTHS[last_month]
        ),
        url: "https://github.com/meflynn/troopdata".to_string(),
        licence: "troopdata package GPL (>= 3); the DMDC figures are US-government public data; \
                  cite Allen, Flynn & Machain and the troopdata package"
            .to_string(),
        citation: format!(
            "Allen, Michael A., Michael E. Flynn and Carla Martinez Machain, troopdata: Tools \
             for Analyzing Cross-National Military Deployment and Basing Data (R package), \
             rebuild of the DMDC reports ({vintage}); US Department of Defense, Defense \
             Manpower Data Center. Annual means of the reports computed by fairshare."
        ),
        rank: 1,
        note: format!(
            "us_troops = mean of the year's DMDC reports of active-duty personnel assigned to \
             the host (troops_ad). Known artefacts flagged glitch, not smoothed. Rows for \
             places that are not host states are left out: {}.",
            if left.is_empty() {
                "none".to_string()
            } else {
                left.join(", ")
            }
        ),
    };
    Ok(ReaderOutput {
        sources: vec![source],
        definitions: vec![definition()],
        notes,
        observations,
        ..ReaderOutput::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::builtin_countries;

    /// The file's layout (a subset of its 55 columns, in its order) and its quirks: a
    /// Ryukyu row without a code, a repeated host in one report, a territory, quarterly
    /// and annual reports.
    const FIXTURE: &str = "\
ccode,countryname,region,year,month,quarter,source,Location,iso3c,Total,troops_ad,army_ad
740,Japan,East Asia & Pacific,1970,September,3,September 1970,Ryukyu Islands,NA,NA,44752,NA
740,Japan,East Asia & Pacific,2024,March,1,March 2024,JAPAN,JPN,NA,54774,2000
740,Japan,East Asia & Pacific,2024,June,2,June 2024,JAPAN,JPN,NA,52852,2000
740,Japan,East Asia & Pacific,2024,September,3,September 2024,JAPAN,JPN,NA,50786,2000
740,Japan,East Asia & Pacific,2024,December,4,December 2024,JAPAN,JPN,NA,52603,2000
740,Japan,East Asia & Pacific,2016,June,2,June 2016,JAPAN,JPN,NA,46852,2000
732,South Korea,East Asia & Pacific,2025,December,4,December 2025,KOREA,KOR,NA,24000,NA
365,Russia,Europe & Central Asia,1992,September,3,September 1992,Russia,RUS,NA,59,NA
365,Russia,Europe & Central Asia,1992,September,3,September 1992,Total - Former Soviet Union,RUS,NA,59,NA
1014,Wake Island,Other,1960,September,3,September 1960,Wake Island,NA,NA,12,NA
200,Côte D’ivoire,Sub-Saharan Africa,2010,September,3,September 2010,COTE D'IVOIRE,CIV,NA,9,NA
";

    fn read_text(text: &str) -> Result<ReaderOutput, IngestError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("troopdata-rebuild-reports.csv");
        std::fs::write(&path, text).unwrap();
        read_file(&path, &builtin_countries())
    }

    #[test]
    fn yearly_means_of_the_reports_with_flags_and_notes() {
        let out = read_text(FIXTURE).unwrap();
        let got: Vec<_> = out
            .observations
            .iter()
            .map(|o| {
                (
                    o.country.as_str(),
                    o.year,
                    o.value,
                    o.flags.to_string(),
                    o.notes.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("CIV", 2010, Some(9.0), "".into(), ""),
                (
                    "JPN",
                    1970,
                    Some(44752.0),
                    "glitch".into(),
                    "glitch-jpn-okinawa"
                ),
                (
                    "JPN",
                    2016,
                    Some(46852.0),
                    "glitch".into(),
                    "glitch-jpn-2016"
                ),
                ("JPN", 2024, Some(52753.75), "".into(), ""),
                ("KOR", 2025, Some(24000.0), "".into(), "kor-assigned"),
                ("RUS", 1992, Some(59.0), "".into(), ""),
            ]
        );
        assert!(
            out.observations
                .iter()
                .all(|o| o.measure == Measure::UsTroops
                    && o.definition == "dmdc"
                    && o.unit == Unit::Persons
                    && o.year_basis == YearBasis::Calendar
                    && o.vintage == "troopdata rebuild, DMDC reports to December 2025")
        );
        let src = &out.sources[0];
        assert_eq!(src.id, "troopdata-reports");
        assert!(
            src.note.ends_with("left out: Wake Island (1)."),
            "{}",
            src.note
        );
        assert_eq!(out.definitions[0].id, "dmdc");
        assert!(out.notes.iter().any(|n| n.key == "kor-assigned"));
    }

    #[test]
    fn bad_input_is_refused_with_file_and_line() {
        let cases = [
            (
                FIXTURE.replace(
                    "Total - Former Soviet Union,RUS,NA,59",
                    "Total - Former Soviet Union,RUS,NA,60",
                ),
                "line 10: RUS has two different counts in the September 1992 report (59 on line 9, 60 here)",
            ),
            (
                FIXTURE.replace("June 2016,JAPAN", "Summer 2016,JAPAN"),
                "line 7: source 'Summer 2016' is not a DMDC report of 2016",
            ),
            (
                FIXTURE.replace("JAPAN,JPN,NA,46852", "JAPAN,JPN,NA,-5"),
                "line 7: troops_ad -5 is negative",
            ),
            (
                FIXTURE.replace(",troops_ad,", ",troops,"),
                "line 1: the header has no 'troops_ad' column",
            ),
            (
                FIXTURE
                    .replace("Côte D’ivoire", "Atlantis")
                    .replace(",CIV,", ",ATL,"),
                "line 12: iso3c 'ATL' (Atlantis) is not in the country registry",
            ),
        ];
        for (text, expected) in cases {
            let err = read_text(&text).unwrap_err().to_string();
            assert!(err.contains("troopdata-rebuild-reports.csv: "), "{err}");
            assert!(err.contains(expected), "expected '{expected}' in: {err}");
        }
    }
}
