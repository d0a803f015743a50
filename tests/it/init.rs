//! `yilian init INBOX`: a consortium.toml proposed from the members' files, with which ingest
//! stores every file; what it cannot decide is said; an existing file is never overwritten.

use crate::common::*;
use serde_json::{json, Value};
use yilian::config::Consortium;
use yilian::model::Tier;

fn run(ws: &Workspace, args: &[&str]) -> (i32, String, String) {
    let out = ws.yilian().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A 月报表 form with `unit` after 填报单位 (none: no such line), for March 2024.
fn form(unit: Option<&str>, sheet: &str) -> Value {
    let first = match unit {
        Some(u) => format!("填报单位：{u}"),
        None => "医疗业务月报表".to_string(),
    };
    json!({"sheets": [{"name": sheet, "merges": [], "rows": [
        [first, null, "统计期间：2024年3月", null],
        ["指标名称", "单位", "本月", "本年累计"],
        ["出院人数", "人次", 1234, 3000],
        ["门急诊人次", "人次", 45678, 120000]
    ]}]})
}

/// The sample's hospitals, as its generator names them (docs of `yilian sample`).
#[cfg(feature = "sample")]
const SAMPLE_NAMES: &[&str] = &[
    "示例市第一人民医院",
    "示例县人民医院",
    "示例县中医医院",
    "示例县妇幼保健院",
    "大沙镇中心卫生院",
    "石门乡卫生院",
    "龙泉镇卫生院",
    "青山镇卫生院",
    "城关社区卫生服务中心",
    "新华社区卫生服务中心",
    "红星村卫生室",
    "石桥村卫生室",
];

#[cfg(feature = "sample")]
#[test]
fn init_on_the_sample_proposes_its_hospitals_and_ingest_then_stores_every_file() {
    use std::collections::{BTreeMap, BTreeSet};
    let ws = Workspace::new();
    // Only the consortium file init writes is found (not the workspace's test file).
    std::fs::remove_file(ws.path().join("consortium.toml")).unwrap();
    for dir in ["sample", "orig"] {
        let (code, _, err) = run(&ws, &["sample", dir]);
        assert_eq!(code, 0, "{err}");
    }
    let written = ws.path().join("sample/consortium.toml");
    std::fs::remove_file(&written).unwrap();

    let (code, _, err) = run(&ws, &["init", "sample"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("found 12 members"), "{err}");
    assert!(err.contains("next: yilian ingest sample"), "{err}");
    let proposed = Consortium::load(&written).unwrap();
    let orig = Consortium::load(&ws.path().join("orig/consortium.toml")).unwrap();

    // The members are the sample's hospitals, by their full names.
    let names: BTreeSet<&str> = proposed.members().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, SAMPLE_NAMES.iter().copied().collect());
    // Short forms members write in 填报单位, summaries, sheet and file names are aliases.
    for (alias, name) in [
        ("县中医院", "示例县中医医院"),
        ("市一院", "示例市第一人民医院"),
        ("县妇幼", "示例县妇幼保健院"),
        ("大沙卫生院", "大沙镇中心卫生院"),
        ("大沙镇卫生院", "大沙镇中心卫生院"),
        ("红星村", "红星村卫生室"),
        ("石桥村", "石桥村卫生室"),
        ("城关社区", "城关社区卫生服务中心"),
        ("新华社区", "新华社区卫生服务中心"),
    ] {
        assert_eq!(
            proposed.find_member(alias).map(|m| m.name.as_str()),
            Some(name),
            "{alias}"
        );
    }
    // Tiers read from the names.
    let tier = |name: &str| proposed.find_member(name).unwrap().tier;
    assert_eq!(tier("大沙镇中心卫生院"), Some(Tier::Primary));
    assert_eq!(tier("城关社区卫生服务中心"), Some(Tier::Primary));
    assert_eq!(tier("示例县人民医院"), Some(Tier::Secondary));
    assert_eq!(tier("示例县中医医院"), Some(Tier::Secondary));
    assert_eq!(tier("红星村卫生室"), Some(Tier::Village));
    // The lead hospital is 三级 in fact: the guess from its name is flagged, in the file and
    // on stderr.
    let text = std::fs::read_to_string(&written).unwrap();
    let lead = text
        .split("[[members]]")
        .find(|m| m.contains("示例市第一人民医院\""))
        .unwrap();
    assert!(lead.contains("tertiary"), "{lead}");
    assert!(
        err.contains("示例市第一人民医院") && err.contains("is a guess"),
        "{err}"
    );
    // qingshan's 2024 history came in 2025-01: its first month is 2024-01.
    assert_eq!(
        proposed
            .find_member("青山镇卫生院")
            .unwrap()
            .joined
            .to_string(),
        "2024-01"
    );

    // Ingest with the proposal stores every file, as with the generator's own file.
    let ingest = |dir: &str| {
        let (code, out, err) = run(&ws, &["ingest", "--format", "json", dir]);
        assert_eq!(code, 0, "{dir}: {err}");
        serde_json::from_str::<Value>(&out).unwrap()
    };
    let (got, want) = (ingest("sample"), ingest("orig"));
    assert_eq!(got["rejected"], 0);
    assert_eq!(got["errors"], 0);
    for k in ["files", "stored", "members", "values", "other_values"] {
        assert_eq!(got[k], want[k], "{k}");
    }
    assert_eq!(got["stored"], got["files"]);
    // Every value under the same hospital: ids differ (pinyin initials against the
    // generator's), so they are compared through the names.
    let id_of_orig: BTreeMap<String, String> = orig
        .members()
        .iter()
        .map(|m| {
            (
                m.id.clone(),
                proposed.find_member(&m.name).unwrap().id.clone(),
            )
        })
        .collect();
    let store = |dir: &str| {
        let s = yilian::store::Store::open_existing(&ws.path().join(dir).join("store")).unwrap();
        frame_map(s.effective().unwrap().collect().unwrap())
    };
    let translated: BTreeMap<String, Option<f64>> = store("orig")
        .into_iter()
        .map(|(k, v)| {
            let (member, rest) = k.split_once('|').unwrap();
            let member = id_of_orig.get(member).map_or(member, String::as_str);
            (format!("{member}|{rest}"), v)
        })
        .collect();
    let got = store("sample");
    assert!(!got.is_empty());
    assert_eq!(got, translated);
}

#[test]
fn an_existing_consortium_file_is_never_overwritten() {
    let ws = Workspace::new();
    ws.put(
        "县医院_2024年3月.xlsx",
        &xlsx(&form(Some("示例县人民医院"), "月报表")),
    );
    let mine = ws.inbox().join("consortium.toml");
    std::fs::write(&mine, "name = \"mine\"\n").unwrap();
    let (code, _, err) = run(&ws, &["init", "inbox"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("already exists") && err.contains("--out"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "name = \"mine\"\n");
    // Nor a file named with --out.
    let (code, _, err) = run(&ws, &["init", "inbox", "--out", "consortium.toml"]);
    assert_eq!(code, 1, "{err}");
    let fixture = std::fs::read(fixtures().join("consortium.toml")).unwrap();
    assert_eq!(
        std::fs::read(ws.path().join("consortium.toml")).unwrap(),
        fixture
    );
    // Elsewhere it is written, with the name given.
    let (code, _, err) = run(
        &ws,
        &[
            "init",
            "inbox",
            "--out",
            "proposed.toml",
            "--name",
            "测试医联体",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("next: yilian ingest --config proposed.toml inbox"),
        "{err}"
    );
    let c = Consortium::load(&ws.path().join("proposed.toml")).unwrap();
    assert_eq!(c.file.name, "测试医联体");
    assert_eq!(c.members().len(), 1);
    assert_eq!(c.members()[0].name, "示例县人民医院");
    assert_eq!(c.members()[0].joined.to_string(), "2024-03");
    // The file name's short form `县医院` is an alias: a later file without 填报单位 is matched.
    assert!(c.members()[0].aliases.contains(&"县医院".to_string()));
}

/// An inbox with what init cannot decide: a file naming no hospital, a hospital whose name
/// says no tier, a short name of two hospitals, two spellings of one township centre.
fn undecided_inbox() -> Workspace {
    let ws = Workspace::new();
    std::fs::remove_file(ws.path().join("consortium.toml")).unwrap();
    ws.put(
        "县医院_2024年3月.xlsx",
        &xlsx(&form(Some("示例县人民医院"), "月报表")),
    );
    // No 填报单位, a sheet, title and file name naming no hospital.
    ws.put("月报_2024年3月.xlsx", &xlsx(&form(None, "Sheet1")));
    // A hospital whose name says no tier.
    ws.put(
        "骨科_2024年3月.xlsx",
        &xlsx(&form(Some("示例骨科专科医院"), "月报表")),
    );
    // `县医院` may be the county people's or the county TCM hospital.
    ws.put(
        "中医_2024年3月.xlsx",
        &xlsx(&form(Some("示例县中医医院"), "月报表")),
    );
    ws.put("c_2024年3月.xlsx", &xlsx(&form(Some("县医院"), "月报表")));
    // Two spellings of one township centre.
    ws.put(
        "a_2024年3月.xlsx",
        &xlsx(&form(Some("石门乡卫生院"), "月报表")),
    );
    ws.put(
        "b_2024年3月.xlsx",
        &xlsx(&form(Some("石门镇卫生院"), "月报表")),
    );
    ws
}

#[test]
fn what_cannot_be_decided_is_said() {
    let ws = undecided_inbox();
    let (code, _, err) = run(&ws, &["init", "inbox"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("no member: 月报_2024年3月.xlsx, sheet `Sheet1`"),
        "{err}"
    );
    assert!(
        err.contains("`石门乡卫生院` and `石门镇卫生院` may be the same hospital")
            || err.contains("`石门镇卫生院` and `石门乡卫生院` may be the same hospital"),
        "{err}"
    );
    assert!(
        err.contains("示例骨科专科医院") && err.contains("`tier` line is commented out"),
        "{err}"
    );
    assert!(
        err.contains("`县医院` (c_2024年3月.xlsx (填报单位: 月报表!A1)) may be any of 示例县人民医院, 示例县中医医院")
            || err.contains("`县医院` (c_2024年3月.xlsx (填报单位: 月报表!A1)) may be any of 示例县中医医院, 示例县人民医院"),
        "{err}"
    );
    assert!(err.contains("found 6 members"), "{err}");
    let path = ws.inbox().join("consortium.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The tier left to the user: the file says so and does not load until it is set.
    let e = Consortium::load(&path).unwrap_err();
    assert!(
        format!("{e:#}").contains("neither `tier` nor `tiers`"),
        "{e:#}"
    );
    std::fs::write(&path, text.replace("# tier = \"\"", "tier = \"secondary\"")).unwrap();
    let c = Consortium::load(&path).unwrap();
    let ortho = c.find_member("示例骨科专科医院").unwrap();
    assert_eq!(ortho.tier, Some(Tier::Secondary));
    assert_eq!(
        c.find_member("石门镇卫生院").unwrap().tier,
        Some(Tier::Primary)
    );
    // Proposed as a member of its own, not silently given to one of the two.
    let county = c.find_member("县医院").unwrap();
    assert_eq!(county.name, "县医院");
    assert_ne!(county.id, c.find_member("示例县人民医院").unwrap().id);
    // Ingest then stores the files that name a member and rejects the one that names none.
    let (code, summary) = ws.ingest(&["inbox"]);
    assert_eq!(code, 3);
    assert_eq!(summary["stored"], 6);
    assert_eq!(summary["rejected"], 1);
}

/// The same report, and the notes written into the proposal, for a Chinese reader.
#[test]
fn what_cannot_be_decided_is_said_in_chinese() {
    let ws = undecided_inbox();
    let out = ws
        .yilian()
        .env("YILIAN_LANG", "zh")
        .args(["init", "inbox"])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{err}");
    for part in [
        "已读取 inbox 中的 7 份报表",
        "找到成员单位 6 家：",
        "尚待确定（",
        "  - 未找到成员单位：月报_2024年3月.xlsx 工作表“Sheet1”：没有填报单位，工作表名、标题和文件名也都不像医院名称",
        "示例骨科专科医院（",
        "）：名称看不出层级，其 tier 一行已注释掉：请填写",
        "可能是同一医院：两者均已列出",
        "已写出 inbox/consortium.toml：",
        "下一步：为上面标出的 2 家成员单位填写层级或月份（填好之前该文件无法加载），然后运行 yilian ingest inbox",
    ] {
        assert!(err.contains(part), "`{part}` missing in:\n{err}");
    }
    assert!(
        err.contains("“县医院”（c_2024年3月.xlsx（填报单位：月报表!A1））可能是示例县人民医院、示例县中医医院中的任何一家")
            || err.contains("“县医院”（c_2024年3月.xlsx（填报单位：月报表!A1））可能是示例县中医医院、示例县人民医院中的任何一家"),
        "{err}"
    );
    for english in ["found", "could not decide", "next:", "may be"] {
        assert!(!err.contains(english), "`{english}` in:\n{err}");
    }
    let text = std::fs::read_to_string(ws.inbox().join("consortium.toml")).unwrap();
    assert!(text.contains("# 可能与"), "{text}");
}
