//! `fairshare hns`: what a host pays toward the US forces it hosts, by year, against US
//! troops and its defence budget; with `--demand`, what a US demand would mean.
//!
//! ```text
//! $ fairshare hns Japan --demand 8e9USD --from 2023
//! year  basis                                                      hns_lcu     hns_usd   lcu_per_usd  us_troops  hns_per_troop_usd  share_of_budget  demand_multiple  ...  flags
//! 2023  FY2022-26 agreement average: JPY 1055.1 bn over 5 year(s)  211.020 bn  1.474 bn      143.210  54,335                27,119            2.948  5.429            ...  plan
//! 2024  FY2022-26 agreement average: JPY 1055.1 bn over 5 year(s)  211.020 bn  1.399 bn      150.817  52,754                26,523            2.404  5.718            ...  plan
//! 2025  FY2022-26 agreement average: JPY 1055.1 bn over 5 year(s)  211.020 bn  1.422 bn      148.395  53,621                26,520                —  5.626            ...  plan
//! 2026  FY2022-26 agreement average: JPY 1055.1 bn over 5 year(s)  211.020 bn  1.447 bn      145.798                             —                —  5.527            ...  plan
//!
//! scope: SMA cost-sharing (...) plus the Facilities Improvement Program and welfare costs (...);
//! excludes the US-forces realignment, SACO and base-land costs (...) that Japan also pays
//! ...
//! demand US$ 8.000 bn a year against FY2026 support of JPY 211.020 bn (...): JPY 1.166 tn = 5.53 x
//! the support, JPY 955.367 bn more, at 145.80 JPY/US$ (9/12 imf-implied 2026 + 3/12 imf-implied
//! 2027; projection;spliced)
//!   = 13.75% of the FY2024 defence budget (sipri JPY 8.776 tn; the latest year with a budget ...)
//!   = 0.181% of FY2026 GDP (JPY 642.934 tn, IMF WEO; projection)
//!   = US$ 149,196 per US service member (2025 DMDC mean 53,621), against US$ 26,520 for support
//! ```

use clap::Args;
use fairshare_dataset::{Dataset, Flag, Flags};
use fairshare_metrics::hns::{
    Demand, HnsLedger, HnsOptions, HnsYear, SupportKind, TROOPS_DEFINITION, hns_ledger,
};
use serde_json::{Map, Value};

use crate::context::{Context, check_years, resolve_countries};
use crate::error::CliError;
use crate::output::{
    Records, emit, flags_footer, flags_value, human, money, number, source_footer,
};

pub const ABOUT: &str = "Host-nation support by year (local currency, US$, per US service member, share of the defence budget) and what a US demand would mean";

pub const EXAMPLES: &str = "\
Examples:
  fairshare hns Japan
      Japan's host-nation support by April-March fiscal year: initial budgets and settled
      outlays where published, the Special Measures Agreement averages (FY2022-26:
      ¥1,055.1 bn, ¥211.0 bn a year), null where no figure was found
  fairshare hns Japan --demand 8e9USD
      the $8 billion a year John Bolton reported Trump wanted from Japan: 5.5 times the
      FY2022-26 agreement's ¥211.0 bn a year at FY2026's projected rate (5.7 at FY2024's),
      13.7% of the FY2024 defence budget, 0.18% of GDP, US$149,000 per US service member
  fairshare hns KOR --demand 10e9USD
      the $10 billion a year Trump named for South Korea in 2024, against the 12th SMA's
      ₩1.5192 trillion for 2026: 9.6 times, 21% of the 2024 defence budget
  fairshare hns Japan --budget national:jp-mod --from 2021
      shares of the Ministry of Defense budget instead of SIPRI's fiscal-year series
  fairshare hns KOR --demand 1.5e12KRW --format json
  fairshare hns Japan --demand 8e9USD --year 2024
      read the demand against FY2024 instead of the latest year

Scope: SMA cost-sharing (for Japan with the Facilities Improvement Program and welfare
costs that make up host-nation support), not the realignment, SACO and base-land costs
Japan also pays. US$ at the year's annual-average exchange rate: World Bank official rate,
IMF-implied (GDP in LCU / GDP in US$) after the World Bank's last year, flagged spliced; a
fiscal year takes 3/4 of its first calendar year's rate and 1/4 of the next. US troops:
mean of the year's DMDC reports (assigned active duty; a fiscal year takes the calendar
year it starts in). A demand is an amount and a currency: 8e9USD, 8e9 USD, 211e9JPY; the
currency must be USD or the country's own.";

#[derive(Debug, Args)]
pub struct HnsArgs {
    /// Country: ISO3 code or name (Japan, South Korea).
    pub country: String,

