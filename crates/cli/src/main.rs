//! `fairshare`: alliance burden-sharing from the command line.
//!
//! This crate only parses arguments and wires the libraries together: the commands
//! (`fairshare-commands`) answer from the dataset and format records; `serve` hands
//! the dataset to the HTTP server (`fairshare-server`).

use clap::FromArgMatches;
use clap::parser::ValueSource;

use fairshare_commands::context::Context;
use fairshare_commands::error::CliError;
use fairshare_commands::{Cli, Command, EXPORT_FORMAT_HINT, cli_command, dispatch};

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
            if is_help
                || e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            {
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
    if let Command::Serve(a) = &cli.command {
        let result = ctx
            .dataset()
            .and_then(|ds| fairshare_server::serve(ds, &a.addr).map_err(CliError::usage));
        if let Err(e) = result {
            eprintln!("error: {e}");
            std::process::exit(e.code);
        }
        return;
    }
    let result: Result<(), CliError> = dispatch(&mut ctx, &cli.command, format_given);
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
    use super::one_line_clap_error;

    #[test]
    fn clap_errors_fold_into_one_line() {
        let rendered = "error: invalid value 'yaml' for '--format <FORMAT>'\n  [possible values: table, csv, json]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line_clap_error(rendered),
            "error: invalid value 'yaml' for '--format <FORMAT>' [possible values: table, csv, json] (see --help)"
        );
    }
}
