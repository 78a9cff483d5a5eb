//! Lines over time: several countries and definitions, history solid and projections
//! dashed, each line labelled at its end (no legend to decode), with event markers and
//! reference lines.

use super::fonts::{Weight, text_width};
use super::frame::{
    Frame, TimeSpec, draw_events, draw_references, draw_time_axes, spread, time_layout,
};
use super::svg::{full, num, polyline};
use super::theme::*;
use super::{Size, TimePoint, TimeSeriesChart};

pub const DEFAULT_SIZE: Size = Size {
    width: 800.0,
    height: 500.0,
};

/// Series colours: explicit ones as given, the others the next unused palette entries.
pub fn assign_colours(explicit: &[Option<usize>]) -> Vec<usize> {
    let used: Vec<usize> = explicit
        .iter()
        .flatten()
        .map(|c| c % PALETTE.len())
        .collect();
    let mut next = 0usize;
    explicit
        .iter()
        .map(|c| match c {
            Some(c) => c % PALETTE.len(),
            None => {
                let mut tries = 0;
                while used.contains(&(next % PALETTE.len())) && tries < PALETTE.len() {
                    next += 1;
                    tries += 1;
                }
                let c = next % PALETTE.len();
                next += 1;
                c
            }
        })
        .collect()
}

fn valid(p: &TimePoint) -> Option<f64> {
    p.value
        .filter(|v| v.is_finite())
        .filter(|_| p.t.is_finite())
}

/// The whole years the points cover, as decimal years: [first year, last year + 1].
pub fn data_range<'a>(points: impl Iterator<Item = &'a TimePoint>) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for p in points.filter(|p| valid(p).is_some()) {
        lo = lo.min(p.t);
        hi = hi.max(p.t);
    }
    if lo.is_finite() {
        let t1 = if hi.fract() == 0.0 {
            hi + 1.0
        } else {
            hi.ceil()
        };
        Some((lo.floor(), t1.max(lo.floor() + 1.0)))
    } else {
        None
    }
}

/// Pieces of a line to draw: runs of consecutive valued points, each split into solid
/// (history) and dashed (projection) parts. A dashed part starts at the last history
/// point so the line does not break where the projection begins.
pub fn line_parts(points: &[(f64, f64, bool)]) -> Vec<(bool, Vec<(f64, f64)>)> {
    let mut parts: Vec<(bool, Vec<(f64, f64)>)> = Vec::new();
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let dashed = b.2;
        match parts.last_mut() {
            Some((d, pts)) if *d == dashed && pts.last() == Some(&(a.0, a.1)) => {
                pts.push((b.0, b.1))
            }
            _ => parts.push((dashed, vec![(a.0, a.1), (b.0, b.1)])),
        }
    }
    parts
}

pub fn hover_text(label: &str, p: &TimePoint, value: &str) -> String {
    let mut s = format!("{label}, {}: {value}", p.period);
    let mut extra: Vec<&str> = p.flags.iter().map(String::as_str).collect();
    if p.projection && !extra.contains(&"projection") {
        extra.push("projection");
    }
    if !extra.is_empty() {
        s.push_str(&format!(" ({})", extra.join(", ")));
    }
    s
}

fn describe(c: &TimeSeriesChart, t_range: (f64, f64)) -> String {
    if !c.meta.description.is_empty() {
        return c.meta.description.clone();
    }
    let f = &c.y.format;
    let mut s = format!(
        "Line chart of {}, {}–{}.",
        if c.y.label.is_empty() {
            "values"
        } else {
            &c.y.label
        },
        t_range.0 as i32,
        t_range.1 as i32 - 1
    );
    for series in &c.series {
        let valued: Vec<&TimePoint> = series
            .points
            .iter()
            .filter(|p| valid(p).is_some())
            .collect();
        match (valued.first(), valued.last()) {
            (Some(a), Some(b)) => s.push_str(&format!(
                " {}: {} in {} to {} in {}.",
                series.label,
                f.label(a.value.unwrap_or_default()),
                a.period,
                f.label(b.value.unwrap_or_default()),
                b.period
            )),
            _ => s.push_str(&format!(" {}: no data.", series.label)),
        }
    }
    let events: Vec<String> = c
        .events
        .iter()
        .filter(|e| e.t >= t_range.0 && e.t <= t_range.1)
        .map(|e| format!("{} ({})", e.label, e.date))
        .collect();
    if !events.is_empty() {
        s.push_str(&format!(" Events marked: {}.", events.join("; ")));
    }
    s
}

