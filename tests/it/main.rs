//! Every integration test in one binary: each file was its own test crate, and each linked
//! the library with polars; one binary links once. The modules run in one process, so a test
//! must not change process-wide state (environment, current directory, resource limits): set
//! it on the `yilian` child command instead (see `fuzz_readers` for a limit the test itself
//! needs, taken in a child process).

mod common;

mod bad_input;
mod bureau;
mod check;
mod check_sample;
mod checklist_zh;
mod cli;
mod csv_excel;
mod detection;
mod fuzz_readers;
mod indicator_systems;
mod indicators;
mod ingest_batches;
mod ingest_output;
mod init;
mod language;
mod language_read;
mod layers;
mod layouts;
mod layouts_more;
mod never_reported;
mod output_text;
mod population_file;
mod read_integrity;
mod read_limits;
mod read_memory;
mod real_world;
mod report;
mod report_cache;
mod report_large;
mod report_sets;
mod sample_truth;
mod store;
mod store_compact;
mod store_damage;
mod walk;
mod xlsx_fast;
mod xlsx_prop;
