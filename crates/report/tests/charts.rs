//! Chart outputs: valid SVG with the expected series, labels, footer, hover data and
//! accessibility; byte-identical renders; PNGs of the right size that are not blank;
//! charts from the committed dataset with the registry's events.

use fairshare_dataset::{Filter, Measure};
use fairshare_report::charts::data::{
    event_markers, series_from_observations, sources_of, time_point,
};
use fairshare_report::charts::fonts::missing_glyphs;
use fairshare_report::charts::{
    Bar, BarChart, Chart, Dot, DotPlot, EventMarker, FanChart, Meta, QuantilePoint, ReferenceLine,
    Series, SourceRef, TimePoint, TimeSeriesChart, ValueAxis, to_png,
};
use roxmltree::{Document, Node};

fn sipri() -> SourceRef {
    SourceRef::new("SIPRI Military Expenditure Database", "SIPRI 2025")
}

fn by_class<'a>(doc: &'a Document, class: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|k| k == class))
        })
        .collect()
}

fn texts(doc: &Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<String>()
        })
        .collect()
}

/// Root checks every chart passes: parses, title and desc referenced, a footer.
fn check_common<'a>(svg: &'a str, title: &str) -> Document<'a> {
    let doc = Document::parse(svg).unwrap_or_else(|e| panic!("invalid SVG: {e}\n{svg}"));
    let root = doc.root_element();
    assert!(root.has_tag_name("svg"));
    assert_eq!(root.attribute("role"), Some("img"));
    let labelled = root.attribute("aria-labelledby").expect("aria-labelledby");
    for id in labelled.split(' ') {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "{id} missing"
        );
    }
    let first = root.children().find(|n| n.is_element()).unwrap();
    assert!(first.has_tag_name("title"));
    assert_eq!(first.text(), Some(title));
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap_or_default();
    assert!(desc.len() > 20, "desc: {desc}");
    assert!(
        root.attribute("font-family")
            .is_some_and(|f| f.starts_with("Inter") && f.ends_with("sans-serif"))
    );
    assert_eq!(by_class(&doc, "footer").len(), 1);
    doc
}

fn sample_time_series() -> TimeSeriesChart {
    let jp: Vec<TimePoint> = (2014..=2024)
        .map(|y| TimePoint::year(y, 0.95 + 0.04 * (y - 2014) as f64))
        .chain((2025..=2027).map(|y| TimePoint::year(y, 1.4 + 0.2 * (y - 2024) as f64).projected()))
        .collect();
    let mut kr: Vec<TimePoint> = (2014..=2024).map(|y| TimePoint::year(y, 2.5)).collect();
    kr[3].value = None; // a gap breaks the line
    let us: Vec<TimePoint> = (2014..=2024).map(|y| TimePoint::year(y, 3.4)).collect();
    TimeSeriesChart {
        meta: Meta::new("Japan's burden rises towards 2% while Korea's holds")
            .subtitle("Military expenditure, % of GDP")
            .source(sipri()),
        y: ValueAxis::percent_of_gdp(),
        series: vec![
            Series::new("JPN/sipri", "Japan", jp),
            Series::new("KOR/sipri", "South Korea", kr),
            Series::new("USA/sipri", "United States", us),
        ],
        events: vec![
            EventMarker {
                key: "us-election-2024".into(),
                t: 2024.85,
                label: "US election".into(),
                date: "5 Nov 2024".into(),
                description: "Trump wins".into(),
            },
            EventMarker {
                key: "outside".into(),
                t: 1990.5,
                label: "Out of range".into(),
                date: "1990".into(),
                description: String::new(),
            },
        ],
        references: vec![ReferenceLine {
            value: 2.0,
            label: "2% target".into(),
        }],
        ..TimeSeriesChart::default()
    }
}

