//! Diagnostics: the library reports timings and internal detail through `log`; this logger
//! prints them on stderr, escaped like every other line, when `--debug` is given (warnings
//! the library logs always). What a user must see is returned as data and printed by the
//! command, never logged.

use crate::export::escape_terminal;

struct Stderr;

static LOGGER: Stderr = Stderr;

impl log::Log for Stderr {
    fn enabled(&self, m: &log::Metadata) -> bool {
        m.level() <= log::max_level() && m.target().starts_with("yilian")
    }
    fn log(&self, r: &log::Record) {
        if self.enabled(r.metadata()) {
            let line = format!("{}: {}", r.level().as_str().to_lowercase(), r.args());
            eprintln!("{}", escape_terminal(&line));
        }
    }
    fn flush(&self) {}
}

/// Installs the logger once per process: debug detail with `debug`, else warnings only.
pub fn init(debug: bool) {
    // The timeline's clock starts now (`since_start`).
    crate::since_start();
    let level = if debug {
        log::LevelFilter::Debug
    } else {
        log::LevelFilter::Warn
    };
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(level);
    }
}
