//! Header detection: which row is the header, what each column means, and hence the layout.

use super::grid::Grid;
use super::{Basis, Layout};
use crate::catalog::{Catalog, Target};
use crate::read::Cell;
use crate::text::normalize_label;
use crate::text::static_regex;
use regex::Regex;
use std::sync::LazyLock;

/// What a header column holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Role {
    /// A metric or indicator column (wide and department layouts).
    Item(Target),
    /// Unrecognised header text over a value column (kept as unmapped).
    Unknown(String),
    /// The row label column: member (wide), department, or item name (vertical).
    Label,
    Unit,
    Serial,
    Month,
    PriorYear,
    Ytd,
    PriorYtd,
    /// Columns members compute themselves (环比, 增减 of unknown basis): ignored.
    Change,
    /// The member's own year-on-year change (同比%) of the month (`Month`) or year-to-date
    /// (`Ytd`) figure: never stored, cross-checked where the form has the prior figure.
    Yoy(super::Basis),
    /// The member's own month-on-month change (环比%) of the month figure: never stored,
    /// cross-checked against the previous month in the store.
    Mom,
    /// A month of the year in a months-as-columns sheet: the year when the header writes it
    /// (`2025年1月`), and the month.
    CalMonth(Option<i32>, u32),
    /// A total over months `first..=last` of the year (一季度, 上半年, 合计): cross-checked,
    /// never stored.
    Span(u32, u32),
    /// Tidy layout columns.
    TidyMember,
    TidyPeriod,
    TidyItem,
    TidyValue,
}

pub struct Found {
    pub layout: Layout,
    pub header_start: usize,
    /// First row below the header.
    pub data_start: usize,
    pub columns: Vec<(usize, Role, String)>,
}

fn key(s: &str) -> String {
    normalize_label(s)
}

fn is_any(k: &str, words: &[&str]) -> bool {
    words.contains(&k)
}

const MEMBER_HEADERS: &[&str] = &[
    "单位名称",
    "机构名称",
    "医院名称",
    "成员单位",
    "医疗机构",
    "机构",
    "单位",
    "医院",
    "填报单位",
    "成员单位名称",
    "医疗机构名称",
];
const DEPT_HEADERS: &[&str] = &["科室", "科室名称", "部门", "临床科室", "科别", "科室/部门"];
const ITEM_HEADERS: &[&str] = &[
    "指标名称",
    "指标",
    "项目",
    "项目名称",
    "统计指标",
    "指标项目",
    "统计项目",
    "内容",
];
const MONTH_HEADERS: &[&str] = &[
    "本月",
    "本期",
    "当月",
    "本月数",
    "本期数",
    "本月值",
    "本月完成",
    "本月实际",
    "当月数",
    "本月数据",
];
const PRIOR_HEADERS: &[&str] = &[
    "去年同月",
    "上年同月",
    "去年同期",
    "上年同期",
    "同期",
    "去年同月数",
    "上年同期数",
];
const YTD_HEADERS: &[&str] = &["本年累计", "累计", "本年累计数", "年累计", "1-本月累计"];
const PRIOR_YTD_HEADERS: &[&str] = &[
    "去年同期累计",
    "上年同期累计",
    "去年累计",
    "上年累计",
    "同期累计",
];
const CHANGE_PREFIXES: &[&str] = &["同比", "环比", "增减", "增长", "比上年"];
const TIDY_PERIOD: &[&str] = &[
    "月份",
    "统计月份",
    "期间",
    "统计期间",
    "报表月份",
    "年月",
    "period",
    "month",
    "日期",
];
const TIDY_ITEM: &[&str] = &["指标", "指标名称", "项目", "item", "metric", "indicator"];
const TIDY_VALUE: &[&str] = &["数值", "值", "value", "本月", "数据", "本月数"];
const TIDY_MEMBER: &[&str] = &[
    "单位名称",
    "机构名称",
    "单位",
    "机构",
    "医院",
    "member",
    "医疗机构",
    "成员单位",
];
pub const TOTAL_LABELS: &[&str] = &[
    "合计",
    "总计",
    "小计",
    "全院合计",
    "总合计",
    "汇总",
    "合计数",
];

