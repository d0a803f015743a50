//! Text that must stay text (issue 18, items 15 and 16): member names, file names and cell
//! texts that a spreadsheet would run as formulas, that a terminal would act on (ANSI and OSC
//! sequences, line breaks, bidirectional overrides) or that Markdown would pass on as HTML.
//! Every output is checked byte for byte where the hostile text lands.

use crate::common::*;
use serde_json::json;

const FORMULA_NAME: &str = r#"=HYPERLINK("http://x","y")"#;
/// A member name that retitles the terminal (OSC 0 … BEL), reverses what follows (U+202E)
/// and carries a script element; 石门 reports March.
const TERMINAL_NAME: &str = "石门\u{1b}]0;pwned\u{7}\u{202e}<script>alert(1)</script>";
/// How `TERMINAL_NAME` shows on a terminal.
const TERMINAL_NAME_SHOWN: &str = "石门\\u{1b}]0;pwned\\u{7}\\u{202e}<script>alert(1)</script>";
/// A member that sends nothing for March, so the report names it among the missing.
const MISSING_NAME: &str = "红星\u{1b}[2J\u{202e}<script>x</script>";

/// An ingested file whose name is a formula, with the same terminal sequences.
const FILE_NAME: &str = "=HYPERLINK(\"x\")\u{1b}]0;pwned\u{7}\u{202e}fdp.xlsx";
const FILE_NAME_SHOWN: &str = "=HYPERLINK(\"x\")\\u{1b}]0;pwned\\u{7}\\u{202e}fdp.xlsx";

fn form(member: &str, period: &str, rows: serde_json::Value) -> Vec<u8> {
    let mut all = vec![
        json!([
            format!("填报单位：{member}"),
            null,
            format!("统计期间：{period}")
        ]),
        json!(["指标名称", "单位", "本月"]),
    ];
    all.extend(rows.as_array().unwrap().iter().cloned());
    xlsx(&json!({"sheets": [{"name": "月报表", "merges": [], "rows": all}]}))
}

/// The test consortium with two hostile member names (the old names kept as aliases so the
/// files match) and a user indicator whose name and alias are formulas; 大沙 reports
/// February and March 2024, March in a file with a hostile name and more grade 3 surgeries
/// than surgeries (a check finding that names the file).
fn workspace() -> Workspace {
    let ws = Workspace::new();
    let cfg = ws.path().join("consortium.toml");
    let toml_str = |s: &str| toml::Value::String(s.to_string()).to_string();
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace(
            "name = \"大沙镇中心卫生院\"\naliases = [",
            &format!(
                "name = {}\naliases = [\"大沙镇中心卫生院\", ",
                toml_str(FORMULA_NAME)
            ),
        )
        .replace(
            "name = \"石门乡卫生院\"",
            &format!(
                "name = {}\naliases = [\"石门乡卫生院\"]",
                toml_str(TERMINAL_NAME)
            ),
        )
        .replace(
            "name = \"红星村卫生室\"",
            &format!(
                "name = {}\naliases = [\"红星村卫生室\"]",
                toml_str(MISSING_NAME)
            ),
        );
    assert!(text.contains("\\u001B]0;pwned") || text.contains("\\u001b]0;pwned"));
    let text = format!(
        "{text}\n[[indicators]]\ncode = \"double_discharges\"\nname = '=2*A1'\nexpr = \"discharges * 2\"\naliases = [\"@SUM(A1)\"]\n"
    );
    std::fs::write(&cfg, text).unwrap();
    ws.put(
        "dasha_2024-02.xlsx",
        &form(
            "大沙镇中心卫生院",
            "2024年2月",
            json!([["出院人数", "人次", 2000]]),
        ),
    );
    ws.put(
        FILE_NAME,
        &form(
            "大沙镇中心卫生院",
            "2024年3月",
            json!([
                ["出院人数", "人次", 1000],
                ["住院手术例数", "台次", 10],
                ["三级手术例数", "台次", 20]
            ]),
        ),
    );
    ws.put(
        "shimen_2024-03.xlsx",
        &form(
            "石门乡卫生院",
            "2024年3月",
            json!([["出院人数", "人次", 5]]),
        ),
    );
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0, "{summary:#}");
    assert_eq!(summary["stored"], 3, "{summary:#}");
    ws
}

