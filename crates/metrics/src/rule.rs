//! What a target asks, as the engine evaluates it: a registered target (`nato-2pct`,
//! `wales_2pct`, `japan-2pct-fy2027`) or an ad-hoc share of GDP (`3%`, `3.5`).

use fairshare_dataset::{Commitments, Dataset, Measure, Target, Unit, YearBasis};

use crate::error::MetricsError;

/// The denominator of a national target stated on a fixed GDP.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedGdp {
    /// The country the target belongs to.
    pub country: String,
    /// The definition the target is stated in (`national:jp-security`).
    pub definition: String,
    /// The fixed GDP in local currency (Japan: FY2022 GDP, about ¥560 trillion).
    pub gdp_lcu: f64,
    pub gdp_year: i32,
    /// The fiscal year of the national series (`fy_apr`).
    pub year_basis: YearBasis,
}

impl FixedGdp {
    /// The target in local currency: threshold × fixed GDP.
    pub fn amount_lcu(&self, threshold: f64) -> f64 {
        threshold / 100.0 * self.gdp_lcu
    }
}

/// A target as the engine evaluates it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetRule {
    /// The registered id (`nato-2pct`), or the share as typed for an ad-hoc target (`3%`).
    pub id: String,
    pub name: String,
    /// `milex_gdp` (a share of GDP) or `milex_equipment_share` (of defence spending).
    pub measure: Measure,
    /// Percent.
    pub threshold: f64,
    pub unit: Unit,
    /// The year it is due, where the target states one.
    pub by_year: Option<i32>,
    /// Set for a national target on a fixed GDP (Japan's 2% of FY2022 GDP).
    pub fixed_gdp: Option<FixedGdp>,
    /// The registry row, for a registered target (source, page, description).
    pub registered: Option<Target>,
}

impl TargetRule {
    /// A target as a user typed it: a registered id or alias (any case), or a share of
    /// GDP such as `3%` or `3.5`. An unknown name lists the valid ids.
    pub fn parse(commitments: &Commitments, input: &str) -> Result<TargetRule, MetricsError> {
        match commitments.target(input) {
            Ok(t) => TargetRule::from_target(t),
            Err(unknown) => {
                let text = input.trim();
                let number = text.strip_suffix('%').unwrap_or(text).trim();
                match number.parse::<f64>() {
                    Ok(v) => TargetRule::ad_hoc(v),
                    Err(_) => Err(unknown.into()),
                }
            }
        }
    }

    /// An ad-hoc share of GDP (percent, 0-100).
    pub fn ad_hoc(threshold: f64) -> Result<TargetRule, MetricsError> {
        if !threshold.is_finite() || !(0.0..=100.0).contains(&threshold) {
            return Err(MetricsError::input(format!(
                "target {threshold}% is outside 0-100% of GDP"
            )));
        }
        Ok(TargetRule {
            id: format!("{threshold}%"),
            name: format!("{threshold}% of GDP (ad hoc)"),
            measure: Measure::MilexGdp,
            threshold,
            unit: Unit::PctGdp,
            by_year: None,
            fixed_gdp: None,
            registered: None,
        })
    }

    /// A registered target; one no dataset measures is refused with the reason.
    pub fn from_target(t: &Target) -> Result<TargetRule, MetricsError> {
        let measure = t.measure.ok_or_else(|| {
            MetricsError::input(format!(
                "target {} cannot be evaluated: {}",
                t.id,
                t.description
                    .split("Listed, not evaluated: ")
                    .nth(1)
                    .unwrap_or("no dataset in fairshare measures what it counts")
            ))
        })?;
        let fixed_gdp = match (t.fixed_gdp_lcu, t.fixed_gdp_year) {
            (Some(gdp_lcu), Some(gdp_year)) if !t.country.is_empty() => Some(FixedGdp {
                country: t.country.clone(),
                definition: t.definition.clone(),
                gdp_lcu,
                gdp_year,
                year_basis: t.year_basis,
            }),
            _ => None,
        };
        Ok(TargetRule {
            id: t.id.clone(),
            name: t.name.clone(),
            measure,
            threshold: t.threshold,
            unit: t.unit,
            by_year: Some(t.by_year),
            fixed_gdp,
            registered: Some(t.clone()),
        })
    }

    pub fn is_ad_hoc(&self) -> bool {
        self.registered.is_none()
    }

    /// True for a share of each year's GDP (what a gap path can project).
    pub fn is_share_of_gdp(&self) -> bool {
        self.measure == Measure::MilexGdp
    }

    /// The definitions a national target is read in: its own and its variants named
    /// `<definition>-...` (Japan: `national:jp-security` and
    /// `national:jp-security-supp`, with the supplementary budget), as the dataset holds
    /// them. Empty for other targets.
    pub fn national_definitions(&self, ds: &Dataset) -> Vec<String> {
        let Some(fixed) = &self.fixed_gdp else {
            return Vec::new();
        };
        let variant = format!("{}-", fixed.definition);
        let mut out: Vec<String> = ds
            .definitions()
            .iter()
            .filter(|d| d.id == fixed.definition || d.id.starts_with(&variant))
            .map(|d| d.id.clone())
            .collect();
        out.sort_by_key(|d| (d.len(), d.clone()));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn ids_aliases_and_ad_hoc_shares_parse() {
        let ds = fixture::dataset();
        let c = ds.commitments();
        let r = TargetRule::parse(c, "NATO-2pct").unwrap();
        assert_eq!(
            (r.id.as_str(), r.threshold, r.by_year),
            ("nato-2pct", 2.0, Some(2024))
        );
        assert_eq!(TargetRule::parse(c, "wales_2pct").unwrap().id, "nato-2pct");
        let r = TargetRule::parse(c, "3%").unwrap();
        assert_eq!((r.id.as_str(), r.threshold, r.by_year), ("3%", 3.0, None));
        assert!(r.is_ad_hoc() && r.is_share_of_gdp());
        assert_eq!(TargetRule::parse(c, " 3.5 ").unwrap().threshold, 3.5);
        let j = TargetRule::parse(c, "japan-2pct-fy2027").unwrap();
        let fixed = j.fixed_gdp.clone().unwrap();
        assert_eq!(fixed.amount_lcu(j.threshold), 11.2e12);
        assert_eq!(
            j.national_definitions(&ds),
            vec!["national:jp-security", "national:jp-security-supp"]
        );
    }

    #[test]
    fn bad_targets_say_what_is_valid() {
        let ds = fixture::dataset();
        let c = ds.commitments();
        let err = TargetRule::parse(c, "150%").unwrap_err().to_string();
        assert_eq!(err, "target 150% is outside 0-100% of GDP");
        let err = TargetRule::parse(c, "-1").unwrap_err().to_string();
        assert_eq!(err, "target -1% is outside 0-100% of GDP");
        let err = TargetRule::parse(c, "nato-3pct").unwrap_err().to_string();
        assert!(
            err.starts_with(
                "unknown target 'nato-3pct': valid ones are japan-2pct-fy2027, nato-2pct"
            ),
            "{err}"
        );
        let err = TargetRule::parse(c, "nato-related-1.5pct-2035")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("target nato-related-1.5pct-2035 cannot be evaluated: no dataset"),
            "{err}"
        );
    }
}
