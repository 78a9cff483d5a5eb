//! Fill a scenario's [`Inputs`] from the committed dataset (phase 2 of the engine).
//!
//! For each scenario country, on the scenario definition's year basis:
//!
//! - **Base year** (`first horizon year − 1`): nominal GDP from the IMF WEO (April 2025),
//!   the share of GDP in the scenario's definition (SIPRI, NATO, a national one) as the
//!   publisher states it, spending = that share × WEO GDP (so shares and amounts agree on
//!   one denominator), and the IMF-implied exchange rate (WEO GDP in local currency ÷ WEO
//!   GDP in US$).
//! - **Central paths**: WEO real growth; inflation derived from WEO nominal GDP as
//!   (Y_t / Y_t−1) / (1 + g_t) − 1, so the central path reproduces the WEO's nominal GDP
//!   exactly; the IMF-implied rate. 2031–2035 hold the 2030 rates (the metrics crate's
//!   projection), flagged `extrapolated`. Fiscal-year definitions (Japan's national
//!   accounting, April–March) weigh the calendar years ¾ and ¼.
//! - **Historical volatility**: the sample standard deviation (n − 1) over outturn years
//!   2000–2024 of WEO real GDP growth, of GDP-deflator inflation (WEO deflator index), and
//!   of 100 × Δ ln(World Bank official exchange rate).
//! - **Host-nation support**: the latest `hns_lcu` figure, or the annual average of a
//!   host-nation-support plan (Japan's Special Measures Agreement) covering the base year.
//! - **Targets named by id**: the targets registry; a target fixed in money (Japan's 2% of
//!   FY2022 GDP) becomes an amount in local currency, and its note says so.
//! - **Branch probabilities from polls**: [`crate::polls`] over the dataset's national
//!   head-to-head polls.

use std::collections::BTreeMap;

use fairshare_dataset::{Dataset, Flag, Flags, Measure, Unit, YearBasis};
use fairshare_metrics::fiscal::fiscal_from_calendar;
use fairshare_metrics::projection::{GdpPath, HORIZON, imf_gdp_path};

use crate::baseline::{
    Baseline, BaselineYear, Inputs, ResolvedProbability, ResolvedTarget, Volatility,
};
use crate::error::ScenarioError;
use crate::polls;
use crate::spec::{Scenario, TargetKind};

/// The window of outturn years the historical volatility is estimated over.
pub const VOLATILITY_WINDOW: (i32, i32) = (2000, 2024);

/// Build the inputs the engine needs to run `scenario` on `ds`.
pub fn prepare(ds: &Dataset, scenario: &Scenario) -> Result<Inputs, ScenarioError> {
    let mut inputs = Inputs::default();
    for spec in &scenario.countries {
        let basis = definition_basis(ds, &spec.code, &scenario.definition);
        let baseline = country_baseline(ds, scenario, &spec.code, basis)?;
        inputs.baselines.insert(spec.code.clone(), baseline);
    }
    for target in scenario.registry_targets() {
        inputs.targets.insert(
            target.id.to_lowercase(),
            registry_target(ds, scenario, &target.id)?,
        );
    }
    let all_polls = ds.polls();
    for (branch, spec) in scenario.poll_branches() {
        let estimate = polls::estimate(all_polls, spec).map_err(|e| {
            scenario.error_unplaced(&format!("branches.{branch}.from_polls"), e.to_string())
        })?;
        inputs.branch_probabilities.insert(
            branch.to_string(),
            ResolvedProbability {
                probability: estimate.probability,
                method: estimate.method,
            },
        );
    }
    Ok(inputs)
}

/// The year basis of a country's spending figures in a definition: calendar years where
/// the definition has them (SIPRI's shares of GDP), else the fiscal years it publishes
/// (Japan's national definitions, April–March).
fn definition_basis(ds: &Dataset, code: &str, definition: &str) -> YearBasis {
    let bases: Vec<YearBasis> = ds
        .of_country(code)
        .filter(|o| {
            matches!(o.measure(), Measure::MilexLcu | Measure::MilexGdp)
                && o.definition() == definition
                && o.value().is_some()
        })
        .map(|o| o.year_basis())
        .collect();
    if bases.is_empty() || bases.contains(&YearBasis::Calendar) {
        YearBasis::Calendar
    } else {
        bases[0]
    }
}

fn missing(scenario: &Scenario, code: &str, what: String) -> ScenarioError {
    scenario.error_unplaced(&format!("countries.{code}"), what)
}

