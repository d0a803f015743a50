//! The region: every consortium's members as one synthetic consortium, a hospital in two
//! consortia once, so that compute's own aggregation (ratio of sums over the members covered)
//! gives the region's totals; and the indicators of each consortium and of the region.

use super::config::Bureau;
use crate::compute::{base_frame, BaseData, Engine, Record, Request, Scope};
use crate::config::{Consortium, ConsortiumFile, Member};
use crate::i18n::{Msg, Text};
use crate::model::period::Period;
use crate::said;
use anyhow::{Context, Result};
use polars::prelude::DataFrame;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Each consortium's base data and the region built from them.
pub struct Loaded {
    pub bases: Vec<BaseData>,
    pub region: Region,
    /// Months some member of some consortium has figures for, among the months read.
    pub months: BTreeSet<Period>,
    /// Months the stores hold members' own figures for (in any version), read or not.
    pub stored: BTreeSet<Period>,
    pub warnings: Vec<Text>,
}

pub struct Region {
    /// The synthetic consortium: one member per hospital, named by its first listing.
    pub consortium: Consortium,
    /// Base values by region member id.
    pub frame: DataFrame,
    /// (region member id, metric) pairs with a figure in use in any month of a store.
    pub ever: Vec<(String, String)>,
    /// (consortium index, member id) → region member id.
    pub ids: HashMap<(usize, String), String>,
    /// Region member id → its memberships, in bureau.toml order.
    pub memberships: BTreeMap<String, Vec<(usize, String)>>,
}

/// A hospital in more than one consortium in some month of a window.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub id: String,
    pub name: String,
    /// Consortium ids it belonged to in the window, simultaneously with another.
    pub consortia: Vec<String>,
}

impl Loaded {
    /// Every consortium's whole store (every month in use).
    pub fn new(b: &Bureau) -> Result<Loaded> {
        let mut stores = Vec::new();
        for c in &b.consortia {
            let store = open_store(c)?;
            stores.push(BaseData::from_store(&store)?);
        }
        Loaded::from_bases(b, stores)
    }

    /// The months any consortium's store holds members' figures for (from the stores' records,
    /// no figures read): what a quarter is resolved against before reading.
    pub fn stored_months(b: &Bureau) -> Result<BTreeSet<Period>> {
        let mut stored = BTreeSet::new();
        for c in &b.consortia {
            stored.extend(BaseData::stored_months(&open_store(c)?)?);
        }
        Ok(stored)
    }

    /// What a question about `asked` (default: the newest month any consortium stores)
    /// needs: each consortium's figures of the months `needs` gives for it, read from its
    /// store with a month filter, as the consortium commands read theirs. Which services a
    /// member provides still comes from its whole store (`BaseData::ever`).
    pub fn for_months(
        b: &Bureau,
        asked: Option<Period>,
        needs: impl Fn(Period) -> BTreeSet<Period>,
    ) -> Result<Loaded> {
        let mut stores = Vec::new();
        let mut stored = BTreeSet::new();
        for c in &b.consortia {
            let store = open_store(c)?;
            let months = BaseData::stored_months(&store)?;
            stored.extend(months.iter().copied());
            stores.push((store, months));
        }
        let Some(target) = asked.or(stored.last().copied()) else {
            return Loaded::new(b);
        };
        let want = needs(target);
        let mut bases = Vec::new();
        for (store, months) in stores {
            // The consortium's own answer about the period does not matter here: the
            // bureau's is over all consortia (`resolve_period`).
            let (base, _) = BaseData::for_period(&store, Some(target), months, |_| want.clone())?;
            bases.push(base);
        }
        let mut l = Loaded::from_bases(b, bases)?;
        if asked.is_none() && !l.months.contains(&target) {
            // The newest month's every figure was replaced by a blank everywhere: the newest
            // month with figures in use is earlier, which only the whole stores tell.
            let all = Loaded::new(b)?;
            return match all.resolve_period(None) {
                Ok(p) => Loaded::for_months(b, Some(p), needs),
                Err(_) => Ok(all),
            };
        }
        l.stored = stored;
        Ok(l)
    }

    fn from_bases(b: &Bureau, bases: Vec<BaseData>) -> Result<Loaded> {
        let mut warnings = Vec::new();
        let mut months = BTreeSet::new();
        for (c, base) in b.consortia.iter().zip(&bases) {
            warnings.extend(
                base.warnings
                    .iter()
                    .map(|w| said!(Msg::PathWhy, path = c.id, why => w.clone())),
            );
            months.extend(base.months.iter().copied());
        }
        let t0 = std::time::Instant::now();
        let region = Region::build(b, &bases, &mut warnings)?;
        log::debug!("bureau: region frame {:.3}s", t0.elapsed().as_secs_f64());
        Ok(Loaded {
            bases,
            region,
            stored: months.clone(),
            months,
            warnings,
        })
    }

