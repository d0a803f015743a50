//! Surgery-grade composition (一级 to 四级) by member, year to date: stacked shares with the
//! graded total at the right.

use super::layout::{frame, label_width, top_down};
use super::rows::surgery_rows;
use super::style::{err, font, GRADE_COLOURS, GRID, INK, MUTED};
use crate::model::fmt_thousands;
use crate::report::{Lang, ReportData};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) fn surgery<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
) -> Result<()> {
    let lang = data.lang;
    let rows = surgery_rows(data);
    let title = format!(
        "{}{}",
        lang.t("手术分级构成 · ", "Surgery grades · "),
        data.ytd_label()
    );
    let sub = lang
        .t(
            "各级手术占分级手术合计的比例；右侧为分级手术合计（台次）",
            "Share of each grade in graded operations; right: graded operations in total",
        )
        .to_string();
    let grade_names = match lang {
        Lang::Zh => ["一级", "二级", "三级", "四级"],
        Lang::En => ["Grade 1", "Grade 2", "Grade 3", "Grade 4"],
    };
    let legend: Vec<(String, RGBColor)> = grade_names
        .iter()
        .zip(GRADE_COLOURS)
        .map(|(n, c)| (n.to_string(), c))
        .collect();
    let area = frame(root, &title, &sub, &legend)?;
    let count = rows.len();
    let n = count.max(1) as i32;
    let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(40)
        .y_label_area_size(label_width(root, &names)?)
        .build_cartesian_2d(0.0..118.0, (0..n - 1).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .y_labels(count.max(1))
        .x_labels(6)
        .y_label_formatter(&|v| top_down(&names, v))
        .x_label_formatter(&|v| {
            if *v <= 100.0 {
                format!("{v:.0}%")
            } else {
                String::new()
            }
        })
        .label_style(font(17.0))
        .draw()
        .map_err(err)?;
    for (i, (_, g, total)) in rows.iter().enumerate() {
        let slot = (count - 1 - i) as i32;
        let mut x = 0.0;
        for (k, v) in g.iter().enumerate() {
            let w = v / total * 100.0;
            let mut r = Rectangle::new(
                [
                    (x, SegmentValue::Exact(slot)),
                    (x + w, SegmentValue::Exact(slot + 1)),
                ],
                GRADE_COLOURS[k].filled(),
            );
            r.set_margin(7, 7, 0, 0);
            chart.draw_series(std::iter::once(r)).map_err(err)?;
            // Share printed inside segments wide enough to hold it.
            if w >= 7.0 {
                let ink = if k >= 2 { WHITE } else { INK };
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("{w:.0}%"),
                        (x + w / 2.0, SegmentValue::CenterOf(slot)),
                        font(15.0)
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                    )))
                    .map_err(err)?;
            }
            x += w;
        }
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((100.0, SegmentValue::CenterOf(slot)))
                    + Text::new(
                        fmt_thousands(*total, 0),
                        (10, 0),
                        font(17.0).pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
            ))
            .map_err(err)?;
    }
    Ok(())
}
