//! The catalog: each message once, English and Chinese side by side. `{name}` is a
//! placeholder, `{name|one|other}` an English plural (see `fill`).

use super::Lang;

macro_rules! messages {
    ($($(#[$m:meta])* $id:ident { en: $en:expr, zh: $zh:expr $(,)? })+) => {
        /// One message a user reads, in either language.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Msg { $($(#[$m])* $id),+ }

        impl Msg {
            /// Every message, for the completeness test.
            pub const ALL: &'static [Msg] = &[$(Msg::$id),+];

            /// The text with its placeholders unfilled.
            pub fn text(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$id, Lang::En) => $en, (Msg::$id, Lang::Zh) => $zh,)+
                }
            }
        }
    };
}

messages! {
    /// Before the message of a run that failed (main).
    ErrorPrefix { en: "yilian: error: ", zh: "yilian：错误：" }

    // Lines about one file, or about the run, on stderr.
    FileError { en: "error: {path}: {what}", zh: "错误：{path}：{what}" }
    FileWarning { en: "warning: {path}: {what}", zh: "警告：{path}：{what}" }
    FileSkipped { en: "skipped: {path}: {what}", zh: "已跳过：{path}：{what}" }
    FileNote { en: "note: {path}: {what}", zh: "提示：{path}：{what}" }
    Warning { en: "warning: {what}", zh: "警告：{what}" }
    Note { en: "note: {what}", zh: "提示：{what}" }
    Wrote { en: "wrote {path}", zh: "已写出 {path}" }
    XlsxNeedsOutput {
        en: "--format xlsx writes a file: add --output FILE.xlsx",
        zh: "--format xlsx 会写出文件：请加 --output 文件名.xlsx",
    }

    // Names given on the command line.
    UnknownMemberSuggest {
        en: "unknown member `{name}`; did you mean {close}?",
        zh: "未知成员单位“{name}”；是否指 {close}？",
    }
    UnknownMember {
        en: "unknown member `{name}`; the consortium file lists the members",
        zh: "未知成员单位“{name}”；成员单位名单见医联体配置文件",
    }
    UnknownIndicatorSuggest {
        en: "unknown indicator `{name}`; did you mean `{code}`?",
        zh: "未知指标“{name}”；是否指 `{code}`？",
    }
    UnknownIndicator {
        en: "unknown indicator `{name}`; `yilian catalog` lists the codes and names",
        zh: "未知指标“{name}”；可用 `yilian catalog` 查看指标代码和名称",
    }
    UnknownSet {
        en: "unknown indicator set `{name}`; the sets are {sets} (`yilian catalog --sets` lists them)",
        zh: "未知指标体系“{name}”；可选 {sets}（`yilian catalog --sets` 列出各体系的指标）",
    }
    SetNotReported {
        en: "not reported by any member in this window ({set}): {items}",
        zh: "本期无成员报送（{set}）：{items}",
    }
    BadLockTimeout {
        en: "--lock-timeout takes a number of seconds, 0 or more (got {got})",
        zh: "--lock-timeout 应为秒数（0 或以上），实际为 {got}",
    }
    QuarterWithWindow {
        en: "--period {quarter} is a quarter: it goes with --window quarter (or no --window); for another window give a month, e.g. --period {month}",
        zh: "--period {quarter} 是季度：只能配合 --window quarter（或不加 --window）；其他统计口径请给出月份，如 --period {month}",
    }

    // ingest
    /// indicatif's template: its own placeholders, not filled by `fill`.
    IngestProgress {
        en: "{spinner} reading {pos}/{len} files {wide_bar} {eta}",
        zh: "{spinner} 正在读取 {pos}/{len} 个文件 {wide_bar} {eta}",
    }
    StatusStored { en: "stored", zh: "已入库" }
    StatusUnchanged { en: "unchanged", zh: "未改动" }
    StatusRejected { en: "rejected", zh: "拒收" }
    StatusSkipped { en: "skipped", zh: "已跳过" }
    MonthsSpan { en: "{n} months ({first} to {last})", zh: "{n} 个月（{first} 至 {last}）" }
    OneMonth { en: "1 month ({month})", zh: "1 个月（{month}）" }
    NoMonths { en: "no months", zh: "无月份" }
    SkippedCount { en: ", {n} skipped", zh: "，跳过 {n} 个" }
    OtherValues {
        en: " (and {n} year-to-date or prior-year)",
        zh: "（另有累计或上年同期数 {n} 个）",
    }
    /// The summary line of `ingest`: files, members, months, values, warnings, the store.
    IngestSummary {
        en: "{files} {files|file|files}: {stored} stored, {unchanged} unchanged, {rejected} rejected{skipped}; {members} {members|member|members}, {span}, {values} {values|monthly value|monthly values}{other}, {warnings} {warnings|warning|warnings} → {store}",
        zh: "共 {files} 个文件：已入库 {stored} 个，未改动 {unchanged} 个，拒收 {rejected} 个{skipped}；成员单位 {members} 家，{span}，月度数值 {values} 个{other}，警告 {warnings} 条 → {store}",
    }
    UnchangedFiles {
        en: "{n} {n|file|files} unchanged since the last ingest, not stored again{repeat}",
        zh: "{n} 个文件自上次入库以来未改动，未重复入库{repeat}",
    }
    CopiedFiles {
        en: "{n} {n|file is|files are} the same bytes as another file of this run, stored once{repeat}",
        zh: "{n} 个文件与本次另一文件内容完全相同，只入库一次{repeat}",
    }
    WarningNotRepeated {
        en: "; its warning is not repeated (-v lists it)",
        zh: "；其警告不再重复显示（加 -v 可列出）",
    }
    WarningsNotRepeated {
        en: "; their {n} warnings are not repeated (-v lists them)",
        zh: "；其 {n} 条警告不再重复显示（加 -v 可列出）",
    }
    MembersAdded {
        en: "added to the consortium file (check their tier): {members}",
        zh: "已添加到医联体配置文件（请核对层级）：{members}",
    }
    RejectedAdvice {
        en: "rejected files were not stored; fix them (or ask the member to) and run ingest again",
        zh: "被拒收的文件未入库；请修正（或请成员单位修正）后重新运行 ingest",
    }
    /// A corrected submission: file, member, month, the submissions it replaces, what changed.
    Correction {
        en: "correction: {file}: {member} {month} (earlier: {earlier}): {what}",
        zh: "更正：{file}：{member} {month}（原报送：{earlier}）：{what}",
    }
    CorrectionNoChange {
        en: "no value changed ({n} {n|value|values} the same)",
        zh: "数值均无变动（{n} 个数值相同）",
    }
    CorrectionChanged {
        en: "{changed} of {n} {n|value|values} changed",
        zh: "{n} 个数值中有 {changed} 个变动",
    }
    Blank { en: "(blank)", zh: "（空白）" }
    NotStored { en: "(not stored)", zh: "（未入库）" }
    MoreChanges {
        en: "  and {n} more (--format json lists them all)",
        zh: "  另有 {n} 项（--format json 可列出全部）",
    }
    MonthlyValues { en: "{n} {n|monthly value|monthly values}", zh: "月度数值 {n} 个" }
    CorrectionOf { en: " — correction of {earlier}", zh: " — 更正 {earlier}" }
    SameBytesAs { en: " — the same bytes as {first}, stored once", zh: " — 与 {first} 内容相同，只入库一次" }

    // check
    NoFindings { en: "no findings", zh: "未发现问题" }
    SubmissionLegend {
        en: "submissions (member × month): ✓ on time  ○ no 填报日期  L late  ✗ missing  · not a member  ? lost by the store",
        zh: "报送情况（成员单位 × 月份）：✓ 按时  ○ 无填报日期  L 迟报  ✗ 未报  · 非成员单位  ? 存储损坏丢失",
    }
    FindingValue { en: " (value {value})", zh: "（数值 {value}）" }
    CheckCounts {
        en: "{errors} {errors|error|errors}, {warnings} {warnings|warning|warnings}, {info} info",
        zh: "错误 {errors} 条，警告 {warnings} 条，提示 {info} 条",
    }

    // report, chart, man
    ChartOutExtension { en: "--out must end in .svg or .png", zh: "--out 的文件名须以 .svg 或 .png 结尾" }
    ReportWritten {
        en: "wrote {n} files into {dir} in {secs}s (index.html, report.xlsx, summary.md, charts/)",
        zh: "已将 {n} 个文件写入 {dir}，用时 {secs} 秒（index.html、report.xlsx、summary.md、charts/）",
    }
    CannotCreate { en: "cannot create {path}", zh: "无法创建 {path}" }
    CannotWriteManPages {
        en: "cannot write the manual pages to {dir}",
        zh: "无法将手册页写入 {dir}",
    }
    WroteManPages { en: "wrote the manual pages to {dir}", zh: "已将手册页写入 {dir}" }

    // Usage errors found by clap. In English clap's own text is printed (these English
    // texts say the same); in Chinese these, then `UsageMore`.
    UsageUnknownArg { en: "unexpected argument '{arg}' found", zh: "无法识别的参数 {arg}" }
    UsageUnknownArgSuggest {
        en: "unexpected argument '{arg}' found; did you mean '{suggested}'?",
        zh: "无法识别的参数 {arg}；是否指 {suggested}？",
    }
    UsageUnknownSubcommand { en: "unrecognized subcommand '{name}'", zh: "没有子命令 {name}" }
    UsageUnknownSubcommandSuggest {
        en: "unrecognized subcommand '{name}'; did you mean '{suggested}'?",
        zh: "没有子命令 {name}；是否指 {suggested}？",
    }
    UsageInvalidValue {
        en: "invalid value '{value}' for '{arg}'; possible values: {valid}",
        zh: "{arg} 的值“{value}”无效；可选值：{valid}",
    }
    UsageBadValue {
        en: "invalid value '{value}' for '{arg}': {reason}",
        zh: "{arg} 的值“{value}”无效：{reason}",
    }
    UsageMissing {
        en: "the following required arguments were not provided: {args}",
        zh: "缺少必需的参数：{args}",
    }
    UsageConflict {
        en: "the argument '{arg}' cannot be used with '{other}'",
        zh: "{arg} 不能与 {other} 同时使用",
    }
    UsageMore { en: "For more information, try '--help'.", zh: "用法见 --help。" }

    // sample
    SampleWritten {
        en: "wrote a sample consortium into {dir}: consortium.toml and {files} spreadsheets, {members} members, {first} to {last}",
        zh: "已在 {dir} 生成示例医联体：consortium.toml 及 {files} 份报表，成员单位 {members} 家，{first} 至 {last}",
    }
    SampleNext { en: "next: yilian ingest {dir}", zh: "下一步：yilian ingest {dir}" }

    // store verify, store forget
    StoreRoot { en: "store: {dir}", zh: "数据库：{dir}" }
    StoreEmpty { en: "no submissions yet", zh: "尚无报送记录" }
    StoreSound {
        en: "sound: {files} {files|file|files}, {submissions} {submissions|submission|submissions}, each file whole (SHA-256 as written)",
        zh: "完好：{files} 个文件，{submissions} 份报送，每个文件均完整（SHA-256 与写入时一致）",
    }
    StoreDamagedFile { en: "damaged: {file}", zh: "已损坏：{file}" }
    StoreHeldMonths {
        en: "         member-months it held: {months}",
        zh: "         其中的成员单位月份：{months}",
    }
    StoreDamagedAdvice {
        en: "DAMAGED: {lost} lost of {total}. To repair: restore the file from a backup (checked by its SHA-256), or ingest the files it held again (they keep their sequence numbers), or give them up with `yilian store forget FILE`. Until then commands that read the store refuse, unless --allow-damaged-store.",
        zh: "数据库已损坏：{total} 份报送中丢失 {lost}。修复办法：从备份恢复该文件（按 SHA-256 核对），或重新读入其中的文件（保留原序号），或用 `yilian store forget 文件名` 放弃这些报送。修复前，读取数据库的命令将拒绝运行，除非加 --allow-damaged-store。",
    }
    StoreForgot {
        en: "gave up submissions/{file} ({seqs}); anything left of it is kept in {dir}",
        zh: "已放弃 submissions/{file}（{seqs}）；其残留内容保存在 {dir}",
    }
}