    /// The month asked for, else the newest month any consortium has figures for.
    pub fn resolve_period(&self, asked: Option<Period>) -> Result<Period> {
        match (asked, self.stored.last(), self.months.last()) {
            (Some(p), _, _) if self.months.contains(&p) => Ok(p),
            (Some(p), Some(_), _) => anyhow::bail!(crate::said!(
                Msg::BureauNoFiguresFor,
                period = p,
                first = self.stored.first().copied().unwrap_or(p),
                last = self.stored.last().copied().unwrap_or(p)
            )),
            (None, _, Some(&last)) => Ok(last),
            _ => anyhow::bail!(crate::said!(Msg::BureauNoFigures)),
        }
    }
}

fn open_store(c: &super::config::Member) -> Result<crate::store::Store> {
    crate::store::Store::open_existing(&c.store)
        .with_context(|| format!("consortium `{}` ({})", c.id, c.store.display()))
}

impl Region {
    fn build(b: &Bureau, bases: &[BaseData], warnings: &mut Vec<Text>) -> Result<Region> {
        let keys = b.member_keys();
        // Region member id: `consortium.member` of the hospital's first listing.
        let mut by_key: BTreeMap<String, String> = BTreeMap::new();
        let mut ids = HashMap::new();
        let mut memberships: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for (ci, c) in b.consortia.iter().enumerate() {
            for m in c.consortium.members() {
                let key = &keys[&(ci, m.id.clone())];
                let rid = by_key
                    .entry(key.clone())
                    .or_insert_with(|| {
                        order.push(format!("{}.{}", c.id, m.id));
                        format!("{}.{}", c.id, m.id)
                    })
                    .clone();
                ids.insert((ci, m.id.clone()), rid.clone());
                memberships.entry(rid).or_default().push((ci, m.id.clone()));
            }
        }
        let member_of = |ci: usize, id: &str| b.consortia[ci].consortium.member(id);
        let mut members = Vec::new();
        for rid in &order {
            let list = &memberships[rid];
            let ms: Vec<&Member> = list
                .iter()
                .filter_map(|(ci, id)| member_of(*ci, id))
                .collect();
            let first = ms[0];
            let joined = ms.iter().map(|m| m.joined).min().unwrap_or(first.joined);
            let left = if ms.iter().any(|m| m.left.is_none()) {
                None
            } else {
                ms.iter().filter_map(|m| m.left).max()
            };
            // The tier it had in each consortium, from the month it joined that one.
            let mut by_join: Vec<&Member> = ms.clone();
            by_join.sort_by_key(|m| m.joined);
            let mut tiers = BTreeMap::new();
            for m in &by_join {
                if let Some(t) = m.tier_at(m.joined) {
                    tiers.insert(m.joined, t);
                }
                for (p, t) in m.tiers.iter().flatten() {
                    if m.is_member_at(*p) {
                        tiers.insert(*p, *t);
                    }
                }
            }
            if let Some(gap) = first_gap(&ms, joined, left) {
                warnings.push(said!(
                    Msg::BureauMembershipGap,
                    name = first.name,
                    id = rid,
                    gap = gap
                ));
            }
            members.push(Member {
                id: rid.clone(),
                name: first.name.clone(),
                aliases: vec![],
                tier: None,
                tiers: Some(tiers),
                joined,
                left,
            });
        }
        let consortium = Consortium::from_file(
            ConsortiumFile {
                name: b.file.name.clone(),
                members,
                ..Default::default()
            },
            None,
        )?;
        let frame = region_frame(b, bases, &ids, warnings)?;
        // Services each hospital provides: what it reported to any of its consortia.
        let ever: BTreeSet<(String, String)> = bases
            .iter()
            .enumerate()
            .flat_map(|(ci, base)| {
                let ids = &ids;
                base.ever
                    .iter()
                    .filter_map(move |(m, x)| Some((ids.get(&(ci, m.clone()))?.clone(), x.clone())))
            })
            .collect();
        Ok(Region {
            consortium,
            frame,
            ever: ever.into_iter().collect(),
            ids,
            memberships,
        })
    }

