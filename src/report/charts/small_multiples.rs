//! Member trend small multiples: one small panel per member for one indicator, this year
//! against last year, each on its own scale (a clinic's line is not flattened by the lead
//! hospital's).

use super::layout::{frame, y_range};
use super::style::{axis_num, bold, err, font, GRID, LAST, MUTED, THIS};
use super::{ChartSpec, Multiples};
use crate::report::{Lang, ReportData, Trend};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Panels per row.
pub(super) const COLUMNS: usize = 3;

/// At most this many panels: past it a page of panels is no longer read (and a picture of
/// thousands of panels takes gigabytes to draw). The members with most volume are drawn.
pub(super) const MAX_PANELS: usize = 48;

/// The members drawn — those with a figure for the indicator in either year, in the
/// consortium file's order; past `MAX_PANELS`, the largest by this year's total — and how
/// many with a figure are left out.
pub(super) fn panels<'a>(data: &'a ReportData, code: &str) -> (Vec<(&'a str, String)>, usize) {
    let with: Vec<(usize, &crate::report::MemberInfo, f64)> = data
        .members
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            let t = data.trends.get(&(m.id.clone(), code.to_string()))?;
            let any = t
                .this_year
                .iter()
                .chain(t.last_year.iter())
                .any(Option::is_some);
            any.then(|| (i, m, t.this_year.iter().flatten().sum::<f64>()))
        })
        .collect();
    let left_out = with.len().saturating_sub(MAX_PANELS);
    let mut kept = with;
    if left_out > 0 {
        kept.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        kept.truncate(MAX_PANELS);
        kept.sort_by_key(|k| k.0);
    }
    let kept = kept
        .into_iter()
        .map(|(_, m, _)| (m.id.as_str(), m.name.clone()))
        .collect();
    (kept, left_out)
}

pub(super) fn member_trends<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
    spec: &ChartSpec,
) -> Result<()> {
    let lang = data.lang;
    let code = &spec.indicator;
    let y = data.period.year();
    let title = format!(
        "{} · {}",
        data.ind_name(code),
        lang.t("各成员单位月度趋势", "by member and month")
    );
    let (drawn, left_out) = panels(data, code);
    let mut sub = match lang {
        Lang::Zh => format!(
            "{y}年与{}年同月对比（截至{}），各单位纵轴刻度不同",
            y - 1,
            data.period_label()
        ),
        Lang::En => format!(
            "{y} against the same months of {} (to {})",
            y - 1,
            data.period_label()
        ),
    };
    if left_out > 0 {
        sub.push_str(&match lang {
            Lang::Zh => format!("；只画出本年合计最大的 {MAX_PANELS} 家，另有 {left_out} 家未画出"),
            Lang::En => {
                format!("; the {MAX_PANELS} largest this year drawn, {left_out} more not shown")
            }
        });
    }
    let panels: Vec<(String, Trend)> = drawn
        .into_iter()
        .filter_map(|(id, name)| {
            let t = data.trends.get(&(id.to_string(), code.clone()))?;
            Some((name, t.clone()))
        })
        .collect();
    grid(
        root,
        &Multiples {
            title,
            subtitle: sub,
            year: y,
            panels,
            unit: data.def(code).map(|d| d.unit.clone()).unwrap_or_default(),
            lang,
        },
    )
}

/// The panels, `COLUMNS` to a row, each on its own scale.
pub(super) fn grid<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    multiples: &Multiples,
) -> Result<()> {
    let (lang, y, unit) = (multiples.lang, multiples.year, &multiples.unit);
    let legend = vec![
        (format!("{y}{}", lang.t("年", "")), THIS),
        (format!("{}{}", y - 1, lang.t("年", "")), LAST),
    ];
    let area = frame(root, &multiples.title, &multiples.subtitle, &legend)?;
    if multiples.panels.is_empty() {
        return Ok(());
    }
    let rows = multiples.panels.len().div_ceil(COLUMNS);
    let cells = area.split_evenly((rows, COLUMNS));
    for (cell, (name, t)) in cells.iter().zip(&multiples.panels) {
        let (lo, hi) = y_range(
            t.this_year
                .iter()
                .chain(t.last_year.iter())
                .flatten()
                .cloned(),
            unit,
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
            // A month without a figure breaks the line (nothing is drawn across the hole);
            // a month alone between holes is a dot.
            let mut runs: Vec<Vec<(i32, f64)>> = Vec::new();
            let mut run = Vec::new();
            for (i, v) in series.iter().enumerate() {
                match v {
                    Some(v) => run.push((i as i32 + 1, *v)),
                    None => runs.push(std::mem::take(&mut run)),
                }
            }
            runs.push(run);
            for run in runs.into_iter().filter(|r| !r.is_empty()) {
                if let [only] = run[..] {
                    chart
                        .draw_series(std::iter::once(Circle::new(
                            only,
                            width + 1,
                            colour.filled(),
                        )))
                        .map_err(err)?;
                } else {
                    chart
                        .draw_series(LineSeries::new(run, colour.stroke_width(width)))
                        .map_err(err)?;
                }
            }
        }
    }
    Ok(())
}
