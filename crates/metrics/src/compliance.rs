//! Who meets a target in a year, by how much they fall short, and the count.
//!
//! For each member of an alliance (or each country asked about), in one year and one
//! definition: the burden (the definition's own share: SIPRI's or NATO's % of GDP,
//! NATO's equipment share), whether it meets the target exactly and when rounded to one
//! decimal as SIPRI's fact sheets print it, and the gap. The gap is signed: positive is
//! the shortfall, negative how far the country is above the target.
//!
//! Money gaps use the same definition's spending, so the three gaps agree with each
//! other and with `meets`:
//!
//! - shares of GDP: gap in money = gap in points x the GDP implied by the definition's
//!   own spending and share (spending ÷ share), i.e. `spending x gap_pp / share`, in
//!   local currency (`milex_lcu`) and current US$ (`milex_usd_current`). For NATO, whose
//!   shares are of real GDP (2015 prices), this scales current spending by the same
//!   proportion.
//! - the equipment share: gap in money = gap in points x total defence spending.
//! - Japan's national target (a share of a fixed FY2022 GDP): the target in yen minus
//!   the national figure; US$ at the IMF-implied rate of the fiscal year (April-March:
//!   ¾ of the calendar year's rate and ¼ of the next), flagged where projected.
//!
//! Members with no figure appear with value `None` and meets `None`; the count says
//! "N of M with data (K members)". A member whose partner's obligations are suspended
//! (New Zealand in ANZUS since 1986) is listed but not counted.

use fairshare_dataset::{Dataset, Flag, Flags, Measure, MemberStatus, Unit, YearBasis};

use crate::error::MetricsError;
use crate::fiscal::fiscal_from_calendar;
use crate::projection::imf_gdp_path;
use crate::rounding::{meets, meets_rounded};
use crate::rule::TargetRule;

/// One country against a target in one year, in one definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Compliance {
    pub country: String,
    /// `Active`, or `Suspended` (listed, not counted).
    pub status: MemberStatus,
    pub year: i32,
    pub year_basis: YearBasis,
    pub measure: Measure,
    pub definition: String,
    /// The burden: percent of GDP (or of defence spending); `None` without data.
    pub value: Option<f64>,
    pub unit: Unit,
    /// Source id and vintage of the burden figure (of the national spending figure for
    /// a national reading); `None` without an observation.
    pub source: Option<String>,
    pub vintage: Option<String>,
    /// Flags of the burden figure (`estimate`, `budget`, `no_data`, ...).
    pub flags: Flags,
    /// The target, percent.
    pub target: f64,
    pub meets: Option<bool>,
    pub meets_rounded: Option<bool>,
    /// Target minus value, percentage points (positive: shortfall).
    pub gap_pp: Option<f64>,
    /// The gap in local currency and current US$ (positive: shortfall).
    pub gap_lcu: Option<f64>,
    pub gap_usd: Option<f64>,
    /// The spending the money gap is scaled from (same definition), local currency.
    pub spending_lcu: Option<f64>,
    /// The denominator of the share where fairshare knows it: the fixed GDP of a
    /// national target (local currency).
    pub fixed_gdp_lcu: Option<f64>,
    /// Flags of the money inputs (`projection` for a projected exchange rate).
    pub money_flags: Flags,
    /// ISO 4217 code of the local currency.
    pub currency: String,
}

/// How many meet the target: "N of M with data (K members)".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    /// Members counted (suspended ones excluded).
    pub members: usize,
    /// Counted members with a value.
    pub with_data: usize,
    /// Meeting the target at full precision.
    pub meeting: usize,
    /// Meeting it when rounded to one decimal.
    pub meeting_rounded: usize,
    /// Listed but not counted.
    pub suspended: usize,
}

impl Count {
    pub fn of(rows: &[Compliance]) -> Count {
        let mut c = Count::default();
        for r in rows {
            if r.status == MemberStatus::Suspended {
                c.suspended += 1;
                continue;
            }
            c.members += 1;
            if r.value.is_some() {
                c.with_data += 1;
            }
            c.meeting += usize::from(r.meets == Some(true));
            c.meeting_rounded += usize::from(r.meets_rounded == Some(true));
        }
        c
    }

