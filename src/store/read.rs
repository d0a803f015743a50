//! Reading the store as plain Rust rows: the values in use (`Store::in_use`) and every
//! stored value with its lineage (`Store::submissions`). The rule that decides which value
//! is in use — for each member, period, key and basis, the newest submission's — is applied
//! here and nowhere else (`newest`); polars stays inside the store.

use super::schema::{Basis, Kind};
use super::Store;
use crate::i18n::{Msg, SaidContext};
use crate::model::period::Period;
use crate::model::Fast;
use crate::model::Short;
use crate::said;
use anyhow::Result;
use polars::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Which values to read. Members, metrics, periods and basis select keys (applied before
/// the newest submission is chosen, which they cannot change); kind and `reported` select
/// among the values in use (a newer blank still replaces an older figure).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    members: Option<Vec<String>>,
    metrics: Option<Vec<String>>,
    periods: Option<Periods>,
    basis: Option<Vec<Basis>>,
    kind: Option<Kind>,
    reported: bool,
}

#[derive(Clone, Debug)]
enum Periods {
    List(Vec<Period>),
    Range(Period, Period),
}

impl Filter {
    /// Every value.
    pub fn all() -> Filter {
        Filter::default()
    }
    pub fn kind(mut self, k: Kind) -> Filter {
        self.kind = Some(k);
        self
    }
    pub fn basis(mut self, b: Basis) -> Filter {
        self.basis = Some(vec![b]);
        self
    }
    /// Values of any of these bases.
    pub fn bases(mut self, b: impl IntoIterator<Item = Basis>) -> Filter {
        self.basis = Some(b.into_iter().collect());
        self
    }
    pub fn members<S: Into<String>>(mut self, m: impl IntoIterator<Item = S>) -> Filter {
        self.members = Some(m.into_iter().map(Into::into).collect());
        self
    }
    /// Values of these metric or indicator codes (an unmapped item has none).
    pub fn metrics<S: Into<String>>(mut self, c: impl IntoIterator<Item = S>) -> Filter {
        self.metrics = Some(c.into_iter().map(Into::into).collect());
        self
    }
    pub fn periods(mut self, p: impl IntoIterator<Item = Period>) -> Filter {
        self.periods = Some(Periods::List(p.into_iter().collect()));
        self
    }
    /// Periods from `first` to `last`, both included.
    pub fn period_range(mut self, first: Period, last: Period) -> Filter {
        self.periods = Some(Periods::Range(first, last));
        self
    }
    /// Only values with a figure (not blank, `-`, 无).
    pub fn reported(mut self) -> Filter {
        self.reported = true;
        self
    }

    /// The first and last period asked for (`YYYY-MM`), to leave out whole files and row
    /// groups whose periods lie outside; None for every period.
    pub(super) fn period_bounds(&self) -> Option<(String, String)> {
        match &self.periods {
            None => None,
            Some(Periods::List(p)) => {
                let (a, b) = (p.iter().min()?, p.iter().max()?);
                Some((a.to_string(), b.to_string()))
            }
            Some(Periods::Range(a, b)) => Some((a.to_string(), b.to_string())),
        }
    }

    /// The key-selecting part, before the newest submission is chosen. `range`: whether the
    /// rows' periods are tested against the first and last period asked for; without, only
    /// for being there (`Store::scan_runs`: files whose every period lies within).
    fn keys(&self, mut lf: LazyFrame, range: bool) -> LazyFrame {
        let texts = |name: &str, v: &[String]| {
            // One value is an equality: polars' `is_in` over a text column compares each
            // row's text with the list, several times slower (a fifth of `check`'s read).
            if let [one] = v {
                return col(name).eq(lit(one.as_str()));
            }
            let s = Series::new(
                name.into(),
                v.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            col(name).is_in(lit(s))
        };
        if let Some(m) = &self.members {
            lf = lf.filter(texts("member", m));
        }
        if let Some(c) = &self.metrics {
            lf = lf.filter(texts("metric", c));
        }
        // The range first: Parquet min/max statistics answer it, so row groups of other
        // months are not decoded. Stored periods are `YYYY-MM`: text order is month order;
        // a null period is outside any range.
        if let Some((a, b)) = self.period_bounds() {
            lf = lf.filter(match range {
                true => col("period").gt_eq(lit(a)).and(col("period").lt_eq(lit(b))),
                false => col("period").is_not_null(),
            });
        }
        // A list then picks its months, unless it is every month between its first and last
        // (a year's window, a run of months): the range is the list, and the list's test of
        // each row's text against it is not made.
        if let Some(Periods::List(p)) = &self.periods {
            let distinct: std::collections::BTreeSet<i32> = p.iter().map(|p| p.index()).collect();
            let whole = match (distinct.first(), distinct.last()) {
                (Some(a), Some(b)) => (b - a + 1) as usize == distinct.len(),
                _ => false,
            };
            if !whole {
                let p: Vec<String> = p.iter().map(Period::to_string).collect();
                lf = lf.filter(texts("period", &p));
            }
        }
        if let Some(b) = &self.basis {
            let b: Vec<String> = b.iter().map(|b| b.as_str().to_string()).collect();
            lf = lf.filter(texts("basis", &b));
        }
        lf
    }

    /// The part that selects among values in use.
    fn values(&self, mut lf: LazyFrame) -> LazyFrame {
        if let Some(k) = self.kind {
            lf = lf.filter(col("kind").eq(lit(k.as_str())));
        }
        if self.reported {
            lf = lf.filter(col("value").is_not_null());
        }
        lf
    }

    /// `values` of one row read into Rust: whether its kind and value are asked for.
    fn keeps(&self, kind: Kind, value: Option<f64>) -> bool {
        self.kind.is_none_or(|k| kind == k) && (!self.reported || value.is_some())
    }
}

/// A value in use: the newest submission's for its member, period, key and basis.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub member: String,
    pub period: Period,
    /// `metric`, `total:metric` or `unmapped:item`.
    pub key: String,
    /// The metric or indicator code; None for an unmapped item.
    pub metric: Option<String>,
    pub kind: Kind,
    pub basis: Basis,
    /// None when the cell held no figure.
    pub value: Option<f64>,
    /// Where it came from.
    pub seq: u64,
    pub source_file: String,
    pub cell: String,
}

/// A value in use without its lineage (`Store::figures`): the member and code texts are
/// shared between the values that hold them, so a month of a bureau's values is not
/// millions of small strings.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub member: Arc<str>,
    pub period: Period,
    /// `metric`, `total:metric` or `unmapped:item`.
    pub key: Arc<str>,
    /// The metric or indicator code; None for an unmapped item.
    pub metric: Option<Arc<str>>,
    pub kind: Kind,
    pub basis: Basis,
    /// None when the cell held no figure.
    pub value: Option<f64>,
    pub seq: u64,
}

/// Values in use as `Store::figure_table` gives them: each row's texts by number, each
/// text once. What the engine reads two years of a bureau's figures by: a row is numbers,
/// no shared text counted up and down and no text hashed per row.
pub struct FigureTable {
    /// A row's member is `members[row.member]`.
    pub members: Vec<Arc<str>>,
    pub keys: Vec<Arc<str>>,
    /// None for an unmapped item.
    pub metrics: Vec<Option<Arc<str>>>,
    pub rows: Vec<FigureRow>,
}

/// One value of a `FigureTable`.
#[derive(Clone, Copy, Debug)]
pub struct FigureRow {
    pub member: u32,
    pub period: Period,
    pub key: u32,
    pub metric: u32,
    pub kind: Kind,
    pub basis: Basis,
    pub value: Option<f64>,
    pub seq: u64,
}

impl FigureTable {
    /// The rows as `Figure`s.
    pub fn figures(self) -> Vec<Figure> {
        let FigureTable {
            members,
            keys,
            metrics,
            rows,
        } = self;
        rows.into_iter()
            .map(|r| Figure {
                member: Arc::clone(&members[r.member as usize]),
                period: r.period,
                key: Arc::clone(&keys[r.key as usize]),
                metric: metrics[r.metric as usize].clone(),
                kind: r.kind,
                basis: r.basis,
                value: r.value,
                seq: r.seq,
            })
            .collect()
    }
}

/// A stored value with its lineage, in use or superseded. What the rows of a submission's
/// sheet share (file, member, dates: `Lineage`) is one shared part, read through `Deref`
/// (`row.source_file`); the item texts are shared too (`Arc<str>`); the cell and the raw
/// text are each row's own. One shared part, not nine shared texts: a check reads millions
/// of rows, and each shared text was an atomic count up and down per row.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub seq: u64,
    /// Whether it is the value in use for its key (the newest submission's).
    pub in_use: bool,
    pub lineage: Arc<Lineage>,
    pub cell: Short,
    pub period: Period,
    pub item: Arc<str>,
    pub metric: Option<Arc<str>>,
    pub kind: Kind,
    pub key: Arc<str>,
    pub basis: Basis,
    pub value: Option<f64>,
    pub raw: Short,
}

/// What the rows of one submission's sheet have in common.
#[derive(Clone, Debug, PartialEq)]
pub struct Lineage {
    pub content_hash: Arc<str>,
    pub source_file: Arc<str>,
    pub source_path: Arc<str>,
    pub ingested_at: Arc<str>,
    /// 填报日期 stated in the sheet (YYYY-MM-DD), if any.
    pub submitted_on: Option<Arc<str>>,
    pub sheet: Arc<str>,
    pub layout: Arc<str>,
    pub member: Arc<str>,
    pub member_text: Arc<str>,
}

