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

#[cfg(test)]
impl Whose {
    /// A test's member-month: sheet `Sheet1`, vertical layout, no 填报日期.
    pub fn of(member: &str, period: &str) -> Arc<Whose> {
        Arc::new(Whose {
            submitted_on: None,
            sheet: Arc::from("Sheet1"),
            layout: "vertical",
            member: Arc::from(member),
            member_text: Arc::from(member),
            period: Arc::from(period),
        })
    }
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
    /// Facts of an item: the same for its run of rows (a form's figures of one item).
    What(for<'r> fn(&'r What) -> Option<&'r str>),
    /// A row's fact that is the same for its item's run (its kind).
    ItemRun(for<'r> fn(&'r Row) -> &'r str),
    Text(for<'r> fn(&'r Row) -> &'r str),
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
        "item" => What(|w| Some(&w.item)),
        "metric" => What(|w| w.metric.as_deref()),
        "kind" => ItemRun(|r| r.kind.as_str()),
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
            // An item's rows (its month, prior-year, ytd… figures) share their `What` and kind,
            // so its text, code, kind and key are pushed once per run too.
            for item in run.chunk_by(|a, b| Arc::ptr_eq(&a.what, &b.what) && a.kind == b.kind) {
                for (d, s) in dicts.iter_mut().zip(sources) {
                    match s {
                        Source::What(f) => d.push_n(f(&item[0].what), item.len()),
                        Source::ItemRun(f) => d.push_n(Some(f(&item[0])), item.len()),
                        Source::Key => d.push_parts_n(item[0].key_parts(), item.len()),
                        _ => {}
                    }
                }
            }
            for r in run {
                values.push(r.value);
                for (d, s) in dicts.iter_mut().zip(sources) {
                    if let Source::Text(f) = s {
                        d.push(f(r));
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
            Source::Info(_)
            | Source::Whose(_)
            | Source::What(_)
            | Source::ItemRun(_)
            | Source::Text(_)
            | Source::Key => {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows in runs sharing their member-month's facts, a run cut by another member's, a
    /// month without 填报日期 beside one with it, an item's run cut by its 合计 row (same item,
    /// another kind) and by another item: every column reads back row by row as the rows
    /// say, whichever threads built which part (two submissions).
    #[test]
    fn runs_of_shared_facts_read_back_row_by_row() {
        let whose = |member: &str, period: &str, on: Option<&str>| {
            Arc::new(Whose {
                submitted_on: on.map(Arc::from),
                sheet: Arc::from("表1"),
                layout: "vertical",
                member: Arc::from(member),
                member_text: Arc::from(format!("{member}院").as_str()),
                period: Arc::from(period),
            })
        };
        let what = |item: &str, metric: Option<&str>| {
            Arc::new(What {
                item: Arc::from(item),
                metric: metric.map(Arc::from),
            })
        };
        let (a, b, c) = (
            whose("a", "2025-01", Some("2025-02-03")),
            whose("b", "2025-01", None),
            whose("a", "2025-02", None),
        );
        let (visits, other) = (what("门诊人次", Some("visits")), what("备注", None));
        let row = |w: &Arc<Whose>, x: &Arc<What>, kind, cell: &str, v: Option<f64>| Row {
            whose: w.clone(),
            what: x.clone(),
            cell: cell.into(),
            kind,
            basis: Basis::Month,
            value: v,
            raw: v.map(|v| v.to_string()).unwrap_or_default().into(),
        };
        use Kind::*;
        let first = vec![
            row(&a, &visits, Base, "C3", Some(1.0)),
            row(&a, &visits, Total, "C4", Some(2.0)),
            row(&b, &visits, Base, "C5", Some(3.0)),
            row(&a, &other, Unmapped, "C6", None),
            row(&a, &visits, Base, "C7", Some(4.0)),
        ];
        let second = vec![
            row(&c, &visits, Base, "D3", Some(5.0)),
            row(&c, &visits, Base, "D4", Some(6.0)),
        ];
        let info = |name: &str| SubmissionInfo {
            content_hash: format!("hash-{name}"),
            source_file: name.into(),
            source_path: format!("/in/{name}"),
            format: "xlsx".into(),
            ingested_at: "2025-03-01T00:00:00Z".into(),
        };
        let (i1, i2) = (info("1.xlsx"), info("2.xlsx"));
        let subs = [(7, &i1, first.as_slice()), (9, &i2, second.as_slice())];
        let cols = columns(&subs).unwrap();
        let mut bytes = Vec::new();
        super::super::parquet::write(&mut bytes, COLUMNS, vec![cols]).unwrap();
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        let text = |name: &str| -> Vec<Option<String>> {
            df.column(name)
                .unwrap()
                .str()
                .unwrap()
                .into_iter()
                .map(|s| s.map(str::to_string))
                .collect()
        };
        let some =
            |v: &[&str]| -> Vec<Option<String>> { v.iter().map(|s| Some(s.to_string())).collect() };
        let seqs: Vec<Option<i64>> = df
            .column("seq")
            .unwrap()
            .i64()
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(seqs, [7, 7, 7, 7, 7, 9, 9].map(Some));
        assert_eq!(
            text("source_file"),
            some(&["1.xlsx", "1.xlsx", "1.xlsx", "1.xlsx", "1.xlsx", "2.xlsx", "2.xlsx"])
        );
        assert_eq!(text("member"), some(&["a", "a", "b", "a", "a", "a", "a"]));
        assert_eq!(
            text("member_text"),
            some(&["a院", "a院", "b院", "a院", "a院", "a院", "a院"])
        );
        assert_eq!(
            text("period"),
            some(&["2025-01", "2025-01", "2025-01", "2025-01", "2025-01", "2025-02", "2025-02"])
        );
        let on = Some("2025-02-03".to_string());
        assert_eq!(
            text("submitted_on"),
            [on.clone(), on.clone(), None, on.clone(), on, None, None]
        );
        assert_eq!(
            text("cell"),
            some(&["C3", "C4", "C5", "C6", "C7", "D3", "D4"])
        );
        assert_eq!(
            text("key"),
            some(&[
                "visits",
                "total:visits",
                "visits",
                "unmapped:备注",
                "visits",
                "visits",
                "visits"
            ])
        );
        let metric = Some("visits".to_string());
        assert_eq!(
            text("metric"),
            [
                metric.clone(),
                metric.clone(),
                metric.clone(),
                None,
                metric.clone(),
                metric.clone(),
                metric
            ]
        );
        assert_eq!(text("raw"), some(&["1", "2", "3", "", "4", "5", "6"]));
        let v = "门诊人次";
        assert_eq!(text("item"), some(&[v, v, v, "备注", v, v, v]));
        assert_eq!(
            text("kind"),
            some(&["base", "total", "base", "unmapped", "base", "base", "base"])
        );
        let values: Vec<Option<f64>> = df
            .column("value")
            .unwrap()
            .f64()
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(
            values,
            [
                Some(1.0),
                Some(2.0),
                Some(3.0),
                None,
                Some(4.0),
                Some(5.0),
                Some(6.0)
            ]
        );
    }
}
