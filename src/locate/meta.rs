//! Metadata around a table: `填报单位：…`, `统计期间：…`, `填报日期：…`, and titles that name a
//! month or a member.

use super::grid::Grid;
use crate::model::cell_ref;
use crate::model::period::Period;
use crate::read::{Cell, CellRef};
use crate::text::static_regex;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Clone, Debug, Default)]
pub struct SheetMeta {
    /// Name after 填报单位 and its cell.
    pub member: Option<(String, String)>,
    /// Month after 统计期间/报表月份 and its cell.
    pub period: Option<(Period, String)>,
    /// First month found in an unlabelled text (a title row) and its cell.
    pub title_period: Option<(Period, String)>,
    /// Unlabelled texts of the top rows (titles), where a member may be named.
    pub titles: Vec<String>,
    pub submitted_on: Option<String>,
}

const MEMBER_LABELS: &[&str] = &[
    "填报单位",
    "报送单位",
    "填报机构",
    "单位名称",
    "机构名称",
    "医院名称",
    "报告单位",
    "上报单位",
];
const PERIOD_LABELS: &[&str] = &[
    "统计期间",
    "报表月份",
    "统计月份",
    "报告期",
    "报表期间",
    "填报月份",
    "所属期",
    "统计时间",
    "所属月份",
    "月份",
    "期间",
    "报表期",
];
const DATE_LABELS: &[&str] = &["填报日期", "报送日期", "填表日期", "制表日期", "上报日期"];

pub fn scan(g: &Grid) -> SheetMeta {
    static LABEL: LazyLock<Regex> =
        LazyLock::new(|| static_regex(r"([\p{Han}A-Za-z]{2,8})\s*[:：]"));
    let mut meta = SheetMeta::default();
    for r in 0..g.height {
        for c in 0..g.width {
            let Some(text) = g.sheet.get(r, c).text() else {
                continue;
            };
            // Without a colon there is no `label：` (most cells: item names and units).
            let labelled = text.contains([':', '：']);
            if !labelled && meta.title_period.is_some() && r >= 8 {
                continue;
            }
            let written = text;
            let text = crate::text::halfwidth_text(text);
            // (kind, start of the label, end of `label：`); kind 0 is a label we do not use,
            // which still ends the previous value (`…  审核人：李四`).
            let labels: Vec<(u8, usize, usize)> = if !labelled {
                vec![]
            } else {
                LABEL
                    .find_iter(&text)
                    .map(|whole| {
                        // The label is the match without its colon and the spaces before it
                        // (found without capture groups: a capturing search cost a third of
                        // this scan).
                        let name = whole
                            .as_str()
                            .strip_suffix([':', '：'])
                            .unwrap_or(whole.as_str())
                            .trim_end();
                        let name_end = whole.start() + name.len();
                        let known = |list: &[&str]| {
                            list.iter().find(|l| name.ends_with(*l)).map(|l| l.len())
                        };
                        let (kind, len) = if let Some(n) = known(MEMBER_LABELS) {
                            (1, n)
                        } else if let Some(n) = known(DATE_LABELS) {
                            (3, n)
                        } else if let Some(n) = known(PERIOD_LABELS) {
                            (2, n)
                        } else {
                            (0, name.len())
                        };
                        (kind, name_end - len, whole.end())
                    })
                    .collect()
            };
            if labels.is_empty() {
                // An unlabelled text: a title such as `示例市第一人民医院2024年3月科室运营数据`.
                // A footer's print or tabulation date (`打印时间 2025-01-03`) is no title.
                if meta.title_period.is_none() && !is_footer_date(&text) {
                    if let Some(p) = Period::find_in_text(&text) {
                        meta.title_period = Some((p, cell_ref(r, c)));
                    }
                }
                if r < 8 {
                    // Matched against members only if no 填报单位 is found (it is costly).
                    meta.titles.push(text.to_string());
                }
                continue;
            }
            for (i, &(kind, _, end)) in labels.iter().enumerate() {
                if kind == 0 {
                    continue;
                }
                let stop = labels.get(i + 1).map(|l| l.1).unwrap_or(text.len());
                // A member name is kept as written (`白 沙 乡 卫 生 院（盖章）`): matching ignores
                // its spaces and brackets, and messages quote it.
                let value = if kind == 1 {
                    as_written(written, &text, end, stop).trim().to_string()
                } else {
                    text[end..stop].trim().to_string()
                };
                // The value may be in the next cell to the right: `填报单位： | 大沙镇中心卫生院`.
                let (value_cell, at) = if value.is_empty() && labels.len() == 1 {
                    match (c + 1..g.width.min(c + 4)).find(|&cc| !g.sheet.get(r, cc).is_empty()) {
                        Some(cc) => (g.sheet.get(r, cc), cell_ref(r, cc)),
                        None => continue,
                    }
                } else {
                    (Cell::Text(value.as_str()), cell_ref(r, c))
                };
                match kind {
                    1 if meta.member.is_none() => {
                        if let Cell::Text(t) = &value_cell {
                            let name = without_trailing_date(t.trim());
                            if !name.is_empty() {
                                meta.member = Some((name.to_string(), at));
                            }
                        }
                    }
                    2 if meta.period.is_none() => {
                        if let Some(p) = period_of(value_cell) {
                            meta.period = Some((p, at));
                        }
                    }
                    3 if meta.submitted_on.is_none() => meta.submitted_on = date_of(value_cell),
                    _ => {}
                }
            }
        }
    }
    meta
}