impl std::ops::Deref for Stored {
    type Target = Lineage;
    fn deref(&self) -> &Lineage {
        &self.lineage
    }
}

/// A text column's rows as numbers, equal texts equal numbers (`of_row[i]`), numbered in
/// order of first appearance, with each number's text (`texts[n]`, None for a null row).
///
/// polars holds a text of up to 12 bytes inline in the row's 16-byte view: such a row is
/// numbered by its view, an integer, without hashing or comparing its text (hashing and
/// comparing member codes was a tenth of `check`). A longer text is in a buffer, copied per
/// row by the Parquet decoder (its views all differ): it is compared with the row before
/// (a submission's rows share its file, sheet and dates), then looked up by its text.
struct Codes<'a> {
    of_row: Vec<u32>,
    texts: Vec<Option<&'a str>>,
}

impl<'a> Codes<'a> {
    /// `nulls_empty`: a null row is the empty text (the in-use rule's keys), else a text of
    /// its own.
    fn new(c: &'a StringChunked, nulls_empty: bool) -> Codes<'a> {
        use polars_arrow::array::{Array, View};
        let mut by_text: HashMap<Option<&str>, u32, Fast> = HashMap::default();
        let mut by_view: HashMap<u128, u32, Fast> = HashMap::default();
        let mut texts: Vec<Option<&str>> = Vec::new();
        let mut of_row = Vec::with_capacity(c.len());
        let mut number = |text: Option<&'a str>| {
            *by_text.entry(text).or_insert_with(|| {
                texts.push(text);
                texts.len() as u32 - 1
            })
        };
        for arr in c.downcast_iter() {
            let mut last: Option<(&str, u32)> = None;
            // The row before's inline view: a submission's rows share its member and month.
            let mut last_view: Option<(u128, u32)> = None;
            for (j, view) in arr.views().iter().enumerate() {
                let n = match arr.is_valid(j) {
                    false if nulls_empty => number(Some("")),
                    false => number(None),
                    // Inline: the view is the text.
                    true if view.length <= View::MAX_INLINE_SIZE => {
                        let v = view.as_u128();
                        match last_view {
                            Some((u, n)) if u == v => n,
                            _ => {
                                let n = *by_view
                                    .entry(v)
                                    .or_insert_with(|| number(Some(arr.value(j))));
                                last_view = Some((v, n));
                                n
                            }
                        }
                    }
                    true => {
                        let t = arr.value(j);
                        match last {
                            Some((u, n)) if u == t => n,
                            _ => {
                                let n = number(Some(t));
                                last = Some((t, n));
                                n
                            }
                        }
                    }
                };
                of_row.push(n);
            }
        }
        Codes { of_row, texts }
    }
}

/// THE in-use rule, on the rows of a frame in stored order: for each key (member, period,
/// key, basis) the row of the highest `seq`, the later one when a submission holds a key
/// twice. The rows in use by position, ordered by `seq`, then position. A hash map per
/// period: polars' sort and unique over four text columns was most of a read at a bureau's
/// scale.
fn newest_rows(df: &DataFrame, basis: &[Basis], seq: &[u64]) -> Result<Vec<usize>> {
    let texts = key_texts(&Cols(df))?;
    Ok(Keys::new(&texts).newest(basis, seq))
}

/// The in-use rule's key columns of a frame: member, period and key.
fn key_texts(c: &Cols) -> Result<[StringChunked; 3]> {
    Ok([c.strs("member")?, c.strs("period")?, c.strs("key")?])
}

/// The in-use rule's keys as numbers (`Codes`, a null as empty text): compared as integers
/// by the rule, and by the readers after it (a row's member and key texts shared by number,
/// its period parsed once per text, not once per row).
struct Keys<'a> {
    member: Codes<'a>,
    period: Codes<'a>,
    key: Codes<'a>,
    /// Each period text as a month (None: not one).
    months: Vec<Option<Period>>,
}

impl<'a> Keys<'a> {
    fn new([member, period, key]: &'a [StringChunked; 3]) -> Keys<'a> {
        let period = Codes::new(period, true);
        let months = period
            .texts
            .iter()
            .map(|p| Period::parse_strict(p.unwrap_or_default()))
            .collect();
        Keys {
            member: Codes::new(member, true),
            period,
            key: Codes::new(key, true),
            months,
        }
    }

    /// The rows in use (`newest_rows`), the rule's table in an array when it is small
    /// enough (`DENSE_SLOTS`).
    fn newest(&self, basis: &[Basis], seq: &[u64]) -> Vec<usize> {
        let slots = self.member.texts.len() * self.key.texts.len() * BASES;
        newest_in(self, basis, seq, slots <= DENSE_SLOTS)
    }

    /// Row `i`'s month.
    fn month(&self, i: usize) -> Option<Period> {
        self.months[self.period.of_row[i] as usize]
    }
}

/// The in-use rule's table in a plain array, a slot per (member, key, basis) numbers, when
/// it has at most this many slots (a bureau's 2,000 members × 40 keys × 4 bases are 320,000);
/// else a hash map.
const DENSE_SLOTS: usize = 1 << 20;

/// The number of bases: a slot of the dense table per basis.
const BASES: usize = 4;
const _: () = assert!(Basis::PriorYtd as usize == BASES - 1);

/// `Keys::newest`, the table in an array (`dense`) or a hash map.
fn newest_in(keys: &Keys, basis: &[Basis], seq: &[u64], dense: bool) -> Vec<usize> {
    let (member, period, key) = (&keys.member, &keys.period, &keys.key);
    // The rows of each period together (in stored order), each period's keys in a table of
    // their own: a month's keys fit the caches where a history's millions do not.
    let n = period.of_row.len();
    let of_row = &period.of_row;
    let periods = period.texts.len();
    // A counting sort by period, stable.
    let mut start = vec![0usize; periods + 1];
    for &id in of_row {
        start[id as usize + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut at = start.clone();
    let mut order = vec![0usize; n];
    for (i, &id) in of_row.iter().enumerate() {
        order[at[id as usize]] = i;
        at[id as usize] += 1;
    }
    let widest = start.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    let mut rows: Vec<(u64, usize)> = Vec::with_capacity(n);
    if dense {
        // (seq, row) of the newest row of a slot so far; no row yet is usize::MAX. Hashing
        // each row's key was most of the rule's time.
        const NONE: (u64, usize) = (0, usize::MAX);
        let keys = key.texts.len();
        let mut best = vec![NONE; member.texts.len() * keys * BASES];
        let mut touched: Vec<usize> = Vec::with_capacity(widest);
        for w in start.windows(2) {
            for &i in &order[w[0]..w[1]] {
                let slot = (member.of_row[i] as usize * keys + key.of_row[i] as usize) * BASES
                    + basis[i] as usize;
                let b = &mut best[slot];
                if b.1 == usize::MAX {
                    touched.push(slot);
                    *b = (seq[i], i);
                } else if seq[i] >= b.0 {
                    *b = (seq[i], i);
                }
            }
            for slot in touched.drain(..) {
                rows.push(std::mem::replace(&mut best[slot], NONE));
            }
        }
    } else {
        // Key (member, key, basis) of a period → (seq, row) of the newest row so far.
        let mut best: HashMap<(u32, u32, Basis), (u64, usize), Fast> =
            HashMap::with_capacity_and_hasher(widest, Default::default());
        for w in start.windows(2) {
            best.clear();
            for &i in &order[w[0]..w[1]] {
                let k = (member.of_row[i], key.of_row[i], basis[i]);
                let b = best.entry(k).or_insert((seq[i], i));
                if seq[i] >= b.0 {
                    *b = (seq[i], i);
                }
            }
            rows.extend(best.drain().map(|(_, v)| v));
        }
    }
    rows.sort_unstable();
    rows.into_iter().map(|(_, i)| i).collect()
}

/// The rows of `df` (in stored order) in use, by `newest_rows`.
pub(super) fn newest(df: DataFrame) -> Result<DataFrame> {
    let c = Cols(&df);
    let rows = newest_rows(&df, &c.bases()?, &c.seqs()?)?;
    let idx = IdxCa::from_vec("".into(), rows.into_iter().map(|i| i as IdxSize).collect());
    Ok(df.take(&idx)?)
}

/// One submission of one member-month (`Store::sent`).
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    pub member: String,
    pub period: Period,
    pub seq: u64,
    pub source_file: String,
    pub ingested_at: String,
    /// 填报日期 stated in the sheet (YYYY-MM-DD), if any.
    pub submitted_on: Option<String>,
    /// Values with a figure (not blank).
    pub figures: usize,
}

/// Each distinct text once: the rows of a submission repeat its file, sheet and member, and
/// every month repeats the item codes.
#[derive(Default)]
struct Shared<'a>(HashMap<&'a str, Arc<str>, Fast>);

impl<'a> Shared<'a> {
    fn get(&mut self, t: &'a str) -> Arc<str> {
        self.0.entry(t).or_insert_with(|| Arc::from(t)).clone()
    }
    /// A column's rows, each of its texts shared (`share` of its `Codes`).
    fn column(&mut self, c: &'a StringChunked) -> SharedColumn {
        self.share(Codes::new(c, false))
    }
    /// The rows of `codes` with each of its texts shared, by number.
    fn share(&mut self, codes: Codes<'a>) -> SharedColumn {
        SharedColumn {
            texts: codes.texts.iter().map(|t| t.map(|t| self.get(t))).collect(),
            of_row: codes.of_row,
            empty: self.get(""),
        }
    }
}

/// A column as `Shared::share` gives it: row `i` is `texts[of_row[i]]`, a null None.
struct SharedColumn {
    of_row: Vec<u32>,
    texts: Vec<Option<Arc<str>>>,
    empty: Arc<str>,
}

impl SharedColumn {
    /// Row `i`; a null is empty text.
    fn text(&self, i: usize) -> Arc<str> {
        self.opt(i).unwrap_or_else(|| Arc::clone(&self.empty))
    }
    /// Row `i` of a nullable column.
    fn opt(&self, i: usize) -> Option<Arc<str>> {
        self.texts[self.of_row[i] as usize].clone()
    }
}

/// A frame's columns as Rust values, one accessor per type.
struct Cols<'a>(&'a DataFrame);

