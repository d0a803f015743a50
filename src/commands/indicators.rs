//! `yilian indicators`: YoY/MoM figures per member, tier and consortium.

use super::ui::t;
use crate::cli::{IndicatorsArgs, ScopeArg};
use crate::compute::{BaseData, Engine, Record, Request, Scope, Window};
use crate::export::table::{Csv, Json, JsonLines, Markdown, Terminal};
use crate::export::{escape_terminal, use_colour, Encoding, Exporter, Format, WriteOptions};
use crate::i18n::Msg;
use crate::model::period::{MonthOrQuarter, Period};
use crate::render;
use crate::store::Store;
use anyhow::{bail, Result};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};

pub fn run(args: &IndicatorsArgs) -> Result<i32> {
    // The figures a question about the consortium as it is needs no consortium file: read
    // beside its parsing (a bureau's file is thousands of members).
    let early = |store: &Store| {
        if args.since_joined.is_some() {
            return None;
        }
        Some(figures(
            store,
            args.period,
            args.window.map(Window::from),
            None,
        ))
    };
    let (consortium, bytes, store, early) = super::setup_store_early(
        &args.common,
        &[],
        |c| args.csv.bytes(&c.file.output, args.format == Format::Csv),
        early,
    )?;
    let t0 = std::time::Instant::now();
    let joined = match &args.since_joined {
        Some(member) => {
            let id = super::member_id(&consortium, member)?;
            let joined = consortium.member(&id).map(|m| m.joined);
            Some((id, joined))
        }
        None => None,
    };
    let (window, base, period) = match early {
        Some(read) => read?,
        None => figures(
            &store,
            args.period,
            args.window.map(Window::from),
            joined.as_ref().and_then(|(_, j)| *j),
        )?,
    };
    stage("figures read", t0);
    for w in &base.warnings {
        super::ui::line(Msg::Warning, w);
    }
    let set = match &args.set {
        Some(name) => Some(find_set(&consortium.catalog, name)?),
        None => None,
    };
    let indicators = match (&args.indicator, set) {
        (Some(texts), _) => Some(super::indicator_codes(&consortium, texts)?),
        (None, Some(set)) => Some(set.items.clone()),
        (None, None) => None,
    };
    let engine = Engine::from_base(&consortium, base)?;
    // A set also asks for the items its indicators are made of, to tell which were reported.
    let indicators = match (set, indicators) {
        (Some(_), Some(mut codes)) => {
            let items: Vec<String> = engine
                .defs
                .iter()
                .filter(|d| codes.contains(&d.code))
                .flat_map(|d| d.operand_groups().into_iter().flatten())
                .collect();
            for item in items {
                if !codes.contains(&item) {
                    codes.push(item);
                }
            }
            Some(codes)
        }
        (_, other) => other,
    };
    let opts = WriteOptions::new(args.csv.csv_raw, args.output.is_some()).with_bytes(bytes);
    // A CSV or JSON Lines table of the consortium as it is, written as its records are made
    // (a set's needs them all first: what it blanks depends on every entity's).
    let streamed = match (&joined, set) {
        (None, None) => Parts::new(args.format, opts),
        _ => None,
    };
    let mut records = match &joined {
        Some((member, _)) => engine.since_joined(member, &indicators)?,
        None => {
            let period = period?;
            let scopes = match args.scope {
                ScopeArg::Member => vec![Scope::Member],
                ScopeArg::Tier => vec![Scope::Tier],
                ScopeArg::Consortium => vec![Scope::Consortium],
                ScopeArg::All => vec![Scope::Consortium, Scope::Tier, Scope::Member],
            };
            let req = Request {
                period,
                window,
                scopes,
                like_for_like: args.like_for_like,
                indicators,
            };
            if let Some(mut parts) = streamed {
                // The output is made with the first records (all computed by then): a
                // question the engine cannot answer leaves no file behind, as before.
                let out = args.output.as_deref();
                let mut sink: Option<Box<dyn Write>> = None;
                engine.run_each(
                    &req,
                    PART * rayon::current_num_threads().max(1),
                    &mut |recs| {
                        crate::compute::apply_targets(recs, &consortium);
                        let sink = match &mut sink {
                            Some(s) => s,
                            None => sink.insert(super::sink(out)?),
                        };
                        parts.write(recs, sink)
                    },
                )?;
                let mut sink = match sink {
                    Some(s) => s,
                    None => super::sink(out)?,
                };
                parts.finish(&mut sink)?;
                stage("written", t0);
                return Ok(crate::exit::OK);
            }
            engine.run(&req)?
        }
    };
    stage("indicators", t0);
    crate::compute::apply_targets(&mut records, &consortium);
    if let Some(set) = set {
        records = set_records(records, set, &engine.defs);
    }
    let directions = crate::compute::directions(&engine.defs);
    emit(
        records,
        args.format,
        opts,
        args.output.as_deref(),
        &directions,
    )?;
    stage("written", t0);
    Ok(crate::exit::OK)
}

