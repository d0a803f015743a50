//! `yilian completions SHELL` and `yilian man`: generated from the clap definitions, so they
//! never drift from `--help`, and in the same language (`super::help`).

use super::ui::{lang, t};
use crate::cli::{CompletionsArgs, ManArgs};
use crate::i18n::Msg;
use anyhow::{Context, Result};

pub fn completions(args: &CompletionsArgs) -> Result<i32> {
    let mut cmd = super::help::command(lang());
    clap_complete::generate(args.shell, &mut cmd, "yilian", &mut std::io::stdout());
    Ok(crate::exit::OK)
}

pub fn man(args: &ManArgs) -> Result<i32> {
    let cmd = super::help::command(lang());
    let Some(dir) = &args.out else {
        clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
        return Ok(crate::exit::OK);
    };
    std::fs::create_dir_all(dir)
        .with_context(|| t(Msg::CannotCreate, &[("path", &dir.display())]))?;
    // yilian.1, then yilian-ingest.1 and so on, as `man yilian-ingest` expects.
    clap_mangen::generate_to(cmd, dir)
        .with_context(|| t(Msg::CannotWriteManPages, &[("dir", &dir.display())]))?;
    eprintln!("{}", t(Msg::WroteManPages, &[("dir", &dir.display())]));
    Ok(crate::exit::OK)
}
