//! The report's charts, drawn once per backend: SVG (inline in the page, charts/*.svg) and PNG
//! (charts/*.png, for slides and WeChat). Text uses the embedded CJK font (see `font`).
//!
//! `mod.rs` holds what a chart is (`ChartKind`, `ChartSpec`: file name, pixel size) and the
//! two backends; `rows` prepares the data the list charts draw (and size themselves by);
//! `style` the colours, fonts and number labels, `layout` the frame (title, legend) and the
//! axis and row labels all charts share; then one module per kind of chart.

mod completeness;
mod layout;
mod members;
mod primary_share;
mod remote;
mod rows;
mod small_multiples;
mod style;
mod surgery;
mod trend;

use super::{ReportData, KEY_INDICATORS};
use crate::i18n::Msg;
use anyhow::{bail, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use rows::{member_bars, surgery_rows};
use std::path::Path;
use style::err;

/// What `yilian chart` can draw; each kind is described once, as the command line's help
/// (`cli::ChartArg`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Trend,
    Members,
    MembersYtd,
    Surgery,
    Remote,
    Completeness,
    PrimaryShare,
    MemberTrends,
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
            ChartKind::MemberTrends => "member-trends",
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
            ChartKind::Trend | ChartKind::Members | ChartKind::MembersYtd | ChartKind::MemberTrends
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
            ChartKind::Completeness => completeness::rows(data).0.len() as u32,
            ChartKind::MemberTrends => small_multiples::panels(data, &self.indicator)
                .0
                .len()
                .div_ceil(small_multiples::COLUMNS) as u32,
            _ => 0,
        };
        match self.kind {
            ChartKind::Members | ChartKind::MembersYtd | ChartKind::Surgery => bars_size(rows),
            ChartKind::Completeness => (1200, 210 + 36 * rows.max(3)),
            ChartKind::MemberTrends => multiples_size(rows),
            _ => (1200, 600),
        }
    }
}

fn bars_size(rows: u32) -> (u32, u32) {
    (1200, 190 + 40 * rows.max(3))
}

fn multiples_size(rows: u32) -> (u32, u32) {
    (1200, 170 + 230 * rows.max(1))
}

/// A chart of entities other than one consortium's members (the bureau's consortia), drawn
/// as the report draws its member comparison and member trends.
pub enum Figure<'a> {
    Bars(Bars<'a>),
    Multiples(Multiples),
}

/// A bar per row, top down in the order given, labelled with its value and YoY (coloured by
/// the indicator's direction).
pub struct Bars<'a> {
    pub title: String,
    pub subtitle: String,
    /// (row label, value, the record whose YoY labels the bar).
    pub rows: Vec<(String, f64, Option<&'a crate::compute::Record>)>,
    /// The rows (by index) whose figure rests on a value `check` flags: their YoY is starred
    /// and grey, neither better nor worse. Empty: none.
    pub flagged: Vec<bool>,
    pub unit: String,
    pub direction: crate::catalog::Direction,
    pub lang: super::Lang,
}

/// One small panel per named trend, this year against last year, each on its own scale.
pub struct Multiples {
    pub title: String,
    pub subtitle: String,
    /// The year of `Trend::this_year`.
    pub year: i32,
    pub panels: Vec<(String, super::Trend)>,
    pub unit: String,
    pub lang: super::Lang,
}

impl Figure<'_> {
    fn size(&self) -> (u32, u32) {
        match self {
            Figure::Bars(b) => bars_size(b.rows.len() as u32),
            Figure::Multiples(m) => {
                multiples_size(m.panels.len().div_ceil(small_multiples::COLUMNS) as u32)
            }
        }
    }
}

/// What one drawing call draws: a chart of the consortium report or a `Figure`.
enum Chart<'a> {
    Report(&'a ReportData, &'a ChartSpec),
    Figure(&'a Figure<'a>),
}

impl Chart<'_> {
    fn size(&self) -> (u32, u32) {
        match self {
            Chart::Report(data, spec) => spec.size(data),
            Chart::Figure(f) => f.size(),
        }
    }
}

/// The indicators drawn as member trend small multiples in the bundle.
pub const MEMBER_TREND_INDICATORS: [&str; 2] = ["discharges", "outpatient_visits"];

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
    for c in MEMBER_TREND_INDICATORS {
        v.push(ChartSpec::new(ChartKind::MemberTrends, Some(c), None));
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
        bail!(crate::said!(Msg::UnknownIndicator, name = spec.indicator));
    }
    if spec.entity != "consortium" && !data.members.iter().any(|m| m.id == spec.entity) {
        bail!(crate::said!(Msg::UnknownMember, name = spec.entity));
    }
    Ok(())
}

pub fn render_svg(data: &ReportData, spec: &ChartSpec) -> Result<String> {
    svg(&Chart::Report(data, spec))
}

pub fn render_png(data: &ReportData, spec: &ChartSpec, path: &Path) -> Result<()> {
    png(&Chart::Report(data, spec), path)
}

pub fn figure_svg(f: &Figure) -> Result<String> {
    svg(&Chart::Figure(f))
}

pub fn figure_png(f: &Figure, path: &Path) -> Result<()> {
    png(&Chart::Figure(f), path)
}

fn svg(chart: &Chart) -> Result<String> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, chart.size()).into_drawing_area();
        draw(&root, chart)?;
        root.present().map_err(err)?;
    }
    Ok(buf)
}

fn png(chart: &Chart, path: &Path) -> Result<()> {
    let font = ab_glyph::FontRef::try_from_slice(super::font::current())
        .map_err(|_| crate::i18n::internal("the chart font cannot be loaded"))?;
    let root =
        super::png::Png::new(BitMapBackend::new(path, chart.size()), font).into_drawing_area();
    draw(&root, chart)?;
    root.present()
        .map_err(|e| {
            crate::said!(
                Msg::CannotWriteBecause,
                path = path.display(),
                why => crate::i18n::Text::Own(format!("{e:?}"), Box::new(crate::said!(Msg::ChartNotDrawn)))
            )
        })?;
    Ok(())
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &Chart) -> Result<()> {
    let (data, spec) = match chart {
        Chart::Report(data, spec) => (*data, *spec),
        Chart::Figure(Figure::Bars(b)) => return members::bars(root, b),
        Chart::Figure(Figure::Multiples(m)) => return small_multiples::grid(root, m),
    };
    validate(data, spec)?;
    match spec.kind {
        ChartKind::Trend => trend::trend(root, data, spec),
        ChartKind::Members => members::members(root, data, &spec.indicator, false),
        ChartKind::MembersYtd => members::members(root, data, &spec.indicator, true),
        ChartKind::Surgery => surgery::surgery(root, data),
        ChartKind::Remote => remote::remote(root, data),
        ChartKind::Completeness => completeness::completeness(root, data),
        ChartKind::PrimaryShare => primary_share::primary_share(root, data),
        ChartKind::MemberTrends => small_multiples::member_trends(root, data, spec),
    }
}
