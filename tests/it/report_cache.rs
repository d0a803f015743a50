//! The findings a report keeps of each month (`check::cache`): the next report of the year
//! checks only the months whose rows or settings changed, and says exactly what a report
//! that checked every month says.
#![cfg(feature = "sample")]

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// The sample consortium ingested into `st`.
fn sample() -> Workspace {
    let ws = Workspace::new();
    let out = ws.yilian().arg("sample").arg("sample").output().unwrap();
    assert!(out.status.success());
    ingest(&ws, "sample");
    ws
}

/// `yilian ingest FOLDER` into `st`, which must store everything.
fn ingest(ws: &Workspace, folder: &str) {
    let out = ws
        .yilian()
        .args(["ingest", folder, "--config", "sample/consortium.toml"])
        .args(["--store", "st"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
}

/// Writes the report of 2025-12 from `store` into `out`; the months kept and checked, as the
/// debug log says them.
fn report(ws: &Workspace, store: &str, out: &str) -> String {
    report_of(ws, "2025-12", store, out)
}

fn report_of(ws: &Workspace, period: &str, store: &str, out: &str) -> String {
    let o = ws
        .yilian()
        .args(["--debug", "report", "--config", "sample/consortium.toml"])
        .args(["--store", store, "--period", period, "--out", out])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    err.lines()
        .find_map(|l| {
            l.strip_prefix("debug: report: ")
                .filter(|l| l.contains("findings kept"))
        })
        .unwrap_or_else(|| panic!("no line on kept findings: {err}"))
        .to_string()
}

/// Every file of a report, the workbook by part (but its creation time).
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.strip_prefix(dir).unwrap().display().to_string();
            let bytes = std::fs::read(&p).unwrap();
            if name.ends_with(".xlsx") {
                for (part_name, part) in workbook_parts(&bytes) {
                    out.insert(format!("{name}:{part_name}"), part);
                }
            } else {
                out.insert(name, bytes);
            }
        }
    }
    out
}

