//! Spreadsheets as people fill them in (issue 12): member names typed with gaps, numbers with
//! scale words, numbered and indented labels, footers, and members that joined or left
//! during the year. The xlsx fixtures are written by scripts/make_label_fixtures.py; every
//! expected figure below is the one written there (or computed by hand from it).

use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// A workspace with the labels consortium and the named fixtures in its inbox.
fn workspace(files: &[&str]) -> Workspace {
    let ws = Workspace::new();
    let dir = fixtures().join("labels");
    std::fs::copy(
        dir.join("consortium.toml"),
        ws.path().join("consortium.toml"),
    )
    .unwrap();
    for f in files {
        ws.put(f, &std::fs::read(dir.join(f)).unwrap());
    }
    ws
}

/// The report of the file named `name` in an ingest summary.
fn report<'a>(summary: &'a Value, name: &str) -> &'a Value {
    summary["file_reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            Path::new(r["path"].as_str().unwrap())
                .file_name()
                .is_some_and(|f| f.to_string_lossy() == name)
        })
        .unwrap_or_else(|| panic!("no report for {name}: {summary:#}"))
}

/// (cell, message) of a report's errors or warnings.
fn problems(report: &Value, kind: &str) -> Vec<(String, String)> {
    report[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["cell"].as_str().unwrap_or("").to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A text column of the stored rows for one member, period and key.
fn stored_text(ws: &Workspace, member: &str, period: &str, key: &str, column: &str) -> String {
    let df = ws.all_rows();
    let s = |n: &str| df.column(n).unwrap().str().unwrap().clone();
    let (m, p, k, c) = (s("member"), s("period"), s("key"), s(column));
    (0..df.height())
        .find(|&i| m.get(i) == Some(member) && p.get(i) == Some(period) && k.get(i) == Some(key))
        .and_then(|i| c.get(i).map(str::to_string))
        .unwrap_or_else(|| panic!("no stored row {member} {period} {key}"))
}

fn assert_values(ws: &Workspace, member_period: &str, want: &[(&str, f64)]) {
    let got = ws.effective();
    for (code, v) in want {
        let key = format!("{member_period}|{code}|month");
        assert_eq!(got.get(&key), Some(&Some(*v)), "{key}; stored: {got:?}");
    }
    let base = got
        .iter()
        .filter(|(k, v)| {
            k.starts_with(member_period) && k.ends_with("|month") && v.is_some() && {
                let code = k.split('|').nth(2).unwrap();
                yilian::catalog::Catalog::builtin().metric(code).is_some()
            }
        })
        .count();
    let want_base = want
        .iter()
        .filter(|(c, _)| yilian::catalog::Catalog::builtin().metric(c).is_some())
        .count();
    assert_eq!(base, want_base, "base values of {member_period}: {got:?}");
}

#[test]
fn member_names_typed_with_gaps_find_their_member() {
    let ws = workspace(&["spaced_name.xlsx", "spaced_name_seal.xlsx"]);
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0, "{summary:#}");
    for f in ["spaced_name.xlsx", "spaced_name_seal.xlsx"] {
        let r = report(&summary, f);
        assert_eq!(r["status"], "stored", "{r:#}");
        assert_eq!(r["members"], serde_json::json!(["baisha"]), "{r:#}");
    }
    // `填报单位：白 沙 乡 卫 生 院`, 2025-03: 1500 visits, 40 discharges.
    assert_values(
        &ws,
        "baisha|2025-03",
        &[("outpatient_visits", 1500.0), ("discharges", 40.0)],
    );
    // The name in the next cell, ideographic and no-break spaces, `（盖章）`: 2025-04.
    assert_values(
        &ws,
        "baisha|2025-04",
        &[("outpatient_visits", 1600.0), ("discharges", 42.0)],
    );
    // The store keeps the name as it was written.
    assert_eq!(
        stored_text(&ws, "baisha", "2025-03", "outpatient_visits", "member_text"),
        "白 沙 乡 卫 生 院"
    );
    assert_eq!(
        stored_text(&ws, "baisha", "2025-04", "discharges", "member_text"),
        "白\u{3000}沙\u{3000}乡\u{a0}卫生院（盖章）"
    );
}

#[test]
fn an_unknown_name_typed_with_gaps_is_quoted_as_written() {
    let ws = workspace(&["spaced_unknown.xlsx", "spaced_name.xlsx"]);
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_ne!(code, 0);
    let r = report(&summary, "spaced_unknown.xlsx");
    assert_eq!(r["status"], "rejected");
    let errors = problems(r, "errors");
    assert!(
        errors
            .iter()
            .any(|(cell, m)| cell == "A2" && m.contains("unknown member `黑 水 乡 卫 生 院`")),
        "{errors:?}"
    );
    // The good file next to it is stored.
    assert_eq!(report(&summary, "spaced_name.xlsx")["status"], "stored");
}

#[test]
fn numbers_as_people_type_them_are_read_in_the_items_unit() {
    let ws = workspace(&["typed_numbers.xlsx"]);
    let (code, summary) = ws.ingest(&["inbox"]);
    let r = report(&summary, "typed_numbers.xlsx");
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["status"], "stored", "{r:#}");
    assert_values(
        &ws,
        "dasha|2025-05",
        &[
            ("outpatient_visits", 11900.0), // 1.19万
            ("discharges", 3500.0),         // 3.5千
            ("medical_revenue", 123000.0),  // 12.3亿元 = 123000 万元
            ("inpatient_surgeries", 86.0),  // 86台次
            ("open_beds", 120.0),           // １２０
            ("bed_occupancy", 74.0),        // 74.0% in a % row (the member's own rate)
        ],
    );
    // Each scaled figure is said, naming its cell; the unit written after a number is not.
    let warnings = problems(r, "warnings");
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for (cell, needle) in [
        ("C5", "read as 11900 人次"),
        ("C6", "read as 3500 人次"),
        ("C7", "read as 123000 万元"),
    ] {
        assert!(
            warnings
                .iter()
                .any(|(c, m)| c == cell && m.contains(needle)),
            "{cell}: {warnings:?}"
        );
    }
    // The store keeps what was typed.
    assert_eq!(
        stored_text(&ws, "dasha", "2025-05", "outpatient_visits", "raw"),
        "1.19万"
    );
    assert_eq!(
        stored_text(&ws, "dasha", "2025-05", "medical_revenue", "raw"),
        "12.3亿元"
    );
}

