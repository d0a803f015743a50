//! The store's month column (本月) as read by the checks: every submission (for corrections
//! and timeliness) and the values in use (newest submission per member, month and item, as
//! the store decides them).

use crate::model::fmt_num;
use crate::model::period::Period;
use crate::model::Fast;
use crate::store::{Basis, Filter, Kind, Store};
use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;
use std::sync::Arc;

/// One stored value with its lineage.
pub type Rec = crate::store::Stored;

/// The value as a person reads it: the number, or what the cell held when it is none.
pub trait Shown {
    fn shown(&self) -> String;
}

impl Shown for Rec {
    fn shown(&self) -> String {
        match self.value {
            Some(v) => fmt_num(v),
            None if self.raw.trim().is_empty() => "(blank)".into(),
            None => format!("`{}` (no figure)", self.raw.trim()),
        }
    }
}

pub struct Data {
    /// Every month-column row of every submission, in commit order; without the lineage no
    /// check uses (`content_hash`, `source_path`, `member_text` are left empty).
    pub all: Vec<Rc<Rec>>,
    /// Values in use of base metrics of the checked months and the one before: (member,
    /// month) → metric code → record (shared with `all`, never copied).
    pub base: BTreeMap<(Arc<str>, Period), Month>,
    /// Figures in use of base metrics of the RECENT_MONTHS before those, which the history
    /// rule only compares with: member → metric code → month → figure; and of the months
    /// before them for the (member, item)s the rule asks for (`read_earlier`). Their lineage
    /// is not kept: at a bureau's scale it was most of the check's memory.
    pub past: Past,
    /// Submissions with a value in use among the RECENT_MONTHS (`past`).
    pub past_seqs: BTreeSet<u64>,
    /// Values in use of unmapped items.
    pub unmapped: Vec<Rc<Rec>>,
    /// Member-months whose submission the store lost (a damaged or missing file, read with
    /// `--allow-damaged-store`) → that file's name: not the member's fault.
    pub lost: BTreeMap<(String, Period), String>,
    /// The months whose in-use base figures `past` and `base` hold together (every
    /// member's), when the history was read or handed on (`carry`).
    span: Option<(Period, Period)>,
}

/// Figures of earlier months: member → metric code → month → figure. Hash maps by text:
/// a bureau's history is a million figures, and a tree compares texts at every level.
pub type Past = HashMap<Arc<str>, MemberPast, Fast>;

/// A member's figures of earlier months: metric code → month → figure.
pub type MemberPast = HashMap<Arc<str>, Series, Fast>;

/// The entries of `from..=to` of a list in month order.
pub fn months_in<T>(v: &[(Period, T)], from: Period, to: Period) -> &[(Period, T)] {
    let a = v.partition_point(|e| e.0 < from);
    let b = v.partition_point(|e| e.0 <= to);
    &v[a..b.max(a)]
}

/// One member's figures of one item by month, in month order. A short list, not a tree: a
/// bureau's history is a hundred thousand of them, filled month after month (each a push).
#[derive(Default, Debug, PartialEq)]
pub struct Series(Vec<(Period, f64)>);

impl Series {
    /// The month's figure, replacing one held.
    pub fn insert(&mut self, p: Period, x: f64) {
        match self.0.last() {
            Some(&(last, _)) if last < p => self.0.push((p, x)),
            _ => match self.0.binary_search_by_key(&p, |e| e.0) {
                Ok(i) => self.0[i].1 = x,
                Err(i) => self.0.insert(i, (p, x)),
            },
        }
    }
    /// The figures of `from..=to`, in month order.
    pub fn range(&self, from: Period, to: Period) -> &[(Period, f64)] {
        months_in(&self.0, from, to)
    }
    /// Only the months of `from..=to` kept.
    fn keep(&mut self, from: Period, to: Period) {
        self.0.retain(|e| (from..=to).contains(&e.0));
    }
}

/// A member-month's values in use: metric code → record, in code order. A list of a few
/// dozen looked up by halving, not a tree: every rule looks a member-month's items up, and
/// a bureau's year is a hundred thousand member-months.
#[derive(Default)]
pub struct Month(Vec<(Arc<str>, Held)>);