/// The window asked and the figures its question reads (only the months it needs: the
/// window, a year earlier, the month before; the quarter's last month from the months
/// stored), with the month asked or the reason there is none. `since_joined`: the joined
/// month of the member whose 托管前后对比 is asked.
fn figures(
    store: &Store,
    period: Option<MonthOrQuarter>,
    window: Option<Window>,
    since_joined: Option<Period>,
) -> Result<(Window, BaseData, Result<Period>)> {
    let stored = BaseData::stored_months(store)?;
    let (asked, window) = period_and_window(period, window, &stored)?;
    let (base, period) = BaseData::for_period(store, asked, stored, |p| match since_joined {
        Some(j) => {
            let mut m = crate::compute::months_since_joined(j);
            m.insert(p);
            m
        }
        None => crate::compute::months_read(window, p),
    })?;
    Ok((window, base, period))
}

/// `--debug`: when a stage ended, in seconds since `t0`, with the memory then.
fn stage(what: &str, t0: std::time::Instant) {
    crate::check::stage("indicators", what, t0);
}

/// The records of a set's items. An item none of whose figures some part of it needs (the
/// numerator or the denominator of a ratio) was reported in the window is not reported: its
/// records are emptied rather than computed as 0, and it is named on stderr; so are an
/// entity's records of an item it did not report.
fn set_records(
    records: Vec<Record>,
    set: &crate::catalog::Set,
    defs: &[crate::compute::Def],
) -> Vec<Record> {
    let mut records = records;
    let silent = crate::report::sets::blank_unreported(set, defs, &mut records);
    let out: Vec<Record> = records
        .into_iter()
        .filter(|r| set.items.contains(&r.indicator))
        .collect();
    if !silent.is_empty() {
        let names: Vec<String> = silent
            .iter()
            .map(|code| match defs.iter().find(|d| &d.code == code) {
                Some(d) => format!("{}（{code}）", d.name),
                None => code.to_string(),
            })
            .collect();
        let line = t(
            Msg::SetNotReported,
            &[("set", &set.name), ("items", &names.join("、"))],
        );
        eprintln!("{}", escape_terminal(&t(Msg::Note, &[("what", &line)])));
    }
    out
}

/// A named indicator set by code or name; an unknown one names the sets there are.
fn find_set<'a>(
    catalog: &'a crate::catalog::Catalog,
    name: &str,
) -> Result<&'a crate::catalog::Set> {
    catalog.set(name).ok_or_else(|| {
        let sets: Vec<&str> = catalog.sets.iter().map(|s| s.code.as_str()).collect();
        anyhow::anyhow!(
            "{}",
            t(
                Msg::UnknownSet,
                &[("name", &name), ("sets", &sets.join(", "))]
            )
        )
    })
}

/// The month and window asked: a quarter is the quarter's window up to its last month in the
/// store (a quarter still under way ends at the newest month stored).
pub(super) fn period_and_window(
    period: Option<MonthOrQuarter>,
    window: Option<Window>,
    months: &std::collections::BTreeSet<crate::model::Period>,
) -> Result<(Option<crate::model::Period>, Window)> {
    match period {
        None => Ok((None, window.unwrap_or(Window::Month))),
        Some(MonthOrQuarter::Month(p)) => Ok((Some(p), window.unwrap_or(Window::Month))),
        Some(MonthOrQuarter::Quarter(q)) => {
            if window.is_some_and(|w| w != Window::Quarter) {
                bail!(
                    "{}",
                    t(
                        Msg::QuarterWithWindow,
                        &[("quarter", &q), ("month", &q.last_month())]
                    )
                );
            }
            let last = months
                .iter()
                .rev()
                .find(|p| q.contains(**p))
                .copied()
                .unwrap_or(q.last_month());
            Ok((Some(last), Window::Quarter))
        }
    }
}

