//! Member trend small multiples: one small panel per member for one indicator, this year
//! against last year, each on its own scale (a clinic's line is not flattened by the lead
//! hospital's).

use super::layout::{frame, y_range};
use super::style::{axis_num, bold, err, font, GRID, LAST, MUTED, THIS};
use super::ChartSpec;
use crate::report::{Lang, ReportData};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Panels per row.
pub(super) const COLUMNS: usize = 3;

/// The members drawn: those with a figure for the indicator in either year.
pub(super) fn panels<'a>(data: &'a ReportData, code: &str) -> Vec<(&'a str, String)> {
    data.members
        .iter()
        .filter(|m| {
            data.trends
                .get(&(m.id.clone(), code.to_string()))
                .is_some_and(|t| {
                    t.this_year
                        .iter()
                        .chain(t.last_year.iter())
                        .any(Option::is_some)
                })
        })
        .map(|m| (m.id.as_str(), m.name.clone()))
        .collect()
}

pub(super) fn member_trends<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
    spec: &ChartSpec,
) -> Result<()> {
    let lang = data.lang;
    let code = &spec.indicator;
    let unit = data.def(code).map(|d| d.unit.clone()).unwrap_or_default();
    let y = data.period.year();
    let title = format!(
        "{} · {}",
        data.ind_name(code),
        lang.t("各成员单位月度趋势", "by member and month")
    );
    let sub = match lang {
        Lang::Zh => format!(
            "{y}年与{}年同月对比（截至{}），各单位纵轴刻度不同",
            y - 1,
            data.period_label()
        ),
        Lang::En => format!(
            "{y} against the same months of {} (to {}); each panel has its own scale",
            y - 1,
            data.period_label()
        ),
    };
    let legend = vec![
        (format!("{y}{}", lang.t("年", "")), THIS),
        (format!("{}{}", y - 1, lang.t("年", "")), LAST),
    ];
    let area = frame(root, &title, &sub, &legend)?;
    let members = panels(data, code);
    if members.is_empty() {
        return Ok(());
    }
    let rows = members.len().div_ceil(COLUMNS);
    let cells = area.split_evenly((rows, COLUMNS));
    for (cell, (id, name)) in cells.iter().zip(&members) {
        let Some(t) = data.trends.get(&(id.to_string(), code.clone())) else {
            continue;
        };
        let (lo, hi) = y_range(
            t.this_year
                .iter()
                .chain(t.last_year.iter())
                .flatten()
                .cloned(),
            &unit,
        );
        let u = unit.clone();
        let mut chart = ChartBuilder::on(cell)
            .caption(name, bold(16.0).color(&MUTED))
            .margin(10)
            .x_label_area_size(22)
            .y_label_area_size(64)
            .build_cartesian_2d(1i32..12i32, lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(MUTED)
            .x_labels(4)
            .y_labels(3)
            .x_label_formatter(&|m| match lang {
                Lang::Zh => format!("{m}月"),
                Lang::En => m.to_string(),
            })
            .y_label_formatter(&|v| axis_num(*v, &u))
            .label_style(font(12.0))
            .draw()
            .map_err(err)?;
        for (series, colour, width) in [(&t.last_year, LAST, 2), (&t.this_year, THIS, 3)] {
            let pts: Vec<(i32, f64)> = series
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i as i32 + 1, v)))
                .collect();
            chart
                .draw_series(LineSeries::new(pts, colour.stroke_width(width)))
                .map_err(err)?;
        }
    }
    Ok(())
}
