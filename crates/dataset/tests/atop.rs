//! The ATOP reader: exact memberships from a fixture in ATOP's member-level layout, an
//! error for each bad-input class, the COW-to-ISO3 table against the COW state list, and
//! the real v4.01 file against the spot checks in `atop/SOURCE.md`.

use std::path::{Path, PathBuf};

use fairshare_dataset::alliances::{atop_links, members_in};
use fairshare_dataset::ingest::atop::{CowMap, read, read_members};
use fairshare_dataset::ingest::{IngestError, assemble};
use fairshare_dataset::registry::builtin_countries;
use fairshare_dataset::{Dataset, Membership};

/// ATOP's header, abridged: the columns the reader uses plus a few it ignores, in the
/// publisher's order.
const HEADER: &str = "atopid,cowid,cow4id,member,cowsys,yrent,moent,dayent,yrexit,moexit,dayexit,ineffect,bilat,phase,maxphase,defense,offense,neutral,nonagg,consul,asymm,version";

/// One member row: (atopid, member, yrent, moent, yrexit, moexit, phase, defense, nonagg).
fn row(
    atopid: u32,
    member: u32,
    entry: (i32, u32),
    exit: (i32, u32),
    phase: u32,
    def: u8,
    nonagg: u8,
) -> String {
    let in_force = u8::from(exit.0 == 0);
    format!(
        "{atopid},,,{member},0,{},{},1,{},{},1,{in_force},0,{phase},{phase},{def},0,0,{nonagg},1,0,4.01",
        entry.0, entry.1, exit.0, exit.1
    )
}

fn fixture() -> String {
    let mut lines = vec![HEADER.to_string()];
    // A NATO-like pact in two phases; West Germany joins in phase 2, unified Germany
    // takes over in October 1990.
    for m in [2, 200] {
        lines.push(row(3180, m, (1949, 4), (1951, 6), 1, 1, 1));
        lines.push(row(3180, m, (1951, 6), (0, 0), 2, 1, 1));
    }
    lines.push(row(3180, 260, (1954, 10), (1990, 10), 2, 1, 1));
    lines.push(row(3180, 255, (1990, 10), (0, 0), 2, 1, 1));
    // An asymmetric pledge: the US defends Japan, Japan pledges nothing.
    lines.push(row(3375, 2, (1960, 1), (0, 0), 0, 1, 1));
    lines.push(row(3375, 740, (1960, 1), (0, 0), 0, 0, 1));
    // The USSR's pact with East Germany, and one outliving the USSR (split at 1991/92).
    lines.push(row(3285, 365, (1955, 5), (1991, 7), 0, 1, 0));
    lines.push(row(3285, 265, (1955, 5), (1990, 10), 0, 1, 0));
    lines.push(row(3440, 365, (1961, 7), (1996, 9), 0, 1, 0));
    lines.push(row(3440, 731, (1961, 7), (1996, 9), 0, 1, 0));
    // Not kept: a non-aggression pact, and a defence pact that ended before 1949 (with a
    // member code outside the COW state list, never looked up).
    lines.push(row(3500, 2, (1960, 1), (1970, 1), 0, 0, 1));
    lines.push(row(3500, 20, (1960, 1), (1970, 1), 0, 0, 1));
    lines.push(row(1320, 8152, (1874, 1), (1883, 1), 0, 1, 0));
    lines.join("\n") + "\n"
}

