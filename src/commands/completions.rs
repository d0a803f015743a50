//! `yilian completions SHELL` and `yilian man`: generated from the clap definitions, so they
//! never drift from `--help`.

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use anyhow::{Context, Result};
use clap::CommandFactory;

pub fn completions(args: &CompletionsArgs) -> Result<i32> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "yilian", &mut std::io::stdout());
    Ok(crate::exit::OK)
}

pub fn man(args: &ManArgs) -> Result<i32> {
    let cmd = Cli::command();
    let Some(dir) = &args.out else {
        clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
        return Ok(crate::exit::OK);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // yilian.1, then yilian-ingest.1 and so on, as `man yilian-ingest` expects.
    clap_mangen::generate_to(cmd, dir)
        .with_context(|| format!("cannot write the manual pages to {}", dir.display()))?;
    eprintln!("wrote the manual pages to {}", dir.display());
    Ok(crate::exit::OK)
}
