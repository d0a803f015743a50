//! What the store holds (`manifest.json`, and the journal of the commits since it was
//! written whole), and the check of the submission files against it. A file that is
//! missing, emptied, truncated or overwritten is named with the submissions it held, instead
//! of surfacing later as a Parquet error with no path or as members who "did not submit".

use crate::i18n::{Msg, SaidContext, Text};
use crate::said;
use anyhow::Result;
use polars_parquet::parquet::metadata::FileMetadata;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const MANIFEST: &str = "manifest.json";
/// The journal's file names: `manifest-<generation>.jsonl`.
const JOURNAL_PREFIX: &str = "manifest-";
const JOURNAL_SUFFIX: &str = ".jsonl";
/// The origin of an entry given up with `yilian store forget`.
pub const FORGOTTEN: &str = "forgotten";
const MANIFEST_VERSION: u32 = 1;

/// The store's files. A commit appends its file's entry to the journal named by
/// `journal` (one JSON line, synced) instead of rewriting the whole manifest, which at a
/// bureau's scale is tens of megabytes; the manifest is written whole again (and the journal
/// started anew) once the journal has grown to half its size, and by every change other
/// than a new file. A line cut short by a crash is not read: its file is then one the
/// manifest does not know, adopted by the next writer as any such file is.
#[derive(Serialize, Deserialize, Clone, Debug, Default)]
pub struct Manifest {
    pub version: u32,
    /// The generation of the journal that goes with this manifest; None: no journal (a
    /// manifest written before the journal existed, whose next commit writes it whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<u64>,
    pub files: Vec<FileEntry>,
    /// What was read: sizes of the manifest and journal, and whether a line was cut short.
    #[serde(skip)]
    pub read: ReadInfo,
}

/// The sizes the journal's folding is decided on, and a line of it that could not be read.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ReadInfo {
    pub manifest_bytes: u64,
    pub journal_bytes: u64,
    pub torn: bool,
}

/// One Parquet file of `submissions/`, as committed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FileEntry {
    pub name: String,
    /// The sequence numbers of the submissions it holds, ascending.
    pub seqs: Vec<u64>,
    /// Size, rows and SHA-256 of the file as written; absent for a file that was already
    /// damaged or missing when the manifest first recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// SHA-256 of the last TAIL bytes (the footer, where every Parquet file differs): what
    /// every command checks, so a file overwritten with one of the same size is caught.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail_sha256: Option<String>,
    /// `commit`, `adopted` (found in submissions/ without an entry: a store written before
    /// the manifest, or a crash between the rename and the manifest), or `gap` (sequence
    /// numbers no file holds: a file deleted before the manifest existed), or `forgotten`
    /// (lost, and given up with `yilian store forget`).
    pub origin: String,
    #[serde(default)]
    pub submissions: Vec<SubmissionEntry>,
    /// The first and last period (`YYYY-MM`) of its rows: a read that asks for other months
    /// does not open the file. Absent for files recorded before it was kept (always read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<(String, String)>,
}

