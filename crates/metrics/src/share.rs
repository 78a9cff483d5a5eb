//! Who carries an alliance's defence burden: each member's share of the alliance's
//! military spending against its share of the alliance's GDP.
//!
//! Olson and Zeckhauser ("An Economic Theory of Alliances", Review of Economics and
//! Statistics 48(3), 1966) showed that in an alliance producing a public good (deterrence)
//! the large members bear a share of the cost out of proportion to their size, and the
//! small ones ride free. Their comparison, for member i in one year:
//!
//! ```text
//! share of spending  m_i = M_i / Σ M            (US$, current prices and exchange rates)
//! share of GDP       y_i = Y_i / Σ Y
//! fair-share ratio   r_i = m_i / y_i = (M_i / Y_i) / (Σ M / Σ Y)
//! ```
//!
//! r > 1: the member spends a larger share than its economic weight (a burden above the
//! alliance's average burden); r < 1: less. The sums run over the members with both
//! figures; members without one are listed with their missing figure and not counted.
//!
//! Spending is the definition's `milex_usd_current` (SIPRI's or NATO's). GDP in US$ is
//! the same publisher's where it publishes one (NATO's tables), else the IMF WEO's
//! (`gdp_usd`, definition `imf_weo`). A suspended member (New Zealand in ANZUS) is
//! listed, not counted; the alliance's partner (the United States for the US treaty
//! allies) can be added.

use fairshare_dataset::{Dataset, Flags, Measure, MemberStatus, YearBasis};

use crate::compliance::definitions_with;
use crate::error::MetricsError;

/// One member's spending and GDP, and its shares.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberShare {
    pub country: String,
    pub status: MemberStatus,
    /// True for an alliance's partner added on request (not a member).
    pub partner: bool,
    pub milex_usd: Option<f64>,
    pub milex_source: Option<String>,
    pub milex_vintage: Option<String>,
    pub milex_flags: Flags,
    pub gdp_usd: Option<f64>,
    pub gdp_source: Option<String>,
    pub gdp_flags: Flags,
    /// Percent of the alliance total (members with both figures).
    pub share_of_milex: Option<f64>,
    pub share_of_gdp: Option<f64>,
    /// share_of_milex ÷ share_of_gdp.
    pub ratio: Option<f64>,
    /// Spending ÷ GDP, percent (from the two US$ figures).
    pub burden: Option<f64>,
}

impl MemberShare {
    /// Counted in the sums: active, with both figures.
    pub fn counted(&self) -> bool {
        self.status == MemberStatus::Active && self.ratio.is_some()
    }
}

/// An alliance's burden shares in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct FairShare {
    pub alliance: String,
    pub year: i32,
    pub definition: String,
    /// The definition the GDP figures come from (`nato` or `imf_weo`).
    pub gdp_definition: String,
    /// Counted members first, by share of spending (largest first); then the rest.
    pub members: Vec<MemberShare>,
    pub total_milex_usd: f64,
    pub total_gdp_usd: f64,
    /// Σ M / Σ Y, percent.
    pub alliance_burden: f64,
}

impl FairShare {
    /// Members (and partner) counted in the sums.
    pub fn counted(&self) -> usize {
        self.members.iter().filter(|m| m.counted()).count()
    }

    /// Listed but not counted: no figure, or suspended.
    pub fn not_counted(&self) -> Vec<&MemberShare> {
        self.members.iter().filter(|m| !m.counted()).collect()
    }
}

/// The GDP definition that goes with a spending definition.
pub fn gdp_definition_for(ds: &Dataset, definition: &str) -> &'static str {
    let publishes_gdp = ds
        .iter()
        .any(|o| o.measure() == Measure::GdpUsd && o.definition() == definition);
    if definition == "nato" && publishes_gdp {
        "nato"
    } else {
        "imf_weo"
    }
}

