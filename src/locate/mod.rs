//! Stage 2: find the table in a sheet — its layout, header, period and member — and turn it
//! into located values with their cells. No per-file configuration: the layouts of domain.md
//! (docs/layouts.md) are recognised from the header texts.

mod grid;
mod header;
mod layouts;
mod meta;

use crate::catalog::Target;
use crate::config::Consortium;
use crate::i18n::{Msg, Text};
use crate::model::period::Period;
use crate::read::Sheet;
use crate::said;
use serde::Serialize;
use std::sync::Arc;

pub use meta::SheetMeta;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    Vertical,
    Wide,
    Department,
    Tidy,
    /// Months as columns (年度统计表): one member, one year, a column per month.
    Months,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Vertical => "vertical",
            Layout::Wide => "wide",
            Layout::Department => "department",
            Layout::Tidy => "tidy",
            Layout::Months => "months",
        }
    }
}

/// Which figure of an item a value is: this month, or one of the comparison columns members
/// fill in themselves (stored as the `basis` column).
pub use crate::model::Basis;

/// Who a value belongs to: the member name as written (row label, 填报单位, file name...)
/// and where it was found (a cell, `the file name`, ...). Shared by all values of the row or
/// sheet, hence reference-counted.
pub type Who = (Arc<str>, Arc<str>);

/// A value found in a sheet, before the member is resolved to an id.
#[derive(Clone, Debug)]
pub struct Located {
    /// Member name as written (row label, 填报单位, file name...).
    pub member_text: Arc<str>,
    /// Where the member name was found: a cell, `the file name`, ...
    pub member_cell: Arc<str>,
    pub period: Period,
    /// Item text as written (shared by the values of one row or column).
    pub item: Arc<str>,
    pub target: Option<Target>,
    pub basis: Basis,
    /// `C7`, or a range such as `C5:C19` when the value is a sum of department rows.
    pub cell: crate::model::Short,
    pub raw: crate::model::Short,
    /// None: not reported (blank, `-`, `无`).
    pub value: Option<f64>,
    /// A figure of a 合计 row: kept for checks, not a member's own figure.
    pub total: bool,
}

/// A problem with a specific place in a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub cell: Option<String>,
    pub message: Text,
}

