//! What every chart shares: the `<svg>` root with its accessible title and
//! description, the header (title, subtitle), the footer (sources, notes), and for
//! charts over time the axes and the event markers.

use super::fonts::{Weight, text_width, wrap};
use super::scale::{Linear, Ticks, nice_ticks, step_decimals, year_ticks};
use super::svg::{Writer, num};
use super::theme::*;
use super::{EventMarker, Meta, Size, ValueAxis};

const TITLE_LINE: f64 = 25.0;
const SUBTITLE_LINE: f64 = 19.0;
const FOOTER_LINE: f64 = 15.0;
const EVENT_ROW: f64 = 14.0;

/// The chart's outer layout: size, id, and the wrapped header and footer lines.
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub id: String,
    title: String,
    title_lines: Vec<String>,
    subtitle_lines: Vec<String>,
    footer_lines: Vec<String>,
}

/// A lowercase-hyphenated id from a title: "chart-japan-s-military-burden".
fn slug(title: &str) -> String {
    let mut s = String::from("chart-");
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
            dash = false;
        } else if !dash {
            s.push('-');
            dash = true;
        }
        if s.len() >= 48 {
            break;
        }
    }
    s.trim_end_matches('-').to_string()
}

/// "Source: A (v)." or "Sources: A (v); B (v)."
pub fn source_line(meta: &Meta) -> String {
    let texts: Vec<String> = meta.sources.iter().map(|s| s.text()).collect();
    match texts.len() {
        0 => "Source: not stated.".to_string(),
        1 => format!("Source: {}.", texts[0].trim_end_matches('.')),
        _ => format!("Sources: {}.", texts.join("; ").trim_end_matches('.')),
    }
}

impl Frame {
    /// Wrap the header and footer for the chart's width. `extra_notes` are footer
    /// lines the chart kind adds ("Dashed lines are projections.").
    pub fn new(meta: &Meta, default: Size, extra_notes: &[String]) -> Frame {
        let size = meta.size.unwrap_or(default);
        let width = size.width.max(320.0);
        let text_width = width - 2.0 * PAD;
        let title_lines = wrap(&meta.title, TITLE_SIZE, Weight::SemiBold, text_width);
        let subtitle_lines = wrap(&meta.subtitle, SUBTITLE_SIZE, Weight::Regular, text_width);
        let mut footer_lines = wrap(&source_line(meta), FOOTER_SIZE, Weight::Regular, text_width);
        for note in meta.notes.iter().chain(extra_notes) {
            footer_lines.extend(wrap(note, FOOTER_SIZE, Weight::Regular, text_width));
        }
        Frame {
            width,
            height: size.height.max(200.0),
            id: if meta.id.trim().is_empty() {
                slug(&meta.title)
            } else {
                meta.id.trim().to_string()
            },
            title: meta.title.clone(),
            title_lines,
            subtitle_lines,
            footer_lines,
        }
    }

    /// The y below the header's last line.
    pub fn header_bottom(&self) -> f64 {
        let mut y =
            PAD + TITLE_SIZE * 0.8 + (self.title_lines.len().max(1) - 1) as f64 * TITLE_LINE;
        if !self.subtitle_lines.is_empty() {
            y += 8.0 + SUBTITLE_SIZE * 0.9 + (self.subtitle_lines.len() - 1) as f64 * SUBTITLE_LINE;
        }
        y + 6.0
    }

    /// Height of the footer block, from its first line's top to the bottom padding.
    pub fn footer_height(&self) -> f64 {
        self.footer_lines.len() as f64 * FOOTER_LINE + PAD
    }

    /// The y where the footer block starts.
    pub fn footer_top(&self) -> f64 {
        self.height - self.footer_height()
    }

