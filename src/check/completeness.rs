//! Completeness and timeliness: a member × month matrix of submissions, judged against the
//! deadline (`deadline_day` of the following month) by the 填报日期 the sheet states.

use super::{Data, Finding, Rec};
use crate::config::Consortium;
use crate::i18n::{Msg, Text};
use crate::model::period::Period;
use crate::model::Severity;
use crate::said;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTime,
    Late,
    /// Received, but no 填报日期 to judge the date by.
    DateUnknown,
    Missing,
    NotMember,
    /// Sent, but its submission is in a file the store lost (`--allow-damaged-store`).
    Lost,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::OnTime => "ok",
            Status::Late => "LATE",
            Status::DateUnknown => "ok (no date)",
            Status::Missing => "MISSING",
            Status::NotMember => "-",
            Status::Lost => "LOST BY THE STORE",
        }
    }
    /// One character for the terminal matrix (legend printed above it).
    pub fn symbol(self) -> &'static str {
        match self {
            Status::OnTime => "✓",
            Status::Late => "L",
            Status::DateUnknown => "○",
            Status::Missing => "✗",
            Status::Lost => "?",
            Status::NotMember => "·",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::OnTime => "按时",
            Status::Late => "逾期",
            Status::DateUnknown => "已交(无日期)",
            Status::Missing => "未交",
            Status::Lost => "库损",
            Status::NotMember => "—",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub member: String,
    pub period: String,
    pub status: Status,
    /// Date the submission was made (填报日期, or the ingest date when configured so).
    pub submitted_on: Option<String>,
    pub deadline: Option<String>,
    pub file: Option<String>,
}

pub fn deadline(p: Period, day: u32) -> String {
    let next = p.add_months(1);
    format!(
        "{}-{:02}-{:02}",
        next.year(),
        next.month(),
        day.clamp(1, next.days())
    )
}