fn write(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("atop-member-level.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn membership(m: &Membership) -> (&str, &str, i32, Option<i32>) {
    (
        m.alliance.as_str(),
        m.country.as_str(),
        m.from_year,
        m.to_year,
    )
}

#[test]
fn defence_pacts_become_alliances_with_merged_and_split_memberships() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &fixture());
    let cow = CowMap::builtin(&builtin_countries()).unwrap();
    let out = read_members(&path, &cow).unwrap();
    let c = &out.commitments;
    let rows: Vec<_> = c.memberships.iter().map(membership).collect();
    assert_eq!(
        rows,
        vec![
            ("ATOP-3180", "DEU", 1954, None),
            ("ATOP-3180", "GBR", 1949, None),
            ("ATOP-3180", "USA", 1949, None),
            ("ATOP-3285", "DDR", 1955, Some(1990)),
            ("ATOP-3285", "SUN", 1955, Some(1991)),
            ("ATOP-3375", "JPN", 1960, None),
            ("ATOP-3375", "USA", 1960, None),
            ("ATOP-3440", "PRK", 1961, Some(1996)),
            ("ATOP-3440", "RUS", 1992, Some(1996)),
            ("ATOP-3440", "SUN", 1961, Some(1991)),
        ]
    );
    let deu = &c.memberships[0];
    assert_eq!(
        deu.basis,
        "ATOP 3180: COW 260 GFR phase 2 1954-10 to 1990-10; COW 255 GMY phase 2 1990-10 to in force in 1996"
    );
    let usa = &c.memberships[2];
    assert_eq!(
        usa.basis,
        "ATOP 3180: COW 2 USA phase 1 1949-04 to 1951-06; COW 2 USA phase 2 1951-06 to in force in 1996"
    );
    let jpn = c.memberships.iter().find(|m| m.country == "JPN").unwrap();
    assert!(
        jpn.note.contains("no defence obligation of its own"),
        "{}",
        jpn.note
    );
    assert!(usa.note.starts_with("Undertakes a defence obligation"));
    assert!(
        c.memberships
            .iter()
            .all(|m| m.source == "atop-v4-01" && m.source_url.starts_with("http"))
    );

    let ids: Vec<&str> = c.alliances.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["ATOP-3180", "ATOP-3285", "ATOP-3375", "ATOP-3440"]
    );
    assert_eq!(
        c.alliances[0].name,
        "ATOP 3180: North Atlantic Treaty (Washington 1949)"
    );
    assert!(
        c.alliances[0]
            .description
            .contains("fairshare's alliance NATO is this treaty")
    );
    assert!(
        c.alliances[0]
            .description
            .contains("obligations in its defence phases: defence, non-aggression, consultation")
    );
    assert_eq!(c.alliances[1].name, "ATOP 3285: defence pact of SUN, DDR");

    let s = &out.sources[0];
    assert_eq!(
        (s.id.as_str(), s.vintage.as_str(), s.file.as_str()),
        ("atop-v4-01", "ATOP 4.01", "atop-member-level.csv")
    );
    assert!(
        s.note
            .contains("4 alliances, 10 memberships from 12 of the file's 15 rows"),
        "{}",
        s.note
    );
    assert!(out.observations.is_empty());

    // Members in a year, as the models ask.
    let in_year = |id: &str, y| {
        members_in(&c.memberships, id, y)
            .into_iter()
            .map(|(m, _)| m.country.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(in_year("ATOP-3180", 1950), vec!["GBR", "USA"]);
    assert_eq!(in_year("ATOP-3180", 1990), vec!["DEU", "GBR", "USA"]);
    assert_eq!(in_year("ATOP-3440", 1992), vec!["PRK", "RUS"]);
}

#[test]
fn the_result_assembles_into_a_valid_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), &fixture());
    let countries = builtin_countries();
    let cow = CowMap::builtin(&countries).unwrap();
    let out = read_members(&path, &cow).unwrap();
    let raw = assemble(countries, out).unwrap();
    let ds = Dataset::from_raw(raw).unwrap();
    assert_eq!(ds.commitments().members_in("atop-3375", 2016).len(), 2);
}

fn error_of(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), text);
    let cow = CowMap::builtin(&builtin_countries()).unwrap();
    read_members(&path, &cow).unwrap_err().to_string()
}

