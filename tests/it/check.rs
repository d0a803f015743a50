//! `yilian check`: every rule with a fixture that breaks it and one that does not, the
//! submission matrix, user rules (and a typo in one), exit codes and the 退回修改清单.

use crate::common::*;
use serde_json::{json, Value};

const ONE_MEMBER: &str = r#"
name = "测试医联体"
deadline_day = 10

[[members]]
id = "county_peoples"
name = "示例县人民医院"
aliases = ["县人民医院"]
tier = "secondary"
joined = "2019-01"
"#;

/// A healthy month of a secondary hospital (March: 31 days, 500 beds).
fn healthy() -> Vec<(&'static str, Value)> {
    vec![
        ("门急诊人次", json!(45000)),
        ("出院人数", json!(1200)),
        ("实际开放床位数", json!(500)),
        ("实际开放总床日数", json!(15500)),
        ("实际占用总床日数", json!(13000)),
        ("出院者占用总床日数", json!(9000)),
        ("住院手术台次", json!(370)),
        ("其中：一级手术", json!(100)),
        ("其中：二级手术", json!(120)),
        ("其中：三级手术", json!(110)),
        ("#四级手术", json!(40)),
        ("微创手术", json!(80)),
        ("日间手术", json!(20)),
        ("远程影像", json!(50)),
    ]
}

