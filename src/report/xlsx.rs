//! report.xlsx: one summary sheet per scope (医联体, 层级, 成员单位) with the month and the
//! year to date side by side, and the tidy data sheet. Member-supplied text is always written
//! with `write_string`, so `=HYPERLINK(...)` as a name stays text.

use super::{ChangeBasis, Lang, ReportData};
use crate::compute::Record;
use crate::export::xlsx::{print_setup, sheet_name, text_width, write_table, Styles};
use crate::render::{fill_sheet, is_good};
use anyhow::Result;
use rust_xlsxwriter::{Workbook, Worksheet};
use std::collections::HashMap;
use std::path::Path;

/// Data columns of the summary sheets after the entity and indicator columns.
pub const SUMMARY_HEADERS_ZH: [&str; 18] = [
    "单位/层级",
    "指标",
    "计量单位",
    "本月",
    "去年同月",
    "同比",
    "同比增减(百分点)",
    "环比",
    "本年累计",
    "去年同期累计",
    "累计同比",
    "累计同比增减(百分点)",
    "本月覆盖单位",
    "累计覆盖单位",
    "可比口径本月",
    "可比口径去年同月",
    "可比口径本年累计",
    "可比口径去年同期累计",
];
const SUMMARY_HEADERS_EN: [&str; 18] = [
    "Entity",
    "Indicator",
    "Unit",
    "Month",
    "Same month last year",
    "YoY",
    "YoY (pp)",
    "MoM",
    "Year to date",
    "Same period last year",
    "YTD YoY",
    "YTD YoY (pp)",
    "Coverage (month)",
    "Coverage (year to date)",
    "Like-for-like month",
    "Like-for-like same month last year",
    "Like-for-like year to date",
    "Like-for-like same period last year",
];
/// Members have no basis to choose: their sheet stops before the comparable columns.
const MEMBER_COLUMNS: usize = 14;

/// A workbook whose tidy sheet (数据) is filled: the workbook's largest part, which needs only
/// the month's and year's records, so it is filled beside the rest of the report's work
/// (`ReportData::gather`'s trends and sets) instead of after them. Filled before any other
/// sheet, its texts come first in the workbook's shared strings: the same workbook every run.
pub struct Started {
    wb: Workbook,
    data: Worksheet,
    styles: Styles,
}

/// Every sheet is written row by row into a temporary file ("low memory" worksheets: cells
/// are not held, strings still shared), so a report of thousands of members does not hold
/// its whole workbook in memory. The tidy sheet first (`Started`), kept for last in the
/// workbook's order.
pub fn start(
    month: &[Record],
    ytd: &[Record],
    defs: &[crate::compute::Def],
    period: crate::model::period::Period,
    lang: Lang,
) -> Result<Started> {
    let mut wb = crate::export::xlsx::workbook();
    let styles = Styles::new();
    let mut ws = wb.new_worksheet_with_low_memory()?;
    ws.set_name(lang.t("数据", "Data"))?;
    let directions = crate::compute::directions(defs);
    // The tidy sheet says its windows in the report's words (当月, 1-12月), not the codes.
    let (month_label, ytd_label) = (
        super::period_label(period, lang),
        super::ytd_label(period, lang),
    );
    let window = |r: &Record| match r.window {
        "month" => month_label.clone(),
        _ => ytd_label.clone(),
    };
    fill_sheet(&mut ws, &[month, ytd], &window, &directions, &styles)?;
    Ok(Started {
        wb,
        data: ws,
        styles,
    })
}

/// The rest of the workbook `start` began, saved at `path`.
pub fn write(data: &ReportData, started: Started, path: &Path) -> Result<()> {
    let Started {
        mut wb,
        data: mut data_sheet,
        styles: f,
    } = started;
    let lang = data.lang;
    for (scope, sheet) in [
        ("consortium", lang.t("医联体", "Consortium")),
        ("tier", lang.t("层级", "Tiers")),
        ("member", lang.t("成员单位", "Members")),
    ] {
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name(sheet)?;
        summary_sheet(ws, data, scope, sheet, &f)?;
        print_setup(ws, true, Some((1, 1)), &data.colophon())?;
    }
    sets_sheets(&mut wb, data, &f)?;
    print_setup(&mut data_sheet, true, Some((0, 0)), &data.colophon())?;
    wb.push_worksheet(data_sheet);
    wb.save(path)?;
    Ok(())
}

