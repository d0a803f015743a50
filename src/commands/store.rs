//! `yilian store verify`: every submission file checked against what was written;
//! `yilian store forget FILE`: give up a lost one.

use crate::cli::{Common, StoreArgs, StoreCommand};
use crate::export::{Format, Table};
use crate::model::fmt_thousands;
use crate::store::manifest::seq_list;
use crate::store::{FileStatus, Store};
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: &StoreArgs) -> Result<i32> {
    match &args.command {
        StoreCommand::Verify(a) => verify(&a.common, a.format),
        StoreCommand::Forget(a) => forget(&a.common, &a.file),
    }
}

/// The store folder: `--store`, else beside the consortium file.
fn store_dir(common: &Common) -> Result<PathBuf> {
    super::store_options(common)?;
    match &common.store {
        Some(s) => Ok(s.clone()),
        None => Ok(super::setup(common, &[])?.1),
    }
}

fn verify(common: &Common, format: Format) -> Result<i32> {
    let store = Store::open_existing(&store_dir(common)?)?;
    let st = store.verify()?;
    let lost: Vec<u64> = st
        .lost()
        .flat_map(|f| f.seqs.iter().copied())
        .collect::<Vec<_>>();
    let code = if st.is_sound() {
        crate::exit::OK
    } else {
        crate::exit::STORE_DAMAGED
    };
    if format == Format::Json {
        let v = serde_json::json!({
            "store": store.root().display().to_string(),
            "sound": st.is_sound(),
            "files": st.files,
            "lost_seqs": lost,
            "notes": st.notes,
            "exit_code": code,
        });
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(code);
    }
    let mut t = Table::new(["file", "submissions", "bytes", "status", "sent as"]);
    for f in &st.files {
        let status = match f.status {
            FileStatus::Ok => "ok",
            FileStatus::Unrecorded => "ok (recorded by the next ingest)",
            FileStatus::Missing => "MISSING",
            FileStatus::Damaged => "DAMAGED",
            FileStatus::Forgotten => "given up",
        };
        t.push(vec![
            f.name.clone(),
            seq_list(&f.seqs)
                .split_once(' ')
                .map(|x| x.1.to_string())
                .unwrap_or_default(),
            f.bytes
                .map(|b| fmt_thousands(b as f64, 0))
                .unwrap_or_default(),
            status.to_string(),
            match f.sources.len() {
                0..=2 => f.sources.join(", "),
                n => format!("{}, … ({n} files)", f.sources[..2].join(", ")),
            },
        ]);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "store: {}", store.root().display())?;
    if st.files.is_empty() {
        writeln!(out, "no submissions yet")?;
    } else {
        t.write(Format::Table, &mut out)?;
    }
    for n in &st.notes {
        writeln!(out, "warning: {n}")?;
    }
    let total: usize = st.files.iter().map(|f| f.seqs.len()).sum();
    if st.is_sound() {
        writeln!(
            out,
            "sound: {} files, {total} submissions, each file whole (SHA-256 as written)",
            st.files.iter().filter(|f| f.is_intact()).count()
        )?;
    } else {
        for f in st.lost() {
            writeln!(out, "damaged: {}", f.describe())?;
            if !f.member_months.is_empty() {
                writeln!(
                    out,
                    "         member-months it held: {}",
                    f.member_months.join(", ")
                )?;
            }
        }
        writeln!(
            out,
            "DAMAGED: {} lost of {total}. To repair: restore the file from a backup (checked \
             by its SHA-256), or ingest the files it held again (they keep their sequence \
             numbers), or give them up with `yilian store forget FILE`. Until then commands \
             that read the store refuse, unless --allow-damaged-store.",
            seq_list(&lost)
        )?;
    }
    Ok(code)
}

fn forget(common: &Common, name: &str) -> Result<i32> {
    let store = Store::open_existing(&store_dir(common)?)?;
    let entry = store.forget(name)?;
    println!(
        "gave up submissions/{name} ({}); anything left of it is kept in {}",
        seq_list(&entry.seqs),
        store.root().join("damaged").display()
    );
    Ok(crate::exit::OK)
}