fn run(ws: &Workspace, args: &[&str]) -> (i32, Vec<u8>, Vec<u8>) {
    let out = ws.yilian().args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, out.stderr)
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

/// No byte that a terminal acts on, and no bidirectional override.
fn assert_inert(what: &str, s: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\r'] {
        assert!(!s.contains(c), "{what} holds {c:?}: {s}");
    }
}

// ------------------------------------------------------------------ CSV (item 15)

#[test]
fn indicators_csv_neutralises_text_and_keeps_numbers() {
    let ws = workspace();
    let (code, out, err) = run(
        &ws,
        &[
            "indicators",
            "--period",
            "2024-03",
            "--scope",
            "member",
            "--indicator",
            "discharges,double_discharges",
            "--format",
            "csv",
        ],
    );
    assert_eq!(code, 0, "{}", text(&err));
    let csv = text(&out);
    // Hand-computed: 1000 discharges in March, 2000 in February: -50% month on month (a
    // number column, so the leading `-` stays); the name is text and gets its `'`.
    assert!(
        csv.contains(
            "2024-03,month,member,dasha,discharges,1000,,,,-50,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",出院人次,人次,"
        ),
        "{csv}"
    );
    assert!(
        csv.contains(
            "2024-03,month,member,dasha,double_discharges,2000,,,,-50,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'=2*A1,,"
        ),
        "{csv}"
    );
    // The terminal name stays as stored (CSV is data), only its leading character matters.
    assert!(
        csv.contains(&format!(",{TERMINAL_NAME},出院人次,")),
        "{csv}"
    );
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");

    // --csv-raw: exactly as stored, for pipelines.
    let (code, out, _) = run(
        &ws,
        &[
            "indicators",
            "--period",
            "2024-03",
            "--scope",
            "member",
            "--indicator",
            "discharges",
            "--format",
            "csv",
            "--csv-raw",
        ],
    );
    assert_eq!(code, 0);
    assert!(text(&out).contains(
        "2024-03,month,member,dasha,discharges,1000,,,,-50,,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",出院人次,"
    ));
}

#[test]
fn history_csv_neutralises_the_file_name() {
    let ws = workspace();
    let (code, out, err) = run(&ws, &["history", "--member", "dasha", "--format", "csv"]);
    assert_eq!(code, 0, "{}", text(&err));
    let csv = text(&out);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "member,period,seq,in_use,source_file,submitted_on,ingested_at,values"
    );
    let march = lines
        .iter()
        .find(|l| l.starts_with("dasha,2024-03,"))
        .unwrap();
    // Three figures stored (出院, 住院手术, 三级手术): the count column is not touched.
    assert!(
        march.contains(&format!(",yes,\"'{}\",", FILE_NAME.replace('"', "\"\""))),
        "{march}"
    );
    assert!(march.ends_with(",3"), "{march}");
    let (_, out, _) = run(
        &ws,
        &[
            "history",
            "--member",
            "dasha",
            "--format",
            "csv",
            "--csv-raw",
        ],
    );
    assert!(text(&out).contains(&format!(",yes,\"{}\",", FILE_NAME.replace('"', "\"\""))));
}

