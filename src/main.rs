use clap::FromArgMatches;
use yilian::cli::{Cli, Command};
use yilian::{commands, exit};

// Ingest allocates a small string per cell and per value: mimalloc keeps that off the
// critical path (glibc malloc was a fifth of ingest's time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `yilian … | head` must end quietly when the reader goes away, like any Unix filter,
/// rather than panic on the next print (Rust ignores SIGPIPE by default).
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal at start-up, before any
    // thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Ends the process without the allocator's clean-up: after a bureau's month, mimalloc's
/// exit handler handed every freed page back to the system one call at a time, a tenth of
/// `indicators`' time. Rust runs no destructors at `exit` either; what this skips is only
/// the C exit handlers, and the one of them that matters, flushing stdout, is done here.
fn leave(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    #[cfg(unix)]
    // SAFETY: `_exit` ends the process at once; every output was flushed and no file of
    // ours waits for an exit handler (temporary files are removed by their owners' drops,
    // which ran when the command returned).
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(unix))]
    std::process::exit(code)
}

fn main() {
    reset_sigpipe();
    yilian::no_huge_pages();
    // The interface language first: `--help` and clap's own errors are already in it.
    let lang = commands::ui::choose(std::env::args_os().skip(1));
    commands::ui::set(lang);
    let matches = commands::help::command(lang)
        .try_get_matches()
        .unwrap_or_else(|e| commands::help::exit_on(e, lang));
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    commands::diag::init(cli.debug);
    let result = match &cli.command {
        Command::Ingest(a) => commands::ingest::run(a),
        #[cfg(feature = "sample")]
        Command::Sample(a) => commands::sample::run(a),
        Command::Init(a) => commands::init::run(a),
        Command::Catalog(a) => commands::catalog::run(a),
        Command::History(a) => commands::history::run(a),
        Command::Indicators(a) => commands::indicators::run(a),
        Command::Check(a) => commands::check::run(a),
        Command::Report(a) => commands::report::run(a),
        Command::Chart(a) => commands::chart::run(a),
        Command::Completions(a) => commands::completions::completions(a),
        Command::Man(a) => commands::completions::man(a),
        Command::Store(a) => commands::store::run(a),
        Command::Bureau(a) => commands::bureau::run(a),
    };
    match result {
        Ok(code) => leave(code),
        Err(e) => {
            let prefix = commands::ui::t(yilian::i18n::Msg::ErrorPrefix, &[]);
            eprintln!("{prefix}{}", exit::error_text(&e, lang));
            leave(exit::code_of(&e));
        }
    }
}
