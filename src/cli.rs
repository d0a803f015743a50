//! The command line: argument definitions only; each subcommand's work is in `commands`.

use crate::output::Format;
use crate::period::Period;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "yilian", version, about = "医联 — medical consortium monthly performance reporting", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the consortium file and the store are; shared by every command that reads data.
#[derive(Args, Debug, Clone, Default)]
pub struct Common {
    /// Consortium file [default: ./consortium.toml, else one in or above the input folder]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Store folder [default: `store` beside the consortium file]
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Run a command that only reads on the intact part of a damaged store, saying on stderr
    /// which submissions are left out (without it such a command refuses, exit 6)
    #[arg(long)]
    pub allow_damaged_store: bool,
    /// Commands that write (ingest, report --input): give up after SECONDS waiting for another
    /// yilian process holding the store lock (exit 7) [default: wait, saying so]
    #[arg(long, value_name = "SECONDS")]
    pub lock_timeout: Option<f64>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read members' monthly spreadsheets (files or folders) into the store
    Ingest(IngestArgs),
    /// Year-on-year and month-on-month indicators per member, tier and consortium
    Indicators(IndicatorsArgs),
    /// Find wrong, late and missing submissions (exit 0 clean, 4 warnings only, 5 errors)
    Check(CheckArgs),
    /// Write the monthly report bundle (HTML, Excel, Markdown, charts)
    Report(ReportArgs),
    /// Draw one chart of the report as SVG or PNG
    Chart(ChartArgs),
    /// List the submissions kept in the store, corrections included
    History(HistoryArgs),
    /// Write a realistic sample consortium (config and 24 months of spreadsheets) into DIR
    Sample(SampleArgs),
    /// List every metric and indicator: code, name, unit, aggregation, aliases
    Catalog(CatalogArgs),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish)
    Completions(CompletionsArgs),
    /// Write the manual pages (yilian.1 and one per subcommand), or print yilian.1
    Man(ManArgs),
    /// Check the store's files (`verify`), or give up a lost one (`forget`)
    Store(StoreArgs),
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// e.g. `yilian completions bash > /etc/bash_completion.d/yilian`
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Folder for yilian.1 and yilian-SUBCOMMAND.1 [default: print yilian.1 to standard output]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct StoreArgs {
    #[command(subcommand)]
    pub command: StoreCommand,
}

#[derive(Subcommand, Debug)]
pub enum StoreCommand {
    /// Check every submission file against what was written (size, Parquet footer, SHA-256)
    #[command(
        after_help = "Exit codes: 0 the store is sound, 6 a submission file is missing or damaged, \
1 the check could not run."
    )]
    Verify(StoreVerifyArgs),
    /// Give up a missing or damaged submission file (kept in damaged/, its submissions no longer read)
    Forget(StoreForgetArgs),
}

#[derive(Args, Debug)]
pub struct StoreVerifyArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_enum, default_value_t = IngestFormat::Table)]
    pub format: IngestFormat,
}

#[derive(Args, Debug)]
pub struct StoreForgetArgs {
    #[command(flatten)]
    pub common: Common,
    /// The file's name as `yilian store verify` lists it (e.g. 000002-000003.parquet)
    #[arg(value_name = "FILE")]
    pub file: String,
}

#[derive(Args, Debug)]
pub struct IngestArgs {
    #[command(flatten)]
    pub common: Common,
    /// Use this month for every sheet, whatever the sheets or file names say
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    /// Add members whose names are not in the consortium file (appended to it) instead of rejecting
    #[arg(long)]
    pub add_unknown_members: bool,
    #[arg(long, value_enum, default_value_t = IngestFormat::Table)]
    pub format: IngestFormat,
    /// List every file, not only the ones with problems
    #[arg(long, short)]
    pub verbose: bool,
    /// Files or folders (read recursively)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum IngestFormat {
    Table,
    Json,
}

