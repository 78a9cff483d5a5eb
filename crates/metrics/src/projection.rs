//! Nominal GDP and exchange rates ahead, from the IMF World Economic Outlook.
//!
//! Years the WEO holds come straight from it (`gdp_lcu`, definition `imf_weo`, flagged
//! `projection` after the IMF's last actual year). The WEO ends in 2030; for later
//! years fairshare holds the WEO's last-year real growth and inflation constant:
//!
//! ```text
//! GDP(t) = GDP(t-1) · (1 + g) · (1 + π)      g = real GDP growth in the last WEO year,
//!                                             π = growth of the GDP deflator that year
//! ```
//!
//! Inflation is the **GDP deflator**, not consumer prices: nominal GDP is real GDP
//! times the deflator, so holding both constant is holding the last year's nominal GDP
//! growth constant, and nothing from consumer prices leaks into a GDP identity. Those
//! years are flagged `extrapolated` (and `projection`). Where the WEO lacks real growth
//! or the deflator, the last year's nominal GDP growth is held instead (same result
//! when the WEO is internally consistent) and the basis says so.
//!
//! Exchange rates are IMF-implied: local-currency GDP ÷ US$ GDP (NGDP ÷ NGDPD), an
//! annual average; after the WEO's last year the last rate is held, flagged
//! `extrapolated`.

use std::collections::BTreeMap;

use fairshare_dataset::{Dataset, Flag, Flags, Measure, YearBasis};

use crate::error::MetricsError;

/// The latest year a gap path may reach.
pub const HORIZON: i32 = 2035;

/// The definition whose GDP and exchange rates the paths use.
pub const GDP_DEFINITION: &str = "imf_weo";

/// One year of the GDP path.
#[derive(Debug, Clone, PartialEq)]
pub struct GdpYear {
    pub year: i32,
    /// Nominal GDP, local currency, full units.
    pub gdp_lcu: f64,
    /// Local currency per US$ (IMF-implied), if the WEO has US$ GDP.
    pub lcu_per_usd: Option<f64>,
    /// `projection` from the WEO; `extrapolated` (with `projection`) past its horizon.
    pub flags: Flags,
}

/// How the years past the WEO's horizon were extended.
#[derive(Debug, Clone, PartialEq)]
pub struct Extrapolation {
    /// The WEO's last year, whose rates are held.
    pub from_year: i32,
    /// Real GDP growth held, percent (None when the fallback was used).
    pub real_growth: Option<f64>,
    /// GDP deflator growth held, percent.
    pub deflator_growth: Option<f64>,
    /// The resulting nominal growth, percent a year.
    pub nominal_growth: f64,
    /// `real growth x GDP deflator`, or `nominal GDP growth` (fallback).
    pub method: &'static str,
}

/// Calendar-year GDP and exchange rates for one country over a span of years.
#[derive(Debug, Clone, PartialEq)]
pub struct GdpPath {
    pub country: String,
    pub years: Vec<GdpYear>,
    /// Source id and vintage of the WEO figures.
    pub source: String,
    pub vintage: String,
    /// Set when some years lie past the WEO's horizon.
    pub extrapolation: Option<Extrapolation>,
}

impl GdpPath {
    pub fn get(&self, year: i32) -> Option<&GdpYear> {
        self.years.iter().find(|y| y.year == year)
    }
}

/// The IMF's calendar-year series of one measure for a country.
struct WeoSeries {
    /// year -> (value, flags), from the preferred WEO source of each cell.
    values: BTreeMap<i32, (f64, Flags)>,
    /// Source id and vintage of the first value seen.
    source: Option<(String, String)>,
}

fn weo_series(ds: &Dataset, country: &str, measure: Measure) -> WeoSeries {
    let mut values = BTreeMap::new();
    let mut source = None;
    for o in ds.of_country(country) {
        if o.measure() == measure
            && o.definition() == GDP_DEFINITION
            && o.year_basis() == YearBasis::Calendar
            && let Some(v) = o.value()
        {
            // Several WEO sources for one cell: the preferred one (get) wins.
            let best = ds.get(
                country,
                measure,
                GDP_DEFINITION,
                YearBasis::Calendar,
                o.year(),
            );
            if best.is_some_and(|b| b.source_id() == o.source_id()) {
                values.insert(o.year(), (v, o.flags()));
                source.get_or_insert_with(|| (o.source_id().to_string(), o.vintage().to_string()));
            }
        }
    }
    WeoSeries { values, source }
}

