//! From the dataset to chart specifications: observations become series with their
//! periods placed on the time axis, sources become footer lines, registry events
//! become markers. The CLI's `--chart`, the report and the dashboard build their
//! charts through these functions, so a chart cites what the table cites.

use fairshare_dataset::{Event, Flag, Measure, Obs, Source, Unit, YearBasis};

use super::{EventMarker, Series, SourceRef, TimePoint, ValueAxis, ValueFormat};

/// The footer reference of a source: its title (prefixed by the publisher when the
/// title does not name it) and vintage.
pub fn source_ref(s: &Source) -> SourceRef {
    // "Stockholm International Peace Research Institute (SIPRI)" goes by "SIPRI".
    let short = s
        .publisher
        .rsplit_once('(')
        .map(|(_, a)| a.trim_end_matches(')').trim())
        .filter(|a| !a.is_empty())
        .unwrap_or(s.publisher.as_str());
    let title = if s.title.starts_with(short) {
        s.title.clone()
    } else {
        format!("{short}, {}", s.title)
    };
    SourceRef::new(title, s.vintage.clone())
}

/// The sources of a set of observations, once each, ordered by source id.
pub fn sources_of(obs: &[Obs]) -> Vec<SourceRef> {
    let mut sources: Vec<&Source> = obs.iter().filter_map(|o| o.source()).collect();
    sources.sort_by(|a, b| a.id.cmp(&b.id));
    sources.dedup_by(|a, b| a.id == b.id);
    sources.into_iter().map(source_ref).collect()
}

/// Where a year of a given basis sits on the time axis (its middle, as a decimal
/// year) and how it is named: calendar 2024 is 2024.5 "2024"; an April–March fiscal
/// year 2025 (named by the year it starts in) is 2025.75 "FY2025".
pub fn period(year: i32, basis: YearBasis) -> (f64, String) {
    match basis {
        YearBasis::Calendar => (year as f64 + 0.5, year.to_string()),
        YearBasis::Fiscal(m) => (
            year as f64 + (m.clamp(1, 12) as f64 - 1.0) / 12.0 + 0.5,
            format!("FY{year}"),
        ),
        YearBasis::Transitional | YearBasis::Irregular => {
            (year as f64 + 0.5, format!("{year} ({basis})"))
        }
    }
}

/// One observation as a point: projections and plans are drawn dashed; the flags go
/// into the hover text.
pub fn time_point(o: &Obs) -> TimePoint {
    let (t, period) = period(o.year(), o.year_basis());
    let flags = o.flags();
    TimePoint {
        t,
        period,
        value: o.value().filter(|v| v.is_finite()),
        projection: flags.contains(Flag::Projection) || flags.contains(Flag::Plan),
        flags: flags
            .names()
            .into_iter()
            .filter(|f| *f != "projection")
            .map(String::from)
            .collect(),
    }
}

