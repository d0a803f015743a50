//! Memory of reading a CSV while streaming: the file's bytes are not held, and a cell of the
//! grid costs its text and 9 bytes, not a boxed text of its own (which took 13–17× the file).
//! Measured on the `yilian` child alone (its own peak RSS, from `wait4`), so the other tests
//! of this binary neither disturb it nor are disturbed.

use crate::common::*;
use std::io::Write;

/// Peak RSS in bytes of `yilian ingest inbox`: its `VmHWM`, read from `/proc` while it runs.
/// (Not `wait4`'s `ru_maxrss`: that counts the test process's own pages, mapped in the child
/// between fork and exec.) The peak is while the grid is held, well before the process ends.
#[cfg(target_os = "linux")]
fn peak_rss(ws: &Workspace) -> u64 {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_yilian"))
        .current_dir(ws.path())
        .env("NO_COLOR", "1")
        .env("YILIAN_LANG", "en")
        .args(["ingest", "--format", "json", "inbox"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0u64;
    loop {
        let hwm = std::fs::read_to_string(&status).ok().and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
        peak = peak.max(hwm.unwrap_or(0) * 1024);
        if child.try_wait().unwrap().is_some() {
            return peak;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// A CSV of `rows` × 40 cells of 8 bytes (`x1234567`) and no header a table could start at:
/// the reader builds the whole grid, locating finds nothing and rejects the file.
fn short_cells(rows: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * 40 * 9);
    let mut n: u32 = 7;
    for _ in 0..rows {
        for c in 0..40 {
            n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            write!(
                out,
                "{}x{:07}",
                if c == 0 { "" } else { "," },
                n % 10_000_000
            )
            .unwrap();
        }
        out.push(b'\n');
    }
    out
}

#[cfg(target_os = "linux")]
#[test]
fn reading_a_csv_of_short_cells_takes_about_its_size() {
    let small = Workspace::new();
    small.put("a.csv", &short_cells(10));
    let base = peak_rss(&small);
    let big = Workspace::new();
    let bytes = short_cells(25_000);
    assert_eq!(bytes.len(), 25_000 * 40 * 9);
    big.put("a.csv", &bytes);
    let grown = peak_rss(&big).saturating_sub(base);
    // 1,000,000 cells, 9 MB: the grid is 17 MB (9 B a cell and 8 of text), plus the growth
    // of its vectors while read: 23–32 MB measured in all (the allocator's per-thread arenas
    // vary it between machines). Boxed cells (24 B a cell and an allocation each) with the
    // file's bytes held took over 45 MB.
    assert!(
        grown < 4 * bytes.len() as u64,
        "reading {} bytes took {} more bytes than a tiny file",
        bytes.len(),
        grown
    );
}

/// The monthly form of `csv_excel`, as delimited text.
const FORM: &str = "填报单位：示例县人民医院,,统计期间：2024年3月\n\
                    指标名称,单位,本月\n\
                    出院人数,人次,1234\n\
                    门急诊人次,人次,45678\n";

#[test]
fn csv_in_utf16_and_gbk_is_read_exactly_while_streaming() {
    let utf16 = |bom: &[u8], le: bool| -> Vec<u8> {
        let mut b = bom.to_vec();
        for u in FORM.encode_utf16() {
            b.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        b
    };
    for (name, bytes, encoding) in [
        ("le.csv", utf16(b"\xFF\xFE", true), "UTF-16"),
        ("be.csv", utf16(b"\xFE\xFF", false), "UTF-16"),
        (
            "gbk.csv",
            encoding_rs::GBK.encode(FORM).0.into_owned(),
            "GBK",
        ),
    ] {
        let ws = Workspace::new();
        ws.put(name, &bytes);
        let (code, summary) = ws.ingest(&["inbox"]);
        assert_eq!(code, 0, "{name}: {summary:#}");
        assert_eq!(
            summary["file_reports"][0]["encoding"], encoding,
            "{name}: {summary:#}"
        );
        let v = ws.effective();
        assert_eq!(
            v["county_peoples|2024-03|discharges|month"],
            Some(1234.0),
            "{name}"
        );
        assert_eq!(
            v["county_peoples|2024-03|outpatient_visits|month"],
            Some(45678.0),
            "{name}"
        );
        assert_eq!(v.len(), 2, "{name}: {v:?}");
    }
}
