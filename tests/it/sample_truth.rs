//! `yilian sample` then `yilian ingest`: every value the generator wrote is stored where the
//! generator says (its truth), nothing else, with only the deliberate warnings.
#![cfg(feature = "sample")]

use crate::common::*;
use std::collections::BTreeMap;

#[test]
fn the_sample_ingests_to_the_generators_truth() {
    let ws = Workspace::new();
    let dir = ws.path().join("sample");
    let out = ws.yilian().arg("sample").arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ws
        .yilian()
        .args([
            "ingest",
            "--config",
            "sample/consortium.toml",
            "--format",
            "json",
            "sample",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["members"], 12);
    assert_eq!(summary["periods"].as_array().unwrap().len(), 24);

    // Only the deliberate warnings: the lead's unmapped item every month, one 合计 mismatch.
    let mut warnings: Vec<String> = vec![];
    for r in summary["file_reports"].as_array().unwrap() {
        for w in r["warnings"].as_array().unwrap() {
            warnings.push(format!("{} {}", r["path"], w["message"]));
        }
    }
    let unmapped = warnings
        .iter()
        .filter(|w| w.contains("医技检查人次"))
        .count();
    let sum_row = warnings
        .iter()
        .filter(|w| w.contains("合计 row says") && w.contains("2024年9月"))
        .count();
    assert_eq!(unmapped, 24, "{warnings:#?}");
    assert_eq!(sum_row, 1, "{warnings:#?}");
    assert_eq!(warnings.len(), 25, "{warnings:#?}");

    let store = yilian::store::Store::open_existing(&dir.join("store")).unwrap();
    let got = frame_map(store.effective().unwrap().collect().unwrap());
    let base: BTreeMap<&String, Option<f64>> = got
        .iter()
        .filter(|(k, v)| {
            k.ends_with("|month")
                && v.is_some()
                && yilian::catalog::Catalog::builtin()
                    .metric(k.split('|').nth(2).unwrap())
                    .is_some()
        })
        .map(|(k, v)| (k, *v))
        .collect();
    let truth = yilian::sample::truth();
    for t in &truth {
        let key = format!("{}|{}|{}|month", t.member, t.period, t.metric);
        let v = got
            .get(&key)
            .copied()
            .flatten()
            .unwrap_or_else(|| panic!("{key} not stored"));
        assert!(
            (v - t.value).abs() < 1e-6,
            "{key}: stored {v}, truth {}",
            t.value
        );
    }
    assert_eq!(
        base.len(),
        truth.len(),
        "stored base values beyond the truth"
    );

    for t in yilian::sample::truth_prior_year() {
        // Stored under the month of the form that wrote it (one year later).
        let p = yilian::model::period::Period::parse_strict(&t.period)
            .unwrap()
            .add_months(12);
        let key = format!("{}|{}|{}|prior_year", t.member, p, t.metric);
        let v = got
            .get(&key)
            .copied()
            .flatten()
            .unwrap_or_else(|| panic!("{key} not stored"));
        assert!(
            (v - t.value).abs() < 1e-6,
            "{key}: stored {v}, truth {}",
            t.value
        );
    }

    // The correction: both versions kept, the corrected one in use.
    let corr = yilian::sample::deliberate_faults()
        .into_iter()
        .find(|f| f.kind == "correction")
        .unwrap();
    let history = ws
        .yilian()
        .args([
            "history",
            "--config",
            "sample/consortium.toml",
            "--member",
            &corr.member,
            "--period",
            &corr.period,
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(history.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(
        text.contains("superseded") && text.contains("更正版"),
        "{text}"
    );
}
