//! Text normalisation shared by every stage: full-width forms, labels, cell numbers.

use regex::Regex;
use std::sync::LazyLock;

/// Full-width ASCII (ＡＢ１２，：（）) and the ideographic space to their half-width forms.
pub fn to_halfwidth(s: &str) -> String {
    halfwidth_text(s).into_owned()
}

/// `to_halfwidth`, borrowed when nothing changes (most texts: plain CJK or ASCII) — this
/// runs for text cells of every sheet, and a character-by-character copy of each was a
/// thirtieth of an ingest.
pub fn halfwidth_text(s: &str) -> std::borrow::Cow<'_, str> {
    let Some(first) = s.char_indices().find(|&(_, c)| halfwidth(c) != c) else {
        return std::borrow::Cow::Borrowed(s);
    };
    let mut t = String::with_capacity(s.len());
    t.push_str(&s[..first.0]);
    t.extend(s[first.0..].chars().map(halfwidth));
    std::borrow::Cow::Owned(t)
}

fn halfwidth(c: char) -> char {
    match c {
        // Ideographic, no-break and zero-width spaces read as spaces (names typed with gaps).
        '\u{3000}' | '\u{00A0}' | '\u{200B}' | '\u{FEFF}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '【' => '[',
        '】' => ']',
        _ => c,
    }
}

/// A regular expression written in the source. Its pattern is a constant, never user data,
/// so it cannot fail on anything a member sends; a typo in one is a build defect that the
/// unit test of the function using it catches on the first run.
pub fn static_regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a constant pattern of the source")
}

/// The key under which a header or item label is matched against the catalog: no spaces, no
/// bracketed units, no `其中：` / `#` / `▲` / numbering prefixes (`1.`, `1.1`, `（1）`, `①`, `一、`),
/// half-width, lower-case ASCII.
pub fn normalize_label(s: &str) -> String {
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        static_regex(
            r"^(?:其中[:：]?|[#△▲*※●○◆◇■□★☆·•]+|[\x{2460}-\x{249B}]|\d{1,2}(?:\.\d{1,2})+[.、)]?|\d{1,2}[.、)]|\(\d{1,2}\)|[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|[-—]+)",
        )
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
        && !first.is_some_and(|c| {
            c.is_ascii_digit()
                || ('\u{2460}'..='\u{249B}').contains(&c)
                || "#△▲*※●○◆◇■□★☆·•-—一二三四五六七八九十".contains(c)
        });
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

/// Reads the text forms members type numbers in, without knowing the item's unit: `1,234`,
/// `１２３４`, ` 56 `, `12.5%`, `1.19万`, `(1,234)`. Used to tell figures from labels; the
/// figure of an item is read with `parse_figure`, which knows its unit.
pub fn parse_number_text(raw: &str) -> CellValue {
    match parse_figure(raw, None) {
        Figure::Number(v) | Figure::Scaled(v) => CellValue::Number(v),
        Figure::NotReported => CellValue::NotReported,
        Figure::Unsure(_) | Figure::Text => CellValue::Text(raw.trim().to_string()),
    }
}

/// A text cell read as the figure of an item whose unit is known (or not).
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    /// The number, in the item's unit.
    Number(f64),
    /// A number written with a scale or unit word (`1.19万`, `12.3亿元` in a 万元 row),
    /// converted to the item's unit (the caller warns, naming the raw text and the value).
    Scaled(f64),
    /// Blank, `-`, `—`, `/`, `无`: not reported (distinct from 0).
    NotReported,
    /// Looks like a number but is not one we can be sure of: why, and so what to write.
    Unsure(Unsure),
    /// Not a number at all.
    Text,
}

/// Why a figure-like text is not a figure we can be sure of (the reader's message says
/// what to write instead).
#[derive(Clone, Debug, PartialEq)]
pub enum Unsure {
    /// `约1200`, `1200左右`, `>100`.
    Approximate,
    /// `85%` in a row counted in `unit`.
    PercentInCountRow { unit: String },
    /// `12床日` in a % row.
    NotAPercentage { suffix: String },
    /// `12.3万元` in a row counted in 张.
    ForeignUnit { suffix: String, unit: String },
    /// `12.3万` in a 万元 row: 万 or 万元?
    UnclearWan { suffix: String, unit: String },
}