impl Cols<'_> {
    fn text(&self, name: &str) -> Result<Vec<Option<String>>> {
        let c = self.0.column(name)?.cast(&DataType::String)?;
        Ok(c.str()?
            .into_iter()
            .map(|v| v.map(str::to_string))
            .collect())
    }
    /// A text column as polars holds it (rows read without a copy each), in its chunks (a
    /// chunk a row group read): for reading it row after row (`Codes::new`, `iter`). Rows
    /// asked out of order want it `rechunk`ed (polars finds row `i` of many chunks by
    /// walking them), a copy of the column.
    fn strs(&self, name: &str) -> Result<StringChunked> {
        Ok(self.0.column(name)?.cast(&DataType::String)?.str()?.clone())
    }
    fn texts(&self, name: &str) -> Result<Vec<String>> {
        Ok(self
            .text(name)?
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect())
    }
    fn seqs(&self) -> Result<Vec<u64>> {
        let c = self.0.column("seq")?.cast(&DataType::Int64)?;
        Ok(c.i64()?
            .into_iter()
            .map(|v| v.unwrap_or(0).max(0) as u64)
            .collect())
    }
    fn values(&self) -> Result<Vec<Option<f64>>> {
        let c = self.0.column("value")?.cast(&DataType::Float64)?;
        Ok(c.f64()?.into_iter().collect())
    }
    fn kinds(&self) -> Result<Vec<Kind>> {
        self.strs("kind")?
            .iter()
            .map(|k| {
                let k = k.unwrap_or_default();
                Kind::parse(k)
                    .ok_or_else(|| anyhow::Error::new(said!(Msg::StoreUnknownKind, value = k)))
            })
            .collect()
    }
    fn bases(&self) -> Result<Vec<Basis>> {
        self.strs("basis")?
            .iter()
            .map(|b| {
                let b = b.unwrap_or_default();
                Basis::parse(b)
                    .ok_or_else(|| anyhow::Error::new(said!(Msg::StoreUnknownBasis, value = b)))
            })
            .collect()
    }
    /// Periods; None where the text is not a month (yilian writes none such).
    fn periods(&self) -> Result<Vec<Option<Period>>> {
        Ok(self
            .strs("period")?
            .iter()
            .map(|p| Period::parse_strict(p.unwrap_or_default()))
            .collect())
    }
}

impl Store {
    /// The stored rows of the filter's keys (`Filter::keys`), only `columns` of them (every
    /// column when empty), every version: the files' runs (`scan_runs`) each filtered, their
    /// rows in the files' order.
    fn keyed(&self, filter: &Filter, columns: &[Expr]) -> Result<LazyFrame> {
        let mut frames: Vec<LazyFrame> = self
            .scan_runs(filter)?
            .into_iter()
            .map(|(lf, inside)| {
                let lf = match columns {
                    [] => lf,
                    c => lf.select(c),
                };
                filter.keys(lf, !inside)
            })
            .collect();
        match frames.len() {
            1 => Ok(frames.remove(0)),
            _ => concat(frames, UnionArgs::default()).said(|| said!(Msg::StoreUnreadable)),
        }
    }

    /// Each submission of each member-month with values that pass the filter (superseded
    /// ones too), by member, period and `seq`: its file, when it came and how many of those
    /// values have a figure. Lighter than `submissions` when the values themselves are not
    /// needed (history, corrections).
    pub fn sent(&self, filter: &Filter) -> Result<Vec<Sent>> {
        let df = filter
            .values(self.keyed(filter, &[])?)
            .group_by([col("member"), col("period"), col("seq")])
            .agg([
                col("source_file").first(),
                col("ingested_at").first(),
                col("submitted_on").first(),
                col("value").count().alias("figures"),
            ])
            .sort(["member", "period", "seq"], SortMultipleOptions::default())
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        let c = Cols(&df);
        let figures = df.column("figures")?.cast(&DataType::UInt64)?;
        let (member, period, seq, file, ingested, submitted) = (
            c.texts("member")?,
            c.periods()?,
            c.seqs()?,
            c.texts("source_file")?,
            c.texts("ingested_at")?,
            c.text("submitted_on")?,
        );
        Ok(member
            .into_iter()
            .zip(period)
            .zip(seq.into_iter().zip(figures.u64()?))
            .zip(file.into_iter().zip(ingested).zip(submitted))
            .filter_map(
                |(((member, period), (seq, n)), ((file, ingested), submitted))| {
                    Some(Sent {
                        member,
                        period: period?,
                        seq,
                        source_file: file,
                        ingested_at: ingested,
                        submitted_on: submitted.filter(|s| !s.is_empty()),
                        figures: n.unwrap_or(0) as usize,
                    })
                },
            )
            .collect())
    }

    /// When the newest submission with values that pass the filter was ingested (RFC 3339),
    /// superseded ones included; None when there is none. One column read.
    pub fn last_ingested(&self, filter: &Filter) -> Result<Option<String>> {
        if let Some(by_statistics) = self.last_ingested_by_statistics(filter) {
            return Ok(by_statistics);
        }
        let df = filter
            .values(self.keyed(filter, &[])?)
            .select([col("ingested_at").max()])
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        Ok(Cols(&df).text("ingested_at")?.into_iter().flatten().next())
    }

    /// `last_ingested` of a filter of periods alone, from the files' footers (read when the
    /// store was opened, to check the files): a file's rows of a month are row groups of
    /// their own (docs/store.md, "Layout"), whose min/max statistics of `period` and
    /// `ingested_at` answer it without a row decoded (a report's two years of a bureau's
    /// rows took 0.16 s to read for it). None when they cannot: a filter of more than
    /// periods, a file whose footer was not read, a row group without those statistics or
    /// straddling the filter's bounds — the rows are read instead.
    fn last_ingested_by_statistics(&self, filter: &Filter) -> Option<Option<String>> {
        use polars_parquet::parquet::statistics::Statistics;
        let Filter {
            members: None,
            metrics: None,
            periods,
            basis: None,
            kind: None,
            reported: false,
        } = filter
        else {
            return None;
        };
        // A list of months that is not every month between its first and last is not the
        // range of its bounds.
        let (a, b) = match periods {
            None => (None, None),
            Some(Periods::Range(..)) => {
                let (a, b) = filter.period_bounds()?;
                (Some(a), Some(b))
            }
            Some(Periods::List(_)) => return None,
        };
        let text = |rg: &polars_parquet::parquet::metadata::RowGroupMetadata, name: &str| {
            let column = rg.columns_under_root_iter(name)?.next()?;
            match column.statistics()?.ok()? {
                Statistics::Binary(s) => Some((
                    String::from_utf8(s.min_value?).ok()?,
                    String::from_utf8(s.max_value?).ok()?,
                )),
                _ => None,
            }
        };
        let mut newest: Option<String> = None;
        let (st, files) = self.files_of(filter).ok()?;
        for i in files {
            let meta = st.files[i].footer.as_ref()?;
            for rg in &meta.row_groups {
                if rg.num_rows() == 0 {
                    continue;
                }
                let (first, last) = text(rg, "period")?;
                let below = a.as_ref().is_some_and(|a| &last < a);
                let above = b.as_ref().is_some_and(|b| &first > b);
                if below || above {
                    continue;
                }
                let within =
                    a.as_ref().is_none_or(|a| &first >= a) && b.as_ref().is_none_or(|b| &last <= b);
                if !within {
                    return None;
                }
                let (_, at) = text(rg, "ingested_at")?;
                if newest.as_ref().is_none_or(|n| &at > n) {
                    newest = Some(at);
                }
            }
        }
        Some(newest)
    }

    /// The periods of the stored values that pass the filter, in use or superseded (the
    /// in-use rule is not applied: only two columns are read). Ascending.
    pub fn periods(&self, filter: &Filter) -> Result<Vec<Period>> {
        let df = filter
            .values(self.keyed(filter, &[])?)
            .select([col("period")])
            .unique(None, UniqueKeepStrategy::Any)
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        let mut p: Vec<Period> = Cols(&df).periods()?.into_iter().flatten().collect();
        p.sort();
        Ok(p)
    }

