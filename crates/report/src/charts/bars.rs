//! Horizontal bars against a target: members sorted by value, a vertical target line,
//! each gap below the target labelled ("−0.6 pp"), members without data listed last
//! as "no data". The row layout is shared with the dot plot.

use super::fonts::{Weight, text_width};
use super::frame::{Frame, tick_label, value_ticks};
use super::scale::{Linear, Ticks, step_decimals};
use super::svg::{Writer, full, num};
use super::theme::*;
use super::{Bar, BarChart, ReferenceLine, Size, ValueAxis};

pub const ROW: f64 = 21.0;
pub const BAR: f64 = 13.0;
pub const WIDTH: f64 = 800.0;

/// Rows of labelled values over a horizontal value axis.
pub struct Rows {
    pub x: Linear,
    pub ticks: Ticks,
    pub decimals: u8,
    /// Right edge of the label column.
    pub label_right: f64,
    pub left: f64,
    pub right: f64,
    /// Top of the first row.
    pub top: f64,
    pub rows: usize,
}

impl Rows {
    pub fn bottom(&self) -> f64 {
        self.top + self.rows as f64 * ROW
    }

    /// Middle of row `i`.
    pub fn mid(&self, i: usize) -> f64 {
        self.top + (i as f64 + 0.5) * ROW
    }
}

pub struct RowSpec<'a> {
    pub axis: &'a ValueAxis,
    pub labels: Vec<(String, bool)>,
    pub values: Vec<f64>,
    pub reference: Option<&'a ReferenceLine>,
    /// Room for rank numbers before the labels.
    pub rank_width: f64,
    /// Room right of the largest value for its labels.
    pub value_room: f64,
    /// Height of what is drawn between the header and the first row.
    pub above: f64,
}

/// Space under the rows: tick labels and the axis label.
const UNDER_ROWS: f64 = 44.0;

