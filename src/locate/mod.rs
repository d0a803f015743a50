//! Stage 2: find the table in a sheet — its layout, header, period and member — and turn it
//! into located values with their cells. No per-file configuration: the layouts of domain.md
//! (docs/layouts.md) are recognised from the header texts.

mod header;
mod layouts;
mod meta;

use crate::catalog::Target;
use crate::config::Consortium;
use crate::period::Period;
use crate::read::Sheet;
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
/// fill in themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Month,
    PriorYear,
    Ytd,
    PriorYtd,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Month => "month",
            Basis::PriorYear => "prior_year",
            Basis::Ytd => "ytd",
            Basis::PriorYtd => "prior_ytd",
        }
    }
}

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
    pub cell: String,
    pub raw: String,
    /// None: not reported (blank, `-`, `无`).
    pub value: Option<f64>,
    /// A figure of a 合计 row: kept for checks, not a member's own figure.
    pub total: bool,
}

/// A problem with a specific place in a sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub cell: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn at(cell: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            cell: Some(cell.into()),
            message: message.into(),
        }
    }
    pub fn sheet(message: impl Into<String>) -> Problem {
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
    pub note: Option<String>,
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

/// Locates the table of one sheet. A sheet with nothing recognisable returns `layout: None`.
pub fn locate_sheet(sheet: &Sheet, ctx: &Context) -> SheetResult {
    if is_instruction_sheet(&sheet.name) {
        return SheetResult {
            note: Some(format!(
                "sheet `{}` reads as instructions (填报说明/目录/封面): skipped",
                sheet.name
            )),
            ..Default::default()
        };
    }
    let grid = header::Grid::new(sheet);
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
