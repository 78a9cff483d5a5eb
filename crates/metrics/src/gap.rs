//! The spending path that reaches a share-of-GDP target by a year, and what it costs.
//!
//! The path starts from the reading's latest actual share (or the share of `--from`)
//! and rises **linearly in share of GDP** to the target in the target year: with base
//! year b, base share s₀, target T and target year Y,
//!
//! ```text
//! share(t)        = s₀ + (T - s₀) · (t - b) / (Y - b)            b ≤ t ≤ Y
//! required_lcu(t) = share(t) / 100 · D(t)
//! extra_lcu(t)    = (share(t) - s₀) / 100 · D(t)                 over holding s₀ on the same D
//! required_growth_nominal(t) = required_lcu(t) / required_lcu(t-1) - 1   (percent)
//! ```
//!
//! Linear in share is the simplest path a government can state ("0.2 points a year")
//! and the one NATO's "credible incremental path" language suggests. When Y = b the
//! path is the target in that year itself (what reaching it at once costs: growth is
//! measured against holding s₀). A reading already at or above the target holds s₀.
//!
//! D(t) is the denominator:
//!
//! - **GDP-relative readings** (SIPRI, NATO, an ad-hoc share): each calendar year's
//!   nominal GDP from the IMF WEO, projected to 2030 and extended to 2035 by holding
//!   2030 real growth and GDP-deflator inflation ([`crate::projection`]). The base
//!   share is the publisher's own (SIPRI divides by the GDP it had), applied to the
//!   WEO's GDP; the reading's own spending is shown beside it as `actual_lcu`.
//! - **Japan's national reading** (`japan-2pct-fy2027` in `national:jp-security` or
//!   `national:jp-security-supp`): the fixed FY2022 GDP (about ¥560 trillion), April-
//!   March fiscal years. The target is then a fixed yen amount and the path is linear
//!   in yen; US$ use the fiscal year's IMF-implied rate (¾ of the calendar year's rate
//!   and ¼ of the next).
//!
//! US$ figures divide by the IMF-implied rate (NGDP ÷ NGDPD) of the year, flagged
//! `projection`/`extrapolated` with the rate.

use fairshare_dataset::{Dataset, Flags, Measure, YearBasis};

use crate::compliance::{check_definition, latest_year};
use crate::error::MetricsError;
use crate::fiscal::fiscal_from_calendar;
use crate::projection::{Extrapolation, GdpPath, HORIZON, imf_gdp_path};
use crate::rule::TargetRule;

/// What the shares of a gap path are shares of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denominator {
    /// Each calendar year's nominal GDP (IMF WEO).
    GdpOfYear,
    /// A fixed GDP (Japan's FY2022 GDP), fiscal years.
    FixedGdp,
}

/// One year of a gap path.
#[derive(Debug, Clone, PartialEq)]
pub struct GapYear {
    pub year: i32,
    /// Share of GDP on the path, percent.
    pub share: f64,
    /// Spending the path requires, local currency and US$.
    pub required_lcu: f64,
    pub required_usd: Option<f64>,
    /// Over holding the base share on the same denominator, local currency.
    pub extra_lcu: f64,
    /// Growth of required spending on the year before, percent (`None` for the base
    /// year of a path that starts below the target year).
    pub required_growth_nominal: Option<f64>,
    /// The denominator: that year's GDP, or the fixed GDP.
    pub gdp_lcu: f64,
    /// Local currency per US$ used.
    pub lcu_per_usd: Option<f64>,
    /// What the reading actually records for the year, where it does.
    pub actual_lcu: Option<f64>,
    /// Flags of the denominator (`projection`, `extrapolated` GDP).
    pub flags: Flags,
    /// Flags of the exchange rate.
    pub usd_flags: Flags,
}

