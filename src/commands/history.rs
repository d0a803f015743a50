//! `yilian history`: every submission per member-month, which one is in use, and when it came.

use crate::cli::HistoryArgs;
use crate::export::{Table, Value, WriteOptions};
use crate::store::{Basis, Filter, Kind as StoredKind, Store};
use anyhow::Result;
use std::io::Write;

pub fn run(args: &HistoryArgs) -> Result<i32> {
    let (consortium, store_dir) = super::setup(&args.common, &[])?;
    let settings = &consortium.file.output;
    let bytes = args
        .csv
        .bytes(settings, args.format == crate::export::Format::Csv)?;
    let store = Store::open_existing(&store_dir)?;
    let member = match &args.member {
        Some(m) => Some(super::member_id(&consortium, m)?),
        None => None,
    };
    let mut filter = Filter::all().kind(StoredKind::Base).basis(Basis::Month);
    if let Some(m) = member {
        filter = filter.members([m]);
    }
    if let Some(p) = args.period {
        filter = filter.periods([p]);
    }
    let lang = super::ui::lang();
    // People read `使用中` / `已更正`; scripts read `yes` / `superseded` in every language.
    let people = args.format == crate::export::Format::Table;
    let (yes, superseded) = match (people, lang) {
        (true, crate::i18n::Lang::Zh) => ("是", "已被更正"),
        _ => ("yes", "superseded"),
    };
    let mut t = Table::new([
        "member",
        "period",
        "seq",
        "in_use",
        "source_file",
        "submitted_on",
        "ingested_at",
        "values",
    ])
    .labelled(lang);
    let mut rows = store.sent(&filter)?.into_iter().peekable();
    while let Some(s) = rows.next() {
        // The newest submission of a member-month is the one in use (value by value: a
        // correction that leaves an item out keeps the older value; see docs/store.md).
        let newest = rows
            .peek()
            .is_none_or(|n| (&n.member, n.period) != (&s.member, s.period));
        t.push_values(vec![
            Value::Text(s.member),
            Value::Text(s.period.to_string()),
            Value::Int(s.seq as i64),
            Value::from(if newest { yes } else { superseded }),
            Value::from(s.source_file),
            Value::from(s.submitted_on.unwrap_or_default()),
            Value::from(s.ingested_at),
            Value::Int(s.figures as i64),
        ]);
    }
    let opts = WriteOptions::new(args.csv.csv_raw, false).with_bytes(bytes);
    let mut sink = super::sink(None)?;
    t.write_with(args.format, opts, &mut sink)?;
    sink.flush()?;
    Ok(crate::exit::OK)
}
