//! One module per command; each opens with what it does and a worked example.

pub mod countries;
pub mod data;
pub mod explain;
pub mod show;
pub mod sources;
