//! The ingest pipeline: find files, read and locate them in parallel, resolve members,
//! validate, and commit each accepted file to the store in path order.

use crate::catalog::Target;
use crate::config::Consortium;
use crate::i18n::{Lang, Msg, Text};
use crate::locate::{self, Located, Problem};
use crate::model::period::Period;
use crate::model::Fast;
use crate::read;
use crate::store::{Basis, Filter, Kind, Row, Store, StoreLock, SubmissionInfo, What, Whose};
use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Extensions read when walking a folder. A file named explicitly is read whatever its name.
const SPREADSHEET_EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xlsb", "xls", "xlt", "xltx", "ods", "csv", "tsv", "txt", "htm", "html", "et",
];

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub period: Option<Period>,
    pub add_unknown_members: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct Message {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    pub message: Text,
}

impl Message {
    fn of(sheet: Option<&str>, p: Problem) -> Message {
        Message {
            sheet: sheet.map(str::to_string),
            cell: p.cell,
            message: p.message,
        }
    }
    fn file(message: impl Into<Text>) -> Message {
        Message {
            sheet: None,
            cell: None,
            message: message.into(),
        }
    }
    /// `sheet `X` C7: message`, the place first as a user looks for it.
    pub fn located_text(&self) -> Text {
        let cell = self.cell.as_ref().map(|c| {
            if c.chars().next().is_some_and(|ch| ch.is_ascii_uppercase()) {
                c.clone()
            } else {
                format!("({c})")
            }
        });
        let what = self.message.clone();
        match (&self.sheet, cell) {
            (Some(sheet), Some(cell)) => {
                crate::said!(Msg::AtSheetCell, sheet = sheet, cell = cell, what => what)
            }
            (Some(sheet), None) => crate::said!(Msg::AtSheet, sheet = sheet, what => what),
            (None, Some(cell)) => crate::said!(Msg::AtCell, cell = cell, what => what),
            (None, None) => what,
        }
    }

    /// `located_text` in `lang`.
    pub fn located_in(&self, lang: Lang) -> String {
        self.located_text().in_lang(lang)
    }

    /// `located_in` English: logs and tests.
    pub fn located(&self) -> String {
        self.located_in(Lang::En)
    }
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Stored,
    Unchanged,
    Rejected,
    Skipped,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    pub path: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Said when the content is not what the extension claims (an HTML table named .xls).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    pub sheets: Vec<SheetReport>,
    pub members: Vec<String>,
    pub periods: Vec<String>,
    /// Monthly figures (本月) of the catalog's metrics, blanks not counted: what `yilian
    /// history` counts as a submission's `values`.
    pub values: usize,
    /// The other figures of the catalog's metrics: year-to-date (累计) and prior-year (去年同期)
    /// columns, blanks not counted.
    pub other_values: usize,
    pub unmapped: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// Earlier files this one corrects (same member-month).
    pub corrects: Vec<String>,
    /// The file of this run with the same bytes, stored once (this one is `unchanged`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    pub warnings: Vec<Message>,
    pub errors: Vec<Message>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SheetReport {
    pub name: String,
    pub layout: Option<String>,
    /// Why the sheet was passed over on purpose (an instruction sheet such as 填报说明).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub store: String,
    pub files: usize,
    pub stored: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub skipped: usize,
    pub members: usize,
    pub periods: Vec<String>,
    /// Monthly figures of the stored and unchanged files, as `yilian history` counts them.
    pub values: usize,
    /// Year-to-date and prior-year figures of the same files.
    pub other_values: usize,
    pub warnings: usize,
    /// The part of `warnings` that belongs to unchanged files: said at their first ingest,
    /// not printed again (unless `-v`).
    pub unchanged_warnings: usize,
    pub errors: usize,
    pub added_members: Vec<String>,
    /// Stored files that replace values of a member-month already stored, one entry per
    /// member-month, with every value that changed.
    pub corrections: Vec<Correction>,
    /// Lost files of a damaged store (new files are stored beside them), each with the
    /// submissions it held.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub store_damage: Vec<Text>,
    pub file_reports: Vec<FileReport>,
}

/// A member-month stored again by a different file: what the new file changes in the values
/// in use.
#[derive(Clone, Debug, Serialize)]
pub struct Correction {
    pub file: String,
    pub member: String,
    pub member_name: String,
    pub period: String,
    /// The files that held this member-month before (stored earlier or earlier in this run).
    pub corrects: Vec<String>,
    /// Values of the new file that differ from the ones in use before it, in file order.
    pub changes: Vec<Change>,
    /// Values of the new file equal to the ones in use.
    pub unchanged: usize,
}

/// One value of a correction: the value in use before and the file's.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// The item as the new file writes it.
    pub item: String,
    /// The stored key (metric code, `total:code` or `unmapped:item`).
    pub key: String,
    pub basis: Basis,
    /// null when blank or not stored before (see `old_stored`).
    pub old: Option<f64>,
    pub old_stored: bool,
    /// null when the new file leaves it blank.
    pub new: Option<f64>,
}

/// A stored file's member-months that were already held, with the files that held each:
/// (report index, batch index, [(member, period, files)]).
type Pending = (usize, usize, Vec<(String, String, Vec<String>)>);

/// A file parsed in the parallel phase, before members are resolved.
struct Parsed {
    report: FileReport,
    hash: String,
    /// The file's absolute path, for lineage (resolved here, in the parallel phase: it costs
    /// a system call per path component).
    source_path: String,
    /// Located values, until resolved into `rows`.
    sheets: Vec<SheetValues>,
    rows: Vec<Row>,
    /// The rows counted, once they are resolved.
    tally: Option<Tally>,
    /// The member's own 同比 figures to compare with the store's prior year, by sheet.
    changes: StatedChanges,
}

/// What a file's report counts of its rows, counted where they were made (in the parallel
/// phase, while they are in the cache).
struct Tally {
    values: usize,
    other_values: usize,
    unmapped: usize,
    /// Distinct member-months of the file: what corrections and the summary speak of.
    member_months: BTreeSet<(String, String)>,
}

impl Tally {
    fn of(rows: &[Row]) -> Tally {
        let mut t = Tally {
            values: 0,
            other_values: 0,
            unmapped: 0,
            member_months: crate::store::member_months(rows)
                .into_iter()
                .map(|(m, p)| (m.to_string(), p.to_string()))
                .collect(),
        };
        for r in rows {
            match r.kind {
                // Counted as `yilian history` counts: monthly figures of base kind, not blank.
                Kind::Base if r.value.is_some() => match r.basis {
                    Basis::Month => t.values += 1,
                    _ => t.other_values += 1,
                },
                Kind::Unmapped => t.unmapped += 1,
                _ => {}
            }
        }
        t
    }

