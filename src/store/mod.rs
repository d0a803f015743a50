//! Stage 5: the store. Every submission is kept whole, with lineage (file, sheet, cell) for
//! each value, in immutable Parquet files, one per commit (an ingest commits in batches):
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
//!
//! Everything else reads the store through `Store::in_use` (the values in use) and
//! `Store::submissions` (every value with its lineage), as plain Rust rows (`read.rs`); the
//! stored texts of `kind` and `basis` are spelled once, in `schema.rs`.

mod compact;
pub mod manifest;
mod parquet;
mod read;
mod reported;
pub use reported::SummaryFile;
mod schema;

use crate::i18n::{Msg, SaidContext, Text};
use crate::said;
use anyhow::{anyhow, bail, Result};
use manifest::{Depth, FileEntry, Manifest, StoreState, SubmissionEntry};
use polars::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use compact::Compacted;
pub use manifest::{FileState, Status as FileStatus};
pub use read::{Figure, FigureRow, FigureTable, Filter, Lineage, Sent, Stored, Value};
pub use schema::{Basis, Kind, Row, SubmissionInfo, What, Whose, COLUMNS};

/// 2: a store `yilian store compact` may have worked on (a file it left behind when
/// interrupted must not be taken for a new one, which a yilian reading version 1 would do).
/// Files are the same in both; version 1 stores are read as they are and become version 2
/// when first compacted (docs/store.md, "Layout and versions").
pub const SCHEMA_VERSION: u32 = 2;
/// Versions this yilian reads.
const READS: [u32; 2] = [1, 2];
const MARKER: &str = "yilian-store.toml";

/// Command-line choices that apply to every store the process opens.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Read-only commands run on the intact part of a damaged store (saying what is left out)
    /// instead of refusing.
    pub allow_damaged: bool,
    /// Give up waiting for the store lock after this long (`None`: wait, saying so).
    pub lock_timeout: Option<Duration>,
    /// Where the store's messages for the user go, whole lines as they are to be shown
    /// (warnings about damage, waiting for the lock): the command layer prints them in the
    /// reader's language. Without one they go to `log` as warnings; the library never writes
    /// to the terminal itself.
    pub notify: Option<fn(&Note)>,
}

static OPTIONS: Mutex<Options> = Mutex::new(Options {
    allow_damaged: false,
    lock_timeout: None,
    notify: None,
});

/// Set once from the command line (`--allow-damaged-store`, `--lock-timeout`).
pub fn configure(o: Options) {
    if let Ok(mut g) = OPTIONS.lock() {
        *g = o;
    }
}

fn options() -> Options {
    OPTIONS.lock().map(|g| *g).unwrap_or_default()
}

/// A line of the store's for the user: a warning, or a note (waiting for the lock).
#[derive(Clone, Debug)]
pub enum Note {
    Warning(Text),
    Note(Text),
}

/// A message for the user, handed to the command layer (see `Options::notify`).
fn notify(line: Note) {
    match options().notify {
        Some(f) => f(&line),
        None => match line {
            Note::Warning(t) | Note::Note(t) => log::warn!("{t}"),
        },
    }
}

pub struct Store {
    root: PathBuf,
    /// The submission files checked against the manifest, once per commit.
    state: Mutex<Option<Arc<StoreState>>>,
    /// The summary of which member reports which metric (`reported.rs`), read with the
    /// state and forgotten with it.
    sums: Mutex<Option<Arc<reported::Sums>>>,
    /// `reported.json` as read ahead (`prefetch`), used by the first `sums`.
    prefetched: Mutex<Option<SummaryFile>>,
    /// Set while this process holds the lock: ingest reads the intact part of a damaged store
    /// (the damage was reported when the lock was taken).
    writing: AtomicBool,
    warned: AtomicBool,
}

/// Held while committing: two ingests at once serialise on it. It carries what the store
/// held when it was taken, which cannot change while it is held.
pub struct StoreLock {
    _file: File,
    hashes: HashMap<String, u64>,
    last_seq: u64,
    manifest: Manifest,
    /// Submissions of lost files (missing or damaged), by content hash: the same file
    /// ingested again is stored under its original sequence number.
    lost: HashMap<String, u64>,
    lost_files: HashSet<String>,
    /// Each lost file in words, as `describe` gives it: reported by ingest.
    damage: Vec<Text>,
    /// `reported.json` as this lock's commits keep it, from the first commit on: each
    /// commit adds its own rows' sums instead of reading the store's state again.
    summary: Option<reported::Running>,
    root: PathBuf,
}

