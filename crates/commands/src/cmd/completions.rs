//! `fairshare completions SHELL`: a shell completion script, generated from the same
//! clap definitions as the commands themselves (so it never falls behind them).
//!
//! ```text
//! $ fairshare completions bash > ~/.local/share/bash-completion/completions/fairshare
//! ```

use clap::Args;
use clap_complete::Shell;

use crate::error::CliError;
use crate::output::write_stdout;

pub const ABOUT: &str = "Print a shell completion script (bash, zsh, fish, elvish, powershell)";

pub const EXAMPLES: &str = "\
Examples:
  fairshare completions bash > ~/.local/share/bash-completion/completions/fairshare
      bash: completes commands, flags and the export formats (open a new shell)
  fairshare completions zsh > ~/.zfunc/_fairshare
      zsh: with `fpath+=~/.zfunc; autoload -U compinit; compinit` in ~/.zshrc
  fairshare completions fish > ~/.config/fish/completions/fairshare.fish";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

pub fn run(cli: &mut clap::Command, args: &CompletionsArgs) -> Result<(), CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, cli, "fairshare", &mut script);
    let text = String::from_utf8(script)
        .map_err(|e| CliError::internal(format!("completion script is not UTF-8: {e}")))?;
    write_stdout(&text)
}
