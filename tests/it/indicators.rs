//! Indicator rules of domain.md, each checked against figures computed by hand.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const CONSORTIUM: &str = r#"
name = "规则医联体"
[[members]]
id = "a"
name = "甲县人民医院"
tier = "secondary"
joined = "2019-01"

[[members]]
id = "b"
name = "乙镇卫生院"
tier = "primary"
joined = "2019-01"

[[members]]
id = "c"
name = "丙镇卫生院"
tier = "primary"
joined = "2025-07"

[[members]]
id = "v"
name = "丁村卫生室"
tier = "village"
joined = "2019-01"

[[members]]
id = "m"
name = "戊县妇幼保健院"
tiers = { "2019-01" = "primary", "2025-01" = "secondary" }
joined = "2019-01"

[[indicators]]
code = "grade34_per_100_discharges"
name = "每百出院三四级手术"
unit = "台次"
expr = "(surgeries_grade3 + surgeries_grade4) / discharges * 100"
direction = "higher"
"#;

pub(crate) struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    /// rows: (member name, YYYY-MM, item, value)
    fn new(rows: &[(&str, &str, &str, f64)]) -> Case {
        Case::with_config(CONSORTIUM, rows)
    }
    pub(crate) fn with_config(config: &str, rows: &[(&str, &str, &str, f64)]) -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("consortium.toml"), config).unwrap();
        let mut csv = String::from("单位名称,月份,指标,数值\n");
        for (m, p, i, v) in rows {
            csv.push_str(&format!("{m},{p},{i},{v}\n"));
        }
        std::fs::create_dir(dir.path().join("inbox")).unwrap();
        std::fs::write(dir.path().join("inbox/data.csv"), csv).unwrap();
        let c = Case { dir };
        let out = c.cmd().args(["ingest", "inbox"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        c
    }
    pub(crate) fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("yilian").unwrap();
        c.current_dir(self.dir.path()).env("NO_COLOR", "1");
        c
    }
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
    pub(crate) fn records(&self, args: &[&str]) -> Vec<Value> {
        let out = self
            .cmd()
            .arg("indicators")
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }
    pub(crate) fn get(&self, args: &[&str], entity: &str, indicator: &str) -> Value {
        self.records(args)
            .into_iter()
            .find(|r| r["entity"] == entity && r["indicator"] == indicator)
            .unwrap_or_else(|| panic!("no record {entity} {indicator}"))
    }
}

pub(crate) fn f(v: &Value, field: &str) -> Option<f64> {
    v[field].as_f64()
}

pub(crate) fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6)
}

#[test]
fn ratio_of_sums_not_mean_of_ratios() {
    let c = Case::new(&[
        ("甲县人民医院", "2025-03", "实际占用总床日数", 900.0),
        ("甲县人民医院", "2025-03", "实际开放总床日数", 1000.0),
        ("乙镇卫生院", "2025-03", "实际占用总床日数", 100.0),
        ("乙镇卫生院", "2025-03", "实际开放总床日数", 400.0),
    ]);
    let r = c.get(&["--period", "2025-03"], "consortium", "bed_occupancy");
    // (900 + 100) / (1000 + 400) × 100, not (90% + 25%) / 2 = 57.5%.
    assert!(close(f(&r, "value"), 1000.0 / 1400.0 * 100.0), "{r}");
    assert_eq!(r["covered"], 2);
    assert!(close(
        f(
            &c.get(&["--period", "2025-03"], "b", "bed_occupancy"),
            "value"
        ),
        25.0
    ));
}

#[test]
fn averaged_beds_with_a_bed_change_mid_window() {
    let c = Case::new(&[
        ("甲县人民医院", "2025-01", "实际开放床位数", 100.0),
        ("甲县人民医院", "2025-02", "实际开放床位数", 100.0),
        ("甲县人民医院", "2025-03", "实际开放床位数", 130.0),
        ("甲县人民医院", "2025-01", "实际开放总床日数", 3100.0),
        ("甲县人民医院", "2025-02", "实际开放总床日数", 2800.0),
        ("甲县人民医院", "2025-03", "实际开放总床日数", 4030.0),
        ("甲县人民医院", "2025-01", "出院人数", 300.0),
        ("甲县人民医院", "2025-02", "出院人数", 280.0),
        ("甲县人民医院", "2025-03", "出院人数", 390.0),
    ]);
    let q = ["--period", "2025-03", "--window", "quarter"];
    // Open beds average over months: (100 + 100 + 130) / 3.
    assert!(close(f(&c.get(&q, "a", "open_beds"), "value"), 110.0));
    // Average open beds from bed-days over calendar days: 9930 / 90.
    assert!(close(
        f(&c.get(&q, "a", "avg_open_beds"), "value"),
        9930.0 / 90.0
    ));
    // Turnover: 970 discharges / (9930 / 90).
    assert!(close(
        f(&c.get(&q, "a", "bed_turnover"), "value"),
        970.0 / (9930.0 / 90.0)
    ));
}

