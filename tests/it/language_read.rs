//! Issue 17's last part: what the readers, the formula parser and the operating system say,
//! in the reader's language. Each case runs the real binary under a Chinese locale and under
//! `LANG=C`: the Chinese says what is wrong and what to do, without the English of the old
//! messages; the English is what it always was.

use crate::common::ooxml;
use crate::common::*;
use crate::language::{assert_has, assert_lacks, form, run, C, ZH};
use std::io::{Cursor, Read};

/// The test form as an xlsx whose parts are stored (not deflated), with 出院人数 1234 changed
/// to 9234 after the archive recorded each part's CRC-32: what a damaged copy looks like.
fn xlsx_with_a_changed_digit() -> Vec<u8> {
    let good = xlsx(&form(1234, 3000, Some(300)));
    let mut zip = zip::ZipArchive::new(Cursor::new(good)).unwrap();
    let parts: Vec<(String, String)> = (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            (f.name().unwrap().into_owned(), text)
        })
        .collect();
    let parts: Vec<(&str, String)> = parts.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let mut bytes = ooxml::zip(&parts, true);
    let at = bytes
        .windows(11)
        .position(|w| w == b"<v>1234</v>")
        .expect("the figure is stored as written");
    bytes[at + 3] = b'9';
    bytes
}

#[test]
fn a_damaged_workbook_is_said_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx_with_a_changed_digit());
    let (code, _, err) = run(&ws, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &err,
        &[
            "错误：inbox/县医院_2024年3月.xlsx：文件已损坏（xl/worksheets/sheet1.xml：\
           校验值（CRC-32）不符：内容在保存后被改动，或在传输中损坏）；\
           请成员单位用 Excel 重新保存后再报送",
        ],
    );
    assert_lacks(&err, &["checksum", "damaged", "ask the member"]);
    let (code, _, err) = run(&ws, C, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &err,
        &[
            "error: inbox/县医院_2024年3月.xlsx: the file is damaged (zip checksum mismatch in \
           xl/worksheets/sheet1.xml); ask the member to send it again",
        ],
    );
}

#[test]
fn a_truncated_workbook_is_said_in_the_language() {
    // The first half of the form: its parts' names are there, the archive's directory is not.
    let good = xlsx(&form(1234, 3000, Some(300)));
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &good[..good.len() / 2]);
    let (code, _, err) = run(&ws, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &err,
        &["错误：inbox/县医院_2024年3月.xlsx：工作簿无法读取或不完整（文件结构无效，可能在传输中被截断）；\
           请用 Excel 打开检查，并请成员单位重新报送"],
    );
    assert_lacks(&err, &["Zip error", "invalid Zip archive", "EOCD"]);
    let (_, _, err) = run(&ws, C, &["ingest", "inbox"]);
    assert_has(
        &err,
        &["error: inbox/县医院_2024年3月.xlsx: unreadable or truncated workbook (Zip error: invalid \
           Zip archive"],
    );
}

#[test]
fn a_sheet_over_the_merge_limit_is_said_in_the_language() {
    // One merged range more than the limit, each a row of E:F below a small table.
    let limit = yilian::read::MAX_MERGES;
    let n = limit + 1;
    let merges: String = (20..20 + n)
        .map(|r| format!("<mergeCell ref=\"E{r}:F{r}\"/>"))
        .collect();
    let data = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>出院人数</t></is></c>\
                <c r=\"B1\"><v>12</v></c></row>";
    let after = format!("<mergeCells count=\"{n}\">{merges}</mergeCells>");
    let ws = Workspace::new();
    ws.put(
        "合并_2024年3月.xlsx",
        &ooxml::one_sheet(data, &after, &[], None),
    );
    let (code, _, err) = run(&ws, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &err,
        &[
            "错误：inbox/合并_2024年3月.xlsx：工作表“Sheet1”：",
            &format!(
                "工作表“Sheet1”有 {n} 个不同的合并区域，超过上限（每个工作表 {limit} 个合并区域）；\
                 月报表远小于此，故拒收"
            ),
        ],
    );
    assert_lacks(&err, &["merged ranges", "over the limit", "sheet `"]);
    let (_, _, err) = run(&ws, C, &["ingest", "inbox"]);
    assert_has(
        &err,
        &[
            "error: inbox/合并_2024年3月.xlsx: ",
            &format!(
                "sheet `Sheet1` has {n} different merged ranges, over the limit of {limit} \
                 merged ranges per sheet"
            ),
        ],
    );
}