/// The path of one reading to a target.
#[derive(Debug, Clone, PartialEq)]
pub struct GapPath {
    pub country: String,
    pub currency: String,
    /// The reading: `sipri`, `nato`, `national:jp-security`, ...
    pub definition: String,
    pub denominator: Denominator,
    pub year_basis: YearBasis,
    pub target_id: String,
    /// The target, percent of GDP.
    pub target: f64,
    pub base_year: i32,
    /// The reading's share in the base year, percent.
    pub base_share: f64,
    /// Source, vintage and flags of the base figure.
    pub base_source: String,
    pub base_vintage: String,
    pub base_flags: Flags,
    pub by: i32,
    /// The base share already meets the target (the path holds it).
    pub already_meets: bool,
    /// Base year first, then each year to `by`.
    pub years: Vec<GapYear>,
    /// Sum of `extra_lcu` over the path.
    pub cumulative_extra_lcu: f64,
    /// Source and vintage of the GDP and exchange rates (IMF WEO).
    pub gdp_source: Option<String>,
    pub gdp_vintage: Option<String>,
    /// How years past the WEO were extended, if any were.
    pub extrapolation: Option<Extrapolation>,
    /// The fixed denominator of a national reading.
    pub fixed_gdp_lcu: Option<f64>,
}

/// The path by which `country` reaches `rule` in `definition` by `by` (default: the
/// target's own year), starting from the latest actual share or from `from`.
pub fn gap_path(
    ds: &Dataset,
    country: &str,
    rule: &TargetRule,
    definition: &str,
    by: Option<i32>,
    from: Option<i32>,
) -> Result<GapPath, MetricsError> {
    if !rule.is_share_of_gdp() {
        return Err(MetricsError::input(format!(
            "target {} is a share of {}, not of GDP: gap projects shares of GDP only",
            rule.id,
            if rule.measure == Measure::MilexEquipmentShare {
                "defence spending"
            } else {
                rule.measure.as_str()
            }
        )));
    }
    check_definition(ds, rule, definition)?;
    let by = by.or(rule.by_year).ok_or_else(|| {
        MetricsError::input(format!(
            "--by YEAR is needed with an ad-hoc target such as {}",
            rule.id
        ))
    })?;
    if by > HORIZON {
        return Err(MetricsError::input(format!(
            "--by {by} is after {HORIZON}: GDP is projected to {HORIZON} at most (IMF WEO to 2030, then 2030 growth held)"
        )));
    }
    let national = rule.fixed_gdp.clone().filter(|_| {
        rule.national_definitions(ds)
            .iter()
            .any(|d| d == definition)
    });
    let (measure, basis) = match &national {
        Some(f) => (Measure::MilexLcu, f.year_basis),
        None => (Measure::MilexGdp, YearBasis::Calendar),
    };
    let base = match from {
        Some(f) => f,
        None => latest_year(ds, &[country], rule, definition).ok_or_else(|| {
            MetricsError::no_data(format!(
                "{country} has no {definition} {measure} to start a path from"
            ))
        })?,
    };
    if by < base {
        return Err(match from {
            Some(f) => MetricsError::input(format!("--by {by} is before --from {f}")),
            None => MetricsError::ByBeforeData {
                by,
                base,
                definition: definition.to_string(),
                country: country.to_string(),
            },
        });
    }
    let base_obs = ds
        .get(country, measure, definition, basis, base)
        .filter(|o| o.value().is_some())
        .ok_or_else(|| {
            MetricsError::no_data(format!(
                "no {definition} {measure} for {country} in {}{base}",
                if basis == YearBasis::Calendar {
                    ""
                } else {
                    "FY"
                }
            ))
        })?;
    let base_value = base_obs.value().unwrap_or_default();
    let currency = ds
        .countries()
        .get(country)
        .map(|c| c.currency.clone())
        .unwrap_or_default();

    // The denominators and rates.
    let (denominator, fixed_gdp, path): (Denominator, Option<f64>, Option<GdpPath>) =
        match &national {
            Some(f) => (
                Denominator::FixedGdp,
                Some(f.gdp_lcu),
                // Rates only: the yen path does not need the WEO.
                imf_gdp_path(ds, country, base, by + 1).ok(),
            ),
            None => (
                Denominator::GdpOfYear,
                None,
                Some(imf_gdp_path(ds, country, base, by)?),
            ),
        };
    let gdp_of = |t: i32| -> Result<f64, MetricsError> {
        match (fixed_gdp, &path) {
            (Some(g), _) => Ok(g),
            (None, Some(p)) => p
                .get(t)
                .map(|y| y.gdp_lcu)
                .ok_or_else(|| MetricsError::no_data(format!("no IMF WEO GDP for {country} {t}"))),
            (None, None) => Err(MetricsError::no_data(format!(
                "no IMF WEO GDP for {country}"
            ))),
        }
    };
    let base_share = match fixed_gdp {
        Some(g) => base_value / g * 100.0,
        None => base_value,
    };
    let target = rule.threshold;
    let already_meets = base_share >= target;
    let share_at = |t: i32| -> f64 {
        if already_meets {
            base_share
        } else if by == base {
            target
        } else {
            base_share + (target - base_share) * f64::from(t - base) / f64::from(by - base)
        }
    };

    let mut years: Vec<GapYear> = Vec::new();
    for t in base..=by {
        let d = gdp_of(t)?;
        let share = share_at(t);
        let required = share / 100.0 * d;
        let (rate, usd_flags) = match (&national, &path) {
            (Some(f), Some(p)) => match (p.get(t), p.get(t + 1)) {
                (Some(a), Some(b)) => (
                    a.lcu_per_usd
                        .zip(b.lcu_per_usd)
                        .and_then(|(ra, rb)| fiscal_from_calendar(f.year_basis, ra, rb)),
                    a.flags.union(b.flags),
                ),
                _ => (None, Flags::EMPTY),
            },
            (None, Some(p)) => p
                .get(t)
                .map_or((None, Flags::EMPTY), |y| (y.lcu_per_usd, y.flags)),
            _ => (None, Flags::EMPTY),
        };
        let growth = match years.last() {
            Some(prev) if prev.required_lcu > 0.0 => {
                Some((required / prev.required_lcu - 1.0) * 100.0)
            }
            Some(_) => None,
            // The base year: growth only when the path reaches the target at once.
            None if by == base && !already_meets && base_share > 0.0 => {
                Some((share / base_share - 1.0) * 100.0)
            }
            None => None,
        };
        let actual = ds
            .get(country, Measure::MilexLcu, definition, basis, t)
            .and_then(|o| o.value());
        years.push(GapYear {
            year: t,
            share,
            required_lcu: required,
            required_usd: rate.filter(|r| *r > 0.0).map(|r| required / r),
            extra_lcu: (share - base_share) / 100.0 * d,
            required_growth_nominal: growth,
            gdp_lcu: d,
            lcu_per_usd: rate,
            actual_lcu: actual,
            flags: match national {
                Some(_) => Flags::EMPTY,
                None => path
                    .as_ref()
                    .and_then(|p| p.get(t))
                    .map(|y| y.flags)
                    .unwrap_or_default(),
            },
            usd_flags,
        });
    }
    let cumulative_extra_lcu = years.iter().map(|y| y.extra_lcu).sum();
    Ok(GapPath {
        country: country.to_string(),
        currency,
        definition: definition.to_string(),
        denominator,
        year_basis: basis,
        target_id: rule.id.clone(),
        target,
        base_year: base,
        base_share,
        base_source: base_obs.source_id().to_string(),
        base_vintage: base_obs.vintage().to_string(),
        base_flags: base_obs.flags(),
        by,
        already_meets,
        years,
        cumulative_extra_lcu,
        gdp_source: path.as_ref().map(|p| p.source.clone()),
        gdp_vintage: path.as_ref().map(|p| p.vintage.clone()),
        extrapolation: path
            .and_then(|p| p.extrapolation)
            .filter(|x| x.from_year < by),
        fixed_gdp_lcu: fixed_gdp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, close};

    fn rule(ds: &Dataset, id: &str) -> TargetRule {
        TargetRule::parse(ds.commitments(), id).unwrap()
    }

    /// The hand-computed path: JPN from 1.0% (SIPRI 2024) to 2% by 2028, linear in
    /// share (0.25 points a year), on GDP ¥100, 110, 121 tn (WEO) then 7.1% a year
    /// (2% real growth x 5% deflator, held past the WEO's 2026): ¥129.591 tn in 2027,
    /// ¥138.791961 tn in 2028; rates 100, 110, 110, then 110 held.
    #[test]
    fn linear_share_path_on_weo_gdp_by_hand() {
        let ds = fixture::dataset();
        let p = gap_path(&ds, "JPN", &rule(&ds, "2%"), "sipri", Some(2028), None).unwrap();
        assert_eq!((p.base_year, p.base_share, p.by), (2024, 1.0, 2028));
        assert_eq!(p.denominator, Denominator::GdpOfYear);
        let want = [
            // year, share, required, extra, growth %, usd
            (2024, 1.00, 1.0e12, 0.0, None, 1.0e10),
            (2025, 1.25, 1.375e12, 0.275e12, Some(37.5), 1.25e10),
            (2026, 1.50, 1.815e12, 0.605e12, Some(32.0), 1.65e10),
            (
                2027,
                1.75,
                2.2678425e12,
                0.9719325e12,
                Some((2.2678425 / 1.815 - 1.0) * 100.0),
                2.061675e10,
            ),
            (
                2028,
                2.00,
                2.77583922e12,
                1.38791961e12,
                Some((2.77583922 / 2.2678425 - 1.0) * 100.0),
                2.5234902e10,
            ),
        ];
        assert_eq!(p.years.len(), want.len());
        for (y, (year, share, required, extra, growth, usd)) in p.years.iter().zip(want) {
            assert_eq!(y.year, year);
            assert!(close(y.share, share), "{year} share {}", y.share);
            assert!(
                close(y.required_lcu, required),
                "{year} required {}",
                y.required_lcu
            );
            assert!(
                close(y.extra_lcu, extra) || (extra == 0.0 && y.extra_lcu.abs() < 1e-3),
                "{year} extra {}",
                y.extra_lcu
            );
            match (y.required_growth_nominal, growth) {
                (Some(a), Some(b)) => assert!(close(a, b), "{year} growth {a}"),
                (a, b) => assert_eq!(a, b, "{year} growth"),
            }
            assert!(
                close(y.required_usd.unwrap(), usd),
                "{year} usd {:?}",
                y.required_usd
            );
        }
        assert_eq!(p.years[0].actual_lcu, Some(1.02e12));
        let flags: Vec<String> = p.years.iter().map(|y| y.flags.to_string()).collect();
        assert_eq!(
            flags,
            [
                "",
                "projection",
                "projection",
                "projection;extrapolated",
                "projection;extrapolated"
            ]
        );
        assert!(close(
            p.cumulative_extra_lcu,
            0.275e12 + 0.605e12 + 0.9719325e12 + 1.38791961e12
        ));
        assert_eq!(p.extrapolation.unwrap().from_year, 2026);
    }

    #[test]
    fn reaching_the_target_at_once_and_starting_earlier() {
        let ds = fixture::dataset();
        // By the base year itself: 2% of 2024 GDP, growth against holding 1%.
        let p = gap_path(&ds, "JPN", &rule(&ds, "2%"), "sipri", Some(2024), None).unwrap();
        assert_eq!(p.years.len(), 1);
        assert!(close(p.years[0].required_lcu, 2e12));
        assert!(close(p.years[0].extra_lcu, 1e12));
        assert!(close(p.years[0].required_growth_nominal.unwrap(), 100.0));
        // From 2023 (0.8% of ¥95 tn) to 2% in 2024: ¥2 tn, extra 1.2 points of ¥100 tn.
        let p = gap_path(
            &ds,
            "JPN",
            &rule(&ds, "2%"),
            "sipri",
            Some(2024),
            Some(2023),
        )
        .unwrap();
        assert_eq!(p.base_year, 2023);
        assert!(close(p.years[0].required_lcu, 0.76e12));
        assert!(close(p.years[1].required_lcu, 2e12));
        assert!(close(p.years[1].extra_lcu, 1.2e12));
        // Already above: the path holds the share.
        let p = gap_path(&ds, "JPN", &rule(&ds, "0.5%"), "sipri", Some(2026), None).unwrap();
        assert!(p.already_meets);
        assert!(p.years.iter().all(|y| y.share == 1.0 && y.extra_lcu == 0.0));
    }

    /// Japan's national reading: from ¥9.93 tn (FY2025) to 2% of ¥560 tn = ¥11.2 tn in
    /// FY2027, linear in yen: ¥10.565 tn in FY2026.
    #[test]
    fn national_reading_is_linear_in_yen_on_the_fixed_gdp() {
        let ds = fixture::dataset();
        let r = rule(&ds, "japan-2pct-fy2027");
        let p = gap_path(&ds, "JPN", &r, "national:jp-security", None, None).unwrap();
        assert_eq!(
            (p.base_year, p.by, p.year_basis),
            (2025, 2027, YearBasis::FY_APR)
        );
        assert_eq!(p.denominator, Denominator::FixedGdp);
        let req: Vec<f64> = p.years.iter().map(|y| y.required_lcu).collect();
        assert!(
            close(req[0], 9.93e12) && close(req[1], 10.565e12) && close(req[2], 11.2e12),
            "{req:?}"
        );
        assert!(close(p.years[2].extra_lcu, 1.27e12));
        assert!(close(
            p.years[1].required_growth_nominal.unwrap(),
            (10.565 / 9.93 - 1.0) * 100.0
        ));
        assert!(close(p.years[1].required_usd.unwrap(), 10.565e12 / 110.0));
        assert_eq!(p.years[1].usd_flags.to_string(), "projection;extrapolated");
        assert!(
            p.years
                .iter()
                .all(|y| y.flags.is_empty() && y.gdp_lcu == 560e12)
        );
        assert_eq!(p.years[0].actual_lcu, Some(9.93e12));
        // With the supplementary budget: 1.964% -> 2% (¥11.0 -> ¥11.2 tn).
        let p = gap_path(&ds, "JPN", &r, "national:jp-security-supp", None, None).unwrap();
        assert!(close(p.years[2].extra_lcu, 0.2e12));
    }

    #[test]
    fn bad_requests_are_refused_with_the_reason() {
        let ds = fixture::dataset();
        let err = |r: Result<GapPath, MetricsError>| r.unwrap_err().to_string();
        assert_eq!(
            err(gap_path(
                &ds,
                "JPN",
                &rule(&ds, "2%"),
                "sipri",
                Some(2023),
                None
            )),
            "--by 2023 is before the latest sipri data for JPN (2024); use --from YEAR to start the path from an earlier year's share"
        );
        assert_eq!(
            err(gap_path(
                &ds,
                "JPN",
                &rule(&ds, "2%"),
                "sipri",
                Some(2036),
                None
            )),
            "--by 2036 is after 2035: GDP is projected to 2035 at most (IMF WEO to 2030, then 2030 growth held)"
        );
        assert_eq!(
            err(gap_path(&ds, "JPN", &rule(&ds, "3%"), "sipri", None, None)),
            "--by YEAR is needed with an ad-hoc target such as 3%"
        );
        assert_eq!(
            err(gap_path(
                &ds,
                "USA",
                &rule(&ds, "nato-equipment-20pct"),
                "nato",
                None,
                None
            )),
            "target nato-equipment-20pct is a share of defence spending, not of GDP: gap projects shares of GDP only"
        );
        assert!(
            err(gap_path(
                &ds,
                "JPN",
                &rule(&ds, "2%"),
                "sipri",
                Some(2025),
                Some(2019)
            ))
            .contains("no sipri milex_gdp for JPN in 2019")
        );
        assert!(
            err(gap_path(
                &ds,
                "DEU",
                &rule(&ds, "2%"),
                "sipri",
                Some(2026),
                None
            ))
            .contains("no IMF WEO GDP")
        );
    }
}
