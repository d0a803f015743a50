//! `yilian check`: findings per member-month and the submission matrix; the exit code says
//! whether there are errors, warnings only, or nothing to correct.

use super::ui::t;
use crate::check::{self, Report};
use crate::cli::{CheckArgs, LangArg};
use crate::export::{escape_terminal, Format, Kind, Table, Value, WriteOptions};
use crate::i18n::Msg;
use crate::model::Severity;
use anyhow::{bail, Result};
use std::io::Write;

pub fn run(args: &CheckArgs) -> Result<i32> {
    // Rules are checked before the store is read: a typo fails fast whatever the data.
    let (consortium, bytes, store) = super::setup_store(&args.common, &[], |c| {
        check::compile_rules(c)?;
        args.csv.bytes(&c.file.output, args.format == Format::Csv)
    })?;
    let report = check::run(&consortium, &store, args.period)?;
    for n in &report.notes {
        super::ui::line(Msg::Note, n);
    }
    match args.format {
        Format::Xlsx => {
            let Some(path) = &args.output else {
                bail!("{}", t(Msg::XlsxNeedsOutput, &[]))
            };
            let lang = match args.lang {
                LangArg::Zh => check::xlsx::ListLang::Zh,
                LangArg::En => check::xlsx::ListLang::En,
            };
            check::xlsx::write(&report, &consortium, path, lang)?;
            let path = path.display().to_string();
            eprintln!("{}", escape_terminal(&t(Msg::Wrote, &[("path", &path)])));
        }
        format => {
            let mut sink = super::sink(args.output.as_deref())?;
            match format {
                Format::Json => {
                    let v = serde_json::json!({
                        "summary": summary(&report),
                        "findings": findings_table(&report).json_records(),
                        "periods": report.periods,
                        "completeness": report.completeness,
                        "notes": report.notes,
                    });
                    serde_json::to_writer_pretty(&mut sink, &v)?;
                    writeln!(sink)?;
                }
                Format::Jsonl => {
                    // One finding a line; the counts go to stderr as for every format.
                    findings_table(&report).write(Format::Jsonl, &mut sink)?
                }
                Format::Csv => {
                    let opts = WriteOptions::new(args.csv.csv_raw, args.output.is_some())
                        .with_bytes(bytes);
                    findings_table(&report).write_with(Format::Csv, opts, &mut sink)?
                }
                _ => {
                    if report.findings.is_empty() {
                        writeln!(sink, "{}", t(Msg::NoFindings, &[]))?;
                    } else {
                        write_findings_human(&report, &mut sink)?;
                    }
                    writeln!(sink, "\n{}", t(Msg::SubmissionLegend, &[]))?;
                    matrix_table(&report).write(Format::Table, &mut sink)?;
                }
            }
            sink.flush()?;
        }
    }
    eprintln!(
        "{}",
        t(
            Msg::CheckCounts,
            &[
                ("errors", &report.count(Severity::Error)),
                ("warnings", &report.count(Severity::Warning)),
                ("info", &report.count(Severity::Info)),
            ],
        )
    );
    Ok(crate::exit::of_check(&report))
}

fn summary(r: &Report) -> serde_json::Value {
    serde_json::json!({
        "errors": r.count(Severity::Error),
        "warnings": r.count(Severity::Warning),
        "info": r.count(Severity::Info),
        "exit_code": crate::exit::of_check(r),
    })
}

/// People's list: most severe first, two lines a finding (what, then where it came from),
/// so it stays readable in a terminal of any width.
fn write_findings_human(r: &Report, out: &mut dyn Write) -> Result<()> {
    for sev in [Severity::Error, Severity::Warning, Severity::Info] {
        for f in r.findings.iter().filter(|f| f.severity == sev) {
            let item = if f.item.is_empty() {
                String::new()
            } else {
                format!(" {}", f.item)
            };
            // In Chinese the finding's Chinese text where its rule has one (as in the
            // 退回修改清单), and the severity's Chinese name, padded to the same 7 columns.
            let zh = super::ui::lang() == crate::i18n::Lang::Zh;
            let severity = if zh {
                format!("{}   ", f.severity.name_zh())
            } else {
                format!("{:<7}", f.severity.to_string())
            };
            let line = format!(
                "{severity} {} {}{item} [{}]: {}",
                f.member,
                f.period,
                f.rule,
                f.message_for(zh)
            );
            writeln!(out, "{}", escape_terminal(&line))?;
            let place: Vec<&str> = [f.file.as_str(), f.sheet.as_str(), f.cell.as_str()]
                .into_iter()
                .filter(|x| !x.is_empty())
                .collect();
            if !place.is_empty() || !f.value.is_empty() {
                let value = if f.value.is_empty() {
                    String::new()
                } else {
                    t(Msg::FindingValue, &[("value", &f.value)])
                };
                let line = format!("        {}{value}", place.join(" · "));
                writeln!(out, "{}", escape_terminal(&line))?;
            }
        }
    }
    Ok(())
}

fn findings_table(r: &Report) -> Table {
    // The CSV's first ten columns are the stable ones; the names follow.
    let mut t = Table::new([
        "severity",
        "rule",
        "member",
        "period",
        "item",
        "value",
        "file",
        "sheet",
        "cell",
        "message",
        "member_name",
        "item_name",
    ]);
    for f in &r.findings {
        // Every field is text, kept as sent (an empty one is "", as it always was in JSON).
        t.push_values(
            [
                f.severity.to_string(),
                f.rule.clone(),
                f.member.clone(),
                f.period.clone(),
                f.item.clone(),
                f.value.clone(),
                f.file.clone(),
                f.sheet.clone(),
                f.cell.clone(),
                f.message.clone(),
                f.member_name.clone(),
                f.item_name.clone(),
            ]
            .into_iter()
            .map(Value::Text)
            .collect(),
        );
    }
    // `value` holds a figure or a description of what was found (`(blank)`, quoted text).
    t.with_kind(&["value"], Kind::Mixed)
}

/// The member × month matrix a person reads on the terminal (scripts get `completeness`).
fn matrix_table(r: &Report) -> Table {
    let mut head = vec![t(Msg::MemberColumn, &[])];
    // `24-01` headers and one-character cells, so 24 months fit a terminal.
    head.extend(
        r.periods
            .iter()
            .map(|p| p.get(2..).unwrap_or(p).to_string()),
    );
    let mut t = Table::new(head);
    let mut members: Vec<&str> = Vec::new();
    for c in &r.completeness {
        if !members.contains(&c.member.as_str()) {
            members.push(&c.member);
        }
    }
    for m in members {
        let mut row = vec![m.to_string()];
        for p in &r.periods {
            let c = r
                .completeness
                .iter()
                .find(|c| c.member == m && &c.period == p);
            row.push(c.map(|c| c.status.symbol().to_string()).unwrap_or_default());
        }
        t.push(row);
    }
    t
}
