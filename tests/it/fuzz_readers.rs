//! Random and mutated workbooks fed to `yilian::read::read_bytes` for a bounded time: no
//! panic and no hang (each case must finish within `PER_CASE`). The inputs are the layout
//! fixtures written as xlsx, ods, xls, csv (UTF-8 and GBK) and HTML, with bytes flipped,
//! cut, inserted or repeated, whole archives re-zipped around a mutated part (so the XML
//! parsers, not only the checksum, see the damage), and plain random bytes.
//!
//! Memory is bounded too: the process may not map more than `MEMORY` (Linux), so a case
//! asking for gigabytes aborts the test instead of the machine; the case being read is always
//! in `$TMPDIR/yilian-fuzz-current.bin`. The limit is process-wide, and the other tests share
//! this binary, so the loop runs in a child process: this test binary run again on this test
//! alone, with `YILIAN_FUZZ_CHILD` set.
//!
//! CI runs it for 20 s. Longer, or from another seed (the child's output is shown when it ends):
//! `YILIAN_FUZZ_SECS=600 YILIAN_FUZZ_SEED=7 cargo test --test it fuzz_readers -- --nocapture`

use crate::common::*;
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Debug build on a shared machine; a real hang runs far longer.
const PER_CASE: Duration = Duration::from_secs(20);

/// Address space of the (child) process running the loop.
const MEMORY: u64 = 4 << 30;

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for name in ["vertical", "wide", "department", "tidy"] {
        let spec = layout(name);
        out.push((format!("{name}.xlsx"), xlsx(&spec)));
        out.push((format!("{name}.ods"), ods(&spec)));
        out.push((format!("{name}.xls"), xls(name)));
        out.push((format!("{name}.csv"), csv(&spec, "utf8")));
        out.push((format!("{name}.gbk.csv"), csv(&spec, "gbk")));
        out.push((format!("{name}.html"), html(&spec)));
    }
    out
}

/// Byte-level damage of one of four kinds.
fn mutate_bytes(rng: &mut Rng, b: &mut Vec<u8>) -> &'static str {
    if b.is_empty() {
        b.push(rng.next() as u8);
    }
    match rng.below(4) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            "flip"
        }
        1 => {
            let at = rng.below(b.len());
            b.truncate(at);
            "truncate"
        }
        2 => {
            let at = rng.below(b.len() + 1);
            let n = 1 + rng.below(64);
            let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            b.splice(at..at, junk);
            "insert"
        }
        _ => {
            let from = rng.below(b.len());
            let len = 1 + rng.below((b.len() - from).min(4096));
            let chunk = b[from..from + len].to_vec();
            let at = rng.below(b.len() + 1);
            for _ in 0..1 + rng.below(4) {
                b.splice(at..at, chunk.iter().copied());
            }
            "repeat"
        }
    }
}

/// The archive with one part damaged, written again with correct checksums.
fn mutate_part(rng: &mut Rng, archive: &[u8]) -> Option<(Vec<u8>, String)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(archive)).ok()?;
    let mut parts = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).ok()?;
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        parts.push((f.name().ok()?.to_string(), data));
    }
    let victim = rng.below(parts.len());
    let how = mutate_bytes(rng, &mut parts[victim].1);
    let what = format!("{how} in part {}", parts[victim].0);
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, data) in &parts {
            let method = if rng.below(2) == 0 {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            let opts = zip::write::SimpleFileOptions::default().compression_method(method);
            w.start_file(name.as_str(), opts).ok()?;
            w.write_all(data).ok()?;
        }
        w.finish().ok()?;
    }
    Some((buf.into_inner(), what))
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let prefixes: [&[u8]; 5] = [
        b"",
        b"PK\x03\x04",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        b"<html><table><tr><td>",
        b"\xEF\xBB\xBF",
    ];
    let mut b = prefixes[rng.below(prefixes.len())].to_vec();
    let n = rng.below(4096);
    b.extend((0..n).map(|_| rng.next() as u8));
    b
}

#[test]
fn readers_survive_random_and_mutated_workbooks() {
    if std::env::var_os("YILIAN_FUZZ_CHILD").is_none() {
        return in_child_process("readers_survive_random_and_mutated_workbooks");
    }
    let secs = env_u64("YILIAN_FUZZ_SECS", 20);
    let seed = env_u64("YILIAN_FUZZ_SEED", 1).max(1);
    #[cfg(target_os = "linux")]
    unsafe {
        let lim = libc::rlimit {
            rlim_cur: MEMORY,
            rlim_max: MEMORY,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_AS, &lim), 0);
    }
    let current = std::env::temp_dir().join("yilian-fuzz-current.bin");
    let seeds = seeds();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);

    // One worker reads; the test thread watches the clock of each case.
    let (to_worker, cases) = mpsc::channel::<Vec<u8>>();
    let (to_test, results) = mpsc::channel::<Result<(), String>>();
    std::thread::spawn(move || {
        for bytes in cases {
            let r = std::panic::catch_unwind(|| {
                let _ = yilian::read::read_bytes(&bytes);
            });
            let r = r.map_err(|p| {
                p.downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| p.downcast_ref::<String>().cloned())
                    .unwrap_or_default()
            });
            if to_test.send(r).is_err() {
                break;
            }
        }
    });

    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(secs) {
        n += 1;
        let (name, base) = &seeds[rng.below(seeds.len())];
        let (bytes, what) = match rng.below(8) {
            0 => (random_bytes(&mut rng), "random bytes".to_string()),
            1..=3 if base.starts_with(b"PK") => match mutate_part(&mut rng, base) {
                Some(m) => m,
                None => continue,
            },
            _ => {
                let mut b = base.clone();
                let how = mutate_bytes(&mut rng, &mut b);
                (b, how.to_string())
            }
        };
        // Kept to be written out if the case fails (or aborts the process).
        let input = bytes.clone();
        std::fs::write(&current, &input).unwrap();
        let case = || {
            let path = std::env::temp_dir().join(format!("yilian-fuzz-{seed}-{n}.bin"));
            let _ = std::fs::write(&path, &input);
            format!(
                "case {n} (YILIAN_FUZZ_SEED={seed}): {what} of {name}, written to {}",
                path.display()
            )
        };
        to_worker.send(bytes).unwrap();
        match results.recv_timeout(PER_CASE) {
            Ok(Ok(())) => {}
            Ok(Err(panic)) => panic!("{}: the reader panicked: {panic}", case()),
            Err(_) => panic!("{}: no answer within {PER_CASE:?}", case()),
        }
    }
    eprintln!("{n} cases in {:?}", started.elapsed());
    assert!(n > 10, "only {n} cases ran");
}

/// Runs the test `name` of this module alone in a child process (this test binary again, with
/// `YILIAN_FUZZ_CHILD` set and the environment passed on) and fails with its output if it
/// failed.
fn in_child_process(name: &str) {
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &format!("{module}::{name}"), "--nocapture"])
        .env("YILIAN_FUZZ_CHILD", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The child must have run the test, not filtered it away.
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "the fuzz run failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    eprint!("{stderr}");
}
