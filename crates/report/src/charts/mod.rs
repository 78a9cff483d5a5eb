//! Charts: specifications in, SVG out.
//!
//! Four kinds, each a plain struct the caller fills and renders with `to_svg()`:
//!
//! - [`TimeSeriesChart`]: lines for several countries and definitions; history solid,
//!   projection dashed; optional event markers and reference lines (a target);
//! - [`BarChart`]: horizontal bars for target compliance, sorted, with a target line,
//!   each gap labelled ("−0.6 pp") and members without data listed as "no data";
//! - [`FanChart`]: a projection's median with 50% and 90% bands after a solid history;
//! - [`DotPlot`]: a ranked dot plot.
//!
//! Every chart has a title that states the finding (the caller's words), a subtitle
//! (what is measured), axis units, and a footer naming each source with its vintage
//! ("Source: SIPRI Military Expenditure Database (SIPRI 2025)"). [`Chart`] wraps any
//! kind, for callers that keep a list.
//!
//! ## What the SVG carries
//!
//! - Accessibility: `role="img"`, a `<title>` (the chart title) and a `<desc>` (what is
//!   plotted, generated from the data unless [`Meta::description`] is given), both
//!   referenced by `aria-labelledby`. Colours are the Okabe–Ito palette, readable with
//!   the common colour-vision deficiencies; projections differ by dash, not only colour.
//! - Values for hover and scripts, without JavaScript: every data mark (line point,
//!   bar, dot, fan quantile) is an element with class `mark` and the attributes
//!   `data-key` (series or row key, e.g. `JPN/sipri`), `data-period` (`2024`,
//!   `FY2025`) and `data-value` (full precision, as given), plus a `<title>` child a
//!   browser shows as a tooltip ("Japan, 2024: 1.36% of GDP"). Fan quantiles carry
//!   `data-q05` … `data-q95`. `document.querySelectorAll('.mark[data-value]')` reads a
//!   chart's numbers back.
//! - Text as `<text>` in `font-family="Inter, …, sans-serif"` with generic fallbacks:
//!   readable without the font; laid out with Inter's metrics (see [`fonts`]).
//!
//! ## Determinism
//!
//! No clock, no randomness, no hash-map order, no system fonts: coordinates are
//! printed with at most two decimals from the specification alone. Two renders of one
//! specification are byte-identical (tested).

mod bars;
pub mod data;
mod dots;
mod fan;
pub mod fonts;
mod frame;
mod png;
mod scale;
pub mod scenario;
mod svg;
mod theme;
mod time_series;

use serde::{Deserialize, Serialize};

pub use png::{ChartError, to_png};
pub use theme::PALETTE;

/// Pixel size of a chart (the SVG's width and height; PNG multiplies by its scale).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

/// A source the footer names: "SIPRI Military Expenditure Database (SIPRI 2025)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// The publication's title, or publisher and title.
    pub title: String,
    /// The release: "SIPRI 2025", "NATO June 2024".
    pub vintage: String,
}

impl SourceRef {
    pub fn new(title: impl Into<String>, vintage: impl Into<String>) -> SourceRef {
        SourceRef {
            title: title.into(),
            vintage: vintage.into(),
        }
    }

    /// "Title (vintage)", or the title alone when the vintage is empty or repeats it.
    pub fn text(&self) -> String {
        if self.vintage.trim().is_empty() || self.title.contains(&self.vintage) {
            self.title.clone()
        } else {
            format!("{} ({})", self.title, self.vintage)
        }
    }
}

/// What every chart carries besides its data: the words around it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// States the finding: "Japan's military burden doubled in a decade".
    pub title: String,
    /// What is measured: "Military expenditure, % of GDP, SIPRI definition".
    pub subtitle: String,
    /// Footer: "Source: A (vintage); B (vintage)."
    pub sources: Vec<SourceRef>,
    /// Footer lines after the sources ("Japan: fiscal years from April.").
    pub notes: Vec<String>,
    /// The SVG's `<desc>`; generated from the data when empty.
    pub description: String,
    /// Prefix of element ids, unique within a page that shows several charts; a slug
    /// of the title when empty.
    pub id: String,
    /// Overrides the kind's default size.
    pub size: Option<Size>,
}

