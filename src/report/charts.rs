//! The report's charts, drawn once per backend: SVG (inline in the page, charts/*.svg) and PNG
//! (charts/*.png, for slides and WeChat). Text uses the embedded CJK font (see `font`).

use super::{font::FAMILY, Lang, ReportData, Submission, GRADES, KEY_INDICATORS, REMOTE};
use crate::model::fmt_thousands;
use crate::model::period::Period;
use crate::render::is_good;
use anyhow::{anyhow, bail, Result};
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// What `yilian chart` can draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Monthly trend, this year against last year (consortium or --member)
    Trend,
    /// Member comparison for the month, labelled with YoY
    Members,
    /// Member comparison for the year to date, labelled with YoY
    MembersYtd,
    /// Surgery-grade composition (一级 to 四级) by member, year to date
    Surgery,
    /// Remote services by type, by month
    Remote,
    /// Submission completeness: member × month (submitted, late, missing)
    Completeness,
    /// Primary-care share of outpatient visits over time
    PrimaryShare,
}

impl ChartKind {
    fn stem(self) -> &'static str {
        match self {
            ChartKind::Trend => "trend",
            ChartKind::Members => "members-month",
            ChartKind::MembersYtd => "members-ytd",
            ChartKind::Surgery => "surgery-grades",
            ChartKind::Remote => "remote-services",
            ChartKind::Completeness => "completeness",
            ChartKind::PrimaryShare => "primary-share",
        }
    }
}

#[derive(Clone, Debug)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub indicator: String,
    /// `consortium` or a member id (trend charts).
    pub entity: String,
}

impl ChartSpec {
    pub fn new(kind: ChartKind, indicator: Option<&str>, entity: Option<&str>) -> ChartSpec {
        let default = match kind {
            ChartKind::PrimaryShare => "primary_visit_share",
            ChartKind::Remote => "remote_services",
            ChartKind::Surgery => "inpatient_surgeries",
            ChartKind::Completeness => "",
            _ => "discharges",
        };
        ChartSpec {
            kind,
            indicator: indicator.unwrap_or(default).to_string(),
            entity: entity.unwrap_or("consortium").to_string(),
        }
    }

    pub fn file_stem(&self) -> String {
        let mut s = self.kind.stem().to_string();
        if matches!(
            self.kind,
            ChartKind::Trend | ChartKind::Members | ChartKind::MembersYtd
        ) {
            s.push('-');
            s.push_str(&self.indicator);
        }
        if self.kind == ChartKind::Trend && self.entity != "consortium" {
            s.push('-');
            s.push_str(&self.entity);
        }
        s
    }

    /// Pixel size: list charts grow with the number of rows so names stay readable.
    pub fn size(&self, data: &ReportData) -> (u32, u32) {
        let rows = match self.kind {
            ChartKind::Members | ChartKind::MembersYtd => {
                member_bars(data, self.kind == ChartKind::MembersYtd, &self.indicator)
                    .0
                    .len() as u32
            }
            ChartKind::Surgery => surgery_rows(data).len() as u32,
            ChartKind::Completeness => data.grid.len() as u32,
            _ => 0,
        };
        match self.kind {
            ChartKind::Members | ChartKind::MembersYtd | ChartKind::Surgery => {
                (1200, 190 + 40 * rows.max(3))
            }
            ChartKind::Completeness => (1200, 210 + 36 * rows.max(3)),
            _ => (1200, 600),
        }
    }
}

/// The charts of the bundle.
pub fn bundle_specs(_data: &ReportData) -> Vec<ChartSpec> {
    let mut v: Vec<ChartSpec> = KEY_INDICATORS
        .iter()
        .map(|c| ChartSpec::new(ChartKind::Trend, Some(c), None))
        .collect();
    for kind in [ChartKind::Members, ChartKind::MembersYtd] {
        for c in ["discharges", "outpatient_visits", "grade34_share"] {
            v.push(ChartSpec::new(kind, Some(c), None));
        }
    }
    for kind in [
        ChartKind::Surgery,
        ChartKind::Remote,
        ChartKind::PrimaryShare,
        ChartKind::Completeness,
    ] {
        v.push(ChartSpec::new(kind, None, None));
    }
    v
}

/// Checks a spec against the data before drawing, with a message for people.
pub fn validate(data: &ReportData, spec: &ChartSpec) -> Result<()> {
    if !spec.indicator.is_empty() && data.def(&spec.indicator).is_none() {
        bail!(
            "unknown indicator `{}`; `yilian catalog` lists the codes",
            spec.indicator
        );
    }
    if spec.entity != "consortium" && !data.members.iter().any(|m| m.id == spec.entity) {
        bail!("unknown member `{}`", spec.entity);
    }
    Ok(())
}

pub fn render_svg(data: &ReportData, spec: &ChartSpec) -> Result<String> {
    let size = spec.size(data);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        draw(&root, data, spec)?;
        root.present().map_err(err)?;
    }
    Ok(buf)
}

