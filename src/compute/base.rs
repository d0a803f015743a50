//! Base data: the values in use of the store's base metrics, one row per member, month and
//! metric, with gaps in earlier years filled from the 去年同月 columns members wrote.

use super::types::Window;
use crate::config::Consortium;
use crate::i18n::{Msg, Text};
use crate::model::period::Period;
use crate::model::Fast;
use crate::said;
use crate::store::{Basis, Filter, Kind, Store};
use anyhow::Result;
use polars::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Base values: one row per member, month (index), metric, with `mr` set when the value
/// comes from a member's 去年同月 column rather than the store.
pub struct BaseData {
    /// The base figures: (member, month index, metric, value, from a 去年同月 column) by
    /// member, month and metric in text order; `frame` makes them a frame when one is asked
    /// for (the engine takes them as they are).
    rows: BaseRows,
    pub warnings: Vec<Text>,
    /// Months for which some member has figures of its own (not only 去年同月 columns),
    /// among the months read.
    pub months: std::collections::BTreeSet<Period>,
    /// Months the store holds figures of members' own for, in any version (the choice of
    /// months to read; a month whose every figure a later blank replaced is among them).
    pub stored: std::collections::BTreeSet<Period>,
    /// (member, metric) pairs with a figure in use in any month, read or not: a metric a
    /// member never reported is a service it does not provide.
    pub ever: Vec<(String, String)>,
}

/// The months `Engine::run` reads for a window ending with `period`: the window, the same
/// months a year earlier, and the previous month (month window).
pub fn months_read(window: Window, period: Period) -> BTreeSet<Period> {
    let cur = window.months(period);
    let mut m: BTreeSet<Period> = cur.iter().map(|p| p.add_months(-12)).collect();
    m.extend(cur);
    if window == Window::Month {
        m.insert(period.add_months(-1));
    }
    m
}

/// The months of a member's 托管前后对比 (`Engine::since_joined`).
pub fn months_since_joined(joined: Period) -> BTreeSet<Period> {
    (-12..12).map(|i| joined.add_months(i)).collect()
}

/// What the base values are read from: the base metrics' month figures (and the 去年同月
/// figures of the forms a year later, which fill months a member did not send).
fn base_filter() -> Filter {
    Filter::all().kind(Kind::Base).reported()
}

/// Months whose values are read at once before being reduced to figures.
const RUN_MONTHS: usize = 6;

impl BaseData {
    /// Every month of the store (the values in use), gaps in earlier years filled from
    /// 去年同月 columns.
    pub fn from_store(store: &Store) -> Result<BaseData> {
        let t = store.figure_table(&base_filter().bases([Basis::Month, Basis::PriorYear]))?;
        // Every month is read: its pairs are the store's.
        let ever: BTreeSet<(String, String)> = t
            .rows
            .iter()
            .filter_map(|r| {
                let metric = t.metrics[r.metric as usize].as_ref()?;
                Some((t.members[r.member as usize].to_string(), metric.to_string()))
            })
            .collect();
        let mut acc = Figures::default();
        acc.add_table(t);
        let mut b = acc.finish(Some(store))?;
        b.ever = ever.into_iter().collect();
        b.stored = b.months.clone();
        Ok(b)
    }

    /// Months the store holds members' own figures for (any version; see `stored`): the
    /// store's summary, no value chosen.
    pub fn stored_months(store: &Store) -> Result<BTreeSet<Period>> {
        Ok(store.figure_months()?.into_iter().collect())
    }

    /// The values in use of `months` only (what a question about them needs), filled from
    /// the 去年同月 columns of the forms twelve months later, as `from_store` fills them.
    pub fn for_months(store: &Store, months: &BTreeSet<Period>) -> Result<BaseData> {
        BaseData::for_months_of(store, months, BaseData::stored_months(store)?)
    }

    /// `for_months`, the store's months (`stored_months`) already known.
    fn for_months_of(
        store: &Store,
        months: &BTreeSet<Period>,
        stored: BTreeSet<Period>,
    ) -> Result<BaseData> {
        // Which member reports which metric at all: the store's summary, not its history
        // (beside the figures' reading: it needs none of them).
        std::thread::scope(|s| {
            let ever = s.spawn(|| store.reported_pairs());
            // In runs of months: each run's values are reduced to figures
            // before the next is read, so a year's values are never held whole.
            let mut acc = Figures::default();
            let months: Vec<Period> = months.iter().copied().collect();
            // A question of a few months (one run: `indicators`) reads the month's and the
            // 去年同月 values beside each other (after polars' decoding, each read is one
            // core's work); a longer one (the report's two years, read beside its check)
            // one after the other, which holds half the values at a time.
            let beside = months.len() <= RUN_MONTHS;
            for run in months.chunks(RUN_MONTHS) {
                let month = base_filter()
                    .basis(Basis::Month)
                    .periods(run.iter().copied());
                let prior = base_filter()
                    .basis(Basis::PriorYear)
                    .periods(run.iter().map(|p| p.add_months(12)));
                // Added in order: the 去年同月 figures fill what the month's leave empty.
                if beside {
                    let prior = s.spawn(move || store.figure_table(&prior));
                    acc.add_table(store.figure_table(&month)?);
                    acc.add_table(crate::i18n::joined(prior, "the 去年同月 figures' read")??);
                } else {
                    acc.add_table(store.figure_table(&month)?);
                    acc.add_table(store.figure_table(&prior)?);
                }
            }
            let mut b = acc.finish(Some(store))?;
            b.stored = stored;
            b.ever = crate::i18n::joined(ever, "the reported pairs")??
                .into_iter()
                .collect();
            Ok(b)
        })
    }

