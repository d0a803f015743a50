//! Layouts 5-7 of domain.md (docs/layouts.md): months as columns, a form with a two-row
//! merged header, a workbook with a sheet per member. The .xlsx files are written by openpyxl
//! (scripts/make_layout_fixtures_2.py); the values each must store are written by hand in the
//! JSON beside it.

use crate::common::*;
use serde_json::Value;

/// Ingests one fixture file and checks layout, warnings and stored values against its JSON.
fn check_fixture(name: &str) -> (Workspace, Value) {
    let spec = layout(name);
    let file = spec["file"].as_str().unwrap();
    let bytes = std::fs::read(fixtures().join("layouts").join(file)).unwrap();
    let ws = Workspace::new();
    ws.put(file, &bytes);
    let (code, summary) = ws.ingest(&["inbox"]);
    let report = &summary["file_reports"][0];
    assert_eq!(code, 0, "{file}: {report:#}");
    assert_eq!(report["status"], "stored", "{file}: {report:#}");
    if let Some(want) = spec["layouts"].as_array() {
        let got: Vec<&Value> = report["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| &s["layout"])
            .collect();
        assert_eq!(got, want.iter().collect::<Vec<_>>(), "{file}: {report:#}");
    }
    if let Some(want) = spec["sheets"].as_object() {
        for s in report["sheets"].as_array().unwrap() {
            let name = s["name"].as_str().unwrap();
            assert_eq!(&s["layout"], &want[name], "{file}: sheet {name}");
        }
        assert_eq!(report["sheets"].as_array().unwrap().len(), want.len());
    }
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
    let periods: Vec<&str> = report["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let want: Vec<&str> = spec["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(periods, want, "{file}: periods stored");
    assert_expected(&ws, &spec, file);
    let got = ws.effective();
    if let Some(ytd) = spec["expected_ytd"].as_object() {
        for (mp, items) in ytd {
            for (code, want) in items.as_object().unwrap() {
                let key = format!("{mp}|{code}|ytd");
                assert_eq!(
                    got.get(&key).copied().flatten(),
                    Some(want.as_f64().unwrap()),
                    "{file}: {key}"
                );
            }
        }
    }
    if let Some(cells) = spec["cells"].as_object() {
        let rows = ws.all_rows();
        let col = |n: &str| rows.column(n).unwrap().str().unwrap().clone();
        let (m, p, k, b, c) = (
            col("member"),
            col("period"),
            col("key"),
            col("basis"),
            col("cell"),
        );
        for (key, want) in cells {
            let parts: Vec<&str> = key.split('|').collect();
            let i = (0..rows.height())
                .find(|&i| {
                    m.get(i) == Some(parts[0])
                        && p.get(i) == Some(parts[1])
                        && k.get(i) == Some(parts[2])
                        && b.get(i) == Some("month")
                })
                .unwrap_or_else(|| panic!("{file}: {key} not stored"));
            assert_eq!(c.get(i), want.as_str(), "{file}: cell of {key}");
        }
    }
    (ws, spec)
}

#[test]
fn months_as_columns_full_year_checks_quarters_by_the_items_rule() {
    let (ws, _) = check_fixture("annual_full");
    // The quarter and year columns are totals, never months: nothing beyond the 12 months,
    // and the member's own annual rate (80.3) is not stored anywhere.
    let got = ws.effective();
    assert!(!got.values().any(|v| *v == Some(80.3)), "{got:#?}");
    assert!(!got.values().any(|v| *v == Some(3030.0)));
    assert!(!got.values().any(|v| *v == Some(13200.0)));
}

#[test]
fn months_as_columns_year_in_progress_stores_only_the_filled_months() {
    let (ws, _) = check_fixture("annual_partial");
    let got = ws.effective();
    // March to December are blank: not reported yet, so nothing at all is stored for them.
    for m in 3..=12 {
        let prefix = format!("county_peoples|2025-{m:02}|");
        assert!(
            !got.keys().any(|k| k.starts_with(&prefix)),
            "{prefix} stored: {got:#?}"
        );
    }
    assert!(!got.values().any(|v| *v == Some(9300.0)));
}

#[test]
fn two_row_header_keeps_ytd_and_prior_and_never_stores_the_changes() {
    let (ws, spec) = check_fixture("two_row");
    // Every stored value comes from a figure column (数值 or 去年同期), never 同比% or 环比%.
    let rows = ws.all_rows();
    let cells = rows.column("cell").unwrap().str().unwrap().clone();
    let allowed: Vec<&str> = spec["value_columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    for c in cells.into_iter().flatten() {
        let letters: String = c
            .chars()
            .take_while(|ch| ch.is_ascii_alphabetic())
            .collect();
        assert!(allowed.contains(&letters.as_str()), "stored from {c}");
    }
}

#[test]
fn sheet_per_member_workbook_skips_the_instructions_with_a_note() {
    let (_, spec) = check_fixture("sheet_per_member");
    let file = spec["file"].as_str().unwrap();
    let bytes = std::fs::read(fixtures().join("layouts").join(file)).unwrap();
    let ws = Workspace::new();
    ws.put(file, &bytes);
    let (_, summary) = ws.ingest(&["inbox"]);
    let sheets = summary["file_reports"][0]["sheets"].as_array().unwrap();
    let note = sheets[0]["note"].as_str().unwrap();
    assert!(
        note.contains("填报说明") && note.contains("skipped"),
        "{note}"
    );
    assert!(sheets[1].get("note").is_none());
    assert!(summary["file_reports"][0]["errors"]
        .as_array()
        .unwrap()
        .is_empty());
}

/// The same two-row form as CSV: no merge information, each group header stands over its
/// first column only.
#[test]
fn two_row_header_without_merges_csv() {
    let text = "指标名称,单位,本月,,,累计,,环比%\r\n\
                ,,数值,去年同期,同比%,数值,同比%,\r\n\
                门急诊人次,人次,52000,50000,4.0,150000,3.45,2.1\r\n\
                出院人次,人次,2100,2000,9.9,6000,4.35,-1.2\r\n";
    let ws = Workspace::new();
    ws.put("示例市第一人民医院_2025年3月.csv", text.as_bytes());
    let (code, summary) = ws.ingest(&["inbox"]);
    let report = &summary["file_reports"][0];
    assert_eq!(code, 0, "{report:#}");
    let got = ws.effective();
    let v = |k: &str| got.get(k).copied().flatten();
    assert_eq!(v("lead|2025-03|outpatient_visits|month"), Some(52000.0));
    assert_eq!(
        v("lead|2025-03|outpatient_visits|prior_year"),
        Some(50000.0)
    );
    assert_eq!(v("lead|2025-03|outpatient_visits|ytd"), Some(150000.0));
    assert_eq!(v("lead|2025-03|discharges|month"), Some(2100.0));
    assert_eq!(v("lead|2025-03|discharges|ytd"), Some(6000.0));
    // 2100 against 2000 is +5%, not the 9.9 written: one warning naming E4.
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0]["cell"], "E4");
}

