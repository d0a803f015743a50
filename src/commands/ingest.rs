//! `yilian ingest PATH...`: read the month's mailbox into the store.

use super::ui::{lang, t};
use crate::cli::IngestArgs;
use crate::export::Format;
use crate::export::{escape_terminal, use_colour};
use crate::i18n::Msg;
use crate::ingest::{self, Correction, FileReport, Status, Summary};
use crate::model::{fmt_num, fmt_thousands};
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
    let walked = ingest::collect_files(&args.paths)?;
    let files = walked.files.len();
    let bar = if use_colour(std::io::stderr().is_terminal()) && files >= 20 {
        let pb = indicatif::ProgressBar::new(files as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(Msg::IngestProgress.text(super::ui::lang()))
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
    let summary = ingest::run_walked(walked, &mut consortium, &store, &opts, &tick)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !summary.added_members.is_empty() {
        append_added_members(&consortium, &summary)?;
    }
    match args.format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        }
        _ => print_human(&summary, args.verbose)?,
    }
    let code = if summary.rejected > 0 {
        crate::exit::REJECTED
    } else {
        crate::exit::OK
    };
    // Left to the process's exit: a bureau's 72,000 file reports freed one by one took a
    // tenth of a second after everything was said.
    std::mem::forget(summary);
    Ok(code)
}

/// People's output: one self-contained line per problem (file, sheet, cell, reason) on
/// stderr, then the corrections and the summary on stdout. Every line shows control and
/// bidirectional characters of file, sheet and member names as escapes. The warnings and
/// notes of a file already stored unchanged were said when it was first ingested: they are
/// counted, not repeated, unless `verbose`.
fn print_human(s: &Summary, verbose: bool) -> Result<()> {
    let mut err = std::io::stderr().lock();
    fn line(out: &mut dyn Write, text: String) -> Result<()> {
        writeln!(out, "{}", escape_terminal(&text))?;
        Ok(())
    }
    for r in &s.file_reports {
        for e in &r.errors {
            let what = e.located_in(lang());
            line(
                &mut err,
                t(Msg::FileError, &[("path", &r.path), ("what", &what)]),
            )?;
        }
        if r.status == Status::Unchanged && !verbose {
            continue;
        }
        for w in &r.warnings {
            let kind = if r.status == Status::Skipped {
                Msg::FileSkipped
            } else {
                Msg::FileWarning
            };
            let what = w.located_in(lang());
            line(&mut err, t(kind, &[("path", &r.path), ("what", &what)]))?;
        }
        let notes = r
            .note
            .iter()
            .chain(r.sheets.iter().filter_map(|sh| sh.note.as_ref()));
        for n in notes {
            let what = n.in_lang(lang());
            line(
                &mut err,
                t(Msg::FileNote, &[("path", &r.path), ("what", &what)]),
            )?;
        }
    }
    let mut out = std::io::stdout().lock();
    if verbose {
        for r in &s.file_reports {
            let status = t(
                match r.status {
                    Status::Stored => Msg::StatusStored,
                    Status::Unchanged => Msg::StatusUnchanged,
                    Status::Rejected => Msg::StatusRejected,
                    Status::Skipped => Msg::StatusSkipped,
                },
                &[],
            );
            line(&mut out, format!("{status:<9} {}{}", r.path, detail(r)))?;
        }
    }
    for c in &s.corrections {
        print_correction(&mut out, c)?;
    }
    let span = match (s.periods.first(), s.periods.last()) {
        (Some(a), Some(b)) if a != b => t(
            Msg::MonthsSpan,
            &[("n", &s.periods.len()), ("first", a), ("last", b)],
        ),
        (Some(a), _) => t(Msg::OneMonth, &[("month", a)]),
        _ => t(Msg::NoMonths, &[]),
    };
    let skipped = if s.skipped > 0 {
        t(Msg::SkippedCount, &[("n", &s.skipped)])
    } else {
        String::new()
    };
    let other = if s.other_values > 0 {
        let n = fmt_thousands(s.other_values as f64, 0);
        t(Msg::OtherValues, &[("n", &n)])
    } else {
        String::new()
    };
    // The warnings printed above: an unchanged file's are not, unless -v.
    let shown = if verbose {
        s.warnings
    } else {
        s.warnings - s.unchanged_warnings
    };
    let count = |n: usize| fmt_thousands(n as f64, 0);
    let summary = t(
        Msg::IngestSummary,
        &[
            ("files", &count(s.files)),
            ("stored", &s.stored),
            ("unchanged", &s.unchanged),
            ("rejected", &s.rejected),
            ("skipped", &skipped),
            ("members", &count(s.members)),
            ("span", &span),
            ("values", &count(s.values)),
            ("other", &other),
            ("warnings", &count(shown)),
            ("store", &s.store),
        ],
    );
    line(&mut out, summary)?;
    if !verbose {
        let (again, copies): (Vec<&FileReport>, Vec<&FileReport>) = s
            .file_reports
            .iter()
            .filter(|r| r.status == Status::Unchanged)
            .partition(|r| r.duplicate_of.is_none());
        let warned = |rs: &[&FileReport]| rs.iter().map(|r| r.warnings.len()).sum::<usize>();
        let not_repeated = |n: usize| {
            if n == 0 {
                String::new()
            } else {
                match n {
                    1 => t(Msg::WarningNotRepeated, &[]),
                    n => t(Msg::WarningsNotRepeated, &[("n", &n)]),
                }
            }
        };
        if !again.is_empty() {
            line(
                &mut out,
                t(
                    Msg::UnchangedFiles,
                    &[
                        ("n", &count(again.len())),
                        ("repeat", &not_repeated(warned(&again))),
                    ],
                ),
            )?;
        }
        if !copies.is_empty() {
            line(
                &mut out,
                t(
                    Msg::CopiedFiles,
                    &[
                        ("n", &count(copies.len())),
                        ("repeat", &not_repeated(warned(&copies))),
                    ],
                ),
            )?;
        }
    }
    if !s.added_members.is_empty() {
        line(
            &mut out,
            t(
                Msg::MembersAdded,
                &[("members", &s.added_members.join(", "))],
            ),
        )?;
    }
    if s.rejected > 0 {
        writeln!(out, "{}", t(Msg::RejectedAdvice, &[]))?;
    }
    Ok(())
}

