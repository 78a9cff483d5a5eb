//! The font charts are drawn in: subsets of Inter Regular and SemiBold (SIL Open Font
//! License 1.1; files, licence and the subsetting command in `crates/report/fonts/`).
//!
//! Compiled into the binary, so layout and PNG output never depend on the fonts a
//! machine has installed. The layout measures text with these glyph advances; the
//! subsets carry no kerning or ligature tables, so the measure is what the PNG draws.

use std::sync::OnceLock;

use base64::Engine;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

pub static INTER_REGULAR: &[u8] = include_bytes!("../../fonts/Inter-Regular-subset.otf");
pub static INTER_SEMIBOLD: &[u8] = include_bytes!("../../fonts/Inter-SemiBold-subset.otf");

/// The family name in the font files (and first in every chart's `font-family`).
pub const FAMILY: &str = "Inter";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    SemiBold,
}

impl Weight {
    pub fn css(self) -> u16 {
        match self {
            Weight::Regular => 400,
            Weight::SemiBold => 600,
        }
    }
}

/// Advance widths at 1 px, by character, for the characters the subset covers.
struct Metrics {
    advances: Vec<(char, f32)>,
    fallback: f32,
}

fn load(bytes: &'static [u8]) -> Metrics {
    let Ok(font) = FontRef::new(bytes) else {
        // The bytes are compiled in and tested; an estimate keeps layout going if not.
        return Metrics {
            advances: Vec::new(),
            fallback: 0.6,
        };
    };
    let glyphs = font.glyph_metrics(Size::new(1.0), LocationRef::default());
    let mut advances: Vec<(char, f32)> = font
        .charmap()
        .mappings()
        .filter_map(|(code, gid)| Some((char::from_u32(code)?, glyphs.advance_width(gid)?)))
        .collect();
    advances.sort_by_key(|(c, _)| *c);
    let zero = advances
        .binary_search_by_key(&'0', |(c, _)| *c)
        .map(|i| advances[i].1)
        .unwrap_or(0.6);
    Metrics {
        advances,
        fallback: zero,
    }
}

fn metrics(weight: Weight) -> &'static Metrics {
    static REGULAR: OnceLock<Metrics> = OnceLock::new();
    static SEMIBOLD: OnceLock<Metrics> = OnceLock::new();
    match weight {
        Weight::Regular => REGULAR.get_or_init(|| load(INTER_REGULAR)),
        Weight::SemiBold => SEMIBOLD.get_or_init(|| load(INTER_SEMIBOLD)),
    }
}

/// Width of `text` in px at `size` px.
pub fn text_width(text: &str, size: f64, weight: Weight) -> f64 {
    let m = metrics(weight);
    let em: f32 = text
        .chars()
        .map(|c| {
            m.advances
                .binary_search_by_key(&c, |(k, _)| *k)
                .map(|i| m.advances[i].1)
                .unwrap_or(m.fallback)
        })
        .sum();
    em as f64 * size
}

/// Characters of `text` the shipped font cannot draw (they would render as a box in
/// PNG output; browsers fall back to another font).
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let m = metrics(Weight::Regular);
    let mut out: Vec<char> = text
        .chars()
        .filter(|c| !c.is_control())
        .filter(|c| m.advances.binary_search_by_key(c, |(k, _)| *k).is_err())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Split `text` into lines no wider than `max_width` px, at spaces.
pub fn wrap(text: &str, size: f64, weight: Weight, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || text_width(&candidate, size, weight) <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// CSS `@font-face` rules with both subsets as base64 data URLs (about 65 KB), for a
/// self-contained HTML page that shows the SVGs inline in the same font as the PNGs.
pub fn font_face_css() -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    [(INTER_REGULAR, Weight::Regular), (INTER_SEMIBOLD, Weight::SemiBold)]
        .iter()
        .map(|(bytes, weight)| {
            format!(
                "@font-face{{font-family:\"{FAMILY}\";font-style:normal;font-weight:{};src:url(data:font/otf;base64,{}) format(\"opentype\");}}\n",
                weight.css(),
                b64.encode(bytes)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_fonts_measure_text() {
        let w = text_width("Japan", 12.0, Weight::Regular);
        assert!(w > 25.0 && w < 45.0, "{w}");
        assert!(text_width("Japan", 12.0, Weight::SemiBold) > w);
        assert_eq!(text_width("", 12.0, Weight::Regular), 0.0);
        // Every character the charts print themselves is in the subset.
        assert!(missing_glyphs("−0.6 pp · ₩ ¥ € $ % – — “Türkiye” Côte d’Ivoire ≥ ● …").is_empty());
        assert_eq!(missing_glyphs("防衛 ok"), vec!['衛', '防']);
    }

    #[test]
    fn wrap_keeps_lines_within_the_width() {
        let text = "Source: SIPRI Military Expenditure Database (SIPRI 2025); NATO, Defence Expenditure of NATO Countries (2014-2024) (NATO June 2024)";
        let lines = wrap(text, 11.0, Weight::Regular, 300.0);
        assert!(lines.len() >= 2);
        for l in &lines {
            assert!(text_width(l, 11.0, Weight::Regular) <= 300.0, "{l}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn font_face_css_embeds_both_weights() {
        let css = font_face_css();
        assert_eq!(css.matches("@font-face").count(), 2);
        assert!(css.contains("font-weight:600"));
        assert!(css.len() < 80_000, "{}", css.len());
    }
}
