//! Exit codes, stable for batch jobs (documented in README.md).

/// Everything asked was done.
pub const OK: i32 = 0;
/// The command could not run: bad consortium file, store unreadable, I/O failure.
pub const FAILURE: i32 = 1;
/// Bad command-line usage (clap's own code).
pub const USAGE: i32 = 2;
/// `ingest`: at least one file was rejected; every other file was stored.
pub const REJECTED: i32 = 3;
/// `check`: warnings but no errors (information alone is clean, exit 0).
pub const CHECK_WARNINGS: i32 = 4;
/// `check`: at least one error (a finding a member must correct).
pub const CHECK_ERRORS: i32 = 5;
