//! The report's 指标体系 sections (issue 13): a section per named set the data fill in part,
//! with figures, 同比, 目标值 and 达标 for the consortium and the tiers the system assesses,
//! 未上报 for what an entity did not report (never 0) and a table of misses. Every figure
//! below is computed by hand from the rows of `case()`.

use crate::indicators::Case;
use calamine::{open_workbook, Data, Reader, Xlsx};

/// The three members of `indicator_systems` (h tertiary, k secondary, z primary) and two
/// targets.
fn config() -> String {
    format!(
        "{}{}",
        crate::indicator_systems::MEMBERS,
        r#"
[[targets]]
indicator = "avg_los"
value = 9

[[targets]]
indicator = "appointment_rate"
value = 50
"#
    )
}

fn case() -> Case {
    let (h, k, z) = ("甲市人民医院", "乙县人民医院", "丙镇卫生院");
    Case::with_config(
        &config(),
        &[
            (h, "2025-01", "出院者占用总床日数", 17600.0),
            (h, "2025-01", "出院人次", 2000.0),
            (h, "2025-01", "住院手术例数", 400.0),
            (h, "2025-01", "门急诊人次", 20000.0),
            (h, "2025-01", "预约诊疗人次", 12000.0),
            (h, "2025-01", "药品收入", 3000.0),
            (h, "2025-01", "医疗收入", 12000.0),
            (h, "2024-01", "出院者占用总床日数", 19000.0),
            (h, "2024-01", "出院人次", 2000.0),
            (k, "2025-01", "出院者占用总床日数", 8200.0),
            (k, "2025-01", "出院人次", 800.0),
            (k, "2025-01", "住院手术例数", 100.0),
            (k, "2025-01", "门急诊人次", 10000.0),
            (k, "2025-01", "医疗收入", 2000.0),
            (z, "2025-01", "门急诊人次", 5000.0),
        ],
    )
}

/// The lines of a Markdown section from its heading to the next `## `.
fn section<'a>(md: &'a str, heading: &str) -> Vec<&'a str> {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("no {heading} in\n{md}"));
    let rest = &md[start + heading.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].lines().collect()
}

fn row<'a>(lines: &[&'a str], starts: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.starts_with(starts))
        .unwrap_or_else(|| panic!("no row {starts} in\n{}", lines.join("\n")))
}

