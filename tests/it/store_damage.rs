#![cfg(unix)]
//! A damaged store (issue 18, cases 10–14): a submission file missing, truncated, emptied or
//! overwritten is named with the submissions it held, by every command; new files are still
//! stored; the schema file is never a silent "version 0"; tmp/ cleaning never follows a link;
//! waiting for the lock is said and can be bounded.

use crate::common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

/// The county hospital's form for one month of 2024, with its discharges.
fn form(month: u32, discharges: i64) -> Value {
    json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
        ["填报单位：示例县人民医院", null, format!("统计期间：2024年{month}月")],
        ["指标名称", "单位", "本月"],
        ["出院人数", "人次", discharges],
        ["门急诊人次", "人次", 45678]
    ]}]})
}

/// A store of three ingest runs: submissions 1 (January), 2 (February), 3 (March), one
/// Parquet file each.
fn three_runs() -> Workspace {
    let ws = Workspace::new();
    for (m, d) in [(1, 1001), (2, 1002), (3, 1003)] {
        ws.put(&format!("{m}/县医院_2024年{m}月.xlsx"), &xlsx(&form(m, d)));
        let (code, s) = ws.ingest(&[&format!("inbox/{m}")]);
        assert_eq!((code, s["stored"].as_u64()), (0, Some(1)), "{s:#}");
    }
    assert_eq!(
        ws.store_files(),
        [
            "000001-000001.parquet",
            "000002-000002.parquet",
            "000003-000003.parquet"
        ]
    );
    ws
}

fn file(ws: &Workspace, name: &str) -> PathBuf {
    ws.store().join("submissions").join(name)
}

fn run(ws: &Workspace, args: &[&str]) -> Output {
    ws.yilian()
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Every command that reads the store refuses with exit 6 and an error naming the file, the
/// submission it held and the file the member sent.
fn every_command_names(ws: &Workspace, name: &str, what: &str, seq: &str, source: &str) {
    let out_dir = ws.path().join("report-out");
    let out_dir = out_dir.to_str().unwrap();
    for args in [
        vec!["indicators", "--period", "2024-03"],
        vec!["check"],
        vec!["history"],
        vec!["report", "--period", "2024-03", "--out", out_dir],
    ] {
        let o = run(ws, &args);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(6), "{args:?}: {e}");
        assert!(
            e.contains(&format!("submissions/{name} {what}"))
                && e.contains(&format!("it held submission {seq} ({source})")),
            "{args:?}: {e}"
        );
        assert!(!String::from_utf8_lossy(&o.stdout).contains("missing"));
    }
}

#[test]
fn a_deleted_file_is_named_with_its_submission_not_blamed_on_the_member() {
    let ws = three_runs();
    std::fs::remove_file(file(&ws, "000002-000002.parquet")).unwrap();
    every_command_names(
        &ws,
        "000002-000002.parquet",
        "is missing",
        "2",
        "县医院_2024年2月.xlsx",
    );
    // `check` does not report the member as not having submitted February.
    let o = run(&ws, &["check", "--format", "json"]);
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains("missing_submission"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = run(&ws, &["store", "verify", "--format", "json"]);
    assert_eq!(o.status.code(), Some(6));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["sound"], false);
    assert_eq!(v["lost_seqs"], json!([2]));
    let missing: Vec<&Value> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "ok")
        .collect();
    assert_eq!(missing.len(), 1, "{v:#}");
    assert_eq!(missing[0]["name"], "000002-000002.parquet");
    assert_eq!(missing[0]["status"], "missing");
    assert_eq!(
        missing[0]["member_months"],
        json!(["county_peoples 2024-02"])
    );
}

