//! The store's month column (本月) as read by the checks: every submission (for corrections
//! and timeliness) and the values in use (newest submission per member, month and item, as
//! the store decides them).

use crate::model::fmt_num;
use crate::model::period::Period;
use crate::store::{Basis, Filter, Kind, Store};
use anyhow::Result;
use std::collections::BTreeMap;

/// One stored value with its lineage.
pub type Rec = crate::store::Stored;

/// The value as a person reads it: the number, or what the cell held when it is none.
pub trait Shown {
    fn shown(&self) -> String;
}

impl Shown for Rec {
    fn shown(&self) -> String {
        match self.value {
            Some(v) => fmt_num(v),
            None if self.raw.trim().is_empty() => "(blank)".into(),
            None => format!("`{}` (no figure)", self.raw.trim()),
        }
    }
}

pub struct Data {
    /// Every month-column row of every submission, in commit order.
    pub all: Vec<Rec>,
    /// Values in use of base metrics: (member, month) → metric code → record.
    pub base: BTreeMap<(String, Period), BTreeMap<String, Rec>>,
    /// Values in use of unmapped items.
    pub unmapped: Vec<Rec>,
    /// Member-months whose submission the store lost (a damaged or missing file, read with
    /// `--allow-damaged-store`) → that file's name: not the member's fault.
    pub lost: BTreeMap<(String, Period), String>,
}

/// How many months before a checked month the checks look at: the history rule compares
/// with the previous 12 months and their year-earlier months.
pub const HISTORY_MONTHS: i32 = 24;

impl Data {
    /// The month column for checking the months `first..=last` (None: every month stored):
    /// those months and the one before with their lineage (the rules point at the cells of
    /// both), the HISTORY_MONTHS before only as the values in use of base metrics (the
    /// history rule compares figures).
    pub fn load(store: &Store, targets: Option<(Period, Period)>) -> Result<Data> {
        let mut filter = Filter::all().basis(Basis::Month);
        if let Some((first, last)) = targets {
            filter = filter.period_range(first.add_months(-1), last);
        }
        let all = store.submissions(&filter)?;
        let mut base: BTreeMap<(String, Period), BTreeMap<String, Rec>> = BTreeMap::new();
        if let Some((first, _)) = targets {
            let history = Filter::all()
                .basis(Basis::Month)
                .kind(Kind::Base)
                .period_range(first.add_months(-HISTORY_MONTHS), first.add_months(-2));
            for v in store.in_use(&history)? {
                base.entry((v.member.clone(), v.period))
                    .or_default()
                    .insert(v.key.clone(), history_record(v));
            }
        }
        let mut unmapped = Vec::new();
        for r in all.iter().filter(|r| r.in_use) {
            match r.kind {
                Kind::Base => {
                    base.entry((r.member.clone(), r.period))
                        .or_default()
                        .insert(r.key.clone(), r.clone());
                }
                Kind::Unmapped => unmapped.push(r.clone()),
                Kind::Derived | Kind::Total => {}
            }
        }
        // In key order, as the checks list them.
        unmapped.sort_by(|a, b| (&a.member, a.period, &a.key).cmp(&(&b.member, b.period, &b.key)));
        let mut lost = BTreeMap::new();
        for f in store.state()?.lost() {
            for mm in &f.member_months {
                // Recorded as `member period`.
                let Some((m, p)) = mm.split_once(' ') else {
                    continue;
                };
                if let Some(p) = Period::parse_strict(p) {
                    lost.insert((m.to_string(), p), f.name.clone());
                }
            }
        }
        Ok(Data {
            all,
            base,
            unmapped,
            lost,
        })
    }

    /// A member-month's values in use.
    pub fn month(&self, member: &str, p: Period) -> Option<&BTreeMap<String, Rec>> {
        self.base.get(&(member.to_string(), p))
    }

    /// A value in use, if reported (not blank).
    pub fn get(&self, member: &str, p: Period, code: &str) -> Option<(f64, &Rec)> {
        let r = self.month(member, p)?.get(code)?;
        r.value.map(|v| (v, r))
    }

    /// Members with values in use, in any month.
    pub fn members(&self) -> Vec<String> {
        let mut v: Vec<String> = self.base.keys().map(|(m, _)| m.clone()).collect();
        v.dedup();
        v
    }
}

/// A value in use of a month the checks only compare with: its figure and where it came
/// from (file, cell); the lineage the rules print of checked months is not read.
fn history_record(v: crate::store::Value) -> Rec {
    Rec {
        seq: v.seq,
        in_use: true,
        content_hash: String::new(),
        source_file: v.source_file,
        source_path: String::new(),
        ingested_at: String::new(),
        submitted_on: None,
        sheet: String::new(),
        cell: v.cell,
        layout: String::new(),
        raw: v.value.map(fmt_num).unwrap_or_default(),
        member: v.member,
        member_text: String::new(),
        period: v.period,
        item: String::new(),
        metric: v.metric,
        kind: v.kind,
        key: v.key,
        basis: v.basis,
        value: v.value,
    }
}
