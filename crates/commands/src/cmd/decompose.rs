//! `fairshare decompose`: the change in a country's US$ military spending between two
//! years, split into real growth, domestic inflation and the exchange rate.
//!
//! ```text
//! $ fairshare decompose Japan --from 2012 --to 2024
//! component      from_value  to_value   factor  change_pct  log_change  log_share
//! total          60.012 bn   55.307 bn  0.922   -7.839      -8.163      1.000
//! real           4.788 tn    7.401 tn   1.546   54.561      43.542      -5.334
//! inflation      96.642      109.318    1.131   13.116      12.325      -1.510
//! exchange_rate  79.790      151.366    0.527   -47.287     -64.030     7.844
//! ```
//! The yen figure rose 75% (55% real, 13% prices) while the dollar figure fell 8%: the yen
//! went from 79.8 to 151.4 per dollar.

use clap::{Args, ValueEnum};
use fairshare_dataset::Dataset;
use fairshare_metrics::decompose::{Decomposition, Deflator, RateChoice, decompose};
use serde_json::Map;

use crate::context::{Context, check_years, parse_definitions, resolve_countries};
use crate::error::CliError;
use crate::output::{Records, emit, flags_footer, flags_value, money, number, source_footer};

pub const ABOUT: &str = "Why US$ military spending changed between two years: real growth x inflation x exchange rate, exactly";

pub const EXAMPLES: &str = "\
Examples:
  fairshare decompose Japan --from 2012 --to 2024
      Japan's SIPRI spending: the yen figure rose by three quarters while the dollar figure
      fell, because the yen lost about half its value against the dollar
  fairshare decompose Germany --from 2014 --to 2024 --definition nato
  fairshare decompose KOR --from 2015 --to 2023 --deflator wb --rate spending

