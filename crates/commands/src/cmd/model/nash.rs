//! `fairshare model nash`: the public-good alliance model (Olson & Zeckhauser 1966) solved
//! exactly as a Nash equilibrium with corner solutions (Bergstrom, Blume & Varian 1986),
//! on incomes you give or on an alliance and year from the dataset, with what-ifs.
//!
//! ```text
//! $ fairshare model nash --incomes 100,80,20 --weight 0.5
//! ally  income  weight  contribution  contributor
//! 1        100     0.5            40  true
//! 2         80     0.5            20  true
//! 3         20     0.5             0  false
//!
//! Nash equilibrium (Bergstrom, Blume & Varian 1986): total 60 at price 1; 2 of 3 allies contribute
//! ```

use clap::Args;
use fairshare_dataset::{Dataset, Measure};
use fairshare_models::data::{self, NashData};
use fairshare_models::nash::{self, Change, Equilibrium, Role, WhatIf};
use serde_json::{Map, Value, json};

use super::{exact_number, fixed};
use crate::context::Context;
use crate::error::CliError;
use crate::output::{Format, Records, emit, money, source_footer, write_stdout};

pub const ABOUT: &str = "The public-good Nash equilibrium of an alliance (who contributes, who free-rides), on given incomes or an alliance's real spending, with what-ifs";

pub const EXAMPLES: &str = "\
Examples:
  fairshare model nash --incomes 100,80,20 --weight 0.5
      the textbook case: each ally spends half its full income on the common defence;
      equilibrium total 60, contributions 40, 20, 0 (the poorest ally free-rides)
  fairshare model nash --incomes 100,80,20 --weight 0.5 --format json
      {\"total\": 60, \"contributions\": [40, 20, 0], \"contributors\": [true, true, false]}
  fairshare model nash --incomes 100,80,20 --weight 0.5 --remove 1
      without the richest ally: the second pays everything (40), the total falls to 40
  fairshare model nash --alliance NATO --year 2024
      NATO's 2024 spending (SIPRI, current US$) read as the equilibrium: the weights
      a_i are calibrated so that every ally's spending is its best response to the others'
      (GDP in current US$ as income); Iceland, which spends nothing, is a corner solution
  fairshare model nash --alliance NATO --year 2024 --remove USA
      the equilibrium of the other allies if the United States left: each spends more,
      the alliance's total is far lower
  fairshare model nash --alliance NATO --year 2024 --scale USA=0.5
      the United States halves its contribution (held fixed; the others respond)
  fairshare model nash --alliance US-treaty-allies --year 2024 --scale-income USA=0.5

Incomes are GDP in current US$ (World Bank WDI, else IMF WEO for years the World Bank
has not published); spending is SIPRI's military expenditure in current US$; price 1,
so quantities are US$. Allies without both figures are left out and listed. In
US-treaty-allies the United States (the partner) plays with its allies.

Caveats: a stylised benchmark, not a forecast. One pure public good (no private benefits
of defence, no threat, no troops abroad); calibrated weights reproduce the chosen year by
construction and say nothing about fit; a what-if holds the weights fixed. For estimated
responses see `fairshare model fit`.";

#[derive(Debug, Args)]
pub struct NashArgs {
    /// Incomes of the allies, comma-separated, for a game of your own (with --weight).
    #[arg(long, value_name = "LIST", allow_hyphen_values = true, conflicts_with_all = ["alliance", "year"])]
    pub incomes: Option<String>,

    /// Weight a_i of defence in each ally's utility, one for all or one per ally
    /// (comma-separated), strictly between 0 and 1.
    #[arg(
        long,
        value_name = "W",
        allow_hyphen_values = true,
        requires = "incomes"
    )]
    pub weight: Option<String>,

    /// Price of a unit of defence in units of income.
    #[arg(
        long,
        value_name = "P",
        default_value_t = 1.0,
        allow_hyphen_values = true
    )]
    pub price: f64,

    /// Alliance from the dataset (NATO, US-treaty-allies) [default: NATO].
    #[arg(long, short = 'a', value_name = "A")]
    pub alliance: Option<String>,

    /// Year [default: the latest year with spending data].
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub year: Option<i32>,

    /// What if this ally left (a country with --alliance, a position 1.. with --incomes).
    #[arg(long, value_name = "MEMBER", conflicts_with_all = ["scale", "scale_income"])]
    pub remove: Option<String>,

    /// What if this ally provided FACTOR times its contribution (held fixed; the others
    /// respond): MEMBER=FACTOR, e.g. USA=0.5.
    #[arg(long, value_name = "MEMBER=FACTOR", conflicts_with = "scale_income")]
    pub scale: Option<String>,

    /// What if this ally's income were FACTOR times as large (it still optimises).
    #[arg(long, value_name = "MEMBER=FACTOR")]
    pub scale_income: Option<String>,
}