/// Records a part of a long CSV or JSON Lines table holds.
const PART: usize = 8192;

/// A CSV (UTF-8) or JSON Lines table written a part at a time, in the records' order: the
/// parts are made as many at once as there are cores, each into a buffer of its own, the
/// buffers then written in order (the text of numbers and the quoting of 188,000 records was
/// a third of a bureau's `indicators --scope all`, on one core).
pub struct Parts {
    exporter: fn(WriteOptions) -> Box<dyn Exporter>,
    opts: WriteOptions,
    /// Whether nothing was written yet (the header and byte-order mark go first).
    first: bool,
}

impl Parts {
    /// None for a format written whole (the others; GBK, checked whole before anything is
    /// written).
    pub fn new(format: Format, opts: WriteOptions) -> Option<Parts> {
        let exporter: fn(WriteOptions) -> Box<dyn Exporter> = match format {
            Format::Csv if opts.encoding == Encoding::Utf8 => |o| Box::new(Csv(o)),
            Format::Jsonl => |_| Box::new(JsonLines),
            _ => return None,
        };
        Some(Parts {
            exporter,
            opts,
            first: true,
        })
    }

    /// Writes `records` (taken out of the vector, which is left empty for reuse).
    pub fn write(&mut self, records: &mut Vec<Record>, sink: &mut dyn Write) -> Result<()> {
        use rayon::prelude::*;
        let at_once = rayon::current_num_threads().max(1);
        for group in records.chunks_mut(PART * at_once) {
            let first = self.first;
            let written: Vec<Result<Vec<u8>>> = group
                .par_chunks_mut(PART)
                .enumerate()
                .map(|(j, part)| {
                    let o = match first && j == 0 {
                        true => self.opts,
                        false => self.opts.continued(),
                    };
                    let table = render::records_table_of(part.iter_mut().map(std::mem::take));
                    let mut buf = Vec::new();
                    (self.exporter)(o).export(&table, &mut buf)?;
                    Ok(buf)
                })
                .collect();
            for buf in written {
                sink.write_all(&buf?)?;
            }
            self.first = false;
        }
        records.clear();
        Ok(())
    }

    /// The header alone when no record came; then flushed.
    pub fn finish(self, sink: &mut dyn Write) -> Result<()> {
        if self.first {
            (self.exporter)(self.opts).export(&render::records_table_of([]), sink)?;
        }
        sink.flush()?;
        Ok(())
    }
}

