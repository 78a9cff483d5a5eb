//! `fairshare model nash | exploitation | fit`: the alliance-economics models on the
//! dataset — the public-good Nash equilibrium and its what-ifs, the exploitation test
//! (Olson & Zeckhauser) year by year, and the fixed-effects demand regression.
//!
//! ```text
//! $ fairshare model nash --incomes 100,80,20 --weight 0.5 --format json
//! {"total": 60, "contributions": [40, 20, 0], "contributors": [true, true, false]}
//! ```

pub mod exploitation;
pub mod fit;
pub mod nash;

use clap::{Args, Subcommand};
use serde_json::Value;

use crate::context::Context;
use crate::error::CliError;

pub const ABOUT: &str = "Alliance economics: public-good Nash equilibria and what-ifs, the exploitation test, the demand-for-military-spending regression";

pub const EXAMPLES: &str = "\
Examples:
  fairshare model nash --incomes 100,80,20 --weight 0.5
      the textbook equilibrium: total 60, contributions 40, 20, 0 (the poorest free-rides)
  fairshare model nash --alliance NATO --year 2024 --remove USA
      NATO's 2024 spending as a Nash equilibrium, and the equilibrium without the US
  fairshare model exploitation --alliance NATO --from 1960 --to 2024
      do larger allies carry a larger burden? Spearman's rho year by year
  fairshare model fit
      the demand for military expenditure of NATO and US treaty allies since 1990

Each subcommand's --help has the details, worked examples and caveats.";

#[derive(Debug, Args)]
pub struct ModelArgs {
    #[command(subcommand)]
    pub command: ModelCommand,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    #[command(about = nash::ABOUT, after_help = nash::EXAMPLES)]
    Nash(nash::NashArgs),
    #[command(about = exploitation::ABOUT, after_help = exploitation::EXAMPLES)]
    Exploitation(exploitation::ExploitationArgs),
    #[command(about = fit::ABOUT, after_help = fit::EXAMPLES)]
    Fit(fit::FitArgs),
}

pub fn run(ctx: &mut Context, args: &ModelArgs) -> Result<(), CliError> {
    match &args.command {
        ModelCommand::Nash(a) => nash::run(ctx, a),
        ModelCommand::Exploitation(a) => exploitation::run(ctx, a),
        ModelCommand::Fit(a) => fit::run(ctx, a),
    }
}

/// A JSON number that prints as an integer when the value is one (`60`, not `60.0`), so
/// that exact results compare equal to hand-written JSON; full precision otherwise.
pub fn exact_number(x: f64) -> Value {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        Value::from(x as i64)
    } else {
        crate::output::number(Some(x).filter(|v| v.is_finite()))
    }
}

/// A number for a table cell: integers as such, else `digits` decimals.
pub fn fixed(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.digits$}")
    }
}

/// JSON on one line with `", "` and `": "` between items, as Python's `json.dumps`
/// prints it: `{"total": 60, "contributions": [40, 20, 0], ...}`.
pub fn one_line_json(value: &Value) -> String {
    match value {
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(one_line_json)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), one_line_json(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        scalar => scalar.to_string(),
    }
}
