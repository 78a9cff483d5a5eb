//! One module per command; each opens with what it does and a worked example.

pub mod completions;
pub mod countries;
pub mod data;
pub mod explain;
pub mod export;
pub mod man;
pub mod show;
pub mod sources;
