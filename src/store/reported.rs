//! Which member reports which metric at all (`Store::reported_pairs`) and which months hold
//! members' figures (`Store::figure_months`), kept beside the submissions in
//! `reported.json` so a command does not read the whole history to learn them.
//!
//! For each (member, metric) the summary keeps two flags over the rows of the `month` and
//! `prior_year` bases: FIGURE, some row is a base figure; OTHER, some row is not (a blank,
//! or another kind). The months are those with a base figure of the month column in any
//! version. Both only ever grow as rows are added, so the summary of a store is the union of
//! its files' sums: a commit adds its own rows', a compaction (which keeps every row) only
//! renames the files it covers. A pair with FIGURE alone has a figure in use whatever the
//! order of its rows; one with both is decided by the in-use rule on its own keys. The
//! summary names the files it covers (name and footer hash, as the manifest records them):
//! a file it does not cover is read and added; a covered file that is gone (forgotten,
//! lost) makes it unusable, and the whole store is read, as without it. It is a cache:
//! deleting it loses nothing.

use super::manifest::{FileEntry, FileState};
use super::read::Filter;
use super::{write_atomic, Basis, Kind, Row, Store, StoreLock, What, Whose};
use crate::i18n::{Msg, SaidContext};
use crate::model::period::Period;
use crate::model::Fast;
use crate::said;
use anyhow::Result;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

pub const REPORTED: &str = "reported.json";
const VERSION: u32 = 1;
/// Some row of the pair is a base figure.
const FIGURE: u8 = 1;
/// Some row of the pair is not (a blank, or another kind with the same code).
const OTHER: u8 = 2;

/// What the summary holds of some rows: each (member, metric)'s FIGURE | OTHER, and the
/// months (`YYYY-MM`) with figures.
#[derive(Default)]
pub(super) struct Sums {
    /// foldhash: every row of every commit passes here.
    pairs: HashMap<(String, String), u8, Fast>,
    months: BTreeSet<String>,
}

impl Sums {
    fn add(&mut self, from: Sums) {
        for (k, f) in from.pairs {
            *self.pairs.entry(k).or_default() |= f;
        }
        self.months.extend(from.months);
    }
}

#[derive(Serialize, Deserialize)]
struct Summary {
    version: u32,
    /// The submission files summed up: name and the SHA-256 of its end, as the manifest has it.
    files: Vec<(String, String)>,
    /// member, metric, flags.
    pairs: Vec<(String, String, u8)>,
    /// The months with a base figure of the month column, in any version.
    months: Vec<String>,
}

/// The summary a lock's commits keep up to date (`Store::add_to_reported`).
pub(super) struct Running {
    sums: Sums,
    files: Vec<(String, String)>,
    /// When it was last written; None when every commit since is in the file.
    written: Option<std::time::Instant>,
    dirty: bool,
}

/// A run of many commits writes the summary at most this often (and when the lock is
/// released, `Running::settle`): each write is the whole summary, members × metrics.
const SUMMARY_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

impl Running {
    /// Writes what a commit added since the last write, if anything: when the lock is
    /// released. (A process that dies before leaves the summary a few files short; they
    /// are read beside it until the next commit.)
    pub(super) fn settle(&mut self, root: &Path) {
        if self.dirty {
            self.write(root);
        }
    }

    fn write(&mut self, root: &Path) {
        self.written = Some(std::time::Instant::now());
        self.dirty = false;
        let mut pairs: Vec<(&String, &String, u8)> = self
            .sums
            .pairs
            .iter()
            .map(|((m, x), f)| (m, x, *f))
            .collect();
        pairs.sort();
        let written = serde_json::to_vec(&SummaryRef {
            version: VERSION,
            files: &self.files,
            pairs,
            months: &self.sums.months,
        })
        .map_err(anyhow::Error::from)
        .and_then(|bytes| {
            write_atomic(
                &root.join("tmp").join(format!("{REPORTED}.tmp")),
                &root.join(REPORTED),
                &bytes,
            )
        });
        if let Err(e) = written {
            log::debug!("{REPORTED} not updated: {e:#}");
        }
    }
}

/// `Summary` as written from borrowed parts.
#[derive(Serialize)]
struct SummaryRef<'a> {
    version: u32,
    files: &'a [(String, String)],
    pairs: Vec<(&'a String, &'a String, u8)>,
    months: &'a BTreeSet<String>,
}

/// The flags of one row (None when it does not count: another basis).
fn row_flags(kind: Kind, basis: Basis, value: Option<f64>) -> Option<u8> {
    if !matches!(basis, Basis::Month | Basis::PriorYear) {
        return None;
    }
    Some(match kind == Kind::Base && value.is_some() {
        true => FIGURE,
        false => OTHER,
    })
}

