//! `yilian catalog`: every metric and indicator with code, name, unit, aggregation, aliases.

use crate::catalog::Catalog;
use crate::cli::CatalogArgs;
use crate::config::Consortium;
use crate::output::{Format, Table, WriteOptions};
use anyhow::Result;

pub fn run(args: &CatalogArgs) -> Result<i32> {
    let catalog = match &args.config {
        Some(p) => Consortium::load(p)?.catalog,
        None => Catalog::builtin(),
    };
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        // JSON keeps aliases as arrays.
        let v = serde_json::json!({ "metrics": catalog.metrics, "indicators": catalog.indicators });
        serde_json::to_writer_pretty(&mut out, &v)?;
        println!();
        return Ok(crate::exit::OK);
    }
    let opts = WriteOptions::new(args.csv_raw, false);
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
