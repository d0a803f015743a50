use clap::Parser;
use yilian::cli::{Cli, Command};
use yilian::{commands, exit};

fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Ingest(a) => commands::ingest::run(a),
        Command::Sample(a) => commands::sample::run(a),
        Command::Catalog(a) => commands::catalog::run(a),
        Command::History(a) => commands::history::run(a),
        Command::Indicators(a) => commands::indicators::run(a),
        Command::Check(a) => commands::check::run(a),
        Command::Report(a) => commands::report::run(a),
        Command::Chart(a) => commands::chart::run(a),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("yilian: error: {e:#}");
            std::process::exit(exit::FAILURE);
        }
    }
}