    /// "N of M with data (K members)", exact.
    pub fn text(&self) -> String {
        format!(
            "{} of {} with data ({} members)",
            self.meeting, self.with_data, self.members
        )
    }

    /// The same count with values rounded to one decimal.
    pub fn text_rounded(&self) -> String {
        format!(
            "{} of {} with data ({} members)",
            self.meeting_rounded, self.with_data, self.members
        )
    }
}

/// An alliance (or a list of countries) against a target in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub target: TargetRule,
    pub definition: String,
    pub year: i32,
    /// The alliance id, if members came from one.
    pub alliance: Option<String>,
    /// By country code (the registry's order).
    pub rows: Vec<Compliance>,
    pub count: Count,
}

/// The definitions that publish `measure` (for messages and defaults).
pub fn definitions_with(ds: &Dataset, measure: Measure) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in ds.iter().filter(|o| o.measure() == measure) {
        if !out.iter().any(|d| d == o.definition()) {
            out.push(o.definition().to_string());
        }
    }
    out.sort();
    out
}

/// Check that `definition` can answer `rule` (it publishes the target's measure, or it
/// is one of a national target's own series).
pub fn check_definition(
    ds: &Dataset,
    rule: &TargetRule,
    definition: &str,
) -> Result<(), MetricsError> {
    if rule
        .national_definitions(ds)
        .iter()
        .any(|d| d == definition)
    {
        return Ok(());
    }
    let valid = definitions_with(ds, rule.measure);
    if valid.iter().any(|d| d == definition) {
        return Ok(());
    }
    let mut readings = valid;
    readings.extend(rule.national_definitions(ds));
    Err(MetricsError::input(format!(
        "definition {definition} publishes no {} for target {}: it can be read in {}",
        rule.measure,
        rule.id,
        readings.join(", ")
    )))
}

/// The latest year in which any of `countries` has a value of the reading.
pub fn latest_year(
    ds: &Dataset,
    countries: &[&str],
    rule: &TargetRule,
    definition: &str,
) -> Option<i32> {
    let (measure, basis) = reading_of(ds, rule, definition);
    countries
        .iter()
        .flat_map(|c| ds.of_country(c))
        .filter(|o| {
            o.measure() == measure
                && o.definition() == definition
                && o.year_basis() == basis
                && o.value().is_some()
        })
        .map(|o| o.year())
        .max()
}

/// The measure and year basis a definition is read in for this target: a national
/// target's own series are spending by fiscal year; the rest are calendar-year shares.
fn reading_of(ds: &Dataset, rule: &TargetRule, definition: &str) -> (Measure, YearBasis) {
    match &rule.fixed_gdp {
        Some(f)
            if rule
                .national_definitions(ds)
                .iter()
                .any(|d| d == definition) =>
        {
            (Measure::MilexLcu, f.year_basis)
        }
        _ => (rule.measure, YearBasis::Calendar),
    }
}

/// The members of an alliance in `year` against `rule`, read in `definition`.
pub fn assess_alliance(
    ds: &Dataset,
    alliance: &str,
    rule: &TargetRule,
    definition: &str,
    year: i32,
) -> Result<Assessment, MetricsError> {
    let alliance = ds.commitments().alliance(alliance)?;
    check_definition(ds, rule, definition)?;
    let mut rows = Vec::new();
    for (membership, status) in ds.commitments().members_in(&alliance.id, year) {
        let mut row = assess_one(ds, &membership.country, rule, definition, year)?;
        row.status = status;
        rows.push(row);
    }
    let count = Count::of(&rows);
    Ok(Assessment {
        target: rule.clone(),
        definition: definition.to_string(),
        year,
        alliance: Some(alliance.id.clone()),
        rows,
        count,
    })
}

