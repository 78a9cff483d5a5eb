//! The US treaty allies in the Indo-Pacific: fairshare's own small registry
//! `crates/dataset/registry/us_treaty_allies.csv` (compiled into the binary; there is
//! no publisher file to download), turned into the alliance `US-treaty-allies`.
//!
//! Columns: `iso3,from_year,to_year,suspended_from,treaty,signed,note,source_url`. One
//! row per ally and treaty basis, from the year the treaty was signed:
//!
//! - Japan: Security Treaty of 8 September 1951 (to 1959), then the Treaty of Mutual
//!   Cooperation and Security of 19 January 1960;
//! - South Korea: Mutual Defense Treaty of 1 October 1953;
//! - the Philippines: Mutual Defense Treaty of 30 August 1951;
//! - Australia and New Zealand: ANZUS, 1 September 1951; the United States suspended
//!   its obligations to New Zealand in August 1986 (`suspended_from = 1986`: still a
//!   party, not counted as an ally from then on);
//! - Thailand: the Manila Pact of 8 September 1954 (to 1961), then the same treaty as
//!   read in the Rusk-Thanat joint statement of 6 March 1962.
//!
//! The United States is the alliance's `partner`, not a member: each treaty is a US
//! pledge to that ally, and "US treaty allies" are the states holding such a pledge.
//! NATO allies form the alliance `NATO`; the Rio Treaty allies in the Americas are not
//! included. The rows cite the treaty texts or official and reference pages
//! (`source_url`).

use std::path::Path;

use super::table::{Table, hosts};
use super::{IngestError, ReaderOutput};
use crate::commitments::{Alliance, Commitments, Membership};
use crate::registry::{CountryRegistry, Source};

pub const SOURCE_ID: &str = "us-treaty-allies";
pub const ALLIANCE_ID: &str = "US-treaty-allies";

/// The registry file, as compiled into the crate.
pub const REGISTRY_FILE: &str = "registry/us_treaty_allies.csv";
const REGISTRY_TEXT: &str = include_str!("../../registry/us_treaty_allies.csv");

/// The alliance from the built-in registry file (`raw_root` is not used: the table
/// is fairshare's own).
pub fn read(_raw_root: &Path, countries: &CountryRegistry) -> Result<ReaderOutput, IngestError> {
    parse(
        Path::new(REGISTRY_FILE),
        REGISTRY_TEXT.as_bytes(),
        countries,
    )
}