pub fn is_total(label: &str) -> bool {
    is_total_key(&key(label))
}

/// `is_total` for a label already normalised.
pub fn is_total_key(k: &str) -> bool {
    is_any(k, TOTAL_LABELS) || k.ends_with("合计") && k.chars().count() <= 6
}

/// Finds the header and layout. Tries the layouts in order of how specific their headers are.
pub fn detect(g: &Grid, cat: &Catalog) -> Option<Found> {
    let scan_rows = g.height.min(60);
    let mut best_wide: Option<(usize, Found)> = None;
    for r in 0..scan_rows {
        let keys: Vec<(usize, &str)> = (0..g.width)
            .filter_map(|c| g.key(r, c).map(|k| (c, k)))
            .collect();
        if keys.len() < 2 {
            continue;
        }
        if let Some(f) = tidy(r, &keys) {
            return Some(f);
        }
        // Before the form: `指标 | 1月 | 2月 …` has an item header too.
        if let Some(f) = months(g, r) {
            return Some(f);
        }
        if let Some(f) = vertical(g, r, &keys) {
            return Some(f);
        }
        if let Some((score, f)) = wide(g, r, cat) {
            if best_wide.as_ref().is_none_or(|(s, _)| score > *s) {
                best_wide = Some((score, f));
            }
        }
    }
    best_wide
        .map(|(_, f)| f)
        .or_else(|| headerless_vertical(g, cat))
}

fn tidy(r: usize, keys: &[(usize, &str)]) -> Option<Found> {
    let find = |words: &[&str], taken: &[usize]| {
        keys.iter()
            .find(|(c, k)| !taken.contains(c) && is_any(k, words))
            .map(|(c, k)| (*c, k.to_string()))
    };
    let (mc, mk) = find(TIDY_MEMBER, &[])?;
    let (pc, pk) = find(TIDY_PERIOD, &[mc])?;
    let (ic, ik) = find(TIDY_ITEM, &[mc, pc])?;
    let (vc, vk) = find(TIDY_VALUE, &[mc, pc, ic])?;
    Some(Found {
        layout: Layout::Tidy,
        header_start: r,
        data_start: r + 1,
        columns: vec![
            (mc, Role::TidyMember, mk),
            (pc, Role::TidyPeriod, pk),
            (ic, Role::TidyItem, ik),
            (vc, Role::TidyValue, vk),
        ],
    })
}

/// The role of a single-row form header.
fn form_role(k: &str) -> Role {
    if is_any(k, MONTH_HEADERS) {
        Role::Month
    } else if is_any(k, PRIOR_YTD_HEADERS) {
        Role::PriorYtd
    } else if is_any(k, PRIOR_HEADERS) {
        Role::PriorYear
    } else if is_any(k, YTD_HEADERS) || k.ends_with("月累计") {
        Role::Ytd
    } else if k.starts_with("累计同比") || k.starts_with("本年累计同比") {
        Role::Yoy(Basis::Ytd)
    } else if CHANGE_PREFIXES.iter().any(|p| k.starts_with(p))
        || k.contains("增减")
        || k.contains('%')
    {
        Role::Change
    } else if is_any(k, &["单位", "计量单位", "单位名称"]) {
        Role::Unit
    } else if is_any(k, &["序号", "编号", "行次"]) {
        Role::Serial
    } else {
        Role::Change
    }
}

/// Sub-headers that name the figure itself under a group such as `本月` or `累计`.
const VALUE_SUBS: &[&str] = &[
    "数值",
    "数",
    "值",
    "数量",
    "金额",
    "实际",
    "实际数",
    "完成",
    "完成数",
    "本期",
    "本期数",
    "本年",
    "今年",
    "本年数",
    "合计",
    "计",
    "绝对数",
    "实绩",
];
/// Sub-headers that name last year's figure of the group.
const PRIOR_SUBS: &[&str] = &[
    "去年同期",
    "上年同期",
    "同期",
    "去年",
    "上年",
    "去年同月",
    "上年同月",
    "同期数",
    "去年同期数",
    "上年同期数",
];

