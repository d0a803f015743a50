//! Scale benchmark (issue 14): a bureau's store of MEMBERS members × MONTHS months of
//! vertical-form xlsx, and the commands on it, each run as the release binary with its wall
//! time and peak RSS (the child's `ru_maxrss`).
//!
//!     cargo build --release && cargo run --release --example bench_scale [-- MEMBERS MONTHS [DIR]]
//!
//! Default 2,000 × 36 (72,000 files, ~560 MB); `-- 500 36` is a quick run. The workload is
//! written into DIR (default: a folder under the system temp folder, removed at the end
//! unless DIR is given; an existing DIR with the forms is reused). Steps: ingest of every
//! month but the last into an empty store, incremental ingest of the last month,
//! `indicators` (month and ytd, all scopes), `check` of the last month and of every month,
//! `report` (the store's first, which checks every month of the year; then the month
//! before's report, which keeps its months' findings, and the month's after it, which checks
//! its own month only), then `store compact` and `indicators` again; a report on a store of
//! the last month alone (history must not slow a month's report). With Python's `duckdb` installed,
//! the same in-use figures queried by DuckDB on the same store, and the ratio. `YILIAN_BIN`
//! runs another yilian binary (e.g. an older build, for before/after numbers; steps it
//! lacks are shown as n/a).
//! The ingest's reference is the calamine floor: the same files opened and every sheet
//! materialised by calamine alone, in this process, on every core; ingest and the floor run
//! in alternated rounds (each first in every other round), and each side is the best of its
//! runs (`INGEST_ROUNDS`); every form is read once before any step is timed, so both read
//! them from the page cache.
//! `BENCH_ITEMS=all` adds the national indicator systems' items (revenue, staff, …: 42
//! items a form instead of 18) so every indicator of the catalog has figures.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

// The binary's allocator, for the calamine floor measured in this process.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/floor.rs"]
mod floor;
#[path = "common/forms.rs"]
mod forms;
use forms::{HEADS, ITEMS, NATIONAL_ITEMS};

/// The form's items: the base ones, and with `BENCH_ITEMS=all` the national systems' too.
fn items() -> Vec<(&'static str, &'static str, f64)> {
    let mut v = ITEMS.to_vec();
    if std::env::var("BENCH_ITEMS").as_deref() == Ok("all") {
        v.extend_from_slice(NATIONAL_ITEMS);
    }
    v
}

const FIRST_YEAR: i32 = 2023;

fn month_of(k: usize) -> (i32, u32) {
    (FIRST_YEAR + (k / 12) as i32, (k % 12) as u32 + 1)
}

/// A member's figure of an item in month `k` (counted from January of FIRST_YEAR).
fn figure(base: f64, i: usize, k: i64) -> f64 {
    let season = 1.0 + (k.rem_euclid(12) as f64 - 6.0).abs() / 50.0;
    (base * (1.0 + (i % 17) as f64 / 100.0) * season * (1.0 + k as f64 / 400.0)).round()
}

/// One member's form for one month: the figures vary by member and month, deterministically.
fn write_form(path: &Path, name: &str, i: usize, k: usize) -> anyhow::Result<()> {
    let (y, m) = month_of(k);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("月报表")?;
    ws.merge_range(
        0,
        0,
        0,
        6,
        "示例医联体成员单位医疗业务月报表",
        &rust_xlsxwriter::Format::new(),
    )?;
    ws.write_string(1, 0, format!("填报单位：{name}"))?;
    ws.write_string(1, 4, format!("统计期间：{y}年{m}月"))?;
    for (c, h) in HEADS.iter().enumerate() {
        ws.write_string(2, c as u16, *h)?;
    }
    let items = items();
    for (r, (item, unit, base)) in items.iter().enumerate() {
        let row = r as u32 + 3;
        let v = figure(*base, i, k as i64);
        // 去年同月 as the member sent it a year earlier (consistent forms: no warnings).
        let ly = figure(*base, i, k as i64 - 12);
        ws.write_string(row, 0, *item)?;
        ws.write_string(row, 1, *unit)?;
        ws.write_number(row, 2, v)?;
        ws.write_number(row, 3, ly)?;
        ws.write_number(row, 4, ((v / ly - 1.0) * 10000.0).round() / 100.0)?;
        ws.write_number(row, 5, v * m as f64)?;
        ws.write_number(row, 6, ly * m as f64)?;
    }
    ws.write_string(items.len() as u32 + 4, 0, "填表人：张三    审核人：李四")?;
    wb.save(path)?;
    Ok(())
}

