//! `yilian ingest PATH...`: read the month's mailbox into the store.

use crate::cli::{IngestArgs, IngestFormat};
use crate::ingest::{self, FileReport, Status, Summary};
use crate::output::{escape_terminal, fmt_thousands, use_colour};
use crate::store::Store;
use anyhow::Result;
use std::io::{IsTerminal, Write};

pub fn run(args: &IngestArgs) -> Result<i32> {
    let (mut consortium, store_dir) = super::setup(&args.common, &args.paths)?;
    let store = Store::open(&store_dir)?;
    let opts = ingest::Options {
        period: args.period,
        add_unknown_members: args.add_unknown_members,
    };

    // A progress bar only for people: on a terminal, for batches worth waiting for.
    let (files, _) = ingest::collect_files(&args.paths)?;
    let bar = if use_colour(std::io::stderr().is_terminal()) && files.len() >= 20 {
        let pb = indicatif::ProgressBar::new(files.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} reading {pos}/{len} files {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let summary = ingest::run(&args.paths, &mut consortium, &store, &opts, &tick)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !summary.added_members.is_empty() {
        append_added_members(&consortium, &summary)?;
    }
    match args.format {
        IngestFormat::Json => {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        }
        IngestFormat::Table => print_human(&summary, args.verbose)?,
    }
    Ok(if summary.rejected > 0 {
        crate::exit::REJECTED
    } else {
        crate::exit::OK
    })
}

/// People's output: one self-contained line per problem (file, sheet, cell, reason) on
/// stderr, then the summary on stdout. Every line shows control and bidirectional
/// characters of file, sheet and member names as escapes.
fn print_human(s: &Summary, verbose: bool) -> Result<()> {
    let mut err = std::io::stderr().lock();
    fn line(out: &mut dyn Write, text: String) -> Result<()> {
        writeln!(out, "{}", escape_terminal(&text))?;
        Ok(())
    }
    for r in &s.file_reports {
        for e in &r.errors {
            line(&mut err, format!("error: {}: {}", r.path, e.located()))?;
        }
        for w in &r.warnings {
            let kind = if r.status == Status::Skipped {
                "skipped"
            } else {
                "warning"
            };
            line(&mut err, format!("{kind}: {}: {}", r.path, w.located()))?;
        }
        if let Some(n) = &r.note {
            line(&mut err, format!("note: {}: {n}", r.path))?;
        }
        for n in r.sheets.iter().filter_map(|sh| sh.note.as_ref()) {
            writeln!(err, "note: {}: {n}", r.path)?;
        }
    }
    let mut out = std::io::stdout().lock();
    if verbose {
        for r in &s.file_reports {
            let status = match r.status {
                Status::Stored => "stored",
                Status::Unchanged => "unchanged",
                Status::Rejected => "rejected",
                Status::Skipped => "skipped",
            };
            line(&mut out, format!("{status:<9} {}{}", r.path, detail(r)))?;
        }
    }
    let span = match (s.periods.first(), s.periods.last()) {
        (Some(a), Some(b)) if a != b => format!("{} months ({a} to {b})", s.periods.len()),
        (Some(a), _) => format!("1 month ({a})"),
        _ => "no months".into(),
    };
    let skipped = if s.skipped > 0 {
        format!(", {} skipped", s.skipped)
    } else {
        String::new()
    };
    let summary = format!(
        "{} files: {} stored, {} unchanged, {} rejected{skipped}; {} members, {span}, {} values, {} warnings → {}",
        s.files,
        s.stored,
        s.unchanged,
        s.rejected,
        s.members,
        fmt_thousands(s.values as f64, 0),
        s.warnings,
        s.store
    );
    line(&mut out, summary)?;
    if !s.added_members.is_empty() {
        line(
            &mut out,
            format!(
                "added to the consortium file (check their tier): {}",
                s.added_members.join(", ")
            ),
        )?;
    }
    if s.rejected > 0 {
        writeln!(
            out,
            "rejected files were not stored; fix them (or ask the member to) and run ingest again"
        )?;
    }
    Ok(())
}

fn detail(r: &FileReport) -> String {
    if r.status == Status::Rejected || r.status == Status::Skipped {
        return String::new();
    }
    let mut parts = vec![r.format.clone().unwrap_or_default()];
    if let Some(e) = &r.encoding {
        parts.push(e.clone());
    }
    let layouts: Vec<String> = r
        .sheets
        .iter()
        .filter_map(|s| s.layout.as_ref().map(|l| format!("{}: {l}", s.name)))
        .collect();
    parts.push(layouts.join(", "));
    let mut s = format!(
        "  [{}] {} {} values",
        parts.join("; "),
        r.members.join(","),
        r.values
    );
    if !r.periods.is_empty() {
        s.push_str(&format!(" {}", r.periods.join(",")));
    }
    if !r.corrects.is_empty() {
        s.push_str(&format!(" — correction of {}", r.corrects.join(", ")));
    }
    s
}

/// `--add-unknown-members`: the new members are appended to the consortium file, so the
/// next run knows them and the user can fix their tier.
fn append_added_members(c: &crate::config::Consortium, s: &Summary) -> Result<()> {
    let Some(path) = &c.path else { return Ok(()) };
    let mut text = String::new();
    for m in c.members().iter().filter(|m| {
        s.added_members
            .iter()
            .any(|a| a.ends_with(&format!("({})", m.id)))
    }) {
        text.push_str(&format!(
            "\n# added by `yilian ingest --add-unknown-members`: check the tier and joined month\n[[members]]\nid = \"{}\"\nname = {}\ntier = \"primary\"\njoined = \"{}\"\n",
            m.id,
            toml::Value::String(m.name.clone()),
            m.joined
        ));
    }
    let mut f = std::fs::OpenOptions::new().append(true).open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}
