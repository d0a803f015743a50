//! Stage 6: indicators per member, tier and consortium, for a window, with year-on-year and
//! month-on-month comparisons, computed with polars from the store.
//!
//! The rules (domain.md):
//! - a member's figure for a window combines its months by the metric's `over_time`
//!   (sum / average / last); a metric it has never reported is a service it does not provide
//!   (NEVER: adds nothing); one it reports but left blank in a month of the window is MISSING
//!   for that window (undefined, never 0);
//! - a member counts in tier and consortium totals only for the months it was a member, in
//!   the tier it had then; its own window runs over the same months, so its row and its
//!   tier's agree (its year-earlier comparison covers the same calendar months, from its own
//!   figures, and like-for-like leaves it out unless it was a member as long in both);
//! - every indicator is evaluated on aggregated operands (ratio of sums), over the members
//!   that have all its operands (its coverage); undefined results are null.

pub mod formula;

use crate::catalog::{Direction, OverTime};
use crate::config::{Consortium, Tier};
use crate::period::Period;
use crate::store::{Basis, Filter, Kind, Store};
use anyhow::{Context, Result};
use formula::{Ast, Op};
use polars::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

const VALUE: i32 = 1;
const MISSING: i32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
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
    ast: Ast,
    operands: Vec<String>,
    member_scope: bool,
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

/// Base values: one row per member, month (index), metric, with `mr` set when the value
/// comes from a member's 去年同月 column rather than the store.
pub struct BaseData {
    pub frame: DataFrame,
    pub warnings: Vec<String>,
    /// Months for which some member has figures of its own (not only 去年同月 columns).
    pub months: std::collections::BTreeSet<Period>,
}

impl BaseData {
    /// The values in use from the store, gaps in earlier years filled from 去年同月 columns.
    pub fn from_store(store: &Store) -> Result<BaseData> {
        let values = store.in_use(&Filter::all().kind(Kind::Base).reported())?;
        let mut month: HashMap<(String, i32, String), f64> = HashMap::new();
        let mut prior: Vec<(String, i32, String, f64, String)> = Vec::new();
        for v in values {
            let (Some(x), Some(figure)) = (v.metric, v.value) else {
                continue;
            };
            let t = v.period.index();
            match v.basis {
                Basis::Month => {
                    month.insert((v.member, t, x), figure);
                }
                Basis::PriorYear => prior.push((
                    v.member,
                    t - 12,
                    x,
                    figure,
                    format!("{} {}", v.source_file, v.cell),
                )),
                Basis::Ytd | Basis::PriorYtd => {}
            }
        }
        let mut warnings = Vec::new();
        let mut rows: Vec<(String, i32, String, f64, bool)> = month
            .iter()
            .map(|((m, t, x), v)| (m.clone(), *t, x.clone(), *v, false))
            .collect();
        for (m, t, x, v, place) in prior {
            match month.get(&(m.clone(), t, x.clone())) {
                Some(stored) if (stored - v).abs() > 1e-9 * stored.abs().max(1.0) => warnings.push(format!(
                    "{m} {}: `{x}` is {} in the store but {} in the 去年同月 column ({place}); the store's figure is used",
                    Period::from_index(t),
                    crate::output::fmt_num(*stored),
                    crate::output::fmt_num(v)
                )),
                Some(_) => {}
                None => rows.push((m, t, x, v, true)),
            }
        }
        // A value may be written in several later forms; keep one per key.
        rows.sort_by(|a, b| (&a.0, a.1, &a.2, a.4).cmp(&(&b.0, b.1, &b.2, b.4)));
        rows.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1 && a.2 == b.2);
        let months = month.keys().map(|k| Period::from_index(k.1)).collect();
        Ok(BaseData {
            frame: base_frame(rows)?,
            warnings,
            months,
        })
    }
}

impl BaseData {
    /// The month to report on: the one asked for, else the latest month in the store. A month
    /// no member has figures for is an error naming the months the store holds: a report
    /// built from nothing (or from 去年同月 columns alone) would look like data.
    pub fn resolve_period(&self, asked: Option<Period>) -> Result<Period> {
        let Some(&last) = self.months.last() else {
            anyhow::bail!("the store holds no figures yet; run `yilian ingest` first")
        };
        match asked {
            None => Ok(last),
            Some(p) if self.months.contains(&p) => Ok(p),
            Some(p) => anyhow::bail!(
                "no member has figures for {p} in the store; it holds {}",
                month_ranges(&self.months)
            ),
        }
    }
}

/// `2024-01 to 2025-06, 2025-08 to 2025-12 (23 months)`: runs of consecutive months.
pub fn month_ranges(months: &std::collections::BTreeSet<Period>) -> String {
    let mut runs: Vec<(Period, Period)> = Vec::new();
    for &p in months {
        match runs.last_mut() {
            Some((_, end)) if end.add_months(1) == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    let text: Vec<String> = runs
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a} to {b}")
            }
        })
        .collect();
    let n = months.len();
    format!(
        "{} ({n} month{})",
        text.join(", "),
        if n == 1 { "" } else { "s" }
    )
}