pub fn render_png(data: &ReportData, spec: &ChartSpec, path: &Path) -> Result<()> {
    let size = spec.size(data);
    let font = ab_glyph::FontRef::try_from_slice(super::font::current())
        .map_err(|_| anyhow!("the chart font cannot be loaded"))?;
    let root = super::png::Png::new(BitMapBackend::new(path, size), font).into_drawing_area();
    draw(&root, data, spec)?;
    root.present()
        .map_err(|e| anyhow!("cannot write {}: {e:?}", path.display()))?;
    Ok(())
}

fn err<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow!("chart drawing failed: {e:?}")
}

// Colours: this year vs last year, good vs bad, and ordered series readable in grey print.
const INK: RGBColor = RGBColor(0x22, 0x2b, 0x36);
const MUTED: RGBColor = RGBColor(0x5f, 0x6b, 0x7a);
const GRID: RGBColor = RGBColor(0xe3, 0xe7, 0xec);
const THIS: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const LAST: RGBColor = RGBColor(0xa0, 0xa9, 0xb4);
const GOOD: RGBColor = RGBColor(0x1e, 0x7b, 0x34);
const BAD: RGBColor = RGBColor(0xc0, 0x00, 0x00);
const GRADE_COLOURS: [RGBColor; 4] = [
    RGBColor(0xc6, 0xdb, 0xef),
    RGBColor(0x6b, 0xae, 0xd6),
    RGBColor(0x21, 0x71, 0xb5),
    RGBColor(0x08, 0x30, 0x6b),
];
const REMOTE_COLOURS: [RGBColor; 4] = [
    RGBColor(0x1f, 0x5f, 0xa8),
    RGBColor(0xe0, 0x7b, 0x1a),
    RGBColor(0x2a, 0x9d, 0x5c),
    RGBColor(0x8a, 0x4f, 0xb0),
];
const STATUS_COLOURS: [RGBColor; 5] = [
    RGBColor(0x4c, 0xaf, 0x6e), // on time
    RGBColor(0xf2, 0xb1, 0x34), // late
    RGBColor(0xd9, 0x48, 0x3b), // missing
    RGBColor(0xee, 0xf0, 0xf3), // not a member
    RGBColor(0xa8, 0xd5, 0xb5), // submitted, no 填报日期: lateness unknown
];

fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FAMILY, size).into_font()).color(&INK)
}

fn bold(size: f64) -> TextStyle<'static> {
    TextStyle::from(FontDesc::new(
        FontFamily::Name(FAMILY),
        size,
        FontStyle::Bold,
    ))
    .color(&INK)
}

/// A number on an axis or a label: thousands separators, decimals only where they mean
/// something.
fn num(v: f64, unit: &str) -> String {
    match unit {
        "%" => format!("{v:.1}%"),
        "次" | "日" | "倍" => format!("{v:.2}"),
        _ if v.abs() >= 100.0 || v.fract() == 0.0 => fmt_thousands(v, 0),
        _ => fmt_thousands(v, 1),
    }
}

fn axis_num(v: f64, unit: &str) -> String {
    match unit {
        "%" => format!("{v:.0}%"),
        "次" | "日" | "倍" if v.abs() < 10.0 => format!("{v:.1}"),
        _ => fmt_thousands(v, 0),
    }
}

fn yoy_text(lang: Lang, r: Option<&crate::compute::Record>) -> String {
    let Some(r) = r else { return String::new() };
    let word = lang.t("同比", "YoY ");
    match (r.unit.as_str(), r.yoy_pp, r.yoy_pct) {
        ("%", Some(pp), _) => format!("{word}{pp:+.1}{}", lang.t("个百分点", "pp")),
        (_, _, Some(p)) => format!("{word}{p:+.1}%"),
        _ => String::new(),
    }
}

fn change_colour(v: Option<f64>, dir: crate::catalog::Direction) -> RGBColor {
    match v.and_then(|x| is_good(x, dir)) {
        Some(true) => GOOD,
        Some(false) => BAD,
        None => MUTED,
    }
}

/// Title, then a legend row; returns the area left for the plot.
fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    legend: &[(String, RGBColor)],
) -> Result<DrawingArea<DB, Shift>> {
    root.fill(&WHITE).map_err(err)?;
    let (w, _) = root.dim_in_pixel();
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
    let _ = w;
    Ok(root.margin(if legend.is_empty() { 96 } else { 128 }, 20, 20, 40))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ReportData,
    spec: &ChartSpec,
) -> Result<()> {
    validate(data, spec)?;
    match spec.kind {
        ChartKind::Trend => trend(root, data, spec),
        ChartKind::Members => members(root, data, &spec.indicator, false),
        ChartKind::MembersYtd => members(root, data, &spec.indicator, true),
        ChartKind::Surgery => surgery(root, data),
        ChartKind::Remote => remote(root, data),
        ChartKind::Completeness => completeness(root, data),
        ChartKind::PrimaryShare => primary_share(root, data),
    }
}