pub fn run(ctx: &mut Context, args: &NashArgs) -> Result<(), CliError> {
    match &args.incomes {
        Some(list) => on_incomes(ctx, args, list),
        None => on_alliance(ctx, args),
    }
}

fn parse_list(flag: &str, text: &str) -> Result<Vec<f64>, CliError> {
    text.split(',')
        .map(|s| {
            s.trim().parse::<f64>().map_err(|_| {
                CliError::usage(format!(
                    "{flag}: '{}' is not a number (give e.g. 100,80,20)",
                    s.trim()
                ))
            })
        })
        .collect()
}

/// The change asked for, with the member resolved by `find`.
fn change(
    args: &NashArgs,
    find: impl Fn(&str) -> Result<usize, CliError>,
) -> Result<Option<Change>, CliError> {
    let split = |flag: &str, s: &str| -> Result<(usize, f64), CliError> {
        let (who, factor) = s.split_once('=').ok_or_else(|| {
            CliError::usage(format!("{flag} {s}: expected MEMBER=FACTOR, e.g. USA=0.5"))
        })?;
        let factor: f64 = factor.trim().parse().map_err(|_| {
            CliError::usage(format!("{flag} {s}: '{}' is not a number", factor.trim()))
        })?;
        Ok((find(who.trim())?, factor))
    };
    Ok(if let Some(who) = &args.remove {
        Some(Change::Remove { member: find(who)? })
    } else if let Some(s) = &args.scale {
        let (member, factor) = split("--scale", s)?;
        Some(Change::ScaleContribution { member, factor })
    } else if let Some(s) = &args.scale_income {
        let (member, factor) = split("--scale-income", s)?;
        Some(Change::ScaleIncome { member, factor })
    } else {
        None
    })
}

fn nash_error(e: nash::NashError) -> CliError {
    CliError::usage(e.to_string())
}