/// Whether a (normalised) header is a year-on-year change (`同比%`, `同比增长(%)`, `增长率`).
fn is_yoy_key(k: &str) -> bool {
    k.starts_with("同比")
        || k.starts_with("比上年")
        || is_any(
            k,
            &[
                "增长%",
                "增减%",
                "增幅",
                "增长率",
                "增减率",
                "增减幅度",
                "±%",
                "+-%",
            ],
        )
}

/// The role of a column under a two-row header: the group (`本月`, `累计`) decides the basis,
/// the sub-header which figure of it the column holds. Transposed (`数值 | 同比% | 去年同期`
/// over `本月 | 累计`), the sub-header decides the basis and the group the figure.
fn grouped_role(group_key: &str, sub: &str) -> Role {
    let group = form_role(group_key);
    let basis = match group {
        Role::Month => Basis::Month,
        Role::Ytd => Basis::Ytd,
        _ => {
            let basis = match form_role(sub) {
                Role::Month | Role::PriorYear => Basis::Month,
                Role::Ytd | Role::PriorYtd => Basis::Ytd,
                // Neither group nor sub-header names a period: not a figure we know.
                _ => return Role::Change,
            };
            return if group_key.starts_with("环比") && basis == Basis::Month {
                Role::Mom
            } else if is_any(group_key, VALUE_SUBS) {
                if basis == Basis::Month {
                    Role::Month
                } else {
                    Role::Ytd
                }
            } else if is_yoy_key(group_key) {
                Role::Yoy(basis)
            } else if is_any(group_key, PRIOR_SUBS)
                || matches!(group, Role::PriorYear | Role::PriorYtd)
            {
                if basis == Basis::Month {
                    Role::PriorYear
                } else {
                    Role::PriorYtd
                }
            } else {
                Role::Change
            };
        }
    };
    if is_any(sub, VALUE_SUBS) || is_any(sub, MONTH_HEADERS) || is_any(sub, YTD_HEADERS) {
        group
    } else if sub.starts_with("环比") && basis == Basis::Month {
        Role::Mom
    } else if is_yoy_key(sub) {
        Role::Yoy(basis)
    } else if is_any(sub, PRIOR_SUBS)
        || is_any(sub, PRIOR_HEADERS)
        || is_any(sub, PRIOR_YTD_HEADERS)
    {
        if basis == Basis::Month {
            Role::PriorYear
        } else {
            Role::PriorYtd
        }
    } else {
        Role::Change
    }
}

