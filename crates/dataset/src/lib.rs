//! # fairshare-dataset
//!
//! The harmonized observations fairshare answers from, and the registries that give
//! them meaning: countries (with every publisher's name for them), sources (publisher,
//! release, licence, citation), definitions and publisher notes. With the `ingest`
//! feature (on by default) it also holds one reader per publisher format, which turn
//! the publisher files in `../shared/data/raw/` into this dataset (`fairshare data build`).
//!
//! It is not for computing: shares of targets, gaps, projections and models live in
//! the engine crates, which read a [`Dataset`] and never touch files.
//!
//! ```
//! use fairshare_dataset::{Measure, YearBasis, registry::builtin_countries};
//!
//! let countries = builtin_countries();
//! assert_eq!(countries.resolve("South Korea").unwrap().code, "KOR");
//! assert_eq!("milex_gdp".parse::<Measure>().unwrap(), Measure::MilexGdp);
//! assert_eq!(YearBasis::FY_APR.to_string(), "fy_apr");
//! ```

pub mod alliances;
pub mod check;
pub mod commitments;
pub mod dataset;
pub mod earlier;
pub mod error;
pub mod events;
pub mod model;
pub mod polls;
pub mod registry;
pub mod targets;

#[cfg(feature = "ingest")]
pub mod ingest;

pub use commitments::{
    Alliance, Commitments, EarlierFigure, MemberStatus, Membership, Plan, Target,
};
pub use dataset::{Dataset, Explanation, Filter, Obs, RawDataset, SameSeries};
pub use error::DatasetError;
pub use events::{DatePrecision, Event, EventDate};
pub use model::{Flag, Flags, Measure, Observation, ObservationKey, Unit, YearBasis};
pub use registry::{
    Country, CountryRegistry, Definition, EntityKind, Note, Source, SourceRegistry,
};
