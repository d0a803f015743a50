//! The bureau view on a fixture of three small consortia: 共享中医院 belongs to A and B (the
//! same figures in both stores), 迁移镇卫生院 moves from B (left 2025-02) to C (joined
//! 2025-03). Every expected figure is computed by hand from the rows below.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const A: &str = r#"
name = "甲县医共体"
[[members]]
id = "a1"
name = "甲县人民医院"
tier = "secondary"
joined = "2019-01"
[[members]]
id = "a2"
name = "共享中医院"
tier = "secondary"
joined = "2019-01"
[[members]]
id = "a3"
name = "甲镇卫生院"
tier = "primary"
joined = "2019-01"
[[members]]
id = "a4"
name = "甲村卫生室"
tier = "village"
joined = "2019-01"
"#;

const B: &str = r#"
name = "乙专科联盟"
[[members]]
id = "b1"
name = "乙市人民医院"
tier = "tertiary"
joined = "2019-01"
[[members]]
id = "b2"
name = "共享中医院"
tier = "secondary"
joined = "2019-01"
[[members]]
id = "b3"
name = "迁移镇卫生院"
tier = "primary"
joined = "2019-01"
left = "2025-02"
"#;

const C: &str = r#"
name = "丙医疗集团"
deadline_day = 10
[check]
late_from_ingested_at = true
[[members]]
id = "c1"
name = "丙区医院"
tier = "secondary"
joined = "2019-01"
[[members]]
id = "c2"
name = "迁移镇卫生院"
tier = "primary"
joined = "2025-03"
[[members]]
id = "c3"
name = "丙社区中心"
tier = "primary"
joined = "2019-01"
"#;

const OCC: &str = "实际占用总床日数";
const OPEN: &str = "实际开放总床日数";
const DIS: &str = "出院人次";
const SURG: &str = "住院手术例数";
const G3: &str = "三级手术例数";
const G4: &str = "四级手术例数";
const DBD: &str = "出院者占用总床日数";