    /// For a question about `asked` (default: the latest month stored), the months `needs`
    /// gives for it. The period is `resolve_period`'s answer. `stored`: `stored_months`.
    pub fn for_period(
        store: &Store,
        asked: Option<Period>,
        stored: BTreeSet<Period>,
        needs: impl Fn(Period) -> BTreeSet<Period>,
    ) -> Result<(BaseData, Result<Period>)> {
        let Some(target) = asked.or(stored.last().copied()) else {
            let b = Figures::default().finish(None)?;
            let p = b.resolve_period(asked);
            return Ok((b, p));
        };
        let b = BaseData::for_months_of(store, &needs(target), stored)?;
        if asked.is_none() && !b.months.contains(&target) {
            // The latest month's every figure was replaced by a blank: the latest month
            // with figures in use is earlier, which only the whole store tells.
            let all = BaseData::from_store(store)?;
            let p = all.resolve_period(None);
            return match p {
                Ok(p) => Ok((BaseData::for_months(store, &needs(p))?, Ok(p))),
                Err(e) => Ok((all, Err(e))),
            };
        }
        let p = b.resolve_period(asked);
        Ok((b, p))
    }
}

/// The figures of the values read so far: members' own month figures, the 去年同月 figures
/// that fill a month without one, and where the two disagree (said as warnings once the
/// places of those figures are read: `finish`).
#[derive(Default)]
struct Figures {
    members: Names,
    metrics: Names,
    /// (member, month index, metric) by their numbers in `members` and `metrics`, and the
    /// figure: in key order, one a key.
    month: Vec<(u32, i32, u32, f64)>,
    fill: Vec<(u32, i32, u32, f64)>,
    disagree: Vec<Disagreement>,
}

/// Figures being added, by number: the month's (member, month index, metric, figure) and
/// the 去年同月 columns' (member, month they speak of, metric, figure, submission).
#[derive(Default)]
struct Rows {
    month: Vec<(u32, i32, u32, f64)>,
    prior: Vec<(u32, i32, u32, f64, u64)>,
}

impl Rows {
    fn push(&mut self, m: u32, t: i32, x: u32, basis: Basis, figure: f64, seq: u64) {
        match basis {
            Basis::Month => self.month.push((m, t, x, figure)),
            Basis::PriorYear => self.prior.push((m, t - 12, x, figure, seq)),
            Basis::Ytd | Basis::PriorYtd => {}
        }
    }
}

/// Texts numbered in the order first seen: a figure's key is three numbers, not two texts
/// hashed and compared for each of a bureau's millions of figures.
#[derive(Default)]
pub(crate) struct Names {
    ids: HashMap<Arc<str>, u32, Fast>,
    names: Vec<Arc<str>>,
    /// The last text asked for: a submission's values come in a run of the same member.
    last: Option<(Arc<str>, u32)>,
}

impl Names {
    /// The text's number (the next one if it is new); the text is shared, not copied.
    pub fn id(&mut self, s: &Arc<str>) -> u32 {
        if let Some((l, i)) = &self.last {
            if Arc::ptr_eq(l, s) || **l == **s {
                return *i;
            }
        }
        let i = match self.ids.get(&**s) {
            Some(&i) => i,
            None => {
                let i = self.names.len() as u32;
                self.names.push(Arc::clone(s));
                self.ids.insert(Arc::clone(s), i);
                i
            }
        };
        self.last = Some((Arc::clone(s), i));
        i
    }

    /// The text numbered `i`.
    pub fn name(&self, i: u32) -> &Arc<str> {
        &self.names[i as usize]
    }

    /// The texts, by number.
    pub fn names(&self) -> &[Arc<str>] {
        &self.names
    }

    /// The names in text order, and each number's place in it.
    fn sorted(&self) -> (Vec<&str>, Vec<u32>) {
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by_key(|&i| &self.names[i]);
        let mut rank = vec![0; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32;
        }
        (order.iter().map(|&i| &*self.names[i]).collect(), rank)
    }
}

