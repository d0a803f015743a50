//! The bureau report bundle (index.html, report.xlsx, summary.md, charts/*.svg) and the tidy
//! export (indicators and values in use of every consortium, CSV and Parquet). The page
//! reuses the consortium report's stylesheet, embedded font and escaping; figures and changes
//! are written as the consortium report writes them (`render::human`, `short_change`).

use super::config::Bureau;
use super::rank::{self, By};
use super::region::{Engines, Loaded, Scopes};
use super::submissions::{self, Row};
use super::{league_table, submissions_table, Target, MONITORING};
use crate::catalog::Direction;
use crate::compute::{Record, Request, Window};
use crate::export::xlsx::{print_setup, write_table, Styles};
use crate::export::{Exporter, Table, Value};
use crate::model::period::Period;
use crate::render::{human, is_good, records_table};
use crate::report::html::{base64, esc, CSS};
use crate::report::summary::short_change;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A trend point: the month, its value, and the same month a year earlier.
type Point = (Period, Option<f64>, Option<f64>);

/// What the bundle shows, gathered once.
pub struct BureauData {
    pub period: Period,
    pub region: String,
    /// Consortium ids and names, in bureau.toml order.
    pub consortia: Vec<(String, String)>,
    /// Month window, every consortium and the region: values over every member (全口径),
    /// changes on the comparable basis (可比口径).
    pub month: Vec<Record>,
    pub ytd: Vec<Record>,
    /// Per consortium (and `region`): the indicator's value in each of the last 12 months and
    /// a year earlier, for the small multiples.
    pub trend: Vec<(String, Vec<Point>)>,
    pub trend_code: String,
    pub shared: Vec<super::Shared>,
    pub members: usize,
    pub submissions: Vec<Row>,
    pub directions: HashMap<String, Direction>,
    pub targets: HashMap<String, Target>,
    pub codes: Vec<String>,
}

/// The indicator of the small multiples.
const TREND: &str = "discharges";

/// Values over every member, changes on the comparable basis (the consortium report's default).
fn window_records(e: &Engines, period: Period, window: Window) -> Result<Vec<Record>> {
    let scopes = Scopes {
        consortia: true,
        region: true,
    };
    let req = |lfl| Request {
        period,
        window,
        scopes: vec![],
        like_for_like: lfl,
        indicators: None,
    };
    let mut all = e.indicators(&req(false), scopes)?;
    let lfl = e.indicators(&req(true), scopes)?;
    let by_key: HashMap<(&str, &str), &Record> = lfl
        .iter()
        .map(|r| ((r.entity.as_str(), r.indicator.as_str()), r))
        .collect();
    for r in &mut all {
        let c = by_key.get(&(r.entity.as_str(), r.indicator.as_str()));
        r.yoy_pct = c.and_then(|c| c.yoy_pct);
        r.yoy_pp = c.and_then(|c| c.yoy_pp);
        r.change = c.and_then(|c| c.change);
        r.mom_pct = c.and_then(|c| c.mom_pct);
    }
    Ok(all)
}

impl BureauData {
    pub fn gather(b: &Bureau, l: &Loaded, period: Period) -> Result<BureauData> {
        let e = Engines::new(b, l)?;
        let month = window_records(&e, period, Window::Month)?;
        let ytd = window_records(&e, period, Window::Ytd)?;
        let mut trend: Vec<(String, Vec<Point>)> = Vec::new();
        let scopes = Scopes {
            consortia: true,
            region: true,
        };
        // The twelve months in one pass of each engine.
        let months: Vec<Period> = (0..12).rev().map(|i| period.add_months(-i)).collect();
        let req = Request {
            period,
            window: Window::Month,
            scopes: vec![],
            like_for_like: false,
            indicators: Some(vec![TREND.to_string()]),
        };
        for r in e.indicators_series(&req, &months, scopes)? {
            let Some(p) = Period::parse_strict(&r.period) else {
                continue;
            };
            let slot = match trend.iter_mut().find(|(e, _)| *e == r.entity) {
                Some(s) => s,
                None => {
                    trend.push((r.entity.clone(), Vec::new()));
                    trend.last_mut().context("just pushed")?
                }
            };
            slot.1.push((p, r.value, r.prior_value));
        }
        let directions = e.directions();
        Ok(BureauData {
            period,
            region: b.file.name.clone(),
            consortia: b
                .consortia
                .iter()
                .map(|c| (c.id.clone(), c.name()))
                .collect(),
            month,
            ytd,
            trend,
            trend_code: TREND.into(),
            shared: l.region.shared(b, &[period]),
            members: l.region.consortium.members().len(),
            submissions: submissions::rows(b, &[period])?,
            directions,
            targets: b.file.targets.clone().into_iter().collect(),
            codes: MONITORING.iter().map(|c| c.to_string()).collect(),
        })
    }

