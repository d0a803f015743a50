//! The store's month column (本月) as plain Rust records: every submission (for corrections
//! and timeliness) and the values in use (newest submission per member, month and item).

use crate::model::fmt_num;
use crate::model::period::Period;
use crate::store::Store;
use anyhow::Result;
use polars::prelude::*;
use std::collections::BTreeMap;

/// One stored value with its lineage.
#[derive(Clone, Debug)]
pub struct Rec {
    pub seq: i64,
    pub content_hash: String,
    pub source_file: String,
    pub source_path: String,
    pub ingested_at: String,
    pub submitted_on: Option<String>,
    pub sheet: String,
    pub cell: String,
    pub layout: String,
    pub member: String,
    pub period: Period,
    pub item: String,
    pub key: String,
    pub kind: String,
    pub value: Option<f64>,
    pub raw: String,
}

impl Rec {
    /// The value as a person reads it: the number, or what the cell held when it is none.
    pub fn shown(&self) -> String {
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
}

fn strings(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    let c = df.column(name)?.cast(&DataType::String)?;
    Ok(c.str()?
        .into_iter()
        .map(|v| v.map(str::to_string))
        .collect())
}

impl Data {
    pub fn load(store: &Store) -> Result<Data> {
        let df = store
            .scan_all()?
            .filter(col("basis").eq(lit("month")))
            .collect()?;
        let text = |n: &str| -> Result<Vec<String>> {
            Ok(strings(&df, n)?
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect())
        };
        let seq: Vec<Option<i64>> = df
            .column("seq")?
            .cast(&DataType::Int64)?
            .i64()?
            .into_iter()
            .collect();
        let value: Vec<Option<f64>> = df
            .column("value")?
            .cast(&DataType::Float64)?
            .f64()?
            .into_iter()
            .collect();
        let (hash, file, path, ingested, submitted) = (
            text("content_hash")?,
            text("source_file")?,
            text("source_path")?,
            text("ingested_at")?,
            strings(&df, "submitted_on")?,
        );
        let (sheet, cell, layout, member, period) = (
            text("sheet")?,
            text("cell")?,
            text("layout")?,
            text("member")?,
            text("period")?,
        );
        let (item, key, kind, raw) = (text("item")?, text("key")?, text("kind")?, text("raw")?);
        let mut all = Vec::with_capacity(df.height());
        for i in 0..df.height() {
            // A row whose month cannot be read is not a value any rule can place.
            let Some(p) = Period::parse_strict(&period[i]) else {
                continue;
            };
            all.push(Rec {
                seq: seq[i].unwrap_or(0),
                content_hash: hash[i].clone(),
                source_file: file[i].clone(),
                source_path: path[i].clone(),
                ingested_at: ingested[i].clone(),
                submitted_on: submitted[i].clone().filter(|s| !s.is_empty()),
                sheet: sheet[i].clone(),
                cell: cell[i].clone(),
                layout: layout[i].clone(),
                member: member[i].clone(),
                period: p,
                item: item[i].clone(),
                key: key[i].clone(),
                kind: kind[i].clone(),
                value: value[i],
                raw: raw[i].clone(),
            });
        }
        all.sort_by_key(|r| r.seq);
        // Newest submission wins per (member, month, key), as Store::effective.
        let mut newest: BTreeMap<(String, Period, String), usize> = BTreeMap::new();
        for (i, r) in all.iter().enumerate() {
            newest.insert((r.member.clone(), r.period, r.key.clone()), i);
        }
        let mut base: BTreeMap<(String, Period), BTreeMap<String, Rec>> = BTreeMap::new();
        let mut unmapped = Vec::new();
        for ((m, p, k), i) in newest {
            let r = &all[i];
            match r.kind.as_str() {
                "base" => {
                    base.entry((m, p)).or_default().insert(k, r.clone());
                }
                "unmapped" => unmapped.push(r.clone()),
                _ => {}
            }
        }
        Ok(Data {
            all,
            base,
            unmapped,
        })
    }

    /// First and last month with any figure.
    pub fn span(&self) -> Option<(Period, Period)> {
        let first = self.all.iter().map(|r| r.period).min()?;
        let last = self.all.iter().map(|r| r.period).max()?;
        Some((first, last))
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
