//! The findings of each month, kept in the store's `cache/` for the next report: December's
//! report checks the year to date, and eleven of its twelve months were checked by
//! November's, unchanged since.
//!
//! A month's findings depend on this program, the consortium's settings, and the stored
//! rows of that month and the months before it: the rules look back (last month, last year,
//! the member's recent months), never ahead, and what a month's findings say does not depend
//! on the months checked with it. So each month's entry carries a key made of exactly those:
//! the program's version and build, the consortium's settings as loaded, and every store file
//! that may hold a month up to it (`Store::sources_through`). A file of a later month leaves
//! the key as it was; a correction, a lost, restored or compacted file, a changed setting or
//! another build of yilian changes it, and the month is checked again. An entry that cannot
//! be read is checked again too; one that cannot be written is not kept. Nothing here is a
//! submission: the folder may be deleted at any time.
//!
//! Beside the findings an entry keeps what the report reads from the same rows of the month
//! (`Said`: who sent it and when, which items had figures), so a kept month is not read at
//! all.

use super::Finding;
use crate::config::Consortium;
use crate::model::period::Period;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The entries' format; part of each key.
const FORMAT: &str = "yilian findings 2";

/// A finding as kept: the fields a `check` report shows, and those it leaves out.
#[derive(Serialize, Deserialize)]
struct Kept {
    finding: Finding,
    message_zh: String,
    involves: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: String,
    findings: Vec<Kept>,
    #[serde(flatten)]
    said: Said,
}

/// What a month's submissions say beside the findings, as the report reads them from the
/// check's rows: who sent the month and when, and which items each member gave a figure.
#[derive(Default, Serialize, Deserialize)]
pub struct Said {
    /// Each member that sent figures of the month, and the earliest 填报日期 they state.
    pub sent: Vec<(String, Option<String>)>,
    /// The items named in `figures`.
    pub items: Vec<String>,
    /// Each member with base figures in use of the month column, and of which items
    /// (indexes into `items`).
    pub figures: Vec<(String, Vec<u32>)>,
}

impl Said {
    /// Each (member, item) of `figures`, each text shared. An entry read back has every
    /// index within `items` (`read` checks).
    pub fn pairs(&self) -> Vec<(Arc<str>, Arc<str>)> {
        let items: Vec<Arc<str>> = self.items.iter().map(|x| Arc::from(x.as_str())).collect();
        let mut out = Vec::new();
        for (m, xs) in &self.figures {
            let m: Arc<str> = Arc::from(m.as_str());
            out.extend(
                xs.iter()
                    .filter_map(|&x| items.get(x as usize))
                    .map(|x| (m.clone(), x.clone())),
            );
        }
        out
    }
}

impl From<&Finding> for Kept {
    fn from(f: &Finding) -> Kept {
        Kept {
            finding: f.clone(),
            message_zh: f.message_zh.clone(),
            involves: f.involves.clone(),
        }
    }
}

impl From<Kept> for Finding {
    fn from(k: Kept) -> Finding {
        Finding {
            message_zh: k.message_zh,
            involves: k.involves,
            ..k.finding
        }
    }
}

/// The months' keys, and the entries found for them.
pub struct Months {
    dir: PathBuf,
    keys: BTreeMap<Period, String>,
    /// The findings of the months whose entry was found with their key, and what their
    /// submissions say.
    found: BTreeMap<Period, (Vec<Finding>, Said)>,
}

/// This program: its version and the build that runs (another build may judge otherwise).
/// None when the running file cannot be told: nothing is kept or used then.
fn build() -> Option<String> {
    let p = std::env::current_exe().ok()?;
    let m = std::fs::metadata(&p).ok()?;
    let modified = m.modified().ok()?;
    Some(format!(
        "{} {} {} {modified:?}",
        env!("CARGO_PKG_VERSION"),
        p.display(),
        m.len()
    ))
}