impl Meta {
    pub fn new(title: impl Into<String>) -> Meta {
        Meta {
            title: title.into(),
            ..Meta::default()
        }
    }

    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Meta {
        self.subtitle = subtitle.into();
        self
    }

    pub fn source(mut self, source: SourceRef) -> Meta {
        if !self.sources.contains(&source) {
            self.sources.push(source);
        }
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Meta {
        self.notes.push(note.into());
        self
    }

    pub fn id(mut self, id: impl Into<String>) -> Meta {
        self.id = id.into();
        self
    }

    pub fn size(mut self, width: f64, height: f64) -> Meta {
        self.size = Some(Size { width, height });
        self
    }
}

/// How values print on an axis, in labels and in hover text.
///
/// A value `v` prints as `prefix + (v / scale, with decimals) + suffix`, and hover text
/// adds `unit`: `1.36% of GDP`, `$55.3 bn (current US$)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueFormat {
    /// Divide by this before printing (1e9 for billions).
    pub scale: f64,
    /// Decimals for value labels and hover text (tick labels choose their own).
    pub decimals: u8,
    pub prefix: String,
    pub suffix: String,
    /// Words after the number in hover text ("of GDP").
    pub unit: String,
}

impl ValueFormat {
    /// `v` as a label: "1.36%", "$55.3 bn"; a minus sign (−), not a hyphen.
    pub fn label(&self, v: f64) -> String {
        self.label_with(v, self.decimals)
    }

    pub fn label_with(&self, v: f64, decimals: u8) -> String {
        let x = v / self.scale;
        let text = format!("{:.*}", decimals as usize, x.abs());
        let negative = x < 0.0 && text.bytes().any(|b| (b'1'..=b'9').contains(&b));
        format!(
            "{}{}{}{}",
            if negative { "−" } else { "" },
            self.prefix,
            text,
            self.suffix
        )
    }

    /// Hover text: "1.36% of GDP".
    pub fn hover(&self, v: f64) -> String {
        let label = self.label(v);
        if self.unit.is_empty() {
            label
        } else {
            format!("{label} {}", self.unit)
        }
    }

    /// A difference: "−0.64 pp" for percentages, "+$1.2 bn" otherwise. One decimal
    /// when the gap is at least 0.1 (in display units), two below, so a near miss
    /// never prints as zero.
    pub fn gap(&self, d: f64) -> String {
        let x = d / self.scale;
        let decimals = if x.abs() >= 0.1 || x == 0.0 { 1 } else { 2 };
        let text = format!("{:.*}", decimals, x.abs());
        let sign = if x < 0.0 { "−" } else { "+" };
        if self.suffix == "%" {
            format!("{sign}{text} pp")
        } else {
            format!("{sign}{}{text}{}", self.prefix, self.suffix)
        }
    }
}

/// The value axis: its title (the unit people read) and number format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueAxis {
    /// Shown at the top of the axis: "% of GDP", "US$ billion, current prices".
    pub label: String,
    pub format: ValueFormat,
    /// Start the axis at zero (default true: shares and money are read from zero).
    pub include_zero: bool,
    /// Force the domain; otherwise it fits the data (and references) with nice ticks.
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Default for ValueAxis {
    fn default() -> ValueAxis {
        ValueAxis {
            label: String::new(),
            format: ValueFormat {
                scale: 1.0,
                decimals: 2,
                prefix: String::new(),
                suffix: String::new(),
                unit: String::new(),
            },
            include_zero: true,
            min: None,
            max: None,
        }
    }
}

impl ValueAxis {
    /// Shares of GDP in percent: ticks "2%", hover "1.36% of GDP".
    pub fn percent_of_gdp() -> ValueAxis {
        ValueAxis {
            label: "% of GDP".into(),
            format: ValueFormat {
                scale: 1.0,
                decimals: 2,
                prefix: String::new(),
                suffix: "%".into(),
                unit: "of GDP".into(),
            },
            ..ValueAxis::default()
        }
    }

    /// Money in billions of a currency: label "US$ billion", ticks "50", hover "$55.3 bn".
    pub fn billions(label: impl Into<String>, symbol: &str, unit: impl Into<String>) -> ValueAxis {
        ValueAxis {
            label: label.into(),
            format: ValueFormat {
                scale: 1e9,
                decimals: 1,
                prefix: symbol.to_string(),
                suffix: " bn".into(),
                unit: unit.into(),
            },
            ..ValueAxis::default()
        }
    }