/// Lines from observations: one per country, measure, definition and year basis, in
/// the order first seen. A country keeps one colour across its definitions; its
/// second and later definitions are drawn as secondary lines. Labels name the
/// definition when the chart shows more than one.
pub fn series_from_observations(obs: &[Obs]) -> Vec<Series> {
    type Key<'a> = (&'a str, Measure, &'a str, YearBasis);
    let mut keys: Vec<Key> = Vec::new();
    for o in obs {
        let k = (
            o.country_code(),
            o.measure(),
            o.definition(),
            o.year_basis(),
        );
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let mut definitions: Vec<&str> = keys.iter().map(|k| k.2).collect();
    definitions.dedup();
    definitions.sort();
    definitions.dedup();
    let mut measures: Vec<Measure> = keys.iter().map(|k| k.1).collect();
    measures.sort();
    measures.dedup();
    let mut countries: Vec<&str> = Vec::new();
    for k in &keys {
        if !countries.contains(&k.0) {
            countries.push(k.0);
        }
    }
    // Within a country, the line with the most values is the primary one; the others
    // (a second definition, a short national series) are drawn as secondary lines.
    let count = |k: &Key| {
        obs.iter()
            .filter(|o| {
                (
                    o.country_code(),
                    o.measure(),
                    o.definition(),
                    o.year_basis(),
                ) == *k
                    && o.value().is_some()
            })
            .count()
    };
    let primary: Vec<Key> = countries
        .iter()
        .filter_map(|c| {
            keys.iter()
                .filter(|k| k.0 == *c)
                .max_by(|a, b| count(a).cmp(&count(b)).then(b.2.cmp(a.2)))
                .copied()
        })
        .collect();
    keys.iter()
        .map(|&(country, measure, definition, basis)| {
            let rows: Vec<&Obs> = obs
                .iter()
                .filter(|o| {
                    o.country_code() == country
                        && o.measure() == measure
                        && o.definition() == definition
                        && o.year_basis() == basis
                })
                .collect();
            let name = rows
                .first()
                .map(|o| o.country().name.clone())
                .unwrap_or_else(|| country.to_string());
            let mut qualifiers: Vec<String> = Vec::new();
            if measures.len() > 1 {
                qualifiers.push(measure.to_string());
            }
            if definitions.len() > 1 {
                qualifiers.push(definition_label(definition));
            }
            let label = if qualifiers.is_empty() {
                name
            } else {
                format!("{name} ({})", qualifiers.join(", "))
            };
            let mut key = format!("{country}/{measure}/{definition}");
            if basis != YearBasis::Calendar {
                key.push_str(&format!("/{basis}"));
            }
            let secondary = !primary.contains(&(country, measure, definition, basis));
            Series {
                key,
                label,
                colour: countries.iter().position(|c| *c == country),
                secondary,
                points: rows.iter().map(|o| time_point(o)).collect(),
            }
        })
        .collect()
}

/// A definition id as a short label: "SIPRI", "NATO", "national: jp-security".
pub fn definition_label(id: &str) -> String {
    match id {
        "sipri" => "SIPRI".into(),
        "nato" => "NATO".into(),
        "wb" => "World Bank".into(),
        "imf_weo" => "IMF WEO".into(),
        other => other.replace("national:", "national: "),
    }
}

/// Thousands, millions, billions or trillions, by the largest magnitude shown.
fn magnitude(max_abs: f64) -> (f64, &'static str, &'static str) {
    if max_abs >= 1e12 {
        (1e12, " tn", "trillion")
    } else if max_abs >= 1e9 {
        (1e9, " bn", "billion")
    } else if max_abs >= 1e6 {
        (1e6, " m", "million")
    } else if max_abs >= 1e4 {
        (1e3, "k", "thousand")
    } else {
        (1.0, "", "")
    }
}

/// The value axis for a unit, scaled to the data (`max_abs`, the largest magnitude
/// plotted). `currency` names local currency ("JPY").
pub fn axis_for(unit: Unit, currency: &str, max_abs: f64) -> ValueAxis {
    let percent = |label: &str, unit_words: &str| ValueAxis {
        label: label.to_string(),
        format: ValueFormat {
            scale: 1.0,
            decimals: 2,
            prefix: String::new(),
            suffix: "%".into(),
            unit: unit_words.to_string(),
        },
        ..ValueAxis::default()
    };
    let money = |prefix: &str, what: &str, unit_words: &str| {
        let (scale, suffix, word) = magnitude(max_abs);
        let label = if word.is_empty() {
            what.to_string()
        } else {
            format!("{what}, {word}")
        };
        ValueAxis {
            label,
            format: ValueFormat {
                scale,
                decimals: 1,
                prefix: prefix.to_string(),
                suffix: suffix.to_string(),
                unit: unit_words.to_string(),
            },
            ..ValueAxis::default()
        }
    };
    match unit {
        Unit::PctGdp => ValueAxis::percent_of_gdp(),
        Unit::PctGovSpending => percent("% of government spending", "of government spending"),
        Unit::PctMilex => percent("% of defence spending", "of defence spending"),
        Unit::PctChange => ValueAxis {
            include_zero: true,
            ..percent("% change on the previous year", "change")
        },
        Unit::UsdCurrent => money("$", "US$, current prices", "(current US$)"),
        Unit::UsdConstant2023 => money("$", "US$, constant 2023 prices", "(constant 2023 US$)"),
        Unit::UsdConstant2015 => money("$", "US$, constant 2015 prices", "(constant 2015 US$)"),
        Unit::UsdPerCapita => money("$", "US$ per person", "per person"),
        Unit::Lcu => money("", &format!("{currency}, current prices"), currency),
        Unit::LcuConstant => money("", &format!("{currency}, constant prices"), currency),
        Unit::LcuPerUsd => ValueAxis::plain(
            format!("{currency} per US$"),
            2,
            format!("{currency} per US$"),
        ),
        Unit::Persons => {
            let mut a = money("", "Persons", "persons");
            a.format.decimals = if a.format.scale > 1.0 { 1 } else { 0 };
            a
        }
        Unit::Index => ValueAxis {
            include_zero: false,
            ..ValueAxis::plain("Index", 1, "")
        },
    }
}

/// Markers for the registry events that concern any of `codes` (all events when
/// `codes` is empty). Events with an invalid date are skipped (the dataset refuses
/// them on load).
pub fn event_markers(events: &[Event], codes: &[&str]) -> Vec<EventMarker> {
    events
        .iter()
        .filter(|e| codes.is_empty() || codes.iter().any(|c| e.concerns(c)))
        .filter_map(|e| {
            let d = e.event_date().ok()?;
            Some(EventMarker {
                key: e.id.clone(),
                t: d.decimal_year(),
                label: e.title.clone(),
                date: d.display(),
                description: e.description.clone(),
            })
        })
        .collect()
}

/// A title that states what the lines show, for callers with no finding of their
/// own (the CLI without `--title`): "Japan: 0.92% of GDP in 1990, 1.36% in 2024", or
/// the latest ranking when there are several lines.
pub fn default_title(series: &[Series], axis: &ValueAxis) -> String {
    let f = &axis.format;
    let last = |s: &Series| {
        s.points
            .iter()
            .filter(|p| p.value.is_some())
            .max_by(|a, b| a.t.total_cmp(&b.t))
            .cloned()
    };
    let first = |s: &Series| {
        s.points
            .iter()
            .filter(|p| p.value.is_some())
            .min_by(|a, b| a.t.total_cmp(&b.t))
            .cloned()
    };
    match series {
        [] => "No data for this selection".to_string(),
        [s] => match (first(s), last(s)) {
            (Some(a), Some(b)) if a.period != b.period => format!(
                "{}: {} in {}, {} in {}",
                s.label,
                f.hover(a.value.unwrap_or_default()),
                a.period,
                f.label(b.value.unwrap_or_default()),
                b.period
            ),
            (Some(a), _) => format!(
                "{}: {} in {}",
                s.label,
                f.hover(a.value.unwrap_or_default()),
                a.period
            ),
            _ => format!("{}: no data", s.label),
        },
        many => {
            let mut latest: Vec<(String, TimePoint)> = many
                .iter()
                .filter_map(|s| Some((s.label.clone(), last(s)?)))
                .collect();
            latest.sort_by(|a, b| {
                b.1.value
                    .unwrap_or_default()
                    .total_cmp(&a.1.value.unwrap_or_default())
            });
            match (latest.first(), latest.last()) {
                (Some((top, tp)), Some((bottom, bp))) if latest.len() > 1 => format!(
                    "Highest: {top} at {} ({}); lowest: {bottom} at {} ({})",
                    f.hover(tp.value.unwrap_or_default()),
                    tp.period,
                    f.label(bp.value.unwrap_or_default()),
                    bp.period
                ),
                _ => "No data for this selection".to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years_sit_where_they_fall() {
        assert_eq!(period(2024, YearBasis::Calendar), (2024.5, "2024".into()));
        assert_eq!(period(2025, YearBasis::FY_APR), (2025.75, "FY2025".into()));
    }

    #[test]
    fn axes_scale_money_to_the_data() {
        let a = axis_for(Unit::Lcu, "JPY", 8.7e12);
        assert_eq!(a.label, "JPY, current prices, trillion");
        assert_eq!(a.format.hover(8.7005e12), "8.7 tn JPY");
        let a = axis_for(Unit::UsdCurrent, "", 55e9);
        assert_eq!(a.format.hover(55.274e9), "$55.3 bn (current US$)");
        assert_eq!(axis_for(Unit::PctGdp, "", 3.0).label, "% of GDP");
    }
}