/// Scale words people append to numbers, longest first.
const SCALES: &[(&str, i32)] = &[
    ("千万", 7),
    ("百万", 6),
    ("亿", 8),
    ("万", 4),
    ("千", 3),
    ("k", 3),
    ("K", 3),
];

/// Splits a unit such as `万元` into its power of ten and its base word (`元`).
fn split_scale(unit: &str) -> (i32, &str) {
    for (w, e) in SCALES {
        if let Some(rest) = unit.strip_prefix(w) {
            return (*e, rest);
        }
    }
    (0, unit)
}

/// The power of ten between a unit written on a form (a 单位 cell, `医疗收入（元）`) and the
/// item's unit: `元` against `万元` is -4, `万人次` against `人次` is 4. None when they agree or
/// are different words (`人` against `人次` is a naming habit, not a scale).
pub fn unit_scale(written: &str, unit: &str) -> Option<i32> {
    let w: String = to_halfwidth(written)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '[' | ']'))
        .collect();
    let (we, wb) = split_scale(&w);
    let (ue, ub) = split_scale(unit);
    (wb == ub && we != ue).then_some(we - ue)
}

/// `v × 10^exp` through the decimal text, so that `1234567 × 10^-4` is exactly 123.4567.
pub fn scale_by(v: f64, exp: i32) -> f64 {
    format!("{v}e{exp}").parse().unwrap_or(v * 10f64.powi(exp))
}

