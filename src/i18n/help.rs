//! `--help` in Chinese: the subcommands' descriptions, each option's help and the examples
//! and exit codes. The English texts are the clap definitions themselves (src/cli.rs); the
//! command layer swaps these in by key, and its tests check that every English text has
//! its Chinese one here and that no key here is left unused.
//!
//! Keys: `SUB` (a subcommand's description; `""` the program's, `store verify` a nested
//! one), `SUB after` (the text after the options: examples, exit codes), `SUB --ID` (one
//! option of one subcommand, by its clap id) and `--ID` (that option wherever it appears).

/// The Chinese text for `key`.
pub fn zh(key: &str) -> Option<&'static str> {
    ZH.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

/// Headings and labels of clap's help page.
pub const USAGE: &str = "用法：";
pub const COMMANDS: &str = "命令";
pub const OPTIONS: &str = "选项";
pub const ARGUMENTS: &str = "参数";
/// Before an option's default value and its possible values.
pub const DEFAULT: &str = "默认：";
pub const VALUES: &str = "可选值：";

pub const ZH: &[(&str, &str)] = &[
    ("", "医联 — 医联体月度绩效报表"),
    ("help", "显示本说明或指定子命令的说明"),
    ("--help", "显示帮助（-h 为摘要）"),
    ("--version", "显示版本"),
    ("--debug", "在标准错误输出诊断信息：各阶段耗时"),
    (
        "--ui_lang",
        "界面语言（提示、错误、帮助）：zh 中文，en 英文 [默认：看 YILIAN_LANG，其次 LC_ALL、LC_MESSAGES、LANG，以 zh 开头为中文，否则英文]",
    ),
    // Options shared by the commands that read data.
    (
        "--config",
        "医联体配置文件 [默认：./consortium.toml，否则输入文件夹内或其上级的配置文件]",
    ),
    ("--store", "数据库文件夹 [默认：配置文件旁的 store]"),
    (
        "--allow_damaged_store",
        "数据库部分损坏时，只读命令仍在完好部分上运行，并在标准错误输出说明略去了哪些报送（不加此项则拒绝运行，退出码 6）",
    ),
    (
        "--lock_timeout",
        "写入类命令（ingest、report --input）：等待其他 yilian 进程释放数据库锁超过 SECONDS 秒则放弃（退出码 7）[默认：一直等待并提示]",
    ),
    (
        "--csv_raw",
        "配合 --format csv：按原样写出文本，不在以 = + - @ 制表符或回车开头的文本前加 '（否则电子表格会把它当公式执行）",
    ),
    (
        "--bom",
        "配合 --format csv：文件开头写入 UTF-8 字节顺序标记（BOM），中文版 Windows 的 Excel 才能按 UTF-8 打开 [默认：consortium.toml 中 [output] 的 bom，否则不写]",
    ),
    (
        "--no_bom",
        "配合 --format csv：不写字节顺序标记，不论 consortium.toml 如何设置",
    ),
    (
        "--encoding",
        "配合 --format csv：字符编码；只认 GBK 的软件用 gbk（GBK 无法表示的字符报错）[默认：[output] 的 encoding，否则 utf-8]",
    ),
    ("--output", "写入此文件而非标准输出（xlsx 格式必须指定）"),
    ("--format", "输出格式"),
    (
        "indicators --format",
        "输出格式：jsonl 每行一个 JSON 对象，md 为 Markdown 表格，xlsx 为 Excel 工作簿（须加 --output）",
    ),
    (
        "check --format",
        "输出格式：jsonl 每行一个 JSON 对象，xlsx 为 Excel 工作簿（须加 --output）",
    ),
    (
        "history --format",
        "输出格式：jsonl 每行一个 JSON 对象，md 为 Markdown 表格",
    ),
    (
        "catalog --format",
        "输出格式：jsonl 每行一个 JSON 对象，md 为 Markdown 表格",
    ),
    (
        "indicators --scope",
        "统计范围：member 成员单位，tier 按级别汇总，consortium 医联体合计，all 全部",
    ),
    // ingest
    ("ingest", "将成员单位的月报表（文件或文件夹）读入数据库"),
    (
        "ingest after",
        "示例：
  yilian ingest inbox/2025-12                 读入一个月的收件箱
  yilian ingest --period 2025-12 late.xlsx    工作表未写明月份的文件
  yilian ingest --format json inbox > ingest.json

退出码：0 全部文件已入库（或未改动），3 至少一个文件被拒收（其余已入库），1 无法运行，
6 数据库损坏（见 `yilian store verify`），7 --lock-timeout 等待超时。",
    ),
    (
        "ingest --period",
        "所有工作表一律按此月份读入，不论工作表或文件名写的是哪个月",
    ),
    (
        "ingest --add_unknown_members",
        "配置文件中没有的成员单位直接添加（追加到配置文件），而不是拒收",
    ),
    (
        "ingest --verbose",
        "列出每个文件（不只是有问题的），并重复显示已入库且未改动文件的警告",
    ),
    ("ingest --paths", "文件或文件夹（递归读取）"),
    // indicators
    ("indicators", "各成员单位、各级别及医联体的同比、环比指标"),
    (
        "indicators after",
        "示例：
  yilian indicators --period 2025-12
  yilian indicators --period 2025年12月 --window ytd --scope tier --like-for-like
  yilian indicators --indicator 出院人次,bed_occupancy --format csv -o indicators.csv
  yilian indicators --since-joined 青山镇卫生院

退出码：0 完成，1 无法运行（如该月无数据：提示中列出数据库已有的月份），2 用法错误，
6 数据库损坏。",
    ),
    (
        "indicators --period",
        "统计月份，或季度（2025Q4、2025年第四季度：该季度截至数据库中最后一个月）[默认：数据库中最近的月份]",
    ),
    (
        "indicators --window",
        "每个数字覆盖的月份：month 当月，ytd 1-N月累计，quarter 所在季度截至当月，year 近12个月 [默认：month；--period 为季度时为 quarter]",
    ),
    (
        "indicators --like_for_like",
        "级别和医联体数字只统计两个时期都有报送的成员单位",
    ),
    (
        "indicators --indicator",
        "只看这些指标（代码、名称或别名，逗号分隔）",
    ),
    (
        "indicators --set",
        "只看某一指标体系的指标（gk3、gk2、ygt，见 `yilian catalog --sets`）；无成员报送的指标列为未报送",
    ),
    (
        "indicators --since_joined",
        "托管前后对比：该成员单位加入后十二个月与加入前十二个月对比",
    ),
    // check
    (
        "check",
        "查找错报、迟报和漏报（退出码 0 无问题，4 只有警告，5 有错误）",
    ),
    (
        "check after",
        "示例：
  yilian check --period 2025-12
  yilian check --period 2025-12 --format xlsx --output 退回修改清单.xlsx

退出码：0 无错误和警告（只有提示），4 只有警告，5 至少一个错误，1 无法检查（配置文件有误、
规则有笔误、没有数据库），6 数据库损坏。",
    ),
    ("check --period", "只查此月份 [默认：数据库中的所有月份]"),
    (
        "check --output",
        "写入此文件而非标准输出（xlsx 格式即退回修改清单，必须指定）",
    ),
    (
        "check --lang",
        "退回修改清单（--format xlsx）的语言：zh 中文，给成员单位（默认）；en 保留英文说明",
    ),
    // report
    ("report", "生成月度报告（HTML、Excel、Markdown、图表）"),
    (
        "report after",
        "示例：
  yilian report --input inbox --period 2025-12 --out report
  yilian report --period 2025-12 --out report-en --lang en
  yilian report --period 2025-12 --basis all --out report-all

退出码：0 已写出，3 已写出但有 --input 文件被拒收，1 无法运行（如该月无数据），6 数据库损坏。",
    ),
    ("report --inputs", "先读入这些文件或文件夹，同 `yilian ingest`"),
    ("report --period", "报告月份 [默认：数据库中最近的月份]"),
    (
        "report --out",
        "写入 index.html、report.xlsx、summary.md 和 charts/ 的文件夹（不存在则创建）",
    ),
    ("report --lang", "报告的语言：zh 中文（默认），en 英文"),
    (
        "report --basis",
        "级别和医联体的变化如何比较：comparable 可比口径（两个时期都有数据的成员单位），all 全口径（每页注明）",
    ),
    (
        "report --font",
        "图表所用的 TrueType/OpenType 字体，代替内置的思源黑体（Noto Sans SC）子集",
    ),
    // chart
    ("chart", "以 SVG 或 PNG 绘制报告中的一张图"),
    (
        "chart after",
        "示例：
  yilian chart trend --indicator 出院人次 --out discharges.png
  yilian chart members-ytd --period 2025-12 --indicator outpatient_visits --out members.svg

退出码：0 已写出，1 无法运行，6 数据库损坏。",
    ),
    (
        "chart --kind",
        "图的种类：trend 月度趋势（今年对比去年，医联体或 --member），members 当月成员单位对比（标注同比），members-ytd 年初至今成员单位对比（标注同比），surgery 各成员单位年初至今手术分级构成（一级至四级），remote 各月远程服务分类，completeness 报送完整性（成员单位 × 月份：已报、迟报、未报），primary-share 基层门诊占比走势",
    ),
    ("chart --period", "报告月份 [默认：数据库中最近的月份]"),
    (
        "chart --indicator",
        "指标代码、名称或别名（趋势图和成员单位对比图）[默认：discharges]",
    ),
    (
        "chart --member",
        "成员单位代码或名称（趋势图）[默认：整个医联体]",
    ),
    ("chart --out", "输出文件，扩展名 .svg 或 .png"),
    ("chart --lang", "图中文字的语言：zh 中文（默认），en 英文"),
    (
        "chart --font",
        "使用此 TrueType/OpenType 字体，代替内置的思源黑体（Noto Sans SC）子集",
    ),
    // history
    ("history", "列出数据库中保存的报送记录，包括更正"),
    (
        "history after",
        "示例：
  yilian history --member 市一院
  yilian history --period 2025-06 --format csv

退出码：0 完成，1 无法运行，6 数据库损坏。",
    ),
    ("history --member", "只看此成员单位（代码或名称）"),
    ("history --period", "只看此月份"),
    // sample
    (
        "sample",
        "在 DIR 中生成一个逼真的示例医联体（配置文件和 24 个月的报表）",
    ),
    (
        "sample after",
        "示例：
  yilian sample demo && yilian report --input demo --out demo-report

退出码：0 已写出，1 无法写入。",
    ),
    ("sample --dir", "写入的文件夹（不存在则创建）"),
    // init
    (
        "init",
        "根据收件箱中的报表提出 consortium.toml 初稿（成员单位、别名、层级）",
    ),
    (
        "init after",
        "示例：
  yilian init inbox                           根据 inbox 中的文件生成 inbox/consortium.toml 初稿
  yilian init inbox --name 示例医联体 --out consortium.toml

退出码：0 已写出（请阅读其中无法判定的事项），1 无法运行（文件已存在、未找到成员单位或收件箱无法读取）。",
    ),
    (
        "init --inbox",
        "成员单位报表所在的文件夹（按 yilian ingest 的方式读取）",
    ),
    (
        "init --out",
        "写入的文件；已存在则不覆盖[默认：INBOX/consortium.toml]",
    ),
    (
        "init --name",
        "医联体名称[默认：收件箱文件夹的名称]",
    ),
    // catalog
    (
        "catalog",
        "列出全部指标项和指标：代码、名称、单位、汇总方式、别名、口径和依据文件",
    ),
    (
        "catalog after",
        "示例：
  yilian catalog
  yilian catalog --format md > docs/indicators.md
  yilian catalog --sets

退出码：0 完成，1 配置文件有误。",
    ),
    (
        "catalog --config",
        "一并列出此医联体配置文件中自定义的指标项、别名和指标",
    ),
    (
        "catalog --sets",
        "改为列出指标体系（指标集）及其包含的指标",
    ),
    // completions, man
    (
        "completions",
        "输出命令行补全脚本（bash、zsh、fish、powershell、elvish）",
    ),
    (
        "completions after",
        "示例：
  yilian completions bash > /etc/bash_completion.d/yilian
  yilian completions zsh > \"${fpath[1]}/_yilian\"",
    ),
    (
        "completions --shell",
        "如 `yilian completions bash > /etc/bash_completion.d/yilian`",
    ),
    (
        "man",
        "写出手册页（yilian.1 及每个子命令一页），或输出 yilian.1",
    ),
    (
        "man after",
        "示例：
  yilian man --out /usr/local/share/man/man1 && man yilian-indicators",
    ),
    (
        "man --out",
        "存放 yilian.1 和 yilian-子命令.1 的文件夹 [默认：将 yilian.1 输出到标准输出]",
    ),
    // store
    (
        "store",
        "检查数据库文件（verify），放弃一个已丢失的文件（forget），或合并小文件（compact）",
    ),
    (
        "store after",
        "示例：
  yilian store verify
  yilian store forget 000002-000003.parquet
  yilian store compact

退出码：0 数据库完好，6 有报送文件丢失或损坏，1 无法运行。",
    ),
    (
        "store verify",
        "按写入时的记录检查每个报送文件（大小、Parquet 文件尾、SHA-256）",
    ),
    (
        "store verify after",
        "退出码：0 数据库完好，6 有报送文件丢失或损坏，1 无法检查。",
    ),
    (
        "store forget",
        "放弃一个丢失或损坏的报送文件（移入 damaged/，其中的报送不再读取）",
    ),
    (
        "store compact",
        "将许多小的报送文件合并为较少的文件并按月份排序（保留每一版报送及其序号；中途中断也不损坏数据库）",
    ),
    (
        "store forget --file",
        "文件名，与 `yilian store verify` 列出的一致（如 000002-000003.parquet）",
    ),
    // bureau
    (
        "bureau",
        "多个医联体并列（卫健局视角）：指标、排名、报送情况",
    ),
    (
        "bureau after",
        "示例：
  yilian bureau init region
  yilian bureau indicators --config region/bureau.toml --period 2025-12 --format csv
  yilian bureau rank --config region/bureau.toml --period 2025-12 --indicator bed_occupancy --by change
  yilian bureau report --config region/bureau.toml --period 2025-12 --out bureau-report

退出码：0 完成，1 无法运行（卫健局配置文件有误、某医联体没有数据库、该月无数据），2 用法错误，6 数据库损坏。",
    ),
    (
        "--bureau_config",
        "卫健局配置文件，或其所在文件夹 [默认：./bureau.toml]",
    ),
    (
        "bureau init",
        "在 DIR 下写出 bureau.toml，列出 DIR 各子文件夹中的医联体（从不覆盖）",
    ),
    (
        "bureau init --dir",
        "文件夹，其子文件夹各放一个医联体（含 consortium.toml）",
    ),
    ("bureau init --name", "区域名称 [默认：文件夹名]"),
    (
        "bureau indicators",
        "各医联体及全区域的指标；同属两个医联体的成员单位在区域合计中只计一次",
    ),
    (
        "bureau indicators --period",
        "统计月份，或季度（2025Q4、2025年第四季度：该季度截至任一医联体有数据的最后一个月）[默认：任一医联体有数据的最近月份]",
    ),
    (
        "bureau indicators --window",
        "每个数字覆盖的月份：month 当月，ytd 1-N月累计，quarter 所在季度截至当月，year 近12个月 [默认：month；--period 为季度时为 quarter]",
    ),
    (
        "bureau indicators --like_for_like",
        "医联体和区域数据只计两期均有数据的成员单位（可比口径）",
    ),
    (
        "bureau indicators --indicator",
        "只列这些指标（代码、名称或别名，逗号分隔）",
    ),
    (
        "bureau rank",
        "按指标给医联体排名（并列同名次，无数据者不排名、列于最后）",
    ),
    (
        "bureau rank --period",
        "统计月份，或季度（2025Q4、2025年第四季度：该季度截至任一医联体有数据的最后一个月）[默认：任一医联体有数据的最近月份]",
    ),
    (
        "bureau rank --window",
        "每个数字覆盖的月份：month 当月，ytd 1-N月累计，quarter 所在季度截至当月，year 近12个月 [默认：month；--period 为季度时为 quarter]",
    ),
    (
        "bureau rank --indicator",
        "参与排名的指标（代码、名称或别名，逗号分隔）[默认：卫健局监测指标组]",
    ),
    (
        "bureau league",
        "排名总表：各医联体在一组指标上的数值、名次和达标情况",
    ),
    (
        "bureau league --period",
        "统计月份，或季度（2025Q4、2025年第四季度：该季度截至任一医联体有数据的最后一个月）[默认：任一医联体有数据的最近月份]",
    ),
    (
        "bureau league --window",
        "每个数字覆盖的月份：month 当月，ytd 1-N月累计，quarter 所在季度截至当月，year 近12个月 [默认：month；--period 为季度时为 quarter]",
    ),
    (
        "bureau league --indicator",
        "列入总表的指标（代码、名称或别名，逗号分隔）[默认：卫健局监测指标组]",
    ),
    (
        "bureau submissions",
        "各医联体成员单位的报送完整性和及时性并列",
    ),
    (
        "bureau submissions --period",
        "月份 [默认：任一医联体有数据的最近月份]",
    ),
    (
        "bureau report",
        "写出卫健局报告包（HTML、Excel、Markdown、图表）",
    ),
    (
        "bureau report --period",
        "报告月份，或季度（2025Q4、2025年第四季度：季度报告，该季度截至任一医联体有数据的最后一个月）[默认：任一医联体有数据的最近月份]",
    ),
    ("bureau report --out", "写入的文件夹（不存在则创建）"),
    (
        "bureau export",
        "写出所有医联体的指标和在用数值（整洁格式的 CSV 和 Parquet）",
    ),
    (
        "bureau export --period",
        "指标的月份，或季度（2025Q4：该季度截至任一医联体有数据的最后一个月）[默认：任一医联体有数据的最近月份]",
    ),
    ("bureau export --out", "写入的文件夹（不存在则创建）"),
    (
        "sample --consortia",
        "改为生成卫健局示例：DIR/bureau.toml 及 N 个（2 至 9）规模和报表模板各异的医联体，其中一家医院同属两个医联体",
    ),
];
