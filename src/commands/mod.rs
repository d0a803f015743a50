//! One module per subcommand, each with a `run` returning the exit code.

pub mod bureau;
pub mod catalog;
pub mod chart;
pub mod check;
pub mod completions;
pub mod diag;
pub mod help;
pub mod history;
pub mod indicators;
pub mod ingest;
pub mod init;
pub mod report;
#[cfg(feature = "sample")]
pub mod sample;
pub mod store;
pub mod ui;

use crate::cli::Common;
use crate::config::{self, Consortium};
use crate::i18n::Msg;
use crate::store::Store;
use anyhow::Result;
use std::path::{Path, PathBuf};
use ui::t;

/// Loads the consortium file and decides where the store is.
pub fn setup(common: &Common, inputs: &[PathBuf]) -> Result<(Consortium, PathBuf)> {
    store_options(common)?;
    let path = config::discover(common.config.as_deref(), inputs)?;
    let consortium = Consortium::load(&path)?;
    Ok((consortium, store_dir_of(common, &path)))
}

/// The store: the one named, else `store` beside the consortium file.
fn store_dir_of(common: &Common, config: &Path) -> PathBuf {
    match &common.store {
        Some(s) => s.clone(),
        None => config
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
            .join("store"),
    }
}

/// `setup` and the existing store opened, its manifest read on a thread beside the
/// consortium file's parse (at a bureau's scale, 2,000 members and a 20 MB manifest, each
/// takes tens of milliseconds before any figure is read). `ready` runs after the parse (a
/// command's own checks of the file and its options); its error, like the file's, comes
/// before the store's.
pub fn setup_store<R>(
    common: &Common,
    inputs: &[PathBuf],
    ready: impl FnOnce(&Consortium) -> Result<R>,
) -> Result<(Consortium, R, Store)> {
    let (consortium, r, store, ()) = setup_store_early(common, inputs, ready, |_| ())?;
    Ok((consortium, r, store))
}

/// `setup_store`, with `early` run on the store as soon as it is open (its summary read),
/// beside the consortium file's parsing: what a command reads of the store without the
/// consortium (the figures of `indicators`) is read meanwhile. A consortium file's error
/// is still said first, then the store's.
pub fn setup_store_early<R, E: Send>(
    common: &Common,
    inputs: &[PathBuf],
    ready: impl FnOnce(&Consortium) -> Result<R>,
    early: impl FnOnce(&Store) -> E + Send,
) -> Result<(Consortium, R, Store, E)> {
    store_options(common)?;
    let path = config::discover(common.config.as_deref(), inputs)?;
    let dir = store_dir_of(common, &path);
    std::thread::scope(|s| {
        // `reported.json` too, beside the manifest: a bureau's is a megabyte of JSON, and
        // every command here asks for its months first.
        let summary = s.spawn(|| crate::store::SummaryFile::read(&dir));
        let opening = s.spawn(|| {
            let store = Store::open_existing(&dir)?;
            // Only warmed: an error is met again, where the first read asks for the state.
            let _ = store.state();
            if let Ok(summary) = crate::i18n::joined(summary, "the summary") {
                store.prefetch(summary);
            }
            let made = early(&store);
            Ok::<_, anyhow::Error>((store, made))
        });
        let parsed = Consortium::load(&path).and_then(|c| ready(&c).map(|r| (c, r)));
        let opened = crate::i18n::joined(opening, "the store's opening").and_then(|r| r);
        let (consortium, r) = parsed?;
        let (store, made) = opened?;
        Ok((consortium, r, store, made))
    })
}

/// Where a table goes: the file named, else standard output — buffered either way (a
/// bureau's check is tens of thousands of lines, and standard output, alone, writes each
/// line by itself). The caller flushes.
pub fn sink(output: Option<&Path>) -> Result<Box<dyn std::io::Write>> {
    use crate::i18n::SaidContext;
    Ok(match output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p)
                .said(|| crate::said!(Msg::CannotCreate, path = p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// A member named on the command line: its id, its name or any alias, as in files.
pub fn member_id(consortium: &Consortium, text: &str) -> Result<String> {
    if let Some(m) = consortium
        .member(text)
        .or_else(|| consortium.find_member(text))
    {
        return Ok(m.id.clone());
    }
    let by_id = consortium
        .members()
        .iter()
        .map(|m| (strsim::jaro_winkler(&text.to_lowercase(), &m.id), m))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, m)| format!("{} ({})", m.name, m.id));
    let mut close: Vec<String> = by_id.into_iter().collect();
    for s in consortium.suggest(text) {
        if !close.contains(&s) {
            close.push(s);
        }
    }
    match close.as_slice() {
        [] => anyhow::bail!("{}", t(Msg::UnknownMember, &[("name", &text)])),
        _ => anyhow::bail!(
            "{}",
            t(
                Msg::UnknownMemberSuggest,
                &[("name", &text), ("close", &close.join(", "))]
            )
        ),
    }
}

/// Indicator codes from the command line: codes, Chinese or English names, or aliases.
pub fn indicator_codes(consortium: &Consortium, texts: &[String]) -> Result<Vec<String>> {
    let cat = &consortium.catalog;
    texts
        .iter()
        .map(|t| {
            let t = t.trim();
            let known = cat.metrics.iter().map(|m| (&m.code, &m.name_en));
            let known = known.chain(cat.indicators.iter().map(|i| (&i.code, &i.name_en)));
            if let Some((code, _)) = known
                .clone()
                .find(|(c, en)| *c == t || en.eq_ignore_ascii_case(t))
            {
                return Ok(code.clone());
            }
            if let Some(target) = cat.lookup(t) {
                return Ok(cat.target_code(target).to_string());
            }
            match cat.suggest(t) {
                Some(c) => anyhow::bail!(
                    "{}",
                    ui::t(Msg::UnknownIndicatorSuggest, &[("name", &t), ("code", &c)])
                ),
                None => anyhow::bail!("{}", ui::t(Msg::UnknownIndicator, &[("name", &t)])),
            }
        })
        .collect()
}

/// The store choices of the command line, for every store this run opens.
pub fn store_options(common: &Common) -> Result<()> {
    let lock_timeout = match common.lock_timeout {
        Some(s) if !(s.is_finite() && s >= 0.0) => {
            anyhow::bail!("{}", t(Msg::BadLockTimeout, &[("got", &s)]))
        }
        Some(s) => Some(std::time::Duration::from_secs_f64(s)),
        None => None,
    };
    crate::store::configure(crate::store::Options {
        allow_damaged: common.allow_damaged_store,
        lock_timeout,
        // The store's warnings and lock waits, on stderr as they happen.
        notify: Some(|line| {
            let (msg, what) = match line {
                crate::store::Note::Warning(t) => (Msg::Warning, t),
                crate::store::Note::Note(t) => (Msg::Note, t),
            };
            let what = crate::export::escape_terminal(&what.in_lang(ui::lang())).into_owned();
            eprintln!("{}", t(msg, &[("what", &what)]));
        }),
    });
    Ok(())
}
