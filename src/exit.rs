//! Exit codes, stable for batch jobs (documented in README.md).

/// Everything asked was done.
pub const OK: i32 = 0;
/// The command could not run: bad consortium file, store unreadable, I/O failure.
pub const FAILURE: i32 = 1;
/// Bad command-line usage (clap's own code).
pub const USAGE: i32 = 2;
/// `ingest`: at least one file was rejected; every other file was stored.
pub const REJECTED: i32 = 3;
/// `check`: warnings but no errors (information alone is clean, exit 0).
pub const CHECK_WARNINGS: i32 = 4;
/// `check`: at least one error (a finding a member must correct).
pub const CHECK_ERRORS: i32 = 5;
/// The store is damaged (a submission file missing or unreadable): `yilian store verify`
/// says which, and every command that reads it refuses unless `--allow-damaged-store`.
pub const STORE_DAMAGED: i32 = 6;
/// `--lock-timeout` passed while another yilian process held the store lock; nothing stored.
pub const LOCK_TIMEOUT: i32 = 7;

/// An error that ends the run with its own exit code; its message is printed as any error's.
#[derive(Debug)]
pub struct Coded {
    pub code: i32,
    pub message: String,
}

impl std::fmt::Display for Coded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Coded {}

/// The exit code of a failed run: a `Coded` error's own, the store's for its own failures,
/// else FAILURE. The lower modules return typed errors; only this layer knows the codes.
pub fn code_of(e: &anyhow::Error) -> i32 {
    use crate::store::StoreError;
    e.chain()
        .find_map(|c| {
            if let Some(c) = c.downcast_ref::<Coded>() {
                return Some(c.code);
            }
            match c.downcast_ref::<StoreError>()? {
                StoreError::Damaged(_) => Some(STORE_DAMAGED),
                StoreError::LockTimeout(_) => Some(LOCK_TIMEOUT),
            }
        })
        .unwrap_or(FAILURE)
}

/// `check`'s exit code: clean (0, information only), warnings only, errors.
pub fn of_check(report: &crate::check::Report) -> i32 {
    use crate::model::Severity;
    if report.count(Severity::Error) > 0 {
        CHECK_ERRORS
    } else if report.count(Severity::Warning) > 0 {
        CHECK_WARNINGS
    } else {
        OK
    }
}

