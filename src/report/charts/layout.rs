//! The parts every chart is built of: the frame (title, subtitle, legend row), the y range,
//! month and row labels, the room for row names, and the membership-change marks under the
//! monthly lines.

use super::style::{bold, err, font, MUTED};
use crate::model::period::Period;
use crate::report::{Lang, ReportData};
use anyhow::Result;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Title, then a legend row; returns the area left for the plot.
pub(super) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    legend: &[(String, RGBColor)],
) -> Result<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).map_err(err)?;
    root.draw_text(title, &bold(30.0), (30, 18)).map_err(err)?;
    if !subtitle.is_empty() {
        root.draw_text(subtitle, &font(18.0).color(&MUTED), (30, 58))
            .map_err(err)?;
    }
    let top = 92;
    let mut x = 30i32;
    for (label, colour) in legend {
        root.draw(&Rectangle::new(
            [(x, top + 4), (x + 18, top + 20)],
            colour.filled(),
        ))
        .map_err(err)?;
        root.draw_text(label, &font(18.0), (x + 26, top + 1))
            .map_err(err)?;
        let (tw, _) = root.estimate_text_size(label, &font(18.0)).map_err(err)?;
        x += 26 + tw as i32 + 30;
    }
    Ok(root.margin(if legend.is_empty() { 96 } else { 128 }, 20, 20, 40))
}

pub(super) fn month_label(lang: Lang, m: i32) -> String {
    match lang {
        Lang::Zh => format!("{m}月"),
        Lang::En => crate::report::month_en(m as u32).to_string(),
    }
}

pub(super) fn y_range(values: impl Iterator<Item = f64>, unit: &str) -> (f64, f64) {
    let v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    let max = v.iter().cloned().fold(f64::MIN, f64::max);
    let min = v.iter().cloned().fold(f64::MAX, f64::min);
    if v.is_empty() {
        return (0.0, 1.0);
    }
    // Counts start at zero (honest bars and lines); rates zoom on their band.
    if matches!(unit, "%" | "次" | "日" | "倍") && min > 0.0 {
        let pad = ((max - min) * 0.25).max(max * 0.02).max(0.5);
        ((min - pad).max(0.0), max + pad)
    } else {
        (0.0, (max * 1.15).max(1.0))
    }
}

/// Room for the longest row name.
pub(super) fn label_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    names: &[String],
) -> Result<u32> {
    let mut w = 80;
    for n in names {
        w = w.max(root.estimate_text_size(n, &font(17.0)).map_err(err)?.0 + 24);
    }
    Ok(w.min(420))
}

/// The label of a horizontal row: rows are listed top down, segment 0 is at the bottom.
pub(super) fn top_down(names: &[String], v: &SegmentValue<i32>) -> String {
    match v {
        SegmentValue::CenterOf(i) => names
            .len()
            .checked_sub(1 + *i as usize)
            .and_then(|k| names.get(k))
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A `▲ 成员变动` mark at the foot of each month in which a member joined, left or changed
/// tier: the line moves there without any hospital's work changing.
pub(super) fn membership_marks<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<SegmentedCoord<RangedCoordi32>, RangedCoordf64>>,
    data: &ReportData,
    x_of: impl Fn(Period) -> Option<i32>,
    bottom: f64,
) -> Result<()> {
    let mut xs: Vec<i32> = data
        .membership_changes
        .iter()
        .filter_map(|(p, _)| x_of(*p))
        .collect();
    xs.dedup();
    let label = data.lang.t("▲成员变动", "▲ membership");
    chart
        .draw_series(xs.into_iter().map(|x| {
            EmptyElement::at((SegmentValue::CenterOf(x), bottom))
                + Text::new(
                    label.to_string(),
                    (0, -4),
                    font(14.0)
                        .color(&MUTED)
                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
        }))
        .map_err(err)?;
    Ok(())
}