/// consortium.toml and inbox/YYYY-MM/*.xlsx; skipped when already there.
fn write_workload(dir: &Path, members: usize, months: usize) -> anyhow::Result<()> {
    let done = dir.join(".complete");
    let want = format!("{members} {months} {}", items().len());
    if std::fs::read_to_string(&done).ok().as_deref() == Some(want.as_str()) {
        eprintln!("reusing the workload in {}", dir.display());
        return Ok(());
    }
    let tiers = ["secondary", "primary", "primary", "village"];
    let mut toml = String::from("name = \"基准医联体\"\n");
    for i in 0..members {
        let tier = if i < 20 { "tertiary" } else { tiers[i % 4] };
        toml.push_str(&format!(
            "[[members]]\nid = \"m{i:04}\"\nname = \"基准第{i:04}卫生院\"\ntier = \"{tier}\"\njoined = \"2020-01\"\n"
        ));
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("consortium.toml"), toml)?;
    let t = Instant::now();
    (0..months).into_par_iter().try_for_each(|k| {
        let (y, m) = month_of(k);
        let folder = dir.join(format!("inbox/{y}-{m:02}"));
        std::fs::create_dir_all(&folder)?;
        (0..members).try_for_each(|i| {
            let name = format!("基准第{i:04}卫生院");
            write_form(&folder.join(format!("{name}_{y}年{m}月.xlsx")), &name, i, k)
        })
    })?;
    std::fs::write(&done, want)?;
    eprintln!(
        "wrote {} forms in {:.1}s",
        members * months,
        t.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one run of the binary, or
/// None when it failed. CPU time is the steadier figure on a machine shared with others.
fn run(bin: &Path, cwd: &Path, args: &[&str]) -> Option<(f64, f64, f64)> {
    let t = Instant::now();
    // Into a file, not a pipe: a child writing much to a pipe nobody reads would block.
    let log = cwd.join("step.log");
    let child = Command::new(bin)
        .args(args)
        .current_dir(cwd)
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).ok()?)
        .spawn()
        .ok()?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; the pointers are to live locals.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = t.elapsed().as_secs_f64();
    let code = libc::WEXITSTATUS(status);
    // The command ran: 0 ok, 3 files rejected, 4/5 check found warnings/errors.
    if r != pid || !libc::WIFEXITED(status) || ![0, 3, 4, 5].contains(&code) {
        let err = std::fs::read_to_string(&log).unwrap_or_default();
        let tail: String = err.lines().rev().take(3).collect::<Vec<_>>().join(" | ");
        eprintln!("  `{}` failed (exit {code}): {tail}", args.join(" "));
        return None;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = secs(usage.ru_utime) + secs(usage.ru_stime);
    Some((wall, cpu, usage.ru_maxrss as f64 / 1024.0))
}

/// Reads every file under `dir` (bytes read): what ingest and the floor then read comes from
/// the page cache for both.
fn warm(dir: &Path) -> anyhow::Result<u64> {
    let mut bytes = 0;
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        bytes += match p.is_dir() {
            true => warm(&p)?,
            false => std::fs::read(&p)?.len() as u64,
        };
    }
    Ok(bytes)
}

