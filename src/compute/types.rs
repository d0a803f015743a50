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
    /// Operands whose absence from a member's whole history is not knowledge but a hole
    /// (`NeverReported::Unknown`): such a member is not covered.
    pub(super) unknown_if_never: Vec<String>,
}

impl Def {
    /// The reported items the indicator is computed from.
    pub fn operands(&self) -> &[String] {
        &self.operands
    }
    pub fn is_percent(&self) -> bool {
        self.unit == "%"
    }

    /// The reported items in groups that each need a figure for the indicator to mean
    /// anything: the numerator and the denominator of a ratio (its factors apart), all the
    /// items of a sum. A ratio whose numerator no member reported is not 0 but not reported.
    pub fn operand_groups(&self) -> Vec<Vec<String>> {
        use crate::catalog::formula::Op;
        fn groups(ast: &Ast, out: &mut Vec<Vec<String>>) {
            match ast {
                Ast::Bin(Op::Div, a, b) => {
                    groups(a, out);
                    groups(b, out);
                }
                Ast::Bin(Op::Mul, a, b) if matches!(**b, Ast::Num(_)) => groups(a, out),
                Ast::Bin(Op::Mul, a, b) if matches!(**a, Ast::Num(_)) => groups(b, out),
                other => {
                    let mut vars = std::collections::BTreeSet::new();
                    other.vars(&mut vars);
                    // The engine's own operands stand for the items they are made of.
                    let items: std::collections::BTreeSet<String> = vars
                        .into_iter()
                        .flat_map(|v| match v.as_str() {
                            BED_DAYS => {
                                vec!["open_bed_days".to_string(), "open_beds".to_string()]
                            }
                            x if x.starts_with('_') => PRIMARY_PARTS
                                .iter()
                                .filter(|(_, p)| *p == x)
                                .map(|(item, _)| item.to_string())
                                .collect(),
                            _ => vec![v],
                        })
                        .collect();
                    if !items.is_empty() {
                        out.push(items.into_iter().collect());
                    }
                }
            }
        }
        let mut out = Vec::new();
        groups(&self.ast, &mut out);
        out
    }
}

/// One output row: an indicator for an entity and window, with its comparisons.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Record {
    pub period: String,
    /// `Window::as_str`, `Scope::as_str`: words, not a string each (a bureau's month is
    /// 188,000 records).
    pub window: &'static str,
    pub scope: &'static str,
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
    pub prior_source: &'static str,
    /// 目标值 from consortium.toml `[[targets]]`, and whether the value meets it (None when
    /// there is no target or the value is undefined).
    pub target: Option<f64>,
    pub met: Option<bool>,
}

/// Each definition's code and whether higher is better: what colours a change.
pub fn directions(defs: &[Def]) -> std::collections::HashMap<String, crate::catalog::Direction> {
    defs.iter().map(|d| (d.code.clone(), d.direction)).collect()
}

/// Sets `target` and `met` of each record from the consortium's `[[targets]]`.
pub fn apply_targets(records: &mut [Record], consortium: &crate::config::Consortium) {
    use crate::model::Tier;
    // Only the indicators some target names are looked at (a bureau's records are hundreds
    // of thousands; a consortium sets targets for a few indicators, if any).
    let named: std::collections::HashSet<&str> = consortium
        .file
        .targets
        .iter()
        .map(|t| t.indicator.as_str())
        .collect();
    for r in records {
        if !named.contains(r.indicator.as_str()) {
            r.target = None;
            r.met = None;
            continue;
        }
        let period = crate::model::Period::parse_strict(&r.period);
        let (member, tier) = match r.scope {
            "member" => (
                Some(r.entity.as_str()),
                consortium
                    .member(&r.entity)
                    .zip(period)
                    .and_then(|(m, p)| m.tier_at(p)),
            ),
            "tier" => (
                None,
                Tier::ALL.iter().copied().find(|t| t.code() == r.entity),
            ),
            _ => (None, None),
        };
        let found = consortium.target(&r.indicator, r.window, member, tier);
        r.target = found.map(|(t, _)| t);
        r.met = match (found, r.value) {
            (Some((t, Direction::Lower)), Some(v)) => Some(v <= t),
            (Some((t, Direction::Higher)), Some(v)) => Some(v >= t),
            _ => None,
        };
    }
}

pub struct Request {
    pub period: Period,
    pub window: Window,
    pub scopes: Vec<Scope>,
    pub like_for_like: bool,
    pub indicators: Option<Vec<String>>,
}

/// Synthetic operands built inside the engine.
pub(super) const PRIMARY_VISITS: &str = "_primary_visits";
pub(super) const PRIMARY_TOTAL_VISITS: &str = "_primary_total_visits";
/// (reported item, its primary members' part): the synthetic operands of the primary shares.
pub(super) const PRIMARY_PARTS: [(&str, &str); 2] = [
    ("outpatient_visits", PRIMARY_VISITS),
    ("total_visits", PRIMARY_TOTAL_VISITS),
];
pub(super) const BED_DAYS: &str = "_bed_days";
pub(super) const DAYS: &str = "_days";

/// A member-month's state for an item: it sent a value, or left the item blank (a hole).
pub(super) const VALUE: i32 = 1;
pub(super) const MISSING: i32 = 2;
