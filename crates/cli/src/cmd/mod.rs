//! One module per command; each opens with what it does and a worked example.

pub mod alliances;
pub mod countries;
pub mod data;
pub mod explain;
pub mod gap;
pub mod model;
pub mod show;
pub mod sources;
pub mod targets;
