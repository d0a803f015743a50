//! Primary-care share of outpatient visits over last year and this year, as one line.

use super::layout::{frame, membership_marks, y_range};
use super::style::{bold, err, font, BAD, GRID, MUTED, THIS};
use crate::model::period::Period;
use crate::report::{Lang, ReportData};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) fn primary_share<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
) -> Result<()> {
    let lang = data.lang;
    let code = "primary_visit_share";
    let t = data
        .trends
        .get(&("consortium".to_string(), code.to_string()))
        .cloned()
        .unwrap_or_default();
    let y = data.period.year();
    // Last year's twelve months, then this year's up to the period: one continuous line.
    let mut pts: Vec<(i32, f64)> = Vec::new();
    for (i, v) in t.last_year.iter().enumerate() {
        if let Some(v) = v {
            pts.push((i as i32, *v));
        }
    }
    for (i, v) in t.this_year.iter().enumerate() {
        if let Some(v) = v {
            pts.push((12 + i as i32, *v));
        }
    }
    let end = 11 + data.period.month() as i32;
    // The catalog's name: 医联体内基层门急诊占比, a consortium-internal share of 门急诊人次,
    // not the official 基层诊疗量占比 (on 总诊疗人次, `primary_total_visit_share`).
    let name = data.ind_name(code);
    let title = format!("{} · {}", data.title, name);
    let sub = match lang {
        Lang::Zh => {
            "基层医疗卫生机构与村卫生室门急诊人次占全部成员单位门急诊人次的比例".to_string()
        }
        Lang::En => {
            "Visits at primary-care members and village clinics over all members' visits".into()
        }
    };
    // Months resting on a value `check` flags are ringed, as on the trend charts.
    let flagged: Vec<(i32, f64)> = pts
        .iter()
        .filter(|(i, _)| {
            Period::new(y - 1 + i / 12, (i % 12) as u32 + 1)
                .is_some_and(|p| data.flagged_in("consortium", code, p))
        })
        .cloned()
        .collect();
    let mut legend = vec![(name, THIS)];
    if !flagged.is_empty() {
        legend.push((
            lang.t("数据存疑（见数据质量）", "flagged value (see Data quality)")
                .to_string(),
            BAD,
        ));
    }
    let area = frame(root, &title, &sub, &legend)?;
    let (lo, hi) = y_range(pts.iter().map(|p| p.1), "%");
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(50)
        .y_label_area_size(100)
        .build_cartesian_2d((0i32..end).into_segmented(), lo..hi)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_labels((end + 1) as usize)
        .y_labels(6)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if i % 3 == 0 => {
                let (yy, m) = if *i < 12 { (y - 1, i + 1) } else { (y, i - 11) };
                match lang {
                    Lang::Zh => format!("{}年{m}月", yy % 100),
                    Lang::En => format!("{} {}", crate::report::month_en(m as u32), yy % 100),
                }
            }
            _ => String::new(),
        })
        .y_label_formatter(&|v| format!("{v:.1}%"))
        .label_style(font(17.0))
        .y_desc("%")
        .axis_desc_style(font(18.0))
        .draw()
        .map_err(err)?;
    let seg: Vec<(SegmentValue<i32>, f64)> = pts
        .iter()
        .map(|(i, v)| (SegmentValue::CenterOf(*i), *v))
        .collect();
    chart
        .draw_series(LineSeries::new(seg.clone(), THIS.stroke_width(4)))
        .map_err(err)?;
    chart
        .draw_series(seg.iter().map(|p| Circle::new(p.clone(), 4, THIS.filled())))
        .map_err(err)?;
    chart
        .draw_series(
            flagged.iter().map(|&(i, v)| {
                Circle::new((SegmentValue::CenterOf(i), v), 10, BAD.stroke_width(3))
            }),
        )
        .map_err(err)?;
    membership_marks(
        &mut chart,
        data,
        |p| {
            let i = (p.year() - (y - 1)) * 12 + p.month() as i32 - 1;
            (0..end).contains(&i).then_some(i)
        },
        lo,
    )?;
    if let Some(p) = seg.last() {
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(p.clone())
                    + Text::new(
                        format!("{:.1}%", p.1),
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