/// `half[start..end]` in the text as written: `to_halfwidth` maps each character to one
/// character, so the n-th character of one is the n-th of the other.
fn as_written<'a>(written: &'a str, half: &str, start: usize, end: usize) -> &'a str {
    let from = half[..start].chars().count();
    let len = half[start..end].chars().count();
    let at: Vec<usize> = written
        .char_indices()
        .map(|(i, _)| i)
        .chain([written.len()])
        .collect();
    match (at.get(from), at.get(from + len)) {
        (Some(&a), Some(&b)) => &written[a..b],
        _ => &written[written.len()..],
    }
}

/// A member name without a date typed after it (`大沙镇中心卫生院   2025年3月`): the first
/// word with a digit after the first word ends the name.
fn without_trailing_date(v: &str) -> &str {
    let base = v.as_ptr() as usize;
    let end = v
        .split_whitespace()
        .skip(1)
        .find(|w| {
            w.chars()
                .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        })
        .map(|w| w.as_ptr() as usize - base)
        .unwrap_or(v.len());
    v[..end].trim_end()
}

/// A footer's date: `打印时间 2025-01-03 10:32`, `制表日期 2025年1月3日`, or a bare date with a
/// day (`2025-01-03`). Titles name a month, never a day.
fn is_footer_date(text: &str) -> bool {
    static DAY: LazyLock<Regex> = LazyLock::new(|| {
        static_regex(
            r"^(?:19|20)\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$",
        )
    });
    const WORDS: &[&str] = &[
        "打印",
        "制表",
        "填表",
        "填报日期",
        "报送日期",
        "上报日期",
        "导出",
        "生成",
        "审核",
        "负责人",
        "联系",
    ];
    let t = text.trim();
    WORDS.iter().any(|w| t.starts_with(w)) || DAY.is_match(t)
}

/// A month from a cell: text in any common form, a date cell, or `202403`.
pub fn period_of(cell: CellRef<'_>) -> Option<Period> {
    match &cell {
        Cell::Text(t) => Period::find_in_text(t),
        // In the workbook's own epoch: a 1904-system serial is 1,462 days later.
        Cell::Date(d) => Period::from_excel_serial(d.serial_1900()),
        Cell::Number(v) => {
            let n = *v as i64;
            if (*v - n as f64).abs() < 1e-9 && (190001..=220012).contains(&n) {
                Period::new((n / 100) as i32, (n % 100) as u32)
            } else {
                Period::from_excel_serial(*v)
            }
        }
        _ => None,
    }
}

fn date_of(cell: CellRef<'_>) -> Option<String> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        static_regex(r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
    });
    match &cell {
        Cell::Text(t) => {
            let caps = DATE.captures(t)?;
            let (y, m, d): (i32, u32, u32) = (
                caps[1].parse().ok()?,
                caps[2].parse().ok()?,
                caps[3].parse().ok()?,
            );
            chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
        }
        Cell::Date(d) if (32874.0..73051.0).contains(&d.serial_1900()) => {
            d.date().map(|d| d.format("%Y-%m-%d").to_string())
        }
        Cell::Number(v) if (32874.0..73051.0).contains(v) => {
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
            base.checked_add_days(chrono::Days::new(v.floor() as u64))
                .map(|d| d.format("%Y-%m-%d").to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Sheet;

    fn sheet(rows: Vec<Vec<Cell>>) -> Sheet {
        let cells = rows.into_iter().enumerate().flat_map(|(r, row)| {
            row.into_iter()
                .enumerate()
                .map(move |(c, cell)| (r, c, cell))
        });
        Sheet::from_cells("月报".into(), cells, vec![]).unwrap()
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn member_names_are_kept_as_written() {
        let s = sheet(vec![vec![
            text("填报单位：白　沙 乡\u{00A0}卫 生 院（盖章）"),
            text("统计期间：2025年3月"),
        ]]);
        let m = scan(&Grid::new(&s));
        assert_eq!(
            m.member,
            Some((
                "白　沙 乡\u{00A0}卫 生 院（盖章）".to_string(),
                "A1".to_string()
            ))
        );
        // A month typed after the name is not part of it; a label after it ends it.
        let s = sheet(vec![vec![text("填报单位：大沙镇中心卫生院   2025年3月")]]);
        assert_eq!(scan(&Grid::new(&s)).member.unwrap().0, "大沙镇中心卫生院");
        let s = sheet(vec![vec![text(
            "填报单位：大 沙 镇 卫 生 院  填表人：张三",
        )]]);
        assert_eq!(scan(&Grid::new(&s)).member.unwrap().0, "大 沙 镇 卫 生 院");
    }

    #[test]
    fn a_footer_date_is_never_the_period() {
        let s = sheet(vec![
            vec![text("石门乡卫生院医疗业务月报表")],
            vec![text("打印时间 2025年1月3日 10:32")],
            vec![text("2025-01-03")],
            vec![text("制表日期 2025/1/3")],
        ]);
        assert_eq!(scan(&Grid::new(&s)).title_period, None);
        let s = sheet(vec![
            vec![text("打印时间 2025年1月3日")],
            vec![text("石门乡卫生院2024年11月医疗业务月报表")],
        ]);
        assert_eq!(
            scan(&Grid::new(&s)).title_period.map(|p| p.0.to_string()),
            Some("2024-11".to_string())
        );
    }
}