    /// The counts put in the report; the member-months handed back.
    fn apply(self, report: &mut FileReport) -> BTreeSet<(String, String)> {
        report.values = self.values;
        report.other_values = self.other_values;
        report.unmapped = self.unmapped;
        self.member_months
    }
}

/// A file's 同比 figures without an in-form prior, with the sheet of each.
type StatedChanges = Vec<(Arc<str>, locate::StatedChange)>;

/// The values located in one sheet, with the facts they share.
struct SheetValues {
    sheet: Arc<str>,
    submitted_on: Option<Arc<str>>,
    layout: &'static str,
    values: Vec<Located>,
}

fn values(sheets: &[SheetValues]) -> impl Iterator<Item = &Located> {
    sheets.iter().flat_map(|s| s.values.iter())
}

/// Lists the files to ingest: files as given, folders walked recursively (sorted). Only
/// regular files are read (through a link too); pipes, devices and sockets are never opened,
/// a folder is read once however many links lead to it, and a folder that cannot be read is
/// reported with its path while the walk goes on.
pub fn collect_files(inputs: &[PathBuf]) -> Result<Walked> {
    let started = std::time::Instant::now();
    let mut w = Walk::default();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                w.visited.insert(dir_id(input, &m));
                w.walk(input, &list_dir);
            }
            Ok(m) if m.is_file() => {
                let plain = std::fs::symlink_metadata(input).is_ok_and(|l| l.is_file());
                w.files.push((input.clone(), Facts::of(&m, plain)));
            }
            // Named explicitly, so refused rather than skipped: the user meant it to be read.
            Ok(m) => {
                let mut r = empty_report(input);
                r.errors.push(Message::file(crate::said!(
                    Msg::NotRegularNamed,
                    kind => special_kind(&m)
                )));
                w.reports.push(r);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                anyhow::bail!(crate::said!(Msg::InputMissing, path = input.display()))
            }
            Err(e) => {
                let mut r = empty_report(input);
                r.errors.push(Message::file(crate::said!(
                    Msg::CannotReadIt,
                    reason => io_reason(&e)
                )));
                w.reports.push(r);
            }
        }
    }
    // One folder's walk is in path order already; several inputs may overlap.
    if inputs.len() > 1 {
        w.files.sort_by(|a, b| a.0.cmp(&b.0));
        w.files.dedup_by(|a, b| a.0 == b.0);
    }
    log::debug!(
        "walk: {} files in {:.3}s",
        w.files.len(),
        started.elapsed().as_secs_f64()
    );
    let (files, facts) = w.files.into_iter().unzip();
    Ok(Walked {
        files,
        skipped: w.reports,
        facts,
    })
}

/// The files a walk found, in path order, and the files it skipped or refused.
pub struct Walked {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<FileReport>,
    /// What the walk learnt of each file, so it is not asked again.
    facts: Vec<Facts>,
}

/// A found file's size and whether it is a regular file reached without a link of its own.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Facts {
    len: u64,
    plain: bool,
}

impl Facts {
    fn of(m: &std::fs::Metadata, plain: bool) -> Facts {
        Facts {
            len: m.len(),
            plain,
        }
    }
}

#[derive(Default)]
struct Walk {
    files: Vec<(PathBuf, Facts)>,
    reports: Vec<FileReport>,
    /// Folders read, by device and inode: a link back up the tree (or two links to `..`)
    /// would otherwise make the walk endless.
    visited: std::collections::HashSet<(u64, u64)>,
}

/// A folder's entries (unsorted).
type ListDir = dyn Fn(&Path) -> std::io::Result<Vec<std::fs::DirEntry>>;

fn list_dir(dir: &Path) -> std::io::Result<Vec<std::fs::DirEntry>> {
    std::fs::read_dir(dir)?.collect()
}

#[cfg(unix)]
fn dir_id(_: &Path, m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn dir_id(p: &Path, _: &std::fs::Metadata) -> (u64, u64) {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    std::fs::canonicalize(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .hash(&mut h);
    (0, h.finish())
}

/// What a file that is not a regular file or folder is, in words.
fn special_kind(m: &std::fs::Metadata) -> Text {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return crate::said!(Msg::KindFifo);
        }
        if t.is_char_device() || t.is_block_device() {
            return crate::said!(Msg::KindDevice);
        }
        if t.is_socket() {
            return crate::said!(Msg::KindSocket);
        }
    }
    let _ = m;
    crate::said!(Msg::KindOther)
}

/// An I/O failure while reading: permission denied said as reading needs it, the rest by kind.
fn io_reason(e: &std::io::Error) -> Text {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => crate::said!(Msg::PermissionDenied),
        _ => crate::i18n::io_error(e),
    }
}

/// A folder the walk could not read: reported by its path, as a rejection (files in it may
/// be submissions), and the walk goes on with the rest.
fn unreadable_folder(dir: &Path, e: &std::io::Error) -> FileReport {
    let mut r = empty_report(dir);
    r.errors.push(Message::file(crate::said!(
        Msg::UnreadableFolder,
        path = dir.display(),
        reason => io_reason(e)
    )));
    r
}

impl Walk {
    fn walk(&mut self, dir: &Path, list: &ListDir) {
        let listed = match list(dir) {
            Ok(e) => e,
            Err(e) => {
                self.reports.push(unreadable_folder(dir, &e));
                return;
            }
        };
        // Siblings: their names alone order them as their paths would, without comparing the
        // folder's components again; each name taken once (a path's name is parsed anew at
        // every comparison: a third of the walk of a folder of 72,000 forms).
        let mut entries: Vec<(std::ffi::OsString, std::fs::DirEntry)> = listed
            .into_iter()
            .map(|e| (e.file_name(), e))
            .filter(|(name, _)| !name.as_encoded_bytes().starts_with(b"."))
            .collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Each entry's metadata, asked on every core: a folder of a month's thousands of forms
        // is otherwise a serial start before anything is read.
        let stats: Vec<_> = {
            use rayon::prelude::*;
            entries.par_iter().map(|(_, e)| stat(e)).collect()
        };
        for ((name, entry), stat) in entries.into_iter().zip(stats) {
            let p = entry.path();
            let name = name.to_str().unwrap_or("");
            let (meta, plain) = match stat {
                Stat::Plain(m) => (m, true),
                Stat::Linked(m) => (m, false),
                Stat::LinkToNothing(e) => {
                    self.reports.push(skip_report(
                        &p,
                        crate::said!(Msg::LinkToNothing, reason => io_reason(&e)),
                    ));
                    continue;
                }
                Stat::Unreadable(e) => {
                    let mut r = empty_report(&p);
                    r.errors.push(Message::file(crate::said!(
                        Msg::CannotReadIt,
                        reason => io_reason(&e)
                    )));
                    self.reports.push(r);
                    continue;
                }
            };
            if meta.is_dir() {
                // A store kept inside the mailbox folder is not a submission.
                if p.join("yilian-store.toml").exists() {
                    continue;
                }
                if !self.visited.insert(dir_id(&p, &meta)) {
                    self.reports
                        .push(skip_report(&p, crate::said!(Msg::FolderAgain)));
                    continue;
                }
                self.walk(&p, list);
                continue;
            }
            if !meta.is_file() {
                self.reports.push(skip_report(
                    &p,
                    crate::said!(Msg::NeverOpened, kind => special_kind(&meta)),
                ));
                continue;
            }
            let ext = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if name.starts_with("~$") {
                self.reports
                    .push(skip_report(&p, crate::said!(Msg::ExcelLockFile)));
            } else if SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
                self.files.push((p, Facts::of(&meta, plain)));
            } else if !matches!(ext.as_str(), "toml" | "md") {
                self.reports
                    .push(skip_report(&p, crate::said!(Msg::NotSpreadsheetExtension)));
            }
        }
    }
}

