//! Shared test helpers: layout fixtures (JSON, values computed by hand) written in every
//! format, and a reader for what the store holds.
#![allow(dead_code)]

pub mod ooxml;

use assert_cmd::Command;
use polars::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn layout(name: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(format!("layouts/{name}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A temp workspace with the test consortium file.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            fixtures().join("consortium.toml"),
            dir.path().join("consortium.toml"),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("inbox")).unwrap();
        Workspace { dir }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn inbox(&self) -> PathBuf {
        self.dir.path().join("inbox")
    }
    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }
    pub fn put(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.inbox().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }
    pub fn yilian(&self) -> Command {
        let mut c = Command::cargo_bin("yilian").unwrap();
        // English whatever the machine's locale: the tests read the English messages.
        c.current_dir(self.path())
            .env("NO_COLOR", "1")
            .env("YILIAN_LANG", "en");
        c
    }
    /// Runs `yilian ingest --format json ARGS` and returns (exit code, summary).
    pub fn ingest(&self, args: &[&str]) -> (i32, Value) {
        let out = self
            .yilian()
            .arg("ingest")
            .arg("--format")
            .arg("json")
            .args(args)
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
            panic!(
                "not JSON: {}\nstderr: {}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (code, v)
    }
    /// Values in use (newest submission), keyed `member|period|key|basis`.
    pub fn effective(&self) -> BTreeMap<String, Option<f64>> {
        let store = yilian::store::Store::open_existing(&self.store()).unwrap();
        frame_map(store.effective().unwrap().collect().unwrap())
    }
    pub fn all_rows(&self) -> DataFrame {
        let store = yilian::store::Store::open_existing(&self.store()).unwrap();
        store.scan_all().unwrap().collect().unwrap()
    }
    pub fn store_files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.store().join("submissions"))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

pub fn frame_map(df: DataFrame) -> BTreeMap<String, Option<f64>> {
    let s = |n: &str| df.column(n).unwrap().str().unwrap().clone();
    let (m, p, k, b) = (s("member"), s("period"), s("key"), s("basis"));
    let v = df.column("value").unwrap().f64().unwrap().clone();
    (0..df.height())
        .map(|i| {
            (
                format!(
                    "{}|{}|{}|{}",
                    m.get(i).unwrap(),
                    p.get(i).unwrap(),
                    k.get(i).unwrap(),
                    b.get(i).unwrap()
                ),
                v.get(i),
            )
        })
        .collect()
}

/// Checks the store against a fixture's hand-computed expectations.
pub fn assert_expected(ws: &Workspace, spec: &Value, what: &str) {
    let got = ws.effective();
    for (mp, items) in spec["expected"].as_object().unwrap() {
        for (code, want) in items.as_object().unwrap() {
            let key = format!("{mp}|{code}|month");
            let v = got.get(&key).unwrap_or_else(|| {
                panic!(
                    "{what}: {key} missing; stored: {:?}",
                    got.keys().collect::<Vec<_>>()
                )
            });
            assert_eq!(*v, Some(want.as_f64().unwrap()), "{what}: {key}");
        }
    }
    if let Some(nr) = spec["not_reported"].as_array() {
        for k in nr {
            let key = format!("{}|month", k.as_str().unwrap());
            assert_eq!(
                got.get(&key),
                Some(&None),
                "{what}: {key} should be stored as not reported"
            );
        }
    }
    if let Some(py) = spec["expected_prior_year"].as_object() {
        for (mp, items) in py {
            for (code, want) in items.as_object().unwrap() {
                let key = format!("{mp}|{code}|prior_year");
                assert_eq!(
                    got.get(&key).copied().flatten(),
                    Some(want.as_f64().unwrap()),
                    "{what}: {key}"
                );
            }
        }
    }
    if let Some(d) = spec["derived"].as_object() {
        for (mp, items) in d {
            for (code, want) in items.as_object().unwrap() {
                let key = format!("{mp}|{code}|month");
                assert_eq!(
                    got.get(&key).copied().flatten(),
                    Some(want.as_f64().unwrap()),
                    "{what}: {key}"
                );
            }
        }
    }
    if let Some(u) = spec["unmapped"].as_object() {
        for (k, want) in u {
            let (mp, item) = k.rsplit_once('|').unwrap();
            let key = format!("{mp}|unmapped:{item}|month");
            assert_eq!(
                got.get(&key).copied().flatten(),
                Some(want.as_f64().unwrap()),
                "{what}: {key}"
            );
        }
    }
    // Nothing else was stored as a base figure for these member-months.
    let expected_count: usize = spec["expected"]
        .as_object()
        .unwrap()
        .values()
        .map(|o| o.as_object().unwrap().len())
        .sum();
    let stored_count = got
        .iter()
        .filter(|(k, v)| {
            k.ends_with("|month") && v.is_some() && !k.contains("|unmapped:") && {
                let code = k.split('|').nth(2).unwrap();
                yilian::catalog::Catalog::builtin().metric(code).is_some()
            }
        })
        .count();
    assert_eq!(
        stored_count, expected_count,
        "{what}: number of base values stored"
    );
}

// ---------------------------------------------------------------- writers

fn cell_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(yilian::model::fmt_num(n.as_f64().unwrap())),
        Value::Object(o) => Some(yilian::model::fmt_num(o["v"].as_f64().unwrap())),
        _ => None,
    }
}

