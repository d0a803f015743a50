//! Member comparison of one indicator for the month or the year to date: a bar per member,
//! labelled with its value and YoY (starred and grey where it rests on a flagged value).

use super::layout::{frame, label_width, top_down};
use super::rows::member_bars;
use super::style::{axis_num, change_colour, err, font, num, yoy_text, GRID, LAST, MUTED, THIS};
use super::Bars;
use crate::report::{Lang, ReportData};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) fn members<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
    code: &str,
    ytd: bool,
) -> Result<()> {
    let lang = data.lang;
    let (rows, cut) = member_bars(data, ytd, code);
    let unit = data.def(code).map(|d| d.unit.clone()).unwrap_or_default();
    let window = if ytd {
        data.ytd_label()
    } else {
        data.period_label()
    };
    let title = format!(
        "{} · {}{}",
        data.ind_name(code),
        lang.t("成员单位对比 ", "by member, "),
        window
    );
    let mut sub = format!("{}{}", lang.t("单位：", "Unit: "), data.unit(code));
    sub.push_str(lang.t(
        "；标签为本期数值与同比（绿色向好，红色变差）",
        "; labels: value and YoY (green better, red worse)",
    ));
    if cut > 0 {
        sub.push_str(&match lang {
            Lang::Zh => format!("；另有{cut}家未显示"),
            Lang::En => format!("; {cut} more not shown"),
        });
    }
    // A member's figure resting on a value `check` flags gets no green or red: its change is
    // in doubt (the 要点 and tables leave it out of their rankings too).
    let flagged: Vec<bool> = rows
        .iter()
        .map(|(_, _, r)| r.is_some_and(|r| data.flagged(ytd, &r.entity, code).is_some()))
        .collect();
    if flagged.contains(&true) {
        sub.push_str(lang.t(
            "；*所涉数值存疑（见数据质量）",
            "; * rests on a flagged value (see Data quality)",
        ));
    }
    bars(
        root,
        &Bars {
            title,
            subtitle: sub,
            rows,
            flagged,
            unit,
            direction: data.direction(code),
            lang,
        },
    )
}

/// A bar per row, top down in the order given, labelled with its value and YoY.
pub(super) fn bars<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, b: &Bars) -> Result<()> {
    let (lang, rows, unit) = (b.lang, &b.rows, &b.unit);
    let area = frame(root, &b.title, &b.subtitle, &[])?;
    let n = rows.len().max(1) as i32;
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1e-9);
    let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(40)
        .y_label_area_size(label_width(root, &names)?)
        .build_cartesian_2d(0.0..max * 1.45, (0..n - 1).into_segmented())
        .map_err(err)?;
    let u = unit.clone();
    let count = rows.len();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .y_labels(count.max(1))
        .x_labels(6)
        .y_label_formatter(&|v| top_down(&names, v))
        .x_label_formatter(&|v| axis_num(*v, &u))
        .label_style(font(17.0))
        .draw()
        .map_err(err)?;
    let dir = b.direction;
    for (i, (_, v, rec)) in rows.iter().enumerate() {
        let slot = (count - 1 - i) as i32;
        let colour = if rec.is_some() { THIS } else { LAST };
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(slot)),
                (*v, SegmentValue::Exact(slot + 1)),
            ],
            colour.filled(),
        );
        bar.set_margin(7, 7, 0, 0);
        chart.draw_series(std::iter::once(bar)).map_err(err)?;
        let label = num(*v, unit);
        let (lw, _) = root.estimate_text_size(&label, &font(17.0)).map_err(err)?;
        let at = (*v, SegmentValue::CenterOf(slot));
        let mut yoy = yoy_text(lang, *rec);
        let mut change = rec.and_then(|r| if r.unit == "%" { r.yoy_pp } else { r.yoy_pct });
        if b.flagged.get(i).copied().unwrap_or(false) {
            yoy.push('*');
            change = None;
        }
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(at.clone())
                    + Text::new(
                        label,
                        (8, 0),
                        font(17.0).pos(Pos::new(HPos::Left, VPos::Center)),
                    )
                    + Text::new(
                        yoy,
                        (8 + lw as i32 + 14, 0),
                        font(17.0)
                            .color(&change_colour(change, dir))
                            .pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
            ))
            .map_err(err)?;
    }
    Ok(())
}
