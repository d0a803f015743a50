//! The interface language of this run, chosen once at start (main) and read by every
//! command's printers. Only the command layer holds it: the library takes a `Lang`.

use crate::i18n::{Lang, Msg};
use std::sync::OnceLock;

static LANG: OnceLock<Lang> = OnceLock::new();

/// `--ui-lang` if given, else the environment (`Lang::from_env`).
pub fn choose(args: impl IntoIterator<Item = std::ffi::OsString>) -> Lang {
    Lang::from_args(args).unwrap_or_else(|| Lang::from_env(|k| std::env::var(k).ok()))
}

/// Sets the language of this run; the first call wins.
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this run (the environment's when `set` was not called).
pub fn lang() -> Lang {
    *LANG.get_or_init(|| choose(std::iter::empty()))
}

/// `warning: …` / `note: …` (`kind`) on stderr, the library's `what` in this run's language,
/// control and bidirectional characters of names shown as escapes.
pub fn line(kind: Msg, what: &crate::i18n::Text) {
    let what = what.in_lang(lang());
    eprintln!(
        "{}",
        crate::export::escape_terminal(&t(kind, &[("what", &what)]))
    );
}

/// A message of the catalog in this run's language.
pub fn t(msg: Msg, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    msg.fmt(lang(), args)
}