/// The year written in each month header (`2024年11月 … 2025年2月`): a rolling window
/// across the new year, in CSV.
#[test]
fn months_as_columns_with_years_in_the_headers() {
    let text = "填报单位：大沙镇中心卫生院\r\n\
                指标,单位,2024年11月,2024年12月,2025年1月,2025年2月\r\n\
                门急诊人次,人次,1180,1220,1300,1250\r\n\
                出院人次,人次,60,62,,58\r\n";
    let ws = Workspace::new();
    ws.put("大沙卫生院近四个月.csv", text.as_bytes());
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0, "{summary:#}");
    let got = ws.effective();
    let v = |k: &str| got.get(k).copied();
    assert_eq!(
        v("dasha|2024-11|outpatient_visits|month"),
        Some(Some(1180.0))
    );
    assert_eq!(
        v("dasha|2024-12|outpatient_visits|month"),
        Some(Some(1220.0))
    );
    assert_eq!(
        v("dasha|2025-01|outpatient_visits|month"),
        Some(Some(1300.0))
    );
    assert_eq!(
        v("dasha|2025-02|outpatient_visits|month"),
        Some(Some(1250.0))
    );
    // A blank month inside the filled range is missing, not zero.
    assert_eq!(v("dasha|2025-01|discharges|month"), Some(None));
    assert_eq!(v("dasha|2025-02|discharges|month"), Some(Some(58.0)));
}

