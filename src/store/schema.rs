//! The Parquet schema of a submission file (documented in docs/store.md).

use super::parquet::{Column, Dict};
use anyhow::{bail, Result};
use polars::prelude::*;
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
    ("layout", "String", "vertical | wide | department | tidy | months"),
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

/// What a stored value is and which figure of its item (the `kind` and `basis` columns):
/// the vocabulary is the model's, spelled once there.
pub use crate::model::value::{Basis, Kind};

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Basis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Per-file facts shared by all rows of a submission.
#[derive(Clone, Debug)]
pub struct SubmissionInfo {
    pub content_hash: String,
    pub source_file: String,
    pub source_path: String,
    pub format: String,
    pub ingested_at: String,
}

/// What the values of one member's month in one sheet share: one allocation for all of them,
/// so that a value costs one reference count here, not six (a month of forms is hundreds of
/// thousands of values, each counted up when made and down when freed).
#[derive(Clone, Debug, PartialEq)]
pub struct Whose {
    pub submitted_on: Option<Arc<str>>,
    pub sheet: Arc<str>,
    pub layout: &'static str,
    pub member: Arc<str>,
    pub member_text: Arc<str>,
    pub period: Arc<str>,
}

/// What the values of one item (a row or column of the form) share: its text as written and
/// its catalog code.
#[derive(Clone, Debug, PartialEq)]
pub struct What {
    pub item: Arc<str>,
    pub metric: Option<Arc<str>>,
}

/// One value of a submission.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub whose: Arc<Whose>,
    pub what: Arc<What>,
    pub cell: crate::model::Short,
    pub kind: Kind,
    pub basis: Basis,
    pub value: Option<f64>,
    pub raw: crate::model::Short,
}

impl Row {
    /// The value's key (`metric`, `total:metric` or `unmapped:item`), as a prefix and a text.
    pub fn key_parts(&self) -> (&'static str, &str) {
        match &self.what.metric {
            Some(m) if self.kind == Kind::Total => ("total:", m),
            Some(m) => ("", m),
            None => ("unmapped:", &self.what.item),
        }
    }
}

/// Where a column's values come from.
enum Source {
    Seq,
    Info(for<'r> fn(&'r SubmissionInfo) -> &'r str),
    /// Facts of a member's month in a sheet: the same for a run of rows.
    Whose(for<'r> fn(&'r Whose) -> Option<&'r str>),
    Text(for<'r> fn(&'r Row) -> &'r str),
    Opt(for<'r> fn(&'r Row) -> Option<&'r str>),
    Key,
    Value,
}

fn source(name: &str) -> Result<Source> {
    use Source::*;
    Ok(match name {
        "seq" => Seq,
        "content_hash" => Info(|i| &i.content_hash),
        "source_file" => Info(|i| &i.source_file),
        "source_path" => Info(|i| &i.source_path),
        "format" => Info(|i| &i.format),
        "ingested_at" => Info(|i| &i.ingested_at),
        "submitted_on" => Whose(|w| w.submitted_on.as_deref()),
        "sheet" => Whose(|w| Some(&w.sheet)),
        "cell" => Text(|r| &r.cell),
        "layout" => Whose(|w| Some(w.layout)),
        "member" => Whose(|w| Some(&w.member)),
        "member_text" => Whose(|w| Some(&w.member_text)),
        "period" => Whose(|w| Some(&w.period)),
        "item" => Text(|r| &r.what.item),
        "metric" => Opt(|r| r.what.metric.as_deref()),
        "kind" => Text(|r| r.kind.as_str()),
        "key" => Key,
        "basis" => Text(|r| r.basis.as_str()),
        "value" => Value,
        "raw" => Text(|r| &r.raw),
        other => bail!("no builder for store column `{other}`"),
    })
}

/// The columns of some submissions: a dictionary per text column (unused for Seq and
/// Value), and the figures.
struct Part<'a> {
    texts: Vec<Dict<'a>>,
    values: Vec<Option<f64>>,
}