fn country_baseline(
    ds: &Dataset,
    scenario: &Scenario,
    code: &str,
    basis: YearBasis,
) -> Result<Baseline, ScenarioError> {
    let base = scenario.base_year;
    let last = scenario.last_year;
    if last > HORIZON {
        return Err(scenario.error_unplaced(
            "horizon",
            format!(
                "the horizon ends in {last}: the dataset's GDP paths reach {HORIZON} at most \
                 (IMF WEO to 2030, held at the 2030 rates to {HORIZON})"
            ),
        ));
    }
    let fiscal = basis != YearBasis::Calendar;
    // A fiscal year needs the next calendar year too.
    let path = imf_gdp_path(ds, code, base - 1, last + i32::from(fiscal)).map_err(|e| {
        missing(
            scenario,
            code,
            format!("cannot build {code}'s GDP path {}–{last}: {e}", base - 1),
        )
    })?;
    let point = |year: i32| -> Result<(f64, f64, Flags), ScenarioError> {
        path_point(&path, basis, year).ok_or_else(|| {
            missing(
                scenario,
                code,
                format!(
                    "no IMF WEO GDP in US$ for {code} in {year}: the exchange rate cannot be implied"
                ),
            )
        })
    };

    let (gdp_base, rate_base, _) = point(base)?;
    let share_obs = ds
        .get(code, Measure::MilexGdp, &scenario.definition, basis, base)
        .filter(|o| o.value().is_some());
    let (milex_gdp, share_source, share_vintage, share_note) = match share_obs {
        Some(o) => (
            o.value().unwrap_or_default(),
            o.source_id().to_string(),
            o.vintage().to_string(),
            flag_note(o.flags(), base, &scenario.definition),
        ),
        None => {
            // A national definition may publish spending, not its share of GDP.
            let lcu = ds
                .get(code, Measure::MilexLcu, &scenario.definition, basis, base)
                .and_then(|o| o.value().map(|v| (v, o)));
            match lcu {
                Some((v, o)) if gdp_base > 0.0 => (
                    v / gdp_base * 100.0,
                    o.source_id().to_string(),
                    o.vintage().to_string(),
                    Some(format!(
                        "base share: its {} spending in {base} divided by the IMF \
                         WEO's GDP of that year",
                        scenario.definition
                    )),
                ),
                _ => {
                    return Err(missing(
                        scenario,
                        code,
                        format!(
                            "no {} military expenditure (milex_gdp or milex_lcu, {}) for {code} \
                             in the base year {base}: choose a horizon that starts the year \
                             after the definition's latest figure",
                            scenario.definition,
                            basis.as_string()
                        ),
                    ));
                }
            }
        }
    };
    if !milex_gdp.is_finite() || milex_gdp <= 0.0 {
        return Err(missing(
            scenario,
            code,
            format!("{code}'s {base} share of GDP ({milex_gdp}) cannot start a projection"),
        ));
    }

    let growth = calendar_values(ds, code, Measure::GdpRealGrowth);
    let mut years = Vec::new();
    let mut previous_gdp = gdp_base;
    let mut last_growth = None;
    for year in scenario.years() {
        let (gdp, rate, flags) = point(year)?;
        let g = growth.get(&year).copied().or(last_growth).ok_or_else(|| {
            missing(
                scenario,
                code,
                format!("no IMF WEO real GDP growth for {code} in {year}"),
            )
        })?;
        last_growth = Some(g);
        let inflation = ((gdp / previous_gdp) / (1.0 + g / 100.0) - 1.0) * 100.0;
        previous_gdp = gdp;
        years.push(BaselineYear {
            year,
            gdp_real_growth: g,
            inflation,
            exchange_rate: rate,
            flags,
        });
    }

    let volatility = volatility(ds, code);
    let (hns_lcu, hns_note) = host_nation_support(ds, code, base);
    let mut notes = Vec::new();
    notes.extend(share_note);
    if fiscal {
        notes.push(format!(
            "{} years are April–March fiscal years; GDP and exchange rates weigh calendar \
             years ¾ and ¼",
            scenario.definition
        ));
    }
    if let Some(x) = &path.extrapolation {
        notes.push(format!(
            "GDP after {} extends the IMF WEO by holding its {} rates ({}: {:.2}% nominal a \
             year), flagged `extrapolated`",
            x.from_year, x.from_year, x.method, x.nominal_growth
        ));
    }
    notes.extend(hns_note);
    Ok(Baseline {
        year_basis: basis,
        base_year: base,
        gdp_lcu: gdp_base,
        milex_lcu: milex_gdp / 100.0 * gdp_base,
        milex_gdp,
        exchange_rate: rate_base,
        hns_lcu,
        years,
        volatility,
        macro_definition: "imf_weo".into(),
        source: format!("{share_source}; {}", path.source),
        vintage: format!("{share_vintage}; {}", path.vintage),
        notes,
    })
}

