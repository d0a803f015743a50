//! Text normalisation shared by every stage: full-width forms, labels, cell numbers.

use regex::Regex;
use std::sync::LazyLock;

/// Full-width ASCII (ＡＢ１２，：（）) and the ideographic space to their half-width forms.
pub fn to_halfwidth(s: &str) -> String {
    s.chars().map(halfwidth).collect()
}

fn halfwidth(c: char) -> char {
    match c {
        '\u{3000}' | '\u{00A0}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '【' => '[',
        '】' => ']',
        _ => c,
    }
}

/// The key under which a header or item label is matched against the catalog: no spaces, no
/// bracketed units, no `其中：` / `#` / numbering prefixes, half-width, lower-case ASCII.
pub fn normalize_label(s: &str) -> String {
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:其中[:：]?|[#△*※]+|\d{1,2}(?:\.\d{1,2})*[.、)]|\(\d{1,2}\)|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|[-—]+)")
            .expect("static regex")
    });
    // This runs for every label cell of every sheet: runs of characters that need no change
    // (most labels are plain CJK text) are copied whole.
    let mut t = String::with_capacity(s.len());
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let h = halfwidth(c);
        if h == c && !c.is_whitespace() {
            continue;
        }
        t.push_str(&s[run..i]);
        if !h.is_whitespace() {
            t.push(h);
        }
        run = i + c.len_utf8();
    }
    t.push_str(&s[run..]);
    let first = t.chars().next();
    let plain = !t.contains(['(', '[', '<', ':'])
        && !t.starts_with("其中")
        && !first.is_some_and(|c| c.is_ascii_digit() || "#△*※-—一二三四五六七八九十".contains(c));
    if plain {
        t.make_ascii_lowercase();
        return t;
    }
    if t.contains(['(', '[', '<']) {
        t = strip_brackets(&t);
    }
    // Prefixes can stack: `其中：#三级手术`, `1.其中:...`.
    loop {
        // `三、四级手术占比` is a label, not the third section `四级手术占比`.
        let ordinal_before_grade = t.chars().nth(1) == Some('、') && t.chars().nth(3) == Some('级');
        if ordinal_before_grade {
            break;
        }
        // A prefix is never the whole label.
        match PREFIX.find(&t) {
            Some(m) if m.end() > 0 && m.end() < t.len() => {
                t.drain(..m.end());
            }
            _ => break,
        }
    }
    t.truncate(t.trim_end_matches(':').len());
    t.make_ascii_lowercase();
    t
}

/// Removes bracketed parts such as units: `(万元)`, `[张]`, `<注>`; innermost first, and an
/// unclosed bracket stays.
fn strip_brackets(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(i) = rest.find(['(', '[', '<']) {
        let (open, close) = match rest.as_bytes()[i] {
            b'(' => ('(', ')'),
            b'[' => ('[', ']'),
            _ => ('<', '>'),
        };
        let after = &rest[i + 1..];
        match after.find([open, close]) {
            Some(j) if after[j..].starts_with(close) => {
                out.push_str(&rest[..i]);
                rest = &after[j + 1..];
            }
            _ => {
                out.push_str(&rest[..=i]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a cell means as a reported figure.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Number(f64),
    /// Blank, `-`, `—`, `/`, `无`: not reported (distinct from 0).
    NotReported,
    /// Text that is not a number; kept verbatim for the error message.
    Text(String),
}

/// Reads the text forms members type numbers in: `1,234`, `１２３４`, ` 56 `, `12.5%`,
/// `(1,234)` is not accepted (accountants' negatives do not occur in these forms).
pub fn parse_number_text(raw: &str) -> CellValue {
    let t = to_halfwidth(raw);
    let t = t.trim();
    if t.is_empty() {
        return CellValue::NotReported;
    }
    if matches!(
        t,
        "-" | "--" | "—" | "——" | "/" | "无" | "－" | "–" | "N/A" | "n/a" | "NA" | "空"
    ) {
        return CellValue::NotReported;
    }
    let mut s: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '，' | '\''))
        .collect();
    let mut pct = false;
    if let Some(stripped) = s.strip_suffix('%') {
        s = stripped.to_string();
        pct = true;
    }
    // A leading + (as in growth columns) is harmless.
    let s = s.strip_prefix('+').unwrap_or(&s);
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E'))
        && s.chars().any(|c| c.is_ascii_digit())
    {
        if let Ok(v) = s.parse::<f64>() {
            if v.is_finite() {
                // Percent text keeps its number as shown: `85.3%` is 85.3 in a % column.
                let _ = pct;
                return CellValue::Number(v);
            }
        }
    }
    CellValue::Text(raw.trim().to_string())
}

/// Display width of a string in a terminal (CJK counts two).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise_like_a_person_reads_them() {
        assert_eq!(normalize_label("其中：三级手术"), "三级手术");
        assert_eq!(normalize_label("  其中:  #四级手术 "), "四级手术");
        assert_eq!(normalize_label("医疗收入（万元）"), "医疗收入");
        assert_eq!(normalize_label("门急诊人次(人次)"), "门急诊人次");
        assert_eq!(normalize_label("出 院 人 数"), "出院人数");
        assert_eq!(normalize_label("1、门急诊人次"), "门急诊人次");
        assert_eq!(normalize_label("（二）出院人数"), "出院人数");
        assert_eq!(normalize_label("一级手术"), "一级手术");
        assert_eq!(normalize_label("三、四级手术占比"), "三、四级手术占比");
        assert_eq!(normalize_label("ＡＢＣ"), "abc");
        assert_eq!(normalize_label("实际开放床位数【张】"), "实际开放床位数");
        assert_eq!(normalize_label("其中：一级手术（台次）："), "一级手术");
        assert_eq!(normalize_label("(1)出院人数"), "出院人数");
        assert_eq!(normalize_label("收入(a(b)c)"), "收入(ac)");
        assert_eq!(normalize_label("收入(万元"), "收入(万元");
        assert_eq!(normalize_label("<注>收入[元]"), "收入");
        assert_eq!(normalize_label("其中："), "其中");
        assert_eq!(normalize_label("Ｘ　光"), "x光");
    }

    #[test]
    fn text_numbers() {
        assert_eq!(parse_number_text("1,234"), CellValue::Number(1234.0));
        assert_eq!(parse_number_text("１２３４"), CellValue::Number(1234.0));
        assert_eq!(parse_number_text(" 56 "), CellValue::Number(56.0));
        assert_eq!(parse_number_text("85.3%"), CellValue::Number(85.3));
        assert_eq!(
            parse_number_text("１，２３４．５"),
            CellValue::Number(1234.5)
        );
        assert_eq!(parse_number_text("-12"), CellValue::Number(-12.0));
        for blank in ["", "  ", "-", "—", "/", "无", "－"] {
            assert_eq!(
                parse_number_text(blank),
                CellValue::NotReported,
                "{blank:?}"
            );
        }
        assert_eq!(parse_number_text("约100"), CellValue::Text("约100".into()));
        assert_eq!(parse_number_text("1.2.3"), CellValue::Text("1.2.3".into()));
    }
}