    /// The values in use that pass the filter: for each member, period, key and basis, the
    /// newest submission's.
    pub fn in_use(&self, filter: &Filter) -> Result<Vec<Value>> {
        // Only the columns a Value holds are read (the lineage of `submissions` is not).
        let columns = [
            "member",
            "period",
            "key",
            "metric",
            "kind",
            "basis",
            "value",
            "seq",
            "source_file",
            "cell",
        ];
        let df = self
            .keyed(filter, &columns.map(col))?
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        let df = filter
            .values(newest(df)?.lazy())
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        let c = Cols(&df);
        let (member, period, key, metric) = (
            c.texts("member")?,
            c.periods()?,
            c.texts("key")?,
            c.text("metric")?,
        );
        let (kind, basis, value, seq) = (c.kinds()?, c.bases()?, c.values()?, c.seqs()?);
        let (file, cell) = (c.texts("source_file")?, c.texts("cell")?);
        let rows = member
            .into_iter()
            .zip(period)
            .zip(key.into_iter().zip(metric))
            .zip(kind.into_iter().zip(basis))
            .zip(value.into_iter().zip(seq))
            .zip(file.into_iter().zip(cell))
            .filter_map(
                |(
                    ((((member, period), (key, metric)), (kind, basis)), (value, seq)),
                    (file, cell),
                )| {
                    Some(Value {
                        member,
                        period: period?,
                        key,
                        metric,
                        kind,
                        basis,
                        value,
                        seq,
                        source_file: file,
                        cell,
                    })
                },
            )
            .collect();
        Ok(rows)
    }

    /// The values in use that pass the filter, as `in_use` chooses them, without their
    /// lineage (file and cell): what a computation over many months reads. In the order
    /// `in_use` gives them (by `seq`, then as stored).
    pub fn figures(&self, filter: &Filter) -> Result<Vec<Figure>> {
        Ok(self.figure_table(filter)?.figures())
    }

    /// `figures` by number (`FigureTable`), in the same order.
    pub fn figure_table(&self, filter: &Filter) -> Result<FigureTable> {
        let columns = [
            "member", "period", "key", "metric", "kind", "basis", "value", "seq",
        ];
        // Every version of the keys asked for; the newest is chosen below (`newest_rows`).
        let df = self
            .keyed(filter, &columns.map(col))?
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        let c = Cols(&df);
        let (texts, metric) = (key_texts(&c)?, c.strs("metric")?);
        let (kind, basis, value, seq) = (c.kinds()?, c.bases()?, c.values()?, c.seqs()?);
        // Kind and `reported` select among the values in use (a newer blank still
        // replaces an older figure).
        let keep = |i: usize| filter.keeps(kind[i], value[i]);
        let (keys, metric) = (Keys::new(&texts), Codes::new(&metric, false));
        let rows = keys.newest(&basis, &seq);
        let mut out = Vec::with_capacity(rows.len());
        for i in rows.into_iter().filter(|&i| keep(i)) {
            // A row whose period is not a month is no value anyone can place.
            let Some(p) = keys.month(i) else {
                continue;
            };
            out.push(FigureRow {
                member: keys.member.of_row[i],
                period: p,
                key: keys.key.of_row[i],
                metric: metric.of_row[i],
                kind: kind[i],
                basis: basis[i],
                value: value[i],
                seq: seq[i],
            });
        }
        // Each text once, shared (a member's and a key's nulls are numbered as empty text).
        let mut shared = Shared::default();
        Ok(FigureTable {
            members: keys
                .member
                .texts
                .iter()
                .map(|t| shared.get(t.unwrap_or_default()))
                .collect(),
            keys: keys
                .key
                .texts
                .iter()
                .map(|t| shared.get(t.unwrap_or_default()))
                .collect(),
            metrics: shared.share(metric).texts,
            rows: out,
        })
    }

    /// Every stored value that passes the filter, in commit order (by `seq`, then as stored),
    /// with its lineage and whether it is in use.
    pub fn submissions(&self, filter: &Filter) -> Result<Vec<Stored>> {
        self.stored(filter, &[], |r| r)
    }

    /// `submissions` without the lineage no finding points at: the submitted file's hash
    /// and path and the member as written are left empty (not read). What `check` reads,
    /// each row shared from the start (a check's rows are hundreds of thousands: a list of
    /// them before they were shared was tens of megabytes touched once).
    pub fn submissions_short(&self, filter: &Filter) -> Result<Vec<std::rc::Rc<Stored>>> {
        let skip = ["content_hash", "source_path", "member_text"];
        self.stored(filter, &skip, std::rc::Rc::new)
    }

    /// The stored rows, `skip` columns not read (left empty), each kept as `keep` makes it.
    fn stored<T>(
        &self,
        filter: &Filter,
        skip: &[&str],
        keep: impl Fn(Stored) -> T,
    ) -> Result<Vec<T>> {
        let columns: Vec<Expr> = super::COLUMNS
            .iter()
            .filter(|c| !skip.contains(&c.0))
            .map(|c| col(c.0))
            .collect();
        // In stored order: the in-use rule needs no other (`newest_rows`), and the rows are
        // put in commit order below by their numbers, not by polars gathering every column
        // (a fifth of `check`'s read of its months).
        let df = self
            .keyed(filter, &columns)?
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        // Read row after row in their chunks, but the cell and raw text (below).
        let c = Cols(&df);
        let (seq, basis) = (c.seqs()?, c.bases()?);
        // The in-use rule's keys numbered once: the member and key texts are shared below
        // by those numbers (a null is empty text either way).
        let texts = key_texts(&c)?;
        let keys = Keys::new(&texts);
        let mut in_use = vec![false; df.height()];
        for i in keys.newest(&basis, &seq) {
            in_use[i] = true;
        }
        let (kind, value) = (c.kinds()?, c.values()?);
        // The rows the filter asks for (`Filter::keeps`), in commit order: by `seq`, a
        // submission's rows as stored (a stable sort).
        let mut order: Vec<usize> = (0..df.height())
            .filter(|&i| filter.keeps(kind[i], value[i]))
            .collect();
        order.sort_by_key(|&i| seq[i]);
        // Texts repeated by the rows of a submission (its file, sheet, member, items) are
        // shared; a column not read is empty text in every row.
        let empty = StringChunked::full_null("".into(), df.height());
        let column = |name: &str| -> Result<StringChunked> {
            match skip.contains(&name) {
                true => Ok(empty.clone()),
                false => c.strs(name),
            }
        };
        let names = [
            "content_hash",
            "source_file",
            "source_path",
            "ingested_at",
            "submitted_on",
            "sheet",
            "layout",
            "member_text",
            "item",
            "metric",
        ];
        let read: Vec<StringChunked> = names.iter().map(|n| column(n)).collect::<Result<_>>()?;
        // Texts repeated by the rows of a submission shared, each column numbered once.
        let mut shared = Shared::default();
        let mut at = |i: usize| shared.column(&read[i]);
        let (hash, file, path, ingested, submitted) = (at(0), at(1), at(2), at(3), at(4));
        let (sheet, layout, member_text) = (at(5), at(6), at(7));
        let (item, metric) = (at(8), at(9));
        let Keys {
            member,
            period: periods,
            key,
            months,
        } = keys;
        let (member, key) = (shared.share(member), shared.share(key));
        // Asked row by row in commit order, not stored order: in one chunk each.
        let (cell, raw) = (column("cell")?.rechunk(), column("raw")?.rechunk());
        let mut rows = Vec::with_capacity(order.len());
        // The shared part of the row before, and the numbers of its texts: a submission's
        // rows come together, so a part is made once for the run of rows that share it.
        let mut last: Option<([u32; 9], Arc<Lineage>)> = None;
        let parts = [
            &hash,
            &file,
            &path,
            &ingested,
            &submitted,
            &sheet,
            &layout,
            &member,
            &member_text,
        ];
        for i in order {
            // A row whose period is not a month is no value anyone can place.
            let Some(period) = months[periods.of_row[i] as usize] else {
                continue;
            };
            let codes = parts.map(|c| c.of_row[i]);
            let lineage = match &last {
                Some((c, l)) if *c == codes => Arc::clone(l),
                _ => {
                    let l = Arc::new(Lineage {
                        content_hash: hash.text(i),
                        source_file: file.text(i),
                        source_path: path.text(i),
                        ingested_at: ingested.text(i),
                        submitted_on: submitted.opt(i).filter(|s| !s.is_empty()),
                        sheet: sheet.text(i),
                        layout: layout.text(i),
                        member: member.text(i),
                        member_text: member_text.text(i),
                    });
                    last = Some((codes, Arc::clone(&l)));
                    l
                }
            };
            rows.push(keep(Stored {
                seq: seq[i],
                in_use: in_use[i],
                lineage,
                cell: cell.get(i).unwrap_or_default().into(),
                period,
                item: item.text(i),
                metric: metric.opt(i),
                kind: kind[i],
                key: key.text(i),
                basis: basis[i],
                value: value[i],
                raw: raw.get(i).unwrap_or_default().into(),
            }));
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Row, SubmissionInfo, What, Whose};
    use super::*;
    use std::path::Path;
    use std::sync::Arc;

    /// Rows numbered by text whatever polars' views: short texts (inline), long ones (in a
    /// buffer), the same texts from two chunks (other buffers), nulls as the empty text or
    /// their own.
    #[test]
    fn equal_texts_get_equal_numbers() {
        let long = "outpatient_visits_of_the_month";
        let a = StringChunked::new(
            "k".into(),
            [
                Some(long),
                Some("m1"),
                None,
                Some(long),
                Some(""),
                Some("m1"),
            ],
        );
        let b = StringChunked::new("k".into(), [Some("m1"), Some(long), Some("m2"), None]);
        let mut both = a.clone();
        both.append(&b).unwrap();
        assert_eq!(both.chunks().len(), 2);
        let c = Codes::new(&both, false);
        // long, m1, null, long, "", m1 | m1, long, m2, null
        assert_eq!(c.of_row, vec![0, 1, 2, 0, 3, 1, 1, 0, 4, 2]);
        assert_eq!(
            c.texts,
            vec![Some(long), Some("m1"), None, Some(""), Some("m2")]
        );
        let c = Codes::new(&both, true);
        assert_eq!(c.of_row, vec![0, 1, 2, 0, 2, 1, 1, 0, 3, 2]);
        assert_eq!(c.texts, vec![Some(long), Some("m1"), Some(""), Some("m2")]);
    }

    /// `newest_rows` against the rule said in polars (sort by `seq` keeping stored order,
    /// keep the last row of each key) on a frame of many keys, versions and repeats.
    #[test]
    fn the_in_use_rule_is_polars_sort_and_unique() {
        let n = 5_000usize;
        // A fixed pseudo-random sequence: keys collide often, seqs go back and forth.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % m
        };
        let mut cols: [Vec<String>; 4] = Default::default();
        let mut seq = Vec::new();
        for _ in 0..n {
            cols[0].push(format!("m{}", next(7)));
            cols[1].push(format!("2024-{:02}", 1 + next(3)));
            cols[2].push(format!("k{}", next(5)));
            cols[3].push(["month", "prior_year"][next(2) as usize].to_string());
            seq.push(1 + next(40) as i64);
        }
        let names = ["member", "period", "key", "basis"];
        let mut columns: Vec<Column> = names
            .iter()
            .zip(&cols)
            .map(|(name, c)| Column::new((*name).into(), c))
            .collect();
        columns.push(Column::new("seq".into(), &seq));
        let whole = DataFrame::new(columns).unwrap();
        // In several chunks, as a read of several store files gives it.
        let mut df = whole.slice(0, 1200);
        for (at, len) in [(1200, 1), (1201, 2000), (3201, 1799)] {
            df.vstack_mut(&whole.slice(at, len)).unwrap();
        }
        assert_eq!(df.first_col_n_chunks(), 4);
        let want = df
            .clone()
            .lazy()
            .with_row_index("row", None)
            .sort(
                ["seq"],
                SortMultipleOptions::default().with_maintain_order(true),
            )
            .unique_stable(
                Some(names.iter().map(|&k| k.into()).collect()),
                UniqueKeepStrategy::Last,
            )
            .select([col("row")])
            .collect()
            .unwrap();
        let want: Vec<usize> = want
            .column("row")
            .unwrap()
            .idx()
            .unwrap()
            .into_iter()
            .map(|r| r.unwrap() as usize)
            .collect();
        let c = Cols(&df);
        let (bases, seqs) = (c.bases().unwrap(), c.seqs().unwrap());
        let got = newest_rows(&df, &bases, &seqs).unwrap();
        assert!(want.len() > 100 && want.len() < n / 2, "{}", want.len());
        assert_eq!(got, want);
        // The table in an array (what `newest_rows` chose for 7 members × 5 keys) and in a
        // hash map (for more keys than the array takes) alike.
        let texts = key_texts(&c).unwrap();
        let keys = Keys::new(&texts);
        for dense in [true, false] {
            assert_eq!(
                newest_in(&keys, &bases, &seqs, dense),
                want,
                "dense {dense}"
            );
        }
    }