impl Month {
    /// The value in use of `code`.
    pub fn get(&self, code: &str) -> Option<&Held> {
        let i = self.0.binary_search_by(|(c, _)| (**c).cmp(code)).ok()?;
        Some(&self.0[i].1)
    }

    /// (code, value) in code order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Arc<str>, &Held)> {
        self.0.iter().map(|(code, held)| (code, held))
    }

    /// The values in code order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Held> {
        self.0.iter().map(|(_, held)| held)
    }

    /// Puts the values added (`0.push`, in any order) in code order (`by_code`).
    fn order(&mut self) {
        by_code(&mut self.0);
    }
}

/// Entries in code order; of a code given twice the later is kept, as a map's insert would.
fn by_code<T>(v: &mut Vec<(Arc<str>, T)>) {
    // Stable: the later of two equal codes stays after the earlier.
    v.sort_by(|a, b| a.0.cmp(&b.0));
    let mut kept = 0;
    for i in 0..v.len() {
        match kept {
            k if k > 0 && v[k - 1].0 == v[i].0 => v.swap(k - 1, i),
            _ => {
                v.swap(kept, i);
                kept += 1;
            }
        }
    }
    v.truncate(kept);
}

/// A value in use as the checks hold it: its figure and submission beside the record. The
/// records lie in commit order and the checks go member by member: reading the figure from
/// each record was a cache miss per value (half of the history rule's time at a bureau's
/// scale); a field of the record not held here is read through it (`Deref`).
#[derive(Clone)]
pub struct Held {
    pub value: Option<f64>,
    pub seq: u64,
    rec: Rc<Rec>,
}

impl Held {
    fn new(rec: &Rc<Rec>) -> Held {
        Held {
            value: rec.value,
            seq: rec.seq,
            rec: Rc::clone(rec),
        }
    }
}

impl std::ops::Deref for Held {
    type Target = Rec;
    fn deref(&self) -> &Rec {
        &self.rec
    }
}

/// How many months before a checked month the checks look at: the history rule compares
/// with the previous 12 months and their year-earlier months.
pub const HISTORY_MONTHS: i32 = 24;

/// The months before a checked month whose figures are read for every member: the history
/// rule's 12 months. The 12 before those only matter to a value far from them, and are read
/// for its member and item alone (`Data::read_earlier`).
const RECENT_MONTHS: i32 = 12;

/// Months read from the store at a time: a read of a period range holds all its rows at once
/// (at a bureau's scale, a year of rows with their lineage took a gigabyte).
const PART_MONTHS: i32 = 3;

/// `first..=last` in parts of PART_MONTHS months, in order. The in-use rule is per month, so
/// the parts' values in use are the whole range's.
pub fn month_parts(first: Period, last: Period) -> Vec<(Period, Period)> {
    Period::runs(first, last, PART_MONTHS)
}

/// The month column of the months `first..=last` (every month when None) with its
/// lineage, in commit order (by `seq`, then as stored), read in parts of months. Rows of one
/// submission stay in stored order only when one part holds them all: should a submission
/// span two parts (a file of several months), the range is read whole.
fn lineage(store: &Store, months: Option<(Period, Period)>) -> Result<Vec<Rc<Rec>>> {
    let filter = Filter::all().basis(Basis::Month);
    let Some((first, last)) = months else {
        return store.submissions_short(&filter);
    };
    let parts = month_parts(first, last);
    let mut rows: Vec<Rc<Rec>> = Vec::new();
    let mut seen: BTreeSet<u64> = BTreeSet::new();
    for &(a, b) in &parts {
        let part = store.submissions_short(&filter.clone().period_range(a, b))?;
        let seqs = distinct_seqs(part.iter().map(|r| r.seq));
        if parts.len() > 1 && !seen.is_disjoint(&seqs) {
            drop((rows, part));
            return store.submissions_short(&filter.period_range(first, last));
        }
        seen.extend(seqs);
        rows.extend(part);
    }
    // Stable: a submission's rows keep their stored order.
    rows.sort_by_key(|r| r.seq);
    Ok(rows)
}

