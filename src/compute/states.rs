//! Member states: for each entity and member of a window, each operand's window value and
//! whether it is known (VALUE), left blank in some month (MISSING) or never reported (a
//! service the member does not provide: null), combined over the months by `over_time`.

use super::engine::Engine;
use super::engine::StatesKey;
use super::types::{Scope, BED_DAYS, MISSING, PRIMARY_PARTS, VALUE};
use crate::catalog::OverTime;
use crate::config::Consortium;
use crate::model::period::Period;
use crate::model::Tier;
use anyhow::Result;
use polars::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// Whether shifting `months` by `shift` changes which of them are a member's months for some
/// member: the member scope's windows then differ by shift (see `Engine::slots`).
fn moves_membership(members: &[crate::config::Member], months: &[Period], shift: i32) -> bool {
    shift != 0
        && members.iter().any(|m| {
            months
                .iter()
                .any(|&p| m.is_member_at(p) != m.is_member_at(p.add_months(shift)))
        })
}

impl Engine<'_> {
    pub(super) fn over_time_frame(&self) -> Result<DataFrame> {
        let cat = &self.consortium.catalog;
        let mut ot: Vec<i32> = cat.metrics.iter().map(|m| ot_code(m.over_time)).collect();
        // primary members' visits add up like visits
        ot.extend(PRIMARY_PARTS.iter().map(|_| ot_code(OverTime::Sum)));
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
    /// tier and consortium. `shifts[w]` serves the comparisons: a prior window (shift 12)
    /// covers the months that were member months that many months later, so a member that
    /// joined in July is compared July–December against its own July–December a year
    /// earlier (figures it may have sent on joining), never against a whole year.
    /// `windows` are evaluated together, each numbered by its position (`w`); `only[w]`, when
    /// given, picks the members taking part in window `w`.
    pub(super) fn slots(
        &self,
        windows: &[Vec<Period>],
        scope: Scope,
        only: Option<&[Vec<bool>]>,
        shifts: &[i32],
    ) -> Result<(DataFrame, Vec<String>)> {
        let (mut w, mut e, mut m, mut t, mut primary, mut days) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
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
        for (wi, months) in windows.iter().enumerate() {
            let shift = shifts.get(wi).copied().unwrap_or(0);
            for (mi, mem) in self.consortium.members().iter().enumerate() {
                let taking_part = only.map(|o| o.get(wi).and_then(|o| o.get(mi)).copied());
                if taking_part.is_some_and(|x| x != Some(true)) {
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
                    w.push(wi as u32);
                    e.push(entity as u32);
                    m.push(mi as u32);
                    t.push(p.index());
                    primary.push(matches!(tier, Some(Tier::Primary | Tier::Village)));
                    days.push(p.days() as i64);
                }
            }
        }
        let df = DataFrame::new(vec![
            Column::new("w".into(), w),
            Column::new("e".into(), e),
            Column::new("m".into(), m),
            Column::new("t".into(), t),
            Column::new("primary".into(), primary),
            Column::new("days".into(), days),
        ])?;
        Ok((df, names))
    }

    /// Per (window, entity, member): each operand's window value and state, one column set
    /// each; and the number of members per window and entity.
    ///
    /// A member that belonged to the consortium in one tier for the whole window has the
    /// same figures in its tier and in the consortium as on its own, so those rows are
    /// reused from the member scope (computed once per set of windows); only members that
    /// joined, left or changed tier inside a window are computed for the scope itself.
    /// `shifts` apply to the member scope only (see `slots`); the tier and consortium reuse
    /// the member rows of the windows themselves.
    pub(super) fn member_states(
        &self,
        windows: &[Vec<Period>],
        shifts: &[i32],
        scope: Scope,
    ) -> Result<(DataFrame, DataFrame)> {
        // A shift that moves no member in or out of a window (every member a member in each
        // of its months and that many months later, or in neither) selects the same
        // member-months as none: counted as none, the member scope's prior window is the set
        // the tier and consortium compute for the same months, and is computed once.
        let members = self.consortium.members();
        let shifts: Vec<i32> = match scope {
            Scope::Member => windows
                .iter()
                .zip(shifts)
                .map(|(months, &s)| match moves_membership(members, months, s) {
                    true => s,
                    false => 0,
                })
                .collect(),
            _ => vec![0; windows.len()],
        };
        let key: StatesKey = windows
            .iter()
            .zip(&shifts)
            .map(|(months, &shift)| {
                (
                    months.first().map(|p| p.index()).unwrap_or(0),
                    months.last().map(|p| p.index()).unwrap_or(0),
                    months.len(),
                    shift,
                )
            })
            .collect();
        let once = self
            .states_cache
            .lock()
            .map_err(|_| anyhow::Error::new(crate::i18n::internal("state cache poisoned")))?
            .entry(key)
            .or_default()
            .clone();
        // Outside the cache's lock: other sets are computed meanwhile, this one once.
        let own = once
            .get_or_init(|| {
                self.compute_states(windows, Scope::Member, None, &shifts)
                    .map_err(|e| format!("{e:#}"))
            })
            .clone()
            .map_err(|e| anyhow::Error::new(crate::i18n::internal(&e)))?;
        if scope == Scope::Member {
            return Ok(own);
        }
        let entity_of = |m: &crate::config::Member, months: &[Period]| -> Option<String> {
            let tiers: BTreeSet<Option<Tier>> = months.iter().map(|p| m.tier_at(*p)).collect();
            let whole = months.iter().all(|p| m.is_member_at(*p));
            match (whole, tiers.len(), scope) {
                (true, 1, Scope::Consortium) => Some("consortium".into()),
                (true, 1, Scope::Tier) => m.tier_at(months[0]).map(|t| t.code().to_string()),
                _ => None,
            }
        };
        // uniform[w][member]: the entity a member counts in for the whole of window w.
        let uniform: Vec<Vec<Option<String>>> = windows
            .iter()
            .map(|months| members.iter().map(|m| entity_of(m, months)).collect())
            .collect();
        let (mut mw, mut mid, mut ment) = (vec![], vec![], vec![]);
        for (w, row) in uniform.iter().enumerate() {
            for (m, e) in members.iter().zip(row) {
                if let Some(e) = e {
                    mw.push(w as u32);
                    mid.push(m.id.as_str());
                    ment.push(e.as_str());
                }
            }
        }
        let mapping = DataFrame::new(vec![
            Column::new("w".into(), mw),
            Column::new("member".into(), mid),
            Column::new("new_entity".into(), ment),
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
                [col("w"), col("member")],
                [col("w"), col("member")],
                JoinArgs::new(JoinType::Inner),
            )
            .with_columns([col("new_entity").alias("entity")])
            .select(order);
        let irregular: Vec<Vec<bool>> = uniform
            .iter()
            .map(|row| row.iter().map(Option::is_none).collect())
            .collect();
        let (rest, rest_members) =
            self.compute_states(windows, scope, Some(&irregular), &shifts)?;
        let wide = concat([reused, rest.lazy()], UnionArgs::default())?.collect()?;
        // Members per window and entity: the reused ones plus the others.
        let mut counts: HashMap<(u32, String), u32> = HashMap::new();
        for (w, row) in uniform.iter().enumerate() {
            for e in row.iter().flatten() {
                *counts.entry((w as u32, e.clone())).or_default() += 1;
            }
        }
        let (rw, re, rn) = (
            rest_members.column("w")?.u32()?,
            rest_members.column("entity")?.str()?,
            rest_members.column("members")?.cast(&DataType::UInt32)?,
        );
        let rn = rn.u32()?;
        for i in 0..rest_members.height() {
            if let (Some(w), Some(e), Some(n)) = (rw.get(i), re.get(i), rn.get(i)) {
                *counts.entry((w, e.to_string())).or_default() += n;
            }
        }
        let mut counts: Vec<((u32, String), u32)> = counts.into_iter().collect();
        counts.sort();
        let members = DataFrame::new(vec![
            Column::new(
                "w".into(),
                counts.iter().map(|c| c.0 .0).collect::<Vec<_>>(),
            ),
            Column::new(
                "entity".into(),
                counts.iter().map(|c| c.0 .1.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "members".into(),
                counts.iter().map(|c| c.1).collect::<Vec<_>>(),
            ),
        ])?;
        Ok((wide, members))
    }

    /// The states of `member_states`, computed from the member-months themselves.
    pub(super) fn compute_states(
        &self,
        windows: &[Vec<Period>],
        scope: Scope,
        only: Option<&[Vec<bool>]>,
        shifts: &[i32],
    ) -> Result<(DataFrame, DataFrame)> {
        let (slots, names) = self.slots(windows, scope, only, shifts)?;
        let slots = slots.lazy();
        let slot_agg = slots.clone().group_by([col("w"), col("e"), col("m")]).agg([
            len().alias("n_slots"),
            col("days").sum().alias("days"),
            col("t").max().alias("t_max"),
            col("primary").any(true).alias("primary"),
        ]);
        // Only the windows' months take part in the join (the base holds every month).
        let months = windows.iter().flatten();
        let (lo, hi) = (
            months.clone().map(|p| p.index()).min().unwrap_or(0),
            months.map(|p| p.index()).max().unwrap_or(0),
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
        // The primary members' part of each shared item, as its own operand.
        let parts: Vec<(u32, u32)> = PRIMARY_PARTS
            .iter()
            .map(|(item, part)| (self.code_ix(item), self.code_ix(part)))
            .collect();
        let mut with_parts = vec![joined.clone()];
        for &(item, part) in &parts {
            with_parts.push(
                joined.clone().filter(col("x").eq(lit(item))).with_columns([
                    lit(part).cast(DataType::UInt32).alias("x"),
                    when(col("primary"))
                        .then(col("value"))
                        .otherwise(lit(0.0))
                        .alias("value"),
                ]),
            );
        }
        // Sorted by month, so `last()` in each group is the latest month (groups keep row order).
        let joined =
            concat(with_parts, UnionArgs::default())?.sort(["t"], SortMultipleOptions::default());
        let agg = joined
            .group_by([col("w"), col("e"), col("m"), col("x")])
            .agg([
                col("value").sum().alias("sum"),
                col("value").mean().alias("mean"),
                col("value").count().alias("n_val"),
                col("value").last().alias("last"),
                col("t").max().alias("t_last"),
                col("mr").max().alias("mr"),
            ]);
        let mut ever = vec![self.ever.clone().lazy()];
        for &(item, part) in &parts {
            ever.push(
                self.ever
                    .clone()
                    .lazy()
                    .filter(col("x").eq(lit(item)))
                    .with_columns([lit(part).cast(DataType::UInt32).alias("x")]),
            );
        }
        let ever = concat(ever, UnionArgs::default())?;
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
                [col("w"), col("e"), col("m"), col("x")],
                [col("w"), col("e"), col("m"), col("x")],
                JoinArgs::new(JoinType::Left),
            )
            .select([
                col("w"),
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
            .group_by([col("w"), col("e")])
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
            members.column("w")?.clone(),
            Column::new("entity".into(), entity),
            members.column("members")?.clone(),
        ])?;
        Ok((wide.collect()?, members))
    }
}

/// Scatters long (w, e, m, x, v, st, mr) rows into one row per (window, entity, member) of `slots`
/// with columns `x`, `x__st`, `x__mr` per metric code.
fn pivot_states(
    slots: &DataFrame,
    states: &DataFrame,
    codes: &[String],
    names: &[String],
    c: &Consortium,
) -> Result<DataFrame> {
    let sw = slots.column("w")?.u32()?;
    let se = slots.column("e")?.u32()?;
    let sm = slots.column("m")?.u32()?;
    let sd = slots.column("days")?.cast(&DataType::Int64)?;
    let sd = sd.i64()?;
    let sn = slots.column("n_slots")?.cast(&DataType::UInt32)?;
    let sn = sn.u32()?;
    let sp = slots.column("primary")?.bool()?;
    let mut primary: Vec<bool> = Vec::with_capacity(slots.height());
    let mut months: Vec<u32> = Vec::with_capacity(slots.height());
    let n = slots.height();
    // Rows in order through the columns' iterators: `ChunkedArray::get` finds the chunk
    // of each row anew (a twentieth of a bureau's `indicators` with the lookups below).
    let mut index: HashMap<(u32, u32, u32), usize, crate::model::Fast> =
        HashMap::with_capacity_and_hasher(n, Default::default());
    let (mut win, mut ent, mut mem, mut days) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let keys = sw.into_iter().zip(se).zip(sm);
    for (((w, e), m), ((d, k), p)) in keys.zip(sd.into_iter().zip(sn).zip(sp)) {
        let (Some(w), Some(e), Some(m)) = (w, e, m) else {
            continue;
        };
        index.insert((w, e, m), ent.len());
        win.push(w);
        ent.push(names.get(e as usize).map(String::as_str).unwrap_or(""));
        mem.push(
            c.members()
                .get(m as usize)
                .map(|m| m.id.as_str())
                .unwrap_or(""),
        );
        days.push(d.unwrap_or(0));
        months.push(k.unwrap_or(0));
        primary.push(p.unwrap_or(false));
    }
    let rows = ent.len();
    let mut v: Vec<Vec<Option<f64>>> = vec![vec![None; rows]; codes.len()];
    let mut st: Vec<Vec<Option<i32>>> = vec![vec![None; rows]; codes.len()];
    let mut mr: Vec<Vec<Option<i32>>> = vec![vec![None; rows]; codes.len()];
    let (w, e, m, x) = (
        states.column("w")?.u32()?,
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
    let keys = w.into_iter().zip(e).zip(m).zip(x);
    for ((((w, e), m), x), ((v_i, st_i), mr_i)) in keys.zip(sv.into_iter().zip(ss).zip(sr)) {
        let (Some(w), Some(e), Some(m), Some(x)) = (w, e, m, x) else {
            continue;
        };
        let (Some(&r), true) = (index.get(&(w, e, m)), (x as usize) < codes.len()) else {
            continue;
        };
        v[x as usize][r] = v_i;
        st[x as usize][r] = st_i;
        mr[x as usize][r] = mr_i;
    }
    let mut cols = vec![
        Column::new("w".into(), win),
        Column::new("entity".into(), ent),
        Column::new("member".into(), mem),
        Column::new("slot_days".into(), days),
        Column::new("slot_months".into(), months),
        // A primary or village member for some month of the window: the primary shares
        // apply to an entity only if it has one (see `Engine::evaluate`).
        Column::new("slot_primary".into(), primary),
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

#[cfg(test)]
mod tests {
    use super::moves_membership;
    use crate::config::Member;
    use crate::model::period::Period;

    fn member(joined: &str, left: Option<&str>) -> Member {
        Member {
            id: "m".into(),
            name: "m".into(),
            aliases: vec![],
            tier: None,
            tiers: None,
            joined: joined.parse().unwrap(),
            left: left.map(|l| l.parse().unwrap()),
        }
    }

    fn months(a: &str, b: &str) -> Vec<Period> {
        let (a, b): (Period, Period) = (a.parse().unwrap(), b.parse().unwrap());
        (0..=b.index() - a.index())
            .map(|i| a.add_months(i))
            .collect()
    }

    #[test]
    fn a_shift_matters_only_where_it_moves_a_member_in_or_out() {
        let always = member("2020-01", None);
        let july = member("2024-07", None);
        let left = member("2020-01", Some("2024-03"));
        // A year earlier than 2024-01..2024-12, shifted 12 ahead: 2024 again.
        let prior = months("2023-01", "2023-12");
        assert!(!moves_membership(std::slice::from_ref(&always), &prior, 12));
        assert!(!moves_membership(std::slice::from_ref(&always), &prior, 0));
        // Joined in July 2024: its 2023-01..06 shifted are not member months, 2023 itself
        // is not either, but 2023-07..12 shifted are: it moves.
        assert!(moves_membership(
            &[always.clone(), july.clone()],
            &prior,
            12
        ));
        // Left after March 2024: 2023-04 is a member month, 2024-04 is not.
        assert!(moves_membership(std::slice::from_ref(&left), &prior, 12));
        // Months where neither end is a member month, or both are: no move.
        assert!(!moves_membership(
            std::slice::from_ref(&july),
            &months("2022-01", "2023-06"),
            12
        ));
        assert!(!moves_membership(
            &[left],
            &months("2022-01", "2023-03"),
            12
        ));
        assert!(!moves_membership(&[july], &months("2025-01", "2025-02"), 1));
    }
}