/// Two lists in key order, one entry a key, merged into one: on a key in both, `newer`'s.
fn merge_newer<T, K: Ord>(older: Vec<T>, newer: Vec<T>, key: impl Fn(&T) -> K) -> Vec<T> {
    if older.is_empty() {
        return newer;
    }
    let mut out = Vec::with_capacity(older.len() + newer.len());
    let (mut a, mut b) = (older.into_iter().peekable(), newer.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match key(x).cmp(&key(y)) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    a.next();
                    b.next()
                }
            },
            (Some(_), None) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(r) => out.push(r),
            None => return out,
        }
    }
}

/// A 去年同月 figure that is not the member's own figure of that month.
struct Disagreement {
    member: Arc<str>,
    /// The month the column speaks of (a year before its form's).
    t: i32,
    metric: Arc<str>,
    stored: f64,
    column: f64,
    /// The submission that wrote the column.
    seq: u64,
}

impl Figures {
    /// Adds values whose 去年同月 figures fill months among the values added with them or
    /// before (a run of months and the forms twelve months later). Of a key's figures the
    /// last given is kept. Sorted lists, not a map: a report's two years of a bureau's
    /// figures are millions, and a map that large was a cache miss a figure.
    #[cfg(test)]
    fn add(&mut self, values: Vec<crate::store::Figure>) {
        let mut rows = Rows::default();
        for v in values {
            let (Some(x), Some(figure)) = (v.metric, v.value) else {
                continue;
            };
            let (m, x) = (self.members.id(&v.member), self.metrics.id(&x));
            rows.push(m, v.period.index(), x, v.basis, figure, v.seq);
        }
        self.add_rows(rows);
    }

    /// `add` by number: each member and metric of the table numbered once, when a row
    /// first needs it, not once a row.
    fn add_table(&mut self, t: crate::store::FigureTable) {
        let mut members: Vec<Option<u32>> = vec![None; t.members.len()];
        let mut metrics: Vec<Option<u32>> = vec![None; t.metrics.len()];
        let mut rows = Rows::default();
        for r in &t.rows {
            let (Some(x), Some(figure)) = (&t.metrics[r.metric as usize], r.value) else {
                continue;
            };
            let m = *members[r.member as usize]
                .get_or_insert_with(|| self.members.id(&t.members[r.member as usize]));
            let x = *metrics[r.metric as usize].get_or_insert_with(|| self.metrics.id(x));
            rows.push(m, r.period.index(), x, r.basis, figure, r.seq);
        }
        self.add_rows(rows);
    }

    fn add_rows(&mut self, rows: Rows) {
        let Rows { mut month, prior } = rows;
        let key = |r: &(u32, i32, u32, f64)| (r.0, r.1, r.2);
        // Stable: a key's figures stay in the order given, and the last is kept (in place:
        // at a bureau's scale each list is megabytes, and fresh ones were page faults).
        month.sort_by_key(key);
        let mut kept = 0;
        for i in 0..month.len() {
            match kept {
                k if k > 0 && key(&month[k - 1]) == key(&month[i]) => month[k - 1] = month[i],
                _ => {
                    month[kept] = month[i];
                    kept += 1;
                }
            }
        }
        month.truncate(kept);
        self.month = merge_newer(std::mem::take(&mut self.month), month, key);
        // The 去年同月 figures in key order, each against the month's figure of its key;
        // disagreements said in the order given.
        let mut order: Vec<usize> = (0..prior.len()).collect();
        order.sort_by_key(|&i| (prior[i].0, prior[i].1, prior[i].2));
        let mut disagree = Vec::new();
        let mut j = 0;
        for i in order {
            let (m, t, x, v, seq) = prior[i];
            while self.month.get(j).is_some_and(|r| key(r) < (m, t, x)) {
                j += 1;
            }
            match self.month.get(j).filter(|r| key(r) == (m, t, x)) {
                Some(&(_, _, _, stored)) if (stored - v).abs() > 1e-9 * stored.abs().max(1.0) => {
                    disagree.push((
                        i,
                        Disagreement {
                            member: self.members.names[m as usize].clone(),
                            t,
                            metric: self.metrics.names[x as usize].clone(),
                            stored,
                            column: v,
                            seq,
                        },
                    ))
                }
                Some(_) => {}
                None => self.fill.push((m, t, x, v)),
            }
        }
        disagree.sort_by_key(|d| d.0);
        self.disagree.extend(disagree.into_iter().map(|d| d.1));
    }