type Row = (&'static str, &'static str, &'static str, f64);

fn a_rows() -> Vec<Row> {
    vec![
        ("甲县人民医院", "2025-03", OCC, 800.0),
        ("甲县人民医院", "2025-03", OPEN, 1000.0),
        ("甲县人民医院", "2025-03", DIS, 100.0),
        ("甲县人民医院", "2025-03", DBD, 500.0),
        ("甲县人民医院", "2025-03", SURG, 50.0),
        ("甲县人民医院", "2025-03", G3, 10.0),
        ("甲县人民医院", "2025-03", G4, 5.0),
        ("甲县人民医院", "2024-03", OCC, 700.0),
        ("甲县人民医院", "2024-03", OPEN, 1000.0),
        ("甲县人民医院", "2024-03", DIS, 90.0),
        ("共享中医院", "2025-03", OCC, 450.0),
        ("共享中医院", "2025-03", OPEN, 500.0),
        ("共享中医院", "2025-03", DIS, 60.0),
        ("共享中医院", "2025-03", DBD, 300.0),
        ("共享中医院", "2024-03", OCC, 400.0),
        ("共享中医院", "2024-03", OPEN, 500.0),
        ("共享中医院", "2024-03", DIS, 50.0),
        ("甲镇卫生院", "2025-03", OCC, 100.0),
        ("甲镇卫生院", "2025-03", OPEN, 200.0),
        ("甲镇卫生院", "2025-03", DIS, 20.0),
        ("甲镇卫生院", "2025-03", DBD, 100.0),
        ("甲镇卫生院", "2024-03", OCC, 100.0),
        ("甲镇卫生院", "2024-03", OPEN, 200.0),
        ("甲镇卫生院", "2024-03", DIS, 20.0),
        // 甲村卫生室 sent 2024-03 only: missing in 2025-03.
        ("甲村卫生室", "2024-03", DIS, 5.0),
    ]
}

fn b_rows() -> Vec<Row> {
    vec![
        ("乙市人民医院", "2025-03", OCC, 2700.0),
        ("乙市人民医院", "2025-03", OPEN, 3000.0),
        ("乙市人民医院", "2025-03", DIS, 300.0),
        ("乙市人民医院", "2025-03", DBD, 2400.0),
        ("乙市人民医院", "2025-03", SURG, 100.0),
        ("乙市人民医院", "2025-03", G3, 20.0),
        ("乙市人民医院", "2025-03", G4, 10.0),
        ("乙市人民医院", "2024-03", OCC, 2400.0),
        ("乙市人民医院", "2024-03", OPEN, 3000.0),
        ("乙市人民医院", "2024-03", DIS, 280.0),
        // The same hospital, the same figures, sent to its second consortium.
        ("共享中医院", "2025-03", OCC, 450.0),
        ("共享中医院", "2025-03", OPEN, 500.0),
        ("共享中医院", "2025-03", DIS, 60.0),
        ("共享中医院", "2025-03", DBD, 300.0),
        ("共享中医院", "2024-03", OCC, 400.0),
        ("共享中医院", "2024-03", OPEN, 500.0),
        ("共享中医院", "2024-03", DIS, 50.0),
        // Before it moved to C.
        ("迁移镇卫生院", "2024-03", OCC, 80.0),
        ("迁移镇卫生院", "2024-03", OPEN, 100.0),
        ("迁移镇卫生院", "2024-03", DIS, 8.0),
    ]
}

fn c_rows() -> Vec<Row> {
    vec![
        ("丙区医院", "2025-03", OCC, 1200.0),
        ("丙区医院", "2025-03", OPEN, 1500.0),
        ("丙区医院", "2025-03", DIS, 150.0),
        ("丙区医院", "2025-03", DBD, 1050.0),
        ("丙区医院", "2024-03", OCC, 1100.0),
        ("丙区医院", "2024-03", OPEN, 1500.0),
        ("丙区医院", "2024-03", DIS, 140.0),
        ("迁移镇卫生院", "2025-03", OCC, 90.0),
        ("迁移镇卫生院", "2025-03", OPEN, 100.0),
        ("迁移镇卫生院", "2025-03", DIS, 10.0),
        ("迁移镇卫生院", "2025-03", DBD, 50.0),
        // Discharges only, and nothing a year earlier.
        ("丙社区中心", "2025-03", DIS, 40.0),
        ("丙社区中心", "2025-03", DBD, 200.0),
    ]
}

/// January and February: every hospital sends both months of 2025 (discharges, bed days)
/// and its discharges of 2024, except 甲村卫生室 (nothing; still missing) and 丙社区中心
/// (nothing in 2024); 迁移镇卫生院 sends them to B, whose member it was until February.
fn a_q1() -> Vec<Row> {
    let mut v = Vec::new();
    for (m, d25, d24, occ, open) in [
        (
            "甲县人民医院",
            [180.0, 170.0],
            [75.0, 65.0],
            [700.0, 600.0],
            [1000.0, 900.0],
        ),
        (
            "共享中医院",
            [40.0, 45.0],
            [30.0, 35.0],
            [300.0, 350.0],
            [500.0, 450.0],
        ),
        (
            "甲镇卫生院",
            [15.0, 18.0],
            [12.0, 14.0],
            [100.0, 90.0],
            [200.0, 180.0],
        ),
    ] {
        q1(&mut v, m, d25, d24, occ, open);
    }
    v
}

fn b_q1() -> Vec<Row> {
    let mut v = Vec::new();
    for (m, d25, d24, occ, open) in [
        (
            "乙市人民医院",
            [250.0, 260.0],
            [240.0, 230.0],
            [2500.0, 2600.0],
            [3000.0, 2800.0],
        ),
        // The same figures as in A's store.
        (
            "共享中医院",
            [40.0, 45.0],
            [30.0, 35.0],
            [300.0, 350.0],
            [500.0, 450.0],
        ),
        (
            "迁移镇卫生院",
            [9.0, 7.0],
            [6.0, 5.0],
            [70.0, 60.0],
            [100.0, 100.0],
        ),
    ] {
        q1(&mut v, m, d25, d24, occ, open);
    }
    v
}

fn c_q1() -> Vec<Row> {
    let mut v = Vec::new();
    q1(
        &mut v,
        "丙区医院",
        [110.0, 120.0],
        [100.0, 105.0],
        [1000.0, 1100.0],
        [1500.0, 1400.0],
    );
    v.push(("丙社区中心", "2025-01", DIS, 30.0));
    v.push(("丙社区中心", "2025-02", DIS, 35.0));
    v
}

/// One hospital's January and February: discharges of 2025 and 2024, bed days of 2025.
fn q1(
    v: &mut Vec<Row>,
    m: &'static str,
    d25: [f64; 2],
    d24: [f64; 2],
    occ: [f64; 2],
    open: [f64; 2],
) {
    for (i, (p25, p24)) in [("2025-01", "2024-01"), ("2025-02", "2024-02")]
        .into_iter()
        .enumerate()
    {
        v.push((m, p25, DIS, d25[i]));
        v.push((m, p24, DIS, d24[i]));
        v.push((m, p25, OCC, occ[i]));
        v.push((m, p25, OPEN, open[i]));
    }
}

struct Fixture {
    dir: tempfile::TempDir,
}

fn write_consortium(root: &Path, id: &str, toml: &str, rows: &[Row]) {
    let dir = root.join(id);
    std::fs::create_dir_all(dir.join("inbox")).unwrap();
    std::fs::write(dir.join("consortium.toml"), toml).unwrap();
    let mut csv = String::from("单位名称,月份,指标,数值\n");
    for (m, p, i, v) in rows {
        csv.push_str(&format!("{m},{p},{i},{v}\n"));
    }
    std::fs::write(dir.join("inbox/data.csv"), csv).unwrap();
}

impl Fixture {
    fn with(b_toml: &str, bureau_extra: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        write_consortium(&root, "a", A, &a_rows());
        write_consortium(&root, "b", b_toml, &b_rows());
        write_consortium(&root, "c", C, &c_rows());
        std::fs::write(
            root.join("bureau.toml"),
            format!(
                "name = \"示例区\"\n[[consortia]]\nid = \"a\"\nconfig = \"a\"\n\
                 [[consortia]]\nid = \"b\"\nconfig = \"b/consortium.toml\"\n\
                 [[consortia]]\nid = \"c\"\nconfig = \"c\"\n\
                 [targets.bed_occupancy]\nmin = 80.0\n{bureau_extra}"
            ),
        )
        .unwrap();
        let f = Fixture { dir };
        for id in ["a", "b", "c"] {
            let out = f
                .cmd()
                .args(["ingest", "--config"])
                .arg(root.join(id).join("consortium.toml"))
                .arg(root.join(id).join("inbox"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        f
    }
    fn new() -> Fixture {
        Fixture::with(B, "")
    }
    /// The fixture with January and February (2024 and 2025) too: the first quarter.
    fn quarter() -> Fixture {
        let f = Fixture::new();
        for (id, rows) in [("a", a_q1()), ("b", b_q1()), ("c", c_q1())] {
            f.ingest_more(id, &rows);
        }
        f
    }
    /// Runs yilian with `args` in the fixture's folder; it must succeed.
    fn ok(&self, args: &[&str]) {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    fn ingest_more(&self, id: &str, rows: &[Row]) {
        let dir = self.dir.path().join(id);
        let mut csv = String::from("单位名称,月份,指标,数值\n");
        for (m, p, i, v) in rows {
            csv.push_str(&format!("{m},{p},{i},{v}\n"));
        }
        std::fs::write(dir.join("inbox/q1.csv"), csv).unwrap();
        let config = format!("{id}/consortium.toml");
        self.ok(&["ingest", "--config", &config, &format!("{id}/inbox/q1.csv")]);
    }
    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("yilian").unwrap();
        c.current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env("YILIAN_LANG", "en");
        c
    }
    fn bureau(&self, args: &[&str]) -> Vec<Value> {
        let out = self
            .cmd()
            .arg("bureau")
            .args(args)
            .args(["--config", "bureau.toml", "--format", "json"])
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
}

fn get<'a>(rows: &'a [Value], entity: &str, indicator: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["entity"] == entity && r["indicator"] == indicator)
        .unwrap_or_else(|| panic!("no row {entity} {indicator}"))
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-6)
}

#[test]
fn region_totals_count_a_shared_hospital_once_and_follow_a_moved_one() {
    let f = Fixture::new();
    let rows = f.bureau(&[
        "indicators",
        "--period",
        "2025-03",
        "--indicator",
        "bed_occupancy,discharges",
    ]);
    // Consortia: ratio of their own members' sums.
    let occ = |e: &str| get(&rows, e, "bed_occupancy")["value"].clone();
    assert!(close(&occ("a"), 1350.0 / 1700.0 * 100.0), "{}", occ("a"));
    // 迁移镇卫生院 left B in 2025-02: not in B's March.
    assert!(close(&occ("b"), 3150.0 / 3500.0 * 100.0));
    assert!(close(&occ("c"), 1290.0 / 1600.0 * 100.0));
    // Region: 共享中医院 once (not 5790 / 6800), 迁移镇卫生院 with C's March.
    let region = get(&rows, "region", "bed_occupancy");
    assert!(close(&region["value"], 5340.0 / 6300.0 * 100.0), "{region}");
    assert_eq!(region["scope"], "region");
    assert_eq!(region["entity_name"], "示例区");
    assert_eq!(region["covered"], 6);
    let dis = get(&rows, "region", "discharges");
    assert!(close(&dis["value"], 680.0), "{dis}");
    // A year earlier: 甲村卫生室's 5 counts (a member then), 共享中医院 once, 迁移镇卫生院 from B.
    assert!(close(
        &dis["prior_value"],
        90.0 + 50.0 + 20.0 + 5.0 + 280.0 + 8.0 + 140.0
    ));
    assert!(close(&get(&rows, "a", "discharges")["value"], 180.0));
    assert!(close(&get(&rows, "c", "discharges")["value"], 200.0));
    // Which members are shared: said on the region's rows and the two consortia's.
    assert_eq!(region["shared_members"], "共享中医院 (a, b)");
    assert_eq!(
        get(&rows, "a", "discharges")["shared_members"],
        "共享中医院 (a, b)"
    );
    // C shares nobody: 迁移镇卫生院 moved, it was never in two consortia at once.
    assert!(get(&rows, "c", "discharges")["shared_members"].is_null());
    // --scope region gives the region's rows only.
    let only = f.bureau(&["indicators", "--period", "2025-03", "--scope", "region"]);
    assert!(only
        .iter()
        .all(|r| r["scope"] == "region" && r["entity"] == "region"));
    assert!(!only.is_empty());
}

#[test]
fn comparable_change_keeps_the_moved_member_in_the_region_only() {
    let f = Fixture::new();
    let rows = f.bureau(&[
        "indicators",
        "--period",
        "2025-03",
        "--indicator",
        "bed_occupancy,discharges",
        "--like-for-like",
    ]);
    // A: a1, 共享中医院, a3 in both years (甲村卫生室 sent nothing in 2025-03).
    assert!(close(
        &get(&rows, "a", "discharges")["yoy_pct"],
        (180.0 / 160.0 - 1.0) * 100.0
    ));
    // B: b1 and 共享中医院.
    assert!(close(
        &get(&rows, "b", "discharges")["yoy_pct"],
        (360.0 / 330.0 - 1.0) * 100.0
    ));
    // C: c1 only (迁移镇卫生院 was not C's a year earlier, 丙社区中心 sent nothing then).
    assert!(close(
        &get(&rows, "c", "discharges")["yoy_pct"],
        (150.0 / 140.0 - 1.0) * 100.0
    ));
    let c = get(&rows, "c", "bed_occupancy");
    assert!(close(&c["value"], 80.0), "{c}");
    assert!(close(&c["yoy_pp"], 80.0 - 1100.0 / 1500.0 * 100.0));
    // Region: 迁移镇卫生院 was in the region both years (B then, C now): comparable.
    let r = get(&rows, "region", "discharges");
    assert!(close(&r["yoy_pct"], (640.0 / 588.0 - 1.0) * 100.0), "{r}");
    let r = get(&rows, "region", "bed_occupancy");
    assert!(
        close(&r["yoy_pp"], (5340.0 - 4780.0) / 6300.0 * 100.0),
        "{r}"
    );
}

#[test]
fn ranks_by_value_and_change_with_ties_and_undefined() {
    let f = Fixture::new();
    let rank = |args: &[&str]| -> Vec<(String, Option<i64>)> {
        let mut a = vec!["rank", "--period", "2025-03"];
        a.extend_from_slice(args);
        f.bureau(&a)
            .iter()
            .map(|r| {
                (
                    r["entity"].as_str().unwrap().to_string(),
                    r["rank"].as_i64(),
                )
            })
            .collect()
    };
    let s = |e: &str, k: Option<i64>| (e.to_string(), k);
    // 90 > 80.625 > 79.41.
    assert_eq!(
        rank(&["--indicator", "bed_occupancy"]),
        vec![s("b", Some(1)), s("c", Some(2)), s("a", Some(3))]
    );
    // Lower is better for the length of stay: A 900/180 = 5.0, C 1300/200 = 6.5, B 2700/360 = 7.5.
    assert_eq!(
        rank(&["--indicator", "avg_los"]),
        vec![s("a", Some(1)), s("c", Some(2)), s("b", Some(3))]
    );
    // 三、四级手术占比: A 15/50 and B 30/100 tie at 30%; C operates on nobody: unranked, last.
    assert_eq!(
        rank(&["--indicator", "grade34_share"]),
        vec![s("a", Some(1)), s("b", Some(1)), s("c", None)]
    );
    // By comparable change: A +12.5%, B +9.09%, C +7.14%.
    assert_eq!(
        rank(&["--indicator", "discharges", "--by", "change"]),
        vec![s("a", Some(1)), s("b", Some(2)), s("c", Some(3))]
    );
    // bed_occupancy by change (pp): B +10, A +8.82, C +6.67.
    let rows = f.bureau(&[
        "rank",
        "--period",
        "2025-03",
        "--indicator",
        "bed_occupancy",
        "--by",
        "change",
    ]);
    let order: Vec<&str> = rows.iter().map(|r| r["entity"].as_str().unwrap()).collect();
    assert_eq!(order, ["b", "a", "c"]);
    // The target (≥ 80) is marked on the value over every member.
    let by_value = f.bureau(&[
        "rank",
        "--period",
        "2025-03",
        "--indicator",
        "bed_occupancy",
    ]);
    let met: Vec<i64> = by_value
        .iter()
        .map(|r| r["target_met"].as_i64().unwrap())
        .collect();
    assert_eq!(met, [1, 1, 0]);
    // The league table puts them side by side.
    let league = f.bureau(&[
        "league",
        "--period",
        "2025-03",
        "--indicator",
        "bed_occupancy,grade34_share",
    ]);
    let a = league.iter().find(|r| r["entity"] == "a").unwrap();
    assert_eq!(a["bed_occupancy_rank"], 3);
    assert_eq!(a["grade34_share_rank"], 1);
    assert_eq!(a["bed_occupancy_target_met"], 0);
    let c = league.iter().find(|r| r["entity"] == "c").unwrap();
    assert!(c["grade34_share_rank"].is_null());
}

/// The ranking people read: the rank, the consortium, the figure, 达标 or 未达标, and the
/// consortium no rank can be given to last with its rank empty.
#[test]
fn ranks_for_people_say_met_or_missed() {
    let f = Fixture::new();
    let out = f
        .cmd()
        .args([
            "bureau",
            "rank",
            "--config",
            "bureau.toml",
            "--period",
            "2025-03",
        ])
        .args(["--indicator", "bed_occupancy,grade34_share"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}");
    let lines: Vec<&str> = text.lines().filter(|l| l.contains('%')).collect();
    // bed_occupancy: B 90% and C 80.625% meet ≥ 80, A 79.41% does not.
    assert!(
        lines[0].contains("│ 1 ") && lines[0].contains("90.00%") && lines[0].contains(" 达标"),
        "{text}"
    );
    assert!(
        lines[2].contains("│ 3 ") && lines[2].contains("79.41%") && lines[2].contains("未达标"),
        "{text}"
    );
    // grade34_share: A and B tie at 30%, C is unranked and last.
    assert!(
        lines[3].contains("│ 1 ") && lines[4].contains("│ 1 "),
        "{text}"
    );
    assert!(lines[5].starts_with("│        "), "{text}");
    assert!(text.contains("排名") && text.contains("达标"), "{text}");
}

#[test]
fn completeness_side_by_side() {
    let f = Fixture::new();
    let rows = f.bureau(&["submissions", "--period", "2025-03"]);
    let row = |c: &str| rows.iter().find(|r| r["consortium"] == c).unwrap().clone();
    // A: 4 members due, 甲村卫生室 missing; no deadline, so the others are undated.
    let a = row("a");
    assert_eq!(
        (a["due"].as_i64(), a["received"].as_i64()),
        (Some(4), Some(3))
    );
    assert_eq!(
        (a["undated"].as_i64(), a["missing"].as_i64()),
        (Some(3), Some(1))
    );
    assert!(close(&a["completeness_pct"], 75.0));
    assert!(a["timeliness_pct"].is_null());
    assert_eq!(a["missing_members"], "a4");
    // B: 迁移镇卫生院 had left; the other two sent.
    let b = row("b");
    assert_eq!(
        (b["due"].as_i64(), b["received"].as_i64()),
        (Some(2), Some(2))
    );
    assert!(close(&b["completeness_pct"], 100.0));
    // C: all three sent, judged by the ingest time (today) against 2025-04-10: late.
    let c = row("c");
    assert_eq!((c["due"].as_i64(), c["late"].as_i64()), (Some(3), Some(3)));
    assert!(close(&c["completeness_pct"], 100.0));
    assert!(close(&c["timeliness_pct"], 0.0));
}

#[test]
fn same_as_joins_a_hospital_named_differently() {
    let renamed = B.replace(
        "id = \"b2\"\nname = \"共享中医院\"",
        "id = \"b2\"\nname = \"共享县中医院\"\naliases = [\"共享中医院\"]",
    );
    // Without same_as the two names are two hospitals: 共享 counted twice.
    let f = Fixture::with(&renamed, "");
    let rows = f.bureau(&[
        "indicators",
        "--period",
        "2025-03",
        "--indicator",
        "discharges",
    ]);
    assert!(close(&get(&rows, "region", "discharges")["value"], 740.0));
    let f = Fixture::with(
        &renamed,
        "[[same_as]]\nmembers = [\"a:a2\", \"b:共享县中医院\"]\n",
    );
    let rows = f.bureau(&[
        "indicators",
        "--period",
        "2025-03",
        "--indicator",
        "discharges",
    ]);
    assert!(close(&get(&rows, "region", "discharges")["value"], 680.0));
    // A typo is refused, never a hospital silently counted twice.
    let out = f
        .cmd()
        .args(["bureau", "indicators", "--config", "bureau.toml"])
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(
        f.dir.path().join("bureau.toml"),
        std::fs::read_to_string(f.dir.path().join("bureau.toml"))
            .unwrap()
            .replace("b:共享县中医院", "b:共享"),
    )
    .unwrap();
    let out = f
        .cmd()
        .args(["bureau", "indicators", "--config", "bureau.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("b:共享"));
}

#[test]
fn init_lists_the_consortia_and_never_overwrites() {
    let f = Fixture::new();
    let root = f.dir.path();
    std::fs::remove_file(root.join("bureau.toml")).unwrap();
    let out = f
        .cmd()
        .args(["bureau", "init", ".", "--name", "新区"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(root.join("bureau.toml")).unwrap();
    let parsed: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(parsed["name"].as_str(), Some("新区"));
    let ids: Vec<&str> = parsed["consortia"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    // It works as written: the region counts 共享中医院 once.
    let rows = f.bureau(&[
        "indicators",
        "--period",
        "2025-03",
        "--indicator",
        "discharges",
    ]);
    assert!(close(&get(&rows, "region", "discharges")["value"], 680.0));
    let again = f.cmd().args(["bureau", "init", "."]).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(root.join("bureau.toml")).unwrap(),
        text
    );
}

#[test]
fn differing_figures_of_a_shared_hospital_are_a_warning_and_the_first_consortium_wins() {
    let f = Fixture::new();
    let b = f.dir.path().join("b");
    std::fs::write(
        b.join("inbox/fix.csv"),
        "单位名称,月份,指标,数值\n共享中医院,2025-03,出院人次,61\n",
    )
    .unwrap();
    let out = f
        .cmd()
        .args(["ingest", "--config"])
        .arg(b.join("consortium.toml"))
        .arg(b.join("inbox/fix.csv"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = f
        .cmd()
        .args([
            "bureau",
            "indicators",
            "--config",
            "bureau.toml",
            "--period",
            "2025-03",
        ])
        .args(["--indicator", "discharges", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a.a2: 1 figure(s) differ between the stores of `a` and `b`")
            && stderr.contains("60 against 61"),
        "{stderr}"
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    // The region uses A's 60 (A is listed first); B's own total uses its 61.
    assert!(close(&get(&rows, "region", "discharges")["value"], 680.0));
    assert!(close(&get(&rows, "b", "discharges")["value"], 361.0));
}

/// A sheet of the bureau workbook: the header (the third row, under the title) and the rows.
struct Sheet {
    head: Vec<String>,
    rows: Vec<Vec<calamine::Data>>,
}

impl Sheet {
    fn read(xlsx: &Path, name: &str) -> Sheet {
        use calamine::{open_workbook, Reader, Xlsx};
        let mut wb: Xlsx<_> = open_workbook(xlsx).unwrap();
        let range = wb.worksheet_range(name).unwrap();
        let rows: Vec<Vec<calamine::Data>> = range.rows().map(|r| r.to_vec()).collect();
        let head = rows[2].iter().map(|c| c.to_string()).collect();
        Sheet { head, rows }
    }
    fn col(&self, name: &str) -> usize {
        self.head
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.head))
    }
    /// The row whose `key` columns hold these texts.
    fn row(&self, key: &[(&str, &str)]) -> &[calamine::Data] {
        self.rows
            .iter()
            .find(|r| {
                key.iter()
                    .all(|(k, v)| format!("{}", r[self.col(k)]).as_str() == *v)
            })
            .unwrap_or_else(|| panic!("no row {key:?}"))
    }
    fn cell(&self, key: &[(&str, &str)], column: &str) -> &calamine::Data {
        &self.row(key)[self.col(column)]
    }
}

fn sheet_names(xlsx: &Path) -> Vec<String> {
    use calamine::{open_workbook, Reader, Xlsx};
    let wb: Xlsx<_> = open_workbook(xlsx).unwrap();
    wb.sheet_names()
}

/// The y of a text element of a chart (plotters writes `<text x=".." y=".." ..>\nTEXT\n</text>`).
fn svg_text_y(svg: &str, text: &str) -> f64 {
    let at = svg
        .find(&format!(">\n{text}\n</text>"))
        .unwrap_or_else(|| panic!("no text {text} in {svg}"));
    let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
    let y = tag.split(" y=\"").nth(1).unwrap();
    y[..y.find('"').unwrap()].parse().unwrap()
}

#[test]
fn report_bundle_and_tidy_export() {
    let f = Fixture::new();
    let out = f
        .cmd()
        .args([
            "bureau",
            "report",
            "--config",
            "bureau.toml",
            "--period",
            "2025-03",
        ])
        .args(["--out", "rep"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rep = f.dir.path().join("rep");
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    // Region occupancy 5340 / 6300, comparable change (5340 − 4780) / 6300 = +8.89 pp.
    assert!(
        html.contains("区域病床使用率84.76%，同比提高8.89个百分点（可比口径）"),
        "{html}"
    );
    assert!(html.contains("共享中医院（甲县医共体、乙专科联盟）"));
    // Self-contained: the font inline, no external reference.
    assert!(html.contains("data:font/woff2;base64,"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    // The charts, SVG inline and in charts/, PNG beside: a ranking of each headline
    // indicator, best first, with its target marks, and the trends' small multiples.
    for stem in [
        "rank-discharges",
        "rank-outpatient_visits",
        "rank-bed_occupancy",
        "rank-grade34_share",
        "trends-discharges",
        "trends-outpatient_visits",
    ] {
        let png = std::fs::read(rep.join(format!("charts/{stem}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{stem}");
        let svg = std::fs::read_to_string(rep.join(format!("charts/{stem}.svg"))).unwrap();
        assert!(
            html.contains(&format!("<figure id=\"{stem}\">{svg}</figure>")),
            "{stem}"
        );
    }
    let occ = std::fs::read_to_string(rep.join("charts/rank-bed_occupancy.svg")).unwrap();
    // Top down on the chart.
    let first = svg_text_y(&occ, "1. 乙专科联盟（达标）");
    let second = svg_text_y(&occ, "2. 丙医疗集团（达标）");
    assert!(first < second && second < svg_text_y(&occ, "3. 甲县医共体（未达标）"));
    // 三、四级手术占比: A and B tie; C has no surgeries and is said to be unranked.
    let g34 = std::fs::read_to_string(rep.join("charts/rank-grade34_share.svg")).unwrap();
    assert!(
        g34.contains("1. 甲县医共体") && g34.contains("1. 乙专科联盟"),
        "{g34}"
    );
    assert!(g34.contains("无数据不排名：丙医疗集团"), "{g34}");
    let trends = std::fs::read_to_string(rep.join("charts/trends-discharges.svg")).unwrap();
    for panel in [
        "甲县医共体",
        "乙专科联盟",
        "丙医疗集团",
        "示例区（区域合计）",
    ] {
        assert!(trends.contains(panel), "{panel}");
    }
    let md = std::fs::read_to_string(rep.join("summary.md")).unwrap();
    assert!(md.contains("区域出院人次680人次"), "{md}");

    use calamine::Data;
    let xlsx = rep.join("report.xlsx");
    assert_eq!(
        sheet_names(&xlsx),
        [
            "排名总表",
            "排名明细",
            "报送情况",
            "本月指标",
            "本年累计指标"
        ]
    );
    // 排名总表 for people: each indicator's figure with its 达标 mark, then its rank.
    let league = Sheet::read(&xlsx, "排名总表");
    let col = league.col("病床使用率");
    let texts = |name: &str| -> (String, String) {
        let r = league.row(&[("医联体", name)]);
        (r[col].to_string(), r[col + 1].to_string())
    };
    assert_eq!(texts("乙专科联盟"), ("90.00% ✓达标".into(), "1".into()));
    assert_eq!(texts("甲县医共体"), ("79.41% ✗未达标".into(), "3".into()));
    let month = Sheet::read(&xlsx, "本月指标");
    match month.cell(
        &[("entity", "region"), ("indicator", "bed_occupancy")],
        "value",
    ) {
        Data::Float(v) => assert!((v - 5340.0 / 6300.0 * 100.0).abs() < 1e-9),
        other => panic!("{other:?}"),
    }
    let subs = Sheet::read(&xlsx, "报送情况");
    assert_eq!(
        subs.cell(&[("consortium", "a")], "missing"),
        &Data::Float(1.0)
    );
    // 排名明细 for scripts: per indicator the value, the rank and the 达标 flag.
    let detail = Sheet::read(&xlsx, "排名明细");
    let b = |column: &str| detail.cell(&[("entity", "b")], column).clone();
    assert!(matches!(b("bed_occupancy"), Data::Float(v) if (v - 90.0).abs() < 1e-9));
    assert_eq!(b("bed_occupancy_rank"), Data::Float(1.0));
    assert_eq!(b("bed_occupancy_target_met"), Data::Float(1.0));
    assert_eq!(
        detail.cell(&[("entity", "c")], "grade34_share_rank"),
        &Data::Empty
    );
    // 本年累计指标: January to March, in which only 丙医疗集团's 迁移镇卫生院 (a member
    // from March) sent every month it was a member: C's discharges are its 10.
    let ytd = Sheet::read(&xlsx, "本年累计指标");
    let key = [("entity", "c"), ("indicator", "discharges")];
    assert_eq!(ytd.cell(&key, "window"), &Data::String("ytd".into()));
    assert_eq!(ytd.cell(&key, "value"), &Data::Float(10.0));

    let out = f
        .cmd()
        .args([
            "bureau",
            "export",
            "--config",
            "bureau.toml",
            "--period",
            "2025-03",
        ])
        .args(["--out", "exp"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exp = f.dir.path().join("exp");
    let values = std::fs::read_to_string(exp.join("values.csv")).unwrap();
    // B's copy of the shared hospital carries the region's id for it (A's listing).
    assert!(
        values
            .lines()
            .any(|l| l
                .starts_with("b,b2,a.a2,共享中医院,2025-03,discharges,discharges,base,month,60,")),
        "{values}"
    );
    let n_values = a_rows().len() + b_rows().len() + c_rows().len();
    assert_eq!(values.lines().count(), n_values + 1);
    let ind = std::fs::read_to_string(exp.join("indicators.csv")).unwrap();
    assert!(ind
        .lines()
        .next()
        .unwrap()
        .ends_with(",consortium,member,region_member"));
    assert!(
        ind.lines().any(
            |l| l.starts_with("2025-03,month,member,c.c2,discharges,10,")
                && l.ends_with(",c,c2,b.b3")
        ),
        "{ind}"
    );
    assert!(exp.join("values.parquet").exists() && exp.join("indicators.parquet").exists());
}

#[test]
fn sample_bureau_has_three_consortia_and_a_shared_hospital() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let y = || {
        let mut c = Command::cargo_bin("yilian").unwrap();
        c.current_dir(root).env("YILIAN_LANG", "en");
        c
    };
    let out = y()
        .args(["sample", "--consortia", "3", "s"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bureau: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.join("s/bureau.toml")).unwrap()).unwrap();
    let ids: Vec<&str> = bureau["consortia"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["yigongti", "zhuanke", "jituan"]);
    for id in &ids {
        let c = root.join("s").join(id);
        let out = y()
            .args(["ingest", "--config"])
            .arg(c.join("consortium.toml"))
            .arg(c.join("inbox"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    let out = y()
        .args([
            "bureau",
            "indicators",
            "--config",
            "s/bureau.toml",
            "--period",
            "2025-12",
        ])
        .args(["--indicator", "discharges", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let region = get(&rows, "region", "discharges");
    // 8 + 4 + 4 listed, 示例县中医医院 twice, 河口镇卫生院 moved: 14 hospitals, all members
    // in December; one of 集团's sends nothing that month, so 13 are covered.
    assert_eq!(
        region["shared_members"],
        "示例县中医医院 (yigongti, zhuanke)"
    );
    assert_eq!(region["members"], 14);
    assert_eq!(region["covered"], 13);
    let sum: f64 = ["yigongti", "zhuanke", "jituan"]
        .iter()
        .map(|e| get(&rows, e, "discharges")["value"].as_f64().unwrap())
        .sum();
    assert!(region["value"].as_f64().unwrap() < sum);
}

/// `--period 2025Q1`: January to March (the quarter's last month in the stores), one
/// figure per consortium and for the region, 共享中医院 counted once, 迁移镇卫生院 in B for
/// January and February and in C for March. Figures from `a_q1`, `b_q1`, `c_q1` and the
/// March rows.
#[test]
fn a_quarter_is_the_quarter_window_with_a_shared_hospital_once() {
    let f = Fixture::quarter();
    let q = |extra: &[&str]| {
        let mut a = vec![
            "indicators",
            "--indicator",
            "discharges,bed_occupancy",
            "--period",
        ];
        a.extend_from_slice(extra);
        f.bureau(&a)
    };
    let rows = q(&["2025Q1"]);
    for r in &rows {
        assert_eq!(
            (&r["window"], &r["period"]),
            (&"quarter".into(), &"2025-03".into()),
            "{r}"
        );
    }
    let dis = |rows: &[Value], e: &str| get(rows, e, "discharges")["value"].clone();
    // A: 甲县人民医院 180 + 170 + 100, 共享中医院 40 + 45 + 60, 甲镇卫生院 15 + 18 + 20;
    // 甲村卫生室 sent none of the three months: not covered.
    assert!(
        close(&dis(&rows, "a"), 450.0 + 145.0 + 53.0),
        "{}",
        dis(&rows, "a")
    );
    assert_eq!(get(&rows, "a", "discharges")["covered"], 3);
    // B: 乙市人民医院 250 + 260 + 300, 共享中医院 145, 迁移镇卫生院 9 + 7 (its member months).
    assert!(close(&dis(&rows, "b"), 810.0 + 145.0 + 16.0));
    // C: 丙区医院 110 + 120 + 150, 丙社区中心 30 + 35 + 40, 迁移镇卫生院 10 (March).
    assert!(close(&dis(&rows, "c"), 380.0 + 105.0 + 10.0));
    // Region: 648 + 971 + 495 less 共享中医院's 145 counted twice; 迁移镇卫生院 9 + 7 + 10.
    let region = get(&rows, "region", "discharges");
    assert!(close(&region["value"], 1969.0), "{region}");
    // 2024Q1 over the hospitals with all three months: 甲县人民医院 75 + 65 + 90, 共享中医院
    // 30 + 35 + 50, 甲镇卫生院 12 + 14 + 20, 乙市人民医院 240 + 230 + 280, 迁移镇卫生院
    // 6 + 5 + 8, 丙区医院 100 + 105 + 140 (丙社区中心 and 甲村卫生室 lack months).
    assert!(close(&region["prior_value"], 1505.0), "{region}");
    assert_eq!(region["shared_members"], "共享中医院 (a, b)");
    // Bed occupancy, a ratio of the quarter's sums, 共享中医院's 1100 / 1450 bed days once:
    // (2100 + 1100 + 290 + 7800 + 130 + 90 + 3300) / (2900 + 1450 + 580 + 8800 + 200 + 100
    // + 4400).
    let occ = get(&rows, "region", "bed_occupancy");
    assert!(close(&occ["value"], 14810.0 / 18430.0 * 100.0), "{occ}");
    // The same quarter written the Chinese way.
    let zh = q(&["2025年第一季度"]);
    assert!(close(&dis(&zh, "region"), 1969.0));
    // The comparable change: the six hospitals in both quarters, 1864 against 1505.
    let lfl = q(&["2025Q1", "--like-for-like"]);
    let r = get(&lfl, "region", "discharges");
    assert!(close(&r["yoy_pct"], (1864.0 / 1505.0 - 1.0) * 100.0), "{r}");
    // A month is still a month: March alone.
    let march = q(&["2025-03"]);
    assert!(close(&dis(&march, "region"), 680.0));
    // A quarter with another window is refused, saying what goes together.
    let out = f
        .cmd()
        .args(["bureau", "rank", "--config", "bureau.toml"])
        .args(["--period", "2025Q1", "--window", "ytd"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--period 2025Q1 is a quarter"), "{err}");
}

#[test]
fn ranks_and_league_on_a_quarter() {
    let f = Fixture::quarter();
    let order = |period: &str| -> Vec<(String, i64, String)> {
        f.bureau(&["rank", "--period", period, "--indicator", "discharges"])
            .iter()
            .map(|r| {
                (
                    r["entity"].as_str().unwrap().to_string(),
                    r["rank"].as_i64().unwrap(),
                    r["window"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let s = |e: &str, k: i64, w: &str| (e.to_string(), k, w.to_string());
    // The quarter: B 971, A 648, C 495; March alone: B 360, C 200, A 180.
    assert_eq!(
        order("2025Q1"),
        [
            s("b", 1, "quarter"),
            s("a", 2, "quarter"),
            s("c", 3, "quarter")
        ]
    );
    assert_eq!(
        order("2025-03"),
        [s("b", 1, "month"), s("c", 2, "month"), s("a", 3, "month")]
    );
    // Bed occupancy over the quarter: B 9030 / 10450 = 86.41%, C 3390 / 4500 = 75.33%,
    // A 3490 / 4930 = 70.79%; only B meets ≥ 80.
    let league = f.bureau(&[
        "league",
        "--period",
        "2025Q1",
        "--indicator",
        "discharges,bed_occupancy",
    ]);
    let row = |e: &str| league.iter().find(|r| r["entity"] == e).unwrap().clone();
    let (a, b, c) = (row("a"), row("b"), row("c"));
    assert!(close(&b["bed_occupancy"], 9030.0 / 10450.0 * 100.0), "{b}");
    assert!(close(&c["bed_occupancy"], 3390.0 / 4500.0 * 100.0), "{c}");
    assert_eq!(
        [&a, &b, &c].map(|r| r["bed_occupancy_rank"].as_i64().unwrap()),
        [3, 1, 2]
    );
    assert_eq!(
        [&a, &b, &c].map(|r| r["bed_occupancy_target_met"].as_i64().unwrap()),
        [0, 1, 0]
    );
    assert_eq!(a["discharges_rank"], 2);
}

/// The quarterly report: titles say 2025年第一季度, the figures are the quarter's, the
/// submissions are the quarter's three months, and the workbook names its sheets for it.
#[test]
fn quarterly_report_bundle() {
    let f = Fixture::quarter();
    f.ok(&[
        "bureau",
        "report",
        "--config",
        "bureau.toml",
        "--period",
        "2025Q1",
        "--out",
        "rq",
    ]);
    let rep = f.dir.path().join("rq");
    let html = std::fs::read_to_string(rep.join("index.html")).unwrap();
    assert!(
        html.contains("<h1>示例区 2025年第一季度医联体运行监测季报</h1>"),
        "{html}"
    );
    assert!(html.contains("排名总表（本季度）"));
    // 1969 against 1505 over every hospital; comparable (the same six hospitals): 1864
    // against 1505, +23.85%.
    assert!(
        html.contains(
            "区域出院人次1,969人次，同比增长23.85%（可比口径）；乙专科联盟居首（971），丙医疗集团居末（495）。"
        ),
        "{html}"
    );
    // No bed days a year earlier: no change, only the ranking.
    assert!(
        html.contains("区域病床使用率80.36%；乙专科联盟居首（86.41%），甲县医共体居末（70.79%）。"),
        "{html}"
    );
    // Due: A 4 × 3, B 3 + 3 + 2 (迁移镇卫生院 left after February), C 2 + 2 + 3 (it joined
    // in March); 甲村卫生室 sent none; C judges by the ingest time: all 7 late.
    assert!(
        html.contains("报送：应报27家次，已报24家次，其中逾期7家次；未报：甲县医共体3家次。"),
        "{html}"
    );
    let md = std::fs::read_to_string(rep.join("summary.md")).unwrap();
    assert!(
        md.starts_with("# 示例区 2025年第一季度医联体运行监测季报"),
        "{md}"
    );

    use calamine::Data;
    let xlsx = rep.join("report.xlsx");
    assert_eq!(
        sheet_names(&xlsx),
        [
            "排名总表",
            "排名明细",
            "报送情况",
            "本季度指标",
            "本年累计指标"
        ]
    );
    // The quarter and the year to date are the same three months here.
    for name in ["本季度指标", "本年累计指标"] {
        let sheet = Sheet::read(&xlsx, name);
        let key = [("entity", "region"), ("indicator", "discharges")];
        assert_eq!(sheet.cell(&key, "value"), &Data::Float(1969.0), "{name}");
    }
    // 报送情况: one row per consortium and month; A's three months each miss 甲村卫生室.
    let subs = Sheet::read(&xlsx, "报送情况");
    for month in ["2025-01", "2025-02", "2025-03"] {
        let key = [("consortium", "a"), ("period", month)];
        assert_eq!(subs.cell(&key, "missing_members").to_string(), "a4");
    }
    for stem in ["rank-discharges", "trends-discharges"] {
        let png = std::fs::read(rep.join(format!("charts/{stem}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{stem}");
    }
    // The export of the quarter: its window and the year to date.
    f.ok(&[
        "bureau",
        "export",
        "--config",
        "bureau.toml",
        "--period",
        "2025Q1",
        "--out",
        "eq",
    ]);
    let ind = std::fs::read_to_string(f.dir.path().join("eq/indicators.csv")).unwrap();
    for window in ["quarter", "ytd"] {
        let line = format!("2025-03,{window},region,region,discharges,1969,");
        assert!(ind.lines().any(|l| l.starts_with(&line)), "{line}");
    }
    assert!(!ind.contains(",month,"));
}

#[test]
fn a_month_no_consortium_has_is_refused_in_the_language() {
    let f = Fixture::new();
    for (lang, said) in [
        ("zh", "各医联体均无成员单位 2019-01 的数据；数据库中有 "),
        (
            "en",
            "no member of any consortium has figures for 2019-01; the stores hold ",
        ),
    ] {
        let out = f
            .cmd()
            .env("YILIAN_LANG", lang)
            .args([
                "bureau",
                "indicators",
                "--config",
                "bureau.toml",
                "--period",
                "2019-01",
            ])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{lang}: {err}");
    }
}

/// 医联体内基层门急诊占比 applies only where primary or village members are: B (a 专科联盟
/// whose only township centre left in February) has none in March, so its share is undefined
/// and unranked — not 0 % ranked last; within A the secondary tier has no share either.
#[test]
fn a_primary_share_without_primary_members_is_undefined_and_unranked() {
    const VISITS: &str = "门急诊人次";
    let f = Fixture::new();
    f.ingest_more(
        "a",
        &[
            ("甲县人民医院", "2025-03", VISITS, 1000.0),
            ("共享中医院", "2025-03", VISITS, 500.0),
            ("甲镇卫生院", "2025-03", VISITS, 300.0),
        ],
    );
    f.ingest_more(
        "b",
        &[
            ("乙市人民医院", "2025-03", VISITS, 2000.0),
            ("共享中医院", "2025-03", VISITS, 500.0),
        ],
    );
    f.ingest_more(
        "c",
        &[
            ("丙区医院", "2025-03", VISITS, 800.0),
            ("迁移镇卫生院", "2025-03", VISITS, 150.0),
            ("丙社区中心", "2025-03", VISITS, 50.0),
        ],
    );
    let rows = f.bureau(&[
        "rank",
        "--period",
        "2025-03",
        "--indicator",
        "primary_visit_share",
    ]);
    let ranked: Vec<(&str, Option<i64>)> = rows
        .iter()
        .map(|r| (r["entity"].as_str().unwrap(), r["rank"].as_i64()))
        .collect();
    // C (150 + 50) / 1000 = 20 %, A 300 / 1800 = 16.67 %, B: no primary member.
    assert_eq!(ranked, [("c", Some(1)), ("a", Some(2)), ("b", None)]);
    let all = f.bureau(&["indicators", "--period", "2025-03", "--scope", "all"]);
    assert!(close(&get(&all, "c", "primary_visit_share")["value"], 20.0));
    assert!(close(
        &get(&all, "a", "primary_visit_share")["value"],
        300.0 / 1800.0 * 100.0
    ));
    assert!(get(&all, "b", "primary_visit_share")["value"].is_null());
    // The region counts the shared hospital's 500 once: 500 / 4800.
    assert!(close(
        &get(&all, "region", "primary_visit_share")["value"],
        500.0 / 4800.0 * 100.0
    ));
    // Inside A: the primary tier is all primary, the secondary tier has no share at all.
    let out = f
        .cmd()
        .args([
            "indicators",
            "--config",
            "a/consortium.toml",
            "--period",
            "2025-03",
        ])
        .args(["--scope", "tier", "--indicator", "primary_visit_share"])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tiers: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let tier = |t: &str| &get(&tiers, t, "primary_visit_share")["value"];
    assert!(close(tier("primary"), 100.0));
    assert!(tier("secondary").is_null());
}