/// No year anywhere: a clear error naming what to write, nothing stored.
#[test]
fn months_as_columns_without_a_year_is_rejected_with_a_hint() {
    let text = "填报单位：大沙镇中心卫生院\r\n\
                指标,单位,1月,2月,3月,合计\r\n\
                门急诊人次,人次,1000,1100,1200,3300\r\n";
    let ws = Workspace::new();
    ws.put("大沙卫生院年报.csv", text.as_bytes());
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_ne!(code, 0);
    let report = &summary["file_reports"][0];
    assert_eq!(report["status"], "rejected");
    let errors = serde_json::to_string(&report["errors"]).unwrap();
    assert!(errors.contains("no year found"), "{errors}");
}

/// Ingests county_peoples' 2024 history (a tidy CSV), then the sheet-per-member workbook of
/// 2025-03; returns the workbook's warnings.
fn changes_against(history: &str) -> Vec<Value> {
    let ws = Workspace::new();
    ws.put("a_history.csv", history.as_bytes());
    let (code, _) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    let spec = layout("sheet_per_member");
    let file = spec["file"].as_str().unwrap();
    let bytes = std::fs::read(fixtures().join("layouts").join(file)).unwrap();
    let p = ws.put(file, &bytes);
    let (code, summary) = ws.ingest(&[p.to_str().unwrap()]);
    assert_eq!(code, 0, "{summary:#}");
    summary["file_reports"][0]["warnings"]
        .as_array()
        .unwrap()
        .clone()
}

/// A 同比% without last year's figure on the form is compared with the prior year in the
/// store.
#[test]
fn stated_changes_are_checked_against_the_prior_year_in_the_store() {
    // 门急诊人次: 2024-03 26365, so 28000 is +6.20% (the workbook says 6.2); Jan–Mar 2024 add
    // up to 77069, so 81000 year-to-date is +5.10% (it says 5.1). 出院人次: 2024-03 1600, so
    // 1500 is −6.25%, not the −2.0 written; no Jan/Feb 2024 discharges, so its 累计同比 is
    // not checked.
    let history = "单位名称,月份,指标,数值\r\n\
                   县医院,2024-01,门急诊人次,25000\r\n\
                   县医院,2024-02,门急诊人次,25704\r\n\
                   县医院,2024-03,门急诊人次,26365\r\n\
                   县医院,2024-03,出院人次,1600\r\n";
    let warnings = changes_against(history);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0]["sheet"], "县医院");
    assert_eq!(warnings[0]["cell"], "D5");
    let text = warnings[0]["message"].as_str().unwrap();
    assert!(text.contains("-6.25%") && text.contains("1600"), "{text}");
    // February 2024 at 20000: Jan–Mar add up to 71365 and 81000 is +13.50%, not 5.1.
    let warnings = changes_against(&history.replace("25704", "20000"));
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    let ytd = warnings.iter().find(|w| w["cell"] == "F4").unwrap();
    assert!(ytd["message"].as_str().unwrap().contains("13.50%"), "{ytd}");
}

/// Members down the side and months across (one item, many members) is not one member's
/// annual sheet: never read as item rows of a member.
#[test]
fn members_down_the_side_are_not_months_as_columns() {
    let text = "2024年门急诊人次\r\n\
                单位名称,1月,2月,3月\r\n\
                大沙镇中心卫生院,1000,1100,1200\r\n\
                石门乡卫生院,800,820,900\r\n";
    let ws = Workspace::new();
    ws.put("大沙卫生院_2024.csv", text.as_bytes());
    let (_, summary) = ws.ingest(&["inbox"]);
    let report = &summary["file_reports"][0];
    assert_ne!(report["sheets"][0]["layout"], "months", "{report:#}");
    assert_ne!(report["status"], "stored", "{report:#}");
}

