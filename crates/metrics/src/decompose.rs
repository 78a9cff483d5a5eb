//! Why military spending in US$ changed between two years: real growth, domestic
//! inflation, and the exchange rate.
//!
//! Spending in US$ is spending in local currency L divided by the exchange rate e (local
//! currency per US$). With the GDP deflator P, between years 1 and 2:
//!
//! ```text
//! USD₂/USD₁ = (L₂/L₁) · (e₁/e₂)
//!           = [(L₂/L₁) / (P₂/P₁)] · (P₂/P₁) · (e₁/e₂)
//!           =   real growth       · inflation · exchange rate
//! ```
//!
//! an identity: the three factors multiply back to the change in US$ exactly (up to
//! floating point). Real growth is spending deflated by the **GDP deflator**, the price
//! index of the whole economy (SIPRI deflates by consumer prices for its constant-US$
//! series; the GDP deflator keeps the identity within national accounts and is what the
//! IMF and World Bank publish for every year). Each factor's log share, ln(f)/ln(total),
//! says how much of the change it accounts for; the shares sum to 1 (undefined when the
//! total is exactly 1).
//!
//! Japan 2012-2024 is the case that motivated it: the yen budget rose by 75% while the
//! dollar figure fell, because the yen lost about half its value against the dollar.
//!
//! Inputs (calendar years): spending `milex_lcu` of the definition (SIPRI's by
//! default); the deflator from the IMF WEO (`gdp_deflator`) or the World Bank (GDP in
//! current ÷ constant local currency); the exchange rate from the World Bank (official
//! rate, IMF-implied after its last year, flagged `spliced`; [`crate::fx`]), the IMF
//! (implied), or the spending publisher's own (its local-currency ÷ US$ figures, which
//! reproduces its published US$ change).

use fairshare_dataset::{Dataset, Flags, Measure, YearBasis};

use crate::error::MetricsError;
use crate::fx::{calendar_rate, imf_rate};

/// Which GDP deflator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deflator {
    /// IMF WEO `gdp_deflator` (NGDP_D).
    Imf,
    /// World Bank: GDP in current LCU ÷ GDP in constant LCU (NY.GDP.MKTP.CN / .KN).
    WorldBank,
}

impl Deflator {
    pub fn describe(self) -> &'static str {
        match self {
            Deflator::Imf => "GDP deflator, IMF WEO (NGDP_D)",
            Deflator::WorldBank => {
                "GDP deflator, World Bank (GDP in current / constant LCU, NY.GDP.MKTP.CN / .KN)"
            }
        }
    }
}

/// Which exchange rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateChoice {
    /// World Bank official rate; IMF-implied after the World Bank's last year.
    WorldBank,
    /// IMF-implied (GDP in LCU ÷ GDP in US$).
    Imf,
    /// The spending publisher's own: its LCU figure ÷ its US$ figure.
    Spending,
}

impl RateChoice {
    pub fn describe(self) -> &'static str {
        match self {
            RateChoice::WorldBank => {
                "official rate, annual average, World Bank (PA.NUS.FCRF); IMF-implied after the World Bank's last year (spliced)"
            }
            RateChoice::Imf => "IMF-implied rate (GDP in LCU / GDP in US$, WEO)",
            RateChoice::Spending => {
                "the spending publisher's own rate (its local-currency figure / its US$ figure)"
            }
        }
    }
}

/// One end of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub year: i32,
    /// Spending in local currency, and its source.
    pub lcu: f64,
    pub source: String,
    pub vintage: String,
    pub flags: Flags,
    /// Local currency per US$, where it comes from, and its flags.
    pub lcu_per_usd: f64,
    pub rate_label: String,
    pub rate_source: String,
    pub rate_flags: Flags,
    /// Spending in US$ at that rate.
    pub usd: f64,
    /// The publisher's own US$ figure, for comparison.
    pub usd_published: Option<f64>,
    pub deflator: f64,
    pub deflator_source: String,
    pub deflator_flags: Flags,
}

/// One factor of the change.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Factor {
    /// `total`, `real`, `inflation`, `exchange_rate`.
    pub name: &'static str,
    /// Multiplicative factor (1.10 = +10%).
    pub factor: f64,
    /// ln(factor) / ln(total); `None` when the total is 1.
    pub log_share: Option<f64>,
}

impl Factor {
    /// The factor as a percent change.
    pub fn change_pct(&self) -> f64 {
        (self.factor - 1.0) * 100.0
    }
}