impl FileEntry {
    /// Whether the file may hold rows of periods `first..=last` (`YYYY-MM` texts).
    pub fn may_hold(&self, first: &str, last: &str) -> bool {
        match &self.periods {
            Some((a, b)) => a.as_str() <= last && first <= b.as_str(),
            None => true,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SubmissionEntry {
    pub seq: u64,
    pub content_hash: String,
    pub source_file: String,
    #[serde(default)]
    pub source_path: String,
    /// `member period` pairs the submission holds figures for.
    #[serde(default)]
    pub member_months: Vec<String>,
}

/// The manifest without each file's list of submissions: what a command that only reads
/// needs (at a bureau's scale the lists are most of the manifest's bytes). The lists are
/// left unparsed, not read into strings.
#[derive(Deserialize)]
struct Heads {
    version: u32,
    #[serde(default)]
    journal: Option<u64>,
    files: Vec<Head>,
}

/// A `FileEntry` without its `submissions`.
#[derive(Deserialize)]
struct Head {
    name: String,
    seqs: Vec<u64>,
    #[serde(default)]
    bytes: Option<u64>,
    #[serde(default)]
    rows: Option<u64>,
    #[serde(default)]
    sha256: Option<String>,
    #[serde(default)]
    tail_sha256: Option<String>,
    origin: String,
    #[serde(default)]
    periods: Option<(String, String)>,
}

/// The manifest's text without the files' lists of submissions (each `"submissions": [...]`
/// of a file entry written as `[]`), and the file's length, read a part at a time: the lists
/// are nearly all of a bureau's manifest (20 MB for 72,000 submissions), which a command that
/// only reads neither holds nor parses. `entry_depth`: the depth of a file entry's keys
/// (`MANIFEST_ENTRY_DEPTH`; 1 in a journal line, an entry alone). None when the text is not
/// as the store writes it (the caller then reads it whole, and says what is wrong).
fn heads_text(
    mut file: impl std::io::Read,
    entry_depth: u32,
) -> std::io::Result<Option<(Vec<u8>, u64)>> {
    const KEY: &[u8] = b"submissions";
    // The first bytes of a string at a file entry's depth: enough to tell KEY.
    fn track(key: &mut Vec<u8>, bytes: &[u8]) {
        let room = (KEY.len() + 1).saturating_sub(key.len());
        key.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1 << 18];
    let mut total = 0u64;
    // Outside strings: the depth of brackets.
    let mut depth = 0u32;
    let (mut in_string, mut escaped) = (false, false);
    let mut key: Vec<u8> = Vec::with_capacity(KEY.len() + 1);
    // Whether the last string at an entry's depth was KEY (a key, when a colon follows).
    let mut was_key = false;
    // Passing over a list: the depth its value is at, and whether its bracket was seen.
    let mut skipping: Option<(u32, bool)> = None;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        let chunk = &buf[..n];
        let keyed =
            |depth: u32, skipping: Option<(u32, bool)>| depth == entry_depth && skipping.is_none();
        let (mut i, mut copied) = (0, 0);
        while i < n {
            if in_string {
                if escaped {
                    // The byte after a backslash, whatever it is.
                    escaped = false;
                    if keyed(depth, skipping) {
                        track(&mut key, &chunk[i..=i]);
                    }
                    i += 1;
                    continue;
                }
                // To the next quote or backslash at once.
                let j = memchr::memchr2(b'"', b'\\', &chunk[i..]).map_or(n, |j| i + j);
                if keyed(depth, skipping) {
                    track(&mut key, &chunk[i..j]);
                }
                if j == n {
                    break;
                }
                if chunk[j] == b'\\' {
                    escaped = true;
                    if keyed(depth, skipping) {
                        track(&mut key, &chunk[j..=j]);
                    }
                } else {
                    in_string = false;
                    if keyed(depth, skipping) {
                        was_key = key == KEY;
                    }
                }
                i = j + 1;
                continue;
            }
            match chunk[i] {
                b'"' => {
                    in_string = true;
                    key.clear();
                }
                b'{' | b'[' => {
                    if let Some((at, started)) = &mut skipping {
                        if *at == depth {
                            *started = true;
                        }
                    }
                    depth += 1;
                }
                b'}' | b']' => {
                    depth = match depth.checked_sub(1) {
                        Some(d) => d,
                        None => return Ok(None),
                    };
                    match skipping {
                        Some((at, true)) if at == depth => {
                            // The list's last bracket: what follows is copied again.
                            skipping = None;
                            copied = i + 1;
                        }
                        Some((_, false)) => return Ok(None),
                        _ => {}
                    }
                }
                b':' if keyed(depth, skipping) && was_key => {
                    // Up to the colon, then an empty list in place of the value.
                    out.extend_from_slice(&chunk[copied..=i]);
                    out.extend_from_slice(b"[]");
                    skipping = Some((depth, false));
                    was_key = false;
                }
                b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => {
                    if matches!(skipping, Some((_, false))) {
                        // A value that is not a list: not as the store writes it.
                        return Ok(None);
                    }
                    was_key = false;
                }
            }
            i += 1;
        }
        if skipping.is_none() {
            out.extend_from_slice(&chunk[copied..n]);
        }
    }
    if depth != 0 || in_string || skipping.is_some() {
        return Ok(None);
    }
    Ok(Some((out, total)))
}

impl From<Head> for FileEntry {
    fn from(h: Head) -> FileEntry {
        FileEntry {
            name: h.name,
            seqs: h.seqs,
            bytes: h.bytes,
            rows: h.rows,
            sha256: h.sha256,
            tail_sha256: h.tail_sha256,
            origin: h.origin,
            submissions: vec![],
            periods: h.periods,
        }
    }
}

impl From<Heads> for Manifest {
    fn from(h: Heads) -> Manifest {
        Manifest {
            version: h.version,
            journal: h.journal,
            files: h.files.into_iter().map(FileEntry::from).collect(),
            read: ReadInfo::default(),
        }
    }
}

/// The depth of a file entry's keys in `manifest.json`: the manifest, its `files`, the entry.
const MANIFEST_ENTRY_DEPTH: u32 = 3;

fn journal_path(root: &Path, generation: u64) -> PathBuf {
    root.join(format!("{JOURNAL_PREFIX}{generation}{JOURNAL_SUFFIX}"))
}

/// One line of the journal, read to `depth`.
fn journal_entry(line: &[u8], depth: Depth) -> Option<FileEntry> {
    match depth {
        Depth::Submissions => serde_json::from_slice(line).ok(),
        // The line without its list of submissions (a line of a bureau's month is hundreds
        // of kilobytes of them); read whole if it is not as yilian writes it.
        Depth::Files => match heads_text(line, 1) {
            Ok(Some((text, _))) => serde_json::from_slice::<Head>(&text).ok(),
            _ => None,
        }
        .or_else(|| serde_json::from_slice::<Head>(line).ok())
        .map(FileEntry::from),
    }
}

/// How much of the manifest to read: the files alone, or with each file's submissions (what
/// a writer, `store verify` and the account of a lost file need).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Depth {
    Files,
    Submissions,
}

impl Manifest {
    /// Reads the manifest; `None` when there is none yet (a new store, or one written by a
    /// yilian before the manifest existed).
    pub fn read(root: &Path) -> Result<Option<Manifest>> {
        Manifest::read_to(root, Depth::Submissions)
    }

    /// `read`, the files' submissions left empty unless `depth` asks for them.
    pub fn read_to(root: &Path, depth: Depth) -> Result<Option<Manifest>> {
        let path = root.join(MANIFEST);
        if depth == Depth::Files {
            // The heads alone, the files' lists of submissions passed over as they are read.
            match fs::File::open(&path).map(|f| heads_text(f, MANIFEST_ENTRY_DEPTH)) {
                Ok(Ok(Some((text, bytes)))) => {
                    if let Ok(heads) = serde_json::from_slice::<Heads>(&text) {
                        let mut m: Manifest = heads.into();
                        if m.version <= MANIFEST_VERSION {
                            m.read.manifest_bytes = bytes;
                            if let Some(g) = m.journal {
                                m.read_journal(root, g, depth)?;
                            }
                            return Ok(Some(m));
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                // Anything unexpected (a newer manifest, damage, a read error): read whole,
                // which says what is wrong.
                _ => {}
            }
        }
        let text = match fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).said(|| said!(Msg::CannotRead, path = path.display())),
        };
        let damaged =
            |e: serde_json::Error| said!(Msg::ManifestDamaged, path = path.display(), why = e);
        let mut m: Manifest = match depth {
            Depth::Submissions => serde_json::from_slice(&text).map_err(damaged)?,
            Depth::Files => serde_json::from_slice::<Heads>(&text)
                .map_err(damaged)?
                .into(),
        };
        if m.version > MANIFEST_VERSION {
            anyhow::bail!(said!(
                Msg::ManifestNewer,
                path = path.display(),
                version = m.version
            ));
        }
        m.read.manifest_bytes = text.len() as u64;
        drop(text);
        if let Some(g) = m.journal {
            m.read_journal(root, g, depth)?;
        }
        Ok(Some(m))
    }

    /// Adds the entries of the journal of generation `g` that the manifest does not hold
    /// (a fold cut short leaves them in both). A line that does not read whole — the last
    /// one of a crashed append — is left out and noted (`read.torn`): its file is adopted.
    fn read_journal(&mut self, root: &Path, g: u64, depth: Depth) -> Result<()> {
        let path = journal_path(root, g);
        let text = match fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).said(|| said!(Msg::CannotRead, path = path.display())),
        };
        self.read.journal_bytes = text.len() as u64;
        let mut names: HashSet<String> = self.files.iter().map(|e| e.name.clone()).collect();
        let mut lines = text.split(|&b| b == b'\n').peekable();
        let mut added = false;
        while let Some(line) = lines.next() {
            // The piece after the last newline is a line whose end was not written.
            let whole = lines.peek().is_some();
            match (whole, journal_entry(line, depth)) {
                (_, None) if line.is_empty() && !whole => {}
                (true, Some(e)) => {
                    if names.insert(e.name.clone()) {
                        self.files.push(e);
                        added = true;
                    }
                }
                _ => self.read.torn = true,
            }
        }
        if added {
            self.files.sort_by_key(|e| e.seqs.first().copied());
        }
        Ok(())
    }

