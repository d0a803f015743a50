//! Reference denominators: the `[[population]]` figures of consortium.toml (常住人口, 重点人群),
//! which hold from a month on rather than being sent monthly, as base values of every month
//! they are in force, so rates over them (签约率) follow the ordinary rules at every scope.

use super::base::base_frame;
use crate::config::Consortium;
use crate::model::period::Period;
use anyhow::Result;
use polars::prelude::*;
use std::collections::HashSet;

/// The items `[[population]]` gives.
const ITEMS: [&str; 2] = ["residents", "key_population"];

/// The base frame with the reference values added for each month from the first to the last
/// month it holds, where the member sent no figure of its own for the item that month.
pub(super) fn with_reference(base: DataFrame, c: &Consortium) -> Result<DataFrame> {
    if c.file.population.is_empty() || base.height() == 0 {
        return Ok(base);
    }
    let (bm, bx) = (base.column("member")?.str()?, base.column("metric")?.str()?);
    let bt = base.column("t")?.i32()?;
    let (Some(lo), Some(hi)) = (bt.min(), bt.max()) else {
        return Ok(base);
    };
    let mut sent: HashSet<(String, i32, &str)> = HashSet::new();
    for i in 0..base.height() {
        if let (Some(m), Some(t), Some(x)) = (bm.get(i), bt.get(i), bx.get(i)) {
            if let Some(item) = ITEMS.iter().find(|it| **it == x) {
                sent.insert((m.to_string(), t, item));
            }
        }
    }
    let members: HashSet<&str> = c
        .file
        .population
        .iter()
        .map(|x| x.member.as_str())
        .collect();
    let mut rows = Vec::new();
    for m in members {
        for t in lo..=hi {
            for item in ITEMS {
                if sent.contains(&(m.to_string(), t, item)) {
                    continue;
                }
                if let Some(v) = c.file.population_at(m, item, Period::from_index(t)) {
                    rows.push((m.to_string(), t, item.to_string(), v, false));
                }
            }
        }
    }
    Ok(base.vstack(&base_frame(rows)?)?)
}
