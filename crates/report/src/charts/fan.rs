//! A projection as a fan: the history as a solid line, then the median dashed inside
//! a 50% band (q25–q75) and a 90% band (q05–q95) of the simulated paths, the bands
//! labelled at their right end.

use super::fonts::{Weight, text_width};
use super::frame::{
    Frame, TimeSpec, draw_events, draw_references, draw_time_axes, spread, time_layout,
};
use super::svg::{band, full, num, polyline};
use super::theme::*;
use super::time_series::{DEFAULT_SIZE, data_range, hover_text, line_parts};
use super::{FanChart, QuantilePoint, TimePoint};

const BAND_90: &str = "0.16";
const BAND_50: &str = "0.32";

fn finite(q: &QuantilePoint) -> bool {
    [q.t, q.q05, q.q25, q.q50, q.q75, q.q95]
        .iter()
        .all(|v| v.is_finite())
}

fn describe(c: &FanChart, quantiles: &[&QuantilePoint], t_range: (f64, f64)) -> String {
    if !c.meta.description.is_empty() {
        return c.meta.description.clone();
    }
    let f = &c.y.format;
    let mut s = format!(
        "Fan chart of {} for {}, {}–{}.",
        if c.y.label.is_empty() {
            "values"
        } else {
            &c.y.label
        },
        c.label,
        t_range.0 as i32,
        t_range.1 as i32 - 1
    );
    if let Some(h) = c
        .history
        .iter()
        .rev()
        .find(|p| p.value.is_some_and(f64::is_finite))
    {
        s.push_str(&format!(
            " Last outturn {} in {}.",
            f.label(h.value.unwrap_or_default()),
            h.period
        ));
    }
    if let Some(q) = quantiles.last() {
        s.push_str(&format!(
            " Projected median {} in {}; 50% of paths between {} and {}; 90% between {} and {}.",
            f.label(q.q50),
            q.period,
            f.label(q.q25),
            f.label(q.q75),
            f.label(q.q05),
            f.label(q.q95)
        ));
    }
    s
}

