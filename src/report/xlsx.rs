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

/// The workbook before it is filled: the tidy sheet (数据), its largest part, which needs
/// only the month's and year's records, is filled on a thread of its own as soon as they are
/// final (`fill_tidy`), beside the rest of the report's work; the three summary sheets are
/// filled while it is (`write`), the sets' sheets after it, and the whole is saved.
///
/// Every sheet is written row by row into a temporary file, so a report of thousands of
/// members does not hold its workbook in memory. The tidy sheet and the sets' sheets share
/// their texts (a "low memory" worksheet: the workbook's shared strings, in the order first
/// written); the summary sheets, filled at the same time as the tidy sheet, hold theirs in
/// their cells ("constant memory": inline strings), and every format is given its number
/// before anything is written (`Styles::register`): the same workbook every run, whichever
/// thread is first.
pub struct Book {
    wb: Workbook,
    summaries: Vec<Worksheet>,
    styles: Styles,
}

/// The tidy sheet, to be filled by `fill_tidy`.
pub struct Tidy {
    ws: Worksheet,
    styles: Styles,
}

/// The summary sheets, one per scope, in the workbook's order.
const SUMMARIES: [(&str, &str, &str); 3] = [
    ("consortium", "医联体", "Consortium"),
    ("tier", "层级", "Tiers"),
    ("member", "成员单位", "Members"),
];

/// A new workbook, its formats numbered, and its sheets made empty: the tidy sheet apart,
/// for the thread that fills it.
pub fn begin() -> Result<(Book, Tidy)> {
    let mut wb = crate::export::xlsx::workbook();
    let styles = Styles::new();
    styles.register(&mut wb);
    let ws = wb.new_worksheet_with_low_memory()?;
    let summaries = SUMMARIES
        .iter()
        .map(|_| wb.new_worksheet_with_constant_memory())
        .collect::<Result<Vec<_>, _>>()?;
    let tidy = Tidy {
        ws,
        styles: styles.clone(),
    };
    Ok((
        Book {
            wb,
            summaries,
            styles,
        },
        tidy,
    ))
}

/// The tidy sheet filled with the month's and year's records.
pub fn fill_tidy(
    tidy: Tidy,
    month: &[Record],
    ytd: &[Record],
    defs: &[crate::compute::Def],
    period: crate::model::period::Period,
    lang: Lang,
) -> Result<Worksheet> {
    let Tidy { mut ws, styles } = tidy;
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
    Ok(ws)
}

/// The rest of the workbook `begin` made, saved at `path`: the summary sheets, then the tidy
/// sheet (`tidy`: waits for it), the sets' sheets, the save.
pub fn write(
    data: &ReportData,
    book: Book,
    tidy: impl FnOnce() -> Result<Worksheet>,
    path: &Path,
) -> Result<()> {
    let Book {
        mut wb,
        summaries,
        styles: f,
    } = book;
    let lang = data.lang;
    let mut filled = Vec::with_capacity(summaries.len());
    for (mut ws, (scope, zh, en)) in summaries.into_iter().zip(SUMMARIES) {
        let sheet = lang.t(zh, en);
        ws.set_name(sheet)?;
        summary_sheet(&mut ws, data, scope, sheet, &f)?;
        print_setup(&mut ws, true, Some((1, 1)), &data.colophon())?;
        filled.push(ws);
    }
    let mut data_sheet = tidy()?;
    for ws in filled {
        wb.push_worksheet(ws);
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
