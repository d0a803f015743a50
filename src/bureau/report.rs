//! The bureau report bundle (index.html, report.xlsx, summary.md, charts/*.svg and *.png) for
//! a month or a quarter, and the tidy export (indicators and values in use of every
//! consortium, CSV and Parquet). The page reuses the consortium report's stylesheet,
//! embedded font and escaping, and its charts are the consortium report's kinds
//! (`report::charts::Figure`); figures and changes are written as the consortium report
//! writes them (`render::human`, `short_change`).

use super::config::Bureau;
use super::rank::{self, By};
use super::region::{Engines, Loaded, Scopes};
use super::submissions::{self, Row};
use super::{league_table, submissions_table, Target, MONITORING};
use crate::catalog::Direction;
use crate::compute::{Record, Request, Window};
use crate::export::xlsx::{print_setup, write_table, Styles};
use crate::export::{Exporter, Table, Value};
use crate::i18n::{Msg, SaidContext};
use crate::model::period::Period;
use crate::render::{human, is_good, records_table};
use crate::report::charts::{figure_png, figure_svg, Bars, Figure, Multiples};
use crate::report::html::{base64, esc, CSS};
use crate::report::summary::short_change;
use crate::report::{Lang, Trend};
use anyhow::Result;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the bundle shows, gathered once.
pub struct BureauData {
    /// The last month of the window.
    pub period: Period,
    /// Month (月报) or quarter up to `period` (季报).
    pub window: Window,
    pub region: String,
    /// Consortium ids and names, in bureau.toml order.
    pub consortia: Vec<(String, String)>,
    /// The report's window (the month, or the quarter), every consortium and the region:
    /// values over every member (全口径), changes on the comparable basis (可比口径).
    pub current: Vec<Record>,
    pub ytd: Vec<Record>,
    /// (entity, indicator) → the months of the period's year and the same months a year
    /// earlier; entity a consortium id or `region`.
    pub trends: HashMap<(String, String), Trend>,
    pub shared: Vec<super::Shared>,
    pub members: usize,
    /// Every consortium's submissions, one row per consortium and month of the window.
    pub submissions: Vec<Row>,
    pub directions: HashMap<String, Direction>,
    pub targets: HashMap<String, Target>,
    pub codes: Vec<String>,
}

/// The indicators of the small multiples (as the consortium report's member trends).
const TRENDS: [&str; 2] = ["discharges", "outpatient_visits"];

