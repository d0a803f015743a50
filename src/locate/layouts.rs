//! Turning a detected table into located values, one function per layout.

use super::grid::Grid;
use super::header::{is_total, is_total_key, Found, Role};
use super::meta::{period_of, SheetMeta};
use super::{
    written_tolerance, yoy_disagrees, Basis, Context, Problem, SheetResult, StatedChange, Who,
};
use crate::catalog::{Catalog, OverTime, Target};
use crate::i18n::{Msg, Text};
use crate::model::period::Period;
use crate::model::{cell_ref, short_ref, Short};
use crate::read::{Cell, CellRef, Sheet};
use crate::said;
use crate::text::static_regex;
use crate::text::{normalize_label, parse_figure, Figure, Unsure};
use regex::Regex;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, LazyLock};

fn who(text: &str, cell: &str) -> Who {
    (Arc::from(text), Arc::from(cell))
}

pub fn extract(g: &Grid, f: &Found, meta: &SheetMeta, ctx: &Context, sheet: &Sheet) -> SheetResult {
    let mut res = SheetResult::default();
    match f.layout {
        super::Layout::Tidy => tidy(g, f, ctx, &mut res),
        super::Layout::Months => {
            // Every month header with its year (`2025年1月`, a date cell): no other year needed.
            let years: Vec<Option<i32>> = f
                .columns
                .iter()
                .filter_map(|(_, role, _)| match role {
                    Role::CalMonth(y, _) => Some(*y),
                    _ => None,
                })
                .collect();
            let written = match years.first() {
                Some(Some(y)) if years.iter().all(Option::is_some) => Some(*y),
                _ => None,
            };
            let year = match (ctx.period_override, written) {
                (None, Some(y)) => Some(y),
                _ => sheet_year(g, f, meta, ctx, &sheet.name, &mut res),
            };
            let Some(year) = year else {
                return res;
            };
            if let Some(member) = sheet_member(meta, ctx, &sheet.name, &mut res) {
                months(g, f, ctx, year, &member, &mut res);
            }
        }
        layout => {
            let Some(period) = sheet_period(meta, ctx, &sheet.name, &mut res) else {
                return res;
            };
            match layout {
                super::Layout::Vertical => {
                    if let Some(member) = sheet_member(meta, ctx, &sheet.name, &mut res) {
                        vertical(g, f, ctx, period, &member, &mut res);
                    }
                }
                super::Layout::Department => {
                    if let Some(member) = sheet_member(meta, ctx, &sheet.name, &mut res) {
                        department(g, f, ctx, period, &member, &mut res);
                    }
                }
                _ => wide(g, f, ctx, period, &mut res),
            }
        }
    }
    res
}

/// The sheet's month: `--period`, a labelled cell, a title, the sheet name, the file name.
fn sheet_period(
    meta: &SheetMeta,
    ctx: &Context,
    sheet_name: &str,
    res: &mut SheetResult,
) -> Option<Period> {
    if let Some(p) = ctx.period_override {
        return Some(p);
    }
    let from_name =
        Period::find_in_text(sheet_name).or_else(|| Period::find_in_text(ctx.file_name));
    let in_sheet = meta.period.clone().or_else(|| meta.title_period.clone());
    sheet_over_name(in_sheet, from_name, Msg::NoPeriod, res)
}

/// The sheet's member for single-member layouts: 填报单位, the sheet name (a workbook with a
/// sheet per member), a title, the file name.
fn sheet_member(
    meta: &SheetMeta,
    ctx: &Context,
    sheet_name: &str,
    res: &mut SheetResult,
) -> Option<Who> {
    // A sheet named after a member names it whole (`市一院`, an alias); the scan for a name
    // inside a longer text, which costs a pass over every member's names, is left for sheets
    // without a 填报单位.
    let exact = ctx.consortium.find_member(sheet_name);
    if let Some((name, cell)) = &meta.member {
        // 填报单位 rules; a sheet named after another member is worth a word.
        if let (Some(s), Some(m)) = (exact, ctx.consortium.find_member(name)) {
            if s.id != m.id {
                res.warnings.push(Problem::at(
                    cell.as_str(),
                    said!(
                        Msg::SheetNameDisagrees,
                        sheet = sheet_name,
                        named = s.name,
                        name = name
                    ),
                ));
            }
        }
        return Some(who(name, cell));
    }
    let found = exact
        .or_else(|| ctx.consortium.find_member_in_text(sheet_name))
        .map(|m| who(&m.name, "the sheet name"))
        .or_else(|| {
            meta.titles
                .iter()
                .find_map(|t| ctx.consortium.find_member_in_text(t))
                .map(|m| who(&m.name, "the title"))
        })
        .or_else(|| {
            ctx.consortium
                .find_member_in_text(ctx.file_name)
                .map(|m| who(&m.name, "the file name"))
        });
    if found.is_none() {
        res.errors
            .push(Problem::sheet(said!(Msg::NoMember, sheet = sheet_name)));
    }
    found
}

/// What the sheet says (with its cell) wins over the sheet or file name, with a warning when
/// they disagree; neither is the error `missing`.
fn sheet_over_name<T: PartialEq + std::fmt::Display>(
    in_sheet: Option<(T, String)>,
    from_name: Option<T>,
    missing: Msg,
    res: &mut SheetResult,
) -> Option<T> {
    match (in_sheet, from_name) {
        (Some((v, cell)), Some(n)) => {
            if v != n {
                res.warnings.push(Problem::at(
                    cell,
                    said!(Msg::SheetOverName, sheet = v, name = n),
                ));
            }
            Some(v)
        }
        (Some((v, _)), None) => Some(v),
        (None, Some(n)) => Some(n),
        (None, None) => {
            res.errors.push(Problem::sheet(said!(missing)));
            None
        }
    }
}