#[test]
fn check_csv_neutralises_the_file_name() {
    let ws = workspace();
    let (code, out, err) = run(&ws, &["check", "--period", "2024-03", "--format", "csv"]);
    assert_eq!(code, 5, "{}", text(&err));
    let csv = text(&out);
    let row = csv
        .lines()
        .find(|l| l.starts_with("error,grade34_le_surgeries,dasha,2024-03,"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        row.contains(&format!(
            ",surgeries_grade3=20; inpatient_surgeries=10,\"'{}\",月报表,",
            FILE_NAME.replace('"', "\"\"")
        )),
        "{row}"
    );
}

#[test]
fn catalog_csv_neutralises_names_and_aliases() {
    let ws = workspace();
    let (code, out, err) = run(
        &ws,
        &["catalog", "--config", "consortium.toml", "--format", "csv"],
    );
    assert_eq!(code, 0, "{}", text(&err));
    let csv = text(&out);
    assert!(
        csv.contains("\nindicator,double_discharges,'=2*A1,,,discharges * 2,"),
        "{csv}"
    );
    // The aliases, then the indicator's empty stock_flow, definition and source columns.
    assert!(csv.contains(",'@SUM(A1),,,\n"), "{csv}");
    let (_, out, _) = run(
        &ws,
        &[
            "catalog",
            "--config",
            "consortium.toml",
            "--format",
            "csv",
            "--csv-raw",
        ],
    );
    assert!(text(&out).contains("\nindicator,double_discharges,=2*A1,,,discharges * 2,"));
}

#[test]
fn xlsx_outputs_write_formula_text_as_strings() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let ws = workspace();
    for args in [
        vec![
            "indicators",
            "--period",
            "2024-03",
            "--format",
            "xlsx",
            "-o",
            "ind.xlsx",
        ],
        vec![
            "check",
            "--period",
            "2024-03",
            "--format",
            "xlsx",
            "-o",
            "check.xlsx",
        ],
    ] {
        let (code, _, err) = run(&ws, &args);
        assert!(code == 0 || code == 5, "{}", text(&err));
        let path = ws.path().join(args.last().unwrap());
        let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
        let mut found = 0;
        for sheet in wb.sheet_names() {
            let formulas = wb.worksheet_formula(&sheet).unwrap();
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "formula in {path:?} {sheet}"
            );
            let range = wb.worksheet_range(&sheet).unwrap();
            found += range
                .used_cells()
                .filter(|(_, _, v)| {
                    matches!(v, Data::String(s) if s == FORMULA_NAME || s == FILE_NAME || s == "=2*A1")
                })
                .count();
        }
        assert!(found > 0, "{path:?} holds the hostile text as strings");
        // Every XML part is well-formed XML 1.0: no raw control character (the check
        // workbook names a sheet after each member, 红星's name holds ESC).
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let name = part.name().unwrap().to_string();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut bytes).unwrap();
            assert!(
                !bytes
                    .iter()
                    .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')),
                "a control character in {path:?} {name}"
            );
        }
    }
}

// ------------------------------------------------------------ terminal (item 16)

#[test]
fn terminal_tables_show_controls_and_bidi_as_escapes() {
    let ws = workspace();
    let (code, out, err) = run(
        &ws,
        &[
            "indicators",
            "--period",
            "2024-03",
            "--scope",
            "member",
            "--indicator",
            "discharges",
        ],
    );
    assert_eq!(code, 0, "{}", text(&err));
    let table = text(&out);
    assert_inert("indicators table", &table);
    assert!(table.contains(TERMINAL_NAME_SHOWN), "{table}");

    let (_, out, _) = run(&ws, &["history"]);
    let table = text(&out);
    assert_inert("history table", &table);
    assert!(table.contains(FILE_NAME_SHOWN), "{table}");

    let (code, out, _) = run(&ws, &["check", "--period", "2024-03"]);
    assert_eq!(code, 5);
    let listing = text(&out);
    assert_inert("check listing", &listing);
    assert!(
        listing.contains(&format!("        {FILE_NAME_SHOWN} · 月报表 · ")),
        "{listing}"
    );
}

