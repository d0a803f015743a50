//! Period and member detection: from cells, titles, sheet names and file names.

use crate::common::*;
use serde_json::{json, Value};

fn sheet(name: &str, rows: Value) -> Value {
    json!({"sheets": [{"name": name, "merges": [], "rows": rows}]})
}

/// Ingests one file and returns the (member, period) of its stored discharges.
fn where_stored(file: &str, bytes: &[u8], extra: &[&str]) -> (String, String) {
    let ws = Workspace::new();
    ws.put(file, bytes);
    let mut args = extra.to_vec();
    args.push("inbox");
    let (code, s) = ws.ingest(&args);
    assert_eq!(code, 0, "{file}: {s:#}");
    let eff = ws.effective();
    let keys: Vec<&String> = eff
        .keys()
        .filter(|k| k.contains("|discharges|month"))
        .collect();
    assert_eq!(keys.len(), 1, "{file}: {keys:?}");
    let mut parts = keys[0].split('|');
    (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
    )
}

fn body() -> Vec<Value> {
    vec![json!(["指标名称", "本月"]), json!(["出院人数", 321])]
}

#[test]
fn period_from_a_labelled_cell() {
    let mut rows = vec![json!(["报表月份：2024-03"]), json!(["填报单位：县医院"])];
    rows.extend(body());
    assert_eq!(
        where_stored("report.csv", &csv(&sheet("s", json!(rows)), "utf8"), &[]).1,
        "2024-03"
    );
}

#[test]
fn period_as_an_excel_date_serial_next_to_its_label() {
    // `2024年3月` formatted cells come back from calamine as serial 45352 (2024-03-01).
    let mut rows = vec![
        json!(["统计期间：", 45352]),
        json!(["填报单位：", "示例县人民医院"]),
    ];
    rows.extend(body());
    assert_eq!(
        where_stored("report.xlsx", &xlsx(&sheet("s", json!(rows))), &[]),
        ("county_peoples".into(), "2024-03".into())
    );
}

#[test]
fn period_from_the_sheet_name_then_the_file_name() {
    let mut rows = vec![json!(["填报单位：县医院"])];
    rows.extend(body());
    let rows = json!(rows);
    assert_eq!(
        where_stored("report.xlsx", &xlsx(&sheet("2024年3月", rows.clone())), &[]).1,
        "2024-03"
    );
    for (name, want) in [
        ("县医院2024年3月报表.csv", "2024-03"),
        ("县医院2024年03月报表.csv", "2024-03"),
        ("县医院_2024-11.csv", "2024-11"),
        ("县医院 2024.07.csv", "2024-07"),
        ("县医院202412.csv", "2024-12"),
    ] {
        assert_eq!(
            where_stored(name, &csv(&sheet("s", rows.clone()), "gbk"), &[]).1,
            want,
            "{name}"
        );
    }
}

#[test]
fn period_flag_overrides_what_the_sheet_says() {
    let mut rows = vec![json!(["统计期间：2024年3月"]), json!(["填报单位：县医院"])];
    rows.extend(body());
    assert_eq!(
        where_stored(
            "a.csv",
            &csv(&sheet("s", json!(rows)), "utf8"),
            &["--period", "2024-05"]
        )
        .1,
        "2024-05"
    );
}

#[test]
fn a_sheet_that_contradicts_its_file_name_is_a_warning() {
    let ws = Workspace::new();
    let mut rows = vec![json!(["统计期间：2024年4月"]), json!(["填报单位：县医院"])];
    rows.extend(body());
    ws.put(
        "县医院_2024年3月.csv",
        &csv(&sheet("s", json!(rows)), "utf8"),
    );
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    let w = s["file_reports"][0]["warnings"].to_string();
    assert!(w.contains("2024-04") && w.contains("2024-03"), "{w}");
}

#[test]
fn member_from_an_alias_the_title_or_the_file_name() {
    // Alias in 填报单位, with a stamp note in brackets.
    let mut rows = vec![json!([
        "填报单位：市一院（盖章）",
        null,
        "统计期间：2024年3月"
    ])];
    rows.extend(body());
    assert_eq!(
        where_stored("x.csv", &csv(&sheet("s", json!(rows)), "utf8"), &[]).0,
        "lead"
    );
    // Named in the title row only.
    let mut rows = vec![json!(["大沙镇中心卫生院2024年3月业务报表"])];
    rows.extend(body());
    assert_eq!(
        where_stored("x.csv", &csv(&sheet("s", json!(rows)), "utf8"), &[]),
        ("dasha".into(), "2024-03".into())
    );
    // Only the file name says who sent it.
    let rows = json!(body());
    assert_eq!(
        where_stored(
            "石门乡卫生院_2024年3月.csv",
            &csv(&sheet("s", rows), "utf8"),
            &[]
        )
        .0,
        "shimen"
    );
}

#[test]
fn add_unknown_members_stores_them_and_extends_the_consortium_file() {
    let ws = Workspace::new();
    let mut rows = vec![json!([
        "填报单位：青山镇卫生院",
        null,
        "统计期间：2025年1月"
    ])];
    rows.extend(body());
    ws.put("q.csv", &csv(&sheet("s", json!(rows)), "utf8"));
    let (code, _) = ws.ingest(&["inbox"]);
    assert_eq!(code, 3);
    let (code, s) = ws.ingest(&["--add-unknown-members", "inbox"]);
    assert_eq!(code, 0, "{s:#}");
    let toml = std::fs::read_to_string(ws.path().join("consortium.toml")).unwrap();
    assert!(
        toml.contains("name = \"青山镇卫生院\"") && toml.contains("joined = \"2025-01\""),
        "{toml}"
    );
    // The next run knows the member without the flag.
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!((code, s["unchanged"].as_u64()), (0, Some(1)));
}

#[test]
fn unmapped_items_are_kept_with_their_text_and_listed() {
    let ws = Workspace::new();
    let mut rows = vec![json!(["填报单位：县医院", null, "统计期间：2024年3月"])];
    rows.extend(body());
    rows.push(json!(["医技检查人次", 5000]));
    rows.push(json!(["一、门诊情况"])); // a section heading, no figures: not an item
    ws.put("x.csv", &csv(&sheet("s", json!(rows)), "utf8"));
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    let w = s["file_reports"][0]["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert!(w[0]["message"].as_str().unwrap().contains("医技检查人次"));
    assert_eq!(
        ws.effective()["county_peoples|2024-03|unmapped:医技检查人次|month"],
        Some(5000.0)
    );
}