    fn row(
        member: &str,
        period: &str,
        item: &str,
        kind: Kind,
        basis: Basis,
        v: Option<f64>,
    ) -> Row {
        Row {
            whose: Whose::of(member, period),
            what: Arc::new(What {
                item: Arc::from(item),
                metric: (kind != Kind::Unmapped).then(|| Arc::from(item)),
            }),
            cell: format!("C{}", item.len()).into(),
            kind,
            basis,
            value: v,
            raw: v.map(|x| x.to_string()).unwrap_or_default().into(),
        }
    }

    #[test]
    fn member_months_are_each_pair_once_in_order() {
        use Basis::*;
        use Kind::*;
        let rows = vec![
            row("m2", "2025-02", "visits", Base, Month, Some(1.0)),
            row("m2", "2025-02", "visits", Base, Ytd, Some(2.0)),
            row("m1", "2025-02", "visits", Base, Month, Some(3.0)),
            // The summary's 合计 row: no member.
            row("", "2025-02", "visits", Total, Month, Some(4.0)),
            // m2 again after another member, and a month of its own.
            row("m2", "2025-02", "beds", Base, Month, None),
            row("m2", "2025-01", "visits", Base, Month, Some(5.0)),
        ];
        let got: Vec<(&str, &str)> = super::super::member_months(&rows).into_iter().collect();
        assert_eq!(
            got,
            [("m1", "2025-02"), ("m2", "2025-01"), ("m2", "2025-02")]
        );
    }

    fn info(name: &str) -> SubmissionInfo {
        SubmissionInfo {
            content_hash: format!("hash-{name}"),
            source_file: name.into(),
            source_path: format!("/in/{name}"),
            format: "xlsx".into(),
            ingested_at: "2025-01-01T00:00:00Z".into(),
        }
    }

    /// a.xlsx (seq 1), then its correction b.xlsx (seq 2, visits left blank), then c.xlsx.
    fn store() -> (tempfile::TempDir, Store) {
        use Basis::*;
        use Kind::*;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut lock = store.lock().unwrap();
        let a = vec![
            row("m1", "2024-01", "discharges", Base, Month, Some(10.0)),
            row("m1", "2024-01", "visits", Base, Month, Some(100.0)),
            row("m1", "2024-01", "discharges", Base, PriorYear, Some(8.0)),
            row("m1", "2024-01", "其他", Unmapped, Month, Some(1.0)),
        ];
        let b = vec![
            row("m1", "2024-01", "discharges", Base, Month, Some(12.0)),
            row("m1", "2024-01", "visits", Base, Month, None),
        ];
        let c = vec![row("m2", "2024-02", "discharges", Base, Month, Some(5.0))];
        store
            .commit_batch(&mut lock, vec![(info("a.xlsx"), a), (info("b.xlsx"), b)])
            .unwrap();
        store
            .commit_batch(&mut lock, vec![(info("c.xlsx"), c)])
            .unwrap();
        drop(lock);
        (dir, store)
    }

    fn in_use(store: &Store, f: &Filter) -> Vec<(String, String, String, Option<f64>, u64)> {
        let mut v: Vec<_> = store
            .in_use(f)
            .unwrap()
            .into_iter()
            .map(|v| (v.member, v.key, v.basis.to_string(), v.value, v.seq))
            .collect();
        v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        v
    }

    #[test]
    fn the_newest_submission_wins_value_by_value() {
        let (_dir, store) = store();
        let t = |m: &str, k: &str, b: &str, v: Option<f64>, seq: u64| {
            (m.to_string(), k.to_string(), b.to_string(), v, seq)
        };
        assert_eq!(
            in_use(&store, &Filter::all()),
            vec![
                t("m1", "discharges", "month", Some(12.0), 2),
                t("m1", "discharges", "prior_year", Some(8.0), 1),
                t("m1", "unmapped:其他", "month", Some(1.0), 1),
                t("m1", "visits", "month", None, 2),
                t("m2", "discharges", "month", Some(5.0), 3),
            ]
        );
        // A newer blank replaces an older figure: `reported` and kind apply after the rule.
        assert_eq!(
            in_use(
                &store,
                &Filter::all()
                    .kind(Kind::Base)
                    .basis(Basis::Month)
                    .members(["m1"])
                    .reported()
            ),
            vec![t("m1", "discharges", "month", Some(12.0), 2)]
        );
        let p = |s: &str| Period::parse_strict(s).unwrap();
        assert_eq!(
            in_use(
                &store,
                &Filter::all().period_range(p("2024-02"), p("2024-12"))
            ),
            vec![t("m2", "discharges", "month", Some(5.0), 3)]
        );
        assert_eq!(
            in_use(
                &store,
                &Filter::all().metrics(["visits"]).periods([p("2024-01")])
            ),
            vec![t("m1", "visits", "month", None, 2)]
        );
    }

