//! The 退回修改清单 and the report as a Chinese reader gets them, on the sample consortium,
//! whose deliberate faults its README lists with their values: a Chinese reason per finding
//! with the values, numbers as numeric cells, an item flagged every month as one row with its
//! count, no configuration advice; the English list on `--lang en`; the report naming the
//! clinics that state no 填报日期 and saying why a member's 1-12月 figure is undefined.
#![cfg(feature = "sample")]

use crate::common::*;
use calamine::{open_workbook_auto, Data, Range, Reader};
use std::sync::OnceLock;

/// The sample ingested once for every test.
fn sample() -> &'static Workspace {
    static W: OnceLock<Workspace> = OnceLock::new();
    W.get_or_init(|| {
        let ws = Workspace::new();
        let out = ws
            .yilian()
            .arg("sample")
            .arg(ws.path().join("sample"))
            .output()
            .unwrap();
        assert!(out.status.success());
        let out = ws
            .yilian()
            .args(["ingest", "--config", "sample/consortium.toml", "sample"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        ws
    })
}

fn list(lang: &str) -> calamine::Sheets<std::io::BufReader<std::fs::File>> {
    let ws = sample();
    let file = format!("list-{lang}.xlsx");
    let out = ws
        .yilian()
        .args(["check", "--config", "sample/consortium.toml"])
        .args(["--format", "xlsx", "--output", &file, "--lang", lang])
        .output()
        .unwrap();
    // The sample has errors: exit 5.
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    open_workbook_auto(ws.path().join(&file)).unwrap()
}

/// Data rows of a member's sheet (the header is on row 4), as (cells, row index).
fn rows(r: &Range<Data>) -> Vec<Vec<Data>> {
    r.rows().skip(4).map(|row| row.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn col(r: &Range<Data>, name: &str) -> usize {
    r.rows()
        .nth(3)
        .unwrap()
        .iter()
        .position(|c| text(c) == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The one row whose reason contains `needle`.
fn row_with(r: &Range<Data>, needle: &str) -> Vec<Data> {
    let reason = col(r, "问题说明");
    let hits: Vec<Vec<Data>> = rows(r)
        .into_iter()
        .filter(|row| text(&row[reason]).contains(needle))
        .collect();
    assert_eq!(hits.len(), 1, "rows with {needle}: {:?}", rows(r));
    hits.into_iter().next().unwrap()
}

#[test]
fn reasons_are_chinese_sentences_with_the_values() {
    let mut wb = list("zh");
    // README: longquan 2025-03 三级手术 25 (+ 四级 not reported) > 手术例数合计 19.
    let r = wb.worksheet_range("龙泉镇卫生院").unwrap();
    let row = row_with(&r, "三、四级手术台次（25）大于手术总台次（19）");
    assert!(text(&row[col(&r, "问题说明")]).contains("四级手术例数未填报"));
    assert_eq!(text(&row[col(&r, "严重程度")]), "错误");
    assert_eq!(text(&row[col(&r, "月份")]), "2025年3月");
    // README: dasha 2024-11 实际占用总床日数 2507 > 实际开放总床日数 2400.
    let r = wb.worksheet_range("大沙镇中心卫生院").unwrap();
    row_with(&r, "实际占用总床日数（2507）大于实际开放总床日数（2400）");
    // README: county_tcm 2025-10 门急诊人次 387830, an extra digit: the value is a number.
    let r = wb.worksheet_range("示例县中医医院").unwrap();
    let row = row_with(&r, "本月填报 387830");
    assert_eq!(row[col(&r, "数值")], Data::Float(387830.0));
    // README: shimen sent nothing for 2025-08 (due 2025-09-10).
    let r = wb.worksheet_range("石门乡卫生院").unwrap();
    row_with(&r, "未收到2025年8月报表（报送截止日期 2025-09-10）");
    // README: county_peoples late in 2025-04 (填报日期 2025-05-20), a correction of 2025-06
    // (出院人数 2376 → 2736) and 四级手术 left blank in 2024-07.
    let r = wb.worksheet_range("示例县人民医院").unwrap();
    row_with(&r, "填报日期 2025-05-20，报送截止日期 2025-05-10");
    let row = row_with(&r, "2376 → 2736");
    assert_eq!(row[col(&r, "数值")], Data::Float(2736.0));
    let row = row_with(&r, "本项未填");
    assert_eq!(text(&row[col(&r, "月份")]), "2024年7月");
    assert_eq!(text(&row[col(&r, "数值")]), "空白");
    // README: the township summary's 合计 row of 2024-09 says 11935, its rows add up to 19135.
    let r = wb.worksheet_range("汇总表合计行").unwrap();
    row_with(&r, "合计行填报 11935，但各行（C5..C7）相加为 19135");
}

#[test]
fn member_sheets_carry_no_english_and_no_configuration_advice() {
    let mut wb = list("zh");
    let english = [
        "missing",
        "reported",
        "exceed",
        "please",
        "rule",
        "submission",
        "corrected",
        "median",
        "usual",
        "consortium.toml",
        "[aliases]",
        "blank",
    ];
    let names = wb.sheet_names();
    assert_eq!(names[0], "汇总");
    for name in &names[1..] {
        let r = wb.worksheet_range(name).unwrap();
        let reason = col(&r, "问题说明");
        for row in rows(&r) {
            let t = text(&row[reason]).to_lowercase();
            for w in english {
                assert!(!t.contains(w), "{name}: `{w}` in {t}");
            }
            // No rule codes either: the member reads 问题说明, not our rule names.
            assert!(!r.rows().nth(3).unwrap().iter().any(|c| text(c) == "规则"));
        }
    }
}

#[test]
fn an_item_flagged_every_month_is_one_row_with_its_count() {
    let mut wb = list("zh");
    // README: the lead hospital's 医技检查人次 (no metric), every month 2024-01..2025-12.
    let r = wb.worksheet_range("示例市第一人民医院").unwrap();
    assert_eq!(rows(&r).len(), 1, "{:?}", rows(&r));
    let row = row_with(&r, "医技检查人次");
    assert_eq!(row[col(&r, "处数")], Data::Float(24.0));
    assert_eq!(text(&row[col(&r, "月份")]), "2024年1月至2025年12月");
    assert_eq!(text(&row[col(&r, "单元格")]), "C9");
    // Values that differ by month are each kept, with their month (README: 100215 in 2024-01).
    let values = text(&row[col(&r, "数值")]);
    assert!(
        values.starts_with("2024年1月 100215；2024年2月 "),
        "{values}"
    );
    assert_eq!(values.matches('；').count(), 23, "{values}");
    assert_eq!(row[col(&r, "序号")], Data::Float(1.0));
    // The 汇总 sheet counts findings as numbers: 24 for the lead hospital's info.
    let s = wb.worksheet_range("汇总").unwrap();
    let lead = s
        .rows()
        .find(|row| text(&row[1]) == "示例市第一人民医院")
        .unwrap();
    assert_eq!(lead[2], Data::Float(0.0));
    assert_eq!(lead[4], Data::Float(24.0));
}

#[test]
fn lang_en_keeps_the_english_messages() {
    let mut wb = list("en");
    assert_eq!(wb.sheet_names()[0], "Summary");
    let r = wb.worksheet_range("大沙镇中心卫生院").unwrap();
    let all: Vec<String> = r
        .rows()
        .flat_map(|row| row.iter().map(text).collect::<Vec<_>>())
        .collect();
    assert!(
        all.iter()
            .any(|t| t.contains("occupied bed-days 2507 exceed open_bed_days 2400")),
        "{all:?}"
    );
    assert!(all.iter().any(|t| t == "occupied_le_open"));
}

/// The report of 2025-12 (one per test binary: a debug build takes seconds).
fn report_html() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        let ws = sample();
        let out = ws
            .yilian()
            .args(["report", "--config", "sample/consortium.toml"])
            .args(["--period", "2025-12", "--out", "report-out"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(ws.path().join("report-out/index.html")).unwrap()
    })
}

#[test]
fn report_names_the_members_that_state_no_date() {
    let h = report_html();
    // Every member sent 2025-12; the village clinics' 2025 workbooks state no 填报日期.
    assert!(!h.contains("均已按时报送"));
    assert!(
        h.contains("本月各成员单位均已报送，其中红星村卫生室、石桥村卫生室未注明填报日期，无法判断是否按时。"),
        "{}",
        h.lines().filter(|l| l.contains("报送")).collect::<Vec<_>>().join("\n")
    );
    let md = std::fs::read_to_string(sample().path().join("report-out/summary.md")).unwrap();
    assert!(md.contains("红星村卫生室、石桥村卫生室未注明填报日期"));
}

#[test]
fn an_undefined_year_to_date_figure_says_why() {
    let h = report_html();
    // README: shimen sent nothing for 2025-08, so its 1-12月 sums are undefined.
    let row = h
        .lines()
        .find(|l| l.starts_with("<tr><td>石门乡卫生院</td>"))
        .expect("shimen's row in the member table");
    // 出院人次, 门急诊人次, 住院手术 (and 远程医疗 when reported): each says why.
    assert!(row.matches(">8月未报送<").count() >= 3, "{row}");
    // A member that sent every month shows figures, not reasons.
    let lead = h
        .lines()
        .find(|l| l.starts_with("<tr><td>示例市第一人民医院</td>"))
        .unwrap();
    assert!(!lead.contains("未报送"), "{lead}");
}

/// A vertical form (月报表) with a 填报日期, as members send it.
fn form(period: &str, filed: &str, items: &[(&str, serde_json::Value)]) -> Vec<u8> {
    use serde_json::json;
    let mut rows = vec![
        json!(["医联体成员单位医疗业务月报表"]),
        json!([
            "填报单位：示例县人民医院",
            null,
            format!("统计期间：{period}")
        ]),
        json!(["指标名称", "单位", "本月"]),
    ];
    for (label, v) in items {
        rows.push(json!([label, "", v]));
    }
    rows.push(json!([format!("填报日期：{filed}")]));
    xlsx(&json!({"sheets": [{"name": "月报表", "merges": [], "rows": rows}]}))
}

#[test]
fn a_blank_item_says_which_month() {
    use serde_json::{json, Value};
    let ws = Workspace::new();
    std::fs::write(
        ws.path().join("consortium.toml"),
        r#"
name = "测试医联体"
deadline_day = 10

[[members]]
id = "county_peoples"
name = "示例县人民医院"
tier = "secondary"
joined = "2019-01"
"#,
    )
    .unwrap();
    // 门急诊人次 left blank in February (reported in January and March): 1-3月 is undefined.
    let month = |visits: Value| vec![("门急诊人次", visits), ("出院人数", json!(1200))];
    ws.put(
        "01.xlsx",
        &form("2024-01", "2024-02-05", &month(json!(45000))),
    );
    ws.put(
        "02.xlsx",
        &form("2024-02", "2024-03-05", &month(json!(null))),
    );
    ws.put(
        "03.xlsx",
        &form("2024-03", "2024-04-05", &month(json!(46000))),
    );
    ws.ingest(&["inbox"]);
    let out = ws
        .yilian()
        .args(["report", "--period", "2024-03", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h = std::fs::read_to_string(ws.path().join("out/index.html")).unwrap();
    let row = h
        .lines()
        .find(|l| l.starts_with("<tr><td>示例县人民医院</td>"))
        .expect("the member's row");
    assert!(row.contains(">2月空缺<"), "{row}");
    // 出院人次 was reported every month: 1200 × 3.
    assert!(row.contains(">3,600<"), "{row}");
    assert!(!row.contains("未报送"), "{row}");
}
