//! The clap command in the user's language: English is the definitions of src/cli.rs as
//! written; Chinese swaps in the texts of `i18n::help` (descriptions, option help,
//! examples and exit codes, headings). `--help`, completions and man pages all come from
//! here, so they speak the same language.

use crate::cli::Cli;
use crate::i18n::{help, Lang, Msg};
use clap::CommandFactory;
use std::collections::BTreeSet;

/// The whole command line in `lang`, ready to parse.
pub fn command(lang: Lang) -> clap::Command {
    match lang {
        Lang::En => Cli::command(),
        Lang::Zh => chinese(&mut BTreeSet::new()),
    }
}

/// The Chinese command, noting in `used` the keys of `i18n::help` it took.
fn chinese(used: &mut BTreeSet<&'static str>) -> clap::Command {
    let mut cmd = Cli::command();
    // Built first, so that `--help`, `--version`, the `help` subcommand and the global
    // options exist in every subcommand and are translated with the rest.
    cmd.build();
    localize(cmd, "", used)
}

fn lookup(key: &str, used: &mut BTreeSet<&'static str>) -> Option<&'static str> {
    let (k, text) = help::ZH.iter().find(|(k, _)| *k == key)?;
    used.insert(k);
    Some(text)
}

fn localize(
    mut cmd: clap::Command,
    path: &str,
    used: &mut BTreeSet<&'static str>,
) -> clap::Command {
    // `yilian help store verify` describes `store verify` in the same words; every `help`
    // subcommand has the one text.
    let words: Vec<&str> = path.split_whitespace().collect();
    let key = if words.last() == Some(&"help") {
        "help".to_string()
    } else {
        words
            .iter()
            .filter(|w| **w != "help")
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let full = path;
    let path = key.as_str();
    if let Some(about) = lookup(path, used) {
        cmd = cmd.about(about).long_about(None);
    }
    if let Some(after) = lookup(format!("{path} after").trim_start(), used) {
        cmd = cmd.after_help(after).after_long_help(None);
    }
    cmd = cmd
        .subcommand_help_heading(help::COMMANDS)
        .subcommand_value_name(help::COMMANDS);
    let args: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in args {
        let specific = format!("{path} --{id}");
        let text = lookup(specific.trim_start(), used).or_else(|| lookup(&format!("--{id}"), used));
        let heading = if positional {
            help::ARGUMENTS
        } else {
            help::OPTIONS
        };
        cmd = cmd.mut_arg(&id, |a| {
            let a = a.help_heading(heading);
            // clap writes `[default: …]` and `[possible values: …]` in English: hidden, and
            // said in Chinese after the help.
            let mut notes = String::new();
            if a.get_action().takes_values() {
                let defaults: Vec<String> = a
                    .get_default_values()
                    .iter()
                    .map(|v| v.to_string_lossy().into_owned())
                    .collect();
                if !defaults.is_empty() && !a.is_hide_default_value_set() {
                    notes.push_str(&format!(" [{}{}]", help::DEFAULT, defaults.join("、")));
                }
                let values: Vec<String> = a
                    .get_possible_values()
                    .iter()
                    .filter(|v| !v.is_hide_set())
                    .map(|v| v.get_name().to_string())
                    .collect();
                if !values.is_empty() && !a.is_hide_possible_values_set() {
                    notes.push_str(&format!(" [{}{}]", help::VALUES, values.join("、")));
                }
            }
            if text.is_none() && notes.is_empty() {
                return a;
            }
            let text = format!("{}{notes}", text.unwrap_or_default());
            a.help(text.trim().to_string())
                .long_help(None)
                .hide_default_value(true)
                .hide_possible_values(true)
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = format!("{full} {name}").trim_start().to_string();
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path, used));
    }
    chinese_headings(cmd)
}

/// clap writes its headings (`Usage:`, `Options:` …) and `[OPTIONS]` in English: the page is
/// laid out by a template with the Chinese headings instead, each section present when clap
/// would show it, and the usage line is clap's own with `[OPTIONS]` in Chinese.
fn chinese_headings(mut cmd: clap::Command) -> clap::Command {
    let usage = cmd.render_usage().to_string();
    let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
    let usage = usage.replace("[OPTIONS]", &format!("[{}]", help::OPTIONS));
    let mut template = format!(
        "{{before-help}}{{about-with-newline}}\n{}{{usage}}",
        help::USAGE
    );
    let sections = [
        (
            cmd.get_subcommands().any(|s| !s.is_hide_set()),
            help::COMMANDS,
            "{subcommands}",
        ),
        (
            cmd.get_positionals().any(|a| !a.is_hide_set()),
            help::ARGUMENTS,
            "{positionals}",
        ),
        (
            cmd.get_arguments()
                .any(|a| !a.is_positional() && !a.is_hide_set()),
            help::OPTIONS,
            "{options}",
        ),
    ];
    for (shown, heading, tag) in sections {
        if shown {
            template.push_str(&format!("\n\n{heading}：\n{tag}"));
        }
    }
    template.push_str("{after-help}");
    cmd.help_template(template).override_usage(usage)
}

/// Ends the run on clap's usage error: in Chinese for the errors people meet (unknown
/// option or subcommand, bad or missing value, conflict), else clap's own text; help and
/// version requests print as clap prints them. The exit code is clap's (2, or 0 for help).
pub fn exit_on(e: clap::Error, lang: Lang) -> ! {
    match usage_error(&e, lang) {
        Some(text) => {
            eprintln!("{text}");
            std::process::exit(e.exit_code())
        }
        None => e.exit(),
    }
}

fn usage_error(e: &clap::Error, lang: Lang) -> Option<String> {
    use crate::i18n::Msg;
    use clap::error::{ContextKind as K, ContextValue as V, ErrorKind};
    if lang == Lang::En {
        return None;
    }
    let get = |k: K| -> Option<String> {
        Some(match e.get(k)? {
            V::String(s) => s.clone(),
            V::Strings(v) => v.join("、"),
            V::StyledStr(s) => s.to_string(),
            V::StyledStrs(v) => v
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
            _ => return None,
        })
    };
    let msg = match e.kind() {
        ErrorKind::UnknownArgument => {
            let arg = get(K::InvalidArg)?;
            match get(K::SuggestedArg) {
                Some(s) => {
                    Msg::UsageUnknownArgSuggest.fmt(lang, &[("arg", &arg), ("suggested", &s)])
                }
                None => Msg::UsageUnknownArg.fmt(lang, &[("arg", &arg)]),
            }
        }
        ErrorKind::InvalidSubcommand => {
            let name = get(K::InvalidSubcommand)?;
            match get(K::SuggestedSubcommand) {
                Some(s) => Msg::UsageUnknownSubcommandSuggest
                    .fmt(lang, &[("name", &name), ("suggested", &s)]),
                None => Msg::UsageUnknownSubcommand.fmt(lang, &[("name", &name)]),
            }
        }
        ErrorKind::InvalidValue => Msg::UsageInvalidValue.fmt(
            lang,
            &[
                ("arg", &get(K::InvalidArg)?),
                ("value", &get(K::InvalidValue).unwrap_or_default()),
                ("valid", &get(K::ValidValue)?),
            ],
        ),
        ErrorKind::ValueValidation => {
            let source = std::error::Error::source(e)?;
            let reason = match source.downcast_ref::<crate::model::period::PeriodError>() {
                Some(p) => period_error(p, lang),
                None => source.to_string(),
            };
            Msg::UsageBadValue.fmt(
                lang,
                &[
                    ("arg", &get(K::InvalidArg)?),
                    ("value", &get(K::InvalidValue).unwrap_or_default()),
                    ("reason", &reason),
                ],
            )
        }
        ErrorKind::MissingRequiredArgument => {
            Msg::UsageMissing.fmt(lang, &[("args", &get(K::InvalidArg)?)])
        }
        ErrorKind::ArgumentConflict => Msg::UsageConflict.fmt(
            lang,
            &[("arg", &get(K::InvalidArg)?), ("other", &get(K::PriorArg)?)],
        ),
        _ => return None,
    };
    Some(format!(
        "{}{msg}\n{}",
        Msg::ErrorPrefix.text(lang),
        Msg::UsageMore.text(lang)
    ))
}

/// A refused `--period` in the reader's language.
fn period_error(e: &crate::model::period::PeriodError, lang: Lang) -> String {
    use crate::model::period::PeriodError as P;
    let (msg, s) = match e {
        P::QuarterForMonth(s) => (Msg::PeriodQuarterForMonth, s),
        P::NotAMonth(s) => (Msg::PeriodNotAMonth, s),
        P::NotMonthOrQuarter(s) => (Msg::PeriodNotMonthOrQuarter, s),
    };
    msg.fmt(lang, &[("text", s)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Every English text of the command line has its Chinese one: a new subcommand or
    /// option without a translation fails here, naming it.
    #[test]
    fn every_help_text_has_its_chinese() {
        let mut en = Cli::command();
        en.build();
        let zh = command(Lang::Zh);
        let mut missing = Vec::new();
        fn walk(en: &clap::Command, zh: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let zh_text =
                |t: Option<&clap::builder::StyledStr>| t.is_some_and(|t| has_cjk(&t.to_string()));
            if en.get_about().is_some() && !zh_text(zh.get_about()) {
                missing.push(format!("`{path}` (description)"));
            }
            if en.get_after_help().is_some() && !zh_text(zh.get_after_help()) {
                missing.push(format!("`{path} after` (examples, exit codes)"));
            }
            for a in en.get_arguments() {
                let described = a.get_help().is_some()
                    || a.get_possible_values()
                        .iter()
                        .any(|v| v.get_help().is_some());
                let z = zh.get_arguments().find(|z| z.get_id() == a.get_id());
                if described && !z.is_some_and(|z| zh_text(z.get_help())) {
                    missing.push(format!("`{path} --{}` (option)", a.get_id()));
                }
            }
            for s in en.get_subcommands() {
                let z = zh
                    .find_subcommand(s.get_name())
                    .expect("the same subcommands");
                let p = format!("{path} {}", s.get_name()).trim_start().to_string();
                walk(s, z, &p, missing);
            }
        }
        walk(&en, &zh, "", &mut missing);
        assert!(
            missing.is_empty(),
            "no Chinese in src/i18n/help.rs for:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn every_chinese_help_text_is_used() {
        let mut used = BTreeSet::new();
        chinese(&mut used);
        let stale: Vec<&str> = help::ZH
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !used.contains(k))
            .collect();
        assert!(
            stale.is_empty(),
            "keys in src/i18n/help.rs that match nothing: {stale:?}"
        );
        let mut keys: Vec<&str> = help::ZH.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(
            keys.len(),
            help::ZH.len(),
            "a key twice in src/i18n/help.rs"
        );
    }

    /// The Chinese examples are the English ones, word for word: both parse.
    #[test]
    fn chinese_examples_are_the_english_commands() {
        let mut en = Cli::command();
        en.build();
        let zh = command(Lang::Zh);
        let lines = |c: &clap::Command| -> Vec<String> {
            c.get_subcommands()
                .flat_map(|s| {
                    s.get_after_help()
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                        .lines()
                        .filter(|l| l.starts_with("  yilian "))
                        .map(|l| l.split("   ").next().unwrap_or(l).trim().to_string())
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        assert_eq!(lines(&en), lines(&zh));
        assert!(lines(&zh).len() >= 15);
    }

    #[test]
    fn period_errors_say_the_models_words_in_english() {
        use crate::model::period::PeriodError as P;
        for e in [
            P::QuarterForMonth("2025Q4".into()),
            P::NotAMonth("2025-13".into()),
            P::NotMonthOrQuarter("x".into()),
        ] {
            assert_eq!(period_error(&e, Lang::En), e.to_string());
            assert!(period_error(&e, Lang::Zh).contains("请写作"));
        }
    }
}