/// The submissions of rows, each once. A submission's rows come together: a run of them is
/// one submission, not a set's insert a row (a bureau's year is half a million rows).
fn distinct_seqs(seqs: impl Iterator<Item = u64>) -> BTreeSet<u64> {
    let mut last = None;
    seqs.filter(|&s| last.replace(s) != Some(s)).collect()
}

/// The in-use figures of base metrics of `from..=to` into `past`, in parts of months.
fn read_history(
    store: &Store,
    from: Period,
    to: Period,
    past: &mut Past,
    past_seqs: &mut BTreeSet<u64>,
) -> Result<()> {
    for (a, b) in month_parts(from, to) {
        let history = Filter::all()
            .basis(Basis::Month)
            .kind(Kind::Base)
            .period_range(a, b);
        let mut last = None;
        for v in store.figures(&history)? {
            // A submission's values come together.
            if last != Some(v.seq) {
                past_seqs.insert(v.seq);
                last = Some(v.seq);
            }
            let Some(x) = v.value else { continue };
            hold(past, v.member, v.key, v.period, x);
        }
    }
    Ok(())
}

/// A member's figure of an item and month into `past`.
fn hold(past: &mut Past, member: Arc<str>, code: Arc<str>, p: Period, x: f64) {
    past.entry(member)
        .or_default()
        .entry(code)
        .or_default()
        .insert(p, x);
}

/// Where the history rule's earlier months come from.
pub enum History {
    /// Read from the store.
    Read,
    /// Not needed (completeness only).
    Skip,
    /// Handed on by the check of the months before (`Data::carry`), so a check of many
    /// months reads each month once.
    Carried(Carried),
}

/// The in-use figures of base metrics a check of some months read or held, for the check
/// of the months after them.
pub struct Carried {
    past: Past,
    past_seqs: BTreeSet<u64>,
    /// The months `past` holds every in-use figure of.
    from: Period,
    to: Period,
    /// The rows of the month `to` (the last checked) with their lineage.
    rows: Vec<Rc<Rec>>,
}