/// The message of a run that failed, as printed after `yilian: error: `: each cause of the
/// chain (as anyhow's `{:#}` joins them), a cause the library said as a `Text` (or a typed
/// error that has one: store, reader, formula, I/O) in `lang`, with the control and
/// bidirectional characters of file and member names shown as escapes. A TOML diagnostic
/// keeps its lines (it draws the offending line of the consortium file with a caret under
/// it); each line is escaped.
pub fn error_text(e: &anyhow::Error, lang: crate::i18n::Lang) -> String {
    e.chain()
        .map(|cause| {
            let text = match said(cause) {
                Some(said) => said.in_lang(lang),
                None => cause.to_string(),
            };
            if cause.downcast_ref::<toml::de::Error>().is_some() {
                text.split('\n')
                    .map(|l| crate::export::escape_terminal(l).into_owned())
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                crate::export::escape_terminal(&text).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(match lang {
            crate::i18n::Lang::Zh => "：",
            crate::i18n::Lang::En => ": ",
        })
}

/// What a cause of the chain says as a `Text`, if it is one of the errors that has one.
fn said(cause: &(dyn std::error::Error + 'static)) -> Option<crate::i18n::Text> {
    use crate::i18n::{Because, Text};
    if let Some(t) = cause.downcast_ref::<Text>() {
        return Some(t.clone());
    }
    if let Some(b) = cause.downcast_ref::<Because>() {
        return Some(b.0.clone());
    }
    if let Some(e) = cause.downcast_ref::<crate::store::StoreError>() {
        return Some(e.text().clone());
    }
    if let Some(e) = cause.downcast_ref::<crate::read::ReadError>() {
        return Some(e.text());
    }
    if let Some(e) = cause.downcast_ref::<crate::catalog::formula::FormulaError>() {
        return Some(e.text());
    }
    cause
        .downcast_ref::<std::io::Error>()
        .map(crate::i18n::io_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_escapes_every_cause() {
        let e = anyhow::anyhow!("cannot read inbox/a\u{1b}]0;pwned\u{7}\n.csv")
            .context("reading the \u{202e}folder");
        assert_eq!(
            error_text(&e, crate::i18n::Lang::En),
            "reading the \\u{202e}folder: cannot read inbox/a\\u{1b}]0;pwned\\u{7}\\n.csv"
        );
    }

    #[test]
    fn a_said_context_is_in_the_language_above_its_cause() {
        use crate::i18n::{Lang, Msg, SaidContext};
        let io: std::result::Result<(), _> = Err(std::io::Error::other("disk on fire"));
        let e = io
            .said(|| crate::said!(Msg::CannotReadFile, reason = "x"))
            .unwrap_err();
        // A library's own words, of no kind with a Chinese name, after a Chinese sentence.
        assert_eq!(
            error_text(&e, Lang::Zh),
            "无法读取该文件：x：读写出错（disk on fire）"
        );
        assert_eq!(
            error_text(&e, Lang::En),
            "cannot read the file: x: disk on fire"
        );
    }

    #[test]
    fn the_systems_words_are_said_by_kind_in_chinese() {
        use crate::i18n::{Lang, Msg, SaidContext};
        use std::io::{Error, ErrorKind};
        let cases = [
            (Error::from_raw_os_error(2), "文件或文件夹不存在"),
            (
                Error::from_raw_os_error(28),
                "磁盘空间不足（或超出配额）；请清理空间后重试",
            ),
            (
                Error::from_raw_os_error(30),
                "该位置是只读的，无法写入；请换一个可写的位置",
            ),
            (Error::from_raw_os_error(21), "这是一个文件夹，不是文件"),
            (Error::from_raw_os_error(17), "已有同名的文件或文件夹"),
            (Error::from(ErrorKind::TimedOut), "操作超时"),
            (Error::from(ErrorKind::Interrupted), "操作被中断"),
            // A library's detail after the kind; an unnamed kind keeps the OS's words.
            (
                Error::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8"),
                "数据无效（stream did not contain valid UTF-8）",
            ),
            (
                Error::from_raw_os_error(71),
                "读写出错（Protocol error (os error 71)）",
            ),
        ];
        for (io, zh) in cases {
            let en = io.to_string();
            let e = Err::<(), _>(io)
                .said(|| crate::said!(Msg::CannotCreate, path = "out/x.csv"))
                .unwrap_err();
            assert_eq!(
                error_text(&e, Lang::Zh),
                format!("无法创建 out/x.csv：{zh}")
            );
            assert_eq!(
                error_text(&e, Lang::En),
                format!("cannot create out/x.csv: {en}")
            );
        }
    }

    #[test]
    fn an_internal_failure_asks_for_a_report_in_chinese() {
        use crate::i18n::Lang;
        let e = anyhow::Error::new(crate::i18n::internal("store state poisoned"));
        assert_eq!(
            error_text(&e, Lang::Zh),
            "内部错误，请将此信息反馈给开发者（store state poisoned）"
        );
        assert_eq!(
            error_text(&e, Lang::En),
            "internal error: store state poisoned"
        );
    }

    #[test]
    fn a_said_cause_is_in_the_language() {
        use crate::i18n::{Lang, Msg};
        let e = anyhow::Error::new(crate::said!(Msg::NoFigures)).context("reading store");
        assert_eq!(
            error_text(&e, Lang::Zh),
            "reading store：数据库中还没有数据；请先运行 `yilian ingest`"
        );
        assert_eq!(
            error_text(&e, Lang::En),
            "reading store: the store holds no figures yet; run `yilian ingest` first"
        );
    }

    #[test]
    fn toml_diagnostics_keep_their_lines() {
        let bad = toml::from_str::<toml::Value>("name = \"a\u{1b}[2J\"\nx = \n")
            .map(|_| ())
            .unwrap_err();
        let e = anyhow::Error::new(bad).context("consortium.toml is not valid");
        let text = error_text(&e, crate::i18n::Lang::En);
        assert!(text.starts_with("consortium.toml is not valid: "), "{text}");
        assert!(text.contains('\n'), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }
}