impl Drop for StoreLock {
    /// The summary's last commits written before the lock is released.
    fn drop(&mut self) {
        if let Some(r) = &mut self.summary {
            r.settle(&self.root);
        }
        // A bureau's manifest and hash index (tens of thousands of entries): freed here they
        // kept a finished ingest waiting a fortieth of a second. The lock goes with this
        // thread.
        free_aside(
            self.hashes.len(),
            (
                std::mem::take(&mut self.manifest.files),
                std::mem::take(&mut self.hashes),
            ),
        );
    }
}

/// Frees `heavy`, of `entries` entries, on a thread of its own when they are tens of
/// thousands (a bureau's run's indexes), so that the work done does not wait for their
/// small frees; a few are freed here. Only memory is left to that thread.
pub fn free_aside<T: Send + 'static>(entries: usize, heavy: T) {
    if entries > 10_000 {
        // Detached; without a thread to be had, `spawn` has freed it here already.
        drop(std::thread::Builder::new().spawn(move || drop(heavy)));
    }
}

impl StoreLock {
    /// The store's lost files, each with the submissions it held (empty when sound).
    pub fn damage(&self) -> &[Text] {
        &self.damage
    }

    /// The sequence number of a stored submission with these contents.
    pub fn seq_of(&self, hash: &str) -> Option<u64> {
        self.hashes.get(hash).copied()
    }

    /// Each stored submission's file name and `member period` pairs, as the manifest
    /// records them (lost and forgotten files left out): which files hold a member-month,
    /// known without reading the submissions themselves.
    pub fn member_months(&self) -> impl Iterator<Item = (&str, &str)> {
        self.manifest
            .files
            .iter()
            .filter(|e| !self.lost_files.contains(&e.name) && e.origin != manifest::FORGOTTEN)
            .flat_map(|e| e.submissions.iter())
            .flat_map(|s| {
                s.member_months
                    .iter()
                    .map(move |m| (s.source_file.as_str(), m.as_str()))
            })
    }
}