pub fn emit(
    records: Vec<Record>,
    format: Format,
    opts: WriteOptions,
    output: Option<&std::path::Path>,
    directions: &HashMap<String, crate::catalog::Direction>,
) -> Result<()> {
    if format == Format::Xlsx {
        let Some(path) = output else {
            bail!("{}", t(Msg::XlsxNeedsOutput, &[]))
        };
        render::write_records_xlsx(&records, directions, path)?;
        let path = path.display().to_string();
        eprintln!("{}", escape_terminal(&t(Msg::Wrote, &[("path", &path)])));
        return Ok(());
    }
    let mut sink = super::sink(output)?;
    let colour = output.is_none() && use_colour(std::io::stdout().is_terminal());
    // A bureau's records are hundreds of thousands of lines: the table is made a part at a
    // time (whole, it was twice the records' memory). GBK is not: it is checked whole
    // before anything is written.
    if let Some(mut parts) = Parts::new(format, opts).filter(|_| records.len() > PART) {
        let mut records = records;
        parts.write(&mut records, &mut sink)?;
        return parts.finish(&mut sink);
    }
    let (exporter, table): (Box<dyn Exporter>, _) = match format {
        Format::Csv => (Box::new(Csv(opts)), render::records_table_of(records)),
        Format::Json => (Box::new(Json), render::records_table_of(records)),
        Format::Jsonl => (Box::new(JsonLines), render::records_table_of(records)),
        Format::Md => (
            Box::new(Markdown),
            render::people_table(&records, directions),
        ),
        _ => (
            Box::new(Terminal { colour }),
            render::people_table(&records, directions),
        ),
    };
    exporter.export(&table, &mut sink)?;
    sink.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: usize) -> Record {
        Record {
            period: "2025-12".into(),
            window: "month",
            scope: "member",
            // Every thousandth entity starts with a formula character: neutralised in every
            // part, not only the first.
            entity: if i % 1000 == 7 {
                format!("=m{i}")
            } else {
                format!("m{i}")
            },
            indicator: "discharges".into(),
            value: Some(i as f64),
            prior_value: None,
            yoy_pct: None,
            yoy_pp: None,
            mom_pct: None,
            change: None,
            entity_name: String::new(),
            indicator_name: String::new(),
            unit: String::new(),
            members: 1,
            covered: 1,
            prior_covered: 0,
            prior_source: "store",
            target: None,
            met: None,
        }
    }

    /// Records handed a few at a time, or none: one header, every record once in order.
    #[test]
    fn parts_written_as_they_come_are_one_table() {
        let opts = WriteOptions::new(false, true);
        let mut none = Vec::new();
        Parts::new(Format::Csv, opts)
            .unwrap()
            .finish(&mut none)
            .unwrap();
        let header = String::from_utf8(none).unwrap();
        assert!(header.starts_with("period,window,scope,entity,indicator,value"));
        assert_eq!(header.lines().count(), 1);
        let mut out = Vec::new();
        let mut parts = Parts::new(Format::Csv, opts).unwrap();
        for chunk in [0..3, 3..4, 4..PART + 9] {
            let mut recs: Vec<Record> = chunk.map(record).collect();
            parts.write(&mut recs, &mut out).unwrap();
            assert!(recs.is_empty());
        }
        parts.finish(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], header.trim_end());
        assert_eq!(lines.len(), PART + 10);
        for (i, line) in lines[1..].iter().enumerate() {
            assert_eq!(
                line.split(',').nth(5),
                Some(i.to_string().as_str()),
                "line {}",
                i + 2
            );
        }
        // Not written in parts: GBK (checked whole first), JSON, tables for people.
        let mut gbk = opts;
        gbk.encoding = Encoding::Gbk;
        assert!(Parts::new(Format::Csv, gbk).is_none());
        assert!(Parts::new(Format::Json, opts).is_none());
    }

    /// A table of more records than several parts at once (written a group of parts at a
    /// time, each part in a buffer of its own): one byte-order mark, one header, every record
    /// once in its order, the same whether the parts run on one thread or several.
    #[test]
    fn a_long_csv_is_one_table_in_the_records_order() {
        let n = PART * 5 + 3;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let mut opts = WriteOptions::new(false, true);
        opts.bom = true;
        let records: Vec<Record> = (0..n).map(record).collect();
        emit(records, Format::Csv, opts, Some(&path), &HashMap::new()).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(!text.contains('\u{FEFF}'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), n + 1);
        assert!(lines[0].starts_with("period,window,scope,entity,indicator,value"));
        for (i, line) in lines[1..].iter().enumerate() {
            let cells: Vec<&str> = line.split(',').collect();
            let entity = if i % 1000 == 7 {
                format!("'=m{i}")
            } else {
                format!("m{i}")
            };
            assert_eq!(cells[3], entity, "line {}", i + 2);
            assert_eq!(cells[5], i.to_string(), "line {}", i + 2);
        }
        // JSON Lines in parts too: one object a record, in order.
        let records: Vec<Record> = (0..n).map(record).collect();
        emit(records, Format::Jsonl, opts, Some(&path), &HashMap::new()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let entities: Vec<String> = text
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["entity"].to_string())
            .collect();
        assert_eq!(entities.len(), n);
        assert_eq!(entities[n - 1], format!("\"m{}\"", n - 1));
        assert_eq!(entities[PART * 3], format!("\"m{}\"", PART * 3));
    }
}