/// The transposed two-row header: `数值 | 同比%` as groups over `本月 | 累计`.
#[test]
fn transposed_two_row_header_reads_the_same() {
    let text = "指标名称,单位,数值,,同比%,\r\n\
                ,,本月,累计,本月,累计\r\n\
                门急诊人次,人次,52000,150000,4.0,3.45\r\n\
                出院人次,人次,2100,6000,5.0,4.35\r\n";
    let ws = Workspace::new();
    ws.put("示例市第一人民医院_2025年3月.csv", text.as_bytes());
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0, "{summary:#}");
    let got = ws.effective();
    let v = |k: &str| got.get(k).copied().flatten();
    assert_eq!(v("lead|2025-03|outpatient_visits|month"), Some(52000.0));
    assert_eq!(v("lead|2025-03|outpatient_visits|ytd"), Some(150000.0));
    assert_eq!(v("lead|2025-03|discharges|month"), Some(2100.0));
    assert_eq!(v("lead|2025-03|discharges|ytd"), Some(6000.0));
    // The changes are never figures.
    assert!(!got
        .values()
        .any(|x| matches!(x, Some(y) if *y == 4.0 || *y == 3.45)));
    assert_eq!(got.len(), 4, "{got:#?}");
}

/// Month headers that Excel turned into dates (`2025/1` shown as `2025年1月`).
#[test]
fn months_as_columns_with_date_cells_for_headers() {
    check_fixture("annual_dates");
}

/// A form's own 环比% column is never stored and is checked against the previous month in the
/// store: February 出院人数 100 and 入院人数 50 are stored; March says 120 with 环比 25.0 (by
/// hand: (120 − 100) / 100 = 20.00%, so a warning at D4) and 55 with 环比 10.0 (correct).
#[test]
fn a_forms_month_on_month_is_checked_against_the_store() {
    fn form(period: &str, rows: &[(&str, f64, Option<f64>)]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "填报单位：大沙镇中心卫生院").unwrap();
        ws.write_string(1, 0, format!("统计期间：{period}"))
            .unwrap();
        for (c, h) in ["指标名称", "单位", "本月", "环比%"].iter().enumerate() {
            ws.write_string(2, c as u16, *h).unwrap();
        }
        for (i, (item, v, mom)) in rows.iter().enumerate() {
            let r = 3 + i as u32;
            ws.write_string(r, 0, *item).unwrap();
            ws.write_string(r, 1, "人次").unwrap();
            ws.write_number(r, 2, *v).unwrap();
            if let Some(m) = mom {
                ws.write_number(r, 3, *m).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }
    let ws = Workspace::new();
    ws.put(
        "feb.xlsx",
        &form(
            "2025年2月",
            &[("出院人数", 100.0, None), ("入院人数", 50.0, None)],
        ),
    );
    let (code, _) = ws.ingest(&["inbox/feb.xlsx"]);
    assert_eq!(code, 0);
    ws.put(
        "mar.xlsx",
        &form(
            "2025年3月",
            &[
                ("出院人数", 120.0, Some(25.0)),
                ("入院人数", 55.0, Some(10.0)),
            ],
        ),
    );
    let (code, summary) = ws.ingest(&["inbox/mar.xlsx"]);
    assert_eq!(code, 0, "{summary:#}");
    let report = &summary["file_reports"][0];
    let warnings: Vec<String> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.to_string())
        .collect();
    let mom: Vec<&String> = warnings.iter().filter(|w| w.contains("环比")).collect();
    assert_eq!(mom.len(), 1, "{warnings:#?}");
    assert!(
        mom[0].contains("D4") && mom[0].contains("says 25") && mom[0].contains("20.00%"),
        "{}",
        mom[0]
    );
    // 环比 is never a stored figure.
    let stored = ws.effective();
    assert_eq!(
        stored.get("dasha|2025-03|discharges|month"),
        Some(&Some(120.0))
    );
    assert!(stored.keys().all(|k| !k.contains("环比")), "{stored:?}");
}