pub fn xlsx(spec: &Value) -> Vec<u8> {
    use rust_xlsxwriter::{Format, Formula, Workbook};
    let mut wb = Workbook::new();
    for sh in spec["sheets"].as_array().unwrap() {
        let ws = wb.add_worksheet();
        ws.set_name(sh["name"].as_str().unwrap()).unwrap();
        let rows = sh["rows"].as_array().unwrap();
        let mut merged = std::collections::HashSet::new();
        for m in sh["merges"].as_array().unwrap() {
            let m: Vec<u32> = m
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u32)
                .collect();
            let top = rows[m[0] as usize]
                .as_array()
                .unwrap()
                .get(m[1] as usize)
                .and_then(cell_text)
                .unwrap_or_default();
            ws.merge_range(m[0], m[1] as u16, m[2], m[3] as u16, &top, &Format::new())
                .unwrap();
            for r in m[0]..=m[2] {
                for c in m[1]..=m[3] {
                    merged.insert((r, c));
                }
            }
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.as_array().unwrap().iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if merged.contains(&(r, c as u32)) {
                    continue;
                }
                match v {
                    Value::String(s) => {
                        ws.write_string(r, c, s).unwrap();
                    }
                    Value::Number(n) => {
                        ws.write_number(r, c, n.as_f64().unwrap()).unwrap();
                    }
                    Value::Object(o) => {
                        let f = Formula::new(o["f"].as_str().unwrap())
                            .set_result(yilian::model::fmt_num(o["v"].as_f64().unwrap()));
                        ws.write_formula(r, c, f).unwrap();
                    }
                    _ => {}
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The first sheet as delimited text, in an encoding: "utf8", "utf8bom", "gbk", "gb18030".
pub fn csv(spec: &Value, encoding: &str) -> Vec<u8> {
    let sh = &spec["sheets"][0];
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(vec![]);
    for row in sh["rows"].as_array().unwrap() {
        let rec: Vec<String> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|v| cell_text(v).unwrap_or_default())
            .collect();
        w.write_record(&rec).unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    match encoding {
        "utf8" => text.into_bytes(),
        "utf8bom" => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        "gbk" => encoding_rs::GBK.encode(&text).0.into_owned(),
        "gb18030" => encoding_rs::GB18030.encode(&text).0.into_owned(),
        other => panic!("encoding {other}"),
    }
}

/// The first sheet as an HTML table, the way HIS exports write it (merges as spans).
pub fn html(spec: &Value) -> Vec<u8> {
    let sh = &spec["sheets"][0];
    let rows = sh["rows"].as_array().unwrap();
    let merges: Vec<Vec<usize>> = sh["merges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            m.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as usize)
                .collect()
        })
        .collect();
    let width = rows
        .iter()
        .map(|r| r.as_array().unwrap().len())
        .max()
        .unwrap();
    let mut s = String::from("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><table border=\"1\">\n");
    for (r, row) in rows.iter().enumerate() {
        s.push_str("<tr>");
        let row = row.as_array().unwrap();
        for c in 0..width {
            let covering = merges
                .iter()
                .find(|m| (m[0]..=m[2]).contains(&r) && (m[1]..=m[3]).contains(&c));
            match covering {
                Some(m) if m[0] == r && m[1] == c => {
                    let v = row.get(c).and_then(cell_text).unwrap_or_default();
                    s.push_str(&format!(
                        "<td colspan=\"{}\" rowspan=\"{}\">{}</td>",
                        m[3] - m[1] + 1,
                        m[2] - m[0] + 1,
                        escape(&v)
                    ));
                }
                Some(_) => {}
                None => {
                    let v = row.get(c).and_then(cell_text).unwrap_or_default();
                    s.push_str(&format!("<td>{}</td>", escape(&v)));
                }
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table></body></html>\n");
    s.into_bytes()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(' ', "&nbsp;")
}

/// A minimal OpenDocument spreadsheet (what LibreOffice needs to open it; calamine too).
pub fn ods(spec: &Value) -> Vec<u8> {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    for sh in spec["sheets"].as_array().unwrap() {
        content.push_str(&format!(
            "<table:table table:name=\"{}\">",
            sh["name"].as_str().unwrap()
        ));
        for row in sh["rows"].as_array().unwrap() {
            content.push_str("<table:table-row>");
            for v in row.as_array().unwrap() {
                match v {
                    Value::Number(n) => content.push_str(&format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{0}\"><text:p>{0}</text:p></table:table-cell>",
                        n
                    )),
                    Value::Object(o) => content.push_str(&format!(
                        "<table:table-cell table:formula=\"of:{1}\" office:value-type=\"float\" office:value=\"{0}\"><text:p>{0}</text:p></table:table-cell>",
                        o["v"],
                        escape(o["f"].as_str().unwrap())
                    )),
                    Value::String(s) => content.push_str(&format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        s.replace('&', "&amp;").replace('<', "&lt;")
                    )),
                    _ => content.push_str("<table:table-cell/>"),
                }
            }
            content.push_str("</table:table-row>");
        }
        content.push_str("</table:table>");
    }
    content.push_str("</office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = ::zip::ZipWriter::new(&mut buf);
        let stored = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Stored);
        z.start_file("mimetype", stored).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("META-INF/manifest.xml", stored).unwrap();
        z.write_all(manifest.as_bytes()).unwrap();
        z.start_file("content.xml", stored).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

pub fn xls(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(format!("layouts/{name}.xls"))).unwrap()
}

/// Copies the folder `from` to `to`, every file and folder in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

/// Every part of an xlsx workbook but its creation time (`docProps/core.xml`), by name in
/// the archive's order: what two writings of the same workbook must share.
pub fn workbook_parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut z = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name == "docProps/core.xml" {
            continue;
        }
        let mut part = Vec::new();
        f.read_to_end(&mut part).unwrap();
        parts.push((name, part));
    }
    parts
}