fn on_incomes(ctx: &mut Context, args: &NashArgs, list: &str) -> Result<(), CliError> {
    let incomes = parse_list("--incomes", list)?;
    let weights = match &args.weight {
        None => {
            return Err(CliError::usage(
                "--incomes needs --weight: the share a_i of full income each ally would spend on defence, e.g. --weight 0.5",
            ));
        }
        Some(w) => {
            let w = parse_list("--weight", w)?;
            if w.len() == 1 {
                vec![w[0]; incomes.len()]
            } else {
                w
            }
        }
    };
    let n = incomes.len();
    let position = |s: &str| -> Result<usize, CliError> {
        s.parse::<usize>()
            .ok()
            .filter(|&p| (1..=n).contains(&p))
            .map(|p| p - 1)
            .ok_or_else(|| {
                CliError::usage(format!(
                    "'{s}' is not an ally: with --incomes, name allies by position, 1 to {n}"
                ))
            })
    };
    let change = change(args, position)?;
    let baseline = nash::solve(&incomes, &weights, args.price).map_err(nash_error)?;
    let what_if = match change {
        Some(c) => Some(nash::what_if(&incomes, &weights, args.price, c).map_err(nash_error)?),
        None => None,
    };

    if ctx.format() == Format::Json && !crate::output::capturing() {
        let value = match &what_if {
            None => equilibrium_json(&baseline),
            Some(w) => json!({
                "baseline": equilibrium_json(&w.baseline),
                "scenario": equilibrium_json(&w.scenario),
                "change": change_json(w, &|i| (i + 1).to_string()),
            }),
        };
        let mut text = super::one_line_json(&value);
        text.push('\n');
        return write_stdout(&text);
    }

    let mut records = Records::new(vec![
        "ally",
        "income",
        "weight",
        "contribution",
        "contributor",
    ]);
    if what_if.is_some() {
        records
            .table_columns
            .extend(["scenario", "scenario_contributor"]);
    }
    for i in 0..n {
        let mut r = Map::new();
        r.insert("ally".into(), (i + 1).into());
        r.insert("income".into(), exact_number(incomes[i]));
        r.insert("weight".into(), exact_number(weights[i]));
        r.insert(
            "contribution".into(),
            exact_number(baseline.contributions[i]),
        );
        r.insert("contributor".into(), baseline.contributors[i].into());
        if let Some(w) = &what_if {
            r.insert("scenario".into(), exact_number(w.scenario.contributions[i]));
            r.insert(
                "scenario_contributor".into(),
                match w.roles[i] {
                    Role::Removed => "removed".into(),
                    Role::Fixed => "fixed".into(),
                    Role::Strategic => w.scenario.contributors[i].into(),
                },
            );
        }
        records.rows.push(r);
    }
    let contributing = baseline.contributors.iter().filter(|c| **c).count();
    records.footer.push(format!(
        "Nash equilibrium (Bergstrom, Blume & Varian 1986): total {} at price {}; {contributing} of {n} allies contribute",
        fixed(baseline.total, 6),
        fixed(args.price, 6)
    ));
    if let Some(w) = &what_if {
        records.footer.push(format!(
            "{}: total {} (was {})",
            describe_change(&w.change, &|i| format!("ally {}", i + 1)),
            fixed(w.scenario.total, 6),
            fixed(w.baseline.total, 6)
        ));
    }
    emit(&records, ctx.format())
}

fn equilibrium_json(eq: &Equilibrium) -> Value {
    json!({
        "total": exact_number(eq.total),
        "contributions": eq.contributions.iter().map(|&q| exact_number(q)).collect::<Vec<_>>(),
        "contributors": eq.contributors,
    })
}

fn change_json(w: &WhatIf, name: &dyn Fn(usize) -> String) -> Value {
    match w.change {
        Change::Remove { member } => json!({"kind": "remove", "member": name(member)}),
        Change::ScaleContribution { member, factor } => {
            json!({"kind": "scale_contribution", "member": name(member), "factor": exact_number(factor)})
        }
        Change::ScaleIncome { member, factor } => {
            json!({"kind": "scale_income", "member": name(member), "factor": exact_number(factor)})
        }
        Change::FixContribution { member, amount } => {
            json!({"kind": "fix_contribution", "member": name(member), "amount": exact_number(amount)})
        }
    }
}

fn describe_change(change: &Change, name: &dyn Fn(usize) -> String) -> String {
    match *change {
        Change::Remove { member } => format!("Without {}", name(member)),
        Change::ScaleContribution { member, factor } => format!(
            "With {} providing {} times its contribution (held fixed)",
            name(member),
            fixed(factor, 3)
        ),
        Change::ScaleIncome { member, factor } => format!(
            "With {}'s income {} times as large",
            name(member),
            fixed(factor, 3)
        ),
        Change::FixContribution { member, amount } => {
            format!("With {} fixed at {}", name(member), fixed(amount, 3))
        }
    }
}

/// The latest year in which most of the alliance's players have spending data, scanning
/// back from SIPRI's last year.
fn default_year(ds: &Dataset, alliance: &str) -> Result<i32, CliError> {
    ds.commitments().alliance(alliance)?;
    let spending = data::Series::load(ds, Measure::MilexUsdCurrent, "sipri");
    let (first, last) = spending.years().unwrap_or((1949, 1949));
    for year in (first..=last).rev() {
        if let Ok(d) = data::nash_data(ds, alliance, year)
            && d.members.len() > d.missing.len()
        {
            return Ok(year);
        }
    }
    Err(CliError::usage(format!(
        "{alliance}: no year has spending data"
    )))
}

