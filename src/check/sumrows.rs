//! 合计 rows. The store keeps the members' rows, not the 合计 row (it is no member's figure),
//! so the files with a 合计 row (summary and department layouts) are read again from where
//! ingest found them, and checked only if their bytes are still the ones stored.

use super::{Data, Finding, Severity};
use crate::config::Consortium;
use crate::locate;
use crate::period::Period;
use crate::read;
use crate::store::Store;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

struct Source {
    file: String,
    path: String,
    layout: String,
    members: BTreeSet<String>,
    periods: BTreeSet<Period>,
}

/// The path as given to ingest, else relative to the consortium file or the store.
fn find(path: &str, consortium: &Consortium, store: &Store) -> Option<PathBuf> {
    let p = Path::new(path);
    if p.is_file() {
        return Some(p.to_path_buf());
    }
    if p.is_absolute() {
        return None;
    }
    let mut bases: Vec<PathBuf> = Vec::new();
    if let Some(dir) = consortium.path.as_deref().and_then(Path::parent) {
        bases.push(dir.to_path_buf());
        if let Some(up) = dir.parent() {
            bases.push(up.to_path_buf());
        }
    }
    if let Some(dir) = store.root().parent() {
        bases.push(dir.to_path_buf());
    }
    bases.into_iter().map(|b| b.join(p)).find(|c| c.is_file())
}

pub fn check(
    consortium: &Consortium,
    store: &Store,
    data: &Data,
    targets: &BTreeSet<Period>,
    out: &mut Vec<Finding>,
) {
    // Files in use with a 合计 row, by content hash.
    let in_use: BTreeSet<i64> = data
        .base
        .values()
        .flat_map(|v| v.values().map(|r| r.seq))
        .collect();
    let mut sources: BTreeMap<&str, Source> = BTreeMap::new();
    for r in &data.all {
        if !(r.layout == "wide" || r.layout == "department") || !in_use.contains(&r.seq) {
            continue;
        }
        let s = sources.entry(&r.content_hash).or_insert_with(|| Source {
            file: r.source_file.clone(),
            path: r.source_path.clone(),
            layout: r.layout.clone(),
            members: BTreeSet::new(),
            periods: BTreeSet::new(),
        });
        s.members.insert(r.member.clone());
        s.periods.insert(r.period);
    }
    for (hash, s) in sources {
        let Some(period) = s.periods.iter().next().copied() else {
            continue;
        };
        if !s.periods.iter().any(|p| targets.contains(p)) {
            continue;
        }
        // A summary sheet's 合计 row is no member's; a department sheet's is its member's.
        let member = if s.layout == "department" && s.members.len() == 1 {
            s.members.iter().next().cloned().unwrap_or_default()
        } else {
            String::new()
        };
        let unchecked = |why: String| {
            let mut f = Finding::bare(Severity::Info, "sum_row_unchecked", &member, period, why);
            f.file = s.file.clone();
            f
        };
        let Some(path) = find(&s.path, consortium, store) else {
            out.push(unchecked(format!(
                "合计 row not checked: {} is no longer where it was ingested from",
                s.path
            )));
            continue;
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                out.push(unchecked(format!(
                    "合计 row not checked: cannot read {}: {e}",
                    path.display()
                )));
                continue;
            }
        };
        if format!("{:x}", Sha256::digest(&bytes)) != hash {
            out.push(unchecked(format!(
                "合计 row not checked: {} has changed since it was ingested",
                path.display()
            )));
            continue;
        }
        let Ok(wb) = read::read_bytes(&bytes) else {
            continue;
        };
        let ctx = locate::Context {
            consortium,
            file_name: &s.file,
            period_override: (s.periods.len() == 1).then_some(period),
        };
        for sheet in wb.sheets.iter().filter(|sh| !sh.is_blank()) {
            let res = locate::locate_sheet(sheet, &ctx);
            // The locate stage compares each 合计 cell with its rows (`check_total`).
            for w in res
                .warnings
                .iter()
                .filter(|w| w.message.starts_with("合计 row says"))
            {
                let stated = w
                    .message
                    .strip_prefix("合计 row says ")
                    .and_then(|t| t.split(' ').next())
                    .unwrap_or("")
                    .to_string();
                let item = w
                    .message
                    .split('`')
                    .nth(1)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let code = consortium
                    .catalog
                    .lookup(&item)
                    .map(|t| consortium.catalog.target_code(t).to_string())
                    .unwrap_or_default();
                let mut f = Finding::bare(
                    Severity::Warning,
                    "sum_row",
                    &member,
                    period,
                    format!(
                        "{} (the store keeps the rows; correct the 合计 so the sheet is consistent)",
                        w.message
                    ),
                );
                f.item = code.clone();
                f.item_name = item;
                f.value = stated;
                f.file = s.file.clone();
                f.sheet = sheet.name.clone();
                f.cell = w.cell.clone().unwrap_or_default();
                f.involves = vec![code];
                out.push(f);
            }
        }
    }
}