    /// The `<svg>` root, accessible title and description, background and header.
    pub fn open(&self, kind: &str, description: &str) -> Writer {
        let mut w = Writer::new();
        let (wd, ht) = (num(self.width), num(self.height));
        w.start(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg".into()),
                ("width", wd.clone()),
                ("height", ht.clone()),
                ("viewBox", format!("0 0 {wd} {ht}")),
                ("role", "img".into()),
                (
                    "aria-labelledby",
                    format!("{id}-title {id}-desc", id = self.id),
                ),
                ("id", self.id.clone()),
                ("data-chart", kind.into()),
                ("font-family", FONT_FAMILY.into()),
            ],
        );
        w.text(
            "title",
            &[("id", format!("{}-title", self.id))],
            &self.title,
        );
        w.text("desc", &[("id", format!("{}-desc", self.id))], description);
        w.leaf(
            "rect",
            &[("width", wd), ("height", ht), ("fill", BACKGROUND.into())],
        );
        w.start("g", &[("class", "header".into())]);
        let mut y = PAD + TITLE_SIZE * 0.8;
        for (i, line) in self.title_lines.iter().enumerate() {
            if i > 0 {
                y += TITLE_LINE;
            }
            w.text(
                "text",
                &[
                    ("x", num(PAD)),
                    ("y", num(y)),
                    ("font-size", num(TITLE_SIZE)),
                    ("font-weight", "600".into()),
                    ("fill", TITLE_COLOUR.into()),
                ],
                line,
            );
        }
        if !self.subtitle_lines.is_empty() {
            y += 8.0 + SUBTITLE_SIZE * 0.9;
            for (i, line) in self.subtitle_lines.iter().enumerate() {
                if i > 0 {
                    y += SUBTITLE_LINE;
                }
                w.text(
                    "text",
                    &[
                        ("x", num(PAD)),
                        ("y", num(y)),
                        ("font-size", num(SUBTITLE_SIZE)),
                        ("fill", SUBTITLE_COLOUR.into()),
                    ],
                    line,
                );
            }
        }
        w.end("g");
        w
    }

    /// The footer (sources and notes) and the closing tag.
    pub fn close(&self, mut w: Writer) -> String {
        w.start("g", &[("class", "footer".into())]);
        let mut y = self.footer_top() + FOOTER_SIZE;
        for line in &self.footer_lines {
            w.text(
                "text",
                &[
                    ("x", num(PAD)),
                    ("y", num(y)),
                    ("font-size", num(FOOTER_SIZE)),
                    ("fill", FOOTER_TEXT.into()),
                ],
                line,
            );
            y += FOOTER_LINE;
        }
        w.end("g");
        w.end("svg");
        w.finish()
    }
}

/// A white outline behind text, so a label stays readable where it crosses a line.
pub fn halo() -> [(&'static str, String); 4] {
    [
        ("stroke", BACKGROUND.into()),
        ("stroke-width", "3".into()),
        ("stroke-linejoin", "round".into()),
        ("paint-order", "stroke".into()),
    ]
}

/// Positions for labels that want `desired` y values but must stay `gap` apart and
/// within `[lo, hi]`; returned in the input order.
pub fn spread(desired: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..desired.len()).collect();
    order.sort_by(|&a, &b| desired[a].total_cmp(&desired[b]).then(a.cmp(&b)));
    let mut pos: Vec<f64> = order.iter().map(|&i| desired[i].clamp(lo, hi)).collect();
    for k in 1..pos.len() {
        pos[k] = pos[k].max(pos[k - 1] + gap);
    }
    if let Some(last) = pos.last_mut()
        && *last > hi
    {
        *last = hi;
    }
    for k in (0..pos.len().saturating_sub(1)).rev() {
        pos[k] = pos[k].min(pos[k + 1] - gap);
    }
    for k in 0..pos.len() {
        if pos[k] < lo {
            pos[k] = lo.max(if k > 0 { pos[k - 1] + gap } else { lo });
        }
    }
    let mut out = vec![0.0; desired.len()];
    for (k, &i) in order.iter().enumerate() {
        out[i] = pos[k];
    }
    out
}

/// An event marker placed on the time axis.
pub struct PlacedEvent<'a> {
    pub marker: &'a EventMarker,
    pub x: f64,
    /// 0 is the row nearest the plot.
    pub row: usize,
    /// The label, or its number in the key when labels do not fit.
    pub text: String,
    /// Label to the left of the line (near the right edge).
    pub anchor_end: bool,
}

pub struct EventLayout<'a> {
    pub placed: Vec<PlacedEvent<'a>>,
    pub rows: usize,
    /// Labels did not fit: markers carry numbers and `key` lists them under the plot,
    /// each line as (number, "date: label") runs.
    pub numbered: bool,
    pub key: Vec<Vec<(String, String)>>,
}

impl EventLayout<'_> {
    pub fn band_height(&self) -> f64 {
        if self.rows == 0 {
            0.0
        } else {
            self.rows as f64 * EVENT_ROW + 4.0
        }
    }

    pub fn key_height(&self) -> f64 {
        if self.key.is_empty() {
            0.0
        } else {
            self.key.len() as f64 * FOOTER_LINE + 8.0
        }
    }
}

