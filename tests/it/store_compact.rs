//! `yilian store compact`: many small files become one, sorted by period, with every
//! version, sequence number and lineage kept; a kill -9 at any moment of it, or of an
//! ingest's commits, leaves a store that reads back exactly what was committed. And a store written before files were
//! sorted by period (a committed fixture) reads the same, and is migrated by compaction.

use crate::common::*;
use polars::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

fn form(member: &str, year: i32, month: u32, discharges: Option<i64>, visits: i64) -> Value {
    json!({"sheets": [{"name": "月报表", "merges": [], "rows": [
        [format!("填报单位：{member}"), null, format!("统计期间：{year}年{month}月")],
        ["指标名称", "单位", "本月"],
        ["出院人数", "人次", discharges],
        ["门急诊人次", "人次", visits]
    ]}]})
}

/// Seven forms in path order (each correction after the form it corrects): four months of
/// 县医院 and a correction of its February (discharges 250 instead of 200), two months of
/// 石门 and a correction of its March leaving discharges blank.
fn seven_forms() -> Vec<(&'static str, Value)> {
    vec![
        (
            "县医院_2024年1月.xlsx",
            form("示例县人民医院", 2024, 1, Some(100), 1000),
        ),
        (
            "县医院_2024年2月.xlsx",
            form("示例县人民医院", 2024, 2, Some(200), 2000),
        ),
        (
            "县医院_2024年2月_更正.xlsx",
            form("示例县人民医院", 2024, 2, Some(250), 2000),
        ),
        (
            "县医院_2024年3月.xlsx",
            form("示例县人民医院", 2024, 3, Some(300), 3000),
        ),
        (
            "石门_2024年3月.xlsx",
            form("石门乡卫生院", 2024, 3, Some(7), 70),
        ),
        (
            "石门_2024年3月_更正.xlsx",
            form("石门乡卫生院", 2024, 3, None, 71),
        ),
        (
            "石门_2024年4月.xlsx",
            form("石门乡卫生院", 2024, 4, Some(8), 80),
        ),
    ]
}

/// Six ingest runs of the seven forms (six files): 县医院's January with 石门's March, then
/// each other form alone, the corrections after the months they correct.
fn small_files_store() -> Workspace {
    let ws = Workspace::new();
    let forms = seven_forms();
    let runs: Vec<Vec<&(&str, Value)>> = [vec![0, 4], vec![1], vec![3], vec![2], vec![6], vec![5]]
        .into_iter()
        .map(|run| run.into_iter().map(|i| &forms[i]).collect())
        .collect();
    for (i, run) in runs.iter().enumerate() {
        for (name, f) in run {
            ws.put(&format!("run{i}/{name}"), &xlsx(f));
        }
        let (code, s) = ws.ingest(&[&format!("inbox/run{i}")]);
        assert_eq!(code, 0, "{s:#}");
    }
    assert_eq!(ws.store_files().len(), 6);
    ws
}

/// The values in use, as a person computed them from the forms above.
fn expected_in_use() -> BTreeMap<String, Option<f64>> {
    let mut m = BTreeMap::new();
    let mut put = |member: &str, p: &str, key: &str, v: Option<f64>| {
        m.insert(format!("{member}|{p}|{key}|month"), v);
    };
    put("county_peoples", "2024-01", "discharges", Some(100.0));
    put(
        "county_peoples",
        "2024-01",
        "outpatient_visits",
        Some(1000.0),
    );
    put("county_peoples", "2024-02", "discharges", Some(250.0));
    put(
        "county_peoples",
        "2024-02",
        "outpatient_visits",
        Some(2000.0),
    );
    put("county_peoples", "2024-03", "discharges", Some(300.0));
    put(
        "county_peoples",
        "2024-03",
        "outpatient_visits",
        Some(3000.0),
    );
    put("shimen", "2024-03", "discharges", None);
    put("shimen", "2024-03", "outpatient_visits", Some(71.0));
    put("shimen", "2024-04", "discharges", Some(8.0));
    put("shimen", "2024-04", "outpatient_visits", Some(80.0));
    m
}