/// What the walk learns of an entry: links are followed to what they point at, which must
/// itself pass.
enum Stat {
    Plain(std::fs::Metadata),
    Linked(std::fs::Metadata),
    LinkToNothing(std::io::Error),
    Unreadable(std::io::Error),
}

/// Asked of the folder's entry (relative to the open folder where the system allows: the
/// path is not looked up again component by component), a link followed by its path.
fn stat(e: &std::fs::DirEntry) -> Stat {
    match e.metadata() {
        Ok(m) if m.file_type().is_symlink() => match std::fs::metadata(e.path()) {
            Ok(m) => Stat::Linked(m),
            Err(e) => Stat::LinkToNothing(e),
        },
        Ok(m) => Stat::Plain(m),
        Err(e) => Stat::Unreadable(e),
    }
}

fn skip_report(p: &Path, why: Text) -> FileReport {
    let mut r = empty_report(p);
    r.status = Status::Skipped;
    r.warnings.push(Message::file(why));
    r
}

fn empty_report(p: &Path) -> FileReport {
    FileReport {
        path: p.display().to_string(),
        status: Status::Rejected,
        format: None,
        encoding: None,
        note: None,
        sheets: vec![],
        members: vec![],
        periods: vec![],
        values: 0,
        other_values: 0,
        unmapped: 0,
        seq: None,
        corrects: vec![],
        duplicate_of: None,
        warnings: vec![],
        errors: vec![],
    }
}

/// Reads and locates one file. A panic in there (ours or a dependency's) rejects this file only:
/// the others of the run go on. An allocation failure aborts the process and cannot be caught;
/// the readers' limits (`read::MAX_*`) are what keep a file from asking for that much.
fn parse_file(path: &Path, at: Place, consortium: &Consortium, opts: &Options) -> Parsed {
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parse_file_unguarded(path, at, consortium, opts)
    }));
    caught.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let mut report = empty_report(path);
        report.errors.push(Message::file(crate::said!(
            Msg::InternalErrorFile,
            what = what
        )));
        Parsed {
            source_path: at.folders.absolute(&report.path, at.plain),
            report,
            hash: String::new(),
            sheets: vec![],
            rows: vec![],
            tally: None,
            changes: vec![],
        }
    })
}

fn parse_file_unguarded(path: &Path, at: Place, consortium: &Consortium, opts: &Options) -> Parsed {
    // Fault injection for the test of the guard above (debug builds only).
    #[cfg(debug_assertions)]
    if std::env::var_os("YILIAN_TEST_PANIC_ON").is_some_and(|n| path.ends_with(n)) {
        panic!("injected by YILIAN_TEST_PANIC_ON");
    }
    let mut report = empty_report(path);
    let mut parsed = Parsed {
        report: report.clone(),
        hash: String::new(),
        source_path: at.folders.absolute(&report.path, at.plain),
        sheets: vec![],
        rows: vec![],
        tally: None,
        changes: vec![],
    };
    // Read while hashing: a CSV or HTML file is parsed as it streams, never held whole.
    let mut sha = Sha256::new();
    let read = match read::read_file(path, &mut |b| sha.update(b)) {
        Ok(r) => r,
        Err(e) => {
            report.errors.push(Message::file(crate::said!(
                Msg::CannotReadFile,
                reason => io_reason(&e)
            )));
            parsed.report = report;
            return parsed;
        }
    };
    parsed.hash = format!("{:x}", sha.finalize());
    let wb = match read {
        Ok(wb) => wb,
        Err(e) => {
            let sheet = e.sheet().map(str::to_string);
            report.errors.push(Message {
                sheet,
                cell: None,
                message: e.text(),
            });
            parsed.report = report;
            return parsed;
        }
    };
    report.format = Some(wb.format.as_str().to_string());
    report.encoding = wb.encoding.map(str::to_string);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let claimed = match ext.as_str() {
        "xls" | "xlt" | "et" => Some(read::Format::Xls),
        "xlsx" | "xlsm" | "xltx" => Some(read::Format::Xlsx),
        "xlsb" => Some(read::Format::Xlsb),
        "ods" => Some(read::Format::Ods),
        "csv" | "tsv" | "txt" => Some(read::Format::Csv),
        "htm" | "html" => Some(read::Format::Html),
        _ => None,
    };
    if claimed.is_some_and(|c| c != wb.format) {
        let what = match wb.format {
            read::Format::Html => crate::said!(Msg::AnHtmlTable),
            read::Format::Csv => crate::said!(Msg::CsvText),
            other => Text::from(other.as_str()),
        };
        report.note = Some(crate::said!(Msg::NamedButIs, ext = ext, what => what));
    }
    let file_name = name_of(path);
    let ctx = locate::Context {
        consortium,
        file_name: &file_name,
        period_override: opts.period,
    };
    let mut any_table = false;
    for sheet in &wb.sheets {
        if sheet.is_blank() {
            continue;
        }
        let res = locate::locate_sheet(sheet, &ctx);
        let sheet_name = Some(sheet.name.as_str());
        report.sheets.push(SheetReport {
            name: sheet.name.clone(),
            layout: res.layout.map(|l| l.as_str().to_string()),
            note: res.note.clone(),
        });
        let Some(layout) = res.layout else { continue };
        any_table = true;
        report
            .warnings
            .extend(res.warnings.into_iter().map(|p| Message::of(sheet_name, p)));
        report
            .errors
            .extend(res.errors.into_iter().map(|p| Message::of(sheet_name, p)));
        let sheet_arc: Arc<str> = Arc::from(sheet.name.as_str());
        parsed
            .changes
            .extend(res.changes.into_iter().map(|c| (sheet_arc.clone(), c)));
        parsed.sheets.push(SheetValues {
            sheet: sheet_arc,
            submitted_on: res.submitted_on.as_deref().map(Arc::from),
            layout: layout.as_str(),
            values: res.values,
        });
    }
    if wb.sheets.iter().all(|s| s.is_blank()) {
        report
            .errors
            .push(Message::file(crate::said!(Msg::SheetsAllEmpty)));
    } else if !any_table {
        report
            .errors
            .push(Message::file(crate::said!(Msg::NoTableFound)));
    } else if values(&parsed.sheets).all(|v| v.value.is_none()) && report.errors.is_empty() {
        report
            .errors
            .push(Message::file(crate::said!(Msg::NoFiguresInTable)));
    }
    parsed.report = report;
    parsed
}