/// Parse a table in the registry's layout; `path` names it in errors.
pub fn parse(
    path: &Path,
    bytes: &[u8],
    countries: &CountryRegistry,
) -> Result<ReaderOutput, IngestError> {
    let table = Table::parse(path, bytes)?;
    let [
        iso_col,
        from_col,
        to_col,
        susp_col,
        treaty_col,
        signed_col,
        note_col,
        url_col,
    ] = table.columns(&[
        "iso3",
        "from_year",
        "to_year",
        "suspended_from",
        "treaty",
        "signed",
        "note",
        "source_url",
    ])?[..]
    else {
        unreachable!("columns returns one position per name")
    };
    let mut memberships: Vec<Membership> = Vec::new();
    let mut latest = 0;
    for row in table.rows() {
        let code = row.text(iso_col, "iso3")?;
        let country = countries.get(code).ok_or_else(|| {
            row.error(format!(
                "country code '{code}' is not in the country registry"
            ))
        })?;
        let from = row.year(from_col, "from_year")?;
        let to = row.opt_year(to_col, "to_year")?;
        let suspended = row.opt_year(susp_col, "suspended_from")?;
        if to.is_some_and(|t| t < from) {
            return Err(row.error(format!("to_year {to:?} is before from_year {from}")));
        }
        if suspended.is_some_and(|s| s < from || to.is_some_and(|t| s > t)) {
            return Err(row.error("suspended_from lies outside the membership's years"));
        }
        let signed = row.text(signed_col, "signed")?;
        let signed_year: i32 = signed
            .get(..4)
            .and_then(|y| y.parse().ok())
            .filter(|_| signed.len() == 10)
            .ok_or_else(|| row.error(format!("signed '{signed}' is not a YYYY-MM-DD date")))?;
        if signed_year != from {
            return Err(row.error(format!(
                "from_year {from} differs from the year the treaty was signed ({signed})"
            )));
        }
        if let Some(prev) = memberships.iter().find(|m| {
            m.country == country.code && m.to_year.is_none_or(|t| t >= from) && m.from_year <= from
        }) {
            return Err(row.error(format!(
                "{code} from {from} overlaps its row from {}",
                prev.from_year
            )));
        }
        latest = latest.max(from).max(suspended.unwrap_or(0));
        memberships.push(Membership {
            alliance: ALLIANCE_ID.to_string(),
            country: country.code.clone(),
            from_year: from,
            to_year: to,
            suspended_from: suspended,
            basis: format!("{} (signed {signed})", row.text(treaty_col, "treaty")?),
            note: row.get(note_col).to_string(),
            source: SOURCE_ID.to_string(),
            source_url: row.text(url_col, "source_url")?.to_string(),
        });
    }
    let pages = hosts(memberships.iter().map(|m| m.source_url.as_str())).join(", ");
    let vintage = format!("compiled list, events to {latest}");
    let source = Source {
        id: SOURCE_ID.to_string(),
        publisher: format!("fairshare, compiled from the treaty texts and {pages}"),
        title: "US mutual defence treaties in the Indo-Pacific: allies, treaties and dates"
            .to_string(),
        file: table.file_name(),
        vintage: vintage.clone(),
        released: "not applicable (fairshare's own registry file)".to_string(),
        url: "https://map.nbr.org/2016/03/defense-treaties/".to_string(),
        licence: "Facts (treaty names and dates) compiled by fairshare; cite the treaty texts"
            .to_string(),
        citation: format!(
            "US treaty allies in the Indo-Pacific, compiled for fairshare from the treaty texts \
             and {pages} ({vintage}); the page behind each row is in memberships.csv (source_url)."
        ),
        rank: 1,
        note: "The United States is the partner in every treaty, not a member of the group. \
               New Zealand stays listed with suspended_from = 1986."
            .to_string(),
    };
    let alliance = Alliance {
        id: ALLIANCE_ID.to_string(),
        name: "US treaty allies in the Indo-Pacific".to_string(),
        partner: "USA".to_string(),
        description: "States the United States is bound to by a mutual defence treaty in the \
                      Indo-Pacific: Japan, South Korea, the Philippines, Australia, New Zealand \
                      (ANZUS; US obligations suspended since 1986) and Thailand (Manila Pact). \
                      The United States is the partner, not a member; NATO allies are the \
                      alliance NATO; the Rio Treaty allies in the Americas are not included."
            .to_string(),
        source: SOURCE_ID.to_string(),
        source_url: "https://map.nbr.org/2016/03/defense-treaties/".to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commitments::MemberStatus;
    use crate::registry::builtin_countries;

    #[test]
    fn the_built_in_table_lists_six_allies_and_suspends_new_zealand() {
        let out = read(Path::new("unused"), &builtin_countries()).unwrap();
        let c = &out.commitments;
        assert_eq!(c.alliances[0].partner, "USA");
        let in_2024: Vec<_> = c
            .members_in("us-treaty-allies", 2024)
            .into_iter()
            .map(|(m, s)| (m.country.as_str(), s))
            .collect();
        assert_eq!(
            in_2024,
            vec![
                ("AUS", MemberStatus::Active),
                ("JPN", MemberStatus::Active),
                ("KOR", MemberStatus::Active),
                ("NZL", MemberStatus::Suspended),
                ("PHL", MemberStatus::Active),
                ("THA", MemberStatus::Active),
            ]
        );
        // The US is the partner, never a member.
        assert!(c.memberships.iter().all(|m| m.country != "USA"));
        // 1952: Korea's treaty is not yet signed; Thailand's neither.
        let in_1952: Vec<_> = c
            .members_in("US-treaty-allies", 1952)
            .into_iter()
            .map(|(m, _)| m.country.as_str())
            .collect();
        assert_eq!(in_1952, vec!["AUS", "JPN", "NZL", "PHL"]);
        let japan: Vec<_> = c.memberships_of("JPN").map(|m| m.basis.as_str()).collect();
        assert_eq!(
            japan,
            vec![
                "Security Treaty Between the United States and Japan (signed 1951-09-08)",
                "Treaty of Mutual Cooperation and Security between Japan and the United States \
                 of America (signed 1960-01-19)"
            ]
        );
        assert_eq!(out.sources[0].vintage, "compiled list, events to 1986");
    }

    #[test]
    fn inconsistent_rows_are_errors() {
        let countries = builtin_countries();
        let header = "iso3,from_year,to_year,suspended_from,treaty,signed,note,source_url\n";
        let cases = [
            (
                "JPN,1951,1950,,T,1951-09-08,,u\n",
                "line 2: to_year Some(1950) is before",
            ),
            (
                "NZL,1951,,1950,T,1951-09-01,,u\n",
                "suspended_from lies outside",
            ),
            (
                "KOR,1954,,,T,1953-10-01,,u\n",
                "from_year 1954 differs from the year",
            ),
            (
                "JPN,1951,,,T,1951-09-08,,u\nJPN,1960,,,T,1960-01-19,,u\n",
                "line 3: JPN from 1960 overlaps its row from 1951",
            ),
            ("XXX,1951,,,T,1951-09-08,,u\n", "country code 'XXX'"),
        ];
        for (rows, expected) in cases {
            let text = format!("{header}{rows}");
            let err = parse(Path::new("allies.csv"), text.as_bytes(), &countries)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("allies.csv: "), "{err}");
            assert!(err.contains(expected), "expected '{expected}' in: {err}");
        }
    }
}
