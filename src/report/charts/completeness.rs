//! Submission completeness: a member × month grid of on time, late, missing, undated and
//! not-a-member cells, with a word in the late and missing cells for grey print.

use super::layout::{frame, label_width, top_down};
use super::style::{err, font, INK, MUTED, STATUS_COLOURS};
use crate::report::{Lang, ReportData, Submission};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// At most this many member rows: past it the members that sent every month on time are left
/// out (said in the subtitle), then the rest is cut; a grid of thousands of rows is no longer
/// read, and takes gigabytes to draw.
pub(super) const MAX_ROWS: usize = 60;

/// The grid's rows drawn, and how many members are left out: those with every month on time,
/// then (past `MAX_ROWS`) the rest of those with a problem, in the consortium file's order.
pub(super) type Rows<'a> = Vec<&'a (crate::report::MemberInfo, Vec<Submission>)>;

pub(super) fn rows(data: &ReportData) -> (Rows<'_>, usize, usize) {
    let all: Rows<'_> = data.grid.iter().collect();
    if all.len() <= MAX_ROWS {
        return (all, 0, 0);
    }
    let fine = |cells: &Vec<Submission>| {
        cells
            .iter()
            .all(|s| matches!(s, Submission::OnTime | Submission::NotDue))
    };
    let mut kept: Rows<'_> = all.iter().copied().filter(|(_, c)| !fine(c)).collect();
    let on_time = all.len() - kept.len();
    let cut = kept.len().saturating_sub(MAX_ROWS);
    kept.truncate(MAX_ROWS);
    (kept, on_time, cut)
}

pub(super) fn completeness<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
) -> Result<()> {
    let lang = data.lang;
    let statuses = match lang {
        Lang::Zh => [
            "按时报送",
            "逾期报送",
            "未报送",
            "非成员月份",
            "已报送（无填报日期）",
        ],
        Lang::En => [
            "On time",
            "Late",
            "Missing",
            "Not a member",
            "Submitted, undated",
        ],
    };
    let legend: Vec<(String, RGBColor)> = statuses
        .iter()
        .zip(STATUS_COLOURS)
        .map(|(s, c)| (s.to_string(), c))
        .collect();
    let first = data.grid_months.first().copied().unwrap_or(data.period);
    let title = match lang {
        Lang::Zh => format!("数据报送完整性 · {}至{}", ym_zh(first), ym_zh(data.period)),
        Lang::En => format!("Submissions · {first} to {}", data.period),
    };
    let sub = match (lang, data.deadline_day) {
        (Lang::Zh, Some(d)) => format!("填报日期晚于次月{d}日为逾期"),
        (Lang::Zh, None) => "consortium.toml 未设 deadline_day，不判断逾期".to_string(),
        (Lang::En, Some(d)) => format!("Late: dated after day {d} of the following month"),
        (Lang::En, None) => "No deadline_day in consortium.toml: lateness not judged".into(),
    };
    let (drawn, on_time, cut) = rows(data);
    let mut sub = sub;
    if on_time > 0 {
        sub.push_str(&match lang {
            Lang::Zh => format!("；各月均按时报送的 {on_time} 家未列出"),
            Lang::En => format!("; {on_time} members on time every month not shown"),
        });
    }
    if cut > 0 {
        sub.push_str(&match lang {
            Lang::Zh => format!("；另有 {cut} 家有逾期或缺报的成员单位未列出，见 yilian check"),
            Lang::En => format!(
                "; {cut} more members with a late or missing month not shown: see yilian check"
            ),
        });
    }
    let area = frame(root, &title, &sub, &legend)?;
    let count = drawn.len();
    let n = count.max(1) as i32;
    let names: Vec<String> = drawn.iter().map(|(m, _)| m.name.clone()).collect();
    let months = data.grid_months.clone();
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(50)
        .y_label_area_size(label_width(root, &names)?)
        .build_cartesian_2d(
            (0..months.len() as i32 - 1).into_segmented(),
            (0..n - 1).into_segmented(),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(MUTED)
        .x_labels(months.len())
        .y_labels(count.max(1))
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => months
                .get(*i as usize)
                .map(|p| match lang {
                    Lang::Zh if p.month() == 1 || *i == 0 => {
                        format!("{}年{}月", p.year() % 100, p.month())
                    }
                    Lang::Zh => format!("{}月", p.month()),
                    Lang::En => {
                        format!("{} {}", crate::report::month_en(p.month()), p.year() % 100)
                    }
                })
                .unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| top_down(&names, v))
        .label_style(font(16.0))
        .draw()
        .map_err(err)?;
    for (row, (_, cells)) in drawn.iter().enumerate() {
        let slot = (count - 1 - row) as i32;
        for (i, s) in cells.iter().enumerate() {
            let k = match s {
                Submission::OnTime => 0,
                Submission::Late => 1,
                Submission::Missing => 2,
                Submission::NotDue => 3,
                Submission::Undated => 4,
            };
            let x = i as i32;
            let mut r = Rectangle::new(
                [
                    (SegmentValue::Exact(x), SegmentValue::Exact(slot)),
                    (SegmentValue::Exact(x + 1), SegmentValue::Exact(slot + 1)),
                ],
                STATUS_COLOURS[k].filled(),
            );
            r.set_margin(2, 2, 2, 2);
            chart.draw_series(std::iter::once(r)).map_err(err)?;
            // A word in the cell too, so the grid reads in grey print and for colour-blind readers.
            let word = match (k, lang) {
                (1, Lang::Zh) => "逾期",
                (2, Lang::Zh) => "缺报",
                (1, Lang::En) => "late",
                (2, Lang::En) => "missing",
                _ => "",
            };
            if !word.is_empty() {
                chart
                    .draw_series(std::iter::once(Text::new(
                        word,
                        (SegmentValue::CenterOf(x), SegmentValue::CenterOf(slot)),
                        font(14.0)
                            .color(if k == 2 { &WHITE } else { &INK })
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    )))
                    .map_err(err)?;
            }
        }
    }
    Ok(())
}

fn ym_zh(p: crate::model::period::Period) -> String {
    format!("{}年{}月", p.year(), p.month())
}