#[derive(Args, Debug)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub common: Common,
    /// The month reported on [default: the latest month in the store]
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    #[arg(long, value_enum, default_value_t = crate::compute::Window::Month)]
    pub window: crate::compute::Window,
    #[arg(long, value_enum, default_value_t = ScopeArg::All)]
    pub scope: ScopeArg,
    /// Tier and consortium figures over the members that reported in both windows only
    #[arg(long)]
    pub like_for_like: bool,
    /// Only these indicators (codes, names or aliases, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub indicator: Option<Vec<String>>,
    /// 托管前后对比: this member's twelve months from joining against the twelve before
    #[arg(long, value_name = "MEMBER", conflicts_with_all = ["window", "scope", "like_for_like"])]
    pub since_joined: Option<String>,
    #[arg(long, value_enum, default_value_t = RecordFormat::Table)]
    pub format: RecordFormat,
    /// Write to this file instead of standard output (required for xlsx)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format csv: write text exactly as stored, without the `'` put before text that
    /// starts with = + - @ tab or CR (which a spreadsheet would run as a formula)
    #[arg(long)]
    pub csv_raw: bool,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Exit codes: 0 no errors or warnings (information only), 4 warnings only, \
5 at least one error, 1 the check could not run (bad consortium file, a rule with a typo, no store)."
)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
    /// Only this month [default: every month in the store]
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    pub format: CheckFormat,
    /// Write to this file instead of standard output (required for xlsx: the 退回修改清单)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format csv: write text exactly as stored, without the `'` put before text that
    /// starts with = + - @ tab or CR (which a spreadsheet would run as a formula)
    #[arg(long)]
    pub csv_raw: bool,
    /// Language of the 退回修改清单 (--format xlsx): zh for the members (default), en keeps the
    /// English messages
    #[arg(long, value_enum, default_value_t = crate::report::Lang::Zh)]
    pub lang: crate::report::Lang,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Table,
    Csv,
    Json,
    Xlsx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    Member,
    Tier,
    Consortium,
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    Table,
    Csv,
    Json,
    Md,
    Xlsx,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub common: Common,
    /// Only this member (id or name)
    #[arg(long)]
    pub member: Option<String>,
    /// Only this month
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --format csv: write text exactly as stored, without the `'` put before text that
    /// starts with = + - @ tab or CR (which a spreadsheet would run as a formula)
    #[arg(long)]
    pub csv_raw: bool,
}

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Folder to write into (created if missing)
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct CatalogArgs {
    /// Include the aliases and indicators of this consortium file
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --format csv: write text exactly as stored, without the `'` put before text that
    /// starts with = + - @ tab or CR (which a spreadsheet would run as a formula)
    #[arg(long)]
    pub csv_raw: bool,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub common: Common,
    /// Ingest these files or folders first, as `yilian ingest` does
    #[arg(long = "input", value_name = "PATH")]
    pub inputs: Vec<PathBuf>,
    /// The month reported on [default: the latest month in the store]
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    /// Folder to write index.html, report.xlsx, summary.md and charts/ into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = crate::report::Lang::Zh)]
    pub lang: crate::report::Lang,
    /// What tier and consortium changes compare: comparable (可比口径, members with figures in
    /// both periods) or all (全口径, labelled on every page)
    #[arg(long, value_enum, default_value_t = crate::report::ChangeBasis::Comparable)]
    pub basis: crate::report::ChangeBasis,
    /// TrueType/OpenType font for the charts instead of the embedded Noto Sans SC subset
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ChartArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(value_enum)]
    pub kind: crate::report::charts::ChartKind,
    /// The month reported on [default: the latest month in the store]
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    /// Indicator code, name or alias (trend and member charts) [default: discharges]
    #[arg(long, value_name = "CODE")]
    pub indicator: Option<String>,
    /// Member id or name (trend chart) [default: the whole consortium]
    #[arg(long, value_name = "ID")]
    pub member: Option<String>,
    /// Output file; .svg or .png
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = crate::report::Lang::Zh)]
    pub lang: crate::report::Lang,
    /// TrueType/OpenType font instead of the embedded Noto Sans SC subset
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
}
