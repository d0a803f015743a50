//! The Parquet schema of a submission file (documented in docs/store.md).

use anyhow::Result;
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

/// Rows of several submissions as one frame, each row carrying its submission's facts.
pub fn to_frame<'a>(
    subs: impl Iterator<Item = (u64, (&'a SubmissionInfo, &'a [Row]))>,
) -> Result<DataFrame> {
    let mut seq: Vec<i64> = Vec::new();
    let mut infos: Vec<&SubmissionInfo> = Vec::new();
    let mut rows: Vec<&Row> = Vec::new();
    for (s, (info, rs)) in subs {
        for r in rs {
            seq.push(s as i64);
            infos.push(info);
            rows.push(r);
        }
    }
    let info_col =
        |name: &str, f: &dyn Fn(&SubmissionInfo) -> &str| runs(name, infos.iter().map(|i| f(i)));
    let text =
        |name: &str, f: &dyn for<'r> Fn(&'r Row) -> &'r str| runs(name, rows.iter().map(|r| f(r)));
    let opt = |name: &str, f: &dyn for<'r> Fn(&'r Row) -> Option<&'r str>| {
        Column::new(
            name.into(),
            rows.iter().map(|r| f(r)).collect::<Vec<Option<&str>>>(),
        )
    };
    let keys: Vec<Cow<str>> = rows.iter().map(|r| r.key()).collect();
    let plain = |name: &str, f: &dyn for<'r> Fn(&'r Row) -> &'r str| {
        Column::new(
            name.into(),
            rows.iter().map(|r| f(r)).collect::<Vec<&str>>(),
        )
    };
    let build = |name: &str| -> PolarsResult<Column> {
        Ok(match name {
            "seq" => Column::new(name.into(), &seq),
            "content_hash" => info_col(name, &|i| &i.content_hash)?,
            "source_file" => info_col(name, &|i| &i.source_file)?,
            "source_path" => info_col(name, &|i| &i.source_path)?,
            "format" => info_col(name, &|i| &i.format)?,
            "ingested_at" => info_col(name, &|i| &i.ingested_at)?,
            "submitted_on" => opt(name, &|r| r.submitted_on.as_deref()),
            "sheet" => text(name, &|r| &r.sheet)?,
            "cell" => plain(name, &|r| &r.cell),
            "layout" => text(name, &|r| r.layout)?,
            "member" => text(name, &|r| &r.member)?,
            "member_text" => text(name, &|r| &r.member_text)?,
            "period" => text(name, &|r| &r.period)?,
            "item" => text(name, &|r| &r.item)?,
            "metric" => opt(name, &|r| r.metric.as_deref()),
            "kind" => text(name, &|r| r.kind)?,
            "key" => runs(name, keys.iter().map(|k| k.as_ref()))?,
            "basis" => text(name, &|r| r.basis)?,
            "value" => Column::new(
                name.into(),
                rows.iter().map(|r| r.value).collect::<Vec<Option<f64>>>(),
            ),
            "raw" => plain(name, &|r| &r.raw),
            other => polars_bail!(ComputeError: "no builder for store column `{other}`"),
        })
    };
    // Columns are independent: built on the worker threads, whose heaps hold the memory
    // the parsing phase just freed (fresh pages cost a kernel fault each).
    use rayon::prelude::*;
    let columns = COLUMNS
        .par_iter()
        .map(|c| build(c.0))
        .collect::<PolarsResult<Vec<Column>>>()?;
    Ok(DataFrame::new(columns)?)
}

/// A text column whose values come in runs (a submission's file, a sheet's member, a row's
/// item): each run's text is stored once and its rows point at it, instead of copying the
/// text into every row.
fn runs<'a>(name: &str, values: impl Iterator<Item = &'a str>) -> PolarsResult<Column> {
    let mut distinct: Vec<&str> = Vec::new();
    let mut idx: Vec<IdxSize> = Vec::new();
    for v in values {
        // Rows of a run share one allocation: comparing addresses settles most rows.
        let same = distinct
            .last()
            .is_some_and(|l| std::ptr::eq(*l, v) || *l == v);
        if !same {
            distinct.push(v);
        }
        idx.push((distinct.len() - 1) as IdxSize);
    }
    let texts = Series::new(name.into(), distinct);
    Ok(texts.take_slice(&idx)?.into())
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
            Column::new_empty((*name).into(), &dtype)
        })
        .collect();
    DataFrame::new(cols).unwrap_or_default()
}
