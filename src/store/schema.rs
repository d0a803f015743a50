//! The Parquet schema of a submission file (documented in docs/store.md).

use super::parquet::{Column, Dict};
use anyhow::{bail, Result};
use polars::prelude::*;
use std::borrow::Cow;
use std::sync::Arc;

/// Columns in order, with their meaning; the single source for docs and tests.
pub const COLUMNS: &[(&str, &str, &str)] = &[
    (
        "seq",
        "Int64",
        "commit order in this store; the highest wins for a key",
    ),
    ("content_hash", "String", "SHA-256 of the file's bytes"),
    ("source_file", "String", "file name as received"),
    (
        "source_path",
        "String",
        "absolute path of the file when it was ingested",
    ),
    (
        "format",
        "String",
        "xlsx | xlsb | xls | ods | csv | html (by content, not extension)",
    ),
    ("ingested_at", "String", "RFC 3339 UTC time of the commit"),
    (
        "submitted_on",
        "String?",
        "填报日期 stated in the sheet (YYYY-MM-DD), if any",
    ),
    ("sheet", "String", "sheet name (csv: `csv`, html: `tableN`)"),
    (
        "cell",
        "String",
        "cell of the value, or a range when summed over department rows",
    ),
    ("layout", "String", "vertical | wide | department | tidy"),
    ("member", "String", "member id from consortium.toml (empty for the 合计 row of a summary of many members)"),
    (
        "member_text",
        "String",
        "member name as written in the file",
    ),
    ("period", "String", "YYYY-MM"),
    ("item", "String", "item or header text as written"),
    (
        "metric",
        "String?",
        "metric or indicator code; null when unmapped",
    ),
    (
        "kind",
        "String",
        "base (a reported metric) | derived (an indicator the member computed) | total (a 合计 row) | unmapped",
    ),
    (
        "key",
        "String",
        "metric code, `total:<code>` for a 合计 row, or `unmapped:<item>`; with member, period and basis the key of a value",
    ),
    (
        "basis",
        "String",
        "month | prior_year | ytd | prior_ytd (which column of the form)",
    ),
    (
        "value",
        "Float64?",
        "the figure; null when not reported (blank, -, 无)",
    ),
    ("raw", "String", "the cell as written"),
];

/// Per-file facts shared by all rows of a submission.
#[derive(Clone, Debug)]
pub struct SubmissionInfo {
    pub content_hash: String,
    pub source_file: String,
    pub source_path: String,
    pub format: String,
    pub ingested_at: String,
}

/// One value of a submission. Texts shared by many rows (sheet, member, item, code...) are
/// reference-counted: a month of forms is hundreds of thousands of rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub submitted_on: Option<Arc<str>>,
    pub sheet: Arc<str>,
    pub cell: String,
    pub layout: &'static str,
    pub member: Arc<str>,
    pub member_text: Arc<str>,
    pub period: Arc<str>,
    pub item: Arc<str>,
    pub metric: Option<Arc<str>>,
    pub kind: &'static str,
    pub basis: &'static str,
    pub value: Option<f64>,
    pub raw: String,
}

impl Row {
    pub fn key(&self) -> Cow<'_, str> {
        match &self.metric {
            Some(m) if self.kind == "total" => Cow::Owned(format!("total:{m}")),
            Some(m) => Cow::Borrowed(m),
            None => Cow::Owned(format!("unmapped:{}", self.item)),
        }
    }
}

/// One row group's columns, in the order of COLUMNS, from whole submissions: each row
/// carries its submission's sequence number and facts.
pub(super) fn columns(subs: &[(u64, &SubmissionInfo, &[Row])]) -> Result<Vec<Column>> {
    let n: usize = subs.iter().map(|s| s.2.len()).sum();
    let rows = || subs.iter().flat_map(|s| s.2.iter());
    let info = |f: &dyn Fn(&SubmissionInfo) -> &str| {
        let mut d = Dict::with_capacity(n);
        for (_, i, r) in subs {
            d.push_n(f(i), r.len());
        }
        d.finish()
    };
    let text = |f: &dyn for<'r> Fn(&'r Row) -> &'r str| {
        let mut d = Dict::with_capacity(n);
        rows().for_each(|r| d.push(f(r)));
        d.finish()
    };
    let opt = |f: &dyn for<'r> Fn(&'r Row) -> Option<&'r str>| {
        let mut d = Dict::with_capacity(n);
        rows().for_each(|r| d.push_opt(f(r)));
        d.finish()
    };
    let build = |name: &str| -> Result<Column> {
        match name {
            "seq" => Ok(Column::int64(
                subs.iter()
                    .flat_map(|(s, _, r)| std::iter::repeat_n(*s as i64, r.len()))
                    .collect(),
            )),
            "content_hash" => info(&|i| &i.content_hash),
            "source_file" => info(&|i| &i.source_file),
            "source_path" => info(&|i| &i.source_path),
            "format" => info(&|i| &i.format),
            "ingested_at" => info(&|i| &i.ingested_at),
            "submitted_on" => opt(&|r| r.submitted_on.as_deref()),
            "sheet" => text(&|r| &r.sheet),
            "cell" => text(&|r| &r.cell),
            "layout" => text(&|r| r.layout),
            "member" => text(&|r| &r.member),
            "member_text" => text(&|r| &r.member_text),
            "period" => text(&|r| &r.period),
            "item" => text(&|r| &r.item),
            "metric" => opt(&|r| r.metric.as_deref()),
            "kind" => text(&|r| r.kind),
            "key" => {
                let keys: Vec<Cow<str>> = rows().map(|r| r.key()).collect();
                let mut d = Dict::with_capacity(n);
                keys.iter().for_each(|k| d.push(k));
                d.finish()
            }
            "basis" => text(&|r| r.basis),
            "value" => Ok(Column::float64(rows().map(|r| r.value).collect())),
            "raw" => text(&|r| &r.raw),
            other => bail!("no builder for store column `{other}`"),
        }
    };
    // Columns are independent: built on the worker threads, whose heaps hold the memory
    // the parsing phase just freed (fresh pages cost a kernel fault each).
    use rayon::prelude::*;
    COLUMNS.par_iter().map(|c| build(c.0)).collect()
}

pub fn empty_frame() -> DataFrame {
    let cols = COLUMNS
        .iter()
        .map(|(name, ty, _)| {
            let dtype = match *ty {
                "Int64" => DataType::Int64,
                "Float64?" => DataType::Float64,
                _ => DataType::String,
            };
            polars::prelude::Column::new_empty((*name).into(), &dtype)
        })
        .collect();
    DataFrame::new(cols).unwrap_or_default()
}