#[test]
fn figures_nobody_can_be_sure_of_are_errors_naming_the_cell() {
    let ws = workspace(&["unsure_numbers.xlsx", "typed_numbers.xlsx"]);
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_ne!(code, 0);
    let r = report(&summary, "unsure_numbers.xlsx");
    assert_eq!(r["status"], "rejected", "{r:#}");
    let errors = problems(r, "errors");
    for (cell, needles) in [
        ("C5", &["`约1200`", "approximate"][..]),
        ("C6", &["`1200左右`", "approximate"]),
        ("C7", &["`1.2k?`", "approximate"]),
        ("C8", &["-1234", "`(1,234)`", "below zero"]),
        ("C9", &["-56", "`△56`", "below zero"]),
        ("C10", &["`85%`", "percentage", "人次"]),
        ("C11", &["`12.3万元`", "张"]),
    ] {
        assert!(
            errors
                .iter()
                .any(|(c, m)| c == cell && needles.iter().all(|n| m.contains(n))),
            "{cell} {needles:?}: {errors:?}"
        );
    }
    assert_eq!(errors.len(), 7, "{errors:?}");
    // Nothing of the rejected file is stored; the good file is.
    let got = ws.effective();
    assert!(!got.keys().any(|k| k.contains("|2025-06|")), "{got:?}");
    assert_eq!(
        got.get("dasha|2025-05|outpatient_visits|month"),
        Some(&Some(11900.0))
    );
}

#[test]
fn numbered_indented_and_merged_labels_and_footers() {
    let ws = workspace(&["labels_footer.xlsx"]);
    let (code, summary) = ws.ingest(&["inbox"]);
    let r = report(&summary, "labels_footer.xlsx");
    assert_eq!(code, 0, "{r:#}");
    // Footers (填报人 赵六, 打印时间 with a date in the figure column) are neither data nor
    // unmapped items, and the print date (2025-01) is not the period (2024-12).
    assert_eq!(problems(r, "warnings"), vec![], "{r:#}");
    assert_eq!(r["periods"], serde_json::json!(["2024-12"]));
    assert_eq!(r["unmapped"].as_u64().unwrap_or(0), 0, "{r:#}");
    assert_values(
        &ws,
        "longquan|2024-12",
        &[
            ("outpatient_visits", 2100.0), // `  1. 门急诊人次`
            ("emergency_visits", 130.0),   // `　　其中：急诊人次`
            ("discharges", 75.0),          // `（1）出院人数`
            ("admissions", 77.0),          // `1.1 入院人次`
            ("inpatient_surgeries", 31.0), // `①住院手术例数`
            ("surgeries_grade3", 9.0),     // `　　▲其中：三级手术`
            ("open_beds", 60.0),           // merged over A12:B12
        ],
    );
    let got = ws.effective();
    assert!(
        !got.keys().any(|k| k.contains("unmapped:")),
        "footers stored as items: {got:?}"
    );
}

