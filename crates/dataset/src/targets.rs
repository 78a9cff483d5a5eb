//! Spending targets and multi-year plans: `data/targets.csv` and `data/plans.csv`.
//!
//! A [`Target`] is a threshold on one measure (a share of GDP, or the share of defence
//! spending on equipment) to be reached by a year, as an alliance or a government
//! stated it. Most are relative to each year's GDP. Japan's `japan-2pct-fy2027` is
//! different: 2% of **FY2022** GDP (about ¥560 trillion, the Ministry of Defense's
//! figure), so in national terms it is a fixed yen amount; `fixed_gdp_lcu` holds that
//! denominator.
//!
//! A [`Plan`] is a budgeted programme over several years (Japan's ¥43 trillion Defense
//! Buildup Program for FY2023-27). It is a registry row, not an observation, because it
//! is one amount for a span of years: as an observation it would either sit on one year
//! or be split by a rule the government never stated.

use serde::{Deserialize, Serialize};

use crate::error::DatasetError;
use crate::model::{Flags, Measure, Unit, YearBasis};

/// A spending target as stated by an alliance or a government.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// `nato-2pct`, `japan-2pct-fy2027`, ...; matched case-insensitively.
    pub id: String,
    /// Other names for it, `;`-separated: the raw file's ids (`wales_2pct`).
    pub aliases: String,
    pub name: String,
    /// The alliance that set it (`NATO`), or empty for a national target.
    pub alliance: String,
    /// The country a national target belongs to (`JPN`), or empty.
    pub country: String,
    /// What the threshold applies to; empty when no dataset measures it (The Hague's
    /// 1.5% of "defence- and security-related" spending).
    #[serde(with = "as_text_opt")]
    pub measure: Option<Measure>,
    /// The threshold, in percent (2.0 = 2% of GDP; 20.0 = 20% of defence spending).
    pub threshold: f64,
    #[serde(with = "as_text")]
    pub unit: Unit,
    /// The year by which it is to be reached.
    pub by_year: i32,
    #[serde(with = "as_text")]
    pub year_basis: YearBasis,
    /// The definition the target is stated in (`nato`, `national:jp-security`).
    pub definition: String,
    /// For a target on a fixed GDP: that GDP in local currency (Japan: FY2022 GDP).
    pub fixed_gdp_lcu: Option<f64>,
    /// The year of the fixed GDP.
    pub fixed_gdp_year: Option<i32>,
    /// The amount the government states for the target, as it rounds it (Japan: "about
    /// ¥11 trillion"), for reference; the engine computes threshold × fixed GDP.
    pub stated_amount_lcu: Option<f64>,
    /// Date agreed (ISO), and where.
    pub agreed: String,
    pub agreed_at: String,
    pub description: String,
    #[serde(with = "as_text")]
    pub flags: Flags,
    pub source: String,
    pub source_url: String,
}

impl Target {
    /// The aliases as a list.
    pub fn alias_list(&self) -> impl Iterator<Item = &str> {
        self.aliases
            .split(';')
            .map(str::trim)
            .filter(|a| !a.is_empty())
    }

    /// True if `input` is this target's id or one of its aliases (case-insensitive).
    pub fn answers_to(&self, input: &str) -> bool {
        let wanted = input.trim();
        self.id.eq_ignore_ascii_case(wanted)
            || self.alias_list().any(|a| a.eq_ignore_ascii_case(wanted))
    }

    /// The target in local currency when it is a share of a fixed GDP.
    pub fn fixed_amount_lcu(&self) -> Option<f64> {
        self.fixed_gdp_lcu.map(|g| self.threshold / 100.0 * g)
    }
}

/// A budgeted multi-year programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// `jp-dbp-fy2023-27`.
    pub id: String,
    /// ISO3 code.
    pub country: String,
    pub name: String,
    pub from_year: i32,
    pub to_year: i32,
    #[serde(with = "as_text")]
    pub year_basis: YearBasis,
    #[serde(with = "as_text")]
    pub measure: Measure,
    /// What the amount counts (`national:jp-dbp`).
    pub definition: String,
    /// The total over all its years, in full units.
    pub amount: f64,
    #[serde(with = "as_text")]
    pub unit: Unit,
    #[serde(with = "as_text")]
    pub flags: Flags,
    pub note: String,
    pub source: String,
    pub source_url: String,
}

impl Plan {
    /// Years covered (inclusive).
    pub fn years(&self) -> i32 {
        self.to_year - self.from_year + 1
    }
}