/// The sums of rows about to be committed.
pub(super) fn sums_of_rows<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Sums {
    let mut pairs: HashMap<(&str, &str), u8, Fast> = HashMap::default();
    let mut months: BTreeSet<&str> = BTreeSet::new();
    // Rows come member-month by member-month and item by item: a run of rows sharing their
    // facts (`Whose`, `What`) is summed before it is looked up, not looked up row by row.
    let mut month_of: Option<&Whose> = None;
    let mut run: Option<(&Whose, &What, &str, u8)> = None;
    let mut flush = |run: Option<(&'a Whose, &'a What, &'a str, u8)>| {
        if let Some((w, _, metric, f)) = run {
            *pairs.entry((&w.member, metric)).or_default() |= f;
        }
    };
    for r in rows {
        let (whose, what) = (&*r.whose, &*r.what);
        if r.kind == Kind::Base
            && r.basis == Basis::Month
            && r.value.is_some()
            && !month_of.is_some_and(|w| std::ptr::eq(w, whose))
        {
            months.insert(&whose.period);
            month_of = Some(whose);
        }
        let (Some(metric), Some(f)) = (&what.metric, row_flags(r.kind, r.basis, r.value)) else {
            continue;
        };
        match &mut run {
            Some((w, x, _, acc)) if std::ptr::eq(*w, whose) && std::ptr::eq(*x, what) => *acc |= f,
            _ => flush(run.replace((whose, what, metric, f))),
        }
    }
    flush(run);
    Sums {
        pairs: pairs
            .into_iter()
            .map(|((m, x), f)| ((m.to_string(), x.to_string()), f))
            .collect(),
        months: months.into_iter().map(str::to_string).collect(),
    }
}

/// The sums of stored files, read one file at a time (a compacted file holds a bounded
/// number of rows; the store's history is never decoded at once). The same rules as
/// `sums_of_rows`, as polars expressions.
fn sums_of_files(paths: &[&Path]) -> Result<Sums> {
    let mut sums = Sums::default();
    let base = || col("kind").eq(lit(Kind::Base.as_str()));
    let figure = || base().and(col("value").is_not_null());
    for path in paths {
        let scan = || {
            LazyFrame::scan_parquet(*path, ScanArgsParquet::default())
                .said(|| said!(Msg::StoreUnreadable))
        };
        let months = scan()?
            .select([col("period"), col("kind"), col("basis"), col("value")])
            .filter(figure().and(col("basis").eq(lit(Basis::Month.as_str()))))
            .select([col("period")])
            .unique(None, UniqueKeepStrategy::Any)
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        let months = months.column("period")?.str()?;
        sums.months
            .extend(months.into_iter().flatten().map(str::to_string));
        let bases = Series::new(
            "b".into(),
            [Basis::Month.as_str(), Basis::PriorYear.as_str()],
        );
        let df = scan()?
            .select([
                col("member"),
                col("metric"),
                col("kind"),
                col("basis"),
                col("value"),
            ])
            .filter(
                col("basis")
                    .is_in(lit(bases))
                    .and(col("metric").is_not_null()),
            )
            .group_by([col("member"), col("metric")])
            .agg([
                figure().any(true).alias("figure"),
                figure().not().any(true).alias("other"),
            ])
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        let member = df.column("member")?.str()?;
        let metric = df.column("metric")?.str()?;
        let figure = df.column("figure")?.bool()?;
        let other = df.column("other")?.bool()?;
        for i in 0..df.height() {
            let (Some(m), Some(x)) = (member.get(i), metric.get(i)) else {
                continue;
            };
            let f = match figure.get(i) {
                Some(true) => FIGURE,
                _ => 0,
            } | match other.get(i) {
                Some(false) => 0,
                _ => OTHER,
            };
            *sums
                .pairs
                .entry((m.to_string(), x.to_string()))
                .or_default() |= f;
        }
    }
    Ok(sums)
}

/// A file as the summary names it; None for one whose end the manifest did not record
/// (always read, never covered).
fn file_key(f: &FileState) -> Option<(String, String)> {
    entry_key(f.entry.as_ref()?)
}

pub(super) fn entry_key(e: &FileEntry) -> Option<(String, String)> {
    Some((e.name.clone(), e.tail_sha256.clone()?))
}

/// `reported.json` read and parsed ahead, beside the manifest (`Store::prefetch`): checked
/// against the store's files only when the sums are first asked for.
pub struct SummaryFile(Option<Summary>);

impl SummaryFile {
    pub fn read(root: &Path) -> SummaryFile {
        SummaryFile(read_summary(root))
    }
}

fn read_summary(root: &Path) -> Option<Summary> {
    let bytes = std::fs::read(root.join(REPORTED)).ok()?;
    let s: Summary = match serde_json::from_slice(&bytes) {
        Ok(s) => s,
        Err(e) => {
            log::debug!("{REPORTED} unreadable, the store is read instead: {e}");
            return None;
        }
    };
    (s.version == VERSION).then_some(s)
}

