//! `fairshare`: alliance burden-sharing from the command line.
//!
//! This crate only parses arguments and wires the libraries together: the dataset
//! (`fairshare-dataset`, compiled in by `fairshare-embedded`) answers, the `output`
//! module formats. Each command lives in `cmd/<command>.rs`.

mod chart;
mod cmd;
mod context;
mod error;
mod output;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::cmd::{
    alliances, claims, completions, countries, data, decompose, explain, export, gap, hns, man,
    model, report, scenario, share, show, sources, targets,
};
use crate::context::{Context, Global};
use crate::error::CliError;

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
  fairshare report japan-us --out out/
  fairshare sources
  fairshare export parquet --all --out fairshare.parquet
  fairshare data build
  fairshare completions bash > ~/.local/share/bash-completion/completions/fairshare";

#[derive(Debug, Parser)]
#[command(name = "fairshare", about = ABOUT, after_help = AFTER_HELP)]
struct Cli {
    #[command(flatten)]
    global: Global,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
    #[command(about = report::ABOUT, after_help = report::EXAMPLES)]
    Report(report::ReportArgs),
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
}

/// `export` names its file format as an argument; `--format` is how other commands print.
const EXPORT_FORMAT_HINT: &str = "export takes its file format as the first argument, not --format \
(which is table|csv|json for commands that print): fairshare export csv|parquet|sqlite|xlsx --out PATH";

/// The command line with the dataset's vintages in `--version` (for `man` and completions too).
fn cli_command() -> clap::Command {
    let version: &'static str = Box::leak(version().into_boxed_str());
    Cli::command().version(version)
}

/// `--version`: the program and the vintages of the dataset compiled into it.
fn version() -> String {
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

fn main() {
    let matches = match cli_command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            // `fairshare export --format parquet` is what DESIGN.md's first draft said:
            // point at the argument instead of listing table|csv|json.
            let args: Vec<String> = std::env::args().collect();
            let is_help = matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            );
            if !is_help
                && args.iter().any(|a| a == "export")
                && args.iter().any(|a| a.starts_with("--format"))
            {
                eprintln!("error: {EXPORT_FORMAT_HINT}");
                std::process::exit(2);
            }
            if is_help {
                e.exit()
            }
            // One line, like every other error: clap's own layout spreads a bad value, the
            // valid ones and a usage line over several.
            eprintln!("{}", one_line_clap_error(&e.render().to_string()));
            std::process::exit(2);
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let format_given = matches.value_source("format") == Some(ValueSource::CommandLine)
        || matches
            .subcommand()
            .is_some_and(|(_, sub)| sub.value_source("format") == Some(ValueSource::CommandLine));
    let mut ctx = Context::new(cli.global);
    let result: Result<(), CliError> = match &cli.command {
        Command::Show(a) => show::run(&mut ctx, a),
        Command::Explain(a) => explain::run(&mut ctx, a),
        Command::Targets(a) => targets::run(&mut ctx, a),
        Command::Gap(a) => gap::run(&mut ctx, a),
        Command::Hns(a) => hns::run(&mut ctx, a),
        Command::Share(a) => share::run(&mut ctx, a),
        Command::Decompose(a) => decompose::run(&mut ctx, a),
        Command::Claims(a) => claims::run(&mut ctx, a),
        Command::Alliances(a) => alliances::run(&mut ctx, a),
        Command::Model(a) => model::run(&mut ctx, a),
        Command::Scenario(a) => scenario::run(&mut ctx, a),
        Command::Report(a) => report::run(&mut ctx, a),
        Command::Sources(a) => sources::run(&mut ctx, a),
        Command::Countries(a) => countries::run(&mut ctx, a),
        Command::Export(_) if format_given => Err(CliError::usage(EXPORT_FORMAT_HINT)),
        Command::Export(a) => export::run(&mut ctx, a),
        Command::Data(a) => data::run(&mut ctx, a),
        Command::Completions(a) => completions::run(&mut cli_command(), a),
        Command::Man(a) => man::run(cli_command(), a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.code);
    }
}

/// clap's rendered error on one line: the message and any valid values or tip, without
/// the usage block and the "For more information" line.
fn one_line_clap_error(rendered: &str) -> String {
    let parts: Vec<&str> = rendered
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take_while(|l| !l.starts_with("Usage:"))
        .filter(|l| !l.starts_with("For more information"))
        .collect();
    let mut line = parts.join(" ");
    if !line.starts_with("error:") {
        line = format!("error: {line}");
    }
    format!("{line} (see --help)")
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
