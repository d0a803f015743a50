//! Indicators benchmark: every indicator, every scope, month and ytd windows, for 2,000
//! members × 36 months of generated figures (no files involved: this times the engine).
//!
//!     cargo run --release --example bench_indicators [-- N_MEMBERS]

use std::time::Instant;
use yilian::compute::{base_frame, Engine, Request, Scope, Window};
use yilian::config::{Consortium, ConsortiumFile};
use yilian::model::period::Period;

fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let tiers = ["tertiary", "secondary", "primary", "village"];
    let mut toml = String::from("name = \"基准医联体\"\n");
    for i in 0..n {
        let tier = tiers[if i < 20 {
            0
        } else if i < 200 {
            1
        } else if i < 1500 {
            2
        } else {
            3
        }];
        let joined = if i % 50 == 0 { "2024-07" } else { "2019-01" };
        toml.push_str(&format!("[[members]]\nid = \"m{i:04}\"\nname = \"成员{i:04}\"\ntier = \"{tier}\"\njoined = \"{joined}\"\n"));
    }
    let file: ConsortiumFile = toml::from_str(&toml)?;
    let consortium = Consortium::from_file(file, None)?;
    let metrics: Vec<String> = consortium
        .catalog
        .metrics
        .iter()
        .map(|m| m.code.clone())
        .collect();
    let first = Period::new(2023, 1).expect("month");
    let mut rows = Vec::new();
    let mut x: u64 = 0x9E3779B97F4A7C15;
    for i in 0..n {
        for k in 0..36 {
            let t = first.add_months(k);
            for (j, m) in metrics.iter().enumerate() {
                // Village clinics report a third of the items; everyone skips a few cells.
                if i >= 1500 && j % 3 != 0 {
                    continue;
                }
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                if x.is_multiple_of(97) {
                    continue;
                }
                rows.push((
                    format!("m{i:04}"),
                    t.index(),
                    m.clone(),
                    (x % 1000) as f64 + 1.0,
                    false,
                ));
            }
        }
    }
    let cells = rows.len();
    let t = Instant::now();
    let frame = base_frame(rows)?;
    let engine = Engine::new(&consortium, frame)?;
    let setup = t.elapsed().as_secs_f64();
    let period = first.add_months(35);
    let mut total = 0;
    let t = Instant::now();
    for window in [Window::Month, Window::Ytd] {
        let req = Request {
            period,
            window,
            scopes: vec![Scope::Consortium, Scope::Tier, Scope::Member],
            like_for_like: false,
            indicators: None,
        };
        total += engine.run(&req)?.len();
    }
    let run = t.elapsed().as_secs_f64();
    println!(
        "members: {n}, months: 36, base values: {cells}, records: {total}, threads: {}",
        rayon::current_num_threads()
    );
    println!("engine setup: {setup:.3} s; all indicators × all scopes × (month, ytd) with YoY and MoM: {run:.3} s");
    Ok(())
}
