//! Stage 6: indicators per member, tier and consortium, for a window, with year-on-year and
//! month-on-month comparisons, computed with polars from the store.
//!
//! The rules (domain.md):
//! - a member's figure for a window combines its months by the metric's `over_time`
//!   (sum / average / last); a metric it has never reported is a service it does not provide
//!   (NEVER: adds nothing); one it reports but left blank in a month of the window is MISSING
//!   for that window (undefined, never 0);
//! - a member counts in tier and consortium totals only for the months it was a member, in
//!   the tier it had then;
//! - every indicator is evaluated on aggregated operands (ratio of sums), over the members
//!   that have all its operands (its coverage); undefined results are null.

pub mod formula;

use crate::catalog::{Direction, OverTime};
use crate::config::{Consortium, Tier};
use crate::period::Period;
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

pub struct Output {
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
}

/// Base values: one row per member, month (index), metric, with `mr` set when the value
/// comes from a member's 去年同月 column rather than the store.
pub struct BaseData {
    pub frame: DataFrame,
    pub warnings: Vec<String>,
    pub last_period: Option<Period>,
}

impl BaseData {
    /// The values in use from the store, gaps in earlier years filled from 去年同月 columns.
    pub fn from_store(store: &crate::store::Store) -> Result<BaseData> {
        let df = store
            .effective()?
            .filter(col("kind").eq(lit("base")).and(col("value").is_not_null()))
            .select([
                col("member"),
                col("period"),
                col("metric"),
                col("basis"),
                col("value"),
                col("source_file"),
                col("cell"),
            ])
            .collect()
            .context("cannot read the store")?;
        let s = |n: &str| -> Result<StringChunked> { Ok(df.column(n)?.str()?.clone()) };
        let (m, p, x, b, f, c) = (
            s("member")?,
            s("period")?,
            s("metric")?,
            s("basis")?,
            s("source_file")?,
            s("cell")?,
        );
        let v = df.column("value")?.f64()?.clone();
        let mut month: HashMap<(String, i32, String), f64> = HashMap::new();
        let mut prior: Vec<(String, i32, String, f64, String)> = Vec::new();
        for i in 0..df.height() {
            let (Some(m), Some(p), Some(x), Some(b), Some(v)) =
                (m.get(i), p.get(i), x.get(i), b.get(i), v.get(i))
            else {
                continue;
            };
            let Some(t) = Period::parse_strict(p) else {
                continue;
            };
            match b {
                "month" => {
                    month.insert((m.to_string(), t.index(), x.to_string()), v);
                }
                "prior_year" => prior.push((
                    m.to_string(),
                    t.index() - 12,
                    x.to_string(),
                    v,
                    format!("{} {}", f.get(i).unwrap_or(""), c.get(i).unwrap_or("")),
                )),
                _ => {}
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
        let last_period = month.keys().map(|k| k.1).max().map(Period::from_index);
        Ok(BaseData {
            frame: base_frame(rows)?,
            warnings,
            last_period,
        })
    }
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
    base: DataFrame,
    ever: DataFrame,
    pub defs: Vec<Def>,
}

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
        let ever = base
            .clone()
            .lazy()
            .select([col("member"), col("metric")])
            .unique(None, UniqueKeepStrategy::First)
            .collect()?;
        Ok(Engine {
            consortium,
            base,
            ever,
            defs,
        })
    }

    fn over_time_frame(&self) -> Result<DataFrame> {
        let cat = &self.consortium.catalog;
        let mut codes: Vec<String> = cat.metrics.iter().map(|m| m.code.clone()).collect();
        let mut ot: Vec<String> = cat
            .metrics
            .iter()
            .map(|m| m.over_time.as_str().to_string())
            .collect();
        codes.push(PRIMARY_VISITS.into());
        ot.push(OverTime::Sum.as_str().into());
        Ok(DataFrame::new(vec![
            Column::new("metric".into(), codes),
            Column::new("over_time".into(), ot),
        ])?)
    }