#[test]
fn a_csv_with_a_nul_is_said_in_the_language() {
    let ws = Workspace::new();
    ws.put(
        "县医院_2024年3月.csv",
        "指标名称,本月\n出院人数,1234\n门急诊人次,45\u{0}678\n".as_bytes(),
    );
    let (code, _, err) = run(&ws, ZH, &["ingest", "inbox"]);
    assert_eq!(code, 3, "{err}");
    assert_has(
        &err,
        &[
            "错误：inbox/县医院_2024年3月.csv：不是电子表格（二进制数据，含有 NUL 等控制字符）；\
           应为 .xlsx、.xls、.ods、.csv 或导出的 HTML 表格",
        ],
    );
    assert_lacks(&err, &["binary data", "not a spreadsheet"]);
    let (_, _, err) = run(&ws, C, &["ingest", "inbox"]);
    assert_has(
        &err,
        &[
            "error: inbox/县医院_2024年3月.csv: not a spreadsheet (binary data); expected .xlsx, \
           .xls, .ods, .csv or an HTML table export",
        ],
    );
}

/// The workspace's consortium file with one more `[[indicators]]` of formula `expr`.
fn with_indicator(expr: &str) -> Workspace {
    let ws = Workspace::new();
    let path = ws.path().join("consortium.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!(
            "{toml}\n[[indicators]]\ncode = \"my_rate\"\nname = \"自定义指标\"\nunit = \"%\"\n\
             expr = \"{expr}\"\n"
        ),
    )
    .unwrap();
    ws
}

#[test]
fn a_user_formula_mistake_is_said_in_the_language() {
    let old_english = [
        "missing",
        "unexpected",
        "unknown code",
        "did you mean",
        "at character",
        "ends too early",
        "consortium file",
    ];
    // (formula, the character at fault counted from 1, the Chinese and English reasons).
    let unbalanced = "(discharges + outpatient_visits / 2";
    let cases = [
        (
            unbalanced,
            unbalanced.chars().count() + 1,
            "括号不配对：缺少右括号“)”".to_string(),
            "missing `)`".to_string(),
        ),
        (
            "discharges / 2)",
            15,
            "括号不配对：多了一个右括号“)”".to_string(),
            "unexpected text after the end of the formula".to_string(),
        ),
        (
            "discharges × 100",
            12,
            "此处不应有“×”；公式只能由指标代码、数字、+ - * / 和括号组成（请用半角字符）"
                .to_string(),
            "unexpected `×`; use metric codes, numbers, + - * / and parentheses".to_string(),
        ),
        (
            "dischrges / open_beds * 100",
            1,
            "未知的指标代码“dischrges”；是否指 `discharges`？".to_string(),
            "unknown code `dischrges`; did you mean `discharges`?".to_string(),
        ),
        (
            "",
            1,
            "公式为空".to_string(),
            "the formula ends too early".to_string(),
        ),
    ];
    for (expr, at, zh, en) in cases {
        let ws = with_indicator(expr);
        let (code, _, err) = run(&ws, ZH, &["indicators", "--period", "2024-03"]);
        assert_eq!(code, 1, "{err}");
        assert_has(
            &err,
            &[&format!(
                "配置文件中的 [[indicators]] `my_rate`：公式“{expr}”第 {at} 个字符处：{zh}"
            )],
        );
        assert_lacks(&err, &old_english);
        let (_, _, err) = run(&ws, C, &["indicators", "--period", "2024-03"]);
        assert_has(
            &err,
            &[&format!(
                "[[indicators]] `my_rate` in the consortium file: in `{expr}` at character {at}: {en}"
            )],
        );
    }
}

#[test]
fn a_rule_formula_mistake_is_said_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let path = ws.path().join("consortium.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let rule = "remote_imaging <= outpatient_visit";
    std::fs::write(
        &path,
        format!("{toml}\n[[rules]]\nname = \"远程影像不超过门急诊\"\nrule = \"{rule}\"\n"),
    )
    .unwrap();
    let (code, _, err) = run(&ws, ZH, &["check", "--period", "2024-03"]);
    assert_eq!(code, 1, "{err}");
    // `outpatient_visit` starts after `remote_imaging <= `: at character 19.
    assert_has(
        &err,
        &[&format!(
            "[[rules]] 第 1 条“远程影像不超过门急诊”不是有效的规则：公式“{rule}”第 19 个字符处：\
             未知的指标代码“outpatient_visit”；是否指 `outpatient_visits`？"
        )],
    );
    assert_lacks(&err, &["unknown code", "did you mean", "at character"]);
    let (_, _, err) = run(&ws, C, &["check", "--period", "2024-03"]);
    assert_has(
        &err,
        &[&format!(
            "[[rules]] #1 `远程影像不超过门急诊` is not a valid rule: in `{rule}` at character 19: \
             unknown code `outpatient_visit`; did you mean `outpatient_visits`?"
        )],
    );
}