/// Files read and located together (in parallel) before their rows are handed on: at most
/// this many files, and as soon as their bytes reach `CHUNK_BYTES` (a file larger than that
/// is a chunk by itself). What a chunk's files hold is freed once their rows are in a batch.
const CHUNK_FILES: usize = 512;
const CHUNK_BYTES: u64 = 32 << 20;
/// Read chunks that may wait to be handed on while a batch is committed (a commit takes as
/// long as reading two or three chunks). 2,000 members × 36 months: 4.80 s with two, 4.77 s
/// with four, 5.12 s reading a chunk only while the one before was handed on; of 42 items
/// 8.92 s and 375 MB with two, 8.94 s and 422 MB with four, 9.56 s and 346 MB before.
const CHUNKS_AHEAD: usize = 2;
/// A batch is committed as soon as it holds this many rows (and at the end of the run), so
/// memory stays bounded however many files a run reads: about 50 MB of rows, and as much
/// again while they are encoded (measured; 2,000 one-month forms are about 150,000 rows). Each file's rows are in one batch,
/// committed atomically; batches are committed in path order.
const BATCH_ROWS: usize = 100_000;

/// The batch size: `YILIAN_TEST_BATCH_ROWS` lets tests commit in several batches with a few
/// small files.
fn batch_rows() -> usize {
    std::env::var("YILIAN_TEST_BATCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(BATCH_ROWS)
}

/// The files in path order, cut into chunks (`CHUNK_FILES`, `CHUNK_BYTES`): the ranges of
/// their indexes.
fn chunks(facts: &[Facts]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, f) in facts.iter().enumerate() {
        if i > start && (i - start == CHUNK_FILES || bytes + f.len > CHUNK_BYTES) {
            out.push(start..i);
            (start, bytes) = (i, 0);
        }
        bytes += f.len;
    }
    if start < facts.len() {
        out.push(start..facts.len());
    }
    out
}

/// What a run keeps across its chunks and batches. Only the per-file reports and hashes
/// grow with the number of files; rows live until their batch is committed.
struct Run<'s> {
    store: &'s Store,
    lock: StoreLock,
    /// Which files hold each member-month already, to report corrections.
    held: HeldMonths,
    ingested_at: String,
    added: Vec<String>,
    reports: Vec<FileReport>,
    /// New submissions in path order, until committed together.
    batch: Vec<(usize, SubmissionInfo, Vec<Row>)>,
    batch_rows: usize,
    /// Every file stored by this run (all batches), by content hash: its report index.
    run_hashes: HashMap<String, usize, Fast>,
    duplicates: Vec<(usize, String)>,
    /// Stored files of the batch with 同比 figures to check against the prior year.
    stated: Vec<(usize, StatedChanges)>,
    /// Corrections of the batch, described before it is committed.
    pending: Vec<Pending>,
    corrections: Vec<Correction>,
    commits: usize,
    commit_time: std::time::Duration,
    /// The commits' own thread for their parallel parts (columns built, rows freed): on the
    /// shared pool they would queue behind the chunks being read, and the commit, which the
    /// reading waits for once its channel is full, would wait for them. None when the
    /// thread could not be made (the shared pool then serves).
    commit_pool: Option<rayon::ThreadPool>,
    codes: Codes,
}

impl Run<'_> {
    /// Hands one parsed file on: counted, checked against the store and the run, and added to
    /// the batch if new; the batch is committed when full.
    fn add(&mut self, mut p: Parsed, consortium: &mut Consortium, max_rows: usize) -> Result<()> {
        let mut report = std::mem::replace(&mut p.report, empty_report(Path::new("")));
        let mut rows = std::mem::take(&mut p.rows);
        if !p.sheets.is_empty() && report.errors.is_empty() {
            rows = resolve_adding(
                std::mem::take(&mut p.sheets),
                consortium,
                &self.codes,
                &mut report,
                &mut self.added,
            );
        }
        let mut stored = 0;
        if report.errors.is_empty() {
            let member_months = match p.tally.take() {
                Some(t) => t.apply(&mut report),
                None => Tally::of(&rows).apply(&mut report),
            };
            report.members = sorted_distinct(member_months.iter().map(|m| &m.0));
            report.periods = sorted_distinct(member_months.iter().map(|m| &m.1));
            let i = self.reports.len();
            if let Some(&first) = self.run_hashes.get(&p.hash) {
                // The same bytes twice in one run: stored once.
                report.status = Status::Unchanged;
                report.duplicate_of = Some(self.reports[first].path.clone());
                self.duplicates.push((i, p.hash.clone()));
            } else if let Some(seq) = self.lock.seq_of(&p.hash) {
                report.status = Status::Unchanged;
                report.seq = Some(seq);
            } else {
                // An earlier file of the same name counts: a member often resends a corrected
                // file under the name of the first.
                let mut corrects = BTreeSet::new();
                let mut corrected = Vec::new();
                for mp in &member_months {
                    if let Some(files) = self.held.get(mp).filter(|f| !f.is_empty()) {
                        corrects.extend(files.iter().cloned());
                        corrected.push((
                            mp.0.clone(),
                            mp.1.clone(),
                            files.iter().cloned().collect(),
                        ));
                    }
                }
                if !corrected.is_empty() {
                    self.pending.push((i, self.batch.len(), corrected));
                }
                let info = SubmissionInfo {
                    content_hash: p.hash.clone(),
                    source_file: file_name(&report.path),
                    source_path: std::mem::take(&mut p.source_path),
                    format: report.format.clone().unwrap_or_default(),
                    ingested_at: self.ingested_at.clone(),
                };
                for mp in member_months {
                    self.held
                        .entry(mp)
                        .or_default()
                        .insert(info.source_file.clone());
                }
                report.corrects = corrects.into_iter().collect();
                report.status = Status::Stored;
                if !p.changes.is_empty() {
                    self.stated.push((i, std::mem::take(&mut p.changes)));
                }
                self.run_hashes.insert(std::mem::take(&mut p.hash), i);
                stored = rows.len();
                self.batch.push((i, info, std::mem::take(&mut rows)));
            }
        }
        if !report.errors.is_empty() {
            report.status = Status::Rejected;
        }
        self.reports.push(report);
        self.batch_rows += stored;
        if self.batch_rows >= max_rows {
            self.commit(consortium)?;
        }
        Ok(())
    }

    /// Checks and describes the batch against the store (which holds the earlier batches of
    /// the run), then commits it whole.
    fn commit(&mut self, consortium: &Consortium) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        self.batch_rows = 0;
        let stated = std::mem::take(&mut self.stated);
        if !stated.is_empty() {
            check_stated_changes(self.store, consortium, &batch, stated, &mut self.reports)?;
        }
        // Read before the commit: the values in use until now.
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            self.corrections.extend(describe_corrections(
                self.store,
                consortium,
                &batch,
                pending,
                &self.reports,
            )?);
        }
        let started = std::time::Instant::now();
        let index: Vec<usize> = batch.iter().map(|b| b.0).collect();
        let items: Vec<_> = batch
            .into_iter()
            .map(|(_, info, rows)| (info, rows))
            .collect();
        let (store, lock) = (self.store, &mut self.lock);
        let seqs = match &self.commit_pool {
            Some(pool) => pool.install(|| store.commit_batch(lock, items)),
            None => store.commit_batch(lock, items),
        }?;
        for (i, seq) in index.into_iter().zip(seqs) {
            self.reports[i].seq = Some(seq);
        }
        self.commit_time += started.elapsed();
        self.commits += 1;
        // Fault injection for the crash test: die between two batches of one run.
        if std::env::var("YILIAN_TEST_CRASH_AFTER_COMMITS")
            .is_ok_and(|n| n.parse() == Ok(self.commits))
        {
            std::process::abort();
        }
        Ok(())
    }
}

