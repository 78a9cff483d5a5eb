//! Host-nation support: what an ally pays toward the US forces it hosts, by year, in
//! local currency and US$, per US service member stationed, and as a share of its
//! defence budget; and what a US demand (Bolton's reported $8 billion a year for Japan,
//! $10 billion for Korea in 2024) would mean against it.
//!
//! Where the numbers come from:
//! - support: the `hns_lcu` observations (Japan's initial budgets and settled outlays by
//!   April-March fiscal year; Korea's Special Measures Agreement amounts by calendar
//!   year), and Japan's agreements (`plans.csv`, measure `hns_lcu`), whose annual
//!   average is shown for each year of the agreement as its own row, marked as an
//!   agreement average and flagged `plan`: it is the agreement's level, not a yearly
//!   figure. A year with neither has a row with no value: nothing is interpolated.
//! - US$: the year's exchange rate, annual average ([`crate::fx`]): the World Bank's
//!   official rate, IMF-implied after the World Bank's last year (flagged `spliced`);
//!   a fiscal year weighs its two calendar years ¾ and ¼ ([`crate::fiscal`]).
//! - troops: `us_troops` (definition `dmdc`, the mean of the year's DMDC reports of
//!   assigned active-duty personnel) of the calendar year, or, for a fiscal year, of
//!   the calendar year it starts in.
//! - defence budget: `milex_lcu` of the chosen definition on the support's own year
//!   basis (SIPRI's fiscal-year series for Japan, its calendar years for Korea; or
//!   Japan's national `national:jp-mod`).
//! - GDP (for a demand's share of GDP): the IMF WEO's nominal GDP, a fiscal year
//!   weighted from its calendar years ([`crate::projection`]).
//!
//! Scope, which every output states: the SMA cost-sharing the series count (for Japan,
//! with the Facilities Improvement Program and welfare costs that make up its
//! host-nation support), not the realignment, SACO and base-land costs that Japan also
//! pays, nor what Korea pays outside the SMA.

use fairshare_dataset::{Dataset, Flag, Flags, Measure, Plan, YearBasis};

use crate::error::MetricsError;
use crate::fiscal::fiscal_from_calendar;
use crate::fx::{UsdRate, usd_rate};
use crate::projection::imf_gdp_path;

/// The troop series the ledger uses.
pub const TROOPS_DEFINITION: &str = "dmdc";

/// What Japan's series count.
pub const SCOPE_JAPAN: &str = "SMA cost-sharing (base workers' labour, utilities, training \
relocation, training equipment) plus the Facilities Improvement Program and welfare costs \
(Japan's host-nation support, the Alliance Resilience Budget since FY2022); excludes the \
US-forces realignment, SACO and base-land costs (rents, neighbourhood measures) that Japan \
also pays";

/// What Korea's series counts.
pub const SCOPE_KOREA: &str = "SMA cost-sharing only: South Korea's contribution under the \
ROK-US Special Measures Agreements; excludes what Korea bears outside the SMA (such as land \
and base relocation costs)";

/// The scope of a country's support series, in words.
pub fn scope_of(country: &str) -> &'static str {
    match country {
        "JPN" => SCOPE_JAPAN,
        "KOR" => SCOPE_KOREA,
        _ => "host-nation support as the series' definitions describe it (fairshare explain)",
    }
}

/// What a row's support figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportKind {
    /// A yearly figure from a publisher (budget, outlays, agreed amount).
    Annual,
    /// The annual average of a multi-year agreement, not a yearly figure.
    AgreementAverage,
    /// No figure for the year.
    NoFigure,
}

/// A demand as typed: an amount and a currency (`8e9USD`, `211e9 JPY`).
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub amount: f64,
    /// ISO 4217 code, upper case.
    pub currency: String,
}