/// The change in US$ spending between two years, in factors.
#[derive(Debug, Clone, PartialEq)]
pub struct Decomposition {
    pub country: String,
    pub currency: String,
    pub definition: String,
    pub deflator: Deflator,
    pub rate: RateChoice,
    pub from: Endpoint,
    pub to: Endpoint,
    /// USD₂/USD₁.
    pub total: f64,
    /// (L₂/L₁)/(P₂/P₁).
    pub real: f64,
    /// P₂/P₁.
    pub inflation: f64,
    /// e₁/e₂.
    pub exchange_rate: f64,
    /// L₂/L₁.
    pub nominal_lcu: f64,
}

impl Decomposition {
    /// Total, real, inflation and exchange rate, with log shares.
    pub fn factors(&self) -> [Factor; 4] {
        let ln_total = self.total.ln();
        let share = |f: f64| (ln_total != 0.0).then(|| f.ln() / ln_total);
        [
            Factor {
                name: "total",
                factor: self.total,
                log_share: share(self.total),
            },
            Factor {
                name: "real",
                factor: self.real,
                log_share: share(self.real),
            },
            Factor {
                name: "inflation",
                factor: self.inflation,
                log_share: share(self.inflation),
            },
            Factor {
                name: "exchange_rate",
                factor: self.exchange_rate,
                log_share: share(self.exchange_rate),
            },
        ]
    }
}

/// Decompose the change in `country`'s US$ spending from `from` to `to`.
pub fn decompose(
    ds: &Dataset,
    country: &str,
    from: i32,
    to: i32,
    definition: &str,
    deflator: Deflator,
    rate: RateChoice,
) -> Result<Decomposition, MetricsError> {
    if from >= to {
        return Err(MetricsError::input(format!(
            "--from {from} must be before --to {to}"
        )));
    }
    let a = endpoint(ds, country, from, definition, deflator, rate)?;
    let b = endpoint(ds, country, to, definition, deflator, rate)?;
    let nominal_lcu = b.lcu / a.lcu;
    let inflation = b.deflator / a.deflator;
    let exchange_rate = a.lcu_per_usd / b.lcu_per_usd;
    Ok(Decomposition {
        country: country.to_string(),
        currency: ds
            .countries()
            .get(country)
            .map(|c| c.currency.clone())
            .unwrap_or_default(),
        definition: definition.to_string(),
        deflator,
        rate,
        total: b.usd / a.usd,
        real: nominal_lcu / inflation,
        inflation,
        exchange_rate,
        nominal_lcu,
        from: a,
        to: b,
    })
}

