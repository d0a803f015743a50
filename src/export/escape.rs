//! Text a member sent stays text wherever it lands: CSV text cells starting with a formula
//! character get a leading `'` (`neutralise_csv`), everything printed for people shows
//! control and bidirectional characters as escapes (`escape_terminal`), Markdown escapes
//! HTML and its own syntax (`md_escape`). Each is one function, applied where text is
//! written, never to what the store holds.

use super::Kind;
use std::borrow::Cow;

/// A CSV cell that a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, tab or
/// carriage return gets a leading `'` (the OWASP advice for CSV injection). Number columns
/// are never touched; in a mixed column a plain decimal number is left as it is (a
/// spreadsheet reads it as that number, not as a formula).
pub fn neutralise_csv(s: &str, kind: Kind) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let keep = match kind {
        Kind::Number => true,
        Kind::Mixed => is_plain_number(s),
        Kind::Text => false,
    };
    if risky && !keep {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `-12`, `+3.5`, `-1.5e3`: a finite decimal number and nothing else (`inf`, `NaN` and
/// `-1+2` are text).
fn is_plain_number(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// Whether a character would act on a terminal or reorder the text around it rather than
/// show: C0 and C1 controls (ESC starts ANSI and OSC sequences), DEL, line and paragraph
/// separators, and the bidirectional marks, embeddings, overrides and isolates.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Text for a terminal or a log: control and bidirectional characters are shown as escapes
/// (`\n`, `\t`, `\r`, `\u{1b}`, `\u{202e}`) instead of acting, so a file or member name can
/// neither colour, retitle or clear the terminal, nor forge a line, nor reverse what follows.
/// Everything printed for people goes through this at the point it is printed.
pub fn escape_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text for a Markdown document (a table cell or a line): what the terminal would act on is
/// shown as escapes, `<`, `>` and `&` become entities (no raw HTML passes through), and ASCII
/// punctuation with a meaning in Markdown (`|` included, which ends a table cell) is
/// backslash-escaped, so a member's name is shown, never interpreted.
pub fn md_escape(s: &str) -> String {
    let visible = escape_terminal(s);
    let mut out = String::with_capacity(visible.len() + 8);
    for c in visible.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if "\\`*_[]|#!(){}~".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_columns_are_neutralised_numbers_are_not() {
        for risky in ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-"] {
            assert_eq!(neutralise_csv(risky, Kind::Text), format!("'{risky}"));
        }
        for safe in ["", "出院人次", "a=1", " =1", "'=1", "１"] {
            assert_eq!(neutralise_csv(safe, Kind::Text), safe);
        }
        // By column type: a number column is never touched, a text one always is.
        assert_eq!(neutralise_csv("-3.5", Kind::Number), "-3.5");
        assert_eq!(neutralise_csv("-3.5", Kind::Text), "'-3.5");
        // A mixed column keeps plain numbers only.
        for n in ["-3.5", "+2", "-1e5", "-0.25E-3", "-.5"] {
            assert_eq!(neutralise_csv(n, Kind::Mixed), n);
        }
        for t in ["-1+2", "-inf", "-NaN", "=1", "@x", "-", "--1"] {
            assert_eq!(neutralise_csv(t, Kind::Mixed), format!("'{t}"));
        }
    }

    #[test]
    fn terminal_text_shows_controls_and_bidi_as_escapes() {
        assert!(matches!(
            escape_terminal("示例县人民医院 a\\b"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            escape_terminal("a\u{1b}]0;pwned\u{7}b\u{1b}[31mred\n\r\tz\u{7f}\u{9b}"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[31mred\\n\\r\\tz\\u{7f}\\u{9b}"
        );
        for (c, shown) in [
            ('\u{202a}', "\\u{202a}"),
            ('\u{202e}', "\\u{202e}"),
            ('\u{2066}', "\\u{2066}"),
            ('\u{2069}', "\\u{2069}"),
            ('\u{200e}', "\\u{200e}"),
            ('\u{200f}', "\\u{200f}"),
            ('\u{61c}', "\\u{61c}"),
            ('\u{2028}', "\\u{2028}"),
        ] {
            assert_eq!(escape_terminal(&format!("x{c}y")), format!("x{shown}y"));
        }
        // Ideographic space, full-width forms and CJK are text.
        assert_eq!(escape_terminal("（一）\u{3000}出院"), "（一）\u{3000}出院");
    }

    #[test]
    fn markdown_shows_html_and_markup_as_text() {
        assert_eq!(
            md_escape("<script>alert(1)</script> & a|b"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; a\\|b"
        );
        assert_eq!(
            md_escape("**x** [y](z) #1 `c`"),
            "\\*\\*x\\*\\* \\[y\\]\\(z\\) \\#1 \\`c\\`"
        );
        // A line break would end the table row: shown as an escape, like the terminal does.
        assert_eq!(md_escape("a\nb\u{202e}"), "a\\\\nb\\\\u\\{202e\\}");
        assert_eq!(md_escape("出院人次（人次）"), "出院人次（人次）");
    }
}