impl Demand {
    /// Read `8e9USD`, `8e9 USD`, `211e9JPY`, `1.5e12KRW` (commas and underscores in the
    /// number are ignored). The currency is checked against the country later.
    pub fn parse(text: &str) -> Result<Demand, MetricsError> {
        let t = text.trim();
        let split = t
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_alphabetic())
            .last()
            .map(|(i, _)| i)
            .unwrap_or(t.len());
        let (number, currency) = t.split_at(split);
        let examples = "write an amount and a currency code, e.g. 8e9USD, 8e9 USD or 211e9JPY";
        if currency.is_empty() {
            return Err(MetricsError::input(format!(
                "demand '{text}' has no currency: {examples}"
            )));
        }
        if number.trim().is_empty() {
            return Err(MetricsError::input(format!(
                "demand '{text}' has no amount: {examples}"
            )));
        }
        let cleaned: String = number
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '_')
            .collect();
        let amount: f64 = cleaned.parse().map_err(|_| {
            MetricsError::input(format!(
                "demand '{text}': '{}' is not an amount; {examples}",
                number.trim()
            ))
        })?;
        if !amount.is_finite() || amount <= 0.0 {
            return Err(MetricsError::input(format!(
                "demand '{text}': the amount must be positive"
            )));
        }
        if currency.len() != 3 {
            return Err(MetricsError::input(format!(
                "demand '{text}': unknown currency '{currency}' (a three-letter ISO code such as USD)"
            )));
        }
        Ok(Demand {
            amount,
            currency: currency.to_ascii_uppercase(),
        })
    }
}

/// A demand against one year's support, budget and GDP.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandYear {
    pub usd: Option<f64>,
    pub lcu: Option<f64>,
    /// Demand ÷ support.
    pub multiple: Option<f64>,
    /// Demand - support, local currency.
    pub extra_lcu: Option<f64>,
    /// Percent of the defence budget and of GDP.
    pub share_of_budget: Option<f64>,
    pub share_of_gdp: Option<f64>,
    pub per_troop_usd: Option<f64>,
}

/// One row of the ledger: a year and one support figure (or none).
#[derive(Debug, Clone, PartialEq)]
pub struct HnsYear {
    pub year: i32,
    pub kind: SupportKind,
    /// The definition of the figure (`national:jp-hns-budget`); empty without one.
    pub definition: String,
    /// The agreement (plan id) an average comes from.
    pub agreement: Option<String>,
    /// In words: "initial budget", "agreement FY2022-26: annual average of ...".
    pub basis: String,
    pub source: Option<String>,
    pub vintage: Option<String>,
    /// The figure's flags (`budget`, `plan`, `approximate`; `no_data` without one).
    pub flags: Flags,
    pub hns_lcu: Option<f64>,
    pub rate: Option<UsdRate>,
    pub hns_usd: Option<f64>,
    /// US troops (mean of the year's DMDC reports) of `troops_year`.
    pub us_troops: Option<f64>,
    pub troops_year: i32,
    pub troops_flags: Flags,
    pub hns_per_troop_usd: Option<f64>,
    /// The defence budget of the chosen definition, same year and basis.
    pub budget_lcu: Option<f64>,
    pub budget_flags: Flags,
    pub budget_source: Option<String>,
    /// Support as a percent of the defence budget.
    pub share_of_budget: Option<f64>,
    /// Nominal GDP of the year (IMF WEO; a fiscal year weighted from two).
    pub gdp_lcu: Option<f64>,
    pub gdp_flags: Flags,
    pub demand: Option<DemandYear>,
}

/// Which rows answer a demand's headline: the latest support figure, and the latest
/// year with a budget, GDP and troops (indices into [`HnsLedger::years`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headline {
    pub support: usize,
    pub budget: Option<usize>,
    pub gdp: Option<usize>,
    pub troops: Option<usize>,
}

/// The ledger of one host.
#[derive(Debug, Clone, PartialEq)]
pub struct HnsLedger {
    pub country: String,
    /// ISO 4217 code of the local currency.
    pub currency: String,
    pub year_basis: YearBasis,
    pub scope: &'static str,
    pub budget_definition: String,
    /// The agreements whose averages appear (Japan's SMAs).
    pub agreements: Vec<Plan>,
    pub years: Vec<HnsYear>,
    pub demand: Option<Demand>,
    pub headline: Option<Headline>,
}

