//! `fairshare countries`: the country registry — codes, names, and each publisher's spelling.
//!
//! ```text
//! $ fairshare countries korea
//! code  name          kind     currency  sipri         wb           imf    nato
//! KOR   South Korea   country  KRW       Korea, South  Korea, Rep.  Korea
//! PRK   North Korea   country  KPW       Korea, North  ...
//! ```

use clap::Args;

use crate::context::Context;
use crate::error::CliError;
use crate::output::{Records, emit};

pub const ABOUT: &str =
    "List countries and aggregates with their codes and every publisher's name for them";

pub const EXAMPLES: &str = "\
Examples:
  fairshare countries              all codes (ISO3, historical states, aggregates)
  fairshare countries korea        those whose code or any name contains 'korea'";

#[derive(Debug, Args)]
pub struct CountriesArgs {
    /// Only entries whose code or any name contains this text (case-insensitive).
    pub filter: Option<String>,
}

pub fn run(ctx: &mut Context, args: &CountriesArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let needle = args.filter.as_deref().unwrap_or("").to_lowercase();
    let mut records = Records::new(vec![
        "code", "name", "kind", "currency", "sipri", "wb", "imf", "nato",
    ]);
    for c in ds.countries().all() {
        let hit = needle.is_empty()
            || c.code.to_lowercase().contains(&needle)
            || c.all_names().any(|n| n.to_lowercase().contains(&needle));
        if !hit {
            continue;
        }
        let mut m = serde_json::Map::new();
        m.insert("code".into(), c.code.clone().into());
        m.insert("name".into(), c.name.clone().into());
        m.insert("kind".into(), c.kind.as_str().into());
        m.insert("currency".into(), c.currency.clone().into());
        m.insert("sipri".into(), c.sipri.clone().into());
        m.insert("wb".into(), c.wb.clone().into());
        m.insert("imf".into(), c.imf.clone().into());
        m.insert("nato".into(), c.nato.clone().into());
        m.insert(
            "aliases".into(),
            serde_json::Value::Array(c.aliases.iter().map(|a| a.clone().into()).collect()),
        );
        records.rows.push(m);
    }
    if records.rows.is_empty() {
        return Err(CliError::usage(format!(
            "no country code or name contains '{}'",
            args.filter.as_deref().unwrap_or("")
        )));
    }
    emit(&records, ctx.format())
}
