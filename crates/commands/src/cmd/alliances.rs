//! `fairshare alliances`: the alliances and who belonged to them when.
//!
//! ```text
//! $ fairshare alliances
//! id                name                                  partner  members  suspended  source
//! NATO              North Atlantic Treaty Organization              32        0        nato-members
//! US-treaty-allies  US treaty allies in the Indo-Pacific  USA      5        1        us-treaty-allies
//! ```

use clap::Args;
use fairshare_dataset::Membership;
use fairshare_dataset::alliances::is_atop;
use serde_json::{Map, Value};

use crate::context::Context;
use crate::error::CliError;
use crate::output::{Records, emit, source_footer};

pub const ABOUT: &str = "List alliances (NATO, US-treaty-allies) and their members over time, with treaty or accession and source";

pub const EXAMPLES: &str = "\
Examples:
  fairshare alliances
      the alliances, with today's members and where the list comes from
  fairshare alliances NATO
      every NATO member with its accession year (Sweden 2024, Finland 2023, ...)
  fairshare alliances US-treaty-allies --year 1985
      the US treaty allies in 1985: New Zealand still counted (suspended from 1986)
  fairshare alliances us-treaty-allies --format json
  fairshare alliances ATOP-3375
      the US-Japan treaty of 1960 as ATOP records it (Japan pledges no defence of its own)
  fairshare alliances --all
      also the 170 defence pacts of ATOP v4.01 in force 1949-2016 (ids ATOP-<atopid>)

The United States is a member of NATO and the partner (not a member) of
US-treaty-allies: each treaty there is a US pledge to that ally. A member whose
partner's obligations are suspended (New Zealand in ANZUS since 1986) is listed with
suspended_from and left out of the counts in `fairshare targets`.";

#[derive(Debug, Args)]
pub struct AlliancesArgs {
    /// Alliance id (case-insensitive): list its members.
    pub alliance: Option<String>,

    /// Only the members in this year, with their standing (member or suspended).
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub year: Option<i32>,

    /// List ATOP's defence pacts (ATOP-<atopid>) too, not only fairshare's alliances.
    #[arg(long)]
    pub all: bool,
}

pub fn run(ctx: &mut Context, args: &AlliancesArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let c = ds.commitments();
    let Some(id) = &args.alliance else {
        if args.year.is_some() {
            return Err(CliError::usage(
                "--year needs an alliance: e.g. fairshare alliances NATO --year 2024",
            ));
        }
        let mut records = Records::new(vec![
            "id",
            "name",
            "partner",
            "members",
            "suspended",
            "source",
        ]);
        let shown: Vec<_> = c
            .alliances
            .iter()
            .filter(|a| args.all || !is_atop(&a.id))
            .collect();
        for a in &shown {
            // Today's rows: those without an end year.
            let current: Vec<&Membership> = c
                .memberships
                .iter()
                .filter(|m| m.alliance == a.id && m.to_year.is_none())
                .collect();
            let suspended = current
                .iter()
                .filter(|m| m.suspended_from.is_some())
                .count();
            let mut m = Map::new();
            m.insert("id".into(), a.id.clone().into());
            m.insert("name".into(), a.name.clone().into());
            m.insert("partner".into(), a.partner.clone().into());
            m.insert("members".into(), (current.len() - suspended).into());
            m.insert("suspended".into(), suspended.into());
            m.insert("description".into(), a.description.clone().into());
            m.insert("source".into(), a.source.clone().into());
            m.insert("source_url".into(), a.source_url.clone().into());
            records.rows.push(m);
        }
        let mut lines: Vec<String> = c
            .alliances
            .iter()
            .filter(|a| !is_atop(&a.id))
            .map(|a| format!("{}: {}", a.id, a.description))
            .collect();
        let atop = c.alliances.iter().filter(|a| is_atop(&a.id)).count();
        if atop > 0 && !args.all {
            lines.push(format!(
                "Also {atop} ATOP defence pacts (ids ATOP-<atopid>, 1949-2016): --all lists \
                 them; NATO is ATOP-3180."
            ));
        }
        let ids: Vec<&str> = shown.iter().map(|a| a.source.as_str()).collect();
        lines.extend(source_footer(ds, &ids));
        records.footer = lines;
        return emit(&records, ctx.format());
    };

    let alliance = c.alliance(id)?;
    let rows: Vec<(&Membership, Option<&'static str>)> = match args.year {
        Some(y) => c
            .members_in(&alliance.id, y)
            .into_iter()
            .map(|(m, s)| (m, Some(s.as_str())))
            .collect(),
        None => c
            .memberships
            .iter()
            .filter(|m| m.alliance == alliance.id)
            .map(|m| (m, None))
            .collect(),
    };
    let mut records = Records::new(vec![
        "country",
        "name",
        "from_year",
        "to_year",
        "suspended_from",
        "basis",
        "source",
    ]);
    if args.year.is_some() {
        records.table_columns.insert(2, "status");
    }
    let opt = |v: Option<i32>| v.map(Value::from).unwrap_or(Value::Null);
    for (m, status) in &rows {
        let mut r = Map::new();
        r.insert("alliance".into(), m.alliance.clone().into());
        r.insert("country".into(), m.country.clone().into());
        r.insert(
            "name".into(),
            ds.countries()
                .get(&m.country)
                .map(|c| c.name.clone())
                .unwrap_or_default()
                .into(),
        );
        if let Some(s) = status {
            r.insert("status".into(), (*s).into());
        }
        r.insert("from_year".into(), m.from_year.into());
        r.insert("to_year".into(), opt(m.to_year));
        r.insert("suspended_from".into(), opt(m.suspended_from));
        r.insert("basis".into(), m.basis.clone().into());
        r.insert("note".into(), m.note.clone().into());
        r.insert("source".into(), m.source.clone().into());
        r.insert("source_url".into(), m.source_url.clone().into());
        records.rows.push(r);
    }
    let mut lines = vec![format!("{}: {}", alliance.id, alliance.description)];
    if let Some(y) = args.year {
        let active = rows.iter().filter(|(_, s)| *s == Some("member")).count();
        lines.push(format!(
            "{} in {y}: {active} members{}",
            alliance.id,
            match rows.len() - active {
                0 => String::new(),
                n => format!(", {n} suspended (listed, not counted)"),
            }
        ));
    }
    for (m, _) in rows.iter().filter(|(m, _)| !m.note.is_empty()) {
        lines.push(format!("{} from {}: {}", m.country, m.from_year, m.note));
    }
    let ids: Vec<&str> = rows.iter().map(|(m, _)| m.source.as_str()).collect();
    lines.extend(source_footer(ds, &ids));
    lines.push("Each row's page is in source_url (--format csv or json).".into());
    records.footer = lines;
    emit(&records, ctx.format())
}