#[test]
fn time_series_has_its_lines_labels_marks_events_and_footer() {
    let chart = sample_time_series();
    let svg = chart.to_svg();
    let doc = check_common(&svg, &chart.meta.title);
    assert_eq!(
        doc.root_element().attribute("data-chart"),
        Some("time-series")
    );
    let series = by_class(&doc, "series");
    assert_eq!(series.len(), 3);
    let keys: Vec<&str> = series
        .iter()
        .filter_map(|n| n.attribute("data-key"))
        .collect();
    assert_eq!(keys, ["JPN/sipri", "KOR/sipri", "USA/sipri"]);
    // Korea's gap splits its line in two paths.
    let kr = series
        .iter()
        .find(|n| n.attribute("data-key") == Some("KOR/sipri"))
        .unwrap();
    assert_eq!(kr.children().filter(|n| n.has_tag_name("path")).count(), 2);
    // Japan's projection is one dashed path starting at its last outturn.
    let dashed = by_class(&doc, "projection");
    assert_eq!(dashed.len(), 1);
    assert_eq!(dashed[0].attribute("stroke-dasharray"), Some("6 4"));
    // One hover mark per value, with its value, period and tooltip.
    let marks = by_class(&doc, "mark");
    assert_eq!(marks.len(), 14 + 10 + 11);
    let m = marks
        .iter()
        .find(|n| {
            n.attribute("data-key") == Some("JPN/sipri")
                && n.attribute("data-period") == Some("2027")
        })
        .unwrap();
    assert_eq!(m.attribute("data-value"), Some("2"));
    let tip = m
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text());
    assert_eq!(tip, Some("Japan, 2027: 2.00% of GDP (projection)"));
    let all = texts(&doc);
    for label in [
        "Japan",
        "South Korea",
        "United States",
        "% of GDP",
        "2% target",
        "US election",
    ] {
        assert!(all.iter().any(|t| t == label), "{label} missing: {all:?}");
    }
    assert!(
        all.iter()
            .any(|t| t == "Source: SIPRI Military Expenditure Database (SIPRI 2025).")
    );
    assert!(
        all.iter()
            .any(|t| t.starts_with("Dashed lines are projections"))
    );
    // Events outside the time axis are left out.
    let events = by_class(&doc, "event");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].attribute("data-key"), Some("us-election-2024"));
    // Year ticks: whole years, the last data year labelled.
    assert!(all.iter().any(|t| t == "2014") && all.iter().any(|t| t == "2026"));
    assert!(
        !all.iter().any(|t| t.starts_with('−')),
        "no negative ticks: {all:?}"
    );
}

fn sample_bars() -> BarChart {
    BarChart {
        meta: Meta::new("Two of four allies met 2%").source(SourceRef::new(
            "NATO, Defence Expenditure of NATO Countries (2014-2024)",
            "NATO June 2024",
        )),
        x: ValueAxis::percent_of_gdp(),
        target: Some(ReferenceLine {
            value: 2.0,
            label: "2% guideline".into(),
        }),
        bars: vec![
            Bar::new("CAN", "Canada", Some(1.37)),
            Bar::new("ISL", "Iceland", None),
            Bar::new("POL", "Poland", Some(4.12)),
            Bar {
                highlight: true,
                ..Bar::new("HRV", "Croatia", Some(1.97))
            },
            Bar::new("SVK", "Slovakia", Some(2.0)),
        ],
        keep_order: false,
    }
}

#[test]
fn bars_are_sorted_with_target_gaps_and_no_data() {
    let chart = sample_bars();
    let svg = chart.to_svg();
    let doc = check_common(&svg, "Two of four allies met 2%");
    let marks = by_class(&doc, "mark");
    let keys: Vec<&str> = marks
        .iter()
        .filter_map(|n| n.attribute("data-key"))
        .collect();
    assert_eq!(keys, ["POL", "SVK", "HRV", "CAN"]);
    let gaps: Vec<String> = by_class(&doc, "gap")
        .iter()
        .filter_map(|n| n.text().map(String::from))
        .collect();
    assert_eq!(gaps, ["−0.03 pp", "−0.6 pp"]);
    let no_data = by_class(&doc, "no-data");
    assert_eq!(no_data.len(), 1);
    assert_eq!(no_data[0].attribute("data-key"), Some("ISL"));
    assert_eq!(no_data[0].text(), Some("no data"));
    let reference = by_class(&doc, "reference");
    assert_eq!(reference.len(), 1);
    assert_eq!(reference[0].attribute("data-value"), Some("2"));
    let can = marks
        .iter()
        .find(|n| n.attribute("data-key") == Some("CAN"))
        .unwrap();
    let tip = can
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(tip, "Canada: 1.37% of GDP; 0.6 pp below the 2% guideline");
    let all = texts(&doc);
    assert!(all.iter().any(|t| t.contains("(NATO June 2024)")));
    // Iceland, without data, is listed last.
    let labels: Vec<&String> = all
        .iter()
        .filter(|t| ["Poland", "Iceland"].contains(&t.as_str()))
        .collect();
    assert_eq!(labels, ["Poland", "Iceland"]);
}