/// How many changed values of a correction are listed; `--format json` has them all.
const CHANGES_SHOWN: usize = 10;

/// `correction: FILE: member 2024-03 (earlier: a.xlsx): 1 of 2 values changed`, then the
/// changed values, old → new.
fn print_correction(out: &mut dyn Write, c: &Correction) -> Result<()> {
    let who = if c.member_name.is_empty() {
        c.member.clone()
    } else {
        format!("{} {}", c.member_name, c.member)
    };
    let total = fmt_thousands((c.changes.len() + c.unchanged) as f64, 0);
    let what = if c.changes.is_empty() {
        t(Msg::CorrectionNoChange, &[("n", &total)])
    } else {
        t(
            Msg::CorrectionChanged,
            &[("changed", &c.changes.len()), ("n", &total)],
        )
    };
    let head = t(
        Msg::Correction,
        &[
            ("file", &c.file),
            ("member", &who),
            ("month", &c.period),
            ("earlier", &c.corrects.join(", ")),
            ("what", &what),
        ],
    );
    writeln!(out, "{}", escape_terminal(&head))?;
    let shown = |v: Option<f64>, stored: bool| match (v, stored) {
        (Some(v), _) => fmt_num(v),
        (None, true) => t(Msg::Blank, &[]),
        (None, false) => t(Msg::NotStored, &[]),
    };
    for ch in c.changes.iter().take(CHANGES_SHOWN) {
        use crate::store::Basis;
        let basis = match (ch.basis, lang()) {
            (Basis::Month, _) => String::new(),
            (b, crate::i18n::Lang::En) => format!(", {b}"),
            (Basis::Ytd, _) => "，累计".to_string(),
            (Basis::PriorYear, _) => "，去年同期".to_string(),
            (Basis::PriorYtd, _) => "，去年累计".to_string(),
        };
        let text = t(
            Msg::ChangedValue,
            &[
                ("item", &ch.item),
                ("key", &ch.key),
                ("basis", &basis),
                ("old", &shown(ch.old, ch.old_stored)),
                ("new", &shown(ch.new, true)),
            ],
        );
        writeln!(out, "{}", escape_terminal(&text))?;
    }
    if c.changes.len() > CHANGES_SHOWN {
        let more = c.changes.len() - CHANGES_SHOWN;
        writeln!(out, "{}", t(Msg::MoreChanges, &[("n", &more)]))?;
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
        "  [{}] {} {}",
        parts.join("; "),
        r.members.join(","),
        t(
            Msg::MonthlyValues,
            &[("n", &fmt_thousands(r.values as f64, 0))]
        )
    );
    if !r.periods.is_empty() {
        s.push_str(&format!(" {}", r.periods.join(",")));
    }
    if !r.corrects.is_empty() {
        s.push_str(&t(
            Msg::CorrectionOf,
            &[("earlier", &r.corrects.join(", "))],
        ));
    }
    if let Some(first) = &r.duplicate_of {
        s.push_str(&t(Msg::SameBytesAs, &[("first", first)]));
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
