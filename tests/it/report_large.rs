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

#[test]
fn many_members_charts_show_the_members_that_matter_and_say_how_many_are_left_out() {
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