pub fn render(c: &TimeSeriesChart) -> String {
    let colours = assign_colours(&c.series.iter().map(|s| s.colour).collect::<Vec<_>>());
    let mut series_points: Vec<Vec<&TimePoint>> = c
        .series
        .iter()
        .map(|s| {
            let mut pts: Vec<&TimePoint> = s.points.iter().filter(|p| p.t.is_finite()).collect();
            pts.sort_by(|a, b| a.t.total_cmp(&b.t));
            pts
        })
        .collect();
    let t_range = c
        .x_range
        .or_else(|| data_range(c.series.iter().flat_map(|s| s.points.iter())))
        .unwrap_or((2000.0, 2001.0));
    for pts in &mut series_points {
        pts.retain(|p| p.t >= t_range.0 && p.t <= t_range.1);
    }
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in series_points
        .iter()
        .flatten()
        .filter_map(|p| valid(p))
        .chain(
            c.references
                .iter()
                .map(|r| r.value)
                .filter(|v| v.is_finite()),
        )
    {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let label_weight = |secondary: bool| {
        if secondary {
            Weight::Regular
        } else {
            Weight::SemiBold
        }
    };
    let right_labels = c
        .series
        .iter()
        .zip(&series_points)
        .filter(|(_, p)| p.iter().any(|p| valid(p).is_some()))
        .map(|(s, _)| text_width(&s.label, LABEL_SIZE, label_weight(s.secondary)))
        .fold(0.0, f64::max);
    let mut notes = Vec::new();
    if series_points
        .iter()
        .flatten()
        .any(|p| p.projection && valid(p).is_some())
    {
        notes.push("Dashed lines are projections, not outturns.".to_string());
    }
    let mut frame = Frame::new(&c.meta, DEFAULT_SIZE, &notes);
    let axes = time_layout(
        &mut frame,
        TimeSpec {
            axis: &c.y,
            x_label: &c.x_label,
            t_range,
            values: (lo, hi),
            right_labels,
            events: &c.events,
        },
    );
    let mut w = frame.open("time-series", &describe(c, t_range));
    draw_time_axes(&mut w, &axes, &c.y, &c.x_label);
    draw_references(&mut w, &axes, &c.references);
    draw_events(&mut w, &axes);

    // Lines first (secondary under primary), then marks, then labels on top.
    let mut order: Vec<usize> = (0..c.series.len()).collect();
    order.sort_by_key(|&i| (!c.series[i].secondary, i));
    w.start("g", &[("class", "lines".into())]);
    for &i in &order {
        let s = &c.series[i];
        let colour = swatch(colours[i]).line;
        let mut runs: Vec<Vec<(f64, f64, bool)>> = vec![Vec::new()];
        for p in &series_points[i] {
            match valid(p) {
                Some(v) => runs.last_mut().expect("runs starts non-empty").push((
                    axes.x.map(p.t),
                    axes.y.map(v),
                    p.projection,
                )),
                None => runs.push(Vec::new()),
            }
        }
        w.start(
            "g",
            &[
                ("class", "series".into()),
                ("data-key", s.key.clone()),
                ("data-label", s.label.clone()),
            ],
        );
        for run in runs.iter().filter(|r| !r.is_empty()) {
            if run.len() == 1 {
                // A lone value between gaps: a dot, so it is not lost.
                w.leaf(
                    "circle",
                    &[
                        ("cx", num(run[0].0)),
                        ("cy", num(run[0].1)),
                        ("r", "2.5".into()),
                        ("fill", colour.into()),
                    ],
                );
                continue;
            }
            for (dashed, pts) in line_parts(run) {
                let mut attrs = vec![
                    ("d", polyline(&pts)),
                    ("fill", "none".to_string()),
                    ("stroke", colour.to_string()),
                    (
                        "stroke-width",
                        if s.secondary { "1.6" } else { "2.4" }.to_string(),
                    ),
                    ("stroke-linejoin", "round".to_string()),
                    ("stroke-linecap", "round".to_string()),
                ];
                if s.secondary {
                    attrs.push(("stroke-opacity", "0.7".into()));
                }
                if dashed {
                    attrs.push(("stroke-dasharray", PROJECTION_DASH.into()));
                    attrs.push(("class", "projection".into()));
                }
                w.leaf("path", &attrs);
            }
        }
        w.end("g");
    }
    w.end("g");

    // Hover marks: every value, with its hover text; visible dots only when few.
    w.start("g", &[("class", "marks".into())]);
    for (i, s) in c.series.iter().enumerate() {
        let colour = swatch(colours[i]).line;
        let valued: Vec<&&TimePoint> = series_points[i]
            .iter()
            .filter(|p| valid(p).is_some())
            .collect();
        let visible = valued.len() <= 12;
        for p in &valued {
            let v = valid(p).unwrap_or_default();
            let mut attrs = vec![
                ("class", "mark".to_string()),
                ("cx", num(axes.x.map(p.t))),
                ("cy", num(axes.y.map(v))),
                ("r", if visible { "3" } else { "4" }.to_string()),
                ("fill", colour.to_string()),
                ("data-key", s.key.clone()),
                ("data-period", p.period.clone()),
                ("data-value", full(v)),
            ];
            if !visible {
                attrs.push(("fill-opacity", "0".into()));
            }
            if !p.flags.is_empty() {
                attrs.push(("data-flags", p.flags.join(";")));
            }
            w.mark(
                "circle",
                &attrs,
                &hover_text(&s.label, p, &c.y.format.hover(v)),
            );
        }
        if let Some(last) = valued.last()
            && !visible
        {
            w.leaf(
                "circle",
                &[
                    ("class", "end".into()),
                    ("cx", num(axes.x.map(last.t))),
                    ("cy", num(axes.y.map(valid(last).unwrap_or_default()))),
                    ("r", "3.2".into()),
                    ("fill", colour.into()),
                ],
            );
        }
    }
    w.end("g");

    // Direct labels at the right, kept apart.
    let ends: Vec<(usize, f64)> = c
        .series
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            let last = series_points[i].iter().rev().find(|p| valid(p).is_some())?;
            Some((i, axes.y.map(valid(last).unwrap_or_default())))
        })
        .collect();
    let ys = spread(
        &ends.iter().map(|(_, y)| *y).collect::<Vec<_>>(),
        LABEL_SIZE + 2.5,
        axes.top,
        axes.bottom,
    );
    w.start("g", &[("class", "labels".into())]);
    for ((i, _), y) in ends.iter().zip(ys) {
        let s = &c.series[*i];
        let mut attrs = vec![
            ("x", num(axes.right + 8.0)),
            ("y", num(y + LABEL_SIZE * 0.35)),
            ("font-size", num(LABEL_SIZE)),
            ("fill", swatch(colours[*i]).text.to_string()),
            ("data-key", s.key.clone()),
        ];
        if !s.secondary {
            attrs.push(("font-weight", "600".into()));
        }
        w.text("text", &attrs, &s.label);
    }
    w.end("g");
    frame.close(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_skip_the_ones_taken() {
        assert_eq!(assign_colours(&[None, Some(0), None]), vec![1, 0, 2]);
        assert_eq!(assign_colours(&[Some(3), Some(3), None]), vec![3, 3, 0]);
    }

    #[test]
    fn projection_parts_start_at_the_last_outturn() {
        let pts = [
            (0.0, 0.0, false),
            (1.0, 1.0, false),
            (2.0, 2.0, true),
            (3.0, 3.0, true),
        ];
        let parts = line_parts(&pts);
        assert_eq!(
            parts,
            vec![
                (false, vec![(0.0, 0.0), (1.0, 1.0)]),
                (true, vec![(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]),
            ]
        );
    }

    #[test]
    fn ranges_cover_whole_years() {
        let pts = [TimePoint::year(1990, 1.0), TimePoint::year(2024, 2.0)];
        assert_eq!(data_range(pts.iter()), Some((1990.0, 2025.0)));
    }
}