fn on_alliance(ctx: &mut Context, args: &NashArgs) -> Result<(), CliError> {
    if args.weight.is_some() {
        return Err(CliError::usage(
            "--weight goes with --incomes; with --alliance the weights are calibrated on the year's spending",
        ));
    }
    let ds = ctx.dataset()?;
    let alliance = args.alliance.as_deref().unwrap_or("NATO");
    let year = match args.year {
        Some(y) => y,
        None => default_year(ds, alliance)?,
    };
    let d: NashData =
        data::nash_data(ds, alliance, year).map_err(|e| CliError::usage(e.to_string()))?;
    let codes: Vec<&str> = d.members.iter().map(|m| m.country.as_str()).collect();
    let find = |s: &str| -> Result<usize, CliError> {
        let country = ds.countries().resolve(s)?;
        if let Some(i) = codes.iter().position(|c| *c == country.code) {
            return Ok(i);
        }
        let why = match d.missing.iter().find(|m| m.country == country.code) {
            Some(m) => format!("left out ({})", m.reason),
            None => format!("not a member of {} in {year}", d.alliance),
        };
        Err(CliError::usage(format!(
            "{} ({}) is {why}",
            country.code, country.name
        )))
    };
    let change = change(args, find)?;
    let incomes = d.incomes();
    let spending = d.spending();
    let calibration = nash::calibrate(&incomes, &spending).map_err(nash_error)?;
    let baseline = nash::solve(&incomes, &calibration.weights, 1.0).map_err(nash_error)?;
    let what_if = match change {
        Some(c) => Some(nash::what_if(&incomes, &calibration.weights, 1.0, c).map_err(nash_error)?),
        None => None,
    };
    let name = |i: usize| d.members[i].country.clone();

    let mut source_ids: Vec<String> = d.sources();
    source_ids.sort();
    let sources: Vec<Value> = source_ids
        .iter()
        .map(|id| {
            let vintage = ds
                .sources()
                .get(id)
                .map(|s| s.vintage.clone())
                .unwrap_or_default();
            json!({"id": id, "vintage": vintage})
        })
        .collect();

    let mut rows: Vec<Map<String, Value>> = Vec::new();
    for (i, m) in d.members.iter().enumerate() {
        let mut r = Map::new();
        r.insert("alliance".into(), d.alliance.clone().into());
        r.insert("year".into(), year.into());
        r.insert("country".into(), m.country.clone().into());
        r.insert("name".into(), m.name.clone().into());
        r.insert("gdp_usd".into(), number_value(m.income.value));
        r.insert("gdp_source".into(), m.income.source.clone().into());
        r.insert("milex_usd".into(), number_value(m.spending.value));
        r.insert("milex_source".into(), m.spending.source.clone().into());
        r.insert(
            "share_of_total".into(),
            number_value(100.0 * m.spending.value / calibration.total_spending),
        );
        r.insert("weight".into(), number_value(calibration.weights[i]));
        r.insert(
            "equilibrium_usd".into(),
            number_value(baseline.contributions[i]),
        );
        r.insert("contributor".into(), baseline.contributors[i].into());
        if let Some(w) = &what_if {
            r.insert(
                "scenario_usd".into(),
                number_value(w.scenario.contributions[i]),
            );
            r.insert(
                "change_usd".into(),
                number_value(w.scenario.contributions[i] - baseline.contributions[i]),
            );
            r.insert(
                "scenario_role".into(),
                match w.roles[i] {
                    Role::Removed => "removed",
                    Role::Fixed => "fixed",
                    Role::Strategic if w.scenario.contributors[i] => "contributor",
                    Role::Strategic => "free rider",
                }
                .into(),
            );
        }
        let flags: Vec<String> = m
            .income
            .flags
            .iter()
            .chain(&m.spending.flags)
            .cloned()
            .collect();
        r.insert("flags".into(), flags.into());
        rows.push(r);
    }

    let mut notes = vec![format!(
        "{} {year} as a Nash equilibrium (Bergstrom, Blume & Varian 1986): {} allies with data, \
         total military expenditure US$ {} (current); weights a_i = M/(I_i + M − m_i) calibrated \
         so that each ally's spending is its best response (price 1: quantities in US$). \
         The equilibrium reproduces the observed spending{}.",
        d.alliance,
        d.members.len(),
        money_words(calibration.total_spending),
        max_gap(&baseline, &spending)
    )];
    for (i, zero) in calibration.zero_spenders.iter().enumerate() {
        if *zero {
            notes.push(format!(
                "{} spends nothing: a corner solution; its weight is the largest consistent \
                 with spending nothing (any smaller fits as well).",
                name(i)
            ));
        }
    }
    if let Some(w) = &what_if {
        let others: f64 = (0..d.members.len())
            .filter(|&i| w.roles[i] == Role::Strategic)
            .map(|i| baseline.contributions[i])
            .sum();
        let others_after: f64 = (0..d.members.len())
            .filter(|&i| w.roles[i] == Role::Strategic)
            .map(|i| w.scenario.contributions[i])
            .sum();
        let strategic = w.roles.iter().filter(|r| **r == Role::Strategic).count();
        let contributing = (0..d.members.len())
            .filter(|&i| w.roles[i] == Role::Strategic && w.scenario.contributors[i])
            .count();
        notes.push(format!(
            "{}: the {strategic} other allies spend US$ {} in equilibrium (was {}: {:+.1}%), \
             {contributing} of them contribute; the alliance's total is US$ {} (was {}: {:+.1}%).",
            describe_change(&w.change, &name),
            money_words(others_after),
            money_words(others),
            100.0 * (others_after / others - 1.0),
            money_words(w.scenario.total),
            money_words(baseline.total),
            100.0 * (w.scenario.total / baseline.total - 1.0)
        ));
    }
    for m in &d.missing {
        notes.push(format!("Left out: {} ({}).", m.country, m.reason));
    }
    notes.push(
        "A stylised benchmark: one pure public good, no threat, no private benefits; weights are \
         held fixed in a what-if."
            .into(),
    );

    if ctx.format() == Format::Json && !crate::output::capturing() {
        let value = json!({
            "alliance": d.alliance,
            "year": year,
            "price": 1,
            "unit": "usd_current",
            "total": number_value(baseline.total),
            "members": rows,
            "missing": d.missing,
            "what_if": what_if.as_ref().map(|w| json!({
                "change": change_json(w, &name),
                "total": number_value(w.scenario.total),
            })),
            "sources": sources,
            "notes": notes,
        });
        let mut text = serde_json::to_string_pretty(&value).expect("JSON values serialize");
        text.push('\n');
        return write_stdout(&text);
    }
    let mut columns = vec![
        "country",
        "gdp_usd",
        "milex_usd",
        "share_of_total",
        "weight",
        "contributor",
    ];
    if what_if.is_some() {
        columns.extend(["scenario_usd", "change_usd", "scenario_role"]);
    }
    let mut records = Records::new(columns);
    records.rows = rows;
    records.footer = notes;
    let ids: Vec<&str> = source_ids.iter().map(String::as_str).collect();
    records.footer.extend(source_footer(ds, &ids));
    emit(&records, ctx.format())
}

fn money_words(x: f64) -> String {
    money(x, "").trim().to_string()
}

/// " (largest difference US$ …)" when the equilibrium is not exactly the observed spending.
fn max_gap(eq: &Equilibrium, observed: &[f64]) -> String {
    let gap = eq
        .contributions
        .iter()
        .zip(observed)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    if gap == 0.0 {
        " exactly".into()
    } else {
        format!(" to within US$ {gap:.3e}")
    }
}

/// Full-precision JSON number (null if not finite): the dataset mode keeps floats as
/// floats, so the table shows money rounded and scaled.
fn number_value(x: f64) -> Value {
    crate::output::number(Some(x).filter(|v| v.is_finite()))
}