/// The member × month matrix of `targets`, with the findings of missing and late
/// submissions. Returns the cells, the notes of submissions the store lost, and how many
/// months' submissions carry no date (for `notes`).
pub fn matrix(
    consortium: &Consortium,
    data: &Data,
    targets: &BTreeSet<Period>,
    out: &mut Vec<Finding>,
) -> (Vec<Cell>, Vec<Text>, usize) {
    let settings = &consortium.file.check;
    // The first submission of each member-month: a later correction is not a late submission.
    let mut first: BTreeMap<(&str, Period), &Rec> = BTreeMap::new();
    let mut wide_files: BTreeMap<Period, BTreeSet<&str>> = BTreeMap::new();
    // A submission's rows come together: a run of rows of one sheet and month is looked up
    // once (the tree's key is a text; a bureau's year is half a million rows).
    let mut last: Option<&Rec> = None;
    for r in &data.all {
        if last
            .is_some_and(|l| std::sync::Arc::ptr_eq(&l.lineage, &r.lineage) && l.period == r.period)
        {
            continue;
        }
        last = Some(r);
        first.entry((&*r.member, r.period)).or_insert(&**r);
        if &*r.layout == "wide" {
            wide_files
                .entry(r.period)
                .or_default()
                .insert(&r.source_file);
        }
    }
    let day = consortium.file.deadline_day;
    let mut notes = Vec::new();
    let mut undated = 0;
    let mut cells = Vec::new();
    for m in consortium.members() {
        for &p in targets {
            let due = day.map(|d| deadline(p, d));
            let Some(r) = first.get(&(m.id.as_str(), p)) else {
                if let Some(file) = data.lost.get(&(m.id.clone(), p)) {
                    // The store lost what the member sent: said once, never blamed on it.
                    notes.push(said!(
                        Msg::LostNotMissing,
                        member = m.id,
                        period = p,
                        file = file
                    ));
                    cells.push(Cell {
                        member: m.id.clone(),
                        period: p.to_string(),
                        status: Status::Lost,
                        submitted_on: None,
                        deadline: due,
                        file: None,
                    });
                    continue;
                }
                let status = if m.is_member_at(p) {
                    Status::Missing
                } else {
                    Status::NotMember
                };
                if status == Status::Missing {
                    // Where the member usually appears: a summary sheet of this month without it.
                    let usual = first
                        .get(&(m.id.as_str(), p.add_months(-1)))
                        .filter(|r| &*r.layout == "wide")
                        .and_then(|_| wide_files.get(&p))
                        .map(|f| {
                            format!(
                                "; not in {}, where it appeared last month",
                                f.iter().copied().collect::<Vec<_>>().join(", ")
                            )
                        })
                        .unwrap_or_default();
                    let due_text = due
                        .as_ref()
                        .map(|d| format!(" (due by {d})"))
                        .unwrap_or_default();
                    let due_zh = due
                        .as_ref()
                        .map(|d| format!("（报送截止日期 {d}）"))
                        .unwrap_or_default();
                    let usual_zh = if usual.is_empty() {
                        String::new()
                    } else {
                        "；上月本单位在汇总表中，本月汇总表中没有本单位".to_string()
                    };
                    out.push(
                        Finding::bare(
                            Severity::Error,
                            "missing_submission",
                            &m.id,
                            p,
                            format!("no submission for {p}{due_text}{usual}"),
                        )
                        .zh(format!(
                            "未收到{}年{}月报表{due_zh}{usual_zh}，请尽快报送",
                            p.year(),
                            p.month()
                        )),
                    );
                }
                cells.push(Cell {
                    member: m.id.clone(),
                    period: p.to_string(),
                    status,
                    submitted_on: None,
                    deadline: due,
                    file: None,
                });
                continue;
            };
            let date: Option<String> =
                r.submitted_on.as_deref().map(str::to_string).or_else(|| {
                    settings
                        .late_from_ingested_at
                        .then(|| r.ingested_at.chars().take(10).collect())
                });
            let status = match (&date, &due) {
                (None, _) => {
                    undated += 1;
                    Status::DateUnknown
                }
                (Some(_), None) => Status::DateUnknown,
                // ISO dates compare as text.
                (Some(d), Some(due)) if d.as_str() > due.as_str() => Status::Late,
                _ => Status::OnTime,
            };
            if status == Status::Late {
                let (d, due) = (
                    date.clone().unwrap_or_default(),
                    due.clone().unwrap_or_default(),
                );
                let source = if r.submitted_on.is_some() {
                    "填报日期"
                } else {
                    "ingested on (no 填报日期 stated)"
                };
                let source_zh = if r.submitted_on.is_some() {
                    "填报日期"
                } else {
                    "收到日期（未注明填报日期）"
                };
                let mut f = Finding::bare(
                    Severity::Warning,
                    "late_submission",
                    &m.id,
                    p,
                    format!("submitted after the deadline: {source} {d}, due by {due}"),
                )
                .zh(format!(
                    "逾期报送：{source_zh} {d}，报送截止日期 {due}，请按时报送"
                ));
                f.value = d;
                f.file = r.source_file.to_string();
                f.sheet = r.sheet.to_string();
                out.push(f);
            }
            cells.push(Cell {
                member: m.id.clone(),
                period: p.to_string(),
                status,
                submitted_on: date,
                deadline: due,
                file: Some(r.source_file.to_string()),
            });
        }
    }
    (cells, notes, undated)
}

/// What the user should know of the matrix (`matrix`'s notes and undated months): that
/// timeliness was not judged without a deadline day, the submissions the store lost, the
/// months whose submissions carry no date.
pub fn notes(consortium: &Consortium, lost: Vec<Text>, undated: usize) -> Vec<Text> {
    let mut notes = Vec::new();
    if consortium.file.deadline_day.is_none() {
        notes.push(said!(Msg::NoDeadlineDay));
    }
    notes.extend(lost);
    if undated > 0 && consortium.file.deadline_day.is_some() {
        notes.push(said!(Msg::UndatedMonths, n = undated));
    }
    notes
}
