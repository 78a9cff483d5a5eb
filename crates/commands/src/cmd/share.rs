//! `fairshare share`: each ally's share of alliance military spending against its share
//! of alliance GDP (the Olson-Zeckhauser "fair share" ratio).
//!
//! ```text
//! $ fairshare share --alliance NATO --year 2024
//! country  milex_usd   gdp_usd     share_of_milex  share_of_gdp  ratio  burden  status   flags
//! USA      997.309 bn   29.185 tn          66.219        52.856  1.253  3.417   counted
//! DEU       88.458 bn    4.659 tn           5.873         8.437  0.696  1.899   counted
//! GBR       81.763 bn    3.645 tn           5.429         6.601  0.822  2.243   counted
//! ...
//! POL       38.001 bn  908.583 bn           2.523         1.646  1.533  4.182   counted
//! ...
//! NATO 2024: 32 members counted; alliance spending US$ 1.506 tn of GDP US$ 55.216 tn = 2.728%
//! (sipri spending, imf_weo GDP, current US$)
//! ```

use clap::Args;
use fairshare_dataset::{Dataset, MemberStatus};
use fairshare_metrics::share::{FairShare, MemberShare, fair_share};
use serde_json::{Map, Value};

use crate::context::{Context, check_years, parse_definitions};
use crate::error::CliError;
use crate::output::{Records, emit, flags_footer, flags_value, money, number, source_footer};

pub const ABOUT: &str = "Burden shares: each ally's share of alliance military spending against its share of alliance GDP (Olson-Zeckhauser ratio)";

pub const EXAMPLES: &str = "\
Examples:
  fairshare share --alliance NATO --year 2024
      NATO members by SIPRI's US$ spending (2025 release) and the IMF WEO's US$ GDP: the
      United States' share of spending against its share of GDP, and everyone else's
  fairshare share --alliance NATO --year 2024 --definition nato
      NATO's own tables (spending and GDP in current US$, June 2024; 2024 estimates)
  fairshare share --alliance US-treaty-allies --year 2024 --include-partner
      the Indo-Pacific treaty allies with the United States itself in the sums

ratio = share of alliance spending / share of alliance GDP = member's burden / the
alliance's burden (spending / GDP, both in current US$). Above 1: more than its
economic weight. Members without a figure are listed and left out of the sums; a
suspended member (New Zealand in ANZUS) is listed, not counted.";

#[derive(Debug, Args)]
pub struct ShareArgs {
    /// Alliance id: NATO, US-treaty-allies (case-insensitive).
    #[arg(long, short = 'a', value_name = "A", default_value = "NATO")]
    pub alliance: String,

    /// Year.
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub year: i32,

    /// Spending definition: sipri (default) or nato (US$ current).
    #[arg(long, short = 'd', value_name = "D", default_value = "sipri")]
    pub definition: String,

    /// Add the alliance's partner (the United States for US-treaty-allies) to the sums.
    #[arg(long)]
    pub include_partner: bool,
}

pub fn run(ctx: &mut Context, args: &ShareArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    check_years(ds, Some(args.year), Some(args.year))?;
    let definition = parse_definitions(ds, std::slice::from_ref(&args.definition))?
        .into_iter()
        .next()
        .unwrap_or_else(|| "sipri".to_string());
    let s = fair_share(
        ds,
        &args.alliance,
        args.year,
        &definition,
        args.include_partner,
    )?;
    let mut records = Records::new(vec![
        "country",
        "milex_usd",
        "gdp_usd",
        "share_of_milex",
        "share_of_gdp",
        "ratio",
        "burden",
        "status",
        "flags",
    ]);
    for m in &s.members {
        records.rows.push(record(ds, &s, m));
    }
    records.footer = footer(ds, &s);
    emit(&records, ctx.format())
}

fn record(ds: &Dataset, s: &FairShare, m: &MemberShare) -> Map<String, Value> {
    let mut r = Map::new();
    r.insert("country".into(), m.country.clone().into());
    r.insert(
        "country_name".into(),
        ds.countries()
            .get(&m.country)
            .map(|c| c.name.clone())
            .unwrap_or_default()
            .into(),
    );
    r.insert("measure".into(), "fair_share_ratio".into());
    r.insert("year".into(), s.year.into());
    r.insert("year_basis".into(), "calendar".into());
    r.insert("value".into(), number(m.ratio));
    r.insert("unit".into(), "ratio".into());
    r.insert("definition".into(), s.definition.clone().into());
    r.insert(
        "source".into(),
        m.milex_source
            .clone()
            .map(Value::from)
            .unwrap_or(Value::Null),
    );
    r.insert(
        "vintage".into(),
        m.milex_vintage
            .clone()
            .map(Value::from)
            .unwrap_or(Value::Null),
    );
    r.insert(
        "flags".into(),
        flags_value(m.milex_flags.union(m.gdp_flags)),
    );
    r.insert("alliance".into(), s.alliance.clone().into());
    r.insert(
        "status".into(),
        if m.partner {
            "partner"
        } else if m.status == MemberStatus::Suspended {
            "suspended"
        } else if m.counted() {
            "counted"
        } else {
            "no data"
        }
        .into(),
    );
    r.insert("milex_usd".into(), number(m.milex_usd));
    r.insert("gdp_usd".into(), number(m.gdp_usd));
    r.insert("gdp_definition".into(), s.gdp_definition.clone().into());
    r.insert(
        "gdp_source".into(),
        m.gdp_source.clone().map(Value::from).unwrap_or(Value::Null),
    );
    r.insert("share_of_milex".into(), number(m.share_of_milex));
    r.insert("share_of_gdp".into(), number(m.share_of_gdp));
    r.insert("ratio".into(), number(m.ratio));
    r.insert("burden".into(), number(m.burden));
    r
}

fn footer(ds: &Dataset, s: &FairShare) -> Vec<String> {
    let mut lines = vec![format!(
        "{} {}: {} members counted; alliance spending {} of GDP {} = {:.3}% ({} spending, {} \
         GDP, current US$)",
        s.alliance,
        s.year,
        s.counted(),
        money(s.total_milex_usd, "US$"),
        money(s.total_gdp_usd, "US$"),
        s.alliance_burden,
        s.definition,
        s.gdp_definition
    )];
    let left: Vec<String> = s
        .not_counted()
        .iter()
        .map(|m| {
            let why = if m.status == MemberStatus::Suspended {
                "suspended"
            } else if m.milex_usd.is_none() && m.gdp_usd.is_none() {
                "no spending or GDP figure"
            } else if m.milex_usd.is_none() {
                "no US$ spending figure"
            } else {
                "no US$ GDP figure"
            };
            format!("{} ({why})", m.country)
        })
        .collect();
    if !left.is_empty() {
        lines.push(format!("not in the sums: {}", left.join(", ")));
    }
    lines.push(
        "ratio = share_of_milex / share_of_gdp = burden / alliance burden (Olson & \
         Zeckhauser 1966): above 1 spends more than its economic weight"
            .to_string(),
    );
    let mut ids: Vec<&str> = Vec::new();
    for m in &s.members {
        ids.extend(m.milex_source.as_deref());
        ids.extend(m.gdp_source.as_deref());
    }
    lines.extend(source_footer(ds, &ids));
    lines.extend(flags_footer(
        s.members.iter().map(|m| m.milex_flags.union(m.gdp_flags)),
    ));
    lines.push("Values are rounded for reading; --format csv or json give full precision.".into());
    lines
}