/// The layout of a chart over time: scales, plot box, ticks and events.
pub struct TimeAxes<'a> {
    pub x: Linear,
    pub y: Linear,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub y_ticks: Ticks,
    pub years: Vec<i32>,
    pub events: EventLayout<'a>,
    /// Baseline of the event band's top row.
    pub band_top: f64,
    pub x_label_y: f64,
    pub key_top: f64,
}

/// Tick label of a value axis: the number with its prefix, and the suffix when it is
/// short ("2%"; "$50" with "US$ billion" on the axis).
pub fn tick_label(axis: &ValueAxis, v: f64, decimals: u8) -> String {
    let f = &axis.format;
    let x = v / f.scale;
    let text = format!("{:.*}", decimals as usize, x.abs());
    let negative = x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let suffix = if f.suffix == "%" { "%" } else { "" };
    format!(
        "{}{}{}{}",
        if negative { "−" } else { "" },
        f.prefix,
        text,
        suffix
    )
}

/// The y domain: the data's range (with zero unless the axis says otherwise), widened
/// to nice ticks; forced ends are kept as given.
pub fn value_ticks(axis: &ValueAxis, lo: f64, hi: f64, target: f64) -> Ticks {
    let (mut lo, mut hi) = (lo, hi);
    if !lo.is_finite() || !hi.is_finite() {
        lo = 0.0;
        hi = 1.0;
    }
    if axis.include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if let Some(m) = axis.min {
        lo = m;
    }
    if let Some(m) = axis.max {
        hi = m;
    }
    let mut t = nice_ticks(lo, hi, target);
    if let Some(m) = axis.min {
        t.min = m;
        t.values.retain(|v| *v >= m - 1e-9);
    }
    if let Some(m) = axis.max {
        t.max = m;
        t.values.retain(|v| *v <= m + 1e-9);
    }
    t
}

/// Everything a time chart needs to know to lay itself out.
pub struct TimeSpec<'a> {
    pub axis: &'a ValueAxis,
    pub x_label: &'a str,
    pub t_range: (f64, f64),
    pub values: (f64, f64),
    /// Width of the labels drawn right of the plot (line ends).
    pub right_labels: f64,
    pub events: &'a [EventMarker],
}

pub fn time_layout<'a>(frame: &mut Frame, spec: TimeSpec<'a>) -> TimeAxes<'a> {
    let (t0, t1) = spec.t_range;
    let y_ticks = value_ticks(spec.axis, spec.values.0, spec.values.1, 5.0);
    let decimals = step_decimals(y_ticks.step / spec.axis.format.scale);
    let label_w = y_ticks
        .values
        .iter()
        .map(|v| {
            text_width(
                &tick_label(spec.axis, *v, decimals),
                AXIS_SIZE,
                Weight::Regular,
            )
        })
        .fold(0.0, f64::max);
    let left = PAD + label_w + 8.0;
    let right_labels = spec.right_labels.min(frame.width * 0.3);
    let right = frame.width
        - PAD
        - if right_labels > 0.0 {
            right_labels + 10.0
        } else {
            4.0
        };
    let x = Linear::new((t0, t1), (left, right));
    let in_range: Vec<&'a EventMarker> = spec
        .events
        .iter()
        .filter(|e| e.t >= t0 && e.t <= t1)
        .collect();
    // Labels may run into the right margin (above the line-end labels).
    let layout = layout_events(
        in_range,
        |t| x.map(t),
        left,
        frame.width - PAD - 8.0,
        frame.width - 2.0 * PAD,
    );
    let band_top = frame.header_bottom() + 10.0;
    let unit_baseline = band_top + layout.band_height() + AXIS_SIZE + 4.0;
    let top = unit_baseline + 10.0;
    let below =
        22.0 + if spec.x_label.is_empty() { 0.0 } else { 16.0 } + layout.key_height() + 10.0;
    let min_plot = 140.0;
    let needed = top + min_plot + below + frame.footer_height();
    if frame.height < needed {
        frame.height = needed.ceil();
    }
    let bottom = frame.footer_top() - below;
    let y = Linear::new((y_ticks.min, y_ticks.max), (bottom, top));
    let max_ticks = ((right - left) / 46.0).floor().max(2.0) as usize;
    let years = year_ticks(t0, t1, max_ticks);
    TimeAxes {
        x,
        y,
        left,
        right,
        top,
        bottom,
        y_ticks,
        years,
        band_top,
        x_label_y: bottom + 22.0 + 14.0,
        key_top: bottom + 22.0 + if spec.x_label.is_empty() { 0.0 } else { 16.0 } + 6.0,
        events: layout,
    }
}

