//! `yilian history`: every submission per member-month, which one is in use, and when it came.

use crate::cli::HistoryArgs;
use crate::export::{Table, Value, WriteOptions};
use crate::model::period::Period;
use crate::store::{Basis, Filter, Kind as StoredKind, Store, Stored};
use anyhow::Result;
use std::collections::BTreeMap;

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
    // One row per submission of a member-month: its file and how many figures it holds.
    let mut subs: BTreeMap<(String, Period, u64), (Stored, usize)> = BTreeMap::new();
    for r in store.submissions(&filter)? {
        let figure = usize::from(r.value.is_some());
        subs.entry((r.member.clone(), r.period, r.seq))
            .and_modify(|s| s.1 += figure)
            .or_insert((r, figure));
    }
    let mut t = Table::new([
        "member",
        "period",
        "seq",
        "in_use",
        "source_file",
        "submitted_on",
        "ingested_at",
        "values",
    ]);
    let mut rows = subs.into_iter().peekable();
    while let Some(((m, p, seq), (r, values))) = rows.next() {
        // The newest submission of a member-month is the one in use (value by value: a
        // correction that leaves an item out keeps the older value; see docs/store.md).
        let newest = rows
            .peek()
            .is_none_or(|((m2, p2, _), _)| (m2, p2) != (&m, &p));
        t.push_values(vec![
            Value::Text(m),
            Value::Text(p.to_string()),
            Value::Int(seq as i64),
            Value::from(if newest { "yes" } else { "superseded" }),
            Value::from(r.source_file),
            Value::from(r.submitted_on.unwrap_or_default()),
            Value::from(r.ingested_at),
            Value::Int(values as i64),
        ]);
    }
    let opts = WriteOptions::new(args.csv.csv_raw, false).with_bytes(bytes);
    t.write_with(args.format, opts, &mut std::io::stdout().lock())?;
    Ok(crate::exit::OK)
}
