//! `fairshare model fit`: the demand for military expenditure, a fixed-effects panel
//! regression on the dataset, from a specification file (`models/*.toml`), printed like a
//! statsmodels summary.
//!
//! ```text
//! $ fairshare model fit
//! Demand for military expenditure: demand-nato-us-allies-1990
//! ...
//! term          coef  std err      t  P>|t|   [0.025  0.975]
//! L.ln_milex  0.9350   0.0233  40.13  0.000   0.8877  0.9823
//! ...
//! ```

use std::path::{Path, PathBuf};

use clap::Args;
use fairshare_dataset::Dataset;
use fairshare_models::data::{self, PanelData};
use fairshare_models::panel::{Coefficient, Covariance, PanelFit};
use fairshare_models::spec::{self, AllySource, DemandSpec, SpecError};
use serde_json::{Map, Value};

use super::exact_number;
use crate::context::Context;
use crate::error::CliError;
use crate::output::{Format, Records, emit, source_footer, write_stdout};

pub const ABOUT: &str = "The demand for military expenditure: a fixed-effects panel regression of spending on income, allies' spending (spill-in) and rivals' spending (threat)";

pub const EXAMPLES: &str = "\
Examples:
  fairshare model fit
      the built-in specification (models/demand-nato-us-allies-1990.toml): NATO members
      and US treaty allies, 1990-2024, 36 countries, 957 observations. Long-run
      elasticities: income about 1.8, spill-in about -1.6, threat about 0.4
  fairshare model fit --format csv
      the coefficient table (short and long run) with SEs, t, p and 95% intervals
  fairshare model fit --spec demand-atop-1990-2016
      the same to 2016 with allies from every ATOP defence pact
  fairshare model fit --spec my-spec.toml --export-panel panel.csv
      your own specification (copy a built-in one and edit it), and the panel it used

The model (Smith 1995; Dunne & Perlo-Freeman 2003; Nordhaus, Oneal & Russett 2012):

  ln M_it = a_i + l ln M_i,t-1 + b ln Y_it + g ln SPILL_it + d ln THREAT_it + e_it

M is SIPRI military expenditure (constant 2023 US$); Y real GDP at constant local prices
(IMF WEO, else World Bank; the country effect absorbs the currency and base year);
SPILL the summed spending of the country's allies that year, its own excluded; THREAT
the summed spending of the rivals the specification lists for it (North Korea has no
SIPRI figures and is dropped, and reported). Estimated by the within (fixed-effects)
estimator; standard errors cluster-robust by country by default, with the small-sample
factor G/(G-1)(N-1)/(N-K), K the slope coefficients (the absorbed country effects are
nested in the clusters and not counted); Driscoll-Kraay in the spec as an option.

Caveats:
  - Year effects are off by default: SPILL and THREAT are nearly common to all members
    in a year (the US dominates the allies' sum; Russia is every European member's
    rival), so year effects would absorb them. Turn them on in the spec only for a
    model without those terms.
  - Nickell bias: with country effects and a lagged dependent variable the estimate of
    l is biased downward by about (1+l)/(T-1) (Nickell 1981); the output says how much
    for this sample. Long-run effects b/(1-l) inherit it.
  - Spill-ins and threats are endogenous to the allies' own choices; the estimates are
    associations conditional on the model, not causal effects.
  - Rows with a missing value (Iceland spends nothing: no log; 1991 has no SIPRI figure
    for the USSR or Russia) are dropped and counted.";

#[derive(Debug, Args)]
pub struct FitArgs {
    /// Specification: a TOML file, or a built-in name (demand-nato-us-allies-1990,
    /// demand-atop-1990-2016) [default: demand-nato-us-allies-1990].
    #[arg(long, value_name = "FILE|NAME")]
    pub spec: Option<String>,

    /// Also write the assembled panel to this CSV file (country, year, in_sample and the
    /// four variables; in_sample = 0 rows only supply the lag).
    #[arg(long, value_name = "FILE")]
    pub export_panel: Option<PathBuf>,
}

