//! Stage 5: the store. Every submission is kept whole, with lineage (file, sheet, cell) for
//! each value, in immutable Parquet files, one per ingest run:
//!
//! ```text
//! STORE/
//!   yilian-store.toml                  schema version
//!   .lock                              exclusive lock held while committing
//!   submissions/FIRST-LAST.parquet     the submissions numbered FIRST..=LAST, never rewritten
//!   tmp/                               files being written; renamed into submissions/ when whole
//! ```
//!
//! A commit writes its Parquet file into tmp/, syncs it and renames it into submissions/:
//! a crash or a rejected file leaves the store as it was. Each submission has a sequence
//! number (`seq`) and the SHA-256 of its bytes, which makes re-ingesting an identical file a
//! no-op. A different file for a member-month already stored is a correction: both are
//! kept, and for each (member, period, item, basis) the value of the highest `seq` is the
//! one in use. The schema is documented in docs/store.md.

mod parquet;
mod schema;

use anyhow::{bail, Context, Result};
use polars::prelude::*;
use std::collections::HashMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

pub use schema::{Row, SubmissionInfo, COLUMNS};

pub const SCHEMA_VERSION: u32 = 1;

pub struct Store {
    root: PathBuf,
}

/// Held while committing: two ingests at once serialise on it. It carries what the store
/// held when it was taken, which cannot change while it is held.
pub struct StoreLock {
    _file: File,
    hashes: HashMap<String, u64>,
    last_seq: u64,
}

impl StoreLock {
    /// The sequence number of a stored submission with these contents.
    pub fn seq_of(&self, hash: &str) -> Option<u64> {
        self.hashes.get(hash).copied()
    }
}

impl Store {
    /// Opens (creating if needed) the store at root.
    pub fn open(root: &Path) -> Result<Store> {
        fs::create_dir_all(root.join("submissions"))
            .with_context(|| format!("cannot create the store at {}", root.display()))?;
        fs::create_dir_all(root.join("tmp"))?;
        let marker = root.join("yilian-store.toml");
        if marker.exists() {
            let text = fs::read_to_string(&marker)?;
            let v: toml::Value = toml::from_str(&text)
                .with_context(|| format!("{} is damaged", marker.display()))?;
            let version = v
                .get("schema_version")
                .and_then(|x| x.as_integer())
                .unwrap_or(0);
            if version != SCHEMA_VERSION as i64 {
                bail!(
                    "the store at {} has schema version {version}, this yilian reads version {SCHEMA_VERSION}",
                    root.display()
                );
            }
        } else {
            fs::write(
                &marker,
                format!("# yilian store; see docs/store.md\nschema_version = {SCHEMA_VERSION}\n"),
            )?;
        }
        Ok(Store {
            root: root.to_path_buf(),
        })
    }

    /// Opens an existing store for reading; a missing store is an error telling what to do.
    pub fn open_existing(root: &Path) -> Result<Store> {
        if !root.join("submissions").is_dir() {
            bail!(
                "no store at {}; run `yilian ingest` first (or pass --store DIR)",
                root.display()
            );
        }
        Store::open(root)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Takes the store's lock and reads which submissions it holds.
    pub fn lock(&self) -> Result<StoreLock> {
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.root.join(".lock"))
            .context("cannot create the store lock file")?;
        file.lock().context("cannot lock the store")?;
        // Leftovers of a crashed writer: nobody else writes while we hold the lock.
        if let Ok(entries) = fs::read_dir(self.root.join("tmp")) {
            for e in entries.flatten() {
                let _ = fs::remove_file(e.path());
            }
        }
        let df = self
            .scan_all()?
            .select([col("content_hash"), col("seq")])
            .unique(None, UniqueKeepStrategy::First)
            .collect()
            .context("cannot read the store's Parquet files")?;
        let h = df.column("content_hash")?.str()?;
        let s = df.column("seq")?.i64()?;
        let hashes: HashMap<String, u64> = (0..df.height())
            .filter_map(|i| Some((h.get(i)?.to_string(), s.get(i)? as u64)))
            .collect();
        let last_seq = self
            .files()?
            .iter()
            .map(|f| f.1)
            .max()
            .unwrap_or(0)
            .max(hashes.values().copied().max().unwrap_or(0));
        Ok(StoreLock {
            _file: file,
            hashes,
            last_seq,
        })
    }

