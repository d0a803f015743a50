//! 退回修改清单: the return-for-correction list as a workbook, a 汇总 sheet (counts and the
//! submission matrix) then one sheet per member, ready to send. Every text is written as a
//! string, never as a formula, whatever a member typed.

use super::{Report, Severity};
use crate::config::Consortium;
use anyhow::Result;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet};
use std::collections::BTreeSet;
use std::path::Path;

/// Column width for CJK text (as render's xlsx: a Chinese character is two columns wide).
fn text_width(s: &str) -> f64 {
    crate::text::display_width(s) as f64 * 1.1 + 2.0
}

/// Excel sheet names: at most 31 characters, none of []:*?/\ , unique. Control characters
/// become `_` too: the name is an XML attribute, where they make the workbook unreadable
/// (rust_xlsxwriter escapes them in cells, not there); bidirectional controls likewise, so
/// a tab's name reads as typed.
fn sheet_name(name: &str, used: &mut BTreeSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || crate::output::is_unsafe_char(c) {
                '_'
            } else {
                c
            }
        })
        .take(28)
        .collect();
    let clean = clean.trim_matches('\'').to_string();
    let mut candidate = if clean.is_empty() {
        "sheet".to_string()
    } else {
        clean
    };
    let mut k = 2;
    while used.contains(&candidate.to_lowercase()) {
        candidate = format!("{}~{k}", candidate.chars().take(26).collect::<String>());
        k += 1;
    }
    used.insert(candidate.to_lowercase());
    candidate
}

struct Fmt {
    title: Format,
    header: Format,
    error: Format,
    warning: Format,
    text: Format,
}

fn write_row(
    ws: &mut Worksheet,
    row: u32,
    cells: &[String],
    fmt: &Format,
    widths: &mut [f64],
) -> Result<()> {
    for (c, v) in cells.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, v, fmt)?;
        if let Some(w) = widths.get_mut(c) {
            *w = w.max(text_width(v).min(60.0));
        }
    }
    Ok(())
}

const HEADERS: &[&str] = &[
    "序号",
    "严重程度",
    "月份",
    "指标代码",
    "指标",
    "数值",
    "文件",
    "工作表",
    "单元格",
    "问题说明",
    "规则",
];

pub fn write(report: &Report, consortium: &Consortium, path: &Path) -> Result<()> {
    let f = Fmt {
        title: Format::new().set_bold().set_font_size(14),
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_border(FormatBorder::Thin),
        error: Format::new()
            .set_font_color(Color::RGB(0xC00000))
            .set_border(FormatBorder::Thin),
        warning: Format::new()
            .set_font_color(Color::RGB(0x9C5700))
            .set_border(FormatBorder::Thin),
        text: Format::new().set_border(FormatBorder::Thin),
    };
    let mut wb = Workbook::new();
    let mut used = BTreeSet::new();

    // 汇总: counts per member, then the submission matrix.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name("汇总", &mut used))?;
        let title = if consortium.file.name.is_empty() {
            "退回修改清单".to_string()
        } else {
            format!("{} 退回修改清单", consortium.file.name)
        };
        ws.write_string_with_format(0, 0, &title, &f.title)?;
        let span = match (report.periods.first(), report.periods.last()) {
            (Some(a), Some(b)) if a != b => format!("检查月份：{a} 至 {b}"),
            (Some(a), _) => format!("检查月份：{a}"),
            _ => String::new(),
        };
        ws.write_string(1, 0, &span)?;
        let mut widths = vec![8.0; 6 + report.periods.len()];
        let head: Vec<String> = ["单位代码", "单位名称", "错误", "警告", "提示"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        write_row(ws, 3, &head, &f.header, &mut widths)?;
        let mut row = 4;
        let mut members: Vec<(String, String)> = consortium
            .members()
            .iter()
            .map(|m| (m.id.clone(), m.name.clone()))
            .collect();
        if report.findings.iter().any(|x| x.member.is_empty()) {
            members.push((String::new(), "汇总表合计行".into()));
        }
        for (id, name) in &members {
            let count = |s: Severity| {
                report
                    .findings
                    .iter()
                    .filter(|x| &x.member == id && x.severity == s)
                    .count()
                    .to_string()
            };
            let cells = vec![
                id.clone(),
                name.clone(),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
            ];
            write_row(ws, row, &cells, &f.text, &mut widths)?;
            row += 1;
        }
        row += 1;
        ws.write_string_with_format(row, 0, "报送情况（按时 / 逾期 / 未交）", &f.title)?;
        row += 1;
        let mut head = vec!["单位代码".to_string(), "单位名称".to_string()];
        head.extend(report.periods.iter().cloned());
        write_row(ws, row, &head, &f.header, &mut widths)?;
        row += 1;
        for m in consortium.members() {
            let mut cells = vec![m.id.clone(), m.name.clone()];
            for p in &report.periods {
                let c = report
                    .completeness
                    .iter()
                    .find(|c| c.member == m.id && &c.period == p);
                cells.push(match c {
                    Some(c) => match (&c.submitted_on, c.status) {
                        (Some(d), super::Status::Late) => format!("逾期 {d}"),
                        _ => c.status.label_zh().to_string(),
                    },
                    None => String::new(),
                });
            }
            write_row(ws, row, &cells, &f.text, &mut widths)?;
            row += 1;
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
    }

    // One sheet per member with findings (and one for summary sheets' 合计 rows).
    let mut groups: Vec<(String, String)> = consortium
        .members()
        .iter()
        .map(|m| (m.id.clone(), m.name.clone()))
        .collect();
    groups.push((String::new(), "汇总表合计行".into()));
    for (id, name) in groups {
        let list: Vec<_> = report.findings.iter().filter(|x| x.member == id).collect();
        if list.is_empty() {
            continue;
        }
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&name, &mut used))?;
        ws.write_string_with_format(0, 0, format!("{name} 退回修改清单"), &f.title)?;
        ws.write_string(
            1,
            0,
            "请按下列问题核对原表并修改后重新报送；“错误”必须修改，“警告”请核实，“提示”供参考。",
        )?;
        let mut widths = vec![6.0; HEADERS.len()];
        let head: Vec<String> = HEADERS.iter().map(|s| s.to_string()).collect();
        write_row(ws, 3, &head, &f.header, &mut widths)?;
        for (i, x) in list.iter().enumerate() {
            let fmt = match x.severity {
                Severity::Error => &f.error,
                Severity::Warning => &f.warning,
                Severity::Info => &f.text,
            };
            let cells = vec![
                (i + 1).to_string(),
                x.severity.name_zh().to_string(),
                x.period.clone(),
                x.item.clone(),
                x.item_name.clone(),
                x.value.clone(),
                x.file.clone(),
                x.sheet.clone(),
                x.cell.clone(),
                x.message.clone(),
                x.rule.clone(),
            ];
            write_row(ws, 4 + i as u32, &cells, fmt, &mut widths)?;
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(4, 0)?;
        ws.autofilter(3, 0, 3 + list.len() as u32, HEADERS.len() as u16 - 1)?;
    }
    wb.save(path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_hold_no_control_characters() {
        let mut used = BTreeSet::new();
        assert_eq!(
            sheet_name("红星\u{1b}]0;x\u{7}\u{202e}[a]", &mut used),
            "红星__0;x___a_"
        );
        assert_eq!(
            sheet_name("红星\u{1b}]0;x\u{7}\u{202e}[a]", &mut used),
            "红星__0;x___a_~2"
        );
    }
}
