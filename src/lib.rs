//! yilian (医联): medical consortium performance reporting.
//!
//! Data flows one way, one module per stage:
//! read (bytes → cell grids) → locate (layout, header, period, member) → map (catalog
//! aliases → metric codes) → normalize (text) → validate → store (Parquet, lineage) →
//! compute → render.

pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod compute;
pub mod config;
pub mod exit;
pub mod ingest;
pub mod locate;
pub mod output;
pub mod period;
pub mod read;
pub mod render;
pub mod report;
pub mod sample;
pub mod store;
pub mod text;
