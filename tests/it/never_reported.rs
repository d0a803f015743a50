//! Items a member never reports: a service it does not provide adds nothing (domain contract),
//! but revenue and staff are not services (`never_reported = "unknown"` in the catalog): a
//! member that never sends them is left out of a ratio over them, numerator and denominator,
//! and the figure says how many members it covers. Every expected value is computed by hand
//! from the rows below.

use crate::indicators::{close, f, Case};

const CONSORTIUM: &str = r#"
name = "收入医联体"
[[members]]
id = "h"
name = "甲县人民医院"
tier = "secondary"
joined = "2019-01"

[[members]]
id = "t"
name = "乙镇卫生院"
tier = "primary"
joined = "2019-01"

# An item of the office's own that is revenue, not a service.
[[metrics]]
code = "lab_revenue"
name = "检验收入"
unit = "万元"
over_time = "sum"
never_reported = "unknown"

[[indicators]]
code = "lab_share"
name = "检验收入占比"
unit = "%"
expr = "lab_revenue / medical_revenue * 100"
"#;

fn case() -> Case {
    Case::with_config(
        CONSORTIUM,
        &[
            // The hospital reports revenue, staff and services.
            ("甲县人民医院", "2025-03", "门急诊人次", 4000.0),
            ("甲县人民医院", "2025-03", "门诊收入", 100.0),
            ("甲县人民医院", "2025-03", "医疗收入", 200.0),
            ("甲县人民医院", "2025-03", "检验收入", 20.0),
            ("甲县人民医院", "2025-03", "执业医师数", 100.0),
            ("甲县人民医院", "2025-03", "注册护士数", 150.0),
            ("甲县人民医院", "2025-03", "住院手术例数", 100.0),
            ("甲县人民医院", "2025-03", "日间手术例数", 10.0),
            // The township centre never sends 门诊收入, 检验收入, 注册护士数 or day surgeries.
            ("乙镇卫生院", "2025-03", "门急诊人次", 6000.0),
            ("乙镇卫生院", "2025-03", "医疗收入", 50.0),
            ("乙镇卫生院", "2025-03", "执业医师数", 10.0),
            ("乙镇卫生院", "2025-03", "住院手术例数", 20.0),
        ],
    )
}

const ARGS: [&str; 4] = ["--period", "2025-03", "--scope", "all"];

#[test]
fn revenue_and_staff_never_sent_leave_the_member_out_of_the_ratio() {
    let c = case();
    let recs = c.records(&ARGS);
    let get = |entity: &str, indicator: &str| {
        recs.iter()
            .find(|r| r["entity"] == entity && r["indicator"] == indicator)
            .unwrap_or_else(|| panic!("no {entity} {indicator}"))
            .clone()
    };
    // 门诊次均费用: 100 万元 × 10000 / 4000 = 250 元 — the hospital alone, not
    // 1,000,000 / 10,000 = 100 元 with the centre's visits against no revenue.
    let oc = get("consortium", "outpatient_cost");
    assert!(close(f(&oc, "value"), 250.0), "{oc}");
    assert_eq!(
        (oc["covered"].as_u64(), oc["members"].as_u64()),
        (Some(1), Some(2))
    );
    // The centre's own figure is unknown, not 0 元.
    assert!(get("t", "outpatient_cost")["value"].is_null());
    assert!(close(f(&get("h", "outpatient_cost"), "value"), 250.0));
    // 医护比 (注册护士数 / 执业医师数): 150 / 100, not 150 / 110.
    let npr = get("consortium", "nurse_physician_ratio");
    assert!(close(f(&npr, "value"), 1.5), "{npr}");
    assert_eq!(npr["covered"].as_u64(), Some(1));
    // The office's own revenue item in its own formula: 20 / 200, not 20 / 250.
    let lab = get("consortium", "lab_share");
    assert!(close(f(&lab, "value"), 10.0), "{lab}");
    assert_eq!(lab["covered"].as_u64(), Some(1));
    // A service the centre does not provide still adds nothing while its surgeries count:
    // 日间手术占住院手术比例 10 / (100 + 20).
    let day = get("consortium", "day_surgery_of_surgeries");
    assert!(close(f(&day, "value"), 10.0 / 120.0 * 100.0), "{day}");
    assert_eq!(day["covered"].as_u64(), Some(2));
    // An item on its own is the total of those who report it: 医疗收入 200 + 50.
    assert!(close(
        f(&get("consortium", "medical_revenue"), "value"),
        250.0
    ));
}

#[test]
fn the_catalog_says_which_items_are_unknown_when_never_sent() {
    let c = case();
    let out = c
        .cmd()
        .args(["catalog", "--config", "consortium.toml", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown: Vec<&str> = v["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["never_reported"] == "unknown")
        .map(|m| m["code"].as_str().unwrap())
        .collect();
    // Revenue (医疗收入 and its parts, 医保收入), staff, and the office's own item.
    assert_eq!(
        unknown,
        [
            "medical_revenue",
            "outpatient_revenue",
            "inpatient_revenue",
            "drug_revenue",
            "material_revenue",
            "service_revenue",
            "insurance_revenue",
            "physicians",
            "nurses",
            "lab_revenue"
        ]
    );
    // The reference page says it in words.
    let md = c
        .cmd()
        .args(["catalog", "--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("never_reported = \"unknown\""), "{md:.2000}");
    assert!(md.contains("`outpatient_revenue`"));
}
