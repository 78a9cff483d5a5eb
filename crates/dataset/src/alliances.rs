//! Alliances and who belonged to them when: `data/alliances.csv` and
//! `data/memberships.csv`.
//!
//! Two alliances ship today. `NATO` lists every party to the North Atlantic Treaty,
//! the United States included, with its accession year (`nato/` in the raw folder).
//! `US-treaty-allies` lists the states the United States is bound to by a mutual
//! defence treaty in the Indo-Pacific (Japan, South Korea, the Philippines, Australia,
//! New Zealand, Thailand); the United States is the alliance's `partner`, not one of
//! its members, because each treaty is a US pledge to that ally. NATO allies are the
//! alliance `NATO`; the Rio Treaty allies in the Americas are not in either list.
//!
//! A membership row covers a span of years under one basis (a treaty, an accession).
//! When the basis changes (Japan's 1951 treaty replaced by the 1960 one) there are two
//! rows. A membership whose obligations were suspended (the US suspended its ANZUS
//! obligations to New Zealand in 1986) keeps its row and gains `suspended_from`: the
//! country is still a party, but it is not counted as an ally from that year on.

use serde::{Deserialize, Serialize};

use crate::error::DatasetError;

/// An alliance: a named group of states, with where its list comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alliance {
    /// `NATO`, `US-treaty-allies`; matched case-insensitively.
    pub id: String,
    pub name: String,
    /// The state every member is allied to and which is itself not listed (`USA` for
    /// `US-treaty-allies`); empty for a multilateral alliance that lists all its parties.
    pub partner: String,
    pub description: String,
    /// Source id in the sources registry.
    pub source: String,
    pub source_url: String,
}

/// One country's membership of an alliance over a span of years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub alliance: String,
    /// ISO3 code.
    pub country: String,
    /// First year of membership under this basis (accession or signature year).
    pub from_year: i32,
    /// Last year under this basis; empty while it continues.
    pub to_year: Option<i32>,
    /// The year the partner's obligations to this member were suspended; from then on
    /// the member is listed as `suspended` and left out of counts.
    pub suspended_from: Option<i32>,
    /// The treaty or event the membership rests on, with its date.
    pub basis: String,
    pub note: String,
    /// Source id in the sources registry.
    pub source: String,
    /// The page the row was compiled from.
    pub source_url: String,
}

/// Where a member stands in a given year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberStatus {
    /// A member in good standing: counted.
    Active,
    /// Still a party, but the partner's obligations are suspended: listed, not counted.
    Suspended,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "member",
            MemberStatus::Suspended => "suspended",
        }
    }
}

impl Membership {
    /// This row's standing in `year`, or `None` if the row does not cover the year.
    pub fn status_in(&self, year: i32) -> Option<MemberStatus> {
        if year < self.from_year || self.to_year.is_some_and(|to| year > to) {
            return None;
        }
        match self.suspended_from {
            Some(s) if year >= s => Some(MemberStatus::Suspended),
            _ => Some(MemberStatus::Active),
        }
    }
}

/// The members of `alliance` in `year`, in the registry's order (by country code),
/// each with its standing.
pub fn members_in<'a>(
    memberships: &'a [Membership],
    alliance: &str,
    year: i32,
) -> Vec<(&'a Membership, MemberStatus)> {
    memberships
        .iter()
        .filter(|m| m.alliance.eq_ignore_ascii_case(alliance))
        .filter_map(|m| m.status_in(year).map(|s| (m, s)))
        .collect()
}

/// An alliance id as a user typed it (`nato`, `us-treaty-allies`).
pub fn resolve_alliance<'a>(
    alliances: &'a [Alliance],
    input: &str,
) -> Result<&'a Alliance, DatasetError> {
    let wanted = input.trim();
    alliances
        .iter()
        .find(|a| a.id.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| DatasetError::UnknownAlliance {
            given: input.to_string(),
            valid: alliances
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Registry order: alliances by id; memberships by alliance, country, first year.
pub(crate) fn sort(alliances: &mut [Alliance], memberships: &mut [Membership]) {
    alliances.sort_by(|a, b| a.id.cmp(&b.id));
    memberships.sort_by(|a, b| {
        (&a.alliance, &a.country, a.from_year).cmp(&(&b.alliance, &b.country, b.from_year))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(country: &str, from: i32, to: Option<i32>, suspended: Option<i32>) -> Membership {
        Membership {
            alliance: "US-treaty-allies".into(),
            country: country.into(),
            from_year: from,
            to_year: to,
            suspended_from: suspended,
            basis: String::new(),
            note: String::new(),
            source: "s".into(),
            source_url: String::new(),
        }
    }

    #[test]
    fn membership_spans_and_suspension() {
        let rows = vec![
            row("JPN", 1951, Some(1959), None),
            row("JPN", 1960, None, None),
            row("NZL", 1951, None, Some(1986)),
        ];
        let in_year = |y| {
            members_in(&rows, "us-treaty-allies", y)
                .into_iter()
                .map(|(m, s)| (m.country.as_str(), m.from_year, s))
                .collect::<Vec<_>>()
        };
        assert_eq!(in_year(1950), vec![]);
        assert_eq!(
            in_year(1959),
            vec![
                ("JPN", 1951, MemberStatus::Active),
                ("NZL", 1951, MemberStatus::Active)
            ]
        );
        assert_eq!(
            in_year(2024),
            vec![
                ("JPN", 1960, MemberStatus::Active),
                ("NZL", 1951, MemberStatus::Suspended)
            ]
        );
    }

    #[test]
    fn alliance_ids_are_case_insensitive_and_unknown_ones_list_the_valid() {
        let alliances = vec![Alliance {
            id: "NATO".into(),
            name: "North Atlantic Treaty Organization".into(),
            partner: String::new(),
            description: String::new(),
            source: "s".into(),
            source_url: String::new(),
        }];
        assert_eq!(resolve_alliance(&alliances, "nato").unwrap().id, "NATO");
        let err = resolve_alliance(&alliances, "SEATO")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "unknown alliance 'SEATO': valid ones are NATO");
    }
}
