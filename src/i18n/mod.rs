//! The language people read: every message of the command line once, in English and in
//! Chinese, so the two cannot drift (a unit test checks each has both texts and the same
//! placeholders). The chosen `Lang` is passed in; nothing here is process-wide. The library
//! says what it found as a `Text` (a message of the catalog with its arguments) and the
//! command layer renders it in the reader's language.

mod columns;
pub mod help;
mod messages;

pub use columns::column;

pub use messages::Msg;

/// What the library says to a user, kept unrendered so the command layer can write it in the
/// reader's language: `Display` (logs, JSON, tests) is English, `in_lang` is for people.
#[derive(Clone, Debug, PartialEq)]
pub enum Text {
    /// The same in both languages: a file name, a reader's own wording, a dependency's error.
    Plain(String),
    /// A message of the catalog and its arguments (each a `Text`, so reasons nest).
    Said(Msg, Vec<(&'static str, Text)>),
    /// A list, joined in the language's way.
    Joined(Vec<Text>, Sep),
    /// Another program's own English words (the operating system's, a library's), kept as
    /// they are for an English reader, and what they mean for a Chinese one.
    Own(String, Box<Text>),
}

/// How a list is joined: `, ` / `、`, `; ` / `；`, ` or ` / `或`, or nothing (items that
/// carry their own separators, such as lines).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sep {
    Comma,
    Semicolon,
    Or,
    None,
}

impl Text {
    /// The text in `lang`.
    pub fn in_lang(&self, lang: Lang) -> String {
        match self {
            Text::Plain(s) => s.clone(),
            Text::Own(en, _) if lang == Lang::En => en.clone(),
            Text::Own(_, meaning) => meaning.in_lang(lang),
            Text::Joined(items, sep) => {
                let sep = match (sep, lang) {
                    (Sep::Comma, Lang::En) => ", ",
                    (Sep::Comma, Lang::Zh) => "、",
                    (Sep::Semicolon, Lang::En) => "; ",
                    (Sep::Semicolon, Lang::Zh) => "；",
                    (Sep::Or, Lang::En) => " or ",
                    (Sep::Or, Lang::Zh) => "或",
                    (Sep::None, _) => "",
                };
                let items: Vec<String> = items.iter().map(|t| t.in_lang(lang)).collect();
                items.join(sep)
            }
            Text::Said(msg, args) => {
                let rendered: Vec<(&str, String)> =
                    args.iter().map(|(n, t)| (*n, t.in_lang(lang))).collect();
                let refs: Vec<(&str, &dyn std::fmt::Display)> = rendered
                    .iter()
                    .map(|(n, v)| (*n, v as &dyn std::fmt::Display))
                    .collect();
                msg.fmt(lang, &refs)
            }
        }
    }

    /// Whether the English text contains `pat` (tests and callers that look for a phrase).
    pub fn contains(&self, pat: &str) -> bool {
        self.to_string().contains(pat)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Text::Plain(s) | Text::Own(s, _) => f.write_str(s),
            t => f.write_str(&t.in_lang(Lang::En)),
        }
    }
}

impl Default for Text {
    fn default() -> Text {
        Text::Plain(String::new())
    }
}

/// A `Text` ends a run as an error: `exit::error_text` renders it in the reader's language.
impl std::error::Error for Text {}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Plain(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Plain(s.to_string())
    }
}

/// What an I/O error says: the operating system's words for an English reader (as they
/// always were), the kind of failure in Chinese for a Chinese one. A library's own detail
/// (zip's `Invalid checksum`, an `io::Error::other`) follows the Chinese in parentheses, and
/// so do the OS's words for a kind without a Chinese name.
pub fn io_error(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    let kind = match e.kind() {
        K::NotFound => Msg::IoNotFound,
        K::PermissionDenied => Msg::IoPermissionDenied,
        K::AlreadyExists => Msg::IoAlreadyExists,
        K::StorageFull | K::QuotaExceeded => Msg::IoStorageFull,
        K::ReadOnlyFilesystem => Msg::IoReadOnly,
        K::IsADirectory => Msg::IoIsADirectory,
        K::NotADirectory => Msg::IoNotADirectory,
        K::DirectoryNotEmpty => Msg::IoDirectoryNotEmpty,
        K::InvalidData => Msg::IoInvalidData,
        K::InvalidFilename => Msg::IoInvalidFilename,
        K::TimedOut => Msg::IoTimedOut,
        K::Interrupted => Msg::IoInterrupted,
        K::UnexpectedEof => Msg::IoUnexpectedEof,
        K::FileTooLarge => Msg::IoFileTooLarge,
        K::ResourceBusy | K::ExecutableFileBusy => Msg::IoBusy,
        K::BrokenPipe => Msg::IoBrokenPipe,
        K::StaleNetworkFileHandle
        | K::NetworkDown
        | K::NetworkUnreachable
        | K::HostUnreachable
        | K::ConnectionReset
        | K::ConnectionAborted => Msg::IoNetwork,
        K::OutOfMemory => Msg::IoOutOfMemory,
        _ => {
            let zh = crate::said!(Msg::IoOther, why = e);
            return Text::Own(e.to_string(), Box::new(zh));
        }
    };
    // An error the OS raised says no more than its kind; one a library made carries its own.
    let zh = if e.raw_os_error().is_none() && e.get_ref().is_some() {
        crate::said!(Msg::IoWithDetail, what => crate::said!(kind), why = e)
    } else {
        crate::said!(kind)
    };
    Text::Own(e.to_string(), Box::new(zh))
}