/// Nominal GDP (local currency) and IMF-implied exchange rates for `from..=to`,
/// extrapolated past the WEO's last year (see the module doc).
pub fn imf_gdp_path(
    ds: &Dataset,
    country: &str,
    from: i32,
    to: i32,
) -> Result<GdpPath, MetricsError> {
    if to > HORIZON + 1 {
        return Err(MetricsError::input(format!(
            "{to} is after {HORIZON}: fairshare projects GDP to {HORIZON} at most"
        )));
    }
    let WeoSeries {
        values: gdp,
        source,
    } = weo_series(ds, country, Measure::GdpLcu);
    let usd = weo_series(ds, country, Measure::GdpUsd).values;
    let Some((source, vintage)) = source else {
        return Err(MetricsError::no_data(format!(
            "no IMF WEO GDP (gdp_lcu, imf_weo) for {country}: cannot project a path"
        )));
    };
    let Some((&last, &(last_gdp, _))) = gdp.iter().next_back() else {
        return Err(MetricsError::no_data(format!(
            "no IMF WEO GDP for {country}"
        )));
    };
    let rate = |y: i32| -> Option<f64> {
        let (g, _) = gdp.get(&y)?;
        let (u, _) = usd.get(&y)?;
        (*u > 0.0).then(|| g / u)
    };

    let mut extrapolation = None;
    if to > last {
        let real = weo_series(ds, country, Measure::GdpRealGrowth)
            .values
            .get(&last)
            .map(|(v, _)| *v);
        let deflators = weo_series(ds, country, Measure::GdpDeflator).values;
        let defl = match (deflators.get(&last), deflators.get(&(last - 1))) {
            (Some((now, _)), Some((before, _))) if *before > 0.0 => {
                Some((now / before - 1.0) * 100.0)
            }
            _ => None,
        };
        let (nominal, method) = match (real, defl) {
            (Some(r), Some(d)) => (
                ((1.0 + r / 100.0) * (1.0 + d / 100.0) - 1.0) * 100.0,
                "real growth x GDP deflator",
            ),
            _ => match gdp.get(&(last - 1)) {
                Some((prev, _)) if *prev > 0.0 => {
                    ((last_gdp / prev - 1.0) * 100.0, "nominal GDP growth")
                }
                _ => {
                    return Err(MetricsError::no_data(format!(
                        "the IMF WEO GDP of {country} ends in {last} with no growth to extend it past {last}"
                    )));
                }
            },
        };
        extrapolation = Some(Extrapolation {
            from_year: last,
            real_growth: real,
            deflator_growth: defl,
            nominal_growth: nominal,
            method,
        });
    }

    let mut years = Vec::new();
    let mut previous: Option<GdpYear> = None;
    for year in from..=to {
        let entry = if let Some(&(value, flags)) = gdp.get(&year) {
            GdpYear {
                year,
                gdp_lcu: value,
                lcu_per_usd: rate(year),
                flags: flags
                    .iter()
                    .filter(|f| *f == Flag::Projection || *f == Flag::Estimate)
                    .collect(),
            }
        } else if year > last {
            let (Some(prev), Some(x)) = (&previous, &extrapolation) else {
                return Err(MetricsError::no_data(format!(
                    "no IMF WEO GDP for {country} {}",
                    year - 1
                )));
            };
            GdpYear {
                year,
                gdp_lcu: prev.gdp_lcu * (1.0 + x.nominal_growth / 100.0),
                lcu_per_usd: rate(last),
                flags: Flags::EMPTY.with(Flag::Projection).with(Flag::Extrapolated),
            }
        } else {
            return Err(MetricsError::no_data(format!(
                "no IMF WEO GDP for {country} {year}"
            )));
        };
        previous = Some(entry.clone());
        years.push(entry);
    }
    Ok(GdpPath {
        country: country.to_string(),
        years,
        source,
        vintage,
        extrapolation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, close};

    #[test]
    fn weo_years_then_held_growth_past_the_horizon() {
        let ds = fixture::dataset();
        let p = imf_gdp_path(&ds, "JPN", 2024, 2028).unwrap();
        let gdp: Vec<f64> = p.years.iter().map(|y| y.gdp_lcu).collect();
        assert_eq!(&gdp[..3], &[100e12, 110e12, 121e12]);
        // 1.02 x 1.05 = 1.071
        assert!(close(gdp[3], 121e12 * 1.071), "{}", gdp[3]);
        assert!(close(gdp[4], 121e12 * 1.071 * 1.071), "{}", gdp[4]);
        let x = p.extrapolation.clone().unwrap();
        assert_eq!(
            (x.from_year, x.method),
            (2026, "real growth x GDP deflator")
        );
        assert!(close(x.nominal_growth, 7.1));
        let flags: Vec<String> = p.years.iter().map(|y| y.flags.to_string()).collect();
        assert_eq!(
            flags,
            vec![
                "",
                "projection",
                "projection",
                "projection;extrapolated",
                "projection;extrapolated"
            ]
        );
        let rates: Vec<f64> = p.years.iter().map(|y| y.lcu_per_usd.unwrap()).collect();
        assert!(close(rates[0], 100.0) && close(rates[1], 110.0) && close(rates[2], 110.0));
        assert!(close(rates[4], 110.0));
        assert_eq!((p.source.as_str(), p.vintage.as_str()), ("imf", "WEO test"));
    }

    #[test]
    fn missing_gdp_is_an_error_not_a_guess() {
        let ds = fixture::dataset();
        assert!(
            imf_gdp_path(&ds, "DEU", 2024, 2025)
                .unwrap_err()
                .to_string()
                .contains("no IMF WEO GDP")
        );
        assert!(
            imf_gdp_path(&ds, "JPN", 2020, 2025)
                .unwrap_err()
                .to_string()
                .contains("no IMF WEO GDP for JPN 2020")
        );
        assert!(imf_gdp_path(&ds, "JPN", 2024, 2040).is_err());
    }
}
