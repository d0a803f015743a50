//! Issue 14, bounded memory: a run commits its files in batches. Several batches store exactly
//! what one batch stores (sequence numbers in path order, corrections, duplicates, counts), and
//! a run killed between two batches leaves whole files only; running it again stores the rest.

use crate::common::*;
use serde_json::{json, Value};

fn form(member: &str, month: u32, discharges: i64) -> Value {
    json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
        [format!("填报单位：{member}"), null, format!("统计期间：2024年{month}月")],
        ["指标名称", "单位", "本月"],
        ["出院人数", "人次", discharges],
        ["门急诊人次", "人次", 45678]
    ]}]})
}

/// Five files in path order: a form, a member's first file and its correction, a copy of the
/// first form under another name, another member's form.
fn inbox(ws: &Workspace) {
    let dasha = xlsx(&form("大沙镇中心卫生院", 3, 100));
    ws.put("a/大沙_2024年3月.xlsx", &dasha);
    ws.put(
        "b/县医院_2024年3月.xlsx",
        &xlsx(&form("示例县人民医院", 3, 1234)),
    );
    ws.put(
        "c/县医院_2024年3月_更正.xlsx",
        &xlsx(&form("示例县人民医院", 3, 1250)),
    );
    ws.put("d/大沙_2024年3月(1).xlsx", &dasha);
    ws.put("e/石门_2024年4月.xlsx", &xlsx(&form("石门乡卫生院", 4, 77)));
}

fn ingest_env(ws: &Workspace, env: &[(&str, &str)]) -> (Option<i32>, Option<Value>) {
    let mut cmd = ws.yilian();
    cmd.args(["ingest", "--format", "json", "inbox"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.code(), serde_json::from_slice(&out.stdout).ok())
}

fn report<'a>(s: &'a Value, suffix: &str) -> &'a Value {
    s["file_reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no report for {suffix}: {s:#}"))
}

/// The figures in use and the history of the corrected month, as the fixtures put them.
fn assert_all_five_stored(ws: &Workspace) {
    let v = ws.effective();
    assert_eq!(v["dasha|2024-03|discharges|month"], Some(100.0));
    assert_eq!(v["county_peoples|2024-03|discharges|month"], Some(1250.0));
    assert_eq!(v["shimen|2024-04|discharges|month"], Some(77.0));
    assert_eq!(v["shimen|2024-04|outpatient_visits|month"], Some(45678.0));
    // Both versions of the corrected month are kept.
    let rows = ws.all_rows();
    let seq = rows.column("seq").unwrap().i64().unwrap();
    let member = rows.column("member").unwrap().str().unwrap();
    let value = rows.column("value").unwrap().f64().unwrap();
    let county: std::collections::BTreeSet<(i64, i64)> = (0..rows.height())
        .filter(|&i| member.get(i) == Some("county_peoples"))
        .filter_map(|i| Some((seq.get(i)?, value.get(i)? as i64)))
        .filter(|&(_, v)| v != 45678)
        .collect();
    assert_eq!(county, [(2, 1234), (3, 1250)].into_iter().collect());
}

