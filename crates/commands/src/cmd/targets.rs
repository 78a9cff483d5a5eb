//! `fairshare targets`: who meets a spending target in a year, by how much they fall
//! short in points and in money, and how many meet it (exactly, and rounded to one
//! decimal as SIPRI's fact sheets print shares).
//!
//! ```text
//! $ fairshare targets --alliance NATO --year 2024
//! country  year  value  target  meets  meets_rounded  gap_pp  gap_lcu      currency  gap_usd      definition  source            flags
//! ALB      2024  2.038   2.000  true   true           -0.038   -926.035 m  ALL          -9.949 m  sipri       sipri-milex-2025
//! BEL      2024  1.277   2.000  false  false           0.723     4.481 bn  EUR          4.847 bn  sipri       sipri-milex-2025
//! ...
//! ISL      2024      —   2.000                             —            —  ISK                 —  sipri       sipri-milex-2025  no_data
//! ...
//! SWE      2024  1.998   2.000  false  true            0.002    145.463 m  SEK          13.757 m  sipri       sipri-milex-2025
//! ...
//! NATO members in 2024 meeting nato-2pct (sipri): 17 of 31 with data (32 members) exactly;
//! 18 of 31 with data (32 members) rounded to one decimal as SIPRI's fact sheets print
//! ```

use clap::Args;
use fairshare_dataset::{Dataset, Measure, MemberStatus, YearBasis};
use fairshare_metrics::rounding::round_one_decimal;
use fairshare_metrics::{
    Assessment, Compliance, TargetRule, assess_alliance, assess_countries, check_definition,
    latest_year,
};
use serde_json::{Map, Value};

use crate::context::{Context, check_years, parse_definitions};
use crate::error::CliError;
use crate::output::{Records, emit, flags_footer, flags_value, money, number, source_footer};

pub const ABOUT: &str = "Who meets a spending target (NATO 2%, 3.5%, 5%, Japan's 2%): burden, gap in points and money, and the count";

pub const EXAMPLES: &str = "\
Examples:
  fairshare targets --alliance NATO --year 2024
      NATO allies against 2% of GDP in 2024 by SIPRI's measure (2025 release): 17 of 31
      with data meet it exactly, 18 when rounded to one decimal (Sweden: 1.998%); Iceland
      has no armed forces and no figure
  fairshare targets --alliance NATO --year 2024 --definition nato
      the same by NATO's own tables (June 2024; 2024 values are estimates): 23 of 31
  fairshare targets --target nato-core-3.5pct-2035 --year 2024
      who already spends 3.5% of GDP (The Hague 2025 core target)
  fairshare targets --target nato-equipment-20pct --definition nato --year 2024
      the Wales guideline of 20% of defence spending on major equipment (NATO data only)
  fairshare targets --alliance US-treaty-allies --target 2%
      the US treaty allies in the Indo-Pacific against 2% of GDP (New Zealand listed,
      not counted: US obligations suspended since 1986)
  fairshare targets --target japan-2pct-fy2027
      Japan's national reading (security-related expenditures, FY2025, against 2% of
      FY2022 GDP) beside SIPRI's (calendar-year GDP): FY2025 1.77% with the initial
      budget, 1.96% with the supplementary budget (2.0% when rounded), SIPRI 2024 1.37%
  fairshare targets --list
      every target id, with its aliases, threshold, deadline and source

gap_pp is target minus burden (positive: the shortfall; negative: above the target).
gap_lcu and gap_usd scale the same definition's spending: spending x gap_pp / burden,
i.e. the gap in points times the GDP the definition's own share implies (for the
equipment share: points of total defence spending). `meets` compares full precision;
`meets_rounded` the value rounded to one decimal, as SIPRI's fact sheets print it.
Members without data appear with value and meets empty (null in JSON).";

#[derive(Debug, Args)]
pub struct TargetsArgs {
    /// Alliance id: NATO, US-treaty-allies (case-insensitive) [default: the target's alliance, else NATO].
    #[arg(long, short = 'a', value_name = "A")]
    pub alliance: Option<String>,

    /// Target id or alias (nato-2pct, wales_2pct, nato-core-3.5pct-2035, nato-5pct-2035,
    /// nato-equipment-20pct, japan-2pct-fy2027) or a share of GDP such as 3% [default: the
    /// alliance's first target, else 2%].
    #[arg(long, short = 't', value_name = "T", allow_hyphen_values = true)]
    pub target: Option<String>,

    /// Year [default: the latest year with data for the definition].
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub year: Option<i32>,