/// Row `r + 1` as the sub-header row of a form whose header is row `r`: no figures, the item
/// column empty or merged down, and at least one recognised sub-header (数值, 同比%, 去年同期…).
fn form_sub_row(g: &Grid, r: usize, item_col: usize) -> bool {
    let s = r + 1;
    if s >= g.height {
        return false;
    }
    let item_ok = match (g.key(s, item_col), g.key(r, item_col)) {
        (None, _) => true,
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    item_ok
        && (0..g.width).all(|c| {
            !matches!(g.cell(s, c), Cell::Number(_))
                && !g.cell(s, c).text().is_some_and(is_numeric_text)
        })
        && (0..g.width).any(|c| {
            c != item_col
                && g.key(s, c).is_some_and(|k| {
                    g.key(r, c) != Some(k)
                        && (is_any(k, VALUE_SUBS)
                            || is_any(k, MONTH_HEADERS)
                            || is_any(k, YTD_HEADERS)
                            || is_yoy_key(k)
                            || k.starts_with("环比")
                            || is_any(k, PRIOR_SUBS))
                })
        })
}

fn vertical(g: &Grid, r: usize, keys: &[(usize, &str)]) -> Option<Found> {
    let (item_col, item_key) = keys.iter().find(|(_, k)| is_any(k, ITEM_HEADERS))?;
    let item_col = *item_col;
    let mut columns = vec![(item_col, Role::Label, item_key.to_string())];
    let two_row = form_sub_row(g, r, item_col);
    let mut group: Option<String> = None;
    for c in 0..g.width {
        if c == item_col {
            continue;
        }
        let top = g.key(r, c);
        let sub = if two_row {
            g.key(r + 1, c).filter(|s| top != Some(*s))
        } else {
            None
        };
        let (role, text) = match (top, sub) {
            (Some(t), Some(s)) => {
                group = Some(t.to_string());
                (grouped_role(t, s), format!("{t}/{s}"))
            }
            (Some(t), None) => {
                group = None;
                (form_role(t), t.to_string())
            }
            // Without merge information a group header stands over its first column only.
            (None, Some(s)) => match &group {
                Some(t) => (grouped_role(t, s), format!("{t}/{s}")),
                None => (form_role(s), s.to_string()),
            },
            (None, None) => {
                group = None;
                continue;
            }
        };
        columns.push((c, role, text));
    }
    // A single-row `同比` column follows the figure it compares: the nearest value column left
    // of it gives its basis.
    if !two_row {
        for i in 0..columns.len() {
            let (c, role, text) = &columns[i];
            let mom = text.starts_with("环比");
            if *role != Role::Change || !(is_yoy_key(text) || mom) {
                continue;
            }
            let c = *c;
            let basis = columns
                .iter()
                .filter(|(cc, _, _)| *cc < c)
                .max_by_key(|(cc, _, _)| *cc)
                .and_then(|(_, rr, _)| match rr {
                    Role::Month | Role::PriorYear => Some(Basis::Month),
                    Role::Ytd | Role::PriorYtd => Some(Basis::Ytd),
                    _ => None,
                });
            match basis {
                Some(Basis::Month) if mom => columns[i].1 = Role::Mom,
                Some(b) if !mom => columns[i].1 = Role::Yoy(b),
                _ => {}
            }
        }
    }
    let has_month = columns.iter().any(|(_, r, _)| *r == Role::Month);
    if !has_month {
        // `指标 | 数值` with no 本月 column: the first numeric column is the month.
        let numeric = (g.width > item_col + 1)
            .then(|| first_numeric_col(g, r + 1, item_col + 1))
            .flatten()?;
        columns.retain(|(c, _, _)| *c != numeric);
        columns.push((numeric, Role::Month, String::new()));
    }
    Some(Found {
        layout: Layout::Vertical,
        header_start: r,
        data_start: if two_row { r + 2 } else { r + 1 },
        columns,
    })
}

/// A month-of-year column header: `1月`, `01月`, `1月份`, `一月`, `十二月`, `2025年1月`,
/// `2025-01`, `2025.1`. Returns the year when written, and the month.
pub fn month_header(k: &str) -> Option<(Option<i32>, u32)> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        static_regex(
            r"^(?:((?:19|20|21)\d{2})\s*(?:年|[-./]))?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:月份?|月度)?(?:数|数据|完成)?$",
        )
    });
    // Without a year (which starts the text) a month needs its 月: every other text is
    // refused before the capturing search, which allocates (header detection asks this of
    // every cell of the first rows of every sheet).
    let has_suffix = k.contains('月');
    if !has_suffix && !k.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let caps = RE.captures(k)?;
    let year = caps.get(1).and_then(|y| y.as_str().parse().ok());
    let m = &caps[2];
    // A bare number (`3`) is a month only with its year (`2025-03`); `三` alone is not one.
    if year.is_none() && !has_suffix {
        return None;
    }
    let month = m.parse().ok().or_else(|| chinese_number(m))?;
    (1..=12).contains(&month).then_some((year, month))
}

fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a),
        ['十', b] => Some(10 + digit(*b)?),
        [a, '十'] => Some(digit(*a)? * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// A column of totals over months in a months-as-columns sheet: quarters (`一季度`,
/// `第一季度`, `1季度`, `Q1`), halves (`上半年`), `1-6月`, and the year (`合计`, `全年`…).
/// Returns the first and last month it covers.
pub fn span_header(k: &str) -> Option<(u32, u32)> {
    static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
        static_regex(r"^(?:第)?([1-4一二三四])季度?(?:合计|小计|累计)?$|^q([1-4])$")
    });
    static RANGE: LazyLock<Regex> = LazyLock::new(|| {
        static_regex(r"^(\d{1,2})\s*[-~～—至到]\s*(\d{1,2})\s*月(?:份)?(?:合计|小计|累计)?$")
    });
    if let Some(c) = QUARTER.captures(k) {
        let q = c.get(1).or(c.get(2))?.as_str();
        let q = q.parse().ok().or_else(|| chinese_number(q))?;
        return Some((q * 3 - 2, q * 3));
    }
    if let Some(c) = RANGE.captures(k) {
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        return (1 <= a && a <= b && b <= 12).then_some((a, b));
    }
    if is_any(k, &["上半年", "上半年合计", "上半年累计"]) {
        return Some((1, 6));
    }
    if is_any(k, &["下半年", "下半年合计"]) {
        return Some((7, 12));
    }
    let year = is_total_key(k)
        || is_any(
            k,
            &[
                "全年",
                "全年合计",
                "年度合计",
                "年合计",
                "全年累计",
                "本年累计",
                "累计",
                "年度累计",
                "年计",
                "全年数",
                "年度",
            ],
        );
    year.then_some((1, 12))
}

/// A months-as-columns header (年度统计表): an item column and at least three month columns,
/// on row `r` or, under a group header such as `2025年`, on row `r + 1`.
fn months(g: &Grid, r: usize) -> Option<Found> {
    // A month header as text, or a date cell (`2025/1` typed into Excel becomes one).
    let month_at = |row: usize, c: usize| -> Option<(Option<i32>, u32)> {
        match g.key(row, c) {
            Some(k) => month_header(k),
            None if matches!(g.cell(row, c), Cell::Date(..)) => {
                super::meta::period_of(g.cell(row, c)).map(|p| (Some(p.year()), p.month()))
            }
            None => None,
        }
    };
    let month_cols = |row: usize| -> Vec<(usize, Option<i32>, u32)> {
        (0..g.width)
            .filter_map(|c| month_at(row, c).map(|(y, m)| (c, y, m)))
            .collect()
    };
    let mut hr = r;
    let mut cols = month_cols(r);
    // Months on the next row, under `指标 | 单位 | 2025年` (a group header over them).
    let item_above = (0..g.width).any(|c| g.key(r, c).is_some_and(|k| is_any(k, ITEM_HEADERS)));
    if cols.len() < 3 && item_above && r + 1 < g.height {
        hr = r + 1;
        cols = month_cols(hr);
    }
    let distinct: std::collections::BTreeSet<(Option<i32>, u32)> =
        cols.iter().map(|(_, y, m)| (*y, *m)).collect();
    if distinct.len() < 3 || distinct.len() != cols.len() {
        return None;
    }
    let first_month = cols.iter().map(|(c, _, _)| *c).min()?;
    // The item column: a labelled one (指标/项目), else the text column left of the months.
    let label_at = |c: usize| g.key(hr, c).or_else(|| g.key(r, c));
    let item_col = (0..first_month)
        .find(|&c| label_at(c).is_some_and(|k| is_any(k, ITEM_HEADERS)))
        .or_else(|| {
            (0..first_month).rev().find(|&c| {
                (hr + 1..g.height.min(hr + 20)).any(|rr| {
                    g.cell(rr, c).text().is_some_and(|t| {
                        matches!(
                            crate::text::parse_number_text(t),
                            crate::text::CellValue::Text(_)
                        ) && !is_any(
                            &key(t),
                            &["人次", "张", "万元", "台次", "例", "人", "项", "床日", "%"],
                        )
                    })
                })
            })
        })?;
    // Members or departments down the side (`单位名称 | 1月 | 2月 …`) are not one member's
    // items: not this layout.
    if label_at(item_col).is_some_and(|k| is_any(k, MEMBER_HEADERS) || is_any(k, DEPT_HEADERS)) {
        return None;
    }
    let mut columns = vec![(
        item_col,
        Role::Label,
        label_at(item_col).unwrap_or_default().to_string(),
    )];
    for c in 0..g.width {
        if c == item_col {
            continue;
        }
        if let Some((y, m)) = month_at(hr, c) {
            let text = g.label(hr, c).map(str::to_string).unwrap_or_else(|| {
                y.map(|y| format!("{y}年{m}月"))
                    .unwrap_or_else(|| format!("{m}月"))
            });
            columns.push((c, Role::CalMonth(y, m), text));
            continue;
        }
        let Some(k) = g
            .key(hr, c)
            .or_else(|| if hr > r { None } else { g.key(r, c) })
        else {
            if hr > r {
                if let Some(k) = g.key(r, c) {
                    // A column under no month header in the second row: its top header.
                    columns.push((c, span_or_other(k), k.to_string()));
                }
            }
            continue;
        };
        let role = match month_header(k) {
            Some((y, m)) => Role::CalMonth(y, m),
            None => span_or_other(k),
        };
        columns.push((c, role, k.to_string()));
    }
    Some(Found {
        layout: Layout::Months,
        header_start: r,
        data_start: hr + 1,
        columns,
    })
}