/// For the kill tests: a pause of the milliseconds `var` names between two steps of a
/// commit or compaction, so that kills spread over them.
fn test_pause(var: &str) {
    if let Some(ms) = std::env::var_os(var).and_then(|v| v.to_str()?.parse::<u64>().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// Writes `bytes` to `dest` whole or not at all: into `tmp`, synced, renamed, folder synced.
pub(crate) fn write_atomic(tmp: &Path, dest: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = File::create(tmp).said(|| said!(Msg::CannotWrite, path = tmp.display()))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .said(|| said!(Msg::CannotWrite, path = tmp.display()))?;
    drop(f);
    fs::rename(tmp, dest).said(|| said!(Msg::CannotWrite, path = dest.display()))?;
    if let Some(dir) = dest.parent().and_then(|d| File::open(d).ok()) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// The schema file: a clear error for each way it can be unusable.
fn read_marker(root: &Path) -> Result<()> {
    let marker = root.join(MARKER);
    let fix = || said!(Msg::SchemaFix, version = SCHEMA_VERSION);
    let path = marker.display();
    let bytes =
        fs::read(&marker).map_err(|e| said!(Msg::SchemaUnreadable, path = path, why = e))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        bail!(said!(Msg::SchemaEmpty, path = path, fix => fix()));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| said!(Msg::SchemaNotText, path = path, fix => fix()))?;
    let v: toml::Value = toml::from_str(&text)
        .map_err(|e| said!(Msg::SchemaDamaged, path = path, why = e, fix => fix()))?;
    let Some(version) = v.get("schema_version").and_then(|x| x.as_integer()) else {
        bail!(said!(Msg::SchemaNoVersion, path = path, fix => fix()));
    };
    if !READS.iter().any(|&v| v as i64 == version) {
        bail!(said!(
            Msg::SchemaOther,
            root = root.display(),
            version = version,
            reads = SCHEMA_VERSION
        ));
    }
    Ok(())
}

/// The schema file at this version: whole or absent, even on a full disk (an empty schema
/// file breaks every command).
fn write_marker(root: &Path) -> Result<()> {
    let marker = root.join(MARKER);
    let tmp = root.join(format!("{MARKER}.{}.tmp", std::process::id()));
    let text = format!("# yilian store; see docs/store.md\nschema_version = {SCHEMA_VERSION}\n");
    write_atomic(&tmp, &marker, text.as_bytes()).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Whether a file in tmp/ is one of yilian's own temporary files (the only ones removed).
fn is_own_temp(name: &str) -> bool {
    name.strip_suffix(".tmp").is_some_and(|n| {
        manifest::parse_name(n).is_some() || n == manifest::MANIFEST || n == reported::REPORTED
    })
}

/// The error every command gives on a damaged store: each lost file with what it held.
fn damage_error(root: &Path, st: &StoreState) -> anyhow::Error {
    let files = st
        .lost()
        .map(|f| Text::Joined(vec!["\n  - ".into(), f.describe()], crate::i18n::Sep::None))
        .collect::<Vec<_>>();
    let files = Text::Joined(files, crate::i18n::Sep::None);
    anyhow::Error::new(StoreError::Damaged(said!(
        Msg::StoreIsDamaged,
        root = root.display(),
        files => files
    )))
}

/// Failures of the store that a batch job tells apart by their exit code (`exit::code_of`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A submission file is missing or unreadable.
    #[error("{0}")]
    Damaged(Text),
    /// `--lock-timeout` passed while another process held the lock; nothing was stored.
    #[error("{0}")]
    LockTimeout(Text),
}

impl StoreError {
    /// What is said, for the reader's language.
    pub fn text(&self) -> &Text {
        match self {
            StoreError::Damaged(t) | StoreError::LockTimeout(t) => t,
        }
    }
}

/// Takes the lock, waiting for another process if need be: said on stderr with its pid, and
/// given up after `timeout` (exit code LOCK_TIMEOUT).
fn wait_for_lock(file: &File, path: &Path, timeout: Option<Duration>) -> Result<()> {
    use std::fs::TryLockError;
    match file.try_lock() {
        Ok(()) => return Ok(()),
        Err(TryLockError::WouldBlock) => {}
        Err(TryLockError::Error(e)) => return Err(e).said(|| said!(Msg::StoreCannotLock)),
    }
    let pid = fs::read_to_string(path)
        .ok()
        .and_then(|t| t.trim().parse::<u32>().ok());
    let who = match pid {
        Some(p) => said!(Msg::LockHolder, pid = p),
        None => said!(Msg::LockHolderUnknown),
    };
    let store = path.parent().unwrap_or(path).display();
    notify(Note::Note(match timeout {
        None => said!(Msg::LockWaiting, who => who.clone(), store = store),
        Some(t) => said!(
            Msg::LockWaitingUpTo,
            who => who.clone(),
            store = store,
            secs = t.as_secs_f64()
        ),
    }));
    let Some(timeout) = timeout else {
        return file.lock().said(|| said!(Msg::StoreCannotLock));
    };
    let deadline = std::time::Instant::now() + timeout;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(e).said(|| said!(Msg::StoreCannotLock)),
        }
        if std::time::Instant::now() >= deadline {
            return Err(anyhow::Error::new(StoreError::LockTimeout(said!(
                Msg::LockGaveUp,
                secs = timeout.as_secs_f64(),
                who => who,
                store = store
            ))));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Moves a lost file out of submissions/ into damaged/ (kept, never deleted).
fn set_aside(root: &Path, name: &str) -> Result<()> {
    let from = root.join("submissions").join(name);
    if fs::symlink_metadata(&from).is_err() {
        return Ok(());
    }
    let dir = root.join("damaged");
    fs::create_dir_all(&dir).said(|| said!(Msg::CannotCreate, path = dir.display()))?;
    let mut to = dir.join(name);
    let mut n = 2;
    while to.exists() {
        to = dir.join(format!("{name}.{n}"));
        n += 1;
    }
    fs::rename(&from, &to).said(|| said!(Msg::CannotMove, from = from.display(), to = to.display()))
}

impl Store {
    /// Opens (creating if needed) the store at root.
    pub fn open(root: &Path) -> Result<Store> {
        fs::create_dir_all(root.join("submissions"))
            .said(|| said!(Msg::StoreCannotCreate, path = root.display()))?;
        if fs::symlink_metadata(root.join("tmp")).is_err() {
            fs::create_dir_all(root.join("tmp"))
                .said(|| said!(Msg::StoreCannotCreate, path = root.display()))?;
        }
        let marker = root.join(MARKER);
        if fs::symlink_metadata(&marker).is_ok() {
            read_marker(root)?;
        } else {
            write_marker(root)?;
        }
        Ok(Store {
            root: root.to_path_buf(),
            state: Mutex::new(None),
            sums: Mutex::new(None),
            prefetched: Mutex::new(None),
            writing: AtomicBool::new(false),
            warned: AtomicBool::new(false),
        })
    }

    /// Opens an existing store for reading; a missing store is an error telling what to do.
    pub fn open_existing(root: &Path) -> Result<Store> {
        if !root.join("submissions").is_dir() {
            bail!(said!(Msg::NoStoreAt, root = root.display()));
        }
        Store::open(root)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `reported.json` read ahead of the first question (on another thread, beside the
    /// manifest): its sums are checked against the store's files when first used, as when
    /// read then.
    pub fn prefetch(&self, summary: SummaryFile) {
        if let Ok(mut g) = self.prefetched.lock() {
            *g = Some(summary);
        }
    }

    /// The submission files checked against the manifest (size, Parquet marks and footer).
    pub fn state(&self) -> Result<Arc<StoreState>> {
        let mut g = self
            .state
            .lock()
            .map_err(|_| anyhow::Error::new(crate::i18n::internal("store state poisoned")))?;
        if let Some(s) = &*g {
            return Ok(s.clone());
        }
        let s = Arc::new(manifest::check(&self.root, false, Depth::Files)?);
        *g = Some(s.clone());
        Ok(s)
    }

    /// The state with every file's submissions read (what the lock holds), kept as the state.
    fn whole_state(&self) -> Result<Arc<StoreState>> {
        let s = Arc::new(manifest::check(&self.root, false, Depth::Submissions)?);
        if let Ok(mut g) = self.state.lock() {
            *g = Some(s.clone());
        }
        Ok(s)
    }

    /// The whole check of `yilian store verify`: every recorded file hashed, the others decoded.
    pub fn verify(&self) -> Result<StoreState> {
        manifest::check(&self.root, true, Depth::Submissions)
    }

    fn forget_state(&self) {
        if let Ok(mut g) = self.state.lock() {
            *g = None;
        }
        if let Ok(mut g) = self.sums.lock() {
            *g = None;
        }
    }

    /// The files to read: all of them, or the intact ones when a damaged store may be read
    /// (`--allow-damaged-store`, said loudly on stderr; or while ingesting).
    fn readable_files(&self) -> Result<Vec<PathBuf>> {
        Ok(self.readable()?.intact_paths())
    }

    /// The store's state, once it may be read (`readable_files`).
    fn readable(&self) -> Result<Arc<StoreState>> {
        let st = self.state()?;
        if !self.warned.swap(true, Ordering::Relaxed) {
            for n in &st.notes {
                notify(Note::Warning(n.clone()));
            }
        }
        if !st.is_sound() && !self.writing.load(Ordering::Relaxed) {
            if !options().allow_damaged {
                return Err(damage_error(&self.root, &st));
            }
            self.warn_left_out(&st);
        }
        Ok(st)
    }

    fn warn_left_out(&self, st: &StoreState) {
        static SAID: AtomicBool = AtomicBool::new(false);
        if SAID.swap(true, Ordering::Relaxed) {
            return;
        }
        notify(Note::Warning(said!(
            Msg::StoreDamagedLeftOut,
            root = self.root.display()
        )));
        for f in st.lost() {
            notify(Note::Warning(Text::Joined(
                vec!["  ".into(), f.describe()],
                crate::i18n::Sep::None,
            )));
            if !f.member_months.is_empty() {
                notify(Note::Warning(said!(
                    Msg::StoreLostMonths,
                    months = f.member_months.join(", ")
                )));
            }
        }
    }

    /// Takes the store's lock (saying so while another process holds it) and reads which
    /// submissions it holds. The manifest is brought up to date with files it does not know.
    pub fn lock(&self) -> Result<StoreLock> {
        let tmp = self.root.join("tmp");
        match fs::symlink_metadata(&tmp) {
            Ok(m) if m.file_type().is_symlink() => bail!(said!(
                Msg::TmpIsLink,
                tmp = tmp.display(),
                target = fs::read_link(&tmp)
                    .map(|t| t.display().to_string())
                    .unwrap_or_else(|_| "?".into())
            )),
            Ok(m) if !m.is_dir() => bail!(said!(Msg::TmpNotFolder, tmp = tmp.display())),
            Ok(_) => {}
            Err(_) => {
                fs::create_dir_all(&tmp).said(|| said!(Msg::CannotCreate, path = tmp.display()))?
            }
        }
        let lock_path = self.root.join(".lock");
        let mut file = File::options()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&lock_path)
            .said(|| said!(Msg::StoreCannotLock))?;
        wait_for_lock(&file, &lock_path, options().lock_timeout)?;
        // Who holds it, for the next process that has to wait.
        let _ = file
            .set_len(0)
            .and_then(|_| file.write_all(format!("{}\n", std::process::id()).as_bytes()));
        // Leftovers of a crashed writer: nobody else writes while we hold the lock. Only
        // yilian's own temporary files, never through a link.
        if let Ok(entries) = fs::read_dir(&tmp) {
            for e in entries.flatten() {
                let own = e.file_name().to_str().is_some_and(is_own_temp);
                if own && e.file_type().is_ok_and(|t| t.is_file()) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        // A writer needs the submissions recorded (their hashes find duplicates).
        let st = self.whole_state()?;
        let mut manifest = st.manifest().unwrap_or_else(Manifest::new);
        // No manifest yet for files already there, or a journal line cut short: written whole.
        let mut changed = (st.version.is_none() && !st.files.is_empty()) || st.read.torn;
        for f in st.files.iter().filter(|f| f.entry.is_none()) {
            if f.status == FileStatus::Superseded {
                // An interrupted compaction's leftover: every submission it holds is in a
                // whole recorded file. Nobody reads it; we hold the lock.
                fs::remove_file(&f.path)
                    .said(|| said!(Msg::StoreCannotRemoveLeftover, path = f.path.display()))?;
                changed = true;
                continue;
            }
            changed = true;
            let entry = match f.status {
                FileStatus::Unrecorded => manifest::adopt(&f.path, &f.name)?,
                _ => FileEntry {
                    name: f.name.clone(),
                    seqs: f.seqs.clone(),
                    bytes: None,
                    rows: None,
                    sha256: None,
                    tail_sha256: None,
                    origin: if f.path.exists() { "adopted" } else { "gap" }.into(),
                    submissions: vec![],
                    periods: None,
                },
            };
            manifest.files.push(entry);
        }
        if changed {
            manifest.files.sort_by_key(|e| e.seqs.first().copied());
            manifest.write(&self.root)?;
        }
        let st = match changed {
            true => self.whole_state()?,
            false => st,
        };
        for f in st.lost() {
            notify(Note::Warning(said!(
                Msg::StoreDamagedIngest,
                file => f.describe()
            )));
        }
        let mut hashes = HashMap::new();
        let mut lost = HashMap::new();
        let mut lost_files = HashSet::new();
        for f in &st.files {
            let Some(e) = &f.entry else { continue };
            if f.is_lost() {
                lost_files.insert(e.name.clone());
            }
            for s in &e.submissions {
                if f.is_intact() {
                    hashes.insert(s.content_hash.clone(), s.seq);
                } else if f.is_lost() {
                    lost.insert(s.content_hash.clone(), s.seq);
                }
            }
        }
        self.writing.store(true, Ordering::Relaxed);
        Ok(StoreLock {
            _file: file,
            hashes,
            last_seq: st.last_seq(),
            manifest,
            lost,
            lost_files,
            damage: st.lost().map(|f| f.describe()).collect(),
            summary: None,
            root: self.root.clone(),
        })
    }

    /// Gives up a lost file (missing or damaged): its entry stays in the manifest, marked, so
    /// its sequence numbers are not reused, and the file, if any, is moved to `damaged/`.
    pub fn forget(&self, name: &str) -> Result<FileEntry> {
        let mut lock = self.lock()?;
        let st = self.state()?;
        let Some(f) = st.files.iter().find(|f| f.name == name) else {
            bail!(said!(Msg::ForgetNoSuchFile, name = name));
        };
        if !f.is_lost() {
            bail!(said!(
                Msg::ForgetNotLost,
                name = name,
                status = format!("{:?}", f.status)
            ));
        }
        let entry = lock
            .manifest
            .files
            .iter_mut()
            .find(|e| e.name == name)
            .ok_or_else(|| anyhow!("{name} is not in the manifest"))?;
        entry.origin = manifest::FORGOTTEN.into();
        let entry = entry.clone();
        set_aside(&self.root, name)?;
        lock.manifest.write(&self.root)?;
        self.forget_state();
        // Its rows are gone from every read: the summary is made again without them.
        self.update_reported(&lock);
        Ok(entry)
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
        // Each new submission takes the next number; one a lost file held (the same bytes
        // ingested again) takes its old number back, so corrections keep their order.
        let mut next = lock.last_seq + 1;
        let seqs: Vec<u64> = items
            .iter()
            .map(|(i, _)| match lock.lost.get(&i.content_hash) {
                Some(&s) => s,
                None => {
                    next += 1;
                    next - 1
                }
            })
            .collect();
        let restored: HashSet<u64> = items
            .iter()
            .filter_map(|(i, _)| lock.lost.get(&i.content_hash).copied())
            .collect();
        let started = std::time::Instant::now();
        // What the manifest records of each submission, taken before the rows are moved.
        let mut submissions: Vec<SubmissionEntry> = items
            .iter()
            .zip(&seqs)
            .map(|((info, rows), &seq)| {
                let months = member_months(rows);
                SubmissionEntry {
                    seq,
                    content_hash: info.content_hash.clone(),
                    source_file: info.source_file.clone(),
                    source_path: info.source_path.clone(),
                    member_months: months.iter().map(|(m, p)| format!("{m} {p}")).collect(),
                }
            })
            .collect();
        submissions.sort_by_key(|s| s.seq);
        // Rows go to the file by period, then by submission, each in its own order, with a
        // row group per period: a read of some months skips the other row groups by their
        // min/max statistics (docs/store.md, "Layout").
        let (infos, pieces) = by_period(items, &seqs);
        let sizes: Vec<usize> = pieces.iter().map(|p| p.rows.len()).collect();
        let periods: Vec<&str> = pieces.iter().map(|p| p.period.as_str()).collect();
        let mut held = pieces.iter().filter(|p| !p.rows.is_empty());
        let file_periods = held.next().map(|first| {
            let last = held.next_back().unwrap_or(first);
            (first.period.clone(), last.period.clone())
        });
        // Which member reports which metric, for `reported.json`.
        let reported = reported::sums_of_rows(pieces.iter().flat_map(|p| p.rows.iter()));
        let groups = {
            let subs: Vec<(u64, &SubmissionInfo, &[Row])> = pieces
                .iter()
                .map(|p| (p.seq, &infos[p.item], p.rows.as_slice()))
                .collect();
            parquet::row_groups(&sizes, &periods)
                .into_iter()
                .map(|g| schema::columns(&subs[g]))
                .collect::<Result<Vec<_>>>()?
        };
        let framed = started.elapsed();
        let rows_total: usize = sizes.iter().sum();
        let (first, last) = (
            seqs.iter().copied().min().unwrap_or(0),
            seqs.iter().copied().max().unwrap_or(0),
        );
        let mut name = format!("{first:06}-{last:06}.parquet");
        let mut n = 2;
        while self.root.join("submissions").join(&name).exists()
            || lock.manifest.files.iter().any(|e| e.name == name)
        {
            name = format!("{first:06}-{last:06}-{n}.parquet");
            n += 1;
        }
        let tmp = self.root.join("tmp").join(format!("{name}.tmp"));
        // The columns hold their own copy: the rows (hundreds of thousands of small strings)
        // are freed on another thread while the file is written and synced.
        let (written, bytes, sha256) =
            std::thread::scope(|scope| -> Result<(std::time::Duration, u64, String)> {
                // Freed on the worker threads that allocated them (mimalloc's fast path).
                scope.spawn(move || {
                    use rayon::prelude::*;
                    pieces.into_par_iter().for_each(drop);
                });
                let file =
                    File::create(&tmp).said(|| said!(Msg::CannotWrite, path = tmp.display()))?;
                // Buffered: the writer emits each page header and page as its own small write.
                // Hashed as written, for `store verify`.
                let mut out = std::io::BufWriter::with_capacity(1 << 20, Hashing::new(file));
                parquet::write(&mut out, COLUMNS, groups)
                    .said(|| said!(Msg::StoreCannotWriteParquet))?;
                let hashing = out.into_inner().map_err(|e| e.into_error())?;
                let written = started.elapsed();
                hashing.file.sync_all()?;
                use sha2::Digest;
                Ok((
                    written,
                    hashing.bytes,
                    format!("{:x}", hashing.hash.finalize()),
                ))
            })?;
        log::debug!(
            "commit: frame {:.3}s, Parquet {:.3}s, sync {:.3}s",
            framed.as_secs_f64(),
            (written - framed).as_secs_f64(),
            (started.elapsed() - written).as_secs_f64()
        );
        if std::env::var_os("YILIAN_TEST_CRASH_BEFORE_RENAME").is_some() {
            // Fault injection for the interrupted-write test: die with the batch half-committed.
            std::process::abort();
        }
        let pause = || test_pause("YILIAN_TEST_COMMIT_PAUSE_MS");
        pause();
        let dest = self.root.join("submissions").join(&name);
        fs::rename(&tmp, &dest).said(|| said!(Msg::StoreCannotMoveIn, path = tmp.display()))?;
        if let Ok(dir) = File::open(self.root.join("submissions")) {
            let _ = dir.sync_all();
        }
        for s in &submissions {
            lock.hashes.insert(s.content_hash.clone(), s.seq);
            lock.lost.remove(&s.content_hash);
        }
        lock.last_seq = lock.last_seq.max(last);
        let mut sorted = seqs.clone();
        sorted.sort();
        let entry = FileEntry {
            name: name.clone(),
            seqs: sorted,
            bytes: Some(bytes),
            rows: Some(rows_total as u64),
            sha256: Some(sha256),
            tail_sha256: File::open(&dest)
                .and_then(|mut f| manifest::tail_sha256(&mut f))
                .ok(),
            origin: "commit".into(),
            submissions,
            periods: file_periods,
        };
        pause();
        let key = reported::entry_key(&entry);
        let mut emptied = Vec::new();
        // The batch is in the store now: a manifest not written is rebuilt by the next ingest
        // (it adopts the file).
        let recorded = match restored.is_empty() {
            // A new file alone: one line of the journal.
            true => lock.manifest.add(&self.root, entry),
            // Restored submissions leave the lost file's entry; a lost file of which nothing
            // is left is set aside in damaged/: the manifest is written whole.
            false => {
                lock.manifest.files.push(entry);
                for e in lock
                    .manifest
                    .files
                    .iter_mut()
                    .filter(|e| lock.lost_files.contains(&e.name))
                {
                    e.seqs.retain(|s| !restored.contains(s));
                    e.submissions.retain(|s| !restored.contains(&s.seq));
                    if e.seqs.is_empty() {
                        emptied.push(e.name.clone());
                    }
                }
                lock.manifest.files.retain(|e| !emptied.contains(&e.name));
                lock.manifest.files.sort_by_key(|e| e.seqs.first().copied());
                lock.manifest.write(&self.root)
            }
        };
        if let Err(e) = recorded {
            notify(Note::Warning(said!(
                Msg::ManifestNotWritten,
                why = format!("{e:#}")
            )));
        }
        for name in emptied {
            if let Err(e) = set_aside(&self.root, &name) {
                notify(Note::Warning(Text::from(format!("{e:#}"))));
            }
        }
        self.forget_state();
        pause();
        if std::env::var_os("YILIAN_TEST_CRASH_BEFORE_SUMMARY").is_some() {
            // Fault injection: the batch is committed, `reported.json` does not cover it yet.
            std::process::abort();
        }
        self.add_to_reported(lock, &name, key, reported);
        Ok(seqs)
    }

    /// Every stored row of every submission (history included), as stored: for tests and
    /// tools that look at the Parquet columns.
    pub fn scan_all(&self) -> Result<LazyFrame> {
        // A filter of every period makes one run of every file.
        let mut runs = self.scan_runs(&Filter::all())?;
        Ok(runs.swap_remove(0).0)
    }

    /// The stored rows of the files that may hold the filter's periods (by the periods the
    /// manifest records of each file), unfiltered: `read.rs` applies the filter lazily, so
    /// polars reads only the columns used and skips row groups by their statistics. In runs
    /// of files (in their order; at least one run), each with whether every period of its
    /// files lies within the filter's first and last: the manifest records each file's first
    /// and last (its rows' least and greatest period text), so such a file's rows need no
    /// test of their period against the range (polars compares each row's text, then decodes
    /// the other columns through the test's mask: 5% of `indicators --window ytd`). A file
    /// without recorded periods, or any file when every period is asked for: `false`.
    pub(crate) fn scan_runs(&self, filter: &Filter) -> Result<Vec<(LazyFrame, bool)>> {
        let (st, wanted) = self.files_of(filter)?;
        let bounds = filter.period_bounds();
        let mut runs: Vec<(Vec<PathBuf>, bool)> = Vec::new();
        for i in wanted {
            let f = &st.files[i];
            let inside = match (&bounds, f.entry.as_ref().and_then(|e| e.periods.as_ref())) {
                (Some((a, b)), Some((first, last))) => a <= first && last <= b,
                _ => false,
            };
            match runs.last_mut() {
                Some((paths, was)) if *was == inside => paths.push(f.path.clone()),
                _ => runs.push((vec![f.path.clone()], inside)),
            }
        }
        if runs.is_empty() {
            return Ok(vec![(schema::empty_frame().lazy(), false)]);
        }
        runs.into_iter()
            .map(|(paths, inside)| {
                let lf = LazyFrame::scan_parquet_files(paths.into(), ScanArgsParquet::default())
                    .said(|| said!(Msg::StoreUnreadable))?;
                Ok((lf, inside))
            })
            .collect()
    }

    /// The readable files that may hold rows of the filter's periods (the manifest records
    /// each file's first and last period; a file without them is always read).
    #[cfg(test)]
    pub(crate) fn files_for(&self, filter: &Filter) -> Result<Vec<PathBuf>> {
        let (st, wanted) = self.files_of(filter)?;
        Ok(wanted
            .into_iter()
            .map(|i| st.files[i].path.clone())
            .collect())
    }

    /// What the rows of the months up to `through` are read from: each file that may hold one
    /// of them, a line each (name, state, size, the hash of its footer, its submissions).
    /// A result derived from those months alone holds while this text is the same: a file
    /// of later months leaves it as it was; a correction of one of them, a lost or compacted
    /// file, does not.
    pub fn sources_through(&self, through: crate::model::period::Period) -> Result<String> {
        let st = self.readable()?;
        let last = through.to_string();
        let mut out = String::new();
        for f in &st.files {
            if f.entry.as_ref().is_some_and(|e| !e.may_hold("", &last)) {
                continue;
            }
            let footer = f.entry.as_ref().and_then(|e| e.tail_sha256.as_deref());
            // Its submissions as runs (`1–27780`): a file's list in full was a bureau's
            // tens of thousands of numbers written out for each month asked.
            out.push_str(&format!(
                "{} {:?} {:?} {} {}\n",
                f.name,
                f.status,
                f.bytes,
                footer.unwrap_or("-"),
                manifest::seq_ranges(&f.seqs)
            ));
        }
        Ok(out)
    }

    /// Where results derived from the store are kept for later commands (`check::cache`):
    /// never the submissions themselves, and safe to delete.
    pub fn cache_dir(&self) -> PathBuf {
        self.root.join("cache")
    }

    /// `files_for` as the state and the positions of its files.
    pub(crate) fn files_of(&self, filter: &Filter) -> Result<(Arc<StoreState>, Vec<usize>)> {
        let st = self.readable()?;
        let bounds = filter.period_bounds();
        let wanted = st
            .files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_intact())
            .filter(|(_, f)| match (&bounds, &f.entry) {
                (Some((a, b)), Some(e)) => e.may_hold(a, b),
                _ => true,
            })
            .map(|(i, _)| i)
            .collect();
        Ok((st, wanted))
    }

    /// The values in use as a frame (for tests and tools that read the store's columns):
    /// the rows `in_use` reads, every column.
    pub fn effective(&self) -> Result<LazyFrame> {
        let all = self
            .scan_all()?
            .collect()
            .said(|| said!(Msg::StoreUnreadable))?;
        Ok(read::newest(all)?.lazy())
    }
}

/// The rows of one submission for one period.
struct Piece {
    period: String,
    seq: u64,
    /// Index of the submission's facts.
    item: usize,
    rows: Vec<Row>,
}

/// Splits submissions into their periods' rows (in the order they came) and orders the
/// pieces by period, then sequence number: the order of a file's rows.
fn by_period(
    items: Vec<(SubmissionInfo, Vec<Row>)>,
    seqs: &[u64],
) -> (Vec<SubmissionInfo>, Vec<Piece>) {
    let mut infos = Vec::with_capacity(items.len());
    let mut pieces = Vec::with_capacity(items.len());
    for (i, ((info, rows), &seq)) in items.into_iter().zip(seqs).enumerate() {
        infos.push(info);
        let single = rows.windows(2).all(|w| {
            Arc::ptr_eq(&w[0].whose, &w[1].whose) || w[0].whose.period == w[1].whose.period
        });
        if single {
            let period = rows
                .first()
                .map(|r| r.whose.period.to_string())
                .unwrap_or_default();
            pieces.push(Piece {
                period,
                seq,
                item: i,
                rows,
            });
            continue;
        }
        // A form of several months: a piece per month, each keeping the rows' order.
        let mut by: std::collections::BTreeMap<Arc<str>, Vec<Row>> = Default::default();
        for r in rows {
            by.entry(r.whose.period.clone()).or_default().push(r);
        }
        for (p, rows) in by {
            pieces.push(Piece {
                period: p.to_string(),
                seq,
                item: i,
                rows,
            });
        }
    }
    // Stable: within a period, submissions keep their numbering order.
    pieces.sort_by(|a, b| (&a.period, a.seq).cmp(&(&b.period, b.seq)));
    (infos, pieces)
}

/// The distinct (member, month) pairs of a submission's rows (those of a named member). Its
/// rows come member-month by member-month, sharing their `Whose`: a pair is looked at once
/// per run of rows sharing it (told apart by address, without reading what it holds).
pub fn member_months(rows: &[Row]) -> BTreeSet<(&str, &str)> {
    let same = |a: &str, b: &str| std::ptr::eq(a, b) || a == b;
    let mut out = BTreeSet::new();
    let mut last: Option<(&str, &str)> = None;
    for run in rows.chunk_by(|a, b| Arc::ptr_eq(&a.whose, &b.whose)) {
        let w = &run[0].whose;
        if w.member.is_empty() {
            continue;
        }
        let (m, p) = (&*w.member, &*w.period);
        if !last.is_some_and(|(lm, lp)| same(lm, m) && same(lp, p)) {
            out.insert((m, p));
            last = Some((m, p));
        }
    }
    out
}

/// Counts and hashes the bytes written through it.
struct Hashing {
    file: File,
    hash: sha2::Sha256,
    bytes: u64,
}

impl Hashing {
    fn new(file: File) -> Hashing {
        use sha2::Digest;
        Hashing {
            file,
            hash: sha2::Sha256::new(),
            bytes: 0,
        }
    }
}

impl Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.file.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}