    /// Hospitals in two or more consortia at once in some month of `months`.
    pub fn shared(&self, b: &Bureau, months: &[Period]) -> Vec<Shared> {
        let mut out = Vec::new();
        for m in self.consortium.members() {
            let list = &self.memberships[&m.id];
            let mut with: BTreeSet<usize> = BTreeSet::new();
            for &p in months {
                let at: Vec<usize> = list
                    .iter()
                    .filter(|(ci, id)| {
                        b.consortia[*ci]
                            .consortium
                            .member(id)
                            .is_some_and(|x| x.is_member_at(p))
                    })
                    .map(|(ci, _)| *ci)
                    .collect();
                if at.len() > 1 {
                    with.extend(at);
                }
            }
            if !with.is_empty() {
                out.push(Shared {
                    id: m.id.clone(),
                    name: m.name.clone(),
                    consortia: with.iter().map(|&ci| b.consortia[ci].id.clone()).collect(),
                });
            }
        }
        out
    }
}

/// The first month between a hospital's first joining and last leaving in which it belonged
/// to none of its consortia.
fn first_gap(ms: &[&Member], joined: Period, left: Option<Period>) -> Option<Period> {
    let last = left.unwrap_or_else(|| ms.iter().map(|m| m.joined).max().unwrap_or(joined));
    (joined.index()..=last.index())
        .map(Period::from_index)
        .find(|p| !ms.iter().any(|m| m.is_member_at(*p)))
}

/// Every consortium's base values under region member ids, one per hospital, month and
/// metric: a figure the member sent as its own month beats one from a 去年同月 column, one
/// sent to a consortium it belonged to that month beats one sent to another, and else the
/// consortium listed first in bureau.toml wins. Figures that differ are a warning, never
/// silently dropped.
fn region_frame(
    b: &Bureau,
    bases: &[BaseData],
    ids: &HashMap<(usize, String), String>,
    warnings: &mut Vec<Text>,
) -> Result<DataFrame> {
    // Integer keys (region member, month, metric): a string per row made this the slowest
    // step of a 20-consortium bureau.
    let rids: Vec<&String> = {
        let mut v: Vec<&String> = ids.values().collect();
        v.sort();
        v.dedup();
        v
    };
    let rid_ix: HashMap<&str, u32> = rids
        .iter()
        .enumerate()
        .map(|(k, r)| (r.as_str(), k as u32))
        .collect();
    let mut codes: Vec<String> = Vec::new();
    let mut code_ix: HashMap<String, u32> = HashMap::new();
    type Key = (u32, i32, u32);
    let mut best: HashMap<Key, ((i32, bool, usize), f64)> = HashMap::new();
    // (region member, kept consortium, other consortium) → (count, first example)
    let mut conflicts: BTreeMap<(String, usize, usize), (usize, String)> = BTreeMap::new();
    for (ci, base) in bases.iter().enumerate() {
        let f = &base.frame()?;
        let (m, t) = (f.column("member")?.str()?, f.column("t")?.i32()?);
        let (x, v, mr) = (
            f.column("metric")?.str()?,
            f.column("value")?.f64()?,
            f.column("mr")?.i32()?,
        );
        // Member id → (region member index, the member); members the consortium file no
        // longer lists are left out, as compute does.
        let members: HashMap<&str, (u32, &Member)> = b.consortia[ci]
            .consortium
            .members()
            .iter()
            .filter_map(|mm| {
                let rid = ids.get(&(ci, mm.id.clone()))?;
                Some((mm.id.as_str(), (*rid_ix.get(rid.as_str())?, mm)))
            })
            .collect();
        for i in 0..f.height() {
            let (Some(mid), Some(ti), Some(code), Some(value)) =
                (m.get(i), t.get(i), x.get(i), v.get(i))
            else {
                continue;
            };
            let Some(&(ri, mm)) = members.get(mid) else {
                continue;
            };
            let xi = match code_ix.get(code) {
                Some(&xi) => xi,
                None => {
                    codes.push(code.to_string());
                    code_ix.insert(code.to_string(), codes.len() as u32 - 1);
                    codes.len() as u32 - 1
                }
            };
            let member_then = mm.is_member_at(Period::from_index(ti));
            let prio = (mr.get(i).unwrap_or(0), !member_then, ci);
            match best.get_mut(&(ri, ti, xi)) {
                None => {
                    best.insert((ri, ti, xi), (prio, value));
                }
                Some((kept, kv)) => {
                    let differ = (*kv - value).abs() > 1e-9 * kv.abs().max(1.0);
                    let (winner, loser, wv, lv) = if prio < *kept {
                        (ci, kept.2, value, *kv)
                    } else {
                        (kept.2, ci, *kv, value)
                    };
                    // Only figures both consortia hold as the member's own month disagree.
                    if differ && prio.0 == 0 && kept.0 == 0 {
                        let e = conflicts
                            .entry((rids[ri as usize].clone(), winner, loser))
                            .or_insert((0, String::new()));
                        e.0 += 1;
                        if e.1.is_empty() {
                            e.1 = format!(
                                "{} `{code}` {} against {}",
                                Period::from_index(ti),
                                crate::model::fmt_num(wv),
                                crate::model::fmt_num(lv)
                            );
                        }
                    }
                    if prio < *kept {
                        *kept = prio;
                        *kv = value;
                    }
                }
            }
        }
    }
    for ((rid, w, l), (n, example)) in conflicts {
        warnings.push(said!(
            Msg::BureauFiguresDiffer,
            id = rid,
            n = n,
            used = b.consortia[w].id,
            other = b.consortia[l].id,
            example = example
        ));
    }
    let rows: Vec<(String, i32, String, f64, bool)> = best
        .into_iter()
        .map(|((m, t, x), ((mr, _, _), v))| {
            (
                rids[m as usize].clone(),
                t,
                codes[x as usize].clone(),
                v,
                mr != 0,
            )
        })
        .collect();
    base_frame(rows)
}