fn month_label(lang: Lang, m: i32) -> String {
    match lang {
        Lang::Zh => format!("{m}月"),
        Lang::En => super::month_en(m as u32).to_string(),
    }
}

fn y_range(values: impl Iterator<Item = f64>, unit: &str) -> (f64, f64) {
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

fn trend<DB: DrawingBackend>(
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

/// Bars of the member comparison: (name, value, record), largest first; beyond `TOP`
/// members, counts of the rest are summed into one bar (ratios cannot be, and are cut).
const TOP: usize = 15;

type Bar<'a> = (String, f64, Option<&'a crate::compute::Record>);

fn member_bars<'a>(data: &'a ReportData, ytd: bool, code: &str) -> (Vec<Bar<'a>>, usize) {
    let mut rows: Vec<Bar> = data
        .member_records(ytd, code)
        .into_iter()
        .filter_map(|r| r.value.map(|v| (data.member_name(&r.entity), v, Some(r))))
        .collect();
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    if rows.len() <= TOP {
        return (rows, 0);
    }
    let rest: Vec<Bar> = rows.split_off(TOP - 1);
    let unit = data.def(code).map(|d| d.unit.as_str()).unwrap_or("");
    if matches!(unit, "%" | "次" | "日" | "倍") {
        return (rows, rest.len());
    }
    let n = rest.len();
    let sum = rest.iter().map(|r| r.1).sum();
    let label = match data.lang {
        Lang::Zh => format!("其他{n}家"),
        Lang::En => format!("{n} others"),
    };
    rows.push((label, sum, None));
    (rows, 0)
}

fn members<DB: DrawingBackend>(
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
    let area = frame(root, &title, &sub, &[])?;
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
    let dir = data.direction(code);
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
        let label = num(*v, &unit);
        let (lw, _) = root.estimate_text_size(&label, &font(17.0)).map_err(err)?;
        let at = (*v, SegmentValue::CenterOf(slot));
        let yoy = yoy_text(lang, *rec);
        let change = rec.and_then(|r| if r.unit == "%" { r.yoy_pp } else { r.yoy_pct });
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

/// Room for the longest row name.
fn label_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, names: &[String]) -> Result<u32> {
    let mut w = 80;
    for n in names {
        w = w.max(root.estimate_text_size(n, &font(17.0)).map_err(err)?.0 + 24);
    }
    Ok(w.min(420))
}

/// Members with surgeries this year: (name, [grade counts], total), largest first.
fn surgery_rows(data: &ReportData) -> Vec<(String, [f64; 4], f64)> {
    let mut rows: Vec<(String, [f64; 4], f64)> = data
        .members
        .iter()
        .filter_map(|m| {
            let mut g = [0.0; 4];
            for (i, code) in GRADES.iter().enumerate() {
                g[i] = data.record(true, &m.id, code)?.value?;
            }
            let total: f64 = g.iter().sum();
            (total > 0.0).then(|| (m.name.clone(), g, total))
        })
        .collect();
    rows.sort_by(|a, b| b.2.total_cmp(&a.2));
    rows.truncate(TOP);
    rows
}

fn surgery<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &ReportData) -> Result<()> {
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

fn remote<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &ReportData) -> Result<()> {
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

fn completeness<DB: DrawingBackend>(
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
    let area = frame(root, &title, &sub, &legend)?;
    let count = data.grid.len();
    let n = count.max(1) as i32;
    let names: Vec<String> = data.grid.iter().map(|(m, _)| m.name.clone()).collect();
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
                    Lang::En => format!("{} {}", super::month_en(p.month()), p.year() % 100),
                })
                .unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| top_down(&names, v))
        .label_style(font(16.0))
        .draw()
        .map_err(err)?;
    for (row, (_, cells)) in data.grid.iter().enumerate() {
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

/// The label of a horizontal row: rows are listed top down, segment 0 is at the bottom.
fn top_down(names: &[String], v: &SegmentValue<i32>) -> String {
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

fn ym_zh(p: crate::model::period::Period) -> String {
    format!("{}年{}月", p.year(), p.month())
}

fn primary_share<DB: DrawingBackend>(
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
    let title = format!(
        "{} · {}",
        data.title,
        lang.t("基层诊疗量占比", "primary-care share of outpatient visits")
    );
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
    let mut legend = vec![(
        lang.t("基层诊疗量占比", "Primary-care share").to_string(),
        THIS,
    )];
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
                    Lang::En => format!("{} {}", super::month_en(m as u32), yy % 100),
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

/// A `▲ 成员变动` mark at the foot of each month in which a member joined, left or changed
/// tier: the line moves there without any hospital's work changing.
fn membership_marks<DB: DrawingBackend>(
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
