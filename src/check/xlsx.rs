//! 退回修改清单: the return-for-correction list as a workbook, a 汇总 sheet (counts and the
//! submission matrix) then one sheet per member, ready to send. Every text is written as a
//! string, never as a formula, whatever a member typed.

use super::{Finding, Report};
use crate::config::Consortium;
use crate::export::xlsx::{print_setup, sheet_name, text_width, Styles, AMBER, RED};
use crate::model::Severity;
use anyhow::Result;
use rust_xlsxwriter::{Format, FormatBorder, Worksheet};
use std::collections::BTreeSet;
use std::path::Path;

struct Fmt {
    title: Format,
    header: Format,
    error: Format,
    warning: Format,
    text: Format,
}

/// A cell: text, or a number written as a number (so a member's spreadsheet can sum it).
enum Val {
    Text(String),
    Num(f64),
}

impl Val {
    fn width(&self) -> f64 {
        match self {
            Val::Text(s) => text_width(s),
            Val::Num(x) => text_width(&crate::model::fmt_num(*x)),
        }
    }
}

fn write_row(
    ws: &mut Worksheet,
    row: u32,
    cells: &[String],
    fmt: &Format,
    widths: &mut [f64],
) -> Result<()> {
    let cells: Vec<Val> = cells.iter().map(|s| Val::Text(s.clone())).collect();
    write_vals(ws, row, &cells, fmt, widths)
}

fn write_vals(
    ws: &mut Worksheet,
    row: u32,
    cells: &[Val],
    fmt: &Format,
    widths: &mut [f64],
) -> Result<()> {
    for (c, v) in cells.iter().enumerate() {
        match v {
            Val::Text(s) => ws.write_string_with_format(row, c as u16, s, fmt)?,
            Val::Num(x) => ws.write_number_with_format(row, c as u16, *x, fmt)?,
        };
        if let Some(w) = widths.get_mut(c) {
            *w = w.max(v.width().min(60.0));
        }
    }
    Ok(())
}

/// The list's language: Chinese for the members (the default), English for `--lang en`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListLang {
    Zh,
    En,
}

impl ListLang {
    fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            ListLang::Zh => zh,
            ListLang::En => en,
        }
    }
}

fn headers(lang: ListLang) -> &'static [&'static str] {
    match lang {
        ListLang::Zh => &[
            "序号",
            "严重程度",
            "月份",
            "指标",
            "数值",
            "处数",
            "文件",
            "工作表",
            "单元格",
            "问题说明",
        ],
        ListLang::En => &[
            "No.",
            "Severity",
            "Month",
            "Item code",
            "Item",
            "Value",
            "Count",
            "File",
            "Sheet",
            "Cell",
            "Problem",
            "Rule",
        ],
    }
}

/// Findings of one rule on one item of one member: one row with a count, whatever the number
/// of months (an item left out every month is one thing to fix, not 24).
fn groups<'a>(list: &[&'a Finding]) -> Vec<Vec<&'a Finding>> {
    let mut out: Vec<Vec<&'a Finding>> = Vec::new();
    for f in list {
        match out
            .iter_mut()
            .find(|g| g[0].rule == f.rule && g[0].item == f.item)
        {
            Some(g) => g.push(f),
            None => out.push(vec![f]),
        }
    }
    // Most severe first, then in the order met (months, rules).
    out.sort_by_key(|g| g.iter().map(|f| f.severity).min());
    out
}

