//! Fiscal years to calendar years and back, as SIPRI converts them.
//!
//! A fiscal year is named by the calendar year it starts in (Japan's FY2024 runs
//! April 2024 - March 2025). For a fiscal year starting in month `m`, calendar year `t`
//! holds the last `m - 1` months of FY(t-1) and the first `13 - m` months of FY(t), so
//! SIPRI's calendar-year figure is
//!
//! ```text
//! CY(t) = (m-1)/12 · FY(t-1) + (13-m)/12 · FY(t)      April-March: ¼·FY(t-1) + ¾·FY(t)
//! ```
//!
//! (SIPRI's method notes; Japan's 2024 calendar-year spending in SIPRI's 2025 release is
//! exactly ¼ of FY2023 plus ¾ of FY2024.) It spreads spending evenly over the months.
//! The reverse weighting turns calendar-year averages, such as an exchange rate, into
//! fiscal-year ones: FY(t) ≈ (13-m)/12 · CY(t) + (m-1)/12 · CY(t+1).

use fairshare_dataset::YearBasis;

/// The weights (previous year, this year) a calendar year gives to fiscal years of
/// `basis`; `None` for bases that are not twelve regular months.
fn weights(basis: YearBasis) -> Option<(f64, f64)> {
    match basis {
        YearBasis::Calendar => Some((0.0, 1.0)),
        YearBasis::Fiscal(m) if (2..=12).contains(&m) => {
            let before = f64::from(m - 1) / 12.0;
            Some((before, 1.0 - before))
        }
        _ => None,
    }
}

/// Calendar year `t` from fiscal years `t-1` and `t` (named by their start year).
///
/// ```
/// use fairshare_dataset::YearBasis;
/// use fairshare_metrics::fiscal::calendar_from_fiscal;
/// // Japan, SIPRI 2025 release: FY2023 ¥7.1575 tn, FY2024 ¥8.7764 tn -> CY2024 ¥8.371675 tn.
/// let cy = calendar_from_fiscal(YearBasis::FY_APR, 7.1575e12, 8.7764e12).unwrap();
/// assert!((cy - 8.371675e12).abs() < 1.0);
/// ```
pub fn calendar_from_fiscal(basis: YearBasis, fy_previous: f64, fy_this: f64) -> Option<f64> {
    let (w_prev, w_this) = weights(basis)?;
    Some(w_prev * fy_previous + w_this * fy_this)
}

/// Fiscal year `t` from calendar years `t` and `t+1` (for averages such as exchange rates).
pub fn fiscal_from_calendar(basis: YearBasis, cy_this: f64, cy_next: f64) -> Option<f64> {
    let (w_prev, w_this) = weights(basis)?;
    Some(w_this * cy_this + w_prev * cy_next)
}

/// A fiscal-year series (year, value), sorted or not, as calendar years: each calendar
/// year whose two fiscal years are both present.
pub fn calendar_series(basis: YearBasis, fiscal: &[(i32, f64)]) -> Vec<(i32, f64)> {
    let mut sorted = fiscal.to_vec();
    sorted.sort_by_key(|(y, _)| *y);
    sorted
        .windows(2)
        .filter(|w| w[1].0 == w[0].0 + 1)
        .filter_map(|w| calendar_from_fiscal(basis, w[0].1, w[1].1).map(|v| (w[1].0, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn april_march_years_weigh_a_quarter_and_three_quarters() {
        assert_eq!(calendar_from_fiscal(YearBasis::FY_APR, 4.0, 8.0), Some(7.0));
        assert_eq!(fiscal_from_calendar(YearBasis::FY_APR, 8.0, 4.0), Some(7.0));
        // July-June (Australia): half and half; October-September (US): 3/4 and 1/4.
        assert_eq!(
            calendar_from_fiscal(YearBasis::Fiscal(7), 4.0, 8.0),
            Some(6.0)
        );
        assert_eq!(
            calendar_from_fiscal(YearBasis::Fiscal(10), 4.0, 8.0),
            Some(5.0)
        );
        assert_eq!(
            calendar_from_fiscal(YearBasis::Calendar, 4.0, 8.0),
            Some(8.0)
        );
        assert_eq!(calendar_from_fiscal(YearBasis::Irregular, 4.0, 8.0), None);
    }

    #[test]
    fn sipri_japan_2024_is_reproduced_exactly() {
        // SIPRI 2025 release, Japan: local currency, financial years FY2023 and FY2024,
        // and the calendar-year sheet's 2024 value.
        let cy = calendar_from_fiscal(YearBasis::FY_APR, 7_157_500_000_000.0, 8_776_400_000_000.0)
            .unwrap();
        assert_eq!(cy, 8_371_675_000_000.0);
    }

    #[test]
    fn a_series_converts_where_both_fiscal_years_exist() {
        let fy = [(2024, 8.0), (2022, 4.0), (2023, 4.0)];
        assert_eq!(
            calendar_series(YearBasis::FY_APR, &fy),
            vec![(2023, 4.0), (2024, 7.0)]
        );
        assert_eq!(
            calendar_series(YearBasis::FY_APR, &[(2020, 1.0), (2022, 2.0)]),
            vec![]
        );
    }
}
