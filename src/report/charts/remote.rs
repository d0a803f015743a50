//! Remote services of the consortium by type, stacked by month, with each month's total.

use super::layout::{frame, month_label};
use super::style::{err, font, GRID, MUTED, REMOTE_COLOURS};
use crate::model::fmt_thousands;
use crate::report::{Lang, ReportData, REMOTE};
use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) fn remote<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
) -> Result<()> {
    let lang = data.lang;
    let months = data.period.month() as i32;
    let series: Vec<[f64; 12]> = REMOTE
        .iter()
        .map(|code| {
            let t = data
                .trends
                .get(&("consortium".to_string(), code.to_string()))
                .cloned()
                .unwrap_or_default();
            t.this_year.map(|v| v.unwrap_or(0.0))
        })
        .collect();
    let names: Vec<String> = match lang {
        Lang::Zh => ["远程影像", "远程心电", "远程超声", "远程会诊"]
            .map(String::from)
            .to_vec(),
        Lang::En => ["Imaging", "ECG", "Ultrasound", "Consultation"]
            .map(String::from)
            .to_vec(),
    };
    let legend: Vec<(String, RGBColor)> = names.iter().cloned().zip(REMOTE_COLOURS).collect();
    let title = format!(
        "{} · {}{}",
        data.title,
        lang.t("远程医疗服务量（按类型）", "remote services by type, "),
        lang.t("", &data.ytd_label())
    );
    let sub = match lang {
        Lang::Zh => format!("{}，单位：例；柱顶为当月合计", data.ytd_label()),
        Lang::En => "Cases per month; the figure on top is the month's total".to_string(),
    };
    let area = frame(root, &title, &sub, &legend)?;
    let totals: Vec<f64> = (0..12).map(|i| series.iter().map(|s| s[i]).sum()).collect();
    let max = totals.iter().cloned().fold(0.0, f64::max).max(1.0);
    let mut chart = ChartBuilder::on(&area)
        .x_label_area_size(50)
        .y_label_area_size(100)
        .build_cartesian_2d((1i32..months.max(1)).into_segmented(), 0.0..max * 1.15)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(MUTED)
        .x_labels(months.max(1) as usize)
        .y_labels(6)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(m) => month_label(lang, *m),
            _ => String::new(),
        })
        .y_label_formatter(&|v| fmt_thousands(*v, 0))
        .label_style(font(17.0))
        .y_desc(lang.t("例", "cases"))
        .axis_desc_style(font(18.0))
        .draw()
        .map_err(err)?;
    for m in 1..=months {
        let i = (m - 1) as usize;
        let mut base = 0.0;
        for (k, s) in series.iter().enumerate() {
            let mut r = Rectangle::new(
                [
                    (SegmentValue::Exact(m), base),
                    (SegmentValue::Exact(m + 1), base + s[i]),
                ],
                REMOTE_COLOURS[k].filled(),
            );
            r.set_margin(0, 0, 12, 12);
            chart.draw_series(std::iter::once(r)).map_err(err)?;
            base += s[i];
        }
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((SegmentValue::CenterOf(m), base))
                    + Text::new(
                        fmt_thousands(base, 0),
                        (0, -6),
                        font(15.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    ),
            ))
            .map_err(err)?;
    }
    Ok(())
}