/// CPU seconds (user + system) this process has used so far.
fn own_cpu() -> f64 {
    // SAFETY: a zeroed rusage is a valid value for getrusage to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pointer is to a live local.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// The files of `folders`, for the floor.
fn files_in(folders: &[String]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for f in folders {
        for e in std::fs::read_dir(f)? {
            files.push(e?.path());
        }
    }
    Ok(files)
}

/// The floor of reading the files: open each workbook and materialise every sheet with
/// calamine, nothing else, on every core (as ingest reads). Wall and CPU seconds.
fn calamine_floor(files: &[PathBuf]) -> anyhow::Result<(f64, f64)> {
    let (t, cpu) = (Instant::now(), own_cpu());
    let cells = floor::calamine_cells(files);
    let wall = t.elapsed().as_secs_f64();
    anyhow::ensure!(cells > 0, "no cells read");
    Ok((wall, own_cpu() - cpu))
}

/// Rounds of ingest and the floor, alternated: this machine's speed drifts by a quarter
/// between runs minutes apart, so each side is the best of as many runs, taken side by side,
/// each first in every other round (what runs second finds the forms just read).
const INGEST_ROUNDS: usize = 5;

/// Rounds of the three reports timed again, interleaved (a round's ratio is its own).
const REPORT_ROUNDS: usize = 5;

fn show(label: &str, r: Option<(f64, f64, f64)>) -> Option<f64> {
    match r {
        Some((wall, cpu, rss)) => {
            println!("| {label} | {wall:.2} s | {cpu:.2} s | {rss:.0} MB |");
            Some(wall)
        }
        None => {
            println!("| {label} | n/a | n/a | n/a |");
            None
        }
    }
}

/// DuckDB's time for the in-use base figures of `periods` (newest submission wins), best of 3.
fn duckdb(store: &Path, periods: &[String]) -> Option<f64> {
    let list = periods
        .iter()
        .map(|p| format!("'{p}'"))
        .collect::<Vec<_>>()
        .join(",");
    let script = format!(
        r#"
import duckdb, time
con = duckdb.connect()
best = 1e9
for _ in range(3):
    t = time.time()
    n = con.sql("""
      select member, period, key, basis, value from read_parquet('{}/submissions/*.parquet')
      where period in ({list}) and kind = 'base' and basis in ('month', 'prior_year')
      qualify row_number() over (partition by member, period, key, basis order by seq desc) = 1
    """).fetchall()
    best = min(best, time.time() - t)
print(best, len(n))
"#,
        store.display()
    );
    let out = Command::new("python3")
        .args(["-c", &script])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let secs: f64 = parts.next()?.parse().ok()?;
    let rows: usize = parts.next()?.parse().ok()?;
    eprintln!(
        "  duckdb: {rows} in-use figures of {} in {secs:.3}s",
        periods.join(", ")
    );
    Some(secs)
}

/// The yilian binary of the build this benchmark belongs to: `target/release/examples/` holds
/// the benchmark, `target/release/` the binary, wherever the target folder is
/// (`CARGO_TARGET_DIR`); the crate's own `target/release/` when that cannot be told.
fn beside_this() -> PathBuf {
    let name = format!("yilian{}", std::env::consts::EXE_SUFFIX);
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join(&name)))
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/release")
                .join(name)
        })
}