/// A year in free text: `2025年`, `2025年度`, `2025-03`, `_2025.xlsx`.
fn year_in_text(s: &str) -> Option<i32> {
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| static_regex(r"(?:^|[^0-9])((?:19|20|21)\d{2})(?:[^0-9]|$)"));
    if !s
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    let s = crate::text::halfwidth_text(s);
    YEAR.captures(&s)?[1].parse().ok()
}

/// The year of a months-as-columns sheet: `--period`, the header (`2025年1月`, a `2025年`
/// group over the months), a labelled period, a text above the header (the title), the sheet
/// name, the file name.
fn sheet_year(
    g: &Grid,
    f: &Found,
    meta: &SheetMeta,
    ctx: &Context,
    sheet_name: &str,
    res: &mut SheetResult,
) -> Option<i32> {
    if let Some(p) = ctx.period_override {
        return Some(p.year());
    }
    let header = (f.header_start..f.data_start).find_map(|r| {
        (0..g.width).find_map(|c| {
            g.label(r, c)
                .and_then(year_in_text)
                .map(|y| (y, cell_ref(r, c)))
        })
    });
    let above = (0..f.header_start).find_map(|r| {
        (0..g.width).find_map(|c| {
            let t = g.cell(r, c).text()?;
            // A date of filling or printing is no year of the figures.
            if t.contains("日期") || t.contains("时间") {
                return None;
            }
            year_in_text(t).map(|y| (y, cell_ref(r, c)))
        })
    });
    let in_sheet = header
        .or_else(|| meta.period.as_ref().map(|(p, c)| (p.year(), c.clone())))
        .or(above);
    let from_name = year_in_text(sheet_name).or_else(|| year_in_text(ctx.file_name));
    sheet_over_name(in_sheet, from_name, Msg::NoYear, res)
}

/// A cell as a figure in the item's unit (`unit`, from the catalog): Ok(None) when not
/// reported, Err(what was found, quoted and explained) when it is not a number we can be sure
/// of (`figure_problem` says why).
fn figure(cell: CellRef<'_>, unit: Option<&str>) -> Result<Option<f64>, Text> {
    match &cell {
        Cell::Empty => Ok(None),
        Cell::Number(v) => Ok(Some(*v)),
        // A date typed into a count cell is not its serial number of admissions.
        Cell::Date(_) => Err(said!(Msg::FoundDate, date = cell.display())),
        Cell::Text(t) => match parse_figure(t, unit) {
            Figure::Number(v) | Figure::Scaled(v) => Ok(Some(v)),
            Figure::NotReported => Ok(None),
            Figure::Unsure(_) | Figure::Text => Err(said!(Msg::FoundText, text = t.trim())),
        },
        Cell::Bool(b) => Err(said!(Msg::FoundText, text = b)),
        Cell::Error(e) => Err(said!(Msg::FoundExcelError, value = e)),
        Cell::NotFinite(v) => Err(said!(Msg::FoundNotFinite, value = v)),
        // An error, not a warning: the cell has a figure that was never saved, and taking it
        // as not reported would store a gap the member did not leave.
        Cell::Formula(f) => Err(said!(Msg::FoundFormula, formula = f)),
    }
}

/// The reader's words for why a figure-like text is unsure.
fn unsure_text(why: Unsure) -> Text {
    match why {
        Unsure::Approximate => said!(Msg::Approximate),
        Unsure::PercentInCountRow { unit } => said!(Msg::PercentInCountRow, unit = unit),
        Unsure::NotAPercentage { suffix } => said!(Msg::NotAPercentage, suffix = suffix),
        Unsure::ForeignUnit { suffix, unit } => {
            said!(Msg::ForeignUnit, suffix = suffix, unit = unit)
        }
        Unsure::UnclearWan { suffix, unit } => said!(Msg::UnclearWan, suffix = suffix, unit = unit),
    }
}

/// The catalog unit of an item (`人次`, `万元`, `%`); None when unmapped or unstated.
fn unit_of(cat: &Catalog, target: Option<Target>) -> Option<&str> {
    let unit = match target? {
        Target::Metric(i) => &cat.metrics[i].unit,
        Target::Indicator(i) => &cat.indicators[i].unit,
    };
    Some(unit.as_str()).filter(|u| !u.is_empty())
}

/// Why a text cell is not a figure we can be sure of (`: an approximate figure; …`), for
/// the end of an `expected a number` message; empty when it is simply not a number.
fn figure_problem(cell: CellRef<'_>, unit: Option<&str>) -> Text {
    match &cell {
        Cell::Text(t) => match parse_figure(t, unit) {
            Figure::Unsure(why) => said!(Msg::FigureWhy, why => unsure_text(why)),
            _ => Text::from(""),
        },
        _ => Text::from(""),
    }
}

/// A warning for a figure typed with a scale or another unit (`1.19万`, `12.3亿元`), which
/// was converted into the item's unit: the reader is told, the store keeps the raw text.
fn scale_warning(cell: CellRef<'_>, unit: Option<&str>, item: &str, at: &str) -> Option<Problem> {
    let Cell::Text(t) = cell else { return None };
    // Plain numbers (every figure of a CSV file) need no second look.
    if t.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b' ' | b'-'))
    {
        return None;
    }
    match parse_figure(t, unit) {
        Figure::Scaled(v) => Some(Problem::at(
            at,
            said!(
                Msg::ScaledRead,
                raw = t.trim(),
                value = v,
                unit = unit.map(|u| format!(" {u}")).unwrap_or_default(),
                item = item
            ),
        )),
        _ => None,
    }
}