/// The indicators of the headline sentences and the ranking charts.
const HEADLINE: [&str; 4] = [
    "discharges",
    "outpatient_visits",
    "bed_occupancy",
    "grade34_share",
];

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
    /// `window` is `Month` or `Quarter` (the quarter up to `period`).
    pub fn gather(b: &Bureau, l: &Loaded, period: Period, window: Window) -> Result<BureauData> {
        let e = Engines::new(b, l)?;
        let current = window_records(&e, period, window)?;
        let ytd = window_records(&e, period, Window::Ytd)?;
        let scopes = Scopes {
            consortia: true,
            region: true,
        };
        // The twelve months of the year in one pass of each engine.
        let months: Vec<Period> = (1..=12u32)
            .filter_map(|m| Period::new(period.year(), m))
            .collect();
        let req = Request {
            period,
            window: Window::Month,
            scopes: vec![],
            like_for_like: false,
            indicators: Some(TRENDS.iter().map(|c| c.to_string()).collect()),
        };
        let mut trends: HashMap<(String, String), Trend> = HashMap::new();
        for r in e.indicators_series(&req, &months, scopes)? {
            let Some(p) = Period::parse_strict(&r.period) else {
                continue;
            };
            let i = p.month() as usize - 1;
            let t = trends.entry((r.entity, r.indicator)).or_default();
            // Months after the period are not part of this report.
            t.this_year[i] = if p <= period { r.value } else { None };
            t.last_year[i] = r.prior_value;
        }
        let months = window.months(period);
        let directions = e.directions();
        Ok(BureauData {
            period,
            window,
            region: b.file.name.clone(),
            consortia: b
                .consortia
                .iter()
                .map(|c| (c.id.clone(), c.name()))
                .collect(),
            current,
            ytd,
            trends,
            shared: l.region.shared(b, &months),
            members: l.region.consortium.members().len(),
            submissions: submissions::rows(b, &months)?,
            directions,
            targets: b.file.targets.clone().into_iter().collect(),
            codes: MONITORING.iter().map(|c| c.to_string()).collect(),
        })
    }

    fn record(&self, ytd: bool, entity: &str, code: &str) -> Option<&Record> {
        let recs = if ytd { &self.ytd } else { &self.current };
        recs.iter()
            .find(|r| r.entity == entity && r.indicator == code)
    }

    fn consortium_records(&self, code: &str) -> Vec<Record> {
        self.current
            .iter()
            .filter(|r| r.scope == "consortium" && r.indicator == code)
            .cloned()
            .collect()
    }

    fn ind_name(&self, code: &str) -> String {
        self.current
            .iter()
            .find(|r| r.indicator == code)
            .map_or(code.to_string(), |r| r.indicator_name.clone())
    }

    fn direction(&self, code: &str) -> Direction {
        self.directions.get(code).copied().unwrap_or_default()
    }

    fn period_label(&self) -> String {
        period_label(self.period, self.window)
    }

    /// `本月` or `本季度`: the window the tables are of.
    fn window_word(&self) -> &'static str {
        if self.window == Window::Quarter {
            "本季度"
        } else {
            "本月"
        }
    }

    fn title(&self) -> String {
        let kind = if self.window == Window::Quarter {
            "季报"
        } else {
            "月报"
        };
        format!(
            "{} {}医联体运行监测{kind}",
            self.region,
            self.period_label()
        )
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
        for code in HEADLINE {
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
        // Per consortium over the window's months: 家 for a month, 家次 for a quarter.
        let unit = if self.window == Window::Quarter {
            "家次"
        } else {
            "家"
        };
        let missing: Vec<String> = self
            .consortia
            .iter()
            .filter_map(|(id, name)| {
                let n: u32 = self
                    .submissions
                    .iter()
                    .filter(|r| &r.consortium == id)
                    .map(|r| r.missing)
                    .sum();
                (n > 0).then(|| format!("{name}{n}{unit}"))
            })
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

/// `2025年3月`, `2025年第四季度`, or `2025年第四季度（10—11月）` while the quarter's last
/// month is not in yet.
fn period_label(period: Period, window: Window) -> String {
    let (y, m) = (period.year(), period.month());
    if window != Window::Quarter {
        return format!("{y}年{m}月");
    }
    let q = (m - 1) / 3;
    let name = ["一", "二", "三", "四"][q as usize];
    let first = q * 3 + 1;
    match m - first {
        2 => format!("{y}年第{name}季度"),
        0 => format!("{y}年第{name}季度（{m}月）"),
        _ => format!("{y}年第{name}季度（{first}—{m}月）"),
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

/// The charts of the bundle, as (file stem, figure): a ranking bar chart of each headline
/// indicator (best first, by the indicator's direction) and small multiples of each
/// consortium's and the region's monthly trend.
fn figures<'a>(
    d: &'a BureauData,
    ranked: &'a [(String, rank::Ranked)],
) -> Vec<(String, Figure<'a>)> {
    let mut out = Vec::new();
    for (code, list) in ranked {
        let unit = list
            .first()
            .map(|(r, _)| r.unit.clone())
            .unwrap_or_default();
        let target = d.targets.get(code);
        let rows = list
            .iter()
            .filter_map(|(r, k)| {
                let (k, v) = (k.as_ref()?, r.value?);
                let mark = match target.and_then(|t| t.met(r.value)) {
                    Some(true) => "（达标）",
                    Some(false) => "（未达标）",
                    None => "",
                };
                Some((format!("{k}. {}{mark}", r.entity_name), v, Some(r)))
            })
            .collect();
        let better = if d.direction(code) == Direction::Lower {
            "越低越好"
        } else {
            "越高越好"
        };
        let mut sub = format!(
            "单位：{}；按数值排名（{better}），并列同名次；标签为{}数值与同比（可比口径，绿色向好，红色变差）",
            if unit.is_empty() { "—" } else { unit.as_str() },
            d.window_word()
        );
        if let Some(t) = target {
            let pct = if unit == "%" { "%" } else { "" };
            sub.push_str(&format!("；目标{}{pct}", t.text()));
        }
        let unranked: Vec<&str> = list
            .iter()
            .filter(|(_, k)| k.is_none())
            .map(|(r, _)| r.entity_name.as_str())
            .collect();
        // Names while they fit on the subtitle's line, else how many.
        match unranked.len() {
            0 => {}
            1..=3 => sub.push_str(&format!("；无数据不排名：{}", unranked.join("、"))),
            n => sub.push_str(&format!("；{n}个医联体无数据不排名（见排名总表）")),
        }
        out.push((
            format!("rank-{}", file_safe(code)),
            Figure::Bars(Bars {
                title: format!("{} · 各医联体排名 {}", d.ind_name(code), d.period_label()),
                subtitle: sub,
                rows,
                // A consortium's figure is no one member's submission: nothing to star.
                flagged: vec![],
                unit,
                direction: d.direction(code),
                lang: Lang::Zh,
            }),
        ));
    }
    let y = d.period.year();
    for code in TRENDS {
        let unit = d
            .current
            .iter()
            .find(|r| r.indicator == code)
            .map(|r| r.unit.clone())
            .unwrap_or_default();
        let panels = d
            .consortia
            .iter()
            .map(|(id, name)| (id.as_str(), name.clone()))
            .chain(std::iter::once((
                "region",
                format!("{}（区域合计）", d.region),
            )))
            .map(|(id, name)| {
                let t = d.trends.get(&(id.to_string(), code.to_string()));
                (name, t.cloned().unwrap_or_default())
            })
            .collect();
        out.push((
            format!("trends-{code}"),
            Figure::Multiples(Multiples {
                title: format!("{} · 各医联体月度趋势", d.ind_name(code)),
                subtitle: format!(
                    "{y}年与{}年同月对比（截至{}年{}月），各医联体纵轴刻度不同；区域合计中同属两个医联体的成员单位只计一次",
                    y - 1,
                    y,
                    d.period.month()
                ),
                year: y,
                panels,
                unit,
                lang: Lang::Zh,
            }),
        ));
    }
    out
}

/// Each headline indicator's consortia, ranked by value.
fn headline_ranks(d: &BureauData) -> Vec<(String, rank::Ranked)> {
    HEADLINE
        .iter()
        .map(|c| {
            let ranked = rank::ranked(d.consortium_records(c), By::Value, d.direction(c));
            (c.to_string(), ranked)
        })
        .collect()
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
    let ranks: Vec<rank::Ranked> = d
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

/// 报送情况 for people: one row per consortium, and per month when the window has several.
fn submissions_for_people(rows: &[Row]) -> Table {
    let months = rows
        .iter()
        .any(|r| rows.first().is_some_and(|f| f.period != r.period));
    let mut headers = vec!["医联体"];
    if months {
        headers.push("月份");
    }
    headers.extend([
        "应报",
        "已报",
        "按时",
        "逾期",
        "无日期",
        "未报",
        "报送率",
        "及时率",
    ]);
    let mut t = Table::new(headers);
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |x| format!("{x:.1}%"));
    for r in rows {
        let mut row = vec![Value::from(r.name.as_str())];
        if months {
            row.push(Value::from(format!("{}月", r.period.month())));
        }
        row.extend([
            Value::Int(r.due.into()),
            Value::Int(r.received().into()),
            Value::Int(r.on_time.into()),
            Value::Int(r.late.into()),
            Value::Int(r.undated.into()),
            Value::Int(r.missing.into()),
            Value::from(pct(r.completeness_pct())),
            Value::from(pct(r.timeliness_pct())),
        ]);
        t.push_values(row);
    }
    t
}

/// `svgs`: the charts as (file stem, SVG), drawn inline.
fn page(d: &BureauData, svgs: &[(String, String)]) -> String {
    let title = d.title();
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n@font-face {{ font-family: \"YilianSC\"; src: url(data:font/woff2;base64,{}) format(\"woff2\"); }}\n{CSS}\ntd.m {{ text-align: right; white-space: nowrap; }}\n</style>\n</head>\n<body><main>\n",
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
    h.push_str(&format!(
        "</ul>\n<h2>排名总表（{}）</h2>\n",
        d.window_word()
    ));
    h.push_str(&html_table(&league_for_people(d)));
    h.push_str("<p class=\"note\">排名按指标方向：越高越好的指标数值大者居前，平均住院日等越低越好的指标数值小者居前；数值相同者并列（1、2、2、4），无数据者不排名、列于最后。</p>\n");
    let figure = |h: &mut String, prefix: &str| {
        for (stem, svg) in svgs.iter().filter(|(s, _)| s.starts_with(prefix)) {
            h.push_str(&format!("<figure id=\"{}\">{svg}</figure>\n", esc(stem)));
        }
    };
    h.push_str(&format!("<h2>主要指标排名（{}）</h2>\n", d.window_word()));
    figure(&mut h, "rank-");
    h.push_str(&format!(
        "<h2>医联体 × 指标（{}，底色为同比变化）</h2>\n<table><thead><tr><th>医联体</th>",
        d.window_word()
    ));
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
    h.push_str("<h2>各医联体月度趋势</h2>\n");
    figure(&mut h, "trends-");
    h.push_str("<h2>报送情况</h2>\n");
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

fn markdown(d: &BureauData, stems: &[String]) -> Result<String> {
    let mut s = format!("# {}\n\n## 要点\n\n", d.title());
    for line in d.headlines() {
        s.push_str(&format!("- {}\n", crate::export::md_escape(&line)));
    }
    let mut buf = Vec::new();
    s.push_str(&format!("\n## 排名总表（{}）\n\n", d.window_word()));
    crate::export::table::Markdown.export(&league_for_people(d), &mut buf)?;
    s.push_str(&String::from_utf8_lossy(&buf));
    buf.clear();
    s.push_str("\n## 报送情况\n\n");
    crate::export::table::Markdown.export(&submissions_for_people(&d.submissions), &mut buf)?;
    s.push_str(&String::from_utf8_lossy(&buf));
    s.push_str("\n## 图表\n\n");
    for stem in stems {
        s.push_str(&format!("- [{stem}](charts/{stem}.png)\n"));
    }
    s.push_str("\n完整表格见 report.xlsx，网页版见 index.html。\n");
    Ok(s)
}

/// The workbook's sheets: 排名总表, 排名明细, 报送情况, 本月指标 (本季度指标 for a quarter),
/// 本年累计指标.
fn workbook(d: &BureauData, path: &Path) -> Result<()> {
    let mut wb = crate::export::xlsx::workbook();
    let styles = Styles::new();
    let footer = format!("{} {}", d.region, d.period_label());
    let current_sheet = format!("{}指标", d.window_word());
    let sheets: Vec<(&str, Table)> = vec![
        ("排名总表", league_for_people(d)),
        (
            "排名明细",
            league_table(
                &d.current
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
        (&current_sheet, records_table(&d.current)),
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
        .said(|| crate::said!(Msg::CannotWrite, path = path.display()))?;
    Ok(())
}

/// index.html, report.xlsx, summary.md and charts/<stem>.svg and .png; `window` is `Month`
/// (月报) or `Quarter` (季报, the quarter up to `period`).
pub fn bundle(
    b: &Bureau,
    l: &Loaded,
    period: Period,
    window: Window,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let d = BureauData::gather(b, l, period, window)?;
    let charts = out.join("charts");
    std::fs::create_dir_all(&charts)
        .said(|| crate::said!(Msg::CannotCreate, path = charts.display()))?;
    let mut files = Vec::new();
    let ranked = headline_ranks(&d);
    let mut svgs = Vec::new();
    for (stem, figure) in figures(&d, &ranked) {
        let svg = figure_svg(&figure)?;
        let svg_path = charts.join(format!("{stem}.svg"));
        crate::export::write_file(&svg_path, &svg)?;
        let png_path = charts.join(format!("{stem}.png"));
        figure_png(&figure, &png_path)?;
        files.push(svg_path);
        files.push(png_path);
        svgs.push((stem, svg));
    }
    let xlsx = out.join("report.xlsx");
    workbook(&d, &xlsx)?;
    files.push(xlsx);
    let md = out.join("summary.md");
    let stems: Vec<String> = svgs.iter().map(|(s, _)| s.clone()).collect();
    crate::export::write_file(&md, markdown(&d, &stems)?)?;
    files.push(md);
    let html = out.join("index.html");
    crate::export::write_file(&html, page(&d, &svgs))?;
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

/// The tidy export: indicators.csv (the window asked, month or quarter, and the year to date
/// of the period: every consortium, the region and every member, with `consortium`,
/// `member` and `region_member`) and values.csv (every value in use of every consortium's
/// store), each also as Parquet.
pub fn export(
    b: &Bureau,
    l: &Loaded,
    period: Period,
    window: Window,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    let e = Engines::new(b, l)?;
    let mut records = Vec::new();
    for window in [window, Window::Ytd] {
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
        let (c, m, rid) = match r.scope {
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
    let f = std::fs::File::create(path)
        .said(|| crate::said!(Msg::CannotWrite, path = path.display()))?;
    ParquetWriter::new(f).finish(&mut df)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_is_named_and_says_when_it_is_not_complete() {
        let p = |m| Period::new(2025, m).unwrap();
        assert_eq!(period_label(p(11), Window::Month), "2025年11月");
        assert_eq!(period_label(p(12), Window::Quarter), "2025年第四季度");
        assert_eq!(
            period_label(p(11), Window::Quarter),
            "2025年第四季度（10—11月）"
        );
        assert_eq!(period_label(p(1), Window::Quarter), "2025年第一季度（1月）");
        assert_eq!(period_label(p(6), Window::Quarter), "2025年第二季度");
    }
}