fn span_or_other(k: &str) -> Role {
    if let Some((a, b)) = span_header(k) {
        Role::Span(a, b)
    } else if is_any(k, &["单位", "计量单位"]) {
        Role::Unit
    } else if is_any(k, &["序号", "编号", "行次"]) {
        Role::Serial
    } else {
        Role::Unknown(k.to_string())
    }
}

fn is_numeric_text(t: &str) -> bool {
    matches!(
        crate::text::parse_number_text(t),
        crate::text::CellValue::Number(_)
    )
}

fn first_numeric_col(g: &Grid, from_row: usize, from_col: usize) -> Option<usize> {
    (from_col..g.width).find(|&c| {
        (from_row..g.height.min(from_row + 30))
            .filter(|&r| {
                matches!(g.cell(r, c), Cell::Number(_))
                    || g.cell(r, c).text().is_some_and(|t| {
                        matches!(
                            crate::text::parse_number_text(t),
                            crate::text::CellValue::Number(_)
                        )
                    })
            })
            .count()
            >= 2
    })
}

/// Strips generic suffixes from a group header so that `远程医疗` + `影像` reads `远程影像`.
fn stem(top: &str) -> String {
    let mut s = top.to_string();
    for suf in [
        "医疗服务",
        "医疗",
        "服务",
        "例数",
        "人次",
        "台次",
        "情况",
        "数量",
        "数",
    ] {
        if let Some(t) = s.strip_suffix(suf) {
            if !t.is_empty() {
                s = t.to_string();
            }
        }
    }
    s
}

/// Resolves a column's label from a (possibly two-row) header, given the normalised keys of
/// the group header and the sub-header.
fn column_target(cat: &Catalog, top: Option<&str>, sub: Option<&str>) -> Option<(Target, String)> {
    match (top, sub) {
        (Some(t), Some(s)) if t != s => {
            if is_any(s, TOTAL_LABELS) || s == "计" {
                return cat.lookup_key(t).map(|x| (x, t.to_string()));
            }
            let st = stem(t);
            // Every column of every header row a form's scan passes: one buffer for the
            // joined keys tried, not a string each.
            let mut cand = String::new();
            for (a, b) in [(s, t), (t, s), (s, &*st), (&*st, s), (s, "")] {
                cand.clear();
                cand.push_str(a);
                cand.push_str(b);
                // Joined keys are keys: no need to normalise them again.
                if let Some(x) = cat.lookup_key(&cand) {
                    return Some((x, cand));
                }
            }
            None
        }
        (Some(t), _) | (None, Some(t)) => cat.lookup_key(t).map(|x| (x, t.to_string())),
        (None, None) => None,
    }
}