/// The members of `alliance` in `year`: shares of spending and GDP, read in `definition`.
pub fn fair_share(
    ds: &Dataset,
    alliance: &str,
    year: i32,
    definition: &str,
    include_partner: bool,
) -> Result<FairShare, MetricsError> {
    let alliance = ds.commitments().alliance(alliance)?;
    let valid = definitions_with(ds, Measure::MilexUsdCurrent);
    if !valid.iter().any(|d| d == definition) {
        return Err(MetricsError::input(format!(
            "definition {definition} publishes no spending in US$ (milex_usd_current): use {}",
            valid.join(", ")
        )));
    }
    let gdp_definition = gdp_definition_for(ds, definition);
    let mut entries: Vec<(String, MemberStatus, bool)> = ds
        .commitments()
        .members_in(&alliance.id, year)
        .into_iter()
        .map(|(m, status)| (m.country.clone(), status, false))
        .collect();
    if entries.is_empty() {
        return Err(MetricsError::no_data(format!(
            "{} had no members in {year}",
            alliance.id
        )));
    }
    if include_partner && !alliance.partner.is_empty() {
        entries.push((alliance.partner.clone(), MemberStatus::Active, true));
    }
    let mut members: Vec<MemberShare> = entries
        .into_iter()
        .map(|(country, status, partner)| {
            let m = ds.get(
                &country,
                Measure::MilexUsdCurrent,
                definition,
                YearBasis::Calendar,
                year,
            );
            let g = ds.get(
                &country,
                Measure::GdpUsd,
                gdp_definition,
                YearBasis::Calendar,
                year,
            );
            MemberShare {
                milex_usd: m.and_then(|o| o.value()),
                milex_source: m.map(|o| o.source_id().to_string()),
                milex_vintage: m.map(|o| o.vintage().to_string()),
                milex_flags: m.map(|o| o.flags()).unwrap_or_default(),
                gdp_usd: g.and_then(|o| o.value()).filter(|v| *v > 0.0),
                gdp_source: g.map(|o| o.source_id().to_string()),
                gdp_flags: g.map(|o| o.flags()).unwrap_or_default(),
                country,
                status,
                partner,
                share_of_milex: None,
                share_of_gdp: None,
                ratio: None,
                burden: None,
            }
        })
        .collect();
    let complete = |m: &MemberShare| {
        m.status == MemberStatus::Active && m.milex_usd.is_some() && m.gdp_usd.is_some()
    };
    let total_milex: f64 = members
        .iter()
        .filter(|m| complete(m))
        .filter_map(|m| m.milex_usd)
        .sum();
    let total_gdp: f64 = members
        .iter()
        .filter(|m| complete(m))
        .filter_map(|m| m.gdp_usd)
        .sum();
    if total_milex <= 0.0 || total_gdp <= 0.0 {
        return Err(MetricsError::no_data(format!(
            "no member of {} has both {definition} spending and {gdp_definition} GDP in US$ \
             for {year}",
            alliance.id
        )));
    }
    for m in members.iter_mut() {
        m.burden = m.milex_usd.zip(m.gdp_usd).map(|(s, g)| s / g * 100.0);
        if complete(m) {
            let (s, g) = (m.milex_usd.unwrap_or(0.0), m.gdp_usd.unwrap_or(0.0));
            m.share_of_milex = Some(s / total_milex * 100.0);
            m.share_of_gdp = Some(g / total_gdp * 100.0);
            m.ratio = Some((s / total_milex) / (g / total_gdp));
        }
    }
    members.sort_by(|a, b| {
        b.counted()
            .cmp(&a.counted())
            .then(
                b.milex_usd
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.milex_usd.unwrap_or(f64::NEG_INFINITY)),
            )
            .then(a.country.cmp(&b.country))
    });
    Ok(FairShare {
        alliance: alliance.id.clone(),
        year,
        definition: definition.to_string(),
        gdp_definition: gdp_definition.to_string(),
        members,
        total_milex_usd: total_milex,
        total_gdp_usd: total_gdp,
        alliance_burden: total_milex / total_gdp * 100.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, close};

    #[test]
    fn nato_2024_shares_and_ratios_by_hand() {
        let ds = fixture::dataset();
        let s = fair_share(&ds, "nato", 2024, "sipri", false).unwrap();
        assert_eq!(s.gdp_definition, "imf_weo");
        let order: Vec<&str> = s.members.iter().map(|m| m.country.as_str()).collect();
        assert_eq!(order, vec!["USA", "DEU", "FIN", "ISL", "SWE"]);
        assert_eq!(s.counted(), 2);
        assert!(close(s.total_milex_usd, 1087e9));
        assert!(close(s.total_gdp_usd, 33.5e12));
        let usa = &s.members[0];
        assert!(close(usa.share_of_milex.unwrap(), 997.0 / 1087.0 * 100.0));
        assert!(close(usa.share_of_gdp.unwrap(), 29.0 / 33.5 * 100.0));
        assert!(close(usa.ratio.unwrap(), (997.0 / 1087.0) / (29.0 / 33.5)));
        // The ratio is the member's burden over the alliance's.
        assert!(close(
            usa.ratio.unwrap(),
            usa.burden.unwrap() / s.alliance_burden
        ));
        let deu = &s.members[1];
        assert!(deu.ratio.unwrap() < 1.0 && usa.ratio.unwrap() > 1.0);
        // Sweden has a share of GDP but no US$ spending in the fixture: listed, not counted.
        assert_eq!(s.not_counted().len(), 3);
        let shares: f64 = s.members.iter().filter_map(|m| m.share_of_milex).sum();
        assert!(close(shares, 100.0));
    }

    #[test]
    fn partner_suspended_members_and_bad_definitions() {
        let ds = fixture::dataset();
        let err = fair_share(&ds, "NATO", 2024, "wb", false)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "definition wb publishes no spending in US$ (milex_usd_current): use nato, sipri"
        );
        // US treaty allies: JPN has no US$ spending in the fixture, NZL is suspended;
        // with the partner (USA) the sums have one member.
        let s = fair_share(&ds, "US-treaty-allies", 2024, "sipri", true).unwrap();
        let usa = s.members.iter().find(|m| m.country == "USA").unwrap();
        assert!(usa.partner && close(usa.ratio.unwrap(), 1.0));
        let nzl = s.members.iter().find(|m| m.country == "NZL").unwrap();
        assert_eq!(nzl.status, MemberStatus::Suspended);
        assert!(!nzl.counted());
        assert!(fair_share(&ds, "US-treaty-allies", 2024, "sipri", false).is_err());
    }
}
