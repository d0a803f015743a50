//! Every layout of domain.md in every file format, checked against values computed by hand
//! (tests/fixtures/layouts/*.json).

use crate::common::*;
use serde_json::Value;

fn formats(name: &str, spec: &Value) -> Vec<(String, Vec<u8>)> {
    let stem = spec["file_stem"].as_str().unwrap();
    vec![
        (format!("{stem}.xlsx"), xlsx(spec)),
        (format!("{stem}.xls"), xls(name)),
        (format!("{stem}.ods"), ods(spec)),
        (format!("{stem}.csv"), csv(spec, "utf8")),
        (format!("{stem}_bom.csv"), csv(spec, "utf8bom")),
        (format!("{stem}_gbk.csv"), csv(spec, "gbk")),
        (format!("{stem}_gb18030.csv"), csv(spec, "gb18030")),
        // HIS exports: an HTML table or a CSV under a .xls name.
        (format!("{stem}_his.xls"), html(spec)),
        (format!("{stem}_csv.xls"), csv(spec, "gbk")),
    ]
}

fn check_layout(name: &str, want_layout: &str) {
    let spec = layout(name);
    for (file, bytes) in formats(name, &spec) {
        let ws = Workspace::new();
        ws.put(&file, &bytes);
        let (code, summary) = ws.ingest(&["inbox"]);
        let report = &summary["file_reports"][0];
        assert_eq!(code, 0, "{file}: {report:#}");
        assert_eq!(report["status"], "stored", "{file}: {report:#}");
        let layouts: Vec<&str> = report["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["layout"].as_str())
            .collect();
        assert_eq!(layouts, vec![want_layout], "{file}");
        let warnings = report["warnings"].as_array().unwrap();
        assert_eq!(
            warnings.len() as u64,
            spec["warnings"].as_u64().unwrap(),
            "{file}: {warnings:#?}"
        );
        if let Some(needles) = spec["warning_contains"].as_array() {
            let text = serde_json::to_string(warnings).unwrap();
            for n in needles {
                assert!(
                    text.contains(n.as_str().unwrap()),
                    "{file}: warnings lack {n}: {text}"
                );
            }
        }
        assert_expected(&ws, &spec, &file);
        if let Some(date) = spec["submitted_on"].as_str() {
            let rows = ws.all_rows();
            let sub = rows
                .column("submitted_on")
                .unwrap()
                .str()
                .unwrap()
                .get(0)
                .map(str::to_string);
            assert_eq!(sub.as_deref(), Some(date), "{file}");
        }
    }
}

#[test]
fn vertical_form_in_every_format() {
    check_layout("vertical", "vertical");
}

#[test]
fn wide_summary_with_two_row_header_and_total_row_in_every_format() {
    check_layout("wide", "wide");
}

#[test]
fn department_detail_in_every_format() {
    check_layout("department", "department");
}

#[test]
fn tidy_table_in_every_format() {
    check_layout("tidy", "tidy");
}

#[test]
fn html_disguised_as_xls_is_read_and_said() {
    let spec = layout("vertical");
    let ws = Workspace::new();
    ws.put("县医院2024年3月.xls", &html(&spec));
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    let r = &summary["file_reports"][0];
    assert_eq!(r["format"], "html");
    assert!(r["note"].as_str().unwrap().contains("HTML table"), "{r:#}");
}

#[test]
fn lineage_names_the_sheet_and_cell_of_each_value() {
    let spec = layout("vertical");
    let ws = Workspace::new();
    ws.put("v.xlsx", &xlsx(&spec));
    ws.ingest(&["inbox"]);
    let df = ws.all_rows();
    let get = |col: &str, i: usize| {
        df.column(col)
            .unwrap()
            .str()
            .unwrap()
            .get(i)
            .map(str::to_string)
    };
    let i = (0..df.height())
        .find(|&i| {
            get("metric", i).as_deref() == Some("discharges")
                && get("basis", i).as_deref() == Some("month")
        })
        .unwrap();
    assert_eq!(get("sheet", i).as_deref(), Some("月报表"));
    assert_eq!(get("cell", i).as_deref(), Some("C6"));
    assert_eq!(get("raw", i).as_deref(), Some("1,234"));
    assert_eq!(get("source_file", i).as_deref(), Some("v.xlsx"));
    assert_eq!(get("member_text", i).as_deref(), Some("示例县人民医院"));
    // Department sums name the range they add up.
    let ws = Workspace::new();
    ws.put("d.xlsx", &xlsx(&layout("department")));
    ws.ingest(&["inbox"]);
    let df = ws.all_rows();
    let get = |col: &str, i: usize| {
        df.column(col)
            .unwrap()
            .str()
            .unwrap()
            .get(i)
            .map(str::to_string)
    };
    let i = (0..df.height())
        .find(|&i| get("metric", i).as_deref() == Some("discharges"))
        .unwrap();
    assert_eq!(get("cell", i).as_deref(), Some("C4:C6"));
}

/// Regression: the 合计 check re-read the original files, so it went blind once the mailbox
/// folder was moved. The 合计 figures are stored (kind `total`) and checked from the store.
#[test]
fn total_rows_are_stored_and_checked_without_the_original_file() {
    let ws = Workspace::new();
    ws.put("summary.xlsx", &xlsx(&layout("wide")));
    let (code, _) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    let eff = ws.effective();
    assert_eq!(eff["|2024-09|total:outpatient_visits|month"], Some(13460.0));
    assert_eq!(eff["|2024-09|total:discharges|month"], Some(480.0));
    std::fs::remove_dir_all(ws.inbox()).unwrap();
    let out = ws
        .yilian()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sum_rows: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "sum_row")
        .collect();
    assert_eq!(sum_rows.len(), 1, "{v:#}");
    assert_eq!(sum_rows[0]["cell"], "C8");
    assert!(sum_rows[0]["message"].as_str().unwrap().contains("13455"));
}