    /// A plain number with a unit word ("persons").
    pub fn plain(label: impl Into<String>, decimals: u8, unit: impl Into<String>) -> ValueAxis {
        ValueAxis {
            label: label.into(),
            format: ValueFormat {
                scale: 1.0,
                decimals,
                prefix: String::new(),
                suffix: String::new(),
                unit: unit.into(),
            },
            ..ValueAxis::default()
        }
    }
}

/// One value of a time series, at a point on the time axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimePoint {
    /// Position as a decimal year: the middle of the period the value covers
    /// (calendar 2024 is 2024.5; Japan's FY2025, April 2025–March 2026, is 2025.75).
    pub t: f64,
    /// How the period is named in labels: "2024", "FY2025".
    pub period: String,
    /// None (or non-finite) breaks the line: the publisher has no figure.
    pub value: Option<f64>,
    /// Drawn dashed: a forecast or plan, not an outturn.
    pub projection: bool,
    /// Shown in hover text after the value ("estimate").
    pub flags: Vec<String>,
}

impl TimePoint {
    /// A calendar-year value.
    pub fn year(year: i32, value: f64) -> TimePoint {
        TimePoint {
            t: year as f64 + 0.5,
            period: year.to_string(),
            value: Some(value),
            projection: false,
            flags: Vec::new(),
        }
    }

    pub fn projected(mut self) -> TimePoint {
        self.projection = true;
        self
    }
}

/// One line of a time-series chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// Machine key for `data-key`: "JPN/sipri".
    pub key: String,
    /// What people read at the line's end and in the legend: "Japan", "Japan (NATO)".
    pub label: String,
    /// Palette index ([`PALETTE`]); series without one take the next unused colour.
    /// Give one country's series across definitions the same colour.
    pub colour: Option<usize>,
    /// A second definition of a country already shown: drawn thinner and lighter.
    pub secondary: bool,
    pub points: Vec<TimePoint>,
}

impl Series {
    pub fn new(key: impl Into<String>, label: impl Into<String>, points: Vec<TimePoint>) -> Series {
        Series {
            key: key.into(),
            label: label.into(),
            colour: None,
            secondary: false,
            points,
        }
    }
}

/// A dated event drawn as a vertical marker on a time axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventMarker {
    /// The event registry id.
    pub key: String,
    /// Decimal year (see [`fairshare_dataset::EventDate::decimal_year`]).
    pub t: f64,
    /// Short label: "NATO Hague 5% commitment".
    pub label: String,
    /// "25 Jun 2025".
    pub date: String,
    /// Hover text.
    pub description: String,
}

/// A horizontal (time charts) or vertical (bars, dots) line at a value: a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferenceLine {
    pub value: f64,
    /// "NATO 2% guideline".
    pub label: String,
}

/// Lines over time for several countries and definitions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeSeriesChart {
    pub meta: Meta,
    pub y: ValueAxis,
    /// Under the time axis, when the period needs saying ("Fiscal years from April").
    pub x_label: String,
    pub series: Vec<Series>,
    pub events: Vec<EventMarker>,
    pub references: Vec<ReferenceLine>,
    /// Decimal years shown; by default the whole years the data cover. Events outside
    /// are left out.
    pub x_range: Option<(f64, f64)>,
}

/// One bar of a compliance chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    /// "POL".
    pub key: String,
    /// "Poland".
    pub label: String,
    /// None: listed as "no data".
    pub value: Option<f64>,
    /// "2024", "2024e".
    pub period: String,
    /// Shown in hover text ("estimate").
    pub flags: Vec<String>,
    /// Label in bold (the country a report is about).
    pub highlight: bool,
}

impl Bar {
    pub fn new(key: impl Into<String>, label: impl Into<String>, value: Option<f64>) -> Bar {
        Bar {
            key: key.into(),
            label: label.into(),
            value,
            period: String::new(),
            flags: Vec::new(),
            highlight: false,
        }
    }
}

/// Horizontal bars against a target: members sorted by value, the target as a
/// vertical line, the gap of each member below it labelled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BarChart {
    pub meta: Meta,
    pub x: ValueAxis,
    pub target: Option<ReferenceLine>,
    pub bars: Vec<Bar>,
    /// Keep the caller's order instead of sorting by value (largest first).
    pub keep_order: bool,
}