/// A group of markers sharing one label: their lines' x positions and the label.
struct Group {
    first: usize,
    last: usize,
    xs: (f64, f64),
    text: String,
}

/// Rows for labels: each group's label sits right of its last line (left of its
/// first near the right edge) in the lowest row where it overlaps no other label and
/// no line from a higher row crosses it, nor does its own line cross a lower label.
fn place_rows(
    groups: &[Group],
    left: f64,
    right: f64,
    max_rows: usize,
) -> Option<Vec<(usize, bool)>> {
    const GAP: f64 = 6.0;
    // (row, label interval, line xs)
    let mut taken: Vec<(usize, f64, f64, f64, f64)> = Vec::new();
    let mut out = Vec::new();
    for g in groups {
        let w = text_width(&g.text, EVENT_SIZE, Weight::Regular);
        let anchor_end = g.xs.1 + 3.0 + w > right + 8.0;
        let (a, b) = if anchor_end {
            (g.xs.0 - 3.0 - w, g.xs.0)
        } else {
            (g.xs.1, g.xs.1 + 3.0 + w)
        };
        if a < left - 40.0 {
            return None;
        }
        let row = (0..max_rows).find(|&r| {
            taken.iter().all(|&(tr, ta, tb, tx0, tx1)| {
                let overlaps = tr == r && a < tb + GAP && ta < b + GAP;
                let crossed = tr > r && tx1 > a - 2.0 && tx0 < b + 2.0;
                let crosses = tr < r && g.xs.1 > ta - 2.0 && g.xs.0 < tb + 2.0;
                !(overlaps || crossed || crosses)
            })
        })?;
        taken.push((row, a, b, g.xs.0, g.xs.1));
        out.push((row, anchor_end));
    }
    Some(out)
}

/// Markers closer than this (px) share one numbered label.
const CLUSTER: f64 = 12.0;

/// Place event labels in up to three rows above the plot without overlaps; when they
/// do not fit, number the markers (one label for markers a few pixels apart: "2–4")
/// and list them in a key under the plot.
fn layout_events<'a>(
    refs: Vec<&'a EventMarker>,
    x_of: impl Fn(f64) -> f64,
    left: f64,
    right: f64,
    key_width: f64,
) -> EventLayout<'a> {
    let mut sorted = refs;
    sorted.sort_by(|a, b| a.t.total_cmp(&b.t).then(a.key.cmp(&b.key)));
    let xs: Vec<f64> = sorted.iter().map(|e| x_of(e.t)).collect();
    let assemble = |groups: &[Group], rows: &[(usize, bool)]| -> Vec<PlacedEvent<'a>> {
        let mut placed = Vec::new();
        for (g, &(row, anchor_end)) in groups.iter().zip(rows) {
            for i in g.first..=g.last {
                placed.push(PlacedEvent {
                    marker: sorted[i],
                    x: xs[i],
                    row,
                    // The label belongs to the line it sits beside.
                    text: if (anchor_end && i == g.first) || (!anchor_end && i == g.last) {
                        g.text.clone()
                    } else {
                        String::new()
                    },
                    anchor_end,
                });
            }
        }
        placed
    };
    let singles: Vec<Group> = sorted
        .iter()
        .enumerate()
        .map(|(i, e)| Group {
            first: i,
            last: i,
            xs: (xs[i], xs[i]),
            text: e.label.clone(),
        })
        .collect();
    if let Some(rows) = place_rows(&singles, left, right, 3) {
        let n = rows.iter().map(|r| r.0 + 1).max().unwrap_or(0);
        return EventLayout {
            placed: assemble(&singles, &rows),
            rows: n,
            numbered: false,
            key: Vec::new(),
        };
    }
    let mut groups: Vec<Group> = Vec::new();
    for (i, &x) in xs.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if x - g.xs.1 < CLUSTER => {
                g.last = i;
                g.xs.1 = x;
            }
            _ => groups.push(Group {
                first: i,
                last: i,
                xs: (x, x),
                text: String::new(),
            }),
        }
    }
    for g in &mut groups {
        g.text = if g.first == g.last {
            format!("{}", g.first + 1)
        } else {
            format!("{}–{}", g.first + 1, g.last + 1)
        };
    }
    let rows = place_rows(&groups, left, right, 8)
        .unwrap_or_else(|| (0..groups.len()).map(|i| (i, false)).collect());
    let n = rows.iter().map(|r| r.0 + 1).max().unwrap_or(0);
    let mut key = Vec::new();
    let mut line: Vec<(String, String)> = Vec::new();
    let width = |runs: &[(String, String)]| {
        runs.iter()
            .map(|(n, t)| text_width(&format!("{n} {t}   "), FOOTER_SIZE, Weight::Regular))
            .sum::<f64>()
    };
    for (i, e) in sorted.iter().enumerate() {
        let entry = ((i + 1).to_string(), format!("{}: {}", e.date, e.label));
        let mut candidate = line.clone();
        candidate.push(entry.clone());
        if line.is_empty() || width(&candidate) <= key_width {
            line = candidate;
        } else {
            key.push(std::mem::take(&mut line));
            line.push(entry);
        }
    }
    if !line.is_empty() {
        key.push(line);
    }
    EventLayout {
        placed: assemble(&groups, &rows),
        rows: n,
        numbered: true,
        key,
    }
}

