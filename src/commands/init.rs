//! `yilian init INBOX`: propose consortium.toml from the spreadsheets in an inbox.

use super::ui::{lang, t};
use crate::cli::InitArgs;
use crate::config::{Consortium, ConsortiumFile};
use crate::export::escape_terminal;
use crate::i18n::{Msg, SaidContext, Text};
use crate::init::{self, TierGuess};
use crate::said;
use anyhow::{bail, Context, Result};
use std::io::Write;

pub fn run(args: &InitArgs) -> Result<i32> {
    let inbox = &args.inbox;
    if !inbox.is_dir() {
        bail!(said!(Msg::NotAFolder, path = inbox.display()));
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| inbox.join("consortium.toml"));
    if out.exists() {
        bail!(said!(Msg::InitWouldOverwrite, path = out.display()));
    }
    let name = match &args.name {
        Some(n) => n.clone(),
        None => std::fs::canonicalize(inbox)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
    };
    let lang = lang();
    let p = init::propose(inbox)?;
    if p.members.is_empty() {
        for line in p.unusable.iter().chain(&p.no_member) {
            eprintln!("  {}", escape_terminal(&line.in_lang(lang)));
        }
        bail!(said!(Msg::InitNoMember, dir = inbox.display(), n = p.files));
    }
    let text = init::to_toml(&p, &name, inbox, lang);
    // What is written must be what `Consortium::load` reads, once the user has filled in what
    // init left open.
    let file: Result<ConsortiumFile> = toml::from_str(&text).map_err(|e| {
        anyhow::Error::new(crate::i18n::internal(format!(
            "the proposed consortium file does not parse: {e}"
        )))
    });
    let complete = p
        .members
        .iter()
        .all(|m| m.tier != TierGuess::Unknown && m.first.is_some());
    match file {
        Ok(f) => {
            if complete {
                Consortium::from_file(f, None)
                    .said(|| crate::i18n::internal("the proposal does not load"))?;
            }
        }
        // With a member's `joined` left to the user, the file does not parse until it is set.
        Err(e) if complete => return Err(e),
        Err(_) => {}
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&out)
        .with_context(|| t(Msg::CannotCreate, &[("path", &out.display())]))?;
    f.write_all(text.as_bytes())
        .with_context(|| t(Msg::CannotCreate, &[("path", &out.display())]))?;

    let mut lines: Vec<Text> = Vec::new();
    let skipped = match p.skipped {
        0 => Text::from(""),
        n => said!(Msg::InitSkipped, n = n),
    };
    lines.push(said!(
        Msg::InitRead,
        n = p.files,
        dir = inbox.display(),
        skipped => skipped
    ));
    lines.push(said!(Msg::InitFound, n = p.members.len()));
    for m in &p.members {
        let tier = match &m.tier {
            TierGuess::Sure(t, _) => Text::from(t.code()),
            TierGuess::Unsure(t, _) => Text::from(format!("{}?", t.code())),
            TierGuess::Unknown => said!(Msg::TierUnknownShort),
        };
        let aliases = if m.aliases.is_empty() {
            Text::from("")
        } else {
            said!(Msg::InitAliases, aliases = m.aliases.join(" "))
        };
        lines.push(said!(
            Msg::InitMember,
            id = format!("{:<12}", m.id),
            name = m.name,
            tier => tier,
            files = m.files,
            aliases => aliases
        ));
    }
    let mut open: Vec<Text> = Vec::new();
    for m in &p.members {
        match &m.tier {
            TierGuess::Unsure(tier, why) => open.push(said!(
                Msg::TierIsAGuess,
                name = m.name,
                id = m.id,
                tier = tier,
                why => said!(*why)
            )),
            TierGuess::Unknown => open.push(said!(Msg::TierNotSaid, name = m.name, id = m.id)),
            TierGuess::Sure(..) => {}
        }
        if m.first.is_none() {
            open.push(said!(Msg::NoMonthFound, name = m.name, id = m.id));
        }
    }
    open.extend(p.maybe_same.iter().cloned());
    open.extend(
        p.no_member
            .iter()
            .map(|l| said!(Msg::OpenNoMember, what => l.clone())),
    );
    open.extend(
        p.unusable
            .iter()
            .map(|l| said!(Msg::OpenUnusable, what => l.clone())),
    );
    if !open.is_empty() {
        lines.push(said!(Msg::CouldNotDecide, n = open.len()));
        lines.extend(
            open.into_iter()
                .map(|l| Text::from(format!("  - {}", l.in_lang(lang)))),
        );
    }
    lines.push(said!(Msg::InitWrote, path = out.display()));
    let config = if args.out.is_some() {
        format!("--config {} ", out.display())
    } else {
        String::new()
    };
    let next = format!("{config}{}", inbox.display());
    let blocking = p
        .members
        .iter()
        .filter(|m| m.tier == TierGuess::Unknown || m.first.is_none())
        .count();
    lines.push(if blocking > 0 {
        said!(Msg::InitNextBlocking, n = blocking, args = next)
    } else {
        said!(Msg::SampleNext, dir = next)
    });
    let mut e = String::new();
    for l in &lines {
        e.push_str(&escape_terminal(&l.in_lang(lang)));
        e.push('\n');
    }
    eprint!("{e}");
    Ok(crate::exit::OK)
}