#[test]
fn several_batches_store_what_one_batch_stores() {
    let one = Workspace::new();
    inbox(&one);
    let (code, single) = ingest_env(&one, &[]);
    assert_eq!(code, Some(0), "{single:#?}");
    let single = single.unwrap();
    assert_eq!(one.store_files().len(), 1);

    let ws = Workspace::new();
    inbox(&ws);
    // Two rows per file: every stored file is a batch of its own.
    let (code, batched) = ingest_env(&ws, &[("YILIAN_TEST_BATCH_ROWS", "1")]);
    assert_eq!(code, Some(0), "{batched:#?}");
    let s = batched.unwrap();
    assert_eq!(ws.store_files().len(), 4, "{:?}", ws.store_files());
    assert_all_five_stored(&ws);
    assert_eq!(ws.effective(), one.effective());

    for (k, n) in [
        ("files", 5),
        ("stored", 4),
        ("unchanged", 1),
        ("rejected", 0),
        ("members", 3),
        ("values", 10),
    ] {
        assert_eq!(s[k], n, "{k}: {s:#}");
    }
    // Sequence numbers in path order; the copy is the first form's, stored once.
    for (file, seq) in [
        ("a/大沙_2024年3月.xlsx", 1),
        ("b/县医院_2024年3月.xlsx", 2),
        ("c/县医院_2024年3月_更正.xlsx", 3),
        ("e/石门_2024年4月.xlsx", 4),
    ] {
        assert_eq!(report(&s, file)["seq"], seq, "{file}");
        assert_eq!(report(&s, file)["status"], "stored", "{file}");
    }
    let copy = report(&s, "d/大沙_2024年3月(1).xlsx");
    assert_eq!(copy["status"], "unchanged");
    assert_eq!(copy["seq"], 1);
    assert!(copy["duplicate_of"]
        .as_str()
        .unwrap()
        .ends_with("a/大沙_2024年3月.xlsx"));
    // The correction, committed after the file it corrects, is described against it.
    assert_eq!(
        report(&s, "c/县医院_2024年3月_更正.xlsx")["corrects"],
        json!(["县医院_2024年3月.xlsx"])
    );
    let corrections = s["corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 1, "{s:#}");
    let changes = corrections[0]["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{s:#}");
    assert_eq!(
        (
            changes[0]["key"].as_str(),
            changes[0]["old"].as_f64(),
            changes[0]["new"].as_f64()
        ),
        (Some("discharges"), Some(1234.0), Some(1250.0))
    );
    assert_eq!(corrections[0]["unchanged"], 1);

    // Everything but the store's place says the same as the one-batch run.
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("store");
        for r in v["file_reports"].as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("path");
            if let Some(d) = r.get_mut("duplicate_of") {
                *d = json!(d.as_str().unwrap().rsplit("inbox").next());
            }
        }
        for c in v["corrections"].as_array_mut().unwrap() {
            c["file"] = json!(c["file"].as_str().unwrap().rsplit("inbox").next());
        }
        v
    };
    assert_eq!(strip(s), strip(single));
}

#[test]
fn a_run_killed_between_batches_leaves_whole_files_and_the_next_run_stores_the_rest() {
    let ws = Workspace::new();
    inbox(&ws);
    let (code, _) = ingest_env(
        &ws,
        &[
            ("YILIAN_TEST_BATCH_ROWS", "1"),
            ("YILIAN_TEST_CRASH_AFTER_COMMITS", "2"),
        ],
    );
    assert_ne!(code, Some(0));
    // The first two files in path order, each whole; nothing of the others.
    assert_eq!(ws.store_files().len(), 2, "{:?}", ws.store_files());
    let v = ws.effective();
    assert_eq!(v["dasha|2024-03|discharges|month"], Some(100.0));
    assert_eq!(v["dasha|2024-03|outpatient_visits|month"], Some(45678.0));
    assert_eq!(v["county_peoples|2024-03|discharges|month"], Some(1234.0));
    assert_eq!(
        v["county_peoples|2024-03|outpatient_visits|month"],
        Some(45678.0)
    );
    assert!(!v.keys().any(|k| k.starts_with("shimen|")), "{v:?}");
    assert_eq!(v.len(), 4, "{v:?}");

    let (code, s) = ingest_env(&ws, &[]);
    assert_eq!(code, Some(0));
    let s = s.unwrap();
    assert_eq!(
        (s["stored"].as_u64(), s["unchanged"].as_u64()),
        (Some(2), Some(3)),
        "{s:#}"
    );
    assert_all_five_stored(&ws);
    assert_eq!(report(&s, "c/县医院_2024年3月_更正.xlsx")["seq"], 3);
    assert_eq!(report(&s, "e/石门_2024年4月.xlsx")["seq"], 4);
    assert_eq!(report(&s, "d/大沙_2024年3月(1).xlsx")["seq"], 1);
    // The file the killed run stored is known as the one the correction replaces.
    assert_eq!(
        report(&s, "c/县医院_2024年3月_更正.xlsx")["corrects"],
        json!(["县医院_2024年3月.xlsx"])
    );
    assert_eq!(
        std::fs::read_dir(ws.store().join("tmp")).unwrap().count(),
        0
    );
}
