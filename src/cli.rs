//! The command line: argument definitions only; each subcommand's work is in `commands`.

use crate::compute::Window;
use crate::export::{Encoding, Format};
use crate::i18n::Lang as UiLang;
use crate::model::period::Period;
use crate::report::charts::ChartKind;
use crate::report::{ChangeBasis, Lang};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A command-line word for a core enum: the core types stay free of clap, the words and
/// their help live here, converted with `From`.
macro_rules! choice {
    ($(#[$m:meta])* $name:ident => $core:ident { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
        pub enum $name { $($(#[$vm])* $v),+ }
        impl From<$name> for $core {
            fn from(a: $name) -> $core {
                match a { $($name::$v => $core::$v),+ }
            }
        }
    };
}

choice!(WindowArg => Window {
    /// 当月: the month itself
    Month,
    /// 1-N月累计: January to the month
    Ytd,
    /// The calendar quarter containing the month, up to the month
    Quarter,
    /// The twelve months ending with the month (近12个月)
    Year,
});

choice!(LangArg => Lang { Zh, En });

choice!(UiLangArg => UiLang { Zh, En });

choice!(BasisArg => ChangeBasis {
    /// 可比口径: members with figures for the item in both windows, in the same tier.
    Comparable,
    /// 全口径: every member in each window; a change whose prior covers fewer members than the
    /// current is not published.
    All,
});

choice!(EncodingArg => Encoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "gbk")]
    Gbk,
});

choice!(ChartArg => ChartKind {
    /// Monthly trend, this year against last year (consortium or --member)
    Trend,
    /// Member comparison for the month, labelled with YoY
    Members,
    /// Member comparison for the year to date, labelled with YoY
    MembersYtd,
    /// Surgery-grade composition (一级 to 四级) by member, year to date
    Surgery,
    /// Remote services by type, by month
    Remote,
    /// Submission completeness: member × month (submitted, late, missing)
    Completeness,
    /// Primary-care share of outpatient visits over time
    PrimaryShare,
    /// One small trend panel per member, this year against last year
    MemberTrends,
});

/// The one output format, offered per command as the formats that command writes.
fn formats(allowed: &'static [Format]) -> impl TypedValueParser<Value = Format> {
    let values = allowed.iter().map(|f| {
        let v = PossibleValue::new(f.name());
        match f {
            Format::Jsonl => v.help("JSON Lines: one object per line"),
            Format::Md => v.help("a Markdown table"),
            Format::Xlsx => v.help("an Excel workbook (needs --output)"),
            _ => v,
        }
    });
    PossibleValuesParser::new(values).map(|name| {
        // The parser accepted one of `allowed`'s names.
        Format::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .unwrap_or(Format::Table)
    })
}

const TABLE_JSON: &[Format] = &[Format::Table, Format::Json];
const TABLES: &[Format] = &[
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Jsonl,
    Format::Md,
];
const CHECK_FORMATS: &[Format] = &[
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Jsonl,
    Format::Xlsx,
];

#[derive(Parser, Debug)]
#[command(name = "yilian", version, about = "医联 — medical consortium monthly performance reporting", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print diagnostics on stderr: where the time goes in each stage
    #[arg(long, global = true)]
    pub debug: bool,
    /// Language of messages and help: zh or en [default: YILIAN_LANG, else LC_ALL,
    /// LC_MESSAGES or LANG starting with zh for Chinese, else English]
    #[arg(long, global = true, value_enum, value_name = "zh|en")]
    pub ui_lang: Option<UiLangArg>,
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

// Examples and exit codes shown under each subcommand's --help (and in its man page).
const INGEST_HELP: &str = "Examples:
  yilian ingest inbox/2025-12                 read a month's mailbox
  yilian ingest --period 2025-12 late.xlsx    a file whose sheets do not say the month
  yilian ingest --format json inbox > ingest.json

Exit codes: 0 every file stored (or unchanged), 3 at least one file rejected (the others were
stored), 1 could not run, 6 the store is damaged (see `yilian store verify`), 7 --lock-timeout
ran out.";
const INDICATORS_HELP: &str = "Examples:
  yilian indicators --period 2025-12
  yilian indicators --period 2025年12月 --window ytd --scope tier --like-for-like
  yilian indicators --indicator 出院人次,bed_occupancy --format csv -o indicators.csv
  yilian indicators --since-joined 青山镇卫生院

Exit codes: 0 done, 1 could not run (e.g. no figures for that month: the message lists the
months the store holds), 2 bad usage, 6 the store is damaged.";
const REPORT_HELP: &str = "Examples:
  yilian report --input inbox --period 2025-12 --out report
  yilian report --period 2025-12 --out report-en --lang en
  yilian report --period 2025-12 --basis all --out report-all

Exit codes: 0 written, 3 written but some --input file was rejected, 1 could not run (e.g. no
figures for that month), 6 the store is damaged.";
const CHART_HELP: &str = "Examples:
  yilian chart trend --indicator 出院人次 --out discharges.png
  yilian chart members-ytd --period 2025-12 --indicator outpatient_visits --out members.svg

Exit codes: 0 written, 1 could not run, 6 the store is damaged.";
const HISTORY_HELP: &str = "Examples:
  yilian history --member 市一院
  yilian history --period 2025-06 --format csv

Exit codes: 0 done, 1 could not run, 6 the store is damaged.";
#[cfg(feature = "sample")]
const SAMPLE_HELP: &str = "Example:
  yilian sample demo && yilian report --input demo --out demo-report

Exit codes: 0 written, 1 could not write.";
const INIT_HELP: &str = "Examples:
  yilian init inbox                           propose inbox/consortium.toml from the files in it
  yilian init inbox --name 示例医联体 --out consortium.toml

Exit codes: 0 written (read what it says it could not decide), 1 could not run (the file exists,
no member found, or the inbox cannot be read).";
const CATALOG_HELP: &str = "Examples:
  yilian catalog
  yilian catalog --format md > docs/indicators.md
  yilian catalog --sets

Exit codes: 0 done, 1 bad consortium file.";
const COMPLETIONS_HELP: &str = "Examples:
  yilian completions bash > /etc/bash_completion.d/yilian
  yilian completions zsh > \"${fpath[1]}/_yilian\"";
const MAN_HELP: &str = "Example:
  yilian man --out /usr/local/share/man/man1 && man yilian-indicators";
const STORE_HELP: &str = "Examples:
  yilian store verify
  yilian store forget 000002-000003.parquet
  yilian store compact

Exit codes: 0 the store is sound, 6 a submission file is missing or damaged, 1 could not run.";

/// How CSV output is written; shared by every command with `--format csv`.
#[derive(Args, Debug, Clone, Default)]
pub struct CsvArgs {
    /// With --format csv: write text exactly as stored, without the `'` put before text that
    /// starts with = + - @ tab or CR (which a spreadsheet would run as a formula)
    #[arg(long)]
    pub csv_raw: bool,
    /// With --format csv: start with a UTF-8 byte-order mark, so that Excel on Chinese Windows
    /// opens the file as UTF-8 [default: `bom` of `[output]` in consortium.toml, else no]
    #[arg(long, overrides_with = "no_bom")]
    pub bom: bool,
    /// With --format csv: no byte-order mark, whatever consortium.toml says
    #[arg(long, overrides_with = "bom")]
    pub no_bom: bool,
    /// With --format csv: the character encoding; gbk for tools that read nothing else (a
    /// character GBK lacks is an error) [default: `encoding` of `[output]`, else utf-8]
    #[arg(long, value_enum, value_name = "utf-8|gbk")]
    pub encoding: Option<EncodingArg>,
}

impl CsvArgs {
    /// The byte-order mark and encoding of this run's CSV, from these options over the
    /// consortium file's `[output]` defaults; an error when they are given for another format.
    pub fn bytes(
        &self,
        defaults: &crate::config::OutputSettings,
        csv: bool,
    ) -> anyhow::Result<(bool, crate::export::Encoding)> {
        crate::export::csv_bytes(
            self.bom(),
            self.encoding.map(Encoding::from),
            defaults.bom,
            defaults.encoding,
            csv,
        )
    }

    /// `Some(true)` for --bom, `Some(false)` for --no-bom (the last given wins).
    pub fn bom(&self) -> Option<bool> {
        match (self.bom, self.no_bom) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read members' monthly spreadsheets (files or folders) into the store
    #[command(after_help = INGEST_HELP)]
    Ingest(IngestArgs),
    /// Year-on-year and month-on-month indicators per member, tier and consortium
    #[command(after_help = INDICATORS_HELP)]
    Indicators(IndicatorsArgs),
    /// Find wrong, late and missing submissions (exit 0 clean, 4 warnings only, 5 errors)
    Check(CheckArgs),
    /// Write the monthly report bundle (HTML, Excel, Markdown, charts)
    #[command(after_help = REPORT_HELP)]
    Report(ReportArgs),
    /// Draw one chart of the report as SVG or PNG
    #[command(after_help = CHART_HELP)]
    Chart(ChartArgs),
    /// List the submissions kept in the store, corrections included
    #[command(after_help = HISTORY_HELP)]
    History(HistoryArgs),
    /// Write a realistic sample consortium (config and 24 months of spreadsheets) into DIR
    #[cfg(feature = "sample")]
    #[command(after_help = SAMPLE_HELP)]
    Sample(SampleArgs),
    /// Propose consortium.toml (members, aliases, tiers) from the spreadsheets in an inbox
    #[command(after_help = INIT_HELP)]
    Init(InitArgs),
    /// List every metric and indicator: code, name, unit, aggregation, aliases, 口径 and source
    #[command(after_help = CATALOG_HELP)]
    Catalog(CatalogArgs),
    /// Print the shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Write the manual pages (yilian.1 and one per subcommand), or print yilian.1
    #[command(after_help = MAN_HELP)]
    Man(ManArgs),
    /// Check the store's files (`verify`), give up a lost one (`forget`), or merge small ones (`compact`)
    #[command(after_help = STORE_HELP)]
    Store(StoreArgs),
    /// Several consortia side by side (the health bureau's view): indicators, ranks, submissions
    #[command(after_help = BUREAU_HELP)]
    Bureau(BureauArgs),
}

const BUREAU_HELP: &str = "Examples:
  yilian bureau init region
  yilian bureau indicators --config region/bureau.toml --period 2025-12 --format csv
  yilian bureau rank --config region/bureau.toml --period 2025-12 --indicator bed_occupancy --by change
  yilian bureau report --config region/bureau.toml --period 2025-12 --out bureau-report

Exit codes: 0 done, 1 could not run (bad bureau file, a consortium without a store, no figures
for that month), 2 bad usage, 6 a store is damaged.";

#[derive(Args, Debug)]
pub struct BureauArgs {
    #[command(subcommand)]
    pub command: BureauCommand,
}

#[derive(Subcommand, Debug)]
pub enum BureauCommand {
    /// Write DIR/bureau.toml listing the consortia in DIR's folders (never overwrites)
    Init(BureauInitArgs),
    /// The indicators of each consortium and of the region, a shared hospital counted once
    Indicators(BureauIndicatorsArgs),
    /// Consortia ranked on indicators (ties share a rank, undefined values last, unranked)
    Rank(BureauRankArgs),
    /// 排名总表: each consortium's value, rank and target mark for a set of indicators
    League(BureauRankArgs),
    /// Completeness and timeliness of each consortium's members, side by side
    Submissions(BureauSubmissionsArgs),
    /// Write the bureau report bundle (HTML, Excel, Markdown, charts)
    Report(BureauReportArgs),
    /// Write tidy CSV and Parquet of all consortia's indicators and values in use
    Export(BureauReportArgs),
}

/// The bureau file; shared by the bureau commands that read data.
#[derive(Args, Debug, Clone, Default)]
pub struct BureauCommon {
    /// Bureau file, or a folder holding bureau.toml [default: ./bureau.toml]
    #[arg(long = "config", id = "bureau_config", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct BureauInitArgs {
    /// Folder whose sub-folders hold the consortia (each with its consortium.toml)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The region's name [default: the folder's name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BureauScopeArg {
    Consortium,
    Region,
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RankByArg {
    /// The figure, over every member (全口径)
    Value,
    /// The year-on-year change on the comparable basis (可比口径)
    Change,
}

#[derive(Args, Debug)]
pub struct BureauIndicatorsArgs {
    #[command(flatten)]
    pub common: BureauCommon,
    /// The month reported on, or a quarter (2025Q4, 2025年第四季度: the quarter's window up to
    /// its last month any consortium has figures for) [default: the newest month any
    /// consortium has figures for]
    #[arg(long, value_name = "YYYY-MM|YYYYQn")]
    pub period: Option<crate::model::period::MonthOrQuarter>,
    /// The months each figure covers [default: month; quarter with a quarter --period]
    #[arg(long, value_enum)]
    pub window: Option<WindowArg>,
    #[arg(long, value_enum, default_value_t = BureauScopeArg::All)]
    pub scope: BureauScopeArg,
    /// Consortium and region figures over the members that reported in both windows only
    #[arg(long)]
    pub like_for_like: bool,
    /// Only these indicators (codes, names or aliases, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub indicator: Option<Vec<String>>,
    #[arg(long, value_parser = formats(TABLES), default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub csv: CsvArgs,
}

#[derive(Args, Debug)]
pub struct BureauRankArgs {
    #[command(flatten)]
    pub common: BureauCommon,
    /// The month reported on, or a quarter (2025Q4, 2025年第四季度: the quarter's window up to
    /// its last month any consortium has figures for) [default: the newest month any
    /// consortium has figures for]
    #[arg(long, value_name = "YYYY-MM|YYYYQn")]
    pub period: Option<crate::model::period::MonthOrQuarter>,
    /// The months each figure covers [default: month; quarter with a quarter --period]
    #[arg(long, value_enum)]
    pub window: Option<WindowArg>,
    /// Indicators to rank on (codes, names or aliases, comma-separated) [default: the
    /// bureau's monitoring set]
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub indicator: Option<Vec<String>>,
    /// Rank by the value or by its year-on-year change
    #[arg(long, value_enum, default_value_t = RankByArg::Value)]
    pub by: RankByArg,
    #[arg(long, value_parser = formats(TABLES), default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub csv: CsvArgs,
}

#[derive(Args, Debug)]
pub struct BureauSubmissionsArgs {
    #[command(flatten)]
    pub common: BureauCommon,
    /// The month [default: the newest month any consortium has figures for]
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    #[arg(long, value_parser = formats(TABLES), default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub csv: CsvArgs,
}

#[derive(Args, Debug)]
pub struct BureauReportArgs {
    #[command(flatten)]
    pub common: BureauCommon,
    /// The month reported on, or a quarter (2025Q4, 2025年第四季度: the quarter's window up to
    /// its last month any consortium has figures for) [default: the newest month any
    /// consortium has figures for]
    #[arg(long, value_name = "YYYY-MM|YYYYQn")]
    pub period: Option<crate::model::period::MonthOrQuarter>,
    /// Folder to write into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
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
    /// Rewrite many small submission files as fewer, sorted by period (every version kept; safe to interrupt)
    Compact(StoreCompactArgs),
}

#[derive(Args, Debug)]
pub struct StoreCompactArgs {
    #[command(flatten)]
    pub common: Common,
}

#[derive(Args, Debug)]
pub struct StoreVerifyArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(long, value_parser = formats(TABLE_JSON), default_value = "table")]
    pub format: Format,
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
    #[arg(long, value_parser = formats(TABLE_JSON), default_value = "table")]
    pub format: Format,
    /// List every file, not only the ones with problems, and repeat the warnings of files
    /// already stored unchanged
    #[arg(long, short)]
    pub verbose: bool,
    /// Files or folders (read recursively)
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct IndicatorsArgs {
    #[command(flatten)]
    pub common: Common,
    /// The month reported on, or a quarter (2025Q4, 2025年第四季度: the quarter's window up to
    /// its last month in the store) [default: the latest month in the store]
    #[arg(long, value_name = "YYYY-MM|YYYYQn")]
    pub period: Option<crate::model::period::MonthOrQuarter>,
    /// The months each figure covers [default: month; quarter with a quarter --period]
    #[arg(long, value_enum)]
    pub window: Option<WindowArg>,
    #[arg(long, value_enum, default_value_t = ScopeArg::All)]
    pub scope: ScopeArg,
    /// Tier and consortium figures over the members that reported in both windows only
    #[arg(long)]
    pub like_for_like: bool,
    /// Only these indicators (codes, names or aliases, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CODE,...")]
    pub indicator: Option<Vec<String>>,
    /// The indicators of a named set (gk3, gk2, ygt: `yilian catalog --sets` lists them);
    /// items no member reported are listed as not reported
    #[arg(long, value_name = "SET", conflicts_with = "indicator")]
    pub set: Option<String>,
    /// 托管前后对比: this member's twelve months from joining against the twelve before
    #[arg(long, value_name = "MEMBER", conflicts_with_all = ["window", "scope", "like_for_like"])]
    pub since_joined: Option<String>,
    #[arg(long, value_parser = formats(&Format::ALL), default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for xlsx)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub csv: CsvArgs,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  yilian check --period 2025-12
  yilian check --period 2025-12 --format xlsx --output 退回修改清单.xlsx

Exit codes: 0 no errors or warnings (information only), 4 warnings only, \
5 at least one error, 1 the check could not run (bad consortium file, a rule with a typo, no store), \
6 the store is damaged.")]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
    /// Only this month [default: every month in the store]
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<Period>,
    #[arg(long, value_parser = formats(CHECK_FORMATS), default_value = "table")]
    pub format: Format,
    /// Write to this file instead of standard output (required for xlsx: the 退回修改清单)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub csv: CsvArgs,
    /// Language of the 退回修改清单 (--format xlsx): zh for the members (default), en keeps the
    /// English messages
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    Member,
    Tier,
    Consortium,
    All,
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
    #[arg(long, value_parser = formats(TABLES), default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub csv: CsvArgs,
}

#[cfg(feature = "sample")]
#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Folder to write into (created if missing)
    pub dir: PathBuf,
    /// Write a bureau sample instead: DIR/bureau.toml and N consortia (2 to 9) of different
    /// sizes and templates, one hospital in two of them
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(2..=9))]
    pub consortia: Option<u8>,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Folder of members' spreadsheets (read as `yilian ingest` reads it)
    #[arg(value_name = "INBOX")]
    pub inbox: PathBuf,
    /// File to write; never overwritten [default: INBOX/consortium.toml]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The consortium's name [default: the inbox folder's name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Args, Debug)]
pub struct CatalogArgs {
    /// Include the reported items, aliases and indicators of this consortium file
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// List the named indicator sets and their indicators instead
    #[arg(long)]
    pub sets: bool,
    #[arg(long, value_parser = formats(TABLES), default_value = "table")]
    pub format: Format,
    #[command(flatten)]
    pub csv: CsvArgs,
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
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// What tier and consortium changes compare: comparable (可比口径, members with figures in
    /// both periods) or all (全口径, labelled on every page)
    #[arg(long, value_enum, default_value_t = BasisArg::Comparable)]
    pub basis: BasisArg,
    /// TrueType/OpenType font for the charts instead of the embedded Noto Sans SC subset
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ChartArgs {
    #[command(flatten)]
    pub common: Common,
    #[arg(value_enum)]
    pub kind: ChartArg,
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
    #[arg(long, value_enum, default_value_t = LangArg::Zh)]
    pub lang: LangArg,
    /// TrueType/OpenType font instead of the embedded Noto Sans SC subset
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
}
