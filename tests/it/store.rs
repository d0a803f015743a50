//! The store loses nothing: corrections keep both versions, identical files change nothing,
//! a crash mid-write leaves it as it was, two ingests at once do not corrupt it.

use crate::common::*;
use serde_json::{json, Value};

fn form(discharges: i64) -> Value {
    json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
        ["填报单位：示例县人民医院", null, "统计期间：2024年3月"],
        ["指标名称", "单位", "本月"],
        ["出院人数", "人次", discharges],
        ["门急诊人次", "人次", 45678]
    ]}]})
}

#[test]
fn reingesting_an_identical_file_changes_nothing() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234)));
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!((code, s["stored"].as_u64()), (0, Some(1)));
    let before = ws.store_files();
    // Same bytes, even under another name.
    ws.put(
        "copy/县医院_2024年3月(1).xlsx",
        &std::fs::read(ws.inbox().join("县医院_2024年3月.xlsx")).unwrap(),
    );
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    assert_eq!(s["unchanged"], 2, "{s:#}");
    assert_eq!(s["stored"], 0);
    assert_eq!(ws.store_files(), before);
}

#[test]
fn a_correction_is_used_and_the_original_kept_in_history() {
    let ws = Workspace::new();
    ws.put("a/县医院_2024年3月.xlsx", &xlsx(&form(1234)));
    ws.ingest(&["inbox"]);
    ws.put("b/县医院_2024年3月_更正.xlsx", &xlsx(&form(1250)));
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    let corr = s["file_reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "stored")
        .unwrap();
    assert_eq!(corr["corrects"], json!(["县医院_2024年3月.xlsx"]));
    assert_eq!(ws.store_files().len(), 2);
    let eff = ws.effective();
    assert_eq!(eff["county_peoples|2024-03|discharges|month"], Some(1250.0));
    // The original is still there, value by value.
    use polars::prelude::*;
    let first = ws
        .all_rows()
        .lazy()
        .filter(col("seq").eq(lit(1i64)))
        .collect()
        .unwrap();
    let all = frame_map(first);
    assert_eq!(all["county_peoples|2024-03|discharges|month"], Some(1234.0));
    // And visible in the history listing.
    let out = ws
        .yilian()
        .args(["history", "--member", "county_peoples", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[1].contains("superseded") && lines[1].contains("县医院_2024年3月.xlsx"),
        "{text}"
    );
    assert!(
        lines[2].contains(",yes,") && lines[2].contains("更正"),
        "{text}"
    );
}

#[test]
fn a_correction_in_the_same_batch_wins_by_path_order() {
    let ws = Workspace::new();
    ws.put("2024-04/县医院_2024年3月.xlsx", &xlsx(&form(1234)));
    ws.put("2024-05/县医院_2024年3月_更正.xlsx", &xlsx(&form(1250)));
    let (code, _) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    assert_eq!(
        ws.effective()["county_peoples|2024-03|discharges|month"],
        Some(1250.0)
    );
}

#[test]
fn an_interrupted_write_leaves_the_store_unchanged() {
    let ws = Workspace::new();
    ws.put("a/县医院_2024年3月.xlsx", &xlsx(&form(1234)));
    ws.ingest(&["inbox/a"]);
    let before = ws.store_files();
    ws.put("b/县医院_2024年3月_更正.xlsx", &xlsx(&form(1250)));
    // The process dies after writing the new Parquet file, before committing it.
    let out = ws
        .yilian()
        .env("YILIAN_TEST_CRASH_BEFORE_RENAME", "1")
        .args(["ingest", "inbox/b"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(ws.store_files(), before);
    assert_eq!(
        ws.effective()["county_peoples|2024-03|discharges|month"],
        Some(1234.0)
    );
    // The next run commits it and clears the leftover.
    let (code, s) = ws.ingest(&["inbox/b"]);
    assert_eq!((code, s["stored"].as_u64()), (0, Some(1)));
    assert_eq!(
        ws.effective()["county_peoples|2024-03|discharges|month"],
        Some(1250.0)
    );
    assert_eq!(
        std::fs::read_dir(ws.store().join("tmp")).unwrap().count(),
        0
    );
}

#[test]
fn a_commit_interrupted_before_the_summary_is_read_beside_it() {
    let ws = Workspace::new();
    ws.put("a/县医院_2024年3月.xlsx", &xlsx(&form(1234)));
    ws.ingest(&["inbox/a"]);
    // April, from a second member: dies once the file is committed and recorded in the
    // manifest, before reported.json sums it up.
    let mut f = form(77);
    f["sheets"][0]["rows"][0] = json!(["填报单位：石门乡卫生院", null, "统计期间：2024年4月"]);
    ws.put("b/石门_2024年4月.xlsx", &xlsx(&f));
    let out = ws
        .yilian()
        .env("YILIAN_TEST_CRASH_BEFORE_SUMMARY", "1")
        .args(["ingest", "inbox/b"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(ws.store_files().len(), 2);
    let summary = |ws: &Workspace| -> Value {
        serde_json::from_slice(&std::fs::read(ws.store().join("reported.json")).unwrap()).unwrap()
    };
    assert_eq!(summary(&ws)["files"].as_array().unwrap().len(), 1);
    // What the store holds is read all the same: the new file beside the summary.
    let store = yilian::store::Store::open_existing(&ws.store()).unwrap();
    let pairs: Vec<String> = store
        .reported_pairs()
        .unwrap()
        .into_iter()
        .map(|(m, x)| format!("{m} {x}"))
        .collect();
    assert_eq!(
        pairs,
        [
            "county_peoples discharges",
            "county_peoples outpatient_visits",
            "shimen discharges",
            "shimen outpatient_visits"
        ]
    );
    let months: Vec<String> = store
        .figure_months()
        .unwrap()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(months, ["2024-03", "2024-04"]);
    // The next commit covers both files again.
    let mut f = form(1250);
    f["sheets"][0]["rows"][0][2] = json!("统计期间：2024年5月");
    ws.put("c/县医院_2024年5月.xlsx", &xlsx(&f));
    let (code, _) = ws.ingest(&["inbox/c"]);
    assert_eq!(code, 0);
    assert_eq!(summary(&ws)["files"].as_array().unwrap().len(), 3);
    assert_eq!(
        summary(&ws)["months"],
        json!(["2024-03", "2024-04", "2024-05"])
    );
}

#[test]
fn two_ingests_at_once_do_not_corrupt_the_store() {
    let ws = Workspace::new();
    for m in 1..=6 {
        let mut f = form(1000 + m);
        f["sheets"][0]["rows"][0][2] = json!(format!("统计期间：2024年{m}月"));
        ws.put(&format!("a/县医院_{m}.xlsx",), &xlsx(&f));
        f["sheets"][0]["rows"][0][2] = json!(format!("统计期间：2023年{m}月"));
        ws.put(&format!("b/县医院_{m}.xlsx"), &xlsx(&f));
    }
    let spawn = |dir: &str| {
        ws.yilian()
            .args(["ingest", "--format", "json", dir])
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn("inbox/a"));
        let b = s.spawn(|| spawn("inbox/b"));
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(a.status.success() && b.status.success());
    // One Parquet file per run, twelve submissions with twelve distinct sequence numbers.
    assert_eq!(ws.store_files().len(), 2);
    let rows = ws.all_rows();
    let seqs: std::collections::BTreeSet<i64> = rows
        .column("seq")
        .unwrap()
        .i64()
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(
        seqs.into_iter().collect::<Vec<_>>(),
        (1..=12).collect::<Vec<i64>>()
    );
    assert_eq!(
        ws.effective()
            .iter()
            .filter(|(k, _)| k.contains("|discharges|"))
            .count(),
        12
    );
}

#[test]
fn parquet_schema_is_the_documented_one() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234)));
    ws.ingest(&["inbox"]);
    let df = ws.all_rows();
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let documented: Vec<String> = yilian::store::COLUMNS
        .iter()
        .map(|c| c.0.to_string())
        .collect();
    assert_eq!(names, documented);
    // Types as documented: readers elsewhere (pandas, DuckDB) rely on them.
    for ((name, ty, _), dtype) in yilian::store::COLUMNS.iter().zip(df.dtypes()) {
        let expected = match ty.trim_end_matches('?') {
            "Int64" => polars::prelude::DataType::Int64,
            "Float64" => polars::prelude::DataType::Float64,
            _ => polars::prelude::DataType::String,
        };
        assert_eq!(dtype, expected, "column {name}");
    }
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/store.md")).unwrap();
    for c in &documented {
        assert!(doc.contains(&format!("`{c}`")), "docs/store.md lacks {c}");
    }
}

/// Regression: a store kept inside the mailbox folder was walked into, and its Parquet
/// files were listed as skipped submissions on every run.
#[test]
fn a_store_inside_the_input_folder_is_not_read_as_submissions() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form(1234)));
    let store = ws.inbox().join("store");
    let store = store.to_str().unwrap();
    let (code, s) = ws.ingest(&["--store", store, "inbox"]);
    assert_eq!((code, s["stored"].as_u64()), (0, Some(1)));
    let (code, s) = ws.ingest(&["--store", store, "inbox"]);
    assert_eq!(code, 0);
    assert_eq!(
        (s["unchanged"].as_u64(), s["skipped"].as_u64()),
        (Some(1), Some(0)),
        "{s:#}"
    );
}