/// Countries by code against `rule` in `year`, read in `definition`.
pub fn assess_countries(
    ds: &Dataset,
    countries: &[&str],
    rule: &TargetRule,
    definition: &str,
    year: i32,
) -> Result<Assessment, MetricsError> {
    check_definition(ds, rule, definition)?;
    let rows = countries
        .iter()
        .map(|c| assess_one(ds, c, rule, definition, year))
        .collect::<Result<Vec<_>, _>>()?;
    let count = Count::of(&rows);
    Ok(Assessment {
        target: rule.clone(),
        definition: definition.to_string(),
        year,
        alliance: None,
        rows,
        count,
    })
}

/// One country against `rule` in `year`, read in `definition`.
pub fn assess_one(
    ds: &Dataset,
    country: &str,
    rule: &TargetRule,
    definition: &str,
    year: i32,
) -> Result<Compliance, MetricsError> {
    let currency = ds
        .countries()
        .get(country)
        .map(|c| c.currency.clone())
        .unwrap_or_default();
    if let Some(fixed) = &rule.fixed_gdp
        && rule
            .national_definitions(ds)
            .iter()
            .any(|d| d == definition)
    {
        return national(ds, country, rule, fixed, definition, year, currency);
    }
    let found = ds.get(country, rule.measure, definition, YearBasis::Calendar, year);
    let value = found.and_then(|o| o.value());
    let mut row = Compliance {
        country: country.to_string(),
        status: MemberStatus::Active,
        year,
        year_basis: YearBasis::Calendar,
        measure: rule.measure,
        definition: definition.to_string(),
        value,
        unit: rule.unit,
        source: found.map(|o| o.source_id().to_string()),
        vintage: found.map(|o| o.vintage().to_string()),
        flags: found.map(|o| o.flags()).unwrap_or_default(),
        target: rule.threshold,
        meets: value.map(|v| meets(v, rule.threshold)),
        meets_rounded: value.map(|v| meets_rounded(v, rule.threshold)),
        gap_pp: value.map(|v| rule.threshold - v),
        gap_lcu: None,
        gap_usd: None,
        spending_lcu: None,
        fixed_gdp_lcu: None,
        money_flags: Flags::EMPTY,
        currency,
    };
    let (Some(v), Some(gap)) = (value, row.gap_pp) else {
        return Ok(row);
    };
    // Money per percentage point of the share, from the definition's own spending.
    let per_point = |spending: f64| -> Option<f64> {
        match rule.measure {
            Measure::MilexEquipmentShare => Some(spending / 100.0),
            _ if v > 0.0 => Some(spending / v),
            _ => None,
        }
    };
    let spend = |m: Measure| ds.get(country, m, definition, YearBasis::Calendar, year);
    if let Some(o) = spend(Measure::MilexLcu)
        && let Some(s) = o.value()
    {
        row.spending_lcu = Some(s);
        row.gap_lcu = per_point(s).map(|p| gap * p);
        row.money_flags = row.money_flags.union(o.flags());
    }
    if let Some(o) = spend(Measure::MilexUsdCurrent)
        && let Some(s) = o.value()
    {
        row.gap_usd = per_point(s).map(|p| gap * p);
        row.money_flags = row.money_flags.union(o.flags());
    }
    Ok(row)
}

/// A national reading of a target on a fixed GDP: the national figure for the fiscal
/// year against threshold x fixed GDP.
fn national(
    ds: &Dataset,
    country: &str,
    rule: &TargetRule,
    fixed: &crate::rule::FixedGdp,
    definition: &str,
    year: i32,
    currency: String,
) -> Result<Compliance, MetricsError> {
    let found = ds.get(
        country,
        Measure::MilexLcu,
        definition,
        fixed.year_basis,
        year,
    );
    let spending = found.and_then(|o| o.value());
    let value = spending.map(|s| s / fixed.gdp_lcu * 100.0);
    let target_lcu = fixed.amount_lcu(rule.threshold);
    let gap_lcu = spending.map(|s| target_lcu - s);
    // US$ at the fiscal year's IMF-implied rate, where the WEO (or its extension) has it.
    let (rate, rate_flags) = fiscal_rate(ds, country, fixed.year_basis, year);
    Ok(Compliance {
        country: country.to_string(),
        status: MemberStatus::Active,
        year,
        year_basis: fixed.year_basis,
        measure: rule.measure,
        definition: definition.to_string(),
        value,
        unit: rule.unit,
        source: found.map(|o| o.source_id().to_string()),
        vintage: found.map(|o| o.vintage().to_string()),
        flags: found.map(|o| o.flags()).unwrap_or_default(),
        target: rule.threshold,
        meets: spending.map(|s| meets(s, target_lcu)),
        meets_rounded: value.map(|v| meets_rounded(v, rule.threshold)),
        gap_pp: value.map(|v| rule.threshold - v),
        gap_lcu,
        gap_usd: gap_lcu.zip(rate).map(|(g, r)| g / r),
        spending_lcu: spending,
        fixed_gdp_lcu: Some(fixed.gdp_lcu),
        money_flags: if gap_lcu.is_some() {
            rate_flags
        } else {
            Flags::EMPTY
        },
        currency,
    })
}