pub fn row_layout(frame: &mut Frame, spec: &RowSpec) -> Rows {
    let label_w = spec
        .labels
        .iter()
        .map(|(l, bold)| {
            let weight = if *bold {
                Weight::SemiBold
            } else {
                Weight::Regular
            };
            text_width(l, LABEL_SIZE, weight)
        })
        .fold(0.0, f64::max)
        .min(frame.width * 0.35);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in spec
        .values
        .iter()
        .copied()
        .chain(spec.reference.map(|r| r.value))
        .filter(|v| v.is_finite())
    {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    let ticks = value_ticks(spec.axis, lo, hi, 5.0);
    let decimals = step_decimals(ticks.step / spec.axis.format.scale);
    let label_right = PAD + spec.rank_width + label_w;
    let left = label_right + 12.0;
    let right = frame.width - PAD - spec.value_room;
    let top = frame.header_bottom() + 12.0 + spec.above;
    let rows = spec.labels.len();
    let needed = top + rows as f64 * ROW + UNDER_ROWS + frame.footer_height();
    frame.height = needed.ceil();
    Rows {
        x: Linear::new((ticks.min, ticks.max), (left, right)),
        ticks,
        decimals,
        label_right,
        left,
        right,
        top,
        rows,
    }
}

/// Vertical gridlines through the rows, tick labels and the axis label below them.
pub fn draw_value_axis(w: &mut Writer, r: &Rows, axis: &ValueAxis) {
    w.start("g", &[("class", "x-axis".into())]);
    let bottom = r.bottom();
    for v in &r.ticks.values {
        let x = r.x.map(*v);
        let zero = v.abs() < 1e-12;
        w.leaf(
            "line",
            &[
                ("x1", num(x)),
                ("x2", num(x)),
                ("y1", num(r.top - 4.0)),
                ("y2", num(bottom)),
                ("stroke", if zero { ZERO_LINE } else { GRID }.into()),
                ("stroke-width", "1".into()),
            ],
        );
        w.text(
            "text",
            &[
                ("x", num(x)),
                ("y", num(bottom + 16.0)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", AXIS_TEXT.into()),
                ("text-anchor", "middle".into()),
            ],
            &tick_label(axis, *v, r.decimals),
        );
    }
    if !axis.label.is_empty() {
        w.text(
            "text",
            &[
                ("x", num((r.left + r.right) / 2.0)),
                ("y", num(bottom + 33.0)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", AXIS_TEXT.into()),
                ("text-anchor", "middle".into()),
                ("class", "axis-label".into()),
            ],
            &axis.label,
        );
    }
    w.end("g");
}

/// The reference (target) line through all rows, labelled above the first row.
pub fn draw_reference(w: &mut Writer, r: &Rows, reference: Option<&ReferenceLine>) {
    let Some(t) = reference else { return };
    if !t.value.is_finite() || t.value < r.ticks.min || t.value > r.ticks.max {
        return;
    }
    let x = r.x.map(t.value);
    w.start(
        "g",
        &[("class", "reference".into()), ("data-value", full(t.value))],
    );
    w.leaf(
        "line",
        &[
            ("x1", num(x)),
            ("x2", num(x)),
            ("y1", num(r.top - 16.0)),
            ("y2", num(r.bottom() + 2.0)),
            ("stroke", REFERENCE.into()),
            ("stroke-width", "1.5".into()),
            ("stroke-dasharray", "5 3".into()),
        ],
    );
    let w_label = text_width(&t.label, EVENT_SIZE, Weight::SemiBold);
    let (lx, anchor) = if x + 4.0 + w_label > r.right + PAD {
        (x - 4.0, "end")
    } else {
        (x + 4.0, "start")
    };
    w.text(
        "text",
        &[
            ("x", num(lx)),
            ("y", num(r.top - 8.0)),
            ("font-size", num(EVENT_SIZE)),
            ("font-weight", "600".into()),
            ("fill", REFERENCE.into()),
            ("text-anchor", anchor.into()),
        ],
        &t.label,
    );
    w.end("g");
}

/// A row's label, right-aligned against the plot; bold when highlighted.
pub fn draw_row_label(w: &mut Writer, r: &Rows, i: usize, label: &str, bold: bool, muted: bool) {
    let mut attrs = vec![
        ("x", num(r.label_right)),
        ("y", num(r.mid(i) + LABEL_SIZE * 0.35)),
        ("font-size", num(LABEL_SIZE)),
        ("fill", if muted { MUTED } else { TITLE_COLOUR }.to_string()),
        ("text-anchor", "end".into()),
    ];
    if bold {
        attrs.push(("font-weight", "600".into()));
    }
    w.text("text", &attrs, label);
}

/// Rows with values first (largest first), then rows without, in the given order.
pub fn sorted<T>(items: &[T], value: impl Fn(&T) -> Option<f64>, keep_order: bool) -> Vec<&T> {
    let mut with: Vec<&T> = items
        .iter()
        .filter(|i| value(i).is_some_and(f64::is_finite))
        .collect();
    let without: Vec<&T> = items
        .iter()
        .filter(|i| !value(i).is_some_and(f64::is_finite))
        .collect();
    if !keep_order {
        // Stable: ties keep the caller's order.
        with.sort_by(|a, b| {
            value(b)
                .unwrap_or_default()
                .total_cmp(&value(a).unwrap_or_default())
        });
    }
    with.extend(without);
    with
}

pub fn hover(label: &str, period: &str, value: &str, flags: &[String]) -> String {
    let mut s = if period.is_empty() {
        format!("{label}: {value}")
    } else {
        format!("{label}, {period}: {value}")
    };
    if !flags.is_empty() {
        s.push_str(&format!(" ({})", flags.join(", ")));
    }
    s
}

fn describe(c: &BarChart, rows: &[&Bar]) -> String {
    if !c.meta.description.is_empty() {
        return c.meta.description.clone();
    }
    let f = &c.x.format;
    let valued: Vec<&&Bar> = rows.iter().filter(|b| b.value.is_some()).collect();
    let missing: Vec<&str> = rows
        .iter()
        .filter(|b| b.value.is_none())
        .map(|b| b.label.as_str())
        .collect();
    let mut s = format!(
        "Bar chart of {} for {} members.",
        if c.x.label.is_empty() {
            "values"
        } else {
            &c.x.label
        },
        rows.len()
    );
    if let Some(t) = &c.target {
        let meets = valued
            .iter()
            .filter(|b| b.value.unwrap_or_default() >= t.value)
            .count();
        s.push_str(&format!(
            " {meets} at or above the {} ({}), {} below.",
            t.label,
            f.label(t.value),
            valued.len() - meets
        ));
    }
    if let (Some(first), Some(last)) = (valued.first(), valued.last()) {
        s.push_str(&format!(
            " Highest: {} {}; lowest: {} {}.",
            first.label,
            f.label(first.value.unwrap_or_default()),
            last.label,
            f.label(last.value.unwrap_or_default())
        ));
    }
    if !missing.is_empty() {
        s.push_str(&format!(" No data: {}.", missing.join(", ")));
    }
    s
}

/// A small legend: coloured squares with their meaning.
fn draw_legend(w: &mut Writer, y: f64, items: &[(&str, String)]) {
    w.start("g", &[("class", "legend".into())]);
    let mut x = PAD;
    for (colour, text) in items {
        w.leaf(
            "rect",
            &[
                ("x", num(x)),
                ("y", num(y - 9.5)),
                ("width", "11".into()),
                ("height", "11".into()),
                ("rx", "2".into()),
                ("fill", colour.to_string()),
            ],
        );
        w.text(
            "text",
            &[
                ("x", num(x + 16.0)),
                ("y", num(y)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", SUBTITLE_COLOUR.into()),
            ],
            text,
        );
        x += 16.0 + text_width(text, AXIS_SIZE, Weight::Regular) + 18.0;
    }
    w.end("g");
}

pub fn render(c: &BarChart) -> String {
    let rows = sorted(&c.bars, |b| b.value, c.keep_order);
    let f = &c.x.format;
    let target = c.target.as_ref().filter(|t| t.value.is_finite());
    // Room right of the longest bar for "4.12%  +2.1 pp".
    let value_room = rows
        .iter()
        .filter_map(|b| b.value)
        .map(|v| {
            let mut t = f.label(v);
            if let Some(tg) = target
                && v < tg.value
            {
                t.push_str("  ");
                t.push_str(&f.gap(v - tg.value));
            }
            text_width(&t, AXIS_SIZE, Weight::Regular)
        })
        .fold(text_width("no data", AXIS_SIZE, Weight::Regular), f64::max)
        + 10.0;
    let mut frame = Frame::new(
        &c.meta,
        Size {
            width: WIDTH,
            height: 400.0,
        },
        &[],
    );
    let legend_h = if target.is_some() { 22.0 } else { 0.0 };
    let spec = RowSpec {
        axis: &c.x,
        labels: rows
            .iter()
            .map(|b| (b.label.clone(), b.highlight))
            .collect(),
        values: rows.iter().filter_map(|b| b.value).collect(),
        reference: target,
        rank_width: 0.0,
        value_room,
        above: legend_h + 14.0,
    };
    let r = row_layout(&mut frame, &spec);
    let mut w = frame.open("bars", &describe(c, &rows));
    if let Some(t) = target {
        draw_legend(
            &mut w,
            frame.header_bottom() + 12.0 + 11.0,
            &[
                (MEETS.line, format!("At or above {}", t.label)),
                (BELOW.line, "Below, with the gap".to_string()),
            ],
        );
    }
    draw_value_axis(&mut w, &r, &c.x);
    w.start("g", &[("class", "bars".into())]);
    let x0 = r.x.map(0.0_f64.clamp(r.ticks.min, r.ticks.max));
    for (i, b) in rows.iter().enumerate() {
        if b.highlight {
            w.leaf(
                "rect",
                &[
                    ("x", num(PAD - 6.0)),
                    ("y", num(r.top + i as f64 * ROW)),
                    ("width", num(frame.width - 2.0 * PAD + 12.0)),
                    ("height", num(ROW)),
                    ("fill", "#f1f1f1".into()),
                ],
            );
        }
        draw_row_label(&mut w, &r, i, &b.label, b.highlight, b.value.is_none());
        let mid = r.mid(i);
        let Some(v) = b.value.filter(|v| v.is_finite()) else {
            w.text(
                "text",
                &[
                    ("class", "no-data".into()),
                    ("x", num(x0 + 4.0)),
                    ("y", num(mid + AXIS_SIZE * 0.35)),
                    ("font-size", num(AXIS_SIZE)),
                    ("fill", MUTED.into()),
                    ("data-key", b.key.clone()),
                ],
                "no data",
            );
            continue;
        };
        let xv = r.x.map(v);
        let below = target.is_some_and(|t| v < t.value);
        let colour = match target {
            Some(_) if below => BELOW.line,
            _ => MEETS.line,
        };
        let mut text = hover(&b.label, &b.period, &f.hover(v), &b.flags);
        if let Some(t) = target {
            let gap = v - t.value;
            text.push_str(&format!(
                "; {} {} the {}",
                f.gap(gap).trim_start_matches(['+', '−']),
                if gap < 0.0 { "below" } else { "above" },
                t.label
            ));
        }
        let mut attrs = vec![
            ("class", "mark".to_string()),
            ("x", num(xv.min(x0))),
            ("y", num(mid - BAR / 2.0)),
            ("width", num((xv - x0).abs())),
            ("height", num(BAR)),
            ("fill", colour.to_string()),
            ("data-key", b.key.clone()),
            ("data-period", b.period.clone()),
            ("data-value", full(v)),
        ];
        if let Some(t) = target {
            attrs.push(("data-gap", full(v - t.value)));
        }
        if !b.flags.is_empty() {
            attrs.push(("data-flags", b.flags.join(";")));
        }
        w.mark("rect", &attrs, &text);
        // Below the target, value and gap sit in a column right of the target line,
        // clear of it; otherwise the value follows the bar.
        let label_x = match target {
            Some(t) if below => r.x.map(t.value).max(xv) + 6.0,
            _ => xv.max(x0) + 5.0,
        };
        let value_text = f.label(v);
        w.text(
            "text",
            &[
                ("x", num(label_x)),
                ("y", num(mid + AXIS_SIZE * 0.35)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", TITLE_COLOUR.into()),
            ],
            &value_text,
        );
        if let Some(t) = target
            && below
        {
            let gx = label_x + text_width(&format!("{value_text}  "), AXIS_SIZE, Weight::Regular);
            w.text(
                "text",
                &[
                    ("class", "gap".into()),
                    ("x", num(gx)),
                    ("y", num(mid + AXIS_SIZE * 0.35)),
                    ("font-size", num(AXIS_SIZE)),
                    ("font-weight", "600".into()),
                    ("fill", GAP_TEXT.into()),
                ],
                &f.gap(v - t.value),
            );
        }
    }
    w.end("g");
    draw_reference(&mut w, &r, target);
    frame.close(w)
}