#[test]
fn sub_items_beside_a_merged_group_label() {
    let ws = workspace(&["merged_groups.xlsx"]);
    let (code, summary) = ws.ingest(&["inbox"]);
    let r = report(&summary, "merged_groups.xlsx");
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(problems(r, "warnings"), vec![], "{r:#}");
    assert_values(
        &ws,
        "dasha|2025-07",
        &[
            ("outpatient_visits", 2000.0),
            // A bare 手术例数 may include outpatient operations: the member's own item.
            ("surgeries", 500.0),        // 手术例数 | 合计
            ("surgeries_grade1", 100.0), // 手术例数 | 一级
            ("surgeries_grade3", 150.0),
            ("surgeries_grade4", 50.0),
            ("remote_imaging", 12.0), // 远程医疗 | 影像
            ("remote_ecg", 8.0),      // 远程医疗 | 心电
        ],
    );
    // The item as written names both cells.
    assert_eq!(
        stored_text(&ws, "dasha", "2025-07", "surgeries_grade3", "item"),
        "手术例数 三级"
    );
}

#[test]
fn rows_written_in_another_unit_are_converted_and_said() {
    let ws = workspace(&["unit_column.xlsx"]);
    let (code, summary) = ws.ingest(&["inbox"]);
    let r = report(&summary, "unit_column.xlsx");
    assert_eq!(code, 0, "{r:#}");
    assert_values(
        &ws,
        "longquan|2025-02",
        &[
            ("medical_revenue", 123.4567),  // 1234567 元
            ("outpatient_visits", 11900.0), // 1.19 万人次
            ("discharges", 40.0),           // 40 人
            ("admissions", 77.0),           // 0.0077 in `入院人次（万人次）`
            ("emergency_visits", 300.0),    // 300 人次
        ],
    );
    let warnings = problems(r, "warnings");
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for (cell, needle) in [
        ("B4", "divided by 10000"),
        ("B5", "multiplied by 10000"),
        ("A7", "multiplied by 10000"),
    ] {
        assert!(
            warnings
                .iter()
                .any(|(c, m)| c == cell && m.contains(needle)),
            "{cell}: {warnings:?}"
        );
    }
    assert_eq!(
        stored_text(&ws, "longquan", "2025-02", "medical_revenue", "raw"),
        "1234567"
    );
}

