//! `yilian store verify`: every submission file checked against what was written;
//! `yilian store forget FILE`: give up a lost one;
//! `yilian store compact`: small files rewritten as fewer.

use super::ui;
use crate::cli::{Common, StoreArgs, StoreCommand};
use crate::export::{Format, Table};
use crate::i18n::Msg;
use crate::model::fmt_thousands;
use crate::store::manifest::{seq_list, seq_ranges};
use crate::store::{FileStatus, Store};
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;

pub fn run(args: &StoreArgs) -> Result<i32> {
    match &args.command {
        StoreCommand::Verify(a) => verify(&a.common, a.format),
        StoreCommand::Forget(a) => forget(&a.common, &a.file),
        StoreCommand::Compact(a) => compact(&a.common),
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
    let lang = ui::lang();
    let mut t = Table::new(["file", "submissions", "bytes", "status", "sent as"]).labelled(lang);
    for f in &st.files {
        let status = match f.status {
            FileStatus::Ok => Msg::StoreFileOk,
            FileStatus::Unrecorded => Msg::StoreFileUnrecorded,
            FileStatus::Missing => Msg::StoreFileMissing,
            FileStatus::Damaged => Msg::StoreFileDamaged,
            FileStatus::Forgotten => Msg::StoreFileForgotten,
            FileStatus::Superseded => Msg::StoreFileSuperseded,
        };
        t.push(vec![
            f.name.clone(),
            seq_ranges(&f.seqs),
            f.bytes
                .map(|b| fmt_thousands(b as f64, 0))
                .unwrap_or_default(),
            ui::t(status, &[]),
            match f.sources.len() {
                0..=2 => f.sources.join(", "),
                n => ui::t(
                    Msg::SentAsMore,
                    &[("first", &f.sources[..2].join(", ")), ("n", &n)],
                ),
            },
        ]);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}",
        ui::t(Msg::StoreRoot, &[("dir", &store.root().display())])
    )?;
    if st.files.is_empty() {
        writeln!(out, "{}", ui::t(Msg::StoreEmpty, &[]))?;
    } else {
        t.write(Format::Table, &mut out)?;
    }
    for n in &st.notes {
        writeln!(
            out,
            "{}",
            ui::t(Msg::Warning, &[("what", &n.in_lang(lang))])
        )?;
    }
    let total: usize = st.files.iter().map(|f| f.seqs.len()).sum();
    if st.is_sound() {
        let files = st.files.iter().filter(|f| f.is_intact()).count();
        let line = ui::t(
            Msg::StoreSound,
            &[("files", &files), ("submissions", &total)],
        );
        writeln!(out, "{line}")?;
    } else {
        for f in st.lost() {
            writeln!(
                out,
                "{}",
                ui::t(
                    Msg::StoreDamagedFile,
                    &[("file", &f.describe().in_lang(lang))]
                )
            )?;
            if !f.member_months.is_empty() {
                let months = f.member_months.join(", ");
                writeln!(
                    out,
                    "{}",
                    ui::t(Msg::StoreHeldMonths, &[("months", &months)])
                )?;
            }
        }
        let line = ui::t(
            Msg::StoreDamagedAdvice,
            &[("lost", &seq_list(&lost).in_lang(lang)), ("total", &total)],
        );
        writeln!(out, "{line}")?;
    }
    Ok(code)
}

fn forget(common: &Common, name: &str) -> Result<i32> {
    let store = Store::open_existing(&store_dir(common)?)?;
    let entry = store.forget(name)?;
    let line = ui::t(
        Msg::StoreForgot,
        &[
            ("file", &name),
            ("seqs", &seq_list(&entry.seqs).in_lang(ui::lang())),
            ("dir", &store.root().join("damaged").display()),
        ],
    );
    println!("{line}");
    Ok(crate::exit::OK)
}

fn compact(common: &Common) -> Result<i32> {
    let store = Store::open_existing(&store_dir(common)?)?;
    let done = store.compact()?;
    let merged: usize = done.merged.iter().map(|(old, _)| old.len()).sum();
    let line = ui::t(
        Msg::StoreCompacted,
        &[
            ("merged", &merged),
            ("written", &done.merged.len()),
            ("files", &done.files),
        ],
    );
    println!("{line}");
    Ok(crate::exit::OK)
}