    /// Which entity each member-month counts in, for a scope and months.
    fn slots(&self, months: &[Period], scope: Scope) -> Result<DataFrame> {
        let (mut ent, mut mem, mut t, mut tier, mut days) =
            (vec![], vec![], vec![], vec![], vec![]);
        for m in self.consortium.members() {
            for &p in months {
                let tr = m.tier_at(p);
                let entity = match scope {
                    Scope::Member => m.id.clone(),
                    _ if !m.is_member_at(p) => continue,
                    Scope::Tier => match tr {
                        Some(tr) => tr.code().to_string(),
                        None => continue,
                    },
                    Scope::Consortium => "consortium".to_string(),
                };
                ent.push(entity);
                mem.push(m.id.clone());
                t.push(p.index());
                tier.push(tr.map(|x| x.code()).unwrap_or("").to_string());
                days.push(p.days() as i64);
            }
        }
        Ok(DataFrame::new(vec![
            Column::new("entity".into(), ent),
            Column::new("member".into(), mem),
            Column::new("t".into(), t),
            Column::new("tier".into(), tier),
            Column::new("days".into(), days),
        ])?)
    }

    /// Per (entity, member): each operand's window value and state, one column pair each.
    fn member_states(&self, months: &[Period], scope: Scope) -> Result<(DataFrame, DataFrame)> {
        let slots = self.slots(months, scope)?.lazy();
        let slot_agg = slots.clone().group_by([col("entity"), col("member")]).agg([
            len().alias("n_slots"),
            col("days").sum().alias("days"),
            col("t").max().alias("t_max"),
        ]);
        let joined = slots.clone().join(
            self.base.clone().lazy(),
            [col("member"), col("t")],
            [col("member"), col("t")],
            JoinArgs::new(JoinType::Inner),
        );
        let primary = joined
            .clone()
            .filter(col("metric").eq(lit("outpatient_visits")))
            .with_columns([
                lit(PRIMARY_VISITS).alias("metric"),
                when(
                    col("tier")
                        .eq(lit(Tier::Primary.code()))
                        .or(col("tier").eq(lit(Tier::Village.code()))),
                )
                .then(col("value"))
                .otherwise(lit(0.0))
                .alias("value"),
            ]);
        let joined = concat([joined, primary], UnionArgs::default())?;
        let agg = joined
            .group_by([col("entity"), col("member"), col("metric")])
            .agg([
                col("value").sum().alias("sum"),
                col("value").mean().alias("mean"),
                col("value").count().alias("n_val"),
                col("value")
                    .sort_by([col("t")], SortMultipleOptions::default())
                    .last()
                    .alias("last"),
                col("t").max().alias("t_last"),
                col("mr").max().alias("mr"),
            ]);
        let ever = concat(
            [
                self.ever.clone().lazy(),
                self.ever
                    .clone()
                    .lazy()
                    .filter(col("metric").eq(lit("outpatient_visits")))
                    .with_columns([lit(PRIMARY_VISITS).alias("metric")]),
            ],
            UnionArgs::default(),
        )?;
        let states = slot_agg
            .clone()
            .inner_join(ever, col("member"), col("member"))
            .inner_join(self.over_time_frame()?.lazy(), col("metric"), col("metric"))
            .join(
                agg,
                [col("entity"), col("member"), col("metric")],
                [col("entity"), col("member"), col("metric")],
                JoinArgs::new(JoinType::Left),
            )
            .with_columns([
                when(col("over_time").eq(lit("sum")))
                    .then(col("sum"))
                    .when(col("over_time").eq(lit("average")))
                    .then(col("mean"))
                    .otherwise(col("last"))
                    .alias("v"),
                when(col("over_time").eq(lit("last")))
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
            ]);
        // Wide: one row per (entity, member), a value/state/flag column per operand.
        let mut codes: Vec<String> = self
            .consortium
            .catalog
            .metrics
            .iter()
            .map(|m| m.code.clone())
            .collect();
        codes.push(PRIMARY_VISITS.into());
        let mut aggs = vec![col("days").first().alias("days")];
        for x in &codes {
            let is = col("metric").eq(lit(x.clone()));
            aggs.push(col("v").filter(is.clone()).first().alias(x.as_str()));
            aggs.push(
                col("st")
                    .filter(is.clone())
                    .first()
                    .alias(format!("{x}__st")),
            );
            aggs.push(col("mr").filter(is).first().alias(format!("{x}__mr")));
        }
        let wide = states.group_by([col("entity"), col("member")]).agg(aggs);
        // Members with no data at all still belong to the entity.
        let wide = slot_agg
            .clone()
            .select([col("entity"), col("member"), col("days").alias("slot_days")])
            .join(
                wide,
                [col("entity"), col("member")],
                [col("entity"), col("member")],
                JoinArgs::new(JoinType::Left),
            )
            .with_columns(bed_days_exprs());
        let members = slot_agg
            .group_by([col("entity")])
            .agg([len().alias("members")])
            .collect()?;
        Ok((wide.collect()?, members))
    }

