//! `yilian check` on the sample consortium finds the generator's deliberate faults and nothing
//! else, despite seasonality, growth, a member joining, a tier change and new items.
#![cfg(feature = "sample")]

use crate::common::*;
use std::collections::BTreeSet;

#[test]
fn check_finds_the_deliberate_faults_and_nothing_else() {
    let ws = Workspace::new();
    let dir = ws.path().join("sample");
    let out = ws.yilian().arg("sample").arg(&dir).output().unwrap();
    assert!(out.status.success());
    let out = ws
        .yilian()
        .args(["ingest", "--config", "sample/consortium.toml", "sample"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = ws
        .yilian()
        .args([
            "check",
            "--config",
            "sample/consortium.toml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let rule_of = |kind: &str| match kind {
        "grade34_exceeds_total" => "grade34_le_surgeries",
        "occupied_exceeds_open" => "occupied_le_open",
        "outlier" => "history_outlier",
        "missing_submission" => "missing_submission",
        "late_submission" => "late_submission",
        "sum_row_mismatch" => "sum_row",
        "correction" => "correction",
        "missing_value" => "item_missing",
        "unmapped_item" => "unmapped_item",
        other => panic!("fault kind {other} has no rule"),
    };
    let want: BTreeSet<(String, String, String)> = yilian::sample::deliberate_faults()
        .iter()
        .map(|f| {
            (
                rule_of(f.kind).to_string(),
                f.member.clone(),
                f.period.clone(),
            )
        })
        .collect();
    let findings = v["findings"].as_array().unwrap();
    let got: BTreeSet<(String, String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["member"].as_str().unwrap().to_string(),
                f["period"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let missed: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missed.is_empty() && extra.is_empty(),
        "missed {missed:#?}\nextra {extra:#?}"
    );
    // one finding per fault
    assert_eq!(findings.len(), want.len());
    // every finding names its place
    for f in findings {
        if f["rule"] != "missing_submission" {
            assert!(!f["file"].as_str().unwrap().is_empty(), "{f}");
        }
        assert!(!f["message"].as_str().unwrap().is_empty(), "{f}");
    }
    let outlier = findings
        .iter()
        .find(|f| f["rule"] == "history_outlier")
        .unwrap();
    assert_eq!(outlier["member"], "county_tcm");
    assert_eq!(outlier["item"], "outpatient_visits");
    let matrix = v["completeness"].as_array().unwrap();
    let status = |m: &str, p: &str| {
        matrix
            .iter()
            .find(|c| c["member"] == m && c["period"] == p)
            .map(|c| c["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("shimen", "2025-08").as_deref(), Some("missing"));
    assert_eq!(status("county_peoples", "2025-04").as_deref(), Some("late"));
    assert_eq!(
        status("county_peoples", "2025-05").as_deref(),
        Some("on_time")
    );
}