pub fn base_frame(rows: Vec<(String, i32, String, f64, bool)>) -> Result<DataFrame> {
    let n = rows.len();
    let mut m = Vec::with_capacity(n);
    let mut t = Vec::with_capacity(n);
    let mut x = Vec::with_capacity(n);
    let mut v = Vec::with_capacity(n);
    let mut mr = Vec::with_capacity(n);
    for r in rows {
        m.push(r.0);
        t.push(r.1);
        x.push(r.2);
        v.push(r.3);
        mr.push(r.4 as i32);
    }
    Ok(DataFrame::new(vec![
        Column::new("member".into(), m),
        Column::new("t".into(), t),
        Column::new("metric".into(), x),
        Column::new("value".into(), v),
        Column::new("mr".into(), mr),
    ])?)
}

pub struct Engine<'a> {
    consortium: &'a Consortium,
    /// Base values keyed by integers (member index `m`, month `t`, metric index `x`):
    /// joins and group_bys on integers are several times faster than on strings.
    base: DataFrame,
    /// (m, x) pairs a member has ever reported: the others are services it does not provide.
    ever: DataFrame,
    /// Metric codes by index; the last one is the synthetic primary-visits operand.
    codes: Vec<String>,
    /// Member-scope states per window (first month, last month, months, shift: see
    /// `slots`), reused by the tier and consortium scopes.
    states_cache: std::sync::Mutex<HashMap<StatesKey, (DataFrame, DataFrame)>>,
    pub defs: Vec<Def>,
}

/// (first month, last month, number of months, shift) of a window's member states.
type StatesKey = (i32, i32, usize, i32);

/// Synthetic operands built inside the engine.
const PRIMARY_VISITS: &str = "_primary_visits";
const BED_DAYS: &str = "_bed_days";
const DAYS: &str = "_days";

