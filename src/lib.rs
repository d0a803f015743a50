//! yilian (医联): medical consortium performance reporting.
//!
//! Data flows one way, one module per stage:
//! read (bytes → cell grids) → locate (layout, header, period, member) → map (catalog
//! aliases → metric codes) → normalize (text) → validate → store (Parquet, lineage) →
//! compute → render.

pub mod bureau;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod compute;
pub mod config;
pub mod exit;
pub mod export;
pub mod i18n;
pub mod ingest;
pub mod init;
pub mod locate;
pub mod model;
pub mod read;
pub mod render;
pub mod report;
// The sample consortium's generator: behind the default `sample` feature, so the reader and
// the core build and test without it (`--no-default-features`).
#[cfg(feature = "sample")]
pub mod sample;
pub mod store;
pub mod text;

/// Seconds since the process's start (first asked by `commands::diag::init`, as `main`
/// installs the logger): the one clock of `--debug`'s timeline, whose stages each count from
/// their own start, so that the work of threads running side by side can be put in order.
pub fn since_start() -> f64 {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    STARTED
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

/// Transparent huge pages make each fresh 2 MB of heap cost a zeroing (and at times a
/// compaction stall) in the kernel: ingest allocates and frees hundreds of MB in small
/// pieces, and ran up to twice slower, unpredictably, with them.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: a process-wide flag set at start-up; no memory is touched.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
