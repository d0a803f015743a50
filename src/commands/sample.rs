//! `yilian sample DIR`: a realistic sample consortium to try every command on.

use crate::cli::SampleArgs;
use anyhow::Result;

pub fn run(args: &SampleArgs) -> Result<i32> {
    if let Some(n) = args.consortia {
        return bureau(args, n.into());
    }
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
    use crate::i18n::Msg;
    let t = super::ui::t;
    let dir = args.dir.display();
    let first = summary.periods.first().map(String::as_str).unwrap_or("-");
    let last = summary.periods.last().map(String::as_str).unwrap_or("-");
    println!(
        "{}",
        t(
            Msg::SampleWritten,
            &[
                ("dir", &dir),
                ("files", &spreadsheets),
                ("members", &summary.members),
                ("first", &first),
                ("last", &last),
            ]
        )
    );
    println!("{}", t(Msg::SampleNext, &[("dir", &dir)]));
    Ok(crate::exit::OK)
}

/// `--consortia N`: the bureau sample.
fn bureau(args: &SampleArgs, n: usize) -> Result<i32> {
    use crate::i18n::Msg;
    let t = super::ui::t;
    let summary = crate::sample::write_bureau_sample(&args.dir, n)?;
    let spreadsheets = summary
        .files
        .iter()
        .filter(|f| !matches!(f.extension().and_then(|e| e.to_str()), Some("toml" | "md")))
        .count();
    let dir = args.dir.display();
    println!(
        "{}",
        t(
            Msg::BureauSampleWritten,
            &[
                ("dir", &dir),
                ("consortia", &summary.consortia),
                ("files", &spreadsheets),
                ("first", &summary.first),
                ("last", &summary.last),
            ]
        )
    );
    println!("{}", t(Msg::BureauSampleNext, &[("dir", &dir)]));
    Ok(crate::exit::OK)
}
