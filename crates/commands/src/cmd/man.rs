//! `fairshare man`: the manual page (roff), generated from the same clap definitions
//! as `--help`, examples included.
//!
//! ```text
//! $ fairshare man | man -l -
//! $ fairshare man --out ~/.local/share/man/man1     # fairshare.1, fairshare-show.1, ...
//! ```

use std::path::PathBuf;

use clap::Args;

use crate::error::CliError;
use crate::output::write_stdout;

pub const ABOUT: &str = "Print the manual page, or write one page per command to a folder";

pub const EXAMPLES: &str = "\
Examples:
  fairshare man | man -l -
      read the manual now
  fairshare man --out ~/.local/share/man/man1
      install fairshare.1, fairshare-show.1, fairshare-export.1, ... for `man fairshare`";

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write fairshare.1 and one page per command into this folder (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(cli: clap::Command, args: &ManArgs) -> Result<(), CliError> {
    match &args.out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cli)
                .render(&mut page)
                .map_err(|e| CliError::internal(format!("cannot render the manual page: {e}")))?;
            write_stdout(&String::from_utf8_lossy(&page))
        }
        Some(dir) => {
            let fail =
                |e: std::io::Error| CliError::usage(format!("cannot write {}: {e}", dir.display()));
            std::fs::create_dir_all(dir).map_err(fail)?;
            clap_mangen::generate_to(cli, dir).map_err(fail)?;
            Ok(())
        }
    }
}
