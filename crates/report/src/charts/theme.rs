//! Colours and type: one look for every chart.
//!
//! Series colours are the Okabe–Ito palette (Okabe & Ito, "Color Universal Design",
//! 2008), distinguishable with the common colour-vision deficiencies; its yellow is
//! left out (too light on white). Text in a series colour uses a darker shade of it so
//! labels keep a contrast of at least 4.5:1 on white.

/// A series colour: the line or fill, and the shade used for text in that colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Swatch {
    pub line: &'static str,
    pub text: &'static str,
}

/// Series colours in the order series take them.
pub const PALETTE: [Swatch; 7] = [
    Swatch {
        line: "#0072B2",
        text: "#0072B2",
    }, // blue
    Swatch {
        line: "#D55E00",
        text: "#B34E00",
    }, // vermillion
    Swatch {
        line: "#009E73",
        text: "#007857",
    }, // bluish green
    Swatch {
        line: "#CC79A7",
        text: "#A34F7E",
    }, // reddish purple
    Swatch {
        line: "#E69F00",
        text: "#946600",
    }, // orange
    Swatch {
        line: "#56B4E9",
        text: "#2A78A8",
    }, // sky blue
    Swatch {
        line: "#555555",
        text: "#444444",
    }, // grey
];

pub fn swatch(index: usize) -> Swatch {
    PALETTE[index % PALETTE.len()]
}

/// Generic fallbacks after Inter, for a viewer without it (the PNG never needs them).
pub const FONT_FAMILY: &str = "Inter, 'Helvetica Neue', Helvetica, Arial, sans-serif";

pub const TITLE_SIZE: f64 = 20.0;
pub const SUBTITLE_SIZE: f64 = 14.0;
pub const AXIS_SIZE: f64 = 12.0;
pub const LABEL_SIZE: f64 = 12.5;
pub const EVENT_SIZE: f64 = 11.0;
pub const FOOTER_SIZE: f64 = 11.0;

pub const TITLE_COLOUR: &str = "#1d1d1d";
pub const SUBTITLE_COLOUR: &str = "#555555";
pub const AXIS_TEXT: &str = "#666666";
pub const GRID: &str = "#e4e4e4";
pub const ZERO_LINE: &str = "#8c8c8c";
pub const FOOTER_TEXT: &str = "#6b6b6b";
pub const EVENT_LINE: &str = "#9a9a9a";
pub const EVENT_TEXT: &str = "#4d4d4d";
pub const REFERENCE: &str = "#333333";
pub const MUTED: &str = "#8a8a8a";
pub const BACKGROUND: &str = "#ffffff";

/// Compliance bars: at or above the target, and below it (blue and orange differ for
/// every common colour-vision deficiency).
pub const MEETS: Swatch = PALETTE[0];
pub const BELOW: Swatch = PALETTE[4];
/// Gap labels of members below the target.
pub const GAP_TEXT: &str = "#9c4a00";

/// Outer padding of every chart.
pub const PAD: f64 = 20.0;

/// Dash pattern of projections.
pub const PROJECTION_DASH: &str = "6 4";