impl Data {
    /// The month column for checking the months `first..=last` (None: every month stored):
    /// those months and the one before with their lineage (the rules point at the cells of
    /// both), the RECENT_MONTHS before only as the figures in use of base metrics (the
    /// history rule compares figures).
    pub fn load(
        store: &Store,
        targets: Option<(Period, Period)>,
        mut history: History,
    ) -> Result<Data> {
        let history_skipped = matches!(history, History::Skip);
        // The month before the first with its lineage too, unless the check of the months
        // before handed its rows on.
        let before = match (&mut history, targets) {
            (History::Carried(c), Some((first, _))) if c.to == first.add_months(-1) => {
                std::mem::take(&mut c.rows)
            }
            _ => vec![],
        };
        let months = targets.map(|(a, b)| match before.is_empty() {
            true => (a.add_months(-1), b),
            false => (a, b),
        });
        // The history rule's months (the RECENT_MONTHS before the first checked month but
        // the one read with its lineage), and the months `past` then holds with `base`.
        let recent = targets
            .map(|(first, last)| (first.add_months(-RECENT_MONTHS), first.add_months(-2), last));
        let carried = match (history, recent) {
            (History::Skip, _) | (_, None) => None,
            // Only what the checked months' history needs: the same figures as a read.
            (History::Carried(c), Some((from, to, _))) if c.from <= from && c.to >= to => {
                let mut past = c.past;
                for codes in past.values_mut() {
                    for months in codes.values_mut() {
                        months.keep(from, to);
                    }
                }
                // Submissions in use in earlier months stay in use (as in a read of the
                // whole range, whose history starts at its first month's).
                Some(Ok((past, c.past_seqs)))
            }
            (History::Read | History::Carried(_), Some(_)) => None,
        };
        let span = match (history_skipped, recent) {
            (false, Some((from, _, last))) => Some((from, last)),
            _ => None,
        };
        // The history's figures are read on a thread of their own beside the rows with
        // their lineage: two reads of the store, neither needing the other.
        let (all, read) = std::thread::scope(|s| {
            let reading = match (&carried, recent, history_skipped) {
                (None, Some((from, to, _)), false) => Some(s.spawn(move || {
                    let (mut past, mut past_seqs) = (Past::default(), BTreeSet::new());
                    read_history(store, from, to, &mut past, &mut past_seqs)?;
                    Ok((past, past_seqs))
                })),
                _ => None,
            };
            let all = lineage(store, months);
            let read: Option<Result<(Past, BTreeSet<u64>)>> =
                reading.map(|h| crate::i18n::joined(h, "the history's read").and_then(|r| r));
            (all, read)
        });
        let mut all = all?;
        if !before.is_empty() {
            // Stable, by commit: a submission's rows stay in stored order.
            all.splice(0..0, before);
            all.sort_by_key(|r| r.seq);
        }
        log::debug!(
            "check: {} rows with lineage{}",
            all.len(),
            super::memory_note()
        );
        let (past, past_seqs) = match carried.or(read) {
            Some(r) => r?,
            None => (Past::default(), BTreeSet::new()),
        };
        // Keyed by the rows' shared texts: a key per value in use, no copy. A submission's
        // rows come together: its member-month is looked up once for the run of them.
        let mut base: BTreeMap<(Arc<str>, Period), Month> = BTreeMap::new();
        let mut unmapped = Vec::new();
        let mut run: Option<(&Rc<Rec>, &mut Month)> = None;
        for r in all.iter().filter(|r| r.in_use) {
            match r.kind {
                Kind::Base => {
                    let same = run.as_ref().is_some_and(|(first, _)| {
                        first.period == r.period
                            && (Arc::ptr_eq(&first.lineage, &r.lineage) || first.member == r.member)
                    });
                    if !same {
                        let month = base.entry((Arc::clone(&r.member), r.period)).or_default();
                        run = Some((r, month));
                    }
                    if let Some((_, month)) = &mut run {
                        month.0.push((Arc::clone(&r.key), Held::new(r)));
                    }
                }
                Kind::Unmapped => unmapped.push(Rc::clone(r)),
                Kind::Derived | Kind::Total => {}
            }
        }
        for month in base.values_mut() {
            month.order();
        }
        // In key order, as the checks list them.
        unmapped.sort_by(|a, b| (&a.member, a.period, &a.key).cmp(&(&b.member, b.period, &b.key)));
        let mut lost = BTreeMap::new();
        for f in store.state()?.lost() {
            for mm in &f.member_months {
                // Recorded as `member period`.
                let Some((m, p)) = mm.split_once(' ') else {
                    continue;
                };
                if let Some(p) = Period::parse_strict(p) {
                    lost.insert((m.to_string(), p), f.name.clone());
                }
            }
        }
        Ok(Data {
            all,
            base,
            past,
            past_seqs,
            unmapped,
            lost,
            span,
        })
    }

    /// The first month whose in-use base figures `past` and `base` hold for every member
    /// (None when this check reads no history).
    pub fn held_from(&self) -> Option<Period> {
        self.span.map(|(from, _)| from)
    }

    /// Adds to `past` the figures of the RECENT_MONTHS before `held_from` of these (member,
    /// item)s (`rules::Far::wants`). Their submissions are not added to `past_seqs`: what
    /// else a check finds does not depend on which values are far from their history.
    pub fn read_earlier(
        &mut self,
        store: &Store,
        wants: &BTreeSet<(Arc<str>, Arc<str>)>,
    ) -> Result<()> {
        let Some(held) = self.held_from() else {
            return Ok(());
        };
        if wants.is_empty() {
            return Ok(());
        }
        let members: BTreeSet<&str> = wants.iter().map(|(m, _)| &**m).collect();
        let codes: BTreeSet<&str> = wants.iter().map(|(_, c)| &**c).collect();
        let filter = Filter::all()
            .basis(Basis::Month)
            .kind(Kind::Base)
            .members(members)
            .metrics(codes)
            .period_range(held.add_months(-RECENT_MONTHS), held.add_months(-1));
        let mut added = 0;
        for v in store.figures(&filter)? {
            let Some(x) = v.value else { continue };
            // Only the pairs asked for: the filter reads every member × every item of them.
            if !wants.contains(&(Arc::clone(&v.member), Arc::clone(&v.key))) {
                continue;
            }
            hold(&mut self.past, v.member, v.key, v.period, x);
            added += 1;
        }
        log::debug!(
            "check: {added} earlier figures of {} items far from their recent months",
            wants.len()
        );
        Ok(())
    }

