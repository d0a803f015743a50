//! Text normalisation shared by every stage: full-width forms, labels, cell numbers.

use regex::Regex;
use std::sync::LazyLock;

/// Full-width ASCII (ＡＢ１２，：（）) and the ideographic space to their half-width forms.
pub fn to_halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '【' => '[',
            '】' => ']',
            '、' => '、',
            '\u{00A0}' => ' ',
            _ => c,
        })
        .collect()
}

/// The key under which a header or item label is matched against the catalog: no spaces, no
/// bracketed units, no `其中：` / `#` / numbering prefixes, half-width, lower-case ASCII.
pub fn normalize_label(s: &str) -> String {
    static BRACKETS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\([^()]*\)|\[[^\[\]]*\]|<[^<>]*>").expect("static regex"));
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:其中[:：]?|[#△*※]+|\d{1,2}(?:\.\d{1,2})*[.、)]|\(\d{1,2}\)|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|[-—]+)")
            .expect("static regex")
    });
    let mut t: String = to_halfwidth(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // Fast path: most labels have no brackets and no prefix (this runs for every cell).
    let first = t.chars().next();
    let plain = !t.contains(['(', '[', '<', ':', '：'])
        && !t.starts_with("其中")
        && !first.is_some_and(|c| c.is_ascii_digit() || "#△*※-—一二三四五六七八九十".contains(c));
    if plain {
        t.make_ascii_lowercase();
        return t;
    }
    t = BRACKETS.replace_all(&t, "").into_owned();
    // Prefixes can stack: `其中：#三级手术`, `1.其中:...`.
    loop {
        // `三、四级手术占比` is a label, not the third section `四级手术占比`.
        let ordinal_before_grade = t.chars().nth(1) == Some('、') && t.chars().nth(3) == Some('级');
        if ordinal_before_grade {
            break;
        }
        let next = PREFIX.replace(&t, "").into_owned();
        if next == t || next.is_empty() {
            break;
        }
        t = next;
    }
    t = t.trim_end_matches([':', '：']).to_string();
    t.make_ascii_lowercase();
    t
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
