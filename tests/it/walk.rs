#![cfg(unix)]
//! The folder walk (issue 18, case 9): only regular files are read; pipes, devices and
//! sockets are skipped with a note and never opened; links to folders are followed once; a
//! folder that cannot be read is named and the walk goes on. Each case ingests a good file
//! beside the trap, which must be stored.

use crate::common::*;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

fn good() -> Vec<u8> {
    xlsx(
        &json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
            ["填报单位：示例县人民医院", null, "统计期间：2024年3月"],
            ["指标名称", "单位", "本月"],
            ["出院人数", "人次", 1234]
        ]}]}),
    )
}

/// `yilian ingest --format json ARGS`, killed (and failed) after 60 s.
fn ingest(ws: &Workspace, args: &[&str]) -> (i32, Value, String) {
    let out = ws
        .yilian()
        .args(["ingest", "--format", "json"])
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&out.stderr).to_string();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no summary (killed after 60 s?); stderr: {e}"));
    (out.status.code().unwrap_or(-1), v, e)
}

fn report<'a>(s: &'a Value, path_end: &str) -> &'a Value {
    s["file_reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().unwrap().ends_with(path_end))
        .unwrap_or_else(|| panic!("no report for {path_end}: {s:#}"))
}

fn mkfifo(p: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

fn assert_good_stored(ws: &Workspace, s: &Value) {
    assert_eq!(s["stored"], 1, "{s:#}");
    assert_eq!(
        ws.effective()["county_peoples|2024-03|discharges|month"],
        Some(1234.0)
    );
}

#[test]
fn a_named_pipe_in_the_folder_is_skipped_not_opened() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &good());
    mkfifo(&ws.inbox().join("管道.csv"));
    let (code, s, _) = ingest(&ws, &["inbox"]);
    assert_eq!(code, 0, "{s:#}");
    assert_good_stored(&ws, &s);
    let r = report(&s, "管道.csv");
    assert_eq!(r["status"], "skipped");
    assert!(
        r["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("named pipe"),
        "{r:#}"
    );
}

#[test]
fn a_named_pipe_given_by_name_is_refused_not_opened() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &good());
    mkfifo(&ws.path().join("pipe.xlsx"));
    let (code, s, _) = ingest(&ws, &["pipe.xlsx", "inbox/县医院_2024年3月.xlsx"]);
    assert_eq!(code, 3, "{s:#}");
    assert_good_stored(&ws, &s);
    let r = report(&s, "pipe.xlsx");
    assert_eq!(r["status"], "rejected");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("named pipe"),
        "{r:#}"
    );
}

#[test]
fn a_link_to_a_device_named_csv_is_never_read() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &good());
    std::os::unix::fs::symlink("/dev/zero", ws.inbox().join("zero.csv")).unwrap();
    let (code, s, _) = ingest(&ws, &["inbox"]);
    assert_eq!(code, 0, "{s:#}");
    assert_good_stored(&ws, &s);
    let r = report(&s, "zero.csv");
    assert_eq!(r["status"], "skipped");
    assert!(
        r["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("a device"),
        "{r:#}"
    );
}

#[test]
fn two_links_to_the_parent_folder_are_followed_once() {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &good());
    std::os::unix::fs::symlink("..", ws.inbox().join("up1")).unwrap();
    std::os::unix::fs::symlink("..", ws.inbox().join("up2")).unwrap();
    // A loop deeper down as well.
    std::fs::create_dir_all(ws.inbox().join("a/b")).unwrap();
    std::os::unix::fs::symlink("../..", ws.inbox().join("a/b/loop")).unwrap();
    let (code, s, _) = ingest(&ws, &["inbox"]);
    assert_eq!(code, 0, "{s:#}");
    assert_good_stored(&ws, &s);
    // The workspace is read once through up1; up2, a/b/loop and the inbox reached again
    // through up1 are each noted and not read again.
    let again: Vec<&str> = s["file_reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["warnings"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("already read"))
        })
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        again,
        ["inbox/a/b/loop", "inbox/up1/inbox", "inbox/up2"],
        "{s:#}"
    );
}

#[test]
fn a_link_to_a_file_is_read() {
    let ws = Workspace::new();
    let real = ws.path().join("elsewhere.xlsx");
    std::fs::write(&real, good()).unwrap();
    std::os::unix::fs::symlink(&real, ws.inbox().join("县医院_2024年3月.xlsx")).unwrap();
    let (code, s, _) = ingest(&ws, &["inbox"]);
    assert_eq!(code, 0, "{s:#}");
    assert_good_stored(&ws, &s);
}

/// Root reads any folder, so this runs only as another user; the walk's handling of the
/// error is also tested by a unit test in src/ingest.rs that simulates it.
#[test]
fn an_unreadable_folder_is_named_and_the_walk_goes_on() {
    // SAFETY: no arguments, no memory.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: root reads folders without read permission");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    ws.put("a/县医院_2024年3月.xlsx", &good());
    ws.put("b_locked/x.xlsx", b"never read");
    let locked = ws.inbox().join("b_locked");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let (code, s, _) = ingest(&ws, &["inbox"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 3, "{s:#}");
    assert_good_stored(&ws, &s);
    let r = report(&s, "b_locked");
    assert!(
        r["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("cannot read folder inbox/b_locked: permission denied"),
        "{r:#}"
    );
}