fn sample_fan() -> FanChart {
    FanChart {
        meta: Meta::new("Japan reaches 2% by 2027 in most paths").source(sipri()),
        y: ValueAxis::percent_of_gdp(),
        key: "JPN/milex_gdp".into(),
        label: "Japan".into(),
        history: (2015..=2024)
            .map(|y| TimePoint::year(y, 1.0 + 0.03 * (y - 2015) as f64))
            .collect(),
        quantiles: (2025..=2030)
            .map(|y| {
                let k = (y - 2024) as f64;
                QuantilePoint {
                    t: y as f64 + 0.5,
                    period: y.to_string(),
                    q05: 1.3 + 0.1 * k - 0.1 * k,
                    q25: 1.3 + 0.1 * k - 0.04 * k,
                    q50: 1.3 + 0.1 * k,
                    q75: 1.3 + 0.1 * k + 0.04 * k,
                    q95: 1.3 + 0.1 * k + 0.1 * k,
                }
            })
            .collect(),
        references: vec![ReferenceLine {
            value: 2.0,
            label: "2%".into(),
        }],
        ..FanChart::default()
    }
}

#[test]
fn fan_has_bands_a_dashed_median_and_quantile_data() {
    let chart = sample_fan();
    let svg = chart.to_svg();
    let doc = check_common(&svg, "Japan reaches 2% by 2027 in most paths");
    assert_eq!(by_class(&doc, "band-90").len(), 1);
    assert_eq!(by_class(&doc, "band-50").len(), 1);
    let median = by_class(&doc, "median");
    assert_eq!(median.len(), 1);
    assert!(median[0].attribute("stroke-dasharray").is_some());
    let history = by_class(&doc, "history");
    assert_eq!(history.len(), 1);
    assert!(history[0].attribute("stroke-dasharray").is_none());
    let q = by_class(&doc, "quantiles");
    assert_eq!(q.len(), 6);
    let last = q.last().unwrap();
    assert_eq!(last.attribute("data-period"), Some("2030"));
    assert_eq!(
        last.attribute("data-q95"),
        Some(&*format!("{}", 1.3 + 0.6 + 0.6))
    );
    let all = texts(&doc);
    for label in ["Median", "50% of paths", "90% of paths"] {
        assert!(all.iter().any(|t| t == label), "{label}");
    }
}

#[test]
fn dot_plot_ranks_largest_first() {
    let chart = DotPlot {
        meta: Meta::new("Japan ranks last").source(sipri()),
        x: ValueAxis::percent_of_gdp(),
        reference: None,
        dots: vec![
            Dot::new("JPN", "Japan", Some(1.37)),
            Dot::new("USA", "United States", Some(3.42)),
            Dot::new("KOR", "South Korea", Some(2.56)),
        ],
        keep_order: false,
    };
    let svg = chart.to_svg();
    let doc = check_common(&svg, "Japan ranks last");
    let keys: Vec<&str> = by_class(&doc, "mark")
        .iter()
        .filter_map(|n| n.attribute("data-key"))
        .collect();
    assert_eq!(keys, ["USA", "KOR", "JPN"]);
    let ranks: Vec<&str> = by_class(&doc, "rank")
        .iter()
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(ranks, ["1", "2", "3"]);
}

#[test]
fn renders_are_byte_identical() {
    let charts = [
        Chart::TimeSeries(sample_time_series()),
        Chart::Bars(sample_bars()),
        Chart::Fan(sample_fan()),
    ];
    for c in &charts {
        assert_eq!(c.to_svg(), c.clone().to_svg());
        assert_eq!(c.to_png(1.0).unwrap(), c.to_png(1.0).unwrap());
    }
    // Serializable for the dashboard: a specification survives JSON unchanged.
    for c in &charts {
        let json = serde_json::to_string(c).unwrap();
        assert!(json.starts_with("{\"kind\":"), "{json}");
        let back: Chart = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, c);
        assert_eq!(back.to_svg(), c.to_svg());
    }
}

/// Decode a PNG and count pixels that are not (near-)white.
fn inked_fraction(png: &[u8]) -> (u32, u32, f64) {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).expect("a PNG");
    let inked = pixmap
        .pixels()
        .iter()
        .filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200)
        .count();
    (
        pixmap.width(),
        pixmap.height(),
        inked as f64 / (pixmap.width() * pixmap.height()) as f64,
    )
}