/// Which rows `indicators` gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scopes {
    pub consortia: bool,
    pub region: bool,
}

/// compute's engine for each consortium and for the region, built once per run (indexing
/// the base frames is the costly part).
pub struct Engines<'a> {
    bureau: &'a Bureau,
    consortia: Vec<Engine<'a>>,
    region: Engine<'a>,
}

impl<'a> Engines<'a> {
    pub fn new(b: &'a Bureau, l: &'a Loaded) -> Result<Engines<'a>> {
        let consortia = b
            .consortia
            .iter()
            .zip(&l.bases)
            .map(|(c, base)| Engine::of_base(&c.consortium, base))
            .collect::<Result<Vec<_>>>()?;
        let region =
            Engine::with_ever(&l.region.consortium, l.region.frame.clone(), &l.region.ever)?;
        Ok(Engines {
            bureau: b,
            consortia,
            region,
        })
    }

    /// Indicator codes and directions of the built-in catalog, which every consortium shares.
    pub fn directions(&self) -> HashMap<String, crate::catalog::Direction> {
        crate::compute::directions(&self.region.defs)
    }

    /// The indicators of each consortium (scope `consortium`, entity = its id) and of the
    /// region (scope `region`, entity `region`), by compute's engine: the same columns and
    /// rules as `yilian indicators`. `req.scopes` is ignored. The built-in catalog's
    /// definitions only: a consortium's own `[[indicators]]` do not compare across consortia.
    pub fn indicators(&self, req: &Request, scopes: Scopes) -> Result<Vec<Record>> {
        self.indicators_series(req, &[req.period], scopes)
    }

    /// `indicators` for each of `periods` in place of `req.period`, each engine run once for
    /// them all (`Engine::run_series`): a consortium's records, then the region's.
    pub fn indicators_series(
        &self,
        req: &Request,
        periods: &[Period],
        scopes: Scopes,
    ) -> Result<Vec<Record>> {
        let codes: Vec<String> = match &req.indicators {
            Some(c) => c.clone(),
            None => self.region.defs.iter().map(|d| d.code.clone()).collect(),
        };
        let one = |engine: &Engine| {
            engine.run_series(
                &Request {
                    period: req.period,
                    window: req.window,
                    scopes: vec![Scope::Consortium],
                    like_for_like: req.like_for_like,
                    indicators: Some(codes.clone()),
                },
                periods,
            )
        };
        let mut out = Vec::new();
        if scopes.consortia {
            for (c, engine) in self.bureau.consortia.iter().zip(&self.consortia) {
                for mut r in one(engine)? {
                    r.entity = c.id.clone();
                    r.entity_name = c.name();
                    out.push(r);
                }
            }
        }
        if scopes.region {
            for mut r in one(&self.region)? {
                r.scope = "region";
                r.entity = "region".into();
                r.entity_name = self.bureau.file.name.clone();
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Member-scope records of every consortium, entity `consortium.member` (for the tidy
    /// export).
    pub fn member_indicators(&self, req: &Request) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for (c, engine) in self.bureau.consortia.iter().zip(&self.consortia) {
            let recs = engine.run(&Request {
                period: req.period,
                window: req.window,
                scopes: vec![Scope::Member],
                like_for_like: false,
                indicators: req.indicators.clone(),
            })?;
            for mut r in recs {
                r.entity = format!("{}.{}", c.id, r.entity);
                out.push(r);
            }
        }
        Ok(out)
    }
}