fn write_summary(root: &Path, s: &Summary) -> Result<()> {
    write_atomic(
        &root.join("tmp").join(format!("{REPORTED}.tmp")),
        &root.join(REPORTED),
        &serde_json::to_vec(s)?,
    )
}

/// The sums of `files` (the files a read sees): the summary's, with those of the files it
/// does not cover read; the whole of `files` read when it covers a file not among them.
fn sums_for(root: &Path, files: &[&FileState], read: Option<SummaryFile>) -> Result<Sums> {
    let keys: HashSet<(String, String)> = files.iter().filter_map(|f| file_key(f)).collect();
    let summary = match read {
        Some(SummaryFile(s)) => s,
        None => read_summary(root),
    };
    let (mut sums, covered) = match summary {
        Some(s) if s.files.iter().all(|k| keys.contains(k)) => {
            let sums = Sums {
                pairs: s.pairs.into_iter().map(|(m, x, f)| ((m, x), f)).collect(),
                months: s.months.into_iter().collect(),
            };
            (sums, s.files.into_iter().collect::<HashSet<_>>())
        }
        _ => (Sums::default(), HashSet::new()),
    };
    let rest: Vec<&Path> = files
        .iter()
        .filter(|f| file_key(f).is_none_or(|k| !covered.contains(&k)))
        .map(|f| f.path.as_path())
        .collect();
    if !rest.is_empty() {
        log::debug!("{REPORTED}: {} files read beside it", rest.len());
    }
    sums.add(sums_of_files(&rest)?);
    Ok(sums)
}

impl Store {
    /// The sums of the files a read sees, read once (a report asks for the months and the
    /// pairs both).
    fn sums(&self) -> Result<Arc<Sums>> {
        if let Some(s) = self.sums.lock().ok().and_then(|g| g.clone()) {
            return Ok(s);
        }
        let paths: HashSet<std::path::PathBuf> = self.readable_files()?.into_iter().collect();
        let st = self.state()?;
        let files: Vec<&FileState> = st
            .files
            .iter()
            .filter(|f| paths.contains(&f.path))
            .collect();
        let read = self.prefetched.lock().ok().and_then(|mut g| g.take());
        let sums = Arc::new(sums_for(&self.root, &files, read)?);
        if let Ok(mut g) = self.sums.lock() {
            *g = Some(sums.clone());
        }
        Ok(sums)
    }

    /// The months with a base figure of the month column in any stored version (a month
    /// whose every figure a later blank replaced is among them), ascending: the months
    /// `periods` gives for kind base, basis month, reported — from `reported.json`.
    pub fn figure_months(&self) -> Result<Vec<Period>> {
        let mut months: Vec<Period> = self
            .sums()?
            .months
            .iter()
            .filter_map(|p| Period::parse_strict(p))
            .collect();
        months.sort();
        Ok(months)
    }

    /// The (member, metric) pairs with a base figure in use, of the month or 去年同月 column,
    /// in any month of the store: which member reports which metric at all. The same pairs
    /// as `in_use` gives for kind base, those two bases, reported, over every month — read
    /// from `reported.json` and the files it does not cover, not from the history.
    pub fn reported_pairs(&self) -> Result<BTreeSet<(String, String)>> {
        let (mut sure, mut doubtful) = (Vec::new(), BTreeSet::new());
        for ((m, x), &f) in &self.sums()?.pairs {
            match (f & FIGURE != 0, f & OTHER != 0) {
                (true, false) => sure.push((m.clone(), x.clone())),
                (true, true) => {
                    doubtful.insert((m.clone(), x.clone()));
                }
                (false, _) => {}
            };
        }
        // Built at once from the pairs sorted, not a pair at a time (a bureau's are tens of
        // thousands).
        let mut pairs: BTreeSet<(String, String)> = sure.into_iter().collect();
        if !doubtful.is_empty() {
            // A blank or another kind may have replaced the figures: the rule decides, on
            // these pairs' keys only.
            let members: BTreeSet<&str> = doubtful.iter().map(|p| p.0.as_str()).collect();
            let metrics: BTreeSet<&str> = doubtful.iter().map(|p| p.1.as_str()).collect();
            let exact = Filter::all()
                .kind(Kind::Base)
                .bases([Basis::Month, Basis::PriorYear])
                .members(members)
                .metrics(metrics)
                .reported();
            for v in self.in_use(&exact)? {
                if let Some(x) = v.metric {
                    let pair = (v.member, x);
                    if doubtful.contains(&pair) {
                        pairs.insert(pair);
                    }
                }
            }
        }
        Ok(pairs)
    }