#[test]
fn bad_files_are_errors_naming_file_line_and_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let err = read(dir.path(), &builtin_countries()).unwrap_err();
    assert!(matches!(err, IngestError::Missing { .. }), "{err}");
    assert!(err.to_string().contains("atop"), "{err}");

    let good = fixture();
    let cases: Vec<(String, &str)> = vec![
        (
            good.replace(",defense,", ",defence,"),
            "line 1: the header has no 'defense' column",
        ),
        (
            good.replacen("3180,,,2,0,1949", "3180,,,US,0,1949", 1),
            "line 2: member 'US' is not a whole number",
        ),
        (
            good.replacen("3180,,,2,0,1949,4", "3180,,,2,0,1949,13", 1),
            "line 2: moent 13 is not a month",
        ),
        (
            good.replacen("3375,,,2,0,1960,1,1,0,0", "3375,,,2,0,1960,1,1,1950,1", 1),
            "yrexit/moexit 1950-01 is before yrent/moent 1960-01",
        ),
        (
            good.replacen(",1,0,0,1,1,0,4.01", ",1,0,0,1,1,0,4.0", 1),
            "line 3: version '4.01' differs from '4.0' on line 2",
        ),
        (
            good.replacen("3375,,,740,", "3375,,,999,", 1),
            "member 999 of ATOP 3375 (1960-in force) is not a COW state code",
        ),
        (
            format!("{good}{}\n", row(3600, 817, (1954, 9), (1975, 4), 0, 1, 0)),
            "line 17: COW 817 (RVN) in ATOP 3600 has no fairshare code",
        ),
        (
            good.replacen(",1,0,0,1,1,0,4.01", ",2,0,0,1,1,0,4.01", 1),
            "line 2: defense is 2: expected 0 or 1",
        ),
        (HEADER.to_string() + "\n", "no data rows"),
    ];
    for (text, expected) in cases {
        let err = error_of(&text);
        assert!(err.contains("atop-member-level.csv"), "{err}");
        assert!(err.contains(expected), "expected '{expected}' in: {err}");
    }
}

#[test]
fn cow_table_maps_by_number_and_year() {
    let cow = CowMap::builtin(&builtin_countries()).unwrap();
    let iso = |c, y| cow.iso3(c, y);
    assert_eq!(iso(260, 1970), Some("DEU"));
    assert_eq!(iso(265, 1970), Some("DDR"));
    assert_eq!(iso(255, 1995), Some("DEU"));
    assert_eq!(iso(255, 1939), None);
    assert_eq!(iso(365, 1991), Some("SUN"));
    assert_eq!(iso(365, 1992), Some("RUS"));
    assert_eq!(iso(345, 1991), Some("YUG"));
    assert_eq!(iso(345, 2010), Some("SRB"));
    assert_eq!(iso(315, 1990), Some("CSK"));
    assert_eq!(iso(316, 2000), Some("CZE"));
    assert_eq!(iso(305, 2000), Some("AUT")); // COW AUS is Austria
    assert_eq!(iso(900, 2000), Some("AUS"));
    assert_eq!(iso(225, 2000), Some("CHE")); // COW SWZ is Switzerland
    assert_eq!(iso(572, 2000), Some("SWZ"));
    assert_eq!(iso(349, 2000), Some("SVN")); // COW SLV is Slovenia
    assert_eq!(iso(92, 2000), Some("SLV"));
    assert_eq!(iso(341, 2010), Some("MNE")); // COW MNG is Montenegro
    assert_eq!(iso(712, 2010), Some("MNG"));
    assert_eq!(iso(732, 2010), Some("KOR"));
    assert_eq!(iso(731, 2010), Some("PRK"));
    assert_eq!(iso(713, 2010), Some("TWN"));
    assert_eq!(iso(9999, 2010), None);
}

fn raw_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("FAIRSHARE_RAW") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/raw"
        )),
    };
    if dir.join("atop").is_dir() && dir.join("cow_nmc").is_dir() {
        Some(dir)
    } else {
        eprintln!("raw files absent: skipped {test}");
        None
    }
}

