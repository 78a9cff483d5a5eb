//! `fairshare explain`: the whole provenance chain of one value.
//!
//! ```text
//! $ fairshare explain JPN milex_gdp 2022
//! Japan (JPN) · milex_gdp · 2022
//!
//! 1.010 pct_gdp   definition sipri, source sipri-milex-2025 (SIPRI 2025)   ← what `show` prints
//!   ...
//! ```

use clap::Args;
use fairshare_dataset::{Definition, Measure, Obs};
use serde_json::Value;

use crate::context::{Context, check_years, resolve_countries};
use crate::error::CliError;
use crate::output::{Format, Records, human, number, observation_record, write_stdout};

pub const ABOUT: &str =
    "Show every definition and source for one value, with vintage, file, flags and notes";

pub const EXAMPLES: &str = "\
Examples:
  fairshare explain JPN milex_gdp 2022
      Japan's 2022 burden: 1.01% of GDP in SIPRI's 2025 release (The Diplomat's 2024
      article cites 1.1% from SIPRI's April 2023 fact sheet: an earlier vintage)
  fairshare explain WLD milex_gdp 2022
  fairshare explain POL milex_gdp 2024 --format json";

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Country: ISO3 code or name.
    pub country: String,
    /// Measure, e.g. milex_gdp.
    pub measure: String,
    /// Year (fiscal years are named by the year they start in).
    #[arg(allow_negative_numbers = true)]
    pub year: i32,
}

pub fn run(ctx: &mut Context, args: &ExplainArgs) -> Result<(), CliError> {
    let ds = ctx.dataset()?;
    let country = resolve_countries(ds, std::slice::from_ref(&args.country))?[0];
    let measure: Measure = args
        .measure
        .parse()
        .map_err(|e| CliError::usage(format!("{e}")))?;
    check_years(ds, Some(args.year), Some(args.year))?;
    let ex = ds.explain(&country.code, measure, args.year);
    if ex.observations.is_empty() {
        return Err(CliError::usage(format!(
            "no {} for {} ({}) in {}: try `fairshare show {} --measure {}` to see the years available",
            measure, country.name, country.code, args.year, country.code, measure
        )));
    }
    let preferred = |o: &Obs| {
        ds.get(
            o.country_code(),
            o.measure(),
            o.definition(),
            o.year_basis(),
            o.year(),
        )
        .is_some_and(|p| p.source_id() == o.source_id())
    };
    match ctx.format() {
        Format::Table => {
            let mut text = format!(
                "{} ({}) · {} · {}\n",
                country.name, country.code, measure, args.year
            );
            text.push_str(&format!("{}\n", measure.description()));
            for o in &ex.observations {
                text.push('\n');
                text.push_str(&describe(
                    o,
                    ds.resolve_definition(o.definition()).ok(),
                    preferred(o),
                ));
            }
            for s in &ex.same_series {
                text.push('\n');
                let agree = match s.max_abs_difference {
                    Some(d) if d <= 1e-9 * 100.0 => "their values agree".to_string(),
                    Some(d) => format!("their values differ by up to {d}"),
                    None => "one of them has no value".to_string(),
                };
                text.push_str(&format!(
                    "One series, several publishers: {} publish the {} definition for this cell ({}); {}. `show` prints {}.\n",
                    s.sources.join(" and "),
                    s.definition,
                    s.year_basis,
                    agree,
                    s.sources[0]
                ));
            }
            write_stdout(&text)
        }
        format => {
            let mut records = Records::new(vec![]);
            for o in &ex.observations {
                let mut r = observation_record(o);
                if let Some(s) = o.source() {
                    r.insert("source_title".into(), s.title.clone().into());
                    r.insert("publisher".into(), s.publisher.clone().into());
                    r.insert("file".into(), s.file.clone().into());
                    r.insert("released".into(), s.released.clone().into());
                    r.insert("url".into(), s.url.clone().into());
                    r.insert("licence".into(), s.licence.clone().into());
                    r.insert("citation".into(), s.citation.clone().into());
                }
                r.insert(
                    "notes".into(),
                    Value::Array(
                        o.notes()
                            .iter()
                            .map(|n| Value::from(format!("{}: {}", n.key, n.text)))
                            .collect(),
                    ),
                );
                r.insert("shown_by_default".into(), preferred(o).into());
                let same = ex.same_series.iter().find(|s| {
                    s.definition == o.definition()
                        && s.year_basis == o.year_basis()
                        && s.sources.iter().any(|x| x == o.source_id())
                });
                r.insert(
                    "same_series_as".into(),
                    Value::Array(
                        same.map(|s| {
                            s.sources
                                .iter()
                                .filter(|x| *x != o.source_id())
                                .map(|x| Value::from(x.as_str()))
                                .collect()
                        })
                        .unwrap_or_default(),
                    ),
                );
                r.insert("value".into(), number(o.value()));
                records.rows.push(r);
            }
            crate::output::emit(&records, format)
        }
    }
}

fn describe(o: &Obs, definition: Option<&Definition>, preferred: bool) -> String {
    let value = human(&number(o.value()), Some(o.unit().as_str()));
    let mut s = format!(
        "{} {}  ({}){}\n",
        value,
        o.unit(),
        o.unit().description(),
        if preferred {
            "  <- shown by `show`"
        } else {
            ""
        }
    );
    if let Some(v) = o.value() {
        s.push_str(&format!("  full value  {v}\n"));
    }
    match definition {
        Some(d) => s.push_str(&format!("  definition  {} — {}\n", d.id, d.name)),
        None => s.push_str(&format!("  definition  {}\n", o.definition())),
    }
    s.push_str(&format!(
        "  year        {} ({})\n",
        o.year(),
        o.year_basis().describe()
    ));
    match o.source() {
        Some(src) => {
            s.push_str(&format!(
                "  source      {} — {}, {}\n",
                src.id, src.publisher, src.title
            ));
            s.push_str(&format!(
                "  vintage     {} (released {})\n",
                src.vintage, src.released
            ));
            s.push_str(&format!("  file        {}\n", src.file));
            s.push_str(&format!("  licence     {}\n", src.licence));
            s.push_str(&format!("  url         {}\n", src.url));
            s.push_str(&format!("  cite as     {}\n", src.citation));
            if !src.note.is_empty() {
                s.push_str(&format!("  about       {}\n", src.note));
            }
        }
        None => s.push_str(&format!(
            "  source      {} ({})\n",
            o.source_id(),
            o.vintage()
        )),
    }
    if o.flags().is_empty() {
        s.push_str("  flags       none\n");
    } else {
        for f in o.flags().iter() {
            s.push_str(&format!(
                "  flag        {} — {}\n",
                f.as_str(),
                f.description()
            ));
        }
    }
    for n in o.notes() {
        let label = if n.key.starts_with("sheet:") {
            "sheet"
        } else {
            "note"
        };
        let key = n.key.strip_prefix("sheet:").unwrap_or(&n.key);
        s.push_str(&format!("  {label:<11} {key}: {}\n", n.text));
    }
    s
}
