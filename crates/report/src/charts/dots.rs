//! A ranked dot plot: one dot per row, largest first, rank numbers at the left, a
//! faint guide line per row and the value beside each dot.

use super::bars::{
    RowSpec, draw_reference, draw_row_label, draw_value_axis, hover, row_layout, sorted,
};
use super::fonts::{Weight, text_width};
use super::frame::{Frame, halo};
use super::svg::{full, num};
use super::theme::*;
use super::{Dot, DotPlot, Size};

fn describe(c: &DotPlot, rows: &[&Dot]) -> String {
    if !c.meta.description.is_empty() {
        return c.meta.description.clone();
    }
    let f = &c.x.format;
    let ranked: Vec<String> = rows
        .iter()
        .filter_map(|d| Some(format!("{} {}", d.label, f.label(d.value?))))
        .collect();
    let mut s = format!(
        "Ranked dot plot of {}: {}.",
        if c.x.label.is_empty() {
            "values"
        } else {
            &c.x.label
        },
        ranked.join(", ")
    );
    let missing: Vec<&str> = rows
        .iter()
        .filter(|d| d.value.is_none())
        .map(|d| d.label.as_str())
        .collect();
    if !missing.is_empty() {
        s.push_str(&format!(" No data: {}.", missing.join(", ")));
    }
    s
}

pub fn render(c: &DotPlot) -> String {
    let rows = sorted(&c.dots, |d| d.value, c.keep_order);
    let f = &c.x.format;
    let reference = c.reference.as_ref().filter(|r| r.value.is_finite());
    let ranked = rows.iter().filter(|d| d.value.is_some()).count();
    let rank_width = text_width(&format!("{ranked}"), AXIS_SIZE, Weight::Regular) + 10.0;
    let value_room = rows
        .iter()
        .filter_map(|d| d.value)
        .map(|v| text_width(&f.label(v), AXIS_SIZE, Weight::Regular))
        .fold(text_width("no data", AXIS_SIZE, Weight::Regular), f64::max)
        + 14.0;
    let mut frame = Frame::new(
        &c.meta,
        Size {
            width: 800.0,
            height: 400.0,
        },
        &[],
    );
    let spec = RowSpec {
        axis: &c.x,
        labels: rows
            .iter()
            .map(|d| (d.label.clone(), d.highlight))
            .collect(),
        values: rows.iter().filter_map(|d| d.value).collect(),
        reference,
        rank_width,
        value_room,
        above: if reference.is_some() { 14.0 } else { 0.0 },
    };
    let r = row_layout(&mut frame, &spec);
    let mut w = frame.open("dots", &describe(c, &rows));
    draw_value_axis(&mut w, &r, &c.x);
    draw_reference(&mut w, &r, reference);
    w.start("g", &[("class", "dots".into())]);
    let mut rank = 0;
    for (i, d) in rows.iter().enumerate() {
        let mid = r.mid(i);
        draw_row_label(&mut w, &r, i, &d.label, d.highlight, d.value.is_none());
        let Some(v) = d.value.filter(|v| v.is_finite()) else {
            w.text(
                "text",
                &[
                    ("class", "no-data".into()),
                    ("x", num(r.left + 4.0)),
                    ("y", num(mid + AXIS_SIZE * 0.35)),
                    ("font-size", num(AXIS_SIZE)),
                    ("fill", MUTED.into()),
                    ("data-key", d.key.clone()),
                ],
                "no data",
            );
            continue;
        };
        rank += 1;
        w.text(
            "text",
            &[
                ("class", "rank".into()),
                ("x", num(PAD)),
                ("y", num(mid + AXIS_SIZE * 0.35)),
                ("font-size", num(AXIS_SIZE)),
                ("fill", MUTED.into()),
            ],
            &rank.to_string(),
        );
        let x = r.x.map(v);
        w.leaf(
            "line",
            &[
                ("x1", num(r.left)),
                ("x2", num(x)),
                ("y1", num(mid)),
                ("y2", num(mid)),
                ("stroke", "#d0d0d0".into()),
                ("stroke-width", "1".into()),
            ],
        );
        let colour = if d.highlight {
            PALETTE[1].line
        } else {
            PALETTE[0].line
        };
        let mut attrs = vec![
            ("class", "mark".to_string()),
            ("cx", num(x)),
            ("cy", num(mid)),
            ("r", "5.5".into()),
            ("fill", colour.to_string()),
            ("data-key", d.key.clone()),
            ("data-period", d.period.clone()),
            ("data-value", full(v)),
        ];
        if !d.flags.is_empty() {
            attrs.push(("data-flags", d.flags.join(";")));
        }
        w.mark(
            "circle",
            &attrs,
            &hover(&d.label, &d.period, &f.hover(v), &d.flags),
        );
        let mut attrs = vec![
            ("x", num(x + 10.0)),
            ("y", num(mid + AXIS_SIZE * 0.35)),
            ("font-size", num(AXIS_SIZE)),
            ("fill", TITLE_COLOUR.to_string()),
        ];
        attrs.extend(halo());
        w.text("text", &attrs, &f.label(v));
    }
    w.end("g");
    frame.close(w)
}