/// Reads a figure as typed, in the unit of its item (`unit`: the catalog unit such as `人次`,
/// `万元` or `%`; None when the item is not known). Accepted: `1,234`, `１２３４`, ` 56 `, a
/// scale word (`1.19万`, `3.5千`, `1.2k`) in a count row, a money unit converted to the row's
/// (`12.3亿元` in a 万元 row is 123000), the row's own unit written after the number (`86台次`),
/// accountants' negatives (`(1,234)`, `△1,234`: the caller decides whether the item may be
/// negative), and `74.0%` in a % row. Refused as unsure: approximations (`约1200`, `1200左右`,
/// `1.2k?`, `>100`), a percentage or a foreign unit in a count row, and `12.3万` in a 万元 row
/// (万 or 万元?).
pub fn parse_figure(raw: &str, unit: Option<&str>) -> Figure {
    let t = halfwidth_text(raw);
    let t = t.trim();
    if t.is_empty() {
        return Figure::NotReported;
    }
    if matches!(
        t,
        "-" | "--" | "—" | "——" | "/" | "无" | "－" | "–" | "N/A" | "n/a" | "NA" | "空"
    ) {
        return Figure::NotReported;
    }
    // Fast path: plain ASCII numbers (every figure cell of a CSV file comes here).
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return match t.parse::<f64>() {
            Ok(v) if v.is_finite() && t.bytes().any(|b| b.is_ascii_digit()) => Figure::Number(v),
            _ => Figure::Text,
        };
    }
    // No digit at all (a label: most texts a header's scan asks about) is no figure; what
    // follows only drops separators, so it would find none either.
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return Figure::Text;
    }
    let s: String = t
        .chars()
        .filter(|c| !matches!(c, ',' | '\'' | '，') && !c.is_whitespace())
        .map(|c| if c == '−' { '-' } else { c })
        .collect();
    if !s.chars().any(|c| c.is_ascii_digit()) {
        return Figure::Text;
    }
    const APPROX: &[&str] = &[
        "约", "大约", "左右", "上下", "以上", "以下", "不到", "不足", "多", "余", "近", "?", "~",
        "≈", ">", "<", "≥", "≤", "≦", "≧",
    ];
    if APPROX.iter().any(|w| s.contains(w)) || (s.len() > 1 && s.ends_with('+')) {
        return Figure::Unsure(Unsure::Approximate);
    }
    // Accountants' negatives: `(1,234)` and `△1,234` / `▲1,234`.
    let (s, accounting_negative) =
        if let Some(inner) = s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            (inner, true)
        } else if let Some(inner) = s.strip_prefix(['△', '▲']) {
            (inner, true)
        } else {
            (s.as_str(), false)
        };
    let s = if accounting_negative {
        s
    } else {
        s.strip_prefix('+').unwrap_or(s)
    };
    let (s, pct) = match s.strip_suffix('%') {
        Some(x) => (x, true),
        None => (s, false),
    };
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | 'e' | 'E')))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    if num.is_empty() || (accounting_negative && num.starts_with('-')) {
        return Figure::Text;
    }
    let Ok(v) = num.parse::<f64>() else {
        return Figure::Text;
    };
    if !v.is_finite() {
        return Figure::Text;
    }
    let sign = if accounting_negative { -1.0 } else { 1.0 };
    if pct {
        if !suffix.is_empty() {
            return Figure::Text;
        }
        // Percent text keeps its number as shown: `85.3%` is 85.3 in a % row.
        return match unit {
            None | Some("%") => Figure::Number(sign * v),
            Some(u) => Figure::Unsure(Unsure::PercentInCountRow {
                unit: u.to_string(),
            }),
        };
    }
    if suffix.is_empty() {
        return Figure::Number(sign * v);
    }
    let (written_exp, written_base) = split_scale(suffix);
    if !written_base.chars().all(char::is_alphabetic) {
        return Figure::Text;
    }
    let money = |b: &str| b.ends_with('元');
    let exp = match unit {
        Some("%") => {
            return Figure::Unsure(Unsure::NotAPercentage {
                suffix: suffix.to_string(),
            })
        }
        Some(u) => {
            let (unit_exp, unit_base) = split_scale(u);
            if !written_base.is_empty() && written_base != unit_base {
                return Figure::Unsure(Unsure::ForeignUnit {
                    suffix: suffix.to_string(),
                    unit: u.to_string(),
                });
            }
            if written_base.is_empty() && money(unit_base) {
                return Figure::Unsure(Unsure::UnclearWan {
                    suffix: suffix.to_string(),
                    unit: u.to_string(),
                });
            }
            written_exp - unit_exp
        }
        // Unknown unit: only a bare scale word can be read (`1.19万`).
        None if written_base.is_empty() => written_exp,
        None => return Figure::Text,
    };
    // Shift the decimal exponent in the text so that `1.19万` is exactly 11900.
    let Ok(scaled) = format!("{num}e{exp}").parse::<f64>() else {
        return Figure::Text;
    };
    if exp == 0 {
        return Figure::Number(sign * scaled);
    }
    Figure::Scaled(sign * scaled)
}

