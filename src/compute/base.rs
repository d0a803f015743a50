//! Base data: the values in use of the store's base metrics, one row per member, month and
//! metric, with gaps in earlier years filled from the 去年同月 columns members wrote.

use crate::config::Consortium;
use crate::i18n::{Msg, Text};
use crate::model::period::Period;
use crate::said;
use crate::store::{Basis, Filter, Kind, Store};
use anyhow::Result;
use polars::prelude::*;
use std::collections::HashMap;

/// Base values: one row per member, month (index), metric, with `mr` set when the value
/// comes from a member's 去年同月 column rather than the store.
pub struct BaseData {
    pub frame: DataFrame,
    pub warnings: Vec<Text>,
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
                Some(stored) if (stored - v).abs() > 1e-9 * stored.abs().max(1.0) => {
                    warnings.push(said!(
                        Msg::PriorYearColumnDisagrees,
                        member = m,
                        period = Period::from_index(t),
                        item = x,
                        stored = crate::model::fmt_num(*stored),
                        column = crate::model::fmt_num(v),
                        place = place
                    ))
                }
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
            anyhow::bail!(said!(Msg::NoFigures))
        };
        match asked {
            None => Ok(last),
            Some(p) if self.months.contains(&p) => Ok(p),
            Some(p) => anyhow::bail!(said!(
                Msg::NoFiguresFor,
                period = p,
                held => month_ranges(&self.months)
            )),
        }
    }
}

/// `2024-01 to 2025-06, 2025-08 to 2025-12 (23 months)`: runs of consecutive months.
fn month_ranges(months: &std::collections::BTreeSet<Period>) -> Text {
    let mut runs: Vec<(Period, Period)> = Vec::new();
    for &p in months {
        match runs.last_mut() {
            Some((_, end)) if end.add_months(1) == p => *end = p,
            _ => runs.push((p, p)),
        }
    }
    // Each run a `Text` of its own: `a to b` / `a 至 b`, joined in the message's language.
    let mut args: Vec<(&'static str, Text)> = vec![("n", Text::from(months.len().to_string()))];
    let runs: Vec<Text> = runs
        .iter()
        .map(|(a, b)| {
            if a == b {
                Text::from(a.to_string())
            } else {
                said!(Msg::MonthRange, first = a, last = b)
            }
        })
        .collect();
    args.push(("runs", Text::Joined(runs, crate::i18n::Sep::Comma)));
    Text::Said(Msg::MonthRuns, args)
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

/// The base frame (member id, t, metric code, value, mr) keyed by member and metric indices.
/// Values of members or metrics the consortium file no longer knows are left out.
pub(super) fn index_base(base: &DataFrame, c: &Consortium, codes: &[String]) -> Result<DataFrame> {
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
