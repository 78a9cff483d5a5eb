//! Render the example charts from the committed dataset to SVG and PNG, to look at
//! them (and to refresh `docs/img/`):
//!
//! ```sh
//! cargo run -p fairshare-report --example gallery -- /tmp/charts
//! ```

use std::path::PathBuf;

use fairshare_dataset::{Filter, Measure};
use fairshare_report::charts::data::{
    axis_for, event_markers, series_from_observations, sources_of, time_point,
};
use fairshare_report::charts::{
    Bar, BarChart, Chart, Dot, DotPlot, FanChart, Meta, QuantilePoint, ReferenceLine,
    TimeSeriesChart, ValueAxis,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "charts".into()));
    std::fs::create_dir_all(&out)?;
    let ds = fairshare_embedded::dataset()?;

    // 1. Japan, Korea, USA by SIPRI's definition, with the registry's events.
    let codes = ["USA", "KOR", "JPN"];
    let obs = ds.select_preferred(&Filter {
        countries: codes.iter().map(|c| c.to_string()).collect(),
        measures: vec![Measure::MilexGdp],
        definitions: vec!["sipri".into()],
        from: Some(1990),
        to: Some(2024),
        ..Filter::default()
    });
    let series = series_from_observations(&obs);
    let mut meta = Meta::new("Japan's military burden stayed near 1% of GDP until 2022")
        .subtitle("Military expenditure as a share of GDP, SIPRI definition, 1990–2024")
        .id("allies-burden");
    meta.sources = sources_of(&obs);
    let ts = TimeSeriesChart {
        meta,
        y: ValueAxis::percent_of_gdp(),
        series,
        events: event_markers(ds.events(), &codes),
        references: vec![ReferenceLine {
            value: 2.0,
            label: "NATO 2% guideline".into(),
        }],
        x_range: Some((1990.0, 2025.0)),
        ..TimeSeriesChart::default()
    };

    // 2. NATO 2024 compliance, NATO's definition: every country in NATO's tables,
    // those without a 2024 figure listed as "no data".
    let all_nato = ds.select_preferred(&Filter {
        measures: vec![Measure::MilexGdp],
        definitions: vec!["nato".into()],
        ..Filter::default()
    });
    let mut members: Vec<(&str, &str)> = all_nato
        .iter()
        .filter(|o| o.country().kind == fairshare_dataset::EntityKind::Country)
        .map(|o| (o.country_code(), o.country().name.as_str()))
        .collect();
    members.dedup();
    let nato: Vec<_> = all_nato
        .iter()
        .filter(|o| o.year() == 2024)
        .copied()
        .collect();
    let bars: Vec<Bar> = members
        .iter()
        .map(
            |(code, name)| match nato.iter().find(|o| o.country_code() == *code) {
                Some(o) => {
                    let p = time_point(o);
                    Bar {
                        period: p.period.clone(),
                        flags: p.flags.clone(),
                        ..Bar::new(*code, *name, p.value)
                    }
                }
                None => Bar::new(*code, *name, None),
            },
        )
        .collect();
    let below = bars
        .iter()
        .filter(|b| b.value.is_some_and(|v| v < 2.0))
        .count();
    let with_data = bars.iter().filter(|b| b.value.is_some()).count();
    let mut meta = Meta::new(format!(
        "{} of {with_data} NATO allies met the 2% guideline in 2024; {below} fell short",
        with_data - below,
    ))
    .subtitle("Defence expenditure as a share of GDP, NATO definition, 2024 (estimates)")
    .id("nato-2024");
    meta.sources = sources_of(&nato);
    let bar_chart = BarChart {
        meta,
        x: ValueAxis::percent_of_gdp(),
        target: Some(ReferenceLine {
            value: 2.0,
            label: "2% guideline".into(),
        }),
        bars,
        keep_order: false,
    };

    // 3. A fan chart from synthetic quantiles (illustration only).
    let jp = ds.select_preferred(&Filter {
        countries: vec!["JPN".into()],
        measures: vec![Measure::MilexGdp],
        definitions: vec!["sipri".into()],
        from: Some(2010),
        to: Some(2024),
        ..Filter::default()
    });
    let history: Vec<_> = jp.iter().map(time_point).collect();
    let last = history.last().and_then(|p| p.value).unwrap_or(1.4);
    let quantiles: Vec<QuantilePoint> = (2025..=2035)
        .map(|y| {
            let k = (y - 2024) as f64;
            let median = last + (2.0 - last) * (k / 3.0).min(1.0) + 0.04 * (k - 3.0).max(0.0);
            let spread = 0.06 * k;
            QuantilePoint {
                t: y as f64 + 0.5,
                period: y.to_string(),
                q05: median - 1.8 * spread,
                q25: median - 0.7 * spread,
                q50: median,
                q75: median + 0.7 * spread,
                q95: median + 1.8 * spread,
            }
        })
        .collect();
    let mut meta = Meta::new("Japan would most likely stay near 2% of GDP after 2027")
        .subtitle("Military expenditure as a share of GDP, SIPRI definition; projection from synthetic quantiles (illustration)")
        .note("Illustration: the quantiles are synthetic, not a scenario run.")
        .id("japan-fan");
    meta.sources = sources_of(&jp);
    let fan = FanChart {
        meta,
        y: ValueAxis::percent_of_gdp(),
        key: "JPN/milex_gdp".into(),
        label: "Japan".into(),
        history,
        quantiles,
        references: vec![ReferenceLine {
            value: 2.0,
            label: "2% goal".into(),
        }],
        events: event_markers(ds.events(), &["JPN"]),
        ..FanChart::default()
    };

    // 4. A ranked dot plot: US treaty allies in Asia and the largest NATO spenders, SIPRI 2024.
    let dot_codes = [
        "USA", "KOR", "AUS", "JPN", "PHL", "THA", "NZL", "POL", "GBR", "FRA", "DEU",
    ];
    let dobs = ds.select_preferred(&Filter {
        countries: dot_codes.iter().map(|c| c.to_string()).collect(),
        measures: vec![Measure::MilexGdp],
        definitions: vec!["sipri".into()],
        from: Some(2024),
        to: Some(2024),
        ..Filter::default()
    });
    let dots: Vec<Dot> = dobs
        .iter()
        .map(|o| Dot {
            highlight: o.country_code() == "JPN",
            period: "2024".into(),
            ..Dot::new(o.country_code(), &o.country().name, o.value())
        })
        .collect();
    let mut meta = Meta::new("Japan ranks near the bottom of US allies on military burden")
        .subtitle("Military expenditure as a share of GDP, SIPRI definition, 2024")
        .id("allies-ranked");
    meta.sources = sources_of(&dobs);
    let dot_plot = DotPlot {
        meta,
        x: axis_for(fairshare_dataset::Unit::PctGdp, "", 4.0),
        reference: Some(ReferenceLine {
            value: 2.0,
            label: "2%".into(),
        }),
        dots,
        keep_order: false,
    };

    for (name, chart) in [
        ("allies-milex-gdp", Chart::TimeSeries(ts)),
        ("nato-2024-compliance", Chart::Bars(bar_chart)),
        ("japan-fan", Chart::Fan(fan)),
        ("allies-ranked", Chart::Dots(dot_plot)),
    ] {
        let svg = chart.to_svg();
        std::fs::write(out.join(format!("{name}.svg")), &svg)?;
        let png = chart.to_png(2.0)?;
        std::fs::write(out.join(format!("{name}.png")), &png)?;
        println!("{name}: svg {} bytes, png {} bytes", svg.len(), png.len());
    }
    Ok(())
}