    #[test]
    fn submissions_keep_every_value_with_lineage_and_say_which_is_in_use() {
        let (_dir, store) = store();
        let rows = store
            .submissions(&Filter::all().basis(Basis::Month).members(["m1"]))
            .unwrap();
        let got: Vec<(u64, &str, &str, bool)> = rows
            .iter()
            .map(|r| (r.seq, &*r.source_file, &*r.key, r.in_use))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "a.xlsx", "discharges", false),
                (1, "a.xlsx", "visits", false),
                (1, "a.xlsx", "unmapped:其他", true),
                (2, "b.xlsx", "discharges", true),
                (2, "b.xlsx", "visits", true),
            ]
        );
        assert_eq!(&*rows[0].source_path, "/in/a.xlsx");
        // The short read: the same rows, without the file's hash and path and the member as
        // written.
        let short: Vec<Stored> = store
            .submissions_short(&Filter::all().basis(Basis::Month).members(["m1"]))
            .unwrap()
            .iter()
            .map(|r| Stored::clone(r))
            .collect();
        let emptied: Vec<Stored> = rows
            .iter()
            .cloned()
            .map(|mut r| {
                let l = Arc::make_mut(&mut r.lineage);
                l.content_hash = Arc::from("");
                l.source_path = Arc::from("");
                l.member_text = Arc::from("");
                r
            })
            .collect();
        assert_eq!(short, emptied);
        assert_eq!(short[0].cell, "C10");
        assert_eq!(rows[0].cell, "C10");
        assert_eq!(rows[2].kind, Kind::Unmapped);
        assert_eq!(rows[2].metric, None);
        // Kind selects among the rows, the flags stay those of the whole key.
        let base = store
            .submissions(&Filter::all().kind(Kind::Base).reported())
            .unwrap();
        assert_eq!(base.len(), 5, "{base:#?}");
        assert!(base
            .iter()
            .all(|r| r.kind == Kind::Base && r.value.is_some()));
        // Per submission of a member-month: the blank visits of b.xlsx is no figure.
        let sent: Vec<(String, u64, String, usize)> = store
            .sent(&Filter::all().basis(Basis::Month))
            .unwrap()
            .into_iter()
            .map(|s| {
                (
                    format!("{} {}", s.member, s.period),
                    s.seq,
                    s.source_file,
                    s.figures,
                )
            })
            .collect();
        let s = |m: &str, seq: u64, f: &str, n: usize| (m.to_string(), seq, f.to_string(), n);
        assert_eq!(
            sent,
            vec![
                s("m1 2024-01", 1, "a.xlsx", 3),
                s("m1 2024-01", 2, "b.xlsx", 1),
                s("m2 2024-02", 3, "c.xlsx", 1),
            ]
        );
    }

    #[test]
    fn last_ingested_is_the_newest_submission_of_the_months_asked() {
        let (dir, store) = store();
        let p = |s: &str| Period::parse_strict(s).unwrap();
        let mut lock = store.lock().unwrap();
        let mut late = info("d.xlsx");
        late.ingested_at = "2025-03-04T05:06:07Z".into();
        let d = vec![row(
            "m3",
            "2024-05",
            "visits",
            Kind::Base,
            Basis::Month,
            Some(1.0),
        )];
        store.commit_batch(&mut lock, vec![(late, d)]).unwrap();
        drop(lock);
        let store = Store::open(dir.path()).unwrap();
        let last = |f: Filter| store.last_ingested(&f).unwrap();
        assert_eq!(last(Filter::all()).as_deref(), Some("2025-03-04T05:06:07Z"));
        assert_eq!(
            last(Filter::all().period_range(p("2024-01"), p("2024-04"))).as_deref(),
            Some("2025-01-01T00:00:00Z")
        );
        assert_eq!(last(Filter::all().periods([p("2023-01")])), None);
        // The answers above are the footers' (each month a row group of its own): no row read.
        for f in [
            Filter::all(),
            Filter::all().period_range(p("2024-01"), p("2024-04")),
        ] {
            assert!(store.last_ingested_by_statistics(&f).is_some(), "{f:?}");
        }
        // A list of months is read.
        let list = Filter::all().periods([p("2023-01")]);
        assert_eq!(store.last_ingested_by_statistics(&list), None);
    }

    /// A store written before each month was a row group of its own (tests/fixtures/store_v1:
    /// 000001-000005 holds 2024-01..04 in one row group, ingested 11:31:44; 000006 2024-02 at
    /// :44; 000007 2024-03 at :45): a row group straddling the months asked for is read.
    #[test]
    fn last_ingested_reads_the_rows_where_a_row_group_holds_several_months() {
        fn copy(from: &std::path::Path, to: &std::path::Path) {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap().flatten() {
                match e.file_type().unwrap().is_dir() {
                    true => copy(&e.path(), &to.join(e.file_name())),
                    false => drop(std::fs::copy(e.path(), to.join(e.file_name())).unwrap()),
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let fixture =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store_v1/store");
        copy(&fixture, dir.path());
        let store = Store::open(dir.path()).unwrap();
        let p = |s: &str| Period::parse_strict(s).unwrap();
        let range = |a: &str, b: &str| Filter::all().period_range(p(a), p(b));
        for (f, want) in [
            (Filter::all(), "2026-12-02T11:31:45Z"),
            (range("2024-01", "2024-02"), "2026-12-02T11:31:44Z"),
            (range("2024-02", "2024-02"), "2026-12-02T11:31:44Z"),
            (range("2024-03", "2024-03"), "2026-12-02T11:31:45Z"),
            (range("2024-04", "2024-06"), "2026-12-02T11:31:44Z"),
        ] {
            assert_eq!(
                store.last_ingested(&f).unwrap().as_deref(),
                Some(want),
                "{f:?}"
            );
        }
        assert_eq!(
            store.last_ingested(&range("2024-05", "2024-06")).unwrap(),
            None
        );
        // All months: every row group within. Some of them: the old file straddles them.
        assert!(store.last_ingested_by_statistics(&Filter::all()).is_some());
        let some = range("2024-03", "2024-03");
        assert_eq!(store.last_ingested_by_statistics(&some), None);
    }

    #[test]
    fn figures_are_the_values_in_use_without_their_lineage() {
        let (_dir, store) = store();
        let p = |s: &str| Period::parse_strict(s).unwrap();
        for f in [
            Filter::all(),
            Filter::all().kind(Kind::Base).reported(),
            Filter::all().basis(Basis::PriorYear),
            Filter::all().members(["m1"]).periods([p("2024-01")]),
        ] {
            let want: Vec<_> = store
                .in_use(&f)
                .unwrap()
                .into_iter()
                .map(|v| {
                    (
                        v.member, v.period, v.key, v.metric, v.kind, v.basis, v.value, v.seq,
                    )
                })
                .collect();
            let got: Vec<_> = store
                .figures(&f)
                .unwrap()
                .into_iter()
                .map(|v| {
                    let (m, k, x) = (v.member.to_string(), v.key.to_string(), v.metric);
                    (
                        m,
                        v.period,
                        k,
                        x.map(|x| x.to_string()),
                        v.kind,
                        v.basis,
                        v.value,
                        v.seq,
                    )
                })
                .collect();
            assert_eq!(got, want, "{f:?}");
            assert!(!got.is_empty(), "{f:?}");
        }
        // A key twice in one submission: the later row; a newer submission's blank replaces
        // a figure, and `reported` then leaves the key out.
        let dir = tempfile::tempdir().unwrap();
        let twice = Store::open(dir.path()).unwrap();
        let mut lock = twice.lock().unwrap();
        let r = |k: &str, v: Option<f64>| row("m1", "2024-01", k, Kind::Base, Basis::Month, v);
        let a = vec![
            r("discharges", Some(1.0)),
            r("discharges", Some(2.0)),
            r("visits", Some(7.0)),
        ];
        let b = vec![r("visits", None)];
        twice
            .commit_batch(&mut lock, vec![(info("a.xlsx"), a), (info("b.xlsx"), b)])
            .unwrap();
        drop(lock);
        let got = |f: Filter| -> Vec<(String, Option<f64>, u64)> {
            twice
                .figures(&f)
                .unwrap()
                .into_iter()
                .map(|v| (v.key.to_string(), v.value, v.seq))
                .collect()
        };
        assert_eq!(
            got(Filter::all()),
            vec![
                ("discharges".into(), Some(2.0), 1),
                ("visits".into(), None, 2)
            ]
        );
        assert_eq!(
            got(Filter::all().reported()),
            vec![("discharges".into(), Some(2.0), 1)]
        );
        // Texts are shared: m1's values hold one member text.
        let v = store.figures(&Filter::all().members(["m1"])).unwrap();
        assert!(v.len() > 2);
        assert!(v
            .windows(2)
            .all(|w| Arc::ptr_eq(&w[0].member, &w[1].member)));
    }

    #[test]
    fn a_figure_table_numbers_each_text_once() {
        let (_dir, store) = store();
        let t = store.figure_table(&Filter::all()).unwrap();
        let mut members: Vec<&str> = t.members.iter().map(|m| &**m).collect();
        members.sort();
        assert_eq!(members, ["m1", "m2"]);
        let mut keys: Vec<&str> = t.keys.iter().map(|k| &**k).collect();
        keys.sort();
        assert_eq!(keys, ["discharges", "unmapped:其他", "visits"]);
        // The fixture's values in use, by hand: b.xlsx (seq 2) replaces a.xlsx's month
        // figures (its blank too), a.xlsx keeps its 去年同月 and unmapped ones.
        let mut got: Vec<_> = t
            .rows
            .iter()
            .map(|r| {
                (
                    t.members[r.member as usize].to_string(),
                    r.period.to_string(),
                    t.keys[r.key as usize].to_string(),
                    t.metrics[r.metric as usize].as_deref().map(str::to_string),
                    r.basis,
                    r.value,
                    r.seq,
                )
            })
            .collect();
        got.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        let s = |x: &str| x.to_string();
        let d = Some(s("discharges"));
        assert_eq!(
            got,
            vec![
                (
                    s("m1"),
                    s("2024-01"),
                    s("discharges"),
                    d.clone(),
                    Basis::Month,
                    Some(12.0),
                    2
                ),
                (
                    s("m1"),
                    s("2024-01"),
                    s("discharges"),
                    d.clone(),
                    Basis::PriorYear,
                    Some(8.0),
                    1
                ),
                (
                    s("m1"),
                    s("2024-01"),
                    s("unmapped:其他"),
                    None,
                    Basis::Month,
                    Some(1.0),
                    1
                ),
                (
                    s("m1"),
                    s("2024-01"),
                    s("visits"),
                    Some(s("visits")),
                    Basis::Month,
                    None,
                    2
                ),
                (
                    s("m2"),
                    s("2024-02"),
                    s("discharges"),
                    d,
                    Basis::Month,
                    Some(5.0),
                    3
                ),
            ]
        );
    }

    /// The pairs `reported_pairs` must give: from the values in use, by the rule.
    fn truth(store: &Store) -> Vec<(String, String)> {
        let f = Filter::all()
            .kind(Kind::Base)
            .bases([Basis::Month, Basis::PriorYear])
            .reported();
        let set: std::collections::BTreeSet<(String, String)> = store
            .in_use(&f)
            .unwrap()
            .into_iter()
            .filter_map(|v| Some((v.member, v.metric?)))
            .collect();
        set.into_iter().collect()
    }

    fn reported(store: &Store) -> Vec<(String, String)> {
        store.reported_pairs().unwrap().into_iter().collect()
    }

    /// The months `figure_months` must give: every version's, read from the files.
    fn months_truth(store: &Store) -> Vec<Period> {
        store
            .periods(
                &Filter::all()
                    .kind(Kind::Base)
                    .basis(Basis::Month)
                    .reported(),
            )
            .unwrap()
    }

    fn summary(dir: &Path) -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.join("reported.json")).unwrap()).unwrap()
    }

    #[test]
    fn reported_pairs_are_the_pairs_with_a_figure_in_use() {
        let (dir, store) = store();
        let p = |m: &str, x: &str| (m.to_string(), x.to_string());
        // m1's visits: 100 in a.xlsx, left blank by its correction b.xlsx: no figure in use.
        assert_eq!(
            reported(&store),
            vec![p("m1", "discharges"), p("m2", "discharges")]
        );
        assert_eq!(reported(&store), truth(&store));
        let p = |s: &str| Period::parse_strict(s).unwrap();
        assert_eq!(
            store.figure_months().unwrap(),
            vec![p("2024-01"), p("2024-02")]
        );
        assert_eq!(store.figure_months().unwrap(), months_truth(&store));
        // The summary covers both commits' files, with the footer hash the manifest records.
        let s = summary(dir.path());
        let files: Vec<String> = s["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f[0].as_str().unwrap().to_string())
            .collect();
        assert_eq!(files, ["000001-000002.parquet", "000003-000003.parquet"]);
        // m1 visits: a figure and a blank (FIGURE | OTHER): decided by the rule.
        let pairs = s["pairs"].as_array().unwrap();
        assert!(
            pairs.contains(&serde_json::json!(["m1", "visits", 3])),
            "{pairs:?}"
        );
        assert!(
            pairs.contains(&serde_json::json!(["m2", "discharges", 1])),
            "{pairs:?}"
        );
    }

    #[test]
    fn the_summary_is_what_is_read_and_a_stale_one_is_not() {
        let (dir, _store) = store();
        let path = dir.path().join("reported.json");
        // A pair only the summary holds shows it is read instead of the files it covers.
        let mut s = summary(dir.path());
        s["pairs"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!(["m9", "discharges", 1]));
        s["months"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!("2030-01"));
        std::fs::write(&path, serde_json::to_vec(&s).unwrap()).unwrap();
        let fresh = Store::open(dir.path()).unwrap();
        assert!(reported(&fresh).contains(&("m9".to_string(), "discharges".to_string())));
        assert_eq!(fresh.figure_months().unwrap().len(), 3);
        // Naming a file the store does not hold: not used, the files are read.
        s["files"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!(["000009-000009.parquet", "x"]));
        std::fs::write(&path, serde_json::to_vec(&s).unwrap()).unwrap();
        let fresh = Store::open(dir.path()).unwrap();
        assert_eq!(reported(&fresh), truth(&fresh));
        assert_eq!(fresh.figure_months().unwrap(), months_truth(&fresh));
        // Covering only the first file: the second is read beside it.
        s["files"].as_array_mut().unwrap().truncate(1);
        s["pairs"] = serde_json::json!([["m1", "discharges", 1], ["m1", "visits", 3]]);
        s["months"] = serde_json::json!(["2024-01"]);
        std::fs::write(&path, serde_json::to_vec(&s).unwrap()).unwrap();
        let fresh = Store::open(dir.path()).unwrap();
        assert_eq!(reported(&fresh), truth(&fresh));
        assert_eq!(fresh.figure_months().unwrap(), months_truth(&fresh));
        // Damaged or gone: the files are read.
        std::fs::write(&path, b"{").unwrap();
        let fresh = Store::open(dir.path()).unwrap();
        assert_eq!(reported(&fresh), truth(&fresh));
        std::fs::remove_file(&path).unwrap();
        let fresh = Store::open(dir.path()).unwrap();
        assert_eq!(reported(&fresh), truth(&fresh));
        // The next commit writes it whole again, the new file's rows included.
        let mut lock = fresh.lock().unwrap();
        let d = vec![row(
            "m3",
            "2024-03",
            "visits",
            Kind::Base,
            Basis::Month,
            Some(1.0),
        )];
        fresh
            .commit_batch(&mut lock, vec![(info("d.xlsx"), d)])
            .unwrap();
        drop(lock);
        let s = summary(dir.path());
        assert_eq!(s["files"].as_array().unwrap().len(), 3);
        assert!(s["pairs"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["m3", "visits", 1])));
        assert_eq!(reported(&fresh), truth(&fresh));
        assert!(reported(&fresh).contains(&("m3".to_string(), "visits".to_string())));
        assert_eq!(fresh.figure_months().unwrap(), months_truth(&fresh));
        assert_eq!(fresh.figure_months().unwrap().len(), 3);
    }

    #[test]
    fn compaction_renames_the_summarys_files_and_forget_makes_it_again() {
        let (dir, store) = store();
        let before = reported(&store);
        let done = store.compact().unwrap();
        assert_eq!(done.files, 1, "{:?}", done.merged);
        let fresh = Store::open(dir.path()).unwrap();
        let st = fresh.state().unwrap();
        let files: Vec<serde_json::Value> = st
            .files
            .iter()
            .map(|f| {
                let e = f.entry.as_ref().unwrap();
                serde_json::json!([e.name, e.tail_sha256.as_ref().unwrap()])
            })
            .collect();
        // The one compacted file, under its footer hash: nothing left to read beside it.
        assert_eq!(
            summary(dir.path())["files"],
            serde_json::Value::Array(files)
        );
        assert_eq!(reported(&fresh), before);
        // A lost file given up: its rows leave the summary.
        let mut lock = fresh.lock().unwrap();
        let e = vec![row(
            "m4",
            "2024-04",
            "visits",
            Kind::Base,
            Basis::Month,
            Some(1.0),
        )];
        fresh
            .commit_batch(&mut lock, vec![(info("e.xlsx"), e)])
            .unwrap();
        drop(lock);
        assert!(reported(&fresh).contains(&("m4".to_string(), "visits".to_string())));
        std::fs::remove_file(dir.path().join("submissions/000004-000004.parquet")).unwrap();
        let fresh = Store::open(dir.path()).unwrap();
        fresh.forget("000004-000004.parquet").unwrap();
        let fresh = Store::open(dir.path()).unwrap();
        assert_eq!(reported(&fresh), before);
        assert_eq!(fresh.figure_months().unwrap(), months_truth(&fresh));
        assert!(!summary(dir.path())["pairs"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["m4", "visits", 1])));
    }

    /// A list of months reads those months only, whether they run without a gap (read as
    /// their range), with gaps (each row tested against the list) or repeated.
    #[test]
    fn a_list_of_months_reads_those_months_with_or_without_gaps() {
        use Basis::*;
        use Kind::*;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut lock = store.lock().unwrap();
        let rows: Vec<Row> = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
            .iter()
            .enumerate()
            .map(|(i, p)| row("m1", p, "visits", Base, Month, Some(i as f64 + 1.0)))
            .collect();
        store
            .commit_batch(&mut lock, vec![(info("a.xlsx"), rows)])
            .unwrap();
        drop(lock);
        let read = |months: &[&str]| -> Vec<(String, Option<f64>)> {
            let f = Filter::all().periods(months.iter().map(|p| Period::parse_strict(p).unwrap()));
            let mut v: Vec<(String, Option<f64>)> = store
                .figures(&f)
                .unwrap()
                .into_iter()
                .map(|x| (x.period.to_string(), x.value))
                .collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        };
        let m = |p: &str, x: f64| (p.to_string(), Some(x));
        assert_eq!(
            read(&["2024-04", "2024-02", "2024-03"]),
            vec![m("2024-02", 2.0), m("2024-03", 3.0), m("2024-04", 4.0)]
        );
        assert_eq!(
            read(&["2024-05", "2024-01", "2024-04"]),
            vec![m("2024-01", 1.0), m("2024-04", 4.0), m("2024-05", 5.0)]
        );
        assert_eq!(
            read(&["2024-03", "2024-02", "2024-03"]),
            vec![m("2024-02", 2.0), m("2024-03", 3.0)]
        );
        assert_eq!(
            read(&["2024-02", "2024-04"]),
            vec![m("2024-02", 2.0), m("2024-04", 4.0)]
        );
    }

    #[test]
    fn files_are_sorted_by_period_and_read_only_for_their_periods() {
        use Basis::*;
        use Kind::*;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut lock = store.lock().unwrap();
        // A form of three months (rows out of month order), then one of an earlier month.
        let a = vec![
            row("m1", "2024-03", "visits", Base, Month, Some(3.0)),
            row("m1", "2024-01", "visits", Base, Month, Some(1.0)),
            row("m1", "2024-02", "visits", Base, Month, Some(2.0)),
            row("m1", "2024-01", "discharges", Base, Month, Some(10.0)),
        ];
        let b = vec![row("m2", "2024-01", "visits", Base, Month, Some(7.0))];
        store
            .commit_batch(&mut lock, vec![(info("a.xlsx"), a), (info("b.xlsx"), b)])
            .unwrap();
        let c = vec![row("m2", "2024-06", "visits", Base, Month, Some(9.0))];
        store
            .commit_batch(&mut lock, vec![(info("c.xlsx"), c)])
            .unwrap();
        drop(lock);
        let first = dir.path().join("submissions/000001-000002.parquet");
        let f = std::fs::File::open(&first).unwrap();
        let meta = polars_parquet::read::read_metadata(&mut std::io::BufReader::new(f)).unwrap();
        // A row group per month.
        assert_eq!(meta.row_groups.len(), 3);
        let df = polars::prelude::ParquetReader::new(std::fs::File::open(&first).unwrap())
            .finish()
            .unwrap();
        let c = Cols(&df);
        let got: Vec<(String, u64, String)> = c
            .texts("period")
            .unwrap()
            .into_iter()
            .zip(c.seqs().unwrap())
            .zip(c.texts("key").unwrap())
            .map(|((p, s), k)| (p, s, k))
            .collect();
        let r = |p: &str, s: u64, k: &str| (p.to_string(), s, k.to_string());
        assert_eq!(
            got,
            vec![
                r("2024-01", 1, "visits"),
                r("2024-01", 1, "discharges"),
                r("2024-01", 2, "visits"),
                r("2024-02", 1, "visits"),
                r("2024-03", 1, "visits"),
            ]
        );
        // The manifest knows each file's months; a read of June opens only the second file.
        let st = store.state().unwrap();
        let periods: Vec<Option<(String, String)>> = st
            .files
            .iter()
            .map(|f| f.entry.as_ref().and_then(|e| e.periods.clone()))
            .collect();
        let span = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
        assert_eq!(
            periods,
            vec![span("2024-01", "2024-03"), span("2024-06", "2024-06")]
        );
        let month = |p: &str| Filter::all().periods([Period::parse_strict(p).unwrap()]);
        let second = dir.path().join("submissions/000003-000003.parquet");
        assert_eq!(
            store.files_for(&month("2024-06")).unwrap(),
            vec![second.clone()]
        );
        assert_eq!(
            store.files_for(&month("2024-02")).unwrap(),
            vec![first.clone()]
        );
        assert!(store.files_for(&month("2024-04")).unwrap().is_empty());
        assert_eq!(
            store.files_for(&Filter::all()).unwrap(),
            vec![first, second]
        );
        // And what is read of them is the same as before the layout.
        assert_eq!(
            in_use(&store, &month("2024-01")),
            vec![
                (
                    "m1".into(),
                    "discharges".into(),
                    "month".into(),
                    Some(10.0),
                    1
                ),
                ("m1".into(), "visits".into(), "month".into(), Some(1.0), 1),
                ("m2".into(), "visits".into(), "month".into(), Some(7.0), 2),
            ]
        );
        let p = |s: &str| Period::parse_strict(s).unwrap();
        assert_eq!(
            store.periods(&Filter::all()).unwrap(),
            vec![p("2024-01"), p("2024-02"), p("2024-03"), p("2024-06")]
        );
        assert_eq!(
            store.periods(&Filter::all().members(["m2"])).unwrap(),
            vec![p("2024-01"), p("2024-06")]
        );
    }

    /// A file whose months all lie within those asked for is read without its rows' months
    /// tested; a file with months outside them is: the same rows either way, in the files'
    /// order.
    #[test]
    fn files_within_the_months_asked_are_read_whole_the_others_filtered() {
        use Basis::*;
        use Kind::*;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut lock = store.lock().unwrap();
        let v = |m: &str, p: &str, x: f64| row(m, p, "visits", Base, Month, Some(x));
        let files = [
            vec![(
                info("a.xlsx"),
                vec![
                    v("m1", "2024-01", 1.0),
                    v("m1", "2024-02", 2.0),
                    v("m1", "2024-03", 3.0),
                ],
            )],
            vec![
                (info("b.xlsx"), vec![v("m1", "2024-04", 4.0)]),
                (info("c.xlsx"), vec![v("m2", "2024-04", 40.0)]),
            ],
            vec![(
                info("d.xlsx"),
                vec![v("m1", "2024-05", 5.0), v("m1", "2024-06", 6.0)],
            )],
        ];
        for batch in files {
            store.commit_batch(&mut lock, batch).unwrap();
        }
        drop(lock);
        let p = |s: &str| Period::parse_strict(s).unwrap();
        let range = |a: &str, b: &str| Filter::all().period_range(p(a), p(b));
        let whole = |f: &Filter| -> Vec<bool> {
            store
                .scan_runs(f)
                .unwrap()
                .into_iter()
                .map(|(_, w)| w)
                .collect()
        };
        assert_eq!(
            whole(&range("2024-02", "2024-05")),
            vec![false, true, false]
        );
        assert_eq!(whole(&range("2024-01", "2024-06")), vec![true]);
        assert_eq!(whole(&range("2024-04", "2024-06")), vec![true]);
        assert_eq!(whole(&Filter::all()), vec![false]);
        let read = |f: &Filter| -> Vec<(String, String, f64)> {
            store
                .figures(f)
                .unwrap()
                .into_iter()
                .map(|x| (x.member.to_string(), x.period.to_string(), x.value.unwrap()))
                .collect()
        };
        let r = |m: &str, p: &str, x: f64| (m.to_string(), p.to_string(), x);
        // In commit order: the second file's two submissions, then the third's.
        assert_eq!(
            read(&range("2024-02", "2024-05")),
            vec![
                r("m1", "2024-02", 2.0),
                r("m1", "2024-03", 3.0),
                r("m1", "2024-04", 4.0),
                r("m2", "2024-04", 40.0),
                r("m1", "2024-05", 5.0),
            ]
        );
        assert_eq!(read(&range("2024-01", "2024-06")).len(), 7);
        // A list with gaps is tested month by month in every file.
        let months = |m: &[&str]| Filter::all().periods(m.iter().map(|s| p(s)));
        assert_eq!(
            read(&months(&["2024-06", "2024-02", "2024-04"])),
            vec![
                r("m1", "2024-02", 2.0),
                r("m1", "2024-04", 4.0),
                r("m2", "2024-04", 40.0),
                r("m1", "2024-06", 6.0),
            ]
        );
        assert_eq!(
            read(&months(&["2024-04"])),
            vec![r("m1", "2024-04", 4.0), r("m2", "2024-04", 40.0)]
        );
        // The rows with their lineage too.
        let rows: Vec<(String, String, bool)> = store
            .submissions(&range("2024-04", "2024-05"))
            .unwrap()
            .into_iter()
            .map(|s| (s.member.to_string(), s.period.to_string(), s.in_use))
            .collect();
        let s = |m: &str, p: &str| (m.to_string(), p.to_string(), true);
        assert_eq!(
            rows,
            vec![s("m1", "2024-04"), s("m2", "2024-04"), s("m1", "2024-05")]
        );
    }

    #[test]
    fn kinds_and_bases_read_back_as_written_and_as_documented() {
        // The schema's own description of the column, the one COLUMNS gives.
        let doc = |name: &str| {
            super::super::COLUMNS
                .iter()
                .find(|c| c.0 == name)
                .map_or("", |c| c.2)
        };
        for k in [Kind::Base, Kind::Derived, Kind::Total, Kind::Unmapped] {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
            assert!(doc("kind").contains(k.as_str()), "{k}");
        }
        for b in [Basis::Month, Basis::PriorYear, Basis::Ytd, Basis::PriorYtd] {
            assert_eq!(Basis::parse(b.as_str()), Some(b));
            assert!(doc("basis").contains(b.as_str()), "{b}");
        }
        assert_eq!(Kind::parse("Base"), None);
        assert_eq!(Basis::parse("quarter"), None);
    }
}