/// Builds the text columns of some submissions in one pass over their rows: the rows are
/// far larger than the cache, and reading each once instead of once per column is what
/// makes this fast.
fn part<'a>(sources: &[Source], subs: &[(u64, &'a SubmissionInfo, &'a [Row])]) -> Part<'a> {
    let n: usize = subs.iter().map(|s| s.2.len()).sum();
    let mut dicts: Vec<Dict> = sources
        .iter()
        .map(|s| match s {
            Source::Seq | Source::Value => Dict::with_capacity(0),
            _ => Dict::with_capacity(n),
        })
        .collect();
    let mut values = Vec::with_capacity(n);
    for &(_, info, rows) in subs {
        for (d, s) in dicts.iter_mut().zip(sources) {
            if let Source::Info(f) = s {
                d.push_n(Some(f(info)), rows.len());
            }
        }
        // A member-month's rows share their `Whose`: its columns are pushed once per run.
        for run in rows.chunk_by(|a, b| Arc::ptr_eq(&a.whose, &b.whose)) {
            for (d, s) in dicts.iter_mut().zip(sources) {
                if let Source::Whose(f) = s {
                    d.push_n(f(&run[0].whose), run.len());
                }
            }
            for r in run {
                values.push(r.value);
                for (d, s) in dicts.iter_mut().zip(sources) {
                    match s {
                        Source::Text(f) => d.push(f(r)),
                        Source::Opt(f) => d.push_opt(f(r)),
                        Source::Key => d.push_parts(r.key_parts()),
                        Source::Seq | Source::Info(_) | Source::Whose(_) | Source::Value => {}
                    }
                }
            }
        }
    }
    Part {
        texts: dicts,
        values,
    }
}

/// One row group's columns, in the order of COLUMNS, from whole submissions: each row
/// carries its submission's sequence number and facts.
pub(super) fn columns(subs: &[(u64, &SubmissionInfo, &[Row])]) -> Result<Vec<Column>> {
    use rayon::prelude::*;
    let sources = COLUMNS
        .iter()
        .map(|c| source(c.0))
        .collect::<Result<Vec<_>>>()?;
    // A run of submissions per thread, merged afterwards.
    let sizes: Vec<usize> = subs.iter().map(|s| s.2.len()).collect();
    let n: usize = sizes.iter().sum();
    let per_thread = n.div_ceil(rayon::current_num_threads().max(1)).max(1);
    let parts: Vec<Part> = super::parquet::runs_of_rows(&sizes, per_thread)
        .into_par_iter()
        .map(|run| part(&sources, &subs[run]))
        .collect();
    let mut by_column: Vec<Vec<Dict>> = sources.iter().map(|_| Vec::new()).collect();
    let mut values = Vec::with_capacity(n);
    for p in parts {
        values.extend(p.values);
        for (all, d) in by_column.iter_mut().zip(p.texts) {
            all.push(d);
        }
    }
    let merged = sources
        .par_iter()
        .zip(by_column)
        .map(|(s, dicts)| match s {
            Source::Seq | Source::Value => Ok(None),
            Source::Info(_) | Source::Whose(_) | Source::Text(_) | Source::Opt(_) | Source::Key => {
                let mut dicts = dicts.into_iter();
                let mut d = dicts.next().unwrap_or_else(|| Dict::with_capacity(0));
                dicts.for_each(|o| d.append(o));
                d.finish().map(Some)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let mut values = Some(values);
    Ok(sources
        .iter()
        .zip(merged)
        .map(|(s, c)| match (s, c) {
            (_, Some(c)) => c,
            (Source::Seq, None) => Column::int64(
                subs.iter()
                    .flat_map(|(s, _, r)| std::iter::repeat_n(*s as i64, r.len()))
                    .collect(),
            ),
            (_, None) => Column::float64(values.take().unwrap_or_default()),
        })
        .collect())
}

pub fn empty_frame() -> DataFrame {
    let cols = COLUMNS
        .iter()
        .map(|(name, ty, _)| {
            let dtype = DataType::from_arrow_dtype(&super::parquet::arrow_type(ty));
            polars::prelude::Column::new_empty((*name).into(), &dtype)
        })
        .collect();
    DataFrame::new(cols).unwrap_or_default()
}