/// An internal failure (a poisoned lock, a chart that cannot be drawn): said as a bug to
/// report, with the technical detail in English after it.
pub fn internal(detail: impl std::fmt::Display) -> Text {
    crate::said!(Msg::InternalError, what = detail)
}

/// What a scoped thread returned; its panic is an internal failure of `what` (said as a bug
/// to report, as `internal`).
pub fn joined<T>(h: std::thread::ScopedJoinHandle<'_, T>, what: &str) -> anyhow::Result<T> {
    h.join()
        .map_err(|_| anyhow::Error::new(internal(format!("{what} panicked"))))
}

/// A `Text` said about the error under it: what anyhow's `.context` does, but rendered in the
/// reader's language by `exit::error_text` (a context's own type is hidden from the chain).
#[derive(Debug)]
pub struct Because(pub Text, Box<dyn std::error::Error + Send + Sync + 'static>);

impl std::fmt::Display for Because {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Because {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.1)
    }
}

/// `.said(|| said!(…))` on a `Result`: the error gets a `Text` above it (see `Because`).
pub trait SaidContext<T> {
    fn said(self, text: impl FnOnce() -> Text) -> anyhow::Result<T>;
}

impl<T, E> SaidContext<T> for Result<T, E>
where
    E: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
{
    fn said(self, text: impl FnOnce() -> Text) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::Error::new(Because(text(), e.into())))
    }
}

/// JSON carries the English text: scripts match on it, whatever the locale.
impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `said!(Msg::X, name = value, reason => text)`: a `Text` of the catalog. `name = value`
/// takes anything `Display` (rendered once, the same in both languages); `name => text`
/// takes a `Text`, rendered in the reader's language with the rest.
#[macro_export]
macro_rules! said {
    ($msg:expr $(, $($rest:tt)*)?) => {
        $crate::i18n::Text::Said($msg, $crate::said!(@args [] $($($rest)*)?))
    };
    (@args [$($acc:tt)*]) => { vec![$($acc)*] };
    (@args [$($acc:tt)*] $name:ident = $val:expr $(, $($rest:tt)*)?) => {
        $crate::said!(@args [$($acc)* (stringify!($name), $crate::i18n::Text::Plain(($val).to_string())),] $($($rest)*)?)
    };
    (@args [$($acc:tt)*] $name:ident => $val:expr $(, $($rest:tt)*)?) => {
        $crate::said!(@args [$($acc)* (stringify!($name), $crate::i18n::Text::from($val)),] $($($rest)*)?)
    };
}

/// The language of the interface (messages, `--help`), not of the documents: `report`,
/// `chart` and `check --format xlsx` have their own `--lang`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `YILIAN_LANG`, else the first set of `LC_ALL`, `LC_MESSAGES`, `LANG` (POSIX order):
    /// a value starting with `zh` (zh_CN.UTF-8, zh_TW, zh) is Chinese, anything else
    /// (C, POSIX, en_US.UTF-8) English; nothing set is English.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["YILIAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()))
            .map_or(Lang::En, |v| Lang::from_locale(&v))
    }

    /// A locale or language name: `zh…` is Chinese, anything else English.
    pub fn from_locale(value: &str) -> Lang {
        if value.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The language asked on the command line (`--ui-lang zh`, `--ui-lang=en`), read before
    /// clap parses so that `--help` is already in it; `None` when not given (or not a
    /// language: clap then reports the bad value). Stops at `--`.
    pub fn from_args<I, S>(args: I) -> Option<Lang>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut found = None;
        let mut args = args.into_iter();
        while let Some(a) = args.next() {
            let a = a.as_ref().to_string_lossy().into_owned();
            if a == "--" {
                break;
            }
            let value = match a.strip_prefix("--ui-lang") {
                Some("") => args
                    .next()
                    .map(|v| v.as_ref().to_string_lossy().into_owned()),
                Some(rest) => rest.strip_prefix('=').map(str::to_string),
                None => None,
            };
            // The last one given wins, as clap's own parsing would have it.
            match value.as_deref() {
                Some("zh") => found = Some(Lang::Zh),
                Some("en") => found = Some(Lang::En),
                _ => {}
            }
        }
        found
    }
}