#[test]
fn bed_turnover_over_february_of_a_leap_year() {
    let c = Case::new(&[
        ("甲县人民医院", "2024-02", "实际开放总床日数", 2900.0),
        ("甲县人民医院", "2024-02", "出院人数", 290.0),
    ]);
    // 29 days: 2900 / 29 = 100 beds, 290 / 100 = 2.9 (28 days would give 2.8).
    let r = c.get(&["--period", "2024-02"], "a", "bed_turnover");
    assert!(close(f(&r, "value"), 2.9), "{r}");
    assert!(close(
        f(
            &c.get(&["--period", "2024-02"], "a", "avg_open_beds"),
            "value"
        ),
        100.0
    ));
}

#[test]
fn family_doctor_contracts_take_the_last_value() {
    let c = Case::new(&[
        ("乙镇卫生院", "2025-01", "家庭医生签约人数", 1000.0),
        ("乙镇卫生院", "2025-02", "家庭医生签约人数", 1100.0),
        ("乙镇卫生院", "2025-03", "家庭医生签约人数", 1200.0),
    ]);
    let r = c.get(
        &["--period", "2025-03", "--window", "ytd"],
        "b",
        "family_doctor_contracts",
    );
    assert!(close(f(&r, "value"), 1200.0), "{r}");
}