fn assert_same(ws: &Workspace, a: &str, b: &str) {
    let (x, y) = (contents(&ws.path().join(a)), contents(&ws.path().join(b)));
    assert_eq!(
        x.keys().collect::<Vec<_>>(),
        y.keys().collect::<Vec<_>>(),
        "{a} and {b} hold other files"
    );
    for (k, v) in &x {
        assert!(v == &y[k], "{k} differs between {a} and {b}");
    }
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn gunzip(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// A copy of the store without its kept findings: what a report that checks every month
/// reads.
fn uncached_copy(ws: &Workspace, from: &str, to: &str) {
    let (src, dst) = (ws.path().join(from), ws.path().join(to));
    let _ = std::fs::remove_dir_all(&dst);
    copy_dir(&src, &dst);
    std::fs::remove_dir_all(dst.join("cache")).unwrap();
}

#[test]
fn kept_months_are_not_checked_again_and_the_report_is_the_same() {
    let ws = sample();
    assert_eq!(
        report(&ws, "st", "cold"),
        "0 months' findings kept, 12 checked"
    );
    let kept = ws.path().join("st/cache/findings");
    let mut months: Vec<String> = std::fs::read_dir(&kept)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    months.sort();
    let want: Vec<String> = (1..=12).map(|m| format!("2025-{m:02}.json.gz")).collect();
    assert_eq!(months, want);
    assert_eq!(
        report(&ws, "st", "warm"),
        "12 months' findings kept, 0 checked"
    );
    assert_same(&ws, "cold", "warm");

    // A month's entry that cannot be read, or that holds another month's findings, is
    // checked again.
    std::fs::write(kept.join("2025-05.json.gz"), gz(b"{\"key\":")).unwrap();
    std::fs::copy(kept.join("2025-02.json.gz"), kept.join("2025-07.json.gz")).unwrap();
    // An item beyond the entry's list of items.
    let september = kept.join("2025-09.json.gz");
    let mut entry: serde_json::Value = serde_json::from_slice(&gunzip(&september)).unwrap();
    entry["figures"][0][1][0] = serde_json::json!(9999);
    std::fs::write(&september, gz(&serde_json::to_vec(&entry).unwrap())).unwrap();
    // And one whose bytes are not gzip at all.
    std::fs::write(kept.join("2025-10.json.gz"), b"{}").unwrap();
    assert_eq!(
        report(&ws, "st", "mended"),
        "8 months' findings kept, 4 checked"
    );
    assert_same(&ws, "cold", "mended");
}

#[test]
fn a_correction_of_a_kept_month_checks_it_and_the_months_after_it_again() {
    let ws = sample();
    report(&ws, "st", "before");
    // 城关's March corrected: 5,570 discharged bed-days against 544 occupied, which the
    // check flags (bed_days_ratio).
    let fix = "填报单位：城关社区卫生服务中心,,\n统计期间：2025年3月,,\n指标名称,单位,本月\n\
               实际占用总床日数,床日,544\n出院者占用总床日数,床日,5570\n";
    std::fs::create_dir_all(ws.path().join("fix")).unwrap();
    std::fs::write(ws.path().join("fix/城关_2025年3月更正.csv"), fix).unwrap();
    ingest(&ws, "fix");
    // January and February do not look at March; March and every month after it were
    // checked with the rows before the correction.
    assert_eq!(
        report(&ws, "st", "after"),
        "2 months' findings kept, 10 checked"
    );
    let march =
        String::from_utf8(gunzip(&ws.path().join("st/cache/findings/2025-03.json.gz"))).unwrap();
    assert!(
        march.contains("5570"),
        "the corrected figure's finding is kept: {march}"
    );
    uncached_copy(&ws, "st", "st2");
    assert_eq!(
        report(&ws, "st2", "checked"),
        "0 months' findings kept, 12 checked"
    );
    assert_same(&ws, "after", "checked");
    // And the report says it.
    let html = std::fs::read_to_string(ws.path().join("after/index.html")).unwrap();
    assert!(
        html.contains("5570") || html.contains("5,570"),
        "the finding is in the report"
    );
}

#[test]
fn changed_settings_check_every_month_again() {
    let ws = sample();
    report(&ws, "st", "before");
    // The plausibility ranges of community centres narrowed: other findings.
    let cfg = ws.path().join("sample/consortium.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("\n[check.severity]\noccupancy_range = \"error\"\n");
    std::fs::write(&cfg, text).unwrap();
    assert_eq!(
        report(&ws, "st", "after"),
        "0 months' findings kept, 12 checked"
    );
    uncached_copy(&ws, "st", "st2");
    report(&ws, "st2", "checked");
    assert_same(&ws, "after", "checked");
}

/// The sample's two yearly files of 2024 (a member's twelve months in one submission): the
/// months of June's report, checked with the file's first six months only, are kept for
/// December's, which checks the other six; a report of December that checks the year at
/// once (the file's months together) says the same.
#[test]
fn months_of_one_submission_kept_apart_give_the_same_report() {
    let ws = sample();
    uncached_copy_of_fresh(&ws, "st", "st2");
    assert_eq!(
        report_of(&ws, "2024-06", "st", "june"),
        "0 months' findings kept, 6 checked"
    );
    assert_eq!(
        report_of(&ws, "2024-12", "st", "kept"),
        "6 months' findings kept, 6 checked"
    );
    assert_eq!(
        report_of(&ws, "2024-12", "st2", "whole"),
        "0 months' findings kept, 12 checked"
    );
    assert_same(&ws, "kept", "whole");
}

/// A copy of a store that has no kept findings yet.
fn uncached_copy_of_fresh(ws: &Workspace, from: &str, to: &str) {
    assert!(!ws.path().join(from).join("cache").exists());
    copy_dir(&ws.path().join(from), &ws.path().join(to));
}

/// A store whose findings cannot be kept (here `cache` is a file, where a folder would be:
/// what a read-only store does to a root user too) gives the same report, checking every
/// month each time.
#[test]
fn findings_that_cannot_be_kept_leave_the_report_as_it_is() {
    let ws = sample();
    std::fs::write(ws.path().join("st/cache"), b"not a folder").unwrap();
    assert_eq!(
        report(&ws, "st", "first"),
        "0 months' findings kept, 12 checked"
    );
    assert_eq!(
        report(&ws, "st", "second"),
        "0 months' findings kept, 12 checked"
    );
    assert_same(&ws, "first", "second");
    std::fs::remove_file(ws.path().join("st/cache")).unwrap();
    report(&ws, "st", "kept");
    assert_same(&ws, "first", "kept");
}

/// `--debug` puts every stage's end on one clock, the process's: the stages count from
/// their own starts (the year's check on its thread, the workbook on its own), and only the
/// second time says what came before what. A stage's own time is never more than the
/// process's, nor the process's more than the command took.
#[test]
fn the_debug_timeline_puts_every_stage_on_the_process_clock() {
    let ws = sample();
    let started = std::time::Instant::now();
    let o = ws
        .yilian()
        .args(["--debug", "report", "--config", "sample/consortium.toml"])
        .args(["--store", "st", "--period", "2025-12", "--out", "timed"])
        .output()
        .unwrap();
    let took = started.elapsed().as_secs_f64();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // `report: check done at 0.76s (0.812s since the start), …`
    let seconds = |s: &str| s.trim_end_matches('s').parse::<f64>().unwrap();
    let stages: Vec<(String, f64, f64)> = err
        .lines()
        .filter_map(|l| {
            let (what, rest) = l.strip_prefix("debug: ")?.split_once(" done at ")?;
            let (own, rest) = rest.split_once(" (")?;
            let (clock, _) = rest.split_once(" since the start)")?;
            Some((what.to_string(), seconds(own), seconds(clock)))
        })
        .collect();
    for what in ["report: check", "report: indicators", "report: report.xlsx"] {
        assert!(
            stages.iter().any(|s| s.0 == what),
            "no `{what}` on the clock: {err}"
        );
    }
    for (what, own, clock) in &stages {
        assert!(
            *own <= clock + 0.005,
            "{what}: {own} s of its own, {clock} s in: {err}"
        );
        assert!(*clock <= took, "{what}: {clock} s in a command of {took} s");
    }
}
