//! The engine: every requested definition evaluated for a window and scope, with its
//! year-earlier and previous-month comparisons, as output records.

use super::base::{index_frame, BaseColumns};
use super::expr::{all_of, replace, to_expr, DefExprs};
use super::types::{
    Def, Record, Request, Scope, Window, BED_DAYS, DAYS, PRIMARY_PARTS, PRIMARY_TOTAL_VISITS,
    PRIMARY_VISITS, VALUE,
};
use crate::catalog::formula::{self, Ast, Op};
use crate::catalog::NeverReported;
use crate::config::Consortium;
use crate::model::period::Period;
use crate::model::Tier;
use anyhow::{Context, Result};
use polars::prelude::*;
use std::collections::{BTreeSet, HashMap};

pub struct Engine<'a> {
    pub(super) consortium: &'a Consortium,
    /// Base values by member and month, and the (member, metric) pairs ever reported.
    pub(super) base: super::base::BaseIndex,
    /// Metric codes by index; the last ones are the synthetic primary-part operands.
    pub(super) codes: Vec<String>,
    /// Member-scope states per window (first month, last month, months, shift: see
    /// `compute_states`), reused by the tier and consortium scopes.
    /// Each set computed once, also when two evaluations running at once ask for it (the
    /// second waits for the first's).
    pub(super) states_cache: std::sync::Mutex<HashMap<StatesKey, std::sync::Arc<StatesOnce>>>,
    pub defs: Vec<Def>,
}

/// (first month, last month, number of months, shift) of each window evaluated together in a
/// set of member states.
pub(super) type StatesKey = Vec<(i32, i32, usize, i32)>;

/// A set of member states, computed by the first evaluation that asks (an error as its text:
/// every evaluation asking for it fails the same way).
pub(super) type StatesOnce =
    std::sync::OnceLock<std::result::Result<(DataFrame, DataFrame), String>>;