fn flag_note(flags: Flags, year: i32, definition: &str) -> Option<String> {
    let names = flags.names();
    (!names.is_empty()).then(|| {
        format!(
            "the {year} share of GDP ({definition}) is flagged {}",
            names.join(", ")
        )
    })
}

/// GDP, rate and flags of `year` on `basis` (a fiscal year weighs two calendar years).
fn path_point(path: &GdpPath, basis: YearBasis, year: i32) -> Option<(f64, f64, Flags)> {
    let this = path.get(year)?;
    let keep = |f: Flags| -> Flags {
        f.iter()
            .filter(|f| *f == Flag::Projection || *f == Flag::Extrapolated)
            .collect()
    };
    match basis {
        YearBasis::Calendar => Some((this.gdp_lcu, this.lcu_per_usd?, keep(this.flags))),
        _ => {
            let next = path.get(year + 1)?;
            Some((
                fiscal_from_calendar(basis, this.gdp_lcu, next.gdp_lcu)?,
                fiscal_from_calendar(basis, this.lcu_per_usd?, next.lcu_per_usd?)?,
                keep(this.flags.union(next.flags)),
            ))
        }
    }
}

/// One calendar series of the IMF WEO, year -> value (the preferred source of each cell).
fn calendar_values(ds: &Dataset, code: &str, measure: Measure) -> BTreeMap<i32, f64> {
    calendar_values_flagged(ds, code, measure, "imf_weo")
        .into_iter()
        .map(|(y, (v, _))| (y, v))
        .collect()
}

fn calendar_values_flagged(
    ds: &Dataset,
    code: &str,
    measure: Measure,
    definition: &str,
) -> BTreeMap<i32, (f64, Flags)> {
    let mut out = BTreeMap::new();
    for o in ds.of_country(code) {
        if o.measure() == measure
            && o.definition() == definition
            && o.year_basis() == YearBasis::Calendar
            && !out.contains_key(&o.year())
            && let Some(best) = ds.get(code, measure, definition, YearBasis::Calendar, o.year())
            && let Some(v) = best.value()
            && v.is_finite()
        {
            out.insert(o.year(), (v, best.flags()));
        }
    }
    out
}

/// Sample standard deviation (n − 1); `None` below three values.
pub fn sample_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 3 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    Some((ss / (n - 1.0)).sqrt())
}

fn volatility(ds: &Dataset, code: &str) -> Option<Volatility> {
    let (from, to) = VOLATILITY_WINDOW;
    let outturn = |m: Measure, def: &str| -> BTreeMap<i32, f64> {
        calendar_values_flagged(ds, code, m, def)
            .into_iter()
            .filter(|(y, (_, f))| {
                *y >= from - 1
                    && *y <= to
                    && !f.contains(Flag::Projection)
                    && !f.contains(Flag::Estimate)
            })
            .map(|(y, (v, _))| (y, v))
            .collect()
    };
    let growth: Vec<f64> = outturn(Measure::GdpRealGrowth, "imf_weo")
        .into_iter()
        .filter(|(y, _)| *y >= from)
        .map(|(_, v)| v)
        .collect();
    let changes = |series: BTreeMap<i32, f64>, log: bool| -> Vec<f64> {
        series
            .iter()
            .filter(|(y, _)| **y >= from)
            .filter_map(|(y, v)| {
                let prev = series.get(&(y - 1))?;
                (*prev > 0.0 && *v > 0.0).then(|| {
                    if log {
                        100.0 * (v / prev).ln()
                    } else {
                        (v / prev - 1.0) * 100.0
                    }
                })
            })
            .collect()
    };
    let inflation = changes(outturn(Measure::GdpDeflator, "imf_weo"), false);
    let fx = changes(outturn(Measure::ExchangeRate, "wb"), true);
    Some(Volatility {
        gdp_real_growth: sample_sd(&growth)?,
        inflation: sample_sd(&inflation)?,
        exchange_rate: sample_sd(&fx)?,
        method: format!(
            "historical volatility = sample standard deviation (n-1) over outturn years \
             {from}-{to}: IMF WEO real GDP growth ({} years), GDP-deflator inflation from the \
             WEO deflator index ({} years), 100 x annual change in the log of the World Bank \
             official exchange rate ({} years)",
            growth.len(),
            inflation.len(),
            fx.len()
        ),
    })
}

