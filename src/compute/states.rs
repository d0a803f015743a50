//! Member states: for each entity and member of a window, each operand's window value and
//! whether it is known (VALUE), left blank in some month (MISSING) or never reported (a
//! service the member does not provide: null), combined over the months by `over_time`.

use super::engine::Engine;
use super::engine::StatesKey;
use super::types::{Scope, BED_DAYS, MISSING, PRIMARY_PARTS, VALUE};
use crate::catalog::OverTime;
use crate::model::period::Period;
use crate::model::Tier;
use anyhow::Result;
use polars::prelude::*;
use std::collections::{BTreeSet, HashMap};

/// Whether shifting `months` by `shift` changes which of them are a member's months for some
/// member: the member scope's windows then differ by shift (see `Engine::compute_states`).
fn moves_membership(members: &[crate::config::Member], months: &[Period], shift: i32) -> bool {
    shift != 0
        && members.iter().any(|m| {
            months
                .iter()
                .any(|&p| m.is_member_at(p) != m.is_member_at(p.add_months(shift)))
        })
}

/// One (window, entity, member) of a set of member states: the member's months in the window
/// that count in the entity (month index, a primary or village member that month).
struct Slot {
    w: u32,
    e: u32,
    m: u32,
    months: Vec<(i32, bool)>,
    days: i64,
}

/// An operand's figures over a slot's months.
#[derive(Clone, Copy, Default)]
struct Acc {
    sum: f64,
    n: u32,
    last: f64,
    t_last: Option<i32>,
    mr: i32,
}

impl Acc {
    fn add(&mut self, t: i32, v: f64, mr: i32) {
        self.sum += v;
        self.n += 1;
        if self.t_last.is_none_or(|l| t >= l) {
            (self.last, self.t_last) = (v, Some(t));
        }
        self.mr = self.mr.max(mr);
    }
}

