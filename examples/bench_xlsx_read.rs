//! Single-threaded xlsx read times over a folder of workbooks, files already in memory:
//!
//!     cargo run --release --example bench_ingest -- 2000 /tmp/forms   # writes the workload
//!     cargo run --release --example bench_xlsx_read -- /tmp/forms/inbox
//!
//! Prints calamine's `Xlsx::new` alone, `Xlsx::new` + `worksheets()`, yilian's calamine path
//! and the one-pass path, best of 5 each. A second argument runs only the lines containing it
//! (for profiling one of them).

use calamine::{Reader, Xlsx};
use std::io::Cursor;
use std::time::Instant;
use yilian::read::xlsx_readers;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn best(files: &[Vec<u8>], f: impl Fn(&[u8]) -> usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut n = 0;
    for _ in 0..5 {
        let t = Instant::now();
        n = files.iter().map(|b| f(b)).sum();
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, n)
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: bench_xlsx_read DIR"))?;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "xlsx") {
            files.push(std::fs::read(path)?);
        }
    }
    let only = std::env::args().nth(2).unwrap_or_default();
    println!("{} files, single thread", files.len());
    let open = |b: &[u8]| {
        Xlsx::new(Cursor::new(b))
            .map(|_: Xlsx<_>| 1usize)
            .unwrap_or(0)
    };
    let worksheets = |b: &[u8]| {
        let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(b)).expect("xlsx");
        wb.worksheets()
            .iter()
            .map(|(_, r)| r.used_cells().count())
            .sum()
    };
    let cells = |wb: yilian::read::Workbook| -> usize {
        wb.sheets
            .iter()
            .map(|s| (0..s.height()).map(|r| s.row_len(r)).sum::<usize>())
            .sum()
    };
    let slow = |b: &[u8]| xlsx_readers::calamine(b).map(cells).unwrap_or(0);
    let fast = |b: &[u8]| match xlsx_readers::fast(b) {
        Some(Ok(wb)) => cells(wb),
        _ => panic!("the fast path declined a benchmark file"),
    };
    for (label, f) in [
        ("calamine Xlsx::new", &open as &dyn Fn(&[u8]) -> usize),
        ("calamine Xlsx::new + worksheets", &worksheets),
        ("yilian calamine path", &slow),
        ("yilian one-pass path", &fast),
    ] {
        if !label.contains(only.as_str()) {
            continue;
        }
        let (s, n) = best(&files, f);
        println!(
            "{label:<32} {s:.3} s  ({:.1} µs/file, {n})",
            s * 1e6 / files.len() as f64
        );
    }
    Ok(())
}