/// Host-nation support now: the latest `hns_lcu` observation up to the base year + 2, else
/// a support plan covering the base year (annual average).
fn host_nation_support(ds: &Dataset, code: &str, base: i32) -> (Option<f64>, Option<String>) {
    let latest = ds
        .of_country(code)
        .filter(|o| o.measure() == Measure::HnsLcu && o.year() <= base + 2)
        .filter_map(|o| o.value().map(|v| (o.year(), v, o)))
        .max_by(|a, b| (a.0, b.2.source_id()).cmp(&(b.0, a.2.source_id())));
    let plan_start = ds
        .commitments()
        .plans_of(code)
        .filter(|p| p.measure == Measure::HnsLcu && p.from_year <= base + 1 && base <= p.to_year)
        .map(|p| p.from_year)
        .max();
    if let Some((year, value, o)) = latest
        && plan_start.is_none_or(|start| year >= start)
    {
        return (
            Some(value),
            Some(format!(
                "host-nation support now = {year} figure {value:.0} LCU ({}, {}, {})",
                o.definition(),
                o.source_id(),
                o.vintage()
            )),
        );
    }
    let plan = ds
        .commitments()
        .plans_of(code)
        .filter(|p| p.measure == Measure::HnsLcu && p.unit == Unit::Lcu)
        .filter(|p| p.from_year <= base + 1 && base <= p.to_year)
        .max_by_key(|p| p.from_year);
    match plan {
        Some(p) => {
            let avg = p.amount / f64::from(p.years().max(1));
            (
                Some(avg),
                Some(format!(
                    "host-nation support now = {} ({}-{}) annual average {avg:.0} LCU \
                     ({}, {})",
                    p.name, p.from_year, p.to_year, p.definition, p.source
                )),
            )
        }
        None => (None, None),
    }
}

fn registry_target(
    ds: &Dataset,
    scenario: &Scenario,
    id: &str,
) -> Result<ResolvedTarget, ScenarioError> {
    let field = format!("targets.{id}");
    let t = ds
        .commitments()
        .target(id)
        .map_err(|e| scenario.error_unplaced(&field, e.to_string()))?;
    if let Some(amount) = t.fixed_amount_lcu() {
        let country = (!t.country.is_empty()).then(|| t.country.clone());
        return Ok(ResolvedTarget {
            kind: TargetKind::AmountLcu(amount),
            country,
            note: format!(
                "{}: {} — a fixed amount of {:.4e} in local currency ({}% of the {} GDP of \
                 {:.4e}, definition {}); the projected local-currency bands come from the \
                 GDP-relative readings of the scenario's definition ({}); source {}",
                t.id,
                t.name,
                amount,
                t.threshold,
                t.fixed_gdp_year.map(|y| y.to_string()).unwrap_or_default(),
                t.fixed_gdp_lcu.unwrap_or_default(),
                t.definition,
                scenario.definition,
                t.source
            ),
        });
    }
    if t.measure != Some(Measure::MilexGdp) || t.unit != Unit::PctGdp {
        return Err(scenario.error_unplaced(
            &field,
            format!(
                "target `{}` is not a share of GDP of military expenditure ({}): scenarios \
                 check shares of GDP and fixed amounts only",
                t.id, t.name
            ),
        ));
    }
    let definition_note = if t.definition.eq_ignore_ascii_case(&scenario.definition) {
        String::new()
    } else {
        format!(
            "; stated in the `{}` definition, read here against `{}` figures",
            t.definition, scenario.definition
        )
    };
    Ok(ResolvedTarget {
        kind: TargetKind::Share(t.threshold),
        country: (!t.country.is_empty()).then(|| t.country.clone()),
        note: format!("{}: {}{definition_note}; source {}", t.id, t.name, t.source),
    })
}

#[cfg(test)]
#[allow(dead_code)]
#[path = "../../metrics/src/fixture.rs"]
mod fixture;