    /// Definition to read the burden in: sipri (default), nato, or a national series.
    #[arg(long, short = 'd', value_name = "D")]
    pub definition: Option<String>,

    /// List the targets (ids, aliases, thresholds, deadlines, sources) and plans.
    #[arg(long)]
    pub list: bool,
}

pub fn run(ctx: &mut Context, args: &TargetsArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    if args.list {
        return list(ctx, ds);
    }
    let c = ds.commitments();
    let alliance = args
        .alliance
        .as_deref()
        .map(|a| c.alliance(a))
        .transpose()?;
    let rule = match &args.target {
        Some(t) => TargetRule::parse(c, t)?,
        None => default_rule(ds, alliance.map(|a| a.id.as_str()))?,
    };
    check_years(ds, args.year, args.year)?;

    // Who: a national target's country; else the alliance asked, the target's own, NATO.
    let national_country = rule.fixed_gdp.as_ref().map(|f| f.country.clone());
    if let (Some(country), Some(a)) = (&national_country, alliance) {
        return Err(CliError::usage(format!(
            "{} is {}'s national target, not an alliance's: drop --alliance {} (or use a share such as 2%)",
            rule.id, country, a.id
        )));
    }
    let alliance_id = match (&national_country, alliance) {
        (Some(_), _) => None,
        (None, Some(a)) => Some(a.id.clone()),
        (None, None) => Some(
            rule.registered
                .as_ref()
                .map(|t| t.alliance.clone())
                .filter(|a| !a.is_empty())
                .unwrap_or_else(|| "NATO".to_string()),
        ),
    };

    // Which readings: the one asked, or the defaults.
    let definitions: Vec<String> = match &args.definition {
        Some(d) => parse_definitions(ds, std::slice::from_ref(d))?,
        None if national_country.is_some() => {
            let mut d = rule.national_definitions(ds);
            d.push("sipri".to_string());
            d
        }
        None if rule.measure == Measure::MilexEquipmentShare => vec!["nato".to_string()],
        None => vec!["sipri".to_string()],
    };
    for d in &definitions {
        check_definition(ds, &rule, d)?;
    }

    let mut assessments: Vec<Assessment> = Vec::new();
    for d in &definitions {
        let a = match (&alliance_id, &national_country) {
            (Some(a), _) => {
                let year = match args.year {
                    Some(y) => y,
                    None => {
                        let members: Vec<String> = c
                            .memberships
                            .iter()
                            .filter(|m| m.alliance == *a)
                            .map(|m| m.country.clone())
                            .collect();
                        let codes: Vec<&str> = members.iter().map(String::as_str).collect();
                        latest_year(ds, &codes, &rule, d).ok_or_else(|| {
                            CliError::usage(format!("no {d} data for the members of {a}"))
                        })?
                    }
                };
                assess_alliance(ds, a, &rule, d, year)?
            }
            (None, Some(country)) => {
                let year = match args.year {
                    Some(y) => y,
                    None => latest_year(ds, &[country], &rule, d)
                        .ok_or_else(|| CliError::usage(format!("no {d} data for {country}")))?,
                };
                assess_countries(ds, &[country], &rule, d, year)?
            }
            (None, None) => unreachable!("a target has an alliance or a country"),
        };
        assessments.push(a);
    }

    let mut records = Records::new(vec![
        "country",
        "year",
        "value",
        "target",
        "meets",
        "meets_rounded",
        "gap_pp",
        "gap_lcu",
        "currency",
        "gap_usd",
        "definition",
        "source",
        "flags",
    ]);
    if assessments
        .iter()
        .any(|a| a.rows.iter().any(|r| r.status == MemberStatus::Suspended))
    {
        records.table_columns.insert(1, "status");
    }
    if national_country.is_some() {
        records.table_columns.insert(2, "year_basis");
    }
    for a in &assessments {
        for r in &a.rows {
            records.rows.push(record(ds, &rule, r));
        }
    }
    records.footer = footer(ds, &rule, &assessments);
    emit(&records, ctx.format())
}