#[test]
fn ingest_messages_show_controls_and_bidi_as_escapes() {
    let ws = workspace();
    // A file with a line break and colour codes in its name, from a member nobody knows
    // whose name retitles the terminal.
    ws.put(
        "bad\u{1b}[31m\nerror: forged\u{202e}.xlsx",
        &form(
            "坏\u{1b}]0;pwned\u{7}医院",
            "2024年3月",
            json!([["出院人数", "人次", 5]]),
        ),
    );
    let (code, out, err) = run(&ws, &["ingest", "-v", "inbox"]);
    assert_eq!(code, 3);
    let (out, err) = (text(&out), text(&err));
    assert_inert("ingest stdout", &out);
    assert_inert("ingest stderr", &err);
    let line = err
        .lines()
        .find(|l| l.starts_with("error: inbox/bad"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        line.starts_with("error: inbox/bad\\u{1b}[31m\\nerror: forged\\u{202e}.xlsx: "),
        "{line}"
    );
    assert!(line.contains("坏\\u{1b}]0;pwned\\u{7}医院"), "{line}");
    // One line per problem: the forged line is part of the real one.
    assert!(
        !err.lines().any(|l| l.starts_with("error: forged")),
        "{err}"
    );
    assert!(out.contains(&format!("inbox/{FILE_NAME_SHOWN}")), "{out}");
}

#[test]
fn error_messages_show_controls_and_bidi_as_escapes() {
    let ws = workspace();
    let (code, _, err) = run(
        &ws,
        &["history", "--member", "x\u{1b}]0;pwned\u{7}\n\u{202e}y"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        text(&err),
        "yilian: error: unknown member `x\\u{1b}]0;pwned\\u{7}\\n\\u{202e}y`; did you mean \
         石门\\u{1b}]0;pwned\\u{7}\\u{202e}<script>alert(1)</script> (shimen)?\n"
    );
}

#[test]
fn json_escapes_controls_and_keeps_bidi_characters() {
    // JSON is for programs: serde writes control characters as \u escapes, and U+202E is a
    // valid character of a JSON string, written as it is (the program reading it decides).
    let ws = workspace();
    let (code, out, _) = run(
        &ws,
        &[
            "indicators",
            "--period",
            "2024-03",
            "--scope",
            "member",
            "--indicator",
            "discharges",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let json = text(&out);
    assert!(!json.contains('\u{1b}') && !json.contains('\u{7}'));
    assert!(
        json.contains("\"石门\\u001b]0;pwned\\u0007\u{202e}<script>alert(1)</script>\""),
        "{json}"
    );
}

// ------------------------------------------------------------ Markdown (item 16)

#[test]
fn indicators_markdown_escapes_html() {
    let ws = workspace();
    let (code, out, err) = run(
        &ws,
        &[
            "indicators",
            "--period",
            "2024-03",
            "--scope",
            "member",
            "--indicator",
            "discharges",
            "--format",
            "md",
        ],
    );
    assert_eq!(code, 0, "{}", text(&err));
    let md = text(&out);
    assert_inert("markdown", &md);
    assert!(!md.contains("<script"), "{md}");
    assert!(
        md.contains(
            "| 成员单位 | 石门\\\\u\\{1b\\}\\]0;pwned\\\\u\\{7\\}\\\\u\\{202e\\}&lt;script&gt;alert\\(1\\)&lt;/script&gt; | 出院人次（人次） |"
        ),
        "{md}"
    );
    assert!(
        md.contains("| 成员单位 | =HYPERLINK\\(\"http://x\",\"y\"\\) | 出院人次（人次） | 1,000 |"),
        "{md}"
    );
}

#[test]
fn report_summary_markdown_escapes_html() {
    let ws = workspace();
    let (code, _, err) = run(&ws, &["report", "--period", "2024-03", "--out", "out"]);
    assert_eq!(code, 0, "{}", text(&err));
    let md = std::fs::read_to_string(ws.path().join("out/summary.md")).unwrap();
    assert_inert("summary.md", &md);
    assert!(!md.contains("<script"), "{md}");
    // 红星 sent nothing for March: named among the missing, escaped.
    assert!(
        md.contains("、红星\\\\u\\{1b\\}\\[2J\\\\u\\{202e\\}&lt;script&gt;x&lt;/script&gt;、"),
        "{md}"
    );
}
