//! A scenario run as fan charts: the dataset's history of the measure (solid), then the
//! run's quantiles per year (median dashed, 50% and 90% bands), targets as reference
//! lines where they are shares of GDP, the title stating the finding.

use fairshare_dataset::{Dataset, Measure, Unit, YearBasis};
use fairshare_scenario::Results;

use super::data::{axis_for, event_markers, period, source_ref};
use super::{FanChart, Meta, QuantilePoint, ReferenceLine, SourceRef, TimePoint};

/// Years of history drawn before the projection.
const HISTORY_YEARS: i32 = 10;

/// The measures `scenario run --out` draws, with the dataset measure of their history.
pub const FAN_MEASURES: [(&str, Measure, Unit); 3] = [
    ("milex_lcu", Measure::MilexLcu, Unit::Lcu),
    (
        "milex_usd_current",
        Measure::MilexUsdCurrent,
        Unit::UsdCurrent,
    ),
    ("milex_gdp", Measure::MilexGdp, Unit::PctGdp),
];

/// The fan of one branch, country and measure of a run; `None` if the run has no such
/// records.
pub fn fan_chart(
    ds: &Dataset,
    results: &Results,
    branch: &str,
    country: &str,
    measure: &str,
) -> Option<FanChart> {
    let (_, ds_measure, unit) = FAN_MEASURES.iter().find(|(m, _, _)| *m == measure)?;
    let records: Vec<_> = results
        .records
        .iter()
        .filter(|r| r.branch == branch && r.country == country && r.measure == measure)
        .collect();
    let first = records.first()?;
    let last = records.last()?;
    let basis: YearBasis = first.year_basis.parse().unwrap_or(YearBasis::Calendar);
    let name = ds
        .countries()
        .get(country)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| country.to_string());
    let currency = ds
        .countries()
        .get(country)
        .map(|c| c.currency_label().to_string())
        .unwrap_or_default();

    let quantiles: Vec<QuantilePoint> = records
        .iter()
        .map(|r| {
            let (t, period) = period(r.year, basis);
            QuantilePoint {
                t,
                period,
                q05: r.q05,
                q25: r.q25,
                q50: r.q50,
                q75: r.q75,
                q95: r.q95,
            }
        })
        .collect();
    let mut sources: Vec<SourceRef> = Vec::new();
    let mut history = Vec::new();
    for year in (results.base_year - HISTORY_YEARS + 1)..=results.base_year {
        if let Some(o) = ds.get(country, *ds_measure, &results.definition, basis, year)
            && let Some(v) = o.value()
        {
            let (t, period) = period(year, basis);
            history.push(TimePoint {
                t,
                period,
                value: Some(v),
                projection: false,
                flags: o.flags().names().iter().map(|s| s.to_string()).collect(),
            });
            if let Some(s) = o.source() {
                let r = source_ref(s);
                if !sources.contains(&r) {
                    sources.push(r);
                }
            }
        }
    }
    let max_abs = records
        .iter()
        .map(|r| r.q95.abs())
        .chain(history.iter().filter_map(|p| p.value.map(f64::abs)))
        .fold(0.0, f64::max);
    let y = axis_for(*unit, &currency, max_abs);
    let f = &y.format;
    let branch_words = if branch == fairshare_scenario::COMBINED {
        String::new()
    } else {
        format!(" ({branch} branch)")
    };
    let money = |v: f64| {
        if *unit == Unit::Lcu {
            format!("{currency} {}", f.label(v))
        } else {
            f.label(v)
        }
    };
    let title = format!(
        "{name}{branch_words}: {} in {} (median), 90% of paths {}–{}",
        money(last.q50),
        last.year,
        money(last.q05),
        money(last.q95)
    );
    let what = match measure {
        "milex_lcu" => format!("Military expenditure, {currency}, current prices"),
        "milex_usd_current" => "Military expenditure, US$, current prices".to_string(),
        _ => "Military expenditure, % of GDP".to_string(),
    };
    let mut meta = Meta::new(title)
        .subtitle(format!(
            "{what}, {} definition; scenario {}, {} paths, seed {}",
            results.definition, results.scenario, results.paths, results.seed
        ))
        .id(format!("fan-{country}-{measure}"));
    for s in sources {
        meta = meta.source(s);
    }
    meta = meta.source(SourceRef::new(
        format!("fairshare scenario `{}` (projection)", results.scenario),
        first.vintage.clone(),
    ));
    meta = meta.note(format!(
        "Projected years are flagged {}; the bands are quantiles of {} simulated paths.",
        last.flags.join(", "),
        results.paths
    ));
    let references = if measure == "milex_gdp" {
        results
            .targets
            .iter()
            .filter(|t| t.unit == "pct_gdp")
            .filter(|t| t.countries.is_empty() || t.countries.iter().any(|c| c == country))
            .map(|t| ReferenceLine {
                value: t.value,
                label: format!("{} ({}%)", t.id, t.value),
            })
            .collect()
    } else {
        Vec::new()
    };
    let (t0, _) = period(results.base_year - HISTORY_YEARS + 1, basis);
    let (t1, _) = period(last.year, basis);
    Some(FanChart {
        meta,
        y,
        x_label: String::new(),
        key: format!("{country}/{measure}"),
        label: name,
        colour: None,
        history,
        quantiles,
        references,
        events: event_markers(ds.events(), &[country])
            .into_iter()
            .filter(|e| e.t >= t0 - 0.5 && e.t <= t1 + 0.5)
            .collect(),
        x_range: None,
    })
}
