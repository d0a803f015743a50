//! Monthly trend of one indicator, this year against last year (consortium or one member).

use super::layout::{frame, membership_marks, month_label, y_range};
use super::style::{axis_num, bold, err, font, num, BAD, GRID, LAST, MUTED, THIS};
use super::ChartSpec;
use crate::model::period::Period;
use crate::report::{Lang, ReportData};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) fn trend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
    spec: &ChartSpec,
) -> Result<()> {
    let lang = data.lang;
    let code = &spec.indicator;
    let t = data
        .trends
        .get(&(spec.entity.clone(), code.clone()))
        .cloned()
        .unwrap_or_default();
    let unit = data.def(code).map(|d| d.unit.clone()).unwrap_or_default();
    let who = if spec.entity == "consortium" {
        data.title.clone()
    } else {
        data.member_name(&spec.entity)
    };
    let y = data.period.year();
    let title = format!(
        "{who} · {}{}",
        data.ind_name(code),
        lang.t("月度趋势", " by month")
    );
    let sub = match lang {
        Lang::Zh => format!("{y}年与{}年同月对比（截至{}）", y - 1, data.period_label()),
        Lang::En => format!(
            "{y} against the same months of {} (to {})",
            y - 1,
            data.period_label()
        ),
    };
    // Months whose figure rests on a value `check` flags: ringed in red, said in the legend.
    let flagged: Vec<(i32, f64)> = t
        .this_year
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let p = Period::new(y, i as u32 + 1)?;
            v.filter(|_| data.flagged_in(&spec.entity, code, p))
                .map(|v| (i as i32 + 1, v))
        })
        .collect();
    let mut legend = vec![
        (format!("{y}{}", lang.t("年", "")), THIS),
        (format!("{}{}", y - 1, lang.t("年", "")), LAST),
    ];
    if !flagged.is_empty() {
        legend.push((
            lang.t("数据存疑（见数据质量）", "flagged value (see Data quality)")
                .to_string(),
            BAD,
        ));
    }
    let area = frame(root, &title, &sub, &legend)?;
    let (lo, hi) = y_range(
        t.this_year
            .iter()
            .chain(t.last_year.iter())
            .flatten()
            .cloned(),
        &unit,
    );
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(50)
        .y_label_area_size(110)
        .build_cartesian_2d((1i32..12i32).into_segmented(), lo..hi)
        .map_err(err)?;
    let u = unit.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_labels(12)
        .y_labels(6)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(m) => month_label(lang, *m),
            _ => String::new(),
        })
        .y_label_formatter(&|v| axis_num(*v, &u))
        .label_style(font(17.0))
        .y_desc(format!("{}（{}）", data.ind_name(code), data.unit(code)))
        .axis_desc_style(font(18.0))
        .draw()
        .map_err(err)?;
    for (series, colour, width) in [(&t.last_year, LAST, 3), (&t.this_year, THIS, 4)] {
        let pts: Vec<(SegmentValue<i32>, f64)> = series
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (SegmentValue::CenterOf(i as i32 + 1), v)))
            .collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(width)))
            .map_err(err)?;
        chart
            .draw_series(
                pts.iter()
                    .map(|p| Circle::new(p.clone(), 5, colour.filled())),
            )
            .map_err(err)?;
    }
    chart
        .draw_series(
            flagged.iter().map(|&(m, v)| {
                Circle::new((SegmentValue::CenterOf(m), v), 11, BAD.stroke_width(3))
            }),
        )
        .map_err(err)?;
    membership_marks(
        &mut chart,
        data,
        |p| (p.year() == y).then_some(p.month() as i32),
        lo,
    )?;
    // The latest figure, labelled: what a reader looks for first.
    let last = t
        .this_year
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .next_back();
    if let Some((i, v)) = last {
        let label = num(v, &unit);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((SegmentValue::CenterOf(i as i32 + 1), v))
                    + Text::new(
                        label,
                        (0, -14),
                        bold(18.0)
                            .color(&THIS)
                            .pos(Pos::new(HPos::Center, VPos::Bottom)),
                    ),
            ))
            .map_err(err)?;
    }
    Ok(())
}