/// Runs the whole ingest. `progress` is called after each file is parsed.
///
/// Files are read and located in parallel a chunk at a time, then handed on in path order;
/// their rows are committed in batches of `BATCH_ROWS` (each file whole in one batch), so the
/// memory a run needs does not grow with the number of files. A run that dies between two
/// batches leaves the earlier ones stored: ingesting the same files again stores the rest.
pub fn run(
    inputs: &[PathBuf],
    consortium: &mut Consortium,
    store: &Store,
    opts: &Options,
    progress: &(dyn Fn() + Sync),
) -> Result<Summary> {
    run_walked(collect_files(inputs)?, consortium, store, opts, progress)
}

/// `run` on the files `collect_files` gave (a caller that counted them for a progress bar
/// does not walk the folders twice: tens of thousands of files at a bureau's scale).
pub fn run_walked(
    Walked {
        files,
        skipped,
        facts,
    }: Walked,
    consortium: &mut Consortium,
    store: &Store,
    opts: &Options,
    progress: &(dyn Fn() + Sync),
) -> Result<Summary> {
    let started = std::time::Instant::now();
    let max_rows = batch_rows();
    // Files are read against the consortium as it was when the run started: members added on
    // the way (`--add-unknown-members`) are resolved in path order, as in one batch.
    let snapshot = consortium.clone();
    // Members added on the way leave the catalog as it is.
    let codes = codes_of(&snapshot.catalog);
    let folders = Folders::default();
    let parse = |chunk: &std::ops::Range<usize>| -> Vec<Parsed> {
        files[chunk.clone()]
            .par_iter()
            .zip(&facts[chunk.clone()])
            .map(|(p, f)| {
                let at = Place {
                    folders: &folders,
                    plain: f.plain,
                };
                let mut r = parse_file(p, at, &snapshot, opts);
                // Member names resolve in the parallel phase unless unknown members may be
                // added (which changes the consortium as it goes, so it must follow path order).
                if !opts.add_unknown_members && r.report.errors.is_empty() {
                    let sheets = std::mem::take(&mut r.sheets);
                    r.rows = resolve(sheets, &snapshot, &codes, &mut r.report);
                    r.tally = Some(Tally::of(&r.rows));
                }
                progress();
                r
            })
            .collect()
    };
    let chunks = chunks(&facts);
    // Chunks are read (by the thread pool) on a thread of their own while this one hands the
    // read chunks on and commits them: a commit's serial part (its file written and synced,
    // the journal, the summary) does not leave the pool idle. At most CHUNKS_AHEAD read
    // chunks wait beside the one being read, so memory stays bounded.
    let mut run = std::thread::scope(|scope| -> Result<Option<Run>> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(CHUNKS_AHEAD);
        let reading = scope.spawn(move || {
            for chunk in &chunks {
                // A closed channel: the commits stopped on an error; read no further.
                if send.send(parse(chunk)).is_err() {
                    break;
                }
            }
        });
        let mut run: Option<Run> = None;
        let handed = (|| -> Result<()> {
            for parsed in receive.iter() {
                // The lock is taken once the first files are read, and held to the end.
                let run = match &mut run {
                    Some(r) => r,
                    None => run.insert(Run::start(store, codes.clone(), files.len())?),
                };
                for p in parsed {
                    run.add(p, consortium, max_rows)?;
                }
            }
            Ok(())
        })();
        drop(receive);
        reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        handed.map(|()| run)
    })?
    .map_or_else(|| Run::start(store, codes.clone(), files.len()), Ok)?;
    run.commit(consortium)?;
    log::debug!(
        "ingest: {} commits {:.3}s, total {:.3}s",
        run.commits,
        run.commit_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let Run {
        lock,
        mut reports,
        duplicates,
        added,
        corrections,
        held,
        run_hashes,
        ..
    } = run;
    // Which files hold each member-month and the run's hashes (an entry per file): freed
    // here they kept a bureau's finished run of 70,000 files waiting (its end after the
    // last commit 95 → 75 ms, medians of ten).
    crate::store::free_aside(run_hashes.len(), (held, run_hashes));
    for (i, hash) in duplicates {
        reports[i].seq = lock.seq_of(&hash);
    }
    let store_damage = lock.damage().to_vec();
    drop(lock);
    reports.extend(skipped);
    let mut summary = summarise(store, reports, added);
    summary.store_damage = store_damage;
    summary.corrections = corrections;
    Ok(summary)
}

impl<'s> Run<'s> {
    /// A run over `files` files: what grows a file at a time is given its room at once.
    fn start(store: &'s Store, codes: Codes, files: usize) -> Result<Run<'s>> {
        let lock = store.lock()?;
        let mut held = existing_member_months(&lock);
        held.reserve(files);
        let mut run_hashes = HashMap::default();
        run_hashes.reserve(files);
        Ok(Run {
            store,
            held,
            lock,
            ingested_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            added: Vec::new(),
            reports: Vec::with_capacity(files),
            batch: Vec::new(),
            batch_rows: 0,
            run_hashes,
            duplicates: Vec::new(),
            stated: Vec::new(),
            pending: Vec::new(),
            corrections: Vec::new(),
            commits: 0,
            commit_time: std::time::Duration::ZERO,
            commit_pool: rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .thread_name(|_| "commit".into())
                .build()
                .ok(),
            codes,
        })
    }
}

fn sorted_distinct<'a>(texts: impl Iterator<Item = &'a String>) -> Vec<String> {
    let set: BTreeSet<&String> = texts.collect();
    set.into_iter().cloned().collect()
}

