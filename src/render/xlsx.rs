//! Indicator records as a formatted Excel sheet, through the export layer's sheet writer.

use super::is_good;
use crate::catalog::Direction;
use crate::compute::Record;
use crate::export::table::NumStyle;
use crate::export::xlsx::{print_setup, value_style, write_table, Styles};
use crate::export::{Style, Table, Tone, Value};
use anyhow::Result;
use rust_xlsxwriter::{Workbook, Worksheet};
use std::collections::HashMap;
use std::path::Path;

pub fn write_records_xlsx(
    records: &[Record],
    directions: &HashMap<String, Direction>,
    path: &Path,
) -> Result<()> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("指标")?;
    fill_sheet(ws, records, directions, &Styles::new())?;
    print_setup(ws, true, Some((0, 0)), "yilian")?;
    wb.save(path)?;
    Ok(())
}

const HEADERS: [&str; 13] = [
    "期间",
    "口径",
    "范围",
    "单位/层级",
    "指标",
    "计量单位",
    "本期",
    "去年同期",
    "同比",
    "同比(百分点)",
    "环比",
    "覆盖单位",
    "代码",
];

/// The records as the workbook's tidy sheet: figures in their unit's format, changes toned
/// by the indicator's direction.
pub fn sheet_table(records: &[Record], directions: &HashMap<String, Direction>) -> Table {
    // 目标值 and 达标 only when the consortium set targets.
    let targets = records.iter().any(|r| r.target.is_some());
    let mut headers = HEADERS.to_vec();
    if targets {
        headers.extend(["目标值", "达标"]);
    }
    let mut t = Table::new(headers);
    for r in records {
        let scope = match r.scope.as_str() {
            "member" => "成员单位",
            "tier" => "层级",
            "region" => "区域",
            _ => "医联体",
        };
        let dir = directions.get(&r.indicator).copied().unwrap_or_default();
        let text = |s: &str| (Value::Text(s.to_string()), Style::default());
        let figure = |v: Option<f64>| {
            let num = v.map_or(NumStyle::General, |x| {
                // One format for the row's two figures: decimals if the month has any.
                value_style(&r.unit, r.value.unwrap_or(x))
            });
            (
                Value::num(v),
                Style {
                    num,
                    tone: Tone::Plain,
                },
            )
        };
        let change = |v: Option<f64>, num: NumStyle| {
            let tone = match v.and_then(|x| is_good(x, dir)) {
                Some(true) => Tone::Good,
                Some(false) => Tone::Bad,
                None => Tone::Plain,
            };
            (Value::num(v), Style { num, tone })
        };
        let mut row = vec![
            text(&r.period),
            text(&r.window),
            text(scope),
            text(&r.entity_name),
            text(&r.indicator_name),
            text(&r.unit),
            figure(r.value),
            figure(r.prior_value),
            change(r.yoy_pct, NumStyle::ChangePct),
            change(r.yoy_pp, NumStyle::ChangePp),
            change(r.mom_pct, NumStyle::ChangePct),
            if r.scope == "member" {
                (Value::Null, Style::default())
            } else {
                text(&format!("{}/{}", r.covered, r.members))
            },
            text(&r.indicator),
        ];
        if targets {
            row.push(figure(r.target));
            let tone = match r.met {
                Some(true) => Tone::Good,
                Some(false) => Tone::Bad,
                None => Tone::Plain,
            };
            let met = match r.met {
                Some(_) => Value::Text(super::met_text(r.met).to_string()),
                None => Value::Null,
            };
            row.push((
                met,
                Style {
                    tone,
                    ..Style::default()
                },
            ));
        }
        t.push_styled(row);
    }
    t
}

pub fn fill_sheet(
    ws: &mut Worksheet,
    records: &[Record],
    directions: &HashMap<String, Direction>,
    styles: &Styles,
) -> Result<()> {
    write_table(ws, 0, &sheet_table(records, directions), styles, 10.0)?;
    Ok(())
}