    /// Evaluates every requested definition for one window and scope, all definitions in
    /// one polars query (a select for members, one group_by for tiers and the consortium).
    fn evaluate(
        &self,
        months: &[Period],
        scope: Scope,
        defs: &[&Def],
        lfl_with: Option<&[Period]>,
    ) -> Result<HashMap<(String, String), Cell>> {
        let days: i64 = months.iter().map(|p| p.days() as i64).sum();
        let (wide, members) = self.member_states(months, scope)?;
        let defs: Vec<&Def> = defs
            .iter()
            .copied()
            .filter(|d| scope != Scope::Member || d.member_scope)
            .collect();
        let mut out = HashMap::new();
        let entities: Vec<String> = members
            .column("entity")?
            .str()?
            .into_iter()
            .flatten()
            .map(str::to_string)
            .collect();
        let frame = if scope == Scope::Member {
            let mut exprs = vec![col("entity")];
            for (i, def) in defs.iter().enumerate() {
                let f = DefExprs::new(def);
                let leaf = |x: &str| -> Expr {
                    if x == DAYS {
                        return lit(days as f64);
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
                let (other, _) = self.member_states(other_months, scope)?;
                let flags: Vec<Expr> = std::iter::once(col("entity"))
                    .chain(std::iter::once(col("member")))
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
                let cov = if lfl_with.is_some() {
                    f.covered
                        .clone()
                        .and(col(format!("o{i}")).fill_null(lit(false)))
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
        for (i, def) in defs.iter().enumerate() {
            let v = frame.column(&format!("v{i}"))?.f64()?;
            let c = frame.column(&format!("c{i}"))?.cast(&DataType::UInt32)?;
            let c = c.u32()?;
            let a = frame.column(&format!("a{i}"))?.cast(&DataType::UInt32)?;
            let a = a.u32()?;
            let m = frame.column(&format!("m{i}"))?.cast(&DataType::Int32)?;
            let m = m.i32()?;
            for r in 0..frame.height() {
                let Some(entity) = e.get(r) else { continue };
                out.insert(
                    (entity.to_string(), def.code.clone()),
                    Cell {
                        value: v.get(r).filter(|x| x.is_finite()),
                        covered: c.get(r).unwrap_or(0),
                        members: a.get(r).unwrap_or(0),
                        member_reported: m.get(r) == Some(1),
                    },
                );
            }
            // Entities where no member was covered still exist, with an empty value.
            for entity in &entities {
                out.entry((entity.clone(), def.code.clone()))
                    .or_insert(Cell {
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
            let c = self.evaluate(&cur, scope, &defs, lfl.then_some(prior.as_slice()))?;
            let p = self.evaluate(&prior, scope, &defs, lfl.then_some(cur.as_slice()))?;
            let m = match &prev {
                Some(months) => {
                    Some(self.evaluate(months, scope, &defs, lfl.then_some(cur.as_slice()))?)
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
        let a = self.evaluate(&after, Scope::Member, &defs, None)?;
        let b = self.evaluate(&before, Scope::Member, &defs, None)?;
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
        cur: &HashMap<(String, String), Cell>,
        prior: &HashMap<(String, String), Cell>,
        prev: Option<&HashMap<(String, String), Cell>>,
    ) -> Vec<Record> {
        let mut out = Vec::new();
        for entity in self.entities(scope) {
            for def in defs {
                let key = (entity.0.clone(), def.code.clone());
                let Some(c) = cur.get(&key) else { continue };
                let p = prior.get(&key);
                let value = c.value;
                let prior_value = p.and_then(|p| p.value);
                let prev_value = prev.and_then(|m| m.get(&key)).and_then(|x| x.value);
                out.push(Record {
                    period: period.to_string(),
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

#[derive(Clone, Copy, Debug)]
struct Cell {
    value: Option<f64>,
    covered: u32,
    members: u32,
    member_reported: bool,
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