    /// The base data, and a warning for each disagreement naming the file and cell of the
    /// 去年同月 figure (read from `store` for those values only).
    fn finish(self, store: Option<&Store>) -> Result<BaseData> {
        let Figures {
            members,
            metrics,
            month,
            fill,
            disagree,
        } = self;
        let places = match (store, disagree.is_empty()) {
            (Some(store), false) => {
                let f = base_filter()
                    .basis(Basis::PriorYear)
                    .members(disagree.iter().map(|d| d.member.to_string()))
                    .metrics(disagree.iter().map(|d| d.metric.to_string()))
                    .periods(disagree.iter().map(|d| Period::from_index(d.t + 12)));
                store
                    .in_use(&f)?
                    .into_iter()
                    .filter_map(|v| {
                        let key = (v.member, v.period.index() - 12, v.metric?, v.seq);
                        Some((key, format!("{} {}", v.source_file, v.cell)))
                    })
                    .collect()
            }
            _ => HashMap::new(),
        };
        let warnings = disagree
            .iter()
            .map(|d| {
                let key = (d.member.to_string(), d.t, d.metric.to_string(), d.seq);
                said!(
                    Msg::PriorYearColumnDisagrees,
                    member = d.member,
                    period = Period::from_index(d.t),
                    item = d.metric,
                    stored = crate::model::fmt_num(d.stored),
                    column = crate::model::fmt_num(d.column),
                    place = places.get(&key).cloned().unwrap_or_default()
                )
            })
            .collect();
        // Rows by member and metric in text order, as ranks.
        let ((m_names, rank_m), (x_names, rank_x)) = (members.sorted(), metrics.sorted());
        let months = month.iter().map(|k| Period::from_index(k.1)).collect();
        let mut rows: Vec<(u32, i32, u32, f64, bool)> = month
            .iter()
            .map(|&(m, t, x, v)| (rank_m[m as usize], t, rank_x[x as usize], v, false))
            .collect();
        rows.extend(
            fill.iter()
                .map(|&(m, t, x, v)| (rank_m[m as usize], t, rank_x[x as usize], v, true)),
        );
        // Each held once at a time from here: a report's two years of a bureau's figures
        // are millions of rows, read beside the year's check (its peak).
        drop((month, fill));
        // A value may be written in several later forms; keep one per key.
        rows.sort_by_key(|r| (r.0, r.1, r.2, r.4));
        rows.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2 == b.2);
        let text = |names: Vec<&str>| names.into_iter().map(Arc::from).collect();
        Ok(BaseData {
            rows: BaseRows {
                members: text(m_names),
                metrics: text(x_names),
                rows,
            },
            warnings,
            months,
            stored: BTreeSet::new(),
            // The caller's: the store's summary, or the pairs of every month read.
            ever: vec![],
        })
    }
}

/// Base figures by number: `rows` hold (member, month index, metric, value, from a 去年同月
/// column), the member and metric as their places in `members` and `metrics`. Millions for
/// a report of a bureau's two years: no text is made per row.
#[derive(Clone, Default)]
struct BaseRows {
    members: Vec<Arc<str>>,
    metrics: Vec<Arc<str>>,
    rows: Vec<(u32, i32, u32, f64, bool)>,
}

impl BaseData {
    /// The base figures as a frame of member, t (month index), metric, value and mr (1 for
    /// a figure from a 去年同月 column).
    pub fn frame(&self) -> Result<DataFrame> {
        let b = &self.rows;
        frame_by_column(
            &b.rows,
            |r| &b.members[r.0 as usize],
            |r| r.1,
            |r| &b.metrics[r.2 as usize],
            |r| r.3,
            |r| r.4,
        )
    }

    /// The figures as the engine indexes them (`BaseIndex`): member and metric numbers
    /// turned into the consortium's and `codes`' places; those it no longer knows left out.
    pub(super) fn index(&self, c: &Consortium, codes: &[String]) -> BaseColumns {
        let (member_ix, code_ix) = indices(c, codes);
        let b = &self.rows;
        let place = |names: &[Arc<str>], ix: &HashMap<&str, u32>| -> Vec<Option<u32>> {
            names.iter().map(|n| ix.get(&**n).copied()).collect()
        };
        let (members, metrics) = (place(&b.members, &member_ix), place(&b.metrics, &code_ix));
        let mut out = BaseColumns::with_capacity(b.rows.len());
        let months = b.rows.iter().map(|r| r.1);
        out.span = months.clone().min().zip(months.max());
        for &(m, t, x, v, mr) in &b.rows {
            if let (Some(m), Some(x)) = (members[m as usize], metrics[x as usize]) {
                out.push(m, t, x, v, mr as i32);
            }
        }
        out
    }

    /// The month to report on: the one asked for, else the latest month in the store. A month
    /// no member has figures for is an error naming the months the store holds: a report
    /// built from nothing (or from 去年同月 columns alone) would look like data.
    pub fn resolve_period(&self, asked: Option<Period>) -> Result<Period> {
        let known = match self.stored.is_empty() {
            true => &self.months,
            false => &self.stored,
        };
        let none = || anyhow::Error::new(said!(Msg::NoFigures));
        match asked {
            None => self.months.last().copied().ok_or_else(none),
            Some(p) if self.months.contains(&p) => Ok(p),
            Some(_) if known.is_empty() => Err(none()),
            Some(p) => anyhow::bail!(said!(
                Msg::NoFiguresFor,
                period = p,
                held => month_ranges(known)
            )),
        }
    }
}

