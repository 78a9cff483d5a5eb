//! Exchange rates for converting a local-currency amount to US$, with the rate named.
//!
//! A calendar year's rate is the World Bank's official rate (PA.NUS.FCRF: local currency
//! per US$, annual average of monthly rates) where the World Bank publishes one; after
//! its last year (2023 in the March 2025 WDI) it is the IMF-implied rate of the WEO
//! (GDP in local currency ÷ GDP in US$, [`crate::projection`]), flagged `spliced`, and
//! `projection` or `extrapolated` with the WEO year it comes from.
//!
//! A fiscal year's rate weighs the calendar years it spans by their months, as SIPRI
//! converts fiscal years ([`crate::fiscal`]): Japan's FY2024 (April 2024 - March 2025)
//! is ¾ of 2024's rate and ¼ of 2025's.

use fairshare_dataset::{Dataset, Flag, Flags, Measure, YearBasis};

use crate::fiscal::fiscal_from_calendar;
use crate::projection::imf_gdp_path;

/// Where a calendar year's rate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateSource {
    /// The World Bank's official rate (WDI PA.NUS.FCRF), definition `wb`.
    WorldBank,
    /// The IMF WEO's implied rate, GDP in local currency ÷ GDP in US$.
    ImfImplied,
}

impl RateSource {
    /// Short words for a table cell.
    pub fn label(self) -> &'static str {
        match self {
            RateSource::WorldBank => "wb",
            RateSource::ImfImplied => "imf-implied",
        }
    }
}

/// One calendar year's rate.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarRate {
    pub year: i32,
    /// Local currency per US$.
    pub lcu_per_usd: f64,
    pub from: RateSource,
    /// Source id and vintage of the figures.
    pub source: String,
    pub vintage: String,
    /// `spliced`, `projection`, `extrapolated`.
    pub flags: Flags,
}

/// The rate for one year of some basis, and the calendar rates it is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct UsdRate {
    pub year: i32,
    pub year_basis: YearBasis,
    /// Local currency per US$.
    pub lcu_per_usd: f64,
    /// One calendar rate for a calendar year; two for a fiscal year spanning two.
    pub parts: Vec<CalendarRate>,
    pub flags: Flags,
}

impl UsdRate {
    /// The rate in words: "wb 2023" or "3/4 imf-implied 2024 + 1/4 imf-implied 2025".
    pub fn describe(&self) -> String {
        match self.parts.as_slice() {
            [one] => format!("{} {}", one.from.label(), one.year),
            [a, b] => {
                let months_before = match self.year_basis {
                    YearBasis::Fiscal(m) => u32::from(m) - 1,
                    _ => 0,
                };
                format!(
                    "{}/12 {} {} + {}/12 {} {}",
                    12 - months_before,
                    a.from.label(),
                    a.year,
                    months_before,
                    b.from.label(),
                    b.year
                )
            }
            _ => String::new(),
        }
    }

    /// The source ids the rate rests on.
    pub fn sources(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.parts.iter().map(|p| p.source.as_str()).collect();
        ids.dedup();
        ids
    }
}

/// The rate of calendar year `year`: the World Bank's where it has one, else the
/// IMF-implied one (flagged `spliced`).
pub fn calendar_rate(ds: &Dataset, country: &str, year: i32) -> Option<CalendarRate> {
    if let Some(o) = ds.get(
        country,
        Measure::ExchangeRate,
        "wb",
        YearBasis::Calendar,
        year,
    ) && let Some(v) = o.value()
        && v > 0.0
    {
        return Some(CalendarRate {
            year,
            lcu_per_usd: v,
            from: RateSource::WorldBank,
            source: o.source_id().to_string(),
            vintage: o.vintage().to_string(),
            flags: Flags::EMPTY,
        });
    }
    imf_rate(ds, country, year).map(|mut r| {
        r.flags.insert(Flag::Spliced);
        r
    })
}

