//! The fairshare commands as a library: argument parsing (clap), the dataset context,
//! each command's records and how they are formatted. The `fairshare` binary
//! (crates/cli) and the HTTP server (crates/server) both run commands through here,
//! so a record has one shape and an input one error message wherever it is asked.

pub mod chart;
pub mod cmd;
pub mod context;
pub mod error;
pub mod output;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::cmd::{
    alliances, claims, completions, countries, data, decompose, explain, export, gap, hns, man,
    model, report, scenario, serve, share, show, sources, targets,
};
use crate::context::{Context, Global};
use crate::error::CliError;
use crate::output::{Format, Records};
use fairshare_dataset::Dataset;

const ABOUT: &str = "Alliance burden-sharing with sourced numbers: who pays for collective defence, \
against which targets, and what US policy what-ifs would mean";

const AFTER_HELP: &str = "\
Every number carries its unit, definition (sipri, nato, wb, imf_weo, national:...),
source and vintage. Countries are ISO3 codes or names: JPN, Japan, South Korea, KOR.

Examples:
  fairshare show Japan --from 2014
  fairshare show JPN KOR USA --measure milex_gdp --from 1990 --chart burden.png
  fairshare explain JPN milex_gdp 2022
  fairshare targets --alliance NATO --year 2024
  fairshare gap Japan --target japan-2pct-fy2027
  fairshare hns Japan --demand 8e9USD
  fairshare share --alliance NATO --year 2024
  fairshare decompose Japan --from 2012 --to 2024
  fairshare claims check claims/diplomat-2024.toml
  fairshare model exploitation --alliance NATO --from 1960 --to 2024
  fairshare scenario run japan-bring-forward-2024
  fairshare sources
  fairshare export parquet --all --out fairshare.parquet
  fairshare data build
  fairshare report japan-us --out out/
  fairshare serve --addr 127.0.0.1:8080
  fairshare completions bash > ~/.local/share/bash-completion/completions/fairshare";

#[derive(Debug, Parser)]
#[command(name = "fairshare", about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(about = show::ABOUT, after_help = show::EXAMPLES)]
    Show(show::ShowArgs),
    #[command(about = explain::ABOUT, after_help = explain::EXAMPLES)]
    Explain(explain::ExplainArgs),
    #[command(about = targets::ABOUT, after_help = targets::EXAMPLES)]
    Targets(targets::TargetsArgs),
    #[command(about = gap::ABOUT, after_help = gap::EXAMPLES)]
    Gap(gap::GapArgs),
    #[command(about = hns::ABOUT, after_help = hns::EXAMPLES)]
    Hns(hns::HnsArgs),
    #[command(about = share::ABOUT, after_help = share::EXAMPLES)]
    Share(share::ShareArgs),
    #[command(about = decompose::ABOUT, after_help = decompose::EXAMPLES)]
    Decompose(decompose::DecomposeArgs),
    #[command(about = claims::ABOUT, after_help = claims::EXAMPLES)]
    Claims(claims::ClaimsArgs),
    #[command(about = alliances::ABOUT, after_help = alliances::EXAMPLES)]
    Alliances(alliances::AlliancesArgs),
    #[command(about = model::ABOUT, after_help = model::EXAMPLES)]
    Model(model::ModelArgs),
    #[command(about = scenario::ABOUT, after_help = scenario::EXAMPLES)]
    Scenario(scenario::ScenarioArgs),
    #[command(about = sources::ABOUT, after_help = sources::EXAMPLES)]
    Sources(sources::SourcesArgs),
    #[command(about = countries::ABOUT, after_help = countries::EXAMPLES)]
    Countries(countries::CountriesArgs),
    #[command(about = export::ABOUT, after_help = export::EXAMPLES)]
    Export(export::ExportArgs),
    #[command(about = data::ABOUT, after_help = data::EXAMPLES)]
    Data(data::DataArgs),
    #[command(about = completions::ABOUT, after_help = completions::EXAMPLES)]
    Completions(completions::CompletionsArgs),
    #[command(about = man::ABOUT, after_help = man::EXAMPLES)]
    Man(man::ManArgs),
    #[command(about = report::ABOUT, after_help = report::EXAMPLES)]
    Report(report::ReportArgs),
    #[command(about = serve::ABOUT, after_help = serve::EXAMPLES)]
    Serve(serve::ServeArgs),
}

/// `export` names its file format as an argument; `--format` is how other commands print.
pub const EXPORT_FORMAT_HINT: &str = "export takes its file format as the first argument, not --format \
(which is table|csv|json for commands that print): fairshare export csv|parquet|sqlite|xlsx --out PATH";

/// The command line with the dataset's vintages in `--version` (for `man` and completions too).
pub fn cli_command() -> clap::Command {
    let version: &'static str = Box::leak(version().into_boxed_str());
    Cli::command().version(version)
}