/// `2024-01 to 2025-06, 2025-08 to 2025-12 (23 months)`: runs of consecutive months.
fn month_ranges(months: &std::collections::BTreeSet<Period>) -> Text {
    let mut runs: Vec<(Period, Period)> = Vec::new();
    for &p in months {
        match runs.last_mut() {
            Some((_, end)) if end.add_months(1) == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    // Each run a `Text` of its own: `a to b` / `a 至 b`, joined in the message's language.
    let mut args: Vec<(&'static str, Text)> = vec![("n", Text::from(months.len().to_string()))];
    let runs: Vec<Text> = runs
        .iter()
        .map(|(a, b)| {
            if a == b {
                Text::from(a.to_string())
            } else {
                said!(Msg::MonthRange, first = a, last = b)
            }
        })
        .collect();
    args.push(("runs", Text::Joined(runs, crate::i18n::Sep::Comma)));
    Text::Said(Msg::MonthRuns, args)
}

/// The base frame of rows of (member, month index, metric, value, from a 去年同月 column).
pub fn base_frame<S: AsRef<str>, X: AsRef<str>>(
    rows: Vec<(S, i32, X, f64, bool)>,
) -> Result<DataFrame> {
    frame_by_column(
        &rows,
        |r| r.0.as_ref(),
        |r| r.1,
        |r| r.2.as_ref(),
        |r| r.3,
        |r| r.4,
    )
}

/// The base frame of `rows` (member, month index, metric, value, from a 去年同月 column),
/// made a column at a time: each column's list is freed once its column is made (a report's
/// two years of a bureau's figures are millions of rows, read beside the year's check).
fn frame_by_column<'r, R>(
    rows: &'r [R],
    member: impl Fn(&'r R) -> &'r str,
    t: impl Fn(&R) -> i32,
    metric: impl Fn(&'r R) -> &'r str,
    value: impl Fn(&R) -> f64,
    mr: impl Fn(&R) -> bool,
) -> Result<DataFrame> {
    Ok(DataFrame::new(vec![
        Column::new("member".into(), rows.iter().map(member).collect::<Vec<_>>()),
        Column::new("t".into(), rows.iter().map(t).collect::<Vec<_>>()),
        Column::new("metric".into(), rows.iter().map(metric).collect::<Vec<_>>()),
        Column::new("value".into(), rows.iter().map(value).collect::<Vec<_>>()),
        Column::new(
            "mr".into(),
            rows.iter().map(|r| mr(r) as i32).collect::<Vec<_>>(),
        ),
    ])?)
}

/// Member ids and metric codes → the engine's indices.
pub(super) fn indices<'a>(
    c: &'a Consortium,
    codes: &'a [String],
) -> (HashMap<&'a str, u32>, HashMap<&'a str, u32>) {
    let member_ix = c
        .members()
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i as u32))
        .collect();
    let code_ix = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    (member_ix, code_ix)
}

/// The engine's base figures by member and month: a member-month's figures are found by
/// position, not by a join (a report's two years of a bureau's figures are millions of rows,
/// joined and grouped anew by polars for every set of windows: most of a report's engine).
pub(super) struct BaseIndex {
    /// The first month held (`Period::index`) and how many months from it.
    lo: i32,
    months: usize,
    /// Rows of member `m`, month `t`: `range[m * months + (t - lo)]`.
    range: Vec<(usize, usize)>,
    pub(super) x: Vec<u32>,
    pub(super) value: Vec<f64>,
    pub(super) mr: Vec<i32>,
    /// (member, metric index) pairs with a figure in use in some month: the others are
    /// services the member does not provide.
    ever: Vec<bool>,
    codes: usize,
}

impl BaseIndex {
    /// From the base rows by member index, month index, metric index (value, 去年同月 flag);
    /// rows of a member-month keep their order.
    fn new(
        m: Vec<u32>,
        t: Vec<i32>,
        x: Vec<u32>,
        value: Vec<f64>,
        mr: Vec<i32>,
        members: usize,
        codes: usize,
    ) -> BaseIndex {
        let (lo, hi) = match (t.iter().min(), t.iter().max()) {
            (Some(&lo), Some(&hi)) => (lo, hi),
            _ => (0, -1),
        };
        let months = (hi - lo + 1).max(0) as usize;
        let buckets = members * months;
        let bucket = |i: usize| m[i] as usize * months + (t[i] - lo) as usize;
        let mut ever = vec![false; members * codes];
        for (&mi, &xi) in m.iter().zip(&x) {
            if (xi as usize) < codes {
                if let Some(e) = ever.get_mut(mi as usize * codes + xi as usize) {
                    *e = true;
                }
            }
        }
        // The figures come by member and month: each member-month's rows lie together and
        // are found where they are. Otherwise (reference values added at the end) a
        // counting sort gathers them.
        let mut range = vec![(0usize, 0usize); buckets];
        let mut together = true;
        let mut i = 0;
        while i < m.len() {
            let b = bucket(i);
            let mut j = i + 1;
            while j < m.len() && bucket(j) == b {
                j += 1;
            }
            // A range set is never empty: (0, 0) is one not set yet.
            if b >= buckets || range[b] != (0, 0) {
                together = false;
                break;
            }
            range[b] = (i, j);
            i = j;
        }
        if together {
            return BaseIndex {
                lo,
                months,
                range,
                x,
                value,
                mr,
                ever,
                codes,
            };
        }
        let mut start = vec![0usize; buckets + 1];
        for i in 0..m.len() {
            start[bucket(i) + 1] += 1;
        }
        for b in 1..start.len() {
            start[b] += start[b - 1];
        }
        let n = m.len();
        let (mut sx, mut sv, mut sr) = (vec![0u32; n], vec![0f64; n], vec![0i32; n]);
        let mut next = start.clone();
        for i in 0..n {
            let at = &mut next[bucket(i)];
            (sx[*at], sv[*at], sr[*at]) = (x[i], value[i], mr[i]);
            *at += 1;
        }
        for (b, r) in range.iter_mut().enumerate() {
            *r = (start[b], start[b + 1]);
        }
        BaseIndex {
            lo,
            months,
            range,
            x: sx,
            value: sv,
            mr: sr,
            ever,
            codes,
        }
    }

    /// Adds (member, metric index) pairs to those ever reported.
    pub(super) fn add_ever(&mut self, pairs: impl IntoIterator<Item = (u32, u32)>) {
        for (m, x) in pairs {
            if (x as usize) < self.codes {
                if let Some(e) = self.ever.get_mut(m as usize * self.codes + x as usize) {
                    *e = true;
                }
            }
        }
    }

    pub(super) fn ever(&self, m: usize, x: usize) -> bool {
        self.ever.get(m * self.codes + x).copied().unwrap_or(false)
    }

    /// Positions of member `m`'s rows of month `t`.
    pub(super) fn rows(&self, m: u32, t: i32) -> std::ops::Range<usize> {
        let k = t - self.lo;
        if k < 0 || k as usize >= self.months {
            return 0..0;
        }
        match self.range.get(m as usize * self.months + k as usize) {
            Some(&(a, z)) => a..z,
            None => 0..0,
        }
    }
}

/// Base figures by the engine's member and metric indices, a column each: what
/// `BaseIndex` is made of.
#[derive(Default)]
pub(super) struct BaseColumns {
    pub m: Vec<u32>,
    pub t: Vec<i32>,
    pub x: Vec<u32>,
    pub v: Vec<f64>,
    pub mr: Vec<i32>,
    /// The first and last month of the figures given, those left out included (the months
    /// reference values are added for).
    pub span: Option<(i32, i32)>,
}

impl BaseColumns {
    fn with_capacity(n: usize) -> BaseColumns {
        BaseColumns {
            m: Vec::with_capacity(n),
            t: Vec::with_capacity(n),
            x: Vec::with_capacity(n),
            v: Vec::with_capacity(n),
            mr: Vec::with_capacity(n),
            span: None,
        }
    }

    pub fn push(&mut self, m: u32, t: i32, x: u32, v: f64, mr: i32) {
        self.m.push(m);
        self.t.push(t);
        self.x.push(x);
        self.v.push(v);
        self.mr.push(mr);
    }

    pub fn len(&self) -> usize {
        self.m.len()
    }

    pub fn into_index(self, members: usize, codes: usize) -> BaseIndex {
        BaseIndex::new(self.m, self.t, self.x, self.v, self.mr, members, codes)
    }
}

/// The base frame (member id, t, metric code, value, mr) by member and metric indices.
/// Values of members or metrics the consortium file no longer knows are left out.
pub(super) fn index_frame(
    base: &DataFrame,
    c: &Consortium,
    codes: &[String],
) -> Result<BaseColumns> {
    let (member_ix, code_ix) = indices(c, codes);
    let (bm, bx) = (base.column("member")?.str()?, base.column("metric")?.str()?);
    let bt = base.column("t")?.i32()?;
    let bv = base.column("value")?.f64()?;
    let br = base.column("mr")?.i32()?;
    let mut out = BaseColumns::with_capacity(base.height());
    out.span = bt.min().zip(bt.max());
    // The rows come by member, then month, then metric: a member's number is looked up once
    // for its run of rows, a metric's once for a run of the same.
    let mut last_m: Option<(&str, Option<u32>)> = None;
    let mut last_x: Option<(&str, Option<u32>)> = None;
    fn cached<'s>(
        last: &mut Option<(&'s str, Option<u32>)>,
        s: &'s str,
        ix: &HashMap<&str, u32>,
    ) -> Option<u32> {
        match *last {
            Some((l, i)) if l == s => i,
            _ => {
                let i = ix.get(s).copied();
                *last = Some((s, i));
                i
            }
        }
    }
    let rows = bm
        .iter()
        .zip(bx.iter())
        .zip(bt.iter())
        .zip(bv.iter())
        .zip(br.iter());
    for ((((bm, bx), bt), bv), br) in rows {
        let (Some(ms), Some(xs), Some(ti), Some(vi)) = (bm, bx, bt, bv) else {
            continue;
        };
        let (Some(mi), Some(xi)) = (
            cached(&mut last_m, ms, &member_ix),
            cached(&mut last_x, xs, &code_ix),
        ) else {
            continue;
        };
        out.push(mi, ti, xi, vi, br.unwrap_or(0));
    }
    Ok(out)
}

/// (member, metric) pairs as the engine keys them (member and metric indices); pairs of
/// members or metrics the consortium file no longer knows are left out, as in `index_base`.
pub(super) fn index_pairs(
    pairs: &[(String, String)],
    c: &Consortium,
    codes: &[String],
) -> Vec<(u32, u32)> {
    let (member_ix, code_ix) = indices(c, codes);
    pairs
        .iter()
        .filter_map(|(m, x)| Some((*member_ix.get(m.as_str())?, *code_ix.get(x.as_str())?)))
        .collect()
}

#[cfg(test)]
mod figures_tests {
    use super::{merge_newer, BaseIndex, Figures};
    use crate::model::period::Period;
    use crate::store::{Basis, Figure, Kind};
    use std::sync::Arc;

    fn fig(member: &str, month: &str, metric: &str, basis: Basis, value: f64, seq: u64) -> Figure {
        Figure {
            member: Arc::from(member),
            period: Period::parse_strict(month).unwrap(),
            key: Arc::from(metric),
            metric: Some(Arc::from(metric)),
            kind: Kind::Base,
            basis,
            value: Some(value),
            seq,
        }
    }

    #[test]
    fn lists_merge_with_the_newer_entry_of_a_key() {
        let key = |r: &(u32, &str)| r.0;
        let merged = merge_newer(
            vec![(1, "a"), (3, "a"), (5, "a")],
            vec![(2, "b"), (3, "b"), (6, "b")],
            key,
        );
        assert_eq!(
            merged,
            vec![(1, "a"), (2, "b"), (3, "b"), (5, "a"), (6, "b")]
        );
        assert_eq!(merge_newer(vec![], vec![(1, "b")], key), vec![(1, "b")]);
        assert_eq!(merge_newer(vec![(1, "a")], vec![], key), vec![(1, "a")]);
    }

    /// Two runs as `for_months_of` adds them: each run's month figures, then the 去年同月
    /// figures of the forms a year later.
    #[test]
    fn the_last_figure_of_a_key_is_kept_and_prior_year_columns_fill_or_disagree() {
        let (m, p) = (Basis::Month, Basis::PriorYear);
        let mut acc = Figures::default();
        acc.add(vec![
            fig("b", "2024-01", "discharges", m, 10.0, 1),
            fig("a", "2024-01", "discharges", m, 100.0, 2),
            // Sent again: the later figure is the one in use.
            fig("a", "2024-01", "discharges", m, 101.0, 3),
            fig("a", "2024-02", "discharges", m, 110.0, 4),
        ]);
        acc.add(vec![
            // Disagrees with b's 10 (said second), agrees with a's 101, fills a's March.
            fig("b", "2025-01", "discharges", p, 12.0, 7),
            fig("a", "2025-01", "discharges", p, 101.0, 8),
            fig("a", "2025-03", "discharges", p, 130.0, 9),
            fig("a", "2025-02", "discharges", p, 111.0, 10),
        ]);
        acc.add(vec![fig("a", "2024-04", "discharges", m, 140.0, 11)]);
        acc.add(vec![fig("a", "2025-04", "discharges", p, 140.0, 12)]);
        let said: Vec<(String, f64, f64, u64)> = acc
            .disagree
            .iter()
            .map(|d| (d.member.to_string(), d.stored, d.column, d.seq))
            .collect();
        assert_eq!(
            said,
            vec![("b".into(), 10.0, 12.0, 7), ("a".into(), 110.0, 111.0, 10)]
        );
        let b = acc.finish(None).unwrap();
        let f = &b.frame().unwrap();
        let rows: Vec<(String, String, f64, i32)> = (0..f.height())
            .map(|r| {
                let t = f.column("t").unwrap().i32().unwrap().get(r).unwrap();
                (
                    f.column("member")
                        .unwrap()
                        .str()
                        .unwrap()
                        .get(r)
                        .unwrap()
                        .to_string(),
                    Period::from_index(t).to_string(),
                    f.column("value").unwrap().f64().unwrap().get(r).unwrap(),
                    f.column("mr").unwrap().i32().unwrap().get(r).unwrap(),
                )
            })
            .collect();
        let row = |m: &str, p: &str, v: f64, mr: i32| (m.to_string(), p.to_string(), v, mr);
        assert_eq!(
            rows,
            vec![
                row("a", "2024-01", 101.0, 0),
                row("a", "2024-02", 110.0, 0),
                row("a", "2024-03", 130.0, 1),
                row("a", "2024-04", 140.0, 0),
                row("b", "2024-01", 10.0, 0),
            ]
        );
    }

    /// The engine's figures taken from the base data as they are, and from its frame, are the
    /// same: members and items the consortium file does not know left out, 去年同月 fills
    /// marked, the months held counted with the figures left out.
    #[test]
    fn base_figures_by_number_are_those_of_the_frame() {
        let c = crate::config::Consortium::two_members("");
        let codes: Vec<String> = ["visits", "residents", "discharges"]
            .map(String::from)
            .to_vec();
        let mut acc = Figures::default();
        acc.add(vec![
            fig("b", "2025-01", "visits", Basis::Month, 10.0, 1),
            fig("b", "2025-01", "residents", Basis::Month, 4800.0, 1),
            fig("a", "2025-01", "discharges", Basis::Month, 3.0, 2),
            fig("a", "2025-01", "unknown_item", Basis::Month, 1.0, 2),
            fig("gone", "2025-04", "visits", Basis::Month, 9.0, 3),
            fig("a", "2025-03", "visits", Basis::Month, 12.0, 4),
            // A 去年同月 figure filling 2024-03.
            fig("a", "2025-03", "visits", Basis::PriorYear, 11.0, 4),
        ]);
        let base = acc.finish(None).unwrap();
        let by_number = base.index(&c, &codes);
        let by_frame = super::index_frame(&base.frame().unwrap(), &c, &codes).unwrap();
        let rows = |b: &super::BaseColumns| -> Vec<(u32, i32, u32, f64, i32)> {
            (0..b.len())
                .map(|i| (b.m[i], b.t[i], b.x[i], b.v[i], b.mr[i]))
                .collect()
        };
        let t = |m: &str| Period::parse_strict(m).unwrap().index();
        // By hand: member a is 0, b is 1; visits 0, residents 1, discharges 2; rows by
        // member, month and item in text order.
        let want = vec![
            (0, t("2024-03"), 0, 11.0, 1),
            (0, t("2025-01"), 2, 3.0, 0),
            (0, t("2025-03"), 0, 12.0, 0),
            (1, t("2025-01"), 1, 4800.0, 0),
            (1, t("2025-01"), 0, 10.0, 0),
        ];
        assert_eq!(rows(&by_number), want);
        assert_eq!(rows(&by_frame), want);
        // `gone`'s 2025-04 counts among the months held.
        for b in [&by_number, &by_frame] {
            assert_eq!(b.span, Some((t("2024-03"), t("2025-04"))));
        }
    }

    /// A member-month's rows are the same whether they come together (as the store's
    /// figures do) or scattered (reference values added at the end), in the order given.
    #[test]
    fn a_member_months_rows_are_found_together_or_scattered() {
        // (member, month, metric, value)
        let rows: [(u32, i32, u32, f64); 5] = [
            (1, 5, 0, 10.0),
            (1, 5, 2, 12.0),
            (0, 5, 1, 1.0),
            (0, 6, 1, 2.0),
            (1, 6, 0, 20.0),
        ];
        let index = |order: &[usize]| {
            let rows: Vec<_> = order.iter().map(|&i| rows[i]).collect();
            BaseIndex::new(
                rows.iter().map(|r| r.0).collect(),
                rows.iter().map(|r| r.1).collect(),
                rows.iter().map(|r| r.2).collect(),
                rows.iter().map(|r| r.3).collect(),
                vec![0; rows.len()],
                2,
                3,
            )
        };
        let cells = |b: &BaseIndex, m: u32, t: i32| -> Vec<(u32, f64)> {
            b.rows(m, t).map(|r| (b.x[r], b.value[r])).collect()
        };
        let together = index(&[0, 1, 2, 3, 4]);
        let scattered = index(&[0, 2, 4, 1, 3]);
        for b in [&together, &scattered] {
            assert_eq!(cells(b, 1, 5), vec![(0, 10.0), (2, 12.0)]);
            assert_eq!(cells(b, 0, 5), vec![(1, 1.0)]);
            assert_eq!(cells(b, 0, 6), vec![(1, 2.0)]);
            assert_eq!(cells(b, 1, 6), vec![(0, 20.0)]);
            assert!(cells(b, 0, 7).is_empty() && cells(b, 1, 4).is_empty());
            assert!(b.ever(1, 2) && b.ever(0, 1) && !b.ever(0, 0) && !b.ever(1, 1));
        }
    }
}
