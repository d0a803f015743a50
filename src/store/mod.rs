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
        Ok(StoreLock { _file: file })
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

    pub fn find_hash(&self, hash: &str) -> Result<Option<StoredFile>> {
        Ok(self.files()?.into_iter().find(|f| f.hash == hash))
    }

    /// Writes one submission atomically and returns its sequence number.
    pub fn commit(&self, _lock: &StoreLock, info: &SubmissionInfo, rows: &[Row]) -> Result<u64> {
        let seq = self.files()?.last().map(|f| f.seq + 1).unwrap_or(1);
        let mut df = schema::to_frame(seq, info, rows)?;
        let tmp = self
            .root
            .join("tmp")
            .join(format!("{seq:06}-{}.parquet.tmp", info.content_hash));
        {
            let mut file =
                File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
            ParquetWriter::new(&mut file)
                .with_compression(ParquetCompression::Zstd(None))
                .finish(&mut df)
                .context("cannot write the submission as Parquet")?;
            file.sync_all()?;
        }
        if std::env::var_os("YILIAN_TEST_CRASH_BEFORE_RENAME").is_some() {
            // Fault injection for the interrupted-write test: die with the file half-committed.
            std::process::abort();
        }
        let dest = self
            .root
            .join("submissions")
            .join(format!("{seq:06}-{}.parquet", info.content_hash));
        fs::rename(&tmp, &dest)
            .with_context(|| format!("cannot move {} into the store", tmp.display()))?;
        if let Ok(dir) = File::open(self.root.join("submissions")) {
            let _ = dir.sync_all();
        }
        Ok(seq)
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
