//! One module per command; each opens with what it does and a worked example.

pub mod alliances;
pub mod claims;
pub mod completions;
pub mod countries;
pub mod data;
pub mod decompose;
pub mod explain;
pub mod export;
pub mod gap;
pub mod hns;
pub mod man;
pub mod model;
pub mod report;
pub mod scenario;
pub mod serve;
pub mod share;
pub mod show;
pub mod sources;
pub mod targets;
