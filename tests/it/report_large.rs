//! A consortium of many members: the per-member charts stay a readable size (and bounded
//! memory) — the completeness grid lists the members with a problem, the trend panels the
//! largest members — and say how many they leave out.

use crate::common::*;

/// 70 township centres that joined in January 2025; m05 and m66 sent nothing for February;
/// member i reports 100 + i discharges a month.
fn workspace() -> Workspace {
    let ws = Workspace::new();
    let mut toml = String::from("name = \"大医联体\"\n");
    for i in 0..70 {
        toml.push_str(&format!(
            "[[members]]\nid = \"m{i:02}\"\nname = \"第{i:02}卫生院\"\ntier = \"primary\"\njoined = \"2025-01\"\n"
        ));
    }
    std::fs::write(ws.path().join("consortium.toml"), toml).unwrap();
    let mut csv = String::from("单位名称,统计月份,指标名称,数值\n");
    for month in ["2025-01", "2025-02"] {
        for i in 0..70 {
            if month == "2025-02" && (i == 5 || i == 66) {
                continue;
            }
            csv.push_str(&format!("第{i:02}卫生院,{month},出院人数,{}\n", 100 + i));
        }
    }
    ws.put("汇总.csv", csv.as_bytes());
    ws
}

/// The workspace's February report: the workspace (kept while the test reads) and the bundle.
fn report() -> (Workspace, std::path::PathBuf) {
    let ws = workspace();
    let (code, _) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    let out = ws.path().join("out");
    let o = ws
        .yilian()
        .args(["report", "--period", "2025-02", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (ws, out)
}

#[test]
fn many_members_charts_show_the_members_that_matter_and_say_how_many_are_left_out() {
    let (_ws, out) = report();
    let svg = std::fs::read_to_string(out.join("charts/completeness.svg")).unwrap();
    // Only the two members with a missing month; the 68 others said.
    assert!(svg.contains("第05卫生院") && svg.contains("第66卫生院"));
    assert!(!svg.contains("第06卫生院"), "an on-time member is listed");
    assert!(
        svg.contains("各月均按时报送的 68 家未列出"),
        "no note of the members left out"
    );
    // 48 panels of the 70, the largest this year: member i has 2 × (100 + i), m66 only its
    // January 166 and m05 105, so m21..m65 and m67..m69 are drawn; m00..m20 and m66 are not.
    let svg = std::fs::read_to_string(out.join("charts/member-trends-discharges.svg")).unwrap();
    assert!(
        svg.contains("另有 22 家未画出"),
        "no note of the panels left out"
    );
    assert!(svg.contains("第69卫生院") && svg.contains("第21卫生院"));
    assert!(!svg.contains("第66卫生院") && !svg.contains("第20卫生院"));
    // The picture is as tall as 16 rows of panels, not 24.
    let png = std::fs::read(out.join("charts/member-trends-discharges.png")).unwrap();
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!(height, 170 + 230 * 16);
}

/// One part of the workbook as text.
fn part(path: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
    xml
}

/// The number format of the first cell of `sheet` holding `value`: its style's format code
/// (rust_xlsxwriter writes `#,##0` as Excel's built-in format 3).
fn format_of(path: &std::path::Path, sheet: &str, value: &str) -> String {
    let xml = part(path, sheet);
    let cell = regex::Regex::new(&format!(
        r#"<c r="[A-Z]+\d+" s="(\d+)"[^>]*><v>{value}</v>"#
    ))
    .unwrap();
    let style: usize = cell.captures(&xml).expect(value)[1].parse().unwrap();
    let styles = part(path, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    let id = &regex::Regex::new(r#"numFmtId="(\d+)""#)
        .unwrap()
        .captures(xf)
        .unwrap()[1];
    if id == "3" {
        return "#,##0".into();
    }
    let custom =
        regex::Regex::new(&format!(r#"<numFmt numFmtId="{id}" formatCode="([^"]*)""#)).unwrap();
    custom
        .captures(&styles)
        .map_or(id.to_string(), |c| c[1].to_string())
}

/// Issue 14: the workbook is written row by row (rust_xlsxwriter's low-memory worksheets, the
/// tidy sheet a part of 2,048 records at a time), and keeps every sheet, figure, format, frozen
/// pane and column width. 70 members × every indicator × two windows fill several parts.
#[test]
fn a_workbook_written_row_by_row_keeps_its_sheets_figures_and_formats() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let (_ws, out) = report();
    let path = out.join("report.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names[..3], ["医联体", "层级", "成员单位"]);
    assert_eq!(names.last().unwrap(), "数据");
    let n = |d: &Data| match d {
        Data::Float(x) => Some(*x),
        Data::Int(x) => Some(*x as f64),
        _ => None,
    };
    // February: every member but m05 and m66 sent 100 + i, so 7000 + 2415 − 105 − 166 = 9144.
    // A member with a month missing has no year to date (missing, not zero): 1-2月 is the 68
    // others' two months, 2 × 9144.
    let sum = wb.worksheet_range("医联体").unwrap();
    let row = sum.rows().find(|r| r[1] == "出院人次").expect("discharges");
    assert_eq!((n(&row[3]), n(&row[8])), (Some(9144.0), Some(18288.0)));
    let members = wb.worksheet_range("成员单位").unwrap();
    let row = |name: &str| {
        members
            .rows()
            .find(|r| r[0] == name && r[1] == "出院人次")
            .unwrap_or_else(|| panic!("{name}"))
            .to_vec()
    };
    let r = row("第10卫生院");
    assert_eq!((n(&r[3]), n(&r[8])), (Some(110.0), Some(220.0)));
    let r = row("第66卫生院");
    assert_eq!((n(&r[3]), n(&r[8])), (None, None));
    // The tidy sheet: every record, the last part's too.
    let data = wb.worksheet_range("数据").unwrap();
    let rows: Vec<_> = data.rows().skip(1).collect();
    assert!(rows.len() > 2 * 2048, "{} rows", rows.len());
    let m69: Vec<(String, Option<f64>)> = rows
        .iter()
        .filter(|r| r[3] == "第69卫生院" && r[12] == "discharges")
        .map(|r| (r[1].to_string(), n(&r[6])))
        .collect();
    assert_eq!(
        m69,
        [
            ("2025年2月".to_string(), Some(169.0)),
            ("1-2月".to_string(), Some(338.0))
        ]
    );
    // Formats: figures as #,##0, the header rows frozen (the summaries' names too), the
    // summaries' header row 32 points high, columns as wide as their text, filters set.
    let sheet = |i: usize| format!("xl/worksheets/sheet{i}.xml");
    let last = names.len();
    assert_eq!(format_of(&path, &sheet(1), "9144"), "#,##0");
    assert_eq!(format_of(&path, &sheet(3), "220"), "#,##0");
    assert_eq!(format_of(&path, &sheet(last), "338"), "#,##0");
    let first = part(&path, &sheet(1));
    assert!(
        first.contains(r#"<pane xSplit="2" ySplit="2" topLeftCell="C3""#),
        "{first}"
    );
    assert!(
        // 32 points, as Excel rounds it to whole pixels.
        regex::Regex::new(r#"<row r="2"[^>]* ht="32(\.\d+)?" customHeight="1""#)
            .unwrap()
            .is_match(&first),
        "no header row height"
    );
    let tidy = part(&path, &sheet(last));
    assert!(tidy.contains(r#"<pane ySplit="1" topLeftCell="A2""#));
    assert!(tidy.contains(&format!(r#"<autoFilter ref="A1:M{}"/>"#, rows.len() + 1)));
    // 单位/层级 as wide as its widest text: a CJK character two columns, others one, × 1.1 + 2
    // (rust_xlsxwriter then adds its 5-pixel padding, under one column).
    let widest = rows
        .iter()
        .map(|r| {
            r[3].to_string()
                .chars()
                .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                .sum::<f64>()
        })
        .fold(0.0, f64::max);
    let col = regex::Regex::new(r#"<col min="4" max="4" width="([\d.]+)""#).unwrap();
    let width: f64 = col.captures(&tidy).expect("width of column D")[1]
        .parse()
        .unwrap();
    let expected = widest * 1.1 + 2.0;
    assert!(
        width >= expected && width < expected + 1.0,
        "{width} for {widest}"
    );
}