    /// Written whole or not at all: a temporary file in tmp/, synced, renamed over the old one.
    /// It names a new journal generation; the old journals are removed once it is in place
    /// (one left by a crash in between is named by no manifest, and never read).
    pub fn write(&mut self, root: &Path) -> Result<()> {
        let generation = next_generation(self.journal);
        let journal = journal_path(root, generation);
        if journal.exists() {
            fs::remove_file(&journal).said(|| said!(Msg::CannotWrite, path = journal.display()))?;
        }
        let before = self.journal.replace(generation);
        // Compact: a bureau's manifest lists every submission, and every command reads it.
        let written = serde_json::to_string(self)
            .map_err(anyhow::Error::from)
            .and_then(|text| {
                super::write_atomic(
                    &root.join("tmp").join(format!("{MANIFEST}.tmp")),
                    &root.join(MANIFEST),
                    text.as_bytes(),
                )?;
                Ok(text.len() as u64)
            });
        let bytes = match written {
            Ok(n) => n,
            Err(e) => {
                self.journal = before;
                return Err(e);
            }
        };
        self.read = ReadInfo {
            manifest_bytes: bytes,
            ..ReadInfo::default()
        };
        remove_journals(root, generation);
        Ok(())
    }

    /// Records a file just committed: one line appended to the journal and synced, or the
    /// manifest written whole when there is no journal yet, a line of it was cut short, or
    /// it has grown to half the manifest's size (`fold_due`: the bytes written over many
    /// commits stay proportional to what they add).
    pub fn add(&mut self, root: &Path, entry: FileEntry) -> Result<()> {
        let line = match (self.journal, self.read.torn) {
            (Some(g), false) => Some((g, serde_json::to_vec(&entry)?)),
            _ => None,
        };
        self.files.push(entry);
        self.files.sort_by_key(|e| e.seqs.first().copied());
        let Some((g, mut line)) = line else {
            log::debug!(
                "manifest written whole: journal {:?}, {:?}",
                self.journal,
                self.read
            );
            return self.write(root);
        };
        if fold_due(&self.read, line.len() as u64 + 1) {
            return self.write(root);
        }
        line.push(b'\n');
        let path = journal_path(root, g);
        let created = !path.exists();
        let appended = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| {
                use std::io::Write;
                f.write_all(&line)?;
                f.sync_data()?;
                // A new journal's name synced too, as a renamed file's is.
                if created {
                    File::open(root)?.sync_all()?;
                }
                Ok(())
            });
        match appended {
            Ok(()) => {
                self.read.journal_bytes += line.len() as u64;
                Ok(())
            }
            // A line perhaps half written: the next writer folds the journal.
            Err(e) => {
                self.read.torn = true;
                Err(e).said(|| said!(Msg::CannotWrite, path = path.display()))
            }
        }
    }

    pub fn new() -> Manifest {
        Manifest {
            version: MANIFEST_VERSION,
            ..Manifest::default()
        }
    }
}

/// The journal is folded into the manifest once it would hold half the manifest's bytes
/// (and at least `JOURNAL_MIN`: a small store's manifest is cheap to read with its journal).
fn fold_due(read: &ReadInfo, line: u64) -> bool {
    let journal = read.journal_bytes + line;
    journal > JOURNAL_MIN && 2 * journal > read.manifest_bytes
}
const JOURNAL_MIN: u64 = 256 << 10;

/// A generation no journal left on disk can have: above the last one, and above the clock
/// (a manifest written by an older yilian names none, though its journals may remain).
fn next_generation(last: Option<u64>) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    now.max(last.unwrap_or(0) + 1)
}