impl<'a> Engine<'a> {
    /// The engine over a base frame (`BaseData::frame`'s columns).
    pub fn new(consortium: &'a Consortium, base: DataFrame) -> Result<Engine<'a>> {
        Engine::over(consortium, |codes| index_frame(&base, consortium, codes))
    }

    /// The engine over base figures given by the engine's indices (`codes`: the metric
    /// codes in the engine's order).
    fn over(
        consortium: &'a Consortium,
        base: impl FnOnce(&[String]) -> Result<BaseColumns>,
    ) -> Result<Engine<'a>> {
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
                // The item alone: never reporting it makes the member not applicable.
                unknown_if_never: vec![],
            });
        }
        let primary = formula::parse(&format!("{PRIMARY_VISITS} / outpatient_visits * 100"))
            .map_err(anyhow::Error::from)?;
        let primary_total = formula::parse(&format!("{PRIMARY_TOTAL_VISITS} / total_visits * 100"))
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
            ast = replace(ast, "primary_total_visit_share", &primary_total);
            ast = replace(ast, "avg_open_beds", &avg_beds);
            ast = replace(ast, "days", &Ast::Var(DAYS.into()));
            let mut vars = BTreeSet::new();
            ast.vars(&mut vars);
            vars.remove(DAYS);
            defs.push(Def {
                code: ind.code.clone(),
                name: ind.name.clone(),
                name_en: ind.name_en.clone(),
                unit: ind.unit.clone(),
                direction: ind.direction,
                member_scope: !PRIMARY_PARTS.iter().any(|(_, p)| vars.contains(*p)),
                unknown_if_never: cat
                    .metrics
                    .iter()
                    .filter(|m| m.never_reported == NeverReported::Unknown)
                    .filter(|m| vars.contains(&m.code))
                    .map(|m| m.code.clone())
                    .collect(),
                operands: vars.into_iter().collect(),
                ast,
            });
        }
        let mut codes: Vec<String> = cat.metrics.iter().map(|m| m.code.clone()).collect();
        codes.extend(PRIMARY_PARTS.iter().map(|(_, p)| p.to_string()));
        let mut base = base(&codes)?;
        super::reference::add_reference(&mut base, consortium, &codes);
        let base = base.into_index(consortium.members().len(), codes.len());
        Ok(Engine {
            consortium,
            base,
            codes,
            defs,
            states_cache: Default::default(),
        })
    }

    /// The engine over base data read for some months only: which services each member
    /// provides (`ever`) comes from the whole store, as `BaseData` read it.
    pub fn from_base(consortium: &'a Consortium, base: super::BaseData) -> Result<Engine<'a>> {
        Engine::of_base(consortium, &base)
    }

    /// `from_base`, leaving the base data to the caller.
    pub fn of_base(consortium: &'a Consortium, base: &super::BaseData) -> Result<Engine<'a>> {
        let e = Engine::over(consortium, |codes| Ok(base.index(consortium, codes)))?;
        Ok(e.with_pairs(&base.ever))
    }

    /// `from_base` from a base frame and the (member, metric) pairs with a figure in use in
    /// any month of the store (`BaseData::ever`).
    pub fn with_ever(
        consortium: &'a Consortium,
        frame: DataFrame,
        ever: &[(String, String)],
    ) -> Result<Engine<'a>> {
        Ok(Engine::new(consortium, frame)?.with_pairs(ever))
    }

    /// The store's pairs added to those of the months read (the `[[population]]` reference
    /// values are never in the store but are as good as reported).
    fn with_pairs(mut self, ever: &[(String, String)]) -> Engine<'a> {
        let stored = super::base::index_pairs(ever, self.consortium, &self.codes);
        self.base.add_ever(stored);
        self
    }

    /// A code's index, if the engine knows it.
    pub(super) fn code_pos(&self, code: &str) -> Option<usize> {
        self.codes.iter().position(|c| c == code)
    }

    /// Evaluates every requested definition for some windows and a scope, all definitions
    /// and windows in one polars query (a select for members, one group_by by window and
    /// entity for tiers and the consortium); one `Cells` per window. `lfl_with[w]` is the
    /// window window `w` is compared like-for-like with. `shifts[w]`: see `compute_states`
    /// (0 for a window itself, 12 for its year-earlier comparison).
    fn evaluate(
        &self,
        windows: &[Vec<Period>],
        shifts: &[i32],
        scope: Scope,
        defs: &[&Def],
        lfl_with: Option<&[Vec<Period>]>,
    ) -> Result<Vec<Cells>> {
        let days: Vec<i64> = windows
            .iter()
            .map(|months| months.iter().map(|p| p.days() as i64).sum())
            .collect();
        let t0 = std::time::Instant::now();
        let (wide, members) = self.member_states(windows, shifts, scope)?;
        log::debug!(
            "member_states {:?} {} windows {:.3}s",
            scope,
            windows.len(),
            t0.elapsed().as_secs_f64()
        );
        let all_defs = defs.len();
        // Positions in `defs` of the definitions evaluated at this scope.
        let positions: Vec<usize> = (0..defs.len())
            .filter(|&i| scope != Scope::Member || defs[i].member_scope)
            .collect();
        let defs: Vec<&Def> = positions.iter().map(|&i| defs[i]).collect();
        let mut out: Vec<Cells> = vec![HashMap::new(); windows.len()];
        // Every entity exists, with empty cells where no member was covered.
        if scope == Scope::Member {
            // A member with no member month in the window still has its (empty) row.
            for cells in &mut out {
                for m in self.consortium.members() {
                    cells.insert(m.id.clone(), vec![None; all_defs]);
                }
            }
        } else {
            let (mw, me) = (
                members.column("w")?.u32()?,
                members.column("entity")?.str()?,
            );
            for (w, e) in mw.into_iter().zip(me) {
                if let (Some(w), Some(e)) = (w, e) {
                    if let Some(cells) = out.get_mut(w as usize) {
                        cells.insert(e.to_string(), vec![None; all_defs]);
                    }
                }
            }
        }
        // Each definition's coverage flag computed once as a column (`cov{i}`) and referred
        // to by name: repeated in every aggregation, its expression made polars' query
        // planning the larger part of a run.
        let cov = |i: usize| col(format!("cov{i}"));
        let frame = if scope == Scope::Member {
            let covs: Vec<Expr> = defs
                .iter()
                .enumerate()
                .map(|(i, d)| DefExprs::new(d).covered.alias(format!("cov{i}")))
                .collect();
            let mut exprs = vec![col("w"), col("entity")];
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
                    when(cov(i))
                        .then(to_expr(&def.ast, &leaf))
                        .otherwise(lit(NULL))
                        .cast(DataType::Float64)
                        .alias(format!("v{i}")),
                );
                exprs.push(cov(i).cast(DataType::UInt32).alias(format!("c{i}")));
                exprs.push(f.applicable.cast(DataType::UInt32).alias(format!("a{i}")));
                exprs.push(
                    cov(i)
                        .and(f.mr_any)
                        .cast(DataType::Int32)
                        .alias(format!("m{i}")),
                );
            }
            wide.lazy().with_columns(covs).select(exprs).collect()?
        } else {
            // Each window's days (a rate per day of the window).
            let win_days = DataFrame::new(vec![
                Column::new("w".into(), (0..windows.len() as u32).collect::<Vec<_>>()),
                Column::new("win_days".into(), days),
            ])?;
            let mut lf = wide.lazy().join(
                win_days.lazy(),
                [col("w")],
                [col("w")],
                JoinArgs::new(JoinType::Left),
            );
            if let Some(other_windows) = lfl_with {
                // Like-for-like: a member counts only if it is covered in both windows, in the
                // same entity; its flags from the other window are joined in per definition.
                let (other, _) =
                    self.member_states(other_windows, &vec![0; other_windows.len()], scope)?;
                let flags: Vec<Expr> = [
                    col("w"),
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
                    [col("w"), col("entity"), col("member")],
                    [col("w"), col("entity"), col("member")],
                    JoinArgs::new(JoinType::Left),
                );
            }
            let mut covs = Vec::new();
            for (i, def) in defs.iter().enumerate() {
                let f = DefExprs::new(def);
                // Like-for-like also needs as many member months in both windows: a member
                // that joined or left inside one of them is not comparable.
                let c = if lfl_with.is_some() {
                    f.covered
                        .and(col(format!("o{i}")).fill_null(lit(false)))
                        .and(col("slot_months").eq(col("o_months")).fill_null(lit(false)))
                } else {
                    f.covered
                };
                covs.push(c.alias(format!("cov{i}")));
            }
            lf = lf.with_columns(covs);
            let mut aggs = vec![col("win_days").first().cast(DataType::Float64)];
            let mut finals = vec![col("w"), col("entity")];
            for (i, def) in defs.iter().enumerate() {
                let f = DefExprs::new(def);
                let cov = cov(i);
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
                        return col("win_days");
                    }
                    col(format!("s{i}_{x}"))
                };
                // No covered member has any operand: undefined (not a sum of nothing).
                let mut none = all_of(
                    def.operands
                        .iter()
                        .map(|x| col(format!("h{i}_{x}")).fill_null(lit(0)).neq(lit(1))),
                );
                if !def.member_scope {
                    // A primary share of an entity none of whose covered members is a
                    // primary or village member (a 专科联盟, the secondary tier) does not
                    // apply: undefined, so it is neither shown as 0 % nor ranked last.
                    aggs.push(
                        cov.clone()
                            .and(col("slot_primary"))
                            .cast(DataType::Int32)
                            .max()
                            .alias(format!("p{i}")),
                    );
                    none = none.or(col(format!("p{i}")).fill_null(lit(0)).neq(lit(1)));
                }
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
            lf.group_by([col("w"), col("entity")])
                .agg(aggs)
                .select(finals)
                .collect()?
        };
        // Row by row, each entity's cells found once (not once per definition); each column
        // in one chunk, read as its Arrow array (`ChunkedArray::get` looks up the chunk of
        // every row anew: it was a twentieth of a bureau's `indicators`).
        let e = frame.column("entity")?.str()?.rechunk();
        let fw = frame.column("w")?.u32()?.rechunk();
        let int = |name: String, t: &DataType| -> Result<Column> {
            Ok(frame.column(&name)?.cast(t)?.rechunk())
        };
        let mut cols = Vec::with_capacity(defs.len());
        for i in 0..defs.len() {
            cols.push((
                frame.column(&format!("v{i}"))?.f64()?.rechunk(),
                int(format!("c{i}"), &DataType::UInt32)?,
                int(format!("a{i}"), &DataType::UInt32)?,
                int(format!("m{i}"), &DataType::Int32)?,
            ));
        }
        let cols: Vec<_> = cols
            .iter()
            .map(|(v, c, a, m)| {
                Ok((
                    one_chunk(v),
                    one_chunk(c.u32()?),
                    one_chunk(a.u32()?),
                    one_chunk(m.i32()?),
                ))
            })
            .collect::<Result<_>>()?;
        for r in 0..frame.height() {
            let (Some(entity), Some(cells)) =
                (e.get(r), fw.get(r).and_then(|w| out.get_mut(w as usize)))
            else {
                continue;
            };
            let row = match cells.get_mut(entity) {
                Some(row) => row,
                None => cells
                    .entry(entity.to_string())
                    .or_insert_with(|| vec![None; all_defs]),
            };
            for (i, (v, c, a, m)) in cols.iter().enumerate() {
                row[positions[i]] = Some(Cell {
                    value: at(*v, r).filter(|x| x.is_finite()),
                    covered: at(*c, r).unwrap_or(0),
                    members: at(*a, r).unwrap_or(0),
                    member_reported: at(*m, r) == Some(1),
                });
            }
        }
        for row in out.iter_mut().flat_map(|cells| cells.values_mut()) {
            for &p in &positions {
                row[p].get_or_insert(Cell::EMPTY);
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
                        anyhow::Error::new(crate::said!(
                            crate::i18n::Msg::UnknownIndicator,
                            name = c
                        ))
                    })
                })
                .collect(),
        }
    }

    /// All requested records for a period and window.
    pub fn run(&self, req: &Request) -> Result<Vec<Record>> {
        self.run_series(req, &[req.period])
    }

    /// `run`'s records handed to `each` about `chunk` at a time, in the same order, as they
    /// are made: what writes them as they come (a bureau's month is 188,000 records, whose
    /// memory, made whole and touched page by page, cost as much as making them) holds one
    /// chunk. `each` takes what it is given out of the vector, which is then reused.
    pub fn run_each(&self, req: &Request, chunk: usize, each: &mut Each<'_>) -> Result<()> {
        self.series(req, &[req.period], true, Some((chunk.max(1), each)))?;
        Ok(())
    }

    /// The records `run` gives for `req` at each of `periods` (in place of `req.period`), in
    /// that order, every period evaluated in the same polars queries: a trend of twelve
    /// months costs about one run, not twelve.
    pub fn run_series(&self, req: &Request, periods: &[Period]) -> Result<Vec<Record>> {
        self.series(req, periods, true, None)
    }

    /// `run_series` without the month-on-month comparison (`mom_pct` empty): a trend chart
    /// shows each month against the same month a year earlier, and the previous months'
    /// evaluation was a third of its cost.
    pub fn run_series_yoy(&self, req: &Request, periods: &[Period]) -> Result<Vec<Record>> {
        self.series(req, periods, false, None)
    }

    /// The records of `periods`, or (`each`, one period) handed on a chunk at a time.
    fn series(
        &self,
        req: &Request,
        periods: &[Period],
        mom: bool,
        mut each: Option<(usize, &mut Each<'_>)>,
    ) -> Result<Vec<Record>> {
        anyhow::ensure!(
            each.is_none() || periods.len() == 1,
            "records are handed on a chunk at a time for one period only"
        );
        let defs = self.select_defs(&req.indicators)?;
        let cur: Vec<Vec<Period>> = periods.iter().map(|&p| req.window.months(p)).collect();
        let prior: Vec<Vec<Period>> = cur
            .iter()
            .map(|months| months.iter().map(|p| p.add_months(-12)).collect())
            .collect();
        let prev: Option<Vec<Vec<Period>>> = (mom && req.window == Window::Month)
            .then(|| periods.iter().map(|p| vec![p.add_months(-1)]).collect());
        // by_period[w]: the records of periods[w], scope after scope.
        // Each period's records in one allocation (a bureau's month is tens of megabytes:
        // grown by doubling, it was copied and its pages touched again and again).
        let per_period: usize = req
            .scopes
            .iter()
            .map(|&s| self.entities(s).len() * defs.len())
            .sum();
        let per_period = match &each {
            Some((chunk, _)) => per_period.min(*chunk),
            None => per_period,
        };
        let mut by_period: Vec<Vec<Record>> = (0..periods.len())
            .map(|_| Vec::with_capacity(per_period))
            .collect();
        // Every evaluation of every scope is independent of the others: they run on the
        // cores there are (each is mostly one core's work: polars' query planning, the
        // member states), their results taken in order below. A month's sides (the window,
        // a year earlier, the month before) are one query a scope: planning a query cost
        // about as much as running it on a bureau's month, three times over. Like-for-like
        // sides are each restricted by another, a series' periods already share each query,
        // and a window of several months is its months' states: with two scopes evaluated
        // at once, its sides together doubled what is held (the 42-item benchmark report's
        // year to date), so those stay one side a query. The member scope goes first: the
        // tier and consortium share member states (`StatesOnce`), and the second of them
        // would otherwise wait for the first's.
        let mut jobs: Vec<(Scope, Vec<Side>)> = Vec::new();
        for &scope in req
            .scopes
            .iter()
            .filter(|s| **s == Scope::Member)
            .chain(req.scopes.iter().filter(|s| **s != Scope::Member))
        {
            let lfl = req.like_for_like && scope != Scope::Member;
            let mut sides = vec![Side::Cur, Side::Prior];
            if prev.is_some() {
                sides.push(Side::Before);
                if lfl {
                    sides.push(Side::Now);
                }
            }
            if lfl || periods.len() > 1 || req.window != Window::Month {
                jobs.extend(sides.into_iter().map(|side| (scope, vec![side])));
            } else {
                jobs.push((scope, sides));
            }
        }
        // A series' evaluations hold every period's member states at once: two of them at
        // a time raised the 42-item benchmark report's peak past 1 GB. They stay one at a time.
        let threads = match periods.len() {
            1 => rayon::current_num_threads(),
            _ => 1,
        };
        let no_months = Vec::new();
        let done = in_parallel(&jobs, threads, |(scope, sides)| {
            let lfl = req.like_for_like && *scope != Scope::Member;
            let cur_lfl = lfl.then_some(cur.as_slice());
            let prev = prev.as_ref().unwrap_or(&no_months);
            // Each side's windows, the shift of its member scope (see `compute_states`), and
            // the windows it is compared like-for-like with.
            let side = |side: Side| match side {
                Side::Cur => (&cur, 0, lfl.then_some(prior.as_slice())),
                Side::Prior => (&prior, 12, cur_lfl),
                // 环比 like-for-like compares the members with figures in both months,
                // whatever they sent a year earlier: its own current side, restricted by
                // the previous month.
                Side::Before => (prev, 1, cur_lfl),
                Side::Now => (&cur, 0, Some(prev.as_slice())),
            };
            if let [one] = sides.as_slice() {
                let (windows, shift, with) = side(*one);
                let shifts = vec![shift; windows.len()];
                return Ok(vec![self.evaluate(windows, &shifts, *scope, &defs, with)?]);
            }
            // Several sides: one period's one-month window, without like-for-like (none is
            // restricted by another), so a side is one window of the query.
            let (mut windows, mut shifts) = (Vec::new(), Vec::new());
            for &s in sides {
                let (w, shift, _) = side(s);
                windows.extend(w.iter().cloned());
                shifts.extend(std::iter::repeat_n(shift, w.len()));
            }
            let all = self.evaluate(&windows, &shifts, *scope, &defs, None)?;
            Ok(all.into_iter().map(|cells| vec![cells]).collect())
        })?;
        for &scope in &req.scopes {
            let lfl = req.like_for_like && scope != Scope::Member;
            let mut done = jobs
                .iter()
                .zip(&done)
                .filter(|((s, _), _)| *s == scope)
                .flat_map(|(_, cells)| cells);
            let empty = Vec::new();
            let mut next = || done.next().unwrap_or(&empty);
            let (c, p) = (next(), next());
            let m = match prev.is_some() {
                true => {
                    let before = next();
                    let now = lfl.then(&mut next);
                    Some((now, before))
                }
                false => None,
            };
            for (w, out) in by_period.iter_mut().enumerate() {
                self.records(
                    out,
                    periods[w],
                    req.window.as_str(),
                    scope,
                    &defs,
                    (&c[w], &p[w]),
                    m.as_ref()
                        .map(|(now, before)| (now.map_or(&c[w], |n| &n[w]), &before[w])),
                    each.as_mut().map(|(chunk, each)| (*chunk, &mut **each)),
                )?;
            }
        }
        if let Some((_, each)) = each {
            for out in &mut by_period {
                if !out.is_empty() {
                    each(out)?;
                }
            }
            return Ok(Vec::new());
        }
        if by_period.len() == 1 {
            return Ok(by_period.pop().unwrap_or_default());
        }
        let mut out = Vec::with_capacity(by_period.iter().map(Vec::len).sum());
        for recs in by_period {
            out.extend(recs);
        }
        Ok(out)
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
            .ok_or_else(|| crate::said!(crate::i18n::Msg::UnknownMember, name = member))?;
        let defs = self.select_defs(indicators)?;
        let after: Vec<Period> = (0..12).map(|i| m.joined.add_months(i)).collect();
        let before: Vec<Period> = (1..=12).rev().map(|i| m.joined.add_months(-i)).collect();
        // The months before joining were no member months: they are the member's own figures
        // over the months matching its member months after joining (shift 12).
        let a = self.evaluate(
            std::slice::from_ref(&after),
            &[0],
            Scope::Member,
            &defs,
            None,
        )?;
        let b = self.evaluate(&[before], &[12], Scope::Member, &defs, None)?;
        let last = after[11];
        let mut recs = Vec::new();
        self.records(
            &mut recs,
            last,
            "since_joined",
            Scope::Member,
            &defs,
            (&a[0], &b[0]),
            None,
            None,
        )?;
        Ok(recs.into_iter().filter(|r| r.entity == m.id).collect())
    }

    #[allow(clippy::too_many_arguments)]
    /// Pushes the records of `period` at `scope` onto `out` (current and prior cells);
    /// with `each`, `out` is handed to it whenever it holds a chunk.
    fn records(
        &self,
        out: &mut Vec<Record>,
        period: Period,
        window: &'static str,
        scope: Scope,
        defs: &[&Def],
        (cur, prior): (&Cells, &Cells),
        prev: Option<(&Cells, &Cells)>,
        mut each: Option<(usize, &mut Each<'_>)>,
    ) -> Result<()> {
        use rayon::prelude::*;
        let entities = self.entities(scope);
        let period_text = period.to_string();
        type Row<'c> = Option<&'c Vec<Option<Cell>>>;
        /// An entity's rows, found once for all its definitions: (entity, current, prior,
        /// current as 环比 compares it, previous month).
        type Rows<'c> = (
            &'c (String, String),
            &'c Vec<Option<Cell>>,
            Row<'c>,
            Row<'c>,
            Row<'c>,
        );
        let rows: Vec<Rows> = entities
            .iter()
            .filter_map(|entity| {
                let cur = cur.get(&entity.0)?;
                let (now, before) = match prev {
                    Some((now, before)) => (now.get(&entity.0), before.get(&entity.0)),
                    None => (None, None),
                };
                Some((entity, cur, prior.get(&entity.0), now, before))
            })
            .collect();
        // (row, definition) of each record, in order: the records are then made on every
        // core straight into `out` (a bureau's month is 188,000 records in 65 MB, whose
        // first writes, page by page, were as slow as making them).
        let places: Vec<(usize, usize)> = rows
            .iter()
            .enumerate()
            .flat_map(|(k, row)| {
                (0..defs.len())
                    .filter(|&i| row.1[i].is_some())
                    .map(move |i| (k, i))
            })
            .collect();
        let cell = |row: Row, i: usize| row.and_then(|row| row[i]);
        let step = match &each {
            Some((chunk, _)) => *chunk,
            None => places.len().max(1),
        };
        for part in places.chunks(step) {
            out.par_extend(part.par_iter().map(|&(k, i)| {
                let (entity, cur, prior, now, before) = rows[k];
                let def = defs[i];
                // `places` holds only the definitions with a cell.
                let c = cur[i].unwrap_or(Cell::EMPTY);
                let p = cell(prior, i);
                let value = c.value;
                let prior_value = p.and_then(|p| p.value);
                // (current as 环比 compares it, previous month)
                let (mom_now, prev_value) = (
                    cell(now, i).and_then(|x| x.value),
                    cell(before, i).and_then(|x| x.value),
                );
                Record {
                    period: period_text.clone(),
                    window,
                    scope: scope.as_str(),
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
                    mom_pct: pct_change(mom_now, prev_value),
                    change: diff(value, prior_value),
                    entity_name: entity.1.clone(),
                    indicator_name: def.name.clone(),
                    unit: def.unit.clone(),
                    members: c.members,
                    covered: c.covered,
                    prior_covered: p.map_or(0, |p| p.covered),
                    prior_source: if p.is_some_and(|p| p.member_reported && p.value.is_some()) {
                        "member"
                    } else {
                        "store"
                    },
                    target: None,
                    met: None,
                }
            }));
            // A scope's last records wait for the next scope's to make a chunk.
            if let Some((chunk, each)) = each.as_mut() {
                if out.len() >= *chunk {
                    each(out)?;
                }
            }
        }
        Ok(())
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

/// What `Engine::run_each` hands its records to.
pub type Each<'a> = dyn FnMut(&mut Vec<Record>) -> Result<()> + 'a;

/// Which side of a comparison an evaluation is (`Engine::series`).
#[derive(Clone, Copy)]
enum Side {
    /// The window itself.
    Cur,
    /// The same months a year earlier.
    Prior,
    /// The month before (环比).
    Before,
    /// The window as 环比 like-for-like compares it with the month before.
    Now,
}

/// `run(job)` for every job, on `threads` threads (at most one a job): the results in the
/// jobs' order, or the first job's error in that order.
///
/// Plain threads, not rayon's pool: a rayon worker waiting for polars' pool runs other
/// queued jobs meanwhile, and one of them could wait for the member states its own thread
/// is computing (`StatesOnce`).
fn in_parallel<J: Sync, T: Send>(
    jobs: &[J],
    threads: usize,
    run: impl Fn(&J) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let threads = threads.min(jobs.len());
    if threads <= 1 {
        return jobs.iter().map(run).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, Result<T>)> = Vec::with_capacity(jobs.len());
    std::thread::scope(|s| -> Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        mine.push((i, run(job)));
                    }
                    mine
                })
            })
            .collect();
        for w in workers {
            results.extend(crate::i18n::joined(w, "an evaluation")?);
        }
        Ok(())
    })?;
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// The Arrow array of a column in one chunk (None: no rows).
fn one_chunk<T: PolarsNumericType>(
    ca: &ChunkedArray<T>,
) -> Option<&polars_arrow::array::PrimitiveArray<T::Native>> {
    debug_assert!(ca.chunks().len() <= 1);
    ca.downcast_iter().next()
}

