//! A minimal SVG writer: elements with escaped attributes and text, one per line,
//! numbers printed the same way on every machine.

use std::fmt::Write;

/// A coordinate or length with at most two decimals and no trailing zeros:
/// `12`, `12.5`, `12.25`; never `-0`.
pub fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_string();
    }
    let mut s = format!("{:.2}", x);
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" { "0".to_string() } else { s }
}

/// A value for a `data-value` attribute: full precision, shortest round-trip form.
pub fn full(x: f64) -> String {
    if x.is_finite() {
        let s = format!("{x}");
        if s == "-0" { "0".into() } else { s }
    } else {
        String::new()
    }
}

/// Escape text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Attributes in the order given.
pub type Attrs<'a> = &'a [(&'a str, String)];

#[derive(Debug, Default)]
pub struct Writer {
    buf: String,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    fn open_tag(&mut self, tag: &str, attrs: Attrs) {
        self.buf.push('<');
        self.buf.push_str(tag);
        for (k, v) in attrs {
            let _ = write!(self.buf, " {k}=\"{}\"", esc(v));
        }
    }

    /// `<tag a="b">` (then children, then [`Writer::end`]).
    pub fn start(&mut self, tag: &str, attrs: Attrs) {
        self.open_tag(tag, attrs);
        self.buf.push_str(">\n");
    }

    pub fn end(&mut self, tag: &str) {
        let _ = writeln!(self.buf, "</{tag}>");
    }

    /// `<tag a="b"/>`
    pub fn leaf(&mut self, tag: &str, attrs: Attrs) {
        self.open_tag(tag, attrs);
        self.buf.push_str("/>\n");
    }

    /// `<tag a="b">text</tag>`
    pub fn text(&mut self, tag: &str, attrs: Attrs, content: &str) {
        self.open_tag(tag, attrs);
        let _ = writeln!(self.buf, ">{}</{tag}>", esc(content));
    }

    /// `<text a="b">` of runs, the bold ones in `<tspan font-weight="600">`.
    pub fn runs(&mut self, attrs: Attrs, runs: &[(String, bool)]) {
        self.open_tag("text", attrs);
        self.buf.push('>');
        for (text, bold) in runs {
            if *bold {
                let _ = write!(self.buf, "<tspan font-weight=\"600\">{}</tspan>", esc(text));
            } else {
                self.buf.push_str(&esc(text));
            }
        }
        self.buf.push_str("</text>\n");
    }

    /// A data mark with its hover `<title>`: `<tag ...><title>..</title></tag>`.
    pub fn mark(&mut self, tag: &str, attrs: Attrs, title: &str) {
        self.open_tag(tag, attrs);
        let _ = writeln!(self.buf, "><title>{}</title></{tag}>", esc(title));
    }

    pub fn finish(self) -> String {
        self.buf
    }
}

/// A path through points: `M x y L x y ...`.
pub fn polyline(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{} {}",
            if i == 0 { "M" } else { " L" },
            num(*x),
            num(*y)
        );
    }
    d
}

/// A closed area between an upper and a lower line over the same x positions.
pub fn band(upper: &[(f64, f64)], lower: &[(f64, f64)]) -> String {
    let mut pts: Vec<(f64, f64)> = upper.to_vec();
    pts.extend(lower.iter().rev());
    let mut d = polyline(&pts);
    if !d.is_empty() {
        d.push_str(" Z");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(12.346), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(full(1.0100001), "1.0100001");
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn paths() {
        assert_eq!(polyline(&[(0.0, 1.0), (2.5, 3.0)]), "M0 1 L2.5 3");
        assert_eq!(
            band(&[(0.0, 1.0), (1.0, 1.0)], &[(0.0, 2.0), (1.0, 2.0)]),
            "M0 1 L1 1 L1 2 L0 2 Z"
        );
    }
}
