//! The official indicator systems (issue 13): user-defined reported items, the definitions
//! brought to the official 口径, the finance / workforce / public-health families, named sets
//! and targets. Every expected figure is computed by hand from the rows below: numerator and
//! denominator added over members and months first, then divided.

use crate::indicators::{close, f, Case};
use serde_json::Value;

pub(crate) const MEMBERS: &str = r#"
name = "体系医联体"
[[members]]
id = "h"
name = "甲市人民医院"
tier = "tertiary"
joined = "2019-01"

[[members]]
id = "k"
name = "乙县人民医院"
tier = "secondary"
joined = "2019-01"

[[members]]
id = "z"
name = "丙镇卫生院"
tier = "primary"
joined = "2019-01"
"#;

const MARCH: [&str; 2] = ["--period", "2025-03"];

fn run(c: &Case, args: &[&str]) -> std::process::Output {
    c.cmd()
        .env("YILIAN_LANG", "en")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_user_item_works_in_a_user_formula_a_rule_and_the_catalog() {
    let config = format!(
        r#"{MEMBERS}
[[metrics]]
code = "vaccinations"
name = "预防接种人次"
name_en = "Vaccinations"
unit = "人次"
over_time = "sum"
kind = "flow"
direction = "higher"
aliases = ["接种人次"]

[[indicators]]
code = "vaccinations_per_100_visits"
name = "每百门急诊接种人次"
unit = "人次"
expr = "vaccinations / outpatient_visits * 100"
direction = "higher"

[[rules]]
rule = "vaccinations <= outpatient_visits"
"#
    );
    let c = Case::with_config(
        &config,
        &[
            ("甲市人民医院", "2025-03", "接种人次", 300.0),
            ("甲市人民医院", "2025-03", "门急诊人次", 20000.0),
            ("乙县人民医院", "2025-03", "门急诊人次", 10000.0),
            ("丙镇卫生院", "2025-03", "预防接种人次（人次）", 900.0),
            ("丙镇卫生院", "2025-03", "门急诊人次", 3000.0),
            ("丙镇卫生院", "2025-04", "预防接种人次", 5000.0),
            ("丙镇卫生院", "2025-04", "门急诊人次", 3100.0),
        ],
    );
    // The item itself, stored under its code from either header text.
    let r = c.get(&MARCH, "consortium", "vaccinations");
    assert!(close(f(&r, "value"), 1200.0), "{r}");
    assert_eq!(r["indicator_name"], "预防接种人次");
    // k never reports vaccinations: it adds no vaccinations but its visits count.
    let r = c.get(&MARCH, "consortium", "vaccinations_per_100_visits");
    assert!(close(f(&r, "value"), 1200.0 / 33000.0 * 100.0), "{r}");
    let r = c.get(&MARCH, "z", "vaccinations_per_100_visits");
    assert!(close(f(&r, "value"), 900.0 / 3000.0 * 100.0), "{r}");
    // Chosen by its Chinese name like a built-in item.
    let recs = c.records(&["--period", "2025-03", "--indicator", "预防接种人次"]);
    assert!(recs.iter().all(|r| r["indicator"] == "vaccinations"));

    // A rule over the user item fires where it fails (z in April: 5000 > 3100).
    let out = run(&c, &["check", "--period", "2025-04", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"].as_str().unwrap_or("").contains("vaccinations"))
        .collect();
    assert_eq!(hits.len(), 1, "{v:#}");
    assert_eq!(hits[0]["member"], "z");

    // The catalog lists it with its kind.
    let out = run(
        &c,
        &["catalog", "--config", "consortium.toml", "--format", "json"],
    );
    let cat: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mine = cat["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "vaccinations")
        .cloned()
        .unwrap();
    assert_eq!(mine["kind"], "flow");
}

#[test]
fn a_user_item_clashing_with_a_built_in_one_is_an_error_naming_both() {
    let config = format!(
        r#"{MEMBERS}
[[metrics]]
code = "all_discharges"
name = "全部出院人次"
unit = "人次"
over_time = "sum"
aliases = ["出院人数"]
"#
    );
    let c = Case::with_config(MEMBERS, &[("甲市人民医院", "2025-03", "门急诊人次", 1.0)]);
    std::fs::write(c.path().join("bad.toml"), config).unwrap();
    let out = run(&c, &["catalog", "--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("all_discharges") && err.contains("出院人数") && err.contains("`discharges`"),
        "{err}"
    );
}

#[test]
fn definitions_follow_the_official_kou_jing() {
    let c = Case::with_config(
        MEMBERS,
        &[
            ("甲市人民医院", "2025-03", "日间手术例数", 30.0),
            ("甲市人民医院", "2025-03", "出院患者择期手术台次", 120.0),
            ("甲市人民医院", "2025-03", "住院手术例数", 400.0),
            ("甲市人民医院", "2025-03", "出院人次", 2500.0),
            ("甲市人民医院", "2025-03", "总诊疗人次", 26000.0),
            ("甲市人民医院", "2025-03", "门急诊人次", 20000.0),
            ("甲市人民医院", "2025-03", "中医类诊疗人次", 2600.0),
            ("甲市人民医院", "2025-03", "实有床位数", 1500.0),
            ("甲市人民医院", "2025-03", "实际开放床位数", 1600.0),
            ("乙县人民医院", "2025-03", "总诊疗人次", 14000.0),
            ("乙县人民医院", "2025-03", "门急诊人次", 10000.0),
            ("乙县人民医院", "2025-03", "手术例数", 90.0),
            ("丙镇卫生院", "2025-03", "诊疗人次", 6000.0),
            ("丙镇卫生院", "2025-03", "门急诊人次", 3000.0),
            ("丙镇卫生院", "2025-03", "中医诊疗人次", 1800.0),
        ],
    );
    let v = |e: &str, i: &str| f(&c.get(&MARCH, e, i), "value");
    // 日间手术占择期手术比例, and the old share of inpatient surgeries under its own code.
    assert!(close(v("h", "day_surgery_share"), 30.0 / 120.0 * 100.0));
    assert!(close(
        v("h", "day_surgery_of_surgeries"),
        30.0 / 400.0 * 100.0
    ));
    // 总诊疗人次 is its own item, not 门急诊人次.
    assert!(close(v("h", "total_visits"), 26000.0));
    assert!(close(v("h", "outpatient_visits"), 20000.0));
    // 实有床位数 is not 实际开放床位数.
    assert!(close(v("h", "actual_beds"), 1500.0));
    assert!(close(v("h", "open_beds"), 1600.0));
    // A bare 手术例数 is the member's own item: not inpatient surgeries.
    assert!(close(v("k", "surgeries"), 90.0));
    assert_eq!(
        c.get(&MARCH, "k", "inpatient_surgeries")["value"],
        Value::Null
    );
    // The primary shares: on 门急诊人次 (named as the consortium-internal figure it is) and
    // on 总诊疗人次.
    let r = c.get(&MARCH, "consortium", "primary_visit_share");
    assert!(close(f(&r, "value"), 3000.0 / 33000.0 * 100.0), "{r}");
    assert_eq!(r["indicator_name"], "医联体内基层门急诊占比");
    let r = c.get(&MARCH, "consortium", "primary_total_visit_share");
    assert!(close(f(&r, "value"), 6000.0 / 46000.0 * 100.0), "{r}");
    // The tertiary tier has no primary member: the share does not apply (empty, not 0 %).
    let r = c.get(&MARCH, "tertiary", "primary_total_visit_share");
    assert!(r["value"].is_null(), "{r}");
    // 中医类诊疗量占比: k never reports TCM visits, its total visits still count.
    assert!(close(
        v("consortium", "tcm_visit_share"),
        4400.0 / 46000.0 * 100.0
    ));
    assert!(close(v("z", "tcm_visit_share"), 1800.0 / 6000.0 * 100.0));
    // No member-scope record of the consortium-only shares.
    let recs = c.records(&["--period", "2025-03", "--scope", "member"]);
    assert!(!recs
        .iter()
        .any(|r| r["indicator"] == "primary_total_visit_share"));
}

/// Finance and workforce of two hospitals in March 2025, and the outpatient revenue of March
/// 2024 for the 增幅.
fn finance() -> Case {
    let h = "甲市人民医院";
    let k = "乙县人民医院";
    let mut rows = vec![];
    for (m, p, item, v) in [
        (h, "2025-03", "门诊收入", 3000.0),
        (h, "2025-03", "门急诊人次", 20000.0),
        (h, "2025-03", "急诊人次", 2000.0),
        (h, "2025-03", "住院收入", 9000.0),
        (h, "2025-03", "出院人次", 2500.0),
        (h, "2025-03", "医疗收入", 12000.0),
        (h, "2025-03", "医疗服务收入", 3600.0),
        (h, "2025-03", "药品收入", 3000.0),
        (h, "2025-03", "卫生材料收入", 2400.0),
        (h, "2025-03", "医保基金收入", 6000.0),
        (h, "2025-03", "执业医师数", 500.0),
        (h, "2025-03", "注册护士数", 800.0),
        (h, "2025-03", "实际占用总床日数", 46500.0),
        (h, "2025-03", "出院者占用总床日数", 22000.0),
        (h, "2025-03", "预约诊疗人次", 12000.0),
        (h, "2025-03", "抗菌药物累计DDD数", 8800.0),
        (h, "2024-03", "门诊收入", 2700.0),
        (h, "2024-03", "门急诊人次", 19000.0),
        (k, "2025-03", "门急诊收入", 600.0),
        (k, "2025-03", "门急诊人次", 10000.0),
        (k, "2025-03", "急诊人次", 1000.0),
        (k, "2025-03", "住院收入", 1400.0),
        (k, "2025-03", "出院人次", 800.0),
        (k, "2025-03", "医疗收入", 2000.0),
        (k, "2025-03", "医疗服务收入", 500.0),
        (k, "2025-03", "药品收入", 500.0),
        (k, "2025-03", "耗材收入", 300.0),
        (k, "2025-03", "医保收入", 1200.0),
        (k, "2025-03", "执业（助理）医师数", 100.0),
        (k, "2025-03", "注册护士数", 150.0),
        (k, "2025-03", "实际占用总床日数", 6200.0),
        (k, "2025-03", "出院者占用总床日数", 7000.0),
        (k, "2025-03", "预约诊疗人次", 3000.0),
        (k, "2025-03", "抗菌药物DDDs", 2100.0),
        (k, "2024-03", "门诊收入", 500.0),
        (k, "2024-03", "门急诊人次", 9000.0),
    ] {
        rows.push((m, p, item, v));
    }
    Case::with_config(MEMBERS, &rows)
}

#[test]
fn revenue_structure_and_costs_per_visit_are_ratios_of_sums() {
    let c = finance();
    let v = |i: &str| f(&c.get(&MARCH, "consortium", i), "value");
    // 门诊次均费用 in 元: (3000 + 600) 万元 / (20000 + 10000) visits.
    let r = c.get(&MARCH, "consortium", "outpatient_cost");
    assert!(close(f(&r, "value"), 3600.0 * 10000.0 / 30000.0), "{r}");
    // Its 增幅 is the change on (2700 + 500) 万元 / (19000 + 9000) a year earlier.
    let prior = 3200.0 * 10000.0 / 28000.0;
    assert!(close(f(&r, "prior_value"), prior), "{r}");
    assert!(
        close(f(&r, "yoy_pct"), (1200.0 - prior) / prior * 100.0),
        "{r}"
    );
    assert!(close(v("inpatient_cost"), 10400.0 * 10000.0 / 3300.0));
    assert!(close(v("service_revenue_share"), 4100.0 / 14000.0 * 100.0));
    assert!(close(
        v("outpatient_revenue_share"),
        3600.0 / 14000.0 * 100.0
    ));
    assert!(close(
        v("inpatient_revenue_share"),
        10400.0 / 14000.0 * 100.0
    ));
    assert!(close(v("drug_share"), 3500.0 / 14000.0 * 100.0));
    assert!(close(v("material_share"), 2700.0 / 14000.0 * 100.0));
    assert!(close(v("insurance_share"), 7200.0 / 14000.0 * 100.0));
    // A member's own figure: 3000 / 12000.
    let r = c.get(&MARCH, "h", "drug_share");
    assert!(close(f(&r, "value"), 25.0), "{r}");
}

#[test]
fn workforce_appointments_and_antibiotics_follow_their_formulas() {
    let c = finance();
    let v = |e: &str, i: &str| f(&c.get(&MARCH, e, i), "value");
    // 医护比: nurses per physician.
    assert!(close(
        v("consortium", "nurse_physician_ratio"),
        950.0 / 600.0
    ));
    assert!(close(v("k", "nurse_physician_ratio"), 1.5));
    // 每名执业医师日均住院工作负担: occupied bed-days / physicians / 31 days of March.
    assert!(close(
        v("h", "physician_inpatient_load"),
        46500.0 / 500.0 / 31.0
    ));
    assert!(close(
        v("consortium", "physician_inpatient_load"),
        52700.0 / 600.0 / 31.0
    ));
    // 门诊患者预约诊疗率: appointments over visits without the emergency ones.
    assert!(close(
        v("consortium", "appointment_rate"),
        15000.0 / (18000.0 + 9000.0) * 100.0
    ));
    // 抗菌药物使用强度: DDDs per 100 patient-days (出院者占用总床日数).
    assert!(close(
        v("consortium", "antibiotic_intensity"),
        10900.0 / 29000.0 * 100.0
    ));
}

#[test]
fn referrals_by_kind_and_standard_management_rates() {
    let c = Case::with_config(
        MEMBERS,
        &[
            ("甲市人民医院", "2025-03", "门急诊下转人次", 300.0),
            ("甲市人民医院", "2025-03", "住院下转患者人次", 120.0),
            ("丙镇卫生院", "2025-03", "下转门急诊人次", 40.0),
            ("丙镇卫生院", "2025-03", "下转住院人次", 10.0),
            ("丙镇卫生院", "2025-03", "上转门急诊人次", 70.0),
            ("丙镇卫生院", "2025-03", "上转住院人次", 25.0),
            ("丙镇卫生院", "2025-02", "高血压患者管理人数", 1000.0),
            ("丙镇卫生院", "2025-02", "高血压患者规范管理人数", 600.0),
            ("丙镇卫生院", "2025-03", "高血压患者管理人数", 1050.0),
            ("丙镇卫生院", "2025-03", "高血压规范管理人数", 650.0),
            ("丙镇卫生院", "2025-03", "远程病理", 4.0),
            ("丙镇卫生院", "2025-03", "远程检验", 11.0),
            ("丙镇卫生院", "2025-03", "远程影像", 20.0),
        ],
    );
    let v = |args: &[&str], e: &str, i: &str| f(&c.get(args, e, i), "value");
    assert!(close(
        v(&MARCH, "consortium", "referrals_down_total"),
        470.0
    ));
    assert!(close(v(&MARCH, "z", "referrals_up_total"), 95.0));
    // Counts of people under management are stocks: the window takes the last month, so the
    // first-quarter rate is March's 650 / 1050, not (600 + 650) / (1000 + 1050).
    let ytd = ["--period", "2025-03", "--window", "ytd"];
    assert!(close(
        v(&ytd, "z", "hypertension_standard_rate"),
        650.0 / 1050.0 * 100.0
    ));
    // Remote services count the new kinds.
    assert!(close(v(&MARCH, "z", "remote_services"), 35.0));
}

#[test]
fn a_named_set_lists_its_unreported_items_and_never_shows_them_as_zero() {
    let c = Case::with_config(
        MEMBERS,
        &[
            ("甲市人民医院", "2025-03", "住院手术例数", 400.0),
            ("甲市人民医院", "2025-03", "出院人次", 2500.0),
            ("乙县人民医院", "2025-03", "住院手术例数", 100.0),
            ("乙县人民医院", "2025-03", "出院人次", 800.0),
        ],
    );
    let out = run(
        &c,
        &[
            "indicators",
            "--period",
            "2025-03",
            "--set",
            "gk2",
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    // Only the set's indicators, the reported ones computed.
    assert!(recs.iter().all(|r| r["indicator"] != "bed_occupancy"));
    let share = recs
        .iter()
        .find(|r| r["entity"] == "consortium" && r["indicator"] == "surgery_share")
        .unwrap();
    assert!(close(f(share, "value"), 500.0 / 3300.0 * 100.0), "{share}");
    // 药占比: no member reports drug revenue; empty everywhere, and said on stderr.
    let drug: Vec<&Value> = recs
        .iter()
        .filter(|r| r["indicator"] == "drug_share")
        .collect();
    assert!(!drug.is_empty());
    assert!(drug.iter().all(|r| r["value"].is_null()), "{drug:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not reported")
            && err.contains("drug_share")
            && err.contains("nurse_physician_ratio"),
        "{err}"
    );
    assert!(!err.contains("surgery_share"), "{err}");
    // The set by its Chinese name, and an unknown set naming the sets there are.
    let out = run(
        &c,
        &[
            "indicators",
            "--period",
            "2025-03",
            "--set",
            "二级公立医院绩效考核（月度可计算）",
        ],
    );
    assert!(out.status.success());
    let out = run(&c, &["indicators", "--set", "gk4"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gk4") && err.contains("gk3, gk2, ygt"),
        "{err}"
    );
}

#[test]
fn targets_are_met_or_missed_by_direction_and_the_most_specific_wins() {
    let config = format!(
        r#"{MEMBERS}
[[targets]]
indicator = "avg_los"
value = 9

[[targets]]
indicator = "avg_los"
tier = "primary"
value = 6

[[targets]]
indicator = "bed_occupancy"
member = "h"
value = 95
"#
    );
    let c = Case::with_config(
        &config,
        &[
            ("甲市人民医院", "2025-03", "出院者占用总床日数", 17600.0),
            ("甲市人民医院", "2025-03", "出院人次", 2000.0),
            ("甲市人民医院", "2025-03", "实际占用总床日数", 45000.0),
            ("甲市人民医院", "2025-03", "实际开放总床日数", 48000.0),
            ("乙县人民医院", "2025-03", "出院者占用总床日数", 8200.0),
            ("乙县人民医院", "2025-03", "出院人次", 800.0),
            ("乙县人民医院", "2025-03", "实际占用总床日数", 9000.0),
            ("乙县人民医院", "2025-03", "实际开放总床日数", 9300.0),
            ("丙镇卫生院", "2025-03", "出院者占用总床日数", 720.0),
            ("丙镇卫生院", "2025-03", "出院人次", 100.0),
        ],
    );
    let get = |e: &str, i: &str| {
        let r = c.get(&MARCH, e, i);
        (f(&r, "target"), r["met"].clone(), f(&r, "value"))
    };
    // 平均住院日 is better lower: h 8.8 days meets 9, k 10.25 misses it.
    let (t, met, v) = get("h", "avg_los");
    assert!(
        close(v, 8.8) && close(t, 9.0) && met == "true",
        "{t:?} {met} {v:?}"
    );
    let (_, met, v) = get("k", "avg_los");
    assert!(close(v, 10.25) && met == "false");
    // The primary tier's own target (6) for its member and the tier: 7.2 misses it.
    let (t, met, _) = get("z", "avg_los");
    assert!(close(t, 6.0) && met == "false");
    let (t, met, _) = get("primary", "avg_los");
    assert!(close(t, 6.0) && met == "false");
    // The consortium has the general target: 26520 / 2900 = 9.14 days misses 9.
    let (t, met, v) = get("consortium", "avg_los");
    assert!(close(v, 26520.0 / 2900.0) && close(t, 9.0) && met == "false");
    // A member's target is its own: h misses 95% (45000 / 48000 = 93.75%), k has none.
    let (t, met, _) = get("h", "bed_occupancy");
    assert!(close(t, 95.0) && met == "false");
    let (t, met, _) = get("k", "bed_occupancy");
    assert!(t.is_none() && met.is_null());
    // An undefined value has no verdict: z has no bed-days.
    let (t, met, v) = get("z", "bed_occupancy");
    assert!(t.is_none() && v.is_none() && met.is_null());

    // People's table carries the 目标值 and 达标 columns.
    let out = run(
        &c,
        &[
            "indicators",
            "--period",
            "2025-03",
            "--indicator",
            "avg_los",
        ],
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("目标值") && table.contains("未达标") && table.contains("达标"),
        "{table}"
    );

    // A target on an indicator without a better direction must say its direction.
    let bad = format!("{MEMBERS}\n[[targets]]\nindicator = \"open_beds\"\nvalue = 100\n");
    std::fs::write(c.path().join("bad.toml"), bad).unwrap();
    let out = run(&c, &["catalog", "--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("open_beds") && err.contains("direction"),
        "{err}"
    );
}

#[test]
fn docs_indicators_md_is_the_catalogs_reference_page() {
    let out = assert_cmd::Command::cargo_bin("yilian")
        .unwrap()
        .args(["catalog", "--format", "md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/indicators.md"),
    )
    .unwrap();
    assert!(
        page == committed,
        "docs/indicators.md is out of date: run `yilian catalog --format md > docs/indicators.md`"
    );
    // It carries each official definition and source.
    assert!(page.contains("日间手术台次 / 同期出院患者择期手术总台次 × 100"));
    assert!(page.contains("国卫办基层发〔2020〕12号"));
}

#[test]
fn contract_rates_use_the_population_in_force_for_the_window() {
    let config = format!(
        r#"{MEMBERS}
[[population]]
member = "z"
from = "2024-01"
residents = 40000
key_population = 10000

[[population]]
member = "z"
from = "2025-03"
residents = 45000

[[population]]
member = "k"
from = "2019-01"
residents = 60000
"#
    );
    let c = Case::with_config(
        &config,
        &[
            ("丙镇卫生院", "2025-02", "家庭医生签约人数", 12000.0),
            ("丙镇卫生院", "2025-02", "重点人群签约人数", 6000.0),
            ("丙镇卫生院", "2025-03", "家庭医生签约人数", 12600.0),
            ("丙镇卫生院", "2025-03", "重点人群签约人数", 6300.0),
            ("乙县人民医院", "2025-03", "家庭医生签约人数", 15000.0),
        ],
    );
    let v = |p: &str, e: &str, i: &str| f(&c.get(&["--period", p], e, i), "value");
    // February: 40000 residents; March: the 45000 in force from March.
    assert!(close(
        v("2025-02", "z", "family_doctor_contract_rate"),
        12000.0 / 40000.0 * 100.0
    ));
    assert!(close(
        v("2025-03", "z", "family_doctor_contract_rate"),
        12600.0 / 45000.0 * 100.0
    ));
    // The March entry gives no key population: the 2024 one still holds.
    assert!(close(
        v("2025-03", "z", "key_population_contract_rate"),
        6300.0 / 10000.0 * 100.0
    ));
    assert!(close(
        v("2025-03", "consortium", "family_doctor_contract_rate"),
        27600.0 / 105000.0 * 100.0
    ));
    // k has no key population: no rate, not 0.
    assert!(v("2025-03", "k", "key_population_contract_rate").is_none());
    // An entry for an unknown member is an error.
    let bad =
        format!("{MEMBERS}\n[[population]]\nmember = \"q\"\nfrom = \"2024-01\"\nresidents = 1\n");
    std::fs::write(c.path().join("bad.toml"), bad).unwrap();
    let out = run(&c, &["catalog", "--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`q`"));
}

/// The sample's county hospital reports the finance and workforce items, and its primary
/// members have populations: the official indicators come out of `yilian sample` as the
/// generator's own figures say.
#[cfg(feature = "sample")]
#[test]
fn the_sample_reports_finance_workforce_and_population() {
    let ws = crate::common::Workspace::new();
    let dir = ws.path().join("sample");
    assert!(ws
        .yilian()
        .arg("sample")
        .arg(&dir)
        .output()
        .unwrap()
        .status
        .success());
    let out = ws
        .yilian()
        .args(["ingest", "--config", "sample/consortium.toml", "sample"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let truth = yilian::sample::truth();
    let fig = |m: &str, p: &str, x: &str| {
        truth
            .iter()
            .find(|t| t.member == m && t.period == p && t.metric == x)
            .map(|t| t.value)
            .unwrap_or_else(|| panic!("no truth {m} {p} {x}"))
    };
    let out = ws
        .yilian()
        .args(["indicators", "--config", "sample/consortium.toml"])
        .args([
            "--period", "2025-03", "--scope", "member", "--format", "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let get = |m: &str, i: &str| {
        let r = recs
            .iter()
            .find(|r| r["entity"] == m && r["indicator"] == i)
            .unwrap();
        f(r, "value")
    };
    let cp = |x: &str| fig("county_peoples", "2025-03", x);
    assert!(close(
        get("county_peoples", "outpatient_cost"),
        cp("outpatient_revenue") * 10000.0 / cp("outpatient_visits")
    ));
    assert!(close(
        get("county_peoples", "nurse_physician_ratio"),
        cp("nurses") / cp("physicians")
    ));
    assert!(close(
        get("county_peoples", "day_surgery_share"),
        cp("day_surgeries") / cp("elective_surgeries") * 100.0
    ));
    // dasha's population was revised to 38600 from 2025-01.
    assert!(close(
        get("dasha", "family_doctor_contract_rate"),
        fig("dasha", "2025-03", "family_doctor_contracts") / 38600.0 * 100.0
    ));
}