fn with(changes: &[(&'static str, Value)]) -> Vec<(&'static str, Value)> {
    let mut v = healthy();
    for (k, x) in changes {
        match v.iter_mut().find(|(l, _)| l == k) {
            Some(slot) => slot.1 = x.clone(),
            None => v.push((k, x.clone())),
        }
    }
    v
}

/// A vertical form (月报表) as members send it, with a 填报日期.
fn form(member: &str, period: &str, filed: &str, items: &[(&str, Value)]) -> Vec<u8> {
    let mut rows = vec![
        json!(["医联体成员单位医疗业务月报表"]),
        json!([
            format!("填报单位：{member}"),
            null,
            format!("统计期间：{period}")
        ]),
        json!(["指标名称", "单位", "本月"]),
    ];
    for (label, v) in items {
        rows.push(json!([label, "", v]));
    }
    rows.push(json!(["填表人：张三    审核人：李四"]));
    rows.push(json!([format!("填报日期：{filed}")]));
    xlsx(&json!({"sheets": [{"name": "月报表", "merges": [], "rows": rows}]}))
}

fn workspace(config: &str) -> Workspace {
    let ws = Workspace::new();
    std::fs::write(ws.path().join("consortium.toml"), config).unwrap();
    ws
}

/// Runs check --format json; returns (exit code, findings).
fn check(ws: &Workspace, args: &[&str]) -> (i32, Value) {
    let out = ws
        .yilian()
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

fn rules_of(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// One month of county_peoples with these items; returns the rules that fired.
fn one_month(config: &str, items: &[(&str, Value)]) -> (i32, Value) {
    let ws = workspace(config);
    ws.put(
        "a.xlsx",
        &form("示例县人民医院", "2024-03", "2024-04-05", items),
    );
    let (code, _) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0);
    check(&ws, &[])
}

#[track_caller]
fn fires(changes: &[(&'static str, Value)], rule: &str) -> Value {
    let (code, v) = one_month(ONE_MEMBER, &with(changes));
    let rules = rules_of(&v);
    assert!(rules.iter().any(|r| r == rule), "{rule} not in {rules:?}");
    assert_ne!(code, 0);
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap()
        .clone()
}

#[test]
fn a_healthy_month_is_clean() {
    let (code, v) = one_month(ONE_MEMBER, &healthy());
    assert_eq!(rules_of(&v), Vec::<String>::new(), "{v:#}");
    assert_eq!(code, 0);
    assert_eq!(v["completeness"][0]["status"], "on_time");
}

#[test]
fn surgery_counts_cannot_exceed_the_total() {
    let f = fires(
        &[("其中：三级手术", json!(300)), ("#四级手术", json!(100))],
        "grade34_le_surgeries",
    );
    assert_eq!(f["severity"], "error");
    assert_eq!(f["member"], "county_peoples");
    assert_eq!(f["period"], "2024-03");
    assert_eq!(f["file"], "a.xlsx");
    assert_eq!(f["sheet"], "月报表");
    assert!(f["cell"].as_str().unwrap().contains("C"), "{f}");
    assert!(
        f["value"]
            .as_str()
            .unwrap()
            .contains("surgeries_grade3=300"),
        "{f}"
    );
    // 3+4 within the total, but 1-4 not
    let f = fires(&[("其中：一级手术", json!(200))], "grades_le_surgeries");
    assert!(f["message"].as_str().unwrap().contains("470"), "{f}");
    fires(&[("微创手术", json!(400))], "mis_le_surgeries");
    fires(&[("日间手术", json!(371))], "day_le_surgeries");
    // a grade-3+4 fault is not reported again as a grade-1-4 fault
    let (_, v) = one_month(ONE_MEMBER, &with(&[("其中：三级手术", json!(400))]));
    assert_eq!(rules_of(&v), vec!["grade34_le_surgeries"]);
}

#[test]
fn bed_days_are_consistent() {
    // Above the open bed-days is possible with extra beds (临时加床): a warning to confirm.
    let f = fires(&[("实际占用总床日数", json!(16000))], "occupied_le_open");
    assert_eq!(f["severity"], "warning");
    assert!(f["message"].as_str().unwrap().contains("临时加床"), "{f}");
    assert!(
        f["value"].as_str().unwrap().contains("open_bed_days=15500"),
        "{f}"
    );
    // 16% short of 500 beds × 31 days
    let f = fires(
        &[("实际开放总床日数", json!(13000))],
        "open_bed_days_vs_beds",
    );
    assert_eq!(f["severity"], "warning");
    // within the 5% tolerance
    let (_, v) = one_month(ONE_MEMBER, &with(&[("实际开放总床日数", json!(15000))]));
    assert!(!rules_of(&v).contains(&"open_bed_days_vs_beds".to_string()));
    fires(
        &[("出院者占用总床日数", json!(7000))],
        "discharged_vs_occupied_bed_days",
    );
}

#[test]
fn a_bed_change_mid_month_is_not_a_fault() {
    let ws = workspace(ONE_MEMBER);
    ws.put(
        "02.xlsx",
        &form(
            "示例县人民医院",
            "2024-02",
            "2024-03-05",
            &with(&[
                ("实际开放总床日数", json!(400 * 29)),
                ("实际开放床位数", json!(400)),
                ("实际占用总床日数", json!(10000)),
                ("出院者占用总床日数", json!(8000)),
            ]),
        ),
    );
    // 400 beds for 15 days, 500 for 16: 14000 bed-days, not 500 × 31
    ws.put(
        "03.xlsx",
        &form(
            "示例县人民医院",
            "2024-03",
            "2024-04-05",
            &with(&[("实际开放总床日数", json!(400 * 15 + 500 * 16))]),
        ),
    );
    ws.ingest(&["inbox"]);
    let (_, v) = check(&ws, &[]);
    assert_eq!(rules_of(&v), Vec::<String>::new(), "{v:#}");
}

#[test]
fn plausibility_ranges_per_tier_are_configurable() {
    let f = fires(
        &[
            ("实际占用总床日数", json!(5000)),
            ("出院者占用总床日数", json!(5000)),
        ],
        "occupancy_range",
    );
    assert!(f["message"].as_str().unwrap().contains("secondary"), "{f}");
    // LOS 7.5 and turnover 2.4 pass the defaults (healthy month) but not stricter ranges
    let strict = format!(
        "{ONE_MEMBER}\n[check.tiers.secondary]\navg_los = [8, 15]\nbed_turnover = [3, 6]\n"
    );
    let (code, v) = one_month(&strict, &healthy());
    let rules = rules_of(&v);
    assert_eq!(rules, vec!["avg_los_range", "bed_turnover_range"], "{v:#}");
    assert_eq!(code, 4);
}

/// The month `y-m` of 示例县人民医院 with these visits and 1,200 discharges, filed on the 5th
/// of the month after.
fn put_visits(ws: &Workspace, y: i64, m: i64, visits: i64) {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ws.put(
        &format!("{y}-{m:02}.xlsx"),
        &form(
            "示例县人民医院",
            &format!("{y}-{m:02}"),
            &format!("{ny}-{nm:02}-05"),
            &[("门急诊人次", json!(visits)), ("出院人数", json!(1200))],
        ),
    );
}

#[test]
fn a_value_far_from_the_members_history_is_an_outlier() {
    let run = |spike: bool| {
        let ws = workspace(ONE_MEMBER);
        for i in 0..14 {
            let (y, m) = (2024 + i / 12, i % 12 + 1);
            let mut visits = 45000 + (i * 7919 % 5) * 900; // ordinary variation, ±5%
            if spike && i == 13 {
                visits *= 10;
            }
            put_visits(&ws, y, m, visits);
        }
        ws.ingest(&["inbox"]);
        check(&ws, &[])
    };
    let (_, v) = run(false);
    assert_eq!(rules_of(&v), Vec::<String>::new(), "{v:#}");
    let (code, v) = run(true);
    assert_eq!(rules_of(&v), vec!["history_outlier"], "{v:#}");
    let f = &v["findings"][0];
    assert_eq!(f["period"], "2025-02");
    assert_eq!(f["item"], "outpatient_visits");
    assert_eq!(f["file"], "2025-02.xlsx");
    assert_eq!(code, 4);
}

/// A December peak on a member growing 50 % a year: far from its recent months, explained by
/// last December scaled by the year's growth — which needs the months 13 to 24 before, read
/// only for such a value (`check::data`).
#[test]
fn a_seasonal_peak_on_growth_is_judged_with_the_year_before_last() {
    let run = |december_2025: i64| {
        let ws = workspace(ONE_MEMBER);
        for (y, level) in [(2023, 40000), (2024, 60000), (2025, 90000)] {
            for m in 1..=12 {
                // December 1.8× the year's other months.
                let visits = match (y, m) {
                    (2025, 12) => december_2025,
                    (_, 12) => level * 18 / 10,
                    _ => level,
                };
                put_visits(&ws, y, m, visits);
            }
        }
        ws.ingest(&["inbox"]);
        check(&ws, &["--period", "2025-12"])
    };
    // By hand: the 12 months before, 2024-12 (108000) and eleven of 90000: median 90000,
    // deviations 18000 and 0 × 11, so the spread is the 10 % floor, 9000. December 2025's
    // 162000 scores (162000 − 90000) / 9000 = 8 > 5; last December 108000 × the year's
    // growth (2025-01..2025-11 / 2024-01..2024-11 and 2024-12 / 2023-12: 1.5) = 162000,
    // score 0: no finding. (Without the year before last, 108000 alone scores 6.)
    let (code, v) = run(162000);
    assert_eq!(rules_of(&v), Vec::<String>::new(), "{v:#}");
    assert_eq!(code, 0);
    // 270000: (270000 − 162000) / 9000 = 12 — an outlier still.
    let (code, v) = run(270000);
    assert_eq!(rules_of(&v), vec!["history_outlier"], "{v:#}");
    let f = &v["findings"][0];
    assert_eq!(f["period"], "2025-12");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("same month last year 108000"),
        "{f}"
    );
    assert_eq!(code, 4);
}

#[test]
fn an_item_reported_last_month_and_blank_now_is_missing() {
    let run = |blank: bool| {
        let ws = workspace(ONE_MEMBER);
        ws.put(
            "03.xlsx",
            &form("示例县人民医院", "2024-03", "2024-04-05", &healthy()),
        );
        let april = if blank {
            with(&[("#四级手术", json!(null))])
        } else {
            healthy()
        };
        let april: Vec<_> = april
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    if k == "实际开放总床日数" {
                        json!(15000)
                    } else {
                        v
                    },
                )
            })
            .collect();
        ws.put(
            "04.xlsx",
            &form("示例县人民医院", "2024-04", "2024-05-05", &april),
        );
        ws.ingest(&["inbox"]);
        check(&ws, &[])
    };
    let (_, v) = run(false);
    assert_eq!(rules_of(&v), Vec::<String>::new(), "{v:#}");
    let (_, v) = run(true);
    assert_eq!(rules_of(&v), vec!["item_missing"], "{v:#}");
    assert_eq!(v["findings"][0]["item"], "surgeries_grade4");
    assert_eq!(v["findings"][0]["period"], "2024-04");
}

#[test]
fn sum_rows_are_checked_against_their_rows() {
    let run = |fix: bool| {
        let ws = Workspace::new();
        let mut spec = layout("wide");
        if fix {
            spec["sheets"][0]["rows"][7][2] = json!(13455);
        }
        ws.put("2024年9月基层医疗机构业务量汇总表.xlsx", &xlsx(&spec));
        ws.ingest(&["inbox"]);
        check(&ws, &["--period", "2024-09"])
    };
    let (_, v) = run(true);
    assert!(!rules_of(&v).contains(&"sum_row".to_string()), "{v:#}");
    let (_, v) = run(false);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "sum_row")
        .expect("sum_row finding")
        .clone();
    assert_eq!(f["cell"], "C8");
    assert_eq!(f["value"], "13460");
    assert_eq!(f["item"], "outpatient_visits");
    assert_eq!(f["member"], "");
    assert_eq!(f["sheet"], "汇总表");
}