/// Display width of a string in a terminal (CJK counts two).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halfwidth_forms_and_the_text_left_as_it_is() {
        use std::borrow::Cow;
        assert!(matches!(
            halfwidth_text("门急诊人次"),
            Cow::Borrowed("门急诊人次")
        ));
        assert!(matches!(halfwidth_text("visits 2025"), Cow::Borrowed(_)));
        // The unchanged start is kept, everything after the first change mapped.
        assert_eq!(
            halfwidth_text("填报单位：ＡＢ１２（x）"),
            "填报单位:AB12(x)"
        );
        assert_eq!(halfwidth_text("【注】\u{3000}合计"), "[注] 合计");
        assert_eq!(to_halfwidth("２０２５年３月"), "2025年3月");
    }

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
    #[test]
    fn indented_and_numbered_labels() {
        assert_eq!(
            normalize_label("\u{3000}\u{3000}其中：急诊人次"),
            "急诊人次"
        );
        assert_eq!(normalize_label("  1. 门急诊人次"), "门急诊人次");
        assert_eq!(normalize_label("1.1 入院人次"), "入院人次");
        assert_eq!(normalize_label("2.1.3、入院人次"), "入院人次");
        assert_eq!(normalize_label("①住院手术例数"), "住院手术例数");
        assert_eq!(normalize_label("⑵出院人数"), "出院人数");
        assert_eq!(normalize_label("\u{3000}▲其中：三级手术"), "三级手术");
        assert_eq!(normalize_label("● 出院人数"), "出院人数");
        assert_eq!(normalize_label("白\u{200B}沙\u{00A0}乡"), "白沙乡");
        // A number that is part of the name stays.
        assert_eq!(normalize_label("120急救出车次数"), "120急救出车次数");
    }

    #[test]
    fn figures_as_people_type_them() {
        let n = |raw: &str, unit: &str| parse_figure(raw, Some(unit));
        assert_eq!(n("1.19万", "人次"), Figure::Scaled(11900.0));
        assert_eq!(n("3.5千", "人次"), Figure::Scaled(3500.0));
        assert_eq!(n("1.2k", "人次"), Figure::Scaled(1200.0));
        assert_eq!(n("1.19万人次", "人次"), Figure::Scaled(11900.0));
        assert_eq!(n("１．１９万", "人次"), Figure::Scaled(11900.0));
        // Money converts into the row's unit: 12.3亿元 = 123000万元; 5000元 = 0.5万元.
        assert_eq!(n("12.3亿元", "万元"), Figure::Scaled(123000.0));
        assert_eq!(n("5000元", "万元"), Figure::Scaled(0.5));
        // The row's own unit written after the number is just the number.
        assert_eq!(n("12.3万元", "万元"), Figure::Number(12.3));
        assert_eq!(n("86台次", "台次"), Figure::Number(86.0));
        assert_eq!(n("1,234", "人次"), Figure::Number(1234.0));
        // Accountants' negatives read as negatives (the caller refuses them for counts).
        assert_eq!(n("(1,234)", "万元"), Figure::Number(-1234.0));
        assert_eq!(n("（1,234.5）", "万元"), Figure::Number(-1234.5));
        assert_eq!(n("△1,234", "万元"), Figure::Number(-1234.0));
        assert_eq!(n("−12", "人次"), Figure::Number(-12.0));
        // Percentages: the number as shown in a % row, refused in a count row.
        assert_eq!(n("74.0%", "%"), Figure::Number(74.0));
        assert_eq!(n("７４％", "%"), Figure::Number(74.0));
        assert_eq!(n("74.0", "%"), Figure::Number(74.0));
        assert!(matches!(
            n("85%", "人次"),
            Figure::Unsure(Unsure::PercentInCountRow { .. })
        ));
        // Unsure: approximations, foreign units, 万 in a 万元 row.
        for raw in [
            "约1200",
            "1200左右",
            "1.2k?",
            "1.2k？",
            "1200多",
            ">100",
            "≈50",
            "1200+",
            "~30",
        ] {
            assert!(
                matches!(n(raw, "人次"), Figure::Unsure(Unsure::Approximate)),
                "{raw}"
            );
        }
        assert!(
            matches!(n("12.3万元", "张"), Figure::Unsure(Unsure::ForeignUnit { unit, .. }) if unit == "张")
        );
        assert!(
            matches!(n("12.3万", "万元"), Figure::Unsure(Unsure::UnclearWan { unit, .. }) if unit == "万元")
        );
        assert!(matches!(n("12床日", "%"), Figure::Unsure(_)));
        for raw in ["abc", "1.2.3", "1)", "(-5)", "12e"] {
            assert_eq!(n(raw, "人次"), Figure::Text, "{raw}");
        }
        assert_eq!(n(" — ", "人次"), Figure::NotReported);
        assert_eq!(unit_scale("元", "万元"), Some(-4));
        assert_eq!(unit_scale("（亿元）", "万元"), Some(4));
        assert_eq!(unit_scale("万人次", "人次"), Some(4));
        assert_eq!(unit_scale("万元", "万元"), None);
        assert_eq!(unit_scale("人", "人次"), None);
        assert_eq!(unit_scale("%", "%"), None);
        assert_eq!(scale_by(1234567.0, -4), 123.4567);
        assert_eq!(scale_by(1.19, 4), 11900.0);
        // Without a unit: a bare scale is read, a unit word is not.
        assert_eq!(parse_figure("1.19万", None), Figure::Scaled(11900.0));
        assert_eq!(parse_figure("86台次", None), Figure::Text);
        assert!(matches!(parse_figure("12.3亿元", None), Figure::Text));
    }
}
