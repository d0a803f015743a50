//! Every bad input the ingest issue names: each gets its own message naming the file (and
//! sheet and cell), exit code 3, and leaves the store and the other files untouched.

use crate::common::*;
use serde_json::{json, Value};

/// A one-sheet vertical form with the given rows below the header.
fn form(member_line: &str, period_line: &str, rows: Value) -> Value {
    let mut all = vec![
        json!([member_line, null, period_line]),
        json!(["指标名称", "单位", "本月"]),
    ];
    all.extend(rows.as_array().unwrap().iter().cloned());
    json!({"sheets": [{"name": "月报表", "merges": [], "rows": all}]})
}

fn good() -> Value {
    form(
        "填报单位：示例县人民医院",
        "统计期间：2024年3月",
        json!([["出院人数", "人次", 1234], ["门急诊人次", "人次", 45678]]),
    )
}

/// Ingests `bad` next to a good file and returns the bad file's errors as text.
fn rejected(name: &str, bad: &[u8]) -> String {
    let ws = Workspace::new();
    ws.put("good_县医院_2024年3月.xlsx", &xlsx(&good()));
    ws.put(name, bad);
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_eq!(code, 3, "{summary:#}");
    assert_eq!(summary["stored"], 1, "the good file is stored: {summary:#}");
    assert_eq!(summary["rejected"], 1);
    let report = summary["file_reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(name))
        .unwrap();
    assert_eq!(report["status"], "rejected");
    // Nothing of the bad file reached the store.
    let rows = ws.all_rows();
    let files = rows.column("source_file").unwrap().str().unwrap();
    assert!(files
        .into_iter()
        .all(|f| f == Some("good_县医院_2024年3月.xlsx")));
    assert_eq!(ws.store_files().len(), 1);
    serde_json::to_string(&report["errors"]).unwrap()
}

#[test]
fn empty_file() {
    let e = rejected("empty.xlsx", b"");
    assert!(e.contains("empty"), "{e}");
}

#[test]
fn truncated_workbook() {
    let bytes = xlsx(&good());
    let e = rejected("cut.xlsx", &bytes[..bytes.len() / 2]);
    assert!(e.contains("unreadable or truncated"), "{e}");
}

#[test]
fn not_a_spreadsheet() {
    let e = rejected("scan.xlsx", b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n");
    assert!(e.contains("not a spreadsheet") && e.contains("PDF"), "{e}");
    let e = rejected("photo.xls", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert!(e.contains("PNG"), "{e}");
}

#[test]
fn encrypted_workbook_asks_for_it_without_a_password() {
    let bytes = std::fs::read(fixtures().join("encrypted.xlsx")).unwrap();
    let e = rejected("enc.xlsx", &bytes);
    assert!(
        e.contains("encrypted") && e.contains("without a password"),
        "{e}"
    );
}

#[test]
fn empty_sheet() {
    let blank = json!({"sheets": [{"name": "Sheet1", "merges": [], "rows": []}]});
    let e = rejected("blank_2024年3月.xlsx", &xlsx(&blank));
    assert!(e.contains("empty"), "{e}");
}

#[test]
fn no_recognisable_table() {
    let notes =
        json!({"sheets": [{"name": "说明", "merges": [], "rows": [["本月无数据，下月补报。"]]}]});
    let e = rejected("note.xlsx", &xlsx(&notes));
    assert!(e.contains("no recognisable table"), "{e}");
}

#[test]
fn no_period_anywhere() {
    let f = form(
        "填报单位：示例县人民医院",
        "",
        json!([["出院人数", "人次", 1234]]),
    );
    let e = rejected("县医院月报.xlsx", &xlsx(&f));
    assert!(
        e.contains("no period found") && e.contains("--period"),
        "{e}"
    );
}

#[test]
fn unknown_member_names_the_name_and_suggests_the_closest() {
    let f = form(
        "填报单位：示例县人民医",
        "统计期间：2024年3月",
        json!([["出院人数", "人次", 10]]),
    );
    let e = rejected("x.xlsx", &xlsx(&f));
    assert!(e.contains("unknown member `示例县人民医`"), "{e}");
    assert!(e.contains("示例县人民医院 (county_peoples)"), "{e}");
    assert!(e.contains("A1"), "names the cell: {e}");
}

#[test]
fn negative_count_names_the_cell() {
    let f = form(
        "填报单位：示例县人民医院",
        "统计期间：2024年3月",
        json!([["门急诊人次", "人次", 100], ["出院人数", "人次", -5]]),
    );
    let e = rejected("neg.xlsx", &xlsx(&f));
    assert!(
        e.contains("negative count -5") && e.contains("\"cell\":\"C4\"") && e.contains("月报表"),
        "{e}"
    );
}

#[test]
fn text_in_a_number_cell_names_the_cell() {
    let f = form(
        "填报单位：示例县人民医院",
        "统计期间：2024年3月",
        json!([["出院人数", "人次", "约100"]]),
    );
    let e = rejected("text.xlsx", &xlsx(&f));
    assert!(
        e.contains("expected a number") && e.contains("约100") && e.contains("C3"),
        "{e}"
    );
}

#[test]
fn undecodable_text() {
    let e = rejected("bad.csv", b"a,b\n\x81\xFF,1\n");
    assert!(e.contains("undecodable text at byte"), "{e}");
}

#[test]
fn huge_used_range_is_refused_without_allocating_it() {
    // Cells at A1 and XFD1048576: calamine would allocate the whole rectangle.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "填报单位：示例县人民医院").unwrap();
    ws.write_number(1_048_575, 16_383, 1.0).unwrap();
    let e = rejected("bomb_2024年3月.xlsx", &wb.save_to_buffer().unwrap());
    assert!(e.contains("XFD1048576") && e.contains("refusing"), "{e}");
}

#[test]
fn human_output_gives_one_line_per_problem_naming_file_sheet_and_cell() {
    let ws = Workspace::new();
    let f = form(
        "填报单位：示例县人民医院",
        "统计期间：2024年3月",
        json!([["出院人数", "人次", -5]]),
    );
    ws.put("neg.xlsx", &xlsx(&f));
    let out = ws.yilian().args(["ingest", "inbox"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.lines()
            .any(|l| l.starts_with("error: inbox/neg.xlsx: sheet `月报表` C3: negative count -5")),
        "{err}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("1 rejected"), "{stdout}");
}