#[test]
fn the_matrix_shows_late_and_missing_members() {
    let config = format!(
        "{ONE_MEMBER}\n[[members]]\nid = \"dasha\"\nname = \"大沙镇中心卫生院\"\ntier = \"primary\"\njoined = \"2019-06\"\n\n[[members]]\nid = \"qingshan\"\nname = \"青山镇卫生院\"\ntier = \"primary\"\njoined = \"2024-04\"\n"
    );
    let ws = workspace(&config);
    let small =
        |filed: &str, p: &str| form("大沙镇中心卫生院", p, filed, &[("门急诊人次", json!(8000))]);
    ws.put(
        "c03.xlsx",
        &form("示例县人民医院", "2024-03", "2024-04-10", &healthy()),
    );
    // the deadline is the 10th of the following month: the 11th is late
    ws.put(
        "c04.xlsx",
        &form(
            "示例县人民医院",
            "2024-04",
            "2024-05-11",
            &with(&[("实际开放总床日数", json!(15000))]),
        ),
    );
    ws.put("d03.xlsx", &small("2024-04-02", "2024-03"));
    ws.ingest(&["inbox"]);
    let (code, v) = check(&ws, &[]);
    assert_eq!(code, 5, "{v:#}");
    let cell = |m: &str, p: &str| {
        v["completeness"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["member"] == m && c["period"] == p)
            .unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(cell("county_peoples", "2024-03"), "on_time");
    assert_eq!(cell("county_peoples", "2024-04"), "late");
    assert_eq!(cell("dasha", "2024-03"), "on_time");
    assert_eq!(cell("dasha", "2024-04"), "missing");
    assert_eq!(cell("qingshan", "2024-03"), "not_member");
    assert_eq!(cell("qingshan", "2024-04"), "missing");
    let mut got: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["member"].as_str().unwrap().into(),
                f["period"].as_str().unwrap().into(),
            )
        })
        .collect();
    got.sort();
    let want = [
        ("late_submission", "county_peoples", "2024-04"),
        ("missing_submission", "dasha", "2024-04"),
        ("missing_submission", "qingshan", "2024-04"),
    ];
    let want: Vec<(String, String, String)> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    let late = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "late_submission")
        .unwrap();
    assert_eq!(late["value"], "2024-05-11");
    assert_eq!(late["file"], "c04.xlsx");
    // --period limits findings and matrix to one month
    let (code, v) = check(&ws, &["--period", "2024-03"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["periods"], json!(["2024-03"]));
}

