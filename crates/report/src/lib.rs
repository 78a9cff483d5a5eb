//! # fairshare-report
//!
//! What fairshare shows people: [`charts`], the one chart module every output uses (the
//! CLI's `--chart`, the alliance briefs, the dashboard), and [`brief`], the briefs of
//! `fairshare report NAME` (japan-us, nato, korea-us), assembled from engine results into a
//! [`doc::Document`] rendered as Markdown and as self-contained HTML.
//!
//! A chart is a specification — data, labels, provenance — turned into an SVG string
//! by a pure function: no I/O, no clock, no system fonts, so the same specification
//! gives the same bytes on every machine. [`charts::to_png`] rasterises that SVG with
//! the Inter subset shipped in `fonts/` (SIL Open Font License).
//!
//! Not for computing: values arrive computed (by the dataset, metrics, scenario
//! engines); this crate only lays them out. [`charts::data`] builds specifications from
//! dataset observations and events.
//!
//! ```
//! use fairshare_report::charts::{Meta, Series, SourceRef, TimePoint, TimeSeriesChart, ValueAxis};
//!
//! let chart = TimeSeriesChart {
//!     meta: Meta::new("Japan's military burden doubled in a decade")
//!         .subtitle("Military expenditure, % of GDP")
//!         .source(SourceRef::new("SIPRI Military Expenditure Database", "SIPRI 2025")),
//!     y: ValueAxis::percent_of_gdp(),
//!     series: vec![Series::new("JPN/sipri", "Japan", vec![
//!         TimePoint::year(2014, 0.95),
//!         TimePoint::year(2024, 1.4),
//!     ])],
//!     ..TimeSeriesChart::default()
//! };
//! let svg = chart.to_svg();
//! assert!(svg.starts_with("<svg"));
//! assert!(svg.contains("Source: SIPRI Military Expenditure Database (SIPRI 2025)"));
//! assert_eq!(svg, chart.to_svg()); // deterministic
//! ```

pub mod brief;
pub mod charts;
pub mod doc;

pub use brief::{NAMES, Options, ReportError, build};
pub use doc::{Block, Document};