/// Removes the journals of every generation but `keep`.
fn remove_journals(root: &Path, keep: u64) {
    let Ok(entries) = fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(g) = name
            .to_str()
            .and_then(|n| n.strip_prefix(JOURNAL_PREFIX))
            .and_then(|n| n.strip_suffix(JOURNAL_SUFFIX))
            .and_then(|n| n.parse::<u64>().ok())
        else {
            continue;
        };
        if g != keep {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// The file name of a Parquet file holding submissions `first..=last`; `-N` when a
/// restoration file would take a name already used.
pub fn parse_name(name: &str) -> Option<(u64, u64)> {
    let stem = name.strip_suffix(".parquet")?;
    let mut parts = stem.split('-');
    let a = parts.next()?.parse().ok()?;
    let b = parts.next()?.parse().ok()?;
    match parts.next() {
        None => {}
        Some(n) if n.parse::<u32>().is_ok() && parts.next().is_none() => {}
        Some(_) => return None,
    }
    Some((a, b))
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    /// Whole, but not yet in the manifest (recorded by the next ingest).
    Unrecorded,
    Missing,
    Damaged,
    /// Lost and given up with `yilian store forget`: reported, no longer an error.
    Forgotten,
    /// Not in the manifest, and every submission it holds is in a whole file the manifest
    /// records: left by an interrupted `yilian store compact` (the new file before the
    /// manifest named it, or an old one after). Never read; removed by the next command that
    /// takes the lock.
    Superseded,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileState {
    pub name: String,
    pub path: PathBuf,
    pub seqs: Vec<u64>,
    pub status: Status,
    /// What is wrong, in words; empty when whole.
    pub problem: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// The files members sent, as recorded at commit (empty when not recorded), and the
    /// member-months it holds: for every file in the whole check (`store verify`), for lost
    /// files in a command's.
    pub sources: Vec<String>,
    pub member_months: Vec<String>,
    #[serde(skip)]
    pub entry: Option<FileEntry>,
    /// The Parquet footer read to check the file (None when it was not read: a file
    /// forgotten, missing, superseded or damaged): its row groups' statistics answer some
    /// questions without the file being opened again (`Store::last_ingested`).
    #[serde(skip)]
    pub footer: Option<Arc<FileMetadata>>,
}

impl FileState {
    pub fn is_intact(&self) -> bool {
        matches!(self.status, Status::Ok | Status::Unrecorded)
    }
    /// Damaged or missing with submissions not stored anywhere else.
    pub fn is_lost(&self) -> bool {
        matches!(self.status, Status::Missing | Status::Damaged)
    }

    /// `submissions/000002-000003.parquet is truncated (…): it held submissions 2–3 (a.xlsx, b.xlsx)`.
    pub fn describe(&self) -> Text {
        let sources = match self.sources.is_empty() {
            true => Text::default(),
            false => said!(Msg::LostFileSources, list => short_list(&self.sources, 6)),
        };
        said!(
            Msg::LostFile,
            name = self.name,
            problem => self.problem.clone(),
            seqs => seq_list(&self.seqs),
            sources => sources
        )
    }
}

/// `submission 3`, `submissions 2–5`, `submissions 1, 4–6`.
pub fn seq_list(seqs: &[u64]) -> Text {
    let msg = match seqs.len() {
        1 => Msg::SeqOne,
        _ => Msg::SeqMany,
    };
    said!(msg, list = seq_ranges(seqs))
}

/// `3`, `2–5`, `1, 4–6`.
pub fn seq_ranges(seqs: &[u64]) -> String {
    let mut ranges: Vec<(u64, u64)> = Vec::new();
    for &s in seqs {
        match ranges.last_mut() {
            Some(r) if r.1 + 1 == s => r.1 = s,
            _ => ranges.push((s, s)),
        }
    }
    let text: Vec<String> = ranges
        .iter()
        .map(|&(a, b)| match a == b {
            true => a.to_string(),
            false => format!("{a}–{b}"),
        })
        .collect();
    text.join(", ")
}

fn short_list(items: &[String], n: usize) -> Text {
    let list = Text::Joined(
        items
            .iter()
            .take(n)
            .map(|s| Text::from(s.as_str()))
            .collect(),
        crate::i18n::Sep::Comma,
    );
    match items.len() <= n {
        true => list,
        false => said!(Msg::AndMore, list => list, n = items.len() - n),
    }
}

/// The state of every submission file: the manifest's entries checked against the folder,
/// files the manifest does not know, and sequence numbers no file holds.
#[derive(Clone, Debug, Serialize)]
pub struct StoreState {
    pub files: Vec<FileState>,
    /// Problems of the store beside its files (a damaged manifest).
    pub notes: Vec<Text>,
    /// The manifest's version; None when there is none. Its entries are in `files`
    /// (`manifest` gives it whole).
    #[serde(skip)]
    pub version: Option<u32>,
    /// The manifest's journal generation and what was read of it.
    #[serde(skip)]
    pub journal: Option<u64>,
    #[serde(skip)]
    pub read: ReadInfo,
}

impl StoreState {
    pub fn lost(&self) -> impl Iterator<Item = &FileState> {
        self.files.iter().filter(|f| f.is_lost())
    }
    pub fn is_sound(&self) -> bool {
        self.lost().next().is_none()
    }
    pub fn intact_paths(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|f| f.is_intact())
            .map(|f| f.path.clone())
            .collect()
    }
    /// The manifest read, its entries in order of their first submission; None when there
    /// is none. With `Depth::Files` the entries' submissions are empty.
    pub fn manifest(&self) -> Option<Manifest> {
        Some(Manifest {
            version: self.version?,
            journal: self.journal,
            files: self.files.iter().filter_map(|f| f.entry.clone()).collect(),
            read: self.read,
        })
    }
    pub fn last_seq(&self) -> u64 {
        self.files
            .iter()
            .flat_map(|f| f.seqs.iter().copied())
            .max()
            .unwrap_or(0)
    }
}

/// Checks the files of `root/submissions` against the manifest. `deep` also hashes every
/// recorded file (SHA-256) and decodes the files the manifest has no hash for: what
/// `yilian store verify` does; commands do the quick check (size, Parquet marks, footer).
///
/// `depth`: how much of the manifest to read. A check that finds a file lost with only the
/// files read reads the submissions too, to name what the file held.
pub fn check(root: &Path, deep: bool, depth: Depth) -> Result<StoreState> {
    let st = check_to(root, deep, depth)?;
    match depth == Depth::Files && st.files.iter().any(|f| f.is_lost()) {
        true => check_to(root, deep, Depth::Submissions),
        false => Ok(st),
    }
}

fn check_to(root: &Path, deep: bool, depth: Depth) -> Result<StoreState> {
    let dir = root.join("submissions");
    let mut notes = Vec::new();
    let manifest = match Manifest::read_to(root, depth) {
        Ok(m) => m,
        Err(e) => {
            notes.push(match e.downcast::<Text>() {
                Ok(t) => t,
                Err(e) => Text::from(format!("{e:#}")),
            });
            None
        }
    };
    let mut on_disk: BTreeMap<String, PathBuf> = BTreeMap::new();
    for entry in fs::read_dir(&dir).said(|| said!(Msg::CannotReadFolder, path = dir.display()))? {
        let entry = entry.said(|| said!(Msg::CannotReadFolder, path = dir.display()))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if parse_name(&name).is_some() {
            on_disk.insert(name, entry.path());
        }
    }
    let mut files = Vec::new();
    // The entries move into the files' states.
    let version = manifest.as_ref().map(|m| m.version);
    let (journal, read) = manifest
        .as_ref()
        .map_or((None, ReadInfo::default()), |m| (m.journal, m.read));
    let entries = manifest.map(|m| m.files).unwrap_or_default();
    for e in entries {
        let path = dir.join(&e.name);
        let present = on_disk.remove(&e.name).is_some();
        let mut footer = None;
        let (status, problem) = if e.origin == FORGOTTEN {
            (Status::Forgotten, said!(Msg::ProblemForgotten))
        } else if !present {
            (Status::Missing, said!(Msg::ProblemMissing))
        } else {
            match check_file(&path, Some(&e), deep) {
                Ok(meta) => {
                    footer = Some(Arc::new(meta));
                    (Status::Ok, Text::default())
                }
                Err(p) => (Status::Damaged, p),
            }
        };
        // What a whole file holds is said only by `store verify` (`deep`): a command names
        // the files members sent, and the member-months, of lost files alone.
        let told = deep || !matches!(status, Status::Ok);
        let (sources, member_months) = match told {
            true => (
                e.submissions
                    .iter()
                    .map(|s| s.source_file.clone())
                    .collect(),
                e.submissions
                    .iter()
                    .flat_map(|s| s.member_months.iter().cloned())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            ),
            false => (vec![], vec![]),
        };
        files.push(FileState {
            name: e.name.clone(),
            path,
            seqs: e.seqs.clone(),
            status,
            problem,
            bytes: e.bytes,
            sources,
            member_months,
            entry: Some(e),
            footer,
        });
    }
    // Sequence numbers held by whole recorded files: a file the manifest does not know
    // whose every number is among them is a leftover of a compaction.
    let whole = sorted_seqs(files.iter().filter(|f| f.status == Status::Ok));
    // Files the manifest does not know: whole ones are adopted by the next ingest.
    for (name, path) in on_disk {
        let (a, b) = parse_name(&name).unwrap_or_default();
        let superseded = version.is_some() && (a..=b).all(|s| whole.binary_search(&s).is_ok());
        let mut footer = None;
        let (status, problem) = if superseded {
            (Status::Superseded, said!(Msg::ProblemSuperseded))
        } else {
            match check_file(&path, None, deep) {
                Ok(meta) => {
                    footer = Some(Arc::new(meta));
                    (Status::Unrecorded, Text::default())
                }
                Err(p) => (Status::Damaged, p),
            }
        };
        files.push(FileState {
            name,
            bytes: fs::metadata(&path).ok().map(|m| m.len()),
            path,
            seqs: (a..=b).collect(),
            status,
            problem,
            sources: vec![],
            member_months: vec![],
            entry: None,
            footer,
        });
    }
    // Sequence numbers no file holds: a file deleted before the manifest recorded it.
    let held = sorted_seqs(files.iter().filter(|f| f.status != Status::Superseded));
    for (a, b) in gaps(&held) {
        let name = format!("{a:06}-{b:06}.parquet");
        files.push(FileState {
            path: dir.join(&name),
            name,
            seqs: (a..=b).collect(),
            status: Status::Missing,
            problem: said!(Msg::ProblemGap),
            bytes: None,
            sources: vec![],
            member_months: vec![],
            entry: None,
            footer: None,
        });
    }
    files.sort_by(|a, b| {
        a.seqs
            .first()
            .cmp(&b.seqs.first())
            .then(a.name.cmp(&b.name))
    });
    Ok(StoreState {
        files,
        notes,
        version,
        journal,
        read,
    })
}

/// The sequence numbers of `files`, sorted, without repeats (a bureau's store holds tens of
/// thousands: a list searched is cheaper than a set hashed for every command).
fn sorted_seqs<'a>(files: impl Iterator<Item = &'a FileState>) -> Vec<u64> {
    let mut seqs: Vec<u64> = files.flat_map(|f| f.seqs.iter().copied()).collect();
    seqs.sort_unstable();
    seqs.dedup();
    seqs
}

/// The runs of numbers from 1 up to the last of `held` (sorted, without repeats) that it
/// lacks, as first and last.
fn gaps(held: &[u64]) -> Vec<(u64, u64)> {
    let mut below = 0;
    let mut runs = Vec::new();
    for &s in held {
        if s > below + 1 {
            runs.push((below + 1, s - 1));
        }
        below = below.max(s);
    }
    runs
}

/// Whether a submission file is whole, as far as can be told without reading it all
/// (`deep`: all of it): its footer when it is. The error is the problem in words, to follow
/// the file's name.
fn check_file(
    path: &Path,
    entry: Option<&FileEntry>,
    deep: bool,
) -> std::result::Result<FileMetadata, Text> {
    let mut f = File::open(path).map_err(|e| said!(Msg::ProblemCannotOpen, why = e))?;
    let len = f
        .metadata()
        .map_err(|e| said!(Msg::ProblemCannotRead, why = e))?
        .len();
    if let Some(want) = entry.and_then(|e| e.bytes) {
        if len == 0 {
            return Err(said!(Msg::ProblemEmptyWritten, want = want));
        }
        if len < want {
            return Err(said!(Msg::ProblemTruncated, len = len, want = want));
        }
        if len != want {
            return Err(said!(Msg::ProblemOverwritten, len = len, want = want));
        }
    } else if len == 0 {
        return Err(said!(Msg::ProblemEmpty));
    }
    let mut head = [0u8; 4];
    let mut tail = [0u8; 4];
    let marks = len >= 12
        && f.read_exact(&mut head).is_ok()
        && f.seek(SeekFrom::End(-4)).is_ok()
        && f.read_exact(&mut tail).is_ok()
        && &head == b"PAR1"
        && &tail == b"PAR1";
    if !marks {
        return Err(said!(Msg::ProblemNotParquet, len = len));
    }
    // `deep` hashes the whole file below instead.
    if let Some(want) = entry
        .and_then(|e| e.tail_sha256.as_deref())
        .filter(|_| !deep)
    {
        let got = tail_sha256(&mut f).map_err(|e| said!(Msg::ProblemCannotRead, why = e))?;
        if got != want {
            return Err(said!(Msg::ProblemFooterChanged));
        }
    }
    let _ = f.rewind();
    let meta = polars_parquet::read::read_metadata(&mut f)
        .map_err(|e| said!(Msg::ProblemFooterUnreadable, why = e))?;
    if let Some(rows) = entry.and_then(|e| e.rows) {
        if meta.num_rows as u64 != rows {
            return Err(said!(Msg::ProblemRows, rows = meta.num_rows, want = rows));
        }
    }
    if deep {
        match entry.and_then(|e| e.sha256.as_deref()) {
            Some(want) => {
                let got = sha256_file(path).map_err(|e| said!(Msg::ProblemCannotRead, why = e))?;
                if got != want {
                    return Err(said!(Msg::ProblemHashChanged));
                }
            }
            None => {
                use polars::prelude::{ParquetReader, SerReader};
                let f = File::open(path).map_err(|e| said!(Msg::ProblemCannotOpen, why = e))?;
                ParquetReader::new(f)
                    .finish()
                    .map_err(|e| said!(Msg::ProblemCannotDecode, why = e))?;
            }
        }
    }
    Ok(meta)
}

/// How much of a file's end `tail_sha256` covers.
const TAIL: u64 = 64 * 1024;

pub fn tail_sha256(f: &mut File) -> std::io::Result<String> {
    let len = f.metadata()?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(TAIL)))?;
    let mut h = Sha256::new();
    std::io::copy(&mut (&mut *f).take(TAIL), &mut h)?;
    Ok(format!("{:x}", h.finalize()))
}

pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(format!("{:x}", h.finalize()))
}

/// The manifest entry of a whole file the manifest does not know yet, from its contents.
pub fn adopt(path: &Path, name: &str) -> Result<FileEntry> {
    use polars::prelude::*;
    let bytes = fs::metadata(path)?.len();
    let sha256 = sha256_file(path)?;
    let tail = tail_sha256(&mut File::open(path)?)?;
    let df = ParquetReader::new(File::open(path)?)
        .with_columns(Some(vec![
            "seq".into(),
            "content_hash".into(),
            "source_file".into(),
            "source_path".into(),
            "member".into(),
            "period".into(),
        ]))
        .finish()
        .said(|| said!(Msg::CannotRead, path = path.display()))?;
    let rows = df.height() as u64;
    let periods = {
        let p = df.column("period")?.str()?;
        p.into_iter()
            .flatten()
            .min()
            .zip(p.into_iter().flatten().max())
            .map(|(a, b)| (a.to_string(), b.to_string()))
    };
    let seq = df.column("seq")?.cast(&DataType::Int64)?;
    let seq = seq.i64()?;
    let text = |n: &str| -> Result<StringChunked> { Ok(df.column(n)?.str()?.clone()) };
    let (h, f, p, m, per) = (
        text("content_hash")?,
        text("source_file")?,
        text("source_path")?,
        text("member")?,
        text("period")?,
    );
    let mut subs: BTreeMap<u64, SubmissionEntry> = BTreeMap::new();
    let mut months: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for i in 0..df.height() {
        let Some(s) = seq.get(i) else { continue };
        let s = s as u64;
        subs.entry(s).or_insert_with(|| SubmissionEntry {
            seq: s,
            content_hash: h.get(i).unwrap_or("").to_string(),
            source_file: f.get(i).unwrap_or("").to_string(),
            source_path: p.get(i).unwrap_or("").to_string(),
            member_months: vec![],
        });
        if let (Some(m), Some(per)) = (m.get(i), per.get(i)) {
            if !m.is_empty() {
                months.entry(s).or_default().insert(format!("{m} {per}"));
            }
        }
    }
    for (s, mm) in months {
        if let Some(e) = subs.get_mut(&s) {
            e.member_months = mm.into_iter().collect();
        }
    }
    let seqs: Vec<u64> = subs.keys().copied().collect();
    let seqs = if seqs.is_empty() {
        // A file of no rows still occupies its sequence numbers.
        let (a, b) = parse_name(name).unwrap_or_default();
        (a..=b).collect()
    } else {
        seqs
    };
    Ok(FileEntry {
        name: name.to_string(),
        seqs,
        bytes: Some(bytes),
        rows: Some(rows),
        sha256: Some(sha256),
        tail_sha256: Some(tail),
        origin: "adopted".into(),
        submissions: subs.into_values().collect(),
        periods,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs missing before the first number, between numbers and none after the last;
    /// neighbours make no run.
    #[test]
    fn gaps_are_the_runs_of_numbers_no_file_holds() {
        assert_eq!(gaps(&[]), vec![]);
        assert_eq!(gaps(&[1, 2, 3]), vec![]);
        assert_eq!(gaps(&[3, 4]), vec![(1, 2)]);
        assert_eq!(gaps(&[1, 2, 5, 6, 8, 20]), vec![(3, 4), (7, 7), (9, 19)]);
        assert_eq!(gaps(&[2]), vec![(1, 1)]);
        assert_eq!(gaps(&[0, 1, 3]), vec![(2, 2)]);
    }

    #[test]
    fn names_and_sequence_lists() {
        assert_eq!(parse_name("000002-000005.parquet"), Some((2, 5)));
        assert_eq!(parse_name("000002-000005-2.parquet"), Some((2, 5)));
        assert_eq!(parse_name("000002-000005.parquet.tmp"), None);
        assert_eq!(parse_name("notes-x.parquet"), None);
        assert_eq!(seq_list(&[3]).to_string(), "submission 3");
        assert_eq!(
            seq_list(&[1, 4, 5, 6, 9]).to_string(),
            "submissions 1, 4–6, 9"
        );
        assert_eq!(
            seq_list(&[1, 4, 5]).in_lang(crate::i18n::Lang::Zh),
            "第 1, 4–5 号报送"
        );
    }

    /// The files alone read as the whole manifest with the submissions' lists left empty;
    /// a manifest written pretty (before it was written compact) reads the same.
    #[test]
    fn the_files_alone_are_the_entries_without_their_submissions() {
        let dir = tempfile::tempdir().unwrap();
        let sub = SubmissionEntry {
            seq: 1,
            content_hash: "ab".into(),
            source_file: "县医院.xlsx".into(),
            source_path: "inbox/县医院.xlsx".into(),
            member_months: vec!["county 2024-01".into()],
        };
        let entry = FileEntry {
            name: "000001-000001.parquet".into(),
            seqs: vec![1],
            bytes: Some(10),
            rows: Some(2),
            sha256: Some("cd".into()),
            tail_sha256: Some("ef".into()),
            origin: "commit".into(),
            submissions: vec![sub],
            periods: Some(("2024-01".into(), "2024-01".into())),
        };
        let mut m = Manifest::new();
        m.files.push(entry.clone());
        fs::create_dir_all(dir.path().join("tmp")).unwrap();
        m.write(dir.path()).unwrap();
        for pretty in [false, true] {
            if pretty {
                let text = serde_json::to_string_pretty(&m).unwrap();
                fs::write(dir.path().join(MANIFEST), text).unwrap();
            }
            let whole = Manifest::read(dir.path()).unwrap().unwrap();
            assert_eq!(whole.files, vec![entry.clone()]);
            let files = Manifest::read_to(dir.path(), Depth::Files)
                .unwrap()
                .unwrap();
            let bare = FileEntry {
                submissions: vec![],
                ..entry.clone()
            };
            assert_eq!(files.version, MANIFEST_VERSION);
            assert_eq!(files.files, vec![bare]);
        }
    }

    /// Reads a few bytes at a time: every place a part of the text can end.
    struct Trickle<'a>(&'a [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.1 = self.1 % 7 + 1;
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_heads_text_passes_over_the_lists_whatever_their_strings_hold() {
        let mut m = Manifest::new();
        for seq in 1..4 {
            let mut e = entry(seq, 3);
            // Texts a list may hold: brackets, quotes, backslashes, the key itself.
            e.submissions[0].source_path = r#"in]box\"submissions":[{"x\"#.into();
            e.submissions[1].source_file = "\"submissions\": [] ] } 县医院\\".into();
            e.name = format!("{seq}[\"a\"]\\.parquet");
            m.files.push(e);
        }
        for text in [
            serde_json::to_vec(&m).unwrap(),
            serde_json::to_vec_pretty(&m).unwrap(),
        ] {
            let want: Vec<FileEntry> = m
                .files
                .iter()
                .map(|f| FileEntry {
                    submissions: vec![],
                    ..f.clone()
                })
                .collect();
            for reader in [
                Box::new(Trickle(&text, 0)) as Box<dyn std::io::Read>,
                Box::new(&text[..]),
            ] {
                let (heads, bytes) = heads_text(reader, MANIFEST_ENTRY_DEPTH).unwrap().unwrap();
                assert_eq!(bytes, text.len() as u64);
                let heads: Manifest = serde_json::from_slice::<Heads>(&heads).unwrap().into();
                assert_eq!(heads.files, want);
            }
        }
        // A journal's line is an entry alone: its keys at depth 1.
        for e in &m.files {
            let line = serde_json::to_vec(e).unwrap();
            let (text, _) = heads_text(Trickle(&line, 0), 1).unwrap().unwrap();
            let head: FileEntry = serde_json::from_slice::<Head>(&text).unwrap().into();
            assert_eq!(head.submissions, vec![]);
            assert_eq!(head.name, e.name);
            assert_eq!(journal_entry(&line, Depth::Files), Some(head));
        }
        // Not as the store writes it: left to the whole read.
        for odd in [
            &br#"{"files":[{"submissions":null}]}"#[..],
            br#"{"files":[{"submissions":[}]}"#,
            br#"{"files":[{"name":"a}"#,
            br#"]"#,
        ] {
            assert_eq!(
                heads_text(odd, MANIFEST_ENTRY_DEPTH).unwrap(),
                None,
                "{}",
                String::from_utf8_lossy(odd)
            );
        }
    }

    /// A file entry numbered `seq`, with `n` submissions (to make its journal line long).
    fn entry(seq: u64, n: usize) -> FileEntry {
        FileEntry {
            name: format!("{seq:06}-{seq:06}.parquet"),
            seqs: vec![seq],
            bytes: Some(10),
            rows: Some(2),
            sha256: Some("cd".into()),
            tail_sha256: Some("ef".into()),
            origin: "commit".into(),
            submissions: (0..n)
                .map(|i| SubmissionEntry {
                    seq,
                    content_hash: format!("{seq}-{i}"),
                    source_file: "县医院.xlsx".into(),
                    source_path: "inbox/县医院.xlsx".into(),
                    member_months: vec!["county 2024-01".into()],
                })
                .collect(),
            periods: Some(("2024-01".into(), "2024-01".into())),
        }
    }

    /// A store folder with its tmp/, for the manifest alone.
    fn store_root() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("tmp")).unwrap();
        dir
    }

    fn journals(root: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(JOURNAL_PREFIX))
            .collect();
        v.sort();
        v
    }

    /// A commit appends a line to the journal, leaving manifest.json as it was; a read (to
    /// either depth) gives the manifest's entries and the journal's, in order.
    #[test]
    fn a_commit_is_a_line_of_the_journal_and_reads_as_an_entry() {
        let dir = store_root();
        let root = dir.path();
        let mut m = Manifest::new();
        // No journal yet: written whole, naming one.
        m.add(root, entry(1, 1)).unwrap();
        let g = m.journal.expect("a generation");
        let whole = fs::read(root.join(MANIFEST)).unwrap();
        m.add(root, entry(2, 1)).unwrap();
        m.add(root, entry(3, 2)).unwrap();
        assert_eq!(fs::read(root.join(MANIFEST)).unwrap(), whole);
        assert_eq!(journals(root), vec![format!("manifest-{g}.jsonl")]);
        let text = fs::read_to_string(journal_path(root, g)).unwrap();
        assert_eq!(text.lines().count(), 2);
        let read = Manifest::read(root).unwrap().unwrap();
        assert_eq!(read.files, vec![entry(1, 1), entry(2, 1), entry(3, 2)]);
        assert_eq!(read.journal, Some(g));
        assert!(!read.read.torn);
        let files = Manifest::read_to(root, Depth::Files).unwrap().unwrap();
        let names: Vec<&str> = files.files.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "000001-000001.parquet",
                "000002-000002.parquet",
                "000003-000003.parquet"
            ]
        );
        assert!(files.files.iter().all(|e| e.submissions.is_empty()));
        // A manifest written whole starts a new journal and removes the old one.
        let mut again = read;
        again.write(root).unwrap();
        let g2 = again.journal.unwrap();
        assert!(g2 > g);
        assert!(journals(root).is_empty(), "{:?}", journals(root));
        assert_eq!(
            Manifest::read(root).unwrap().unwrap().files,
            vec![entry(1, 1), entry(2, 1), entry(3, 2)]
        );
    }

    /// The journal is folded into the manifest once it holds half the manifest's bytes (and
    /// more than the minimum), so the bytes written stay proportional to what is added.
    #[test]
    fn the_journal_is_folded_when_it_reaches_half_the_manifest() {
        let read = |m: u64, j: u64| ReadInfo {
            manifest_bytes: m,
            journal_bytes: j,
            torn: false,
        };
        assert!(!fold_due(&read(100, 0), 100));
        assert!(!fold_due(&read(10 << 20, 4 << 20), 1 << 20));
        assert!(fold_due(&read(10 << 20, 4 << 20), (1 << 20) + 1));
        assert!(fold_due(&read(300 << 10, 100 << 10), 200 << 10));
        // Many commits of one store: every entry is read back, and what was written in all
        // (manifest and journal lines) stays within a few times the final manifest.
        let dir = store_root();
        let root = dir.path();
        let mut m = Manifest::new();
        let mut written = 0u64;
        let mut folds = 0;
        for seq in 1..=400 {
            let before = m.journal;
            m.add(root, entry(seq, 20)).unwrap();
            if m.journal != before {
                folds += 1;
                written += m.read.manifest_bytes;
            } else {
                written += serde_json::to_vec(&entry(seq, 20)).unwrap().len() as u64 + 1;
            }
        }
        let read = Manifest::read(root).unwrap().unwrap();
        assert_eq!(read.files.len(), 400);
        assert_eq!(read.files, m.files);
        let last = fs::metadata(root.join(MANIFEST)).unwrap().len();
        assert!(folds > 2 && folds < 20, "{folds} folds");
        assert!(
            written < 5 * (last + read.read.journal_bytes),
            "{written} written, {last} last"
        );
    }

    /// A line cut short by a crash is left out and noted; the lines before it are read. A
    /// journal of another generation (left by a crash between a fold and its clean-up, or
    /// by an older yilian's manifest) is never read.
    #[test]
    fn a_torn_line_and_a_stale_journal_are_not_read() {
        let dir = store_root();
        let root = dir.path();
        let mut m = Manifest::new();
        m.add(root, entry(1, 1)).unwrap();
        m.add(root, entry(2, 1)).unwrap();
        let g = m.journal.unwrap();
        let line = serde_json::to_string(&entry(3, 1)).unwrap();
        let mut f = fs::OpenOptions::new()
            .append(true)
            .open(journal_path(root, g))
            .unwrap();
        use std::io::Write;
        f.write_all(&line.as_bytes()[..line.len() / 2]).unwrap();
        drop(f);
        for depth in [Depth::Files, Depth::Submissions] {
            let read = Manifest::read_to(root, depth).unwrap().unwrap();
            let names: Vec<&str> = read.files.iter().map(|e| e.name.as_str()).collect();
            assert_eq!(names, ["000001-000001.parquet", "000002-000002.parquet"]);
            assert!(read.read.torn);
        }
        // The next commit after a torn line writes the manifest whole.
        let mut read = Manifest::read(root).unwrap().unwrap();
        read.files.retain(|e| e.seqs != [3]);
        read.add(root, entry(4, 1)).unwrap();
        assert_ne!(read.journal, Some(g));
        assert!(journals(root).is_empty());
        // A journal no manifest names.
        fs::write(
            journal_path(root, g),
            format!("{}\n", serde_json::to_string(&entry(9, 1)).unwrap()),
        )
        .unwrap();
        let read = Manifest::read(root).unwrap().unwrap();
        let seqs: Vec<u64> = read.files.iter().map(|e| e.seqs[0]).collect();
        assert_eq!(seqs, [1, 2, 4]);
        // A manifest without a journal (written before it existed) reads as it is, and its
        // first commit writes it whole.
        let mut old: serde_json::Value =
            serde_json::from_slice(&fs::read(root.join(MANIFEST)).unwrap()).unwrap();
        old.as_object_mut().unwrap().remove("journal");
        fs::write(root.join(MANIFEST), old.to_string()).unwrap();
        let mut read = Manifest::read(root).unwrap().unwrap();
        assert_eq!(read.journal, None);
        assert_eq!(read.files.len(), 3);
        read.add(root, entry(5, 1)).unwrap();
        assert!(read.journal.is_some());
        let seqs: Vec<u64> = Manifest::read(root)
            .unwrap()
            .unwrap()
            .files
            .iter()
            .map(|e| e.seqs[0])
            .collect();
        assert_eq!(seqs, [1, 2, 4, 5]);
    }
}