/// 指标体系: a sheet per set the data fill in part (title, notes, the table with figures as
/// numbers), then one sheet of the figures that miss their target, when some do.
fn sets_sheets(wb: &mut Workbook, data: &ReportData, f: &Styles) -> Result<()> {
    let lang = data.lang;
    let mut used: std::collections::BTreeSet<String> = [
        lang.t("医联体", "Consortium"),
        lang.t("层级", "Tiers"),
        lang.t("成员单位", "Members"),
        lang.t("数据", "Data"),
        lang.t("未达标", "Targets missed"),
    ]
    .iter()
    .map(|s| s.to_lowercase())
    .collect();
    let mut misses: Option<crate::export::Table> = None;
    for s in &data.sets {
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name(sheet_name(s.short(lang), &mut used))?;
        let title = format!("{} {} {}", data.title, data.period_label(), s.name(lang));
        ws.write_string_with_format(0, 0, &title, &f.title)?;
        let notes = s.note(data);
        for (i, n) in notes.iter().enumerate() {
            ws.write_string(1 + i as u32, 0, n)?;
        }
        write_table(ws, 2 + notes.len() as u32, &s.table(data, true), f, 11.0)?;
        print_setup(ws, true, None, &data.colophon())?;
        let t = s.misses_table(data, true, true);
        match &mut misses {
            Some(all) => {
                all.rows.extend(t.rows);
                all.styles.extend(t.styles);
            }
            None => misses = Some(t),
        }
    }
    if let Some(t) = misses.filter(|t| !t.rows.is_empty()) {
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name(lang.t("未达标", "Targets missed"))?;
        let title = format!(
            "{} {} {}",
            data.title,
            data.period_label(),
            lang.t("未达标指标", "figures missing their target")
        );
        ws.write_string_with_format(0, 0, &title, &f.title)?;
        write_table(ws, 1, &t, f, 11.0)?;
        print_setup(ws, true, Some((1, 1)), &data.colophon())?;
    }
    Ok(())
}

/// Rows of a summary sheet: each entity of the scope, each indicator that applies to it.
fn summary_sheet(
    ws: &mut Worksheet,
    data: &ReportData,
    scope: &str,
    sheet: &str,
    f: &Styles,
) -> Result<()> {
    let lang = data.lang;
    let headers = match lang {
        Lang::Zh => &SUMMARY_HEADERS_ZH[..],
        Lang::En => &SUMMARY_HEADERS_EN[..],
    };
    let headers = match (scope, data.basis) {
        ("member", _) | (_, ChangeBasis::All) => &headers[..MEMBER_COLUMNS],
        _ => headers,
    };
    let title = format!(
        "{} {} {}（{}）　{}",
        data.title,
        data.period_label(),
        lang.t("医疗业务指标汇总", "indicators"),
        sheet,
        data.basis_note()
    );
    // Rows are written in order and cannot be changed once passed: the header row's height
    // is set before it is written.
    ws.set_row_height(1, 32)?;
    ws.write_string_with_format(0, 0, &title, &f.title)?;
    let mut widths: Vec<f64> = headers.iter().map(|h| text_width(h).min(14.0)).collect();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &f.header)?;
    }
    let ytd: HashMap<(&str, &str), &Record> = data
        .ytd
        .iter()
        .filter(|r| r.scope == scope)
        .map(|r| ((r.entity.as_str(), r.indicator.as_str()), r))
        .collect();
    let mut row = 2u32;
    for m in data.month.iter().filter(|r| r.scope == scope) {
        let y = ytd.get(&(m.entity.as_str(), m.indicator.as_str())).copied();
        let applies = |r: &Record| r.members > 0 || r.value.is_some() || r.prior_value.is_some();
        if !applies(m) && !y.is_some_and(applies) {
            continue;
        }
        let entity = match scope {
            "tier" => data.tier_name(&m.entity),
            _ => m.entity_name.clone(),
        };
        let ind = data.ind_name(&m.indicator);
        let unit = data.unit(&m.indicator);
        for (c, t) in [(0u16, &entity), (1, &ind), (2, &unit)] {
            ws.write_string(row, c, t)?;
            widths[c as usize] = widths[c as usize].max(text_width(t));
        }
        let dir = data.direction(&m.indicator);
        let mut put = |col: u16, r: Option<&Record>| -> Result<()> {
            let Some(r) = r else { return Ok(()) };
            for (c, v) in [(col, r.value), (col + 1, r.prior_value)] {
                if let Some(v) = v {
                    ws.write_number_with_format(row, c, v, f.value(&r.unit, v))?;
                }
            }
            if let Some(v) = r.yoy_pct {
                ws.write_number_with_format(row, col + 2, v, f.change(is_good(v, dir), false))?;
            }
            if let Some(v) = r.yoy_pp {
                ws.write_number_with_format(row, col + 3, v, f.change(is_good(v, dir), true))?;
            }
            Ok(())
        };
        put(3, Some(m))?;
        // The year-to-date block has no MoM column: it starts one column further.
        put(8, y)?;
        if let Some(v) = m.mom_pct {
            ws.write_number_with_format(row, 7, v, f.change(is_good(v, dir), false))?;
        }
        if scope != "member" {
            // Each window's own coverage: a member may have sent the month but not every
            // month of the year.
            ws.write_string(row, 12, format!("{}/{}", m.covered, m.members))?;
            if let Some(y) = y {
                ws.write_string(row, 13, format!("{}/{}", y.covered, y.members))?;
            }
            let unit = m.unit.as_str();
            for (ytd, col) in [(false, 14u16), (true, 16)] {
                let Some(c) = data.comparable(ytd, &m.entity, &m.indicator) else {
                    continue;
                };
                for (c, v) in [(col, c.value), (col + 1, c.prior_value)] {
                    if let Some(v) = v {
                        ws.write_number_with_format(row, c, v, f.value(unit, v))?;
                    }
                }
            }
        }
        row += 1;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, w.clamp(11.0, 50.0))?;
    }
    ws.set_freeze_panes(2, 2)?;
    ws.autofilter(1, 0, row.max(2) - 1, headers.len() as u16 - 1)?;
    Ok(())
}