    /// A yearly demand, amount and currency: 8e9USD, 8e9 USD, 211e9JPY, 1.5e12KRW.
    #[arg(long, value_name = "AMOUNT")]
    pub demand: Option<String>,

    /// Defence budget definition for the shares [default: sipri, on the support's year basis].
    #[arg(long, value_name = "D")]
    pub budget: Option<String>,

    /// First year shown [default: the first support figure].
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub from: Option<i32>,

    /// Last year shown [default: the last support figure].
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub to: Option<i32>,

    /// The year a demand's headline reads against [default: the latest support figure].
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub year: Option<i32>,
}

pub fn run(ctx: &mut Context, args: &HnsArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let country = resolve_countries(ds, std::slice::from_ref(&args.country))?[0];
    check_years(ds, args.from, args.to)?;
    let demand = args
        .demand
        .as_deref()
        .map(Demand::parse)
        .transpose()
        .map_err(|e| CliError::usage(format!("--demand: {e}")))?;
    let budget_definition = match &args.budget {
        Some(d) => Some(ds.resolve_definition(d)?.id.clone()),
        None => None,
    };
    let ledger = hns_ledger(
        ds,
        &country.code,
        &HnsOptions {
            budget_definition,
            from: args.from,
            to: args.to,
            demand,
            reference_year: args.year,
        },
    )?;

    let mut columns = vec![
        "year",
        "basis",
        "hns_lcu",
        "hns_usd",
        "lcu_per_usd",
        "us_troops",
        "hns_per_troop_usd",
        "share_of_budget",
    ];
    if ledger.demand.is_some() {
        columns.extend([
            "demand_multiple",
            "demand_share_of_budget",
            "demand_share_of_gdp",
        ]);
    }
    columns.push("flags");
    let mut records = Records::new(columns);
    for y in &ledger.years {
        records.rows.push(record(ds, &ledger, y));
    }
    records.footer = footer(ds, &ledger);
    emit(&records, ctx.format())
}

fn fy(ledger: &HnsLedger, year: i32) -> String {
    if ledger.year_basis == fairshare_dataset::YearBasis::Calendar {
        year.to_string()
    } else {
        format!("FY{year}")
    }
}

fn record(ds: &Dataset, ledger: &HnsLedger, y: &HnsYear) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("country".into(), ledger.country.clone().into());
    m.insert(
        "country_name".into(),
        ds.countries()
            .get(&ledger.country)
            .map(|c| c.name.clone())
            .unwrap_or_default()
            .into(),
    );
    m.insert("measure".into(), "hns_lcu".into());
    m.insert("year".into(), y.year.into());
    m.insert("year_basis".into(), ledger.year_basis.to_string().into());
    m.insert("value".into(), number(y.hns_lcu));
    m.insert("unit".into(), "lcu".into());
    m.insert("currency".into(), ledger.currency.clone().into());
    m.insert("definition".into(), y.definition.clone().into());
    m.insert("source".into(), opt(&y.source));
    m.insert("vintage".into(), opt(&y.vintage));
    m.insert("flags".into(), flags_value(y.flags));
    m.insert(
        "kind".into(),
        match y.kind {
            SupportKind::Annual => "annual",
            SupportKind::AgreementAverage => "agreement_average",
            SupportKind::NoFigure => "no_figure",
        }
        .into(),
    );
    m.insert("basis".into(), y.basis.clone().into());
    m.insert("agreement".into(), opt(&y.agreement));
    m.insert("hns_lcu".into(), number(y.hns_lcu));
    m.insert("hns_usd".into(), number(y.hns_usd));
    m.insert(
        "lcu_per_usd".into(),
        number(y.rate.as_ref().map(|r| r.lcu_per_usd)),
    );
    m.insert(
        "exchange_rate".into(),
        y.rate
            .as_ref()
            .map(|r| Value::from(r.describe()))
            .unwrap_or(Value::Null),
    );
    m.insert(
        "usd_flags".into(),
        flags_value(y.rate.as_ref().map(|r| r.flags).unwrap_or_default()),
    );
    m.insert("us_troops".into(), number(y.us_troops));
    m.insert("troops_year".into(), y.troops_year.into());
    m.insert("troops_definition".into(), TROOPS_DEFINITION.into());
    m.insert("troops_flags".into(), flags_value(y.troops_flags));
    m.insert("hns_per_troop_usd".into(), number(y.hns_per_troop_usd));
    m.insert("budget_lcu".into(), number(y.budget_lcu));
    m.insert(
        "budget_definition".into(),
        ledger.budget_definition.clone().into(),
    );
    m.insert("budget_flags".into(), flags_value(y.budget_flags));
    m.insert("share_of_budget".into(), number(y.share_of_budget));
    m.insert("gdp_lcu".into(), number(y.gdp_lcu));
    m.insert("gdp_flags".into(), flags_value(y.gdp_flags));
    if let (Some(d), Some(dy)) = (&ledger.demand, &y.demand) {
        m.insert("demand_amount".into(), number(Some(d.amount)));
        m.insert("demand_currency".into(), d.currency.clone().into());
        m.insert("demand_usd".into(), number(dy.usd));
        m.insert("demand_lcu".into(), number(dy.lcu));
        m.insert("demand_multiple".into(), number(dy.multiple));
        m.insert("demand_extra_lcu".into(), number(dy.extra_lcu));
        m.insert("demand_share_of_budget".into(), number(dy.share_of_budget));
        m.insert("demand_share_of_gdp".into(), number(dy.share_of_gdp));
        m.insert("demand_per_troop_usd".into(), number(dy.per_troop_usd));
    }
    m.insert("scope".into(), ledger.scope.into());
    m
}

