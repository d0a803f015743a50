//! The command line itself: completions and manual pages generated from the definitions.

use assert_cmd::Command;

fn yilian() -> Command {
    let mut c = Command::cargo_bin("yilian").unwrap();
    c.env("NO_COLOR", "1").env("YILIAN_LANG", "en");
    c
}

#[test]
fn bash_completion_parses_and_knows_the_subcommands_and_flags() {
    let out = yilian().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    for word in [
        "indicators",
        "ingest",
        "--period",
        "--since-joined",
        "completions",
    ] {
        assert!(script.contains(word), "{word} missing");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("yilian.bash");
    std::fs::write(&path, &script).unwrap();
    // `bash -n` parses without running; sourcing it must also define the function.
    let check = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "bash -n {0} && source {0} && complete -p yilian",
            path.display()
        ))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8_lossy(&check.stdout).contains("yilian"));
    for shell in ["zsh", "fish", "powershell"] {
        let out = yilian().args(["completions", shell]).output().unwrap();
        assert!(out.status.success() && !out.stdout.is_empty(), "{shell}");
    }
    let out = yilian().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn manual_pages_render_with_man() {
    let dir = tempfile::tempdir().unwrap();
    let out = yilian()
        .args(["man", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    for page in [
        "yilian.1",
        "yilian-ingest.1",
        "yilian-indicators.1",
        "yilian-check.1",
    ] {
        assert!(dir.path().join(page).exists(), "{page}");
    }
    let rendered = std::process::Command::new("man")
        .arg("-l")
        .arg(dir.path().join("yilian-indicators.1"))
        .env("MANPAGER", "cat")
        .env("COLUMNS", "100")
        .output()
        .expect("man (Debian's man-db; .ci/run installs it)");
    assert!(rendered.status.success());
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(text.contains("yilian-indicators"), "{text}");
    assert!(text.contains("--like-for-like"), "{text}");
    // Without --out, yilian.1 goes to standard output.
    let out = yilian().arg("man").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(".ie"));
}

#[test]
#[cfg(feature = "sample")]
fn sample_counts_spreadsheets_not_the_config_and_readme() {
    let dir = tempfile::tempdir().unwrap();
    let out = yilian().arg("sample").arg(dir.path()).output().unwrap();
    assert!(out.status.success());
    fn count(d: &std::path::Path) -> usize {
        std::fs::read_dir(d)
            .unwrap()
            .flatten()
            .map(|e| {
                let p = e.path();
                if p.is_dir() {
                    count(&p)
                } else {
                    let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                    usize::from(matches!(ext, "xlsx" | "xls" | "ods" | "csv"))
                }
            })
            .sum()
    }
    let n = count(dir.path());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(&format!("consortium.toml and {n} spreadsheets")),
        "{n}: {said}"
    );
}

/// Every subcommand's --help has examples (and exit codes where it can fail), and every
/// example parses with the real definitions.
#[test]
fn every_help_has_examples_that_parse() {
    use clap::{CommandFactory, Parser};
    let mut cli = yilian::cli::Cli::command();
    cli.build();
    let mut examples = 0;
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        let help = sub.clone().render_long_help().to_string();
        assert!(
            help.contains("Example"),
            "no example in `{}` --help",
            sub.get_name()
        );
        if !matches!(sub.get_name(), "completions" | "man") {
            assert!(
                help.contains("Exit codes:"),
                "no exit codes in `{}`",
                sub.get_name()
            );
        }
        for line in help.lines().filter(|l| l.starts_with("  yilian ")) {
            // One command: up to `&&`, a redirection or the aligned comment.
            let cmd = line.trim().split("&&").next().unwrap();
            let cmd = cmd.split(" >").next().unwrap();
            let cmd = cmd.split("   ").next().unwrap();
            let words: Vec<&str> = cmd.split_whitespace().collect();
            if let Err(e) = yilian::cli::Cli::try_parse_from(&words) {
                panic!(
                    "example `{cmd}` of `{}` does not parse: {e}",
                    sub.get_name()
                );
            }
            examples += 1;
        }
    }
    assert!(examples >= 20, "{examples} examples");
}
