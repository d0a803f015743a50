//! Header detection: which row is the header, what each column means, and hence the layout.

use super::Layout;
use crate::catalog::{Catalog, Target};
use crate::read::{Cell, Sheet};
use crate::text::normalize_label;

/// A sheet with merged regions filled for reading labels: a label merged over several
/// columns (or rows) is seen in each of them, numbers are not copied. Labels borrow from the
/// sheet, and their catalog keys are normalised once, when first asked for.
pub struct Grid<'a> {
    pub sheet: &'a Sheet,
    pub height: usize,
    pub width: usize,
    /// Row-major, `height × width`: the trimmed, non-empty text at each cell and the index
    /// of the cell it comes from (itself, or the top-left cell of its merged region).
    labels: Vec<Option<(&'a str, u32)>>,
    keys: Vec<std::cell::OnceCell<String>>,
    /// Row-major: the cell lies in a merged region spanning more than one column (filled
    /// once here; asked for every column of every header candidate row).
    hmerged: Vec<bool>,
}

impl<'a> Grid<'a> {
    pub fn new(sheet: &'a Sheet) -> Grid<'a> {
        let height = sheet.rows.len();
        let width = sheet.width();
        let text = |c: &'a Cell| c.text().map(str::trim).filter(|s| !s.is_empty());
        let mut labels: Vec<Option<(&'a str, u32)>> = Vec::with_capacity(height * width);
        for row in &sheet.rows {
            let at = labels.len();
            labels.extend(
                row.iter()
                    .enumerate()
                    .map(|(c, cell)| text(cell).map(|t| (t, (at + c) as u32))),
            );
            labels.extend(std::iter::repeat_n(None, width - row.len()));
        }
        let mut hmerged = vec![false; labels.len()];
        for m in &sheet.merges {
            if m.c1 > m.c0 && m.r0 < height && m.c0 < width {
                for r in m.r0..=m.r1.min(height.saturating_sub(1)) {
                    for c in m.c0..=m.c1.min(width.saturating_sub(1)) {
                        hmerged[r * width + c] = true;
                    }
                }
            }
            let Some(top) = text(sheet.get(m.r0, m.c0)) else {
                continue;
            };
            let src = (m.r0 * width + m.c0) as u32;
            for r in m.r0..=m.r1.min(height.saturating_sub(1)) {
                for c in m.c0..=m.c1.min(width.saturating_sub(1)) {
                    labels[r * width + c].get_or_insert((top, src));
                }
            }
        }
        let keys = std::iter::repeat_with(std::cell::OnceCell::new)
            .take(labels.len())
            .collect();
        Grid {
            sheet,
            height,
            width,
            labels,
            keys,
            hmerged,
        }
    }
    pub fn cell(&self, r: usize, c: usize) -> &'a Cell {
        self.sheet.get(r, c)
    }
    fn at(&self, r: usize, c: usize) -> Option<(&'a str, u32)> {
        if r < self.height && c < self.width {
            self.labels[r * self.width + c]
        } else {
            None
        }
    }
    /// The text at (r, c), merged regions filled; None for numbers and blanks.
    pub fn label(&self, r: usize, c: usize) -> Option<&'a str> {
        self.at(r, c).map(|(t, _)| t)
    }
    /// The label at (r, c) normalised for catalog matching (`normalize_label`), computed
    /// once per cell (once per merged region).
    pub fn key(&self, r: usize, c: usize) -> Option<&str> {
        let (label, src) = self.at(r, c)?;
        Some(self.keys[src as usize].get_or_init(|| normalize_label(label)))
    }
    /// Whether (r, c) lies in a merged region spanning more than one column.
    pub fn in_horizontal_merge(&self, r: usize, c: usize) -> bool {
        r < self.height && c < self.width && self.hmerged[r * self.width + c]
    }
}

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
    /// Columns members compute themselves (同比增减): ignored.
    Change,
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

fn vertical(g: &Grid, r: usize, keys: &[(usize, &str)]) -> Option<Found> {
    let (item_col, item_key) = keys.iter().find(|(_, k)| is_any(k, ITEM_HEADERS))?;
    let mut columns = vec![(*item_col, Role::Label, item_key.to_string())];
    let mut has_month = false;
    for (c, k) in keys {
        if c == item_col {
            continue;
        }
        let role = if is_any(k, MONTH_HEADERS) {
            has_month = true;
            Role::Month
        } else if is_any(k, PRIOR_YTD_HEADERS) {
            Role::PriorYtd
        } else if is_any(k, PRIOR_HEADERS) {
            Role::PriorYear
        } else if is_any(k, YTD_HEADERS) || k.ends_with("月累计") {
            Role::Ytd
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
        };
        columns.push((*c, role, k.to_string()));
    }
    if !has_month {
        // `指标 | 数值` with no 本月 column: the first numeric column is the month.
        let numeric = (g.width > *item_col + 1)
            .then(|| first_numeric_col(g, r + 1, *item_col + 1))
            .flatten()?;
        columns.retain(|(c, _, _)| *c != numeric);
        columns.push((numeric, Role::Month, String::new()));
    }
    Some(Found {
        layout: Layout::Vertical,
        header_start: r,
        data_start: r + 1,
        columns,
    })
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
            for cand in [
                format!("{s}{t}"),
                format!("{t}{s}"),
                format!("{s}{st}"),
                format!("{st}{s}"),
                s.to_string(),
            ] {
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
                    crate::read::cell_ref(0, c).trim_end_matches('1')
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
