//! One module per subcommand, each with a `run` returning the exit code.

pub mod catalog;
pub mod chart;
pub mod check;
pub mod history;
pub mod indicators;
pub mod ingest;
pub mod report;
pub mod sample;
pub mod store;

use crate::cli::Common;
use crate::config::{self, Consortium};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Loads the consortium file and decides where the store is.
pub fn setup(common: &Common, inputs: &[PathBuf]) -> Result<(Consortium, PathBuf)> {
    store_options(common)?;
    let path = config::discover(common.config.as_deref(), inputs)?;
    let consortium = Consortium::load(&path)?;
    let store = match &common.store {
        Some(s) => s.clone(),
        None => path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
            .join("store"),
    };
    Ok((consortium, store))
}

/// The store choices of the command line, for every store this run opens.
pub fn store_options(common: &Common) -> Result<()> {
    let lock_timeout = match common.lock_timeout {
        Some(s) if !(s.is_finite() && s >= 0.0) => {
            anyhow::bail!("--lock-timeout takes a number of seconds, 0 or more (got {s})")
        }
        Some(s) => Some(std::time::Duration::from_secs_f64(s)),
        None => None,
    };
    crate::store::configure(crate::store::Options {
        allow_damaged: common.allow_damaged_store,
        lock_timeout,
    });
    Ok(())
}
