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
    /// One changed value of a correction.
    ChangedValue {
        en: "  {item} ({key}{basis}): {old} → {new}",
        zh: "  {item}（{key}{basis}）：{old} → {new}",
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

    NamedButIs {
        en: "named .{ext} but is {what}; read as such",
        zh: "扩展名为 .{ext}，实际是 {what}；按实际格式读取",
    }
    AnHtmlTable {
        en: "an HTML table (as hospital information systems export)",
        zh: "HTML 表格（医院信息系统导出的格式）",
    }
    CsvText { en: "CSV text", zh: "CSV 文本" }
    StatedYoy {
        en: "`{item}`: the member's 同比 says {stated} but {current} ({current_cell}) against {prior} stored for {window} is {expected}; check the figures (同比 is not stored)",
        zh: "“{item}”：填报的同比为 {stated}，但 {current}（{current_cell}）比库中 {window} 的 {prior} 应为 {expected}；请核对数字（同比不入库）",
    }
    StatedMom {
        en: "`{item}`: the member's 环比 says {stated} but {current} ({current_cell}) against {prior} stored for {window} is {expected}; check the figures (环比 is not stored)",
        zh: "“{item}”：填报的环比为 {stated}，但 {current}（{current_cell}）比库中 {window} 的 {prior} 应为 {expected}；请核对数字（环比不入库）",
    }
    UnknownMemberInFile {
        en: "unknown member `{name}`{hint}; add it (or an alias) to consortium.toml, or pass --add-unknown-members",
        zh: "未知成员单位“{name}”{hint}；请在 consortium.toml 中添加该单位（或别名），或加 --add-unknown-members",
    }
    Closest { en: "; closest: {names}", zh: "；最接近的是：{names}" }
    /// A problem and its place in a file, the place first as a user looks for it.
    AtSheetCell { en: "sheet `{sheet}` {cell}: {what}", zh: "工作表“{sheet}” {cell}：{what}" }
    AtSheet { en: "sheet `{sheet}`: {what}", zh: "工作表“{sheet}”：{what}" }
    AtCell { en: "{cell}: {what}", zh: "{cell}：{what}" }
    // The folder walk (ingest and init): what is not read, and why.
    InputMissing { en: "{path} does not exist", zh: "{path} 不存在" }
    NotRegularNamed {
        en: "{kind}; yilian reads only regular files (opening this could block or never end)",
        zh: "{kind}；yilian 只读取普通文件（打开它可能一直等待或读不完）",
    }
    NeverOpened { en: "{kind}; never opened", zh: "{kind}；未打开" }
    KindFifo { en: "a named pipe (FIFO), not a file", zh: "这是命名管道（FIFO），不是文件" }
    KindDevice { en: "a device, not a file", zh: "这是设备，不是文件" }
    KindSocket { en: "a socket, not a file", zh: "这是套接字，不是文件" }
    KindOther { en: "not a regular file", zh: "不是普通文件" }
    PermissionDenied { en: "permission denied", zh: "没有读取权限" }
    UnreadableFolder {
        en: "cannot read folder {path}: {reason}; the files in it were not read: give read access to it (or move them out) and run again",
        zh: "无法读取文件夹 {path}：{reason}；其中的文件均未读取：请开放读取权限（或把文件移出）后重新运行",
    }
    LinkToNothing {
        en: "a symbolic link to nothing readable ({reason})",
        zh: "符号链接指向的目标无法读取（{reason}）",
    }
    FolderAgain {
        en: "a link to a folder already read (a loop, or a second way to the same folder); not read again",
        zh: "指向已读文件夹的链接（循环，或同一文件夹的另一路径），不再重复读取",
    }
    ExcelLockFile {
        en: "an Excel lock file (the workbook was open when copied), not a submission",
        zh: "Excel 临时锁定文件（复制时工作簿正打开着），不是报送文件",
    }
    NotSpreadsheetExtension {
        en: "not a spreadsheet extension; name the file explicitly to read it anyway",
        zh: "扩展名不是表格文件；如确需读取，请在命令中直接写出该文件",
    }
    CannotReadFile { en: "cannot read the file: {reason}", zh: "无法读取该文件：{reason}" }
    InternalErrorFile {
        en: "yilian failed on this file (internal error: {what}); the other files were processed — please report this file",
        zh: "yilian 处理此文件时出错（内部错误：{what}）；其他文件已照常处理——请将此文件反馈给开发者",
    }
    // consortium.toml
    CannotReadConsortium {
        en: "cannot read consortium file {path}",
        zh: "无法读取医联体配置文件 {path}",
    }
    InvalidConsortium {
        en: "{path} is not a valid consortium file (see `yilian sample` for an example)",
        zh: "{path} 不是有效的医联体配置文件（可参考 `yilian sample` 生成的示例）",
    }
    MemberNoTier {
        en: "member `{id}` has neither `tier` nor `tiers`",
        zh: "成员单位 `{id}` 既没有 `tier` 也没有 `tiers`",
    }
    MemberIdTwice { en: "member id `{id}` appears twice", zh: "成员单位代码 `{id}` 出现了两次" }
    MemberNameTwice {
        en: "the name `{label}` is used by both `{first}` and `{second}`; names and aliases must be unique",
        zh: "名称“{label}”同时用于 `{first}` 和 `{second}`；名称和别名不能重复",
    }
    UserIndicatorBad {
        en: "[[indicators]] `{code}` in the consortium file: {why}",
        zh: "配置文件中的 [[indicators]] `{code}`：{why}",
    }
    TargetDidYouMean { en: "did you mean `{code}`?", zh: "是否指 `{code}`？" }
    TargetCatalogLists { en: "`yilian catalog` lists the codes", zh: "`yilian catalog` 可列出指标代码" }
    TargetUnknown {
        en: "[[targets]] #{n}: `{code}` is not an indicator code; {hint}",
        zh: "[[targets]] 第 {n} 条：`{code}` 不是指标代码；{hint}",
    }
    TargetNoDirection {
        en: "[[targets]] #{n} `{code}`: the indicator has no better direction; add direction = \"higher\" (met at or above the target) or \"lower\"",
        zh: "[[targets]] 第 {n} 条 `{code}`：该指标没有“越高越好”或“越低越好”之分；请加 direction = \"higher\"（达到或高于目标值为达标）或 \"lower\"",
    }
    TargetUnknownMember {
        en: "[[targets]] #{n} `{code}`: no member has the id `{member}`",
        zh: "[[targets]] 第 {n} 条 `{code}`：没有代码为 `{member}` 的成员单位",
    }
    TargetMemberAndTier {
        en: "[[targets]] #{n} `{code}`: give `member` or `tier`, not both",
        zh: "[[targets]] 第 {n} 条 `{code}`：`member` 与 `tier` 只能给一个",
    }
    TargetBadWindow {
        en: "[[targets]] #{n} `{code}`: window `{window}` is not month, ytd, quarter or year",
        zh: "[[targets]] 第 {n} 条 `{code}`：window `{window}` 不是 month、ytd、quarter 或 year",
    }
    TargetNotNumber {
        en: "[[targets]] #{n} `{code}`: the value is not a number",
        zh: "[[targets]] 第 {n} 条 `{code}`：目标值不是数字",
    }
    PopulationNoMember {
        en: "[[population]] #{n}: no member has the id `{member}`",
        zh: "[[population]] 第 {n} 条：没有代码为 `{member}` 的成员单位",
    }
    PopulationNotCount {
        en: "[[population]] #{n} `{member}`: a population is a number of people, 0 or more",
        zh: "[[population]] 第 {n} 条 `{member}`：人口数应为 0 或以上的人数",
    }
    PopulationNoValue {
        en: "[[population]] #{n} `{member}`: give residents, key_population or both",
        zh: "[[population]] 第 {n} 条 `{member}`：请给出 residents、key_population 或两者",
    }
    MetricBadCode {
        en: "[[metrics]] code `{code}` must be letters, digits and _ starting with a letter, so formulas can name it",
        zh: "[[metrics]] 代码 `{code}` 只能由字母、数字和 _ 组成且以字母开头，公式才能引用它",
    }
    MetricBuiltinName {
        en: "[[metrics]] `{code}` is the name of a built-in quantity of formulas; choose another code",
        zh: "[[metrics]] `{code}` 是公式内置量的名称；请换一个代码",
    }
    MetricStockFlow {
        en: "[[metrics]] `{code}` is a {kind} with over_time = \"{over}\": a stock combines over months by \"average\" or \"last\", a flow by \"sum\"",
        zh: "[[metrics]] `{code}` 是 {kind}，却设了 over_time = \"{over}\"：时点数（stock）跨月用 \"average\" 或 \"last\"，时期数（flow）用 \"sum\"",
    }
    MetricClash {
        en: "[[metrics]] `{code}`: `{label}` is already the built-in item `{builtin}` ({name}); report it under that code (add aliases in [aliases]) or choose another text",
        zh: "[[metrics]] `{code}`：“{label}”已是内置项目 `{builtin}`（{name}）；请按该代码报送（别名加在 [aliases] 中），或换一个名称",
    }
    MetricTwice { en: "[[metrics]] `{code}` appears twice", zh: "[[metrics]] `{code}` 出现了两次" }
    AliasUnknownCode {
        en: "[aliases] names `{code}`, which is not a metric or indicator code; run `yilian catalog` to list the codes",
        zh: "[aliases] 中的 `{code}` 不是项目或指标代码；运行 `yilian catalog` 可列出代码",
    }
    IndicatorReusesCode {
        en: "[[indicators]] `{code}` reuses a code of the catalog; choose another code",
        zh: "[[indicators]] `{code}` 与目录中已有代码重复；请换一个代码",
    }
    AliasTwoItems {
        en: "`{label}` names both `{first}` and `{second}`; an alias must name one item",
        zh: "“{label}”同时指向 `{first}` 和 `{second}`；一个别名只能指一个项目",
    }
    ConsortiumMissing {
        en: "consortium file {path} does not exist",
        zh: "医联体配置文件 {path} 不存在",
    }
    NoConsortiumFound {
        en: "no consortium.toml found; pass --config FILE, or run `yilian sample DIR` to see an example",
        zh: "未找到 consortium.toml；请用 --config 指定配置文件，或运行 `yilian sample 目录` 查看示例",
    }
    // bureau.toml
    CannotReadBureau { en: "cannot read bureau file {path}", zh: "无法读取卫健委配置文件 {path}" }
    InvalidBureau {
        en: "{path} is not a valid bureau file (see docs/bureau.md, or `yilian sample --consortia 3 DIR`)",
        zh: "{path} 不是有效的卫健委配置文件（见 docs/bureau.md，或运行 `yilian sample --consortia 3 目录` 查看示例）",
    }
    BureauBadId {
        en: "{path}: a consortium id must be a non-empty word other than `region`",
        zh: "{path}：医联体代码不能为空，也不能是 `region`",
    }
    BureauIdTwice {
        en: "{path}: consortium id `{id}` appears twice",
        zh: "{path}：医联体代码 `{id}` 出现了两次",
    }
    BureauConfigMissing {
        en: "{path}: consortium `{id}`: {config} does not exist",
        zh: "{path}：医联体 `{id}`：{config} 不存在",
    }
    BureauConsortium { en: "{path}: consortium `{id}`", zh: "{path}：医联体 `{id}`" }
    BureauNoConsortia {
        en: "{path}: no [[consortia]]; list each consortium's folder or consortium.toml",
        zh: "{path}：没有 [[consortia]]；请列出各医联体的文件夹或 consortium.toml",
    }
    BureauSameAs { en: "{path}: [[same_as]]", zh: "{path}：[[same_as]]" }
    BureauTargetUnknown {
        en: "{path}: [targets.{code}] names no indicator; `yilian catalog` lists the codes",
        zh: "{path}：[targets.{code}] 不是指标代码；`yilian catalog` 可列出指标代码",
    }
    BureauMemberForm {
        en: "`{text}`: write a member as consortium-id:member-id",
        zh: "“{text}”：成员单位应写作 医联体代码:成员单位代码",
    }
    BureauNoConsortium {
        en: "`{text}`: no consortium `{id}` in the bureau file",
        zh: "“{text}”：配置文件中没有医联体 `{id}`",
    }
    BureauNoMember {
        en: "`{text}`: consortium `{id}` has no member `{member}`",
        zh: "“{text}”：医联体 `{id}` 中没有成员单位 `{member}`",
    }
    BureauFileExists {
        en: "{path} already exists; it is never overwritten (move it away first)",
        zh: "{path} 已存在；不会覆盖它（请先移走）",
    }
    CannotReadFolder { en: "cannot read folder {path}", zh: "无法读取文件夹 {path}" }
    BureauNoConsortiumFolder {
        en: "no folder in {dir} holds a consortium.toml; put each consortium in its own folder",
        zh: "{dir} 下没有含 consortium.toml 的文件夹；请把每个医联体放在各自的文件夹中",
    }
    NoBureauFile {
        en: "no bureau file at {path}; pass --config FILE, run `yilian bureau init DIR`, or `yilian sample --consortia 3 DIR` for an example",
        zh: "{path} 没有卫健委配置文件；请用 --config 指定，或运行 `yilian bureau init 目录`，或用 `yilian sample --consortia 3 目录` 生成示例",
    }
    RuleInvalid {
        en: "[[rules]] #{n} `{name}` is not a valid rule: {why}",
        zh: "[[rules]] 第 {n} 条“{name}”不是有效的规则：{why}",
    }
    RuleOnShare {
        en: "[[rules]] #{n} `{name}` uses {share}, which exists only for tiers and the consortium; rules are judged per member-month",
        zh: "[[rules]] 第 {n} 条“{name}”用到 {share}，该指标只对层级和医联体整体计算；规则按成员单位逐月判断",
    }
    RuleNotComparison {
        en: "[[rules]] #{n} `{name}` is not a comparison: write it as `a <= b` (< <= > >= == !=)",
        zh: "[[rules]] 第 {n} 条“{name}”不是比较式：请写成 `a <= b` 的形式（< <= > >= == !=）",
    }
    SeverityUnknownRule {
        en: "[check.severity] names `{rule}`, which is no rule; rules are: {rules}",
        zh: "[check.severity] 中的 `{rule}` 不是规则名；可用的规则有：{rules}",
    }
    SeverityBadLevel {
        en: "[check.severity] {rule} = `{level}`: use error, warning, info or off",
        zh: "[check.severity] {rule} = `{level}`：请用 error、warning、info 或 off",
    }
    // CSV options
    BomCsvOnly {
        en: "--bom and --encoding apply to --format csv only (JSON and Markdown are always UTF-8 without a byte-order mark)",
        zh: "--bom 和 --encoding 只用于 --format csv（JSON 和 Markdown 始终是不带 BOM 的 UTF-8）",
    }
    BomWithGbk {
        en: "--bom writes a UTF-8 byte-order mark, which GBK text has none of: drop --bom, or use --encoding utf-8",
        zh: "--bom 写的是 UTF-8 字节顺序标记，GBK 文本没有这种标记：去掉 --bom，或改用 --encoding utf-8",
    }
    NoGbkCode {
        en: "`{ch}` (U+{code}) in {place} has no GBK code: write UTF-8 instead (--encoding utf-8, with --bom for Excel)",
        zh: "{place}中的“{ch}”（U+{code}）没有 GBK 编码：请改用 UTF-8（--encoding utf-8，给 Excel 用时加 --bom）",
    }
    GbkHeader { en: "the header `{column}`", zh: "表头“{column}”" }
    GbkPlace {
        en: "row {row} (after the header), column `{column}`: `{text}`",
        zh: "第 {row} 行（表头之后）“{column}”列的“{text}”",
    }
    BureauNoFiguresFor {
        en: "no member of any consortium has figures for {period}; the stores hold {first} to {last}",
        zh: "各医联体均无成员单位 {period} 的数据；数据库中有 {first} 至 {last} 的数据",
    }
    BureauNoFigures {
        en: "no consortium's store holds figures yet; run `yilian ingest` for each",
        zh: "各医联体的数据库中都还没有数据；请先对每个医联体运行 `yilian ingest`",
    }
    // A file the readers cannot open (src/read).
    FileEmpty {
        en: "the file is empty (0 bytes); ask the member to send it again",
        zh: "文件为空（0 字节）；请成员单位重新报送",
    }
    FileEncrypted {
        en: "the workbook is encrypted (password-protected); ask the member to send it without a password",
        zh: "工作簿已加密（设有密码）；请成员单位去掉密码后重新报送",
    }
    NotSpreadsheet {
        en: "not a spreadsheet ({what}); expected .xlsx, .xls, .ods, .csv or an HTML table export",
        zh: "不是电子表格（{what}）；应为 .xlsx、.xls、.ods、.csv 或导出的 HTML 表格",
    }
    UnreadableWorkbook {
        en: "unreadable or truncated workbook ({why}); open it in Excel to check, then ask the member to send it again",
        zh: "工作簿无法读取或不完整（{why}）；请用 Excel 打开检查，并请成员单位重新报送",
    }
    UndecodableText {
        en: "undecodable text at byte {offset}: not UTF-8, GBK or GB18030; save the file as UTF-8 CSV or .xlsx",
        zh: "第 {offset} 字节处的文字无法识别：不是 UTF-8、GBK 或 GB18030 编码；请另存为 UTF-8 CSV 或 .xlsx",
    }
    SheetTooLarge {
        en: "sheet `{sheet}` has a cell at {cell}, making a {rows} × {cols} table; refusing a sheet this large (limit {max_rows} rows, {max_cols} columns): delete the stray cells far from the table and send it again",
        zh: "工作表“{sheet}”在 {cell} 处有内容，使表格达到 {rows} 行 × {cols} 列；超过上限（{max_rows} 行、{max_cols} 列），拒收：请删除远离表格的零散单元格后重新报送",
    }
    FileDamaged {
        en: "the file is damaged ({why} in {part}); ask the member to send it again",
        zh: "文件已损坏（{part}：{why}）；请成员单位用 Excel 重新保存后再报送",
    }
    OverLimit {
        en: "{what}, over the limit of {limit}; a monthly report is far smaller, so the file is refused (a stray cell far from the table, a corrupt export or a crafted file): check it and ask the member to send the report itself",
        zh: "{what}，超过上限（{limit}）；月报表远小于此，故拒收（可能是远离表格的零散单元格、导出出错或人为构造的文件）：请检查，并请成员单位报送报表本身",
    }

    SheetsAllEmpty {
        en: "every sheet is empty; ask the member to send the filled-in report",
        zh: "所有工作表均为空；请成员单位报送填好的报表",
    }
    NoTableFound {
        en: "no recognisable table: expected a header row such as `指标名称 | 本月` (form), `单位名称 | 门急诊人次 | …` (summary), `科室 | …` (department detail), `指标 | 1月 | 2月 | …` (months as columns) or `单位 | 月份 | 指标 | 数值`",
        zh: "没有可识别的表格：应有表头行，如“指标名称 | 本月”（月报表）、“单位名称 | 门急诊人次 | …”（汇总表）、“科室 | …”（科室明细）、“指标 | 1月 | 2月 | …”（按月分列）或“单位 | 月份 | 指标 | 数值”",
    }
    NoFiguresInTable {
        en: "the table has no figures (every value cell is blank)",
        zh: "表格中没有数字（数值单元格均为空）",
    }

    // Reading a sheet: what a cell, a row or a sheet says that we cannot store as it is.
    InstructionSheet {
        en: "sheet `{sheet}` reads as instructions (填报说明/目录/封面): skipped",
        zh: "工作表“{sheet}”为填报说明、目录或封面，已跳过",
    }
    SheetNameDisagrees {
        en: "the sheet name `{sheet}` names {named} but 填报单位 says `{name}`; using `{name}`",
        zh: "工作表名“{sheet}”对应{named}，但填报单位写的是“{name}”；按“{name}”处理",
    }
    NoMember {
        en: "no member found: write `填报单位：<name>` in the sheet, or name the sheet or the file after the member (the sheet name `{sheet}` names no member)",
        zh: "未找到成员单位：请在表内写明“填报单位：单位名称”，或以成员单位名称命名工作表或文件（工作表名“{sheet}”不对应任何成员单位）",
    }
    SheetOverName {
        en: "the sheet says {sheet} but the file or sheet name says {name}; using {sheet} (pass --period to override)",
        zh: "表内写的是 {sheet}，但文件名或工作表名为 {name}；按 {sheet} 处理（可用 --period 指定）",
    }
    NoPeriod {
        en: "no period found: write `统计期间：2025年3月` in the sheet, put the month in the file name, or pass --period YYYY-MM",
        zh: "未找到统计期间：请在表内写明“统计期间：2025年3月”，或在文件名中写明月份，或加 --period YYYY-MM",
    }
    NoYear {
        en: "no year found for the month columns: write it in the title (`2025年度…`), the sheet or the file name, or pass --period YYYY-MM",
        zh: "月份列未注明年份：请在标题（如“2025年度…”）、工作表名或文件名中写明年份，或加 --period YYYY-MM",
    }
    ExpectedNumber {
        en: "expected a number for `{item}`, found {found}{why}",
        zh: "“{item}”应填数值，实际为{found}{why}",
    }
    /// After `ExpectedNumber`: why a figure-like text is not one we can be sure of.
    FigureWhy { en: ": {why}", zh: "：{why}" }
    FoundText { en: "`{text}`", zh: "“{text}”" }
    FoundDate { en: "{date}, a date", zh: "日期 {date}" }
    FoundExcelError { en: "an Excel error value {value}", zh: "Excel 错误值 {value}" }
    FoundNotFinite { en: "`{value}`, not a finite number", zh: "“{value}”（不是有限数值）" }
    FoundFormula {
        en: "a formula (={formula}) with no saved result: open the file in Excel or WPS, save it, and send it again",
        zh: "公式（={formula}），但没有保存计算结果：请用 Excel 或 WPS 打开该文件，保存后重新报送",
    }
    Approximate {
        en: "an approximate figure; write the exact number",
        zh: "这是约数；请填写准确数字",
    }
    PercentInCountRow {
        en: "a percentage, but this item is counted in {unit}; write the {unit} figure",
        zh: "这是百分比，但该项目以{unit}计；请填写以{unit}计的数字",
    }
    NotAPercentage { en: "`{suffix}` is not a percentage", zh: "“{suffix}”不是百分比" }
    ForeignUnit {
        en: "written in {suffix}, but this item is counted in {unit}; write the {unit} figure",
        zh: "单位写作{suffix}，但该项目以{unit}计；请填写以{unit}计的数字",
    }
    UnclearWan {
        en: "`{suffix}` in a row counted in {unit} is unclear (万 or 万元?); write the figure in {unit}",
        zh: "以{unit}计的行中写“{suffix}”含义不清（万还是万元？）；请以{unit}填写",
    }
    ScaledRead {
        en: "`{raw}` read as {value}{unit} for `{item}`; correct the cell if that is not what was meant",
        zh: "“{item}”的“{raw}”按 {value}{unit}读入；如非此意，请更正该单元格",
    }
    NegativeCount {
        en: "negative count {value}{written} for `{item}` ({code}); a count cannot be below zero",
        zh: "“{item}”（{code}）为负数 {value}{written}；计数不能小于零",
    }
    WrittenAs { en: " (written `{raw}`)", zh: "（原文“{raw}”）" }
    ReportedTwice {
        en: "`{item}` is reported twice for {member} {period}: {first} at {first_cell} and {value} here; remove one",
        zh: "“{item}”在{member} {period}重复填报：{first_cell} 为 {first}，此处为 {value}；请删去其一",
    }
    RowWithoutItem {
        en: "a row has figures but no item name; it was not stored",
        zh: "该行有数字但没有项目名称，未入库",
    }
    UnmappedItem {
        en: "item `{item}` matches no metric; kept as unmapped (add it under [aliases] in consortium.toml if it is one)",
        zh: "项目“{item}”不对应任何指标，已作为未识别项目保留（如属某一指标，请在 consortium.toml 的 [aliases] 中添加别名）",
    }
    UnmappedColumn {
        en: "column `{item}` matches no metric; kept as unmapped (add it under [aliases] in consortium.toml if it is one)",
        zh: "列“{item}”不对应任何指标，已作为未识别项目保留（如属某一指标，请在 consortium.toml 的 [aliases] 中添加别名）",
    }
    StatedChangeDisagrees {
        en: "`{item}`: the member's 同比 says {stated} but {current} ({current_cell}) against {prior} ({prior_cell}) is {expected}; check the figures (同比 is not stored)",
        zh: "“{item}”：填报的同比为 {stated}，但 {current}（{current_cell}）比 {prior}（{prior_cell}）应为 {expected}；请核对数字（同比不入库）",
    }
    /// The change a stated 同比 should have been, for a rate also in points.
    ChangeInPoints { en: "{pct}% ({points} points)", zh: "{pct}%（{points} 个百分点）" }
    TotalOverBlankMonths {
        en: "`{total}` says {stated} for `{item}` but its months are blank; a total is not stored, write the months",
        zh: "“{total}”中“{item}”为 {stated}，但各月为空；合计数不入库，请填写各月数字",
    }
    TotalDisagrees {
        en: "`{total}` says {stated} for `{item}` but the months {first}:{last} {how} {expected}; the months are stored, the total is not",
        zh: "“{total}”中“{item}”为 {stated}，但 {first}:{last} 各月{how} {expected}；各月数字入库，合计数不入库",
    }
    AddUpTo { en: "add up to", zh: "合计为" }
    AverageTo { en: "average", zh: "平均为" }
    EndAt { en: "end at", zh: "期末为" }
    NotAMonthColumn {
        en: "column `{column}` is neither a month nor a total of months; its figures were not stored",
        zh: "列“{column}”既不是月份也不是月份合计，其数字未入库",
    }
    ConvertedUnit {
        en: "`{item}` is written in {written}, kept in {unit}: its figures were {how} by {factor}",
        zh: "“{item}”以{written}填写，按{unit}保存：数字已{how} {factor}",
    }
    Multiplied { en: "multiplied", zh: "乘以" }
    Divided { en: "divided", zh: "除以" }
    TotalRowDisagrees {
        en: "合计 row says {stated} for `{item}` but {first}:{last} add up to {sum}; the rows are used",
        zh: "合计行“{item}”为 {stated}，但 {first}:{last} 相加为 {sum}；以各行数字为准",
    }
    RowWithoutMember { en: "row {row} has no member", zh: "第 {row} 行没有填报单位" }
    RowWithoutItemName { en: "row {row} has no item", zh: "第 {row} 行没有项目名称" }
    ExpectedMonth {
        en: "expected a month such as 2025-03, found `{found}`",
        zh: "应填月份（如 2025-03），实际为“{found}”",
    }

    // bureau
    BureauMembershipGap {
        en: "{name} ({id}) is in no consortium in {gap} although it is before and after; the region counts it as a member in between (a month it sent nothing for is a hole)",
        zh: "{name}（{id}）在 {gap} 不属于任何医联体，但此前此后均属于；区域合计期间仍将其计为成员单位（未报送的月份为缺报）",
    }
    BureauFiguresDiffer {
        en: "{id}: {n} figure(s) differ between the stores of `{used}` and `{other}` (first: {example}); the region uses `{used}`'s",
        zh: "{id}：“{used}”与“{other}”两个数据库中有 {n} 个数字不一致（第一个：{example}）；区域合计采用“{used}”的数字",
    }

    // init
    CityHospitalTier {
        en: "a city or province hospital (市/省) is often tertiary (三级)",
        zh: "市级、省级医院常为三级医院",
    }
    MaternalHospitalTier {
        en: "a county maternal and child health hospital (妇幼保健院) is most often 二级, some are 一级",
        zh: "县级妇幼保健院多为二级，也有一级",
    }
    SourceUnit { en: "填报单位", zh: "填报单位" }
    SourceColumn { en: "the member column", zh: "成员单位列" }
    SourceSheetName { en: "the sheet name", zh: "工作表名" }
    SourceTitle { en: "a title", zh: "标题" }
    SourceFileName { en: "the file name", zh: "文件名" }
    CannotReadIt { en: "cannot read it: {reason}", zh: "无法读取：{reason}" }
    EverySheetEmpty { en: "every sheet is empty", zh: "所有工作表均为空" }
    NoRecognisableTable {
        en: "no recognisable table (see docs/layouts.md)",
        zh: "没有可识别的表格（见 docs/layouts.md）",
    }
    PathWhy { en: "{path}: {why}", zh: "{path}：{why}" }
    InternalErrorOnFile {
        en: "yilian failed on this file (internal error)",
        zh: "yilian 处理该文件时出错（内部错误）",
    }
    SheetNamesNoHospital {
        en: "{path}, sheet `{sheet}`: no 填报单位, and neither the sheet name, a title nor the file name reads as a hospital's name",
        zh: "{path} 工作表“{sheet}”：没有填报单位，工作表名、标题和文件名也都不像医院名称",
    }
    ExampleAt { en: "{path} ({source}: {place})", zh: "{path}（{source}：{place}）" }
    ExampleIn { en: "{path} ({source})", zh: "{path}（{source}）" }
    ShortFormOf {
        en: "`{short}` ({example}) taken as a short form of `{name}`",
        zh: "“{short}”（{example}）视为“{name}”的简称",
    }
    MayBeAnyOf {
        en: "`{short}` ({example}) may be any of {names}: proposed as a member of its own; if it is one of them, move it into that member's aliases",
        zh: "“{short}”（{example}）可能是{names}中的任何一家：暂列为单独的成员单位；如属其中之一，请将其移入该单位的别名",
    }
    MayBeSameDelete {
        en: "may be the same hospital as {names}: if so, delete this member and add `{name}` to that member's aliases",
        zh: "可能与{names}是同一医院：如是，请删除此成员单位，并将“{name}”加入该单位的别名",
    }
    ShortFormFromFileName {
        en: "`{short}`: from the name of {path}, which names {name} inside",
        zh: "“{short}”：取自文件名 {path}，该文件内填报单位为{name}",
    }
    TwoSpellings {
        en: "`{first}` and `{second}` may be the same hospital: both proposed; if they are, keep one and put the other name in its aliases",
        zh: "“{first}”与“{second}”可能是同一医院：两者均已列出；如是，请保留其一，并将另一名称加入其别名",
    }
    MayBeSameAs { en: "may be the same hospital as `{name}`", zh: "可能与“{name}”是同一医院" }
    MatchesNoProposed {
        en: "{path}, sheet `{sheet}`: `{name}` matches no proposed member",
        zh: "{path} 工作表“{sheet}”：“{name}”不对应任何拟定的成员单位",
    }
    IngestMatchesOther {
        en: "{path}, sheet `{sheet}`: init read `{name}` there, but ingest matches another member's name in it: add `填报单位：{name}` to the sheet or rename the file",
        zh: "{path} 工作表“{sheet}”：init 读到的是“{name}”，但 ingest 会匹配到另一成员单位的名称：请在表内加上“填报单位：{name}”，或重命名文件",
    }
    NotAFolder {
        en: "{path} is not a folder; give the folder the members' spreadsheets are in",
        zh: "{path} 不是文件夹；请给出存放成员单位报表的文件夹",
    }
    InitWouldOverwrite {
        en: "{path} already exists; yilian init never overwrites it: move it away, or write the proposal elsewhere with --out FILE",
        zh: "{path} 已存在；yilian init 不会覆盖它：请先移走，或用 --out 文件名 写到别处",
    }
    InitNoMember {
        en: "no member found in {dir} ({n} spreadsheets read): no 填报单位, member column, sheet or file name names a hospital; write consortium.toml by hand (docs/consortium.md)",
        zh: "在 {dir} 中未找到成员单位（已读取 {n} 份报表）：填报单位、成员单位列、工作表名和文件名中都没有医院名称；请手工编写 consortium.toml（见 docs/consortium.md）",
    }
    InitRead {
        en: "read {n} spreadsheets in {dir}{skipped}",
        zh: "已读取 {dir} 中的 {n} 份报表{skipped}",
    }
    InitSkipped {
        en: " ({n} other {n|file|files} skipped, as ingest does)",
        zh: "（另有 {n} 个文件按 ingest 的规则跳过）",
    }
    InitFound { en: "found {n} {n|member|members}:", zh: "找到成员单位 {n} 家：" }
    InitMember {
        en: "  {id} {name}  [{tier}] {files} {files|file|files}{aliases}",
        zh: "  {id} {name}  [{tier}] {files} 个文件{aliases}",
    }
    InitAliases { en: ", aliases {aliases}", zh: "，别名 {aliases}" }
    TierUnknownShort { en: "tier ?", zh: "层级？" }
    TierIsAGuess {
        en: "{name} ({id}): tier {tier} is a guess; {why}",
        zh: "{name}（{id}）：层级 {tier} 系推测；{why}",
    }
    TierNotSaid {
        en: "{name} ({id}): the name does not say its tier; its `tier` line is commented out: set it",
        zh: "{name}（{id}）：名称看不出层级，其 tier 一行已注释掉：请填写",
    }
    NoMonthFound {
        en: "{name} ({id}): no month found in its files; its `joined` line is commented out: set it",
        zh: "{name}（{id}）：其文件中未找到月份，其 joined 一行已注释掉：请填写",
    }
    OpenNoMember { en: "no member: {what}", zh: "未找到成员单位：{what}" }
    OpenUnusable {
        en: "not usable (ingest will reject it too): {what}",
        zh: "无法使用（ingest 也会拒收）：{what}",
    }
    CouldNotDecide { en: "could not decide ({n}):", zh: "尚待确定（{n} 项）：" }
    InitWrote {
        en: "wrote {path}: each member's `joined` is its first month in the inbox; check names, aliases, tiers and months",
        zh: "已写出 {path}：各成员单位的 joined 为其在收件箱中的最早月份；请核对名称、别名、层级和月份",
    }
    InitNextBlocking {
        en: "next: set the tier or month of the {n} {n|member|members} marked above (the file does not load until then), then yilian ingest {args}",
        zh: "下一步：为上面标出的 {n} 家成员单位填写层级或月份（填好之前该文件无法加载），然后运行 yilian ingest {args}",
    }

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

    NoFigures {
        en: "the store holds no figures yet; run `yilian ingest` first",
        zh: "数据库中还没有数据；请先运行 `yilian ingest`",
    }
    NoFiguresFor {
        en: "no member has figures for {period} in the store; it holds {held}",
        zh: "数据库中没有任何成员单位 {period} 的数据；已有数据为 {held}",
    }
    PriorYearColumnDisagrees {
        en: "{member} {period}: `{item}` is {stored} in the store but {column} in the 去年同月 column ({place}); the store's figure is used",
        zh: "{member} {period}：“{item}”库中为 {stored}，但去年同月列填的是 {column}（{place}）；以库中数字为准",
    }
    MonthRange { en: "{first} to {last}", zh: "{first} 至 {last}" }
    MonthRuns { en: "{runs} ({n} {n|month|months})", zh: "{runs}（共 {n} 个月）" }
    MemberColumn { en: "member", zh: "成员单位" }
    NoDeadlineDay {
        en: "no deadline_day in consortium.toml: lateness is not judged",
        zh: "consortium.toml 未设 deadline_day：不判断是否迟报",
    }
    LostNotMissing {
        en: "{member} {period}: its submission is in submissions/{file}, which the store lost; not counted as missing (restore the file or ingest the member's file again)",
        zh: "{member} {period}：其报送保存在 submissions/{file}，该文件已在数据库中丢失；不按未报计（请恢复该文件，或重新读入该单位的报表）",
    }
    UndatedMonths {
        en: "{n} member-month(s) state no 填报日期: their timeliness is not judged (set `late_from_ingested_at = true` under [check] to judge them by the ingest time)",
        zh: "有 {n} 个成员单位月份未写填报日期，不判断其是否按时（如需按读入时间判断，请在 [check] 下设 late_from_ingested_at = true）",
    }
    NothingToCheck {
        en: "the store holds {first} to {last}; nothing to check for {period}",
        zh: "数据库中的数据为 {first} 至 {last}；{period} 无可审核的数据",
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
    /// A refused `--period`; the English texts are `model::period::PeriodError`'s (a test in
    /// commands::help checks they agree).
    PeriodQuarterForMonth {
        en: "`{text}` is a quarter, and this command takes a month: write it as 2025-12 (quarters go to `yilian indicators --period 2025Q4`)",
        zh: "“{text}”是季度，本命令需要月份：请写作 2025-12（季度用于 `yilian indicators --period 2025Q4`）",
    }
    PeriodNotAMonth {
        en: "`{text}` is not a month; write it as 2025-03 (also accepted: 2025-3, 2025年3月, 202503, 2025/03, 2025.03)",
        zh: "“{text}”不是月份：请写作 2025-03（也可写 2025-3、2025年3月、202503、2025/03、2025.03）",
    }
    PeriodNotMonthOrQuarter {
        en: "`{text}` is not a month or a quarter; write 2025-03 or 2025Q1 (also accepted: 2025-3, 2025年3月, 202503, 2025/03, 2025.03; 2025-Q1, 2025年第一季度, 2025年1季度)",
        zh: "“{text}”既不是月份也不是季度：请写作 2025-03 或 2025Q1（也可写 2025-3、2025年3月、202503、2025/03、2025.03；2025-Q1、2025年第一季度、2025年1季度）",
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
    BureauInitNext {
        en: "next: check the [[same_as]] suggestions in {path}, then yilian bureau indicators --config {path}",
        zh: "下一步：核对 {path} 中建议的 [[same_as]]，然后运行 yilian bureau indicators --config {path}",
    }
    BureauShared {
        en: "shared member, counted once in the region: {what}",
        zh: "同属多个医联体的成员单位（区域合计只计一次）：{what}",
    }
    BureauSampleWritten {
        en: "wrote a bureau sample into {dir}: bureau.toml and {consortia} consortia ({files} spreadsheets), {first} to {last}",
        zh: "已在 {dir} 生成卫健局示例：bureau.toml 及 {consortia} 个医联体（{files} 份报表），{first} 至 {last}",
    }
    BureauSampleNext {
        en: "next: ingest each consortium (yilian ingest --config {dir}/ID/consortium.toml {dir}/ID/inbox), then yilian bureau indicators --config {dir}/bureau.toml",
        zh: "下一步：逐个读入各医联体（yilian ingest --config {dir}/ID/consortium.toml {dir}/ID/inbox），再运行 yilian bureau indicators --config {dir}/bureau.toml",
    }

    // The store's own state: damage, its schema file, its lock (src/store).
    SeqOne { en: "submission {list}", zh: "第 {list} 号报送" }
    SeqMany { en: "submissions {list}", zh: "第 {list} 号报送" }
    AndMore { en: "{list}, and {n} more", zh: "{list} 等（另有 {n} 个）" }
    LostFile {
        en: "submissions/{name} {problem}: it held {seqs}{sources}",
        zh: "submissions/{name} {problem}：其中有{seqs}{sources}",
    }
    LostFileSources { en: " ({list})", zh: "（来自 {list}）" }
    ProblemForgotten {
        en: "was lost and given up (`yilian store forget`)",
        zh: "已丢失并已放弃（`yilian store forget`）",
    }
    ProblemMissing { en: "is missing", zh: "缺失" }
    ProblemGap {
        en: "is missing (no file holds these sequence numbers)",
        zh: "缺失（没有文件包含这些序号）",
    }
    ProblemSuperseded {
        en: "was left by an interrupted compaction; its submissions are in another file",
        zh: "是中断的合并留下的文件；其中的报送已在另一个文件中",
    }
    ProblemCannotOpen { en: "cannot be opened ({why})", zh: "无法打开（{why}）" }
    ProblemCannotRead { en: "cannot be read ({why})", zh: "无法读取（{why}）" }
    ProblemCannotDecode { en: "cannot be decoded ({why})", zh: "无法解码（{why}）" }
    ProblemEmptyWritten {
        en: "is empty (0 bytes; {want} were written)",
        zh: "为空（0 字节；写入时为 {want} 字节）",
    }
    ProblemEmpty { en: "is empty (0 bytes)", zh: "为空（0 字节）" }
    ProblemTruncated {
        en: "is truncated ({len} bytes; {want} were written)",
        zh: "被截断（{len} 字节；写入时为 {want} 字节）",
    }
    ProblemOverwritten {
        en: "was overwritten ({len} bytes; {want} were written)",
        zh: "被覆盖（{len} 字节；写入时为 {want} 字节）",
    }
    ProblemNotParquet {
        en: "is not a whole Parquet file ({len} bytes, without the PAR1 marks a Parquet file begins and ends with: truncated or overwritten)",
        zh: "不是完整的 Parquet 文件（{len} 字节，缺少 Parquet 文件首尾的 PAR1 标记：被截断或被覆盖）",
    }
    ProblemFooterChanged {
        en: "was overwritten or corrupted (same size, but its end, the Parquet footer, differs from what was written)",
        zh: "被覆盖或已损坏（大小相同，但文件末尾的 Parquet 尾部与写入时不同）",
    }
    ProblemFooterUnreadable {
        en: "has an unreadable Parquet footer ({why})",
        zh: "Parquet 尾部无法读取（{why}）",
    }
    ProblemRows {
        en: "holds {rows} rows, {want} were written (overwritten)",
        zh: "有 {rows} 行，写入时为 {want} 行（被覆盖）",
    }
    ProblemHashChanged {
        en: "has changed since it was written (its SHA-256 differs from the one recorded)",
        zh: "写入后已被改动（SHA-256 与记录的不同）",
    }
    StoreIsDamaged {
        en: "the store at {root} is damaged:{files}\nRun `yilian store verify` for the whole state. To repair: restore the file from a backup, or ingest the files it held again (they keep their sequence numbers), or give them up with `yilian store forget FILE`. `--allow-damaged-store` runs a command that only reads on the intact part.",
        zh: "{root} 的数据库已损坏：{files}\n运行 `yilian store verify` 查看全部状态。修复办法：从备份恢复该文件，或重新读入其中的文件（保留原序号），或用 `yilian store forget 文件名` 放弃这些报送。加 `--allow-damaged-store` 可让只读命令在完好部分上运行。",
    }
    StoreDamagedLeftOut {
        en: "THE STORE AT {root} IS DAMAGED; --allow-damaged-store: everything below leaves out",
        zh: "{root} 的数据库已损坏；--allow-damaged-store：以下结果不含",
    }
    StoreLostMonths {
        en: "    member-months it held: {months} — shown as missing below, a loss of the store, not of the members",
        zh: "    其中的成员单位月份：{months}——下文显示为未报送，这是数据库的损失，不是成员单位未报",
    }
    StoreDamagedIngest {
        en: "the store is damaged: {file}; new files are stored beside it, and it stays reported until repaired (see `yilian store verify`)",
        zh: "数据库已损坏：{file}；新文件照常入库，修复前每次都会提示（见 `yilian store verify`）",
    }
    ManifestNotWritten {
        en: "{why}; the next ingest records the new file",
        zh: "{why}；下次读入时会补记新文件",
    }
    ManifestDamaged {
        en: "{path} is damaged ({why}); delete it and yilian rebuilds it from the files in submissions/ (a file already deleted is then only noticed by the gap in sequence numbers)",
        zh: "{path} 已损坏（{why}）；删除它，yilian 会根据 submissions/ 中的文件重建（已删除的文件此后只能从序号缺口发现）",
    }
    ManifestNewer {
        en: "{path} was written by a newer yilian (manifest version {version}); use that version",
        zh: "{path} 由更新版本的 yilian 写入（清单版本 {version}）；请使用该版本",
    }
    NoStoreAt {
        en: "no store at {root}; run `yilian ingest` first (or pass --store DIR)",
        zh: "{root} 没有数据库；请先运行 `yilian ingest`（或用 --store 指定数据库目录）",
    }
    SchemaFix {
        en: "it should hold the one line `schema_version = {version}`: write that line into it (or delete it: yilian writes it again), then run again",
        zh: "其中应只有一行 `schema_version = {version}`：写入这一行（或删除该文件，yilian 会重新写入）后重新运行",
    }
    SchemaUnreadable {
        en: "cannot read {path}: {why}; yilian reads it to know the store's format: check its permissions",
        zh: "无法读取 {path}：{why}；yilian 要从中得知数据库格式：请检查其权限",
    }
    SchemaEmpty {
        en: "{path} is empty — probably written on a full disk; {fix}",
        zh: "{path} 为空——可能是在磁盘已满时写入的；{fix}",
    }
    SchemaNotText { en: "{path} is damaged (not text); {fix}", zh: "{path} 已损坏（不是文本）；{fix}" }
    SchemaDamaged { en: "{path} is damaged ({why}); {fix}", zh: "{path} 已损坏（{why}）；{fix}" }
    SchemaNoVersion { en: "{path} has no schema_version; {fix}", zh: "{path} 中没有 schema_version；{fix}" }
    SchemaOther {
        en: "the store at {root} has schema version {version}, this yilian reads versions 1 and {reads}: use the yilian that wrote it",
        zh: "{root} 的数据库格式版本为 {version}，本版本 yilian 只能读取版本 1 和 {reads}：请使用写入它的 yilian",
    }
    TmpIsLink {
        en: "{tmp} is a symbolic link (to {target}); yilian writes its temporary files there and removes the ones it left, so it must be a folder of the store's own: remove the link (`rm {tmp}`) and run again",
        zh: "{tmp} 是符号链接（指向 {target}）；yilian 在这里写临时文件并清理自己留下的文件，它必须是数据库自己的文件夹：请删除该链接（`rm {tmp}`）后重新运行",
    }
    TmpNotFolder {
        en: "{tmp} is not a folder; yilian writes its temporary files there: move it away and run again",
        zh: "{tmp} 不是文件夹；yilian 要在这里写临时文件：请将其移走后重新运行",
    }
    LockHolder { en: "another yilian process (pid {pid})", zh: "另一个 yilian 进程（pid {pid}）" }
    LockHolderUnknown { en: "another yilian process", zh: "另一个 yilian 进程" }
    LockWaiting {
        en: "waiting for {who} holding the lock of the store at {store} (it is released when that process ends; --lock-timeout SECONDS gives up after a while)",
        zh: "正在等待{who}释放 {store} 数据库的锁（该进程结束后即释放；--lock-timeout 秒数 可设定等待上限）",
    }
    LockWaitingUpTo {
        en: "waiting for {who} holding the lock of the store at {store} (giving up after {secs}s, --lock-timeout)",
        zh: "正在等待{who}释放 {store} 数据库的锁（{secs} 秒后放弃，--lock-timeout）",
    }
    LockGaveUp {
        en: "gave up after {secs}s waiting for {who} holding the lock of the store at {store}; nothing was stored: run again when it has finished (or with a longer --lock-timeout)",
        zh: "等待{who}释放 {store} 数据库的锁 {secs} 秒后放弃；本次未入库任何内容：请在其结束后重新运行（或加大 --lock-timeout）",
    }
    ForgetNoSuchFile {
        en: "the store has no file named {name}; `yilian store verify` lists them",
        zh: "数据库中没有名为 {name} 的文件；`yilian store verify` 可列出全部文件",
    }
    ForgetNotLost {
        en: "submissions/{name} is not lost ({status}); only a missing or damaged file can be given up",
        zh: "submissions/{name} 并未丢失（{status}）；只有缺失或损坏的文件才能放弃",
    }

    StoreFileOk { en: "ok", zh: "完好" }
    StoreFileUnrecorded { en: "ok (recorded by the next ingest)", zh: "完好（下次读入时登记）" }
    StoreFileMissing { en: "MISSING", zh: "缺失" }
    StoreFileDamaged { en: "DAMAGED", zh: "已损坏" }
    StoreFileForgotten { en: "given up", zh: "已放弃" }
    StoreFileSuperseded {
        en: "left by an interrupted compaction (removed by the next ingest)",
        zh: "中断的合并留下的（下次读入时删除）",
    }
    SentAsMore { en: "{first}, … ({n} files)", zh: "{first} 等 {n} 个文件" }
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
    StoreCompacted {
        en: "compacted: {merged} {merged|file|files} rewritten as {written}; the store now has {files} {files|file|files}",
        zh: "已合并：{merged} 个文件改写为 {written} 个；数据库现有 {files} 个文件",
    }
    StoreForgot {
        en: "gave up submissions/{file} ({seqs}); anything left of it is kept in {dir}",
        zh: "已放弃 submissions/{file}（{seqs}）；其残留内容保存在 {dir}",
    }

    // consortium.toml `population_file`
    PopulationFileUnreadable {
        en: "cannot read the population file {path} (population_file in consortium.toml): {why}",
        zh: "无法读取人口文件 {path}（consortium.toml 的 population_file）：{why}",
    }
    PopulationFileNoColumn {
        en: "{path}: the header (line {line}) has no `{column}` column; name the columns member, kind, value, from (or 成员单位, 类别, 数值, 起始月份)",
        zh: "{path}：表头（第 {line} 行）缺少“{column}”列；各列应为 member、kind、value、from（或 成员单位、类别、数值、起始月份）",
    }
    PopulationFileCell {
        en: "{path} line {line}, column `{column}`: {problem}",
        zh: "{path} 第 {line} 行“{column}”列：{problem}",
    }
    PopulationUnknownMember {
        en: "no member has the id or name `{text}`",
        zh: "没有 id 或名称为“{text}”的成员单位",
    }
    PopulationUnknownKind {
        en: "`{text}` is not a population kind: write 常住人口 (or 服务人口, residents) or 重点人群 (key_population)",
        zh: "“{text}”不是人口类别：请写 常住人口（或 服务人口、residents）或 重点人群（key_population）",
    }
    PopulationBadValue {
        en: "`{text}` is not a number of people (a number, 0 or more)",
        zh: "“{text}”不是人数（应为 0 或以上的数字）",
    }
    PopulationBadFrom {
        en: "`{text}` is not the month the value holds from: write it as 2025-03 (a date must be the 1st of a month)",
        zh: "“{text}”不是起始月份：请写作 2025-03（如写日期，须为某月 1 日）",
    }
    PopulationTwice {
        en: "{member}'s {kind} from {from} is given twice (also {other})",
        zh: "{member} 自 {from} 起的{kind}重复给出（另见 {other}）",
    }

    // I/O failures, for a Chinese reader (an English one reads the OS's own words).
    IoNotFound { en: "not found", zh: "文件或文件夹不存在" }
    IoPermissionDenied { en: "permission denied", zh: "权限不足，无法读取或写入" }
    IoAlreadyExists { en: "already exists", zh: "已有同名的文件或文件夹" }
    IoStorageFull { en: "no space left", zh: "磁盘空间不足（或超出配额）；请清理空间后重试" }
    IoReadOnly { en: "read-only file system", zh: "该位置是只读的，无法写入；请换一个可写的位置" }
    IoIsADirectory { en: "is a folder", zh: "这是一个文件夹，不是文件" }
    IoNotADirectory { en: "not a folder", zh: "路径中有一段不是文件夹" }
    IoDirectoryNotEmpty { en: "folder not empty", zh: "文件夹不是空的" }
    IoInvalidData { en: "invalid data", zh: "数据无效" }
    IoInvalidFilename { en: "invalid file name", zh: "文件名无效（过长或含有不允许的字符）" }
    IoTimedOut { en: "timed out", zh: "操作超时" }
    IoInterrupted { en: "interrupted", zh: "操作被中断" }
    IoUnexpectedEof { en: "unexpected end of file", zh: "文件意外结束（内容不完整）" }
    IoFileTooLarge { en: "file too large", zh: "文件过大" }
    IoBusy { en: "busy", zh: "文件或设备正被占用" }
    IoBrokenPipe { en: "broken pipe", zh: "输出的接收方已关闭" }
    IoNetwork { en: "network failure", zh: "网络或网络文件夹连接出错" }
    IoOutOfMemory { en: "out of memory", zh: "内存不足" }
    IoOther { en: "input/output error: {why}", zh: "读写出错（{why}）" }
    IoWithDetail { en: "{what} ({why})", zh: "{what}（{why}）" }
    /// A bug, not the user's mistake.
    InternalError {
        en: "internal error: {what}",
        zh: "内部错误，请将此信息反馈给开发者（{what}）",
    }

    // What a reader found over one of its limits (`read::MAX_*`): what, then which limit.
    ReadPartsOver { en: "the archive holds {n} parts", zh: "文件内含 {n} 个压缩部件" }
    ReadPartsLimit { en: "{max} parts per file", zh: "每个文件 {max} 个部件" }
    ReadPartDeclares {
        en: "the archive part {name} declares {size} bytes when inflated",
        zh: "压缩部件 {name} 声明解压后有 {size} 字节",
    }
    ReadPartBytesLimit { en: "{max} inflated bytes per part", zh: "每个部件解压后 {max} 字节" }
    ReadInflatedOver {
        en: "the archive's parts inflate to more than {total} bytes together",
        zh: "各压缩部件解压后合计超过 {total} 字节",
    }
    ReadInflatedLimit { en: "{max} inflated bytes per file", zh: "每个文件解压后 {max} 字节" }
    ReadSharedStringsOver {
        en: "the workbook's shared strings ({name}) hold more than {max} strings",
        zh: "工作簿的共享字符串（{name}）超过 {max} 个",
    }
    ReadSharedStringsLimit {
        en: "{max} shared strings per file",
        zh: "每个文件 {max} 个共享字符串",
    }
    ReadMergesOver {
        en: "sheet `{sheet}` has {n} different merged ranges",
        zh: "工作表“{sheet}”有 {n} 个不同的合并区域",
    }
    ReadMergesLimit { en: "{max} merged ranges per sheet", zh: "每个工作表 {max} 个合并区域" }
    ReadMergesCover {
        en: "sheet `{sheet}` has overlapping merged ranges covering {covered} cells together",
        zh: "工作表“{sheet}”的合并区域相互重叠，合计覆盖 {covered} 个单元格",
    }
    ReadHtmlMergesOver {
        en: "table `{sheet}` has more than {max} merged cells (colspan/rowspan)",
        zh: "表格“{sheet}”的合并单元格（colspan/rowspan）超过 {max} 个",
    }
    ReadCellsOver {
        en: "sheet `{sheet}` has more than {max} filled cells",
        zh: "工作表“{sheet}”有内容的单元格超过 {max} 个",
    }
    ReadCellsLimit { en: "{max} cells per sheet", zh: "每个工作表 {max} 个单元格" }
    ReadSheetsOver { en: "the workbook has {n} sheets", zh: "工作簿有 {n} 个工作表" }
    ReadSheetsLimit { en: "{max} sheets per workbook", zh: "每个工作簿 {max} 个工作表" }

    // How an archive or compound file is damaged (`FileDamaged`'s `why`) and where.
    DamageChecksum {
        en: "zip checksum mismatch",
        zh: "校验值（CRC-32）不符：内容在保存后被改动，或在传输中损坏",
    }
    DamageInflatesLarger {
        en: "the part inflates to more than the size the archive declares",
        zh: "解压后的内容超过文件记录的大小",
    }
    DamageInflatesMore {
        en: "the part inflates to more bytes than the archive declares",
        zh: "解压后的内容超过文件记录的大小",
    }
    DamageInflatesFewer {
        en: "the part inflates to fewer bytes than the archive declares",
        zh: "解压后的内容少于文件记录的大小，文件不完整",
    }
    DamageInflatesTo {
        en: "the part inflates to {read} bytes, not the {declared} bytes the archive declares",
        zh: "解压后为 {read} 字节，而文件记录为 {declared} 字节",
    }
    DamageStoredSize {
        en: "the stored part's size does not match what the archive declares",
        zh: "未压缩部件的大小与文件记录不符",
    }
    DamageCompressed {
        en: "broken or truncated compressed data",
        zh: "压缩数据已损坏或不完整",
    }
    DamageCompressedBecause {
        en: "broken compressed data: {why}",
        zh: "压缩数据已损坏（{why}）",
    }
    DamageChainLoops { en: "a sector chain loops", zh: "扇区链首尾循环" }
    DamageChainPast {
        en: "a sector chain points past the allocation table",
        zh: "扇区链指向分配表之外",
    }
    DamageHeaderShort { en: "the header is cut short", zh: "文件头不完整" }
    DamageDimensions {
        en: "a DIMENSIONS record claiming rows {rf}..{rl}, columns {cf}..{cl}, which no .xls sheet can hold,",
        zh: "DIMENSIONS 记录声称有第 {rf}..{rl} 行、第 {cf}..{cl} 列，超出 .xls 工作表所能容纳的范围",
    }
    PartCompoundFile { en: "the compound file", zh: ".xls 的复合文档结构" }
    PartSheet { en: "sheet `{sheet}`", zh: "工作表“{sheet}”" }

    // What a file is when it is not a spreadsheet (`NotSpreadsheet`'s `what`).
    KindWord { en: "a Word document", zh: "Word 文档" }
    KindZipNoWorkbook { en: "a zip archive without a workbook inside", zh: "压缩包，其中没有工作簿" }
    KindBinary { en: "binary data", zh: "二进制数据，含有 NUL 等控制字符" }
    KindHtmlNoTable { en: "an HTML page without a table", zh: "网页（HTML），其中没有表格" }
    KindPdf { en: "a PDF document", zh: "PDF 文档" }
    KindPng { en: "a PNG image", zh: "PNG 图片" }
    KindJpeg { en: "a JPEG image", zh: "JPEG 图片" }
    KindGif { en: "a GIF image", zh: "GIF 图片" }
    KindRar { en: "a RAR archive", zh: "RAR 压缩包" }
    Kind7z { en: "a 7z archive", zh: "7z 压缩包" }

    // Why a workbook could not be read (`UnreadableWorkbook`'s `why`).
    ReaderStopped {
        en: "the workbook reader stopped on damaged data: {what}",
        zh: "读取程序在损坏的数据处停止：{what}",
    }
    ReaderErrorValue {
        en: "a cell holds the Excel error value `{value}`, which could not be read in this workbook",
        zh: "有单元格中的 Excel 错误值“{value}”在此工作簿中无法读取",
    }
    CsvRecord { en: "CSV record {n}: {why}", zh: "第 {n} 条 CSV 记录：{why}" }

    // The formula parser, after the sentence naming the rule or indicator.
    FormulaAt {
        en: "in `{formula}` at character {at}: {why}",
        zh: "公式“{formula}”第 {at} 个字符处：{why}",
    }
    FormulaBadComparison {
        en: "unexpected `{c}`; comparisons are < <= > >= == !=",
        zh: "此处不应有“{c}”；比较运算符只有 < <= > >= == !=",
    }
    FormulaNotNumber { en: "`{text}` is not a number", zh: "“{text}”不是数字" }
    FormulaUnexpected {
        en: "unexpected `{c}`; use metric codes, numbers, + - * / and parentheses",
        zh: "此处不应有“{c}”；公式只能由指标代码、数字、+ - * / 和括号组成（请用半角字符）",
    }
    FormulaMissingParen {
        en: "missing `)`",
        zh: "括号不配对：缺少右括号“)”",
    }
    FormulaExtraParen {
        en: "unexpected text after the end of the formula",
        zh: "括号不配对：多了一个右括号“)”",
    }
    FormulaTrailing {
        en: "unexpected text after the end of the formula",
        zh: "公式在此之前已经完整，后面多出内容（是否漏了运算符？）",
    }
    FormulaExpected {
        en: "expected a code, a number or `(`",
        zh: "此处应为指标代码、数字或左括号“(”",
    }
    FormulaEndsEarly {
        en: "the formula ends too early",
        zh: "公式不完整，在此处提前结束",
    }
    FormulaEmpty { en: "the formula ends too early", zh: "公式为空" }
    FormulaUnknownSuggest {
        en: "unknown code `{code}`; did you mean `{close}`?",
        zh: "未知的指标代码“{code}”；是否指 `{close}`？",
    }
    FormulaUnknown {
        en: "unknown code `{code}`; `yilian catalog` lists the codes",
        zh: "未知的指标代码“{code}”；可用 `yilian catalog` 查看指标代码",
    }
    FormulaSelfRef { en: "`{code}` refers to itself", zh: "“{code}”引用了自身（循环引用）" }
    // What the zip crate found, under calamine (`UnreadableWorkbook`'s `why`).
    ArchiveInvalid {
        en: "not a valid zip archive",
        zh: "文件结构无效，可能在传输中被截断",
    }
    ArchiveUnsupported {
        en: "an unsupported compression method",
        zh: "使用了不支持的压缩方式，请用 Excel 另存为 .xlsx",
    }
    ArchivePartMissing {
        en: "a part of the workbook is missing",
        zh: "缺少工作簿必需的组成部分",
    }
    // The store's own files (the I/O failure under these is said by `i18n::io_error`).
    StoreUnreadable {
        en: "cannot read the store",
        zh: "无法读取数据库",
    }
    StoreCannotLock {
        en: "cannot lock the store",
        zh: "无法锁定数据库（yilian 用锁文件防止两个导入同时写入）",
    }
    StoreCannotWriteParquet {
        en: "cannot write the submissions as Parquet",
        zh: "无法将报送数据写为 Parquet 文件",
    }
    StoreCannotCreate { en: "cannot create the store at {path}", zh: "无法在 {path} 创建数据库" }
    StoreCannotMoveIn { en: "cannot move {path} into the store", zh: "无法将 {path} 移入数据库" }
    StoreCannotRemoveLeftover {
        en: "cannot remove {path}, left by an interrupted compaction",
        zh: "无法删除 {path}（上次整理数据库时中断留下的文件）",
    }
    StoreCannotRemoveCompacted {
        en: "cannot remove {path} (its submissions are now in {name}; the next ingest or compact removes it)",
        zh: "无法删除 {path}（其中的报送已并入 {name}；下次导入或整理时会删除它）",
    }
    CannotWrite { en: "cannot write {path}", zh: "无法写入 {path}" }
    CannotRead { en: "cannot read {path}", zh: "无法读取 {path}" }
    CannotMove { en: "cannot move {from} to {to}", zh: "无法将 {from} 移动到 {to}" }
    FontUnreadable { en: "cannot read font {path}", zh: "无法读取字体文件 {path}" }
    FontInvalid {
        en: "{path} is not a TrueType/OpenType font (a .ttc collection is not supported)",
        zh: "{path} 不是 TrueType/OpenType 字体（不支持 .ttc 字体集）",
    }
    CannotWriteBecause { en: "cannot write {path}: {why}", zh: "无法写入 {path}：{why}" }
    ChartNotDrawn { en: "the chart could not be drawn", zh: "图表未能绘制" }
    StoreUnknownKind {
        en: "the store holds a value of kind `{value}`, which this yilian does not know; use the yilian that wrote it",
        zh: "数据库中有本版本 yilian 不认识的数值类型“{value}”；请使用写入它的 yilian 版本",
    }
    StoreUnknownBasis {
        en: "the store holds a value of basis `{value}`, which this yilian does not know; use the yilian that wrote it",
        zh: "数据库中有本版本 yilian 不认识的数值口径“{value}”（本月、去年同月等）；请使用写入它的 yilian 版本",
    }
}