/// Every stored row (every version), as (seq, member, period, key, basis, value, file, cell),
/// sorted: what compaction must keep, whatever the order of rows in files.
fn all_versions(store: &Path) -> Vec<String> {
    let s = yilian::store::Store::open_existing(store).unwrap();
    let df = s.scan_all().unwrap().collect().unwrap();
    let text = |n: &str| df.column(n).unwrap().str().unwrap().clone();
    let (m, p, k, b, f, c) = (
        text("member"),
        text("period"),
        text("key"),
        text("basis"),
        text("source_file"),
        text("cell"),
    );
    let seq = df.column("seq").unwrap().i64().unwrap().clone();
    let v = df.column("value").unwrap().f64().unwrap().clone();
    let mut rows: Vec<String> = (0..df.height())
        .map(|i| {
            format!(
                "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
                seq.get(i),
                m.get(i),
                p.get(i),
                k.get(i),
                b.get(i),
                v.get(i),
                f.get(i),
                c.get(i)
            )
        })
        .collect();
    rows.sort();
    rows
}

fn verify(ws: &Workspace, store: &Path) -> (i32, Value) {
    let out = ws
        .yilian()
        .args(["store", "verify", "--format", "json", "--store"])
        .arg(store)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

fn in_use(store: &Path) -> BTreeMap<String, Option<f64>> {
    let s = yilian::store::Store::open_existing(store).unwrap();
    frame_map(s.effective().unwrap().collect().unwrap())
        .into_iter()
        .filter(|(k, _)| k.ends_with("|month"))
        .collect()
}

/// Which member reports which metric, and the months with figures, as the store's summary
/// (`reported.json`, or the files it does not cover) gives them.
fn reported(store: &Path) -> (Vec<String>, Vec<String>) {
    let s = yilian::store::Store::open_existing(store).unwrap();
    let pairs = s.reported_pairs().unwrap();
    let months = s.figure_months().unwrap();
    (
        pairs.into_iter().map(|(m, x)| format!("{m} {x}")).collect(),
        months.iter().map(|p| p.to_string()).collect(),
    )
}

/// From the forms above: 石门's discharges were left blank in its March correction but sent
/// for April, so it still reports them; months 2024-01 to 2024-04.
fn expected_reported() -> (Vec<String>, Vec<String>) {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    (
        s(&[
            "county_peoples discharges",
            "county_peoples outpatient_visits",
            "shimen discharges",
            "shimen outpatient_visits",
        ]),
        s(&["2024-01", "2024-02", "2024-03", "2024-04"]),
    )
}

/// The files `reported.json` names (what it covers).
fn summary_files(store: &Path) -> Vec<String> {
    let v: Value =
        serde_json::from_slice(&std::fs::read(store.join("reported.json")).unwrap()).unwrap();
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn compaction_keeps_every_version_and_number_in_one_file_sorted_by_period() {
    let ws = small_files_store();
    assert_eq!(in_use(&ws.store()), expected_in_use());
    let before = all_versions(&ws.store());
    // 7 forms × 2 items, each form with its own sequence number 1..=7.
    assert_eq!(before.len(), 14);
    let out = ws.yilian().args(["store", "compact"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("6 files rewritten as 1"), "{said}");
    assert_eq!(ws.store_files(), vec!["000001-000007.parquet".to_string()]);
    assert_eq!(all_versions(&ws.store()), before);
    assert_eq!(in_use(&ws.store()), expected_in_use());
    let (code, v) = verify(&ws, &ws.store());
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["files"][0]["seqs"], json!([1, 2, 3, 4, 5, 6, 7]));
    // Rows by period, a row group per month (2024-01 to 2024-04).
    let path = ws.store().join("submissions/000001-000007.parquet");
    let mut f = std::fs::File::open(&path).unwrap();
    let meta = polars_parquet::read::read_metadata(&mut f).unwrap();
    assert_eq!(meta.row_groups.len(), 4);
    let df = ParquetReader::new(std::fs::File::open(&path).unwrap())
        .finish()
        .unwrap();
    let periods: Vec<String> = df
        .column("period")
        .unwrap()
        .str()
        .unwrap()
        .into_iter()
        .map(|p| p.unwrap().to_string())
        .collect();
    let mut sorted = periods.clone();
    sorted.sort();
    assert_eq!(periods, sorted);
    // History still lists both versions of 县医院's February, the correction in use.
    let out = ws
        .yilian()
        .args(["history", "--member", "county_peoples", "--format", "csv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("县医院_2024年2月.xlsx") && text.contains("县医院_2024年2月_更正.xlsx"),
        "{text}"
    );
    // The content index survived: the same bytes are `unchanged`; a new file takes number 8.
    let (code, s) = ws.ingest(&["inbox/run2"]);
    assert_eq!((code, s["unchanged"].as_u64()), (0, Some(1)), "{s:#}");
    ws.put(
        "run6/县医院_2024年4月.xlsx",
        &xlsx(&form("示例县人民医院", 2024, 4, Some(400), 4000)),
    );
    let (code, s) = ws.ingest(&["inbox/run6"]);
    assert_eq!((code, s["stored"].as_u64()), (0, Some(1)), "{s:#}");
    assert!(ws
        .store_files()
        .contains(&"000008-000008.parquet".to_string()));
    // Nothing left to do on a second run.
    let out = ws.yilian().args(["store", "compact"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 files rewritten as 1"));
}

#[test]
fn a_kill_at_any_moment_of_compaction_loses_nothing() {
    let ws = small_files_store();
    let before = all_versions(&ws.store());
    let bin = assert_cmd::cargo::cargo_bin("yilian");
    // A pause between the steps (write, rename, manifest, each removal) spreads them out;
    // the kills land from start-up to past the end of a run timed first.
    let compact = |store: &Path| {
        std::process::Command::new(&bin)
            .current_dir(ws.path())
            .env("YILIAN_TEST_COMPACT_PAUSE_MS", "40")
            .args(["store", "compact", "--store"])
            .arg(store)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let timed = ws.path().join("timed");
    copy_dir(&ws.store(), &timed);
    let t = std::time::Instant::now();
    assert!(compact(&timed).wait().unwrap().success());
    let whole = t.elapsed().as_millis() as u64;
    let mut outcomes = BTreeMap::new();
    let kills = 24u64;
    for i in 0..kills {
        let store = ws.path().join(format!("copy{i}"));
        copy_dir(&ws.store(), &store);
        let mut child = compact(&store);
        std::thread::sleep(std::time::Duration::from_millis(whole * (i + 1) / kills));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let files = std::fs::read_dir(store.join("submissions"))
            .unwrap()
            .count();
        *outcomes.entry((status.success(), files)).or_insert(0) += 1;
        // Whatever moment it died at: the same rows, the same values in use, a sound store.
        assert_eq!(all_versions(&store), before, "kill {i}");
        assert_eq!(in_use(&store), expected_in_use(), "kill {i}");
        assert_eq!(reported(&store), expected_reported(), "kill {i}");
        let (code, v) = verify(&ws, &store);
        assert_eq!(code, 0, "kill {i}: {v:#}");
        // And a compaction run to the end finishes the work.
        let out = ws
            .yilian()
            .args(["store", "compact", "--store"])
            .arg(&store)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(all_versions(&store), before, "kill {i}, then compact");
        let names: Vec<String> = std::fs::read_dir(store.join("submissions"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), 1, "kill {i}: {names:?}");
        // The summary covers the one file left: nothing is read beside it.
        assert_eq!(summary_files(&store), names, "kill {i}");
        assert_eq!(
            reported(&store),
            expected_reported(),
            "kill {i}, then compact"
        );
        let (code, v) = verify(&ws, &store);
        assert_eq!(code, 0, "kill {i}: {v:#}");
        assert_eq!(std::fs::read_dir(store.join("tmp")).unwrap().count(), 0);
    }
    // The kills landed at different steps: before anything, in between, after the end.
    assert!(outcomes.len() >= 3, "{outcomes:?}");
}

/// The seven forms in one folder (path order: each correction after the form it
/// corrects), ingested in one run.
fn one_run_inbox(ws: &Workspace) {
    for (name, f) in seven_forms() {
        ws.put(&format!("all/{name}"), &xlsx(&f));
    }
}

/// The rows of `rows` (as `all_versions` gives them) of submissions numbered up to `k`.
fn up_to(rows: &[String], k: i64) -> Vec<String> {
    rows.iter()
        .filter(|r| {
            let seq = r.split('|').next().unwrap();
            seq.trim_start_matches("Some(")
                .trim_end_matches(')')
                .parse::<i64>()
                .unwrap()
                <= k
        })
        .cloned()
        .collect()
}

/// kill -9 at any moment of an ingest that commits each file on its own (the file written,
/// moved in, recorded in the manifest's journal, summed in `reported.json`): what is left
/// is whole files, the first ones in path order, read back exactly as committed; the store
/// verifies; and running the ingest again stores the rest, as one uninterrupted run does.
#[test]
fn a_kill_at_any_moment_of_an_ingest_leaves_what_was_committed() {
    let ws = Workspace::new();
    one_run_inbox(&ws);
    let reference = ws.path().join("reference");
    let ingest = |store: &Path, pause: bool| {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("yilian"));
        cmd.current_dir(ws.path())
            .env("YILIAN_TEST_BATCH_ROWS", "1")
            .args(["ingest", "inbox/all", "--store"])
            .arg(store)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        if pause {
            cmd.env("YILIAN_TEST_COMMIT_PAUSE_MS", "30");
        }
        cmd.spawn().unwrap()
    };
    assert!(ingest(&reference, false).wait().unwrap().success());
    let want = all_versions(&reference);
    // Seven files, each its own commit: submissions 1–7.
    assert_eq!(up_to(&want, 7), want);
    assert_ne!(up_to(&want, 6), want);
    assert_eq!(in_use(&reference), expected_in_use());
    let timed = ws.path().join("timed");
    let t = std::time::Instant::now();
    assert!(ingest(&timed, true).wait().unwrap().success());
    let whole = t.elapsed().as_millis() as u64;
    let mut left = std::collections::BTreeSet::new();
    let kills = 24u64;
    for i in 0..kills {
        let store = ws.path().join(format!("killed{i}"));
        let mut child = ingest(&store, true);
        std::thread::sleep(std::time::Duration::from_millis(whole * (i + 1) / kills));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        if !store.join("yilian-store.toml").exists() {
            left.insert(0);
            continue;
        }
        // Whole submissions, the first k in path order, each as committed.
        let rows = all_versions(&store);
        let k = (0..=7).find(|&k| up_to(&want, k) == rows);
        let Some(k) = k else {
            panic!("kill {i}: not the first files whole: {rows:#?}")
        };
        left.insert(k);
        let (code, v) = verify(&ws, &store);
        assert_eq!(code, 0, "kill {i}: {v:#}");
        // The next run stores the rest, numbered as the uninterrupted run numbered them.
        assert!(ingest(&store, false).wait().unwrap().success(), "kill {i}");
        assert_eq!(all_versions(&store), want, "kill {i}, then ingest");
        assert_eq!(in_use(&store), expected_in_use(), "kill {i}");
        assert_eq!(reported(&store), expected_reported(), "kill {i}");
        let (code, v) = verify(&ws, &store);
        assert_eq!(code, 0, "kill {i}: {v:#}");
        // The summary covers every file once the next run has committed: nothing is read
        // beside it. (A kill after the last file's commit leaves it one file short: that
        // file is read beside it, as the values above show, until the next commit.)
        let mut files = summary_files(&store);
        files.sort();
        let mut names: Vec<String> = std::fs::read_dir(store.join("submissions"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        match k {
            7 => assert!(files.iter().all(|f| names.contains(f)), "kill {i}"),
            _ => assert_eq!(files, names, "kill {i}"),
        }
    }
    // The kills landed at different moments: some files committed, not all.
    assert!(left.len() >= 3, "{left:?}");
}

/// A store written by yilian before files were sorted by period (commit 8ee38e0): see
/// tests/fixtures/store_v1/README.md for how it was made.
#[test]
fn a_store_written_before_the_period_layout_reads_the_same_and_is_migrated() {
    let ws = Workspace::new();
    copy_dir(&fixtures().join("store_v1/store"), &ws.store());
    let want = expected_in_use();
    assert_eq!(in_use(&ws.store()), want);
    // No summary yet: read from the files, and the same once compaction has written it.
    assert!(!ws.store().join("reported.json").exists());
    assert_eq!(reported(&ws.store()), expected_reported());
    let before = all_versions(&ws.store());
    // 7 forms × 2 items.
    assert_eq!(before.len(), 14);
    let manifest = std::fs::read_to_string(ws.store().join("manifest.json")).unwrap();
    assert!(!manifest.contains("\"periods\""));
    let marker = || std::fs::read_to_string(ws.store().join("yilian-store.toml")).unwrap();
    assert!(marker().contains("schema_version = 1"), "{}", marker());
    let (code, v) = verify(&ws, &ws.store());
    assert_eq!(code, 0, "{v:#}");
    // Indicators from it as from any store: 县医院 February's discharges are the correction's.
    let out = ws
        .yilian()
        .args([
            "indicators",
            "--period",
            "2024-02",
            "--scope",
            "member",
            "--indicator",
            "discharges",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let row = text
        .lines()
        .find(|l| l.contains("county_peoples"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains(",250,"), "{text}");
    // Migration: compaction rewrites the old file(s) sorted, and records their months.
    let out = ws.yilian().args(["store", "compact"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(ws.store().join("manifest.json")).unwrap())
            .unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{manifest:#}");
    assert_eq!(files[0]["periods"], json!(["2024-01", "2024-04"]));
    // The summary a store written before it lacked, made by the compaction.
    assert_eq!(
        summary_files(&ws.store()),
        vec![files[0]["name"].as_str().unwrap().to_string()]
    );
    assert!(marker().contains("schema_version = 2"), "{}", marker());
    assert_eq!(all_versions(&ws.store()), before);
    assert_eq!(in_use(&ws.store()), want);
    assert_eq!(reported(&ws.store()), expected_reported());
    let (code, v) = verify(&ws, &ws.store());
    assert_eq!(code, 0, "{v:#}");
}

/// The files `store verify` lists, with their status and origin in the manifest.
fn verified_files(ws: &Workspace, store: &Path) -> Vec<(String, String)> {
    let (code, v) = verify(ws, store);
    assert_eq!(code, 0, "{v:#}");
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn journals(store: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(store)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("manifest-") && n.ends_with(".jsonl"))
        .collect();
    v.sort();
    v
}

/// A store written before the manifest had a journal (the fixture store_v1): its first commit
/// writes the manifest whole, naming a journal; the next is one line of it, the manifest
/// left as it was; every file is recorded. An older yilian, which reads no journal, sees the
/// journal's file as one the manifest does not know: still read, and adopted by its next
/// ingest.
#[test]
fn commits_are_lines_of_the_manifest_journal_and_an_older_manifest_reads_on() {
    let ws = Workspace::new();
    copy_dir(&fixtures().join("store_v1/store"), &ws.store());
    let manifest = || -> Value {
        serde_json::from_slice(&std::fs::read(ws.store().join("manifest.json")).unwrap()).unwrap()
    };
    assert_eq!(manifest()["journal"], Value::Null);
    ws.put(
        "may/县医院_2024年5月.xlsx",
        &xlsx(&form("示例县人民医院", 2024, 5, Some(500), 5000)),
    );
    let (code, s) = ws.ingest(&["inbox/may"]);
    assert_eq!(code, 0, "{s:#}");
    let generation = manifest()["journal"].as_u64().expect("a journal named");
    assert!(journals(&ws.store()).is_empty());
    let whole = std::fs::read(ws.store().join("manifest.json")).unwrap();
    ws.put(
        "june/县医院_2024年6月.xlsx",
        &xlsx(&form("示例县人民医院", 2024, 6, Some(600), 6000)),
    );
    let (code, s) = ws.ingest(&["inbox/june"]);
    assert_eq!(code, 0, "{s:#}");
    assert_eq!(
        std::fs::read(ws.store().join("manifest.json")).unwrap(),
        whole
    );
    assert_eq!(
        journals(&ws.store()),
        vec![format!("manifest-{generation}.jsonl")]
    );
    let line = std::fs::read_to_string(ws.store().join(&journals(&ws.store())[0])).unwrap();
    assert_eq!(line.lines().count(), 1);
    let june: Value = serde_json::from_str(line.trim_end()).unwrap();
    assert_eq!(june["periods"], json!(["2024-06", "2024-06"]));
    let june_file = june["name"].as_str().unwrap().to_string();
    // Every file recorded, the journal's too.
    let files = verified_files(&ws, &ws.store());
    assert!(files.iter().all(|(_, st)| st == "ok"), "{files:?}");
    assert!(files.iter().any(|(n, _)| *n == june_file), "{files:?}");
    let mut want = expected_in_use();
    want.insert(
        "county_peoples|2024-05|discharges|month".into(),
        Some(500.0),
    );
    want.insert(
        "county_peoples|2024-05|outpatient_visits|month".into(),
        Some(5000.0),
    );
    want.insert(
        "county_peoples|2024-06|discharges|month".into(),
        Some(600.0),
    );
    want.insert(
        "county_peoples|2024-06|outpatient_visits|month".into(),
        Some(6000.0),
    );
    assert_eq!(in_use(&ws.store()), want);
    // As an older yilian sees it: the manifest without its journal.
    let mut old = manifest();
    old.as_object_mut().unwrap().remove("journal");
    std::fs::write(ws.store().join("manifest.json"), old.to_string()).unwrap();
    let files = verified_files(&ws, &ws.store());
    assert!(
        files.contains(&(june_file.clone(), "unrecorded".to_string())),
        "{files:?}"
    );
    assert_eq!(in_use(&ws.store()), want);
    // Its next ingest (nothing new) records the file, the manifest written whole.
    let (code, s) = ws.ingest(&["inbox/june"]);
    assert_eq!((code, s["unchanged"].as_u64()), (0, Some(1)), "{s:#}");
    let files = verified_files(&ws, &ws.store());
    assert!(files.iter().all(|(_, st)| st == "ok"), "{files:?}");
    assert!(manifest()["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["name"] == json!(june_file) && f["origin"] == "adopted"));
    assert!(journals(&ws.store()).is_empty());
    assert_eq!(in_use(&ws.store()), want);
}

/// The ingest runs of the fixture store_v1: the first holds months out of order (a file of
/// the old layout, rows in path order), then the corrections, each its own run.
fn v1_runs() -> Vec<Vec<(&'static str, Value)>> {
    vec![
        vec![
            (
                "a_县医院_2024年3月.xlsx",
                form("示例县人民医院", 2024, 3, Some(300), 3000),
            ),
            (
                "b_县医院_2024年1月.xlsx",
                form("示例县人民医院", 2024, 1, Some(100), 1000),
            ),
            (
                "c_石门_2024年4月.xlsx",
                form("石门乡卫生院", 2024, 4, Some(8), 80),
            ),
            (
                "d_石门_2024年3月.xlsx",
                form("石门乡卫生院", 2024, 3, Some(7), 70),
            ),
            (
                "e_县医院_2024年2月.xlsx",
                form("示例县人民医院", 2024, 2, Some(200), 2000),
            ),
        ],
        vec![(
            "县医院_2024年2月_更正.xlsx",
            form("示例县人民医院", 2024, 2, Some(250), 2000),
        )],
        vec![(
            "石门_2024年3月_更正.xlsx",
            form("石门乡卫生院", 2024, 3, None, 71),
        )],
    ]
}

/// Writes tests/fixtures/store_v1/store with the yilian binary named by YILIAN_OLD_BIN (a
/// build of commit 8ee38e0, before the period layout). Run by hand:
/// `YILIAN_OLD_BIN=/path/to/old/yilian cargo test --test it store_compact::write_store_v1 -- --ignored`
#[test]
#[ignore]
fn write_store_v1() {
    let Some(old) = std::env::var_os("YILIAN_OLD_BIN") else {
        panic!("set YILIAN_OLD_BIN to a yilian built from commit 8ee38e0");
    };
    let ws = Workspace::new();
    for (i, run) in v1_runs().iter().enumerate() {
        for (name, f) in run {
            ws.put(&format!("run{i}/{name}"), &xlsx(f));
        }
        let out = std::process::Command::new(&old)
            .current_dir(ws.path())
            .env("YILIAN_LANG", "en")
            .args(["ingest", &format!("inbox/run{i}")])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let dest = fixtures().join("store_v1/store");
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::create_dir_all(dest.join("submissions")).unwrap();
    std::fs::copy(
        ws.store().join("yilian-store.toml"),
        dest.join("yilian-store.toml"),
    )
    .unwrap();
    std::fs::copy(ws.store().join("manifest.json"), dest.join("manifest.json")).unwrap();
    copy_dir(&ws.store().join("submissions"), &dest.join("submissions"));
}