    fn record(&self, ytd: bool, entity: &str, code: &str) -> Option<&Record> {
        let recs = if ytd { &self.ytd } else { &self.month };
        recs.iter()
            .find(|r| r.entity == entity && r.indicator == code)
    }

    fn consortium_records(&self, code: &str) -> Vec<Record> {
        self.month
            .iter()
            .filter(|r| r.scope == "consortium" && r.indicator == code)
            .cloned()
            .collect()
    }

    fn ind_name(&self, code: &str) -> String {
        self.month
            .iter()
            .find(|r| r.indicator == code)
            .map_or(code.to_string(), |r| r.indicator_name.clone())
    }

    fn direction(&self, code: &str) -> Direction {
        self.directions.get(code).copied().unwrap_or_default()
    }

    fn period_label(&self) -> String {
        format!("{}年{}月", self.period.year(), self.period.month())
    }

    fn name_of(&self, entity: &str) -> String {
        if entity == "region" {
            return self.region.clone();
        }
        self.consortia
            .iter()
            .find(|c| c.0 == entity)
            .map_or(entity.to_string(), |c| c.1.clone())
    }

    /// 要点: sentences about the region a quality office would write.
    pub fn headlines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let shared = if self.shared.is_empty() {
            String::new()
        } else {
            format!(
                "，其中{}家同属两个及以上医联体（{}），区域合计只计一次",
                self.shared.len(),
                self.shared
                    .iter()
                    .map(|s| s.name.clone())
                    .collect::<Vec<_>>()
                    .join("、")
            )
        };
        out.push(format!(
            "{}{}：纳入{}个医联体，成员单位{}家{}。",
            self.region,
            self.period_label(),
            self.consortia.len(),
            self.members,
            shared
        ));
        for code in [
            "discharges",
            "outpatient_visits",
            "bed_occupancy",
            "grade34_share",
        ] {
            let Some(r) = self.record(false, "region", code) else {
                continue;
            };
            if r.value.is_none() {
                continue;
            }
            let mut s = format!(
                "区域{}{}{}",
                r.indicator_name,
                human(r.value, &r.unit),
                if r.unit == "%" { "" } else { r.unit.as_str() }
            );
            if let Some(phrase) = change_phrase(r) {
                s.push_str(&format!("，同比{phrase}（可比口径）"));
            }
            let ranked = rank::ranked(
                self.consortium_records(code),
                By::Value,
                self.direction(code),
            );
            let defined: Vec<&(Record, Option<u32>)> =
                ranked.iter().filter(|(_, k)| k.is_some()).collect();
            if let (Some(first), Some(last)) = (defined.first(), defined.last()) {
                if defined.len() > 1 {
                    let word = if self.direction(code) == Direction::Lower {
                        ("最短", "最长")
                    } else {
                        ("居首", "居末")
                    };
                    s.push_str(&format!(
                        "；{}{}（{}），{}{}（{}）",
                        first.0.entity_name,
                        word.0,
                        human(first.0.value, &first.0.unit),
                        last.0.entity_name,
                        word.1,
                        human(last.0.value, &last.0.unit)
                    ));
                }
            }
            s.push('。');
            out.push(s);
        }
        let due: u32 = self.submissions.iter().map(|r| r.due).sum();
        let received: u32 = self.submissions.iter().map(|r| r.received()).sum();
        let late: u32 = self.submissions.iter().map(|r| r.late).sum();
        let mut s = format!("报送：应报{due}家次，已报{received}家次");
        if late > 0 {
            s.push_str(&format!("，其中逾期{late}家次"));
        }
        let missing: Vec<String> = self
            .submissions
            .iter()
            .filter(|r| r.missing > 0)
            .map(|r| format!("{}{}家", r.name, r.missing))
            .collect();
        if missing.is_empty() {
            s.push_str("，无缺报。");
        } else {
            s.push_str(&format!("；未报：{}。", missing.join("、")));
        }
        out.push(s);
        out
    }
}