fn opt(s: &Option<String>) -> Value {
    s.clone().map(Value::from).unwrap_or(Value::Null)
}

fn footer(ds: &Dataset, ledger: &HnsLedger) -> Vec<String> {
    let cur = &ledger.currency;
    let mut lines = vec![format!("scope: {}", ledger.scope)];
    let first = ledger.years.first().map(|y| y.year).unwrap_or(0);
    let last = ledger.years.last().map(|y| y.year).unwrap_or(0);
    let missing: Vec<String> = ledger
        .years
        .iter()
        .filter(|y| y.kind == SupportKind::NoFigure)
        .map(|y| y.year.to_string())
        .collect();
    lines.push(format!(
        "{} ({}): {}-{}; {}",
        ledger.country,
        ledger.year_basis.describe(),
        fy(ledger, first),
        fy(ledger, last),
        if missing.is_empty() {
            "a figure for every year".to_string()
        } else {
            format!(
                "no figure (null, not interpolated) for {}",
                missing.join(", ")
            )
        }
    ));
    for p in &ledger.agreements {
        lines.push(format!(
            "agreement {}: {} {} over FY{}-FY{} ({} a year on average; an agreement's level, \
             not a yearly figure; flags {}), source {}: {}",
            p.id,
            p.name,
            money(p.amount, cur),
            p.from_year,
            p.to_year,
            money(p.amount / f64::from(p.years()), cur),
            p.flags,
            p.source,
            p.source_url
        ));
    }
    lines.push(
        "US$: annual-average exchange rate, World Bank official rate, IMF-implied (GDP in LCU / \
         GDP in US$) after the World Bank's last year (flag spliced); fiscal years weigh their \
         two calendar years 3/4 and 1/4 (JSON: exchange_rate, usd_flags)"
            .to_string(),
    );
    lines.push(format!(
        "US troops: {TROOPS_DEFINITION}, mean of the year's DMDC reports of active-duty \
         personnel assigned to the host{}{}",
        if ledger.year_basis == fairshare_dataset::YearBasis::Calendar {
            ""
        } else {
            "; a fiscal year takes the calendar year it starts in"
        },
        if ledger.country == "KOR" {
            "; excludes units on rotation (US Forces Korea's quoted 28,500 includes them)"
        } else {
            ""
        }
    ));
    let years_with = |f: &dyn Fn(&HnsYear) -> bool| -> Vec<String> {
        let mut ys: Vec<String> = ledger
            .years
            .iter()
            .filter(|y| f(y))
            .map(|y| fy(ledger, y.year))
            .collect();
        ys.dedup();
        ys
    };
    let glitches = years_with(&|y| y.troops_flags.contains(Flag::Glitch));
    if !glitches.is_empty() {
        lines.push(format!(
            "  troop counts flagged glitch (DMDC artefacts kept as published; fairshare explain {} us_troops YEAR): {}",
            ledger.country,
            glitches.join(", ")
        ));
    }
    let spliced = years_with(&|y| {
        y.rate
            .as_ref()
            .is_some_and(|r| r.flags.contains(Flag::Spliced))
    });
    if !spliced.is_empty() {
        lines.push(format!(
            "  IMF-implied rates (spliced) in {}; projected in {}",
            spliced.join(", "),
            {
                let p = years_with(&|y| {
                    y.rate
                        .as_ref()
                        .is_some_and(|r| r.flags.contains(Flag::Projection))
                });
                if p.is_empty() {
                    "none".to_string()
                } else {
                    p.join(", ")
                }
            }
        ));
    }
    lines.push(format!(
        "defence budget: {} milex_lcu, {} (share_of_budget = support / budget)",
        ledger.budget_definition,
        ledger.year_basis.describe()
    ));
    if let (Some(d), Some(h)) = (&ledger.demand, &ledger.headline) {
        lines.extend(headline(ledger, d, h));
    } else if let Some(d) = &ledger.demand {
        lines.push(format!(
            "demand {} {}: no year has both a support figure and an exchange rate",
            d.currency, d.amount
        ));
    }
    let mut ids: Vec<&str> = ledger
        .years
        .iter()
        .filter_map(|y| y.source.as_deref())
        .collect();
    ids.extend(
        ledger
            .years
            .iter()
            .filter_map(|y| y.budget_source.as_deref()),
    );
    for y in &ledger.years {
        if let Some(r) = &y.rate {
            ids.extend(r.sources());
        }
    }
    let troops: Vec<&str> = ds
        .of_country(&ledger.country)
        .filter(|o| o.definition() == TROOPS_DEFINITION)
        .map(|o| o.source_id())
        .take(1)
        .collect();
    ids.extend(troops);
    lines.extend(source_footer(ds, &ids));
    lines.extend(flags_footer(ledger.years.iter().map(|y| {
        y.flags
            .union(y.troops_flags)
            .union(y.rate.as_ref().map(|r| r.flags).unwrap_or(Flags::EMPTY))
    })));
    lines.push("Values are rounded for reading; --format csv or json give full precision.".into());
    lines
}

