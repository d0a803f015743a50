//! Ingest benchmark: a month of 2,000 vertical forms (xlsx), timed against the floor of
//! reading the same files with calamine alone (same parallelism).
//!
//!     cargo run --release --example bench_ingest [-- N_FILES [DIR [varied|same [MONTHS]]]]
//!
//! Two workloads: the forms all made from one template (the benchmark), then each
//! from its own (styles and sheet names differ), which denies the reader its cache of
//! workbook parts byte-identical to the previous file's.
//! The workload is generated (deterministic) into a temp folder; nothing is kept. Both sides
//! run in the same process with yilian's allocator and memory settings. `YILIAN_PROFILE=1`
//! prints where ingest's time goes (read+locate, resolve, commit: frame, Parquet, sync), as
//! `yilian --debug` does.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

// The same allocator as the binary, for the floor and for yilian alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/floor.rs"]
mod floor;
#[path = "common/forms.rs"]
mod forms;
use floor::calamine_cells;
use forms::{HEADS, ITEMS};

/// `varied`: each form differs in its styles and sheet name, as forms from many hospitals'
/// own templates would, so that no workbook part is byte-identical to the previous file's.
/// `months`: each of the `n` members sends a form for each of that many months, from 2023-01
/// on (`n × months` files; the memory benchmark of a growing store).
fn write_workload(
    dir: &Path,
    n: usize,
    varied: bool,
    months: usize,
) -> anyhow::Result<Vec<PathBuf>> {
    let mut toml = String::from("name = \"基准医联体\"\n");
    let mut files = Vec::with_capacity(n * months);
    for i in 0..n {
        let name = format!("基准第{i:04}卫生院");
        toml.push_str(&format!("[[members]]\nid = \"m{i:04}\"\nname = \"{name}\"\ntier = \"primary\"\njoined = \"2020-01\"\n"));
    }
    for k in 0..n * months {
        let (i, month) = (k % n, k / n);
        let name = format!("基准第{i:04}卫生院");
        // One month: March 2025, as before; several: consecutive months from January 2023.
        let (year, mon) = if months == 1 {
            (2025, 3)
        } else {
            (2023 + month / 12, month % 12 + 1)
        };
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let mut title = rust_xlsxwriter::Format::new();
        if varied {
            ws.set_name(["月报表", "医疗业务月报", "报表", "Sheet1", "业务量"][i % 5])?;
            title = title.set_font_size(12 + (i % 7) as u16).set_bold();
            if i % 2 == 0 {
                title = title.set_font_name("宋体");
            }
            ws.set_column_width(0, 18.0 + (i % 11) as f64)?;
        } else {
            ws.set_name("月报表")?;
        }
        ws.merge_range(0, 0, 0, 6, "示例医联体成员单位医疗业务月报表", &title)?;
        ws.write_string(1, 0, format!("填报单位：{name}"))?;
        ws.write_string(1, 4, format!("统计期间：{year}年{mon}月"))?;
        for (c, h) in HEADS.iter().enumerate() {
            ws.write_string(2, c as u16, *h)?;
        }
        for (r, (item, unit, base)) in ITEMS.iter().enumerate() {
            let r = r as u32 + 3;
            let v = (base * (1.0 + ((i + month) % 17) as f64 / 100.0)).round();
            ws.write_string(r, 0, *item)?;
            ws.write_string(r, 1, *unit)?;
            ws.write_number(r, 2, v)?;
            let prior = (v * 0.95).round();
            ws.write_number(r, 3, prior)?;
            // The change the member's own figures give: a consistent form, no warning.
            ws.write_number(r, 4, ((v - prior) / prior * 10000.0).round() / 100.0)?;
            ws.write_number(r, 5, v * 3.0)?;
            ws.write_number(r, 6, (v * 2.9).round())?;
        }
        ws.write_string(
            ITEMS.len() as u32 + 4,
            0,
            "填表人：张三    审核人：李四    联系电话：0755-1234567",
        )?;
        let path = dir.join(format!("inbox/{year}-{mon:02}/{name}_{year}年{mon}月.xlsx"));
        std::fs::create_dir_all(path.parent().unwrap_or(dir))?;
        wb.save(&path)?;
        files.push(path);
    }
    std::fs::write(dir.join("consortium.toml"), toml)?;
    Ok(files)
}

fn main() -> anyhow::Result<()> {
    // As the binary does, for the floor and for yilian alike.
    yilian::no_huge_pages();
    yilian::commands::diag::init(std::env::var_os("YILIAN_PROFILE").is_some());
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    // `-- N DIR` writes the workload into DIR and stops, to profile `yilian ingest` on it.
    if let Some(dir) = std::env::args().nth(2) {
        let months = std::env::args()
            .nth(4)
            .and_then(|s| s.parse().ok())
            .unwrap_or(1);
        write_workload(
            Path::new(&dir),
            n,
            std::env::args().nth(3).as_deref() == Some("varied"),
            months,
        )?;
        eprintln!(
            "wrote {} forms ({n} members × {months} months) and consortium.toml into {dir}",
            n * months
        );
        return Ok(());
    }
    for varied in [false, true] {
        measure(n, varied)?;
    }
    Ok(())
}

fn measure(n: usize, varied: bool) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let t = Instant::now();
    let files = write_workload(tmp.path(), n, varied, 1)?;
    eprintln!(
        "generated {n} vertical forms ({}) in {:.2}s",
        if varied {
            "a template each"
        } else {
            "one template"
        },
        t.elapsed().as_secs_f64()
    );

    let runs = 3;
    let mut floor = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let cells = calamine_cells(&files);
        floor = floor.min(t.elapsed().as_secs_f64());
        assert!(cells > n * 100);
    }
    // Our reader alone (bytes → cell grids, merges included), to split read from locate.
    let mut read_only = f64::MAX;
    for _ in 0..runs {
        let t = Instant::now();
        let sheets: usize = files
            .par_iter()
            .map(|p| {
                yilian::read::read_bytes(&std::fs::read(p).expect("read"))
                    .map(|w| w.sheets.len())
                    .unwrap_or(0)
            })
            .sum();
        read_only = read_only.min(t.elapsed().as_secs_f64());
        assert_eq!(sheets, n);
    }
    let mut ingest = f64::MAX;
    let mut values = 0;
    for run in 0..runs {
        let store_dir = tmp.path().join(format!("store{run}"));
        let mut consortium = yilian::config::Consortium::load(&tmp.path().join("consortium.toml"))?;
        let store = yilian::store::Store::open(&store_dir)?;
        let t = Instant::now();
        let s = yilian::ingest::run(
            &[tmp.path().join("inbox")],
            &mut consortium,
            &store,
            &Default::default(),
            &|| {},
        )?;
        ingest = ingest.min(t.elapsed().as_secs_f64());
        assert_eq!(s.stored, n, "every file stored");
        values = s.values;
    }
    println!(
        "{n} forms, {}: {values} values stored, {} threads",
        if varied {
            "a template each (styles and sheet names differ)"
        } else {
            "one template"
        },
        rayon::current_num_threads()
    );
    println!("calamine floor (best of {runs}): {floor:.3} s");
    println!("yilian read    (best of {runs}): {read_only:.3} s   (cell grids only)");
    println!("yilian ingest  (best of {runs}): {ingest:.3} s");
    println!("ratio: {:.2}x the floor", ingest / floor);
    Ok(())
}