/// `增长5.36%` / `下降0.80个百分点`; None without a comparable change.
fn change_phrase(r: &Record) -> Option<String> {
    let (v, unit) = if r.unit == "%" {
        (r.yoy_pp?, "个百分点")
    } else {
        (r.yoy_pct?, "%")
    };
    // A change that rounds to nothing at the shown precision is 持平, neither up nor down.
    if (v * 100.0).round() == 0.0 {
        return Some("持平".into());
    }
    let word = match (r.unit == "%", v > 0.0) {
        (true, true) => "提高",
        (false, true) => "增长",
        (_, false) => "下降",
    };
    Some(format!("{word}{:.2}{unit}", v.abs()))
}

/// One small trend panel as SVG: this year's months against the same months a year earlier.
fn trend_svg(title: &str, points: &[Point]) -> String {
    let (w, h, pad_l, pad_r, pad_t, pad_b) = (300.0, 170.0, 46.0, 10.0, 28.0, 24.0);
    let values: Vec<f64> = points
        .iter()
        .flat_map(|(_, a, b)| [*a, *b])
        .flatten()
        .collect();
    let (lo, hi) = match (
        values.iter().copied().reduce(f64::min),
        values.iter().copied().reduce(f64::max),
    ) {
        (Some(a), Some(b)) if b > a => (a.min(0.0), b),
        (Some(a), Some(_)) => (a.min(0.0), a.max(1.0) * 1.1),
        _ => (0.0, 1.0),
    };
    let n = points.len().max(2) as f64;
    let x = |i: usize| pad_l + (w - pad_l - pad_r) * i as f64 / (n - 1.0);
    let y = |v: f64| pad_t + (h - pad_t - pad_b) * (1.0 - (v - lo) / (hi - lo));
    let line = |pick: &dyn Fn(&Point) -> Option<f64>, colour: &str, dash: &str| {
        // A month without a figure breaks the line: nothing is drawn across a hole.
        let mut out = String::new();
        let mut run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, out: &mut String| {
            if run.len() > 1 {
                out.push_str(&format!(
                    "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" {dash} points=\"{}\"/>",
                    run.join(" ")
                ));
            } else if let Some(p) = run.first() {
                let (cx, cy) = p.split_once(',').unwrap_or(("0", "0"));
                out.push_str(&format!(
                    "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"2\" fill=\"{colour}\"/>"
                ));
            }
            run.clear();
        };
        for (i, p) in points.iter().enumerate() {
            match pick(p) {
                Some(v) => run.push(format!("{:.1},{:.1}", x(i), y(v))),
                None => flush(&mut run, &mut out),
            }
        }
        flush(&mut run, &mut out);
        out
    };
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\">\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>\
         <text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"bold\" fill=\"#12355b\">{}</text>",
        esc(title)
    );
    for frac in [0.0, 0.5, 1.0] {
        let v = lo + (hi - lo) * frac;
        s.push_str(&format!(
            "<line x1=\"{pad_l}\" x2=\"{}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#e3e7ec\"/>\
             <text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\" fill=\"#5f6b7a\">{}</text>",
            w - pad_r,
            y(v),
            y(v),
            pad_l - 4.0,
            y(v) + 3.0,
            esc(&crate::model::fmt_thousands(v, 0))
        ));
    }
    for (i, (p, _, _)) in points.iter().enumerate() {
        if i % 3 == 0 || i + 1 == points.len() {
            s.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5f6b7a\">{}月</text>",
                x(i),
                h - 8.0,
                p.month()
            ));
        }
    }
    s.push_str(&line(&|p| p.2, "#9aa7b6", "stroke-dasharray=\"4 3\""));
    s.push_str(&line(&|p| p.1, "#1f5fa8", ""));
    s.push_str("</svg>");
    s
}