#[test]
fn a_summary_column_headed_in_another_unit_is_converted_and_said() {
    let ws = workspace(&["wide_yuan.xlsx"]);
    let (code, summary) = ws.ingest(&["inbox"]);
    let r = report(&summary, "wide_yuan.xlsx");
    assert_eq!(code, 0, "{r:#}");
    // 2345678 元 = 234.5678 万元, 1000000 元 = 100 万元; the 合计 row agrees: no warning for it.
    assert_values(
        &ws,
        "dasha|2025-08",
        &[("outpatient_visits", 2100.0), ("medical_revenue", 234.5678)],
    );
    assert_values(
        &ws,
        "longquan|2025-08",
        &[("outpatient_visits", 1500.0), ("medical_revenue", 100.0)],
    );
    let warnings = problems(r, "warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "D3");
    assert!(warnings[0].1.contains("divided by 10000"), "{warnings:?}");
    // The 合计 row is kept in 万元 too.
    assert_eq!(
        ws.effective().get("|2025-08|total:medical_revenue|month"),
        Some(&Some(334.5678))
    );
}

#[test]
fn a_print_date_in_the_footer_is_never_the_period() {
    let name = "石门乡卫生院_2024年11月.xlsx";
    let ws = workspace(&[name]);
    let (code, summary) = ws.ingest(&["inbox"]);
    let r = report(&summary, name);
    assert_eq!(code, 0, "{r:#}");
    // No month in the sheet but in the file name: 2024-11, without a warning about 2025-01.
    assert_eq!(r["periods"], serde_json::json!(["2024-11"]), "{r:#}");
    assert_eq!(problems(r, "warnings"), vec![], "{r:#}");
    assert_values(
        &ws,
        "shimen|2024-11",
        &[("outpatient_visits", 880.0), ("discharges", 12.0)],
    );
}

/// Runs `indicators --format json ARGS` and returns the record of an entity and indicator.
fn indicator(ws: &Workspace, args: &[&str], entity: &str, code: &str) -> Value {
    let out = ws
        .yilian()
        .arg("indicators")
        .args(args)
        .args(["--indicator", code, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    all.into_iter()
        .find(|r| r["entity"] == entity && r["indicator"] == code)
        .unwrap_or_else(|| panic!("no record {entity} {code}"))
}

fn close(v: &Value, field: &str, want: f64) -> bool {
    v[field].as_f64().is_some_and(|x| (x - want).abs() < 1e-6)
}

#[test]
fn members_that_joined_or_left_during_the_year() {
    // qingshan joined 2025-07 (its 2024 July–December sent on joining); hongqi left after
    // 2025-06 (a September form sent after leaving); dasha a member throughout.
    let mut csv = String::from("单位名称,月份,指标,数值\n");
    for m in 1..=12 {
        csv.push_str(&format!("大沙镇中心卫生院,2024-{m:02},门急诊人次,900\n"));
        csv.push_str(&format!("大沙镇中心卫生院,2025-{m:02},门急诊人次,1000\n"));
        csv.push_str(&format!("红旗乡卫生院,2024-{m:02},门急诊人次,180\n"));
    }
    for m in 1..=6 {
        csv.push_str(&format!("红旗乡卫生院,2025-{m:02},门急诊人次,200\n"));
    }
    csv.push_str("红旗乡卫生院,2025-09,门急诊人次,999\n");
    for (i, m) in (7..=12).enumerate() {
        csv.push_str(&format!("青山镇卫生院,2024-{m:02},门急诊人次,90\n"));
        csv.push_str(&format!(
            "青山镇卫生院,2025-{m:02},门急诊人次,{}\n",
            100 + 10 * i
        ));
    }
    let ws = workspace(&[]);
    ws.put("data.csv", csv.as_bytes());
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0, "{summary:#}");
    let ytd = ["--period", "2025-12", "--window", "ytd", "--scope", "all"];
    let v = "outpatient_visits";

    // qingshan: July–December 2025 = 100+110+120+130+140+150 = 750, against its own
    // July–December 2024 = 6 × 90 = 540: +38.89%.
    let q = indicator(&ws, &ytd, "qingshan", v);
    assert!(close(&q, "value", 750.0), "{q}");
    assert_eq!(
        (q["members"].as_u64(), q["covered"].as_u64()),
        (Some(1), Some(1)),
        "{q}"
    );
    assert!(close(&q, "prior_value", 540.0), "{q}");
    assert!(close(&q, "yoy_pct", (750.0 - 540.0) / 540.0 * 100.0), "{q}");

    // hongqi: January–June 2025 = 6 × 200 = 1200 (the September form after leaving is not a
    // member's figure), against January–June 2024 = 6 × 180 = 1080.
    let h = indicator(&ws, &ytd, "hongqi", v);
    assert!(close(&h, "value", 1200.0), "{h}");
    assert!(close(&h, "prior_value", 1080.0), "{h}");
    assert_eq!(h["covered"].as_u64(), Some(1), "{h}");

    // The tier adds the same member months: 12 × 1000 + 1200 + 750 = 13950; a year earlier
    // dasha 12 × 900 and hongqi 12 × 180 (qingshan was no member): 10800 + 2160 = 12960.
    let t = indicator(&ws, &ytd, "primary", v);
    assert!(close(&t, "value", 13950.0), "{t}");
    assert!(close(&t, "prior_value", 12960.0), "{t}");
    assert_eq!(t["covered"].as_u64(), Some(3), "{t}");

    // Like-for-like keeps members with the same member months in both years: dasha only.
    let lfl: Vec<&str> = ytd.iter().copied().chain(["--like-for-like"]).collect();
    let t = indicator(&ws, &lfl, "primary", v);
    assert!(
        close(&t, "value", 12000.0) && close(&t, "prior_value", 10800.0),
        "{t}"
    );
    assert_eq!(t["covered"].as_u64(), Some(1), "{t}");

    // Months outside membership are empty, for the member as for its tier.
    let m = ["--period", "2025-06", "--scope", "all"];
    assert_eq!(indicator(&ws, &m, "qingshan", v)["value"], Value::Null);
    let m = ["--period", "2025-09", "--scope", "all"];
    assert_eq!(indicator(&ws, &m, "hongqi", v)["value"], Value::Null);
    // 2025-09 primary: dasha 1000 + qingshan 120.
    assert!(close(&indicator(&ws, &m, "primary", v), "value", 1120.0));
}