    /// Brings `reported.json` up to date with the store's intact files. Under the lock. A
    /// summary that cannot be written is left behind: readers then read the files it does
    /// not cover.
    pub(super) fn update_reported(&self, _lock: &StoreLock) {
        match self.running(None) {
            Ok(mut r) => r.write(&self.root),
            Err(e) => log::debug!("{REPORTED} not updated: {e:#}"),
        }
    }

    /// The summary of the store's intact files as they are now, file `but` left out (one
    /// just committed, whose sums are known: it is not read).
    fn running(&self, but: Option<&str>) -> Result<Running> {
        self.forget_state();
        let st = self.state()?;
        let files: Vec<&FileState> = st
            .files
            .iter()
            .filter(|f| f.is_intact() && Some(f.name.as_str()) != but)
            .collect();
        Ok(Running {
            sums: sums_for(&self.root, &files, None)?,
            files: files.iter().filter_map(|f| file_key(f)).collect(),
            written: None,
            dirty: false,
        })
    }

    /// After a commit of file `name` (`key` as the summary names it, None when its end
    /// could not be hashed) with the sums of its rows: the summary the lock keeps is brought
    /// up to date and written. The first commit of a lock makes it from the store's other
    /// intact files, as `update_reported` does; the later ones add their own sums alone, so
    /// a run of many commits does not read the store's state again for each.
    pub(super) fn add_to_reported(
        &self,
        lock: &mut StoreLock,
        name: &str,
        key: Option<(String, String)>,
        added: Sums,
    ) {
        if lock.summary.is_none() {
            match self.running(Some(name)) {
                Ok(r) => lock.summary = Some(r),
                Err(e) => {
                    log::debug!("{REPORTED} not updated: {e:#}");
                    return;
                }
            }
        }
        let Some(r) = &mut lock.summary else { return };
        r.sums.add(added);
        r.files.extend(key);
        r.dirty = true;
        if r.written.is_none_or(|t| t.elapsed() >= SUMMARY_EVERY) {
            r.write(&self.root);
        }
    }

    /// After a compaction replaced `old` files by `new` (same rows): the summary names the
    /// new file instead, when it covered every old one; otherwise it drops them and the new
    /// file is read until the next commit sums it up.
    pub(super) fn rename_in_reported(&self, old: &[FileEntry], new: &FileEntry) {
        let Some(mut s) = read_summary(&self.root) else {
            return;
        };
        let old: Vec<Option<(String, String)>> = old.iter().map(entry_key).collect();
        let all = old
            .iter()
            .all(|k| k.as_ref().is_some_and(|k| s.files.contains(k)));
        s.files.retain(|k| !old.iter().flatten().any(|o| o == k));
        if let (true, Some(new)) = (all, entry_key(new)) {
            s.files.push(new);
        }
        if let Err(e) = write_summary(&self.root, &s) {
            log::debug!("{REPORTED} not updated: {e:#}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn what(metric: Option<&str>) -> Arc<What> {
        Arc::new(What {
            item: Arc::from("item"),
            metric: metric.map(Arc::from),
        })
    }

    /// Rows summed by runs of shared facts give what row-by-row sums give (by hand): a run
    /// whose rows differ in flags, a member's pair met again after another member's, months
    /// only of base figures of the month.
    #[test]
    fn runs_of_rows_sum_as_rows_do() {
        let (a1, b2, a3) = (
            Whose::of("A", "2024-01"),
            Whose::of("B", "2024-02"),
            Whose::of("A", "2024-03"),
        );
        let (m1, m2, none) = (what(Some("m1")), what(Some("m2")), what(None));
        let row = |w: &Arc<Whose>, x: &Arc<What>, kind, basis, value| Row {
            whose: w.clone(),
            what: x.clone(),
            cell: "C1".into(),
            kind,
            basis,
            value,
            raw: "".into(),
        };
        use Basis::*;
        use Kind::*;
        let rows = [
            row(&a1, &m1, Base, Month, Some(5.0)),
            row(&a1, &m1, Base, Month, None),
            row(&a1, &m2, Base, PriorYear, Some(4.0)),
            row(&b2, &m1, Total, Month, Some(9.0)),
            row(&a1, &m1, Base, Ytd, Some(50.0)),
            row(&a3, &m1, Base, Month, Some(6.0)),
            row(&a1, &none, Unmapped, Month, Some(1.0)),
        ];
        let sums = sums_of_rows(&rows);
        let pair = |m: &str, x: &str| sums.pairs.get(&(m.to_string(), x.to_string())).copied();
        assert_eq!(pair("A", "m1"), Some(FIGURE | OTHER));
        assert_eq!(pair("A", "m2"), Some(FIGURE));
        assert_eq!(pair("B", "m1"), Some(OTHER));
        assert_eq!(sums.pairs.len(), 3);
        let months: Vec<&str> = sums.months.iter().map(String::as_str).collect();
        assert_eq!(months, ["2024-01", "2024-03"]);
    }
}