impl Engine<'_> {
    /// Per (window, entity, member): each operand's window value and state, one column set
    /// each; and the number of members per window and entity.
    ///
    /// A member that belonged to the consortium in one tier for the whole window has the
    /// same figures in its tier and in the consortium as on its own, so those rows are
    /// reused from the member scope (computed once per set of windows); only members that
    /// joined, left or changed tier inside a window are computed for the scope itself.
    /// `shifts` apply to the member scope only (see `compute_states`); the tier and
    /// consortium reuse the member rows of the windows themselves.
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
        // The member rows of those members, under their entity (`take`: no join).
        let position: HashMap<&str, usize> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        let (ow, om) = (own.0.column("w")?.u32()?, own.0.column("member")?.str()?);
        let (mut rows, mut entities): (Vec<IdxSize>, Vec<&str>) = (vec![], vec![]);
        for (r, (w, m)) in ow.into_iter().zip(om).enumerate() {
            let (Some(w), Some(m)) = (w, m) else {
                continue;
            };
            let entity = uniform
                .get(w as usize)
                .zip(position.get(m))
                .and_then(|(row, &i)| row.get(i))
                .and_then(|e| e.as_deref());
            if let Some(e) = entity {
                rows.push(r as IdxSize);
                entities.push(e);
            }
        }
        let mut reused = own.0.take(&IdxCa::from_vec("".into(), rows))?;
        reused.with_column(Column::new("entity".into(), entities))?;
        let irregular: Vec<Vec<bool>> = uniform
            .iter()
            .map(|row| row.iter().map(Option::is_none).collect())
            .collect();
        let (rest, rest_members) =
            self.compute_states(windows, scope, Some(&irregular), &shifts)?;
        let wide = reused.vstack(&rest)?;
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
    ///
    /// Which entity each member-month counts in, for a scope and months: a member's own
    /// window runs over the months it was a member, like its share of the tier and
    /// consortium. `shifts[w]` serves the comparisons: a prior window (shift 12) covers the
    /// months that were member months that many months later, so a member that joined in
    /// July is compared July–December against its own July–December a year earlier (figures
    /// it may have sent on joining), never against a whole year. `only[w]`, when given, picks
    /// the members taking part in window `w`.
    ///
    /// Each operand's window value by its `over_time` rule (sum, average, last month), its
    /// state (VALUE: a figure in each month, for `last` in the last; MISSING: not; null: the
    /// member never reported the item) and whether some figure came from a 去年同月 column.
    pub(super) fn compute_states(
        &self,
        windows: &[Vec<Period>],
        scope: Scope,
        only: Option<&[Vec<bool>]>,
        shifts: &[i32],
    ) -> Result<(DataFrame, DataFrame)> {
        let members = self.consortium.members();
        let names: Vec<&str> = match scope {
            Scope::Member => members.iter().map(|m| m.id.as_str()).collect(),
            Scope::Tier => Tier::ALL.iter().map(|t| t.code()).collect(),
            Scope::Consortium => vec!["consortium"],
        };
        let mut slots: Vec<Slot> = Vec::new();
        for (wi, months) in windows.iter().enumerate() {
            let shift = shifts.get(wi).copied().unwrap_or(0);
            for (mi, mem) in members.iter().enumerate() {
                let taking_part = only.map(|o| o.get(wi).and_then(|o| o.get(mi)).copied());
                if taking_part.is_some_and(|x| x != Some(true)) {
                    continue;
                }
                let first = slots.len();
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
                    } as u32;
                    // A member that changed tier inside the window has a slot in each.
                    let at = match slots[first..].iter().position(|s| s.e == entity) {
                        Some(i) => first + i,
                        None => {
                            slots.push(Slot {
                                w: wi as u32,
                                e: entity,
                                m: mi as u32,
                                months: Vec::with_capacity(months.len()),
                                days: 0,
                            });
                            slots.len() - 1
                        }
                    };
                    let primary = matches!(tier, Some(Tier::Primary | Tier::Village));
                    slots[at].months.push((p.index(), primary));
                    slots[at].days += p.days() as i64;
                }
            }
        }
        let codes = self.codes.len();
        let cat = &self.consortium.catalog;
        let over_time: Vec<OverTime> = (0..codes)
            .map(|x| cat.metrics.get(x).map_or(OverTime::Sum, |m| m.over_time))
            .collect();
        // The primary members' part of each shared item, as its own operand: the item's
        // figure in a primary or village member's months, 0 in the others.
        let mut part_of: Vec<Option<usize>> = vec![None; codes];
        let mut item_of: Vec<Option<usize>> = vec![None; codes];
        for (item, part) in PRIMARY_PARTS {
            let (Some(i), Some(p)) = (self.code_pos(item), self.code_pos(part)) else {
                continue;
            };
            part_of[i] = Some(p);
            item_of[p] = Some(i);
        }
        let n = slots.len();
        // Each list its own capacity: `vec![Vec::with_capacity(n); codes]` clones the first,
        // and a clone has none, so every column but one grew by doubling (a tenth of a
        // bureau's trends, most of it the system zeroing the pages of each larger copy).
        let mut v: Vec<Vec<Option<f64>>> = lists(codes, n);
        let mut st: Vec<Vec<Option<i32>>> = lists(codes, n);
        let mut mr: Vec<Vec<Option<i32>>> = lists(codes, n);
        let mut acc = vec![Acc::default(); codes];
        let base = &self.base;
        for s in &slots {
            acc.fill(Acc::default());
            for &(t, primary) in &s.months {
                for r in base.rows(s.m, t) {
                    let x = base.x[r] as usize;
                    let (value, flag) = (base.value[r], base.mr[r]);
                    if let Some(a) = acc.get_mut(x) {
                        a.add(t, value, flag);
                    }
                    if let Some(p) = part_of.get(x).copied().flatten() {
                        acc[p].add(t, if primary { value } else { 0.0 }, flag);
                    }
                }
            }
            let t_max = s.months.iter().map(|m| m.0).max();
            let n_slots = s.months.len() as u32;
            for x in 0..codes {
                let ever = base.ever(s.m as usize, item_of[x].unwrap_or(x));
                let a = &acc[x];
                let (vx, sx, mx) = match (ever, a.n) {
                    (false, _) => (None, None, None),
                    (true, 0) => (None, Some(MISSING), None),
                    (true, _) => {
                        let value = match over_time[x] {
                            OverTime::Sum => a.sum,
                            OverTime::Average => a.sum / a.n as f64,
                            OverTime::Last => a.last,
                        };
                        let complete = match over_time[x] {
                            OverTime::Last => a.t_last == t_max,
                            _ => a.n == n_slots,
                        };
                        let state = if complete { VALUE } else { MISSING };
                        (Some(value), Some(state), Some(a.mr))
                    }
                };
                v[x].push(vx);
                st[x].push(sx);
                mr[x].push(mx);
            }
        }
        // Members per window and entity.
        let mut counts: std::collections::BTreeMap<(u32, u32), u32> = Default::default();
        for s in &slots {
            *counts.entry((s.w, s.e)).or_default() += 1;
        }
        let entity = |e: u32| names.get(e as usize).copied().unwrap_or("");
        let members_frame = DataFrame::new(vec![
            Column::new("w".into(), counts.keys().map(|k| k.0).collect::<Vec<_>>()),
            Column::new(
                "entity".into(),
                counts.keys().map(|k| entity(k.1)).collect::<Vec<_>>(),
            ),
            Column::new(
                "members".into(),
                counts.values().copied().collect::<Vec<_>>(),
            ),
        ])?;
        let member_id = |m: u32| members.get(m as usize).map_or("", |m| m.id.as_str());
        let mut cols = vec![
            Column::new("w".into(), slots.iter().map(|s| s.w).collect::<Vec<_>>()),
            Column::new(
                "entity".into(),
                slots.iter().map(|s| entity(s.e)).collect::<Vec<_>>(),
            ),
            Column::new(
                "member".into(),
                slots.iter().map(|s| member_id(s.m)).collect::<Vec<_>>(),
            ),
            Column::new(
                "slot_days".into(),
                slots.iter().map(|s| s.days).collect::<Vec<_>>(),
            ),
            Column::new(
                "slot_months".into(),
                slots
                    .iter()
                    .map(|s| s.months.len() as u32)
                    .collect::<Vec<_>>(),
            ),
            // A primary or village member for some month of the window: the primary shares
            // apply to an entity only if it has one (see `Engine::evaluate`).
            Column::new(
                "slot_primary".into(),
                slots
                    .iter()
                    .map(|s| s.months.iter().any(|m| m.1))
                    .collect::<Vec<_>>(),
            ),
        ];
        drop(slots);
        for (c, code) in self.codes.iter().enumerate() {
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
        let wide = DataFrame::new(cols)?
            .lazy()
            .with_columns(bed_days_exprs())
            .collect()?;
        Ok((wide, members_frame))
    }
}