impl<'a> Engine<'a> {
    pub fn new(consortium: &'a Consortium, base: DataFrame) -> Result<Engine<'a>> {
        let cat = &consortium.catalog;
        let mut defs = Vec::new();
        for m in &cat.metrics {
            defs.push(Def {
                code: m.code.clone(),
                name: m.name.clone(),
                name_en: m.name_en.clone(),
                unit: m.unit.clone(),
                direction: m.direction,
                ast: Ast::Var(m.code.clone()),
                operands: vec![m.code.clone()],
                member_scope: true,
            });
        }
        let primary = formula::parse(&format!("{PRIMARY_VISITS} / outpatient_visits * 100"))
            .map_err(anyhow::Error::from)?;
        let avg_beds = Ast::Bin(
            Op::Div,
            Box::new(Ast::Var(BED_DAYS.into())),
            Box::new(Ast::Var(DAYS.into())),
        );
        for ind in &cat.indicators {
            let mut ast = formula::resolve(&ind.expr, cat)
                .with_context(|| format!("indicator `{}`", ind.code))?;
            ast = replace(ast, "primary_visit_share", &primary);
            ast = replace(ast, "avg_open_beds", &avg_beds);
            let mut vars = BTreeSet::new();
            ast.vars(&mut vars);
            vars.remove(DAYS);
            defs.push(Def {
                code: ind.code.clone(),
                name: ind.name.clone(),
                name_en: ind.name_en.clone(),
                unit: ind.unit.clone(),
                direction: ind.direction,
                member_scope: !vars.contains(PRIMARY_VISITS),
                operands: vars.into_iter().collect(),
                ast,
            });
        }
        let mut codes: Vec<String> = cat.metrics.iter().map(|m| m.code.clone()).collect();
        codes.push(PRIMARY_VISITS.into());
        let base = index_base(&base, consortium, &codes)?;
        let ever = base
            .clone()
            .lazy()
            .select([col("m"), col("x")])
            .unique(None, UniqueKeepStrategy::First)
            .collect()?;
        Ok(Engine {
            consortium,
            base,
            ever,
            codes,
            defs,
            states_cache: Default::default(),
        })
    }

    fn code_ix(&self, code: &str) -> u32 {
        self.codes.iter().position(|c| c == code).unwrap_or(0) as u32
    }

    fn over_time_frame(&self) -> Result<DataFrame> {
        let cat = &self.consortium.catalog;
        let mut ot: Vec<i32> = cat.metrics.iter().map(|m| ot_code(m.over_time)).collect();
        ot.push(ot_code(OverTime::Sum)); // primary visits add up like visits
        let x: Vec<u32> = (0..ot.len() as u32).collect();
        Ok(DataFrame::new(vec![
            Column::new("x".into(), x),
            Column::new("ot".into(), ot),
        ])?)
    }

    /// Which entity each member-month counts in, for a scope and months, and the entities'
    /// codes (index = `e`).
    ///
    /// A member's own window runs over the months it was a member, like its share of the
    /// tier and consortium. `shift` serves the comparisons: the prior window (`shift` 12)
    /// covers the months that were member months `shift` months later, so a member that
    /// joined in July is compared July–December against its own July–December a year
    /// earlier (figures it may have sent on joining), never against a whole year.
    fn slots(
        &self,
        months: &[Period],
        scope: Scope,
        only: Option<&[bool]>,
        shift: i32,
    ) -> Result<(DataFrame, Vec<String>)> {
        let (mut e, mut m, mut t, mut primary, mut days) = (vec![], vec![], vec![], vec![], vec![]);
        let names: Vec<String> = match scope {
            Scope::Member => self
                .consortium
                .members()
                .iter()
                .map(|m| m.id.clone())
                .collect(),
            Scope::Tier => Tier::ALL.iter().map(|t| t.code().to_string()).collect(),
            Scope::Consortium => vec!["consortium".to_string()],
        };
        for (mi, mem) in self.consortium.members().iter().enumerate() {
            if only.is_some_and(|o| !o.get(mi).copied().unwrap_or(false)) {
                continue;
            }
            for &p in months {
                let tier = mem.tier_at(p);
                let entity = match scope {
                    Scope::Member if !mem.is_member_at(p.add_months(shift)) => continue,
                    Scope::Member => mi,
                    _ if !mem.is_member_at(p) => continue,
                    Scope::Tier => {
                        match tier.and_then(|tr| Tier::ALL.iter().position(|x| *x == tr)) {
                            Some(i) => i,
                            None => continue,
                        }
                    }
                    Scope::Consortium => 0,
                };
                e.push(entity as u32);
                m.push(mi as u32);
                t.push(p.index());
                primary.push(matches!(tier, Some(Tier::Primary | Tier::Village)));
                days.push(p.days() as i64);
            }
        }
        let df = DataFrame::new(vec![
            Column::new("e".into(), e),
            Column::new("m".into(), m),
            Column::new("t".into(), t),
            Column::new("primary".into(), primary),
            Column::new("days".into(), days),
        ])?;
        Ok((df, names))
    }

    /// Per (entity, member): each operand's window value and state, one column set each; and
    /// the number of members per entity.
    ///
    /// A member that belonged to the consortium in one tier for the whole window has the
    /// same figures in its tier and in the consortium as on its own, so those rows are
    /// reused from the member scope (computed once per window); only members that joined,
    /// left or changed tier inside the window are computed for the scope itself.
    /// `shift` applies to the member scope only (see `slots`); the tier and consortium reuse
    /// the member rows of the window itself.
    fn member_states(
        &self,
        months: &[Period],
        scope: Scope,
        shift: i32,
    ) -> Result<(DataFrame, DataFrame)> {
        let shift = if scope == Scope::Member { shift } else { 0 };
        let key = (
            months.first().map(|p| p.index()).unwrap_or(0),
            months.last().map(|p| p.index()).unwrap_or(0),
            months.len(),
            shift,
        );
        let own = {
            let cached = self
                .states_cache
                .lock()
                .map_err(|_| anyhow::anyhow!("state cache poisoned"))?
                .get(&key)
                .cloned();
            match cached {
                Some(s) => s,
                None => {
                    let s = self.compute_states(months, Scope::Member, None, shift)?;
                    if let Ok(mut c) = self.states_cache.lock() {
                        c.insert(key, s.clone());
                    }
                    s
                }
            }
        };
        if scope == Scope::Member {
            return Ok(own);
        }
        let members = self.consortium.members();
        let entity_of = |m: &crate::config::Member| -> Option<String> {
            let tiers: BTreeSet<Option<Tier>> = months.iter().map(|p| m.tier_at(*p)).collect();
            let whole = months.iter().all(|p| m.is_member_at(*p));
            match (whole, tiers.len(), scope) {
                (true, 1, Scope::Consortium) => Some("consortium".into()),
                (true, 1, Scope::Tier) => m.tier_at(months[0]).map(|t| t.code().to_string()),
                _ => None,
            }
        };
        let uniform: Vec<Option<String>> = members.iter().map(entity_of).collect();
        let mapping = DataFrame::new(vec![
            Column::new(
                "member".into(),
                members
                    .iter()
                    .zip(&uniform)
                    .filter(|(_, e)| e.is_some())
                    .map(|(m, _)| m.id.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "new_entity".into(),
                uniform
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            ),
        ])?;
        let order: Vec<Expr> = own
            .0
            .get_column_names()
            .iter()
            .map(|n| col(n.as_str()))
            .collect();
        let reused = own
            .0
            .clone()
            .lazy()
            .join(
                mapping.lazy(),
                [col("member")],
                [col("member")],
                JoinArgs::new(JoinType::Inner),
            )
            .with_columns([col("new_entity").alias("entity")])
            .select(order);
        let irregular: Vec<bool> = uniform.iter().map(Option::is_none).collect();
        let (rest, rest_members) = self.compute_states(months, scope, Some(&irregular), 0)?;
        let wide = concat([reused, rest.lazy()], UnionArgs::default())?.collect()?;
        // Members per entity: the reused ones plus the others.
        let mut counts: HashMap<String, u32> = HashMap::new();
        for e in uniform.iter().flatten() {
            *counts.entry(e.clone()).or_default() += 1;
        }
        let (re, rn) = (
            rest_members.column("entity")?.str()?,
            rest_members.column("members")?.cast(&DataType::UInt32)?,
        );
        let rn = rn.u32()?;
        for i in 0..rest_members.height() {
            if let (Some(e), Some(n)) = (re.get(i), rn.get(i)) {
                *counts.entry(e.to_string()).or_default() += n;
            }
        }
        let mut counts: Vec<(String, u32)> = counts.into_iter().collect();
        counts.sort();
        let members = DataFrame::new(vec![
            Column::new(
                "entity".into(),
                counts.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "members".into(),
                counts.iter().map(|c| c.1).collect::<Vec<_>>(),
            ),
        ])?;
        Ok((wide, members))
    }

    /// The states of `member_states`, computed from the member-months themselves.
    fn compute_states(
        &self,
        months: &[Period],
        scope: Scope,
        only: Option<&[bool]>,
        shift: i32,
    ) -> Result<(DataFrame, DataFrame)> {
        let (slots, names) = self.slots(months, scope, only, shift)?;
        let slots = slots.lazy();
        let slot_agg = slots.clone().group_by([col("e"), col("m")]).agg([
            len().alias("n_slots"),
            col("days").sum().alias("days"),
            col("t").max().alias("t_max"),
        ]);
        // Only the window's months take part in the join (the base holds every month).
        let (lo, hi) = (
            months.iter().map(|p| p.index()).min().unwrap_or(0),
            months.iter().map(|p| p.index()).max().unwrap_or(0),
        );
        let base = self
            .base
            .clone()
            .lazy()
            .filter(col("t").gt_eq(lit(lo)).and(col("t").lt_eq(lit(hi))));
        let joined = slots.join(
            base,
            [col("m"), col("t")],
            [col("m"), col("t")],
            JoinArgs::new(JoinType::Inner),
        );
        let (outpatient, primary_ix) = (
            self.code_ix("outpatient_visits"),
            self.code_ix(PRIMARY_VISITS),
        );
        let primary = joined
            .clone()
            .filter(col("x").eq(lit(outpatient)))
            .with_columns([
                lit(primary_ix).cast(DataType::UInt32).alias("x"),
                when(col("primary"))
                    .then(col("value"))
                    .otherwise(lit(0.0))
                    .alias("value"),
            ]);
        // Sorted by month, so `last()` in each group is the latest month (groups keep row order).
        let joined = concat([joined, primary], UnionArgs::default())?
            .sort(["t"], SortMultipleOptions::default());
        let agg = joined.group_by([col("e"), col("m"), col("x")]).agg([
            col("value").sum().alias("sum"),
            col("value").mean().alias("mean"),
            col("value").count().alias("n_val"),
            col("value").last().alias("last"),
            col("t").max().alias("t_last"),
            col("mr").max().alias("mr"),
        ]);
        let ever = concat(
            [
                self.ever.clone().lazy(),
                self.ever
                    .clone()
                    .lazy()
                    .filter(col("x").eq(lit(outpatient)))
                    .with_columns([lit(primary_ix).cast(DataType::UInt32).alias("x")]),
            ],
            UnionArgs::default(),
        )?;
        let states = slot_agg
            .clone()
            .join(ever, [col("m")], [col("m")], JoinArgs::new(JoinType::Inner))
            .join(
                self.over_time_frame()?.lazy(),
                [col("x")],
                [col("x")],
                JoinArgs::new(JoinType::Inner),
            )
            .join(
                agg,
                [col("e"), col("m"), col("x")],
                [col("e"), col("m"), col("x")],
                JoinArgs::new(JoinType::Left),
            )
            .select([
                col("e"),
                col("m"),
                col("x"),
                when(col("ot").eq(lit(OT_SUM)))
                    .then(col("sum"))
                    .when(col("ot").eq(lit(OT_AVERAGE)))
                    .then(col("mean"))
                    .otherwise(col("last"))
                    .alias("v"),
                when(col("ot").eq(lit(OT_LAST)))
                    .then(
                        when(col("t_last").eq(col("t_max")))
                            .then(lit(VALUE))
                            .otherwise(lit(MISSING)),
                    )
                    .otherwise(
                        when(
                            col("n_val")
                                .cast(DataType::UInt32)
                                .eq(col("n_slots").cast(DataType::UInt32)),
                        )
                        .then(lit(VALUE))
                        .otherwise(lit(MISSING)),
                    )
                    .alias("st"),
                col("mr"),
            ]);
        // Wide: one row per (entity, member), a value/state/flag column per operand. The
        // reshape is a plain scatter into column vectors (polars has no pivot without a
        // heavy feature).
        let slot_agg = slot_agg.collect()?;
        let states = states.collect()?;
        let wide = pivot_states(&slot_agg, &states, &self.codes, &names, self.consortium)?
            .lazy()
            .with_columns(bed_days_exprs());
        let members = slot_agg
            .lazy()
            .group_by([col("e")])
            .agg([len().alias("members")])
            .collect()?;
        let entity: Vec<String> = members
            .column("e")?
            .u32()?
            .into_iter()
            .map(|e| {
                names
                    .get(e.unwrap_or(0) as usize)
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let members = DataFrame::new(vec![
            Column::new("entity".into(), entity),
            members.column("members")?.clone(),
        ])?;
        Ok((wide.collect()?, members))
    }

    /// Evaluates every requested definition for one window and scope, all definitions in
    /// one polars query (a select for members, one group_by for tiers and the consortium).
    /// `shift`: see `slots` (0 for a window itself, 12 for its year-earlier comparison).
    fn evaluate(
        &self,
        months: &[Period],
        scope: Scope,
        defs: &[&Def],
        lfl_with: Option<&[Period]>,
        shift: i32,
    ) -> Result<Cells> {
        let days: i64 = months.iter().map(|p| p.days() as i64).sum();
        let t0 = std::time::Instant::now();
        let (wide, members) = self.member_states(months, scope, shift)?;
        log::debug!(
            "member_states {:?} {} months {:.3}s",
            scope,
            months.len(),
            t0.elapsed().as_secs_f64()
        );
        let all_defs = defs.len();
        // Positions in `defs` of the definitions evaluated at this scope.
        let positions: Vec<usize> = (0..defs.len())
            .filter(|&i| scope != Scope::Member || defs[i].member_scope)
            .collect();
        let defs: Vec<&Def> = positions.iter().map(|&i| defs[i]).collect();
        let mut out = HashMap::new();
        let mut entities: Vec<String> = members
            .column("entity")?
            .str()?
            .into_iter()
            .flatten()
            .map(str::to_string)
            .collect();
        if scope == Scope::Member {
            // A member with no member month in the window still has its (empty) row.
            entities = self
                .consortium
                .members()
                .iter()
                .map(|m| m.id.clone())
                .collect();
        }
        let frame = if scope == Scope::Member {
            let mut exprs = vec![col("entity")];
            for (i, def) in defs.iter().enumerate() {
                let f = DefExprs::new(def);
                let leaf = |x: &str| -> Expr {
                    if x == DAYS {
                        // The member's own months: fewer than the window's if it joined or
                        // left inside it.
                        return col("slot_days").cast(DataType::Float64);
                    }
                    when(col(format!("{x}__st")).is_null())
                        .then(lit(0.0))
                        .otherwise(col(x).cast(DataType::Float64))
                };
                exprs.push(
                    when(f.covered.clone())
                        .then(to_expr(&def.ast, &leaf))
                        .otherwise(lit(NULL))
                        .cast(DataType::Float64)
                        .alias(format!("v{i}")),
                );
                exprs.push(
                    f.covered
                        .clone()
                        .cast(DataType::UInt32)
                        .alias(format!("c{i}")),
                );
                exprs.push(f.applicable.cast(DataType::UInt32).alias(format!("a{i}")));
                exprs.push(
                    f.covered
                        .and(f.mr_any)
                        .cast(DataType::Int32)
                        .alias(format!("m{i}")),
                );
            }
            wide.lazy().select(exprs).collect()?
        } else {
            let mut lf = wide.lazy();
            if let Some(other_months) = lfl_with {
                // Like-for-like: a member counts only if it is covered in both windows, in the
                // same entity; its flags from the other window are joined in per definition.
                let (other, _) = self.member_states(other_months, scope, 0)?;
                let flags: Vec<Expr> = [
                    col("entity"),
                    col("member"),
                    col("slot_months").alias("o_months"),
                ]
                .into_iter()
                .chain(
                    defs.iter()
                        .enumerate()
                        .map(|(i, d)| DefExprs::new(d).covered.alias(format!("o{i}"))),
                )
                .collect();
                let other = other.lazy().select(flags);
                lf = lf.join(
                    other,
                    [col("entity"), col("member")],
                    [col("entity"), col("member")],
                    JoinArgs::new(JoinType::Left),
                );
            }
            let mut aggs = Vec::new();
            let mut finals = vec![col("entity")];
            for (i, def) in defs.iter().enumerate() {
                let f = DefExprs::new(def);
                // Like-for-like also needs as many member months in both windows: a member
                // that joined or left inside one of them is not comparable.
                let cov = if lfl_with.is_some() {
                    f.covered
                        .clone()
                        .and(col(format!("o{i}")).fill_null(lit(false)))
                        .and(col("slot_months").eq(col("o_months")).fill_null(lit(false)))
                } else {
                    f.covered.clone()
                };
                aggs.push(
                    cov.clone()
                        .cast(DataType::UInt32)
                        .sum()
                        .alias(format!("c{i}")),
                );
                aggs.push(
                    f.applicable
                        .cast(DataType::UInt32)
                        .sum()
                        .alias(format!("a{i}")),
                );
                aggs.push(
                    cov.clone()
                        .and(f.mr_any)
                        .cast(DataType::Int32)
                        .max()
                        .alias(format!("m{i}")),
                );
                for x in &def.operands {
                    let has = cov.clone().and(col(format!("{x}__st")).eq(lit(VALUE)));
                    aggs.push(
                        when(has.clone())
                            .then(col(x.as_str()).cast(DataType::Float64))
                            .otherwise(lit(0.0))
                            .sum()
                            .alias(format!("s{i}_{x}")),
                    );
                    aggs.push(has.cast(DataType::Int32).max().alias(format!("h{i}_{x}")));
                }
                let leaf = |x: &str| -> Expr {
                    if x == DAYS {
                        return lit(days as f64);
                    }
                    col(format!("s{i}_{x}"))
                };
                // No covered member has any operand: undefined (not a sum of nothing).
                let none = all_of(
                    def.operands
                        .iter()
                        .map(|x| col(format!("h{i}_{x}")).fill_null(lit(0)).neq(lit(1))),
                );
                finals.push(
                    when(none)
                        .then(lit(NULL))
                        .otherwise(to_expr(&def.ast, &leaf))
                        .cast(DataType::Float64)
                        .alias(format!("v{i}")),
                );
                finals.extend([
                    col(format!("c{i}")),
                    col(format!("a{i}")),
                    col(format!("m{i}")),
                ]);
            }
            lf.group_by([col("entity")])
                .agg(aggs)
                .select(finals)
                .collect()?
        };
        let e = frame.column("entity")?.str()?;
        // Every entity exists, with empty cells where no member was covered.
        for entity in &entities {
            out.insert(entity.clone(), vec![None; all_defs]);
        }
        for (i, _) in defs.iter().enumerate() {
            let v = frame.column(&format!("v{i}"))?.f64()?;
            let c = frame.column(&format!("c{i}"))?.cast(&DataType::UInt32)?;
            let c = c.u32()?;
            let a = frame.column(&format!("a{i}"))?.cast(&DataType::UInt32)?;
            let a = a.u32()?;
            let m = frame.column(&format!("m{i}"))?.cast(&DataType::Int32)?;
            let m = m.i32()?;
            for r in 0..frame.height() {
                let Some(entity) = e.get(r) else { continue };
                let row = out
                    .entry(entity.to_string())
                    .or_insert_with(|| vec![None; all_defs]);
                row[positions[i]] = Some(Cell {
                    value: v.get(r).filter(|x| x.is_finite()),
                    covered: c.get(r).unwrap_or(0),
                    members: a.get(r).unwrap_or(0),
                    member_reported: m.get(r) == Some(1),
                });
            }
        }
        for row in out.values_mut() {
            for &p in &positions {
                row[p].get_or_insert(Cell {
                    value: None,
                    covered: 0,
                    members: 0,
                    member_reported: false,
                });
            }
        }
        Ok(out)
    }

    fn select_defs(&self, wanted: &Option<Vec<String>>) -> Result<Vec<&Def>> {
        match wanted {
            None => Ok(self.defs.iter().collect()),
            Some(codes) => codes
                .iter()
                .map(|c| {
                    self.defs.iter().find(|d| &d.code == c).ok_or_else(|| {
                        anyhow::anyhow!("unknown indicator `{c}`; `yilian catalog` lists the codes")
                    })
                })
                .collect(),
        }
    }

    /// All requested records for a period and window.
    pub fn run(&self, req: &Request) -> Result<Vec<Record>> {
        let defs = self.select_defs(&req.indicators)?;
        let cur = req.window.months(req.period);
        let prior: Vec<Period> = cur.iter().map(|p| p.add_months(-12)).collect();
        let prev = (req.window == Window::Month).then(|| vec![req.period.add_months(-1)]);
        let mut records = Vec::new();
        for &scope in &req.scopes {
            let lfl = req.like_for_like && scope != Scope::Member;
            let c = self.evaluate(&cur, scope, &defs, lfl.then_some(prior.as_slice()), 0)?;
            let p = self.evaluate(&prior, scope, &defs, lfl.then_some(cur.as_slice()), 12)?;
            let m = match &prev {
                Some(months) => {
                    Some(self.evaluate(months, scope, &defs, lfl.then_some(cur.as_slice()), 1)?)
                }
                None => None,
            };
            records.extend(self.records(
                req.period,
                req.window.as_str(),
                scope,
                &defs,
                &c,
                &p,
                m.as_ref(),
            ));
        }
        Ok(records)
    }

    /// 托管前后对比: a member's twelve months from its `joined` month against the twelve before.
    pub fn since_joined(
        &self,
        member: &str,
        indicators: &Option<Vec<String>>,
    ) -> Result<Vec<Record>> {
        let m = self
            .consortium
            .member(member)
            .or_else(|| self.consortium.find_member(member))
            .ok_or_else(|| anyhow::anyhow!("unknown member `{member}`"))?;
        let defs = self.select_defs(indicators)?;
        let after: Vec<Period> = (0..12).map(|i| m.joined.add_months(i)).collect();
        let before: Vec<Period> = (1..=12).rev().map(|i| m.joined.add_months(-i)).collect();
        // The months before joining were no member months: they are the member's own figures
        // over the months matching its member months after joining (shift 12).
        let a = self.evaluate(&after, Scope::Member, &defs, None, 0)?;
        let b = self.evaluate(&before, Scope::Member, &defs, None, 12)?;
        let last = after[11];
        let recs = self.records(last, "since_joined", Scope::Member, &defs, &a, &b, None);
        Ok(recs.into_iter().filter(|r| r.entity == m.id).collect())
    }

    #[allow(clippy::too_many_arguments)]
    fn records(
        &self,
        period: Period,
        window: &str,
        scope: Scope,
        defs: &[&Def],
        cur: &Cells,
        prior: &Cells,
        prev: Option<&Cells>,
    ) -> Vec<Record> {
        let mut out = Vec::new();
        let cell = |cells: &Cells, entity: &str, i: usize| cells.get(entity).and_then(|row| row[i]);
        let period_text = period.to_string();
        for entity in self.entities(scope) {
            for (i, def) in defs.iter().enumerate() {
                let Some(c) = cell(cur, &entity.0, i) else {
                    continue;
                };
                let p = cell(prior, &entity.0, i);
                let value = c.value;
                let prior_value = p.and_then(|p| p.value);
                let prev_value = prev
                    .and_then(|m| cell(m, &entity.0, i))
                    .and_then(|x| x.value);
                out.push(Record {
                    period: period_text.clone(),
                    window: window.to_string(),
                    scope: scope.as_str().to_string(),
                    entity: entity.0.clone(),
                    indicator: def.code.clone(),
                    value,
                    prior_value,
                    yoy_pct: pct_change(value, prior_value),
                    yoy_pp: if def.is_percent() {
                        diff(value, prior_value)
                    } else {
                        None
                    },
                    mom_pct: pct_change(value, prev_value),
                    change: diff(value, prior_value),
                    entity_name: entity.1.clone(),
                    indicator_name: def.name.clone(),
                    unit: def.unit.clone(),
                    members: c.members,
                    covered: c.covered,
                    prior_covered: p.map_or(0, |p| p.covered),
                    prior_source: if p.is_some_and(|p| p.member_reported && p.value.is_some()) {
                        "member".into()
                    } else {
                        "store".into()
                    },
                });
            }
        }
        out
    }

    fn entities(&self, scope: Scope) -> Vec<(String, String)> {
        match scope {
            Scope::Member => self
                .consortium
                .members()
                .iter()
                .map(|m| (m.id.clone(), m.name.clone()))
                .collect(),
            Scope::Tier => Tier::ALL
                .iter()
                .map(|t| (t.code().to_string(), t.name_zh().to_string()))
                .collect(),
            Scope::Consortium => vec![(
                "consortium".into(),
                if self.consortium.file.name.is_empty() {
                    "医联体".into()
                } else {
                    self.consortium.file.name.clone()
                },
            )],
        }
    }
}

/// Per-member flags of a definition, as polars expressions over the wide frame.
struct DefExprs {
    /// Every operand known (reported, or a service never provided) and at least one reported.
    covered: Expr,
    /// Not every operand a service the member never provides.
    applicable: Expr,
    /// Some operand came from a member's 去年同月 column.
    mr_any: Expr,
}

impl DefExprs {
    fn new(def: &Def) -> DefExprs {
        let ops = &def.operands;
        let missing_any = any_of(ops.iter().map(|x| col(format!("{x}__st")).eq(lit(MISSING))));
        let all_never = all_of(ops.iter().map(|x| col(format!("{x}__st")).is_null()));
        DefExprs {
            covered: missing_any.not().and(all_never.clone().not()),
            applicable: all_never.not(),
            mr_any: any_of(ops.iter().map(|x| col(format!("{x}__mr")).eq(lit(1)))),
        }
    }
}

/// Evaluation results: per entity code, one cell per definition (None where the
/// definition does not apply at that scope).
type Cells = HashMap<String, Vec<Option<Cell>>>;

#[derive(Clone, Copy, Debug)]
struct Cell {
    value: Option<f64>,
    covered: u32,
    members: u32,
    member_reported: bool,
}

/// Scatters long (e, m, x, v, st, mr) rows into one row per (entity, member) of `slots`
/// with columns `x`, `x__st`, `x__mr` per metric code.
fn pivot_states(
    slots: &DataFrame,
    states: &DataFrame,
    codes: &[String],
    names: &[String],
    c: &Consortium,
) -> Result<DataFrame> {
    let se = slots.column("e")?.u32()?;
    let sm = slots.column("m")?.u32()?;
    let sd = slots.column("days")?.cast(&DataType::Int64)?;
    let sd = sd.i64()?;
    let sn = slots.column("n_slots")?.cast(&DataType::UInt32)?;
    let sn = sn.u32()?;
    let mut months: Vec<u32> = Vec::with_capacity(slots.height());
    let n = slots.height();
    let mut index: HashMap<(u32, u32), usize> = HashMap::with_capacity(n);
    let (mut ent, mut mem, mut days) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for i in 0..n {
        let (Some(e), Some(m)) = (se.get(i), sm.get(i)) else {
            continue;
        };
        index.insert((e, m), ent.len());
        ent.push(names.get(e as usize).map(String::as_str).unwrap_or(""));
        mem.push(
            c.members()
                .get(m as usize)
                .map(|m| m.id.as_str())
                .unwrap_or(""),
        );
        days.push(sd.get(i).unwrap_or(0));
        months.push(sn.get(i).unwrap_or(0));
    }
    let rows = ent.len();
    let mut v: Vec<Vec<Option<f64>>> = vec![vec![None; rows]; codes.len()];
    let mut st: Vec<Vec<Option<i32>>> = vec![vec![None; rows]; codes.len()];
    let mut mr: Vec<Vec<Option<i32>>> = vec![vec![None; rows]; codes.len()];
    let (e, m, x) = (
        states.column("e")?.u32()?,
        states.column("m")?.u32()?,
        states.column("x")?.u32()?,
    );
    let sv = states.column("v")?.cast(&DataType::Float64)?;
    let sv = sv.f64()?;
    let ss = states.column("st")?.cast(&DataType::Int32)?;
    let ss = ss.i32()?;
    let sr = states.column("mr")?.cast(&DataType::Int32)?;
    let sr = sr.i32()?;
    for i in 0..states.height() {
        let (Some(e), Some(m), Some(x)) = (e.get(i), m.get(i), x.get(i)) else {
            continue;
        };
        let (Some(&r), true) = (index.get(&(e, m)), (x as usize) < codes.len()) else {
            continue;
        };
        v[x as usize][r] = sv.get(i);
        st[x as usize][r] = ss.get(i);
        mr[x as usize][r] = sr.get(i);
    }
    let mut cols = vec![
        Column::new("entity".into(), ent),
        Column::new("member".into(), mem),
        Column::new("slot_days".into(), days),
        Column::new("slot_months".into(), months),
    ];
    for (c, code) in codes.iter().enumerate() {
        cols.push(Column::new(code.as_str().into(), std::mem::take(&mut v[c])));
        cols.push(Column::new(
            format!("{code}__st").into(),
            std::mem::take(&mut st[c]),
        ));
        cols.push(Column::new(
            format!("{code}__mr").into(),
            std::mem::take(&mut mr[c]),
        ));
    }
    Ok(DataFrame::new(cols)?)
}

const OT_SUM: i32 = 0;
const OT_AVERAGE: i32 = 1;
const OT_LAST: i32 = 2;

fn ot_code(o: OverTime) -> i32 {
    match o {
        OverTime::Sum => OT_SUM,
        OverTime::Average => OT_AVERAGE,
        OverTime::Last => OT_LAST,
    }
}

/// The base frame (member id, t, metric code, value, mr) keyed by member and metric indices.
/// Values of members or metrics the consortium file no longer knows are left out.
fn index_base(base: &DataFrame, c: &Consortium, codes: &[String]) -> Result<DataFrame> {
    let member_ix: HashMap<&str, u32> = c
        .members()
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i as u32))
        .collect();
    let code_ix: HashMap<&str, u32> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let (bm, bx) = (base.column("member")?.str()?, base.column("metric")?.str()?);
    let bt = base.column("t")?.i32()?;
    let bv = base.column("value")?.f64()?;
    let br = base.column("mr")?.i32()?;
    let (mut m, mut t, mut x, mut v, mut r) = (vec![], vec![], vec![], vec![], vec![]);
    for i in 0..base.height() {
        let (Some(mi), Some(xi)) = (
            bm.get(i).and_then(|s| member_ix.get(s)),
            bx.get(i).and_then(|s| code_ix.get(s)),
        ) else {
            continue;
        };
        let (Some(ti), Some(vi)) = (bt.get(i), bv.get(i)) else {
            continue;
        };
        m.push(*mi);
        t.push(ti);
        x.push(*xi);
        v.push(vi);
        r.push(br.get(i).unwrap_or(0));
    }
    Ok(DataFrame::new(vec![
        Column::new("m".into(), m),
        Column::new("t".into(), t),
        Column::new("x".into(), x),
        Column::new("value".into(), v),
        Column::new("mr".into(), r),
    ])?)
}

/// `_bed_days`: open bed-days, or monthly open beds × days when only beds are reported.
fn bed_days_exprs() -> Vec<Expr> {
    let obd = col("open_bed_days__st");
    let ob = col("open_beds__st");
    vec![
        when(obd.clone().eq(lit(VALUE)))
            .then(col("open_bed_days"))
            .when(obd.clone().is_null().and(ob.clone().eq(lit(VALUE))))
            .then(col("open_beds") * col("slot_days").cast(DataType::Float64))
            .otherwise(lit(NULL))
            .cast(DataType::Float64)
            .alias(BED_DAYS),
        when(obd.clone().eq(lit(VALUE)))
            .then(lit(VALUE))
            .when(obd.clone().is_null().and(ob.clone().is_null()))
            .then(lit(NULL))
            .when(obd.is_null().and(ob.eq(lit(VALUE))))
            .then(lit(VALUE))
            .otherwise(lit(MISSING))
            .cast(DataType::Int32)
            .alias(format!("{BED_DAYS}__st")),
        (col("open_bed_days__mr")
            .fill_null(lit(0))
            .eq(lit(1))
            .or(col("open_beds__mr").fill_null(lit(0)).eq(lit(1))))
        .cast(DataType::Int32)
        .alias(format!("{BED_DAYS}__mr")),
    ]
}

fn any_of(mut it: impl Iterator<Item = Expr>) -> Expr {
    let first = it.next().unwrap_or(lit(false));
    it.fold(first.fill_null(lit(false)), |acc, e| {
        acc.or(e.fill_null(lit(false)))
    })
}

fn all_of(mut it: impl Iterator<Item = Expr>) -> Expr {
    let first = it.next().unwrap_or(lit(true));
    it.fold(first, |acc, e| acc.and(e))
}

/// The AST as a polars expression; a division by zero is null, never inf or NaN.
fn to_expr(ast: &Ast, leaf: &dyn Fn(&str) -> Expr) -> Expr {
    match ast {
        Ast::Num(v) => lit(*v),
        Ast::Var(x) => leaf(x),
        Ast::Neg(a) => lit(0.0) - to_expr(a, leaf),
        Ast::Bin(op, a, b) => {
            let (a, b) = (to_expr(a, leaf), to_expr(b, leaf));
            match op {
                Op::Add => a + b,
                Op::Sub => a - b,
                Op::Mul => a * b,
                Op::Div => when(b.clone().eq(lit(0.0)))
                    .then(lit(NULL))
                    .otherwise(a / b),
                Op::Lt => a.lt(b).cast(DataType::Float64),
                Op::Le => a.lt_eq(b).cast(DataType::Float64),
                Op::Gt => a.gt(b).cast(DataType::Float64),
                Op::Ge => a.gt_eq(b).cast(DataType::Float64),
                Op::Eq => a.eq(b).cast(DataType::Float64),
                Op::Ne => a.neq(b).cast(DataType::Float64),
            }
        }
    }
}

fn replace(ast: Ast, name: &str, with: &Ast) -> Ast {
    match ast {
        Ast::Var(v) if v == name => with.clone(),
        Ast::Neg(a) => Ast::Neg(Box::new(replace(*a, name, with))),
        Ast::Bin(op, a, b) => Ast::Bin(
            op,
            Box::new(replace(*a, name, with)),
            Box::new(replace(*b, name, with)),
        ),
        other => other,
    }
}

pub fn pct_change(v: Option<f64>, prior: Option<f64>) -> Option<f64> {
    match (v, prior) {
        (Some(v), Some(p)) if p != 0.0 => Some((v - p) / p * 100.0).filter(|x| x.is_finite()),
        _ => None,
    }
}

fn diff(v: Option<f64>, prior: Option<f64>) -> Option<f64> {
    Some(v? - prior?)
}