/// The alliance's first share-of-GDP target (NATO: nato-2pct), else 2% of GDP.
fn default_rule(ds: &Dataset, alliance: Option<&str>) -> Result<TargetRule, CliError> {
    let alliance = alliance.unwrap_or("NATO");
    let first = ds
        .commitments()
        .targets
        .iter()
        .filter(|t| {
            t.alliance.eq_ignore_ascii_case(alliance) && t.measure == Some(Measure::MilexGdp)
        })
        .min_by(|a, b| {
            (a.by_year, a.threshold)
                .partial_cmp(&(b.by_year, b.threshold))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    Ok(match first {
        Some(t) => TargetRule::from_target(t)?,
        None => TargetRule::ad_hoc(2.0)?,
    })
}

/// One member's row: the base fields, then the target fields.
fn record(ds: &Dataset, rule: &TargetRule, r: &Compliance) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("country".into(), r.country.clone().into());
    m.insert(
        "country_name".into(),
        ds.countries()
            .get(&r.country)
            .map(|c| c.name.clone())
            .unwrap_or_default()
            .into(),
    );
    m.insert("measure".into(), r.measure.as_str().into());
    m.insert("year".into(), r.year.into());
    m.insert("year_basis".into(), r.year_basis.to_string().into());
    m.insert("value".into(), number(r.value));
    m.insert("unit".into(), r.unit.as_str().into());
    m.insert("definition".into(), r.definition.clone().into());
    m.insert(
        "source".into(),
        r.source.clone().map(Value::from).unwrap_or(Value::Null),
    );
    m.insert(
        "vintage".into(),
        r.vintage.clone().map(Value::from).unwrap_or(Value::Null),
    );
    m.insert("flags".into(), flags_value(r.flags));
    m.insert("status".into(), r.status.as_str().into());
    m.insert("target_id".into(), rule.id.clone().into());
    m.insert("target".into(), number(Some(r.target)));
    m.insert(
        "meets".into(),
        r.meets.map(Value::from).unwrap_or(Value::Null),
    );
    m.insert(
        "meets_rounded".into(),
        r.meets_rounded.map(Value::from).unwrap_or(Value::Null),
    );
    m.insert("gap_pp".into(), number(r.gap_pp));
    m.insert("gap_lcu".into(), number(r.gap_lcu));
    m.insert("gap_usd".into(), number(r.gap_usd));
    m.insert("currency".into(), r.currency.clone().into());
    m.insert("spending_lcu".into(), number(r.spending_lcu));
    if r.fixed_gdp_lcu.is_some() {
        m.insert("fixed_gdp_lcu".into(), number(r.fixed_gdp_lcu));
    }
    m.insert("money_flags".into(), flags_value(r.money_flags));
    m
}

fn footer(ds: &Dataset, rule: &TargetRule, assessments: &[Assessment]) -> Vec<String> {
    let mut lines = Vec::new();
    match &rule.registered {
        Some(t) => lines.push(format!(
            "target {}: {} ({}{}, agreed {}; source {}: {})",
            t.id,
            t.name,
            if t.alliance.is_empty() {
                &t.country
            } else {
                &t.alliance
            },
            if t.aliases.is_empty() {
                String::new()
            } else {
                format!(", alias {}", t.aliases)
            },
            t.agreed,
            t.source,
            t.source_url
        )),
        None => lines.push(format!("target {}: an ad-hoc share of GDP", rule.id)),
    }
    if let Some(f) = &rule.fixed_gdp {
        lines.push(format!(
            "national reading ({}): spending by April-March fiscal year over the fixed FY{} GDP of {} {:.0} tn, i.e. a target of {} {:.1} tn{}; the SIPRI reading divides by each calendar year's GDP",
            rule.national_definitions(ds).join(", "),
            f.gdp_year,
            ds.countries().get(&f.country).map(|c| c.currency.as_str()).unwrap_or(""),
            f.gdp_lcu / 1e12,
            ds.countries().get(&f.country).map(|c| c.currency.as_str()).unwrap_or(""),
            f.amount_lcu(rule.threshold) / 1e12,
            rule.registered
                .as_ref()
                .and_then(|t| t.stated_amount_lcu)
                .map(|s| format!(" (stated by the MOD as about {:.0} tn)", s / 1e12))
                .unwrap_or_default()
        ));
    }
    for a in assessments {
        let Some(id) = &a.alliance else {
            // A single country (a national target): say it in words, no count.
            lines.extend(a.rows.iter().map(in_words));
            continue;
        };
        let who = format!("{id} members in {}", a.year);
        lines.push(format!(
            "{who} meeting {} ({}): {} exactly; {} rounded to one decimal as SIPRI's fact sheets print",
            rule.id,
            a.definition,
            a.count.text(),
            a.count.text_rounded()
        ));
        let suspended: Vec<&str> = a
            .rows
            .iter()
            .filter(|r| r.status == MemberStatus::Suspended)
            .map(|r| r.country.as_str())
            .collect();
        if !suspended.is_empty() {
            lines.push(format!(
                "not counted: {} (the partner's obligations are suspended; see `fairshare alliances {}`)",
                suspended.join(", "),
                a.alliance.as_deref().unwrap_or("")
            ));
        }
    }
    lines.push(
        "gap_pp = target - value (positive: shortfall); gap_lcu, gap_usd = the definition's own spending x gap_pp / value"
            .to_string(),
    );
    let mut ids: Vec<&str> = assessments
        .iter()
        .flat_map(|a| a.rows.iter().filter_map(|r| r.source.as_deref()))
        .collect();
    if let Some(t) = &rule.registered {
        ids.push(&t.source);
    }
    lines.extend(source_footer(ds, &ids));
    lines.extend(flags_footer(
        assessments
            .iter()
            .flat_map(|a| a.rows.iter().map(|r| r.flags.union(r.money_flags))),
    ));
    lines.push("Values are rounded for reading; --format csv or json give full precision.".into());
    lines
}

/// One country's standing in a sentence.
fn in_words(r: &Compliance) -> String {
    let yes = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "no data",
    };
    format!(
        "{} {}{} ({}): {} of {}; meets {}%: {}; rounded to one decimal ({}): {}",
        r.country,
        if r.year_basis == YearBasis::Calendar {
            ""
        } else {
            "FY"
        },
        r.year,
        r.definition,
        r.value
            .map_or("no figure".to_string(), |v| format!("{v:.3}%")),
        if r.fixed_gdp_lcu.is_some() {
            "the fixed FY2022 GDP"
        } else {
            "that year's GDP"
        },
        r.target,
        yes(r.meets),
        r.value
            .map_or("-".to_string(), |v| format!("{:.1}%", round_one_decimal(v))),
        yes(r.meets_rounded)
    )
}

