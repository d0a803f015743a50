//! Metadata around a table: `填报单位：…`, `统计期间：…`, `填报日期：…`, and titles that name a
//! month or a member.

use super::header::Grid;
use crate::period::Period;
use crate::read::{cell_ref, Cell};
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
        LazyLock::new(|| Regex::new(r"([\p{Han}A-Za-z]{2,8})\s*[:：]").expect("static regex"));
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
            let text = crate::text::to_halfwidth(text);
            // (kind, start of the label, end of `label：`); kind 0 is a label we do not use,
            // which still ends the previous value (`…  审核人：李四`).
            let labels: Vec<(u8, usize, usize)> = if !labelled {
                vec![]
            } else {
                LABEL
                    .captures_iter(&text)
                    .map(|cap| {
                        let whole = cap.get(0).expect("group 0");
                        let name = cap.get(1).expect("group 1");
                        let known = |list: &[&str]| {
                            list.iter()
                                .find(|l| name.as_str().ends_with(*l))
                                .map(|l| l.len())
                        };
                        let (kind, len) = if let Some(n) = known(MEMBER_LABELS) {
                            (1, n)
                        } else if let Some(n) = known(DATE_LABELS) {
                            (3, n)
                        } else if let Some(n) = known(PERIOD_LABELS) {
                            (2, n)
                        } else {
                            (0, name.as_str().len())
                        };
                        (kind, name.end() - len, whole.end())
                    })
                    .collect()
            };
            if labels.is_empty() {
                // An unlabelled text: a title such as `示例市第一人民医院2024年3月科室运营数据`.
                if meta.title_period.is_none() {
                    if let Some(p) = Period::find_in_text(&text) {
                        meta.title_period = Some((p, cell_ref(r, c)));
                    }
                }
                if r < 8 {
                    // Matched against members only if no 填报单位 is found (it is costly).
                    meta.titles.push(text.clone());
                }
                continue;
            }
            for (i, &(kind, _, end)) in labels.iter().enumerate() {
                if kind == 0 {
                    continue;
                }
                let stop = labels.get(i + 1).map(|l| l.1).unwrap_or(text.len());
                let value = text[end..stop].trim().to_string();
                // The value may be in the next cell to the right: `填报单位： | 大沙镇中心卫生院`.
                let (value_cell, at) = if value.is_empty() && labels.len() == 1 {
                    match (c + 1..g.width.min(c + 4)).find(|&cc| !g.sheet.get(r, cc).is_empty()) {
                        Some(cc) => (g.sheet.get(r, cc).clone(), cell_ref(r, cc)),
                        None => continue,
                    }
                } else {
                    (Cell::Text(value), cell_ref(r, c))
                };
                match kind {
                    1 if meta.member.is_none() => {
                        if let Cell::Text(t) = &value_cell {
                            let name = t.split_whitespace().next().unwrap_or("").to_string();
                            if !name.is_empty() {
                                meta.member = Some((name, at));
                            }
                        }
                    }
                    2 if meta.period.is_none() => {
                        if let Some(p) = period_of(&value_cell) {
                            meta.period = Some((p, at));
                        }
                    }
                    3 if meta.submitted_on.is_none() => meta.submitted_on = date_of(&value_cell),
                    _ => {}
                }
            }
        }
    }
    meta
}

/// A month from a cell: text in any common form, a date cell, or `202403`.
pub fn period_of(cell: &Cell) -> Option<Period> {
    match cell {
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

fn date_of(cell: &Cell) -> Option<String> {
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
            .expect("static regex")
    });
    match cell {
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