/// What the ledger is asked.
#[derive(Debug, Clone, Default)]
pub struct HnsOptions {
    /// The defence budget's definition [default: `sipri`].
    pub budget_definition: Option<String>,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub demand: Option<Demand>,
    /// The year the headline reads the demand against [default: the latest support].
    pub reference_year: Option<i32>,
}

/// The hosts with support data (observations or agreements), by code.
pub fn countries_with_support(ds: &Dataset) -> Vec<String> {
    let mut out: Vec<String> = ds
        .iter()
        .filter(|o| o.measure() == Measure::HnsLcu && o.value().is_some())
        .map(|o| o.country_code().to_string())
        .chain(
            ds.commitments()
                .plans
                .iter()
                .filter(|p| p.measure == Measure::HnsLcu)
                .map(|p| p.country.clone()),
        )
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The ledger of `country`.
pub fn hns_ledger(
    ds: &Dataset,
    country: &str,
    options: &HnsOptions,
) -> Result<HnsLedger, MetricsError> {
    let hosts = countries_with_support(ds);
    let name = |c: &str| {
        ds.countries()
            .get(c)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    if !hosts.iter().any(|h| h == country) {
        return Err(MetricsError::input(format!(
            "no host-nation support data for {} ({country}): fairshare has it for {}",
            name(country),
            hosts
                .iter()
                .map(|h| format!("{h} ({})", name(h)))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let currency = ds
        .countries()
        .get(country)
        .map(|c| c.currency.clone())
        .unwrap_or_default();
    if let Some(d) = &options.demand
        && d.currency != "USD"
        && d.currency != currency
    {
        return Err(MetricsError::input(format!(
            "demand in {}: the currency must be USD or {}'s {currency}",
            d.currency,
            name(country)
        )));
    }

    let annual: Vec<_> = ds
        .select_preferred(&fairshare_dataset::Filter {
            countries: vec![country.to_string()],
            measures: vec![Measure::HnsLcu],
            ..Default::default()
        })
        .into_iter()
        .filter(|o| o.value().is_some())
        .collect();
    let agreements: Vec<Plan> = ds
        .commitments()
        .plans_of(country)
        .filter(|p| p.measure == Measure::HnsLcu)
        .cloned()
        .collect();
    let mut bases: Vec<YearBasis> = annual
        .iter()
        .map(|o| o.year_basis())
        .chain(agreements.iter().map(|p| p.year_basis))
        .collect();
    bases.sort();
    bases.dedup();
    let [year_basis] = bases[..] else {
        return Err(MetricsError::no_data(format!(
            "{country}'s support series mix year bases ({}); fairshare cannot line them up",
            bases
                .iter()
                .map(|b| b.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };

    let budget_definition = options
        .budget_definition
        .clone()
        .unwrap_or_else(|| "sipri".to_string());
    let has_budget = |d: &str| {
        ds.of_country(country).any(|o| {
            o.measure() == Measure::MilexLcu
                && o.definition().eq_ignore_ascii_case(d)
                && o.year_basis() == year_basis
        })
    };
    if !has_budget(&budget_definition) {
        let mut valid: Vec<String> = ds
            .of_country(country)
            .filter(|o| o.measure() == Measure::MilexLcu && o.year_basis() == year_basis)
            .map(|o| o.definition().to_string())
            .collect();
        valid.sort();
        valid.dedup();
        return Err(MetricsError::input(format!(
            "definition {budget_definition} has no defence budget (milex_lcu) for {country} on \
             {year_basis} years, the basis of its support figures: use {}",
            valid.join(", ")
        )));
    }

    let first = annual
        .iter()
        .map(|o| o.year())
        .chain(agreements.iter().map(|p| p.from_year))
        .min()
        .unwrap_or(0);
    let last = annual
        .iter()
        .map(|o| o.year())
        .chain(agreements.iter().map(|p| p.to_year))
        .max()
        .unwrap_or(0);
    let from = options.from.unwrap_or(first).max(first);
    let to = options.to.unwrap_or(last).min(last);
    if from > to {
        return Err(MetricsError::input(format!(
            "{country}'s support figures cover {first}-{last}; nothing in {}-{}",
            options.from.unwrap_or(first),
            options.to.unwrap_or(last)
        )));
    }

    let mut years = Vec::new();
    for year in from..=to {
        let mut rows: Vec<HnsYear> = Vec::new();
        for o in annual.iter().filter(|o| o.year() == year) {
            let mut row = blank(year, SupportKind::Annual);
            row.definition = o.definition().to_string();
            row.basis = basis_words(o.flags(), o.definition());
            row.source = Some(o.source_id().to_string());
            row.vintage = Some(o.vintage().to_string());
            row.flags = o.flags();
            row.hns_lcu = o.value();
            rows.push(row);
        }
        for p in agreements
            .iter()
            .filter(|p| (p.from_year..=p.to_year).contains(&year))
        {
            let mut row = blank(year, SupportKind::AgreementAverage);
            row.definition = p.definition.clone();
            row.agreement = Some(p.id.clone());
            row.basis = format!(
                "{} agreement average: {} {:.1} bn over {} year(s)",
                span_words(p),
                currency,
                p.amount / 1e9,
                p.years()
            );
            row.source = Some(p.source.clone());
            row.vintage = ds.sources().get(&p.source).map(|s| s.vintage.clone());
            row.flags = p.flags.with(Flag::Plan);
            row.hns_lcu = Some(p.amount / f64::from(p.years()));
            rows.push(row);
        }
        // Outlays before budgets before agreement averages: the headline takes the first.
        rows.sort_by_key(|r| {
            (
                r.kind == SupportKind::AgreementAverage,
                r.flags.contains(Flag::Budget) || r.flags.contains(Flag::Plan),
                r.definition.clone(),
            )
        });
        if rows.is_empty() {
            let mut row = blank(year, SupportKind::NoFigure);
            row.basis = "no figure".to_string();
            row.flags = Flags::EMPTY.with(Flag::NoData);
            rows.push(row);
        }
        for row in &mut rows {
            fill(ds, country, year_basis, &budget_definition, row);
            if let Some(d) = &options.demand {
                row.demand = Some(demand_year(d, &currency, row));
            }
        }
        years.extend(rows);
    }

    let headline = options
        .demand
        .as_ref()
        .and_then(|d| headline(&years, d, &currency, options.reference_year));
    if options.demand.is_some()
        && headline.is_none()
        && let Some(y) = options.reference_year
    {
        return Err(MetricsError::input(format!(
            "no support figure with an exchange rate for {country} in {y} (support figures: \
             {first}-{last})"
        )));
    }
    Ok(HnsLedger {
        country: country.to_string(),
        currency,
        year_basis,
        scope: scope_of(country),
        budget_definition,
        agreements,
        years,
        demand: options.demand.clone(),
        headline,
    })
}

fn blank(year: i32, kind: SupportKind) -> HnsYear {
    HnsYear {
        year,
        kind,
        definition: String::new(),
        agreement: None,
        basis: String::new(),
        source: None,
        vintage: None,
        flags: Flags::EMPTY,
        hns_lcu: None,
        rate: None,
        hns_usd: None,
        us_troops: None,
        troops_year: year,
        troops_flags: Flags::EMPTY,
        hns_per_troop_usd: None,
        budget_lcu: None,
        budget_flags: Flags::EMPTY,
        budget_source: None,
        share_of_budget: None,
        gdp_lcu: None,
        gdp_flags: Flags::EMPTY,
        demand: None,
    }
}

/// "FY2022-26" or "FY2021" (or calendar years).
fn span_words(p: &Plan) -> String {
    let prefix = if p.year_basis == YearBasis::Calendar {
        ""
    } else {
        "FY"
    };
    if p.from_year == p.to_year {
        format!("{prefix}{}", p.from_year)
    } else {
        format!("{prefix}{}-{:02}", p.from_year, p.to_year % 100)
    }
}

/// A figure's basis in words, from its flags and definition.
fn basis_words(flags: Flags, definition: &str) -> String {
    if definition.ends_with("-settlement") {
        "settled outlays".to_string()
    } else if flags.contains(Flag::Budget) {
        "initial budget".to_string()
    } else if flags.contains(Flag::Plan) {
        "agreed for the year".to_string()
    } else {
        "paid".to_string()
    }
}

/// Rate, troops, budget and GDP for one row.
fn fill(ds: &Dataset, country: &str, basis: YearBasis, budget_definition: &str, row: &mut HnsYear) {
    let year = row.year;
    row.rate = usd_rate(ds, country, basis, year);
    row.hns_usd = row
        .hns_lcu
        .zip(row.rate.as_ref())
        .map(|(v, r)| v / r.lcu_per_usd);
    // Troops are a stock: a fiscal year takes the calendar year it starts in.
    if let Some(o) = ds.get(
        country,
        Measure::UsTroops,
        TROOPS_DEFINITION,
        YearBasis::Calendar,
        year,
    ) {
        row.us_troops = o.value();
        row.troops_flags = o.flags();
    }
    row.hns_per_troop_usd = row
        .hns_usd
        .zip(row.us_troops)
        .filter(|(_, t)| *t > 0.0)
        .map(|(u, t)| u / t);
    if let Some(o) = ds.get(country, Measure::MilexLcu, budget_definition, basis, year) {
        row.budget_lcu = o.value();
        row.budget_flags = o.flags();
        row.budget_source = Some(o.source_id().to_string());
    }
    row.share_of_budget = row
        .hns_lcu
        .zip(row.budget_lcu)
        .filter(|(_, b)| *b > 0.0)
        .map(|(h, b)| h / b * 100.0);
    let span_end = if basis == YearBasis::Calendar {
        year
    } else {
        year + 1
    };
    if let Ok(path) = imf_gdp_path(ds, country, year, span_end)
        && let (Some(a), Some(b)) = (path.get(year), path.get(span_end))
    {
        row.gdp_lcu = if basis == YearBasis::Calendar {
            Some(a.gdp_lcu)
        } else {
            fiscal_from_calendar(basis, a.gdp_lcu, b.gdp_lcu)
        };
        row.gdp_flags = a
            .flags
            .union(b.flags)
            .iter()
            .filter(|f| *f != Flag::Estimate)
            .collect();
    }
}

fn demand_year(d: &Demand, currency: &str, row: &HnsYear) -> DemandYear {
    let rate = row.rate.as_ref().map(|r| r.lcu_per_usd);
    let (lcu, usd) = if d.currency == "USD" && currency != "USD" {
        (rate.map(|r| d.amount * r), Some(d.amount))
    } else {
        (Some(d.amount), rate.map(|r| d.amount / r))
    };
    let ratio =
        |a: Option<f64>, b: Option<f64>| a.zip(b).filter(|(_, b)| *b > 0.0).map(|(a, b)| a / b);
    DemandYear {
        usd,
        lcu,
        multiple: ratio(lcu, row.hns_lcu),
        extra_lcu: lcu.zip(row.hns_lcu).map(|(d, h)| d - h),
        share_of_budget: ratio(lcu, row.budget_lcu).map(|x| x * 100.0),
        share_of_gdp: ratio(lcu, row.gdp_lcu).map(|x| x * 100.0),
        per_troop_usd: ratio(usd, row.us_troops),
    }
}

/// The support row the demand is read against (the latest figure the demand can be
/// compared with, or the first of `reference_year`), and the latest rows up to it with a
/// budget, GDP and troops.
fn headline(
    years: &[HnsYear],
    d: &Demand,
    currency: &str,
    reference_year: Option<i32>,
) -> Option<Headline> {
    let comparable =
        |r: &HnsYear| r.hns_lcu.is_some() && (r.rate.is_some() || d.currency == currency);
    let support = match reference_year {
        Some(y) => years.iter().position(|r| r.year == y && comparable(r))?,
        None => {
            let last = years
                .iter()
                .filter(|r| comparable(r))
                .map(|r| r.year)
                .max()?;
            years.iter().position(|r| r.year == last && comparable(r))?
        }
    };
    let year = years[support].year;
    let latest = |has: &dyn Fn(&DemandYear) -> bool| -> Option<usize> {
        // The support row itself when it has it; else the latest earlier year's first row.
        if years[support].demand.as_ref().is_some_and(has) {
            return Some(support);
        }
        let y = years
            .iter()
            .filter(|r| r.year <= year && r.demand.as_ref().is_some_and(has))
            .map(|r| r.year)
            .max()?;
        years
            .iter()
            .position(|r| r.year == y && r.demand.as_ref().is_some_and(has))
    };
    Some(Headline {
        support,
        budget: latest(&|x| x.share_of_budget.is_some()),
        gdp: latest(&|x| x.share_of_gdp.is_some()),
        troops: latest(&|x| x.per_troop_usd.is_some()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, close};

    fn ledger(country: &str, demand: Option<&str>) -> HnsLedger {
        let ds = fixture::dataset();
        hns_ledger(
            &ds,
            country,
            &HnsOptions {
                demand: demand.map(|d| Demand::parse(d).unwrap()),
                ..HnsOptions::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn demands_parse_with_or_without_a_space_and_refuse_no_currency() {
        assert_eq!(
            Demand::parse("8e9USD").unwrap(),
            Demand {
                amount: 8e9,
                currency: "USD".into()
            }
        );
        assert_eq!(Demand::parse(" 8e9 usd ").unwrap().currency, "USD");
        assert_eq!(Demand::parse("211e9JPY").unwrap().amount, 211e9);
        assert_eq!(Demand::parse("1.5e12KRW").unwrap().amount, 1.5e12);
        assert_eq!(Demand::parse("8,000,000,000 USD").unwrap().amount, 8e9);
        let err = |t: &str| Demand::parse(t).unwrap_err().to_string();
        assert_eq!(
            err("8e9"),
            "demand '8e9' has no currency: write an amount and a currency code, e.g. 8e9USD, 8e9 USD or 211e9JPY"
        );
        assert!(err("USD").contains("has no amount"), "{}", err("USD"));
        assert!(err("8e9EURO").contains("unknown currency 'EURO'"));
        assert!(err("-8e9USD").contains("must be positive"));
        assert!(err("8.8.8USD").contains("'8.8.8' is not an amount"));
    }

    #[test]
    fn japan_rows_annual_figures_agreement_averages_and_gaps() {
        let l = ledger("JPN", None);
        let rows: Vec<_> = l
            .years
            .iter()
            .map(|r| (r.year, r.kind, r.hns_lcu, r.flags.to_string()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (2020, SupportKind::Annual, Some(190e9), "budget".into()),
                (2021, SupportKind::NoFigure, None, "no_data".into()),
                (
                    2022,
                    SupportKind::AgreementAverage,
                    Some(211.02e9),
                    "plan".into()
                ),
                (
                    2023,
                    SupportKind::AgreementAverage,
                    Some(211.02e9),
                    "plan".into()
                ),
                (
                    2024,
                    SupportKind::AgreementAverage,
                    Some(211.02e9),
                    "plan".into()
                ),
                (
                    2025,
                    SupportKind::AgreementAverage,
                    Some(211.02e9),
                    "plan".into()
                ),
                (
                    2026,
                    SupportKind::AgreementAverage,
                    Some(211.02e9),
                    "plan".into()
                ),
            ]
        );
        assert_eq!(l.year_basis, YearBasis::FY_APR);
        assert_eq!(l.scope, SCOPE_JAPAN);
        assert_eq!(
            l.years[2].basis,
            "FY2022-26 agreement average: JPY 1055.1 bn over 5 year(s)"
        );
        // FY2023: rate 3/4 x 140 (World Bank 2023) + 1/4 x 100 (IMF-implied 2024) = 130.
        let fy23 = &l.years[3];
        assert!(close(fy23.rate.as_ref().unwrap().lcu_per_usd, 130.0));
        assert!(close(fy23.hns_usd.unwrap(), 211.02e9 / 130.0));
        assert_eq!(fy23.us_troops, Some(50_000.0));
        assert!(close(
            fy23.hns_per_troop_usd.unwrap(),
            211.02e9 / 130.0 / 50_000.0
        ));
        // SIPRI's FY2023 budget ¥6 tn.
        assert!(close(
            fy23.share_of_budget.unwrap(),
            211.02e9 / 6e12 * 100.0
        ));
        // FY2023 GDP: 3/4 x 95 tn + 1/4 x 100 tn.
        assert!(close(fy23.gdp_lcu.unwrap(), 96.25e12));
        assert_eq!(fy23.rate.as_ref().unwrap().flags.to_string(), "spliced");
    }

    #[test]
    fn an_8_billion_dollar_demand_against_japans_latest_figure() {
        let l = ledger("JPN", Some("8e9USD"));
        let h = l.headline.unwrap();
        // The latest support with a rate: FY2026 (its 2027 rate is the WEO's last, 2026's,
        // held: flagged extrapolated).
        let s = &l.years[h.support];
        assert!(s.rate.as_ref().unwrap().flags.contains(Flag::Extrapolated));
        assert_eq!(s.year, 2026);
        let d = s.demand.as_ref().unwrap();
        let rate = s.rate.as_ref().unwrap().lcu_per_usd;
        assert!(close(d.lcu.unwrap(), 8e9 * rate));
        assert!(close(d.multiple.unwrap(), 8e9 * rate / 211.02e9));
        // Budget share: the latest year with a budget (FY2023).
        let b = &l.years[h.budget.unwrap()];
        assert_eq!(b.year, 2023);
        assert!(close(
            b.demand.as_ref().unwrap().share_of_budget.unwrap(),
            8e9 * 130.0 / 6e12 * 100.0
        ));
        // Troops: 2024 is the latest year with a count.
        assert_eq!(l.years[h.troops.unwrap()].year, 2024);
        // A demand in yen needs no rate.
        let yen = ledger("JPN", Some("422.04e9JPY"));
        let s = &yen.years[yen.headline.unwrap().support];
        assert!(close(s.demand.as_ref().unwrap().multiple.unwrap(), 2.0));
    }

    #[test]
    fn bad_requests_are_refused() {
        let ds = fixture::dataset();
        let err = hns_ledger(&ds, "DEU", &HnsOptions::default())
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "no host-nation support data for Germany (DEU): fairshare has it for JPN (Japan), KOR (South Korea)"
        );
        let err = hns_ledger(
            &ds,
            "JPN",
            &HnsOptions {
                demand: Some(Demand::parse("8e9EUR").unwrap()),
                ..HnsOptions::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "demand in EUR: the currency must be USD or Japan's JPY"
        );
        let err = hns_ledger(
            &ds,
            "JPN",
            &HnsOptions {
                budget_definition: Some("nato".into()),
                ..HnsOptions::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with(
                "definition nato has no defence budget (milex_lcu) for JPN on fy_apr years"
            ),
            "{err}"
        );
    }

    #[test]
    fn korea_calendar_years_with_gaps_as_null() {
        let l = ledger("KOR", Some("10e9USD"));
        let got: Vec<_> = l.years.iter().map(|r| (r.year, r.hns_lcu)).collect();
        assert_eq!(
            got,
            vec![
                (2022, Some(1.24e12)),
                (2023, None),
                (2024, None),
                (2025, Some(1.4e12)),
                (2026, Some(1.5192e12))
            ]
        );
        let h = l.headline.unwrap();
        let s = &l.years[h.support];
        assert_eq!(s.year, 2026);
        // 2026 rate: IMF-implied 2600 tn / 2 tn = 1300 won per US$.
        assert!(close(s.rate.as_ref().unwrap().lcu_per_usd, 1300.0));
        assert!(close(
            s.demand.as_ref().unwrap().multiple.unwrap(),
            10e9 * 1300.0 / 1.5192e12
        ));
        // The budget share comes from 2024, the latest SIPRI year.
        assert_eq!(l.years[h.budget.unwrap()].year, 2024);
        assert_eq!(l.scope, SCOPE_KOREA);
        assert_eq!(l.years[1].flags.to_string(), "no_data");
        assert_eq!(l.years[0].flags.to_string(), "approximate;plan");
    }
}