    /// The store's Parquet files with the first and last sequence numbers they hold.
    pub fn files(&self) -> Result<Vec<(u64, u64, PathBuf)>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(self.root.join("submissions"))? {
            let path = entry?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(stem) = name.strip_suffix(".parquet") else {
                continue;
            };
            let Some((a, b)) = stem.split_once('-') else {
                continue;
            };
            let (Ok(a), Ok(b)) = (a.parse(), b.parse()) else {
                continue;
            };
            out.push((a, b, path));
        }
        out.sort();
        Ok(out)
    }

    /// Writes new submissions, numbered after the last one, as one Parquet file: encoded and
    /// synced in tmp/, then renamed into submissions/, so the batch lands whole or not at all.
    pub fn commit_batch(
        &self,
        lock: &mut StoreLock,
        items: Vec<(SubmissionInfo, Vec<Row>)>,
    ) -> Result<Vec<u64>> {
        if items.is_empty() {
            return Ok(vec![]);
        }
        let first = lock.last_seq + 1;
        let seqs: Vec<u64> = (first..first + items.len() as u64).collect();
        let started = std::time::Instant::now();
        let sizes: Vec<usize> = items.iter().map(|(_, r)| r.len()).collect();
        let groups = {
            let subs: Vec<(u64, &SubmissionInfo, &[Row])> = seqs
                .iter()
                .zip(&items)
                .map(|(s, (i, r))| (*s, i, r.as_slice()))
                .collect();
            parquet::row_groups(&sizes)
                .into_iter()
                .map(|g| schema::columns(&subs[g]))
                .collect::<Result<Vec<_>>>()?
        };
        let framed = started.elapsed();
        let hashes: Vec<String> = items.iter().map(|(i, _)| i.content_hash.clone()).collect();
        let last = *seqs.last().unwrap_or(&first);
        let name = format!("{first:06}-{last:06}.parquet");
        let tmp = self.root.join("tmp").join(format!("{name}.tmp"));
        // The columns hold their own copy: the rows (hundreds of thousands of small strings)
        // are freed on another thread while the file is written and synced.
        let written = std::thread::scope(|scope| -> Result<std::time::Duration> {
            // Freed on the worker threads that allocated them (mimalloc's fast path).
            scope.spawn(move || {
                use rayon::prelude::*;
                items.into_par_iter().for_each(drop);
            });
            let file =
                File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
            // Buffered: the writer emits each page header and page as its own small write.
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            parquet::write(&mut out, COLUMNS, groups)
                .context("cannot write the submissions as Parquet")?;
            let file = out.into_inner().map_err(|e| e.into_error())?;
            let written = started.elapsed();
            file.sync_all()?;
            Ok(written)
        })?;
        if std::env::var_os("YILIAN_PROFILE").is_some() {
            eprintln!(
                "profile: commit: frame {:.3}s, Parquet {:.3}s, sync {:.3}s",
                framed.as_secs_f64(),
                (written - framed).as_secs_f64(),
                (started.elapsed() - written).as_secs_f64()
            );
        }
        if std::env::var_os("YILIAN_TEST_CRASH_BEFORE_RENAME").is_some() {
            // Fault injection for the interrupted-write test: die with the batch half-committed.
            std::process::abort();
        }
        let dest = self.root.join("submissions").join(name);
        fs::rename(&tmp, &dest)
            .with_context(|| format!("cannot move {} into the store", tmp.display()))?;
        if let Ok(dir) = File::open(self.root.join("submissions")) {
            let _ = dir.sync_all();
        }
        for (hash, seq) in hashes.into_iter().zip(&seqs) {
            lock.hashes.insert(hash, *seq);
        }
        lock.last_seq = last;
        Ok(seqs)
    }

    /// Every stored row of every submission (history included).
    pub fn scan_all(&self) -> Result<LazyFrame> {
        let files = self.files()?;
        if files.is_empty() {
            return Ok(schema::empty_frame().lazy());
        }
        let paths: Vec<PathBuf> = files.into_iter().map(|f| f.2).collect();
        let lf = LazyFrame::scan_parquet_files(paths.into(), ScanArgsParquet::default())
            .context("cannot read the store's Parquet files")?;
        Ok(lf)
    }

    /// The values in use: for each member, period, item and basis, the newest submission's.
    pub fn effective(&self) -> Result<LazyFrame> {
        Ok(self
            .scan_all()?
            .sort(["seq"], SortMultipleOptions::default())
            .unique_stable(
                Some(vec![
                    "member".into(),
                    "period".into(),
                    "key".into(),
                    "basis".into(),
                ]),
                UniqueKeepStrategy::Last,
            ))
    }
}
