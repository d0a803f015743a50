//! What the engine is asked and what it answers: windows, scopes, definitions (a base
//! metric or an indicator formula), requests and output records.

use crate::catalog::formula::Ast;
use crate::catalog::Direction;
use crate::model::period::Period;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// 当月: the month itself
    Month,
    /// 1-N月累计: January to the month
    Ytd,
    /// The calendar quarter containing the month, up to the month
    Quarter,
    /// The twelve months ending with the month (近12个月)
    Year,
}

impl Window {
    pub fn as_str(self) -> &'static str {
        match self {
            Window::Month => "month",
            Window::Ytd => "ytd",
            Window::Quarter => "quarter",
            Window::Year => "year",
        }
    }
    pub fn months(self, p: Period) -> Vec<Period> {
        let first = match self {
            Window::Month => p,
            Window::Ytd => Period::new(p.year(), 1).unwrap_or(p),
            Window::Quarter => Period::new(p.year(), (p.month() - 1) / 3 * 3 + 1).unwrap_or(p),
            Window::Year => p.add_months(-11),
        };
        (first.index()..=p.index())
            .map(Period::from_index)
            .collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Member,
    Tier,
    Consortium,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Member => "member",
            Scope::Tier => "tier",
            Scope::Consortium => "consortium",
        }
    }
}

/// A definition evaluated by the engine: a base metric or an indicator formula.
#[derive(Clone, Debug)]
pub struct Def {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub unit: String,
    pub direction: Direction,
    pub(super) ast: Ast,
    pub(super) operands: Vec<String>,
    pub(super) member_scope: bool,
}

impl Def {
    /// The reported items the indicator is computed from.
    pub fn operands(&self) -> &[String] {
        &self.operands
    }
    pub fn is_percent(&self) -> bool {
        self.unit == "%"
    }
}

/// One output row: an indicator for an entity and window, with its comparisons.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Record {
    pub period: String,
    pub window: String,
    pub scope: String,
    pub entity: String,
    pub indicator: String,
    pub value: Option<f64>,
    pub prior_value: Option<f64>,
    pub yoy_pct: Option<f64>,
    pub yoy_pp: Option<f64>,
    pub mom_pct: Option<f64>,
    pub change: Option<f64>,
    pub entity_name: String,
    pub indicator_name: String,
    pub unit: String,
    /// Members of the entity the indicator applies to (they report at least one of its
    /// items), and those whose figures it covers: the difference is the hole.
    pub members: u32,
    pub covered: u32,
    /// Members whose figures the prior (same window a year earlier) covers: a prior covering
    /// fewer members than `covered` makes an all-member change meaningless.
    pub prior_covered: u32,
    /// `member` when the prior value uses figures members wrote in their 去年同月 column.
    pub prior_source: String,
}

pub struct Request {
    pub period: Period,
    pub window: Window,
    pub scopes: Vec<Scope>,
    pub like_for_like: bool,
    pub indicators: Option<Vec<String>>,
}

/// A member-month's state for an item: it sent a value, or left the item blank (a hole).
pub(super) const VALUE: i32 = 1;
pub(super) const MISSING: i32 = 2;
