//! Stage 5: the store. Every submission is kept whole, with lineage (file, sheet, cell) for
//! each value, as one immutable Parquet file:
//!
//! ```text
//! STORE/
//!   yilian-store.toml              schema version
//!   .lock                          exclusive lock held while committing
//!   submissions/SEQ-SHA256.parquet one file per submitted spreadsheet, never rewritten
//!   tmp/                           files being written; renamed into submissions/ when whole
//! ```
//!
//! A commit writes the Parquet file into tmp/, syncs it and renames it into submissions/:
//! a crash or a rejected file leaves the store as it was. The content hash makes re-ingesting
//! an identical file a no-op. A different file for a member-month already stored is a
//! correction: both are kept, and for each (member, period, item, basis) the value of the
//! highest sequence number is the one in use. The schema is documented in docs/store.md.

mod schema;

use anyhow::{bail, Context, Result};
use polars::prelude::*;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

pub use schema::{Row, SubmissionInfo, COLUMNS};

pub const SCHEMA_VERSION: u32 = 1;

pub struct Store {
    root: PathBuf,
}

/// Held while committing: two ingests at once serialise on it.
pub struct StoreLock {
    _file: File,
    files: Vec<StoredFile>,
}

impl StoreLock {
    /// The sequence number of a stored submission with these contents.
    pub fn seq_of(&self, hash: &str) -> Option<u64> {
        self.files.iter().find(|f| f.hash == hash).map(|f| f.seq)
    }
}

/// One stored submission, from its file name.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub seq: u64,
    pub hash: String,
    pub path: PathBuf,
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

    /// Takes the store's lock; while held, the listing it read cannot change under us.
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
        let files = self.files()?;
        Ok(StoreLock { _file: file, files })
    }

    /// The submissions in commit order.
    pub fn files(&self) -> Result<Vec<StoredFile>> {
        let mut out = Vec::new();
        for entry in fs::read_dir(self.root.join("submissions"))? {
            let path = entry?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            let Some(stem) = name.strip_suffix(".parquet") else {
                continue;
            };
            let Some((seq, hash)) = stem.split_once('-') else {
                continue;
            };
            let Ok(seq) = seq.parse() else { continue };
            out.push(StoredFile {
                seq,
                hash: hash.to_string(),
                path,
            });
        }
        out.sort_by_key(|f| f.seq);
        Ok(out)
    }

    /// Writes new submissions: Parquet files are encoded and synced in parallel in tmp/,
    /// then renamed into submissions/ in order. Each file is atomic on its own.
    pub fn commit_batch(
        &self,
        lock: &mut StoreLock,
        items: Vec<(SubmissionInfo, Vec<Row>)>,
    ) -> Result<Vec<u64>> {
        use rayon::prelude::*;
        let first = lock.files.last().map(|f| f.seq + 1).unwrap_or(1);
        let staged: Vec<(u64, PathBuf, PathBuf)> = items
            .par_iter()
            .enumerate()
            .map(|(i, (info, rows))| -> Result<(u64, PathBuf, PathBuf)> {
                let seq = first + i as u64;
                let mut df = schema::to_frame(seq, info, rows)?;
                let name = format!("{seq:06}-{}.parquet", info.content_hash);
                let tmp = self.root.join("tmp").join(format!("{name}.tmp"));
                let mut file = File::create(&tmp)
                    .with_context(|| format!("cannot write {}", tmp.display()))?;
                ParquetWriter::new(&mut file)
                    .with_compression(ParquetCompression::Zstd(None))
                    .finish(&mut df)
                    .context("cannot write the submission as Parquet")?;
                file.sync_all()?;
                Ok((seq, tmp, self.root.join("submissions").join(name)))
            })
            .collect::<Result<_>>()?;
        if !staged.is_empty() && std::env::var_os("YILIAN_TEST_CRASH_BEFORE_RENAME").is_some() {
            // Fault injection for the interrupted-write test: die with files half-committed.
            std::process::abort();
        }
        let mut seqs = Vec::with_capacity(staged.len());
        for ((seq, tmp, dest), (info, _)) in staged.into_iter().zip(&items) {
            fs::rename(&tmp, &dest)
                .with_context(|| format!("cannot move {} into the store", tmp.display()))?;
            lock.files.push(StoredFile {
                seq,
                hash: info.content_hash.clone(),
                path: dest,
            });
            seqs.push(seq);
        }
        if let Ok(dir) = File::open(self.root.join("submissions")) {
            let _ = dir.sync_all();
        }
        Ok(seqs)
    }

    /// Every stored row of every submission (history included).
    pub fn scan_all(&self) -> Result<LazyFrame> {
        let files = self.files()?;
        if files.is_empty() {
            return Ok(schema::empty_frame().lazy());
        }
        let paths: Vec<PathBuf> = files.into_iter().map(|f| f.path).collect();
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