fn headline(ledger: &HnsLedger, d: &Demand, h: &fairshare_metrics::hns::Headline) -> Vec<String> {
    let cur = &ledger.currency;
    let s = &ledger.years[h.support];
    let Some(dy) = &s.demand else {
        return Vec::new();
    };
    let rate = s
        .rate
        .as_ref()
        .map(|r| {
            format!(
                "at {:.2} {cur}/US$ ({}{})",
                r.lcu_per_usd,
                r.describe(),
                if r.flags.is_empty() {
                    String::new()
                } else {
                    format!("; {}", r.flags)
                }
            )
        })
        .unwrap_or_default();
    let stated = if d.currency == "USD" {
        money(d.amount, "US$")
    } else {
        money(d.amount, &d.currency)
    };
    let mut lines = vec![format!(
        "demand {stated} a year against {} support of {} ({}; flags {}): {} = {:.2} x the \
         support, {} more{}",
        fy(ledger, s.year),
        s.hns_lcu.map(|v| money(v, cur)).unwrap_or_default(),
        s.basis,
        s.flags,
        dy.lcu.map(|v| money(v, cur)).unwrap_or_default(),
        dy.multiple.unwrap_or(f64::NAN),
        dy.extra_lcu.map(|v| money(v, cur)).unwrap_or_default(),
        if rate.is_empty() {
            String::new()
        } else {
            format!(", {rate}")
        }
    )];
    let row = |i: Option<usize>| i.map(|i| &ledger.years[i]);
    match row(h.budget) {
        Some(b) => {
            let by = b.demand.as_ref();
            lines.push(format!(
                "  = {:.2}% of the {} defence budget ({} {}{}); {}",
                by.and_then(|x| x.share_of_budget).unwrap_or(f64::NAN),
                fy(ledger, b.year),
                ledger.budget_definition,
                b.budget_lcu.map(|v| money(v, cur)).unwrap_or_default(),
                if b.year == s.year {
                    String::new()
                } else {
                    "; the latest year with a budget figure, demand at that year's rate".into()
                },
                b.share_of_budget
                    .map(|v| format!("support that year: {v:.2}%"))
                    .unwrap_or_else(|| "no support figure that year".into())
            ));
        }
        None => lines.push(format!(
            "  no {} defence budget figure up to {}",
            ledger.budget_definition,
            fy(ledger, s.year)
        )),
    }
    if let Some(g) = row(h.gdp) {
        lines.push(format!(
            "  = {:.3}% of {} GDP ({}, IMF WEO{})",
            g.demand
                .as_ref()
                .and_then(|x| x.share_of_gdp)
                .unwrap_or(f64::NAN),
            fy(ledger, g.year),
            g.gdp_lcu.map(|v| money(v, cur)).unwrap_or_default(),
            if g.gdp_flags.is_empty() {
                String::new()
            } else {
                format!("; {}", g.gdp_flags)
            }
        ));
    }
    if let Some(t) = row(h.troops) {
        lines.push(format!(
            "  = {} per US service member ({} DMDC mean {}), against {} for support",
            t.demand
                .as_ref()
                .and_then(|x| x.per_troop_usd)
                .map(|v| money(v, "US$"))
                .unwrap_or_default(),
            t.troops_year,
            human(&number(t.us_troops), None),
            t.hns_per_troop_usd
                .map(|v| money(v, "US$"))
                .unwrap_or_else(|| "no figure".into())
        ));
    }
    lines
}
