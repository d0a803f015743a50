//! `yilian history`: every submission per member-month, which one is in use, and when it came.

use crate::cli::HistoryArgs;
use crate::export::{Kind, Table, WriteOptions};
use crate::store::Store;
use anyhow::Result;
use polars::prelude::*;

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
    let mut lf = store.scan_all()?.filter(
        col("kind")
            .eq(lit("base"))
            .and(col("basis").eq(lit("month"))),
    );
    if let Some(m) = &member {
        lf = lf.filter(col("member").eq(lit(m.clone())));
    }
    if let Some(p) = args.period {
        lf = lf.filter(col("period").eq(lit(p.to_string())));
    }
    let df = lf
        .group_by([col("member"), col("period"), col("seq")])
        .agg([
            col("source_file").first(),
            col("ingested_at").first(),
            col("submitted_on").first(),
            col("value").count().alias("values"),
        ])
        .sort(["member", "period", "seq"], SortMultipleOptions::default())
        .collect()?;
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
    let s = |name: &str| -> Result<Vec<String>> {
        let c = df.column(name)?.cast(&DataType::String)?;
        Ok(c.str()?
            .into_iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect())
    };
    let (m, p, q, f, i, sub, n) = (
        s("member")?,
        s("period")?,
        s("seq")?,
        s("source_file")?,
        s("ingested_at")?,
        s("submitted_on")?,
        s("values")?,
    );
    for k in 0..df.height() {
        // Newest submission of a member-month is in use (value by value; see docs/store.md).
        let newest = k + 1 == df.height() || m[k + 1] != m[k] || p[k + 1] != p[k];
        t.push(vec![
            m[k].clone(),
            p[k].clone(),
            q[k].clone(),
            if newest {
                "yes".into()
            } else {
                "superseded".into()
            },
            f[k].clone(),
            sub[k].clone(),
            i[k].clone(),
            n[k].clone(),
        ]);
    }
    let t = t.with_kind(&["seq", "values"], Kind::Number);
    let opts = WriteOptions::new(args.csv.csv_raw, false).with_bytes(bytes);
    t.write_with(args.format, opts, &mut std::io::stdout().lock())?;
    Ok(crate::exit::OK)
}