/// The last column of the item label: a header `指标名称` merged over A:B makes B part of
/// the label (sub-items beside a group label).
fn label_span_end(g: &Grid, header: usize, label_col: usize) -> usize {
    g.sheet
        .merges
        .iter()
        .find(|m| (m.r0..=m.r1).contains(&header) && m.c0 == label_col && m.c1 > m.c0)
        .map(|m| m.c1)
        .unwrap_or(label_col)
}

/// The item of a row whose label spans two columns: a group label merged down the item
/// column (`手术例数`, `远程医疗`) and a sub-item beside it (`一级`, `影像`). Returns the
/// label as written (`手术例数 一级`) and its catalog key (`一级手术例数`); None when the row
/// has no sub-item or the cell beside is the row's unit.
fn sub_item(
    g: &Grid,
    cat: &Catalog,
    r: usize,
    label_col: usize,
    label_end: usize,
) -> Option<(String, String)> {
    if label_end == label_col {
        return None;
    }
    let sub = (label_col + 1..=label_end)
        .rev()
        .find_map(|c| g.cell(r, c).text().map(str::trim).filter(|t| !t.is_empty()))?;
    let sk = normalize_label(sub);
    let is_unit = cat.metrics.iter().any(|m| normalize_label(&m.unit) == sk)
        || cat
            .indicators
            .iter()
            .any(|i| normalize_label(&i.unit) == sk);
    if is_unit {
        return None;
    }
    let Some(group) = g.label(r, label_col) else {
        return Some((sub.to_string(), sk));
    };
    let gk = normalize_label(group);
    if is_total_key(&sk) {
        return Some((group.to_string(), gk));
    }
    // `远程医疗` + `影像` reads `远程影像`; `手术例数` + `一级` reads `一级手术例数`.
    let mut stems = vec![gk.as_str()];
    stems.extend(
        ["医疗服务", "医疗", "服务", "情况"]
            .iter()
            .filter_map(|suf| gk.strip_suffix(suf)),
    );
    let written = format!("{group} {sub}");
    let found = std::iter::once(sk.clone())
        .chain(
            stems
                .iter()
                .flat_map(|st| [format!("{sk}{st}"), format!("{st}{sk}")]),
        )
        .find(|k| cat.lookup_key(k).is_some());
    match found {
        Some(key) => Some((written, key)),
        // An item in its own cell with a note beside it (`门急诊人次 | 人次/月`) is that item.
        None if g.cell(r, label_col).text().is_some() && cat.lookup_key(&gk).is_some() => None,
        None => Some((written, format!("{gk}{sk}"))),
    }
}

/// The row label; a 合计 written in the 序号 column left of an empty name cell counts too.
fn row_label(g: &Grid, r: usize, label_col: usize) -> Option<String> {
    if let Some(t) = g.sheet.get(r, label_col).text() {
        return Some(t.trim().to_string());
    }
    (0..label_col)
        .filter_map(|c| g.sheet.get(r, c).text())
        .find(|t| is_total(t))
        .map(|t| t.trim().to_string())
}

const FOOTERS: &[&str] = &[
    "填表人",
    "填报人",
    "审核人",
    "审核",
    "复核人",
    "负责人",
    "单位负责人",
    "统计负责人",
    "制表人",
    "经办人",
    "报送人",
    "联系人",
    "联系电话",
    "电话",
    "填报日期",
    "填表日期",
    "报送日期",
    "制表日期",
    "打印时间",
    "打印日期",
    "打印人",
    "注",
    "说明",
    "备注",
    "填报说明",
    "数据来源",
    "制表",
    "统计人",
];

fn is_footer(label: &str) -> bool {
    is_footer_key(label, &normalize_label(label))
}

/// `is_footer` with the label's normalised key at hand.
fn is_footer_key(label: &str, k: &str) -> bool {
    FOOTERS.iter().any(|f| k.starts_with(f))
        && (k.contains(':')
            || k.contains('：')
            || label.contains('：')
            || label.contains(':')
            || k.chars().count() <= 4)
}

/// A multiply-rotate hasher (as in rustc's FxHash) for `Sink::seen`, whose keys are a few
/// small integers: SipHash's protection against crafted keys buys nothing here and costs a
/// tenth of locating a form.
#[derive(Default)]
struct SmallKeyHasher(u64);

