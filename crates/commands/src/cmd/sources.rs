//! `fairshare sources`: every source in the dataset, with vintage, licence and citation.
//!
//! ```text
//! $ fairshare sources
//! id                publisher                                  vintage      released    observations  licence
//! sipri-milex-2025  Stockholm International Peace Research ... SIPRI 2025   2025-04-28  ...
//! ```

use clap::Args;
use std::collections::HashMap;

use crate::context::Context;
use crate::error::CliError;
use crate::output::{Records, emit};

pub const ABOUT: &str =
    "List the sources behind the dataset: publisher, release, file, licence, citation";

pub const EXAMPLES: &str = "\
Examples:
  fairshare sources
  fairshare sources --format json     every field, including the citation text";

#[derive(Debug, Args)]
pub struct SourcesArgs {}

pub fn run(ctx: &mut Context, _args: &SourcesArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for o in ds.iter() {
        *counts.entry(o.source_id()).or_default() += 1;
    }
    // Rows of the registries (alliances, memberships, targets, plans, earlier figures, polls) each
    // source backs: the hand-compiled lists have no observations of their own.
    let mut registry: HashMap<&str, usize> = HashMap::new();
    let c = ds.commitments();
    for id in c
        .alliances
        .iter()
        .map(|a| a.source.as_str())
        .chain(c.memberships.iter().map(|m| m.source.as_str()))
        .chain(c.targets.iter().map(|t| t.source.as_str()))
        .chain(c.plans.iter().map(|p| p.source.as_str()))
        .chain(c.earlier_figures.iter().map(|f| f.source.as_str()))
        .chain(c.polls.iter().map(|p| p.source.as_str()))
    {
        *registry.entry(id).or_default() += 1;
    }
    let mut records = Records::new(vec![
        "id",
        "vintage",
        "released",
        "observations",
        "registry_rows",
        "publisher",
        "licence",
    ]);
    for s in ds.sources().all() {
        let mut m = serde_json::Map::new();
        m.insert("id".into(), s.id.clone().into());
        m.insert("publisher".into(), s.publisher.clone().into());
        m.insert("title".into(), s.title.clone().into());
        m.insert("file".into(), s.file.clone().into());
        m.insert("vintage".into(), s.vintage.clone().into());
        m.insert("released".into(), s.released.clone().into());
        m.insert("url".into(), s.url.clone().into());
        m.insert("licence".into(), s.licence.clone().into());
        m.insert("citation".into(), s.citation.clone().into());
        m.insert("note".into(), s.note.clone().into());
        m.insert(
            "observations".into(),
            (*counts.get(s.id.as_str()).unwrap_or(&0)).into(),
        );
        m.insert(
            "registry_rows".into(),
            (*registry.get(s.id.as_str()).unwrap_or(&0)).into(),
        );
        records.rows.push(m);
    }
    records.footer = ds
        .sources()
        .all()
        .iter()
        .map(|s| format!("cite {}: {}", s.id, s.citation))
        .collect();
    emit(&records, ctx.format())
}
