//! `yilian sample DIR`: a realistic sample consortium to try every command on.

use crate::cli::SampleArgs;
use anyhow::Result;

pub fn run(args: &SampleArgs) -> Result<i32> {
    let summary = crate::sample::write_sample(&args.dir)?;
    println!(
        "wrote a sample consortium into {}: consortium.toml and {} spreadsheets, {} members, {} to {}",
        args.dir.display(),
        summary.files.len(),
        summary.members,
        summary.periods.first().map(String::as_str).unwrap_or("-"),
        summary.periods.last().map(String::as_str).unwrap_or("-"),
    );
    println!("next: yilian ingest {}", args.dir.display());
    Ok(crate::exit::OK)
}