/// A target id or alias as a user typed it; unknown ones list the valid ids.
pub fn resolve_target<'a>(targets: &'a [Target], input: &str) -> Result<&'a Target, DatasetError> {
    targets
        .iter()
        .find(|t| t.answers_to(input))
        .ok_or_else(|| DatasetError::UnknownTarget {
            given: input.to_string(),
            valid: targets
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Registry order: by id.
pub(crate) fn sort(targets: &mut [Target], plans: &mut [Plan]) {
    targets.sort_by(|a, b| a.id.cmp(&b.id));
    plans.sort_by(|a, b| a.id.cmp(&b.id));
}

/// Refuse what would make a target lookup ambiguous: an id or alias used twice.
pub(crate) fn check_unique(targets: &[Target]) -> Result<(), DatasetError> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    for t in targets {
        for name in std::iter::once(t.id.as_str()).chain(t.alias_list()) {
            let key = name.to_ascii_lowercase();
            if let Some((_, other)) = seen.iter().find(|(k, _)| *k == key) {
                return Err(DatasetError::invalid(
                    "targets.csv",
                    format!("target name '{name}' is used by both {other} and {}", t.id),
                ));
            }
            seen.push((key, t.id.as_str()));
        }
    }
    Ok(())
}

/// Serialize a vocabulary term (measure, unit, basis, flags) by its text id, so the
/// CSV says `milex_gdp`, not `MilexGdp`.
pub(crate) mod as_text {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer, Serializer, de};

    pub fn serialize<T: Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// [`as_text`] for an optional term: empty text is `None`.
pub(crate) mod as_text_opt {
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::{Deserialize, Deserializer, Serializer, de};

    pub fn serialize<T: Display, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(v),
            None => s.serialize_str(""),
        }
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<Option<T>, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            Ok(None)
        } else {
            s.parse().map(Some).map_err(de::Error::custom)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Flag;

    pub(crate) fn nato_2pct() -> Target {
        Target {
            id: "nato-2pct".into(),
            aliases: "wales_2pct".into(),
            name: "Wales 2014: 2% of GDP".into(),
            alliance: "NATO".into(),
            country: String::new(),
            measure: Some(Measure::MilexGdp),
            threshold: 2.0,
            unit: Unit::PctGdp,
            by_year: 2024,
            year_basis: YearBasis::Calendar,
            definition: "nato".into(),
            fixed_gdp_lcu: None,
            fixed_gdp_year: None,
            stated_amount_lcu: None,
            agreed: "2014-09-05".into(),
            agreed_at: "Wales (Newport) Summit".into(),
            description: "Defence Investment Pledge".into(),
            flags: Flags::EMPTY,
            source: "a".into(),
            source_url: "https://www.nato.int/cps/en/natohq/news_112461.htm".into(),
        }
    }

    pub(crate) fn japan_2pct() -> Target {
        Target {
            id: "japan-2pct-fy2027".into(),
            aliases: String::new(),
            name: "Japan: security-related expenditures at 2% of FY2022 GDP by FY2027".into(),
            alliance: String::new(),
            country: "JPN".into(),
            measure: Some(Measure::MilexGdp),
            threshold: 2.0,
            unit: Unit::PctGdp,
            by_year: 2027,
            year_basis: YearBasis::FY_APR,
            definition: "national:jp-security".into(),
            fixed_gdp_lcu: Some(560e12),
            fixed_gdp_year: Some(2022),
            stated_amount_lcu: Some(11e12),
            agreed: "2022-12-16".into(),
            agreed_at: String::new(),
            description: String::new(),
            flags: Flags::EMPTY.with(Flag::Approximate),
            source: "a".into(),
            source_url: "http://www.clearing.mod.go.jp/hakusho_data/2024/html/nc014000.html".into(),
        }
    }

    #[test]
    fn targets_resolve_by_id_or_alias_in_any_case() {
        let targets = vec![nato_2pct(), japan_2pct()];
        assert_eq!(
            resolve_target(&targets, "NATO-2PCT").unwrap().id,
            "nato-2pct"
        );
        assert_eq!(
            resolve_target(&targets, "wales_2pct").unwrap().id,
            "nato-2pct"
        );
        let err = resolve_target(&targets, "nato-3pct")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown target 'nato-3pct': valid ones are nato-2pct, japan-2pct-fy2027 \
             (or an ad-hoc share such as 3% with --by YEAR)"
        );
        assert_eq!(targets[1].fixed_amount_lcu(), Some(11.2e12));
    }

    #[test]
    fn an_alias_shared_by_two_targets_is_refused() {
        let mut other = japan_2pct();
        other.aliases = "WALES_2PCT".into();
        assert!(check_unique(&[nato_2pct(), other]).is_err());
        assert!(check_unique(&[nato_2pct(), japan_2pct()]).is_ok());
    }

    #[test]
    fn terms_are_written_as_their_ids() {
        let text = crate::registry::write_rows(&[japan_2pct()], "targets.csv").unwrap();
        assert!(
            text.contains(",milex_gdp,2.0,pct_gdp,2027,fy_apr,"),
            "{text}"
        );
        assert!(text.contains(",approximate,"), "{text}");
        let back: Vec<Target> = crate::registry::read_rows(&text, "targets.csv").unwrap();
        assert_eq!(back, vec![japan_2pct()]);
    }
}