#[test]
fn an_output_path_that_cannot_be_written_is_said_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let indicators = |lang, out: &str| {
        run(
            &ws,
            lang,
            &["indicators", "--period", "2024-03", "--output", out],
        )
    };
    // A folder that does not exist.
    let (code, _, err) = indicators(ZH, "没有的文件夹/指标.txt");
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &["yilian：错误：无法创建 没有的文件夹/指标.txt：文件或文件夹不存在"],
    );
    assert_lacks(&err, &["No such file", "os error"]);
    let (_, _, err) = indicators(C, "没有的文件夹/指标.txt");
    assert_has(
        &err,
        &["yilian: error: cannot create 没有的文件夹/指标.txt: No such file or directory"],
    );
    // A folder where a file should be.
    let (code, _, err) = indicators(ZH, "inbox");
    assert_eq!(code, 1, "{err}");
    assert_has(&err, &["无法创建 inbox：这是一个文件夹，不是文件"]);
    assert_lacks(&err, &["Is a directory", "os error"]);
    // A file where a folder should be (`man --out` makes the folder).
    let (code, _, err) = run(&ws, ZH, &["man", "--out", "consortium.toml/man"]);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &["无法创建 consortium.toml/man：路径中有一段不是文件夹"],
    );
    assert_lacks(&err, &["Not a directory", "os error"]);
    let (_, _, err) = run(&ws, C, &["man", "--out", "consortium.toml/man"]);
    assert_has(
        &err,
        &["cannot create consortium.toml/man: Not a directory"],
    );
}

#[test]
fn help_headings_are_chinese() {
    let ws = Workspace::new();
    let (code, out, _) = run(&ws, ZH, &["ingest", "--help"]);
    assert_eq!(code, 0);
    assert_has(
        &out,
        &[
            "用法：yilian ingest [选项] <PATH>...\n\n参数：\n  <PATH>...",
            "\n\n选项：\n      --config <FILE>",
        ],
    );
    assert_lacks(
        &out,
        &["Usage:", "Options:", "Arguments:", "Commands:", "[OPTIONS]"],
    );
    let (_, out, _) = run(&ws, ZH, &["store", "--help"]);
    assert_has(
        &out,
        &[
            "用法：yilian store [选项] <命令>\n\n命令：\n  verify",
            "\n\n选项：\n",
        ],
    );
    assert_lacks(&out, &["Usage:", "Options:", "Commands:", "[OPTIONS]"]);
    // English as clap writes it.
    let (_, out, _) = run(&ws, C, &["store", "--help"]);
    assert_has(
        &out,
        &[
            "Usage: yilian store [OPTIONS] <COMMAND>",
            "Commands:",
            "Options:",
        ],
    );
}

/// The store's own files: a store asked for where a file stands in the path.
#[test]
fn a_store_that_cannot_be_created_is_said_in_the_language() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    let args = ["ingest", "--store", "consortium.toml/store", "inbox"];
    let (code, _, err) = run(&ws, ZH, &args);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &["yilian：错误：无法在 consortium.toml/store 创建数据库：路径中有一段不是文件夹"],
    );
    assert_lacks(&err, &["cannot", "Not a directory", "os error"]);
    let (_, _, err) = run(&ws, C, &args);
    assert_has(
        &err,
        &["yilian: error: cannot create the store at consortium.toml/store: Not a directory"],
    );
}

/// `check --output` names the file it cannot create, as `indicators --output` does.
#[test]
fn check_output_that_cannot_be_created_names_the_path() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234, 3000, Some(300))));
    ws.ingest(&["inbox"]);
    let args = [
        "check",
        "--period",
        "2024-03",
        "--format",
        "csv",
        "--output",
        "无/核查.csv",
    ];
    let (code, _, err) = run(&ws, ZH, &args);
    assert_eq!(code, 1, "{err}");
    assert_has(
        &err,
        &["yilian：错误：无法创建 无/核查.csv：文件或文件夹不存在"],
    );
    let (_, _, err) = run(&ws, C, &args);
    assert_has(
        &err,
        &["yilian: error: cannot create 无/核查.csv: No such file or directory"],
    );
}