fn endpoint(
    ds: &Dataset,
    country: &str,
    year: i32,
    definition: &str,
    deflator: Deflator,
    rate: RateChoice,
) -> Result<Endpoint, MetricsError> {
    let cal = YearBasis::Calendar;
    let spending = ds
        .get(country, Measure::MilexLcu, definition, cal, year)
        .filter(|o| o.value().is_some_and(|v| v > 0.0))
        .ok_or_else(|| {
            MetricsError::no_data(format!(
                "no {definition} spending in local currency (milex_lcu) for {country} {year}"
            ))
        })?;
    let lcu = spending.value().unwrap_or(0.0);
    let published = ds.get(country, Measure::MilexUsdCurrent, definition, cal, year);
    let usd_published = published.and_then(|o| o.value());

    let (lcu_per_usd, rate_label, rate_source, rate_flags) = match rate {
        RateChoice::WorldBank | RateChoice::Imf => {
            let r = if rate == RateChoice::WorldBank {
                calendar_rate(ds, country, year)
            } else {
                imf_rate(ds, country, year)
            }
            .ok_or_else(|| {
                MetricsError::no_data(format!("no exchange rate for {country} {year}"))
            })?;
            (
                r.lcu_per_usd,
                format!("{} {}", r.from.label(), year),
                r.source,
                r.flags,
            )
        }
        RateChoice::Spending => {
            let usd = usd_published.filter(|v| *v > 0.0).ok_or_else(|| {
                MetricsError::no_data(format!(
                    "no {definition} spending in US$ for {country} {year}, so no rate of its own"
                ))
            })?;
            (
                lcu / usd,
                format!("{definition} implied {year}"),
                published
                    .map(|o| o.source_id().to_string())
                    .unwrap_or_default(),
                Flags::EMPTY,
            )
        }
    };
    let (deflator_value, deflator_source, deflator_flags) = match deflator {
        Deflator::Imf => {
            let o = ds
                .get(country, Measure::GdpDeflator, "imf_weo", cal, year)
                .filter(|o| o.value().is_some_and(|v| v > 0.0))
                .ok_or_else(|| {
                    MetricsError::no_data(format!("no IMF WEO GDP deflator for {country} {year}"))
                })?;
            (
                o.value().unwrap_or(0.0),
                o.source_id().to_string(),
                o.flags(),
            )
        }
        Deflator::WorldBank => {
            let current = ds.get(country, Measure::GdpLcu, "wb", cal, year);
            let constant = ds.get(country, Measure::GdpLcuConstant, "wb", cal, year);
            match (
                current.and_then(|o| o.value()),
                constant.and_then(|o| o.value()),
            ) {
                (Some(c), Some(k)) if c > 0.0 && k > 0.0 => (
                    c / k * 100.0,
                    current
                        .map(|o| o.source_id().to_string())
                        .unwrap_or_default(),
                    Flags::EMPTY,
                ),
                _ => {
                    return Err(MetricsError::no_data(format!(
                        "no World Bank GDP deflator for {country} {year} (GDP in current and \
                         constant LCU); try --deflator imf"
                    )));
                }
            }
        }
    };
    Ok(Endpoint {
        year,
        lcu,
        source: spending.source_id().to_string(),
        vintage: spending.vintage().to_string(),
        flags: spending.flags(),
        lcu_per_usd,
        rate_label,
        rate_source,
        rate_flags,
        usd: lcu / lcu_per_usd,
        usd_published,
        deflator: deflator_value,
        deflator_source,
        deflator_flags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, close};

    #[test]
    fn the_three_factors_multiply_back_to_the_change() {
        let ds = fixture::dataset();
        let d = decompose(
            &ds,
            "KOR",
            2020,
            2024,
            "sipri",
            Deflator::Imf,
            RateChoice::WorldBank,
        )
        .unwrap();
        // ₩50 tn at 1200 (World Bank 2020) -> ₩60 tn at 1500 (IMF-implied 2024).
        assert!(close(d.from.usd, 50e12 / 1200.0));
        assert!(close(d.to.usd, 40e9));
        assert!(close(d.total, 0.96));
        assert!(close(d.inflation, 1.1));
        assert!(close(d.real, 1.2 / 1.1));
        assert!(close(d.exchange_rate, 0.8));
        assert!((d.real * d.inflation * d.exchange_rate / d.total - 1.0).abs() < 1e-14);
        let shares: f64 = d.factors()[1..].iter().map(|f| f.log_share.unwrap()).sum();
        assert!((shares - 1.0).abs() < 1e-12);
        assert_eq!(d.to.rate_flags.to_string(), "spliced");
        assert_eq!(d.from.rate_label, "wb 2020");
        assert_eq!(d.to.rate_label, "imf-implied 2024");
        // The publisher's own rate reproduces its US$ change exactly.
        let own = decompose(
            &ds,
            "KOR",
            2020,
            2024,
            "sipri",
            Deflator::Imf,
            RateChoice::Spending,
        )
        .unwrap();
        assert!(close(own.total, 40e9 / 42e9));
        assert!((own.real * own.inflation * own.exchange_rate / own.total - 1.0).abs() < 1e-14);
    }

    #[test]
    fn identity_holds_for_arbitrary_inputs() {
        // The identity is algebra, not data: check it on awkward numbers.
        for (l1, l2, p1, p2, e1, e2) in [
            (1.0f64, 1.0, 1.0, 1.0, 1.0, 1.0),
            (4.788e12, 8.371675e12, 94.7, 109.318, 79.79, 151.37),
            (1.0, 1.0, 1.0, 1.0, 1.0, 1.0),
            (3.3e9, 2.1e9, 250.0, 17.0, 0.0031, 1234.5),
        ] {
            let total = (l2 / e2) / (l1 / e1);
            let inflation = p2 / p1;
            let real = (l2 / l1) / inflation;
            let fx = e1 / e2;
            assert!((real * inflation * fx / total - 1.0).abs() < 1e-14);
        }
    }

    #[test]
    fn missing_inputs_are_named() {
        let ds = fixture::dataset();
        let err = |deflator, from, to| {
            decompose(
                &ds,
                "KOR",
                from,
                to,
                "sipri",
                deflator,
                RateChoice::WorldBank,
            )
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            err(Deflator::WorldBank, 2020, 2024),
            "no World Bank GDP deflator for KOR 2020 (GDP in current and constant LCU); try --deflator imf"
        );
        assert_eq!(
            err(Deflator::Imf, 2021, 2024),
            "no sipri spending in local currency (milex_lcu) for KOR 2021"
        );
        assert_eq!(
            err(Deflator::Imf, 2024, 2020),
            "--from 2024 must be before --to 2020"
        );
    }
}