/// Where a file was found: the run's folders and whether the walk found it a regular file
/// (no link of its own).
#[derive(Clone, Copy)]
struct Place<'f> {
    folders: &'f Folders,
    plain: bool,
}

/// The folders of a run's files, each resolved to its absolute path once (see `absolute`).
#[derive(Default)]
struct Folders(std::sync::Mutex<HashMap<PathBuf, Option<PathBuf>>>);

impl Folders {
    /// The absolute path, so lineage still leads to the file from another working
    /// directory. A file that is no link (`plain`, as the walk found it) is its folder's path
    /// and its name, and each folder is resolved once per run: resolving every file's whole
    /// path, a system call per part of it, was a twentieth of an ingest's time. A link is
    /// resolved whole, to what it points at.
    fn absolute(&self, path: &str, plain: bool) -> String {
        let p = Path::new(path);
        if let (true, Some(dir), Some(name)) = (plain, p.parent(), p.file_name()) {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let known = self.0.lock().ok().and_then(|f| f.get(dir).cloned());
            let resolved = known.unwrap_or_else(|| {
                let r = std::fs::canonicalize(dir).ok();
                if let Ok(mut f) = self.0.lock() {
                    f.insert(dir.to_path_buf(), r.clone());
                }
                r
            });
            if let Some(d) = resolved {
                return d.join(name).display().to_string();
            }
        }
        std::fs::canonicalize(path)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.to_string())
    }
}

/// A path's last component as text ("" when it has none or is not UTF-8).
pub fn name_of(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_string()
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
        .to_string()
}

/// The files each member-month was sent in (superseded ones too): a new one is a correction.
/// From the store's manifest: a run does not read the history.
/// The files that hold each (member, month).
type HeldMonths = HashMap<(String, String), BTreeSet<String>, Fast>;

fn existing_member_months(lock: &StoreLock) -> HeldMonths {
    let mut out = HeldMonths::default();
    for (file, member_month) in lock.member_months() {
        // `member period`: the period is the last word (a month, never spaced).
        if let Some((member, period)) = member_month.rsplit_once(' ') {
            out.entry((member.to_string(), period.to_string()))
                .or_default()
                .insert(file.to_string());
        }
    }
    out
}

/// What each correction changes: the values in use before this run (the newest stored
/// submission's, value by value, as `Store::in_use` gives them), then each file of the
/// batch in path order, against the values of the correcting file. Reads only the corrected
/// member-months.
fn describe_corrections(
    store: &Store,
    consortium: &Consortium,
    batch: &[(usize, SubmissionInfo, Vec<Row>)],
    pending: Vec<Pending>,
    reports: &[FileReport],
) -> Result<Vec<Correction>> {
    type Key = (String, String, String, Basis);
    let wanted: BTreeSet<(String, String)> = pending
        .iter()
        .flat_map(|p| p.2.iter().map(|(m, p, _)| (m.clone(), p.clone())))
        .collect();
    let members: BTreeSet<&str> = wanted.iter().map(|w| w.0.as_str()).collect();
    let periods: BTreeSet<Period> = wanted
        .iter()
        .filter_map(|w| Period::parse_strict(&w.1))
        .collect();
    let wanted_pair = |m: &str, p: &str| wanted.contains(&(m.to_string(), p.to_string()));
    let mut in_use: HashMap<Key, Option<f64>> = HashMap::new();
    for v in store.in_use(&Filter::all().members(members).periods(periods))? {
        let p = v.period.to_string();
        if wanted_pair(&v.member, &p) {
            in_use.insert((v.member, p, v.key, v.basis), v.value);
        }
    }
    let key = |r: &Row| {
        let (prefix, text) = r.key_parts();
        format!("{prefix}{text}")
    };
    let mut out = Vec::new();
    let mut pending = pending.into_iter().peekable();
    for (bi, (_, _, rows)) in batch.iter().enumerate() {
        while let Some((ri, _, months)) = pending.next_if(|p| p.1 == bi) {
            for (member, period, files) in months {
                // The file's own value per key: the last one, as the store keeps it.
                let mut order: Vec<(String, Basis)> = Vec::new();
                let mut new: HashMap<(String, Basis), (&Row, Option<f64>)> = HashMap::new();
                for r in rows
                    .iter()
                    .filter(|r| *r.whose.member == *member && *r.whose.period == *period)
                {
                    let k = (key(r), r.basis);
                    if new.insert(k.clone(), (r, r.value)).is_none() {
                        order.push(k);
                    }
                }
                let mut changes = Vec::new();
                let mut unchanged = 0;
                for k in order {
                    let (r, value) = new[&k];
                    let old = in_use.get(&(member.clone(), period.clone(), k.0.clone(), k.1));
                    if old == Some(&value) {
                        unchanged += 1;
                        continue;
                    }
                    changes.push(Change {
                        item: r.what.item.to_string(),
                        key: k.0,
                        basis: k.1,
                        old: old.copied().flatten(),
                        old_stored: old.is_some(),
                        new: value,
                    });
                }
                out.push(Correction {
                    file: reports[ri].path.clone(),
                    member_name: consortium
                        .member(&member)
                        .map(|m| m.name.clone())
                        .unwrap_or_default(),
                    member,
                    period,
                    corrects: files,
                    changes,
                    unchanged,
                });
            }
        }
        for r in rows {
            if wanted_pair(&r.whose.member, &r.whose.period) {
                in_use.insert(
                    (
                        r.whose.member.to_string(),
                        r.whose.period.to_string(),
                        key(r),
                        r.basis,
                    ),
                    r.value,
                );
            }
        }
    }
    Ok(out)
}