#[test]
fn user_rules_are_checked_and_typos_are_errors() {
    let rule = |r: &str| {
        format!("{ONE_MEMBER}\n[[rules]]\nname = \"远程影像不超过门急诊\"\nrule = \"{r}\"\nseverity = \"error\"\nmessage = \"远程影像报告数不应超过门急诊人次\"\n")
    };
    let cfg = rule("remote_imaging <= outpatient_visits");
    let (code, v) = one_month(&cfg, &healthy());
    assert_eq!((code, rules_of(&v)), (0, vec![]));
    let (code, v) = one_month(&cfg, &with(&[("远程影像", json!(50000))]));
    assert_eq!(code, 5);
    assert_eq!(rules_of(&v), vec!["远程影像不超过门急诊"]);
    let f = &v["findings"][0];
    assert_eq!(f["severity"], "error");
    assert!(f["message"]
        .as_str()
        .unwrap()
        .contains("远程影像报告数不应超过门急诊人次"));
    assert!(
        f["value"]
            .as_str()
            .unwrap()
            .contains("remote_imaging=50000"),
        "{f}"
    );

    // A typo: a clear error naming the rule and the closest code, whatever the data.
    let ws = workspace(&rule("remote_imaging <= outpatient_visit"));
    ws.put(
        "a.xlsx",
        &form("示例县人民医院", "2024-03", "2024-04-05", &healthy()),
    );
    ws.ingest(&["inbox"]);
    let out = ws.yilian().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("远程影像不超过门急诊"), "{err}");
    assert!(err.contains("outpatient_visit`"), "{err}");
    assert!(err.contains("did you mean `outpatient_visits`"), "{err}");
    // Not a comparison
    let ws = workspace(&rule("remote_imaging + outpatient_visits"));
    let out = ws.yilian().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a comparison"));
    // A consortium-only indicator would never fire per member-month: refused, not passed.
    let ws = workspace(&rule("primary_visit_share <= 50"));
    let out = ws.yilian().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("primary_visit_share"));
}