/// Distinct non-empty texts in order, joined.
fn distinct(list: &[&Finding], get: &dyn Fn(&Finding) -> String, sep: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    for f in list {
        let v = get(f);
        if !v.is_empty() && !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join(sep)
}

/// `2025年3月` for a Chinese reader, `2025-03` otherwise.
fn month_label(lang: ListLang, period: &str) -> String {
    match (lang, crate::model::period::Period::parse_strict(period)) {
        (ListLang::Zh, Some(p)) => format!("{}年{}月", p.year(), p.month()),
        _ => period.to_string(),
    }
}

/// The months of a group: a run of consecutive months as `A至B`, others listed.
fn month_list(lang: ListLang, g: &[&Finding]) -> String {
    let mut months: Vec<crate::model::period::Period> = g
        .iter()
        .filter_map(|f| crate::model::period::Period::parse_strict(&f.period))
        .collect();
    months.sort();
    months.dedup();
    if months.len() != g.iter().map(|f| &f.period).collect::<BTreeSet<_>>().len() {
        // A month that is not YYYY-MM: list them as they are.
        return distinct(g, &|f| month_label(lang, &f.period), lang.t("、", ", "));
    }
    let mut runs: Vec<(crate::model::period::Period, crate::model::period::Period)> = Vec::new();
    for p in months {
        match runs.last_mut() {
            Some((_, b)) if b.add_months(1) == p => *b = p,
            _ => runs.push((p, p)),
        }
    }
    runs.iter()
        .map(|(a, b)| {
            let (a, b) = (
                month_label(lang, &a.to_string()),
                month_label(lang, &b.to_string()),
            );
            if a == b {
                a
            } else {
                format!("{a}{}{b}", lang.t("至", " to "))
            }
        })
        .collect::<Vec<_>>()
        .join(lang.t("、", ", "))
}

/// A cell reference; for several figures `G5 (code)` names the item as the form does.
fn cell_text(lang: ListLang, cell: &str, consortium: &Consortium) -> String {
    if lang == ListLang::En {
        return cell.to_string();
    }
    cell.split("; ")
        .map(|part| match part.split_once(" (") {
            Some((c, code)) => {
                let code = code.trim_end_matches(')');
                match consortium.catalog.metric(code) {
                    Some(m) => format!("{c}（{}）", m.name),
                    None => part.to_string(),
                }
            }
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// The value column: a number when the finding is about one figure; for several figures
/// (`code=value; …`) the items named as the member's form names them.
fn value_cell(lang: ListLang, f: &Finding, consortium: &Consortium) -> Val {
    if let Ok(x) = f.value.trim().parse::<f64>() {
        if x.is_finite() {
            return Val::Num(x);
        }
    }
    if lang == ListLang::En {
        return Val::Text(f.value.clone());
    }
    let part = |p: &str| -> String {
        let p = p.trim();
        let (name, v) = match p.split_once('=') {
            Some((c, v)) => match consortium.catalog.metric(c) {
                Some(m) => (Some(m.name.clone()), v),
                None => (None, p),
            },
            None => (None, p),
        };
        let v = match v {
            "(blank)" => "空白".to_string(),
            v => match v.strip_suffix(" (no figure)") {
                Some(raw) => format!("{raw}（非数字）"),
                None => v.to_string(),
            },
        };
        match name {
            Some(n) => format!("{n} {v}"),
            None => v,
        }
    };
    Val::Text(
        f.value
            .split("; ")
            .map(part)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("；"),
    )
}

/// The row of a group: one finding as it is; several with their months, cells and, when the
/// reasons differ, each month's reason.
fn group_row(lang: ListLang, g: &[&Finding], no: usize, consortium: &Consortium) -> Vec<Val> {
    let first = g[0];
    let n = g.len();
    let sep = lang.t("、", ", ");
    let severity = g.iter().map(|f| f.severity).min().unwrap_or(first.severity);
    let zh = lang == ListLang::Zh;
    let months = month_list(lang, g);
    // The same cell every month is said once; different cells with their months.
    let one_cell = g.iter().all(|f| f.cell == first.cell);
    let cells = distinct(
        g,
        &|f| {
            let cell = cell_text(lang, &f.cell, consortium);
            if !one_cell && !cell.is_empty() {
                format!("{} {cell}", month_label(lang, &f.period))
            } else {
                cell
            }
        },
        lang.t("；", "; "),
    );
    // One value is a number; values that differ are each listed with their month.
    let value = if g.iter().all(|f| f.value == first.value) {
        value_cell(lang, first, consortium)
    } else {
        Val::Text(
            g.iter()
                .filter(|f| !f.value.is_empty())
                .map(|f| {
                    let v = match value_cell(lang, f, consortium) {
                        Val::Num(x) => crate::model::fmt_num(x),
                        Val::Text(t) => t,
                    };
                    format!("{} {v}", month_label(lang, &f.period))
                })
                .collect::<Vec<_>>()
                .join(lang.t("；", "; ")),
        )
    };
    let reasons: Vec<&str> = g.iter().map(|f| f.message_for(zh)).collect();
    let problem = if reasons.iter().all(|r| *r == reasons[0]) {
        match (n, lang) {
            (1, _) => reasons[0].to_string(),
            (_, ListLang::Zh) => format!("{}（共 {n} 个月）", reasons[0]),
            (_, ListLang::En) => format!("{} ({n} months)", reasons[0]),
        }
    } else {
        let head = match lang {
            ListLang::Zh => format!(
                "{}，共 {n} 处：",
                super::rule_name_zh(&first.rule).unwrap_or(first.rule.as_str())
            ),
            ListLang::En => format!("{n} findings: "),
        };
        head + &g
            .iter()
            .map(|f| format!("{} {}", month_label(lang, &f.period), f.message_for(zh)))
            .collect::<Vec<_>>()
            .join(lang.t("；", "; "))
    };
    let item_name = if first.item_name.is_empty() {
        first.item.clone()
    } else {
        first.item_name.clone()
    };
    let sev = match lang {
        ListLang::Zh => severity.name_zh(),
        ListLang::En => severity.as_str(),
    };
    let mut row = vec![
        Val::Num(no as f64),
        Val::Text(sev.to_string()),
        Val::Text(months),
    ];
    if !zh {
        row.push(Val::Text(first.item.clone()));
    }
    row.extend([
        Val::Text(item_name),
        value,
        Val::Num(n as f64),
        Val::Text(distinct(g, &|f| f.file.clone(), sep)),
        Val::Text(distinct(g, &|f| f.sheet.clone(), sep)),
        Val::Text(cells),
        Val::Text(problem),
    ]);
    if !zh {
        row.push(Val::Text(first.rule.clone()));
    }
    row
}

pub fn write(report: &Report, consortium: &Consortium, path: &Path, lang: ListLang) -> Result<()> {
    let styles = Styles::new();
    let f = Fmt {
        title: styles.title.clone(),
        header: styles.header.clone(),
        error: Format::new()
            .set_font_color(RED)
            .set_border(FormatBorder::Thin),
        warning: Format::new()
            .set_font_color(AMBER)
            .set_border(FormatBorder::Thin),
        text: Format::new().set_border(FormatBorder::Thin),
    };
    let mut wb = crate::export::xlsx::workbook();
    let mut used = BTreeSet::new();
    let summary_rows = lang.t("汇总表合计行", "Summary sheets' total rows");
    let list_name = lang.t("退回修改清单", "return-for-correction list");

    // 汇总: counts per member, then the submission matrix.
    {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(lang.t("汇总", "Summary"), &mut used))?;
        let title = if consortium.file.name.is_empty() {
            list_name.to_string()
        } else {
            format!("{} {list_name}", consortium.file.name)
        };
        ws.write_string_with_format(0, 0, &title, &f.title)?;
        let span = match (report.periods.first(), report.periods.last()) {
            (Some(a), Some(b)) if a != b => format!(
                "{}{} {} {}",
                lang.t("检查月份：", "Months checked: "),
                month_label(lang, a),
                lang.t("至", "to"),
                month_label(lang, b)
            ),
            (Some(a), _) => format!(
                "{}{}",
                lang.t("检查月份：", "Month checked: "),
                month_label(lang, a)
            ),
            _ => String::new(),
        };
        ws.write_string(1, 0, &span)?;
        let mut widths = vec![8.0; 6 + report.periods.len()];
        let head: Vec<String> = match lang {
            ListLang::Zh => ["单位代码", "单位名称", "错误", "警告", "提示"],
            ListLang::En => ["Member id", "Member", "Errors", "Warnings", "Info"],
        }
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
            members.push((String::new(), summary_rows.into()));
        }
        for (id, name) in &members {
            let count = |s: Severity| {
                Val::Num(
                    report
                        .findings
                        .iter()
                        .filter(|x| &x.member == id && x.severity == s)
                        .count() as f64,
                )
            };
            let cells = vec![
                Val::Text(id.clone()),
                Val::Text(name.clone()),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
            ];
            write_vals(ws, row, &cells, &f.text, &mut widths)?;
            row += 1;
        }
        row += 1;
        ws.write_string_with_format(
            row,
            0,
            lang.t(
                "报送情况（按时 / 逾期 / 未交）",
                "Submissions (on time / late / missing)",
            ),
            &f.title,
        )?;
        row += 1;
        let mut head = vec![
            lang.t("单位代码", "Member id").to_string(),
            lang.t("单位名称", "Member").to_string(),
        ];
        head.extend(report.periods.iter().map(|p| month_label(lang, p)));
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
                    Some(c) => match (&c.submitted_on, c.status, lang) {
                        (Some(d), super::Status::Late, ListLang::Zh) => format!("逾期 {d}"),
                        (Some(d), super::Status::Late, ListLang::En) => format!("late {d}"),
                        (_, s, ListLang::Zh) => s.label_zh().to_string(),
                        (_, s, ListLang::En) => s.label().to_string(),
                    },
                    None => String::new(),
                });
            }
            write_row(ws, row, &cells, &f.text, &mut widths)?;
            row += 1;
        }
        // How the check ran (no deadline set, undated forms) is for the quality office, as
        // the terminal says it: only in the English list, never on a member's sheet.
        if lang == ListLang::En && !report.notes.is_empty() {
            row += 1;
            ws.write_string_with_format(row, 0, "Notes", &f.title)?;
            for n in &report.notes {
                row += 1;
                ws.write_string(row, 0, n.to_string())?;
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
    }

    // One sheet per member with findings (and one for summary sheets' 合计 rows).
    let mut members: Vec<(String, String)> = consortium
        .members()
        .iter()
        .map(|m| (m.id.clone(), m.name.clone()))
        .collect();
    members.push((String::new(), summary_rows.into()));
    let heads = headers(lang);
    for (id, name) in members {
        let list: Vec<&Finding> = report.findings.iter().filter(|x| x.member == id).collect();
        if list.is_empty() {
            continue;
        }
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&name, &mut used))?;
        ws.write_string_with_format(0, 0, format!("{name} {list_name}"), &f.title)?;
        ws.write_string(
            1,
            0,
            lang.t(
                "请按下列问题核对原表并修改后重新报送；“错误”必须修改，“警告”请核实，“提示”供参考。同一指标的同类问题合并为一行，“处数”为涉及的处数。",
                "Check the form against each problem below and send it again corrected: errors must be fixed, warnings confirmed, info is for reference. Repeats of one problem on one item are one row; Count says how many.",
            ),
        )?;
        let mut widths = vec![6.0; heads.len()];
        let head: Vec<String> = heads.iter().map(|s| s.to_string()).collect();
        write_row(ws, 3, &head, &f.header, &mut widths)?;
        let groups = groups(&list);
        for (i, g) in groups.iter().enumerate() {
            let fmt = match g.iter().map(|f| f.severity).min() {
                Some(Severity::Error) => &f.error,
                Some(Severity::Warning) => &f.warning,
                _ => &f.text,
            };
            let cells = group_row(lang, g, i + 1, consortium);
            write_vals(ws, 4 + i as u32, &cells, fmt, &mut widths)?;
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        ws.set_freeze_panes(4, 0)?;
        ws.autofilter(3, 0, 3 + groups.len() as u32, heads.len() as u16 - 1)?;
        // Members print the list to correct their forms: A4 across, the header on each page.
        print_setup(ws, true, Some((3, 3)), &format!("{name} {list_name}"))?;
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
