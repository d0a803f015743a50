//! `yilian sample DIR`: a realistic sample consortium to try every command on.

use crate::cli::SampleArgs;
use anyhow::Result;

pub fn run(args: &SampleArgs) -> Result<i32> {
    let summary = crate::sample::write_sample(&args.dir)?;
    // For scripts/make_xls_fixtures.py (see its header): the .xls specs next to the sample.
    if let Some(dir) = std::env::var_os("YILIAN_SAMPLE_XLS_SPECS") {
        crate::sample::write_xls_specs(std::path::Path::new(&dir))?;
    }
    // consortium.toml and README.md are among the files written, not spreadsheets.
    let spreadsheets = summary
        .files
        .iter()
        .filter(|f| !matches!(f.extension().and_then(|e| e.to_str()), Some("toml" | "md")))
        .count();
    println!(
        "wrote a sample consortium into {}: consortium.toml and {} spreadsheets, {} members, {} to {}",
        args.dir.display(),
        spreadsheets,
        summary.members,
        summary.periods.first().map(String::as_str).unwrap_or("-"),
        summary.periods.last().map(String::as_str).unwrap_or("-"),
    );
    println!("next: yilian ingest {}", args.dir.display());
    Ok(crate::exit::OK)
}
