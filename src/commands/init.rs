//! `yilian init INBOX`: propose consortium.toml from the spreadsheets in an inbox.

use crate::cli::InitArgs;
use crate::config::{Consortium, ConsortiumFile};
use crate::init::{self, TierGuess};
use anyhow::{bail, Context, Result};
use std::io::Write;

pub fn run(args: &InitArgs) -> Result<i32> {
    let inbox = &args.inbox;
    if !inbox.is_dir() {
        bail!(
            "{} is not a folder; give the folder the members' spreadsheets are in",
            inbox.display()
        );
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| inbox.join("consortium.toml"));
    if out.exists() {
        bail!(
            "{} already exists; yilian init never overwrites it: move it away, or write the proposal elsewhere with --out FILE",
            out.display()
        );
    }
    let name = match &args.name {
        Some(n) => n.clone(),
        None => std::fs::canonicalize(inbox)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
    };
    let p = init::propose(inbox)?;
    if p.members.is_empty() {
        for line in p.unusable.iter().chain(&p.no_member) {
            eprintln!("  {line}");
        }
        bail!(
            "no member found in {} ({} spreadsheets read): no 填报单位, member column, sheet or file name names a hospital; write consortium.toml by hand (docs/consortium.md)",
            inbox.display(),
            p.files
        );
    }
    let text = init::to_toml(&p, &name, inbox);
    // What is written must be what `Consortium::load` reads, once the user has filled in what
    // init left open.
    let file: Result<ConsortiumFile> = toml::from_str(&text).map_err(|e| {
        anyhow::anyhow!("internal error: the proposed consortium file does not parse: {e}")
    });
    let complete = p
        .members
        .iter()
        .all(|m| m.tier != TierGuess::Unknown && m.first.is_some());
    match file {
        Ok(f) => {
            if complete {
                Consortium::from_file(f, None)
                    .context("internal error: the proposal does not load")?;
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
        .with_context(|| format!("cannot create {}", out.display()))?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;

    let mut e = String::new();
    e.push_str(&format!(
        "read {} spreadsheets in {}{}\n",
        p.files,
        inbox.display(),
        match p.skipped {
            0 => String::new(),
            n => format!(
                " ({n} other {} skipped, as ingest does)",
                plural(n, "file", "files")
            ),
        }
    ));
    e.push_str(&format!(
        "found {} {}:\n",
        p.members.len(),
        plural(p.members.len(), "member", "members")
    ));
    for m in &p.members {
        let tier = match &m.tier {
            TierGuess::Sure(t, _) => t.code().to_string(),
            TierGuess::Unsure(t, _) => format!("{}?", t.code()),
            TierGuess::Unknown => "tier ?".to_string(),
        };
        let aliases = if m.aliases.is_empty() {
            String::new()
        } else {
            format!(", aliases {}", m.aliases.join(" "))
        };
        e.push_str(&format!(
            "  {:<12} {}  [{tier}] {} {}{aliases}\n",
            m.id,
            m.name,
            m.files,
            plural(m.files, "file", "files")
        ));
    }
    let mut open: Vec<String> = Vec::new();
    for m in &p.members {
        match &m.tier {
            TierGuess::Unsure(t, why) => {
                open.push(format!("{} ({}): tier {t} is a guess; {why}", m.name, m.id))
            }
            TierGuess::Unknown => open.push(format!(
                "{} ({}): the name does not say its tier; its `tier` line is commented out: set it",
                m.name, m.id
            )),
            TierGuess::Sure(..) => {}
        }
        if m.first.is_none() {
            open.push(format!(
                "{} ({}): no month found in its files; its `joined` line is commented out: set it",
                m.name, m.id
            ));
        }
    }
    open.extend(p.maybe_same.iter().cloned());
    open.extend(p.no_member.iter().map(|l| format!("no member: {l}")));
    open.extend(
        p.unusable
            .iter()
            .map(|l| format!("not usable (ingest will reject it too): {l}")),
    );
    if !open.is_empty() {
        e.push_str(&format!("could not decide ({}):\n", open.len()));
        for l in &open {
            e.push_str(&format!("  - {l}\n"));
        }
    }
    e.push_str(&format!(
        "wrote {}: each member's `joined` is its first month in the inbox; check names, aliases, tiers and months\n",
        out.display()
    ));
    let config = if args.out.is_some() {
        format!("--config {} ", out.display())
    } else {
        String::new()
    };
    let blocking = p
        .members
        .iter()
        .filter(|m| m.tier == TierGuess::Unknown || m.first.is_none())
        .count();
    if blocking > 0 {
        e.push_str(&format!(
            "next: set the tier or month of the {blocking} {} marked above (the file does not load until then), then yilian ingest {config}{}\n",
            plural(blocking, "member", "members"),
            inbox.display()
        ));
    } else {
        e.push_str(&format!(
            "next: yilian ingest {config}{}\n",
            inbox.display()
        ));
    }
    eprint!("{e}");
    Ok(crate::exit::OK)
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}