#[test]
fn zero_and_missing_priors_give_empty_changes() {
    let c = Case::new(&[
        ("甲县人民医院", "2024-03", "出院人数", 0.0),
        ("甲县人民医院", "2025-03", "出院人数", 120.0),
        ("甲县人民医院", "2025-04", "出院人数", 130.0),
    ]);
    let r = c.get(&["--period", "2025-03"], "a", "discharges");
    assert_eq!(
        (f(&r, "prior_value"), r["yoy_pct"].clone()),
        (Some(0.0), Value::Null),
        "{r}"
    );
    let r = c.get(&["--period", "2025-04"], "a", "discharges");
    assert_eq!(
        (r["prior_value"].clone(), r["yoy_pct"].clone()),
        (Value::Null, Value::Null),
        "{r}"
    );
    // CSV writes undefined as an empty cell, never 0, inf or NaN.
    let out = c
        .cmd()
        .args([
            "indicators",
            "--period",
            "2025-04",
            "--indicator",
            "discharges",
            "--scope",
            "member",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(
            "period,window,scope,entity,indicator,value,prior_value,yoy_pct,yoy_pp,mom_pct"
        ),
        "{text}"
    );
    let line = text.lines().find(|l| l.contains(",a,discharges,")).unwrap();
    assert!(
        line.starts_with("2025-04,month,member,a,discharges,130,,,,8.333333,"),
        "{line}"
    );
    assert!(!text.contains("NaN") && !text.contains("inf"));
}

#[test]
fn percentage_points_and_percent_for_rates() {
    let c = Case::new(&[
        ("甲县人民医院", "2024-03", "实际占用总床日数", 600.0),
        ("甲县人民医院", "2024-03", "实际开放总床日数", 1000.0),
        ("甲县人民医院", "2025-03", "实际占用总床日数", 630.0),
        ("甲县人民医院", "2025-03", "实际开放总床日数", 1000.0),
    ]);
    let r = c.get(&["--period", "2025-03"], "a", "bed_occupancy");
    // 60% → 63%: +3.0 pp, +5.0%.
    assert!(
        close(f(&r, "yoy_pp"), 3.0) && close(f(&r, "yoy_pct"), 5.0),
        "{r}"
    );
    // Counts have no pp.
    let r = c.get(&["--period", "2025-03"], "a", "occupied_bed_days");
    assert_eq!(r["yoy_pp"], Value::Null);
}

#[test]
fn january_month_on_month_is_against_the_previous_december() {
    let c = Case::new(&[
        ("甲县人民医院", "2024-12", "出院人数", 400.0),
        ("甲县人民医院", "2025-01", "出院人数", 300.0),
    ]);
    assert!(close(
        f(
            &c.get(&["--period", "2025-01"], "a", "discharges"),
            "mom_pct"
        ),
        -25.0
    ));
}

#[test]
fn like_for_like_leaves_out_a_member_that_joined_this_year() {
    // c joined 2025-07; its 2024 figures exist (sent on joining) but it was not a member then.
    let c = Case::new(&[
        ("甲县人民医院", "2024-09", "门急诊人次", 1000.0),
        ("甲县人民医院", "2025-09", "门急诊人次", 1100.0),
        ("乙镇卫生院", "2024-09", "门急诊人次", 200.0),
        ("乙镇卫生院", "2025-09", "门急诊人次", 220.0),
        ("丙镇卫生院", "2024-09", "门急诊人次", 300.0),
        ("丙镇卫生院", "2025-09", "门急诊人次", 360.0),
    ]);
    let all = c.get(&["--period", "2025-09"], "consortium", "outpatient_visits");
    // Membership as it was: 2025-09 has a, b, c (1680); 2024-09 has a, b (1200): +40%.
    assert!(
        close(f(&all, "value"), 1680.0) && close(f(&all, "prior_value"), 1200.0),
        "{all}"
    );
    assert!(close(f(&all, "yoy_pct"), 40.0));
    let lfl = c.get(
        &["--period", "2025-09", "--like-for-like"],
        "consortium",
        "outpatient_visits",
    );
    // Like-for-like: a and b only: 1320 against 1200, +10%.
    assert!(
        close(f(&lfl, "value"), 1320.0) && close(f(&lfl, "prior_value"), 1200.0),
        "{lfl}"
    );
    assert!(close(f(&lfl, "yoy_pct"), 10.0));
    assert_eq!(lfl["covered"], 2);
    // The member itself compares with its own history.
    assert!(close(
        f(
            &c.get(&["--period", "2025-09"], "c", "outpatient_visits"),
            "yoy_pct"
        ),
        20.0
    ));
}

#[test]
fn a_never_reported_item_adds_nothing_but_a_blank_one_is_a_hole() {
    let c = Case::new(&[
        ("甲县人民医院", "2025-03", "住院手术例数", 100.0),
        ("甲县人民医院", "2025-03", "日间手术例数", 10.0),
        ("乙镇卫生院", "2025-03", "住院手术例数", 50.0),
        // a reports remote ECG usually, not this month: a hole, not a zero.
        ("甲县人民医院", "2025-02", "远程心电", 30.0),
        ("甲县人民医院", "2025-02", "远程影像", 40.0),
        ("甲县人民医院", "2025-03", "远程影像", 45.0),
        ("乙镇卫生院", "2025-03", "远程影像", 5.0),
    ]);
    let p = ["--period", "2025-03"];
    // b never does day surgery: its surgeries still count in the denominator (of the share
    // of inpatient surgeries: day_surgery_share is now the 国考 share of elective surgeries).
    let r = c.get(&p, "consortium", "day_surgery_of_surgeries");
    assert!(close(f(&r, "value"), 10.0 / 150.0 * 100.0), "{r}");
    // a's remote_services is undefined (ECG missing); b's is its imaging.
    assert_eq!(c.get(&p, "a", "remote_services")["value"], Value::Null);
    assert!(close(f(&c.get(&p, "b", "remote_services"), "value"), 5.0));
    let r = c.get(&p, "consortium", "remote_services");
    assert!(close(f(&r, "value"), 5.0), "{r}");
    assert_eq!(
        (r["covered"].as_u64(), r["members"].as_u64()),
        (Some(1), Some(2)),
        "the hole shows: {r}"
    );
    // A village clinic without beds has no occupancy, not 0%.
    assert_eq!(c.get(&p, "v", "bed_occupancy")["value"], Value::Null);
}

#[test]
fn tier_follows_the_tier_history() {
    let c = Case::new(&[
        ("戊县妇幼保健院", "2024-06", "出院人数", 50.0),
        ("戊县妇幼保健院", "2025-06", "出院人数", 60.0),
    ]);
    let p = ["--period", "2025-06", "--scope", "tier"];
    assert!(close(
        f(&c.get(&p, "secondary", "discharges"), "value"),
        60.0
    ));
    assert_eq!(
        c.get(&p, "secondary", "discharges")["prior_value"],
        Value::Null
    );
    assert!(close(
        f(&c.get(&p, "primary", "discharges"), "prior_value"),
        50.0
    ));
}

#[test]
fn since_joined_compares_twelve_months_after_with_twelve_before() {
    let mut rows = vec![];
    let months_2024: Vec<String> = (1..=12).map(|m| format!("2024-{m:02}")).collect();
    let months_2025: Vec<String> = (1..=12).map(|m| format!("2025-{m:02}")).collect();
    let config = CONSORTIUM.replace("joined = \"2025-07\"", "joined = \"2025-01\"");
    for p in &months_2024 {
        rows.push(("丙镇卫生院", p.as_str(), "门急诊人次", 100.0));
    }
    for p in &months_2025 {
        rows.push(("丙镇卫生院", p.as_str(), "门急诊人次", 120.0));
    }
    let c = Case::with_config(&config, &rows);
    let recs = c.records(&["--since-joined", "c"]);
    let r = recs
        .iter()
        .find(|r| r["indicator"] == "outpatient_visits")
        .unwrap();
    assert!(
        close(f(r, "value"), 1440.0)
            && close(f(r, "prior_value"), 1200.0)
            && close(f(r, "yoy_pct"), 20.0),
        "{r}"
    );
    assert_eq!(r["window"], "since_joined");
}

#[test]
fn user_formulas_including_division_by_zero() {
    let c = Case::new(&[
        ("甲县人民医院", "2025-03", "三级手术", 30.0),
        ("甲县人民医院", "2025-03", "四级手术", 10.0),
        ("甲县人民医院", "2025-03", "出院人数", 200.0),
        ("乙镇卫生院", "2025-03", "三级手术", 1.0),
        ("乙镇卫生院", "2025-03", "四级手术", 0.0),
        ("乙镇卫生院", "2025-03", "出院人数", 0.0),
    ]);
    let p = ["--period", "2025-03"];
    assert!(close(
        f(&c.get(&p, "a", "grade34_per_100_discharges"), "value"),
        20.0
    ));
    // 1 / 0: undefined, not inf.
    assert_eq!(
        c.get(&p, "b", "grade34_per_100_discharges")["value"],
        Value::Null
    );
    // Consortium: (40 + 1) / 200 × 100.
    assert!(close(
        f(
            &c.get(&p, "consortium", "grade34_per_100_discharges"),
            "value"
        ),
        20.5
    ));
}

#[test]
fn a_typo_in_a_user_formula_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("consortium.toml"),
        CONSORTIUM.replace(
            "surgeries_grade4) / discharges",
            "surgeries_grade4) / dischrges",
        ),
    )
    .unwrap();
    let out = Command::cargo_bin("yilian")
        .unwrap()
        .current_dir(dir.path())
        .args(["indicators", "--period", "2025-03"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown code `dischrges`") && err.contains("did you mean `discharges`"),
        "{err}"
    );
    let bad = CONSORTIUM.replace("expr = \"(surgeries_grade3", "expr = \"((surgeries_grade3");
    std::fs::write(dir.path().join("consortium.toml"), bad).unwrap();
    let out = Command::cargo_bin("yilian")
        .unwrap()
        .current_dir(dir.path())
        .args(["indicators", "--period", "2025-03"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("missing `)`"), "{err}");
}

#[test]
fn member_reported_prior_year_fills_the_gap_and_a_disagreement_warns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("consortium.toml"), CONSORTIUM).unwrap();
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    let form = |p: &str, now: f64, prior: f64| {
        format!("填报单位：甲县人民医院,,统计期间：{p}\n指标名称,本月,去年同月\n出院人数,{now},{prior}\n门急诊人次,5000,4000\n")
    };
    std::fs::write(
        dir.path().join("inbox/a_2025-03.csv"),
        form("2025年3月", 220.0, 200.0),
    )
    .unwrap();
    let c = Case { dir };
    c.cmd().args(["ingest", "inbox"]).assert().success();
    let r = c.get(
        &["--period", "2025-03", "--scope", "member"],
        "a",
        "discharges",
    );
    assert!(
        close(f(&r, "prior_value"), 200.0) && close(f(&r, "yoy_pct"), 10.0),
        "{r}"
    );
    assert_eq!(r["prior_source"], "member");
    // Now the store gets the real 2024-03 form, which says 210: the store wins, with a warning.
    std::fs::write(
        c.path().join("inbox/a_2024-03.csv"),
        form("2024年3月", 210.0, 190.0),
    )
    .unwrap();
    c.cmd().args(["ingest", "inbox"]).assert().success();
    // The month's window, and a window of more months than one read takes (the year: 24
    // months, read in runs as the report's two years are): the 2024-03 figure is in before
    // the 去年同月 column of 2025-03 that speaks of it is set against it.
    for window in ["month", "year"] {
        let out = c
            .cmd()
            .args(["indicators", "--period", "2025-03", "--window", window])
            .args(["--format", "json"])
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("a 2024-03")
                && err.contains("discharges")
                && err.contains("210")
                && err.contains("200")
                // The 去年同月 figure's place: the form a year later, its cell.
                && err.contains("(a_2025-03.csv C3)"),
            "{window}: {err}"
        );
    }
    let r = c.get(
        &["--period", "2025-03", "--scope", "member"],
        "a",
        "discharges",
    );
    assert!(close(f(&r, "prior_value"), 210.0), "{r}");
    assert_eq!(r["prior_source"], "store");
}