/// A message's text with its `{name}` placeholders filled from `args`. In a text,
/// `{name|one|other}` is an English plural: `one` when `name` is 1, else `other` (Chinese
/// needs none). A placeholder without an argument is left as written.
pub fn fill(text: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inner = &after[..close];
        let mut parts = inner.split('|');
        let name = parts.next().unwrap_or_default();
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                let value = value.to_string();
                match (parts.next(), parts.next()) {
                    (Some(one), Some(other)) => {
                        out.push_str(if value == "1" { one } else { other })
                    }
                    _ => out.push_str(&value),
                }
            }
            None => {
                out.push('{');
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The placeholder names of a text, in order of first use (plural choices by their name).
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = after[..close].split('|').next().unwrap_or_default();
        if !names.contains(&name) {
            names.push(name);
        }
        rest = &after[close + 1..];
    }
    names
}

impl Msg {
    /// The message in `lang` with its placeholders filled.
    pub fn fmt(self, lang: Lang, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        fill(self.text(lang), args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chinese characters, or Chinese punctuation for a message that is only a quote or a
    /// colon around a placeholder (`“{text}”`, `：{why}`).
    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| {
            ('\u{4e00}'..='\u{9fff}').contains(&c)
                || ('\u{3000}'..='\u{303f}').contains(&c)
                || ('\u{ff00}'..='\u{ffef}').contains(&c)
                || matches!(c, '“' | '”')
        })
    }

    #[test]
    fn every_message_has_both_languages_with_the_same_placeholders() {
        for m in Msg::ALL {
            let (en, zh) = (m.text(Lang::En), m.text(Lang::Zh));
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{m:?}");
            assert!(has_cjk(zh), "{m:?}: the Chinese text has no Chinese: {zh}");
            let (mut pe, mut pz) = (placeholders(en), placeholders(zh));
            pe.sort_unstable();
            pz.sort_unstable();
            assert_eq!(pe, pz, "{m:?}: placeholders differ");
            // An English plural choice has exactly two forms.
            for p in en.split('{').skip(1).filter_map(|p| p.split('}').next()) {
                let forms = p.split('|').count();
                assert!(forms == 1 || forms == 3, "{m:?}: `{{{p}}}`");
            }
        }
    }

    #[test]
    fn a_text_renders_in_either_language_with_nested_reasons() {
        let inner = crate::said!(Msg::Blank);
        let t = crate::said!(Msg::FileError, path = "a.xlsx", what => inner);
        assert_eq!(t.to_string(), "error: a.xlsx: (blank)");
        assert_eq!(t.in_lang(Lang::Zh), "错误：a.xlsx：（空白）");
        assert_eq!(Text::from("x").in_lang(Lang::Zh), "x");
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"error: a.xlsx: (blank)\""
        );
    }

    #[test]
    fn fill_replaces_names_and_chooses_plurals() {
        let t = "{n} {n|file|files}, {who} ({missing})";
        assert_eq!(
            fill(t, &[("n", &1), ("who", &"a")]),
            "1 file, a ({missing})"
        );
        assert_eq!(
            fill(t, &[("n", &"1,203"), ("who", &"b")]),
            "1,203 files, b ({missing})"
        );
        assert_eq!(fill(t, &[("n", &0), ("who", &"")]), "0 files,  ({missing})");
        assert_eq!(placeholders(t), ["n", "who", "missing"]);
    }

    #[test]
    fn the_environment_chooses_the_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_env(env(&[])), Lang::En);
        assert_eq!(Lang::from_env(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(Lang::from_env(env(&[("LANG", "C")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        // LC_ALL over LC_MESSAGES over LANG; an empty one counts as unset.
        let e = env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")]);
        assert_eq!(Lang::from_env(e), Lang::En);
        let e = env(&[
            ("LC_ALL", ""),
            ("LC_MESSAGES", "zh_TW.UTF-8"),
            ("LANG", "C"),
        ]);
        assert_eq!(Lang::from_env(e), Lang::Zh);
        // YILIAN_LANG over the locale.
        let e = env(&[("YILIAN_LANG", "en"), ("LC_ALL", "zh_CN.UTF-8")]);
        assert_eq!(Lang::from_env(e), Lang::En);
        let e = env(&[("YILIAN_LANG", "zh"), ("LANG", "C")]);
        assert_eq!(Lang::from_env(e), Lang::Zh);
    }

    #[test]
    fn the_command_line_overrides() {
        assert_eq!(
            Lang::from_args(["ingest", "--ui-lang", "zh", "x"]),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_args(["--ui-lang=en", "check"]), Some(Lang::En));
        assert_eq!(
            Lang::from_args(["--ui-lang=en", "--ui-lang", "zh"]),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_args(["ingest", "--", "--ui-lang=zh"]), None);
        assert_eq!(Lang::from_args(["report", "--lang", "en"]), None);
        assert_eq!(Lang::from_args(["--ui-lang", "fr"]), None);
    }
}