#[test]
fn cow_table_agrees_with_the_cow_state_list() {
    let Some(raw) = raw_dir("cow_table_agrees_with_the_cow_state_list") else {
        return;
    };
    // Every (ccode, stateabb) in COW's National Material Capabilities file is in the
    // table under the same number and abbreviation, and every year it covers is mapped
    // by exactly one row.
    let text = std::fs::read_to_string(raw.join("cow_nmc/NMC-60-abridged.csv")).unwrap();
    let cow = CowMap::builtin(&builtin_countries()).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let abb = header.iter().position(|h| *h == "stateabb").unwrap();
    let code = header.iter().position(|h| *h == "ccode").unwrap();
    let year = header.iter().position(|h| *h == "year").unwrap();
    let mut checked = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let c: u32 = cells[code].parse().unwrap();
        let y: i32 = cells[year].parse().unwrap();
        let rows: Vec<_> = cow.rows_of(c).collect();
        assert!(
            !rows.is_empty(),
            "COW {c} {} missing from the table",
            cells[abb]
        );
        assert!(
            rows.iter().all(|r| r.stateabb == cells[abb]),
            "COW {c}: abbreviation {}",
            cells[abb]
        );
        assert!(
            cow.segments(c, y, Some(y)).is_some(),
            "COW {c} in {y} has no row"
        );
        checked += 1;
    }
    assert_eq!(checked, 15_951);
    let codes: std::collections::BTreeSet<u32> = cow.states().iter().map(|s| s.cow).collect();
    assert_eq!(codes.len(), 217);
}

#[test]
fn real_atop_4_01_matches_the_spot_checks() {
    let Some(raw) = raw_dir("real_atop_4_01_matches_the_spot_checks") else {
        return;
    };
    let start = std::time::Instant::now();
    let out = read(&raw, &builtin_countries()).unwrap();
    eprintln!("ATOP member-level file read in {:?}", start.elapsed());
    let c = &out.commitments;
    let members = |id: &str, y| {
        members_in(&c.memberships, id, y)
            .into_iter()
            .map(|(m, _)| m.country.as_str())
            .collect::<Vec<_>>()
    };
    // NATO = 3180: 30 COW members (West Germany and Germany are one fairshare code).
    let nato_2016 = members("ATOP-3180", 2016);
    assert_eq!(nato_2016.len(), 29);
    for code in ["USA", "CAN", "GBR", "TUR", "DEU", "MNE"] {
        assert!(nato_2016.contains(&code), "{code}");
    }
    assert_eq!(members("ATOP-3180", 1949).len(), 12);
    // US-ROK 3240 (1953, in force); US-Japan 3220 (1951-1960) and 3375 (1960-).
    assert_eq!(members("ATOP-3240", 1953), vec!["KOR", "USA"]);
    assert_eq!(members("ATOP-3240", 2016), vec!["KOR", "USA"]);
    let row = |id: &str, country: &str| {
        c.memberships
            .iter()
            .find(|m| m.alliance == id && m.country == country)
            .map(membership)
            .unwrap()
    };
    assert_eq!(
        row("ATOP-3220", "JPN"),
        ("ATOP-3220", "JPN", 1951, Some(1960))
    );
    assert_eq!(row("ATOP-3375", "JPN"), ("ATOP-3375", "JPN", 1960, None));
    assert!(row_note(c, "ATOP-3375", "JPN").contains("no defence obligation of its own"));
    assert_eq!(
        row("ATOP-3215", "NZL"),
        ("ATOP-3215", "NZL", 1951, Some(1986))
    );
    assert_eq!(out.sources[0].vintage, "ATOP 4.01");
    assert_eq!(c.alliances.len(), 170);
    assert_eq!(c.memberships.len(), 624);
    // Every linked ATOP alliance is in the output.
    for link in atop_links() {
        let id = format!("ATOP-{}", link.atopid);
        assert!(c.alliances.iter().any(|a| a.id == id), "{id}");
    }
}

fn row_note<'a>(c: &'a fairshare_dataset::Commitments, id: &str, country: &str) -> &'a str {
    c.memberships
        .iter()
        .find(|m| m.alliance == id && m.country == country)
        .map(|m| m.note.as_str())
        .unwrap()
}