/// `--version`: the program and the vintages of the dataset compiled into it.
pub fn version() -> String {
    let program = env!("CARGO_PKG_VERSION");
    match fairshare_embedded::dataset() {
        Ok(ds) => {
            let mut vintages: Vec<&str> = ds
                .sources()
                .all()
                .iter()
                .map(|s| s.vintage.as_str())
                .collect();
            vintages.sort();
            vintages.dedup();
            // Vintages may hold commas ("WDI via DataHub, data to 2023"): ';' separates them.
            format!(
                "{program} (dataset: {} observations; vintages: {})",
                output::with_commas(ds.len() as i64),
                vintages.join("; ")
            )
        }
        Err(_) => format!("{program} (no valid dataset compiled in)"),
    }
}

/// Run one parsed command. `format_given` says whether `--format` was typed (export
/// refuses it). `serve` is not run here: the binary owns the server.
pub fn dispatch(ctx: &mut Context, command: &Command, format_given: bool) -> Result<(), CliError> {
    match command {
        Command::Show(a) => show::run(ctx, a),
        Command::Explain(a) => explain::run(ctx, a),
        Command::Targets(a) => targets::run(ctx, a),
        Command::Gap(a) => gap::run(ctx, a),
        Command::Hns(a) => hns::run(ctx, a),
        Command::Share(a) => share::run(ctx, a),
        Command::Decompose(a) => decompose::run(ctx, a),
        Command::Claims(a) => claims::run(ctx, a),
        Command::Alliances(a) => alliances::run(ctx, a),
        Command::Model(a) => model::run(ctx, a),
        Command::Scenario(a) => scenario::run(ctx, a),
        Command::Report(a) => report::run(ctx, a),
        Command::Sources(a) => sources::run(ctx, a),
        Command::Countries(a) => countries::run(ctx, a),
        Command::Export(_) if format_given => Err(CliError::usage(EXPORT_FORMAT_HINT)),
        Command::Export(a) => export::run(ctx, a),
        Command::Data(a) => data::run(ctx, a),
        Command::Completions(a) => completions::run(&mut cli_command(), a),
        Command::Man(a) => man::run(cli_command(), a),
        Command::Serve(_) => Err(CliError::internal(
            "serve is run by the fairshare binary, not as a nested command",
        )),
    }
}

/// Commands an HTTP client may run: they only read the dataset and print records
/// (no `--out`, `--chart` or other file arguments are ever passed by the server).
const READ_ONLY: &[&str] = &[
    "show",
    "explain",
    "targets",
    "gap",
    "hns",
    "share",
    "decompose",
    "claims",
    "alliances",
    "model",
    "scenario",
    "sources",
    "countries",
];

/// Run a read-only command on `ds` from an argument list (without the program name,
/// e.g. `["show", "JPN", "--from", "2000"]`) and return the records it would print.
/// Bad input is a usage error with the same one-line message the CLI prints.
pub fn run_records(ds: &'static Dataset, args: &[String]) -> Result<Vec<Records>, CliError> {
    let Some(first) = args.first() else {
        return Err(CliError::usage("no command given"));
    };
    if !READ_ONLY.contains(&first.as_str()) {
        return Err(CliError::usage(format!(
            "{first} is not a read-only command"
        )));
    }
    let argv = std::iter::once("fairshare".to_string()).chain(args.iter().cloned());
    let matches = Cli::command().try_get_matches_from(argv).map_err(|e| {
        // clap's message up to its usage hint, on one line.
        let text = e.to_string();
        let line = text
            .lines()
            .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let line = line.trim_start_matches("error: ").to_string();
        CliError::usage(if line.is_empty() {
            "invalid arguments".to_string()
        } else {
            line
        })
    })?;
    let cli = Cli::from_arg_matches(&matches).map_err(|e| CliError::usage(e.to_string()))?;
    let global = Global {
        format: Format::Json,
        quiet: true,
        data: None,
    };
    let mut ctx = Context::with_dataset(global, ds);
    output::capture(|| dispatch(&mut ctx, &cli.command, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command's `--help` ends with worked examples (STYLE.md: the usage text
    /// is the documentation).
    #[test]
    fn every_command_help_ends_with_examples() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let name = format!("{path} {}", cmd.get_name());
            let after = cmd
                .get_after_help()
                .or(cmd.get_after_long_help())
                .map(|s| s.to_string())
                .unwrap_or_default();
            if !after.contains("Examples:") {
                missing.push(name.clone());
            }
            for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
                walk(sub, &name, missing);
            }
        }
        let mut missing = Vec::new();
        let mut cmd = Cli::command();
        cmd.build();
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, "fairshare", &mut missing);
        }
        assert!(missing.is_empty(), "no examples in --help of: {missing:?}");
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
