//! What `yilian ingest` tells people: unchanged files are counted, not repeated; corrections
//! are listed with what they change; the value count is the one `history` shows; plurals.

use crate::common::*;
use serde_json::{json, Value};

/// A 月报表 form of 示例县人民医院 for 2024-03: 本月 and 本年累计 columns, one item the
/// catalog does not know (one warning). `None` leaves a cell blank.
fn form(
    discharges: Option<i64>,
    discharges_ytd: i64,
    outpatient: i64,
    admissions: Option<i64>,
) -> Value {
    json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
        ["填报单位：示例县人民医院", null, "统计期间：2024年3月", null],
        ["指标名称", "单位", "本月", "本年累计"],
        ["出院人数", "人次", discharges, discharges_ytd],
        ["门急诊人次", "人次", outpatient, 120000],
        ["入院人数", "人次", admissions, 900],
        ["某某未知指标", "人次", 5, null]
    ]}]})
}

fn run(ws: &Workspace, args: &[&str]) -> (i32, String, String) {
    let out = ws.yilian().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn an_unchanged_file_is_counted_and_its_warnings_not_repeated() {
    let ws = Workspace::new();
    ws.put(
        "县医院_2024年3月.xlsx",
        &xlsx(&form(Some(1234), 3000, 45678, Some(300))),
    );
    let (code, out, err) = run(&ws, &["ingest", "inbox"]);
    assert_eq!(code, 0, "{err}");
    // The one warning (the unknown item), said once, in the singular.
    assert_eq!(err.matches("某某未知指标").count(), 1, "{err}");
    assert!(out.contains("1 file: 1 stored"), "{out}");
    assert!(out.contains("1 member,"), "{out}");
    assert!(out.contains(", 1 warning →"), "{out}");
    assert!(
        !out.contains("1 warnings") && !out.contains("1 files"),
        "{out}"
    );

    let (code, out, err) = run(&ws, &["ingest", "inbox"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("某某未知指标"), "repeated: {err}");
    assert!(out.contains("1 file: 0 stored, 1 unchanged"), "{out}");
    assert!(out.contains(", 0 warnings →"), "{out}");
    assert!(
        out.contains("1 file unchanged since the last ingest, not stored again; its warning is not repeated (-v lists it)"),
        "{out}"
    );
    // -v lists everything again.
    let (_, _, err) = run(&ws, &["ingest", "-v", "inbox"]);
    assert_eq!(err.matches("某某未知指标").count(), 1, "{err}");

    let (_, s) = ws.ingest(&["inbox"]);
    assert_eq!(
        (s["unchanged"].as_u64(), s["warnings"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["unchanged_warnings"], 1, "{s:#}");
    assert_eq!(s["corrections"], json!([]));
}

#[test]
fn two_unchanged_files_with_two_warnings_are_said_in_the_plural() {
    let ws = Workspace::new();
    ws.put(
        "a/县医院_2024年3月.xlsx",
        &xlsx(&form(Some(1234), 3000, 45678, Some(300))),
    );
    let mut other = form(Some(1234), 3000, 45678, Some(300));
    other["sheets"][0]["rows"][0][0] = json!("填报单位：石门乡卫生院");
    ws.put("b/石门_2024年3月.xlsx", &xlsx(&other));
    ws.ingest(&["inbox"]);
    let (code, out, err) = run(&ws, &["ingest", "inbox"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("某某未知指标"), "{err}");
    assert!(
        out.contains("2 files unchanged since the last ingest, not stored again; their 2 warnings are not repeated (-v lists them)"),
        "{out}"
    );
}

#[test]
fn a_correction_is_listed_with_each_changed_value_old_and_new() {
    let ws = Workspace::new();
    ws.put(
        "县医院_2024年3月.xlsx",
        &xlsx(&form(Some(1234), 3000, 45678, Some(300))),
    );
    ws.ingest(&["inbox"]);
    // Resent under the same name: 出院 1234 → 1250 (累计 3000 → 3016), 入院 left blank,
    // 门急诊 the same.
    ws.put(
        "县医院_2024年3月.xlsx",
        &xlsx(&form(Some(1250), 3016, 45678, None)),
    );
    let (code, out, err) = run(&ws, &["ingest", "inbox"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "correction: inbox/县医院_2024年3月.xlsx: 示例县人民医院 county_peoples 2024-03 (earlier: 县医院_2024年3月.xlsx): 3 of "
        ),
        "{out}"
    );
    assert!(
        out.contains("\n  出院人数 (discharges): 1234 → 1250\n"),
        "{out}"
    );
    assert!(
        out.contains("\n  出院人数 (discharges, ytd): 3000 → 3016\n"),
        "{out}"
    );
    assert!(
        out.contains("\n  入院人数 (admissions): 300 → (blank)\n"),
        "{out}"
    );
    assert!(
        !out.contains("门急诊人次 (outpatient_visits)"),
        "unchanged listed: {out}"
    );
}

#[test]
fn a_correction_in_json_has_every_change() {
    let ws = Workspace::new();
    ws.put(
        "a/县医院_2024年3月.xlsx",
        &xlsx(&form(Some(1234), 3000, 45678, Some(300))),
    );
    ws.ingest(&["inbox"]);
    ws.put(
        "b/县医院_2024年3月_更正.xlsx",
        &xlsx(&form(Some(1250), 3000, 45678, Some(300))),
    );
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    let c = &s["corrections"];
    assert_eq!(c.as_array().unwrap().len(), 1, "{s:#}");
    assert_eq!(c[0]["file"], "inbox/b/县医院_2024年3月_更正.xlsx");
    assert_eq!(c[0]["member"], "county_peoples");
    assert_eq!(c[0]["period"], "2024-03");
    assert_eq!(c[0]["corrects"], json!(["县医院_2024年3月.xlsx"]));
    assert_eq!(
        c[0]["changes"],
        json!([{"item": "出院人数", "key": "discharges", "basis": "month",
                "old": 1234.0, "old_stored": true, "new": 1250.0}])
    );
    // 出院 累计, 门急诊 and its 累计, 入院 and its 累计, the unknown item: the same.
    assert_eq!(c[0]["unchanged"], 6);
}

#[test]
fn a_long_correction_lists_ten_changes_then_how_many_more() {
    let ws = Workspace::new();
    let names = [
        "门急诊人次",
        "急诊人次",
        "入院人次",
        "出院人次",
        "实际开放床位数",
        "实际开放总床日数",
        "实际占用总床日数",
        "出院者占用总床日数",
        "手术人次",
        "门诊收入",
        "住院收入",
        "药品收入",
    ];
    let sheet = |base: i64| {
        let mut rows = vec![
            json!(["填报单位：示例县人民医院", "统计期间：2024年3月"]),
            json!(["指标名称", "本月"]),
        ];
        for (i, n) in names.iter().enumerate() {
            rows.push(json!([n, base + i as i64]));
        }
        json!({"sheets": [{"name": "月报表", "merges": [], "rows": rows}]})
    };
    ws.put("a/县医院.xlsx", &xlsx(&sheet(100)));
    ws.ingest(&["inbox"]);
    ws.put("b/县医院_更正.xlsx", &xlsx(&sheet(200)));
    let (code, out, err) = run(&ws, &["ingest", "inbox"]);
    assert_eq!(code, 0, "{err}");
    // All 12 items changed by 100 (those the catalog knows and the ones kept as unmapped).
    let listed = out
        .lines()
        .filter(|l| l.starts_with("  ") && l.contains(" → "))
        .count();
    assert_eq!(listed, 10, "{out}");
    assert!(out.contains(": 12 of 12 values changed\n"), "{out}");
    assert!(
        out.contains("\n  and 2 more (--format json lists them all)\n"),
        "{out}"
    );
    assert!(
        out.contains("\n  门急诊人次 (outpatient_visits): 100 → 200\n"),
        "{out}"
    );
}

#[test]
fn the_value_count_is_the_one_history_shows() {
    let ws = Workspace::new();
    // Monthly figures: 出院 1250, 门急诊 45678, 入院 blank, the unknown item (not a metric):
    // 2. Year-to-date: 3016, 120000, 900: 3.
    ws.put(
        "县医院_2024年3月.xlsx",
        &xlsx(&form(Some(1250), 3016, 45678, None)),
    );
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    assert_eq!(
        (s["values"].as_u64(), s["other_values"].as_u64()),
        (Some(2), Some(3)),
        "{s:#}"
    );
    assert_eq!(s["file_reports"][0]["values"], 2);
    let (code, out, err) = run(&ws, &["history", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows[0].rsplit(',').next(), Some("values"));
    assert_eq!(rows[1].rsplit(',').next(), Some("2"), "{out}");
    // And the people's summary says which values it counts.
    let ws = Workspace::new();
    ws.put(
        "县医院_2024年3月.xlsx",
        &xlsx(&form(Some(1250), 3016, 45678, None)),
    );
    let (_, out, _) = run(&ws, &["ingest", "inbox"]);
    assert!(
        out.contains(", 2 monthly values (and 3 year-to-date or prior-year),"),
        "{out}"
    );
}