#[test]
fn severities_can_be_overridden_and_unknown_rules_are_errors() {
    let cfg = format!("{ONE_MEMBER}\n[check.severity]\noccupied_le_open = \"error\"\n");
    let (code, v) = one_month(&cfg, &with(&[("实际占用总床日数", json!(16000))]));
    assert_eq!(code, 5);
    assert_eq!(v["findings"][0]["severity"], "error");
    let cfg = format!("{ONE_MEMBER}\n[check.severity]\noccupied_le_opn = \"off\"\n");
    let ws = workspace(&cfg);
    ws.put(
        "a.xlsx",
        &form("示例县人民医院", "2024-03", "2024-04-05", &healthy()),
    );
    ws.ingest(&["inbox"]);
    let out = ws.yilian().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("occupied_le_opn"));
}

#[test]
fn xlsx_is_a_return_list_with_a_sheet_per_member() {
    use calamine::{open_workbook_auto, Data, Reader};
    let ws = workspace(ONE_MEMBER);
    ws.put(
        "a.xlsx",
        &form(
            "示例县人民医院",
            "2024-03",
            "2024-04-05",
            &with(&[("实际占用总床日数", json!(16000))]),
        ),
    );
    ws.ingest(&["inbox"]);
    let out = ws
        .yilian()
        .args(["check", "--format", "xlsx", "--output", "list.xlsx"])
        .output()
        .unwrap();
    // Occupied above open bed-days is a warning now (临时加床 is allowed): exit 4.
    assert_eq!(out.status.code(), Some(4));
    let mut wb = open_workbook_auto(ws.path().join("list.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), vec!["汇总", "示例县人民医院"]);
    let r = wb.worksheet_range("示例县人民医院").unwrap();
    let text: Vec<String> = r
        .rows()
        .flat_map(|row| row.iter().map(|c| c.to_string()))
        .collect();
    // The member's sheet is in Chinese, with the values.
    assert!(
        text.iter()
            .any(|t| t.contains("实际占用总床日数（16000）大于实际开放总床日数（15500）")),
        "{text:?}"
    );
    assert!(text.iter().any(|t| t == "警告"));
    assert!(matches!(r.get_value((4, 1)), Some(Data::String(_))));
    // xlsx needs a file
    let out = ws
        .yilian()
        .args(["check", "--format", "xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// A check of many months is done a few months at a time (each part hands its figures on as
/// the next one's history): it finds what the months checked one by one find, the history
/// rule included, across the parts' borders.
#[test]
fn many_months_are_checked_as_each_month_alone() {
    let ws = workspace(ONE_MEMBER);
    // 2024-01..2025-02: 14 months, checked in parts of four (January to April, May to
    // August, …); May missing, October late, September and February ten times the usual
    // visits, August corrected by a second file, September's discharges blank (August, the
    // month before, in the part before, reported them, in its correction).
    for i in 0..14 {
        let (y, m) = (2024 + i / 12, i % 12 + 1);
        if (y, m) == (2024, 5) {
            continue;
        }
        let mut visits = 45000 + (i * 7919 % 5) * 900;
        if (y, m) == (2024, 9) || (y, m) == (2025, 2) {
            visits *= 10;
        }
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let filed = if (y, m) == (2024, 10) {
            "2024-11-20".to_string()
        } else {
            format!("{ny}-{nm:02}-05")
        };
        ws.put(
            &format!("{y}-{m:02}.xlsx"),
            &form(
                "示例县人民医院",
                &format!("{y}-{m:02}"),
                &filed,
                &[
                    ("门急诊人次", json!(visits)),
                    (
                        "出院人数",
                        json!(if (y, m) == (2024, 9) {
                            None
                        } else {
                            Some(1200)
                        }),
                    ),
                ],
            ),
        );
    }
    assert_eq!(ws.ingest(&["inbox"]).0, 0);
    let again = ws.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    std::fs::write(
        again.join("2024-08-更正.xlsx"),
        form(
            "示例县人民医院",
            "2024-08",
            "2024-09-06",
            &[("门急诊人次", json!(45900)), ("出院人数", json!(1250))],
        ),
    )
    .unwrap();
    assert_eq!(ws.ingest(&["again"]).0, 0);

    let key =
        |f: &Value| ["rule", "period", "item", "file", "cell", "value"].map(|k| f[k].to_string());
    let (code, all) = check(&ws, &[]);
    assert_eq!(code, 5, "{all:#}");
    let found: Vec<[String; 6]> = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    // By hand: what each month holds.
    let mut rules: Vec<(String, String)> = found
        .iter()
        .map(|k| (k[0].trim_matches('"').into(), k[1].trim_matches('"').into()))
        .collect();
    rules.sort();
    let want: Vec<(String, String)> = [
        ("correction", "2024-08"),
        ("history_outlier", "2024-09"),
        ("history_outlier", "2025-02"),
        ("item_missing", "2024-09"),
        ("late_submission", "2024-10"),
        ("missing_submission", "2024-05"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(rules, want, "{all:#}");

    // The same findings and matrix, month by month.
    let (mut one_by_one, mut cells) = (Vec::new(), Vec::new());
    for i in 0..14 {
        let p = format!("{}-{:02}", 2024 + i / 12, i % 12 + 1);
        let (_, v) = check(&ws, &["--period", &p]);
        one_by_one.extend(v["findings"].as_array().unwrap().iter().map(key));
        cells.extend(v["completeness"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(found, one_by_one);
    assert_eq!(all["completeness"].as_array().unwrap(), &cells);
}

/// A file of a whole year (months as columns) is one submission of months in two parts: the
/// check reads the months in one part, and finds what the months checked one by one find.
#[test]
fn a_file_of_a_year_is_checked_whole_as_each_month_alone() {
    let ws = Workspace::new();
    let file = "annual_full.xlsx";
    ws.put(
        file,
        &std::fs::read(fixtures().join("layouts").join(file)).unwrap(),
    );
    assert_eq!(ws.ingest(&["inbox"]).0, 0);
    let key = |f: &Value| ["rule", "member", "period", "item", "cell"].map(|k| f[k].to_string());
    let (_, all) = check(&ws, &[]);
    let periods: Vec<String> = (1..=12).map(|m| format!("2024-{m:02}")).collect();
    assert_eq!(all["periods"], json!(periods));
    // Every month of the year is dasha's, from the one file.
    let dasha: Vec<&Value> = all["completeness"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["member"] == "dasha")
        .collect();
    assert_eq!(dasha.len(), 12);
    assert!(dasha.iter().all(|c| c["file"] == file), "{dasha:#?}");
    let (mut one_by_one, mut cells) = (Vec::new(), Vec::new());
    for p in &periods {
        let (_, v) = check(&ws, &["--period", p]);
        one_by_one.extend(v["findings"].as_array().unwrap().iter().map(key));
        cells.extend(v["completeness"].as_array().unwrap().iter().cloned());
    }
    // The same, listed member by member where the months alone list them month by month.
    let mut found: Vec<[String; 5]> = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    found.sort();
    one_by_one.sort();
    assert_eq!(found, one_by_one);
    let order = |c: &Value| (c["member"].to_string(), c["period"].to_string());
    let mut whole: Vec<Value> = all["completeness"].as_array().unwrap().clone();
    whole.sort_by_key(order);
    cells.sort_by_key(order);
    assert_eq!(whole, cells);
}

/// A month asked for outside the stored months is named with the months the store holds;
/// a month whose form filled only the 去年同月 column is stored (not outside), though it
/// holds no figure of the month.
#[test]
fn a_month_outside_the_store_is_named_a_month_without_figures_is_not() {
    let ws = workspace(ONE_MEMBER);
    ws.put(
        "03.xlsx",
        &form("示例县人民医院", "2024-03", "2024-04-05", &healthy()),
    );
    let mut rows = vec![
        json!(["医联体成员单位医疗业务月报表"]),
        json!(["填报单位：示例县人民医院", null, "统计期间：2024-04"]),
        json!(["指标名称", "单位", "本月", "去年同月"]),
    ];
    for (label, v) in healthy() {
        rows.push(json!([label, "", null, v]));
    }
    rows.push(json!(["填报日期：2024-05-05"]));
    ws.put(
        "04.xlsx",
        &xlsx(&json!({"sheets": [{"name": "月报表", "merges": [], "rows": rows}]})),
    );
    let (code, v) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0, "{v:#}");
    let notes = |v: &Value| -> Vec<String> {
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    let outside = |v: &Value| notes(v).iter().any(|n| n.contains("nothing to check"));
    for inside in ["2024-03", "2024-04"] {
        let (_, v) = check(&ws, &["--period", inside]);
        assert!(!outside(&v), "{inside}: {v:#}");
    }
    for p in ["2024-06", "2024-02"] {
        let (_, v) = check(&ws, &["--period", p]);
        let said = format!("the store holds 2024-03 to 2024-04; nothing to check for {p}");
        assert!(notes(&v).contains(&said), "{v:#}");
    }
}