impl Hasher for SmallKeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(n as u64);
    }
    fn write_u16(&mut self, n: u16) {
        self.write_u64(n as u64);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_i32(&mut self, n: i32) {
        self.write_u64(n as u32 as u64);
    }
    fn write_isize(&mut self, n: isize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

struct Sink<'a, 'b> {
    ctx: &'a Context<'b>,
    res: &'a mut SheetResult,
    /// Members seen, by normalised name, numbered for `seen`; the last one is cached since
    /// a sheet's values come member by member.
    members: HashMap<String, u32>,
    last_member: Option<(Arc<str>, u32)>,
    /// (member, metric, basis, period) → index of its value in `res.values`.
    seen: HashMap<(u32, usize, Basis, Period), usize, BuildHasherDefault<SmallKeyHasher>>,
    /// Power of ten from the unit the current row is written in to the item's unit (a 单位
    /// of `元` for an item kept in 万元 is -4); 0 when they agree.
    row_scale: i32,
}

impl<'a, 'b> Sink<'a, 'b> {
    fn new(ctx: &'a Context<'b>, res: &'a mut SheetResult) -> Self {
        Sink {
            ctx,
            res,
            members: HashMap::new(),
            last_member: None,
            // A form's figures: enough room to never grow for a vertical form.
            seen: HashMap::with_capacity_and_hasher(128, Default::default()),
            row_scale: 0,
        }
    }

    fn member_number(&mut self, text: &Arc<str>) -> u32 {
        if let Some((last, n)) = &self.last_member {
            if Arc::ptr_eq(last, text) || **last == **text {
                return *n;
            }
        }
        let next = self.members.len() as u32;
        let n = *self.members.entry(normalize_label(text)).or_insert(next);
        self.last_member = Some((text.clone(), n));
        n
    }

    /// Records a value; refuses negative counts and non-numbers for base metrics.
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        member: &Who,
        period: Period,
        item: &Arc<str>,
        target: Option<Target>,
        basis: Basis,
        cell: Short,
        raw: CellRef<'_>,
    ) {
        let cat = &self.ctx.consortium.catalog;
        let unit = unit_of(cat, target);
        let value = match figure(raw, unit) {
            // A number typed with its own unit word (`12.3亿元`) is already in the item's unit.
            Ok(Some(v))
                if self.row_scale != 0
                    && !matches!(raw, Cell::Text(t) if t.chars().any(char::is_alphabetic)) =>
            {
                Some(crate::text::scale_by(v, self.row_scale))
            }
            Ok(v) => v,
            Err(text) => {
                if matches!(target, Some(Target::Metric(_))) {
                    self.res.errors.push(Problem::at(
                        cell.as_str(),
                        said!(
                            Msg::ExpectedNumber,
                            item = item,
                            found => text,
                            why => figure_problem(raw, unit)
                        ),
                    ));
                    return;
                }
                None
            }
        };
        if let (Some(Target::Metric(i)), Some(v)) = (target, value) {
            if v < 0.0 && basis != Basis::PriorYtd {
                self.res.errors.push(Problem::at(
                    cell.as_str(),
                    said!(
                        Msg::NegativeCount,
                        value = crate::model::fmt_num(v),
                        written => match raw {
                            Cell::Text(t) => said!(Msg::WrittenAs, raw = t.trim()),
                            _ => Text::from(""),
                        },
                        item = item,
                        code = cat.metrics[i].code
                    ),
                ));
                return;
            }
            let key = (self.member_number(&member.0), i, basis, period);
            if let Some(&prev_at) = self.seen.get(&key) {
                let prev = &self.res.values[prev_at];
                if prev.value != Some(v) {
                    let message = said!(
                        Msg::ReportedTwice,
                        item = item,
                        member = member.0,
                        period = period,
                        first = prev.value.map(crate::model::fmt_num).unwrap_or_default(),
                        first_cell = prev.cell,
                        value = crate::model::fmt_num(v)
                    );
                    self.res.errors.push(Problem::at(cell.as_str(), message));
                }
                return;
            }
            self.seen.insert(key, self.res.values.len());
        }
        if value.is_some() {
            self.res
                .warnings
                .extend(scale_warning(raw, unit, item, &cell));
        }
        self.res.values.push(super::Located {
            total: false,
            member_text: member.0.clone(),
            member_cell: member.1.clone(),
            period,
            item: item.clone(),
            target,
            basis,
            cell,
            raw: raw.display(),
            value,
        });
    }
}

fn vertical(
    g: &Grid,
    f: &Found,
    ctx: &Context,
    period: Period,
    member: &Who,
    res: &mut SheetResult,
) {
    let cat = &ctx.consortium.catalog;
    let col_of = |want: Role| {
        f.columns
            .iter()
            .find(|(_, r, _)| *r == want)
            .map(|(c, _, _)| *c)
    };
    let label_col = col_of(Role::Label).unwrap_or(0);
    let unit_col = col_of(Role::Unit);
    let value_cols: Vec<(usize, Basis)> = f
        .columns
        .iter()
        .filter_map(|(c, role, _)| match role {
            Role::Month => Some((*c, Basis::Month)),
            Role::PriorYear => Some((*c, Basis::PriorYear)),
            Role::Ytd => Some((*c, Basis::Ytd)),
            Role::PriorYtd => Some((*c, Basis::PriorYtd)),
            _ => None,
        })
        .collect();
    // The member's own 同比 and 环比 columns: (change column, basis, figure column, prior
    // column if the form has one, months back). With the prior on the form they are checked
    // here, else at ingest against the store.
    type ChangeCol = (usize, Basis, Option<usize>, Option<usize>, i32);
    let yoy_cols: Vec<ChangeCol> = f
        .columns
        .iter()
        .filter_map(|(c, role, _)| match role {
            Role::Yoy(b) => {
                let (cur, prior) = match b {
                    Basis::Ytd => (Role::Ytd, Role::PriorYtd),
                    _ => (Role::Month, Role::PriorYear),
                };
                Some((*c, *b, col_of(cur), col_of(prior), 12))
            }
            Role::Mom => Some((*c, Basis::Month, col_of(Role::Month), None, 1)),
            _ => None,
        })
        .collect();
    let label_end = label_span_end(g, f.header_start, label_col);
    // At most a figure per row and value column: room made once, not grown value by value.
    let most = g.height.saturating_sub(f.data_start) * value_cols.len();
    res.values.reserve(most.min(1 << 12));
    let mut sink = Sink::new(ctx, res);
    for r in f.data_start..g.height {
        let sub = sub_item(g, cat, r, label_col, label_end);
        // The cell's own text: a label merged down over the next row does not name it.
        let own = g
            .cell(r, label_col)
            .text()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let (Some(label), Some(key)) = (
            sub.as_ref().map(|s| s.0.as_str()).or(own),
            sub.as_ref()
                .map(|s| s.1.as_str())
                .or(own.and(g.key(r, label_col))),
        ) else {
            if value_cols.iter().any(|(c, _)| !g.cell(r, *c).is_empty()) {
                sink.res.warnings.push(Problem::at(
                    cell_ref(r, label_col),
                    said!(Msg::RowWithoutItem),
                ));
            }
            continue;
        };
        if is_footer_key(label, key) || is_total_key(key) {
            continue;
        }
        let target = cat.lookup_key(key);
        let has_values = value_cols.iter().any(|(c, _)| !g.cell(r, *c).is_empty());
        if target.is_none() {
            if !has_values {
                continue; // a section heading such as `一、门诊情况`
            }
            sink.res.warnings.push(Problem::at(
                cell_ref(r, label_col),
                said!(Msg::UnmappedItem, item = label),
            ));
        }
        let item: Arc<str> = Arc::from(label);
        sink.row_scale = row_scale(g, unit_col, r, label, unit_of(cat, target), sink.res);
        for &(c, basis) in &value_cols {
            let cell = g.cell(r, c);
            if cell.is_empty() && basis != Basis::Month {
                continue;
            }
            sink.push(member, period, &item, target, basis, short_ref(r, c), cell);
        }
        // A rate's change may be written in percentage points (85.2% → 86.4%: +1.2).
        let rate = matches!(target, Some(Target::Indicator(_)))
            || label.contains(['%', '率'])
            || unit_col
                .and_then(|c| g.cell(r, c).text())
                .is_some_and(|u| u.contains('%'));
        for &(yc, basis, cc, pc, months_back) in &yoy_cols {
            let unit = unit_of(cat, target);
            let num = |c: Option<usize>, unit: Option<&str>| {
                c.and_then(|c| figure(g.cell(r, c), unit).ok().flatten())
            };
            let stated = num(Some(yc), Some("%"));
            let (Some(stated), Some(cur), Some(cc)) = (stated, num(cc, unit), cc) else {
                continue;
            };
            let Some(pc) = pc else {
                if let Some(Target::Metric(i)) = target {
                    sink.res.changes.push(StatedChange {
                        member_text: member.0.clone(),
                        period,
                        metric: i,
                        basis,
                        item: item.clone(),
                        cell: cell_ref(r, yc),
                        stated,
                        current: cur,
                        current_cell: cell_ref(r, cc),
                        rate,
                        months_back,
                    });
                }
                continue;
            };
            let Some(prior) = num(Some(pc), unit) else {
                continue;
            };
            if let Some(expected) = yoy_disagrees(stated, cur, prior, rate) {
                sink.res.warnings.push(Problem::at(
                    cell_ref(r, yc),
                    said!(
                        Msg::StatedChangeDisagrees,
                        item = label,
                        stated = crate::model::fmt_num(stated),
                        current = crate::model::fmt_num(cur),
                        current_cell = cell_ref(r, cc),
                        prior = crate::model::fmt_num(prior),
                        prior_cell = cell_ref(r, pc),
                        expected => expected
                    ),
                ));
            }
        }
        sink.row_scale = 0;
    }
}

/// Months as columns (年度统计表): a value per item and month, each with its own cell. Months
/// after the last one with any figure are not yet reported and not stored at all; a blank
/// month before it is a missing figure, as in a form. Quarter and year columns are totals:
/// checked against the months by the item's over-time rule, never stored.
fn months(g: &Grid, f: &Found, ctx: &Context, year: i32, member: &Who, res: &mut SheetResult) {
    let cat = &ctx.consortium.catalog;
    let label_col = f
        .columns
        .iter()
        .find(|(_, r, _)| *r == Role::Label)
        .map(|(c, _, _)| *c)
        .unwrap_or(0);
    let month_cols: Vec<(usize, Period)> = f
        .columns
        .iter()
        .filter_map(|(c, role, _)| match role {
            Role::CalMonth(y, m) => Some((*c, Period::new(y.unwrap_or(year), *m)?)),
            _ => None,
        })
        .collect();
    let spans: Vec<(usize, u32, u32, &str)> = f
        .columns
        .iter()
        .filter_map(|(c, role, text)| match role {
            Role::Span(a, b) => Some((*c, *a, *b, text.as_str())),
            _ => None,
        })
        .collect();
    // Data rows: an item label that is not a footer or a 合计 row.
    let rows: Vec<(usize, &str, &str)> = (f.data_start..g.height)
        .filter_map(|r| {
            let label = g
                .cell(r, label_col)
                .text()
                .map(str::trim)
                .filter(|t| !t.is_empty())?;
            let key = g.key(r, label_col)?;
            (!is_footer_key(label, key) && !is_total_key(key)).then_some((r, label, key))
        })
        .collect();
    let is_figure = |r: usize, c: usize| matches!(figure(g.cell(r, c), None), Ok(Some(_)));
    // The year so far: up to the last month with a figure in any row.
    let Some(last) = month_cols
        .iter()
        .filter(|(c, _)| rows.iter().any(|(r, _, _)| is_figure(*r, *c)))
        .map(|(_, p)| *p)
        .max()
    else {
        return;
    };
    let mut sink = Sink::new(ctx, res);
    for &(r, label, key) in &rows {
        let target = cat.lookup_key(key);
        let has_values = month_cols.iter().any(|(c, _)| !g.cell(r, *c).is_empty());
        if target.is_none() {
            if !has_values {
                continue; // a section heading
            }
            sink.res.warnings.push(Problem::at(
                cell_ref(r, label_col),
                said!(Msg::UnmappedItem, item = label),
            ));
        }
        let item: Arc<str> = Arc::from(label);
        for &(c, p) in &month_cols {
            if p > last {
                continue;
            }
            sink.push(
                member,
                p,
                &item,
                target,
                Basis::Month,
                short_ref(r, c),
                g.cell(r, c),
            );
        }
        let unit = unit_of(cat, target);
        for &(c, a, b, text) in &spans {
            let Ok(Some(stated)) = figure(g.cell(r, c), unit) else {
                continue;
            };
            let covered: Vec<(usize, f64)> = month_cols
                .iter()
                .filter(|(_, p)| p.year() == year && (a..=b).contains(&p.month()) && *p <= last)
                .filter_map(|&(mc, _)| figure(g.cell(r, mc), unit).ok().flatten().map(|v| (mc, v)))
                .collect();
            let at = cell_ref(r, c);
            if covered.is_empty() {
                sink.res.warnings.push(Problem::at(
                    &at,
                    said!(
                        Msg::TotalOverBlankMonths,
                        total = text,
                        stated = crate::model::fmt_num(stated),
                        item = label
                    ),
                ));
                continue;
            }
            // Rates and unmapped items have no rule for combining months: not checked.
            let Some(Target::Metric(i)) = target else {
                continue;
            };
            let rule = cat.metrics[i].over_time;
            let vals: Vec<f64> = covered.iter().map(|(_, v)| *v).collect();
            let expected = match rule {
                OverTime::Sum => vals.iter().sum::<f64>(),
                OverTime::Average => vals.iter().sum::<f64>() / vals.len() as f64,
                OverTime::Last => vals[vals.len() - 1],
            };
            let tol = written_tolerance(stated).max(1e-6 * expected.abs());
            if (stated - expected).abs() > tol {
                let how = match rule {
                    OverTime::Sum => Msg::AddUpTo,
                    OverTime::Average => Msg::AverageTo,
                    OverTime::Last => Msg::EndAt,
                };
                sink.res.warnings.push(Problem::at(
                    &at,
                    said!(
                        Msg::TotalDisagrees,
                        total = text,
                        stated = crate::model::fmt_num(stated),
                        item = label,
                        first = cell_ref(r, covered[0].0),
                        last = cell_ref(r, covered[covered.len() - 1].0),
                        how => said!(how),
                        expected = crate::model::fmt_num(expected)
                    ),
                ));
            }
        }
    }
    let data_rows: Vec<usize> = rows.iter().map(|(r, _, _)| *r).collect();
    for (c, role, text) in &f.columns {
        if matches!(role, Role::Unknown(_)) && data_rows.iter().any(|&r| is_figure(r, *c)) {
            sink.res.warnings.push(Problem::at(
                cell_ref(f.header_start, *c),
                said!(Msg::NotAMonthColumn, column = text),
            ));
        }
    }
}

/// The scale of a row written in another unit than its item's: the 单位 cell (`元` for
/// 医疗收入, kept in 万元) or a unit in brackets after the label (`医疗收入（元）`). The
/// conversion is said once per row, at the cell that states the unit.
fn row_scale(
    g: &Grid,
    unit_col: Option<usize>,
    r: usize,
    label: &str,
    unit: Option<&str>,
    res: &mut SheetResult,
) -> i32 {
    let Some(unit) = unit else { return 0 };
    let in_label = || {
        let t = crate::text::to_halfwidth(label);
        let t = t.trim_end();
        let inner = t.strip_suffix(')')?;
        let open = inner.rfind('(')?;
        Some(inner[open + 1..].to_string())
    };
    let (written, at) = match unit_col.and_then(|c| g.cell(r, c).text().map(|t| (t.trim(), c))) {
        Some((t, c)) if !t.is_empty() => (t.to_string(), cell_ref(r, c)),
        _ => match in_label() {
            Some(t) => (t, cell_ref(r, label_col_of(g, r, label))),
            None => return 0,
        },
    };
    let Some(exp) = crate::text::unit_scale(&written, unit) else {
        return 0;
    };
    let how = if exp > 0 {
        Msg::Multiplied
    } else {
        Msg::Divided
    };
    res.warnings.push(Problem::at(
        at,
        said!(
            Msg::ConvertedUnit,
            item = label,
            written = written,
            unit = unit,
            how => said!(how),
            factor = crate::text::scale_by(1.0, exp.abs())
        ),
    ));
    exp
}

/// The column of a row's label text (for naming the cell of a unit written in it).
fn label_col_of(g: &Grid, r: usize, label: &str) -> usize {
    (0..g.width)
        .find(|&c| g.cell(r, c).text().is_some_and(|t| t.trim() == label))
        .unwrap_or(0)
}

/// The rows of a wide or department table: (row, label) of rows with figures, and the
/// 合计 row if there is one. Footers and blank rows are skipped.
fn table_rows(g: &Grid, f: &Found) -> (usize, Vec<(usize, String)>, Option<usize>) {
    let label_col = f
        .columns
        .iter()
        .find(|(_, r, _)| *r == Role::Label)
        .map(|(c, _, _)| *c)
        .unwrap_or(0);
    let mut rows = Vec::new();
    let mut total_row = None;
    for r in f.data_start..g.height {
        let Some(label) = row_label(g, r, label_col) else {
            continue;
        };
        if is_footer(&label) {
            continue;
        }
        if is_total(&label) {
            total_row = Some(r);
        } else if f.columns.iter().any(|(c, role, _)| {
            matches!(role, Role::Item(_) | Role::Unknown(_)) && !g.cell(r, *c).is_empty()
        }) {
            rows.push((r, label));
        }
    }
    (label_col, rows, total_row)
}

fn wide(g: &Grid, f: &Found, ctx: &Context, period: Period, res: &mut SheetResult) {
    let (label_col, rows, total_row) = table_rows(g, f);
    let items = column_items(f, false);
    let scales = column_scales(g, f, &ctx.consortium.catalog, &items, res);
    let mut sink = Sink::new(ctx, res);
    let member_rows: Vec<usize> = rows.iter().map(|(r, _)| *r).collect();
    for (r, label) in &rows {
        let r = *r;
        let member = who(label, &cell_ref(r, label_col));
        for (i, (c, target, item)) in items.iter().enumerate() {
            let (c, target) = (*c, *target);
            sink.row_scale = scales[i];
            let cell = g.cell(r, c);
            if target.is_none() && cell.is_empty() {
                continue;
            }
            sink.push(
                &member,
                period,
                item,
                target,
                Basis::Month,
                short_ref(r, c),
                cell,
            );
        }
    }
    warn_unknown_columns(g, f, &member_rows, sink.res);
    if let Some(t) = total_row {
        check_total(
            g,
            f,
            &member_rows,
            t,
            &who("", &cell_ref(t, label_col)),
            period,
            &ctx.consortium.catalog,
            sink.res,
        );
    }
}

fn department(
    g: &Grid,
    f: &Found,
    ctx: &Context,
    period: Period,
    member: &Who,
    res: &mut SheetResult,
) {
    let (_, rows, total_row) = table_rows(g, f);
    let rows: Vec<usize> = rows.into_iter().map(|(r, _)| r).collect();
    let cat = &ctx.consortium.catalog;
    let items = column_items(f, true);
    let scales = column_scales(g, f, cat, &items, res);
    let mut sink = Sink::new(ctx, res);
    // Per-department rates are not the member's rate: recomputed from sums later.
    for (i, (c, target, item)) in items.iter().enumerate() {
        sink.row_scale = scales[i];
        let (c, target) = (c, *target);
        // The member's figure is the sum of its departments.
        let mut sum = 0.0;
        let mut reported = 0usize;
        let mut bad = false;
        let unit = unit_of(cat, target);
        for &r in &rows {
            match figure(g.cell(r, *c), unit) {
                Ok(Some(v)) => {
                    sum += v;
                    reported += 1;
                    let at = cell_ref(r, *c);
                    sink.res
                        .warnings
                        .extend(scale_warning(g.cell(r, *c), unit, item, &at));
                }
                Ok(None) => {}
                Err(text) => {
                    if target.is_some() {
                        sink.res.errors.push(Problem::at(
                            cell_ref(r, *c),
                            format!(
                                "expected a number for `{item}`, found {text}{}",
                                figure_problem(g.cell(r, *c), unit)
                            ),
                        ));
                        bad = true;
                    }
                }
            }
        }
        if bad {
            continue;
        }
        let (cell, raw) = match (reported, rows.first(), rows.last(), total_row) {
            (0, _, _, Some(t)) => (short_ref(t, *c), g.cell(t, *c)),
            (0, _, _, None) => continue,
            (_, Some(&a), Some(&b), _) => (
                compact_str::format_compact!("{}:{}", short_ref(a, *c), short_ref(b, *c)),
                Cell::Number(sum),
            ),
            _ => continue,
        };
        if target.is_none() && matches!(raw, Cell::Empty) {
            continue;
        }
        sink.push(member, period, item, target, Basis::Month, cell, raw);
    }
    warn_unknown_columns(g, f, &rows, sink.res);
    if let Some(t) = total_row {
        check_total(g, f, &rows, t, member, period, cat, sink.res);
    }
}

/// The unit written in brackets in a column's header (`医疗收入（元）`), with its cell, when
/// it differs in scale from the item's unit: (power of ten, unit as written, header cell).
fn column_unit(g: &Grid, f: &Found, c: usize, unit: Option<&str>) -> Option<(i32, String, String)> {
    let unit = unit?;
    (f.header_start..f.data_start).rev().find_map(|r| {
        let t = crate::text::to_halfwidth(g.label(r, c)?);
        let inner = t.trim_end().strip_suffix(')')?;
        let written = &inner[inner.rfind('(')? + 1..];
        let exp = crate::text::unit_scale(written, unit)?;
        Some((exp, written.to_string(), cell_ref(r, c)))
    })
}

/// Per value column, the power of ten from its header's unit to its item's (0 when they
/// agree); each conversion is said once, at the header cell.
fn column_scales(
    g: &Grid,
    f: &Found,
    cat: &Catalog,
    items: &[(usize, Option<Target>, Arc<str>)],
    res: &mut SheetResult,
) -> Vec<i32> {
    items
        .iter()
        .map(|(c, target, item)| {
            let unit = unit_of(cat, *target);
            let Some((exp, written, at)) = column_unit(g, f, *c, unit) else {
                return 0;
            };
            let how = if exp > 0 {
                Msg::Multiplied
            } else {
                Msg::Divided
            };
            res.warnings.push(Problem::at(
                at,
                said!(
                    Msg::ConvertedUnit,
                    item = item,
                    written = written,
                    unit = unit.unwrap_or_default(),
                    how => said!(how),
                    factor = crate::text::scale_by(1.0, exp.abs())
                ),
            ));
            exp
        })
        .collect()
}

/// The value columns of a wide or department table with their targets and item texts
/// (metric columns only when `metrics_only`; unrecognised columns are kept as unmapped).
fn column_items(f: &Found, metrics_only: bool) -> Vec<(usize, Option<Target>, Arc<str>)> {
    f.columns
        .iter()
        .filter_map(|(c, role, text)| match role {
            Role::Item(t @ Target::Metric(_)) => Some((*c, Some(*t), Arc::from(text.as_str()))),
            Role::Item(t) if !metrics_only => Some((*c, Some(*t), Arc::from(text.as_str()))),
            Role::Unknown(t) => Some((*c, None, Arc::from(t.as_str()))),
            _ => None,
        })
        .collect()
}

fn warn_unknown_columns(g: &Grid, f: &Found, rows: &[usize], res: &mut SheetResult) {
    for (c, role, _) in &f.columns {
        if let Role::Unknown(text) = role {
            if rows.iter().any(|&r| !g.cell(r, *c).is_empty()) {
                res.warnings.push(Problem::at(
                    cell_ref(f.header_start, *c),
                    said!(Msg::UnmappedColumn, item = text),
                ));
            }
        }
    }
}

/// A 合计 row that disagrees with the sum of its rows is a warning naming the cells. Its
/// figures are kept too (as `total` values: no member's own figure) so that `check` can
/// compare them without the original file. `owner` is the member of a department sheet,
/// empty for a summary of many members.
#[allow(clippy::too_many_arguments)]
fn check_total(
    g: &Grid,
    f: &Found,
    rows: &[usize],
    total: usize,
    owner: &Who,
    period: Period,
    cat: &Catalog,
    res: &mut SheetResult,
) {
    let (Some(&first), Some(&last)) = (rows.first(), rows.last()) else {
        return;
    };
    for (c, role, text) in &f.columns {
        let Role::Item(target @ Target::Metric(_)) = role else {
            continue;
        };
        let unit = unit_of(cat, Some(*target));
        let Ok(Some(stated)) = figure(g.cell(total, *c), unit) else {
            continue;
        };
        // Kept in the item's unit, like the rows (compared below as written).
        let exp = column_unit(g, f, *c, unit).map_or(0, |u| u.0);
        res.values.push(super::Located {
            member_text: owner.0.clone(),
            member_cell: owner.1.clone(),
            period,
            item: Arc::from(text.as_str()),
            target: match role {
                Role::Item(t) => Some(*t),
                _ => None,
            },
            basis: Basis::Month,
            cell: short_ref(total, *c),
            raw: g.cell(total, *c).display(),
            value: Some(if exp == 0 {
                stated
            } else {
                crate::text::scale_by(stated, exp)
            }),
            total: true,
        });
        let sum: f64 = rows
            .iter()
            .filter_map(|&r| figure(g.cell(r, *c), unit).ok().flatten())
            .sum();
        if (stated - sum).abs() > 1e-6 * stated.abs().max(1.0) {
            res.warnings.push(Problem::at(
                cell_ref(total, *c),
                said!(
                    Msg::TotalRowDisagrees,
                    stated = crate::model::fmt_num(stated),
                    item = text,
                    first = cell_ref(first, *c),
                    last = cell_ref(last, *c),
                    sum = crate::model::fmt_num(sum)
                ),
            ));
        }
    }
}

fn tidy(g: &Grid, f: &Found, ctx: &Context, res: &mut SheetResult) {
    let col = |want: Role| {
        f.columns
            .iter()
            .find(|(_, r, _)| *r == want)
            .map(|(c, _, _)| *c)
            .unwrap_or(0)
    };
    let (mc, pc, ic, vc) = (
        col(Role::TidyMember),
        col(Role::TidyPeriod),
        col(Role::TidyItem),
        col(Role::TidyValue),
    );
    let cat = &ctx.consortium.catalog;
    let mut sink = Sink::new(ctx, res);
    let mut unmapped: HashMap<String, String> = HashMap::new();
    for r in f.data_start..g.height {
        let member = g.sheet.get(r, mc).text().map(|s| s.trim().to_string());
        let item = g.sheet.get(r, ic).text().map(|s| s.trim().to_string());
        if member.is_none() && item.is_none() {
            continue;
        }
        let (Some(member), Some(item)) = (member, item) else {
            let (c, what) = if g.sheet.get(r, mc).is_empty() {
                (mc, Msg::RowWithoutMember)
            } else {
                (ic, Msg::RowWithoutItemName)
            };
            sink.res
                .errors
                .push(Problem::at(cell_ref(r, c), said!(what, row = r + 1)));
            continue;
        };
        if is_footer(&member) {
            continue;
        }
        let period = match period_of(g.cell(r, pc)).or(ctx.period_override) {
            Some(p) => p,
            None => {
                sink.res.errors.push(Problem::at(
                    cell_ref(r, pc),
                    said!(Msg::ExpectedMonth, found = g.cell(r, pc).display()),
                ));
                continue;
            }
        };
        let target = cat.lookup(&item);
        if target.is_none() {
            unmapped
                .entry(item.clone())
                .or_insert_with(|| cell_ref(r, ic));
        }
        sink.push(
            &who(&member, &cell_ref(r, mc)),
            period,
            &Arc::from(item.as_str()),
            target,
            Basis::Month,
            short_ref(r, vc),
            g.cell(r, vc),
        );
    }
    let mut unmapped: Vec<_> = unmapped.into_iter().collect();
    unmapped.sort();
    for (item, cell) in unmapped {
        sink.res
            .warnings
            .push(Problem::at(cell, said!(Msg::UnmappedItem, item = item)));
    }
}