fn wide(g: &Grid, r: usize, cat: &Catalog) -> Option<(usize, Found)> {
    // A two-row header: row r+1 holds sub-headers (text, no figures) under group headers of
    // row r, either merged over their columns (xlsx) or standing left of empty cells (csv).
    let sub_row = r + 1 < g.height
        && (0..g.width)
            .filter(|&c| g.label(r + 1, c).is_some())
            .count()
            >= 2
        && (0..g.width).all(|c| {
            !matches!(g.cell(r + 1, c), Cell::Number(_))
                && !g.cell(r + 1, c).text().is_some_and(is_numeric_text)
        });
    let two_row = sub_row
        && (0..g.width).any(|c| {
            (g.in_horizontal_merge(r, c) && g.label(r, c).is_some() && g.label(r + 1, c).is_some())
                || (g.label(r, c).is_none() && g.label(r + 1, c).is_some())
        });
    let mut columns = Vec::new();
    let mut hits = 0usize;
    // (label, key) of the group header over the current column.
    let mut group: Option<(&str, &str)> = None;
    for c in 0..g.width {
        let mut top = g.label(r, c).zip(g.key(r, c));
        let sub = if two_row {
            g.label(r + 1, c).zip(g.key(r + 1, c))
        } else {
            None
        };
        if two_row {
            // Without merge information a group header stands only over its first column.
            match (top, sub) {
                (Some(t), Some(_)) => group = Some(t),
                (Some(_), None) => group = None,
                (None, Some(_)) => top = group,
                (None, None) => group = None,
            }
        }
        if let Some((t, text)) = column_target(cat, top.map(|t| t.1), sub.map(|s| s.1)) {
            hits += 1;
            columns.push((c, Role::Item(t), text));
        } else if let Some((t, k)) = top.or(sub) {
            let k = k.to_string();
            if is_any(&k, MEMBER_HEADERS) || is_any(&k, DEPT_HEADERS) {
                columns.push((c, Role::Label, k));
            } else if is_any(&k, &["序号", "编号", "行次", "no", "no."]) {
                columns.push((c, Role::Serial, k));
            } else {
                let text = match sub {
                    Some((s, sk)) if sk != k => format!("{t}/{s}"),
                    _ => t.to_string(),
                };
                columns.push((c, Role::Unknown(text), k));
            }
        } else if (r + 1..g.height.min(r + 40)).any(|rr| matches!(g.cell(rr, c), Cell::Number(_))) {
            // Figures under no header are kept (as unmapped), never dropped.
            columns.push((
                c,
                Role::Unknown(format!(
                    "(no header, column {})",
                    crate::model::cell_ref(0, c).trim_end_matches('1')
                )),
                String::new(),
            ));
        }
    }
    if hits < 2 {
        return None;
    }
    let header_end = if two_row { r + 1 } else { r };
    let label_col = columns
        .iter()
        .find(|(_, role, _)| *role == Role::Label)
        .map(|(c, _, k)| (*c, k.clone()));
    let first_item = columns
        .iter()
        .find(|(_, role, _)| matches!(role, Role::Item(_)))
        .map(|(c, _, _)| *c)?;
    // Without a labelled name column, the text column left of the figures is the label.
    let (label_col, label_key) = match label_col {
        Some(x) => x,
        None => {
            let c = (0..first_item).rev().find(|&c| {
                (header_end + 1..g.height.min(header_end + 20)).any(|rr| {
                    g.cell(rr, c).text().is_some_and(|t| {
                        matches!(
                            crate::text::parse_number_text(t),
                            crate::text::CellValue::Text(_)
                        )
                    })
                })
            })?;
            columns.retain(|(cc, _, _)| *cc != c);
            columns.push((c, Role::Label, String::new()));
            (c, String::new())
        }
    };
    // Unknown text columns left of the label (e.g. 地区) are not figures.
    columns.retain(|(c, role, _)| !(matches!(role, Role::Unknown(_)) && *c < label_col));
    let layout = if is_any(&label_key, DEPT_HEADERS) {
        Layout::Department
    } else if is_any(&label_key, MEMBER_HEADERS) {
        Layout::Wide
    } else {
        // Decide by the row labels: department names end in 科/室/中心/病区 and are not members.
        let depts = (header_end + 1..g.height)
            .filter_map(|rr| g.label(rr, label_col))
            .filter(|t| {
                let k = key(t);
                k.ends_with('科')
                    || k.ends_with("病区")
                    || k.ends_with("中心") && !k.contains("卫生")
            })
            .count();
        if depts >= 2 {
            Layout::Department
        } else {
            Layout::Wide
        }
    };
    Some((
        hits,
        Found {
            layout,
            header_start: r,
            data_start: header_end + 1,
            columns,
        },
    ))
}