/// The IMF-implied rate of calendar year `year` (GDP in local currency ÷ GDP in US$),
/// flagged `projection`/`extrapolated` as the WEO year is.
pub fn imf_rate(ds: &Dataset, country: &str, year: i32) -> Option<CalendarRate> {
    // Past the WEO's last year the path must start inside the WEO to be extended.
    let path = (0..=15).find_map(|back| imf_gdp_path(ds, country, year - back, year).ok())?;
    let y = path.get(year)?;
    Some(CalendarRate {
        year,
        lcu_per_usd: y.lcu_per_usd?,
        from: RateSource::ImfImplied,
        source: path.source.clone(),
        vintage: path.vintage.clone(),
        flags: y.flags.iter().filter(|f| *f != Flag::Estimate).collect(),
    })
}

/// The rate for `year` of `basis`: a calendar year's own, or a fiscal year's weighted
/// from the two calendar years it spans. `rate_of` picks each calendar year's rate
/// ([`calendar_rate`] or [`imf_rate`]).
pub fn usd_rate_with(
    basis: YearBasis,
    year: i32,
    rate_of: impl Fn(i32) -> Option<CalendarRate>,
) -> Option<UsdRate> {
    match basis {
        YearBasis::Calendar => {
            let r = rate_of(year)?;
            Some(UsdRate {
                year,
                year_basis: basis,
                lcu_per_usd: r.lcu_per_usd,
                flags: r.flags,
                parts: vec![r],
            })
        }
        YearBasis::Fiscal(_) => {
            let (a, b) = (rate_of(year)?, rate_of(year + 1)?);
            let lcu_per_usd = fiscal_from_calendar(basis, a.lcu_per_usd, b.lcu_per_usd)?;
            Some(UsdRate {
                year,
                year_basis: basis,
                lcu_per_usd,
                flags: a.flags.union(b.flags),
                parts: vec![a, b],
            })
        }
        _ => None,
    }
}

/// The rate for `year` of `basis`, World Bank first, IMF-implied after its last year.
pub fn usd_rate(ds: &Dataset, country: &str, basis: YearBasis, year: i32) -> Option<UsdRate> {
    usd_rate_with(basis, year, |y| calendar_rate(ds, country, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, close};

    #[test]
    fn world_bank_first_then_imf_implied_flagged_spliced() {
        let ds = fixture::dataset();
        // The fixture's World Bank rate for Japan: 2023 only (140).
        let r23 = calendar_rate(&ds, "JPN", 2023).unwrap();
        assert_eq!((r23.from, r23.lcu_per_usd), (RateSource::WorldBank, 140.0));
        assert!(r23.flags.is_empty());
        // 2024: IMF-implied 100e12 / 1e12 = 100, spliced.
        let r24 = calendar_rate(&ds, "JPN", 2024).unwrap();
        assert_eq!(r24.from, RateSource::ImfImplied);
        assert!(close(r24.lcu_per_usd, 100.0));
        assert_eq!(r24.flags.to_string(), "spliced");
        // 2025: projected.
        assert_eq!(
            calendar_rate(&ds, "JPN", 2025).unwrap().flags.to_string(),
            "projection;spliced"
        );
    }

    #[test]
    fn fiscal_years_weigh_three_quarters_and_one_quarter() {
        let ds = fixture::dataset();
        let fy23 = usd_rate(&ds, "JPN", YearBasis::FY_APR, 2023).unwrap();
        assert!(close(fy23.lcu_per_usd, 0.75 * 140.0 + 0.25 * 100.0));
        assert_eq!(fy23.describe(), "9/12 wb 2023 + 3/12 imf-implied 2024");
        assert_eq!(fy23.flags.to_string(), "spliced");
        let cy = usd_rate(&ds, "JPN", YearBasis::Calendar, 2023).unwrap();
        assert_eq!(cy.describe(), "wb 2023");
        assert_eq!(cy.sources(), vec!["wb"]);
        assert!(usd_rate(&ds, "JPN", YearBasis::FY_APR, 2022).is_none());
    }
}