#[cfg(test)]
mod tests {
    //! On the metrics crate's hand-made fixture (JPN: IMF WEO GDP ¥100 tn in 2024, ¥110 tn
    //! and ¥121 tn in 2025-26, US$1.0, 1.0 and 1.1 tn; SIPRI 2024 share 1.0%; the national
    //! target 2% of FY2022 GDP ¥560 tn; KOR SMA 2026 ₩1.5192 tn), plus a real-growth figure
    //! for 2025 and 2000–2024 histories written here so the volatility is hand-checkable.
    use super::*;
    use fairshare_dataset::RawDataset;
    use fairshare_dataset::registry::builtin_countries;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    /// Growth alternates 1% / 3% over 2000–2024; the deflator grows 2% a year except 4% in
    /// even years; the World Bank yen rate moves ±10 log points a year.
    fn raw_with_history() -> RawDataset {
        use Measure::*;
        let mut raw = fixture::raw();
        let obs = fixture::obs;
        raw.observations.push(obs(
            "JPN",
            GdpRealGrowth,
            "imf_weo",
            2025,
            Some(1.0),
            &[Flag::Projection],
        ));
        let mut deflator = 80.0;
        let mut rate = 100.0_f64;
        raw.observations.push(obs(
            "JPN",
            GdpDeflator,
            "imf_weo",
            1999,
            Some(deflator),
            &[],
        ));
        raw.observations
            .retain(|o| !(o.country == "JPN" && o.measure == ExchangeRate));
        raw.observations
            .push(obs("JPN", ExchangeRate, "wb", 1999, Some(rate), &[]));
        for year in 2000..=2024 {
            let even = year % 2 == 0;
            let g = if even { 1.0 } else { 3.0 };
            raw.observations
                .push(obs("JPN", GdpRealGrowth, "imf_weo", year, Some(g), &[]));
            deflator *= if even { 1.04 } else { 1.02 };
            raw.observations.push(obs(
                "JPN",
                GdpDeflator,
                "imf_weo",
                year,
                Some(deflator),
                &[],
            ));
            rate *= if even {
                0.1_f64.exp()
            } else {
                (-0.1_f64).exp()
            };
            raw.observations
                .push(obs("JPN", ExchangeRate, "wb", year, Some(rate), &[]));
        }
        raw
    }

    fn scenario(text: &str) -> Scenario {
        crate::parse(text, "test.toml", &builtin_countries()).unwrap_or_else(|e| panic!("{e}"))
    }

    const JAPAN: &str = r#"
name = "t"
horizon = [2025, 2026]
definition = "sipri"
countries = ["JPN"]

[[targets]]
id = "japan-2pct-fy2027"
"#;

    #[test]
    fn japan_baseline_reproduces_the_weo_paths_by_hand() {
        let ds = Dataset::from_raw(raw_with_history()).unwrap();
        let inputs = prepare(&ds, &scenario(JAPAN)).unwrap();
        let b = &inputs.baselines["JPN"];
        assert_eq!(b.base_year, 2024);
        assert_eq!(b.year_basis, YearBasis::Calendar);
        assert!(close(b.gdp_lcu, 100e12));
        assert!(close(b.milex_gdp, 1.0));
        // Spending = share × WEO GDP (one denominator), not SIPRI's own ¥1.02 tn.
        assert!(close(b.milex_lcu, 1e12));
        // IMF-implied rate: ¥100 tn / $1 tn.
        assert!(close(b.exchange_rate, 100.0));
        assert_eq!(b.years.len(), 2);
        let (y25, y26) = (&b.years[0], &b.years[1]);
        assert_eq!((y25.year, y26.year), (2025, 2026));
        assert!(close(y25.gdp_real_growth, 1.0) && close(y26.gdp_real_growth, 2.0));
        // Inflation is what makes nominal GDP the WEO's: 110/100 = 1.01 × (1 + π).
        assert!(close(y25.inflation, (1.1 / 1.01 - 1.0) * 100.0));
        assert!(close(y26.inflation, (1.1 / 1.02 - 1.0) * 100.0));
        assert!(close(y25.exchange_rate, 110.0) && close(y26.exchange_rate, 110.0));
        assert!(y26.flags.contains(Flag::Projection));
        assert!(
            b.source.contains("imf") && b.vintage.contains("WEO test"),
            "{}",
            b.vintage
        );
    }