/// The specification asked for: a file if one exists at the path, else a built-in name.
pub fn load_spec(given: Option<&str>) -> Result<DemandSpec, CliError> {
    let name = given.unwrap_or(spec::DEFAULT_SPEC);
    let path = Path::new(name);
    if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("{name}: cannot read ({e})")))?;
        return spec::parse(name, &text).map_err(spec_error);
    }
    match spec::builtin(name) {
        Some(parsed) => parsed.map_err(spec_error),
        None => Err(CliError::usage(format!(
            "--spec {name}: no such file, and not a built-in specification ({})",
            spec::BUILTIN
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn spec_error(e: SpecError) -> CliError {
    CliError::usage(e.to_string())
}

pub fn run(ctx: &mut Context, args: &FitArgs) -> Result<(), CliError> {
    let spec = load_spec(args.spec.as_deref())?;
    let ds = ctx.dataset()?;
    let (pd, fitted) = data::fit_spec(ds, &spec).map_err(spec_error)?;
    if let Some(path) = &args.export_panel {
        std::fs::write(path, pd.to_csv()).map_err(|e| {
            CliError::usage(format!(
                "--export-panel {}: cannot write ({e})",
                path.display()
            ))
        })?;
    }
    let notes = notes(ds, &spec, &pd, &fitted);
    match ctx.format() {
        Format::Table => write_stdout(&summary(ds, &spec, &pd, &fitted, &notes)),
        format => {
            let mut records = Records::new(vec![]);
            for (kind, list) in [
                ("short_run", &fitted.coefficients),
                ("long_run", &fitted.long_run),
            ] {
                for c in list.iter() {
                    records
                        .rows
                        .push(coefficient_record(ds, &spec, &pd, &fitted, kind, c));
                }
            }
            emit(&records, format)
        }
    }
}

fn se_kind(cov: &Covariance) -> &'static str {
    match cov {
        Covariance::Conventional => "conventional",
        Covariance::ClusteredByGroup => "cluster_robust_country",
        Covariance::DriscollKraay { .. } => "driscoll_kraay",
    }
}

fn coefficient_record(
    ds: &Dataset,
    spec: &DemandSpec,
    pd: &PanelData,
    fitted: &PanelFit,
    kind: &str,
    c: &Coefficient,
) -> Map<String, Value> {
    let mut r = Map::new();
    r.insert("spec".into(), spec.name.clone().into());
    r.insert("term".into(), c.name.clone().into());
    r.insert("kind".into(), kind.into());
    r.insert("estimate".into(), exact_number(c.estimate));
    r.insert("std_error".into(), exact_number(c.std_error));
    r.insert("se_kind".into(), se_kind(&fitted.covariance.kind).into());
    r.insert("t".into(), exact_number(c.t));
    r.insert("p_value".into(), exact_number(c.p_value));
    r.insert("ci_low".into(), exact_number(c.ci_low));
    r.insert("ci_high".into(), exact_number(c.ci_high));
    r.insert("nobs".into(), fitted.sample.nobs.into());
    r.insert("groups".into(), fitted.sample.groups.into());
    r.insert("r2_within".into(), exact_number(fitted.r2_within));
    r.insert(
        "sources".into(),
        pd.report
            .sources
            .iter()
            .map(|s| Value::from(s.clone()))
            .collect::<Vec<_>>()
            .into(),
    );
    r.insert(
        "vintages".into(),
        pd.report
            .sources
            .iter()
            .filter_map(|s| ds.sources().get(s))
            .map(|s| Value::from(s.vintage.clone()))
            .collect::<Vec<_>>()
            .into(),
    );
    r
}

/// What a reader must know besides the numbers.
fn notes(ds: &Dataset, spec: &DemandSpec, pd: &PanelData, fitted: &PanelFit) -> Vec<String> {
    let r = &pd.report;
    let mut notes: Vec<String> = fitted
        .notes
        .iter()
        .filter(|n| !n.contains("rows dropped for a missing value"))
        .cloned()
        .collect();
    if fitted.sample.dropped_missing > 0 {
        let parts: Vec<String> = r
            .missing_rows
            .iter()
            .map(|(v, n)| {
                let examples = r
                    .missing_examples
                    .get(v)
                    .map(|e| e.join(", "))
                    .unwrap_or_default();
                format!("{v} missing in {n} (e.g. {examples})")
            })
            .collect();
        notes.push(format!(
            "{} rows dropped for a missing value: {}. A missing ln_milex is a country that spends \
             nothing (Iceland: no log) or has no SIPRI figure; a missing ln_threat a year in which \
             a rival has none.",
            fitted.sample.dropped_missing,
            parts.join("; ")
        ));
    }
    if !r.rivals_dropped.is_empty() {
        let mut by_rival: Vec<(String, Vec<String>, String)> = Vec::new();
        for d in &r.rivals_dropped {
            match by_rival
                .iter_mut()
                .find(|(rv, _, reason)| *rv == d.rival && *reason == d.reason)
            {
                Some((_, countries, _)) => countries.push(d.country.clone()),
                None => by_rival.push((d.rival.clone(), vec![d.country.clone()], d.reason.clone())),
            }
        }
        for (rival, countries, reason) in by_rival {
            notes.push(format!(
                "Rival dropped for lack of data: {rival} (listed for {}): {reason}.",
                countries.join(", ")
            ));
        }
    }
    for p in &r.predecessors_used {
        notes.push(format!("Rival figures: {p}."));
    }
    if !r.allies_without_data.is_empty() {
        let list: Vec<String> = r
            .allies_without_data
            .iter()
            .map(|(a, years)| {
                format!(
                    "{a} ({} year{})",
                    years.len(),
                    if years.len() == 1 { "" } else { "s" }
                )
            })
            .collect();
        notes.push(format!(
            "Allies without a SIPRI figure, left out of SPILL in those years: {}.",
            list.join(", ")
        ));
    }
    let imf = r
        .real_gdp_source
        .values()
        .filter(|s| *s == "imf_weo")
        .count();
    let wb: Vec<&str> = r
        .real_gdp_source
        .iter()
        .filter(|(_, s)| *s == "wb")
        .map(|(c, _)| c.as_str())
        .collect();
    notes.push(format!(
        "Real GDP: IMF WEO constant prices for {imf} countries{}; one source per country.",
        if wb.is_empty() {
            String::new()
        } else {
            format!(", World Bank for {}", wb.join(", "))
        }
    ));
    if !spec.year_effects && (spec.uses("ln_spill") || spec.uses("ln_threat")) {
        notes.push(
            "Year effects are off: SPILL and THREAT are nearly common to all members in a year \
             and year effects would absorb them."
                .into(),
        );
    }
    let _ = ds;
    notes
}

fn rule(width: usize) -> String {
    "-".repeat(width)
}

/// The statsmodels-like summary.
fn summary(
    ds: &Dataset,
    spec: &DemandSpec,
    pd: &PanelData,
    f: &PanelFit,
    notes: &[String],
) -> String {
    let s = &f.sample;
    let mut out = String::new();
    let line = |out: &mut String, label: &str, text: String| {
        out.push_str(&format!("{label:<16}{text}\n"));
    };
    out.push_str(&format!("Demand for military expenditure: {}\n", spec.name));
    out.push_str(&rule(78));
    out.push('\n');
    if !spec.description.is_empty() {
        line(&mut out, "Sample", spec.description.clone());
    }
    let (words, _) = f
        .specification
        .split_once("; standard errors ")
        .unwrap_or((f.specification.as_str(), ""));
    line(&mut out, "Specification", words.to_string());
    line(
        &mut out,
        "Observations",
        format!(
            "{} country-years, {} countries, {} years ({}-{}); {}-{} per country (mean {:.1}){}",
            s.nobs,
            s.groups,
            s.periods,
            s.first_year,
            s.last_year,
            s.obs_per_group_min,
            s.obs_per_group_max,
            s.obs_per_group_mean,
            if s.singleton_groups > 0 {
                format!("; {} with one observation", s.singleton_groups)
            } else {
                String::new()
            }
        ),
    );
    line(
        &mut out,
        "Allies (SPILL)",
        match spec.allies {
            AllySource::Registry => format!(
                "other members of {} in the same year (an alliance with a partner: the partner)",
                spec.alliances.join(", ")
            ),
            AllySource::Atop => "other members of every ATOP defence pact in the same year".into(),
        },
    );
    line(&mut out, "Std. errors", f.covariance.description.clone());
    line(
        &mut out,
        "R² (within)",
        format!(
            "{:.4}    σ {:.4}    residual df {}",
            f.r2_within, f.sigma, f.df_resid
        ),
    );
    out.push_str(&rule(78));
    out.push('\n');
    let header = format!(
        "{:<12}{:>10}{:>10}{:>9}{:>8}{:>10}{:>10}\n",
        "term", "coef", "std err", "t", "P>|t|", "[0.025", "0.975]"
    );
    let row = |c: &Coefficient| {
        format!(
            "{:<12}{:>10.4}{:>10.4}{:>9.2}{:>8.3}{:>10.4}{:>10.4}\n",
            c.name, c.estimate, c.std_error, c.t, c.p_value, c.ci_low, c.ci_high
        )
    };
    out.push_str(&header);
    for c in &f.coefficients {
        out.push_str(&row(c));
    }
    if !f.long_run.is_empty() {
        out.push_str(&rule(78));
        out.push('\n');
        out.push_str(&format!(
            "Long-run elasticities b/(1-l), delta-method standard errors (l = {:.4})\n",
            f.coefficients[0].estimate
        ));
        out.push_str(&header);
        for c in &f.long_run {
            out.push_str(&row(c));
        }
    }
    out.push_str(&rule(78));
    out.push('\n');
    out.push_str(
        "Variables: ln_milex = ln SIPRI military expenditure (constant 2023 US$); ln_gdp = ln real\n\
         GDP (constant local prices); ln_spill = ln of the allies' summed military expenditure (own\n\
         excluded); ln_threat = ln of the rivals' summed military expenditure. Rivals used:\n",
    );
    let mut groups: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    for (country, rivals) in &pd.report.rivals {
        match groups.iter_mut().find(|(r, _)| r == rivals) {
            Some((_, cs)) => cs.push(country.clone()),
            None => groups.push((rivals.clone(), vec![country.clone()])),
        }
    }
    for (rivals, countries) in groups {
        out.push_str(&format!(
            "  {} <- {}\n",
            rivals.join("+"),
            countries.join(" ")
        ));
    }
    out.push_str("Notes:\n");
    for n in notes {
        out.push_str(&format!("  - {n}\n"));
    }
    let ids: Vec<&str> = pd.report.sources.iter().map(String::as_str).collect();
    for l in source_footer(ds, &ids) {
        out.push_str(&l);
        out.push('\n');
    }
    out
}