USD(to)/USD(from) = real growth x inflation x exchange rate, where inflation is the GDP
deflator's change, real growth the local-currency change deflated by it, and the
exchange-rate factor rate(from)/rate(to) (local currency per US$). The three multiply
back to the total exactly; log_share = ln(factor) / ln(total) says how much of the change
each accounts for (they sum to 1; when the total change is small they are large and of
opposite signs: read log_change, 100 x ln(factor), which adds up). US$ are spending / rate: with --rate spending they are
the publisher's own US$ figures; otherwise they differ from them slightly (shown).";

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DeflatorArg {
    /// IMF WEO GDP deflator (NGDP_D).
    Imf,
    /// World Bank: GDP in current / constant local currency.
    Wb,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RateArg {
    /// World Bank official rate, IMF-implied after the World Bank's last year.
    Wb,
    /// IMF-implied (GDP in LCU / GDP in US$).
    Imf,
    /// The spending publisher's own (its local-currency / US$ figures).
    Spending,
}

#[derive(Debug, Args)]
pub struct DecomposeArgs {
    /// Country: ISO3 code or name.
    pub country: String,

    /// First year.
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub from: i32,

    /// Last year.
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub to: i32,

    /// Spending definition (sipri, nato).
    #[arg(long, short = 'd', value_name = "D", default_value = "sipri")]
    pub definition: String,

    /// GDP deflator.
    #[arg(long, value_enum, default_value_t = DeflatorArg::Imf)]
    pub deflator: DeflatorArg,

    /// Exchange rate.
    #[arg(long, value_enum, default_value_t = RateArg::Wb)]
    pub rate: RateArg,
}

pub fn run(ctx: &mut Context, args: &DecomposeArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let country = resolve_countries(ds, std::slice::from_ref(&args.country))?[0];
    check_years(ds, Some(args.from), Some(args.to))?;
    let definition = parse_definitions(ds, std::slice::from_ref(&args.definition))?
        .into_iter()
        .next()
        .unwrap_or_else(|| "sipri".to_string());
    let deflator = match args.deflator {
        DeflatorArg::Imf => Deflator::Imf,
        DeflatorArg::Wb => Deflator::WorldBank,
    };
    let rate = match args.rate {
        RateArg::Wb => RateChoice::WorldBank,
        RateArg::Imf => RateChoice::Imf,
        RateArg::Spending => RateChoice::Spending,
    };
    let d = decompose(
        ds,
        &country.code,
        args.from,
        args.to,
        &definition,
        deflator,
        rate,
    )?;
    let mut records = Records::new(vec![
        "component",
        "from_value",
        "to_value",
        "factor",
        "change_pct",
        "log_change",
        "log_share",
    ]);
    let (a, b) = (&d.from, &d.to);
    let values = |name: &str| -> (Option<f64>, Option<f64>) {
        match name {
            "total" => (Some(a.usd), Some(b.usd)),
            "real" => (Some(a.lcu), Some(b.lcu / d.inflation)),
            "inflation" => (Some(a.deflator), Some(b.deflator)),
            _ => (Some(a.lcu_per_usd), Some(b.lcu_per_usd)),
        }
    };
    for f in d.factors() {
        let (from_value, to_value) = values(f.name);
        let mut m = Map::new();
        m.insert("country".into(), d.country.clone().into());
        m.insert("measure".into(), "milex_usd_current".into());
        m.insert("year".into(), b.year.into());
        m.insert("year_basis".into(), "calendar".into());
        m.insert("value".into(), number(Some(f.factor)));
        m.insert("unit".into(), "factor".into());
        m.insert("definition".into(), d.definition.clone().into());
        m.insert("source".into(), b.source.clone().into());
        m.insert("vintage".into(), b.vintage.clone().into());
        m.insert(
            "flags".into(),
            flags_value(match f.name {
                "exchange_rate" | "total" => a.rate_flags.union(b.rate_flags),
                "inflation" => a.deflator_flags.union(b.deflator_flags),
                _ => a.flags.union(b.flags),
            }),
        );
        m.insert("component".into(), f.name.into());
        m.insert("from_year".into(), a.year.into());
        m.insert("to_year".into(), b.year.into());
        m.insert(
            "meaning".into(),
            match f.name {
                "total" => "spending in US$ at the stated rates",
                "real" => "spending in local currency at from-year prices (GDP deflator)",
                "inflation" => "GDP deflator",
                _ => "local currency per US$ (factor = from / to)",
            }
            .into(),
        );
        m.insert("from_value".into(), number(from_value));
        m.insert("to_value".into(), number(to_value));
        m.insert("factor".into(), number(Some(f.factor)));
        m.insert("change_pct".into(), number(Some(f.change_pct())));
        m.insert("log_change".into(), number(Some(f.factor.ln() * 100.0)));
        m.insert("log_share".into(), number(f.log_share));
        records.rows.push(m);
    }
    records.footer = footer(ds, &d);
    emit(&records, ctx.format())
}

fn footer(ds: &Dataset, d: &Decomposition) -> Vec<String> {
    let (a, b) = (&d.from, &d.to);
    let cur = &d.currency;
    let mut lines = vec![
        format!(
            "{} {}: {} -> {} ({} -> {}), x{:.4}; in {cur}: {} -> {}, x{:.4}",
            d.country,
            d.definition,
            a.year,
            b.year,
            money(a.usd, "US$"),
            money(b.usd, "US$"),
            d.total,
            money(a.lcu, cur),
            money(b.lcu, cur),
            d.nominal_lcu
        ),
        format!(
            "x{:.4} total = x{:.4} real growth x x{:.4} inflation x x{:.4} exchange rate \
             (product x{:.4}; log shares {})",
            d.total,
            d.real,
            d.inflation,
            d.exchange_rate,
            d.real * d.inflation * d.exchange_rate,
            d.factors()[1..]
                .iter()
                .map(|f| format!(
                    "{} {}",
                    f.name,
                    f.log_share
                        .map(|s| format!("{s:.3}"))
                        .unwrap_or_else(|| "—".into())
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!("deflator: {}", d.deflator.describe()),
        format!(
            "exchange rate: {}: {} {:.3} ({}) -> {} {:.3} ({}){}",
            d.rate.describe(),
            a.year,
            a.lcu_per_usd,
            a.rate_label,
            b.year,
            b.lcu_per_usd,
            b.rate_label,
            if a.rate_flags.union(b.rate_flags).is_empty() {
                String::new()
            } else {
                format!("; flags {}", a.rate_flags.union(b.rate_flags))
            }
        ),
    ];
    if let (Some(pa), Some(pb)) = (a.usd_published, b.usd_published) {
        lines.push(format!(
            "the publisher's own US$ figures: {} -> {} (x{:.4}; its own exchange rates)",
            money(pa, "US$"),
            money(pb, "US$"),
            pb / pa
        ));
    }
    let ids = [
        a.source.as_str(),
        b.source.as_str(),
        a.rate_source.as_str(),
        b.rate_source.as_str(),
        a.deflator_source.as_str(),
        b.deflator_source.as_str(),
    ];
    lines.extend(source_footer(ds, &ids));
    lines.extend(flags_footer([
        a.flags.union(b.flags),
        a.rate_flags.union(b.rate_flags),
        a.deflator_flags.union(b.deflator_flags),
    ]));
    lines.push("Values are rounded for reading; --format csv or json give full precision.".into());
    lines
}
