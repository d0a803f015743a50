//! `yilian store compact`: many small submission files rewritten as fewer, each sorted by
//! period with a row group per period, every row and sequence number kept.
//!
//! Crash safety rests on one rule of the manifest check (`manifest::check`): a file the
//! manifest does not record whose every submission is in a whole recorded file is a
//! leftover (`Superseded`), never read and removed by the next writer. So, per new file:
//!
//! 1. written in tmp/, synced, renamed into submissions/ (now a leftover: the old files
//!    still hold its submissions);
//! 2. the manifest is rewritten atomically naming the new file instead of the old ones
//!    (now the old files are the leftovers);
//! 3. the old files are removed.
//!
//! A crash at any point leaves a store that reads exactly what it held before.

use super::manifest::{self, FileEntry, Status};
use super::{Store, StoreLock};
use crate::i18n::{Msg, SaidContext};
use crate::said;
use anyhow::{bail, Result};
use polars::prelude::*;
use std::fs::{self, File};
use std::path::PathBuf;

/// A file of at least this many rows is left as it is (when already sorted by period).
const SMALL_ROWS: u64 = 1 << 19;
/// A compacted file holds at most about this many rows (whole input files).
const TARGET_ROWS: u64 = 1 << 21;

/// What `compact` did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Compacted {
    /// (old file names, new file name) per file written.
    pub merged: Vec<(Vec<String>, String)>,
    /// Files in the store after compaction.
    pub files: usize,
}

/// Runs of recorded, whole files to rewrite: consecutive in sequence numbers, each holding
/// exactly the numbers of its name (so that the leftover rule can tell from names alone),
/// small or not yet sorted by period (no `periods` recorded: written before yilian kept it).
fn plan(lock: &StoreLock, st: &manifest::StoreState) -> Vec<Vec<FileEntry>> {
    let ok: std::collections::HashSet<&str> = st
        .files
        .iter()
        .filter(|f| f.status == Status::Ok)
        .map(|f| f.name.as_str())
        .collect();
    let mut entries: Vec<&FileEntry> = lock.manifest.files.iter().collect();
    entries.sort_by_key(|e| e.seqs.first().copied());
    let mut runs: Vec<Vec<FileEntry>> = Vec::new();
    let mut run: Vec<FileEntry> = Vec::new();
    let mut rows = 0;
    let flush = |run: &mut Vec<FileEntry>, runs: &mut Vec<Vec<FileEntry>>| {
        // One file alone is rewritten only to sort it.
        let worth = run.len() > 1 || run.iter().any(|e| e.periods.is_none());
        if worth {
            runs.push(std::mem::take(run));
        } else {
            run.clear();
        }
    };
    for e in entries {
        let plain = manifest::parse_name(&e.name).is_some_and(|(a, b)| {
            e.seqs.first() == Some(&a)
                && e.seqs.last() == Some(&b)
                && e.seqs.len() as u64 == b - a + 1
        });
        let eligible = ok.contains(e.name.as_str())
            && plain
            && e.rows.is_some()
            && (e.rows.unwrap_or(0) < SMALL_ROWS || e.periods.is_none());
        let follows = run
            .last()
            .and_then(|l| l.seqs.last())
            .is_some_and(|&l| e.seqs.first() == Some(&(l + 1)));
        let n = e.rows.unwrap_or(0);
        if !eligible || !follows || rows + n > TARGET_ROWS {
            flush(&mut run, &mut runs);
            rows = 0;
        }
        if eligible {
            run.push(e.clone());
            rows += n;
        }
    }
    flush(&mut run, &mut runs);
    runs
}

/// Test hook: a pause between the steps, so that a test killing the process lands in each.
fn pause() {
    super::test_pause("YILIAN_TEST_COMPACT_PAUSE_MS");
}

impl Store {
    /// Rewrites small (or unsorted) submission files into fewer files sorted by period,
    /// atomically per new file (see the module's comment). Takes the lock.
    pub fn compact(&self) -> Result<Compacted> {
        let mut lock = self.lock()?;
        // Version 2 before any file is rewritten: a yilian reading version 1 would take a
        // file an interrupted compaction left for a new one.
        super::write_marker(&self.root)?;
        let st = self.state()?;
        let runs = plan(&lock, &st);
        let mut done = Compacted::default();
        for run in runs {
            let name = self.write_compacted(&mut lock, &run)?;
            done.merged
                .push((run.iter().map(|e| e.name.clone()).collect(), name));
        }
        done.files = lock.manifest.files.len();
        // A store written before `reported.json` (or whose summary a crash left behind) gets
        // it here: compaction is the store's upkeep.
        self.update_reported(&lock);
        Ok(done)
    }