/// The IMF-implied exchange rate (local currency per US$) of fiscal year `year`, as the
/// time-weighted average of the two calendar years it spans, with their flags.
pub fn fiscal_rate(
    ds: &Dataset,
    country: &str,
    basis: YearBasis,
    year: i32,
) -> (Option<f64>, Flags) {
    let Ok(path) = imf_gdp_path(ds, country, year, year + 1) else {
        return (None, Flags::EMPTY);
    };
    let (Some(a), Some(b)) = (path.get(year), path.get(year + 1)) else {
        return (None, Flags::EMPTY);
    };
    let rate = a
        .lcu_per_usd
        .zip(b.lcu_per_usd)
        .and_then(|(ra, rb)| fiscal_from_calendar(basis, ra, rb));
    let flags = a
        .flags
        .union(b.flags)
        .iter()
        .filter(|f| *f != Flag::Estimate)
        .collect();
    (rate, flags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, close};

    fn rule(ds: &Dataset, id: &str) -> TargetRule {
        TargetRule::parse(ds.commitments(), id).unwrap()
    }

    #[test]
    fn nato_2024_sipri_counts_exact_and_rounded() {
        let ds = fixture::dataset();
        let a = assess_alliance(&ds, "nato", &rule(&ds, "nato-2pct"), "sipri", 2024).unwrap();
        let by: Vec<_> = a
            .rows
            .iter()
            .map(|r| (r.country.as_str(), r.value, r.meets, r.meets_rounded))
            .collect();
        assert_eq!(
            by,
            vec![
                ("DEU", Some(1.9), Some(false), Some(false)),
                ("FIN", None, None, None),
                ("ISL", None, None, None),
                ("SWE", Some(1.9977173881016819), Some(false), Some(true)),
                ("USA", Some(3.42), Some(true), Some(true)),
            ]
        );
        assert_eq!(a.count.text(), "1 of 3 with data (5 members)");
        assert_eq!(a.count.text_rounded(), "2 of 3 with data (5 members)");
        assert_eq!(a.rows[1].flags.to_string(), "no_data");
        assert_eq!(a.rows[2].source, None);
        // Sweden was not a member in 2023.
        let a23 = assess_alliance(&ds, "NATO", &rule(&ds, "nato-2pct"), "sipri", 2023).unwrap();
        assert_eq!(a23.count.members, 4);
    }

    #[test]
    fn money_gaps_scale_the_definitions_own_spending() {
        let ds = fixture::dataset();
        let deu = assess_one(&ds, "DEU", &rule(&ds, "nato-2pct"), "sipri", 2024).unwrap();
        // gap 0.1 pp of an implied GDP of 85.5e9 / 1.9% = 4.5e12 -> 4.5e9 EUR.
        assert!(close(deu.gap_pp.unwrap(), 0.1));
        assert!(close(deu.gap_lcu.unwrap(), 4.5e9), "{:?}", deu.gap_lcu);
        assert!(close(deu.gap_usd.unwrap(), 90e9 * 0.1 / 1.9));
        assert_eq!(deu.currency, "EUR");
        // Above the target: negative gaps.
        let usa = assess_one(&ds, "USA", &rule(&ds, "nato-2pct"), "sipri", 2024).unwrap();
        assert!(close(usa.gap_pp.unwrap(), -1.42));
        assert!(usa.gap_lcu.unwrap() < 0.0);
        // The equipment share: points of total spending.
        let eq = assess_one(&ds, "USA", &rule(&ds, "nato-equipment-20pct"), "nato", 2024).unwrap();
        assert_eq!((eq.meets, eq.unit), (Some(false), Unit::PctMilex));
        assert!(close(eq.gap_lcu.unwrap(), 45e9));
        assert_eq!(eq.flags.to_string(), "estimate");
    }

    #[test]
    fn japan_national_reading_uses_the_fixed_fy2022_gdp() {
        let ds = fixture::dataset();
        let r = rule(&ds, "japan-2pct-fy2027");
        let initial = assess_one(&ds, "JPN", &r, "national:jp-security", 2025).unwrap();
        assert_eq!(initial.year_basis, YearBasis::FY_APR);
        assert!(close(initial.value.unwrap(), 9.93 / 560.0 * 100.0));
        assert_eq!(
            (initial.meets, initial.meets_rounded),
            (Some(false), Some(false))
        );
        assert!(close(initial.gap_lcu.unwrap(), 11.2e12 - 9.93e12));
        // FY2025 rate: 3/4 of 2025's 110 and 1/4 of 2026's 110 (both projected).
        assert!(close(initial.gap_usd.unwrap(), 1.27e12 / 110.0));
        assert_eq!(initial.money_flags.to_string(), "projection");
        let supp = assess_one(&ds, "JPN", &r, "national:jp-security-supp", 2025).unwrap();
        // ¥11.0 tn is 1.964% of ¥560 tn: 2.0% as rounded, short of ¥11.2 tn exactly.
        assert!(close(supp.value.unwrap(), 11.0 / 560.0 * 100.0));
        assert_eq!((supp.meets, supp.meets_rounded), (Some(false), Some(true)));
        assert!(close(supp.gap_lcu.unwrap(), 0.2e12));
        assert_eq!(supp.flags.to_string(), "approximate;budget");
        // The same target read by SIPRI: each calendar year's GDP.
        let sipri = assess_one(&ds, "JPN", &r, "sipri", 2024).unwrap();
        assert_eq!(
            (sipri.value, sipri.year_basis),
            (Some(1.0), YearBasis::Calendar)
        );
    }

    #[test]
    fn suspended_members_are_listed_not_counted() {
        let ds = fixture::dataset();
        let a = assess_alliance(
            &ds,
            "us-treaty-allies",
            &TargetRule::ad_hoc(2.0).unwrap(),
            "sipri",
            2024,
        )
        .unwrap();
        let status: Vec<_> = a
            .rows
            .iter()
            .map(|r| (r.country.as_str(), r.status))
            .collect();
        assert_eq!(
            status,
            vec![
                ("JPN", MemberStatus::Active),
                ("NZL", MemberStatus::Suspended)
            ]
        );
        assert_eq!((a.count.members, a.count.suspended), (1, 1));
        assert_eq!(a.count.text(), "0 of 1 with data (1 members)");
    }

    #[test]
    fn a_definition_without_the_measure_is_refused() {
        let ds = fixture::dataset();
        let err = assess_alliance(
            &ds,
            "NATO",
            &rule(&ds, "nato-equipment-20pct"),
            "sipri",
            2024,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "definition sipri publishes no milex_equipment_share for target nato-equipment-20pct: it can be read in nato"
        );
        let err = assess_alliance(&ds, "SEATO", &rule(&ds, "nato-2pct"), "sipri", 2024)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "unknown alliance 'SEATO': valid ones are NATO, US-treaty-allies"
        );
        assert_eq!(
            latest_year(&ds, &["DEU", "USA"], &rule(&ds, "nato-2pct"), "sipri"),
            Some(2024)
        );
        assert_eq!(
            latest_year(
                &ds,
                &["JPN"],
                &rule(&ds, "japan-2pct-fy2027"),
                "national:jp-security"
            ),
            Some(2025)
        );
    }
}
