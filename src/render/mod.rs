//! Indicator records as tables: one for scripts (the stable columns), one for people
//! (figures by unit, changes toned by direction), one sheet for workbooks; the export layer
//! writes them in every format.

mod xlsx;

use crate::catalog::Direction;
use crate::compute::Record;
use crate::export::{Style, Table, Tone, Value};
use crate::model::fmt_thousands;
use std::collections::HashMap;

pub use xlsx::{fill_sheet, write_records_xlsx};

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
    "target",
    "met",
];

/// The records for scripts (CSV, JSON, JSON Lines): every record, the columns above, numbers
/// as numbers and undefined as empty.
pub fn records_table(records: &[Record]) -> Table {
    records_table_of(records.iter().cloned())
}

/// The same of records given up to it: their texts are moved into the table, not copied (a
/// bureau's output is hundreds of thousands of records).
pub fn records_table_of(records: impl IntoIterator<Item = Record>) -> Table {
    let mut t = Table::new(CSV_COLUMNS.iter().copied());
    for r in records {
        t.push_values(vec![
            Value::Text(r.period),
            Value::Text(r.window.into()),
            Value::Text(r.scope.into()),
            Value::Text(r.entity),
            Value::Text(r.indicator),
            Value::num(r.value),
            Value::num(r.prior_value),
            Value::num(r.yoy_pct),
            Value::num(r.yoy_pp),
            Value::num(r.mom_pct),
            Value::num(r.change),
            Value::Text(r.entity_name),
            Value::Text(r.indicator_name),
            Value::Text(r.unit),
            Value::Int(r.members.into()),
            Value::Int(r.covered.into()),
            Value::Text(r.prior_source.into()),
            Value::Int(r.prior_covered.into()),
            Value::num(r.target),
            match r.met {
                Some(m) => Value::Text(m.to_string()),
                None => Value::Null,
            },
        ]);
    }
    t
}

/// A figure for people: thousands separators, decimals by unit.
pub fn human(v: Option<f64>, unit: &str) -> String {
    let Some(v) = v else { return "—".into() };
    match unit {
        "%" => format!("{v:.2}%"),
        "次" | "日" | "倍" | "元" | "床日" | "DDDs" => format!("{v:.2}"),
        "万元" => fmt_thousands(v, 2),
        _ if (v - v.round()).abs() < 1e-9 => fmt_thousands(v, 0),
        _ => fmt_thousands(v, 1),
    }
}

/// `+5.36%`; a change that rounds to zero shows as `+0.00%`, never `-0.00%`.
pub fn signed_pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:+.2}%", rounded(x, 2)))
        .unwrap_or_default()
}

pub fn signed_pp(v: Option<f64>) -> String {
    v.map(|x| format!("{:+.2}pp", rounded(x, 2)))
        .unwrap_or_default()
}

/// `+1.2`, `-0.4`, and `0.0` for what rounds to nothing (the report's short changes: a change
/// too small to show has no direction).
pub fn signed(v: f64, decimals: usize) -> String {
    let r = rounded(v, decimals);
    if r == 0.0 {
        format!("{:.*}", decimals, 0.0)
    } else {
        format!("{:+.*}", decimals, r)
    }
}

/// `x` rounded to `decimals`, never `-0.0`.
pub fn rounded(x: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let r = (x * scale).round() / scale;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Whether a change is good news for an indicator of this direction.
/// 达标 green, 未达标 red.
pub fn met_tone(met: Option<bool>) -> Tone {
    match met {
        Some(true) => Tone::Good,
        Some(false) => Tone::Bad,
        None => Tone::Plain,
    }
}

/// The tone of a change on people's tables: green when good by the direction, red when bad.
pub fn tone(change: Option<f64>, direction: Direction) -> Tone {
    match change.and_then(|x| is_good(x, direction)) {
        Some(true) => Tone::Good,
        Some(false) => Tone::Bad,
        None => Tone::Plain,
    }
}

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
    let scope = match r.scope {
        "member" => "成员单位",
        "tier" => "层级",
        "region" => "区域",
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

/// The records for people (terminal, Markdown): the indicators that apply, figures by unit,
/// changes toned good or bad by the indicator's direction.
pub fn people_table(records: &[Record], directions: &HashMap<String, Direction>) -> Table {
    // 目标值 and 达标 only when the consortium set targets: most tables have none.
    let targets = records.iter().any(|r| r.target.is_some());
    let mut headers: Vec<&str> = HUMAN_HEADERS.to_vec();
    if targets {
        headers.extend(["目标值", "达标"]);
    }
    let mut t = Table::new(headers).right_from(3);
    for r in records.iter().filter(|r| applies(r)) {
        let dir = directions.get(&r.indicator).copied().unwrap_or_default();
        let mut row = human_row(r);
        if targets {
            row.push(
                r.target
                    .map(|x| human(Some(x), &r.unit))
                    .unwrap_or_default(),
            );
            row.push(met_text(r.met).to_string());
        }
        let cells = row.into_iter().enumerate().map(|(i, text)| {
            let tone = match i {
                5 => tone(r.yoy_pct, dir),
                6 => tone(r.yoy_pp, dir),
                7 => tone(r.mom_pct, dir),
                10 => met_tone(r.met),
                _ => Tone::Plain,
            };
            let style = Style {
                tone,
                ..Style::default()
            };
            (Value::from(text), style)
        });
        t.push_styled(cells.collect());
    }
    t
}

/// 达标 / 未达标, empty without a target or a value.
pub fn met_text(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "达标",
        Some(false) => "未达标",
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn a_change_that_rounds_to_nothing_has_no_sign() {
        assert_eq!(super::signed(-0.04, 1), "0.0");
        assert_eq!(super::signed(0.04, 1), "0.0");
        assert_eq!(super::signed(-0.06, 1), "-0.1");
        assert_eq!(super::signed(12.345, 2), "+12.35");
        assert_eq!(super::signed(-0.004, 2), "0.00");
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