#[test]
fn xlsx_output_is_readable_by_a_real_reader() {
    use calamine::{Reader, Xlsx};
    let c = Case::new(&[
        ("甲县人民医院", "2024-03", "出院人数", 100.0),
        ("甲县人民医院", "2025-03", "出院人数", 120.0),
    ]);
    let path = c.path().join("out.xlsx");
    c.cmd()
        .args([
            "indicators",
            "--period",
            "2025-03",
            "--indicator",
            "discharges",
            "--format",
            "xlsx",
            "-o",
        ])
        .arg(&path)
        .assert()
        .success();
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = wb.worksheet_range("指标").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[0][0], "期间");
    let a = rows.iter().find(|r| r[3] == "甲县人民医院").unwrap();
    assert_eq!(
        (a[6].as_str(), a[7].as_str(), a[8].as_str()),
        ("120", "100", "20"),
        "{a:?}"
    );
}

#[test]
fn periods_typed_as_users_write_them() {
    let c = Case::new(&[
        ("甲县人民医院", "2025-02", "出院人数", 100.0),
        ("甲县人民医院", "2025-03", "出院人数", 120.0),
    ]);
    for p in [
        "2025-03",
        "2025-3",
        "2025年3月",
        "202503",
        "2025/03",
        "2025.03",
    ] {
        let r = c.get(&["--period", p], "a", "discharges");
        assert_eq!(
            (f(&r, "value"), f(&r, "mom_pct")),
            (Some(120.0), Some(20.0)),
            "{p}: {r}"
        );
    }
    let out = c
        .cmd()
        .args(["indicators", "--period", "2025年13月"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`2025年13月` is not a month"), "{err}");
}

#[test]
fn indicators_and_members_by_name_with_suggestions() {
    let c = Case::new(&[
        ("甲县人民医院", "2024-03", "出院人数", 100.0),
        ("甲县人民医院", "2025-03", "出院人数", 120.0),
    ]);
    // 出院人次 is the catalog's Chinese name of `discharges`, 出院人数 an alias.
    for name in ["discharges", "出院人次", "出院人数", "Discharges"] {
        let recs = c.records(&[
            "--period",
            "2025-03",
            "--indicator",
            name,
            "--scope",
            "member",
        ]);
        let ours: Vec<_> = recs.iter().filter(|r| r["entity"] == "a").collect();
        assert_eq!(ours.len(), 1, "{name}: {recs:?}");
        assert_eq!(ours[0]["indicator"], "discharges");
        assert_eq!(f(ours[0], "yoy_pct"), Some(20.0), "{name}");
    }
    let out = c
        .cmd()
        .args([
            "indicators",
            "--period",
            "2025-03",
            "--indicator",
            "dischargs",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown indicator `dischargs`; did you mean `discharges`?"),
        "{err}"
    );
    let out = c
        .cmd()
        .args(["history", "--member", "甲县人民医"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown member `甲县人民医`; did you mean 甲县人民医院 (a)?"),
        "{err}"
    );
}

#[test]
fn a_month_the_store_has_no_figures_for_is_an_error_naming_what_it_holds() {
    let c = Case::new(&[
        ("甲县人民医院", "2025-01", "出院人数", 100.0),
        ("甲县人民医院", "2025-02", "出院人数", 110.0),
        ("甲县人民医院", "2025-04", "出院人数", 120.0),
    ]);
    for (period, cmd) in [
        ("2026-03", "indicators"),
        ("2025-03", "indicators"),
        ("2024-12", "report"),
    ] {
        let mut args = vec![cmd, "--period", period];
        if cmd == "report" {
            args.extend(["--out", "out"]);
        }
        let out = c.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{cmd} {period}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "no member has figures for {period} in the store; it holds 2025-01 to 2025-02, 2025-04 (3 months)"
            )),
            "{err}"
        );
    }
    assert!(!c.path().join("out/index.html").exists());
}

/// A month most members have not sent is a banner on the report's first screen, and the
/// membership changes inside the compared windows are said under the tier table. Members
/// due in 2025-03: a, b, v, m (c joins 2025-07); only a sent → 1 of 4.
#[test]
fn report_says_a_thin_month_and_the_membership_changes() {
    let c = Case::new(&[
        ("甲县人民医院", "2025-02", "出院人数", 100.0),
        ("乙镇卫生院", "2025-02", "出院人数", 10.0),
        ("丁村卫生室", "2025-02", "出院人数", 1.0),
        ("戊县妇幼保健院", "2025-02", "出院人数", 20.0),
        ("甲县人民医院", "2025-03", "出院人数", 120.0),
    ]);
    let out = c
        .cmd()
        .args(["report", "--period", "2025-03", "--out", "out"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(c.path().join("out/summary.md")).unwrap();
    let first = md.lines().take(4).collect::<Vec<_>>().join("\n");
    assert!(
        first.contains("2025年3月应报送的 4 家成员单位中仅 1 家已报送"),
        "{first}"
    );
    // 戊县妇幼保健院 moved tier in 2025-01, inside 2024-01..2025-03; 丙镇 joins later.
    assert!(
        md.contains("成员变动（影响层级及医联体合计的可比性）：戊县妇幼保健院 2025-01 起由基层医疗卫生机构调整为二级医院。"),
        "{md}"
    );
    let html = std::fs::read_to_string(c.path().join("out/index.html")).unwrap();
    assert!(
        html.contains("<div class=\"banner\">注意："),
        "banner missing"
    );
    // The month all four sent has no banner.
    let out = c
        .cmd()
        .args(["report", "--period", "2025-02", "--out", "out2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let md = std::fs::read_to_string(c.path().join("out2/summary.md")).unwrap();
    assert!(!md.contains("已报送，以下合计数"), "{md}");
}

#[test]
fn a_quarter_as_the_period_is_the_quarter_window_up_to_its_last_month_stored() {
    let c = Case::new(&[
        ("甲县人民医院", "2024-10", "出院人数", 90.0),
        ("甲县人民医院", "2024-11", "出院人数", 100.0),
        ("甲县人民医院", "2024-12", "出院人数", 110.0),
        ("甲县人民医院", "2025-10", "出院人数", 120.0),
        ("甲县人民医院", "2025-11", "出院人数", 130.0),
    ]);
    // December 2025 is not in yet: 2025Q4 is October and November, against the same two
    // months of 2024: 120 + 130 = 250 against 90 + 100 = 190.
    for p in ["2025Q4", "2025年第四季度", "2025-Q4", "2025年4季度"] {
        let r = c.get(&["--period", p], "a", "discharges");
        assert_eq!(
            (&r["window"], &r["period"]),
            (&"quarter".into(), &"2025-11".into()),
            "{p}: {r}"
        );
        assert!(close(f(&r, "value"), 250.0), "{p}: {r}");
        assert!(close(f(&r, "prior_value"), 190.0), "{p}: {r}");
        assert!(
            close(f(&r, "yoy_pct"), (250.0 / 190.0 - 1.0) * 100.0),
            "{p}: {r}"
        );
    }
    // A whole quarter: 90 + 100 + 110.
    let r = c.get(
        &["--period", "2024Q4", "--window", "quarter"],
        "a",
        "discharges",
    );
    assert_eq!(r["period"], "2024-12");
    assert!(close(f(&r, "value"), 300.0), "{r}");
    // Another window with a quarter is refused, saying what goes together.
    let out = c
        .cmd()
        .args(["indicators", "--period", "2025Q4", "--window", "ytd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--period 2025Q4 is a quarter: it goes with --window quarter"),
        "{err}"
    );
    // Commands that take a month say so.
    let out = c
        .cmd()
        .args(["check", "--period", "2025Q4"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`2025Q4` is a quarter, and this command takes a month"),
        "{err}"
    );
}

/// The report's 运行月报 sections from a small fixture: 分级诊疗 and 资源下沉 member tables,
/// 托管前后对比 for a member in its second year, 环比 beside 同比, the colophon, and a workbook
/// that prints on A4 with its windows in words.
#[test]
fn report_has_referrals_resources_before_after_joining_and_a_colophon() {
    let config = CONSORTIUM.replace(
        "id = \"c\"\nname = \"丙镇卫生院\"\ntier = \"primary\"\njoined = \"2025-07\"",
        "id = \"c\"\nname = \"丙镇卫生院\"\ntier = \"primary\"\njoined = \"2024-07\"",
    ) + "\n[report]\ncompiled_by = \"规则县卫健局医联体办公室\"\n";
    assert!(config.contains("joined = \"2024-07\""));
    // 甲县人民医院 sends every month of 2025: one referral up and two down a month, then 4 and
    // 10 in December; 200 discharges a month, 220 in December; 6 expert sessions in December.
    let mut rows: Vec<(String, String, &str, f64)> = Vec::new();
    for m in 1..=12 {
        let p = format!("2025-{m:02}");
        let dec = m == 12;
        rows.push((
            "甲县人民医院".into(),
            p.clone(),
            "上转人次",
            if dec { 4.0 } else { 1.0 },
        ));
        rows.push((
            "甲县人民医院".into(),
            p.clone(),
            "下转人次",
            if dec { 10.0 } else { 2.0 },
        ));
        rows.push((
            "甲县人民医院".into(),
            p.clone(),
            "出院人数",
            if dec { 220.0 } else { 200.0 },
        ));
        rows.push((
            "甲县人民医院".into(),
            p,
            "下沉专家坐诊人次",
            if dec { 6.0 } else { 0.0 },
        ));
    }
    // 丙镇卫生院 joined 2024-07: 10 discharges a month in the twelve months before joining,
    // 15 a month in its first twelve member months.
    for i in 0..12 {
        let before = format!("{}-{:02}", 2023 + (6 + i) / 12, (6 + i) % 12 + 1);
        let after = format!("{}-{:02}", 2024 + (6 + i) / 12, (6 + i) % 12 + 1);
        rows.push(("丙镇卫生院".into(), before, "出院人数", 10.0));
        rows.push(("丙镇卫生院".into(), after, "出院人数", 15.0));
    }
    let rows: Vec<(&str, &str, &str, f64)> = rows
        .iter()
        .map(|(m, p, i, v)| (m.as_str(), p.as_str(), *i, *v))
        .collect();
    let c = Case::with_config(&config, &rows);
    let out = c
        .cmd()
        .args(["report", "--period", "2025-12", "--out", "out"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(c.path().join("out/summary.md")).unwrap();
    // Month: up 4, down 10, 下转占比 10 / (4 + 10) = 71.43%; 1-12月: up 11 + 4 = 15, down
    // 22 + 10 = 32, 32 / 47 = 68.09%; no 2024 figures, so no 累计同比.
    assert!(md.contains("## 分级诊疗（双向转诊）"), "{md}");
    for who in ["甲县人民医院", "医联体合计"] {
        let row = format!("| {who} | 4 | 15 | — | 10 | 32 | — | 71.43% | 68.09% | — |");
        assert!(md.contains(&row), "{row}\n{md}");
    }
    // 资源下沉: only the item reported has figures (0 in eleven months, 6 in December).
    assert!(md.contains("## 资源下沉"), "{md}");
    assert!(
        md.contains("| 甲县人民医院 | 6 | 6 | — | — | — | — | — | — | — |"),
        "{md}"
    );
    // 托管前后对比: 15 × 12 = 180 after joining against 10 × 12 = 120 before, +50%.
    assert!(
        md.contains("| 丙镇卫生院（2024年7月） | 出院人次（人次） | 180 | 120 | +50.00% |"),
        "{md}"
    );
    // 环比 beside 同比: the consortium's December discharges 220 against November's 200 (丙镇
    // sent nothing after 2025-06), on the members with both months though none has 2024
    // figures: +10.00%.
    assert!(
        md.contains("| 出院人次（人次） | 220 | — | +10.00% |"),
        "{md}"
    );
    assert!(md.contains("编制单位：规则县卫健局医联体办公室"), "{md}");
    assert!(md.contains("数据截至："), "{md}");
    assert!(
        md.contains(&format!("yilian {}", env!("CARGO_PKG_VERSION"))),
        "{md}"
    );
    let html = std::fs::read_to_string(c.path().join("out/index.html")).unwrap();
    assert!(html.contains("<h2>分级诊疗（双向转诊）</h2>"));
    assert!(html.contains("<h2>托管前后对比</h2>"));
    assert!(html.contains("环比 +10.00%"), "card without 环比");
    assert!(html.contains("编制单位：规则县卫健局医联体办公室"));
    // The workbook: windows in words on the data sheet; every sheet on A4 across, one page
    // wide, the colophon in the footer.
    let path = c.path().join("out/report.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let data = calamine::Reader::worksheet_range(&mut wb, "数据").unwrap();
    let windows: std::collections::BTreeSet<String> =
        data.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert_eq!(
        windows.into_iter().collect::<Vec<_>>(),
        ["1-12月", "2025年12月"]
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    for i in 1..=4 {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(xml.contains("paperSize=\"9\""), "sheet{i}: {xml}");
        assert!(xml.contains("orientation=\"landscape\""), "sheet{i}");
        assert!(xml.contains("fitToHeight=\"0\""), "sheet{i}");
        assert!(
            xml.contains("编制单位：规则县卫健局医联体办公室"),
            "sheet{i}"
        );
    }
}

/// `[report] min_prior`: a member's change enters 增幅居前 only over a prior at least that large.
#[test]
fn the_smallest_prior_for_a_highlight_is_configurable() {
    // January (the year to date) discharges: 甲 1000 → 1100 (+10.0%), 乙 10 → 30 (+200.0%).
    let rows = [
        ("甲县人民医院", "2024-01", "出院人数", 1000.0),
        ("乙镇卫生院", "2024-01", "出院人数", 10.0),
        ("甲县人民医院", "2025-01", "出院人数", 1100.0),
        ("乙镇卫生院", "2025-01", "出院人数", 30.0),
    ];
    let leaders = |config: &str| {
        let c = Case::with_config(config, &rows);
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
        md.lines()
            .find(|l| l.starts_with("- 增幅居前："))
            .unwrap_or_else(|| panic!("no 增幅居前 in\n{md}"))
            .to_string()
    };
    // Default 50: 乙's prior of 10 is too small to headline.
    assert_eq!(
        leaders(CONSORTIUM),
        "- 增幅居前：甲县人民医院出院人次 +10.0%"
    );
    // 5: it leads.
    let low = format!("{CONSORTIUM}\n[report]\nmin_prior = 5\n");
    assert_eq!(
        leaders(&low),
        "- 增幅居前：乙镇卫生院出院人次 +200.0%；甲县人民医院出院人次 +10.0%"
    );
}

/// Which items a member ever reports comes from the whole store, read in runs of months: b
/// sent 日间手术例数 once, in the first of fourteen stored months, so its blank in 2025-03 is a
/// hole (b is left out), not a service b does not provide (b's surgeries would count).
#[test]
fn an_item_sent_only_in_the_earliest_month_still_counts_as_reported() {
    let mut rows: Vec<(&str, &str, &str, f64)> = Vec::new();
    let months = [
        "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08",
        "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03",
    ];
    for m in months {
        rows.push(("甲县人民医院", m, "住院手术例数", 100.0));
        rows.push(("甲县人民医院", m, "日间手术例数", 10.0));
        rows.push(("乙镇卫生院", m, "住院手术例数", 50.0));
    }
    rows.push(("乙镇卫生院", "2024-01", "日间手术例数", 5.0));
    let c = Case::new(&rows);
    let r = c.get(
        &["--period", "2025-03"],
        "consortium",
        "day_surgery_of_surgeries",
    );
    // a alone: 10 / 100, covering 1 of the 2 members that do surgery.
    assert!(close(f(&r, "value"), 10.0), "{r}");
    assert_eq!(
        (r["covered"].as_u64(), r["members"].as_u64()),
        (Some(1), Some(2))
    );
}