#[test]
fn each_set_has_a_section_with_targets_unreported_items_and_misses() {
    let c = case();
    let out = c
        .cmd()
        .args(["report", "--period", "2025-01", "--out", "out"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(c.path().join("out/summary.md")).unwrap();
    let gk3 = section(&md, "## 指标体系：三级公立医院绩效考核（月度可计算）");
    // Reported: 门诊出院比, 手术占比, 平均住院日, 预约诊疗率; the other 10 of 14 are not.
    let note = gk3
        .iter()
        .find(|l| l.contains("无成员单位上报数据"))
        .unwrap();
    assert!(
        note.contains("14 项指标中，10 项") && note.contains("微创手术占比"),
        "{note}"
    );
    assert!(!note.contains("平均住院日"), "{note}");
    // 平均住院日: (17600 + 8200) / (2000 + 800) = 9.21 days misses 9 (lower is better); the
    // change is like-for-like, h alone: 8.8 against 19000 / 2000 = 9.5, -7.37%.
    assert_eq!(
        row(&gk3, "| 医联体 | 平均住院日（日） |"),
        "| 医联体 | 平均住院日（日） | 9.21 | -7.37% | 9.21 | -7.37% | 9.00 | 未达标 |"
    );
    // The tertiary tier (h): 8.80 days meets it; 12000 / 20000 = 60% meets 50%.
    assert_eq!(
        row(&gk3, "| 三级医院 | 平均住院日（日） |"),
        "| 三级医院 | 平均住院日（日） | 8.80 | -7.37% | 8.80 | -7.37% | 9.00 | 达标 |"
    );
    assert!(row(&gk3, "| 三级医院 | 门诊患者预约诊疗率（%） |").contains("| 60.00% |"));
    // Not reported is said, not 0: 微创手术占比 has no figure anywhere.
    assert_eq!(
        row(&gk3, "| 医联体 | 微创手术占比（%） |"),
        "| 医联体 | 微创手术占比（%） | 未上报 |  |  |  |  |  |"
    );
    // 二级医院 rows belong to 二级国考, not here.
    assert!(!gk3.iter().any(|l| l.starts_with("| 二级医院")));
    // Misses: the consortium's 9.21 days (+0.21) and 12000 / (20000 + 10000 + 5000) = 34.29%
    // against 50% (-15.71 points), month and 1月 (the year to date is January); k (secondary) is not assessed by 三级国考.
    let misses: Vec<&&str> = gk3
        .iter()
        .skip_while(|l| !l.contains("未达标指标"))
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 单位/层级"))
        .collect();
    assert_eq!(
        misses,
        [
            &"| 医联体 | 平均住院日（日） | 2025年1月 | 9.21 | 9.00 | +0.21 |",
            &"| 医联体 | 平均住院日（日） | 1月 | 9.21 | 9.00 | +0.21 |",
            &"| 医联体 | 门诊患者预约诊疗率（%） | 2025年1月 | 34.29% | 50.00% | -15.71 个百分点 |",
            &"| 医联体 | 门诊患者预约诊疗率（%） | 1月 | 34.29% | 50.00% | -15.71 个百分点 |",
        ]
    );

    let gk2 = section(&md, "## 指标体系：二级公立医院绩效考核（月度可计算）");
    // 药占比: h reports drug revenue, k only 医疗收入. Revenue is not a service k does not
    // provide but a figure not known, so k is left out: 3000 / 12000 = 25.00% for the
    // consortium (not 3000 / (12000 + 2000) = 21.43%); the secondary tier's is 未上报, not 0%.
    assert!(row(&gk2, "| 医联体 | 药占比（%） |").contains("| 25.00% |"));
    // ... and the section says so: of h and k (z sends no revenue at all), h alone counts.
    assert!(
        gk2.contains(
            &"下列指标的医联体本月数据仅包含报送了所需数据的成员单位（当月漏报，或从未报送收入、人员数的单位，不计入分子和分母）：药占比（2 家中 1 家）。"
        ),
        "{}",
        gk2.join("\n")
    );
    assert_eq!(
        row(&gk2, "| 二级医院 | 药占比（%） |"),
        "| 二级医院 | 药占比（%） | 未上报 |  |  |  |  |  |"
    );
    // k misses 9 days with 8200 / 800 = 10.25 (+1.25), as its tier does.
    assert!(gk2.contains(&"| 乙县人民医院 | 平均住院日（日） | 2025年1月 | 10.25 | 9.00 | +1.25 |"));
    assert!(gk2.contains(&"| 二级医院 | 平均住院日（日） | 1月 | 10.25 | 9.00 | +1.25 |"));
    assert!(!gk2.iter().any(|l| l.starts_with("| 甲市人民医院")));

    // 医共体监测: the primary share is reported (5000 / 35000 = 14.29%), remote services not.
    let ygt = section(
        &md,
        "## 指标体系：紧密型县域医共体监测指标（成员数据可计算部分）",
    );
    assert!(row(&ygt, "| 医联体 | 医联体内基层门急诊占比（%） |").contains("| 14.29% |"));
    assert!(row(&ygt, "| 医联体 | 远程影像诊断报告数").contains("| 未上报 |"));

    // The same in the page.
    let html = std::fs::read_to_string(c.path().join("out/index.html")).unwrap();
    assert!(html.contains("<h2>指标体系：三级公立医院绩效考核（月度可计算）</h2>"));
    assert!(
        html.contains("<td class=\"n bad\">未达标</td>"),
        "no red 未达标 cell"
    );

    // The workbook: a sheet per set with figures as numbers, and one sheet of misses.
    let mut wb: Xlsx<_> = open_workbook(c.path().join("out/report.xlsx")).unwrap();
    let names = wb.sheet_names();
    for s in ["三级国考", "二级国考", "医共体监测", "未达标"] {
        assert!(names.iter().any(|n| n == s), "{names:?}");
    }
    let sheet = wb.worksheet_range("三级国考").unwrap();
    let los = sheet
        .rows()
        .find(|r| {
            r.first() == Some(&Data::String("医联体".into()))
                && r.get(1) == Some(&Data::String("平均住院日（日）".into()))
        })
        .expect("consortium avg_los row");
    assert!(matches!(los[2], Data::Float(v) if (v - 25800.0 / 2800.0).abs() < 1e-9));
    assert!(matches!(los[6], Data::Float(v) if v == 9.0));
    assert_eq!(los[7], Data::String("未达标".into()));
    let misses = wb.worksheet_range("未达标").unwrap();
    // 4 misses of 三级国考, 2 × (consortium, secondary tier, k) of 二级国考, title and header.
    assert_eq!(misses.rows().count(), 2 + 4 + 6, "{misses:?}");
}

#[test]
fn the_sections_speak_english_with_lang_en() {
    let c = case();
    let out = c
        .cmd()
        .args([
            "report", "--period", "2025-01", "--out", "en", "--lang", "en",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let md = std::fs::read_to_string(c.path().join("en/summary.md")).unwrap();
    let gk3 = section(
        &md,
        "## Indicator set: Tertiary public hospital assessment, monthly-computable",
    );
    assert!(gk3
        .iter()
        .any(|l| l.contains("10 of the set's 14 indicators have no data")));
    assert!(row(&gk3, "| Consortium | Average length of stay").ends_with("| 9.00 | missed |"));
    assert!(row(&gk3, "| Consortium | Minimally invasive").contains("| not reported |"));
    let gk2 = section(
        &md,
        "## Indicator set: Secondary public hospital assessment, monthly-computable",
    );
    assert!(
        // Markdown escapes the brackets.
        gk2.iter().any(
            |l| l.starts_with("This month's consortium figures below count only")
                && l.ends_with(": Drug share of revenue \\(1 of 2 members\\).")
        ),
        "{}",
        gk2.join("\n")
    );
}

/// `indicators --set` blanks an entity's figure of an item it did not report, as the report
/// does: k sends 医疗收入 but no 药品收入, so its 药占比 is empty, not 0%.
#[test]
fn a_set_blanks_what_a_member_did_not_report() {
    let c = case();
    let recs = c.records(&["--period", "2025-01", "--set", "gk2"]);
    let get = |e: &str| {
        recs.iter()
            .find(|r| r["entity"] == e && r["indicator"] == "drug_share")
            .unwrap()["value"]
            .clone()
    };
    assert!(get("k").is_null());
    assert!(get("secondary").is_null());
    assert!((get("h").as_f64().unwrap() - 25.0).abs() < 1e-9);
}

/// 检查检验结果互认 (issue 13): 互认人次 over 检查检验人次, numerators and denominators added over
/// members first; 互认项目数 a stock; both in the 医共体监测 set. z sends 检查检验人次 only: its
/// rate is not reported, not 0%, but its visits count in the consortium's denominator.
#[test]
fn mutual_recognition_of_exam_and_test_results() {
    let (h, k, z) = ("甲市人民医院", "乙县人民医院", "丙镇卫生院");
    let c = Case::with_config(
        &config(),
        &[
            (h, "2025-01", "检查检验人次", 8000.0),
            (h, "2025-01", "检查检验结果互认人次", 1200.0),
            (h, "2025-01", "互认项目数", 30.0),
            (k, "2025-01", "检查检验总人次", 2000.0),
            (k, "2025-01", "结果互认人次", 300.0),
            (k, "2025-01", "检查检验互认项目数", 20.0),
            (z, "2025-01", "检查检验人次", 500.0),
        ],
    );
    let recs = c.records(&["--period", "2025-01", "--set", "ygt"]);
    let get = |e: &str, i: &str| {
        recs.iter()
            .find(|r| r["entity"] == e && r["indicator"] == i)
            .unwrap_or_else(|| panic!("no {e} {i}"))["value"]
            .as_f64()
    };
    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
    assert!(close(
        get("consortium", "mutual_recognition_rate"),
        (1200.0 + 300.0) / (8000.0 + 2000.0 + 500.0) * 100.0
    ));
    assert!(close(get("h", "mutual_recognition_rate"), 15.0));
    assert!(close(get("k", "mutual_recognition_rate"), 15.0));
    assert_eq!(get("z", "mutual_recognition_rate"), None);
    assert!(close(get("consortium", "mutual_recognition_items"), 50.0));
}