/// One quantile row of a projection (a scenario result year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantilePoint {
    pub t: f64,
    pub period: String,
    pub q05: f64,
    pub q25: f64,
    pub q50: f64,
    pub q75: f64,
    pub q95: f64,
}

/// A projection as a fan: history solid, median dashed, 50% and 90% bands.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FanChart {
    pub meta: Meta,
    pub y: ValueAxis,
    pub x_label: String,
    /// "JPN/milex_gdp" for `data-key`.
    pub key: String,
    /// "Japan".
    pub label: String,
    pub colour: Option<usize>,
    pub history: Vec<TimePoint>,
    pub quantiles: Vec<QuantilePoint>,
    pub references: Vec<ReferenceLine>,
    pub events: Vec<EventMarker>,
    pub x_range: Option<(f64, f64)>,
}

/// One row of a dot plot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dot {
    pub key: String,
    pub label: String,
    pub value: Option<f64>,
    pub period: String,
    pub flags: Vec<String>,
    /// Drawn in the accent colour with a bold label.
    pub highlight: bool,
}

impl Dot {
    pub fn new(key: impl Into<String>, label: impl Into<String>, value: Option<f64>) -> Dot {
        Dot {
            key: key.into(),
            label: label.into(),
            value,
            period: String::new(),
            flags: Vec::new(),
            highlight: false,
        }
    }
}

/// A ranked dot plot: one dot per row, largest first, rank numbers at the left.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DotPlot {
    pub meta: Meta,
    pub x: ValueAxis,
    pub reference: Option<ReferenceLine>,
    pub dots: Vec<Dot>,
    pub keep_order: bool,
}

/// Any chart, for callers that keep a list (a report's figures, a dashboard page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Chart {
    TimeSeries(TimeSeriesChart),
    Bars(BarChart),
    Fan(FanChart),
    Dots(DotPlot),
}

impl Chart {
    pub fn to_svg(&self) -> String {
        match self {
            Chart::TimeSeries(c) => c.to_svg(),
            Chart::Bars(c) => c.to_svg(),
            Chart::Fan(c) => c.to_svg(),
            Chart::Dots(c) => c.to_svg(),
        }
    }

    pub fn meta(&self) -> &Meta {
        match self {
            Chart::TimeSeries(c) => &c.meta,
            Chart::Bars(c) => &c.meta,
            Chart::Fan(c) => &c.meta,
            Chart::Dots(c) => &c.meta,
        }
    }

    /// PNG bytes at `scale` times the SVG size (2.0 for slides).
    pub fn to_png(&self, scale: f32) -> Result<Vec<u8>, ChartError> {
        to_png(&self.to_svg(), scale)
    }
}

impl TimeSeriesChart {
    pub fn to_svg(&self) -> String {
        time_series::render(self)
    }
}

impl BarChart {
    pub fn to_svg(&self) -> String {
        bars::render(self)
    }
}

impl FanChart {
    pub fn to_svg(&self) -> String {
        fan::render(self)
    }
}

impl DotPlot {
    pub fn to_svg(&self) -> String {
        dots::render(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_with_minus_signs_and_gaps_in_points() {
        let f = ValueAxis::percent_of_gdp().format;
        assert_eq!(f.label(1.3649), "1.36%");
        assert_eq!(f.hover(2.0), "2.00% of GDP");
        assert_eq!(f.label(-0.004), "0.00%"); // no "−0.00"
        assert_eq!(f.gap(1.36 - 2.0), "−0.6 pp");
        assert_eq!(f.gap(1.97 - 2.0), "−0.03 pp");
        assert_eq!(f.gap(0.5), "+0.5 pp");
        let usd = ValueAxis::billions("US$ billion", "$", "current US$").format;
        assert_eq!(usd.label(55_274e6), "$55.3 bn");
        assert_eq!(usd.gap(-1.2e9), "−$1.2 bn");
    }

    #[test]
    fn source_text_names_the_vintage_once() {
        assert_eq!(
            SourceRef::new("SIPRI Military Expenditure Database", "SIPRI 2025").text(),
            "SIPRI Military Expenditure Database (SIPRI 2025)"
        );
        assert_eq!(
            SourceRef::new("NATO June 2024", "NATO June 2024").text(),
            "NATO June 2024"
        );
    }
}
