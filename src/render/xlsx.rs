//! Indicator records as a formatted Excel sheet, through the export layer's sheet writer.

use super::is_good;
use crate::catalog::Direction;
use crate::compute::Record;
use crate::export::table::NumStyle;
use crate::export::xlsx::{print_setup, value_style, Styles, TableWriter};
use crate::export::{Style, Table, Tone, Value};
use anyhow::Result;
use rust_xlsxwriter::Worksheet;
use std::collections::HashMap;
use std::path::Path;

pub fn write_records_xlsx(
    records: &[Record],
    directions: &HashMap<String, Direction>,
    path: &Path,
) -> Result<()> {
    let mut wb = crate::export::xlsx::workbook();
    // Row by row into a temporary file: the cells are not held in memory.
    let ws = wb.add_worksheet_with_low_memory()?;
    ws.set_name("指标")?;
    fill_sheet(
        ws,
        &[records],
        &|r: &Record| r.window.to_string(),
        directions,
        &Styles::new(),
    )?;
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

/// The tidy sheet's headers: 目标值 and 达标 only when the consortium set targets.
fn sheet_headers(targets: bool) -> Vec<String> {
    let mut headers = HEADERS.to_vec();
    if targets {
        headers.extend(["目标值", "达标"]);
    }
    headers.into_iter().map(String::from).collect()
}

/// The records as rows of the workbook's tidy sheet: figures in their unit's format, changes
/// toned by the indicator's direction; `window` names a record's window.
fn sheet_rows(
    t: &mut Table,
    records: &[Record],
    window: &dyn Fn(&Record) -> String,
    directions: &HashMap<String, Direction>,
    targets: bool,
) {
    for r in records {
        let scope = match r.scope {
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
            (Value::Text(window(r)), Style::default()),
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
}

/// Records turned into sheet rows at a time: the tidy sheet holds every member's every
/// indicator, and at 2,000 members the table and the sheet held whole took over a gigabyte.
const ROWS_AT_A_TIME: usize = 2048;

/// Writes the records of `parts`, one after the other, as the tidy sheet (a constant-memory
/// worksheet will do: rows are written in order); `window` names a record's window.
pub fn fill_sheet(
    ws: &mut Worksheet,
    parts: &[&[Record]],
    window: &dyn Fn(&Record) -> String,
    directions: &HashMap<String, Direction>,
    styles: &Styles,
) -> Result<()> {
    let targets = parts
        .iter()
        .flat_map(|p| p.iter())
        .any(|r| r.target.is_some());
    let headers = sheet_headers(targets);
    let mut w = TableWriter::start(ws, 0, &headers, styles)?;
    for chunk in parts.iter().flat_map(|p| p.chunks(ROWS_AT_A_TIME)) {
        let mut t = Table::new(headers.iter().cloned());
        sheet_rows(&mut t, chunk, window, directions, targets);
        w.rows(ws, &t, styles)?;
    }
    w.finish(ws, 10.0)?;
    Ok(())
}