/// `--list`: the targets registry, and the plans.
fn list(ctx: &mut Context, ds: &Dataset) -> Result<(), CliError> {
    let c = ds.commitments();
    let mut records = Records::new(vec![
        "id",
        "aliases",
        "threshold",
        "unit",
        "measure",
        "by_year",
        "year_basis",
        "who",
        "source",
    ]);
    for t in &c.targets {
        let mut m = Map::new();
        m.insert("id".into(), t.id.clone().into());
        m.insert("aliases".into(), t.aliases.clone().into());
        m.insert("name".into(), t.name.clone().into());
        m.insert("threshold".into(), number(Some(t.threshold)));
        m.insert("unit".into(), t.unit.as_str().into());
        m.insert(
            "measure".into(),
            t.measure
                .map(|m| Value::from(m.as_str()))
                .unwrap_or(Value::Null),
        );
        m.insert("by_year".into(), t.by_year.into());
        m.insert("year_basis".into(), t.year_basis.to_string().into());
        m.insert(
            "who".into(),
            (if t.alliance.is_empty() {
                t.country.clone()
            } else {
                t.alliance.clone()
            })
            .into(),
        );
        m.insert("definition".into(), t.definition.clone().into());
        m.insert("fixed_gdp_lcu".into(), number(t.fixed_gdp_lcu));
        m.insert(
            "fixed_gdp_year".into(),
            t.fixed_gdp_year.map(Value::from).unwrap_or(Value::Null),
        );
        m.insert("stated_amount_lcu".into(), number(t.stated_amount_lcu));
        m.insert("agreed".into(), t.agreed.clone().into());
        m.insert("agreed_at".into(), t.agreed_at.clone().into());
        m.insert("description".into(), t.description.clone().into());
        m.insert("flags".into(), flags_value(t.flags));
        m.insert("source".into(), t.source.clone().into());
        m.insert("source_url".into(), t.source_url.clone().into());
        records.rows.push(m);
    }
    let mut lines: Vec<String> = c
        .targets
        .iter()
        .map(|t| format!("{}: {}", t.id, t.name))
        .collect();
    for p in &c.plans {
        let currency = ds
            .countries()
            .get(&p.country)
            .map(|c| c.currency.as_str())
            .unwrap_or("");
        lines.push(format!(
            "plan {} ({}): {} over FY{}-FY{} ({} years, {} a year on average), {} {}; source {}: {}",
            p.id,
            p.country,
            money(p.amount, currency),
            p.from_year,
            p.to_year,
            p.years(),
            money(p.amount / f64::from(p.years()), currency),
            p.measure,
            p.definition,
            p.source,
            p.source_url
        ));
    }
    lines.push(
        "Ad-hoc targets: any share of GDP, e.g. --target 3% (with --by YEAR for `gap`).".into(),
    );
    let ids: Vec<&str> = c.targets.iter().map(|t| t.source.as_str()).collect();
    lines.extend(source_footer(ds, &ids));
    records.footer = lines;
    emit(&records, ctx.format())
}
