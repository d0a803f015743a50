//! CSV for Excel and other tools: a UTF-8 byte-order mark on request or by the consortium
//! file's default, GBK with an error for what GBK cannot hold, and JSON Lines.

use crate::common::*;
use serde_json::{json, Value};

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// 出院人次 in GBK (GB 2312 codes 出 B3F6, 院 D4BA, 人 C8CB, 次 B4CE).
const DISCHARGES_GBK: &[u8] = b"\xB3\xF6\xD4\xBA\xC8\xCB\xB4\xCE";

fn form() -> Value {
    json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
        ["填报单位：示例县人民医院", null, "统计期间：2024年3月"],
        ["指标名称", "单位", "本月"],
        ["出院人数", "人次", 1234],
        ["门急诊人次", "人次", 45678]
    ]}]})
}

fn stored() -> Workspace {
    let ws = Workspace::new();
    ws.put("县医院_2024年3月.xlsx", &xlsx(&form()));
    let (code, s) = ws.ingest(&["inbox"]);
    assert_eq!(code, 0, "{s:#}");
    ws
}

fn run(ws: &Workspace, args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = ws.yilian().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn add_to_config(ws: &Workspace, text: &str) {
    let path = ws.path().join("consortium.toml");
    let mut toml = std::fs::read_to_string(&path).unwrap();
    toml.push_str(text);
    std::fs::write(path, toml).unwrap();
}

#[test]
fn bom_starts_the_csv_on_request_and_by_the_consortium_default() {
    let ws = stored();
    let (code, out, err) = run(&ws, &["history", "--format", "csv", "--bom"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(&out[..3], BOM);
    assert!(out[3..].starts_with(b"member,period,seq,"), "{out:?}");
    // Once only, and not without being asked.
    let (_, out, _) = run(&ws, &["history", "--format", "csv"]);
    assert!(out.starts_with(b"member,"));
    let (_, out, _) = run(&ws, &["indicators", "--format", "csv", "--bom"]);
    assert_eq!(&out[..3], BOM);
    assert!(out[3..].starts_with(b"period,window,"));
    let (_, out, _) = run(&ws, &["check", "--format", "csv", "--bom"]);
    assert_eq!(&out[..3], BOM);
    assert!(out[3..].starts_with(b"severity,rule,"));

    add_to_config(&ws, "\n[output]\nbom = true\n");
    let (code, out, err) = run(&ws, &["history", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(&out[..3], BOM);
    assert!(!out[3..].starts_with(BOM));
    let (_, out, _) = run(&ws, &["history", "--format", "csv", "--no-bom"]);
    assert!(out.starts_with(b"member,"));
    // JSON is never given one.
    let (_, out, _) = run(&ws, &["history", "--format", "json"]);
    assert!(out.starts_with(b"["), "{out:?}");
}

#[test]
fn an_unknown_output_setting_is_refused() {
    let ws = stored();
    add_to_config(&ws, "\n[output]\nboom = true\n");
    let (code, _, err) = run(&ws, &["history", "--format", "csv"]);
    assert_eq!(code, 1);
    assert!(err.contains("boom"), "{err}");
}

#[test]
fn bom_and_encoding_apply_to_csv_only() {
    let ws = stored();
    for args in [
        &["history", "--format", "json", "--bom"][..],
        &["indicators", "--format", "md", "--encoding", "gbk"][..],
    ] {
        let (code, out, err) = run(&ws, args);
        assert_eq!(code, 1, "{args:?}");
        assert!(out.is_empty());
        assert!(err.contains("apply to --format csv only"), "{err}");
    }
    let (code, _, err) = run(
        &ws,
        &["history", "--format", "csv", "--bom", "--encoding", "gbk"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("GBK"), "{err}");
}

#[test]
fn gbk_writes_chinese_in_gbk() {
    let ws = stored();
    let (code, out, err) = run(&ws, &["catalog", "--format", "csv", "--encoding", "gbk"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(b"kind,code,name,"));
    assert!(
        out.windows(DISCHARGES_GBK.len())
            .any(|w| w == DISCHARGES_GBK),
        "出院人次 not in GBK"
    );
    assert!(String::from_utf8(out.clone()).is_err(), "still UTF-8");
    let line = out
        .split(|&b| b == b'\n')
        .find(|l| l.starts_with(b"metric,discharges,"))
        .unwrap();
    assert!(line[b"metric,discharges,".len()..].starts_with(DISCHARGES_GBK));
    // The consortium default, for the commands that read it.
    add_to_config(&ws, "\n[output]\nencoding = \"gbk\"\n");
    let (code, out, err) = run(&ws, &["indicators", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(out
        .windows(DISCHARGES_GBK.len())
        .any(|w| w == DISCHARGES_GBK));
    let (_, out, _) = run(
        &ws,
        &["indicators", "--format", "csv", "--encoding", "utf-8"],
    );
    assert!(String::from_utf8(out).unwrap().contains(",出院人次,"));
}

#[test]
fn a_character_gbk_lacks_is_an_error_naming_it() {
    let ws = stored();
    add_to_config(&ws, "\n[aliases]\ndischarges = [\"出院😀\"]\n");
    let (code, out, err) = run(
        &ws,
        &[
            "catalog",
            "--config",
            "consortium.toml",
            "--format",
            "csv",
            "--encoding",
            "gbk",
        ],
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "wrote part of the file");
    assert!(err.contains("`😀` (U+1F600)"), "{err}");
    assert!(err.contains("column `aliases`"), "{err}");
    assert!(err.contains("no GBK code"), "{err}");
}

#[test]
fn jsonl_is_one_object_a_line() {
    let ws = stored();
    let (code, out, err) = run(&ws, &["history", "--format", "jsonl"]);
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // One submission: one line, with the two monthly values of the form.
    assert_eq!(lines.len(), 1, "{text}");
    let v: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(
        (&v["member"], &v["period"], &v["values"]),
        (&json!("county_peoples"), &json!("2024-03"), &json!(2))
    );

    let (code, out, err) = run(
        &ws,
        &[
            "indicators",
            "--format",
            "jsonl",
            "--scope",
            "member",
            "--indicator",
            "discharges",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = String::from_utf8(out).unwrap();
    let records: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(records.iter().all(Value::is_object));
    let county = records
        .iter()
        .find(|r| r["entity"] == "county_peoples")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(county["value"], 1234.0);

    let (_, out, _) = run(&ws, &["check", "--format", "jsonl"]);
    let text = String::from_utf8(out).unwrap();
    assert!(!text.is_empty());
    for l in text.lines() {
        let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
        assert!(v["rule"].is_string(), "{l}");
    }
    // The missing members of 2024-03 are findings of their own lines.
    assert!(text
        .lines()
        .any(|l| l.contains("\"missing_submission\"") && l.contains("\"lead\"")));

    let (_, out, _) = run(&ws, &["catalog", "--format", "jsonl"]);
    let text = String::from_utf8(out).unwrap();
    let d: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["code"] == "discharges")
        .unwrap();
    assert_eq!(
        (&d["kind"], &d["name"]),
        (&json!("metric"), &json!("出院人次"))
    );
}