    /// The history the check of the months after these needs: what `past` held and the
    /// in-use base figures of these months (None when this check read no history).
    pub fn carry(self) -> Option<Carried> {
        let (from, to) = self.span?;
        let (mut past, mut past_seqs) = (self.past, self.past_seqs);
        for ((member, p), month) in &self.base {
            let codes = past.entry(Arc::clone(member)).or_default();
            // A member-month's values mostly come from one submission.
            let mut last = None;
            for (code, r) in month.iter() {
                if last != Some(r.seq) {
                    past_seqs.insert(r.seq);
                    last = Some(r.seq);
                }
                if let Some(x) = r.value {
                    match codes.get_mut(&**code) {
                        Some(months) => {
                            months.insert(*p, x);
                        }
                        None => {
                            codes.insert(Arc::clone(code), Series(vec![(*p, x)]));
                        }
                    }
                }
            }
        }
        let rows = self
            .all
            .iter()
            .filter(|r| r.period == to)
            .cloned()
            .collect();
        Some(Carried {
            past,
            past_seqs,
            from,
            to,
            rows,
        })
    }

    /// The submissions of the rows read with their lineage of `from` and the months after.
    pub fn seqs_from(&self, from: Period) -> BTreeSet<u64> {
        distinct_seqs(self.all.iter().filter(|r| r.period >= from).map(|r| r.seq))
    }

    /// A member-month's values in use (of the checked months and the one before).
    pub fn month(&self, member: &str, p: Period) -> Option<&Month> {
        self.base.get(&(Arc::from(member), p))
    }

    /// A value in use, if reported (not blank).
    pub fn get(&self, member: &str, p: Period, code: &str) -> Option<(f64, &Rec)> {
        let r = self.month(member, p)?.get(code)?;
        r.value.map(|v| (v, &**r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse_strict(s).unwrap()
    }

    /// A submission once however many of its rows, in order; a submission seen again after
    /// another's rows is still once.
    #[test]
    fn distinct_seqs_are_each_submission_once() {
        let got = distinct_seqs([3, 3, 3, 1, 1, 3, 2, 2, 7].into_iter());
        assert_eq!(got.into_iter().collect::<Vec<_>>(), vec![1, 2, 3, 7]);
        assert!(distinct_seqs(std::iter::empty()).is_empty());
    }

    /// A month's entries in code order, the later of a code given twice kept.
    #[test]
    fn a_months_entries_are_in_code_order_the_later_of_a_code_kept() {
        let e = |c: &str, x: i32| (Arc::<str>::from(c), x);
        let mut v = vec![
            e("c", 1),
            e("a", 2),
            e("b", 3),
            e("a", 4),
            e("c", 5),
            e("a", 6),
        ];
        by_code(&mut v);
        assert_eq!(v, vec![e("a", 6), e("b", 3), e("c", 5)]);
        let mut none: Vec<(Arc<str>, i32)> = vec![];
        by_code(&mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn a_series_keeps_one_figure_a_month_in_month_order() {
        let mut s = Series::default();
        // Months as a check reads them (in order), then an earlier month read for a value
        // far from its history, then a month again (a newer figure replaces the held one).
        s.insert(p("2025-03"), 3.0);
        s.insert(p("2025-05"), 5.0);
        s.insert(p("2025-01"), 1.0);
        s.insert(p("2025-03"), 30.0);
        s.insert(p("2025-04"), 4.0);
        let all = [
            (p("2025-01"), 1.0),
            (p("2025-03"), 30.0),
            (p("2025-04"), 4.0),
            (p("2025-05"), 5.0),
        ];
        assert_eq!(s.range(p("2024-01"), p("2026-01")), &all);
        assert_eq!(s.range(p("2025-02"), p("2025-04")), &all[1..3]);
        assert_eq!(s.range(p("2025-04"), p("2025-04")), &all[2..3]);
        assert!(s.range(p("2025-06"), p("2025-09")).is_empty());
        // A range ending before it starts holds nothing.
        assert!(s.range(p("2025-05"), p("2025-01")).is_empty());
        s.keep(p("2025-03"), p("2025-04"));
        assert_eq!(s, Series(all[1..3].to_vec()));
    }
}