pub fn render(c: &FanChart) -> String {
    let colour = swatch(c.colour.unwrap_or(0));
    let mut history: Vec<&TimePoint> = c
        .history
        .iter()
        .filter(|p| p.t.is_finite() && p.value.is_some_and(f64::is_finite))
        .collect();
    history.sort_by(|a, b| a.t.total_cmp(&b.t));
    let mut quantiles: Vec<&QuantilePoint> = c.quantiles.iter().filter(|q| finite(q)).collect();
    quantiles.sort_by(|a, b| a.t.total_cmp(&b.t));

    let as_points: Vec<TimePoint> = quantiles
        .iter()
        .map(|q| TimePoint {
            t: q.t,
            period: q.period.clone(),
            value: Some(q.q50),
            projection: true,
            flags: Vec::new(),
        })
        .collect();
    let t_range = c
        .x_range
        .or_else(|| data_range(history.iter().copied().chain(as_points.iter())))
        .unwrap_or((2000.0, 2001.0));
    history.retain(|p| p.t >= t_range.0 && p.t <= t_range.1);
    quantiles.retain(|q| q.t >= t_range.0 && q.t <= t_range.1);

    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in history
        .iter()
        .filter_map(|p| p.value)
        .chain(quantiles.iter().flat_map(|q| [q.q05, q.q95]))
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
    let labels = ["90% of paths", "50% of paths", "Median"];
    let right_labels = if quantiles.is_empty() {
        text_width(&c.label, LABEL_SIZE, Weight::SemiBold)
    } else {
        labels
            .iter()
            .map(|l| text_width(l, LABEL_SIZE, Weight::Regular))
            .fold(0.0, f64::max)
    };
    let notes = vec![
        "Solid: outturns. Dashed: median projection; bands hold the middle 50% and 90% of simulated paths."
            .to_string(),
    ];
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
    let mut w = frame.open("fan", &describe(c, &quantiles, t_range));
    draw_time_axes(&mut w, &axes, &c.y, &c.x_label);
    draw_events(&mut w, &axes);

    // The fan opens from the last outturn when the projection starts after it.
    let mut fan: Vec<QuantilePoint> = quantiles.iter().map(|q| (*q).clone()).collect();
    if let (Some(h), Some(first)) = (history.last(), quantiles.first())
        && h.t < first.t
    {
        let v = h.value.unwrap_or_default();
        fan.insert(
            0,
            QuantilePoint {
                t: h.t,
                period: h.period.clone(),
                q05: v,
                q25: v,
                q50: v,
                q75: v,
                q95: v,
            },
        );
    }
    let xy = |t: f64, v: f64| (axes.x.map(t), axes.y.map(v));
    w.start(
        "g",
        &[
            ("class", "fan".into()),
            ("data-key", c.key.clone()),
            ("data-label", c.label.clone()),
        ],
    );
    if fan.len() >= 2 {
        type Pick = fn(&QuantilePoint) -> f64;
        let bands: [(Pick, Pick, &str, &str); 2] = [
            (|q| q.q05, |q| q.q95, BAND_90, "band-90"),
            (|q| q.q25, |q| q.q75, BAND_50, "band-50"),
        ];
        for (lower, upper, opacity, class) in bands {
            let up: Vec<(f64, f64)> = fan.iter().map(|q| xy(q.t, upper(q))).collect();
            let down: Vec<(f64, f64)> = fan.iter().map(|q| xy(q.t, lower(q))).collect();
            w.leaf(
                "path",
                &[
                    ("class", class.into()),
                    ("d", band(&up, &down)),
                    ("fill", colour.line.into()),
                    ("fill-opacity", opacity.into()),
                ],
            );
        }
    }
    draw_references(&mut w, &axes, &c.references);
    let hist: Vec<(f64, f64, bool)> = history
        .iter()
        .map(|p| {
            let (x, y) = xy(p.t, p.value.unwrap_or_default());
            (x, y, false)
        })
        .collect();
    for (_, pts) in line_parts(&hist) {
        w.leaf(
            "path",
            &[
                ("class", "history".into()),
                ("d", polyline(&pts)),
                ("fill", "none".into()),
                ("stroke", colour.line.into()),
                ("stroke-width", "2.4".into()),
                ("stroke-linejoin", "round".into()),
            ],
        );
    }
    if fan.len() >= 2 {
        let median: Vec<(f64, f64)> = fan.iter().map(|q| xy(q.t, q.q50)).collect();
        w.leaf(
            "path",
            &[
                ("class", "median projection".into()),
                ("d", polyline(&median)),
                ("fill", "none".into()),
                ("stroke", colour.line.into()),
                ("stroke-width", "2.4".into()),
                ("stroke-dasharray", PROJECTION_DASH.into()),
                ("stroke-linejoin", "round".into()),
            ],
        );
    }
    w.end("g");

    let f = &c.y.format;
    w.start("g", &[("class", "marks".into())]);
    for p in &history {
        let v = p.value.unwrap_or_default();
        let (x, y) = xy(p.t, v);
        let mut attrs = vec![
            ("class", "mark".to_string()),
            ("cx", num(x)),
            ("cy", num(y)),
            ("r", "4".into()),
            ("fill", colour.line.to_string()),
            ("fill-opacity", "0".into()),
            ("data-key", c.key.clone()),
            ("data-period", p.period.clone()),
            ("data-value", full(v)),
        ];
        if !p.flags.is_empty() {
            attrs.push(("data-flags", p.flags.join(";")));
        }
        w.mark("circle", &attrs, &hover_text(&c.label, p, &f.hover(v)));
    }
    for q in &quantiles {
        let (x, y) = xy(q.t, q.q50);
        let text = format!(
            "{}, {}: median {}; 50% of paths {}–{}; 90% {}–{} (projection)",
            c.label,
            q.period,
            f.hover(q.q50),
            f.label(q.q25),
            f.label(q.q75),
            f.label(q.q05),
            f.label(q.q95)
        );
        w.mark(
            "circle",
            &[
                ("class", "mark quantiles".into()),
                ("cx", num(x)),
                ("cy", num(y)),
                ("r", "4".into()),
                ("fill", colour.line.into()),
                ("fill-opacity", "0".into()),
                ("data-key", c.key.clone()),
                ("data-period", q.period.clone()),
                ("data-value", full(q.q50)),
                ("data-q05", full(q.q05)),
                ("data-q25", full(q.q25)),
                ("data-q50", full(q.q50)),
                ("data-q75", full(q.q75)),
                ("data-q95", full(q.q95)),
            ],
            &text,
        );
    }
    w.end("g");

    // Labels at the right end: the bands and the median, or the series when there is
    // no projection.
    w.start("g", &[("class", "labels".into())]);
    if let Some(q) = quantiles.last() {
        let desired = [
            axes.y.map((q.q75 + q.q95) / 2.0),
            axes.y.map((q.q50 + q.q75) / 2.0),
            axes.y.map(q.q50),
        ];
        // Median nearest its line; the band labels above it, in order.
        let ys = spread(&desired, LABEL_SIZE + 2.0, axes.top, axes.bottom);
        for ((label, y), bold) in labels.iter().zip(ys).zip([false, false, true]) {
            let mut attrs = vec![
                ("x", num(axes.right + 8.0)),
                ("y", num(y + LABEL_SIZE * 0.35)),
                ("font-size", num(LABEL_SIZE)),
                (
                    "fill",
                    if bold { colour.text } else { SUBTITLE_COLOUR }.to_string(),
                ),
            ];
            if bold {
                attrs.push(("font-weight", "600".into()));
            }
            w.text("text", &attrs, label);
        }
    } else if let Some(h) = history.last() {
        let (_, y) = xy(h.t, h.value.unwrap_or_default());
        w.text(
            "text",
            &[
                ("x", num(axes.right + 8.0)),
                ("y", num(y + LABEL_SIZE * 0.35)),
                ("font-size", num(LABEL_SIZE)),
                ("font-weight", "600".into()),
                ("fill", colour.text.into()),
            ],
            &c.label,
        );
    }
    w.end("g");
    frame.close(w)
}
