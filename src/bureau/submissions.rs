//! 报送情况 across consortia: each consortium's member × month completeness matrix (check's
//! own, deadlines and all), and its counts side by side.

use super::config::Bureau;
use crate::check::{completeness_matrix, completeness_notes, Data, History, MatrixCell, Status};
use crate::model::period::Period;
use crate::store::Store;
use anyhow::Result;
use std::collections::BTreeSet;

/// One consortium's month: how many members were due and how they sent.
#[derive(Clone, Debug)]
pub struct Row {
    pub consortium: String,
    pub name: String,
    pub period: Period,
    /// Members in the consortium that month.
    pub due: u32,
    pub on_time: u32,
    pub late: u32,
    /// Received, but without a 填报日期 (or without a deadline) to judge the date by.
    pub undated: u32,
    pub missing: u32,
    /// Sent, in a file the store lost: not counted as missing.
    pub lost: u32,
    pub cells: Vec<MatrixCell>,
    pub notes: Vec<String>,
}

impl Row {
    pub fn received(&self) -> u32 {
        self.on_time + self.late + self.undated + self.lost
    }
    /// 报送率: received / due, in percent; undefined with nobody due.
    pub fn completeness_pct(&self) -> Option<f64> {
        (self.due > 0).then(|| self.received() as f64 / self.due as f64 * 100.0)
    }
    /// 及时率: on time / (on time + late), over the submissions whose date could be judged.
    pub fn timeliness_pct(&self) -> Option<f64> {
        let judged = self.on_time + self.late;
        (judged > 0).then(|| self.on_time as f64 / judged as f64 * 100.0)
    }
}

/// Every consortium's submissions for `months`, one row per consortium and month.
pub fn rows(b: &Bureau, months: &[Period]) -> Result<Vec<Row>> {
    let targets: BTreeSet<Period> = months.iter().copied().collect();
    let mut out = Vec::new();
    for c in &b.consortia {
        let store = Store::open_existing(&c.store)?;
        // Only the asked months' submissions (their first submission decides timeliness).
        let range = targets.first().copied().zip(targets.last().copied());
        let data = Data::load(&store, range, History::Skip)?;
        let mut findings = Vec::new();
        let (cells, lost, undated) =
            completeness_matrix(&c.consortium, &data, &targets, &mut findings);
        let notes = completeness_notes(&c.consortium, lost, undated);
        for &p in months {
            let ps = p.to_string();
            let month: Vec<MatrixCell> = cells.iter().filter(|x| x.period == ps).cloned().collect();
            let n = |s: Status| month.iter().filter(|x| x.status == s).count() as u32;
            out.push(Row {
                consortium: c.id.clone(),
                name: c.name(),
                period: p,
                due: month.len() as u32 - n(Status::NotMember),
                on_time: n(Status::OnTime),
                late: n(Status::Late),
                undated: n(Status::DateUnknown),
                missing: n(Status::Missing),
                lost: n(Status::Lost),
                cells: month,
                notes: notes.iter().map(|x| format!("{}: {x}", c.id)).collect(),
            });
        }
    }
    Ok(out)
}
