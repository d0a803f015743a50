//! Stage 7: rendering indicator records for people and scripts. Every format goes through
//! one small trait, so a new exporter is one impl.

mod xlsx;

use crate::catalog::Direction;
use crate::compute::Record;
use crate::model::fmt_thousands;
use anyhow::Result;
use std::collections::HashMap;
use std::io::Write;

pub use xlsx::{fill_sheet, text_width, write_records_xlsx};

/// Columns of the machine-readable outputs, in order (the first ten are the stable contract).
pub const CSV_COLUMNS: &[&str] = &[
    "period",
    "window",
    "scope",
    "entity",
    "indicator",
    "value",
    "prior_value",
    "yoy_pct",
    "yoy_pp",
    "mom_pct",
    "change",
    "entity_name",
    "indicator_name",
    "unit",
    "members",
    "covered",
    "prior_source",
    "prior_covered",
];

pub trait Exporter {
    fn export(&self, records: &[Record], out: &mut dyn Write) -> Result<()>;
}

/// CSV for scripts; text cells starting with a formula character are neutralised unless
/// `options.csv_raw`.
pub struct Csv(pub crate::output::WriteOptions);
pub struct Json;
/// JSON Lines: one record per line.
pub struct JsonLines;
pub struct Markdown;
pub struct Terminal {
    pub colour: bool,
    pub directions: HashMap<String, Direction>,
}

/// Plain decimals for scripts: integers as integers, others with up to 6 decimals (never
/// fewer than 4 kept), no thousands separators; undefined is empty.
pub fn plain(v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(x) if (x - x.round()).abs() < 1e-9 && x.abs() < 1e15 => {
            format!("{}", x.round() as i64)
        }
        Some(x) => {
            let s = format!("{x:.6}");
            let s = s.trim_end_matches('0');
            s.trim_end_matches('.').to_string()
        }
    }
}

fn csv_row(r: &Record) -> Vec<String> {
    vec![
        r.period.clone(),
        r.window.clone(),
        r.scope.clone(),
        r.entity.clone(),
        r.indicator.clone(),
        plain(r.value),
        plain(r.prior_value),
        plain(r.yoy_pct),
        plain(r.yoy_pp),
        plain(r.mom_pct),
        plain(r.change),
        r.entity_name.clone(),
        r.indicator_name.clone(),
        r.unit.clone(),
        r.members.to_string(),
        r.covered.to_string(),
        r.prior_source.clone(),
        r.prior_covered.to_string(),
    ]
}

impl Exporter for Csv {
    fn export(&self, records: &[Record], out: &mut dyn Write) -> Result<()> {
        let mut t = crate::output::Table::new(CSV_COLUMNS.iter().copied()).with_kind(
            &[
                "value",
                "prior_value",
                "yoy_pct",
                "yoy_pp",
                "mom_pct",
                "change",
                "members",
                "covered",
                "prior_covered",
            ],
            crate::output::Kind::Number,
        );
        for r in records {
            t.push(csv_row(r));
        }
        t.write_with(crate::output::Format::Csv, self.0, out)
    }
}

impl Exporter for Json {
    fn export(&self, records: &[Record], out: &mut dyn Write) -> Result<()> {
        serde_json::to_writer_pretty(&mut *out, records)?;
        writeln!(out)?;
        Ok(())
    }
}

impl Exporter for JsonLines {
    fn export(&self, records: &[Record], out: &mut dyn Write) -> Result<()> {
        for r in records {
            serde_json::to_writer(&mut *out, r)?;
            writeln!(out)?;
        }
        Ok(())
    }
}

/// A figure for people: thousands separators, decimals by unit.
pub fn human(v: Option<f64>, unit: &str) -> String {
    let Some(v) = v else { return "—".into() };
    match unit {
        "%" => format!("{v:.2}%"),
        "次" | "日" | "倍" => format!("{v:.2}"),
        "万元" => fmt_thousands(v, 2),
        _ if (v - v.round()).abs() < 1e-9 => fmt_thousands(v, 0),
        _ => fmt_thousands(v, 1),
    }
}

/// `+5.36%`; a change that rounds to zero shows as `+0.00%`, never `-0.00%`.
pub fn signed_pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:+.2}%", round2(x))).unwrap_or_default()
}