/// A vertical form without a header row: a column of known item names with figures beside.
fn headerless_vertical(g: &Grid, cat: &Catalog) -> Option<Found> {
    for c in 0..g.width.min(6) {
        let rows: Vec<usize> = (0..g.height)
            .filter(|&r| g.key(r, c).is_some_and(|k| cat.lookup_key(k).is_some()))
            .collect();
        if rows.len() >= 3 {
            let first = rows[0];
            let value_col = first_numeric_col(g, first, c + 1)?;
            return Some(Found {
                layout: Layout::Vertical,
                header_start: first,
                data_start: first,
                columns: vec![
                    (c, Role::Label, String::new()),
                    (value_col, Role::Month, String::new()),
                ],
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> String {
        normalize_label(s)
    }

    #[test]
    fn month_headers_as_people_write_them() {
        for (text, want) in [
            ("1月", (None, 1)),
            ("01月", (None, 1)),
            ("12月份", (None, 12)),
            ("一月", (None, 1)),
            ("十一月", (None, 11)),
            ("十二月", (None, 12)),
            ("2025年1月", (Some(2025), 1)),
            ("2024-12", (Some(2024), 12)),
            ("２０２５年３月", (Some(2025), 3)),
        ] {
            assert_eq!(month_header(&k(text)), Some(want), "{text}");
        }
        for text in [
            "本月",
            "13月",
            "3",
            "一季度",
            "1-3月",
            "去年同月",
            "月份",
            "1月累计",
        ] {
            assert_eq!(month_header(&k(text)), None, "{text}");
        }
    }

    #[test]
    fn quarter_half_and_year_columns_are_spans() {
        for (text, want) in [
            ("一季度", (1, 3)),
            ("第二季度", (4, 6)),
            ("3季度", (7, 9)),
            ("Q4", (10, 12)),
            ("上半年", (1, 6)),
            ("下半年", (7, 12)),
            ("1-6月", (1, 6)),
            ("1～9月累计", (1, 9)),
            ("合计", (1, 12)),
            ("全年", (1, 12)),
            ("年度合计", (1, 12)),
        ] {
            assert_eq!(span_header(&k(text)), Some(want), "{text}");
        }
        for text in ["五季度", "Q5", "6-3月", "备注", "单位"] {
            assert_eq!(span_header(&k(text)), None, "{text}");
        }
    }

    #[test]
    fn two_row_groups_give_the_basis_and_sub_headers_the_figure() {
        assert_eq!(grouped_role("本月", "数值"), Role::Month);
        assert_eq!(grouped_role("本月", "同比%"), Role::Yoy(Basis::Month));
        assert_eq!(grouped_role("本月", "去年同期"), Role::PriorYear);
        assert_eq!(grouped_role("本月", "环比%"), Role::Mom);
        // A month-on-month change of a year-to-date figure means nothing: ignored.
        assert_eq!(grouped_role("累计", "环比%"), Role::Change);
        assert_eq!(grouped_role("累计", "数值"), Role::Ytd);
        assert_eq!(grouped_role("本年累计", "同比%"), Role::Yoy(Basis::Ytd));
        assert_eq!(grouped_role("累计", "上年同期"), Role::PriorYtd);
        // Transposed: the sub-header names the period.
        assert_eq!(grouped_role("数值", "本月"), Role::Month);
        assert_eq!(grouped_role("数值", "累计"), Role::Ytd);
        assert_eq!(grouped_role("同比%", "累计"), Role::Yoy(Basis::Ytd));
        assert_eq!(grouped_role("去年同期", "本月"), Role::PriorYear);
        assert_eq!(grouped_role("环比%", "本月"), Role::Mom);
    }
}