/// Row `r` of a column's one chunk (`one_chunk`); None where it is null or past the end.
fn at<T: polars_arrow::types::NativeType>(
    a: Option<&polars_arrow::array::PrimitiveArray<T>>,
    r: usize,
) -> Option<T> {
    let a = a?;
    (r < a.len() && polars_arrow::array::Array::is_valid(a, r)).then(|| a.value(r))
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

impl Cell {
    /// An entity no covered member's figures reach.
    const EMPTY: Cell = Cell {
        value: None,
        covered: 0,
        members: 0,
        member_reported: false,
    };
}

fn pct_change(v: Option<f64>, prior: Option<f64>) -> Option<f64> {
    match (v, prior) {
        (Some(v), Some(p)) if p != 0.0 => Some((v - p) / p * 100.0).filter(|x| x.is_finite()),
        _ => None,
    }
}

fn diff(v: Option<f64>, prior: Option<f64>) -> Option<f64> {
    Some(v? - prior?)
}

#[cfg(test)]
mod parallel_tests {
    use super::in_parallel;

    /// Results come back in the jobs' order whichever thread ran them and however long each
    /// took; an error is the first failing job's in that order.
    #[test]
    fn jobs_run_at_once_answer_in_their_order() {
        let jobs: Vec<u64> = (0..40).collect();
        let out = in_parallel(&jobs, 3, |&j| {
            // The early jobs slowest, so later ones finish first on another thread.
            std::thread::sleep(std::time::Duration::from_millis(40 - j));
            Ok(j * j)
        })
        .unwrap();
        assert_eq!(out, (0..40).map(|j| j * j).collect::<Vec<_>>());
        let err = in_parallel(&jobs, 3, |&j| match j {
            7 | 30 => anyhow::bail!("job {j} failed"),
            _ => Ok(j),
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "job 7 failed");
        assert!(in_parallel(&Vec::<u64>::new(), 3, |&j| Ok(j))
            .unwrap()
            .is_empty());
        let one = in_parallel(&jobs, 1, |&j| Ok(j + 1)).unwrap();
        assert_eq!(one, (1..=40).collect::<Vec<_>>());
    }
}
