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

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::cmd::{
    alliances, claims, countries, data, decompose, explain, gap, hns, model, share, show, sources,
    targets,
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
  fairshare sources
  fairshare data build";

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
    #[command(about = sources::ABOUT, after_help = sources::EXAMPLES)]
    Sources(sources::SourcesArgs),
    #[command(about = countries::ABOUT, after_help = countries::EXAMPLES)]
    Countries(countries::CountriesArgs),
    #[command(about = data::ABOUT, after_help = data::EXAMPLES)]
    Data(data::DataArgs),
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
            format!(
                "{program} (dataset: {} observations; {})",
                ds.len(),
                vintages.join(", ")
            )
        }
        Err(_) => format!("{program} (no valid dataset compiled in)"),
    }
}

fn main() {
    let version: &'static str = Box::leak(version().into_boxed_str());
    let matches = Cli::command().version(version).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
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
        Command::Sources(a) => sources::run(&mut ctx, a),
        Command::Countries(a) => countries::run(&mut ctx, a),
        Command::Data(a) => data::run(&mut ctx, a),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(e.code);
    }
}