/// Compares the 同比 figures members wrote without last year's figure on the form with the
/// prior year in the store (or earlier in this batch): a disagreement is a warning on the
/// file. A prior year-to-date needs every month of it. Runs only when some file has such
/// figures, since it reads the store's values.
fn check_stated_changes(
    store: &Store,
    consortium: &Consortium,
    batch: &[(usize, SubmissionInfo, Vec<Row>)],
    stated: Vec<(usize, StatedChanges)>,
    reports: &mut [FileReport],
) -> Result<()> {
    let cat = &consortium.catalog;
    let mut month: HashMap<(String, Period, String), f64> = HashMap::new();
    // Only the members and prior months these figures are compared with are read.
    let (mut members, mut periods) = (BTreeSet::new(), BTreeSet::new());
    for (_, changes) in &stated {
        for (_, ch) in changes {
            let Some(member) = consortium.find_member(&ch.member_text) else {
                continue;
            };
            members.insert(member.id.clone());
            let py = ch.period.add_months(-ch.months_back);
            match ch.basis {
                locate::Basis::Ytd => {
                    periods.extend((1..=py.month()).filter_map(|m| Period::new(py.year(), m)))
                }
                _ => {
                    periods.insert(py);
                }
            }
        }
    }
    let filter = Filter::all()
        .basis(Basis::Month)
        .kind(Kind::Base)
        .reported()
        .members(members)
        .periods(periods);
    for v in store.in_use(&filter)? {
        if let Some(figure) = v.value {
            month.insert((v.member, v.period, v.key), figure);
        }
    }
    // This batch's files come later than the store's, in path order.
    for (_, _, rows) in batch {
        for r in rows {
            if let (Some(metric), Some(v), Kind::Base, Basis::Month) =
                (&r.what.metric, r.value, r.kind, r.basis)
            {
                if let Some(p) = Period::parse_strict(&r.whose.period) {
                    month.insert((r.whose.member.to_string(), p, metric.to_string()), v);
                }
            }
        }
    }
    for (i, changes) in stated {
        for (sheet, ch) in changes {
            let Some(member) = consortium.find_member(&ch.member_text) else {
                continue;
            };
            let metric = &cat.metrics[ch.metric];
            let py = ch.period.add_months(-ch.months_back);
            let get = |p: Period| {
                month
                    .get(&(member.id.clone(), p, metric.code.clone()))
                    .copied()
            };
            let prior = match ch.basis {
                locate::Basis::Ytd => {
                    let vals: Option<Vec<f64>> = (1..=py.month())
                        .map(|mm| Period::new(py.year(), mm).and_then(get))
                        .collect();
                    vals.filter(|v| !v.is_empty())
                        .map(|v| match metric.over_time {
                            crate::catalog::OverTime::Sum => v.iter().sum(),
                            crate::catalog::OverTime::Average => {
                                v.iter().sum::<f64>() / v.len() as f64
                            }
                            crate::catalog::OverTime::Last => v[v.len() - 1],
                        })
                }
                _ => get(py),
            };
            let Some(prior) = prior else { continue };
            let kind = if ch.months_back == 1 {
                Msg::StatedMom
            } else {
                Msg::StatedYoy
            };
            if let Some(expected) = locate::yoy_disagrees(ch.stated, ch.current, prior, ch.rate) {
                let window = if ch.basis == locate::Basis::Ytd {
                    format!("{}-01..{py}", py.year())
                } else {
                    py.to_string()
                };
                reports[i].warnings.push(Message {
                    sheet: Some(sheet.to_string()),
                    cell: Some(ch.cell.clone()),
                    message: crate::said!(
                        kind,
                        item = ch.item,
                        stated = crate::model::fmt_num(ch.stated),
                        current = crate::model::fmt_num(ch.current),
                        current_cell = ch.current_cell,
                        prior = crate::model::fmt_num(prior),
                        window = window,
                        expected => expected
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Adds the unknown members of a file to the consortium (`--add-unknown-members`), then
/// resolves it.
fn resolve_adding(
    sheets: Vec<SheetValues>,
    consortium: &mut Consortium,
    codes: &Codes,
    report: &mut FileReport,
    added: &mut Vec<String>,
) -> Vec<Row> {
    for v in values(&sheets) {
        if !(v.total && v.member_text.is_empty())
            && consortium.find_member(&v.member_text).is_none()
        {
            let m = consortium.add_unknown(&v.member_text, v.period);
            added.push(format!("{} ({})", m.name, m.id));
        }
    }
    resolve(sheets, consortium, codes, report)
}

/// The catalog's codes (metrics, then indicators), made once for a run and shared by every
/// row that names one (they were made again for each file: a seventieth of an ingest's
/// allocations).
type Codes = Vec<Arc<str>>;

fn codes_of(cat: &crate::catalog::Catalog) -> Codes {
    let metrics = cat.metrics.iter().map(|m| m.code.as_str());
    let indicators = cat.indicators.iter().map(|i| i.code.as_str());
    metrics.chain(indicators).map(Arc::from).collect()
}

/// Resolves member names to ids and builds the stored rows; an unknown name is an error.
fn resolve(
    sheets: Vec<SheetValues>,
    consortium: &Consortium,
    codes: &Codes,
    report: &mut FileReport,
) -> Vec<Row> {
    let cat = &consortium.catalog;
    let mut rows = Vec::with_capacity(values(&sheets).count());
    // A file names few members, periods and codes: each is resolved once, then shared.
    // Values come member by member and item by item, so the last ones are kept at hand.
    let mut members: HashMap<Arc<str>, Option<Arc<str>>> = HashMap::new();
    let no_member: Arc<str> = Arc::from("");
    let mut last_period: Option<(Period, Arc<str>)> = None;
    let mut last_what: Option<(Option<usize>, Arc<What>)> = None;
    for sv in sheets {
        // The last member-month's shared facts, by the member's text as written.
        let mut last_whose: Option<(Period, Arc<Whose>)> = None;
        for v in sv.values {
            let same_whose = last_whose
                .as_ref()
                .filter(|(p, w)| *p == v.period && Arc::ptr_eq(&w.member_text, &v.member_text));
            let whose = match same_whose {
                Some((_, w)) => w.clone(),
                None => {
                    let member = if v.total && v.member_text.is_empty() {
                        // A summary's 合计 row belongs to no member.
                        no_member.clone()
                    } else {
                        let id = members.entry(v.member_text.clone()).or_insert_with(|| {
                            let found = consortium.find_member(&v.member_text);
                            if found.is_none() {
                                let suggestions = consortium.suggest(&v.member_text);
                                let hint = if suggestions.is_empty() {
                                    Text::from("")
                                } else {
                                    crate::said!(Msg::Closest, names = suggestions.join(", "))
                                };
                                report.errors.push(Message {
                                    sheet: Some(sv.sheet.to_string()),
                                    cell: Some(v.member_cell.to_string()),
                                    message: crate::said!(
                                        Msg::UnknownMemberInFile,
                                        name = v.member_text,
                                        hint => hint
                                    ),
                                });
                            }
                            found.map(|m| Arc::from(m.id.as_str()))
                        });
                        let Some(id) = id.clone() else { continue };
                        id
                    };
                    let period = match &last_period {
                        Some((p, text)) if *p == v.period => text.clone(),
                        _ => {
                            let text: Arc<str> = Arc::from(v.period.to_string().as_str());
                            last_period = Some((v.period, text.clone()));
                            text
                        }
                    };
                    let w = Arc::new(Whose {
                        submitted_on: sv.submitted_on.clone(),
                        sheet: sv.sheet.clone(),
                        layout: sv.layout,
                        member,
                        member_text: v.member_text.clone(),
                        period,
                    });
                    last_whose = Some((v.period, w.clone()));
                    w
                }
            };
            let (code, kind) = match v.target {
                Some(Target::Metric(i)) => {
                    (Some(i), if v.total { Kind::Total } else { Kind::Base })
                }
                Some(Target::Indicator(i)) => (Some(cat.metrics.len() + i), Kind::Derived),
                None => (None, Kind::Unmapped),
            };
            let what = match &last_what {
                Some((c, w)) if *c == code && Arc::ptr_eq(&w.item, &v.item) => w.clone(),
                _ => {
                    let metric = code.and_then(|i| codes.get(i).cloned());
                    let w = Arc::new(What {
                        item: v.item,
                        metric,
                    });
                    last_what = Some((code, w.clone()));
                    w
                }
            };
            rows.push(Row {
                whose,
                what,
                cell: v.cell,
                kind,
                basis: v.basis,
                value: v.value,
                raw: v.raw,
            });
        }
    }
    rows
}

fn summarise(store: &Store, reports: Vec<FileReport>, added: Vec<String>) -> Summary {
    let count = |s: Status| reports.iter().filter(|r| r.status == s).count();
    let ok = |r: &&FileReport| matches!(r.status, Status::Stored | Status::Unchanged);
    // Distinct over every file's (a bureau's tens of thousands): hashed, then only the few
    // periods sorted.
    let members: std::collections::HashSet<&String, Fast> = reports
        .iter()
        .filter(ok)
        .flat_map(|r| r.members.iter())
        .collect();
    let periods: std::collections::HashSet<&String, Fast> = reports
        .iter()
        .filter(ok)
        .flat_map(|r| r.periods.iter())
        .collect();
    let mut periods: Vec<String> = periods.into_iter().cloned().collect();
    periods.sort_unstable();
    Summary {
        store: store.root().display().to_string(),
        files: reports
            .iter()
            .filter(|r| r.status != Status::Skipped)
            .count(),
        stored: count(Status::Stored),
        unchanged: count(Status::Unchanged),
        rejected: count(Status::Rejected),
        skipped: count(Status::Skipped),
        members: members.len(),
        periods,
        values: reports.iter().filter(ok).map(|r| r.values).sum(),
        other_values: reports.iter().filter(ok).map(|r| r.other_values).sum(),
        warnings: reports
            .iter()
            .filter(|r| r.status != Status::Skipped)
            .map(|r| r.warnings.len())
            .sum(),
        unchanged_warnings: reports
            .iter()
            .filter(|r| r.status == Status::Unchanged)
            .map(|r| r.warnings.len())
            .sum(),
        corrections: vec![],
        errors: reports.iter().map(|r| r.errors.len()).sum(),
        added_members: added,
        store_damage: vec![],
        file_reports: reports,
    }
}

#[cfg(test)]
mod walk_tests {
    use super::*;

    /// Root ignores permissions, so the unreadable folder is simulated: the listing of `b`
    /// fails as `read_dir` does on a folder without read permission.
    #[test]
    fn an_unreadable_folder_is_reported_by_path_and_the_walk_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["a/1.xlsx", "b/2.xlsx", "c/3.xlsx"] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"x").unwrap();
        }
        let locked = dir.path().join("b");
        let locked_path = locked.clone();
        let list = move |d: &Path| -> std::io::Result<Vec<std::fs::DirEntry>> {
            if d == locked_path {
                return Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
            }
            list_dir(d)
        };
        let mut w = Walk::default();
        w.walk(dir.path(), &list);
        let files: Vec<&PathBuf> = w.files.iter().map(|f| &f.0).collect();
        assert_eq!(
            files,
            [&dir.path().join("a/1.xlsx"), &dir.path().join("c/3.xlsx")]
        );
        assert_eq!(w.reports.len(), 1);
        let r = &w.reports[0];
        assert_eq!(r.path, locked.display().to_string());
        assert_eq!(r.status, Status::Rejected);
        let msg = r.errors[0].message.to_string();
        assert!(
            msg.starts_with(&format!(
                "cannot read folder {}: permission denied",
                locked.display()
            )),
            "{msg}"
        );
    }

    /// One folder's walk is in path order without sorting it afterwards: siblings ordered by
    /// name put a folder `b` before `b-1.xlsx` and `b.xlsx` (as paths compare, by component,
    /// not as texts, where `b/…` would follow `b-1.xlsx`). Hidden files and lock files are
    /// not read; inputs that overlap give each file once.
    #[test]
    fn a_folder_is_walked_in_path_order_and_overlapping_inputs_give_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "b.xlsx",
            "b/z.xlsx",
            "b-1.xlsx",
            "b/a/9.xlsx",
            "a.csv",
            "b/.hidden.xlsx",
            "~$b.xlsx",
            "B.xlsx",
            "b/a.xlsx",
        ];
        for f in names {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"x").unwrap();
        }
        let want: Vec<PathBuf> = [
            "B.xlsx",
            "a.csv",
            "b/a/9.xlsx",
            "b/a.xlsx",
            "b/z.xlsx",
            "b-1.xlsx",
            "b.xlsx",
        ]
        .iter()
        .map(|f| dir.path().join(f))
        .collect();
        let walked = collect_files(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(walked.files, want);
        // The same files named again, and a file inside the folder: each once, in order.
        let again = collect_files(&[
            dir.path().join("b.xlsx"),
            dir.path().to_path_buf(),
            dir.path().join("b"),
        ])
        .unwrap();
        assert_eq!(again.files, want);
        assert_eq!(again.facts.len(), want.len());
    }
}

#[cfg(test)]
mod absolute_tests {
    use super::Folders;

    /// A file's folder is resolved once and then reused: a file reached through a linked
    /// folder is still named by the real folder, and a linked file by what it points at.
    #[cfg(unix)]
    #[test]
    fn lineage_paths_name_the_real_file_through_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("in")).unwrap();
        std::fs::write(real.join("in/a.xlsx"), b"x").unwrap();
        std::fs::write(real.join("in/b.xlsx"), b"x").unwrap();
        std::os::unix::fs::symlink(real.join("in"), real.join("via")).unwrap();
        std::os::unix::fs::symlink(real.join("in/b.xlsx"), real.join("in/c.xlsx")).unwrap();
        let folders = Folders::default();
        // As the walk tells it: whether the path is a regular file, not a link.
        let of = |p: &str| {
            let path = real.join(p);
            let plain = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
            folders.absolute(&path.display().to_string(), plain)
        };
        let want = |p: &str| real.join(p).display().to_string();
        assert_eq!(of("in/a.xlsx"), want("in/a.xlsx"));
        // Twice: the second from the folder already resolved.
        assert_eq!(of("via/a.xlsx"), want("in/a.xlsx"));
        assert_eq!(of("via/b.xlsx"), want("in/b.xlsx"));
        assert_eq!(of("in/c.xlsx"), want("in/b.xlsx"));
        assert_eq!(of("via/c.xlsx"), want("in/b.xlsx"));
        assert_eq!(of("in/../in/a.xlsx"), want("in/a.xlsx"));
        // Nothing there: the path as given.
        assert_eq!(of("in/gone.xlsx"), want("in/gone.xlsx"));
    }
}