/// `k` empty lists, each with room for `n`.
fn lists<T>(k: usize, n: usize) -> Vec<Vec<T>> {
    (0..k).map(|_| Vec::with_capacity(n)).collect()
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

    /// Member states of the quarter 2025-01..03 computed by hand from this fixture:
    /// a (secondary) all quarter; b primary in January and February, secondary from March
    /// (a slot in each tier); c (primary) joined in February.
    ///
    ///                      Jan  Feb  Mar   over time
    /// outpatient_visits a  100  110  120   sum (January's from a 去年同月 column)
    ///                   b   10   20   30
    ///                   c    -    5    7
    /// open_beds         a  300    -  330   average
    /// physicians        a   50   52    -   last
    ///                   b    8    9   10
    /// family_doctor_contracts c  -  -  40  last (a and b never reported it)
    #[test]
    fn states_of_a_quarter_by_hand() {
        use super::super::types::{Scope, MISSING, PRIMARY_VISITS, VALUE};
        use super::super::{base_frame, Engine};
        use crate::config::{Consortium, ConsortiumFile};
        use polars::prelude::*;
        let file: ConsortiumFile = toml::from_str(
            r#"
name = "季度医联体"
[[members]]
id = "a"
name = "甲医院"
tier = "secondary"
joined = "2019-01"
[[members]]
id = "b"
name = "乙卫生院"
tiers = { "2019-01" = "primary", "2025-03" = "secondary" }
joined = "2019-01"
[[members]]
id = "c"
name = "丙卫生院"
tier = "primary"
joined = "2025-02"
"#,
        )
        .unwrap();
        let c = Consortium::from_file(file, None).unwrap();
        let mut rows = Vec::new();
        let mut put = |m: &str, month: &str, x: &str, v: f64, mr: bool| {
            let t = Period::parse_strict(month).unwrap().index();
            rows.push((m.to_string(), t, x.to_string(), v, mr))
        };
        for (m, month, v) in [
            ("a", "2025-01", 100.0),
            ("a", "2025-02", 110.0),
            ("a", "2025-03", 120.0),
            ("b", "2025-01", 10.0),
            ("b", "2025-02", 20.0),
            ("b", "2025-03", 30.0),
            ("c", "2025-02", 5.0),
            ("c", "2025-03", 7.0),
        ] {
            put(
                m,
                month,
                "outpatient_visits",
                v,
                (m, month) == ("a", "2025-01"),
            );
        }
        put("a", "2025-01", "open_beds", 300.0, false);
        put("a", "2025-03", "open_beds", 330.0, false);
        for (m, month, v) in [
            ("a", "2025-01", 50.0),
            ("a", "2025-02", 52.0),
            ("b", "2025-01", 8.0),
            ("b", "2025-02", 9.0),
            ("b", "2025-03", 10.0),
        ] {
            put(m, month, "physicians", v, false);
        }
        put("c", "2025-03", "family_doctor_contracts", 40.0, false);
        let engine = Engine::new(&c, base_frame(rows).unwrap()).unwrap();
        let quarter: Vec<Period> = ["2025-01", "2025-02", "2025-03"]
            .iter()
            .map(|m| Period::parse_strict(m).unwrap())
            .collect();
        // (value, state, 去年同月 flag) of an operand in the row of an entity and member.
        type State = (Option<f64>, Option<i32>, Option<i32>);
        let state = |wide: &DataFrame, entity: &str, member: &str, x: &str| -> State {
            let (e, m) = (
                wide.column("entity").unwrap().str().unwrap(),
                wide.column("member").unwrap().str().unwrap(),
            );
            let r = (0..wide.height())
                .find(|&r| e.get(r) == Some(entity) && m.get(r) == Some(member))
                .unwrap_or_else(|| panic!("no row of {entity}/{member}"));
            let get = |name: String| wide.column(&name).unwrap().get(r).unwrap();
            let f = |v: AnyValue| v.extract::<f64>();
            let i = |v: AnyValue| v.extract::<i32>();
            (
                f(get(x.into())),
                i(get(format!("{x}__st"))),
                i(get(format!("{x}__mr"))),
            )
        };
        let (wide, members) = engine
            .member_states(std::slice::from_ref(&quarter), &[0], Scope::Tier)
            .unwrap();
        assert_eq!(wide.height(), 4, "a; b in two tiers; c");
        let v = VALUE;
        let (miss, never) = (Some(MISSING), (None, None, None));
        // a, the whole quarter in one tier: its member row.
        assert_eq!(
            state(&wide, "secondary", "a", "outpatient_visits"),
            (Some(330.0), Some(v), Some(1))
        );
        assert_eq!(
            state(&wide, "secondary", "a", "open_beds"),
            (Some(315.0), miss, Some(0))
        );
        assert_eq!(
            state(&wide, "secondary", "a", "physicians"),
            (Some(52.0), miss, Some(0))
        );
        assert_eq!(
            state(&wide, "secondary", "a", "family_doctor_contracts"),
            never
        );
        assert_eq!(
            state(&wide, "secondary", "a", PRIMARY_VISITS),
            (Some(0.0), Some(v), Some(1))
        );
        // b: January–February in the primary tier, March in the secondary.
        assert_eq!(
            state(&wide, "primary", "b", "outpatient_visits"),
            (Some(30.0), Some(v), Some(0))
        );
        assert_eq!(
            state(&wide, "primary", "b", PRIMARY_VISITS),
            (Some(30.0), Some(v), Some(0))
        );
        assert_eq!(
            state(&wide, "primary", "b", "physicians"),
            (Some(9.0), Some(v), Some(0))
        );
        assert_eq!(
            state(&wide, "secondary", "b", "outpatient_visits"),
            (Some(30.0), Some(v), Some(0))
        );
        assert_eq!(
            state(&wide, "secondary", "b", PRIMARY_VISITS),
            (Some(0.0), Some(v), Some(0))
        );
        assert_eq!(state(&wide, "secondary", "b", "open_beds"), never);
        // c: its two member months.
        assert_eq!(
            state(&wide, "primary", "c", "outpatient_visits"),
            (Some(12.0), Some(v), Some(0))
        );
        assert_eq!(
            state(&wide, "primary", "c", "family_doctor_contracts"),
            (Some(40.0), Some(v), Some(0))
        );
        assert_eq!(state(&wide, "primary", "c", "physicians"), never);
        let months = |e: &str| -> u32 {
            let r = (0..wide.height())
                .filter(|&r| wide.column("entity").unwrap().str().unwrap().get(r) == Some(e))
                .map(|r| {
                    wide.column("slot_months")
                        .unwrap()
                        .u32()
                        .unwrap()
                        .get(r)
                        .unwrap()
                });
            r.sum()
        };
        assert_eq!((months("secondary"), months("primary")), (3 + 1, 2 + 2));
        let count = |e: &str| {
            let (me, mn) = (
                members.column("entity").unwrap().str().unwrap(),
                members.column("members").unwrap().u32().unwrap(),
            );
            (0..members.height())
                .find(|&r| me.get(r) == Some(e))
                .and_then(|r| mn.get(r))
        };
        assert_eq!((count("secondary"), count("primary")), (Some(2), Some(2)));
        // The consortium: b one slot of three months, c of two.
        let (wide, _) = engine
            .member_states(std::slice::from_ref(&quarter), &[0], Scope::Consortium)
            .unwrap();
        assert_eq!(wide.height(), 3);
        assert_eq!(
            state(&wide, "consortium", "b", "outpatient_visits"),
            (Some(60.0), Some(v), Some(0))
        );
        assert_eq!(
            state(&wide, "consortium", "b", PRIMARY_VISITS),
            (Some(30.0), Some(v), Some(0))
        );
        assert_eq!(
            state(&wide, "consortium", "b", "physicians"),
            (Some(10.0), Some(v), Some(0))
        );
        assert_eq!(
            state(&wide, "consortium", "c", "outpatient_visits"),
            (Some(12.0), Some(v), Some(0))
        );
    }
}