fn main() -> anyhow::Result<()> {
    let arg = |i: usize, default: usize| {
        std::env::args()
            .nth(i)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (members, months) = (arg(1, 2000), arg(2, 36).max(14));
    let bin = std::env::var_os("YILIAN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(beside_this);
    anyhow::ensure!(
        bin.exists(),
        "{} not found: run `cargo build --release` first (or set YILIAN_BIN)",
        bin.display()
    );
    let (dir, _keep) = match std::env::args().nth(3) {
        Some(d) => (PathBuf::from(d), None),
        None => {
            let t = tempfile::tempdir()?;
            (t.path().to_path_buf(), Some(t))
        }
    };
    write_workload(&dir, members, months)?;
    let inbox = dir.join("inbox");
    let (ly, lm) = month_of(months - 1);
    let last = format!("{ly}-{lm:02}");
    // Fresh stores each run.
    for s in ["store", "store1", "out", "out1"] {
        let _ = std::fs::remove_dir_all(dir.join(s));
    }
    // The removals written out before the ingest is timed: its commits sync, and would
    // wait for them.
    // SAFETY: sync(2) has no preconditions.
    unsafe { libc::sync() };
    let earlier: Vec<String> = std::fs::read_dir(&inbox)?
        .flatten()
        .map(|e| e.path().display().to_string())
        .filter(|p| !p.ends_with(&last))
        .collect();
    let mut sorted = earlier.clone();
    sorted.sort();
    // Every form read once before anything is timed: a workload not read for a while (the
    // page cache reclaims it) made whichever ran first read the disk and the other memory —
    // twice its time, on one side of the ratio only.
    let warmed = warm(&inbox)?;
    eprintln!(
        "read the {} MB of forms once (the page cache)",
        warmed >> 20
    );
    let newest = inbox.join(&last).display().to_string();
    println!(
        "{members} members × {months} months ({} forms), {}, {} threads",
        members * months,
        bin.display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!();
    println!("| step | wall | CPU | peak RSS |");
    println!("|---|---:|---:|---:|");
    let mut ingest = vec!["ingest"];
    ingest.extend(sorted.iter().map(String::as_str));
    let floor_files = files_in(&sorted)?;
    let (mut ingested, mut floor, mut floor_cpu) = (None, f64::MAX, 0.0);
    let mut rounds = Vec::new();
    for round in 0..INGEST_ROUNDS {
        if round > 0 {
            // Each round into an empty store (the last one's is the store of the steps below).
            std::fs::remove_dir_all(dir.join("store"))?;
            // SAFETY: sync(2) has no preconditions.
            unsafe { libc::sync() };
        }
        let (i, (f, f_cpu)) = if round % 2 == 0 {
            let i = run(&bin, &dir, &ingest);
            (i, calamine_floor(&floor_files)?)
        } else {
            let f = calamine_floor(&floor_files)?;
            (run(&bin, &dir, &ingest), f)
        };
        if let Some((w, c, _)) = i {
            rounds.push(format!("{:.2}× / {:.2}×", w / f, c / f_cpu));
        }
        if i.is_some_and(|(w, _, _)| ingested.is_none_or(|(b, _, _)| w < b)) {
            ingested = i;
        }
        if f < floor {
            (floor, floor_cpu) = (f, f_cpu);
        }
    }
    show(
        &format!(
            "`ingest` of {} months into an empty store (best of {INGEST_ROUNDS})",
            months - 1
        ),
        ingested,
    );
    println!(
        "| the same files read by calamine alone (the floor, best of {INGEST_ROUNDS}) | {floor:.2} s | {floor_cpu:.2} s | |"
    );
    show(
        "`ingest` of one more month (incremental)",
        run(&bin, &dir, &["ingest", &newest]),
    );
    let ind = |window: &str, scope: &str| {
        run(
            &bin,
            &dir,
            &[
                "indicators",
                "--period",
                &last,
                "--window",
                window,
                "--scope",
                scope,
                "--format",
                "csv",
            ],
        )
    };
    let month_all = show(
        &format!("`indicators --period {last} --scope all`"),
        ind("month", "all"),
    );
    show(
        &format!("`indicators --period {last} --scope consortium`"),
        ind("month", "consortium"),
    );
    show(
        &format!("`indicators --period {last} --window ytd --scope all`"),
        ind("ytd", "all"),
    );
    let check = show(
        &format!("`check --period {last}`"),
        run(
            &bin,
            &dir,
            &["check", "--period", &last, "--format", "json"],
        ),
    );
    show(
        "`check` (every stored month)",
        run(&bin, &dir, &["check", "--format", "json"]),
    );
    let report = show(
        &format!("`report --period {last}`, the store's first (every month of the year checked)"),
        run(&bin, &dir, &["report", "--period", &last, "--out", "out"]),
    );
    // As a month's report follows the month before's: that one keeps the findings of its
    // months (`store/cache/`, docs/store.md), this one checks its own month only.
    let before = {
        let (py, pm) = month_of(months - 2);
        format!("{py}-{pm:02}")
    };
    let findings = dir.join("store").join("cache").join("findings");
    let _ = std::fs::remove_dir_all(&findings);
    show(
        &format!("`report --period {before}` (keeps its months' findings)"),
        run(&bin, &dir, &["report", "--period", &before, "--out", "out"]),
    );
    let report_next = show(
        &format!("`report --period {last}` after it (one month checked)"),
        run(&bin, &dir, &["report", "--period", &last, "--out", "out"]),
    );
    // DuckDB on the store as `indicators` and `check` just read it (before compaction), and
    // again after: each ratio compares the two on the same files.
    let (y, m) = (ly, lm);
    let periods = vec![last.clone(), format!("{}-{m:02}", y - 1), {
        let (py, pm) = month_of(months - 2);
        format!("{py}-{pm:02}")
    }];
    let duck = duckdb(&dir.join("store"), &periods);
    show("`store compact`", run(&bin, &dir, &["store", "compact"]));
    let compacted = show(
        &format!("`indicators --period {last} --scope all` after compact"),
        ind("month", "all"),
    );
    // The same members, one month stored: what a month's report costs without history.
    let one = show(
        "`ingest` of the last month alone into another store",
        run(&bin, &dir, &["ingest", "--store", "store1", &newest]),
    );
    let report1 = one.and_then(|_| {
        show(
            &format!("`report --period {last}` on that one-month store"),
            run(
                &bin,
                &dir,
                &[
                    "report", "--store", "store1", "--period", &last, "--out", "out1",
                ],
            ),
        )
    });
    println!();
    let duck_compacted = duckdb(&dir.join("store"), &periods);
    match (duck, duck_compacted) {
        (Some(d), Some(dc)) => {
            println!(
                "DuckDB, the in-use figures of {} (newest submission wins): {d:.3} s \
                 ({dc:.3} s after compaction)",
                periods.join(", ")
            );
            if let Some(i) = month_all {
                println!("indicators / DuckDB: {:.1}×", i / d);
            }
            if let Some(i) = compacted {
                println!("indicators / DuckDB after compaction: {:.1}×", i / dc);
            }
            if let Some(c) = check {
                println!("check / DuckDB: {:.1}×", c / d);
            }
        }
        _ => println!("DuckDB not available (pip install duckdb): no ratio"),
    }
    if let Some((wall, cpu, _)) = ingested {
        println!(
            "ingest / calamine floor: {:.2}× wall, {:.2}× CPU (best of {INGEST_ROUNDS} each, \
             alternated; each round wall / CPU: {})",
            wall / floor,
            cpu / floor_cpu,
            rounds.join(", ")
        );
    }
    if let (Some(r), Some(r1)) = (report, report1) {
        println!(
            "report on the {months}-month store / on the one-month store, single runs minutes \
             apart (the repeated ratios below are the ones to go by): {:.2}× (the store's first \
             report), {}",
            r / r1,
            report_next.map_or("n/a".into(), |n| format!(
                "{:.2}× after the month before's report",
                n / r1
            ))
        );
    }
    // A single run moves with this machine's phase: the ratios again from repeated runs on
    // the compacted store, each side as DuckDB's (its best of three): the best of five for
    // `indicators` and `check`, the medians of REPORT_ROUNDS interleaved runs for the reports.
    println!();
    let best = |args: &[&str]| -> Option<f64> {
        (0..5)
            .filter_map(|_| run(&bin, &dir, args).map(|r| r.0))
            .min_by(f64::total_cmp)
    };
    let month_args = [
        "indicators",
        "--period",
        &last,
        "--scope",
        "all",
        "--format",
        "csv",
    ];
    let check_args = ["check", "--period", &last, "--format", "json"];
    if let (Some(dc), Some(i), Some(c)) = (duck_compacted, best(&month_args), best(&check_args)) {
        println!(
            "repeated: indicators / DuckDB {:.1}× ({i:.3} s, best of 5), \
             check / DuckDB {:.1}× ({c:.3} s)",
            i / dc,
            c / dc
        );
    }
    // The reports again, interleaved, in REPORT_ROUNDS rounds: the long store's first (no month's
    // findings kept: compaction renamed the files they were kept for), the same after the
    // month before's (its months kept, its own checked) and the one-month store's (its
    // month checked each time too).
    let kept1 = dir.join("store1").join("cache").join("findings");
    // Wall and CPU seconds of each round's three runs (None: the run failed, said above).
    type Round = [Option<(f64, f64)>; 3];
    let mut rounds: Vec<Round> = Vec::new();
    for _ in 0..REPORT_ROUNDS {
        let args = ["report", "--period", &last, "--out", "out"];
        let _ = std::fs::remove_dir_all(&findings);
        let first = run(&bin, &dir, &args).map(|r| (r.0, r.1));
        // The first kept every month as the month before's would: all but its own stay.
        forget_month(&findings, &last);
        let next = run(&bin, &dir, &args).map(|r| (r.0, r.1));
        forget_month(&kept1, &last);
        let args = [
            "report", "--store", "store1", "--period", &last, "--out", "out1",
        ];
        rounds.push([first, next, run(&bin, &dir, &args).map(|r| (r.0, r.1))]);
    }
    let side = |r: &(f64, f64), cpu: bool| if cpu { r.1 } else { r.0 };
    // The runs of one kind (0: the store's first, 1: after the month before's, 2: the
    // one-month store's) that did not fail.
    let median = |kind: usize, cpu: bool| {
        median_of(
            rounds
                .iter()
                .filter_map(|r| r[kind].map(|x| side(&x, cpu)))
                .collect(),
        )
    };
    // Each round's own ratio too: its three reports ran within seconds of each other, so a
    // phase of the machine that lasts minutes moves both sides of it alike. Only rounds
    // whose two runs both succeeded are paired.
    let paired = |kind: usize, cpu: bool| {
        median_of(
            rounds
                .iter()
                .filter_map(|r| Some(side(&r[kind]?, cpu) / side(&r[2]?, cpu)))
                .collect(),
        )
    };
    // On two cores a report's wall time follows its CPU time (both cores are busy but for
    // the workbook's compression at the end), so the CPU ratio is what the wall ratio tends
    // to, without this machine's phase in it.
    for cpu in [false, true] {
        let (Some(f), Some(n), Some(r1)) = (median(0, cpu), median(1, cpu), median(2, cpu)) else {
            continue;
        };
        let (fx, nx) = (f / r1, n / r1);
        let (pf, pn) = (
            paired(0, cpu).unwrap_or(f64::NAN),
            paired(1, cpu).unwrap_or(f64::NAN),
        );
        match cpu {
            false => println!(
                "repeated: report on the {months}-month store / on the one-month store: \
                 {fx:.2}× the store's first ({f:.2} s / {r1:.2} s), {nx:.2}× after the \
                 month before's ({n:.2} s; medians of {REPORT_ROUNDS} interleaved); the \
                 rounds' own ratios' medians {pf:.2}× and {pn:.2}×"
            ),
            true => println!(
                "repeated, CPU: {fx:.2}× the store's first ({f:.2} s / {r1:.2} s), \
                 {nx:.2}× after the month before's ({n:.2} s); the rounds' own ratios' \
                 medians {pf:.2}× and {pn:.2}×"
            ),
        }
    }
    Ok(())
}

/// The median (the upper of the two middle ones of an even count); None of nothing.
fn median_of(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// Forgets the findings `check::cache` keeps for `month` (the entry's file, whatever its
/// extension), so the next report checks that month again.
fn forget_month(findings: &Path, month: &str) {
    let Ok(entries) = std::fs::read_dir(findings) else {
        return;
    };
    let prefix = format!("{month}.");
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
