//! Indicator records as a formatted Excel sheet (rust_xlsxwriter). Text cells are written as
//! strings, never formulas, whatever a member typed.

use super::is_good;
use crate::catalog::Direction;
use crate::compute::Record;
use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};
use std::collections::HashMap;
use std::path::Path;

/// Column width for CJK text: rust_xlsxwriter's autofit counts characters, but a Chinese
/// character is two columns wide.
pub fn text_width(s: &str) -> f64 {
    crate::text::display_width(s) as f64 * 1.1 + 2.0
}

pub fn write_records_xlsx(
    records: &[Record],
    directions: &HashMap<String, Direction>,
    path: &Path,
) -> Result<()> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("指标")?;
    fill_sheet(ws, records, directions)?;
    wb.save(path)?;
    Ok(())
}

pub fn fill_sheet(
    ws: &mut Worksheet,
    records: &[Record],
    directions: &HashMap<String, Direction>,
) -> Result<()> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let int = Format::new().set_num_format("#,##0");
    let dec = Format::new().set_num_format("#,##0.00");
    let pct = Format::new().set_num_format("0.0\"%\"");
    let good = Format::new()
        .set_font_color(Color::RGB(0x1E7B34))
        .set_num_format("\"↑\"+0.0\"%\";\"↓\"-0.0\"%\"");
    let bad = Format::new()
        .set_font_color(Color::RGB(0xC00000))
        .set_num_format("\"↑\"+0.0\"%\";\"↓\"-0.0\"%\"");
    let neutral = Format::new().set_num_format("\"↑\"+0.0\"%\";\"↓\"-0.0\"%\"");
    let pp = Format::new().set_num_format("+0.0\"pp\";-0.0\"pp\"");
    let headers = [
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
    let mut widths: Vec<f64> = headers.iter().map(|h| text_width(h)).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    for (i, r) in records.iter().enumerate() {
        let row = i as u32 + 1;
        let scope = match r.scope.as_str() {
            "member" => "成员单位",
            "tier" => "层级",
            _ => "医联体",
        };
        let texts = [
            &r.period,
            &r.window,
            &scope.to_string(),
            &r.entity_name,
            &r.indicator_name,
            &r.unit,
        ];
        for (c, t) in texts.iter().enumerate() {
            ws.write_string(row, c as u16, t.as_str())?;
            widths[c] = widths[c].max(text_width(t));
        }
        let num_fmt = if r.unit == "%" {
            &pct
        } else if r.value.is_some_and(|v| v.fract() != 0.0)
            || matches!(r.unit.as_str(), "次" | "日" | "倍" | "万元")
        {
            &dec
        } else {
            &int
        };
        for (c, v) in [(6u16, r.value), (7, r.prior_value)] {
            if let Some(v) = v {
                ws.write_number_with_format(row, c, v, num_fmt)?;
            }
        }
        let dir = directions.get(&r.indicator).copied().unwrap_or_default();
        for (c, v) in [(8u16, r.yoy_pct), (10, r.mom_pct)] {
            if let Some(v) = v {
                let f = match is_good(v, dir) {
                    Some(true) => &good,
                    Some(false) => &bad,
                    None => &neutral,
                };
                ws.write_number_with_format(row, c, v, f)?;
            }
        }
        if let Some(v) = r.yoy_pp {
            ws.write_number_with_format(row, 9, v, &pp)?;
        }
        if r.scope != "member" {
            ws.write_string(row, 11, format!("{}/{}", r.covered, r.members))?;
        }
        ws.write_string(row, 12, &r.indicator)?;
        widths[12] = widths[12].max(text_width(&r.indicator));
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, w.max(10.0).min(60.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, records.len() as u32, headers.len() as u16 - 1)?;
    Ok(())
}