/// Gridlines, value tick labels, the unit label, and the year axis.
pub fn draw_time_axes(w: &mut Writer, a: &TimeAxes, axis: &ValueAxis, x_label: &str) {
    draw_value_grid_horizontal(w, a, axis);
    w.start("g", &[("class", "x-axis".into())]);
    for year in &a.years {
        let x = a.x.map(*year as f64 + 0.5);
        w.leaf(
            "line",
            &[
                ("x1", num(x)),
                ("x2", num(x)),
                ("y1", num(a.bottom)),
                ("y2", num(a.bottom + 4.0)),
                ("stroke", ZERO_LINE.into()),
                ("stroke-width", "1".into()),
            ],
        );
        w.text(
            "text",
            &[
                ("x", num(x)),
                ("y", num(a.bottom + 18.0)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", AXIS_TEXT.into()),
                ("text-anchor", "middle".into()),
            ],
            &year.to_string(),
        );
    }
    if !x_label.is_empty() {
        w.text(
            "text",
            &[
                ("x", num((a.left + a.right) / 2.0)),
                ("y", num(a.x_label_y)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", AXIS_TEXT.into()),
                ("text-anchor", "middle".into()),
            ],
            x_label,
        );
    }
    w.end("g");
}

fn draw_value_grid_horizontal(w: &mut Writer, a: &TimeAxes, axis: &ValueAxis) {
    let decimals = step_decimals(a.y_ticks.step / axis.format.scale);
    w.start("g", &[("class", "y-axis".into())]);
    for v in &a.y_ticks.values {
        let y = a.y.map(*v);
        let zero = v.abs() < 1e-12;
        w.leaf(
            "line",
            &[
                ("x1", num(a.left)),
                ("x2", num(a.right)),
                ("y1", num(y)),
                ("y2", num(y)),
                ("stroke", if zero { ZERO_LINE } else { GRID }.into()),
                ("stroke-width", "1".into()),
            ],
        );
        w.text(
            "text",
            &[
                ("x", num(a.left - 8.0)),
                ("y", num(y + AXIS_SIZE * 0.35)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", AXIS_TEXT.into()),
                ("text-anchor", "end".into()),
            ],
            &tick_label(axis, *v, decimals),
        );
    }
    // A baseline at the bottom when zero is not on the axis.
    if a.y_ticks.min.abs() > 1e-12 {
        w.leaf(
            "line",
            &[
                ("x1", num(a.left)),
                ("x2", num(a.right)),
                ("y1", num(a.bottom)),
                ("y2", num(a.bottom)),
                ("stroke", ZERO_LINE.into()),
                ("stroke-width", "1".into()),
            ],
        );
    }
    if !axis.label.is_empty() {
        w.text(
            "text",
            &[
                ("x", num(PAD)),
                ("y", num(a.top - 10.0)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", AXIS_TEXT.into()),
                ("class", "axis-label".into()),
            ],
            &axis.label,
        );
    }
    w.end("g");
}

/// Horizontal reference lines (targets) across the plot, labelled at the left end.
pub fn draw_references(w: &mut Writer, a: &TimeAxes, refs: &[super::ReferenceLine]) {
    for r in refs {
        if r.value < a.y_ticks.min || r.value > a.y_ticks.max {
            continue;
        }
        let y = a.y.map(r.value);
        w.start(
            "g",
            &[
                ("class", "reference".into()),
                ("data-value", super::svg::full(r.value)),
            ],
        );
        w.leaf(
            "line",
            &[
                ("x1", num(a.left)),
                ("x2", num(a.right)),
                ("y1", num(y)),
                ("y2", num(y)),
                ("stroke", REFERENCE.into()),
                ("stroke-width", "1.2".into()),
                ("stroke-dasharray", "5 4".into()),
            ],
        );
        let mut attrs = vec![
            ("x", num(a.left + 4.0)),
            ("y", num(y - 5.0)),
            ("font-size", num(EVENT_SIZE)),
            ("fill", REFERENCE.to_string()),
        ];
        attrs.extend(halo());
        w.text("text", &attrs, &r.label);
        w.end("g");
    }
}

/// Event markers: a dotted vertical line from the label down through the plot, the
/// label (or its number) above, the description as hover text.
pub fn draw_events(w: &mut Writer, a: &TimeAxes) {
    let ev = &a.events;
    if ev.placed.is_empty() {
        return;
    }
    w.start("g", &[("class", "events".into())]);
    for p in &ev.placed {
        let baseline = a.band_top + (ev.rows - 1 - p.row) as f64 * EVENT_ROW + EVENT_SIZE;
        // Lines of a labelled marker start at its label; the others of its group too.
        let m = p.marker;
        w.start(
            "g",
            &[
                ("class", "event".into()),
                ("data-key", m.key.clone()),
                ("data-date", m.date.clone()),
            ],
        );
        let hover = if m.description.is_empty() {
            format!("{}: {}", m.date, m.label)
        } else {
            format!("{}: {}. {}", m.date, m.label, m.description)
        };
        w.text("title", &[], &hover);
        w.leaf(
            "line",
            &[
                ("x1", num(p.x)),
                ("x2", num(p.x)),
                ("y1", num(baseline - EVENT_SIZE + 1.0)),
                ("y2", num(a.bottom)),
                ("stroke", EVENT_LINE.into()),
                ("stroke-width", "1".into()),
                ("stroke-dasharray", "2 3".into()),
            ],
        );
        let (x, anchor) = if p.anchor_end {
            (p.x - 3.0, "end")
        } else {
            (p.x + 3.0, "start")
        };
        let mut attrs = vec![
            ("x", num(x)),
            ("y", num(baseline)),
            ("font-size", num(EVENT_SIZE)),
            ("fill", EVENT_TEXT.into()),
            ("text-anchor", anchor.to_string()),
        ];
        if ev.numbered {
            attrs.push(("font-weight", "600".into()));
        }
        if !p.text.is_empty() {
            attrs.extend(halo());
            w.text("text", &attrs, &p.text);
        }
        w.end("g");
    }
    if ev.numbered {
        let mut y = a.key_top + FOOTER_SIZE;
        for line in &ev.key {
            let runs: Vec<(String, bool)> = line
                .iter()
                .enumerate()
                .flat_map(|(i, (n, t))| {
                    let sep = if i + 1 < line.len() { "   " } else { "" };
                    [(n.clone(), true), (format!(" {t}{sep}"), false)]
                })
                .collect();
            w.runs(
                &[
                    ("x", num(PAD)),
                    ("y", num(y)),
                    ("font-size", num(FOOTER_SIZE)),
                    ("fill", EVENT_TEXT.into()),
                    ("class", "event-key".into()),
                    ("xml:space", "preserve".into()),
                ],
                &runs,
            );
            y += FOOTER_LINE;
        }
    }
    w.end("g");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_keeps_labels_apart_and_in_bounds() {
        let out = spread(&[100.0, 101.0, 102.0, 300.0], 14.0, 0.0, 400.0);
        assert_eq!(out, vec![100.0, 114.0, 128.0, 300.0]);
        let out = spread(&[395.0, 396.0], 14.0, 0.0, 400.0);
        assert_eq!(out, vec![386.0, 400.0]);
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(
            slug("Japan's burden, 1990–2024"),
            "chart-japan-s-burden-1990-2024"
        );
    }
}