/// Background of a matrix cell: green for good news, red for bad, stronger for larger changes.
fn change_colour(r: &Record, dir: Direction) -> &'static str {
    let v = if r.unit == "%" { r.yoy_pp } else { r.yoy_pct };
    let Some(v) = v else { return "#ffffff" };
    // As shown (one decimal): a change that reads +0.0 is not coloured as news.
    if (v * 10.0).round() == 0.0 {
        return "#f4f6f9";
    }
    let strong = if r.unit == "%" {
        v.abs() >= 2.0
    } else {
        v.abs() >= 10.0
    };
    match (is_good(v, dir), strong) {
        (Some(true), true) => "#a8dab5",
        (Some(true), false) => "#dff1e3",
        (Some(false), true) => "#f4b4b4",
        (Some(false), false) => "#fbe3e3",
        (None, _) => "#f4f6f9",
    }
}

fn html_table(t: &Table) -> String {
    let mut h = String::from("<table><thead><tr>");
    for head in &t.headers {
        h.push_str(&format!("<th>{}</th>", esc(head)));
    }
    h.push_str("</tr></thead><tbody>\n");
    for row in &t.rows {
        h.push_str("<tr>");
        for v in row {
            let class = if matches!(v, Value::Num(_) | Value::Int(_)) {
                " class=\"n\""
            } else {
                ""
            };
            h.push_str(&format!("<td{class}>{}</td>", esc(&v.text())));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    h
}

/// 排名总表 for people: per indicator the value (by unit) and rank, with 达标 marks.
fn league_for_people(d: &BureauData) -> Table {
    let mut headers = vec!["医联体".to_string()];
    for code in &d.codes {
        let name = d.ind_name(code);
        headers.push(name);
        headers.push("排名".into());
    }
    let mut t = Table::new(headers);
    let ranks: Vec<Vec<(Record, Option<u32>)>> = d
        .codes
        .iter()
        .map(|c| rank::ranked(d.consortium_records(c), By::Value, d.direction(c)))
        .collect();
    for (id, name) in &d.consortia {
        let mut row = vec![Value::from(name.as_str())];
        for (code, ranked) in d.codes.iter().zip(&ranks) {
            let found = ranked.iter().find(|(r, _)| &r.entity == id);
            let mark = match (found, d.targets.get(code)) {
                (Some((r, _)), Some(t)) => match t.met(r.value) {
                    Some(true) => " ✓达标",
                    Some(false) => " ✗未达标",
                    None => "",
                },
                _ => "",
            };
            row.push(Value::from(found.map_or("—".to_string(), |(r, _)| {
                format!("{}{mark}", human(r.value, &r.unit))
            })));
            row.push(match found.and_then(|(_, k)| *k) {
                Some(k) => Value::Int(k.into()),
                None => Value::from("—"),
            });
        }
        t.push_values(row);
    }
    t
}

fn submissions_for_people(rows: &[Row]) -> Table {
    let mut t = Table::new([
        "医联体",
        "应报",
        "已报",
        "按时",
        "逾期",
        "无日期",
        "未报",
        "报送率",
        "及时率",
    ]);
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:.1}%"));
    for r in rows {
        t.push_values(vec![
            Value::from(r.name.as_str()),
            Value::Int(r.due.into()),
            Value::Int(r.received().into()),
            Value::Int(r.on_time.into()),
            Value::Int(r.late.into()),
            Value::Int(r.undated.into()),
            Value::Int(r.missing.into()),
            Value::from(pct(r.completeness_pct())),
            Value::from(pct(r.timeliness_pct())),
        ]);
    }
    t
}

fn page(d: &BureauData, panels: &[(String, String)]) -> String {
    let title = format!("{} {}医联体运行监测月报", d.region, d.period_label());
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n@font-face {{ font-family: \"YilianSC\"; src: url(data:font/woff2;base64,{}) format(\"woff2\"); }}\n{CSS}\n.multiples {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }}\n.multiples svg {{ width: 100%; height: auto; border: 1px solid #eef0f3; }}\ntd.m {{ text-align: right; white-space: nowrap; }}\n</style>\n</head>\n<body><main>\n",
        esc(&title),
        base64(crate::report::font::FONT_WOFF2)
    );
    h.push_str(&format!(
        "<header><h1>{}</h1><div class=\"meta\">统计期间：{} · 同比为可比口径（两期均有数据的成员单位），数值为全口径</div></header>\n",
        esc(&title),
        esc(&d.period_label())
    ));
    h.push_str("<h2>要点</h2>\n<ul class=\"lead\">\n");
    for s in d.headlines() {
        h.push_str(&format!("<li>{}</li>\n", esc(&s)));
    }
    h.push_str("</ul>\n<h2>排名总表（本月）</h2>\n");
    h.push_str(&html_table(&league_for_people(d)));
    h.push_str("<p class=\"note\">排名按指标方向：越高越好的指标数值大者居前，平均住院日等越低越好的指标数值小者居前；数值相同者并列（1、2、2、4），无数据者不排名、列于最后。</p>\n");
    h.push_str("<h2>医联体 × 指标（本月，底色为同比变化）</h2>\n<table><thead><tr><th>医联体</th>");
    for code in &d.codes {
        let name = d.ind_name(code);
        h.push_str(&format!("<th>{}</th>", esc(&name)));
    }
    h.push_str("</tr></thead><tbody>\n");
    let entities: Vec<(String, String)> = d
        .consortia
        .iter()
        .cloned()
        .chain(std::iter::once((
            "region".to_string(),
            format!("{}（区域）", d.region),
        )))
        .collect();
    for (id, name) in &entities {
        h.push_str(&format!("<tr><td>{}</td>", esc(name)));
        for code in &d.codes {
            match d.record(false, id, code) {
                Some(r) => h.push_str(&format!(
                    "<td class=\"m\" style=\"background:{}\">{}<br><small>{}</small></td>",
                    change_colour(r, d.direction(code)),
                    esc(&human(r.value, &r.unit)),
                    esc(&short_change(r))
                )),
                None => h.push_str("<td class=\"m\">—</td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n<p class=\"note\">绿色为向好、红色为变差，深色为同比变化≥10%（百分比指标≥2个百分点）；灰色为同比持平，白色为无可比数据。</p>\n");
    h.push_str(&format!(
        "<h2>各医联体{}趋势（近12个月，实线本年、虚线上年同期）</h2>\n<div class=\"multiples\">\n",
        esc(&d.ind_name(&d.trend_code))
    ));
    for (_, svg) in panels {
        h.push_str(&format!("<figure>{svg}</figure>\n"));
    }
    h.push_str("</div>\n<h2>报送情况</h2>\n");
    h.push_str(&html_table(&submissions_for_people(&d.submissions)));
    if !d.shared.is_empty() {
        h.push_str("<p class=\"note\">同属多个医联体的成员单位：");
        h.push_str(&esc(&d
            .shared
            .iter()
            .map(|s| {
                let names: Vec<String> = s.consortia.iter().map(|c| d.name_of(c)).collect();
                format!("{}（{}）", s.name, names.join("、"))
            })
            .collect::<Vec<_>>()
            .join("；")));
        h.push_str("。在各医联体中分别计入，区域合计只计一次。</p>\n");
    }
    h.push_str(&format!(
        "<footer>编制：{} · 由 yilian 生成</footer>\n</main></body></html>\n",
        esc(&d.region)
    ));
    h
}

fn markdown(d: &BureauData) -> Result<String> {
    let mut s = format!(
        "# {} {}医联体运行监测月报\n\n## 要点\n\n",
        d.region,
        d.period_label()
    );
    for line in d.headlines() {
        s.push_str(&format!("- {}\n", crate::export::md_escape(&line)));
    }
    let mut buf = Vec::new();
    s.push_str("\n## 排名总表（本月）\n\n");
    crate::export::table::Markdown.export(&league_for_people(d), &mut buf)?;
    s.push_str(&String::from_utf8_lossy(&buf));
    buf.clear();
    s.push_str("\n## 报送情况\n\n");
    crate::export::table::Markdown.export(&submissions_for_people(&d.submissions), &mut buf)?;
    s.push_str(&String::from_utf8_lossy(&buf));
    Ok(s)
}

fn workbook(d: &BureauData, path: &Path) -> Result<()> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let styles = Styles::new();
    let footer = format!("{} {}", d.region, d.period_label());
    let sheets: Vec<(&str, Table)> = vec![
        ("排名总表", league_for_people(d)),
        (
            "排名明细",
            league_table(
                &d.month
                    .iter()
                    .filter(|r| r.scope == "consortium")
                    .cloned()
                    .collect::<Vec<_>>(),
                &d.codes,
                By::Value,
                &d.directions,
                &d.targets,
            ),
        ),
        ("报送情况", submissions_table(&d.submissions)),
        ("本月指标", records_table(&d.month)),
        ("本年累计指标", records_table(&d.ytd)),
    ];
    for (name, t) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        ws.write_string_with_format(0, 0, format!("{} — {name}", footer), &styles.title)?;
        write_table(ws, 2, &t, &styles, 8.0)?;
        print_setup(ws, true, Some((2, 2)), &footer)?;
    }
    wb.save(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// index.html, report.xlsx, summary.md and charts/trend-<consortium>.svg.
pub fn bundle(b: &Bureau, l: &Loaded, period: Period, out: &Path) -> Result<Vec<PathBuf>> {
    let d = BureauData::gather(b, l, period)?;
    let charts = out.join("charts");
    std::fs::create_dir_all(&charts)
        .with_context(|| format!("cannot create {}", charts.display()))?;
    let mut files = Vec::new();
    let mut panels = Vec::new();
    for (entity, points) in &d.trend {
        let title = match entity.as_str() {
            "region" => format!("{}（区域）", d.region),
            _ => d.name_of(entity),
        };
        let svg = trend_svg(&title, points);
        let path = charts.join(format!("trend-{}.svg", file_safe(entity)));
        std::fs::write(&path, &svg)?;
        files.push(path);
        panels.push((entity.clone(), svg));
    }
    let xlsx = out.join("report.xlsx");
    workbook(&d, &xlsx)?;
    files.push(xlsx);
    let md = out.join("summary.md");
    std::fs::write(&md, markdown(&d)?)?;
    files.push(md);
    let html = out.join("index.html");
    std::fs::write(&html, page(&d, &panels))?;
    files.push(html);
    Ok(files)
}

/// A consortium id as part of a file name: letters, digits, `-` and `_` kept, else `_`.
fn file_safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The tidy export: indicators.csv (month and year-to-date windows of the period: every
/// consortium, the region and every member, with `consortium`, `member` and
/// `region_member`) and values.csv (every value in use of every consortium's store), each
/// also as Parquet.
pub fn export(b: &Bureau, l: &Loaded, period: Period, out: &Path) -> Result<Vec<PathBuf>> {
    let e = Engines::new(b, l)?;
    let mut records = Vec::new();
    for window in [Window::Month, Window::Ytd] {
        let req = Request {
            period,
            window,
            scopes: vec![],
            like_for_like: false,
            indicators: None,
        };
        let scopes = Scopes {
            consortia: true,
            region: true,
        };
        records.extend(e.indicators(&req, scopes)?);
        records.extend(e.member_indicators(&req)?);
    }
    let mut t = records_table(&records);
    for h in ["consortium", "member", "region_member"] {
        t.headers.push(h.into());
        t.kinds.push(Default::default());
        t.right.push(false);
    }
    for (row, r) in t.rows.iter_mut().zip(&records) {
        let (c, m, rid) = match r.scope.as_str() {
            "member" => {
                let (c, m) = r.entity.split_once('.').unwrap_or((&r.entity, ""));
                let ci = b.consortia.iter().position(|x| x.id == c);
                let rid = ci
                    .and_then(|ci| l.region.ids.get(&(ci, m.to_string())))
                    .cloned()
                    .unwrap_or_default();
                (c.to_string(), m.to_string(), rid)
            }
            "consortium" => (r.entity.clone(), String::new(), String::new()),
            _ => (String::new(), String::new(), String::new()),
        };
        row.extend([Value::from(c), Value::from(m), Value::from(rid)]);
    }
    let mut values = Table::new([
        "consortium",
        "member",
        "region_member",
        "member_name",
        "period",
        "key",
        "metric",
        "kind",
        "basis",
        "value",
        "source_file",
        "cell",
    ]);
    for (ci, c) in b.consortia.iter().enumerate() {
        let store = crate::store::Store::open_existing(&c.store)?;
        for v in store.in_use(&crate::store::Filter::all())? {
            let name = c
                .consortium
                .member(&v.member)
                .map(|m| m.name.clone())
                .unwrap_or_default();
            let rid = l
                .region
                .ids
                .get(&(ci, v.member.clone()))
                .cloned()
                .unwrap_or_default();
            values.push_values(vec![
                Value::from(c.id.as_str()),
                Value::from(v.member),
                Value::from(rid),
                Value::from(name),
                Value::Text(v.period.to_string()),
                Value::from(v.key),
                Value::from(v.metric.unwrap_or_default()),
                Value::Text(v.kind.to_string()),
                Value::Text(v.basis.to_string()),
                Value::num(v.value),
                Value::from(v.source_file),
                Value::from(v.cell),
            ]);
        }
    }
    let mut files = Vec::new();
    for (stem, table) in [("indicators", &t), ("values", &values)] {
        let csv = out.join(format!("{stem}.csv"));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&csv)?);
        // For scripts: text as stored (no formula guard), UTF-8 without a byte-order mark.
        table.write_with(
            crate::export::Format::Csv,
            crate::export::WriteOptions::new(true, true),
            &mut f,
        )?;
        std::io::Write::flush(&mut f)?;
        files.push(csv);
        let pq = out.join(format!("{stem}.parquet"));
        write_parquet(table, &pq)?;
        files.push(pq);
    }
    Ok(files)
}

/// A typed table as Parquet: a column of numbers only is Float64, any other is text.
fn write_parquet(t: &Table, path: &Path) -> Result<()> {
    use polars::prelude::*;
    let mut cols = Vec::new();
    for (c, h) in t.headers.iter().enumerate() {
        let numeric = t.rows.iter().all(|r| {
            matches!(
                r.get(c),
                Some(Value::Num(_) | Value::Int(_) | Value::Null) | None
            )
        });
        let col = if numeric {
            let v: Vec<Option<f64>> = t
                .rows
                .iter()
                .map(|r| match r.get(c) {
                    Some(Value::Num(x)) => Some(*x),
                    Some(Value::Int(n)) => Some(*n as f64),
                    _ => None,
                })
                .collect();
            Column::new(h.as_str().into(), v)
        } else {
            let v: Vec<Option<String>> = t
                .rows
                .iter()
                .map(|r| match r.get(c) {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(v.text().into_owned()),
                })
                .collect();
            Column::new(h.as_str().into(), v)
        };
        cols.push(col);
    }
    let mut df = DataFrame::new(cols)?;
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    ParquetWriter::new(f).finish(&mut df)?;
    Ok(())
}