#[test]
fn the_intact_part_can_be_read_when_asked_saying_what_is_left_out() {
    let ws = three_runs();
    std::fs::remove_file(file(&ws, "000002-000002.parquet")).unwrap();
    let o = run(
        &ws,
        &["history", "--allow-damaged-store", "--format", "csv"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("DAMAGED")
            && e.contains("submissions/000002-000002.parquet is missing: it held submission 2")
            && e.contains("county_peoples 2024-02"),
        "{e}"
    );
    let text = String::from_utf8(o.stdout).unwrap();
    // January and March, not February.
    let periods: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(periods, ["2024-01", "2024-03"], "{text}");
}

/// `check --allow-damaged-store` does not send a member a missing-submission error for a month
/// the store lost: the month is marked lost by the store, and a note says which file.
#[test]
fn check_on_a_damaged_store_does_not_blame_the_member_for_a_lost_month() {
    let ws = three_runs();
    std::fs::remove_file(file(&ws, "000002-000002.parquet")).unwrap();
    let o = run(&ws, &["check", "--allow-damaged-store", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let missing: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "missing_submission" && f["member"] == "county_peoples")
        .collect();
    // January and March were sent and kept; February was sent and lost by the store.
    assert!(missing.is_empty(), "{missing:#?}");
    let feb = v["completeness"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["member"] == "county_peoples" && c["period"] == "2024-02")
        .unwrap();
    assert_eq!(feb["status"], "lost", "{feb}");
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("county_peoples 2024-02: its submission is in submissions/000002-000002.parquet, which the store lost"),
        "{notes}"
    );
}

/// Truncated, emptied and overwritten (by another valid Parquet file): named, never a bare
/// "The file must end with PAR1".
#[test]
fn a_truncated_emptied_or_overwritten_file_is_named_by_every_command() {
    for (how, what) in [
        ("truncated", "is truncated"),
        ("emptied", "is empty"),
        ("overwritten", "was overwritten"),
        ("same size", "was overwritten or corrupted (same size"),
    ] {
        let ws = three_runs();
        let target = file(&ws, "000002-000002.parquet");
        let bytes = std::fs::read(&target).unwrap();
        match how {
            "truncated" => std::fs::write(&target, &bytes[..bytes.len() / 2]).unwrap(),
            "emptied" => std::fs::write(&target, b"").unwrap(),
            "same size" => {
                // A byte of the footer changed, the PAR1 marks and the size kept.
                let mut b = bytes.clone();
                let at = b.len() - 40;
                b[at] ^= 0x55;
                std::fs::write(&target, b).unwrap()
            }
            _ => {
                // Another Parquet file's bytes followed by junk ending as Parquet does: the
                // files are of about the same size, so 4 KiB more tells them apart.
                let mut other = std::fs::read(file(&ws, "000001-000001.parquet")).unwrap();
                other.extend_from_slice(&[0u8; 4096]);
                other.extend_from_slice(b"PAR1");
                std::fs::write(&target, other).unwrap()
            }
        }
        every_command_names(
            &ws,
            "000002-000002.parquet",
            what,
            "2",
            "县医院_2024年2月.xlsx",
        );
        let o = run(&ws, &["check"]);
        assert!(
            !stderr(&o).contains("must end with PAR1"),
            "{how}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_changed_byte_in_the_middle_is_found_by_verify() {
    let ws = three_runs();
    let target = file(&ws, "000002-000002.parquet");
    let mut bytes = std::fs::read(&target).unwrap();
    let mid = bytes.len() / 3;
    bytes[mid] ^= 0x55;
    std::fs::write(&target, bytes).unwrap();
    let o = run(&ws, &["store", "verify"]);
    assert_eq!(o.status.code(), Some(6));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("submissions/000002-000002.parquet has changed since it was written")
            && text.contains("submission 2"),
        "{text}"
    );
}

#[test]
fn new_files_are_stored_beside_a_damaged_one_and_the_lost_one_restored_in_place() {
    let ws = three_runs();
    std::fs::write(file(&ws, "000002-000002.parquet"), b"").unwrap();
    // April still goes in, with the next number; the damage stays reported.
    ws.put("4/县医院_2024年4月.xlsx", &xlsx(&form(4, 1004)));
    let o = run(&ws, &["ingest", "--format", "json", "inbox/4"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["stored"], 1);
    assert_eq!(s["file_reports"][0]["seq"], 4);
    assert!(
        s["store_damage"][0]
            .as_str()
            .unwrap()
            .starts_with("submissions/000002-000002.parquet is empty"),
        "{s:#}"
    );
    assert!(
        stderr(&o).contains("submissions/000002-000002.parquet is empty"),
        "{}",
        stderr(&o)
    );
    assert_eq!(run(&ws, &["store", "verify"]).status.code(), Some(6));
    // February is corrected after the loss: the correction must keep winning once
    // February's original is ingested again.
    ws.put("5/县医院_2024年2月_更正.xlsx", &xlsx(&form(2, 1202)));
    let (code, s) = ws.ingest(&["inbox/5"]);
    assert_eq!((code, s["file_reports"][0]["seq"].as_u64()), (0, Some(5)));
    // The member's original February file again: stored under its old number, 2.
    let (code, s) = ws.ingest(&["inbox/2"]);
    assert_eq!(code, 0, "{s:#}");
    assert_eq!(s["file_reports"][0]["seq"], 2, "{s:#}");
    let o = run(&ws, &["store", "verify"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // The emptied file is kept aside, not deleted.
    assert!(ws.store().join("damaged/000002-000002.parquet").exists());
    let eff = ws.effective();
    assert_eq!(eff["county_peoples|2024-02|discharges|month"], Some(1202.0));
    assert_eq!(eff["county_peoples|2024-03|discharges|month"], Some(1003.0));
    assert_eq!(eff["county_peoples|2024-04|discharges|month"], Some(1004.0));
}

#[test]
fn a_lost_file_given_up_is_no_longer_an_error() {
    let ws = three_runs();
    std::fs::write(file(&ws, "000002-000002.parquet"), b"garbage").unwrap();
    assert_eq!(run(&ws, &["history"]).status.code(), Some(6));
    let o = run(&ws, &["store", "forget", "000001-000001.parquet"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an intact file cannot be given up"
    );
    let o = run(&ws, &["store", "forget", "000002-000002.parquet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(ws.store().join("damaged/000002-000002.parquet")).unwrap(),
        b"garbage"
    );
    assert_eq!(run(&ws, &["store", "verify"]).status.code(), Some(0));
    assert_eq!(run(&ws, &["history"]).status.code(), Some(0));
    // Its number is not reused.
    ws.put("4/县医院_2024年4月.xlsx", &xlsx(&form(4, 1004)));
    let (_, s) = ws.ingest(&["inbox/4"]);
    assert_eq!(s["file_reports"][0]["seq"], 4);
}

#[test]
fn a_store_without_manifest_finds_a_deleted_file_by_the_gap_in_numbers() {
    // As a store written before the manifest existed.
    let ws = three_runs();
    std::fs::remove_file(ws.store().join("manifest.json")).unwrap();
    std::fs::remove_file(file(&ws, "000002-000002.parquet")).unwrap();
    let o = run(&ws, &["check"]);
    assert_eq!(o.status.code(), Some(6));
    assert!(
        stderr(&o).contains("submissions/000002-000002.parquet is missing (no file holds these sequence numbers): it held submission 2"),
        "{}",
        stderr(&o)
    );
    // The next ingest records what it finds, and numbers after the gap.
    ws.put("4/县医院_2024年4月.xlsx", &xlsx(&form(4, 1004)));
    let (_, s) = ws.ingest(&["inbox/4"]);
    assert_eq!(s["file_reports"][0]["seq"], 4);
    let o = run(&ws, &["store", "verify", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["lost_seqs"], json!([2]));
    // The manifest knows the files it adopted: their sources are listed.
    let first = &v["files"][0];
    assert_eq!(first["name"], "000001-000001.parquet");
    assert_eq!(first["sources"], json!(["县医院_2024年1月.xlsx"]));
}

#[test]
fn an_empty_schema_file_says_so() {
    let ws = three_runs();
    std::fs::write(ws.store().join("yilian-store.toml"), b"").unwrap();
    for args in [
        vec!["check"],
        vec!["ingest", "inbox/1"],
        vec!["store", "verify"],
    ] {
        let o = run(&ws, &args);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            e.contains("yilian-store.toml is empty — probably written on a full disk")
                && e.contains("schema_version = 2")
                && !e.contains("schema version 0"),
            "{args:?}: {e}"
        );
    }
    // Written as it says, the store works again.
    std::fs::write(ws.store().join("yilian-store.toml"), "schema_version = 1\n").unwrap();
    assert_eq!(run(&ws, &["history"]).status.code(), Some(0));
}

#[test]
fn the_schema_file_is_written_whole_with_no_temporary_left() {
    let ws = Workspace::new();
    ws.put("县医院_2024年1月.xlsx", &xlsx(&form(1, 1001)));
    ws.ingest(&["inbox"]);
    let text = std::fs::read_to_string(ws.store().join("yilian-store.toml")).unwrap();
    assert!(text.contains("schema_version = 2"), "{text}");
    let left: Vec<String> = std::fs::read_dir(ws.store())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_tmp_folder_that_is_a_link_is_refused_and_its_target_left_alone() {
    let ws = Workspace::new();
    ws.put("1/县医院_2024年1月.xlsx", &xlsx(&form(1, 1001)));
    ws.ingest(&["inbox/1"]);
    let elsewhere = ws.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    // A file of the user's, and one named as yilian's own temporary files are.
    std::fs::write(elsewhere.join("thesis.docx"), b"years of work").unwrap();
    std::fs::write(elsewhere.join("000009-000009.parquet.tmp"), b"not ours").unwrap();
    std::fs::remove_dir(ws.store().join("tmp")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, ws.store().join("tmp")).unwrap();
    ws.put("2/县医院_2024年2月.xlsx", &xlsx(&form(2, 1002)));
    let o = run(&ws, &["ingest", "inbox/2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("tmp is a symbolic link"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read(elsewhere.join("thesis.docx")).unwrap(),
        b"years of work"
    );
    assert!(elsewhere.join("000009-000009.parquet.tmp").exists());
}

#[test]
fn tmp_cleaning_removes_only_yilians_own_leftovers() {
    let ws = Workspace::new();
    ws.put("1/县医院_2024年1月.xlsx", &xlsx(&form(1, 1001)));
    ws.ingest(&["inbox/1"]);
    let tmp = ws.store().join("tmp");
    std::fs::write(tmp.join("notes.txt"), b"mine").unwrap();
    std::fs::write(tmp.join("000002-000002.parquet.tmp"), b"half written").unwrap();
    let target = ws.path().join("precious.parquet.tmp");
    std::fs::write(&target, b"keep").unwrap();
    std::os::unix::fs::symlink(&target, tmp.join("000003-000003.parquet.tmp")).unwrap();
    ws.put("2/县医院_2024年2月.xlsx", &xlsx(&form(2, 1002)));
    assert_eq!(ws.ingest(&["inbox/2"]).0, 0);
    assert!(tmp.join("notes.txt").exists());
    assert!(!tmp.join("000002-000002.parquet.tmp").exists());
    assert_eq!(std::fs::read(&target).unwrap(), b"keep");
}

/// Holds the store lock as another yilian would: flock on `.lock`, with its pid inside.
fn hold_lock(store: &Path, pid: &str) -> std::fs::File {
    use std::io::Write;
    let mut f = std::fs::File::options()
        .create(true)
        .truncate(true)
        .write(true)
        .open(store.join(".lock"))
        .unwrap();
    f.lock().unwrap();
    f.write_all(pid.as_bytes()).unwrap();
    f
}

#[test]
fn waiting_for_the_lock_is_said_and_bounded_by_lock_timeout() {
    let ws = Workspace::new();
    ws.put("1/县医院_2024年1月.xlsx", &xlsx(&form(1, 1001)));
    ws.ingest(&["inbox/1"]);
    let held = hold_lock(&ws.store(), "424242\n");
    ws.put("2/县医院_2024年2月.xlsx", &xlsx(&form(2, 1002)));
    let started = std::time::Instant::now();
    let o = run(&ws, &["ingest", "--lock-timeout", "1", "inbox/2"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(7), "{e}");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        e.contains("waiting for another yilian process (pid 424242) holding the lock")
            && e.contains("gave up after 1s"),
        "{e}"
    );
    assert_eq!(ws.store_files().len(), 1, "nothing stored");
    // Without a timeout it waits, says so, and goes on once the lock is released.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("yilian"))
        .current_dir(ws.path())
        .env("NO_COLOR", "1")
        .args(["ingest", "inbox/2"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(child.try_wait().unwrap().is_none(), "it waits");
    drop(held);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("waiting for another yilian process (pid 424242)"));
    assert_eq!(ws.store_files().len(), 2);
}

#[test]
fn concurrent_ingests_leave_a_manifest_that_records_both_runs() {
    let ws = Workspace::new();
    for m in 1..=6 {
        ws.put(
            &format!("a/县医院_2024年{m}月.xlsx"),
            &xlsx(&form(m, 1000 + m as i64)),
        );
        ws.put(
            &format!("b/县医院_2024年{}月.xlsx", m + 6),
            &xlsx(&form(m + 6, 2000 + m as i64)),
        );
    }
    std::thread::scope(|s| {
        let a = s.spawn(|| run(&ws, &["ingest", "inbox/a"]));
        let b = s.spawn(|| run(&ws, &["ingest", "inbox/b"]));
        assert_eq!(a.join().unwrap().status.code(), Some(0));
        assert_eq!(b.join().unwrap().status.code(), Some(0));
    });
    let o = run(&ws, &["store", "verify", "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let mut seqs: Vec<u64> = files
        .iter()
        .flat_map(|f| {
            f["seqs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_u64().unwrap())
        })
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=12).collect::<Vec<u64>>());
    assert!(files
        .iter()
        .all(|f| f["status"] == "ok" && f["sources"].as_array().unwrap().len() == 6));
}