    /// One run of files into one new file; returns its name.
    fn write_compacted(&self, lock: &mut StoreLock, run: &[FileEntry]) -> Result<String> {
        let dir = self.root.join("submissions");
        let paths: Vec<PathBuf> = run.iter().map(|e| dir.join(&e.name)).collect();
        let first = run
            .first()
            .and_then(|e| e.seqs.first())
            .copied()
            .unwrap_or(0);
        let last = run.last().and_then(|e| e.seqs.last()).copied().unwrap_or(0);
        let mut name = format!("{first:06}-{last:06}.parquet");
        let mut n = 2;
        while dir.join(&name).exists() || lock.manifest.files.iter().any(|e| e.name == name) {
            name = format!("{first:06}-{last:06}-{n}.parquet");
            n += 1;
        }
        let scan = || -> Result<LazyFrame> {
            LazyFrame::scan_parquet_files(paths.clone().into(), ScanArgsParquet::default())
                .said(|| said!(Msg::StoreUnreadable))
        };
        let periods = scan()?
            .select([col("period")])
            .unique(None, UniqueKeepStrategy::Any)
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        let mut periods: Vec<Option<String>> = periods
            .column("period")?
            .str()?
            .into_iter()
            .map(|p| p.map(str::to_string))
            .collect();
        // Null periods (yilian writes none) are kept too, last.
        periods.sort_by(|a, b| match (a, b) {
            (Some(a), Some(b)) => a.cmp(b),
            (None, None) => std::cmp::Ordering::Equal,
            (None, _) => std::cmp::Ordering::Greater,
            (_, None) => std::cmp::Ordering::Less,
        });
        let tmp = self.root.join("tmp").join(format!("{name}.tmp"));
        let file = File::create(&tmp).said(|| said!(Msg::CannotWrite, path = tmp.display()))?;
        let schema = super::schema::empty_frame().schema().clone();
        let mut writer = ParquetWriter::new(std::io::BufWriter::with_capacity(1 << 20, file))
            .with_compression(ParquetCompression::Zstd(None))
            .with_statistics(StatisticsOptions::default())
            .batched(&schema)?;
        let mut rows = 0u64;
        let columns: Vec<Expr> = super::COLUMNS.iter().map(|c| col(c.0)).collect();
        for p in &periods {
            // One period at a time: memory stays that of a month, not of the store. Files in
            // sequence order and rows in file order, so a key a submission holds twice
            // keeps its order.
            let rows_of = match p {
                Some(p) => col("period").eq(lit(p.as_str())),
                None => col("period").is_null(),
            };
            let mut df = scan()?
                .filter(rows_of)
                .select(columns.clone())
                .collect()
                .said(|| said!(Msg::StoreUnreadable))?;
            df.as_single_chunk_par();
            rows += df.height() as u64;
            // A row group per period (one chunk is one row group).
            writer.write_batch(&df)?;
        }
        writer.finish()?;
        drop(writer);
        File::open(&tmp)
            .and_then(|f| f.sync_all())
            .said(|| said!(Msg::CannotWrite, path = tmp.display()))?;
        let want: u64 = run.iter().map(|e| e.rows.unwrap_or(0)).sum();
        if rows != want {
            let _ = fs::remove_file(&tmp);
            bail!(
                "compaction read {rows} rows from {}, the manifest records {want}; nothing changed",
                run.iter()
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        pause();
        let dest = dir.join(&name);
        fs::rename(&tmp, &dest).said(|| said!(Msg::StoreCannotMoveIn, path = tmp.display()))?;
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        pause();
        let mut seqs: Vec<u64> = run.iter().flat_map(|e| e.seqs.iter().copied()).collect();
        seqs.sort();
        let mut submissions: Vec<manifest::SubmissionEntry> = run
            .iter()
            .flat_map(|e| e.submissions.iter().cloned())
            .collect();
        submissions.sort_by_key(|s| s.seq);
        let texts: Vec<&String> = periods.iter().flatten().collect();
        let entry = FileEntry {
            name: name.clone(),
            seqs,
            bytes: Some(fs::metadata(&dest)?.len()),
            rows: Some(rows),
            sha256: Some(manifest::sha256_file(&dest)?),
            tail_sha256: Some(manifest::tail_sha256(&mut File::open(&dest)?)?),
            origin: "compact".into(),
            submissions,
            periods: texts
                .first()
                .zip(texts.last())
                .map(|(a, b)| (a.to_string(), b.to_string())),
        };
        let old: std::collections::HashSet<&str> = run.iter().map(|e| e.name.as_str()).collect();
        let mut m = lock.manifest.clone();
        m.files.retain(|e| !old.contains(e.name.as_str()));
        m.files.push(entry);
        m.files.sort_by_key(|e| e.seqs.first().copied());
        // The switch: until this rename the old files are the store, after it the new one.
        m.write(&self.root)?;
        lock.manifest = m;
        self.forget_state();
        if let Some(new) = lock.manifest.files.iter().find(|e| e.name == name) {
            self.rename_in_reported(run, new);
        }
        for p in &paths {
            pause();
            fs::remove_file(p).said(|| {
                said!(
                    Msg::StoreCannotRemoveCompacted,
                    path = p.display(),
                    name = name
                )
            })?;
        }
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(name)
    }
}