    #[test]
    fn volatility_is_the_sample_sd_of_2000_2024_outturns() {
        let ds = Dataset::from_raw(raw_with_history()).unwrap();
        let inputs = prepare(&ds, &scenario(JAPAN)).unwrap();
        let v = inputs.baselines["JPN"].volatility.clone().unwrap();
        // 13 even years at 1%, 12 odd at 3%: mean 1.96, Σ(x − mean)² = 13·0.96² + 12·1.04²
        // = 24.96, sd = √(24.96 / 24) = 1.0198.
        assert!(
            close(v.gdp_real_growth, (24.96_f64 / 24.0).sqrt()),
            "{}",
            v.gdp_real_growth
        );
        // Inflation 4% (13 years) and 2% (12 years): the same spread, so the same sd.
        assert!(
            (v.inflation - (24.96_f64 / 24.0).sqrt()).abs() < 1e-9,
            "{}",
            v.inflation
        );
        // ±10 log points: mean 0.4, Σ = 13·9.6² + 12·10.4² = 2496, sd = √104 = 10.198.
        assert!(
            (v.exchange_rate - 104.0_f64.sqrt()).abs() < 1e-9,
            "{}",
            v.exchange_rate
        );
        assert!(
            v.method
                .contains("sample standard deviation (n-1) over outturn years 2000-2024")
        );
        assert!(v.method.contains("(25 years)"), "{}", v.method);
    }

    #[test]
    fn the_national_target_is_a_fixed_yen_amount_and_says_so() {
        let ds = Dataset::from_raw(raw_with_history()).unwrap();
        let inputs = prepare(&ds, &scenario(JAPAN)).unwrap();
        let t = &inputs.targets["japan-2pct-fy2027"];
        match t.kind {
            TargetKind::AmountLcu(a) => assert!(close(a, 11.2e12), "{a}"),
            ref k => panic!("{k:?}"),
        }
        assert_eq!(t.country.as_deref(), Some("JPN"));
        assert!(t.note.contains("a fixed amount"), "{}", t.note);
        assert!(t.note.contains("2022"), "{}", t.note);
    }

    #[test]
    fn host_nation_support_is_the_latest_figure() {
        use Measure::*;
        let mut raw = raw_with_history();
        let obs = fixture::obs;
        // The path starts a year before the base year.
        raw.observations.extend([
            obs("KOR", GdpLcu, "imf_weo", 2023, Some(2300e12), &[]),
            obs("KOR", GdpUsd, "imf_weo", 2023, Some(1.7e12), &[]),
            obs(
                "KOR",
                GdpRealGrowth,
                "imf_weo",
                2025,
                Some(2.0),
                &[Flag::Projection],
            ),
        ]);
        let ds = Dataset::from_raw(raw).unwrap();
        let text = r#"
name = "k"
horizon = [2025, 2026]
definition = "sipri"
countries = ["KOR"]
[economy.KOR]
growth = { path = 2.0, shock = { sd = 1.0 } }
inflation = { path = 2.0, shock = { sd = 1.0 } }
exchange_rate = { path = "hold", shock = { sd = 1.0 } }
"#;
        // KOR has no SIPRI share in the fixture, only spending (₩60 tn in 2024): the base
        // share is that spending over the WEO's GDP (₩2,400 tn), 2.5%.
        let inputs = prepare(&ds, &scenario(text)).unwrap_or_else(|e| panic!("{e}"));
        let b = &inputs.baselines["KOR"];
        assert!(close(b.milex_gdp, 2.5), "{}", b.milex_gdp);
        // The latest SMA figure up to two years past the base year: 2026, ₩1.5192 tn.
        assert!(close(b.hns_lcu.unwrap(), 1.5192e12), "{:?}", b.hns_lcu);
        assert!(
            b.notes
                .iter()
                .any(|n| n.contains("host-nation support now = 2026")),
            "{:?}",
            b.notes
        );
    }

    #[test]
    fn a_country_without_data_or_a_series_gets_an_error_naming_both() {
        let ds = Dataset::from_raw(raw_with_history()).unwrap();
        let fra = JAPAN.replace("\"JPN\"", "\"FRA\"");
        let msg = prepare(&ds, &scenario(&fra)).unwrap_err().to_string();
        assert!(msg.contains("FRA") && msg.contains("GDP"), "{msg}");

        let mut raw = raw_with_history();
        raw.observations
            .retain(|o| !(o.country == "JPN" && o.measure == Measure::GdpRealGrowth));
        let ds = Dataset::from_raw(raw).unwrap();
        let msg = prepare(&ds, &scenario(JAPAN)).unwrap_err().to_string();
        assert!(
            msg.contains("JPN") && msg.contains("real GDP growth"),
            "{msg}"
        );
    }
}