pub fn signed_pp(v: Option<f64>) -> String {
    v.map(|x| format!("{:+.2}pp", round2(x)))
        .unwrap_or_default()
}

fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Whether a change is good news for an indicator of this direction.
pub fn is_good(change: f64, direction: Direction) -> Option<bool> {
    if change == 0.0 {
        return None;
    }
    match direction {
        Direction::Higher => Some(change > 0.0),
        Direction::Lower => Some(change < 0.0),
        Direction::Neutral => None,
    }
}

/// People's tables leave out indicators that apply to no member of an entity (remote
/// services of village clinics); scripts get every row.
fn applies(r: &Record) -> bool {
    r.members > 0 || r.value.is_some() || r.prior_value.is_some()
}

const HUMAN_HEADERS: [&str; 9] = [
    "范围",
    "单位/层级",
    "指标",
    "本期",
    "去年同期",
    "同比",
    "同比(百分点)",
    "环比",
    "覆盖",
];

fn human_row(r: &Record) -> Vec<String> {
    let scope = match r.scope.as_str() {
        "member" => "成员单位",
        "tier" => "层级",
        _ => "医联体",
    };
    vec![
        scope.to_string(),
        r.entity_name.clone(),
        format!("{}（{}）", r.indicator_name, r.unit),
        human(r.value, &r.unit),
        human(r.prior_value, &r.unit),
        signed_pct(r.yoy_pct),
        signed_pp(r.yoy_pp),
        signed_pct(r.mom_pct),
        if r.scope == "member" {
            String::new()
        } else {
            format!("{}/{}", r.covered, r.members)
        },
    ]
}

impl Exporter for Markdown {
    fn export(&self, records: &[Record], out: &mut dyn Write) -> Result<()> {
        let mut t = crate::output::Table::new(HUMAN_HEADERS);
        for r in records.iter().filter(|r| applies(r)) {
            t.push(human_row(r));
        }
        t.write(crate::output::Format::Md, out)
    }
}

impl Exporter for Terminal {
    fn export(&self, records: &[Record], out: &mut dyn Write) -> Result<()> {
        use comfy_table::{Cell, CellAlignment, Color};
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_BORDERS_ONLY);
        if !self.colour {
            t.force_no_tty();
        }
        t.set_header(HUMAN_HEADERS);
        for r in records.iter().filter(|r| applies(r)) {
            let dir = self
                .directions
                .get(&r.indicator)
                .copied()
                .unwrap_or_default();
            let cells: Vec<Cell> = human_row(r)
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    let mut c = Cell::new(crate::output::escape_terminal(&text));
                    if i >= 3 {
                        c = c.set_alignment(CellAlignment::Right);
                    }
                    let change = match i {
                        5 => r.yoy_pct,
                        6 => r.yoy_pp,
                        7 => r.mom_pct,
                        _ => None,
                    };
                    if self.colour {
                        match change.and_then(|x| is_good(x, dir)) {
                            Some(true) => c = c.fg(Color::Green),
                            Some(false) => c = c.fg(Color::Red),
                            None => {}
                        }
                    }
                    c
                })
                .collect();
            t.add_row(cells);
        }
        writeln!(out, "{t}")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_for_scripts() {
        assert_eq!(plain(None), "");
        assert_eq!(plain(Some(1234.0)), "1234");
        assert_eq!(plain(Some(85.16129032)), "85.16129");
        assert_eq!(plain(Some(0.123456789)), "0.123457");
        assert_eq!(plain(Some(-2.5)), "-2.5");
        assert_eq!(plain(Some(1e7)), "10000000");
    }

    #[test]
    fn good_and_bad_by_direction() {
        assert_eq!(is_good(-0.3, Direction::Lower), Some(true));
        assert_eq!(is_good(5.0, Direction::Higher), Some(true));
        assert_eq!(is_good(5.0, Direction::Neutral), None);
        assert_eq!(human(Some(12345.0), "人次"), "12,345");
        assert_eq!(human(Some(85.161), "%"), "85.16%");
        assert_eq!(human(None, "%"), "—");
    }
}