#[test]
fn png_has_twice_the_size_and_is_not_blank() {
    let chart = sample_time_series();
    let svg = chart.to_svg();
    let png = to_png(&svg, 2.0).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let (w, h, inked) = inked_fraction(&png);
    assert_eq!((w, h), (1600, 1000));
    assert!(inked > 0.02 && inked < 0.5, "inked {inked}");
    // Text is drawn: the title band (top 60 px) holds ink.
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    let title_ink = pixmap.pixels()[..(1600 * 120) as usize]
        .iter()
        .filter(|p| p.red() < 100)
        .count();
    assert!(title_ink > 2000, "title not rendered: {title_ink}");
    assert!(to_png("<svg", 2.0).is_err());
    assert!(to_png(&svg, 0.0).is_err());
}

#[test]
fn charts_from_the_committed_dataset_cite_sources_and_mark_events() {
    let ds = fairshare_embedded::dataset().expect("committed dataset");
    let codes = ["JPN", "KOR", "USA"];
    let obs = ds.select_preferred(&Filter {
        countries: codes.iter().map(|c| c.to_string()).collect(),
        measures: vec![Measure::MilexGdp],
        definitions: vec!["sipri".into()],
        from: Some(1990),
        to: Some(2024),
        ..Filter::default()
    });
    let series = series_from_observations(&obs);
    assert_eq!(series.len(), 3);
    assert!(series.iter().all(|s| s.points.len() == 35 && !s.secondary));
    let mut meta = Meta::new("Japan's military burden stayed near 1% of GDP until 2022");
    meta.sources = sources_of(&obs);
    let events = event_markers(ds.events(), &codes);
    assert!(events.iter().any(|e| e.key == "us-election-2024"));
    // NATO events concern NATO, not these three countries by code.
    assert!(!events.iter().any(|e| e.key == "nato-hague-5pct-2025"));
    let chart = TimeSeriesChart {
        meta,
        y: ValueAxis::percent_of_gdp(),
        series,
        events,
        x_range: Some((1990.0, 2026.0)),
        ..TimeSeriesChart::default()
    };
    let svg = chart.to_svg();
    let doc = check_common(
        &svg,
        "Japan's military burden stayed near 1% of GDP until 2022",
    );
    let all = texts(&doc);
    assert!(
        all.iter()
            .any(|t| t == "Source: SIPRI Military Expenditure Database (SIPRI 2025).")
    );
    let event_keys: Vec<&str> = by_class(&doc, "event")
        .iter()
        .filter_map(|n| n.attribute("data-key"))
        .collect();
    assert!(event_keys.contains(&"trump-nato-remark-2024"));
    assert!(event_keys.contains(&"japan-2pct-fy2025-pledge-2025"));
    let jp2022 = by_class(&doc, "mark")
        .into_iter()
        .find(|n| {
            n.attribute("data-key") == Some("JPN/milex_gdp/sipri")
                && n.attribute("data-period") == Some("2022")
        })
        .unwrap();
    let v: f64 = jp2022.attribute("data-value").unwrap().parse().unwrap();
    assert!((v - 1.01).abs() < 0.005, "{v}");
    // Every character drawn is in the shipped font.
    for t in &all {
        assert!(missing_glyphs(t).is_empty(), "{t}: {:?}", missing_glyphs(t));
    }

    // NATO 2024 compliance from NATO's table: every member with a 2024 figure.
    let nato = ds.select_preferred(&Filter {
        measures: vec![Measure::MilexGdp],
        definitions: vec!["nato".into()],
        from: Some(2024),
        to: Some(2024),
        ..Filter::default()
    });
    let bars: Vec<Bar> = nato
        .iter()
        .filter(|o| o.country().kind == fairshare_dataset::EntityKind::Country)
        .map(|o| Bar::new(o.country_code(), &o.country().name, time_point(o).value))
        .collect();
    let below = bars
        .iter()
        .filter(|b| b.value.is_some_and(|v| v < 2.0))
        .count();
    let mut meta = Meta::new(format!("{below} NATO allies fell short of 2% in 2024"));
    meta.sources = sources_of(&nato);
    let chart = BarChart {
        meta,
        x: ValueAxis::percent_of_gdp(),
        target: Some(ReferenceLine {
            value: 2.0,
            label: "2% guideline".into(),
        }),
        bars,
        keep_order: false,
    };
    let svg = chart.to_svg();
    let doc = Document::parse(&svg).unwrap();
    assert_eq!(by_class(&doc, "gap").len(), below);
    assert!(below > 0);
    assert!(texts(&doc).iter().any(|t| t.contains("NATO June 2024")));
}