impl Problem {
    pub fn at(cell: impl Into<String>, message: impl Into<Text>) -> Problem {
        Problem {
            cell: Some(cell.into()),
            message: message.into(),
        }
    }
    pub fn sheet(message: impl Into<Text>) -> Problem {
        Problem {
            cell: None,
            message: message.into(),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct SheetResult {
    pub layout: Option<Layout>,
    pub values: Vec<Located>,
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
    /// 填报日期 when the sheet states one (YYYY-MM-DD).
    pub submitted_on: Option<String>,
    /// Why a sheet was passed over on purpose (an instruction sheet such as 填报说明).
    pub note: Option<Text>,
    /// The member's own 同比 figures whose prior is not on the form: compared at ingest with
    /// the prior year in the store.
    pub changes: Vec<StatedChange>,
}

/// A year-on-year change (同比%) a member wrote beside a figure, without last year's figure on
/// the form. Never stored; checked against the store's prior year when it is there.
#[derive(Clone, Debug)]
pub struct StatedChange {
    pub member_text: Arc<str>,
    pub period: Period,
    /// Index of the base metric in the catalog.
    pub metric: usize,
    /// `Month` or `Ytd`: the figure the change is of.
    pub basis: Basis,
    pub item: Arc<str>,
    /// The 同比 cell.
    pub cell: String,
    pub stated: f64,
    /// The figure the change is of, and its cell.
    pub current: f64,
    pub current_cell: String,
    /// A rate, whose change may be written in percentage points.
    pub rate: bool,
    /// 12 for 同比 (the same window a year earlier), 1 for 环比 (the previous month).
    pub months_back: i32,
}

/// Half a unit of the last decimal `v` is written with: the rounding a stated figure carries.
pub fn written_tolerance(v: f64) -> f64 {
    let decimals = written_decimals(v);
    0.5 * 10f64.powi(-(decimals as i32)) * (1.0 + 1e-9) + 1e-9
}

/// The decimals of `v` as `{v}` prints it (the shortest text that reads back as `v`), at most
/// six, without printing it (ingest asks this of every stated 同比): the fewest decimals `d`
/// whose rounding of `v` reads back as `v`. Both are exact while `v × 10^d` is an integer
/// below 2^51; beyond that the printed text decides.
fn written_decimals(v: f64) -> usize {
    const EXACT: f64 = (1u64 << 51) as f64;
    if !v.is_finite() {
        return 0;
    }
    let mut scale = 1.0;
    for d in 0..6 {
        if (v * scale).abs() >= EXACT {
            let s = crate::model::short_num(v);
            return s.split_once('.').map(|(_, d)| d.len()).unwrap_or(0).min(6);
        }
        if (v * scale).round() / scale == v {
            return d;
        }
        scale *= 10.0;
    }
    6
}

/// A stated 同比 that matches neither the percentage change of `cur` over `prior` (as
/// written, or as a fraction shown as %) nor, for a rate, its change in points: the expected
/// change, as text. None when they agree or there is no prior to compare with.
pub fn yoy_disagrees(stated: f64, cur: f64, prior: f64, rate: bool) -> Option<Text> {
    if prior == 0.0 {
        return None;
    }
    let pct = (cur - prior) / prior * 100.0;
    let tol = written_tolerance(stated);
    let close = |a: f64, b: f64, t: f64| (a - b).abs() <= t;
    if close(stated, pct, tol)
        || close(stated * 100.0, pct, tol * 100.0)
        || (rate && close(stated, cur - prior, tol))
    {
        return None;
    }
    let pct_text = format!("{pct:.2}");
    Some(if rate {
        said!(
            Msg::ChangeInPoints,
            pct = pct_text,
            points = format!("{:+.2}", cur - prior)
        )
    } else {
        Text::Plain(format!("{pct_text}%"))
    })
}

/// Sheets of instructions, contents or a cover next to the data sheets (填报说明, 目录…).
fn is_instruction_sheet(name: &str) -> bool {
    let k = crate::text::normalize_label(name);
    const NAMES: &[&str] = &[
        "说明",
        "填报说明",
        "填表说明",
        "目录",
        "封面",
        "指标解释",
        "指标说明",
        "使用说明",
        "注意事项",
        "readme",
        "口径说明",
        "编制说明",
        "修订说明",
        "备注",
    ];
    NAMES.iter().any(|n| k == *n || k.starts_with(n)) || k.ends_with("说明")
}

/// Context shared by all sheets of a file.
pub struct Context<'a> {
    pub consortium: &'a Consortium,
    pub file_name: &'a str,
    pub period_override: Option<Period>,
}

/// What a sheet says around its table (填报单位, period, title rows), without locating the
/// table: `yilian init` looks here for a member's name.
pub fn sheet_meta(sheet: &Sheet) -> SheetMeta {
    meta::scan(&grid::Grid::new(sheet))
}

/// Locates the table of one sheet. A sheet with nothing recognisable returns `layout: None`.
pub fn locate_sheet(sheet: &Sheet, ctx: &Context) -> SheetResult {
    if is_instruction_sheet(&sheet.name) {
        return SheetResult {
            note: Some(said!(Msg::InstructionSheet, sheet = sheet.name)),
            ..Default::default()
        };
    }
    let grid = grid::Grid::new(sheet);
    let meta = meta::scan(&grid);
    let Some(found) = header::detect(&grid, &ctx.consortium.catalog) else {
        return SheetResult {
            submitted_on: meta.submitted_on.clone(),
            ..Default::default()
        };
    };
    let mut res = layouts::extract(&grid, &found, &meta, ctx, sheet);
    res.layout = Some(found.layout);
    res.submitted_on = meta.submitted_on;
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decimals counted without printing are those of the printed text, capped at six:
    /// typed figures of every length, figures a sum leaves off by an ulp, fractions that
    /// never end, negatives, huge and tiny values, and a sweep of generated ones.
    #[test]
    fn written_decimals_are_those_printed() {
        let printed = |v: f64| {
            let s = format!("{v}");
            s.split_once('.').map(|(_, d)| d.len()).unwrap_or(0).min(6)
        };
        let mut values = vec![
            0.0,
            -0.0,
            1.0,
            0.1,
            0.3,
            0.1 + 0.2,
            5.71,
            5.7,
            0.0571,
            -2.5,
            12.345678,
            99.999_999_99,
            1.0 / 3.0,
            2.0 / 3.0,
            1e-7,
            123_456.789,
            4_503_599_627_370_495.5,
            1e15 + 0.5,
            1e20,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
        ];
        // A fixed sweep: integers of up to 12 digits over 10^0..10^9, and a little noise.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 1_000_000_000_000) as f64;
            let v = digits / 10f64.powi((x >> 40) as i32 % 10);
            values.push(v);
            values.push(-v);
            values.push(v * (1.0 + f64::EPSILON));
        }
        for v in values {
            assert_eq!(written_decimals(v), printed(v), "{v}");
        }
    }

    #[test]
    fn stated_changes_agree_within_their_written_rounding() {
        // (370 − 350) / 350 = 5.714…%
        for stated in [5.71, 5.7, 6.0, 0.0571] {
            assert_eq!(yoy_disagrees(stated, 370.0, 350.0, false), None, "{stated}");
        }
        assert!(yoy_disagrees(5.8, 370.0, 350.0, false).is_some());
        assert!(yoy_disagrees(5.72, 370.0, 350.0, false).is_some());
        // A rate's change in points is accepted for a rate only.
        assert_eq!(yoy_disagrees(1.15, 85.16, 84.01, true), None);
        assert!(yoy_disagrees(1.15, 85.16, 84.01, false).is_some());
        // No prior to compare with.
        assert_eq!(yoy_disagrees(12.0, 10.0, 0.0, false), None);
    }

    #[test]
    fn instruction_sheets_by_name() {
        for name in [
            "填报说明",
            "说明",
            "目录",
            "封面",
            "指标解释",
            "填表说明（必读）",
            "README",
        ] {
            assert!(is_instruction_sheet(name), "{name}");
        }
        for name in ["市一院", "月报表", "Sheet1", "2025年", "汇总"] {
            assert!(!is_instruction_sheet(name), "{name}");
        }
    }
}
