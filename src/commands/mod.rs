//! One module per subcommand, each with a `run` returning the exit code.

pub mod catalog;
pub mod chart;
pub mod check;
pub mod history;
pub mod indicators;
pub mod ingest;
pub mod report;
pub mod sample;

use crate::cli::Common;
use crate::config::{self, Consortium};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Loads the consortium file and decides where the store is.
pub fn setup(common: &Common, inputs: &[PathBuf]) -> Result<(Consortium, PathBuf)> {
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
