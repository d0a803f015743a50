//! `yilian catalog`: every metric and indicator with code, name, unit, aggregation, aliases.

use crate::catalog::Catalog;
use crate::cli::CatalogArgs;
use crate::config::Consortium;
use crate::export::{Format, Table, WriteOptions};
use anyhow::Result;
use std::io::Write;

pub fn run(args: &CatalogArgs) -> Result<i32> {
    let (catalog, settings) = match &args.config {
        Some(p) => {
            let c = Consortium::load(p)?;
            (c.catalog, c.file.output)
        }
        None => (Catalog::builtin(), Default::default()),
    };
    let bytes = args.csv.bytes(&settings, args.format == Format::Csv)?;
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        // JSON keeps aliases as arrays.
        let v = serde_json::json!({ "metrics": catalog.metrics, "indicators": catalog.indicators });
        serde_json::to_writer_pretty(&mut out, &v)?;
        println!();
        return Ok(crate::exit::OK);
    }
    if args.format == Format::Jsonl {
        // One metric or indicator a line, as in the JSON, with its kind.
        let metrics = catalog
            .metrics
            .iter()
            .map(|m| ("metric", serde_json::to_value(m)));
        let indicators = catalog
            .indicators
            .iter()
            .map(|i| ("indicator", serde_json::to_value(i)));
        for (kind, v) in metrics.chain(indicators) {
            let mut v = v?;
            if let Some(o) = v.as_object_mut() {
                o.insert("kind".into(), kind.into());
            }
            serde_json::to_writer(&mut out, &v)?;
            writeln!(out)?;
        }
        return Ok(crate::exit::OK);
    }
    let opts = WriteOptions::new(args.csv.csv_raw, false).with_bytes(bytes);
    table(&catalog).write_with(args.format, opts, &mut out)?;
    Ok(crate::exit::OK)
}

pub fn table(catalog: &Catalog) -> Table {
    let mut t = Table::new([
        "kind",
        "code",
        "name",
        "name_en",
        "unit",
        "aggregation",
        "direction",
        "aliases",
    ]);
    let dir = |d: crate::catalog::Direction| format!("{d:?}").to_lowercase();
    for m in &catalog.metrics {
        t.push(vec![
            "metric".into(),
            m.code.clone(),
            m.name.clone(),
            m.name_en.clone(),
            m.unit.clone(),
            m.over_time.as_str().into(),
            dir(m.direction),
            m.aliases.join(" / "),
        ]);
    }
    for i in &catalog.indicators {
        t.push(vec![
            "indicator".into(),
            i.code.clone(),
            i.name.clone(),
            i.name_en.clone(),
            i.unit.clone(),
            if i.expr == i.code {
                "built-in".into()
            } else {
                i.expr.clone()
            },
            dir(i.direction),
            i.aliases.join(" / "),
        ]);
    }
    t
}