impl Months {
    /// The keys of `months` and their kept findings. Without a key (the build or settings
    /// could not be told, the store's files could not be listed) a month is checked.
    pub fn open(consortium: &Consortium, store: &Store, months: &[Period]) -> Months {
        let dir = store.cache_dir().join("findings");
        let mut keys = BTreeMap::new();
        if let (Some(build), Ok(settings)) = (build(), serde_json::to_string(&consortium.file)) {
            let base = format!("{FORMAT}\n{build}\n{settings}\n");
            for &m in months {
                if let Ok(sources) = store.sources_through(m) {
                    let mut h = Sha256::new();
                    h.update(base.as_bytes());
                    h.update(m.to_string().as_bytes());
                    h.update(b"\n");
                    h.update(sources.as_bytes());
                    keys.insert(m, format!("{:x}", h.finalize()));
                }
            }
        }
        let found = keys
            .iter()
            .filter_map(|(&m, key)| Some((m, read(&dir, m, key)?)))
            .collect();
        Months { dir, keys, found }
    }

    /// The kept findings, and each kept month with what its submissions say.
    pub fn take_found(&mut self) -> (Vec<Finding>, Vec<(Period, Said)>) {
        let mut findings = Vec::new();
        let mut said = Vec::new();
        for (m, (f, s)) in std::mem::take(&mut self.found) {
            findings.extend(f);
            said.push((m, s));
        }
        (findings, said)
    }

    /// Keeps the findings of `checked` (each month's, none for a month without any) and
    /// what `said` gives of each month, for the next report. Best effort: a store that
    /// cannot be written to is only read.
    pub fn keep(&self, checked: &[Period], findings: &[Finding], said: impl Fn(Period) -> Said) {
        let mut by_month: BTreeMap<String, Vec<Kept>> = checked
            .iter()
            .filter(|m| self.keys.contains_key(m))
            .map(|m| (m.to_string(), Vec::new()))
            .collect();
        for f in findings {
            if let Some(v) = by_month.get_mut(&f.period) {
                v.push(Kept::from(f));
            }
        }
        for (&m, key) in &self.keys {
            let Some(findings) = by_month.remove(&m.to_string()) else {
                continue;
            };
            let entry = Entry {
                key: key.clone(),
                findings,
                said: said(m),
            };
            if let Err(e) = write(&self.dir, m, &entry) {
                log::debug!("findings of {m} not kept: {e:#}");
            }
        }
    }
}

/// An entry is JSON, gzip-compressed: the findings' texts repeat, and a month's entry would
/// otherwise weigh more than the month's stored submissions.
fn path(dir: &std::path::Path, m: Period) -> PathBuf {
    dir.join(format!("{m}.json.gz"))
}

/// No entry yilian writes comes near this when inflated (2,000 members × 42 items: 2 MB).
const MAX_ENTRY: u64 = 256 << 20;

/// The month's kept findings, if its entry is there, whole, and of this key.
fn read(dir: &std::path::Path, m: Period, key: &str) -> Option<(Vec<Finding>, Said)> {
    use std::io::Read;
    let file = std::fs::File::open(path(dir, m)).ok()?;
    let mut bytes = Vec::new();
    if let Err(e) = flate2::read::GzDecoder::new(file)
        .take(MAX_ENTRY)
        .read_to_end(&mut bytes)
    {
        log::debug!("findings of {m} kept unreadable: {e}");
        return None;
    }
    let entry: Entry = match serde_json::from_slice(&bytes) {
        Ok(e) => e,
        Err(e) => {
            log::debug!("findings of {m} kept unreadable: {e}");
            return None;
        }
    };
    if entry.key != key {
        return None;
    }
    // An entry names its month in each finding: one moved or copied from another month's
    // file is not this month's.
    if entry
        .findings
        .iter()
        .any(|k| k.finding.period != m.to_string())
    {
        return None;
    }
    // Every item index within the items (an entry not written by yilian may not be).
    let items = entry.said.items.len();
    if entry
        .said
        .figures
        .iter()
        .flat_map(|(_, xs)| xs)
        .any(|&x| x as usize >= items)
    {
        return None;
    }
    Some((
        entry.findings.into_iter().map(Finding::from).collect(),
        entry.said,
    ))
}

/// Written whole or not at all (a temporary file renamed), as another command may read it.
fn write(dir: &std::path::Path, m: Period, entry: &Entry) -> anyhow::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_vec(entry)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&json)?;
    let bytes = gz.finish()?;
    let tmp = dir.join(format!(".{m}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, &bytes)?;
    if let Err(e) = std::fs::rename(&tmp, path(dir, m)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    Ok(())
}
